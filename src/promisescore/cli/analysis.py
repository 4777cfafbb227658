"""``timeline``, ``diff``, ``agree`` and ``sensitivity``: change over time and between assessors."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..renderers import formats
from .common import (
    DATE,
    DURATION,
    EXIT_USAGE,
    emit,
    fail,
    fail_with_problems,
    format_option,
    handle_errors,
    input_files,
    load_rubric,
    output_option,
    text_layout,
)

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def split_at_date(spec: str) -> tuple[str, date | None]:
    """``FILE@DATE`` → ``(FILE, DATE)``; anything else → ``(spec, None)``.

    Splits at the last ``@`` only when what follows is a valid ``YYYY-MM-DD`` date, so a
    file name may itself contain ``@``. Raises ``ValueError`` when the suffix has the
    shape of a date but is not one (``r.toml@2021-02-30``).
    """
    from ..dates import parse_date

    path, at, suffix = spec.rpartition("@")
    if not at or not path or not _DATE_SHAPE.fullmatch(suffix):
        return spec, None
    return path, parse_date(suffix)


def _not_a_date_suffix(spec: str) -> str | None:
    """Why ``FILE@WHAT`` is wrong when no file has that name but ``FILE`` is a rubric
    (``x.toml@notadate``), rather than "unsupported file type"; ``None`` when fine."""
    import os

    path, at, suffix = spec.rpartition("@")
    if at and path and not os.path.exists(spec) and path.lower().endswith((".toml", ".json")):
        return (
            f"{suffix!r} after '@' in {spec!r} is not a date; write FILE@YYYY-MM-DD, "
            "e.g. rubric.toml@2021-06-30"
        )
    return None


def _parse_dates(values: tuple[str, ...]) -> list[date]:
    from ..dates import parse_date

    found: list[date] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                found.append(parse_date(part))
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="'--at'") from None
    return found


def _options(fmt: str, output: str | None) -> Any:
    from ..renderers import RenderOptions

    color, width = text_layout(fmt, output)
    return RenderOptions(color=color, width=width)


@click.command()
@click.argument("file")
@click.option(
    "--at",
    "at",
    multiple=True,
    metavar="DATE",
    help="Score at this date (repeatable, or comma-separated). Replaces the default dates.",
)
@click.option(
    "--every",
    metavar="INTERVAL",
    help="Score every INTERVAL from report.start: 6M, P6M, 1Y, 2W, 100D (ISO-8601 durations).",
)
@click.option(
    "--until",
    type=DATE,
    metavar="DATE",
    help="Last date of the default and --every series (default: the rubric's as-of date).",
)
@click.option("--assessor", metavar="NAME", help="Count only this assessor's assessments.")
@format_option(formats("timeline"))
@output_option
@handle_errors
def timeline(
    file: str,
    at: tuple[str, ...],
    every: str | None,
    until: date | None,
    assessor: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Scores over time, overall and per category, with coverage and reversals.

    By default the rubric is scored on every date on which evidence, an assessment or a
    new promise changed anything, at the 100-day mark, at each anniversary of
    report.start, and at the as-of date. Each point equals `score --as-of` that date.
    Reversals are promises that fell from a final level (or from full fulfillment).

    \b
    Examples:
      promisescore timeline rubrics/us-immigration-2021.toml
      promisescore timeline rubrics/us-immigration-2021.toml --every 6M --format csv
      promisescore timeline rubrics/us-immigration-2021.toml --format html -o timeline.html
    """
    from ..analysis import timeline as compute
    from ..analysis.timelines import parse_every
    from ..errors import PromisescoreError
    from ..renderers import render

    dates = _parse_dates(at)
    step = None
    if every is not None:
        try:
            step = parse_every(every)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--every'") from None
    rubric = load_rubric(file)
    try:
        result = compute(rubric, at=dates or None, every=step, assessor=assessor, until=until)
    except ValueError as exc:
        if isinstance(exc, PromisescoreError):
            raise
        raise click.BadParameter(str(exc), param_hint="'--every'") from None
    emit(render(result, fmt, _options(fmt, output)), output, input_files(rubric))


class _DiffCommand(click.Command):
    """``diff``'s usage names both of its forms: two files, or a rubric through git."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)))
        formatter.write_usage(
            ctx.command_path, "[OPTIONS] --git REV [--git REV2] [RUBRIC]", prefix="   or: "
        )


@click.command(cls=_DiffCommand)
@click.argument("old", metavar="OLD", required=False)
@click.argument("new", metavar="[NEW]", required=False)
@click.option(
    "--git",
    "revisions",
    metavar="REV",
    multiple=True,
    help="Compare the rubric OLD (with its includes) as it was at git revision REV with "
    "the working tree, or with a second --git REV; read through git (no checkout).",
)
@click.option("--assessor", metavar="A", help="Count only A's assessments (on both sides).")
@click.option(
    "--vs-assessor",
    metavar="B",
    help="Count only B's assessments on the new side: compare A with B.",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    metavar="DATE",
    help="Date for a side given without @DATE (default: that rubric's as-of date).",
)
@format_option(formats("diff"))
@output_option
@handle_errors
def diff(
    old: str | None,
    new: str | None,
    revisions: tuple[str, ...],
    assessor: str | None,
    vs_assessor: str | None,
    as_of: date | None,
    fmt: str,
    output: str | None,
) -> None:
    """What changed between two scorecards, promise by promise.

    OLD and NEW are rubric files, each optionally FILE@DATE to score it as of DATE.
    With one file, --assessor A --vs-assessor B compares two assessors' views. Lists
    per promise the rating and fulfillment change, newly overdue promises, reversals,
    promises added or removed, and the overall and category deltas.

    \b
    With --git REV, OLD is the rubric: its version at REV against the working tree (or
    against a second --git REV). Without RUBRIC, it is the one rubric the change
    touches (a rubric file, or a file it includes, in this directory and below).
    --format markdown is then a pull-request comment: the status changes with the
    headlines and sources of their updates, promises added and removed, the overall
    change and the warnings the change brings.

    \b
    Examples:
      promisescore diff rubrics/us-immigration-2021.toml@2021-04-30 rubrics/us-immigration-2021.toml@2022-01-20
      promisescore diff rubrics/us-immigration-2021.toml --assessor administration --vs-assessor we-are-home
      promisescore diff old.toml new.toml --format markdown
      promisescore diff --git origin/main tracker.toml --format markdown
    """
    from ..analysis import diff as compute
    from ..renderers import render
    from ..scoring import score

    if revisions:
        _git_diff(old, new, revisions, assessor, vs_assessor, as_of, fmt, output)
        return
    if old is None:
        raise click.UsageError("give OLD and NEW rubric files (or --git REV RUBRIC)")
    if new is None and vs_assessor is None:
        raise click.UsageError("give NEW, or compare assessors with --assessor A --vs-assessor B")
    sides: list[tuple[str, date | None]] = []
    for name, spec in (("OLD", old), ("NEW", new if new is not None else old)):
        try:
            sides.append(split_at_date(spec))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=name) from None
        if sides[-1][1] is None and (reason := _not_a_date_suffix(spec)) is not None:
            raise click.BadParameter(reason, param_hint=name)
    loaded: dict[str, Any] = {}
    inputs: list[str] = []
    cards = []
    for (path, when), who in zip(sides, (assessor, vs_assessor or assessor), strict=True):
        if path not in loaded:
            loaded[path] = load_rubric(path)
            inputs += input_files(loaded[path])
        cards.append(score(loaded[path], when or as_of, who))
    result = compute(cards[0], cards[1], old_label=sides[0][0], new_label=sides[1][0])
    emit(render(result, fmt, _options(fmt, output)), output, inputs)


def _git_diff(
    rubric: str | None,
    extra: str | None,
    revisions: tuple[str, ...],
    assessor: str | None,
    vs_assessor: str | None,
    as_of: date | None,
    fmt: str,
    output: str | None,
) -> None:
    """``diff --git REV [--git REV2] RUBRIC``: the rubric read through git at REV against
    the working tree (or REV2)."""
    from ..analysis.reviews import review_git
    from ..errors import RubricError
    from ..loading.git import GitError
    from ..renderers import render

    if len(revisions) > 2:
        raise click.UsageError("give --git at most twice: --git OLD_REV [--git NEW_REV]")
    if extra is not None:
        raise click.UsageError("with --git, give one RUBRIC (its versions are compared)")
    try:
        path = rubric if rubric is not None else _one_rubric(revisions)
        found = review_git(
            path,
            revisions[0],
            revisions[1] if len(revisions) == 2 else None,
            as_of=as_of,
            assessor=assessor,
            vs_assessor=vs_assessor,
        )
    except GitError as exc:
        fail(str(exc), EXIT_USAGE)
    except RubricError as exc:
        where = exc.problems[0].file if exc.problems else path
        fail_with_problems(exc.errors, f"{where} is not a valid rubric")
    inputs = input_files(found.rubric) if found.rubric is not None else []
    if fmt == "markdown":
        emit(render(found, "markdown"), output, inputs)
        return
    emit(render(found.diff, fmt, _options(fmt, output)), output, inputs)


def _one_rubric(revisions: tuple[str, ...]) -> str:
    """The rubric of ``diff --git REV`` without RUBRIC: the one rubric the change touches
    (a rubric file or a file it includes, in the current directory and below), else the
    one rubric file of the current directory."""
    from ..loading.files import syntax_of
    from ..loading.git import changed_rubrics
    from ..loading.roots import rubrics_of

    changed = changed_rubrics(revisions)
    if len(changed) == 1:
        return changed[0]
    if changed:
        raise click.UsageError(
            f"give RUBRIC: the change touches {len(changed)} rubrics ({', '.join(changed)})"
        )
    # the one rubric file here, by the rule changed_rubrics uses (a bounded read)
    found = [
        entry.name
        for entry in sorted(Path.cwd().iterdir())
        if entry.is_file() and syntax_of(entry) is not None and rubrics_of(entry) == [str(entry)]
    ]
    if len(found) != 1:
        raise click.UsageError(
            "give RUBRIC: "
            + (
                f"the change touches no rubric, and the current directory holds "
                f"{len(found)} rubrics ({', '.join(found)})"
                if found
                else "the change touches no rubric, and the current directory holds none"
            )
        )
    return found[0]


@click.command()
@click.argument("file")
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    metavar="DATE",
    help="Each assessor's latest rating on or before this date (default: the as-of date).",
)
@click.option(
    "--window",
    type=DURATION,
    metavar="DURATION",
    default=None,
    help="Compare only ratings made within the same window of time, an ISO-8601 duration "
    "[default: P3M].",
)
@format_option(formats("agreement"))
@output_option
@handle_errors
def agree(file: str, as_of: date | None, window: str | None, fmt: str, output: str | None) -> None:
    """Agreement between assessors: Krippendorff's alpha, Cohen's kappa, disagreements.

    Only contemporaneous ratings are compared (--window, default P3M): each unit is a
    promise or criterion within one window of time, holding each assessor's latest rating
    in that window (unrated levels are missing data); windows where fewer than two
    assessors rated are counted as unpaired. Alpha is given for nominal (level ids),
    ordinal (level ranks) and interval (level values) data; kappa, quadratic-weighted
    kappa and percent agreement for each pair of assessors. See docs/analysis.md.

    \b
    Example:
      promisescore agree rubrics/us-immigration-2021.toml --as-of 2022-01-20
    """
    from ..analysis import agreement
    from ..renderers import render

    rubric = load_rubric(file)
    result = agreement(rubric, as_of) if window is None else agreement(rubric, as_of, window=window)
    emit(render(result, fmt, _options(fmt, output)), output, input_files(rubric))


@click.command()
@click.argument("file")
@click.option(
    "--samples",
    type=click.IntRange(min=1, max=1_000_000),
    default=1000,
    show_default=True,
    help="Random draws per perturbation.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--weight-spread",
    type=click.FloatRange(0.0, 1.0, max_open=True),
    default=0.5,
    show_default=True,
    help="Each weight is multiplied by a factor drawn from [1 − S, 1 + S].",
)
@click.option(
    "--value-spread",
    type=click.FloatRange(0.0, 1.0),
    default=1.0,
    show_default=True,
    help="How far (0–1) toward its neighbours' values each level's value may move.",
)
@click.option("--as-of", "as_of", type=DATE, metavar="DATE", help="Score as of this date.")
@click.option("--assessor", metavar="NAME", help="Count only this assessor's assessments.")
@format_option(formats("sensitivity"))
@output_option
@handle_errors
def sensitivity(
    file: str,
    samples: int,
    seed: int,
    weight_spread: float,
    value_spread: float,
    as_of: date | None,
    assessor: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """How much the overall score and grade depend on the rubric's weights and values.

    Shows the score with equal weights beside the declared one, and the 5th–95th
    percentile interval of the overall score and the chance that the grade changes when
    every weight is perturbed, when each level's value moves between its neighbours'
    values, and both. Deterministic for a given --seed.

    \b
    Example:
      promisescore sensitivity rubrics/us-immigration-2021.toml --samples 2000 --seed 7
    """
    from ..analysis import sensitivity as compute
    from ..renderers import render

    rubric = load_rubric(file)
    result = compute(
        rubric,
        samples,
        seed,
        as_of=as_of,
        assessor=assessor,
        weight_spread=weight_spread,
        value_spread=value_spread,
    )
    emit(render(result, fmt, _options(fmt, output)), output, input_files(rubric))


@click.command()
@click.argument("rubrics", metavar="RUBRIC...", nargs=-1, required=True)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    metavar="DATE",
    help="Score every rubric as of this date (default: each rubric's own as-of date).",
)
@click.option(
    "--by",
    type=click.Choice(["category", "tag", "maker", "assessor"]),
    help="Also group the promises of all the rubrics by this field, with a weighted score "
    "per group.",
)
@format_option(formats("comparison"))
@output_option
@handle_errors
def compare(
    rubrics: tuple[str, ...], as_of: date | None, by: str | None, fmt: str, output: str | None
) -> None:
    """Compare rubrics side by side: one row per rubric, and promises grouped across them.

    Each row gives the rubric's title, subject, term, overall score, grade and coverage,
    its counts by status, and its shares of rated promises fully, partially and not
    fulfilled (fulfillment 1, between 0 and 1, 0: the Comparative Party Pledges Group's
    three codes). --by groups the promises of all the rubrics by category, tag, maker
    (made_by, else the report's subject) or assessor, with a weighted score per group.
    The CSV is the rubric table, or with --by the group table. See docs/researchers.md.

    \b
    Examples:
      promisescore compare rubrics/us-immigration-2021.toml rubrics/we-belong-together-2015.toml
      promisescore compare rubrics/*.toml --by category --format csv -o groups.csv
      promisescore compare rubrics/*.toml --as-of 2022-01-20 --format json
    """
    from ..analysis import compare as compute
    from ..renderers import render

    loaded = []
    inputs: list[str] = []
    for path in rubrics:
        rubric = load_rubric(path)
        loaded.append(rubric)
        inputs += input_files(rubric)
    result = compute(loaded, as_of, by)
    emit(render(result, fmt, _options(fmt, output)), output, inputs)


COMMANDS = [timeline, diff, agree, sensitivity, compare]
