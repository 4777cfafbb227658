"""``promisescore site``: a static website of one or more trackers.

:func:`build` writes, for one rubric::

    DIR/index.html                 overview: headline, assessors side by side, timeline,
                                   categories, promises by status
    DIR/promises/<id>.html         a page per promise: words, maker, deadline, status,
                                   dated rating history, evidence with sources
    DIR/categories/<id>.html       a page per category
    DIR/feed.xml                   Atom feed, one entry per status change, newest first
    DIR/data.json                  the score JSON (``report --format json``)
    DIR/badge.svg                  the badge
    DIR/.promisescore-site         the list of files the build wrote

and, for several rubrics, ``DIR/index.html`` listing them with each rubric's pages in its
own folder ``DIR/<name>/`` (the rubric file's name, made a safe path).

Pages are self-contained: inline CSS and SVG, a logo inlined as a ``data:`` address, no
script, a Content-Security-Policy that forbids scripts and remote loads. The same inputs
always give byte-identical files.

Writing: ``DIR`` is created if missing. An existing ``DIR`` is used only when it is empty
or holds a ``.promisescore-site`` list from an earlier build; then files the earlier build
wrote are replaced or, when no longer made, removed, and every other file (a ``CNAME``, a
``.nojekyll`` the user added) is left alone. A build never replaces a file it did not write,
never deletes one, never deletes or writes outside ``DIR`` or through a symbolic link inside
it, and refuses an output directory that holds one of its input files. The build is staged
beside ``DIR`` and swapped in, so a failed build leaves ``DIR`` as it was
(:mod:`promisescore.site.folder`).
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import jinja2

from ..model import Rubric
from .folder import MANIFEST, SiteError

__all__ = ["MANIFEST", "SiteError", "SiteOptions", "SiteResult", "build", "render_site"]


_ACCENT = re.compile(r"#[0-9a-fA-F]{6}")
_LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
_MAX_LOGO = 512 * 1024


@attrs.frozen
class SiteOptions:
    """How to build a site. Every field is optional."""

    #: Absolute address where the site will be served (``https://example.org/tracker/``):
    #: makes the feed's links and the sharing tags absolute.
    base_url: str | None = None
    #: A folder of Jinja2 templates that override the built-in ones by name.
    templates: str | os.PathLike[str] | None = None
    #: ``en`` or ``fr``; default: each rubric's ``report.lang``, else ``en``.
    lang: str | None = None
    #: Score as of this date (default as for ``score``: FORMAT.md §4.1).
    as_of: date | str | None = None
    #: Count only this assessor's assessments.
    assessor: str | None = None
    #: A logo image file (SVG, PNG, JPEG, WebP or GIF, at most 512 KiB), inlined in pages.
    logo: str | os.PathLike[str] | None = None
    #: Accent colour of links and bars, ``#rrggbb``, at least 4.5:1 against white.
    accent: str | None = None
    #: Heading of the list page of a multi-rubric site.
    title: str | None = None
    #: Publish the local archived copies that quotes were verified in, under
    #: ``archives/`` beside the pages, and link them (FORMAT.md §8.9).
    with_archives: bool = False
    #: Resolve sources' ``archive`` paths relative to this folder (as ``verify
    #: --archive-root`` does) instead of relative to the rubric file.
    archive_root: str | os.PathLike[str] | None = None

    def __attrs_post_init__(self) -> None:
        from ..arguments import require

        text = (str, type(None))
        paths = (str, os.PathLike, type(None))
        for name, kinds in (
            ("base_url", text),
            ("templates", paths),
            ("lang", text),
            ("as_of", (date, str, type(None))),
            ("assessor", text),
            ("logo", paths),
            ("accent", text),
            ("title", text),
            ("with_archives", (bool,)),
            ("archive_root", paths),
        ):
            require(getattr(self, name), kinds, f"site option {name}")


@attrs.frozen
class SiteResult:
    """What a build wrote: paths relative to ``out_dir``, sorted."""

    out_dir: Path
    files: tuple[str, ...]
    removed: tuple[str, ...] = ()
    #: Lines of the last build's manifest that are not paths inside ``out_dir``: not
    #: deleted (a manifest edited by hand, or by a pull request).
    ignored: tuple[str, ...] = ()


# --------------------------------------------------------------------------- options


def _check_options(options: SiteOptions) -> tuple[str | None, str, str | None]:
    """Validated (base URL ending in '/', accent colour, logo data: URI)."""
    from ..renderers.html import contrast

    base = options.base_url
    if base is not None:
        if not base[:8].lower().startswith(("http://", "https://")) or any(
            c in base for c in " \"'<>`"
        ):
            raise SiteError(
                f"--base-url {base!r} is not an http(s) address; give e.g. https://example.org/tracker/"
            )
        if not base.endswith("/"):
            base += "/"
    accent = options.accent or "#1d4f91"
    if not _ACCENT.fullmatch(accent):
        raise SiteError(f"accent colour {accent!r} is not a #rrggbb colour; give e.g. #1d4f91")
    accent = accent.lower()
    if contrast(accent, "#ffffff") < 4.5:
        raise SiteError(
            f"accent colour {accent} has a contrast of {contrast(accent, '#ffffff'):.2f}:1 against white; "
            "links need at least 4.5:1 (WCAG AA): choose a darker colour"
        )
    logo = None
    if options.logo is not None:
        path = Path(options.logo)
        kind = _LOGO_TYPES.get(path.suffix.lower())
        if kind is None:
            raise SiteError(f"logo {path}: not an image file; use .svg, .png, .jpg, .webp or .gif")
        data = _read_logo(path)
        logo = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    if options.templates is not None and not Path(options.templates).is_dir():
        raise SiteError(f"templates folder {options.templates} does not exist")
    return base, accent, logo


def _read_logo(path: Path) -> bytes:
    """The logo's bytes: a regular file of at most 512 KiB, opened without blocking (a
    FIFO or ``/dev/zero`` is refused before a byte is read)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SiteError(f"cannot read logo {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SiteError(f"logo {path} is not a regular file (a folder, FIFO or device?)")
        try:
            os.set_blocking(fd, True)
            data = handle.read(_MAX_LOGO + 1)
        except OSError as exc:
            raise SiteError(f"cannot read logo {path}: {exc.strerror or exc}") from None
    if len(data) > _MAX_LOGO:
        raise SiteError(
            f"logo {path} is {max(len(data), info.st_size):,} bytes or more; a logo is inlined "
            "in every page, keep it under 512 KiB"
        )
    return data


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return slug[:60].strip("-._") or "rubric"


# --------------------------------------------------------------------------- rendering


def render_site(
    rubrics: Sequence[Rubric | str | os.PathLike[str]] | Rubric | str | os.PathLike[str],
    options: SiteOptions | Mapping[str, Any] | None = None,
) -> dict[str, str | bytes]:
    """The site's pages in memory: relative path → text (bytes for the PNG share images; what :func:`build` writes,
    but for the archived copies ``with_archives`` publishes)."""
    return _render(_load(_as_list(rubrics)), _as_options(options))[0]


def _render(
    loaded: list[tuple[str, Rubric]], options: SiteOptions
) -> tuple[dict[str, str | bytes], dict[str, bytes]]:
    """The pages, and the archived copies to publish (relative path → bytes)."""
    try:
        return _render_pages(loaded, options)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise SiteError(f"template {where}: {exc.message}; fix the template") from None
    except jinja2.TemplateError as exc:
        raise SiteError(
            f"a template failed: {exc}; check the templates of --templates "
            "(names and blocks are in docs/publish.md)"
        ) from None


def _render_pages(
    loaded: list[tuple[str, Rubric]], options: SiteOptions
) -> tuple[dict[str, str | bytes], dict[str, bytes]]:
    from .pages import SiteContext, archived_quotes, multi_index, rubric_pages

    base, accent, logo = _check_options(options)
    if not loaded:
        raise SiteError("no rubric given")
    context = SiteContext(
        base_url=base, accent=accent, logo=logo, templates=options.templates, options=options
    )
    files: dict[str, str | bytes] = {}
    copies: dict[str, bytes] = {}
    if len(loaded) == 1:
        checked, copies = archived_quotes(loaded[0][1], "", options)
        files.update(rubric_pages(loaded[0][1], "", context, checked))
        return files, copies
    slugs: list[str] = []
    for name, rubric in loaded:
        slug = _slug(name)
        candidate, n = slug, 2
        while candidate in slugs:
            candidate, n = f"{slug}-{n}", n + 1
        slugs.append(candidate)
        checked, published = archived_quotes(rubric, candidate + "/", options)
        copies.update(published)
        files.update(rubric_pages(rubric, candidate + "/", context, checked))
    files["index.html"] = multi_index(
        list(zip(slugs, [r for _, r in loaded], strict=True)), context
    )
    return files, copies


def _load(rubrics: Sequence[Rubric | str | os.PathLike[str]]) -> list[tuple[str, Rubric]]:
    from ..loading import load

    out = []
    for item in rubrics:
        if isinstance(item, Rubric):
            origin = getattr(item, "origin", None)
            files = getattr(origin, "files", {}) or {}
            root = files.get(getattr(origin, "root", None))
            path = getattr(root, "path", None)
            out.append((Path(path).stem if path else item.report.title, item))
        else:
            out.append((Path(item).stem, load(item)))
    return out


def _input_files(rubrics: Sequence[Rubric]) -> list[Path]:
    paths: list[Path] = []
    for item in rubrics:
        files = getattr(getattr(item, "origin", None), "files", {}) or {}
        paths.extend(Path(s.path) for s in files.values() if getattr(s, "path", None) is not None)
    return paths


# --------------------------------------------------------------------------- writing


def build(
    rubrics: Sequence[Rubric | str | os.PathLike[str]] | Rubric | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    options: SiteOptions | Mapping[str, Any] | None = None,
) -> SiteResult:
    """Build the static site of ``rubrics`` (loaded rubrics or file paths; one alone is
    fine) in ``out_dir``. ``options``: a :class:`SiteOptions` (or a mapping of its fields).

    Raises :class:`SiteError` for a bad option or an output directory that cannot be
    used (see the module's docstring), and the loader's and scorer's errors for bad input.
    """
    from ..arguments import require

    require(out_dir, (str, os.PathLike), "out_dir", "a str or a path (the site's folder)")
    if os.fspath(out_dir) == "":
        raise SiteError("cannot write the site to an empty path; name the site's folder")
    rubrics = _as_list(rubrics)
    out = Path(out_dir)
    loaded = _load(rubrics)
    inputs = [Path(item) for item in rubrics if not isinstance(item, Rubric)]
    inputs.extend(_input_files([rubric for _, rubric in loaded]))
    _refuse_inputs_inside(out, inputs)
    pages, copies = _render(loaded, _as_options(options))
    return _write(out, {**pages, **copies})


def _as_list(
    rubrics: Sequence[Rubric | str | os.PathLike[str]] | Rubric | str | os.PathLike[str],
) -> list[Rubric | str | os.PathLike[str]]:
    """One rubric or path alone is a list of one; anything else is a ``TypeError``
    naming the argument."""
    if isinstance(rubrics, Rubric | str | os.PathLike):
        return [rubrics]
    what = "a Rubric, a path, or a list of them"
    if not isinstance(rubrics, Sequence):
        raise TypeError(f"rubrics must be {what}, not {type(rubrics).__name__}")
    for item in rubrics:
        if not isinstance(item, Rubric | str | os.PathLike):
            raise TypeError(f"rubrics must be {what}, not a list holding {type(item).__name__}")
    return list(rubrics)


def _as_options(options: SiteOptions | Mapping[str, Any] | None) -> SiteOptions:
    """Options as :class:`SiteOptions` (a mapping of its field names is accepted)."""
    if options is None:
        return SiteOptions()
    if isinstance(options, SiteOptions):
        return options
    if not isinstance(options, Mapping):
        raise TypeError(
            f"options must be SiteOptions or a mapping of its fields, not {type(options).__name__}"
        )
    unknown = sorted(set(options) - {f.name for f in attrs.fields(SiteOptions)})
    if unknown:
        raise SiteError(f"unknown site option(s): {', '.join(unknown)}")
    return SiteOptions(**options)


def _refuse_inputs_inside(out: Path, inputs: list[Path]) -> None:
    try:
        root = out.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before 3.13)
        return  # refused by the plan
    for item in inputs:
        try:
            real = item.resolve()
        except (OSError, RuntimeError):
            continue
        if real == root or real.is_relative_to(root):
            raise SiteError(
                f"refusing to write the site into {out}: it contains the input file {item}; "
                "choose an output directory outside the rubric's folder"
            )


def _write(out: Path, files: Mapping[str, str | bytes]) -> SiteResult:
    """Write the site into ``out``: planned, staged beside it, swapped in (``folder``)."""
    from ..safe_write import OutputError
    from .folder import commit, plan

    checked = plan(out, files)
    try:
        removed = commit(checked, files)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise OutputError(
            f"cannot write the site in {out}: {exc.strerror or exc}{where}; "
            "nothing was written (or the manifest lists every file, for the next build to finish)"
        ) from None
    return SiteResult(out, tuple(sorted(files)), removed, checked.ignored)
