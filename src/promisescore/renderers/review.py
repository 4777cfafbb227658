"""The review of a change (``diff --git --format markdown``): a pull-request comment
saying what merging will change on the published tracker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .common import pct
from .diff import points, side_text

if TYPE_CHECKING:
    from ..analysis.reviews import Review, Update


def _overall(review: Review) -> str:
    from .markdown import escape

    o = review.diff.overall
    grades = review.diff.graded and (o.old_grade or o.new_grade)
    old = pct(o.old) + (f" ({o.old_grade or '—'})" if grades else "")
    new = pct(o.new) + (f" ({o.new_grade or '—'})" if grades else "")
    line = f"**Overall:** {escape(old)} → **{escape(new)}**, {escape(points(o.delta))}"
    change = review.diff.change  # FORMAT §8.5 (format 1.2)
    if change is not None:
        rerated, composition = change.overall.rerated, change.overall.composition
        if rerated is not None and composition is not None:
            line += (
                f" ({escape(points(rerated))} from new ratings, "
                f"{escape(points(composition))} from promises newly counted or no longer counted)"
            )
    return line + f"; coverage {escape(pct(o.old_coverage, 0))} → {escape(pct(o.new_coverage, 0))}"


def _update(update: Update, labels: Mapping[str, str]) -> str:
    from .markdown import escape

    said = labels.get(update.rating or "", update.rating or "")
    if update.rating is None and update.value is not None:
        said = pct(update.value, 0)
    text = f"{escape(update.by)} on {update.date}: {escape(said)}"
    if update.headline:
        headline = f"“{escape(update.headline)}”"
        text += f" — {_link(headline, update.url)}"
    elif update.url:
        text += f" — {_link('the update', update.url)}"
    if update.author:
        text += f" ({escape(update.author)})"
    if update.sources:
        text += "; sources: " + ", ".join(_link(escape(s.title), s.url) for s in update.sources)
    return text


def _link(text: str, url: str | None) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return text
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{text}]({safe})"


def markdown(review: Review) -> str:
    from .markdown import escape

    diff = review.diff
    labels = dict(diff.labels)

    def label(level: str | None) -> str:
        return "no status" if level is None else labels.get(level, level)

    lines = [
        "### promisescore: what this change does to the published tracker",
        "",
        f"- **Before:** {escape(side_text(diff.old))}",
        f"- **After:** {escape(side_text(diff.new))}",
        "",
    ]
    if not review.old_existed:
        lines += ["The rubric is new in this change: every promise counts as added.", ""]
    lines += [_overall(review), ""]
    lines.append(f"#### Status changes ({len(review.status_changes)})")
    lines.append("")
    if not review.status_changes:
        lines.append("No promise changes status.")
    for change in review.status_changes:
        lines.append(
            f"- **{escape(change.title)}** (`{change.promise}`): {escape(label(change.old))} → "
            f"**{escape(label(change.new))}**"
        )
        lines += [f"  - {_update(update, labels)}" for update in change.updates]
    lines.append("")
    for heading, items in (("New promises", review.added), ("Removed promises", review.removed)):
        if items:
            lines += [f"#### {heading} ({len(items)})", ""]
            lines += [f"- **{escape(title)}** (`{ident}`)" for ident, title in items]
            lines.append("")
    lines.append(f"#### New warnings ({len(review.new_warnings)})")
    lines.append("")
    if not review.new_warnings:
        lines.append("None.")
    for problem in review.new_warnings:
        where = problem.file or ""
        if problem.line is not None:
            where += f":{problem.line}"
        lines.append(f"- `{problem.code}` {escape(problem.message)} ({escape(where)})")
    return "\n".join(lines) + "\n"
