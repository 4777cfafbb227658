"""Hypothesis strategies for the analysis tests: small, valid rubrics with a history.

Rubrics are built with the model's constructors (so they are validated). Dates come from
a handful of offsets from ``report.start`` so that assessments often share a date, fall
on the 100-day or yearly marks, or straddle a deadline.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from promisescore.model import (
    Assessment,
    Category,
    Criterion,
    Evidence,
    Grading,
    Promise,
    Report,
    Rubric,
    Scale,
    Source,
    Target,
)
from promisescore.model.parts import Consensus, UnratedPolicy

START = date(2021, 1, 20)
END = date(2025, 1, 20)
OFFSETS = (0, 30, 99, 100, 101, 200, 365, 366, 500, 730, 1000, 1200)
ASSESSORS = ("a", "b", "c")
UNRATED: tuple[UnratedPolicy, ...] = ("exclude", "zero")
LATE_LEVEL = {
    "politifact": "compromise",
    "cppg": "partially-fulfilled",
    "polimetre": "in-the-works",
}


def day(offset: int) -> date:
    return START + timedelta(days=offset)


dates = st.sampled_from(OFFSETS).map(day)
SOURCE = Source("a source", kind="report")


@st.composite
def rubrics(
    draw: st.DrawFn, scales: tuple[str, ...] = ("politifact", "cppg", "polimetre", "percent")
) -> Rubric:
    """A valid rubric of 1–6 promises (plain, criteria, target) rated by 1–3 assessors."""
    preset = draw(st.sampled_from(scales))
    scale = Scale(preset)
    percent = scale.is_percent
    rated_levels = [level.id for level in scale.levels]
    rules: tuple[Consensus, ...] = ("median", "min", "max")
    consensus = draw(st.sampled_from((*rules, "mean") if percent else rules))
    late = None if percent else draw(st.one_of(st.none(), st.just(LATE_LEVEL[preset])))
    grading = Grading(unrated=draw(st.sampled_from(UNRATED)), consensus=consensus, late=late)
    n_categories = draw(st.integers(0, 3))
    categories = [
        Category(
            f"c{i}",
            f"Category {i}",
            weight=draw(st.one_of(st.none(), st.sampled_from((0.5, 1.0, 3.0)))),
        )
        for i in range(n_categories)
    ]
    assessors = ASSESSORS[: draw(st.integers(1, 3))]
    promises: list[Promise] = []
    evidence: list[Evidence] = []
    assessments: list[Assessment] = []

    def rating() -> dict[str, Any]:
        if percent:
            return {"value": draw(st.sampled_from((0.0, 0.25, 0.5, 0.9, 1.0)))}
        return {"rating": draw(st.sampled_from(rated_levels))}

    for i in range(draw(st.integers(1, 6))):
        pid = f"p{i}"
        kind = draw(st.sampled_from(("plain", "plain", "criteria", "target")))
        category = (
            draw(st.one_of(st.none(), st.sampled_from([c.id for c in categories])))
            if categories
            else None
        )
        deadline = draw(
            st.one_of(st.none(), dates, st.sampled_from(("P100D", "P1Y", "end-of-term")))
        )
        made_on = draw(st.one_of(st.none(), dates))
        weight = draw(st.sampled_from((0.5, 1.0, 2.0, 3.0)))
        criteria: tuple[Criterion, ...] = ()
        target = None
        if kind == "criteria":
            criteria = tuple(
                Criterion(f"k{j}", f"Criterion {j}", weight=draw(st.sampled_from((1.0, 2.0))))
                for j in range(draw(st.integers(1, 3)))
            )
        elif kind == "target":
            target = Target("metric", 0.0, 10.0)
        promises.append(
            Promise(
                pid,
                f"Promise {i}",
                category=category,
                weight=weight,
                made_on=made_on,
                deadline=deadline,
                criteria=criteria,
                target=target,
            )
        )
        for j in range(draw(st.integers(0, 3))):
            value = draw(st.sampled_from((0.0, 4.0, 10.0, 12.0))) if target is not None else None
            evidence.append(
                Evidence(f"e{i}-{j}", pid, draw(dates), "something happened", SOURCE, value=value)
            )
        if target is not None:
            continue
        for _ in range(draw(st.integers(0, 5))):
            criterion = draw(st.sampled_from([c.id for c in criteria])) if criteria else None
            assessments.append(
                Assessment(
                    pid,
                    draw(dates),
                    criterion=criterion,
                    by=draw(st.sampled_from(assessors)),
                    **rating(),
                )
            )
    as_of = draw(st.one_of(st.none(), dates))
    return Rubric(
        report=Report("A rubric", START, end=END, as_of=as_of),
        scale=scale,
        grading=grading,
        categories=tuple(categories),
        promises=tuple(promises),
        evidence=tuple(evidence),
        assessments=tuple(assessments),
    )
