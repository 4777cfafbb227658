"""Excel workbooks (``.xlsx``, through the optional openpyxl): read into the texts of
the CSV files they stand for, and written from a rubric."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..csvtext import csv_table
from ..errors import InputFileError
from ..model import Rubric
from ..sanitize import xml_legal
from .base import (
    _DATE_COLUMNS,
    _DATE_RE,
    _NUMBER_COLUMNS,
    BASE_COLUMNS,
    COLUMNS,
    SHEETS,
    CsvText,
    number_text,
    openpyxl_module,
)
from .exporting import _OPTIONAL_ORDER, ExportResult, not_carried, rows, settings_text
from .reading import read_bytes, workbook_extent


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
        return number_text(value)
    return str(value)


def read_workbook(path: str | os.PathLike[str]) -> dict[str, CsvText]:
    """The sheets of a workbook named like the CSV files, as the texts those would hold.

    Bounded (:mod:`.reading`): a regular file within the size limit, whose cells use at
    most ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns; only the cells that exist are
    read, whatever dimension a sheet declares."""
    openpyxl = openpyxl_module()
    name = str(path)
    raw = read_bytes(path, "workbook")
    workbook_extent(path, raw)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ... : not a workbook
        raise InputFileError(name, f"not an Excel workbook (.xlsx): {exc}") from None
    try:
        return _sheets(book, name)
    except (InputFileError, MemoryError):
        raise
    except Exception as exc:  # a cell reference openpyxl cannot read (AAAAA7, $B$7), ...
        raise InputFileError(name, f"not an Excel workbook (.xlsx): {exc}") from None
    finally:
        book.close()


def _sheets(book: Any, name: str) -> dict[str, CsvText]:
    """The sheets of an open workbook (see :func:`read_workbook`)."""
    sheets: dict[str, CsvText] = {}
    for sheet in book.worksheets:
        kind = sheet.title.strip().lower()
        if kind not in SHEETS:
            continue
        # the declared dimension (A1:XFD1048576) is not trusted: read the cells there are
        sheet.reset_dimensions()
        rows = [[_xlsx_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        width = max(map(len, rows), default=0)
        rows = [row + [""] * (width - len(row)) for row in rows]
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
    return sheets


_XLSX_NUMBERS = _NUMBER_COLUMNS
_XLSX_DATES = _DATE_COLUMNS


def _xlsx_cell(sheet: Any, row: int, column: int, value: str, kind: str = "text") -> None:
    """Write one workbook cell. Text stays text (a leading ``=`` is not a formula);
    numbers and dates of the number and date columns are typed so sheets can use them."""
    cell = sheet.cell(row=row, column=column)
    if value == "":
        return
    if kind == "number":
        from ..cells import parse_number

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

    from ..safe_write import refuse_inputs, write_atomic

    openpyxl = openpyxl_module()
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
