"""Rubrics as they were at a git revision, read through git: no checkout, no copy.

:func:`check_at` reads a rubric file and everything it includes from the tree of a
revision (``git ls-tree`` for the listing, ``git cat-file`` for each file's bytes) and
checks it with the one loader (:func:`promisescore.loading.files.read_tree` with a
:class:`GitTree` as its reader). Problems name files as ``REV:path``. Nothing is written
anywhere: no work tree, no temporary clone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ..errors import Problem, PromisescoreError, RubricError
from ..model import Rubric
from . import CheckResult, assemble, check_result
from .files import decode_text, read_failure, read_tree, size_failure


class GitError(PromisescoreError):
    """git cannot give what was asked: git is missing, the directory is not in a git
    repository, or the revision does not exist."""


def _git(args: list[str], cwd: Path) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed (or not on PATH); install git to use --git")
    try:
        done = subprocess.run(
            [git, *args], cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _Failed(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


class _Failed(GitError):
    pass


class GitTree:
    """The files of one revision of a repository, as a reader for ``read_tree``."""

    def __init__(self, top: Path, rev: str, commit: str, entries: dict[str, tuple[str, str, int]]):
        self.top = top
        self.rev = rev
        self.commit = commit
        #: path relative to the top (POSIX) → (mode, blob id, size)
        self.entries = entries

    @classmethod
    def open(cls, rev: str, near: Path) -> GitTree:
        """The tree of ``rev`` in the repository holding ``near`` (a file or directory)."""
        where = near if near.is_dir() else near.parent
        if not where.is_dir():
            where = Path.cwd()
        try:
            top = Path(_git(["rev-parse", "--show-toplevel"], where).decode().strip())
        except _Failed:
            raise GitError(f"{where.resolve()} is not in a git repository") from None
        if rev.startswith("-"):
            raise GitError(f"no revision {rev!r} in {top}")
        try:
            commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
        except _Failed:
            raise GitError(
                f"no revision {rev!r} in {top}",
            ) from None
        sha = commit.decode().strip()
        listing = _git(["ls-tree", "-r", "-l", "-z", "--full-tree", sha], top)
        entries: dict[str, tuple[str, str, int]] = {}
        for record in listing.split(b"\0"):
            if not record:
                continue
            head, _, name = record.partition(b"\t")
            mode, kind, blob, size = head.split()
            if kind == b"blob":
                entries[os.fsdecode(name)] = (
                    mode.decode(),
                    blob.decode(),
                    int(size) if size.isdigit() else 0,
                )
        return cls(Path(os.path.realpath(top)), rev, sha, entries)

    def relative(self, path: Path) -> str | None:
        """``path`` (a path on the disk, inside the repository) relative to its top."""
        absolute = Path(os.path.normpath(Path.cwd() / path))
        for candidate in (absolute, Path(os.path.realpath(absolute))):
            try:
                return candidate.relative_to(self.top).as_posix()
            except ValueError:
                continue
        return None

    def path(self, path: str | os.PathLike[str]) -> Path:
        """Where ``path`` is in this tree, as a path on the disk (inside the repository)."""
        relative = self.relative(Path(path))
        if relative is None:
            raise GitError(f"{path} is outside the git repository {self.top}")
        return self.top / relative

    def name(self, path: Path) -> str:
        """``REV:path`` (relative to the top of the repository), as problems show it."""
        return f"{self.rev}:{self.relative(path) or path}"

    def exists(self, path: Path) -> bool:
        relative = self.relative(path)
        return relative is not None and relative in self.entries

    def read(self, path: Path, name: str, *, top_level: bool) -> tuple[str | None, list[Problem]]:
        def fail(reason: str) -> tuple[str | None, list[Problem]]:
            return read_failure(name, reason, top_level=top_level)

        relative = self.relative(path)
        entry = self.entries.get(relative or "")
        if entry is None:
            return fail(f"no such file at {self.rev}")
        mode, blob, size = entry
        if mode == "120000":
            return fail(f"is a symbolic link at {self.rev}, not a rubric file")
        if mode == "160000":
            return fail(f"is a submodule at {self.rev}, not a rubric file")
        too_big = size_failure(size)
        if too_big:
            return fail(too_big)
        return decode_text(_git(["cat-file", "blob", blob], self.top), name)

    def glob(self, base: Path, pattern: str) -> list[Path]:
        prefix = self.relative(base)
        if prefix is None:
            return []
        hidden = any(part.startswith(".") for part in Path(pattern).parts)
        matcher = _pattern(pattern)
        found = []
        for relative in self.entries:
            inner = relative if prefix in ("", ".") else relative.removeprefix(prefix + "/")
            if inner == relative and prefix not in ("", "."):
                continue
            if not hidden and any(part.startswith(".") for part in inner.split("/")):
                continue
            if matcher.fullmatch(inner):
                found.append(self.top / relative)
        return sorted(found)


def _pattern(pattern: str) -> re.Pattern[str]:
    """A glob pattern as pathlib reads it (``*`` within a name, ``**`` across folders)."""
    out = []
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        chunk = ""
        at = 0
        while at < len(part):
            char = part[at]
            if char == "*":
                chunk += "[^/]*"
            elif char == "?":
                chunk += "[^/]"
            elif char == "[":
                end = part.find("]", at + 2)
                if end == -1:
                    chunk += re.escape(char)
                else:
                    body = part[at + 1 : end]
                    negate = body.startswith("!")
                    chunk += "[" + ("^" if negate else "") + re.escape(body.lstrip("!")) + "]"
                    at = end
            else:
                chunk += re.escape(char)
            at += 1
        out.append(chunk + ("" if last else "/"))
    return re.compile("".join(out))


def check_at(rev: str, path: str | os.PathLike[str]) -> CheckResult | None:
    """Check the rubric file ``path`` (and what it includes) as it was at ``rev``, read
    through git; ``None`` when the file did not exist at ``rev``. Raises
    :class:`GitError` when git cannot give the revision."""
    tree = GitTree.open(rev, Path(path))
    where = tree.path(path)
    if not tree.exists(where):
        return None
    files, problems = read_tree(where, tree.name, reader=tree)
    rubric, problems = assemble(files, problems)
    return check_result(files[0].name if files else tree.name(where), rubric, problems)


def changed_rubrics(revisions: tuple[str, ...], near: str | os.PathLike[str] = ".") -> list[str]:
    """The rubrics (in ``near`` and below, as paths relative to it) whose files differ
    between ``revisions[0]`` and the working tree (or ``revisions[1]``): a changed
    rubric file, or a changed file it includes; new untracked files count, and so does
    a rubric the change deletes. What ``diff --git REV`` compares when no rubric is
    named. Raises :class:`GitError` as :func:`check_at` does (not a repository, no such
    revision, git missing)."""
    from .files import parse_text, syntax_of
    from .roots import is_rubric_table, rubrics_of

    here = Path(near)
    trees = [GitTree.open(rev, here) for rev in revisions]  # the clear errors first
    commits = [tree.commit for tree in trees]
    listed = _git(["diff", "--name-only", "-z", "--relative", *commits, "--"], here)
    if len(revisions) < 2:
        listed += _git(["ls-files", "-z", "--others", "--exclude-standard"], here)
    found: dict[str, None] = {}
    for name in sorted({n for n in listed.decode("utf-8", "replace").split("\0") if n}):
        path = here / name
        owners = rubrics_of(path) if path.is_file() else []
        for rubric in owners:
            found.setdefault(os.path.relpath(rubric, here), None)
        if owners:
            continue
        # deleted from the working tree (or not a rubric's file there): a rubric at a
        # revision, read through git on the newest side where it exists
        syntax = syntax_of(path)
        for tree in reversed(trees):
            if syntax is None or not tree.exists(path):
                continue
            text, _ = tree.read(path, tree.name(path), top_level=False)
            data = parse_text(text, syntax, name)[0] if text is not None else None
            if data is not None and is_rubric_table(data):
                found.setdefault(os.path.relpath(path, here), None)
            break
    return list(found)


def load_at(rev: str, path: str | os.PathLike[str]) -> Rubric | None:
    """:func:`check_at`, raising :class:`RubricError` when the rubric was invalid."""
    result = check_at(rev, path)
    if result is None:
        return None
    if result.rubric is None:
        raise RubricError(result.problems)
    return result.rubric
