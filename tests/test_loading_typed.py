"""JSON decoded straight into model objects (``promisescore.loading.typed``): taken for
clean files, left for the standard path whenever anything is unusual, and always
giving the standard path's rubric and problems (same codes, messages, file:line)."""

from __future__ import annotations

import importlib
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore

from .strategies_fuzz import SEED_JSON, SEED_TOML, _jsonable

typed = importlib.import_module("promisescore.loading.typed")
structure = importlib.import_module("promisescore.loading.structure")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def standard_only() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        patch.setattr(structure, "_FAST", {})
        yield


def _both(text: str) -> tuple[promisescore.CheckResult, promisescore.CheckResult]:
    fast = promisescore.check_text(text, "json", name="r.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        patch.setattr(structure, "_FAST", {})
        full = promisescore.check_text(text, "json", name="r.json")
    return fast, full


def _same(text: str) -> promisescore.CheckResult:
    fast, full = _both(text)
    assert fast.problems == full.problems
    assert fast.rubric == full.rubric
    return fast


def _bundled() -> list[str]:
    texts = []
    for path in sorted((ROOT / "rubrics").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        data.pop("include", None)
        texts.append(json.dumps(_jsonable(data)))
    return texts


def test_clean_files_take_the_typed_path() -> None:
    for text in [SEED_JSON, *_bundled()]:
        data = typed.decode(text)
        assert data is not None
        assert type(data["promises"]) is typed.Prebuilt
        assert all(type(p) is promisescore.Promise for p in data["promises"])
        assert _same(text).ok


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"id": "p1",', '"id": "p1", "id": "p1",'),  # a duplicate key in a promise
        ('"id": "p1",', '"id" : "p1", "id": "p2",'),  # ... hidden by a spaced colon
        ('"title": "Speech"', '"title": "Speech", "title": "Speech"'),  # in a source
        ('"summary": "', '"summary": "a\\u003a", "summary": "'),  # escaped colon
        ('"summary": "', '"summary": "\\":", "summary": "'),  # an escaped quote and colon
        ('"summary": "', '"summary": "x\\\\", "summary": "'),  # an escaped backslash
        ('"format": 1', '"format": 1, "format": 1'),  # at the top level
        ('"subject": "Someone"', '"subject": "Someone", "subject": "S"'),  # in a raw part
    ],
)
def test_duplicate_keys_are_reported_as_before(old: str, new: str) -> None:
    text = SEED_JSON.replace("\n", " ").replace(old, new, 1)
    assert new in text
    assert typed.decode(text) is None
    result = _same(text)
    assert [p.code for p in result.problems] == ["E105"]
    assert result.problems[0].line == 1


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('"weight": 1.5', '"weight": NaN', "E003"),
        ('"weight": 1.5', '"weight": Infinity', "E003"),
        ('"weight": 1.5', '"weight": 1' + "0" * 400, "E011"),
        ('"weight": 1.5', '"weight": 1' + "0" * 5000, "E011"),
        ('"weight": 1.5', '"weight": 1e400', None),
        ('"weight": 1.5', '"weight": true', "E103"),
        ('"weight": 1.5', '"weight": -1', "E203"),
        ('"title": "Plain promise"', '"title": "\\ud800"', "E012"),
        ('"title": "Plain promise"', '"title": "\\ud83d\\ude00"', None),
        ('"title": "Plain promise"', '"title": "\ud800"', "E012"),  # a code point (loads)
        ('"tags": [', '"meta": {"k": "\\udc00"}, "tags": [', "E012"),
        ('"subject": "Someone"', '"subject": "\\ud800"', "E012"),  # in a raw part
        ('"title": "Plain promise"', '"titel": "Plain promise"', "E101"),
        ('"id": "p1"', '"id": "P 1"', "E201"),
        ('"tags": [', '"meta": {"a": NaN}, "tags": [', "E003"),
        ('"tags": [', '"meta": {"a": 1, "a": 2}, "tags": [', "E105"),
        ('"tags": [', '"meta": [1], "tags": [', "E103"),
        ('"tags": [', '"meta": ' + "[" * 3000 + "]" * 3000 + ", " + '"tags": [', None),
        ('"format": 1', '"format": 1, "colour": 1', "E101"),
    ],
)
def test_unusual_values_are_reported_as_before(old: str, new: str, code: str | None) -> None:
    text = SEED_JSON.replace(old, new, 1)
    assert new in text
    result = _same(text)
    if code is not None:
        assert code in {p.code for p in result.problems}


def test_included_files_report_misplaced_keys_in_file_order(tmp_path: Path) -> None:
    part = {"promises": [{"id": "q1", "title": "Q"}], "scale": {}, "report": {}}
    (tmp_path / "part.json").write_text(json.dumps(part), encoding="utf-8")
    root = json.loads(SEED_JSON)
    root["include"] = ["part.json"]
    (tmp_path / "root.json").write_text(json.dumps(root), encoding="utf-8")
    fast = promisescore.check(tmp_path / "root.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        full = promisescore.check(tmp_path / "root.json")
    assert fast.problems == full.problems
    assert [p.code for p in fast.problems if p.is_error] == ["E104", "E104"]


def test_a_big_clean_file_is_built_with_its_positions(tmp_path: Path) -> None:
    data = json.loads(SEED_JSON)
    promises = data["promises"]
    data["promises"] = [{**promises[0], "id": f"p{i}"} for i in range(50)] + promises[1:]
    data["evidence"] = [{**e, "id": f"e{i}-{e['id']}"} for i in range(3) for e in data["evidence"]]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    fast = promisescore.check(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        patch.setattr(structure, "_FAST", {})
        full = promisescore.check(path)
    assert fast.problems == full.problems
    assert fast.rubric == full.rubric
    assert fast.problems  # the copies raise warnings, located as before
    assert all(p.line is not None for p in fast.problems)


_KEYS = st.sampled_from(["id", "title", "summary", "promise", "meta", "by", "kind", "x"])
_VALUES = st.one_of(
    st.text(alphabet=':"\\ ab\u00e9\t', max_size=6),
    st.integers(-3, 3),
    st.sampled_from(["p1", "c1", "2021-02-30", "2021-03-01", "P1D"]),
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_typed_decoding_agrees_with_the_standard_path(data: st.DataObject) -> None:
    """Random keys and values (colons, quotes and backslashes in strings, duplicate
    keys, spaced colons) spliced into the seed's objects: the same problems and rubric
    either way."""
    text = SEED_JSON
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.sampled_from([i + 1 for i, c in enumerate(text) if c == "{"]))
        key = json.dumps(data.draw(_KEYS))
        value: Any = json.dumps(data.draw(_VALUES), ensure_ascii=data.draw(st.booleans()))
        colon = data.draw(st.sampled_from([":", " :", ": ", "\n:"]))
        text = f"{text[:at]}{key}{colon}{value},{text[at:]}"
    _same(text)


def test_seed_toml_is_left_to_the_toml_parser() -> None:
    data, problems = typed.parse(SEED_TOML, "toml", "r.toml", False)
    assert problems == []
    assert data is not None
    assert type(data["promises"]) is list


def test_msgspec_is_imported_only_when_a_rubric_is_loaded() -> None:
    """Start-up stays cheap: ``promisescore --version`` imports neither msgspec nor the
    typed decoder; loading a JSON rubric does."""
    import subprocess
    import sys

    code = (
        "import sys; from promisescore.cli import main\n"
        "assert 'msgspec' not in sys.modules, 'imported at start-up'\n"
        "assert 'promisescore.loading.typed' not in sys.modules, 'imported at start-up'\n"
        "import promisescore\n"
        f"promisescore.loads({SEED_JSON!r}, 'json')\n"
        "assert 'msgspec' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_typed_decoding_follows_the_schema() -> None:
    """Generated from ``SCHEMAS`` when first used, and again when it changes: a key the
    model class has no field for leaves every file to the standard path, which then
    reports it; once the schema is back, the typed decoding is back."""
    text = SEED_JSON.replace('"summary": "Signed"', '"summary": "Signed", "tone": "dry"')
    with pytest.MonkeyPatch.context() as patch:
        schema = {**structure.SCHEMAS["evidence"], "tone": ("str", False)}
        patch.setitem(structure.SCHEMAS, "evidence", schema)
        assert typed.decode(SEED_JSON) is None
        assert typed.decode(text) is None
    assert typed.decode(SEED_JSON) is not None
    assert [p.code for p in promisescore.check_text(text, "json").problems] == ["E101"]
