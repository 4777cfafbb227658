"""``site``: a static website of one or more trackers (a thin layer over
:func:`promisescore.site.build`)."""

from __future__ import annotations

from datetime import date

import click

from ..i18n import LANGUAGES
from .common import DATE, EXIT_USAGE, fail, handle_errors


@click.command()
@click.argument("rubrics", nargs=-1, required=True, type=click.Path(), metavar="RUBRIC...")
@click.option(
    "--output",
    "-o",
    "out_dir",
    required=True,
    metavar="DIR",
    help="Write the site here: a new or empty folder, or one an earlier `site` build made.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the site will be served (https://...): absolute links in the feed and sharing tags.",
)
@click.option(
    "--templates",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Folder of Jinja2 templates overriding the built-in ones by name.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Interface language (default: each rubric's report.lang, else en).",
)
@click.option(
    "--logo",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Logo image inlined in every page.",
)
@click.option(
    "--accent", metavar="#RRGGBB", help="Accent colour of links and bars (4.5:1 on white)."
)
@click.option(
    "--title", metavar="TEXT", help="Heading of the list page when there are several rubrics."
)
@click.option("--as-of", "as_of", type=DATE, metavar="DATE", help="Score as of this date.")
@click.option("--assessor", metavar="NAME", help="Count only this assessor's assessments.")
@click.option(
    "--with-archives",
    is_flag=True,
    help="Publish the archived copies quotes were verified in (DIR/archives/) and link them.",
)
@click.option(
    "--archive-root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Resolve sources' `archive` paths relative to DIR, as `verify --archive-root` does.",
)
@handle_errors
def site(
    rubrics: tuple[str, ...],
    out_dir: str,
    base_url: str | None,
    templates: str | None,
    lang: str | None,
    logo: str | None,
    accent: str | None,
    title: str | None,
    as_of: date | None,
    assessor: str | None,
    with_archives: bool,
    archive_root: str | None,
) -> None:
    """Build a static website of one or more trackers in DIR.

    One rubric: DIR/index.html (overview), DIR/promises/ID.html, DIR/categories/ID.html,
    DIR/feed.xml (Atom, one entry per status change), DIR/data.json and DIR/badge.svg.
    Several rubrics: DIR/index.html lists them, each in its own folder. Pages need no
    script and load nothing from elsewhere; the same files always give the same site.

    Quotes verified in their sources' archived copies (`promisescore verify`) are marked
    as checked; --with-archives publishes those copies in DIR/archives/ (HTML copies as
    plain text, so no archived script runs on the site) and links them.

    DIR must be new, empty, or made by an earlier `site` build: files that build wrote
    are replaced, other files (a CNAME, say) are left alone (docs/publish.md).

    \b
    Examples:
      promisescore site rubrics/us-immigration-2021.toml -o public
      promisescore site rubrics/*.toml -o public --base-url https://example.org/promises/
    """
    from ..site import MANIFEST, SiteError, SiteOptions, build

    options = SiteOptions(
        base_url=base_url,
        templates=templates,
        lang=lang,
        as_of=as_of,
        assessor=assessor,
        logo=logo,
        accent=accent,
        title=title,
        with_archives=with_archives,
        archive_root=archive_root,
    )
    try:
        result = build(list(rubrics), out_dir, options)
    except SiteError as exc:
        fail(str(exc), EXIT_USAGE)
    except ValueError as exc:  # a template override that is not valid Jinja2, for one
        fail(str(exc), EXIT_USAGE)
    for entry in result.ignored:
        click.echo(
            f"warning: {MANIFEST} lists {entry!r}, which is not a path inside {out_dir}: not deleted",
            err=True,
        )
    click.echo(f"wrote {len(result.files)} files in {out_dir}", err=True)


COMMANDS = [site]
