"""HTML: one self-contained, print-friendly page (inline CSS and SVG, no requests).

The page is made by the Jinja template ``templates/report.html.j2`` with autoescaping on,
so every piece of user text is escaped; the charts' geometry is computed here. A strict
Content-Security-Policy in the page forbids scripts and remote loads, so even a missed
escape could not run anything. Links are made only for ``http(s)`` URLs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs
import jinja2

from ..i18n import N_, Language
from ..scoring import PromiseScore, Scorecard
from . import RenderOptions

# the chart's names stay importable from here, as before the chart module
from .chart import _f as _f
from .chart import history_chart as history_chart
from .chart import history_points as history_points
from .common import (
    category_weight,
    level_label,
    meter,
    selected_categories,
    selected_promises,
    weight_text,
)

#: The page's Content-Security-Policy: no script, no remote anything.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# ColorBrewer's RdBu (colour-blind safe), least fulfilled → most fulfilled, with a
# darker neutral in the middle so that no colour vanishes against white paper.
_RAMP = ("#b2182b", "#ef8a62", "#cbbfa9", "#67a9cf", "#2166ac")
_UNRATED = "#d9d9d9"
_MEASURED = "#b9b3d6"
_BAR = "#1d4f91"
_INK_DARK = "#000000"
_INK_LIGHT = "#ffffff"


# --------------------------------------------------------------------------- colour


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def ramp(t: float) -> str:
    """The palette colour at ``t`` in [0, 1] (0 = least fulfilled)."""
    t = min(1.0, max(0.0, t))
    scaled = t * (len(_RAMP) - 1)
    i = min(int(scaled), len(_RAMP) - 2)
    frac = scaled - i
    a, b = _rgb(_RAMP[i]), _rgb(_RAMP[i + 1])
    return _hex([x + (y - x) * frac for x, y in zip(a, b, strict=True)])


def luminance(color: str) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (always ≥ 4.5:1)."""
    return _INK_DARK if contrast(fill, _INK_DARK) >= contrast(fill, _INK_LIGHT) else _INK_LIGHT


def level_colors(card: Scorecard) -> dict[str, str]:
    """A colour per scale level by rank among the levels with a value; grey for unrated."""
    valued = [level for level in card.scale.levels if not level.unrated]
    colors = {level.id: _UNRATED for level in card.scale.levels if level.unrated}
    for i, level in enumerate(valued):
        colors[level.id] = ramp(i / (len(valued) - 1) if len(valued) > 1 else 1.0)
    colors["unrated"] = _UNRATED
    colors["measured"] = _MEASURED  # format 1.2: a figure but no verdict
    return colors


def grade_colors(card: Scorecard) -> dict[str, str]:
    bands = card.grading.bands
    return {
        band.grade: ramp(1.0 - i / (len(bands) - 1) if len(bands) > 1 else 1.0)
        for i, band in enumerate(bands)
    }


# --------------------------------------------------------------------------- text helpers


def is_web_url(url: object) -> bool:
    """Only ``http://`` and ``https://`` URLs become links (never ``javascript:`` etc.)."""
    return isinstance(url, str) and url[:8].lower().startswith(("http://", "https://"))


def long_date(value: date | None) -> str:
    """``2022-01-20`` → ``20 January 2022`` (no locale: the same everywhere)."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


# --------------------------------------------------------------------------- charts


@attrs.frozen
class Segment:
    id: str
    label: str
    count: int
    share: float
    x: str
    width: str
    center: str
    fill: str
    ink: str
    show_count: bool


@attrs.frozen
class Meter:
    segments: tuple[Segment, ...]
    total: int
    description: str


METER_WIDTH = 1000


def meter_chart(
    card: Scorecard,
    counts: Sequence[tuple[str, int]] | None = None,
    lang: Language | None = None,
) -> Meter | None:
    """The stacked bar of promises by level (most fulfilled first), or None without levels."""
    text = Text(card, lang or Language())
    if not card.scale.levels:
        return None
    colors = level_colors(card)
    rows = meter(card, counts)
    total = sum(count for _, _, count in rows)
    segments: list[Segment] = []
    x = 0.0
    for level_id, label, count in rows:
        share = count / total if total else 0.0
        width = METER_WIDTH * share
        fill = colors.get(level_id, _UNRATED)
        segments.append(
            Segment(
                id=level_id,
                label=text.level(level_id)
                if level_id not in ("unrated", "measured")
                else text.gettext(label),
                count=count,
                share=share,
                x=_f(x),
                width=_f(width),
                center=_f(x + width / 2),
                fill=fill,
                ink=ink(fill),
                show_count=count > 0 and width >= 28,
            )
        )
        x += width
    description = "; ".join(f"{s.label}: {s.count}" for s in segments)
    return Meter(tuple(segments), total, description)


@attrs.frozen
class CategoryBar:
    id: str
    title: str
    score: float | None
    grade: str | None
    weight: float
    promises: int
    rated: int
    width: str
    fill: str
    label: str


def category_bars(
    card: Scorecard, options: RenderOptions, lang: Language | None = None
) -> list[CategoryBar]:
    lang = lang or Language()
    no_score, grade_word = lang.gettext("no score"), lang.gettext("grade")
    bars = []
    for c in selected_categories(card, options):
        score = c.score  # type: ignore[attr-defined]
        grade = c.grade  # type: ignore[attr-defined]
        title = c.title  # type: ignore[attr-defined]
        if score is None:
            label = f"{title}: {no_score}"
        else:
            label = f"{title}: {lang.pct(score)}" + (f", {grade_word} {grade}" if grade else "")
        bars.append(
            CategoryBar(
                id=c.id,  # type: ignore[attr-defined]
                title=title,
                score=score,
                grade=grade,
                weight=category_weight(card, c),  # the category's, not only the rated weight
                promises=c.promises,  # type: ignore[attr-defined]
                rated=c.rated,  # type: ignore[attr-defined]
                width=_f(100 * score) if score is not None else "0",
                fill=_BAR,
                label=label,
            )
        )
    return bars


# --------------------------------------------------------------------------- page


@functools.cache
def environment(lang: str = "en") -> jinja2.Environment:
    """The Jinja environment: templates from the package (works from a wheel), autoescaped,
    with the interface text of ``lang`` from the message catalogue."""
    return template_environment(jinja2.PackageLoader("promisescore.renderers", "templates"), lang)


def template_environment(loader: jinja2.BaseLoader, lang: str) -> jinja2.Environment:
    """A Jinja environment as the report card's and the site's templates expect it
    (autoescaped, strict, the ``jinja2.ext.i18n`` extension) reading from ``loader``,
    with :func:`install_language` applied."""
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    return install_language(env, lang)


def install_language(env: jinja2.Environment, lang: str) -> jinja2.Environment:
    """Give ``env`` (with the ``jinja2.ext.i18n`` extension) the interface text of
    ``lang`` and the filters and tests the report card's and the site's templates use:
    ``pct``, ``num``, ``weight`` (a promise's, "—" for an umbrella), ``long_date`` and
    ``web_url``."""
    language = Language(lang)
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["pct"] = language.pct
    env.filters["num"] = language.num
    env.filters["weight"] = lambda item: weight_text(item, language.num)
    env.filters["long_date"] = language.long_date
    env.tests["web_url"] = is_web_url
    return env


_CONSENSUS = {
    "median": N_("the lower median of the assessors' latest ratings"),
    "min": N_("the lowest of the assessors' latest ratings"),
    "max": N_("the highest of the assessors' latest ratings"),
    "mean": N_("the mean of the assessors' latest ratings"),
}

_WORDS = (
    # status flags and evidence effects, shown as words
    N_("overdue"),
    N_("late"),
    N_("stale"),
    N_("advances"),
    N_("regresses"),
    N_("neutral"),
    # assessors' roles (FORMAT.md §7): fixed words, not user text
    N_("self"),
    N_("independent"),
    N_("advocacy"),
    N_("desk"),
    N_("reviewer"),
)


class Text:
    """The interface words of one scorecard in one language: built-in scales' level
    labels are translated, a rubric's own labels and all user text never are."""

    def __init__(self, card: Scorecard, lang: Language) -> None:
        self.card = card
        self.lang = lang
        self.translate = getattr(card.scale, "preset", None) is not None

    def gettext(self, message: str) -> str:
        return self.lang.gettext(message)

    def level(self, level_id: str | None) -> str:
        label = level_label(self.card, level_id)
        known = any(level.id == level_id for level in self.card.scale.levels)
        return self.lang.gettext(label) if self.translate and known else label

    def rating(self, item: PromiseScore) -> str:
        """The rating column (see :func:`.common.rating_text`), in this language."""
        card, _ = self.card, self.lang.gettext
        if card.format == "1.2":  # the verdict beside the measure (FORMAT.md §8.3)
            from .views import standing_text

            return standing_text(card, item, self.lang, self.level)
        if not item.rated:
            return _("Not rated")
        if card.format != "1":
            if item.status is not None:
                return self.level(item.status)
            return self.lang.pct(item.fulfillment, 0)
        if item.rating is not None:
            return self.level(item.rating)
        if item.kind == "criteria":
            return _("Criteria")
        if item.kind == "target":
            return _("Target")
        return _("Rated")

    def role(self, role: str | None) -> str:
        """An assessor's role (``self``, ``independent``, ``advocacy``) in this language."""
        return self.lang.gettext(role) if role else ""

    def rated(self, rated: int, total: int) -> str:
        if total == 0:
            return self.lang.gettext("no promises yet")
        message = self.lang.ngettext(
            "%(rated)s of %(num)s promise rated", "%(rated)s of %(num)s promises rated", total
        )
        return message % {"rated": rated, "num": total}

    def whose(self, assessor: str | None, assessors: Sequence[str]) -> str:
        _ = self.lang.gettext
        if assessor is not None:
            return _("assessor %(name)s") % {"name": assessor}
        if len(assessors) > 1:
            return _("consensus of %(names)s") % {"names": ", ".join(assessors)}
        if assessors:
            return _("assessor %(name)s") % {"name": assessors[0]}
        if self.card.format == "1.2":  # figures may score promises: no assessor's
            return _("no assessor's rating yet")
        return _("no assessors")

    def since(self, item: PromiseScore) -> str | None:
        """Format 1.2: ``Kept since 1 September 2022`` (FORMAT.md §8.8), else ``None``."""
        from .views import since_text

        return since_text(self.card, item, self.lang, self.level)

    def measure(self, item: PromiseScore) -> str | None:
        """Format 1.2: ``80% of target``, ``2 of 3 criteria met`` (FORMAT.md §8.3)."""
        from .views import measure_text

        return measure_text(self.card, item, self.lang)

    def headline(self) -> str | None:
        """Format 1.2: which roles the headline counts (FORMAT.md §8.1)."""
        from .views import headline_text

        return headline_text(self.card, self.lang)

    def change(self, change: object) -> str:
        """Format 1.2: a change with its re-rated and newly rated parts (FORMAT.md §8.5)."""
        from .views import change_text

        return change_text(change, self.lang)

    def about(self, hide: frozenset[str] = frozenset()) -> str:
        """Whose ratings the numbers rest on (see :func:`.common.assessor_text`); the
        assessors in ``hide`` (reviewers on reader pages) are not named."""
        card = self.card
        if card.format == "1":
            return self.whose(card.assessor, card.assessors)
        name = card.assessor_name
        text = self.whose(
            None if card.assessor is None else name(card.assessor),
            [name(a) for a in card.assessors],
        )
        excluded = [a for a in card.excluded_assessors if a not in hide]
        if excluded:
            left = ", ".join(
                f"{name(a)} ({self.role(card.assessor_info(a).role)})" for a in excluded
            )
            text += "; " + self.lang.gettext("not counted (by role): %(names)s") % {"names": left}
        return text


def _flags(card: Scorecard) -> Any:
    def flags(item: PromiseScore) -> list[str]:
        from .views import stale_shown

        out = []
        if item.overdue:
            out.append("overdue")
        if item.late:
            out.append("late")
        if stale_shown(card, item):  # format 1.1; in 1.2 never on a final verdict
            out.append("stale")
        return out

    return flags


def rubric_lang(rubric: Any) -> str | None:
    """The language a rubric's ``[report]`` table asks for, if any."""
    report = getattr(rubric, "report", None)
    lang = getattr(report, "lang", None)
    return lang if isinstance(lang, str) else None


def stylesheet() -> str:
    """The report card's CSS (static: no user text)."""
    return environment().get_template("report.css.j2").render()


def scope_css(css: str, scope: str) -> str:
    """Prefix every selector of ``css`` with ``scope`` (``:root``, ``html``, ``body``
    become the scope itself), so a pasted fragment styles only itself. Handles plain
    rules and ``@media`` blocks, which is all the report's stylesheet has."""
    out: list[str] = []
    pos = 0
    while True:
        brace = css.find("{", pos)
        if brace < 0:
            out.append(css[pos:])
            return "".join(out)
        prelude = css[pos:brace]
        lead = prelude[: len(prelude) - len(prelude.lstrip())]
        if prelude.strip().startswith("@"):
            depth, end = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[end], 0)
                end += 1
            out.append(f"{prelude}{{{scope_css(css[brace + 1 : end - 1], scope)}}}")
            pos = end
            continue
        close = css.index("}", brace)
        selectors = [part.strip() for part in prelude.split(",")]
        scoped = []
        for selector in selectors:
            head, _, rest = selector.partition(" ")
            if head in (":root", "html", "body"):
                scoped.append(f"{scope} {rest}".strip())
            elif selector == "*":
                scoped.extend([scope, f"{scope} *"])
            else:
                scoped.append(f"{scope} {selector}")
        out.append(lead + ", ".join(scoped) + " " + css[brace : close + 1])
        pos = close + 1


def render(card: Scorecard, options: RenderOptions) -> str:
    from markupsafe import Markup

    from .views import (
        UMBRELLA_MESSAGE,
        assessor_views,
        assessors_of,
        rating_history,
        reviewer_ids,
        stale_rating,
        term_over_text,
        umbrella_texts,
    )

    lang_code = options.lang or (rubric_lang(options.rubric)) or "en"
    lang = Language(lang_code)
    text = Text(card, lang)
    colors = level_colors(card)
    promises = selected_promises(card, options)
    evidence_ids = {p.id: {e.id for e in p.trace.evidence} for p in promises}
    evidence_titles = {p.id: {e.id: e.source.title for e in p.trace.evidence} for p in promises}
    rated = card.rated_count
    template = environment(lang_code).get_template("report.html.j2")
    css = stylesheet()
    if options.fragment:
        css = scope_css(css, ".promisescore-card")
    rubric = options.rubric
    views: list[Any] = []
    histories: dict[str, Any] = {}
    criterion_titles: dict[str, dict[str, str]] = {p.id: {} for p in promises}
    # FORMAT.md §8.1: a reviewer is never shown on a reader page (but with --detail)
    hide = frozenset() if options.detail else reviewer_ids(card)
    if rubric is not None:
        people = assessors_of(rubric, card)
        views = assessor_views(card, people, options.assessor_cards, hide)
        histories = {p.id: rating_history(rubric, p, card.as_of, people, hide) for p in promises}
        for p in promises:
            criterion_titles[p.id] = {c.id: c.title for c in rubric.promise(p.id).criteria}
    return template.render(
        css=Markup(css),
        fragment=options.fragment,
        detail=options.detail,
        report=rubric.report if rubric is not None else None,
        views=views,
        histories=histories,
        evidence_titles=evidence_titles,
        criterion_titles=criterion_titles,
        verified=options.verified,
        lang=lang,
        history_narrow=history_chart(
            options.history, narrow=True, lang=lang, start=card.start, end=card.as_of
        )
        if options.history is not None
        else None,
        card=card,
        about=text.about(hide),
        hide=hide,
        v12=card.format == "1.2",
        text=text,
        stale_rating=lambda item, r: stale_rating(card, item, r),
        rated=rated,
        meter=meter_chart(card, lang=lang),
        categories=category_bars(card, options, lang),
        overall_fill=ramp(card.overall.score) if card.overall.score is not None else _UNRATED,
        grade_colors=grade_colors(card),
        promises=promises,
        filtered=options.categories,
        history=history_chart(options.history, lang=lang, start=card.start, end=card.as_of)
        if options.history is not None
        else None,
        warnings=options.warnings,
        colors=colors,
        unrated_color=_UNRATED,
        evidence_ids=evidence_ids,
        rating_text=text.rating,
        label=text.level,
        status=_flags(card),
        flag_text=lang.gettext,
        role_text=text.role,
        effect_text=lang.gettext,
        percent_sign=lang.pct(0.0, 0)[1:],
        rated_text=text.rated,
        ink=ink,
        ramp=ramp,
        has_deadlines=any(p.deadline is not None for p in promises),
        has_status=any(_flags(card)(p) for p in promises),
        assessor_name=card.assessor_name,
        consensus_text=Markup(lang.gettext(_CONSENSUS[card.grading.consensus])),
        umbrellas=umbrella_texts(card, lang, text.level),
        umbrella_message=lang.gettext(UMBRELLA_MESSAGE),
        term_over=term_over_text(card, lang),
    )
