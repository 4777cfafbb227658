"""Hypothesis strategies for format 1.2 rubrics (FORMAT.md §8)."""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from promisescore.model import Assessment, Assessor, Rubric

from .strategies import dates
from .strategies_format11 import ROLES_11, rubrics_11

#: Roles a counted 1.2 assessor may have (the reviewer is added on its own).
COUNTED_ROLES_12 = (*ROLES_11, "desk")


def as_12(rubric: Rubric) -> Rubric:
    """``rubric`` (format 1.1) declared format 1.2 with nothing else changed."""
    return attrs.evolve(rubric, format="1.2")


@st.composite
def rubrics_12(draw: st.DrawFn) -> Rubric:
    """A valid format 1.2 rubric: a 1.1 rubric whose assessors may be desks, with
    ``stale = "flag"`` or ``"drop"`` (or none), and verdicts on some criteria and target
    promises."""
    base = draw(rubrics_11())
    declared = tuple(
        attrs.evolve(a, role=draw(st.sampled_from(COUNTED_ROLES_12)))
        for a in base.declared_assessors
    )
    grading = base.grading
    roles = grading.consensus_roles
    if roles is not None and draw(st.booleans()):
        roles = tuple(dict.fromkeys((*roles, "desk")))
    grading = attrs.evolve(
        grading, consensus_roles=roles, stale=draw(st.sampled_from([None, "flag", "drop"]))
    )
    verdicts: list[Assessment] = []
    measured = [p for p in base.promises if p.kind != "plain"]
    if measured and declared and not base.scale.is_percent:
        for _ in range(draw(st.integers(0, 6))):
            promise = draw(st.sampled_from(measured))
            verdicts.append(
                Assessment(
                    promise=promise.id,
                    date=draw(dates),
                    rating=draw(st.sampled_from(base.scale.levels)).id,
                    by=draw(st.sampled_from(declared)).id,
                )
            )
    return attrs.evolve(
        base,
        format="1.2",
        declared_assessors=declared,
        grading=grading,
        assessments=(*base.assessments, *verdicts),
    )


@st.composite
def reviewer_ratings(draw: st.DrawFn, base: Rubric, by: str = "second-read") -> Rubric:
    """``base`` with a declared reviewer whose ratings (of criteria, plain promises and
    verdicts) are mixed in anywhere."""
    extra: list[Assessment] = []
    for _ in range(draw(st.integers(0, 8))):
        promise = draw(st.sampled_from(base.promises))
        criterion = None
        if promise.criteria and draw(st.booleans()):
            criterion = draw(st.sampled_from(promise.criteria)).id
        if base.scale.is_percent:
            if promise.kind != "plain" and criterion is None:
                continue
            rating, value = None, draw(st.floats(0, 1))
        else:
            rating, value = draw(st.sampled_from(base.scale.levels)).id, None
        extra.append(
            Assessment(
                promise=promise.id,
                date=draw(dates),
                rating=rating,
                value=value,
                criterion=criterion,
                by=by,
            )
        )
    position = draw(st.integers(0, len(base.assessments)))
    return attrs.evolve(
        base,
        declared_assessors=(*base.declared_assessors, Assessor(by, "Second read", "reviewer")),
        assessments=(*base.assessments[:position], *extra, *base.assessments[position:]),
    )
