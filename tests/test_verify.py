"""``promisescore verify``: quotes checked against archived copies (FORMAT.md §8.9)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given

import promisescore
from promisescore.archives import verification
from promisescore.archives.text import CONTEXT, closest, html_text, normalize
from promisescore.cli import main

from .conftest import REPO, RUBRICS
from .strategies_archives import any_text, text_and_quote

SEEDS = REPO.parent / "shared" / "seeds"
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_rubric(
    folder: Path,
    evidence: list[dict[str, str]],
    *,
    fmt: str = '"1.2"',
    name: str = "tracker.toml",
) -> Path:
    """A rubric with one promise and ``evidence`` items: each ``{id, quote, archive,
    sha256?}``; the source is an inline table, the quote on its own line."""
    lines = [
        f"format = {fmt}",
        "",
        "[report]",
        'title = "Tracker"',
        "start = 2021-01-01",
        "",
        "[scale]",
        'preset = "politifact"',
        "",
        "[[promises]]",
        'id = "p"',
        'title = "A promise"',
    ]
    for item in evidence:
        source: dict[str, str] = {
            "title": "A page",
            "kind": "report",
            **{k: item[k] for k in ("archive", "sha256", "archived_on") if k in item},
        }
        inline = ", ".join(
            f"{k} = {v if k == 'archived_on' else _string(v)}" for k, v in source.items()
        )
        lines += [
            "",
            "[[evidence]]",
            f"id = {_string(item['id'])}",
            'promise = "p"',
            "date = 2021-02-01",
            'summary = "What happened."',
            f"source = {{ {inline} }}",
        ]
        if "quote" in item:
            lines.append(f"quote = {_string(item['quote'])}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- normalisation


def test_normalisation_folds_typography_and_whitespace_but_keeps_case() -> None:
    assert normalize("“It’s   done —\n\tfinally”") == '"It\'s done - finally"'
    assert normalize("ﬁne\u00a0print…") == "fine print..."
    assert normalize("Case Kept") != normalize("case kept")


@given(any_text)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(text_and_quote())
def test_a_quote_cut_from_any_archived_text_verifies(case: tuple[str, str]) -> None:
    text, quote = case
    assert normalize(quote) in normalize(text)


@given(case=text_and_quote())
def test_a_quote_cut_from_any_archived_text_verifies_end_to_end(
    case: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    text, quote = case
    if not normalize(quote):
        return
    folder = tmp_path_factory.mktemp("cut")
    (folder / "copy.txt").write_text(text, encoding="utf-8")
    rubric = write_rubric(folder, [{"id": "e", "quote": quote, "archive": "copy.txt"}])
    assert promisescore.verify(rubric) == []


# --------------------------------------------------------------------------- quotes


def test_curly_quotes_and_line_breaks_match(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "The minister said: “We’ll close the\ncamps — all of them — by June.”\n",
        encoding="utf-8",
    )
    rubric = write_rubric(
        tmp_path,
        [
            {
                "id": "e1",
                "quote": '"We\'ll close the camps - all of them - by June."',
                "archive": "a.txt",
            }
        ],
    )
    result = verification(rubric)
    assert result.problems == ()
    assert sorted(result.verified) == ["e1"]
    assert result.summary() == "1 quote verified in 1 archived source"


def test_one_word_changed_fails_with_the_closest_passage(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Preamble.\n\nWe will close the camps by June, the minister said.\nMore text.\n",
        encoding="utf-8",
    )
    rubric = write_rubric(
        tmp_path,
        [{"id": "ev-camps", "quote": "We will shut the camps by June", "archive": "a.txt"}],
    )
    [problem] = promisescore.verify(rubric)
    assert problem.code == "E405"
    assert problem.object_id == "ev-camps"
    assert "ev-camps" in problem.message
    assert problem.file == str(rubric)
    assert problem.line == line_of(rubric, "quote = ")
    assert problem.hint is not None
    assert "We will close the camps by June" in problem.hint
    assert "line 3" in problem.hint  # the archived text's line


def test_the_closest_passage_is_bounded_and_marks_its_cuts(tmp_path: Path) -> None:
    blob = "x" * 5000 + "abcdefghij" + "y" * 5000  # no space: no word boundary to stop at
    at, passage = closest("abcdefgxij", blob)
    assert len(passage) == 10 + 2 * CONTEXT + 2  # the quote's length, the context, two …
    assert re.fullmatch(r"…x{70,90}abcdefghijy{70,90}…", passage)
    assert blob[at:].startswith(passage[1:-1])
    (tmp_path / "blob.txt").write_text(blob, encoding="utf-8")
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "abcdefgxij", "archive": "blob.txt"}])
    [problem] = promisescore.verify(rubric)
    assert problem.hint is not None
    assert len(problem.hint) < 300
    assert re.search(r"\): “…x{70,90}abcdefghijy{70,90}…”$", problem.hint)
    # words: the passage widens to whole words and stops within the bound
    words = " ".join(f"w{i:04d}" for i in range(4000))
    quote = "w1000 w1001 w1002 changed w1004 w1005"
    at, passage = closest(quote, words)
    assert passage == "w1000 w1001 w1002 w1003 w1004 w1005"
    assert words[at:].startswith(passage)


@given(any_text, any_text)
def test_the_closest_passage_is_a_bounded_part_of_the_text(text: str, quote: str) -> None:
    text, quote = normalize(text * 20), normalize(quote)
    at, passage = closest(quote, text)
    shown = passage.removeprefix("…").removesuffix("…")
    assert len(shown) <= len(quote) + 2 * CONTEXT
    assert text[at:].startswith(shown)


def test_the_closest_passage_leaves_out_stray_quote_marks(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "He said: “We will close the camps by June.” Then he left.\n", encoding="utf-8"
    )
    rubric = write_rubric(
        tmp_path, [{"id": "e1", "quote": "We will shut the camps by June.", "archive": "a.txt"}]
    )
    [problem] = promisescore.verify(rubric)
    assert problem.hint is not None
    assert problem.hint.endswith("): “We will close the camps by June.”")
    # quote marks the quote has are kept, and so is an apostrophe ending a word
    assert closest('"Close the camps"', 'He said "close the camps" then')[1] == (
        '"close the camps"'
    )
    assert closest("the parents' right", "for the parents' rights, he said")[1] == (
        "the parents' rights,"
    )


def test_html_quote_spanning_tags_matches_and_a_script_decoy_does_not(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<!doctype html><html><head><title>T</title>"
        "<style>p { content: 'Shown in CSS only' }</style>"
        '<script>var decoy = "the budget was cut by half";</script></head>'
        "<body><p>The <b>budget</b> grew by <a href='#'>a&nbsp;third</a>,</p>"
        "<p>said the report.</p><!-- a comment: the plan failed --></body></html>",
        encoding="utf-8",
    )
    rubric = write_rubric(
        tmp_path,
        [
            {
                "id": "spans",
                "quote": "The budget grew by a third, said the report.",
                "archive": "page.html",
            },
            {"id": "decoy", "quote": "the budget was cut by half", "archive": "page.html"},
            {"id": "css", "quote": "Shown in CSS only", "archive": "page.html"},
            {"id": "comment", "quote": "the plan failed", "archive": "page.html"},
        ],
    )
    result = verification(rubric)
    assert sorted(result.verified) == ["spans"]
    assert sorted(p.object_id or "" for p in result.problems) == ["comment", "css", "decoy"]
    assert {p.code for p in result.problems} == {"E405"}
    assert result.sources == 1


def test_html_blocks_do_not_run_together() -> None:
    assert normalize(html_text("<p>one</p><p>two</p>").text) == "one two"
    assert normalize(html_text("<span>on</span><span>e</span>").text) == "one"


def test_wrong_digest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The words.\n", encoding="utf-8")
    wrong = "0" * 64
    rubric = write_rubric(
        tmp_path, [{"id": "e1", "quote": "The words.", "archive": "a.txt", "sha256": wrong}]
    )
    result = verification(rubric)
    [problem] = result.problems
    assert problem.code == "E404"
    assert digest(tmp_path / "a.txt") in problem.message
    assert problem.line == line_of(rubric, "source = ")
    assert result.verified == {}  # found, but not in the copy the digest names
    right = write_rubric(
        tmp_path,
        [
            {
                "id": "e1",
                "quote": "The words.",
                "archive": "a.txt",
                "sha256": digest(tmp_path / "a.txt"),
            }
        ],
        name="right.toml",
    )
    assert promisescore.verify(right) == []


def test_missing_file(tmp_path: Path) -> None:
    rubric = write_rubric(
        tmp_path,
        [
            {"id": "e1", "quote": "x", "archive": "archives/gone.html"},
            {"id": "e2", "quote": "y", "archive": "archives/gone.html"},
        ],
    )
    problems = promisescore.verify(rubric)  # one problem per evidence item (§8.9)
    assert [(p.code, p.object_id) for p in problems] == [("E401", "e1"), ("E401", "e2")]
    assert [p.line for p in problems] == [
        line_of(rubric, "source = ") + offset for offset in (0, 8)
    ]
    for problem, ident in zip(problems, ("e1", "e2"), strict=True):
        assert problem.message.startswith(f"evidence {ident}: ")
        assert problem.message.endswith("archives/gone.html does not exist")


def test_every_evidence_item_citing_a_bad_copy_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The words.\n", encoding="utf-8")
    wrong = "0" * 64
    rubric = write_rubric(
        tmp_path,
        [
            {"id": "e1", "quote": "The words.", "archive": "a.txt", "sha256": wrong},
            {"id": "e2", "quote": "The words.", "archive": "a.txt", "sha256": wrong},
            {"id": "e3", "quote": "x", "archive": "a.txt"},
            {"id": "e4", "quote": "x", "archive": "a.txt"},
            {"id": "e5", "quote": "x", "archive": "../outside.txt"},
            {"id": "e6", "quote": "x", "archive": "../outside.txt"},
        ],
    )
    reads: list[object] = []
    real = promisescore.archives.quotes.read_archive

    def counting(*args: Any) -> Any:
        reads.append(args[0])
        return real(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(promisescore.archives.quotes, "read_archive", counting)
        result = verification(rubric)
    assert len(reads) == 2  # each archived file is read once
    found = [(p.code, p.object_id) for p in result.problems]
    assert found == [
        ("E404", "e1"),
        ("E404", "e2"),
        ("E405", "e3"),
        ("E405", "e4"),
        ("E403", "e5"),
        ("E403", "e6"),
    ]
    lines = [p.line or 0 for p in result.problems]
    assert 0 not in lines
    assert lines == sorted(set(lines))  # each at its own evidence item's line
    assert not any("more" in p.message for p in result.problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "x", "archive": "pipe.txt"}])
    [problem] = promisescore.verify(rubric)
    assert problem.code == "E402"
    assert "FIFO" in problem.message


def test_a_directory_and_a_device_are_refused(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "x", "archive": "folder"}])
    assert [p.code for p in promisescore.verify(rubric)] == ["E402"]
    if Path("/dev/zero").exists():
        os.symlink("/dev/zero", tmp_path / "zero.txt")
        rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "x", "archive": "zero.txt"}])
        assert [p.code for p in promisescore.verify(rubric)] == ["E403"]  # leaves the tree
        rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "x", "archive": "zero"}])
        result = verification(rubric, archive_root="/dev")
        assert [p.code for p in result.problems] == ["E402"]
        assert "device" in result.problems[0].message


def test_a_symlink_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("the quote\n", encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(outside / "secret.txt", tree / "copy.txt")
    (tree / "inside.txt").write_text("the quote\n", encoding="utf-8")
    os.symlink(tree / "inside.txt", tree / "link-inside.txt")
    rubric = write_rubric(
        tree,
        [
            {"id": "out", "quote": "the quote", "archive": "copy.txt"},
            {"id": "dotdot", "quote": "the quote", "archive": "../outside/secret.txt"},
            {"id": "in", "quote": "the quote", "archive": "link-inside.txt"},
        ],
    )
    result = verification(rubric)
    assert sorted(result.verified) == ["in"]
    codes = {p.object_id: p.code for p in result.problems}
    assert codes == {"out": "E403", "dotdot": "E403"}
    assert any("symbolic link" in p.message for p in result.problems)


def test_archive_root(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "doc.txt").write_text("Words in the seed.\n", encoding="utf-8")
    rubric = write_rubric(
        tmp_path, [{"id": "e1", "quote": "Words in the seed.", "archive": "doc.txt"}]
    )
    assert [p.code for p in promisescore.verify(rubric)] == ["E401"]  # beside the rubric: none
    assert promisescore.verify(rubric, archive_root=seeds) == []
    escape = write_rubric(
        tmp_path, [{"id": "e1", "quote": "x", "archive": "../tracker.toml"}], name="escape.toml"
    )
    assert [p.code for p in promisescore.verify(escape, archive_root=seeds)] == ["E403"]


def test_a_huge_archive_is_bounded(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: 8 GiB on paper, nothing on disk
        handle.truncate(8 * 1024**3)
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "x", "archive": "huge.txt"}])
    [problem] = promisescore.verify(rubric)
    assert problem.code == "E406"
    assert "larger than the limit" in problem.message
    small = tmp_path / "small.txt"
    small.write_text("a" * 2000, encoding="utf-8")
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "aaa", "archive": "small.txt"}])
    assert [p.code for p in promisescore.verify(rubric, max_bytes=1000)] == ["E406"]
    assert promisescore.verify(rubric, max_bytes=2000) == []


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "caf", "archive": "latin.txt"}])
    [problem] = promisescore.verify(rubric)
    assert problem.code == "E406"
    assert "UTF-8" in problem.message


def _page(head: str, body: str) -> str:
    return (
        f"<!doctype html><html><head>{head}<title>T</title></head><body><p>{body}</p></body></html>"
    )


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1252">',
        "<meta charset=iso-8859-1>",  # read as windows-1252, as browsers do
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-1">',
        "<meta http-equiv='content-type' content='text/html;charset=latin1' />",
    ],
)
def test_html_in_windows_1252_is_read_by_its_meta_charset(tmp_path: Path, head: str) -> None:
    body = "Le café “fut fermé”, dit-elle ; the mayor’s office agreed."
    (tmp_path / "page.html").write_bytes(_page(head, body).encode("cp1252"))
    assert b"caf\xe9 \x93fut" in (tmp_path / "page.html").read_bytes()  # not UTF-8
    rubric = write_rubric(
        tmp_path,
        [
            {"id": "e1", "quote": 'Le café "fut fermé", dit-elle', "archive": "page.html"},
            {"id": "e2", "quote": "the mayor's office agreed.", "archive": "page.html"},
        ],
    )
    result = verification(rubric)
    assert result.problems == ()
    assert sorted(result.verified) == ["e1", "e2"]


def test_html_encodings_by_bom_and_the_fallbacks(tmp_path: Path) -> None:
    body = "Le café “fut fermé”."
    quote = 'Le café "fut fermé".'
    pages = {
        # a byte-order mark wins over a meta tag
        "bom16.html": b"\xff\xfe"
        + _page('<meta charset="windows-1252">', body).encode("utf-16-le"),
        "bom8.html": b"\xef\xbb\xbf" + _page("<meta charset=iso-8859-2>", body).encode(),
        # no declaration, or an encoding no page is written in: UTF-8
        "plain.html": _page("", body).encode(),
        "unknown.html": _page('<meta charset="x-nonsense">', body).encode(),
        "rot13.html": _page('<meta charset="rot13">', body).encode(),
        # not UTF-8 and nothing (or nothing known, or too late) says otherwise: E406
        "latin.html": _page("", body).encode("cp1252"),
        "unknown-latin.html": _page('<meta charset="x-nonsense">', body).encode("cp1252"),
        "late.html": _page("<!--" + "-" * 5000 + '--><meta charset="windows-1252">', body).encode(
            "cp1252"
        ),
        "wrong.html": _page('<meta charset="shift_jis">', "\x81 broken").encode("latin-1"),
    }
    for name, data in pages.items():
        (tmp_path / name).write_bytes(data)
    rubric = write_rubric(
        tmp_path, [{"id": name, "quote": quote, "archive": name} for name in pages]
    )
    result = verification(rubric)
    assert sorted(result.verified) == [
        "bom16.html",
        "bom8.html",
        "plain.html",
        "rot13.html",
        "unknown.html",
    ]
    messages = {p.object_id: p.message for p in result.problems}
    assert {p.code for p in result.problems} == {"E406"}
    assert "not valid UTF-8 (byte " in messages["latin.html"]
    assert "no <meta charset> names another encoding" in messages["latin.html"]
    assert "'x-nonsense', an encoding not known here" in messages["unknown-latin.html"]
    assert "no <meta charset>" in messages["late.html"]  # only the first 4 KB are read
    assert "not valid shift_jis" in messages["wrong.html"]
    assert "the encoding its <meta charset> names" in messages["wrong.html"]


# --------------------------------------------------------------------------- PDF


def _pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica (hand-made: offsets computed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_through_the_extra(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    (tmp_path / "doc.pdf").write_bytes(_pdf("The agency processed 12,500 cases."))
    rubric = write_rubric(
        tmp_path,
        [
            {"id": "yes", "quote": "processed 12,500 cases", "archive": "doc.pdf"},
            {"id": "no", "quote": "processed 13,500 cases", "archive": "doc.pdf"},
        ],
    )
    result = verification(rubric)
    assert sorted(result.verified) == ["yes"]
    [problem] = result.problems
    assert problem.code == "E405"
    assert "page 1" in (problem.hint or "")


def test_pdf_without_the_extra_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf raises ImportError
    (tmp_path / "doc.pdf").write_bytes(_pdf("Some words."))
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "Some words.", "archive": "doc.pdf"}])
    [problem] = promisescore.verify(rubric)
    assert problem.code == "E406"
    assert "promisescore[pdf]" in problem.message


# --------------------------------------------------------------------------- the keys


def test_archive_keys_are_format_12_keys(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    rubric = write_rubric(tmp_path, [{"id": "e1", "quote": "x", "archive": "a.txt"}], fmt='"1.1"')
    result = promisescore.check(rubric)
    assert [p.code for p in result.errors] == ["E010"]
    assert '"1.2"' in (result.errors[0].hint or "")


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("sha256", "ABC", "E407"),
        ("sha256", "A" * 64, "E407"),
        ("archive", "file:///etc/passwd", "E408"),
        ("archive", "/etc/passwd", "E408"),
        ("archive", "ftp://example.org/x", "E408"),
    ],
)
def test_bad_archive_values_are_load_errors(
    tmp_path: Path, key: str, value: str, code: str
) -> None:
    item = {"id": "e1", "quote": "x", "archive": "a.txt", key: value}
    rubric = write_rubric(tmp_path, [item])
    result = promisescore.check(rubric)
    assert [p.code for p in result.errors] == [code]
    assert result.errors[0].line == line_of(rubric, "source = ")


def test_an_online_archive_is_not_read(tmp_path: Path) -> None:
    rubric = write_rubric(
        tmp_path,
        [
            {
                "id": "e1",
                "quote": "x",
                "archive": "https://web.archive.org/web/2021/https://example.org/",
            }
        ],
    )
    result = verification(rubric)
    assert result.problems == ()
    assert result.online == 1
    assert result.summary() == (
        "0 quotes verified in 0 archived sources "
        "(1 evidence item cites an online archive, not read)"
    )


def test_online_archives_are_counted_in_good_grammar(tmp_path: Path) -> None:
    online = "https://web.archive.org/web/2021/https://example.org/"
    rubric = write_rubric(
        tmp_path,
        [{"id": "e1", "quote": "x", "archive": online}, {"id": "e2", "archive": online}],
    )
    result = verification(rubric)
    assert result.online == 2
    assert result.summary().endswith("(2 evidence items cite an online archive, not read)")


# --------------------------------------------------------------------------- the command


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha beta gamma.\n", encoding="utf-8")
    good = write_rubric(
        tmp_path, [{"id": "e1", "quote": "beta gamma", "archive": "a.txt"}], name="good.toml"
    )
    bad = write_rubric(
        tmp_path, [{"id": "e1", "quote": "beta delta", "archive": "a.txt"}], name="bad.toml"
    )
    code, out = run("verify", good)
    assert (code, out) == (0, "1 quote verified in 1 archived source.\n")
    code, out = run("verify", bad)
    assert code == 1
    first, summary = out.splitlines()
    assert re.match(rf"{re.escape(str(bad))}:{line_of(bad, 'quote = ')}: E405 evidence e1: ", first)
    assert "closest passage" in first
    assert summary == "0 of 1 quote verified in 1 archived source; 1 error."
    code, out = run("verify", bad, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["errors"] == 1
    assert data["files"][0]["problems"][0]["code"] == "E405"
    assert data["files"][0]["problems"][0]["object_id"] == "e1"
    code, out = run("verify", bad, "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={bad},line={line_of(bad, 'quote = ')},title=E405::")
    code, out = run("verify", good, bad, "--format", "junit")
    assert code == 1
    assert 'tests="2" failures="1"' in out
    code, out = run("verify", tmp_path / "nope.toml")
    assert code == 2
    code, out = run("verify", good, "--archive-root", tmp_path / "nope")
    assert code == 2
    code, out = run("verify", good, "--format", "nope")
    assert code == 2


def test_an_invalid_rubric_is_reported_as_check_does(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('format = "1.2"\n[report]\ntitle = "T"\n', encoding="utf-8")
    code, out = run("verify", path)
    assert code == 1
    assert "E102" in out


def test_precommit_hook_entry() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: promisescore-verify" in text
    assert "entry: promisescore verify" in text


# --------------------------------------------------------------------------- bundled


def _seed_mapping() -> dict[str, tuple[str, str]]:
    """Source title → (``archive``, ``sha256``) of every evidence source of the bundled
    rubrics, read from the files as written."""
    mapping: dict[str, tuple[str, str]] = {}
    for path in sorted(RUBRICS.glob("*.toml")):
        for item in promisescore.load(path).evidence:
            assert item.source is not None
            assert item.source.archive is not None, item.id
            assert item.source.sha256 is not None, item.id
            mapping[item.source.title] = (item.source.archive, item.source.sha256)
    return mapping


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not beside the repository")
def test_every_bundled_source_names_its_seed_and_its_digest() -> None:
    mapping = _seed_mapping()
    # five documents, each one seed: the archive is the seed file named in meta.seed
    assert {name for name, _ in mapping.values()} == {p.name for p in SEEDS.iterdir()}
    for name, sha in mapping.values():
        assert sha == digest(SEEDS / name)
    for path in sorted(RUBRICS.glob("*.toml")):
        for item in promisescore.load(path).evidence:
            assert item.source is not None
            assert item.source.archive == item.meta["seed"], item.id


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not beside the repository")
def test_every_bundled_quote_verifies_against_its_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, copy)
    monkeypatch.chdir(REPO)  # `../shared/seeds`, as the docs and CI write it
    code, out = run(
        "verify",
        copy / "us-immigration-2021.toml",
        copy / "we-belong-together-2015.toml",
        "--archive-root",
        "../shared/seeds",
    )
    assert code == 0, out
    assert out.splitlines() == [
        f"{copy / 'us-immigration-2021.toml'}: 67 quotes verified in 4 archived sources.",
        f"{copy / 'we-belong-together-2015.toml'}: 12 quotes verified in 1 archived source.",
    ]
    # one word changed in one quote: fails with the evidence id and its line
    evidence = copy / "us-immigration-2021" / "evidence-2021-07-27-white-house.toml"
    text = evidence.read_text(encoding="utf-8")
    changed = text.replace(
        "We successfully processed over 12,500", "We successfully processed over 13,500", 1
    )
    assert changed != text
    evidence.write_text(changed, encoding="utf-8")
    code, out = run(
        "verify", copy / "us-immigration-2021.toml", "--archive-root", "../shared/seeds"
    )
    assert code == 1
    [problem] = [line for line in out.splitlines() if " E405 " in line]
    assert problem.startswith(f"{evidence}:{line_of(evidence, '13,500')}: E405 evidence ")
    assert "12,500" in problem  # the closest passage


# --------------------------------------------------------------------------- reports, site


def _reported(tmp_path: Path) -> Path:
    (tmp_path / "copies").mkdir()
    (tmp_path / "copies" / "page.html").write_text(
        "<p>The council <b>approved</b> the plan.</p>", encoding="utf-8"
    )
    return write_rubric(
        tmp_path,
        [
            {
                "id": "checked",
                "quote": "The council approved the plan.",
                "archive": "copies/page.html",
                "archived_on": "2021-06-03",
            },
            {
                "id": "drifted",
                "quote": "The council rejected the plan.",
                "archive": "copies/page.html",
            },
            {
                "id": "online",
                "quote": "Elsewhere.",
                "archive": "https://web.archive.org/web/2021/https://example.org/",
                "archived_on": "2021-07-01",
            },
        ],
    )


def test_the_html_report_marks_verified_quotes(tmp_path: Path) -> None:
    rubric = _reported(tmp_path)
    code, out = run("report", rubric, "--format", "html")
    assert code == 0
    assert out.count("Checked against the archived copy of") == 1
    assert "✓ Checked against the archived copy of 3 June 2021</p>" in out
    assert (
        '<a href="https://web.archive.org/web/2021/https://example.org/" '
        'rel="noopener noreferrer">Archived copy of 1 July 2021</a>'
    ) in out
    card = promisescore.score(promisescore.load(rubric))
    assert promisescore.render(card, "html") == out  # the library renders the same
    code, out = run("report", rubric, "--format", "html", "--archive-root", tmp_path / "copies")
    assert "Checked against" not in out  # paths now resolve elsewhere: nothing verified
    code, out = run("report", rubric, "--archive-root", tmp_path)
    assert code == 2


def test_the_site_marks_and_publishes_verified_copies(tmp_path: Path) -> None:
    rubric = _reported(tmp_path)
    out = tmp_path / "public"
    code, text = run("site", rubric, "-o", out, "--with-archives")
    assert code == 0, text
    name = hashlib.sha256((tmp_path / "copies" / "page.html").read_bytes()).hexdigest()
    published = out / "archives" / f"{name}.html.txt"  # HTML as plain text on the site
    assert published.read_bytes() == (tmp_path / "copies" / "page.html").read_bytes()
    manifest = next(p for p in out.iterdir() if p.name.startswith(".promisescore"))
    assert f"archives/{name}.html.txt" in manifest.read_text(encoding="utf-8")
    page = (out / "promises" / "p.html").read_text(encoding="utf-8")
    assert page.count("Checked against the archived copy of") == 1
    assert f'href="../archives/{name}.html.txt"' in page
    # without --with-archives: marked, not published (and the old copy is removed)
    code, text = run("site", rubric, "-o", out)
    assert code == 0, text
    assert not published.exists()
    page = (out / "promises" / "p.html").read_text(encoding="utf-8")
    assert "Checked against the archived copy of" in page
    assert "../archives/" not in page
