"""The ``promisescore`` command line: a thin layer over the library.

Each module here holds a few commands; a command parses options, calls the library and
maps errors to exit codes (FORMAT.md §6: 0 success, 1 findings, 2 usage). Nothing here
computes or formats results: that is the library's and the renderers' job. The library
is imported inside each command, so ``promisescore --version`` starts fast.
"""

from __future__ import annotations

import click

from .._version import __version__
from .common import CONTEXT_SETTINGS


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", "-V", prog_name="promisescore")
def main() -> None:
    """Score how far promises were fulfilled, from plain rubric files.

    Rubric files (TOML or JSON) hold promises, dated evidence and assessors' ratings;
    promisescore computes weighted fulfillment scores as of any date and prints report
    cards. Exit codes: 0 success, 1 findings (invalid rubric or a failed gate),
    2 usage (bad option, missing or unreadable file).

    \b
    Start with:
      promisescore check rubrics/us-immigration-2021.toml
      promisescore report rubrics/us-immigration-2021.toml
    """


def _register() -> None:
    from . import analysis, check, ci, edit, report

    for module in (check, report, analysis, ci, edit):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

__all__ = ["main"]
