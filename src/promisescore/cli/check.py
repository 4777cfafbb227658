"""``check`` (validate rubric files) and ``scales`` (list the built-in scales)."""

from __future__ import annotations

import sys

import click

from .common import EXIT_FINDINGS, EXIT_USAGE, handle_errors


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@handle_errors
def check(files: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Validate rubric files: every error and warning, with file and line.

    Problems print as `FILE:LINE: CODE message — hint`, like ruff and mypy, grouped by
    file in source order. Exit 1 when any file has errors (or warnings, with --strict);
    exit 2 when a file cannot be read.

    \b
    Example:
      promisescore check rubrics/*.toml --strict
    """
    from ..errors import InputFileError
    from ..loading import check as check_file
    from ..render.problems import render_json, render_text
    from .progress import progress_on_terminal

    results = []
    unreadable = False
    for name in files:
        try:
            with progress_on_terminal() as progress:
                results.append(check_file(name, progress=progress))
        except InputFileError as exc:
            unreadable = True
            click.echo(f"error: {exc}", err=True)
    if fmt == "json":
        click.echo(render_json(results), nl=False)
    elif results:
        click.echo(render_text(results, strict=strict), nl=False)
    if unreadable:
        sys.exit(EXIT_USAGE)
    if any(r.errors for r in results) or (strict and any(r.warnings for r in results)):
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def scales(fmt: str) -> None:
    """List the built-in scales with their levels, values and which are final.

    \b
    Example:
      promisescore scales
    """
    from ..render.scales import render_json, render_text

    click.echo(render_json() if fmt == "json" else render_text(), nl=False)


COMMANDS = [check, scales]
