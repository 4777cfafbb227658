"""Renderers: one small module per output format behind one interface.

A renderer module defines ``render(card: Scorecard, options: RenderOptions) -> str``.
:func:`render` looks the module up in :data:`FORMATS` and imports it on first use, so
a new format is one new file plus one line here.
"""

from __future__ import annotations

import importlib
import sys
import types
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


def render(card: Scorecard, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render a scorecard in one of :data:`FORMATS`."""
    module_name = FORMATS.get(format)
    if module_name is None:
        raise ValueError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f".{module_name}", __name__)
    text: str = module.render(card, options or RenderOptions())
    return text


class _CallableModule(types.ModuleType):
    """Importing this package sets ``promisescore.render`` to the package, over the lazy
    function of the same name; calling the package calls :func:`render`, so
    ``promisescore.render(card, "html")`` works whichever was loaded first."""

    def __call__(
        self, card: Scorecard, format: str = "text", options: RenderOptions | None = None
    ) -> str:
        return render(card, format, options)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["FORMATS", "REPORT_FORMATS", "SORT_KEYS", "RenderOptions", "render"]
