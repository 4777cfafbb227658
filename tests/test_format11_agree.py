"""Agreement over contemporaneous windows (FORMAT.md §7.4), by hand, from the library
and the CLI (CliRunner and a real ``promisescore`` process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore as ps
from promisescore.analysis import agreement
from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "honest-numbers.toml"

TEXT = """format = "{fmt}"

[report]
title = "Windows"
start = 2021-01-01

[scale]
preset = "politifact"

[[promises]]
id = "p"
title = "P"

[[assessments]]
promise = "p"
by = "fc"
date = 2021-01-01
rating = "kept"

[[assessments]]
promise = "p"
by = "ngo"
date = 2021-02-15
rating = "broken"

[[assessments]]
promise = "p"
by = "fc"
date = 2021-03-20
rating = "stalled"

[[assessments]]
promise = "p"
by = "ngo"
date = 2021-05-01
rating = "kept"

[[assessments]]
promise = "p"
by = "fc"
date = 2021-09-01
rating = "kept"

[[assessments]]
promise = "p"
by = "ngo"
date = 2021-09-01
rating = "kept"
"""


def rubric(fmt: str = "1.1") -> ps.Rubric:
    text = TEXT.format(fmt=fmt)
    if fmt == "1":
        text = text.replace('format = "1"', "format = 1")
    return ps.loads(text)


def test_windows_by_hand() -> None:
    # window 1 opens 2021-01-01 and runs to 2021-04-01: fc's latest in it is stalled
    # (03-20), ngo's broken; window 2 opens at ngo's 05-01 (the first assessment after
    # window 1): ngo alone, unpaired; window 3 opens 09-01: both kept.
    result = agreement(rubric())
    assert result.window == "P3M"
    assert [u.id for u in result.units] == ["p@2021-01-01", "p@2021-09-01"]
    first, third = result.units
    assert [(r.by, r.rating) for r in first.ratings] == [("fc", "stalled"), ("ngo", "broken")]
    assert [(r.by, r.rating) for r in third.ratings] == [("fc", "kept"), ("ngo", "kept")]
    assert str(first.end) == "2021-04-01"
    assert result.unpaired == 1
    # nominal alpha by hand: values stalled, broken, kept, kept; n = 4;
    # D_o = (1/4)(2/1 + 0) = 0.5; pairs over all values: 12 ordered pairs, of which
    # kept-kept (2) agree: D_e = 10/12; alpha = 1 - 0.5 / (10/12) = 0.4
    assert result.alpha_of("nominal") == pytest.approx(0.4)
    [pair] = result.pairs
    assert pair.units == 2
    assert pair.percent_agreement == 0.5


def test_a_wider_window_pairs_what_a_narrow_one_leaves_unpaired() -> None:
    wide = agreement(rubric(), window="P1Y")
    # one window from 2021-01-01 to 2022-01-01: each assessor's latest (09-01): both kept
    assert [u.id for u in wide.units] == ["p@2021-01-01"]
    assert wide.unpaired == 0
    narrow = agreement(rubric(), window="P1D")
    assert [u.id for u in narrow.units] == ["p@2021-09-01"]
    assert narrow.unpaired == 4


def test_format_1_rubrics_are_compared_within_windows_too() -> None:
    # §7.4 is a rule of agreement, not of the file format: the default window is P3M for
    # every rubric; window=None still compares each assessor's latest rating.
    windowed = agreement(rubric("1"))
    assert windowed.window == "P3M"
    assert windowed.to_dict()["window"] == "P3M"
    assert windowed.unpaired == 1
    assert windowed == agreement(rubric("1"), window="P3M")
    latest = agreement(rubric("1"), window=None)
    assert latest.window is None
    assert [u.id for u in latest.units] == ["p"]
    assert "window" not in latest.to_dict()


def test_a_bad_window_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="ISO-8601 duration"):
        agreement(rubric(), window="3 months")


def test_agree_json_has_window_units_and_unpaired(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(TEXT.format(fmt="1.1"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["agree", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["window"], data["units"], data["unpaired"]) == ("P3M", 2, 1)
    wide = json.loads(
        runner.invoke(main, ["agree", str(path), "--format", "json", "--window", "P1Y"]).stdout
    )
    assert (wide["window"], wide["units"], wide["unpaired"]) == ("P1Y", 1, 0)
    bad = runner.invoke(main, ["agree", str(path), "--window", "soon"])
    assert bad.exit_code == 2
    assert "ISO-8601 duration" in bad.output
    assert "Traceback" not in bad.output


def test_agree_on_the_fixture_in_a_real_process() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "promisescore", "agree", str(FIXTURE), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["window"] == "P3M"
    assert data["units"] == 3
    assert data["unpaired"] == 6
    assert data["assessor_names"]["newsroom"] == "Example Tribune"
    text = subprocess.run(
        [sys.executable, "-m", "promisescore", "agree", str(FIXTURE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    ).stdout
    assert "Ratings compared within windows of P3M" in text
    assert "Example Tribune" in text
