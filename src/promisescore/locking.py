"""Edits serialised: an advisory lock on the rubric files a command reads, changes and
writes back (``add``, ``fmt``, ``import -o`` over an existing file).

The lock is ``flock(LOCK_EX)`` on the file itself (Linux, macOS and the BSDs), taken in
the order of the files' real paths (so two commands locking the same files cannot
deadlock). A file is replaced by a rename when written (:mod:`promisescore.safe_write`),
so a lock holds on the file *as it was opened*: after taking it, the path is checked again
and, if it names another file by now (a writer renamed its new version into place while
this one waited), the lock is dropped and taken on the new file. The read-modify-write
then sees every change made before it. A second writer waits, polling, up to
:data:`DEFAULT_TIMEOUT` seconds (``PROMISESCORE_LOCK_TIMEOUT``), then gives up with
:class:`LockTimeout` and writes nothing.

Advisory: only promisescore (and programs that take the same lock) wait; an editor that
saves meanwhile is not stopped. On Windows, which has no ``flock``, no lock is taken
(docs/robustness.md): run one editing command at a time there.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from .safe_write import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Seconds a second writer waits for the first before giving up.
DEFAULT_TIMEOUT = 60.0

F = TypeVar("F", bound=Callable[..., Any])


class LockTimeout(OutputError):
    """Another command held the lock on a rubric file for longer than the timeout."""


def _timeout() -> float:
    raw = os.environ.get("PROMISESCORE_LOCK_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if 0 <= value <= 86_400 else DEFAULT_TIMEOUT


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _lock_one(path: Path, deadline: float) -> int | None:
    """Lock ``path`` (the file it names when the lock is taken); its descriptor, or
    ``None`` for a path that is no regular file (nothing to lock: reading it fails later
    with the reader's own message)."""
    assert fcntl is not None
    delay = 0.005
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                return None
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(
                            f"cannot edit {path}: another promisescore command has been "
                            f"editing it for {_timeout():g} s; try again when it is done "
                            "(or set PROMISESCORE_LOCK_TIMEOUT to wait longer)"
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
        except BaseException:
            os.close(fd)
            raise
        if _same_file(fd, path):
            return fd
        os.close(fd)  # replaced while waiting: lock the file there now


@contextlib.contextmanager
def locked(paths: Iterable[str | os.PathLike[str] | None]) -> Iterator[None]:
    """Hold the edit lock on ``paths`` (``None`` and missing files are skipped)."""
    if fcntl is None:  # pragma: no cover - Windows: documented as not locked
        yield
        return
    real: dict[str, Path] = {}
    for item in paths:
        if item is None:
            continue
        path = Path(item)
        real.setdefault(os.path.realpath(path), path)
    deadline = time.monotonic() + _timeout()
    held: list[int] = []
    try:
        for key in sorted(real):
            fd = _lock_one(Path(key), deadline)
            if fd is not None:
                held.append(fd)
        yield
    finally:
        for fd in reversed(held):
            os.close(fd)  # closing the descriptor releases its lock


def edits(*names: str) -> Callable[[F], F]:
    """Decorate a function that edits the files its arguments ``names`` name: it runs
    holding the lock on them (see :func:`locked`)."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return func(*args, **kwargs)  # let the function say what is wrong
            given = [bound.arguments.get(name) for name in names]
            paths = [p for p in given if isinstance(p, str | os.PathLike)]
            with locked(paths):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
