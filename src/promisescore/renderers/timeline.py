"""Timeline output: text (sparklines), JSON, CSV and HTML (inline SVG line chart).

``render(timeline, format, options)``; :func:`svg_chart` draws the chart on its own for
other pages (it reads only ``points[i].as_of``, ``.overall.score``, ``.overall.coverage``
and ``.categories``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..csvtext import Cell, Raw, csv_table
from ..sanitize import terminal
from ..sanitize import xml_text as escape
from . import RenderOptions, formats
from . import render as _render
from .common import pct, whose_view

if TYPE_CHECKING:
    from ..analysis.timelines import Timeline

FORMATS: tuple[str, ...] = formats("timeline")

SPARKS = "▁▂▃▄▅▆▇█"
GAP = "·"

#: Line colours: overall first, then categories (colour-blind-safe Okabe–Ito order).
PALETTE: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#8c6d00",
    "#000000",
    "#999999",
)


def sparkline(values: Sequence[float | None]) -> str:
    """One character per value on a fixed 0–1 scale (▁ = 0, █ = 1); ``·`` for no score."""
    out = []
    for value in values:
        if value is None:
            out.append(GAP)
        else:
            index = round(min(1.0, max(0.0, value)) * (len(SPARKS) - 1))
            out.append(SPARKS[index])
    return "".join(out)


def series(timeline: Timeline) -> list[tuple[str, str, list[float | None]]]:
    """``(id, title, scores)`` for the overall line and each category line."""
    rows: list[tuple[str, str, list[float | None]]] = [
        ("overall", "Overall", [p.overall.score for p in timeline.points])
    ]
    for category_id, title in timeline.lines:
        scores: list[float | None] = []
        for point in timeline.points:
            found = point.category(category_id)
            scores.append(found.score if found is not None else None)
        rows.append((category_id, title, scores))
    return rows


def _change(values: Sequence[float | None]) -> str:
    scored = [v for v in values if v is not None]
    if len(scored) < 2:
        return ""
    delta = 100 * (scored[-1] - scored[0])
    return f"{delta:+.1f} pts"


def _first(values: Sequence[float | None]) -> float | None:
    return next((v for v in values if v is not None), None)


def _last(values: Sequence[float | None]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)


def _who(timeline: Timeline) -> str:
    names = dict(timeline.names)
    return whose_view(
        None if timeline.assessor is None else names.get(timeline.assessor, timeline.assessor),
        [names.get(a, a) for a in timeline.assessors],
    )


def _span(timeline: Timeline) -> str:
    points = timeline.points
    if not points:
        return "no points"
    noun = "point" if len(points) == 1 else "points"
    return f"{len(points)} {noun}, {points[0].as_of} to {points[-1].as_of}"


def _reversal_text(timeline: Timeline) -> list[str]:
    if not timeline.reversals:
        return ["Reversals: none (no promise fell from a final level)."]
    lines = [f"Reversals ({len(timeline.reversals)}): promises that fell from a final level"]
    for item in timeline.reversals:
        before = item.from_level or f"f = {item.from_fulfillment:g}"
        after = item.to_level or f"f = {(item.to_fulfillment or 0.0):.2f}"
        lines.append(
            f"  {item.date}  {item.promise}: {before} → {after} (was {before} on {item.since})"
        )
    return lines


def text(timeline: Timeline, options: RenderOptions) -> str:
    from tabulate import tabulate

    lines = [timeline.title, f"Timeline · {_who(timeline)} · {_span(timeline)}", ""]
    if not timeline.points:
        lines.append("No date to score: the series has no date on or before its end.")
        return "\n".join(lines) + "\n"
    table = [
        [
            p.as_of.isoformat(),
            ", ".join(p.marks),
            str(p.events),
            pct(p.overall.score),
            p.overall.grade or "—",
            pct(p.overall.coverage, 0),
            f"{p.rated}/{p.promises}",
        ]
        for p in timeline.points
    ]
    headers = ["Date", "Mark", "Events", "Score", "Grade", "Coverage", "Rated"]
    align: tuple[str, ...] = ("left", "left", "right", "right", "center", "right", "right")
    if not timeline.graded:  # format 1.1, bands = []: no grades
        table = [row[:4] + row[5:] for row in table]
        headers = headers[:4] + headers[5:]
        align = align[:4] + align[5:]
    lines.append(
        tabulate(
            table,
            headers=headers,
            colalign=align,
            disable_numparse=True,
        )
    )
    lines += ["", f"Trends (one character per date; {SPARKS[0]} = 0%, {SPARKS[-1]} = 100%)"]
    title_width = max(16, options.width - 45)
    rows = []
    for line_id, title, values in series(timeline):
        name = title if line_id == "overall" else "  " + title
        if len(name) > title_width:
            name = name[: title_width - 1] + "…"
        rows.append(
            [name, sparkline(values), pct(_first(values)), pct(_last(values)), _change(values)]
        )
    lines.append(
        tabulate(
            rows,
            headers=["Line", "Trend", "First", "Last", "Change"],
            colalign=("left", "left", "right", "right", "right"),
            disable_numparse=True,
        )
    )
    lines += ["", *_reversal_text(timeline)]
    return "\n".join(lines) + "\n"


CSV_COLUMNS: tuple[str, ...] = (
    "as_of",
    "marks",
    "line",
    "title",
    "score",
    "grade",
    "coverage",
    "rated",
    "promises",
)


def csv_text(timeline: Timeline) -> str:
    """One row per date and line (``overall`` or a category id), long format."""
    return csv_table(CSV_COLUMNS, _csv_rows(timeline))


def _csv_rows(timeline: Timeline) -> Iterator[list[Cell]]:
    for point in timeline.points:
        marks = "; ".join(point.marks)
        overall = point.overall
        yield [
            point.as_of,
            marks,
            Raw("overall"),
            Raw("Overall"),
            overall.score,
            overall.grade,
            overall.coverage,
            point.rated,
            point.promises,
        ]
        for category in point.categories:
            yield [
                point.as_of,
                marks,
                category.id,
                category.title,
                category.score,
                category.grade,
                category.coverage,
                category.rated,
                category.promises,
            ]


# --------------------------------------------------------------------------- SVG chart


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def svg_chart(history: Any, *, categories: bool = True, width: int = 720) -> str:
    """A self-contained SVG line chart of scores (and coverage, dashed) over time.

    ``history`` is a :class:`~promisescore.analysis.Timeline` or anything shaped like
    one. Draws nothing external; every text is escaped.
    """
    points = list(history.points)
    lines: list[tuple[str, list[float | None], str, float]] = []
    lines.append(("Overall", [p.overall.score for p in points], PALETTE[0], 3.0))
    if categories:
        ids: dict[str, str] = {}
        for p in points:
            for c in p.categories:
                ids.setdefault(c.id, c.title)
        for i, (category_id, title) in enumerate(ids.items()):
            values: list[float | None] = []
            for p in points:
                found = next((c for c in p.categories if c.id == category_id), None)
                values.append(found.score if found is not None else None)
            lines.append((title, values, PALETTE[1 + i % (len(PALETTE) - 1)], 1.5))
    coverage = [p.overall.coverage for p in points]

    left, right, top, plot_h = 48.0, 16.0, 16.0, 220.0
    plot_w = width - left - right
    legend_rows = (len(lines) + 2) // 2  # two columns, plus the coverage key
    height = top + plot_h + 48 + 18 * legend_rows
    days = [p.as_of.toordinal() for p in points]
    first, last = (min(days), max(days)) if days else (0, 0)

    def x(day: int) -> float:
        if last == first:
            return left + plot_w / 2
        return left + plot_w * (day - first) / (last - first)

    def y(value: float) -> float:
        return top + plot_h * (1.0 - min(1.0, max(0.0, value)))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" role="img" aria-label="Scores over time" '
        'font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="11">',
        "<title>Scores over time</title>",
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        yy = _fmt(y(tick))
        out.append(
            f'<line x1="{_fmt(left)}" x2="{_fmt(left + plot_w)}" y1="{yy}" y2="{yy}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_fmt(left - 6)}" y="{yy}" text-anchor="end" dominant-baseline="middle" '
            f'fill="#555">{100 * tick:.0f}%</text>'
        )
    axis_y = top + plot_h
    for day in days:
        xx = x(day)
        out.append(
            f'<line x1="{_fmt(xx)}" x2="{_fmt(xx)}" y1="{_fmt(axis_y)}" y2="{_fmt(axis_y + 4)}" '
            'stroke="#999"/>'
        )
    # Date labels: the first and last point, then the named marks, wherever they fit.
    order = [0, len(points) - 1] if points else []
    order += [i for i, p in enumerate(points) if getattr(p, "marks", ()) and i not in order]
    taken: list[tuple[float, float]] = []
    for i in sorted(set(order), key=order.index):
        p, xx = points[i], x(days[i])
        name = ", ".join(getattr(p, "marks", ()) or ())
        extent = 6.2 * max(10, len(name))  # about 6px a character at 11px
        anchor, x0 = "middle", xx - extent / 2
        if x0 < left - 8:
            anchor, x0 = "start", xx
        elif x0 + extent > left + plot_w + 8:
            anchor, x0 = "end", xx - extent
        if any(x0 < b + 6 and a < x0 + extent + 6 for a, b in taken):
            continue
        taken.append((x0, x0 + extent))
        out.append(
            f'<text x="{_fmt(xx)}" y="{_fmt(axis_y + 16)}" text-anchor="{anchor}" '
            f'fill="#333">{escape(p.as_of.isoformat())}</text>'
        )
        if name:
            out.append(
                f'<text x="{_fmt(xx)}" y="{_fmt(axis_y + 29)}" text-anchor="{anchor}" '
                f'fill="#777">{escape(name)}</text>'
            )

    def path(values: Sequence[float | None]) -> str:
        parts: list[str] = []
        pen_up = True
        for value, day in zip(values, days, strict=True):
            if value is None:
                pen_up = True
                continue
            parts.append(f"{'M' if pen_up else 'L'}{_fmt(x(day))} {_fmt(y(value))}")
            pen_up = False
        return " ".join(parts)

    cov = path(coverage)
    if cov:
        out.append(
            f'<path d="{cov}" fill="none" stroke="#888" stroke-width="1.5" '
            'stroke-dasharray="5 4"><title>Coverage</title></path>'
        )
    for title, values, colour, stroke in reversed(lines):
        d = path(values)
        if d:
            out.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{stroke:g}" '
                f'stroke-linejoin="round"><title>{escape(title)}</title></path>'
            )
    overall_title, overall_values, overall_colour, _ = lines[0]
    for p, value, day in zip(points, overall_values, days, strict=True):
        if value is None:
            continue
        tip = f"{p.as_of.isoformat()}: {overall_title} {pct(value)}"
        grade = getattr(p.overall, "grade", None)
        if grade:
            tip += f" ({grade})"
        tip += f", coverage {pct(p.overall.coverage, 0)}"
        out.append(
            f'<circle cx="{_fmt(x(day))}" cy="{_fmt(y(value))}" r="3.5" fill="{overall_colour}">'
            f"<title>{escape(tip)}</title></circle>"
        )

    legend = [(title, colour, False) for title, _, colour, _ in lines] + [
        ("Coverage (share of weight rated)", "#888", True)
    ]
    legend_top = top + plot_h + 48
    column_w = plot_w / 2
    for i, (title, colour, dashed) in enumerate(legend):
        lx = left + column_w * (i % 2)
        ly = legend_top + 18 * (i // 2)
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        out.append(
            f'<line x1="{_fmt(lx)}" x2="{_fmt(lx + 18)}" y1="{_fmt(ly)}" y2="{_fmt(ly)}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
        )
        label = title if len(title) <= 48 else title[:47] + "…"
        out.append(
            f'<text x="{_fmt(lx + 24)}" y="{_fmt(ly)}" dominant-baseline="middle" fill="#333">'
            f"{escape(label)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


#: The page's Content-Security-Policy (as in the HTML report): no script, no remote anything.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd}
th{text-align:left;white-space:nowrap;vertical-align:bottom}td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#666}svg{max-width:100%;height:auto}
"""


def html(timeline: Timeline) -> str:
    points = timeline.points
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{escape(timeline.title)} — timeline</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(timeline.title)}</h1>",
        f'<p class="muted">Timeline · {escape(_who(timeline))} · {escape(_span(timeline))}</p>',
        svg_chart(timeline),
        "<h2>Scores by date</h2>",
        "<table><thead><tr><th>Line</th>",
    ]
    for p in points:
        marks = f"<br><span class=muted>{escape(', '.join(p.marks))}</span>" if p.marks else ""
        out.append(f"<th>{escape(p.as_of.isoformat())}{marks}</th>")
    out.append("</tr></thead><tbody>")
    for line_id, title, values in series(timeline):
        name = f"<strong>{escape(title)}</strong>" if line_id == "overall" else escape(title)
        out.append(f"<tr><td>{name}</td>")
        out += [f'<td class="num">{escape(pct(v))}</td>' for v in values]
        out.append("</tr>")
    out.append("<tr><td class=muted>Coverage</td>")
    out += [f'<td class="num muted">{escape(pct(p.overall.coverage, 0))}</td>' for p in points]
    if timeline.graded:
        out.append("</tr><tr><td class=muted>Grade</td>")
        out += [f'<td class="num muted">{escape(p.overall.grade or "—")}</td>' for p in points]
    out.append("</tr></tbody></table>")
    out.append("<h2>Reversals</h2>")
    if not timeline.reversals:
        out.append("<p>None: no promise fell from a final level.</p>")
    else:
        out.append("<ul>")
        for item in timeline.reversals:
            before = item.from_level or f"f = {item.from_fulfillment:g}"
            after = item.to_level or f"f = {(item.to_fulfillment or 0.0):.2f}"
            out.append(
                f"<li>{escape(item.date.isoformat())}: <strong>{escape(item.title)}</strong> "
                f"({escape(item.promise)}) fell from {escape(before)} to {escape(after)} "
                f"(at {escape(before)} on {escape(item.since.isoformat())})</li>"
            )
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_text(timeline: Timeline, options: RenderOptions) -> str:
    return terminal(text(timeline, options))


def render_json(timeline: Timeline, options: RenderOptions) -> str:
    return json.dumps(timeline.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_csv(timeline: Timeline, options: RenderOptions) -> str:
    return csv_text(timeline)


def render_html(timeline: Timeline, options: RenderOptions) -> str:
    return html(timeline)


def render(timeline: Timeline, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render a timeline as ``text``, ``json``, ``csv`` or ``html`` (the registry's
    :func:`promisescore.renderers.render`)."""
    return _render(timeline, format, options)
