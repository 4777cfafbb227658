"""The ``init`` command: a commented starter rubric, or spreadsheet templates."""

from __future__ import annotations

import click

from ..starter import DEFAULT_FORMAT, FORMAT_VERSIONS, SCALES
from .common import EXIT_USAGE, fail, handle_errors


@click.command()
@click.argument("path", default="rubric.toml", type=click.Path(dir_okay=False))
@click.option(
    "--scale",
    type=click.Choice(SCALES),
    default="politifact",
    show_default=True,
    help="The rating scale of the starter rubric.",
)
@click.option(
    "--format-version",
    "format_version",
    type=click.Choice(FORMAT_VERSIONS),
    default=DEFAULT_FORMAT,
    show_default=True,
    help='The rubric format: "1.2" (a desk whose verdict is the headline, only what an '
    'assessor said), "1.1" (assessors with roles, effective dates, staleness, optional '
    "grades) or 1.",
)
@click.option(
    "--from-csv",
    "from_csv",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write spreadsheet templates (promises.csv, evidence.csv, assessments.csv, "
    "categories.csv, criteria.csv, assessors.csv, settings.toml) into DIR instead of a "
    "TOML rubric; "
    "fill them in, then `promisescore import --from DIR`.",
)
@handle_errors
def init(path: str, scale: str, format_version: str, from_csv: str | None) -> None:
    """Write a commented starter rubric (default rubric.toml) that passes `check`.

    It shows every kind of object, with commented examples of a target promise and a
    criteria promise. With --from-csv DIR, writes the same starter as spreadsheet
    templates instead. Never overwrites a file. The starter is format 1.2, with one
    assessor of role desk, unless --format-version 1.1 or 1.

    \b
    Examples:
      promisescore init
      promisescore init rubrics/my-tracker.toml --scale polimetre
      promisescore init --from-csv sheets/
    """
    from ..safe_write import OutputError, write_new
    from ..starter import starter_rubric, starter_sheets

    if from_csv is not None:
        from pathlib import Path

        sheets = starter_sheets(scale, format_version)
        base = Path(from_csv)
        existing = [str(base / name) for name in sheets if (base / name).exists()]
        if existing:
            fail(
                f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                "not overwriting (choose another directory)",
                EXIT_USAGE,
            )
        try:
            base.mkdir(parents=True, exist_ok=True)
            for name, text in sheets.items():
                write_new(base / name, text)
                click.echo(f"wrote {base / name}", err=True)
        except FileExistsError as exc:
            fail(f"{exc} already exists; not overwriting it", EXIT_USAGE)
        except OSError as exc:
            fail(f"cannot write into {from_csv}: {exc}", EXIT_USAGE)
        except OutputError as exc:
            fail(str(exc), EXIT_USAGE)
        click.echo(
            f"next: replace the example rows in {base}/ (one row per promise, evidence, "
            f"assessment; report and scale in {base / 'settings.toml'}), then\n"
            f"  promisescore import --from {from_csv} -o {path}",
            err=True,
        )
        return
    if not path.lower().endswith(".toml"):
        fail(f"{path}: the starter rubric is TOML; give a path ending in .toml", EXIT_USAGE)
    try:
        write_new(path, starter_rubric(scale, path, format_version))
    except FileExistsError:
        fail(f"{path} already exists; not overwriting it (choose another path)", EXIT_USAGE)
    except OutputError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"wrote {path}; next: promisescore check {path}", err=True)


COMMANDS = [init]
