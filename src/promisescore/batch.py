"""Batch updates: many promises, evidence and assessments added in one validated edit.

:func:`add_from` reads the additions from a CSV file (the columns ``export`` writes for
promises, evidence or assessments) or from JSON Lines (one object per line), and adds
them all with :func:`promisescore.edit.add_many`: the rubric is checked once with every
addition, and either every one is written or none is. Every problem is reported at once,
an addition's at the line of the input it came from.

Which kind a CSV file holds comes from its name (``promises.csv``, ``evidence.csv``,
``assessments.csv``, as ``export`` names them) or, failing that, from its columns
(``rating`` or ``by``: assessments; ``summary``: evidence; ``title``: promises). A JSON
Lines object names its kind in ``"kind"`` (``promise``, ``evidence``, ``assessment``, or
the plural) or is recognised by its keys the same way.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from .edit import ARRAYS, Addition, BatchResult, add_many
from .errors import InputFileError, Problem
from .spreadsheets.base import CsvText
from .spreadsheets.importing import read_rows
from .spreadsheets.reading import read_bytes

#: The array → object kind (``evidence`` → ``evidence``, ``promises`` → ``promise``).
_KINDS = {array: kind for kind, array in ARRAYS.items()}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def add_from(
    rubric: str | os.PathLike[str],
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    into: str | os.PathLike[str] | None = None,
    write: bool = True,
    text: str | None = None,
) -> BatchResult:
    """Add every promise, evidence item and assessment of ``source`` to ``rubric`` in
    one edit.

    ``source`` is a ``.csv`` file, a JSON Lines file, ``"-"`` (standard input), a folder
    as ``export`` writes it (its ``promises.csv``, ``criteria.csv`` (the criteria of the
    promises added), ``evidence.csv`` and ``assessments.csv``, in that order; every other
    entry is named in a ``W111`` warning of the result), or a list of these: every input
    of the list goes into the same single edit, in order, all or nothing.
    ``text`` is the input's text when it is already read (``source`` is then its name).
    Raises :class:`~promisescore.errors.RubricError` with every problem (of the inputs and
    of the rubric with the additions; nothing is written),
    :class:`~promisescore.edit.EditError` for a usage problem and
    :class:`~promisescore.errors.InputFileError` when a file cannot be read.
    """
    sources = [source] if isinstance(source, str | os.PathLike) else list(source)
    if not sources:
        raise InputFileError("--from", "no input named (name a CSV or JSON Lines file)")
    if text is not None and len(sources) != 1:
        raise TypeError("text= is the text of one source; give one source with it")
    additions: list[Addition] = []
    problems: list[Problem] = []
    criteria: list[tuple[str, int, dict[str, Any]]] = []
    inputs, skipped = _inputs(sources, text)
    for name, read in inputs:
        if Path(name).name.lower() == "criteria.csv":  # the criteria of new promises
            rows, trouble = read_rows("criteria", CsvText(name, read().removeprefix("\ufeff")))
            criteria += [(name, line, item) for line, item in rows]
            problems += trouble
            continue
        found, trouble = read_additions(read(), name)
        additions += found
        problems += trouble
    additions, more = _attach_criteria(criteria, additions)
    problems += more
    result = add_many(rubric, additions, into=into, write=write, problems=problems)
    return attrs.evolve(result, warnings=(*skipped, *result.warnings))


#: The files of an ``export`` folder that hold additions, in the order they are read.
_EXPORT_FILES = ("promises.csv", "criteria.csv", "evidence.csv", "assessments.csv")


def _attach_criteria(
    criteria: Sequence[tuple[str, int, dict[str, Any]]], additions: Sequence[Addition]
) -> tuple[list[Addition], list[Problem]]:
    """The rows of a ``criteria.csv`` become the ``criteria`` of the promises the batch
    adds (in row order); a row of a promise the batch does not add is a problem."""
    owned: dict[str, list[dict[str, Any]]] = {
        a.values["id"]: []
        for a in additions
        if a.kind == "promise" and isinstance(a.values.get("id"), str)
    }
    problems: list[Problem] = []
    for name, line, row in criteria:
        item = dict(row)
        owner = item.pop("promise", None)
        if isinstance(owner, str) and owner in owned:
            owned[owner].append(item)
            continue
        problems.append(
            Problem(
                "E301",
                f"criterion of promise {owner!r}, which this batch does not add",
                hint="criteria.csv gives the criteria of the promises in promises.csv (with "
                "their id); a criterion of a promise already in the rubric is added there",
                file=name,
                line=line,
            )
        )
    found = [
        attrs.evolve(a, values={**a.values, "criteria": owned[a.values["id"]]})
        if a.kind == "promise" and owned.get(a.values.get("id"))  # type: ignore[arg-type]
        else a
        for a in additions
    ]
    return found, problems


def _inputs(
    sources: Sequence[str | os.PathLike[str]], text: str | None
) -> tuple[list[tuple[str, Callable[[], str]]], list[Problem]]:
    """Each input's name and how to read its text, folders opened into their files; an
    input named twice is refused (its rows would be added twice). With a warning
    (``W111``) for each entry of a folder that is not read."""
    inputs: list[tuple[str, Callable[[], str]]] = []
    skipped: list[Problem] = []
    seen: set[str] = set()
    for source in sources:
        name = "<stdin>" if str(source) == "-" else str(source)
        if text is not None:
            inputs.append((name, lambda: text))
            continue
        files: list[Path | None]
        if name != "<stdin>" and Path(source).is_dir():
            files = [Path(source) / f for f in _EXPORT_FILES if (Path(source) / f).exists()]
            if not files:
                raise InputFileError(
                    name,
                    "is a folder without promises.csv, evidence.csv or assessments.csv "
                    "(name a CSV or JSON Lines file, or a folder `export` wrote)",
                )
            for entry in sorted(Path(source).iterdir()):
                if entry.name not in _EXPORT_FILES:
                    skipped.append(
                        Problem(
                            "W111",
                            f"skipped {entry.name}: add --from adds promises, criteria, "
                            "evidence and assessments",
                            severity="warning",
                            hint="categories, assessors and settings are the rubric's own: "
                            "edit them in the rubric",
                            file=str(entry),
                        )
                    )
        else:
            files = [Path(source) if name != "<stdin>" else None]
        for path in files:
            shown = name if path is None else str(path)
            key = shown if path is None else os.path.realpath(path)
            if key in seen:
                raise InputFileError(
                    shown, "is named twice (name each input once: its rows would be added twice)"
                )
            seen.add(key)
            inputs.append((shown, functools.partial(_read, path or "-", shown)))
    return inputs, skipped


def read_additions(text: str, name: str) -> tuple[list[Addition], list[Problem]]:
    """The additions of one input (CSV, or JSON Lines when its first non-blank character
    is ``{``), each located at its line of ``name``, and the problems of the input."""
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("{") or name.lower().endswith((".jsonl", ".ndjson")):
        return _json_lines(text, name)
    return _csv(text, name)


def _read(source: str | os.PathLike[str], name: str) -> str:
    if name == "<stdin>":
        raw = sys.stdin.buffer.read()
    else:
        raw = read_bytes(source, "CSV or JSON Lines file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputFileError(name, "not valid UTF-8 (save it as UTF-8)") from None


def _kind_of(keys: Mapping[str, Any] | list[str], name: str = "") -> str | None:
    """The object kind of a CSV file (by its name, then its columns) or of an object."""
    stem = Path(name).stem.lower() if name and name != "<stdin>" else ""
    if stem in _KINDS:
        return _KINDS[stem]
    names = set(keys)
    if names & {"rating", "by"}:
        return "assessment"
    if "summary" in names:
        return "evidence"
    if "title" in names:
        return "promise"
    return None


def _csv(text: str, name: str) -> tuple[list[Addition], list[Problem]]:
    import csv
    import io

    header = next(csv.reader(io.StringIO(text)), [])
    kind = _kind_of([cell.strip().lower() for cell in header], name)
    if kind is None:
        return [], [
            Problem(
                "E102",
                "cannot tell what the rows are: name the file promises.csv, evidence.csv "
                "or assessments.csv, or give the columns `export` writes",
                hint="evidence rows have a summary column, assessments a rating column, "
                "promises a title column",
                file=name,
                line=1,
            )
        ]
    rows, problems = read_rows(ARRAYS[kind], CsvText(name, text))
    return [Addition(kind, item, name, row) for row, item in rows], problems


def _json_lines(text: str, name: str) -> tuple[list[Addition], list[Problem]]:
    from .fields import field_table

    additions: list[Addition] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            problems.append(Problem("E003", f"JSON syntax error: {exc}", file=name, line=number))
            continue
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    "E103",
                    "each line must be a JSON object",
                    hint='e.g. {"kind": "evidence", "promise": "p", ...}',
                    file=name,
                    line=number,
                )
            )
            continue
        kind = item.pop("kind", None)
        if isinstance(kind, str):
            kind = _KINDS.get(kind, kind)
        if kind is None:
            kind = _kind_of(item)
        if kind not in ARRAYS:
            problems.append(
                Problem(
                    "E207" if kind is not None else "E102",
                    f"unknown kind {kind!r}" if kind is not None else "cannot tell the kind",
                    hint='give "kind": "promise", "evidence" or "assessment"',
                    file=name,
                    line=number,
                )
            )
            continue
        dates = {s.key for s in field_table(kind) if s.tag in ("date", "deadline")}
        additions.append(Addition(kind, _dated(item, dates), name, number))
    return additions, problems


def _dated(item: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """JSON's ISO date strings as dates (as the loader reads them from a JSON rubric),
    so that a TOML rubric gets TOML dates."""
    found = dict(item)
    for key in keys:
        value = found.get(key)
        if isinstance(value, str) and _DATE.fullmatch(value):
            with contextlib.suppress(ValueError):  # the loader reports it, with the value
                found[key] = date.fromisoformat(value)
    source = found.get("source")
    if isinstance(source, dict):
        found["source"] = _dated(source, {"date", "archived_on"})
    return found


__all__ = ["add_from", "read_additions"]
