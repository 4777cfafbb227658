"""Issue 29, attack audit: holes found by attacking the hardened site folder, workbook
reader and library checks (each test failed before its fix)."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

import promisescore
import promisescore.site

from .test_hostile import BASE, _book, _invoke, _rubric, _run, _tree

# -- the site folder ---------------------------------------------------------------------

ARCHIVED = """\
format = "1.2"

[report]
title = "Tracker"
start = 2021-01-01

[scale]
preset = "politifact"

[[promises]]
id = "p"
title = "A promise"

[[evidence]]
id = "checked"
promise = "p"
date = 2021-02-01
summary = "What happened."
source = { title = "A page", kind = "report", archive = ARCHIVE, archived_on = 2021-06-03 }
quote = "The council approved the plan."
"""


@pytest.mark.parametrize("sep", ["\n", "\r", "\u2028", "\x85"])
def test_an_archived_copy_named_with_a_line_break_cannot_forge_a_manifest_line(
    sep: str, tmp_path: Path
) -> None:
    """A copy named ``page.x<LF>robots`` was published as ``archives/<sha>.x<LF>robots.txt``:
    the manifest then listed ``robots.txt``, and the next build deleted the user's file."""
    name = f"page.x{sep}robots"
    (tmp_path / "copies").mkdir()
    (tmp_path / "copies" / name).write_text("The council approved the plan.")
    archive = (
        '"copies/page.x' + sep.encode("unicode_escape").decode().replace("\\x", "\\u00") + 'robots"'
    )
    rubric = _rubric(tmp_path, ARCHIVED.replace("ARCHIVE", archive))
    assert promisescore.load(rubric).evidence[0].source.archive == f"copies/{name}"
    out = tmp_path / "site"
    result = _invoke(["site", str(rubric), "-o", str(out), "--with-archives"])
    assert result.exit_code == 0, result.output
    manifest = (out / ".promisescore-site").read_text(encoding="utf-8")
    assert "robots" not in manifest
    assert all(sep not in rel for rel in _tree(out))
    (out / "robots.txt").write_text("the user's")
    for again in (["--with-archives"], []):  # rebuilt as it was, then without the copies
        result = _invoke(["site", str(rubric), "-o", str(out), *again])
        assert result.exit_code == 0, result.output
        assert (out / "robots.txt").read_text() == "the user's"
    assert not (out / "archives").exists()


def test_a_manifest_line_holding_a_unicode_line_separator_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    rubric = _rubric(tmp_path / "in", BASE)
    out = tmp_path / "site"
    assert _invoke(["site", str(rubric), "-o", str(out)]).exit_code == 0
    (out / "keep.txt").write_text("keep")
    manifest = out / ".promisescore-site"
    manifest.write_text(manifest.read_text() + "old\u2028keep.txt\n", encoding="utf-8")
    result = _invoke(["site", str(rubric), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "keep.txt").read_text() == "keep"


def test_the_site_refuses_a_page_name_with_a_line_break() -> None:
    from promisescore.site.folder import SiteError, plan

    with pytest.raises(SiteError, match="line break or control character"):
        plan(Path("/nonexistent/site"), {"archives/x\nrobots.txt": b"", "index.html": ""})


SCALE_WITH_LOOKALIKES = """\
format = 1

[report]
title = "T"
start = 2021-01-20

[scale]
levels = [{ id = "a.b", value = 0 }, { id = "a-b", value = 1 }]

[[promises]]
id = "p1"
title = "one"

[[promises]]
id = "p2"
title = "two"

[[assessments]]
promise = "p1"
date = 2021-03-01
rating = "a.b"

[[assessments]]
promise = "p2"
date = 2021-03-01
rating = "a-b"
"""


def test_two_statuses_never_share_a_page(tmp_path: Path) -> None:
    """Levels ``a.b`` and ``a-b`` were both written to ``status/a-b.html``: one status's
    page silently replaced the other's."""
    files = promisescore.site.render_site(_rubric(tmp_path, SCALE_WITH_LOOKALIKES))
    status = sorted(rel for rel in files if rel.startswith("status/"))
    assert len(status) == 2
    pages = [str(files[rel]) for rel in status]
    assert sum("promises/p1.html" in page for page in pages) == 1
    assert sum("promises/p2.html" in page for page in pages) == 1
    index = str(files["index.html"])
    for rel in status:
        assert f'href="{rel}"' in index


def test_a_promise_named_tracker_keeps_its_share_image(tmp_path: Path) -> None:
    """``og/tracker.png`` is the tracker's share image; a promise ``tracker`` wrote its
    own there first, and the tracker's replaced it."""
    rubric = _rubric(tmp_path, BASE.replace('"p1"', '"tracker"'))
    files = promisescore.site.render_site(rubric)
    images = sorted(rel for rel in files if rel.startswith("og/"))
    assert len(images) == 2
    page = str(files["promises/tracker.html"])
    image = re.search(r'og:image" content="\.\./(og/[^"]+)"', page)
    assert image is not None
    assert image[1] != "og/tracker.png"
    assert image[1] in files
    assert files[image[1]] != files["og/tracker.png"]


def test_the_site_refuses_a_symlink_loop_as_dir_cleanly(tmp_path: Path) -> None:
    rubric = _rubric(tmp_path, BASE)
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    result = _invoke(["site", str(rubric), "-o", str(loop)])
    assert result.exit_code == 2
    assert "symbolic link loop" in result.output


def test_the_site_refuses_an_empty_output_path(tmp_path: Path) -> None:
    rubric = _rubric(tmp_path, BASE)
    result = _invoke(["site", str(rubric), "-o", ""])
    assert result.exit_code == 2
    assert "empty path" in result.output
    with pytest.raises(TypeError, match="out_dir"):
        promisescore.site.build(rubric, None)  # type: ignore[arg-type]
    with pytest.raises(promisescore.site.SiteError, match="empty path"):
        promisescore.site.build(rubric, "")


@pytest.mark.parametrize("kind", ["device", "fifo", "large"])
def test_the_logo_is_read_within_bounds(kind: str, tmp_path: Path) -> None:
    rubric = _rubric(tmp_path, BASE)
    logo = tmp_path / "logo.png"
    if kind == "device":
        logo.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(logo)
    else:
        with open(logo, "wb") as handle:
            handle.truncate(600 * 1024)
    result = _run(["site", str(rubric), "-o", str(tmp_path / "site"), "--logo", str(logo)], 30)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "logo" in result.stderr
    assert "not a regular file" in result.stderr or "512 KiB" in result.stderr
    assert not (tmp_path / "site").exists()


def test_site_options_check_every_type(tmp_path: Path) -> None:
    rubric = _rubric(tmp_path, BASE)
    with pytest.raises(TypeError, match="archive_root"):
        promisescore.site.render_site(rubric, {"with_archives": True, "archive_root": 5})
    with pytest.raises(TypeError, match="with_archives"):
        promisescore.site.render_site(rubric, {"with_archives": "no"})


# -- workbooks ---------------------------------------------------------------------------


def _rename_sheet(book: Path, new: str, extra: str = "") -> None:
    """Move the promises sheet to part ``new`` (the workbook's relations follow), adding
    ``extra`` rows to it."""
    with zipfile.ZipFile(book) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    xml = parts.pop("xl/worksheets/sheet1.xml").decode("utf-8")
    parts[new] = xml.replace("</sheetData>", extra + "</sheetData>").encode("utf-8")
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        parts[name] = parts[name].replace(b"/xl/worksheets/sheet1.xml", b"/" + new.encode())
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as fresh:
        for name, data in parts.items():
            fresh.writestr(name, data)


FAR = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.bin", "xl/worksheets/sheet1"])
def test_a_sheet_part_not_named_xml_is_bounded_too(part: str, tmp_path: Path) -> None:
    """Only parts named ``*.xml`` were counted; openpyxl finds sheets by the workbook's
    relations, whatever their name, so a renamed part went unchecked (MemoryError)."""
    book = _book(tmp_path)
    _rename_sheet(book, part, FAR)
    result = _run(["import", "--from", str(book), "-o", str(tmp_path / "out.toml")])
    assert result.returncode == 2, result.stderr
    assert "XFD1048576" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_renamed_sheet_part_within_bounds_still_imports(tmp_path: Path) -> None:
    book = _book(tmp_path)
    _rename_sheet(book, "xl/worksheets/sheet1.bin")
    result = _run(["import", "--from", str(book), "-o", str(tmp_path / "out.toml")])
    assert result.returncode == 0, result.stderr
    assert promisescore.load(tmp_path / "out.toml").promises[0].id == "p1"


@pytest.mark.parametrize(
    "row",
    [
        '<row r="7"><c r="AAAAA7" t="inlineStr"><is><t>x</t></is></c></row>',
        '<row r="7"><c r="$B$7" t="inlineStr"><is><t>x</t></is></c></row>',
        '<row r="\u00b2"><c t="inlineStr"><is><t>x</t></is></c></row>',
    ],
    ids=["five-letters", "dollar", "superscript-row"],
)
def test_a_malformed_cell_reference_is_a_clear_error(row: str, tmp_path: Path) -> None:
    book = _book(tmp_path)
    _rename_sheet(book, "xl/worksheets/sheet1.xml", row)
    result = _run(["import", "--from", str(book), "-o", str(tmp_path / "out.toml")])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "not an Excel workbook" in result.stderr or "the cell" in result.stderr


def test_a_row_number_past_twelve_digits_is_beyond_the_limit(tmp_path: Path) -> None:
    book = _book(tmp_path)
    row = f'<row r="{"9" * 5000}"><c t="inlineStr"><is><t>x</t></is></c></row>'
    _rename_sheet(book, "xl/worksheets/sheet1.xml", row)
    result = _run(["import", "--from", str(book), "-o", str(tmp_path / "out.toml")])
    assert result.returncode == 2, result.stderr
    assert "beyond row 1,048,576" in result.stderr
    assert "Traceback" not in result.stderr
