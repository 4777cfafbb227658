"""``load(dump(r)) == r`` for TOML and JSON, on generated and bundled rubrics."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given

import promisescore
from promisescore.model import Rubric

from .conftest import IMMIGRATION, WBT
from .strategies import rubrics


@given(rubrics())
def test_toml_round_trip(rubric: Rubric) -> None:
    text = promisescore.dumps(rubric, "toml")
    tomllib.loads(text)  # valid TOML on its own
    assert promisescore.loads(text, "toml") == rubric


@given(rubrics())
def test_json_round_trip(rubric: Rubric) -> None:
    assert promisescore.loads(promisescore.dumps(rubric, "json"), "json") == rubric


@pytest.mark.parametrize("path", [IMMIGRATION, WBT], ids=["immigration", "wbt"])
@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_bundled_round_trip(path: Path, fmt: str, tmp_path: Path) -> None:
    rubric = promisescore.load(path)
    out = tmp_path / f"copy.{fmt}"
    promisescore.dump(rubric, out)
    again = promisescore.load(out)
    assert again == rubric
    assert promisescore.score(again).to_dict() == promisescore.score(rubric).to_dict()


def test_dump_is_tidy() -> None:
    rubric = promisescore.loads(
        """
format = 1
[report]
title = "T"
start = 2021-01-01
[scale]
preset = "politifact"
[[promises]]
id = "p"
title = "P"
weight = 1
source = "A citation"
"""
    )
    text = promisescore.dumps(rubric)
    assert "weight" not in text  # the default is left out
    assert 'source = "A citation"' in text
    assert "[grading]" not in text
