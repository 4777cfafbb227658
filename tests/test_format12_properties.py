"""Properties of format 1.2 (FORMAT.md §8): a 1.1 rubric scores the same numbers when
declared 1.2; a reviewer's ratings never change a reader-facing number; every change
splits exactly into ``rerated + composition == total``, the overall one and each
category's, in the library and in the JSON of ``timeline`` and ``diff``."""

from __future__ import annotations

import itertools
import json
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore as ps
from promisescore.model import Rubric
from promisescore.scoring.verdicts import verdict_warnings

from .strategies import dates
from .strategies_format11 import rubrics_11
from .strategies_format12 import as_12, reviewer_ratings, rubrics_12

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _numbers(card: ps.Scorecard) -> dict[str, Any]:
    """Everything of a scorecard a reader sees as a number or a word."""
    return {
        "overall": card.overall,
        "categories": card.categories,
        "counts": card.counts,
        "promises": [
            (
                p.id,
                p.rating,
                p.fulfillment,
                p.rated,
                p.overdue,
                p.late,
                p.status,
                p.stale,
                p.status_since,
                p.stale_assessors,
            )
            for p in card.promises
        ],
    }


@SETTINGS
@given(rubrics_11(), st.none() | dates)
def test_a_11_rubric_declared_12_keeps_its_numbers(rubric: Rubric, when: Any) -> None:
    """Without 1.2 keys, 1.2 changes only words (statuses of measured promises), staleness
    and grades: every score, fulfillment, rating and flag is that of the 1.1 run."""
    twelve = as_12(rubric)  # built in Python: its bands are kept, so its grades too
    if any(a.role == "desk" for a in twelve.declared_assessors):
        return
    old, new = ps.score(rubric, when), ps.score(twelve, when)
    assert new.overall == old.overall
    assert new.categories == old.categories
    for a, b in zip(old.promises, new.promises, strict=True):
        assert (a.id, a.rating, a.fulfillment, a.rated, a.overdue, a.late) == (
            b.id,
            b.rating,
            b.fulfillment,
            b.rated,
            b.overdue,
            b.late,
        )
        if a.kind == "plain":
            assert a.status == b.status
    if rubric.grading.stale_after is None:
        assert [p.stale for p in old.promises] == [p.stale for p in new.promises]
    # the 1.1 JSON is the 1.1 JSON: no 1.2 key leaks into it
    data = json.loads(ps.render(old, "json"))
    assert data["schema_version"] == 2
    assert "stale" not in data
    assert "measured" not in data["counts"]
    assert all("status_since" not in p for p in data["promises"])


@SETTINGS
@given(st.data())
def test_a_reviewer_never_changes_a_reader_facing_number(data: st.DataObject) -> None:
    rubric = data.draw(rubrics_12())
    when = data.draw(st.none() | dates)
    reviewed = data.draw(reviewer_ratings(rubric))
    before, after = ps.score(rubric, when), ps.score(reviewed, when)
    assert _numbers(after) == _numbers(before)
    assert after.as_of == before.as_of
    # the timeline too: the same dates, scores, counts, events and changes
    assert ps.timeline(reviewed, until=when).points == ps.timeline(rubric, until=when).points
    # and the warnings about the record (W106, W108): a reviewer's later rating never
    # silences "evidence newer than the latest assessment", nor raises one
    assert _record_warnings(reviewed) == _record_warnings(rubric)


def _record_warnings(rubric: Rubric) -> list[tuple[str, str]]:
    """The 1.2 warnings computed from the headline's standing (W106, W108)."""
    return [(p.code, p.message) for p in verdict_warnings(rubric)]


@SETTINGS
@given(rubrics_12(), st.lists(dates, min_size=2, max_size=4, unique=True))
def test_every_change_splits_exactly(rubric: Rubric, at: list[Any]) -> None:
    points = ps.timeline(rubric, at=at).points
    assert points[0].change is None
    for previous, point in itertools.pairwise(points):
        change = point.change
        assert change is not None
        for part in (change.overall, *(c for _, c in change.categories)):
            if part.total is None:
                assert part.rerated is None
                assert part.composition is None
                continue
            assert part.rerated is not None
            assert part.composition is not None
            assert part.rerated + part.composition == part.total
            assert part.composition == part.total - part.rerated
        old, new = previous.overall.score, point.overall.score
        if old is not None and new is not None:
            assert abs(change.overall.total - (new - old)) <= 2.0**-50  # type: ignore[operator]
        if change.common == 0 and change.overall.rerated is not None:
            assert change.overall.rerated == 0.0


@SETTINGS
@given(rubrics_12(), dates, dates)
def test_diff_change_matches_the_timeline(rubric: Rubric, first: Any, second: Any) -> None:
    early, late = sorted((first, second))
    if early == late:
        return
    d = ps.diff(ps.score(rubric, early), ps.score(rubric, late))
    point = ps.timeline(rubric, at=[early, late]).points[1]
    assert d.change is not None
    assert point.change is not None
    assert d.change.overall == point.change.overall
    assert d.to_dict()["change"] == point.change.to_dict()
    assert attrs.asdict(d.change) == attrs.asdict(point.change)


def _assert_splits(change: Any, old: float | None, new: float | None) -> None:
    """A category's ``change`` in the JSON: its parts sum exactly to its total, which is
    the category's change of score (all three ``null`` without a score on a side)."""
    assert set(change) == {"total", "rerated", "composition"}
    if old is None or new is None:
        assert change == {"total": None, "rerated": None, "composition": None}
        return
    assert change["rerated"] + change["composition"] == change["total"]
    assert abs(change["total"] - (new - old)) <= 2.0**-50


@SETTINGS
@given(rubrics_12(), st.lists(dates, min_size=2, max_size=4, unique=True))
def test_each_category_change_in_the_timeline_json_splits(rubric: Rubric, at: list[Any]) -> None:
    points = json.loads(ps.render(ps.timeline(rubric, at=at), "json"))["points"]
    assert all(c["change"] is None for c in points[0]["categories"])
    for previous, point in itertools.pairwise(points):
        before = {c["id"]: c["score"] for c in previous["categories"]}
        for category in point["categories"]:
            _assert_splits(category["change"], before.get(category["id"]), category["score"])


@SETTINGS
@given(st.data())
def test_each_category_change_in_the_diff_json_splits(data: st.DataObject) -> None:
    """Between two dates, and between two versions of the rubric that put promises in
    other categories."""
    rubric = data.draw(rubrics_12())
    early, late = sorted(data.draw(st.lists(dates, min_size=2, max_size=2, unique=True)))
    other = rubric
    category_ids = [c.id for c in rubric.categories]
    moved: bool = data.draw(st.booleans())
    if category_ids and moved:
        other = attrs.evolve(
            rubric,
            promises=tuple(
                attrs.evolve(p, category=data.draw(st.sampled_from(category_ids)))
                for p in rubric.promises
            ),
        )
    d = ps.diff(ps.score(rubric, early), ps.score(other, late))
    found = json.loads(ps.render(d, "json"))
    assert len(found["categories"]) == len(d.categories)
    for category in found["categories"]:
        _assert_splits(category["change"], category["old"], category["new"])
