"""Terminal report card: summary, meter, category and promise tables, warnings."""

from __future__ import annotations

import click
from tabulate import tabulate

from ..scoring import Scorecard
from . import RenderOptions
from .common import (
    assessor_text,
    meter,
    num,
    pct,
    rating_text,
    selected_categories,
    selected_promises,
    status_text,
)

_GRADE_COLORS = {"A": "green", "B": "green", "C": "yellow", "D": "yellow", "F": "red"}


def _style(text: str, options: RenderOptions, **kwargs: object) -> str:
    return click.style(text, **kwargs) if options.color else text  # type: ignore[arg-type]


def _grade(grade: str | None, options: RenderOptions) -> str:
    if grade is None:
        return "—"
    return _style(grade, options, fg=_GRADE_COLORS.get(grade, "cyan"), bold=True)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def summary_lines(card: Scorecard, options: RenderOptions) -> list[str]:
    """Title, subject, as-of, overall score, grade, coverage and the meter."""
    lines = [_style(card.title, options, bold=True)]
    about = [f"as of {card.as_of}", assessor_text(card)]
    if card.subject:
        about.insert(0, card.subject)
    lines.append(" · ".join(about))
    lines.append("")
    rated = sum(1 for p in card.promises if p.rated)
    lines.append(
        f"Overall   {pct(card.overall.score)}  grade {_grade(card.overall.grade, options)}  "
        f"coverage {pct(card.overall.coverage, 0)} ({rated} of {len(card.promises)} promises rated)"
    )
    rows = meter(card)
    if any(count for _, _, count in rows) and card.scale.levels:
        total = max(1, sum(count for _, _, count in rows))
        bar_width = max(10, min(40, options.width - 40))
        lines.append("Meter")
        label_width = max(len(label) for _, label, _ in rows)
        for _, label, count in rows:
            bar = "█" * round(bar_width * count / total)
            lines.append(f"  {label:<{label_width}}  {count:>4}  {bar}")
    if card.left_out:
        lines.append(f"Made after {card.as_of}, left out: {', '.join(card.left_out)}")
    return lines


def render(card: Scorecard, options: RenderOptions) -> str:
    lines = summary_lines(card, options)
    width = options.width

    categories = selected_categories(card, options)
    if categories:
        lines += ["", _style("Categories", options, bold=True)]
        title_width = max(12, width - 50)
        table = [
            [
                _clip(c.title, title_width),  # type: ignore[attr-defined]
                pct(c.score),  # type: ignore[attr-defined]
                _grade(c.grade, options),  # type: ignore[attr-defined]
                num(c.weight),  # type: ignore[attr-defined]
                f"{c.rated}/{c.promises}",  # type: ignore[attr-defined]
            ]
            for c in categories
        ]
        lines.append(
            tabulate(
                table,
                headers=["Category", "Score", "Grade", "Weight", "Rated"],
                colalign=("left", "right", "center", "right", "right"),
                disable_numparse=True,
            )
        )

    promises = selected_promises(card, options)
    if promises:
        lines += ["", _style("Promises", options, bold=True)]
        title_width = max(12, width - 78)
        table = []
        for item in promises:
            status = status_text(item)
            if status and options.color:
                status = click.style(status, fg="red")
            table.append(
                [
                    _clip(item.title, title_width),
                    _clip(item.category, 16),
                    rating_text(card, item),
                    pct(item.fulfillment, 0),
                    num(item.weight),
                    item.deadline.isoformat() if item.deadline else "",
                    status,
                    item.latest_evidence.isoformat() if item.latest_evidence else "",
                ]
            )
        lines.append(
            tabulate(
                table,
                headers=[
                    "Promise",
                    "Category",
                    "Rating",
                    "Score",
                    "Wt",
                    "Deadline",
                    "Status",
                    "Evidence",
                ],
                colalign=("left", "left", "left", "right", "right", "left", "left", "left"),
                disable_numparse=True,
            )
        )

    if options.warnings:
        lines += ["", _style(f"Warnings ({len(options.warnings)})", options, bold=True)]
        lines += [f"  {problem.format()}" for problem in options.warnings]
    return "\n".join(lines) + "\n"
