"""Only the command line pauses the cyclic garbage collector; library calls leave it alone."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

import promisescore

RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "us-immigration-2021.toml"


def test_library_calls_leave_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """``load``, ``check``, ``score`` and ``render`` never touch the process's collector
    or its thread switch interval (only the command line, which owns its process, may)."""

    def forbidden(*args: object) -> None:
        raise AssertionError("a library call changed the process")

    for name in ("disable", "enable", "freeze", "unfreeze"):
        monkeypatch.setattr(gc, name, forbidden)
    monkeypatch.setattr(sys, "setswitchinterval", forbidden)
    rubric = promisescore.load(RUBRIC)
    card = promisescore.score(rubric)
    assert promisescore.check(RUBRIC).ok
    assert promisescore.render(card, "json").endswith("}\n")
    assert promisescore.loads(promisescore.dumps(rubric, "json"), "json") == rubric


def test_objects_built_in_a_pause_leave_it_in_the_oldest_generation() -> None:
    """So that the collector, back on, does not walk the whole model at once; cycles
    among them are still collected by a full collection."""
    import weakref

    from promisescore._gc import paused_gc

    class Node:
        pass

    with paused_gc():
        kept = [[index] for index in range(1000)]
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        probe = weakref.ref(cycle)
        del cycle
    assert gc.isenabled()
    young = {id(obj) for obj in gc.get_objects(generation=0)}
    assert not any(id(item) in young for item in kept)
    assert probe() is not None  # nothing was collected on the way
    gc.collect()
    assert probe() is None  # ... but the garbage cycle is not kept forever


def test_a_pause_leaves_what_the_host_froze_frozen() -> None:
    """A host that froze its objects (``gc.freeze()`` before forking workers) finds them
    still frozen after a command: the pause never calls ``gc.unfreeze()`` then."""
    from click.testing import CliRunner

    from promisescore.cli import main

    kept = [[index] for index in range(1000)]
    gc.freeze()
    try:
        assert gc.get_freeze_count() >= len(kept)
        assert id(kept) not in {id(obj) for obj in gc.get_objects()}  # frozen: not listed
        result = CliRunner().invoke(main, ["score", str(RUBRIC), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
        assert id(kept) not in {id(obj) for obj in gc.get_objects()}
    finally:
        gc.unfreeze()


def test_a_command_runs_with_the_collector_paused_throughout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command line pauses the collector for the whole command (between ``load``
    and ``score`` too, and while the report is rendered), then puts it back."""
    from click.testing import CliRunner

    from promisescore.cli import main
    from promisescore.scoring import verdicts

    seen: list[bool] = []
    real_lint = verdicts.lint

    def lint(rubric: promisescore.Rubric) -> list[promisescore.Problem]:
        seen.append(gc.isenabled())
        return real_lint(rubric)

    monkeypatch.setattr(verdicts, "lint", lint)
    result = CliRunner().invoke(main, ["score", str(RUBRIC), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()
