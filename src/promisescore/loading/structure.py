"""Raw TOML/JSON tables → model objects, reporting every structural problem.

Each object kind has a schema (its keys, their types, which are required: derived from
the model's field table, :mod:`promisescore.fields`). Keys are
checked against it (unknown keys get a "did you mean"), values are converted (ISO date
strings from JSON become dates), then the model class is built, and it checks its own
values. Problems from every step are collected with their location, so one run reports
everything.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, overload

import attrs

from ..dates import parse_date
from ..errors import Problem, RubricError
from ..fields import ARRAY_KINDS, CLASSES, field_table, keys, repeated
from ..fields import TOP_LEVEL_KEYS as TOP_LEVEL_KEYS
from ..model import Grading, Level, Scale, Source
from ..progress import Progress, Ticker
from ..suggest import did_you_mean
from .files import SourceFile, huge_number, huge_number_message, included_keys
from .locate import JsonLocator, json_locator_for_file

Path = tuple[str | int, ...]


def schemas() -> dict[str, dict[str, tuple[str, bool]]]:
    """Each object kind's keys → ``(type tag, required)``, in file order, from the model's
    field table (:func:`promisescore.fields.field_table`)."""
    return {
        kind: {spec.key: (spec.tag, spec.required) for spec in field_table(kind)}
        for kind in CLASSES
    }


#: Each object kind's keys → ``(type tag, required)`` (derived: :func:`schemas`).
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = schemas()

_ARRAY_KINDS = ARRAY_KINDS

#: Per object kind: its schema, its required keys, and per key ``(tag, required,
#: converter)`` (derived again when the schema changes, as a test's new field does).
_PLANS: dict[str, tuple[dict[str, tuple[str, bool]], frozenset[str], dict[str, Any]]] = {}


def _plan(kind: str, schema: dict[str, tuple[str, bool]]) -> tuple[frozenset[str], dict[str, Any]]:
    known = _PLANS.get(kind)
    if known is None or known[0] is not schema:
        steps = {}
        for key, (tag, required) in schema.items():
            convert = _SIMPLE.get(tag)
            if (kind, key) in _REPEATED:
                convert = _NAMES.get(tag, convert)
            steps[key] = (tag, required, convert)
        needed = frozenset(k for k, (_, r) in schema.items() if r)
        known = _PLANS[kind] = (schema, needed, steps)
    return known[1], known[2]


#: ``(kind, key)`` of the keys whose short string values repeat (one copy kept of each).
_REPEATED: frozenset[tuple[str, str]] = repeated()

_TYPE_NAMES = {
    "str": "a string",
    "id": "an id (a string)",
    "date": "a date (YYYY-MM-DD)",
    "number": "a number",
    "bool": "true or false",
    "deadline": "a date, a duration such as 'P100D', or 'end-of-term'",
    "source": "a citation string or a table {"
    + ", ".join(key for key in keys("source") if key != "meta")
    + "}",
    "strs": "a list of strings",
    "ids": "a list of ids",
    "meta": "a table",
}


# Hints for a value of the wrong type, from the field table (FORMAT.md §7: every error
# of a format 1.1 key explains itself).
_HINTS_11 = {
    (kind, spec.key): spec.hint for kind in CLASSES for spec in field_table(kind) if spec.hint
}


def _type_name(tag: str) -> str:
    if tag.startswith("tables:"):
        return "an array of tables"
    if tag.startswith("table:"):
        return "a table"
    return _TYPE_NAMES[tag]


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, date):
        return "a date-time" if type(value) is not date else "a date"
    return type(value).__name__


class Positions(Sequence[tuple[str, Path]]):
    """Where each object of one kind came from: ``(file, key path)``, stored compactly.

    A big rubric has millions of objects; a tuple pair for each cost more memory than
    the objects themselves. Here each costs eight bytes (its index in its file's array)
    plus one entry per run of objects from the same file.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.indices = array("q")
        self.starts: list[int] = []
        self.files: list[str] = []

    def open_run(self, file: str) -> None:
        """The objects appended next come from ``file`` (until the next run)."""
        if not self.files or self.files[-1] != file:
            self.starts.append(len(self.indices))
            self.files.append(file)

    def append(self, file: str, index: int) -> None:
        self.open_run(file)
        self.indices.append(index)

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, index: int) -> tuple[str, Path]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, Path]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = self.indices[index]  # raises IndexError like a list
        run = bisect_right(self.starts, index % len(self.indices)) - 1
        return self.files[run], (self.key, position)


@attrs.define
class Origins:
    """Where each object of a loaded rubric came from: file and key path in that file."""

    files: dict[str, SourceFile]
    root: str
    objects: dict[str, Sequence[tuple[str, Path]]] = attrs.Factory(dict)
    _indexes: dict[str, dict[Path, int] | JsonLocator] = attrs.Factory(dict)

    def line(self, file: str, path: Path) -> int | None:
        from .locate import find_line, line_index

        index = self._indexes.get(file)
        if index is None:
            source = self.files.get(file)
            if source is not None and source.syntax == "json" and source.text is None:
                # a targeted walk, reading only as much of the file as it needs: a
                # warning in a big JSON file must not cost a full scan (nor its text)
                index = (json_locator_for_file(source.path) if source.path else None) or {}
            else:
                text = source.read_text() if source is not None else None
                if text is not None and source is not None and source.syntax == "json":
                    index = JsonLocator(text)
                else:
                    index = line_index(text, source.syntax) if text is not None and source else {}
            self._indexes[file] = index
        if isinstance(index, JsonLocator):
            return index.line(path)
        return find_line(index, path)

    def locate(self, problem: Problem) -> Problem:
        """Give a rubric-level problem (path into the rubric's tuples) its file and line."""
        if problem.file is not None:
            return problem
        path = problem.path
        file, file_path = self.root, path
        if len(path) >= 2 and isinstance(path[1], int) and str(path[0]) in self.objects:
            entries = self.objects[str(path[0])]
            if path[1] < len(entries):
                file, base = entries[path[1]]
                file_path = (*base, *path[2:])
        return problem.located(file, self.line(file, file_path))


class _Refused(Exception):
    """A value a converter cannot take (the reason is reported by ``Builder.refused``)."""

    def __init__(self, date_error: str | None = None, huge: bool = False) -> None:
        self.date_error = date_error
        self.huge = huge


def _to_str(builder: Builder, value: Any) -> Any:
    if not isinstance(value, str):
        raise _Refused
    return value


def _to_name(builder: Builder, value: Any) -> Any:
    """A string that repeats across a rubric (an id, a reference): one copy of each."""
    if not isinstance(value, str):
        raise _Refused
    return builder.names.setdefault(value, value)


def _to_date(builder: Builder, value: Any) -> Any:
    if type(value) is date:
        return value
    if not isinstance(value, str):
        raise _Refused
    shared = builder.dates.get(value)
    if shared is not None:
        return shared
    try:
        parsed = parse_date(value)
    except ValueError as exc:
        raise _Refused(date_error=str(exc)) from None
    builder.dates[value] = parsed  # one date object per date
    return parsed


def _to_number(builder: Builder, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused
    if isinstance(value, int) and huge_number(value):  # float() would overflow
        raise _Refused(huge=True)
    return value


def _to_bool(builder: Builder, value: Any) -> Any:
    if not isinstance(value, bool):
        raise _Refused
    return value


def _to_deadline(builder: Builder, value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        return _to_date(builder, value)
    if isinstance(value, date) and type(value) is not date:
        raise _Refused
    if not isinstance(value, str | date):
        raise _Refused
    return value


def _to_strs(builder: Builder, value: Any) -> Any:
    if isinstance(value, str) or not isinstance(value, list):
        raise _Refused
    if not all(isinstance(item, str) for item in value):
        raise _Refused
    return tuple(value)


def _to_names(builder: Builder, value: Any) -> Any:
    strings = _to_strs(builder, value)
    intern = builder.names.setdefault
    return tuple([intern(item, item) for item in strings])


def _to_meta(builder: Builder, value: Any) -> Any:
    if not isinstance(value, dict):
        raise _Refused
    return value


#: The converters of the tags whose values hold no table: each returns the model's
#: value or raises :class:`_Refused`.
_SIMPLE: dict[str, Callable[[Builder, Any], Any]] = {
    "str": _to_str,
    "id": _to_str,
    "date": _to_date,
    "number": _to_number,
    "bool": _to_bool,
    "deadline": _to_deadline,
    "strs": _to_strs,
    "ids": _to_strs,
    "meta": _to_meta,
}

#: The same for the keys whose values repeat (``fields.repeated()``): one copy of each.
_NAMES: dict[str, Callable[[Builder, Any], Any]] = {
    "str": _to_name,
    "id": _to_name,
    "strs": _to_names,
    "ids": _to_names,
}


class Builder:
    """Collects objects and problems across every file of one rubric."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.dropped: dict[str, set[str]] = {}
        #: one copy of each short repeated string (ids, references, assessor names)
        self.names: dict[str, str] = {}
        #: one date object per date
        self.dates: dict[Any, date] = {}
        self.ticker: Ticker | None = None

    # -- problems ---------------------------------------------------------------------------
    def problem(
        self,
        code: str,
        message: str,
        file: str,
        path: Path,
        kind: str | None = None,
        ident: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                code,
                message,
                hint=hint,
                file=file,
                object_kind=kind,
                object_id=ident,
                path=path,
            )
        )

    # -- values ---------------------------------------------------------------------------
    def convert(
        self, tag: str, value: Any, file: str, path: Path, kind: str, ident: str | None
    ) -> Any:
        """Convert a value that holds tables (a source, a table, an array of tables) to the
        model's type; report and return ``_BAD`` on failure. (``fields`` converts the
        others with the converters of ``_SIMPLE``.)"""
        if tag == "source":
            if isinstance(value, str):
                return self.construct(Source, {"title": value}, file, path, "source", ident)
            if isinstance(value, dict):
                built = self.table("source", value, file, path, ident)
                return _BAD if isinstance(built, _Flawed) else built
        elif tag.startswith("table:"):
            if isinstance(value, dict):
                built = self.table(tag[6:], value, file, path, ident)
                return _BAD if isinstance(built, _Flawed) else built
        elif tag.startswith("tables:"):
            if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                items = [
                    self.table(tag[7:], item, file, (*path, index), ident)
                    for index, item in enumerate(value)
                ]
                good = tuple(_unflawed(item) for item in items if item is not _BAD)
                if len(good) == len(items) and not any(isinstance(i, _Flawed) for i in items):
                    return good
                return _Partial(good)
        else:  # pragma: no cover - schema typo
            raise AssertionError(tag)
        self.refused(_Refused(), tag, value, file, path, kind, ident)
        return _BAD

    def refused(
        self,
        refused: _Refused,
        tag: str,
        value: Any,
        file: str,
        path: Path,
        kind: str,
        ident: str | None,
    ) -> None:
        """Report why a value was refused: a wrong type (E103), a bad date (E205) or a
        number too large (E011)."""
        key = str(path[-1])
        named = f"{key} of {kind}{_named(ident)}"
        hint = _HINTS_11.get((kind, key))
        if refused.date_error is not None:
            code, message = "E205", f"{named}: {refused.date_error}"
        elif refused.huge:
            code, message = "E011", f"{named} {huge_number_message(value)}"
            hint = "write the number in a smaller unit, or as a float such as 1e9"
        else:
            code, message = "E103", f"{named} must be {_type_name(tag)}, not {_json_type(value)}"
        self.problem(code, message, file, path, kind, ident, hint)

    # -- objects ---------------------------------------------------------------------------
    def fields(
        self, kind: str, raw: dict[str, Any], file: str, path: Path, ident: str | None
    ) -> tuple[dict[str, Any], bool, bool]:
        """Check keys and convert the values of one table.

        Returns ``(values, buildable, clean)``: what could be converted; whether the object
        can still be built (to report its own value problems too); and whether nothing at
        all was wrong. A bad optional value is left out, a bad source replaced by a
        placeholder and bad criteria dropped, so that one mistake does not hide the others.
        """
        schema = SCHEMAS[kind]
        buildable = True
        clean = True
        if not raw.keys() <= schema.keys():
            for key in raw:
                if key not in schema:
                    clean = False
                    self.problem(
                        "E101",
                        f"unknown key {key!r} in {kind}{_named(ident)}",
                        file,
                        (*path, key),
                        kind,
                        ident,
                        did_you_mean(key, schema) or "known keys: " + ", ".join(schema),
                    )
        needed, plan = _plan(kind, schema)
        if not needed <= raw.keys():
            for key, (_, required) in schema.items():
                if required and key not in raw:
                    buildable = clean = False
                    self.problem(
                        "E102",
                        f"{kind}{_named(ident)} has no {key!r}",
                        file,
                        path,
                        kind,
                        ident,
                        f"every {kind} needs {key!r}",
                    )
        values: dict[str, Any] = {}
        problems = self.problems
        for key, value in raw.items():
            step = plan.get(key)
            if step is None:
                continue
            tag, required, simple = step
            if simple is not None:
                try:
                    values[key] = simple(self, value)
                    continue
                except _Refused as refused:
                    self.refused(refused, tag, value, file, (*path, key), kind, ident)
                    converted: Any = _BAD
            else:
                before = len(problems)
                converted = self.convert(tag, value, file, (*path, key), kind, ident)
                if converted is not _BAD and len(problems) == before:
                    values[key] = converted
                    continue
            clean = False
            if tag == "source":
                values[key] = _PLACEHOLDER_SOURCE
            elif isinstance(converted, _Partial):
                values[key] = converted.items
            elif required or tag.startswith("tables:"):
                buildable = False
        return values, buildable, clean

    def table(
        self, kind: str, raw: dict[str, Any], file: str, path: Path, parent: str | None
    ) -> Any:
        ident = raw.get("id") if isinstance(raw.get("id"), str) else parent
        values, buildable, clean = self.fields(kind, raw, file, path, ident)
        if not buildable:
            return _BAD
        cls, values = _prepare(kind, values, self, file, path, ident)
        if cls is None:
            return _BAD
        built = self.construct(cls, values, file, path, kind, ident)
        if built is _BAD or clean:
            return built
        return _Flawed(built)

    def construct(
        self,
        cls: Callable[..., Any],
        values: dict[str, Any],
        file: str,
        path: Path,
        kind: str,
        ident: str | None,
    ) -> Any:
        try:
            return cls(**values)
        except RubricError as exc:
            for problem in exc.problems:
                self.problems.append(
                    attrs.evolve(
                        problem,
                        file=file,
                        path=(*path, *problem.path),
                        object_id=problem.object_id or ident,
                    )
                )
            return _BAD

    def array(self, key: str, raw: Any, file: str, out: list[Any], where: Positions) -> None:
        kind = _ARRAY_KINDS[key]
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.problem(
                "E103",
                f"{key} must be an array of tables ([[{key}]])",
                file,
                (key,),
                hint=f"write each item as its own [[{key}]] table" if key == "assessors" else None,
            )
            return
        ticker = self.ticker
        table = self.table
        keep = out.append
        where.open_run(file)
        position = where.indices.append
        for index, item in enumerate(raw):
            built = table(kind, item, file, (key, index), None)
            raw[index] = None  # the raw table is no longer needed: let it go now
            if ticker is not None:
                ticker.tick()
            if built is _BAD:
                ident = item.get("id")
                if isinstance(ident, str):
                    self.dropped.setdefault(kind, set()).add(ident)
                continue
            keep(built.value if type(built) is _Flawed else built)
            position(index)
        raw.clear()


class _Bad:
    def __repr__(self) -> str:
        return "<invalid>"


_BAD: Any = _Bad()


@attrs.frozen
class _Flawed:
    """An object that could be built although some of its keys were wrong."""

    value: Any


@attrs.frozen
class _Partial:
    """The good items of a list of tables some of which were wrong."""

    items: tuple[Any, ...]


def _unflawed(item: Any) -> Any:
    return item.value if isinstance(item, _Flawed) else item


_PLACEHOLDER_SOURCE = Source("(invalid source)")


def _named(ident: str | None) -> str:
    return f" {ident!r}" if ident is not None else ""


def _prepare(
    kind: str, values: dict[str, Any], builder: Builder, file: str, path: Path, ident: str | None
) -> tuple[Callable[..., Any] | None, dict[str, Any]]:
    """Map file keys to constructor arguments where they differ."""
    if kind == "level":
        unrated = values.pop("unrated", False)
        if unrated and "value" in values:
            builder.problem(
                "E208",
                f"level {ident!r} has both a value and unrated = true",
                file,
                path,
                "level",
                ident,
                "an unrated level has no value",
            )
            return None, values
        if not unrated and "value" not in values:
            builder.problem(
                "E102",
                f"level {ident!r} has no value",
                file,
                path,
                "level",
                ident,
                "give `value` in [0, 1], or `unrated = true`",
            )
            return None, values
        values.setdefault("label", values.get("id"))
        return Level, values
    if kind == "scale":
        has_preset = "preset" in values
        if has_preset and "levels" in values:
            builder.problem(
                "E208",
                "a scale has either `preset` or `levels`, not both",
                file,
                path,
                "scale",
                None,
            )
            return None, values
        values.pop("meta", None)
        return Scale, values
    return CLASSES[kind], values


_CLASSES: dict[str, type] = {
    kind: cls for kind, cls in CLASSES.items() if kind not in ("scale", "level")
}


def structure(
    files: list[SourceFile], progress: Progress | None = None
) -> tuple[dict[str, Any], Builder, Origins]:
    """Build the rubric's parts from its files (the root first, then includes)."""
    builder = Builder()
    if progress is not None:
        total = sum(
            len(f.data[key])
            for f in files
            for key in _ARRAY_KINDS
            if isinstance(f.data.get(key), list)
        )
        builder.ticker = Ticker(progress, "checking", total)
    root = files[0]
    origins = Origins({f.name: f for f in files}, root.name)
    parts: dict[str, Any] = {key: [] for key in _ARRAY_KINDS}
    where = {key: Positions(key) for key in _ARRAY_KINDS}
    allowed_included = set(included_keys())

    for source in files:
        data = source.data
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                builder.problem(
                    "E101",
                    f"unknown top-level key {key!r}",
                    source.name,
                    (key,),
                    hint=did_you_mean(key, TOP_LEVEL_KEYS)
                    or "known keys: " + ", ".join(TOP_LEVEL_KEYS),
                )
            elif source.included and key not in allowed_included:
                builder.problem(
                    "E104",
                    f"{key!r} is not allowed in an included file",
                    source.name,
                    (key,),
                    hint="included files hold only include, categories, promises, evidence "
                    "and assessments",
                )
        for key in _ARRAY_KINDS:
            if key in data:
                builder.array(key, data[key], source.name, parts[key], where[key])

    data = root.data
    name = root.name
    fmt = data.get("format")
    parts["format"] = "1"
    if fmt is None:
        builder.problem("E008", "`format` is missing", name, (), hint="add `format = 1` at the top")
    elif fmt in ("1.1", "1.2"):
        parts["format"] = fmt
    elif fmt in (1.1, 1.2) and isinstance(fmt, float):
        builder.problem(
            "E008",
            f"format {fmt} is written as a string",
            name,
            ("format",),
            hint=f'write format = "{fmt}" (with quotes)',
        )
    elif fmt != 1 or isinstance(fmt, bool):
        builder.problem(
            "E008",
            f"unsupported format {fmt!r}",
            name,
            ("format",),
            hint='this version of promisescore reads format 1, "1.1" and "1.2"',
        )

    for key, kind, required in (
        ("report", "report", True),
        ("scale", "scale", True),
        ("grading", "grading", False),
    ):
        raw = data.get(key)
        if raw is None:
            if required:
                builder.problem(
                    "E102",
                    f"the rubric has no [{key}] table",
                    name,
                    (),
                    hint='add [scale] with preset = "politifact"'
                    if key == "scale"
                    else "add [report] with title and start",
                )
            parts[key] = None if required else Grading.default_for(parts["format"])
            continue
        if not isinstance(raw, dict):
            builder.problem("E103", f"{key} must be a table ([{key}])", name, (key,))
            parts[key] = _BAD
            continue
        if key == "grading" and parts["format"] == "1.2" and "bands" not in raw:
            raw = {**raw, "bands": []}  # FORMAT.md §8.4: no grades unless bands is written
        parts[key] = _unflawed(builder.table(kind, raw, name, (key,), None))

    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        builder.problem("E103", "meta must be a table", name, ("meta",))
        meta = {}
    parts["meta"] = meta
    origins.objects = {key: where[key] for key in _ARRAY_KINDS}
    if builder.ticker is not None:
        builder.ticker.finish()
    return parts, builder, origins
