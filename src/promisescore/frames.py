"""Tidy tables of results, for researchers: plain records, and pandas data frames.

Every result object has ``to_records()`` (a list of plain dicts, one per row, no pandas
needed) and ``to_frame()`` (the same rows as a :class:`pandas.DataFrame`). pandas is an
optional extra: ``pip install 'promisescore[pandas]'``; without it ``to_frame()`` raises
:class:`MissingExtraError` (an :class:`ImportError`) that says so.

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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis.agreements import Agreement
    from .analysis.diffs import Diff
    from .analysis.timelines import Timeline
    from .scoring.scorecard import PromiseScore, Scorecard

__all__ = [
    "PANDAS_EXTRA",
    "MissingExtraError",
    "agreement_records",
    "diff_records",
    "frame",
    "maker_of",
    "promise_assessors",
    "require_pandas",
    "scorecard_records",
    "status_of",
    "timeline_records",
]

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


# --------------------------------------------------------------------------- scorecard


def status_of(item: PromiseScore) -> str | None:
    """The promise's display status (FORMAT.md §7.6): a level id, or ``None``."""
    return item.status


def maker_of(card: Scorecard, item: PromiseScore) -> str | None:
    """Who made the promise: its ``made_by``, else the report's ``subject`` (FORMAT.md
    §2: "who made the promises"), else ``None``."""
    return item.made_by if item.made_by is not None else card.subject


def promise_assessors(item: PromiseScore) -> dict[str, str | float | None]:
    """Each assessor's latest rating of the promise, by assessor id.

    For a plain promise, the level id (the value on the ``percent`` scale): exactly
    ``assessors`` of the score JSON (FORMAT.md §7.6), plus the ratings of assessors left
    out of the headline by their role (format 1.1, §7.1), which reports still show. For
    a criteria promise, one number per assessor: Σ wᵢ·vᵢ / Σ wᵢ over the criteria with
    the assessor's own ratings (criteria they did not rate count 0, as in §4.2). Nothing
    for a target promise.
    """
    trace = item.trace
    if item.kind == "plain":
        found: dict[str, str | float | None] = dict(item.assessors)
        for r in trace.excluded:
            found.setdefault(r.by, r.rating if r.rating is not None else r.value)
        return found
    if item.kind != "criteria":
        return {}
    weights = {c.id: c.weight for c in trace.criteria}
    total = sum(weights.values())
    by: dict[str, float] = {}
    for part in trace.criteria:
        for r in part.ratings:
            if r.counted and r.value is not None:
                by[r.by] = by.get(r.by, 0.0) + part.weight * r.value
    for r in trace.excluded:
        if r.counted and r.value is not None and r.criterion in weights:
            by[r.by] = by.get(r.by, 0.0) + weights[r.criterion] * r.value
    return {name: by[name] / total if total else 0.0 for name in sorted(by)}


def frame_assessors(card: Scorecard) -> list[str]:
    """The assessors with a ``rating:`` column: those counted, then those left out of
    the headline by their role (format 1.1)."""
    names = list(card.assessors)
    names += [a for a in card.excluded_assessors if a not in names]
    return names


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


def scorecard_records(card: Scorecard) -> list[dict[str, Any]]:
    """One dict per promise counted at the scorecard's date, in file order."""
    titles = {c.id: c.title for c in card.categories}
    assessors = frame_assessors(card)
    rows: list[dict[str, Any]] = []
    for item in card.promises:
        row: dict[str, Any] = {
            "id": item.id,
            "title": item.title,
            "category": item.category,
            "category_title": titles.get(item.category, item.category),
            "kind": item.kind,
            "weight": item.weight,
            "status": status_of(item),
            "rating": item.rating,
            "fulfillment": item.fulfillment,
            "rated": item.rated,
            "overdue": item.overdue,
            "late": item.late,
            "stale": item.stale,
            "deadline": item.deadline,
            "made_on": item.made_on,
            "maker": maker_of(card, item),
            "made_by": item.made_by,
            "authority": item.authority,
            "tags": list(item.tags),
            "latest_evidence": item.latest_evidence,
        }
        ratings = promise_assessors(item)
        for name in assessors:
            row[f"rating:{name}"] = ratings.get(name)
        rows.append(row)
    return rows


def scorecard_columns(card: Scorecard) -> list[str]:
    return [*SCORECARD_COLUMNS, *(f"rating:{name}" for name in frame_assessors(card))]


# --------------------------------------------------------------------------- timeline


def timeline_records(timeline: Timeline) -> list[dict[str, Any]]:
    """One dict per date of the timeline, ascending."""
    levels: list[str] = []
    for point in timeline.points:
        for level_id, _ in point.counts:
            if level_id not in levels:
                levels.append(level_id)
    rows: list[dict[str, Any]] = []
    for point in timeline.points:
        row: dict[str, Any] = {
            "as_of": point.as_of,
            "score": point.overall.score,
            "grade": point.overall.grade,
            "coverage": point.overall.coverage,
            "promises": point.promises,
            "rated": point.rated,
            "events": point.events,
            "marks": list(point.marks),
        }
        counts = dict(point.counts)
        for level_id in levels:
            row[f"count:{level_id}"] = counts.get(level_id, 0)
        for category_id, _ in timeline.lines:
            found = point.category(category_id)
            row[f"score:{category_id}"] = found.score if found is not None else None
        rows.append(row)
    return rows


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


# --------------------------------------------------------------------------- agreement


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


def agreement_records(agreement: Agreement) -> list[dict[str, Any]]:
    """One dict per rating of a unit rated by two or more assessors (long form:
    pivot on ``assessor`` for one column per assessor). ``window_start`` and
    ``window_end`` are the unit's window (FORMAT.md §7.4), or ``None`` in format 1."""
    return [
        {
            "unit": unit.id,
            "promise": unit.promise,
            "criterion": unit.criterion,
            "title": unit.title,
            "window_start": unit.start,
            "window_end": unit.end,
            "assessor": r.by,
            "date": r.date,
            "rating": r.rating,
            "rank": r.rank,
            "value": r.value,
        }
        for unit in agreement.units
        for r in unit.ratings
    ]


# --------------------------------------------------------------------------- diff


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


def diff_records(diff: Diff) -> list[dict[str, Any]]:
    """One dict per promise that differs between the two sides (added, removed, changed)."""
    rows: list[dict[str, Any]] = []
    for change in diff.changes:
        old, new = change.old, change.new
        rows.append(
            {
                "promise": change.promise,
                "title": change.title,
                "change": change.change,
                "fields": list(change.fields),
                "old_status": status_of(old) if old is not None else None,
                "new_status": status_of(new) if new is not None else None,
                "old_fulfillment": old.fulfillment if old is not None else None,
                "new_fulfillment": new.fulfillment if new is not None else None,
                "delta": change.delta,
                "direction": change.direction,
                "old_rated": old.rated if old is not None else None,
                "new_rated": new.rated if new is not None else None,
                "old_overdue": old.overdue if old is not None else None,
                "new_overdue": new.overdue if new is not None else None,
                "reversal": change.reversal,
                "newly_overdue": change.newly_overdue,
                "no_longer_overdue": change.no_longer_overdue,
            }
        )
    return rows


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
