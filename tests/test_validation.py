"""Every validation rule of FORMAT.md §1–3: a malformed file, its code, line and message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main

HEAD = """format = 1

[report]
title = "T"
start = 2021-01-01
end = 2024-12-31

[scale]
preset = "politifact"

[[categories]]
id = "cat"
title = "Category"

[[promises]]
id = "p1"
title = "First"
category = "cat"
"""
# HEAD is 18 lines; cases append from line 19 on.

CASES: list[tuple[str, str | None, str, int | None, str]] = [
    # (name, text appended to HEAD (or whole file if it starts with '!'), code, line, in message)
    ("unknown key", "wieght = 2\n", "E101", 19, "unknown key 'wieght' in promise 'p1'"),
    ("did you mean", "wieght = 2\n", "E101", 19, "did you mean 'weight'"),
    (
        "unknown top-level key",
        '\n[reprot]\ntitle = "x"\n',
        "E101",
        20,
        "unknown top-level key 'reprot'",
    ),
    ("missing title", '\n[[promises]]\nid = "p2"\n', "E102", 20, "promise 'p2' has no 'title'"),
    ("wrong type", 'weight = "heavy"\n', "E103", 19, "weight of promise 'p1' must be a number"),
    ("bad id", '\n[[promises]]\nid = "P 2"\ntitle = "x"\n', "E201", 21, "'P 2' is not a valid id"),
    (
        "duplicate id",
        '\n[[promises]]\nid = "p1"\ntitle = "again"\n',
        "E202",
        21,
        "duplicate promise id 'p1'",
    ),
    ("negative weight", "weight = -1\n", "E203", 19, "must be a finite number > 0"),
    ("zero weight", "weight = 0\n", "E203", 19, "must be a finite number > 0"),
    ("nan weight", "weight = nan\n", "E203", 19, "must be a finite number > 0"),
    ("inf weight", "weight = inf\n", "E203", 19, "must be a finite number > 0"),
    ("bad deadline", 'deadline = "soon"\n', "E206", 19, "not an ISO-8601 duration"),
    ("date-time", "made_on = 2021-01-01T10:00:00\n", "E103", 19, "must be a date"),
    (
        "bad choice",
        '\n[[evidence]]\nid = "e"\npromise = "p1"\ndate = 2021-02-01\nsummary = "s"\nsource = "x"\neffect = "helps"\n',
        "E207",
        26,
        "effect 'helps'",
    ),
    (
        "evidence unknown promise",
        '\n[[evidence]]\nid = "e"\npromise = "p9"\ndate = 2021-02-01\nsummary = "s"\nsource = "x"\n',
        "E301",
        22,
        "unknown promise 'p9'",
    ),
    (
        "evidence unknown criterion",
        '\n[[evidence]]\nid = "e"\npromise = "p1"\ncriterion = "c"\ndate = 2021-02-01\nsummary = "s"\nsource = "x"\n',
        "E302",
        23,
        "criterion 'c'",
    ),
    (
        "unknown evidence cited",
        '\n[[assessments]]\npromise = "p1"\ndate = 2021-02-01\nrating = "kept"\nevidence = ["nope"]\n',
        "E303",
        24,
        "unknown evidence 'nope'",
    ),
    ("unknown category", 'category = "cta"\n', "E105", None, "duplicate key"),
    (
        "unknown rating",
        '\n[[assessments]]\npromise = "p1"\ndate = 2021-02-01\nrating = "kep"\n',
        "E305",
        23,
        "did you mean 'kept'",
    ),
    (
        "criterion required",
        '\n[[promises]]\nid = "c1"\ntitle = "c"\ncriteria = [{ id = "a", title = "A" }]\n'
        '\n[[assessments]]\npromise = "c1"\ndate = 2021-02-01\nrating = "kept"\n',
        "E306",
        25,
        "must name one",
    ),
    (
        "criterion forbidden",
        '\n[[assessments]]\npromise = "p1"\ncriterion = "a"\ndate = 2021-02-01\nrating = "kept"\n',
        "E307",
        22,
        "must not name one",
    ),
    (
        "value on a level scale",
        '\n[[assessments]]\npromise = "p1"\ndate = 2021-02-01\nrating = "kept"\nvalue = 0.5\n',
        "E308",
        24,
        "only the 'percent' scale",
    ),
    (
        "target assessed",
        '\n[[promises]]\nid = "t"\ntitle = "t"\ntarget = { metric = "m", baseline = 0, target = 10 }\n'
        '\n[[assessments]]\npromise = "t"\ndate = 2021-02-01\nrating = "kept"\n',
        "E309",
        25,
        "cannot be assessed",
    ),
    (
        "criteria and target",
        '\n[[promises]]\nid = "both"\ntitle = "b"\ncriteria = [{ id = "a", title = "A" }]\n'
        'target = { metric = "m", baseline = 0, target = 10 }\n',
        "E211",
        24,
        "both criteria and a target",
    ),
    (
        "target equals baseline",
        '\n[[promises]]\nid = "t"\ntitle = "t"\ntarget = { metric = "m", baseline = 5, target = 5 }\n',
        "E210",
        23,
        "target equals baseline",
    ),
    ("end-of-term without end", None, "E206", 18, "has no end"),  # special-cased below
    ("unknown preset", None, "E208", 9, "did you mean 'politifact'"),
    ("decreasing levels", None, "E208", 9, "less than the level before it"),
    (
        "mean without percent",
        '\n[grading]\nconsensus = "mean"\n',
        "E209",
        21,
        "consensus 'mean' needs the 'percent' scale",
    ),
    ("late unknown level", '\n[grading]\nlate = "kep"\n', "E305", 21, "grading.late 'kep'"),
    (
        "bands out of order",
        '\n[grading]\nbands = [{ grade = "A", min = 0.5 }, { grade = "B", min = 0.8 }]\n',
        "E209",
        21,
        "not below the band before it",
    ),
    ("format missing", None, "E008", None, "`format` is missing"),
    ("format 2", None, "E008", 1, "unsupported format 2"),
    ("toml syntax", "weight = = 1\n", "E003", 19, "TOML syntax error"),
    ("toml duplicate key", 'title = "again"\n', "E105", 19, "duplicate key"),
    ("include in included file", None, "E104", 1, "not allowed in an included file"),
    ("report end before start", None, "E212", 6, "before its start"),
]


def _special(name: str) -> str | None:
    if name == "end-of-term without end":
        return HEAD.replace("end = 2024-12-31\n", "") + 'deadline = "end-of-term"\n'
    if name == "unknown preset":
        return HEAD.replace('preset = "politifact"', 'preset = "politifcat"')
    if name == "decreasing levels":
        return HEAD.replace(
            'preset = "politifact"',
            'levels = [{ id = "hi", label = "Hi", value = 1 }, { id = "lo", label = "Lo", value = 0 }]',
        )
    if name == "format missing":
        return HEAD.replace("format = 1\n", "")
    if name == "format 2":
        return HEAD.replace("format = 1", "format = 2")
    if name == "report end before start":
        return HEAD.replace("end = 2024-12-31", "end = 2020-12-31")
    return None


@pytest.mark.parametrize(
    ("name", "extra", "code", "line", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_rule(
    name: str, extra: str | None, code: str, line: int | None, message: str, tmp_path: Path
) -> None:
    if name == "unknown category":  # (a key given twice is a TOML error before any reference check)
        text = HEAD.replace('category = "cat"', 'category = "cta"')
        code, line, message = "E304", 18, "unknown category 'cta' — did you mean 'cat'?"
    elif name == "include in included file":
        (tmp_path / "part.toml").write_text('[report]\ntitle = "x"\nstart = 2021-01-01\n')
        text = HEAD.replace("format = 1\n", 'format = 1\ninclude = ["part.toml"]\n')
    else:
        text = _special(name) or HEAD + (extra or "")
    path = tmp_path / "rubric.toml"
    path.write_text(text, encoding="utf-8")
    result = promisescore.check(path)
    matching = [p for p in result.problems if p.code == code]
    assert matching, [p.format() for p in result.problems]
    problem = matching[0]
    assert message in problem.format()
    if name == "include in included file":
        assert problem.file is not None
        assert problem.file.endswith("part.toml")
    else:
        assert problem.file == str(path)
    assert problem.line == line
    # the CLI: stable one-line format on stdout, exit 1, no traceback
    run = CliRunner().invoke(main, ["check", str(path)])
    assert run.exit_code == 1, run.output
    where = f"{problem.file}:{line}: {code}" if line else f"{problem.file}: {code}"
    assert where in run.output
    assert "Traceback" not in run.output


def test_one_run_reports_every_problem(tmp_path: Path) -> None:
    text = (
        HEAD
        + "wieght = 2\nweight = -1\n"
        + (
            '\n[[evidence]]\nid = "e"\npromise = "p9"\ndate = 2021-02-01\nsummary = "s"\n'
            'source = { title = "t", kind = "reprot" }\n'
            '\n[[assessments]]\npromise = "p1"\ndate = 2021-02-01\nrating = "kep"\nevidence = ["x"]\n'
        )
    )
    path = tmp_path / "r.toml"
    path.write_text(text)
    codes = [p.code for p in promisescore.check(path).problems]
    assert codes == ["E101", "E203", "E301", "E207", "E305", "E303"]


def test_problem_carries_object_id_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(HEAD + "wieght = 2\n")
    problem = promisescore.check(path).errors[0]
    assert problem.object_kind == "promise"
    assert problem.object_id == "p1"
    assert problem.hint == "did you mean 'weight'?"
    assert problem.path == ("promises", 0, "wieght")


# --------------------------------------------------------------------------- warnings (§3)


WARN = (
    HEAD
    + """made_on = 2021-03-01

[[promises]]
id = "p2"
title = "Second"

[[evidence]]
id = "e1"
promise = "p2"
date = 2021-02-01
summary = "A claim"
source = { title = "Press release", kind = "claim" }

[[evidence]]
id = "e2"
promise = "p2"
date = 2025-06-01
summary = "After the term"
source = { title = "Record", kind = "record" }

[[assessments]]
promise = "p1"
date = 2021-02-01
rating = "in-the-works"

[[assessments]]
promise = "p2"
date = 2021-02-02
rating = "kept"
evidence = ["e1"]
"""
)


def test_warnings(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(WARN)
    result = promisescore.check(path)
    assert result.ok
    found = {(p.code, p.line) for p in result.warnings}
    lines = WARN.splitlines()

    def line_of(text: str, after: int = 0) -> int:
        return next(i for i, line in enumerate(lines, 1) if i > after and line == text)

    first_assessment = line_of("[[assessments]]")
    assert ("W101", line_of("[[promises]]")) in found  # p1 has no evidence
    assert ("W102", first_assessment) in found  # assessment of p1 cites nothing
    assert ("W104", line_of("date = 2021-02-01", first_assessment)) in found  # before made_on
    assert ("W105", line_of("date = 2025-06-01")) in found  # evidence after report.end
    # p2 is kept citing only a claim — but e2 (a record) is attached: no W103
    assert not any(p.code == "W103" for p in result.warnings)
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0
    strict = runner.invoke(main, ["check", "--strict", str(path)])
    assert strict.exit_code == 1
    assert "strict: warnings fail the check" in strict.output


def test_kept_on_claims_only_warns(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(WARN.replace('kind = "record"', 'kind = "advocacy"'))
    w103 = [p for p in promisescore.check(path).warnings if p.code == "W103"]
    assert len(w103) == 1
    assert "'p2'" in w103[0].message


# --------------------------------------------------------------------------- files


def test_missing_file_is_usage_error(tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["check", str(tmp_path / "nope.toml")])
    assert run.exit_code == 2
    assert "no such file" in run.output
    with pytest.raises(promisescore.InputFileError):
        promisescore.load(tmp_path / "nope.toml")


def test_directory_and_unknown_suffix_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "d.toml").mkdir()
    runner = CliRunner()
    run = runner.invoke(main, ["check", str(tmp_path / "d.toml")])
    assert run.exit_code == 2
    assert "directory" in run.output
    other = tmp_path / "r.yaml"
    other.write_text("x: 1")
    run = runner.invoke(main, ["score", str(other)])
    assert run.exit_code == 2
    assert "use .toml or .json" in run.output


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        (b"", "E008", None),
        (b'format = 1\ntitle = "\xff\xfe"\n', "E002", 2),
        (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "E009", None),
    ],
    ids=["empty", "invalid-utf8", "deeply-nested"],
)
def test_hostile_files_exit_1_without_traceback(
    content: bytes, code: str, line: int | None, tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    result = promisescore.check(path)
    assert code in [p.code for p in result.errors]
    assert next(p for p in result.errors if p.code == code).line == line
    run = CliRunner().invoke(main, ["check", str(path)])
    assert run.exit_code == 1
    assert "Traceback" not in run.output


def test_json_rubric_lines_and_duplicate_keys(tmp_path: Path) -> None:
    data = {
        "format": 1,
        "report": {"title": "T", "start": "2021-01-01"},
        "scale": {"preset": "politifact"},
        "promises": [{"id": "p1", "title": "P"}, {"id": "p2", "title": "Q", "weight": -2}],
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data, indent=2))
    problem = promisescore.check(path).errors[0]
    assert problem.code == "E203"
    assert path.read_text().splitlines()[problem.line - 1].strip() == '"weight": -2'  # type: ignore[operator]
    path.write_text('{"format": 1,\n "format": 1}')
    problem = promisescore.check(path).errors[0]
    assert (problem.code, problem.line) == ("E105", 2)
    path.write_text('{"format": 1, "report": {"title": "T", "start": "2021-13-01"}}')
    assert "E205" in [p.code for p in promisescore.check(path).errors]


# --------------------------------------------------------------------------- include


def _split(tmp_path: Path, include: str) -> Path:
    root = tmp_path / "root.toml"
    root.write_text(HEAD.replace("format = 1\n", f"format = 1\ninclude = {include}\n"))
    return root


def test_include_globs_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "ev").mkdir()
    for n in (2, 1):
        (tmp_path / "ev" / f"{n}.toml").write_text(
            f'[[evidence]]\nid = "e{n}"\npromise = "p1"\ndate = 2021-02-0{n}\nsummary = "s"\nsource = "x"\n'
        )
    rubric = promisescore.load(_split(tmp_path, '["ev/*.toml"]'))
    assert [e.id for e in rubric.evidence] == ["e1", "e2"]  # sorted, deterministic


def test_include_problems_are_located_in_the_included_file(tmp_path: Path) -> None:
    (tmp_path / "part.toml").write_text('\n\n[[promises]]\nid = "p2"\ntitle = "x"\nweight = 0\n')
    result = promisescore.check(_split(tmp_path, '["part.toml"]'))
    problem = result.errors[0]
    assert problem.file == str(tmp_path / "part.toml")
    assert problem.line == 6


def test_include_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('include = ["b.toml"]\n')
    (tmp_path / "b.toml").write_text('include = ["a.toml"]\n')
    result = promisescore.check(_split(tmp_path, '["a.toml"]'))
    cycle = [p for p in result.errors if p.code == "E007"]
    assert cycle
    assert "a.toml -> " in cycle[0].message


def test_include_missing_and_escaping(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "outside.toml").write_text("")
    root = inner / "root.toml"
    root.write_text(
        HEAD.replace(
            "format = 1\n",
            'format = 1\ninclude = ["../outside.toml", "gone.toml", "none/*.toml"]\n',
        )
    )
    codes = [p.code for p in promisescore.check(root).errors]
    assert codes.count("E006") == 1
    assert codes.count("E005") == 2


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_include_symlink_escaping_the_tree(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "secret.toml").write_text("")
    (inner / "link.toml").symlink_to(tmp_path / "secret.toml")
    root = inner / "root.toml"
    root.write_text(HEAD.replace("format = 1\n", 'format = 1\ninclude = ["link.toml"]\n'))
    problem = promisescore.check(root).errors[0]
    assert problem.code == "E006"
    assert "symbolic link" in problem.message


def test_model_invariants_hold_in_code() -> None:
    with pytest.raises(promisescore.RubricError) as info:
        promisescore.Promise(id="Bad Id", title="", weight=-1)
    codes = sorted(p.code for p in info.value.problems)
    assert codes == ["E102", "E201", "E203"]
    report = promisescore.Report("T", start=promisescore.loads(HEAD).report.start)
    with pytest.raises(promisescore.RubricError) as info:
        promisescore.Rubric(
            report=report,
            scale=promisescore.Scale("politifact"),
            promises=[promisescore.Promise("p", "P", category="nope")],
        )
    assert info.value.problems[0].code == "E304"
