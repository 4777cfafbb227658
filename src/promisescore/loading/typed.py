"""JSON rubrics decoded straight into model objects, when nothing is wrong with them.

The standard path parses a JSON file into dicts (checking for duplicate keys in pure
Python), then checks and converts every table. For a clean file, this module does the
same work in far less time: msgspec decodes the text straight into typed structures
generated from the loader's schema (``structure.SCHEMAS``; unknown keys and wrong
types are refused while decoding), and generated code (:mod:`.fast`, ``struct=True``)
turns each into its model object. Whatever is unusual — a decoding or type error, an
id the model refuses, a number too large for a float, a lone surrogate escape, a
duplicate key — makes :func:`parse` fall back to :func:`~.files.parse_text` and the
standard path, which reports every problem exactly as before, located by file and line.

Duplicate keys, which msgspec does not report (the last value wins), are found
without a second parse: every key of an object is followed by ``":`` in the text
(``json.dump`` and every common writer put the colon right after the key), so the
keys in the text are the occurrences of ``":`` less those inside strings (``\\":``,
an escaped quote); the decoded structures count the keys they read, and raw parts
(``meta``, ``report``, ...) are parsed by the standard library with its duplicate
check. Any difference sends the file to the standard path; so does a text where that
count could mislead (whitespace between a key and its colon, an escaped backslash
before ``":``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs
import msgspec

from ..dates import parse_date
from ..errors import Problem, RubricError
from ..model import Source
from . import direct as direct_kinds
from .fast import Build, Prebuilt, compile_kind
from .files import (
    _no_duplicates,
    _reject_constant,
    included_keys,
    parse_text,
)
from .proofs import Proof, proof
from .structure import _ARRAY_KINDS, _CLASSES, SCHEMAS, TOP_LEVEL_KEYS

#: Whether :func:`parse` tries the typed decoding at all (tests compare both paths).
ENABLED = True


class _Decoder:
    """What the generated code of :mod:`.fast` needs while decoding one file."""

    __slots__ = ("dates", "keys", "names", "unchecked")

    def __init__(self, unchecked: Iterable[str] = ()) -> None:
        self.names: dict[str, str] = {}
        #: per kind, the objects built without their class's checks (see :mod:`.proofs`)
        self.unchecked: dict[str, list[Any]] = {kind: [] for kind in unchecked}
        self.dates: dict[Any, date] = {}
        #: keys read so far (compared with the keys in the text)
        self.keys = 0

    def date(self, value: Any) -> date | None:
        cached = self.dates.get(value)
        if cached is not None:
            return cached
        if type(value) is not str:
            return None
        try:
            parsed = parse_date(value)
        except ValueError:
            return None
        self.dates[value] = parsed
        return parsed


def _keys_in(text: str | bytes) -> int:
    """How many keys ``text`` has, when every key is followed at once by its colon."""
    if isinstance(text, bytes):
        return text.count(b'":') - text.count(b'\\":')
    return text.count('":') - text.count('\\":')


def _raw_json(decoder: _Decoder, raw: msgspec.Raw) -> Any:
    """A raw part of the file, parsed by the standard library (with its duplicate-key
    and NaN checks); ``_Unusual`` for anything the standard path should see."""
    data = bytes(raw)
    decoder.keys += _keys_in(data)
    try:
        return json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise _Unusual from None


def _meta_of(decoder: _Decoder, raw: msgspec.Raw) -> Any:
    value = _raw_json(decoder, raw)
    return value if type(value) is dict else None


class _Unusual(Exception):
    """Something the standard path must see (and report)."""


_TYPES: dict[str, Any] = {
    "str": str,
    "id": str,
    "date": str,
    "deadline": str,
    "number": int | float,
    "bool": bool,
    "strs": list[str],
    "ids": list[str],
    "meta": msgspec.Raw,
}


def _structs(
    schemas: Mapping[str, Mapping[str, tuple[str, bool]]],
) -> dict[str, type[msgspec.Struct]] | None:
    """One msgspec struct type per kind, generated from its schema (``None`` if a tag
    has no typed equivalent: then every file takes the standard path)."""
    structs: dict[str, type[msgspec.Struct]] = {}

    def make(kind: str) -> type[msgspec.Struct] | None:
        if kind in structs:
            return structs[kind]
        fields: list[tuple[str, Any, Any] | tuple[str, Any]] = []
        for key, (tag, required) in schemas[kind].items():
            kind_type: Any
            if tag == "source":
                sub = make("source")
                if sub is None:
                    return None
                kind_type = str | sub
            elif tag.startswith("table:"):
                kind_type = make(tag[6:])
            elif tag.startswith("tables:"):
                sub = make(tag[7:])
                kind_type = list[sub] if sub is not None else None  # type: ignore[valid-type]
            else:
                kind_type = _TYPES.get(tag)
            if kind_type is None:
                return None
            if required:
                fields.append((key, kind_type))
            else:
                fields.append((key, kind_type | msgspec.UnsetType, msgspec.UNSET))
        made = msgspec.defstruct(
            f"Typed{kind.title()}", fields, kw_only=True, forbid_unknown_fields=True
        )
        structs[kind] = made
        return made

    for kind in _ARRAY_KINDS.values():
        if make(kind) is None:
            return None
    return structs


#: Whether the column-wise proofs of :mod:`.proofs` may stand in for the model's
#: per-object checks (tests compare both).
PROOFS = True

#: Whether msgspec may decode evidence and assessments straight into model objects
#: (:mod:`.direct`; tests compare both).
DIRECT = True


@attrs.frozen
class _Typed:
    """The decoders and builders of the typed decoding, generated from the schema."""

    #: per set of kinds decoded straight into model objects (:mod:`.direct`), the
    #: document's decoder; ``frozenset()``: every array into structs
    decoders: dict[frozenset[str], Any]
    builds: dict[str, Build]
    proofs: dict[str, Proof]
    #: the kinds that may be decoded straight into their model class
    direct: frozenset[str]


def _compile(proofs_on: bool) -> _Typed | None:
    structs = _structs(SCHEMAS)
    if structs is None:
        return None
    builds: dict[str, Build] = {}
    proofs: dict[str, Proof] = {}
    for kind in structs:
        prove = proof(kind, _CLASSES[kind]) if proofs_on else None
        if prove is not None:
            proofs[kind] = prove
        build = compile_kind(
            kind,
            SCHEMAS[kind],
            _CLASSES[kind],
            builds,
            Source,
            struct=True,
            meta_of=_meta_of,
            unchecked=prove is not None,
        )
        if build is None:
            return None
        builds[kind] = build
    direct = frozenset(
        kind
        for kind in direct_kinds.KINDS
        if DIRECT
        and kind in proofs
        and direct_kinds.faithful(kind, _CLASSES[kind], _CLASSES)
        and all(sub in proofs for sub in _nested(kind))
    )
    choices = {frozenset(), direct, direct - {"evidence"}}
    decoders: dict[frozenset[str], Any] = {}
    for chosen in choices:
        fields: list[tuple[str, Any, Any]] = []
        for key in TOP_LEVEL_KEYS:
            array = _ARRAY_KINDS.get(key)
            field_type: Any
            if array is None:
                field_type = msgspec.Raw
            elif array in chosen:
                field_type = list.__class_getitem__(_CLASSES[array])
            else:
                field_type = list[structs[array]]  # type: ignore[valid-type]
            fields.append((key, field_type | msgspec.UnsetType, msgspec.UNSET))
        document = msgspec.defstruct(
            "TypedRubric", fields, kw_only=True, forbid_unknown_fields=True
        )
        decoders[chosen] = direct_kinds.decoder(
            document, [_CLASSES[k] for top in sorted(chosen) for k in (top, *_nested(top))]
        )
    return _Typed(decoders, builds, proofs, direct)


def _nested(kind: str) -> list[str]:
    """The kinds of the tables nested in a table of ``kind``."""
    nested = []
    for tag, _ in SCHEMAS[kind].values():
        if tag == "source":
            nested.append("source")
        elif tag.startswith(("table:", "tables:")):
            nested.append(tag.split(":", 1)[1])
    return nested


_compiled: dict[Any, _Typed | None] = {}


def _typed() -> _Typed | None:
    """The decoder and the builders, generated on first use from the schema and the
    model classes as they are then (and again if they change, as a test's field does)."""
    key = (
        PROOFS,
        DIRECT,
        tuple(
            (kind, tuple(schema.items()), _CLASSES.get(kind)) for kind, schema in SCHEMAS.items()
        ),
    )
    compiled = _compiled.get(key, _UNCOMPILED)
    if compiled is _UNCOMPILED:  # (a local: another thread may clear the cache meanwhile)
        compiled = _compile(PROOFS)
        _compiled.clear()
        _compiled[key] = compiled
    return compiled  # type: ignore[return-value]


_UNCOMPILED = object()


#: The proofs run on the objects built since the last ``index & _BATCH == 0``: while
#: they are still in the processor's caches (a pass over a column of a million objects
#: spread over the heap costs more than checking each object as it is built).
_BATCH = 4095


def _settle(unchecked: dict[str, list[Any]], proofs: Mapping[str, Proof]) -> None:
    """Prove the objects built without their class's checks, a column at a time; run
    the checks of every object of a kind whose proof fails (raising what they find)."""
    for kind, prove in proofs.items():
        objects = unchecked[kind]
        if not objects:
            continue
        if not prove(objects):
            for obj in objects:  # raises what the proof could not rule out
                obj.__attrs_post_init__()
        objects.clear()


#: a key followed by whitespace before its colon (the key count would miss it)
_SPACED_COLON = re.compile(r'"[ \t\r\n]+:')


#: msgspec's error for a citation (a string where the model's annotation of an evidence
#: item's source takes a table): evidence is then built from structs, which take both
_CITATION = re.compile(r"Expected `object`, got `str` - at `\$\.evidence\[\d+\]\.source`")


def decode(text: str, *, included: bool = False) -> dict[str, Any] | None:
    """The top-level table of a clean JSON rubric, its arrays as :class:`Prebuilt`
    model objects; ``None`` for anything the standard path should see."""
    typed = _typed()
    if typed is None:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    # keys in the text: the ``":`` less the escaped quotes ``\\":`` inside strings
    # (an escaped backslash right before ``":`` would mislead that count, and so would
    # whitespace between a key and its colon)
    escaped = text.count('\\":') if "\\" in text else 0
    if (escaped and '\\\\":' in text) or _SPACED_COLON.search(text) is not None:
        return None
    keys = text.count('":') - escaped
    direct = typed.direct
    while direct:
        data = _decode(text, typed, direct, keys, included)
        if isinstance(data, dict):
            return data
        # a citation: evidence from structs (the rest as it was); anything else: all
        direct = direct - {"evidence"} if data is _CITED else frozenset()
    data = _decode(text, typed, frozenset(), keys, included)
    return data if isinstance(data, dict) else None


#: what :func:`_decode` returns when an evidence item's source is a citation
_CITED = "citation"


def _decode(
    text: str, typed: _Typed, direct: frozenset[str], keys: int, included: bool
) -> dict[str, Any] | str | None:
    """:func:`decode`, with the arrays of the ``direct`` kinds decoded straight into
    model objects (:mod:`.direct`) and the others built from structs; ``None`` (or
    :data:`_CITED`) when the file must take another path."""
    try:
        # msgspec refuses lone surrogates (escaped, or in a str given to loads)
        document = typed.decoders[direct].decode(text)
    except msgspec.ValidationError as exc:
        cited = "evidence" in direct and _CITATION.fullmatch(str(exc)) is not None
        return _CITED if cited else None
    except (msgspec.MsgspecError, ValueError, RecursionError, RubricError):
        return None
    builds, proofs = typed.builds, typed.proofs
    work = _Decoder(proofs)
    data: dict[str, Any] = {}
    allowed = set(included_keys())
    try:
        for key in TOP_LEVEL_KEYS:
            value = getattr(document, key)
            if value is msgspec.UNSET:
                continue
            work.keys += 1
            if included and key not in allowed:
                return None  # E104, in the order of the file: the standard path
            kind = _ARRAY_KINDS.get(key)
            if kind is None:
                data[key] = _raw_json(work, value)
                continue
            if kind in direct:
                counted = _settle_direct(kind, value, proofs)
                if counted is None:
                    return None
                work.keys += counted
                data[key] = Prebuilt(value)
                continue
            build = builds[kind]
            built = Prebuilt()
            keep = built.append
            for index, item in enumerate(value):
                made = build(work, item)
                if made is None:
                    return None
                keep(made)
                value[index] = None  # the struct is no longer needed
                if not index & _BATCH and proofs:
                    _settle(work.unchecked, proofs)
            data[key] = built
        _settle(work.unchecked, proofs)
    except (_Unusual, RubricError):
        return None
    if work.keys != keys:
        return None  # a duplicate key (or a count misled): the standard path decides
    return data


def _settle_direct(kind: str, objects: list[Any], proofs: Mapping[str, Proof]) -> int | None:
    """Prove the objects of ``kind`` msgspec decoded (and the tables nested in them);
    the keys they account for, or ``None``."""
    counted = direct_kinds.settle(kind, _CLASSES[kind], objects, proofs[kind])
    if counted is None:
        return None
    if "source" in _nested(kind):
        sources = direct_kinds.sources_of(objects)
        more = direct_kinds.settle("source", _CLASSES["source"], sources, proofs["source"])
        if more is None:
            return None
        counted += more
    return counted


def parse(
    text: str, syntax: str, name: str, included: bool = False
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """:func:`~.files.parse_text`, through :func:`decode` for JSON when enabled."""
    if syntax == "json" and ENABLED:
        data = decode(text, included=included)
        if data is not None:
            return data, []
    return parse_text(text, syntax, name)


Parse = Callable[[str, str, str, bool], tuple[dict[str, Any] | None, list[Problem]]]
