"""Timeline output: text (sparklines), JSON, CSV and HTML (inline SVG line chart).

``render(timeline, format, options)``; :func:`svg_chart` draws the chart on its own for
other pages (it reads only ``points[i].as_of``, ``.overall.score``, ``.overall.coverage``
and ``.categories``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..csvtext import Cell, Raw, csv_table
from ..sanitize import terminal
from ..sanitize import xml_text as escape
from . import RenderOptions, formats
from . import render as _render
from .chart import svg_chart as svg_chart  # importable from here, as before
from .common import NO_PROMISES, json_document, pct, whose_view

if TYPE_CHECKING:
    from ..analysis.changes import ScoreChange
    from ..analysis.timelines import Timeline

FORMATS: tuple[str, ...] = formats("timeline")

SPARKS = "▁▂▃▄▅▆▇█"
GAP = "·"


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
        timeline.v12,
    )


def _span(timeline: Timeline) -> str:
    points = timeline.points
    if not points:
        return "no points"
    noun = "point" if len(points) == 1 else "points"
    span = f"{len(points)} {noun}, {points[0].as_of} to {points[-1].as_of}"
    if all(point.promises == 0 for point in points):
        span += f" · {NO_PROMISES}"
    return span


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
    changes = [p.change for p in timeline.points]
    v12 = any(p.v12 for p in timeline.points)
    if v12:  # format 1.2: what moved each change (§8.5)
        from ..i18n import Language
        from .views import change_text

        table = [[*row, change_text(c, Language())] for row, c in zip(table, changes, strict=True)]
        headers = [*headers, "Change"]
        align = (*align, "left")
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
    headers, align = ["Line", "Trend", "First", "Last", "Change"], ("left",) * 2 + ("right",) * 3
    if v12:  # first point to last, with what moved it (FORMAT.md §8.5)
        for row, (line_id, _, _) in zip(rows, series(timeline), strict=True):
            row[4] = change_text(timeline.span_change(line_id), Language())
        align = (*align[:4], "left")
    lines.append(tabulate(rows, headers=headers, colalign=align, disable_numparse=True))
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

#: Format 1.2 adds, at the end, each line's change against the previous point and what
#: moved it (FORMAT.md §8.5): ``change`` is the total, ``rerated + composition`` its parts.
CSV_COLUMNS_12: tuple[str, ...] = (*CSV_COLUMNS, "change", "rerated", "composition")


def csv_text(timeline: Timeline) -> str:
    """One row per date and line (``overall`` or a category id), long format."""
    columns = CSV_COLUMNS_12 if timeline.v12 else CSV_COLUMNS
    return csv_table(columns, _csv_rows(timeline))


def _split_cells(change: ScoreChange | None) -> list[Cell]:
    if change is None:
        return [None, None, None]
    return [change.total, change.rerated, change.composition]


def _csv_rows(timeline: Timeline) -> Iterator[list[Cell]]:
    for point in timeline.points:
        marks = "; ".join(point.marks)
        overall = point.overall
        split = point.change
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
            *(_split_cells(None if split is None else split.overall) if timeline.v12 else ()),
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
                *(_split_cells(point.category_change(category.id)) if timeline.v12 else ()),
            ]


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
    if timeline.v12:  # format 1.2: what moved each change of the overall score (§8.5)
        from ..i18n import Language
        from .views import change_text

        out.append("</tr><tr><td class=muted>Change</td>")
        out += [f"<td class=muted>{escape(change_text(p.change, Language()))}</td>" for p in points]
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
    return json_document(timeline.to_dict())


def render_csv(timeline: Timeline, options: RenderOptions) -> str:
    return csv_text(timeline)


def render_html(timeline: Timeline, options: RenderOptions) -> str:
    return html(timeline)


def render(timeline: Timeline, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render a timeline as ``text``, ``json``, ``csv`` or ``html`` (the registry's
    :func:`promisescore.renderers.render`)."""
    return _render(timeline, format, options)
