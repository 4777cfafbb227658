"""The JSON Schema (draft 2020-12) of rubric files, formats 1, 1.1 and 1.2 (FORMAT.md §1–2, §7, §8).

Editors use it to complete keys and flag mistakes as you type: Even Better TOML
(Taplo) for TOML rubrics, VS Code's ``json.schemas`` for JSON ones. ``promisescore
check`` remains the authority: the schema cannot express rules that relate objects
(references, unique ids, a scale's levels in order, ``end`` after ``start``).

Dates are ``{"type": "string", "format": "date"}``: ISO strings in JSON; Taplo
validates TOML local dates (``2021-01-20``) against that format too. Validators treat
``format`` as an annotation unless asked to assert it (``jsonschema``'s
``format_checker``; ``check-jsonschema`` does by default).

The properties of every object (their types, allowed values, required keys and
descriptions) come from the model's field table (:mod:`promisescore.fields`), as the
loader's key checks do, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from .fields import FieldSpec, field_table, keys
from .model.parts import DURATION_REGEX, ID_RULE
from .model.parts import ID_REGEX as _ID

DRAFT = "https://json-schema.org/draft/2020-12/schema"

ID_REGEX = f"^{_ID}$"
INCLUDED_FILE_KEYS = ("include", "categories", "promises", "evidence", "assessments")


def _ref(name: str, description: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
    if description:
        node["description"] = description
    return node


def _array(item: dict[str, Any], description: str) -> dict[str, Any]:
    return {"type": "array", "items": item, "description": description}


def _object(
    description: str,
    properties: dict[str, Any],
    required: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        node["required"] = list(required)
    node.update(extra)
    return node


_META = _ref("meta")

#: The description of each object type, and the JSON Schema keywords that relate its keys
#: (the keys themselves come from the field table, :mod:`promisescore.fields`).
_OBJECTS: dict[str, tuple[str, dict[str, Any]]] = {
    "report": ("What the rubric tracks: the title, who promised, and the term.", {}),
    "scale": (
        "The rating scale: a built-in preset, or custom levels.",
        {"oneOf": [{"required": ["preset"]}, {"required": ["levels"]}]},
    ),
    "level": (
        "One level of a custom scale: a value in [0, 1], or unrated = true.",
        {
            "if": {"properties": {"unrated": {"const": True}}, "required": ["unrated"]},
            "then": {
                "not": {"required": ["value"]},
                "properties": {"final": {"const": False}},
            },
            "else": {"required": ["value"]},
        },
    ),
    "grading": ("Grade bands, the unrated policy, the consensus rule and the late cap.", {}),
    "assessor": ("Format 1.1: who rates, with a display name and a role.", {}),
    "band": ("A grade band: scores ≥ min get this grade.", {}),
    "category": ("A category of promises.", {}),
    "source": ("A source.", {}),
    "criterion": ("A weighted sub-criterion of a promise.", {}),
    "target": (
        "A numeric goal: fulfillment is how far the metric moved from baseline to target.",
        {},
    ),
    "promise": (
        "A promise: who promised what, when, by when, and how much it matters.",
        {"not": {"required": ["criteria", "target"]}},
    ),
    "evidence": ("A dated, sourced fact about a promise.", {}),
    "assessment": ("An assessor's rating of a promise (or one of its criteria) on a date.", {}),
}


def _property(spec: FieldSpec) -> dict[str, Any]:
    """The JSON Schema of one key, from its entry in the field table."""
    tag = spec.tag
    node: dict[str, Any]
    if tag in ("id", "date", "deadline", "source", "meta") or tag.startswith("table:"):
        node = _ref(spec.sub_kind if tag.startswith("table:") else tag)  # type: ignore[arg-type]
    elif tag == "number":
        node = _ref(spec.ref) if spec.ref else {"type": "number"}
    elif tag == "str":
        node = {"enum": list(spec.choices)} if spec.choices else {"type": "string"}
        if spec.nonempty:
            node["pattern"] = r"\S"
    elif tag == "bool":
        node = {"type": "boolean"}
    elif tag == "strs":
        item = {"enum": list(spec.choices)} if spec.choices else {"type": "string"}
        node = {"type": "array", "items": item}
    elif tag == "ids":
        node = {"type": "array", "items": _ref("id")}
    elif tag.startswith("tables:"):
        node = {"type": "array", "items": _ref(tag[7:])}
    else:  # pragma: no cover - a tag the field table does not use
        raise AssertionError(tag)
    node.update(spec.schema)
    if spec.doc:
        node["description"] = spec.doc
    return node


def _kind(kind: str) -> dict[str, Any]:
    description, extra = _OBJECTS[kind]
    table = field_table(kind)
    return _object(
        description,
        {spec.key: _property(spec) for spec in table},
        tuple(spec.key for spec in table if spec.required),
        **extra,
    )


def _defs() -> dict[str, Any]:
    source_keys = ", ".join(key for key in keys("source") if key != "meta")
    defs: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": ID_REGEX,
            "description": f"An id: {ID_RULE}.",
        },
        "date": {
            "type": "string",
            "format": "date",
            "description": "A date: a TOML date (2021-01-20) or, in JSON, an ISO string.",
        },
        "meta": {
            "type": "object",
            "description": "Free-form metadata: any keys, ignored by scoring.",
        },
        "unit": {"type": "number", "minimum": 0, "maximum": 1},
        "weight": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "A weight: a finite number > 0.",
        },
    }
    for kind in ("report", "scale", "level", "grading", "assessor", "band", "category"):
        defs[kind] = _kind(kind)
    defs["source"] = {
        "description": f"A citation string, or a table {{{source_keys}}}.",
        "anyOf": [{"type": "string", "pattern": r"\S"}, _kind("source")],
    }
    defs["deadline"] = {
        "description": "A date, an ISO-8601 duration from report.start (P100D, P1Y, P6M, "
        "P2W) or 'end-of-term'.",
        "anyOf": [
            _ref("date"),
            {"type": "string", "pattern": DURATION_REGEX},
            {"const": "end-of-term"},
        ],
    }
    for kind in ("criterion", "target", "promise", "evidence", "assessment"):
        defs[kind] = _kind(kind)
    return defs


def schema() -> dict[str, Any]:
    """The JSON Schema of a rubric file (or of a file it includes) as a dict."""
    return {
        "$schema": DRAFT,
        "title": "promisescore rubric (format 1, 1.1 and 1.2)",
        "description": "A promisescore rubric: promises, dated sourced evidence and "
        "assessors' ratings. A file without `format` is an included file, which holds "
        "only include, categories, promises, evidence and assessments.",
        "type": "object",
        "properties": {
            "format": {
                "enum": [1, "1.1", "1.2"],
                "description": 'The format version: 1, or "1.1" (a string) for assessors, '
                'consensus roles, effective dates, staleness and optional grades, or "1.2" '
                "for desk and reviewer roles, per-rating staleness, verdicts on measured "
                "promises, grades only with bands, and author, headline and url on "
                "assessments.",
            },
            "include": {
                "description": "More files to read: paths or glob patterns relative to this "
                "file, never outside its directory tree.",
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
            "meta": _META,
            "report": _ref("report"),
            "scale": _ref("scale"),
            "grading": _ref("grading"),
            "assessors": _array(_ref("assessor"), "[[assessors]] (format 1.1)"),
            "categories": _array(_ref("category"), "[[categories]]"),
            "promises": _array(_ref("promise"), "[[promises]]"),
            "evidence": _array(_ref("evidence"), "[[evidence]]"),
            "assessments": _array(_ref("assessment"), "[[assessments]]"),
        },
        "additionalProperties": False,
        "if": {"required": ["format"]},
        "then": {"required": ["report", "scale"]},
        "else": {"propertyNames": {"enum": list(INCLUDED_FILE_KEYS)}},
        "$defs": _defs(),
    }


def schema_text() -> str:
    """The schema as JSON text (what ``promisescore schema`` prints)."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
