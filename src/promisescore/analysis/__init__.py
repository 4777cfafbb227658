"""Analysis over a rubric's history and its assessors: timeline, diff, agreement, sensitivity.

- :func:`timeline` — scores at a series of dates, and the promises that fell back.
- :func:`diff` — what changed between two scorecards (dates, files or assessors).
- :func:`agreement` — Krippendorff's alpha and Cohen's kappa between assessors.
- :func:`compare` — rubrics side by side, and their promises grouped across rubrics.
- :func:`sensitivity` — how much the score and grade depend on weights and level values.

Like the rest of the core, nothing here knows about the command line or output formats;
``promisescore.renderers`` formats the results (see docs/analysis.md).
"""

from __future__ import annotations

from .agreements import (
    Agreement,
    Disagreement,
    PairAgreement,
    Unit,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    rating_units,
    weighted_kappa,
    windowed_units,
)
from .comparisons import Comparison, Group, RubricRow, compare
from .diffs import CategoryDelta, CriterionChange, Diff, OverallDelta, PromiseChange, Side, diff
from .sensitivities import Perturbation, Sensitivity, percentile, sensitivity
from .timelines import Reversal, Timeline, TimelinePoint, default_dates, parse_every, timeline

__all__ = [
    "Agreement",
    "CategoryDelta",
    "Comparison",
    "CriterionChange",
    "Diff",
    "Disagreement",
    "Group",
    "OverallDelta",
    "PairAgreement",
    "Perturbation",
    "PromiseChange",
    "Reversal",
    "RubricRow",
    "Sensitivity",
    "Side",
    "Timeline",
    "TimelinePoint",
    "Unit",
    "agreement",
    "cohen_kappa",
    "compare",
    "default_dates",
    "diff",
    "krippendorff_alpha",
    "parse_every",
    "percent_agreement",
    "percentile",
    "rating_units",
    "sensitivity",
    "timeline",
    "weighted_kappa",
    "windowed_units",
]
