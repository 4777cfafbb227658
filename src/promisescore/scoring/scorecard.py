"""The result of scoring: an immutable :class:`Scorecard` and what it is made of.

Every number carries its trace: for each promise, each assessor's deciding assessment,
the rule that combined them, the criteria or target arithmetic, and the evidence behind
it. Renderers read only this (files → model → **scorecard** → renderer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal, Protocol, TypeVar

import attrs

from ..model import Assessor, Evidence, Grading, Rubric, Scale, Source
from ..model.parts import Date

SCHEMA_VERSION = 1
#: ``schema_version`` of the JSON of a format 1.1 rubric (FORMAT.md §7.6).
SCHEMA_VERSION_11 = 2
#: ``schema_version`` of the JSON of a format 1.2 rubric (FORMAT.md §8.10).
SCHEMA_VERSION_12 = 3


def schema_version(fmt: str) -> int:
    """``schema_version`` of the score JSON of a rubric of format ``fmt``."""
    return {"1": SCHEMA_VERSION, "1.1": SCHEMA_VERSION_11}.get(fmt, SCHEMA_VERSION_12)


@attrs.frozen
class AssessorRating:
    """One assessor's latest assessment (≤ as-of) of a promise or criterion."""

    by: str
    date: date
    rating: str | None
    value: float | None
    evidence: tuple[str, ...]
    note: str | None
    counted: bool  # False when the rating is an unrated level (left out of the consensus)
    #: Format 1.1: the assessor's display name and role, the rating's effective date,
    #: and the criterion it rates (for ratings left out by role).
    name: str | None = attrs.field(default=None, kw_only=True)
    role: str | None = attrs.field(default=None, kw_only=True)
    effective: Date | None = attrs.field(default=None, kw_only=True)
    criterion: str | None = attrs.field(default=None, kw_only=True)
    #: Format 1.2 (FORMAT.md §8.2): the rating is stale as of the scorecard's date.
    stale: bool = attrs.field(default=False, kw_only=True)

    @property
    def display_name(self) -> str:
        """The assessor's display name (its id when it has none)."""
        return self.name if self.name is not None else self.by

    @property
    def effective_date(self) -> Date:
        return self.date if self.effective is None else self.effective


@attrs.frozen
class CriterionScore:
    """One criterion of a criteria promise: its consensus rating and value."""

    id: str
    title: str
    weight: float
    value: float  # 0 when unassessed
    rating: str | None
    assessed: bool
    ratings: tuple[AssessorRating, ...]
    rule: str


@attrs.frozen
class TargetScore:
    """A target promise's goal and the latest measured value (``None`` before any)."""

    metric: str
    unit: str | None
    baseline: float
    target: float
    value: float | None
    evidence: str | None
    date: date | None


@attrs.frozen
class Trace:
    """How a promise's number came about, in data (``explain`` puts it into words)."""

    kind: Literal["plain", "criteria", "target"]
    rule: str
    ratings: tuple[AssessorRating, ...] = ()
    criteria: tuple[CriterionScore, ...] = ()
    target: TargetScore | None = None
    evidence: tuple[Evidence, ...] = ()
    standing_rating: str | None = None  # before a late cap
    standing_fulfillment: float | None = None
    stable_since: date | None = None  # d* of FORMAT.md §4.2 (late), when computed
    #: Format 1.1: the latest ratings of assessors left out of the consensus by their
    #: role (``grading.consensus_roles``); shown, not counted.
    excluded: tuple[AssessorRating, ...] = ()
    #: Format 1.1: the date t of the newest assessment (or target figure) that enters
    #: the consensus, from which staleness is judged (FORMAT.md §7.3).
    newest: date | None = None
    #: True for a format 1.1 rubric: the JSON carries the 1.1 keys.
    extended: bool = False
    #: Format 1.2: each counted assessor's latest verdict on a criteria or target promise
    #: (FORMAT.md §8.3) and the rule that combined them (``None``: not a measured promise).
    verdicts: tuple[AssessorRating, ...] = ()
    verdict_rule: str | None = None
    #: Format 1.2, ``stale = "drop"``: the stale ratings left out of a consensus (§8.2).
    dropped: tuple[AssessorRating, ...] = ()
    #: True for a format 1.2 rubric: the JSON carries the 1.2 keys.
    v12: bool = False


@attrs.frozen
class PromiseScore:
    """One promise's result as of the scorecard's date (FORMAT.md §4.2).

    ``fulfillment`` is in [0, 1], or ``None`` when the promise is unrated; ``rating`` is the
    consensus level id of a plain promise (``None`` for criteria and target promises);
    ``trace`` holds everything the number rests on.
    """

    id: str
    title: str
    category: str
    weight: float
    kind: Literal["plain", "criteria", "target"]
    rating: str | None
    fulfillment: float | None
    rated: bool
    overdue: bool
    late: bool
    deadline: date | None
    authority: str | None
    latest_evidence: date | None
    trace: Trace
    text: str | None = None  # the promise in the maker's words
    made_by: str | None = None
    made_on: date | None = None
    #: FORMAT.md §7.6: a level id for every promise that has a word for it (format 1.1;
    #: for format 1 the consensus ``rating``).
    status: str | None = None
    #: FORMAT.md §7.3: the newest deciding rating is older than ``grading.stale_after``.
    stale: bool = False
    tags: tuple[str, ...] = ()  # the promise's tags, in file order
    #: Format 1.2 (FORMAT.md §8.8): since when ``status`` has held (``None`` without one).
    status_since: date | None = None
    #: Format 1.2 (§8.10): sorted ids of the assessors whose counted rating of it is
    #: stale, including ratings ``stale = "drop"`` left out.
    stale_assessors: tuple[str, ...] = ()
    #: Format 1.2 extension (docs/format.md): an umbrella promise, shown beside the
    #: overall score and left out of every sum, count and coverage (:func:`headline_promises`).
    umbrella: bool = False

    @property
    def progress(self) -> float | None:
        """Format 1.2 (§8.10): f of a criteria or target promise, ``None`` for a plain one."""
        return None if self.kind == "plain" else self.fulfillment

    @property
    def measured(self) -> bool:
        """A criteria or target promise with a fulfillment but no status (no verdict):
        counted as ``measured`` (§8.10)."""
        return self.kind != "plain" and self.rated and self.status is None

    @property
    def assessors(self) -> dict[str, Any]:
        """Each counted assessor's latest level id (or value on the percent scale), by
        assessor id; for a criteria promise, by assessor id then criterion id; empty for a
        target promise (FORMAT.md §7.6)."""
        if self.kind == "criteria":
            out: dict[str, Any] = {}
            for part in self.trace.criteria:
                for r in part.ratings:
                    out.setdefault(r.by, {})[part.id] = (
                        r.rating if r.rating is not None else r.value
                    )
            return {by: out[by] for by in sorted(out)}
        return {r.by: r.rating if r.rating is not None else r.value for r in self.trace.ratings}

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "weight": self.weight,
            "kind": self.kind,
            "rating": self.rating,
            "fulfillment": self.fulfillment,
            "rated": self.rated,
            "overdue": self.overdue,
            "late": self.late,
            "deadline": _iso(self.deadline),
            "authority": self.authority,
            "latest_evidence": _iso(self.latest_evidence),
            "text": self.text,
            "made_by": self.made_by,
            "made_on": _iso(self.made_on),
        }
        if self.trace.extended:
            data["status"] = self.status
            data["stale"] = self.stale
            data["assessors"] = self.assessors
        if self.trace.v12:
            data["status_since"] = _iso(self.status_since)
            data["stale_assessors"] = list(self.stale_assessors)
            data["progress"] = self.progress
            if self.umbrella:
                data["umbrella"] = True
        if trace:
            data["trace"] = trace_to_dict(self.trace)
        return data


@attrs.frozen
class CategoryScore:
    """A category's score (``None`` when nothing in it counts), grade, weight and coverage."""

    id: str
    title: str
    score: float | None
    grade: str | None
    weight: float  # W_c: the declared weight, or Σ w_p over the promises counted
    declared_weight: float | None
    promises: int  # promises counted at as-of
    rated: int
    coverage: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "grade": self.grade,
            "weight": self.weight,
            "promises": self.promises,
            "rated": self.rated,
            "coverage": self.coverage,
        }


@attrs.frozen
class Overall:
    """The overall score (unrounded, ``None`` when nothing is rated), grade and coverage."""

    score: float | None
    grade: str | None
    coverage: float | None

    def to_dict(self) -> dict[str, Any]:
        """``{"score", "grade", "coverage"}``, as the JSON outputs hold it."""
        return {"score": self.score, "grade": self.grade, "coverage": self.coverage}


@attrs.frozen
class Scorecard:
    """Scores of a rubric as of one date (optionally for one assessor)."""

    title: str
    subject: str | None
    start: date
    end: date | None
    as_of: date
    assessor: str | None
    scale: Scale
    grading: Grading
    overall: Overall
    counts: tuple[tuple[str, int], ...]
    categories: tuple[CategoryScore, ...]
    promises: tuple[PromiseScore, ...]
    assessors: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()  # promises made after as-of
    #: ``"1"`` or ``"1.1"``: the format of the rubric scored (1.1 adds the JSON keys of
    #: FORMAT.md §7 and ``schema_version`` 2).
    format: str = "1"
    #: Every assessor the rubric names (declared, or implicit for a ``by`` without a
    #: table), in id order: display names and roles for renderers.
    assessor_details: tuple[Assessor, ...] = ()
    #: The roles that counted (``grading.consensus_roles``; every role with ``--assessor``).
    consensus_roles: tuple[str, ...] = ()
    #: Assessors whose ratings (≤ as-of) were left out of the headline by their role.
    excluded_assessors: tuple[str, ...] = ()
    #: Format 1.2 (FORMAT.md §8.10): ``(assessor id, promises it rated, its coverage)``
    #: for every assessor of ``assessor_details``, in the same order.
    assessor_coverage: tuple[tuple[str, int, float | None], ...] = ()
    #: The rubric scored. Not part of the scorecard's data (no JSON key, not compared):
    #: it lets :func:`promisescore.render` add what ``promisescore report`` adds (the
    #: warnings, the scores over time, the rating histories).
    rubric: Rubric | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def graded(self) -> bool:
        """False when the rubric has ``bands = []``: no report shows a grade (§7.5)."""
        return bool(self.grading.bands)

    def assessor_info(self, ident: str) -> Assessor:
        """The assessor with this id (an implicit independent one when unknown)."""
        for item in self.assessor_details:
            if item.id == ident:
                return item
        return Assessor.implicit(ident)

    def assessor_name(self, ident: str) -> str:
        """The display name of an assessor (its id when it has none)."""
        return self.assessor_info(ident).name

    def status_counts(self) -> tuple[tuple[str, int], ...]:
        """How many promises sit at each level by ``status`` (all promises), then
        ``unrated`` (FORMAT.md §7.6), whatever the format."""
        return status_counts(self.scale, self.promises, self.format == "1.2")

    def promise(self, promise_id: str) -> PromiseScore:
        return _by_id("promise", promise_id, self.promises)

    def category(self, category_id: str) -> CategoryScore:
        return _by_id("category", category_id, self.categories)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per promise (no pandas needed); see docs/researchers.md."""
        return scorecard_records(self)

    def to_frame(self) -> Any:
        """A tidy :class:`pandas.DataFrame`, one row per promise (needs the ``pandas``
        extra); the columns are those of :meth:`to_records`, documented in
        docs/researchers.md."""
        from ..frames import frame

        return frame(self.to_records(), scorecard_columns(self))

    def __repr__(self) -> str:
        from ..display import text

        return text(self)

    def _repr_html_(self) -> str:
        from ..display import html

        return html(self)

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        """The JSON document of FORMAT.md §5 (extended; see docs/reference/json.md)."""
        data = {
            "schema_version": schema_version(self.format),
            "title": self.title,
            "subject": self.subject,
            "as_of": self.as_of.isoformat(),
            "assessor": self.assessor,
            "scale": {
                "preset": self.scale.preset,
                "levels": [
                    {"id": lv.id, "label": lv.label, "value": lv.value, "final": lv.final}
                    for lv in self.scale.levels
                ],
            },
            "overall": self.overall.to_dict(),
            "counts": dict(self.counts),
            "categories": [c.to_dict() for c in self.categories],
            "promises": [p.to_dict(trace=trace) for p in self.promises],
            "assessors": list(self.assessors),
            "left_out": list(self.left_out),
        }
        if self.format != "1":
            data["format"] = self.format
            data["consensus_roles"] = list(self.consensus_roles)
            data["excluded_assessors"] = list(self.excluded_assessors)
            data["stale_after"] = self.grading.stale_after
            details: list[dict[str, Any]] = [
                {
                    "id": a.id,
                    "name": a.name,
                    "role": a.role,
                    "url": a.url,
                    "description": a.description,
                }
                for a in self.assessor_details
            ]
            data["assessor_details"] = details
            if self.format == "1.2":
                data["stale"] = self.grading.stale_policy
                # From the rubric, so that a card copied without its promises (the JSON
                # writer streams them) still names its umbrella promises.
                left_out = set(self.left_out)
                data["umbrella"] = (
                    [u.id for u in self.rubric.promises if u.umbrella and u.id not in left_out]
                    if self.rubric is not None
                    else [u.id for u in self.umbrellas]
                )
                for entry in details:
                    entry["rated"], entry["coverage"] = self.coverage_of(entry["id"])
        return data

    @property
    def term_over(self) -> bool:
        """Whether the card is scored past ``report.end``: the term is over, and reports
        say so (the record stays as the last assessment left it)."""
        return self.end is not None and self.as_of > self.end

    @property
    def counted(self) -> tuple[PromiseScore, ...]:
        """The promises the headline counts: all but umbrella promises
        (:func:`headline_promises`). ``len(card.counted)`` is the "of N promises" of
        every report; ``card.promises`` also holds the umbrellas."""
        return tuple(headline_promises(self.promises))

    @property
    def rated_count(self) -> int:
        """How many of :attr:`counted` are rated: the "M of N promises rated"."""
        return sum(1 for p in self.counted if p.rated)

    @property
    def umbrellas(self) -> tuple[PromiseScore, ...]:
        """Umbrella promises (format 1.2 extension): verdicts on the whole record, shown
        beside the overall score and left out of it (:func:`headline_promises`)."""
        return tuple(p for p in self.promises if p.umbrella)

    def coverage_of(self, assessor: str) -> tuple[int, float | None]:
        """Format 1.2: how many promises ``assessor`` rated and its coverage (§8.6)."""
        for ident, rated, share in self.assessor_coverage:
            if ident == assessor:
                return rated, share
        return 0, None


def headline_promises(results: Sequence[PromiseScore]) -> list[PromiseScore]:
    """The promises that enter the headline's sums, counts and coverage (FORMAT.md §4.3):
    all but umbrella promises (a format 1.2 extension, docs/format.md), which are shown
    beside the overall score as verdicts on the whole record."""
    return [p for p in results if not p.umbrella]


def status_counts(
    scale: Scale, promises: Sequence[PromiseScore], v12: bool = False
) -> tuple[tuple[str, int], ...]:
    """How many promises sit at each level by ``status``, then ``unrated`` (FORMAT.md
    §7.6); in format 1.2 also ``measured``: criteria and target promises with a
    fulfillment but no verdict (§8.10)."""
    counts: dict[str, int] = {level.id: 0 for level in scale.levels}
    counts["unrated"] = 0
    if v12:
        counts["measured"] = 0
    for item in headline_promises(promises):
        if item.status is not None:
            counts[item.status] += 1
        elif not item.rated:
            counts["unrated"] += 1
        elif v12 and item.kind != "plain":
            counts["measured"] += 1
    return tuple(counts.items())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rating_dict(item: AssessorRating, extended: bool = False, v12: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "by": item.by,
        "date": item.date.isoformat(),
        "rating": item.rating,
        "value": item.value,
        "evidence": list(item.evidence),
        "note": item.note,
        "counted": item.counted,
    }
    if extended:
        data["name"] = item.display_name
        data["role"] = item.role
        data["effective"] = _iso(item.effective_date)
        if item.criterion is not None:
            data["criterion"] = item.criterion
    if v12:
        data["stale"] = item.stale
    return data


def source_to_dict(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "date": _iso(source.date),
        "kind": source.kind,
    }


def trace_to_dict(trace: Trace) -> dict[str, Any]:
    x, v = trace.extended, trace.v12
    data = {
        "rule": trace.rule,
        "ratings": [_rating_dict(r, x, v) for r in trace.ratings],
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "weight": c.weight,
                "value": c.value,
                "rating": c.rating,
                "assessed": c.assessed,
                "rule": c.rule,
                "ratings": [_rating_dict(r, x, v) for r in c.ratings],
            }
            for c in trace.criteria
        ],
        "target": None
        if trace.target is None
        else {
            "metric": trace.target.metric,
            "unit": trace.target.unit,
            "baseline": trace.target.baseline,
            "target": trace.target.target,
            "value": trace.target.value,
            "evidence": trace.target.evidence,
            "date": _iso(trace.target.date),
        },
        "evidence": [
            {
                "id": e.id,
                "date": e.date.isoformat(),
                "criterion": e.criterion,
                "summary": e.summary,
                "effect": e.effect,
                "value": e.value,
                "quote": e.quote,
                "source": source_to_dict(e.source),
            }
            for e in trace.evidence
        ],
        "standing_rating": trace.standing_rating,
        "standing_fulfillment": trace.standing_fulfillment,
        "stable_since": _iso(trace.stable_since),
    }
    if x:
        data["excluded"] = [_rating_dict(r, x, v) for r in trace.excluded]
        data["newest"] = _iso(trace.newest)
    if v:
        data["verdicts"] = [_rating_dict(r, x, v) for r in trace.verdicts]
        data["verdict_rule"] = trace.verdict_rule
        data["dropped"] = [_rating_dict(r, x, v) for r in trace.dropped]
    return data


# --------------------------------------------------------------------------- records


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
    """The columns of :meth:`Scorecard.to_frame`: the fixed ones, then one ``rating:``
    column per assessor."""
    from ..frames import SCORECARD_COLUMNS

    return [*SCORECARD_COLUMNS, *(f"rating:{name}" for name in frame_assessors(card))]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_Identified)


def _by_id(kind: str, ident: str, items: Sequence[_T]) -> _T:
    """The item of ``items`` with this id; :class:`~promisescore.errors.UnknownIdError`
    (with close matches) when there is none."""
    for item in items:
        if item.id == ident:
            return item
    from ..errors import UnknownIdError
    from ..suggest import close_matches

    raise UnknownIdError(kind, ident, close_matches(ident, [i.id for i in items]))
