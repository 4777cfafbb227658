"""Spreadsheets as a living source: export --to DIR|book.xlsx, import --from, unknown
columns, thousands separators, dates, criteria.csv, settings.toml, never replacing -o."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import promisescore
from promisescore.cells import parse_date_text, parse_number, suggest_iso
from promisescore.cli import main
from promisescore.errors import Problem
from promisescore.model import Rubric
from promisescore.renderers import RenderOptions
from promisescore.spreadsheets import (
    CsvImportError,
    ImportOptions,
    MissingExtraError,
    ReportInfo,
    export_to,
    import_csv,
    import_from,
)

from . import strategies, strategies_csv

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "rubrics").glob("*.toml"))
# and a format 1.1 rubric: assessors with roles, effective dates, grading
FORMAT_11 = REPO / "tests" / "fixtures" / "honest-numbers.toml"
START = date(2024, 1, 1)
INFO = ReportInfo("Mayor's promises", START)


def sheet(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def score_json(rubric: Rubric) -> str:
    return promisescore.render(promisescore.score(rubric), "json", RenderOptions())


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2150", 2150.0),
        ("2,150", 2150.0),
        ("10 000", 10000.0),
        ("10\u00a0000", 10000.0),
        ("1,234,567.5", 1234567.5),
        ("-1,000", -1000.0),
        ("0.25", 0.25),
        ("2,5", None),  # a decimal comma? ambiguous
        ("1,50", None),
        ("1,2345", None),
        ("1,000 000", None),  # two kinds of separator
        ("abc", None),
        ("nan", None),
    ],
)
def test_numbers(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("9/14/2024", "2024-09-14"),
        ("14/9/2024", "2024-09-14"),
        ("2024/9/14", "2024-09-14"),
        ("14.09.2024", "2024-09-14"),
        ("14 September 2024", "2024-09-14"),
        ("Sep 14, 2024", "2024-09-14"),
        ("3/4/2024", None),  # 3 April or 4 March
        ("13/13/2024", None),
        ("soon", None),
    ],
)
def test_date_suggestions(text: str, iso: str | None) -> None:
    assert suggest_iso(text) == iso


def test_date_format() -> None:
    assert parse_date_text("3/4/2024", "%m/%d/%Y") == date(2024, 3, 4)
    assert parse_date_text("2024-03-04", "%m/%d/%Y") == date(2024, 3, 4)
    with pytest.raises(ValueError, match="did you mean 2024-09-14"):
        parse_date_text("9/14/2024")


# --------------------------------------------------------------------------- import


def test_a_newsroom_sheet(tmp_path: Path) -> None:
    """The issue's case: a working column, grouped numbers, US dates."""
    promises = sheet(
        tmp_path,
        "promises.csv",
        "id,title,target_metric,target_baseline,target_target,Reporter\n"
        'homes,Build 10 000 homes,homes,0,"10 000",Jane\n'
        "parks,Open two parks,,,,\n",
    )
    evidence = sheet(
        tmp_path,
        "evidence.csv",
        "id,promise,date,summary,source_title,source_kind,value,Reporter\n"
        'built,homes,9/14/2024,"2,150 homes built",City data,record,"2,150",Jane\n'
        "park,parks,3/4/2024,Park opened,City,claim,,Sam\n",
    )
    warned: list[Problem] = []
    with pytest.raises(CsvImportError) as caught:
        import_csv(
            promises,
            evidence,
            options=ImportOptions(scale="politifact", report=INFO, warnings=warned),
        )
    problems = caught.value.problems
    assert [(p.line, p.code) for p in problems] == [(2, "E205"), (3, "E205")]
    assert problems[0].hint is not None
    assert "did you mean 2024-09-14?" in problems[0].hint
    assert problems[1].hint is not None
    assert "--date-format" in problems[1].hint
    assert "did you mean" not in problems[1].hint  # 3/4/2024 is ambiguous
    # one warning per file, naming the column, with no wrong "did you mean"
    assert [(p.code, p.file) for p in warned] == [("W110", str(promises)), ("W110", str(evidence))]
    assert "'Reporter'" in warned[0].message
    assert "did you mean" not in warned[0].message
    rubric = import_csv(
        promises,
        evidence,
        options=ImportOptions(scale="politifact", report=INFO, date_format="%m/%d/%Y"),
    )
    homes = rubric.promise("homes")
    assert homes.meta == {"Reporter": "Jane"}
    assert rubric.promise("parks").meta == {}  # empty cells add nothing
    assert homes.target is not None
    assert homes.target.target == 10000.0
    assert rubric.evidence[0].value == 2150.0
    assert rubric.evidence[0].date == date(2024, 9, 14)
    assert rubric.evidence[1].date == date(2024, 3, 4)
    assert rubric.evidence[1].meta == {"Reporter": "Sam"}
    quiet: list[Problem] = []
    dropped = import_csv(
        promises,
        evidence,
        options=ImportOptions(
            scale="politifact",
            report=INFO,
            date_format="%m/%d/%Y",
            ignore_columns=["reporter"],
            warnings=quiet,
        ),
    )
    assert quiet == []
    assert dropped.promise("homes").meta == {}


def test_cli_warns_once_and_imports(tmp_path: Path) -> None:
    sheet(tmp_path, "promises.csv", "id,title,Reporter,Desk\np,P,Jane,metro\nq,Q,Sam,\n")
    runner = CliRunner()
    out = tmp_path / "r.toml"
    args = ["import", str(tmp_path / "promises.csv"), "--scale", "cppg", "--title", "T"]
    result = runner.invoke(main, [*args, "--start", "2024-01-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("W110") == 1
    assert "unknown columns 'Reporter', 'Desk' in the promises file" in result.stderr
    assert promisescore.load(out).promise("p").meta == {"Reporter": "Jane", "Desk": "metro"}


def test_criteria_sheet(tmp_path: Path) -> None:
    promises = sheet(tmp_path, "promises.csv", "id,title\ncare,Hire nurses and open clinics\n")
    criteria = sheet(
        tmp_path,
        "criteria.csv",
        "promise,id,title,weight\ncare,nurses,Hire 500 nurses,2\ncare,clinics,Open 10 clinics,\n",
    )
    rubric = import_csv(
        promises, criteria=criteria, options=ImportOptions(scale="politifact", report=INFO)
    )
    care = rubric.promise("care")
    assert [(c.id, c.title, c.weight) for c in care.criteria] == [
        ("nurses", "Hire 500 nurses", 2.0),
        ("clinics", "Open 10 clinics", 1.0),
    ]
    sheet(tmp_path, "criteria.csv", "promise,id,title\ncaer,nurses,Hire\n")
    with pytest.raises(CsvImportError) as caught:
        import_csv(
            promises, criteria=criteria, options=ImportOptions(scale="politifact", report=INFO)
        )
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.code) == (str(criteria), 2, "E301")
    assert problem.hint == "did you mean 'care'?"


def test_settings_need_a_scale_and_a_report(tmp_path: Path) -> None:
    promises = sheet(tmp_path, "promises.csv", "id,title\np,P\n")
    with pytest.raises(CsvImportError, match="no report and no scale"):
        import_csv(promises)
    settings_file = sheet(tmp_path, "settings.toml", "format = 1\n[[promises]]\nid = 'x'\n")
    with pytest.raises(CsvImportError, match="belong in their own CSV files"):
        import_csv(promises, settings=settings_file)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("path", [*BUNDLED, FORMAT_11], ids=lambda p: p.name)
@pytest.mark.parametrize("target", ["sheets", "book.xlsx"])
def test_bundled_round_trip(path: Path, target: str, tmp_path: Path) -> None:
    rubric = promisescore.load(path)
    result = export_to(rubric, tmp_path / target)
    assert result.not_carried == ()
    back = import_from(tmp_path / target)
    assert back == rubric
    assert score_json(back) == score_json(rubric)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(strategies.rubrics())
def test_random_rubrics_round_trip(rubric: Rubric) -> None:
    """Custom scales, grading, criteria, targets: all carried by the sheets and settings."""
    with tempfile.TemporaryDirectory() as tmp:
        for target in ("sheets", "book.xlsx"):
            export_to(rubric, Path(tmp) / target)
            back = import_from(Path(tmp) / target)
            assert back == rubric, target
            assert score_json(back) == score_json(rubric)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(strategies_csv.rubrics())
def test_awkward_text_round_trips(rubric: Rubric) -> None:
    """Commas, quotes, line breaks, a leading '=' and meta tables, in CSV and XLSX."""
    with tempfile.TemporaryDirectory() as tmp:
        for target in ("sheets", "book.xlsx"):
            result = export_to(rubric, Path(tmp) / target)
            if result.not_carried:
                # XML keeps no lone carriage return: the one thing a workbook loses, said
                assert target == "book.xlsx"
                assert result.not_carried == (
                    "carriage returns in texts (a workbook stores line breaks as LF)",
                )
                continue
            assert import_from(Path(tmp) / target) == rubric, target


def test_workbook_is_deterministic_and_formulas_stay_text(tmp_path: Path) -> None:
    rubric = promisescore.loads(
        'format = 1\n[report]\ntitle = "=HYPERLINK(1)"\nstart = 2024-01-01\n'
        '[scale]\npreset = "cppg"\n[[promises]]\nid = "p"\ntitle = "=1+1"\n'
    )
    export_to(rubric, tmp_path / "a.xlsx")
    export_to(rubric, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert import_from(tmp_path / "a.xlsx").promise("p").title == "=1+1"


def test_quotes_and_control_characters_in_workbooks(tmp_path: Path) -> None:
    rubric = promisescore.loads(
        'format = 1\n[report]\ntitle = "T"\nstart = 2024-01-01\n[scale]\npreset = "cppg"\n'
        '[[promises]]\nid = "p"\ntitle = "\'=1+1"\n[[promises]]\nid = "q"\ntitle = "-5"\n'
    )
    for target in ("sheets", "book.xlsx"):
        export_to(rubric, tmp_path / target)
        assert import_from(tmp_path / target) == rubric, target
    odd = promisescore.loads(
        'format = 1\n[report]\ntitle = "T"\nstart = 2024-01-01\n[scale]\npreset = "cppg"\n'
        '[[promises]]\nid = "p"\ntitle = "a\\u000bb"\n'
    )
    result = export_to(odd, tmp_path / "odd.xlsx")
    assert result.not_carried == (
        "control characters in texts (a workbook cannot hold them: shown as \\xNN)",
    )
    assert import_from(tmp_path / "odd.xlsx").promise("p").title == "a\\x0bb"


def test_cli_round_trip_and_the_printed_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    source = str(BUNDLED[0])
    exported = runner.invoke(main, ["export", source, "--to", "book.xlsx"])
    assert exported.exit_code == 0, exported.output
    assert exported.stderr.splitlines()[-1].strip() == (
        "promisescore import --from book.xlsx --output rubric.toml"
    )
    imported = runner.invoke(main, ["import", "--from", "book.xlsx", "--output", "rubric.toml"])
    assert imported.exit_code == 0, imported.output
    assert promisescore.load("rubric.toml") == promisescore.load(source)


def test_missing_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    rubric = promisescore.load(BUNDLED[0])
    with pytest.raises(MissingExtraError, match=r"promisescore\[xlsx\]"):
        export_to(rubric, tmp_path / "b.xlsx")
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(BUNDLED[0]), "--to", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 2
    assert "pip install 'promisescore[xlsx]'" in result.stderr
    (tmp_path / "c.xlsx").write_bytes(b"")
    result = runner.invoke(main, ["import", "--from", str(tmp_path / "c.xlsx")])
    assert result.exit_code == 2
    assert "promisescore[xlsx]" in result.stderr
    assert "Traceback" not in result.output


def test_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "c.xlsx").write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "--from", str(tmp_path / "c.xlsx")])
    assert result.exit_code == 2
    assert "not an Excel workbook" in result.stderr


# --------------------------------------------------------------------------- never lose work


def test_output_is_never_replaced_without_force(tmp_path: Path) -> None:
    sheet(tmp_path, "promises.csv", "id,title\np,P\n")
    out = sheet(tmp_path, "rubric.toml", "# hand-edited, keep me\n")
    runner = CliRunner()
    base = ["import", str(tmp_path / "promises.csv"), "--scale", "cppg", "--title", "T"]
    base += ["--start", "2024-01-01", "-o", str(out)]
    refused = runner.invoke(main, base)
    assert refused.exit_code == 2
    assert "already exists; not replacing it (add --force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "# hand-edited, keep me\n"
    forced = runner.invoke(main, [*base, "--force"])
    assert forced.exit_code == 0, forced.output
    assert promisescore.load(out).promise("p").title == "P"
    schema = sheet(tmp_path, "schema.json", "{}")
    assert runner.invoke(main, ["schema", "-o", str(schema)]).exit_code == 2
    assert schema.read_text(encoding="utf-8") == "{}"
    assert runner.invoke(main, ["schema", "-o", str(schema), "--force"]).exit_code == 0
    assert schema.read_text(encoding="utf-8") != "{}"


def test_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    neither = runner.invoke(main, ["import"])
    assert neither.exit_code == 2
    sheet(tmp_path, "promises.csv", "id,title\np,P\n")
    no_scale = runner.invoke(main, ["import", str(tmp_path / "promises.csv"), "--title", "T"])
    assert no_scale.exit_code == 2
    both = runner.invoke(main, ["import", str(tmp_path / "promises.csv"), "--from", str(tmp_path)])
    assert both.exit_code == 2
    nodir = runner.invoke(main, ["import", "--from", str(tmp_path / "none")])
    assert nodir.exit_code == 2
    assert "no such directory" in nodir.stderr


def test_init_from_csv_writes_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(main, ["init", "--from-csv", "sheets"])
    assert made.exit_code == 0, made.output
    assert "promisescore import --from sheets -o rubric.toml" in made.stderr
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
    rubric = import_from(tmp_path / "sheets")
    assert {p.kind for p in rubric.promises} == {"plain", "criteria", "target"}
    again = runner.invoke(main, ["init", "--from-csv", "sheets"])
    assert again.exit_code == 2
    assert "not overwriting" in again.stderr


def test_real_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "promisescore", *args]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    assert run("export", str(BUNDLED[1]), "--to", "sheets").returncode == 0
    done = run("import", "--from", "sheets", "-o", "back.toml")
    assert done.returncode == 0, done.stderr
    assert promisescore.load(tmp_path / "back.toml") == promisescore.load(BUNDLED[1])
