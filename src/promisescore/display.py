"""How the core's results show themselves in a notebook, without importing the renderers.

:class:`~promisescore.scoring.Scorecard`, ``Timeline``, ``Agreement`` and ``Comparison``
have a one-line ``__repr__`` and a compact HTML card (``_repr_html_``, for Jupyter). Both
are drawn by the renderers (:mod:`promisescore.renderers.notebook`,
:mod:`promisescore.renderers.compare`), which sit above the core and import it: the core
importing them back would be an import cycle across the layers (docs/development.md).

So the core's methods call :func:`text` and :func:`html` here, which find the drawing
function by the result's class in :data:`NOTEBOOK` and import its module on first use,
the late binding :func:`promisescore.render` uses for the modules in ``FORMATS``. This is
the one place a lower layer reaches a higher one; ``tests/test_layers.py`` checks that
every module named here is a renderer and every function exists.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Result class name → (renderer module, ``__repr__`` function, ``_repr_html_`` function).
NOTEBOOK: dict[str, tuple[str, str, str]] = {
    "Scorecard": ("promisescore.renderers.notebook", "scorecard_repr", "scorecard_html"),
    "Timeline": ("promisescore.renderers.notebook", "timeline_repr", "timeline_html"),
    "Agreement": ("promisescore.renderers.notebook", "agreement_repr", "agreement_html"),
    "Comparison": ("promisescore.renderers.compare", "comparison_repr", "fragment"),
}


def _drawer(result: object, which: int) -> Any:
    for cls in type(result).__mro__:
        entry = NOTEBOOK.get(cls.__name__)
        if entry is not None:
            return getattr(importlib.import_module(entry[0]), entry[which])
    raise TypeError(f"no notebook display for {type(result).__name__}")


def text(result: object) -> str:
    """The one-line ``__repr__`` of a result, e.g. ``<Scorecard 'Title' as of ...>``."""
    out: str = _drawer(result, 1)(result)
    return out


def html(result: object) -> str:
    """The compact HTML card of a result (``_repr_html_``): inline styles and SVG only."""
    out: str = _drawer(result, 2)(result)
    return out
