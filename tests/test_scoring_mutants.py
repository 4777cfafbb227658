"""Scoring rules of FORMAT.md §4, one rule per test: written to kill the mutants that
``mutmut`` found surviving in ``scoring/engine.py`` (see docs/robustness.md)."""

from __future__ import annotations

from datetime import date

import pytest

import promisescore
from promisescore.errors import UnknownIdError
from promisescore.scoring import score
from promisescore.scoring.engine import as_date, combine, latest_by_assessor

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


# --------------------------------------------------------------------------- from the mutants


def test_counts_count_every_promise() -> None:
    body = "".join(promise(p) for p in ("p1", "p2", "p3", "p4", "p5"))
    body += rate("p1", "2021-02-01", "kept") + rate("p2", "2021-02-01", "kept")
    body += rate("p3", "2021-02-01", "low")
    counts = dict(score(rubric(body)).counts)
    assert counts == {"none": 0, "broken": 0, "low": 1, "mid": 0, "kept": 2, "unrated": 2}


def test_a_left_out_promise_does_not_stop_the_others() -> None:
    body = (
        promise("early", "made_on = 2021-09-01")
        + promise("p")
        + promise("q")
        + rate("p", "2021-02-01", "kept")
        + rate("q", "2021-02-01", "kept")
    )
    card = score(rubric(body), "2021-06-01")
    assert [x.id for x in card.promises] == ["p", "q"]
    assert card.left_out == ("early",)


def test_no_promise_counted_has_no_coverage() -> None:
    card = score(rubric(promise("p", "made_on = 2021-09-01")), "2021-06-01")
    assert card.overall.coverage is None
    assert card.overall.score is None
    assert card.overall.grade is None


def test_unknown_assessor_error_names_the_assessor_and_near_matches() -> None:
    r = rubric(promise("p") + rate("p", "2021-02-01", "kept", "alice"))
    with pytest.raises(UnknownIdError) as caught:
        score(r, assessor="alicia")
    assert caught.value.kind == "assessor"
    assert caught.value.ident == "alicia"
    assert caught.value.suggestions == ("alice",)
    assert str(caught.value) == "unknown assessor 'alicia' — did you mean 'alice'?"


def test_scorecard_carries_the_report_and_the_assessors() -> None:
    head = 'subject = "Someone"\nend = 2024-12-31'
    r = rubric(
        promise("p") + rate("p", "2021-02-01", "kept", "b") + rate("p", "2021-02-01", "mid", "a"),
        end=head,
        grading='consensus = "max"',
    )
    card = score(r)
    assert (card.title, card.subject) == ("T", "Someone")
    assert (card.start, card.end) == (date(2021, 1, 1), date(2024, 12, 31))
    assert card.assessor is None
    assert card.assessors == ("a", "b")
    assert card.grading == r.grading
    assert card.scale == r.scale
    one = score(r, assessor="b")
    assert one.assessor == "b"
    assert one.assessors == ("b",)


def test_latest_by_assessor_keeps_a_later_date_over_a_later_line() -> None:
    r = rubric(
        promise("p")
        + rate("p", "2021-03-01", "kept", "a")
        + rate("p", "2021-02-01", "broken", "a")
        + rate("p", "2021-01-15", "low", "b")
    )
    latest = latest_by_assessor(r.assessments)
    assert latest["a"].rating == "kept"
    assert latest["b"].rating == "low"


def test_trace_rules_and_ratings_in_words() -> None:
    body = (
        promise("p")
        + rate("p", "2021-02-01", "kept", "a", 'note = "why"')
        + rate("p", "2021-02-01", "low", "b")
        + promise("u")
        + rate("u", "2021-02-01", "none")
        + promise("n")
    )
    card = score(rubric(body))
    p = card.promise("p")
    assert p.trace.rule == "lower median of 2 rating(s) (a: kept, b: low) → low"
    assert p.trace.kind == "plain"
    assert p.trace.standing_rating == "low"
    assert p.trace.standing_fulfillment == 0.25
    first = p.trace.ratings[0]
    assert (first.by, first.rating, first.value, first.note) == ("a", "kept", 1.0, "why")
    assert card.promise("u").trace.rule == "every assessor's latest rating is unrated"
    assert card.promise("u").trace.ratings[0].value is None
    assert card.promise("n").trace.rule == "no assessment"
    ranks = score(rubric(body, grading='consensus = "min"')).promise("p").trace.rule
    assert ranks == "min of 2 rating(s) (a: kept, b: low) → low"


def test_percent_rule_in_words() -> None:
    body = promise("p") + "".join(
        f'[[assessments]]\npromise = "p"\nby = "{by}"\ndate = 2021-02-01\nvalue = {v}\n\n'
        for by, v in (("a", 0.2), ("b", 0.4))
    )
    mean = score(rubric(body, scale='preset = "percent"', grading='consensus = "mean"'))
    assert mean.promise("p").trace.rule == "mean of 2 value(s) (a: 0.2, b: 0.4) = 0.3"
    assert mean.promise("p").trace.ratings[0].value == 0.2
    median = score(rubric(body, scale='preset = "percent"'))
    assert median.promise("p").trace.rule == "lower median of 2 value(s) (a: 0.2, b: 0.4) = 0.2"
    top = score(rubric(body, scale='preset = "percent"', grading='consensus = "max"'))
    assert top.promise("p").trace.rule == "max of 2 value(s) (a: 0.2, b: 0.4) = 0.4"


def test_criteria_trace_in_words_and_consensus_rule() -> None:
    body = (
        promise("p", CRITERIA)
        + rate("p", "2021-02-01", "kept", "a", 'criterion = "x"')
        + rate("p", "2021-02-01", "low", "b", 'criterion = "x"')
    )
    item = score(rubric(body)).promise("p")
    x, y = item.trace.criteria
    assert (x.title, x.rating, x.value) == ("X", "low", 0.25)
    assert x.rule == "lower median of 2 rating(s) (a: kept, b: low) → low"
    assert (y.title, y.rating, y.rule) == ("Y", None, "not assessed: counts 0")
    assert item.trace.rule == "(3×0.25 + 1×0) / 4 = 0.1875"
    assert item.trace.kind == "criteria"
    assert item.trace.standing_fulfillment == pytest.approx(0.1875)
    top = score(rubric(body, grading='consensus = "max"')).promise("p")
    assert top.trace.criteria[0].rating == "kept"
    assert top.fulfillment == pytest.approx(0.75)
    none = score(rubric(promise("p", CRITERIA))).promise("p")
    assert none.trace.rule == "no criterion assessed yet"
    assert [c.id for c in none.trace.criteria] == ["x", "y"]


def test_target_trace() -> None:
    unit = 'target = { metric = "jobs", baseline = 10, target = 20, unit = "k" }'
    body = (
        promise("t", unit)
        + evidence("e1", "t", "2021-02-01", "value = 15")
        + evidence("e2", "t", "2021-03-01")  # newest, last in the file, but no value
    )
    item = score(rubric(body)).promise("t")
    assert item.fulfillment == 0.5
    goal = item.trace.target
    assert goal is not None
    assert (goal.metric, goal.unit, goal.baseline, goal.target) == ("jobs", "k", 10.0, 20.0)
    assert (goal.value, goal.evidence, goal.date) == (15.0, "e1", date(2021, 2, 1))
    assert item.trace.rule == "clamp((15 − 10) / (20 − 10), 0, 1) = 0.5"
    empty = score(rubric(promise("t", unit))).promise("t")
    goal = empty.trace.target
    assert goal is not None
    assert (goal.metric, goal.unit, goal.baseline, goal.target) == ("jobs", "k", 10.0, 20.0)
    assert (goal.value, goal.evidence, goal.date) == (None, None, None)
    assert empty.trace.rule == "no evidence with a value yet"


ALMOST = """levels = [
  { id = "broken", label = "Broken", value = 0, final = true },
  { id = "almost", label = "Almost", value = 1 },
  { id = "kept", label = "Kept", value = 1, final = true },
  { id = "done", label = "Done", value = 1, final = true },
]"""


def test_overdue_needs_a_final_level_of_value_one() -> None:
    body = (
        promise("p", "deadline = 2021-03-01")
        + rate("p", "2021-02-01", "almost")
        + promise("q", "deadline = 2021-03-01")
        + rate("q", "2021-02-01", "kept")
    )
    card = score(rubric(body, scale=ALMOST), "2021-06-01")
    assert card.promise("p").fulfillment == 1.0
    assert card.promise("p").overdue is True
    assert card.promise("q").overdue is False


def test_late_means_standing_at_the_same_rank_not_merely_full() -> None:
    body = (
        promise("p", "deadline = 2021-03-01")
        + rate("p", "2021-02-01", "kept")
        + rate("p", "2021-04-01", "done")  # a higher final level, reached after the deadline
    )
    item = score(rubric(body, scale=ALMOST, grading='late = "almost"'), "2021-06-01").promise("p")
    assert item.late is True
    assert item.rating == "almost"
    assert item.trace.stable_since == date(2021, 4, 1)


def test_late_applies_only_above_the_cap_and_after_the_deadline() -> None:
    body = (
        promise("at-cap", "deadline = 2021-03-01")
        + rate("at-cap", "2021-04-01", "mid")
        + promise("below", "deadline = 2021-03-01")
        + rate("below", "2021-04-01", "broken")
        + promise("on-the-day", "deadline = 2021-03-01")
        + rate("on-the-day", "2021-03-01", "kept")
    )
    card = score(rubric(body, grading='late = "mid"'), "2021-06-01")
    assert (card.promise("at-cap").late, card.promise("at-cap").rating) == (False, "mid")
    assert (card.promise("below").late, card.promise("below").rating) == (False, "broken")
    assert card.promise("on-the-day").late is False
    assert card.promise("on-the-day").trace.stable_since == date(2021, 3, 1)


def test_late_for_a_final_level_below_one() -> None:
    body = promise("p", "deadline = 2021-03-01") + rate("p", "2021-04-01", "mid")
    item = score(rubric(body, grading='late = "low"'), "2021-06-01").promise("p")
    assert (item.late, item.rating, item.fulfillment) == (True, "low", 0.25)


def test_stable_since_walks_back_through_every_change() -> None:
    body = (
        promise("p", "deadline = 2021-03-01")
        + rate("p", "2021-01-10", "low", "a")
        + rate("p", "2021-02-01", "kept", "a")
        + rate("p", "2021-02-10", "kept", "b")
        + rate("p", "2021-05-01", "kept", "a")
        + promise("q", "deadline = 2021-03-01")
        + rate("q", "2021-01-10", "kept", "a")
        + rate("q", "2021-02-01", "low", "a")
        + rate("q", "2021-03-10", "kept", "a")
        + rate("q", "2021-04-01", "kept", "b")
    )
    card = score(rubric(body, grading='late = "mid"'), "2021-06-01")
    assert card.promise("p").trace.stable_since == date(2021, 2, 1)
    assert card.promise("p").late is False
    assert card.promise("q").trace.stable_since == date(2021, 3, 10)
    assert card.promise("q").late is True


def test_stable_since_uses_the_consensus_rule() -> None:
    body = (
        promise("p", "deadline = 2021-03-01")
        + rate("p", "2021-02-01", "kept", "a")
        + rate("p", "2021-04-01", "low", "b")
    )
    item = score(rubric(body, grading='late = "mid"\nconsensus = "max"'), "2021-06-01").promise("p")
    assert item.trace.stable_since == date(2021, 2, 1)
    assert item.late is False


def test_stable_since_of_a_target_counts_evidence_on_the_day() -> None:
    body = (
        promise("t", TARGET + "\ndeadline = 2021-03-01")
        + evidence("e1", "t", "2021-02-01", "value = 20")
        + evidence("e2", "t", "2021-04-01", "value = 25")
    )
    item = score(rubric(body, grading='late = "mid"'), "2021-06-01").promise("t")
    assert item.trace.stable_since == date(2021, 2, 1)
    assert item.late is False


def test_cited_evidence_after_as_of_stays_out_of_the_trace() -> None:
    body = (
        promise("p")
        + promise("q")
        + evidence("later", "q", "2021-08-01")
        + evidence("same-day", "q", "2021-06-01")
        + rate("p", "2021-03-01", "kept", extra='evidence = ["later", "same-day"]')
    )
    item = score(rubric(body), "2021-06-01").promise("p")
    assert [e.id for e in item.trace.evidence] == ["same-day"]


def test_promise_score_fields() -> None:
    body = promise("p", 'authority = "courts"\nweight = 2') + rate("p", "2021-02-01", "kept")
    item = score(rubric(body)).promise("p")
    assert (item.title, item.authority, item.weight, item.kind) == ("p", "courts", 2.0, "plain")
    assert item.trace.kind == "plain"


def test_category_titles_grades_and_counts() -> None:
    body = (
        CATEGORIES
        + promise("p1", 'category = "a"')
        + promise("p2", 'category = "a"')
        + promise("p3")
        + rate("p1", "2021-02-01", "kept")
        + rate("p2", "2021-02-01", "kept")
        + rate("p3", "2021-02-01", "mid")
    )
    card = score(rubric(body))
    a, b, u = card.category("a"), card.category("b"), card.category("uncategorized")
    assert (a.title, a.grade, a.rated, a.promises) == ("A", "A", 2, 2)
    assert (u.title, u.grade) == ("Uncategorized", "F")
    assert (b.title, b.score, b.coverage, b.promises) == ("B", None, None, 0)


def test_as_of_type_error_names_the_type() -> None:
    with pytest.raises(TypeError, match=r"as_of must be a date or 'YYYY-MM-DD', not int"):
        as_date(20210101)  # type: ignore[arg-type]


def test_counts_skip_criteria_and_target_promises_but_not_those_after_them() -> None:
    body = (
        promise("c", CRITERIA)
        + rate("c", "2021-02-01", "kept", extra='criterion = "x"')
        + promise("t", TARGET)
        + promise("p")
        + rate("p", "2021-02-01", "kept")
        + promise("u")
    )
    counts = dict(score(rubric(body)).counts)
    assert counts["kept"] == 1
    assert counts["unrated"] == 1


def test_stable_since_scores_earlier_dates_with_the_same_consensus_rule() -> None:
    body = (
        promise("p", "deadline = 2021-03-01")
        + rate("p", "2021-02-01", "kept", "a")
        + rate("p", "2021-02-01", "low", "b")
        + rate("p", "2021-04-01", "low", "c")
    )
    item = score(rubric(body, grading='late = "mid"\nconsensus = "max"'), "2021-06-01").promise("p")
    assert item.rating == "kept"
    assert item.trace.stable_since == date(2021, 2, 1)  # max(kept, low) was kept already
    assert item.late is False
