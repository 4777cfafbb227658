"""Rubric → the text of a TOML or JSON rubric file: ``dump`` and ``dumps``.

Which keys are
written, and in what order, comes from the model's field table
(:mod:`promisescore.fields`): a key added to the model is written without a change here.

The output is tidy — defaults left out, arrays of tables for the big lists, inline tables
for sources, criteria and targets — and loads back to an equal rubric. TOML is written by
a small emitter of our own (rather than a generic library) so that layout can be chosen
per key: a rubric file is reviewed by people in pull requests.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any

import attrs

from .fields import ARRAY_KINDS, field_table
from .model import Rubric, Source

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def drop_empty(table: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is ``None`` or an empty list/table."""
    return {k: v for k, v in table.items() if v is not None and v != {} and v != () and v != []}


#: File-only keys (no model attribute): how each is written (others are not written).
_DERIVED: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("level", "unrated"): lambda level: True if level.unrated else None,
}


def _source(source: Source) -> Any:
    if source.is_citation:
        return source.title
    return table_data("source", source)


def _value_data(tag: str, value: Any) -> Any:
    if value is None:
        return None
    if tag == "source":
        return _source(value)
    if tag.startswith("table:"):
        return table_data(tag[6:], value)
    if tag.startswith("tables:"):
        return [table_data(tag[7:], item) for item in value]
    if tag in ("strs", "ids"):
        return list(value)
    return value


def table_data(kind: str, obj: Any) -> dict[str, Any]:
    """One object as the table of a rubric file: its keys in the field table's order,
    ``meta`` last, values equal to the model's default left out."""
    table: dict[str, Any] = {}
    meta: Any = None
    for spec in field_table(kind):
        if spec.attribute is None:
            derive = _DERIVED.get((kind, spec.key))
            value = None if derive is None else derive(obj)
        else:
            value = getattr(obj, spec.attribute)
            default = spec.default
            if (
                spec.has_default
                and not isinstance(default, attrs.Factory)  # type: ignore[arg-type]
                and value == default
            ):
                value = None
            value = _value_data(spec.tag, value)
        if spec.key == "meta":
            meta = value
        else:
            table[spec.key] = value
    table["meta"] = meta
    return drop_empty(table)


def _grading(grading: Any, fmt: str = "1") -> dict[str, Any]:
    table = table_data("grading", grading)
    if fmt == "1.2":
        # FORMAT.md §8.4: without `bands` there are no grades, so the default bands are
        # written out and no bands are left out
        if grading.bands and "bands" not in table:
            table = {"bands": [table_data("band", band) for band in grading.bands], **table}
    elif not grading.bands:  # format 1.1: no grades
        table = {"bands": [], **table}
    if grading.consensus_roles == ():
        table["consensus_roles"] = []
    return table


def to_data(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain data (the structure of a rubric file), defaults left out."""
    scale = rubric.scale
    if scale.preset is not None:
        scale_data: dict[str, Any] = {"preset": scale.preset}
    else:
        scale_data = {"levels": [table_data("level", level) for level in scale.levels]}
    data: dict[str, Any] = {
        "format": 1 if rubric.format == "1" else rubric.format,
        "report": table_data("report", rubric.report),
        "scale": scale_data,
        "grading": _grading(rubric.grading, rubric.format),
        "meta": rubric.meta,
        "assessors": [table_data("assessor", a) for a in rubric.declared_assessors],
        "categories": [table_data("category", c) for c in rubric.categories],
        "promises": [table_data("promise", p) for p in rubric.promises],
        "evidence": [table_data("evidence", e) for e in rubric.evidence],
        "assessments": [table_data("assessment", a) for a in rubric.assessments],
    }
    return drop_empty(data)


# --------------------------------------------------------------------------- TOML


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)
    return escaped.replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def table_lines(table: Mapping[str, Any]) -> list[str]:
    """The body of one TOML table: ``key = value`` lines, an array of tables one inline
    table per line."""
    lines: list[str] = []
    for key, value in table.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{_key(key)} = [")
            lines.extend(f"  {_value(v)}," for v in value)
            lines.append("]")
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    return lines


def _table_body(table: dict[str, Any], lines: list[str]) -> None:
    lines.extend(table_lines(table))


def to_toml(data: dict[str, Any]) -> str:
    lines: list[str] = []
    for key in ("format", "include"):
        if key in data:
            lines.append(f"{key} = {_value(data[key])}")
    for key in ("report", "scale", "grading", "meta"):
        if key in data:
            lines += ["", f"[{key}]"]
            _table_body(data[key], lines)
    for key in ARRAY_KINDS:
        for item in data.get(key, ()):
            lines += ["", f"[[{key}]]"]
            _table_body(item, lines)
    return "\n".join(lines) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def dumps(rubric: Rubric, format: str = "toml") -> str:
    """The rubric as the text of a ``"toml"`` or ``"json"`` rubric file."""
    from .arguments import require

    require(rubric, Rubric, "rubric", "a Rubric")
    require(format, str, "format", "'toml' or 'json'")
    data = to_data(rubric)
    if format == "toml":
        return to_toml(data)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    raise ValueError(f"format must be 'toml' or 'json', not {format!r}")


def dump(
    rubric: Rubric,
    path: str | os.PathLike[str] | None = None,
    format: str | None = None,
) -> str:
    """Write the rubric to ``path`` atomically (format from the suffix unless given).

    Returns the text written. With ``path=None`` it only returns the text
    (``format`` defaults to TOML).
    """
    from .arguments import require
    from .safe_write import write_atomic

    require(path, (str, os.PathLike, type(None)), "path", "a path or None")
    if format is None:
        format = "json" if path is not None and str(path).lower().endswith(".json") else "toml"
    text = dumps(rubric, format)
    if path is not None:
        write_atomic(path, text)
    return text
