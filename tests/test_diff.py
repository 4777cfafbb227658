"""``diff``: a file against itself is empty; changes, reversals, FILE@DATE, the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from promisescore import load, score
from promisescore.analysis import diff
from promisescore.cli import main
from promisescore.cli.analysis import split_at_date
from promisescore.model import Assessment, Promise, Report, Rubric, Scale
from promisescore.renderers.diff import render

from .strategies_analysis import dates, rubrics

REPO = Path(__file__).resolve().parents[1]
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"
R = str(IMMIGRATION)


@pytest.fixture(scope="module")
def immigration() -> Rubric:
    return load(IMMIGRATION)


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(rubrics(), dates)
def test_diff_with_itself_is_empty(rubric: Rubric, when: date) -> None:
    result = diff(score(rubric, when), score(rubric, when))
    assert result.changes == ()
    assert result.empty
    assert result.overall.delta in (0.0, None)
    assert result.to_dict()["changes"] == []
    assert "No promise changed." in render(result, "text")


@settings(max_examples=60, deadline=None)
@given(rubrics(), dates, dates)
def test_diff_is_consistent(rubric: Rubric, old: date, new: date) -> None:
    a, b = score(rubric, old), score(rubric, new)
    forward, backward = diff(a, b), diff(b, a)
    assert {c.promise for c in forward.changes} == {c.promise for c in backward.changes}
    assert forward.overall.delta == (
        None if backward.overall.delta is None else -backward.overall.delta
    )
    for change in forward.changes:
        assert change.change in ("added", "removed", "changed")
        if change.change == "changed":
            assert change.fields
            assert change.old is not None
            assert change.new is not None
        if change.reversal:
            assert change.new is not None
            assert change.new.rated
            assert change.delta is not None
            assert change.delta <= 0
    for fmt in ("text", "markdown", "json"):
        assert render(forward, fmt)


# --------------------------------------------------------------------------- examples


def two(rubric_assessments: tuple[Assessment, ...], **promise: object) -> Rubric:
    return Rubric(
        report=Report("T", date(2021, 1, 20)),
        scale=Scale("politifact"),
        promises=(Promise("p", "P", **promise), Promise("q", "Q", made_on=date(2021, 6, 1))),  # type: ignore[arg-type]
        assessments=rubric_assessments,
    )


def test_reversal_newly_overdue_and_added() -> None:
    rubric = two(
        (
            Assessment("p", date(2021, 2, 1), "kept"),
            Assessment("p", date(2021, 7, 1), "stalled"),
        ),
        deadline=date(2021, 5, 1),
    )
    result = diff(score(rubric, "2021-03-01"), score(rubric, "2021-07-01"))
    by_id = {c.promise: c for c in result.changes}
    p = by_id["p"]
    assert p.change == "changed"
    assert p.reversal
    assert p.newly_overdue
    assert p.direction == "down"
    assert p.delta == -1.0
    assert set(p.fields) == {"rating", "fulfillment", "overdue"}
    assert by_id["q"].change == "added"  # made on 2021-06-01, between the two dates
    data = result.to_dict()
    assert data["summary"]["reversals"] == 1
    assert data["summary"]["newly_overdue"] == 1
    assert data["summary"]["added"] == 1
    assert "REVERSAL" in render(result, "text")


def test_removed_and_weight_changes() -> None:
    old = two((Assessment("p", date(2021, 2, 1), "kept"),))
    new = Rubric(
        report=old.report,
        scale=old.scale,
        promises=(attrs.evolve(old.promises[0], weight=3.0),),
        assessments=old.assessments,
    )
    result = diff(score(old, "2021-08-01"), score(new, "2021-08-01"))
    kinds = {c.promise: (c.change, c.fields) for c in result.changes}
    assert kinds == {"p": ("changed", ("weight",)), "q": ("removed", ())}


def test_criteria_changes_are_listed(immigration: Rubric) -> None:
    result = diff(score(immigration, "2021-04-30"), score(immigration, "2022-01-20"))
    change = next(c for c in result.changes if c.promise == "path-to-citizenship")
    dreamers = next(c for c in change.criteria if c.id == "dreamers")
    assert (dreamers.old_rating, dreamers.new_rating) == (None, "stalled")


# --------------------------------------------------------------------------- FILE@DATE


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("r.toml@2021-04-30", ("r.toml", date(2021, 4, 30))),
        ("r.toml", ("r.toml", None)),
        ("me@home/r.toml", ("me@home/r.toml", None)),
        ("me@home/r.toml@2022-01-20", ("me@home/r.toml", date(2022, 1, 20))),
        ("r.toml@latest", ("r.toml@latest", None)),
        ("@2021-04-30", ("@2021-04-30", None)),
    ],
)
def test_split_at_date(spec: str, expected: tuple[str, date | None]) -> None:
    assert split_at_date(spec) == expected


def test_split_at_date_rejects_an_impossible_date() -> None:
    with pytest.raises(ValueError, match="2021-02-30"):
        split_at_date("r.toml@2021-02-30")


# --------------------------------------------------------------- bundled rubric, frozen at 1.1


def test_immigration_100_days_to_one_year(immigration: Rubric) -> None:
    """The news report at 100 days vs We Are Home at one year (the fact sheet, role
    self, is outside the headline)."""
    result = diff(score(immigration, "2021-04-30"), score(immigration, "2022-01-20"))
    assert result.overall.old == pytest.approx(1 / 12)
    assert result.overall.new == pytest.approx(1.75 / 23)
    assert result.overall.delta == pytest.approx(1.75 / 23 - 1 / 12)
    by_id = {c.promise: c for c in result.changes}
    reform = by_id["reform-immigration-system"]
    assert reform.old is not None
    assert reform.new is not None
    # RAICES's "not progress" and the report's "notable strides" (lower median: stalled),
    # then We Are Home's "some progress" joins the report: in the works
    assert (reform.old.rating, reform.new.rating) == ("stalled", "in-the-works")
    assert reform.direction == "up"
    assert [c.promise for c in result.changes if c.direction == "up"] == [
        "reform-immigration-system"
    ]
    assert not [c for c in result.changes if c.direction == "down"]
    newly = [
        c.promise for c in result.changes if c.old and c.new and c.new.rated and not c.old.rated
    ]
    assert newly == [
        "path-to-citizenship",
        "protect-from-separation",
        "end-for-profit-detention",
        "reduce-enforcement-harm",
        "end-abuse-deportation",
    ]
    assert result.reversals == ()
    assert result.added == ()
    assert result.removed == ()
    assert result.newly_overdue == ()  # no promise has a deadline
    # asylum access: stalled at 100 days (AILA) and stalled at one year (We Are Home)
    assert "restore-asylum-access" not in by_id


def test_immigration_administration_vs_we_are_home(immigration: Rubric) -> None:
    result = diff(
        score(immigration, assessor="administration"), score(immigration, assessor="we-are-home")
    )
    assert result.overall.old == pytest.approx(0.25)
    assert result.overall.new == pytest.approx(0.75 / 17)
    down = {c.promise for c in result.changes if c.direction == "down"}
    assert down == {"path-to-citizenship", "restore-asylum-access"}
    assert not any(c.direction == "up" for c in result.changes)


# --------------------------------------------------------------------------- CLI


def test_cli_diff_dates() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diff", f"{R}@2021-04-30", f"{R}@2022-01-20", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["old"] == pytest.approx(1 / 12)
    assert data["overall"]["new"] == pytest.approx(1.75 / 23)
    assert data["old"]["as_of"] == "2021-04-30"
    assert {c["promise"] for c in data["changes"]} >= {"reform-immigration-system"}
    markdown = runner.invoke(
        main, ["diff", f"{R}@2021-04-30", f"{R}@2022-01-20", "--format", "markdown"]
    )
    assert markdown.exit_code == 0
    assert "| Undo the predecessor's harmful policies" in markdown.output
    assert "Stalled → In the Works" in markdown.output


def test_cli_diff_self_is_empty() -> None:
    result = CliRunner().invoke(main, ["diff", R, R, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["changes"] == []


def test_cli_diff_assessors() -> None:
    result = CliRunner().invoke(
        main,
        [
            "diff",
            R,
            "--assessor",
            "administration",
            "--vs-assessor",
            "we-are-home",
            "--as-of",
            "2022-01-20",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "assessor administration" in result.output
    assert "assessor we-are-home" in result.output


@pytest.mark.parametrize(
    "args",
    [
        [R],  # no NEW and no --vs-assessor
        [f"{R}@2021-02-30", R],
        [R, str(REPO / "missing.toml")],
        [R, "--assessor", "nobody", "--vs-assessor", "we-are-home"],
        [R, "--assessor", "administration", "--vs-assessor", "advocates"],
        [R, R, "-o", R],
    ],
)
def test_cli_diff_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["diff", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
