"""Charts of scores over time: one module for the report card, the site and the timeline.

Every chart here plots scores and coverage (0–1) against dates through one
:class:`Frame` and draws its lines from the same :func:`runs` (broken where a date has
no score). Two drawings use it:

- :func:`history_chart`: the geometry of the report card's chart of the overall score
  and coverage (HTML report, site, notebook), which the Jinja template draws;
- :func:`svg_chart`: the timeline's stand-alone SVG, with one line per category and a
  legend (``timeline --format html``).

Every text is escaped; nothing external is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Any

import attrs

from ..i18n import Language
from ..sanitize import xml_text as escape
from .common import pct

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


def _f(value: float) -> str:
    """A coordinate, to two decimals at most (deterministic, compact)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _fmt(value: float) -> str:
    """A coordinate of the timeline's chart, to one decimal."""
    return f"{value:.1f}"


@attrs.frozen
class Frame:
    """Where a chart plots: ``value`` 0–1 from ``bottom`` up to ``top``, dates from
    ``first`` at ``left`` to ``last`` at ``right`` (one date: the middle)."""

    left: float
    right: float
    top: float
    bottom: float
    first: date | None
    last: date | None

    def x(self, day: date) -> float:
        if self.first is None or self.last is None or self.last == self.first:
            return (self.left + self.right) / 2
        span = self.last.toordinal() - self.first.toordinal()
        return (
            self.left + (self.right - self.left) * (day.toordinal() - self.first.toordinal()) / span
        )

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * value


def runs(coords: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The unbroken runs of points of a line (``None``: no score at that date)."""
    found: list[list[tuple[float, float]]] = []
    run: list[tuple[float, float]] = []
    for item in [*coords, None]:
        if item is None:
            if run:
                found.append(run)
            run = []
        else:
            run.append(item)
    return found


# --------------------------------------------------------------------------- report card


@attrs.frozen
class HistoryPoint:
    as_of: date
    score: float | None
    coverage: float | None
    #: Format 1.2: the change against the previous point (``total``, ``rerated``,
    #: ``composition``: FORMAT.md §8.5), ``None`` at the first point and before 1.2.
    change: Any = attrs.field(default=None, eq=False)


def history_points(history: Any) -> list[HistoryPoint]:
    """Read a timeline duck-typed: ``.points``, each with ``.as_of`` and ``.overall``
    (``.score``, ``.coverage``); sorted by date."""
    points = []
    for point in getattr(history, "points", ()) or ():
        overall = getattr(point, "overall", None)
        points.append(
            HistoryPoint(
                as_of=point.as_of,
                score=getattr(overall, "score", None),
                coverage=getattr(overall, "coverage", None),
                change=getattr(point, "change", None),
            )
        )
    return sorted(points, key=lambda p: p.as_of)


@attrs.frozen
class Dot:
    x: str
    y: str
    label: str
    value: str = ""
    anchor: str = "middle"


@attrs.frozen
class Tick:
    pos: str
    label: str
    anchor: str = "middle"


@attrs.frozen
class HistoryChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    score_paths: tuple[str, ...]
    coverage_paths: tuple[str, ...]
    dots: tuple[Dot, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    points: tuple[HistoryPoint, ...]
    description: str


def _paths(coords: list[tuple[float, float] | None]) -> tuple[str, ...]:
    """SVG path data for runs of points, broken where a point is missing (a lone point
    draws no line: its dot shows it)."""
    return tuple(
        "M" + " L".join(f"{_f(x)} {_f(y)}" for x, y in run) for run in runs(coords) if len(run) > 1
    )


#: Date labels closer than this (in chart units, ~10 characters) would overlap.
_LABEL_GAP = 84
_HALF_LABEL = 34
#: About how wide a character of the charts' 12-unit text is, in chart units.
_CHAR = 7.0
#: Dots closer than this (in chart units) would touch: their radius is 5, with a 2-unit
#: white ring.
_DOT_GAP = 14.0


def _date_ticks(candidates: list[tuple[float, str]]) -> tuple[Tick, ...]:
    """Date labels along the x axis that do not overlap: the first (left-aligned) and
    the last (right-aligned) always, and those between that have room."""
    if len(candidates) == 1:
        x, label = candidates[0]
        return (Tick(_f(x), label),)
    (x0, first), (x1, last) = candidates[0], candidates[-1]
    ticks = [Tick(_f(x0), first, "start")]
    previous, end = x0 + _HALF_LABEL, x1 - _HALF_LABEL
    for x, label in candidates[1:-1]:
        if x - previous >= _LABEL_GAP and end - x >= _LABEL_GAP:
            ticks.append(Tick(_f(x), label))
            previous = x
    ticks.append(Tick(_f(x1), last, "end"))
    return tuple(ticks)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def calendar_ticks(frame: Frame, lang: Language) -> tuple[Tick, ...]:
    """Calendar ticks between the frame's dates: the first day of every year (every 2,
    5 or 10 years when room is short), or of every 1, 2, 3 or 6 months for a span of
    under three years, labelled as the page writes dates ("2021", "March 2021"), the
    coarsest step whose labels do not overlap. None when the frame has one date."""
    first, last = frame.first, frame.last
    if first is None or last is None or last <= first:
        return ()
    span = (last - first).days
    steps: list[tuple[int, bool]] = []  # (months per tick, label with the month)
    if span < 3 * 366:
        steps += [(1, True), (2, True), (3, True), (6, True)]
    steps += [(12, False), (24, False), (60, False), (120, False)]
    chosen: list[Tick] = []
    for months, with_month in steps:
        day = _add_months(date(first.year, first.month, 1), 0 if first.day == 1 else 1)
        if months >= 12:
            day = date(first.year if (first.month, first.day) == (1, 1) else first.year + 1, 1, 1)
            while day.year % (months // 12):
                day = date(day.year + 1, 1, 1)
        elif (day.month - 1) % months:
            day = _add_months(day, months - (day.month - 1) % months)
        ticks: list[tuple[float, str]] = []
        while day <= last:
            label = lang.month_year(day) if with_month else str(day.year)
            ticks.append((frame.x(day), label))
            day = _add_months(day, months)
        if not ticks:
            continue
        widest = max(len(label) for _, label in ticks) * _CHAR + 10
        gaps = [b[0] - a[0] for a, b in pairwise(ticks)]
        if gaps and min(gaps) < widest:
            continue
        chosen = []
        for x, label in ticks:
            anchor = "middle"
            if x - widest / 2 < frame.left - 20:
                anchor = "start"
            elif x + widest / 2 > frame.right + 20:
                anchor = "end"
            chosen.append(Tick(_f(x), label, anchor))
        break
    return tuple(chosen)


def _anchor(x: float, left: float, right: float) -> str:
    """Align a label inwards near the chart's edges so it stays off the axis labels."""
    if x - left < 20:
        return "start"
    if right - x < 20:
        return "end"
    return "middle"


def _within(points: list[HistoryPoint], start: date | None, end: date | None) -> list[HistoryPoint]:
    """The points from ``start`` to ``end``: a point before ``start`` is carried to
    ``start`` (the score standing when the term began), later ones are left out."""
    if end is not None:
        points = [p for p in points if p.as_of <= end]
    if start is None:
        return points
    before = [p for p in points if p.as_of < start]
    after = [p for p in points if p.as_of >= start]
    if before and (not after or after[0].as_of > start):
        after.insert(0, HistoryPoint(start, before[-1].score, before[-1].coverage))
    return after


def _thinned(points: list[HistoryPoint], x_of: Any, gap: float) -> list[HistoryPoint]:
    """At most one point per ``gap`` chart units (the latest of those that share a
    slot), the first and last kept: the line looks the same, its path stays short."""
    if len(points) <= 2:
        return points
    kept: list[HistoryPoint] = [points[0]]
    for point in points[1:-1]:
        if x_of(point.as_of) - x_of(kept[-1].as_of) >= gap:
            kept.append(point)
        elif len(kept) > 1:
            kept[-1] = point
    if x_of(points[-1].as_of) - x_of(kept[-1].as_of) < gap and len(kept) > 1:
        kept[-1] = points[-1]
    else:
        kept.append(points[-1])
    return kept


def history_chart(
    history: Any,
    narrow: bool = False,
    lang: Language | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
) -> HistoryChart | None:
    """Geometry of the line chart of the overall score (and coverage) over time.

    ``narrow``: a version for small screens, half as wide in chart units, so that its
    12-unit text is about 12 px tall on a 400 px phone instead of 6 px.
    ``start``/``end``: the x-axis runs from ``start`` (the term's start) to ``end`` (the
    as-of date) with calendar ticks; without them, from the first to the last point with
    the points' dates as ticks. Dots never overlap: at most one every 14 chart units."""
    points = _within(history_points(history), start, end)
    if not points:
        return None
    lang = lang or Language()
    pct = lang.pct
    coverage_word = lang.gettext("coverage")
    if narrow:
        width, height = 360, 220
        left, right, top, bottom = 40, 344, 16, 184
    else:
        width, height = 720, 240
        left, right, top, bottom = 48, 700, 16, 200
    calendar = start is not None and end is not None and end > start
    frame = Frame(
        left,
        right,
        top,
        bottom,
        start if calendar else points[0].as_of,
        end if calendar else points[-1].as_of,
    )
    x_of, y_of = frame.x, frame.y
    drawn = _thinned(points, x_of, 1.0)  # one point per chart unit draws the same line

    score_coords = [(x_of(p.as_of), y_of(p.score)) if p.score is not None else None for p in drawn]
    coverage_coords = [
        (x_of(p.as_of), y_of(p.coverage)) if p.coverage is not None else None for p in drawn
    ]
    scored = _thinned([p for p in points if p.score is not None], x_of, _DOT_GAP)
    label_dots = len(scored) <= (4 if narrow else 8)  # few points: print each one's score
    dots = tuple(
        Dot(
            _f(x_of(p.as_of)),
            _f(y_of(p.score)),
            f"{p.as_of}: {pct(p.score)}, {coverage_word} {pct(p.coverage, 0)}",
            pct(p.score, 0) if label_dots else "",
            _anchor(x_of(p.as_of), left, right),
        )
        for p in scored
        if p.score is not None
    )
    y_ticks = tuple(Tick(_f(y_of(v)), pct(v, 0)) for v in (0.0, 0.25, 0.5, 0.75, 1.0))
    if calendar:
        x_ticks = calendar_ticks(frame, lang)
    else:
        x_ticks = _date_ticks([(x_of(p.as_of), p.as_of.isoformat()) for p in points])
    if scored:
        description = (
            lang.gettext("Overall score at %(num)s dates from %(first)s to %(last)s:")
            % {"num": len(points), "first": points[0].as_of, "last": points[-1].as_of}
            + " "
            + ", ".join(f"{p.as_of} {pct(p.score)}" for p in scored)
        )
    else:
        description = lang.gettext("No overall score at any of %(num)s dates.") % {
            "num": len(points)
        }
    return HistoryChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        score_paths=_paths(score_coords),
        coverage_paths=_paths(coverage_coords),
        dots=dots,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        points=tuple(points),
        description=description,
    )


# --------------------------------------------------------------------------- timeline


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
    dates = [p.as_of for p in points]
    frame = Frame(
        left, left + plot_w, top, top + plot_h, min(dates, default=None), max(dates, default=None)
    )

    def x(day: int) -> float:
        return frame.x(date.fromordinal(day))

    def y(value: float) -> float:
        return frame.y(min(1.0, max(0.0, value)))

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
        coords = [
            (x(day), y(value)) if value is not None else None
            for value, day in zip(values, days, strict=True)
        ]
        return " ".join(
            " ".join(f"{'L' if i else 'M'}{_fmt(xx)} {_fmt(yy)}" for i, (xx, yy) in enumerate(run))
            for run in runs(coords)
        )

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
