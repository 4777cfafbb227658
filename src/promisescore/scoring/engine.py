"""The scoring rules of FORMAT.md §4, exactly.

``score(rubric, as_of, assessor)`` → :class:`Scorecard`. Sums use ``math.fsum`` (exactly
rounded), so the order of promises, evidence or assessments in the files cannot move a
score by more than the rounding of the final division.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import attrgetter

import attrs

from ..dates import parse_date
from ..errors import UnknownIdError
from ..model import Assessment, Assessor, Evidence, Grading, Promise, Rubric, Scale
from ..model.parts import ROLES, UNCATEGORIZED
from ..progress import Progress, Ticker
from ..suggest import close_matches
from .scorecard import (
    AssessorRating,
    CategoryScore,
    CriterionScore,
    Overall,
    PromiseScore,
    Scorecard,
    TargetScore,
    Trace,
    headline_promises,
)


def as_date(value: date | str | None, name: str = "as_of") -> date | None:
    """Accept a date, an ISO ``YYYY-MM-DD`` string, or ``None``; a ``TypeError`` naming
    the argument ``name`` for anything else."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise TypeError(f"{name} must be a date or 'YYYY-MM-DD', not {type(value).__name__}")


def score(
    rubric: Rubric,
    as_of: date | str | None = None,
    assessor: str | None = None,
    *,
    progress: Progress | None = None,
) -> Scorecard:
    """Score ``rubric`` as of a date (FORMAT.md §4.1 default), optionally for one assessor.

    Raises :class:`~promisescore.errors.UnknownIdError` for an assessor who rated nothing.
    ``progress`` is called as the promises are scored (see :mod:`promisescore.progress`).
    """
    return _score(rubric, as_of, assessor, progress)


def _score(
    rubric: Rubric, as_of: date | str | None, assessor: str | None, progress: Progress | None
) -> Scorecard:
    if not isinstance(rubric, Rubric):
        raise TypeError(
            f"score() needs a Rubric (from promisescore.load), not {type(rubric).__name__}"
        )
    if assessor is not None and not isinstance(assessor, str):
        raise TypeError(
            f"assessor must be a string (an assessor name), not {type(assessor).__name__}"
        )
    when = as_date(as_of) or rubric.default_as_of()
    if (
        assessor is not None
        and assessor not in rubric.assessors
        and assessor not in rubric.assessor_index
    ):
        known = sorted({*rubric.assessors, *rubric.assessor_index})
        raise UnknownIdError("assessor", assessor, close_matches(assessor, known))
    results: list[PromiseScore] = []
    left_out: list[str] = []
    ticker = Ticker(progress, "scoring", len(rubric.promises)) if progress is not None else None
    for promise in rubric.promises:
        if ticker is not None:
            ticker.tick()
        if promise.made_on is not None and promise.made_on > when:
            left_out.append(promise.id)
            continue
        results.append(score_promise(rubric, promise, when, assessor))
    if ticker is not None:
        ticker.finish()
    categories, overall = aggregate(rubric, results, assessor)
    report = rubric.report
    extended = rubric.format != "1"
    counted_assessors = rubric.assessors if assessor is None else (assessor,)
    excluded: tuple[str, ...] = ()
    roles: tuple[str, ...] = ROLES if assessor is not None else rubric.counted_roles
    if extended and assessor is None:
        excluded = tuple(a for a in rubric.assessors if rubric.role_of(a) not in roles)
        counted_assessors = tuple(a for a in rubric.assessors if a not in excluded)
    card = Scorecard(
        title=report.title,
        subject=report.subject,
        start=report.start,
        end=report.end,
        as_of=when,
        assessor=assessor,
        scale=rubric.scale,
        grading=rubric.grading,
        overall=overall,
        counts=level_counts(rubric.scale, results),
        categories=categories,
        promises=tuple(results),
        assessors=counted_assessors,
        left_out=tuple(left_out),
        format=rubric.format,
        assessor_details=assessor_details(rubric) if extended else (),
        consensus_roles=roles if extended else (),
        excluded_assessors=excluded,
        rubric=rubric,
        assessor_coverage=assessor_coverage(rubric, results, when)
        if rubric.format == "1.2"
        else (),
    )
    if extended:
        card = attrs.evolve(card, counts=card.status_counts())
    return card


def rated_by(rubric: Rubric, promise: Promise, assessor: str, when: date, figure: bool) -> bool:
    """Whether ``assessor`` rated ``promise`` as of ``when``, i.e. the promise is rated in
    that assessor's view (``score(..., assessor=...)``, FORMAT.md §4.2 and §8.6): a plain
    promise when the assessor's latest rating is not at an unrated level; a criteria
    promise when it assessed a criterion; a target promise (which has a ``figure``) when
    it gave a verdict."""
    own = [
        a
        for a in rubric.assessments_by_promise.get(promise.id, ())
        if a.by == assessor and a.date <= when
    ]
    if not own:
        return False
    if promise.criteria:
        return any(a.criterion is not None for a in own)
    if promise.target is not None:
        return figure and rubric.format == "1.2" and any(a.criterion is None for a in own)
    latest = latest_by_assessor(own)[assessor]
    scale = rubric.scale
    return scale.is_percent or not scale.level(latest.rating or "").unrated


def assessor_coverage(
    rubric: Rubric, results: Sequence[PromiseScore], when: date
) -> tuple[tuple[str, int, float | None], ...]:
    """For every assessor (in id order): how many of the promises counted as of ``when``
    it rated, and its coverage, Σ w over those / Σ w over all counted (FORMAT.md §8.6,
    §8.10; ``None`` when no promise is counted)."""
    results = headline_promises(results)
    total = math.fsum(p.weight for p in results)
    promises = rubric.promise_index
    out: list[tuple[str, int, float | None]] = []
    for who in assessor_details(rubric):
        mine = [
            p
            for p in results
            if rated_by(
                rubric,
                promises[p.id],
                who.id,
                when,
                p.trace.target is not None and p.trace.target.value is not None,
            )
        ]
        weight = math.fsum(p.weight for p in mine)
        out.append((who.id, len(mine), weight / total if results else None))
    return tuple(out)


def assessor_details(rubric: Rubric) -> tuple[Assessor, ...]:
    """Every assessor the rubric declares or names in ``by``, in id order."""
    ids = sorted({*rubric.assessor_index, *rubric.assessors})
    return tuple(rubric.assessor(ident) for ident in ids)


def status_of(
    scale: Scale,
    kind: str,
    rating: str | None,
    fulfillment: float | None,
    deadline: date | None,
    when: date,
) -> str | None:
    """FORMAT.md §7.6: the display status of a promise (a level id, or ``None``).

    Plain promises: the consensus level. Criteria and target promises: with f = 1 the
    highest-ranked final level of value 1; otherwise, on or before the deadline (or
    without one) the highest-ranked non-final level whose value ≤ f, after it the
    highest-ranked final level whose value ≤ f; if no level qualifies, the highest-ranked
    level whose value ≤ f, else ``None``. Unrated promises and the percent scale: ``None``.
    """
    if fulfillment is None or scale.is_percent:
        return None
    if kind == "plain":
        return rating
    f = fulfillment
    rated = [level for level in scale.levels if level.value is not None]
    if f >= 1.0:
        wanted = [level for level in rated if level.final and level.value == 1.0]
    elif deadline is None or when <= deadline:
        wanted = [level for level in rated if not level.final and (level.value or 0.0) <= f]
    else:
        wanted = [level for level in rated if level.final and (level.value or 0.0) <= f]
    if not wanted:
        wanted = [level for level in rated if (level.value or 0.0) <= f]
    return wanted[-1].id if wanted else None


def level_counts(scale: Scale, results: Iterable[PromiseScore]) -> tuple[tuple[str, int], ...]:
    """How many plain promises sit at each level by consensus, then ``unrated``
    (FORMAT.md §5 ``counts``; criteria and target promises are not counted)."""
    counts: dict[str, int] = {level.id: 0 for level in scale.levels}
    counts["unrated"] = 0
    for item in headline_promises(list(results)):
        if item.kind != "plain":
            continue
        if not item.rated:
            counts["unrated"] += 1
        elif item.rating is not None:
            counts[item.rating] += 1
    return tuple(counts.items())


# --------------------------------------------------------------------------- consensus


def latest_by_assessor(
    assessments: Iterable[Assessment], *, by_effective: bool = False
) -> dict[str, Assessment]:
    """Each assessor's latest assessment; on the same date the later one in file order.

    With ``by_effective``, latest by effective date (FORMAT.md §7.2, the late rule).
    """
    latest: dict[str, Assessment] = {}
    if by_effective:
        for item in assessments:
            current = latest.get(item.by)
            if current is None or item.effective_date >= current.effective_date:
                latest[item.by] = item
        return latest
    for item in assessments:
        current = latest.get(item.by)
        if current is None or item.date >= current.date:
            latest[item.by] = item
    return latest


#: Describes an assessor for the ratings of format 1.1 (display name and role).
Describe = Callable[[str], Assessor]


def _lower_median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def combine(values: Sequence[float], rule: str) -> float:
    """Combine ranks (or percent values) by a consensus rule."""
    if rule == "min":
        return min(values)
    if rule == "max":
        return max(values)
    if rule == "mean":
        return math.fsum(values) / len(values)
    return _lower_median(values)


@attrs.frozen
class _Consensus:
    ratings: tuple[AssessorRating, ...]
    rating: str | None  # level id (None on the percent scale or when nothing counted)
    rank: int | None
    value: float | None  # None when no assessor's rating counted
    rule: str
    #: Format 1.2 with ``stale = "drop"``: the stale ratings left out (FORMAT.md §8.2).
    dropped: tuple[AssessorRating, ...] = ()


#: Whether a counted rating is stale (format 1.2, FORMAT.md §8.2).
StaleCheck = Callable[[AssessorRating], bool]


def stale_check(rubric: Rubric, when: date) -> StaleCheck | None:
    """FORMAT.md §8.2: a counted rating is stale as of ``when`` when its level is not
    final and date + stale_after < when (``None``: nothing can be stale, i.e. before format
    1.2 or without ``stale_after``)."""
    grading = rubric.grading
    if rubric.format != "1.2" or grading.stale_after is None:
        return None
    scale = rubric.scale
    finals = frozenset(level.id for level in scale.levels if level.final)

    def check(rating: AssessorRating) -> bool:
        if not rating.counted or rating.rating in finals:
            return False
        return grading.is_stale(rating.date, when)

    return check


def _rating(
    item: Assessment,
    scale: Scale,
    describe: Describe | None,
    criterion: str | None = None,
    stale: StaleCheck | None = None,
) -> AssessorRating:
    if scale.is_percent:
        counted, value = True, item.value
    else:
        level = scale.level(item.rating or "")
        counted, value = not level.unrated, level.value
    if describe is None:
        return AssessorRating(
            by=item.by,
            date=item.date,
            rating=item.rating,
            value=value,
            evidence=item.evidence,
            note=item.note,
            counted=counted,
        )
    who = describe(item.by)
    rating = AssessorRating(
        by=item.by,
        date=item.date,
        rating=item.rating,
        value=value,
        evidence=item.evidence,
        note=item.note,
        counted=counted,
        name=who.name,
        role=who.role,
        effective=item.effective,
        criterion=criterion,
    )
    if stale is not None and stale(rating):
        rating = attrs.evolve(rating, stale=True)
    return rating


def consensus(
    assessments: Iterable[Assessment],
    scale: Scale,
    rule: str,
    describe: Describe | None = None,
    *,
    by_effective: bool = False,
    stale: StaleCheck | None = None,
    drop: bool = False,
    criterion: str | None = None,
) -> _Consensus:
    """The consensus of each assessor's latest rating (FORMAT.md §4.2). In format 1.2,
    ``stale`` marks stale ratings and ``drop`` leaves them out when a counted rating that
    is not stale remains (§8.2)."""
    latest = latest_by_assessor(assessments, by_effective=by_effective)
    ratings = [_rating(latest[by], scale, describe, criterion, stale) for by in sorted(latest)]
    counted_ratings = [r for r in ratings if r.counted]
    dropped: tuple[AssessorRating, ...] = ()
    if drop and any(r.stale for r in counted_ratings):
        fresh = [r for r in counted_ratings if not r.stale]
        if fresh:
            dropped = tuple(r for r in counted_ratings if r.stale)
            counted_ratings = fresh
            ratings = [r for r in ratings if not r.stale]
    if not counted_ratings:
        why = "no assessment" if not ratings else "every assessor's latest rating is unrated"
        return _Consensus(tuple(ratings), None, None, None, why)
    if scale.is_percent:
        values = [r.value for r in counted_ratings if r.value is not None]
        value = combine(values, rule)
        described = ", ".join(f"{r.display_name}: {r.value:g}" for r in counted_ratings)
        text = f"{_rule_name(rule)} of {len(values)} value(s) ({described}) = {value:.4g}"
        return _Consensus(tuple(ratings), None, None, value, text, dropped)
    ranks = [scale.rank(r.rating or "") for r in counted_ratings]
    rank = int(combine(ranks, rule))
    level = scale.levels[rank]
    described = ", ".join(f"{r.display_name}: {r.rating}" for r in counted_ratings)
    text = f"{_rule_name(rule)} of {len(ranks)} rating(s) ({described}) → {level.id}"
    return _Consensus(tuple(ratings), level.id, rank, level.value, text, dropped)


def _rule_name(rule: str) -> str:
    return {"median": "lower median", "mean": "mean"}.get(rule, rule)


# --------------------------------------------------------------------------- one promise


@attrs.frozen
class _Standing:
    rating: str | None
    rank: int | None
    fulfillment: float | None
    rule: str
    ratings: tuple[AssessorRating, ...] = ()
    criteria: tuple[CriterionScore, ...] = ()
    target: TargetScore | None = None
    #: Format 1.2: the consensus of the verdicts on a criteria or target promise
    #: (FORMAT.md §8.3), and the stale ratings ``stale = "drop"`` left out (§8.2).
    verdict: _Consensus | None = None
    dropped: tuple[AssessorRating, ...] = ()

    def key(self, kind: str) -> object:
        """What must stay the same for the promise to "stand where it stands" (§4.2 late)."""
        if kind == "plain" and self.rank is not None:
            return ("rank", self.rank)
        if kind == "plain" and self.fulfillment is not None:
            return ("full", self.fulfillment >= 1.0)
        if self.fulfillment is None:
            return None
        return ("full", self.fulfillment >= 1.0)


def _standing(
    promise: Promise,
    assessments: Sequence[Assessment],
    evidence: Sequence[Evidence],
    scale: Scale,
    rule: str,
    describe: Describe | None = None,
    *,
    by_effective: bool = False,
    stale: StaleCheck | None = None,
    drop: bool = False,
    verdicts: bool = False,
) -> _Standing:
    """A promise's standing from its assessments and evidence (FORMAT.md §4.2). With
    ``verdicts`` (format 1.2), the assessments of a criteria or target promise that name
    no criterion are verdicts: their consensus is the promise's status (§8.3) and they
    never change f."""
    standing = _figures(
        promise,
        assessments,
        evidence,
        scale,
        rule,
        describe,
        by_effective=by_effective,
        stale=stale,
        drop=drop,
    )
    if not verdicts or promise.kind == "plain":
        return standing
    said = [a for a in assessments if a.criterion is None]
    verdict = consensus(
        said, scale, rule, describe, by_effective=by_effective, stale=stale, drop=drop
    )
    return attrs.evolve(standing, verdict=verdict, dropped=(*standing.dropped, *verdict.dropped))


def _figures(
    promise: Promise,
    assessments: Sequence[Assessment],
    evidence: Sequence[Evidence],
    scale: Scale,
    rule: str,
    describe: Describe | None = None,
    *,
    by_effective: bool = False,
    stale: StaleCheck | None = None,
    drop: bool = False,
) -> _Standing:
    if promise.target is not None:
        latest: Evidence | None = None
        for item in evidence:
            if item.value is not None and (latest is None or item.date >= latest.date):
                latest = item
        goal = promise.target
        if latest is None or latest.value is None:
            return _Standing(
                None,
                None,
                None,
                "no evidence with a value yet",
                target=TargetScore(
                    goal.metric, goal.unit, goal.baseline, goal.target, None, None, None
                ),
            )
        f = goal.fulfillment(latest.value)
        text = (
            f"clamp(({latest.value:g} − {goal.baseline:g}) / ({goal.target:g} − "
            f"{goal.baseline:g}), 0, 1) = {f:.4g}"
        )
        return _Standing(
            None,
            None,
            f,
            text,
            target=TargetScore(
                goal.metric,
                goal.unit,
                goal.baseline,
                goal.target,
                latest.value,
                latest.id,
                latest.date,
            ),
        )
    if promise.criteria:
        parts: list[CriterionScore] = []
        dropped: list[AssessorRating] = []
        for criterion in promise.criteria:
            own = [a for a in assessments if a.criterion == criterion.id]
            result = consensus(
                own, scale, rule, describe, by_effective=by_effective, stale=stale, drop=drop
            )
            dropped.extend(result.dropped)
            parts.append(
                CriterionScore(
                    id=criterion.id,
                    title=criterion.title,
                    weight=criterion.weight,
                    value=result.value if result.value is not None else 0.0,
                    rating=result.rating,
                    assessed=bool(own),
                    ratings=result.ratings,
                    rule=result.rule if own else "not assessed: counts 0",
                )
            )
        if not any(part.assessed for part in parts):
            return _Standing(
                None,
                None,
                None,
                "no criterion assessed yet",
                criteria=tuple(parts),
                dropped=tuple(dropped),
            )
        total = math.fsum(part.weight for part in parts)
        f = math.fsum(part.weight * part.value for part in parts) / total
        terms = " + ".join(f"{part.weight:g}×{part.value:g}" for part in parts)
        text = f"({terms}) / {total:g} = {f:.4g}"
        return _Standing(None, None, f, text, criteria=tuple(parts), dropped=tuple(dropped))
    result = consensus(
        assessments, scale, rule, describe, by_effective=by_effective, stale=stale, drop=drop
    )
    return _Standing(
        result.rating,
        result.rank,
        result.value,
        result.rule,
        ratings=result.ratings,
        dropped=result.dropped,
    )


def _reached_full(kind: str, standing: _Standing, scale: Scale) -> bool:
    if kind == "plain" and standing.rating is not None:
        level = scale.level(standing.rating)
        return level.final and level.value == 1.0
    return standing.fulfillment is not None and standing.fulfillment >= 1.0


#: The order of a trace's evidence: by date, then id.
_DATE_AND_ID = attrgetter("date", "id")
_DATE = attrgetter("date")
_ID = attrgetter("id")


def score_promise(
    rubric: Rubric, promise: Promise, when: date, assessor: str | None = None
) -> PromiseScore:
    """Score one promise as of ``when`` (FORMAT.md §4.2)."""
    scale = rubric.scale
    grading = rubric.grading
    rule = grading.consensus
    extended = rubric.format != "1"
    found = rubric.assessments_by_promise.get(promise.id, ())
    if assessor is None:
        assessments = [a for a in found if a.date <= when]
    else:
        assessments = [a for a in found if a.date <= when and a.by == assessor]
    describe: Describe | None = None
    excluded: tuple[AssessorRating, ...] = ()
    if extended:
        describe = rubric.assessor
        roles = rubric.counted_roles
        if assessor is None and (rubric.assessor_index or "independent" not in roles):
            role_of = rubric.role_of
            left = [a for a in assessments if role_of(a.by) not in roles]
            if left:
                assessments = [a for a in assessments if role_of(a.by) in roles]
                excluded = _excluded(left, scale, describe)
    attached = [e for e in rubric.evidence_by_promise.get(promise.id, ()) if e.date <= when]
    v12 = rubric.format == "1.2"
    stale_rule = stale_check(rubric, when) if v12 else None
    drop = v12 and grading.stale_policy == "drop"
    standing = _standing(
        promise,
        assessments,
        attached,
        scale,
        rule,
        describe,
        stale=stale_rule,
        drop=drop,
        verdicts=v12,
    )
    if (
        v12
        and assessor is not None
        and promise.target is not None
        and not any(a.criterion is None for a in assessments)
    ):
        # FORMAT.md §8.6: a promise scored by figures alone belongs to no assessor
        standing = attrs.evolve(
            standing,
            fulfillment=None,
            rule=f"not assessed by {assessor}: a figure alone belongs to no assessor",
        )
    if excluded and not assessments and promise.target is None:
        standing = attrs.evolve(
            standing,
            rule="no assessment by an assessor whose role counts ("
            + (", ".join(rubric.counted_roles) or "none")
            + ")",
        )
    kind = promise.kind
    deadline = rubric.deadline_of(promise)

    rating, fulfillment = standing.rating, standing.fulfillment
    late = False
    stable_since: date | None = None
    if grading.late is not None and deadline is not None and fulfillment is not None:
        cap = scale.level(grading.late)
        cap_rank = scale.rank(grading.late)
        above = (
            standing.rank is not None
            and standing.rank > cap_rank
            and scale.levels[standing.rank].final
            if kind == "plain"
            else fulfillment >= 1.0
        )
        if above:
            stable_since = _stable_since(promise, assessments, attached, scale, rule, standing)
            if stable_since > deadline:
                late = True
                rating = cap.id if kind == "plain" else None
                fulfillment = cap.value

    overdue = deadline is not None and deadline < when and not _reached_full(kind, standing, scale)
    newest = _newest(standing) if fulfillment is not None else None
    status = status_of(scale, kind, rating, fulfillment, deadline, when)
    status_since: date | None = None
    stale_assessors: tuple[str, ...] = ()
    if v12:
        status = _status12(kind, rating, standing, scale)
        stale = _stale12(standing, grading, when)
        stale_assessors = tuple(sorted({r.by for r in _all_ratings(standing) if r.stale}))
        if late:  # capped by the late rule: at its standing (and so the cap) since d*
            status_since = stable_since
        elif status is not None:
            status_since = _status_since(promise, assessments, scale, rule, standing, status, when)
    else:
        stale = newest is not None and grading.is_stale(newest, when)

    cited: set[str] = {ref for r in standing.ratings for ref in r.evidence}
    for part in standing.criteria:
        cited.update(ref for r in part.ratings for ref in r.evidence)
    evidence_ids = set(map(_ID, attached))
    index = rubric.evidence_index
    extra = [index[ref] for ref in cited - evidence_ids if ref in index and index[ref].date <= when]
    evidence = sorted([*attached, *extra], key=_DATE_AND_ID)

    trace = Trace(
        kind=kind,
        rule=standing.rule,
        ratings=standing.ratings,
        criteria=standing.criteria,
        target=standing.target,
        evidence=tuple(evidence),
        standing_rating=standing.rating,
        standing_fulfillment=standing.fulfillment,
        stable_since=stable_since,
        excluded=excluded,
        newest=newest,
        extended=extended,
        verdicts=() if standing.verdict is None else standing.verdict.ratings,
        verdict_rule=None if standing.verdict is None else standing.verdict.rule,
        dropped=standing.dropped,
        v12=v12,
    )
    return PromiseScore(
        id=promise.id,
        title=promise.title,
        category=promise.category_id,
        weight=promise.weight,
        kind=kind,
        rating=rating if kind == "plain" else None,
        fulfillment=fulfillment,
        rated=fulfillment is not None,
        overdue=overdue,
        late=late,
        deadline=deadline,
        authority=promise.authority,
        latest_evidence=max(map(_DATE, attached), default=None),
        trace=trace,
        text=promise.text,
        made_by=promise.made_by,
        made_on=promise.made_on,
        status=status,
        stale=stale,
        tags=promise.tags,
        status_since=status_since,
        stale_assessors=stale_assessors,
        umbrella=promise.umbrella,
    )


def _all_ratings(standing: _Standing) -> list[AssessorRating]:
    """Every rating a standing rests on or left out as stale (criteria and verdicts too)."""
    found = [*standing.ratings, *standing.dropped]
    for part in standing.criteria:
        found.extend(part.ratings)
    if standing.verdict is not None:
        found.extend(standing.verdict.ratings)
    return found


def _status12(kind: str, rating: str | None, standing: _Standing, scale: Scale) -> str | None:
    """FORMAT.md §8.3: a plain promise's status is its consensus level (as in §7.6); a
    criteria or target promise's is the consensus of its counted verdicts, or ``None``
    (no §7.6 derivation); on the percent scale, ``None``."""
    if scale.is_percent:
        return None
    if kind == "plain":
        return rating
    return None if standing.verdict is None else standing.verdict.rating


def _stale12(standing: _Standing, grading: Grading, when: date) -> bool:
    """FORMAT.md §8.2: a promise is stale when a rating entering its consensus (after
    ``drop``) is stale; one scored by a target figure with no counted verdict, when the
    figure counts (not in an assessor's view that left it out) and its date +
    stale_after < when."""
    entering = [r for r in standing.ratings if r.counted]
    for part in standing.criteria:
        entering.extend(r for r in part.ratings if r.counted)
    verdicts = (
        [] if standing.verdict is None else [r for r in standing.verdict.ratings if r.counted]
    )
    entering.extend(verdicts)
    if any(r.stale for r in entering):
        return True
    target = standing.target
    if target is None or verdicts or target.date is None:
        return False
    # a figure left out of the view (``--assessor``: it belongs to no assessor, §8.6)
    # scores nothing there, so it has nothing to be stale
    return standing.fulfillment is not None and grading.is_stale(target.date, when)


def _status_since(
    promise: Promise,
    assessments: Sequence[Assessment],
    scale: Scale,
    rule: str,
    now: _Standing,
    status: str,
    when: date,
) -> date:
    """``status_since`` of FORMAT.md §8.8: the earliest effective date d such that, at
    every date from d to ``when``, the status computed from the assessments (dated ≤
    ``when``, each placed at its effective date) is ``status``.

    The replay uses the assessments the status rests on at ``when``: those whose latest
    rating ``stale = "drop"`` left out are left out of it too (docs/format.md, "Format 1.2
    choices"). If no candidate date gives ``status`` (an assessor's later-written rating
    is effective before an earlier one), it is the date the newest assessment was written.
    """
    if promise.kind == "plain":
        said = list(assessments)
        left = {r.by for r in now.dropped}
    else:  # the status of a measured promise is its verdicts' (§8.3)
        said = [a for a in assessments if a.criterion is None]
        left = {r.by for r in now.verdict.dropped} if now.verdict is not None else set()
    used = [a for a in said if a.by not in left]
    changes = sorted({a.effective_date for a in used}, reverse=True)
    since: date | None = None
    for moment in changes:
        placed = [a for a in used if a.effective_date <= moment]
        result = consensus(placed, scale, rule, by_effective=True)
        if result.rating != status:
            break
        since = moment
    if since is None:
        return max(a.date for a in used) if used else when
    return since


def _newest(standing: _Standing) -> date | None:
    """t of FORMAT.md §7.3: the newest assessment entering the consensus (over every
    criterion), or the date of a target's deciding figure."""
    if standing.target is not None:
        return standing.target.date
    ratings = [r for r in standing.ratings if r.counted]
    for part in standing.criteria:
        ratings.extend(r for r in part.ratings if r.counted)
    return max((r.date for r in ratings), default=None)


def _excluded(
    assessments: Sequence[Assessment], scale: Scale, describe: Describe
) -> tuple[AssessorRating, ...]:
    """The latest rating of each assessor left out by role (per criterion), for display."""
    groups: dict[str | None, list[Assessment]] = {}
    for item in assessments:
        groups.setdefault(item.criterion, []).append(item)
    out: list[AssessorRating] = []
    for criterion in sorted(groups, key=lambda c: c or ""):
        latest = latest_by_assessor(groups[criterion])
        out.extend(_rating(latest[by], scale, describe, criterion) for by in sorted(latest))
    return tuple(out)


def _stable_since(
    promise: Promise,
    assessments: Sequence[Assessment],
    evidence: Sequence[Evidence],
    scale: Scale,
    rule: str,
    now: _Standing,
) -> date:
    """d* of FORMAT.md §4.2: since when the promise has stood where it stands now."""
    kind = promise.kind
    if kind != "target" and any(a.effective is not None for a in assessments):
        return _stable_since_effective(promise, assessments, scale, rule, now)
    if kind == "target":
        changes = sorted({e.date for e in evidence if e.value is not None})
    else:
        changes = sorted({a.date for a in assessments})
    target_key = now.key(kind)
    since = changes[-1]
    for moment in reversed(changes[:-1]):
        earlier = _standing(
            promise,
            [a for a in assessments if a.date <= moment],
            [e for e in evidence if e.date <= moment],
            scale,
            rule,
        )
        if earlier.key(kind) != target_key:
            break
        since = moment
    return since


def _stable_since_effective(
    promise: Promise,
    assessments: Sequence[Assessment],
    scale: Scale,
    rule: str,
    now: _Standing,
) -> date:
    """d* of FORMAT.md §7.2: assessments placed at their effective dates.

    The standing at a date d uses the assessments (all dated ≤ D) whose effective date is
    ≤ d, each assessor's latest by (effective, file order); candidate dates are the
    effective dates. If even with every assessment the promise does not stand where it
    stands at D (an assessor's later-written rating is effective before an earlier one),
    d* is the date the newest assessment was written.
    """
    kind = promise.kind
    changes = sorted({a.effective_date for a in assessments})
    target_key = now.key(kind)
    since: date | None = None
    for moment in reversed(changes):
        earlier = _standing(
            promise,
            [a for a in assessments if a.effective_date <= moment],
            (),
            scale,
            rule,
            by_effective=True,
        )
        if earlier.key(kind) != target_key:
            break
        since = moment
    if since is None:
        return max(a.date for a in assessments)
    return since


# --------------------------------------------------------------------------- aggregation


def aggregate(
    rubric: Rubric, results: Sequence[PromiseScore], assessor: str | None = None
) -> tuple[tuple[CategoryScore, ...], Overall]:
    """Category and overall scores and coverage from promise scores (FORMAT.md §4.3).

    ``assessor``: the results are that assessor's view; in format 1.2 a category it
    rated nothing in has no score, even with ``unrated = "zero"`` (§8.6)."""
    grading = rubric.grading
    own_view = assessor is not None and rubric.format == "1.2"
    zero = grading.unrated == "zero"
    results = headline_promises(results)
    members: dict[str, list[PromiseScore]] = {c.id: [] for c in rubric.categories}
    for item in results:
        members.setdefault(item.category, []).append(item)
    declared = rubric.category_index
    categories: list[CategoryScore] = []
    for category_id, items in members.items():
        counted = items if zero else [p for p in items if p.rated]
        denominator = math.fsum(p.weight for p in counted)
        value: float | None = None
        if own_view and not any(p.rated for p in items):
            counted = []  # FORMAT.md §8.6: nothing of this category rated by the assessor
        if counted:
            value = math.fsum(p.weight * (p.fulfillment or 0.0) for p in counted) / denominator
        category = declared.get(category_id)
        declared_weight = category.weight if category is not None else None
        all_weight = math.fsum(p.weight for p in items)
        rated_weight = math.fsum(p.weight for p in items if p.rated)
        categories.append(
            CategoryScore(
                id=category_id,
                title=category.title if category is not None else _uncategorized_title(category_id),
                score=value,
                grade=grading.grade(value),
                weight=declared_weight if declared_weight is not None else denominator,
                declared_weight=declared_weight,
                promises=len(items),
                rated=sum(1 for p in items if p.rated),
                coverage=rated_weight / all_weight if items else None,
            )
        )
    scored = [c for c in categories if c.score is not None]
    overall_score: float | None = None
    if scored:
        overall_score = math.fsum(c.weight * (c.score or 0.0) for c in scored) / math.fsum(
            c.weight for c in scored
        )
    total = math.fsum(p.weight for p in results)
    coverage = math.fsum(p.weight for p in results if p.rated) / total if results else None
    return tuple(categories), Overall(overall_score, grading.grade(overall_score), coverage)


def _uncategorized_title(category_id: str) -> str:
    return "Uncategorized" if category_id == UNCATEGORIZED else category_id
