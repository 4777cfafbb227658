"""Diff output: text, Markdown (for a pull-request comment) and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sanitize import terminal
from . import RenderOptions, formats
from . import render as _render
from .common import json_document, pct

if TYPE_CHECKING:
    from ..analysis.diffs import CategoryDelta, Diff, PromiseChange, Side

FORMATS: tuple[str, ...] = formats("diff")


def side_text(side: Side) -> str:
    who = f"assessor {side.assessor}" if side.assessor else "consensus"
    return f"{side.label} as of {side.as_of} ({who})"


def points(delta: float | None) -> str:
    """A change in percentage points: ``+9.0 pts``; ``—`` when undefined."""
    if delta is None:
        return "—"
    return f"{100 * delta:+.1f} pts"


def _level(labels: dict[str, str], level: str | None) -> str:
    if level is None:
        return "—"
    return labels.get(level, level)


def _rating(labels: dict[str, str], change: PromiseChange, side: str) -> str:
    item = change.old if side == "old" else change.new
    if item is None:
        return "—"
    if not item.rated:
        return "not rated"
    if item.rating is not None:
        return _level(labels, item.rating)
    return item.kind


def _standing(labels: dict[str, str], change: PromiseChange, side: str) -> str:
    """Format 1.2: the verdict beside the measure, or the measure alone (FORMAT.md §8.3)."""
    from ..i18n import Language
    from .views import measure_of

    item = change.old if side == "old" else change.new
    if item is None:
        return "—"
    figure = measure_of(item, Language())
    if item.status is not None:
        word = _level(labels, item.status)
        return f"{word} · {figure}" if figure else word
    return figure or ("not rated" if not item.rated else pct(item.fulfillment, 0))


def standing(diff: Diff, change: PromiseChange, side: str) -> str:
    """One side's standing of a changed promise: its rating; in format 1.2 its verdict
    beside its measure (``Compromise · 80% of target``) or the measure alone."""
    shown = _standing if diff.v12 else _rating
    return shown(dict(diff.labels), change, side)


def rating_change(diff: Diff, change: PromiseChange) -> str:
    before, after = standing(diff, change, "old"), standing(diff, change, "new")
    return before if before == after else f"{before} → {after}"


def fulfillment_change(change: PromiseChange) -> str:
    before = pct(change.old.fulfillment, 0) if change.old else "—"
    after = pct(change.new.fulfillment, 0) if change.new else "—"
    if before == after:
        return before
    text = f"{before} → {after}"
    if change.delta is not None:
        text += f" ({100 * change.delta:+.0f})"
    return text


def notes(change: PromiseChange) -> list[str]:
    """Short words on what else changed."""
    found: list[str] = []
    if change.change == "added":
        return ["added"]
    if change.change == "removed":
        return ["removed"]
    old, new = change.old, change.new
    assert old is not None
    assert new is not None
    if change.reversal:
        found.append("REVERSAL")
    if change.direction == "up":
        found.append("up")
    elif change.direction == "down":
        found.append("down")
    if new.rated and not old.rated:
        found.append("newly rated")
    if old.rated and not new.rated:
        found.append("no longer rated")
    if change.newly_overdue:
        found.append("newly overdue")
    if change.no_longer_overdue:
        found.append("no longer overdue")
    if new.late != old.late:
        found.append("now late" if new.late else "no longer late")
    if new.weight != old.weight:
        found.append(f"weight {old.weight:g} → {new.weight:g}")
    if new.category != old.category:
        found.append(f"category {old.category} → {new.category}")
    return found


def criterion_changes(diff: Diff, change: PromiseChange) -> list[tuple[str, str, str]]:
    """``(criterion id, rating change, value change)`` for each changed criterion."""
    labels = dict(diff.labels)
    rows = []
    for item in change.criteria:
        before = _level(labels, item.old_rating) if item.old_rating else pct(item.old_value, 0)
        after = _level(labels, item.new_rating) if item.new_rating else pct(item.new_value, 0)
        if item.old_value is None and item.old_rating is None:
            before = "not assessed"
        if item.new_value is None and item.new_rating is None:
            after = "not assessed"
        old_value = pct(item.old_value, 0) if item.old_value is not None else "—"
        new_value = pct(item.new_value, 0) if item.new_value is not None else "—"
        value = old_value if old_value == new_value else f"{old_value} → {new_value}"
        rows.append((item.id, before if before == after else f"{before} → {after}", value))
    return rows


def criteria_lines(diff: Diff, change: PromiseChange) -> list[str]:
    return [f"{cid}: {rating}" for cid, rating, _ in criterion_changes(diff, change)]


def category_change(old: float | None, new: float | None) -> str:
    if old is None and new is None:
        return "—"
    if old is None:
        return "newly scored"
    if new is None:
        return "no longer scored"
    return points(new - old)


def summary(diff: Diff) -> str:
    data = diff.to_dict()["summary"]
    parts = [
        f"{data['changed']} changed",
        f"{data['added']} added",
        f"{data['removed']} removed",
        f"{data['up']} up",
        f"{data['down']} down",
        f"{data['newly_overdue']} newly overdue",
        f"{data['reversals']} reversal{'s' if data['reversals'] != 1 else ''}",
    ]
    return ", ".join(parts)


def overall_change(diff: Diff) -> str:
    """The overall change: ``+9.0 pts``; for a format 1.2 rubric with what moved it,
    ``-0.7 pts (re-rated +0.0, newly rated -0.7)`` (FORMAT.md §8.5)."""
    split = diff.change
    if split is None:
        return points(diff.overall.delta)
    from ..i18n import Language
    from .views import change_text

    return change_text(split, Language())


def _category_change(c: CategoryDelta) -> str:
    """A category's change (:func:`category_change`), with its 1.2 split when known."""
    split = c.change
    if split is None or c.old is None or c.new is None:
        return category_change(c.old, c.new)
    from ..i18n import Language
    from .views import change_text

    return change_text(split, Language())


def _overall_line(diff: Diff) -> str:
    o = diff.overall
    if diff.change is not None:  # format 1.2: the change with what moved it, no grades
        return (
            f"{pct(o.old)} → {pct(o.new)}: {overall_change(diff)}; "
            f"coverage {pct(o.old_coverage, 0)} → {pct(o.new_coverage, 0)}"
        )
    if not diff.graded:  # format 1.1, bands = []: no grades
        return (
            f"{pct(o.old)} → {pct(o.new)} "
            f"({overall_change(diff)}); coverage {pct(o.old_coverage, 0)} → {pct(o.new_coverage, 0)}"
        )
    return (
        f"{pct(o.old)} {o.old_grade or '—'} → {pct(o.new)} {o.new_grade or '—'} "
        f"({overall_change(diff)}); coverage {pct(o.old_coverage, 0)} → {pct(o.new_coverage, 0)}"
    )


def text(diff: Diff, options: RenderOptions) -> str:
    from tabulate import tabulate

    lines = [f"Old: {side_text(diff.old)}", f"New: {side_text(diff.new)}", ""]
    lines.append(f"Overall   {_overall_line(diff)}")
    lines += ["", "Categories"]
    rows = [
        [
            c.title,
            f"{pct(c.old)} {c.old_grade or ''}".strip(),
            f"{pct(c.new)} {c.new_grade or ''}".strip(),
            _category_change(c),
        ]
        for c in diff.categories
    ]
    lines.append(
        tabulate(
            rows,
            headers=["Category", "Old", "New", "Change"],
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        )
    )
    lines += ["", f"Promises: {summary(diff)}"]
    if diff.no_promises:
        lines.append("Nothing to compare: no promises yet on either side.")
    elif not diff.changes:
        lines.append("No promise changed.")
    else:
        width = max(16, options.width - 70)
        table = []
        for change in diff.changes:
            title = (
                change.promise
                if len(change.promise) <= width
                else change.promise[: width - 1] + "…"
            )
            table.append(
                [
                    title,
                    rating_change(diff, change),
                    fulfillment_change(change),
                    ", ".join(notes(change)),
                ]
            )
            table += [
                ["  · " + cid, rating, value, ""]
                for cid, rating, value in criterion_changes(diff, change)
            ]
        lines.append(
            tabulate(
                table,
                headers=["Promise", "Rating", "Fulfillment", "Notes"],
                disable_numparse=True,
            )
        )
    return "\n".join(lines) + "\n"


def markdown(diff: Diff) -> str:
    from .markdown import escape

    o = diff.overall
    arrow = "" if o.delta is None or o.delta == 0 else (" ▲" if o.delta > 0 else " ▼")
    if diff.graded:
        head = (
            f"**Overall:** {escape(pct(o.old))} ({escape(o.old_grade or '—')}) → "
            f"**{escape(pct(o.new))} ({escape(o.new_grade or '—')})**, "
        )
    else:  # format 1.1, bands = []: no grades
        head = f"**Overall:** {escape(pct(o.old))} → **{escape(pct(o.new))}**, "
    lines = [
        "### promisescore diff",
        "",
        f"- **Old:** {escape(side_text(diff.old))}",
        f"- **New:** {escape(side_text(diff.new))}",
        "",
        head
        + f"{escape(overall_change(diff))}{arrow}; coverage {escape(pct(o.old_coverage, 0))} → "
        f"{escape(pct(o.new_coverage, 0))}",
        "",
    ]
    changed_categories = [c for c in diff.categories if c.changed]
    if changed_categories:
        lines += ["| Category | Old | New | Change |", "|:---|---:|---:|---:|"]
        for c in changed_categories:
            lines.append(
                f"| {escape(c.title)} | {escape(pct(c.old))} | {escape(pct(c.new))} | "
                f"{escape(_category_change(c))} |"
            )
        lines.append("")
    lines.append(f"**Promises:** {escape(summary(diff))}")
    lines.append("")
    if diff.no_promises:
        lines.append("Nothing to compare: no promises yet on either side.")
    elif not diff.changes:
        lines.append("No promise changed.")
    else:
        lines += ["| Promise | Rating | Fulfillment | Notes |", "|:---|:---|:---|:---|"]
        for change in diff.changes:
            detail = notes(change)
            detail += criteria_lines(diff, change)
            lines.append(
                f"| {escape(change.title)} (`{change.promise}`) | "
                f"{escape(rating_change(diff, change))} | {escape(fulfillment_change(change))} | "
                f"{'<br>'.join(escape(d) for d in detail)} |"
            )
    return "\n".join(lines) + "\n"


def render_text(diff: Diff, options: RenderOptions) -> str:
    return terminal(text(diff, options))


def render_markdown(diff: Diff, options: RenderOptions) -> str:
    return markdown(diff)


def render_json(diff: Diff, options: RenderOptions) -> str:
    return json_document(diff.to_dict())


def render(diff: Diff, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render a diff as ``text``, ``markdown`` or ``json`` (the registry's
    :func:`promisescore.renderers.render`)."""
    return _render(diff, format, options)
