"""``check`` (validate rubric files) and ``scales`` (list the built-in scales)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from ..renderers import formats
from .common import EXIT_FINDINGS, EXIT_USAGE, fail, format_option, handle_errors
from .gates import gate_options, read_baseline, require_categories

if TYPE_CHECKING:
    from ..gates import GateResult, GateSettings
    from ..loading import CheckResult
    from ..scoring import Scorecard


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=click.Path())
@gate_options
@format_option(
    formats("check"), "Output format: github prints GitHub Actions annotations, junit JUnit XML."
)
@handle_errors
def check(files: tuple[str, ...], settings: GateSettings, fmt: str) -> None:
    """Validate rubric files: every error and warning, with file and line.

    Problems print as `FILE:LINE: CODE message — hint`, like ruff and mypy, grouped by
    file in source order. Exit 1 when any file has errors, warnings with --strict, or a
    failed gate; exit 2 when a file cannot be read or an option is invalid. Gates and
    --strict can also be set in [tool.promisescore] of pyproject.toml (docs/ci.md).

    An included file (no `format`, only lists) is checked through the rubric that
    includes it, so pre-commit can pass any changed file.

    \b
    Examples:
      promisescore check rubrics/*.toml --strict
      promisescore check rubrics/us-immigration-2021.toml --fail-under 0.25 --min-coverage 0.75
      promisescore check rubrics/*.toml --format github
    """
    from ..errors import InputFileError
    from ..gates import gate_checks
    from ..loading import check as check_file
    from ..loading.roots import including_rubrics
    from ..scoring.verdicts import with_verdict_warnings
    from .progress import progress_on_terminal

    targets: list[str] = []
    notes: list[str] = []
    orphans: set[str] = set()
    for name in files:
        roots = including_rubrics(name)
        if roots:
            notes.append(f"{name}: included by {', '.join(roots)}; checking that instead")
        elif roots is not None:
            orphans.add(name)
        for target in roots or [name]:
            if target not in targets:
                targets.append(target)
    if settings.baseline is not None and len(targets) > 1:
        fail(
            f"--baseline compares one rubric with its saved scores, but {len(targets)} "
            "rubrics are checked; check them one at a time",
            EXIT_USAGE,
        )
    baseline = read_baseline(settings)

    results: list[CheckResult] = []
    unreadable = False
    for name in targets:
        try:
            with progress_on_terminal() as progress:
                result = with_verdict_warnings(check_file(name, progress=progress))
        except InputFileError as exc:
            unreadable = True
            click.echo(f"error: {exc}", err=True)
            continue
        results.append(_hint_orphan(result) if name in orphans else result)

    step_summary = os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "github" else None
    gates, cards = gate_checks(results, settings, baseline, scorecards=bool(step_summary))
    if settings.fail_under_category:
        require_categories(settings, list(cards.values()))
    if step_summary:
        _write_step_summary(step_summary, results, cards, gates)
    shown_gates = gates if settings.active else None
    from ..renderers import render
    from ..renderers.problems import CheckReport

    report = CheckReport(tuple(results), settings.strict, shown_gates, tuple(notes))
    click.echo(render(report, fmt), nl=False)
    if unreadable:
        sys.exit(EXIT_USAGE)
    failed_gate = any(not g.passed for items in gates.values() for g in items)
    if any(r.errors for r in results) or failed_gate:
        sys.exit(EXIT_FINDINGS)


def _hint_orphan(result: CheckResult) -> CheckResult:
    """For an included file no rubric includes: say so on its missing-format error."""
    import attrs

    hint = (
        "this looks like an included file, but no rubric in its directory or above "
        "includes it; check the rubric that should include it, or add format = 1, "
        "[report] and [scale] to make it a rubric"
    )
    problems = tuple(attrs.evolve(p, hint=hint) if p.code == "E008" else p for p in result.problems)
    return attrs.evolve(result, problems=problems)


def _write_step_summary(
    path: str,
    results: Sequence[CheckResult],
    cards: dict[str, Scorecard],
    gates: dict[str, tuple[GateResult, ...]],
) -> None:
    """Append each valid rubric's Markdown report card to $GITHUB_STEP_SUMMARY."""
    from ..renderers import RenderOptions, render
    from ..renderers.github import step_summary
    from ..safe_write import OutputError, append_text

    parts = []
    for result in results:
        card = cards.get(result.file)
        if card is None:
            continue
        markdown = render(card, "markdown", RenderOptions(warnings=result.warnings))
        parts.append(step_summary(result.file, markdown, gates.get(result.file, ())))
    if parts:
        try:
            append_text(path, "".join(parts))
        except OutputError as exc:
            click.echo(f"warning: {exc}", err=True)


@click.command()
@format_option(formats("scales"))
def scales(fmt: str) -> None:
    """List the built-in scales with their levels, values and which are final.

    \b
    Example:
      promisescore scales
    """
    from ..renderers import render
    from ..renderers.scales import ScalePresets

    click.echo(render(ScalePresets(), fmt), nl=False)


COMMANDS = [check, scales]
