"""Hypothesis strategies that build valid rubrics (and pieces of them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from promisescore.model import (
    Assessment,
    Category,
    Criterion,
    Evidence,
    GradeBand,
    Grading,
    Level,
    Promise,
    Report,
    Rubric,
    Scale,
    Source,
    Target,
)
from promisescore.scales import PRESETS

_ID_START = "abcdefghijklmnopqrstuvwxyz0123456789"
ids = st.builds(
    str.__add__, st.sampled_from(_ID_START), st.text(alphabet=_ID_START + "._-", max_size=6)
)
dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
# Printable text with some awkward characters for the writers to escape.
text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\"\\\n\t\x7f'#[]{}="
    ),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() != "")
weights = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)
unit_values = st.floats(min_value=0, max_value=1, allow_nan=False)
meta = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6),
    st.one_of(st.text(max_size=10), st.integers(-1000, 1000), st.booleans()),
    max_size=2,
)


@st.composite
def sources(draw: st.DrawFn) -> Source:
    if draw(st.booleans()):
        return Source(draw(text))
    return Source(
        title=draw(text),
        url=draw(st.none() | st.just("https://example.org/a?b=1&c=<d>")),
        publisher=draw(st.none() | text),
        date=draw(st.none() | dates),
        kind=draw(st.none() | st.sampled_from(["record", "report", "claim", "advocacy"])),
    )


@st.composite
def custom_scales(draw: st.DrawFn) -> Scale:
    count = draw(st.integers(2, 5))
    values = sorted(draw(st.lists(unit_values, min_size=count, max_size=count)))
    level_ids = draw(st.lists(ids, min_size=count, max_size=count, unique=True))
    levels = [
        Level(level_id, f"Level {i}", value, final=draw(st.booleans()))
        for i, (level_id, value) in enumerate(zip(level_ids, values, strict=True))
    ]
    if draw(st.booleans()):
        levels.insert(0, Level(draw(ids.filter(lambda x: x not in level_ids)), "Unrated", None))
    return Scale(levels=tuple(levels))


scales = st.one_of(st.sampled_from([Scale(name) for name in PRESETS]), custom_scales())


@st.composite
def gradings(draw: st.DrawFn, scale: Scale) -> Grading:
    consensus = draw(
        st.sampled_from(
            ["median", "min", "max", "mean"] if scale.is_percent else ["median", "min", "max"]
        )
    )
    late = None
    rated_levels = [level.id for level in scale.levels if not level.unrated]
    use_late = draw(st.booleans())
    if rated_levels and use_late:
        late = draw(st.sampled_from(rated_levels))
    bands = Grading().bands
    if draw(st.booleans()):
        mins = sorted(
            draw(st.lists(unit_values, min_size=1, max_size=4, unique=True)), reverse=True
        )
        bands = tuple(GradeBand(f"G{i}", m) for i, m in enumerate(mins))
    return Grading(
        bands=bands,
        unrated=draw(st.sampled_from(["exclude", "zero"])),
        consensus=consensus,  # type: ignore[arg-type]
        late=late,
    )


@st.composite
def rubrics(
    draw: st.DrawFn,
    *,
    max_promises: int = 6,
    max_items: int = 12,
    scale: Scale | None = None,
    allow_late: bool = True,
) -> Rubric:
    """A valid rubric with categories, plain/criteria/target promises, evidence and
    assessments by a few assessors."""
    if scale is None:
        scale = draw(scales)
    start = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2022, 12, 31)))
    end = draw(st.none() | st.dates(min_value=start, max_value=date(2030, 12, 31)))
    report = Report(
        title=draw(text),
        start=start,
        subject=draw(st.none() | text),
        end=end,
        as_of=draw(st.none() | dates),
        meta=draw(meta),
    )
    grading = draw(gradings(scale))
    if not allow_late:
        grading = Grading(grading.bands, grading.unrated, grading.consensus, None)
    category_ids = draw(st.lists(ids, max_size=3, unique=True))
    categories = [
        Category(cid, draw(text), draw(st.none() | weights), meta=draw(meta))
        for cid in category_ids
    ]

    promise_ids = draw(st.lists(ids, min_size=1, max_size=max_promises, unique=True))
    promises: list[Promise] = []
    for pid in promise_ids:
        kind = draw(st.sampled_from(["plain", "plain", "criteria", "target"]))
        criteria: tuple[Criterion, ...] = ()
        target = None
        if kind == "criteria":
            crit_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
            criteria = tuple(Criterion(c, draw(text), draw(weights)) for c in crit_ids)
        elif kind == "target":
            baseline = draw(st.integers(-100, 100))
            goal = baseline + draw(st.sampled_from([-1, 1])) * draw(st.integers(1, 100))
            target = Target("metric", baseline, goal, draw(st.none() | st.just("units")))
        deadline_options: list[Any] = [None, draw(dates), "P100D", "P1Y", "P6M", "P2W", "P1Y2M3W4D"]
        if end is not None:
            deadline_options.append("end-of-term")
        promises.append(
            Promise(
                id=pid,
                title=draw(text),
                text=draw(st.none() | text),
                category=draw(st.none() | st.sampled_from(category_ids)) if category_ids else None,
                weight=draw(weights),
                made_by=draw(st.none() | text),
                made_on=draw(st.none() | dates),
                source=draw(st.none() | sources()),
                deadline=draw(st.sampled_from(deadline_options)),
                authority=draw(st.none() | st.sampled_from(["executive", "legislature", "shared"])),
                tags=tuple(draw(st.lists(text, max_size=2))),
                criteria=criteria,
                target=target,
                meta=draw(meta),
            )
        )

    evidence: list[Evidence] = []
    evidence_ids = draw(st.lists(ids, max_size=max_items, unique=True))
    for eid in evidence_ids:
        promise = draw(st.sampled_from(promises))
        criterion = None
        on_criterion = draw(st.booleans())
        if promise.criteria and on_criterion:
            criterion = draw(st.sampled_from(promise.criteria)).id
        value = None
        if promise.target is not None and draw(st.booleans()):
            value = float(draw(st.integers(-150, 150)))
        evidence.append(
            Evidence(
                id=eid,
                promise=promise.id,
                date=draw(dates),
                summary=draw(text),
                source=draw(sources()),
                criterion=criterion,
                quote=draw(st.none() | text),
                effect=draw(st.sampled_from(["advances", "regresses", "neutral"])),
                value=value,
            )
        )

    assessable = [p for p in promises if p.target is None]
    assessors = draw(
        st.lists(
            st.sampled_from(["alice", "bob", "carol", "default"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    assessments: list[Assessment] = []
    if assessable:
        for _ in range(draw(st.integers(0, max_items))):
            promise = draw(st.sampled_from(assessable))
            criterion = draw(st.sampled_from(promise.criteria)).id if promise.criteria else None
            if scale.is_percent:
                rating, value = None, draw(unit_values)
            else:
                rating, value = draw(st.sampled_from(scale.levels)).id, None
            cited = (
                draw(st.lists(st.sampled_from(evidence_ids), max_size=2)) if evidence_ids else []
            )
            assessments.append(
                Assessment(
                    promise=promise.id,
                    date=draw(dates),
                    rating=rating,
                    value=value,
                    criterion=criterion,
                    by=draw(st.sampled_from(assessors)),
                    evidence=tuple(cited),
                    note=draw(st.none() | text),
                )
            )
    return Rubric(
        report=report,
        scale=scale,
        grading=grading,
        categories=tuple(categories),
        promises=tuple(promises),
        evidence=tuple(evidence),
        assessments=tuple(assessments),
        meta=draw(meta),
    )
