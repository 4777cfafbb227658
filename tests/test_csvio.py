"""CSV import and export: round trips, and bad rows reported by file and row."""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

import promisescore
from promisescore.cli import main
from promisescore.errors import Problem
from promisescore.model import Rubric
from promisescore.spreadsheets import (
    CsvImportError,
    CsvText,
    ImportOptions,
    ReportInfo,
    export_csv,
    export_tables,
    import_csv,
    import_tables,
    not_carried,
)

from .strategies_csv import rubrics

REPO = Path(__file__).resolve().parents[1]
START = date(2025, 1, 20)
BUNDLED = [
    REPO / "rubrics" / "us-immigration-2021.toml",
    REPO / "rubrics" / "we-belong-together-2015.toml",
]


def info(rubric: Rubric) -> ReportInfo:
    r = rubric.report
    return ReportInfo(title=r.title, start=r.start, subject=r.subject, end=r.end, as_of=r.as_of)


def round_trip(rubric: Rubric) -> Rubric:
    tables = export_tables(rubric)

    def text(name: str) -> CsvText | None:
        return CsvText(name, tables[name]) if name in tables else None

    promises = text("promises.csv")
    assert promises is not None
    return import_tables(
        promises,
        text("evidence.csv"),
        text("assessments.csv"),
        categories=text("categories.csv"),
        criteria=text("criteria.csv"),
        assessors=text("assessors.csv"),
        options=ImportOptions(scale=rubric.scale.preset or "", report=info(rubric)),
    )


def without_report_meta(rubric: Rubric) -> Rubric:
    return attrs.evolve(rubric, report=attrs.evolve(rubric.report, meta={}))


def as_carried(rubric: Rubric) -> Rubric:
    """What the CSV files carry of a format 1.1 or 1.2 rubric: everything (the assessors
    in assessors.csv) but report.meta and [grading]."""
    return attrs.evolve(
        without_report_meta(rubric), grading=promisescore.Grading.default_for(rubric.format)
    )


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_rubrics_round_trip(path: Path) -> None:
    rubric = promisescore.load(path)
    # report.meta and [grading] are what the bundled rubrics have that the CSV files
    # do not carry (and they say so)
    assert not_carried(rubric) == [
        "[grading] (add it to the imported rubric by hand)",
        "report.meta",
    ]
    assert round_trip(rubric) == as_carried(rubric)


@settings(max_examples=60, deadline=None)
@given(rubrics())
def test_generated_rubrics_round_trip(rubric: Rubric) -> None:
    assert not_carried(rubric) == []
    assert round_trip(rubric) == rubric


def test_cli_export_then_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    exported = runner.invoke(main, ["export", str(BUNDLED[0]), "--to", "sheets"])
    assert exported.exit_code == 0, exported.output
    names = sorted(p.name for p in (tmp_path / "sheets").iterdir())
    assert names == [
        "assessments.csv",
        "assessors.csv",
        "categories.csv",
        "criteria.csv",
        "evidence.csv",
        "promises.csv",
        "settings.toml",
    ]
    assert "note:" not in exported.stderr  # settings.toml carries grading and report.meta
    # the printed command line, as a shell would split it
    command = shlex.split(exported.stderr.splitlines()[-1])
    assert command[:2] == ["promisescore", "import"]
    args = command[1:]
    imported = runner.invoke(main, args)
    assert imported.exit_code == 0, imported.output
    rebuilt = promisescore.load(tmp_path / "rubric.toml")
    assert rebuilt == promisescore.load(BUNDLED[0])


def test_import_to_stdout_and_json(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(
        "id,title,category\nwage,Raise wages,economy\n", encoding="utf-8"
    )
    runner = CliRunner()
    base = [
        "import",
        str(tmp_path / "p.csv"),
        "--scale",
        "cppg",
        "--title",
        "T",
        "--start",
        "2025-01-20",
    ]
    result = runner.invoke(main, base)
    assert result.exit_code == 0, result.output
    rubric = promisescore.loads(result.stdout)
    assert [(c.id, c.title) for c in rubric.categories] == [("economy", "Economy")]
    out = tmp_path / "r.json"
    assert runner.invoke(main, [*base, "-o", str(out)]).exit_code == 0
    assert promisescore.load(out) == rubric


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "promises.csv").write_text(
        "id,title,category,weight,deadline\n"
        "p1,First,econ,2,P1Y\n"
        "p2,,econ,abc,2025-13-01\n"
        "\n"
        'p4,"two\nlines",econ,-1,\n',
        encoding="utf-8",
    )
    (tmp_path / "evidence.csv").write_text(
        "id,promise,date,summary,source_title,source_kind\n"
        "e1,p1,2025-02-01,Done,Src,record\n"
        "e2,p1,2025-02-31,Done,Src,recrd\n",
        encoding="utf-8",
    )
    (tmp_path / "assessments.csv").write_text(
        "promise,by,date,rating,evidence\np1,ed,2025-03-01,kept,e1;e7\np1,ed,2025-03-02,kep,e1\n",
        encoding="utf-8",
    )
    out = tmp_path / "rubric.toml"
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(tmp_path / "promises.csv"),
            str(tmp_path / "evidence.csv"),
            str(tmp_path / "assessments.csv"),
            "--scale",
            "politifact",
            "--title",
            "T",
            "--start",
            "2025-01-20",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert not out.exists()
    lines = result.stderr.splitlines()

    def at(name: str, row: int, code: str) -> list[str]:
        return [x for x in lines if x.startswith(f"{tmp_path / name}:{row}: {code} ")]

    assert at("promises.csv", 3, "E102")  # no title
    assert at("promises.csv", 3, "E103")  # weight 'abc'
    assert at("promises.csv", 3, "E205")  # month 13
    assert at("promises.csv", 5, "E203")  # row 5: the blank row 4 still counts
    assert at("evidence.csv", 3, "E205")
    assert at("evidence.csv", 3, "E207")
    assert at("assessments.csv", 2, "E303")  # unknown evidence e7
    assert "did you mean 'kept'?" in at("assessments.csv", 3, "E305")[0]
    assert lines[-1].startswith("error: nothing imported: 8 problems")
    assert "the header is row 1" in lines[-1]


def test_header_problems(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,titel,id\n", encoding="utf-8")
    warned: list[Problem] = []
    with pytest.raises(CsvImportError) as caught:
        import_csv(
            path,
            options=ImportOptions(
                scale="politifact", report=ReportInfo("T", START), warnings=warned
            ),
        )
    messages = [p.format() for p in caught.value.problems]
    # an unknown column is a warning (its cells would go to meta), with the near name
    assert [p.code for p in warned] == ["W110"]
    assert "unknown column 'titel' (did you mean 'title'?)" in warned[0].message
    assert any("column 'id' appears twice" in m for m in messages)
    assert any("has no column 'title'" in m for m in messages)
    assert all(m.startswith(f"{path}:1: ") for m in messages)


def test_unreadable_inputs(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--scale", "politifact", "--title", "T", "--start", "2025-01-20"]
    missing = runner.invoke(main, ["import", str(tmp_path / "none.csv"), *base])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,title\np,Caf\xe9\n".encode("latin-1"))
    bad = runner.invoke(main, ["import", str(latin), *base])
    assert bad.exit_code == 1
    assert "E002 not valid UTF-8" in bad.stderr
    assert "Traceback" not in bad.output


def test_extra_cells_and_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('id,title,meta\na,A,"{""x"": 1}"\nb,B,{oops\nc,C,,surplus\n', encoding="utf-8")
    with pytest.raises(CsvImportError) as caught:
        import_csv(path, options=ImportOptions(scale="cppg", report=ReportInfo("T", START)))
    found = {(p.line, p.code) for p in caught.value.problems}
    assert found == {(3, "E103"), (4, "E103")}


def test_lists_and_sources(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(
        'id,title,tags,source_title,source_kind\na,A,"x; y ;",Speech,claim\nb,B,"[""a;b""]",,\n',
        encoding="utf-8",
    )
    rubric = import_csv(
        tmp_path / "p.csv", options=ImportOptions(scale="cppg", report=ReportInfo("T", START))
    )
    a, b = rubric.promises
    assert a.tags == ("x", "y")
    assert a.source == promisescore.Source("Speech", kind="claim")
    assert b.tags == ("a;b",)
    assert b.source is None


def test_export_refuses_to_overwrite_inputs(tmp_path: Path) -> None:
    rubric = promisescore.load(BUNDLED[1])
    (tmp_path / "promises.csv").write_text("keep me", encoding="utf-8")
    with pytest.raises(promisescore.OutputError):
        export_csv(rubric, tmp_path, inputs=[tmp_path / "promises.csv"])
    assert (tmp_path / "promises.csv").read_text(encoding="utf-8") == "keep me"
    result = export_csv(rubric, tmp_path / "new" / "dir")
    assert len(result.written) == 7  # five CSV files (with assessors), settings.toml


def test_target_meta_loads_dumps_and_is_reported_by_export() -> None:
    text = (
        'format = 1\n[report]\ntitle = "t"\nstart = 2020-01-01\n[scale]\npreset = "percent"\n'
        '[[promises]]\nid = "a"\ntitle = "A"\n'
        'target = { metric = "m", baseline = 0, target = 10, meta = { note = "x" } }\n'
    )
    rubric = promisescore.loads(text)
    assert rubric.promises[0].target is not None
    assert rubric.promises[0].target.meta == {"note": "x"}
    assert promisescore.loads(promisescore.dumps(rubric)) == rubric
    assert not_carried(rubric) == ["the meta of targets"]


def test_excel_style_files(tmp_path: Path) -> None:
    # a byte-order mark, CRLF line ends, a line break inside a cell, trailing blank rows
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"\xef\xbb\xbfid,Title ,category,category_title\r\n"
        b'a,"Two\r\nlines",econ,Economy\r\nb,B,econ,Economy\r\n,,,\r\n'
    )
    rubric = import_csv(path, options=ImportOptions(scale="cppg", report=ReportInfo("T", START)))
    assert [p.title for p in rubric.promises] == ["Two\r\nlines", "B"]
    assert [(c.id, c.title) for c in rubric.categories] == [("econ", "Economy")]


def test_category_titles_must_agree(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "id,title,category,category_title\na,A,econ,Economy\nb,B,econ,The economy\n",
        encoding="utf-8",
    )
    with pytest.raises(CsvImportError) as caught:
        import_csv(path, options=ImportOptions(scale="cppg", report=ReportInfo("T", START)))
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "'The economy' here but 'Economy' in row 2" in problem.message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id;title\na;A\n", "separated by ';'"),
        ("id,title\n", "no promises"),
        ("", "the file is empty"),
    ],
)
def test_empty_and_semicolon_files(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CsvImportError) as caught:
        import_csv(path, options=ImportOptions(scale="cppg", report=ReportInfo("T", START)))
    assert any(needle in p.message for p in caught.value.problems)
    assert all(p.line == 1 for p in caught.value.problems)
