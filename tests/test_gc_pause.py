"""Loading and scoring pause the cyclic garbage collector and put it back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import promisescore

RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "us-immigration-2021.toml"


def test_collector_state_is_restored() -> None:
    assert gc.isenabled()
    rubric = promisescore.load(RUBRIC)
    assert gc.isenabled()
    promisescore.score(rubric)
    assert gc.isenabled()
    promisescore.check(RUBRIC)
    assert gc.isenabled()
    gc.disable()
    try:
        promisescore.load(RUBRIC)
        promisescore.score(rubric)
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()


def test_collector_is_back_on_after_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 2\n", encoding="utf-8")
    with pytest.raises(promisescore.RubricError):
        promisescore.load(bad)
    assert gc.isenabled()


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
    still frozen after loading and scoring: the pause never calls ``gc.unfreeze()`` then."""
    kept = [[index] for index in range(1000)]
    gc.freeze()
    try:
        assert gc.get_freeze_count() >= len(kept)
        assert id(kept) not in {id(obj) for obj in gc.get_objects()}  # frozen: not listed
        promisescore.score(promisescore.load(RUBRIC))
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

    from promisescore import loading
    from promisescore.cli import main

    seen: list[bool] = []
    real_lint = loading.lint

    def lint(rubric: promisescore.Rubric) -> list[promisescore.Problem]:
        seen.append(gc.isenabled())
        return real_lint(rubric)

    monkeypatch.setattr(loading, "lint", lint)
    result = CliRunner().invoke(main, ["score", str(RUBRIC), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()
