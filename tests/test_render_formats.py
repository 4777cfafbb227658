"""The text, Markdown, JSON, CSV and badge renderers, and the ``render`` interface."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
from pathlib import Path

import click
import jsonschema  # type: ignore[import-untyped]
import pytest

import promisescore
from promisescore.cli import common
from promisescore.csvtext import cell_text
from promisescore.renderers import REGISTRY, RenderOptions, formats
from promisescore.renderers import csv as csv_renderer
from promisescore.renderers import markdown as markdown_renderer
from promisescore.renderers import text as text_renderer
from promisescore.scoring import Scorecard

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "report-card.toml"
XSS = REPO / "tests" / "fixtures" / "xss.toml"
RUBRICS = [
    FIXTURE,
    XSS,
    REPO / "rubrics" / "us-immigration-2021.toml",
    REPO / "rubrics" / "we-belong-together-2015.toml",
    REPO / "tests" / "fixtures" / "honest-numbers.toml",
]
SCHEMA = json.loads((REPO / "docs" / "reference" / "scorecard.schema.json").read_text())


def load(path: Path) -> tuple[Scorecard, RenderOptions]:
    rubric = promisescore.load(path)
    return promisescore.score(rubric), RenderOptions(warnings=tuple(promisescore.lint(rubric)))


# --------------------------------------------------------------------------- interface


def test_render_is_callable_from_the_package_whatever_was_imported_first() -> None:
    importlib.import_module("promisescore.renderers.html")  # the package is not `render`
    card, _ = load(FIXTURE)
    assert callable(promisescore.render)
    assert promisescore.render(card, "badge").startswith("<svg")
    assert json.loads(promisescore.render(card, "json"))["overall"]["grade"] == "F"


def test_every_format_module_has_the_one_interface() -> None:
    card, options = load(FIXTURE)
    for fmt in formats("scorecard"):
        module_name = REGISTRY["scorecard", fmt].partition(":")[0]
        module = importlib.import_module(f"promisescore.renderers.{module_name}")
        assert callable(module.render)
        out = promisescore.render(card, fmt, options)
        assert isinstance(out, str)
        assert out.endswith("\n")


def test_unknown_format() -> None:
    card, _ = load(FIXTURE)
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        promisescore.render(card, "pdf")


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize("width", [40, 47, 60, 72, 80, 100, 132, 200])
@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_text_fits_the_width(path: Path, width: int) -> None:
    card, options = load(path)
    for color in (False, True):
        out = promisescore.render(
            card, "text", RenderOptions(width=width, color=color, warnings=options.warnings)
        )
        widest = max(len(click.unstyle(line)) for line in out.splitlines())
        assert widest <= width, (width, color)


def test_text_below_the_minimum_width_uses_the_minimum() -> None:
    card, _ = load(FIXTURE)
    narrow = promisescore.render(card, "text", RenderOptions(width=10))
    assert narrow == promisescore.render(card, "text", RenderOptions(width=text_renderer.MIN_WIDTH))


def test_text_narrow_drops_columns_but_keeps_title_rating_and_score() -> None:
    card, _ = load(FIXTURE)
    wide = promisescore.render(card, "text", RenderOptions(width=160))
    narrow = promisescore.render(card, "text", RenderOptions(width=50))
    header_wide = next(line for line in wide.splitlines() if line.startswith("Promise "))
    header_narrow = next(line for line in narrow.splitlines() if line.startswith("Promise "))
    assert header_wide.split() == [
        "Promise",
        "Category",
        "Rating",
        "Score",
        "Wt",
        "Deadline",
        "Status",
        "Evidence",
    ]
    assert [w for w in header_narrow.split() if w in {"Promise", "Rating", "Score"}] == [
        "Promise",
        "Rating",
        "Score",
    ]
    assert "Evidence" not in header_narrow
    # At 160 columns no title is clipped.
    assert "Build 20 km of protected bike lanes in the first year" in wide
    assert "…" in narrow


def test_text_colour_only_when_asked() -> None:
    card, _ = load(FIXTURE)
    plain = promisescore.render(card, "text", RenderOptions(color=False))
    coloured = promisescore.render(card, "text", RenderOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
    assert click.unstyle(coloured) == plain


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", _Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert common.use_color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert common.use_color() is False
    monkeypatch.setattr("sys.stdout", io.StringIO())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert common.use_color() is False


def test_text_meter_counts_and_shares() -> None:
    card, _ = load(FIXTURE)
    out = promisescore.render(card, "text", RenderOptions(width=100))
    assert "  Promise Kept    1   25%  " in out
    assert "  In the Works    0    0%\n" in out


# --------------------------------------------------------------------------- markdown


def test_markdown_escapes_user_text() -> None:
    assert markdown_renderer.escape("a | b") == "a \\| b"
    assert markdown_renderer.escape("<script>x</script>") == "\\<script\\>x\\</script\\>"
    assert markdown_renderer.escape("**bold** [x](javascript:1)") == (
        "\\*\\*bold\\*\\* \\[x\\](javascript:1)"
    )
    # no stray backslashes before punctuation that is not syntax where it stands
    assert markdown_renderer.escape("Reform (part 2) {x} +1 #3!") == "Reform (part 2) {x} +1 #3!"
    assert markdown_renderer.escape("Promise #") == "Promise \\#"
    assert markdown_renderer.escape("a\nb  c") == "a b c"
    assert markdown_renderer.escape("R&D") == "R&amp;D"


def test_markdown_of_hostile_text_has_no_raw_markup() -> None:
    card, _ = load(XSS)
    out = promisescore.render(card, "markdown")
    # Every "<" of user text is escaped (GitHub shows "\<" as "<", as text).
    assert not re.search(r"(?<!\\)<(?!/?details>|summary>|/summary>)", out)
    assert "\\<script\\>" in out
    # Every table row has the same number of unescaped cell separators as its header.
    for block in out.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            cells = {len(row.replace("\\|", "").split("|")) for row in rows}
            assert len(cells) == 1, block


def test_markdown_meter_table() -> None:
    card, _ = load(FIXTURE)
    out = promisescore.render(card, "markdown")
    assert "| Rating | Promises | Share |" in out
    assert "| Promise Kept | 1 | █████ 25% |" in out
    assert "| In the Works | 0 | 0% |" in out


# --------------------------------------------------------------------------- json


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_json_follows_the_documented_schema(path: Path) -> None:
    card, options = load(path)
    data = json.loads(promisescore.render(card, "json", options))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_json_category_filter_keeps_the_overall() -> None:
    card, _ = load(FIXTURE)
    full = json.loads(promisescore.render(card, "json"))
    part = json.loads(promisescore.render(card, "json", RenderOptions(categories=("parks",))))
    assert [c["id"] for c in part["categories"]] == ["parks"]
    assert {p["category"] for p in part["promises"]} == {"parks"}
    assert part["overall"] == full["overall"]
    assert part["counts"] == full["counts"]


# --------------------------------------------------------------------------- csv


def test_csv_columns_are_the_documented_ones() -> None:
    card, _ = load(FIXTURE)
    out = promisescore.render(card, "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == csv_renderer.COLUMNS
    documented = (REPO / "docs" / "reference" / "csv.md").read_text(encoding="utf-8")
    for column in csv_renderer.COLUMNS:
        assert f"| `{column}` |" in documented, column
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_id["bike-lanes"]["late"] == "true"
    assert by_id["bike-lanes"]["rating_label"] == "Compromise"
    assert by_id["bus-fares"]["overdue"] == "true"
    assert by_id["tree-canopy"]["fulfillment"] == ""
    assert by_id["affordable-homes"]["kind"] == "target"
    assert by_id["affordable-homes"]["fulfillment"] == "0.4"
    assert by_id["bike-lanes"]["category_title"] == "Transit & streets"


def test_csv_defuses_spreadsheet_formulas() -> None:
    # the one CSV writer's cell conversion (promisescore.csvtext) replaced csv.py's _cell
    assert cell_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell_text("+1") == "'+1"
    assert cell_text("@x") == "'@x"
    assert cell_text(-0.5) == "-0.5"
    assert cell_text(None) == ""
    assert cell_text(True) == "true"


# --------------------------------------------------------------------------- badge


def test_badge_escapes_its_label() -> None:
    card, _ = load(FIXTURE)
    out = promisescore.render(card, "badge", RenderOptions(label="<b>&"))
    assert "<b>" not in out
    assert "&lt;b&gt;&amp;" in out
    assert 'aria-label="&lt;b&gt;&amp;: 40% F"' in out
