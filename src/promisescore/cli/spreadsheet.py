"""The spreadsheet commands: ``import`` (CSV files, a directory or a workbook to a
rubric) and ``export`` (a rubric to CSV files and settings.toml, or a workbook)."""

from __future__ import annotations

from datetime import date

import click

from ..starter import SCALES as _SCALES
from .common import DATE, EXIT_USAGE, fail, fail_with_problems, handle_errors


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
    from ..errors import Problem
    from ..serialize import dumps
    from ..spreadsheets import (
        CsvImportError,
        ImportOptions,
        MissingExtraError,
        ReportInfo,
        import_csv,
        import_from,
    )
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
    options = ImportOptions(
        scale=scale,
        report=info,
        ignore_columns=ignore_columns,
        date_format=date_format,
        warnings=found,
    )
    try:
        if source is not None:
            rubric = import_from(source, options)
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
                options=options,
            )
    except MissingExtraError as exc:
        fail(str(exc), EXIT_USAGE)
    except CsvImportError as exc:
        count = len(exc.problems)
        fail_with_problems(
            [*found, *exc.problems],
            f"nothing imported: {count} problem{'s' if count != 1 else ''} "
            "(rows are numbered as in a spreadsheet: the header is row 1)",
        )
    for problem in found:
        click.echo(problem.format(), err=True)
    syntax = "json" if output is not None and output.lower().endswith(".json") else "toml"
    inputs = [
        p for p in (promises, evidence, assessments, categories, criteria, assessors, settings) if p
    ]
    if source is not None:
        inputs.append(source)
    from ..locking import locked

    with locked([output]):  # not while an `add` or `fmt` edits the rubric replaced
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
    from ..spreadsheets import MissingExtraError, export_to, import_command
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


COMMANDS = [import_, export]
