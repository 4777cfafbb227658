"""A rubric to spreadsheets: CSV files and ``settings.toml`` in a directory, or a
workbook (:mod:`.xlsx`). Export then import gives an equal rubric, except for what the
spreadsheets do not carry (:func:`not_carried`)."""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from ..csvtext import Raw, csv_table
from ..fields import ARRAY_KINDS, field_table
from ..model import Rubric
from .base import (
    _NUMBER_COLUMNS,
    BASE_COLUMNS,
    COLUMNS,
    FILE_NAMES,
    SETTINGS_NAME,
    jsonable,
    number_text,
)


@attrs.frozen
class ExportResult:
    """What :func:`export_csv` wrote, and what of the rubric the CSV files leave out."""

    directory: str
    written: tuple[str, ...]
    not_carried: tuple[str, ...]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _json_cell(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False, default=jsonable)


def _list_cell(items: Sequence[str]) -> str:
    plain = all(
        ";" not in item and item == item.strip() and item and not item.startswith("[")
        for item in items
    )
    if plain:
        return ";".join(items)
    return json.dumps(list(items), ensure_ascii=False)


def _meta_cell(meta: Mapping[str, Any]) -> str:
    return _json_cell(dict(meta)) if meta else ""


def _cells(kind: str, item: Any) -> dict[str, str]:
    """One object as the cells of its row, by the field table: a nested source or target
    spread over its own columns; a key with allowed values left empty at its default."""
    row: dict[str, str] = {}
    for spec in field_table(kind):
        if spec.attribute is None or spec.tag.startswith("tables:"):
            continue  # criteria have their own file
        value = getattr(item, spec.attribute)
        sub = spec.sub_kind
        if spec.tag in ("source", "table:target") and sub is not None:
            if value is not None:
                for part in field_table(sub):
                    if part.key != "meta" and part.attribute is not None:
                        row[f"{spec.key}_{part.key}"] = _text(getattr(value, part.attribute))
        elif spec.tag == "meta":
            row[spec.key] = _meta_cell(value)
        elif spec.tag in ("strs", "ids"):
            row[spec.key] = _list_cell(value)
        elif spec.tag == "bool":
            row[spec.key] = "true" if value else ""  # false is the default: left empty
        elif spec.choices and spec.has_default and value == spec.default:
            row[spec.key] = ""
        else:
            row[spec.key] = _text(value)
    return row


def rows(rubric: Rubric) -> dict[str, list[dict[str, str]]]:
    """The rubric's rows per file kind, every cell as text."""
    return {
        "assessors": [_cells("assessor", a) for a in rubric.declared_assessors],
        "categories": [_cells("category", c) for c in rubric.categories],
        "promises": [_cells("promise", p) for p in rubric.promises],
        "evidence": [_cells("evidence", e) for e in rubric.evidence],
        "assessments": [_cells("assessment", a) for a in rubric.assessments],
        "criteria": [
            {"promise": p.id, **_cells("criterion", c)} for p in rubric.promises for c in p.criteria
        ],
    }


def to_csv(kind: str, items: Sequence[Mapping[str, str]]) -> str:
    """One CSV file: the base columns and every other column some row uses."""
    used = {key for item in items for key, value in item.items() if value != ""}
    columns = [name for name, _ in COLUMNS[kind] if name in BASE_COLUMNS[kind] or name in used]
    text = [name not in _NUMBER_COLUMNS for name in columns]  # numbers stay numbers
    return csv_table(
        columns,
        (
            [
                item.get(name, "") if text[i] else Raw(item.get(name, ""))
                for i, name in enumerate(columns)
            ]
            for item in items
        ),
    )


def export_tables(rubric: Rubric) -> dict[str, str]:
    """File name → CSV text. ``categories.csv`` only when the rubric declares categories,
    ``criteria.csv`` only when a promise has criteria, ``assessors.csv`` only when it
    declares assessors (format 1.1)."""
    tables = rows(rubric)
    out: dict[str, str] = {}
    for kind in _OPTIONAL_ORDER:
        if kind in ("categories", "criteria", "assessors") and not tables[kind]:
            continue
        out[FILE_NAMES[kind]] = to_csv(kind, tables[kind])
    return out


_OPTIONAL_ORDER = ("promises", "evidence", "assessments", "categories", "criteria", "assessors")


def settings_text(rubric: Rubric) -> str:
    """``settings.toml``: the rubric without its rows (format, report, scale, grading,
    and whatever else the rubric file holds at its top level besides the arrays)."""
    from ..serialize import to_data, to_toml

    data = {key: value for key, value in to_data(rubric).items() if key not in ARRAY_KINDS}
    header = (
        "# The settings of a rubric kept in spreadsheets: everything but the rows.\n"
        "# `promisescore import --from DIR` reads it with the CSV files beside it.\n"
    )
    return header + to_toml(data)


def not_carried(rubric: Rubric, *, settings: bool = False) -> list[str]:
    """What of ``rubric`` the CSV files (and the import options) cannot hold.

    With ``settings=True``: what an export with ``settings.toml`` (``export --to``) cannot
    hold."""
    from ..model import Grading

    notes: list[str] = []
    if not settings:
        if rubric.scale.preset is None:
            notes.append("the custom scale levels (import takes a built-in --scale)")
        if rubric.grading != Grading.default_for(rubric.format):
            notes.append("[grading] (add it to the imported rubric by hand)")
        if rubric.format == "1.1" and not (
            rubric.declared_assessors or any(a.effective is not None for a in rubric.assessments)
        ):
            notes.append('format = "1.1" (the import gives format 1: set it by hand)')
        if rubric.format == "1.2" and not (
            any(a.role in ("desk", "reviewer") for a in rubric.declared_assessors)
            or any(a.author or a.headline or a.url for a in rubric.assessments)
            or any(p.umbrella for p in rubric.promises)
            or any(
                s is not None and (s.archive or s.archived_on or s.sha256)
                for s in [
                    *(p.source for p in rubric.promises),
                    *(e.source for e in rubric.evidence),
                ]
            )
        ):
            notes.append('format = "1.2" (the import gives an older format: set it by hand)')
        if rubric.report.meta:
            notes.append("report.meta")
        if rubric.meta:
            notes.append("the rubric's top-level meta")
    sources = [p.source for p in rubric.promises if p.source is not None]
    sources += [e.source for e in rubric.evidence]
    if any(s.meta for s in sources):
        notes.append("the meta of sources")
    if any(p.target is not None and p.target.meta for p in rubric.promises):
        notes.append("the meta of targets")
    texts = [p.text for p in rubric.promises] + [p.made_by for p in rubric.promises]
    texts += [p.authority for p in rubric.promises] + [e.quote for e in rubric.evidence]
    texts += [a.note for a in rubric.assessments]
    if any(t == "" for t in texts):
        notes.append("empty optional texts (an empty cell reads back as not given)")
    return notes


def export_csv(
    rubric: Rubric,
    directory: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> ExportResult:
    """Write ``promises.csv``, ``evidence.csv``, ``assessments.csv`` (``categories.csv``,
    ``criteria.csv`` when used) and ``settings.toml``: everything needed to rebuild the
    rubric with :func:`import_dir`.

    Each file is written atomically; none may be one of ``inputs``. The directory is
    created if needed.
    """
    from ..safe_write import OutputError, refuse_inputs, write_all_atomic

    target = Path(directory)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from None
    tables = export_tables(rubric)
    tables[SETTINGS_NAME] = settings_text(rubric)
    inputs = list(inputs)
    paths = {name: target / name for name in tables}
    for path in paths.values():
        refuse_inputs(path, inputs)
    write_all_atomic({paths[name]: text for name, text in tables.items()})  # all or none
    written = [str(paths[name]) for name in tables]
    return ExportResult(str(directory), tuple(written), tuple(not_carried(rubric, settings=True)))


def import_command(rubric: Rubric, result: ExportResult) -> str:
    """The ``promisescore import`` command line that rebuilds ``rubric`` from the export."""
    parts = ["promisescore", "import", "--from", result.directory, "--output", "rubric.toml"]
    return " ".join(shlex.quote(p) for p in parts)
