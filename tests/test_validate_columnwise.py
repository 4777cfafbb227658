"""The column-wise shortcuts of ``promisescore.validate`` (sets of ids and references
compared at once, the per-object loops skipped when they would find nothing) give
exactly the problems the loops give, on valid rubrics, on rubrics with broken
references and on fuzzed files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore import validate
from promisescore.model import Rubric
from promisescore.model import rubric as model_rubric
from promisescore.model.rubric import relation_problems, trusted

from .strategies import rubrics
from .strategies_fuzz import mutated_text

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def loops_only() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_rubric, "COLUMNWISE", False)
        yield


def _checks(rubric: Rubric) -> tuple[list[promisescore.Problem], list[promisescore.Problem]]:
    found = relation_problems(rubric), validate.warning_problems(rubric)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_rubric, "COLUMNWISE", False)
        looped = relation_problems(rubric), validate.warning_problems(rubric)
    assert found == looped
    return found


def _broken(rubric: Rubric, data: st.DataObject) -> Rubric:
    """Break some references: unknown promises, criteria, ratings, evidence, assessors;
    a duplicate id; dates out of the term."""
    evidence = list(rubric.evidence)
    assessments = list(rubric.assessments)
    for _ in range(data.draw(st.integers(0, 3))):
        what = data.draw(
            st.sampled_from(
                ["promise", "criterion", "rating", "cite", "value", "dup", "late", "by", "kept"]
            )
        )
        if what in ("promise", "criterion", "dup", "late") and evidence:
            i = data.draw(st.integers(0, len(evidence) - 1))
            e = evidence[i]
            if what == "promise":
                evidence[i] = attrs.evolve(e, promise="nowhere")
            elif what == "criterion":
                evidence[i] = attrs.evolve(e, criterion="nocrit")
            elif what == "dup":
                evidence.append(e)
            else:
                evidence[i] = attrs.evolve(e, date=date(2099, 1, 1))
        elif assessments:
            i = data.draw(st.integers(0, len(assessments) - 1))
            a = assessments[i]
            if what == "promise":
                assessments[i] = attrs.evolve(a, promise="nowhere")
            elif what == "criterion":
                assessments[i] = attrs.evolve(a, criterion="nocrit")
            elif what == "rating":
                assessments[i] = attrs.evolve(a, rating="no-level", value=None)
            elif what == "value":
                assessments[i] = attrs.evolve(a, value=0.5)
            elif what == "cite":
                assessments[i] = attrs.evolve(a, evidence=(*a.evidence, "no-such-evidence"))
            elif what == "by":
                assessments[i] = attrs.evolve(a, by="stranger")
            elif what == "late":
                assessments[i] = attrs.evolve(a, date=date(2099, 1, 1))
            elif rubric.scale.levels:  # a full rating: W103 unless a source is independent
                assessments[i] = attrs.evolve(a, rating=rubric.scale.levels[-1].id, value=None)
            else:
                assessments[i] = attrs.evolve(a, rating=None, value=1.0)
    with trusted():
        return attrs.evolve(rubric, evidence=tuple(evidence), assessments=tuple(assessments))


@SETTINGS
@given(rubric=rubrics(), data=st.data())
def test_columnwise_checks_agree_with_the_loops(rubric: Rubric, data: st.DataObject) -> None:
    _checks(rubric)
    _checks(_broken(rubric, data))


@SETTINGS
@given(syntax=st.sampled_from(["toml", "json"]), data=st.data())
def test_columnwise_checks_agree_on_fuzzed_files(syntax: str, data: st.DataObject) -> None:
    text = data.draw(mutated_text(syntax))
    found = promisescore.check_text(text, syntax)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_rubric, "COLUMNWISE", False)
        looped = promisescore.check_text(text, syntax)
    assert found.problems == looped.problems


def test_clean_columns_skip_the_loops() -> None:
    """A clean rubric has nothing to report; one unknown reference is reported once,
    located, by the loop the shortcut fell back to."""
    from .strategies_fuzz import SEED_TOML

    assert promisescore.check_text(SEED_TOML).ok
    broken = SEED_TOML.replace('evidence = ["e3"]', 'evidence = ["e3", "e9"]')
    result = promisescore.check_text(broken)
    line = broken.splitlines().index('evidence = ["e3", "e9"]') + 1
    assert [(p.code, p.line) for p in result.errors] == [("E303", line)]
