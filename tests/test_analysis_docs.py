"""docs/analysis.md: every ``$ promisescore ...`` command runs, and prints what the page shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "analysis.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[str, str]]:
    found = []
    for block in BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        command, _, output = block.partition("\n")
        assert command.startswith("$ promisescore "), command
        found.append((command[2:], output))
    return found


@pytest.mark.parametrize(("command", "output"), examples(), ids=lambda value: value[:60])
def test_documented_command(command: str, output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(main, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    if output:
        assert result.output == output
