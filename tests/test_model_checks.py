"""The model's quick "all valid" checks never let an invalid value through.

Evidence, Assessment and Source (the objects a big rubric has millions of) first test
every field at once and return early when all is well; these tests make sure that any
one bad field still reaches the detailed checks and raises ``RubricError``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from promisescore import Assessment, Evidence, RubricError, Source

SOURCE = Source("A report", kind="report")
GOOD_EVIDENCE: dict[str, Any] = {
    "id": "e1",
    "promise": "p1",
    "date": date(2021, 1, 1),
    "summary": "Something",
    "source": SOURCE,
    "criterion": "c",
    "quote": "words",
    "effect": "advances",
    "value": 3.5,
}
GOOD_ASSESSMENT: dict[str, Any] = {
    "promise": "p1",
    "date": date(2021, 1, 1),
    "rating": "kept",
    "criterion": "c",
    "by": "someone",
    "evidence": ("e1", "e2"),
    "note": "why",
}
GOOD_SOURCE: dict[str, Any] = {
    "title": "A report",
    "url": "https://example.org",
    "publisher": "Paper",
    "date": date(2021, 1, 1),
    "kind": "record",
}
NAN = float("nan")
INF = float("inf")


def _cases(
    cls: type, good: dict[str, Any], table: dict[str, list[Any]]
) -> list[tuple[type, dict[str, Any], str, Any]]:
    return [(cls, good, key, value) for key, values in table.items() for value in values]


BAD: list[tuple[type, dict[str, Any], str, Any]] = [
    *_cases(
        Evidence,
        GOOD_EVIDENCE,
        {
            "id": ["Bad Id", "", 3, None],
            "promise": ["-p", "", None],
            "criterion": ["C C", 1],
            "date": ["2021-01-01", datetime(2021, 1, 1), None],
            "summary": ["", "   ", None, 5],
            "source": ["a string", None],
            "quote": [7],
            "effect": ["sideways", None],
            "value": [NAN, INF, -INF, "1"],
        },
    ),
    *_cases(
        Assessment,
        GOOD_ASSESSMENT,
        {
            "promise": ["P", None],
            "criterion": ["x y"],
            "date": ["2021-01-01", None],
            "rating": ["Kept!", 3],
            "value": [1.5, -0.1, NAN, INF],
            "by": ["", "  ", None],
            "evidence": [("ok", "NOT OK"), (3,)],
            "note": [5],
        },
    ),
    *_cases(
        Source,
        GOOD_SOURCE,
        {
            "title": ["", " ", None, 3],
            "url": [3],
            "publisher": [b"x"],
            "date": ["2021-01-01", datetime(2021, 1, 1)],
            "kind": ["rumour", ""],
        },
    ),
]


@pytest.mark.parametrize(("cls", "good", "key", "value"), BAD)
def test_one_bad_field_is_caught(cls: type, good: dict[str, Any], key: str, value: Any) -> None:
    cls(**good)  # the good values are fine
    with pytest.raises(RubricError) as caught:
        cls(**{**good, key: value})
    assert any(key in problem.path for problem in caught.value.problems)
