"""``verify`` (quotes against archived copies) and ``archive`` (fetch the copies: the one
command that touches the network). Thin layers over :mod:`promisescore.archives`."""

from __future__ import annotations

import sys

import click

from ..renderers import formats
from .common import EXIT_FINDINGS, EXIT_USAGE, fail, format_option, handle_errors


def _bytes(value: str | int) -> int:
    text = str(value).strip().replace("_", "")
    if not text.isdigit() or len(text) > 19:
        raise click.BadParameter(f"a whole number of bytes, not {value!r}")
    return int(text)


class _Bytes(click.ParamType):  # type: ignore[type-arg]
    name = "BYTES"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        try:
            return _bytes(value if isinstance(value, str | int) else str(value))
        except click.BadParameter as exc:
            self.fail(str(exc.message), param, ctx)


BYTES = _Bytes()


@click.command()
@click.argument("rubrics", nargs=-1, required=True, metavar="RUBRIC...", type=click.Path())
@click.option(
    "--archive-root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Resolve `archive` paths relative to DIR (and keep them inside it) instead of "
    "relative to the rubric file.",
)
@click.option(
    "--max-archive-bytes",
    type=BYTES,
    default=None,
    help="Read at most this many bytes of an archived file (default 64 MiB).",
)
@format_option(
    formats("verification"),
    "Output format: github prints GitHub Actions annotations, junit JUnit XML.",
)
@handle_errors
def verify(
    rubrics: tuple[str, ...], archive_root: str | None, max_archive_bytes: int | None, fmt: str
) -> None:
    """Check every evidence quote against the archived copy of its source.

    For each evidence item whose source has a local `archive`: the file stays inside the
    rubric's directory (or inside --archive-root), exists and is a regular file, its
    sha256 matches when given, and the quote appears in its text, compared after Unicode
    NFKC, typographic quotes and dashes folded to ASCII and whitespace collapsed (HTML
    on its visible text; PDF with `pip install 'promisescore[pdf]'`). Problems print as
    `FILE:LINE: CODE message — hint`, then a summary. Exit 1 when any check fails, 2
    when a file cannot be read. An included file is verified through the rubric that
    includes it (for pre-commit). Nothing is fetched: `promisescore archive` does that.

    \b
    Examples:
      promisescore verify rubrics/us-immigration-2021.toml
      promisescore verify rubrics/*.toml --format github
    """
    from pathlib import Path

    from ..archives import DEFAULT_MAX_ARCHIVE_BYTES, Verification, VerifyReport, verification
    from ..errors import InputFileError
    from ..loading import check as check_file
    from ..renderers import render

    if archive_root is not None and not Path(archive_root).is_dir():
        fail(f"--archive-root {archive_root}: no such directory", EXIT_USAGE)
    from ..loading.roots import including_rubrics

    limit = DEFAULT_MAX_ARCHIVE_BYTES if max_archive_bytes is None else max_archive_bytes
    targets: list[str] = []
    for name in rubrics:  # an included file is verified through the rubric including it
        for target in including_rubrics(name) or [name]:
            if target not in targets:
                targets.append(target)
    results: list[Verification] = []
    unreadable = False
    for name in targets:
        try:
            checked = check_file(name)
        except InputFileError as exc:
            unreadable = True
            click.echo(f"error: {exc}", err=True)
            continue
        if checked.rubric is None:
            results.append(Verification(name, checked.errors, 0, {}, 0))
            continue
        results.append(verification(checked.rubric, archive_root=archive_root, max_bytes=limit))
    report = VerifyReport(tuple(results))
    if results:
        click.echo(render(report, fmt), nl=False)
    if unreadable:
        sys.exit(EXIT_USAGE)
    if not report.ok:
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.argument("rubric", metavar="RUBRIC", type=click.Path())
@click.option(
    "--to",
    "folder",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Store the archived copies here (created if missing), named by their sha256.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=3600),
    default=30.0,
    show_default=True,
    help="Seconds one download may take in all.",
)
@click.option(
    "--max-bytes",
    type=BYTES,
    default=None,
    help="The largest body one download may have (default 64 MiB).",
)
@click.option("--dry-run", is_flag=True, help="Fetch and report, but write nothing.")
@handle_errors
def archive(rubric: str, folder: str, timeout: float, max_bytes: int | None, dry_run: bool) -> None:
    """Fetch each evidence source `url` not yet archived, and record the copies.

    The one command that uses the network, and only when run. Each page is fetched once
    (http and https only; redirects only to http(s); --timeout and --max-bytes per
    download), stored in DIR as `<sha256>.<ext>` (never a partial file), and its sources
    gain `archive`, `archived_on` (today) and `sha256`; every other byte of the rubric's
    files is kept. Sources already archived are skipped, so a second run fetches
    nothing. Exit 1 when a download failed (the others are still recorded).

    \b
    Examples:
      promisescore archive rubrics/tracker.toml --to rubrics/archives
      promisescore verify rubrics/tracker.toml
    """
    from ..archives.fetch import DEFAULT_MAX_DOWNLOAD_BYTES, ArchiveError
    from ..archives.fetch import archive as run
    from ..renderers import render

    try:
        result = run(
            rubric,
            folder,
            timeout=timeout,
            max_bytes=DEFAULT_MAX_DOWNLOAD_BYTES if max_bytes is None else max_bytes,
            write=not dry_run,
        )
    except ArchiveError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(render(result, "text"), nl=False)
    if not result.ok:
        sys.exit(EXIT_FINDINGS)


COMMANDS = [verify, archive]
