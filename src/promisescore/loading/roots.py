"""Which rubric includes a file: so ``check`` can be given an included file.

Tools such as pre-commit pass ``check`` every changed file, and in a rubric split with
``include`` most changes are to included files, which are not rubrics on their own (no
``format``, ``report`` or ``scale``). :func:`including_rubrics` finds the rubrics that
include such a file — directly or through other included files — so that ``check``
checks those instead. Includes never reach outside the including file's directory
tree (FORMAT.md §1), so only the file's own directory and its parents are searched, up
to the project root (a directory holding ``.git`` or ``pyproject.toml``).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from ..errors import Problem
from .files import _includes, included_keys, parse_text, real_path, syntax_of

#: How many directories above the file are searched at most.
MAX_LEVELS = 8
#: Files larger than this are not opened while searching (rubric roots are small).
MAX_PEEK_BYTES = 8 * 1024 * 1024
#: Files larger than this with a visible ``format`` key are taken for rubrics unparsed.
SKIP_PARSE_BYTES = 256 * 1024


# A top-level `format` key: rubric files have one, included files do not.
_FORMAT_KEY = {
    "toml": re.compile(r"^[ \t]*format[ \t]*=", re.MULTILINE),
    "json": re.compile(r'"format"[ \t\r\n]*:'),
}


def _parse(path: Path, *, skip_rubrics: bool = False) -> dict[str, Any] | None:
    """The top-level table of ``path``; ``None`` if unreadable, invalid or too large.

    With ``skip_rubrics``, a large file in which a ``format`` key appears is not parsed
    at all (``None``): it is most likely a rubric, not an included file, and ``check``
    would parse it twice. (A ``format`` key in some ``meta`` table can fool the text
    search, so small files are always parsed.)
    """
    syntax = syntax_of(path)
    if syntax is None:
        return None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PEEK_BYTES:
            return None
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if skip_rubrics and info.st_size > SKIP_PARSE_BYTES and _FORMAT_KEY[syntax].search(text):
        return None
    data, _ = parse_text(text, syntax, str(path))
    return data


def is_included_file(data: dict[str, Any]) -> bool:
    """True for the top-level table of an included file: no ``format``, only list keys."""
    return bool(data) and "format" not in data and set(data) <= set(included_keys())


def _is_project_root(directory: Path) -> bool:
    try:
        return (directory / ".git").exists() or (directory / "pyproject.toml").is_file()
    except OSError:
        return True  # cannot look further


def _includers(target: Path) -> list[Path]:
    """Files in ``target``'s directory and above whose ``include`` reaches ``target``."""
    found: list[Path] = []
    directory = target.parent
    for _ in range(MAX_LEVELS + 1):
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            entries = []
        for candidate in entries:
            if candidate == target or syntax_of(candidate) is None:
                continue
            data = _parse(candidate)
            if not data or "include" not in data:
                continue
            problems: list[Problem] = []
            targets = {real_path(p) for p in _includes(data, candidate, str(candidate), problems)}
            if target in targets:
                found.append(candidate)
        if _is_project_root(directory) or directory.parent == directory:
            break
        directory = directory.parent
    return found


def including_rubrics(path: str | os.PathLike[str]) -> list[str] | None:
    """The rubrics that include ``path``, or ``None`` when ``path`` is not an included file.

    An empty list means ``path`` looks like an included file but no rubric including it
    was found. Paths are returned as the caller would write them: relative to the
    current directory when ``path`` was relative.
    """
    start = Path(path)
    data = _parse(start, skip_rubrics=True)
    if data is None or not is_included_file(data):
        return None
    roots: list[Path] = []
    seen: set[Path] = set()
    pending = [real_path(start)]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for includer in _includers(current):
            resolved = real_path(includer)
            parsed = _parse(includer)
            if parsed is not None and "format" in parsed:
                if resolved not in roots:
                    roots.append(resolved)
            else:
                pending.append(resolved)
    return [_as_given(root, relative=not start.is_absolute()) for root in roots]


def is_rubric_table(data: dict[str, Any]) -> bool:
    """Whether a file's top-level table is a rubric's: ``format`` and a ``[report]``
    table (a ``score --format json`` output has ``format`` too, and ``schema_version``)."""
    return (
        "format" in data and isinstance(data.get("report"), dict) and "schema_version" not in data
    )


def rubrics_of(path: str | os.PathLike[str]) -> list[str]:
    """The rubrics a file belongs to: itself when it is a rubric
    (:func:`is_rubric_table`), the rubrics that include it when it is an included file,
    else none."""
    data = _parse(Path(path))
    if data is None:
        return []
    if is_rubric_table(data):
        return [str(path)]
    return including_rubrics(path) or []


def _as_given(path: Path, *, relative: bool) -> str:
    if relative:
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return str(path)
        return rel
    return str(path)
