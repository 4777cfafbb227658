"""Reviewing a change before it is published: what a new version of a rubric does to
the published record (the pull-request comment of ``diff --git``).

:func:`review` takes the two versions (the old one may not exist: a new tracker) with
their scorecard :class:`~promisescore.analysis.Diff` and their warnings, and lists the
promises whose status changes, each with the updates behind the change (the new
assessments of the promise: who, when, the headline and link of FORMAT §8.7, the
sources of the evidence they cite), the promises added and removed, and the warnings
the new version brings. Nothing is scored here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from ..errors import Problem
from ..loading import CheckResult
from ..model import Assessment, Rubric
from .diffs import Diff, PromiseChange


@attrs.frozen
class SourceLink:
    """A source an update rests on: its title and, when it has one, its address."""

    title: str
    url: str | None = None


@attrs.frozen
class Update:
    """One assessment behind a status change."""

    by: str
    date: str
    rating: str | None
    value: float | None = None
    headline: str | None = None
    url: str | None = None
    author: str | None = None
    sources: tuple[SourceLink, ...] = ()


@attrs.frozen
class StatusChange:
    """A promise whose status (FORMAT §7.6) differs between the versions; for a promise
    the change adds, ``old`` is ``None`` and ``updates`` are its assessments."""

    promise: str
    title: str
    old: str | None
    new: str | None
    updates: tuple[Update, ...] = ()
    #: The promise's change in the diff (both sides' scores, for their standing).
    change: PromiseChange | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Review:
    """What the new version changes: the diff, the status changes with their updates,
    the promises added (each with its status and the updates behind it) and removed
    (id, title), the warnings the new version brings, and whether the old version
    existed at all. Render it with ``render(review, "markdown")``."""

    diff: Diff
    status_changes: tuple[StatusChange, ...]
    added: tuple[StatusChange, ...]
    removed: tuple[tuple[str, str], ...]
    new_warnings: tuple[Problem, ...]
    old_existed: bool = True
    new_exists: bool = True
    #: The new version as loaded (``None`` when the change deletes the rubric).
    rubric: Rubric | None = attrs.field(default=None, eq=False, repr=False)


def _key(a: Assessment) -> tuple[object, ...]:
    return (a.promise, a.criterion, a.by, a.date, a.rating, a.value, a.evidence, a.note)


def _updates(old: Rubric | None, new: Rubric, promise: str) -> tuple[Update, ...]:
    """The new version's assessments of ``promise`` that the old one lacks (when none
    is new, the newest ones), oldest first."""
    before = {_key(a) for a in old.assessments if a.promise == promise} if old else set()
    # a reviewer's rating is an internal check, never shown with the record (§8.1)
    hidden = {a.id for a in new.declared_assessors if a.role == "reviewer"}
    mine = [a for a in new.assessments if a.promise == promise and a.by not in hidden]
    fresh = [a for a in mine if _key(a) not in before]
    if not fresh and mine:
        newest = max(a.date for a in mine)
        fresh = [a for a in mine if a.date == newest]
    index = new.evidence_index
    found = []
    for a in sorted(fresh, key=lambda a: (a.date, a.by)):
        sources: dict[SourceLink, None] = {}
        for ident in a.evidence:
            evidence = index.get(ident)
            if evidence is not None and evidence.source is not None:
                sources.setdefault(SourceLink(evidence.source.title, evidence.source.url), None)
        found.append(
            Update(
                by=a.by,
                date=a.date.isoformat(),
                rating=a.rating,
                value=a.value,
                headline=getattr(a, "headline", None),
                url=getattr(a, "url", None),
                author=getattr(a, "author", None),
                sources=tuple(sources),
            )
        )
    return tuple(found)


def review(
    diff: Diff,
    new: Rubric,
    old: Rubric | None,
    *,
    new_warnings: Iterable[Problem] = (),
    old_warnings: Iterable[Problem] = (),
    new_exists: bool = True,
) -> Review:
    """The review of the change from ``old`` (``None``: the rubric did not exist, and
    everything counts as added) to ``new``, whose scorecards ``diff`` compares
    (``new_exists=False``: the change deletes the rubric, and ``new`` is its empty
    version, so everything counts as removed)."""
    changes: list[StatusChange] = []
    added: list[StatusChange] = []
    removed: list[tuple[str, str]] = []
    for change in diff.changes:
        if change.change == "added":
            status = change.new.status if change.new is not None else None
            added.append(
                StatusChange(
                    change.promise,
                    change.title,
                    None,
                    status,
                    _updates(old, new, change.promise),
                    change,
                )
            )
        elif change.change == "removed":
            removed.append((change.promise, change.title))
        elif (
            change.old is not None
            and change.new is not None
            and change.old.status != change.new.status
        ):
            changes.append(
                StatusChange(
                    change.promise,
                    change.title,
                    change.old.status,
                    change.new.status,
                    _updates(old, new, change.promise),
                    change,
                )
            )
    known = {(p.code, p.message) for p in old_warnings}
    fresh: Sequence[Problem] = [p for p in new_warnings if (p.code, p.message) not in known]
    return Review(
        diff=diff,
        status_changes=tuple(changes),
        added=tuple(added),
        removed=tuple(removed),
        new_warnings=tuple(fresh),
        old_existed=old is not None,
        new_exists=new_exists,
        rubric=new if new_exists else None,
    )


def review_git(
    path: str | os.PathLike[str],
    rev: str,
    new_rev: str | None = None,
    *,
    as_of: date | None = None,
    assessor: str | None = None,
    vs_assessor: str | None = None,
) -> Review:
    """What the change from git revision ``rev`` to the working tree (or to ``new_rev``)
    does to the rubric ``path`` (with its includes): ``diff --git REV [--git REV2]
    RUBRIC``. Both versions are read through git (no checkout). A rubric absent at
    ``rev`` counts as all added; one absent from the new side (deleted by the change) as
    all removed. Raises :class:`~promisescore.loading.git.GitError` when git cannot give
    a revision, :class:`~promisescore.errors.InputFileError` when the rubric exists on
    neither side, and :class:`~promisescore.errors.RubricError` with the problems of an
    invalid version."""
    from ..arguments import require
    from ..errors import InputFileError, RubricError
    from ..loading import check
    from ..loading.git import check_at
    from ..scoring import score
    from ..scoring.verdicts import with_verdict_warnings
    from .diffs import diff as compute

    require(path, (str, os.PathLike), "path", "a path")
    require(rev, str, "rev", "a git revision")
    require(new_rev, (str, type(None)), "new_rev", "a git revision or None")
    require(as_of, (date, type(None)), "as_of", "a date or None")
    for name, who in (("assessor", assessor), ("vs_assessor", vs_assessor)):
        require(who, (str, type(None)), name, "an assessor id or None")

    def checked(result: CheckResult | None) -> CheckResult | None:
        # every warning `check` gives, the format 1.2 ones that rest on scores too
        return None if result is None else with_verdict_warnings(result)

    before = checked(check_at(rev, path))
    if new_rev is not None:
        after = checked(check_at(new_rev, path))
        new_where = new_rev
    else:
        after = checked(check(path)) if os.path.lexists(path) else None
        new_where = "the working tree"
    if before is None and after is None:
        raise InputFileError(str(path), f"does not exist at {rev} nor in {new_where}")
    for side in (before, after):
        if side is not None and side.rubric is None:
            raise RubricError(side.problems)
    old_rubric = before.rubric if before is not None else None
    new_rubric = after.rubric if after is not None else None
    some = new_rubric or old_rubric
    assert some is not None
    empty = attrs.evolve(some, promises=(), evidence=(), assessments=())
    old_label = before.file if before is not None else f"{rev}:{path} (absent)"
    if after is not None:
        new_label = after.file
    else:
        new_label = f"{new_rev}:{path} (absent)" if new_rev else f"{path} (deleted)"
    result = compute(
        score(old_rubric or empty, as_of, assessor),
        score(new_rubric or empty, as_of, vs_assessor or assessor),
        old_label=old_label,
        new_label=new_label,
    )
    return review(
        result,
        new_rubric or empty,
        old_rubric,
        new_warnings=after.warnings if after is not None else (),
        old_warnings=before.warnings if before is not None else (),
        new_exists=after is not None,
    )
