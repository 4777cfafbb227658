"""The one CSV writer (promisescore.csvtext): RFC 4180 quoting, a lone CR included, and
the formula guard, for ``report --format csv``, ``timeline --format csv`` and ``export``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import promisescore
from promisescore.analysis import timeline
from promisescore.csvtext import Raw, cell_text, csv_row, csv_table, quote
from promisescore.spreadsheets import export_tables

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "report-card.toml"
TITLE = "line one\rline two"


def _rubric_with_cr(tmp_path: Path) -> promisescore.Rubric:
    text = FIXTURE.read_text(encoding="utf-8")
    for old in (
        'title = "Build 20 km of protected bike lanes in the first year"',
        'title = "Transit & streets"',
    ):
        assert old in text
        text = text.replace(old, 'title = "line one\\rline two"')
    path = tmp_path / "cr.toml"
    path.write_text(text, encoding="utf-8")
    return promisescore.load(path)


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_report_csv_keeps_a_lone_cr_inside_its_cell(tmp_path: Path) -> None:
    card = promisescore.score(_rubric_with_cr(tmp_path))
    rows = _read(promisescore.render(card, "csv"))
    assert len(rows) == 1 + len(card.promises)
    titles = [row[1] for row in rows[1:]]
    assert TITLE in titles
    assert all(len(row) == len(rows[0]) for row in rows)


def test_timeline_csv_keeps_a_lone_cr_inside_its_cell(tmp_path: Path) -> None:
    result = timeline(_rubric_with_cr(tmp_path))
    text = promisescore.render(result, "csv")
    rows = _read(text)
    assert all(len(row) == len(rows[0]) for row in rows)
    assert TITLE in {row[3] for row in rows[1:]}
    lines = sum(1 + len(point.categories) for point in result.points)
    assert len(rows) == 1 + lines


def test_export_keeps_a_lone_cr_inside_its_cell(tmp_path: Path) -> None:
    rubric = _rubric_with_cr(tmp_path)
    tables = export_tables(rubric)
    promises = _read(tables["promises.csv"])
    assert len(promises) == 1 + len(rubric.promises)
    column = promises[0].index("title")
    assert TITLE in [row[column] for row in promises[1:]]
    categories = _read(tables["categories.csv"])
    assert TITLE in [row[categories[0].index("title")] for row in categories[1:]]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("a\rb", '"a\rb"'),
        ("a\nb", '"a\nb"'),
        ("a\r\nb", '"a\r\nb"'),
        ("", ""),
    ],
)
def test_quote_follows_rfc_4180(text: str, quoted: str) -> None:
    assert quote(text) == quoted
    assert _read(csv_row([Raw(text), Raw("x")]))[0] == [text, "x"]


def test_the_guard_is_applied_to_text_only() -> None:
    assert cell_text("=1+1") == "'=1+1"
    assert cell_text(Raw("-1.5")) == "-1.5"
    assert cell_text(-1.5) == "-1.5"
    assert cell_text(3) == "3"
    assert cell_text(False) == "false"
    assert csv_table(["a", "b"], [["=x", None]], newline="\r\n") == "a,b\r\n'=x,\r\n"
