"""The warnings of FORMAT.md §3: what makes a valid rubric weak.

``warning_problems`` finds promises without evidence, uncited ratings, unsupported
"kept" ratings, items dated outside the promise's life (and, for format 1.1, evidence
newer than the latest assessment and conflicting figures). They fail a check only with
``--strict``. The errors across objects that building a rubric already rules out
(duplicate ids, dangling references, ratings that do not fit the scale) are
:func:`promisescore.model.rubric.relation_problems`. Every problem has a
``path`` that indexes the rubric's tuples, e.g. ``("evidence", 12, "promise")``;
:mod:`promisescore.loading` turns those into file names and line numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import compress, count
from operator import attrgetter

from .errors import Problem
from .model import Assessment, Evidence, Rubric
from .model import rubric as _relations
from .model.parts import INDEPENDENT_KINDS
from .model.rubric import (
    path_problem,
)


def warning_problems(rubric: Rubric) -> list[Problem]:
    """The warnings of FORMAT.md §3 (they fail a check only with ``--strict``)."""
    out: list[Problem] = []
    by_promise = rubric.evidence_by_promise
    end = rubric.report.end
    scale = rubric.scale

    def warn(
        code: str, message: str, path: tuple[str | int, ...], kind: str, ident: str, hint: str
    ) -> None:
        out.append(path_problem(code, message, path, kind, ident, hint, severity="warning"))

    if not rubric.promises:
        out.append(
            Problem(
                "W112",
                "the rubric has no promises yet",
                severity="warning",
                hint="add one: promisescore add promise RUBRIC --title ... (or a [[promises]] "
                "table)",
            )
        )
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
    assessments = rubric.assessments
    # column-wise first: which assessments cite nothing, which rate "kept"
    uncited = not _relations.COLUMNWISE or not all(map(_CITED, assessments))
    if percent:
        kept = [value is not None and value >= 1.0 for value in map(_VALUE, assessments)]
    else:
        kept = list(map(full.__contains__, map(_RATING, assessments)))
    for index in range(len(assessments)) if uncited else compress(count(), kept):
        item = assessments[index]
        if uncited and not item.evidence:
            warn(
                "W102",
                f"assessment {item.label} cites no evidence",
                ("assessments", index),
                "assessment",
                item.label,
                "list the evidence ids it rests on in `evidence = [...]`",
            )
        if kept[index]:
            full_ratings.append((index, item.promise))
    warned: set[str] = set()
    # promises with an independent source among their own evidence: never W103
    backed = (
        set(
            compress(
                map(_PROMISE, rubric.evidence),
                map(INDEPENDENT_KINDS.__contains__, map(_SOURCE_KIND, rubric.evidence)),
            )
        )
        if full_ratings
        else set()
    )
    for index, promise_id in full_ratings:
        if promise_id in warned or (_relations.COLUMNWISE and promise_id in backed):
            continue
        item = rubric.assessments[index]
        evidence_index = rubric.evidence_index
        sources = [evidence_index[e].source for e in item.evidence if e in evidence_index]
        if not _relations.COLUMNWISE:
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
        if (
            _relations.COLUMNWISE
            and not made
            and (end is None or max(_dates(dated_items), default=end) <= end)
        ):
            continue  # nothing is early or late: checked at once
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


def _dates(items: Sequence[Evidence | Assessment]) -> Iterable[date]:
    return map(_DATE, items)


_CITED, _VALUE, _RATING = attrgetter("evidence"), attrgetter("value"), attrgetter("rating")
_PROMISE, _SOURCE_KIND, _DATE = attrgetter("promise"), attrgetter("source.kind"), attrgetter("date")


def v11_warnings(rubric: Rubric) -> list[Problem]:
    """The warnings format 1.1 adds: W106 (evidence newer than the promise's latest
    assessment, FORMAT.md §7.3) and W107 (conflicting figures, §7.7). In format 1.2,
    W106 depends on each promise's consensus (§8.2), so the scoring layer raises it
    (:func:`promisescore.scoring.verdicts.verdict_warnings`)."""
    positions = {e.id: i for i, e in enumerate(rubric.evidence)}
    out = [] if rubric.format == "1.2" else newer_evidence_warnings(rubric)
    out.extend(_conflicting_figures(rubric, positions))
    return out


def newer_evidence_warnings(
    rubric: Rubric,
    quiet: Iterable[str] = (),
    counted: Callable[[Assessment], bool] | None = None,
) -> list[Problem]:
    """W106 for each promise with evidence dated after its latest assessment (FORMAT.md
    §7.3), but none for the promises in ``quiet`` (format 1.2: those whose consensus is
    at a final level, §8.2). With ``counted`` (format 1.2), only the assessments it
    accepts are looked at (not a reviewer's, §8.1: its later rating never silences the
    warning)."""
    out: list[Problem] = []
    skip = set(quiet)
    positions = {e.id: i for i, e in enumerate(rubric.evidence)}
    latest: dict[str, date] = {}
    for entry in rubric.assessments:
        if counted is not None and not counted(entry):
            continue
        current = latest.get(entry.promise)
        if current is None or entry.date > current:
            latest[entry.promise] = entry.date
    for promise_id, assessed in latest.items():
        if promise_id in skip:
            continue
        newer = [e for e in rubric.evidence_by_promise.get(promise_id, ()) if e.date > assessed]
        if not newer:
            continue
        item = max(newer, key=lambda e: e.date)
        out.append(
            path_problem(
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
    return out


def _conflicting_figures(rubric: Rubric, positions: dict[str, int]) -> list[Problem]:
    """W107 (FORMAT.md §7.7)."""
    out: list[Problem] = []
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
            path_problem(
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
