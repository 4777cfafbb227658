"""Pausing Python's cyclic garbage collector while big, acyclic structures are built.

Loading a million evidence items creates millions of small objects, none of them in a
reference cycle. The collector would still walk all of them again and again as they
pile up (each full collection costs time in proportion to everything alive), which
made loading grow faster than the input. Pausing it for the duration changes no
result: nothing built here needs it, and it is switched back on afterwards (only if it
was on before).
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
        gc.enable()
