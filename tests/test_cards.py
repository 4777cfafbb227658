"""Rendering renders: what a report card shows is computed by the card, not the renderer.

:class:`promisescore.cards.ReportCard` computes the rubric's warnings and its scores over
time (once, when first asked); ``render`` only formats what the card holds, so that
``render(ReportCard(card), fmt)`` and ``render(card, fmt)`` are ``report --format fmt``.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import promisescore
import promisescore.analysis
import promisescore.loading
import promisescore.scoring.verdicts
from promisescore.cards import ReportCard
from promisescore.cli import main
from promisescore.renderers import REPORT_FORMATS, render, report_options

REPO = Path(__file__).resolve().parents[1]
PATH = "rubrics/us-immigration-2021.toml"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _count(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of ``module.name`` (still calling it)."""
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_report_card_renders_as_the_report(fmt: str) -> None:
    card = promisescore.score(promisescore.load(PATH), "2022-01-20")
    expected = CliRunner().invoke(main, ["report", PATH, "--format", fmt, "--as-of", "2022-01-20"])
    assert expected.exit_code == 0, expected.output
    assert render(ReportCard(card), fmt) == expected.stdout
    assert render(card, fmt) == expected.stdout


def test_the_card_computes_what_it_shows_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rubric = promisescore.load(PATH)
    card = ReportCard(promisescore.score(rubric, "2022-01-20"))
    timelines = _count(monkeypatch, promisescore.analysis, "timeline")
    lints = _count(monkeypatch, promisescore.scoring.verdicts, "lint")
    first = render(card, "html")
    assert (len(timelines), len(lints)) == (1, 1)
    assert render(card, "html") == first
    assert render(card, "json") != first
    assert (len(timelines), len(lints)) == (1, 1)  # rendering again computes nothing
    assert card.warnings == tuple(promisescore.lint(rubric))
    assert card.history is not None
    assert card.history == promisescore.timeline(rubric, until=card.scorecard.as_of)


def test_a_text_card_never_scores_over_time(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the text report does not draw the scores over time")

    card = promisescore.score(promisescore.load(PATH))
    monkeypatch.setattr(promisescore.analysis, "timeline", refuse)
    for fmt in ("text", "markdown", "csv", "badge", "summary"):
        render(card, fmt)


def test_a_card_without_history_or_rubric_shows_none() -> None:
    rubric = promisescore.load(PATH)
    card = promisescore.score(rubric, "2022-01-20")
    assert ReportCard(card, with_history=False).history is None
    assert report_options(ReportCard(card, with_history=False), "json").history is None
    assert report_options(ReportCard(card), "json").history is not None
    bare = ReportCard(attrs.evolve(card, rubric=None))
    assert (bare.warnings, bare.history, bare.rubric) == ((), None, None)


def test_one_date_shows_no_history() -> None:
    rubric = promisescore.load(PATH)
    first = min(item.date for item in rubric.evidence)
    card = ReportCard(promisescore.score(rubric, rubric.report.start))
    assert rubric.report.start <= first
    assert len(promisescore.timeline(rubric, until=rubric.report.start).points) == 1
    assert card.history is None


def test_the_renderer_registry_computes_nothing() -> None:
    """``renderers/__init__.py`` imports neither the loader's lint nor the analyses."""
    tree = ast.parse((REPO / "src/promisescore/renderers/__init__.py").read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
            imported.update(alias.name for alias in node.names)
    assert not imported & {"..loading", "..analysis", "lint", "timeline"}


def test_the_html_card_scores_no_assessor_while_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Who says what" comes from the card's own scorecards of each assessor, computed
    once by the card; rendering them scores nothing."""
    import promisescore.scoring

    rubric = promisescore.load(PATH)
    card = ReportCard(promisescore.score(rubric))
    options = report_options(card, "html")
    assert set(options.assessor_cards) == set(rubric.assessors)
    assert options.assessor_cards["aila"] == promisescore.score(rubric, assessor="aila")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendering scored a rubric")

    monkeypatch.setattr(promisescore.scoring, "score", refuse)
    monkeypatch.setattr(promisescore, "score", refuse)
    markup = render(card.scorecard, "html", options)
    assert "Who says what" in markup
    assert render(card, "html") == markup  # the card's options are these
