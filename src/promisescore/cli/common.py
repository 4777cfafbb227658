"""What the commands share: option types, error → exit-code mapping, safe output."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from ..errors import Problem

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXIT_FINDINGS = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A ``YYYY-MM-DD`` date."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if type(value) is date:
            return value
        from ..dates import parse_date

        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()


class DurationParam(click.ParamType):  # type: ignore[type-arg]
    """An ISO-8601 duration such as ``P3M`` (years, months, weeks, days)."""

    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..dates import Duration

        try:
            Duration.parse_option(
                str(value), f"--{param.name}" if param is not None else "duration"
            )
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return str(value)


DURATION = DurationParam()


def format_option(choices: Sequence[str], help: str | None = None) -> Callable[[F], F]:
    """``--format`` (the ``fmt`` parameter): one of ``choices``, ``text`` by default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help=help,
    )


def output_option(func: F) -> F:
    """``--output``/``-o PATH``: where :func:`emit` writes (atomically), ``-`` for stdout."""
    return click.option(
        "--output",
        "-o",
        metavar="PATH",
        help="Write here (atomically) instead of stdout; '-' is stdout. Never an input file.",
    )(func)


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def fail_with_problems(problems: Iterable[Problem], message: str) -> NoReturn:
    """Print each problem (``file:line: CODE message``) on stderr, then fail with
    ``message`` and exit 1 (findings)."""
    for problem in problems:
        click.echo(problem.format(), err=True)
    fail(message, EXIT_FINDINGS)


def handle_errors(func: F) -> F:
    """Turn the library's errors into a clear message and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import InputFileError, RubricError, UnknownIdError
        from ..safe_write import OutputError

        try:
            return func(*args, **kwargs)
        except InputFileError as exc:
            fail(str(exc), EXIT_USAGE)
        except RubricError as exc:
            errors = len(exc.errors)
            fail_with_problems(
                exc.problems,
                f"the rubric is invalid ({errors} error{'s' if errors != 1 else ''}); "
                "run `promisescore check` for details",
            )
        except UnknownIdError as exc:
            fail(str(exc), EXIT_USAGE)
        except OutputError as exc:
            fail(str(exc), EXIT_USAGE)
        except RecursionError:
            fail("the input is nested too deeply to process", EXIT_FINDINGS)

    return wrapper  # type: ignore[return-value]


def use_color(err: bool = False) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stderr if err else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width(width: int | None = None) -> int:
    """The width text output is laid out for: ``--width``, else ``COLUMNS`` (a positive
    whole number), else the terminal's, else 100 (a pipe or a file); at least 40, at
    most :data:`MAX_WIDTH`."""
    if width is None:
        columns = os.environ.get("COLUMNS", "").strip()
        if columns.isascii() and columns.isdigit() and 0 < len(columns) <= 9 and int(columns):
            width = int(columns)
        elif sys.stdout.isatty():
            width = shutil.get_terminal_size((100, 24)).columns
        else:
            width = 100
    return min(max(40, width), MAX_WIDTH)


#: The widest layout the text format makes (``RenderOptions.width``'s bound): a wider
#: ``--width`` or ``COLUMNS`` is taken as this.
MAX_WIDTH = 100_000


def text_layout(fmt: str, output: str | None, width: int | None = None) -> tuple[bool, int]:
    """``(color, width)`` for rendering: colour only for text to a terminal; the width of
    :func:`terminal_width` wherever the text goes (a file or a pipe too)."""
    to_terminal = output in (None, "-") and fmt == "text"
    return to_terminal and use_color(), terminal_width(width)


def input_files(rubric: Any) -> list[str]:
    """Every file a loaded rubric was read from (never to be overwritten)."""
    origin = getattr(rubric, "origin", None)
    files = getattr(origin, "files", {}) or {}
    return [str(source.path) for source in files.values() if source.path is not None]


def emit(
    text: str, output: str | None, inputs: Iterable[str] = (), *, replace: bool = True
) -> None:
    """Print ``text``, or write it atomically to ``output`` (``-`` is stdout).

    With ``replace=False`` an existing ``output`` is never replaced (``--force`` off)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from ..safe_write import OutputError, refuse_inputs, write_atomic, write_new

    refuse_inputs(output, inputs)
    target = Path(output)
    if replace or (target.exists() and not target.is_file()):  # a device: written through
        write_atomic(output, text)
    else:
        try:
            write_new(output, text)
        except FileExistsError:
            raise OutputError(
                f"{output} already exists; not replacing it (add --force to replace it)"
            ) from None
    click.echo(f"wrote {output}", err=True)


def load_rubric(path: str, progress: Any = None) -> Any:
    from ..loading import load

    return load(path, progress=progress)
