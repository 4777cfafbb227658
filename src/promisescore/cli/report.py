"""``score``, ``explain``, ``report`` and ``badge``: from a rubric to published numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..i18n import LANGUAGES
from ..renderers import REPORT_FORMATS, SCORE_FORMATS, SORT_KEYS, formats
from .common import (
    DATE,
    emit,
    format_option,
    handle_errors,
    input_files,
    load_rubric,
    output_option,
    terminal_width,
    text_layout,
    use_color,
)
from .gates import gate_options

if TYPE_CHECKING:
    from ..gates import GateSettings


def scoring_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--assessor",
        metavar="NAME",
        help="Count only this assessor's assessments.",
    )(func)
    func = click.option(
        "--as-of",
        "as_of",
        type=DATE,
        metavar="DATE",
        help="Score as of this date (default: report.as_of, else the latest dated item).",
    )(func)
    return func


@click.command()
@click.argument("file", type=click.Path())
@scoring_options
@format_option(SCORE_FORMATS)
@handle_errors
def score(file: str, as_of: date | None, assessor: str | None, fmt: str) -> None:
    """Score a rubric: overall score, grade, coverage and the counts by level.

    `--format json` prints the document of FORMAT.md §5 with each promise's trace.

    \b
    Examples:
      promisescore score rubrics/us-immigration-2021.toml
      promisescore score rubrics/us-immigration-2021.toml --as-of 2021-04-30 --format json
    """
    from ..cards import ReportCard
    from ..renderers import RenderOptions, render_iter, report_options
    from ..scoring import score as compute
    from .progress import progress_on_terminal

    with progress_on_terminal() as progress:
        rubric = load_rubric(file, progress)
        card = compute(rubric, as_of, assessor, progress=progress)
    if fmt == "json":
        options = report_options(ReportCard(card, with_history=False), "json")
    else:
        options = RenderOptions(color=use_color(), width=terminal_width())
    for piece in render_iter(card, "json" if fmt == "json" else "summary", options):
        click.echo(piece, nl=False)


@click.command()
@click.argument("file", type=click.Path())
@click.argument("promise_id", metavar="PROMISE_ID")
@scoring_options
@format_option(formats("explanation"))
@handle_errors
def explain(file: str, promise_id: str, as_of: date | None, assessor: str | None, fmt: str) -> None:
    """Explain how one promise's score came about.

    Every assessor's latest rating with its date and cited evidence, the consensus rule,
    the criteria or target arithmetic, the deadline, and how far the category and overall
    scores would move if the promise were kept or broken.

    \b
    Example:
      promisescore explain rubrics/us-immigration-2021.toml restore-asylum-access
    """
    from ..renderers import render
    from ..scoring import explain as compute

    result = compute(load_rubric(file), promise_id, as_of, assessor)
    click.echo(render(result, fmt), nl=False)


def _archived(rubric: Any, fmt: str, archive_root: str | None) -> dict[str, Any]:
    """``verified=`` for :func:`report_options` when --archive-root is given."""
    if archive_root is None:
        return {}
    if fmt != "html":
        raise click.UsageError("--archive-root goes with --format html")
    from ..archives import verified_quotes

    return {"verified": verified_quotes(rubric, archive_root=archive_root)}


@click.command()
@click.argument("file", type=click.Path())
@scoring_options
@format_option(REPORT_FORMATS, "Output format.")
@output_option
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="ID",
    help="Only this category (repeatable).",
)
@click.option(
    "--sort",
    type=click.Choice(SORT_KEYS),
    default="file",
    show_default=True,
    help="Order of the promise table.",
)
@click.option(
    "--detail",
    is_flag=True,
    help="HTML: show what editors check: ids, formulas, cited evidence ids, warnings.",
)
@click.option(
    "--fragment",
    is_flag=True,
    help="HTML: write a snippet to paste into a page (scoped styles, no <html> or <head>).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="HTML: interface language (default: the rubric's [report] lang, else en).",
)
@click.option(
    "--archive-root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="HTML: resolve sources' `archive` paths relative to DIR (as `verify` does) to "
    "mark quotes checked against their archived copies.",
)
@click.option(
    "--width",
    type=click.IntRange(min=1, max=100_000, clamp=True),
    metavar="COLUMNS",
    help="Text: lay the report out for this many columns (default: COLUMNS, else the "
    "terminal's, else 100; at least 40, at most 100,000).",
)
@gate_options
@handle_errors
def report(
    file: str,
    as_of: date | None,
    assessor: str | None,
    fmt: str,
    output: str | None,
    categories: tuple[str, ...],
    sort: str,
    detail: bool,
    fragment: bool,
    lang: str | None,
    archive_root: str | None,
    width: int | None,
    settings: GateSettings,
) -> None:
    """Print a report card: terminal, Markdown, HTML, JSON or CSV.

    With gates (--fail-under and friends, or [tool.promisescore] in pyproject.toml), the
    report is written all the same; then the gate results go to stderr and the exit code
    is 1 if one failed (docs/ci.md).

    \b
    Examples:
      promisescore report rubrics/us-immigration-2021.toml
      promisescore report rubrics/us-immigration-2021.toml --format html -o card.html
      promisescore report rubrics/us-immigration-2021.toml --format html --fragment -o card-snippet.html
      promisescore report rubrics/us-immigration-2021.toml --format html --lang fr -o fiche.html
      promisescore report rubrics/us-immigration-2021.toml --format markdown --sort score
      promisescore report rubrics/us-immigration-2021.toml -o card.md --format markdown \\
          --fail-under 0.25
    """
    from ..cards import ReportCard
    from ..renderers import render, report_options
    from ..scoring import score as compute
    from .gates import exit_for_gates, read_baseline, require_categories
    from .progress import progress_on_terminal

    if (detail or fragment) and fmt != "html":
        raise click.UsageError("--detail and --fragment go with --format html")
    if lang is not None and fmt != "html":
        raise click.UsageError("--lang goes with --format html (the site has its own --lang)")
    with progress_on_terminal() as progress:
        rubric = load_rubric(file, progress)
        baseline = read_baseline(settings)
        card = compute(rubric, as_of, assessor, progress=progress)
    for category in categories:
        card.category(category)  # unknown id → UnknownIdError with near matches
    if settings.fail_under_category:
        require_categories(settings, [card])
    color, columns = text_layout(fmt, output, width)
    shown = ReportCard(card)
    options = report_options(
        shown,
        fmt,
        categories=categories,
        sort=sort,
        color=color,
        width=columns,
        detail=detail,
        fragment=fragment,
        lang=lang,
        **_archived(rubric, fmt, archive_root),
    )
    emit(render(card, fmt, options), output, input_files(rubric))
    if settings.active:
        from ..gates import evaluate
        from ..renderers.problems import gate_line

        results = evaluate(card, settings, baseline, shown.warnings)
        for result in results:
            click.echo(gate_line(file, result), err=True)
        exit_for_gates(results)


@click.command()
@click.argument("file", type=click.Path())
@scoring_options
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    default="-",
    show_default=True,
    help="Write the SVG here (atomically); '-' is stdout.",
)
@click.option("--label", default="promises", show_default=True, help="Left-hand text.")
@handle_errors
def badge(file: str, as_of: date | None, assessor: str | None, output: str, label: str) -> None:
    """Make a shields-style SVG badge ("promises | 49% F").

    \b
    Example:
      promisescore badge rubrics/us-immigration-2021.toml -o badge.svg
    """
    from ..renderers import RenderOptions, render
    from ..scoring import score as compute
    from .progress import progress_on_terminal

    with progress_on_terminal() as progress:
        rubric = load_rubric(file, progress)
        card = compute(rubric, as_of, assessor, progress=progress)
    emit(render(card, "badge", RenderOptions(label=label)), output, input_files(rubric))


COMMANDS = [score, explain, report, badge]
