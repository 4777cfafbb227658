"""``promisescore verify``: evidence quotes checked against archived copies (FORMAT §8.9).

For every evidence item whose source has a local ``archive``: the path stays inside the
rubric's directory tree (or inside ``archive_root`` when given), the file exists and is a
regular file, its SHA-256 matches ``sha256`` when given, and the ``quote``, when there is
one, appears in the archived text after :func:`~promisescore.archives.text.normalize`.
Each failure is a :class:`~promisescore.errors.Problem` (E401-E406) located at the
evidence's line, as ``check`` reports its problems.

An archive path is relative to the file that holds the source (as ``include`` paths
are relative to the including file), or to ``archive_root`` when given. Archives are
read only up to a size limit (:data:`DEFAULT_MAX_ARCHIVE_BYTES`); a FIFO, a device, a
directory and a symbolic link leading out of the tree are refused without being opened.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import attrs

from ..errors import Problem
from ..model import Evidence, Rubric
from .text import ArchiveTextError, Located, archived_text, closest, normalize, normalize_located

#: The most bytes read from one archived file (64 MiB).
DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024**2


@attrs.frozen
class VerifiedQuote:
    """One quote found in its archived copy: the ``archive`` as written, its
    ``archived_on`` date (``None`` when the source gives none) and the file read."""

    evidence: str
    archive: str
    archived_on: date | None
    path: str
    #: The SHA-256 of the bytes the quote was found in.
    sha256: str = ""


@attrs.frozen
class Verification:
    """What :func:`verification` found for one rubric."""

    #: The rubric file (as named).
    file: str
    #: Every problem, in file and line order.
    problems: tuple[Problem, ...]
    #: Evidence items with a quote and a local archive.
    quotes: int
    #: The quotes found in their archived copies, by evidence id.
    verified: Mapping[str, VerifiedQuote] = attrs.field(hash=False)
    #: Distinct local archived files cited.
    sources: int
    #: Evidence items whose archive is an http(s) address (not checked offline).
    online: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def summary(self) -> str:
        """``68 quotes verified in 5 archived sources``."""
        done = len(self.verified)
        count = f"{done}" if done == self.quotes else f"{done} of {self.quotes}"
        text = (
            f"{count} {_plural(self.quotes, 'quote')} verified in "
            f"{self.sources} archived {_plural(self.sources, 'source')}"
        )
        if self.online:
            cite = "cites" if self.online == 1 else "cite"
            text += (
                f" ({self.online} evidence {_plural(self.online, 'item')} {cite} an online "
                "archive, not read)"
            )
        return text


@attrs.frozen
class VerifyReport:
    """What ``promisescore verify`` reports: one :class:`Verification` per rubric."""

    verifications: tuple[Verification, ...]

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verifications)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


@attrs.frozen
class _Read:
    """One archived file, read once: its real path, bytes' digest and text, or the
    problem that stopped it (code, message, hint)."""

    real: str
    digest: str | None = None
    text: Located | None = None
    failure: tuple[str, str, str | None] | None = None


def _inside(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip(os.sep) + os.sep)


def read_archive(candidate: Path, tree: Path, max_bytes: int) -> _Read:
    """Read ``candidate`` (an archive path joined to its base) if it stays inside
    ``tree``, is a regular file and is no larger than ``max_bytes``."""
    real = os.path.realpath(candidate)
    tree_real = os.path.realpath(tree)
    shown = str(candidate)
    if not _inside(real, tree_real):
        lexical = os.path.normpath(os.path.abspath(candidate))
        how = (
            "a symbolic link leading out of"
            if _inside(lexical, os.path.normpath(os.path.abspath(tree)))
            else "outside"
        )
        return _Read(
            real,
            failure=(
                "E403",
                f"{shown} is {how} {tree}",
                "keep archived copies inside the rubric's directory (or pass --archive-root)",
            ),
        )
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return _Read(
            real,
            failure=(
                "E401",
                f"{shown} does not exist",
                "run `promisescore archive RUBRIC --to DIR`, or fix the path",
            ),
        )
    except OSError as exc:
        return _Read(real, failure=("E401", f"{shown} cannot be read: {exc.strerror}", None))
    if not stat.S_ISREG(info.st_mode):
        return _Read(real, failure=("E402", f"{shown} is {_what(info.st_mode)}", None))
    if info.st_size > max_bytes:
        return _Read(real, failure=_too_large(shown, max_bytes))
    try:
        fd = os.open(
            real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        )
    except OSError as exc:
        return _Read(real, failure=("E401", f"{shown} cannot be read: {exc.strerror}", None))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped meanwhile
            return _Read(real, failure=("E402", f"{shown} is not a regular file", None))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        return _Read(real, failure=_too_large(shown, max_bytes))
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = normalize_located(archived_text(candidate.name, data))
    except ArchiveTextError as exc:
        return _Read(real, digest, failure=("E406", f"{shown}: {exc}", None))
    return _Read(real, digest, text)


def archived_bytes(
    quote: VerifiedQuote, max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
) -> bytes | None:
    """The bytes of the copy ``quote`` was verified in, read again (a regular file, within
    the limit), or ``None`` when they are no longer those bytes (for publishing)."""
    try:
        fd = os.open(quote.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes or hashlib.sha256(data).hexdigest() != quote.sha256:
        return None
    return data


def _too_large(shown: str, max_bytes: int) -> tuple[str, str, str | None]:
    return (
        "E406",
        f"{shown} is larger than the limit of {max_bytes:,} bytes",
        "raise the limit with --max-archive-bytes if the copy is right",
    )


def _what(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def _holder(rubric: Rubric, index: int) -> tuple[str | None, Path | None, tuple[str | int, ...]]:
    """The file (name, path) that holds evidence ``index`` and its key path there."""
    origin = rubric.origin
    if origin is None:
        return None, None, ("evidence", index)
    entries = origin.objects.get("evidence", ())
    if index >= len(entries):
        return origin.root, None, ("evidence", index)
    name, path = entries[index]
    source = origin.files.get(name)
    return name, (source.path if source is not None else None), path


def _root_dir(rubric: Rubric) -> Path:
    origin = rubric.origin
    if origin is not None:
        source = origin.files.get(origin.root)
        if source is not None and source.path is not None:
            parent: Path = source.path.parent
            return parent
    return Path(".")


def verification(
    rubric: Rubric | str | os.PathLike[str],
    *,
    archive_root: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
) -> Verification:
    """Check every quoted evidence item whose source has a local archive (see the
    module's doc). ``rubric`` is a loaded :class:`~promisescore.Rubric` or a path
    (loaded first: :class:`~promisescore.RubricError` when it is invalid,
    :class:`~promisescore.InputFileError` when it cannot be read)."""
    from ..arguments import require

    require(rubric, (Rubric, str, os.PathLike), "rubric", "a Rubric or a path")
    require(archive_root, (str, os.PathLike, type(None)), "archive_root", "a path or None")
    if not isinstance(rubric, Rubric):
        from ..loading import load

        rubric = load(rubric)
    if type(max_bytes) is not int or max_bytes < 0:
        raise ValueError(f"max_bytes must be a whole number of bytes >= 0, not {max_bytes!r}")
    root = Path(archive_root) if archive_root is not None else None
    tree = root if root is not None else _root_dir(rubric)
    origin = rubric.origin
    #: each archived file is read once, however many evidence items cite it; each of
    #: them gets its own problem, at its own line (§8.9)
    reads: dict[Path, _Read] = {}
    problems: list[Problem] = []
    verified: dict[str, VerifiedQuote] = {}
    quotes = online = 0
    sources: set[str] = set()

    def problem(
        code: str,
        message: str,
        hint: str | None,
        item: Evidence,
        file: str | None,
        path: tuple[str | int, ...],
    ) -> Problem:
        line = origin.line(file, path) if origin is not None and file is not None else None
        return Problem(
            code,
            f"evidence {item.id}: {message}",
            hint=hint,
            file=file,
            line=line,
            object_kind="evidence",
            object_id=item.id,
            path=path,
        )

    for index, item in enumerate(rubric.evidence):
        source = item.source
        if source.archive is None:
            continue
        if source.archive_path is None:
            online += 1
            continue
        quote = normalize(item.quote) if item.quote else ""
        if quote:
            quotes += 1
        file, holder_path, base = _holder(rubric, index)
        base_dir = root if root is not None else (holder_path.parent if holder_path else tree)
        candidate = base_dir / source.archive_path
        read = reads.get(candidate)
        if read is None:
            read = reads[candidate] = read_archive(candidate, tree, max_bytes)
        failure: tuple[str, str, str | None, tuple[str | int, ...]] | None = None
        if read.failure is not None:
            code, message, hint = read.failure
            failure = (code, message, hint, (*base, "source", "archive"))
        elif source.sha256 is not None and source.sha256 != read.digest:
            failure = (
                "E404",
                f"sha256 of {candidate} is {read.digest}, not {source.sha256}",
                "the archived file changed: archive it again, or correct sha256",
                (*base, "source", "sha256"),
            )
        if failure is not None:
            code, message, hint, path = failure
            problems.append(problem(code, message, hint, item, file, path))
            if read.failure is not None:
                continue
        sources.add(read.real)
        if not quote or read.text is None:
            continue
        if quote in read.text.text:
            if failure is None:
                verified[item.id] = VerifiedQuote(
                    item.id, source.archive, source.archived_on, str(candidate), read.digest or ""
                )
            continue
        at, passage = closest(quote, read.text.text)
        place = read.text.place(at)
        shown = f"{candidate}, {read.text.unit} {place}" if place is not None else str(candidate)
        problems.append(
            problem(
                "E405",
                f"the quote is not in {candidate}",
                f"closest passage ({shown}): “{passage}”",
                item,
                file,
                (*base, "quote"),
            )
        )

    problems.sort(key=lambda p: (p.file or "", p.line or 0, p.code))
    return Verification(
        file=origin.root if origin is not None else "<rubric>",
        problems=tuple(problems),
        quotes=quotes,
        verified=verified,
        sources=len(sources),
        online=online,
    )


def verified_quotes(
    rubric: Rubric,
    *,
    archive_root: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
) -> dict[str, VerifiedQuote]:
    """The quotes of ``rubric`` found in their local archived copies, by evidence id, for
    reports to mark (empty, at no cost, when no source has a local ``archive``)."""
    if not any(item.source.archive_path is not None for item in rubric.evidence):
        return {}
    found = verification(rubric, archive_root=archive_root, max_bytes=max_bytes)
    return dict(found.verified)


def verify(
    rubric: Rubric | str | os.PathLike[str],
    *,
    archive_root: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
) -> list[Problem]:
    """The problems :func:`verification` finds (an empty list: every quote verified),
    like :func:`promisescore.lint`."""
    return list(verification(rubric, archive_root=archive_root, max_bytes=max_bytes).problems)
