"""The one renderer registry: every entry resolves, one lookup, one error, and the
CLI's --format choices are the registry's."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import attrs
import click
import pytest

import promisescore
from promisescore.cli import main
from promisescore.renderers import (
    REGISTRY,
    REPORT_FORMATS,
    SCORE_FORMATS,
    SUBJECTS,
    RenderOptions,
    UnknownFormatError,
    formats,
    render,
    renderer,
    report_options,
    subject_of,
)

REPO = Path(__file__).resolve().parents[1]
CLI = REPO / "src" / "promisescore" / "cli"


@pytest.mark.parametrize(("subject", "fmt"), list(REGISTRY))
def test_every_entry_is_a_renderer(subject: str, fmt: str) -> None:
    function = renderer(subject, fmt)
    params = list(inspect.signature(function).parameters)
    assert len(params) == 2, (subject, fmt, params)


def test_every_subject_has_a_type_and_formats() -> None:
    subjects = {what for what, _ in REGISTRY}
    assert set(SUBJECTS.values()) == subjects
    for subject in subjects:
        assert formats(subject)


@pytest.mark.parametrize("subject", sorted({what for what, _ in REGISTRY}))
def test_the_same_error_for_an_unknown_format(subject: str) -> None:
    with pytest.raises(UnknownFormatError, match=f"unknown format 'pdf' for a {subject}; choose"):
        renderer(subject, "pdf")


def test_render_dispatches_on_the_type() -> None:
    rubric = promisescore.load(REPO / "tests" / "fixtures" / "report-card.toml")
    card = promisescore.score(rubric)
    assert subject_of(card) == "scorecard"
    assert card.rubric is rubric
    timeline = promisescore.timeline(rubric)
    assert subject_of(timeline) == "timeline"
    assert render(timeline, "csv").startswith("as_of,marks,line,")
    with pytest.raises(UnknownFormatError):
        render(timeline, "markdown")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(card, "pdf")
    with pytest.raises(TypeError, match="cannot render a dict"):
        render({}, "text")


def test_report_and_score_formats_are_registered() -> None:
    assert set(REPORT_FORMATS) < set(formats("scorecard"))
    assert set(SCORE_FORMATS) - {"text"} <= set(formats("scorecard"))


def _choices(command: click.Command) -> dict[str, tuple[str, ...]]:
    return {
        p.name or "": tuple(p.type.choices)
        for p in command.params
        if isinstance(p.type, click.Choice) and p.name == "fmt"
    }


@pytest.mark.parametrize(
    ("command", "subject"),
    [
        ("report", None),
        ("explain", "explanation"),
        ("timeline", "timeline"),
        ("diff", "diff"),
        ("agree", "agreement"),
        ("sensitivity", "sensitivity"),
        ("compare", "comparison"),
        ("check", "check"),
        ("scales", "scales"),
    ],
)
def test_format_choices_come_from_the_registry(command: str, subject: str | None) -> None:
    assert isinstance(main, click.Group)
    found = _choices(main.commands[command])["fmt"]
    assert found == (REPORT_FORMATS if subject is None else formats(subject))


def test_no_format_choice_list_is_written_out_in_the_cli() -> None:
    copied = re.compile(r'Choice\(\[\s*"(text|json)"')
    for path in CLI.glob("*.py"):
        assert not copied.search(path.read_text(encoding="utf-8")), path.name


def test_the_rubric_a_card_carries_is_not_part_of_its_data() -> None:
    rubric = promisescore.load(REPO / "tests" / "fixtures" / "report-card.toml")
    card = promisescore.score(rubric)
    bare = attrs.evolve(card, rubric=None)
    assert card.rubric is rubric
    assert bare.rubric is None
    assert card == bare
    assert "rubric=" not in repr(card)
    assert render(card, "json", RenderOptions()) == render(bare, "json", RenderOptions())
    assert render(card, "csv") == render(bare, "csv")


def test_report_options_follow_the_cli_and_take_overrides() -> None:
    rubric = promisescore.load(REPO / "rubrics" / "us-immigration-2021.toml")
    card = promisescore.score(rubric, "2022-01-20")
    html = report_options(card, "html")
    assert html.rubric is rubric
    assert html.history is not None
    assert len(html.history.points) > 1
    assert html.warnings == tuple(promisescore.lint(rubric))
    text = report_options(card, "text", sort="score", width=80)
    assert (text.history, text.rubric, text.sort, text.width) == (None, None, "score", 80)
    assert report_options(card, "json", history=None).history is None
    # a card built without its rubric: nothing to add
    assert report_options(attrs.evolve(card, rubric=None), "html") == RenderOptions()
