"""Comparison output: text, JSON, CSV, Markdown and HTML (``promisescore compare``).

``render(comparison, format, options)``. The CSV is one tidy table: the rubric rows, or
with ``--by`` the group rows (the same columns as ``Comparison.to_records()`` and
``group_records()``). The HTML page is self-contained (inline CSS, no script, a strict
Content-Security-Policy) and :func:`fragment` is its body, which notebooks show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..csvtext import Cell, Raw, csv_table
from ..sanitize import markdown_cell
from ..sanitize import terminal as _terminal
from . import RenderOptions, formats
from . import render as _render
from .common import json_document, pct

if TYPE_CHECKING:
    from ..analysis.comparisons import Comparison, Group, RubricRow

FORMATS: tuple[str, ...] = formats("comparison")

SHARE_LABELS: tuple[tuple[str, str], ...] = (
    ("fully-fulfilled", "Fully"),
    ("partially-fulfilled", "Partially"),
    ("not-fulfilled", "Not"),
)


def comparison_repr(comparison: Comparison) -> str:
    """``<Comparison of 2 rubrics, each as of its own date, grouped by category: 7 groups>``."""
    count = len(comparison.rubrics)
    text = f"<Comparison of {count} rubric{'' if count == 1 else 's'}, {_when(comparison)}"
    if comparison.by is not None:
        groups = len(comparison.groups)
        text += f", grouped by {comparison.by}: {groups} group{'' if groups == 1 else 's'}"
    return text + ">"


def _when(comparison: Comparison) -> str:
    if comparison.as_of is not None:
        return f"as of {comparison.as_of.isoformat()}"
    return "each as of its own date"


def term(row: RubricRow) -> str:
    """``2021-01-20 – 2025-01-20``, or ``from 2021-01-20`` without an end."""
    if row.end is None:
        return f"from {row.start.isoformat()}"
    return f"{row.start.isoformat()} – {row.end.isoformat()}"


def count_keys(rows: Sequence[RubricRow] | Sequence[Group]) -> list[str]:
    """Every ``counts`` key of the rows, in first-seen order."""
    keys: list[str] = []
    for row in rows:
        for key, _ in row.counts:
            if key not in keys:
                keys.append(key)
    return keys


def _count(row: RubricRow | Group, key: str) -> str:
    counts = dict(row.counts)
    return str(counts[key]) if key in counts else ""


def group_key(group: Group, comparison: Comparison | None = None) -> str:
    """What a group is called: its key, ``(no tag)`` for no value, and for an assessor
    declared in a format 1.1 rubric its display name and role, ``Name (id, role)``."""
    if group.key is None:
        return f"(no {group.by})"
    if group.by == "assessor" and comparison is not None:
        for row in comparison.rubrics:
            for item in row.card.assessor_details:
                if item.id == group.key and item.name != item.id:
                    return f"{item.name} ({item.id}, {item.role})"
    return group.key


def _rubric_table(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    headers = ["#", "As of", "Score", "Grade", "Coverage", "Rated", "Fully", "Partially", "Not"]
    rows = [[str(i), *_figures(row)] for i, row in enumerate(comparison.rubrics, 1)]
    return headers, rows


def _figures(row: RubricRow) -> list[str]:
    """A rubric row's as-of date, score, grade, coverage, rated count and status shares."""
    shares = dict(row.shares)
    return [
        row.as_of.isoformat(),
        pct(row.overall.score),
        row.overall.grade or "—",
        pct(row.overall.coverage, 0),
        f"{row.rated}/{row.promises}",
        *(pct(shares[key], 0) for key, _ in SHARE_LABELS),
    ]


def _counts_table(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    keys = count_keys(comparison.rubrics)
    rows = [
        [str(i), *(_count(row, k) for k in keys)] for i, row in enumerate(comparison.rubrics, 1)
    ]
    return ["#", *keys], rows


def _group_table(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    keys = count_keys(comparison.groups)
    headers = [comparison.by or "group", "Score", "Weight", "Rated", *keys]
    rows = [
        [
            group_key(g, comparison),
            pct(g.score),
            f"{g.weight:g}",
            f"{g.rated}/{g.promises}",
            *(_count(g, k) for k in keys),
        ]
        for g in comparison.groups
    ]
    return headers, rows


def _legend(comparison: Comparison) -> list[str]:
    lines = []
    for i, row in enumerate(comparison.rubrics, 1):
        lines.append(f"{i}. {row.title}")
        about = [row.subject or "no subject", term(row)]
        if row.file:
            about.append(row.file)
        lines.append("   " + " · ".join(about))
    return lines


def counts_note(comparison: Comparison) -> str | None:
    """Said under the counts when a format 1 rubric is among them."""
    if not any(row.card.format == "1" for row in comparison.rubrics):
        return None
    return (
        "Counts are as in each rubric's score JSON: a format 1 rubric counts its plain "
        "promises only; a format 1.1 rubric, and every group, counts the status of every "
        "promise."
    )


SHARES_NOTE = (
    "Fully / Partially / Not: shares of the rated promises with fulfillment 1, between 0 "
    "and 1, and 0 (the CPPG's three codes; each promise counts once)."
)


def text(comparison: Comparison, options: RenderOptions) -> str:
    from tabulate import tabulate

    count = len(comparison.rubrics)
    lines = [f"Comparison of {count} rubric{'' if count == 1 else 's'}, {_when(comparison)}", ""]
    lines += _legend(comparison)
    lines.append("")
    headers, rows = _rubric_table(comparison)
    lines.append(tabulate(rows, headers=headers, disable_numparse=True, stralign="right"))
    lines += ["", SHARES_NOTE, "", "Counts by status"]
    headers, rows = _counts_table(comparison)
    lines.append(tabulate(rows, headers=headers, disable_numparse=True, stralign="right"))
    note = counts_note(comparison)
    if note:
        lines.append(note)
    if comparison.by is not None:
        whose = "the rubric" if count == 1 else f"all {count} rubrics"
        lines += ["", f"Promises of {whose} by {comparison.by}"]
        if comparison.groups:
            headers, rows = _group_table(comparison)
            lines.append(
                tabulate(
                    rows,
                    headers=headers,
                    disable_numparse=True,
                    colalign=("left", *("right" for _ in headers[1:])),
                )
            )
        else:
            lines.append("  none")
        lines.append("Score: Σ weight × fulfillment / Σ weight over the promises counted (Weight).")
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    return markdown_cell(value)  # one line, controls visible, no @mentions


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join(":--" if i < left else "--:" for i in range(len(headers))) + "|")
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out


def markdown(comparison: Comparison, options: RenderOptions) -> str:
    count = len(comparison.rubrics)
    lines = [f"## Comparison of {count} rubric{'' if count == 1 else 's'}, {_when(comparison)}", ""]
    headers = ["Rubric", "Subject", "Term", "As of", "Score", "Grade", "Coverage", "Rated"]
    headers += [label for _, label in SHARE_LABELS]
    rows = [
        [row.title, row.subject or "—", term(row), *_figures(row)] for row in comparison.rubrics
    ]
    lines += _md_table(headers, rows, left=4)
    lines += ["", SHARES_NOTE, "", "### Counts by status", ""]
    keys = count_keys(comparison.rubrics)
    lines += _md_table(
        ["Rubric", *keys],
        [[row.title, *(_count(row, k) for k in keys)] for row in comparison.rubrics],
    )
    if comparison.by is not None:
        lines += ["", f"### By {comparison.by}", ""]
        headers, rows = _group_table(comparison)
        lines += _md_table(headers, rows)
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> Cell:
    if isinstance(value, bool) or not isinstance(value, str | int | float | date | None):
        return Raw(str(value))  # as csv.writer wrote it (True, not true)
    cell: Cell = value
    return cell


def csv_text(comparison: Comparison, options: RenderOptions) -> str:
    from ..frames import columns_of

    if comparison.by is None:
        from ..analysis.comparisons import RUBRIC_COLUMNS

        records = comparison.to_records()
        columns = columns_of(records, RUBRIC_COLUMNS)
    else:
        from ..analysis.comparisons import GROUP_COLUMNS

        records = comparison.group_records()
        columns = columns_of(records, GROUP_COLUMNS)
    return csv_table(columns, ([_cell(record.get(name)) for name in columns] for record in records))


def fragment(comparison: Comparison) -> str:
    """The comparison as an HTML fragment (the body of the page; notebooks show it)."""
    return _html(comparison, page=False)


def _html(comparison: Comparison, page: bool) -> str:
    from .html import CSP, environment, ramp

    keys = count_keys(comparison.rubrics)
    group_keys = count_keys(comparison.groups)
    template = environment().get_template("compare.html.j2")
    return template.render(
        page=page,
        csp=CSP,
        comparison=comparison,
        heading=f"Comparison of {len(comparison.rubrics)} "
        f"rubric{'' if len(comparison.rubrics) == 1 else 's'}, {_when(comparison)}",
        term=term,
        share_labels=SHARE_LABELS,
        shares_note=SHARES_NOTE,
        counts_note=counts_note(comparison),
        keys=keys,
        group_keys=group_keys,
        count=lambda row, key: _count(row, key),
        group_key=lambda g: group_key(g, comparison),
        ramp=ramp,
    )


def html(comparison: Comparison, options: RenderOptions) -> str:
    return _html(comparison, page=True)


def render_text(comparison: Comparison, options: RenderOptions) -> str:
    return _terminal(text(comparison, options))


def render_json(comparison: Comparison, options: RenderOptions) -> str:
    return json_document(comparison.to_dict())


def render_csv(comparison: Comparison, options: RenderOptions) -> str:
    return csv_text(comparison, options)


def render_markdown(comparison: Comparison, options: RenderOptions) -> str:
    return markdown(comparison, options)


def render_html(comparison: Comparison, options: RenderOptions) -> str:
    return html(comparison, options)


def render(
    comparison: Comparison, format: str = "text", options: RenderOptions | None = None
) -> str:
    """Render a comparison as ``text``, ``json``, ``csv``, ``markdown`` or ``html`` (the
    registry's :func:`promisescore.renderers.render`)."""
    return _render(comparison, format, options)
