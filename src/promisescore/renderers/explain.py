"""``explain`` in words: the prose ``promisescore explain`` prints for an
:class:`~promisescore.scoring.explanations.Explanation` (the data stays in the core)."""

from __future__ import annotations

import json
from typing import Any

from ..sanitize import terminal
from ..scoring.explanations import Contribution, Explanation
from ..scoring.scorecard import PromiseScore, Scorecard, source_to_dict
from . import RenderOptions


def lines(explanation: Explanation) -> list[str]:
    """The explanation in words, one line each, safe for a terminal."""
    found = _narrate(explanation.scorecard, explanation.promise, explanation.contribution)
    return [terminal(line) for line in found]


def render_text(explanation: Explanation, options: RenderOptions) -> str:
    """What ``promisescore explain`` prints."""
    return "\n".join(lines(explanation)) + "\n"


def render_json(explanation: Explanation, options: RenderOptions) -> str:
    """What ``promisescore explain --format json`` prints: the data and the words."""
    data = {**explanation.to_dict(), "explanation": lines(explanation)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _pct(value: float | None) -> str:
    return "no score" if value is None else f"{100 * value:.1f}%"


def _delta(now: float | None, then: float | None) -> str:
    if now is None or then is None:
        return _pct(then)
    points = 100 * (then - now)
    return f"{_pct(then)} ({points:+.1f} points)"


def _who_counted(card: Scorecard, trace: Any) -> list[str]:
    """Format 1.1: whose assessments count here, and whose were left out by role."""
    lines: list[str] = []
    if card.assessor is not None:
        info = card.assessor_info(card.assessor)
        lines.append(
            f"Counted: only {info.name} ({info.role}), chosen with --assessor, whatever its role."
        )
        return lines
    roles = ", ".join(card.consensus_roles) or "none"
    if card.format == "1.2" and card.grading.consensus_roles is None and roles == "desk":
        lines.append(
            "Counted: the desk (the default when an assessor has the role desk): its rating "
            "is the verdict of record; other voices are shown, not counted."
        )
    else:
        lines.append(f"Counted: assessors whose role is {roles} (grading.consensus_roles).")
    if trace.excluded:
        lines.append("Left out by role (shown, not counted):")
        for r in trace.excluded:
            what = r.rating if r.rating is not None else f"{r.value:g}"
            part = f" [criterion {r.criterion!r}]" if r.criterion else ""
            lines.append(f"  - {r.display_name} ({r.role}){part}: {what} on {r.date}")
        if not trace.ratings and not any(part.ratings for part in trace.criteria):
            lines.append("  Only assessors left out by role rated it, so it is unrated here.")
    return lines


def _effective_note(trace: Any) -> str:
    """Where d* is an effective date earlier than the rating's writing date, say so."""
    found: list[str] = []
    ratings = list(trace.ratings)
    for part in trace.criteria:
        ratings.extend(part.ratings)
    for r in ratings:
        if r.effective is not None and r.effective != r.date and r.effective == trace.stable_since:
            found.append(f"{r.display_name}'s rating written on {r.date}")
    if not found:
        return ""
    return " (the effective date of " + "; ".join(found) + ")"


def _freshness(card: Scorecard, result: PromiseScore) -> list[str]:
    """Format 1.1: whether the rating is stale (FORMAT.md §7.3)."""
    after = card.grading.stale_after
    newest = result.trace.newest
    if after is None or newest is None:
        return []
    if result.stale:
        return [
            f"Stale: the newest deciding rating is of {newest}, more than {after} before "
            f"{card.as_of} (grading.stale_after)."
        ]
    return [f"Fresh: the newest deciding rating is of {newest}, within {after} of {card.as_of}."]


def _verdict_lines(card: Scorecard, result: PromiseScore) -> list[str]:
    """Format 1.2: whose verdict stands (FORMAT.md §8.1, §8.3), since when (§8.8), what
    the figure says beside it, and which ratings are stale or were dropped (§8.2)."""
    trace = result.trace
    lines: list[str] = []
    if trace.kind == "plain":
        standing = [r for r in trace.ratings if r.counted]
    else:
        standing = [r for r in trace.verdicts if r.counted]
    names = ", ".join(f"{r.display_name} ({r.role})" for r in standing)
    if result.status is not None:
        lines.append(
            f"Verdict: {result.status}, the verdict of {names}, standing since "
            f"{result.status_since} (status_since)."
        )
    elif trace.kind != "plain" and not card.scale.is_percent:
        lines.append("Verdict: none — no counted assessor gave a verdict on the whole promise.")
    if trace.kind != "plain":
        if trace.verdicts:
            lines.append(f"Verdicts on the whole promise: {trace.verdict_rule}.")
        measure = "of target" if trace.kind == "target" else "by its criteria"
        if result.fulfillment is None:
            lines.append("The figure: none yet (nothing measured on or before as-of).")
        else:
            beside = "beside the verdict" if result.status is not None else "alone, with no verdict"
            lines.append(
                f"The figure says {_pct(result.fulfillment)} {measure}, shown {beside}; "
                "it is what the scores use (a verdict never changes it)."
            )
            contradiction = _contradiction(card, result)
            if contradiction:
                lines.append(contradiction)
    after = card.grading.stale_after
    for r in trace.dropped:
        lines.append(
            f'Dropped as stale (grading.stale = "drop"): {r.display_name}\'s {r.rating} of '
            f"{r.date} — not a final level, and more than {after} before {card.as_of}; "
            "a fresh rating of it remains."
        )
    flagged = [r for r in _every_rating(trace) if r.stale]
    kept_all = card.grading.stale_policy == "drop" and bool(flagged)
    for r in flagged:
        why = (
            "kept: no fresh rating of it remains, and with none fresh all stay"
            if kept_all
            else "flagged, still counted"
        )
        lines.append(
            f"Stale ({why}): {r.display_name}'s {r.rating} of {r.date} — "
            f"not a final level, and more than {after} before {card.as_of}."
        )
    figure = trace.target
    if result.stale and not flagged and figure is not None and figure.date is not None:
        lines.append(
            f"Stale: the figure is of {figure.date} (evidence {figure.evidence!r}), more than "
            f"{after} before {card.as_of}, and no counted verdict stands beside it."
        )
    elif after is not None and not result.stale and not flagged and not trace.dropped:
        lines.append(
            f"Fresh: no counted rating at an open level is older than {after} "
            "(ratings at a final level are never stale)."
        )
    return lines


def _contradiction(card: Scorecard, result: PromiseScore) -> str:
    """The W108 case in words (FORMAT.md §8.3): a final verdict at 0 or 1 that the
    figure contradicts."""
    f = result.trace.standing_fulfillment
    if result.status is None or f is None or card.scale.is_percent:
        return ""
    level = card.scale.level(result.status)
    if not level.final or level.value not in (0.0, 1.0) or (level.value == 1.0) == (f >= 1.0):
        return ""
    said = "short of the goal" if level.value == 1.0 else "at the goal"
    return (
        f"The verdict and the figure contradict each other: {result.status} while the "
        f"figure is {said} (W108); the verdict is published as the assessor gave it."
    )


def _every_rating(trace: Any) -> list[Any]:
    found = list(trace.ratings)
    for part in trace.criteria:
        found.extend(part.ratings)
    found.extend(trace.verdicts)
    return found


def _narrate(card: Scorecard, result: PromiseScore, c: Contribution | None) -> list[str]:
    scale = card.scale
    trace = result.trace
    rule = card.grading.consensus
    lines: list[str] = []
    extended = card.format != "1"
    if extended and card.assessor:
        who = f" by {card.assessor_name(card.assessor)}"
    else:
        who = f" by {card.assessor}" if card.assessor else ""
    lines.append(f"As of {card.as_of}{who}, promise {result.id!r} ({result.title}):")
    if result.rated and result.fulfillment is not None:
        word = result.status if extended else result.rating
        level = f" — {word}" if word else ""
        lines.append(f"  fulfillment {_pct(result.fulfillment)}{level}, weight {result.weight:g}.")
    else:
        lines.append(f"  unrated ({trace.rule}); weight {result.weight:g}.")

    def describe_ratings(ratings: Any, indent: str) -> None:
        for r in ratings:
            what = r.rating if r.rating is not None else f"{r.value:g}"
            value = "" if scale.is_percent or r.value is None else f" (value {r.value:g})"
            cites = "citing " + ", ".join(r.evidence) if r.evidence else "citing no evidence"
            left = "" if r.counted else " — an unrated level, left out of the consensus"
            name = f"{r.display_name} ({r.role})" if extended and r.role else r.by
            on = f" on {r.date}"
            if r.effective is not None and r.effective != r.date:
                on += f" (effective {r.effective})"
            lines.append(f"{indent}- {name}: {what}{value}{on}, {cites}{left}")
            if r.note:
                lines.append(f"{indent}  note: {r.note}")

    if extended:
        lines.extend(_who_counted(card, trace))

    if trace.verdicts:
        lines.append("Each counted assessor's latest verdict on the whole promise:")
        describe_ratings(trace.verdicts, "  ")
    if trace.kind == "plain":
        if trace.ratings:
            lines.append(f"Each assessor's latest rating on or before {card.as_of}:")
            describe_ratings(trace.ratings, "  ")
            lines.append(f"Consensus ({rule}): {trace.rule}.")
        else:
            counted = " by an assessor whose role counts" if trace.excluded else ""
            lines.append(
                f"No assessment of this promise{counted} is dated on or before {card.as_of}."
            )
    elif trace.kind == "criteria":
        lines.append("A criteria promise: fulfillment is the weighted mean of its criteria.")
        for part in trace.criteria:
            lines.append(
                f"  criterion {part.id!r} ({part.title}), weight {part.weight:g}: "
                f"value {part.value:g} — {part.rule}"
            )
            describe_ratings(part.ratings, "    ")
        lines.append(f"Arithmetic: {trace.rule}.")
    else:
        goal = trace.target
        assert goal is not None
        unit = f" {goal.unit}" if goal.unit else ""
        lines.append(
            f"A target promise: {goal.metric} from {goal.baseline:g}{unit} (baseline) to "
            f"{goal.target:g}{unit} (target)."
        )
        if goal.value is not None:
            lines.append(
                f"  latest observed value {goal.value:g}{unit} on {goal.date} (evidence "
                f"{goal.evidence!r}): {trace.rule}."
            )
        else:
            lines.append("  no evidence with a value is dated on or before as-of: unrated.")

    if result.deadline is None:
        lines.append("Deadline: none.")
    else:
        status = "overdue" if result.overdue else "not overdue"
        why = (
            "it is past and the promise has not been fully kept"
            if result.overdue
            else (
                "it has not passed yet"
                if result.deadline >= card.as_of
                else "the promise was fully kept"
            )
        )
        lines.append(f"Deadline {result.deadline}: {status} ({why}).")
    if trace.stable_since is not None:
        since = f"{trace.stable_since}{_effective_note(trace) if extended else ''}"
        if result.late:
            lines.append(
                f"Late: it has stood at {trace.standing_rating or _pct(trace.standing_fulfillment)}"
                f" only since {since}, after the deadline, so grading.late caps it at "
                f"{card.grading.late!r} ({_pct(result.fulfillment)})."
            )
        else:
            lines.append(
                f"Not late: it has stood where it stands since {since}, on or before the deadline."
            )
    if card.format == "1.2":
        lines.extend(_verdict_lines(card, result))
    elif extended:
        lines.extend(_freshness(card, result))

    if trace.evidence:
        lines.append("Evidence on or before as-of:")
        for item in trace.evidence:
            src = source_to_dict(item.source)
            kind = f", {src['kind']}" if src["kind"] else ""
            publisher = f", {src['publisher']}" if src["publisher"] else ""
            lines.append(f"  - {item.id} ({item.date}, {item.effect}): {item.summary}")
            lines.append(f"    source: {src['title']}{publisher}{kind}")
            if item.quote:
                lines.append(f"    quote: “{item.quote}”")
    else:
        lines.append("No evidence on or before as-of.")

    if c is None:
        lines.append(
            "Contribution: none. An umbrella promise is a verdict on the whole record, shown "
            "beside the overall score and left out of every score, count and coverage; "
            "keeping or breaking it moves no headline number."
        )
        return lines
    lines.append(
        f"Contribution: category {result.category!r} is {_pct(c.category_now)}; if this promise "
        f"were kept it would be {_delta(c.category_now, c.category_if_kept)}, if broken "
        f"{_delta(c.category_now, c.category_if_broken)}."
    )
    lines.append(
        f"  Overall is {_pct(c.overall_now)}; kept: {_delta(c.overall_now, c.overall_if_kept)}, "
        f"broken: {_delta(c.overall_now, c.overall_if_broken)}."
    )
    return lines
