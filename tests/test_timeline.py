"""``timeline``: every point is ``score`` at that date; marks, series, reversals, CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from promisescore import load, score
from promisescore.analysis import Timeline, default_dates, parse_every, timeline
from promisescore.cli import main
from promisescore.dates import Duration
from promisescore.model import Assessment, Category, Promise, Report, Rubric, Scale
from promisescore.renderers.timeline import render, sparkline, svg_chart

from .strategies_analysis import START, dates, rubrics

REPO = Path(__file__).resolve().parents[1]
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"


@pytest.fixture(scope="module")
def immigration() -> Rubric:
    return load(IMMIGRATION)


def assert_point_is_score(rubric: Rubric, tl: Timeline, assessor: str | None = None) -> None:
    for point in tl.points:
        card = score(rubric, as_of=point.as_of, assessor=assessor)
        assert point.overall == card.overall, point.as_of
        assert point.categories == card.categories, point.as_of
        assert point.counts == card.counts, point.as_of
        assert point.promises == len(card.promises)
        assert point.rated == sum(1 for p in card.promises if p.rated)
        data = point.to_dict()
        expected = card.to_dict(trace=False)
        assert data["overall"] == expected["overall"]
        assert data["categories"] == expected["categories"]
        assert data["counts"] == expected["counts"]


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(rubrics())
def test_every_default_point_equals_score(rubric: Rubric) -> None:
    tl = timeline(rubric)
    assert [p.as_of for p in tl.points] == sorted({p.as_of for p in tl.points})
    assert tl.points[-1].as_of == rubric.default_as_of()
    assert_point_is_score(rubric, tl)


@settings(max_examples=40, deadline=None)
@given(rubrics(), st.lists(dates, max_size=6), st.sampled_from(("a", None)))
def test_every_chosen_point_equals_score(
    rubric: Rubric, at: list[date], assessor: str | None
) -> None:
    if assessor is not None and assessor not in rubric.assessors:
        assessor = None
    tl = timeline(rubric, at=at or None, every="6M" if not at else None, assessor=assessor)
    if at:
        assert [p.as_of for p in tl.points] == sorted(set(at))
    assert_point_is_score(rubric, tl, assessor)


def naive_reversals(rubric: Rubric, tl: Timeline) -> list[tuple[str, date, date, object, object]]:
    """Reversals by the definition, from ``score`` at every point of the timeline."""
    found: list[tuple[str, date, date, object, object]] = []
    last: dict[str, tuple[date, object, object, bool]] = {}  # held through, rating, f, final
    for point in tl.points:
        for item in score(rubric, point.as_of).promises:
            if not item.rated:
                continue
            held = last.get(item.id)
            if held is not None and held[3]:
                _, rating, f, _ = held
                if rating is not None and item.rating is not None:
                    fell = rubric.scale.rank(item.rating) < rubric.scale.rank(str(rating))
                else:
                    fell = (item.fulfillment or 0.0) < float(f or 0.0)  # type: ignore[arg-type]
                if fell:
                    found.append((item.id, held[0], point.as_of, rating, item.rating))
            final = (
                rubric.scale.level(item.rating).final
                if item.rating is not None
                else item.fulfillment == 1.0
            )
            last[item.id] = (point.as_of, item.rating, item.fulfillment, final)
    order = {p.id: i for i, p in enumerate(rubric.promises)}
    return sorted(found, key=lambda r: (r[2], order[r[0]]))


@settings(max_examples=60, deadline=None)
@given(rubrics())
def test_reversals_are_falls_from_a_final_level(rubric: Rubric) -> None:
    tl = timeline(rubric)
    found = [(r.promise, r.since, r.date, r.from_level, r.to_level) for r in tl.reversals]
    assert found == naive_reversals(rubric, tl)


# --------------------------------------------------------------------------- dates


def tiny(assessments: tuple[Assessment, ...], **report: object) -> Rubric:
    return Rubric(
        report=Report("Tiny", START, **report),  # type: ignore[arg-type]
        scale=Scale("politifact"),
        promises=(Promise("p", "P"), Promise("q", "Q", made_on=date(2021, 3, 1))),
        assessments=assessments,
    )


def test_default_dates_are_changes_marks_and_as_of() -> None:
    rubric = tiny(
        (
            Assessment("p", date(2021, 2, 1), "in-the-works"),
            Assessment("p", date(2022, 6, 1), "kept"),
        ),
        as_of=date(2023, 3, 1),
    )
    assert default_dates(rubric) == [
        date(2021, 2, 1),
        date(2021, 3, 1),  # q made
        date(2021, 4, 30),  # 100 days
        date(2022, 1, 20),  # 1 year
        date(2022, 6, 1),
        date(2023, 1, 20),  # 2 years
        date(2023, 3, 1),  # report.as_of
    ]
    tl = timeline(rubric)
    assert tl.point("2021-04-30").marks == ("100 days",)
    assert tl.point("2023-01-20").marks == ("2 years",)
    assert tl.point("2021-02-01").events == 1
    assert tl.point("2021-02-01").promises == 1
    assert tl.point("2021-03-01").promises == 2


def test_every_uses_calendar_durations() -> None:
    rubric = tiny((Assessment("p", date(2024, 1, 1), "kept"),))
    tl = timeline(rubric, every="6M")
    assert [p.as_of for p in tl.points] == [
        date(2021, 7, 20),
        date(2022, 1, 20),
        date(2022, 7, 20),
        date(2023, 1, 20),
        date(2023, 7, 20),
    ]
    assert [p.as_of for p in timeline(rubric, every="P1Y").points][-1] == date(2023, 1, 20)
    assert timeline(rubric, every="100D").points[0].as_of == date(2021, 4, 30)
    # month ends clamp without drifting: Jan 31 + 1M, + 2M, + 3M
    shifted = Rubric(
        report=Report("T", date(2021, 1, 31)),
        scale=Scale("politifact"),
        promises=(Promise("p", "P"),),
        assessments=(Assessment("p", date(2021, 5, 1), "kept"),),
    )
    assert [p.as_of for p in timeline(shifted, every="1M").points] == [
        date(2021, 2, 28),
        date(2021, 3, 31),
        date(2021, 4, 30),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6M", Duration(months=6)),
        ("P6M", Duration(months=6)),
        ("1y", Duration(years=1)),
        ("100D", Duration(days=100)),
        ("P2W", Duration(weeks=2)),
    ],
)
def test_parse_every(text: str, expected: Duration) -> None:
    assert parse_every(text) == expected


@pytest.mark.parametrize("text", ["", "6", "M6", "P", "P0D", "six months", "-6M"])
def test_parse_every_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_every(text)


def test_reversal_is_listed_with_its_date() -> None:
    rubric = tiny(
        (
            Assessment("p", date(2021, 2, 1), "kept"),
            Assessment("p", date(2021, 6, 1), "in-the-works"),
            Assessment("p", date(2021, 9, 1), "compromise"),
            Assessment("p", date(2021, 10, 1), "broken"),
        )
    )
    tl = timeline(rubric)
    found = [(r.promise, r.from_level, r.to_level, r.since, r.date) for r in tl.reversals]
    assert found == [
        ("p", "kept", "in-the-works", date(2021, 4, 30), date(2021, 6, 1)),
        ("p", "compromise", "broken", date(2021, 9, 1), date(2021, 10, 1)),
    ]
    assert tl.to_dict()["reversals"][0]["from"] == "kept"


def test_unknown_assessor_is_reported(immigration: Rubric) -> None:
    from promisescore import UnknownIdError

    with pytest.raises(UnknownIdError, match="advocate"):
        timeline(immigration, assessor="advocate")


# --------------------------------------------------------------- the bundled rubric, frozen at 1.1


def test_immigration_timeline(immigration: Rubric) -> None:
    tl = timeline(immigration)
    assert [(p.as_of.isoformat(), p.marks) for p in tl.points] == [
        ("2021-04-30", ("100 days",)),
        ("2021-07-27", ()),
        ("2022-01-20", ("1 year",)),
        ("2023-01-20", ("2 years",)),
        ("2024-01-20", ("3 years",)),
        ("2024-06-18", ()),
    ]
    scores = [p.overall.score for p in tl.points]
    assert scores[0] == pytest.approx(1 / 12)  # the news report, RAICES and AILA at 100 days
    assert scores[1] == scores[0]  # the White House fact sheet (role self) is not counted
    assert scores[2] == pytest.approx(1.75 / 23)  # We Are Home, one year in
    assert scores[2] == scores[3] == scores[4] == scores[5]  # NAKASEC moves no headline value
    coverage = [p.overall.coverage or 0.0 for p in tl.points]
    assert coverage == sorted(coverage)  # each document rates more
    assert [p.promises for p in tl.points] == [21] * 6
    # restore-asylum-access: stalled throughout, NAKASEC's "broken" in 2024 is one voice of
    # four; broken is a final level, but nothing fell *from* one: no reversal.
    for day in ("2021-04-30", "2022-01-20", "2024-06-18"):
        assert score(immigration, day).promise("restore-asylum-access").rating == "stalled"
    assert tl.reversals == ()
    assert_point_is_score(immigration, tl)


def test_immigration_timeline_by_assessor(immigration: Rubric) -> None:
    we_are_home = timeline(immigration, assessor="we-are-home")
    administration = timeline(immigration, assessor="administration")
    assert_point_is_score(immigration, we_are_home, "we-are-home")
    # the administration rated only in its July 2021 fact sheet
    assert administration.points[0].as_of == date(2021, 4, 30)
    assert administration.points[0].overall.score is None
    assert we_are_home.points[1].overall.score is None  # We Are Home spoke in 2022
    last_admin = administration.points[-1].overall.score or 0.0
    last_we_are_home = we_are_home.points[-1].overall.score or 0.0
    assert last_admin == pytest.approx(0.25)
    assert 0 < last_we_are_home < 0.1 < last_admin


# --------------------------------------------------------------------------- rendering


def test_sparkline() -> None:
    assert sparkline([0.0, 0.5, 1.0, None]) == "▁▅█·"
    assert sparkline([-1.0, 2.0]) == "▁█"


def test_renderers(immigration: Rubric) -> None:
    tl = timeline(immigration)
    text = render(tl, "text")
    assert "▁▁▃▃▃▃" in text  # the overall reform agenda
    assert "Reversals: none" in text
    rows = render(tl, "csv").splitlines()
    assert rows[0] == "as_of,marks,line,title,score,grade,coverage,rated,promises"
    assert rows[1] == (
        "2021-04-30,100 days,overall,Overall,0.08333333333333333,F,0.3076923076923077,5,21"
    )
    assert len(rows) == 1 + 6 * 10
    html = render(tl, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert json.loads(render(tl, "json")) == tl.to_dict()


def test_svg_escapes_titles() -> None:
    rubric = Rubric(
        report=Report("<b>&", START),
        scale=Scale("politifact"),
        promises=(Promise("p", "P", category="c"),),
        categories=(Category("c", "<script>x</script>"),),
        assessments=(
            Assessment("p", date(2021, 2, 1), "kept"),
            Assessment("p", date(2021, 3, 1), "broken"),
        ),
    )
    tl = timeline(rubric)
    svg = svg_chart(tl)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<script>" not in render(tl, "html")


# --------------------------------------------------------------------------- CLI


def test_cli_json_points_equal_score_json() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["timeline", str(IMMIGRATION), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"points", "reversals"}
    for point in data["points"]:
        card = runner.invoke(
            main, ["score", str(IMMIGRATION), "--as-of", point["as_of"], "--format", "json"]
        )
        expected = json.loads(card.output)
        assert point["overall"] == expected["overall"]
        assert point["categories"] == expected["categories"]
        assert point["counts"] == expected["counts"]


def test_cli_options(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["timeline", str(IMMIGRATION), "--at", "2021-04-30,2022-01-20", "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert {line.split(",")[0] for line in result.output.splitlines()[1:]} == {
        "2021-04-30",
        "2022-01-20",
    }
    result = runner.invoke(
        main, ["timeline", str(IMMIGRATION), "--every", "1Y", "--assessor", "nakasec"]
    )
    assert result.exit_code == 0, result.output
    assert "assessor NAKASEC" in result.output
    out = tmp_path / "timeline.html"
    result = runner.invoke(main, ["timeline", str(IMMIGRATION), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0
    assert "<svg" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["--every", "six months"],
        ["--at", "2021-02-30"],
        ["--assessor", "nobody"],
        ["--format", "pdf"],
        ["-o", str(IMMIGRATION)],
    ],
)
def test_cli_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["timeline", str(IMMIGRATION), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_report_json_carries_history() -> None:
    result = CliRunner().invoke(main, ["report", str(IMMIGRATION), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["as_of"] for p in data["history"]["points"]][-1] == data["as_of"]
    result = CliRunner().invoke(
        main, ["report", str(IMMIGRATION), "--format", "json", "--as-of", "2021-07-27"]
    )
    data = json.loads(result.output)
    assert [p["as_of"] for p in data["history"]["points"]] == ["2021-04-30", "2021-07-27"]
    result = CliRunner().invoke(
        main, ["report", str(IMMIGRATION), "--format", "json", "--as-of", "2021-04-30"]
    )
    assert "history" not in json.loads(result.output)  # a single point: no history


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_an_empty_series_renders(immigration: Rubric, fmt: str) -> None:
    tl = timeline(immigration, every="10Y")
    assert tl.points == ()
    assert tl.reversals == ()
    assert render(tl, fmt)
