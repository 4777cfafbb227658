"""Properties of format 1.1 over generated rubrics (FORMAT.md §7), and agreement over
contemporaneous windows checked against an independent computation."""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Sequence
from datetime import date
from itertools import permutations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore as ps
from promisescore.analysis import agreement
from promisescore.dates import Duration
from promisescore.model import Assessment, Assessor, Rubric
from promisescore.scoring import Scorecard

from .strategies import dates, rubrics

ROLE_SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def as_11(rubric: Rubric) -> Rubric:
    """The same rubric in format 1.1, every assessor declared independent."""
    return attrs.evolve(
        rubric,
        format="1.1",
        declared_assessors=tuple(
            Assessor(a, f"Assessor {a}", "independent") for a in rubric.assessors
        ),
    )


def headline(card: Scorecard) -> dict[str, object]:
    return {
        "overall": (card.overall.score, card.overall.grade, card.overall.coverage),
        "categories": [(c.id, c.score, c.grade, c.coverage, c.weight) for c in card.categories],
        "promises": [
            (p.id, p.fulfillment, p.rating, p.rated, p.overdue, p.late, p.trace.stable_since)
            for p in card.promises
        ],
        "left_out": card.left_out,
    }


@ROLE_SETTINGS
@given(rubrics(), st.none() | dates)
def test_a_format_1_rubric_scores_exactly_as_its_11_copy(
    rubric: Rubric, as_of: date | None
) -> None:
    old = ps.score(rubric, as_of)
    new = ps.score(as_11(rubric), as_of)
    assert headline(new) == headline(old)
    assert new.assessors == old.assessors
    for item in new.promises:
        if item.kind == "plain":
            assert item.status == item.rating
        assert item.trace.excluded == ()
    # status counts cover every promise; for plain promises they match format 1's counts
    counts_11 = dict(new.counts)
    assert sum(counts_11.values()) == sum(
        1 for p in new.promises if p.status is not None or not p.rated
    )
    for level, count in old.counts:
        assert counts_11[level] >= count
    for assessor in rubric.assessors:
        assert headline(ps.score(as_11(rubric), as_of, assessor)) == headline(
            ps.score(rubric, as_of, assessor)
        )


@ROLE_SETTINGS
@given(rubrics())
def test_format_1_json_keeps_schema_version_1(rubric: Rubric) -> None:
    data = json.loads(ps.render(ps.score(rubric), "json"))
    assert data["schema_version"] == 1
    assert all("status" not in p for p in data["promises"])
    new = json.loads(ps.render(ps.score(as_11(rubric)), "json"))
    assert new["schema_version"] == 2
    assert all({"status", "stale", "assessors"} <= set(p) for p in new["promises"])


@ROLE_SETTINGS
@given(rubrics(), st.data())
def test_self_ratings_never_change_the_headline_under_default_roles(
    rubric: Rubric, data: st.DataObject
) -> None:
    base = as_11(rubric)
    assessable = [p for p in base.promises if p.target is None]
    extra: list[Assessment] = []
    for _ in range(data.draw(st.integers(0, 8)) if assessable else 0):
        promise = data.draw(st.sampled_from(assessable))
        criterion = data.draw(st.sampled_from(promise.criteria)).id if promise.criteria else None
        if base.scale.is_percent:
            rating, value = None, data.draw(st.floats(0, 1))
        else:
            rating, value = data.draw(st.sampled_from(base.scale.levels)).id, None
        when = data.draw(dates)
        effective = data.draw(st.none() | st.dates(max_value=when))
        extra.append(
            Assessment(
                promise=promise.id,
                date=when,
                rating=rating,
                value=value,
                criterion=criterion,
                by="gov",
                effective=effective,
            )
        )
    position = data.draw(st.integers(0, len(base.assessments)))
    with_self = attrs.evolve(
        base,
        declared_assessors=(*base.declared_assessors, Assessor("gov", "Government", "self")),
        assessments=(*base.assessments[:position], *extra, *base.assessments[position:]),
    )
    # §4.1: the default as-of date is the latest of *any* assessment, the self-assessor's
    # included, so the property holds as of a fixed date (the base rubric's default here)
    as_of = data.draw(st.none() | dates) or base.default_as_of()
    before = ps.score(base, as_of)
    after = ps.score(with_self, as_of)
    assert headline(after) == headline(before)
    assert after.counts == before.counts
    assert [p.stale for p in after.promises] == [p.stale for p in before.promises]
    assert [p.status for p in after.promises] == [p.status for p in before.promises]


# --------------------------------------------------------------------------- alpha


def independent_units(
    rubric: Rubric, window: str, when: date
) -> list[list[tuple[str, Hashable, float]]]:
    """Windowed units of FORMAT.md §7.4 computed afresh: per promise and criterion, in
    date order, a window opens at the first unused assessment; each assessor's last
    assessment in it (file order breaks date ties) is its value; unrated levels are
    missing. Returns for each unit the (assessor, level id or value, number) ratings."""
    span = Duration.parse(window)
    scale = rubric.scale
    units: list[list[tuple[str, Hashable, float]]] = []
    keys: list[tuple[str, str | None]] = []
    for promise in rubric.promises:
        if promise.target is not None or (promise.made_on is not None and promise.made_on > when):
            continue
        if promise.criteria:
            keys += [(promise.id, c.id) for c in promise.criteria]
        else:
            keys.append((promise.id, None))
    for promise_id, criterion in keys:
        indexed = [
            (a.date, i, a)
            for i, a in enumerate(rubric.assessments)
            if a.promise == promise_id and a.criterion == criterion and a.date <= when
        ]
        indexed.sort(key=lambda t: (t[0], t[1]))
        used = 0
        while used < len(indexed):
            start = indexed[used][0]
            end = span.after(start)
            inside = [t for t in indexed[used:] if t[0] <= end]
            used += len(inside)
            last: dict[str, Assessment] = {}
            for _, _, a in inside:
                last[a.by] = a
            unit: list[tuple[str, Hashable, float]] = []
            for by, a in sorted(last.items()):
                if scale.is_percent:
                    assert a.value is not None
                    unit.append((by, a.value, a.value))
                else:
                    level = scale.level(a.rating or "")
                    if level.value is not None:
                        unit.append((by, level.id, float(scale.rank(level.id))))
            units.append(unit)
    return units


def pairwise_alpha(units: Sequence[Sequence[Hashable]], delta: str) -> float | None:
    """Krippendorff's alpha from its pairwise definition: 1 − D_o / D_e with
    D_o = (1/n) Σ_u 1/(m_u − 1) Σ_{i≠j in u} δ(v_i, v_j) and
    D_e = 1/(n(n − 1)) Σ_{i≠j over all pairable values} δ(v_i, v_j)."""

    def d(a: Hashable, b: Hashable) -> float:
        if delta == "nominal":
            return 0.0 if a == b else 1.0
        return (float(a) - float(b)) ** 2  # type: ignore[arg-type]

    pairable = [list(u) for u in units if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    if n < 2:
        return None
    observed = (
        math.fsum(
            math.fsum(d(a, b) for a, b in permutations(u, 2)) / (len(u) - 1) for u in pairable
        )
        / n
    )
    expected = math.fsum(d(a, b) for a, b in permutations(values, 2)) / (n * (n - 1))
    if expected == 0:
        return None
    return 1.0 - observed / expected


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(
    rubrics(max_items=16),
    st.sampled_from(["P1D", "P2W", "P3M", "P1Y"]),
    st.none() | dates,
)
def test_alpha_over_windowed_units_matches_an_independent_computation(
    rubric: Rubric, window: str, as_of: date | None
) -> None:
    result = agreement(rubric, as_of, window=window)
    when = as_of or rubric.default_as_of()
    units = independent_units(rubric, window, when)
    paired = [u for u in units if len(u) >= 2]
    assert len(result.units) == len(paired)
    assert result.unpaired == sum(1 for u in units if len(u) < 2)
    assert result.window == window
    assert [sorted(r.by for r in u.ratings) for u in result.units] == [
        [by for by, _, _ in u] for u in paired
    ]
    if rubric.scale.is_percent:
        expected = pairwise_alpha([[v for _, v, _ in u] for u in units], "interval")
        got = result.alpha_of("interval")
    else:
        expected = pairwise_alpha([[v for _, v, _ in u] for u in units], "nominal")
        got = result.alpha_of("nominal")
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)
