"""Hand-computed cases for every scoring rule of FORMAT.md §4."""

from __future__ import annotations

import math
from datetime import date

import pytest

import promisescore
from promisescore.model import Rubric
from promisescore.scoring import Scorecard


def rubric(
    body: str,
    *,
    scale: str = 'preset = "politifact"',
    grading: str = "",
    report: str = "",
    start: str = "2021-01-01",
) -> Rubric:
    text = f"""
format = 1
[report]
title = "Case"
start = {start}
{report}
[scale]
{scale}
[grading]
{grading}
{body}
"""
    return promisescore.loads(text)


def promises(*ids: str, extra: str = "") -> str:
    return "".join(f'\n[[promises]]\nid = "{i}"\ntitle = "{i}"\n{extra}\n' for i in ids)


def rate(promise: str, rating: str, when: str, by: str = "a", criterion: str | None = None) -> str:
    crit = f'criterion = "{criterion}"\n' if criterion else ""
    return (
        f'\n[[assessments]]\npromise = "{promise}"\n{crit}by = "{by}"\ndate = {when}\n'
        f'rating = "{rating}"\n'
    )


def f(card: Scorecard, pid: str) -> float | None:
    return card.promise(pid).fulfillment


# --------------------------------------------------------------------------- 4.1 as of


def test_as_of_defaults_to_latest_dated_item() -> None:
    r = rubric(promises("p") + rate("p", "stalled", "2021-03-01") + rate("p", "kept", "2021-09-01"))
    card = promisescore.score(r)
    assert card.as_of == date(2021, 9, 1)
    assert f(card, "p") == 1.0


def test_as_of_defaults_to_report_as_of() -> None:
    r = rubric(
        promises("p") + rate("p", "stalled", "2021-03-01") + rate("p", "kept", "2021-09-01"),
        report="as_of = 2021-06-30",
    )
    card = promisescore.score(r)
    assert card.as_of == date(2021, 6, 30)
    assert f(card, "p") == 0.0
    assert card.promise("p").rating == "stalled"


def test_items_after_as_of_are_ignored_and_late_promises_left_out() -> None:
    body = promises("p") + promises("q", extra="made_on = 2021-05-01")
    body += rate("p", "kept", "2021-04-01") + rate("p", "broken", "2021-06-01")
    body += rate("q", "kept", "2021-06-01")
    card = promisescore.score(rubric(body), "2021-04-15")
    assert f(card, "p") == 1.0
    assert card.left_out == ("q",)
    assert [p.id for p in card.promises] == ["p"]
    assert promisescore.score(rubric(body), date(2021, 6, 1)).promise("p").rating == "broken"


# --------------------------------------------------------------------------- 4.2 consensus


def test_latest_rating_per_assessor_and_same_date_file_order() -> None:
    body = promises("p")
    body += rate("p", "kept", "2021-02-01", by="a")
    body += rate("p", "broken", "2021-03-01", by="a")  # later date wins
    body += rate("p", "compromise", "2021-03-01", by="a")  # same date, later in file: wins
    card = promisescore.score(rubric(body))
    assert card.promise("p").rating == "compromise"
    assert f(card, "p") == 0.5


def test_lower_median_of_ranks() -> None:
    # ranks: broken 1, in-the-works 3, kept 5 -> median in-the-works
    body = promises("p") + rate("p", "broken", "2021-02-01", by="a")
    body += rate("p", "in-the-works", "2021-02-01", by="b") + rate(
        "p", "kept", "2021-02-01", by="c"
    )
    assert promisescore.score(rubric(body)).promise("p").rating == "in-the-works"
    # two assessors: the lower of the two middle ranks
    body2 = promises("p") + rate("p", "broken", "2021-02-01", by="a")
    body2 += rate("p", "kept", "2021-02-01", by="b")
    card = promisescore.score(rubric(body2))
    assert card.promise("p").rating == "broken"
    assert f(card, "p") == 0.0


@pytest.mark.parametrize(
    ("rule", "expected"), [("min", "stalled"), ("max", "kept"), ("median", "compromise")]
)
def test_min_max_consensus(rule: str, expected: str) -> None:
    body = promises("p") + rate("p", "stalled", "2021-02-01", by="a")
    body += rate("p", "compromise", "2021-02-01", by="b") + rate("p", "kept", "2021-02-01", by="c")
    card = promisescore.score(rubric(body, grading=f'consensus = "{rule}"'))
    assert card.promise("p").rating == expected


def test_unrated_levels_leave_the_consensus() -> None:
    body = promises("p", "q")
    body += rate("p", "not-yet-rated", "2021-02-01", by="a") + rate(
        "p", "kept", "2021-02-01", by="b"
    )
    body += rate("q", "not-yet-rated", "2021-02-01", by="a")
    card = promisescore.score(rubric(body))
    assert card.promise("p").rating == "kept"
    assert not card.promise("q").rated
    assert card.promise("q").rating is None
    assert dict(card.counts)["unrated"] == 1
    assert dict(card.counts)["kept"] == 1
    # an assessor's later unrated rating replaces the earlier one: left out, not remembered
    body2 = (
        promises("p") + rate("p", "kept", "2021-02-01") + rate("p", "not-yet-rated", "2021-03-01")
    )
    assert not promisescore.score(rubric(body2)).promise("p").rated


def test_assessor_filter() -> None:
    body = promises("p") + rate("p", "broken", "2021-02-01", by="adv")
    body += rate("p", "kept", "2021-02-01", by="gov")
    r = rubric(body)
    assert f(promisescore.score(r, assessor="gov"), "p") == 1.0
    assert f(promisescore.score(r, assessor="adv"), "p") == 0.0
    with pytest.raises(promisescore.UnknownIdError) as info:
        promisescore.score(r, assessor="go")
    assert info.value.suggestions == ("gov",)


def test_percent_scale_mean_and_lower_median() -> None:
    body = promises("p")
    for by, value in (("a", 0.2), ("b", 0.9), ("c", 0.4), ("d", 0.6)):
        body += (
            f'\n[[assessments]]\npromise = "p"\nby = "{by}"\ndate = 2021-02-01\nvalue = {value}\n'
        )
    mean = promisescore.score(
        rubric(body, scale='preset = "percent"', grading='consensus = "mean"')
    )
    assert f(mean, "p") == pytest.approx(0.525)
    assert mean.promise("p").rating is None
    median = promisescore.score(rubric(body, scale='preset = "percent"'))
    assert f(median, "p") == 0.4  # lower median of 0.2, 0.4, 0.6, 0.9


# --------------------------------------------------------------------------- criteria


CRITERIA = """
[[promises]]
id = "c"
title = "Criteria promise"
criteria = [
  { id = "x", title = "X", weight = 3 },
  { id = "y", title = "Y" },
  { id = "z", title = "Z" },
]
"""


def test_criteria_weighted_mean_unassessed_counts_zero() -> None:
    body = CRITERIA + rate("c", "kept", "2021-02-01", criterion="x")
    body += rate("c", "compromise", "2021-02-01", criterion="y")
    card = promisescore.score(rubric(body))
    # (3*1 + 1*0.5 + 1*0) / 5
    assert f(card, "c") == pytest.approx(0.7)
    assert card.promise("c").rating is None
    assert "c" not in dict(card.counts)
    parts = {part.id: part for part in card.promise("c").trace.criteria}
    assert parts["z"].assessed is False
    assert parts["z"].value == 0.0


def test_criteria_unrated_only_when_no_criterion_assessed() -> None:
    card = promisescore.score(rubric(CRITERIA + promises("p") + rate("p", "kept", "2021-02-01")))
    assert not card.promise("c").rated
    body = CRITERIA + rate("c", "not-yet-rated", "2021-02-01", criterion="y")
    card = promisescore.score(rubric(body))
    assert card.promise("c").rated  # assessed, though at an unrated level: counts 0
    assert f(card, "c") == 0.0


# --------------------------------------------------------------------------- targets


TARGET = """
[[promises]]
id = "t"
title = "Target promise"
target = { metric = "judges", baseline = 400, target = 500, unit = "judges" }
"""


def value(eid: str, v: float, when: str, promise: str = "t") -> str:
    return (
        f'\n[[evidence]]\nid = "{eid}"\npromise = "{promise}"\ndate = {when}\nsummary = "s"\n'
        f'source = "src"\nvalue = {v}\n'
    )


@pytest.mark.parametrize(
    ("observed", "expected"), [(450, 0.5), (400, 0.0), (380, 0.0), (500, 1.0), (650, 1.0)]
)
def test_target_is_clamped_progress(observed: float, expected: float) -> None:
    card = promisescore.score(rubric(TARGET + value("e", observed, "2021-05-01")))
    assert f(card, "t") == pytest.approx(expected)


def test_target_uses_latest_value_and_decreasing_targets() -> None:
    body = TARGET + value("e1", 480, "2021-05-01") + value("e2", 420, "2021-08-01")
    body += value("e3", 440, "2021-08-01")  # same date, later in file: wins
    card = promisescore.score(rubric(body))
    assert f(card, "t") == pytest.approx(0.4)
    goal = card.promise("t").trace.target
    assert goal is not None
    assert goal.evidence == "e3"
    down = """
[[promises]]
id = "d"
title = "Cut a backlog"
target = { metric = "backlog", baseline = 1000, target = 0 }
"""
    card = promisescore.score(rubric(down + value("e", 250, "2021-05-01", promise="d")))
    assert f(card, "d") == pytest.approx(0.75)


def test_target_without_value_is_unrated() -> None:
    body = (
        TARGET
        + '\n[[evidence]]\nid = "e"\npromise = "t"\ndate = 2021-02-01\nsummary = "s"\nsource = "x"\n'
    )
    assert not promisescore.score(rubric(body)).promise("t").rated


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("start", "spec", "expected"),
    [
        ("2021-01-20", "P100D", date(2021, 4, 30)),
        ("2021-01-31", "P1M", date(2021, 2, 28)),
        ("2020-01-31", "P1M", date(2020, 2, 29)),
        ("2020-02-29", "P1Y", date(2021, 2, 28)),
        ("2021-01-20", "P6M", date(2021, 7, 20)),
        ("2021-01-20", "P2W", date(2021, 2, 3)),
        ("2021-01-31", "P1Y1M1W1D", date(2022, 3, 8)),
        ("2021-01-20", "2022-05-05", date(2022, 5, 5)),
    ],
)
def test_deadline_resolution(start: str, spec: str, expected: date) -> None:
    deadline = f'"{spec}"' if spec.startswith("P") else spec
    r = rubric(promises("p", extra=f"deadline = {deadline}"), start=start)
    assert r.deadline_of(r.promises[0]) == expected


def test_end_of_term_deadline() -> None:
    r = rubric(promises("p", extra='deadline = "end-of-term"'), report="end = 2025-01-20")
    assert r.deadline_of(r.promises[0]) == date(2025, 1, 20)


def test_overdue() -> None:
    body = promises("late-kept", "stuck", "future", "unrated", extra='deadline = "P100D"')
    body = body.replace(
        'id = "future"\ntitle = "future"\ndeadline = "P100D"',
        'id = "future"\ntitle = "future"\ndeadline = "P2Y"',
    )
    body += rate("late-kept", "kept", "2021-06-01") + rate("stuck", "compromise", "2021-06-01")
    body += rate("future", "broken", "2021-06-01")
    card = promisescore.score(rubric(body, start="2021-01-20"))
    assert not card.promise("late-kept").overdue  # kept: not overdue (late only with grading.late)
    assert card.promise("stuck").overdue  # compromise is final but not of value 1
    assert not card.promise("future").overdue
    assert card.promise("unrated").overdue
    # before the deadline nothing is overdue
    early = promisescore.score(rubric(body, start="2021-01-20"), "2021-04-29")
    assert not any(p.overdue for p in early.promises)


def test_overdue_criteria_and_target_use_f() -> None:
    body = CRITERIA.replace('title = "Criteria promise"', 'title = "C"\ndeadline = 2021-03-01')
    for c in ("x", "y", "z"):
        body += rate("c", "kept", "2021-02-01", criterion=c)
    body += TARGET.replace('title = "Target promise"', 'title = "T"\ndeadline = 2021-03-01')
    body += value("e", 499, "2021-02-01")
    card = promisescore.score(rubric(body), "2021-06-01")
    assert not card.promise("c").overdue
    assert card.promise("t").overdue


# --------------------------------------------------------------------------- late


LATE = 'late = "compromise"'


def test_late_kept_after_deadline_is_capped() -> None:
    body = promises("p", extra="deadline = 2021-03-01")
    body += rate("p", "in-the-works", "2021-02-01") + rate("p", "kept", "2021-04-01")
    card = promisescore.score(rubric(body, grading=LATE))
    item = card.promise("p")
    assert item.late
    assert item.rating == "compromise"
    assert item.fulfillment == 0.5
    assert item.trace.standing_rating == "kept"
    assert item.trace.stable_since == date(2021, 4, 1)
    assert dict(card.counts)["compromise"] == 1
    assert dict(card.counts)["kept"] == 0
    assert not item.overdue


def test_kept_before_deadline_is_not_late() -> None:
    body = promises("p", extra="deadline = 2021-03-01")
    body += rate("p", "kept", "2021-02-01") + rate("p", "kept", "2021-05-01")
    item = promisescore.score(rubric(body, grading=LATE)).promise("p")
    assert not item.late
    assert item.fulfillment == 1.0
    assert item.trace.stable_since == date(2021, 2, 1)


def test_late_when_the_rating_lapses_and_returns() -> None:
    body = promises("p", extra="deadline = 2021-03-01")
    body += rate("p", "kept", "2021-02-01")  # kept in time...
    body += rate("p", "in-the-works", "2021-04-01")  # ...lapsed...
    body += rate("p", "kept", "2021-06-01")  # ...and kept again after the deadline
    r = rubric(body, grading=LATE)
    card = promisescore.score(r)
    assert card.promise("p").late
    assert card.promise("p").trace.stable_since == date(2021, 6, 1)
    # as of before the lapse it stood kept since before the deadline: not late
    assert not promisescore.score(r, "2021-03-15").promise("p").late
    # a rating at or below the cap is never late
    below = promisescore.score(r, "2021-05-01").promise("p")
    assert not below.late
    assert below.rating == "in-the-works"


def test_late_criteria_promise() -> None:
    body = CRITERIA.replace('title = "Criteria promise"', 'title = "C"\ndeadline = 2021-03-01')
    body += rate("c", "kept", "2021-02-01", criterion="x") + rate(
        "c", "kept", "2021-02-01", criterion="y"
    )
    body += rate("c", "kept", "2021-05-01", criterion="z")
    item = promisescore.score(rubric(body, grading=LATE)).promise("c")
    assert item.late
    assert item.fulfillment == 0.5
    assert item.trace.standing_fulfillment == 1.0


# --------------------------------------------------------------------------- 4.3 aggregation


AGG = """
[[categories]]
id = "a"
title = "A"
[[categories]]
id = "b"
title = "B"
[[promises]]
id = "a1"
title = "a1"
category = "a"
weight = 3
[[promises]]
id = "a2"
title = "a2"
category = "a"
weight = 1
[[promises]]
id = "b1"
title = "b1"
category = "b"
weight = 2
[[promises]]
id = "b2"
title = "b2"
category = "b"
weight = 2
[[promises]]
id = "u"
title = "uncategorized one"
"""


def agg_body() -> str:
    return (
        AGG
        + rate("a1", "kept", "2021-02-01")
        + rate("a2", "broken", "2021-02-01")
        + rate("b1", "compromise", "2021-02-01")
        + rate("u", "in-the-works", "2021-02-01")
    )


def test_aggregation_default_weights_is_promise_weighted_mean() -> None:
    card = promisescore.score(rubric(agg_body()))
    cats = {c.id: c for c in card.categories}
    assert cats["a"].score == pytest.approx(0.75)  # (3*1 + 1*0) / 4
    assert cats["b"].score == pytest.approx(0.5)  # b2 unrated: excluded
    assert cats["uncategorized"].score == pytest.approx(0.25)
    assert cats["b"].weight == 2.0  # Σ w over rated promises
    assert [c.id for c in card.categories] == ["a", "b", "uncategorized"]
    # overall = promise-weighted mean over rated promises: (3 + 0 + 1 + 0.25) / 7
    assert card.overall.score == pytest.approx(4.25 / 7)
    assert card.overall.coverage == pytest.approx(7 / 9)
    assert cats["b"].coverage == pytest.approx(0.5)
    assert card.overall.grade == "D"  # 0.607


def test_aggregation_unrated_zero() -> None:
    card = promisescore.score(rubric(agg_body(), grading='unrated = "zero"'))
    cats = {c.id: c for c in card.categories}
    assert cats["b"].score == pytest.approx(0.25)  # (2*0.5 + 2*0) / 4
    assert cats["b"].weight == 4.0
    assert card.overall.score == pytest.approx(4.25 / 9)


def test_aggregation_declared_category_weights() -> None:
    body = agg_body().replace('id = "a"\ntitle = "A"', 'id = "a"\ntitle = "A"\nweight = 1')
    body = body.replace('id = "b"\ntitle = "B"', 'id = "b"\ntitle = "B"\nweight = 3')
    card = promisescore.score(rubric(body))
    # W: a=1, b=3, uncategorized = Σ w = 1
    assert card.overall.score == pytest.approx((1 * 0.75 + 3 * 0.5 + 1 * 0.25) / 5)


def test_category_with_nothing_to_count_has_no_score() -> None:
    body = AGG + rate("a1", "kept", "2021-02-01")
    card = promisescore.score(rubric(body))
    cats = {c.id: c for c in card.categories}
    assert cats["b"].score is None
    assert cats["b"].grade is None
    assert card.overall.score == 1.0


@pytest.mark.parametrize(
    ("score", "grade"),
    [(0.95, "A"), (0.9, "A"), (0.8999, "B"), (0.7, "C"), (0.6, "D"), (0.5999, "F"), (0.0, "F")],
)
def test_default_grade_bands(score: float, grade: str) -> None:
    assert promisescore.Grading().grade(score) == grade


@pytest.mark.parametrize(("weight", "grade"), [(0.23, "fail"), (0.22, "pass")])
def test_custom_bands_compare_unrounded_scores(weight: float, grade: str) -> None:
    grading = 'bands = [{ grade = "pass", min = 0.7 }, { grade = "fail", min = 0 }]'
    body = promises("p", "q", "r").replace(
        'id = "r"\ntitle = "r"', f'id = "r"\ntitle = "r"\nweight = {weight}'
    )
    body += rate("p", "kept", "2021-02-01") + rate("q", "compromise", "2021-02-01")
    body += rate("r", "in-the-works", "2021-02-01")
    card = promisescore.score(rubric(body, grading=grading))
    expected = (1 + 0.5 + weight * 0.25) / (2 + weight)
    assert card.overall.score == pytest.approx(expected)
    assert round(expected, 2) == 0.70  # both print as 70%, yet only one reaches the band
    assert card.overall.grade == grade


def test_counts_cover_every_level_and_unrated() -> None:
    card = promisescore.score(rubric(agg_body()))
    counts = dict(card.counts)
    assert list(counts) == [
        "not-yet-rated",
        "broken",
        "stalled",
        "in-the-works",
        "compromise",
        "kept",
        "unrated",
    ]
    assert counts == {
        "not-yet-rated": 0,
        "broken": 1,
        "stalled": 0,
        "in-the-works": 1,
        "compromise": 1,
        "kept": 1,
        "unrated": 1,
    }


def test_json_document_shape() -> None:
    card = promisescore.score(rubric(agg_body()))
    data = card.to_dict()
    assert data["schema_version"] == 1
    assert data["as_of"] == "2021-02-01"
    assert set(data["overall"]) == {"score", "grade", "coverage"}
    first = data["promises"][0]
    for key in ("id", "title", "category", "weight", "rating", "fulfillment", "rated", "overdue"):
        assert key in first
    assert data["categories"][0] == {
        "id": "a",
        "title": "A",
        "score": 0.75,
        "grade": "C",
        "weight": 4.0,
        "promises": 2,
        "rated": 2,
        "coverage": 1.0,
    }
    assert math.isclose(data["overall"]["score"], 4.25 / 7)


# --------------------------------------------------------------------------- explain


def test_explain_contribution_and_words() -> None:
    r = rubric(agg_body())
    result = promisescore.explain(r, "a2")
    assert result.contribution is not None
    assert result.contribution.category_now == pytest.approx(0.75)
    assert result.contribution.category_if_kept == pytest.approx(1.0)
    assert result.contribution.category_if_broken == pytest.approx(0.75)
    assert result.contribution.overall_if_kept == pytest.approx(5.25 / 7)
    text = promisescore.render(result)  # the words come from the explanation renderer
    assert "a: broken" in text
    assert "Consensus (median)" in text
    with pytest.raises(promisescore.UnknownIdError) as info:
        promisescore.explain(r, "a3")
    assert "a1" in info.value.suggestions


def test_explain_unrated_promise_what_if() -> None:
    r = rubric(agg_body())
    result = promisescore.explain(r, "b2")
    assert not result.promise.rated
    assert result.contribution is not None
    # if kept, b2 joins category b: (2*0.5 + 2*1) / 4
    assert result.contribution.category_if_kept == pytest.approx(0.75)
    assert result.contribution.category_if_broken == pytest.approx(0.25)
