"""The site's reader features of issue #26, without a browser: filter pages by status,
category and tag, tags on cards and promise pages, the search index, updates with the
§8.7 headline/author/url and a feed that lists the same, share links with the canonical
URL, PNG share cards, and the chart's calendar axis."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import Image

import promisescore
from promisescore.i18n import Language
from promisescore.renderers.chart import history_chart
from promisescore.renderers.views import group_key
from promisescore.site import SiteOptions, render_site
from promisescore.site.images import SIZE, layout, text_box
from promisescore.site.readers import slug

REPO = Path(__file__).resolve().parents[1]
US = REPO / "rubrics" / "us-immigration-2021.toml"
BASE = "https://example.org/us/"
ATOM = "{http://www.w3.org/2005/Atom}"

NEWSROOM = """
format = "1.2"

[report]
title = "Mayor Example's promises"
start = 2020-01-01
as_of = 2021-06-30

[scale]
preset = "politifact"

[[categories]]
id = "parks"
title = "Parks"

[[promises]]
id = "trees"
title = "Plant 10,000 trees"
category = "parks"
tags = ["trees", "Green city"]

[[promises]]
id = "pools"
title = "Open two pools"
category = "parks"
tags = ["Green city"]

[[evidence]]
id = "e1"
promise = "trees"
date = 2020-05-01
summary = "The city planted 2,000 trees."
source = { title = "City record", kind = "record" }

[[evidence]]
id = "e2"
promise = "pools"
date = 2020-06-01
summary = "No pool opened."
source = { title = "City record", kind = "record" }

[[assessments]]
promise = "trees"
by = "desk"
date = 2020-05-02
rating = "in-the-works"
evidence = ["e1"]
author = "Ada Reporter"
headline = "The city is planting, slowly"
url = "https://news.example/2020/trees"

[[assessments]]
promise = "pools"
by = "desk"
date = 2021-01-10
rating = "stalled"
evidence = ["e2"]
"""


@pytest.fixture(scope="module")
def us() -> dict[str, str | bytes]:
    return render_site([US], SiteOptions(base_url=BASE))


def _text(files: dict[str, str | bytes], rel: str) -> str:
    text = files[rel]
    assert isinstance(text, str)
    return text


def _cards(markup: str) -> list[str]:
    return re.findall(r'<li [^>]*data-promise="([^"]+)"', markup)


def test_every_status_category_and_tag_has_a_page_with_its_promises(
    us: dict[str, str | bytes],
) -> None:
    rubric = promisescore.load(US)
    card = promisescore.score(rubric)
    for item in card.promises:
        key = group_key(card, item)
        assert item.id in _cards(_text(us, f"status/{slug(key)}.html"))
        if item.umbrella:  # no category (docs/format.md): on no category page
            assert f"categories/{item.category}.html" not in us
        else:
            assert item.id in _cards(_text(us, f"categories/{item.category}.html"))
        for tag in rubric.promise(item.id).tags:
            assert item.id in _cards(_text(us, f"tags/{slug(tag)}.html"))
    # and only those
    for rel in [r for r in us if r.startswith("tags/")]:
        tag = next(
            t
            for p in card.promises
            for t in rubric.promise(p.id).tags
            if rel == f"tags/{slug(t)}.html"
        )
        expected = [p.id for p in card.promises if tag in rubric.promise(p.id).tags]
        assert sorted(_cards(_text(us, rel))) == sorted(expected), rel


def test_cards_and_promise_pages_link_every_filter(us: dict[str, str | bytes]) -> None:
    rubric = promisescore.load(US)
    card = promisescore.score(rubric)
    index = _text(us, "index.html")
    assert sorted(_cards(index)) == sorted(p.id for p in card.promises)
    for item in card.promises:
        page = _text(us, f"promises/{item.id}.html")
        status = f'href="../status/{slug(group_key(card, item))}.html"'
        category = f'href="../categories/{item.category}.html"'
        assert status in page
        assert (category not in page) if item.umbrella else (category in page)
        block = re.search(rf'<li [^>]*data-promise="{item.id}">(.*?)</li>', index, re.S)
        assert block is not None
        assert f'href="status/{slug(group_key(card, item))}.html"' in block.group(1)
        for tag in rubric.promise(item.id).tags:
            assert f'href="../tags/{slug(tag)}.html">#{tag}</a>' in page
            assert f'href="tags/{slug(tag)}.html">#{tag}</a>' in block.group(1)


def test_search_index_has_every_promise_with_its_words(us: dict[str, str | bytes]) -> None:
    rubric = promisescore.load(US)
    data = json.loads(_text(us, "search.json"))
    rows = {row["id"]: row for row in data["promises"]}
    assert set(rows) == {p.id for p in rubric.promises if p.id in rows}
    card = promisescore.score(rubric)
    for item in card.promises:
        row = rows[item.id]
        assert row["t"] == item.title
        assert row["c"] == ("" if item.umbrella else item.category)
        assert row["g"] == list(rubric.promise(item.id).tags)
        assert row["s"] == group_key(card, item)
    index = _text(us, "index.html")
    assert '<input type="search"' in index
    assert '<script src="search.js" defer></script>' in index
    assert "script-src &#39;self&#39;" in index
    assert "unsafe-inline" not in re.search(r"script-src[^;\"]*", index).group(0)  # type: ignore[union-attr]
    # without script the form is hidden and nothing else is
    assert re.search(r'<form id="search"[^>]* hidden', index)
    assert " hidden" not in index.split("<form", 1)[1].split("</form>", 1)[1]


def test_share_links_carry_the_canonical_url(us: dict[str, str | bytes]) -> None:
    from urllib.parse import quote

    for rel in [r for r in us if r.startswith("promises/")]:
        page = _text(us, rel)
        canonical = BASE + rel
        assert f'<link rel="canonical" href="{canonical}">' in page
        encoded = quote(canonical, safe="")
        for network in (
            "mailto:?",
            "https://x.com/intent/post?",
            "https://bsky.app/intent/compose?",
            "https://www.facebook.com/sharer/sharer.php?",
            "https://wa.me/?",
        ):
            link = re.search(rf'href="({re.escape(network)}[^"]*)"', page)
            assert link is not None, (rel, network)
            assert encoded in link.group(1).replace("&amp;", "&"), (rel, network)
        assert f'readonly value="{canonical}"' in page
        image = f"{BASE}og/{rel.removeprefix('promises/').removesuffix('.html')}.png"
        assert f'<meta property="og:image" content="{image}">' in page


def test_updates_show_headline_author_and_link_and_the_feed_matches(tmp_path: Path) -> None:
    source = tmp_path / "newsroom.toml"
    source.write_text(NEWSROOM, encoding="utf-8")
    files = render_site([source], SiteOptions(base_url=BASE))
    updates = _text(files, "updates.html")
    assert "The city is planting, slowly" in updates
    assert "Ada Reporter" in updates
    assert 'href="https://news.example/2020/trees"' in updates
    # newest first: the pools change (2021) before the trees one (2020)
    assert updates.index("Open two pools") < updates.index("The city is planting")
    index = _text(files, "index.html")
    assert "The city is planting, slowly" in index
    assert 'href="updates.html"' in index
    feed = ET.fromstring(_text(files, "feed.xml"))
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[1] == "The city is planting, slowly"
    assert titles[0] is not None
    assert titles[0].startswith("Open two pools")
    assert entries[1].find(f"{ATOM}link[@rel='alternate']").get("href") == (  # type: ignore[union-attr]
        "https://news.example/2020/trees"
    )
    assert entries[1].findtext(f"{ATOM}author/{ATOM}name") == "Ada Reporter"
    # the same changes in the same order as the page
    shown = re.findall(r'<time datetime="([0-9-]+)"', updates.split("<ol", 1)[1].split("</ol>")[0])
    assert shown == [e.findtext(f"{ATOM}updated", "")[:10] for e in entries]
    # tags with spaces and capitals get safe page names
    assert "tags/green-city.html" in files
    assert sorted(_cards(_text(files, "tags/green-city.html"))) == ["pools", "trees"]


def _png(data: str | bytes) -> Image.Image:
    assert isinstance(data, bytes)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(data))


def test_share_cards_are_pngs_of_the_documented_size_and_deterministic(
    us: dict[str, str | bytes],
) -> None:
    again = render_site([US], SiteOptions(base_url=BASE))
    images = [rel for rel in us if rel.startswith("og/")]
    assert "og/tracker.png" in images
    assert len(images) == 1 + sum(1 for r in us if r.startswith("promises/"))
    for rel in images:
        image = _png(us[rel])
        assert image.size == SIZE
        image.verify()
        assert us[rel] == again[rel], rel
    french = render_site([US], SiteOptions(base_url=BASE, lang="fr"))
    assert french["og/tracker.png"] != us["og/tracker.png"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_share_card_text_fits_for_the_longest_title(lang: str) -> None:
    rubric = promisescore.load(US)
    card = promisescore.score(rubric)
    longest = max((p.title for p in card.promises), key=len)
    status = {"en": "Promise Broken", "fr": "Promesse non tenue"}[lang]
    tracker = rubric.report.title
    for title in (longest, longest * 3, "Supercalifragilistic" * 8):
        plan = layout(title, status, "#b2182b", tracker, "#ffffff")
        for text in plan.texts:
            box = text_box(text.text, text.size)
            assert text.x + box[0] >= 0
            assert text.y + box[1] >= 0
            assert text.x + box[2] <= SIZE[0]
            assert text.y + box[3] <= SIZE[1]
        words = " ".join(t.text for t in plan.texts)
        if title == longest:  # the real title is never clipped
            assert " ".join(title.split()) in words
        assert status in words
        pill = plan.pill
        status_text = plan.texts[-1]
        box = text_box(status_text.text, status_text.size)
        assert pill[0] <= status_text.x + box[0]
        assert status_text.x + box[2] <= pill[2]
        assert pill[1] <= status_text.y + box[1]
        assert status_text.y + box[3] <= pill[3]


class _Overall:
    def __init__(self, score: float) -> None:
        self.score, self.coverage = score, 1.0


class _Point:
    def __init__(self, day: date, score: float) -> None:
        self.as_of, self.overall = day, _Overall(score)


class _Timeline:
    def __init__(self, points: list[_Point]) -> None:
        self.points = points


def test_chart_runs_over_the_term_with_calendar_ticks_and_dots_apart() -> None:
    # evidence from 2015 for a 2017-2021 term; many early points on close dates
    points = [_Point(date(2015, 3, 1), 0.1)]
    points += [_Point(date(2017, 2, 1 + i), i / 30) for i in range(25)]
    points += [_Point(date(2020, 6, 1), 0.5)]
    chart = history_chart(
        _Timeline(points), lang=Language("en"), start=date(2017, 1, 20), end=date(2021, 1, 20)
    )
    assert chart is not None
    labels = [t.label for t in chart.x_ticks]
    assert labels == ["2018", "2019", "2020", "2021"]
    assert chart.left <= min(float(t.pos) for t in chart.x_ticks)
    xs = sorted(float(d.x) for d in chart.dots)
    assert xs[0] >= chart.left
    assert all(b - a >= 14 for a, b in pairwise(xs))
    short = history_chart(
        _Timeline(points), lang=Language("fr"), start=date(2017, 1, 20), end=date(2017, 9, 1)
    )
    assert short is not None
    months = [t.label for t in short.x_ticks]
    assert months
    assert all(re.fullmatch(r"[a-zéû]+ 2017", m) for m in months), months
    assert "février 2017" in months or "mars 2017" in months
