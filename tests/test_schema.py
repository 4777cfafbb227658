"""The JSON Schema of rubric files: bundled rubrics validate, broken ones do not, and
the schema cannot drift from the loader's key tables."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import promisescore
from promisescore.cli import main
from promisescore.loading.structure import SCHEMAS, TOP_LEVEL_KEYS
from promisescore.schema import schema, schema_text
from promisescore.starter import SCALES, starter_rubric

REPO = Path(__file__).resolve().parents[1]
RUBRIC_FILES = sorted((REPO / "rubrics").rglob("*.toml"))
DOCS_COPY = REPO / "docs" / "reference" / "rubric.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def iso_dates(value: Any) -> Any:
    """TOML data as JSON sees it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_bundled_toml_files_validate(validator: Draft202012Validator, path: Path) -> None:
    data = iso_dates(tomllib.loads(path.read_text(encoding="utf-8")))
    assert errors(validator, data) == []


@pytest.mark.parametrize("path", [p for p in RUBRIC_FILES if p.parent.name == "rubrics"])
def test_bundled_json_dumps_validate(validator: Draft202012Validator, path: Path) -> None:
    text = promisescore.dumps(promisescore.load(path), "json")
    assert errors(validator, json.loads(text)) == []


@pytest.mark.parametrize("scale", SCALES)
def test_starter_rubrics_validate(validator: Draft202012Validator, scale: str) -> None:
    assert errors(validator, iso_dates(tomllib.loads(starter_rubric(scale)))) == []


BASE: dict[str, Any] = {
    "format": 1,
    "report": {"title": "T", "start": "2021-01-20"},
    "scale": {"preset": "politifact"},
    "promises": [{"id": "a", "title": "A"}],
}


def variant(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data: Any = json.loads(json.dumps(BASE))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    result: dict[str, Any] = data
    return result


_DELETE = object()

INVALID = {
    "unknown top-level key": (("promisses",), []),
    "format 2": (("format",), 2),
    "no report": (("report",), _DELETE),
    "no title": (("report", "title"), _DELETE),
    "blank title": (("report", "title"), "  "),
    "bad date": (("report", "start"), "2021-02-30"),
    "date not a string": (("report", "start"), 20210120),
    "unknown preset": (("scale", "preset"), "politifacts"),
    "preset and levels": (("scale", "levels"), [{"id": "x", "value": 1}]),
    "bad id": (("promises", 0, "id"), "Bad Id"),
    "unknown promise key": (("promises", 0, "wieght"), 2),
    "zero weight": (("promises", 0, "weight"), 0),
    "bad deadline": (("promises", 0, "deadline"), "P1X"),
    "empty duration": (("promises", 0, "deadline"), "P"),
    "criteria and target": (
        ("promises", 0),
        {
            "id": "a",
            "title": "A",
            "criteria": [{"id": "c", "title": "C"}],
            "target": {"metric": "m", "baseline": 0, "target": 1},
        },
    ),
    "bad source kind": (("promises", 0, "source"), {"title": "S", "kind": "blog"}),
    "grading consensus": (("grading",), {"consensus": "average"}),
    "band min > 1": (("grading",), {"bands": [{"grade": "A", "min": 1.5}]}),
    "level value and unrated": (
        ("scale",),
        {"levels": [{"id": "x", "value": 0.5, "unrated": True}]},
    ),
    "level without value": (("scale",), {"levels": [{"id": "x"}]}),
    "unrated final level": (
        ("scale",),
        {"levels": [{"id": "x", "unrated": True, "final": True}, {"id": "y", "value": 1}]},
    ),
    "evidence effect": (
        ("evidence",),
        [
            {
                "id": "e",
                "promise": "a",
                "date": "2021-02-01",
                "summary": "s",
                "source": "S",
                "effect": "helps",
            }
        ],
    ),
    "evidence without source": (
        ("evidence",),
        [{"id": "e", "promise": "a", "date": "2021-02-01", "summary": "s"}],
    ),
    "assessment value > 1": (
        ("assessments",),
        [{"promise": "a", "date": "2021-02-01", "value": 1.5}],
    ),
    "assessment evidence not a list": (
        ("assessments",),
        [{"promise": "a", "date": "2021-02-01", "rating": "kept", "evidence": "e"}],
    ),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_files_do_not_validate(validator: Draft202012Validator, case: str) -> None:
    path, value = INVALID[case]
    assert errors(validator, BASE) == []
    assert errors(validator, variant(path, value)) != []


def test_included_files(validator: Draft202012Validator) -> None:
    assert errors(validator, {"promises": [{"id": "a", "title": "A"}]}) == []
    assert errors(validator, {"include": "more/*.toml"}) == []
    assert errors(validator, {"report": {"title": "T", "start": "2021-01-20"}}) != []
    assert errors(validator, {"meta": {}}) != []  # meta only in the rubric file itself


def test_meta_is_free_form(validator: Draft202012Validator) -> None:
    data = variant(("promises", 0, "meta"), {"anything": [1, {"x": None}]})
    assert errors(validator, data) == []


# --------------------------------------------------------------------------- no drift


def _object_schema(kind: str) -> dict[str, Any]:
    node: dict[str, Any] = schema()["$defs"][kind]
    if kind == "source":
        node = next(branch for branch in node["anyOf"] if branch.get("type") == "object")
    return node


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_property_names_match_the_loader(kind: str) -> None:
    node = _object_schema(kind)
    assert list(node["properties"]) == list(SCHEMAS[kind])
    required = [key for key, (_, needed) in SCHEMAS[kind].items() if needed]
    assert node.get("required", []) == required
    assert node["additionalProperties"] is False


def test_top_level_keys_match_the_loader() -> None:
    assert set(schema()["properties"]) == set(TOP_LEVEL_KEYS)


def test_docs_copy_is_current() -> None:
    assert DOCS_COPY.read_text(encoding="utf-8") == schema_text(), (
        "regenerate it: promisescore schema -o docs/reference/rubric.schema.json"
    )


def test_schema_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    out = tmp_path / "s.json"
    written = runner.invoke(main, ["schema", "-o", str(out)])
    assert written.exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout
