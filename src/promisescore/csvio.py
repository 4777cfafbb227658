"""Rubrics to and from spreadsheets: CSV files of promises, evidence and assessments.

:func:`import_csv` builds a :class:`~promisescore.model.Rubric` from up to four CSV files
(promises; evidence; assessments; categories) plus the report's title and term and a
built-in scale. Every problem is reported at once with its file and row — rows are
numbered as in a spreadsheet, the header being row 1 — and the rubric is checked exactly
as a rubric file is (the rows go through the same loader), so the messages are the
familiar ones. :func:`export_csv` writes the same files back; export then import gives an
equal rubric, except for what the CSV files do not carry (:func:`not_carried`).

Cells: empty means "not given". Dates are ``YYYY-MM-DD``. Lists (``tags``, an
assessment's ``evidence``) are separated by ``;`` (or written as a JSON array). The
columns ``criteria`` and ``meta`` hold JSON. Columns are listed in
``docs/import-export.md`` and in :data:`COLUMNS`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from .errors import InputFileError, Problem, RubricError
from .model import ID_PATTERN, Promise, Rubric, Source
from .sanitize import csv_cell, csv_uncell
from .suggest import did_you_mean

#: Columns of each file: (name, required). Required columns must be in the header.
COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "promises": (
        ("id", True),
        ("title", True),
        ("category", False),
        ("weight", False),
        ("deadline", False),
        ("text", False),
        ("made_by", False),
        ("made_on", False),
        ("authority", False),
        ("tags", False),
        ("category_title", False),
        ("source_title", False),
        ("source_url", False),
        ("source_publisher", False),
        ("source_date", False),
        ("source_kind", False),
        ("criteria", False),
        ("target_metric", False),
        ("target_baseline", False),
        ("target_target", False),
        ("target_unit", False),
        ("meta", False),
    ),
    "evidence": (
        ("id", True),
        ("promise", True),
        ("date", True),
        ("summary", True),
        ("source_title", True),
        ("source_url", False),
        ("source_kind", False),
        ("quote", False),
        ("value", False),
        ("criterion", False),
        ("effect", False),
        ("source_publisher", False),
        ("source_date", False),
        ("meta", False),
    ),
    "assessments": (
        ("promise", True),
        ("criterion", False),
        ("by", False),
        ("date", True),
        ("effective", False),
        ("rating", False),
        ("value", False),
        ("evidence", False),
        ("note", False),
        ("meta", False),
    ),
    "categories": (
        ("id", True),
        ("title", True),
        ("weight", False),
        ("meta", False),
    ),
    "assessors": (
        ("id", True),
        ("name", True),
        ("role", True),
        ("url", False),
        ("description", False),
        ("meta", False),
    ),
}

#: Columns :func:`export_csv` always writes (others only when some row has a value).
BASE_COLUMNS: dict[str, tuple[str, ...]] = {
    "promises": ("id", "title", "category", "weight", "deadline"),
    "evidence": ("id", "promise", "date", "summary", "source_title", "source_url", "source_kind"),
    "assessments": ("promise", "criterion", "by", "date", "rating", "value", "evidence", "note"),
    "categories": ("id", "title", "weight"),
    "assessors": ("id", "name", "role"),
}

#: File names :func:`export_csv` writes.
FILE_NAMES: dict[str, str] = {
    "promises": "promises.csv",
    "evidence": "evidence.csv",
    "assessments": "assessments.csv",
    "categories": "categories.csv",
    "assessors": "assessors.csv",
}

_NUMBER_COLUMNS = frozenset({"weight", "value", "target_baseline", "target_target"})
_DATE_COLUMNS = frozenset({"made_on", "date", "source_date", "effective"})
_JSON_COLUMNS = frozenset({"criteria", "meta"})
_LIST_COLUMNS = frozenset({"tags", "evidence"})
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class CsvImportError(RubricError):
    """The CSV files do not make a valid rubric; ``problems`` lists every one."""


@attrs.frozen
class ReportInfo:
    """What the CSV files do not hold: the report's title and term."""

    title: str
    start: date
    subject: str | None = None
    end: date | None = None
    as_of: date | None = None


@attrs.frozen
class CsvText:
    """The text of one CSV file and the name to show in messages."""

    name: str
    text: str


# --------------------------------------------------------------------------- import


def import_csv(
    promises: str | os.PathLike[str],
    evidence: str | os.PathLike[str] | None = None,
    assessments: str | os.PathLike[str] | None = None,
    *,
    categories: str | os.PathLike[str] | None = None,
    assessors: str | os.PathLike[str] | None = None,
    scale: str,
    report: ReportInfo,
) -> Rubric:
    """Build a rubric from CSV files on a built-in ``scale``.

    With an ``assessors`` file (id, name, role, ...), or an ``effective`` date on an
    assessment, the rubric is format 1.1 (FORMAT.md §7). Raises :class:`CsvImportError` listing every problem (file and row), and
    :class:`~promisescore.errors.InputFileError` when a file cannot be read.
    """
    return import_tables(
        _read(promises),
        _read(evidence) if evidence is not None else None,
        _read(assessments) if assessments is not None else None,
        categories=_read(categories) if categories is not None else None,
        assessors=_read(assessors) if assessors is not None else None,
        scale=scale,
        report=report,
    )


def _read(path: str | os.PathLike[str]) -> CsvText:
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputFileError(name, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(name, "is a directory, not a CSV file") from None
    except OSError as exc:
        raise InputFileError(name, exc.strerror or str(exc)) from None
    try:
        return CsvText(name, raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CsvImportError(
            [
                Problem(
                    "E002",
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    hint="save or export the sheet as CSV UTF-8",
                    file=name,
                    line=line,
                )
            ]
        ) from None


@attrs.define
class _Table:
    """The rows of one CSV file as raw rubric tables, and the row number of each."""

    kind: str
    name: str
    items: list[dict[str, Any]] = attrs.Factory(list)
    rows: list[int] = attrs.Factory(list)
    category_titles: list[tuple[str, str, int]] = attrs.Factory(list)


def import_tables(
    promises: CsvText,
    evidence: CsvText | None = None,
    assessments: CsvText | None = None,
    *,
    categories: CsvText | None = None,
    assessors: CsvText | None = None,
    scale: str,
    report: ReportInfo,
) -> Rubric:
    """Like :func:`import_csv`, from texts already read (for tests and other tools)."""
    problems: list[Problem] = []
    tables: list[_Table] = []
    for kind, source in (
        ("assessors", assessors),
        ("categories", categories),
        ("promises", promises),
        ("evidence", evidence),
        ("assessments", assessments),
    ):
        if source is not None:
            tables.append(_parse_table(kind, source, problems))
    if problems:
        # Header problems (or unreadable CSV): the rows cannot be trusted; report these
        # first rather than a cascade of consequences.
        raise CsvImportError(sorted(problems, key=_order))

    v11 = assessors is not None or any(
        "effective" in item for t in tables if t.kind == "assessments" for item in t.items
    )
    root: dict[str, Any] = {
        "format": "1.1" if v11 else 1,
        "report": {
            key: value
            for key, value in {
                "title": report.title,
                "subject": report.subject,
                "start": report.start,
                "end": report.end,
                "as_of": report.as_of,
            }.items()
            if value is not None
        },
        "scale": {"preset": scale},
    }
    if not next(t for t in tables if t.kind == "promises").items:
        raise CsvImportError(
            [
                Problem(
                    "E102",
                    "no promises: the file has no rows below the header",
                    hint="add one row per promise",
                    file=promises.name,
                    line=1,
                )
            ]
        )
    if categories is None:
        derived = _derived_categories(tables, problems)
        if derived:
            root["categories"] = derived
    rubric, found = _assemble(root, tables)
    problems += found
    errors = [p for p in problems if p.is_error]
    if errors or rubric is None:
        raise CsvImportError(sorted(errors or problems, key=_order))
    return rubric


_ROOT_NAME = "<import options>"


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file or "", problem.line or 0, problem.code)


def _parse_table(kind: str, source: CsvText, problems: list[Problem]) -> _Table:
    table = _Table(kind, source.name)
    columns = dict(COLUMNS[kind])
    reader = csv.reader(io.StringIO(source.text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem("E003", f"CSV syntax error: {exc}", file=source.name, line=1))
        return table
    if header is None:
        problems.append(
            Problem(
                "E102",
                "the file is empty; the first row must name the columns",
                hint="columns: " + ", ".join(name for name, _ in COLUMNS[kind]),
                file=source.name,
                line=1,
            )
        )
        return table
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and ";" in names[0]:
        problems.append(
            Problem(
                "E003",
                "the columns are separated by ';', not ','",
                hint="save the sheet as CSV with commas (CSV UTF-8)",
                file=source.name,
                line=1,
            )
        )
        return table
    for index, name in enumerate(names):
        if name not in columns:
            hint = did_you_mean(name, columns) or "columns: " + ", ".join(columns)
            problems.append(
                Problem(
                    "E101",
                    f"unknown column {header[index]!r} (column {index + 1}) in {kind} file",
                    hint=hint,
                    file=source.name,
                    line=1,
                )
            )
        elif name in names[:index]:
            problems.append(
                Problem("E105", f"column {name!r} appears twice", file=source.name, line=1)
            )
    for name, required in COLUMNS[kind]:
        if required and name not in names:
            problems.append(
                Problem(
                    "E102",
                    f"the {kind} file has no column {name!r}",
                    hint="the first row must name the columns: "
                    + ", ".join(n for n, r in COLUMNS[kind] if r)
                    + " are required",
                    file=source.name,
                    line=1,
                )
            )
    if problems:
        return table
    row_number = 1
    try:
        for cells in reader:
            row_number += 1
            if not any(cell.strip() for cell in cells):
                continue  # blank rows, as spreadsheets leave them
            if len(cells) > len(names):
                extra = [c for c in cells[len(names) :] if c.strip()]
                if extra:
                    problems.append(
                        Problem(
                            "E103",
                            f"row has {len(cells)} cells but the header names {len(names)} columns",
                            hint="quote cells that contain commas",
                            file=source.name,
                            line=row_number,
                        )
                    )
                    continue
            values = dict(zip(names, cells, strict=False))
            item = _row_item(kind, values, source.name, row_number, problems, table)
            table.items.append(item)
            table.rows.append(row_number)
    except csv.Error as exc:
        problems.append(
            Problem("E003", f"CSV syntax error: {exc}", file=source.name, line=row_number + 1)
        )
    return table


def _cell(values: Mapping[str, str], key: str) -> str | None:
    """A cell's text, or ``None`` when empty. Free text is kept exactly as written."""
    raw = values.get(key)
    if raw is None or raw == "":
        return None
    raw = csv_uncell(raw)  # the ' that export put before a formula-like cell
    if key in _NUMBER_COLUMNS or key in _DATE_COLUMNS or key in _LIST_COLUMNS:
        raw = raw.strip()
        return raw or None
    if key in ("id", "promise", "category", "criterion", "rating", "effect", "deadline"):
        return raw.strip() or None
    return raw


def _number(text: str) -> Any:
    """A float, or the text itself so that the loader reports it as not a number."""
    if not text.isascii():  # float() also takes other scripts' digits ("١٢")
        return text
    try:
        return float(text)
    except ValueError:
        return text


def _date(text: str) -> Any:
    from .dates import parse_date

    try:
        return parse_date(text)
    except ValueError:
        return text  # the loader reports it, with the value


def _list(text: str, key: str, where: tuple[str, int], problems: list[Problem]) -> Any:
    if text.startswith("["):
        return _json(text, key, where, problems)
    return [part.strip() for part in text.split(";") if part.strip()]


def _json(text: str, key: str, where: tuple[str, int], problems: list[Problem]) -> Any:
    from .loading.files import unrepresentable

    try:
        value = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except ValueError as exc:
        problems.append(
            Problem(
                "E103",
                f"column {key!r} is not valid JSON: {exc}",
                hint='e.g. [{"id": "a", "title": "..."}] for criteria, {"note": "..."} for meta',
                file=where[0],
                line=where[1],
            )
        )
        return _SKIP
    found = unrepresentable(value, None, "json", where[0], numbers=False)  # lone surrogates
    if found:
        problems += [
            attrs.evolve(p, message=f"column {key!r}: {p.message}", line=where[1]) for p in found
        ]
        return _SKIP
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r} (JSON readers disagree on which wins)")
            seen.add(key)
    return result


_SKIP: Any = object()


def _source(values: Mapping[str, str], where: tuple[str, int], problems: list[Problem]) -> Any:
    title = _cell(values, "source_title")
    table: dict[str, Any] = {}
    for key in ("url", "publisher", "kind"):
        text = _cell(values, f"source_{key}")
        if text is not None:
            table[key] = text
    when = _cell(values, "source_date")
    if when is not None:
        table["date"] = _date(when)
    if title is None:
        if table:
            problems.append(
                Problem(
                    "E102",
                    "source details are given but source_title is empty",
                    hint="a source needs a title",
                    file=where[0],
                    line=where[1],
                )
            )
        return None
    if not table:
        return title  # a bare citation
    return {"title": title, **table}


def _row_item(
    kind: str,
    values: Mapping[str, str],
    name: str,
    row: int,
    problems: list[Problem],
    table: _Table,
) -> dict[str, Any]:
    where = (name, row)
    item: dict[str, Any] = {}
    for key, _ in COLUMNS[kind]:
        if key.startswith(("source_", "target_")) or key == "category_title":
            continue
        text = _cell(values, key)
        if text is None:
            continue
        value: Any
        if key in _NUMBER_COLUMNS:
            value = _number(text)
        elif key in _DATE_COLUMNS:
            value = _date(text)
        elif key in _JSON_COLUMNS:
            value = _json(text, key, where, problems)
        elif key in _LIST_COLUMNS:
            value = _list(text, key, where, problems)
        elif key == "deadline" and _DATE_RE.fullmatch(text):
            value = _date(text)
        else:
            value = text
        if value is not _SKIP:
            item[key] = value
    if kind in ("promises", "evidence"):
        source = _source(values, where, problems)
        if source is not None:
            item["source"] = source
    if kind == "promises":
        target = {
            key: _number(text) if key in ("baseline", "target") else text
            for key in ("metric", "baseline", "target", "unit")
            if (text := _cell(values, f"target_{key}")) is not None
        }
        if target:
            item["target"] = target
        title = _cell(values, "category_title")
        category = item.get("category")
        if title is not None and isinstance(category, str):
            table.category_titles.append((category, title, row))
    return item


def _humanize(ident: str) -> str:
    words = re.sub(r"[-_.]+", " ", ident).strip()
    return words[:1].upper() + words[1:] if words else ident


def _derived_categories(tables: Sequence[_Table], problems: list[Problem]) -> list[dict[str, Any]]:
    """Without a categories file: one category per id named in the promises file."""
    promises = next((t for t in tables if t.kind == "promises"), None)
    if promises is None:
        return []
    titles: dict[str, tuple[str, int]] = {}
    for ident, title, row in promises.category_titles:
        if ident in titles and titles[ident][0] != title:
            problems.append(
                Problem(
                    "E202",
                    f"category {ident!r} has title {title!r} here but "
                    f"{titles[ident][0]!r} in row {titles[ident][1]}",
                    hint="give each category one title",
                    file=promises.name,
                    line=row,
                )
            )
        titles.setdefault(ident, (title, row))
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in promises.items:
        named = item.get("category")
        if isinstance(named, str) and ID_PATTERN.fullmatch(named) and named not in seen:
            seen.add(named)
            label = titles[named][0] if named in titles else _humanize(named)
            found.append({"id": named, "title": label})
    return found


def _assemble(
    root: dict[str, Any], tables: Sequence[_Table]
) -> tuple[Rubric | None, list[Problem]]:
    """Run the rows through the rubric loader, so they are checked like a rubric file.

    Each CSV file becomes an included file whose located text is JSON with every object
    on the line of its CSV row: the loader's problems then carry the row as their line.
    """
    from .loading import _assemble as assemble
    from .loading.files import SourceFile

    files = [SourceFile(_ROOT_NAME, None, "json", root, False, text=None)]
    for table in tables:
        data = {table.kind: table.items}
        # assessors belong to the main file (an included file may not hold them)
        included = table.kind != "assessors"
        files.append(
            SourceFile(
                table.name,
                None,
                "json",
                data,
                included,
                text=_row_aligned(table, default=_jsonable),
            )
        )
    rubric, problems = assemble(files, [])
    return rubric, problems


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _row_aligned(table: _Table, default: Any) -> str:
    """JSON text of ``{kind: items}`` with item *i* starting on line ``rows[i]``."""
    parts = [json.dumps(table.kind) + ": ["]
    line = 1
    for index, (item, row) in enumerate(zip(table.items, table.rows, strict=True)):
        text = json.dumps(item, ensure_ascii=False, default=default)
        separator = "," if index else ""
        parts.append(separator + "\n" * (row - line) + text)
        line = row
    return "{" + "".join(parts) + "]}"


# --------------------------------------------------------------------------- export


@attrs.frozen
class ExportResult:
    """What :func:`export_csv` wrote, and what of the rubric the CSV files leave out."""

    directory: str
    written: tuple[str, ...]
    not_carried: tuple[str, ...]


def _num(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return _num(value)
    return str(value)


def _json_cell(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False, default=_jsonable)


def _list_cell(items: Sequence[str]) -> str:
    plain = all(
        ";" not in item and item == item.strip() and item and not item.startswith("[")
        for item in items
    )
    if plain:
        return ";".join(items)
    return json.dumps(list(items), ensure_ascii=False)


def _source_cells(source: Source | None) -> dict[str, str]:
    if source is None:
        return {}
    return {
        "source_title": source.title,
        "source_url": _text(source.url),
        "source_publisher": _text(source.publisher),
        "source_date": _text(source.date),
        "source_kind": _text(source.kind),
    }


def _criteria_cell(promise: Promise) -> str:
    if not promise.criteria:
        return ""
    items = []
    for criterion in promise.criteria:
        entry: dict[str, Any] = {"id": criterion.id, "title": criterion.title}
        if criterion.weight != 1.0:
            entry["weight"] = criterion.weight
        if criterion.meta:
            entry["meta"] = dict(criterion.meta)
        items.append(entry)
    return _json_cell(items)


def _meta_cell(meta: Mapping[str, Any]) -> str:
    return _json_cell(dict(meta)) if meta else ""


def rows(rubric: Rubric) -> dict[str, list[dict[str, str]]]:
    """The rubric's rows per file kind, every cell as text."""
    promises = []
    for p in rubric.promises:
        row = {
            "id": p.id,
            "title": p.title,
            "category": _text(p.category),
            "weight": _num(p.weight),
            "deadline": _text(p.deadline),
            "text": _text(p.text),
            "made_by": _text(p.made_by),
            "made_on": _text(p.made_on),
            "authority": _text(p.authority),
            "tags": _list_cell(p.tags) if p.tags else "",
            **_source_cells(p.source),
            "criteria": _criteria_cell(p),
            "meta": _meta_cell(p.meta),
        }
        if p.target is not None:
            row.update(
                {
                    "target_metric": p.target.metric,
                    "target_baseline": _num(p.target.baseline),
                    "target_target": _num(p.target.target),
                    "target_unit": _text(p.target.unit),
                }
            )
        promises.append(row)
    evidence = [
        {
            "id": e.id,
            "promise": e.promise,
            "date": _text(e.date),
            "summary": e.summary,
            **_source_cells(e.source),
            "quote": _text(e.quote),
            "value": _text(e.value),
            "criterion": _text(e.criterion),
            "effect": "" if e.effect == "advances" else e.effect,
            "meta": _meta_cell(e.meta),
        }
        for e in rubric.evidence
    ]
    assessments = [
        {
            "promise": a.promise,
            "criterion": _text(a.criterion),
            "by": a.by,
            "date": _text(a.date),
            "effective": _text(a.effective),
            "rating": _text(a.rating),
            "value": _text(a.value),
            "evidence": ";".join(a.evidence),
            "note": _text(a.note),
            "meta": _meta_cell(a.meta),
        }
        for a in rubric.assessments
    ]
    categories = [
        {
            "id": c.id,
            "title": c.title,
            "weight": _text(c.weight),
            "meta": _meta_cell(c.meta),
        }
        for c in rubric.categories
    ]
    assessors = [
        {
            "id": a.id,
            "name": a.name,
            "role": a.role,
            "url": _text(a.url),
            "description": _text(a.description),
            "meta": _meta_cell(a.meta),
        }
        for a in rubric.declared_assessors
    ]
    return {
        "assessors": assessors,
        "categories": categories,
        "promises": promises,
        "evidence": evidence,
        "assessments": assessments,
    }


def to_csv(kind: str, items: Sequence[Mapping[str, str]]) -> str:
    """One CSV file: the base columns and every other column some row uses."""
    used = {key for item in items for key, value in item.items() if value != ""}
    columns = [name for name, _ in COLUMNS[kind] if name in BASE_COLUMNS[kind] or name in used]
    lines = [_csv_row(columns)]
    text = [name not in _NUMBER_COLUMNS for name in columns]  # numbers stay numbers
    lines += [
        _csv_row(
            [
                csv_cell(item.get(name, "")) if text[i] else item.get(name, "")
                for i, name in enumerate(columns)
            ]
        )
        for item in items
    ]
    return "".join(lines)


def _csv_row(cells: Sequence[str]) -> str:
    """One CSV row (RFC 4180): cells with a comma, quote, CR or LF are quoted.

    Written by hand because :mod:`csv`'s writer leaves a lone CR unquoted when the line
    terminator is LF, and readers then split the row there.
    """
    return ",".join(_quote(cell) for cell in cells) + "\n"


def _quote(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def export_tables(rubric: Rubric) -> dict[str, str]:
    """File name → CSV text. ``categories.csv`` only when the rubric declares categories,
    ``assessors.csv`` only when it declares assessors (format 1.1)."""
    tables = rows(rubric)
    out: dict[str, str] = {}
    for kind in ("promises", "evidence", "assessments", "categories", "assessors"):
        if kind in ("categories", "assessors") and not tables[kind]:
            continue
        out[FILE_NAMES[kind]] = to_csv(kind, tables[kind])
    return out


def not_carried(rubric: Rubric) -> list[str]:
    """What of ``rubric`` the CSV files (and the import options) cannot hold."""
    from .model import Grading

    notes: list[str] = []
    if rubric.scale.preset is None:
        notes.append("the custom scale levels (import takes a built-in --scale)")
    if rubric.grading != Grading():
        notes.append("[grading] (add it to the imported rubric by hand)")
    if rubric.format != "1" and not (
        rubric.declared_assessors or any(a.effective is not None for a in rubric.assessments)
    ):
        notes.append('format = "1.1" (the import gives format 1: set it by hand)')
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
    """Write ``promises.csv``, ``evidence.csv``, ``assessments.csv`` (and ``categories.csv``).

    Each file is written atomically; none may be one of ``inputs``. The directory is
    created if needed.
    """
    from .output import OutputError, refuse_inputs, write_all_atomic

    target = Path(directory)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {directory}: {exc.strerror or exc}") from None
    tables = export_tables(rubric)
    inputs = list(inputs)
    paths = {name: target / name for name in tables}
    for path in paths.values():
        refuse_inputs(path, inputs)
    write_all_atomic({paths[name]: text for name, text in tables.items()})  # all or none
    written = [str(paths[name]) for name in tables]
    return ExportResult(str(directory), tuple(written), tuple(not_carried(rubric)))


def import_command(rubric: Rubric, result: ExportResult) -> str:
    """The ``promisescore import`` command line that rebuilds ``rubric`` from the export."""
    base = Path(result.directory)
    parts = ["promisescore", "import"]
    parts += [str(base / FILE_NAMES[k]) for k in ("promises", "evidence", "assessments")]
    if any(Path(p).name == FILE_NAMES["categories"] for p in result.written):
        parts += ["--categories", str(base / FILE_NAMES["categories"])]
    if any(Path(p).name == FILE_NAMES["assessors"] for p in result.written):
        parts += ["--assessors", str(base / FILE_NAMES["assessors"])]
    report = rubric.report
    parts += ["--scale", rubric.scale.preset or "politifact"]
    parts += ["--title", report.title, "--start", report.start.isoformat()]
    if report.subject is not None:
        parts += ["--subject", report.subject]
    if report.end is not None:
        parts += ["--end", report.end.isoformat()]
    if report.as_of is not None:
        parts += ["--as-of", report.as_of.isoformat()]
    parts += ["--output", "rubric.toml"]
    return " ".join(shlex.quote(p) for p in parts)


__all__ = [
    "COLUMNS",
    "CsvImportError",
    "CsvText",
    "ExportResult",
    "ReportInfo",
    "export_csv",
    "export_tables",
    "import_command",
    "import_csv",
    "import_tables",
    "not_carried",
]
