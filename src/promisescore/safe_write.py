"""Writing output files safely: atomically, never over an input file (formerly ``output``).

Only a regular file is ever replaced. An output path that is a device (``/dev/null``,
``/dev/stdout``), a FIFO or a terminal is written through, as a shell redirection would;
a symbolic link is followed, and the file it points to is written (the link stays); a
directory, a socket, a symbolic-link loop and an empty path are refused with a clear
:class:`OutputError`. A temporary file never outlives the write, even when it is
interrupted (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import PromisescoreError


class OutputError(PromisescoreError):
    """An output cannot be written where asked (it would clobber an input, or I/O failed)."""


def refuse_inputs(target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise :class:`OutputError` if ``target`` is (or links to) one of ``inputs``."""
    target_path = Path(target)
    real = _real(target_path)
    if real is None:
        return
    for item in inputs:
        try:
            same = _real(Path(item)) == real or (
                target_path.exists() and os.path.samefile(target_path, item)
            )
        except OSError:
            same = False
        if same:
            raise OutputError(
                f"refusing to write {target}: it is an input file ({item}); choose another path"
            )


def _real(path: Path) -> Path | None:
    """``path`` with every symbolic link resolved; ``None`` when that is impossible.

    ``os.path.realpath`` (not ``Path.resolve``, which raises ``RuntimeError`` on a link
    loop before Python 3.13)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError, RuntimeError):
        return None


def _temporary_copy(target: Path, data: str | bytes, mode: int | None) -> str:
    """Write ``data`` to a new temporary file beside ``target``, synced to disk; return
    its path. ``mode`` is its permission bits (default: as a new file would get)."""
    directory = target.parent if str(target.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
    except BaseException as exc:  # also Ctrl-C and SIGTERM: never leave the file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return tmp


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Readers see either the old file or the new one, never half of it; on failure the
    old file is left as it was. Only a regular file is replaced: a symbolic link is
    followed (the file it points to is written), and a device, FIFO or terminal is
    written through (see the module's docstring).
    """
    write_all_atomic({path: data})


def write_all_atomic(files: Mapping[str | os.PathLike[str], str | bytes]) -> None:
    """Write several files all or nothing: every temporary file is written first, and
    only when all of them are are they renamed into place. When one cannot be written,
    none of the files is changed (devices and FIFOs, written through, come last)."""
    plans = [(path, *_plan(path), data) for path, data in files.items()]
    temporary: list[str] = []
    try:
        for _, target, info, mode, data in plans:
            if not _through(target, info):
                temporary.append(_temporary_copy(target, data, mode))
        renames = iter(temporary)
        for path, target, info, _, _data in plans:
            if not _through(target, info):
                tmp = next(renames)
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        for path, target, info, _, data in plans:
            if info is not None and _through(target, info):
                _write_through(path, target, info, data)
    finally:  # also on Ctrl-C and SIGTERM: no temporary file is left behind
        for tmp in temporary:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


#: Paths that name a file descriptor rather than a file.
_DESCRIPTOR = re.compile(r"/dev/(?:stdout|stderr)|/dev/fd/([0-9]+)|/proc/self/fd/([0-9]+)")


def _descriptor(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdout`` is 1)."""
    match = _DESCRIPTOR.fullmatch(str(path))
    if match is None:
        return None
    if str(path) == "/dev/stdout":
        return 1
    if str(path) == "/dev/stderr":
        return 2
    return int(match.group(1) or match.group(2))


def _through(target: Path, info: os.stat_result | None) -> bool:
    """Write into ``target`` rather than replace it: a device, FIFO or terminal, or a
    file descriptor named as a path (``-o /dev/stdout`` with stdout redirected to a file
    writes where the shell set up, appending with ``>>``, rather than replacing it)."""
    if info is None:
        return False
    return not stat.S_ISREG(info.st_mode) or _descriptor(target) is not None


def _plan(path: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None, int | None]:
    """Where to write ``path``: the file (a symbolic link's target), what is there now
    (``None``: nothing) and the permission bits to keep. Refuses what cannot be written."""
    if not os.fspath(path):
        raise OutputError("cannot write to an empty path; give a file name, or - for stdout")
    target = Path(path)
    try:
        info: os.stat_result | None = os.stat(target)  # follows symbolic links
    except FileNotFoundError:
        info = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                f"cannot write {path}: it is a symbolic link loop; remove it or choose another path"
            ) from None
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    mode = None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"cannot write {path}: it is a directory; give a file name")
        if stat.S_ISSOCK(info.st_mode):
            raise OutputError(f"cannot write {path}: it is a socket, not a file")
        if not stat.S_ISREG(info.st_mode):
            return target, info, None  # a device, FIFO or terminal: written through
        mode = info.st_mode & 0o7777
    if info is not None and _descriptor(target) is not None:
        return target, info, None  # /dev/stdout and friends: written through
    if target.is_symlink():  # write the file the link points to; the link stays
        real = _real(target)
        if real is None:  # pragma: no cover - realpath does not fail on Linux
            raise OutputError(f"cannot write {path}: cannot resolve the symbolic link")
        target = real
    return target, info, mode


def _write_through(
    shown: str | os.PathLike[str], target: Path, info: os.stat_result, data: str | bytes
) -> None:
    """Write into a device, FIFO or terminal as a shell redirection would (never replace
    it); refuse a socket or anything else that cannot be opened for writing."""
    if stat.S_ISSOCK(info.st_mode):
        raise OutputError(f"cannot write {shown}: it is a socket, not a file")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    descriptor = _descriptor(target)
    if descriptor is not None:  # write to the descriptor itself, as the shell opened it
        with contextlib.suppress(ValueError, OSError):
            sys.stdout.flush()
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(descriptor, view) :]
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
        return
    try:
        with open(target, "wb", buffering=0) as handle:
            view = memoryview(payload)
            while view:
                written = handle.write(view)
                view = view[written or len(view) :]
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def append_text(path: str | os.PathLike[str], text: str) -> None:
    """Append ``text`` to ``path`` (creating it), e.g. to ``$GITHUB_STEP_SUMMARY``.

    Appending is what such files are for: earlier steps' content is kept.
    """
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise OutputError(f"cannot append to {path}: {exc.strerror or exc}") from None


def write_new(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a new file atomically; raise ``FileExistsError`` if ``path`` exists.

    The data goes to a temporary file that is then hard-linked into place, so the file
    appears whole or not at all, and an existing file is never replaced (even one
    created meanwhile). Where hard links are not available, the file is created with
    exclusive mode instead.
    """
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise FileExistsError(str(path))
    tmp = _temporary_copy(target, data, None)
    try:
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:
            with open(target, "xb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    except FileExistsError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
