"""Pausing Python's cyclic garbage collector while big, acyclic structures are built.

Loading a million evidence items creates millions of small objects, none of them in a
reference cycle. The collector would still walk all of them again and again as they
pile up (each full collection costs time in proportion to everything alive), which
made loading grow faster than the input. Pausing it for the duration changes no
result: nothing built here needs it, and it is switched back on afterwards (only if it
was on before).

Before switching it back on, everything alive is moved to the oldest generation
(``gc.freeze()`` then ``gc.unfreeze()``, which collects nothing): otherwise the first
allocation afterwards would start a collection of the youngest generation, which then
holds every object built during the pause — a walk over the whole model, about a sixth
of the time of ``score`` on a big rubric. Nothing is kept from the collector: a cycle
among those objects is found by the next full collection, as any long-lived one is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # everything alive to the oldest generation: no young collection
        gc.unfreeze()  # walks the whole model as soon as the collector is back on
        gc.enable()
