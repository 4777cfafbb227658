"""Canonical formatting of rubric files: ``promisescore fmt``.

:func:`format_text` puts the keys of every table in the order FORMAT.md lists them
(the model's field table, :mod:`promisescore.fields`: ``id``, ``title``, ... ``meta``
last; unknown keys after the known ones), writes every
single-line string in double quotes, and dates unquoted (``date = "2024-09-14"`` becomes
``date = 2024-09-14``). Comments stay with the key they sit above (or beside); blank lines,
the order of the tables and the layout of arrays are kept. The data is unchanged — the
same rubric loads from the formatted file, so scores are identical — and formatting is
idempotent: a formatted file formats to itself. ``meta`` tables are free-form and left
exactly as written.

JSON rubrics are rewritten with two-space indentation and the same key order.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from .errors import InputFileError, Problem, RubricError
from .fields import ARRAY_KINDS, CLASSES, field_table
from .locking import edits

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ARRAY_KINDS = ARRAY_KINDS
_TOP_ORDER = (
    "format",
    "include",
    "report",
    "scale",
    "grading",
    "assessors",
    "meta",
    "categories",
    "promises",
    "evidence",
    "assessments",
)


def _tags(kind: str) -> dict[str, str]:
    """The keys of ``kind`` → their type tags, in the field table's order."""
    if kind not in CLASSES:
        return {}
    return {spec.key: spec.tag for spec in field_table(kind)}


def _order(kind: str) -> dict[str, int]:
    keys = list(_tags(kind))
    if "meta" in keys:  # meta last, after any key the table does not list
        keys.remove("meta")
    ranks = {key: rank for rank, key in enumerate(keys)}
    ranks["meta"] = len(keys) + 1
    return ranks


def _sub_kind(kind: str, key: str) -> str | None:
    tag = _tags(kind).get(key, "")
    if tag == "source":
        return "source"
    if tag.startswith(("table:", "tables:")):
        return tag.split(":", 1)[1]
    return None


def _date_key(kind: str, key: str) -> bool:
    tag = _tags(kind).get(key, "")
    return tag in ("date", "deadline")


# --------------------------------------------------------------------------- TOML


def _string(value: str, old: Any) -> Any:
    import tomlkit

    new = tomlkit.string(value)
    new.trivia.comment = old.trivia.comment
    new.trivia.comment_ws = old.trivia.comment_ws
    new.trivia.trail = old.trivia.trail
    new.trivia.indent = old.trivia.indent
    return new


def _date_item(value: date, old: Any) -> Any:
    import tomlkit

    new = tomlkit.date(value.isoformat())
    new.trivia.comment = old.trivia.comment
    new.trivia.comment_ws = old.trivia.comment_ws
    new.trivia.trail = old.trivia.trail
    new.trivia.indent = old.trivia.indent
    return new


def _value(kind: str | None, key: str | None, item: Any) -> Any:
    """One value, normalised: quoting, dates, nested tables in canonical order."""
    from tomlkit import items

    if kind is None:
        return item
    if isinstance(item, items.String):
        text = str(item)
        if key is not None and _date_key(kind, key) and _DATE.fullmatch(text):
            try:
                return _date_item(date.fromisoformat(text), item)
            except ValueError:
                return item
        if item.type in (items.StringType.SLL,) and "\n" not in text:
            return _string(text, item)
        return item
    if isinstance(item, items.InlineTable):
        sub = _sub_kind(kind, key) if key is not None else None
        if sub is None:
            return item
        return _inline(sub, item)
    if isinstance(item, items.Array):
        sub = _sub_kind(kind, key) if key is not None else None
        for index in range(len(item)):
            element = item[index]
            if isinstance(element, items.InlineTable) and sub is not None:
                item[index] = _inline(sub, element)
            elif isinstance(element, items.String) and element.type == items.StringType.SLL:
                item[index] = str(element)
        return item
    return item


def _inline(kind: str, table: Any) -> Any:
    import tomlkit

    ranks = _order(kind)
    keys = sorted(table.keys(), key=lambda k: ranks.get(k, len(ranks) - 0.5))
    if list(table.keys()) == keys and not _needs_change(kind, table):
        return table
    new = tomlkit.inline_table()
    for key in keys:
        value = table.item(key) if hasattr(table, "item") else table[key]
        new.append(key, _value(kind if key != "meta" else None, key, value))
    new.trivia.comment = table.trivia.comment
    new.trivia.comment_ws = table.trivia.comment_ws
    new.trivia.trail = table.trivia.trail
    return new


def _needs_change(kind: str, table: Any) -> bool:
    from tomlkit import items

    for key in table:
        if key == "meta":
            continue
        value = table.item(key)
        if isinstance(value, items.String) and (
            value.type == items.StringType.SLL
            or (_date_key(kind, key) and _DATE.fullmatch(str(value)))
        ):
            return True
        if isinstance(value, items.InlineTable | items.Array):
            return True
    return False


def _table(kind: str, table: Any) -> None:
    """Reorder one table's keys in place, keeping each key's comments with it."""
    from tomlkit import items
    from tomlkit.container import Container

    container = table.value
    groups: list[list[tuple[Any, Any]]] = []
    pending: list[tuple[Any, Any]] = []
    for key, item in container.body:
        pending.append((key, item))
        if key is not None:
            groups.append(pending)
            pending = []
    ranks = _order(kind)
    fallback = len(ranks) - 0.5
    groups.sort(key=lambda g: ranks.get(g[-1][0].key, fallback))
    new = Container(True)
    for group in [*groups, pending]:
        for key, item in group:
            if key is None:
                new.add(item)
                continue
            name = key.key
            if _is_table(item):
                sub = _sub_kind(kind, name) if name != "meta" else None
                if sub is not None:
                    for table_item in item.body if isinstance(item, items.AoT) else [item]:
                        _table(sub, table_item)
                new.append(key, item)
            else:
                new.append(key, _value(kind if name != "meta" else None, name, item))
    table._value = new


def _is_table(item: Any) -> bool:
    from tomlkit import items

    return isinstance(item, items.Table | items.AoT)


def _format_toml(text: str) -> str:
    import tomlkit
    from tomlkit import items

    doc = tomlkit.parse(text)
    for key in list(doc.keys()):
        item = doc.item(key)
        if key in ("report", "scale", "grading") and isinstance(item, items.Table):
            _table(key, item)
        elif key in _ARRAY_KINDS and isinstance(item, items.AoT):
            for table in item.body:
                _table(_ARRAY_KINDS[key], table)
        elif key == "include" and isinstance(item, items.Array):
            for index in range(len(item)):
                element = item[index]
                if isinstance(element, items.String) and element.type == items.StringType.SLL:
                    item[index] = str(element)
        elif key == "include" and isinstance(item, items.String):
            doc[key] = _value("rubric", None, item)
    return tomlkit.dumps(doc)


# --------------------------------------------------------------------------- JSON


def _json_ordered(kind: str | None, value: Any) -> Any:
    if isinstance(value, list):
        return [_json_ordered(kind, v) for v in value]
    if not isinstance(value, dict) or kind is None:
        return value
    ranks = _order(kind)
    fallback = len(ranks) - 0.5
    out = {}
    for key in sorted(value, key=lambda k: ranks.get(k, fallback)):
        out[key] = _json_ordered(_sub_kind(kind, key) if key != "meta" else None, value[key])
    return out


def _format_json(text: str) -> str:
    data = json.loads(text.removeprefix("\ufeff"))
    if not isinstance(data, dict):
        return text
    ranks = {key: rank for rank, key in enumerate(_TOP_ORDER)}
    out: dict[str, Any] = {}
    for key in sorted(data, key=lambda k: ranks.get(k, len(ranks))):
        value = data[key]
        if key in ("report", "scale", "grading"):
            value = _json_ordered(key, value)
        elif key in _ARRAY_KINDS:
            value = _json_ordered(_ARRAY_KINDS[key], value)
        out[key] = value
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- API


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def format_text(text: str, syntax: str = "toml", *, name: str = "<string>") -> str:
    """The canonical form of a rubric file's text (``syntax`` ``"toml"`` or ``"json"``).

    Raises :class:`RubricError` (code E003) when the text does not parse. The result
    holds the same data (checked before it is returned).
    """
    from .loading.files import parse_text

    if text.startswith("\ufeff"):  # a byte-order mark: kept, and out of tomlkit's way
        return "\ufeff" + format_text(text[1:], syntax, name=name)
    data, problems = parse_text(text, syntax, name)
    if data is None:
        raise RubricError(problems)
    try:
        new = _format_toml(text) if syntax == "toml" else _format_json(text)
    except Exception as exc:  # pragma: no cover - a layout tomlkit cannot rearrange
        raise RubricError(
            [
                Problem(
                    "E003",
                    f"cannot format this file ({type(exc).__name__}: {exc}); it is left as it is",
                    hint="please report this as a bug of promisescore fmt",
                    file=name,
                )
            ]
        ) from None
    again, problems = parse_text(new, syntax, name)
    if again is None or _comparable(again) != _comparable(data):  # pragma: no cover - a bug
        raise RubricError(
            [
                Problem(
                    "E003",
                    "formatting would change the data; the file is left as it is",
                    hint="please report this as a bug of promisescore fmt",
                    file=name,
                )
            ]
        )
    return new


@attrs.frozen
class FormatResult:
    """One file: its name, its text before and after, and whether it was written."""

    file: str
    before: str
    after: str
    written: bool

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        """A unified diff from the file as it is to the formatted file."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=self.file,
                tofile=self.file + " (formatted)",
            )
        )


@edits("path")  # the read-modify-write holds the edit lock (locking.py)
def format_file(path: str | os.PathLike[str], *, write: bool = True) -> FormatResult:
    """Format one rubric file in place (atomically, only when it changes).

    ``write=False`` only computes the result (``--check``, ``--diff``).
    """
    from .loading.files import read_file, syntax_of
    from .safe_write import write_atomic

    target = Path(path)
    name = str(path)
    syntax = syntax_of(target)
    if syntax is None:
        raise InputFileError(name, "unsupported file type; use .toml or .json")
    text, problems = read_file(target, name, top_level=True)
    if text is None:
        raise RubricError(problems)
    after = format_text(text, syntax, name=name)
    written = False
    if write and after != text:
        write_atomic(target, after.encode("utf-8"))
        written = True
    return FormatResult(name, text, after, written)


__all__ = ["FormatResult", "format_file", "format_text"]
