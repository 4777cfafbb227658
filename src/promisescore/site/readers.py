"""What readers of a tracker use besides its pages (issue #26): filter pages by status,
category and tag; the search index and its one small first-party script; the latest
updates with their headline, author and link (FORMAT.md §8.7); share links.

Nothing here formats HTML: these are plain values for the templates, plus the JSON of
the search index and the script's text (a file of the package, served from the site).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from importlib import resources
from urllib.parse import quote

import attrs

from ..model import Rubric
from ..renderers.views import StatusChange, counts_by_status, group_key
from ..scoring import PromiseScore, Scorecard

#: The site's Content-Security-Policy: no script but the site's own files (the search
#: script), which may read the site's own search index; styles inline; images inline.
SITE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
)

#: The search script and the index it reads, at the root of each tracker's folder.
SCRIPT = "search.js"
INDEX = "search.json"
UPDATES = "updates.html"
#: How many status changes ``updates.html`` and the feed list (newest first).
UPDATES_LIMIT = 200

_SLUG = re.compile(r"[^a-z0-9_-]+")


def slug(text: str) -> str:
    """A safe file name for a tag or status: lower-case letters, digits, ``-``, ``_``."""
    return _SLUG.sub("-", text.casefold()).strip("-")[:60].strip("-") or "tag"


def _unique(name: str, used: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` … when taken; recorded in ``used``."""
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    used.add(candidate)
    return candidate


@attrs.frozen
class Facet:
    """One filter value: its key (a status key, category id or tag), the page that
    lists its promises (relative to the tracker's root) and the promises."""

    key: str
    path: str
    promises: tuple[PromiseScore, ...]


@attrs.frozen
class Facets:
    statuses: tuple[Facet, ...]
    categories: tuple[Facet, ...]
    tags: tuple[Facet, ...]
    #: promise id → its tags, in the file's order
    promise_tags: dict[str, tuple[str, ...]]
    #: tag → the path of its page
    tag_paths: dict[str, str]


def facets(rubric: Rubric, card: Scorecard) -> Facets:
    """The status, category and tag filters of a scorecard, each with its static page."""
    models = rubric.promise_index
    promise_tags = {item.id: tuple(dict.fromkeys(models[item.id].tags)) for item in card.promises}
    # level ids `a.b` and `a-b` make one slug: each status gets a page of its own
    taken: set[str] = set()
    statuses = tuple(
        Facet(key, f"status/{_unique(slug(key), taken)}.html", tuple(items))
        for key, items in counts_by_status(card)
    )
    categories = tuple(
        Facet(
            c.id,
            f"categories/{c.id}.html",
            tuple(p for p in card.promises if p.category == c.id),
        )
        for c in card.categories
    )
    by_tag: dict[str, list[PromiseScore]] = {}
    for item in card.promises:
        for tag in promise_tags[item.id]:
            by_tag.setdefault(tag, []).append(item)
    tag_paths: dict[str, str] = {}
    used: set[str] = set()
    for tag in sorted(by_tag, key=lambda t: (t.casefold(), t)):
        tag_paths[tag] = f"tags/{_unique(slug(tag), used)}.html"
    tags = tuple(Facet(tag, tag_paths[tag], tuple(by_tag[tag])) for tag in tag_paths)
    return Facets(statuses, categories, tags, promise_tags, tag_paths)


def search_index(
    rubric: Rubric,
    card: Scorecard,
    found: Facets,
    status_label: Callable[[PromiseScore], str],
) -> str:
    """The compact JSON the search script reads: per promise its id, page, title, text,
    status key and words, category id and title (empty for an umbrella promise), and tags."""
    models = rubric.promise_index
    titles = {c.id: c.title for c in card.categories}
    rows = [
        {
            "id": item.id,
            "u": f"promises/{item.id}.html",
            "t": item.title,
            "x": models[item.id].text or "",
            "s": group_key(card, item),
            "sl": status_label(item),
            # an umbrella promise has no category (docs/format.md): no category filter
            "c": "" if item.umbrella else item.category,
            "cl": "" if item.umbrella else titles.get(item.category, item.category),
            "g": list(found.promise_tags[item.id]),
        }
        for item in card.promises
    ]
    return json.dumps({"v": 1, "promises": rows}, ensure_ascii=False, separators=(",", ":")) + "\n"


def script_text() -> str:
    """The search script (``search.js``), a file of this package."""
    return resources.files("promisescore.site").joinpath("static", SCRIPT).read_text("utf-8")


# --------------------------------------------------------------------------- updates


@attrs.frozen
class Update:
    """One status change as ``updates.html`` and the feed show it."""

    change: StatusChange
    headline: str | None = None
    author: str | None = None
    url: str | None = None


def updates(rubric: Rubric, card: Scorecard, changes: Sequence[StatusChange]) -> list[Update]:
    """The latest :data:`UPDATES_LIMIT` status changes, newest first, each with the
    headline, author and link of that day's assessment of the promise when it has them
    (FORMAT.md §8.7; the first such assessment in the file)."""
    out = []
    for change in changes[:UPDATES_LIMIT]:
        headline, author, url = change.headline, None, change.url
        for a in rubric.assessments_by_promise.get(change.promise, ()):
            if a.date != change.date or (card.assessor is not None and a.by != card.assessor):
                continue
            headline = headline or getattr(a, "headline", None)
            author = author or getattr(a, "author", None)
            url = url or getattr(a, "url", None)
        out.append(Update(change, headline, author, url))
    return out


# --------------------------------------------------------------------------- share


@attrs.frozen
class ShareLink:
    network: str  # e-mail, X, Bluesky, Facebook, WhatsApp
    href: str


def share_links(url: str, title: str) -> tuple[ShareLink, ...]:
    """Plain links that open each network's own share form with ``url`` and ``title``
    (no script, no tracker, nothing loaded until a reader follows one)."""
    u, t = quote(url, safe=""), quote(title, safe="")
    both = quote(f"{title} {url}", safe="")
    return (
        ShareLink("E-mail", f"mailto:?subject={t}&body={both}"),
        ShareLink("X", f"https://x.com/intent/post?text={t}&url={u}"),
        ShareLink("Bluesky", f"https://bsky.app/intent/compose?text={both}"),
        ShareLink("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ShareLink("WhatsApp", f"https://wa.me/?text={both}"),
    )


def newest(values: Iterable[date], default: date) -> date:
    return max([default, *values])
