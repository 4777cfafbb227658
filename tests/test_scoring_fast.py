"""The scoring engine's fast path for plain promises equals the general path.

``_PlainScorer`` scores the plain promises of a format 1 rubric on a level scale
without :func:`score_promise`'s general machinery, and builds the result objects by
filling their slots (:mod:`promisescore.scoring.filled`). These tests prove both give
what the general path gives: equal objects, the same JSON, for random rubrics and for
the edge cases written out below.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.model import (
    Assessment,
    Category,
    Evidence,
    Grading,
    Level,
    Promise,
    Report,
    Rubric,
    Scale,
    Source,
)
from promisescore.scoring import engine, score
from promisescore.scoring.engine import score_promise
from promisescore.scoring.filled import filler
from promisescore.scoring.scorecard import (
    AssessorRating,
    CategoryScore,
    Overall,
    PromiseScore,
    Trace,
)

from .strategies import dates, rubrics
from .strategies_format11 import rubrics_11


def _general(
    rubric: Rubric, as_of: Any = None, assessor: str | None = None
) -> promisescore.Scorecard:
    """The scorecard with every promise scored by :func:`score_promise`."""
    original = engine._PlainScorer.for_run
    engine._PlainScorer.for_run = classmethod(lambda cls, *args: None)  # type: ignore[method-assign,assignment]
    try:
        return score(rubric, as_of, assessor)
    finally:
        engine._PlainScorer.for_run = original  # type: ignore[method-assign]


def _fast_ids(rubric: Rubric, as_of: Any, assessor: str | None) -> set[str]:
    """The promises the fast path scores (it must take some, or the test is idle)."""
    when = engine.as_date(as_of) or rubric.default_as_of()
    scorer = engine._PlainScorer.for_run(rubric, as_of, when, assessor)
    if scorer is None:
        return set()
    return {
        p.id
        for p in rubric.promises
        if not (p.made_on is not None and p.made_on > when) and scorer.score(p) is not None
    }


def _fast_count(rubric: Rubric, as_of: Any, assessor: str | None) -> int:
    return len(_fast_ids(rubric, as_of, assessor))


def _json(card: promisescore.Scorecard) -> str:
    return json.dumps(card.to_dict(), indent=2, ensure_ascii=False)


def _assert_same(rubric: Rubric, as_of: Any = None, assessor: str | None = None) -> None:
    fast = score(rubric, as_of, assessor)
    slow = _general(rubric, as_of, assessor)
    assert fast == slow
    assert _json(fast) == _json(slow)  # also the types of the values (1 vs 1.0)
    when = fast.as_of
    for item in fast.promises:
        expected = score_promise(rubric, rubric.promise(item.id), when, assessor)
        assert item == expected
        assert item.trace == expected.trace
        assert [type(r) for r in item.trace.ratings] == [AssessorRating] * len(item.trace.ratings)
        for name in attrs.fields_dict(PromiseScore):
            assert type(getattr(item, name)) is type(getattr(expected, name)), name


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rubrics(), st.none() | dates, st.data())
def test_fast_path_equals_the_general_path(rubric: Rubric, as_of: Any, data: Any) -> None:
    assessor = data.draw(st.none() | st.sampled_from(rubric.assessors or ("nobody",)))
    if assessor is not None and assessor not in rubric.assessors:
        assessor = None
    _assert_same(rubric, as_of, assessor)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(rubrics_11(), st.none() | dates)
def test_format_11_takes_the_general_path(rubric: Rubric, as_of: Any) -> None:
    assert _fast_count(rubric, as_of, None) == 0
    _assert_same(rubric, as_of)


def test_random_rubrics_do_reach_the_fast_path() -> None:
    """The property above is not idle: many of its rubrics go through the fast path."""
    reached = []

    @settings(max_examples=100, deadline=None, derandomize=True)
    @given(rubrics(), st.none() | dates)
    def count(rubric: Rubric, as_of: Any) -> None:
        reached.append(_fast_count(rubric, as_of, None))

    count()
    assert sum(1 for n in reached if n) > 30


# --------------------------------------------------------------------------- edge cases

START = date(2020, 1, 1)


def _rubric(
    assessments: list[tuple[str, str, str, date, tuple[str, ...]]],
    *,
    consensus: str = "median",
    scale: Scale | None = None,
    evidence: list[tuple[str, str, date]] | None = None,
    as_of: date | None = None,
    deadline: Any = None,
    late: str | None = None,
    extra: list[Promise] | None = None,
) -> Rubric:
    scale = scale or Scale("politifact")
    items = [
        Evidence(
            id=eid,
            promise=pid,
            date=when,
            summary=f"summary of {eid} — «ünïcode»",
            source=Source(title=f"source {eid}", kind="record"),
        )
        for eid, pid, when in (
            evidence
            if evidence is not None
            else [("e1", "p1", date(2020, 3, 1)), ("e2", "p1", date(2020, 2, 1))]
        )
    ]
    return Rubric(
        report=Report(title="T", start=START, end=date(2024, 1, 1), as_of=as_of),
        scale=scale,
        grading=Grading(consensus=consensus, late=late),  # type: ignore[arg-type]
        categories=(Category("c", "C"),),
        promises=(
            Promise(id="p1", title="One", category="c", deadline=deadline),
            Promise(id="p2", title="Two", category="c", weight=2.5),
            *(extra or []),
        ),
        evidence=tuple(items),
        assessments=tuple(
            Assessment(promise=pid, date=when, rating=level, by=by, evidence=cited)
            for pid, by, level, when, cited in assessments
        ),
    )


D1, D2, D3 = date(2020, 2, 1), date(2020, 3, 1), date(2020, 4, 1)

CASES: dict[str, Rubric] = {
    "unrated promises (no assessment at all)": _rubric([]),
    "one assessor": _rubric([("p1", "a", "kept", D1, ("e1",))]),
    "latest by date, then file order": _rubric(
        [
            ("p1", "a", "kept", D2, ()),
            ("p1", "a", "broken", D2, ()),
            ("p1", "a", "stalled", D1, ()),
            ("p1", "b", "compromise", D1, ("e2",)),
        ]
    ),
    "every latest rating unrated": _rubric(
        [
            ("p1", "a", "not-yet-rated", D1, ()),
            ("p1", "b", "kept", D1, ()),
            ("p1", "b", "not-yet-rated", D2, ()),
        ]
    ),
    "evidence cited from another promise": _rubric(
        [("p2", "a", "kept", D1, ("e1", "e2")), ("p1", "b", "broken", D3, ("e2",))]
    ),
    "evidence on the same date sorted by id": _rubric(
        [("p1", "a", "kept", D3, ("e9",))],
        evidence=[("e9", "p1", D1), ("e1", "p1", D1), ("e5", "p2", D1), ("e0", "p1", D2)],
    ),
    "min rule": _rubric(
        [("p1", "a", "kept", D1, ()), ("p1", "b", "broken", D1, ())], consensus="min"
    ),
    "max rule": _rubric(
        [("p1", "a", "kept", D1, ()), ("p1", "b", "broken", D1, ())], consensus="max"
    ),
    "as-of set: later items left out": _rubric(
        [("p1", "a", "kept", D3, ("e1",)), ("p1", "b", "broken", D1, ())], as_of=D2
    ),
    "deadline on the as-of date": _rubric([("p1", "a", "stalled", D1, ())], deadline=D2),
    "overdue, at a level of value 1 that is not final": _rubric(
        [("p1", "a", "done", D1, ()), ("p2", "a", "over", D1, ())],
        deadline=date(2020, 1, 15),
        scale=Scale(
            levels=(
                Level("none", "None", 0.0),
                Level("done", "Done", 1.0),
                Level("over", "Over", 1.0, final=True),
            )
        ),
    ),
    "overdue deadline": _rubric([("p1", "a", "stalled", D1, ())], deadline=date(2020, 1, 15)),
    "deadline with a late rule (general path)": _rubric(
        [("p1", "a", "kept", D3, ())], deadline=date(2020, 1, 15), late="compromise"
    ),
    "late rule, no deadline": _rubric([("p1", "a", "kept", D3, ())], late="compromise"),
    "percent scale (general path)": _rubric([], scale=Scale("percent")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_edge_cases_equal_the_general_path(name: str) -> None:
    rubric = CASES[name]
    assert ("p1" in _fast_ids(rubric, None, None)) == ("general path" not in name)
    for as_of in (None, D1, D2, date(2030, 1, 1)):
        for assessor in (None, *rubric.assessors):
            _assert_same(rubric, as_of, assessor)


def test_the_bundled_rubrics_score_alike_both_ways() -> None:
    from pathlib import Path

    for path in sorted((Path(__file__).resolve().parents[1] / "rubrics").glob("*.toml")):
        rubric = promisescore.load(path)
        _assert_same(rubric)


# --------------------------------------------------------------------------- filler


@pytest.mark.parametrize("cls", [AssessorRating, Trace, PromiseScore, CategoryScore, Overall])
def test_filled_objects_equal_constructed_ones(cls: type) -> None:
    values = [f"value {field.name}" for field in attrs.fields(cls)]
    made = cls(*values[: _positional(cls)], **_keywords(cls, values))
    filled = filler(cls)(*values)
    assert filled == made
    assert attrs.astuple(filled, recurse=False) == attrs.astuple(made, recurse=False)
    assert hash(filled) == hash(made)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        filled.x = 1


def _positional(cls: type) -> int:
    return sum(1 for f in attrs.fields(cls) if not f.kw_only)


def _keywords(cls: type, values: list[Any]) -> dict[str, Any]:
    return {f.name: value for f, value in zip(attrs.fields(cls), values, strict=True) if f.kw_only}


def test_filler_refuses_classes_whose_init_does_more() -> None:
    with pytest.raises(TypeError, match="init hooks"):
        filler(Promise)  # __attrs_post_init__ checks
    with pytest.raises(TypeError, match="not a slotted attrs class"):
        filler(dict)

    @attrs.frozen
    class Converted:
        x: float = attrs.field(converter=float)

    with pytest.raises(TypeError, match="needs its __init__"):
        filler(Converted)


def test_filler_source_is_visible_to_tracebacks() -> None:
    import linecache

    fill = filler(Trace)
    lines = linecache.getlines(fill.__code__.co_filename)
    assert lines[0].startswith("def fill(kind, rule, ratings,")
