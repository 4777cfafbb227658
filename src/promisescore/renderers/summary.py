"""``score --format text``: the short block (title, as-of, overall, grade, coverage, meter)."""

from __future__ import annotations

from ..scoring import Scorecard
from . import RenderOptions
from .text import summary_lines


def render(card: Scorecard, options: RenderOptions) -> str:
    return "\n".join(summary_lines(card, options)) + "\n"
