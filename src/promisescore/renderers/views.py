"""What published pages (the HTML report, the site) show, computed from a rubric and its scorecard.

Nothing here formats HTML: these are plain values for the templates (and the feed).
Format 1.1 fields (``status``, assessor names and roles) are read where the scorecard
has them; a format 1 scorecard falls back to the consensus ``rating`` and to the
assessor ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

import attrs

from ..i18n import N_, Language
from ..model import Evidence, Rubric
from ..scoring import AssessorRating, PromiseScore, Scorecard
from ..scoring.engine import score_promise

Day = date  # the type, under a name that fields called ``date`` do not shadow


@attrs.frozen
class Assessor:
    id: str
    name: str
    role: str | None
    url: str | None = None


def assessors_of(rubric: Rubric, card: Scorecard) -> dict[str, Assessor]:
    """Every assessor who rated something, by id, with a display name and role (format
    1.1 ``[[assessors]]``; without the table, the id and ``independent``)."""
    out: dict[str, Assessor] = {}
    declared = card.format != "1" and bool(rubric.declared_assessors)
    for ident in rubric.assessors:
        info = card.assessor_info(ident)
        # an implicit role (no table) is not news to a reader: shown only when declared
        out[ident] = Assessor(ident, info.name, info.role if declared else None, info.url)
    return out


#: Group keys of promises without a status: rated (a percentage only) and unrated.
RATED = "rated"
UNRATED = "unrated"
#: Format 1.2: measured (criteria and target) promises with a figure but no verdict
#: (the ``measured`` key of ``counts``, FORMAT.md §8.10).
MEASURED = "measured"


def status_of(item: PromiseScore) -> str | None:
    """The display status of a scored promise (FORMAT.md §7.6; for format 1 the
    consensus rating)."""
    status: str | None = item.status if item.status is not None else item.rating
    return status


def is_stale(item: PromiseScore) -> bool:
    return item.stale


# --------------------------------------------------------------------------- assessors


@attrs.frozen
class AssessorView:
    """One assessor's own numbers: the rubric scored with only their assessments."""

    assessor: Assessor
    overall: float | None
    grade: str | None
    coverage: float | None
    categories: dict[str, float | None]  # category id → score
    counted: bool  # enters the combined headline


def assessor_views(
    card: Scorecard,
    people: dict[str, Assessor],
    own_cards: Mapping[str, Scorecard],
    hide: frozenset[str] = frozenset(),
) -> list[AssessorView]:
    """Side by side: each assessor's overall and per-category scores (empty with one),
    from their own scorecards (``own_cards``, computed by the card:
    :func:`promisescore.cards.assessor_scorecards`). ``hide``: assessors left out (the
    reviewers, on reader pages: FORMAT.md §8.1). In 1.2 each assessor's figures count
    only what it rated (§8.6), its coverage beside them, and no score where it rated
    nothing."""
    shown = {
        ident: person
        for ident, person in people.items()
        if ident not in hide and ident in own_cards
    }
    if card.assessor is not None or len(shown) < 2:
        return []
    counted = set(card.assessors)
    views = []
    for ident, person in shown.items():
        own = own_cards[ident]
        views.append(
            AssessorView(
                assessor=person,
                overall=own.overall.score,
                grade=own.overall.grade,
                coverage=own.overall.coverage,
                categories={c.id: c.score for c in own.categories},
                counted=ident in counted,
            )
        )
    return views


# --------------------------------------------------------------------------- history


@attrs.frozen
class HistoryEntry:
    """One dated rating of a promise (or of one of its criteria)."""

    date: date
    assessor: Assessor
    rating: str | None  # level id
    value: float | None  # percent scale
    criterion: str | None  # criterion title
    note: str | None
    evidence: tuple[Evidence, ...]
    effective: Day | None = None
    #: Format 1.2 (FORMAT.md §8.7): who wrote the update, its headline and its link.
    author: str | None = None
    headline: str | None = None
    url: str | None = None


def rating_history(
    rubric: Rubric,
    item: PromiseScore,
    as_of: date,
    people: dict[str, Assessor],
    hide: frozenset[str] = frozenset(),
) -> list[HistoryEntry]:
    """Every assessment of the promise dated on or before ``as_of``, newest first
    (but those of the assessors in ``hide``)."""
    promise = rubric.promise(item.id)
    titles = {c.id: c.title for c in promise.criteria}
    index = rubric.evidence_index
    entries = []
    for position, a in enumerate(rubric.assessments_by_promise.get(item.id, ())):
        if a.date > as_of or a.by in hide:
            continue
        person = people.get(a.by) or Assessor(a.by, a.by, None)
        entries.append(
            (
                a.date,
                position,
                HistoryEntry(
                    date=a.date,
                    assessor=person,
                    rating=a.rating,
                    value=a.value,
                    criterion=titles.get(a.criterion) if a.criterion else None,
                    note=a.note,
                    evidence=tuple(index[e] for e in a.evidence if e in index),
                    effective=getattr(a, "effective", None),
                    author=a.author,
                    headline=a.headline,
                    url=a.url,
                ),
            )
        )
    entries.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [entry for _, _, entry in entries]


@attrs.frozen
class StatusChange:
    """A promise's display status changed on ``date`` (one feed entry)."""

    date: date
    promise: str  # promise id
    title: str
    before: str | None
    after: str | None
    rated_before: bool
    rated_after: bool
    notes: tuple[tuple[str, str], ...]  # (assessor name, note) of that day's assessments
    order: int  # the promise's position in the file
    #: Format 1.2 (FORMAT.md §8.7): the headline and url of that day's update (the last
    #: assessment of the day, in file order, that has one), for the feed entry.
    headline: str | None = None
    url: str | None = None
    #: The promise as scored on that day (what a 1.2 page says of its standing).
    scored: PromiseScore | None = attrs.field(default=None, eq=False, repr=False)
    #: The promise as it stood before (``None`` at its first rating).
    previous: PromiseScore | None = attrs.field(default=None, eq=False, repr=False)


def status_changes(
    rubric: Rubric,
    card: Scorecard,
    people: dict[str, Assessor],
    hide: frozenset[str] = frozenset(),
) -> list[StatusChange]:
    """Every change of a promise's status up to the as-of date, newest first (with no
    note of the assessors in ``hide``)."""
    changes: list[StatusChange] = []
    shown = {p.id for p in card.promises}
    for order, promise in enumerate(rubric.promises):
        if promise.id not in shown:
            continue
        days = sorted(
            {
                a.date
                for a in rubric.assessments_by_promise.get(promise.id, ())
                if a.date <= card.as_of
            }
            | {
                e.date
                for e in rubric.evidence_by_promise.get(promise.id, ())
                if e.date <= card.as_of and e.value is not None
            }
        )
        before: str | None = None
        rated_before = False
        last: PromiseScore | None = None
        for day in days:
            now = score_promise(rubric, promise, day, card.assessor)
            after = status_of(now)
            if after == before and now.rated == rated_before:
                continue
            today = [
                a
                for a in rubric.assessments_by_promise.get(promise.id, ())
                if a.date == day
                and a.by not in hide
                and (card.assessor is None or a.by == card.assessor)
            ]
            notes = tuple(
                ((people.get(a.by) or Assessor(a.by, a.by, None)).name, a.note)
                for a in today
                if a.note
            )
            headline: str | None = None
            url: str | None = None
            for a in today:
                if a.headline:
                    headline, url = a.headline, a.url
            changes.append(
                StatusChange(
                    day,
                    promise.id,
                    promise.title,
                    before,
                    after,
                    rated_before,
                    now.rated,
                    notes,
                    order,
                    headline,
                    url,
                    now,
                    # 1.2 shows the figure as it stood just before (it moves without
                    # a change of status)
                    score_promise(rubric, promise, day - timedelta(days=1), card.assessor)
                    if is_v12(card) and last is not None
                    else last,
                )
            )
            before, rated_before, last = after, now.rated, now
    changes.sort(key=lambda c: (-c.date.toordinal(), c.order))
    return changes


def group_key(card: Scorecard, item: PromiseScore) -> str:
    """The key of a promise's status group (and of its status page on the site): its
    status (a level id), else ``measured`` (a 1.2 figure with no verdict, FORMAT.md
    §8.3) or ``rated`` (a percentage only), else ``unrated``."""
    if not item.rated:
        return UNRATED
    status = status_of(item)
    if status is not None:
        return status
    return MEASURED if card.format == "1.2" and item.kind != "plain" else RATED


def counts_by_status(card: Scorecard) -> list[tuple[str, list[PromiseScore]]]:
    """The promises grouped by status, most fulfilled level first, then the unrated ones."""
    groups: dict[str, list[PromiseScore]] = {}
    for item in card.promises:
        groups.setdefault(group_key(card, item), []).append(item)
    order = [level.id for level in reversed(card.scale.levels)]
    last = (RATED, MEASURED, UNRATED)
    keys = [k for k in order if k in groups]
    keys += sorted(k for k in groups if k not in order and k not in last)
    keys += [k for k in last if k in groups and k not in keys]
    return [(k, groups[k]) for k in keys]


def evidence_sorted(items: Sequence[Evidence]) -> list[Evidence]:
    """Newest first (file order within a day)."""
    indexed = list(enumerate(items))
    indexed.sort(key=lambda t: (-t[1].date.toordinal(), t[0]))
    return [e for _, e in indexed]


# --------------------------------------------------------------------------- format 1.2
#
# What a reader sees of a format 1.2 rubric (FORMAT.md §8): the measure beside (or
# instead of) the verdict, "Kept since …", stale flags only on open ratings, whose
# verdict the headline is, and every change with its re-rated / composition parts.
# Each function takes a :class:`~promisescore.i18n.Language` (``Language()`` is
# English), so the text and Markdown reports, the HTML report card and the site say
# the same thing in one place.

#: The role of an internal second read, never shown on reader pages (FORMAT.md §8.1).
REVIEWER = "reviewer"


def is_v12(card: Scorecard) -> bool:
    """A scorecard of a format 1.2 rubric (the rules of FORMAT.md §8 apply)."""
    return card.format == "1.2"


def reviewer_ids(card: Scorecard) -> frozenset[str]:
    """The ids of the assessors whose role is ``reviewer`` (none before 1.2)."""
    if not is_v12(card):
        return frozenset()
    return frozenset(a.id for a in card.assessor_details if a.role == REVIEWER)


def is_final(card: Scorecard, level_id: str | None) -> bool:
    """Whether ``level_id`` is a final level of the scale (a verdict on record)."""
    return any(level.id == level_id and level.final for level in card.scale.levels)


def stale_shown(card: Scorecard, item: PromiseScore) -> bool:
    """Whether a report flags the promise as not reviewed recently: its ``stale``, but in
    1.2 never on a promise whose status is a final verdict (FORMAT.md §8.2)."""
    if not item.stale:
        return False
    return not (is_v12(card) and is_final(card, status_of(item)))


def stale_rating(card: Scorecard, item: PromiseScore, rating: AssessorRating) -> bool:
    """Whether one assessor's counted rating of the promise is stale (1.2: per rating,
    only at an open level; FORMAT.md §8.2)."""
    return is_v12(card) and rating.stale and not is_final(card, rating.rating)


def criteria_met(item: PromiseScore) -> tuple[int, int]:
    """``(met, total)``: the criteria whose consensus value is 1, and all of them."""
    parts = item.trace.criteria
    return sum(1 for c in parts if c.assessed and c.value >= 1.0), len(parts)


def measure_text(card: Scorecard, item: PromiseScore, lang: Language) -> str | None:
    """A 1.2 measured promise's figure: ``80% of target``, ``2 of 3 criteria met``;
    ``None`` for a plain promise, before 1.2, or with no figure yet (FORMAT.md §8.3)."""
    return measure_of(item, lang) if is_v12(card) else None


def measure_of(item: PromiseScore, lang: Language) -> str | None:
    """The measure of a criteria or target promise (see :func:`measure_text`), whatever
    the format; ``None`` for a plain promise or without a figure."""
    if item.kind == "plain" or item.fulfillment is None:
        return None
    if item.kind == "target":
        return lang.gettext("%(share)s of target") % {"share": lang.pct(item.fulfillment, 0)}
    met, total = criteria_met(item)
    message = lang.ngettext(
        "%(met)s of %(num)s criterion met", "%(met)s of %(num)s criteria met", total
    )
    return message % {"met": met, "num": total}


def standing_text(
    card: Scorecard, item: PromiseScore, lang: Language, label: Callable[[str], str]
) -> str:
    """What a 1.2 report says of a promise's standing: the verdict beside the measure
    (``Compromise · 80% of target``), the measure alone without a verdict, the verdict
    alone on a plain promise; the percentage on the percent scale; else "Not rated".
    ``label`` turns a level id into its display label."""
    status = status_of(item)
    figure = measure_text(card, item, lang)
    if status is not None:
        return f"{label(status)} · {figure}" if figure else label(status)
    if figure is not None:
        return figure
    if not item.rated:
        return lang.gettext("Not rated")
    return lang.pct(item.fulfillment, 0)


def since_text(
    card: Scorecard, item: PromiseScore, lang: Language, label: Callable[[str], str]
) -> str | None:
    """``Kept since 1 September 2022`` (the promise's ``status_since``, FORMAT.md §8.8),
    or ``None`` before 1.2 and for a promise without a status."""
    if not is_v12(card):
        return None
    status, since = status_of(item), item.status_since
    if status is None or since is None:
        return None
    return lang.gettext("%(status)s since %(date)s") % {
        "status": label(status),
        "date": lang.long_date(since),
    }


#: What every report says of an umbrella promise beside the overall score.
UMBRELLA_MESSAGE = N_(
    "Umbrella promise (a verdict on the whole record, not in the score): %(title)s — %(standing)s"
)


def umbrella_texts(
    card: Scorecard, lang: Language, label: Callable[[str], str]
) -> list[tuple[PromiseScore, str]]:
    """Each umbrella promise (docs/format.md) with its standing as its assessors gave it
    (``In the Works since 30 April 2021 (not reviewed recently)``, ``Not rated``), for
    :data:`UMBRELLA_MESSAGE` beside the overall score: never a figure of the headline's."""
    found: list[tuple[PromiseScore, str]] = []
    for item in card.umbrellas:
        standing = since_text(card, item, lang, label) or standing_text(card, item, lang, label)
        if stale_shown(card, item):
            standing += " (" + lang.gettext("not reviewed recently") + ")"
        found.append((item, standing))
    return found


def umbrella_lines(card: Scorecard, lang: Language, label: Callable[[str], str]) -> list[str]:
    """:func:`umbrella_texts` as plain sentences (text and Markdown reports)."""
    message = lang.gettext(UMBRELLA_MESSAGE)
    return [
        message % {"title": item.title, "standing": standing}
        for item, standing in umbrella_texts(card, lang, label)
    ]


def term_over_text(card: Scorecard, lang: Language) -> str | None:
    """``The term ended on 20 January 2025; the record stands as its last assessments
    left it.`` when the card is scored past ``report.end`` (:attr:`Scorecard.term_over`)."""
    if not card.term_over or card.end is None:
        return None
    return lang.gettext(
        "The term ended on %(date)s; the record stands as its last assessments left it."
    ) % {"date": lang.long_date(card.end)}


def headline_text(card: Scorecard, lang: Language) -> str | None:
    """Which roles a 1.2 headline counts: ``Headline: the desk's verdict``, or
    ``Headline: counts independent and advocacy assessors`` (FORMAT.md §8.1); ``None``
    before 1.2 and for one assessor's view."""
    if not is_v12(card) or card.assessor is not None:
        return None
    roles = list(card.consensus_roles)
    if roles == ["desk"]:
        return lang.gettext("Headline: the desk's verdict")
    names = [lang.gettext(role) for role in roles]
    joined = (
        names[0]
        if len(names) == 1
        else ", ".join(names[:-1]) + " " + lang.gettext("and") + " " + names[-1]
    )
    return lang.gettext("Headline: counts %(roles)s assessors") % {"roles": joined}


def change_text(change: object, lang: Language) -> str:
    """A 1.2 change with what moved it (FORMAT.md §8.5):
    ``-0.7 pts (re-rated +0.0, newly rated -0.7)``. ``change`` has ``total``,
    ``rerated`` and ``composition`` (a mapping or attributes: a
    :class:`~promisescore.analysis.changes.ScoreChange`), or is a
    :class:`~promisescore.analysis.changes.Change` (its overall part), or ``None`` ("—")."""
    change = getattr(change, "overall", change)
    if change is None:
        return "—"

    def part(name: str) -> float | None:
        value = change.get(name) if isinstance(change, dict) else getattr(change, name, None)
        return None if value is None else float(value)

    def signed(value: float) -> str:  # "+0.7"; "+0,7" in French
        text = f"{100 * value:+.1f}"
        return text.replace(".", ",") if lang.code == "fr" else text

    total, rerated, composition = part("total"), part("rerated"), part("composition")
    if total is None:
        return "—"
    if rerated is None or composition is None:
        return f"{signed(total)} pts"
    # what `composition` counts: promises newly counted, no longer counted, or both
    joined, left = getattr(change, "joined", 0), getattr(change, "left", 0)
    if left and not joined:
        text = N_("%(total)s (re-rated %(rerated)s, no longer counted %(composition)s)")
    elif left:
        text = N_("%(total)s (re-rated %(rerated)s, newly or no longer counted %(composition)s)")
    else:
        text = N_("%(total)s (re-rated %(rerated)s, newly rated %(composition)s)")
    return lang.gettext(text) % {
        "total": f"{signed(total)} pts",
        "rerated": signed(rerated),
        "composition": signed(composition),
    }
