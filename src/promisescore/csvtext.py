"""The one CSV writer: RFC 4180 quoting and the formula-injection guard, in one place.

Every CSV the program writes goes through :func:`csv_table` (``report --format csv``,
``timeline --format csv``, ``compare --format csv`` and ``export``). A cell is quoted
when it holds a comma, a quote, a CR or an LF — a lone CR included, which :mod:`csv`'s
writer leaves bare when the line terminator is LF, so that readers split the row there.
Text cells pass through :func:`promisescore.sanitize.csv_cell` here, and only here, so
a spreadsheet never runs user text as a formula; values the program wrote itself
(numbers, dates, booleans, or text wrapped in :class:`Raw`) are written as they are.

It sits beside :mod:`promisescore.sanitize`, below the model, so :mod:`promisescore.csvio`
and the renderers can both use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .sanitize import csv_cell


class Raw(str):
    """Text the program wrote (a number or a date as text, a column name): written as it
    is, without the formula guard (``-1.5`` stays a number in a spreadsheet)."""

    __slots__ = ()


#: What a cell may be given as.
Cell = str | int | float | date | None


def cell_text(value: Cell) -> str:
    """A cell's text: ``None`` empty, booleans ``true``/``false``, floats by :func:`repr`
    (round-trips exactly), dates ISO 8601; text (not :class:`Raw`) through the guard."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value) if isinstance(value, Raw) else csv_cell(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def quote(text: str) -> str:
    """One cell, quoted (RFC 4180) when it holds a comma, a quote, a CR or an LF."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_row(cells: Iterable[Cell], newline: str = "\n") -> str:
    """One CSV row, ended by ``newline`` (LF, or ``"\\r\\n"`` for CRLF)."""
    return ",".join(quote(cell_text(value)) for value in cells) + newline


def csv_table(header: Iterable[str], rows: Iterable[Iterable[Cell]], newline: str = "\n") -> str:
    """A CSV file: the header row (column names, written as they are), then ``rows``."""
    lines = [csv_row((Raw(name) for name in header), newline)]
    lines += [csv_row(row, newline) for row in rows]
    return "".join(lines)
