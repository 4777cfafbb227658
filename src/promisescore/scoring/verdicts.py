"""The warnings of format 1.2 that rest on the scores: W106 and W108 (FORMAT.md §8.2, §8.3).

Both need each promise's consensus, which only the scoring engine computes, so they are
raised here rather than in :mod:`promisescore.validate` (a lower layer):

- W106 (evidence newer than the promise's latest assessment) is not raised for a promise
  whose consensus is at a final level: a verdict on record is not neglect (§8.2).
- W108: a counted verdict on a criteria or target promise is at a final level of value 1
  while f < 1, or at a final level of value 0 while f = 1 (§8.3). f is the fulfillment
  before any late cap (the measure the verdict is read against).

:func:`lint` is :func:`promisescore.loading.lint` plus these; :func:`check` is
:func:`promisescore.loading.check` plus these. Both give the same as the loader's for a
format 1 or 1.1 rubric.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import Problem
from ..loading import CheckResult
from ..loading import check as _check
from ..loading import lint as _lint
from ..model import Rubric
from ..model.rubric import path_problem
from ..progress import Progress
from ..validate import newer_evidence_warnings
from .engine import score


def _located(rubric: Rubric, problems: Iterable[Problem]) -> list[Problem]:
    locate: Any = getattr(rubric.origin, "locate", None)
    return [locate(p) if locate is not None else p for p in problems]


def verdict_warnings(rubric: Rubric) -> list[Problem]:
    """W106 and W108 of a format 1.2 rubric as of its default date (FORMAT.md §4.1),
    located by file and line when it was loaded; nothing for format 1 or 1.1."""
    if rubric.format != "1.2":
        return []
    card = score(rubric)
    scale = rubric.scale
    final = set()
    for item in card.promises:
        if item.status is not None and scale.level(item.status).final:
            final.add(item.id)
    # a reviewer is never counted and never shown (§8.1): its ratings (and any dated
    # after the default as-of date) neither raise nor silence W106
    reviewers = rubric.reviewers
    as_of = rubric.default_as_of()
    found = newer_evidence_warnings(
        rubric,
        quiet=final,
        counted=lambda a: a.date <= as_of and a.by not in reviewers,
    )
    positions: dict[tuple[str, str, Any, str | None], int] = {}
    for index, entry in enumerate(rubric.assessments):
        if entry.criterion is None:
            positions[(entry.promise, entry.by, entry.date, entry.rating)] = index
    for item in card.promises:
        f = item.trace.standing_fulfillment
        if item.kind == "plain" or f is None or scale.is_percent:
            continue
        for verdict in item.trace.verdicts:
            if not verdict.counted or verdict.rating is None:
                continue
            level = scale.level(verdict.rating)
            if not level.final or level.value not in (0.0, 1.0):
                continue
            if (level.value == 1.0) == (f >= 1.0):
                continue
            measure = "of target" if item.kind == "target" else "of its criteria"
            said = "short of the goal" if level.value == 1.0 else "at the goal"
            at = positions.get((item.id, verdict.by, verdict.date, verdict.rating))
            found.append(
                path_problem(
                    "W108",
                    f"promise {item.id!r} has the verdict {verdict.rating!r} "
                    f"({verdict.display_name}, {verdict.date}) while it stands at "
                    f"{f:.0%} {measure}: {said}",
                    ("assessments", at) if at is not None else ("promises",),
                    "assessment",
                    f"{item.id} by {verdict.by} on {verdict.date}",
                    "re-assess the promise, or check its figures and criteria ratings; "
                    "readers see the verdict beside the figure",
                    severity="warning",
                )
            )
    return _located(rubric, found)


def lint(rubric: Rubric) -> list[Problem]:
    """Every warning of a valid rubric (:func:`promisescore.loading.lint`), with the
    format 1.2 warnings that rest on its scores (:func:`verdict_warnings`)."""
    found = _lint(rubric)
    extra = verdict_warnings(rubric)
    if not extra:
        return found
    return sorted([*found, *extra], key=_order)


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file or "", problem.line or 0, problem.code)


def with_verdict_warnings(result: CheckResult) -> CheckResult:
    """``result`` with the format 1.2 warnings of its rubric added (when it is valid)."""
    if result.rubric is None or result.rubric.format != "1.2":
        return result
    extra = verdict_warnings(result.rubric)
    if not extra:
        return result
    return attrs.evolve(result, problems=tuple(sorted([*result.problems, *extra], key=_order)))


def check(path: str | os.PathLike[str], *, progress: Progress | None = None) -> CheckResult:
    """:func:`promisescore.loading.check` with the format 1.2 warnings that rest on the
    scores (:func:`verdict_warnings`)."""
    return with_verdict_warnings(_check(path, progress=progress))
