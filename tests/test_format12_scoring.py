"""Format 1.2 scoring, by hand (FORMAT.md §8): the desk's verdict and reviewers, per-rating
staleness and ``stale = "drop"``, verdicts on measured promises and W108, grades only with
bands, status_since, the JSON of schema_version 3, the per-assessor view, and the split
of a change into re-ratings and composition."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

import promisescore as ps
from promisescore.analysis.changes import ScoreChange, exact_split
from promisescore.cli import main
from promisescore.errors import RubricError

HEAD = """format = "{fmt}"

[report]
title = "T"
start = 2021-01-01
end = 2025-01-01

[scale]
preset = "politifact"
"""

DESK = """
[[assessors]]
id = "desk"
name = "The Desk"
role = "desk"

[[assessors]]
id = "copy"
name = "Copy Desk"
role = "reviewer"

[[assessors]]
id = "fc"
name = "Fact Check"
role = "independent"
"""

NO_DESK = """
[[assessors]]
id = "fc"
name = "Fact Check"
role = "independent"

[[assessors]]
id = "ngo"
name = "Advocates"
role = "advocacy"

[[assessors]]
id = "copy"
name = "Copy Desk"
role = "reviewer"
"""


def text(body: str, grading: str = "", assessors: str = DESK, fmt: str = "1.2") -> str:
    return (
        HEAD.format(fmt=fmt) + (f"\n[grading]\n{grading}\n" if grading else "") + assessors + body
    )


def rubric(body: str, grading: str = "", assessors: str = DESK, fmt: str = "1.2") -> ps.Rubric:
    return ps.loads(text(body, grading, assessors, fmt))


def plain(pid: str = "p", extra: str = "") -> str:
    return f'\n[[promises]]\nid = "{pid}"\ntitle = "{pid}"\n{extra}\n'


def target(pid: str = "t", goal: float = 10) -> str:
    return (
        f'\n[[promises]]\nid = "{pid}"\ntitle = "{pid}"\n'
        f'target = {{ metric = "m", baseline = 0, target = {goal} }}\n'
    )


def criteria(pid: str = "c") -> str:
    return (
        f'\n[[promises]]\nid = "{pid}"\ntitle = "{pid}"\n'
        'criteria = [{ id = "a", title = "A" }, { id = "b", title = "B" }]\n'
    )


def figure(pid: str, when: str, value: float, ident: str | None = None) -> str:
    return (
        f'\n[[evidence]]\nid = "{ident or pid + "-" + when}"\npromise = "{pid}"\ndate = {when}\n'
        f'summary = "s"\nsource = {{ title = "S", kind = "record" }}\nvalue = {value}\n'
    )


def rate(by: str, when: str, rating: str, pid: str = "p", extra: str = "") -> str:
    return (
        f'\n[[assessments]]\npromise = "{pid}"\nby = "{by}"\ndate = {when}\n'
        f'rating = "{rating}"\n{extra}\n'
    )


def codes(source: str) -> list[str]:
    return [p.code for p in ps.check_text(source).problems]


# --------------------------------------------------------------------------- §8.1 roles


def test_desk_present_gives_the_verdict_and_others_do_not_move_it() -> None:
    r = rubric(
        plain() + rate("desk", "2022-01-01", "compromise") + rate("fc", "2022-02-01", "kept")
    )
    card = ps.score(r, "2022-06-01")
    assert card.consensus_roles == ("desk",)
    item = card.promise("p")
    assert (item.rating, item.status, item.fulfillment) == ("compromise", "compromise", 0.5)
    assert card.excluded_assessors == ("fc",)
    assert card.overall.score == 0.5


def test_desk_absent_keeps_the_11_default_roles() -> None:
    r = rubric(
        plain() + rate("fc", "2022-01-01", "kept") + rate("ngo", "2022-01-01", "broken"),
        assessors=NO_DESK,
    )
    card = ps.score(r, "2022-06-01")
    assert card.consensus_roles == ("independent", "advocacy")
    # lower median of broken (rank 1) and kept (rank 5) is broken
    assert card.promise("p").rating == "broken"


def test_written_consensus_roles_win_over_the_desk_default() -> None:
    r = rubric(
        plain() + rate("desk", "2022-01-01", "compromise") + rate("fc", "2022-02-01", "kept"),
        grading='consensus_roles = ["independent"]',
    )
    assert ps.score(r, "2022-06-01").promise("p").rating == "kept"


def test_a_reviewer_that_disagrees_never_moves_the_headline() -> None:
    base = plain() + rate("desk", "2022-01-01", "compromise")
    without = ps.score(rubric(base), "2022-06-01")
    with_reviewer = ps.score(rubric(base + rate("copy", "2022-01-02", "broken")), "2022-06-01")
    assert with_reviewer.overall == without.overall
    assert with_reviewer.promise("p").status == "compromise"
    assert with_reviewer.counts == without.counts
    # without a desk the reviewer is not counted either
    r = rubric(
        plain() + rate("fc", "2022-01-01", "kept") + rate("copy", "2022-01-02", "broken"),
        assessors=NO_DESK,
    )
    assert ps.score(r, "2022-06-01").promise("p").rating == "kept"


def test_a_reviewers_later_rating_does_not_move_the_default_date() -> None:
    base = plain() + rate("desk", "2022-01-01", "in-the-works")
    r = rubric(base + rate("copy", "2023-06-01", "broken"), grading='stale_after = "P1Y"')
    card = ps.score(r)
    assert card.as_of == date(2022, 1, 1)
    assert not card.promise("p").stale
    assert [p.as_of for p in ps.timeline(r).points][-1] == date(2022, 1, 1)
    # agree still sees it
    assert "copy" in ps.agreement(r).assessors


def test_agree_compares_the_reviewer() -> None:
    r = rubric(
        plain() + rate("desk", "2022-01-01", "compromise") + rate("copy", "2022-01-02", "broken")
    )
    agreement = ps.agreement(r)
    assert "copy" in agreement.assessors
    assert "desk" in agreement.assessors


def test_consensus_roles_naming_reviewer_is_an_error_with_a_hint() -> None:
    source = text(
        plain() + rate("desk", "2022-01-01", "kept"),
        grading='consensus_roles = ["desk", "reviewer"]',
    )
    problems = [p for p in ps.check_text(source).problems if p.is_error]
    assert [p.code for p in problems] == ["E209"]
    assert "reviewer" in problems[0].message
    assert problems[0].hint


@pytest.mark.parametrize(
    ("snippet", "where"),
    [
        ('[[assessors]]\nid = "d"\nname = "D"\nrole = "desk"\n', "role 'desk'"),
        ('[grading]\nstale = "drop"\n', "grading.stale"),
        (
            '[[assessors]]\nid = "d"\nname = "D"\nrole = "independent"\n'
            + plain()
            + rate("d", "2022-01-01", "kept", extra='headline = "H"'),
            "headline",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["1", "1.1"])
def test_12_keys_in_older_files_name_the_version(snippet: str, where: str, fmt: str) -> None:
    head = HEAD.format(fmt=fmt).replace('format = "1"\n', "format = 1\n")
    source = head + "\n" + snippet + ("" if "[[promises]]" in snippet else plain())
    found = [p for p in ps.check_text(source).problems if p.code == "E010"]
    assert any(where in p.message and '"1.2"' in (p.hint or "") for p in found), found


def test_assessment_url_must_be_http() -> None:
    source = text(plain() + rate("desk", "2022-01-01", "kept", extra='url = "ftp://x"'))
    assert "E213" in codes(source)
    ok = text(
        plain()
        + rate(
            "desk",
            "2022-01-01",
            "kept",
            extra='author = "A"\nheadline = "H"\nurl = "https://example.org/x"',
        )
    )
    r = ps.loads(ok)
    assert (r.assessments[0].author, r.assessments[0].headline) == ("A", "H")


# --------------------------------------------------------------------------- §8.2 staleness


def test_stale_at_the_boundary_per_rating() -> None:
    r = rubric(plain() + rate("desk", "2022-01-01", "in-the-works"), grading='stale_after = "P6M"')
    # 2022-01-01 + P6M = 2022-07-01: stale only when that is before D
    assert not ps.score(r, "2022-07-01").promise("p").stale
    late = ps.score(r, "2022-07-02").promise("p")
    assert late.stale
    assert late.stale_assessors == ("desk",)


def test_a_final_level_is_never_stale() -> None:
    r = rubric(plain() + rate("desk", "2021-01-01", "kept"), grading='stale_after = "P1M"')
    item = ps.score(r, "2024-12-31").promise("p")
    assert not item.stale
    assert item.stale_assessors == ()


def test_drop_with_one_fresh_rating_leaves_the_stale_one_out() -> None:
    r = rubric(
        plain() + rate("fc", "2021-02-01", "stalled") + rate("ngo", "2022-05-01", "in-the-works"),
        grading='stale_after = "P6M"\nstale = "drop"',
        assessors=NO_DESK,
    )
    item = ps.score(r, "2022-06-01").promise("p")
    # fc's stalled is stale (2021-08-01 < D) and dropped: only ngo's in-the-works counts
    assert item.rating == "in-the-works"
    assert item.fulfillment == 0.25
    assert item.stale_assessors == ("fc",)
    assert not item.stale  # what enters the consensus is fresh
    assert [d.by for d in item.trace.dropped] == ["fc"]
    # with flag (the default) both count: lower median of stalled (2) and in-the-works (3)
    flagged = rubric(
        plain() + rate("fc", "2021-02-01", "stalled") + rate("ngo", "2022-05-01", "in-the-works"),
        grading='stale_after = "P6M"',
        assessors=NO_DESK,
    )
    item = ps.score(flagged, "2022-06-01").promise("p")
    assert item.rating == "stalled"
    assert item.stale
    assert item.stale_assessors == ("fc",)


def test_drop_with_no_fresh_rating_keeps_them_all() -> None:
    r = rubric(
        plain() + rate("fc", "2021-02-01", "stalled") + rate("ngo", "2021-03-01", "in-the-works"),
        grading='stale_after = "P6M"\nstale = "drop"',
        assessors=NO_DESK,
    )
    item = ps.score(r, "2022-06-01").promise("p")
    assert item.rating == "stalled"
    assert item.stale
    assert item.stale_assessors == ("fc", "ngo")
    assert item.trace.dropped == ()


def test_a_target_figure_alone_is_stale_by_its_date() -> None:
    r = rubric(target() + figure("t", "2021-06-01", 5), grading='stale_after = "P1Y"')
    assert not ps.score(r, "2022-06-01").promise("t").stale
    assert ps.score(r, "2022-06-02").promise("t").stale


def test_a_figure_left_out_of_an_assessors_view_is_not_stale() -> None:
    """§8.6: with --assessor, a target promise that assessor never rated is unrated;
    its figure belongs to no assessor, so it is not stale either (it is in the headline)."""
    r = rubric(
        target() + figure("t", "2021-06-01", 5) + rate("desk", "2021-06-02", "kept", pid="t"),
        grading='stale_after = "P1Y"',
    )
    view = ps.score(r, "2022-12-01", assessor="fc").promise("t")
    assert not view.rated
    assert not view.stale
    figure_only = rubric(target() + figure("t", "2021-06-01", 5), grading='stale_after = "P1Y"')
    assert ps.score(figure_only, "2022-12-01").promise("t").stale


def test_w106_is_quiet_for_a_final_consensus() -> None:
    evidence = (
        '\n[[evidence]]\nid = "e"\npromise = "p"\ndate = 2022-06-01\nsummary = "s"\n'
        'source = { title = "S", kind = "record" }\n'
    )
    kept = text(plain() + rate("desk", "2022-01-01", "kept", extra='evidence = ["e"]') + evidence)
    open_ = text(
        plain() + rate("desk", "2022-01-01", "in-the-works", extra='evidence = ["e"]') + evidence
    )
    assert "W106" not in [p.code for p in ps.lint(ps.loads(kept))]
    assert "W106" in [p.code for p in ps.lint(ps.loads(open_))]
    # and the same from `check` on the command line
    result = ps.check_text(open_)
    assert result.rubric is not None


def test_w106_is_not_silenced_by_a_reviewer() -> None:
    """A reviewer's later rating never answers the new evidence (it is never counted nor
    shown, §8.1): W106 still asks for a re-assessment. A later rating by a voice shown to
    readers (an independent beside the desk) does answer it (docs/format.md)."""
    evidence = (
        '\n[[evidence]]\nid = "e"\npromise = "p"\ndate = 2022-06-01\nsummary = "s"\n'
        'source = { title = "S", kind = "record" }\n'
    )
    body = plain() + rate("desk", "2022-01-01", "in-the-works") + evidence

    def warned(extra: str) -> list[str]:
        found = ps.lint(ps.loads(text(body + extra)))
        return [p.message for p in found if p.code == "W106"]

    later = 'evidence = ["e"]'
    assert len(warned(rate("copy", "2022-07-01", "in-the-works", extra=later))) == 1
    assert "(2022-01-01)" in warned(rate("copy", "2022-07-01", "in-the-works", extra=later))[0]
    assert warned(rate("fc", "2022-07-01", "in-the-works", extra=later)) == []
    assert warned(rate("desk", "2022-07-02", "in-the-works", extra=later)) == []


# --------------------------------------------------------------------------- §8.3 verdicts


def test_a_target_promise_takes_a_verdict_beside_its_figure() -> None:
    r = rubric(
        target() + figure("t", "2022-01-01", 8) + rate("desk", "2022-02-01", "compromise", "t")
    )
    item = ps.score(r, "2022-06-01").promise("t")
    assert item.status == "compromise"
    assert item.fulfillment == 0.8
    assert item.progress == 0.8
    assert item.rating is None


def test_a_measured_promise_without_a_verdict_has_no_status() -> None:
    r = rubric(target() + figure("t", "2022-01-01", 8))
    card = ps.score(r, "2022-06-01")
    item = card.promise("t")
    assert item.status is None
    assert item.fulfillment == 0.8
    assert item.status_since is None
    counts = dict(card.counts)
    assert counts["measured"] == 1
    assert counts["unrated"] == 0
    assert counts["in-the-works"] == 0


def test_verdicts_are_not_allowed_before_12() -> None:
    body = target() + figure("t", "2022-01-01", 8) + rate("fc", "2022-02-01", "compromise", "t")
    assert "E309" in codes(
        text(body, assessors=NO_DESK.replace("reviewer", "independent"), fmt="1.1")
    )


def test_a_criteria_promise_with_a_whole_promise_verdict() -> None:
    body = (
        criteria()
        + rate("desk", "2022-01-01", "kept", "c", extra='criterion = "a"')
        + rate("desk", "2022-02-01", "compromise", "c")
    )
    item = ps.score(rubric(body), "2022-06-01").promise("c")
    # f from the criteria: (1×1 + 1×0) / 2; the status from the verdict
    assert item.fulfillment == 0.5
    assert item.status == "compromise"
    assert [v.by for v in item.trace.verdicts] == ["desk"]


def test_verdict_and_figure_agreeing_raise_no_w108() -> None:
    body = target() + figure("t", "2022-01-01", 10) + rate("desk", "2022-02-01", "kept", "t")
    assert "W108" not in [p.code for p in ps.lint(rubric(body))]


@pytest.mark.parametrize(("value", "rating"), [(8, "kept"), (10, "broken")])
def test_verdict_contradicting_the_figure_raises_w108(value: float, rating: str) -> None:
    body = target() + figure("t", "2022-01-01", value) + rate("desk", "2022-02-01", rating, "t")
    found = [p for p in ps.lint(rubric(body)) if p.code == "W108"]
    assert len(found) == 1
    assert found[0].hint
    assert not found[0].is_error


def test_w108_from_the_command_line(tmp_path: object) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "r.toml"
    path.write_text(
        text(target() + figure("t", "2022-01-01", 8) + rate("desk", "2022-02-01", "kept", "t")),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path), "--strict"])
    assert result.exit_code == 1
    assert "W108" in result.output


# --------------------------------------------------------------------------- §8.4 grades


def test_no_grades_without_bands_in_12() -> None:
    card = ps.score(rubric(plain() + rate("desk", "2022-01-01", "kept")))
    assert card.overall.grade is None
    assert not card.graded
    assert all(c.grade is None for c in card.categories)


def test_grades_with_bands_in_12() -> None:
    card = ps.score(
        rubric(
            plain() + rate("desk", "2022-01-01", "compromise"),
            grading='bands = [{ grade = "pass", min = 0.5 }, { grade = "fail", min = 0 }]',
        )
    )
    assert card.overall.grade == "pass"
    assert card.graded


def test_a_11_rubric_still_has_default_grades() -> None:
    body = plain() + rate("fc", "2022-01-01", "compromise")
    r = ps.loads(text(body, assessors=NO_DESK.replace("reviewer", "independent"), fmt="1.1"))
    assert ps.score(r).overall.grade == "F"


def test_12_default_bands_survive_a_round_trip() -> None:
    from promisescore.model.parts import DEFAULT_BANDS

    written = rubric(
        plain() + rate("desk", "2022-01-01", "kept"),
        grading="bands = ["
        + ", ".join(f'{{ grade = "{b.grade}", min = {b.min} }}' for b in DEFAULT_BANDS)
        + "]",
    )
    assert ps.loads(ps.dumps(written)).grading.bands == DEFAULT_BANDS
    plain_12 = rubric(plain() + rate("desk", "2022-01-01", "kept"))
    again = ps.loads(ps.dumps(plain_12))
    assert again.grading.bands == ()
    assert "bands" not in ps.dumps(plain_12)


# --------------------------------------------------------------------------- §8.8 status_since


def test_status_since_does_not_move_on_re_confirmation() -> None:
    body = plain() + rate("desk", "2021-01-20", "kept") + rate("desk", "2021-02-20", "kept")
    assert ps.score(rubric(body), "2021-06-01").promise("p").status_since == date(2021, 1, 20)


def test_status_since_across_a_change_and_back() -> None:
    body = (
        plain()
        + rate("desk", "2021-01-20", "in-the-works")
        + rate("desk", "2021-03-01", "stalled")
        + rate("desk", "2021-05-01", "in-the-works")
    )
    r = rubric(body)
    assert ps.score(r, "2021-02-01").promise("p").status_since == date(2021, 1, 20)
    assert ps.score(r, "2021-04-01").promise("p").status_since == date(2021, 3, 1)
    assert ps.score(r, "2021-06-01").promise("p").status_since == date(2021, 5, 1)


def test_status_since_uses_effective_dates() -> None:
    body = plain() + rate("desk", "2021-04-20", "kept", extra="effective = 2021-04-02")
    assert ps.score(rubric(body)).promise("p").status_since == date(2021, 4, 2)


def test_status_since_of_a_measured_promise_follows_its_verdicts() -> None:
    body = (
        target()
        + figure("t", "2021-02-01", 2)
        + rate("desk", "2021-03-01", "in-the-works", "t")
        + figure("t", "2021-04-01", 9)
        + rate("desk", "2021-05-01", "in-the-works", "t")
    )
    assert ps.score(rubric(body)).promise("t").status_since == date(2021, 3, 1)


# --------------------------------------------------------------------------- §8.10 JSON


def test_the_json_of_a_12_rubric() -> None:
    r = rubric(
        plain()
        + rate("desk", "2022-01-01", "kept")
        + rate("copy", "2022-01-02", "broken")
        + target()
        + figure("t", "2022-01-01", 4),
        grading='stale_after = "P1Y"',
    )
    data = json.loads(ps.render(ps.score(r, "2022-06-01"), "json"))
    assert data["schema_version"] == 3
    assert data["stale"] == "flag"
    assert data["counts"]["measured"] == 1
    assert data["counts"]["kept"] == 1
    p, t = data["promises"]
    assert (p["status_since"], p["stale_assessors"], p["progress"]) == ("2022-01-01", [], None)
    assert (t["status"], t["status_since"], t["progress"]) == (None, None, 0.4)
    details = {a["id"]: a for a in data["assessor_details"]}
    # desk rated the plain promise only: 1 of 2 promises, weight 1 of 2
    assert (details["desk"]["rated"], details["desk"]["coverage"]) == (1, 0.5)
    assert (details["copy"]["rated"], details["copy"]["coverage"]) == (1, 0.5)
    assert (details["fc"]["rated"], details["fc"]["coverage"]) == (0, 0.0)


def test_the_json_of_a_12_rubric_with_drop() -> None:
    r = rubric(plain() + rate("desk", "2022-01-01", "kept"), grading='stale = "drop"')
    assert json.loads(ps.render(ps.score(r), "json"))["stale"] == "drop"


# --------------------------------------------------------------------------- §8.6 per assessor


def test_assessor_on_a_measured_promise_counts_only_with_its_verdict() -> None:
    body = (
        plain()
        + rate("desk", "2022-01-01", "kept")
        + rate("fc", "2022-01-01", "broken")
        + target()
        + figure("t", "2022-01-01", 8)
        + rate("desk", "2022-02-01", "compromise", "t")
    )
    r = rubric(body)
    desk = ps.score(r, "2022-06-01", assessor="desk")
    assert desk.promise("t").rated
    assert desk.promise("t").fulfillment == 0.8
    # (1 + 0.8) / 2
    assert desk.overall.score == pytest.approx(0.9)
    fc = ps.score(r, "2022-06-01", assessor="fc")
    assert not fc.promise("t").rated  # a figure alone belongs to no assessor
    assert fc.overall.score == 0.0
    assert fc.overall.coverage == 0.5


def test_a_category_the_assessor_rated_nothing_in_has_no_score() -> None:
    body = (
        '\n[[categories]]\nid = "x"\ntitle = "X"\n[[categories]]\nid = "y"\ntitle = "Y"\n'
        + plain("p", 'category = "x"')
        + plain("q", 'category = "y"')
        + rate("desk", "2022-01-01", "kept", "p")
        + rate("fc", "2022-01-01", "kept", "q")
    )
    r = rubric(body, grading='unrated = "zero"')
    fc = ps.score(r, "2022-06-01", assessor="fc")
    assert fc.category("x").score is None
    assert fc.category("y").score == 1.0
    assert fc.overall.score == 1.0


# --------------------------------------------------------------------------- §8.5 changes


def test_a_change_that_is_all_composition() -> None:
    # p kept at D1; q newly rated broken at D2: C = {p}, which did not move
    body = (
        plain("p")
        + plain("q")
        + rate("desk", "2022-01-01", "kept", "p")
        + rate("desk", "2022-03-01", "broken", "q")
    )
    r = rubric(body)
    d = ps.diff(ps.score(r, "2022-02-01"), ps.score(r, "2022-04-01"))
    assert d.change is not None
    assert (d.change.overall.total, d.change.overall.rerated, d.change.overall.composition) == (
        -0.5,
        0.0,
        -0.5,
    )
    assert d.to_dict()["change"] == {"total": -0.5, "rerated": 0.0, "composition": -0.5}


def test_a_change_that_is_all_re_rating() -> None:
    body = (
        plain("p")
        + plain("q")
        + rate("desk", "2022-01-01", "kept", "p")
        + rate("desk", "2022-01-01", "kept", "q")
        + rate("desk", "2022-03-01", "compromise", "q")
    )
    r = rubric(body)
    d = ps.diff(ps.score(r, "2022-02-01"), ps.score(r, "2022-04-01"))
    assert d.change is not None
    assert d.change.to_dict() == {"total": -0.25, "rerated": -0.25, "composition": 0.0}
    assert d.change.category("uncategorized") == d.change.overall


def test_a_change_with_no_common_promise_is_all_composition() -> None:
    body = plain("p") + plain("q") + rate("desk", "2022-01-01", "kept", "p")
    body += rate("desk", "2022-03-01", "not-yet-rated", "p") + rate(
        "desk", "2022-03-01", "broken", "q"
    )
    r = rubric(body)
    d = ps.diff(ps.score(r, "2022-02-01"), ps.score(r, "2022-04-01"))
    assert d.change is not None
    assert d.change.common == 0
    assert d.change.to_dict() == {"total": -1.0, "rerated": 0.0, "composition": -1.0}


TWO_CATEGORIES = '\n[[categories]]\nid = "a"\ntitle = "A"\n[[categories]]\nid = "b"\ntitle = "B"\n'


def test_a_promise_moved_to_another_category_is_composition_in_both() -> None:
    # version 1: p (kept) in a, q (broken) in b; version 2 moves p to b, no rating moves.
    # b: 0 -> (1 + 0) / 2 = 0.5, but over the promises of b at both dates ({q}) nothing
    # moved: all composition. a loses its only promise: no score, no split.
    ratings = rate("desk", "2022-01-01", "kept", "p") + rate("desk", "2022-01-01", "broken", "q")
    before = rubric(
        TWO_CATEGORIES + plain("p", 'category = "a"') + plain("q", 'category = "b"') + ratings
    )
    after = rubric(
        TWO_CATEGORIES + plain("p", 'category = "b"') + plain("q", 'category = "b"') + ratings
    )
    d = ps.diff(ps.score(before), ps.score(after))
    assert d.change is not None
    assert d.change.overall.to_dict() == {"total": 0.0, "rerated": 0.0, "composition": 0.0}
    assert d.change.category("b") == ScoreChange(0.5, 0.0, 0.5)
    assert d.change.category("a") == ScoreChange(None, None, None)


def _x_rerated_y_newly_rated() -> str:
    """Categories x and y, weight 1 each. x: p1, p2 kept; p2 re-rated compromise on
    2022-03-01. y: q1 broken; q2 first rated (kept) on 2022-03-01."""
    weighted = TWO_CATEGORIES.replace('id = "a"\ntitle = "A"', 'id = "x"\ntitle = "X"\nweight = 1')
    weighted = weighted.replace('id = "b"\ntitle = "B"', 'id = "y"\ntitle = "Y"\nweight = 1')
    return text(
        weighted
        + plain("p1", 'category = "x"')
        + plain("p2", 'category = "x"')
        + plain("q1", 'category = "y"')
        + plain("q2", 'category = "y"')
        + rate("desk", "2022-01-01", "kept", "p1")
        + rate("desk", "2022-01-01", "kept", "p2")
        + rate("desk", "2022-01-01", "broken", "q1")
        + rate("desk", "2022-03-01", "compromise", "p2")
        + rate("desk", "2022-03-01", "kept", "q2")
    )


# By hand, 2022-02-01 -> 2022-04-01 (C = {p1, p2, q1}):
# x: 1 -> (1 + 0.5) / 2 = 0.75: all re-rating (its C is all of x).
# y: 0 -> (0 + 1) / 2 = 0.5: over its C ({q1}) 0 -> 0, all composition.
# overall: (1 + 0) / 2 = 0.5 -> (0.75 + 0.5) / 2 = 0.625, total +0.125; over C
# 0.5 -> (0.75 + 0) / 2 = 0.375, rerated -0.125, composition +0.25.
OVERALL_SPLIT = {"total": 0.125, "rerated": -0.125, "composition": 0.25}
X_SPLIT = {"total": -0.25, "rerated": -0.25, "composition": 0.0}
Y_SPLIT = {"total": 0.5, "rerated": 0.0, "composition": 0.5}


def test_diff_json_splits_each_category(tmp_path: object) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "r.toml"
    path.write_text(_x_rerated_y_newly_rated(), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["diff", f"{path}@2022-02-01", f"{path}@2022-04-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["change"] == OVERALL_SPLIT
    x, y = data["categories"]
    assert (x["id"], x["old"], x["new"], x["delta"]) == ("x", 1.0, 0.75, -0.25)
    assert (y["id"], y["old"], y["new"], y["delta"]) == ("y", 0.0, 0.5, 0.5)
    assert x["change"] == X_SPLIT
    assert y["change"] == Y_SPLIT
    assert list(x)[-1] == "change"  # after the keys of every format


def test_timeline_json_splits_each_category(tmp_path: object) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "r.toml"
    path.write_text(_x_rerated_y_newly_rated(), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["timeline", str(path), "--at", "2022-02-01,2022-04-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.output)["points"]
    assert first["change"] is None
    assert [c["change"] for c in first["categories"]] == [None, None]
    assert second["change"] == OVERALL_SPLIT
    assert [(c["id"], c["score"], c["change"]) for c in second["categories"]] == [
        ("x", 0.75, X_SPLIT),
        ("y", 0.5, Y_SPLIT),
    ]


def test_timeline_csv_and_html_show_each_split() -> None:
    t = ps.timeline(ps.loads(_x_rerated_y_newly_rated()), at=["2022-02-01", "2022-04-01"])
    assert ps.render(t, "csv").splitlines() == [
        "as_of,marks,line,title,score,grade,coverage,rated,promises,change,rerated,composition",
        "2022-02-01,,overall,Overall,0.5,,0.75,3,4,,,",
        "2022-02-01,,x,X,1.0,,1.0,2,2,,,",
        "2022-02-01,,y,Y,0.0,,0.5,1,2,,,",
        "2022-04-01,,overall,Overall,0.625,,1.0,4,4,0.125,-0.125,0.25",
        "2022-04-01,,x,X,0.75,,1.0,2,2,-0.25,-0.25,0.0",
        "2022-04-01,,y,Y,0.5,,1.0,2,2,0.5,0.0,0.5",
    ]
    html = ps.render(t, "html")
    assert (
        "<tr><td class=muted>Change</td>\n<td class=muted>—</td>\n"
        "<td class=muted>+12.5 pts (re-rated -12.5, newly rated +25.0)</td>\n</tr>"
    ) in html
    # as the text renderer shows it
    assert "+12.5 pts (re-rated -12.5, newly rated +25.0)" in ps.render(t, "text")


def test_timeline_csv_and_html_of_a_11_rubric_are_as_before() -> None:
    body = plain("p") + rate("fc", "2022-01-01", "kept", "p") + rate("fc", "2022-03-01", "broken")
    r = ps.loads(text(body, assessors=NO_DESK.replace("reviewer", "independent"), fmt="1.1"))
    t = ps.timeline(r, at=["2022-02-01", "2022-04-01"])
    assert ps.render(t, "csv").splitlines()[0] == (
        "as_of,marks,line,title,score,grade,coverage,rated,promises"
    )
    assert all(row.count(",") == 8 for row in ps.render(t, "csv").splitlines())
    assert "Change" not in ps.render(t, "html")


def test_an_empty_12_series_has_the_csv_columns() -> None:
    t = ps.timeline(ps.loads(_x_rerated_y_newly_rated()), every="10Y")
    assert t.points == ()
    assert ps.render(t, "csv").endswith(",change,rerated,composition\n")


def test_a_category_without_a_score_on_a_side_has_no_split() -> None:
    # y has no rated promise at the first date, and x is gone from the new version
    r = _x_rerated_y_newly_rated()
    early = ps.score(
        ps.loads(r.replace(rate("desk", "2022-01-01", "broken", "q1"), "")), "2022-02-01"
    )
    x_gone = r.replace('[[categories]]\nid = "x"\ntitle = "X"\nweight = 1\n', "")
    late = ps.score(ps.loads(x_gone.replace('category = "x"', 'category = "y"')), "2022-04-01")
    data = ps.diff(early, late).to_dict()
    by_id = {c["id"]: c for c in data["categories"]}
    none = {"total": None, "rerated": None, "composition": None}
    assert by_id["y"]["old"] is None
    assert by_id["y"]["change"] == none
    assert (by_id["x"]["in_new"], by_id["x"]["change"]) == (False, none)


def test_diff_json_of_a_11_rubric_has_no_category_change() -> None:
    body = plain("p") + rate("fc", "2022-01-01", "kept", "p") + rate("fc", "2022-03-01", "broken")
    r = ps.loads(text(body, assessors=NO_DESK.replace("reviewer", "independent"), fmt="1.1"))
    data = ps.diff(ps.score(r, "2022-02-01"), ps.score(r, "2022-04-01")).to_dict()
    assert "change" not in data
    assert all("change" not in c for c in data["categories"])
    points = ps.timeline(r).to_dict()["points"]
    assert all("change" not in c for p in points for c in p["categories"])


def test_timeline_points_carry_the_change() -> None:
    body = (
        plain("p")
        + plain("q")
        + rate("desk", "2022-01-01", "kept", "p")
        + rate("desk", "2022-03-01", "broken", "q")
        + rate("desk", "2022-05-01", "compromise", "p")
    )
    t = ps.timeline(rubric(body), at=["2022-02-01", "2022-04-01", "2022-06-01"])
    data = t.to_dict()["points"]
    assert data[0]["change"] is None
    assert data[1]["change"] == {"total": -0.5, "rerated": 0.0, "composition": -0.5}
    assert data[2]["change"] == {"total": -0.25, "rerated": -0.25, "composition": 0.0}


def test_timeline_json_of_a_11_rubric_has_no_change() -> None:
    body = plain("p") + rate("fc", "2022-01-01", "kept", "p")
    r = ps.loads(text(body, assessors=NO_DESK.replace("reviewer", "independent"), fmt="1.1"))
    assert all("change" not in p for p in ps.timeline(r).to_dict()["points"])


@pytest.mark.parametrize(
    ("total", "rerated"),
    [(0.1, 0.3), (1e-9, 0.5), (-0.2333333333333334, 0.1), (0.0, 0.7), (2 / 3 - 1 / 3, 1 / 7)],
)
def test_exact_split_sums_exactly(total: float, rerated: float) -> None:
    t, r, c = exact_split(total, rerated)
    assert r + c == t
    assert c == t - r
    assert abs(t - total) <= 2.0**-50
    assert abs(r - rerated) <= 2.0**-49


# --------------------------------------------------------------------------- explain


def test_explain_says_whose_verdict_stands_and_what_was_dropped() -> None:
    r = rubric(
        plain()
        + rate("fc", "2021-02-01", "stalled")
        + rate("ngo", "2022-05-01", "in-the-works")
        + target()
        + figure("t", "2022-01-01", 8)
        + rate("fc", "2022-02-01", "compromise", "t"),
        grading='stale_after = "P6M"\nstale = "drop"',
        assessors=NO_DESK,
    )
    out = ps.render(ps.explain(r, "t", as_of="2022-06-01"), "text")
    assert "Verdict: compromise, the verdict of Fact Check (independent)" in out
    assert "The figure says 80.0% of target, shown beside the verdict" in out
    out = ps.render(ps.explain(r, "p", as_of="2022-06-01"), "text")
    assert "Dropped as stale" in out
    assert "Fact Check's stalled of 2021-02-01" in out
    assert "standing since 2022-05-01" in out
    data = json.loads(ps.render(ps.explain(r, "p", as_of="2022-06-01"), "json"))
    assert data["schema_version"] == 3
    assert [d["by"] for d in data["trace"]["dropped"]] == ["fc"]


def test_explain_says_a_figure_alone_is_stale_by_its_date() -> None:
    r = rubric(target() + figure("t", "2022-01-01", 8), grading='stale_after = "P6M"')
    out = ps.render(ps.explain(r, "t", as_of="2022-12-01"), "text")
    assert ps.score(r, "2022-12-01").promise("t").stale
    assert "Stale: the figure is of 2022-01-01" in out
    assert "Fresh" not in out
    out = ps.render(ps.explain(r, "t", as_of="2022-03-01"), "text")
    assert "Fresh" in out


def test_explain_says_why_drop_kept_every_stale_rating() -> None:
    r = rubric(
        plain() + rate("fc", "2021-02-01", "stalled") + rate("ngo", "2021-03-01", "stalled"),
        grading='stale_after = "P6M"\nstale = "drop"',
        assessors=NO_DESK,
    )
    out = ps.render(ps.explain(r, "p", as_of="2022-06-01"), "text")
    assert out.count("Stale (kept: no fresh rating of it remains") == 2
    assert "Dropped as stale" not in out


def test_explain_says_a_verdict_contradicts_its_figure() -> None:
    r = rubric(target() + figure("t", "2022-01-01", 10) + rate("desk", "2022-02-01", "broken", "t"))
    out = ps.render(ps.explain(r, "t"), "text")
    assert "The verdict and the figure contradict each other: broken" in out
    agreeing = rubric(
        target() + figure("t", "2022-01-01", 10) + rate("desk", "2022-02-01", "kept", "t")
    )
    assert "contradict" not in ps.render(ps.explain(agreeing, "t"), "text")


def test_explain_names_the_desk_default() -> None:
    r = rubric(plain() + rate("desk", "2022-01-01", "kept") + rate("fc", "2022-01-02", "broken"))
    out = ps.render(ps.explain(r, "p"), "text")
    assert "the desk" in out
    assert "Verdict: kept, the verdict of The Desk (desk)" in out


def test_the_11_fixture_is_not_12() -> None:
    with pytest.raises(RubricError):
        ps.loads(text(plain() + rate("desk", "2022-01-01", "kept"), fmt="1.1"))


# --------------------------------------------------------------------------- schemas, gates


def _full_12() -> str:
    return text(
        plain()
        + rate(
            "desk",
            "2022-01-01",
            "kept",
            extra='author = "A. Writer"\nheadline = "Kept"\nurl = "https://example.org/k"',
        )
        + rate("copy", "2022-01-02", "broken")
        + target()
        + figure("t", "2022-01-01", 8)
        + rate("desk", "2022-02-01", "compromise", "t")
        + criteria()
        + rate("desk", "2022-01-01", "kept", "c", extra='criterion = "a"'),
        grading='stale_after = "P6M"\nstale = "drop"',
    )


def test_the_rubric_schema_accepts_a_12_file() -> None:
    import tomllib

    import jsonschema  # type: ignore[import-untyped]

    from promisescore.schema import schema

    data = tomllib.loads(_full_12())
    jsonschema.validate(
        json.loads(json.dumps(data, default=str)), schema(), cls=jsonschema.Draft202012Validator
    )
    data["format"] = "1.3"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            json.loads(json.dumps(data, default=str)),
            schema(),
            cls=jsonschema.Draft202012Validator,
        )


@pytest.mark.parametrize("assessor", [None, "desk", "copy", "fc"])
def test_the_scorecard_schema_accepts_12_json(assessor: str | None) -> None:
    import pathlib

    import jsonschema

    path = pathlib.Path(__file__).parent.parent / "docs" / "reference" / "scorecard.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    card = ps.score(ps.loads(_full_12()), "2022-12-01", assessor=assessor)
    data = json.loads(ps.render(card, "json"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    data["schema_version"] = 2
    del data["stale"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_a_12_scorecard_is_a_baseline(tmp_path: object) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "r.toml"
    path.write_text(_full_12(), encoding="utf-8")
    saved = pathlib.Path(str(tmp_path)) / "base.json"
    runner = CliRunner()
    result = runner.invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    saved.write_text(result.output, encoding="utf-8")
    again = runner.invoke(main, ["check", str(path), "--baseline", str(saved)])
    assert "schema_version" not in again.output


def test_timeline_spans_split_each_line_from_its_first_score_to_the_last_point() -> None:
    # Three points; nothing is rated at the first (2021-12-15), so every line's span
    # starts where it first has a score (2022-02-01) and is the split of the diff above.
    early = ps.loads(_x_rerated_y_newly_rated())
    t = ps.timeline(early, at=["2021-12-15", "2022-02-01", "2022-04-01"])
    assert t.points[0].overall.score is None  # nothing rated yet
    data = t.to_dict()["span"]
    assert (data["from"], data["to"]) == ("2022-02-01", "2022-04-01")
    assert data["change"] == OVERALL_SPLIT
    assert [(c["id"], c["from"], c["change"]) for c in data["categories"]] == [
        ("x", "2022-02-01", X_SPLIT),
        ("y", "2022-02-01", Y_SPLIT),
    ]
    text_out = ps.render(t, "text")
    trends = text_out.split("Trends")[1]
    assert "+12.5 pts (re-rated -12.5, newly rated +25.0)" in trends  # the overall line
    assert "-25.0 pts (re-rated -25.0, newly rated +0.0)" in trends  # x
    assert "+50.0 pts (re-rated +0.0, newly rated +50.0)" in trends  # y
    # y first has a score at the last point: no change of it to report ("—"), x has one
    late = ps.timeline(early, at=["2021-12-15", "2022-01-01", "2022-03-01"])
    assert late.span_change("x") is not None
    assert ps.timeline(early, at=["2021-12-15", "2022-01-02"]).span_change("y") is None
    # one point: no span, and the JSON says so
    one = ps.timeline(early, at=["2022-04-01"]).to_dict()["span"]
    assert one == {
        "from": None,
        "to": "2022-04-01",
        "change": None,
        "categories": [
            {"id": "x", "from": None, "change": None},
            {"id": "y", "from": None, "change": None},
        ],
    }


def test_diff_reports_a_revised_verdict_on_a_measured_promise() -> None:
    # FORMAT §8.3: a target promise's status is its verdict; revising it (the figure
    # unchanged) is a change, and from a final level a reversal, as for a plain promise
    body = target("t") + figure("t", "2022-01-01", 8)
    kept = rubric(body + rate("desk", "2022-01-05", "kept", "t"))
    revised = rubric(body + rate("desk", "2022-01-05", "compromise", "t"))
    found = ps.diff(ps.score(kept), ps.score(revised))
    (change,) = found.changes
    assert (change.promise, change.fields, change.reversal) == ("t", ("status",), True)
    assert (change.old.status, change.new.status) == ("kept", "compromise")  # type: ignore[union-attr]
    data = found.to_dict()
    assert data["summary"]["changed"] == 1
    assert data["changes"][0]["fields"] == ["status"]
    old_state, new_state = data["changes"][0]["old"], data["changes"][0]["new"]
    assert (old_state["status"], new_state["status"]) == ("kept", "compromise")
    assert old_state["rating"] == new_state["rating"]  # the figure's word did not move
    back = ps.diff(ps.score(revised), ps.score(kept))
    assert [(c.fields, c.reversal) for c in back.changes] == [(("status",), False)]
    # and the pull-request comment lists it as a status change
    from promisescore.analysis.reviews import review

    comment = review(found, revised, kept)
    assert [(c.promise, c.old, c.new) for c in comment.status_changes] == [
        ("t", "kept", "compromise")
    ]
    assert (
        "- **t** (`t`): Promise Kept · 80% of target → **Compromise · 80% of target**"
        in ps.render(comment, "markdown")
    )
    # the figure alone moving is not a status change: fields say what moved
    more = rubric(body + figure("t", "2022-01-03", 9) + rate("desk", "2022-01-05", "kept", "t"))
    assert [c.fields for c in ps.diff(ps.score(kept), ps.score(more)).changes] == [("fulfillment",)]


def test_the_review_shows_a_new_measured_promise_by_its_measure() -> None:
    import attrs

    from promisescore.analysis.reviews import review

    r = rubric(target("t") + figure("t", "2022-01-01", 8) + plain("p"))
    empty = attrs.evolve(r, promises=(), evidence=(), assessments=())
    comment = ps.render(review(ps.diff(ps.score(empty), ps.score(r)), r, None), "markdown")
    assert "- **t** (`t`): **80% of target**" in comment  # counted in the score: not "not rated"
    assert "- **p** (`p`): not rated yet" in comment


def test_a_change_says_whether_promises_joined_or_left_the_count() -> None:
    # FORMAT §8.5: composition is "promises newly counted or no longer counted"; the
    # words beside it say which (a promise whose rating is gone left the count)
    both = plain("p") + plain("q") + rate("desk", "2022-01-01", "kept", "p")
    two = both + rate("desk", "2022-01-01", "broken", "q")
    one, full = ps.score(rubric(both)), ps.score(rubric(two))
    left = ps.diff(full, one)
    assert left.change is not None
    assert (left.change.overall.joined, left.change.overall.left) == (0, 1)
    assert "(re-rated +0.0, no longer counted +50.0)" in ps.render(left, "text")
    joined = ps.diff(one, full)
    assert "(re-rated +0.0, newly rated -50.0)" in ps.render(joined, "text")
    swap = plain("p") + plain("q") + rate("desk", "2022-01-01", "broken", "q")
    moved = ps.diff(one, ps.score(rubric(swap)))
    assert "(re-rated +0.0, newly or no longer counted -100.0)" in ps.render(moved, "text")
    assert moved.to_dict()["change"] == {"total": -1.0, "rerated": 0.0, "composition": -1.0}
