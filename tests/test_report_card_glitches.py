"""The report-card glitches of issue #26: text width from COLUMNS and --width, titles
clipped only as far as the width needs, coverage said as what it is, the category's own
weight, criterion names in ratings left out by role, Markdown without stray escapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
IMMIGRATION = str(REPO / "rubrics" / "us-immigration-2021.toml")
LONGEST = "Undo the predecessor's harmful policies and completely reform the immigration system"


def report(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, ["report", IMMIGRATION, *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", [60, 100, 160, 220])
def test_text_fits_the_width_from_columns_and_the_option(width: int) -> None:
    for out in (report(env={"COLUMNS": str(width)}), report("--width", str(width))):
        assert max(len(line) for line in out.splitlines()) <= width
        # the widest layout keeps every title whole; narrower ones use the width they have
        if width >= 160:
            assert LONGEST in out
        else:
            assert max(len(line) for line in out.splitlines()) > width - 8


def test_width_option_beats_columns_and_a_file_honours_it(tmp_path: Path) -> None:
    out = report("--width", "180", env={"COLUMNS": "60"})
    assert LONGEST in out
    target = tmp_path / "card.txt"
    report("-o", str(target), env={"COLUMNS": "180"})
    assert LONGEST in target.read_text(encoding="utf-8")


def test_coverage_is_a_share_of_the_weight_beside_a_count() -> None:
    text = report()
    # the bundled card as of 2024-06-18: 8 of the 19 promises the headline counts (the
    # umbrella promise is in no count) are rated, 53% of their weight
    assert "coverage 53% of the weight; 8 of 19 promises rated" in text
    assert "53% of the weight; 8 of 19 promises" in report("--format", "markdown")
    assert "53% of the weight; 8 of 19 promises" in report("--format", "html")


def test_category_weight_is_the_categorys_weight() -> None:
    rubric = promisescore.load(IMMIGRATION)
    card = promisescore.score(rubric)
    out = report("--width", "120")
    for category in card.categories:
        whole = sum(p.weight for p in card.promises if p.category == category.id)
        row = next(line for line in out.splitlines() if line.startswith(category.title))
        assert row.split()[-2] == f"{whole:g}", row
    # an unrated category still weighs what its promises weigh
    assert any(c.rated == 0 for c in card.categories)


def test_ratings_left_out_name_their_criterion() -> None:
    rubric = promisescore.load(IMMIGRATION)
    promise = rubric.promise("path-to-citizenship")
    out = " ".join(report().split("Not counted in the headline")[1].split())
    part = out.split(promise.title + ":")[1].split("Restore access")[0]
    for criterion in promise.criteria:
        assert f"(self) on “{criterion.title}”: In the Works" in part


def test_markdown_has_category_titles_and_no_escaped_parentheses() -> None:
    out = report("--format", "markdown")
    assert "\\(" not in out
    assert "\\)" not in out
    assert "(We Are Home's demand)" in out
    assert "`asylum-border`" not in out
    assert "| Asylum and the border |" in out
