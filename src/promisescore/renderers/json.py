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
from operator import attrgetter
from typing import Any

import attrs

from ..model import Evidence
from ..scoring import AssessorRating, PromiseScore, Scorecard
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


def _same_float(value: float) -> bool:
    """Whether orjson writes the float ``value`` as ``json.dumps`` does: finite, and
    zero or with a ``repr`` without an exponent (orjson spells ``1e-05`` as
    ``0.00001``, ``1e+16`` as ``1e16`` and ``NaN`` as ``null``)."""
    return value == 0.0 or 1e-4 <= abs(value) < 1e16  # NaN fails both


def _odd(values: list[Any]) -> bool:
    """Whether a value of ``values`` (the numbers of one promise) is a float that
    orjson would write differently from ``json.dumps``.

    Nothing else can differ: for strings (any code point but a lone surrogate, which
    orjson refuses), ``None``, booleans, ints within 64 bits, dicts with string keys,
    lists and tuples orjson writes the bytes ``json.dumps(..., indent=2,
    ensure_ascii=False)`` writes, and it raises :class:`TypeError` for anything else
    (a bigger int, a non-string key, a float subclass, an unknown type), which sends
    the promise to the standard encoder (tests/test_render_json_fast.py)."""
    for value in values:
        if type(value) is float and not (value == 0.0 or 1e-4 <= abs(value) < 1e16):
            return True
    return False


def _ratings(ratings: tuple[AssessorRating, ...], extended: bool, numbers: list[Any]) -> list[Any]:
    """``_rating_dict`` of each rating (dates as date objects, which orjson writes as
    ISO dates); their values go to ``numbers``."""
    out: list[Any] = []
    for r in ratings:
        numbers.append(r.value)
        data = {
            "by": r.by,
            "date": r.date,
            "rating": r.rating,
            "value": r.value,
            "evidence": r.evidence,
            "note": r.note,
            "counted": r.counted,
        }
        if extended:
            data["name"] = r.by if r.name is None else r.name
            data["role"] = r.role
            data["effective"] = r.date if r.effective is None else r.effective
            if r.criterion is not None:
                data["criterion"] = r.criterion
        out.append(data)
    return out


def _assessor_numbers(value: Any, numbers: list[Any]) -> None:
    for item in value.values():
        if type(item) is dict:
            _assessor_numbers(item, numbers)
        else:
            numbers.append(item)


_VALUE = attrgetter("value")


def _promise_dict(promise: PromiseScore) -> dict[str, Any] | None:
    """``promise.to_dict()`` for orjson, built in one go from the objects (dates as
    date objects, tuples as they are), or ``None`` when one of its numbers would not
    render as ``json.dumps`` renders it (:func:`_odd`)."""
    trace = promise.trace
    if trace.v12:  # format 1.2: the standard path writes the 1.2 keys
        return None
    extended = trace.extended
    numbers: list[Any] = [promise.weight, promise.fulfillment, trace.standing_fulfillment]
    data: dict[str, Any] = {
        "id": promise.id,
        "title": promise.title,
        "category": promise.category,
        "weight": promise.weight,
        "kind": promise.kind,
        "rating": promise.rating,
        "fulfillment": promise.fulfillment,
        "rated": promise.rated,
        "overdue": promise.overdue,
        "late": promise.late,
        "deadline": promise.deadline,
        "authority": promise.authority,
        "latest_evidence": promise.latest_evidence,
        "text": promise.text,
        "made_by": promise.made_by,
        "made_on": promise.made_on,
    }
    if extended:
        data["status"] = promise.status
        data["stale"] = promise.stale
        assessors = promise.assessors
        _assessor_numbers(assessors, numbers)
        data["assessors"] = assessors
    criteria = []
    for c in trace.criteria:
        numbers.append(c.weight)
        numbers.append(c.value)
        criteria.append(
            {
                "id": c.id,
                "title": c.title,
                "weight": c.weight,
                "value": c.value,
                "rating": c.rating,
                "assessed": c.assessed,
                "rule": c.rule,
                "ratings": _ratings(c.ratings, extended, numbers),
            }
        )
    target: dict[str, Any] | None = None
    goal = trace.target
    if goal is not None:
        numbers += (goal.baseline, goal.target, goal.value)
        target = {
            "metric": goal.metric,
            "unit": goal.unit,
            "baseline": goal.baseline,
            "target": goal.target,
            "value": goal.value,
            "evidence": goal.evidence,
            "date": goal.date,
        }
    items = trace.evidence
    numbers.extend(map(_VALUE, items))
    evidence = [
        {
            "id": e.id,
            "date": e.date,
            "criterion": e.criterion,
            "summary": e.summary,
            "effect": e.effect,
            "value": e.value,
            "quote": e.quote,
            "source": {
                "title": (source := e.source).title,
                "url": source.url,
                "publisher": source.publisher,
                "date": source.date,
                "kind": source.kind,
            },
        }
        for e in items
    ]
    data["trace"] = details = {
        "rule": trace.rule,
        "ratings": _ratings(trace.ratings, extended, numbers),
        "criteria": criteria,
        "target": target,
        "evidence": evidence,
        "standing_rating": trace.standing_rating,
        "standing_fulfillment": trace.standing_fulfillment,
        "stable_since": trace.stable_since,
    }
    if extended:
        details["excluded"] = _ratings(trace.excluded, extended, numbers)
        details["newest"] = trace.newest
    if _odd(numbers):
        return None
    return data


#: ``[\n  [\n    `` and ``\n  ]\n]`` around promises nested two arrays deep
_NESTED_START, _NESTED_END = 10, 6
#: How many promises orjson writes in one call.
BATCH = 8


def _orjson_promises(batch: list[dict[str, Any]]) -> memoryview | None:
    """The promises of ``batch`` as the document has them (two levels deep, separated
    by ``,\n    ``), in UTF-8; ``None`` when orjson refuses one of them (a lone
    surrogate, an int beyond 64 bits, a non-string key)."""
    import orjson

    try:
        # nested two arrays deep, orjson indents the promises as the document has them
        # (no second pass to re-indent them); the two arrays' brackets are cut off
        text = orjson.dumps([batch], option=orjson.OPT_INDENT_2)
    except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
        return None
    return memoryview(text)[_NESTED_START:-_NESTED_END]


def _standard_promise(
    promise: PromiseScore, encode: Callable[[Any, int, list[str]], None]
) -> list[str]:
    """One promise as ``json.dumps`` writes it, two levels deep, in pieces."""
    out: list[str] = []
    data = promise.to_dict(trace=False)
    trace = trace_to_dict(attrs.evolve(promise.trace, evidence=()))
    trace["evidence"] = _evidence_list(promise.trace.evidence, 4)
    data["trace"] = trace
    encode(data, 2, out)
    return out


def _promise_pieces(
    selected: list[PromiseScore], encode: Callable[[Any, int, list[str]], None]
) -> Iterator[memoryview | list[str]]:
    """The text of the promises in ``selected``, in order: orjson's UTF-8 for up to
    ``BATCH`` promises at a time, or the standard encoder's pieces (``str``) for a
    promise orjson might write differently (:func:`_promise_dict`) or refuses (a batch
    it refuses is written promise by promise). The caller puts ``,\n    `` between
    two of them."""
    batch: list[dict[str, Any]] = []
    pending: list[PromiseScore] = []

    def flush() -> Iterator[memoryview | list[str]]:
        if not batch:
            return
        text = _orjson_promises(batch)
        if text is not None:
            yield text
        else:  # write them one by one, to find the promise orjson refuses
            for item, data in zip(pending, batch, strict=True):
                one = _orjson_promises([data])
                yield one if one is not None else _standard_promise(item, encode)
        batch.clear()
        pending.clear()

    for promise in selected:
        data = _promise_dict(promise)
        if data is None:
            yield from flush()
            yield _standard_promise(promise, encode)
            continue
        batch.append(data)
        pending.append(promise)
        if len(batch) >= BATCH:
            yield from flush()
    yield from flush()


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
    #: orjson's UTF-8 not yet in ``out``: decoded once per piece of the document (fewer
    #: and smaller copies than decoding each batch and joining the strings)
    raw: list[bytes | memoryview] = []
    size = 0
    separator = "{\n  "
    for key, value in data.items():
        out.append(f"{separator}{_key(key)}: ")
        separator = ",\n  "
        if key != "promises" or not selected:
            encode(value, 1, out)
            continue
        first = True
        for piece in _promise_pieces(selected, encode):
            if isinstance(piece, list):
                if raw:
                    out.append(b"".join(raw).decode("utf-8"))
                    raw.clear()
                out.append("[\n    " if first else ",\n    ")
                out += piece
                size += sum(map(len, piece))
            else:
                raw.append(b"[\n    " if first else b",\n    ")
                raw.append(piece)
                size += len(piece)
            first = False
            if size >= CHUNK:
                if raw:
                    out.append(b"".join(raw).decode("utf-8"))
                    raw.clear()
                yield "".join(out)
                out.clear()
                size = 0
        if raw:
            out.append(b"".join(raw).decode("utf-8"))
            raw.clear()
        out.append("\n  ]")
    out.append("\n}\n" if data else "{}\n")
    yield "".join(out)


def render(card: Scorecard, options: RenderOptions) -> str:
    return "".join(render_iter(card, options))
