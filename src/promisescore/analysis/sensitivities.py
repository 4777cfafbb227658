"""How much the overall score and grade depend on the rubric's own choices.

Every grade rests on weights and level values someone chose. ``sensitivity(rubric)``
reports, beside the declared score:

- the score with **equal weights**: every promise and criterion weight 1 and no declared
  category weights, so the overall score is the plain mean over rated promises;
- Monte Carlo intervals of the overall score when
  ``weights``: every promise, criterion and declared category weight is multiplied by an
  independent factor drawn uniformly from [1 − s, 1 + s] (``weight_spread`` s, default
  0.5, i.e. ×0.5 to ×1.5);
  ``values``: every rated level's value moves uniformly within
  [v − t·(v − v₋), v + t·(v₊ − v)], v₋ and v₊ being the values of the levels below and
  above it (its own value at either end of the scale), t = ``value_spread`` (default 1:
  anywhere between its neighbours' values); the drawn values are then sorted, which
  keeps the scale's order and each value inside its own range;
  ``both``: the two at once;
- for each, the 5th, 50th and 95th percentiles (linear interpolation between closest
  ranks, Hyndman & Fan type 7 — NumPy's default), the minimum and maximum, and the
  share of samples whose grade differs from the declared grade.

Draws come from :class:`random.Random` seeded with ``f"{seed}/{name}"`` for each
perturbation, so results depend only on the rubric, the seed and the options. With a
spread of 0 every sample is exactly the declared score.

Samples reuse the engine: each promise's standing (consensus ranks, criteria ratings,
target value, late cap) does not depend on weights or level values, so a sample
re-weights the engine's own :class:`~promisescore.scoring.PromiseScore` objects and
re-aggregates them with :func:`~promisescore.scoring.engine.aggregate`. The one case where a
level value can change a standing — a criteria promise under ``grading.late``, whose
"reached f = 1" depends on values — is re-scored in full with
:func:`~promisescore.scoring.engine.score_promise`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from ..model import Category, Rubric, Scale
from ..model.rubric import trusted
from ..scoring import Overall, PromiseScore, score
from ..scoring.engine import aggregate, as_date, score_promise

PERTURBATIONS: tuple[str, ...] = ("weights", "values", "both")


def percentile(ordered: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0–100) of sorted data, interpolating linearly (type 7)."""
    if not ordered:
        raise ValueError("no data")
    if not 0 <= p <= 100:
        raise ValueError("p must be in [0, 100]")
    h = (len(ordered) - 1) * p / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    low, high = ordered[lo], ordered[hi]
    if low == high:
        return low
    return low + (h - lo) * (high - low)


# --------------------------------------------------------------------------- draws


@attrs.frozen
class Draw:
    """One sample's choices: weight multipliers and level values (absent = unchanged)."""

    promise_weights: Mapping[str, float] = attrs.field(factory=dict)
    criterion_weights: Mapping[tuple[str, str], float] = attrs.field(factory=dict)
    category_weights: Mapping[str, float] = attrs.field(factory=dict)
    values: Mapping[str, float] = attrs.field(factory=dict)


def _factor(rng: random.Random, spread: float) -> float:
    return 1.0 + spread * (2.0 * rng.random() - 1.0)


def _draw(
    rng: random.Random,
    rubric: Rubric,
    card_promises: Sequence[PromiseScore],
    weights: float | None,
    values: float | None,
) -> Draw:
    promise_w: dict[str, float] = {}
    criterion_w: dict[tuple[str, str], float] = {}
    category_w: dict[str, float] = {}
    level_v: dict[str, float] = {}
    if weights is not None:
        for item in card_promises:
            promise_w[item.id] = _factor(rng, weights)
            for part in item.trace.criteria:
                criterion_w[(item.id, part.id)] = _factor(rng, weights)
        for category in rubric.categories:
            if category.weight is not None:
                category_w[category.id] = _factor(rng, weights)
    if values is not None:
        rated = [level for level in rubric.scale.levels if level.value is not None]
        drawn: list[float] = []
        for i, level in enumerate(rated):
            v = level.value or 0.0
            below = rated[i - 1].value if i > 0 else v
            above = rated[i + 1].value if i + 1 < len(rated) else v
            lo = v - values * (v - (below if below is not None else v))
            hi = v + values * ((above if above is not None else v) - v)
            drawn.append(lo + rng.random() * (hi - lo))
        drawn.sort()
        level_v = {level.id: value for level, value in zip(rated, drawn, strict=True)}
    return Draw(promise_w, criterion_w, category_w, level_v)


def perturbed_rubric(rubric: Rubric, draw: Draw) -> Rubric:
    """The rubric with a draw's weights and level values (not re-validated)."""
    scale = rubric.scale
    if draw.values:
        scale = Scale(
            levels=tuple(
                attrs.evolve(level, value=draw.values.get(level.id, level.value))
                for level in scale.levels
            )
        )
    promises = tuple(
        attrs.evolve(
            p,
            weight=p.weight * draw.promise_weights.get(p.id, 1.0),
            criteria=tuple(
                attrs.evolve(c, weight=c.weight * draw.criterion_weights.get((p.id, c.id), 1.0))
                for c in p.criteria
            ),
        )
        for p in rubric.promises
    )
    categories = _scaled_categories(rubric, draw)
    with trusted():
        return attrs.evolve(rubric, scale=scale, promises=promises, categories=categories)


def _scaled_categories(rubric: Rubric, draw: Draw) -> tuple[Category, ...]:
    """The rubric's categories with the draw's weight factors (unweighted ones as they are)."""
    return tuple(
        attrs.evolve(c, weight=c.weight * draw.category_weights.get(c.id, 1.0))
        if c.weight is not None
        else c
        for c in rubric.categories
    )


def _categories_only(rubric: Rubric, draw: Draw) -> Rubric:
    if not draw.category_weights:
        return rubric
    categories = _scaled_categories(rubric, draw)
    with trusted():
        return attrs.evolve(rubric, categories=categories)


def _needs_rescore(rubric: Rubric, item: PromiseScore) -> bool:
    return (
        rubric.grading.late is not None
        and item.kind == "criteria"
        and item.deadline is not None
        and item.rated
    )


def _fulfillment(rubric: Rubric, item: PromiseScore, draw: Draw) -> float | None:
    """The promise's f under the draw's level values and criterion weights."""
    if not item.rated or (not draw.values and not draw.criterion_weights):
        return item.fulfillment
    values = draw.values
    late = rubric.grading.late
    if item.late and late is not None:
        return values.get(late, item.fulfillment)
    if item.kind == "plain":
        return values.get(item.rating, item.fulfillment) if item.rating else item.fulfillment
    if item.kind == "criteria":
        parts = item.trace.criteria
        weights = [c.weight * draw.criterion_weights.get((item.id, c.id), 1.0) for c in parts]
        scores = [values.get(c.rating, c.value) if c.rating else c.value for c in parts]
        total = math.fsum(weights)
        return math.fsum(w * v for w, v in zip(weights, scores, strict=True)) / total
    return item.fulfillment


def sample_overall(
    rubric: Rubric, promises: Sequence[PromiseScore], when: date, assessor: str | None, draw: Draw
) -> Overall:
    """The overall score of ``score(perturbed_rubric(rubric, draw), when, assessor)``,
    from the unperturbed promise scores (see the module notes)."""
    full: Rubric | None = None
    results: list[PromiseScore] = []
    for item in promises:
        if draw.values and _needs_rescore(rubric, item):
            if full is None:
                full = perturbed_rubric(rubric, draw)
            results.append(score_promise(full, full.promise_index[item.id], when, assessor))
            continue
        weight = item.weight * draw.promise_weights.get(item.id, 1.0)
        f = _fulfillment(rubric, item, draw)
        if weight == item.weight and f == item.fulfillment:
            results.append(item)
        else:
            results.append(attrs.evolve(item, weight=weight, fulfillment=f))
    _, overall = aggregate(_categories_only(rubric, draw), results)
    return overall


# --------------------------------------------------------------------------- results


@attrs.frozen
class Perturbation:
    """The spread of the overall score under one kind of perturbation."""

    name: str  # weights, values or both
    samples: int
    scored: int  # samples with a score
    low: float | None  # 5th percentile
    median: float | None
    high: float | None  # 95th percentile
    min: float | None
    max: float | None
    #: Share of samples whose grade differs from the declared grade.
    grade_change: float | None
    #: How many samples got each grade, best band first (``"none"`` for no score).
    grades: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "samples": self.samples,
            "p5": self.low,
            "p50": self.median,
            "p95": self.high,
            "min": self.min,
            "max": self.max,
            "grade_change": self.grade_change,
            "grades": dict(self.grades),
        }


@attrs.frozen
class Sensitivity:
    """The declared score beside equal weights and perturbed weights and values."""

    title: str
    as_of: date
    assessor: str | None
    samples: int
    seed: int
    weight_spread: float
    value_spread: float
    declared: Overall
    equal_weights: Overall
    perturbations: tuple[Perturbation, ...]
    #: Whether the rubric has grades (``False`` with ``bands = []``, FORMAT.md §7.5).
    graded: bool = True

    def perturbation(self, name: str) -> Perturbation:
        for item in self.perturbations:
            if item.name == name:
                return item
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        def overall(value: Overall) -> dict[str, Any]:
            return {"score": value.score, "grade": value.grade, "coverage": value.coverage}

        return {
            "schema_version": 1,
            "title": self.title,
            "as_of": self.as_of.isoformat(),
            "assessor": self.assessor,
            "samples": self.samples,
            "seed": self.seed,
            "weight_spread": self.weight_spread,
            "value_spread": self.value_spread,
            "percentiles": "linear interpolation between closest ranks (Hyndman & Fan type 7)",
            "declared": overall(self.declared),
            "equal_weights": overall(self.equal_weights),
            "perturbations": [p.to_dict() for p in self.perturbations],
        }


def equal_weights(rubric: Rubric) -> Rubric:
    """The rubric with every promise and criterion weight 1 and no category weights."""
    promises = tuple(
        attrs.evolve(p, weight=1.0, criteria=tuple(attrs.evolve(c, weight=1.0) for c in p.criteria))
        for p in rubric.promises
    )
    categories = tuple(attrs.evolve(c, weight=None) for c in rubric.categories)
    with trusted():
        return attrs.evolve(rubric, promises=promises, categories=categories)


def _summary(
    name: str, declared: Overall, overalls: Sequence[Overall], bands: Sequence[str]
) -> Perturbation:
    scores = sorted(o.score for o in overalls if o.score is not None)
    counts: dict[str, int] = dict.fromkeys(bands, 0)
    for item in overalls:
        key = item.grade if item.grade is not None else "none"
        counts[key] = counts.get(key, 0) + 1
    changed = sum(1 for o in overalls if o.grade != declared.grade)
    # `bands = []` (FORMAT.md §7.5): no grades, so no grade to change and none to count.
    graded = bool(bands) and bool(overalls)
    return Perturbation(
        name=name,
        samples=len(overalls),
        scored=len(scores),
        low=percentile(scores, 5) if scores else None,
        median=percentile(scores, 50) if scores else None,
        high=percentile(scores, 95) if scores else None,
        min=scores[0] if scores else None,
        max=scores[-1] if scores else None,
        grade_change=changed / len(overalls) if graded else None,
        grades=tuple((grade, count) for grade, count in counts.items() if count) if bands else (),
    )


#: The most draws per perturbation (``sensitivity --samples`` has the same bound).
MAX_SAMPLES = 1_000_000


def sensitivity(
    rubric: Rubric,
    samples: int = 1000,
    seed: int = 0,
    *,
    as_of: date | str | None = None,
    assessor: str | None = None,
    weight_spread: float = 0.5,
    value_spread: float = 1.0,
) -> Sensitivity:
    """How much the overall score and grade depend on weights and level values.

    ``samples`` ≥ 1 draws per perturbation; ``weight_spread`` in [0, 1) (weights stay
    positive); ``value_spread`` in [0, 1]. Raises ``ValueError`` for other values and
    :class:`~promisescore.errors.UnknownIdError` for an unknown assessor.
    """
    from ..arguments import require, whole_number

    require(rubric, Rubric, "rubric", "a Rubric")
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"samples must be a whole number ≥ 1, not {samples!r}")
    whole_number(samples, "samples", 1, MAX_SAMPLES)  # as `sensitivity --samples`
    whole_number(seed, "seed", -(2**63), 2**63 - 1)
    require(weight_spread, (int, float), "weight_spread", "a number")
    if not (math.isfinite(weight_spread) and 0.0 <= weight_spread < 1.0):
        raise ValueError(f"weight spread must be in [0, 1), not {weight_spread!r}")
    if not (math.isfinite(value_spread) and 0.0 <= value_spread <= 1.0):
        raise ValueError(f"value spread must be in [0, 1], not {value_spread!r}")
    when = as_date(as_of) or rubric.default_as_of()
    card = score(rubric, when, assessor)
    equal = score(equal_weights(rubric), when, assessor).overall
    bands = [band.grade for band in rubric.grading.bands]

    results: list[Perturbation] = []
    for name in PERTURBATIONS:
        if name != "weights" and rubric.scale.is_percent:
            continue  # no levels: nothing to move
        rng = random.Random(f"{seed}/{name}")
        w = weight_spread if name in ("weights", "both") else None
        v = value_spread if name in ("values", "both") else None
        overalls = [
            sample_overall(
                rubric, card.promises, when, assessor, _draw(rng, rubric, card.promises, w, v)
            )
            for _ in range(samples)
        ]
        results.append(_summary(name, card.overall, overalls, bands))
    return Sensitivity(
        title=rubric.report.title,
        as_of=when,
        assessor=assessor,
        samples=samples,
        seed=seed,
        weight_spread=weight_spread,
        value_spread=value_spread,
        declared=card.overall,
        equal_weights=equal,
        perturbations=tuple(results),
        graded=bool(bands),
    )
