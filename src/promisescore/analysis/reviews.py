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

from collections.abc import Iterable, Sequence

import attrs

from ..errors import Problem
from ..model import Assessment, Rubric
from .diffs import Diff


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
    """A promise whose status (FORMAT §7.6) differs between the versions."""

    promise: str
    title: str
    old: str | None
    new: str | None
    updates: tuple[Update, ...] = ()


@attrs.frozen
class Review:
    """What the new version changes: the diff, the status changes with their updates,
    the promises added and removed (id, title), the warnings the new version brings,
    and whether the old version existed at all."""

    diff: Diff
    status_changes: tuple[StatusChange, ...]
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    new_warnings: tuple[Problem, ...]
    old_existed: bool = True


def _key(a: Assessment) -> tuple[object, ...]:
    return (a.promise, a.criterion, a.by, a.date, a.rating, a.value, a.evidence, a.note)


def _updates(old: Rubric | None, new: Rubric, promise: str) -> tuple[Update, ...]:
    """The new version's assessments of ``promise`` that the old one lacks (when none
    is new, the newest ones), oldest first."""
    before = {_key(a) for a in old.assessments if a.promise == promise} if old else set()
    mine = [a for a in new.assessments if a.promise == promise]
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
) -> Review:
    """The review of the change from ``old`` (``None``: the rubric did not exist, and
    everything counts as added) to ``new``, whose scorecards ``diff`` compares."""
    changes: list[StatusChange] = []
    added: list[tuple[str, str]] = []
    removed: list[tuple[str, str]] = []
    for change in diff.changes:
        if change.change == "added":
            added.append((change.promise, change.title))
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
    )
