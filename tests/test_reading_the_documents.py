"""The "How we read the documents" page says what the bundled rubrics do.

``docs/reading-the-documents.md`` carries a hand-written before/after table of the
headline, per-category and per-assessor scores of ``rubrics/us-immigration-2021.toml`` at
the four document dates, and a sentence with We Belong Together's score. The "after"
numbers must be what promisescore computes today, so a change to a rating that does not
update the page fails here.

The rubrics' notes and meta quote the documents in single quotes; every quoted run of
three or more words must be found, word for word, in the seed documents (when they are
present next to the repository), so that no note puts words in a speaker's mouth.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import promisescore
from promisescore.scoring.scorecard import Scorecard

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "reading-the-documents.md"
IMMIGRATION = REPO / "rubrics" / "us-immigration-2021.toml"
WE_BELONG_TOGETHER = REPO / "rubrics" / "we-belong-together-2015.toml"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

DATES = ("2021-04-30", "2021-07-27", "2022-01-20", "2024-06-18")
NONE = "—"


def _percent(score: float | None, grade: str | None) -> str:
    if score is None:
        return NONE
    text = f"{score * 100:.1f}%"
    return f"{text} {grade}" if grade else text


def _headline_cell(card: Scorecard) -> str:
    overall = card.overall
    cell = _percent(overall.score, overall.grade)
    coverage = overall.coverage if overall.coverage is not None else 0.0
    return f"{cell} (cov {coverage * 100:.0f}%)"


def _table_rows() -> dict[str, list[str]]:
    """The before/after table's rows, by their first cell."""
    rows: dict[str, list[str]] = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| |"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 1 + len(DATES):
            rows[cells[0]] = cells[1:]
    return rows


def test_the_table_has_every_after_row() -> None:
    rubric = promisescore.load(IMMIGRATION)
    card = promisescore.score(rubric)
    rows = _table_rows()
    wanted = ["**Headline, after**"]
    wanted += [f"{category.title}, after" for category in card.categories]
    everyone = sorted({*card.assessors, *card.excluded_assessors})
    wanted += [f"`{assessor}`, after" for assessor in everyone]
    assert "administration" in everyone
    missing = [label for label in wanted if label not in rows]
    assert not missing, f"rows missing from {PAGE.name}: {missing}"


def test_the_after_numbers_are_what_promisescore_computes() -> None:
    rubric = promisescore.load(IMMIGRATION)
    rows = _table_rows()
    everyone = sorted({*promisescore.score(rubric).assessors, "administration"})
    problems = []
    for index, day in enumerate(DATES):
        card = promisescore.score(rubric, as_of=day)
        shown = rows["**Headline, after**"][index]
        if shown != _headline_cell(card):
            problems.append(f"headline {day}: page {shown!r}, computed {_headline_cell(card)!r}")
        for category in card.categories:
            shown = rows[f"{category.title}, after"][index]
            computed = _percent(category.score, category.grade)
            if shown != computed:
                problems.append(f"{category.id} {day}: page {shown!r}, computed {computed!r}")
        for assessor in everyone:
            own = promisescore.score(rubric, as_of=day, assessor=assessor)
            shown = rows[f"`{assessor}`, after"][index]
            computed = _percent(own.overall.score, own.overall.grade)
            if shown != computed:
                problems.append(f"{assessor} {day}: page {shown!r}, computed {computed!r}")
    assert not problems, "\n".join(problems)


def test_we_belong_together_numbers_on_the_page() -> None:
    card = promisescore.score(promisescore.load(WE_BELONG_TOGETHER))
    score, coverage = card.overall.score, card.overall.coverage
    assert score is not None
    assert coverage is not None
    assert card.overall.grade is None
    sentence = f"after\n{score * 100:.1f}%, coverage {coverage * 100:.0f}%"
    text = PAGE.read_text(encoding="utf-8")
    assert sentence in text, f"{PAGE.name} does not say {sentence!r}"


# ---------------------------------------------------------------------------
# Words quoted in notes and meta are in the documents
# ---------------------------------------------------------------------------

QUOTED = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=\())'(.+?)'(?=[\s,.;:)]|$)")
FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _fold(text: str) -> str:
    return " ".join(text.translate(FOLD).lower().split())


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def _notes_and_meta(path: Path) -> Iterator[tuple[str, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in ("promises", "assessments", "evidence"):
        for index, item in enumerate(data.get(key, [])):
            label = f"{path.name}: {key}[{index}] {item.get('id') or item.get('promise')}"
            if isinstance(item.get("note"), str):
                yield f"{label}.note", item["note"]
            if isinstance(item.get("summary"), str):
                yield f"{label}.summary", item["summary"]
            yield from _strings(item.get("meta", {}), f"{label}.meta")


RUBRIC_FILES = sorted(
    [
        IMMIGRATION,
        WE_BELONG_TOGETHER,
        *sorted((REPO / "rubrics" / "us-immigration-2021").glob("*.toml")),
    ]
)


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=[p.name for p in RUBRIC_FILES])
def test_words_quoted_in_notes_are_in_the_documents(path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}: cannot check quoted words")
    documents = _fold(" ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")))
    problems = []
    for where, text in _notes_and_meta(path):
        for match in QUOTED.finditer(text):
            fragment = match.group(1)
            if len(fragment.split()) < 3:
                continue
            parts = [part.strip(" .") for part in re.split(r"\.\.\.|…", fragment)]
            if any(part and _fold(part) not in documents for part in parts):
                problems.append(f"{where}: {fragment!r} is in no document")
    assert not problems, "\n".join(problems)


def test_the_quoted_words_check_can_fail() -> None:
    documents = _fold("Humanitarian protections, he said, are one of the areas in which “the")
    found = [m.group(1) for m in QUOTED.finditer("are 'one of the areas in which the' here")]
    assert found == ["one of the areas in which the"]
    assert _fold(found[0]) not in documents
