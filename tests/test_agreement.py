"""``agree``: Krippendorff's alpha and Cohen's kappa against published and hand-worked
examples, their properties, the units of a rubric, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Hashable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from promisescore import load
from promisescore.analysis import (
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    rating_units,
    weighted_kappa,
)
from promisescore.cli import main
from promisescore.model import Assessment, Criterion, Promise, Report, Rubric, Scale
from promisescore.renderers.agreement import render

from .strategies_analysis import rubrics

REPO = Path(__file__).resolve().parents[1]
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, missing values. Rows are observers A–D; columns units 1–12.
KRIPPENDORFF_2011 = (
    (1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N),
    (1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3),
    (N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N),
    (1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N),
)
# Section A of the same paper: two observers, ten units, binary data; alpha = 0.095.
KRIPPENDORFF_2011_BINARY = (
    (0, 1, 0, 0, 0, 0, 0, 0, 1, 0),
    (1, 1, 1, 0, 0, 1, 0, 0, 0, 0),
)


def by_unit(rows: tuple[tuple[int | None, ...], ...]) -> list[tuple[int | None, ...]]:
    return list(zip(*rows, strict=True))


@pytest.mark.parametrize(
    ("metric", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_krippendorff_2011_worked_example(metric: str, expected: float) -> None:
    alpha = krippendorff_alpha(by_unit(KRIPPENDORFF_2011), metric)  # type: ignore[arg-type]
    assert alpha is not None
    assert round(alpha, 3) == expected


def test_krippendorff_2011_binary_example() -> None:
    alpha = krippendorff_alpha(by_unit(KRIPPENDORFF_2011_BINARY), "nominal")
    assert alpha is not None
    assert round(alpha, 3) == 0.095


def test_alpha_undefined() -> None:
    assert krippendorff_alpha([], "nominal") is None
    assert krippendorff_alpha([(1, N), (N, 2)], "nominal") is None  # nothing pairable
    assert krippendorff_alpha([(1, 1), (1, 1, 1)], "interval") is None  # no variation
    with pytest.raises(ValueError, match="metric"):
        krippendorff_alpha([(1, 2)], "ratio")  # type: ignore[arg-type]


def test_cohen_kappa_worked_example() -> None:
    # 50 units: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → p_o = 0.7, p_e = 0.5, κ = 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement(a, b) == pytest.approx(0.7)


def test_weighted_kappa_worked_example() -> None:
    # observed mean (x − y)² = 1/3; expected from the marginals = 5/3; κ_w = 1 − 1/5
    assert weighted_kappa([0, 1, 2], [0, 2, 2]) == pytest.approx(0.8)
    assert weighted_kappa([], []) is None
    assert weighted_kappa([1, 1], [1, 1]) is None
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None
    with pytest.raises(ValueError, match="pair"):
        cohen_kappa(["a"], [])


# --------------------------------------------------------------------------- properties

values = st.integers(0, 4)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(values, st.integers(2, 5), st.integers(0, 3)), min_size=2, max_size=12),
    st.sampled_from(("nominal", "ordinal", "interval")),
)
def test_alpha_is_one_when_all_agree(units: list[tuple[int, int, int]], metric: str) -> None:
    """Every coder gives a unit the same value (some coders missing), with variation."""
    assume(len({value for value, _, _ in units}) > 1)
    data: list[list[Hashable | None]] = [
        [value] * raters + [None] * missing for value, raters, missing in units
    ]
    assert krippendorff_alpha(data, metric) == 1.0  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.none(), values), min_size=2, max_size=4), max_size=10),
    st.sampled_from(("nominal", "ordinal", "interval")),
)
def test_alpha_is_at_most_one(data: list[list[int | None]], metric: str) -> None:
    alpha = krippendorff_alpha(data, metric)  # type: ignore[arg-type]
    assert alpha is None or alpha <= 1.0 + 1e-12


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(values, values), max_size=15))
def test_kappa_is_symmetric(pairs: list[tuple[int, int]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    assert cohen_kappa(a, b) == cohen_kappa(b, a)
    assert weighted_kappa(a, b) == weighted_kappa(b, a)
    assert percent_agreement(a, b) == percent_agreement(b, a)
    if cohen_kappa(a, b) is not None and a == b:
        assert cohen_kappa(a, b) == 1.0


@settings(max_examples=60, deadline=None)
@given(rubrics())
def test_rubric_agreement_is_well_formed(rubric: Rubric) -> None:
    result = agreement(rubric)
    assert all(len(u.ratings) >= 2 for u in result.units)
    assert len({r.by for u in result.units for r in u.ratings}) <= len(result.assessors)
    for pair in result.pairs:
        assert pair.a < pair.b
        assert 0 <= pair.units <= len(result.units)
    if result.scale == "percent":
        assert result.alpha_of("nominal") is None
        assert result.alpha_of("ordinal") is None
    spreads = [d.spread for d in result.disagreements]
    assert spreads == sorted(spreads, reverse=True)
    assert all(s > 0 for s in spreads)
    json.loads(render(result, "json"))


# --------------------------------------------------------------------------- rubric units


def twin_rubric(same: bool) -> Rubric:
    """Two assessors; ``same``: they always agree."""
    ratings = ["kept", "broken", "in-the-works", "not-yet-rated"]
    other = ratings if same else ["compromise", "broken", "stalled", "kept"]
    assessments = []
    for i, (x, y) in enumerate(zip(ratings, other, strict=True)):
        assessments += [
            Assessment(f"p{i}", date(2021, 3, 1), x, by="a"),
            Assessment(f"p{i}", date(2021, 3, 1), y, by="b"),
        ]
    assessments += [
        Assessment("c", date(2021, 3, 1), "kept", by="a", criterion="one"),
        Assessment("c", date(2021, 3, 1), "kept", by="b", criterion="one"),
        Assessment("c", date(2021, 3, 1), "kept", by="a", criterion="two"),
    ]
    return Rubric(
        report=Report("Twins", date(2021, 1, 20)),
        scale=Scale("politifact"),
        promises=(
            *(Promise(f"p{i}", f"P{i}") for i in range(4)),
            Promise("c", "C", criteria=(Criterion("one", "One"), Criterion("two", "Two"))),
        ),
        assessments=tuple(assessments),
    )


def test_units_are_promises_and_criteria_with_two_ratings() -> None:
    units = rating_units(twin_rubric(True), minimum=2)
    # p3 is rated not-yet-rated (an unrated level) by both: missing, not a unit;
    # criterion c/two is rated by one assessor only.
    assert [u.id for u in units] == ["p0", "p1", "p2", "c/one"]


def test_agreeing_assessors_have_alpha_one() -> None:
    result = agreement(twin_rubric(True))
    assert dict(result.alpha) == {"nominal": 1.0, "ordinal": 1.0, "interval": 1.0}
    (pair,) = result.pairs
    assert (pair.percent_agreement, pair.kappa, pair.kappa_quadratic) == (1.0, 1.0, 1.0)
    assert result.disagreements == ()


def test_disagreeing_assessors() -> None:
    result = agreement(twin_rubric(False), window=None)  # latest ratings
    # p3: b's kept counts, a's not-yet-rated does not → p3 is not a unit
    assert [u.id for u in result.units] == ["p0", "p1", "p2", "c/one"]
    # one rank apart each; p0 values further apart (kept 1 vs compromise 0.5)
    assert [d.unit.id for d in result.disagreements] == ["p0", "p2"]
    nominal = result.alpha_of("nominal")
    assert nominal is not None
    assert nominal < 1.0


# --------------------------------------------------------------- bundled rubric, frozen at 1.1


def test_immigration_agreement() -> None:
    """One voice per organisation: contemporaneous ratings (windows of P3M) compared."""
    rubric = load(IMMIGRATION)
    result = agreement(rubric)
    assert result.assessors == (
        "administration",
        "aila",
        "nakasec",
        "news-report",
        "raices",
        "we-are-home",
    )
    # April 2021 (the news report: reporter, RAICES, AILA) and July 2021 (the fact sheet)
    # fall in one window; We Are Home (2022) and NAKASEC (2024) speak alone.
    assert [u.id for u in result.units] == [
        "reform-immigration-system@2021-04-30",
        "restore-asylum-access@2021-04-30",
        "end-mpp@2021-04-30",
        "fair-asylum-process@2021-04-30",
        "welcome-refugees@2021-04-30",
    ]
    pairs = {(p.a, p.b): p for p in result.pairs}
    # the administration agrees with the reporter on every shared unit, and with AILA on
    # asylum procedure only
    assert pairs["administration", "news-report"].units == 3
    assert pairs["administration", "news-report"].percent_agreement == 1.0
    assert pairs["administration", "aila"].units == 3
    assert round(pairs["administration", "aila"].percent_agreement or 0.0, 3) == 0.333
    assert pairs["nakasec", "we-are-home"].units == 0
    assert round(result.alpha_of("nominal") or 0.0, 3) == -0.222
    assert [d.unit.id for d in result.disagreements] == [
        "reform-immigration-system@2021-04-30",
        "restore-asylum-access@2021-04-30",
        "welcome-refugees@2021-04-30",
    ]
    widest = result.disagreements[0].unit
    assert {r.by: r.rating for r in widest.ratings} == {
        "administration": "in-the-works",
        "news-report": "in-the-works",
        "raices": "stalled",
    }
    assert result.disagreements[0].spread == 1
    # as of July 2021 the same window holds the same units
    july = agreement(rubric, "2021-07-27")
    assert [u.id for u in july.units] == [u.id for u in result.units]


def test_cli_agree() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["agree", str(IMMIGRATION), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["units"] == 5
    assert set(data["krippendorff_alpha"]) == {"nominal", "ordinal", "interval"}
    assert data["pairs"][0]["a"] == "administration"
    assert data["disagreements"][0]["unit"] == "reform-immigration-system@2021-04-30"
    text = runner.invoke(main, ["agree", str(IMMIGRATION), "--as-of", "2022-01-20"])
    assert text.exit_code == 0
    assert "-0.222" in text.output
    bad = runner.invoke(main, ["agree", str(IMMIGRATION), "--as-of", "yesterday"])
    assert bad.exit_code == 2
