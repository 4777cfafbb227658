"""What changed between two scorecards: per promise, per category and overall.

The two sides are any two :class:`~promisescore.scoring.Scorecard` objects: one rubric
at two dates, two versions of a rubric file, or one rubric seen by two assessors. The
comparison is by promise id and category id; nothing is re-scored here.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..model import Scale
from ..scoring import PromiseScore, Scorecard
from ..scoring.scorecard import status_of
from .changes import Change, ScoreChange, change_between

ChangeKind = Literal["added", "removed", "changed"]


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else new - old


@attrs.frozen
class Side:
    """Which scorecard a side of the diff is: a label (e.g. a file), its date, its assessor."""

    label: str
    as_of: str
    assessor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "as_of": self.as_of, "assessor": self.assessor}


@attrs.frozen
class OverallDelta:
    old: float | None
    new: float | None
    old_grade: str | None
    new_grade: str | None
    old_coverage: float | None
    new_coverage: float | None

    @property
    def delta(self) -> float | None:
        return _delta(self.old, self.new)

    @property
    def coverage_delta(self) -> float | None:
        return _delta(self.old_coverage, self.new_coverage)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "old_grade": self.old_grade,
            "new_grade": self.new_grade,
            "old_coverage": self.old_coverage,
            "new_coverage": self.new_coverage,
            "coverage_delta": self.coverage_delta,
        }


@attrs.frozen
class CategoryDelta:
    id: str
    title: str
    old: float | None
    new: float | None
    old_grade: str | None
    new_grade: str | None
    #: Whether the category exists on each side.
    in_old: bool = True
    in_new: bool = True
    #: Format 1.2 (FORMAT.md §8.5): this category's change split into re-ratings and
    #: composition, from the same :func:`~.changes.change_between` as the overall one
    #: (all three parts ``None`` when it has no score on a side); ``None`` before 1.2.
    change: ScoreChange | None = None
    #: A side is a format 1.2 rubric: the JSON has ``change``.
    v12: bool = False

    @property
    def delta(self) -> float | None:
        return _delta(self.old, self.new)

    @property
    def changed(self) -> bool:
        return (
            self.old != self.new or self.old_grade != self.new_grade or self.in_old != self.in_new
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "old_grade": self.old_grade,
            "new_grade": self.new_grade,
            "in_old": self.in_old,
            "in_new": self.in_new,
            **(
                {"change": None if self.change is None else self.change.to_dict()}
                if self.v12
                else {}
            ),
        }


@attrs.frozen
class CriterionChange:
    """A criterion whose consensus rating or value differs between the sides."""

    id: str
    title: str
    old_rating: str | None
    new_rating: str | None
    old_value: float | None
    new_value: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "old_rating": self.old_rating,
            "new_rating": self.new_rating,
            "old_value": self.old_value,
            "new_value": self.new_value,
        }


def _state(item: PromiseScore, v12: bool = False) -> dict[str, Any]:
    state = {
        "rating": item.rating,
        "fulfillment": item.fulfillment,
        "rated": item.rated,
        "overdue": item.overdue,
        "late": item.late,
        "weight": item.weight,
        "category": item.category,
    }
    if v12:  # format 1.2: the verdict, which a measured promise's rating is not (§8.3)
        state["status"] = item.status
    return state


@attrs.frozen
class PromiseChange:
    """One promise that differs between the sides (or exists on one side only)."""

    promise: str
    title: str
    change: ChangeKind
    old: PromiseScore | None
    new: PromiseScore | None
    #: What differs, among: rating, fulfillment, rated, overdue, late, weight, category,
    #: status (format 1.2: the verdict on a criteria or target promise), criteria.
    #: Empty for added and removed promises.
    fields: tuple[str, ...] = ()
    criteria: tuple[CriterionChange, ...] = ()
    #: It stood at a final level (or f = 1) on the old side and lower on the new side.
    reversal: bool = False
    #: A side is a format 1.2 scorecard: each side's state has its ``status`` too.
    v12: bool = False

    @property
    def delta(self) -> float | None:
        """Change in fulfillment (``None`` unless rated on both sides)."""
        if self.old is None or self.new is None:
            return None
        return _delta(self.old.fulfillment, self.new.fulfillment)

    @property
    def newly_overdue(self) -> bool:
        return self.new is not None and self.new.overdue and not (self.old and self.old.overdue)

    @property
    def no_longer_overdue(self) -> bool:
        return self.old is not None and self.old.overdue and not (self.new and self.new.overdue)

    @property
    def direction(self) -> Literal["up", "down", "same", "unknown"]:
        delta = self.delta
        if delta is None:
            return "unknown"
        return "up" if delta > 0 else "down" if delta < 0 else "same"

    def to_dict(self) -> dict[str, Any]:
        return {
            "promise": self.promise,
            "title": self.title,
            "change": self.change,
            "fields": list(self.fields),
            "old": None if self.old is None else _state(self.old, self.v12),
            "new": None if self.new is None else _state(self.new, self.v12),
            "delta": self.delta,
            "newly_overdue": self.newly_overdue,
            "no_longer_overdue": self.no_longer_overdue,
            "reversal": self.reversal,
            "criteria": [c.to_dict() for c in self.criteria],
        }


@attrs.frozen
class Diff:
    """The differences between two scorecards. ``changes`` is empty when nothing differs."""

    old: Side
    new: Side
    overall: OverallDelta
    categories: tuple[CategoryDelta, ...]
    changes: tuple[PromiseChange, ...]
    #: Level id → label, from both sides' scales (for renderers).
    labels: tuple[tuple[str, str], ...] = ()
    #: False when neither side has grades (format 1.1, ``bands = []``): no grade shown.
    graded: bool = True
    #: Format 1.2 (FORMAT.md §8.5): the overall change (and each category's) split into
    #: re-ratings and composition; ``None`` before 1.2 or without the rubrics.
    change: Change | None = None
    #: A side is a format 1.2 rubric: the JSON has ``change``.
    v12: bool = False
    #: Neither side has a promise yet (a new tracker): reports say so.
    no_promises: bool = False

    @property
    def empty(self) -> bool:
        return not self.changes and not any(c.changed for c in self.categories)

    @property
    def reversals(self) -> tuple[PromiseChange, ...]:
        return tuple(c for c in self.changes if c.reversal)

    @property
    def added(self) -> tuple[PromiseChange, ...]:
        return tuple(c for c in self.changes if c.change == "added")

    @property
    def removed(self) -> tuple[PromiseChange, ...]:
        return tuple(c for c in self.changes if c.change == "removed")

    @property
    def newly_overdue(self) -> tuple[PromiseChange, ...]:
        return tuple(c for c in self.changes if c.newly_overdue)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per promise that differs between the sides."""
        return diff_records(self)

    def to_frame(self) -> Any:
        """A tidy :class:`pandas.DataFrame`, one row per changed, added or removed promise
        (needs the ``pandas`` extra)."""
        from ..frames import DIFF_COLUMNS, frame

        return frame(self.to_records(), DIFF_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "overall": self.overall.to_dict(),
            "categories": [c.to_dict() for c in self.categories],
            "changes": [c.to_dict() for c in self.changes],
            **(
                {"change": None if self.change is None else self.change.to_dict()}
                if self.v12
                else {}
            ),
            "summary": {
                "changed": sum(1 for c in self.changes if c.change == "changed"),
                "added": len(self.added),
                "removed": len(self.removed),
                "up": sum(1 for c in self.changes if c.direction == "up"),
                "down": sum(1 for c in self.changes if c.direction == "down"),
                "newly_overdue": len(self.newly_overdue),
                "reversals": len(self.reversals),
            },
        }


# --------------------------------------------------------------------------- computing


def _side(card: Scorecard, label: str | None) -> Side:
    return Side(label or card.title, card.as_of.isoformat(), card.assessor)


def _standing_rank(scale: Scale, item: PromiseScore) -> int | None:
    if item.rating is None or not scale.has_level(item.rating):
        return None
    return scale.rank(item.rating)


def _was_final(scale: Scale, item: PromiseScore) -> bool:
    if not item.rated:
        return False
    if item.rating is not None and scale.has_level(item.rating):
        return scale.level(item.rating).final
    return item.fulfillment is not None and item.fulfillment >= 1.0


def _is_reversal(old_scale: Scale, new_scale: Scale, old: PromiseScore, new: PromiseScore) -> bool:
    """Old stood at a final level (or f = 1); new is rated and ranks (or scores) lower."""
    if not new.rated or not _was_final(old_scale, old):
        return False
    if old.rating is not None and new.rating is not None and old_scale == new_scale:
        old_rank = _standing_rank(old_scale, old)
        new_rank = _standing_rank(new_scale, new)
        return old_rank is not None and new_rank is not None and new_rank < old_rank
    return (new.fulfillment or 0.0) < (old.fulfillment or 0.0)


def _criteria_changes(old: PromiseScore, new: PromiseScore) -> tuple[CriterionChange, ...]:
    before = {c.id: c for c in old.trace.criteria}
    after = {c.id: c for c in new.trace.criteria}
    found: list[CriterionChange] = []
    order = [c.id for c in new.trace.criteria] + [
        c.id for c in old.trace.criteria if c.id not in after
    ]
    for criterion_id in order:
        a, b = before.get(criterion_id), after.get(criterion_id)
        old_state = (a.rating, a.value if a.assessed else None) if a else (None, None)
        new_state = (b.rating, b.value if b.assessed else None) if b else (None, None)
        if old_state != new_state:
            title = (b or a).title  # type: ignore[union-attr]
            found.append(
                CriterionChange(
                    criterion_id, title, old_state[0], new_state[0], old_state[1], new_state[1]
                )
            )
    return tuple(found)


def _compare(
    old_card: Scorecard, new_card: Scorecard, old: PromiseScore, new: PromiseScore
) -> PromiseChange | None:
    fields = [
        name
        for name in ("rating", "fulfillment", "rated", "overdue", "late", "weight", "category")
        if getattr(old, name) != getattr(new, name)
    ]
    v12 = "1.2" in (old_card.format, new_card.format)
    if "rating" not in fields and old.status != new.status and v12:
        # format 1.2: the verdict on a criteria or target promise (FORMAT.md §8.3) is
        # its status, not its rating (which the figure gives)
        fields.append("status")
    criteria = _criteria_changes(old, new)
    if criteria:
        fields.append("criteria")
    if not fields:
        return None
    return PromiseChange(
        promise=new.id,
        title=new.title,
        change="changed",
        old=old,
        new=new,
        fields=tuple(fields),
        criteria=criteria,
        reversal=_is_reversal(old_card.scale, new_card.scale, *_verdicts(v12, old, new)),
        v12=v12,
    )


def _verdicts(v12: bool, old: PromiseScore, new: PromiseScore) -> tuple[PromiseScore, ...]:
    """The two sides as a reversal is judged: in format 1.2 (either side) a criteria or
    target promise's standing is its verdict (its ``status``, FORMAT.md §8.3), as a
    plain promise's is its rating."""
    if not v12 or old.kind == "plain" or new.kind == "plain":
        return old, new
    return attrs.evolve(old, rating=old.status), attrs.evolve(new, rating=new.status)


def diff(
    old: Scorecard,
    new: Scorecard,
    *,
    old_label: str | None = None,
    new_label: str | None = None,
) -> Diff:
    """Compare two scorecards.

    Lists, per promise, the change of rating, fulfillment, rated, overdue, late, weight,
    category and criteria ratings; promises added (on the new side only: new in the file,
    or made after the old date) and removed; reversals (a final level, or f = 1, on the
    old side and a lower rated standing on the new); and the overall and category deltas.
    ``diff(card, card).changes`` is empty.
    """
    from ..arguments import require

    for name, card in (("old", old), ("new", new)):
        require(card, Scorecard, name, "a Scorecard (promisescore.score(rubric))")
    for name, label in (("old_label", old_label), ("new_label", new_label)):
        require(label, (str, type(None)), name, "a str or None")
    before = {p.id: p for p in old.promises}
    after = {p.id: p for p in new.promises}
    v12 = "1.2" in (old.format, new.format)
    changes: list[PromiseChange] = []
    for item in new.promises:
        previous = before.get(item.id)
        if previous is None:
            changes.append(PromiseChange(item.id, item.title, "added", None, item, v12=v12))
            continue
        change = _compare(old, new, previous, item)
        if change is not None:
            changes.append(change)
    for item in old.promises:
        if item.id not in after:
            changes.append(PromiseChange(item.id, item.title, "removed", item, None, v12=v12))

    split = _change(old, new)
    old_categories = {c.id: c for c in old.categories}
    new_categories = {c.id: c for c in new.categories}
    categories: list[CategoryDelta] = []
    order = [c.id for c in new.categories] + [
        c.id for c in old.categories if c.id not in new_categories
    ]
    for category_id in order:
        a, b = old_categories.get(category_id), new_categories.get(category_id)
        categories.append(
            CategoryDelta(
                id=category_id,
                title=(b or a).title,  # type: ignore[union-attr]
                old=a.score if a else None,
                new=b.score if b else None,
                old_grade=a.grade if a else None,
                new_grade=b.grade if b else None,
                in_old=a is not None,
                in_new=b is not None,
                change=None if split is None else _category_split(split, category_id),
                v12=v12,
            )
        )

    labels: dict[str, str] = {}
    for scale in (old.scale, new.scale):
        for level in scale.levels:
            labels.setdefault(level.id, level.label)
    return Diff(
        old=_side(old, old_label),
        new=_side(new, new_label),
        overall=OverallDelta(
            old.overall.score,
            new.overall.score,
            old.overall.grade,
            new.overall.grade,
            old.overall.coverage,
            new.overall.coverage,
        ),
        categories=tuple(categories),
        changes=tuple(changes),
        graded=bool(old.grading.bands) or bool(new.grading.bands),
        labels=tuple(labels.items()),
        change=split,
        v12=v12,
        no_promises=not old.promises and not new.promises,
    )


def _category_split(split: Change, category_id: str) -> ScoreChange:
    """A category's part of ``split``; one only on the old side has no score on the new
    side, so no split (all three parts ``None``)."""
    found = split.category(category_id)
    return found if found is not None else ScoreChange(None, None, None)


def _change(old: Scorecard, new: Scorecard) -> Change | None:
    """FORMAT.md §8.5's split of the change from ``old`` to ``new`` (format 1.2)."""
    if "1.2" not in (old.format, new.format) or old.rubric is None or new.rubric is None:
        return None
    return change_between(
        new.rubric,
        old.promises,
        new.promises,
        new.assessor,
        old_rubric=old.rubric,
        old_assessor=old.assessor,
    )


# --------------------------------------------------------------------------- records


def diff_records(diff: Diff) -> list[dict[str, Any]]:
    """One dict per promise that differs between the two sides (added, removed, changed)."""
    rows: list[dict[str, Any]] = []
    for change in diff.changes:
        old, new = change.old, change.new
        rows.append(
            {
                "promise": change.promise,
                "title": change.title,
                "change": change.change,
                "fields": list(change.fields),
                "old_status": status_of(old) if old is not None else None,
                "new_status": status_of(new) if new is not None else None,
                "old_fulfillment": old.fulfillment if old is not None else None,
                "new_fulfillment": new.fulfillment if new is not None else None,
                "delta": change.delta,
                "direction": change.direction,
                "old_rated": old.rated if old is not None else None,
                "new_rated": new.rated if new is not None else None,
                "old_overdue": old.overdue if old is not None else None,
                "new_overdue": new.overdue if new is not None else None,
                "reversal": change.reversal,
                "newly_overdue": change.newly_overdue,
                "no_longer_overdue": change.no_longer_overdue,
            }
        )
    return rows
