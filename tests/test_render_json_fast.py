"""The fast JSON renderer writes exactly what ``json.dumps(indent=2)`` would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.renderers import RenderOptions, render_iter
from promisescore.renderers import render as render_any
from promisescore.renderers.json import encoder, render
from promisescore.scoring import score

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


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_json)
def test_orjson_writes_what_json_dumps_writes_for_plain_values(value: Any) -> None:
    """Where ``_plain`` lets orjson write a value, its bytes are ``json.dumps``'s."""
    import orjson

    from promisescore.renderers.json import _plain

    if _plain(value):
        expected = json.dumps(value, indent=2, ensure_ascii=False)
        assert orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() == expected


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        1e-05,
        -1e-05,
        1e16,
        2**63,
        -(2**63) - 1,
        {1: "a"},
        {"a": [1, {"b": float("nan")}]},
        "x".join,
    ],
)
def test_values_orjson_would_write_differently_are_not_plain(value: Any) -> None:
    from promisescore.renderers.json import _plain

    assert not _plain(value)
    assert _plain([0.0, -0.0, 1e-4, 9.9e15, 2**63 - 1, "\ud800", {"a": (None, True)}])


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
