"""The ``promisescore`` command line: a thin layer over the library.

Each module here holds a few commands; a command parses options, calls the library and
maps errors to exit codes (FORMAT.md §6: 0 success, 1 findings, 2 usage). Nothing here
computes or formats results: that is the library's and the renderers' job.

Start-up is kept short twice over: a command's module is imported only when that command
runs (or when ``--help`` lists it: :data:`COMMAND_MODULES`, Click's "lazy loading of
subcommands" pattern), and the library is imported inside each command. So
``promisescore --version`` imports click and this module only (docs/performance.md).
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any

import click

from .._gc import paused_gc
from .._version import __version__
from .common import CONTEXT_SETTINGS

#: Each command's module in this package, so that running one command imports one
#: module. ``tests/test_cli.py`` checks this table against the modules' ``COMMANDS``.
COMMAND_MODULES: dict[str, str] = {
    "check": "check",
    "scales": "check",
    "score": "report",
    "explain": "report",
    "report": "report",
    "badge": "report",
    "timeline": "analysis",
    "diff": "analysis",
    "agree": "analysis",
    "sensitivity": "analysis",
    "compare": "analysis",
    "schema": "schema",
    "init": "init",
    "import": "spreadsheet",
    "export": "spreadsheet",
    "add": "edit",
    "fmt": "edit",
    "site": "site",
    "verify": "archives",
    "archive": "archives",
}


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM, so that ``finally`` blocks (which remove
    temporary files) run before the process exits with 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


class _Group(click.Group):
    """The command group: commands loaded on first use, and interrupts mapped to the
    shell's exit codes: Ctrl-C (SIGINT) exits 130 and SIGTERM 143, each after cleaning
    up (Click's own default would be 1, "Aborted!").

    :meth:`get_command` imports only the named command's module; :meth:`list_commands`
    needs no import at all. The ``commands`` mapping (Click's public attribute, used by
    tools that walk the command tree) is complete: reading it loads every module.
    """

    _loaded: set[str]

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        self._load(*COMMAND_MODULES.values())
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value
        self._loaded = set()

    def _load(self, *modules: str) -> None:
        import importlib

        for name in modules:
            if name in self._loaded:
                continue
            self._loaded.add(name)
            module = importlib.import_module(f"{__name__}.{name}")
            for command in module.COMMANDS:
                self._commands[command.name or ""] = command

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None:
            self._load(module)
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self._commands))

    def invoke(self, ctx: click.Context) -> Any:
        previous: Any = None
        main_thread = threading.current_thread() is threading.main_thread()
        if main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            # A command is one short run building big acyclic structures (the model,
            # the scorecard, the report): the collector is paused for all of it, not
            # only for load() and score(), so that it never walks the model between
            # them (docs/performance.md).
            with paused_gc():
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
