"""The ``promisescore`` command line: a thin layer over the library.

Each module here holds a few commands; a command parses options, calls the library and
maps errors to exit codes (FORMAT.md §6: 0 success, 1 findings, 2 usage). Nothing here
computes or formats results: that is the library's and the renderers' job. The library
is imported inside each command, so ``promisescore --version`` starts fast.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any

import click

from .._version import __version__
from .common import CONTEXT_SETTINGS


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM, so that ``finally`` blocks (which remove
    temporary files) run before the process exits with 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


class _Group(click.Group):
    """The command group, with interrupts mapped to the shell's exit codes: Ctrl-C
    (SIGINT) exits 130 and SIGTERM 143, each after cleaning up (Click's own default
    would be 1, "Aborted!")."""

    def invoke(self, ctx: click.Context) -> Any:
        previous: Any = None
        main_thread = threading.current_thread() is threading.main_thread()
        if main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            sys.stderr.flush()
            raise click.exceptions.Exit(128 + signal.SIGINT) from None
        except Terminated as exc:
            click.echo("terminated", err=True)
            raise click.exceptions.Exit(128 + exc.signum) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
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
    from . import analysis, check, edit, init, report, schema, site, spreadsheet

    for module in (check, report, analysis, schema, init, spreadsheet, edit, site):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

__all__ = ["main"]
