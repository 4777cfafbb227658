"""What readers of a tracker use, in a real browser (Playwright on Debian's chromium):
report cards without mid-word breaks from 320 to 1920 px, and the site's search,
filters, updates and share links (issue #26).

Skipped where chromium or Playwright is missing, except in CI (``CI`` set).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import promisescore
from promisescore.renderers import RenderOptions

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI (.ci/run installs it)", pytrace=False)
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

pytestmark = pytest.mark.slow

WIDTHS = (320, 400, 768, 1280, 1920)

#: Every word (3 to 24 letters) of visible text whose characters lie on more than one
#: line: a word broken mid-word. Code, SVG and visually hidden text are left out.
BROKEN_WORDS = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || el.closest('code, svg, script, style')) continue;
    let hidden = false;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      if (a.getBoundingClientRect().width <= 1) { hidden = true; break; }
    }
    if (hidden) continue;
    const re = /[A-Za-zÀ-ÿ]{3,24}/g;
    let m;
    while ((m = re.exec(node.data))) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0)
        .map(x => Math.round(x.top)));
      if (tops.size > 1) bad.push(m[0]);
    }
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("cards")
    out = []
    for source in ("rubrics/us-immigration-2021.toml", "tests/fixtures/report-card.toml"):
        rubric = promisescore.load(REPO / source)
        card = promisescore.score(rubric)
        for lang in ("en", "fr"):
            page = folder / f"{Path(source).stem}.{lang}.html"
            options = RenderOptions(rubric=rubric, lang=lang)
            page.write_text(promisescore.render(card, "html", options), encoding="utf-8")
            out.append(page)
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_report_cards_break_no_word(browser: Browser, cards: list[Path], width: int) -> None:
    for card in cards:
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(card.as_uri())
            assert page.evaluate(BROKEN_WORDS) == [], f"{card.name} at {width} px"
        finally:
            page.close()
