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
    CONSENSUS_RULES,
    DEFAULT_BANDS,
    DEFAULT_CONSENSUS_ROLES,
    DESK_CONSENSUS_ROLES,
    DURATION_REGEX,
    EFFECTS,
    EMPTY_META,
    FACTS,
    FLOAT_MAX,
    ID_PATTERN,
    MAX_META_DEPTH,
    PRESET_NAMES,
    PRESETS,
    REPORT_LANGUAGES,
    ROLES,
    ROLES_12,
    SOURCE_KINDS,
    STALE_POLICIES,
    UNCATEGORIZED,
    UNRATED_POLICIES,
    Assessment,
    Assessor,
    Category,
    Consensus,
    Criterion,
    Date,
    Effect,
    Evidence,
    GradeBand,
    Grading,
    Level,
    Promise,
    Report,
    Role,
    Scale,
    Source,
    SourceKind,
    Target,
    UnratedPolicy,
    field_facts,
    preset_levels,
)
from .rubric import FORMATS, Rubric, relation_problems, trusted, version_problems

__all__ = [
    "CONSENSUS_RULES",
    "DEFAULT_BANDS",
    "DEFAULT_CONSENSUS_ROLES",
    "DESK_CONSENSUS_ROLES",
    "DURATION_REGEX",
    "EFFECTS",
    "EMPTY_META",
    "FACTS",
    "FLOAT_MAX",
    "FORMATS",
    "ID_PATTERN",
    "MAX_META_DEPTH",
    "PRESETS",
    "PRESET_NAMES",
    "REPORT_LANGUAGES",
    "ROLES",
    "ROLES_12",
    "SOURCE_KINDS",
    "STALE_POLICIES",
    "UNCATEGORIZED",
    "UNRATED_POLICIES",
    "Assessment",
    "Assessor",
    "Category",
    "Consensus",
    "Criterion",
    "Date",
    "Effect",
    "Evidence",
    "GradeBand",
    "Grading",
    "Level",
    "Promise",
    "Report",
    "Role",
    "Rubric",
    "Scale",
    "Source",
    "SourceKind",
    "Target",
    "UnratedPolicy",
    "field_facts",
    "preset_levels",
    "relation_problems",
    "trusted",
    "version_problems",
]
