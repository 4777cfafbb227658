"""The site's Atom feed (RFC 4287): one entry per change of a promise's status."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from ..i18n import Language
from ..renderers.views import StatusChange
from ..scoring import PromiseScore

ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


#: Characters XML 1.0 does not allow (a TOML string may hold them as escapes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = _clean(text)
    return element


def render_feed(
    *,
    title: str,
    subtitle: str | None,
    author: str,
    updated: date,
    changes: Sequence[StatusChange],
    lang: Language,
    link: Callable[[str], str],
    ident: Callable[[str], str],
    label: Callable[[str | None, bool], str],
    describe: Callable[[PromiseScore], str] | None = None,
    journalism: Mapping[tuple[str, date], tuple[str | None, str | None, str | None]] | None = None,
) -> str:
    """The feed's XML text.

    ``link(path)`` turns a site path (``index.html``, ``promises/x.html``) into the
    address written in the feed (absolute with ``--base-url``); ``ident(suffix)`` gives
    an entry's permanent id; ``label(status, rated)`` the status words;
    ``describe(promise)``, when given, what a format 1.2 entry says of a standing (the
    verdict beside the measure), from the promise as scored before and after the change;
    ``journalism[(promise id, date)]`` the ``(headline, author, url)`` of the update.
    An entry whose update has a ``headline`` takes it as its title, its ``url`` as its
    link and its ``author`` as its author (FORMAT.md §8.7).
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {_XML_LANG: lang.code})
    _el(feed, "title", title)
    if subtitle:
        _el(feed, "subtitle", subtitle)
    _el(feed, "id", ident("feed"))
    newest = max([updated, *(c.date for c in changes)])
    _el(feed, "updated", _stamp(newest))
    _el(feed, "link", rel="self", type="application/atom+xml", href=link("feed.xml"))
    _el(feed, "link", rel="alternate", type="text/html", href=link("index.html"))
    who = _el(feed, "author")
    _el(who, "name", author)
    _el(feed, "generator", "promisescore", uri="https://github.com/promisescore/promisescore")
    for change in changes:
        entry = _el(feed, "entry")
        now = label(change.after, change.rated_after)
        if describe is not None and change.scored is not None:
            now = describe(change.scored)
        told, writer, told_url = (journalism or {}).get((change.promise, change.date), (None,) * 3)
        headline = change.headline or told
        url = change.url or told_url
        _el(entry, "title", headline or f"{change.title}: {now}")
        _el(entry, "id", ident(f"{change.promise}/{change.date.isoformat()}"))
        _el(entry, "updated", _stamp(change.date))
        _el(entry, "published", _stamp(change.date))
        if writer:
            _el(_el(entry, "author"), "name", writer)
        page = f"promises/{change.promise}.html"
        _el(entry, "link", rel="alternate", type="text/html", href=url or link(page))
        if url:  # the update's own link first, the promise's page beside it
            _el(entry, "link", rel="related", type="text/html", href=link(page))
        if change.rated_before:
            was = label(change.before, change.rated_before)
            if describe is not None and change.previous is not None:
                was = describe(change.previous)
            summary = lang.gettext("{date}: {before} → {after}.").format(
                date=lang.long_date(change.date), before=was, after=now
            )
        else:
            summary = lang.gettext("{date}: first rated {after}.").format(
                date=lang.long_date(change.date), after=now
            )
        if headline:  # the title is the update's: say which promise it is
            summary = f"{change.title} — {summary}"
        notes = " ".join(f"{name}: {note}" for name, note in change.notes)
        _el(entry, "summary", f"{summary} {notes}".strip())
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
