"""Gates through the CLI: `check` and `report`, options and [tool.promisescore].

The frozen format 1.1 copy of the bundled immigration rubric (tests/fixtures/immigration-1.1)
scores 0.07609 overall (as of 2024-06-18) with coverage 0.5897, 'asylum-border' at 0.1429
and 'overall-reform' at 0.25; 'work-visas' has no score (only the administration, outside
the headline, rates it). It has no warnings, so the strict gate is tested on a small
rubric written with two (``warned``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = str(REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml")
WBT = str(REPO / "rubrics" / "we-belong-together-2015.toml")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory (no pyproject.toml above it to pick up)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def local(where: Path) -> str:
    """A copy of the immigration rubric (and the files it includes) in ``where``."""
    target = where / "rubrics"
    if not target.exists():
        shutil.copytree(REPO / "tests" / "fixtures" / "immigration-1.1", target)
    return str(target / "us-immigration-2021.toml")


def pyproject(where: Path, body: str) -> None:
    (where / "pyproject.toml").write_text(
        "[project]\nname = 'tracker'\n\n[tool.promisescore]\n" + body, encoding="utf-8"
    )


WARNED = """format = 1
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


def warned(where: Path) -> str:
    """A valid rubric with two warnings: a promise with no evidence, an uncited rating."""
    path = where / "warned.toml"
    path.write_text(WARNED, encoding="utf-8")
    return str(path)


def saved_scores(where: Path, tweak: Any = None) -> str:
    result = run("score", IMMIGRATION, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if tweak is not None:
        tweak(data)
    path = where / "main.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- check


@pytest.mark.usefixtures("in_tmp")
class TestCheckGates:
    def test_fail_under(self) -> None:
        ok = run("check", IMMIGRATION, "--fail-under", "0.07")
        assert ok.exit_code == 0, ok.output
        assert "gate fail-under passed: overall score 0.07609 ≥ fail-under 0.07" in ok.stdout
        bad = run("check", IMMIGRATION, "--fail-under", "0.08")
        assert bad.exit_code == 1
        assert "gate fail-under failed: overall score 0.07609 < fail-under 0.08" in bad.stdout
        assert "1 of 1 gate failed" in bad.stdout

    def test_fail_under_shows_digits_near_the_threshold(self) -> None:
        # 0.0760869565...: four significant digits (0.07609) would look above 0.076087
        ok = run("check", IMMIGRATION, "--fail-under", "0.076086")
        assert ok.exit_code == 0
        assert "overall score 0.07609 ≥ fail-under 0.076086" in ok.stdout
        bad = run("check", IMMIGRATION, "--fail-under", "0.076087")
        assert bad.exit_code == 1
        assert "overall score 0.07608696 < fail-under 0.076087" in bad.stdout

    def test_fail_under_category(self) -> None:
        ok = run("check", IMMIGRATION, "--fail-under-category", "asylum-border=0.14")
        assert ok.exit_code == 0, ok.output
        bad = run(
            "check",
            IMMIGRATION,
            "--fail-under-category",
            "asylum-border=0.15",
            "--fail-under-category",
            "overall-reform=0.2",
        )
        assert bad.exit_code == 1
        assert "gate fail-under-category:asylum-border failed" in bad.stdout
        assert "gate fail-under-category:overall-reform passed" in bad.stdout
        # a category with no score in the headline cannot pass a threshold
        none = run("check", IMMIGRATION, "--fail-under-category", "work-visas=0")
        assert none.exit_code == 1
        assert "no promise is rated" in none.stdout

    def test_min_coverage(self) -> None:
        assert run("check", IMMIGRATION, "--min-coverage", "0.58").exit_code == 0
        bad = run("check", IMMIGRATION, "--min-coverage", "0.6")
        assert bad.exit_code == 1
        assert "coverage 0.5897 < min-coverage 0.6" in bad.stdout

    def test_strict(self, in_tmp: Path) -> None:
        assert run("check", WBT, "--strict").exit_code == 0
        assert run("check", IMMIGRATION, "--strict").exit_code == 0
        bad = run("check", warned(in_tmp), "--strict")
        assert bad.exit_code == 1
        assert "gate strict failed: 2 warnings" in bad.stdout
        assert run("check", warned(in_tmp)).exit_code == 0

    def test_baseline_pass_and_drop(self, in_tmp: Path) -> None:
        same = saved_scores(in_tmp)
        ok = run("check", IMMIGRATION, "--baseline", same)
        assert ok.exit_code == 0, ok.output
        assert "gate baseline passed" in ok.stdout
        assert "gate baseline-final passed" in ok.stdout

        def higher(data: dict[str, Any]) -> None:
            data["overall"]["score"] += 0.02

        dropped = saved_scores(in_tmp, higher)
        bad = run("check", IMMIGRATION, "--baseline", dropped)
        assert bad.exit_code == 1
        assert "overall score dropped by 0.02" in bad.stdout
        assert "more than max-drop 0" in bad.stdout
        assert run("check", IMMIGRATION, "--baseline", dropped, "--max-drop", "0.03").exit_code == 0

    def test_baseline_final_fall(self, in_tmp: Path) -> None:
        def kept(data: dict[str, Any]) -> None:
            for item in data["promises"]:
                if item["id"] == "restore-asylum-access":
                    item["rating"] = "kept"

        bad = run("check", IMMIGRATION, "--baseline", saved_scores(in_tmp, kept))
        assert bad.exit_code == 1
        assert "gate baseline-final:restore-asylum-access failed" in bad.stdout
        assert "fell from 'kept' (a final level) in the baseline to 'stalled'" in bad.stdout

    @pytest.mark.parametrize(
        ("args", "needle"),
        [
            (["--fail-under", "1.5"], "between 0 and 1"),
            (["--fail-under", "70"], "70% is 0.7"),
            (["--fail-under", "high"], "not 'high'"),
            (["--min-coverage", "-0.1"], "between 0 and 1"),
            (["--max-drop", "2"], "between 0 and 1"),
            (["--fail-under-category", "asylum"], "expected ID=SCORE"),
            (["--fail-under-category", "asylum=x"], "not 'x'"),
            (["--fail-under-category", "asylum=0.5"], "did you mean 'asylum-border'?"),
            (["--baseline", "missing.json"], "baseline missing.json: no such file"),
        ],
    )
    def test_bad_options_exit_2(self, args: list[str], needle: str) -> None:
        result = run("check", IMMIGRATION, *args)
        assert result.exit_code == 2, result.output
        assert needle in result.output
        assert "Traceback" not in result.output

    def test_invalid_baseline_exit_2(self, in_tmp: Path) -> None:
        (in_tmp / "b.json").write_text('{"schema_version": 1, "title": "x"}')
        result = run("check", IMMIGRATION, "--baseline", "b.json")
        assert result.exit_code == 2
        assert "not the output of `promisescore score --format json`: no overall.score" in (
            result.stderr
        )

    def test_baseline_needs_one_rubric(self, in_tmp: Path) -> None:
        result = run("check", IMMIGRATION, WBT, "--baseline", saved_scores(in_tmp))
        assert result.exit_code == 2
        assert "check them one at a time" in result.stderr

    def test_category_threshold_may_name_a_category_of_any_checked_file(self) -> None:
        result = run("check", IMMIGRATION, WBT, "--fail-under-category", "legalization=0")
        assert result.exit_code == 0, result.output
        assert result.stdout.count("gate fail-under-category:legalization passed") == 2
        only_one = run("check", IMMIGRATION, WBT, "--fail-under-category", "detention=0.1")
        assert only_one.exit_code == 1
        assert only_one.stdout.count("gate fail-under-category:detention") == 1

    def test_json_lists_gates(self) -> None:
        result = run("check", IMMIGRATION, "--fail-under", "0.3", "--format", "json")
        assert result.exit_code == 1
        data = json.loads(result.stdout)
        assert data["gates_failed"] == 1
        (gate,) = data["files"][0]["gates"]
        assert gate["gate"] == "fail-under"
        assert gate["passed"] is False
        assert gate["actual"] == pytest.approx(0.07609, abs=1e-5)
        assert gate["threshold"] == 0.3

    def test_invalid_rubric_fails_before_gates(self, in_tmp: Path) -> None:
        bad = in_tmp / "bad.toml"
        bad.write_text("format = 1\n[report]\ntitle = 't'\n")
        result = run("check", str(bad), "--fail-under", "0")
        assert result.exit_code == 1
        assert "gate" not in result.stdout


# --------------------------------------------------------------------------- pyproject


class TestPyprojectSettings:
    """A ``pyproject.toml`` beside (or above) the rubric, found from the rubric's directory."""

    def test_fail_under_from_pyproject(self, in_tmp: Path) -> None:
        pyproject(in_tmp, "fail_under = 0.08\n")
        bad = run("check", local(in_tmp))
        assert bad.exit_code == 1
        assert "overall score 0.07609 < fail-under 0.08" in bad.stdout
        # the command line overrides the file
        assert run("check", local(in_tmp), "--fail-under", "0.07").exit_code == 0

    def test_found_from_a_subdirectory(self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        pyproject(in_tmp, "min_coverage = 0.9\n")
        sub = in_tmp / "trackers" / "deep"
        sub.mkdir(parents=True)
        rubric = local(sub)
        monkeypatch.chdir(REPO)  # the working directory plays no part
        bad = run("check", rubric)
        assert bad.exit_code == 1
        assert "coverage 0.5897 < min-coverage 0.9" in bad.stdout

    def test_strict_from_pyproject_and_no_strict(self, in_tmp: Path) -> None:
        pyproject(in_tmp, "strict = true\n")
        assert run("check", warned(in_tmp)).exit_code == 1
        assert run("check", warned(in_tmp), "--no-strict").exit_code == 0
        assert run("check", local(in_tmp)).exit_code == 0

    def test_categories_merge_with_the_command_line(self, in_tmp: Path) -> None:
        pyproject(in_tmp, "fail_under_category = { asylum-border = 0.5, overall-reform = 0.2 }\n")
        bad = run("check", local(in_tmp))
        assert bad.exit_code == 1
        ok = run("check", local(in_tmp), "--fail-under-category", "asylum-border=0.1")
        assert ok.exit_code == 0, ok.output
        assert "gate fail-under-category:overall-reform passed" in ok.stdout

    def test_baseline_and_max_drop_from_pyproject(self, in_tmp: Path) -> None:
        def higher(data: dict[str, Any]) -> None:
            data["overall"]["score"] += 0.02

        saved_scores(in_tmp, higher)
        pyproject(in_tmp, "baseline = 'main.json'\n")
        assert run("check", local(in_tmp)).exit_code == 1
        pyproject(in_tmp, "baseline = 'main.json'\nmax_drop = 0.05\n")
        assert run("check", local(in_tmp)).exit_code == 0

    def test_unknown_key_exit_2(self, in_tmp: Path) -> None:
        pyproject(in_tmp, "fail_undr = 0.5\n")
        result = run("check", local(in_tmp))
        assert result.exit_code == 2
        assert "pyproject.toml:5: unknown key 'fail_undr'" in result.stderr
        assert "did you mean 'fail_under'?" in result.stderr

    def test_bad_value_exit_2(self, in_tmp: Path) -> None:
        pyproject(in_tmp, "fail_under = 1.2\n")
        result = run("check", local(in_tmp))
        assert result.exit_code == 2
        assert "fail_under must be between 0 and 1, not 1.2" in result.stderr

    def test_report_reads_pyproject_too(self, in_tmp: Path) -> None:
        pyproject(in_tmp, "fail_under = 0.08\n")
        result = run("report", local(in_tmp), "--format", "json")
        assert result.exit_code == 1
        assert json.loads(result.stdout)["overall"]["score"] == pytest.approx(0.07609, abs=1e-5)


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize("command", ["check", "report"])
class TestConfigDiscovery:
    """As black and ruff: from the rubric's directory up; ``--config FILE``; ``--isolated``."""

    def test_found_from_the_rubric_not_the_working_directory(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, command: str
    ) -> None:
        tracker = in_tmp / "tracker"
        tracker.mkdir()
        rubric = local(tracker)
        pyproject(tracker, "fail_under = 0.08\n")  # beside the rubric's folder
        elsewhere = in_tmp / "elsewhere"
        elsewhere.mkdir()
        pyproject(elsewhere, "fail_under = 0.01\nmin_coverage = 0.1\n")
        monkeypatch.chdir(elsewhere)  # the working directory's table does not apply
        result = run(command, rubric)
        assert result.exit_code == 1, result.output
        gates = result.stdout if command == "check" else result.stderr
        assert "overall score 0.07609 < fail-under 0.08" in gates
        assert "min-coverage" not in gates
        # a rubric outside any configured tree gets no gates from the working directory
        monkeypatch.chdir(tracker)
        assert run(command, IMMIGRATION).exit_code == 0

    def test_the_search_stops_at_the_repository_root(self, in_tmp: Path, command: str) -> None:
        pyproject(in_tmp, "fail_under = 0.9\n")
        repo = in_tmp / "repo"
        (repo / ".git").mkdir(parents=True)
        assert run(command, local(repo)).exit_code == 0  # in_tmp's table is above .git
        (repo / ".git").rmdir()
        assert run(command, local(repo)).exit_code == 1

    def test_config_names_the_file(self, in_tmp: Path, command: str) -> None:
        rubric = local(in_tmp)
        pyproject(in_tmp, "min_coverage = 0.9\n")  # discovered, but --config wins
        config = in_tmp / "ci" / "gates.toml"
        config.parent.mkdir()
        config.write_text("[tool.promisescore]\nfail_under = 0.08\n", encoding="utf-8")
        result = run(command, rubric, "--config", str(config))
        assert result.exit_code == 1, result.output
        gates = result.stdout if command == "check" else result.stderr
        assert "overall score 0.07609 < fail-under 0.08" in gates
        assert "min-coverage" not in gates
        # the command line still overrides the file
        assert run(command, rubric, "--config", str(config), "--fail-under", "0.07").exit_code == 0
        # a file without the table: every gate off
        config.write_text("[tool.other]\nx = 1\n", encoding="utf-8")
        assert run(command, rubric, "--config", str(config)).exit_code == 0

    def test_config_baseline_is_relative_to_the_config_file(
        self, in_tmp: Path, command: str
    ) -> None:
        def higher(data: dict[str, Any]) -> None:
            data["overall"]["score"] += 0.02

        folder = in_tmp / "ci"
        folder.mkdir()
        saved_scores(folder, higher)
        config = folder / "gates.toml"
        config.write_text("[tool.promisescore]\nbaseline = 'main.json'\n", encoding="utf-8")
        result = run(command, local(in_tmp), "--config", str(config))
        assert result.exit_code == 1, result.output

    def test_isolated_reads_no_file(self, in_tmp: Path, command: str) -> None:
        rubric = local(in_tmp)
        pyproject(in_tmp / "rubrics", "fail_under = 0.08\n")
        assert run(command, rubric).exit_code == 1
        assert run(command, rubric, "--isolated").exit_code == 0
        # the options given still apply
        assert run(command, rubric, "--isolated", "--fail-under", "0.08").exit_code == 1
        # even a broken pyproject.toml is not read
        (in_tmp / "rubrics" / "pyproject.toml").write_text("[tool.promisescore\n")
        assert run(command, rubric).exit_code == 2
        assert run(command, rubric, "--isolated").exit_code == 0

    def test_a_bad_config_path_exits_2(self, in_tmp: Path, command: str) -> None:
        rubric = local(in_tmp)
        missing = run(command, rubric, "--config", "no-such.toml")
        assert missing.exit_code == 2
        assert "error: no-such.toml: no such config file" in missing.stderr
        assert "Traceback" not in missing.output
        folder = run(command, rubric, "--config", str(in_tmp))
        assert folder.exit_code == 2
        assert "is a directory" in folder.stderr
        (in_tmp / "broken.toml").write_text("fail_under = \n", encoding="utf-8")
        broken = run(command, rubric, "--config", "broken.toml")
        assert broken.exit_code == 2
        assert "broken.toml: invalid TOML" in broken.stderr

    def test_config_and_isolated_contradict(self, in_tmp: Path, command: str) -> None:
        (in_tmp / "gates.toml").write_text("[tool.promisescore]\n", encoding="utf-8")
        result = run(command, local(in_tmp), "--config", "gates.toml", "--isolated")
        assert result.exit_code == 2
        assert "Usage:" in result.stderr
        assert "--config and --isolated" in result.stderr


def test_check_of_several_rubrics_searches_from_their_common_folder(in_tmp: Path) -> None:
    first, second = in_tmp / "a" / "one", in_tmp / "a" / "two"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    pyproject(in_tmp / "a", "strict = true\n")
    pyproject(first, "strict = false\n")  # only the first rubric's folder
    assert run("check", warned(first), warned(second)).exit_code == 1
    assert run("check", warned(first)).exit_code == 0


# --------------------------------------------------------------------------- report


@pytest.mark.usefixtures("in_tmp")
class TestReportGates:
    def test_report_written_then_gate_fails(self, in_tmp: Path) -> None:
        out = in_tmp / "card.md"
        result = run(
            "report", IMMIGRATION, "--format", "markdown", "-o", str(out), "--fail-under", "0.3"
        )
        assert result.exit_code == 1
        assert out.read_text(encoding="utf-8").startswith("## Biden-Harris")
        assert "gate fail-under failed: overall score 0.07609 < fail-under 0.3" in result.stderr

    def test_report_gates_pass(self) -> None:
        result = run(
            "report",
            IMMIGRATION,
            "--fail-under",
            "0.07",
            "--min-coverage",
            "0.5",
            "--fail-under-category",
            "asylum-border=0.14",
        )
        assert result.exit_code == 0, result.output
        assert result.stderr.count("passed") == 3
        assert "gate" not in result.stdout

    def test_report_strict_and_baseline(self, in_tmp: Path) -> None:
        assert run("report", warned(in_tmp), "--strict").exit_code == 1
        assert run("report", IMMIGRATION, "--strict").exit_code == 0
        assert run("report", WBT, "--strict").exit_code == 0

        def kept(data: dict[str, Any]) -> None:
            for item in data["promises"]:
                if item["id"] == "restore-asylum-access":
                    item["rating"] = "kept"

        result = run("report", IMMIGRATION, "--baseline", saved_scores(in_tmp, kept))
        assert result.exit_code == 1
        assert "restore-asylum-access" in result.stderr

    def test_report_unknown_category_exit_2_before_writing(self, in_tmp: Path) -> None:
        out = in_tmp / "card.txt"
        result = run("report", IMMIGRATION, "-o", str(out), "--fail-under-category", "asylm=0.1")
        assert result.exit_code == 2
        assert not out.exists()

    def test_report_without_gates_prints_no_gate_lines(self) -> None:
        result = run("report", IMMIGRATION)
        assert result.exit_code == 0
        assert "gate" not in result.stderr
