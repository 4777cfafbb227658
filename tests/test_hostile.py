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
from pathlib import Path

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
