"""The presentation keys of ``[report]``: publisher, byline, updated, methodology_url,
note, lang (docs/format.md)."""

from __future__ import annotations

from datetime import date

import pytest

import promisescore
from promisescore.errors import RubricError
from promisescore.model import Report

BASE = """
format = 1
[report]
title = "T"
start = 2021-01-01
{extra}
[scale]
preset = "politifact"
[[promises]]
id = "p"
title = "P"
"""


def test_keys_load_and_round_trip() -> None:
    rubric = promisescore.loads(
        BASE.format(
            extra='publisher = "The Ledger"\nbyline = "By the desk"\nupdated = 2022-01-02\n'
            'methodology_url = "https://example.org/m"\nnote = "Reviewed."\nlang = "fr"'
        )
    )
    report = rubric.report
    assert (report.publisher, report.byline, report.note, report.lang) == (
        "The Ledger",
        "By the desk",
        "Reviewed.",
        "fr",
    )
    assert report.updated == date(2022, 1, 2)
    assert report.methodology_url == "https://example.org/m"
    again = promisescore.loads(promisescore.dumps(rubric))
    assert again.report == report


@pytest.mark.parametrize(
    ("extra", "code", "words"),
    [
        ('lang = "de"', "E207", "lang"),
        ('methodology_url = "javascript:alert(1)"', "E207", "http(s)"),
        ("updated = 3", "E103", "updated"),
        ("publisher = 3", "E103", "publisher"),
    ],
)
def test_bad_values_are_clear_errors(extra: str, code: str, words: str) -> None:
    with pytest.raises(RubricError) as info:
        promisescore.loads(BASE.format(extra=extra))
    problems = info.value.problems
    assert any(p.code == code and words in p.format() for p in problems), [
        p.format() for p in problems
    ]


def test_model_checks_the_keys_in_code() -> None:
    with pytest.raises(RubricError, match="lang"):
        Report(title="T", start=date(2021, 1, 1), lang="xx")
    assert Report(title="T", start=date(2021, 1, 1), lang="en").lang == "en"
