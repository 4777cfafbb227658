"""Writing rubrics back to files: ``dump`` and ``dumps``.

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
from datetime import date, datetime, time
from typing import Any

from .model import (
    DEFAULT_BANDS,
    Assessment,
    Assessor,
    Category,
    Criterion,
    Evidence,
    Grading,
    Promise,
    Rubric,
    Source,
    Target,
)

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _source(source: Source) -> Any:
    if source.is_citation:
        return source.title
    return _clean(
        {
            "title": source.title,
            "url": source.url,
            "publisher": source.publisher,
            "date": source.date,
            "kind": source.kind,
            "meta": source.meta,
        }
    )


def _clean(table: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is ``None`` or an empty list/table."""
    return {k: v for k, v in table.items() if v is not None and v != {} and v != () and v != []}


def _criterion(criterion: Criterion) -> dict[str, Any]:
    return _clean(
        {
            "id": criterion.id,
            "title": criterion.title,
            "weight": None if criterion.weight == 1.0 else criterion.weight,
            "meta": criterion.meta,
        }
    )


def _target(target: Target) -> dict[str, Any]:
    return _clean(
        {
            "metric": target.metric,
            "baseline": target.baseline,
            "target": target.target,
            "unit": target.unit,
            "meta": target.meta,
        }
    )


def _promise(promise: Promise) -> dict[str, Any]:
    return _clean(
        {
            "id": promise.id,
            "title": promise.title,
            "text": promise.text,
            "category": promise.category,
            "weight": None if promise.weight == 1.0 else promise.weight,
            "made_by": promise.made_by,
            "made_on": promise.made_on,
            "source": _source(promise.source) if promise.source is not None else None,
            "deadline": promise.deadline,
            "authority": promise.authority,
            "tags": list(promise.tags),
            "criteria": [_criterion(c) for c in promise.criteria],
            "target": _target(promise.target) if promise.target is not None else None,
            "meta": promise.meta,
        }
    )


def _category(category: Category) -> dict[str, Any]:
    return _clean(
        {
            "id": category.id,
            "title": category.title,
            "weight": category.weight,
            "meta": category.meta,
        }
    )


def _evidence(item: Evidence) -> dict[str, Any]:
    return _clean(
        {
            "id": item.id,
            "promise": item.promise,
            "criterion": item.criterion,
            "date": item.date,
            "summary": item.summary,
            "source": _source(item.source),
            "quote": item.quote,
            "effect": None if item.effect == "advances" else item.effect,
            "value": item.value,
            "meta": item.meta,
        }
    )


def _assessment(item: Assessment) -> dict[str, Any]:
    return _clean(
        {
            "promise": item.promise,
            "criterion": item.criterion,
            "by": None if item.by == "default" else item.by,
            "date": item.date,
            "effective": item.effective,
            "rating": item.rating,
            "value": item.value,
            "evidence": list(item.evidence),
            "note": item.note,
            "meta": item.meta,
        }
    )


def _grading(grading: Grading) -> dict[str, Any]:
    table = _clean(
        {
            "bands": None
            if grading.bands == DEFAULT_BANDS
            else [{"grade": b.grade, "min": b.min} for b in grading.bands],
            "unrated": None if grading.unrated == "exclude" else grading.unrated,
            "consensus": None if grading.consensus == "median" else grading.consensus,
            "late": grading.late,
            "consensus_roles": None
            if grading.consensus_roles is None
            else list(grading.consensus_roles),
            "stale_after": grading.stale_after,
            "meta": grading.meta,
        }
    )
    if not grading.bands:  # format 1.1: no grades
        table = {"bands": [], **table}
    if grading.consensus_roles == ():
        table["consensus_roles"] = []
    return table


def _assessor(assessor: Assessor) -> dict[str, Any]:
    return _clean(
        {
            "id": assessor.id,
            "name": assessor.name,
            "role": assessor.role,
            "url": assessor.url,
            "description": assessor.description,
            "meta": assessor.meta,
        }
    )


def to_data(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain data (the structure of a rubric file), defaults left out."""
    report = rubric.report
    scale = rubric.scale
    if scale.preset is not None:
        scale_data: dict[str, Any] = {"preset": scale.preset}
    else:
        scale_data = {
            "levels": [
                _clean(
                    {
                        "id": level.id,
                        "label": level.label,
                        "value": level.value,
                        "unrated": True if level.unrated else None,
                        "final": True if level.final else None,
                        "meta": level.meta,
                    }
                )
                for level in scale.levels
            ]
        }
    data: dict[str, Any] = {
        "format": 1 if rubric.format == "1" else rubric.format,
        "report": _clean(
            {
                "title": report.title,
                "subject": report.subject,
                "start": report.start,
                "end": report.end,
                "as_of": report.as_of,
                "publisher": report.publisher,
                "byline": report.byline,
                "updated": report.updated,
                "methodology_url": report.methodology_url,
                "note": report.note,
                "lang": report.lang,
                "meta": report.meta,
            }
        ),
        "scale": scale_data,
        "grading": _grading(rubric.grading),
        "meta": rubric.meta,
        "assessors": [_assessor(a) for a in rubric.declared_assessors],
        "categories": [_category(c) for c in rubric.categories],
        "promises": [_promise(p) for p in rubric.promises],
        "evidence": [_evidence(e) for e in rubric.evidence],
        "assessments": [_assessment(a) for a in rubric.assessments],
    }
    return _clean(data)


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


def _table_body(table: dict[str, Any], lines: list[str]) -> None:
    for key, value in table.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{_key(key)} = [")
            lines.extend(f"  {_value(v)}," for v in value)
            lines.append("]")
        else:
            lines.append(f"{_key(key)} = {_value(value)}")


def to_toml(data: dict[str, Any]) -> str:
    lines: list[str] = []
    for key in ("format", "include"):
        if key in data:
            lines.append(f"{key} = {_value(data[key])}")
    for key in ("report", "scale", "grading", "meta"):
        if key in data:
            lines += ["", f"[{key}]"]
            _table_body(data[key], lines)
    for key in ("assessors", "categories", "promises", "evidence", "assessments"):
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
    from .safe_write import write_atomic

    if format is None:
        format = "json" if path is not None and str(path).lower().endswith(".json") else "toml"
    text = dumps(rubric, format)
    if path is not None:
        write_atomic(path, text)
    return text
