"""Fuzzing the loader: mutated TOML and JSON never escape as anything but ``RubricError``.

Hypothesis mutates valid rubric texts (byte flips, truncation, duplicated and dropped
lines, swapped values, spliced hostile tokens) and checks that ``loads``/``check_text``
either succeed or raise :class:`promisescore.RubricError`, and that the CLI exits 0 or 1
with no traceback. A longer, coverage-guided run with atheris lives in
``benchmarks/fuzz_atheris.py`` (not run in CI).
"""

from __future__ import annotations

import importlib
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.cli import main
from promisescore.renderers import render

from .strategies_fuzz import SEEDS, mutated_text, symlinked_trees

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
@given(syntax=st.sampled_from(["toml", "json"]), data=st.data())
def test_fast_path_builds_what_the_full_path_builds(syntax: str, data: st.DataObject) -> None:
    """The loader's fast path for clean tables must agree with the full, checking path."""
    structure = importlib.import_module("promisescore.loading.structure")
    text = data.draw(mutated_text(syntax))
    fast = promisescore.check_text(text, syntax)
    saved = dict(structure._FAST)
    structure._FAST.clear()
    try:
        full = promisescore.check_text(text, syntax)
    finally:
        structure._FAST.update(saved)
    assert fast.problems == full.problems
    assert fast.rubric == full.rubric


def test_fast_path_on_bundled_rubrics() -> None:
    structure = importlib.import_module("promisescore.loading.structure")
    root = Path(__file__).resolve().parents[1] / "rubrics"
    for path in sorted(root.glob("*.toml")):
        fast = promisescore.check(path)
        saved = dict(structure._FAST)
        structure._FAST.clear()
        try:
            full = promisescore.check(path)
        finally:
            structure._FAST.update(saved)
        assert fast.problems == full.problems
        assert fast.rubric is not None
        assert fast.rubric == full.rubric


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
