"""Fuzzing the loader: mutated TOML and JSON never escape as anything but ``RubricError``.

Hypothesis mutates valid rubric texts (byte flips, truncation, duplicated and dropped
lines, swapped values, spliced hostile tokens) and checks that ``loads``/``check_text``
either succeed or raise :class:`promisescore.RubricError`, and that the CLI exits 0 or 1
with no traceback. A longer, coverage-guided run with atheris lives in
``benchmarks/fuzz_atheris.py`` (not run in CI).
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.cli import main
from promisescore.loading.locate import JsonLocator, find_line, json_locator_for_file, line_index
from promisescore.renderers import render

from .strategies_fuzz import SEEDS, json_documents, mutated_text, paths_of, symlinked_trees

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def _check_library(text: str, syntax: str) -> None:
    try:
        result = promisescore.check_text(text, syntax)
    except promisescore.RubricError:  # pragma: no cover - check_text reports, never raises
        raise AssertionError("check_text raised instead of reporting") from None
    assert result.ok == (result.rubric is not None)
    for problem in result.problems:
        assert problem.code in promisescore.CODES
        assert problem.message
    try:
        rubric = promisescore.loads(text, syntax)
    except promisescore.RubricError as exc:
        error: promisescore.RubricError | None = exc
    else:
        error = None
    if error is not None:
        assert error.problems
        assert not result.ok
        return
    assert result.ok
    card = promisescore.score(rubric)
    assert render(card, "json").encode("utf-8")
    for fmt in ("text", "markdown", "summary"):
        out = render(card, fmt)
        out.encode("utf-8")  # never a lone surrogate (UnicodeEncodeError)
        assert not {"\x1b", "\x07", "\u202e", "\x9b"} & set(out), fmt
    badge = render(card, "badge")
    assert "onload" not in {a for e in ET.fromstring(badge).iter() for a in e.attrib}


@FUZZ
@given(mutated_text("toml"))
def test_mutated_toml_only_raises_rubric_error(text: str) -> None:
    _check_library(text, "toml")


@FUZZ
@given(mutated_text("json"))
def test_mutated_json_only_raises_rubric_error(text: str) -> None:
    _check_library(text, "json")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(syntax=st.sampled_from(["toml", "json"]), data=st.data())
def test_cli_on_mutated_files_exits_0_or_1(
    syntax: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = data.draw(mutated_text(syntax, as_bytes=True))
    path: Path = tmp_path_factory.mktemp("fuzz") / f"rubric.{syntax}"
    path.write_bytes(raw)
    runner = CliRunner()
    for args in (["check", str(path)], ["score", str(path), "--format", "json"]):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output


def test_seeds_are_valid() -> None:
    for syntax, text in SEEDS:
        assert promisescore.check_text(text, syntax).ok, syntax


@FUZZ
@given(text=json_documents(), data=st.data())
def test_targeted_json_locator_agrees_with_the_full_scan(text: str, data: st.DataObject) -> None:
    """``JsonLocator`` gives the line the full pure-Python scan gives, for every path,
    paths that go past the end and paths that lead nowhere, asked in any order."""
    full = line_index(text, "json")
    paths = paths_of(json.loads(text))
    extra = [(*p, k) for p in paths[:5] for k in ("nowhere", 99, 0)] + [("nowhere",), (0,)]
    asked = data.draw(st.permutations(paths + extra))
    chunk = data.draw(st.integers(1, 64))
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "doc.json"
        file.write_text(data.draw(st.sampled_from(["", "\ufeff"])) + text, encoding="utf-8")
        from_file = json_locator_for_file(file, chunk=chunk)  # read a chunk at a time
        assert from_file is not None
        for locator in (JsonLocator(text), from_file):
            for path in asked:
                assert locator.line(path) == find_line(full, path), path


class _FullScan(JsonLocator):
    def line(self, path: tuple[str | int, ...]) -> int | None:
        return find_line(line_index(self.text, "json"), path)


@FUZZ
@given(data=st.data())
def test_located_problems_are_the_same_with_the_targeted_locator(data: st.DataObject) -> None:
    """Every problem of a mutated JSON rubric has the same file:line either way."""
    structure = importlib.import_module("promisescore.loading.structure")
    text = data.draw(mutated_text("json"))
    targeted = promisescore.check_text(text, "json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(structure, "JsonLocator", _FullScan)
        full = promisescore.check_text(text, "json")
    assert targeted.problems == full.problems
    assert targeted.rubric == full.rubric


def _parsed(parse: Any, text: str) -> str:
    try:
        return repr(parse(text))
    except ValueError as exc:  # TOMLDecodeError, or a number over Python's digit limit
        return f"{type(exc).__name__}: {exc}"


def _plain(value: Any) -> Any:
    """``value`` with every offset date-time as its ISO text (rtoml's ``tzinfo`` class is
    its own; the instants are equal)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.isoformat()
    return value


@FUZZ
@given(text=mutated_text("toml"))
def test_rtoml_parses_what_tomllib_parses(text: str) -> None:
    """The one TOML parser (rtoml) gives tomllib's values, and tomllib words its errors."""
    files = importlib.import_module("promisescore.loading.files")
    assert _parsed(lambda t: _plain(files.toml_loads(t)), text) == _parsed(
        lambda t: _plain(tomllib.loads(t)), text
    )


def test_offset_times_are_equal_to_tomllib_s() -> None:
    files = importlib.import_module("promisescore.loading.files")
    stamped = files.toml_loads("t = 1979-05-27T07:32:00Z\n")
    assert stamped["t"] == datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.UTC)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(tree=symlinked_trees())
def test_symlinked_include_trees_end_quickly_and_clearly(
    tree: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Links to ``..``, loops and dangling links below an include glob: the check ends
    in seconds (no 2**40 paths), only with ``E…`` problems, and each once."""
    home = tmp_path_factory.mktemp("tree")
    for rel, content in tree.items():
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if content.startswith("-> "):
            os.symlink(content[3:], path)
        else:
            path.write_text(content, encoding="utf-8")
    started = time.monotonic()
    result = promisescore.check(home / "root.toml")
    assert time.monotonic() - started < 20
    assert all(p.code in promisescore.CODES for p in result.problems)
    formatted = [p.format() for p in result.problems]
    assert len(formatted) == len(set(formatted)), formatted
