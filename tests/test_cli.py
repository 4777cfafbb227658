"""The command line through Click's runner, and as a real installed program."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main

from .conftest import IMMIGRATION, REPO, WBT

runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_version_and_help_on_every_command() -> None:
    code, out = run("--version")
    assert code == 0
    assert promisescore.__version__ in out
    for name, command in main.commands.items():
        code, out = run(name, "--help")
        assert code == 0, name
        assert "Usage:" in out
        assert command.help, f"{name} has no help text"


def test_command_modules_table_matches_the_modules() -> None:
    """``COMMAND_MODULES`` (what lets one command import one module) names every command
    of every module in ``promisescore.cli``, each with the module that defines it."""
    import pkgutil

    import promisescore.cli as cli

    found = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"promisescore.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            found[command.name] = info.name
    assert found == cli.COMMAND_MODULES
    assert sorted(main.commands) == sorted(found)
    assert main.list_commands(click_context()) == sorted(found)


def click_context() -> Any:
    import click

    return click.Context(main)


def _imported_by(*args: str) -> set[str]:
    code = (
        "import sys\n"
        "from promisescore.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "names = (m for m in sys.modules if m.startswith(('promisescore', 'attr')))\n"
        "print(' '.join(sorted(names)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def test_version_imports_no_command_module_and_no_attrs() -> None:
    """Start-up (docs/performance.md): ``--version`` imports click, ``promisescore.cli``
    and its shared options only; a command imports its own module, not the others."""
    modules = _imported_by("--version")
    assert "promisescore.cli" in modules
    assert not {m for m in modules if m.startswith("attr")}, modules
    assert {m for m in modules if m.startswith("promisescore.cli.")} == {"promisescore.cli.common"}
    scales = _imported_by("scales")
    cli_modules = {m for m in scales if m.startswith("promisescore.cli.")}
    assert cli_modules == {
        "promisescore.cli.common",
        "promisescore.cli.check",
        "promisescore.cli.gates",
    }


def test_unknown_option_is_usage_error() -> None:
    code, out = run("check", "--nope", str(IMMIGRATION))
    assert code == 2
    assert "No such option" in out


def test_check_bundled_rubrics() -> None:
    code, out = run("check", IMMIGRATION, WBT)
    assert code == 0, out
    first = out.splitlines()[0]
    assert first.startswith(f"{IMMIGRATION}: ok")
    assert "20 promises" in first  # 19 counted and the umbrella promise
    assert "6 assessors (administration, aila, nakasec, news-report, raices, we-are-home)" in first
    assert "dated 2021-04-30 to 2024-06-18" in first


def test_check_json() -> None:
    code, out = run("check", "--format", "json", WBT)
    assert code == 0
    data = json.loads(out)
    assert data["errors"] == 0
    assert data["files"][0]["summary"]["promises"] == 6


def test_scales_lists_presets_with_values() -> None:
    code, out = run("scales")
    assert code == 0
    for name in ("politifact", "polimetre", "cppg", "percent"):
        assert f"{name}:" in out
    assert "Kept in part or in the works" in out
    data = json.loads(run("scales", "--format", "json")[1])
    assert [lv["value"] for lv in data["politifact"]["levels"]] == [None, 0.0, 0.0, 0.25, 0.5, 1.0]
    assert [lv["final"] for lv in data["cppg"]["levels"]] == [True, True, True]
    assert data["percent"]["levels"] == []


def test_score_text_and_json_agree_with_library() -> None:
    card = promisescore.score(promisescore.load(IMMIGRATION), "2022-01-20")
    code, out = run("score", IMMIGRATION, "--as-of", "2022-01-20", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["overall"]["score"] == card.overall.score
    assert data["as_of"] == "2022-01-20"
    code, out = run("score", IMMIGRATION, "--as-of", "2022-01-20")
    assert f"{100 * card.overall.score:.1f}%" in out  # type: ignore[operator]
    assert "Promises by rating" in out


def test_score_bad_date_and_unknown_assessor() -> None:
    code, out = run("score", IMMIGRATION, "--as-of", "2022-02-30")
    assert code == 2
    assert "not a valid date" in out
    code, out = run("score", IMMIGRATION, "--assessor", "we-are-hom")
    assert code == 2
    assert "did you mean 'we-are-home'" in out


def test_invalid_rubric_makes_score_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n")
    code, out = run("score", bad)
    assert code == 1
    assert "E102" in out
    assert "run `promisescore check`" in out


def test_explain() -> None:
    code, out = run("explain", IMMIGRATION, "restore-asylum-access", "--as-of", "2022-01-20")
    assert code == 0
    assert "Consensus (median)" in out
    assert "Contribution:" in out
    code, out = run("explain", IMMIGRATION, "restore-asylum", "--format", "json")
    assert code == 2
    assert "did you mean 'restore-asylum-access'" in out
    code, out = run("explain", IMMIGRATION, "end-mpp", "--format", "json")
    data = json.loads(out)
    assert data["promise"]["id"] == "end-mpp"
    assert data["contribution"]["overall"]["if_kept"] >= data["contribution"]["overall"]["now"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "csv"])
def test_report_every_format_is_deterministic(fmt: str) -> None:
    if importlib.util.find_spec(f"promisescore.renderers.{fmt}") is None:
        pytest.skip(f"no {fmt} renderer yet")
    code, first = run("report", IMMIGRATION, "--format", fmt, "--as-of", "2022-01-20")
    assert code == 0
    assert first.strip()
    assert run("report", IMMIGRATION, "--format", fmt, "--as-of", "2022-01-20")[1] == first


def test_report_category_filter_and_sort() -> None:
    code, out = run(
        "report", IMMIGRATION, "--format", "csv", "--category", "asylum-border", "--sort", "id"
    )
    assert code == 0
    rows = out.splitlines()[1:]
    ids = [row.split(",")[0] for row in rows]
    assert ids == sorted(ids)
    assert all(",asylum-border," in row for row in rows)
    code, out = run("report", IMMIGRATION, "--category", "asylum")
    assert code == 2
    assert "did you mean 'asylum-border'" in out


def test_output_is_atomic_and_never_clobbers_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "r.toml"
    shutil.copy(WBT, copy)
    before = copy.read_bytes()
    code, out = run("report", copy, "--output", copy)
    assert code == 2
    assert "refusing to write" in out
    assert copy.read_bytes() == before
    target = tmp_path / "card.md"
    code, _ = run("report", copy, "--format", "markdown", "-o", target)
    assert code == 0
    assert target.read_text().startswith("## ")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_refuses_an_included_file(tmp_path: Path) -> None:
    shutil.copytree(IMMIGRATION.parent, tmp_path / "rubrics")
    root = tmp_path / "rubrics" / IMMIGRATION.name
    included = next((tmp_path / "rubrics" / "us-immigration-2021").glob("evidence-*.toml"))
    before = included.read_bytes()
    code, _out = run("badge", root, "--output", included)
    assert code == 2
    assert included.read_bytes() == before


def test_badge(tmp_path: Path) -> None:
    out_file = tmp_path / "badge.svg"
    code, _ = run("badge", IMMIGRATION, "-o", out_file)
    assert code == 0
    svg = out_file.read_text()
    card = promisescore.score(promisescore.load(IMMIGRATION))
    assert svg.startswith("<svg")
    assert card.overall.score is not None
    assert card.overall.grade is None  # format 1.2 without bands: no grade (FORMAT.md §8.4)
    assert f"<title>promises: {100 * card.overall.score:.0f}%</title>" in svg


def _installed() -> list[str]:
    exe = shutil.which("promisescore")
    return [exe] if exe else [sys.executable, "-m", "promisescore"]


def test_installed_program_runs_from_any_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [*_installed(), "report", str(IMMIGRATION), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["title"] == promisescore.load(IMMIGRATION).report.title
    missing = subprocess.run(
        [*_installed(), "check", "missing.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2
    assert "missing.toml: no such file" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "promisescore", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0
    assert promisescore.__version__ in done.stdout
