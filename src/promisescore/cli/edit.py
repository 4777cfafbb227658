"""Authoring commands: ``add`` (one object into a rubric file) and ``fmt`` (canonical
formatting). The options of ``add`` are generated from the model's keys
(:func:`promisescore.edit.fields`), so a key added to the format gets its option here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from .common import CONTEXT_SETTINGS, EXIT_FINDINGS, EXIT_USAGE, fail, fail_with_problems

#: Help of the options whose wording is the command line's own (how to type the value);
#: other options show the key's doc from the field table.
_HELP: dict[str, str] = {
    "id": "The id (default: made from the title, or from the summary and date).",
    "title": "The title.",
    "category": "The category id.",
    "weight": "How much it counts (> 0; default 1).",
    "made_by": "Who made the promise.",
    "made_on": "When the promise was made (YYYY-MM-DD).",
    "source": "The source: a citation, or the title of a document (see --source-url ...).",
    "deadline": 'A date, a duration from report.start ("P1Y"), or "end-of-term".',
    "authority": "Who can deliver: executive, legislature, courts, shared.",
    "tags": "Tags, comma-separated: --tags wages,labour.",
    "criteria": "A criterion ID=TITLE or ID:WEIGHT=TITLE; repeat for each criterion.",
    "target": "",
    "promise": "The promise id.",
    "criterion": "The criterion id (of the promise's criteria).",
    "date": "The date (YYYY-MM-DD).",
    "summary": "What happened, in one sentence.",
    "effect": "advances (default), regresses or neutral.",
    "value": "A number: the observed metric (evidence) or a fulfillment in [0, 1] (percent scale).",
    "by": "The assessor (default: the rubric's one assessor of role desk).",
    "rating": "The level id of the scale.",
    "evidence": "Evidence ids, comma-separated: --evidence a,b.",
    "note": "A note.",
    "effective": "The day from which the rated standing held (format 1.1; default: date).",
    "meta": "A meta entry KEY=VALUE; repeat for more.",
}

_METAVARS = {
    "date": "DATE",
    "number": "NUMBER",
    "id": "ID",
    "ids": "ID,...",
    "strs": "TEXT,...",
    "deadline": "DEADLINE",
    "bool": "true|false",
}


_ALIAS = "__alias"


def _option_names(key: str) -> list[str]:
    return [f"--{key.replace('_', '-')}"]


def _with_alias(option: click.Option, key: str) -> list[click.Parameter]:
    """The option, and a hidden ``--made_on`` spelling of ``--made-on`` (the key as
    written in rubric files)."""
    if "_" not in key:
        return [option]
    alias = click.Option(
        [f"--{key}", key + _ALIAS],
        multiple=option.multiple,
        hidden=True,
        metavar=option.metavar,
    )
    return [option, alias]


def _params(kind: str) -> list[click.Parameter]:
    from ..edit import fields

    params: list[click.Parameter] = [
        click.Argument(["rubric"], type=click.Path(dir_okay=False), metavar="RUBRIC"),
        click.Option(
            ["--into"],
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="Add to this file, which the rubric includes, or create it when an include "
            "pattern of the rubric matches it (default: the rubric file).",
        ),
        click.Option(
            ["--dry-run"],
            is_flag=True,
            help="Check the addition and print the new table; write nothing.",
        ),
    ]
    for field in fields(kind):
        help_text = _HELP.get(field.key, field.doc or f"The {field.key}.")
        if field.tag == "meta" or field.tag.startswith("tables:"):
            params.extend(
                _with_alias(
                    click.Option(
                        [*_option_names(field.key), field.key],
                        multiple=True,
                        metavar="KEY=VALUE" if field.tag == "meta" else "ID[:WEIGHT]=TITLE",
                        help=help_text,
                    ),
                    field.key,
                )
            )
            continue
        if field.tag != "table:target":
            params.extend(
                _with_alias(
                    click.Option(
                        [*_option_names(field.key), field.key],
                        metavar=_METAVARS.get(field.tag, "TEXT"),
                        help=help_text
                        + (" Required." if field.required and field.key != "id" else ""),
                    ),
                    field.key,
                )
            )
        for part in field.parts:
            key = f"{field.key}_{part.key}"
            params.extend(
                _with_alias(
                    click.Option(
                        [*_option_names(key), key],
                        metavar=_METAVARS.get(part.tag, "TEXT"),
                        help=f"The {part.key} of the {field.key}"
                        + (f" ({', '.join(part.choices)})." if part.choices else "."),
                    ),
                    key,
                )
            )
    return params


@contextmanager
def _refused(rubric: str, into: str | None) -> Iterator[None]:
    """Map a refused edit to its message and exit code: the rubric's problems (exit 1,
    nothing written) or a usage error (exit 2)."""
    from ..edit import EditError
    from ..errors import InputFileError, RubricError
    from ..safe_write import OutputError

    try:
        yield
    except RubricError as exc:
        errors = len(exc.errors)
        fail_with_problems(
            (p if p.file is not None else p.located(rubric, None) for p in exc.problems),
            f"nothing added, {into or rubric} is unchanged "
            f"({errors} error{'s' if errors != 1 else ''})",
        )
    except (EditError, InputFileError, OutputError) as exc:
        fail(str(exc), EXIT_USAGE)


def _run(kind: str, rubric: str, into: str | None, dry_run: bool, options: dict[str, Any]) -> None:
    from ..edit import add, values_from_text

    for name in [n for n in options if n.endswith(_ALIAS)]:
        alias = options.pop(name)
        key = name[: -len(_ALIAS)]
        if alias is not None and alias != ():
            if isinstance(alias, tuple):
                options[key] = (*(options.get(key) or ()), *alias)
            elif options.get(key) is None:
                options[key] = alias
    texts = {k: v for k, v in options.items() if v is not None and v != ()}
    with _refused(rubric, into):
        values = values_from_text(kind, texts)
        result = add(rubric, kind, values, into=into, write=not dry_run)
    for problem in result.warnings:
        click.echo(problem.format(), err=True)
    label = f" {result.ident!r}" if result.ident else ""
    if dry_run:
        from ..edit import insert

        if result.file.lower().endswith(".json"):
            import json

            click.echo(json.dumps(dict(result.data), indent=2, ensure_ascii=False, default=str))
        else:
            click.echo(insert("", "toml", _array(kind), result.data), nl=False)
        click.echo(f"would add {kind}{label} to {result.file} (dry run: nothing written)", err=True)
    else:
        click.echo(f"added {kind}{label} to {result.file}", err=True)


#: the array each kind is added to (``promisescore.edit.ARRAYS``; a test checks they agree)
_TABLES = {"promise": "promises", "evidence": "evidence", "assessment": "assessments"}


def _array(kind: str) -> str:
    from ..edit import ARRAYS

    return ARRAYS[kind]


_EXAMPLES = {
    "promise": 'promisescore add promise rubric.toml --title "Open 3 clinics" --category health',
    "evidence": "promisescore add evidence rubric.toml --promise clinic-hours \\\n"
    '      --date 2025-07-01 --summary "Third clinic opened" --source "City press release" \\\n'
    "      --source-kind claim",
    "assessment": "promisescore add assessment rubric.toml --promise clinic-hours --by editors \\\n"
    "      --date 2025-07-02 --rating kept --evidence clinics-open,third-clinic-opened-2025-07-01",
}


class _AddCommand(click.Command):
    """``add KIND``: its options come from the model's fields, so they are built on first
    use — not when ``promisescore`` starts (``--version`` must not import the model)."""

    _params_list: list[click.Parameter]
    _params_built: bool

    @property
    def params(self) -> list[click.Parameter]:
        if not self._params_built:
            self._params_list = _params(self.name or "") + self._params_list
            self._params_built = True
        return self._params_list

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        self._params_list = list(value)
        self._params_built = False


def _command(kind: str) -> click.Command:
    def callback(rubric: str, into: str | None, dry_run: bool, **options: Any) -> None:
        _run(kind, rubric, into, dry_run, options)

    article = "an" if kind == "assessment" else "a" if kind == "promise" else ""
    what = f"{article} {kind}".strip()
    return _AddCommand(
        kind,
        callback=callback,
        context_settings=CONTEXT_SETTINGS,
        help=f"""Add {what} to a rubric file, keeping every other line as it is.

The new [[{_TABLES[kind]}]] table goes after the last one (or at the end of the file,
or of --into FILE, a file the rubric includes). The whole rubric is checked first: if
anything would be wrong, the problems are printed as by `check`, nothing is written and
the exit code is 1. Lists are comma-separated (--evidence a,b).

\b
Example:
  {_EXAMPLES[kind]}
""",
        short_help=f"Add {what} to a rubric file.",
    )


class _AddGroup(click.Group):
    """``add KIND RUBRIC ...`` for one object; ``add RUBRIC --from FILE`` for a batch (the
    hidden subcommand ``rows``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (
            args
            and args[0] not in self.commands
            and any(a == "--from" or a.startswith("--from=") for a in args)
        ):
            args = [_BATCH, *args]
        return super().parse_args(ctx, args)


_BATCH = "rows"


@click.group(cls=_AddGroup, context_settings=CONTEXT_SETTINGS)
def add() -> None:
    """Add a promise, evidence or an assessment to a rubric file, or a whole batch of
    them with `add RUBRIC --from FILE`.

    Every other byte of the file is kept (comments, order, spacing); the whole rubric is
    checked before anything is written, and on any error the file is left unchanged
    (exit 1). See `promisescore add evidence --help` for the options of each kind.

    With --from FILE (a CSV file with the columns `export` writes, JSON Lines, or a
    folder `export` wrote; `-` reads standard input; repeat it for several files), every
    row is added in one edit: all or nothing, every problem reported at once with its
    line in FILE.

    \b
    Examples:
      promisescore add tracker.toml --from todays-evidence.csv
      promisescore add evidence rubrics/us-immigration-2021.toml --promise end-mpp \\
          --date 2024-07-01 --summary "MPP stayed ended." --source "DHS statement" \\
          --source-kind claim
      promisescore add assessment rubrics/us-immigration-2021.toml --promise end-mpp \\
          --by aila --date 2024-07-02 --rating kept --evidence mpp-stayed-ended-2024-07-01
    """


for _kind in ("promise", "evidence", "assessment"):
    add.add_command(_command(_kind))


@add.command(_BATCH, hidden=True, context_settings=CONTEXT_SETTINGS)
@click.argument("rubric", type=click.Path(dir_okay=False), metavar="RUBRIC")
@click.option(
    "--from",
    "sources",
    required=True,
    multiple=True,
    metavar="FILE",
    help="The rows to add: CSV (promises.csv, evidence.csv or assessments.csv columns, "
    "as `export` writes them), JSON Lines, or a folder `export` wrote; - reads standard "
    "input. Repeat it to add several files in the same one edit.",
)
@click.option(
    "--into",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Add to this file, which the rubric includes (default: the rubric file).",
)
@click.option("--dry-run", is_flag=True, help="Check the additions; write nothing.")
def _rows(rubric: str, sources: tuple[str, ...], into: str | None, dry_run: bool) -> None:
    """Add every row of each FILE to RUBRIC in one checked edit (all or nothing)."""
    from ..batch import add_from

    with _refused(rubric, into):
        result = add_from(rubric, list(sources), into=into, write=not dry_run)
    for problem in result.warnings:
        click.echo(problem.format(), err=True)
    counts = {kind: sum(1 for a in result.added if a.kind == kind) for kind in _TABLES}
    what = (
        ", ".join(
            f"{n} {kind if kind == 'evidence' or n == 1 else kind + 's'}"
            for kind, n in counts.items()
            if n
        )
        or "nothing"
    )
    if dry_run:
        click.echo(f"would add {what} to {result.file} (dry run: nothing written)", err=True)
    else:
        click.echo(f"added {what} to {result.file}", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="RUBRIC...", type=click.Path())
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff.")
def fmt(files: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Format rubric files canonically, in place.

    Keys in the order of the format's reference, single-line strings in double quotes,
    dates unquoted; comments, blank lines and the order of tables are kept, and the data
    (so every score) is unchanged. Formatting twice changes nothing. Included files are
    formatted when named. With --check, lists the files that would change and exits 1
    (like `ruff format --check`); with --diff, prints what would change.

    \b
    Examples:
      promisescore fmt rubrics/*.toml
      promisescore fmt --check rubrics/my-tracker.toml
    """
    from ..errors import InputFileError, RubricError
    from ..fmt import format_file
    from ..safe_write import OutputError

    write = not (check_only or show_diff)
    changed: list[str] = []
    failed = False
    for path in files:
        try:
            result = format_file(path, write=write)
        except InputFileError as exc:
            fail(str(exc), EXIT_USAGE)
        except OutputError as exc:
            fail(str(exc), EXIT_USAGE)
        except RubricError as exc:
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            failed = True
            continue
        if result.changed:
            changed.append(result.file)
            if show_diff:
                click.echo(result.diff(), nl=False)
            if check_only:
                click.echo(f"would reformat {result.file}", err=True)
            elif write:
                click.echo(f"reformatted {result.file}", err=True)
    unchanged = len(files) - len(changed)
    verb = "would be reformatted" if not write else "reformatted"
    click.echo(
        f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}, "
        f"{unchanged} file{'s' if unchanged != 1 else ''} left unchanged",
        err=True,
    )
    if failed or (check_only and changed):
        raise SystemExit(EXIT_FINDINGS)


COMMANDS = [add, fmt]
