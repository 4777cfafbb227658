"""The ``schema`` command: the JSON Schema of rubric files."""

from __future__ import annotations

import click

from .common import handle_errors


@click.command()
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    help="Write the schema here (atomically) instead of stdout; never over an existing file.",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@handle_errors
def schema(output: str | None, force: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of rubric files (formats 1, 1.1 and 1.2).

    Point your editor at it for completion and validation: Even Better TOML (Taplo) for
    TOML rubrics, VS Code's json.schemas for JSON ones (docs/ci.md).

    \b
    Example:
      promisescore schema -o promisescore.schema.json
    """
    from ..schema import schema_text
    from .common import emit

    emit(schema_text(), output, replace=force)


COMMANDS = [schema]
