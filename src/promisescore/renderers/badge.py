"""A shields-style SVG badge: ``promises | 49% F``."""

from __future__ import annotations

from ..sanitize import xml_attribute, xml_text
from ..scoring import Scorecard
from . import RenderOptions

_COLORS = {"A": "#2e7d32", "B": "#558b2f", "C": "#9e7700", "D": "#c05600", "F": "#c62828"}
_GREY = "#555"
_NONE = "#757575"


def _width(text: str) -> int:
    # Verdana 11px averages about 7px a character; shields.io pads 10px each side.
    return 7 * len(text) + 10


def message(card: Scorecard) -> str:
    if card.overall.score is None:
        return "no score"
    grade = f" {card.overall.grade}" if card.overall.grade else ""
    return f"{100 * card.overall.score:.0f}%{grade}"


def render(card: Scorecard, options: RenderOptions) -> str:
    label = options.label
    value = message(card)
    color = _COLORS.get(
        card.overall.grade or "", _NONE if card.overall.score is None else "#1565c0"
    )
    left, right = _width(label), _width(value)
    total = left + right
    title = f"{label}: {value}"
    lx, rx = left * 5, (left + right / 2) * 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{xml_attribute(title)}">'
        f"<title>{xml_text(title)}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="{_GREY}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{color}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'text-rendering="geometricPrecision" font-size="110">'
        f'<text x="{lx:g}" y="140" transform="scale(.1)" fill="#fff">{xml_text(label)}</text>'
        f'<text x="{rx:g}" y="140" transform="scale(.1)" fill="#fff">{xml_text(value)}</text>'
        "</g></svg>\n"
    )
