"""The rubric model: small immutable classes whose invariants hold at construction.

Every class checks all of its own fields when built and raises one
:class:`~promisescore.errors.RubricError` listing every problem; :class:`Rubric` also
checks the relations between objects (unique ids, references, the scale). So a rubric
built in code is exactly as valid as one loaded from a file (FORMAT.md §1–2).

- :mod:`promisescore.model.parts` — the parts: report, scale and levels, grading,
  categories, promises (criteria, targets), sources, evidence, assessments, assessors;
  each field's facts (type, required, allowed values) sit on it, read by
  :mod:`promisescore.fields`.
- :mod:`promisescore.model.rubric` — the whole :class:`Rubric` and the checks across its
  objects that building one runs (:func:`relation_problems`).
"""

from __future__ import annotations

from .parts import (
    Assessment,
    Assessor,
    Category,
    Criterion,
    Evidence,
    GradeBand,
    Grading,
    Level,
    Promise,
    Report,
    Scale,
    Source,
    Target,
)
from .rubric import Rubric

#: The public model (docs/api.md); the rest of ``parts`` and ``rubric`` is internal.
__all__ = [
    "Assessment",
    "Assessor",
    "Category",
    "Criterion",
    "Evidence",
    "GradeBand",
    "Grading",
    "Level",
    "Promise",
    "Report",
    "Rubric",
    "Scale",
    "Source",
    "Target",
]
