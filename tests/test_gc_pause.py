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
