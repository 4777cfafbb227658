"""CI helpers: gate options shared by ``check`` and ``report``; ``schema``, ``init``,
``import`` and ``export``.

Gate settings come from ``[tool.promisescore]`` in the nearest ``pyproject.toml`` and
from the command line, which wins (docs/ci.md). Invalid settings are usage errors
(exit 2); a failed gate is a finding (exit 1).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .common import DATE, EXIT_FINDINGS, EXIT_USAGE, fail, handle_errors

if TYPE_CHECKING:
    from ..gates import Baseline, GateResult, GateSettings
    from ..scoring import Scorecard

# --------------------------------------------------------------------------- gate options


class UnitParam(click.ParamType):  # type: ignore[type-arg]
    """A score, coverage or drop: a number in [0, 1]."""

    name = "SCORE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        from ..gates import SettingsError, parse_unit

        try:
            return parse_unit("the value", str(value))
        except SettingsError as exc:
            self.fail(str(exc), param, ctx)


class CategoryThresholdParam(click.ParamType):  # type: ignore[type-arg]
    """``ID=SCORE``."""

    name = "ID=SCORE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, float]:
        if isinstance(value, tuple):
            return value
        from ..gates import SettingsError, parse_category_threshold

        try:
            return parse_category_threshold(str(value))
        except SettingsError as exc:
            self.fail(str(exc), param, ctx)


UNIT = UnitParam()
CATEGORY_THRESHOLD = CategoryThresholdParam()

_GATE_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option(
        "--fail-under",
        type=UNIT,
        help="Gate: fail (exit 1) when the overall score is below SCORE (0–1).",
    ),
    click.option(
        "--fail-under-category",
        "fail_under_category",
        type=CATEGORY_THRESHOLD,
        multiple=True,
        help="Gate: fail when category ID scores below SCORE (repeatable).",
    ),
    click.option(
        "--min-coverage",
        type=UNIT,
        metavar="C",
        help="Gate: fail when less than C (0–1) of the promise weight is rated.",
    ),
    click.option(
        "--baseline",
        type=click.Path(dir_okay=False),
        metavar="PREVIOUS.json",
        help="Gate: compare with a saved `score --format json`; fail when the overall "
        "score drops by more than --max-drop, or a promise falls from a final level.",
    ),
    click.option(
        "--max-drop",
        type=UNIT,
        metavar="D",
        help="How far the overall score may drop below --baseline (default 0).",
    ),
    click.option(
        "--strict/--no-strict",
        default=None,
        help="Warnings fail too (exit 1). Default: `strict` in pyproject.toml, else off.",
    ),
)

GATE_PARAMS = (
    "fail_under",
    "fail_under_category",
    "min_coverage",
    "baseline",
    "max_drop",
    "strict",
)


def gate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the gate options; the command receives one ``settings: GateSettings``.

    Settings from ``[tool.promisescore]`` (nearest ``pyproject.toml``) are read first and
    the options given on the command line override them.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in GATE_PARAMS}
        kwargs["settings"] = resolve_settings(**values)
        return func(*args, **kwargs)

    command: Callable[..., Any] = wrapper
    for option in reversed(_GATE_OPTIONS):
        command = option(command)
    return command


def resolve_settings(
    *,
    fail_under: float | None = None,
    fail_under_category: Iterable[tuple[str, float]] = (),
    min_coverage: float | None = None,
    baseline: str | None = None,
    max_drop: float | None = None,
    strict: bool | None = None,
) -> GateSettings:
    from ..gates import SettingsError, load_settings

    try:
        settings = load_settings(os.getcwd()).override(
            fail_under=fail_under,
            fail_under_category=fail_under_category,
            min_coverage=min_coverage,
            baseline=baseline,
            max_drop=max_drop,
            strict=strict,
        )
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)
    if max_drop is not None and settings.baseline is None:
        fail(
            "--max-drop limits the drop from a baseline, but no baseline is given; "
            "add --baseline PREVIOUS.json (or baseline in [tool.promisescore])",
            EXIT_USAGE,
        )
    return settings


def read_baseline(settings: GateSettings) -> Baseline | None:
    """The baseline named by the settings (exit 2 when it cannot be read)."""
    if settings.baseline is None:
        return None
    from ..gates import SettingsError, load_baseline

    try:
        return load_baseline(settings.baseline)
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)


def require_categories(settings: GateSettings, cards: Sequence[Scorecard]) -> None:
    """Exit 2 when a ``--fail-under-category`` id is in none of the scorecards."""
    from ..gates import unknown_categories

    messages = unknown_categories(settings, cards)
    if messages:
        for message in messages[:-1]:
            click.echo(f"error: {message}", err=True)
        fail(messages[-1], EXIT_USAGE)


def exit_for_gates(results: Iterable[GateResult]) -> None:
    if any(not r.passed for r in results):
        raise SystemExit(EXIT_FINDINGS)


# --------------------------------------------------------------------------- schema


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
    """Print the JSON Schema (draft 2020-12) of rubric files, format 1.

    Point your editor at it for completion and validation: Even Better TOML (Taplo) for
    TOML rubrics, VS Code's json.schemas for JSON ones (docs/ci.md).

    \b
    Example:
      promisescore schema -o promisescore.schema.json
    """
    from ..schema import schema_text
    from .common import emit

    emit(schema_text(), output, replace=force)


# --------------------------------------------------------------------------- init


@click.command()
@click.argument("path", default="rubric.toml", type=click.Path(dir_okay=False))
@click.option(
    "--scale",
    type=click.Choice(["politifact", "polimetre", "cppg", "percent"]),
    default="politifact",
    show_default=True,
    help="The rating scale of the starter rubric.",
)
@click.option(
    "--format-version",
    "format_version",
    type=click.Choice(["1.1", "1"]),
    default="1.1",
    show_default=True,
    help='The rubric format: "1.1" (assessors with roles, effective dates, staleness, '
    "optional grades) or 1.",
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
    templates instead. Never overwrites a file. The starter is format 1.1 unless
    --format-version 1.

    \b
    Examples:
      promisescore init
      promisescore init rubrics/my-tracker.toml --scale polimetre
      promisescore init --from-csv sheets/
    """
    from ..output import OutputError, write_new
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


# --------------------------------------------------------------------------- import/export


_SCALES = ["politifact", "polimetre", "cppg", "percent"]


@click.command("import")
@click.argument(
    "promises", metavar="[PROMISES.csv]", required=False, type=click.Path(dir_okay=False)
)
@click.argument("evidence", metavar="[EVIDENCE.csv]", required=False, type=click.Path())
@click.argument("assessments", metavar="[ASSESSMENTS.csv]", required=False, type=click.Path())
@click.option(
    "--from",
    "source",
    metavar="DIR|BOOK.xlsx",
    type=click.Path(),
    help="Read everything from a directory (as `export --to DIR` writes it: the CSV files "
    "and settings.toml) or from an Excel workbook with sheets named like the files.",
)
@click.option(
    "--categories",
    "categories",
    metavar="CATEGORIES.csv",
    type=click.Path(dir_okay=False),
    help="Categories (id,title,weight); default: one per category named in PROMISES.csv.",
)
@click.option(
    "--criteria",
    "criteria",
    metavar="CRITERIA.csv",
    type=click.Path(dir_okay=False),
    help="Criteria of promises (promise,id,title,weight), one row per criterion.",
)
@click.option(
    "--assessors",
    "assessors",
    metavar="ASSESSORS.csv",
    type=click.Path(dir_okay=False),
    help="Assessors (id,name,role,url,description): makes a format 1.1 rubric.",
)
@click.option(
    "--settings",
    "settings",
    metavar="SETTINGS.toml",
    type=click.Path(dir_okay=False),
    help="Report, scale, grading (as `export --to` writes settings.toml).",
)
@click.option(
    "--scale",
    type=click.Choice(_SCALES),
    help="The rating scale (a built-in preset); required without settings.",
)
@click.option("--title", help="The report title; required without settings.")
@click.option(
    "--start",
    type=DATE,
    metavar="DATE",
    help="Start of the tracked term; required without settings.",
)
@click.option("--subject", help="Who made the promises.")
@click.option("--end", type=DATE, metavar="DATE", help="End of the term.")
@click.option(
    "--as-of", "as_of", type=DATE, metavar="DATE", help="Default as-of date of the report."
)
@click.option(
    "--ignore-column",
    "ignore_columns",
    multiple=True,
    metavar="NAME",
    help="Leave this column out (repeatable). Other unknown columns are kept in meta.",
)
@click.option(
    "--date-format",
    "date_format",
    metavar="FORMAT",
    help="Also read dates of this strptime form, e.g. %m/%d/%Y (default: only YYYY-MM-DD).",
)
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    help="Write the rubric here (TOML, or JSON for .json) instead of stdout. Never an input, "
    "never over an existing file unless --force.",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@handle_errors
def import_(
    promises: str | None,
    evidence: str | None,
    assessments: str | None,
    source: str | None,
    categories: str | None,
    criteria: str | None,
    assessors: str | None,
    settings: str | None,
    scale: str | None,
    title: str | None,
    start: date | None,
    subject: str | None,
    end: date | None,
    as_of: date | None,
    ignore_columns: tuple[str, ...],
    date_format: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Build a rubric from spreadsheets: CSV files, a directory of them, or a workbook.

    Every bad row is reported with its file and row number (the header is row 1), and
    nothing is written (exit 1). Unknown columns are kept in each row's meta (one
    warning). Numbers may have thousands separators (2,150); dates are YYYY-MM-DD unless
    --date-format is given. Columns are listed in docs/import-export.md.

    \b
    Examples:
      promisescore import --from sheets/ -o tracker.toml
      promisescore import --from tracker.xlsx -o rubric.toml
      promisescore import promises.csv evidence.csv assessments.csv \\
          --scale politifact --title "Campaign promises" --start 2025-01-20 -o rubric.toml
    """
    from ..csvio import CsvImportError, MissingExtraError, ReportInfo, import_csv, import_from
    from ..errors import Problem
    from ..writing import dumps
    from .common import emit

    if source is not None and (
        promises or evidence or assessments or categories or criteria or assessors
    ):
        fail("give either --from DIR|BOOK.xlsx or the CSV files, not both", EXIT_USAGE)
    if source is None and promises is None:
        fail("give the CSV files (PROMISES.csv ...) or --from DIR|BOOK.xlsx", EXIT_USAGE)
    info: ReportInfo | None = None
    if title is not None or start is not None or subject or end or as_of:
        if source is None and settings is None and (title is None or start is None):
            fail("--title and --start are required without settings", EXIT_USAGE)
        info = ReportInfo(
            title=title,  # type: ignore[arg-type]  # None: keep the settings' value
            start=start,  # type: ignore[arg-type]
            subject=subject,
            end=end,
            as_of=as_of,
        )
    elif source is None and settings is None:
        fail("--scale, --title and --start are required without settings", EXIT_USAGE)
    if source is None and settings is None and scale is None:
        fail("--scale is required without settings", EXIT_USAGE)
    found: list[Problem] = []
    try:
        if source is not None:
            rubric = import_from(
                source,
                scale=scale,
                report=info,
                ignore_columns=ignore_columns,
                date_format=date_format,
                warnings=found,
            )
        else:
            assert promises is not None
            rubric = import_csv(
                promises,
                evidence,
                assessments,
                categories=categories,
                criteria=criteria,
                assessors=assessors,
                settings=settings,
                scale=scale,
                report=info,
                ignore_columns=ignore_columns,
                date_format=date_format,
                warnings=found,
            )
    except MissingExtraError as exc:
        fail(str(exc), EXIT_USAGE)
    except CsvImportError as exc:
        for problem in [*found, *exc.problems]:
            click.echo(problem.format(), err=True)
        count = len(exc.problems)
        fail(
            f"nothing imported: {count} problem{'s' if count != 1 else ''} "
            "(rows are numbered as in a spreadsheet: the header is row 1)",
            EXIT_FINDINGS,
        )
    for problem in found:
        click.echo(problem.format(), err=True)
    syntax = "json" if output is not None and output.lower().endswith(".json") else "toml"
    inputs = [
        p for p in (promises, evidence, assessments, categories, criteria, assessors, settings) if p
    ]
    if source is not None:
        inputs.append(source)
    emit(dumps(rubric, syntax), output, inputs, replace=force)


@click.command()
@click.argument("file", type=click.Path())
@click.option(
    "--to",
    "directory",
    required=True,
    metavar="DIR|BOOK.xlsx",
    type=click.Path(),
    help="A directory for promises.csv, evidence.csv, assessments.csv, categories.csv, "
    "criteria.csv and settings.toml; or an Excel workbook (.xlsx) with those sheets.",
)
@handle_errors
def export(file: str, directory: str) -> None:
    """Write a rubric as spreadsheets: CSV files and settings.toml, or an Excel workbook.

    Everything needed to rebuild the rubric is written (the rows, and report, scale,
    grading in settings.toml); `promisescore import --from` reads it back. It prints the
    command that does, and names anything the spreadsheets cannot carry.

    \b
    Examples:
      promisescore export rubrics/us-immigration-2021.toml --to sheets/
      promisescore export rubrics/us-immigration-2021.toml --to tracker.xlsx
    """
    from ..csvio import MissingExtraError, export_to, import_command
    from .common import input_files, load_rubric

    rubric = load_rubric(file)
    try:
        result = export_to(rubric, directory, inputs=input_files(rubric))
    except MissingExtraError as exc:
        fail(str(exc), EXIT_USAGE)
    for path in result.written:
        click.echo(f"wrote {path}", err=True)
    for note in result.not_carried:
        click.echo(f"note: not carried by the spreadsheets: {note}", err=True)
    click.echo("rebuild with:", err=True)
    click.echo("  " + import_command(rubric, result), err=True)


COMMANDS = [schema, init, import_, export]
