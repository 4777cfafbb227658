"""Column-wise proofs (``promisescore.loading.proofs``) standing in for the model's
per-object checks in the typed decoding of JSON: a proof that holds means no object's
``__attrs_post_init__`` would raise; rubrics load to the same model and the same
problems (codes, messages, file:line) with and without the proofs."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.errors import RubricError
from promisescore.model import Assessment, Evidence, Source

from .strategies_fuzz import SEED_JSON

typed = importlib.import_module("promisescore.loading.typed")
proofs = importlib.import_module("promisescore.loading.proofs")
model = importlib.import_module("promisescore.model.parts")

CLASSES: dict[str, type] = {"source": Source, "evidence": Evidence, "assessment": Assessment}


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_the_proofs_were_written_against_the_classes_checks(kind: str) -> None:
    """When this fails, a class's ``__attrs_post_init__`` changed: read it, make sure
    ``proofs.EXTRA[kind]`` proves every check it makes that its field table does not
    state, then update the digest there."""
    assert proofs.digest(CLASSES[kind]) == proofs.EXTRA[kind][2]
    assert proofs.proof(kind, CLASSES[kind]) is not None


def test_no_proof_for_other_kinds_or_changed_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert proofs.proof("promise", model.Promise) is None

    def stricter(self: Any) -> None:
        raise RubricError([])

    monkeypatch.setattr(Evidence, "__attrs_post_init__", stricter)
    assert proofs.proof("evidence", Evidence) is None


def test_no_proof_for_a_fact_it_does_not_know() -> None:
    @attrs.frozen
    class Flagged(Source):
        flag: bool = attrs.field(default=False, kw_only=True, metadata=model.field_facts("bool"))

    assert proofs.digest(Flagged) == proofs.digest(Source)  # the same checks ...
    assert proofs.proof("source", Flagged) is None  # ... but a field no proof covers


# ------------------------------------------------------------- soundness, object by object

_ID_LIKE = st.one_of(
    st.sampled_from(["p1", "e.1", "a_b-c", "", "P1", "-x", "a\nb", "a b", "é", "x\n", "1"]),
    st.text(alphabet="az09._-\n A", max_size=5),
)
_TEXT = st.one_of(
    st.sampled_from(["text", "", " ", "\t\n", "\u2003", "\u00a0", "a ", "\x1f", "\x85"]),
    st.text(max_size=4),
)
_FLOAT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 0.5, -0.0, 1.0000001, -1e-300, 1e308]),
)
_DATE = st.sampled_from([date(2021, 1, 1), date(2021, 6, 1), date(2020, 12, 31)])


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _made(cls: type, values: dict[str, Any]) -> Any:
    """An object of ``cls`` with these values and its defaults, its checks not run (as
    the typed decoding builds it)."""
    obj: Any = object.__new__(cls)
    for field in attrs.fields(cls):
        value = values.get(field.name, field.default)
        if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
            value = value.factory()
        cls.__dict__[field.name].__set__(obj, value)
    return obj


_SOURCE_VALUES = st.fixed_dictionaries(
    {
        "title": _TEXT,
        "url": _optional(_TEXT),
        "publisher": _optional(_TEXT),
        "date": _optional(_DATE),
        "kind": _optional(st.sampled_from(["record", "report", "claim", "advocacy", "x", ""])),
    }
)
_EVIDENCE_VALUES = st.fixed_dictionaries(
    {
        "id": _ID_LIKE,
        "promise": _ID_LIKE,
        "date": _DATE,
        "summary": _TEXT,
        "criterion": _optional(_ID_LIKE),
        "quote": _optional(_TEXT),
        "effect": st.sampled_from(["advances", "regresses", "neutral", "x", "Advances"]),
        "value": _optional(_FLOAT),
    }
)
_ASSESSMENT_VALUES = st.fixed_dictionaries(
    {
        "promise": _ID_LIKE,
        "date": _DATE,
        "rating": _optional(_ID_LIKE),
        "value": _optional(_FLOAT),
        "criterion": _optional(_ID_LIKE),
        "by": _TEXT,
        "evidence": st.lists(_ID_LIKE, max_size=3).map(tuple),
        "note": _optional(_TEXT),
        "effective": _optional(_DATE),
    }
)


def _raises(obj: Any) -> bool:
    try:
        obj.__attrs_post_init__()
    except RubricError:
        return True
    return False


def _check_soundness(kind: str, objects: list[Any]) -> None:
    prove = proofs.proof(kind, CLASSES[kind])
    assert prove is not None
    failing = [obj for obj in objects if _raises(obj)]
    if prove(objects):
        assert failing == []
    if not failing:
        assert prove(objects)  # and the proofs are not weaker than the checks they replace


PROPERTY = settings(max_examples=300, deadline=None, derandomize=True)


@PROPERTY
@given(st.lists(_SOURCE_VALUES, max_size=4))
def test_source_proof_holds_only_when_no_source_would_raise(rows: list[dict[str, Any]]) -> None:
    _check_soundness("source", [_made(Source, row) for row in rows])


@PROPERTY
@given(st.lists(_EVIDENCE_VALUES, max_size=4))
def test_evidence_proof_holds_only_when_no_item_would_raise(rows: list[dict[str, Any]]) -> None:
    source = Source("a source")
    _check_soundness("evidence", [_made(Evidence, {**row, "source": source}) for row in rows])


@PROPERTY
@given(st.lists(_ASSESSMENT_VALUES, max_size=4))
def test_assessment_proof_holds_only_when_no_assessment_would_raise(
    rows: list[dict[str, Any]],
) -> None:
    _check_soundness("assessment", [_made(Assessment, row) for row in rows])


# ------------------------------------------------------- whole rubrics, with and without


def _with_proofs(on: bool, check: Callable[[], promisescore.CheckResult]) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "PROOFS", on)
        return check()


_FIELDS = st.sampled_from(
    [
        *("id", "promise", "summary", "criterion", "effect", "value", "rating", "by"),
        *("evidence", "note", "effective", "date", "title", "kind", "quote", "url"),
    ]
)
_JSON_VALUES = st.one_of(
    _ID_LIKE,
    _TEXT,
    st.floats(allow_nan=False, allow_infinity=False, min_value=-2, max_value=2),
    st.sampled_from(["__INF__", 0, 1, 2, "2021-01-01", "2030-01-01", "2021-02-30", None]),
    st.lists(_ID_LIKE, max_size=2),
)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_rubrics_load_the_same_with_and_without_the_proofs(data: st.DataObject) -> None:
    """Values (good, bad and borderline) set on the evidence, assessments and sources
    of a seed rubric: the same rubric and the same located problems with the proofs,
    without them, and on the standard path."""
    document = json.loads(SEED_JSON)
    for _ in range(data.draw(st.integers(1, 3))):
        array = data.draw(st.sampled_from(["evidence", "assessments"]))
        item = data.draw(st.sampled_from(document[array]))
        if data.draw(st.booleans()) and isinstance(item.get("source"), dict):
            item = item["source"]
        item[data.draw(_FIELDS)] = data.draw(_JSON_VALUES)
    text = json.dumps(document).replace('"__INF__"', "1e999")
    on = _with_proofs(True, lambda: promisescore.check_text(text, "json", name="r.json"))
    off = _with_proofs(False, lambda: promisescore.check_text(text, "json", name="r.json"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        standard = promisescore.check_text(text, "json", name="r.json")
    assert on.problems == off.problems == standard.problems
    assert on.rubric == off.rubric == standard.rubric


def test_a_clean_rubric_is_built_without_per_object_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The proofs hold for the seed rubric: no evidence item, assessment or source runs
    its own checks, and the rubric is the one the standard path builds."""
    calls: list[str] = []
    for kind, cls in CLASSES.items():
        original = cls.__attrs_post_init__  # type: ignore[attr-defined]

        def counted(self: Any, original: Any = original, kind: str = kind) -> None:
            calls.append(kind)
            original(self)

        monkeypatch.setattr(cls, "__attrs_post_init__", counted)
    monkeypatch.setattr(proofs, "digest", lambda cls: proofs.EXTRA[_kind_of(cls)][2])
    monkeypatch.setattr(typed, "_compiled", {})
    result = promisescore.check_text(SEED_JSON, "json", name="r.json")
    assert result.ok
    assert "evidence" not in calls
    assert "assessment" not in calls
    with monkeypatch.context() as patch:
        patch.setattr(typed, "ENABLED", False)
        standard = promisescore.check_text(SEED_JSON, "json", name="r.json")
    assert result.rubric == standard.rubric
    calls.clear()
    with monkeypatch.context() as patch:  # without the proofs, each object checks itself
        patch.setattr(typed, "PROOFS", False)
        assert promisescore.check_text(SEED_JSON, "json", name="r.json").rubric == result.rubric
    assert "evidence" in calls
    assert "assessment" in calls


def _kind_of(cls: type) -> str:
    for kind, known in CLASSES.items():
        if issubclass(cls, known):
            return kind
    return "other"
