"""The field table (promisescore.fields): one place per key, everything derived from it."""

from __future__ import annotations

import importlib
import json
import tomllib
import warnings
from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import promisescore
from promisescore import fields, spreadsheets
from promisescore.errors import RubricError
from promisescore.fields import CLASSES, FieldSpec, field, field_table, keys
from promisescore.model import (
    Assessment,
    Assessor,
    Category,
    Criterion,
    Evidence,
    GradeBand,
    Grading,
    Level,
    Promise,
    Report,
    Scale,
    Source,
    Target,
)
from promisescore.model.parts import FACTS, PRESET_NAMES, field_facts
from promisescore.schema import schema
from promisescore.serialize import dumps
from promisescore.spreadsheets import (
    CsvText,
    ImportOptions,
    ReportInfo,
    export_tables,
    import_tables,
)

structure = importlib.import_module("promisescore.loading.structure")

RUBRIC = """\
format = 1

[report]
title = "T"
start = 2024-01-01

[scale]
preset = "politifact"

[[promises]]
id = "p1"
title = "A promise"

[[evidence]]
id = "e1"
promise = "p1"
date = 2024-02-01
summary = "It happened."
source = "Gazette"
{extra}
"""


# --------------------------------------------------------------------------- the table


def test_every_kind_has_a_table_and_every_attribute_is_in_it() -> None:
    for kind, cls in CLASSES.items():
        table = field_table(kind)
        assert table, kind
        attributes = {spec.attribute for spec in table if spec.attribute is not None}
        keyed = {a.name for a in attrs.fields(cls) if FACTS in a.metadata}
        assert attributes == keyed
        assert len({spec.key for spec in table}) == len(table), f"{kind}: a key twice"
        assert len(set(table)) == len(table)  # specs are hashable


def test_facts_of_some_keys() -> None:
    effect = field("evidence", "effect")
    assert (effect.tag, effect.required, effect.default) == ("str", False, "advances")
    assert effect.choices == ("advances", "regresses", "neutral")
    assert field("evidence", "source").required
    assert field("assessment", "effective").since == "1.1"
    assert field("level", "unrated").attribute is None  # a file-only key
    assert field("level", "label").required is False  # defaults to the id in a file
    assert field("promise", "target").sub_kind == "target"
    assert keys("assessment")[:4] == ("promise", "criterion", "by", "date")
    with pytest.raises(KeyError):
        field("evidence", "nope")
    with pytest.raises(KeyError):
        field_table("nope")


def test_preset_choices_are_the_presets() -> None:
    from promisescore.scales import PRESETS

    assert field("scale", "preset").choices == tuple(PRESETS)


def test_loader_schemas_are_the_table() -> None:
    for kind in CLASSES:
        assert structure.SCHEMAS[kind] == {
            spec.key: (spec.tag, spec.required) for spec in field_table(kind)
        }
    assert structure.TOP_LEVEL_KEYS is fields.TOP_LEVEL_KEYS


def test_publisher_lives_once() -> None:
    """The keys of a source are spelled once, in the model: the loader's message, the
    JSON Schema and the CSV columns list them from the table."""
    message = structure._TYPE_NAMES["source"]
    assert message == (
        "a citation string or a table {title, url, publisher, date, kind, archive, "
        "archived_on, sha256}"
    )
    assert "source_publisher" in dict(spreadsheets.COLUMNS["evidence"])


# --------------------------------------------------------------------------- a new field


@attrs.frozen
class EvidenceWithLanguage(Evidence):
    """``Evidence`` with one more key, declared the one way a key is declared."""

    language: str | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts("str", "The language of the quote.", after="quote"),
    )


@pytest.fixture
def with_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The field table with ``Evidence.language``, restored afterwards.

    The table is read from the model class of each kind (``fields.CLASSES``), so the
    demonstration swaps in a subclass of ``Evidence`` that declares the new field as
    ``model.py`` would. What is derived at import time is derived again from the new
    table by the same public functions (``structure.schemas()``, ``spreadsheets.columns()``)
    — the derivation is what is tested; nothing names ``language`` but the class above.
    """
    monkeypatch.setitem(CLASSES, "evidence", EvidenceWithLanguage)
    fields.refresh()
    monkeypatch.setitem(structure.SCHEMAS, "evidence", structure.schemas()["evidence"])
    for kind in list(spreadsheets.COLUMNS):  # one dict, shared by the package's modules
        monkeypatch.setitem(spreadsheets.COLUMNS, kind, spreadsheets.columns(kind))
    yield
    monkeypatch.undo()
    fields.refresh()


def _load(extra: str) -> promisescore.Rubric:
    return promisescore.loads(RUBRIC.format(extra=extra))


def test_without_the_field_the_key_is_unknown() -> None:
    with pytest.raises(RubricError) as caught:
        _load('language = "fr"')
    assert [p.code for p in caught.value.problems] == ["E101"]
    assert "unknown key 'language'" in caught.value.problems[0].message
    assert "language" not in schema()["$defs"]["evidence"]["properties"]
    assert "language" not in dict(spreadsheets.COLUMNS["evidence"])


@pytest.mark.usefixtures("with_language")
def test_a_new_field_flows_everywhere() -> None:
    spec = field("evidence", "language")
    assert spec == FieldSpec(
        kind="evidence",
        key="language",
        attribute="language",
        tag="str",
        required=False,
        default=None,
        choices=None,
        doc="The language of the quote.",
    )
    assert keys("evidence").index("language") == keys("evidence").index("quote") + 1

    # the JSON Schema
    node = schema()["$defs"]["evidence"]["properties"]["language"]
    assert node == {"type": "string", "description": "The language of the quote."}
    data = tomllib.loads(RUBRIC.format(extra='language = "fr"'))
    data["evidence"][0]["date"] = "2024-02-01"
    data["report"]["start"] = "2024-01-01"
    validator = Draft202012Validator(schema())
    assert not list(validator.iter_errors(data))
    data["evidence"][0]["language"] = 3
    assert list(validator.iter_errors(data))

    # the loader: accepted, and a wrong type is E103
    rubric = _load('language = "fr"')
    item = rubric.evidence[0]
    assert isinstance(item, EvidenceWithLanguage)
    assert item.language == "fr"
    with pytest.raises(RubricError) as caught:
        _load("language = 3")
    assert [p.code for p in caught.value.problems] == ["E103"]
    assert caught.value.problems[0].message == (
        "language of evidence 'e1' must be a string, not a number"
    )

    # the writer: TOML and JSON, after quote, and back to an equal rubric
    toml_text = dumps(rubric, "toml")
    assert 'source = "Gazette"\nlanguage = "fr"\n' in toml_text
    assert promisescore.loads(toml_text) == rubric
    json_data: dict[str, Any] = json.loads(dumps(rubric, "json"))
    assert json_data["evidence"][0]["language"] == "fr"
    assert promisescore.loads(dumps(rubric, "json"), "json") == rubric

    # the CSV columns: export writes it, import reads it back
    tables = export_tables(rubric)
    header, row = tables["evidence.csv"].splitlines()[:2]
    assert "language" in header.split(",")
    assert row.split(",")[header.split(",").index("language")] == "fr"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = import_tables(
            CsvText("promises.csv", tables["promises.csv"]),
            CsvText("evidence.csv", tables["evidence.csv"]),
            options=ImportOptions(scale="politifact", report=ReportInfo("T", rubric.report.start)),
        )
    assert isinstance(back.evidence[0], EvidenceWithLanguage)
    assert back.evidence[0].language == "fr"
    assert back.evidence == rubric.evidence

    # `promisescore add` gets an option for it, `fmt` puts it after quote
    from promisescore.edit import fields as add_fields
    from promisescore.fmt import format_text

    assert "language" in [option.key for option in add_fields("evidence")]
    shuffled = RUBRIC.format(extra='language = "fr"\nquote = "Q"')
    assert 'quote = "Q"\nlanguage = "fr"\n' in format_text(shuffled)


def test_the_table_is_restored_after_the_demonstration() -> None:
    assert CLASSES["evidence"] is Evidence
    assert "language" not in keys("evidence")
    assert type(_load("").evidence[0]) is Evidence
    assert Source("x").title == "x"


# --------------------------------------------------------------------------- model checks

DAY = date(2024, 1, 1)

#: A valid object of every kind.
SAMPLES: dict[str, Any] = {
    "report": Report("T", DAY),
    "scale": Scale("politifact"),
    "level": Level("a", "A", 0.5),
    "grading": Grading(),
    "assessor": Assessor("a", "A", "independent"),
    "band": GradeBand("A", 0.9),
    "category": Category("c", "C"),
    "promise": Promise("p", "P"),
    "criterion": Criterion("c", "C"),
    "target": Target("m", 0.0, 1.0),
    "source": Source("t"),
    "evidence": Evidence("e", "p", DAY, "S", Source("t")),
    "assessment": Assessment("p", DAY, rating="kept"),
}

#: A value of the wrong type (or not allowed) for each type tag.
BAD: dict[str, Any] = {
    "str": 5,
    "id": "Not An Id",
    "date": "2024-01-01",
    "number": "1",
    "strs": (5,),
    "ids": ("Not An Id",),
    "bool": "yes",
}


def _bad_values() -> Iterator[tuple[str, str, Any]]:
    for kind in CLASSES:
        for spec in field_table(kind):
            if spec.attribute is None or spec.tag not in BAD:
                continue
            yield kind, spec.attribute, "nope" if spec.choices else BAD[spec.tag]


@pytest.mark.parametrize(("kind", "attribute", "bad"), list(_bad_values()))
def test_the_model_refuses_a_wrong_value_of_every_key(kind: str, attribute: str, bad: Any) -> None:
    """Built in Python, every object checks every key the table gives a type or allowed
    values (the checks are derived from the table; this also fails when a class's
    all-valid shortcut does not look at a key added to the table)."""
    with pytest.raises(RubricError) as caught:
        attrs.evolve(SAMPLES[kind], **{attribute: bad})
    assert all(p.path[:1] == (attribute,) for p in caught.value.problems), caught.value.problems


def test_import_export_page_lists_the_csv_columns() -> None:
    """docs/import-export.md lists every column of every CSV file, and which are
    required, as the field table gives them (``spreadsheets.COLUMNS``)."""
    import re

    from .docs_examples import DOCS

    text = (DOCS / "import-export.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ([a-z]+)\.csv.*$", text, flags=re.MULTILINE)
    documented = dict(zip(sections[1::2], sections[2::2], strict=True))
    assert set(documented) == set(spreadsheets.COLUMNS)
    for file_kind, columns in spreadsheets.COLUMNS.items():
        found: dict[str, bool] = {}
        for line in documented[file_kind].splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not line.startswith("| `"):
                continue
            for name in re.findall(r"`([a-z_][a-z0-9_]*)`", cells[0]):
                found[name] = cells[1] == "yes"
        assert found == dict(columns), file_kind


FORMAT_ROWS = {
    "`[report]`": "report",
    "`[scale]`": "scale",
    "scale level": "level",
    "`[grading]`": "grading",
    "`[[assessors]]` (1.1)": "assessor",
    "`[[categories]]`": "category",
    "`[[promises]]`": "promise",
    "criterion": "criterion",
    "target": "target",
    "source (table)": "source",
    "`[[evidence]]`": "evidence",
    "`[[assessments]]`": "assessment",
}


def test_format_page_summary_lists_every_key() -> None:
    """The summary table of docs/format.md names every key of each object."""
    import re

    from .docs_examples import DOCS

    text = (DOCS / "format.md").read_text(encoding="utf-8")
    seen = set()
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        kind = FORMAT_ROWS.get(cells[0]) if line.startswith("|") else None
        if kind is None or len(cells) != 3:
            continue
        seen.add(kind)
        named = set(re.findall(r"`([a-z_][a-z0-9_]*)(?: = true)?`", cells[1] + " " + cells[2]))
        named -= set(PRESET_NAMES)  # "on the `percent` scale"
        assert named == set(keys(kind)), kind
    assert seen == set(FORMAT_ROWS.values())


def test_the_loader_interns_the_keys_the_table_marks_as_repeating() -> None:
    from promisescore.fields import repeated

    assert set(structure._REPEATED) == set(repeated())
    assert ("source", "publisher") in repeated()
