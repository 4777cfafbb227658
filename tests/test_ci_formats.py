"""`check --format github|junit`, the GitHub job summary, and included files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from promisescore.cli import main
from promisescore.errors import Problem
from promisescore.loading import check_text
from promisescore.loading.roots import including_rubrics
from promisescore.renderers.github import command, escape_data, escape_property, problem_command
from promisescore.renderers.junit import clean
from promisescore.renderers.junit import render as render_junit

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "rubrics"
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"
WBT = RUBRICS / "we-belong-together-2015.toml"
FRAGMENT = RUBRICS / "us-immigration-2021" / "evidence-2021-04-30-news-report.toml"

#: A valid rubric with two warnings (the bundled rubrics have none).
WARNED = """\
format = 1
[report]
title = "Two warnings"
start = 2021-01-20
[scale]
preset = "politifact"
[[promises]]
id = "no-evidence"
title = "A promise nobody has found evidence for"
[[assessments]]
promise = "no-evidence"
date = 2021-02-01
rating = "stalled"
"""

BROKEN = """\
format = 1
[report]
title = "Broken"
start = 2021-01-01
[scale]
preset = "politifact"
[[promises]]
id = "a"
title = "A"
weight = -1
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --------------------------------------------------------------------------- github


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert (
        command("error", "bad: 1, 2", file="dir/a,b.toml", line=3, title="E1:x")
        == "::error file=dir/a%2Cb.toml,line=3,title=E1%3Ax::bad: 1, 2"
    )
    assert command("warning", "m") == "::warning::m"


def test_problem_annotation() -> None:
    problem = Problem(
        "W101", "no evidence", severity="warning", hint="add some", file="r.toml", line=7
    )
    assert (
        problem_command(problem)
        == "::warning file=r.toml,line=7,title=W101::no evidence — add some"
    )
    assert problem_command(problem, strict=True).startswith("::error ")


def test_github_format_annotates_errors_warnings_and_gates(in_tmp: Path) -> None:
    (in_tmp / "broken.toml").write_text(BROKEN, encoding="utf-8")
    (in_tmp / "warned.toml").write_text(WARNED, encoding="utf-8")
    result = run(
        "check",
        "broken.toml",
        "warned.toml",
        str(IMMIGRATION),
        "--format",
        "github",
        "--fail-under",
        "0.05",
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=broken.toml,line=10,title=E203::weight of promise 'a'")
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(warnings) == 2
    assert warnings[0].startswith("::warning file=warned.toml,line=7,title=W101::")
    assert warnings[1].startswith("::warning file=warned.toml,line=10,title=W102::")
    gate = [line for line in lines if "title=promisescore gate fail-under" in line]
    assert len(gate) == 1
    assert gate[0].endswith("::overall score 0.0000 < fail-under 0.05")
    assert lines[-1] == "1 error, 2 warnings in 3 files; 1 of 2 gates failed."


def test_step_summary_is_appended(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = in_tmp / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    (in_tmp / "broken.toml").write_text(BROKEN, encoding="utf-8")
    args = ["check", str(IMMIGRATION), "broken.toml", "--format", "github", "--fail-under", "0.2"]
    assert run(*args).exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n## Biden-Harris immigration promises")
    assert "| `fail-under` | ❌ **failed** | overall score 0.07609 \\< fail-under 0.2 |" in text
    assert "broken.toml" not in text  # invalid rubrics have no report card
    run(*args)
    assert summary.read_text(encoding="utf-8").count("## Biden-Harris") == 2


def test_step_summary_only_with_github_format(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = in_tmp / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run("check", str(WBT)).exit_code == 0
    assert not summary.exists()


# --------------------------------------------------------------------------- junit


def test_junit_is_well_formed_and_deterministic(in_tmp: Path) -> None:
    (in_tmp / "broken.toml").write_text(BROKEN, encoding="utf-8")
    args = ["check", "broken.toml", str(IMMIGRATION), str(WBT), "--format", "junit"]
    first = run(*args, "--fail-under", "0.06")
    assert first.exit_code == 1
    assert first.stdout == run(*args, "--fail-under", "0.06").stdout
    root = ET.fromstring(first.stdout)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["broken.toml", str(IMMIGRATION), str(WBT)]
    broken, immigration, wbt = suites
    assert broken.get("failures") == "1"
    failure = broken.find("testcase/failure")
    assert failure is not None
    assert failure.get("type") == "E203"
    assert immigration.get("tests") == "1"  # no problems: only the gate is a test case
    assert immigration.get("failures") == "0"  # 0.07609 ≥ 0.06
    assert wbt.get("failures") == "1"  # 0.05 < 0.06
    gate = wbt.find("testcase[@name='gate fail-under']/failure")
    assert gate is not None
    assert "overall score 0.05000 < fail-under 0.06" in (gate.text or "")
    assert root.get("tests") == str(sum(int(s.get("tests") or 0) for s in suites))


def test_junit_warnings_pass_unless_strict(in_tmp: Path) -> None:
    (in_tmp / "warned.toml").write_text(WARNED, encoding="utf-8")
    lenient = run("check", "warned.toml", "--format", "junit")
    assert lenient.exit_code == 0
    suite = ET.fromstring(lenient.stdout).find("testsuite")
    assert suite is not None
    # warnings pass, with the finding in system-out
    assert suite.get("tests") == "2"
    assert suite.get("failures") == "0"
    result = run("check", "warned.toml", "--format", "junit", "--strict")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "3"  # two warnings and the strict gate
    clean_run = run("check", str(IMMIGRATION), "--format", "junit", "--strict")
    assert clean_run.exit_code == 0


def test_junit_clean_file_has_one_passing_case() -> None:
    result = check_text(
        'format = 1\n[report]\ntitle = "t"\nstart = 2020-01-01\n[scale]\npreset = "percent"\n'
        '[[promises]]\nid = "a"\ntitle = "A"\n[[evidence]]\nid = "e"\npromise = "a"\n'
        'date = 2020-02-01\nsummary = "s"\nsource = { title = "t", kind = "record" }\n',
        name="ok.toml",
    )
    assert not result.problems
    root = ET.fromstring(render_junit([result]))
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["no problems"]


def test_junit_escapes_markup_and_control_characters() -> None:
    assert clean("a\x00b\x1bc\ttab") == "a\\x00b\\x1bc\ttab"
    text = (
        'format = 1\n[report]\ntitle = "t"\nstart = 2020-01-01\n[scale]\npreset = "percent"\n'
        '[[promises]]\nid = "a"\ntitle = "<b>&\\u0001"\nweight = 0\n'
    )
    result = check_text(text, name='<"odd">.toml')
    xml = render_junit([result])
    root = ET.fromstring(xml)  # parses: markup escaped, control characters replaced
    assert root.find("testsuite").get("name") == '<"odd">.toml'  # type: ignore[union-attr]


# --------------------------------------------------------------------------- included files


def test_included_file_is_checked_through_its_rubric(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    fragment = str(FRAGMENT.relative_to(REPO))
    assert including_rubrics(fragment) == ["rubrics/us-immigration-2021.toml"]
    assert including_rubrics("rubrics/us-immigration-2021.toml") is None
    result = run("check", fragment, "rubrics/us-immigration-2021/assessments-we-are-home.toml")
    assert result.exit_code == 0, result.output
    assert f"{fragment}: included by rubrics/us-immigration-2021.toml; checking that" in (
        result.stdout
    )
    assert result.stdout.count("rubrics/us-immigration-2021.toml: ok") == 1


def test_nested_includes_and_orphans(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    top = in_tmp / "rubrics"
    (top / "parts" / "deep").mkdir(parents=True)
    (top / "main.toml").write_text(
        'format = 1\ninclude = ["parts/list.toml"]\n[report]\ntitle = "t"\n'
        'start = 2020-01-01\n[scale]\npreset = "percent"\n'
    )
    (top / "parts" / "list.toml").write_text('include = ["deep/*.toml"]\n')
    (top / "parts" / "deep" / "p.toml").write_text('[[promises]]\nid = "a"\ntitle = "A"\n')
    (top / "orphan.toml").write_text('[[promises]]\nid = "b"\ntitle = "B"\n')
    assert including_rubrics("rubrics/parts/deep/p.toml") == ["rubrics/main.toml"]
    assert including_rubrics("rubrics/orphan.toml") == []
    result = run("check", "rubrics/parts/deep/p.toml")
    assert result.exit_code == 0, result.output
    orphan = run("check", "rubrics/orphan.toml")
    assert orphan.exit_code == 1
    assert "looks like an included file, but no rubric" in orphan.stdout


def test_large_files_are_peeked_cheaply(in_tmp: Path) -> None:
    import json

    evidence = [
        {"id": f"e{i}", "promise": "a", "date": "2020-02-01", "summary": "x" * 100, "source": "s"}
        for i in range(2000)
    ]
    (in_tmp / "big-rubric.json").write_text(
        json.dumps({"format": 1, "include": ["big-part.json"], "evidence": evidence})
    )
    (in_tmp / "big-part.json").write_text(json.dumps({"evidence": evidence}))
    assert (in_tmp / "big-part.json").stat().st_size > 256 * 1024
    assert including_rubrics("big-rubric.json") is None
    assert including_rubrics("big-part.json") == ["big-rubric.json"]
