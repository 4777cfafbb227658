"""Scoring: rubric → :class:`Scorecard` (FORMAT.md §4), and ``explain`` for one promise."""

from __future__ import annotations

from .engine import score
from .explanations import Contribution, Explanation, explain
from .scorecard import (
    AssessorRating,
    CategoryScore,
    CriterionScore,
    Overall,
    PromiseScore,
    Scorecard,
    TargetScore,
    Trace,
)

__all__ = [
    "AssessorRating",
    "CategoryScore",
    "Contribution",
    "CriterionScore",
    "Explanation",
    "Overall",
    "PromiseScore",
    "Scorecard",
    "TargetScore",
    "Trace",
    "explain",
    "score",
]
