"""What the CSV, workbook, import and export modules share: the columns of each file
(from the model's field table), the texts read, the options of an import and the errors."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from ..errors import Problem, PromisescoreError, RubricError
from ..fields import field_table

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
#: Columns holding true or false (``umbrella``): ``true``/``false`` (any case), also
#: ``yes``/``no``; export writes ``true`` and leaves the default (false) empty.
_BOOL_COLUMNS = frozenset(_TAGS.get("bool", ()))
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


def _column_names(names: Iterable[str]) -> frozenset[str]:
    if isinstance(names, str):
        raise TypeError("ignore_columns must be a list of column names, not a string")
    return frozenset(str(name).strip().lower() for name in names)


@attrs.frozen
class ImportOptions:
    """How an import reads its spreadsheets: one object for every import function.

    ``scale`` (a built-in preset) and ``report`` override what ``settings.toml`` holds;
    unknown columns are kept in each row's ``meta`` except those in ``ignore_columns``;
    ``date_format`` (a :func:`~datetime.datetime.strptime` format such as ``%m/%d/%Y``)
    is accepted besides ``YYYY-MM-DD``; warnings (an unknown column, a skipped file) are
    appended to ``warnings`` when it is a list."""

    scale: str | None = None
    report: ReportInfo | None = None
    ignore_columns: frozenset[str] = attrs.field(default=frozenset(), converter=_column_names)
    date_format: str | None = None
    warnings: list[Problem] | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        for name in ("scale", "date_format"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a string or None, not {type(value).__name__}")
        if self.report is not None and not isinstance(self.report, ReportInfo):
            raise TypeError(
                f"report must be a ReportInfo or None, not {type(self.report).__name__}"
            )
        if self.warnings is not None and not isinstance(self.warnings, list):
            raise TypeError(f"warnings must be a list or None, not {type(self.warnings).__name__}")


def openpyxl_module() -> Any:
    """openpyxl, or :class:`MissingExtraError` naming the extra to install."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise MissingExtraError(
            "Excel workbooks need the optional dependency openpyxl: "
            "pip install 'promisescore[xlsx]' (or save the sheets as CSV files)"
        ) from None


def number_text(value: float) -> str:
    """A number as a cell holds it: ``2`` rather than ``2.0``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def jsonable(value: Any) -> Any:
    """``default=`` of ``json.dumps`` for cells: dates as ISO text, anything else as text."""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
