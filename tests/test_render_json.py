"""The one JSON writer: orjson from ``to_dict()``, streamed a promise at a time.

The layout is ``json.dumps(card.to_dict(), indent=2, ensure_ascii=False)``'s; the
numbers are orjson's spelling (docs/reference/json.md, "Numbers"), which differs from
``json.dumps`` only in the exponent form of very small and very large magnitudes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.renderers import RenderOptions, render_iter
from promisescore.renderers.json import render
from promisescore.scoring import Trace, score

from .strategies import dates, rubrics
from .strategies_format11 import rubrics_11
from .strategies_fuzz import SEED_TOML, SEEDS

RUBRICS = sorted((Path(__file__).resolve().parents[1] / "rubrics").glob("*.toml"))


def _data(card: promisescore.Scorecard, categories: tuple[str, ...] = ()) -> dict[str, Any]:
    data = card.to_dict()
    if categories:
        data["categories"] = [c for c in data["categories"] if c["id"] in categories]
        data["promises"] = [p for p in data["promises"] if p["category"] in categories]
    data["warnings"] = []  # RenderOptions() carries no warnings
    return data


def _floats(value: Any) -> list[float]:
    if type(value) is float:
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list | tuple):
        return [f for item in value for f in _floats(item)]
    return []


def _plain(value: float) -> bool:
    """A float both writers spell alike (no exponent in either)."""
    return value == 0 or 1e-4 <= abs(value) < 1e16


def _check(text: str, card: promisescore.Scorecard, categories: tuple[str, ...] = ()) -> None:
    """``text`` holds the document's values; byte for byte ``json.dumps``'s text when
    every number is spelt alike by both."""
    data = _data(card, categories)
    assert text.endswith("}\n")
    assert json.loads(text) == json.loads(json.dumps(data))
    if all(map(_plain, _floats(data))):
        assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", RUBRICS, ids=[p.name for p in RUBRICS])
def test_bundled_rubrics_render_as_json_dumps_would(path: Path) -> None:
    rubric = promisescore.load(path)
    every = sorted(set(rubric.dates()))
    for as_of in (every[0], every[len(every) // 2], None):
        for assessor in (None, *rubric.assessors):
            card = score(rubric, as_of, assessor)
            assert render(card, RenderOptions()) == (
                json.dumps(_data(card), indent=2, ensure_ascii=False) + "\n"
            )
    card = score(rubric)
    some = tuple(c.id for c in card.categories[:2])
    _check(render(card, RenderOptions(categories=some)), card, some)
    _check(render(card, RenderOptions(categories=("no-such",))), card, ("no-such",))


def test_pieces_join_to_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import promisescore.renderers.json as module

    monkeypatch.setattr(module, "CHUNK", 100)  # many small pieces
    for syntax, text in SEEDS:
        card = score(promisescore.loads(text, syntax))
        pieces = list(render_iter(card, "json", RenderOptions()))
        assert len(pieces) > 1
        assert "".join(pieces) == render(card, RenderOptions())
        _check("".join(pieces), card)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(rubrics() | rubrics_11(), st.none() | dates, st.data())
def test_random_scorecards_hold_their_to_dict(rubric: Any, as_of: Any, data: Any) -> None:
    card = score(rubric, as_of)
    ids = [c.id for c in card.categories]
    some = tuple(data.draw(st.lists(st.sampled_from(ids), unique=True))) if ids else ()
    _check(render(card, RenderOptions()), card)
    _check(render(card, RenderOptions(categories=some)), card, some)


@pytest.mark.parametrize(
    ("old", "new", "spelt"),
    [
        ("value = 50", "value = 1e-05", ("1e-5", "0.00001")),
        ("weight = 1.5", "weight = 1e20", ("1e20",)),
        ("baseline = 0", "baseline = 0.00001", ("1e-5", "0.00001")),
    ],
)
def test_numbers_are_spelt_as_orjson_spells_them(
    old: str, new: str, spelt: tuple[str, ...]
) -> None:
    """The format's number spelling: the same value, in orjson's words."""
    text = SEED_TOML.replace(old, new, 1)
    assert new in text
    card = score(promisescore.loads(text, "toml"))
    document = render(card, RenderOptions())
    _check(document, card)
    assert any(f": {form}" in document for form in spelt)
    assert ": 1e-05" not in document
    assert ": 1e+20" not in document


def test_strings_are_written_as_they_are() -> None:
    text = SEED_TOML.replace('note = "slow"', 'note = "\\u2028 \\u0007 \\"quoted\\" é"', 1)
    card = score(promisescore.loads(text, "toml"))
    document = render(card, RenderOptions())
    _check(document, card)
    assert '"\u2028 \\u0007 \\"quoted\\" é"' in document


def test_empty_traces_unrated_promises_and_no_promises() -> None:
    card = score(promisescore.loads(SEED_TOML, "toml"))
    bare = tuple(
        attrs.evolve(p, trace=Trace(kind=p.kind, rule="none"), rating=None, fulfillment=None)
        for p in card.promises
    )
    card = attrs.evolve(card, promises=bare)
    _check(render(card, RenderOptions()), card)
    empty = attrs.evolve(card, promises=())
    document = render(empty, RenderOptions())
    _check(document, empty)
    assert '"promises": []' in document
    assert not math.isnan(json.loads(document)["overall"]["coverage"] or 0.0)
