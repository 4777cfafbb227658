"""Issue 29, attack audit: holes found by attacking the hardened site folder, workbook
reader and library checks (each test failed before its fix)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import promisescore
import promisescore.site

from .test_hostile import BASE, _invoke, _rubric, _tree

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
