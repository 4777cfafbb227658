"""The HTML report: self-contained, escaped, accessible, and its charts' geometry.

The page is parsed with :mod:`html.parser` (no browser needed); the browser checks are in
``test_html_browser.py``.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import attrs
import jinja2
import pytest

import promisescore
from promisescore.renderers import RenderOptions
from promisescore.renderers import html as html_renderer
from promisescore.scoring import Scorecard

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "report-card.toml"
XSS = REPO / "tests" / "fixtures" / "xss.toml"
IMMIGRATION = REPO / "rubrics" / "us-immigration-2021.toml"


@attrs.frozen
class Element:
    tag: str
    attrs: dict[str, str | None]


class Page(HTMLParser):
    """Every element with its attributes, and the text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attributes)))
        # The document's title is the first <title>; the charts' <title>s come later.
        self._in_title = tag == "title" and len(self.all("title")) == 1

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attributes)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in_title:
            self.title += data

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


def card_of(path: Path, as_of: str | None = None) -> Scorecard:
    return promisescore.score(promisescore.load(path), as_of)


def page_of(path: Path, options: RenderOptions | None = None, as_of: str | None = None) -> str:
    return promisescore.render(card_of(path, as_of), "html", options)


@pytest.fixture(scope="module")
def fixture_page() -> str:
    """The editors' page (``--detail``): ids, formulas and warnings shown."""
    rubric = promisescore.load(FIXTURE)
    card = promisescore.score(rubric)
    return promisescore.render(
        card,
        "html",
        RenderOptions(warnings=tuple(promisescore.lint(rubric)), detail=True, rubric=rubric),
    )


@pytest.fixture(scope="module")
def xss_page() -> str:
    return page_of(XSS, RenderOptions(detail=True, rubric=promisescore.load(XSS)))


# --------------------------------------------------------------------------- self-contained


def test_page_is_one_self_contained_document(fixture_page: str) -> None:
    page = Page(fixture_page)
    assert fixture_page.startswith("<!DOCTYPE html>\n")
    # Nothing is loaded from anywhere: no src, no stylesheet links, no CSS url().
    assert not [e for e in page.elements if "src" in e.attrs]
    assert not page.all("link")
    assert not page.all("script")
    assert "url(" not in fixture_page.replace("url(#", "")
    assert "@import" not in fixture_page
    # The only links are in-page anchors and evidence sources.
    hrefs = [e.attrs["href"] or "" for e in page.all("a")]
    outside = [h for h in hrefs if not h.startswith("#")]
    assert outside == [
        "https://example.org/council/2021-05-20",
        "https://example.org/housing/dashboard",
    ]


def test_page_carries_a_strict_content_security_policy(fixture_page: str) -> None:
    page = Page(fixture_page)
    metas = page.all("meta")
    assert metas[0].attrs == {"charset": "utf-8"}
    csp = metas[1].attrs
    assert csp["http-equiv"] == "Content-Security-Policy"
    assert csp["content"] == html_renderer.CSP
    assert csp["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def test_page_shows_the_scores(fixture_page: str) -> None:
    page = Page(fixture_page)
    text = " ".join(page.text.split())
    assert page.title == "Mayor Ada Example's first-term promises — report card as of 2022-06-30"
    assert "40.0%" in text
    assert "<dt>Overall score</dt><dd>40.0%, grade F</dd>" in fixture_page
    assert "<dt>Coverage</dt><dd>90% of the weight; 5 of 6 promises rated</dd>" in fixture_page
    assert "Transit & streets" in text
    assert "Made after 2022-06-30 and left out: new-library" in text
    # Warnings from check are listed, with their codes.
    assert "Warnings (4)" in text
    assert "W103" in text


def test_each_promise_has_a_section_with_its_trace(fixture_page: str) -> None:
    page = Page(fixture_page)
    ids = {e.attrs.get("id") for e in page.all("article")}
    assert ids == {
        "promise/bike-lanes",
        "promise/bus-fares",
        "promise/affordable-homes",
        "promise/zoning-reform",
        "promise/tree-canopy",
        "promise/park-hours",
    }
    text = " ".join(page.text.split())
    # Late: the standing level, since when, the cap.
    assert "It has stood at Promise Kept only since 2021-06-01, after the deadline" in text
    assert "so it is scored as Compromise (50.0%)" in text
    # Overdue.
    assert "The deadline passed before 2022-06-30 and the promise has not been fully kept" in text
    # Consensus rule with each assessor's rating and note.
    assert "No plan to extend the pilot." in text
    assert "lower median of 2 rating(s)" in text
    # Criteria arithmetic and the target arithmetic.
    assert "(2×0.5 + 1×0) / 3 = 0.3333" in text or "Arithmetic:" in text
    assert "affordable homes completed: from 0 homes (baseline) to 1000 homes (target)." in text
    assert "Latest observed value: 400 homes on 2022-03-31" in text
    # Evidence with its source.
    assert "Council minutes, 20 May 2021, City Council, 2021-05-20" in text
    assert "“The network now runs 20.4 km.”" in text


def test_cited_evidence_links_to_its_entry(fixture_page: str) -> None:
    page = Page(fixture_page)
    ids = [e.attrs["id"] for e in page.elements if e.attrs.get("id")]
    assert len(ids) == len(set(ids))
    anchors = set(ids)
    internal = [e.attrs["href"] or "" for e in page.all("a") if (e.attrs["href"] or "")[:1] == "#"]
    assert "#promise/bike-lanes/evidence/council-bike-vote" in internal
    for href in internal:
        assert href[1:] in anchors, href


def test_ids_are_unique_even_when_evidence_is_cited_by_two_promises() -> None:
    # Promise "a" is cited evidence attached to "a-title" (so it is in both traces), and
    # the ids "a" and "a-title" would make "promise-a-title" twice with naive ids.
    rubric = promisescore.loads(
        """
        format = 1
        [report]
        title = "Ids"
        start = 2020-01-01
        [scale]
        preset = "politifact"
        [[promises]]
        id = "a"
        title = "A"
        [[promises]]
        id = "a-title"
        title = "A title"
        [[evidence]]
        id = "e"
        promise = "a-title"
        date = 2020-02-01
        summary = "s"
        source = { title = "t", kind = "record" }
        [[assessments]]
        promise = "a"
        date = 2020-02-01
        rating = "kept"
        evidence = ["e"]
        """
    )
    page = Page(promisescore.render(promisescore.score(rubric), "html"))
    ids = [e.attrs["id"] for e in page.elements if e.attrs.get("id")]
    assert len(ids) == len(set(ids))
    assert "promise/a/evidence/e" in ids
    assert "promise/a-title/evidence/e" in ids
    anchors = set(ids)
    for a in page.all("a"):
        href = a.attrs["href"] or ""
        if href.startswith("#"):
            assert href[1:] in anchors


def test_web_sources_are_links_that_leak_nothing(fixture_page: str) -> None:
    page = Page(fixture_page)
    for a in page.all("a"):
        href = a.attrs["href"] or ""
        if href.startswith("http"):
            assert a.attrs["rel"] == "noopener noreferrer"
    # A urn: address is shown, not linked.
    assert "address not linked: urn:isbn:978-0-00-000000-0" in page.text


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ("http://x", True),
        ("javascript:alert(1)", False),
        (" https://example.org/", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,x", False),
        ("//example.org/", False),
        ("ftp://example.org/", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_are_web_urls(url: str | None, linked: bool) -> None:
    assert html_renderer.is_web_url(url) is linked


# --------------------------------------------------------------------------- accessibility


def test_charts_are_labelled_images(fixture_page: str) -> None:
    page = Page(fixture_page)
    svgs = page.all("svg")
    # The meter and one bar per category.
    assert len(svgs) == 1 + 3
    for svg in svgs:
        assert svg.attrs["role"] == "img"
        assert svg.attrs.get("aria-label") or svg.attrs.get("aria-labelledby")
    meter = svgs[0]
    assert meter.attrs["aria-labelledby"] == "meter-title meter-desc"
    text = page.text
    assert "Promise Kept: 1; Compromise: 1; In the Works: 0; Stalled: 1" in text
    labels = [svg.attrs.get("aria-label") for svg in svgs[1:]]
    assert labels == [
        "Transit & streets: 16.7%, grade F",
        "Housing: 37.3%, grade F",
        "Parks: 100.0%, grade A",
    ]


def test_page_has_semantic_structure(fixture_page: str) -> None:
    page = Page(fixture_page)
    assert page.elements[0] == Element("html", {"lang": "en"})
    assert len(page.all("h1")) == 1
    assert len(page.all("main")) == 1
    assert [e for e in page.all("th") if e.attrs.get("scope") == "col"]
    for table in page.all("table"):
        assert table  # every table has a caption (checked below)
    assert len(page.all("caption")) == len(page.all("table"))


def test_palette_has_sufficient_contrast() -> None:
    # Text on every fill the renderer can make (levels of scales of 2 to 8 levels,
    # scores, grades) reaches WCAG AA (4.5:1).
    for step in range(101):
        fill = html_renderer.ramp(step / 100)
        assert html_renderer.contrast(fill, html_renderer.ink(fill)) >= 4.5, fill
    # Body and muted text on white paper.
    assert html_renderer.contrast("#1a1a1a", "#ffffff") >= 7
    assert html_renderer.contrast("#595959", "#ffffff") >= 7
    assert html_renderer.contrast("#1d4f91", "#ffffff") >= 4.5  # links, bars


def test_level_colours_run_from_least_to_most_fulfilled() -> None:
    card = card_of(IMMIGRATION, "2022-01-20")
    colors = html_renderer.level_colors(card)
    assert colors["broken"] == "#b2182b"
    assert colors["kept"] == "#2166ac"
    assert colors["not-yet-rated"] == colors["unrated"]
    assert (
        len({colors[i] for i in ("broken", "stalled", "in-the-works", "compromise", "kept")}) == 5
    )


# --------------------------------------------------------------------------- escaping


PAYLOAD_TEXTS = (
    "</title><script>document.title='pwned'</script> Report {{ 7*7 }}",
    "<img src=x onerror=\"document.title='pwned'\"> & Co.",
    "<script>document.title='pwned'</script>",
    '"><svg onload="document.title=\'pwned\'">',
    "<a href=\"javascript:document.title='pwned'\">click</a>",
    "</blockquote><script>document.title='pwned'</script>",
    "</td></tr></table><script>document.title='pwned'</script>",
    "<iframe src=\"javascript:document.title='pwned'\"></iframe>",
    "<b onmouseover=\"document.title='pwned'\">No</b>",
    "</style><script>document.title='pwned'</script>",
    "<svg/onload=document.title='pwned'>",
    "<u>units</u>",
    "<i>A</i>",
)


TEMPLATE_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "div", "header", "main", "section"),
    *("article", "footer", "h1", "h2", "h3", "h4", "p", "strong", "time", "code", "span"),
    *("figure", "figcaption", "dl", "dt", "dd", "ul", "ol", "li", "a", "blockquote"),
    *("table", "caption", "thead", "tbody", "tr", "th", "td", "details", "summary"),
    *("svg", "title", "desc", "rect", "text", "line", "path", "circle"),
}


def assert_inert(markup: str) -> Page:
    """No element or attribute came from user text; return the parsed page."""
    page = Page(markup)
    tags = {e.tag for e in page.elements}
    assert not tags & {"script", "img", "iframe", "object", "embed", "b", "i", "u", "base"}
    for element in page.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            assert name in {
                "lang",
                "charset",
                "http-equiv",
                "content",
                "name",
                "class",
                "id",
                "href",
                "rel",
                "style",
                "datetime",
                "aria-hidden",
                "data-label",
                "aria-label",
                "aria-labelledby",
                "role",
                "tabindex",
                "scope",
                "rowspan",
                "viewbox",
                "xmlns",
                "preserveaspectratio",
                "x",
                "y",
                "x1",
                "x2",
                "y1",
                "y2",
                "width",
                "height",
                "fill",
                "stroke",
                "stroke-width",
                "stroke-dasharray",
                "text-anchor",
                "vector-effect",
                "d",
                "cx",
                "cy",
                "r",
                "dy",
            }, (element.tag, name, value)
        if element.tag == "a":
            href = element.attrs["href"] or ""
            assert href.startswith(("#", "https://", "http://")), href
    return page


def test_user_text_is_escaped_everywhere(xss_page: str) -> None:
    page = assert_inert(xss_page)
    assert page.title == (
        "</title><script>document.title='pwned'</script> Report {{ 7*7 }}"
        " — report card as of 2022-01-01"
    )
    text = page.text
    for payload in PAYLOAD_TEXTS:
        assert payload in text, payload
    assert len(page.all("svg")) == 3  # the meter and the bars of two categories
    # The javascript:, data: and spaced URLs are shown as text, not linked.
    assert "address not linked: javascript:document.title='pwned'" in text
    assert "address not linked:  JAVASCRIPT:document.title='pwned'" in text
    # The https URL with markup in it is linked, with the markup escaped inside href.
    links = [a.attrs["href"] for a in page.all("a") if (a.attrs["href"] or "").startswith("http")]
    assert links == ["https://example.org/x\"><script>document.title='pwned'</script>"]
    # Attribute values keep their payloads as values.
    labels = [e.attrs.get("aria-label") for e in page.all("svg") if e.attrs.get("aria-label")]
    assert labels[0] is not None
    assert labels[0].startswith('" onmouseover="')


def test_markup_in_user_text_never_reaches_the_page_raw(xss_page: str) -> None:
    assert "<script" not in xss_page
    assert "<img" not in xss_page
    assert "<iframe" not in xss_page
    # Every "<" of user text is escaped: the only tags are the template's own.
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", xss_page))
    assert tags <= TEMPLATE_TAGS, tags - TEMPLATE_TAGS
    assert 'href="javascript' not in xss_page.lower()
    assert 'href="data' not in xss_page.lower()


# --------------------------------------------------------------------------- options


def test_category_filter_and_sort() -> None:
    options = RenderOptions(categories=("transit",), sort="score")
    page = Page(page_of(FIXTURE, options))
    articles = [e.attrs["id"] for e in page.all("article")]
    assert articles == ["promise/bike-lanes", "promise/bus-fares"]
    text = " ".join(page.text.split())
    assert (
        "Showing category transit only; the overall score and the counts cover every category."
        in text
    )
    assert len(page.all("svg")) == 2


def test_percent_scale_has_no_meter() -> None:
    rubric = promisescore.loads(
        """
        format = 1
        [report]
        title = "Percent"
        start = 2020-01-01
        [scale]
        preset = "percent"
        [[promises]]
        id = "a"
        title = "A"
        [[evidence]]
        id = "e"
        promise = "a"
        date = 2020-02-01
        summary = "s"
        source = "c"
        [[assessments]]
        promise = "a"
        date = 2020-02-01
        value = 0.75
        evidence = ["e"]
        """
    )
    markup = promisescore.render(promisescore.score(rubric), "html")
    page = assert_inert(markup)
    assert "percent scale" in page.text
    assert "75.0%" in page.text
    assert len(page.all("svg")) == 1  # the one category's bar


def test_template_ships_inside_the_package() -> None:
    template = resources.files("promisescore.renderers") / "templates" / "report.html.j2"
    assert template.is_file()
    env = html_renderer.environment()
    assert env.autoescape is True
    assert isinstance(env.loader, jinja2.PackageLoader)


# --------------------------------------------------------------------------- history


@attrs.frozen
class FakeOverall:
    score: float | None
    coverage: float | None
    grade: str | None = None


@attrs.frozen
class FakePoint:
    as_of: date
    overall: FakeOverall


@attrs.frozen
class FakeTimeline:
    points: tuple[FakePoint, ...]

    def to_dict(self) -> dict[str, object]:
        return {"points": [{"as_of": p.as_of.isoformat()} for p in self.points]}


TIMELINE = FakeTimeline(
    (
        FakePoint(date(2021, 7, 27), FakeOverall(0.35, 0.7)),
        FakePoint(date(2021, 4, 30), FakeOverall(None, 0.0)),  # out of order on purpose
        FakePoint(date(2022, 1, 20), FakeOverall(0.24, 0.78125)),
        FakePoint(date(2024, 6, 18), FakeOverall(0.3, 1.0)),
    )
)


def test_history_points_are_read_duck_typed_and_sorted() -> None:
    points = html_renderer.history_points(TIMELINE)
    assert [p.as_of for p in points] == [
        date(2021, 4, 30),
        date(2021, 7, 27),
        date(2022, 1, 20),
        date(2024, 6, 18),
    ]
    assert [p.score for p in points] == [None, 0.35, 0.24, 0.3]
    assert html_renderer.history_points(object()) == []


def test_history_chart_geometry() -> None:
    chart = html_renderer.history_chart(TIMELINE)
    assert chart is not None
    # No score on the first date: the score line starts at the second point.
    assert len(chart.score_paths) == 1
    assert chart.score_paths[0].startswith("M")
    assert chart.score_paths[0].count("L") == 2
    assert len(chart.dots) == 3
    # Coverage is known at every date: one line through four points.
    assert chart.coverage_paths[0].count("L") == 3
    # x runs from the left edge (first date) to the right edge (last date).
    first_x = float(chart.coverage_paths[0][1:].split()[0])
    assert first_x == chart.left
    assert chart.dots[-1].x == str(chart.right)
    # y: 100% at the top, 0% at the bottom.
    assert chart.y_ticks[0].pos == str(chart.bottom)
    assert chart.y_ticks[-1].pos == str(chart.top)
    # Date labels: first and last always (aligned inwards); 2021-07-27 is too close to
    # 2021-04-30 to label without overlap.
    assert [(t.label, t.anchor) for t in chart.x_ticks] == [
        ("2021-04-30", "start"),
        ("2022-01-20", "middle"),
        ("2024-06-18", "end"),
    ]
    assert [d.value for d in chart.dots] == ["35%", "24%", "30%"]
    assert "2021-07-27 35.0%" in chart.description


def test_history_chart_of_one_point_and_of_none() -> None:
    one = html_renderer.history_chart(
        FakeTimeline((FakePoint(date(2021, 1, 1), FakeOverall(0.5, 1.0)),))
    )
    assert one is not None
    assert one.score_paths == ()  # a line needs two points; the dot is drawn
    assert len(one.dots) == 1
    assert float(one.dots[0].x) == (one.left + one.right) / 2
    assert html_renderer.history_chart(FakeTimeline(())) is None


def test_history_is_drawn_in_the_page() -> None:
    markup = page_of(FIXTURE, RenderOptions(history=TIMELINE))
    page = assert_inert(markup)
    svgs = page.all("svg")
    history = [s for s in svgs if s.attrs.get("aria-labelledby") == "history-title history-desc"]
    assert len(history) == 1
    text = " ".join(page.text.split())
    assert "Overall score over time" in text
    # The numbers are also in a table under the chart.
    assert (
        '<tr><th scope="row"><time datetime="2022-01-20">2022-01-20</time></th>'
        '<td class="num">24.0%</td><td class="num">78%</td></tr>'
    ) in markup
    # a wide chart and a narrow one for small screens, each with its two lines
    assert len(page.all("path")) == 4
    # dots on both charts, never overlapping (issue 26): r=5, so centres 10+ apart
    circles = [(float(c.attrs["cx"] or 0), float(c.attrs["cy"] or 0)) for c in page.all("circle")]
    assert len(circles) >= 2
    for i, (x1, y1) in enumerate(circles):
        for x2, y2 in circles[i + 1 :]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= 100 or abs(x1 - x2) > 300
    narrow = [
        s
        for s in svgs
        if s.attrs.get("aria-labelledby") == "history-narrow-title history-narrow-desc"
    ]
    assert narrow[0].attrs["viewbox"] == "0 0 360 220"


def test_many_history_points_get_date_labels_that_do_not_overlap() -> None:
    points = tuple(FakePoint(date(2021, 1, 1 + i), FakeOverall(i / 20, 1.0)) for i in range(20))
    chart = html_renderer.history_chart(FakeTimeline(points))
    assert chart is not None
    labels = [t.label for t in chart.x_ticks]
    assert labels[0] == "2021-01-01"
    assert labels[-1] == "2021-01-20"
    assert 4 <= len(labels) <= 9
    # Centres of labels (the first and last are aligned inwards) are far enough apart.
    centres = [float(t.pos) for t in chart.x_ticks]
    centres[0] += 34
    centres[-1] -= 34
    assert all(b - a >= 84 for a, b in itertools.pairwise(centres))
    # Too many points to print each one's value.
    assert all(d.value == "" for d in chart.dots)


def test_coordinates_are_compact_and_deterministic() -> None:
    assert html_renderer._f(12.0) == "12"
    assert html_renderer._f(12.345) == "12.35"
    assert html_renderer._f(-0.001) == "0"
    assert re.fullmatch(r"#[0-9a-f]{6}", html_renderer.ramp(0.37))
