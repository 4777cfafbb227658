"""The pages of one tracker (and the list page of several), rendered from templates."""

from __future__ import annotations

import itertools
import os
import re
from datetime import date
from typing import Any

import attrs
import jinja2

from ..cards import assessor_scorecards
from ..i18n import Language
from ..model import Rubric
from ..model.rubric import trusted
from ..renderers.html import Text, level_colors, ramp
from ..renderers.views import (
    MEASURED,
    RATED,
    REVIEWER,
    UMBRELLA_MESSAGE,
    Assessor,
    assessor_views,
    assessors_of,
    counts_by_status,
    evidence_sorted,
    group_key,
    rating_history,
    since_text,
    stale_rating,
    stale_shown,
    standing_text,
    status_changes,
    status_of,
    term_over_text,
    umbrella_texts,
)
from ..scoring import PromiseScore, Scorecard, score
from .feed import render_feed
from .readers import (
    INDEX,
    SCRIPT,
    SITE_CSP,
    UPDATES,
    facets,
    script_text,
    search_index,
    share_links,
    updates,
)

_UNRATED_KEY = "unrated"


@attrs.frozen
class SiteContext:
    base_url: str | None
    accent: str
    logo: str | None
    templates: str | os.PathLike[str] | None
    options: Any  # SiteOptions


class Labels(Text):
    """Status words and colours of one scorecard, in one language: the report card's
    :class:`~promisescore.renderers.html.Text` (level labels, translated for built-in
    scales) plus the site's status words, colours and role names."""

    def __init__(self, card: Scorecard, lang: Language) -> None:
        super().__init__(card, lang)
        self.colors = level_colors(card)

    def status(self, status: str | None, rated: bool = True) -> str:
        if not rated or status is None:
            return self.lang.gettext("Not rated") if not rated else self.lang.gettext("Rated")
        return self.level(status)

    def of(self, item: PromiseScore) -> str:
        if self.card.format == "1.2":  # the verdict beside the measure (FORMAT.md §8.3)
            return standing_text(self.card, item, self.lang, self.level)
        status = status_of(item)
        if item.rated and status is None:
            return self.lang.pct(item.fulfillment, 0)
        return self.status(status, item.rated)

    def color(self, item: PromiseScore) -> str:
        if not item.rated:
            return self.colors[_UNRATED_KEY]
        status = status_of(item)
        if status is not None:
            return self.colors.get(status, self.colors[_UNRATED_KEY])
        return ramp(item.fulfillment or 0.0)

    def key_label(self, key: str) -> str:
        if key == _UNRATED_KEY:
            return self.lang.gettext("Not rated")
        if key == MEASURED and self.card.format == "1.2":
            return self.lang.gettext("Measured, no verdict")
        if key == RATED and not any(level.id == key for level in self.card.scale.levels):
            return self.lang.gettext("Rated")
        return self.level(key)

    def key_color(self, key: str) -> str:
        return self.colors.get(key, self.colors[_UNRATED_KEY])

    def role(self, person: Assessor | str | None) -> str:
        """An assessor's role as the site names it (``advocacy group``); given a role
        rather than an assessor, as the report card names it."""
        if not isinstance(person, Assessor):
            return super().role(person)
        names = {
            "self": self.lang.gettext("self-assessment"),
            "independent": self.lang.gettext("independent"),
            "advocacy": self.lang.gettext("advocacy group"),
            "desk": self.lang.gettext("the tracker's desk"),
        }
        return names.get(person.role or "", "")


def _grade_shown(card: Scorecard) -> bool:
    return card.graded


def reader_rubric(rubric: Rubric) -> tuple[Rubric, frozenset[str]]:
    """The rubric as readers see it, and the ids left out: a format 1.2 rubric without
    its reviewers (FORMAT.md §8.1: an internal second read, never counted and never shown
    on reader pages). Reviewers count in no score, so every number stays the same; with
    them gone from the rubric, no page, feed entry or ``data.json`` can name them."""
    if rubric.format != "1.2":
        return rubric, frozenset()
    hidden = frozenset(a.id for a in rubric.declared_assessors if a.role == REVIEWER)
    if not hidden:
        return rubric, hidden
    with trusted():  # a part of a valid rubric: nothing to check again
        shown = attrs.evolve(
            rubric,
            assessments=tuple(a for a in rubric.assessments if a.by not in hidden),
            declared_assessors=tuple(a for a in rubric.declared_assessors if a.id not in hidden),
        )
    return shown, hidden


def _absolute(context: SiteContext, path: str) -> str | None:
    return None if context.base_url is None else context.base_url + path


@attrs.frozen
class CheckedQuote:
    """A quote verified in its archived copy, as a page shows it: the copy's date and,
    when the copy is published with the site, its path from the tracker's root."""

    archived_on: date | None
    href: str | None = None


#: Endings of archived copies published as they are; any other copy (HTML above all,
#: whose scripts would run on the site's address) is published as plain text.
_PUBLISHED_AS_IS = (".txt", ".pdf")
#: The endings kept in a published copy's name (the rest of the name is its sha256).
_SUFFIX = re.compile(r"\.[a-z0-9]{1,16}")


def archived_quotes(
    rubric: Rubric, prefix: str, options: Any
) -> tuple[dict[str, CheckedQuote], dict[str, bytes]]:
    """The verified quotes of ``rubric`` (evidence id → :class:`CheckedQuote`) and, with
    ``options.with_archives``, the copies to publish under ``{prefix}archives/``, each
    named by its sha256 (so the same copy is published once)."""
    from ..archives.quotes import archived_bytes, verified_quotes

    found = verified_quotes(rubric, archive_root=options.archive_root)
    checked: dict[str, CheckedQuote] = {}
    published: dict[str, bytes] = {}
    for ident, quote in found.items():
        href = None
        if options.with_archives and quote.sha256:
            suffix = os.path.splitext(quote.path)[1].lower()
            if _SUFFIX.fullmatch(suffix) is None:  # a line break, a 300-byte ending...
                suffix = ""  # published as <sha256>.txt
            name = f"archives/{quote.sha256}{suffix if suffix in _PUBLISHED_AS_IS else suffix + '.txt'}"
            if prefix + name not in published:
                data = archived_bytes(quote)
                if data is not None:
                    published[prefix + name] = data
            if prefix + name in published:
                href = name
        checked[ident] = CheckedQuote(quote.archived_on, href)
    return checked, published


def rubric_pages(
    rubric: Rubric,
    prefix: str,
    context: SiteContext,
    checked: dict[str, CheckedQuote] | None = None,
) -> dict[str, str | bytes]:
    """Every file of one tracker, under ``prefix`` (``""`` or ``"name/"``); ``checked``:
    its verified quotes (:func:`archived_quotes`)."""
    from .. import renderers
    from ..cards import ReportCard
    from ..renderers.chart import history_chart
    from ..renderers.html import category_bars, grade_colors, ink, meter_chart
    from .images import SIZE, card_png

    options = context.options
    lang_code = options.lang or rubric.report.lang or "en"
    lang = Language(lang_code)
    env = environment(context.templates, lang_code)
    full = rubric
    rubric, hidden = reader_rubric(rubric)  # a reviewer moves no date (FORMAT.md §8.1)
    card = score(rubric, options.as_of, options.assessor)
    people = assessors_of(rubric, card)
    labels = Labels(card, lang)
    tracker_name = rubric.report.publisher or rubric.report.title
    shown = ReportCard(card)  # what the report card shows: the card computes it
    history = shown.history
    # the x-axis: the term, from its start to the as-of date
    start, end = card.start, card.as_of
    charted = history is not None and len(history.points) > 1
    wide = history_chart(history, lang=lang, start=start, end=end) if charted else None
    narrow = history_chart(history, True, lang, start=start, end=end) if charted else None
    report = rubric.report
    categories = category_bars(card, renderers.RenderOptions(), lang)
    category_titles = {c.id: c.title for c in card.categories}
    promise_models = rubric.promise_index
    updated = report.updated or card.as_of
    changes = status_changes(rubric, card, people)
    rated = card.rated_count
    counted_people = [people[a] for a in card.assessors if a in people]
    found = facets(rubric, card)
    latest = updates(rubric, card, changes)

    def link(path: str) -> str:
        return _absolute(context, prefix + path) or path

    common: dict[str, Any] = {
        "card": card,
        "report": report,
        "lang": lang,
        "labels": labels,
        "accent": context.accent,
        "logo": context.logo,
        "csp": SITE_CSP,
        "updated": updated,
        "people": people,
        "counted_people": counted_people,
        "show_grade": _grade_shown(card),
        "grade_colors": grade_colors(card),
        "ink": ink,
        "category_titles": category_titles,
        "status_of": status_of,
        "is_stale": lambda item: stale_shown(card, item),
        "stale_rating": lambda item, r: stale_rating(card, item, r),
        "since": lambda item: since_text(card, item, lang, labels.level),
        "headline": labels.headline(),
        "umbrellas": umbrella_texts(card, lang, labels.level),
        "umbrella_message": lang.gettext(UMBRELLA_MESSAGE),
        "term_over": term_over_text(card, lang),
        "v12": card.format == "1.2",
        "multi": prefix != "",
        "feed_url": None,
        "facets": found,
        "status_paths": {f.key: f.path for f in found.statuses},
        "status_key": lambda item: group_key(card, item),
        "share_links": share_links,
        "og_size": SIZE,
    }

    def page(template: str, path: str, image: str = "og/tracker.png", **values: Any) -> str:
        depth = path.count("/")
        root = "../" * depth
        text: str = env.get_template(template).render(
            **common,
            root=root,
            site_root=root + ("../" if prefix else ""),
            path=path,
            canonical=_absolute(context, prefix + path),
            og_image=_absolute(context, prefix + image) or root + image,
            **{"og_alt": report.title, **values},
        )
        return text

    files: dict[str, str | bytes] = {}
    groups = counts_by_status(card)
    files[prefix + "index.html"] = page(
        "index.html.j2",
        "index.html",
        meter=meter_chart(
            card, card.counts if card.format == "1.2" else card.status_counts(), lang
        ),
        views=assessor_views(card, people, assessor_scorecards(rubric, card)),
        history=wide,
        history_narrow=narrow,
        categories=categories,
        groups=groups,
        rated=rated,
        changes=changes[:5],
        updates=latest,
    )
    # og/tracker.png is the tracker's image: a promise named `tracker` takes the next name
    ids = {item.id for item in card.promises}
    spare = next(f"tracker-{n}" for n in itertools.count(2) if f"tracker-{n}" not in ids)
    for item in card.promises:
        promise = promise_models[item.id]
        image = f"og/{spare if item.id == 'tracker' else item.id}.png"
        files[f"{prefix}promises/{item.id}.html"] = page(
            "promise.html.j2",
            f"promises/{item.id}.html",
            item=item,
            promise=promise,
            entries=rating_history(rubric, item, card.as_of, people),
            evidence=evidence_sorted(item.trace.evidence),
            checked=checked or {},
            changes=[c for c in changes if c.promise == item.id],
            image=image,
            og_alt=f"{item.title}: {labels.of(item)}",
        )
        files[prefix + image] = card_png(
            item.title, labels.of(item), labels.color(item), tracker_name, ink(labels.color(item))
        )
    for category in card.categories:
        members = [p for p in card.promises if p.category == category.id]
        files[f"{prefix}categories/{category.id}.html"] = page(
            "category.html.j2",
            f"categories/{category.id}.html",
            category=category,
            members=members,
            bar=next(b for b in categories if b.id == category.id),
        )
    for facet in found.statuses:
        files[prefix + facet.path] = page(
            "filter.html.j2",
            facet.path,
            facet=facet,
            kicker=lang.gettext("Status"),
            heading=labels.key_label(facet.key),
        )
    for facet in found.tags:
        files[prefix + facet.path] = page(
            "filter.html.j2",
            facet.path,
            facet=facet,
            kicker=lang.gettext("Tag"),
            heading=f"#{facet.key}",
        )
    files[prefix + UPDATES] = page("updates.html.j2", UPDATES, updates=latest)
    files[prefix + INDEX] = search_index(rubric, card, found, labels.of)
    files[prefix + SCRIPT] = script_text()
    overall = (
        lang.pct(card.overall.score)
        if card.overall.score is not None
        else lang.gettext("No score yet")
    )
    if card.graded and card.overall.grade:
        overall += f" · {lang.gettext('grade')} {card.overall.grade}"
    overall_color = grade_colors(card).get(card.overall.grade or "", "#1d4f91")
    files[prefix + "og/tracker.png"] = card_png(
        report.title, overall, overall_color, tracker_name, ink(overall_color)
    )
    author = report.publisher or report.subject or "promisescore"
    files[prefix + "feed.xml"] = render_feed(
        title=report.title,
        subtitle=lang.gettext("Changes of status of the promises tracked"),
        author=author,
        updated=updated,
        changes=[u.change for u in latest],
        lang=lang,
        link=link,
        journalism={
            (u.change.promise, u.change.date): (u.headline, u.author, u.url) for u in latest
        },
        ident=lambda suffix: (
            _absolute(context, prefix + "feed.xml#" + suffix)
            or f"urn:promisescore:{prefix.strip('/') or 'site'}:{suffix}"
        ),
        label=labels.status,
        describe=labels.of if card.format == "1.2" else None,
    )
    # what `promisescore score FILE --format json` prints (a 1.2 rubric: without the
    # reviewers, who are never shown to readers, nor the warnings that name them)
    warnings = shown.warnings
    if hidden:
        names = {full.assessor(a).name for a in hidden} | set(hidden)
        warnings = tuple(
            w
            for w in ReportCard(score(full, card.as_of, options.assessor)).warnings
            if not any(n in f"{w.message} {w.object_id or ''} {w.hint or ''}" for n in names)
        )
    files[prefix + "data.json"] = "".join(
        renderers.render_iter(card, "json", renderers.RenderOptions(warnings=warnings))
    )
    files[prefix + "badge.svg"] = renderers.render(card, "badge", renderers.RenderOptions())
    return files


def multi_index(entries: list[tuple[str, Rubric]], context: SiteContext) -> str:
    """The list page of a site of several trackers."""
    from ..renderers.html import CSP, grade_colors, ink

    options = context.options
    lang_code = options.lang or "en"
    lang = Language(lang_code)
    env = environment(context.templates, lang_code)
    rows = []
    latest: date | None = None
    for slug, rubric in entries:
        card = score(rubric, options.as_of, options.assessor)
        rows.append(
            {
                "slug": slug,
                "card": card,
                "report": rubric.report,
                "show_grade": _grade_shown(card),
                "grade_color": grade_colors(card).get(card.overall.grade or "", "#595959"),
                "rated": card.rated_count,
            }
        )
        latest = card.as_of if latest is None else max(latest, card.as_of)
    text: str = env.get_template("sites.html.j2").render(
        rows=rows,
        lang=lang,
        accent=context.accent,
        logo=context.logo,
        csp=CSP,
        ink=ink,
        root="",
        site_root="",
        path="index.html",
        canonical=_absolute(context, "index.html"),
        heading=options.title or lang.gettext("Promise trackers"),
        as_of=latest,
        multi=False,
        report=None,
    )
    return text


def environment(templates: str | os.PathLike[str] | None, lang: str) -> jinja2.Environment:
    """The pages' Jinja environment: the override folder first, then the site's and the
    HTML report's templates; autoescaped; gettext from the catalogue of ``lang``.

    The built-in templates are also reachable as ``promisescore/NAME``, so an override
    ``base.html.j2`` can ``{% extends "promisescore/base.html.j2" %}`` and replace only
    some blocks."""
    from ..renderers.html import template_environment

    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    built_in = jinja2.PackageLoader("promisescore.site", "templates")
    loaders.append(built_in)
    loaders.append(jinja2.PackageLoader("promisescore.renderers", "templates"))
    # the built-in templates also as "promisescore/NAME", so an override can extend them
    loaders.append(jinja2.PrefixLoader({"promisescore": built_in}))
    return template_environment(jinja2.ChoiceLoader(loaders), lang)
