"""Writing output files safely: atomically, and never over an input file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import PromisescoreError


class OutputError(PromisescoreError):
    """An output cannot be written where asked (it would clobber an input, or I/O failed)."""


def refuse_inputs(target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise :class:`OutputError` if ``target`` is (or links to) one of ``inputs``."""
    target_path = Path(target)
    try:
        real = target_path.resolve()
    except OSError:
        return
    for item in inputs:
        try:
            same = Path(item).resolve() == real or (
                target_path.exists() and os.path.samefile(target_path, item)
            )
        except OSError:
            same = False
        if same:
            raise OutputError(
                f"refusing to write {target}: it is an input file ({item}); choose another path"
            )


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
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return tmp


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Readers see either the old file or the new one, never half of it; on failure the
    old file is left as it was.
    """
    target = Path(path)
    mode = None
    if target.exists():
        with contextlib.suppress(OSError):
            mode = target.stat().st_mode & 0o7777
    tmp = _temporary_copy(target, data, mode)
    try:
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


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
