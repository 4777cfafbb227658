"""``promisescore archive``: fetch each source ``url`` not yet archived (FORMAT.md §8.9).

The one part of promisescore that touches the network, and only when asked. For every
evidence source table with an http(s) ``url`` and no ``archive``, the page is fetched
once (http and https only; redirects only to http(s) addresses; a timeout and a size
limit per download), stored under the archive folder with a content-addressed name (the
SHA-256 of its bytes and an extension: ``<sha256>.html``) through a temporary file and a
rename, so that a partial file never exists, and the source gains ``archive``,
``archived_on`` (today, from the injectable ``today``) and ``sha256`` in its file, every
other byte of which is kept (a TOML file here, a JSON file by
:func:`promisescore.edit.set_json_keys`, the JSON path of ``add``). A source already
archived is skipped; a failed download leaves its source as it was. The rubric is checked with the new keys before anything is
written, and all edited files are replaced together.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import re
import socket
import ssl
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from ..errors import PromisescoreError, RubricError
from ..model import Rubric
from ..model.parts import is_web_address

#: The most bytes one download may have (64 MiB).
DEFAULT_MAX_DOWNLOAD_BYTES = 64 * 1024**2
#: Seconds a download may take, all of it (connecting, waiting, reading).
DEFAULT_TIMEOUT = 30.0
#: The most redirects one download follows.
MAX_REDIRECTS = 5
USER_AGENT = "promisescore-archive (+https://github.com/promisescore/promisescore)"

Outcome = Literal["fetched", "skipped", "failed"]


class ArchiveError(PromisescoreError):
    """The archive run cannot start (a usage problem: an old format, an archive folder
    that is a file, a layout the keys cannot be added to without changing other
    bytes). Failed downloads are reported, not raised."""


@attrs.frozen
class Download:
    """What happened to the sources of one address (an address some of whose sources
    are already archived has a ``skipped`` download too)."""

    url: str
    outcome: Outcome
    #: The evidence ids whose source has this address.
    evidence: tuple[str, ...]
    #: The stored file (fetched), or why not (skipped, failed).
    detail: str = ""
    sha256: str | None = None


@attrs.frozen
class ArchiveResult:
    """What :func:`archive` did: each address's :class:`Download` and the files edited."""

    rubric: str
    downloads: tuple[Download, ...]
    edited: tuple[str, ...]
    folder: str
    #: Whether the archive folder is outside the rubric's tree (``verify`` then needs
    #: ``--archive-root`` naming it).
    outside: bool = False

    def count(self, outcome: Outcome) -> int:
        """How many sources (evidence items' source tables with a ``url``) had this
        outcome: a page two sources cite is downloaded once and counts twice, so the
        three counts add up to :attr:`sources`."""
        return sum(len(d.evidence) for d in self.downloads if d.outcome == outcome)

    @property
    def sources(self) -> int:
        """The sources considered: every evidence source with a ``url``."""
        return sum(len(d.evidence) for d in self.downloads)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def summary(self) -> str:
        return (
            f"{self.count('fetched')} fetched, {self.count('skipped')} skipped, "
            f"{self.count('failed')} failed"
        )


class _Refused(urllib.error.URLError):
    pass


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) addresses, and at most :data:`MAX_REDIRECTS`."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_web_address(newurl):
            raise _Refused(f"redirect to {newurl[:200]!r} refused: only http(s) is followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes, every read bounded by the download's deadline: a server that
    drips its status line, headers or body is cut off when the download's time is up,
    not only when one read waits longer than the timeout. It reads through the socket's
    own file (``makefile("rb", buffering=0)``), which keeps the connection open after
    urllib closes the socket object, as the file it replaces does."""

    def __init__(self, sock: socket.socket, deadline: float, timeout: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline
        self._timeout = timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(_time_left(self._deadline, self._timeout))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose reading file (``makefile("rb")``, what
    :class:`http.client.HTTPResponse` reads) keeps the download's deadline."""

    def __init__(self, sock: socket.socket, deadline: float, timeout: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._timeout = timeout

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "rb" or args or kwargs:
            make: Any = self._sock.makefile
            return make(mode, *args, **kwargs)
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline, self._timeout))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _BoundedHTTPConnection(http.client.HTTPConnection):
    """An http connection whose every read keeps the download's deadline."""

    def __init__(self, *args: Any, deadline: float, limit: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline, self._limit = deadline, limit

    def connect(self) -> None:
        self.timeout = _time_left(self._deadline, self._limit)  # connecting: what is left
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self._deadline, self._limit)


class _BoundedHTTPSConnection(http.client.HTTPSConnection):
    """An https connection whose every read keeps the download's deadline."""

    def __init__(self, *args: Any, deadline: float, limit: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline, self._limit = deadline, limit

    def connect(self) -> None:
        self.timeout = _time_left(self._deadline, self._limit)  # and the TLS handshake
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self._deadline, self._limit)


def _time_left(deadline: float, limit: float) -> float:
    """The seconds left before ``deadline``; ``TimeoutError`` when none are."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"took longer than {limit:g} s")
    return left


class _BoundedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float, timeout: float) -> None:
        super().__init__()
        self._bounds = {"deadline": deadline, "limit": timeout}

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        # do_open passes its keywords to the connection class (typeshed's protocol for
        # the class does not know these two)
        connection: Any = _BoundedHTTPConnection
        return self.do_open(connection, req, **self._bounds)


class _BoundedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float, timeout: float) -> None:
        super().__init__()
        self._bounds = {"deadline": deadline, "limit": timeout}
        self._tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection: Any = _BoundedHTTPSConnection  # keywords as for http_open
        return self.do_open(connection, req, context=self._tls, **self._bounds)


def _opener(deadline: float, timeout: float) -> urllib.request.OpenerDirector:
    """http and https only: no file:, ftp: or data: handler at all; every read of a
    download bounded by its ``deadline``."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _BoundedHTTPHandler(deadline, timeout),
        _BoundedHTTPSHandler(deadline, timeout),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}


def _extension(content_type: str | None, url: str) -> str:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind in _EXTENSIONS:
        return _EXTENSIONS[kind]
    from urllib.parse import urlparse

    path = urlparse(url).path.lower()
    for suffix in (".html", ".htm", ".pdf", ".txt"):
        if path.endswith(suffix):
            return ".html" if suffix == ".htm" else suffix
    return ".html" if kind.startswith("text/html") else ".bin"


def download(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES
) -> tuple[bytes, str]:
    """The body of ``url`` and the extension to store it with. Raises :class:`OSError`
    (``urllib.error.URLError`` and friends, ``TimeoutError``) or :class:`ValueError`
    (too large, not http(s)) with a message to show."""
    if not is_web_address(url):
        raise ValueError("not an http(s) address")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _opener(deadline, timeout).open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            declared = int(length) if length is not None and length.strip().isdigit() else None
            if declared is not None and declared > max_bytes:
                raise ValueError(f"the body is {declared:,} bytes, over the limit of {max_bytes:,}")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"took longer than {timeout:g} s")
                # read1: what has arrived (up to the size asked), so that a server sending
                # a byte at a time cannot hold the download past the deadline
                chunk = response.read1(min(65536, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f"the body is over the limit of {max_bytes:,} bytes")
            if declared is not None and not response.chunked and size < declared:
                # the connection closed early: never keep a partial copy
                raise ValueError(
                    f"the connection closed after {size:,} of the {declared:,} bytes "
                    "announced (a partial body)"
                )
            return b"".join(chunks), _extension(response.headers.get("Content-Type"), response.url)
    except http.client.HTTPException as exc:
        raise ValueError(f"the server's reply is not valid HTTP ({type(exc).__name__})") from None


def _reason(exc: BaseException) -> str:
    """Why a download failed, on one line."""
    return " ".join(_why(exc).split())


def _why(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        status = str(exc.reason)
        # urllib's own text for a loop or a chain past max_redirections ends in the last
        # response's reason, after line breaks: said here in one sentence instead
        loop = urllib.request.HTTPRedirectHandler.inf_msg
        if status.startswith(loop):
            return (
                f"too many redirects (a loop, or more than {MAX_REDIRECTS}); "
                f"the last was HTTP {exc.code} {status.removeprefix(loop)}"
            )
        return f"HTTP {exc.code} {status}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError | OSError) and "timed out" in str(reason):
            return "timed out"
        return str(reason)
    if isinstance(exc, TimeoutError):
        detail = str(exc)
        return "timed out" if detail in ("", "timed out") else f"timed out ({detail})"
    return str(exc) or type(exc).__name__


def _inside(path: Path, tree: Path) -> bool:
    try:
        path.resolve().relative_to(tree.resolve())
    except ValueError:
        return False
    return True


def archive(
    rubric: str | os.PathLike[str],
    to: str | os.PathLike[str],
    *,
    today: date | Callable[[], date] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
    fetch: Callable[[str], tuple[bytes, str]] | None = None,
    write: bool = True,
) -> ArchiveResult:
    """Fetch every source ``url`` of ``rubric``'s evidence not yet archived into ``to``
    and record ``archive``, ``archived_on`` and ``sha256`` in the rubric (see the
    module's doc). ``today`` is the date written as ``archived_on`` (default: the
    system clock's); ``fetch`` replaces :func:`download` (``url → (bytes, extension)``).
    Raises :class:`ArchiveError` when the run cannot start and
    :class:`~promisescore.RubricError` when the rubric is invalid."""
    from ..loading import load
    from ..locking import locked
    from ..safe_write import write_atomic

    loaded = load(rubric)
    if loaded.format in ("1", "1.1"):
        raise ArchiveError(
            f"{rubric}: archive, archived_on and sha256 are format 1.2 keys, but the rubric "
            f'declares format = {loaded.format!r}; declare format = "1.2" first'
        )
    origin = loaded.origin
    root_file = origin.files[origin.root].path
    if root_file is None:
        raise ArchiveError(f"{rubric}: not a file on disk")
    tree = root_file.parent
    folder = Path(to)
    if folder.exists() and not folder.is_dir():
        raise ArchiveError(f"--to {folder}: not a directory")
    outside = not _inside(folder, tree)
    when = today() if callable(today) else (today or date.today())
    get = fetch or (lambda url: download(url, timeout=timeout, max_bytes=max_bytes))

    wanted: dict[str, list[int]] = {}
    downloads: list[Download] = []
    skipped: dict[str, list[str]] = {}
    for index, item in enumerate(loaded.evidence):
        source = item.source
        if source.url is None:
            continue
        if source.archive is not None:
            skipped.setdefault(source.url, []).append(item.id)
        else:
            wanted.setdefault(source.url, []).append(index)
    for url, names in skipped.items():  # also when another source of the url is not
        downloads.append(Download(url, "skipped", tuple(names), "already archived"))

    stored: dict[str, tuple[str, str]] = {}  # url → (file path, sha256)
    for url, indices in wanted.items():
        ids = tuple(loaded.evidence[i].id for i in indices)
        if not is_web_address(url):
            downloads.append(Download(url, "failed", ids, "not an http(s) address"))
            continue
        try:
            body, extension = get(url)
        except (OSError, ValueError) as exc:
            downloads.append(Download(url, "failed", ids, _reason(exc)))
            continue
        digest = hashlib.sha256(body).hexdigest()
        target = folder / f"{digest}{extension}"
        if write:
            folder.mkdir(parents=True, exist_ok=True)
            if not (target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == digest):
                write_atomic(target, body)  # a temporary file, then a rename
        stored[url] = (str(target), digest)
        downloads.append(Download(url, "fetched", ids, str(target), digest))

    # The rubric is edited holding the edit lock that `add` and `fmt` take (the
    # downloads, which may take minutes, are not): it is read again under the lock, so
    # an `add` made meanwhile is kept, and its sources with a url just fetched are
    # recorded too.
    with locked([f.path for f in origin.files.values()]):
        new_texts = _record(rubric, stored, when, outside, write=write)
    order = {"fetched": 0, "failed": 1, "skipped": 2}
    downloads.sort(key=lambda d: (order[d.outcome], d.url))
    return ArchiveResult(
        rubric=str(rubric),
        downloads=tuple(downloads),
        edited=tuple(str(p) for p in new_texts) if write else (),
        folder=str(folder),
        outside=outside,
    )


def _record(
    rubric: str | os.PathLike[str],
    stored: Mapping[str, tuple[str, str]],
    when: date,
    outside: bool,
    *,
    write: bool = True,
) -> dict[Path, str]:
    """Write ``archive``, ``archived_on`` and ``sha256`` into every source of the rubric
    (read now) whose ``url`` was fetched (``stored``: url → file path, sha256) and that
    has no ``archive`` yet; the new texts of the files edited (written when ``write``)."""
    from ..edit import EditError, set_json_keys
    from ..loading import assemble, load
    from ..loading.files import read_tree
    from ..safe_write import write_all_atomic

    loaded = load(rubric)
    origin = loaded.origin
    edits: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for index, item in enumerate(loaded.evidence):
        source = item.source
        if source.url is None or source.archive is not None or source.url not in stored:
            continue
        path, digest = stored[source.url]
        holder, position = _where(loaded, index)
        holder_path = origin.files[holder].path
        if outside or holder_path is None:
            value = Path(path).name
        else:
            value = Path(
                os.path.relpath(Path(path).resolve(), holder_path.parent.resolve())
            ).as_posix()
        edits.setdefault(holder, []).append(
            (position, {"archive": value, "archived_on": when, "sha256": digest})
        )
    new_texts: dict[Path, str] = {}
    for holder, changes in edits.items():
        path = origin.files[holder].path
        assert path is not None
        text = path.read_bytes().decode("utf-8")
        if origin.files[holder].syntax == "json":  # as `add` edits a JSON rubric
            where = [(("evidence", position, "source"), keys) for position, keys in changes]
            try:
                new_texts[path] = set_json_keys(text, where)
            except EditError as exc:
                raise ArchiveError(f"{holder}: {exc}") from None
        else:
            new_texts[path] = _edit_toml(text, changes, holder)
    if new_texts:
        files, problems = read_tree(
            Path(rubric), str, overrides={p.resolve(): t for p, t in new_texts.items()}
        )
        checked, problems = assemble(files, problems)
        if checked is None:
            raise RubricError(problems)
        if write:
            write_all_atomic({p: t.encode("utf-8") for p, t in new_texts.items()})
    return new_texts


def _where(rubric: Rubric, index: int) -> tuple[str, int]:
    """The file holding evidence ``index`` and its position in that file's array."""
    name, path = rubric.origin.objects["evidence"][index]
    position = path[1]
    assert isinstance(position, int)
    return name, position


def _edit_toml(text: str, changes: list[tuple[int, Mapping[str, Any]]], name: str) -> str:
    """``text`` with ``changes`` (position in ``[[evidence]]`` → keys to set on its source
    table) made, every other byte kept: an inline ``source = { ... }`` gains the keys
    before its closing brace; a ``[evidence.source]`` table through tomlkit. Checked by
    parsing: the result must be the old data plus exactly these keys."""
    import tomlkit

    from ..loading.locate import line_index

    crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
    work = text.replace("\r\n", "\n") if crlf else text
    expected = tomllib.loads(work)
    for position, keys in changes:
        expected["evidence"][position]["source"].update(keys)
    index = line_index(work, "toml")
    lines = work.split("\n")
    rest: list[tuple[int, Mapping[str, Any]]] = []
    located = [
        (index.get(("evidence", position, "source")), position, keys) for position, keys in changes
    ]
    for line, position, keys in sorted(located, key=lambda c: -(c[0] or 0)):
        edited = _inline_insert(lines[line - 1], keys) if line is not None else None
        if line is None or edited is None:
            rest.append((position, keys))
        else:
            lines[line - 1] = edited
    work = "\n".join(lines)
    if rest:
        doc = tomlkit.parse(work)
        for position, keys in rest:
            table: Any = doc["evidence"][position]["source"]
            for key, value in keys.items():
                table[key] = value
        work = tomlkit.dumps(doc)
    if tomllib.loads(work) != expected:
        raise ArchiveError(f"{name}: cannot add the archive keys without changing other bytes")
    return work.replace("\n", "\r\n") if crlf else work


_INLINE_SOURCE = re.compile(r"^[ \t]*(?:source|\"source\"|'source')[ \t]*=[ \t]*\{")


def _inline_insert(line: str, keys: Mapping[str, Any]) -> str | None:
    """``line`` (``source = { ... }``) with ``keys`` added before the closing brace, or
    ``None`` when the line is not a single inline source table."""
    from ..serialize import table_lines

    match = _INLINE_SOURCE.match(line)
    if match is None:
        return None
    depth, at, quote = 0, match.end() - 1, ""
    close = None
    while at < len(line):
        char = line[at]
        if quote:
            if quote == '"' and char == "\\":
                at += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                close = at
                break
        at += 1
    if close is None:
        return None
    body_end = len(line[:close].rstrip(" \t"))
    empty = line[match.end() : close].strip() == ""
    added = ", ".join(table_lines(dict(keys)))
    glue = " " if empty else ", "
    return line[:body_end] + glue + added + line[body_end:]


__all__ = ["ArchiveError", "ArchiveResult", "Download", "archive"]
