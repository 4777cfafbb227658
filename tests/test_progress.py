"""Progress: the library's callback, and the CLI's terminal-only progress line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main
from promisescore.cli.progress import BIG_FILE, DELAY, TerminalProgress, progress_on_terminal
from promisescore.progress import STEPS, Ticker

IMMIGRATION = Path(__file__).resolve().parents[1] / "rubrics" / "us-immigration-2021.toml"

Event = tuple[str, int, int]


def _by_stage(events: list[Event]) -> dict[str, list[Event]]:
    stages: dict[str, list[Event]] = {}
    for event in events:
        stages.setdefault(event[0], []).append(event)
    return stages


def test_load_and_score_report_progress() -> None:
    events: list[Event] = []
    rubric = promisescore.load(IMMIGRATION, progress=lambda *e: events.append(e))
    promisescore.score(rubric, progress=lambda *e: events.append(e))
    stages = _by_stage(events)
    parsing = [s for s in stages if s.startswith("parsing ")]
    assert len(parsing) == 1 + len(list((IMMIGRATION.parent / "us-immigration-2021").glob("*")))
    assert "checking" in stages
    assert "scoring" in stages
    items = len(rubric.promises) + len(rubric.evidence) + len(rubric.assessments)
    items += len(rubric.categories) + len(rubric.declared_assessors)
    assert stages["checking"][-1] == ("checking", items, items)
    assert stages["scoring"][-1] == ("scoring", len(rubric.promises), len(rubric.promises))
    for updates in stages.values():
        done = [d for _, d, _ in updates]
        assert done == sorted(done)
        assert done[0] == 0
        assert updates[-1][1] == updates[-1][2]


def test_check_reports_progress_too() -> None:
    events: list[Event] = []
    result = promisescore.check(IMMIGRATION, progress=lambda *e: events.append(e))
    assert result.ok
    assert any(stage == "checking" for stage, _, _ in events)


def test_ticker_sends_about_one_update_per_percent() -> None:
    events: list[Event] = []
    ticker = Ticker(lambda *e: events.append(e), "work", 10_000)
    for _ in range(10_000):
        ticker.tick()
    ticker.finish()
    assert events[0] == ("work", 0, 10_000)
    assert events[-1] == ("work", 10_000, 10_000)
    assert len(events) <= STEPS + 3


def test_no_callback_no_calls() -> None:
    ticker = Ticker(None, "work", 5)
    ticker.tick(5)
    ticker.finish()  # nothing to call, nothing raised


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_terminal_progress_waits_a_second_then_draws_and_erases() -> None:
    stream = io.StringIO()
    clock = _Clock()
    bar = TerminalProgress(stream, clock)
    bar("checking", 10, 100)
    assert stream.getvalue() == ""  # quick work shows nothing
    clock.now = DELAY + 0.01
    bar("checking", 50, 100)
    assert "checking [############            ]  50% (50/100)" in stream.getvalue()
    bar("checking", 51, 100)  # too soon to redraw
    assert "51/100" not in stream.getvalue()
    clock.now += 1
    bar("checking", 100, 100)
    assert "100/100" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")
    line = stream.getvalue().split("\r")[-2]
    assert line.strip() == ""


def test_terminal_progress_announces_big_files_at_once() -> None:
    stream = io.StringIO()
    bar = TerminalProgress(stream, _Clock())
    bar("parsing big.json", 0, BIG_FILE)
    assert "parsing big.json (8 MB)..." in stream.getvalue()
    bar.close()


def test_terminal_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", io.StringIO())
    with progress_on_terminal() as progress:
        assert progress is None
    monkeypatch.setattr("sys.stderr", Tty())
    with progress_on_terminal() as progress:
        assert isinstance(progress, TerminalProgress)


@pytest.mark.parametrize(
    "args",
    [
        ["score", str(IMMIGRATION)],
        ["score", str(IMMIGRATION), "--format", "json"],
        ["report", str(IMMIGRATION)],
        ["check", str(IMMIGRATION)],
    ],
)
def test_cli_prints_no_progress_when_stderr_is_not_a_terminal(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "\r" not in result.output
