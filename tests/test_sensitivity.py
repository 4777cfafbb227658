"""``sensitivity``: zero perturbation is the declared score; samples equal a full re-score;
deterministic for a seed; the bundled rubric (its frozen 1.1 copy); the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from promisescore import load, score
from promisescore.analysis import percentile, sensitivity
from promisescore.analysis.sensitivities import (
    _draw,
    equal_weights,
    perturbed_rubric,
    sample_overall,
)
from promisescore.cli import main
from promisescore.model import Rubric
from promisescore.renderers.sensitivity import render

from .strategies_analysis import rubrics

REPO = Path(__file__).resolve().parents[1]
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"


@pytest.fixture(scope="module")
def immigration() -> Rubric:
    return load(IMMIGRATION)


# --------------------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None)
@given(rubrics(), st.integers(0, 2**32))
def test_zero_perturbation_returns_the_declared_score(rubric: Rubric, seed: int) -> None:
    result = sensitivity(rubric, samples=5, seed=seed, weight_spread=0.0, value_spread=0.0)
    declared = score(rubric).overall
    assert result.declared == declared
    for item in result.perturbations:
        assert item.low == item.median == item.high == declared.score
        assert item.min == item.max == declared.score
        assert item.grade_change == 0.0


@settings(max_examples=60, deadline=None)
@given(
    rubrics(),
    st.integers(0, 2**32),
    st.sampled_from((None, 0.0, 0.5, 0.9)),
    st.sampled_from((None, 0.0, 0.5, 1.0)),
)
def test_a_sample_equals_a_full_rescore(
    rubric: Rubric, seed: int, weights: float | None, values: float | None
) -> None:
    """The fast path (re-weighting the engine's promise scores) is the engine's answer."""
    card = score(rubric)
    draw = _draw(random.Random(seed), rubric, card.promises, weights, values)
    fast = sample_overall(rubric, card.promises, card.as_of, None, draw)
    full = score(perturbed_rubric(rubric, draw), card.as_of).overall
    assert fast == full


@settings(max_examples=60, deadline=None)
@given(rubrics(scales=("politifact", "cppg", "polimetre")), st.integers(0, 2**32))
def test_level_values_stay_ordered_between_neighbours(rubric: Rubric, seed: int) -> None:
    draw = _draw(random.Random(seed), rubric, (), None, 1.0)
    rated = [level for level in rubric.scale.levels if level.value is not None]
    drawn = [draw.values[level.id] for level in rated]
    assert drawn == sorted(drawn)
    for i, level in enumerate(rated):
        below = rated[i - 1].value if i else level.value
        above = rated[i + 1].value if i + 1 < len(rated) else level.value
        assert below is not None
        assert above is not None
        assert below <= draw.values[level.id] <= above


def test_percentile_is_linear_between_ranks() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([float(i) for i in range(101)], 5) == 5.0
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0], 100) == 2.0
    with pytest.raises(ValueError):
        percentile([], 5)


def test_options_are_checked(immigration: Rubric) -> None:
    with pytest.raises(ValueError, match="samples"):
        sensitivity(immigration, samples=0)
    with pytest.raises(ValueError, match="weight spread"):
        sensitivity(immigration, weight_spread=1.0)
    with pytest.raises(ValueError, match="value spread"):
        sensitivity(immigration, value_spread=1.5)


# --------------------------------------------------------------- bundled rubric, frozen at 1.1


def test_immigration_sensitivity(immigration: Rubric) -> None:
    result = sensitivity(immigration, samples=300, seed=1)
    assert result.declared.score == pytest.approx(1.75 / 23)
    # every promise counted the same: the plain mean over rated promises
    equal = score(equal_weights(immigration)).overall.score
    # (three promises in the works, seven stalled)
    assert result.equal_weights.score == equal == pytest.approx(0.075)
    for item in result.perturbations:
        assert item.low is not None
        assert item.high is not None
        assert item.low < (result.declared.score or 0.0) < item.high
        # far below the D band (60%) whatever the weights or values: an F in every sample
        assert item.high < 0.6
        assert item.grade_change == 0.0
        assert dict(item.grades) == {"F": 300}
    weights, values = result.perturbation("weights"), result.perturbation("values")
    # level values matter more than weights here: the stalled (0) and in-the-works (0.25)
    # values decide every rated promise
    assert (values.high or 0.0) - (values.low or 0.0) > (weights.high or 0.0) - (weights.low or 0.0)


def test_deterministic_for_a_seed(immigration: Rubric) -> None:
    a = sensitivity(immigration, samples=50, seed=3).to_dict()
    b = sensitivity(immigration, samples=50, seed=3).to_dict()
    c = sensitivity(immigration, samples=50, seed=4).to_dict()
    assert a == b
    assert a["perturbations"] != c["perturbations"]


def test_cli_sensitivity() -> None:
    runner = CliRunner()
    args = ["sensitivity", str(IMMIGRATION), "--samples", "50", "--seed", "9"]
    first = runner.invoke(main, [*args, "--format", "json"])
    second = runner.invoke(main, [*args, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert [p["name"] for p in data["perturbations"]] == ["weights", "values", "both"]
    assert data["declared"]["grade"] == "F"
    text = runner.invoke(main, args)
    assert "Equal weights" in text.output
    assert "weights ×0.5–×1.5" in text.output
    assert render(sensitivity(load(IMMIGRATION), samples=2), "text")


@pytest.mark.parametrize(
    "args",
    [["--samples", "0"], ["--weight-spread", "1"], ["--value-spread", "2"], ["--assessor", "x"]],
)
def test_cli_sensitivity_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["sensitivity", str(IMMIGRATION), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_no_grades_with_bands_empty() -> None:
    # FORMAT.md §7.5: with `bands = []` no output shows a grade, sensitivity included.
    rubric = load(REPO / "rubrics" / "we-belong-together-2015.toml")
    assert rubric.grading.bands == ()
    result = sensitivity(rubric, samples=20)
    assert not result.graded
    data = json.loads(render(result, "json"))
    assert data["declared"]["grade"] is None
    assert all(p["grade_change"] is None and p["grades"] == {} for p in data["perturbations"])
    text = CliRunner().invoke(
        main,
        ["sensitivity", str(REPO / "rubrics" / "we-belong-together-2015.toml"), "--samples", "20"],
    )
    assert text.exit_code == 0, text.output
    assert "Grade" not in text.output
    assert "none" not in text.output
    graded = sensitivity(load(IMMIGRATION), samples=20)  # format 1.1: default bands
    assert graded.graded
    assert all(p.grades for p in graded.perturbations)
