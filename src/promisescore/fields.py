"""The field table of every object type of a rubric file, read from the model.

Each key an object may have in a rubric file is described once, on the model class
(``attrs.field(metadata=...)`` in :mod:`promisescore.model`), and read here through
:func:`attrs.fields`: its type tag, whether it is required, its default, its allowed
values, its file key and a one-line doc. Everything that lists keys derives from this
table: the loader's key checks and conversions (``loading.structure.SCHEMAS``), the JSON
Schema (:mod:`promisescore.schema`), the TOML/JSON writer (:mod:`promisescore.serialize`),
the CSV columns (:mod:`promisescore.csvio`), ``promisescore fmt``'s key order,
``promisescore add``'s options and the test that checks ``docs/reference/rubric.md``.

Type tags: ``str``, ``id``, ``date``, ``number``, ``bool``, ``deadline``, ``source``,
``strs``, ``ids``, ``meta``, ``table:<kind>`` and ``tables:<kind>``.

This module is part of the model layer: it imports only the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

from .model import (
    FACTS,
    Assessment,
    Assessor,
    Category,
    Criterion,
    Evidence,
    GradeBand,
    Grading,
    Level,
    Promise,
    Report,
    Scale,
    Source,
    Target,
    field_facts,
)

#: Object kind → its model class, in the order FORMAT.md describes them.
CLASSES: dict[str, type] = {
    "report": Report,
    "scale": Scale,
    "level": Level,
    "grading": Grading,
    "assessor": Assessor,
    "band": GradeBand,
    "category": Category,
    "promise": Promise,
    "criterion": Criterion,
    "target": Target,
    "source": Source,
    "evidence": Evidence,
    "assessment": Assessment,
}

#: Keys a file may hold that are no attribute of the model (the loader turns them into
#: constructor arguments or drops them): ``(after, key, facts)``.
FILE_ONLY: dict[str, tuple[tuple[str, str, dict[str, Any]], ...]] = {
    "level": (
        (
            "value",
            "unrated",
            field_facts("bool", "An unrated level (e.g. not-yet-rated): no value."),
        ),
    ),
    "scale": (("levels", "meta", field_facts("meta")),),
    "band": (("min", "meta", field_facts("meta")),),
}

#: The top-level keys of a rubric file and what each holds.
TOP_LEVEL_KEYS: dict[str, str] = {
    "format": 'the format version, 1, "1.1" or "1.2"',
    "include": "more files to read",
    "meta": "free-form metadata",
    "report": "table",
    "scale": "table",
    "grading": "table",
    "assessors": "array of tables",
    "categories": "array of tables",
    "promises": "array of tables",
    "evidence": "array of tables",
    "assessments": "array of tables",
}

#: Arrays of tables at the top level → the kind of their items.
ARRAY_KINDS: dict[str, str] = {
    "assessors": "assessor",
    "categories": "category",
    "promises": "promise",
    "evidence": "evidence",
    "assessments": "assessment",
}


@attrs.frozen
class FieldSpec:
    """One key of one object type in a rubric file."""

    #: The object type (``evidence``).
    kind: str
    #: The key in the file.
    key: str
    #: The model attribute it fills (``None``: a file-only key such as ``level.unrated``).
    attribute: str | None
    #: The type tag (see the module's doc).
    tag: str
    #: Whether the file must give it.
    required: bool
    #: The model's default (:data:`attrs.NOTHING` when it has none).
    default: Any = attrs.field(hash=False)
    #: The allowed values (of each item, for lists), or ``None`` for any.
    choices: tuple[str, ...] | None
    #: A one-line description (the JSON Schema's ``description``), or ``None``.
    doc: str | None
    #: A string that must not be blank.
    nonempty: bool = False
    #: The JSON Schema definition a value refers to (``unit``, ``weight``), if any.
    ref: str | None = None
    #: The first format version that has the key (``"1"``, ``"1.1"`` or ``"1.2"``).
    since: str = "1"
    #: Further JSON Schema keywords (``pattern``, ``minItems``, ...).
    schema: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: How to write the value, for the loader's message when it has the wrong type.
    hint: str | None = None
    #: Its short string values repeat across a rubric (ids, references, names): the
    #: loader keeps one copy of each.
    repeats: bool = False

    @property
    def sub_kind(self) -> str | None:
        """The object type of a nested table (``source``, ``table:target``, ...)."""
        if self.tag == "source":
            return "source"
        if self.tag.startswith(("table:", "tables:")):
            return self.tag.split(":", 1)[1]
        return None

    @property
    def has_default(self) -> bool:
        return self.default is not attrs.NOTHING


def _spec(kind: str, key: str, attribute: attrs.Attribute[Any] | None, facts: Any) -> FieldSpec:
    default: Any = attrs.NOTHING
    if attribute is not None:
        default = attribute.default
    required = facts["required"]
    if required is None:
        required = attribute is not None and attribute.default is attrs.NOTHING
    return FieldSpec(
        kind=kind,
        key=key,
        attribute=None if attribute is None else attribute.name,
        tag=facts["tag"],
        required=required,
        default=default,
        choices=facts["choices"],
        doc=facts["doc"],
        nonempty=facts["nonempty"],
        ref=facts["ref"],
        since=facts["since"],
        schema=facts["schema"],
        hint=facts["hint"],
        repeats=facts["repeats"],
    )


def table_of(kind: str, cls: type) -> tuple[FieldSpec, ...]:
    """The field table of ``cls`` (an attrs class whose fields carry facts), in file order."""
    entries: list[tuple[FieldSpec, str | None]] = []
    for attribute in attrs.fields(cls):
        facts = attribute.metadata.get(FACTS)
        if facts is None:  # not a key of the file (e.g. Rubric.origin)
            continue
        name: str = facts["key"] or attribute.name
        entries.append((_spec(kind, name, attribute, facts), facts["after"]))
    for anchor_key, key, metadata in FILE_ONLY.get(kind, ()):
        entries.append((_spec(kind, key, None, metadata[FACTS]), anchor_key))
    order = [spec for spec, _ in entries]
    for spec, after in entries:
        if after is None:
            continue
        order.remove(spec)
        anchor = next(i for i, other in enumerate(order) if other.key == after)
        order.insert(anchor + 1, spec)
    return tuple(order)


@cache
def field_table(kind: str) -> tuple[FieldSpec, ...]:
    """The keys of ``kind`` (``report``, ``evidence``, ...: see :data:`CLASSES`) in the
    order FORMAT.md lists them. Raises :class:`KeyError` for an unknown kind."""
    return table_of(kind, CLASSES[kind])


def field(kind: str, key: str) -> FieldSpec:
    """One key of ``kind``; :class:`KeyError` when it has none of that name."""
    for spec in field_table(kind):
        if spec.key == key:
            return spec
    raise KeyError(f"{kind} has no key {key!r}")


def keys(kind: str) -> tuple[str, ...]:
    """The file keys of ``kind``, in order."""
    return tuple(spec.key for spec in field_table(kind))


def repeated() -> frozenset[tuple[str, str]]:
    """``(kind, key)`` of every key whose values repeat (interned by the loader)."""
    return frozenset(
        (kind, spec.key) for kind in CLASSES for spec in field_table(kind) if spec.repeats
    )


def refresh() -> None:
    """Forget the computed tables (after :data:`CLASSES` changed, e.g. in a test)."""
    field_table.cache_clear()


__all__ = [
    "ARRAY_KINDS",
    "CLASSES",
    "FILE_ONLY",
    "TOP_LEVEL_KEYS",
    "FieldSpec",
    "field",
    "field_table",
    "keys",
    "refresh",
    "repeated",
    "table_of",
]
