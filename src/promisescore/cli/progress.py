"""A progress line on stderr for loads and scoring that take more than about a second.

Only when stderr is a terminal: pipes, files and CI logs never see it. The line is
drawn with a carriage return, redrawn at most ten times a second, and erased when the
work is done, so that the command's own output is unchanged.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

#: Show progress once the work has run this long (seconds)...
DELAY = 1.0
#: ...or at once when parsing a file this big (bytes): parsing is one long call.
BIG_FILE = 8 * 1024 * 1024
REDRAW = 0.1
WIDTH = 24


class TerminalProgress:
    """``progress(stage, done, total)`` drawing ``stage [#####    ] 45%`` on ``stream``."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.last_draw = -1.0
        self.drawn = 0  # length of the line on screen, 0 when nothing is shown

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        big = stage.startswith("parsing") and done == 0 and total >= BIG_FILE
        if now - self.started < DELAY and not big:
            return
        if done < total and now - self.last_draw < REDRAW and not big:
            return
        self.last_draw = now
        share = done / total if total else 1.0
        filled = int(WIDTH * share)
        if stage.startswith("parsing") and done < total:
            line = f"{stage} ({total / 1e6:,.0f} MB)..."
        else:
            bar = "#" * filled + " " * (WIDTH - filled)
            line = f"{stage} [{bar}] {share:4.0%} ({done:,}/{total:,})"
        self.stream.write("\r" + line.ljust(self.drawn))
        self.stream.flush()
        self.drawn = len(line)

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


@contextmanager
def progress_on_terminal() -> Iterator[TerminalProgress | None]:
    """A :class:`TerminalProgress` on stderr when it is a terminal, else ``None``."""
    stream = sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        yield None
        return
    reporter = TerminalProgress(stream)
    try:
        yield reporter
    finally:
        reporter.close()
