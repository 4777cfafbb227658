"""Adding promises, evidence and assessments to rubric files without touching the rest.

:func:`add` appends one ``[[promises]]``, ``[[evidence]]`` or ``[[assessments]]`` table
to a rubric file (or to a file it includes) and keeps every other byte of that file:
comments, key order, spacing. The new table goes after the last table of its kind (or at
the end of the file); JSON rubrics get the new object at the end of their array, in the
file's indentation style.

The whole rubric is checked with the change before anything is written: when the
result would be invalid, :func:`add` raises :class:`~promisescore.errors.RubricError`
with every problem (as ``promisescore check`` prints them) and the file is left
byte-identical. The file is replaced atomically.

The keys an object may have come from the model's classes (:func:`fields`), so a key
added to the format is available here without a change. :func:`values_from_text` reads
the command line's text values (``--evidence a,b``, ``--criteria id=Title``) into data.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

import attrs

from .errors import InputFileError, Problem, PromisescoreError, RubricError
from .locking import edits
from .model import Assessment, Evidence, Promise

Kind = Literal["promise", "evidence", "assessment"]

#: Object kind → its class in the model.
CLASSES: dict[str, type] = {"promise": Promise, "evidence": Evidence, "assessment": Assessment}
#: Object kind → the array of tables that holds it.
ARRAYS: dict[str, str] = {
    "promise": "promises",
    "evidence": "evidence",
    "assessment": "assessments",
}


class EditError(PromisescoreError):
    """The edit cannot be made as asked (a usage problem: bad kind, a file that is not
    part of the rubric). Invalid *data* raises :class:`RubricError` instead."""


# --------------------------------------------------------------------------- fields


@attrs.frozen
class Field:
    """One key an added object may have, and how its text is read.

    ``tag`` is the field table's type tag (``str``, ``id``, ``date``, ``number``,
    ``deadline``, ``source``, ``strs``, ``ids``, ``meta``, ``table:target``,
    ``tables:criterion``, ...: :class:`promisescore.fields.FieldSpec`). ``parts`` lists the
    keys of a nested table given by options of their own (``source`` → every key of a
    source but its title); ``choices`` the allowed values, ``doc`` its doc.
    """

    key: str
    tag: str
    required: bool
    parts: tuple[Field, ...] = ()
    choices: tuple[str, ...] | None = None
    doc: str | None = None


def fields(kind: str) -> tuple[Field, ...]:
    """The keys of ``kind`` (``promise``, ``evidence`` or ``assessment``) in canonical order
    (FORMAT.md), from the model's field table (:func:`promisescore.fields.field_table`)."""
    from .fields import field_table

    _class(kind)
    found = []
    for spec in field_table(kind):
        parts: tuple[Field, ...] = ()
        if spec.tag in ("source", "table:target"):
            parts = tuple(
                Field(sub.key, sub.tag, sub.required, choices=sub.choices, doc=sub.doc)
                for sub in field_table(spec.sub_kind or "")
                if sub.key != "meta" and not (spec.tag == "source" and sub.key == "title")
            )
        found.append(Field(spec.key, spec.tag, spec.required, parts, spec.choices, spec.doc))
    return tuple(found)


def _class(kind: str) -> type:
    try:
        return CLASSES[kind]
    except KeyError:
        raise EditError(f"cannot add {kind!r}: choose promise, evidence or assessment") from None


# --------------------------------------------------------------------------- text → data


def _problem(key: str, message: str, hint: str | None = None) -> Problem:
    return Problem("E103", f"--{key.replace('_', '-')}: {message}", hint=hint)


def _text_value(tag: str, key: str, text: str, problems: list[Problem]) -> Any:
    from .cells import parse_date_text, parse_number

    if tag in ("str",):
        return text
    if tag == "id":
        return text.strip()
    if tag == "date":
        try:
            return parse_date_text(text)
        except ValueError as exc:
            problems.append(_problem(key, str(exc), "write dates as YYYY-MM-DD"))
            return None
    if tag == "number":
        number = parse_number(text)
        if number is None:
            problems.append(_problem(key, f"{text!r} is not a number", "e.g. 0.5 or 2150"))
            return None
        return int(number) if number.is_integer() and "." not in text else number
    if tag == "bool":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            problems.append(_problem(key, f"{text!r} is not true or false"))
            return None
        return lowered == "true"
    if tag == "deadline":
        stripped = text.strip()
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", stripped):
            return _text_value("date", key, stripped, problems)
        return stripped
    if tag in ("strs", "ids"):
        if text.lstrip().startswith("["):
            try:
                items = json.loads(text)
            except ValueError as exc:
                problems.append(_problem(key, f"not a JSON list: {exc}"))
                return None
            return items
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _criteria(texts: Sequence[str], problems: list[Problem]) -> list[dict[str, Any]] | None:
    from .cells import parse_number

    found: list[dict[str, Any]] = []
    for text in texts:
        if text.lstrip().startswith("["):
            try:
                items = json.loads(text)
            except ValueError as exc:
                problems.append(_problem("criteria", f"not a JSON list: {exc}"))
                return None
            found.extend(items)
            continue
        head, sep, title = text.partition("=")
        if not sep:
            problems.append(
                _problem(
                    "criteria",
                    f"{text!r} is not of the form ID=TITLE or ID:WEIGHT=TITLE",
                    'e.g. --criteria "hire=Hire 500 officers" --criteria "train:2=Train them"',
                )
            )
            continue
        ident, colon, weight = head.partition(":")
        entry: dict[str, Any] = {"id": ident.strip(), "title": title.strip()}
        if colon:
            number = parse_number(weight)
            if number is None:
                problems.append(_problem("criteria", f"weight {weight!r} is not a number"))
                continue
            entry["weight"] = int(number) if number.is_integer() else number
        found.append(entry)
    return found


def _meta(texts: Sequence[str], problems: list[Problem]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            problems.append(
                _problem("meta", f"{text!r} is not of the form KEY=VALUE", "e.g. --meta desk=metro")
            )
            continue
        meta[key.strip()] = value
    return meta


def values_from_text(
    kind: str, options: Mapping[str, str | Sequence[str] | None]
) -> dict[str, Any]:
    """Read text values (as typed on the command line) into the data of one object.

    ``options`` maps keys to text: ``"evidence": "a,b"`` (lists are comma-separated),
    ``"source": "Title"``, ``"source_url": "https://..."`` (a nested table's keys joined
    to its name by ``_``), ``"criteria": ["id=Title", "id2:2=Other"]`` (``ID[:WEIGHT]=TITLE``),
    ``"meta": ["key=value"]``. ``None`` and missing keys are left out. Raises
    :class:`RubricError` listing every value that cannot be read.
    """
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    known = {f.key: f for f in fields(kind)}
    for name in options:
        if name not in known and not any(
            name == f"{f.key}_{p.key}" for f in known.values() for p in f.parts
        ):
            raise EditError(f"{kind} has no key {name!r}")
    for field in known.values():
        raw = options.get(field.key)
        if field.tag == "meta":
            texts = _many(raw)
            if texts:
                data["meta"] = _meta(texts, problems)
            continue
        if field.tag.startswith("tables:"):
            texts = _many(raw)
            if texts:
                criteria = _criteria(texts, problems)
                if criteria is not None:
                    data[field.key] = criteria
            continue
        table: dict[str, Any] = {}
        for part in field.parts:
            text = options.get(f"{field.key}_{part.key}")
            if isinstance(text, str) and text != "":
                table[part.key] = _text_value(part.tag, f"{field.key}_{part.key}", text, problems)
        if field.tag == "source":
            if isinstance(raw, str) and raw != "":
                data[field.key] = {"title": raw, **table} if table else raw
            elif table:
                problems.append(
                    _problem(
                        field.key,
                        "source details are given but no source title",
                        "give --source TITLE (the citation or the document's title)",
                    )
                )
            continue
        if field.parts:  # target
            if table:
                data[field.key] = table
            continue
        if isinstance(raw, str):
            value = _text_value(field.tag, field.key, raw, problems)
            if value is not None:
                data[field.key] = value
    if problems:
        raise RubricError(problems)
    return data


def _many(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [text for text in raw if text]


# --------------------------------------------------------------------------- ids


def slug(text: str, limit: int = 40) -> str:
    """A lowercase id from free text: ``"Bill passed, 3 May"`` → ``bill-passed-3-may``."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit and out:
            break
        out = candidate[:limit]
    return out or "item"


def _default_id(kind: str, data: Mapping[str, Any], taken: set[str]) -> str | None:
    if kind == "promise":
        title = data.get("title")
        if not isinstance(title, str):
            return None
        base = slug(title)
    elif kind == "evidence":
        summary = data.get("summary")
        if not isinstance(summary, str):
            return None
        when = data.get("date")
        base = slug(summary, 30)
        if isinstance(when, date):
            base = f"{base}-{when.isoformat()}"
    else:
        return None
    ident, number = base, 2
    while ident in taken:
        ident = f"{base}-{number}"
        number += 1
    return ident


# --------------------------------------------------------------------------- the edit


@attrs.frozen
class AddResult:
    """What :func:`add` did: the file changed, the table added, its id (``None`` for an
    assessment), the warnings ``check`` gives the new rubric that it did not give before
    (those the addition brings), and the new text."""

    file: str
    kind: str
    data: Mapping[str, Any]
    ident: str | None
    warnings: tuple[Problem, ...]
    text: str
    written: bool


@attrs.frozen
class Addition:
    """One object to add: its kind (``promise``, ``evidence`` or ``assessment``), its data
    as in a rubric file, and where it came from (``file`` and ``line`` of a ``--from``
    input, so that a problem with it is reported there)."""

    kind: str
    values: Mapping[str, Any]
    file: str | None = None
    line: int | None = None


@attrs.frozen
class Added:
    """One object :func:`add_many` added: its kind, the table as written, and its id
    (``None`` for an assessment)."""

    kind: str
    data: Mapping[str, Any]
    ident: str | None


@attrs.frozen
class BatchResult:
    """What :func:`add_many` did: the file changed, the objects added (in input order),
    the warnings the additions bring (those ``check`` did not give before), the new
    text, and whether it was written."""

    file: str
    added: tuple[Added, ...]
    warnings: tuple[Problem, ...]
    text: str
    written: bool


def add(
    rubric: str | os.PathLike[str],
    kind: str,
    values: Mapping[str, Any],
    *,
    into: str | os.PathLike[str] | None = None,
    write: bool = True,
) -> AddResult:
    """Add one object to the rubric file ``rubric`` (or to ``into``, a file it includes,
    or a new file that one of its ``include`` patterns matches, which is created).

    ``values`` is the object's data as in a rubric file (dates as :class:`datetime.date`
    or ISO strings; ``source`` a string or a table; lists as lists). An ``id`` left out
    is made from the title (promises) or the summary and date (evidence); an
    assessment's ``by`` left out is the rubric's one assessor of role ``desk``
    (:class:`EditError` listing the declared assessors when there is none, or several).
    Raises :class:`RubricError` with every problem when the rubric would be invalid
    (nothing is written), :class:`EditError` for a file that is not part of the rubric,
    and :class:`InputFileError` when ``rubric`` cannot be read. ``write=False`` checks
    only.
    """
    _class(kind)
    result = _edit(rubric, [Addition(kind, values)], into, write, [], single=True)
    one = result.added[0]
    return AddResult(
        file=result.file,
        kind=one.kind,
        data=one.data,
        ident=one.ident,
        warnings=result.warnings,
        text=result.text,
        written=result.written,
    )


def add_many(
    rubric: str | os.PathLike[str],
    additions: Sequence[Addition],
    *,
    into: str | os.PathLike[str] | None = None,
    write: bool = True,
    problems: Sequence[Problem] = (),
) -> BatchResult:
    """Add any number of promises, evidence and assessments to ``rubric`` in one edit.

    The rubric is checked once with every addition; when anything is wrong, nothing is
    written and :class:`RubricError` lists every problem, those of an addition located
    at its ``file`` and ``line`` (the input it was read from), together with
    ``problems`` (earlier problems of the input, from :func:`read_additions`). All or
    nothing: the file is either left byte-identical or replaced, atomically, by one
    holding every addition. Each table is placed as :func:`add` places one, in input
    order within its kind; defaults (ids, ``by``) are filled in as :func:`add` does.
    """
    for addition in additions:
        _class(addition.kind)
    return _edit(rubric, list(additions), into, write, list(problems), single=False)


@edits("rubric", "into")  # the read-modify-write holds the edit lock (locking.py)
def _edit(
    rubric: str | os.PathLike[str],
    additions: list[Addition],
    into: str | os.PathLike[str] | None,
    write: bool,
    early: list[Problem],
    *,
    single: bool,
) -> BatchResult:
    """The read-modify-write of one edit: read the rubric once, place every addition,
    check the result once, write it (or raise with every problem)."""
    from .loading import assemble as _assemble
    from .loading import check_result as _result
    from .loading.files import read_tree, syntax_of
    from .safe_write import write_atomic

    root = Path(rubric)
    files, problems = read_tree(root, str)
    # the loader consumes the parsed arrays: the check of the edited rubric works on
    # copies, and the rubric as it was stays whole for the warnings it had (_known)
    pristine = [_copy(f) for f in files]
    taken = {
        array: {
            item.get("id")
            for f in files
            for item in _items(f.data, array)
            if isinstance(item.get("id"), str)
        }
        for array in ARRAYS.values()
    }
    includes = [
        (f.path.parent, f.data.get("include"))
        for f in files
        if f.path is not None and f.data.get("include") is not None
    ]
    target = Path(into) if into is not None else root
    if syntax_of(target) is None:
        raise EditError(f"{target}: not a rubric file (.toml or .json)")
    source = next((f for f in files if f.path is not None and _same(f.path, target)), None)
    if source is None and (target.exists() or not _included_by(target, includes)):
        raise EditError(
            f"{target} is not part of the rubric {root}"
            + (
                " (it is not included; add it to `include` first)"
                if target.exists()
                else " (no such file, and no `include` pattern of the rubric matches it)"
            )
        )
    assessors = _assessors(files)
    prepared: list[tuple[Addition, dict[str, Any]]] = []
    for addition in additions:
        data = _prepared(addition.kind, addition.values, taken[ARRAYS[addition.kind]])
        if addition.kind == "assessment" and not data.get("by"):
            by = _desk(assessors)
            if isinstance(by, str):
                data = _ordered("assessment", {**data, "by": by})
            elif by is None:
                pass
            elif single:
                raise EditError(by.message + (f" ({by.hint})" if by.hint else ""))
            else:
                early.append(by.located(addition.file, addition.line))
        ident = data.get("id")
        if addition.kind != "assessment" and isinstance(ident, str):
            taken[ARRAYS[addition.kind]].add(ident)
        prepared.append((addition, data))
    groups: dict[str, list[dict[str, Any]]] = {}
    for addition, data in prepared:
        groups.setdefault(ARRAYS[addition.kind], []).append(data)

    def known() -> set[tuple[str, str]]:
        """The warnings of the rubric as it was (computed only when there are warnings)."""
        before, found = _assemble(pristine, list(problems))
        return {(p.code, p.message) for p in _result(str(root), before, found).problems}

    if source is None:
        return _add_to_new_file(root, target, prepared, groups, known, write, early)
    path = source.path or target
    old = _read_text(path)
    new, new_data = _insert_all(old, source.syntax, groups, source.data, source.name)
    edited = [attrs.evolve(f, data=new_data, text=new) if f is source else f for f in files]
    checked, found = _assemble(edited, problems)
    result = _result(files[0].name if files else str(root), checked, found)
    if not result.ok or early:
        raise RubricError(
            _relocated([*early, *result.problems], source.name, new, source.syntax, prepared)
        )
    if write:
        write_atomic(path, new.encode("utf-8"))
    return _batch(source.name, prepared, result.warnings, known, new, write)


def _copy(source: Any) -> Any:
    """A file whose top-level table and arrays are copies (the tables themselves are
    shared: the loader reads them without changing them)."""
    data = {k: list(v) if isinstance(v, list) else v for k, v in source.data.items()}
    return attrs.evolve(source, data=data)


def _items(data: Mapping[str, Any], array: str) -> list[dict[str, Any]]:
    found = data.get(array)
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, dict)]


def _assessors(files: Sequence[Any]) -> list[tuple[str, str | None]] | None:
    """The declared assessors (id, role) of the root file; ``None`` without an
    ``[[assessors]]`` table (every ``by`` is then implicitly declared, FORMAT §7.1)."""
    root = files[0].data if files else {}
    if "assessors" not in root:
        return None
    return [
        (item["id"], item.get("role") if isinstance(item.get("role"), str) else None)
        for item in _items(root, "assessors")
        if isinstance(item.get("id"), str)
    ]


def _desk(assessors: Sequence[tuple[str, str | None]] | None) -> str | Problem | None:
    """The ``by`` of an assessment that names none: the one assessor of role ``desk``;
    ``None`` (the format's default, ``"default"``) when no assessors are declared; or
    the problem of a missing ``by``, listing the declared assessors."""
    if assessors is None:
        return None
    desks = [ident for ident, role in assessors if role == "desk"]
    if len(desks) == 1:
        return desks[0]
    names = ", ".join(f"{ident} ({role})" if role else ident for ident, role in assessors)
    if desks:
        why = f"the rubric has {len(desks)} assessors of role desk, not one"
    else:
        why = "the rubric has no assessor of role desk"
    return Problem(
        "E102",
        f"assessment needs a `by` (--by): {why}",
        hint=f"give --by ID; declared assessors: {names}" if names else "declare assessors",
        object_kind="assessment",
    )


def _relocated(
    problems: Sequence[Problem],
    file: str,
    text: str,
    syntax: str,
    prepared: Sequence[tuple[Addition, Mapping[str, Any]]],
) -> list[Problem]:
    """The problems, those inside an added table moved to where the addition was read
    (its ``file`` and ``line``), the others as they were."""
    spans = _spans(file, text, syntax, prepared)
    if not spans:
        return list(problems)
    moved = []
    for problem in problems:
        if problem.file == file and problem.line is not None:
            for first, last, addition in spans:
                if first <= problem.line <= last:
                    problem = problem.located(addition.file, addition.line)
                    break
        moved.append(problem)
    return moved


def _spans(
    file: str, text: str, syntax: str, prepared: Sequence[tuple[Addition, Mapping[str, Any]]]
) -> list[tuple[int, int, Addition]]:
    """The lines (first, last) each addition read from an input takes in ``text``."""
    from .loading.locate import find_line, line_index

    wanted = [(a, d) for a, d in prepared if a.file is not None]
    if not wanted:
        return []
    counts: dict[str, int] = {}
    index = line_index(text, syntax)
    totals = {
        array: sum(1 for p in index if len(p) == 2 and p[0] == array and isinstance(p[1], int))
        for array in {ARRAYS[a.kind] for a, _ in prepared}
    }
    added = {array: sum(1 for a, _ in prepared if ARRAYS[a.kind] == array) for array in totals}
    spans = []
    for addition, data in prepared:
        array = ARRAYS[addition.kind]
        position = totals[array] - added[array] + counts.get(array, 0)
        counts[array] = counts.get(array, 0) + 1
        if addition.file is None:
            continue
        first = find_line(index, (array, position))
        if first is None:
            continue
        length = (
            _toml_block(array, data).count("\n")
            if syntax == "toml"
            else json.dumps(data, indent=1, default=_json_default).count("\n") + 1
        )
        spans.append((first, first + max(length - 1, 0), addition))
    return spans


def _prepared(kind: str, values: Mapping[str, Any], taken: set[Any]) -> dict[str, Any]:
    """The table to add: plain data, a default id, keys in canonical order."""
    data = _plain(dict(values))
    if kind in ("promise", "evidence") and not data.get("id"):
        ident = _default_id(kind, data, {t for t in taken if isinstance(t, str)})
        if ident is not None:
            data = {"id": ident, **data}
    return _ordered(kind, data)


def _included_by(target: Path, includes: Sequence[tuple[Path, Any]]) -> bool:
    """Would one of the rubric's ``include`` patterns pick up ``target`` once it exists?"""
    import glob
    from fnmatch import fnmatch

    if not target.parent.is_dir():
        return False
    real = target.resolve()
    for base, patterns in includes:
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            if (
                not isinstance(pattern, str)
                or os.path.isabs(pattern)
                or ".." in Path(pattern).parts
            ):
                continue
            try:
                relative = real.relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
            if glob.has_magic(pattern):
                if fnmatch(relative, pattern) and real.suffix.lower() in (".toml", ".json"):
                    return True
            elif (base / pattern).resolve() == real:
                return True
    return False


def _add_to_new_file(
    root: Path,
    target: Path,
    prepared: Sequence[tuple[Addition, dict[str, Any]]],
    groups: Mapping[str, Sequence[Mapping[str, Any]]],
    known: Callable[[], set[tuple[str, str]]],
    write: bool,
    early: list[Problem],
) -> BatchResult:
    """``--into`` a file that does not exist yet but that an ``include`` pattern of the
    rubric matches (``evidence/2026.toml`` for ``include = ["evidence/*.toml"]``): the
    file is created, the rubric checked with it, and the file removed again when the
    rubric would be invalid (or with ``write=False``)."""
    from .loading import assemble as _assemble
    from .loading import check_result as _result
    from .loading.files import read_tree, syntax_of
    from .safe_write import write_new

    syntax = syntax_of(target) or "toml"
    new = "{}\n" if syntax == "json" else ""
    for array, items in groups.items():
        new = insert_many(new, syntax, array, items)
    try:
        write_new(target, new.encode("utf-8"))
    except FileExistsError:
        raise EditError(f"{target} appeared meanwhile; run the command again") from None
    try:
        files, problems = read_tree(root, str)
        checked, problems = _assemble(files, problems)
        result = _result(files[0].name if files else str(root), checked, problems)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if not result.ok or early or not write:
        target.unlink(missing_ok=True)
    if not result.ok or early:
        raise RubricError(
            _relocated([*early, *result.problems], str(target), new, syntax, prepared)
        )
    return _batch(str(target), prepared, result.warnings, known, new, write)


def _batch(
    file: str,
    prepared: Sequence[tuple[Addition, dict[str, Any]]],
    warnings: Sequence[Problem],
    known: Callable[[], set[tuple[str, str]]],
    text: str,
    written: bool,
) -> BatchResult:
    """The :class:`BatchResult` of the additions: only the warnings not ``known`` before."""
    before = known() if warnings else set()
    added = []
    for addition, data in prepared:
        ident = data.get("id") if addition.kind != "assessment" else None
        added.append(Added(addition.kind, data, ident if isinstance(ident, str) else None))
    return BatchResult(
        file=file,
        added=tuple(added),
        warnings=tuple(w for w in warnings if (w.code, w.message) not in before),
        text=text,
        written=written,
    )


def add_promise(
    rubric: str | os.PathLike[str], *, into: str | os.PathLike[str] | None = None, **values: Any
) -> AddResult:
    """:func:`add` a promise: ``add_promise("rubric.toml", title="...", category="economy")``."""
    return add(rubric, "promise", values, into=into)


def add_evidence(
    rubric: str | os.PathLike[str], *, into: str | os.PathLike[str] | None = None, **values: Any
) -> AddResult:
    """:func:`add` evidence: ``add_evidence("rubric.toml", promise="p", date=..., ...)``."""
    return add(rubric, "evidence", values, into=into)


def add_assessment(
    rubric: str | os.PathLike[str], *, into: str | os.PathLike[str] | None = None, **values: Any
) -> AddResult:
    """:func:`add` an assessment: ``add_assessment("rubric.toml", promise="p", rating=...)``."""
    return add(rubric, "assessment", values, into=into)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except OSError:
        return False


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputFileError(str(path), exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise InputFileError(str(path), "not valid UTF-8") from None


def _plain(value: Any) -> Any:
    """Model objects (a Source, a Criterion, a Target) and tuples → plain data."""
    if attrs.has(type(value)):
        from .serialize import drop_empty

        table = {
            a.name: _plain(getattr(value, a.name))
            for a in attrs.fields(type(value))
            if a.name != "meta" or getattr(value, a.name)
        }
        if "meta" in table:
            table["meta"] = dict(table["meta"])
        return drop_empty(table)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def _ordered(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    order = [f.key for f in fields(kind)]
    known = [k for k in order if k in data]
    return {k: data[k] for k in [*known, *(k for k in data if k not in order)]}


# --------------------------------------------------------------------------- text surgery


_HEADER = re.compile(r"^[ \t]*\[")


def insert(text: str, syntax: str, array: str, data: Mapping[str, Any]) -> str:
    """``text`` with ``data`` appended to its array of tables ``array``; every other byte
    kept. Raises :class:`EditError` when the file's layout leaves no safe place."""
    return insert_many(text, syntax, array, [data])


def insert_many(text: str, syntax: str, array: str, items: Sequence[Mapping[str, Any]]) -> str:
    """``text`` with ``items`` appended, in order, to its array of tables ``array``; every
    other byte kept (as :func:`insert` does for one)."""
    if text.startswith("\ufeff"):  # a byte-order mark: kept, and out of the way
        return "\ufeff" + insert_many(text[1:], syntax, array, items)
    crlf = _is_crlf(text)
    if crlf:  # a file saved on Windows: work on LF, give the new lines CRLF too
        text = text.replace("\r\n", "\n")
    insert_into = _insert_json if syntax == "json" else _insert_toml
    new = insert_into(text, array, items)
    return new.replace("\n", "\r\n") if crlf else new


def _is_crlf(text: str) -> bool:
    return "\r\n" in text and text.count("\n") == text.count("\r\n")


def _insert_all(
    text: str,
    syntax: str,
    groups: Mapping[str, Sequence[Mapping[str, Any]]],
    parsed: Mapping[str, Any],
    name: str,
) -> tuple[str, dict[str, Any]]:
    """``text`` with every group of items appended to its array, and the new text's data
    as the loader parses it. ``parsed`` is the data of ``text`` (already parsed by the
    loader): the new text is parsed once, and must give ``parsed`` plus the items (when
    the first place tried does not, each array is placed as :func:`insert_many` does)."""
    from .loading.files import parse_text

    if text.startswith("\ufeff"):  # a byte-order mark: kept, and out of the way
        bare, found = _insert_all(text[1:], syntax, groups, parsed, name)
        return "\ufeff" + bare, found
    crlf = _is_crlf(text)
    plain = text.replace("\r\n", "\n") if crlf else text
    expected = dict(parsed)
    for array, items in groups.items():
        current = parsed.get(array, [])
        expected[array] = [
            *(current if isinstance(current, list) else []),
            *_as_read(syntax, array, items),
        ]
    new = plain
    if syntax == "toml":
        for array, items in groups.items():
            new = _toml_candidates(new, array, _toml_blocks(array, items))[0]
    else:
        for array, items in groups.items():
            new = _insert_json(new, array, items)
    if crlf:
        new = new.replace("\n", "\r\n")
    data, problems = parse_text(new, syntax, name)
    if data != expected:
        new = text
        for array, items in groups.items():
            new = insert_many(new, syntax, array, items)
        data, problems = parse_text(new, syntax, name)
    if data is None:
        raise RubricError(problems)
    if data != expected:
        raise EditError(f"cannot add to {name} without changing other data")
    return new, data


def _as_read(syntax: str, array: str, items: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The items as the loader reads them back from a file of ``syntax``."""
    if syntax == "json":
        loaded: list[Any] = json.loads(json.dumps(list(items), default=_json_default))
        return loaded
    try:
        found: list[Any] = tomllib.loads(_toml_blocks(array, items)).get(array, [])
    except tomllib.TOMLDecodeError as exc:
        raise RubricError([Problem("E003", f"TOML syntax error: {exc}")]) from None
    return found


def _toml_block(array: str, data: Mapping[str, Any]) -> str:
    from .serialize import table_lines

    return "\n".join([f"[[{array}]]", *table_lines(data)]) + "\n"


def _toml_blocks(array: str, items: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(_toml_block(array, data) for data in items)


def _insert_toml(text: str, array: str, items: Sequence[Mapping[str, Any]]) -> str:
    from .loading.files import toml_loads

    block = _toml_blocks(array, items)
    try:
        old = toml_loads(text)
        added = tomllib.loads(block)[array]
    except tomllib.TOMLDecodeError as exc:
        raise RubricError([Problem("E003", f"TOML syntax error: {exc}")]) from None
    expected = dict(old)
    current = old.get(array, [])
    if array in old and not isinstance(current, list):
        current = []
    expected[array] = [*current, *added]
    for candidate in _toml_candidates(text, array, block):
        try:
            if toml_loads(candidate) == expected:
                return candidate
        except tomllib.TOMLDecodeError:
            continue
    # An inline array (`evidence = [...]`) or an unusual layout: let tomlkit place it.
    import tomlkit

    doc = tomlkit.parse(text)
    if array not in doc:
        doc[array] = tomlkit.aot()
    for item in added:
        doc[array].append(item)
    candidate = tomlkit.dumps(doc)
    try:
        if toml_loads(candidate) == expected:
            return candidate
    except tomllib.TOMLDecodeError:
        pass
    raise EditError(f"cannot find a place for a new [[{array}]] table without changing others")


def _toml_candidates(text: str, array: str, block: str) -> list[str]:
    """After the last ``[[array]]`` table (before the comments heading the next table),
    then at the end of the file."""
    candidates = []
    lines = _lines(text)
    header = re.compile(r"^[ \t]*\[\[[ \t]*" + re.escape(array) + r"[ \t]*\]\][ \t]*(#.*)?$")
    last = max(
        (i for i, line in enumerate(lines) if header.match(line.rstrip("\r\n"))), default=None
    )
    if last is not None:
        following = next((i for i in range(last + 1, len(lines)) if _HEADER.match(lines[i])), None)
        if following is not None:
            at = following
            while at > last + 1 and (
                lines[at - 1].strip() == "" or lines[at - 1].lstrip().startswith("#")
            ):
                at -= 1
            while at < following and lines[at].strip() == "":
                at += 1  # blank lines stay between the last table and the new one
            before = "".join(lines[:at])
            if not before.endswith("\n"):
                before += "\n"
            gap = "" if before.endswith("\n\n") else "\n"
            after = "".join(lines[at:])
            candidates.append(before + gap + block + ("\n" if after.strip() else "") + after)
    tail = text
    if tail and not tail.endswith("\n"):
        tail += "\n"
    gap = "" if not tail or tail.endswith("\n\n") else "\n"
    candidates.append(tail + gap + block)
    return candidates


def _lines(text: str) -> list[str]:
    """The lines of ``text`` with their ends, split at ``\n`` only (TOML's line breaks;
    ``str.splitlines`` would also split inside strings, at U+0085 and friends)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _skip_ws(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _top_level(text: str) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """The span of the top-level object and of each of its values."""
    start = _skip_ws(text, 1 if text.startswith("\ufeff") else 0)
    if start >= len(text) or text[start] != "{":
        raise EditError("the top level of the JSON file is not an object")
    close, spans, _ = _members(text, start)
    return start, close, spans


def _members(text: str, start: int) -> tuple[int, dict[str, tuple[int, int]], str]:
    """For the object whose ``{`` is at ``start``: where its ``}`` is, the span of each
    of its values, and the text between its first key and value (``": "``)."""
    decoder = json.JSONDecoder()
    spans: dict[str, tuple[int, int]] = {}
    colon = ": "
    at = _skip_ws(text, start + 1)
    if text[at] == "}":
        return at, spans, colon
    while True:
        key, after = json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined]
        at = _skip_ws(text, _skip_ws(text, after) + 1)  # past ':'
        if not spans:
            colon = text[after:at]
        _, end = decoder.raw_decode(text, at)
        spans[key] = (at, end)
        at = _skip_ws(text, end)
        if text[at] == "}":
            return at, spans, colon
        at = _skip_ws(text, at + 1)  # past ','


def _elements(text: str, start: int) -> list[tuple[int, int]]:
    """The span of each element of the array whose ``[`` is at ``start``."""
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int]] = []
    at = _skip_ws(text, start + 1)
    while text[at] != "]":
        _, end = decoder.raw_decode(text, at)
        spans.append((at, end))
        at = _skip_ws(text, end)
        if text[at] == ",":
            at = _skip_ws(text, at + 1)
    return spans


def _json_value(
    text: str, path: Sequence[str | int], seen: dict[int, Any] | None = None
) -> tuple[int, int]:
    """The span of the value at ``path`` (keys and array positions) in ``text``.
    ``seen`` keeps the members of each container read (by where it starts), so that
    many paths into one array read it once."""
    seen = {} if seen is None else seen
    begin, end, _ = _top_level(text)
    end += 1
    for step in path:
        kind = "{" if isinstance(step, str) else "["
        if text[begin] != kind:
            raise EditError(f"no {'/'.join(map(str, path))} in the JSON file")
        if begin not in seen:
            seen[begin] = _members(text, begin)[1] if kind == "{" else _elements(text, begin)
        found = seen[begin]
        if isinstance(step, str):
            span = found.get(step)
        else:
            span = found[step] if 0 <= step < len(found) else None
        if span is None:
            raise EditError(f"no {'/'.join(map(str, path))} in the JSON file")
        begin, end = span
    return begin, end


def _render_json(data: Any, unit: str | None, indent: str) -> str:
    """``data`` as JSON in the file's style: on one line when the file is (``unit`` is
    ``None``), else indented by ``unit`` and starting at ``indent``."""
    if unit is None:
        return json.dumps(data, ensure_ascii=False, default=_json_default)
    body = json.dumps(
        data,
        indent=len(unit) if unit.strip(" ") == "" else unit,
        ensure_ascii=False,
        default=_json_default,
    )
    return body.replace("\n", "\n" + indent)


def set_json_keys(
    text: str, changes: Sequence[tuple[Sequence[str | int], Mapping[str, Any]]]
) -> str:
    """``text`` (a JSON rubric file) with, for each change, its keys set on the object
    at its path (``(("evidence", 3, "source"), {"sha256": ...})``) and every other byte
    kept, as :func:`insert_many` keeps them: a new key goes after the object's last
    member, on a line of its own at its members' indent when they are on lines of their
    own, else on the same line after ``, ``; a key the object has already gets its new
    value in place. A byte-order mark and CRLF line ends are kept. Checked by parsing:
    the result must be the old data with exactly these keys set (:class:`EditError`
    otherwise, :class:`RubricError` when ``text`` is not JSON)."""
    if text.startswith("\ufeff"):  # a byte-order mark: kept, and out of the way
        return "\ufeff" + set_json_keys(text[1:], changes)
    crlf = _is_crlf(text)
    work = text.replace("\r\n", "\n") if crlf else text
    try:
        expected = json.loads(work)
    except ValueError as exc:
        raise RubricError([Problem("E003", f"JSON syntax error: {exc}")]) from None
    unit = _indent_unit(work)
    located = []
    seen: dict[int, Any] = {}
    for path, keys in changes:
        begin, _ = _json_value(work, path, seen)
        if work[begin] != "{":
            raise EditError(f"{'/'.join(map(str, path))} in the JSON file is not an object")
        target: Any = expected
        for step in path:
            target = target[step]
        target.update(json.loads(json.dumps(dict(keys), default=_json_default)))
        located.append((begin, keys))
    for begin, keys in sorted(located, key=lambda change: -change[0]):  # from the end
        work = _set_members(work, begin, keys, unit)
    if json.loads(work) != expected:
        raise EditError("cannot set these keys in this JSON file without changing other data")
    return work.replace("\n", "\r\n") if crlf else work


def _set_members(text: str, start: int, keys: Mapping[str, Any], unit: str | None) -> str:
    """``text`` with ``keys`` set on the object whose ``{`` is at ``start``."""
    _, spans, _ = _members(text, start)
    for key in sorted((k for k in keys if k in spans), key=lambda k: -spans[k][0]):
        begin, end = spans[key]  # a key it has: the new value in place of the old
        spread = unit if "\n" in text[begin:end] else None
        value = _render_json(keys[key], spread, _line_indent(text, begin))
        text = text[:begin] + value + text[end:]
    close, spans, colon = _members(text, start)
    new = {key: value for key, value in keys.items() if key not in spans}
    if not new:
        return text
    last = close - 1
    while text[last] in " \t\r\n":
        last -= 1
    inside = text[start + 1 : _skip_ws(text, start + 1)]
    spread = unit
    if "\n" in inside and spans:  # members on lines of their own: one more
        indent = inside.rsplit("\n", 1)[1]
        lead = between = ",\n" + indent
    elif "\n" in inside and unit is not None:  # an empty object over lines
        indent = _line_indent(text, start) + unit
        lead, between = "\n" + indent, ",\n" + indent
    else:  # on one line: after ", "
        indent, spread = "", None
        lead, between = (", " if spans else ""), ", "
    members = between.join(
        f"{json.dumps(key, ensure_ascii=False)}{colon}{_render_json(value, spread, indent)}"
        for key, value in new.items()
    )
    return text[: last + 1] + lead + members + text[last + 1 :]


def _indent_unit(text: str) -> str | None:
    match = re.search(r"\n([ \t]+)\"", text)
    return match.group(1) if match else None


def _insert_json(text: str, array: str, items: Sequence[Mapping[str, Any]]) -> str:
    try:
        old = json.loads(text.removeprefix("\ufeff"))
    except ValueError as exc:
        raise RubricError([Problem("E003", f"JSON syntax error: {exc}")]) from None
    unit = _indent_unit(text)
    items_json = json.loads(json.dumps(list(items), default=_json_default))

    def render(indent: str) -> str:
        between = ", " if unit is None else ",\n" + indent
        return between.join(_render_json(data, unit, indent) for data in items)

    _, close, spans = _top_level(text)
    if array in spans and text[spans[array][0]] == "[":
        begin, end = spans[array]
        inner_end = end - 1  # the ']'
        last = inner_end - 1
        while last > begin and text[last] in " \t\r\n":
            last -= 1
        if last == begin:  # an empty array
            if unit is None:
                new = text[: begin + 1] + render("") + text[inner_end:]
            else:
                line_indent = _line_indent(text, begin)
                indent = line_indent + unit
                new = (
                    text[: begin + 1]
                    + "\n"
                    + indent
                    + render(indent)
                    + "\n"
                    + line_indent
                    + text[inner_end:]
                )
        else:
            first = _skip_ws(text, begin + 1)
            between = text[begin + 1 : first]
            if "\n" in between:
                indent = between.rsplit("\n", 1)[1]
                new = text[: last + 1] + ",\n" + indent + render(indent) + text[last + 1 :]
            else:
                new = text[: last + 1] + ", " + render("") + text[last + 1 :]
    else:
        if array in spans:
            raise EditError(f"{array!r} in the JSON file is not a list")
        last = close - 1
        while text[last] in " \t\r\n":
            last -= 1
        comma = "" if text[last] == "{" else ","
        if unit is None:
            addition = f'{comma}"{array}": [' + render("") + "]"
        else:
            inner = unit + unit
            addition = f"{comma}\n{unit}{json.dumps(array)}: [\n{inner}{render(inner)}\n{unit}]"
        new = text[: last + 1] + addition + text[last + 1 :]
    expected = dict(old)
    expected[array] = [*old.get(array, []), *items_json]
    if json.loads(new.removeprefix("\ufeff")) != expected:
        raise EditError("cannot add to this JSON file without changing other data")
    return new


def _line_indent(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    line = text[start:at]
    return line[: len(line) - len(line.lstrip(" \t"))]
