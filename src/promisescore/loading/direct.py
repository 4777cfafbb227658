"""Evidence, assessments and their sources decoded by msgspec straight into model objects.

The typed decoding (:mod:`.typed`) decodes a clean JSON rubric into msgspec structs,
then builds each model object from its struct in generated Python (:mod:`.fast`): at a
million evidence items that second step is most of the loading time. msgspec can also
decode into attrs classes itself, in C, when each field's annotation says exactly what
the loader would make of the key. This module decides, for the bulk kinds (evidence
items with their inline sources, assessments), whether the model class is such a class
(:func:`faithful`), and accounts for the objects msgspec built
(:func:`settle`): the checks of their classes, which msgspec would run one object at a
time through ``__attrs_post_init__`` (a Python call from C for each of millions of
objects, more than half the decoding time), are left out of the decoder
(:func:`decoder`) and proved a column at a time (:mod:`.proofs`) instead.

msgspec ignores keys the class has no field for and keeps the last of duplicate keys,
so the objects alone cannot say that the file was clean. The loader's key count
(:mod:`.typed`) says it: each object accounts for its required keys and for each
optional key it was given, and the total must equal the keys in the text. To tell a
default left out from one written out (``"effect": "advances"``), the decoder gives
the attributes whose default is not ``None`` the marker :data:`ABSENT` instead, which
:func:`settle` counts and then replaces by the real default. An unknown key, a
duplicate key or a ``null`` (``None``, like a key left out) leaves a key unaccounted
for: the count differs and the file takes the struct path (or the standard path),
which reports or accepts it as before. So do a ``meta`` table (msgspec would not
check its keys for duplicates), a number of 2**53 or more (converted to a float by
msgspec, not by the model) and anything a proof cannot rule out.
"""

from __future__ import annotations

import sys
import threading
import typing
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import repeat
from operator import attrgetter, is_
from typing import Any, Literal, get_args, get_origin

import attrs

from ..fields import FieldSpec, table_of
from ..model.parts import EMPTY_META
from .proofs import Proof

#: The kinds worth decoding directly (the bulk of a big rubric).
KINDS: tuple[str, ...] = ("evidence", "assessment")

#: Below this magnitude, every integer is a float exactly (msgspec and the model agree).
_EXACT = float(2**53)

_UnionType = type(int | None)


def _same(annotation: Any, base: Any) -> bool:
    if get_origin(base) is Literal:
        return get_origin(annotation) is Literal and set(get_args(annotation)) == set(
            get_args(base)
        )
    return bool(annotation == base)


def _optional(annotation: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    if get_origin(annotation) in (typing.Union, _UnionType):
        args = get_args(annotation)
        if len(args) == 2 and type(None) in args:
            return next(a for a in args if a is not type(None))
    return None


def _decodes_as(spec: FieldSpec, annotation: Any) -> bool:
    """Whether msgspec, decoding a key by ``annotation``, makes of it what the loader
    makes of it (or refuses it): the annotation is the type of the key's tag, ``| None``
    exactly when the default is ``None``."""
    base: Any
    if spec.tag in ("id", "str"):
        base = Literal[spec.choices] if spec.choices else str
    elif spec.tag == "date":
        base = date
    elif spec.tag == "number":
        base = float
    elif spec.tag == "ids":
        return _same(annotation, tuple[str, ...]) and spec.default == ()
    elif spec.tag == "meta":
        return get_origin(annotation) is Mapping and spec.default is EMPTY_META
    else:
        return False
    if spec.required or spec.default is not None:
        if spec.tag == "number":
            return False  # a default number would be counted apart from a given one
        return _same(annotation, base) and (
            spec.required or not spec.choices or spec.default in spec.choices
        )
    inner = _optional(annotation)
    return inner is not None and _same(inner, base)


def faithful(kind: str, cls: type, classes: Mapping[str, type]) -> bool:
    """Whether msgspec may decode a table of ``kind`` straight into ``cls``: each key of
    the file is an attribute of the same name and each attribute a key, annotated with a
    type msgspec turns into what the loader would make of the key; a nested table
    (``source``) likewise, and never a citation string (the annotation refuses it)."""
    if not attrs.has(cls):
        return False
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return False
    specs = table_of(kind, cls)
    fields = attrs.fields(cls)
    if [spec.key for spec in specs if spec.attribute == spec.key] != [
        spec.key for spec in specs
    ] or {spec.key for spec in specs} != {field.name for field in fields}:
        return False
    if any(field.alias != field.name for field in fields):
        return False
    for spec in specs:
        annotation = hints.get(spec.key)
        if spec.tag == "source":
            nested = classes.get("source")
            if nested is None or annotation is not nested or not spec.required:
                return False
            if not faithful("source", annotation, classes):
                return False
        elif not _decodes_as(spec, annotation):
            return False
    return True


class _Absent:
    """The default msgspec gives an attribute whose key the file leaves out, for the
    attributes whose real default is not ``None`` (:func:`settle` puts the real one
    in): so that a default written out (``"effect": "advances"``) is told apart from
    one left out, and counted as the key it is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()


def _marked(cls: type) -> list[Any]:
    """The attributes of ``cls`` whose absence :data:`ABSENT` marks: those with a
    default other than ``None``, but ``meta`` (any ``meta`` given, even ``{}``, sends
    the file to another path: its keys were not checked for duplicates)."""
    return [
        field
        for field in attrs.fields(cls)
        if field.default is not attrs.NOTHING
        and field.default is not None
        and field.default is not EMPTY_META
    ]


def _fill(cls: type, objects: Sequence[Any]) -> int | None:
    """Put the real default where msgspec put :data:`ABSENT`; the keys given for those
    attributes, or ``None`` when a ``meta`` table is given."""
    given = 0
    for field in attrs.fields(cls):
        given_meta = field.default is EMPTY_META and not all(
            map(is_, map(attrgetter(field.name), objects), repeat(EMPTY_META))
        )
        if given_meta:
            return None
    for field in _marked(cls):
        column = list(map(attrgetter(field.name), objects))
        absent = column.count(ABSENT)
        given += len(column) - absent
        if absent:
            setter = getattr(cls, field.name).__set__  # the slot, as the class's __init__ sets it
            fill = {ABSENT: field.default}.get
            deque(map(setter, objects, map(fill, column, column)), maxlen=0)
    return given


def _keys(cls: type, objects: Sequence[Any]) -> int:
    """The keys of the other attributes: each object's required keys, and each optional
    attribute (default ``None``) that is not ``None`` (a ``null`` in the file is
    ``None`` too: it leaves its key unaccounted for, and the file to another path)."""
    count = 0
    for field in attrs.fields(cls):
        if field.default is attrs.NOTHING:
            count += len(objects)
        elif field.default is None:
            column = list(map(attrgetter(field.name), objects))
            count += len(column) - column.count(None)
    return count


def _exact_numbers(kind: str, cls: type, objects: Sequence[Any]) -> bool:
    """No number whose conversion to a float might differ from the model's."""
    for spec in table_of(kind, cls):
        if spec.tag == "number":
            values = [v for v in map(attrgetter(spec.key), objects) if v is not None]
            if values and (max(values) >= _EXACT or min(values) <= -_EXACT):
                return False
    return True


#: The proofs are run on this many objects at a time (as in :mod:`.typed`).
BATCH = 4096


def settle(kind: str, cls: type, objects: Sequence[Any], prove: Proof) -> int | None:
    """Account for ``objects`` of ``kind`` that msgspec decoded into ``cls`` with a
    :func:`decoder`: put in the defaults, prove the checks of the class (running them on
    every object of a batch whose proof fails: they raise what they find), and return
    how many keys of the file the objects account for; ``None`` when the file must take
    another path."""
    given = _fill(cls, objects)
    if given is None or not _exact_numbers(kind, cls, objects):
        return None
    for start in range(0, len(objects), BATCH):
        batch = objects[start : start + BATCH]
        if not prove(batch):
            for obj in batch:
                obj.__attrs_post_init__()
    return given + _keys(cls, objects)


def sources_of(evidence: Sequence[Any]) -> list[Any]:
    """The sources of decoded evidence items (each its own inline table)."""
    return list(map(attrgetter("source"), evidence))


# ------------------------------------------------------------------ the decoder


class _ThreadView:
    """A class attribute as msgspec sees it while a decoder is made: in the thread
    making the decoder, ``alternative`` (or no attribute at all when it is
    :data:`_NONE`); everywhere else (objects built or classes inspected in other threads
    meanwhile), the attribute itself."""

    def __init__(self, real: Any, alternative: Any, thread: int) -> None:
        self.real = real
        self.alternative = alternative
        self.thread = thread

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None and threading.get_ident() == self.thread:
            if self.alternative is _NONE:
                raise AttributeError("hidden while a decoder is made")
            return self.alternative
        get = getattr(type(self.real), "__get__", None)
        return self.real if get is None else get(self.real, obj, owner)


_NONE = object()
#: The thread switch interval (seconds) while a decoder is made: longer than it takes.
_HOLD = 10.0
_CACHE = "__msgspec_cache__"  # where msgspec keeps what it read of a class
_lock = threading.Lock()


@contextmanager
def _as_msgspec_should_see(classes: Sequence[type]) -> Iterator[None]:
    """While making a decoder in this thread, ``classes`` without their
    ``__attrs_post_init__`` and with :data:`ABSENT` as the default of the attributes
    :func:`_marked` names; afterwards, msgspec forgets what it read of them (so that
    decoding them elsewhere checks each object as before).

    msgspec caches what it reads of a class on the class itself (``__msgspec_cache__``),
    for every thread: between its writing that cache and the end of this block, which
    removes it, another thread decoding these classes with msgspec would take it. So no
    other thread runs meanwhile: the interpreter is asked not to switch threads for the
    few milliseconds this takes (nothing in it blocks or imports, so nothing gives the
    interpreter lock up)."""
    import msgspec._utils  # noqa: F401  (imported before the window, not in it)

    thread = threading.get_ident()
    views = {}
    for cls in classes:
        marked = {field.name for field in _marked(cls)}
        fields = tuple(
            field.evolve(default=ABSENT) if field.name in marked else field
            for field in attrs.fields(cls)
        )
        views[cls] = {"__attrs_attrs__": fields, "__attrs_post_init__": _NONE}
    with _lock:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(max(switch, _HOLD))
        saved = {
            cls: {name: cls.__dict__.get(name) for name in (*view, _CACHE)}
            for cls, view in views.items()
        }
        try:
            for cls, view in views.items():
                if saved[cls][_CACHE] is not None:
                    delattr(cls, _CACHE)  # read again, as seen here
                for name, alternative in view.items():
                    real = saved[cls][name]
                    if real is not None:
                        type.__setattr__(cls, name, _ThreadView(real, alternative, thread))
            yield
        finally:
            for cls, view in views.items():
                for name in view:
                    if saved[cls][name] is not None:
                        type.__setattr__(cls, name, saved[cls][name])
                if _CACHE in cls.__dict__:
                    delattr(cls, _CACHE)  # what it read here is for this decoder only
                if saved[cls][_CACHE] is not None:
                    setattr(cls, _CACHE, saved[cls][_CACHE])
            sys.setswitchinterval(switch)


def decoder(document: type, classes: Sequence[type]) -> Any:
    """A msgspec JSON decoder of ``document`` that builds the objects of ``classes``
    without calling their ``__attrs_post_init__`` and with :data:`ABSENT` for the keys
    left out whose default is not ``None`` (:func:`settle` makes them whole)."""
    import msgspec

    with _as_msgspec_should_see(classes):
        return msgspec.json.Decoder(document)
