"""JSON: the document of FORMAT.md §5 with the per-promise trace (docs/reference/json.md).

The text is exactly ``json.dumps(card.to_dict(), indent=2, ensure_ascii=False)`` plus a
newline, but made faster and in pieces: the standard library's encoder runs in pure
Python whenever ``indent`` is set, which made rendering most of the time of ``score
--format json`` on big rubrics. :func:`render_iter` yields the document one promise at
a time, so a million evidence items never sit in memory as dicts all at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # the C version, as json.dumps(ensure_ascii=False)
from typing import Any

import attrs

from ..model import Evidence
from ..scoring import Scorecard
from ..scoring.scorecard import trace_to_dict
from . import RenderOptions

INDENT = 2
#: About how many characters to gather before yielding a piece of the document.
CHUNK = 1 << 20


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, float):
        return encode_basestring(_float(key))
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def encoder(indent: int = INDENT) -> Callable[[Any, int, list[str]], None]:
    """``encode(value, depth, out)``: append ``json.dumps(value, indent=indent,
    ensure_ascii=False)`` (as if nested ``depth`` levels deep) to ``out`` in pieces."""
    pads: list[str] = ["\n" + " " * (indent * depth) for depth in range(32)]
    keys: dict[Any, str] = {}

    def pad(depth: int) -> str:
        while len(pads) <= depth:
            pads.append("\n" + " " * (indent * len(pads)))
        return pads[depth]

    def encode(value: Any, depth: int, out: list[str]) -> None:
        kind = type(value)
        if kind is str:
            out.append(encode_basestring(value))
        elif kind is _Raw:
            out.append(value)
        elif value is None:
            out.append("null")
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif kind is float:
            out.append(_float(value))
        elif kind is int:
            out.append(int.__repr__(value))
        elif isinstance(value, dict):
            if not value:
                out.append("{}")
                return
            inner = pad(depth + 1)
            separator = "{" + inner
            append = out.append
            for key, item in value.items():
                name = keys.get(key) if type(key) is str else None
                if name is None:
                    name = _key(key)
                    if type(key) is str:
                        keys[key] = name
                kind = type(item)
                if kind is str:
                    append(f"{separator}{name}: {encode_basestring(item)}")
                elif kind is _Raw:
                    append(f"{separator}{name}: {item}")
                elif item is None:
                    append(f"{separator}{name}: null")
                elif kind is float and item == item and item not in _INFINITIES:
                    append(f"{separator}{name}: {float.__repr__(item)}")
                elif item is True or item is False:
                    append(f"{separator}{name}: {'true' if item else 'false'}")
                else:
                    append(f"{separator}{name}: ")
                    encode(item, depth + 1, out)
                separator = "," + inner
            append(pad(depth) + "}")
        elif isinstance(value, list | tuple):
            if not value:
                out.append("[]")
                return
            inner = pad(depth + 1)
            separator = "[" + inner
            for item in value:
                if type(item) is str:
                    out.append(separator + encode_basestring(item))
                else:
                    out.append(separator)
                    encode(item, depth + 1, out)
                separator = "," + inner
            out.append(pad(depth) + "]")
        elif isinstance(value, str):
            out.append(encode_basestring(value))
        elif isinstance(value, float):
            out.append(_float(value))
        elif isinstance(value, int):
            out.append(int.__repr__(value))
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    return encode


_INFINITIES = (math.inf, -math.inf)


class _Raw(str):
    """Text already encoded as JSON, to be written as it is."""

    __slots__ = ()


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _number(value: float | None) -> str:
    return "null" if value is None else _float(value)


def _evidence_list(items: tuple[Evidence, ...], depth: int) -> _Raw:
    """The trace's ``evidence`` array, as :func:`~promisescore.scoring.scorecard.trace_to_dict`
    lays it out, written directly (this is most of the document on big rubrics)."""
    if not items:
        return _Raw("[]")
    p1 = "\n" + " " * (INDENT * (depth + 1))
    p2 = p1 + " " * INDENT
    p3 = p2 + " " * INDENT
    parts = []
    for e in items:
        s = e.source
        parts.append(
            f'{{{p2}"id": {encode_basestring(e.id)},{p2}"date": "{e.date.isoformat()}",'
            f'{p2}"criterion": {_text(e.criterion)},{p2}"summary": {encode_basestring(e.summary)},'
            f'{p2}"effect": {encode_basestring(e.effect)},{p2}"value": {_number(e.value)},'
            f'{p2}"quote": {_text(e.quote)},{p2}"source": {{{p3}"title": '
            f'{encode_basestring(s.title)},{p3}"url": {_text(s.url)},'
            f'{p3}"publisher": {_text(s.publisher)},'
            f'{p3}"date": {"null" if s.date is None else chr(34) + s.date.isoformat() + chr(34)},'
            f'{p3}"kind": {_text(s.kind)}{p2}}}{p1}}}'
        )
    return _Raw("[" + p1 + ("," + p1).join(parts) + "\n" + " " * (INDENT * depth) + "]")


def _plain(value: Any) -> bool:
    """Whether orjson writes ``value`` exactly as ``json.dumps`` would: only strings,
    ``None``, booleans, ints within 64 bits, finite floats whose ``repr`` has no
    exponent (orjson spells ``1e-05`` as ``0.00001`` and ``NaN`` as ``null``), and
    plain dicts with string keys, lists and tuples of those."""
    kind = type(value)
    if kind is dict:
        for key in value:
            if type(key) is not str:
                return False
        items: Any = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        items = (value,)
    for item in items:
        kind = type(item)
        if kind is str or item is None or kind is bool:
            continue
        if kind is float:
            if not (item == 0.0 or 1e-4 <= abs(item) < 1e16):  # NaN fails both
                return False
        elif kind is int:
            if not -(1 << 63) <= item < (1 << 63):
                return False
        elif kind is dict or kind is list or kind is tuple:
            if not _plain(item):
                return False
        else:
            return False
    return True


def _evidence_dicts(items: tuple[Evidence, ...]) -> list[dict[str, Any]] | None:
    """The trace's ``evidence`` array for orjson (dates as date objects, which it
    writes as ISO dates), or ``None`` when a value needs the standard encoder."""
    out = []
    for e in items:
        s = e.source
        value = e.value
        if value is not None and not (value == 0.0 or 1e-4 <= abs(value) < 1e16):
            return None
        out.append(
            {
                "id": e.id,
                "date": e.date,
                "criterion": e.criterion,
                "summary": e.summary,
                "effect": e.effect,
                "value": value,
                "quote": e.quote,
                "source": {
                    "title": s.title,
                    "url": s.url,
                    "publisher": s.publisher,
                    "date": s.date,
                    "kind": s.kind,
                },
            }
        )
    return out


def _promise_text(promise: Any, dumps: Callable[..., bytes], option: int) -> str | None:
    """One promise of the document as orjson writes it (byte-identical to the standard
    encoder's output, two levels deep), or ``None`` when :func:`_plain` says it might
    not be."""
    data = promise.to_dict(trace=False)
    trace = trace_to_dict(attrs.evolve(promise.trace, evidence=()))
    if not _plain(data) or not _plain(trace):
        return None
    evidence = _evidence_dicts(promise.trace.evidence)
    if evidence is None:
        return None
    trace["evidence"] = evidence
    data["trace"] = trace
    try:
        # nested two arrays deep, orjson indents the promise as the document has it
        # (no second pass to re-indent it); the two arrays' brackets are cut off
        text = dumps([[data]], option=option)
    except (TypeError, ValueError):  # a lone surrogate, a nesting too deep
        return None
    return str(memoryview(text)[_NESTED_START:-_NESTED_END], "utf-8")


#: ``[\n  [\n    `` and ``\n  ]\n]`` around a promise nested two arrays deep
_NESTED_START, _NESTED_END = 10, 6


def render_iter(card: Scorecard, options: RenderOptions) -> Iterator[str]:
    """The document in pieces of about ``CHUNK`` characters (the last ends in a newline)."""
    selected = [
        p for p in card.promises if not options.categories or p.category in options.categories
    ]
    data = attrs.evolve(card, promises=()).to_dict()
    if options.categories:
        data["categories"] = [c for c in data["categories"] if c["id"] in options.categories]
    data["warnings"] = [problem.to_dict() for problem in options.warnings]
    if options.history is not None:
        data["history"] = options.history.to_dict()
    encode = encoder()
    out: list[str] = []
    size = 0
    separator = "{\n  "
    for key, value in data.items():
        out.append(f"{separator}{_key(key)}: ")
        separator = ",\n  "
        if key != "promises" or not selected:
            encode(value, 1, out)
            continue
        item_separator = "[\n    "
        import orjson

        dumps, option = orjson.dumps, orjson.OPT_INDENT_2
        for promise in selected:
            start = len(out)
            out.append(item_separator)
            text = _promise_text(promise, dumps, option)
            if text is not None:
                out.append(text)
                item_separator = ",\n    "
                size += sum(map(len, out[start:]))
                if size >= CHUNK:
                    yield "".join(out)
                    out.clear()
                    size = 0
                continue
            data = promise.to_dict(trace=False)
            trace = trace_to_dict(attrs.evolve(promise.trace, evidence=()))
            trace["evidence"] = _evidence_list(promise.trace.evidence, 4)
            data["trace"] = trace
            encode(data, 2, out)
            item_separator = ",\n    "
            size += sum(map(len, out[start:]))
            if size >= CHUNK:
                yield "".join(out)
                out.clear()
                size = 0
        out.append("\n  ]")
    out.append("\n}\n" if data else "{}\n")
    yield "".join(out)


def render(card: Scorecard, options: RenderOptions) -> str:
    return "".join(render_iter(card, options))
