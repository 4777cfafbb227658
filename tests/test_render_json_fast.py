"""The fast JSON renderer writes exactly what ``json.dumps(indent=2)`` would."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.renderers import RenderOptions, render_iter
from promisescore.renderers import render as render_any
from promisescore.renderers.json import encoder, render
from promisescore.scoring import Trace, score

from .strategies import dates, rubrics
from .strategies_format11 import rubrics_11
from .strategies_fuzz import SEEDS

RUBRICS = sorted((Path(__file__).resolve().parents[1] / "rubrics").glob("*.toml"))


def _expected(card: promisescore.Scorecard, categories: tuple[str, ...] = ()) -> str:
    data = card.to_dict()
    if categories:
        data["categories"] = [c for c in data["categories"] if c["id"] in categories]
        data["promises"] = [p for p in data["promises"] if p["category"] in categories]
    data["warnings"] = []  # RenderOptions() carries no warnings
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", RUBRICS, ids=[p.name for p in RUBRICS])
def test_bundled_rubrics_render_as_json_dumps_would(path: Path) -> None:
    rubric = promisescore.load(path)
    dates = sorted(set(rubric.dates()))
    for as_of in (dates[0], dates[len(dates) // 2], None):
        for assessor in (None, *rubric.assessors):
            card = score(rubric, as_of, assessor)
            assert render(card, RenderOptions()) == _expected(card)
    card = score(rubric)
    some = tuple(c.id for c in card.categories[:2])
    assert render(card, RenderOptions(categories=some)) == _expected(card, some)
    assert render(card, RenderOptions(categories=("no-such",))) == _expected(card, ("no-such",))


def test_pieces_join_to_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import promisescore.renderers.json as module

    monkeypatch.setattr(module, "CHUNK", 100)  # many small pieces
    for syntax, text in SEEDS:
        card = score(promisescore.loads(text, syntax))
        pieces = list(render_iter(card, "json", RenderOptions()))
        assert len(pieces) > 1
        assert "".join(pieces) == _expected(card)
    summary = list(render_iter(card, "summary", RenderOptions()))
    assert summary == [render_any(card, "summary", RenderOptions())]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.text(max_size=4) | st.integers() | st.booleans() | st.none(), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_json, st.integers(0, 3))
def test_encoder_matches_json_dumps(value: Any, depth: int) -> None:
    out: list[str] = []
    encoder()(value, depth, out)
    expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)
    assert "".join(out) == expected


def _floats(value: Any) -> list[float]:
    """Every float in ``value``, keys included."""
    if type(value) is float:
        return [value]
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in (*_floats(k), *_floats(v))]
    if isinstance(value, list | tuple):
        return [f for item in value for f in _floats(item)]
    return []


_edgy_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**64), 2**64)
    | st.floats()
    | st.sampled_from([1e-4, 9.9e-5, 1e-5, 1e15, 9.99e15, 1e16, 2.0**63, -0.0, 5e-324])
    | st.text(max_size=8)
    | st.sampled_from(["\ud800", "a\udfffb", "\u2028\u2029", "\x7f\x00\x1f", "→ «é» 😀"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.text(max_size=4) | st.integers() | st.booleans() | st.none() | st.floats(),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(_edgy_json)
def test_orjson_differs_from_json_dumps_only_in_floats_or_by_refusing(value: Any) -> None:
    """What the renderer relies on: where orjson writes a value at all and
    ``_same_float`` holds for each of its floats, the bytes are ``json.dumps``'s (the
    renderer checks its floats with ``_odd`` and falls back when orjson raises)."""
    import orjson

    from promisescore.renderers.json import _odd, _same_float

    floats = _floats(value)
    assert _odd(floats) == (not all(_same_float(f) for f in floats))
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:
        return
    if all(_same_float(f) for f in floats):
        assert text.decode() == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), -float("inf"), 1e-05, -1e-05, 9.99e-5, 1e16, -1e16, 1e300],
)
def test_floats_orjson_would_write_differently_are_odd(value: float) -> None:
    import orjson

    from promisescore.renderers.json import _odd, _same_float

    assert not _same_float(value)
    assert _odd([None, "x", 1, value])
    # orjson writes these as json.dumps does in some versions and not in others (3.8
    # writes 1e16 for 1e+16; later versions match): ``_odd`` is on the safe side for
    # every version. A NaN or an infinity it always writes as null.
    if math.isnan(value) or math.isinf(value):
        assert orjson.dumps(value).decode() != json.dumps(value)


@pytest.mark.parametrize(
    "value", [0.0, -0.0, 1e-4, -1e-4, 0.5, 9.9e15, 123456789.125, 2**63 - 1, 2**64 - 1, True]
)
def test_values_orjson_writes_as_json_dumps_are_not_odd(value: Any) -> None:
    import orjson

    from promisescore.renderers.json import _odd

    assert not _odd([value, None, "s"])
    assert orjson.dumps(value).decode() == json.dumps(value)


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, {1: "a"}, {None: 1}, "\ud800", "x".join])
def test_orjson_refuses_what_it_would_write_differently(value: Any) -> None:
    """Everything else orjson cannot write as ``json.dumps`` does, it refuses (the
    renderer then takes the standard encoder)."""
    import orjson

    with pytest.raises(TypeError):
        orjson.dumps(value)


def _iso(value: Any) -> Any:
    """``value`` with dates as ISO strings and tuples as lists, as ``to_dict`` has them."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    return value


@settings(max_examples=150, deadline=None, derandomize=True)
@given(rubrics() | rubrics_11(), st.none() | dates)
def test_promise_dicts_are_to_dict(rubric: Any, as_of: Any) -> None:
    """``_promise_dict`` builds what ``PromiseScore.to_dict`` builds, keys in order."""
    from promisescore.renderers.json import _promise_dict, _same_float

    card = score(rubric, as_of)
    for item in card.promises:
        built = _promise_dict(item)
        expected = item.to_dict()
        if built is None:  # only for a float orjson would write differently
            assert not all(_same_float(f) for f in _floats(expected))
            continue
        assert all(_same_float(f) for f in _floats(expected))
        assert _iso(built) == expected
        assert json.dumps(_iso(built)) == json.dumps(expected)  # key order, types


@settings(max_examples=150, deadline=None, derandomize=True)
@given(rubrics() | rubrics_11(), st.none() | dates, st.data())
def test_random_scorecards_render_as_json_dumps_would(rubric: Any, as_of: Any, data: Any) -> None:
    import promisescore.renderers.json as module

    card = score(rubric, as_of)
    ids = [c.id for c in card.categories]
    some = tuple(data.draw(st.lists(st.sampled_from(ids), unique=True))) if ids else ()
    batch = data.draw(st.sampled_from([1, 2, 3, module.BATCH]))
    original = module.BATCH
    module.BATCH = batch
    try:
        assert render(card, RenderOptions()) == _expected(card)
        assert render(card, RenderOptions(categories=some)) == _expected(card, some)
    finally:
        module.BATCH = original


def _odd_card(values: dict[str, Any]) -> promisescore.Scorecard:
    """The seed rubric's scorecard with some promises' numbers or strings replaced."""
    from .strategies_fuzz import SEED_TOML

    card = score(promisescore.loads(SEED_TOML, "toml"))
    promises = list(card.promises)
    for index, (name, value) in enumerate(values.items()):
        item = promises[index % len(promises)]
        if name in ("weight", "title"):
            item = attrs.evolve(item, **{name: value})
        elif name == "rule":
            item = attrs.evolve(item, trace=attrs.evolve(item.trace, rule=value))
        elif name == "evidence_value" and item.trace.evidence:
            evidence = attrs.evolve(item.trace.evidence[0], value=value)
            trace = attrs.evolve(item.trace, evidence=(evidence, *item.trace.evidence[1:]))
            item = attrs.evolve(item, trace=trace)
        elif name == "standing":
            item = attrs.evolve(item, trace=attrs.evolve(item.trace, standing_fulfillment=value))
        promises[index % len(promises)] = item
    return attrs.evolve(card, promises=tuple(promises))


@pytest.mark.parametrize(
    "values",
    [
        {"weight": float("nan")},
        {"weight": 1e-5},
        {"weight": 1e16},
        {"weight": 2**63},  # an int orjson writes as json.dumps does
        {"weight": 2**64},  # an int orjson refuses
        {"standing": 1e-7},
        {"evidence_value": 1e20},
        {"title": "lone \ud800 surrogate"},  # orjson refuses the batch
        {"rule": "→ «non-ASCII» 😀 \u2028 \x00"},
        {"title": "a\udfff", "weight": 1e-5, "rule": "plain"},
    ],
    ids=lambda v: ",".join(v),
)
@pytest.mark.parametrize("batch", [1, 2, 8])
def test_promises_orjson_would_write_differently_render_as_json_dumps_would(
    values: dict[str, Any], batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import promisescore.renderers.json as module

    monkeypatch.setattr(module, "BATCH", batch)
    card = _odd_card(values)
    assert render(card, RenderOptions()) == _expected(card)
    monkeypatch.setattr(module, "CHUNK", 50)
    assert "".join(render_iter(card, "json", RenderOptions())) == _expected(card)


def test_empty_traces_and_unrated_promises_render_as_json_dumps_would() -> None:
    from .strategies_fuzz import SEED_TOML

    card = score(promisescore.loads(SEED_TOML, "toml"))
    bare = tuple(
        attrs.evolve(p, trace=Trace(kind=p.kind, rule="none"), rating=None, fulfillment=None)
        for p in card.promises
    )
    card = attrs.evolve(card, promises=bare)
    assert render(card, RenderOptions()) == _expected(card)
    empty = attrs.evolve(card, promises=())
    assert render(empty, RenderOptions()) == _expected(empty)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("value = 50", "value = 1e-05"),  # the evidence list leaves orjson
        ("weight = 1.5", "weight = 1e20"),  # the promise leaves orjson
        ('note = "slow"', 'note = "\\u2028 \\u0007 \\"quoted\\""'),
        ("baseline = 0", "baseline = 0.00001"),
    ],
)
def test_promises_outside_orjson_render_as_json_dumps_would(old: str, new: str) -> None:
    from .strategies_fuzz import SEED_TOML

    text = SEED_TOML.replace(old, new, 1)
    assert new in text
    card = score(promisescore.loads(text, "toml"))
    assert render(card, RenderOptions()) == _expected(card)
