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
wrote are replaced (each atomically) or, when no longer made, removed, and every other
file (a ``CNAME``, a ``.nojekyll`` the user added) is left alone. A build never replaces a
file it did not write, never deletes one, and refuses an output directory that holds one
of its input files.
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

from ..errors import PromisescoreError
from ..model import Rubric

__all__ = ["MANIFEST", "SiteError", "SiteOptions", "SiteResult", "build", "render_site"]

#: The file that marks a folder as made by ``promisescore site`` and lists what it wrote.
MANIFEST = ".promisescore-site"
_MANIFEST_HEAD = "# Written by `promisescore site`: the files of the last build. Do not edit.\n"

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


class SiteError(PromisescoreError):
    """The site cannot be built as asked (an option, or the output directory)."""


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


@attrs.frozen
class SiteResult:
    """What a build wrote: paths relative to ``out_dir``, sorted."""

    out_dir: Path
    files: tuple[str, ...]
    removed: tuple[str, ...] = ()


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
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SiteError(f"cannot read logo {path}: {exc.strerror or exc}") from None
        if len(data) > _MAX_LOGO:
            raise SiteError(
                f"logo {path} is {len(data)} bytes; a logo is inlined in every page, keep it under 512 KiB"
            )
        logo = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    if options.templates is not None and not Path(options.templates).is_dir():
        raise SiteError(f"templates folder {options.templates} does not exist")
    return base, accent, logo


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return slug[:60].strip("-._") or "rubric"


# --------------------------------------------------------------------------- rendering


def render_site(
    rubrics: Sequence[Rubric | str | os.PathLike[str]] | Rubric | str | os.PathLike[str],
    options: SiteOptions | Mapping[str, Any] | None = None,
) -> dict[str, str | bytes]:
    """The site's files in memory: relative path → text (bytes for the PNG share images),
    what :func:`build` writes."""
    return _render(_load(_as_list(rubrics)), _as_options(options))


def _render(loaded: list[tuple[str, Rubric]], options: SiteOptions) -> dict[str, str | bytes]:
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


def _render_pages(loaded: list[tuple[str, Rubric]], options: SiteOptions) -> dict[str, str | bytes]:
    from .pages import SiteContext, multi_index, rubric_pages

    base, accent, logo = _check_options(options)
    if not loaded:
        raise SiteError("no rubric given")
    context = SiteContext(
        base_url=base, accent=accent, logo=logo, templates=options.templates, options=options
    )
    files: dict[str, str | bytes] = {}
    if len(loaded) == 1:
        files.update(rubric_pages(loaded[0][1], "", context))
        return files
    slugs: list[str] = []
    for name, rubric in loaded:
        slug = _slug(name)
        candidate, n = slug, 2
        while candidate in slugs:
            candidate, n = f"{slug}-{n}", n + 1
        slugs.append(candidate)
        files.update(rubric_pages(rubric, candidate + "/", context))
    files["index.html"] = multi_index(
        list(zip(slugs, [r for _, r in loaded], strict=True)), context
    )
    return files


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
    rubrics = _as_list(rubrics)
    out = Path(out_dir)
    loaded = _load(rubrics)
    inputs = [Path(item) for item in rubrics if not isinstance(item, Rubric)]
    inputs.extend(_input_files([rubric for _, rubric in loaded]))
    _refuse_inputs_inside(out, inputs)
    previous = _previous_build(out)
    files = _render(loaded, _as_options(options))
    return _write(out, files, previous)


def _as_list(
    rubrics: Sequence[Rubric | str | os.PathLike[str]] | Rubric | str | os.PathLike[str],
) -> list[Rubric | str | os.PathLike[str]]:
    """One rubric or path alone is a list of one."""
    if isinstance(rubrics, Rubric | str | os.PathLike):
        return [rubrics]
    return list(rubrics)


def _as_options(options: SiteOptions | Mapping[str, Any] | None) -> SiteOptions:
    """Options as :class:`SiteOptions` (a mapping of its field names is accepted)."""
    if options is None:
        return SiteOptions()
    if isinstance(options, SiteOptions):
        return options
    unknown = sorted(set(options) - {f.name for f in attrs.fields(SiteOptions)})
    if unknown:
        raise SiteError(f"unknown site option(s): {', '.join(unknown)}")
    return SiteOptions(**options)


def _refuse_inputs_inside(out: Path, inputs: list[Path]) -> None:
    try:
        root = out.resolve()
    except OSError:
        return
    for item in inputs:
        try:
            real = item.resolve()
        except OSError:
            continue
        if real == root or real.is_relative_to(root):
            raise SiteError(
                f"refusing to write the site into {out}: it contains the input file {item}; "
                "choose an output directory outside the rubric's folder"
            )


def _previous_build(out: Path) -> set[str]:
    """The files an earlier build wrote, or an empty set for a new or empty directory."""
    if not out.exists():
        return set()
    if not out.is_dir():
        raise SiteError(f"{out} exists and is not a directory; choose a new or empty directory")
    manifest = out / MANIFEST
    if manifest.is_file():
        lines = manifest.read_text(encoding="utf-8").splitlines()
        return {line for line in lines if line and not line.startswith("#")}
    if any(out.iterdir()):
        raise SiteError(
            f"{out} is not empty and was not made by `promisescore site` (it has no {MANIFEST}); "
            "choose a new or empty directory: promisescore never replaces or deletes files it did not write"
        )
    return set()


def _write(out: Path, files: dict[str, str | bytes], previous: set[str]) -> SiteResult:
    from ..safe_write import OutputError, write_atomic

    for rel in sorted(files):
        target = out / rel
        if rel not in previous and (target.exists() or target.is_symlink()):
            raise SiteError(
                f"refusing to replace {target}: the last build of this site did not write it; "
                "move it away or choose another directory"
            )
        for parent in Path(rel).parents:
            if str(parent) != "." and (out / parent).exists() and not (out / parent).is_dir():
                raise SiteError(f"{out / parent} is a file where the site needs a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for rel in sorted(files):
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, files[rel])
    except OSError as exc:
        raise OutputError(f"cannot write the site in {out}: {exc.strerror or exc}") from None
    removed = []
    for rel in sorted(previous - set(files)):
        target = out / rel
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed.append(rel)
            for parent in Path(rel).parents:
                folder = out / parent
                if str(parent) == "." or any(folder.iterdir()):
                    break
                folder.rmdir()
    write_atomic(out / MANIFEST, _MANIFEST_HEAD + "".join(f"{rel}\n" for rel in sorted(files)))
    return SiteResult(out, tuple(sorted(files)), tuple(removed))
