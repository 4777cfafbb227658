"""The loader's fast path (``promisescore.loading.fast``): generated from the schema,
visible in tracebacks, and building exactly what the full path builds."""

from __future__ import annotations

import importlib
import linecache
import traceback
from datetime import date
from typing import Any

import attrs
import pytest

import promisescore
from promisescore.errors import RubricError
from promisescore.loading.fast import compile_kind, source_of
from promisescore.model import Evidence, Source
from promisescore.model.parts import EMPTY_META

structure = importlib.import_module("promisescore.loading.structure")

EVIDENCE = {
    "id": "e1",
    "promise": "p1",
    "date": "2021-02-03",
    "summary": "Bill passed",
    "source": {"title": "Register", "kind": "record"},
}


def _line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if line.strip() == text)


def test_a_traceback_through_the_fast_path_shows_its_source_line() -> None:
    class Exploding(dict[str, str]):
        def setdefault(self, key: str, default: Any = None) -> str:
            raise LookupError("boom")

    builder = structure.Builder()
    builder.names = Exploding()
    build = structure._FAST["evidence"]
    with pytest.raises(LookupError) as info:
        build(builder, dict(EVIDENCE))
    shown = "".join(traceback.format_exception(info.value))
    line = _line_of(source_of(build), "v = intern(v, v)")
    assert f'File "<promisescore fast path for evidence>", line {line}, in build' in shown
    assert "    v = intern(v, v)\n" in shown


def test_the_generated_source_survives_linecache_checkcache() -> None:
    build = structure._FAST["assessment"]
    filename = build.__code__.co_filename
    linecache.checkcache()
    source = source_of(build)
    assert source.startswith("def build(builder, raw):\n")
    for number, line in enumerate(source.splitlines(True), 1):
        assert linecache.getline(filename, number) == line


def test_the_fast_path_is_derived_from_the_schema_and_the_class() -> None:
    @attrs.frozen
    class Thing:
        id: str
        size: float = attrs.field(default=1.0, converter=float)
        tags: tuple[str, ...] = ()
        when: date | None = None

        def __attrs_post_init__(self) -> None:
            if self.size <= 0:
                raise RubricError([promisescore.Problem("E203", "size must be > 0")])

    schema = {
        "id": ("id", True),
        "size": ("number", False),
        "tags": ("strs", False),
        "when": ("date", False),
    }
    build = compile_kind("thing", schema, Thing, {})
    assert build is not None
    builder = structure.Builder()
    made = build(builder, {"id": "t1", "size": 2, "tags": ["a"], "when": "2020-01-02"})
    assert made == Thing("t1", 2.0, ("a",), date(2020, 1, 2))
    assert type(made.size) is float  # the converter ran, as __init__ would run it
    assert build(builder, {"id": "t2"}) == Thing("t2")
    assert build(builder, {"id": "t3", "colour": "red"}) is None  # unknown key
    assert build(builder, {"size": 2}) is None  # required key missing
    assert build(builder, {"id": "t4", "size": "big"}) is None  # wrong type
    assert build(builder, {"id": "t5", "when": "2020-13-01"}) is None  # bad date
    with pytest.raises(RubricError):  # the class's own checks still run
        build(builder, {"id": "t6", "size": -1})
    # a schema key the class has no field for: no fast path, always the full path
    assert compile_kind("thing", {**schema, "colour": ("str", False)}, Thing, {}) is None


def test_the_fast_path_fills_slots_as_init_would() -> None:
    builder = structure.Builder()
    made = structure._FAST["evidence"](builder, {**EVIDENCE, "value": 3})
    expected = Evidence(
        "e1",
        "p1",
        date(2021, 2, 3),
        "Bill passed",
        Source("Register", kind="record"),
        value=3,
    )
    assert made == expected
    assert type(made.value) is float
    assert made.meta is EMPTY_META
    assert {attrs.fields(Evidence).effect.name: made.effect} == {"effect": "advances"}


def test_unclean_tables_leave_the_fast_path() -> None:
    builder = structure.Builder()
    build = structure._FAST["evidence"]
    assert build(builder, {**EVIDENCE, "effect": 1}) is None
    assert build(builder, {**EVIDENCE, "value": 10**400}) is None  # too large for a float
    assert build(builder, {**EVIDENCE, "source": 1}) is None
    assert build(builder, {**EVIDENCE, "source": {"title": "x", "colour": 1}}) is None
    with pytest.raises(RubricError):  # the model's own checks (an invalid id)
        build(builder, {**EVIDENCE, "id": "Not An Id"})
