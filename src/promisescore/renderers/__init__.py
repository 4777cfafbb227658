"""Renderers: one small module per output format behind one interface.

A renderer module defines ``render(card: Scorecard, options: RenderOptions) -> str``.
:func:`render` looks the module up in :data:`FORMATS` and imports it on first use, so
a new format is one new file plus one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from ..errors import Problem
    from ..scoring import Scorecard

#: Output format → renderer module (in this package).
FORMATS: dict[str, str] = {
    "text": "text",
    "markdown": "markdown",
    "html": "html",
    "json": "json",
    "csv": "csv",
    "badge": "badge",
    "summary": "summary",
}

#: The formats of ``promisescore report``.
REPORT_FORMATS: tuple[str, ...] = ("text", "markdown", "html", "json", "csv")

SortKey = Literal["file", "rating", "score", "weight", "id"]
SORT_KEYS: tuple[str, ...] = ("file", "rating", "score", "weight", "id")


@attrs.frozen
class RenderOptions:
    """What a renderer may be asked for besides the scorecard itself."""

    #: Only these categories (by id); empty means all.
    categories: tuple[str, ...] = ()
    #: Order of the promise table: file order, or by rating, score, weight or id.
    sort: SortKey = "file"
    #: ANSI colour in the text format (the CLI turns it on only for a terminal).
    color: bool = False
    #: Width the text format should fit.
    width: int = 100
    #: Findings of ``check`` to list at the end of the report.
    warnings: tuple[Problem, ...] = ()
    #: Scores over time (a ``Timeline``), drawn by formats that can.
    history: Any = None
    #: Badge label.
    label: str = "promises"
    #: HTML: show the internals editors check (ids, formulas, evidence ids, warnings).
    detail: bool = False
    #: HTML: a snippet to paste into a page (scoped styles, no ``<html>``/``<head>``).
    fragment: bool = False
    #: The rubric scored: lets the HTML report show each promise's rating history and
    #: the assessors' scores side by side.
    rubric: Any = None
    #: HTML: the language of the interface text (``en``/``fr``); None: the rubric's
    #: ``[report] lang``, else English. User text is never translated.
    lang: str | None = None


def render(card: Scorecard, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render a scorecard in one of :data:`FORMATS`."""
    module_name = FORMATS.get(format)
    if module_name is None:
        raise ValueError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f".{module_name}", __name__)
    text: str = module.render(card, options or RenderOptions())
    return text


def render_iter(
    card: Scorecard, format: str = "text", options: RenderOptions | None = None
) -> Iterator[str]:
    """Like :func:`render`, in pieces whose concatenation is the same text.

    A renderer module that defines ``render_iter(card, options)`` streams (the JSON one
    does, so a big scorecard is never one huge string); the others yield one piece.
    """
    module_name = FORMATS.get(format)
    if module_name is None:
        raise ValueError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f".{module_name}", __name__)
    pieces = getattr(module, "render_iter", None)
    if pieces is None:
        yield render(card, format, options)
    else:
        yield from pieces(card, options or RenderOptions())


__all__ = ["FORMATS", "REPORT_FORMATS", "SORT_KEYS", "RenderOptions", "render", "render_iter"]
