"""Progress of long loads and scoring, reported to an optional callback.

The library never prints: :func:`promisescore.load` and :func:`promisescore.score`
take ``progress=``, a callable ``(stage, done, total)`` called now and then while they
work (``stage`` is a short phrase such as ``"parsing rubric.json"``; ``done`` and
``total`` count bytes or items; the last call of a stage has ``done == total``). The
command line turns these calls into a progress line on a terminal.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(stage, done, total)``
Progress = Callable[[str, int, int], None]

#: How many updates a stage sends at most (besides its first and last).
STEPS = 100


class Ticker:
    """Counts the items of one stage and calls ``progress`` about every 1%."""

    __slots__ = ("done", "next", "progress", "stage", "step", "total")

    def __init__(self, progress: Progress | None, stage: str, total: int) -> None:
        self.progress = progress
        self.stage = stage
        self.total = total
        self.done = 0
        self.step = max(1, total // STEPS)
        self.next = self.step
        if progress is not None:
            progress(stage, 0, total)

    def tick(self, count: int = 1) -> None:
        self.done += count
        if self.progress is not None and self.done >= self.next:
            self.next = self.done + self.step
            self.progress(self.stage, min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.stage, self.total, self.total)
