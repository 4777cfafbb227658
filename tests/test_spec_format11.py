"""Black-box acceptance tests for format 1.1 (FORMAT.md §7), written from the spec.

Each test writes a small rubric, runs it through the CLI (Click's CliRunner and a
real ``promisescore`` subprocess) or the library, and compares with values computed
by hand from the literal text of FORMAT.md §4–§7.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.analysis import agreement
from promisescore.cli import main

HEAD = """format = "1.1"

[report]
title = "Spec 1.1"
start = 2025-01-20
end = 2029-01-20

[scale]
preset = "politifact"
"""

SOURCE = 'source = { title = "Register", kind = "record" }'


def write(tmp_path: Path, text: str, name: str = "r.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def run_json(*args: str | Path) -> Any:
    code, out = run(*args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


def promise(card: Any, pid: str) -> Any:
    return next(p for p in card["promises"] if p["id"] == pid)


def ev(pid: str, eid: str, date: str, extra: str = "") -> str:
    return (
        f'[[evidence]]\nid = "{eid}"\npromise = "{pid}"\ndate = {date}\n'
        f'summary = "s"\n{SOURCE}\n{extra}\n'
    )


def asm(pid: str, by: str, date: str, rating: str, extra: str = "") -> str:
    return (
        f'[[assessments]]\npromise = "{pid}"\nby = "{by}"\ndate = {date}\n'
        f'rating = "{rating}"\n{extra}\n'
    )


ASSESSORS = """
[[assessors]]
id = "gov"
name = "Office of the Governor"
role = "self"

[[assessors]]
id = "tribune"
name = "Example Tribune"
role = "independent"

[[assessors]]
id = "league"
name = "Voters League"
role = "advocacy"
"""


# §7: format declaration -------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        '[[assessors]]\nid = "a"\nname = "A"\nrole = "self"\n',
        '[grading]\nstale_after = "P1Y"\n',
        '[grading]\nconsensus_roles = ["independent"]\n',
        "[grading]\nbands = []\n",
    ],
)
def test_11_key_in_format_1_file_is_an_error_naming_the_version(tmp_path: Path, extra: str) -> None:
    text = (
        HEAD.replace('format = "1.1"', "format = 1")
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + extra
    )
    path = write(tmp_path, text)
    code, out = run("check", path)
    assert code == 1
    assert "1.1" in out
    code, out = run("score", path)
    assert code == 1
    assert "1.1" in out


def test_effective_in_format_1_file_is_an_error(tmp_path: Path) -> None:
    text = (
        HEAD.replace('format = "1.1"', "format = 1")
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "a", "2025-04-20", "kept", "effective = 2025-04-02")
    )
    code, out = run("check", write(tmp_path, text))
    assert code == 1
    assert "1.1" in out
    assert "effective" in out


def test_format_11_file_loads_and_format_1_keeps_schema_1(tmp_path: Path) -> None:
    body = '[[promises]]\nid = "p"\ntitle = "P"\n' + asm("p", "a", "2025-03-01", "kept")
    card11 = run_json("score", write(tmp_path, HEAD + body, "a.toml"))
    assert card11["schema_version"] == 2
    card1 = run_json(
        "score", write(tmp_path, HEAD.replace('format = "1.1"', "format = 1") + body, "b.toml")
    )
    assert card1["schema_version"] == 1
    assert "status" not in card1["promises"][0]
    # §5: format 1 counts plain promises only, by consensus level
    assert card1["counts"]["kept"] == 1


# §7.1 assessors ----------------------------------------------------------------


def test_undeclared_by_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    text = (
        HEAD
        + ASSESSORS
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "tribun", "2025-03-01", "kept")
    )
    path = write(tmp_path, text)
    code, out = run("check", path)
    assert code == 1
    assert "tribun" in out
    assert "did you mean" in out.lower()
    assert "tribune" in out
    result = promisescore.check(path)
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors
    assert all(p.hint for p in errors)


def test_without_table_by_is_independent_named_by_id(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "alice", "2025-03-01", "kept")
        + asm("p", "bob", "2025-03-02", "broken")
    )
    path = write(tmp_path, text)
    card = run_json("score", path)
    p = promise(card, "p")
    # both count (independent is a consensus role): lower median of ranks broken<kept → broken
    assert p["rating"] == "broken"
    assert p["status"] == "broken"
    assert p["assessors"] == {"alice": "kept", "bob": "broken"}
    code, out = run("report", path)
    assert code == 0
    assert "alice" in out


def _roles_rubric(extra_grading: str = "") -> str:
    return (
        HEAD
        + extra_grading
        + ASSESSORS
        + '[[promises]]\nid = "mixed"\ntitle = "Mixed"\n'
        + '[[promises]]\nid = "selfonly"\ntitle = "Self only"\n'
        + '[[promises]]\nid = "adv"\ntitle = "Advocacy"\n'
        + asm("mixed", "gov", "2025-03-01", "kept")
        + asm("mixed", "tribune", "2025-03-01", "stalled")
        + asm("selfonly", "gov", "2025-03-01", "kept")
        + asm("adv", "league", "2025-03-01", "compromise")
    )


def test_default_consensus_roles_leave_self_out(tmp_path: Path) -> None:
    path = write(tmp_path, _roles_rubric())
    card = run_json("score", path)
    assert promise(card, "mixed")["rating"] == "stalled"
    assert promise(card, "mixed")["fulfillment"] == 0.0
    assert promise(card, "adv")["rating"] == "compromise"
    s = promise(card, "selfonly")
    assert s["rated"] is False
    assert s["status"] is None
    assert s["fulfillment"] is None
    # overall: mean of 0 and 0.5 over rated promises (unrated excluded)
    assert card["overall"]["score"] == pytest.approx(0.25)
    assert card["overall"]["coverage"] == pytest.approx(2 / 3)
    assert card["counts"]["unrated"] == 1
    assert card["counts"]["stalled"] == 1
    assert card["counts"]["compromise"] == 1
    assert sum(card["counts"].values()) == 3
    # library gives the same
    sc = promisescore.score(promisescore.load(path))
    assert sc.overall.score == pytest.approx(0.25)
    assert sc.promise("selfonly").status is None
    assert sc.promise("mixed").status == "stalled"


def test_consensus_roles_setting(tmp_path: Path) -> None:
    path = write(tmp_path, _roles_rubric('\n[grading]\nconsensus_roles = ["self"]\n'))
    card = run_json("score", path)
    assert promise(card, "mixed")["rating"] == "kept"
    assert promise(card, "selfonly")["rating"] == "kept"
    assert promise(card, "adv")["rated"] is False
    assert card["overall"]["score"] == pytest.approx(1.0)


def test_assessor_option_on_self_assessor(tmp_path: Path) -> None:
    path = write(tmp_path, _roles_rubric())
    card = run_json("score", path, "--assessor", "gov")
    assert promise(card, "mixed")["rating"] == "kept"
    assert promise(card, "selfonly")["rating"] == "kept"
    assert promise(card, "adv")["rated"] is False
    assert card["overall"]["score"] == pytest.approx(1.0)
    lib = promisescore.render(promisescore.score(promisescore.load(path), assessor="gov"), "json")
    assert json.loads(lib)["overall"]["score"] == pytest.approx(1.0)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_left_out_ratings_still_shown_with_name_and_role(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, _roles_rubric())
    code, out = run("report", path, "--format", fmt)
    assert code == 0
    if fmt == "html":
        # one row per left-out rating, in the promise's own section: Mixed and Self only
        assert out.count('Office of the Governor <span class="muted">(self)</span>') == 2
    else:
        # the left-out rating, on the promise's line, labelled with name and role
        lines = [
            ln for ln in out.splitlines() if "Self only" in ln and "Office of the Governor" in ln
        ]
        assert lines
        assert "self" in lines[0]
        assert "Kept" in lines[0]


def test_left_out_ratings_in_json_and_explain(tmp_path: Path) -> None:
    path = write(tmp_path, _roles_rubric())
    card = run_json("report", path)
    text = json.dumps(promise(card, "selfonly"))
    assert "Office of the Governor" in text
    assert '"self"' in text
    assert "kept" in text
    code, out = run("explain", path, "selfonly")
    assert code == 0
    assert "Office of the Governor" in out
    assert "self" in out


# §7.2 effective ------------------------------------------------------------------

LATE = HEAD + '\n[grading]\nlate = "compromise"\n'


def _late_rubric(effective: str | None) -> str:
    extra = f"effective = {effective}" if effective else ""
    # deadline P100D from 2025-01-20 → 2025-04-30
    return (
        LATE
        + '[[promises]]\nid = "p"\ntitle = "P"\ndeadline = "P100D"\n'
        + asm("p", "t", "2025-05-10", "kept", extra)
    )


def test_effective_before_deadline_is_not_late(tmp_path: Path) -> None:
    card = run_json("score", write(tmp_path, _late_rubric("2025-04-02")), "--as-of", "2025-06-01")
    p = promise(card, "p")
    assert p["late"] is False
    assert p["rating"] == "kept"
    assert p["fulfillment"] == 1.0


def test_effective_after_deadline_is_late(tmp_path: Path) -> None:
    card = run_json("score", write(tmp_path, _late_rubric("2025-05-05")), "--as-of", "2025-06-01")
    p = promise(card, "p")
    assert p["late"] is True
    assert p["rating"] == "compromise"
    assert p["fulfillment"] == 0.5


def test_without_effective_written_after_deadline_is_late(tmp_path: Path) -> None:
    card = run_json("score", write(tmp_path, _late_rubric(None)), "--as-of", "2025-06-01")
    assert promise(card, "p")["late"] is True


def test_as_of_still_selects_by_date(tmp_path: Path) -> None:
    path = write(tmp_path, _late_rubric("2025-04-02"))
    card = run_json("score", path, "--as-of", "2025-04-15")
    assert promise(card, "p")["rated"] is False


def test_effective_after_date_is_an_error(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "t", "2025-04-02", "kept", "effective = 2025-04-20")
    )
    path = write(tmp_path, text)
    code, out = run("check", path)
    assert code == 1
    assert "effective" in out
    errors = [p for p in promisescore.check(path).problems if p.severity == "error"]
    assert errors
    assert all(p.hint for p in errors)


def test_explain_names_the_effective_date(tmp_path: Path) -> None:
    code, out = run(
        "explain", write(tmp_path, _late_rubric("2025-04-02")), "p", "--as-of", "2025-06-01"
    )
    assert code == 0
    assert "2025-04-02" in out
    assert "effective" in out


# §7.3 staleness ------------------------------------------------------------------

STALE = HEAD + '\n[grading]\nstale_after = "P1Y"\n'


def test_stale_boundary_is_strict(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        STALE + '[[promises]]\nid = "p"\ntitle = "P"\n' + asm("p", "t", "2025-04-20", "kept"),
    )
    assert promise(run_json("score", path, "--as-of", "2026-04-20"), "p")["stale"] is False
    assert promise(run_json("score", path, "--as-of", "2026-04-21"), "p")["stale"] is True
    code, out = run("explain", path, "p", "--as-of", "2026-04-21")
    assert code == 0
    assert "tale" in out


def test_stale_absent_setting_nothing_stale(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD + '[[promises]]\nid = "p"\ntitle = "P"\n' + asm("p", "t", "2020-04-20", "kept"),
    )
    assert promise(run_json("score", path, "--as-of", "2028-01-01"), "p")["stale"] is False


def test_stale_ignores_self_and_unrated_level(tmp_path: Path) -> None:
    text = (
        STALE
        + ASSESSORS
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "tribune", "2025-03-01", "kept")
        + asm("p", "gov", "2026-01-01", "kept")
        + asm("p", "league", "2026-01-01", "not-yet-rated")
    )
    path = write(tmp_path, text)
    # newest deciding assessment is tribune's 2025-03-01; + P1Y = 2026-03-01
    assert promise(run_json("score", path, "--as-of", "2026-03-01"), "p")["stale"] is False
    assert promise(run_json("score", path, "--as-of", "2026-03-02"), "p")["stale"] is True


def test_stale_over_criteria(tmp_path: Path) -> None:
    text = (
        STALE
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + 'criteria = [{ id = "a", title = "A" }, { id = "b", title = "B" }]\n'
        + asm("p", "t", "2025-01-10", "kept", 'criterion = "a"')
        + asm("p", "t", "2025-03-01", "broken", 'criterion = "b"')
    )
    path = write(tmp_path, text)
    card = run_json("score", path, "--as-of", "2026-03-01")
    assert promise(card, "p")["stale"] is False
    assert promise(card, "p")["fulfillment"] == pytest.approx(0.5)
    assert promise(run_json("score", path, "--as-of", "2026-03-02"), "p")["stale"] is True


def test_stale_target_uses_deciding_evidence(tmp_path: Path) -> None:
    text = (
        STALE
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + 'target = { metric = "m", baseline = 0, target = 100, unit = "x" }\n'
        + ev("p", "e1", "2025-02-01", "value = 50")
        + ev("p", "e2", "2025-05-01")  # no value: does not decide
    )
    path = write(tmp_path, text)
    assert promise(run_json("score", path, "--as-of", "2026-02-01"), "p")["stale"] is False
    assert promise(run_json("score", path, "--as-of", "2026-02-02"), "p")["stale"] is True


def test_unrated_never_stale(tmp_path: Path) -> None:
    path = write(
        tmp_path, STALE + '[[promises]]\nid = "p"\ntitle = "P"\n' + ev("p", "e", "2020-01-01")
    )
    assert promise(run_json("score", path, "--as-of", "2028-01-01"), "p")["stale"] is False


def test_warning_evidence_newer_than_latest_assessment(tmp_path: Path) -> None:
    base = HEAD + '[[promises]]\nid = "p"\ntitle = "P"\n' + ev("p", "e1", "2025-02-01")
    ok = base + asm("p", "t", "2025-03-01", "kept", 'evidence = ["e1"]')
    bad = ok + ev("p", "e2", "2025-04-01")
    ok_path = write(tmp_path, ok, "ok.toml")
    bad_path = write(tmp_path, bad, "bad.toml")
    assert run("check", ok_path, "--strict")[0] == 0
    code, out = run("check", bad_path)
    assert code == 0
    assert "W106" in out
    code, out = run("check", bad_path, "--strict")
    assert code == 1
    warns = [p for p in promisescore.check(bad_path).problems if p.severity == "warning"]
    assert any(p.code == "W106" for p in warns)
    # format 1: no new warning
    f1 = bad.replace('format = "1.1"', "format = 1")
    assert "W106" not in run("check", write(tmp_path, f1, "f1.toml"))[1]


# §7.4 agreement windows ---------------------------------------------------------


def _agree_rubric() -> str:
    return (
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "a", "2025-01-10", "kept")
        + asm("p", "b", "2025-02-01", "kept")
        + asm("p", "a", "2025-06-01", "broken")
    )


def test_agree_default_window_p3m(tmp_path: Path) -> None:
    path = write(tmp_path, _agree_rubric())
    out = run_json("agree", path)
    # unit 1: [01-10, 04-10] a=kept, b=kept; unit 2: [06-01, 09-01] a only → unpaired
    assert out["window"] == "P3M"
    assert out["units"] == 1
    assert out["unpaired"] == 1
    lib = agreement(promisescore.load(path))
    assert [u.id for u in lib.units] == ["p@2025-01-10"]
    assert lib.unpaired == 1
    assert lib.window == "P3M"


def test_agree_window_option(tmp_path: Path) -> None:
    path = write(tmp_path, _agree_rubric())
    out = run_json("agree", path, "--window", "P1M")
    # a 01-10 → [01-10, 02-10] contains b 02-01 too
    assert out["window"] == "P1M"
    assert out["units"] == 1
    assert out["unpaired"] == 1
    out = run_json("agree", path, "--window", "P10D")
    # [01-10, 01-20] a; [02-01, 02-11] b; [06-01, 06-11] a → nothing paired
    assert out["window"] == "P10D"
    assert out["units"] == 0
    assert out["unpaired"] == 3


def test_agree_window_latest_in_window_and_alpha(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        # window 1 [2025-01-01, 2025-04-01]: a kept then broken (latest broken), b kept
        + asm("p", "a", "2025-01-01", "kept")
        + asm("p", "a", "2025-03-01", "broken")
        + asm("p", "b", "2025-02-01", "kept")
        # window 2 [2025-05-01, 2025-08-01]: a broken, b broken
        + asm("p", "a", "2025-05-01", "broken")
        + asm("p", "b", "2025-08-01", "broken")
        # window 3 [2025-09-01, ...]: a kept, b kept
        + asm("p", "a", "2025-09-01", "kept")
        + asm("p", "b", "2025-09-02", "kept")
    )
    out = run_json("agree", write(tmp_path, text), "--as-of", "2026-01-01")
    assert out["units"] == 3
    assert out["unpaired"] == 0
    # pairable values: (broken, kept), (broken, broken), (kept, kept): n=6, 3 kept, 3 broken
    # nominal alpha = 1 - Do/De = 1 - (2/6) / (2*3*3/(6*5)) = 1 - (1/3)/0.6 = 4/9
    assert out["krippendorff_alpha"]["nominal"] == pytest.approx(4 / 9)


# §7.5 bands = [] ------------------------------------------------------------------

NOBANDS = (
    HEAD
    + "\n[grading]\nbands = []\n"
    + (
        '[[promises]]\nid = "p"\ntitle = "P"\n'
        + '[[promises]]\nid = "q"\ntitle = "Q"\n'
        + asm("p", "t", "2025-03-01", "kept")
        + asm("q", "t", "2025-03-01", "compromise")
        + asm("q", "t", "2025-06-01", "broken")
    )
)


def _no_grade_anywhere(obj: Any) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "grade" or k.endswith("_grade"):
                assert v is None, (k, v)
            _no_grade_anywhere(v)
    elif isinstance(obj, list):
        for v in obj:
            _no_grade_anywhere(v)


def test_no_bands_json_everywhere(tmp_path: Path) -> None:
    path = write(tmp_path, NOBANDS)
    card = run_json("score", path)
    assert card["overall"]["grade"] is None
    assert card["overall"]["score"] == pytest.approx(0.5)
    _no_grade_anywhere(card)
    _no_grade_anywhere(run_json("report", path))
    _no_grade_anywhere(run_json("timeline", path))
    _no_grade_anywhere(run_json("diff", f"{path}@2025-03-01", path))
    _no_grade_anywhere(run_json("compare", path, path))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_no_bands_no_grade_in_reports(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, NOBANDS)
    code, out = run("report", path, "--format", fmt)
    assert code == 0
    with_bands = write(tmp_path, NOBANDS.replace("bands = []\n", ""), "b.toml")
    out_b = run("report", with_bands, "--format", fmt)[1]

    def grades(text: str) -> list[str]:
        # the rendered report, without stylesheet rules and the file paths of warnings
        lines = [
            ln
            for ln in text.splitlines()
            if str(tmp_path) not in ln and not ln.lstrip().startswith(".")
        ]
        body = "\n".join(lines)
        return [w for w in ("grade F", "grade **F**", 'class="grade', "Grade") if w in body]

    # default bands give F for 50%: shown with bands, nowhere without
    assert grades(out_b)
    assert grades(out) == []


def test_no_bands_badge_shows_percentage(tmp_path: Path) -> None:
    path = write(tmp_path, NOBANDS)
    code, out = run("badge", path)
    assert code == 0
    assert "50%" in out
    assert "50% F" not in out
    assert (
        "50% F" in run("badge", write(tmp_path, NOBANDS.replace("bands = []\n", ""), "b.toml"))[1]
    )


# §7.6 status --------------------------------------------------------------------


def _criteria(deadline: str, ratings: tuple[str, ...], scale: str = "") -> str:
    crit = ", ".join(f'{{ id = "c{i}", title = "C{i}" }}' for i in range(len(ratings)))
    body = (
        HEAD.replace(
            '[scale]\npreset = "politifact"\n', scale or '[scale]\npreset = "politifact"\n'
        )
        + f'[[promises]]\nid = "p"\ntitle = "P"\n{deadline}\ncriteria = [{crit}]\n'
    )
    for i, r in enumerate(ratings):
        body += asm("p", "t", "2025-03-01", r, f'criterion = "c{i}"')
    return body


@pytest.mark.parametrize(
    ("deadline", "ratings", "f", "status"),
    [
        ("", ("kept", "kept"), 1.0, "kept"),
        ('deadline = "2028-01-01"', ("kept", "broken"), 0.5, "in-the-works"),
        ("", ("kept", "broken"), 0.5, "in-the-works"),
        ('deadline = "2025-02-01"', ("kept", "broken"), 0.5, "compromise"),
        ('deadline = "2025-02-01"', ("kept", "kept"), 1.0, "kept"),
        # f = 0.2: before deadline → stalled (0, non-final; in-the-works 0.25 > 0.2)
        ("", ("in-the-works", "in-the-works", "in-the-works", "broken", "broken"), 0.15, "stalled"),
        (
            'deadline = "2025-02-01"',
            ("in-the-works", "in-the-works", "in-the-works", "broken", "broken"),
            0.15,
            "broken",
        ),
    ],
)
def test_status_criteria(
    tmp_path: Path, deadline: str, ratings: tuple[str, ...], f: float, status: str
) -> None:
    card = run_json("score", write(tmp_path, _criteria(deadline, ratings)), "--as-of", "2025-06-01")
    p = promise(card, "p")
    assert p["fulfillment"] == pytest.approx(f)
    assert p["status"] == status
    assert p["rating"] is None
    assert card["counts"][status] == 1
    assert sum(card["counts"].values()) == 1


def _target(value: str, deadline: str = "") -> str:
    return (
        HEAD
        + f'[[promises]]\nid = "p"\ntitle = "P"\n{deadline}\n'
        + 'target = { metric = "m", baseline = 0, target = 100, unit = "x" }\n'
        + ev("p", "e", "2025-03-01", f"value = {value}")
    )


@pytest.mark.parametrize(
    ("value", "deadline", "status"),
    [
        ("100", "", "kept"),
        ("150", 'deadline = "2025-02-01"', "kept"),
        ("50", "", "in-the-works"),
        ("50", 'deadline = "2025-02-01"', "compromise"),
        ("10", "", "stalled"),
        ("10", 'deadline = "2025-02-01"', "broken"),
    ],
)
def test_status_target(tmp_path: Path, value: str, deadline: str, status: str) -> None:
    card = run_json("score", write(tmp_path, _target(value, deadline)), "--as-of", "2025-06-01")
    assert promise(card, "p")["status"] == status
    assert card["counts"][status] == 1


CUSTOM_A = """[scale]
levels = [
  { id = "none", label = "None", value = 0, final = true },
  { id = "half", label = "Half", value = 0.5 },
  { id = "done", label = "Done", value = 1, final = true },
]
"""

CUSTOM_B = """[scale]
levels = [
  { id = "pending", label = "Pending", unrated = true },
  { id = "some", label = "Some", value = 0.3 },
  { id = "full", label = "Full", value = 1, final = true },
]
"""


@pytest.mark.parametrize(
    ("scale", "deadline", "ratings", "status"),
    [
        # f = 0.25, before deadline: no non-final level ≤ 0.25 → highest level ≤ 0.25: none
        (CUSTOM_A, "", ("half", "none"), "none"),
        (CUSTOM_A, "", ("done", "done"), "done"),
        # f = 0.75 before: half
        (CUSTOM_A, "", ("done", "half"), "half"),
        # f = 0.75 after deadline: highest final ≤ 0.75 → none
        (CUSTOM_A, 'deadline = "2025-02-01"', ("done", "half"), "none"),
        # f = 0.65 after: no final level ≤ 0.65 → highest level ≤ 0.65: some
        (CUSTOM_B, 'deadline = "2025-02-01"', ("full", "some"), "some"),
        # f = 0.15: no level qualifies at all → null
        (CUSTOM_B, "", ("some", "pending"), None),
    ],
)
def test_status_custom_scales(
    tmp_path: Path, scale: str, deadline: str, ratings: tuple[str, ...], status: str | None
) -> None:
    card = run_json(
        "score", write(tmp_path, _criteria(deadline, ratings, scale)), "--as-of", "2025-06-01"
    )
    p = promise(card, "p")
    assert p["status"] == status
    assert p["rated"] is True
    if status is not None:
        assert card["counts"][status] == 1


def test_status_percent_scale_is_null(tmp_path: Path) -> None:
    text = (
        HEAD.replace('preset = "politifact"', 'preset = "percent"')
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + '[[promises]]\nid = "q"\ntitle = "Q"\ncriteria = [{ id = "a", title = "A" }]\n'
        + '[[promises]]\nid = "u"\ntitle = "U"\n'
        + '[[assessments]]\npromise = "p"\ndate = 2025-03-01\nvalue = 1.0\n'
        + '[[assessments]]\npromise = "q"\ncriterion = "a"\ndate = 2025-03-01\nvalue = 0.4\n'
    )
    card = run_json("score", write(tmp_path, text))
    assert promise(card, "p")["status"] is None
    assert promise(card, "p")["fulfillment"] == 1.0
    assert promise(card, "q")["status"] is None
    assert promise(card, "p")["assessors"] == {"default": 1.0}
    assert card["counts"]["unrated"] == 1


def test_status_unrated_null_and_counts_all(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[promises]]\nid = "plain"\ntitle = "P"\n'
        + '[[promises]]\nid = "none"\ntitle = "N"\n'
        + '[[promises]]\nid = "crit"\ntitle = "C"\ncriteria = [{ id = "a", title = "A" }]\n'
        + '[[promises]]\nid = "tgt"\ntitle = "T"\ntarget = { metric = "m", baseline = 0, target = 10 }\n'
        + asm("plain", "t", "2025-03-01", "kept")
        + asm("crit", "t", "2025-03-01", "kept", 'criterion = "a"')
        + ev("tgt", "e", "2025-03-01", "value = 10")
    )
    path = write(tmp_path, text)
    card = run_json("score", path)
    assert card["schema_version"] == 2
    assert card["counts"]["kept"] == 3
    assert card["counts"]["unrated"] == 1
    assert sum(card["counts"].values()) == 4
    assert promise(card, "none")["status"] is None
    for p in card["promises"]:
        assert {"status", "stale", "assessors"} <= set(p)
    assert promise(card, "plain")["assessors"] == {"t": "kept"}
    code, out = run("report", path)
    assert code == 0
    # "Promises by rating" counts every promise: 3 kept, 1 not rated
    kept_line = next(ln for ln in out.splitlines() if ln.strip().startswith("Promise Kept"))
    assert kept_line.split()[2] == "3"
    not_rated = next(ln for ln in out.splitlines() if ln.strip().startswith("Not rated"))
    assert not_rated.split()[2] == "1"
    # the table labels criteria and target promises with their status, not their kind
    rows = [ln for ln in out.splitlines() if ln.startswith(("C ", "T "))]
    assert len(rows) == 2
    assert all("Promise Kept" in ln and "Criteria" not in ln and "Target" not in ln for ln in rows)


# §7.7 conflicting figures ----------------------------------------------------------


def _conflict(second_kind: str, second_value: str, first_kind: str = "record") -> str:
    return (
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\ntarget = { metric = "m", baseline = 0, target = 100 }\n'
        + f'[[evidence]]\nid = "e1"\npromise = "p"\ndate = 2025-02-01\nsummary = "s"\nvalue = 40\n'
        f'source = {{ title = "Official", kind = "{first_kind}" }}\n'
        + f'[[evidence]]\nid = "e2"\npromise = "p"\ndate = 2025-03-01\nsummary = "s"\nvalue = {second_value}\n'
        f'source = {{ title = "Them", kind = "{second_kind}" }}\n'
    )


@pytest.mark.parametrize(
    ("second_kind", "second_value", "first_kind", "warned"),
    [
        ("claim", "60", "record", True),
        ("advocacy", "60", "report", True),
        ("claim", "40", "record", False),
        ("report", "60", "record", False),
        ("claim", "60", "advocacy", False),
    ],
)
def test_conflicting_figures_warning(
    tmp_path: Path, second_kind: str, second_value: str, first_kind: str, warned: bool
) -> None:
    path = write(tmp_path, _conflict(second_kind, second_value, first_kind))
    code, out = run("check", path, "--strict")
    assert ("W107" in out) is warned
    assert (code == 1) is warned
    card = run_json("score", path)
    assert promise(card, "p")["fulfillment"] == pytest.approx(int(second_value) / 100)


# CLI: a real subprocess -----------------------------------------------------------


def test_subprocess_score_json(tmp_path: Path) -> None:
    path = write(tmp_path, _roles_rubric())
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "promisescore",
            "score",
            str(path),
            "--format",
            "json",
            "--assessor",
            "gov",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["overall"]["score"] == pytest.approx(1.0)
    bad = write(
        tmp_path,
        HEAD
        + ASSESSORS
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "nobody", "2025-03-01", "kept"),
        "bad.toml",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "promisescore", "check", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr


# Validation of the new keys: errors with hints, never a traceback -----------------


@pytest.mark.parametrize(
    ("snippet", "needle"),
    [
        ('[[assessors]]\nid = "a"\nname = "A"\nrole = "critic"\n', "role"),
        ('[[assessors]]\nid = "a"\nrole = "self"\n', "name"),
        ('[[assessors]]\nid = "a"\nname = "A"\n', "role"),
        ('[[assessors]]\nid = "a"\nname = "A"\nrole = "self"\nurl = "ftp://x.org"\n', "url"),
        (
            '[[assessors]]\nid = "a"\nname = "A"\nrole = "self"\n'
            '[[assessors]]\nid = "a"\nname = "B"\nrole = "self"\n',
            "a",
        ),
        ('[grading]\nstale_after = "soon"\n', "stale_after"),
        ('[grading]\nconsensus_roles = ["critics"]\n', "consensus_roles"),
        ('[grading]\nconsensus_roles = "self"\n', "consensus_roles"),
        ("[grading]\nconsensus_roles = [1]\n", "consensus_roles"),
        ("[grading]\nstale_after = 5\n", "stale_after"),
        ('[[assessors]]\nid = "a"\nname = 3\nrole = "self"\n', "name"),
        ('[[assessors]]\nid = "a"\nname = ""\nrole = "self"\n', "name"),
        ('[[assessors]]\nid = "a"\nname = "A"\nrole = 3\n', "role"),
        ('[[assessors]]\nid = "a"\nname = "A"\nrole = "self"\nurl = 3\n', "url"),
        ('[[assessors]]\nid = "a"\nname = "A"\nrole = "self"\ndescription = 3\n', "description"),
        ('[[assessors]]\nid = "A B"\nname = "A"\nrole = "self"\n', "A B"),
        ('[[assessors]]\nid = "a"\nname = "A"\nrole = "self"\nbogus = 1\n', "bogus"),
        (
            '[[assessments]]\npromise = "p"\ndate = 2025-02-01\nrating = "kept"\neffective = "x"\n',
            "effective",
        ),
        (
            '[[assessments]]\npromise = "p"\ndate = 2025-02-01\nrating = "kept"\neffective = 5\n',
            "effective",
        ),
    ],
)
def test_new_errors_have_hints(tmp_path: Path, snippet: str, needle: str) -> None:
    path = write(tmp_path, HEAD + '[[promises]]\nid = "p"\ntitle = "P"\n' + snippet)
    code, out = run("check", path)
    assert code == 1
    assert needle in out
    errors = [p for p in promisescore.check(path).problems if p.severity == "error"]
    assert errors
    assert all(p.hint for p in errors), [(p.code, p.message) for p in errors]
    code, out = run("score", path)
    assert code == 1


def test_format_1_errors_have_hints(tmp_path: Path) -> None:
    text = (
        HEAD.replace('format = "1.1"', "format = 1")
        + '[grading]\nstale_after = "P1Y"\nbands = []\n'
        + ASSESSORS
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + asm("p", "gov", "2025-04-20", "kept", "effective = 2025-04-02")
    )
    errors = [
        p for p in promisescore.check(write(tmp_path, text)).problems if p.severity == "error"
    ]
    assert len(errors) >= 4
    assert all(p.hint and "1.1" in (p.message + p.hint) for p in errors)


def test_bad_window_is_usage_error(tmp_path: Path) -> None:
    code, out = run("agree", write(tmp_path, _agree_rubric()), "--window", "soon")
    assert code == 2
    assert "window" in out.lower()


# Other commands honour roles, --assessor and statuses ------------------------------


def test_explain_and_badge_with_assessor(tmp_path: Path) -> None:
    path = write(tmp_path, _roles_rubric())
    code, out = run("explain", path, "selfonly", "--assessor", "gov")
    assert code == 0
    assert "100.0%" in out
    code, out = run("badge", path, "--assessor", "gov")
    assert code == 0
    assert "100%" in out
    code, out = run("badge", path)
    assert code == 0
    assert "25%" in out
    ex = promisescore.explain(promisescore.load(path), "selfonly", assessor="gov")
    assert "100.0%" in str(ex)


def test_timeline_and_compare_counts_use_status(tmp_path: Path) -> None:
    path = write(tmp_path, _criteria('deadline = "2025-02-01"', ("kept", "broken")))
    tl = (
        run_json("timeline", path, "--as-of", "2025-06-01") if False else run_json("timeline", path)
    )
    last = tl["points"][-1]
    assert last["counts"]["compromise"] == 1
    cmp = run_json("compare", path)
    assert cmp["rubrics"][0]["counts"]["compromise"] == 1


def test_schema_init_and_csv_roundtrip(tmp_path: Path) -> None:
    code, out = run("schema")
    schema = json.loads(out)
    assert "1.1" in schema["properties"]["format"]["enum"]
    assert "assessors" in schema["properties"]
    grading = json.dumps(schema["properties"]["grading"]) + json.dumps(schema.get("$defs", {}))
    for key in ("consensus_roles", "stale_after", "effective"):
        assert key in grading
    starter = tmp_path / "starter.toml"
    code, out = run("init", starter, "--format-version", "1.1")
    assert code == 0
    assert 'format = "1.1"' in starter.read_text(encoding="utf-8")
    assert run("check", starter)[0] == 0
    # export → import keeps assessors (names, roles) and effective dates
    path = write(
        tmp_path,
        _late_rubric("2025-04-02")
        .replace(LATE, LATE + ASSESSORS)
        .replace('by = "t"', 'by = "gov"'),
    )
    card = run_json("score", path, "--as-of", "2025-06-01", "--assessor", "gov")
    assert promise(card, "p")["late"] is False
    outdir = tmp_path / "csv"
    code, out = run("export", path, "--to", outdir)
    assert code == 0, out
    names = sorted(p.name for p in outdir.iterdir())
    assert "assessors.csv" in names
    assert "effective" in (outdir / "assessments.csv").read_text(encoding="utf-8")


def test_csv_import_builds_a_11_rubric(tmp_path: Path) -> None:
    body = (
        ASSESSORS
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + ev("p", "e", "2025-04-01")
        + asm("p", "gov", "2025-04-20", "kept", 'effective = 2025-04-02\nevidence = ["e"]')
        + asm("p", "tribune", "2025-04-21", "broken", 'evidence = ["e"]')
    )
    path = write(tmp_path, HEAD + body)
    outdir = tmp_path / "csv"
    assert run("export", path, "--to", outdir)[0] == 0
    rebuilt = tmp_path / "rebuilt.toml"
    code, out = run(
        "import",
        outdir / "promises.csv",
        outdir / "evidence.csv",
        outdir / "assessments.csv",
        "--assessors",
        outdir / "assessors.csv",
        "--scale",
        "politifact",
        "--title",
        "Spec 1.1",
        "--start",
        "2025-01-20",
        "--end",
        "2029-01-20",
        "-o",
        rebuilt,
    )
    assert code == 0, out
    text = rebuilt.read_text(encoding="utf-8")
    assert 'format = "1.1"' in text
    assert "effective = 2025-04-02" in text
    a = run_json("score", path)
    b = run_json("score", rebuilt)
    assert promise(a, "p") == promise(b, "p")
    assert promise(b, "p")["rating"] == "broken"  # gov (self) is left out
    assert promise(run_json("score", rebuilt, "--assessor", "gov"), "p")["rating"] == "kept"


def test_agree_window_inclusive_per_criterion_and_unrated_levels(tmp_path: Path) -> None:
    def crit(c: str) -> str:
        return f'criterion = "{c}"'

    text = (
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + 'criteria = [{ id = "a", title = "A" }, { id = "b", title = "B" }]\n'
        + '[[promises]]\nid = "q"\ntitle = "Q"\n'
        # criterion a: 2025-01-10 + P3M = 2025-04-10, both ends included → one unit
        + asm("p", "x", "2025-01-10", "kept", crit("a"))
        + asm("p", "y", "2025-04-10", "broken", crit("a"))
        # criterion b: y one day after the window → two unpaired windows
        + asm("p", "x", "2025-01-10", "kept", crit("b"))
        + asm("p", "y", "2025-04-11", "kept", crit("b"))
        # q: a rating at an unrated level is no value → unpaired
        + asm("q", "x", "2025-01-10", "kept")
        + asm("q", "y", "2025-01-11", "not-yet-rated")
    )
    path = write(tmp_path, text)
    out = run_json("agree", path)
    assert out["units"] == 1
    assert out["unpaired"] == 3
    lib = agreement(promisescore.load(path), window="P3M")
    assert [(u.promise, u.criterion) for u in lib.units] == [("p", "a")]
    assert lib.unpaired == 3


def _effective_criteria(second_effective: str) -> str:
    return (
        HEAD
        + '\n[grading]\nstale_after = "P1Y"\nlate = "compromise"\n'
        + '[[promises]]\nid = "p"\ntitle = "Old one"\ndeadline = "P100D"\n'
        + 'criteria = [{ id = "a", title = "A" }, { id = "b", title = "B" }]\n'
        + '[[promises]]\nid = "q"\ntitle = "Fresh one"\n'
        + asm("p", "x", "2025-06-10", "kept", 'criterion = "a"\neffective = 2025-04-01')
        + asm("p", "x", "2025-06-10", "kept", f'criterion = "b"\neffective = {second_effective}')
        + asm("q", "x", "2026-06-01", "kept")
    )


def test_late_rule_on_criteria_uses_effective_dates(tmp_path: Path) -> None:
    # deadline 2025-04-30: f = 1 since the later effective date of the two criteria
    on_time = write(tmp_path, _effective_criteria("2025-04-20"), "a.toml")
    p = promise(run_json("score", on_time, "--as-of", "2026-07-01"), "p")
    assert p["late"] is False
    assert p["fulfillment"] == 1.0
    assert p["status"] == "kept"
    late = write(tmp_path, _effective_criteria("2025-05-20"), "b.toml")
    p = promise(run_json("score", late, "--as-of", "2026-07-01"), "p")
    assert p["late"] is True
    assert p["fulfillment"] == 0.5
    assert p["status"] == "compromise"
    code, out = run("explain", late, "p", "--as-of", "2026-07-01")
    assert code == 0
    assert "2025-05-20" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_stale_flagged_in_reports(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, _effective_criteria("2025-04-20"))
    card = run_json("score", path, "--as-of", "2026-07-01")
    # p: newest deciding rating written 2025-06-10, + P1Y < 2026-07-01; q: 2026-06-01
    assert promise(card, "p")["stale"] is True
    assert promise(card, "q")["stale"] is False
    code, out = run("report", path, "--as-of", "2026-07-01", "--format", fmt)
    assert code == 0
    if fmt == "html":
        assert "stale" in out.lower()
    else:
        old = [ln for ln in out.splitlines() if ln.lstrip("| ").startswith("Old one")]
        fresh = [ln for ln in out.splitlines() if ln.lstrip("| ").startswith("Fresh one")]
        assert old
        assert fresh
        assert "stale" in old[0].lower()
        assert "stale" not in fresh[0].lower()


def test_new_warnings_have_hints(tmp_path: Path) -> None:
    w107 = write(tmp_path, _conflict("claim", "60"), "w107.toml")
    w106 = write(
        tmp_path,
        HEAD
        + '[[promises]]\nid = "p"\ntitle = "P"\n'
        + ev("p", "e1", "2025-02-01")
        + asm("p", "t", "2025-03-01", "kept", 'evidence = ["e1"]')
        + ev("p", "e2", "2025-04-01"),
        "w106.toml",
    )
    for path, code in ((w107, "W107"), (w106, "W106")):
        found = [p for p in promisescore.check(path).problems if p.code == code]
        assert len(found) == 1
        assert found[0].hint
        assert "'p'" in found[0].message
