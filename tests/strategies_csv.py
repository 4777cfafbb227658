"""Hypothesis strategies: valid rubrics whose every field the CSV files can carry.

That is: a built-in scale, default grading, no report or rubric meta, no source or
target meta, and optional texts either absent or non-empty (an empty cell reads back
as "not given"). Everything else varies, including awkward text (commas, quotes,
newlines, semicolons, non-ASCII) and meta tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from promisescore.model import (
    Assessment,
    Category,
    Criterion,
    Evidence,
    Promise,
    Report,
    Rubric,
    Scale,
    Source,
    Target,
)
from promisescore.scales import PRESETS

ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,6}", fullmatch=True)
# Text as people paste it: any printable character, line breaks, commas and quotes.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters='\n\r\t,;"[]'),
    min_size=1,
    max_size=30,
)
required_text = text.filter(lambda s: s.strip() != "")
optional_text = st.none() | text
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
weights = st.floats(min_value=0.001, max_value=1000, allow_nan=False, allow_infinity=False)
units = st.floats(min_value=0, max_value=1, allow_nan=False)
numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
meta = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.one_of(st.text(max_size=10), st.integers(-100, 100), st.booleans()),
    max_size=3,
)
sources = st.builds(Source, title=required_text) | st.builds(
    Source,
    title=required_text,
    url=st.none() | st.just("https://example.org/a?b=1,2"),
    publisher=optional_text,
    date=st.none() | dates,
    kind=st.none() | st.sampled_from(["record", "report", "claim", "advocacy"]),
)
tags = st.lists(text, max_size=3).map(tuple)
deadlines = st.none() | dates | st.sampled_from(["P100D", "P1Y", "P6M2W"])


@st.composite
def rubrics(draw: Any) -> Rubric:
    preset = draw(st.sampled_from(sorted(PRESETS)))
    scale = Scale(preset)
    start = draw(dates)
    report = Report(
        title=draw(required_text),
        start=start,
        subject=draw(optional_text),
        end=draw(st.none() | st.just(date(2031, 1, 1))),
        as_of=draw(st.none() | dates),
    )
    category_ids = draw(st.lists(ids, max_size=3, unique=True))
    categories = [
        Category(
            cid,
            draw(required_text),
            weight=draw(st.none() | weights),
            meta=draw(meta),
        )
        for cid in category_ids
    ]
    promise_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    promises: list[Promise] = []
    for pid in promise_ids:
        shape = draw(st.sampled_from(["plain", "criteria", "target"]))
        criteria: tuple[Criterion, ...] = ()
        target = None
        if shape == "criteria":
            cids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
            criteria = tuple(
                Criterion(c, draw(required_text), draw(weights), meta=draw(meta)) for c in cids
            )
        elif shape == "target":
            baseline = draw(numbers)
            goal = draw(numbers)
            if goal == baseline:
                goal = baseline + 1
            target = Target(draw(required_text), baseline, goal, draw(optional_text))
        promises.append(
            Promise(
                pid,
                draw(required_text),
                text=draw(optional_text),
                category=draw(st.none() | st.sampled_from(category_ids)) if category_ids else None,
                weight=draw(weights),
                made_by=draw(optional_text),
                made_on=draw(st.none() | dates),
                source=draw(st.none() | sources),
                deadline=draw(deadlines),
                authority=draw(optional_text),
                tags=draw(tags),
                criteria=criteria,
                target=target,
                meta=draw(meta),
            )
        )
    evidence: list[Evidence] = []
    for eid in draw(st.lists(ids, max_size=4, unique=True)):
        promise = draw(st.sampled_from(promises))
        evidence.append(
            Evidence(
                eid,
                promise.id,
                draw(dates),
                draw(required_text),
                draw(sources),
                criterion=draw(st.sampled_from([c.id for c in promise.criteria]))
                if promise.criteria
                else None,
                quote=draw(optional_text),
                effect=draw(st.sampled_from(["advances", "regresses", "neutral"])),
                value=draw(st.none() | numbers) if promise.target is not None else None,
                meta=draw(meta),
            )
        )
    assessable = [p for p in promises if p.target is None]
    assessments: list[Assessment] = []
    for _ in range(draw(st.integers(0, 4)) if assessable else 0):
        promise = draw(st.sampled_from(assessable))
        cited = [e.id for e in evidence if e.promise == promise.id]
        if scale.is_percent:
            rating, value = None, draw(units)
        else:
            rating, value = draw(st.sampled_from([lv.id for lv in scale.levels])), None
        assessments.append(
            Assessment(
                promise.id,
                draw(dates),
                rating=rating,
                value=value,
                criterion=draw(st.sampled_from([c.id for c in promise.criteria]))
                if promise.criteria
                else None,
                by=draw(st.sampled_from(["default", "editors", "a, b"])),
                evidence=tuple(draw(st.lists(st.sampled_from(cited), unique=True)))
                if cited
                else (),
                note=draw(optional_text),
                meta=draw(meta),
            )
        )
    return Rubric(
        report=report,
        scale=scale,
        promises=promises,
        categories=categories,
        evidence=evidence,
        assessments=assessments,
    )
