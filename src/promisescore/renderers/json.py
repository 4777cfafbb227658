"""JSON: the document of FORMAT.md §5 with the per-promise trace (docs/reference/json.md).

One writer: orjson, from the scorecard's ``to_dict()``. The text is indented by two
spaces, keys in the order ``to_dict()`` gives them, non-ASCII characters as they are
(UTF-8), and numbers as orjson spells them (the format's spelling, documented in
docs/reference/json.md: ``1e-5``, ``1e16``). :func:`render_iter` writes the promises
one at a time, so that a million evidence items never sit in memory as dicts at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import orjson

from ..scoring import Scorecard
from . import RenderOptions

#: About how many bytes to gather before yielding a piece of the document.
CHUNK = 1 << 20

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


def _nested(value: Any, pad: bytes) -> bytes:
    """``value`` as orjson writes it, each line after the first indented by ``pad``."""
    return orjson.dumps(value, option=_OPTIONS).replace(b"\n", pad)


def render_iter(card: Scorecard, options: RenderOptions) -> Iterator[str]:
    """The document in pieces of about ``CHUNK`` bytes (the last ends in a newline)."""
    selected = [
        p for p in card.promises if not options.categories or p.category in options.categories
    ]
    data = attrs.evolve(card, promises=()).to_dict()
    if options.categories:
        data["categories"] = [c for c in data["categories"] if c["id"] in options.categories]
    data["warnings"] = [problem.to_dict() for problem in options.warnings]
    if options.history is not None:
        data["history"] = options.history.to_dict()
    out: list[bytes] = []
    size = 0
    separator = b"{\n  "
    for key, value in data.items():
        out.append(separator + orjson.dumps(key) + b": ")
        separator = b",\n  "
        if key != "promises" or not selected:
            out.append(_nested(value, b"\n  "))
            continue
        between = b"[\n    "
        for promise in selected:
            piece = _nested(promise.to_dict(), b"\n    ")
            out.append(between)
            out.append(piece)
            between = b",\n    "
            size += len(piece)
            if size >= CHUNK:
                yield b"".join(out).decode("utf-8")
                out.clear()
                size = 0
        out.append(b"\n  ]")
    out.append(b"\n}\n" if data else b"{}\n")
    yield b"".join(out).decode("utf-8")


def render(card: Scorecard, options: RenderOptions) -> str:
    return "".join(render_iter(card, options))
