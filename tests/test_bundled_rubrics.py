"""Checks on the rubrics bundled in ``rubrics/``.

They use plain :mod:`tomllib` and follow ``include`` themselves, so they do not depend on
the promisescore package. They check that every file parses, that every evidence quote
appears word for word in the source document named in its ``meta.seed`` (when the seed
texts are present next to the repository), and the structural promises the bundled
rubrics make: enough promises, several assessors, criteria and target promises, and an
authority, a category and a weight reason for every promise.
"""

from __future__ import annotations

import glob
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "rubrics"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

IMMIGRATION = RUBRICS / "us-immigration-2021.toml"
WE_BELONG_TOGETHER = RUBRICS / "we-belong-together-2015.toml"
TOP_LEVEL = (IMMIGRATION, WE_BELONG_TOGETHER)

LIST_KEYS = ("categories", "promises", "evidence", "assessments")
INCLUDED_KEYS = {"include", *LIST_KEYS}
ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
SEED_NAME = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")
POLITIFACT = ("not-yet-rated", "broken", "stalled", "in-the-works", "compromise", "kept")
SOURCE_KINDS = {"record", "report", "claim", "advocacy"}
EFFECTS = {"advances", "regresses", "neutral"}
AUTHORITIES = {"executive", "legislature", "shared"}

ALL_TOML = sorted(RUBRICS.rglob("*.toml"))


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _included_paths(data: dict[str, Any], path: Path) -> list[Path]:
    raw = data.get("include", [])
    patterns = [raw] if isinstance(raw, str) else list(raw)
    found: list[Path] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            found.extend(sorted(Path(m) for m in glob.glob(str(path.parent / pattern))))
        else:
            found.append(path.parent / pattern)
    return found


def load_rubric(path: Path) -> dict[str, Any]:
    """The top-level table of ``path`` with the lists of every included file appended.

    Each object in a list gets a ``_file`` key naming the file it came from.
    """
    merged: dict[str, Any] = {}
    seen: set[Path] = set()

    def visit(current: Path, top: bool) -> None:
        real = current.resolve()
        if real in seen:
            return
        seen.add(real)
        data = _read_toml(current)
        if top:
            merged.update({k: v for k, v in data.items() if k not in LIST_KEYS})
        for key in LIST_KEYS:
            for item in data.get(key, []):
                merged.setdefault(key, []).append({**item, "_file": current.name})
        for included in _included_paths(data, current):
            visit(included, False)

    visit(path, True)
    for key in LIST_KEYS:
        merged.setdefault(key, [])
    return merged


def _collapse(text: str) -> str:
    """Runs of whitespace (including no-break spaces) become one space."""
    return " ".join(text.split())


def _label(obj: dict[str, Any]) -> str:
    ident = obj.get("id") or f"{obj.get('promise')}/{obj.get('criterion')}@{obj.get('date')}"
    return f"{obj.get('_file')}: {ident}"


# ---------------------------------------------------------------------------
# (a) every file parses
# ---------------------------------------------------------------------------


def test_bundled_rubrics_are_present() -> None:
    for path in TOP_LEVEL:
        assert path.is_file(), f"missing bundled rubric {path.relative_to(REPO)}"


@pytest.mark.parametrize("path", ALL_TOML, ids=[str(p.relative_to(RUBRICS)) for p in ALL_TOML])
def test_every_rubric_file_parses(path: Path) -> None:
    data = _read_toml(path)
    if path in TOP_LEVEL:
        assert data.get("format") == "1.2"
    else:
        extra = set(data) - INCLUDED_KEYS
        assert not extra, f"an included file may not hold {sorted(extra)}"


def test_every_file_under_rubrics_is_reachable() -> None:
    reachable: set[Path] = set()

    def walk(path: Path) -> None:
        real = path.resolve()
        if real in reachable:
            return
        reachable.add(real)
        for included in _included_paths(_read_toml(path), path):
            assert included.is_file(), f"{path.name} includes missing {included}"
            walk(included)

    for top in TOP_LEVEL:
        walk(top)
    orphans = [p.relative_to(RUBRICS) for p in ALL_TOML if p.resolve() not in reachable]
    assert not orphans, f"files no bundled rubric includes: {orphans}"


# ---------------------------------------------------------------------------
# (b) every quote is verbatim, in the seed its meta names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_every_quoted_evidence_names_its_seed(path: Path) -> None:
    problems = []
    for item in load_rubric(path)["evidence"]:
        seed = item.get("meta", {}).get("seed")
        if not isinstance(item.get("quote"), str) or not item["quote"].strip():
            problems.append(f"{_label(item)}: no quote")
        elif "\n" in item["quote"]:
            problems.append(f"{_label(item)}: the quote spans lines")
        if not isinstance(seed, str) or not SEED_NAME.match(seed):
            problems.append(f"{_label(item)}: meta.seed {seed!r} is not a seed file name")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_quotes_appear_verbatim_in_their_seed(path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}: cannot check quotes")
    seeds = {p.name: _collapse(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    problems = []
    for item in load_rubric(path)["evidence"]:
        quote = item.get("quote")
        if not isinstance(quote, str):
            continue
        wanted = _collapse(quote)
        named = item.get("meta", {}).get("seed")
        holders = sorted(name for name, text in seeds.items() if wanted in text)
        if named not in seeds:
            problems.append(f"{_label(item)}: meta.seed {named!r} is not in {SEEDS}")
        elif named not in holders:
            where = f"it is in {holders}" if holders else "it is in no seed"
            problems.append(f"{_label(item)}: quote not found in {named} ({where}): {quote!r}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# (c) structure
# ---------------------------------------------------------------------------


def test_immigration_rubric_structure() -> None:
    rubric = load_rubric(IMMIGRATION)
    promises = rubric["promises"]
    assert len(promises) >= 12
    assessors = {a.get("by", "default") for a in rubric["assessments"]}
    declared = {a["id"]: a["role"] for a in rubric["assessors"]}
    # One voice per organisation: no merged "advocates" assessor.
    assert "advocates" not in declared
    assert assessors == set(declared)
    assert declared["administration"] == "self"
    assert declared["news-report"] == "independent"
    assert {"aila", "we-are-home", "nakasec"} <= {k for k, v in declared.items() if v == "advocacy"}
    assert rubric["grading"]["consensus_roles"] == ["independent", "advocacy"]
    assert rubric["grading"]["stale_after"] == "P1Y"
    assert any(p.get("criteria") for p in promises), "no promise with criteria"
    assert any(p.get("target") for p in promises), "no target promise"
    assert rubric["report"]["subject"] == "Biden-Harris Administration"
    assert rubric["report"]["start"] == date(2021, 1, 20)
    assert rubric["report"]["end"] == date(2025, 1, 20)
    assert "as_of" not in rubric["report"]
    assert rubric["scale"] == {"preset": "politifact"}


def test_immigration_assessors_rate_on_several_dates() -> None:
    rubric = load_rubric(IMMIGRATION)
    outside = {a["id"] for a in rubric["assessors"] if a["role"] != "self"}
    dates = {a["date"] for a in rubric["assessments"] if a.get("by") in outside}
    assert len(dates) >= 3


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_each_assessor_speaks_from_one_document(path: Path) -> None:
    """An assessor is one organisation speaking in one document: every rating it gives
    carries that document's date, and cites only evidence from that document (for the
    news report, only the reporter's own sentences, of source kind "report")."""
    rubric = load_rubric(path)
    evidence = {e["id"]: e for e in rubric["evidence"]}
    problems = []
    for assessor in rubric["assessors"]:
        mine = [a for a in rubric["assessments"] if a.get("by") == assessor["id"]]
        dates = {a["date"] for a in mine}
        if len(dates) != 1:
            problems.append(f"{assessor['id']}: rates on {sorted(dates)}")
        kinds = {evidence[e]["source"]["kind"] for a in mine for e in a.get("evidence", [])}
        wanted = {"self": {"claim"}, "independent": {"report"}, "advocacy": {"advocacy"}}
        if not kinds <= wanted[assessor["role"]]:
            problems.append(f"{assessor['id']} ({assessor['role']}) cites sources {kinds}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_no_self_rating_is_kept_on_its_own_claims(path: Path) -> None:
    """Finding 2 and 4 of the audit: nothing is rated kept on the promise-maker's word."""
    rubric = load_rubric(path)
    roles = {a["id"]: a["role"] for a in rubric["assessors"]}
    kept = [
        _label(a)
        for a in rubric["assessments"]
        if roles[a["by"]] == "self" and a.get("rating") in {"kept", "compromise"}
    ]
    assert not kept


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_no_note_describes_a_change_of_speaker(path: Path) -> None:
    """No note calls a rating 'down from' or 'up from' an earlier one: with one voice per
    organisation that would describe a change of speaker, not of the record."""
    problems = []
    for item in load_rubric(path)["assessments"]:
        note = item.get("note", "")
        if re.search(r"\b(down|up) from\b", note, re.IGNORECASE):
            problems.append(f"{_label(item)}: {note[:60]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_every_promise_has_authority_category_and_weight_reason(path: Path) -> None:
    rubric = load_rubric(path)
    categories = {c["id"] for c in rubric["categories"]}
    problems = []
    for promise in rubric["promises"]:
        label = _label(promise)
        if promise.get("authority") not in AUTHORITIES:
            problems.append(f"{label}: authority {promise.get('authority')!r}")
        if promise.get("umbrella") is True:
            # a verdict on the whole record (docs/format.md): no category and no weight,
            # since it is in no score; it says why it is an umbrella
            if "category" in promise or "weight" in promise:
                problems.append(f"{label}: an umbrella promise with a category or weight")
            if not str(promise.get("meta", {}).get("umbrella_reason", "")).strip():
                problems.append(f"{label}: no meta.umbrella_reason")
            continue
        if promise.get("category") not in categories:
            problems.append(f"{label}: category {promise.get('category')!r} is not defined")
        reason = promise.get("meta", {}).get("weight_reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{label}: no meta.weight_reason")
        weight = promise.get("weight")
        if not isinstance(weight, int | float) or not 1 <= weight <= 3:
            problems.append(f"{label}: weight {weight!r} is not between 1 and 3")
        if not isinstance(promise.get("text"), str) or not promise["text"].strip():
            problems.append(f"{label}: no text")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_ids_and_references_resolve(path: Path) -> None:
    rubric = load_rubric(path)
    problems = []
    for key in LIST_KEYS[:3]:
        ids = [str(obj.get("id")) for obj in rubric[key]]
        problems += [f"{key}: bad id {i!r}" for i in ids if not ID.match(i)]
        problems += [f"{key}: duplicate id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1]
    promises = {p["id"]: p for p in rubric["promises"]}
    criteria = {pid: {c["id"] for c in p.get("criteria", [])} for pid, p in promises.items()}
    evidence = {e["id"]: e for e in rubric["evidence"]}
    for item in rubric["evidence"]:
        label = _label(item)
        pid = item.get("promise")
        if pid not in promises:
            problems.append(f"{label}: unknown promise {pid!r}")
            continue
        if "criterion" in item and item["criterion"] not in criteria[pid]:
            problems.append(f"{label}: {item['criterion']!r} is not a criterion of {pid}")
        source = item.get("source")
        if not isinstance(source, dict) or source.get("kind") not in SOURCE_KINDS:
            problems.append(f"{label}: source must be a table with a known kind")
        elif source.get("date") != item.get("date"):
            problems.append(f"{label}: evidence date differs from its document's date")
        if not isinstance(item.get("date"), date):
            problems.append(f"{label}: date must be a TOML date")
        if item.get("effect", "advances") not in EFFECTS:
            problems.append(f"{label}: effect {item.get('effect')!r}")
        if "value" in item and not promises[pid].get("target"):
            problems.append(f"{label}: a value on a promise without a target")
    for item in rubric["assessments"]:
        label = _label(item)
        pid = item.get("promise")
        if pid not in promises:
            problems.append(f"{label}: unknown promise {pid!r}")
            continue
        if promises[pid].get("target"):
            problems.append(f"{label}: target promises are never assessed")
        if criteria[pid] and item.get("criterion") not in criteria[pid]:
            problems.append(f"{label}: needs one of the criteria {sorted(criteria[pid])}")
        if not criteria[pid] and "criterion" in item:
            problems.append(f"{label}: {pid} has no criteria")
        if item.get("rating") not in POLITIFACT:
            problems.append(f"{label}: rating {item.get('rating')!r} is not a politifact level")
        if not isinstance(item.get("date"), date):
            problems.append(f"{label}: date must be a TOML date")
        if not isinstance(item.get("note"), str) or not item["note"].strip():
            problems.append(f"{label}: no note")
        cited = item.get("evidence", [])
        if not cited:
            problems.append(f"{label}: cites no evidence")
        for eid in cited:
            if eid not in evidence:
                problems.append(f"{label}: unknown evidence {eid!r}")
            elif evidence[eid]["promise"] != pid:
                problems.append(f"{label}: evidence {eid!r} is about another promise")
            elif evidence[eid]["date"] > item["date"]:
                problems.append(f"{label}: evidence {eid!r} postdates the assessment")
    for pid, promise in promises.items():
        if promise.get("target") and promise.get("criteria"):
            problems.append(f"{pid}: a promise has at most one of criteria and target")
        if not any(e["promise"] == pid for e in rubric["evidence"]):
            problems.append(f"{pid}: no evidence")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", TOP_LEVEL, ids=[p.name for p in TOP_LEVEL])
def test_an_advocacy_groups_words_are_not_presented_as_the_makers(path: Path) -> None:
    """A promise worded by an interested party (its source is of kind "advocacy") either
    names no maker or says whose account it is ("per We Are Home")."""
    problems = []
    for promise in load_rubric(path)["promises"]:
        source = promise.get("source")
        made_by = promise.get("made_by")
        worded_by_advocates = isinstance(source, dict) and source.get("kind") == "advocacy"
        if worded_by_advocates and made_by and "(per " not in made_by:
            problems.append(f"{_label(promise)}: made_by {made_by!r}")
    assert not problems, "\n".join(problems)
