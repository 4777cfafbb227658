"""Properties of format 1.1 over generated rubrics (FORMAT.md §7), and agreement over
contemporaneous windows checked against an independent computation."""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Sequence
from datetime import date
from itertools import permutations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore as ps
from promisescore.analysis import agreement
from promisescore.dates import Duration
from promisescore.model import Assessment, Rubric
from promisescore.scoring import Scorecard

from .strategies import dates, rubrics
from .strategies_format11 import as_11, rubrics_11, with_self_assessor

ROLE_SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


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
    with_self = data.draw(with_self_assessor(base))
    # The same as-of date for both: without one, D is the latest date in the rubric
    # (FORMAT.md §4.1), which the self ratings' own dates may move.
    as_of = data.draw(st.none() | dates) or ps.score(with_self).as_of
    before = ps.score(base, as_of)
    after = ps.score(with_self, as_of)
    assert headline(after) == headline(before)
    assert after.counts == before.counts
    assert [p.stale for p in after.promises] == [p.stale for p in before.promises]
    assert [p.status for p in after.promises] == [p.status for p in before.promises]


@ROLE_SETTINGS
@given(rubrics_11(), st.none() | dates)
def test_every_11_rubric_keeps_the_invariants_of_section_7(
    rubric: Rubric, as_of: date | None
) -> None:
    card = ps.score(rubric, as_of)
    roles = rubric.grading.roles
    for item in card.promises:
        # §7.6: a status exactly for rated promises on a scale with levels ...
        if not item.rated or rubric.scale.is_percent:
            assert item.status is None
        # ... plain promises show their consensus level
        if item.kind == "plain":
            assert item.status == item.rating
        if item.status is not None:
            assert rubric.scale.has_level(item.status)
        # §7.3: only rated promises can be stale, and only with stale_after
        assert not item.stale or (item.rated and rubric.grading.stale_after is not None)
        # §7.1: every counted rating is by a counted role; every left-out one is not
        counted = list(item.trace.ratings)
        for part in item.trace.criteria:
            counted += part.ratings
        assert all(r.role in roles for r in counted)
        assert all(r.role not in roles for r in item.trace.excluded)
    # counts over every promise: unrated ones, and rated ones with a status
    assert sum(dict(card.counts).values()) == sum(
        1 for p in card.promises if not p.rated or p.status is not None
    )
    # §7.5: no bands, no grade anywhere
    if not rubric.grading.bands:
        assert card.overall.grade is None
        assert all(c.grade is None for c in card.categories)
    data = json.loads(ps.render(card, "json"))
    assert data["schema_version"] == 2
    assert [p["status"] for p in data["promises"]] == [p.status for p in card.promises]


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
