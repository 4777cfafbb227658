"""Hypothesis strategies for the research tests: rubrics whose promises have tags and
makers, and lists of such rubrics to compare."""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from promisescore.model import Assessor, Rubric

from . import strategies_analysis

TAGS = ("economy", "health", "flagship")
MAKERS = ("Labour", "Liberal")


@st.composite
def research_rubrics(draw: st.DrawFn, title: str = "A rubric") -> Rubric:
    """A rubric of :func:`strategies_analysis.rubrics` whose promises get 0–2 tags (from a
    small shared set, so groups meet across rubrics), a maker or none, and a subject or
    none."""
    rubric = draw(strategies_analysis.rubrics())
    promises = tuple(
        attrs.evolve(
            p,
            tags=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))),
            made_by=draw(st.none() | st.sampled_from(MAKERS)),
        )
        for p in rubric.promises
    )
    report = attrs.evolve(
        rubric.report, title=title, subject=draw(st.none() | st.just("The government"))
    )
    return attrs.evolve(rubric, report=report, promises=promises)


@st.composite
def rubric_lists(draw: st.DrawFn, max_size: int = 3) -> list[Rubric]:
    """1 to ``max_size`` rubrics of format 1 or 1.1, titled ``Rubric 1``, ``Rubric 2``, ..."""
    size = draw(st.integers(1, max_size))
    return [
        draw(research_rubrics(title=f"Rubric {i + 1}") | rubrics_11(title=f"Rubric {i + 1}"))
        for i in range(size)
    ]


@st.composite
def rubrics_11(draw: st.DrawFn, title: str = "A rubric") -> Rubric:
    """A format 1.1 rubric of :func:`research_rubrics`: its assessors declared with
    roles (so some may be left out of the headline), and maybe a ``stale_after``."""
    rubric = draw(research_rubrics(title=title))
    declared = tuple(
        Assessor(
            name,
            f"Assessor {name.upper()}",
            draw(st.sampled_from(("self", "independent", "advocacy"))),
        )
        for name in strategies_analysis.ASSESSORS
    )
    grading = attrs.evolve(
        rubric.grading, stale_after=draw(st.sampled_from((None, "P6M", "P1Y", "P3Y")))
    )
    return attrs.evolve(rubric, format="1.1", declared_assessors=declared, grading=grading)
