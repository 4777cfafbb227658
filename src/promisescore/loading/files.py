"""Reading rubric files: bytes → text → TOML/JSON data, following ``include``.

Everything that can go wrong with a file becomes a :class:`Problem` with the file name
and, where the parser gives one, the line; nothing here raises on bad input except
:class:`InputFileError` for the top-level file itself (a usage error, exit code 2).
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from ..errors import InputFileError, Problem
from ..model.parts import FLOAT_MAX
from ..progress import Progress
from ..sanitize import has_lone_surrogate

#: Files larger than this are refused before reading (override with the environment
#: variable ``PROMISESCORE_MAX_FILE_BYTES``).
DEFAULT_MAX_FILE_BYTES = 2 * 1024**3

_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_INCLUDED_KEYS = ("include", "categories", "promises", "evidence", "assessments")


def max_file_bytes() -> int:
    """The size limit: ``PROMISESCORE_MAX_FILE_BYTES`` (a whole number of bytes), else
    2 GiB. A value that is not a number is a usage error (:class:`InputFileError`, exit
    2), not silently ignored."""
    raw = os.environ.get("PROMISESCORE_MAX_FILE_BYTES")
    if raw is None or not raw.strip():
        return DEFAULT_MAX_FILE_BYTES
    text = raw.strip().replace("_", "")
    if re.fullmatch(r"[0-9]{1,19}", text) is None:
        raise InputFileError(
            "PROMISESCORE_MAX_FILE_BYTES",
            f"must be a whole number of bytes, such as 104857600, not {raw[:40]!r}",
        )
    return int(text)


@attrs.frozen
class SourceFile:
    """One parsed file: its name as shown to users, its syntax, and its top-level table."""

    name: str
    path: Path | None
    syntax: str
    data: dict[str, Any]
    included: bool
    text: str | None = attrs.field(default=None, eq=False, repr=False)

    def read_text(self) -> str | None:
        """The file's text again (for locating lines); ``None`` if it cannot be read."""
        if self.text is not None:
            return self.text
        if self.path is None:
            return None
        try:
            return self.path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None


def syntax_of(path: str | os.PathLike[str]) -> str | None:
    suffix = Path(path).suffix.lower()
    return {".toml": "toml", ".json": "json"}.get(suffix)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def toml_loads(text: str) -> dict[str, Any]:
    """A TOML document's top-level table, parsed by rtoml (compiled; several times faster
    than ``tomllib``). A text rtoml rejects is handed to ``tomllib`` only to word the
    error (:class:`tomllib.TOMLDecodeError`, with its line); values always come from
    rtoml (an offset date-time's ``tzinfo`` is rtoml's own class, equal to the same
    offset from ``datetime.timezone``)."""
    import rtoml

    try:
        data: dict[str, Any] = rtoml.loads(text)
    except ValueError:  # TomlParsingError, or a lone surrogate rtoml cannot read (E012)
        return tomllib.loads(text)  # words the error (or reads what the checks refuse)
    return data


def parse_text(text: str, syntax: str, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse text as TOML or JSON; return the top-level table, or ``None`` and problems."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        if syntax == "toml":
            data: Any = toml_loads(text)
        else:
            data = json.loads(
                text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant
            )
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE.search(message)
        line = int(match.group(1)) if match else None
        if line is None and "(at end of document)" in message:
            line = text.count("\n") + 1
            message = message.replace("(at end of document)", "at the end of the file")
        message = _TOML_LINE.sub("", message).strip()
        hint = None
        if "Cannot overwrite a value" in message or "Cannot declare" in message:
            hint = "a key or table is defined twice"
            return None, [
                Problem("E105", f"duplicate key: {message}", hint=hint, file=name, line=line)
            ]
        return None, [Problem("E003", f"TOML syntax error: {message}", file=name, line=line)]
    except _DuplicateKey as exc:
        line = _json_key_line(text, exc.key)
        return None, [
            Problem(
                "E105",
                f"duplicate key {exc.key!r} in a JSON object",
                hint="JSON parsers disagree on which value wins; keep one",
                file=name,
                line=line,
            )
        ]
    except json.JSONDecodeError as exc:
        return None, [Problem("E003", f"JSON syntax error: {exc.msg}", file=name, line=exc.lineno)]
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's 4300-digit limit
            return None, [_huge_number_problem(name, _line_of(text, _LONG_DIGITS))]
        # NaN, Infinity or -Infinity (from _reject_constant)
        return None, [
            Problem(
                "E003",
                f"JSON syntax error: {exc}",
                hint="write a finite number, or leave the key out",
                file=name,
                line=_json_constant_line(text),
            )
        ]
    except RecursionError:
        return None, [
            Problem(
                "E009",
                "the file is nested too deeply to read",
                hint="a rubric needs only a few levels of nesting",
                file=name,
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Problem("E103", "the top level must be a table (a JSON object)", file=name, line=1)
        ]
    if _may_hold_surrogates(text):
        try:
            problems = unrepresentable(data, text, syntax, name, numbers=False)
        except RecursionError:
            problems = [
                Problem(
                    "E009",
                    "the file is nested too deeply to read",
                    hint="a rubric needs only a few levels of nesting",
                    file=name,
                )
            ]
        if problems:
            return None, problems
    return data, []


def _may_hold_surrogates(text: str) -> bool:
    """Whether parsed ``text`` can hold a lone surrogate: it has a ``\\uD...`` escape
    (JSON; TOML refuses them), or is a string with a surrogate code point (given to
    ``loads``; text decoded from a file never has one). Plain substring searches, so a
    big file costs next to nothing; only then is the parsed data walked."""
    if "\\ud" in text or "\\uD" in text:
        return True
    return not text.isascii() and has_lone_surrogate(text)


_LONG_DIGITS = re.compile(r"[0-9_]{4300,}")


def _line_of(text: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _huge_number_problem(
    name: str, line: int | None, path: tuple[str | int, ...] = (), digits: int | None = None
) -> Problem:
    size = f"a {digits:,}-digit number" if digits else "a number"
    return Problem(
        "E011",
        f"{size} is too large: numbers must be finite and at most about 1.8e308",
        hint="write the number in a smaller unit, or as a float such as 1e9",
        file=name,
        line=line,
        path=path,
    )


def huge_number(value: object) -> bool:
    """An int no float can hold (``float()`` would raise ``OverflowError``)."""
    return type(value) is int and not -FLOAT_MAX <= value <= FLOAT_MAX


def huge_number_message(value: int) -> str:
    return (
        f"is too large: a {_digits(value):,}-digit number; numbers must be finite and at "
        "most about 1.8e308"
    )


def _digits(value: int) -> int:
    """How many decimal digits ``value`` has (without converting it to a string)."""
    return len(str(abs(value))) if value.bit_length() < 4000 else int(value.bit_length() * 0.30103)


def unrepresentable(
    data: Any, text: str | None, syntax: str, name: str, limit: int = 20, *, numbers: bool = True
) -> list[Problem]:
    """Problems for every string (value or key) holding a lone surrogate in parsed
    ``data`` and, with ``numbers``, every int too large for a float: a rubric must
    survive UTF-8 output and ``float()``. At most ``limit`` are reported. (The loader
    finds huge numbers where it converts them, see ``structure.Builder.convert``; this
    walk with ``numbers`` is for data that does not pass there, such as JSON cells of a
    CSV file.)"""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if len(found) >= limit:
            return
        kind = type(value)
        if kind is int:
            if numbers and abs(value) > FLOAT_MAX:
                found.append((path, "number"))
        elif kind is str:
            if has_lone_surrogate(value):
                found.append((path, "string"))
        elif kind is dict:
            for key, item in value.items():
                if has_lone_surrogate(key):
                    found.append(((*path, key), "key"))
                walk(item, (*path, key))
        elif kind is list:
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(data, ())
    if not found:
        return []
    from .locate import find_line, line_index

    try:
        index = line_index(text, syntax) if text is not None else {}
    except Exception:  # locating is best effort; the problem stands without a line
        index = {}
    problems: list[Problem] = []
    for path, what in found:
        line = find_line(index, path)
        shown = _shown(path)
        if what == "number":
            value = _at(data, path)
            problem = _huge_number_problem(name, line, path, _digits(value))
            problems.append(attrs.evolve(problem, message=f"{shown}: {problem.message}"))
        else:
            problems.append(
                Problem(
                    "E012",
                    f"{shown}: the {what} holds a lone surrogate (an unpaired \\uD800-\\uDFFF "
                    "escape), which is not a character and cannot be written as UTF-8",
                    hint="remove the escape, or write the character it was meant to be",
                    file=name,
                    line=line,
                    path=path,
                )
            )
    return problems


def _shown(path: tuple[str | int, ...]) -> str:
    """``promises[0].weight``; a key with a surrogate shows it as ``\\ud800``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part.encode("utf-8", "backslashreplace").decode()
            text += f".{key}" if text else key
    return text or "the top level"


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


_JSON_CONSTANT = re.compile(r"[:\[,]\s*(?:NaN|-?Infinity)\b")


def _json_constant_line(text: str) -> int | None:
    match = _JSON_CONSTANT.search(text)
    return text.count("\n", 0, match.end()) + 1 if match else None


def _json_key_line(text: str, key: str) -> int | None:
    needle = json.dumps(key)
    positions = [m.start() for m in re.finditer(re.escape(needle) + r"\s*:", text)]
    if len(positions) >= 2:
        return text.count("\n", 0, positions[1]) + 1
    return None


def read_failure(name: str, reason: str, *, top_level: bool) -> tuple[None, list[Problem]]:
    """A file that cannot be read: the top-level file raises :class:`InputFileError`, an
    included one is an E001 problem (the one rule for both the disk and a git tree)."""
    if top_level:
        raise InputFileError(name, reason)
    return None, [Problem("E001", f"cannot read included file: {reason}", file=name)]


def size_failure(size: int) -> str | None:
    """Why a file of ``size`` bytes is not read (over ``max_file_bytes()``), or ``None``."""
    limit = max_file_bytes()
    if size > limit:
        return (
            f"is {size:,} bytes, over the limit of {limit:,} "
            "(set PROMISESCORE_MAX_FILE_BYTES to raise it)"
        )
    return None


def decode_text(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """A rubric file's bytes as text: UTF-8, or an E002 problem with its line."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(
                "E002",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                hint="save the file as UTF-8",
                file=name,
                line=line,
            )
        ]


def read_file(path: Path, name: str, *, top_level: bool) -> tuple[str | None, list[Problem]]:
    """Read and decode one file. The top-level file raises :class:`InputFileError`."""

    def fail(reason: str) -> tuple[str | None, list[Problem]]:
        return read_failure(name, reason, top_level=top_level)

    try:
        info = path.stat()
    except FileNotFoundError:
        return fail("no such file")
    except OSError as exc:
        return fail(exc.strerror or str(exc))
    if stat.S_ISDIR(info.st_mode):
        return fail("is a directory, not a rubric file")
    if not stat.S_ISREG(info.st_mode):
        return fail("is not a regular file (a FIFO, socket or device?)")
    too_big = size_failure(info.st_size)
    if too_big:
        return fail(too_big)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return fail(exc.strerror or str(exc))
    return decode_text(raw, name)


def read_tree(
    root: Path,
    display: Callable[[Path], str],
    progress: Progress | None = None,
    *,
    overrides: Mapping[Path, str] | None = None,
    reader: Reader | None = None,
) -> tuple[list[SourceFile], list[Problem]]:
    """Read ``root`` and every file it includes, depth first in include order.

    ``overrides`` maps resolved paths to text read instead of the file (an edit checked
    before it is written, :mod:`promisescore.edit`); ``reader`` reads the files from
    elsewhere than the disk (a git revision, :mod:`.git`)."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    loaded: set[Path] = set()
    names: dict[Path, str] = {}
    resolve = real_path if reader is None else _normal

    def visit(path: Path, chain: tuple[Path, ...], included: bool) -> None:
        name = display(path)
        syntax = syntax_of(path)
        if syntax is None:
            if not included:
                raise InputFileError(name, "unsupported file type; use .toml or .json")
            problems.append(Problem("E004", "unsupported file type; use .toml or .json", file=name))
            return
        override = overrides.get(path.resolve()) if overrides else None
        text: str | None
        found: list[Problem] = []
        if override is not None:
            text = override
        elif reader is not None:
            text, found = reader.read(path, name, top_level=not included)
            override = text  # the text is not on the disk: keep it for locating lines
        else:
            text, found = read_file(path, name, top_level=not included)
        problems.extend(found)
        if text is None:
            return
        size = len(text)
        if progress is not None:
            progress(f"parsing {name}", 0, size)
        data, found = parse_text(text, syntax, name)
        del text  # the parsed data replaces it; locating a problem reads the file again
        if progress is not None:
            progress(f"parsing {name}", size, size)
        problems.extend(found)
        if data is None:
            return
        real = resolve(path)
        loaded.add(real)
        names[real] = name
        files.append(SourceFile(name, path, syntax, data, included, text=override))
        for target in _includes(data, path, name, problems, reader):
            resolved = real_path(target) if reader is None else target
            if resolved in chain or resolved == real:
                cycle = " -> ".join(names.get(p, display(p)) for p in (*chain, real, resolved))
                problems.append(
                    Problem(
                        "E007",
                        f"include cycle: {cycle}",
                        hint="a file may not include itself, directly or through others",
                        file=name,
                        path=("include",),
                    )
                )
                continue
            if resolved in loaded:
                continue  # included twice (e.g. by two globs): read once
            visit(target, (*chain, real), True)

    visit(root, (), False)
    return files, problems


class Reader(Protocol):
    """Where :func:`read_tree` reads files from when not from the disk (a git revision):
    a file's text, the files an include pattern matches, whether a file exists. Paths
    are as on the disk; the reader has no symbolic links."""

    def read(self, path: Path, name: str, *, top_level: bool) -> tuple[str | None, list[Problem]]:
        """As :func:`read_file`: the text, or ``None`` and the problems (the top-level
        file raises :class:`InputFileError`)."""
        ...

    def glob(self, base: Path, pattern: str) -> list[Path]:
        """As :func:`_glob`: the files below ``base`` that ``pattern`` matches, sorted."""
        ...

    def exists(self, path: Path) -> bool: ...


def _normal(path: Path) -> Path:
    return Path(os.path.normpath(path))


def _includes(
    data: dict[str, Any],
    path: Path,
    name: str,
    problems: list[Problem],
    reader: Reader | None = None,
) -> list[Path]:
    raw = data.get("include")
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        problems.append(
            Problem(
                "E103",
                "include must be a list of paths or glob patterns",
                hint='e.g. include = ["evidence/*.toml"]',
                file=name,
                path=("include",),
            )
        )
        return []
    base = path.parent
    real = real_path if reader is None else _normal
    real_base = real(base)
    itself = real(path)
    found: list[Path] = []
    seen: set[Path] = set()
    for index, pattern in enumerate(raw):
        where = ("include", index)
        if os.path.isabs(pattern) or ".." in Path(pattern).parts:
            problems.append(
                Problem(
                    "E006",
                    f"include {pattern!r} leaves the directory of {name}",
                    hint="included files must sit in the including file's directory or below it",
                    file=name,
                    path=where,
                )
            )
            continue
        if not glob.has_magic(pattern):
            matches = [base / pattern]
        else:
            matches = _glob(base, pattern) if reader is None else reader.glob(base, pattern)
        matches = [
            m
            for m in matches
            if m.suffix.lower() in (".toml", ".json") or not glob.has_magic(pattern)
        ]
        if not matches:
            problems.append(
                Problem(
                    "E005",
                    f"include {pattern!r} matches no file",
                    hint=f"paths are relative to {name}'s directory",
                    file=name,
                    path=where,
                )
            )
            continue
        for match in matches:
            resolved = real(match)
            if glob.has_magic(pattern) and (resolved == itself or resolved in seen):
                continue  # a glob that matches the including file, or a file twice
            seen.add(resolved)
            if reader is None and _is_link_loop(match):
                problems.append(
                    Problem(
                        "E005",
                        f"include {pattern!r}: {_rel(match, base)} is a symbolic link loop",
                        hint="remove the link, or point it at a file",
                        file=name,
                        path=where,
                    )
                )
                continue
            if not resolved.is_relative_to(real_base):
                problems.append(
                    Problem(
                        "E006",
                        f"include {pattern!r} resolves to {resolved}, outside the directory of "
                        f"{name} (through a symbolic link?)",
                        hint="included files must sit in the including file's directory or "
                        "below it",
                        file=name,
                        path=where,
                    )
                )
                continue
            if not (match.exists() if reader is None else reader.exists(match)):
                problems.append(
                    Problem(
                        "E005",
                        f"included file {pattern!r} does not exist",
                        hint=f"paths are relative to {name}'s directory",
                        file=name,
                        path=where,
                    )
                )
                continue
            found.append(match)
    return found


def real_path(path: Path) -> Path:
    """``path`` with every symbolic link resolved, never raising: ``os.path.realpath``
    (``Path.resolve`` raises ``RuntimeError`` on a link loop before Python 3.13)."""
    return Path(os.path.realpath(path))


def _is_link_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


#: At most this many files are looked at for one include pattern.
MAX_GLOB_MATCHES = 100_000


def _glob(base: Path, pattern: str) -> list[Path]:
    """The files ``pattern`` matches below ``base``, sorted.

    ``**`` does not descend into symbolic links to directories (``glob.glob`` does, so
    two links to ``..`` made about 2**40 paths): pathlib's glob, which stops at them.
    Names starting with a dot are left out unless the pattern asks for them, as with
    ``glob.glob``. Stops after :data:`MAX_GLOB_MATCHES` paths.
    """
    hidden = any(part.startswith(".") for part in Path(pattern).parts)
    found: list[Path] = []
    for match in base.glob(pattern):
        if not hidden and any(part.startswith(".") for part in match.relative_to(base).parts):
            continue
        found.append(match)
        if len(found) >= MAX_GLOB_MATCHES:
            break
    return sorted(found)


def included_keys() -> tuple[str, ...]:
    return _INCLUDED_KEYS
