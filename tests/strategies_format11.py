"""Hypothesis strategies for format 1.1 rubrics (FORMAT.md §7)."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import strategies as st

from promisescore.model import Assessment, Assessor, Grading, Rubric
from promisescore.model.parts import ROLES, ROLES_12

from .strategies import dates, rubrics

#: The roles of format 1.1 (1.2 adds desk and reviewer).
ROLES_11 = tuple(r for r in ROLES if r not in ROLES_12)


def as_11(rubric: Rubric) -> Rubric:
    """The same rubric in format 1.1, every assessor declared independent."""
    return attrs.evolve(
        rubric,
        format="1.1",
        declared_assessors=tuple(
            Assessor(a, f"Assessor {a}", "independent") for a in rubric.assessors
        ),
    )


@st.composite
def self_ratings(draw: st.DrawFn, base: Rubric, by: str = "gov") -> tuple[Assessment, ...]:
    """Up to eight assessments of ``base``'s assessable promises by ``by``, with random
    levels (or values), dates and effective dates."""
    assessable = [p for p in base.promises if p.target is None]
    if not assessable:
        return ()
    found: list[Assessment] = []
    for _ in range(draw(st.integers(0, 8))):
        promise = draw(st.sampled_from(assessable))
        criterion = draw(st.sampled_from(promise.criteria)).id if promise.criteria else None
        if base.scale.is_percent:
            rating, value = None, draw(st.floats(0, 1))
        else:
            rating, value = draw(st.sampled_from(base.scale.levels)).id, None
        when = draw(dates)
        found.append(
            Assessment(
                promise=promise.id,
                date=when,
                rating=rating,
                value=value,
                criterion=criterion,
                by=by,
                effective=draw(st.none() | st.dates(max_value=when)),
            )
        )
    return tuple(found)


@st.composite
def with_self_assessor(draw: st.DrawFn, base: Rubric) -> Rubric:
    """``base`` with a declared ``self`` assessor whose ratings are mixed in anywhere."""
    extra = draw(self_ratings(base))
    position = draw(st.integers(0, len(base.assessments)))
    return attrs.evolve(
        base,
        declared_assessors=(*base.declared_assessors, Assessor("gov", "Government", "self")),
        assessments=(*base.assessments[:position], *extra, *base.assessments[position:]),
    )


@st.composite
def rubrics_11(draw: st.DrawFn) -> Rubric:
    """A valid format 1.1 rubric: every assessor declared with a random role, random
    ``consensus_roles``, ``stale_after`` and grades or none, effective dates on some
    assessments."""
    rubric = draw(rubrics())
    declared = tuple(
        Assessor(a, f"Assessor {a}", draw(st.sampled_from(ROLES_11))) for a in rubric.assessors
    )
    assessments = []
    for item in rubric.assessments:
        effective: date | None = None
        if draw(st.booleans()):
            effective = draw(st.dates(max_value=item.date))
        assessments.append(attrs.evolve(item, effective=effective))
    grading = rubric.grading
    roles = draw(
        st.none() | st.lists(st.sampled_from(ROLES_11), unique=True, max_size=3).map(tuple)
    )
    grading = Grading(
        bands=() if draw(st.booleans()) else grading.bands,
        unrated=grading.unrated,
        consensus=grading.consensus,
        late=grading.late,
        consensus_roles=roles,
        stale_after=draw(st.none() | st.sampled_from(["P1D", "P3M", "P1Y", "P1Y6M"])),
    )
    return attrs.evolve(
        rubric,
        format="1.1",
        declared_assessors=declared,
        assessments=tuple(assessments),
        grading=grading,
    )
