"""Terminal report card: summary, meter, category and promise tables, warnings.

Every line fits ``options.width`` columns (at least :data:`MIN_WIDTH`): long text is
wrapped or clipped with "…", and the promise table drops its least important columns
when the terminal is narrow. Colour only when ``options.color`` is set (the CLI sets it
for a terminal without ``NO_COLOR``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import click
from tabulate import tabulate

from ..sanitize import terminal
from ..scoring import PromiseScore, Scorecard
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

#: The narrowest layout the text format makes; narrower widths are treated as this.
MIN_WIDTH = 40

_GRADE_COLORS = {"A": "green", "B": "green", "C": "yellow", "D": "yellow", "F": "red"}


def _style(text: str, options: RenderOptions, **kwargs: object) -> str:
    return click.style(text, **kwargs) if options.color else text  # type: ignore[arg-type]


def _grade(grade: str | None, options: RenderOptions) -> str:
    if grade is None:
        return "—"
    grade = _clip(grade, 8)  # grades are short; a long one must not break the layout
    return _style(grade, options, fg=_GRADE_COLORS.get(grade, "cyan"), bold=True)


def _clip(text: str, width: int) -> str:
    text = terminal(" ".join(text.split()))
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(
        terminal(" ".join(text.split())),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _width(options: RenderOptions) -> int:
    return max(MIN_WIDTH, options.width)


def _visible(line: str) -> int:
    return len(click.unstyle(line))


def summary_lines(card: Scorecard, options: RenderOptions) -> list[str]:
    """Title, subject, as-of, overall score, grade, coverage and the meter."""
    width = _width(options)
    lines = [_style(line, options, bold=True) for line in _wrap(card.title, width)]
    about = [f"as of {card.as_of}", assessor_text(card)]
    if card.subject:
        about.insert(0, card.subject)
    lines += _wrap(" · ".join(about), width)
    headline = headline_roles(card)
    if headline is not None:  # format 1.2: whose verdict the headline is
        lines += _wrap(headline, width)
    lines.append("")
    score = f"Overall   {pct(card.overall.score)}"
    if card.graded:
        score += f"  grade {_grade(card.overall.grade, options)}"
    coverage = f"coverage {coverage_text(card)}"
    if _visible(score) + 2 + len(coverage) <= width:
        lines.append(f"{score}  {coverage}")
    else:
        lines += [score, *_wrap(coverage, width, "          ")]
    lines += [wrapped for line in beside_overall(card) for wrapped in _wrap(line, width)]
    rows = meter(card)
    total = sum(count for _, _, count in rows)
    if total and card.scale.levels:
        lines.append("Promises by rating")
        label_width = min(max(len(label) for _, label, _ in rows), max(8, width // 3))
        count_width = max(len(str(count)) for _, _, count in rows)
        # "  label  count  100%  bar"
        bar_width = max(5, min(40, width - label_width - count_width - 12))
        for _, label, count in rows:
            bar = "█" * round(bar_width * count / total)
            lines.append(
                f"  {_clip(label, label_width):<{label_width}}  {count:>{count_width}}  "
                f"{100 * count / total:>3.0f}%  {bar}".rstrip()
            )
    if card.left_out:
        lines += _wrap(f"Made after {card.as_of}, left out: {', '.join(card.left_out)}", width)
    return lines


def _fit_table(
    build: Callable[[Sequence[str], int, bool], list[list[str]]],
    headers: Sequence[str],
    align: Sequence[str],
    width: int,
    longest: int,
    drop: Sequence[str] = (),
    min_flex: int = 12,
) -> str:
    """A tabulate table no wider than ``width``.

    The first column is the flexible one (titles): ``build(columns, flex, tight)`` makes
    the rows for the given columns with titles clipped to ``flex`` characters (and other
    text clipped harder when ``tight``). When even ``min_flex`` characters of title do not
    fit, the columns in ``drop`` are left out, in that order, one at a time.
    """
    columns = list(headers)
    while True:
        flex = max(1, longest)
        table = _tabulate(build(columns, flex, False), columns, headers, align)
        excess = max(_visible(line) for line in table.splitlines()) - width
        if excess > 0:
            flex = max(min_flex, longest - excess)
            table = _tabulate(build(columns, flex, False), columns, headers, align)
        fits = max(_visible(line) for line in table.splitlines()) <= width
        droppable = [name for name in drop if name in columns]
        if fits or not droppable:
            if not fits:  # last resort: clip everything harder
                table = _tabulate(build(columns, flex, True), columns, headers, align)
                excess = max(_visible(line) for line in table.splitlines()) - width
                if excess > 0:
                    flex = max(3, flex - excess)
                    table = _tabulate(build(columns, flex, True), columns, headers, align)
            return table
        columns.remove(droppable[0])


def _tabulate(
    rows: list[list[str]], columns: Sequence[str], headers: Sequence[str], align: Sequence[str]
) -> str:
    aligns = tuple(align[list(headers).index(name)] for name in columns)
    return tabulate(rows, headers=list(columns), colalign=aligns, disable_numparse=True)


def _category_table(card: Scorecard, options: RenderOptions, width: int) -> str:
    categories = selected_categories(card, options)
    headers = ["Category", "Score", "Grade", "Weight", "Rated"]
    align: tuple[str, ...] = ("left", "right", "center", "right", "right")
    if not card.graded:  # format 1.1, bands = []: no grades
        headers = ["Category", "Score", "Weight", "Rated"]
        align = ("left", "right", "right", "right")

    def build(columns: Sequence[str], flex: int, tight: bool) -> list[list[str]]:
        rows = []
        for c in categories:
            cells = {
                "Category": _clip(c.title, flex),  # type: ignore[attr-defined]
                "Score": pct(c.score),  # type: ignore[attr-defined]
                "Grade": _grade(c.grade, options),  # type: ignore[attr-defined]
                "Weight": num(category_weight(card, c)),
                "Rated": f"{c.rated}/{c.promises}",  # type: ignore[attr-defined]
            }
            rows.append([cells[name] for name in columns])
        return rows

    longest = max(len(" ".join(c.title.split())) for c in categories)  # type: ignore[attr-defined]
    return _fit_table(
        build,
        headers,
        align,
        width,
        longest,
        drop=("Weight", "Rated"),
        min_flex=10,
    )


def _promise_table(
    card: Scorecard, promises: list[PromiseScore], options: RenderOptions, width: int
) -> str:
    headers = ["Promise", "Category", "Rating", "Score", "Wt"]
    align = ["left", "left", "left", "right", "right"]
    if any(p.deadline is not None for p in promises):
        headers.append("Deadline")
        align.append("left")
    since = since_column(card, promises)  # format 1.2: "Kept since 2022-09-01"
    if since is not None:
        headers.append("Since")
        align.append("left")
    if any(status_text(p, card) for p in promises):
        headers.append("Status")
        align.append("left")
    headers.append("Evidence")
    align.append("left")
    # format 1.2 says "Compromise · 80% of target": room for the verdict and the measure
    rating_width = 36 if card.format == "1.2" else 16

    # the category id gets what the width leaves it (a fifth of the line, at least 16),
    # never less than the title column's own minimum
    longest_category = max(len(p.category) for p in promises)
    category_room = min(longest_category, max(16, width // 5))

    def build(columns: Sequence[str], flex: int, tight: bool) -> list[list[str]]:
        rows = []
        for position, item in enumerate(promises):
            status = status_text(item, card)
            if tight and item.stale:  # format 1.1 only: "overdue, late, stale" is long
                status = _clip(status, 9)
            if status and options.color:
                status = click.style(status, fg="red")
            cells = {
                "Promise": _clip(item.title, flex),
                "Category": _clip("umbrella" if item.umbrella else item.category, category_room),
                "Rating": _clip(rating_text(card, item), 9 if tight else rating_width),
                "Since": since[position] if since is not None else "",
                "Score": pct(item.fulfillment, 0),
                "Wt": weight_text(item),
                "Deadline": item.deadline.isoformat() if item.deadline else "",
                "Status": status,
                "Evidence": item.latest_evidence.isoformat() if item.latest_evidence else "",
            }
            rows.append([cells[name] for name in columns])
        return rows

    longest = max(len(" ".join(p.title.split())) for p in promises)
    return _fit_table(
        build,
        headers,
        align,
        width,
        longest,
        drop=("Evidence", "Category", "Wt", "Deadline", "Since"),
        min_flex=16,
    )


def render(card: Scorecard, options: RenderOptions) -> str:
    width = _width(options)
    lines = summary_lines(card, options)

    if options.categories:
        shown = ", ".join(options.categories)
        lines += _wrap(
            f"Showing {shown} only; the overall score and the counts cover every category.", width
        )
    if selected_categories(card, options):
        lines += ["", _style("Categories", options, bold=True)]
        lines.append(_category_table(card, options, width))

    promises = selected_promises(card, options)
    if promises:
        lines += ["", _style("Promises", options, bold=True)]
        lines.append(_promise_table(card, promises, options, width))

        left = excluded_rows(card, promises)
        if left:
            lines += ["", _style("Not counted in the headline (by role)", options, bold=True)]
            for title, text in left:
                lines += _wrap(f"{title}: {text}", width, "  ", "    ")

    if options.warnings:
        lines += ["", _style(f"Warnings ({len(options.warnings)})", options, bold=True)]
        for problem in options.warnings:
            lines += _wrap(problem.format(), width, "  ", "    ")
    return "\n".join(lines) + "\n"
