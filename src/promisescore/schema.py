"""The JSON Schema (draft 2020-12) of rubric files, format 1 and 1.1 (FORMAT.md §1–2, §7).

Editors use it to complete keys and flag mistakes as you type: Even Better TOML
(Taplo) for TOML rubrics, VS Code's ``json.schemas`` for JSON ones. ``promisescore
check`` remains the authority: the schema cannot express rules that relate objects
(references, unique ids, a scale's levels in order, ``end`` after ``start``).

Dates are ``{"type": "string", "format": "date"}``: ISO strings in JSON; Taplo
validates TOML local dates (``2021-01-20``) against that format too. Validators treat
``format`` as an annotation unless asked to assert it (``jsonschema``'s
``format_checker``; ``check-jsonschema`` does by default).

The property names of every object here are tested against the loader's
``loading.structure.SCHEMAS``, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"

ID_REGEX = "^[a-z0-9][a-z0-9._-]*$"
#: ISO-8601 durations of FORMAT.md §2: years, months, weeks, days, in that order, at
#: least one. Written without look-ahead, which some validators' regex engines lack.
DURATION_REGEX = r"^P(\d+Y(\d+M)?(\d+W)?(\d+D)?|\d+M(\d+W)?(\d+D)?|\d+W(\d+D)?|\d+D)$"

PRESET_NAMES = ("politifact", "polimetre", "cppg", "percent")
SOURCE_KINDS = ("record", "report", "claim", "advocacy")
EFFECTS = ("advances", "regresses", "neutral")
UNRATED_POLICIES = ("exclude", "zero")
CONSENSUS_RULES = ("median", "min", "max", "mean")
ROLES = ("self", "independent", "advocacy")
INCLUDED_FILE_KEYS = ("include", "categories", "promises", "evidence", "assessments")


def _ref(name: str, description: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
    if description:
        node["description"] = description
    return node


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _required_text(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": r"\S", "description": description}


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


def _defs() -> dict[str, Any]:
    return {
        "id": {
            "type": "string",
            "pattern": ID_REGEX,
            "description": "An id: lowercase letters, digits, '.', '_' and '-', starting with "
            "a letter or digit.",
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
        "report": _object(
            "What the rubric tracks: the title, who promised, and the term.",
            {
                "title": _required_text("The report's title."),
                "subject": _text("Who made the promises."),
                "start": _ref(
                    "date", "Start of the tracked term; relative deadlines count from here."
                ),
                "end": _ref("date", "End of the term (optional)."),
                "as_of": _ref(
                    "date",
                    "Default 'as of' date of scores; else the latest evidence or assessment.",
                ),
                "meta": _META,
                "publisher": _text("Who publishes the report card (a newsroom, a lab)."),
                "byline": _text("Who wrote or edited it, as shown on the card."),
                "updated": _ref("date", "When the editors last updated the card."),
                "methodology_url": {
                    "type": "string",
                    "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
                    "description": "An http(s) address of the published methodology.",
                },
                "note": _text("An editor's note shown on the card."),
                "lang": {
                    "enum": ["en", "fr"],
                    "description": "Language of the card's interface text (default en).",
                },
            },
            ("title", "start"),
        ),
        "scale": _object(
            "The rating scale: a built-in preset, or custom levels.",
            {
                "preset": {
                    "enum": list(PRESET_NAMES),
                    "description": "A built-in scale (`promisescore scales` lists them).",
                },
                "levels": {
                    "type": "array",
                    "items": _ref("level"),
                    "minItems": 1,
                    "description": "Custom levels, from least to most fulfilled.",
                },
                "meta": _META,
            },
            oneOf=[{"required": ["preset"]}, {"required": ["levels"]}],
        ),
        "level": _object(
            "One level of a custom scale: a value in [0, 1], or unrated = true.",
            {
                "id": _ref("id"),
                "label": _text("How the level is shown (default: its id)."),
                "value": _ref("unit", "Fulfillment at this level, in [0, 1]."),
                "unrated": {
                    "type": "boolean",
                    "description": "An unrated level (e.g. not-yet-rated): no value.",
                },
                "final": {
                    "type": "boolean",
                    "description": "An end state (kept, broken).",
                },
                "meta": _META,
            },
            ("id",),
            **{
                "if": {"properties": {"unrated": {"const": True}}, "required": ["unrated"]},
                "then": {
                    "not": {"required": ["value"]},
                    "properties": {"final": {"const": False}},
                },
                "else": {"required": ["value"]},
            },
        ),
        "grading": _object(
            "Grade bands, the unrated policy, the consensus rule and the late cap.",
            {
                "bands": {
                    "type": "array",
                    "items": _ref("band"),
                    "description": "Grade bands, highest min first (default A 0.9, B 0.8, "
                    "C 0.7, D 0.6, F 0). Format 1.1: [] means no grades.",
                },
                "unrated": {
                    "enum": list(UNRATED_POLICIES),
                    "description": "exclude: unrated promises leave the denominator; zero: "
                    "they count as 0.",
                },
                "consensus": {
                    "enum": list(CONSENSUS_RULES),
                    "description": "How assessors' latest ratings combine (mean: percent "
                    "scale only).",
                },
                "late": _ref(
                    "id",
                    "A level id: promises fulfilled only after their deadline are capped here.",
                ),
                "consensus_roles": {
                    "type": "array",
                    "items": {"enum": list(ROLES)},
                    "uniqueItems": True,
                    "description": "Format 1.1: the assessor roles that count in the headline "
                    "(default independent and advocacy).",
                },
                "stale_after": {
                    "type": "string",
                    "pattern": DURATION_REGEX,
                    "description": "Format 1.1: an ISO-8601 duration; a rating older than this "
                    "as of the report date is stale.",
                },
                "meta": _META,
            },
        ),
        "assessor": _object(
            "Format 1.1: who rates, with a display name and a role.",
            {
                "id": _ref("id", "What assessments name in `by`."),
                "name": _required_text("The display name every report shows."),
                "role": {
                    "enum": list(ROLES),
                    "description": "self: the promise maker rating its own record; "
                    "independent: fact-checker, auditor, court, researcher, newsroom; "
                    "advocacy: an interest group.",
                },
                "url": {
                    "type": "string",
                    "pattern": "^https?://",
                    "description": "The assessor's web address (http or https).",
                },
                "description": _text("Who the assessor is."),
                "meta": _META,
            },
            ("id", "name", "role"),
        ),
        "band": _object(
            "A grade band: scores ≥ min get this grade.",
            {
                "grade": _required_text("The grade, e.g. A."),
                "min": _ref("unit", "The lowest score with this grade."),
                "meta": _META,
            },
            ("grade", "min"),
        ),
        "category": _object(
            "A category of promises.",
            {
                "id": _ref("id"),
                "title": _required_text("The category's title."),
                "weight": _ref(
                    "weight", "Weight in the overall score (default: its promises' weights)."
                ),
                "meta": _META,
            },
            ("id", "title"),
        ),
        "source": {
            "description": "A citation string, or a table {title, url, publisher, date, kind}.",
            "anyOf": [
                {"type": "string", "pattern": r"\S"},
                _object(
                    "A source.",
                    {
                        "title": _required_text("The source's title."),
                        "url": _text("Where to read it."),
                        "publisher": _text("Who published it."),
                        "date": _ref("date", "When it was published."),
                        "kind": {
                            "enum": list(SOURCE_KINDS),
                            "description": "record: a primary record of an act; report: "
                            "independent journalism or research; claim: the promise maker's "
                            "own statement; advocacy: an interested party.",
                        },
                        "meta": _META,
                    },
                    ("title",),
                ),
            ],
        },
        "deadline": {
            "description": "A date, an ISO-8601 duration from report.start (P100D, P1Y, P6M, "
            "P2W) or 'end-of-term'.",
            "anyOf": [
                _ref("date"),
                {"type": "string", "pattern": DURATION_REGEX},
                {"const": "end-of-term"},
            ],
        },
        "criterion": _object(
            "A weighted sub-criterion of a promise.",
            {
                "id": _ref("id"),
                "title": _required_text("The criterion's title."),
                "weight": _ref("weight", "Its weight (default 1)."),
                "meta": _META,
            },
            ("id", "title"),
        ),
        "target": _object(
            "A numeric goal: fulfillment is how far the metric moved from baseline to target.",
            {
                "metric": _required_text("What is measured."),
                "baseline": {"type": "number", "description": "The starting value."},
                "target": {
                    "type": "number",
                    "description": "The promised value (not equal to baseline).",
                },
                "unit": _text("The metric's unit."),
                "meta": _META,
            },
            ("metric", "baseline", "target"),
        ),
        "promise": _object(
            "A promise: who promised what, when, by when, and how much it matters.",
            {
                "id": _ref("id"),
                "title": _required_text("A short title."),
                "text": _text("The promise in the maker's words."),
                "category": _ref("id", "A category id (default: uncategorized)."),
                "weight": _ref("weight", "Its weight (default 1)."),
                "made_by": _text("Who made it."),
                "made_on": _ref("date", "When it was made."),
                "source": _ref("source", "Where it was made."),
                "deadline": _ref("deadline"),
                "authority": _text("Who can deliver: e.g. executive, legislature, courts, shared."),
                "tags": _array({"type": "string"}, "Free tags."),
                "criteria": _array(_ref("criterion"), "Weighted sub-criteria."),
                "target": _ref("target"),
                "meta": _META,
            },
            ("id", "title"),
            **{"not": {"required": ["criteria", "target"]}},
        ),
        "evidence": _object(
            "A dated, sourced fact about a promise.",
            {
                "id": _ref("id"),
                "promise": _ref("id", "The promise it is about."),
                "criterion": _ref("id", "The criterion of that promise it is about."),
                "date": _ref("date", "When it happened or was reported."),
                "summary": _required_text("What happened."),
                "source": _ref("source"),
                "quote": _text("The words in the source."),
                "effect": {
                    "enum": list(EFFECTS),
                    "description": "What it does to the promise (default advances).",
                },
                "value": {
                    "type": "number",
                    "description": "The observed metric, for target promises.",
                },
                "meta": _META,
            },
            ("id", "promise", "date", "summary", "source"),
        ),
        "assessment": _object(
            "An assessor's rating of a promise (or one of its criteria) on a date.",
            {
                "promise": _ref("id", "The promise rated."),
                "criterion": _ref(
                    "id", "The criterion rated (required when the promise has criteria)."
                ),
                "by": _required_text("The assessor (default 'default')."),
                "date": _ref("date", "When the rating was made."),
                "effective": _ref(
                    "date",
                    "Format 1.1: the day from which the rated standing held (≤ date; "
                    "default: date). Used by the late rule.",
                ),
                "rating": _ref("id", "A level id of the scale (not with the percent scale)."),
                "value": _ref("unit", "Fulfillment in [0, 1] (percent scale only)."),
                "evidence": _array(_ref("id"), "Ids of the evidence it rests on."),
                "note": _text("Why."),
                "meta": _META,
            },
            ("promise", "date"),
        ),
    }


def schema() -> dict[str, Any]:
    """The JSON Schema of a rubric file (or of a file it includes) as a dict."""
    return {
        "$schema": DRAFT,
        "title": "promisescore rubric (format 1 and 1.1)",
        "description": "A promisescore rubric: promises, dated sourced evidence and "
        "assessors' ratings. A file without `format` is an included file, which holds "
        "only include, categories, promises, evidence and assessments.",
        "type": "object",
        "properties": {
            "format": {
                "enum": [1, "1.1"],
                "description": 'The format version: 1, or "1.1" (a string) for assessors, '
                "consensus roles, effective dates, staleness and optional grades.",
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


__all__ = ["DRAFT", "schema", "schema_text"]
