"""What published pages (the HTML report, the site) show, computed from a rubric and its scorecard.

Nothing here formats HTML: these are plain values for the templates (and the feed).
Format 1.1 fields (``status``, assessor names and roles) are read where the scorecard
has them; a format 1 scorecard falls back to the consensus ``rating`` and to the
assessor ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from ..model import Evidence, Rubric
from ..scoring import PromiseScore, Scorecard, score
from ..scoring.engine import score_promise

Day = date  # the type, under a name that fields called ``date`` do not shadow


@attrs.frozen
class Assessor:
    id: str
    name: str
    role: str | None
    url: str | None = None


def assessors_of(rubric: Rubric, card: Scorecard) -> dict[str, Assessor]:
    """Every assessor who rated something, by id, with a display name and role (format
    1.1 ``[[assessors]]``; without the table, the id and ``independent``)."""
    out: dict[str, Assessor] = {}
    declared = card.format != "1" and bool(rubric.declared_assessors)
    for ident in rubric.assessors:
        info = card.assessor_info(ident)
        # an implicit role (no table) is not news to a reader: shown only when declared
        out[ident] = Assessor(ident, info.name, info.role if declared else None, info.url)
    return out


#: Group keys of promises without a status: rated (a percentage only) and unrated.
RATED = "rated"
UNRATED = "unrated"


def status_of(item: PromiseScore) -> str | None:
    """The display status of a scored promise (FORMAT.md §7.6; for format 1 the
    consensus rating)."""
    status: str | None = item.status if item.status is not None else item.rating
    return status


def is_stale(item: PromiseScore) -> bool:
    return item.stale


# --------------------------------------------------------------------------- assessors


@attrs.frozen
class AssessorView:
    """One assessor's own numbers: the rubric scored with only their assessments."""

    assessor: Assessor
    overall: float | None
    grade: str | None
    coverage: float | None
    categories: dict[str, float | None]  # category id → score
    counted: bool  # enters the combined headline


def assessor_views(
    rubric: Rubric, card: Scorecard, people: dict[str, Assessor]
) -> list[AssessorView]:
    """Side by side: each assessor's overall and per-category scores (empty with one)."""
    if card.assessor is not None or len(people) < 2:
        return []
    counted = set(card.assessors)
    views = []
    for ident, person in people.items():
        own = score(rubric, card.as_of, ident)
        views.append(
            AssessorView(
                assessor=person,
                overall=own.overall.score,
                grade=own.overall.grade,
                coverage=own.overall.coverage,
                categories={c.id: c.score for c in own.categories},
                counted=ident in counted,
            )
        )
    return views


# --------------------------------------------------------------------------- history


@attrs.frozen
class HistoryEntry:
    """One dated rating of a promise (or of one of its criteria)."""

    date: date
    assessor: Assessor
    rating: str | None  # level id
    value: float | None  # percent scale
    criterion: str | None  # criterion title
    note: str | None
    evidence: tuple[Evidence, ...]
    effective: Day | None = None


def rating_history(
    rubric: Rubric, item: PromiseScore, as_of: date, people: dict[str, Assessor]
) -> list[HistoryEntry]:
    """Every assessment of the promise dated on or before ``as_of``, newest first."""
    promise = rubric.promise(item.id)
    titles = {c.id: c.title for c in promise.criteria}
    index = rubric.evidence_index
    entries = []
    for position, a in enumerate(rubric.assessments_by_promise.get(item.id, ())):
        if a.date > as_of:
            continue
        person = people.get(a.by) or Assessor(a.by, a.by, None)
        entries.append(
            (
                a.date,
                position,
                HistoryEntry(
                    date=a.date,
                    assessor=person,
                    rating=a.rating,
                    value=a.value,
                    criterion=titles.get(a.criterion) if a.criterion else None,
                    note=a.note,
                    evidence=tuple(index[e] for e in a.evidence if e in index),
                    effective=getattr(a, "effective", None),
                ),
            )
        )
    entries.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [entry for _, _, entry in entries]


@attrs.frozen
class StatusChange:
    """A promise's display status changed on ``date`` (one feed entry)."""

    date: date
    promise: str  # promise id
    title: str
    before: str | None
    after: str | None
    rated_before: bool
    rated_after: bool
    notes: tuple[tuple[str, str], ...]  # (assessor name, note) of that day's assessments
    order: int  # the promise's position in the file


def status_changes(
    rubric: Rubric, card: Scorecard, people: dict[str, Assessor]
) -> list[StatusChange]:
    """Every change of a promise's status up to the as-of date, newest first."""
    changes: list[StatusChange] = []
    shown = {p.id for p in card.promises}
    for order, promise in enumerate(rubric.promises):
        if promise.id not in shown:
            continue
        days = sorted(
            {
                a.date
                for a in rubric.assessments_by_promise.get(promise.id, ())
                if a.date <= card.as_of
            }
            | {
                e.date
                for e in rubric.evidence_by_promise.get(promise.id, ())
                if e.date <= card.as_of and e.value is not None
            }
        )
        before: str | None = None
        rated_before = False
        for day in days:
            now = score_promise(rubric, promise, day, card.assessor)
            after = status_of(now)
            if after == before and now.rated == rated_before:
                continue
            notes = tuple(
                ((people.get(a.by) or Assessor(a.by, a.by, None)).name, a.note)
                for a in rubric.assessments_by_promise.get(promise.id, ())
                if a.date == day and a.note and (card.assessor is None or a.by == card.assessor)
            )
            changes.append(
                StatusChange(
                    day,
                    promise.id,
                    promise.title,
                    before,
                    after,
                    rated_before,
                    now.rated,
                    notes,
                    order,
                )
            )
            before, rated_before = after, now.rated
    changes.sort(key=lambda c: (-c.date.toordinal(), c.order))
    return changes


def counts_by_status(card: Scorecard) -> list[tuple[str, list[PromiseScore]]]:
    """The promises grouped by status, most fulfilled level first, then the unrated ones."""
    groups: dict[str, list[PromiseScore]] = {}
    for item in card.promises:
        key = (status_of(item) or RATED) if item.rated else UNRATED
        groups.setdefault(key, []).append(item)
    order = [level.id for level in reversed(card.scale.levels)]
    keys = [k for k in order if k in groups]
    keys += sorted(k for k in groups if k not in order and k not in (RATED, UNRATED))
    keys += [k for k in (RATED, UNRATED) if k in groups and k not in keys]
    return [(k, groups[k]) for k in keys]


def evidence_sorted(items: Sequence[Evidence]) -> list[Evidence]:
    """Newest first (file order within a day)."""
    indexed = list(enumerate(items))
    indexed.sort(key=lambda t: (-t[1].date.toordinal(), t[0]))
    return [e for _, e in indexed]
