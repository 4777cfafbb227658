"""Find the line of a key path in TOML or JSON source text.

``tomllib`` and ``json`` give no positions for values, so after a successful parse we
scan the text once more — only when there is a problem to report — and record the
line where each path starts: ``("promises", 3, "weight")`` is the ``weight`` key of the
fourth ``[[promises]]`` table. The scanners assume text the real parser accepted; on
anything unexpected they stop and return what they have (a problem then shows the
nearest enclosing object's line, or none).
"""

from __future__ import annotations

import re

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
