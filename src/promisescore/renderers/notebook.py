"""Notebook display: one-line ``__repr__`` texts and compact HTML cards (``_repr_html_``).

The cards are drawn by the template ``templates/notebook.html.j2`` in the HTML
renderer's Jinja environment (autoescaped, so every rubric text is HTML-escaped) from
the HTML renderer's own chart geometry (:func:`~.html.meter_chart`,
:func:`~.html.category_bars`, :func:`~.chart.history_chart`). They hold no script and
load nothing: inline styles and SVG only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import RenderOptions
from .common import assessor_text, num, pct, rated_text, whose_view

if TYPE_CHECKING:
    from ..analysis.agreements import Agreement, Metric
    from ..analysis.timelines import Timeline
    from ..scoring import Scorecard


def _score(score: float | None, grade: str | None) -> str:
    if score is None:
        return "no score"
    return f"score {pct(score)}" + (f" ({grade})" if grade else "")


def scorecard_repr(card: Scorecard) -> str:
    """``<Scorecard 'Title' as of 2022-01-20: score 49.5% (F), coverage 100.0%>``."""
    return (
        f"<Scorecard {card.title!r} as of {card.as_of.isoformat()}: "
        f"{_score(card.overall.score, card.overall.grade)}, "
        f"coverage {pct(card.overall.coverage)}>"
    )


def timeline_repr(timeline: Timeline) -> str:
    """``<Timeline 'Title': 9 points 2021-01-20 to 2022-01-20; as of 2022-01-20: ...>``."""
    points = timeline.points
    if not points:
        return f"<Timeline {timeline.title!r}: no points>"
    last = points[-1]
    noun = "point" if len(points) == 1 else "points"
    return (
        f"<Timeline {timeline.title!r}: {len(points)} {noun} {points[0].as_of.isoformat()} to "
        f"{last.as_of.isoformat()}; as of {last.as_of.isoformat()}: "
        f"{_score(last.overall.score, last.overall.grade)}, "
        f"coverage {pct(last.overall.coverage)}>"
    )


def agreement_repr(agreement: Agreement) -> str:
    """``<Agreement 'Title' as of 2022-01-20: 2 assessors, 12 units, ordinal alpha 0.412>``."""
    from .agreement import stat

    count = len(agreement.assessors)
    units = len(agreement.units)
    metric: Metric = "interval" if agreement.scale == "percent" else "ordinal"
    return (
        f"<Agreement {agreement.title!r} as of {agreement.as_of.isoformat()}: "
        f"{count} assessor{'' if count == 1 else 's'}, {units} unit{'' if units == 1 else 's'}, "
        f"{metric} alpha {stat(agreement.alpha_of(metric))}>"
    )


def scorecard_html(card: Scorecard) -> str:
    """A compact card: title, as-of, score and grade, coverage, the meter, the categories."""
    from .html import _UNRATED, category_bars, environment, ink, meter_chart, ramp

    template = environment().get_template("notebook.html.j2")
    score = card.overall.score
    return template.render(
        kind="scorecard",
        card=card,
        about=assessor_text(card),
        rated=card.rated_count,
        rated_text=rated_text,
        meter=meter_chart(card),
        categories=category_bars(card, RenderOptions()),
        overall_fill=ramp(score) if score is not None else _UNRATED,
        unrated_color=_UNRATED,
        ink=ink,
        num=num,
    )


def timeline_html(timeline: Timeline) -> str:
    """A compact card: title, whose view, the span, the latest score, the line chart."""
    from .chart import history_chart
    from .html import _UNRATED, environment
    from .timeline import _span

    template = environment().get_template("notebook.html.j2")
    return template.render(
        kind="timeline",
        timeline=timeline,
        about=whose_view(timeline.assessor, timeline.assessors),
        span=_span(timeline),
        last=timeline.points[-1] if timeline.points else None,
        history=history_chart(timeline),
        unrated_color=_UNRATED,
    )


def agreement_html(agreement: Agreement) -> str:
    """A compact card: the assessors, Krippendorff's alpha, the pairs' agreement and kappa."""
    from .agreement import stat
    from .html import _UNRATED, environment

    template = environment().get_template("notebook.html.j2")
    return template.render(kind="agreement", agreement=agreement, stat=stat, unrated_color=_UNRATED)
