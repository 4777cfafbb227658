"""The whole rubric, and the checks across its objects that building one runs.

:class:`Rubric` holds the parts (:mod:`promisescore.model.parts`); building one runs
:func:`relation_problems` — FORMAT.md §1–2's errors that no single object can see on
its own: duplicate ids, dangling references, ratings that do not fit the scale — and
raises :class:`~promisescore.errors.RubricError` listing every one. The warnings of
FORMAT.md §3, which a valid rubric may have, are :mod:`promisescore.validate`'s.

Problems here have a ``path`` that indexes the rubric's tuples, e.g.
``("evidence", 12, "promise")``; :mod:`promisescore.loading` turns those into file
names and line numbers.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any

import attrs

from ..dates import resolve_deadline
from ..errors import Problem, RubricError, UnknownIdError
from ..suggest import close_matches, did_you_mean
from .parts import (
    DESK_CONSENSUS_ROLES,
    ROLES_12,
    Assessment,
    Assessor,
    Category,
    Evidence,
    Grading,
    Promise,
    Report,
    Scale,
    _implicit_assessor,
    _meta_field,
    _tuple,
)

#: The format versions this version of promisescore reads.
FORMATS: tuple[str, ...] = ("1", "1.1", "1.2")


def path_problem(
    code: str,
    message: str,
    path: tuple[str | int, ...],
    kind: str,
    ident: str | None,
    hint: str | None = None,
    severity: str = "error",
) -> Problem:
    return Problem(
        code,
        message,
        severity="warning" if severity == "warning" else "error",
        hint=hint,
        object_kind=kind,
        object_id=ident,
        path=path,
    )


#: How many candidate comparisons "did you mean" hints may cost in one check. Past it,
#: unknown references are still reported, without a suggestion, so that a rubric with a
#: million dangling references is checked in seconds, not hours.
HINT_BUDGET = 2_000_000


class _Hints:
    """``did_you_mean`` for references, memoised and on a budget (see ``HINT_BUDGET``)."""

    def __init__(self, budget: int = HINT_BUDGET) -> None:
        self.budget = budget
        self.cache: dict[tuple[int, str], str | None] = {}

    def __call__(self, word: str, candidates: Collection[str]) -> str | None:
        key = (id(candidates), word)
        if key in self.cache:
            return self.cache[key]
        cost = max(1, len(candidates))
        if cost > self.budget:
            return None
        self.budget -= cost
        hint = did_you_mean(word, candidates)
        self.cache[key] = hint
        return hint


def _finite_total(weights: Iterable[float]) -> bool:
    try:
        return math.isfinite(math.fsum(weights))
    except OverflowError:
        return False


_ID, _PROMISE, _CRITERION = attrgetter("id"), attrgetter("promise"), attrgetter("criterion")
_VALUE, _RATING, _BY = attrgetter("value"), attrgetter("rating"), attrgetter("by")
_CITED = attrgetter("evidence")

#: Whether the checks of many objects first try to prove, column-wise (sets of ids and
#: references compared at once), that the per-object loops would find nothing, and skip
#: them then. The results are the same either way (tests compare them); the loops,
#: which word and locate each problem, run only where something may be wrong.
COLUMNWISE = True


def relation_problems(
    rubric: Rubric, missing: Mapping[str, Iterable[str]] | None = None
) -> list[Problem]:
    """Errors in the relations between a rubric's objects.

    ``missing`` names ids of objects that failed their own checks (the loader drops
    them), so references to them are not reported a second time.
    """
    gone = {kind: set(ids) for kind, ids in (missing or {}).items()}
    gone_promises = gone.get("promise", set())
    gone_evidence = gone.get("evidence", set())
    gone_categories = gone.get("category", set())
    out: list[Problem] = []
    scale = rubric.scale
    hint_for = _Hints()

    def unique(kind: str, key: str, ids: Iterable[str]) -> set[str]:
        listed = list(ids)
        distinct = set(listed)
        if COLUMNWISE and len(distinct) == len(listed):
            return distinct  # the common case, checked at once
        seen: set[str] = set()
        for index, ident in enumerate(listed):
            if ident in seen:
                out.append(
                    path_problem(
                        "E202",
                        f"duplicate {kind} id {ident!r}",
                        (key, index, "id"),
                        kind,
                        ident,
                        f"{kind} ids must be unique; rename one of them",
                    )
                )
            seen.add(ident)
        return distinct

    categories = unique("category", "categories", map(_ID, rubric.categories)) | gone_categories
    unique("promise", "promises", map(_ID, rubric.promises))
    evidence_ids = unique("evidence", "evidence", map(_ID, rubric.evidence)) | gone_evidence
    declared = unique("assessor", "assessors", map(_ID, rubric.declared_assessors))
    declared |= gone.get("assessor", set())
    out.extend(version_problems(rubric))
    promises = rubric.promise_index

    # Each weight is finite (the model checks that), but their sum may not be: scores
    # divide by sums of weights, so those sums must be finite numbers too.
    category_weights = [c.weight for c in rubric.categories if c.weight is not None]
    if rubric.promises and not _finite_total(
        [*(p.weight for p in rubric.promises), *category_weights]
    ):
        heaviest = max(range(len(rubric.promises)), key=lambda i: rubric.promises[i].weight)
        promise = rubric.promises[heaviest]
        out.append(
            path_problem(
                "E203",
                "the weights of the promises and categories add up to more than the largest "
                f"number a float can hold (about 1.8e308); the largest is promise {promise.id!r} "
                f"with weight {promise.weight:g}",
                ("promises", heaviest, "weight"),
                "promise",
                promise.id,
                "use weights of an ordinary size, e.g. from 1 to 100",
            )
        )

    for index, promise in enumerate(rubric.promises):
        path = ("promises", index)
        if promise.criteria and not _finite_total(c.weight for c in promise.criteria):
            out.append(
                path_problem(
                    "E203",
                    f"the criteria weights of promise {promise.id!r} add up to more than the "
                    "largest number a float can hold",
                    (*path, "criteria"),
                    "promise",
                    promise.id,
                    "use weights of an ordinary size, e.g. from 1 to 100",
                )
            )
        if promise.category is not None and promise.category not in categories:
            out.append(
                path_problem(
                    "E304",
                    f"promise {promise.id!r} names unknown category {promise.category!r}",
                    (*path, "category"),
                    "promise",
                    promise.id,
                    hint_for(promise.category, categories)
                    or "declare it in [[categories]] or remove the key",
                )
            )
        if promise.deadline is not None:
            if promise.deadline == "end-of-term" and rubric.report.end is None:
                out.append(
                    path_problem(
                        "E206",
                        f"promise {promise.id!r} has deadline 'end-of-term' but the report "
                        "has no end",
                        (*path, "deadline"),
                        "promise",
                        promise.id,
                        "set `end` in [report]",
                    )
                )
            else:
                try:
                    rubric.deadline_of(promise)
                except (ValueError, OverflowError) as exc:
                    out.append(
                        path_problem(
                            "E206",
                            f"deadline of promise {promise.id!r} cannot be computed: {exc}",
                            (*path, "deadline"),
                            "promise",
                            promise.id,
                        )
                    )

    # Column-wise first: when every evidence item names a known promise and none names
    # a criterion, the loop below has nothing to say (it runs only when it may).
    evidence_clean = (
        COLUMNWISE
        and promises.keys() >= set(map(_PROMISE, rubric.evidence))
        and set(map(_CRITERION, rubric.evidence)) <= {None}
    )
    for index, item in enumerate(() if evidence_clean else rubric.evidence):
        path = ("evidence", index)
        owner = promises.get(item.promise)
        if owner is None:
            if item.promise not in gone_promises:
                out.append(
                    path_problem(
                        "E301",
                        f"evidence {item.id!r} is about unknown promise {item.promise!r}",
                        (*path, "promise"),
                        "evidence",
                        item.id,
                        hint_for(item.promise, promises),
                    )
                )
        elif item.criterion is not None and owner.criterion(item.criterion) is None:
            out.append(_unknown_criterion("evidence", item.id, path, owner, item.criterion))

    percent = scale.is_percent
    v12 = rubric.format == "1.2"
    for index, entry in enumerate(
        () if _assessments_clean(rubric, evidence_ids, declared) else rubric.assessments
    ):
        path = ("assessments", index)
        owner = promises.get(entry.promise)
        if owner is None:
            if entry.promise not in gone_promises:
                out.append(
                    path_problem(
                        "E301",
                        f"assessment {entry.label} is of unknown promise {entry.promise!r}",
                        (*path, "promise"),
                        "assessment",
                        entry.label,
                        hint_for(entry.promise, promises),
                    )
                )
        elif owner.target is not None and not v12:
            out.append(
                path_problem(
                    "E309",
                    f"promise {owner.id!r} has a target, so it is scored from evidence "
                    f"values and cannot be assessed ({entry.label})",
                    path,
                    "assessment",
                    entry.label,
                    "attach the observed figure as `value` on an evidence entry instead, or "
                    'declare format = "1.2" to give a verdict on the whole promise',
                )
            )
        elif owner.criteria and entry.criterion is None and not v12:
            out.append(
                path_problem(
                    "E306",
                    f"promise {owner.id!r} has criteria, so assessment {entry.label} must name one",
                    path,
                    "assessment",
                    entry.label,
                    "criteria: "
                    + ", ".join(c.id for c in owner.criteria)
                    + '; or declare format = "1.2" to give a verdict on the whole promise',
                )
            )
        elif entry.criterion is not None and not owner.criteria:
            out.append(
                path_problem(
                    "E307",
                    # a target promise in format 1.2 takes verdicts, never of a criterion
                    f"promise {owner.id!r} has no criteria, so assessment {entry.label} must not "
                    "name one",
                    (*path, "criterion"),
                    "assessment",
                    entry.label,
                )
            )
        elif entry.criterion is not None and owner.criterion(entry.criterion) is None:
            out.append(_unknown_criterion("assessment", entry.label, path, owner, entry.criterion))

        if percent:
            if entry.rating is not None:
                out.append(
                    path_problem(
                        "E308",
                        f"the scale is 'percent', so assessment {entry.label} gives a `value`, "
                        "not a `rating`",
                        (*path, "rating"),
                        "assessment",
                        entry.label,
                    )
                )
            elif entry.value is None:
                out.append(
                    path_problem(
                        "E102",
                        f"assessment {entry.label} needs a `value` in [0, 1] (the scale is 'percent')",
                        path,
                        "assessment",
                        entry.label,
                    )
                )
        else:
            if entry.value is not None:
                out.append(
                    path_problem(
                        "E308",
                        f"assessment {entry.label} gives a `value`, which only the 'percent' scale takes",
                        (*path, "value"),
                        "assessment",
                        entry.label,
                        "give a `rating` (a level id of the scale) instead",
                    )
                )
            if entry.rating is None:
                out.append(
                    path_problem(
                        "E102",
                        f"assessment {entry.label} needs a `rating`",
                        path,
                        "assessment",
                        entry.label,
                        "levels: " + ", ".join(level.id for level in scale.levels),
                    )
                )
            elif not scale.has_level(entry.rating):
                out.append(
                    path_problem(
                        "E305",
                        f"assessment {entry.label} has rating {entry.rating!r}, which is not a level "
                        "of the scale",
                        (*path, "rating"),
                        "assessment",
                        entry.label,
                        did_you_mean(entry.rating, (level.id for level in scale.levels))
                        or "levels: " + ", ".join(level.id for level in scale.levels),
                    )
                )
        if declared and entry.by not in declared:
            out.append(
                path_problem(
                    "E310",
                    f"assessment {entry.label} is by {entry.by!r}, who is not in [[assessors]]",
                    (*path, "by"),
                    "assessment",
                    entry.label,
                    hint_for(entry.by, declared)
                    or "declare the assessor in [[assessors]] (id, name, role)",
                )
            )
        for ref in entry.evidence:
            if ref not in evidence_ids:
                out.append(
                    path_problem(
                        "E303",
                        f"assessment {entry.label} cites unknown evidence {ref!r}",
                        (*path, "evidence"),
                        "assessment",
                        entry.label,
                        hint_for(ref, evidence_ids),
                    )
                )

    grading = rubric.grading
    if grading.consensus == "mean" and not percent:
        out.append(
            path_problem(
                "E209",
                "consensus 'mean' needs the 'percent' scale (levels are ordinal)",
                ("grading", "consensus"),
                "grading",
                None,
                "use 'median', 'min' or 'max'",
            )
        )
    if grading.late is not None:
        if percent:
            out.append(
                path_problem(
                    "E209",
                    "grading.late names a level, and the 'percent' scale has none",
                    ("grading", "late"),
                    "grading",
                    None,
                )
            )
        elif not scale.has_level(grading.late):
            out.append(
                path_problem(
                    "E305",
                    f"grading.late {grading.late!r} is not a level of the scale",
                    ("grading", "late"),
                    "grading",
                    None,
                    did_you_mean(grading.late, (level.id for level in scale.levels)),
                )
            )
        elif scale.level(grading.late).unrated:
            out.append(
                path_problem(
                    "E209",
                    f"grading.late {grading.late!r} is an unrated level",
                    ("grading", "late"),
                    "grading",
                    None,
                )
            )
    return out


def _assessments_clean(rubric: Rubric, evidence_ids: set[str], declared: set[str]) -> bool:
    """Whether the per-assessment checks of :func:`relation_problems` would find
    nothing, proved column-wise (sets of the references, compared at once): every
    assessment rates a known promise that has neither criteria nor a target, names no
    criterion, gives a rating that is a level of the scale (not the percent scale) and
    no value, is by a declared assessor (when there are any), and cites known evidence.
    ``False`` says only that the loop must look."""
    scale = rubric.scale
    if not COLUMNWISE or scale.is_percent:
        return False
    entries = rubric.assessments
    promises = rubric.promise_index
    rated = set(map(_PROMISE, entries))
    if not promises.keys() >= rated:
        return False
    for promise_id in rated:
        owner = promises[promise_id]
        if owner.target is not None or owner.criteria:
            return False
    if not set(map(_CRITERION, entries)) <= {None} or not set(map(_VALUE, entries)) <= {None}:
        return False
    ratings = set(map(_RATING, entries))
    if not all(r is not None and scale.has_level(r) for r in ratings):
        return False
    if declared and not set(map(_BY, entries)) <= declared:
        return False
    return set(chain.from_iterable(map(_CITED, entries))) <= evidence_ids


#: Hint of E010: how to declare the version the 1.1 keys need.
V11_HINT = 'declare format = "1.1" at the top of the file (or remove the key)'
#: Hint of E010: how to declare the version the 1.2 keys need.
V12_HINT = 'declare format = "1.2" at the top of the file (or remove the key)'


def version_problems(rubric: Rubric) -> list[Problem]:
    """E008 for an unknown ``format``; E010 for each format-1.1 key in a format-1 rubric
    and each format-1.2 key or value in a format 1 or 1.1 rubric."""
    if rubric.format not in FORMATS:
        return [
            path_problem(
                "E008",
                f"unsupported format {rubric.format!r}",
                ("format",),
                "rubric",
                None,
                'this version of promisescore reads format 1, "1.1" and "1.2"',
            )
        ]
    if rubric.format == "1.2":
        return []
    out = _v12_problems(rubric)
    if rubric.format != "1":
        return out

    def v11(what: str, path: tuple[str | int, ...], kind: str, ident: str | None) -> None:
        out.append(
            path_problem(
                "E010",
                f"{what} is a format 1.1 feature, but the rubric declares format = 1",
                path,
                kind,
                ident,
                V11_HINT,
            )
        )

    if rubric.declared_assessors:
        v11("[[assessors]]", ("assessors", 0), "assessor", rubric.declared_assessors[0].id)
    grading = rubric.grading
    if grading.consensus_roles is not None:
        v11("grading.consensus_roles", ("grading", "consensus_roles"), "grading", None)
    if grading.stale_after is not None:
        v11("grading.stale_after", ("grading", "stale_after"), "grading", None)
    if not grading.bands:
        v11("bands = [] (no grades)", ("grading", "bands"), "grading", None)
    for index, entry in enumerate(rubric.assessments):
        if entry.effective is not None:
            v11(
                f"effective (assessment {entry.label})",
                ("assessments", index, "effective"),
                "assessment",
                entry.label,
            )
    return out


def _v12_problems(rubric: Rubric) -> list[Problem]:
    """E010 for each format-1.2 key or value (FORMAT.md §8) in a format 1 or 1.1 rubric."""
    declared = "1" if rubric.format == "1" else '"1.1"'
    out: list[Problem] = []

    def v12(what: str, path: tuple[str | int, ...], kind: str, ident: str | None) -> None:
        out.append(
            path_problem(
                "E010",
                f"{what} is a format 1.2 feature, but the rubric declares format = {declared}",
                path,
                kind,
                ident,
                V12_HINT,
            )
        )

    for index, assessor in enumerate(rubric.declared_assessors):
        if assessor.role in ROLES_12:
            v12(
                f"role {assessor.role!r} (assessor {assessor.id!r})",
                ("assessors", index, "role"),
                "assessor",
                assessor.id,
            )
    grading = rubric.grading
    if grading.stale is not None:
        v12("grading.stale", ("grading", "stale"), "grading", None)
    for role in grading.consensus_roles or ():
        if role in ROLES_12:
            v12(
                f"role {role!r} in grading.consensus_roles",
                ("grading", "consensus_roles"),
                "grading",
                None,
            )
    sourced: tuple[tuple[str, str, Sequence[Promise | Evidence]], ...] = (
        ("promise", "promises", rubric.promises),
        ("evidence", "evidence", rubric.evidence),
    )
    for kind, array, items in sourced:
        for index, item in enumerate(items):
            source = item.source
            if source is None:
                continue
            for key in ("archive", "archived_on", "sha256"):  # FORMAT.md §8.9
                if getattr(source, key, None) is not None:
                    v12(
                        f"source {key} ({kind} {item.id})",
                        (array, index, "source", key),
                        kind,
                        item.id,
                    )
    for index, promise in enumerate(rubric.promises):
        if promise.umbrella:
            v12(
                f"umbrella (promise {promise.id!r})",
                ("promises", index, "umbrella"),
                "promise",
                promise.id,
            )
    for index, entry in enumerate(rubric.assessments):
        for key in ("author", "headline", "url"):
            if getattr(entry, key) is not None:
                v12(
                    f"{key} (assessment {entry.label})",
                    ("assessments", index, key),
                    "assessment",
                    entry.label,
                )
    return out


def _unknown_criterion(
    kind: str, ident: str, path: tuple[str | int, ...], promise: Promise, criterion: str
) -> Problem:
    names = [c.id for c in promise.criteria]
    return path_problem(
        "E302",
        f"{kind} {ident} names criterion {criterion!r}, which promise {promise.id!r} does not have",
        (*path, "criterion"),
        kind,
        ident,
        did_you_mean(criterion, names)
        or ("criteria: " + ", ".join(names) if names else "the promise has no criteria"),
    )


# --------------------------------------------------------------------------- rubric

_TRUSTED: contextvars.ContextVar[bool] = contextvars.ContextVar("_TRUSTED", default=False)


@attrs.frozen
class Rubric:
    """A whole rubric: report, scale, grading, categories, promises, evidence, assessments.

    Building one checks every relation between its objects; on any error it raises
    :class:`~promisescore.errors.RubricError` listing them all.
    """

    report: Report
    scale: Scale
    promises: tuple[Promise, ...] = attrs.field(converter=_tuple)
    grading: Grading = attrs.field(factory=Grading)
    categories: tuple[Category, ...] = attrs.field(default=(), converter=_tuple)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_tuple)
    assessments: tuple[Assessment, ...] = attrs.field(default=(), converter=_tuple)
    meta: Mapping[str, Any] = _meta_field()
    #: The declared format: ``"1"`` or ``"1.1"`` (FORMAT.md §7).
    format: str = attrs.field(default="1", kw_only=True)
    #: The ``[[assessors]]`` table (format 1.1); empty when the rubric declares none.
    declared_assessors: tuple[Assessor, ...] = attrs.field(
        default=(), converter=_tuple, kw_only=True
    )
    #: Where each object came from (set by the loader; not part of equality).
    origin: Any = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if _TRUSTED.get():
            return
        wrong = self._wrong_types()
        if wrong:
            raise RubricError(wrong)
        problems = [p for p in relation_problems(self) if p.is_error]
        if problems:
            raise RubricError(problems)

    def _wrong_types(self) -> list[Problem]:
        """E103 for every part of the wrong class (``scale="politifact"`` instead of
        ``Scale("politifact")``), before anything relies on their attributes."""
        expected: tuple[tuple[str, type, bool], ...] = (
            ("report", Report, False),
            ("scale", Scale, False),
            ("grading", Grading, False),
            ("categories", Category, True),
            ("promises", Promise, True),
            ("evidence", Evidence, True),
            ("assessments", Assessment, True),
        )
        problems: list[Problem] = []
        for key, cls, many in expected:
            value = getattr(self, key)
            items = value if many else (value,)
            for index, item in enumerate(items):
                if not isinstance(item, cls):
                    where = f"{key}[{index}]" if many else key
                    hint = f"build it with {cls.__name__}(...)"
                    if cls is Scale and isinstance(item, str):
                        hint = f"write Scale({item!r}) for a built-in scale"
                    problems.append(
                        Problem(
                            "E103",
                            f"{where} of the rubric must be a {cls.__name__}, "
                            f"not {type(item).__name__}",
                            hint=hint,
                            object_kind="rubric",
                            path=(key, index) if many else (key,),
                        )
                    )
        return problems

    @cached_property
    def promise_index(self) -> dict[str, Promise]:
        return dict(zip(map(_ID, self.promises), self.promises, strict=True))

    @cached_property
    def category_index(self) -> dict[str, Category]:
        return dict(zip(map(_ID, self.categories), self.categories, strict=True))

    @cached_property
    def evidence_index(self) -> dict[str, Evidence]:
        return dict(zip(map(_ID, self.evidence), self.evidence, strict=True))

    @cached_property
    def evidence_by_promise(self) -> dict[str, tuple[Evidence, ...]]:
        grouped: dict[str, list[Evidence]] = {}
        for item in self.evidence:
            grouped.setdefault(item.promise, []).append(item)
        return {key: tuple(items) for key, items in grouped.items()}

    @cached_property
    def assessments_by_promise(self) -> dict[str, tuple[Assessment, ...]]:
        grouped: dict[str, list[Assessment]] = {}
        for item in self.assessments:
            grouped.setdefault(item.promise, []).append(item)
        return {key: tuple(items) for key, items in grouped.items()}

    @cached_property
    def assessors(self) -> tuple[str, ...]:
        """Every assessor name, sorted."""
        return tuple(sorted({a.by for a in self.assessments}))

    @cached_property
    def assessor_index(self) -> dict[str, Assessor]:
        """Declared assessors by id (empty without an ``[[assessors]]`` table)."""
        return {a.id: a for a in self.declared_assessors}

    def assessor(self, ident: str) -> Assessor:
        """The assessor a ``by`` names: the declared one, or (without a table, or for an
        undeclared name) an implicit independent assessor named by its id (§7.1)."""
        found = self.assessor_index.get(ident)
        return found if found is not None else _implicit_assessor(ident)

    def role_of(self, ident: str) -> str:
        """The role of the assessor a ``by`` names (``independent`` when undeclared)."""
        found = self.assessor_index.get(ident)
        return found.role if found is not None else "independent"

    @cached_property
    def has_desk(self) -> bool:
        """Whether an assessor has the role ``desk`` (format 1.2, FORMAT.md §8.1)."""
        return any(a.role == "desk" for a in self.declared_assessors)

    @cached_property
    def counted_roles(self) -> tuple[str, ...]:
        """The roles whose assessments count in the headline: ``consensus_roles``, or
        its default: ``["desk"]`` in a format 1.2 rubric with a desk assessor
        (FORMAT.md §8.1), else independent and advocacy (§7.1)."""
        grading = self.grading
        if grading.consensus_roles is None and self.format == "1.2" and self.has_desk:
            return DESK_CONSENSUS_ROLES
        return grading.roles

    def promise(self, promise_id: str) -> Promise:
        """The promise with this id; raises :class:`UnknownIdError` with near matches."""
        try:
            return self.promise_index[promise_id]
        except KeyError:
            raise UnknownIdError(
                "promise", promise_id, close_matches(promise_id, self.promise_index)
            ) from None

    def deadline_of(self, promise: Promise) -> date | None:
        """The calendar date of a promise's deadline (``None`` when it has none)."""
        if promise.deadline is None:
            return None
        return resolve_deadline(promise.deadline, self.report.start, self.report.end)

    def dates(self) -> Iterator[date]:
        """Every evidence and assessment date, in file order."""
        return map(attrgetter("date"), chain(self.evidence, self.assessments))

    def default_as_of(self, *, reviewers: bool = False) -> date:
        """FORMAT.md §4.1: ``report.as_of``, else the latest evidence/assessment date (in
        format 1.2 not counting reviewers' assessments unless ``reviewers``: a reviewer
        never counts in §4, §8.1)."""
        if self.report.as_of is not None:
            return self.report.as_of
        if not reviewers and self.reviewers:
            return max(
                chain(
                    map(attrgetter("date"), self.evidence),
                    (a.date for a in self.assessments if a.by not in self.reviewers),
                ),
                default=self.report.start,
            )
        return max(self.dates(), default=self.report.start)

    @cached_property
    def reviewers(self) -> frozenset[str]:
        """The ids of the assessors with the role ``reviewer`` (format 1.2, §8.1)."""
        if self.format != "1.2":
            return frozenset()
        return frozenset(a.id for a in self.declared_assessors if a.role == "reviewer")


class trusted:
    """Build a :class:`Rubric` without re-running relation checks already done by a caller."""

    def __enter__(self) -> None:
        self._token = _TRUSTED.set(True)

    def __exit__(self, *exc: object) -> None:
        _TRUSTED.reset(self._token)
