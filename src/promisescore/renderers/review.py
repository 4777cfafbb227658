"""The review of a change (``diff --git --format markdown``): a pull-request comment
saying what merging will change on the published tracker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .common import pct
from .diff import overall_change, side_text, standing

if TYPE_CHECKING:
    from ..analysis.diffs import Diff
    from ..analysis.reviews import Review, StatusChange, Update
    from . import RenderOptions


def _overall(review: Review) -> str:
    from .markdown import escape

    o = review.diff.overall
    grades = review.diff.graded and (o.old_grade or o.new_grade)
    old = pct(o.old) + (f" ({o.old_grade or '—'})" if grades else "")
    new = pct(o.new) + (f" ({o.new_grade or '—'})" if grades else "")
    # FORMAT §8.5 (format 1.2): the change with its re-rated and composition parts,
    # in the words of the diff and the report cards
    line = f"**Overall:** {escape(old)} → **{escape(new)}**, {escape(overall_change(review.diff))}"
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


def _change(
    diff: Diff, change: StatusChange, labels: Mapping[str, str], *, added: bool = False
) -> list[str]:
    """A promise's line (its title, id and standing: old → new, or a new promise's, as
    the diff says it: in format 1.2 the verdict beside the measure, or the measure
    alone) and the updates behind it."""
    from .markdown import escape

    def shown(side: str) -> str:
        found = change.change
        # format 1.2: the standing as the diff says it (a verdict is not a figure's
        # word); before 1.2 the status word (§7.6), which the diff's rating column is not
        if diff.v12 and found is not None and (found.old if side == "old" else found.new):
            return escape(standing(diff, found, side))
        level = change.old if side == "old" else change.new
        return escape("no status" if level is None else labels.get(level, level))

    status = f"**{shown('new')}**"
    new = change.change.new if change.change is not None else None
    if added and new is not None and not new.rated and change.new is None:
        status = "not rated yet"
    if not added:
        status = f"{shown('old')} → {status}"
    head = f"- **{escape(change.title)}** (`{change.promise}`): {status}"
    return [head, *(f"  - {_update(update, labels)}" for update in change.updates)]


def _link(text: str, url: str | None) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return text
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{text}]({safe})"


def render_markdown(review: Review, options: RenderOptions | None = None, /) -> str:
    """The pull-request comment (``render(review, "markdown")``)."""
    from .markdown import escape

    diff = review.diff
    labels = dict(diff.labels)
    lines = [
        "### promisescore: what this change does to the published tracker",
        "",
        f"- **Before:** {escape(side_text(diff.old))}",
        f"- **After:** {escape(side_text(diff.new))}",
        "",
    ]
    if not review.old_existed:
        lines += ["The rubric is new in this change: every promise counts as added.", ""]
    if not review.new_exists:
        lines += ["The change deletes the rubric: every promise counts as removed.", ""]
    lines += [_overall(review), ""]
    lines.append(f"#### Status changes ({len(review.status_changes)})")
    lines.append("")
    if not review.status_changes:
        lines.append("No promise changes status.")
    for change in review.status_changes:
        lines += _change(diff, change, labels)
    lines.append("")
    if review.added:
        lines += [f"#### New promises ({len(review.added)})", ""]
        for change in review.added:
            lines += _change(diff, change, labels, added=True)
        lines.append("")
    if review.removed:
        lines += [f"#### Removed promises ({len(review.removed)})", ""]
        lines += [f"- **{escape(title)}** (`{ident}`)" for ident, title in review.removed]
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
