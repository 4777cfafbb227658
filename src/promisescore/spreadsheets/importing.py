"""Spreadsheets to a rubric: CSV files, a directory of them, or a workbook.

:func:`import_csv` builds a :class:`~promisescore.model.Rubric` from up to seven CSV files
(promises; evidence; assessments; categories; criteria; assessors; settings) plus the
report's title and term and a built-in scale. Every problem is reported at once with its
file and row — rows are numbered as in a spreadsheet, the header being row 1 — and the
rubric is checked exactly as a rubric file is (the rows go through the same loader), so
the messages are the familiar ones.

Cells: empty means "not given". Dates are ``YYYY-MM-DD``. Lists (``tags``, an
assessment's ``evidence``) are separated by ``;`` (or written as a JSON array). The
columns ``criteria`` and ``meta`` hold JSON. Columns are listed in
``docs/import-export.md`` and in :data:`~promisescore.spreadsheets.COLUMNS`.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import InputFileError, Problem
from ..fields import field_table
from ..model import Rubric
from ..model.parts import ID_PATTERN
from ..sanitize import csv_uncell
from .base import (
    _BOOL_COLUMNS,
    _DATE_COLUMNS,
    _DATE_RE,
    _JSON_COLUMNS,
    _LIST_COLUMNS,
    _NUMBER_COLUMNS,
    _TRIMMED_COLUMNS,
    COLUMNS,
    FILE_NAMES,
    CsvImportError,
    CsvText,
    ImportOptions,
    ReportInfo,
    jsonable,
)
from .reading import read_csv, skipped_files
from .xlsx import read_workbook


@attrs.define
class _Reading:
    """While an import runs: how cells are read: columns to drop, the date format, and what was noticed."""

    ignore: frozenset[str] = frozenset()
    date_format: str | None = None
    warnings: list[Problem] = attrs.Factory(list)
    # (file, row, text) of a date cell that did not parse → the ISO form to suggest
    date_hints: dict[tuple[str, int, str], str] = attrs.Factory(dict)


Path_ = str | os.PathLike[str]


def import_csv(
    promises: Path_,
    evidence: Path_ | None = None,
    assessments: Path_ | None = None,
    *,
    categories: Path_ | None = None,
    criteria: Path_ | None = None,
    assessors: Path_ | None = None,
    settings: Path_ | None = None,
    options: ImportOptions | None = None,
) -> Rubric:
    """Build a rubric from CSV files.

    The scale and the report come from ``settings`` (a ``settings.toml`` as
    :func:`~promisescore.spreadsheets.export_csv` writes it) and/or ``options``
    (:class:`~promisescore.spreadsheets.ImportOptions`: a built-in scale, the report,
    columns to leave out, a date format, a list for warnings), which override it.
    Without settings, an ``assessors`` file (id, name, role, ...) or an ``effective``
    date on an assessment makes the rubric format 1.1 (FORMAT.md §7).

    Raises :class:`~promisescore.spreadsheets.CsvImportError` listing every problem
    (file and row), and :class:`~promisescore.errors.InputFileError` when a file cannot
    be read (missing, not a regular file, over the size limit).
    """
    return import_tables(
        read_csv(promises),
        read_csv(evidence) if evidence is not None else None,
        read_csv(assessments) if assessments is not None else None,
        categories=read_csv(categories) if categories is not None else None,
        criteria=read_csv(criteria) if criteria is not None else None,
        assessors=read_csv(assessors) if assessors is not None else None,
        settings=read_csv(settings) if settings is not None else None,
        options=options,
    )


def import_dir(directory: Path_, options: ImportOptions | None = None) -> Rubric:
    """Build a rubric from a directory as
    :func:`~promisescore.spreadsheets.export_csv` writes it: ``promises.csv``
    (required), ``evidence.csv``, ``assessments.csv``, ``categories.csv``,
    ``criteria.csv``, ``assessors.csv`` and ``settings.toml``, each read when present.
    Every other entry is skipped with a warning (``W111``) that names it; one of those
    names that is not a regular file (a FIFO, a link to ``/dev/zero``) is refused."""
    options = _checked(options)
    base = Path(directory)
    if not base.is_dir():
        raise InputFileError(str(directory), "no such directory")
    found, skipped = skipped_files(base)
    if options.warnings is not None:
        options.warnings.extend(skipped)
    if "promises" not in found:
        raise InputFileError(
            str(base / FILE_NAMES["promises"]),
            "no such file (a spreadsheet directory needs promises.csv)",
        )
    return _import_texts({kind: read_csv(path) for kind, path in found.items()}, options)


def _import_texts(texts: Mapping[str, CsvText], options: ImportOptions) -> Rubric:
    """:func:`import_tables` with the files (or sheets) found, by kind."""
    return import_tables(
        texts["promises"],
        texts.get("evidence"),
        texts.get("assessments"),
        categories=texts.get("categories"),
        criteria=texts.get("criteria"),
        assessors=texts.get("assessors"),
        settings=texts.get("settings"),
        options=options,
    )


def import_workbook(path: Path_, options: ImportOptions | None = None) -> Rubric:
    """Build a rubric from an Excel workbook (``.xlsx``) whose sheets are named like the
    CSV files: ``promises`` (required), ``evidence``, ``assessments``, ``categories``,
    ``criteria``, ``assessors`` and ``settings`` (the lines of ``settings.toml`` in column A).

    Needs the optional dependency openpyxl (``pip install 'promisescore[xlsx]'``).
    The workbook is read within bounds (:mod:`promisescore.spreadsheets.reading`).
    """
    options = _checked(options)
    sheets = read_workbook(path)
    if "promises" not in sheets:
        raise InputFileError(str(path), "the workbook has no sheet named 'promises'")
    return _import_texts(sheets, options)


def import_from(source: Path_, options: ImportOptions | None = None) -> Rubric:
    """:func:`import_workbook` for an ``.xlsx`` file, else :func:`import_dir`."""
    if str(source).lower().endswith(".xlsx"):
        return import_workbook(source, options)
    return import_dir(source, options)


def _checked(options: ImportOptions | None) -> ImportOptions:
    if options is None:
        return ImportOptions()
    if not isinstance(options, ImportOptions):
        raise TypeError(f"options must be an ImportOptions or None, not {type(options).__name__}")
    return options


@attrs.define
class _Table:
    """The rows of one CSV file as raw rubric tables, and the row number of each."""

    kind: str
    name: str
    items: list[dict[str, Any]] = attrs.Factory(list)
    rows: list[int] = attrs.Factory(list)
    category_titles: list[tuple[str, str, int]] = attrs.Factory(list)
    options: _Reading = attrs.Factory(_Reading)
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
    options: ImportOptions | None = None,
) -> Rubric:
    """Like :func:`import_csv`, from texts already read (for tests and other tools)."""
    given = _checked(options)
    scale, report, warnings = given.scale, given.report, given.warnings
    state = _Reading(ignore=given.ignore_columns, date_format=given.date_format)
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
            tables.append(_parse_table(kind, source, problems, state))
    v11 = assessors is not None or any(
        "effective" in item for t in tables if t.kind == "assessments" for item in t.items
    )
    root = _root(settings, scale, report, problems, "1.2" if _is_v12(tables) else v11)
    if warnings is not None:
        warnings.extend(state.warnings)
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
    problems += [_with_date_hint(p, state) for p in found]
    errors = [p for p in problems if p.is_error]
    if errors or rubric is None:
        raise CsvImportError(sorted(errors or problems, key=_order))
    return rubric


def _with_date_hint(problem: Problem, options: _Reading) -> Problem:
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


#: Columns of assessments and roles of assessors only format 1.2 has (FORMAT.md §8).
V12_COLUMNS = ("author", "headline", "url")
V12_ROLES = ("desk", "reviewer")


#: Keys of a source only format 1.2 has (FORMAT.md §8.9).
V12_SOURCE_KEYS = ("archive", "archived_on", "sha256")


def _is_v12(tables: list[_Table]) -> bool:
    """Whether the rows use format 1.2: an assessment with an author, headline or url,
    an assessor with the role ``desk`` or ``reviewer``, a verdict on a target or
    criteria promise (an assessment of it without a criterion), an umbrella promise
    (docs/format.md) or an archived source (§8.9)."""
    measured = {
        item.get("id")
        for table in tables
        if table.kind == "promises"
        for item in table.items
        if "target" in item or "criteria" in item
    }
    measured |= {item.get("promise") for t in tables if t.kind == "criteria" for item in t.items}
    for table in tables:
        for item in table.items:
            if table.kind == "assessments" and (
                any(k in item for k in V12_COLUMNS)
                or (item.get("promise") in measured and "criterion" not in item)
            ):
                return True
            if table.kind == "assessors" and item.get("role") in V12_ROLES:
                return True
            if table.kind == "promises" and item.get("umbrella") is True:
                return True
            source = item.get("source")
            if isinstance(source, dict) and any(k in source for k in V12_SOURCE_KEYS):
                return True
    return False


def _root(
    settings: CsvText | None,
    scale: str | None,
    report: ReportInfo | None,
    problems: list[Problem],
    v11: bool | str = False,
) -> dict[str, Any] | None:
    """The rubric's top level: ``settings.toml``, with the import options over it.
    Without settings the format is 1, or 1.1 when ``v11`` (assessors or effective dates),
    or ``v11`` itself when it names a version (``"1.2"``: author, headline, url or the
    desk and reviewer roles)."""
    root: dict[str, Any] = {"format": v11 if isinstance(v11, str) else "1.1" if v11 else 1}
    if settings is not None:
        from ..loading.files import parse_text

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
            from ..suggest import close_matches

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


def read_rows(
    kind: str, source: CsvText, *, date_format: str | None = None
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """The rows of one CSV file of ``kind`` (``promises``, ``evidence``, ``assessments``:
    the columns :func:`~promisescore.spreadsheets.export_csv` writes; ``id`` may be left
    out, as ``add`` makes one) as raw rubric tables, each with the line it starts on (the
    header is line 1; a quoted cell may span lines), and every problem and warning of the file (a bad header, a cell that cannot
    be read). ``promisescore add --from`` reads its CSV input with it."""
    options = _Reading(date_format=date_format)
    problems: list[Problem] = []
    table = _parse_table(kind, source, problems, options, optional=frozenset({"id"}))
    return list(zip(table.rows, table.items, strict=True)), [*problems, *options.warnings]


def _parse_table(
    kind: str,
    source: CsvText,
    problems: list[Problem],
    options: _Reading | None = None,
    optional: frozenset[str] = frozenset(),
) -> _Table:
    options = options or _Reading()
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
        if required and name not in names and name not in optional:
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
    # A row's number is the physical line it starts on (a quoted cell may span lines),
    # so that an editor's "go to line" finds it; the header is line 1.
    row_number = 1
    read_to = reader.line_num
    try:
        for cells in reader:
            row_number, read_to = read_to + 1, reader.line_num
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
            Problem("E003", f"CSV syntax error: {exc}", file=source.name, line=read_to + 1)
        )
    return table


def _cell(values: Mapping[str, str], key: str) -> str | None:
    """A cell's text, or ``None`` when empty. Free text is kept exactly as written."""
    raw = values.get(key)
    if raw is None or raw == "":
        return None
    raw = csv_uncell(raw)  # the ' that export put before a formula-like cell
    if (
        key in _NUMBER_COLUMNS
        or key in _DATE_COLUMNS
        or key in _LIST_COLUMNS
        or key in _BOOL_COLUMNS
    ):
        raw = raw.strip()
        return raw or None
    if key in _TRIMMED_COLUMNS:
        return raw.strip() or None
    return raw


def _number(text: str) -> Any:
    """A float (thousands separators allowed when unambiguous: ``2,150``), or the text
    itself so that the loader reports it as not a number."""
    from ..cells import parse_number

    value = parse_number(text)
    return text if value is None else value


_TRUTH = {"true": True, "yes": True, "false": False, "no": False}


def _bool(text: str) -> Any:
    """``true``/``false`` (or ``yes``/``no``, any case) as a bool, or the text itself so
    that the loader reports it as not true or false."""
    return _TRUTH.get(text.lower(), text)


def _date(text: str, options: _Reading | None = None, where: tuple[str, int] = ("", 0)) -> Any:
    from ..cells import parse_date_text, suggest_iso

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
    from ..loading.files import unrepresentable

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
    options: _Reading | None = None,
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
        elif key in _BOOL_COLUMNS:
            value = _bool(text)
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
    from ..loading import assemble
    from ..loading.files import SourceFile

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
                text=_row_aligned(table, default=jsonable),
            )
        )
    rubric, problems = assemble(files, [])
    return rubric, problems


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
