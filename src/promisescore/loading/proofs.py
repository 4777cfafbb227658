"""Column-wise proofs that a model class's own checks would find nothing.

Every model object checks its fields in its ``__attrs_post_init__`` (ids match
``ID_PATTERN``, required texts are not blank, dates are dates, values are allowed,
numbers are in range...). When a clean JSON rubric is decoded (:mod:`.typed`), the
millions of evidence items, assessments and their sources are built without running
those checks one object at a time; instead, :func:`proof` checks each *column* of
them at once, a batch of objects at a time — one regular expression over all the
ids of a column joined by ``"\\n"``, set inclusion for allowed values, ``min``/``max``
for numbers, ``str.isspace`` over required texts (the types were enforced by the typed
decoding) — and only when a column's proof fails does the loader run the real
``__attrs_post_init__`` of every object of that batch (which raises what it finds, so
the file then takes the standard path and its problems keep their locations).

The proofs are derived from the same field table as the model's own checks
(:func:`promisescore.fields.table_of`: the same facts ``model._plan`` reads), so that
each fact lives once. A class's checks that are not in its field table (an evidence
item's source must be a :class:`~promisescore.model.Source`, its value finite; an
assessment's ``effective`` not after its ``date``) are proved by :data:`EXTRA`, which
also records the digest of the ``__attrs_post_init__`` source they were written
against: when that method changes, or when a field has a fact no proof here covers,
:func:`proof` returns ``None`` and every object of the class is checked by the class
itself, as before (``tests/test_proofs.py`` fails first, to say the proofs need a
look).
"""

from __future__ import annotations

import inspect
import math
import re
import zlib
from collections.abc import Callable, Sequence
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import Any

import attrs

from ..fields import FieldSpec, table_of
from ..model.parts import ID_PATTERN

#: ``proof(objects)``: True when the class's ``__attrs_post_init__`` would find
#: nothing wrong with any of ``objects`` (False: run it on each).
Proof = Callable[[Sequence[Any]], bool]

#: every id of a column, joined by "\n" (an id never holds a newline: counted apart)
_IDS = re.compile(rf"(?:{ID_PATTERN.pattern})(?:\n(?:{ID_PATTERN.pattern}))*")


def _ids_ok(values: Sequence[Any]) -> bool:
    """Every value a str that ``ID_PATTERN`` matches in full."""
    if not values:
        return True
    try:
        joined = "\n".join(values)
    except TypeError:  # not all strings
        return False
    return joined.count("\n") == len(values) - 1 and _IDS.fullmatch(joined) is not None


def _column(name: str, objects: Sequence[Any]) -> list[Any]:
    return list(map(attrgetter(name), objects))


def _given(name: str, objects: Sequence[Any]) -> list[Any]:
    """The distinct values of a column other than ``None`` (not given)."""
    values = set(map(attrgetter(name), objects))
    values.discard(None)
    return list(values)


def _always(objects: Sequence[Any]) -> bool:
    return True


def _field_proof(spec: FieldSpec, name: str) -> Proof | None:
    """The proof of what the field table says of one attribute (as ``model._plan``
    reads it), or ``None`` for a fact no proof here covers.

    The objects come from the typed decoding, whose types (derived from the same tags)
    already made every text a ``str``, every date a ``date`` and every number an
    ``int`` or ``float`` (``None`` where an optional key is not given): what is left
    to prove is what a type does not say."""
    optional = spec.default is None
    tag, choices = spec.tag, spec.choices

    if tag == "id":
        if optional:
            return lambda objects: _ids_ok(_given(name, objects))
        return lambda objects: _ids_ok(_column(name, objects))
    if tag == "str" and choices:
        allowed = frozenset(choices) | ({None} if optional else set())
        return lambda objects: set(map(attrgetter(name), objects)) <= allowed
    if tag == "str" and not spec.schema:
        if spec.nonempty or spec.default is attrs.NOTHING:
            return lambda objects: _texts_ok(_column(name, objects))
        return _always  # a str or None: the type says it all
    if tag == "date":
        return _always  # a date (or None where optional): the typed decoding made it
    if tag == "number" and spec.ref == "unit":
        return lambda objects: _units_ok(
            _given(name, objects) if optional else _column(name, objects)
        )
    if tag == "strs" and not choices:
        return _always  # lists of str: the type says it all
    if tag == "ids":
        return lambda objects: _ids_ok(list(chain.from_iterable(map(attrgetter(name), objects))))
    if tag == "meta":  # converted by the attribute's own converter, never checked after
        return _always
    return None


def _texts_ok(values: list[Any]) -> bool:
    """Every value a str that is not blank (``str.strip`` strips what ``isspace`` sees)."""
    try:
        return "" not in values and not any(map(str.isspace, values))
    except TypeError:  # not a str
        return False


def _units_ok(values: list[Any]) -> bool:
    """Every value a float in [0, 1]."""
    if not values:
        return True
    if set(map(type, values)) != {float}:
        return False  # an int or a bool: the class says what is wrong
    # a NaN makes the sum NaN (and min and max meaningless); an inf leaves [0, 1]
    return not math.isnan(sum(values)) and min(values) >= 0.0 and max(values) <= 1.0


# --------------------------------------------------------------- the classes' own checks


def digest(cls: type) -> str | None:
    """A digest of ``cls.__attrs_post_init__``'s source (``None`` if it has none or the
    source cannot be read)."""
    method = getattr(cls, "__attrs_post_init__", None)
    if method is None:
        return None
    try:
        source = inspect.getsource(method)
    except (OSError, TypeError):
        return None
    # a change detector, not a secret: CRC-32 (hashlib would load OpenSSL, 3 MiB)
    return f"{zlib.crc32(inspect.cleandoc(source).encode()):08x}"


def _evidence_extra(objects: Sequence[Any]) -> bool:
    """``Evidence``: a :class:`Source` (the typed decoding builds nothing else) and a
    finite float value, or none."""
    values = _given("value", objects)
    if not values:
        return True
    if set(map(type, values)) != {float}:
        return False
    # the sum of finite floats is finite (or, rarely, overflows: then the class decides)
    return math.isfinite(sum(values))


def _source_extra(objects: Sequence[Any]) -> bool:
    """``Source`` (format 1.2 keys): every ``sha256`` 64 lowercase hex digits, every
    ``archive`` a relative path or an http(s) address."""
    from ..model.parts import SHA256_PATTERN, archive_ok

    digests = _given("sha256", objects)
    if digests and not all(type(v) is str and SHA256_PATTERN.fullmatch(v) for v in digests):
        return False
    archives = _given("archive", objects)
    return all(type(v) is str and archive_ok(v) for v in archives)


def _assessment_extra(objects: Sequence[Any]) -> bool:
    """``Assessment``: ``effective`` (when given) is a date no later than ``date``."""
    if not _given("effective", objects):
        return True
    return all(
        type(obj.effective) is date and type(obj.date) is date and obj.effective <= obj.date
        for obj in objects
        if obj.effective is not None
    )


#: Per kind: the checks of its class that its field table does not state, the
#: attributes they cover, and the digest of the ``__attrs_post_init__`` they prove.
EXTRA: dict[str, tuple[Proof, frozenset[str], str]] = {
    "source": (_source_extra, frozenset({"archive", "sha256"}), "3d5bc1f4"),
    "evidence": (_evidence_extra, frozenset({"source", "value"}), "d3372d83"),
    "assessment": (_assessment_extra, frozenset({"effective"}), "262e446c"),
}


def proof(kind: str, cls: type) -> Proof | None:
    """The column-wise proof for objects of ``cls`` (of ``kind``), or ``None`` when
    there is none: a class with no entry in :data:`EXTRA`, whose
    ``__attrs_post_init__`` changed since its entry was written, or with a field whose
    facts no proof covers."""
    extra = EXTRA.get(kind)
    if extra is None or attrs.has(cls) is False:
        return None
    prove_extra, covered, expected = extra
    if digest(cls) != expected:
        return None
    specs = {spec.attribute: spec for spec in table_of(kind, cls) if spec.attribute}
    proofs: list[Proof] = []
    for attribute in attrs.fields(cls):
        name = attribute.name
        if name in covered:
            continue
        spec = specs.get(name)
        if spec is None:
            return None  # an attribute the file does not give: unknown to the proofs
        field_proof = _field_proof(spec, name)
        if field_proof is None:
            return None
        if field_proof is not _always:
            proofs.append(field_proof)
    proofs.append(prove_extra)

    def prove(objects: Sequence[Any]) -> bool:
        return all(check(objects) for check in proofs)

    return prove
