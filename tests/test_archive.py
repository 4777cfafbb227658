"""``promisescore archive``: fetching sources into content-addressed files, against a
local HTTP server on 127.0.0.1 only (no other network)."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
import time
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.archives.fetch import ArchiveError, archive
from promisescore.cli import main

PAGE = (
    b"<!doctype html><html><head><script>var s = 'a decoy';</script></head>"
    b"<body><p>The <em>council</em> approved the plan.</p></body></html>"
)
LIMIT = 4096
TODAY = date(2026, 3, 14)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        if self.path == "/page.html":
            self._send(200, PAGE)
        elif self.path == "/notes.txt":
            self._send(200, "Plain words — here.\n".encode(), "text/plain; charset=utf-8")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page.html")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/loop":  # a redirect to itself
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path.startswith("/hop/"):  # a chain longer than MAX_REDIRECTS
            self.send_response(301)
            self.send_header("Location", f"/hop/{int(self.path[5:]) + 1}")
            self.end_headers()
        elif self.path == "/big":
            self._send(200, b"x" * (LIMIT * 4))
        elif self.path == "/big-unsized":  # no Content-Length: the limit applies as it reads
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(8):
                self.wfile.write(b"y" * LIMIT)
        elif self.path == "/drip":  # a byte at a time, each in time, all of it too late
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, b"late")
        elif self.path == "/slow-headers":  # headers a line at a time, each in time
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
            for number in range(120):  # 12 s in all: past the test's bound of 10 s
                self.wfile.write(f"X-Drip-{number}: 1\r\n".encode())
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b"\r\nlate")
            self.close_connection = True
        elif self.path == "/short":  # closes after 10 of the 1,000 bytes it announces
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n")
            self.wfile.write(b"Content-Length: 1000\r\n\r\nonly ten b")
            self.close_connection = True
        elif self.path == "/garbage":  # not HTTP at all
            self.wfile.write(b"HELLO THERE\r\n\r\n")
            self.close_connection = True
        elif self.path == "/bad-chunk":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n")
            self.close_connection = True
        else:
            self._send(404, b"not here")


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.hits  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()


def write_rubric(folder: Path, base: str, paths: list[str], fmt: str = '"1.2"') -> Path:
    """A rubric with one evidence item per path, the first few with inline sources and
    the last with a ``[evidence.source]`` table, and comments to keep."""
    lines = [
        f"format = {fmt}  # the format",
        "",
        "# The report.",
        "[report]",
        'title = "Council tracker"',
        "start = 2021-01-01",
        "",
        "[scale]",
        'preset = "politifact"',
        "",
        "[[promises]]",
        'id = "plan"',
        'title = "Approve the plan"',
    ]
    for index, path in enumerate(paths):
        lines += [
            "",
            "[[evidence]]  # one item",
            f'id = "e{index}"',
            'promise = "plan"',
            "date = 2021-02-01",
            'summary = "It happened."',
            'quote = "The council approved the plan."',
        ]
        if index == len(paths) - 1:
            lines += [
                "",
                "[evidence.source]",
                f'title   = "Source {index}"   # aligned',
                f'url = "{base}{path}"',
            ]
        else:
            lines.append(
                f'source = {{ title = "Source {index}", url = "{base}{path}",  kind = "report" }}'
            )
    target = folder / "tracker.toml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _without_added(new: str, old: str) -> bool:
    """Whether ``new`` is ``old`` with text inserted only (every old byte kept, in order)."""
    at = 0
    for char in old:
        at = new.find(char, at)
        if at < 0:
            return False
        at += 1
    return True


def test_fetch_skip_and_keep_every_other_byte(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, hits = server
    rubric = write_rubric(tmp_path, base, ["/page.html", "/moved", "/notes.txt"])
    old = rubric.read_text(encoding="utf-8")
    result = archive(rubric, tmp_path / "archives", today=TODAY, timeout=2, max_bytes=LIMIT)
    assert result.ok
    assert (result.count("fetched"), result.count("skipped"), result.count("failed")) == (3, 0, 0)
    page = hashlib.sha256(PAGE).hexdigest()
    stored = sorted(p.name for p in (tmp_path / "archives").iterdir())
    notes = hashlib.sha256("Plain words — here.\n".encode()).hexdigest()
    assert stored == sorted([f"{page}.html", f"{notes}.txt"])  # /moved is the same page
    new = rubric.read_text(encoding="utf-8")
    assert _without_added(new, old)
    for line in old.splitlines():
        if "url =" not in line:
            assert line in new.splitlines()  # untouched lines are byte-identical
    data = tomllib.loads(new)
    sources = [e["source"] for e in data["evidence"]]
    assert [s["archive"] for s in sources] == [
        f"archives/{page}.html",
        f"archives/{page}.html",
        f"archives/{notes}.txt",
    ]
    assert {s["archived_on"] for s in sources} == {TODAY}
    assert [s["sha256"] for s in sources] == [page, page, notes]
    assert sources[0]["kind"] == "report"
    # the notes file holds other words: only its quote fails
    assert [(p.code, p.object_id) for p in promisescore.verify(rubric)] == [("E405", "e2")]
    # the second run fetches nothing and changes nothing
    hits.clear()
    again = archive(rubric, tmp_path / "archives", today=date(2030, 1, 1), timeout=2)
    assert hits == []
    assert (again.count("fetched"), again.count("skipped")) == (0, 3)
    assert rubric.read_text(encoding="utf-8") == new


def test_verify_after_archive(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, _ = server
    rubric = write_rubric(tmp_path, base, ["/page.html"])
    archive(rubric, tmp_path / "copies", today=TODAY, timeout=2)
    result = promisescore.archives.verification(rubric)
    assert sorted(result.verified) == ["e0"]
    assert result.verified["e0"].archived_on == TODAY


def test_failures_leave_no_file_and_no_key(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, _ = server
    paths = ["/missing", "/to-file", "/big", "/big-unsized", "/slow", "/drip"]
    paths += ["/slow-headers", "/short", "/garbage", "/bad-chunk", "/page.html"]
    rubric = write_rubric(tmp_path, base, paths)
    started = time.monotonic()
    result = archive(rubric, tmp_path / "archives", today=TODAY, timeout=1, max_bytes=LIMIT)
    assert time.monotonic() - started < 10
    outcome = {d.url.removeprefix(base): (d.outcome, d.detail) for d in result.downloads}
    assert outcome["/missing"] == ("failed", "HTTP 404 Not Found")
    assert outcome["/to-file"][0] == "failed"
    assert "file:" in outcome["/to-file"][1]
    assert outcome["/big"][0] == "failed"
    assert "limit" in outcome["/big"][1]
    assert outcome["/big-unsized"][0] == "failed"
    assert "limit" in outcome["/big-unsized"][1]
    assert outcome["/slow"] == ("failed", "timed out")
    assert outcome["/drip"][0] == "failed"
    assert outcome["/drip"][1].startswith("timed out")
    # the deadline is for the whole download, the headers too
    assert outcome["/slow-headers"][0] == "failed"
    assert outcome["/slow-headers"][1].startswith("timed out")
    # a body cut short is never kept; a reply that is not HTTP is a failure, not a crash
    assert outcome["/short"] == (
        "failed",
        "the connection closed after 10 of the 1,000 bytes announced (a partial body)",
    )
    assert outcome["/garbage"] == ("failed", "the server's reply is not valid HTTP (BadStatusLine)")
    assert outcome["/bad-chunk"][0] == "failed"
    assert outcome["/bad-chunk"][1].startswith("the server's reply is not valid HTTP")
    assert outcome["/page.html"][0] == "fetched"
    assert not result.ok
    files = sorted(p.name for p in (tmp_path / "archives").iterdir())
    assert files == [f"{hashlib.sha256(PAGE).hexdigest()}.html"]  # no partial or temporary file
    data = tomllib.loads(rubric.read_text(encoding="utf-8"))
    archived = [e["id"] for e in data["evidence"] if "archive" in e["source"]]
    assert archived == [f"e{paths.index('/page.html')}"]


def test_a_redirect_loop_is_one_readable_line(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, _ = server
    rubric = write_rubric(tmp_path, base, ["/loop", "/hop/0"])
    result = archive(rubric, tmp_path / "archives", today=TODAY, timeout=2)
    outcome = {d.url.removeprefix(base): (d.outcome, d.detail) for d in result.downloads}
    assert outcome["/loop"] == (
        "failed",
        "too many redirects (a loop, or more than 5); the last was HTTP 302 Found",
    )
    assert outcome["/hop/0"] == (
        "failed",
        "too many redirects (a loop, or more than 5); the last was HTTP 301 Moved Permanently",
    )
    output = (
        CliRunner()
        .invoke(main, ["archive", str(rubric), "--to", str(tmp_path / "a"), "--timeout", "2"])
        .output
    )
    assert "\\n" not in output
    assert f"failed {base}/loop: too many redirects" in output


def test_the_counts_add_up_to_the_sources_considered(tmp_path: Path) -> None:
    rubric = write_rubric(
        tmp_path,
        "https://example.org",
        ["/a", "/a", "/b", "/c", "/c", "/gone"],
    )
    text = rubric.read_text(encoding="utf-8")
    archived = ', archive = "copy.html" }'
    lines = text.splitlines(keepends=True)
    # e0 (/a) and e3 (/c) are archived already; e1 (/a), e2 (/b) and e4 (/c) are not
    for number in (0, 3):
        at = next(i for i, line in enumerate(lines) if f'"Source {number}"' in line)
        lines[at] = lines[at].replace(' kind = "report" }', f' kind = "report"{archived}')
    rubric.write_text("".join(lines), encoding="utf-8")
    fetched: list[str] = []

    def fetch(url: str) -> tuple[bytes, str]:
        fetched.append(url)
        if url.endswith("/gone"):
            raise OSError("gone")
        return url.encode(), ".txt"

    result = archive(rubric, tmp_path / "archives", today=TODAY, fetch=fetch)
    assert sorted(fetched) == [f"https://example.org{p}" for p in ("/a", "/b", "/c", "/gone")]
    counts = tuple(result.count(o) for o in ("fetched", "skipped", "failed"))
    assert counts == (3, 2, 1)  # e1, e2, e4 / e0, e3 / e5
    assert sum(counts) == result.sources == 6
    skipped = sorted(d.evidence for d in result.downloads if d.outcome == "skipped")
    assert skipped == [("e0",), ("e3",)]
    assert result.summary() == "3 fetched, 2 skipped, 1 failed"


JSON_RUBRIC = """\
{
  "format": "1.2",
  "report": {"title": "Council tracker", "start": "2021-01-01"},
  "scale": {"preset": "politifact"},
  "promises": [{"id": "plan", "title": "Approve the plan"}],
  "evidence": [
    {
      "id": "e0",
      "promise": "plan",
      "date": "2021-02-01",
      "summary": "It happened.",
      "quote": "The council approved the plan.",
      "source": {
        "title": "Source 0",
        "url": "BASE/page.html"
      }
    },
    {"id": "e1", "promise": "plan", "date": "2021-02-01", "summary": "Again.", "source": {"title": "Source 1", "url": "BASE/notes.txt"}},
    {
      "id": "e2",
      "promise": "plan",
      "date": "2021-02-01",
      "summary": "Not online.",
      "source": "A leaflet"
    }
  ]
}
"""


def test_a_json_rubric_is_edited_in_place(tmp_path: Path) -> None:
    """The keys go in as `add` adds to a JSON rubric: after the last member, at its
    members' indent (or on the same line), every other byte kept."""
    base = "https://example.org"
    rubric = tmp_path / "tracker.json"
    old = JSON_RUBRIC.replace("BASE", base)
    rubric.write_text(old, encoding="utf-8")
    bodies = {f"{base}/page.html": (PAGE, ".html"), f"{base}/notes.txt": (b"Notes.\n", ".txt")}
    result = archive(rubric, tmp_path / "archives", today=TODAY, fetch=bodies.__getitem__)
    assert result.ok
    assert result.summary() == "2 fetched, 0 skipped, 0 failed"
    assert result.edited == (str(rubric),)
    page, notes = (hashlib.sha256(body).hexdigest() for body in (PAGE, b"Notes.\n"))
    expected = old.replace(
        f'"url": "{base}/page.html"\n',
        f'"url": "{base}/page.html",\n'
        f'        "archive": "archives/{page}.html",\n'
        '        "archived_on": "2026-03-14",\n'
        f'        "sha256": "{page}"\n',
    ).replace(
        f'"url": "{base}/notes.txt"}}',
        f'"url": "{base}/notes.txt", "archive": "archives/{notes}.txt", '
        f'"archived_on": "2026-03-14", "sha256": "{notes}"}}',
    )
    assert rubric.read_text(encoding="utf-8") == expected
    assert [p.code for p in promisescore.verify(rubric)] == []
    loaded = promisescore.load(rubric)
    assert [e.source.archived_on for e in loaded.evidence] == [TODAY, TODAY, None]
    # a second run changes nothing
    again = archive(rubric, tmp_path / "archives", today=date(2030, 1, 1), fetch=bodies.__getitem__)
    assert again.summary() == "0 fetched, 2 skipped, 0 failed"
    assert rubric.read_text(encoding="utf-8") == expected


def test_a_json_rubric_keeps_its_bom_and_crlf(tmp_path: Path) -> None:
    rubric = tmp_path / "tracker.json"
    old = "\ufeff" + JSON_RUBRIC.replace("BASE", "https://example.org").replace("\n", "\r\n")
    rubric.write_bytes(old.encode("utf-8"))
    result = archive(rubric, tmp_path / "a", today=TODAY, fetch=lambda url: (PAGE, ".html"))
    assert result.ok
    new = rubric.read_bytes().decode("utf-8")
    assert new.startswith("\ufeff{\r\n")
    assert new.count("\n") == new.count("\r\n")
    assert _without_added(new, old)
    assert new.count('"archived_on": "2026-03-14"') == 2
    assert json.loads(new.removeprefix("\ufeff"))["evidence"][0]["source"]["sha256"] == (
        hashlib.sha256(PAGE).hexdigest()
    )


def test_a_json_layout_that_cannot_take_the_keys_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: tuple[str, list[str]]
) -> None:
    import promisescore.edit

    def refuse(text: str, changes: object) -> str:
        raise promisescore.edit.EditError("cannot set these keys")

    monkeypatch.setattr(promisescore.edit, "set_json_keys", refuse)
    rubric = tmp_path / "tracker.json"
    rubric.write_text(JSON_RUBRIC.replace("BASE", server[0]), encoding="utf-8")
    before = rubric.read_bytes()
    result = CliRunner().invoke(
        main, ["archive", str(rubric), "--to", str(tmp_path / "a"), "--timeout", "2"]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{rubric}: cannot set these keys" in result.output
    assert rubric.read_bytes() == before


def test_cli_archives_a_json_rubric(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, _ = server
    rubric = tmp_path / "tracker.json"
    rubric.write_text(JSON_RUBRIC.replace("BASE", base), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["archive", str(rubric), "--to", str(tmp_path / "archives"), "--timeout", "2"]
    )
    assert result.exit_code == 0, result.output
    assert f"{rubric}: 2 fetched, 0 skipped, 0 failed." in result.output
    assert "JSON" not in result.output
    assert promisescore.archives.verification(rubric).summary() == (
        "1 quote verified in 2 archived sources"
    )


def test_only_http_and_https(tmp_path: Path) -> None:
    rubric = write_rubric(tmp_path, "", ["file:///etc/passwd"])
    result = archive(rubric, tmp_path / "archives", today=TODAY)
    [download] = result.downloads
    assert (download.outcome, download.detail) == ("failed", "not an http(s) address")
    assert not (tmp_path / "archives").exists()


def test_an_older_format_is_refused(tmp_path: Path) -> None:
    rubric = write_rubric(tmp_path, "http://127.0.0.1:9/", ["x"], fmt='"1.1"')
    before = rubric.read_bytes()
    with pytest.raises(ArchiveError, match=re.escape('format = "1.2"')):
        archive(rubric, tmp_path / "archives", today=TODAY)
    assert rubric.read_bytes() == before


def test_archive_folder_outside_the_tree(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, _ = server
    tree = tmp_path / "tree"
    tree.mkdir()
    rubric = write_rubric(tree, base, ["/page.html"])
    result = archive(rubric, tmp_path / "elsewhere", today=TODAY, timeout=2)
    assert result.outside
    data = tomllib.loads(rubric.read_text(encoding="utf-8"))
    assert data["evidence"][0]["source"]["archive"] == f"{hashlib.sha256(PAGE).hexdigest()}.html"
    assert promisescore.verify(rubric, archive_root=tmp_path / "elsewhere") == []


def test_cli(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, _ = server
    rubric = write_rubric(tmp_path, base, ["/page.html", "/missing"])
    runner = CliRunner()
    result = runner.invoke(
        main, ["archive", str(rubric), "--to", str(tmp_path / "a"), "--timeout", "2"]
    )
    assert result.exit_code == 1  # one download failed
    assert "Traceback" not in result.output
    assert f"{rubric}: 1 fetched, 0 skipped, 1 failed." in result.output
    assert "failed " + base + "/missing: HTTP 404" in result.output
    result = runner.invoke(main, ["verify", str(rubric)])
    assert result.exit_code == 0, result.output
    assert result.output == "1 quote verified in 1 archived source.\n"
    old = write_rubric(tmp_path / "a", base, ["/page.html"], fmt="1")
    result = runner.invoke(main, ["archive", str(old), "--to", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "1.2" in result.output


def test_an_add_made_while_downloading_is_kept(tmp_path: Path) -> None:
    """The downloads run without the edit lock; the rubric is read again under it, so
    an evidence item added meanwhile (here by `add`, from inside the fetch) is kept,
    and its source, at an address just fetched, is recorded too."""
    from promisescore.edit import add

    rubric = write_rubric(tmp_path, "https://example.org", ["/a"])

    def fetch(url: str) -> tuple[bytes, str]:
        add(
            rubric,
            "evidence",
            {
                "id": "meanwhile",
                "promise": "plan",
                "date": date(2021, 3, 1),
                "summary": "Added during the download.",
                "source": {"title": "Same page", "url": url, "kind": "report"},
            },
        )
        return b"The page.\n", ".txt"

    result = archive(rubric, tmp_path / "archives", today=TODAY, fetch=fetch)
    assert result.ok
    loaded = promisescore.load(rubric)
    by_id = {e.id: e for e in loaded.evidence}
    assert "meanwhile" in by_id
    assert by_id["meanwhile"].source.archive is not None
    assert by_id["meanwhile"].source.sha256 == by_id["e0"].source.sha256
