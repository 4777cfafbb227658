"""Scoring rules of FORMAT.md §4, one rule per test: written to kill the mutants that
``mutmut`` found surviving in ``scoring/engine.py`` (see docs/robustness.md)."""

from __future__ import annotations

from datetime import date

import pytest

import promisescore
from promisescore.errors import UnknownIdError
from promisescore.scoring import as_date, score
from promisescore.scoring.engine import combine, latest_by_assessor

HEAD = """\
format = 1
[report]
title = "T"
start = 2021-01-01
{end}
[scale]
{scale}
[grading]
{grading}
"""

LEVELS = """levels = [
  { id = "none", label = "None", unrated = true },
  { id = "broken", label = "Broken", value = 0, final = true },
  { id = "low", label = "Low", value = 0.25 },
  { id = "mid", label = "Mid", value = 0.5, final = true },
  { id = "kept", label = "Kept", value = 1, final = true },
]"""


def rubric(
    body: str,
    *,
    scale: str = LEVELS,
    grading: str = "",
    end: str = "end = 2024-12-31",
) -> promisescore.Rubric:
    return promisescore.loads(HEAD.format(scale=scale, grading=grading, end=end) + body)


def promise(ident: str, extra: str = "") -> str:
    return f'[[promises]]\nid = "{ident}"\ntitle = "{ident}"\n{extra}\n'


def rate(ident: str, day: str, rating: str, by: str = "a", extra: str = "") -> str:
    return (
        f'[[assessments]]\npromise = "{ident}"\nby = "{by}"\ndate = {day}\n'
        f'rating = "{rating}"\n{extra}\n'
    )


def evidence(ident: str, owner: str, day: str, extra: str = "") -> str:
    return (
        f'[[evidence]]\nid = "{ident}"\npromise = "{owner}"\ndate = {day}\n'
        f'summary = "s"\nsource = "x"\n{extra}\n'
    )


# --------------------------------------------------------------------------- consensus


def test_combine_rules() -> None:
    assert combine([3, 1, 2, 4], "median") == 2  # lower median
    assert combine([3, 1, 2], "median") == 2
    assert combine([5], "median") == 5
    assert combine([3, 1, 2], "min") == 1
    assert combine([3, 1, 2], "max") == 3
    assert combine([0.2, 0.4], "mean") == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("rule", "rating", "fulfillment"),
    [("median", "low", 0.25), ("min", "broken", 0.0), ("max", "kept", 1.0)],
)
def test_consensus_of_three_assessors(rule: str, rating: str, fulfillment: float) -> None:
    r = rubric(
        promise("p")
        + rate("p", "2021-02-01", "kept", "a")
        + rate("p", "2021-02-01", "low", "b")
        + rate("p", "2021-02-01", "broken", "c")
        + rate("p", "2021-02-01", "mid", "d"),
        grading=f'consensus = "{rule}"',
    )
    item = score(r).promise("p")
    assert item.rating == rating
    assert item.fulfillment == fulfillment
    assert item.rated


def test_latest_assessment_per_assessor_wins_and_file_order_breaks_ties() -> None:
    r = rubric(
        promise("p")
        + rate("p", "2021-03-01", "broken")
        + rate("p", "2021-02-01", "kept")  # older, though later in the file
        + rate("p", "2021-03-01", "mid")  # same date as the first: later in file wins
    )
    latest = latest_by_assessor(r.assessments)
    assert latest["a"].rating == "mid"
    assert score(r).promise("p").rating == "mid"


def test_assessments_after_as_of_are_ignored() -> None:
    r = rubric(promise("p") + rate("p", "2021-02-01", "low") + rate("p", "2021-06-01", "kept"))
    assert score(r, "2021-05-31").promise("p").rating == "low"
    assert score(r, "2021-06-01").promise("p").rating == "kept"
    assert score(r, "2021-01-31").promise("p").rated is False


def test_unrated_levels_leave_the_consensus() -> None:
    r = rubric(
        promise("p")
        + promise("q")
        + rate("p", "2021-02-01", "none", "a")
        + rate("p", "2021-02-01", "kept", "b")
        + rate("q", "2021-02-01", "none", "a")
    )
    card = score(r)
    p, q = card.promise("p"), card.promise("q")
    assert (p.rating, p.fulfillment) == ("kept", 1.0)
    assert [x.counted for x in p.trace.ratings] == [False, True]
    assert q.rated is False
    assert q.fulfillment is None
    assert q.rating is None
    assert "unrated" in q.trace.rule
    assert dict(card.counts)["unrated"] == 1
    assert dict(card.counts)["kept"] == 1


def test_assessor_filter() -> None:
    r = rubric(
        promise("p") + rate("p", "2021-02-01", "kept", "a") + rate("p", "2021-02-01", "broken", "b")
    )
    assert score(r, assessor="b").promise("p").rating == "broken"
    assert score(r, assessor="a").promise("p").rating == "kept"
    assert score(r, assessor="a").assessors == ("a",)
    with pytest.raises(UnknownIdError):
        score(r, assessor="zed")


def test_percent_scale_mean_and_lower_median_of_values() -> None:
    body = promise("p") + "".join(
        f'[[assessments]]\npromise = "p"\nby = "{by}"\ndate = 2021-02-01\nvalue = {v}\n\n'
        for by, v in (("a", 0.2), ("b", 0.9), ("c", 0.4), ("d", 0.6))
    )
    mean = rubric(body, scale='preset = "percent"', grading='consensus = "mean"')
    assert score(mean).promise("p").fulfillment == pytest.approx(0.525)
    median = rubric(body, scale='preset = "percent"')
    assert score(median).promise("p").fulfillment == 0.4
    assert score(median).promise("p").rating is None


# --------------------------------------------------------------------------- criteria and targets

CRITERIA = 'criteria = [{ id = "x", title = "X", weight = 3 }, { id = "y", title = "Y" }]'


def test_criteria_weighted_mean_with_unassessed_counting_zero() -> None:
    r = rubric(promise("p", CRITERIA) + rate("p", "2021-02-01", "kept", extra='criterion = "x"'))
    item = score(r).promise("p")
    assert item.fulfillment == pytest.approx(0.75)
    assert item.rating is None
    assert item.kind == "criteria"
    parts = {c.id: c for c in item.trace.criteria}
    assert parts["y"].assessed is False
    assert parts["y"].value == 0.0
    assert parts["x"].assessed is True
    r2 = rubric(
        promise("p", CRITERIA)
        + rate("p", "2021-02-01", "kept", extra='criterion = "x"')
        + rate("p", "2021-02-01", "mid", extra='criterion = "y"')
    )
    assert score(r2).promise("p").fulfillment == pytest.approx(0.875)


def test_criteria_promise_unrated_until_a_criterion_is_assessed() -> None:
    r = rubric(promise("p", CRITERIA) + rate("p", "2021-05-01", "kept", extra='criterion = "x"'))
    assert score(r, "2021-04-30").promise("p").rated is False
    assert score(r, "2021-04-30").promise("p").fulfillment is None


TARGET = 'target = { metric = "m", baseline = 10, target = 20 }'


def test_target_uses_latest_value_clamped() -> None:
    r = rubric(
        promise("p", TARGET)
        + evidence("e1", "p", "2021-02-01", "value = 15")
        + evidence("e2", "p", "2021-03-01", "value = 25")
        + evidence("e3", "p", "2021-04-01")  # no value: ignored
        + evidence("e4", "p", "2021-03-01", "value = 5")  # same date, later in file: wins
    )
    assert score(r, "2021-02-15").promise("p").fulfillment == 0.5
    item = score(r, "2021-04-30").promise("p")
    assert item.fulfillment == 0.0
    assert item.trace.target is not None
    assert item.trace.target.evidence == "e4"
    r2 = rubric(promise("p", TARGET) + evidence("e1", "p", "2021-02-01", "value = 25"))
    assert score(r2).promise("p").fulfillment == 1.0
    r3 = rubric(promise("p", TARGET) + evidence("e1", "p", "2021-02-01"))
    assert score(r3).promise("p").rated is False


# --------------------------------------------------------------------------- deadlines


def test_overdue_only_past_deadline_and_not_fully_kept() -> None:
    body = (
        promise("late", "deadline = 2021-03-01")
        + promise("done", "deadline = 2021-03-01")
        + promise("half", "deadline = 2021-03-01")
        + promise("soon", "deadline = 2021-12-01")
        + promise("mid", "deadline = 2021-03-01")
        + rate("late", "2021-02-01", "low")
        + rate("done", "2021-02-01", "kept")
        + rate("half", "2021-02-01", "mid")
        + rate("soon", "2021-02-01", "low")
        + rate("mid", "2021-02-01", "low")
    )
    card = score(rubric(body), "2021-06-01")
    assert card.promise("late").overdue is True
    assert card.promise("done").overdue is False
    assert card.promise("half").overdue is True  # final, but value 0.5 < 1
    assert card.promise("soon").overdue is False
    on_the_day = score(rubric(body), "2021-03-01")
    assert on_the_day.promise("mid").overdue is False  # deadline not *before* as-of
    assert card.promise("late").deadline == date(2021, 3, 1)


def test_overdue_for_criteria_and_targets_uses_fulfillment() -> None:
    body = (
        promise("c", CRITERIA + "\ndeadline = 2021-03-01")
        + rate("c", "2021-02-01", "kept", extra='criterion = "x"')
        + rate("c", "2021-02-01", "kept", extra='criterion = "y"')
        + promise("t", TARGET + "\ndeadline = 2021-03-01")
        + evidence("e", "t", "2021-02-01", "value = 19")
    )
    card = score(rubric(body), "2021-06-01")
    assert card.promise("c").overdue is False
    assert card.promise("t").overdue is True


def test_late_cap() -> None:
    body = (
        promise("p", "deadline = 2021-03-01")
        + promise("q", "deadline = 2021-03-01")
        + promise("r", "deadline = 2021-03-01")
        + rate("p", "2021-02-01", "low")
        + rate("p", "2021-04-01", "kept")  # kept after the deadline: late
        + rate("q", "2021-02-01", "kept")
        + rate("q", "2021-04-01", "kept")  # kept on time, re-confirmed later: not late
        + rate("r", "2021-04-01", "low")  # not above the cap: never late
    )
    card = score(rubric(body, grading='late = "mid"'), "2021-06-01")
    p, q, r = card.promise("p"), card.promise("q"), card.promise("r")
    assert (p.late, p.rating, p.fulfillment) == (True, "mid", 0.5)
    assert p.trace.stable_since == date(2021, 4, 1)
    assert p.trace.standing_rating == "kept"
    assert (q.late, q.rating, q.fulfillment) == (False, "kept", 1.0)
    assert q.trace.stable_since == date(2021, 2, 1)
    assert (r.late, r.rating) == (False, "low")
    assert dict(card.counts)["mid"] == 1
    assert dict(card.counts)["kept"] == 1
    no_cap = score(rubric(body), "2021-06-01").promise("p")
    assert (no_cap.late, no_cap.rating) == (False, "kept")


def test_late_cap_on_targets() -> None:
    body = (
        promise("t", TARGET + "\ndeadline = 2021-03-01")
        + evidence("e1", "t", "2021-02-01", "value = 12")
        + evidence("e2", "t", "2021-04-01", "value = 20")
    )
    item = score(rubric(body, grading='late = "low"'), "2021-06-01").promise("t")
    assert item.late is True
    assert item.fulfillment == 0.25
    assert item.rating is None


# --------------------------------------------------------------------------- aggregation


CATEGORIES = """
[[categories]]
id = "a"
title = "A"
weight = 3

[[categories]]
id = "b"
title = "B"
"""


def test_category_and_overall_scores() -> None:
    body = (
        CATEGORIES
        + promise("p1", 'category = "a"\nweight = 3')
        + promise("p2", 'category = "a"')
        + promise("p3", 'category = "b"\nweight = 2')
        + promise("p4")  # uncategorized, unrated
        + rate("p1", "2021-02-01", "kept")
        + rate("p2", "2021-02-01", "broken")
        + rate("p3", "2021-02-01", "mid")
    )
    card = score(rubric(body))
    a, b, u = card.category("a"), card.category("b"), card.category("uncategorized")
    assert a.score == pytest.approx(0.75)
    assert a.weight == 3.0
    assert a.declared_weight == 3.0
    assert b.score == pytest.approx(0.5)
    assert b.weight == 2.0  # the weight of its rated promises
    assert b.declared_weight is None
    assert u.score is None
    assert u.promises == 1
    assert u.rated == 0
    assert u.coverage == 0.0
    assert a.coverage == 1.0
    assert card.overall.score == pytest.approx((3 * 0.75 + 2 * 0.5) / 5)
    assert card.overall.coverage == pytest.approx(6 / 7)
    assert card.overall.grade == "D"  # 0.65
    zero = score(rubric(body, grading='unrated = "zero"'))
    assert zero.category("uncategorized").score == 0.0
    assert zero.category("uncategorized").weight == 1.0
    assert zero.overall.score == pytest.approx((3 * 0.75 + 2 * 0.5 + 0) / 6)


def test_grade_bands() -> None:
    body = promise("p") + rate("p", "2021-02-01", "kept")
    card = score(rubric(body))
    assert card.overall.grade == "A"
    bands = 'bands = [{ grade = "X", min = 1.0 }, { grade = "Y", min = 0 }]'
    assert score(rubric(body, grading=bands)).overall.grade == "X"


def test_promises_made_after_as_of_are_left_out() -> None:
    body = (
        promise("p", "made_on = 2021-05-01")
        + promise("q")
        + rate("p", "2021-06-01", "kept")
        + rate("q", "2021-02-01", "broken")
    )
    early = score(rubric(body), "2021-04-30")
    assert early.left_out == ("p",)
    assert [x.id for x in early.promises] == ["q"]
    assert early.overall.score == 0.0
    on_the_day = score(rubric(body), "2021-05-01")
    assert on_the_day.left_out == ()


def test_as_of_defaults_and_parsing() -> None:
    body = promise("p") + rate("p", "2021-02-01", "kept") + evidence("e", "p", "2021-07-01")
    assert score(rubric(body)).as_of == date(2021, 7, 1)
    assert as_date("2021-02-03") == date(2021, 2, 3)
    assert as_date(None) is None
    assert as_date(date(2021, 1, 1)) == date(2021, 1, 1)
    with pytest.raises(TypeError):
        as_date(20210101)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        as_date("2021/02/03")


def test_trace_evidence_is_attached_and_cited_up_to_as_of() -> None:
    body = (
        promise("p")
        + promise("q")
        + evidence("e1", "p", "2021-02-01")
        + evidence("e2", "q", "2021-01-15")
        + evidence("e3", "p", "2021-09-01")
        + rate("p", "2021-03-01", "kept", extra='evidence = ["e2"]')
    )
    item = score(rubric(body), "2021-06-01").promise("p")
    assert [e.id for e in item.trace.evidence] == ["e2", "e1"]  # by date, then id
    assert item.latest_evidence == date(2021, 2, 1)
