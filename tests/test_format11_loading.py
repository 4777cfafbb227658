"""Format 1.1 files load (FORMAT.md §7): assessors, consensus_roles, effective,
stale_after, bands = []; and every 1.1 key in a format 1 file is an error naming the
version to declare."""

from __future__ import annotations

from datetime import date

import pytest

import promisescore as ps
from promisescore.errors import RubricError
from promisescore.model import Assessor, Grading, Rubric
from promisescore.spreadsheets import ImportOptions

V11 = """format = "1.1"

[report]
title = "T"
start = 2021-01-01

[scale]
preset = "politifact"

[grading]
bands = []
consensus_roles = ["independent"]
stale_after = "P1Y"

[[assessors]]
id = "gov"
name = "The Government"
role = "self"

[[assessors]]
id = "fc"
name = "Fact Check"
role = "independent"
url = "https://fc.example"
description = "A newsroom"

[[promises]]
id = "p"
title = "P"

[[evidence]]
id = "e"
promise = "p"
date = 2021-04-01
summary = "s"
source = { title = "Law", kind = "record" }

[[assessments]]
promise = "p"
by = "gov"
date = 2021-05-01
effective = 2021-04-01
rating = "kept"
evidence = ["e"]

[[assessments]]
promise = "p"
by = "fc"
date = 2021-05-01
rating = "kept"
evidence = ["e"]
"""


def codes(text: str) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in ps.check_text(text).problems if p.is_error]


def test_a_11_file_loads_with_every_new_key() -> None:
    rubric = ps.loads(V11)
    assert rubric.format == "1.1"
    assert rubric.format == "1.1"
    assert rubric.declared_assessors == (
        Assessor("gov", "The Government", "self"),
        Assessor("fc", "Fact Check", "independent", "https://fc.example", "A newsroom"),
    )
    assert rubric.grading.bands == ()
    assert not rubric.grading.graded
    assert rubric.grading.consensus_roles == ("independent",)
    assert rubric.grading.stale_after == "P1Y"
    assert rubric.assessments[0].effective == date(2021, 4, 1)
    assert rubric.assessments[0].effective_date == date(2021, 4, 1)
    assert rubric.assessments[1].effective is None
    assert rubric.assessments[1].effective_date == date(2021, 5, 1)
    assert rubric.role_of("gov") == "self"
    assert rubric.assessor("fc").name == "Fact Check"


def test_the_same_keys_in_a_format_1_file_are_errors_naming_the_version() -> None:
    text = V11.replace('format = "1.1"', "format = 1")
    result = ps.check_text(text)
    e010 = [p for p in result.problems if p.code == "E010"]
    # bands, consensus_roles, stale_after, [[assessors]], effective
    assert [p.line for p in e010] == [11, 12, 13, 15, 42]
    for problem in e010:
        assert problem.hint is not None
        assert 'format = "1.1"' in problem.hint
        assert "format 1.1 feature" in problem.message
    assert result.rubric is None


def test_format_1_1_as_a_number_is_an_error_with_a_hint() -> None:
    result = ps.check_text(V11.replace('format = "1.1"', "format = 1.1"))
    [problem] = [p for p in result.problems if p.code == "E008"]
    assert problem.hint == 'write format = "1.1" (with quotes)'


def test_by_must_name_a_declared_assessor() -> None:
    text = V11.replace('by = "fc"', 'by = "fcc"')
    [problem] = [p for p in ps.check_text(text).problems if p.is_error]
    assert problem.code == "E310"
    assert problem.line == 48
    assert problem.hint == "did you mean 'fc'?"


def test_without_a_table_every_by_is_an_independent_assessor_named_by_its_id() -> None:
    start = V11.index("[[assessors]]")
    end = V11.index("[[promises]]")
    rubric = ps.loads(V11[:start] + V11[end:])
    assert rubric.declared_assessors == ()
    assert rubric.role_of("gov") == "independent"
    assert rubric.assessor("gov") == Assessor("gov", "gov", "independent")


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('role = "self"', 'role = "selff"', "E207"),
        ('role = "self"', 'role = "government"', "E207"),
        ('url = "https://fc.example"', 'url = "ftp://fc.example"', "E213"),
        ("effective = 2021-04-01", "effective = 2021-06-01", "E214"),
        ('stale_after = "P1Y"', 'stale_after = "a year"', "E209"),
        ('consensus_roles = ["independent"]', 'consensus_roles = ["neutral"]', "E207"),
        ('name = "The Government"\n', "", "E102"),
    ],
)
def test_bad_11_values_are_reported(old: str, new: str, code: str) -> None:
    assert old in V11
    found = codes(V11.replace(old, new))
    assert [c for c, _ in found] == [code]
    problem = next(p for p in ps.check_text(V11.replace(old, new)).problems if p.is_error)
    assert problem.line is not None
    assert problem.hint, f"{code} has no hint"


def test_assessors_are_not_allowed_in_an_included_file(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    (tmp_path / "part.toml").write_text(
        '[[assessors]]\nid = "x"\nname = "X"\nrole = "self"\n', encoding="utf-8"
    )
    (tmp_path / "main.toml").write_text(
        V11.replace('format = "1.1"', 'format = "1.1"\ninclude = ["part.toml"]'),
        encoding="utf-8",
    )
    result = ps.check(tmp_path / "main.toml")
    assert "E104" in {p.code for p in result.problems}


@pytest.mark.parametrize("syntax", ["toml", "json"])
def test_a_11_rubric_writes_and_reads_back_equal(syntax: str) -> None:
    rubric = ps.loads(V11)
    text = ps.dumps(rubric, syntax)
    assert ps.loads(text, syntax) == rubric
    if syntax == "toml":
        assert text.startswith('format = "1.1"\n')
        assert "bands = []" in text


def test_a_format_1_rubric_still_writes_format_1() -> None:
    start = V11.index("[[assessors]]")
    end = V11.index("[[promises]]")
    text = V11[:start] + V11[end:]
    text = text.replace('format = "1.1"', "format = 1").replace("effective = 2021-04-01\n", "")
    text = text.replace('bands = []\nconsensus_roles = ["independent"]\nstale_after = "P1Y"\n', "")
    rubric = ps.loads(text)
    assert rubric.format == "1"
    assert ps.dumps(rubric).startswith("format = 1\n")


def test_a_rubric_built_in_code_is_checked_the_same_way() -> None:
    rubric = ps.loads(V11)
    with pytest.raises(RubricError) as caught:
        Rubric(
            report=rubric.report,
            scale=rubric.scale,
            promises=rubric.promises,
            grading=Grading(bands=()),
        )
    assert [p.code for p in caught.value.problems] == ["E010"]
    built = Rubric(
        report=rubric.report,
        scale=rubric.scale,
        promises=rubric.promises,
        grading=Grading(bands=()),
        format="1.1",
    )
    assert built.grading.grade(0.5) is None


def test_csv_export_and_import_carry_assessors_and_effective(tmp_path: object) -> None:
    from pathlib import Path

    import attrs

    from promisescore.spreadsheets import ReportInfo, export_csv, import_csv, not_carried

    assert isinstance(tmp_path, Path)
    fixture = Path(__file__).parent / "fixtures" / "honest-numbers.toml"
    rubric = ps.load(fixture)
    result = export_csv(rubric, tmp_path)
    assert (tmp_path / "assessors.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "id,name,role,url,description"
    )
    assert ",effective," in (tmp_path / "assessments.csv").read_text(encoding="utf-8")
    report = rubric.report
    back = import_csv(
        tmp_path / "promises.csv",
        tmp_path / "evidence.csv",
        tmp_path / "assessments.csv",
        categories=tmp_path / "categories.csv",
        criteria=tmp_path / "criteria.csv",
        assessors=tmp_path / "assessors.csv",
        options=ImportOptions(
            scale="politifact",
            report=ReportInfo(
                title=report.title,
                start=report.start,
                subject=report.subject,
                end=report.end,
                as_of=report.as_of,
            ),
        ),
    )
    assert back.format == "1.1"
    assert back == attrs.evolve(rubric, grading=back.grading)
    # the CSV files alone do not carry [grading]; settings.toml beside them does
    assert "[grading] (add it to the imported rubric by hand)" in not_carried(rubric)
    assert not any("format" in note for note in not_carried(rubric))
    assert result.not_carried == ()
    from promisescore.spreadsheets import import_dir

    assert import_dir(tmp_path) == rubric


def test_csv_import_reports_a_bad_assessor_row_with_its_line(tmp_path: object) -> None:
    from pathlib import Path

    from promisescore.spreadsheets import CsvImportError, ReportInfo, import_csv

    assert isinstance(tmp_path, Path)
    (tmp_path / "p.csv").write_text("id,title\np,P\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text(
        "promise,by,date,rating\np,gov,2021-05-01,kept\n", encoding="utf-8"
    )
    (tmp_path / "who.csv").write_text("id,name,role\ngov,Gov,selff\n", encoding="utf-8")
    with pytest.raises(CsvImportError) as caught:
        import_csv(
            tmp_path / "p.csv",
            None,
            tmp_path / "a.csv",
            assessors=tmp_path / "who.csv",
            options=ImportOptions(
                scale="politifact", report=ReportInfo(title="T", start=date(2021, 1, 1))
            ),
        )
    [problem] = caught.value.problems
    assert (problem.code, problem.line) == ("E207", 2)
    assert problem.file is not None
    assert problem.file.endswith("who.csv")
