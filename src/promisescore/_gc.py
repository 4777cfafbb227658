"""Pausing Python's cyclic garbage collector while big, acyclic structures are built.

Loading a million evidence items creates millions of small objects, none of them in a
reference cycle. The collector would still walk all of them again and again as they
pile up (each full collection costs time in proportion to everything alive), which
made loading grow faster than the input. Pausing it for the duration changes no
result: nothing built here needs it.

A library must not surprise its host, so the pause is re-entrant and thread-safe: one
process-wide count of running pauses, under a lock. The first pause to start switches
the collector off (only if it was on), nested and concurrent pauses (``score`` inside
``load``, two threads loading at once) only add to the count, and the last one to end
switches it back on, so no thread's pause ends early because another one finished. A
collector that was off when the first pause started stays off. The collector is
process-wide, so while any pause runs it is off for every thread; a pause lasts as long
as one ``load``, ``check`` or ``score`` call. (``gc.freeze()`` would not do: it exempts
the objects alive now, not the ones being built.)

Before the collector is switched back on, everything alive is moved to the oldest
generation (``gc.freeze()`` then at once ``gc.unfreeze()``, which collects nothing):
otherwise the first allocation afterwards would start a collection of the youngest
generation, which then holds every object built during the pause — a walk over the
whole model, about a sixth of the time of ``score`` on a big rubric. Nothing is kept
from the collector: a cycle among those objects is found by the next full collection,
as any long-lived one is. When the host has frozen objects itself (``gc.freeze()``
before forking workers, say), the pause leaves the frozen set alone: ``gc.unfreeze()``
would thaw the host's objects too, so then the model stays where it was built and the
collector's first young collection walks it once.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
#: How many pauses are running, in every thread.
_depth = 0
#: Whether the first pause switched the collector off (so the last must switch it on).
_switched_off = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (re-entrant, thread-safe)."""
    global _depth, _switched_off
    with _lock:
        if _depth == 0:
            _switched_off = gc.isenabled()
            if _switched_off:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _switched_off:
                _switched_off = False
                if not gc.get_freeze_count():  # never thaw what the host froze
                    gc.freeze()  # everything alive to the oldest generation: no young
                    gc.unfreeze()  # collection walks the whole model once it is back on
                gc.enable()


def pauses() -> int:
    """How many pauses are running now, in every thread (0 when the collector is free)."""
    with _lock:
        return _depth
