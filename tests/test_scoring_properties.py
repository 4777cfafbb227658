"""Properties of the scoring rules (FORMAT.md §4) over generated rubrics."""

from __future__ import annotations

import math
import random
from datetime import timedelta
from typing import Any

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.model import Assessment, Evidence, Rubric, Scale
from promisescore.scoring import Scorecard

from .strategies import dates, rubrics


def numbers(card: Scorecard) -> dict[str, Any]:
    """Everything numeric in a scorecard, keyed by id (order-independent)."""
    return {
        "overall": (card.overall.score, card.overall.grade, card.overall.coverage),
        "categories": {c.id: (c.score, c.grade, c.coverage, c.weight) for c in card.categories},
        "promises": {
            p.id: (p.fulfillment, p.rating, p.rated, p.overdue, p.late) for p in card.promises
        },
        "counts": dict(card.counts),
    }


def close(a: object, b: object, tol: float = 1e-9) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tol) for k in a)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b, strict=True))
    return a == b


def in_unit(value: float | None) -> bool:
    return value is None or 0.0 <= value <= 1.0


@given(rubrics(), st.none() | dates)
def test_every_score_is_in_bounds(rubric: Rubric, as_of: object) -> None:
    card = promisescore.score(rubric, as_of)  # type: ignore[arg-type]
    assert in_unit(card.overall.score)
    assert in_unit(card.overall.coverage)
    for category in card.categories:
        assert in_unit(category.score)
        assert in_unit(category.coverage)
    for item in card.promises:
        assert in_unit(item.fulfillment)
        assert item.rated == (item.fulfillment is not None)
    # a grade exactly when there is a score and a band reaching it
    if card.overall.score is None:
        assert card.overall.grade is None


def _shuffled(items: tuple[object, ...], key: object, rng: random.Random) -> list[object]:
    """Shuffle, but keep the relative order of items sharing ``key`` (FORMAT §4.2's
    same-date file-order rule depends on it)."""
    order = list(items)
    rng.shuffle(order)
    groups: dict[object, list[object]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)  # type: ignore[operator]
    taken: dict[object, int] = {}
    result = []
    for item in order:
        k = key(item)  # type: ignore[operator]
        index = taken.get(k, 0)
        taken[k] = index + 1
        result.append(groups[k][index])
    return result


@given(rubrics(), st.randoms(use_true_random=False))
def test_shuffling_changes_nothing(rubric: Rubric, rng: random.Random) -> None:
    shuffled = attrs.evolve(
        rubric,
        categories=_shuffled(rubric.categories, lambda c: c.id, rng),
        promises=_shuffled(rubric.promises, lambda p: p.id, rng),
        evidence=_shuffled(rubric.evidence, lambda e: (e.promise, e.date), rng),
        assessments=_shuffled(
            rubric.assessments, lambda a: (a.promise, a.criterion, a.by, a.date), rng
        ),
    )
    assert close(numbers(promisescore.score(shuffled)), numbers(promisescore.score(rubric)))


@given(rubrics(), st.floats(min_value=0.01, max_value=100))
def test_scaling_every_weight_changes_nothing(rubric: Rubric, factor: float) -> None:
    scaled = attrs.evolve(
        rubric,
        categories=[
            attrs.evolve(c, weight=None if c.weight is None else c.weight * factor)
            for c in rubric.categories
        ],
        promises=[
            attrs.evolve(
                p,
                weight=p.weight * factor,
                criteria=[attrs.evolve(c, weight=c.weight * factor) for c in p.criteria],
            )
            for p in rubric.promises
        ],
    )
    before, after = numbers(promisescore.score(rubric)), numbers(promisescore.score(scaled))
    # category weights scale too, so compare everything except them
    for cid in before["categories"]:
        before["categories"][cid] = before["categories"][cid][:3]
        after["categories"][cid] = after["categories"][cid][:3]
    assert close(before, after, 1e-9)


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(
    st.one_of(rubrics(scale=Scale("politifact"), allow_late=False), rubrics(allow_late=False)),
    st.data(),
)
def test_raising_a_rating_never_lowers_a_score(rubric: Rubric, data: st.DataObject) -> None:
    assume(not rubric.scale.is_percent)
    rubric = attrs.evolve(rubric, grading=attrs.evolve(rubric.grading, consensus="median"))
    levels = rubric.scale.levels
    rated = [
        i
        for i, a in enumerate(rubric.assessments)
        if not rubric.scale.level(a.rating or "").unrated
        and rubric.scale.rank(a.rating or "") < len(levels) - 1
    ]
    assume(rated)
    index = data.draw(st.sampled_from(rated))
    old = rubric.assessments[index]
    higher = [lv.id for lv in levels[rubric.scale.rank(old.rating or "") + 1 :] if not lv.unrated]
    assume(higher)
    new_rating = data.draw(st.sampled_from(higher))
    raised = attrs.evolve(
        rubric,
        assessments=[
            attrs.evolve(a, rating=new_rating) if i == index else a
            for i, a in enumerate(rubric.assessments)
        ],
    )
    as_of = rubric.default_as_of()
    before, after = promisescore.score(rubric, as_of), promisescore.score(raised, as_of)
    assume(old.promise not in before.left_out)  # made after as-of: not scored at all
    eps = 1e-12
    p_before, p_after = before.promise(old.promise), after.promise(old.promise)
    if p_before.fulfillment is not None:
        assert p_after.fulfillment is not None
        assert p_after.fulfillment >= p_before.fulfillment - eps
    c_before = before.category(p_before.category).score
    c_after = after.category(p_before.category).score
    if c_before is not None:
        assert c_after is not None
        assert c_after >= c_before - eps
    if before.overall.score is not None:
        assert after.overall.score is not None
        assert after.overall.score >= before.overall.score - eps


@given(rubrics(), st.data())
def test_items_dated_after_as_of_change_nothing(rubric: Rubric, data: st.DataObject) -> None:
    as_of = data.draw(dates)
    later = st.dates(min_value=as_of + timedelta(days=1), max_value=as_of + timedelta(days=3000))
    promise = data.draw(st.sampled_from(rubric.promises))
    extra_evidence = Evidence(
        id="zz-late-evidence",
        promise=promise.id,
        date=data.draw(later),
        summary="later",
        source=promisescore.Source("later"),
        value=1e6 if promise.target is not None else None,
    )
    changed = attrs.evolve(rubric, evidence=[*rubric.evidence, extra_evidence])
    if promise.target is None:
        level = rubric.scale.levels[-1] if rubric.scale.levels else None
        extra = Assessment(
            promise=promise.id,
            date=data.draw(later),
            rating=level.id if level else None,
            value=None if level else 1.0,
            criterion=promise.criteria[0].id if promise.criteria else None,
            by="alice",
        )
        changed = attrs.evolve(changed, assessments=[*rubric.assessments, extra])
    assert numbers(promisescore.score(changed, as_of)) == numbers(promisescore.score(rubric, as_of))


@given(rubrics())
def test_as_of_before_every_item_leaves_everything_unrated(rubric: Rubric) -> None:
    first = min(rubric.dates(), default=None)
    assume(first is not None)
    assert first is not None
    card = promisescore.score(rubric, first - timedelta(days=1))
    assert all(not p.rated for p in card.promises)
    if rubric.grading.unrated == "exclude" or not card.promises:
        assert card.overall.score is None
        assert all(c.score is None for c in card.categories)
    else:  # FORMAT §4.3: with unrated = "zero", unrated promises count 0
        assert card.overall.score == 0.0
    if card.promises:
        assert card.overall.coverage == 0.0
