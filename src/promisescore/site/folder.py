"""The site folder: written only inside DIR, never through a symbolic link, all or nothing.

A build is written in three steps, and nothing in DIR changes until the first two have
succeeded:

1. **Plan** (:func:`plan`): read the manifest of the last build (``.promisescore-site``),
   keeping only the entries that are plain relative paths inside DIR (no ``..``, no
   absolute path, no backslash); check every path the build will write or delete,
   component by component, without following anything: a symbolic link anywhere on the
   way refuses the build, naming the link; so does a file where a folder is needed, a
   folder where a file goes, a file the last build did not write, two pages that need
   the same name (a rubric ``index.html.toml`` beside the site's ``index.html``) and a
   name the file system cannot hold (longer than its ``NAME_MAX``, 255 bytes on most).
2. **Stage**: write every file into a new folder beside DIR (inside it when DIR's parent
   cannot be written), so a full disk or a permission error leaves DIR untouched.
3. **Swap**: a new DIR is the staged folder renamed; an existing DIR first gets a
   manifest listing both builds' files, then each staged file is renamed into place,
   the files of the last build that are no longer made are deleted (regular files only),
   and the final manifest replaces the first. Renames within one file system do not run
   out of space; should one fail all the same, the manifest still lists every file the
   tool wrote, so the next build cleans up.

Out of scope: someone who can change DIR *while* the build runs (they can write the site's
files anyway). See docs/robustness.md.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import attrs

from ..errors import PromisescoreError

#: The file that marks a folder as made by ``promisescore site`` and lists what it wrote.
MANIFEST = ".promisescore-site"
MANIFEST_HEAD = "# Written by `promisescore site`: the files of the last build. Do not edit.\n"
#: A manifest longer than this is not one (the site of 100,000 promises lists ~3 MB).
MAX_MANIFEST_BYTES = 64 * 1024 * 1024

_PAGE = re.compile(r"(?:(?P<folder>[^/]+)/)?(?P<kind>promises|categories)/(?P<id>.+)\.html")


class SiteError(PromisescoreError):
    """The site cannot be built as asked (an option, or the output directory)."""


@attrs.frozen
class Plan:
    """What a build will do in ``root``: checked, nothing written yet."""

    #: The folder the user named (shown in messages) and the real folder written.
    shown: Path
    root: Path
    exists: bool
    #: Files of the last build that this one does not make: deleted.
    stale: tuple[str, ...]
    #: Manifest lines that are not paths inside DIR: never deleted, reported.
    ignored: tuple[str, ...]
    #: Permission bits of the files replaced.
    modes: dict[str, int]


def breaks_a_line(text: str) -> bool:
    """Whether ``text`` holds a control character or a Unicode line separator: a name
    that would not stay one line of the manifest (``str.splitlines`` splits on more
    than LF)."""
    return any(ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029" for ch in text)


def safe_relative(entry: str) -> bool:
    """Whether ``entry`` is a plain relative path inside the folder (``a/b.html``)."""
    if not entry or "\\" in entry or breaks_a_line(entry) or entry.startswith("/"):
        return False
    if re.match(r"[A-Za-z]:", entry):
        return False
    return all(part not in ("", ".", "..") for part in entry.split("/"))


def describe(rel: str) -> str:
    """Which page a site path is, for a message: the promise or category id."""
    match = _PAGE.fullmatch(rel)
    if match is None:
        return rel
    kind = "promise" if match["kind"] == "promises" else "category"
    where = f" of the rubric folder {match['folder']}/" if match["folder"] else ""
    return f"{rel} (the page of {kind} {match['id']!r}{where})"


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SiteError(f"cannot use {path}: {exc.strerror or exc}") from None


def _link_error(link: Path, shown: Path) -> SiteError:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return SiteError(
        f"refusing to build the site in {shown}: {link} is a symbolic link (to {target}); "
        "a build never writes or deletes through a link inside its folder: remove the link, "
        "or choose another directory"
    )


def _walk(root: Path, shown: Path, rel: str, *, writing: bool = True) -> os.stat_result | None:
    """Check each folder on the way to ``root/rel`` without following anything; return
    what is at ``rel`` itself (``None``: nothing). A link on the way is refused; so is a
    file where a folder is needed when ``writing`` (for a deletion, there is nothing to
    delete then)."""
    parts = rel.split("/")
    here = root
    for part in parts[:-1]:
        here = here / part
        info = _lstat(here)
        if info is None:
            return None
        if stat.S_ISLNK(info.st_mode):
            raise _link_error(here, shown)
        if not stat.S_ISDIR(info.st_mode):
            if not writing:
                return None
            raise SiteError(
                f"{here} is a file where the site needs a folder; move it away or choose another directory"
            )
    info = _lstat(root / rel)
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise _link_error(root / rel, shown)
    return info


def _name_max(root: Path) -> int:
    probe = root
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return os.pathconf(probe, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf
        return 255


def _read_manifest(root: Path, shown: Path) -> tuple[set[str], list[str]] | None:
    """The entries of the last build's manifest (safe ones, ignored ones), or ``None``
    when there is none."""
    path = root / MANIFEST
    info = _lstat(path)
    if info is None:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise _link_error(path, shown)
    if not stat.S_ISREG(info.st_mode):
        raise SiteError(
            f"{path} is not a regular file (a folder, FIFO or device?); "
            "remove it, or choose another directory"
        )
    if info.st_size > MAX_MANIFEST_BYTES:
        raise SiteError(
            f"{path} is {info.st_size:,} bytes, over the limit of {MAX_MANIFEST_BYTES:,} for a manifest; "
            "it was not written by `promisescore site`: remove it, or choose another directory"
        )
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        with os.fdopen(fd, "rb") as handle:
            text = handle.read(MAX_MANIFEST_BYTES + 1).decode("utf-8", errors="replace")
    except OSError as exc:
        raise SiteError(f"cannot read {path}: {exc.strerror or exc}") from None
    safe: set[str] = set()
    ignored: list[str] = []
    for line in text.split("\n"):  # one entry a line, as written (never splitlines)
        if not line or line.startswith("#"):
            continue
        if safe_relative(line) and line != MANIFEST:
            safe.add(line)
        else:
            ignored.append(line)
    return safe, ignored


def plan(out: Path, files: Mapping[str, str | bytes]) -> Plan:
    """Check everything the build of ``files`` in ``out`` will do; write nothing.

    Raises :class:`SiteError` naming the path (and the promise id) at fault."""
    shown = out
    info = _lstat(out)
    if info is not None and stat.S_ISLNK(info.st_mode):
        # DIR itself may be a link the user named: the folder it points to is written
        out = Path(os.path.realpath(out))
        info = _lstat(out)
        if info is not None and stat.S_ISLNK(info.st_mode):
            raise SiteError(f"cannot write the site in {shown}: it is a symbolic link loop")
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise SiteError(f"{shown} exists and is not a directory; choose a new or empty directory")
    exists = info is not None
    _check_names(out, files)
    previous: set[str] = set()
    ignored: list[str] = []
    if exists:
        manifest = _read_manifest(out, shown)
        if manifest is not None:
            previous, ignored = manifest
        elif _not_empty(out):
            raise SiteError(
                f"{shown} is not empty and was not made by `promisescore site` (it has no {MANIFEST}); "
                "choose a new or empty directory: promisescore never replaces or deletes files it did not write"
            )
    modes: dict[str, int] = {}
    if exists:
        for rel in sorted(files):
            found = _walk(out, shown, rel)
            if found is None:
                continue
            if stat.S_ISDIR(found.st_mode):
                raise SiteError(
                    f"{out / rel} is a folder where the site writes the file {describe(rel)}; "
                    "move it away or choose another directory"
                )
            if rel not in previous or not stat.S_ISREG(found.st_mode):
                raise SiteError(
                    f"refusing to replace {out / rel}: the last build of this site did not write it; "
                    "move it away or choose another directory"
                )
            modes[rel] = found.st_mode & 0o7777
    stale = []
    for rel in sorted(previous - set(files)):
        found = _walk(out, shown, rel, writing=False) if exists else None
        if found is not None and stat.S_ISREG(found.st_mode):
            stale.append(rel)
    return Plan(shown, out, exists, tuple(stale), tuple(ignored), modes)


def _not_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return any(True for _ in entries)


def _check_names(out: Path, files: Mapping[str, str | bytes]) -> None:
    """Two pages that need one name, and names the file system cannot hold."""
    folders: dict[str, str] = {}
    for rel in sorted(files):
        for parent in PurePosixPath(rel).parents:
            if str(parent) != ".":
                folders.setdefault(str(parent), rel)
    for rel in sorted(files):
        if breaks_a_line(rel):  # a line of its own in the manifest: refused, not written
            raise SiteError(
                f"the site cannot write {rel!r}: the name holds a line break or control "
                "character; rename the file it is made from"
            )
        if not safe_relative(rel):  # pragma: no cover - pages are named from ids
            raise SiteError(f"the site cannot write {rel!r}: not a path inside the folder")
        if rel in folders:
            raise SiteError(
                f"the site needs {rel} both as a file and as the folder of {describe(folders[rel])}; "
                "rename the rubric file (or the id) so that the two differ"
            )
    limit = _name_max(out)
    for rel in sorted(files):
        for part in rel.split("/"):
            if len(os.fsencode(part)) > limit:
                raise SiteError(
                    f"the site cannot write {describe(rel)}: the name {part[:40]}… is "
                    f"{len(os.fsencode(part))} bytes, over this file system's limit of {limit}; "
                    "shorten the id (`promisescore check` refuses ids over 200 characters)"
                )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(plan: Plan, files: Mapping[str, str | bytes], manifest: str) -> Path:
    """Write every file into a new folder beside DIR (or inside it); return the folder."""
    parent = plan.root.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{plan.root.name}.", suffix=".building", dir=parent))
    except OSError:
        if not plan.exists:
            raise
        stage = Path(tempfile.mkdtemp(prefix=".promisescore-", suffix=".building", dir=plan.root))
    try:
        mode = 0o666 & ~_umask()
        for rel, text in [*sorted(files.items()), (MANIFEST, manifest)]:
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(target, plan.modes.get(rel, mode))
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def commit(plan: Plan, files: Mapping[str, str | bytes]) -> tuple[str, ...]:
    """Stage and swap in the build of ``files`` planned by ``plan``; return the files
    deleted. Raises ``OSError`` (DIR unchanged when it comes from staging)."""
    manifest = MANIFEST_HEAD + "".join(f"{rel}\n" for rel in sorted(files))
    stage = _stage(plan, files, manifest)
    try:
        if not plan.exists:
            os.chmod(stage, 0o777 & ~_umask())
            os.rename(stage, plan.root)
            return ()
        both = sorted(set(files) | set(plan.stale))
        union = stage / f"{MANIFEST}.both"
        union.write_text(MANIFEST_HEAD + "".join(f"{rel}\n" for rel in both), encoding="utf-8")
        os.replace(union, plan.root / MANIFEST)
        for rel in sorted(files):
            target = plan.root / rel
            _make_folders(plan, rel)
            os.replace(stage / rel, target)
        for rel in plan.stale:
            with contextlib.suppress(FileNotFoundError):  # removed meanwhile: fine
                os.unlink(plan.root / rel)
            _remove_empty_folders(plan.root, rel)
        os.replace(stage / MANIFEST, plan.root / MANIFEST)
        return plan.stale
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _make_folders(plan: Plan, rel: str) -> None:
    here = plan.root
    for part in rel.split("/")[:-1]:
        here = here / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(here)
        if os.path.islink(here):  # created meanwhile: still never followed
            raise _link_error(here, plan.shown)


def _remove_empty_folders(root: Path, rel: str) -> None:
    for parent in PurePosixPath(rel).parents:
        if str(parent) == ".":
            return
        folder = root / str(parent)
        if os.path.islink(folder):
            return
        try:
            os.rmdir(folder)
        except OSError:  # not empty (or not ours to remove): stop here
            return
