"""Renderers: one registry of every output format, behind one interface.

Everything promisescore prints is a *subject* (what is rendered: a ``scorecard``, a
``timeline``, a ``diff``, an ``agreement``, a ``sensitivity`` analysis, a
``comparison``, ``check`` results, an ``explanation``, the ``scales`` presets) in a
*format* (``text``, ``json``, ``html``...). :data:`REGISTRY` maps each
``(subject, format)`` pair to one :class:`Renderer`: a function
``(obj, options: RenderOptions) -> str`` in a module of this package, imported on first
use. :func:`renderer` is the one lookup (an unknown pair raises
:class:`UnknownFormatError`, the same error for every subject); :func:`render` renders
any registered object, finding its subject from its type; :func:`formats` gives a
subject's formats, which is where the CLI's ``--format`` choices come from.

Like coverage.py's reporters, a renderer knows nothing of Click or of files: it gets the
computed object and returns text. Rendering computes nothing: what a report card shows
besides the scorecard (warnings, scores over time) is computed by the card,
:class:`promisescore.cards.ReportCard`. A new format is one function plus one line in
:data:`REGISTRY` (docs/development.md, "Adding an output format").
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs

if TYPE_CHECKING:
    from ..cards import ReportCard
    from ..errors import Problem
    from ..scoring import Scorecard


class Renderer(Protocol):
    """What every registered renderer is: the object and the options in, text out."""

    def __call__(self, obj: Any, options: RenderOptions, /) -> str: ...


#: ``(subject, format)`` → ``"module:function"`` in this package: every output format.
REGISTRY: dict[tuple[str, str], str] = {
    ("scorecard", "text"): "text:render",
    ("scorecard", "markdown"): "markdown:render",
    ("scorecard", "html"): "html:render",
    ("scorecard", "json"): "json:render",
    ("scorecard", "csv"): "csv:render",
    ("scorecard", "badge"): "badge:render",
    ("scorecard", "summary"): "summary:render",
    ("timeline", "text"): "timeline:render_text",
    ("timeline", "json"): "timeline:render_json",
    ("timeline", "csv"): "timeline:render_csv",
    ("timeline", "html"): "timeline:render_html",
    ("diff", "text"): "diff:render_text",
    ("diff", "markdown"): "diff:render_markdown",
    ("diff", "json"): "diff:render_json",
    ("review", "markdown"): "review:render_markdown",
    ("agreement", "text"): "agreement:render_text",
    ("agreement", "json"): "agreement:render_json",
    ("sensitivity", "text"): "sensitivity:render_text",
    ("sensitivity", "json"): "sensitivity:render_json",
    ("comparison", "text"): "compare:render_text",
    ("comparison", "json"): "compare:render_json",
    ("comparison", "csv"): "compare:render_csv",
    ("comparison", "markdown"): "compare:render_markdown",
    ("comparison", "html"): "compare:render_html",
    ("check", "text"): "problems:render_check",
    ("check", "json"): "problems:render_check_json",
    ("check", "github"): "github:render_check",
    ("check", "junit"): "junit:render_check",
    ("verification", "text"): "verification:render_text",
    ("verification", "json"): "verification:render_json",
    ("verification", "github"): "verification:render_github",
    ("verification", "junit"): "verification:render_junit",
    ("archive", "text"): "verification:render_archive",
    ("explanation", "text"): "explain:render_text",
    ("explanation", "json"): "explain:render_json",
    ("scales", "text"): "scales:render_scales",
    ("scales", "json"): "scales:render_scales_json",
}

#: Subject of each renderable type (``module.QualifiedName``; a subclass has its base's).
SUBJECTS: dict[str, str] = {
    "promisescore.scoring.scorecard.Scorecard": "scorecard",
    "promisescore.cards.ReportCard": "scorecard",
    "promisescore.analysis.timelines.Timeline": "timeline",
    "promisescore.analysis.diffs.Diff": "diff",
    "promisescore.analysis.reviews.Review": "review",
    "promisescore.analysis.agreements.Agreement": "agreement",
    "promisescore.analysis.sensitivities.Sensitivity": "sensitivity",
    "promisescore.analysis.comparisons.Comparison": "comparison",
    "promisescore.renderers.problems.CheckReport": "check",
    "promisescore.archives.quotes.VerifyReport": "verification",
    "promisescore.archives.fetch.ArchiveResult": "archive",
    "promisescore.scoring.explanations.Explanation": "explanation",
    "promisescore.renderers.scales.ScalePresets": "scales",
}


class UnknownFormatError(ValueError):
    """A format that is not registered for what is being rendered."""

    def __init__(self, subject: str, format: str) -> None:
        self.subject = subject
        self.format = format
        super().__init__(
            f"unknown format {format!r} for a {subject}; choose from {', '.join(formats(subject))}"
        )


def formats(subject: str) -> tuple[str, ...]:
    """The formats registered for ``subject``, in registry order."""
    return tuple(fmt for (what, fmt) in REGISTRY if what == subject)


#: The formats of ``promisescore report``: every scorecard format but the two that have
#: their own command (``badge``, and ``summary``, which is ``score``'s text).
REPORT_FORMATS: tuple[str, ...] = tuple(
    f for f in formats("scorecard") if f not in ("badge", "summary")
)

#: The formats of ``promisescore score``: ``text`` is the ``summary`` renderer.
SCORE_FORMATS: tuple[str, ...] = ("text", "json")

SortKey = Literal["file", "rating", "score", "weight", "id"]
SORT_KEYS: tuple[str, ...] = ("file", "rating", "score", "weight", "id")


def _listed(value: Any, name: str) -> tuple[Any, ...]:
    """A list or tuple as a tuple (a string is not a list of ids)."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise TypeError(f"{name} must be a list or tuple, not {type(value).__name__}")
    return tuple(value)


def _categories(value: Any) -> tuple[str, ...]:
    return _listed(value, "categories")


def _warnings(value: Any) -> tuple[Problem, ...]:
    return _listed(value, "warnings")


@attrs.frozen
class RenderOptions:
    """What a renderer may be asked for besides the object itself."""

    #: Only these categories (by id); empty means all.
    categories: tuple[str, ...] = attrs.field(default=(), converter=_categories)
    #: Order of the promise table: file order, or by rating, score, weight or id.
    sort: SortKey = "file"
    #: ANSI colour in the text format (the CLI turns it on only for a terminal).
    color: bool = False
    #: Width the text format should fit.
    width: int = 100
    #: Findings of ``check`` to list at the end of the report.
    warnings: tuple[Problem, ...] = attrs.field(default=(), converter=_warnings)
    #: Scores over time (a ``Timeline``), drawn by formats that can.
    history: Any = None
    #: Badge label.
    label: str = "promises"
    #: HTML: show the internals editors check (ids, formulas, evidence ids, warnings).
    detail: bool = False
    #: HTML: a snippet to paste into a page (scoped styles, no ``<html>``/``<head>``).
    fragment: bool = False
    #: The rubric scored: lets the HTML report show each promise's rating history and
    #: the assessors' scores side by side.
    rubric: Any = None
    #: HTML: the language of the interface text (``en``/``fr``); None: the rubric's
    #: ``[report] lang``, else English. User text is never translated.
    lang: str | None = None
    #: HTML: the quotes found in their archived copies (evidence id →
    #: :class:`~promisescore.archives.VerifiedQuote`), marked as checked (FORMAT §8.9).
    verified: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    #: HTML: each assessor's own scorecard, by id, for "Who says what" (computed by
    #: the card: :attr:`promisescore.cards.ReportCard.assessor_cards`).
    assessor_cards: Mapping[str, Any] = attrs.field(factory=dict, hash=False)

    def __attrs_post_init__(self) -> None:
        """A wrong type is a ``TypeError`` naming the field, not an error deep in a
        renderer (``width="x"``)."""
        from ..arguments import require, whole_number

        for ident in self.categories:
            require(ident, str, "categories", "a tuple of category ids")
        if self.sort not in SORT_KEYS:
            raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}, not {self.sort!r}")
        for name in ("color", "detail", "fragment"):
            require(getattr(self, name), bool, name, "True or False")
        whole_number(self.width, "width", 1, 100_000)
        require(self.label, str, "label", "a string")
        require(self.lang, (str, type(None)), "lang", "a language code or None")
        require(self.verified, Mapping, "verified", "a mapping")
        require(self.assessor_cards, Mapping, "assessor_cards", "a mapping")


#: The scorecard formats that draw the scores over time (when the card has them).
HISTORY_FORMATS: tuple[str, ...] = ("html", "json")


def report_options(
    card: Scorecard | ReportCard, format: str = "text", **overrides: Any
) -> RenderOptions:
    """The options ``promisescore report --format FORMAT`` renders ``card`` with.

    What the report card shows comes from the card (a
    :class:`~promisescore.cards.ReportCard`; a bare scorecard is taken as
    ``ReportCard(card)``), which computes it: its rubric's ``check`` warnings, its scores
    over time up to the card's date (``html`` and ``json``, when there is more than one
    date) and, for ``html``, the rubric itself (rating histories), the verified quotes and
    each assessor's own scorecard ("Who says what"). Nothing is computed
    here. ``overrides`` set any other :class:`RenderOptions` field (``sort``,
    ``categories``, ``detail``...); a part given in ``overrides`` is not asked of the
    card. :func:`render` uses these options when it is given none.
    """
    from ..cards import ReportCard

    report = card if isinstance(card, ReportCard) else ReportCard(card)
    shown: dict[str, Any] = {}
    if "warnings" not in overrides:
        shown["warnings"] = report.warnings
    if format in HISTORY_FORMATS and "history" not in overrides:
        shown["history"] = report.history
    if format == "html" and "rubric" not in overrides:
        shown["rubric"] = report.rubric
    if format == "html" and "verified" not in overrides:
        shown["verified"] = report.verified
    if format == "html" and "assessor_cards" not in overrides:
        shown["assessor_cards"] = report.assessor_cards
    return RenderOptions(**{**shown, **overrides})


def subject_of(obj: object) -> str:
    """The subject an object is rendered as (``scorecard``, ``timeline``...).

    A list or tuple of :class:`~promisescore.CheckResult` is ``check`` results.
    """
    for cls in type(obj).__mro__:
        subject = SUBJECTS.get(f"{cls.__module__}.{cls.__qualname__}")
        if subject is not None:
            return subject
    raise TypeError(
        f"cannot render a {type(obj).__name__}; renderable: "
        + ", ".join(sorted({name.rpartition(".")[2] for name in SUBJECTS}))
    )


def renderer(subject: str, format: str) -> Renderer:
    """The renderer of ``subject`` in ``format``: the one lookup of the registry."""
    target = REGISTRY.get((subject, format))
    if target is None:
        if subject not in {what for what, _ in REGISTRY}:
            raise ValueError(f"unknown subject {subject!r}")
        raise UnknownFormatError(subject, format)
    module_name, _, function = target.partition(":")
    module = importlib.import_module(f".{module_name}", __name__)
    found: Renderer = getattr(module, function)
    return found


def _prepare(obj: object, format: str, options: RenderOptions | None) -> tuple[Any, str, Any]:
    from ..arguments import require

    require(format, str, "format", "a str such as 'text' or 'html'")
    require(options, (RenderOptions, type(None)), "options", "a RenderOptions or None")
    if isinstance(obj, list | tuple):
        # loaded by name like every registered renderer module (problems.py imports
        # RenderOptions from this package)
        obj = importlib.import_module(".problems", __name__).CheckReport(tuple(obj))
    subject = subject_of(obj)
    if options is None:
        if subject == "scorecard" and (subject, format) in REGISTRY:
            options = report_options(obj, format)  # type: ignore[arg-type]
        else:
            options = RenderOptions()
    from ..cards import ReportCard

    if isinstance(obj, ReportCard):
        obj = obj.scorecard  # what the card shows besides is in the options
    return obj, subject, options


def render(obj: Any, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render any registered object in one of its formats (:func:`formats`).

    ``render(card, "html")`` gives exactly what ``promisescore report --format html``
    prints for the rubric the card was scored from: without ``options``, a scorecard (or
    a :class:`~promisescore.cards.ReportCard`) is rendered with :func:`report_options`,
    which takes what the report card shows from the card; rendering only formats it.
    Given ``options``, they are used as they are. Analyses (``Timeline``, ``Diff``,
    ``Agreement``, ``Sensitivity``, ``Comparison``), the ``Review`` of a change (its
    pull-request comment, ``"markdown"``), an ``Explanation`` and check
    results (a :class:`~promisescore.renderers.problems.CheckReport`, or a list of
    ``CheckResult``) render as their commands print them.
    """
    obj, subject, opts = _prepare(obj, format, options)
    return renderer(subject, format)(obj, opts)


def render_iter(
    obj: Any, format: str = "text", options: RenderOptions | None = None
) -> Iterator[str]:
    """Like :func:`render`, in pieces whose concatenation is the same text.

    A renderer module that defines ``render_iter(obj, options)`` beside its registered
    ``render`` streams (the JSON scorecard does, so a big scorecard is never one huge
    string); the others yield one piece.
    """
    obj, subject, opts = _prepare(obj, format, options)
    target = renderer(subject, format)
    module_name, _, function = REGISTRY[subject, format].partition(":")
    module = importlib.import_module(f".{module_name}", __name__)
    pieces = getattr(module, "render_iter", None) if function == "render" else None
    if pieces is None:
        yield target(obj, opts)
    else:
        yield from pieces(obj, opts)
