"""Format 1.1 scoring, by hand (FORMAT.md §7): roles in and out, --assessor on a self
assessor, effective dates and the late rule, staleness at the boundary, every status
branch, bands = [], the JSON of schema_version 2, and the W106/W107 warnings."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

import promisescore as ps
from promisescore.cli import main
from promisescore.model import Level, Scale
from promisescore.scoring.engine import status_of

HEAD = """format = "1.1"

[report]
title = "T"
start = 2021-01-01
end = 2025-01-01

[scale]
preset = "politifact"
"""

ASSESSORS = """
[[assessors]]
id = "gov"
name = "The Government"
role = "self"

[[assessors]]
id = "fc"
name = "Fact Check"
role = "independent"

[[assessors]]
id = "ngo"
name = "Advocates"
role = "advocacy"
"""


def rubric(body: str, grading: str = "", assessors: str = ASSESSORS) -> ps.Rubric:
    text = HEAD + (f"\n[grading]\n{grading}\n" if grading else "") + assessors + body
    return ps.loads(text)


def plain(pid: str = "p", extra: str = "") -> str:
    return f'\n[[promises]]\nid = "{pid}"\ntitle = "{pid}"\n{extra}\n'


def rate(by: str, when: str, rating: str, pid: str = "p", extra: str = "") -> str:
    return (
        f'\n[[assessments]]\npromise = "{pid}"\nby = "{by}"\ndate = {when}\n'
        f'rating = "{rating}"\n{extra}\n'
    )


# --------------------------------------------------------------------------- roles


def test_self_ratings_are_left_out_of_the_headline_by_default() -> None:
    body = plain() + rate("gov", "2021-06-01", "kept") + rate("fc", "2021-06-01", "broken")
    card = ps.score(rubric(body))
    item = card.promise("p")
    assert item.rating == "broken"
    assert item.fulfillment == 0.0
    assert [r.by for r in item.trace.ratings] == ["fc"]
    [left] = item.trace.excluded
    assert (left.by, left.name, left.role, left.rating) == ("gov", "The Government", "self", "kept")
    assert card.assessors == ("fc",)
    assert card.excluded_assessors == ("gov",)
    assert card.consensus_roles == ("independent", "advocacy")


def test_advocacy_counts_by_default() -> None:
    body = plain() + rate("ngo", "2021-06-01", "kept") + rate("fc", "2021-06-01", "broken")
    item = ps.score(rubric(body)).promise("p")
    # lower median of ranks broken (1) and kept (5): broken
    assert item.rating == "broken"
    assert sorted(item.assessors) == ["fc", "ngo"]


def test_a_promise_rated_only_by_left_out_assessors_is_unrated_but_shown() -> None:
    body = (
        plain()
        + rate("gov", "2021-06-01", "kept")
        + plain("q")
        + rate("fc", "2021-06-01", "kept", "q")
    )
    card = ps.score(rubric(body))
    item = card.promise("p")
    assert not item.rated
    assert item.status is None
    assert item.trace.excluded[0].rating == "kept"
    assert "role counts" in item.trace.rule
    assert dict(card.counts)["unrated"] == 1
    assert dict(card.counts)["kept"] == 1
    assert card.overall.coverage == 0.5
    assert card.overall.score == 1.0


def test_consensus_roles_can_count_self_or_only_advocacy() -> None:
    body = plain() + rate("gov", "2021-06-01", "kept") + rate("ngo", "2021-06-01", "stalled")
    only_self = ps.score(rubric(body, 'consensus_roles = ["self"]')).promise("p")
    assert only_self.rating == "kept"
    assert [r.by for r in only_self.trace.excluded] == ["ngo"]
    everyone = ps.score(rubric(body, 'consensus_roles = ["self", "independent", "advocacy"]'))
    # lower median of stalled (2) and kept (5): stalled
    assert everyone.promise("p").rating == "stalled"
    assert everyone.excluded_assessors == ()
    nobody = ps.score(rubric(body, "consensus_roles = []")).promise("p")
    assert not nobody.rated


def test_assessor_option_scores_a_self_assessor_whatever_its_role() -> None:
    body = plain() + rate("gov", "2021-06-01", "kept") + rate("fc", "2021-06-01", "broken")
    r = rubric(body)
    card = ps.score(r, assessor="gov")
    assert card.promise("p").rating == "kept"
    assert card.promise("p").trace.excluded == ()
    assert card.assessors == ("gov",)
    assert card.overall.score == 1.0


def test_assessor_option_through_the_cli(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    body = plain() + rate("gov", "2021-06-01", "kept") + rate("fc", "2021-06-01", "broken")
    path = tmp_path / "r.toml"
    path.write_text(HEAD + ASSESSORS + body, encoding="utf-8")
    runner = CliRunner()
    headline = json.loads(runner.invoke(main, ["score", str(path), "--format", "json"]).stdout)
    own = json.loads(
        runner.invoke(main, ["score", str(path), "--format", "json", "--assessor", "gov"]).stdout
    )
    assert headline["overall"]["score"] == 0.0
    assert own["overall"]["score"] == 1.0
    explained = runner.invoke(main, ["explain", str(path), "p", "--assessor", "gov"])
    assert explained.exit_code == 0
    assert "Counted: only The Government (self), chosen with --assessor" in explained.stdout
    default = runner.invoke(main, ["explain", str(path), "p"]).stdout
    assert "Left out by role (shown, not counted):" in default
    assert "  - The Government (self): kept on 2021-06-01" in default


def test_without_an_assessors_table_every_by_counts_as_independent() -> None:
    body = plain() + rate("a", "2021-06-01", "kept") + rate("b", "2021-06-01", "broken")
    card = ps.score(rubric(body, assessors=""))
    assert card.assessors == ("a", "b")
    assert card.promise("p").rating == "broken"
    assert [a.role for a in card.assessor_details] == ["independent", "independent"]


# --------------------------------------------------------------------------- effective


LATE = 'late = "compromise"'


def test_effective_before_the_deadline_is_not_late() -> None:
    # written 2021-04-20 (after the deadline 2021-04-10), effective 2021-04-02 (before)
    body = plain(extra="deadline = 2021-04-10") + rate(
        "fc", "2021-04-20", "kept", extra="effective = 2021-04-02"
    )
    item = ps.score(rubric(body, LATE)).promise("p")
    assert not item.late
    assert item.rating == "kept"
    assert item.trace.stable_since == date(2021, 4, 2)


def test_without_effective_the_same_rating_is_late() -> None:
    body = plain(extra="deadline = 2021-04-10") + rate("fc", "2021-04-20", "kept")
    item = ps.score(rubric(body, LATE)).promise("p")
    assert item.late
    assert item.rating == "compromise"
    assert item.fulfillment == 0.5
    assert item.status == "compromise"


def test_effective_after_the_deadline_is_late() -> None:
    body = plain(extra="deadline = 2021-04-10") + rate(
        "fc", "2021-04-20", "kept", extra="effective = 2021-04-11"
    )
    item = ps.score(rubric(body, LATE)).promise("p")
    assert item.late
    assert item.trace.stable_since == date(2021, 4, 11)


def test_effective_dates_order_an_assessors_ratings_for_the_late_rule() -> None:
    # fc: in-the-works effective 03-01, kept effective 04-05 (written 04-20);
    # ngo: kept written 04-08. Standing (kept, kept) from 04-08 on; at 04-05 fc kept alone
    # (ngo not yet effective) → kept; at 03-01 in-the-works. d* = 04-05 ≤ deadline 04-10.
    body = (
        plain(extra="deadline = 2021-04-10")
        + rate("fc", "2021-03-01", "in-the-works")
        + rate("fc", "2021-04-20", "kept", extra="effective = 2021-04-05")
        + rate("ngo", "2021-04-08", "kept")
    )
    item = ps.score(rubric(body, LATE)).promise("p")
    assert item.trace.stable_since == date(2021, 4, 5)
    assert not item.late
    text = ps.render(ps.explain(rubric(body, LATE), "p")).splitlines()
    assert any("the effective date of Fact Check's rating written on 2021-04-20" in t for t in text)


def test_as_of_selection_still_uses_the_writing_date() -> None:
    body = (
        plain()
        + rate("fc", "2021-03-01", "stalled")
        + rate("fc", "2021-04-20", "kept", extra="effective = 2021-04-02")
    )
    r = rubric(body)
    assert ps.score(r, "2021-04-10").promise("p").rating == "stalled"
    assert ps.score(r, "2021-04-20").promise("p").rating == "kept"


def test_effective_on_criteria_promises() -> None:
    body = (
        '\n[[promises]]\nid = "p"\ntitle = "p"\ndeadline = 2021-04-10\n'
        'criteria = [{ id = "a", title = "A" }]\n'
        '\n[[assessments]]\npromise = "p"\ncriterion = "a"\nby = "fc"\ndate = 2021-05-01\n'
        'effective = 2021-04-01\nrating = "kept"\n'
    )
    item = ps.score(rubric(body, LATE)).promise("p")
    assert item.fulfillment == 1.0
    assert not item.late
    late = ps.score(rubric(body.replace("effective = 2021-04-01", "effective = 2021-04-11"), LATE))
    assert late.promise("p").late
    assert late.promise("p").fulfillment == 0.5


# --------------------------------------------------------------------------- staleness


def test_stale_exactly_at_the_boundary() -> None:
    body = plain() + rate("fc", "2021-03-01", "kept")
    r = rubric(body, 'stale_after = "P1Y"')
    # t + P1Y = 2022-03-01: not stale as of that day (not <), stale the day after
    assert not ps.score(r, "2022-03-01").promise("p").stale
    assert ps.score(r, "2022-03-02").promise("p").stale
    assert ps.score(r, "2022-03-02").promise("p").trace.newest == date(2021, 3, 1)


def test_without_stale_after_nothing_is_stale() -> None:
    body = plain() + rate("fc", "2021-03-01", "kept")
    assert not ps.score(rubric(body), "2030-01-01").promise("p").stale


def test_staleness_uses_the_newest_counted_assessment() -> None:
    # the self rating is newer but does not enter the consensus; the unrated-level rating
    # of ngo is newer still but is left out of the consensus too
    body = (
        plain()
        + rate("fc", "2021-03-01", "kept")
        + rate("gov", "2022-01-01", "kept")
        + rate("ngo", "2022-02-01", "not-yet-rated")
    )
    item = ps.score(rubric(body, 'stale_after = "P6M"'), "2022-03-01").promise("p")
    assert item.trace.newest == date(2021, 3, 1)
    assert item.stale


def test_staleness_of_criteria_and_target_promises() -> None:
    body = (
        '\n[[promises]]\nid = "c"\ntitle = "c"\ncriteria = [{ id = "a", title = "A" }, '
        '{ id = "b", title = "B" }]\n'
        '\n[[promises]]\nid = "t"\ntitle = "t"\ntarget = { metric = "m", baseline = 0, target = 10 }\n'
        '\n[[evidence]]\nid = "e"\npromise = "t"\ndate = 2021-05-01\nsummary = "s"\nsource = "x"\nvalue = 5\n'
        '\n[[assessments]]\npromise = "c"\ncriterion = "a"\nby = "fc"\ndate = 2021-01-10\nrating = "kept"\n'
        '\n[[assessments]]\npromise = "c"\ncriterion = "b"\nby = "fc"\ndate = 2021-06-10\nrating = "kept"\n'
    )
    card = ps.score(rubric(body, 'stale_after = "P2M"'), "2021-08-05")
    assert card.promise("c").trace.newest == date(2021, 6, 10)
    assert not card.promise("c").stale  # 06-10 + 2 months = 08-10 ≥ 08-05
    assert card.promise("t").trace.newest == date(2021, 5, 1)
    assert card.promise("t").stale  # 05-01 + 2 months = 07-01 < 08-05


def test_unrated_promises_are_never_stale() -> None:
    body = plain() + rate("fc", "2021-03-01", "not-yet-rated")
    item = ps.score(rubric(body, 'stale_after = "P1D"'), "2024-01-01").promise("p")
    assert not item.rated
    assert not item.stale


# --------------------------------------------------------------------------- status


POLITIFACT = Scale("politifact")
D = date(2022, 1, 1)


@pytest.mark.parametrize(
    ("kind", "f", "deadline", "expected"),
    [
        ("criteria", 1.0, None, "kept"),  # f = 1: highest final of value 1
        ("target", 1.0, date(2021, 1, 1), "kept"),
        ("criteria", 0.3, None, "in-the-works"),  # no deadline: highest non-final ≤ f
        ("criteria", 0.3, D, "in-the-works"),  # on the deadline: still before it
        ("criteria", 0.2, date(2023, 1, 1), "stalled"),  # non-final ≤ 0.2: stalled (0)
        ("target", 0.6, date(2021, 6, 1), "compromise"),  # after: highest final ≤ 0.6
        ("target", 0.3, date(2021, 6, 1), "broken"),  # after: compromise (0.5) > 0.3
        ("criteria", None, None, None),  # unrated
    ],
)
def test_status_branches_on_politifact(
    kind: str, f: float | None, deadline: date | None, expected: str | None
) -> None:
    assert status_of(POLITIFACT, kind, None, f, deadline, D) == expected


def test_status_of_plain_promises_is_the_consensus_level() -> None:
    assert status_of(POLITIFACT, "plain", "stalled", 0.0, None, D) == "stalled"


def test_status_on_the_percent_scale_is_always_null() -> None:
    assert status_of(Scale("percent"), "criteria", None, 1.0, None, D) is None
    assert status_of(Scale("percent"), "plain", None, 0.5, None, D) is None


def test_status_on_a_custom_scale_falls_back_to_any_level_below_f() -> None:
    # only final levels: before the deadline no non-final level qualifies, so the
    # highest-ranked level with value ≤ f; with f = 1 and no final level of value 1, too
    scale = Scale(
        levels=(
            Level("none", "None", 0.0, final=True),
            Level("half", "Half", 0.5, final=True),
            Level("most", "Most", 0.9),
        )
    )
    assert status_of(scale, "criteria", None, 0.6, None, D) == "half"  # fallback
    assert status_of(scale, "criteria", None, 0.95, None, D) == "most"  # non-final ≤ f
    assert status_of(scale, "target", None, 1.0, None, D) == "most"  # no final of value 1
    assert status_of(scale, "target", None, 0.95, date(2021, 1, 1), D) == "half"
    above = Scale(levels=(Level("some", "Some", 0.3), Level("all", "All", 1.0, final=True)))
    assert status_of(above, "criteria", None, 0.1, None, D) is None  # nothing ≤ f


def test_cppg_statuses() -> None:
    cppg = Scale("cppg")
    assert status_of(cppg, "criteria", None, 0.75, None, D) == "partially-fulfilled"  # fallback
    assert status_of(cppg, "criteria", None, 1.0, None, D) == "fully-fulfilled"


def test_every_promise_is_counted_by_status() -> None:
    body = (
        plain()
        + rate("fc", "2021-06-01", "kept")
        + '\n[[promises]]\nid = "c"\ntitle = "c"\ncriteria = [{ id = "a", title = "A" }, '
        '{ id = "b", title = "B" }]\n'
        '\n[[assessments]]\npromise = "c"\ncriterion = "a"\nby = "fc"\ndate = 2021-01-10\n'
        'rating = "kept"\n'
        '\n[[promises]]\nid = "t"\ntitle = "t"\ntarget = { metric = "m", baseline = 0, target = 10 }\n'
        + plain("u")
    )
    card = ps.score(rubric(body))
    # f(c) = 0.5, no deadline: highest non-final ≤ 0.5 is in-the-works (0.25)
    assert card.promise("c").status == "in-the-works"
    counts = dict(card.counts)
    assert counts == {
        "not-yet-rated": 0,
        "broken": 0,
        "stalled": 0,
        "in-the-works": 1,
        "compromise": 0,
        "kept": 1,
        "unrated": 2,
    }
    assert sum(counts.values()) == len(card.promises)
    text = ps.render(card, "text")
    assert "Target" not in text
    assert "Criteria" not in text
    assert "In the Works" in text


def test_percent_scale_rubric_scores_with_null_statuses() -> None:
    text = (
        HEAD.replace('preset = "politifact"', 'preset = "percent"')
        + plain()
        + '\n[[assessments]]\npromise = "p"\nby = "a"\ndate = 2021-06-01\nvalue = 0.4\n'
    )
    card = ps.score(ps.loads(text))
    assert card.promise("p").status is None
    assert card.promise("p").assessors == {"a": 0.4}
    assert dict(card.counts) == {"unrated": 0}
    assert "40%" in ps.render(card, "text")


# --------------------------------------------------------------------------- grades


def test_no_bands_means_no_grade_anywhere() -> None:
    body = plain() + rate("fc", "2021-06-01", "compromise")
    card = ps.score(rubric(body, "bands = []"))
    assert card.overall.grade is None
    assert all(c.grade is None for c in card.categories)
    assert not card.graded
    data = json.loads(ps.render(card, "json"))
    assert data["overall"]["grade"] is None
    assert all(c["grade"] is None for c in data["categories"])
    assert "grade" not in ps.render(card, "text").lower()
    assert "Grade" not in ps.render(card, "markdown")
    assert "Grades" not in ps.render(card, "html")
    badge = ps.render(card, "badge")
    assert ">50%<" in badge
    assert "promises: 50%" in badge


def test_with_bands_a_11_rubric_still_grades() -> None:
    card = ps.score(rubric(plain() + rate("fc", "2021-06-01", "compromise")))
    assert card.overall.grade == "F"
    assert "grade" in ps.render(card, "text")


# --------------------------------------------------------------------------- JSON


def test_json_of_a_11_rubric_has_schema_version_2_and_the_new_keys() -> None:
    body = (
        plain(extra="deadline = 2021-03-01")
        + rate("gov", "2021-06-01", "kept")
        + rate("fc", "2021-06-01", "kept", extra="effective = 2021-02-01")
    )
    data = json.loads(
        ps.render(ps.score(rubric(body, 'stale_after = "P1M"'), "2021-08-01"), "json")
    )
    assert data["schema_version"] == 2
    [item] = data["promises"]
    assert item["status"] == "kept"
    assert item["stale"] is True
    assert item["assessors"] == {"fc": "kept"}
    assert item["trace"]["excluded"][0]["role"] == "self"
    assert item["trace"]["ratings"][0]["effective"] == "2021-02-01"
    assert item["trace"]["ratings"][0]["name"] == "Fact Check"
    assert data["excluded_assessors"] == ["gov"]
    assert [a["id"] for a in data["assessor_details"]] == ["fc", "gov", "ngo"]


def test_json_of_a_format_1_rubric_is_unchanged() -> None:
    text = HEAD.replace('format = "1.1"', "format = 1") + plain() + rate("a", "2021-06-01", "kept")
    data = json.loads(ps.render(ps.score(ps.loads(text)), "json"))
    assert data["schema_version"] == 1
    assert "status" not in data["promises"][0]
    assert "format" not in data
    assert "excluded" not in data["promises"][0]["trace"]


# --------------------------------------------------------------------------- warnings


def test_w106_evidence_newer_than_the_latest_assessment() -> None:
    body = (
        plain() + '\n[[evidence]]\nid = "e"\npromise = "p"\ndate = 2021-07-01\nsummary = "s"\n'
        'source = { title = "x", kind = "record" }\n'
        + rate("fc", "2021-06-01", "in-the-works", extra='evidence = ["e"]')
    )
    result = ps.check_text(HEAD + ASSESSORS + body)
    [w] = [p for p in result.problems if p.code == "W106"]
    assert w.object_id == "e"
    assert w.hint is not None
    assert "2021-06-01" in w.message
    fresh = body.replace("date = 2021-06-01", "date = 2021-07-01")
    assert "W106" not in {p.code for p in ps.check_text(HEAD + ASSESSORS + fresh).problems}


def _target(first_kind: str, second_kind: str, second_value: int) -> str:
    return (
        '\n[[promises]]\nid = "t"\ntitle = "t"\ntarget = { metric = "m", baseline = 0, target = 10 }\n'
        '\n[[evidence]]\nid = "a"\npromise = "t"\ndate = 2021-05-01\nsummary = "s"\n'
        f'source = {{ title = "x", kind = "{first_kind}" }}\nvalue = 4\n'
        '\n[[evidence]]\nid = "b"\npromise = "t"\ndate = 2021-06-01\nsummary = "s"\n'
        f'source = {{ title = "y", kind = "{second_kind}" }}\nvalue = {second_value}\n'
    )


@pytest.mark.parametrize(
    ("first", "second", "value", "warned"),
    [
        ("record", "claim", 9, True),
        ("report", "advocacy", 9, True),
        ("record", "claim", 4, False),  # the same figure: no conflict
        ("claim", "claim", 9, False),  # nothing independent before
        ("record", "report", 9, False),  # the deciding figure is independent
    ],
)
def test_w107_conflicting_figures(first: str, second: str, value: int, warned: bool) -> None:
    text = HEAD + ASSESSORS + _target(first, second, value)
    result = ps.check_text(text)
    found = [p for p in result.problems if p.code == "W107"]
    assert bool(found) == warned
    if warned:
        assert found[0].object_id == "b"
        assert found[0].line is not None
        assert ps.score(result.rubric).promise("t").fulfillment == value / 10  # type: ignore[arg-type]


def test_strict_check_fails_on_the_new_warnings(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "r.toml"
    path.write_text(HEAD + ASSESSORS + _target("record", "claim", 9), encoding="utf-8")
    runner = CliRunner()
    loose = runner.invoke(main, ["check", str(path)])
    strict = runner.invoke(main, ["check", "--strict", str(path)])
    assert "W107" in loose.stdout
    assert loose.exit_code == 0
    assert strict.exit_code == 1


def test_format_1_rubrics_get_no_new_warnings() -> None:
    text = HEAD.replace('format = "1.1"', "format = 1") + _target("record", "claim", 9)
    assert "W107" not in {p.code for p in ps.check_text(text).problems}


def test_a_baseline_of_a_11_rubric_is_accepted_by_the_gate(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    fixture = Path(__file__).parent / "fixtures" / "honest-numbers.toml"
    runner = CliRunner()
    saved = runner.invoke(main, ["score", str(fixture), "--format", "json"])
    assert json.loads(saved.stdout)["schema_version"] == 2
    baseline = tmp_path / "main.json"
    baseline.write_text(saved.stdout, encoding="utf-8")
    gated = runner.invoke(main, ["check", str(fixture), "--baseline", str(baseline)])
    assert gated.exit_code == 0, gated.output
    assert "gate baseline passed" in gated.stdout


def test_explain_says_whether_the_rating_is_stale() -> None:
    body = plain() + rate("fc", "2021-03-01", "kept")
    r = rubric(body, 'stale_after = "P1Y"')
    fresh = ps.render(ps.explain(r, "p", as_of="2022-03-01")).splitlines()
    stale = ps.render(ps.explain(r, "p", as_of="2022-03-02")).splitlines()
    assert "Fresh: the newest deciding rating is of 2021-03-01, within P1Y of 2022-03-01." in fresh
    assert (
        "Stale: the newest deciding rating is of 2021-03-01, more than P1Y before 2022-03-02 "
        "(grading.stale_after)." in stale
    )
    data = ps.explain(r, "p", as_of="2022-03-02").to_dict()
    assert data["schema_version"] == 2
    assert data["promise"]["stale"] is True
