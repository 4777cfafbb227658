"""Evidence and assessments decoded by msgspec straight into model objects
(``promisescore.loading.direct``): taken for clean files, refused (so that the struct
path or the standard path decides) whenever the objects alone could hide something,
and always giving the standard path's rubric and problems."""

from __future__ import annotations

import importlib
import json
import sys
import threading
from types import FrameType
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.errors import RubricError
from promisescore.model import Assessment, Evidence, Promise, Source

from .strategies_fuzz import SEED_JSON

typed = importlib.import_module("promisescore.loading.typed")
direct = importlib.import_module("promisescore.loading.direct")
model = importlib.import_module("promisescore.model.parts")


def _inline(text: str) -> str:
    """The seed with every evidence item's source an inline table (no citations)."""
    document = json.loads(text)
    for item in document["evidence"]:
        if isinstance(item["source"], str):
            item["source"] = {"title": item["source"]}
    return json.dumps(document)


SEED_INLINE = _inline(SEED_JSON)


def _keys(text: str) -> int:
    return text.count('":') - text.count('\\":')


def _direct(text: str) -> Any:
    """What the direct decoding alone makes of ``text`` (``None``: refused;
    ``typed._CITED``: a citation among the evidence)."""
    compiled = typed._typed()
    return typed._decode(text, compiled, compiled.direct, _keys(text), False)


def _everywhere(text: str) -> promisescore.CheckResult:
    """``check_text`` with the direct decoding, without it and on the standard path:
    the same problems, and rubrics equal down to the types of their values."""
    on = promisescore.check_text(text, "json", name="r.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "DIRECT", False)
        off = promisescore.check_text(text, "json", name="r.json")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        standard = promisescore.check_text(text, "json", name="r.json")
    assert on.problems == off.problems == standard.problems
    assert repr(on.rubric) == repr(off.rubric) == repr(standard.rubric)
    assert on.rubric == standard.rubric
    return on


def test_the_bulk_kinds_are_decoded_directly() -> None:
    assert typed._typed().direct == {"evidence", "assessment"}
    classes = typed._CLASSES
    assert direct.faithful("evidence", Evidence, classes)
    assert direct.faithful("assessment", Assessment, classes)
    assert direct.faithful("source", Source, classes)
    assert not direct.faithful("promise", Promise, classes)  # deadlines, nested tables


def test_a_field_msgspec_would_not_decode_as_the_loader_does_is_refused() -> None:
    @attrs.frozen
    class Flagged(Source):
        flag: bool = attrs.field(default=False, kw_only=True, metadata=model.field_facts("bool"))

    @attrs.frozen
    class Counted(Source):
        count: float = attrs.field(default=0.0, kw_only=True, metadata=model.field_facts("number"))

    assert not direct.faithful("source", Flagged, typed._CLASSES)
    assert not direct.faithful("source", Counted, typed._CLASSES)  # a default number


def test_a_clean_file_takes_the_direct_path() -> None:
    data = _direct(SEED_INLINE)
    assert data is not None
    assert all(type(item) is Evidence for item in data["evidence"])
    assert all(type(item.source) is Source for item in data["evidence"])
    assert all(type(item) is Assessment for item in data["assessments"])
    assert _everywhere(SEED_INLINE).ok


def test_citations_leave_evidence_to_the_structs() -> None:
    """A citation string is not what the model's ``source`` annotation decodes: with one
    in the evidence, evidence is built from structs and assessments still directly."""
    assert _direct(SEED_JSON) is typed._CITED
    compiled = typed._typed()
    partial = typed._decode(SEED_JSON, compiled, frozenset({"assessment"}), _keys(SEED_JSON), False)
    assert isinstance(partial, dict)
    assert type(partial["assessments"][0]) is Assessment
    _everywhere(SEED_JSON)


def test_a_promise_citing_its_source_leaves_evidence_direct() -> None:
    text = _edit(("promises", 0, "source"), "A speech")
    assert '"source": "A speech"' in text
    assert isinstance(_direct(text), dict)
    _everywhere(text)


def _edit(path: tuple[Any, ...], value: Any) -> str:
    document = json.loads(SEED_INLINE)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    "text",
    [
        # a null, an empty meta: a key left unaccounted for
        _edit(("evidence", 0, "quote"), None),
        _edit(("evidence", 0, "source", "kind"), None),
        _edit(("evidence", 0, "meta"), {}),
        # what msgspec would drop or keep silently
        _edit(("evidence", 0, "tone"), "dry"),
        _edit(("evidence", 0, "source", "tone"), "dry"),
        SEED_INLINE.replace('"summary": "Signed"', '"summary": "Signed", "summary": "Again"'),
        _edit(("assessments", 0, "meta"), {"a": 1}),
        _edit(("evidence", 0, "source", "meta"), {"a": {"b": 1}}),
        # numbers msgspec converts (2**53 + 1 is not a float exactly)
        _edit(("evidence", 0, "value"), 2**53 + 1),
        _edit(("assessments", 0, "value"), -(2**60)),
        # what the checks refuse: located by the standard path
        _edit(("evidence", 0, "id"), "E 1"),
        _edit(("evidence", 0, "effect"), "bogus"),
        _edit(("evidence", 0, "date"), "2021-02-30"),
        _edit(("evidence", 0, "summary"), " "),
        _edit(("assessments", 0, "effective"), "2030-01-01"),
        _edit(("evidence", 0, "source"), {"url": "https://example.org"}),
    ],
)
def test_anything_the_objects_could_hide_is_refused(text: str) -> None:
    assert _direct(text) is None
    _everywhere(text)


@pytest.mark.parametrize(
    "text",
    [
        _edit(("evidence", 1, "effect"), "advances"),
        _edit(("evidence", 1, "effect"), "neutral"),
        _edit(("assessments", 0, "by"), "default"),
        _edit(("assessments", 0, "evidence"), []),
    ],
)
def test_defaults_written_out_are_counted(text: str) -> None:
    """The seed writes ``"effect": "advances"`` out: a default given is a key like any
    other, and one left out gets the class's own default (the same object)."""
    data = _direct(text)
    assert data is not None
    for item in data["assessments"]:
        assert item.evidence == () or item.evidence
        assert item.meta is model.EMPTY_META
    assert data["evidence"][0].effect == "advances"
    assert data["evidence"][0].source.meta is model.EMPTY_META
    assert direct.ABSENT not in [
        getattr(e, f.name) for e in data["evidence"] for f in attrs.fields(Evidence)
    ]
    _everywhere(text)


def test_values_msgspec_converts_as_the_model_does() -> None:
    text = _edit(("evidence", 0, "value"), 3)
    data = _direct(text)
    assert data is not None
    assert type(data["evidence"][0].value) is float
    assert data["evidence"][0].value == 3.0
    _everywhere(text)


_FIELDS = st.sampled_from(
    ["id", "promise", "date", "summary", "effect", "value", "quote", "criterion", "rating",
     "by", "evidence", "note", "effective", "title", "kind", "url", "publisher", "meta", "x"]
)  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(
        [
            "p1",
            "e1",
            "P1",
            "",
            " ",
            "kept",
            "advances",
            "neutral",
            "record",
            "claim",
            "2021-01-01",
            "2030-01-01",
            "2021-02-30",
            "default",
            None,
            0,
            1,
            0.5,
            2,
            -1.5,
            2**53,
            2**53 + 1,
            1e300,
            True,
            [],
            ["e1"],
            ["E 1"],
            {},
            {"a": 1},
        ]
    ),
    st.text(max_size=4),
)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_rubrics_load_the_same_with_and_without_the_direct_decoding(
    data: st.DataObject,
) -> None:
    """Values (good, bad and borderline) set on the evidence, assessments and sources of
    a rubric whose sources are all inline: the same rubric (down to the type of each
    value) and the same located problems directly, from structs and on the standard
    path."""
    document = json.loads(SEED_INLINE)
    for _ in range(data.draw(st.integers(0, 3))):
        array = data.draw(st.sampled_from(["evidence", "assessments"]))
        item = data.draw(st.sampled_from(document[array]))
        if data.draw(st.booleans()) and isinstance(item.get("source"), dict):
            item = item["source"]
        item[data.draw(_FIELDS)] = data.draw(_VALUES)
    _everywhere(json.dumps(document, separators=data.draw(st.sampled_from([None, (",", ":")]))))


# ----------------------------------------------------- the classes' checks, left out


def test_no_object_runs_its_checks_while_decoded() -> None:
    compiled = typed._typed()
    codes = {cls.__attrs_post_init__.__code__ for cls in (Evidence, Assessment, Source)}
    calls: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in codes:
            calls.append(frame.f_code.co_qualname)

    sys.setprofile(profile)
    try:
        document = compiled.decoders[compiled.direct].decode(SEED_INLINE)
    finally:
        sys.setprofile(None)
    assert document.evidence
    assert document.assessments
    assert calls == []


def test_msgspec_elsewhere_still_runs_the_checks() -> None:
    """Leaving the checks out is for the loader's decoder only: the classes keep their
    ``__attrs_post_init__``, and msgspec decoding them elsewhere runs it."""
    typed._compiled.clear()
    assert typed._typed() is not None
    for cls in (Evidence, Assessment, Source):
        assert callable(cls.__dict__["__attrs_post_init__"])
        assert "__msgspec_cache__" not in cls.__dict__
    bad = b'[{"id": "E 1", "promise": "p1", "date": "2021-01-01", "summary": "s", "source": {"title": "t"}}]'
    with pytest.raises(msgspec.ValidationError, match="E201"):
        msgspec.json.decode(bad, type=list[Evidence])
    with pytest.raises(RubricError):
        Evidence("E 1", "p1", promisescore.model.parts.Date(2021, 1, 1), "s", Source("t"))


def test_the_checks_are_hidden_from_one_thread_only() -> None:
    """While the decoder is made, msgspec (in this thread) finds no checks; an object
    built meanwhile in another thread still runs them."""
    seen: list[BaseException | None] = []
    defaults: list[Any] = []

    def build() -> None:
        defaults.append(attrs.fields(Evidence).effect.default)
        try:
            Evidence("E 1", "p1", promisescore.model.parts.Date(2021, 1, 1), "s", Source("t"))
        except RubricError as exc:
            seen.append(exc)
        else:
            seen.append(None)

    with direct._as_msgspec_should_see([Evidence]):
        assert getattr(Evidence, "__attrs_post_init__", None) is None
        effect = next(f for f in Evidence.__attrs_attrs__ if f.name == "effect")
        assert effect.default is direct.ABSENT
        other = threading.Thread(target=build)
        other.start()
        other.join()
    assert isinstance(seen[0], RubricError)
    assert defaults == ["advances"]
    assert attrs.fields(Evidence).effect.default == "advances"
    assert callable(Evidence.__dict__["__attrs_post_init__"])


_IDS = st.sampled_from(["e1", "e2", "e3", "e.4", "e_5"])
_OPTIONAL_EVIDENCE: dict[str, st.SearchStrategy[Any]] = {
    "criterion": st.sampled_from(["x", "y"]),
    "quote": st.text(max_size=6),
    "effect": st.sampled_from(["advances", "regresses", "neutral"]),
    "value": st.one_of(st.integers(-100, 100), st.floats(-1e6, 1e6, allow_nan=False)),
}
_OPTIONAL_SOURCE: dict[str, st.SearchStrategy[Any]] = {
    "url": st.sampled_from(["https://example.org", "http://a.b/c"]),
    "publisher": st.text(min_size=1, max_size=5),
    "date": st.sampled_from(["2021-01-01", "2020-02-29"]),
    "kind": st.sampled_from(["record", "report", "claim", "advocacy"]),
}
_OPTIONAL_ASSESSMENT: dict[str, st.SearchStrategy[Any]] = {
    "rating": st.sampled_from(["kept", "partial", "broken"]),
    "criterion": st.sampled_from(["x"]),
    "by": st.sampled_from(["alice", "bob", "default"]),
    "evidence": st.lists(_IDS, max_size=2),
    "note": st.text(max_size=5),
    "effective": st.sampled_from(["2021-01-01", "2021-03-01"]),
}


@st.composite
def _table(draw: st.DrawFn, required: dict[str, Any], optional: dict[str, Any]) -> dict[str, Any]:
    table = dict(required)
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        table[key] = draw(optional[key])
    return table


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """The seed's rubric with new evidence and assessments, mostly valid: optional keys
    given or not (defaults written out too), numbers as ints and floats, texts with
    quotes, colons and non-ASCII letters."""
    document = json.loads(SEED_INLINE)
    promises = [p["id"] for p in document["promises"]]
    evidence = []
    for number in range(draw(st.integers(1, 6))):
        item = draw(
            _table(
                {
                    "id": f"n{number}",
                    "promise": draw(st.sampled_from(promises)),
                    "date": draw(st.sampled_from(["2021-03-01", "2022-12-31"])),
                    "summary": draw(st.text(min_size=1, max_size=8).filter(str.strip)),
                    "source": draw(
                        _table(
                            {"title": draw(st.sampled_from(["T", 'a "q": b']))}, _OPTIONAL_SOURCE
                        )
                    ),
                },
                _OPTIONAL_EVIDENCE,
            )
        )
        evidence.append(item)
    assessments = [
        draw(
            _table(
                {"promise": draw(st.sampled_from(promises)), "date": "2021-06-01"},
                _OPTIONAL_ASSESSMENT,
            )
        )
        for _ in range(draw(st.integers(1, 6)))
    ]
    document["evidence"] += evidence
    document["assessments"] += assessments
    separators = draw(st.sampled_from([None, (",", ":")]))
    return json.dumps(document, separators=separators, ensure_ascii=draw(st.booleans()))


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=_documents())
def test_mostly_valid_rubrics_load_the_same_directly(text: str) -> None:
    """Many rubrics the direct decoding takes (and some it refuses: a criterion the
    promise does not have, a value out of range): always the standard path's rubric and
    problems."""
    _everywhere(text)


def test_no_other_thread_sees_the_decoders_view_of_the_classes() -> None:
    """While the loader makes its decoders, another thread decoding the model classes
    with msgspec never gets unchecked objects (msgspec caches what it reads of a class
    on the class, for every thread: no other thread runs while that cache is there)."""
    switch = sys.getswitchinterval()
    stop = threading.Event()
    leaked: list[Any] = []
    decoded = [0]

    def compile_again() -> None:
        while not stop.is_set():
            typed._compiled.clear()
            typed._typed()

    def decode_elsewhere() -> None:
        while not stop.is_set():
            try:
                leaked.append(
                    msgspec.json.decode(
                        b'[{"promise": "BAD ID", "date": "2021-01-01"}]', type=list[Assessment]
                    )
                )
            except msgspec.ValidationError:
                decoded[0] += 1

    sys.setswitchinterval(1e-6)
    threads = [threading.Thread(target=compile_again), threading.Thread(target=decode_elsewhere)]
    try:
        for thread in threads:
            thread.start()
        stop.wait(1.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        sys.setswitchinterval(switch)
    assert leaked == []
    assert decoded[0] > 100
    assert sys.getswitchinterval() == switch
