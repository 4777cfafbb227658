"""The card builder: everything a report card shows besides the scorecard itself.

A :class:`ReportCard` is a :class:`~promisescore.scoring.Scorecard` together with what
``promisescore report`` puts around it: the rubric's ``check`` warnings (``lint``), its
scores over time up to the card's date (a :class:`~promisescore.analysis.Timeline`) and
the rubric itself (each promise's rating history, the assessors side by side). Those are
computed here, by the card, never by a renderer: ``promisescore.render(report, fmt)``
only formats what the card holds (docs/api.md, "Output").

Each part is computed once, the first time it is asked for, so a card rendered as text
never scores the rubric over time, and one rendered as HTML does it once however often it
is rendered. Like the rest of the core, nothing here knows of Click or output formats.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .analysis import Timeline
    from .archives import VerifiedQuote
    from .errors import Problem
    from .model import Rubric
    from .scoring import Scorecard


@attrs.frozen
class ReportCard:
    """A scorecard and what its report card shows: warnings, scores over time, rubric.

    ``ReportCard(promisescore.score(rubric))`` is what ``promisescore report`` renders;
    ``promisescore.render(card, fmt)`` of a bare scorecard renders it as this card.
    With ``with_history=False`` the card shows no scores over time (``promisescore
    score --format json`` prints none).

    Computed once, on first use:

    - ``warnings`` (``tuple[Problem, ...]``): the rubric's ``check`` warnings
      (``promisescore.lint``); none without a rubric;
    - ``history`` (``Timeline | None``): the rubric's scores over time up to the card's
      date, for the card's assessor; ``None`` without a rubric, with
      ``with_history=False``, or when there is only one date to show;
    - ``assessor_cards`` (``Mapping[str, Scorecard]``): each assessor's own scorecard,
      for the HTML card's "Who says what";
    - ``verified``: the quotes found in their sources' archived copies.
    """

    #: The scorecard (carrying the rubric it was scored from, ``scorecard.rubric``).
    scorecard: Scorecard
    #: Whether the card shows the scores over time.
    with_history: bool = attrs.field(default=True, kw_only=True)
    #: Where sources' ``archive`` paths resolve (as ``verify --archive-root``); ``None``:
    #: relative to the rubric's files.
    archive_root: str | os.PathLike[str] | None = attrs.field(default=None, kw_only=True)

    @property
    def rubric(self) -> Rubric | None:
        """The rubric the scorecard was scored from (``None`` for a card built without)."""
        return self.scorecard.rubric

    @functools.cached_property
    def warnings(self) -> tuple[Problem, ...]:
        """The rubric's ``check`` warnings (``promisescore.lint``); none without a rubric."""
        rubric = self.rubric
        if rubric is None:
            return ()
        from .scoring.verdicts import lint

        return tuple(lint(rubric))

    @functools.cached_property
    def history(self) -> Timeline | None:
        """The rubric's scores over time up to the card's date, for the card's assessor
        (``promisescore.timeline(rubric, assessor=..., until=as_of)``); ``None`` without a
        rubric, with ``with_history=False``, or when there is only one date to show."""
        rubric = self.rubric
        if rubric is None or not self.with_history:
            return None
        from .analysis import timeline

        card = self.scorecard
        found = timeline(rubric, assessor=card.assessor, until=card.as_of)
        return found if len(found.points) > 1 else None

    @functools.cached_property
    def assessor_cards(self) -> Mapping[str, Scorecard]:
        """Each assessor's own scorecard at the card's date, by id (the "Who says
        what" table): see :func:`assessor_scorecards`."""
        rubric = self.rubric
        return {} if rubric is None else assessor_scorecards(rubric, self.scorecard)

    @functools.cached_property
    def verified(self) -> Mapping[str, VerifiedQuote]:
        """The quotes found in their sources' local archived copies, by evidence id
        (FORMAT.md §8.9: reports mark them checked); empty, at no cost, when no source
        has a local ``archive``, and without a rubric."""
        rubric = self.rubric
        if rubric is None:
            return {}
        from .archives import verified_quotes

        return verified_quotes(rubric, archive_root=self.archive_root)


def assessor_scorecards(rubric: Rubric, card: Scorecard) -> dict[str, Scorecard]:
    """Each assessor's own scorecard as of ``card``'s date (``score(rubric, as_of,
    assessor)``: in format 1.2 counting only what that assessor rated, FORMAT.md §8.6),
    by id, for the side-by-side views of the report card and the site; empty when the
    card is itself one assessor's view or the rubric has fewer than two assessors."""
    from .scoring import score

    if card.assessor is not None or len(rubric.assessors) < 2:
        return {}
    return {ident: score(rubric, card.as_of, ident) for ident in rubric.assessors}
