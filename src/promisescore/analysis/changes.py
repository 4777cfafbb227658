"""What moved a score between two dates: re-ratings or the promises counted (FORMAT.md §8.5).

Between two scorings D1 < D2 of the same rubric, C is the set of promises that enter the
sums of §4.3 at both (rated promises; with ``unrated = "zero"``, every promise made by
then). The change of the overall score splits into

- ``rerated`` = overall(D2 over C) − overall(D1 over C): §4.3 computed over C alone;
- ``composition`` = total − ``rerated``: promises newly counted or no longer counted.

When C is empty, ``rerated`` is 0. The same split applies to each category (C restricted
to the category's promises: those of C in that category at both dates, so a promise that
two versions of a rubric put in different categories is composition in both).
:func:`change_between` computes it from the promise results of the two dates, with the
engine's own :func:`~promisescore.scoring.aggregate`, once for the overall score and
every category; the JSON of ``diff`` and ``timeline`` and every renderer take it from
there.

The parts sum to the total exactly, in floating point (``rerated + composition ==
total``): see :func:`exact_split`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from ..model import Rubric
from ..scoring import PromiseScore
from ..scoring.engine import aggregate

#: The grid of the last resort of :func:`exact_split`: multiples of 2⁻⁵⁰, on which sums
#: and differences of numbers of magnitude ≤ 2 are exact.
_GRID = 2.0**50


def _near(value: float, steps: int) -> list[float]:
    """``value``, then its neighbours 1, 2, ... ``steps`` units in the last place away."""
    found = [value]
    up = down = value
    for _ in range(steps):
        up = math.nextafter(up, math.inf)
        down = math.nextafter(down, -math.inf)
        found += [up, down]
    return found


def exact_split(total: float, rerated: float) -> tuple[float, float, float]:
    """``(total, rerated, composition)`` with ``composition = total − rerated`` and
    ``rerated + composition == total`` exactly in floating point.

    ``composition`` is always ``total − rerated`` as Python computes it. Usually that is
    all; when the rounding of that subtraction keeps the sum from giving back ``total``
    (it can, for some pairs of floats), ``rerated`` moves by a few units in the last
    place (it is itself the rounded difference of two scores), and in the rarest cases
    both are rounded to a multiple of 2⁻⁵⁰ (a change of at most 2⁻⁵¹, far below any
    printed digit)."""
    for candidate in _near(rerated, 4):
        composition = total - candidate
        if candidate + composition == total:
            return total, candidate, composition
    total = round(total * _GRID) / _GRID
    rerated = round(rerated * _GRID) / _GRID
    return total, rerated, total - rerated


@attrs.frozen
class ScoreChange:
    """One score's change (``None`` throughout when it has no score at one of the dates).

    ``joined`` and ``left`` count the promises behind ``composition``: newly counted at
    the later date, and no longer counted (so that a report says which moved it; they
    are not in the JSON, whose keys are FORMAT.md §8.10's)."""

    total: float | None
    rerated: float | None
    composition: float | None
    joined: int = attrs.field(default=0, eq=False)
    left: int = attrs.field(default=0, eq=False)

    def to_dict(self) -> dict[str, Any]:
        """``{"total", "rerated", "composition"}`` (FORMAT.md §8.10)."""
        return {"total": self.total, "rerated": self.rerated, "composition": self.composition}


@attrs.frozen
class Change:
    """The split of the overall score's change and of each category's (FORMAT.md §8.5)."""

    overall: ScoreChange
    #: ``(category id, its change)``, in the categories' order at the later date.
    categories: tuple[tuple[str, ScoreChange], ...] = ()
    #: How many promises enter the sums at both dates (the set C).
    common: int = 0

    def category(self, category_id: str) -> ScoreChange | None:
        """The change of one category (``None`` when it is not in the later scoring)."""
        for ident, change in self.categories:
            if ident == category_id:
                return change
        return None

    def to_dict(self) -> dict[str, Any]:
        """The overall change, as timeline points and diffs hold it (``change``)."""
        return self.overall.to_dict()


def _counted(rubric: Rubric, results: Sequence[PromiseScore]) -> set[str]:
    """The promises that enter §4.3's sums: rated ones, or all with ``unrated = "zero"``."""
    if rubric.grading.unrated == "zero":
        return {p.id for p in results}
    return {p.id for p in results if p.rated}


def _split(
    before: float | None,
    after: float | None,
    before_c: float | None,
    after_c: float | None,
    moved: tuple[int, int] = (0, 0),
) -> ScoreChange:
    if before is None or after is None:
        return ScoreChange(None, None, None)
    rerated = 0.0
    if before_c is not None and after_c is not None:
        rerated = after_c - before_c
    return ScoreChange(*exact_split(after - before, rerated), *moved)


def change_between(
    rubric: Rubric,
    before: Sequence[PromiseScore],
    after: Sequence[PromiseScore],
    assessor: str | None = None,
    old_rubric: Rubric | None = None,
    old_assessor: str | None = None,
) -> Change:
    """The change from the promise results ``before`` (D1) to ``after`` (D2), split
    (FORMAT.md §8.5). ``old_rubric`` scored ``before`` when it is another version of
    the rubric (``diff``); ``assessor`` (``old_assessor`` for ``before``): the results
    are that assessor's view."""
    old = old_rubric if old_rubric is not None else rubric
    before_view = old_assessor
    counted_before, counted_after = _counted(old, before), _counted(rubric, after)
    common = counted_before & counted_after
    # the promises behind `composition` (an umbrella promise is in no sum)
    umbrellas = {p.id for p in (*before, *after) if p.umbrella}
    joined, left = counted_after - common - umbrellas, counted_before - common - umbrellas
    cats_before, overall_before = aggregate(old, before, before_view)
    cats_after, overall_after = aggregate(rubric, after, assessor)
    in_before = [p for p in before if p.id in common]
    in_after = [p for p in after if p.id in common]
    c_cats_before, c_before = aggregate(old, in_before, before_view)
    c_cats_after, c_after = aggregate(rubric, in_after, assessor)
    moved = (len(joined), len(left))
    overall = _split(
        overall_before.score, overall_after.score, c_before.score, c_after.score, moved
    )
    if not common:
        overall = _split(overall_before.score, overall_after.score, 0.0, 0.0, moved)
    # a category's C: the promises of C in that category at both dates (two versions of
    # a rubric may move a promise: it leaves one category and joins another, in neither
    # a re-rating)
    category_before = {p.id: p.category for p in in_before}
    stayed = {p.id for p in in_after if category_before.get(p.id) == p.category}
    if stayed != common:
        c_cats_before, _ = aggregate(old, [p for p in in_before if p.id in stayed], before_view)
        c_cats_after, _ = aggregate(rubric, [p for p in in_after if p.id in stayed], assessor)
    scores_before = {c.id: c.score for c in cats_before}
    common_before = {c.id: c.score for c in c_cats_before}
    common_after = {c.id: c.score for c in c_cats_after}
    categories: list[tuple[str, ScoreChange]] = []
    joined_in = [p.category for p in after if p.id in joined]
    left_from = [p.category for p in before if p.id in left]
    moved_in = [p.category for p in in_after if p.id not in stayed]  # joined it
    moved_from = [p.category for p in in_before if p.id not in stayed]  # left it
    for category in cats_after:
        ident = category.id
        has_common = common_after.get(ident) is not None and common_before.get(ident) is not None
        categories.append(
            (
                ident,
                _split(
                    scores_before.get(ident),
                    category.score,
                    common_before.get(ident) if has_common else 0.0,
                    common_after.get(ident) if has_common else 0.0,
                    (
                        joined_in.count(ident) + moved_in.count(ident),
                        left_from.count(ident) + moved_from.count(ident),
                    ),
                ),
            )
        )
    return Change(overall, tuple(categories), len(common))
