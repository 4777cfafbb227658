"""Scores over time: a rubric scored at a series of dates, and the promises that fell back.

``timeline(rubric)`` scores the rubric at every date on which an evidence item, an
assessment or a promise's ``made_on`` changed anything, at the 100-day mark and at every
anniversary of ``report.start``, and at the as-of date (FORMAT.md §4.1). Every point is
exactly ``score(rubric, as_of=point.as_of, assessor=...)`` reduced to its overall,
category and count figures: promises are re-scored with the engine's own
:func:`~promisescore.scoring.engine.score_promise` only when something about them changed
between two points, and the figures come from :func:`~promisescore.scoring.engine.aggregate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import attrs

from ..dates import Duration
from ..errors import UnknownIdError
from ..model import Rubric
from ..scoring import CategoryScore, Overall, PromiseScore
from ..scoring.engine import aggregate, as_date, level_counts, score_promise
from ..scoring.scorecard import headline_promises, status_counts
from ..suggest import close_matches
from .changes import Change, ScoreChange, change_between

HUNDRED_DAYS = Duration(days=100)

Day = date  # the type, under a name the ``Reversal.date`` field does not shadow


def parse_every(text: str) -> Duration:
    """An interval such as ``6M``, ``P6M``, ``1Y``, ``2W`` or ``100D`` (ISO-8601, ``P`` optional).

    Raises ``ValueError`` for anything else, or for a zero interval.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"every must be a Duration or a string such as '6M', not {type(text).__name__}"
        )
    spec = text.strip().upper()
    if not spec.startswith("P"):
        spec = "P" + spec
    duration = Duration.parse_option(spec, "every")
    if duration == Duration():
        raise ValueError(f"{text!r} is a zero interval")
    return duration


def _times(duration: Duration, k: int) -> Duration:
    return Duration(duration.years * k, duration.months * k, duration.weeks * k, duration.days * k)


def _after(duration: Duration, start: date) -> date | None:
    try:
        return duration.after(start)
    except (OverflowError, ValueError):
        return None


def _marks(start: date, until: date) -> dict[date, list[str]]:
    marks: dict[date, list[str]] = {}
    hundred = _after(HUNDRED_DAYS, start)
    if hundred is not None and hundred <= until:
        marks.setdefault(hundred, []).append("100 days")
    years = 1
    while True:
        when = _after(Duration(years=years), start)
        if when is None or when > until:
            break
        marks.setdefault(when, []).append("1 year" if years == 1 else f"{years} years")
        years += 1
    return marks


def _event_dates(rubric: Rubric, assessor: str | None) -> list[date]:
    """Dates of every evidence item and (the assessor's) assessments, in file order."""
    found = [item.date for item in rubric.evidence]
    left_out = rubric.reviewers if assessor is None else frozenset()  # never counted (§8.1)
    found += [
        a.date
        for a in rubric.assessments
        if (assessor is None or a.by == assessor) and a.by not in left_out
    ]
    return found


def default_dates(
    rubric: Rubric, assessor: str | None = None, until: date | None = None
) -> list[date]:
    """The dates of the default timeline, ascending.

    Every evidence and assessment date (only ``assessor``'s assessments when given), every
    ``made_on`` after ``report.start``, the 100-day mark and each anniversary of
    ``report.start``, and ``until`` itself — all up to ``until`` (default: the rubric's
    as-of date, FORMAT.md §4.1).
    """
    end = until if until is not None else rubric.default_as_of()
    start = rubric.report.start
    chosen: set[date] = {end}
    chosen.update(d for d in _event_dates(rubric, assessor) if d <= end)
    chosen.update(
        p.made_on for p in rubric.promises if p.made_on is not None and start < p.made_on <= end
    )
    chosen.update(_marks(start, end))
    return sorted(chosen)


def _iso(step: Duration) -> str:
    parts = zip((step.years, step.months, step.weeks, step.days), "YMWD", strict=True)
    return "P" + "".join(f"{n}{unit}" for n, unit in parts if n)


#: At most this many dates in an ``every`` series (``P1D`` over 0001-9999 would be
#: 3.6 million scorecards).
MAX_EVERY_POINTS = 10_000


def _every_dates(start: date, every: Duration, until: date) -> list[date]:
    found: list[date] = []
    k = 1
    while True:
        when = _after(_times(every, k), start)
        if when is None or when > until:
            return found
        if len(found) >= MAX_EVERY_POINTS:
            raise ValueError(
                f"every {_iso(every)} from {start} to {until} gives more than "
                f"{MAX_EVERY_POINTS:,} dates; choose a longer interval or an earlier until"
            )
        found.append(when)
        k += 1


# --------------------------------------------------------------------------- results


@attrs.frozen
class TimelinePoint:
    """The scores as of one date: what ``score --as-of`` gives, without the promises."""

    as_of: date
    overall: Overall
    categories: tuple[CategoryScore, ...]
    counts: tuple[tuple[str, int], ...]
    #: Named marks on this date: ``"100 days"``, ``"1 year"``, ``"2 years"``, ...
    marks: tuple[str, ...] = ()
    #: How many evidence items and assessments are dated exactly on this date.
    events: int = 0
    #: How many promises are counted (made on or before the date).
    promises: int = 0
    #: How many of them are rated.
    rated: int = 0
    #: Format 1.2 (FORMAT.md §8.5): the change against the previous point, split into
    #: re-ratings and composition (``None`` at the first point).
    change: Change | None = None
    #: A point of a format 1.2 rubric: its JSON has ``change``.
    v12: bool = False

    def category(self, category_id: str) -> CategoryScore | None:
        for item in self.categories:
            if item.id == category_id:
                return item
        return None

    def category_change(self, category_id: str) -> ScoreChange | None:
        """Format 1.2: one category's change against the previous point, split
        (FORMAT.md §8.5); ``None`` at the first point and before 1.2."""
        return None if self.change is None else self.change.category(category_id)

    def _category_dict(self, category: CategoryScore) -> dict[str, Any]:
        data = category.to_dict()
        if self.v12:  # the overall's ``change`` key, for each category
            found = self.category_change(category.id)
            data["change"] = None if found is None else found.to_dict()
        return data

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "marks": list(self.marks),
            "events": self.events,
            "promises": self.promises,
            "rated": self.rated,
            "overall": self.overall.to_dict(),
            "counts": dict(self.counts),
            "categories": [self._category_dict(c) for c in self.categories],
            **(
                {"change": None if self.change is None else self.change.to_dict()}
                if self.v12
                else {}
            ),
        }


@attrs.frozen
class Reversal:
    """A promise that stood at a final level (or at f = 1) and later fell below it."""

    promise: str
    title: str
    category: str
    kind: str
    #: The first point at which it stood lower.
    date: date
    #: The last point at which it still stood at the final level.
    since: Day
    from_level: str | None
    to_level: str | None
    from_fulfillment: float | None
    to_fulfillment: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "promise": self.promise,
            "title": self.title,
            "category": self.category,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "since": self.since.isoformat(),
            "from": self.from_level,
            "to": self.to_level,
            "from_fulfillment": self.from_fulfillment,
            "to_fulfillment": self.to_fulfillment,
        }


@attrs.frozen
class Timeline:
    """A rubric's scores at a series of dates (ascending) and the reversals among them."""

    title: str
    start: date
    assessor: str | None
    assessors: tuple[str, ...]
    points: tuple[TimelinePoint, ...]
    reversals: tuple[Reversal, ...]
    #: Every category seen at any point, as ``(id, title)``, in rubric order.
    lines: tuple[tuple[str, str], ...] = ()
    #: False when the rubric has ``bands = []`` (format 1.1): no report shows a grade.
    graded: bool = True
    #: Format 1.1: assessor id → display name (for renderers).
    names: tuple[tuple[str, str], ...] = ()
    #: A format 1.2 rubric: each change is shown with what moved it (FORMAT.md §8.5),
    #: even when the series has no point.
    v12: bool = False
    #: Format 1.2: each line's change (``overall``, then each category id) from the
    #: first point where it has a score to the last point, split (FORMAT.md §8.5), as
    #: ``(line, from date, change)``; empty with fewer than two points.
    spans: tuple[tuple[str, date, ScoreChange], ...] = ()

    def point(self, when: date | str) -> TimelinePoint:
        wanted = as_date(when)
        for item in self.points:
            if item.as_of == wanted:
                return item
        raise KeyError(str(when))

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per date (no pandas needed); see docs/researchers.md."""
        return timeline_records(self)

    def to_frame(self) -> Any:
        """A tidy :class:`pandas.DataFrame`, one row per date (needs the ``pandas`` extra)."""
        from ..frames import TIMELINE_COLUMNS, columns_of, frame

        records = self.to_records()
        return frame(records, columns_of(records, TIMELINE_COLUMNS))

    def __repr__(self) -> str:
        from ..display import text

        return text(self)

    def _repr_html_(self) -> str:
        from ..display import html

        return html(self)

    def span_change(self, line: str) -> ScoreChange | None:
        """Format 1.2: a line's change (``overall`` or a category id) from the first
        point where it has a score to the last point, split; ``None`` when it has no
        score at the last point or at no earlier point."""
        for ident, _, change in self.spans:
            if ident == line:
                return change
        return None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": 1,
            "title": self.title,
            "start": self.start.isoformat(),
            "assessor": self.assessor,
            "assessors": list(self.assessors),
            "points": [p.to_dict() for p in self.points],
            "reversals": [r.to_dict() for r in self.reversals],
        }
        if self.v12:  # format 1.2: each line's whole change, split as every change is
            found = {ident: (since, change) for ident, since, change in self.spans}

            def entry(ident: str) -> dict[str, Any]:
                since, change = found.get(ident, (None, None))
                return {
                    "from": None if since is None else since.isoformat(),
                    "change": None if change is None else change.to_dict(),
                }

            overall = entry("overall")
            data["span"] = {
                "from": overall["from"],
                "to": self.points[-1].as_of.isoformat() if self.points else None,
                "change": overall["change"],
                "categories": [{"id": ident, **entry(ident)} for ident, _ in self.lines],
            }
        return data


# --------------------------------------------------------------------------- computing


def _change_index(rubric: Rubric, assessor: str | None) -> list[tuple[date, str]]:
    """``(date, promise id)`` for everything that can change a promise's score, sorted.

    Evidence and (the assessor's) assessments change a promise on their date; a promise
    enters on its ``made_on``; ``overdue`` ("deadline < D") flips the day after the
    deadline.
    """
    found: list[tuple[date, str]] = [(item.date, item.promise) for item in rubric.evidence]
    left_out = rubric.reviewers if assessor is None else frozenset()  # never counted (§8.1)
    found += [
        (a.date, a.promise)
        for a in rubric.assessments
        if (assessor is None or a.by == assessor) and a.by not in left_out
    ]
    for promise in rubric.promises:
        if promise.made_on is not None:
            found.append((promise.made_on, promise.id))
        deadline = rubric.deadline_of(promise)
        if deadline is not None and deadline < date.max:
            found.append((deadline + timedelta(days=1), promise.id))
    found.sort()
    return found


def _resolve_dates(
    rubric: Rubric,
    at: Sequence[date | str] | None,
    every: Duration | str | None,
    assessor: str | None,
    until: date | None,
) -> list[date]:
    end = until if until is not None else rubric.default_as_of()
    from ..arguments import require

    require(rubric, Rubric, "rubric", "a Rubric")
    if at is not None and (isinstance(at, str | date) or not isinstance(at, Sequence)):
        raise TypeError(f"at must be a list of dates, not {type(at).__name__}")
    if not at and every is None:
        return default_dates(rubric, assessor, end)
    chosen: set[date] = set()
    for item in at or ():
        when = as_date(item, "each date of at")
        if when is not None:
            chosen.add(when)
    if every is not None:
        step = every if isinstance(every, Duration) else parse_every(every)
        if step == Duration():
            raise ValueError("every must not be a zero interval")
        chosen.update(_every_dates(rubric.report.start, step, end))
    return sorted(chosen)


def timeline(
    rubric: Rubric,
    at: Sequence[date | str] | None = None,
    every: Duration | str | None = None,
    assessor: str | None = None,
    until: date | str | None = None,
) -> Timeline:
    """Score ``rubric`` at a series of dates.

    - ``at``: these dates (any order; duplicates dropped).
    - ``every``: ``report.start`` plus 1, 2, 3, ... times this interval (a
      :class:`~promisescore.dates.Duration` or text such as ``"6M"``, ``"P1Y"``,
      ``"100D"``), up to ``until``.
    - neither: :func:`default_dates` — every change, the 100-day and yearly marks, and
      ``until``.
    - ``until``: the last date of the default and ``every`` series (default: the rubric's
      as-of date, FORMAT.md §4.1). Dates given in ``at`` are kept even when later.
    - ``assessor``: only this assessor's assessments count, as with ``score --assessor``.

    Each point equals ``score(rubric, as_of=point.as_of, assessor=assessor)``.
    Raises :class:`~promisescore.errors.UnknownIdError` for an assessor who rated nothing
    and ``ValueError`` for a malformed ``every``.
    """
    from ..arguments import require

    require(rubric, Rubric, "rubric", "a Rubric")
    require(assessor, (str, type(None)), "assessor", "an assessor id or None")
    if (
        assessor is not None
        and assessor not in rubric.assessors
        and assessor not in rubric.assessor_index
    ):
        raise UnknownIdError("assessor", assessor, close_matches(assessor, rubric.assessors))
    dates = _resolve_dates(rubric, at, every, assessor, as_date(until, "until"))
    marks = _marks(rubric.report.start, dates[-1]) if dates else {}
    events: dict[date, int] = {}
    for when in _event_dates(rubric, assessor):
        events[when] = events.get(when, 0) + 1

    changes = _change_index(rubric, assessor)
    cursor = 0
    current: dict[str, PromiseScore] = {}
    points: list[TimelinePoint] = []
    history: list[tuple[date, dict[str, PromiseScore]]] = []
    v12 = rubric.format == "1.2"
    # format 1.2: staleness (and with stale = "drop" the score) moves with the date alone
    every_day = v12 and rubric.grading.stale_after is not None
    previous: list[PromiseScore] | None = None
    # format 1.2: for each line (overall, category id), the results of the first point
    # where it has a score, for its change to the last point (Timeline.spans)
    scored_from: dict[str, tuple[date, list[PromiseScore]]] = {}
    for when in dates:
        # promises with a change in (previous point, when]: only these are re-scored
        dirty: set[str] = set()
        while cursor < len(changes) and changes[cursor][0] <= when:
            dirty.add(changes[cursor][1])
            cursor += 1
        results: list[PromiseScore] = []
        rescored: dict[str, PromiseScore] = {}
        for promise in rubric.promises:
            if promise.made_on is not None and promise.made_on > when:
                current.pop(promise.id, None)
                continue
            cached = current.get(promise.id)
            if cached is None or promise.id in dirty or every_day:
                cached = score_promise(rubric, promise, when, assessor)
                current[promise.id] = cached
                rescored[promise.id] = cached
            results.append(cached)
        categories, overall = aggregate(rubric, results, assessor)
        points.append(
            TimelinePoint(
                as_of=when,
                overall=overall,
                categories=categories,
                counts=(
                    level_counts(rubric.scale, results)
                    if rubric.format == "1"
                    else status_counts(rubric.scale, results, v12)
                ),
                marks=tuple(marks.get(when, ())),
                events=events.get(when, 0),
                # what the headline counts: umbrella promises are in no count
                promises=len(counted := headline_promises(results)),
                rated=sum(1 for item in counted if item.rated),
                change=change_between(rubric, previous, results, assessor, old_assessor=assessor)
                if v12 and previous is not None
                else None,
                v12=v12,
            )
        )
        previous = results
        if v12:
            lines_scored = [("overall", overall.score)] + [(c.id, c.score) for c in categories]
            for line_id, value in lines_scored:
                if value is not None and line_id not in scored_from:
                    scored_from[line_id] = (when, results)
        history.append((when, rescored))

    lines: dict[str, str] = {}
    for item in points:
        for category in item.categories:
            lines.setdefault(category.id, category.title)
    return Timeline(
        title=rubric.report.title,
        start=rubric.report.start,
        assessor=assessor,
        assessors=_counted_assessors(rubric, assessor),
        points=tuple(points),
        reversals=tuple(_reversals(rubric, history)),
        lines=tuple(lines.items()),
        graded=bool(rubric.grading.bands),
        names=tuple((a, rubric.assessor(a).name) for a in rubric.assessors)
        if rubric.format != "1"
        else (),
        v12=v12,
        spans=_spans(rubric, scored_from, previous, assessor) if len(points) > 1 else (),
    )


def _spans(
    rubric: Rubric,
    scored_from: dict[str, tuple[date, list[PromiseScore]]],
    last: list[PromiseScore] | None,
    assessor: str | None,
) -> tuple[tuple[str, date, ScoreChange], ...]:
    """Each line's change from the first point where it has a score to the last point
    (:attr:`Timeline.spans`), one :func:`change_between` per distinct first point."""
    if last is None:
        return ()
    splits: dict[date, Change] = {}
    found: list[tuple[str, date, ScoreChange]] = []
    for line_id, (since, results) in scored_from.items():
        if results is last:  # first scored at the last point: no change to report
            continue
        if since not in splits:
            splits[since] = change_between(rubric, results, last, assessor, old_assessor=assessor)
        change = splits[since].overall if line_id == "overall" else splits[since].category(line_id)
        if change is not None and change.total is not None:
            found.append((line_id, since, change))
    return tuple(found)


def _counted_assessors(rubric: Rubric, assessor: str | None) -> tuple[str, ...]:
    """Whose ratings the points rest on: with ``assessor`` that one; in format 1.1 the
    assessors whose role counts (FORMAT.md §7.1); else every assessor."""
    if assessor is not None:
        return (assessor,)
    if rubric.format == "1":
        return rubric.assessors
    roles = rubric.counted_roles
    return tuple(a for a in rubric.assessors if rubric.role_of(a) in roles)


def _is_final_standing(rubric: Rubric, item: PromiseScore) -> bool:
    if not item.rated:
        return False
    if item.rating is not None:
        return rubric.scale.level(item.rating).final
    return item.fulfillment is not None and item.fulfillment >= 1.0


def _fell(rubric: Rubric, before: PromiseScore, after: PromiseScore) -> bool:
    if not after.rated:
        return False
    if before.rating is not None and after.rating is not None:
        scale = rubric.scale
        return scale.rank(after.rating) < scale.rank(before.rating)
    return (after.fulfillment or 0.0) < (before.fulfillment or 0.0)


def _reversals(
    rubric: Rubric, history: Sequence[tuple[date, dict[str, PromiseScore]]]
) -> list[Reversal]:
    """Falls from a final level (or from f = 1) to a lower rated standing, point to point.

    ``history`` holds, for each point, the promises re-scored there (one not re-scored
    stands where it stood). A promise is compared with its last *rated* standing: one
    that becomes unrated (every assessor withdrew to an unrated level) is not a
    reversal, and neither is a move up.
    """
    found: list[Reversal] = []
    standing: dict[str, PromiseScore] = {}
    # the last rated standing of each promise and the last point at which it held
    last_rated: dict[str, tuple[date, PromiseScore]] = {}
    for k, (when, rescored) in enumerate(history):
        for promise_id, item in rescored.items():
            before = standing.get(promise_id)
            if before is not None and before.rated:
                last_rated[promise_id] = (history[k - 1][0], before)
            standing[promise_id] = item
            held = last_rated.get(promise_id)
            if (
                item.rated
                and held is not None
                and _is_final_standing(rubric, held[1])
                and _fell(rubric, held[1], item)
            ):
                found.append(
                    Reversal(
                        promise=promise_id,
                        title=item.title,
                        category=item.category,
                        kind=item.kind,
                        date=when,
                        since=held[0],
                        from_level=held[1].rating,
                        to_level=item.rating,
                        from_fulfillment=held[1].fulfillment,
                        to_fulfillment=item.fulfillment,
                    )
                )
    order = {p.id: i for i, p in enumerate(rubric.promises)}
    found.sort(key=lambda r: (r.date, order.get(r.promise, 0)))
    return found


# --------------------------------------------------------------------------- records


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
            **point.overall.to_dict(),
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
