"""``promisescore report`` and ``promisescore badge``: formats, options, safe output."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "report-card.toml"
IMMIGRATION = REPO / "rubrics" / "us-immigration-2021.toml"
BUNDLED = sorted(p for p in (REPO / "rubrics").glob("*.toml"))
FORMATS = ("text", "markdown", "html", "json", "csv")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rubric", BUNDLED, ids=lambda p: p.stem)
def test_every_format_renders_the_bundled_rubrics(rubric: Path, fmt: str) -> None:
    code, out, err = invoke("report", str(rubric), "--format", fmt)
    assert code == 0, err
    assert out.endswith("\n")
    if fmt == "json":
        assert json.loads(out)["schema_version"] == 3  # both bundled rubrics are format 1.2
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>")
    else:
        assert "Overall" in out


@pytest.mark.parametrize("rubric", BUNDLED, ids=lambda p: p.stem)
def test_badge_of_the_bundled_rubrics(rubric: Path) -> None:
    code, out, err = invoke("badge", str(rubric))
    assert code == 0, err
    assert out.startswith("<svg ")
    assert 'aria-label="promises: ' in out


def test_badge_message_and_label() -> None:
    code, out, _ = invoke("badge", str(IMMIGRATION), "--as-of", "2022-01-20", "--label", "Biden")
    assert code == 0
    assert "<title>Biden: 6%</title>" in out  # 5.6% as of 2022-01-20, no grade (format 1.2)
    graded = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"
    code, out, _ = invoke("badge", str(graded), "--as-of", "2022-01-20", "--label", "Biden")
    assert code == 0
    assert "<title>Biden: 8% F</title>" in out  # format 1.1: default bands


def test_report_text_has_title_overall_meter_tables_and_warnings() -> None:
    code, out, _ = invoke("report", str(FIXTURE))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Mayor Ada Example's first-term promises"
    assert "as of 2022-06-30" in lines[1]
    assert "Overall   40.0%  grade F  coverage 90% of the weight; 5 of 6 promises rated" in out
    assert "Promises by rating" in out
    assert "\nCategories\n" in out
    assert "\nPromises\n" in out
    assert "Warnings (4)" in out
    # Not a terminal: no colour.
    assert "\x1b[" not in out
    assert max(len(line) for line in lines) <= 100


def test_output_file_is_written_and_reported(tmp_path: Path) -> None:
    target = tmp_path / "card.html"
    code, out, err = invoke("report", str(FIXTURE), "--format", "html", "-o", str(target))
    assert code == 0
    assert out == ""
    assert err == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # Overwriting an earlier output is fine, and leaves no temporary file behind.
    code, _, _ = invoke("report", str(FIXTURE), "--format", "csv", "--output", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("id,title,")
    assert [p.name for p in tmp_path.iterdir()] == ["card.html"]


def test_dash_is_stdout() -> None:
    code, out, err = invoke("report", str(FIXTURE), "--format", "json", "--output", "-")
    assert code == 0
    assert json.loads(out)["overall"]["grade"] == "F"
    assert "wrote" not in err


def test_output_never_overwrites_a_rubric_file(tmp_path: Path) -> None:
    shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
    top = tmp_path / "rubrics" / "us-immigration-2021.toml"
    included = tmp_path / "rubrics" / "us-immigration-2021" / "evidence-2021-04-30-news-report.toml"
    for victim in (top, included):
        before = victim.read_bytes()
        code, _, err = invoke("report", str(top), "--format", "html", "-o", str(victim))
        assert code == 2
        assert "refusing to write" in err
        assert "it is an input file" in err
        assert "Traceback" not in err
        assert victim.read_bytes() == before
        code, _, err = invoke("badge", str(top), "-o", str(victim))
        assert code == 2
        assert victim.read_bytes() == before


def test_unknown_category_is_a_usage_error_with_a_suggestion() -> None:
    code, _, err = invoke("report", str(FIXTURE), "--category", "transport")
    assert code == 2
    assert "unknown category 'transport'" in err
    assert "transit" in err


def test_category_filter_and_sort() -> None:
    code, out, _ = invoke(
        "report", str(FIXTURE), "--format", "csv", "--category", "housing", "--sort", "score"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["affordable-homes", "zoning-reform"]
    code, out, _ = invoke("report", str(FIXTURE), "--format", "csv", "--sort", "weight")
    assert [r["id"] for r in csv.DictReader(io.StringIO(out))][:2] == [
        "affordable-homes",
        "bus-fares",
    ]


def test_as_of_and_assessor_options() -> None:
    code, out, _ = invoke(
        "report", str(FIXTURE), "--format", "json", "--as-of", "2021-12-31", "--assessor", "auditor"
    )
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2021-12-31"
    assert data["assessor"] == "auditor"
    ratings = {p["id"]: p["rating"] for p in data["promises"]}
    assert ratings["bus-fares"] is None  # the auditor rated it only in 2022


def test_bad_format_and_bad_date_are_usage_errors() -> None:
    assert invoke("report", str(FIXTURE), "--format", "pdf")[0] == 2
    assert invoke("report", str(FIXTURE), "--as-of", "2022-13-01")[0] == 2
    assert invoke("report", str(FIXTURE), "--sort", "colour")[0] == 2


def test_missing_file_is_a_usage_error() -> None:
    code, _, err = invoke("report", "no-such-rubric.toml")
    assert code == 2
    assert "no-such-rubric.toml" in err


def test_score_json_lists_the_warnings_too() -> None:
    code, out, _ = invoke("score", str(FIXTURE), "--format", "json")
    assert code == 0
    assert [w["code"] for w in json.loads(out)["warnings"]] == ["W101", "W102", "W103", "W103"]
