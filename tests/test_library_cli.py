"""Library = CLI: what a command prints, the library produces byte for byte.

``promisescore.render(card, FORMAT)`` is ``promisescore report --format FORMAT``; each
analysis, ``explain``, ``check`` and ``scales`` renders through the same registry
(:func:`promisescore.renderers.render`) as its command prints it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.analysis import agreement, compare, diff, sensitivity, timeline
from promisescore.cli import main
from promisescore.renderers import REPORT_FORMATS, formats, render, render_iter, report_options
from promisescore.renderers.problems import CheckReport
from promisescore.renderers.scales import ScalePresets

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted(str(p.relative_to(REPO)) for p in (REPO / "rubrics").glob("*.toml"))


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # file names in warnings as the user typed them
    monkeypatch.delenv("NO_COLOR", raising=False)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_there_are_bundled_rubrics() -> None:
    assert len(BUNDLED) >= 2


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
@pytest.mark.parametrize("path", BUNDLED)
def test_render_is_report(path: str, fmt: str) -> None:
    card = promisescore.score(promisescore.load(path))
    assert promisescore.render(card, fmt) == cli("report", path, "--format", fmt)


def test_render_html_is_report_html_with_history_and_histories() -> None:
    path = "rubrics/us-immigration-2021.toml"
    card = promisescore.score(promisescore.load(path), "2022-01-20")
    markup = promisescore.render(card, "html")
    assert markup == cli("report", path, "--format", "html", "--as-of", "2022-01-20")
    assert "<svg" in markup  # the scores over time, which the CLI used to add itself


def test_report_options_take_the_cli_options() -> None:
    path = "rubrics/us-immigration-2021.toml"
    card = promisescore.score(promisescore.load(path))
    options = report_options(card, "markdown", sort="score", categories=(card.categories[0].id,))
    expected = cli(
        "report",
        path,
        "--format",
        "markdown",
        "--sort",
        "score",
        "--category",
        card.categories[0].id,
    )
    assert promisescore.render(card, "markdown", options) == expected


@pytest.mark.parametrize("path", BUNDLED)
def test_score_and_badge(path: str) -> None:
    card = promisescore.score(promisescore.load(path))
    assert render(card, "badge") == cli("badge", path)
    json_options = report_options(card, "json", history=None)
    assert "".join(render_iter(card, "json", json_options)) == cli(
        "score", path, "--format", "json"
    )
    assert render(card, "summary") == cli("score", path)


@pytest.mark.parametrize("fmt", formats("timeline"))
def test_timeline(fmt: str) -> None:
    path = BUNDLED[0]
    result = timeline(promisescore.load(path))
    assert render(result, fmt) == cli("timeline", path, "--format", fmt)


@pytest.mark.parametrize("fmt", formats("diff"))
def test_diff(fmt: str) -> None:
    path = "rubrics/us-immigration-2021.toml"
    rubric = promisescore.load(path)
    old, new = promisescore.score(rubric, "2021-04-30"), promisescore.score(rubric)
    result = diff(old, new, old_label=path, new_label=path)
    assert render(result, fmt) == cli("diff", f"{path}@2021-04-30", path, "--format", fmt)


@pytest.mark.parametrize("fmt", formats("agreement"))
def test_agreement(fmt: str) -> None:
    path = "rubrics/us-immigration-2021.toml"
    result = agreement(promisescore.load(path))
    assert render(result, fmt) == cli("agree", path, "--format", fmt)


@pytest.mark.parametrize("fmt", formats("sensitivity"))
def test_sensitivity(fmt: str) -> None:
    path = "rubrics/us-immigration-2021.toml"
    result = sensitivity(promisescore.load(path), 50, 3)
    expected = cli("sensitivity", path, "--samples", "50", "--seed", "3", "--format", fmt)
    assert render(result, fmt) == expected


@pytest.mark.parametrize("fmt", formats("comparison"))
def test_compare(fmt: str) -> None:
    result = compare([promisescore.load(p) for p in BUNDLED], None, "category")
    assert render(result, fmt) == cli("compare", *BUNDLED, "--by", "category", "--format", fmt)


@pytest.mark.parametrize("fmt", formats("explanation"))
def test_explain(fmt: str) -> None:
    path = "rubrics/us-immigration-2021.toml"
    rubric = promisescore.load(path)
    promise = rubric.promises[0].id
    result = promisescore.explain(rubric, promise)
    assert render(result, fmt) == cli("explain", path, promise, "--format", fmt)


@pytest.mark.parametrize("fmt", formats("check"))
def test_check(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    results = [promisescore.check(path) for path in BUNDLED]
    assert render(CheckReport(tuple(results)), fmt) == cli("check", *BUNDLED, "--format", fmt)
    assert render(results, fmt) == render(CheckReport(tuple(results)), fmt)


@pytest.mark.parametrize("fmt", formats("scales"))
def test_scales(fmt: str) -> None:
    assert render(ScalePresets(), fmt) == cli("scales", "--format", fmt)
