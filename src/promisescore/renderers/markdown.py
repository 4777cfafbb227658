"""GitHub-flavoured Markdown: for a pull-request comment or a CI job summary."""

from __future__ import annotations

from ..sanitize import markdown as _markdown
from ..scoring import Scorecard
from . import RenderOptions
from .common import (
    assessor_text,
    beside_overall,
    category_weight,
    coverage_text,
    excluded_rows,
    headline_roles,
    meter,
    num,
    pct,
    rating_text,
    selected_categories,
    selected_promises,
    since_column,
    status_text,
    weight_text,
)


def escape(text: str) -> str:
    """Escape Markdown and HTML syntax so user text renders as text, on one line, with
    controls made visible and @mentions neutralised (:func:`promisescore.sanitize.markdown`)."""
    return _markdown(text)


def _bar(share: float, width: int = 20) -> str:
    """A text bar for the meter: ``██████ 30%``."""
    blocks = "█" * round(width * share)
    return f"{blocks} {100 * share:.0f}%" if blocks else f"{100 * share:.0f}%"


def _table(headers: list[str], align: str, rows: list[list[str]]) -> list[str]:
    marks = {"l": ":---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(card: Scorecard, options: RenderOptions) -> str:
    grade = card.overall.grade or "—"
    lines = [f"## {escape(card.title)}", ""]
    about = [f"as of **{card.as_of}**", escape(assessor_text(card))]
    if card.subject:
        about.insert(0, f"**{escape(card.subject)}**")
    lines.append(" · ".join(about))
    headline = headline_roles(card)
    if headline is not None:  # format 1.2: whose verdict the headline is
        lines += ["", escape(headline)]
    lines.append("")
    graded = f" · grade **{escape(grade)}**" if card.graded else ""
    lines.append(f"**Overall {pct(card.overall.score)}**{graded} · coverage {coverage_text(card)}")
    beside = beside_overall(card)
    if beside:
        lines += ["", *(escape(line) + "  " for line in beside[:-1]), escape(beside[-1])]
    rows = meter(card)
    total = sum(count for _, _, count in rows)
    if card.scale.levels and total:
        lines.append("")
        lines += _table(
            ["Rating", "Promises", "Share"],
            "lrl",
            [[escape(label), str(count), _bar(count / total)] for _, label, count in rows],
        )

    titles = {c.id: c.title for c in card.categories}
    if options.categories:
        shown = ", ".join(escape(titles.get(c, c)) for c in options.categories)
        lines += [
            "",
            f"_Showing {shown} only; the overall score and the counts cover every category._",
        ]
    categories = selected_categories(card, options)
    if categories:
        lines += ["", "### Categories", ""]
        table_rows: list[list[str]] = [
            [
                escape(c.title),  # type: ignore[attr-defined]
                pct(c.score),  # type: ignore[attr-defined]
                escape(c.grade or "—"),  # type: ignore[attr-defined]
                num(category_weight(card, c)),
                f"{c.rated}/{c.promises}",  # type: ignore[attr-defined]
            ]
            for c in categories
        ]
        if card.graded:
            lines += _table(["Category", "Score", "Grade", "Weight", "Rated"], "lrcrr", table_rows)
        else:  # format 1.1, bands = []: no grades
            table_rows = [row[:2] + row[3:] for row in table_rows]
            lines += _table(["Category", "Score", "Weight", "Rated"], "lrrr", table_rows)

    promises = selected_promises(card, options)
    if promises:
        lines += ["", "### Promises", ""]
        deadlines = any(p.deadline is not None for p in promises)
        flags = any(status_text(p, card) for p in promises)
        since = since_column(card, promises)  # format 1.2: "Kept since 2022-09-01"
        headers = ["Promise", "Category", "Rating", "Score", "Weight"]
        align = "lllrr"
        if deadlines:
            headers.append("Deadline")
            align += "l"
        if since is not None:
            headers.append("Since")
            align += "l"
        if flags:
            headers.append("Status")
            align += "l"
        headers.append("Latest evidence")
        align += "l"
        table = []
        for position, p in enumerate(promises):
            row = [
                escape(p.title),
                escape("umbrella" if p.umbrella else titles.get(p.category, p.category)),
                escape(rating_text(card, p)),
                pct(p.fulfillment, 0),
                weight_text(p),
            ]
            if deadlines:
                row.append(p.deadline.isoformat() if p.deadline else "")
            if since is not None:
                row.append(escape(since[position]))
            if flags:
                row.append(f"**{status_text(p, card)}**" if status_text(p, card) else "")
            row.append(p.latest_evidence.isoformat() if p.latest_evidence else "")
            table.append(row)
        lines += _table(headers, align, table)
        left = excluded_rows(card, promises)
        if left:
            lines += ["", "_Ratings not counted in the headline (by the assessor's role):_", ""]
            lines += [f"- {escape(title)}: {escape(text)}" for title, text in left]
    if card.left_out:
        lines += [
            "",
            f"_Made after {card.as_of}, left out:_ " + ", ".join(f"`{i}`" for i in card.left_out),
        ]
    if options.warnings:
        lines += ["", f"<details><summary>Warnings ({len(options.warnings)})</summary>", ""]
        lines += [f"- {escape(problem.format())}" for problem in options.warnings]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
