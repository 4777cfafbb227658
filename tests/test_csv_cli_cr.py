"""The carriage-return bug through the command line: a promise or category titled
``"line one\\rline two"`` stays one cell, read back by :mod:`csv`'s reader, in the three
CSV outputs (``report --format csv``, ``timeline --format csv`` and ``export``), and each
file is byte for byte what the library writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

import promisescore
from promisescore.analysis import timeline
from promisescore.cli import main
from promisescore.spreadsheets import export_tables

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report-card.toml"
TITLE = "line one\rline two"


def _rubric_file(tmp_path: Path) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    for old in (
        'title = "Build 20 km of protected bike lanes in the first year"',
        'title = "Transit & streets"',
    ):
        assert old in text
        text = text.replace(old, 'title = "line one\\rline two"')
    path = tmp_path / "cr.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def test_report_csv_through_the_cli(tmp_path: Path) -> None:
    source = _rubric_file(tmp_path)
    out = tmp_path / "card.csv"
    _run("report", str(source), "--format", "csv", "-o", str(out))
    card = promisescore.score(promisescore.load(source))
    rows = _rows(out)
    assert len(rows) == 1 + len(card.promises)
    assert all(len(row) == len(rows[0]) for row in rows)
    assert [row[rows[0].index("title")] for row in rows[1:]].count(TITLE) == 1
    assert out.read_bytes().decode("utf-8") == promisescore.render(card, "csv")


def test_timeline_csv_through_the_cli(tmp_path: Path) -> None:
    source = _rubric_file(tmp_path)
    out = tmp_path / "timeline.csv"
    _run("timeline", str(source), "--format", "csv", "-o", str(out))
    result = timeline(promisescore.load(source))
    rows = _rows(out)
    assert len(rows) == 1 + sum(1 + len(point.categories) for point in result.points)
    assert all(len(row) == len(rows[0]) for row in rows)
    assert TITLE in {cell for row in rows[1:] for cell in row}
    assert out.read_bytes().decode("utf-8") == promisescore.render(result, "csv")


def test_export_through_the_cli(tmp_path: Path) -> None:
    source = _rubric_file(tmp_path)
    sheets = tmp_path / "sheets"
    _run("export", str(source), "--to", str(sheets))
    rubric = promisescore.load(source)
    tables = export_tables(rubric)
    promises = _rows(sheets / "promises.csv")
    assert len(promises) == 1 + len(rubric.promises)
    assert [row[promises[0].index("title")] for row in promises[1:]].count(TITLE) == 1
    categories = _rows(sheets / "categories.csv")
    assert len(categories) == 1 + len(rubric.categories)
    assert [row[categories[0].index("title")] for row in categories[1:]].count(TITLE) == 1
    for name in ("promises.csv", "categories.csv", "evidence.csv"):
        assert (sheets / name).read_bytes().decode("utf-8") == tables[name], name
