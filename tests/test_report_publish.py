"""The HTML report card for readers: internals only with ``--detail``, ``--fragment``
for embedding, the ``[report]`` keys, assessors side by side and rating histories."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cards import assessor_scorecards
from promisescore.cli import main
from promisescore.renderers import RenderOptions
from promisescore.renderers.html import scope_css, stylesheet

REPO = Path(__file__).resolve().parents[1]
US = REPO / "rubrics" / "us-immigration-2021.toml"
CARD = REPO / "tests" / "fixtures" / "report-card.toml"
HOSTILE = REPO / "tests" / "fixtures" / "hostile-site.toml"


def page(path: Path, **options: object) -> str:
    rubric = promisescore.load(path)
    card = promisescore.score(rubric)
    own = assessor_scorecards(rubric, card)  # "Who says what": the card computes it
    return promisescore.render(
        card,
        "html",
        RenderOptions(rubric=rubric, assessor_cards=own, **options),  # type: ignore[arg-type]
    )


def test_reader_page_hides_ids_formulas_and_warnings() -> None:
    reader = page(CARD, warnings=tuple(promisescore.lint(promisescore.load(CARD))))
    editor = page(CARD, warnings=tuple(promisescore.lint(promisescore.load(CARD))), detail=True)
    rubric = promisescore.load(CARD)
    for e in rubric.evidence:
        assert f"<code>{e.id}</code>" not in reader
        assert f"<code>{e.id}</code>" in editor
    assert "Arithmetic:" not in reader
    assert "Arithmetic:" in editor
    assert "<dt>Id</dt>" not in reader
    assert "Warnings (" not in reader
    assert "Warnings (" in editor
    # readers see the cited sources by title instead of ids
    assert rubric.evidence[0].source.title.replace("'", "&#39;").replace("&", "&amp;") in reader


def test_history_and_side_by_side() -> None:
    markup = page(US)
    rubric = promisescore.load(US)
    assert "Who says what" in markup
    card = promisescore.score(rubric)
    for ident in rubric.assessors:
        name = html.escape(card.assessor_name(ident), quote=True).replace("&#x27;", "&#39;")
        assert f'data-label="{name}"' in markup
    histories = re.findall(r"<h4>History</h4>\n<ol class=\"timeline\">(.*?)</ol>", markup, re.S)
    dated = list(rubric.assessments)
    assert sum(h.count("<li>") for h in histories) == len(dated)


def test_without_the_rubric_there_is_no_history() -> None:
    card = promisescore.score(promisescore.load(US))
    # explicit options without the rubric (with no options, render adds what report adds)
    markup = promisescore.render(card, "html", RenderOptions())
    assert "Who says what" not in markup
    assert "<h4>History</h4>" not in markup


def test_report_keys_on_the_card() -> None:
    text = CARD.read_text().replace(
        "[report]\n",
        '[report]\npublisher = "The Ledger"\nbyline = "By the city desk"\nupdated = 2022-07-01\n'
        'note = "Ratings reviewed by two editors."\nmethodology_url = "https://example.org/method"\n',
        1,
    )
    rubric = promisescore.loads(text)
    markup = promisescore.render(promisescore.score(rubric), "html", RenderOptions(rubric=rubric))
    for words in (
        "The Ledger",
        "By the city desk",
        "Ratings reviewed by two editors.",
        '<time datetime="2022-07-01">',
    ):
        assert words in markup


class Tags(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def test_fragment_has_no_document_and_scoped_styles() -> None:
    markup = page(US, fragment=True)
    tags = Tags(markup).tags
    assert tags[0] == "div"
    assert markup.startswith('<div class="promisescore-card" lang="en">')
    for tag in ("html", "head", "body", "meta", "main", "script"):
        assert tag not in tags
    style = markup[markup.index("<style>") + 7 : markup.index("</style>")]
    for rule in re.findall(r"(?m)^([^@{}\n][^{}\n]*)\{", style):
        for selector in rule.split(","):
            assert selector.strip().startswith(".promisescore-card"), selector


def test_scope_css() -> None:
    css = ":root { --a: 1; }\n* { b: 2; }\nbody, p a { c: 3; }\n@media (max-width: 4rem) {\n  .x { d: 4; }\n}\n"
    assert scope_css(css, ".s") == (
        ".s { --a: 1; }\n.s, .s * { b: 2; }\n.s, .s p a { c: 3; }\n"
        "@media (max-width: 4rem) {\n  .s .x { d: 4; }\n}\n"
    )
    assert "@media print" in scope_css(stylesheet(), ".s")


def test_hostile_report_is_inert_in_every_mode() -> None:
    for options in ({}, {"detail": True}, {"fragment": True}):
        markup = page(HOSTILE, **options)
        parsed = Tags(markup)
        assert "script" not in parsed.tags
        assert not [name for name in parsed.attributes if name.startswith("on")]


def test_cli_detail_and_fragment(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "snippet.html"
    result = runner.invoke(
        main, ["report", str(US), "--format", "html", "--fragment", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith('<div class="promisescore-card"')
    result = runner.invoke(main, ["report", str(US), "--format", "html", "--detail"])
    assert result.exit_code == 0
    assert "Arithmetic:" in result.stdout


@pytest.mark.parametrize("flag", ["--detail", "--fragment"])
def test_cli_html_only_flags(flag: str) -> None:
    result = CliRunner().invoke(main, ["report", str(US), "--format", "markdown", flag])
    assert result.exit_code == 2
    assert "--format html" in result.stderr
