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
import difflib
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

from .csvtext import Raw, csv_table
from .errors import InputFileError, Problem, PromisescoreError, RubricError
from .fields import ARRAY_KINDS, field_table
from .model import Rubric
from .model.parts import ID_PATTERN
from .sanitize import csv_uncell, xml_legal

#: Each file and the object type of its rows.
OBJECT_KINDS: dict[str, str] = {
    "promises": "promise",
    "evidence": "evidence",
    "assessments": "assessment",
    "categories": "category",
    "criteria": "criterion",
    "assessors": "assessor",
}

#: Columns that are no key of the object: (name, required, type tag).
_EXTRA_COLUMNS: dict[str, tuple[tuple[str, bool, str], ...]] = {
    "promises": (("category_title", False, "str"),),
    "criteria": (("promise", True, "id"),),
}

#: The order of the columns where it is not the field table's: the columns people fill in
#: first (a nested table's key, ``source``, stands for all its columns). Columns not listed
#: follow in the table's order, ``meta`` last.
_LAYOUT: dict[str, tuple[str, ...]] = {
    "promises": (
        "id",
        "title",
        "category",
        "weight",
        "deadline",
        "text",
        "made_by",
        "made_on",
        "authority",
        "tags",
        "category_title",
        "source",
        "criteria",
    ),
    "evidence": (
        "id",
        "promise",
        "date",
        "summary",
        "source_title",
        "source_url",
        "source_kind",
        "quote",
        "value",
        "criterion",
        "effect",
    ),
}


def _field_columns(file_kind: str) -> list[tuple[str, bool, str]]:
    """The columns of the keys of a file's objects: one per key, and for a nested
    source or target one per key of it (``source_title``, ``target_metric``, ...)."""
    found: list[tuple[str, bool, str]] = []
    for spec in field_table(OBJECT_KINDS[file_kind]):
        sub = spec.sub_kind
        if spec.tag in ("source", "table:target") and sub is not None:
            found.extend(
                (f"{spec.key}_{part.key}", spec.required and part.required, part.tag)
                for part in field_table(sub)
                if part.key != "meta"
            )
        else:
            found.append((spec.key, spec.required, spec.tag))
    return found


def columns(file_kind: str) -> tuple[tuple[str, bool], ...]:
    """The columns of one file (``promises``, ``evidence``, ...): (name, required), from
    the model's field table (:mod:`promisescore.fields`) in the file's column order."""
    found = {name: required for name, required, _ in _EXTRA_COLUMNS.get(file_kind, ())}
    found.update((name, required) for name, required, _ in _field_columns(file_kind))
    nested = {
        spec.key
        for spec in field_table(OBJECT_KINDS[file_kind])
        if spec.tag in ("source", "table:target")
    }
    listed: list[str] = []
    for entry in _LAYOUT.get(file_kind, ()):
        if entry in nested:
            listed += [name for name in found if name.startswith(f"{entry}_")]
        elif entry in found:
            listed.append(entry)
    names = listed + [name for name in found if name not in listed and name != "meta"]
    if "meta" in found:
        names.append("meta")
    return tuple((name, found[name]) for name in names)


def _column_tags() -> dict[str, set[str]]:
    tags: dict[str, set[str]] = {}
    for file_kind in OBJECT_KINDS:
        for name, _, tag in (*_EXTRA_COLUMNS.get(file_kind, ()), *_field_columns(file_kind)):
            tags.setdefault(tag.split(":", 1)[0], set()).add(name)
    return tags


#: Columns of each file: (name, required). Required columns must be in the header.
COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {kind: columns(kind) for kind in OBJECT_KINDS}

#: Columns :func:`export_csv` always writes (others only when some row has a value).
BASE_COLUMNS: dict[str, tuple[str, ...]] = {
    "promises": ("id", "title", "category", "weight", "deadline"),
    "evidence": ("id", "promise", "date", "summary", "source_title", "source_url", "source_kind"),
    "assessments": ("promise", "criterion", "by", "date", "rating", "value", "evidence", "note"),
    "categories": ("id", "title", "weight"),
    "criteria": ("promise", "id", "title", "weight"),
    "assessors": ("id", "name", "role"),
}

#: File names :func:`export_csv` writes.
FILE_NAMES: dict[str, str] = {
    "promises": "promises.csv",
    "evidence": "evidence.csv",
    "assessments": "assessments.csv",
    "categories": "categories.csv",
    "criteria": "criteria.csv",
    "assessors": "assessors.csv",
}

#: The file (and workbook sheet) holding everything but the rows: format, report,
#: scale, grading, as a rubric file without arrays (format 1.1's assessors have their
#: own sheet, ``assessors.csv``).
SETTINGS_NAME = "settings.toml"

#: Workbook sheet names, as the CSV files are named.
SHEETS: dict[str, str] = {kind: kind for kind in FILE_NAMES} | {"settings": "settings"}

_TAGS = _column_tags()
_NUMBER_COLUMNS = frozenset(_TAGS.get("number", ()))
_DATE_COLUMNS = frozenset(_TAGS.get("date", ()))
_JSON_COLUMNS = frozenset(_TAGS.get("tables", set()) | _TAGS.get("meta", set()))
_LIST_COLUMNS = frozenset(_TAGS.get("strs", set()) | _TAGS.get("ids", set()))
#: Columns whose cells are read without surrounding spaces (ids, deadlines, effect).
_TRIMMED_COLUMNS = frozenset(_TAGS.get("id", set()) | _TAGS.get("deadline", set()) | {"effect"})
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


class MissingExtraError(PromisescoreError, ImportError):
    """An optional dependency is missing (openpyxl for Excel workbooks); the message
    names the extra to install."""


@attrs.define
class _Options:
    """How cells are read: columns to drop, the date format, and what was noticed."""

    ignore: frozenset[str] = frozenset()
    date_format: str | None = None
    warnings: list[Problem] = attrs.Factory(list)
    # (file, row, text) of a date cell that did not parse → the ISO form to suggest
    date_hints: dict[tuple[str, int, str], str] = attrs.Factory(dict)


def import_csv(
    promises: str | os.PathLike[str],
    evidence: str | os.PathLike[str] | None = None,
    assessments: str | os.PathLike[str] | None = None,
    *,
    categories: str | os.PathLike[str] | None = None,
    criteria: str | os.PathLike[str] | None = None,
    assessors: str | os.PathLike[str] | None = None,
    settings: str | os.PathLike[str] | None = None,
    scale: str | None = None,
    report: ReportInfo | None = None,
    ignore_columns: Iterable[str] = (),
    date_format: str | None = None,
    warnings: list[Problem] | None = None,
) -> Rubric:
    """Build a rubric from CSV files.

    The scale and the report come from ``settings`` (a ``settings.toml`` as
    :func:`export_csv` writes it) and/or the ``scale`` (a built-in preset) and
    ``report`` arguments, which override it. Unknown columns are kept in each row's
    ``meta`` (one warning per file is appended to ``warnings``), except those named in
    ``ignore_columns``. ``date_format`` (a :func:`~datetime.datetime.strptime` format
    such as ``%m/%d/%Y``) is accepted besides ``YYYY-MM-DD``. Without settings, an
    ``assessors`` file (id, name, role, ...) or an ``effective`` date on an assessment
    makes the rubric format 1.1 (FORMAT.md §7).

    Raises :class:`CsvImportError` listing every problem (file and row), and
    :class:`~promisescore.errors.InputFileError` when a file cannot be read.
    """
    return import_tables(
        _read(promises),
        _read(evidence) if evidence is not None else None,
        _read(assessments) if assessments is not None else None,
        categories=_read(categories) if categories is not None else None,
        criteria=_read(criteria) if criteria is not None else None,
        assessors=_read(assessors) if assessors is not None else None,
        settings=_read(settings) if settings is not None else None,
        scale=scale,
        report=report,
        ignore_columns=ignore_columns,
        date_format=date_format,
        warnings=warnings,
    )


def import_dir(
    directory: str | os.PathLike[str],
    *,
    scale: str | None = None,
    report: ReportInfo | None = None,
    ignore_columns: Iterable[str] = (),
    date_format: str | None = None,
    warnings: list[Problem] | None = None,
) -> Rubric:
    """Build a rubric from a directory as :func:`export_csv` writes it: ``promises.csv``
    (required), ``evidence.csv``, ``assessments.csv``, ``categories.csv``,
    ``criteria.csv``, ``assessors.csv`` and ``settings.toml``, each read when present."""
    base = Path(directory)
    if not base.is_dir():
        raise InputFileError(str(directory), "no such directory")
    found = {kind: base / name for kind, name in FILE_NAMES.items() if (base / name).is_file()}
    if "promises" not in found:
        raise InputFileError(
            str(base / FILE_NAMES["promises"]),
            "no such file (a spreadsheet directory needs promises.csv)",
        )
    settings = base / SETTINGS_NAME
    texts = {kind: _read(path) for kind, path in found.items()}
    if settings.is_file():
        texts["settings"] = _read(settings)
    return _import_texts(
        texts,
        scale=scale,
        report=report,
        ignore_columns=ignore_columns,
        date_format=date_format,
        warnings=warnings,
    )


def _import_texts(texts: Mapping[str, CsvText], **options: Any) -> Rubric:
    """:func:`import_tables` with the files (or sheets) found, by kind."""
    return import_tables(
        texts["promises"],
        texts.get("evidence"),
        texts.get("assessments"),
        categories=texts.get("categories"),
        criteria=texts.get("criteria"),
        assessors=texts.get("assessors"),
        settings=texts.get("settings"),
        **options,
    )


def import_workbook(
    path: str | os.PathLike[str],
    *,
    scale: str | None = None,
    report: ReportInfo | None = None,
    ignore_columns: Iterable[str] = (),
    date_format: str | None = None,
    warnings: list[Problem] | None = None,
) -> Rubric:
    """Build a rubric from an Excel workbook (``.xlsx``) whose sheets are named like the
    CSV files: ``promises`` (required), ``evidence``, ``assessments``, ``categories``,
    ``criteria``, ``assessors`` and ``settings`` (the lines of ``settings.toml`` in column A).

    Needs the optional dependency openpyxl (``pip install 'promisescore[xlsx]'``).
    """
    sheets = _read_workbook(path)
    name = str(path)
    if "promises" not in sheets:
        raise InputFileError(name, "the workbook has no sheet named 'promises'")

    return _import_texts(
        sheets,
        scale=scale,
        report=report,
        ignore_columns=ignore_columns,
        date_format=date_format,
        warnings=warnings,
    )


def import_from(
    source: str | os.PathLike[str],
    *,
    scale: str | None = None,
    report: ReportInfo | None = None,
    ignore_columns: Iterable[str] = (),
    date_format: str | None = None,
    warnings: list[Problem] | None = None,
) -> Rubric:
    """:func:`import_workbook` for an ``.xlsx`` file, else :func:`import_dir`."""
    kwargs: dict[str, Any] = {
        "scale": scale,
        "report": report,
        "ignore_columns": ignore_columns,
        "date_format": date_format,
        "warnings": warnings,
    }
    if str(source).lower().endswith(".xlsx"):
        return import_workbook(source, **kwargs)
    return import_dir(source, **kwargs)


def _openpyxl() -> Any:
    import importlib

    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise MissingExtraError(
            "Excel workbooks need the optional dependency openpyxl: "
            "pip install 'promisescore[xlsx]' (or save the sheets as CSV files)"
        ) from None


def _xlsx_text(value: Any) -> str:
    """A workbook cell as the text a CSV file would hold."""
    from datetime import datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return _num(value)
    return str(value)


def _read_workbook(path: str | os.PathLike[str]) -> dict[str, CsvText]:
    openpyxl = _openpyxl()
    name = str(path)
    if not Path(path).is_file():
        raise InputFileError(name, "no such file")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ... : not a workbook
        raise InputFileError(name, f"not an Excel workbook (.xlsx): {exc}") from None
    sheets: dict[str, CsvText] = {}
    try:
        for sheet in book.worksheets:
            kind = sheet.title.strip().lower()
            if kind not in SHEETS:
                continue
            rows = [[_xlsx_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            label = f"{name}[{sheet.title}]"
            if kind == "settings":
                text = "\n".join(row[0] if row else "" for row in rows) + "\n"
            else:
                while rows and not any(rows[-1]):
                    rows.pop()
                # data cells as export writes them (a formula-like text behind a '), so
                # that reading them undoes exactly that
                text = csv_table(rows[0], rows[1:]) if rows else ""
            sheets[kind] = CsvText(label, text)
    finally:
        book.close()
    return sheets


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
    options: _Options = attrs.Factory(_Options)
    extras: dict[int, str] = attrs.Factory(dict)  # column index → header, kept in meta
    ignored: set[int] = attrs.Factory(set)  # column indexes left out (--ignore-column)


def import_tables(
    promises: CsvText,
    evidence: CsvText | None = None,
    assessments: CsvText | None = None,
    *,
    categories: CsvText | None = None,
    criteria: CsvText | None = None,
    assessors: CsvText | None = None,
    settings: CsvText | None = None,
    scale: str | None = None,
    report: ReportInfo | None = None,
    ignore_columns: Iterable[str] = (),
    date_format: str | None = None,
    warnings: list[Problem] | None = None,
) -> Rubric:
    """Like :func:`import_csv`, from texts already read (for tests and other tools)."""
    options = _Options(
        ignore=frozenset(name.strip().lower() for name in ignore_columns),
        date_format=date_format,
    )
    problems: list[Problem] = []
    tables: list[_Table] = []
    for kind, source in (
        ("assessors", assessors),
        ("categories", categories),
        ("promises", promises),
        ("evidence", evidence),
        ("assessments", assessments),
        ("criteria", criteria),
    ):
        if source is not None:
            tables.append(_parse_table(kind, source, problems, options))
    v11 = assessors is not None or any(
        "effective" in item for t in tables if t.kind == "assessments" for item in t.items
    )
    root = _root(settings, scale, report, problems, v11)
    if warnings is not None:
        warnings.extend(options.warnings)
    if problems or root is None:
        # Header problems (or unreadable CSV): the rows cannot be trusted; report these
        # first rather than a cascade of consequences.
        raise CsvImportError(sorted(problems, key=_order))
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
    criteria_table = next((t for t in tables if t.kind == "criteria"), None)
    if criteria_table is not None:
        tables.remove(criteria_table)
        _attach_criteria(criteria_table, tables, problems)
    if categories is None:
        derived = _derived_categories(tables, problems)
        if derived:
            root["categories"] = derived
    rubric, found = _assemble(root, tables, settings)
    problems += [_with_date_hint(p, options) for p in found]
    errors = [p for p in problems if p.is_error]
    if errors or rubric is None:
        raise CsvImportError(sorted(errors or problems, key=_order))
    return rubric


def _with_date_hint(problem: Problem, options: _Options) -> Problem:
    if problem.code != "E205" or problem.file is None or problem.line is None:
        return problem
    for (file, row, text), iso in options.date_hints.items():
        if file == problem.file and row == problem.line and repr(text) in problem.message:
            return attrs.evolve(
                problem,
                hint=f"did you mean {iso}? write dates as YYYY-MM-DD, or pass "
                "--date-format (e.g. %m/%d/%Y) to read this form",
            )
    if options.date_format is None and "is not a date of the form" in problem.message:
        return attrs.evolve(
            problem,
            hint="write dates as YYYY-MM-DD, or pass --date-format (e.g. %d/%m/%Y)",
        )
    return problem


def _root(
    settings: CsvText | None,
    scale: str | None,
    report: ReportInfo | None,
    problems: list[Problem],
    v11: bool = False,
) -> dict[str, Any] | None:
    """The rubric's top level: ``settings.toml``, with the import options over it.
    Without settings the format is 1, or 1.1 when ``v11`` (assessors or effective dates)."""
    root: dict[str, Any] = {"format": "1.1" if v11 else 1}
    if settings is not None:
        from .loading.files import parse_text

        data, found = parse_text(settings.text, "toml", settings.name)
        problems.extend(found)
        if data is None:
            return None
        arrays = [k for k in ("categories", "promises", "evidence", "assessments") if k in data]
        if arrays:
            problems.append(
                Problem(
                    "E104",
                    f"{', '.join(arrays)} belong in their own CSV files, not in the settings",
                    hint="settings hold format, report, scale, grading (and assessors)",
                    file=settings.name,
                    line=1,
                )
            )
            return None
        root = dict(data)
    if report is not None:
        table = dict(root.get("report") or {})
        for key in ("title", "subject", "start", "end", "as_of"):
            value = getattr(report, key)
            if value is not None:
                table[key] = value
        root["report"] = table
    if scale is not None:
        root["scale"] = {"preset": scale}
    missing = [k for k in ("report", "scale") if k not in root]
    if missing:
        problems.append(
            Problem(
                "E102",
                "no " + " and no ".join(missing) + " given",
                hint="pass --scale and --title/--start, or put a settings.toml "
                "(as `promisescore export --to DIR` writes it) beside the CSV files",
                file=settings.name if settings is not None else _ROOT_NAME,
            )
        )
        return None
    return root


def _attach_criteria(criteria: _Table, tables: Sequence[_Table], problems: list[Problem]) -> None:
    """Rows of ``criteria.csv`` become the ``criteria`` of their promises, in row order."""
    promises = next(t for t in tables if t.kind == "promises")
    by_id: dict[str, dict[str, Any]] = {}
    for item in promises.items:
        ident = item.get("id")
        if isinstance(ident, str):
            by_id.setdefault(ident, item)
    for item, row in zip(criteria.items, criteria.rows, strict=True):
        owner = item.get("promise")
        if not isinstance(owner, str):
            problems.append(
                Problem(
                    "E102",
                    "the criterion has no promise",
                    hint="name the promise id in the promise column",
                    file=criteria.name,
                    line=row,
                )
            )
            continue
        if owner not in by_id:
            from .suggest import close_matches

            near = close_matches(owner, by_id)
            problems.append(
                Problem(
                    "E301",
                    f"criterion of unknown promise {owner!r}",
                    hint=f"did you mean {near[0]!r}?"
                    if near
                    else "the promise must be in promises.csv",
                    file=criteria.name,
                    line=row,
                )
            )
            continue
        entry = {k: v for k, v in item.items() if k != "promise"}
        existing = by_id[owner].get("criteria")
        if not isinstance(existing, list):
            existing = []
        by_id[owner]["criteria"] = [*existing, entry]


_ROOT_NAME = "<import options>"


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file or "", problem.line or 0, problem.code)


def _parse_table(
    kind: str, source: CsvText, problems: list[Problem], options: _Options | None = None
) -> _Table:
    options = options or _Options()
    table = _Table(kind, source.name, options=options)
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
    unknown: list[str] = []
    for index, name in enumerate(names):
        if name in options.ignore:
            table.ignored.add(index)
        elif name not in columns:
            label = header[index].strip() or f"column {index + 1}"
            table.extras[index] = label
            near = difflib.get_close_matches(name, list(columns), n=1, cutoff=0.8)
            unknown.append(f"{label!r}" + (f" (did you mean {near[0]!r}?)" if near else ""))
        elif name in names[:index]:
            problems.append(
                Problem("E105", f"column {name!r} appears twice", file=source.name, line=1)
            )
    if unknown:
        options.warnings.append(
            Problem(
                "W110",
                f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"in the {kind} file: kept in each row's meta",
                severity="warning",
                hint="rename a column meant to be a known one (docs/import-export.md lists "
                "them); --ignore-column NAME leaves one out",
                file=source.name,
                line=1,
            )
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
            values = {
                name: cell
                for index, (name, cell) in enumerate(zip(names, cells, strict=False))
                if index not in table.extras and index not in table.ignored
            }
            item = _row_item(kind, values, source.name, row_number, problems, table)
            kept = {
                table.extras[index]: cells[index]
                for index in table.extras
                if index < len(cells) and cells[index].strip()
            }
            if kept:
                meta = item.get("meta")
                item["meta"] = {**kept, **meta} if isinstance(meta, dict) else kept
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
    if key in _TRIMMED_COLUMNS:
        return raw.strip() or None
    return raw


def _number(text: str) -> Any:
    """A float (thousands separators allowed when unambiguous: ``2,150``), or the text
    itself so that the loader reports it as not a number."""
    from .cells import parse_number

    value = parse_number(text)
    return text if value is None else value


def _date(text: str, options: _Options | None = None, where: tuple[str, int] = ("", 0)) -> Any:
    from .cells import parse_date_text, suggest_iso

    try:
        return parse_date_text(text, options.date_format if options is not None else None)
    except ValueError:
        if options is not None:
            iso = suggest_iso(text)
            if iso is not None:
                options.date_hints[(where[0], where[1], text)] = iso
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


def _source(
    values: Mapping[str, str],
    where: tuple[str, int],
    problems: list[Problem],
    options: _Options | None = None,
) -> Any:
    title = _cell(values, "source_title")
    table: dict[str, Any] = {}
    for part in field_table("source"):
        if part.key in ("title", "meta"):
            continue
        text = _cell(values, f"source_{part.key}")
        if text is not None:
            table[part.key] = _date(text, options, where) if part.tag == "date" else text
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
            value = _date(text, table.options, where)
        elif key in _JSON_COLUMNS:
            value = _json(text, key, where, problems)
        elif key in _LIST_COLUMNS:
            value = _list(text, key, where, problems)
        elif key == "deadline" and (
            _DATE_RE.fullmatch(text) or (table.options.date_format and _looks_dated(text))
        ):
            value = _date(text, table.options, where)
        else:
            value = text
        if value is not _SKIP:
            item[key] = value
    if kind in ("promises", "evidence"):
        source = _source(values, where, problems, table.options)
        if source is not None:
            item["source"] = source
    if kind == "promises":
        target = {
            part.key: _number(text) if part.tag == "number" else text
            for part in field_table("target")
            if (text := _cell(values, f"target_{part.key}")) is not None
        }
        if target:
            item["target"] = target
        title = _cell(values, "category_title")
        category = item.get("category")
        if title is not None and isinstance(category, str):
            table.category_titles.append((category, title, row))
    return item


def _looks_dated(text: str) -> bool:
    """A deadline cell that is not a duration or ``end-of-term``: read it as a date."""
    return not text.startswith("P") and text != "end-of-term"


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
    root: dict[str, Any], tables: Sequence[_Table], settings: CsvText | None = None
) -> tuple[Rubric | None, list[Problem]]:
    """Run the rows through the rubric loader, so they are checked like a rubric file.

    Each CSV file becomes an included file whose located text is JSON with every object
    on the line of its CSV row: the loader's problems then carry the row as their line.
    """
    from .loading import assemble
    from .loading.files import SourceFile

    if settings is not None:
        files = [SourceFile(settings.name, None, "toml", root, False, text=settings.text)]
    else:
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
    from .serialize import to_data, to_toml

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
    from .model import Grading

    notes: list[str] = []
    if not settings:
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
    """Write ``promises.csv``, ``evidence.csv``, ``assessments.csv`` (``categories.csv``,
    ``criteria.csv`` when used) and ``settings.toml``: everything needed to rebuild the
    rubric with :func:`import_dir`.

    Each file is written atomically; none may be one of ``inputs``. The directory is
    created if needed.
    """
    from .safe_write import OutputError, refuse_inputs, write_all_atomic

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


#: Columns written as numbers and dates in a workbook (everything else is text).
_XLSX_NUMBERS = _NUMBER_COLUMNS
_XLSX_DATES = _DATE_COLUMNS


def _xlsx_cell(sheet: Any, row: int, column: int, value: str, kind: str = "text") -> None:
    """Write one workbook cell. Text stays text (a leading ``=`` is not a formula);
    numbers and dates of the number and date columns are typed so sheets can use them."""
    cell = sheet.cell(row=row, column=column)
    if value == "":
        return
    if kind == "number":
        from .cells import parse_number

        number = parse_number(value)
        # Excel keeps 15 significant digits: a number that needs more stays text (exact)
        if number is not None and float(f"{number:.15g}") == number:
            cell.value = int(number) if number.is_integer() and abs(number) < 2**53 else number
            return
    if kind == "date" and _DATE_RE.fullmatch(value):
        cell.value = date.fromisoformat(value)
        cell.number_format = "yyyy-mm-dd"
        return
    cell.value = xml_legal(value)  # XML cannot hold some control characters at all
    cell.data_type = "s"


def export_workbook(
    rubric: Rubric,
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> ExportResult:
    """Write an Excel workbook (``.xlsx``) with one sheet per CSV file (named like them,
    without ``.csv``) and a ``settings`` sheet (the lines of ``settings.toml``);
    :func:`import_workbook` reads it back. Needs openpyxl (``promisescore[xlsx]``)."""
    from datetime import datetime

    from .safe_write import refuse_inputs, write_atomic

    openpyxl = _openpyxl()
    refuse_inputs(path, list(inputs))
    tables = rows(rubric)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for kind in _OPTIONAL_ORDER:
        items = tables[kind]
        if kind in ("categories", "criteria", "assessors") and not items:
            continue
        sheet = book.create_sheet(SHEETS[kind])
        used = {key for item in items for key, value in item.items() if value != ""}
        columns = [n for n, _ in COLUMNS[kind] if n in BASE_COLUMNS[kind] or n in used]
        for index, name in enumerate(columns, start=1):
            _xlsx_cell(sheet, 1, index, name)
        for number, item in enumerate(items, start=2):
            for index, name in enumerate(columns, start=1):
                kind_of = (
                    "number" if name in _XLSX_NUMBERS else "date" if name in _XLSX_DATES else "text"
                )
                _xlsx_cell(sheet, number, index, item.get(name, ""), kind_of)
    sheet = book.create_sheet(SHEETS["settings"])
    # split at "\n" only: str.splitlines would also split inside strings (at U+0085...)
    for number, line in enumerate(settings_text(rubric).rstrip("\n").split("\n"), start=1):
        _xlsx_cell(sheet, number, 1, line)
    # no clock in the output: the same rubric gives the same workbook
    book.properties.created = book.properties.modified = datetime(2000, 1, 1)
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())
    notes = not_carried(rubric, settings=True)
    cells = [cell for items in tables.values() for item in items for cell in item.values()]
    if any("\r" in cell for cell in cells):
        notes.append("carriage returns in texts (a workbook stores line breaks as LF)")
    if any(xml_legal(cell) != cell for cell in cells):
        notes.append("control characters in texts (a workbook cannot hold them: shown as \\xNN)")
    return ExportResult(str(path), (str(path),), tuple(notes))


def export_to(
    rubric: Rubric,
    target: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> ExportResult:
    """:func:`export_workbook` for an ``.xlsx`` path, else :func:`export_csv` to a directory."""
    if str(target).lower().endswith(".xlsx"):
        return export_workbook(rubric, target, inputs=inputs)
    return export_csv(rubric, target, inputs=inputs)


def import_command(rubric: Rubric, result: ExportResult) -> str:
    """The ``promisescore import`` command line that rebuilds ``rubric`` from the export."""
    parts = ["promisescore", "import", "--from", result.directory, "--output", "rubric.toml"]
    return " ".join(shlex.quote(p) for p in parts)
