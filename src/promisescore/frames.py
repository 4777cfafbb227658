"""Tidy tables of results, for researchers: plain records, and pandas data frames.

Every result object has ``to_records()`` (a list of plain dicts, one per row, no pandas
needed) and ``to_frame()`` (the same rows as a :class:`pandas.DataFrame`). pandas is an
optional extra: ``pip install 'promisescore[pandas]'``; without it ``to_frame()`` raises
:class:`MissingExtraError` (an :class:`ImportError`) that says so.

This module knows no result type, so it sits low in the layers (docs/development.md):
each result type makes its own records next to where it is defined
(:func:`promisescore.scoring.scorecard.scorecard_records`,
:func:`promisescore.analysis.timelines.timeline_records`,
:func:`promisescore.analysis.agreements.agreement_records`,
:func:`promisescore.analysis.diffs.diff_records`) and turns them into a frame here.

The columns are documented in ``docs/researchers.md``. Names follow the score JSON
(FORMAT.md §5) where the JSON has the value; columns made from ids use a ``kind:id``
prefix (``rating:<assessor>``, ``count:<level>``, ``score:<category>``), which cannot
clash with an id because ids never hold a colon. In records, dates are
:class:`datetime.date` (or ``None``); in frames they are ``datetime64[s]`` (``NaT`` for
none), so they resample and plot as dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

#: How to install pandas with promisescore.
PANDAS_EXTRA = "pip install 'promisescore[pandas]'"

#: Columns holding dates (converted to ``datetime64[s]`` in frames).
DATE_COLUMNS: frozenset[str] = frozenset(
    {
        "as_of",
        "deadline",
        "made_on",
        "date",
        "start",
        "end",
        "latest_evidence",
        "window_start",
        "window_end",
    }
)


class MissingExtraError(ImportError):
    """An optional dependency (an *extra* of the package) is not installed."""


def require_pandas() -> Any:
    """Import and return pandas, or raise :class:`MissingExtraError` naming the extra."""
    try:
        import pandas
    except ImportError as exc:
        raise MissingExtraError(
            f"data frames need pandas, which is not installed; install the extra: {PANDAS_EXTRA}"
            " (or use to_records(), which needs no pandas)",
            name="pandas",
        ) from exc
    return pandas


def frame(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """A :class:`pandas.DataFrame` of ``records`` with exactly ``columns``, in that order;
    date columns as ``datetime64[s]``."""
    pd = require_pandas()
    data: dict[str, Any] = {}
    for name in columns:
        values = [row.get(name) for row in records]
        if name in DATE_COLUMNS:
            data[name] = pd.Series(values, dtype="datetime64[s]")
        else:
            data[name] = pd.Series(values, dtype=object if _mixed(values) else None)
    return pd.DataFrame(data, columns=list(columns))


def _mixed(values: Sequence[Any]) -> bool:
    """Whether a column must stay ``object``: lists, or ``None`` among non-floats."""
    if any(isinstance(v, list | tuple) for v in values):
        return True
    present = [v for v in values if v is not None]
    if len(present) == len(values):
        return False
    # None among bools or strings stays None (not NaN); among numbers it becomes NaN
    return not all(isinstance(v, int | float) and not isinstance(v, bool) for v in present)


def columns_of(records: Iterable[dict[str, Any]], base: Sequence[str]) -> list[str]:
    """``base`` then any further keys of the records, in first-seen order."""
    found = list(base)
    seen = set(found)
    for row in records:
        for key in row:
            if key not in seen:
                seen.add(key)
                found.append(key)
    return found


# --------------------------------------------------------------------------- columns

SCORECARD_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "category",
    "category_title",
    "kind",
    "weight",
    "status",
    "rating",
    "fulfillment",
    "rated",
    "overdue",
    "late",
    "stale",
    "deadline",
    "made_on",
    "maker",
    "made_by",
    "authority",
    "tags",
    "latest_evidence",
)


TIMELINE_COLUMNS: tuple[str, ...] = (
    "as_of",
    "score",
    "grade",
    "coverage",
    "promises",
    "rated",
    "events",
    "marks",
)


AGREEMENT_COLUMNS: tuple[str, ...] = (
    "unit",
    "promise",
    "criterion",
    "title",
    "window_start",
    "window_end",
    "assessor",
    "date",
    "rating",
    "rank",
    "value",
)


DIFF_COLUMNS: tuple[str, ...] = (
    "promise",
    "title",
    "change",
    "fields",
    "old_status",
    "new_status",
    "old_fulfillment",
    "new_fulfillment",
    "delta",
    "direction",
    "old_rated",
    "new_rated",
    "old_overdue",
    "new_overdue",
    "reversal",
    "newly_overdue",
    "no_longer_overdue",
)


def iso(value: date | None) -> str | None:
    """A date as ISO 8601 text, or ``None``."""
    return value.isoformat() if value is not None else None
