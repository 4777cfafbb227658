"""``promisescore site`` and :func:`promisescore.site.build`: layout, determinism, the
Atom feed, internal links, gold pages, output-directory rules, options, languages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main
from promisescore.renderers.views import group_key, status_of
from promisescore.site import MANIFEST, SiteError, SiteOptions, build, render_site

REPO = Path(__file__).resolve().parents[1]
US = REPO / "rubrics" / "us-immigration-2021.toml"
#: The bundled rubric as it was in format 1.1: the gold pages prove 1.1 output unchanged.
US_11 = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"
WBT = REPO / "rubrics" / "we-belong-together-2015.toml"
HOSTILE = REPO / "tests" / "fixtures" / "hostile-site.toml"
GOLD = REPO / "tests" / "gold_site"
REGEN = os.environ.get("PROMISESCORE_REGEN_GOLD") == "1"
ATOM = "{http://www.w3.org/2005/Atom}"


class Links(HTMLParser):
    """Every href/src, every id, every <time> and every <script> of a page but the
    site's own search script (``<script src="search.js" defer>``, issue #26)."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.times: list[str | None] = []
        self.scripts = 0
        self.handlers: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("href", "src"):
            if values.get(key):
                self.links.append(str(values[key]))
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "time":
            self.times.append(values.get("datetime"))
        if tag == "script" and not str(values.get("src") or "").endswith("search.js"):
            self.scripts += 1
        self.handlers += [k for k in values if k.startswith("on")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    build([US], out)
    return out


def test_layout_of_one_rubric(site: Path) -> None:
    card = promisescore.score(promisescore.load(US))
    expected = {"index.html", "feed.xml", "data.json", "badge.svg", MANIFEST}
    expected |= {f"promises/{p.id}.html" for p in card.promises}
    expected |= {f"categories/{c.id}.html" for c in card.categories}
    # issue 26: status and tag pages, updates, the search index and script, share images
    rubric = promisescore.load(US)
    tags = {t for p in card.promises for t in rubric.promise(p.id).tags}
    expected |= {f"tags/{t}.html" for t in tags}  # the bundled tags are safe names
    expected |= {f"status/{group_key(card, p)}.html" for p in card.promises}
    expected |= {"updates.html", "search.json", "search.js", "og/tracker.png"}
    expected |= {f"og/{p.id}.png" for p in card.promises}
    found = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert found == expected
    same = CliRunner().invoke(main, ["score", str(US), "--format", "json"])
    assert (site / "data.json").read_text() == same.stdout
    assert json.loads(same.stdout)["overall"]["score"] == card.overall.score
    assert (site / "badge.svg").read_text().startswith("<svg")


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build([US, WBT], tmp_path / "a")
    build([US, WBT], tmp_path / "b")
    a = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    b = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert a == b
    assert len(a) > 40


def test_several_rubrics_each_get_a_folder(tmp_path: Path) -> None:
    result = build([US, WBT], tmp_path / "out", SiteOptions(title="Our trackers"))
    assert "index.html" in result.files
    for name in ("us-immigration-2021", "we-belong-together-2015"):
        assert f"{name}/index.html" in result.files
        assert f"{name}/feed.xml" in result.files
    index = (tmp_path / "out" / "index.html").read_text()
    assert "Our trackers" in index
    for rubric in (US, WBT):
        card = promisescore.score(promisescore.load(rubric))
        assert card.title.replace("'", "&#39;") in index
        assert promisescore.i18n.Language("en").pct(card.overall.score) in index


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_internal_link_resolves(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([US, WBT], out)
    checked = 0
    for page in _pages(out):
        parsed = Links(page.read_text())
        for link in parsed.links:
            if link.startswith(("https://", "http://", "data:", "mailto:")):
                continue
            path, _, fragment = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(out)} links to missing {link}"
            assert target.resolve().is_relative_to(out.resolve()), link
            if fragment and target.suffix == ".html":
                assert fragment in Links(target.read_text()).ids, f"{page}: #{fragment} missing"
            checked += 1
    assert checked > 500


def test_dates_are_marked_up_and_pages_have_no_script(site: Path) -> None:
    for page in _pages(site):
        parsed = Links(page.read_text())
        assert parsed.scripts == 0
        assert parsed.handlers == []
        assert parsed.times
        for value in parsed.times:
            assert value is not None
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)


def test_promise_page_shows_words_history_and_evidence(site: Path) -> None:
    rubric = promisescore.load(US)
    page = (site / "promises" / "restore-asylum-access.html").read_text()
    promise = rubric.promise("restore-asylum-access")
    assert promise.title in page
    dated = [a for a in rubric.assessments if a.promise == promise.id]
    for a in dated:
        assert f'<time datetime="{a.date.isoformat()}">' in page
        if a.note:
            assert a.note.replace("'", "&#39;") in page
    for e in rubric.evidence:
        if e.promise == promise.id:
            assert f'id="evidence-{e.id}"' in page
    # reader-first: no formula, no evidence ids as text
    assert "clamp(" not in page
    assert "<code>" not in page


def _changes(rubric: promisescore.Rubric) -> list[tuple[str, str]]:
    """Status changes, recomputed with full scorecards: (date, promise id)."""
    card = promisescore.score(rubric)
    out = []
    for promise in rubric.promises:
        days = sorted(
            {a.date for a in rubric.assessments if a.promise == promise.id and a.date <= card.as_of}
        )
        before: tuple[str | None, bool] = (None, False)
        for day in days:
            item = promisescore.score(rubric, day).promise(promise.id)
            now = (status_of(item), item.rated)
            if now != before:
                out.append((day.isoformat(), promise.id))
            before = now
    return out


@pytest.mark.parametrize("rubric_path", [US, WBT])
def test_feed_is_atom_one_entry_per_status_change_newest_first(
    tmp_path: Path, rubric_path: Path
) -> None:
    build([rubric_path], tmp_path / "s", SiteOptions(base_url="https://example.org/t"))
    root = ET.parse(tmp_path / "s" / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for key in ("title", "id", "updated"):
        assert root.find(f"{ATOM}{key}") is not None
    entries = root.findall(f"{ATOM}entry")
    stamps = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    rubric = promisescore.load(rubric_path)
    got = sorted(
        (
            (e.findtext(f"{ATOM}updated") or "")[:10],
            (e.find(f"{ATOM}link").get("href") or "").rsplit("/", 1)[-1].removesuffix(".html"),  # type: ignore[union-attr]
        )
        for e in entries
    )
    assert got == sorted(_changes(rubric))
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        assert href is not None
        assert href.startswith("https://example.org/t/promises/")


def test_base_url_makes_sharing_tags_absolute(tmp_path: Path) -> None:
    build([US], tmp_path / "s", SiteOptions(base_url="https://example.org/t/"))
    index = (tmp_path / "s" / "index.html").read_text()
    assert '<meta property="og:url" content="https://example.org/t/index.html">' in index
    assert '<link rel="canonical" href="https://example.org/t/index.html">' in index
    assert '<meta name="twitter:card" content="summary_large_image">' in index
    assert '<meta property="og:image" content="https://example.org/t/og/tracker.png">' in index
    assert "@media print" in index
    plain = render_site([US])["index.html"]
    assert "og:url" not in plain
    assert 'property="og:title"' in plain


def test_gold_index_and_promise_page(tmp_path: Path) -> None:
    files = render_site(
        [US_11], SiteOptions(as_of="2022-01-20", base_url="https://example.org/us/")
    )
    for name, rel in (
        ("index.html", "index.html"),
        ("promise.html", "promises/restore-asylum-access.html"),
    ):
        gold = GOLD / name
        if REGEN:
            gold.write_text(str(files[rel]), encoding="utf-8")
        assert files[rel] == gold.read_text(encoding="utf-8"), (
            f"{rel} differs from tests/gold_site/{name}; PROMISESCORE_REGEN_GOLD=1 regenerates it"
        )


# --------------------------------------------------------------------------- output folder


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SiteError, match="not made by"):
        build([US], tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "index.html").exists()


def test_rebuild_keeps_user_files_and_removes_only_its_own_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build([US], out)
    (out / "CNAME").write_text("promises.example.org\n")
    (out / "promises" / "mine.html").write_text("mine")
    # a stale file from the last build: pretend it wrote one more page
    (out / "promises" / "gone.html").write_text("old")
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text() + "promises/gone.html\n")
    result = build([US], out)
    assert result.removed == ("promises/gone.html",)
    assert (out / "CNAME").read_text() == "promises.example.org\n"
    assert (out / "promises" / "mine.html").read_text() == "mine"
    assert not (out / "promises" / "gone.html").exists()


def test_never_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build([WBT], out)
    (out / "promises" / "end-mpp.html").write_text("hand-written")
    with pytest.raises(SiteError, match="did not write it"):
        build([US], out)
    assert (out / "promises" / "end-mpp.html").read_text() == "hand-written"


def test_refuses_to_write_where_an_input_lives(tmp_path: Path) -> None:
    rubric = tmp_path / "r.toml"
    rubric.write_text(WBT.read_text())
    with pytest.raises(SiteError, match="input file"):
        build([rubric], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


# --------------------------------------------------------------------------- options


def test_language_french(tmp_path: Path) -> None:
    files = render_site([WBT], SiteOptions(lang="fr"))
    index = files["index.html"]
    assert '<html lang="fr">' in index
    assert "février 2015" in index
    assert "Promesses" in index
    assert "Au point mort" in index  # the preset's "Stalled"
    feed = ET.fromstring(files["feed.xml"])
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_french_charts_speak_french() -> None:
    # The overview's charts (history, category bars, meter) come from the report card's
    # helpers; their descriptions and labels follow the site's language too.
    index = render_site([US], SiteOptions(lang="fr"))["index.html"]
    assert 'text-anchor="end">50\u202f%</text>' in index  # the history chart's axis
    assert 'text-anchor="end">50%</text>' not in index
    english = render_site([US])["index.html"]
    assert 'text-anchor="end">50%</text>' in english


def test_report_lang_is_the_default_language(tmp_path: Path) -> None:
    text = WBT.read_text().replace("[report]\n", '[report]\nlang = "fr"\n', 1)
    rubric = promisescore.loads(text)
    assert '<html lang="fr">' in render_site([rubric])["index.html"]
    assert '<html lang="en">' in render_site([rubric], SiteOptions(lang="en"))["index.html"]


def test_report_keys_appear_on_the_card() -> None:
    text = WBT.read_text().replace(
        "[report]\n",
        '[report]\npublisher = "The Ledger"\nbyline = "By the desk"\nupdated = 2015-03-01\n'
        'methodology_url = "https://example.org/how"\nnote = "Two editors reviewed every rating."\n',
        1,
    )
    files = render_site([promisescore.loads(text)])
    index = files["index.html"]
    for words in (
        "The Ledger",
        "By the desk",
        "Two editors reviewed every rating.",
        "https://example.org/how",
        '<time datetime="2015-03-01">',
    ):
        assert words in index
    feed = ET.fromstring(files["feed.xml"])
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "The Ledger"


def test_brand_logo_and_accent(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    index = render_site([WBT], SiteOptions(logo=logo, accent="#7B1E1E"))["index.html"]
    assert '<img src="data:image/svg+xml;base64,' in index
    assert "--accent: #7b1e1e;" in index
    with pytest.raises(SiteError, match="contrast"):
        render_site([WBT], SiteOptions(accent="#ffff00"))
    with pytest.raises(SiteError, match="#rrggbb"):
        render_site([WBT], SiteOptions(accent="red"))
    with pytest.raises(SiteError, match="not an image"):
        render_site([WBT], SiteOptions(logo=tmp_path))
    with pytest.raises(SiteError, match="http"):
        render_site([WBT], SiteOptions(base_url="javascript:alert(1)"))


def test_template_override_extends_the_built_in_layout(tmp_path: Path) -> None:
    (tmp_path / "base.html.j2").write_text(
        '{% extends "promisescore/base.html.j2" %}\n'
        "{% block styles %}.page { max-width: 50rem; }{% endblock %}\n"
        '{% block footer %}<footer class="site"><p>Our own footer</p></footer>{% endblock %}\n'
    )
    files = render_site([WBT], SiteOptions(templates=tmp_path))
    for rel in ("index.html", "promises/end-family-detention.html"):
        assert "Our own footer" in files[rel]
        assert ".page { max-width: 50rem; }" in files[rel]


def test_hostile_text_is_escaped_everywhere() -> None:
    files = render_site([HOSTILE])
    for rel, text in files.items():
        if rel.endswith(".html"):
            assert isinstance(text, str)
            parsed = Links(text)
            assert parsed.scripts == 0, rel
            assert parsed.handlers == [], rel
            assert not any(
                link.lower().lstrip().startswith(("javascript:", "data:text"))
                for link in parsed.links
            ), rel
    ET.fromstring(files["feed.xml"])  # still well-formed XML


# --------------------------------------------------------------------------- CLI


def test_cli_builds_and_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["site", str(WBT), "-o", str(tmp_path / "s"), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr
    assert (tmp_path / "s" / "index.html").is_file()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--accent", "#ffffff"], "contrast"),
        (["--base-url", "ftp://x"], "http(s)"),
        (["--templates", "/nonexistent/templates"], "templates"),
    ],
)
def test_cli_usage_errors(tmp_path: Path, args: list[str], words: str) -> None:
    result = CliRunner().invoke(main, ["site", str(WBT), "-o", str(tmp_path / "s"), *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_cli_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    result = CliRunner().invoke(main, ["site", str(WBT), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "not made by `promisescore site`" in result.stderr


def test_cli_subprocess(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "promisescore",
            "site",
            str(US),
            str(WBT),
            "-o",
            str(tmp_path / "s"),
            "--base-url",
            "https://example.org/",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert done.returncode == 0, done.stderr
    assert (
        tmp_path / "s" / "us-immigration-2021" / "promises" / "restore-asylum-access.html"
    ).is_file()


def test_one_rubric_alone_and_options_as_a_mapping(tmp_path: Path) -> None:
    files = render_site(WBT, {"lang": "fr", "base_url": "https://example.org/"})
    assert '<html lang="fr">' in files["index.html"]
    assert build(str(WBT), tmp_path / "s").files == tuple(sorted(render_site([WBT])))
    with pytest.raises(SiteError, match="unknown site option"):
        render_site(WBT, {"colour": "red"})


def test_control_characters_keep_the_feed_well_formed() -> None:
    text = WBT.read_text().replace(
        '[report]\ntitle = "', '[report]\ntitle = "\\u0001\\u001f bell\\u0007 ', 1
    )
    rubric = promisescore.loads(text)
    assert "\x07" in rubric.report.title
    root = ET.fromstring(render_site([rubric])["feed.xml"])
    assert "bell" in (root.findtext(f"{ATOM}title") or "")


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{% block content %}{{ nope( }}{% endblock %}", "index.html.j2:1"),
        (
            '{% extends "promisescore/base.html.j2" %}{% block content %}{{ missing.value }}{% endblock %}',
            "a template failed",
        ),
    ],
)
def test_a_broken_override_template_is_a_clear_error(
    tmp_path: Path, template: str, words: str
) -> None:
    (tmp_path / "index.html.j2").write_text(template)
    with pytest.raises(SiteError, match=re.escape(words)):
        render_site([WBT], SiteOptions(templates=tmp_path))
    result = CliRunner().invoke(
        main, ["site", str(WBT), "-o", str(tmp_path / "out"), "--templates", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
