"""Every choice list of the CLI comes from the library: the renderer registry for
``--format``, and the library's own tuples for the other options. Nothing is copied."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from promisescore.analysis.comparisons import GROUP_FIELDS
from promisescore.cli import main
from promisescore.i18n import LANGUAGES
from promisescore.model.parts import REPORT_LANGUAGES
from promisescore.renderers import REPORT_FORMATS, SCORE_FORMATS, SORT_KEYS, formats
from promisescore.scales import PRESETS
from promisescore.starter import FORMAT_VERSIONS, SCALES

CLI = Path(__file__).resolve().parents[1] / "src" / "promisescore" / "cli"

#: (command, parameter) → where its choices come from.
EXPECTED: dict[tuple[str, str], tuple[str, ...]] = {
    ("score", "fmt"): SCORE_FORMATS,
    ("report", "fmt"): REPORT_FORMATS,
    ("report", "sort"): SORT_KEYS,
    ("report", "lang"): LANGUAGES,
    ("explain", "fmt"): formats("explanation"),
    ("check", "fmt"): formats("check"),
    ("verify", "fmt"): formats("verification"),
    ("scales", "fmt"): formats("scales"),
    ("timeline", "fmt"): formats("timeline"),
    ("diff", "fmt"): formats("diff"),
    ("agree", "fmt"): formats("agreement"),
    ("sensitivity", "fmt"): formats("sensitivity"),
    ("compare", "fmt"): formats("comparison"),
    ("compare", "by"): GROUP_FIELDS,
    ("site", "lang"): LANGUAGES,
    ("init", "scale"): SCALES,
    ("init", "format_version"): FORMAT_VERSIONS,
    ("import", "scale"): SCALES,
}


def _choice_params() -> Iterator[tuple[str, str, tuple[str, ...]]]:
    assert isinstance(main, click.Group)
    for name, command in sorted(main.commands.items()):
        for param in command.params:
            if isinstance(param.type, click.Choice):
                yield name, param.name or "", tuple(param.type.choices)


def test_every_choice_list_is_accounted_for() -> None:
    found = {(command, name) for command, name, _ in _choice_params()}
    assert found == set(EXPECTED)


@pytest.mark.parametrize(("command", "name", "choices"), list(_choice_params()))
def test_each_choice_list_is_the_librarys(
    command: str, name: str, choices: tuple[str, ...]
) -> None:
    assert choices == EXPECTED[command, name]


def test_the_starter_and_import_offer_every_preset_scale() -> None:
    assert tuple(PRESETS) == SCALES


def test_no_choice_list_is_written_out_in_the_cli() -> None:
    # `compare --by` is the one literal: its source (analysis.comparisons.GROUP_FIELDS)
    # costs the CLI's start-up the whole analysis package; the tests above keep it equal.
    literal = re.compile(r"Choice\(\s*[\[(]")
    for path in sorted(CLI.glob("*.py")):
        hits = literal.findall(path.read_text(encoding="utf-8"))
        allowed = 1 if path.name == "analysis.py" else 0
        assert len(hits) == allowed, path.name


def test_the_report_lang_key_allows_the_translated_languages() -> None:
    assert REPORT_LANGUAGES is LANGUAGES
