"""Near-match suggestions for misspelt keys and ids ("did you mean ...")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates close to ``word``, best first."""
    return difflib.get_close_matches(word, sorted(candidates), n=n, cutoff=0.5)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint such as ``did you mean 'weight'?``, or ``None`` when nothing is close."""
    matches = close_matches(word, candidates, n=1)
    return f"did you mean {matches[0]!r}?" if matches else None
