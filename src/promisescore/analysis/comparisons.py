"""Compare rubrics: one row per rubric, and promises grouped across rubrics by a field.

``compare(rubrics, as_of=None, by=None)`` scores each rubric (every one as of ``as_of``
when given, else each as of its own default date, FORMAT.md §4.1) and reports for each
its title, file, subject (who made the promises), term, overall score, grade and
coverage, its ``counts`` exactly as its score JSON has them, and its **shares** of
promises fully, partially and not fulfilled in the sense of the Comparative Party
Pledges Group (CPPG):

- a rated promise with fulfillment f = 1 is *fully fulfilled*, with 0 < f < 1
  *partially fulfilled*, with f = 0 *not fulfilled*; unrated promises are left out;
- each share is the number of such promises over the number of rated promises (each
  pledge counts once, whatever its weight, as shares of pledges are reported), or
  ``None`` when nothing is rated.

The keys of ``shares`` are the ids of the ``cppg`` preset's levels: a rubric coded on
that scale has shares equal to its counts of each level over its rated promises.

With ``by`` (``category``, ``tag``, ``maker`` or ``assessor``) the promises of all the
rubrics are grouped by that field, and each group gets the weighted score
Σ w·f / Σ w over the promises it counts (the rated ones, or all of them in a rubric
with ``grading.unrated = "zero"``), that weight Σ w, and counts by status. See
docs/researchers.md for the exact definitions.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

import attrs

from ..model import Rubric
from ..scoring import Overall, PromiseScore, Scorecard, score
from ..scoring.engine import as_date
from ..scoring.scorecard import maker_of, scorecard_records, status_of

GroupField = Literal["category", "tag", "maker", "assessor"]
#: What ``by`` may be.
GROUP_FIELDS: tuple[str, ...] = ("category", "tag", "maker", "assessor")
#: The keys of ``shares``: the CPPG's three codes (the ``cppg`` preset's level ids).
SHARE_KEYS: tuple[str, ...] = ("fully-fulfilled", "partially-fulfilled", "not-fulfilled")


def cppg_share_key(fulfillment: float | None) -> str | None:
    """The CPPG code of a fulfillment: f = 1 fully, 0 < f < 1 partially, f = 0 not
    fulfilled; ``None`` for an unrated promise."""
    if fulfillment is None:
        return None
    if fulfillment >= 1.0:
        return "fully-fulfilled"
    if fulfillment <= 0.0:
        return "not-fulfilled"
    return "partially-fulfilled"


def _status_key(item: PromiseScore) -> str | None:
    """The key a promise counts under in ``counts``: its status, ``unrated``, or none."""
    if not item.rated:
        return "unrated"
    return status_of(item)


@attrs.frozen(repr=False)
class RubricRow:
    """One rubric in a comparison."""

    title: str
    file: str | None
    subject: str | None
    start: date
    end: date | None
    as_of: date
    overall: Overall
    counts: tuple[tuple[str, int], ...]
    shares: tuple[tuple[str, float | None], ...]
    promises: int
    rated: int
    card: Scorecard = attrs.field(eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "file": self.file,
            "subject": self.subject,
            "overall": self.overall.to_dict(),
            "counts": dict(self.counts),
            "shares": dict(self.shares),
        }

    def to_record(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "title": self.title,
            "file": self.file,
            "subject": self.subject,
            "start": self.start,
            "end": self.end,
            "as_of": self.as_of,
            **self.overall.to_dict(),
            "promises": self.promises,
            "rated": self.rated,
        }
        for key, count in self.counts:
            row[f"count:{key}"] = count
        for key, share in self.shares:
            row[f"share:{key}"] = share
        return row

    def __repr__(self) -> str:
        return f"<RubricRow {self.title!r} as of {self.as_of.isoformat()}>"


@attrs.frozen
class Group:
    """Promises of all the compared rubrics that share a value of the grouping field."""

    by: str
    #: The value (a category id, tag, maker or assessor id); ``None`` for promises with
    #: none (no tag, no maker).
    key: str | None
    score: float | None
    #: Σ w over the promises the score counts.
    weight: float
    counts: tuple[tuple[str, int], ...]
    #: How many promises are in the group, and how many of them are rated.
    promises: int = 0
    rated: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "key": self.key,
            "score": self.score,
            "weight": self.weight,
            "counts": dict(self.counts),
        }

    def to_record(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "by": self.by,
            "key": self.key,
            "score": self.score,
            "weight": self.weight,
            "promises": self.promises,
            "rated": self.rated,
        }
        for key, count in self.counts:
            row[f"count:{key}"] = count
        return row


@attrs.frozen(repr=False)
class Comparison:
    """Rubrics side by side (``rubrics``), and their promises grouped (``groups``)."""

    #: The date every rubric was scored as of, or ``None``: each as of its own date.
    as_of: date | None
    by: str | None
    rubrics: tuple[RubricRow, ...]
    groups: tuple[Group, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``promisescore compare --format json``."""
        return {
            "schema_version": 1,
            "as_of": self.as_of.isoformat() if self.as_of is not None else None,
            "rubrics": [row.to_dict() for row in self.rubrics],
            "groups": [group.to_dict() for group in self.groups],
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per rubric (flat: ``count:<key>`` and ``share:<key>`` columns)."""
        return [row.to_record() for row in self.rubrics]

    def group_records(self) -> list[dict[str, Any]]:
        """One plain dict per group."""
        return [group.to_record() for group in self.groups]

    def promise_records(self) -> list[dict[str, Any]]:
        """Every promise of every rubric (the scorecards' records), with the rubric's
        ``rubric`` (title) and ``file`` first, and its CPPG code in ``cppg``."""
        rows: list[dict[str, Any]] = []
        for item in self.rubrics:
            for record in scorecard_records(item.card):
                rows.append(
                    {
                        "rubric": item.title,
                        "file": item.file,
                        **record,
                        "cppg": cppg_share_key(record["fulfillment"]),
                    }
                )
        return rows

    def to_frame(self) -> Any:
        """:meth:`to_records` as a :class:`pandas.DataFrame` (needs the ``pandas`` extra)."""
        from ..frames import columns_of, frame

        records = self.to_records()
        return frame(records, columns_of(records, RUBRIC_COLUMNS))

    def groups_frame(self) -> Any:
        """:meth:`group_records` as a :class:`pandas.DataFrame`."""
        from ..frames import columns_of, frame

        records = self.group_records()
        return frame(records, columns_of(records, GROUP_COLUMNS))

    def promises_frame(self) -> Any:
        """:meth:`promise_records` as a :class:`pandas.DataFrame`: one row per promise of
        every rubric, ready for ``groupby``."""
        from ..frames import SCORECARD_COLUMNS, columns_of, frame

        records = self.promise_records()
        return frame(records, columns_of(records, ("rubric", "file", *SCORECARD_COLUMNS, "cppg")))

    def __repr__(self) -> str:
        from ..display import text

        return text(self)

    def _repr_html_(self) -> str:
        from ..display import html

        return html(self)


#: The columns of :meth:`Comparison.to_frame` (one row per rubric), in order.
RUBRIC_COLUMNS = (
    "title",
    "file",
    "subject",
    "start",
    "end",
    "as_of",
    "score",
    "grade",
    "coverage",
    "promises",
    "rated",
)
#: The columns of :meth:`Comparison.groups_frame` (one row per group), in order.
GROUP_COLUMNS = ("by", "key", "score", "weight", "promises", "rated")


def _shares(card: Scorecard) -> tuple[tuple[str, float | None], ...]:
    rated = [p for p in card.counted if p.rated]
    found = dict.fromkeys(SHARE_KEYS, 0)
    for item in rated:
        key = cppg_share_key(item.fulfillment)
        if key is not None:
            found[key] += 1
    return tuple((key, found[key] / len(rated) if rated else None) for key in SHARE_KEYS)


def _row(rubric: Rubric, card: Scorecard) -> RubricRow:
    origin = getattr(rubric, "origin", None)
    root = getattr(origin, "root", None)
    return RubricRow(
        title=card.title,
        file=str(root) if root is not None else None,
        subject=card.subject,
        start=card.start,
        end=card.end,
        as_of=card.as_of,
        overall=card.overall,
        counts=card.counts,
        shares=_shares(card),
        promises=len(card.counted),
        rated=card.rated_count,
        card=card,
    )


def _keys(by: str, card: Scorecard, item: PromiseScore) -> list[str | None]:
    if by == "category":
        return [item.category]
    if by == "tag":
        return list(dict.fromkeys(item.tags)) or [None]
    if by == "maker":
        return [maker_of(card, item)]
    return [card.assessor]


class _Tally:
    def __init__(self) -> None:
        self.terms: list[float] = []
        self.weights: list[float] = []
        self.counts: dict[str, int] = {}
        self.promises = 0
        self.rated = 0

    def add(self, item: PromiseScore, zero: bool) -> None:
        self.promises += 1
        if item.rated:
            self.rated += 1
        if item.rated or zero:
            self.terms.append(item.weight * (item.fulfillment or 0.0))
            self.weights.append(item.weight)
        key = _status_key(item)
        if key is not None:
            self.counts[key] = self.counts.get(key, 0) + 1


def _groups(by: str, cards: Sequence[tuple[Rubric, Scorecard]]) -> tuple[Group, ...]:
    tallies: dict[str | None, _Tally] = {}
    order: list[str] = []
    for rubric, card in cards:
        for level in card.scale.levels:
            if level.id not in order:
                order.append(level.id)
        zero = rubric.grading.unrated == "zero"
        for item in card.counted:  # umbrella promises are in no group's score
            for key in _keys(by, card, item):
                tallies.setdefault(key, _Tally()).add(item, zero)
    order.append("unrated")
    groups: list[Group] = []
    keys = [k for k in tallies if k is not None] + ([None] if None in tallies else [])
    for key in keys:
        tally = tallies[key]
        total = math.fsum(tally.weights)
        value = math.fsum(tally.terms) / total if tally.weights else None
        counts = tuple((k, tally.counts.get(k, 0)) for k in order)
        groups.append(Group(by, key, value, total, counts, tally.promises, tally.rated))
    return tuple(groups)


def compare(
    rubrics: Sequence[Rubric | str | os.PathLike[str]],
    as_of: date | str | None = None,
    by: str | None = None,
) -> Comparison:
    """Compare rubrics (loaded, or paths to load) side by side, as of ``as_of`` (default:
    each rubric's own as-of date), with their promises grouped ``by`` a field.

    ``by`` is one of :data:`GROUP_FIELDS` or ``None``. With ``by="assessor"`` each
    rubric is scored once per assessor (as ``score(rubric, as_of, assessor)``), and the
    groups pool each assessor's view across the rubrics. Raises ``ValueError`` for an
    unknown ``by``, and what :func:`~promisescore.load` raises for a path.
    """
    if isinstance(rubrics, str | bytes) or not isinstance(rubrics, Sequence):
        raise TypeError(f"rubrics must be a list of rubrics or paths, not {type(rubrics).__name__}")
    if by is not None and by not in GROUP_FIELDS:
        raise ValueError(f"cannot group by {by!r}; choose from {', '.join(GROUP_FIELDS)}")
    when = as_date(as_of)
    loaded: list[Rubric] = []
    for item in rubrics:
        if isinstance(item, Rubric):
            loaded.append(item)
        else:
            from ..loading import load

            loaded.append(load(item))
    cards = [(rubric, score(rubric, when)) for rubric in loaded]
    rows = tuple(_row(rubric, card) for rubric, card in cards)
    groups: tuple[Group, ...] = ()
    if by == "assessor":
        views = [
            (rubric, score(rubric, when, assessor))
            for rubric in loaded
            for assessor in rubric.assessors
        ]
        groups = _groups(by, views)
    elif by is not None:
        groups = _groups(by, cards)
    return Comparison(as_of=when, by=by, rubrics=rows, groups=groups)
