"""Find the line of a key path in TOML or JSON source text.

``tomllib`` and ``json`` give no positions for values, so after a successful parse we
scan the text once more — only when there is a problem to report — and record the
line where each path starts: ``("promises", 3, "weight")`` is the ``weight`` key of the
fourth ``[[promises]]`` table. The scanners assume text the real parser accepted; on
anything unexpected they stop and return what they have (a problem then shows the
nearest enclosing object's line, or none).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = " \t"


class _Stop(Exception):
    pass


class _TomlScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.array_counts: dict[Path, int] = {}

    # -- low-level -------------------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def advance(self, n: int = 1) -> None:
        chunk = self.text[self.pos : self.pos + n]
        self.line += chunk.count("\n")
        self.pos += n

    def skip_ws(self, newlines: bool = False) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in _WS or ch == "\r" or (newlines and ch == "\n"):
                self.advance()
            elif ch == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def record(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)

    # -- keys and strings --------------------------------------------------------------
    def string(self) -> str:
        for quote in ('"""', "'''"):
            if self.peek(3) == quote:
                end = self.text.find(quote, self.pos + 3)
                if end < 0:
                    raise _Stop
                # a closing run may be up to five quotes long
                while self.text[end + 3 : end + 4] == quote[0]:
                    end += 1
                value = self.text[self.pos + 3 : end]
                self.advance(end + 3 - self.pos)
                return value
        quote = self.peek()
        start = self.pos + 1
        i = start
        while i < len(self.text):
            ch = self.text[i]
            if quote == '"' and ch == "\\":
                i += 2
                continue
            if ch == quote:
                value = self.text[start:i]
                self.advance(i + 1 - self.pos)
                return value if quote == "'" else _unescape(value)
            if ch == "\n":
                raise _Stop
            i += 1
        raise _Stop

    def key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self.skip_ws()
            ch = self.peek()
            if ch in ('"', "'"):
                parts.append(self.string())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise _Stop
                parts.append(match.group())
                self.advance(match.end() - self.pos)
            self.skip_ws()
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    # -- values --------------------------------------------------------------------------
    def value(self, path: Path) -> None:
        self.record(path)
        ch = self.peek()
        if ch == "[":
            self.advance()
            index = 0
            while True:
                self.skip_ws(newlines=True)
                if self.peek() == "]":
                    self.advance()
                    return
                self.value((*path, index))
                index += 1
                self.skip_ws(newlines=True)
                if self.peek() == ",":
                    self.advance()
        elif ch == "{":
            self.advance()
            while True:
                self.skip_ws()
                if self.peek() == "}":
                    self.advance()
                    return
                key_line = self.line
                key = self.key()
                self.lines.setdefault((*path, *key), key_line)
                self.skip_ws()
                if self.peek() != "=":
                    raise _Stop
                self.advance()
                self.skip_ws()
                self.value((*path, *key))
                self.skip_ws()
                if self.peek() == ",":
                    self.advance()
        elif ch in ('"', "'"):
            self.string()
        else:
            end = self.pos
            while end < len(self.text) and self.text[end] not in ",]}\n#":
                end += 1
            if end == self.pos:
                raise _Stop
            self.advance(end - self.pos)

    # -- document --------------------------------------------------------------------------
    def resolve_header(self, keys: tuple[str, ...], is_array: bool) -> Path:
        path: list[str | int] = []
        for i, key in enumerate(keys):
            path.append(key)
            prefix = tuple(path)
            last = i == len(keys) - 1
            if last and is_array:
                index = self.array_counts.get(prefix, -1) + 1
                self.array_counts[prefix] = index
                path.append(index)
            elif prefix in self.array_counts:
                path.append(self.array_counts[prefix])
        return tuple(path)

    def document(self) -> dict[Path, int]:
        table: Path = ()
        try:
            while True:
                self.skip_ws(newlines=True)
                if self.pos >= len(self.text):
                    break
                if self.peek() == "[":
                    is_array = self.peek(2) == "[["
                    self.advance(2 if is_array else 1)
                    header_line = self.line
                    keys = self.key()
                    self.advance(2 if is_array else 1)
                    table = self.resolve_header(keys, is_array)
                    self.lines.setdefault(table, header_line)
                    continue
                key_line = self.line
                key = self.key()
                self.lines.setdefault((*table, *key), key_line)
                self.skip_ws()
                if self.peek() != "=":
                    raise _Stop
                self.advance()
                self.skip_ws()
                self.value((*table, *key))
        except (_Stop, IndexError, RecursionError):
            pass
        return self.lines


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    try:
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return text


class _JsonScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}

    def skip_ws(self) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            if text[self.pos] == "\n":
                self.line += 1
            self.pos += 1

    def string(self) -> str:
        i = self.pos + 1
        text = self.text
        while i < len(text):
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                raw = text[self.pos + 1 : i]
                self.pos = i + 1
                return _unescape(raw)
            i += 1
        raise _Stop

    def value(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)
        ch = self.text[self.pos]
        if ch == "{":
            self.pos += 1
            while True:
                self.skip_ws()
                if self.text[self.pos] == "}":
                    self.pos += 1
                    return
                key_line = self.line
                key = self.string()
                self.lines.setdefault((*path, key), key_line)
                self.skip_ws()
                self.pos += 1  # ':'
                self.skip_ws()
                self.value((*path, key))
                self.skip_ws()
                if self.text[self.pos] == ",":
                    self.pos += 1
        elif ch == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_ws()
                if self.text[self.pos] == "]":
                    self.pos += 1
                    return
                self.value((*path, index))
                index += 1
                self.skip_ws()
                if self.text[self.pos] == ",":
                    self.pos += 1
        elif ch == '"':
            self.string()
        else:
            end = self.pos
            while end < len(self.text) and self.text[end] not in ",]} \t\r\n":
                end += 1
            if end == self.pos:
                raise _Stop
            self.pos = end

    def document(self) -> dict[Path, int]:
        try:
            self.skip_ws()
            self.value(())
        except (_Stop, IndexError, RecursionError):
            pass
        return self.lines


def line_index(text: str, kind: str) -> dict[Path, int]:
    """Map every key path of ``text`` (``kind`` ``"toml"`` or ``"json"``) to its line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    scanner = _TomlScanner(text) if kind == "toml" else _JsonScanner(text)
    return scanner.document()


def find_line(index: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest enclosing path that has one."""
    for end in range(len(path), 0, -1):
        line = index.get(path[:end])
        if line is not None:
            return line
    return None


# -- targeted JSON locating ------------------------------------------------------------------
#
# ``line_index`` walks the whole text in pure Python: fine for a hand-written rubric, far
# too slow for a 300 MB machine-made one when all we need is the line of one or two
# objects. ``JsonLocator`` walks only the containers on the way to the path asked for,
# skipping every value it passes with the C scanner of the standard library's ``json``
# (big arrays one element at a time, so that nothing large is ever built), and remembers
# what it has seen, so that a hundred warnings cost about one walk. It gives exactly the
# lines ``find_line(line_index(text, "json"), path)`` gives (a hypothesis test checks it);
# anything unexpected (text ``json`` would not accept) falls back to ``line_index``.

_JSON_WS = re.compile(r"[ \t\r\n]*")
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - untyped in typeshed


class _Container:
    """What a walk has learnt of one object or array: entries so far, where to resume."""

    __slots__ = ("done", "entries", "positions", "resume")

    def __init__(self, resume: int) -> None:
        self.resume = resume
        self.done = False
        #: objects: first occurrence of each key → (position of the key, of its value)
        self.entries: dict[str, tuple[int, int]] = {}
        #: arrays: the position where each element starts
        self.positions: array[int] = array("q")


class JsonLocator:
    """The line of a key path in JSON text, found by a targeted walk (see above)."""

    def __init__(self, text: str, more: Callable[[], str | None] | None = None) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        #: when set, ``text`` is the start of the file and ``more()`` gives the next part
        #: ("" at the end, ``None`` when it cannot be read): a problem near the start of
        #: a big file is then located without reading (and holding) the whole text
        self._more = more
        self._scan: Any = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        self._containers: dict[int, _Container] = {}
        self._marks = array("q", [0])  # positions whose line is known, sorted
        self._lines = array("q", [1])
        self._fallback: dict[Path, int] | None = None

    # -- lines ---------------------------------------------------------------------------
    def _line_at(self, pos: int) -> int:
        marks = self._marks
        i = bisect_right(marks, pos) - 1
        line = self._lines[i] + self.text.count("\n", marks[i], pos)
        if marks[i] != pos:
            marks.insert(i + 1, pos)
            self._lines.insert(i + 1, line)
        return line

    # -- walking ---------------------------------------------------------------------------
    def _ws(self, pos: int) -> int:
        match = _JSON_WS.match(self.text, pos)
        return match.end() if match else pos

    def _skip(self, pos: int) -> int:
        """The end of the value starting at ``pos``; arrays are walked element-wise."""
        if self.text.startswith("[", pos):
            container = self._container(pos)
            self._advance(container, pos, None)
            return container.resume
        try:
            return int(self._scan(self.text, pos)[1])
        except StopIteration:
            raise _Stop from None

    def _container(self, pos: int) -> _Container:
        container = self._containers.get(pos)
        if container is None:
            container = _Container(self._ws(pos + 1))
            self._containers[pos] = container
        return container

    def _advance(self, container: _Container, start: int, want: str | int | None) -> None:
        """Walk ``container`` (starting at ``start``) until ``want`` is seen or the end."""
        text = self.text
        is_object = text.startswith("{", start)
        pos = container.resume
        while not container.done:
            if isinstance(want, str) and is_object and want in container.entries:
                return
            if isinstance(want, int) and not is_object and want < len(container.positions):
                return
            if pos >= len(text):
                raise _Stop
            ch = text[pos]
            if ch in "}]":
                container.done = True
                container.resume = pos + 1
                return
            if is_object:
                if ch != '"':
                    raise _Stop
                end = _scanstring(text, pos + 1)[1]
                key = _unescape(text[pos + 1 : end - 1])
                colon = self._ws(end)
                if not text.startswith(":", colon):
                    raise _Stop
                value = self._ws(colon + 1)
                container.entries.setdefault(key, (pos, value))
            else:
                value = pos
                container.positions.append(value)
            pos = self._ws(self._skip(value))
            if text.startswith(",", pos):
                pos = self._ws(pos + 1)
            container.resume = pos

    def _find(self, path: Path) -> int | None:
        if not path:
            return None
        pos = self._ws(0)
        found: int | None = None
        for part in path:
            if pos >= len(self.text):
                raise _Stop
            if self.text.startswith("{", pos) and isinstance(part, str):
                container = self._container(pos)
                self._advance(container, pos, part)
                entry = container.entries.get(part)
                if entry is None:
                    return found
                found, pos = entry
            elif self.text.startswith("[", pos) and isinstance(part, int) and part >= 0:
                container = self._container(pos)
                self._advance(container, pos, part)
                if part >= len(container.positions):
                    return found
                found = pos = container.positions[part]
            else:
                return found
        return found

    def line(self, path: Path) -> int | None:
        """What ``find_line(line_index(text, "json"), path)`` gives, without the full walk."""
        while self._fallback is None:
            try:
                pos = self._find(path)
            except (_Stop, ValueError, IndexError, RecursionError):
                if not self._extend(everything=False):
                    self._fallback = line_index(self.text, "json")
            else:
                return None if pos is None else self._line_at(pos)
        return find_line(self._fallback, path)

    def _extend(self, everything: bool) -> bool:
        """Read more of the file (twice as much); ``False`` when there is no more."""
        if self._more is None:
            return False
        parts = [self.text]
        wanted = len(self.text)
        while wanted > 0 or everything:
            part = self._more()
            if not part:  # the end, or unreadable: what has been read is all there is
                self._more = None
                break
            parts.append(part)
            wanted -= len(part)
        self.text = "".join(parts)
        self._containers.clear()  # a walk cut short by the old end is walked again
        return len(parts) > 1


def json_locator_for_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> JsonLocator | None:
    """A :class:`JsonLocator` that reads ``path`` only as far as the paths asked for need;
    ``None`` when the file cannot be read."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0

    def more() -> str | None:
        nonlocal offset
        try:
            with open(path, "rb") as handle:
                handle.seek(offset)
                while True:  # a chunk may end inside a character: "" only at the end
                    data = handle.read(chunk)
                    offset += len(data)
                    text = decoder.decode(data, final=not data)
                    if text or not data:
                        return text
        except (OSError, UnicodeDecodeError):
            return None

    first = more()
    return None if first is None else JsonLocator(first, more)
