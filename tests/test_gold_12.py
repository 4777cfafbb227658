"""Gold files of the reader surfaces of a format 1.2 rubric (FORMAT.md §8).

``tests/fixtures/format-12.toml`` rendered as a report (text, Markdown, HTML with and
without ``--detail``, French HTML), as a site (the index, two promise pages, a category
page, the feed) and as ``timeline`` and ``diff`` text. A change to any of them shows up
here as a diff; when intended, regenerate and review the diff in git:

    PROMISESCORE_REGEN_GOLD=1 python3 -m pytest tests/test_gold_12.py

Besides the bytes, each test asserts the §8 facts the gold files show, so that a
regeneration cannot silently bless a regression.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from promisescore.cli import main

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold_12"
FIXTURE = "tests/fixtures/format-12.toml"
REGEN = os.environ.get("PROMISESCORE_REGEN_GOLD") == "1"

#: gold file name → the CLI's arguments
REPORTS: dict[str, tuple[str, ...]] = {
    "report.txt": ("report", FIXTURE, "--format", "text"),
    "report.md": ("report", FIXTURE, "--format", "markdown"),
    "report.html": ("report", FIXTURE, "--format", "html"),
    "report.detail.html": ("report", FIXTURE, "--format", "html", "--detail"),
    "report.fr.html": ("report", FIXTURE, "--format", "html", "--lang", "fr"),
    "timeline.txt": ("timeline", FIXTURE),
    "diff.txt": ("diff", f"{FIXTURE}@2023-06-30", f"{FIXTURE}@2024-06-30"),
}

#: gold file name → the site file it is
SITE_FILES: dict[str, str] = {
    "site-index.html": "index.html",
    "site-rent-board.html": "promises/rent-board.html",
    "site-new-homes.html": "promises/new-homes.html",
    "site-transit.html": "categories/transit.html",
    "site-feed.xml": "feed.xml",
}


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _compare(name: str, output: str) -> None:
    path = GOLD / name
    if REGEN:
        GOLD.mkdir(exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"no gold file {path}; run PROMISESCORE_REGEN_GOLD=1 pytest {__file__}"
    expected = path.read_bytes().decode("utf-8")
    if output != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    output.splitlines(keepends=True),
                    f"gold_12/{name}",
                    "output",
                )
            )[:60]
        )
        pytest.fail(f"{name} differs; if intended, regenerate (see the module's doc)\n{diff}")


def _run(args: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from promisescore.site import build

    out = tmp_path_factory.mktemp("site12")
    build([REPO / FIXTURE], out)
    return out


@pytest.mark.parametrize("name", REPORTS)
def test_report_matches_gold_file(name: str) -> None:
    _compare(name, _run(REPORTS[name]))


@pytest.mark.parametrize("name", SITE_FILES)
def test_site_file_matches_gold_file(name: str, site: Path) -> None:
    _compare(name, (site / SITE_FILES[name]).read_text(encoding="utf-8"))


def test_every_gold_file_is_checked() -> None:
    assert {p.name for p in GOLD.iterdir()} == set(REPORTS) | set(SITE_FILES)


# --------------------------------------------------------------------------- the facts


def test_text_report_says_what_an_assessor_said() -> None:
    text = _run(REPORTS["report.txt"])
    assert "Headline: the desk's verdict" in text  # §8.1
    assert "Compromise · 80% of target" in text  # §8.3: verdict beside the measure
    assert "80% of target" in text
    assert "2 of 3 criteria met" in text  # the measure alone, no derived word
    assert "Kept since 2022-09-01" in text  # §8.8, not moved by the 2024 re-confirmation
    assert "grade" not in text.lower()  # §8.4: no bands, no grades


def test_html_card_hides_the_reviewer_unless_detail() -> None:
    card = _run(REPORTS["report.html"])
    for word in ("Zelda", "Copyreader", "too narrow"):
        assert word not in card
    assert "Kept since 1 September 2022" in card
    assert "Headline: the desk&#39;s verdict" in card or "Headline: the desk's verdict" in card
    assert "The rent board is law" in card  # §8.7: the update's headline in the history
    assert 'href="https://courier.example.org/2022/09/rent-board"' in card
    assert "by Jo Reporter" in card
    detail = _run(REPORTS["report.detail.html"])
    assert "Zelda Copyreader" in detail


def test_stale_only_on_open_ratings(site: Path) -> None:
    # the tree promise's open rating (in the works, 2022) is stale; the rent board's
    # final verdict (kept, 2022, re-confirmed 2024) never is
    text = _run(REPORTS["report.txt"])
    rows = {line.split("  ")[0]: line for line in text.splitlines() if "  " in line}
    trees = next(v for k, v in rows.items() if k.startswith("Plant 10,000"))
    board = next(v for k, v in rows.items() if k.startswith("Create a rent"))
    assert "stale" in trees
    assert "stale" not in board
    page = (site / "promises" / "rent-board.html").read_text(encoding="utf-8")
    assert "not reviewed recently" not in page
    trees_page = (site / "promises" / "tree-canopy.html").read_text(encoding="utf-8")
    assert "not reviewed recently" in trees_page


def test_feed_takes_the_headline_and_the_url(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<title>The rent board is law</title>" in feed
    assert 'href="https://courier.example.org/2022/09/rent-board"' in feed
    assert "<title>Four in five promised homes are built</title>" in feed


def test_changes_say_what_moved_them() -> None:
    for name in ("timeline.txt", "diff.txt"):
        text = _run(REPORTS[name])
        assert "re-rated" in text, name
        assert "newly rated" in text, name
