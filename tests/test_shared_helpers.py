"""The helpers that replaced repeated code: each one serves every place it replaced."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from promisescore import compare, load, score
from promisescore.analysis import timeline
from promisescore.cli import main
from promisescore.errors import UnknownIdError
from promisescore.renderers import render
from promisescore.renderers.common import json_document
from promisescore.renderers.html import environment as card_environment
from promisescore.scoring import Overall
from promisescore.site.pages import environment as site_environment

IMMIGRATION = Path(__file__).parent.parent / "rubrics" / "us-immigration-2021.toml"


def test_overall_to_dict_is_what_every_json_holds() -> None:
    rubric = load(IMMIGRATION)
    card = score(rubric, as_of="2022-01-20")
    expected = {
        "score": card.overall.score,
        "grade": card.overall.grade,
        "coverage": card.overall.coverage,
    }
    assert card.overall.to_dict() == expected
    assert list(card.overall.to_dict()) == ["score", "grade", "coverage"]
    assert card.to_dict()["overall"] == expected
    point = timeline(rubric).points[-1]
    assert point.to_dict()["overall"] == point.overall.to_dict()
    row = compare([rubric]).rubrics[0]
    assert row.to_dict()["overall"] == row.overall.to_dict()
    record = row.to_record()
    assert [record[k] for k in ("score", "grade", "coverage")] == list(
        row.overall.to_dict().values()
    )
    assert Overall(None, None, 0.0).to_dict() == {"score": None, "grade": None, "coverage": 0.0}


def test_scorecard_lookups_name_close_matches() -> None:
    card = score(load(IMMIGRATION))
    first = card.promises[0]
    assert card.promise(first.id) is first
    assert card.category(card.categories[0].id) is card.categories[0]
    with pytest.raises(UnknownIdError) as promise_error:
        card.promise(first.id + "x")
    assert first.id in str(promise_error.value)
    with pytest.raises(UnknownIdError) as category_error:
        card.category("no-such-category")
    assert "category" in str(category_error.value)


def test_json_document_is_the_analyses_json() -> None:
    assert json_document({"é": [1]}) == '{\n  "é": [\n    1\n  ]\n}\n'
    tl = timeline(load(IMMIGRATION))
    text = render(tl, "json")
    assert text == json_document(tl.to_dict())
    assert json.loads(text) == json.loads(json.dumps(tl.to_dict()))


def test_card_and_site_environments_are_configured_alike() -> None:
    card, site = card_environment("fr"), site_environment(None, "fr")
    for env in (card, site):
        assert env.autoescape is True
        assert env.undefined is jinja2.StrictUndefined
        assert env.trim_blocks
        assert env.lstrip_blocks
        assert env.keep_trailing_newline
        assert "jinja2.ext.InternationalizationExtension" in env.extensions
        assert {"pct", "num", "long_date"} <= set(env.filters)
    assert isinstance(site.loader, jinja2.ChoiceLoader)
    assert isinstance(card.loader, jinja2.PackageLoader)


@pytest.mark.parametrize(
    "command", ["timeline", "diff", "agree", "sensitivity", "compare", "report"]
)
def test_shared_format_and_output_options(command: str) -> None:
    out = " ".join(CliRunner().invoke(main, [command, "--help"]).output.split())
    assert "--format [text|" in out
    assert "[default: text]" in out
    assert "-o, --output PATH Write here (atomically) instead of stdout" in out


def test_fail_with_problems_prints_each_then_exits_1() -> None:
    import click

    from promisescore.cli.common import fail_with_problems
    from promisescore.errors import Problem

    @click.command()
    def broken() -> None:
        fail_with_problems(
            [Problem("E101", "first", file="a.toml", line=3), Problem("E102", "second")],
            "2 problems",
        )

    result = CliRunner().invoke(broken, [])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "error: 2 problems"
    assert lines[0].startswith("a.toml:3")
    assert "E101 first" in lines[0]
    assert "E102 second" in lines[1]
    assert len(lines) == 3


def test_text_layout_is_the_terminals_only_for_text_on_stdout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from promisescore.cli import common

    monkeypatch.setattr(common, "use_color", lambda err=False: True)
    monkeypatch.setattr(common, "terminal_width", lambda width=None: width or 63)
    assert common.text_layout("text", None) == (True, 63)
    assert common.text_layout("text", "-") == (True, 63)
    # a file or a pipe is laid out for the same width (COLUMNS, --width: issue 26)
    assert common.text_layout("text", "out.txt") == (False, 63)
    assert common.text_layout("markdown", None) == (False, 63)
    assert common.text_layout("text", None, 80) == (True, 80)
