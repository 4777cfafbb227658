"""Reading spreadsheet files within bounds: regular files only, a size limit as for rubric
files, and, for a workbook, a limit on the rows and columns its cells use.

A CSV file, ``settings.toml``, ``--settings`` and a workbook are each opened without
blocking (a FIFO is refused, never waited on) and checked on the open file: a directory, a
FIFO, a socket or a device (``/dev/zero``) is refused with
:class:`~promisescore.errors.InputFileError` before a byte is read, and so is a file over
``PROMISESCORE_MAX_FILE_BYTES``.

A workbook is a zip file of XML parts. Before openpyxl reads it, :func:`workbook_extent`
counts the rows and columns the cells of every sheet *really* use, streaming each part
with expat (constant memory), and ignoring the dimension a sheet declares; a sheet over
:data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns, or parts that unpack to more than
:data:`UNPACK_FACTOR` times the size limit, are refused. The workbook reader then asks
openpyxl for exactly that extent, so one cell at ``XFD1048576`` costs one cell, not 17
billion.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path
from typing import IO
from xml.parsers import expat

from ..errors import InputFileError, Problem
from ..loading.files import max_file_bytes
from .base import FILE_NAMES, SETTINGS_NAME, CsvImportError, CsvText

#: The most rows and columns a workbook sheet may use (Excel's own row limit; columns
#: well beyond the ~40 a rubric's files have). Cells beyond them are refused, not padded.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 1_000
#: The most cells (rows x columns used) one sheet may span.
MAX_CELLS = 20_000_000
#: A workbook's parts may unpack to at most this many times the file size limit.
UNPACK_FACTOR = 4

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL = re.compile(r"([A-Za-z]{1,4})([0-9]{1,8})")
_DIGITS = re.compile(r"[0-9]+")


def read_bytes(path: str | os.PathLike[str], what: str = "file") -> bytes:
    """The bytes of a regular file within the size limit; :class:`InputFileError` for
    anything else (missing, a directory, a FIFO or device, too big, unreadable)."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputFileError(name, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(name, f"is a directory, not a {what}") from None
    except OSError as exc:
        raise InputFileError(name, exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(name, f"is a directory, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(name, "is not a regular file (a FIFO, socket or device?)")
        limit = max_file_bytes()
        if info.st_size > limit:
            raise InputFileError(
                name,
                f"is {info.st_size:,} bytes, over the limit of {limit:,} "
                "(set PROMISESCORE_MAX_FILE_BYTES to raise it)",
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    except InputFileError:
        raise  # an OSError too: said once, not wrapped in itself
    except OSError as exc:
        raise InputFileError(name, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # grew while read
        raise InputFileError(name, f"is over the limit of {limit:,} bytes")
    return raw


def read_csv(path: str | os.PathLike[str]) -> CsvText:
    """One CSV file (or ``settings.toml``) as text, BOM removed."""
    name = str(path)
    raw = read_bytes(path, "CSV file")
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


def skipped_files(directory: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The spreadsheet files of ``directory`` by kind (``settings`` too), and a warning
    for every other entry, saying why it is not read."""
    expected = {name: kind for kind, name in FILE_NAMES.items()} | {SETTINGS_NAME: "settings"}
    found: dict[str, Path] = {}
    warnings: list[Problem] = []
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        raise InputFileError(str(directory), exc.strerror or str(exc)) from None
    for entry in entries:
        kind = expected.get(entry.name)
        if kind is not None:
            found[kind] = directory / entry.name  # read (and refused if not a file) later
            continue
        if entry.name.startswith("."):
            continue  # .git, .DS_Store: not the user's spreadsheets
        why = (
            "a folder"
            if entry.is_dir()
            else "not a file import reads ("
            + ", ".join([*FILE_NAMES.values(), SETTINGS_NAME])
            + ")"
        )
        warnings.append(
            Problem(
                "W111",
                f"skipped {entry.name}: {why}",
                severity="warning",
                hint="rename a file meant to be read to one of those names",
                file=str(directory / entry.name),
            )
        )
    return found, warnings


def workbook_extent(path: str | os.PathLike[str], raw: bytes) -> None:
    """Refuse a workbook whose sheets use more than :data:`MAX_ROWS` rows,
    :data:`MAX_COLUMNS` columns or :data:`MAX_CELLS` cells, counting only the cells
    that exist, or whose parts unpack to too much."""
    import io

    name = str(path)
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputFileError(name, f"not an Excel workbook (.xlsx): {exc}") from None
    with book:
        # every part: openpyxl finds a sheet by the workbook's relations, whatever its name
        parts = [info for info in book.infolist() if not info.is_dir()]
        total = sum(info.file_size for info in book.infolist())
        ceiling = UNPACK_FACTOR * max_file_bytes()
        if total > ceiling:
            raise InputFileError(
                name,
                f"unpacks to {total:,} bytes, over the limit of {ceiling:,} "
                f"({UNPACK_FACTOR} times PROMISESCORE_MAX_FILE_BYTES): is it a zip bomb?",
            )
        for info in parts:
            try:
                with book.open(info) as stream:
                    _sheet_extent(name, info.filename, stream, xml=_named_xml(info.filename))
            except InputFileError:  # an OSError too: the limit's own message, as it is
                raise
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                raise InputFileError(name, f"not an Excel workbook (.xlsx): {exc}") from None


def _named_xml(part: str) -> bool:
    return part.lower().endswith(".xml")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _sheet_extent(name: str, part: str, stream: IO[bytes], *, xml: bool = True) -> None:
    """Stream one part; raise when its cells pass the limits. A part not named as XML
    that does not parse (an image, a printer's settings) is no sheet: passed over, once
    the cells before its first error are counted (what openpyxl would read of it)."""
    rows = columns = 0
    state = {"row": 0, "column": 0}

    def refuse(where: str, why: str) -> None:
        raise InputFileError(
            name,
            f"{part}: the cell {where} is beyond {why}; a sheet may use at most "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns (delete the cells beyond the data)",
        )

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal rows, columns
        if tag == f"{_MAIN} row":
            given = attributes.get("r", "")
            if _DIGITS.fullmatch(given):  # ASCII digits only: int('²') fails
                digits = given.lstrip("0")
                state["row"] = int(digits or "0") if len(digits) <= 12 else MAX_ROWS + 1
            else:
                state["row"] += 1
            state["column"] = 0
        elif tag == f"{_MAIN} c":
            ref = attributes.get("r", "")
            match = _CELL.fullmatch(ref)
            if match is not None:
                state["column"] = _column_number(match[1])
                state["row"] = max(state["row"], int(match[2]))
            else:
                state["column"] += 1
            where = ref or f"R{state['row']}C{state['column']}"
            if state["row"] > MAX_ROWS:
                refuse(where, f"row {MAX_ROWS:,}")
            if state["column"] > MAX_COLUMNS:
                refuse(where, f"column {MAX_COLUMNS:,}")
            rows, columns = max(rows, state["row"]), max(columns, state["column"])
            if rows * columns > MAX_CELLS:
                raise InputFileError(
                    name,
                    f"{part}: the cells span {rows:,} rows by {columns:,} columns, over the "
                    f"limit of {MAX_CELLS:,} cells for a sheet",
                )

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as exc:
        if xml:
            raise InputFileError(name, f"not an Excel workbook (.xlsx): {part}: {exc}") from None
