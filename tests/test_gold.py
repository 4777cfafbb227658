"""Gold files: the exact output of every report format for two fixed rubrics.

A change to any renderer shows up here as a diff. When the change is intended,
regenerate the gold files and review the diff in git:

    PROMISESCORE_REGEN_GOLD=1 python3 -m pytest tests/test_gold.py

(see docs/development.md). The outputs are made by the CLI, in the repository's root,
so the file names in warnings are the relative ones a user would see.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold"
REGEN = os.environ.get("PROMISESCORE_REGEN_GOLD") == "1"

#: name → (rubric, extra options)
RUBRICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "report-card": ("tests/fixtures/report-card.toml", ()),
    "us-immigration-2021": (
        "tests/fixtures/immigration-1.1/us-immigration-2021.toml",
        ("--as-of", "2022-01-20"),
    ),
    "honest-numbers": ("tests/fixtures/honest-numbers.toml", ()),
}

#: format → gold file extension
FORMATS: dict[str, str] = {
    "text": "txt",
    "markdown": "md",
    "html": "html",
    "json": "json",
    "csv": "csv",
    "badge": "svg",
}


def run(name: str, fmt: str) -> str:
    rubric, extra = RUBRICS[name]
    if fmt == "badge":
        args = ["badge", rubric, *extra]
    else:
        args = ["report", rubric, "--format", fmt, *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", RUBRICS)
def test_output_matches_gold_file(name: str, fmt: str) -> None:
    path = GOLD / f"{name}.{FORMATS[fmt]}"
    output = run(name, fmt)
    if REGEN:
        GOLD.mkdir(exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"no gold file {path}; run PROMISESCORE_REGEN_GOLD=1 pytest {__file__}"
    expected = path.read_bytes().decode("utf-8")
    if output != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    output.splitlines(keepends=True),
                    f"gold/{path.name}",
                    "output",
                )
            )[:60]
        )
        pytest.fail(
            f"{fmt} output of {name} differs from {path.name}; if intended, regenerate with "
            f"PROMISESCORE_REGEN_GOLD=1 python3 -m pytest tests/test_gold.py\n{diff}"
        )


def test_every_gold_file_is_checked() -> None:
    expected = {f"{name}.{ext}" for name in RUBRICS for ext in FORMATS.values()}
    assert {p.name for p in GOLD.iterdir()} == expected


# Every format of both rubrics, rendered in a fresh interpreter.
_SCRIPT = """
import sys
from click.testing import CliRunner
from promisescore.cli import main
runner = CliRunner()
for rubric, extra in [
    ("tests/fixtures/report-card.toml", []),
    ("tests/fixtures/immigration-1.1/us-immigration-2021.toml", ["--as-of", "2022-01-20"]),
    ("tests/fixtures/honest-numbers.toml", []),
]:
    for fmt in ["text", "markdown", "html", "json", "csv"]:
        result = runner.invoke(main, ["report", rubric, "--format", fmt, *extra])
        assert result.exit_code == 0, result.output
        sys.stdout.write(result.stdout)
    sys.stdout.write(runner.invoke(main, ["badge", rubric, *extra]).stdout)
"""


def test_two_runs_are_byte_identical() -> None:
    """Two processes with different hash seeds give the same bytes in every format."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "src")}
        env.pop("NO_COLOR", None)
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=True,
            timeout=120,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 100_000  # every format is in there
