"""``explain``: why a promise has its score, as data.

The words ``promisescore explain`` prints are written by a renderer
(:mod:`promisescore.renderers.explain`): ``promisescore.render(explanation, "text")``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from ..model import Rubric
from .engine import aggregate, score
from .scorecard import PromiseScore, Scorecard, schema_version, trace_to_dict


@attrs.frozen
class Contribution:
    """How far the category and overall scores would move if the promise were kept/broken."""

    category_now: float | None
    category_if_kept: float | None
    category_if_broken: float | None
    overall_now: float | None
    overall_if_kept: float | None
    overall_if_broken: float | None


@attrs.frozen
class Explanation:
    """Why one promise has its score: the scorecard, the promise's result (with its
    trace) and how far it moves its category and the overall score (``contribution``;
    ``None`` for an umbrella promise, which no score counts: docs/format.md). In words:
    ``promisescore.render(explanation)`` (``text``) or ``"json"``."""

    scorecard: Scorecard
    promise: PromiseScore
    text: str | None
    made_on: date | None
    deadline_spec: str | None
    contribution: Contribution | None

    def to_dict(self) -> dict[str, Any]:
        c = self.contribution
        contribution: dict[str, Any] | None = None
        if c is not None:
            contribution = {
                "category": {
                    "id": self.promise.category,
                    "now": c.category_now,
                    "if_kept": c.category_if_kept,
                    "if_broken": c.category_if_broken,
                },
                "overall": {
                    "now": c.overall_now,
                    "if_kept": c.overall_if_kept,
                    "if_broken": c.overall_if_broken,
                },
            }
        return {
            "schema_version": schema_version(self.scorecard.format),
            "as_of": self.scorecard.as_of.isoformat(),
            "assessor": self.scorecard.assessor,
            "promise": self.promise.to_dict(trace=False),
            "text": self.text,
            "made_on": self.made_on.isoformat() if self.made_on else None,
            "deadline_spec": self.deadline_spec,
            "trace": trace_to_dict(self.promise.trace),
            "contribution": contribution,
        }


def _what_if(
    rubric: Rubric, card: Scorecard, promise_id: str, fulfillment: float
) -> tuple[float | None, float | None]:
    changed = [
        attrs.evolve(p, fulfillment=fulfillment, rated=True) if p.id == promise_id else p
        for p in card.promises
    ]
    categories, overall = aggregate(rubric, changed, card.assessor)
    category_id = card.promise(promise_id).category
    category = next(c for c in categories if c.id == category_id)
    return category.score, overall.score


def explain(
    rubric: Rubric,
    promise_id: str,
    as_of: date | str | None = None,
    assessor: str | None = None,
) -> Explanation:
    """Explain the score of one promise; raises ``UnknownIdError`` with near matches."""
    from ..arguments import require

    require(rubric, Rubric, "rubric", "a Rubric")
    require(promise_id, str, "promise_id", "a str (a promise's id)")
    model = rubric.promise(promise_id)
    card = score(rubric, as_of, assessor)
    if promise_id in card.left_out:
        from ..errors import UnknownIdError

        raise UnknownIdError(
            "promise",
            promise_id,
            (),
        ) from ValueError(f"promise {promise_id!r} was made after {card.as_of}")
    result = card.promise(promise_id)
    contribution = None
    if not result.umbrella:  # an umbrella promise moves no score (docs/format.md)
        category_now = card.category(result.category).score
        cat_kept, all_kept = _what_if(rubric, card, promise_id, 1.0)
        cat_broken, all_broken = _what_if(rubric, card, promise_id, 0.0)
        contribution = Contribution(
            category_now, cat_kept, cat_broken, card.overall.score, all_kept, all_broken
        )
    deadline = model.deadline
    return Explanation(
        scorecard=card,
        promise=result,
        text=model.text,
        made_on=model.made_on,
        deadline_spec=deadline if isinstance(deadline, str) else None,
        contribution=contribution,
    )
