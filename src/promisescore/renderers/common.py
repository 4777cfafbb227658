"""Helpers shared by renderers: selection, ordering and number formatting."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ..scoring import PromiseScore, Scorecard
from . import RenderOptions


def pct(value: float | None, digits: int = 1) -> str:
    """``0.4949`` → ``"49.5%"``; ``None`` → ``"—"``."""
    return "—" if value is None else f"{100 * value:.{digits}f}%"


def json_document(data: Any) -> str:
    """``data`` as the JSON formats of the analyses print it: indented by two, non-ASCII
    kept, with a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def num(value: float) -> str:
    return f"{value:g}"


def weight_text(item: Any, number: Callable[[float], str] = num) -> str:
    """A promise's weight as its row shows it: "—" for an umbrella promise, which is
    in no sum (docs/format.md, umbrella promises), so that no weight seems to count."""
    return "—" if getattr(item, "umbrella", False) else number(item.weight)


def level_label(card: Scorecard, level_id: str | None) -> str:
    if level_id is None:
        return ""
    for level in card.scale.levels:
        if level.id == level_id:
            return level.label
    return level_id


def rating_text(card: Scorecard, item: PromiseScore) -> str:
    """What a reader sees in the rating column: for format 1.1 the promise's ``status``
    (FORMAT.md §7.6), or its percentage where there is no level (the percent scale)."""
    if card.format == "1.2":  # the verdict beside the measure (FORMAT.md §8.3)
        from ..i18n import Language
        from .views import standing_text

        return standing_text(card, item, Language(), lambda level: level_label(card, level))
    if not item.rated:
        return "Not rated"
    if card.format != "1":
        if item.status is not None:
            return level_label(card, item.status)
        return pct(item.fulfillment, 0)
    if item.rating is not None:
        return level_label(card, item.rating)
    if item.kind == "criteria":
        return "Criteria"
    if item.kind == "target":
        return "Target"
    return "Rated"


#: What every report says of a rubric without promises (a new tracker).
NO_PROMISES = "no promises yet"


def rated_text(rated: int, total: int) -> str:
    """``13 of 18 promises rated`` (``1 of 1 promise rated``; ``no promises yet``)."""
    if total == 0:
        return NO_PROMISES
    return f"{rated} of {total} promise{'' if total == 1 else 's'} rated"


def coverage_text(card: Scorecard) -> str:
    """``59% of the weight; 10 of 21 promises rated``: the coverage (a share of the
    weight) and the count of rated promises, each said as what it is."""
    return (
        f"{pct(card.overall.coverage, 0)} of the weight; "
        f"{rated_text(card.rated_count, len(card.counted))}"
    )


def category_weight(card: Scorecard, category: Any) -> float:
    """The category's weight: its declared weight, else the weight of all its promises
    (rated or not; the scorecard's ``weight`` is the rated weight when undeclared)."""
    declared: float | None = category.declared_weight
    if declared is not None:
        return declared
    return sum(p.weight for p in card.promises if p.category == category.id)


def criterion_title(item: PromiseScore, criterion: str | None) -> str | None:
    """The title of one of a criteria promise's criteria (its id when unknown)."""
    if criterion is None:
        return None
    for c in item.trace.criteria:
        if c.id == criterion:
            return c.title
    return criterion


def status_text(item: PromiseScore, card: Scorecard | None = None) -> str:
    """``overdue, late, stale``: the flags of a promise (with ``card``, a 1.2 final
    verdict is never flagged stale: FORMAT.md §8.2)."""
    from .views import stale_shown

    flags = []
    if item.overdue:
        flags.append("overdue")
    if item.late:
        flags.append("late")
    if item.stale if card is None else stale_shown(card, item):  # format 1.1 and later
        flags.append("stale")
    return ", ".join(flags)


def since_column(card: Scorecard, items: Sequence[PromiseScore]) -> list[str] | None:
    """Format 1.2: ``Kept since 2022-09-01`` (``status_since``, FORMAT.md §8.8) for each
    promise (``""`` without a status); ``None`` before 1.2 or when no promise has one."""
    if card.format != "1.2":
        return None
    cells = []
    for item in items:
        since, status = item.status_since, item.status
        cells.append(
            f"{level_label(card, status)} since {since.isoformat()}"
            if since is not None and status is not None
            else ""
        )
    return cells if any(cells) else None


def beside_overall(card: Scorecard) -> list[str]:
    """What the text and Markdown reports say beside the overall score: each umbrella
    promise's verdict (docs/format.md) and, past ``report.end``, that the term is over."""
    from ..i18n import Language
    from .views import term_over_text, umbrella_lines

    lang = Language()
    found = umbrella_lines(card, lang, lambda level: level_label(card, level))
    over = term_over_text(card, lang)
    return [*found, over] if over is not None else found


def headline_roles(card: Scorecard) -> str | None:
    """Format 1.2: ``Headline: the desk's verdict`` (which roles the headline counts)."""
    from ..i18n import Language
    from .views import headline_text

    return headline_text(card, Language())


def selected_promises(card: Scorecard, options: RenderOptions) -> list[PromiseScore]:
    """The promises to show: filtered by category, in the requested order."""
    items = [p for p in card.promises if not options.categories or p.category in options.categories]
    if options.sort == "id":
        items.sort(key=lambda p: p.id)
    elif options.sort == "weight":
        items.sort(key=lambda p: (-p.weight, p.id))
    elif options.sort == "score":
        items.sort(key=lambda p: (p.fulfillment is None, -(p.fulfillment or 0.0), p.id))
    elif options.sort == "rating":
        ranks = {level.id: i for i, level in enumerate(card.scale.levels)}
        items.sort(
            key=lambda p: (
                p.rating is None,
                -ranks.get(p.rating or "", -1),
                -(p.fulfillment or 0.0),
                p.id,
            )
        )
    return items


def selected_categories(card: Scorecard, options: RenderOptions) -> list[object]:
    return [c for c in card.categories if not options.categories or c.id in options.categories]


def meter(
    card: Scorecard, counts_by: Sequence[tuple[str, int]] | None = None
) -> list[tuple[str, str, int]]:
    """The level counts as ``(level id, label, count)``, levels with a value only, most
    fulfilled first, then the unrated promises (the promise meter readers know).
    ``counts_by``: other counts than ``card.counts`` (such as ``card.status_counts()``)."""
    counts = dict(card.counts if counts_by is None else counts_by)
    rows = [
        (level.id, level.label, counts.get(level.id, 0))
        for level in reversed(card.scale.levels)
        if not level.unrated
    ]
    if "measured" in counts:  # format 1.2: a figure but no verdict (FORMAT.md §8.10)
        rows.append(("measured", "Measured, no verdict", counts["measured"]))
    rows.append(("unrated", "Not rated", counts.get("unrated", 0)))
    return rows


def assessor_text(card: Scorecard) -> str:
    if card.format == "1":
        return whose_view(card.assessor, card.assessors)
    name = card.assessor_name
    text = whose_view(
        None if card.assessor is None else name(card.assessor),
        [name(a) for a in card.assessors],
        card.format == "1.2",
    )
    if card.excluded_assessors:
        left = ", ".join(
            f"{name(a)} ({card.assessor_info(a).role})" for a in card.excluded_assessors
        )
        text += f"; not counted (by role): {left}"
    return text


def rating_by_name(card: Scorecard, rating: object, item: PromiseScore | None = None) -> str:
    """``Name (role): level label`` for an :class:`AssessorRating` of format 1.1
    (``Name (role) on “criterion title”: level label`` for a criterion's rating)."""
    by = getattr(rating, "by", "")
    role = getattr(rating, "role", None) or card.assessor_info(by).role
    level = getattr(rating, "rating", None)
    value = getattr(rating, "value", None)
    what = level_label(card, level) if level is not None else pct(value, 0)
    criterion = getattr(rating, "criterion", None)
    if criterion is not None and item is not None:
        title = criterion_title(item, criterion)
        return f"{card.assessor_name(by)} ({role}) on “{title}”: {what}"
    return f"{card.assessor_name(by)} ({role}): {what}"


def excluded_rows(card: Scorecard, promises: Sequence[PromiseScore]) -> list[tuple[str, str]]:
    """Format 1.1: ``(promise title, "Name (role): rating; ...")`` for every promise with
    ratings left out of the headline by role (shown, not counted)."""
    rows: list[tuple[str, str]] = []
    for item in promises:
        if item.trace.excluded:
            rows.append(
                (item.title, "; ".join(rating_by_name(card, r, item) for r in item.trace.excluded))
            )
    return rows


def whose_view(assessor: str | None, assessors: Sequence[str], v12: bool = False) -> str:
    """``assessor NAME`` or ``consensus of A, B``: whose ratings the numbers rest on;
    with none, ``no assessors`` (format 1.2, where assessors are declared and figures
    may score a promise: ``no assessor's rating yet``)."""
    if assessor is not None:
        return f"assessor {assessor}"
    if len(assessors) > 1:
        return "consensus of " + ", ".join(assessors)
    if assessors:
        return f"assessor {assessors[0]}"
    return "no assessor's rating yet" if v12 else "no assessors"
