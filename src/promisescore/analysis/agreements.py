"""Agreement between assessors: Krippendorff's alpha, Cohen's kappa, percent agreement.

The *units* are the plain promises and the criteria (``promise/criterion``) that two or
more assessors rated, each assessor's rating being their latest assessment dated on or
before the as-of date (FORMAT.md §4.2) — the same ratings the scorecard's trace shows.
Ratings at an *unrated* level (e.g. ``not-yet-rated``) are missing data, not a rating.
Target promises are not assessed, so they are never units.

With a *window* (FORMAT.md §7.4; by default ``P3M``, for every rubric), units compare
contemporaneous ratings: per promise and criterion, the compared assessors' assessments (dated ≤ as-of) are taken in date
order; the earliest not yet used opens a window [d, d + window]; each assessor's value
in that unit is its latest rating dated in the window (same date: file order); the next
unit opens at the first assessment after the window. Units where fewer than two
assessors have a value are counted (``unpaired``), not paired.

Definitions (pure Python, exactly-rounded sums with :func:`math.fsum`):

- Krippendorff's alpha, by the coincidence-matrix method of Krippendorff (2011),
  "Computing Krippendorff's Alpha-Reliability": for each unit u with m_u ≥ 2 ratings,
  every ordered pair of its ratings (c, k) adds 1/(m_u − 1) to o_ck; n_c = Σ_k o_ck,
  n = Σ_c n_c; α = 1 − (n − 1)·Σ o_ck·δ²_ck / Σ n_c·n_k·δ²_ck. Units rated once are
  dropped (missing data). Metrics: nominal δ² = [c ≠ k]; interval δ² = (c − k)²;
  ordinal δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² over the ordered values.
  Nominal data are level ids, ordinal data level ranks, interval data level values; on
  the ``percent`` scale only interval is defined. Alpha is ``None`` when undefined: no
  pairable ratings, or no variation (Σ n_c·n_k·δ² = 0).
- Cohen's kappa (Cohen 1960) for each pair of assessors over the units both rated:
  κ = (p_o − p_e) / (1 − p_e), p_e from the two assessors' marginals; ``None`` when
  p_e = 1. Quadratic-weighted kappa (Fleiss & Cohen 1973): κ_w = 1 − Σ w·o / Σ w·e with
  disagreement weights w = (r_a − r_b)² on level ranks (on the ``percent`` scale, on
  values; unweighted kappa is then ``None``). The weights' usual 1/(k − 1)² scaling
  cancels in the ratio.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date
from itertools import combinations
from typing import Any, Literal, TypeVar

import attrs

from ..dates import Duration
from ..model import Rubric
from ..scoring import AssessorRating, score
from ..scoring.engine import as_date

Metric = Literal["nominal", "ordinal", "interval"]
METRICS: tuple[Metric, ...] = ("nominal", "ordinal", "interval")

V = TypeVar("V", bound=Hashable)


# --------------------------------------------------------------------------- statistics


def _sort_key(value: Hashable) -> tuple[int, Any]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, repr(value))


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable | None]], metric: Metric = "nominal"
) -> float | None:
    """Krippendorff's alpha of reliability data, one sequence of ratings per unit.

    ``None`` marks a missing rating. Ordinal and interval data must be numbers (ordinal
    uses only their order). Returns ``None`` when alpha is undefined (fewer than two
    pairable ratings, or no variation among them).
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, not {metric!r}")
    coincidences: dict[tuple[Hashable, Hashable], list[float]] = {}
    for unit in units:
        present = [v for v in unit if v is not None]
        m = len(present)
        if m < 2:
            continue
        counts = Counter(present)
        for c, n_uc in counts.items():
            for k, n_uk in counts.items():
                pairs = n_uc * (n_uk - 1) if c == k else n_uc * n_uk
                if pairs:
                    coincidences.setdefault((c, k), []).append(pairs / (m - 1))
    if not coincidences:
        return None
    o = {key: math.fsum(parts) for key, parts in coincidences.items()}
    values = sorted({c for c, _ in o}, key=_sort_key)
    n_c = {c: math.fsum(o.get((c, k), 0.0) for k in values) for c in values}
    n = math.fsum(n_c.values())
    if n < 2:
        return None
    delta = _metric(metric, values, n_c)
    observed = math.fsum(o.get((c, k), 0.0) * delta(c, k) for c in values for k in values)
    expected = math.fsum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def _metric(
    metric: Metric, values: Sequence[Hashable], n_c: dict[Hashable, float]
) -> Callable[[Hashable, Hashable], float]:
    if metric == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == "interval":
        return lambda c, k: (float(c) - float(k)) ** 2  # type: ignore[arg-type]
    position = {v: i for i, v in enumerate(values)}
    ordered = [n_c[v] for v in values]

    def ordinal(c: Hashable, k: Hashable) -> float:
        lo, hi = sorted((position[c], position[k]))
        between = math.fsum(ordered[lo : hi + 1]) - (n_c[c] + n_c[k]) / 2
        return between * between

    return ordinal


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of units on which the two raters gave the same rating (``None`` for none)."""
    _check_pair(a, b)
    if not a:
        return None
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's (1960) unweighted kappa of two raters' ratings of the same units.

    ``None`` when undefined: no units, or chance agreement p_e = 1 (both raters used a
    single, identical category throughout).
    """
    _check_pair(a, b)
    n = len(a)
    if n == 0:
        return None
    count_a, count_b = Counter(a), Counter(b)
    p_o = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    p_e = math.fsum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if p_e == 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def weighted_kappa(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Quadratic-weighted kappa (Fleiss & Cohen 1973) of two raters' numeric ratings.

    Disagreement weights (x − y)² on the numbers given (level ranks, or values). ``None``
    when undefined: no units, or no expected disagreement (both raters constant and
    equal).
    """
    _check_pair(a, b)
    n = len(a)
    if n == 0:
        return None
    observed = math.fsum((x - y) ** 2 for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = math.fsum(
        count_a[x] * count_b[y] * (x - y) ** 2 for x in count_a for y in count_b
    ) / (n * n)
    if expected == 0:
        return None
    return 1.0 - observed / expected


def _check_pair(a: Sequence[Any], b: Sequence[Any]) -> None:
    if len(a) != len(b):
        raise ValueError(f"the two raters rated {len(a)} and {len(b)} units; pair them first")


# --------------------------------------------------------------------------- rubric units


@attrs.frozen
class Rating:
    """One assessor's counted rating of one unit."""

    by: str
    date: date
    rating: str | None  # level id (None on the percent scale)
    rank: int | None  # the level's ordinal rank (None on the percent scale)
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "date": self.date.isoformat(),
            "rating": self.rating,
            "rank": self.rank,
            "value": self.value,
        }


@attrs.frozen
class Unit:
    """A promise or a criterion (``promise/criterion``) with its assessors' ratings."""

    id: str
    promise: str
    criterion: str | None
    title: str
    ratings: tuple[Rating, ...]
    #: The window [start, end] of a windowed unit (FORMAT.md §7.4); ``None`` otherwise.
    start: date | None = None
    end: date | None = None

    def rating_by(self, assessor: str) -> Rating | None:
        for item in self.ratings:
            if item.by == assessor:
                return item
        return None

    @property
    def spread(self) -> float:
        """max − min of the ranks (level scales) or values (``percent``)."""
        points = [float(r.rank) if r.rank is not None else r.value for r in self.ratings]
        return max(points) - min(points) if points else 0.0

    @property
    def value_spread(self) -> float:
        values = [r.value for r in self.ratings]
        return max(values) - min(values) if values else 0.0


def _counted(ratings: Iterable[AssessorRating], rubric: Rubric) -> tuple[Rating, ...]:
    scale = rubric.scale
    found: list[Rating] = []
    for item in ratings:
        if not item.counted or item.value is None:
            continue
        rank = None if scale.is_percent or item.rating is None else scale.rank(item.rating)
        found.append(Rating(item.by, item.date, item.rating, rank, item.value))
    return tuple(found)


def default_window(rubric: Rubric) -> str | None:
    """The agreement window of a rubric: ``P3M`` (FORMAT.md §7.4), whatever its format:
    comparing ratings made years apart mixes change over time with difference of opinion."""
    return DEFAULT_WINDOW


#: FORMAT.md §7.4: the default agreement window.
DEFAULT_WINDOW = "P3M"


def windowed_units(
    rubric: Rubric, window: str, as_of: date | str | None = None
) -> tuple[Unit, ...]:
    """Every window of every plain promise and criterion (FORMAT.md §7.4), in rubric
    order then date order, each with the ratings of the assessors who have a value in it
    (ratings at an unrated level are missing data). Units with fewer than two ratings are
    included: callers count them as unpaired."""
    span = Duration.parse(window)
    when = as_date(as_of) or rubric.default_as_of(reviewers=True)
    scale = rubric.scale
    found: list[Unit] = []
    for promise in rubric.promises:
        if promise.target is not None:
            continue
        if promise.made_on is not None and promise.made_on > when:
            continue
        items = [a for a in rubric.assessments_by_promise.get(promise.id, ()) if a.date <= when]
        parts: list[tuple[str | None, str]] = (
            [(c.id, f"{promise.title}: {c.title}") for c in promise.criteria]
            if promise.criteria
            else [(None, promise.title)]
        )
        for criterion, title in parts:
            own = sorted(
                (a for a in items if a.criterion == criterion), key=lambda a: a.date
            )  # stable: file order within a date
            i = 0
            while i < len(own):
                start = own[i].date
                try:
                    end = span.after(start)
                except OverflowError:  # a window past 9999-12-31 reaches every later date
                    end = date.max
                latest: dict[str, Any] = {}
                j = i
                while j < len(own) and own[j].date <= end:
                    latest[own[j].by] = own[j]
                    j += 1
                ratings: list[Rating] = []
                for by in sorted(latest):
                    entry = latest[by]
                    if scale.is_percent:
                        if entry.value is None:
                            continue
                        ratings.append(Rating(by, entry.date, None, None, entry.value))
                        continue
                    level = scale.level(entry.rating or "")
                    if level.value is None:
                        continue
                    ratings.append(
                        Rating(by, entry.date, level.id, scale.rank(level.id), level.value)
                    )
                base = promise.id if criterion is None else f"{promise.id}/{criterion}"
                found.append(
                    Unit(
                        f"{base}@{start.isoformat()}",
                        promise.id,
                        criterion,
                        title,
                        tuple(ratings),
                        start,
                        end,
                    )
                )
                i = j
    return tuple(found)


def rating_units(
    rubric: Rubric,
    as_of: date | str | None = None,
    minimum: int = 1,
    window: str | None = None,
) -> tuple[Unit, ...]:
    """Every plain promise and criterion with at least ``minimum`` counted ratings.

    The ratings are each assessor's latest assessment ≤ as-of, as in the scorecard's
    trace; ratings at an unrated level are left out. In rubric order. With ``window``
    (an ISO-8601 duration), the windowed units of :func:`windowed_units` instead.
    """
    if window is not None:
        return tuple(u for u in windowed_units(rubric, window, as_of) if len(u.ratings) >= minimum)
    card = score(rubric, as_of)
    found: list[Unit] = []
    for item in card.promises:
        if item.kind == "plain":
            ratings = _counted(item.trace.ratings, rubric)
            if len(ratings) >= minimum:
                found.append(Unit(item.id, item.id, None, item.title, ratings))
        elif item.kind == "criteria":
            for part in item.trace.criteria:
                ratings = _counted(part.ratings, rubric)
                if len(ratings) >= minimum:
                    found.append(
                        Unit(
                            f"{item.id}/{part.id}",
                            item.id,
                            part.id,
                            f"{item.title}: {part.title}",
                            ratings,
                        )
                    )
    return tuple(found)


# --------------------------------------------------------------------------- results


@attrs.frozen
class PairAgreement:
    """Agreement of two assessors over the units both rated."""

    a: str
    b: str
    units: int
    percent_agreement: float | None
    kappa: float | None
    kappa_quadratic: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "units": self.units,
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
            "kappa_quadratic": self.kappa_quadratic,
        }


@attrs.frozen
class Disagreement:
    """A unit the assessors rated differently, with how far apart they are."""

    unit: Unit

    @property
    def spread(self) -> float:
        return self.unit.spread

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.id,
            "promise": self.unit.promise,
            "criterion": self.unit.criterion,
            "title": self.unit.title,
            "spread": self.unit.spread,
            "value_spread": self.unit.value_spread,
            "ratings": [r.to_dict() for r in self.unit.ratings],
        }


@attrs.frozen
class Agreement:
    """Inter-assessor agreement of a rubric as of a date."""

    title: str
    as_of: date
    assessors: tuple[str, ...]
    scale: str  # "levels" or "percent"
    units: tuple[Unit, ...]  # rated by two or more assessors
    alpha: tuple[tuple[Metric, float | None], ...]
    pairs: tuple[PairAgreement, ...]
    disagreements: tuple[Disagreement, ...]
    #: Level id → label (for renderers).
    labels: tuple[tuple[str, str], ...] = ()
    #: The window of FORMAT.md §7.4 (``None``: latest ratings as of the date, format 1).
    window: str | None = None
    #: Windowed units where fewer than two assessors have a value (counted, not paired).
    unpaired: int = 0
    #: Assessor id → display name (format 1.1; for renderers).
    names: tuple[tuple[str, str], ...] = ()
    #: The rubric has no promises yet (a new tracker): nothing can be compared.
    no_promises: bool = False

    def name_of(self, assessor: str) -> str:
        return dict(self.names).get(assessor, assessor)

    def alpha_of(self, metric: Metric) -> float | None:
        return dict(self.alpha)[metric]

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per rating of a unit rated by two or more assessors."""
        return agreement_records(self)

    def to_frame(self) -> Any:
        """A tidy :class:`pandas.DataFrame`, one row per rating (unit × assessor; needs
        the ``pandas`` extra). ``frame.pivot(index="unit", columns="assessor",
        values="rating")`` gives one column per assessor."""
        from ..frames import AGREEMENT_COLUMNS, frame

        return frame(self.to_records(), AGREEMENT_COLUMNS)

    def __repr__(self) -> str:
        from ..display import text

        return text(self)

    def _repr_html_(self) -> str:
        from ..display import html

        return html(self)

    @property
    def values(self) -> int:
        """Pairable ratings: the ratings of all units rated by two or more assessors."""
        return sum(len(u.ratings) for u in self.units)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": 1,
            "title": self.title,
            "as_of": self.as_of.isoformat(),
            "assessors": list(self.assessors),
            "scale": self.scale,
            "units": len(self.units),
            "values": self.values,
            "krippendorff_alpha": dict(self.alpha),
            "pairs": [p.to_dict() for p in self.pairs],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "unit_ids": [u.id for u in self.units],
        }
        if self.window is not None:
            data["window"] = self.window
            data["unpaired"] = self.unpaired
        if self.names:
            data["assessor_names"] = dict(self.names)
        return data


_DEFAULT: Any = object()


def agreement(
    rubric: Rubric, as_of: date | str | None = None, window: str | None = _DEFAULT
) -> Agreement:
    """Agreement between the rubric's assessors as of a date (default FORMAT.md §4.1).

    ``window`` is an ISO-8601 duration such as ``"P3M"`` (FORMAT.md §7.4); by default
    ``P3M`` for a format 1.1 rubric and none (latest ratings as of the date) for format 1.
    Raises ``ValueError`` for a malformed window.
    """
    from ..arguments import require

    require(rubric, Rubric, "rubric", "a Rubric")
    when = as_date(as_of) or rubric.default_as_of(reviewers=True)
    if window is _DEFAULT:
        window = default_window(rubric)
    if window is not None:
        Duration.parse_option(window, "window")  # a readable ValueError for a bad window
    every = (
        windowed_units(rubric, window, when) if window is not None else rating_units(rubric, when)
    )
    rated = tuple(u for u in every if u.ratings)
    units = tuple(u for u in rated if len(u.ratings) >= 2)
    percent = rubric.scale.is_percent
    assessors = tuple(sorted({r.by for u in rated for r in u.ratings}))

    alpha: list[tuple[Metric, float | None]] = []
    for metric in METRICS:
        if percent and metric != "interval":
            alpha.append((metric, None))
            continue
        data: list[list[Hashable | None]] = []
        for unit in units:
            if metric == "nominal":
                data.append([r.rating for r in unit.ratings])
            elif metric == "ordinal":
                data.append([r.rank for r in unit.ratings])
            else:
                data.append([r.value for r in unit.ratings])
        alpha.append((metric, krippendorff_alpha(data, metric)))

    pairs: list[PairAgreement] = []
    # each assessor's rating per unit (by unit position), so that a pair costs what the
    # two share, not a scan of every unit's ratings (which made agree ~n^2.3 in assessors)
    by_unit: dict[str, dict[int, Rating]] = {}
    for position, unit in enumerate(units):
        for item in unit.ratings:
            by_unit.setdefault(item.by, {}).setdefault(position, item)
    for a, b in combinations(assessors, 2):
        of_a, of_b = by_unit.get(a, {}), by_unit.get(b, {})
        both = [(of_a[i], of_b[i]) for i in sorted(of_a.keys() & of_b.keys())]
        if percent:
            kappa = None
            weighted = weighted_kappa([ra.value for ra, _ in both], [rb.value for _, rb in both])
        else:
            kappa = cohen_kappa([ra.rating for ra, _ in both], [rb.rating for _, rb in both])
            weighted = weighted_kappa(
                [float(ra.rank or 0) for ra, _ in both], [float(rb.rank or 0) for _, rb in both]
            )
        pairs.append(
            PairAgreement(
                a,
                b,
                len(both),
                percent_agreement(
                    [ra.value if percent else ra.rating for ra, _ in both],
                    [rb.value if percent else rb.rating for _, rb in both],
                ),
                kappa,
                weighted,
            )
        )

    order = {unit.id: i for i, unit in enumerate(units)}
    disagreements = sorted(
        (Disagreement(u) for u in units if u.spread > 0),
        key=lambda d: (-d.spread, -d.unit.value_spread, order[d.unit.id]),
    )
    return Agreement(
        title=rubric.report.title,
        as_of=when,
        assessors=assessors,
        scale="percent" if percent else "levels",
        units=units,
        alpha=tuple(alpha),
        pairs=tuple(pairs),
        disagreements=tuple(disagreements),
        labels=tuple((level.id, level.label) for level in rubric.scale.levels),
        window=window,
        unpaired=sum(1 for u in every if len(u.ratings) < 2) if window is not None else 0,
        names=tuple((a, rubric.assessor(a).name) for a in assessors)
        if rubric.format != "1"
        else (),
        no_promises=not rubric.promises,
    )


# --------------------------------------------------------------------------- records


def agreement_records(agreement: Agreement) -> list[dict[str, Any]]:
    """One dict per rating of a unit rated by two or more assessors (long form:
    pivot on ``assessor`` for one column per assessor). ``window_start`` and
    ``window_end`` are the unit's window (FORMAT.md §7.4), or ``None`` in format 1."""
    return [
        {
            "unit": unit.id,
            "promise": unit.promise,
            "criterion": unit.criterion,
            "title": unit.title,
            "window_start": unit.start,
            "window_end": unit.end,
            "assessor": r.by,
            "date": r.date,
            "rating": r.rating,
            "rank": r.rank,
            "value": r.value,
        }
        for unit in agreement.units
        for r in unit.ratings
    ]
