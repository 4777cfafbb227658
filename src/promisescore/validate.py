"""Checks across objects (FORMAT.md §1–2) and the warnings of FORMAT.md §3.

``relation_problems`` finds errors no single object can see on its own: duplicate ids,
dangling references, ratings that do not fit the scale. ``warning_problems`` finds what makes a
valid rubric weak: promises without evidence, uncited ratings, unsupported "kept" ratings,
items dated outside the promise's life. Both return problems whose ``path`` indexes the
rubric's tuples, e.g. ``("evidence", 12, "promise")``; :mod:`promisescore.loading`
turns those into file names and line numbers.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from .errors import Problem
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .model import Assessment, Evidence, Promise, Rubric

#: The format versions this version of promisescore reads (re-exported by the model).
FORMATS: tuple[str, ...] = ("1", "1.1")


def _problem(
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

    def unique(kind: str, key: str, ids: Iterable[str]) -> None:
        seen: set[str] = set()
        for index, ident in enumerate(ids):
            if ident in seen:
                out.append(
                    _problem(
                        "E202",
                        f"duplicate {kind} id {ident!r}",
                        (key, index, "id"),
                        kind,
                        ident,
                        f"{kind} ids must be unique; rename one of them",
                    )
                )
            seen.add(ident)

    unique("category", "categories", (c.id for c in rubric.categories))
    unique("promise", "promises", (p.id for p in rubric.promises))
    unique("evidence", "evidence", (e.id for e in rubric.evidence))
    unique("assessor", "assessors", (a.id for a in rubric.declared_assessors))
    out.extend(version_problems(rubric))
    declared = {a.id for a in rubric.declared_assessors} | gone.get("assessor", set())

    categories = {c.id for c in rubric.categories} | gone_categories
    promises = rubric.promise_index
    evidence_ids = {e.id for e in rubric.evidence} | gone_evidence

    # Each weight is finite (the model checks that), but their sum may not be: scores
    # divide by sums of weights, so those sums must be finite numbers too.
    category_weights = [c.weight for c in rubric.categories if c.weight is not None]
    if rubric.promises and not _finite_total(
        [*(p.weight for p in rubric.promises), *category_weights]
    ):
        heaviest = max(range(len(rubric.promises)), key=lambda i: rubric.promises[i].weight)
        promise = rubric.promises[heaviest]
        out.append(
            _problem(
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
                _problem(
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
                _problem(
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
                    _problem(
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
                        _problem(
                            "E206",
                            f"deadline of promise {promise.id!r} cannot be computed: {exc}",
                            (*path, "deadline"),
                            "promise",
                            promise.id,
                        )
                    )

    for index, item in enumerate(rubric.evidence):
        path = ("evidence", index)
        owner = promises.get(item.promise)
        if owner is None:
            if item.promise not in gone_promises:
                out.append(
                    _problem(
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
    for index, entry in enumerate(rubric.assessments):
        path = ("assessments", index)
        owner = promises.get(entry.promise)
        if owner is None:
            if entry.promise not in gone_promises:
                out.append(
                    _problem(
                        "E301",
                        f"assessment {entry.label} is of unknown promise {entry.promise!r}",
                        (*path, "promise"),
                        "assessment",
                        entry.label,
                        hint_for(entry.promise, promises),
                    )
                )
        elif owner.target is not None:
            out.append(
                _problem(
                    "E309",
                    f"promise {owner.id!r} has a target, so it is scored from evidence "
                    f"values and cannot be assessed ({entry.label})",
                    path,
                    "assessment",
                    entry.label,
                    "attach the observed figure as `value` on an evidence entry instead",
                )
            )
        elif owner.criteria and entry.criterion is None:
            out.append(
                _problem(
                    "E306",
                    f"promise {owner.id!r} has criteria, so assessment {entry.label} must name one",
                    path,
                    "assessment",
                    entry.label,
                    "criteria: " + ", ".join(c.id for c in owner.criteria),
                )
            )
        elif entry.criterion is not None and not owner.criteria:
            out.append(
                _problem(
                    "E307",
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
                    _problem(
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
                    _problem(
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
                    _problem(
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
                    _problem(
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
                    _problem(
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
                _problem(
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
                    _problem(
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
            _problem(
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
                _problem(
                    "E209",
                    "grading.late names a level, and the 'percent' scale has none",
                    ("grading", "late"),
                    "grading",
                    None,
                )
            )
        elif not scale.has_level(grading.late):
            out.append(
                _problem(
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
                _problem(
                    "E209",
                    f"grading.late {grading.late!r} is an unrated level",
                    ("grading", "late"),
                    "grading",
                    None,
                )
            )
    return out


#: Hint of E010: how to declare the version the 1.1 keys need.
V11_HINT = 'declare format = "1.1" at the top of the file (or remove the key)'


def version_problems(rubric: Rubric) -> list[Problem]:
    """E008 for an unknown ``format``; E010 for each format-1.1 key in a format-1 rubric."""
    if rubric.format not in FORMATS:
        return [
            _problem(
                "E008",
                f"unsupported format {rubric.format!r}",
                ("format",),
                "rubric",
                None,
                'this version of promisescore reads format 1 and format "1.1"',
            )
        ]
    if rubric.format != "1":
        return []
    out: list[Problem] = []

    def v11(what: str, path: tuple[str | int, ...], kind: str, ident: str | None) -> None:
        out.append(
            _problem(
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


def _unknown_criterion(
    kind: str, ident: str, path: tuple[str | int, ...], promise: Promise, criterion: str
) -> Problem:
    names = [c.id for c in promise.criteria]
    return _problem(
        "E302",
        f"{kind} {ident} names criterion {criterion!r}, which promise {promise.id!r} does not have",
        (*path, "criterion"),
        kind,
        ident,
        did_you_mean(criterion, names)
        or ("criteria: " + ", ".join(names) if names else "the promise has no criteria"),
    )


def warning_problems(rubric: Rubric) -> list[Problem]:
    """The warnings of FORMAT.md §3 (they fail a check only with ``--strict``)."""
    out: list[Problem] = []
    evidence_index = rubric.evidence_index
    by_promise = rubric.evidence_by_promise
    end = rubric.report.end
    scale = rubric.scale

    def warn(
        code: str, message: str, path: tuple[str | int, ...], kind: str, ident: str, hint: str
    ) -> None:
        out.append(_problem(code, message, path, kind, ident, hint, severity="warning"))

    for index, promise in enumerate(rubric.promises):
        if promise.id not in by_promise:
            warn(
                "W101",
                f"promise {promise.id!r} has no evidence",
                ("promises", index),
                "promise",
                promise.id,
                "add an [[evidence]] item with promise = " + repr(promise.id),
            )

    # A "kept" rating (final level of value 1, or value 1 on the percent scale) needs an
    # independent source among the evidence it cites or the promise's own evidence.
    full_ratings: list[tuple[int, str]] = []
    percent = scale.is_percent
    full = {level.id for level in scale.levels if level.final and level.value == 1.0}
    for index, item in enumerate(rubric.assessments):
        if not item.evidence:
            warn(
                "W102",
                f"assessment {item.label} cites no evidence",
                ("assessments", index),
                "assessment",
                item.label,
                "list the evidence ids it rests on in `evidence = [...]`",
            )
        if (item.value is not None and item.value >= 1.0) if percent else item.rating in full:
            full_ratings.append((index, item.promise))
    warned: set[str] = set()
    for index, promise_id in full_ratings:
        if promise_id in warned:
            continue
        item = rubric.assessments[index]
        sources = [evidence_index[e].source for e in item.evidence if e in evidence_index]
        sources += [e.source for e in by_promise.get(promise_id, ())]
        if not any(source.independent for source in sources):
            warned.add(promise_id)
            warn(
                "W103",
                f"promise {promise_id!r} is rated fully kept ({item.label}) but no cited or "
                "attached evidence has a source of kind 'record' or 'report'",
                ("assessments", index),
                "assessment",
                item.label,
                "cite a primary record or an independent report",
            )
    for index, promise in enumerate(rubric.promises):
        if promise.target is None or promise.id in warned:
            continue
        items = by_promise.get(promise.id, ())
        reached = any(
            e.value is not None and promise.target.fulfillment(e.value) >= 1.0 for e in items
        )
        if reached and not any(e.source.independent for e in items):
            warn(
                "W103",
                f"promise {promise.id!r} reached its target but no attached evidence has a "
                "source of kind 'record' or 'report'",
                ("promises", index),
                "promise",
                promise.id,
                "attach the figure from a primary record or an independent report",
            )

    made: dict[str, date] = {p.id: p.made_on for p in rubric.promises if p.made_on is not None}
    dated: tuple[tuple[str, str, Sequence[Evidence | Assessment]], ...] = (
        ("evidence", "evidence", rubric.evidence),
        ("assessments", "assessment", rubric.assessments),
    )
    for key, kind, dated_items in dated:
        for index, thing in enumerate(dated_items):
            when = thing.date
            made_on = made.get(thing.promise)
            early = made_on is not None and when < made_on
            if not early and (end is None or when <= end):
                continue  # the common case: nothing to say, and no label to build
            ident = str(getattr(thing, "id" if key == "evidence" else "label"))
            if early:
                warn(
                    "W104",
                    f"{kind} {ident} is dated {when}, before promise {thing.promise!r} was made "
                    f"({made_on})",
                    (key, index, "date"),
                    kind,
                    ident,
                    "check the date, or the promise's made_on",
                )
            if end is not None and when > end:
                warn(
                    "W105",
                    f"{kind} {ident} is dated {when}, after the end of the term ({end})",
                    (key, index, "date"),
                    kind,
                    ident,
                    "check the date, or the report's end",
                )
    if rubric.format != "1":
        out.extend(v11_warnings(rubric))
    out.sort(key=_path_order)
    return out


def v11_warnings(rubric: Rubric) -> list[Problem]:
    """The warnings format 1.1 adds: W106 (evidence newer than the promise's latest
    assessment, FORMAT.md §7.3) and W107 (conflicting figures, §7.7)."""
    out: list[Problem] = []
    positions = {e.id: i for i, e in enumerate(rubric.evidence)}
    latest: dict[str, date] = {}
    for entry in rubric.assessments:
        current = latest.get(entry.promise)
        if current is None or entry.date > current:
            latest[entry.promise] = entry.date
    for promise_id, assessed in latest.items():
        newer = [e for e in rubric.evidence_by_promise.get(promise_id, ()) if e.date > assessed]
        if not newer:
            continue
        item = max(newer, key=lambda e: e.date)
        out.append(
            _problem(
                "W106",
                f"promise {promise_id!r} has evidence dated after its latest assessment "
                f"({assessed}): {len(newer)} item(s), the newest {item.id!r} of {item.date}",
                ("evidence", positions[item.id]),
                "evidence",
                item.id,
                "re-assess the promise in the light of the new evidence (a new "
                "[[assessments]] entry), or check the dates",
                severity="warning",
            )
        )
    when = rubric.default_as_of()
    for promise in rubric.promises:
        if promise.target is None:
            continue
        valued = [
            e
            for e in rubric.evidence_by_promise.get(promise.id, ())
            if e.value is not None and e.date <= when
        ]
        deciding: Evidence | None = None
        for e in valued:
            if deciding is None or e.date >= deciding.date:
                deciding = e
        if deciding is None or deciding.source.kind not in ("claim", "advocacy"):
            continue
        earlier = [
            e
            for e in valued
            if e is not deciding
            and e.date <= deciding.date
            and e.source.independent
            and e.value != deciding.value
        ]
        if not earlier:
            continue
        other = max(earlier, key=lambda e: e.date)
        out.append(
            _problem(
                "W107",
                f"promise {promise.id!r} is scored from {deciding.value:g} ({deciding.id!r}, a "
                f"{deciding.source.kind} source, {deciding.date}), but {other.id!r} "
                f"({other.source.kind}, {other.date}) gave {other.value:g}",
                ("evidence", positions[deciding.id], "value"),
                "evidence",
                deciding.id,
                "check the figures; add the current figure from a record or an independent "
                "report if there is one (the score uses the latest value)",
                severity="warning",
            )
        )
    return out


_KIND_ORDER = {"report": 0, "scale": 1, "grading": 2, "categories": 3, "promises": 4}


def _path_order(problem: Problem) -> tuple[int, int]:
    head = problem.path[0] if problem.path else ""
    index = problem.path[1] if len(problem.path) > 1 and isinstance(problem.path[1], int) else 0
    return (_KIND_ORDER.get(str(head), 5 if head == "evidence" else 6), index)
