"""Research features: records and data frames, notebook display, and ``compare``."""

from __future__ import annotations

import builtins
import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.analysis import compare, diff, timeline
from promisescore.analysis.agreements import agreement
from promisescore.analysis.comparisons import SHARE_KEYS, cppg_share_key
from promisescore.cli import main
from promisescore.frames import PANDAS_EXTRA, MissingExtraError
from promisescore.loading import load
from promisescore.model import Rubric
from promisescore.renderers.compare import render as render_compare
from promisescore.scoring import Scorecard, score
from promisescore.scoring.scorecard import maker_of

from . import strategies, strategies_analysis
from .conftest import IMMIGRATION, WBT
from .strategies_research import research_rubrics, rubric_lists, rubrics_11

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
#: Gold files of `compare` (apart from tests/gold, whose files test_gold.py owns).
GOLD = REPO / "tests" / "gold_compare"
CPPG = FIXTURES / "cppg-pledges.toml"
CARD = FIXTURES / "report-card.toml"
XSS = FIXTURES / "xss.toml"
REGEN = os.environ.get("PROMISESCORE_REGEN_GOLD") == "1"


def _no_pandas(monkeypatch: pytest.MonkeyPatch, how: str = "modules") -> None:
    """Make ``import pandas`` fail, as when the extra is not installed: by a ``None`` in
    ``sys.modules``, or by an import hook that refuses it."""
    for name in list(sys.modules):
        if name == "pandas" or name.startswith("pandas."):
            monkeypatch.delitem(sys.modules, name)
    if how == "modules":
        monkeypatch.setitem(sys.modules, "pandas", None)
        return
    real = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# --------------------------------------------------------------------------- records and frames


@given(st.one_of(strategies_analysis.rubrics(), rubrics_11(), strategies.rubrics()))
@settings(max_examples=60)
def test_records_and_frame_equal_the_score_json(rubric: Rubric) -> None:
    card = score(rubric)
    document = json.loads(promisescore.render(card, "json"))
    records = card.to_records()
    frame = card.to_frame()
    assert len(records) == len(frame) == len(document["promises"])
    assert list(frame.columns) == list(records[0]) if records else True
    for i, expected in enumerate(document["promises"]):
        record = records[i]
        for key in (
            "id",
            "title",
            "category",
            "weight",
            "kind",
            "rating",
            "fulfillment",
            "rated",
            "overdue",
            "late",
            "made_by",
            "authority",
        ):
            assert record[key] == expected[key], key
            value = frame[key].iloc[i]
            if expected[key] is None:
                assert value is None or (isinstance(value, float) and math.isnan(value)), key
            else:
                assert value == expected[key], key
        for key in ("deadline", "made_on", "latest_evidence"):
            assert _iso(record[key]) == expected[key], key
            cell = frame[key].iloc[i]
            if expected[key] is None:
                assert str(cell) == "NaT"
            else:
                assert cell.date().isoformat() == expected[key]
        status = expected.get("status", expected["rating"])
        if expected["kind"] == "plain" or "status" in expected:
            assert record["status"] == status
        if "stale" in expected:
            assert record["stale"] == expected["stale"]
        promise = rubric.promise(record["id"])
        assert record["tags"] == list(promise.tags)
        assert record["maker"] == (promise.made_by or rubric.report.subject)
        assert record["category_title"] == next(
            c["title"] for c in document["categories"] if c["id"] == record["category"]
        )


@given(st.one_of(strategies_analysis.rubrics(), rubrics_11()))
@settings(max_examples=40)
def test_per_assessor_columns_hold_each_assessors_rating(rubric: Rubric) -> None:
    card = score(rubric)
    document = card.to_dict(trace=False)
    shown = [*card.assessors, *(a for a in card.excluded_assessors if a not in card.assessors)]
    for record, item, data in zip(
        card.to_records(), card.promises, document["promises"], strict=True
    ):
        columns = {k: v for k, v in record.items() if k.startswith("rating:")}
        assert list(columns) == [f"rating:{a}" for a in shown]
        if item.kind == "plain":
            # the score JSON's per-assessor ratings (FORMAT.md §7.6) ...
            assessors = data.get("assessors", item.assessors)
            for name, value in assessors.items():
                assert columns[f"rating:{name}"] == value
            # ... and those of assessors left out by role (§7.1), as reports show them
            for r in item.trace.excluded:
                assert columns[f"rating:{r.by}"] == (r.rating if r.rating is not None else r.value)
            given = set(assessors) | {r.by for r in item.trace.excluded}
            assert all(v is None for k, v in columns.items() if k[len("rating:") :] not in given)
        elif item.kind == "target":
            assert set(columns.values()) <= {None}
        else:
            for name in shown:
                alone = score(rubric, card.as_of, name).promise(item.id)
                counted = any(
                    r.by == name and r.counted for c in item.trace.criteria for r in c.ratings
                ) or any(r.by == name and r.counted for r in item.trace.excluded)
                if counted:
                    assert columns[f"rating:{name}"] == pytest.approx(
                        alone.trace.standing_fulfillment
                    )
                else:
                    assert columns[f"rating:{name}"] is None


@given(rubrics_11())
@settings(max_examples=40)
def test_format_11_frames_carry_status_and_stale_as_in_the_json(rubric: Rubric) -> None:
    card = score(rubric)
    document = json.loads(promisescore.render(card, "json"))
    assert document["schema_version"] == 2
    frame = card.to_frame()
    for i, expected in enumerate(document["promises"]):
        record = card.to_records()[i]
        assert record["status"] == expected["status"]
        assert record["stale"] is expected["stale"]
        assert bool(frame["stale"].iloc[i]) is expected["stale"]
        status = frame["status"].iloc[i]
        assert status == expected["status"] or (status is None and expected["status"] is None)
    # the compare row's counts are the score JSON's (status counts in format 1.1)
    row = compare([rubric]).to_dict()["rubrics"][0]
    assert row["counts"] == document["counts"]


def test_frame_dtypes_are_typed() -> None:
    card = score(load(CPPG))
    frame = card.to_frame()
    assert str(frame["deadline"].dtype) == "datetime64[s]"
    assert str(frame["made_on"].dtype) == "datetime64[s]"
    assert frame["weight"].dtype.kind == "f"
    assert frame["rated"].dtype.kind == "b"
    assert frame["tags"].iloc[0] == ["wages", "flagship"]
    exploded = frame.explode("tags")
    assert sorted(t for t in exploded["tags"] if isinstance(t, str)) == sorted(
        t for p in card.promises for t in p.tags
    )


@pytest.mark.parametrize("how", ["modules", "import-hook"])
def test_to_records_works_without_pandas_and_to_frame_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    rubric = load(IMMIGRATION)
    card = score(rubric)
    _no_pandas(monkeypatch, how)
    with pytest.raises(ImportError):
        import pandas  # noqa: F401
    assert len(card.to_records()) == len(card.promises)
    results: list[Any] = [
        card,
        timeline(rubric),
        agreement(rubric),
        diff(score(rubric, "2021-06-01"), card),
        compare([rubric]),
    ]
    for result in results:
        assert isinstance(result.to_records(), list)
        with pytest.raises(MissingExtraError) as caught:
            result.to_frame()
        assert PANDAS_EXTRA in str(caught.value)
        assert "promisescore[pandas]" in str(caught.value)
        assert isinstance(caught.value, ImportError)


def test_records_repr_and_compare_never_import_pandas() -> None:
    script = (
        "import sys, promisescore\n"
        f"r = promisescore.load({str(CPPG)!r})\n"
        "c = promisescore.score(r)\n"
        "c.to_records(); repr(c); c._repr_html_()\n"
        "promisescore.compare([r], by='tag').to_records()\n"
        "print('pandas' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@given(strategies_analysis.rubrics())
@settings(max_examples=25)
def test_timeline_frame_has_one_row_per_date_equal_to_score(rubric: Rubric) -> None:
    result = timeline(rubric)
    frame = result.to_frame()
    assert len(frame) == len(result.points)
    for i, point in enumerate(result.points):
        card = score(rubric, point.as_of)
        assert frame["as_of"].iloc[i].date() == point.as_of
        row = result.to_records()[i]
        assert row["score"] == card.overall.score
        assert row["coverage"] == card.overall.coverage
        assert row["grade"] == card.overall.grade
        assert row["promises"] == len(card.promises)
        for key, count in card.counts:
            assert row[f"count:{key}"] == count
        for category in card.categories:
            assert row[f"score:{category.id}"] == category.score


def test_agreement_and_diff_frames() -> None:
    rubric = load(IMMIGRATION)
    result = agreement(rubric)
    frame = result.to_frame()
    assert len(frame) == sum(len(u.ratings) for u in result.units)
    wide = frame.pivot(index="unit", columns="assessor", values="rating")
    # every assessor with a rating in a unit is a column (with format 1.1 windows, one
    # who never rated within a window of another's is unpaired and has none)
    assert set(wide.columns) == {r.by for u in result.units for r in u.ratings}
    assert set(wide.columns) <= set(result.assessors)
    assert set(wide.index) == {u.id for u in result.units}
    changes = diff(score(rubric, "2021-06-01"), score(rubric))
    dframe = changes.to_frame()
    assert list(dframe["promise"]) == [c.promise for c in changes.changes]
    for i, change in enumerate(changes.changes):
        assert dframe["change"].iloc[i] == change.change
        assert _same(
            dframe["delta"].iloc[i], change.delta if change.delta is not None else math.nan
        )


# --------------------------------------------------------------------------- notebook display


def test_repr_is_one_line_with_title_as_of_score_and_coverage() -> None:
    rubric = load(CARD)
    card = score(rubric)
    text = repr(card)
    assert "\n" not in text
    assert text == (
        f"<Scorecard {card.title!r} as of {card.as_of.isoformat()}: score "
        f"{100 * (card.overall.score or 0):.1f}% ({card.overall.grade}), coverage "
        f"{100 * (card.overall.coverage or 0):.1f}%>"
    )
    assert len(text) < 200
    for other in (timeline(rubric), agreement(rubric), compare([rubric], by="tag")):
        assert "\n" not in repr(other)
        assert rubric.report.title in repr(other) or "Comparison" in repr(other)


def test_repr_html_escapes_and_runs_nothing() -> None:
    rubric = load(XSS)
    for result in (score(rubric), timeline(rubric), agreement(rubric), compare([rubric])):
        page = result._repr_html_()
        lowered = page.lower()
        assert "<script" not in lowered
        assert "onerror=" not in lowered.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
        assert "<img" not in lowered
        assert "<html" not in lowered  # a fragment, not a page


def test_repr_html_shows_the_card_figures() -> None:
    card = score(load(CARD))
    page = card._repr_html_()
    assert card.title.replace("'", "&#39;") in page
    assert f"{100 * (card.overall.score or 0):.1f}%" in page
    for category in card.categories:
        assert category.title.replace("&", "&amp;") in page
    result = timeline(load(CARD))
    assert "<svg" in result._repr_html_()


# --------------------------------------------------------------------------- compare


@given(rubric_lists(), st.sampled_from([None, date(2022, 1, 1)]))
@settings(max_examples=30)
def test_compare_rows_equal_each_rubrics_own_score(rubrics: list[Rubric], when: Any) -> None:
    result = compare(rubrics, as_of=when)
    document = json.loads(render_compare(result, "json"))
    assert list(document) == ["schema_version", "as_of", "rubrics", "groups"]
    assert document["as_of"] == (when.isoformat() if when else None)
    assert document["groups"] == []
    for rubric, row in zip(rubrics, document["rubrics"], strict=True):
        card = json.loads(promisescore.render(score(rubric, when), "json"))
        assert list(row) == ["title", "file", "subject", "overall", "counts", "shares"]
        assert row["title"] == card["title"]
        assert row["subject"] == card["subject"]
        assert row["overall"] == card["overall"]
        assert row["counts"] == card["counts"]
        assert list(row["shares"]) == list(SHARE_KEYS)
        rated = [p for p in card["promises"] if p["rated"]]
        if not rated:
            assert set(row["shares"].values()) == {None}
            continue
        assert math.isclose(sum(row["shares"].values()), 1.0)
        for key in SHARE_KEYS:
            count = sum(1 for p in rated if cppg_share_key(p["fulfillment"]) == key)
            assert row["shares"][key] == count / len(rated)


def _counted(rubric: Rubric, card: Scorecard) -> list[Any]:
    zero = rubric.grading.unrated == "zero"
    return [p for p in card.promises if p.rated or zero]


@given(rubric_lists(), st.sampled_from(["category", "tag", "maker", "assessor"]))
@settings(max_examples=40)
def test_group_sums_are_consistent_with_the_rubrics(rubrics: list[Rubric], by: str) -> None:
    result = compare(rubrics, by=by)
    groups = result.groups
    assert all(g.by == by for g in groups)
    assert len({g.key for g in groups}) == len(groups)
    if by == "assessor":
        views = [(r, score(r, None, a)) for r in rubrics for a in r.assessors]
    else:
        views = [(r, score(r)) for r in rubrics]
    memberships = 0
    for _, card in views:
        for item in card.promises:
            memberships += len(set(item.tags)) or 1 if by == "tag" else 1
    assert sum(g.promises for g in groups) == memberships
    # Σ score × weight over the groups is Σ w·f over every membership
    total = 0.0
    weight = 0.0
    for rubric, card in views:
        for item in _counted(rubric, card):
            times = (len(set(item.tags)) or 1) if by == "tag" else 1
            total += times * item.weight * (item.fulfillment or 0.0)
            weight += times * item.weight
    assert math.isclose(sum(g.weight for g in groups), weight, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(
        math.fsum((g.score or 0.0) * g.weight for g in groups), total, rel_tol=1e-9, abs_tol=1e-9
    )
    if by in ("category", "maker", "assessor"):
        # each promise is in exactly one group: the counts add up to the rubrics' counts
        for key in ("unrated",):
            assert sum(dict(g.counts).get(key, 0) for g in groups) == sum(
                1 for _, card in views for p in card.promises if not p.rated
            )
        assert sum(g.rated for g in groups) == sum(
            1 for _, card in views for p in card.promises if p.rated
        )
        # and the groups' counts add up to the rubrics' status counts (FORMAT.md §7.6)
        expected: dict[str, int] = {}
        for _, card in views:
            for key, count in card.status_counts():
                expected[key] = expected.get(key, 0) + count
        found: dict[str, int] = {}
        for g in groups:
            for key, count in g.counts:
                found[key] = found.get(key, 0) + count
        assert {k: v for k, v in found.items() if v} == {k: v for k, v in expected.items() if v}


@given(research_rubrics())
@settings(max_examples=30)
def test_one_rubric_by_category_gives_its_category_scores(rubric: Rubric) -> None:
    # without declared category weights a group is the category itself
    rubric = attrs.evolve(
        rubric, categories=tuple(attrs.evolve(c, weight=None) for c in rubric.categories)
    )
    card = score(rubric)
    result = compare([rubric], by="category")
    by_key = {g.key: g for g in result.groups}
    for category in card.categories:
        if category.promises == 0:
            assert category.id not in by_key
            continue
        group = by_key[category.id]
        assert group.promises == category.promises
        assert group.rated == category.rated
        if category.score is None:
            assert group.score is None
        else:
            assert group.score is not None
            assert math.isclose(group.score, category.score, rel_tol=1e-12, abs_tol=1e-12)
            assert math.isclose(group.weight, category.weight, rel_tol=1e-12)


@given(research_rubrics())
@settings(max_examples=30)
def test_one_rubric_by_assessor_gives_each_assessors_overall(rubric: Rubric) -> None:
    rubric = attrs.evolve(
        rubric, categories=tuple(attrs.evolve(c, weight=None) for c in rubric.categories)
    )
    result = compare([rubric], by="assessor")
    counted = score(rubric).promises  # the same promises in every assessor's view
    assert [g.key for g in result.groups] == (list(rubric.assessors) if counted else [])
    for group in result.groups:
        assert group.key is not None
        overall = score(rubric, None, group.key).overall.score
        if overall is None:
            assert group.score is None
        else:
            assert group.score is not None
            assert math.isclose(group.score, overall, rel_tol=1e-12, abs_tol=1e-12)


def test_maker_is_made_by_else_the_subject() -> None:
    rubric = load(CPPG)
    card = score(rubric)
    result = compare([rubric], by="maker")
    keys = [g.key for g in result.groups]
    assert keys == ["Labour Party", "Liberal Party", "The coalition government"]
    assert maker_of(card, card.promise("rail-fares")) == "The coalition government"
    labour = result.groups[0]
    assert labour.promises == 3
    # minimum wage (1, fully) and pension indexing (1, not) and housing starts (1, 0.62)
    assert labour.score == pytest.approx((1.0 + 0.0 + 0.62) / 3)


def test_cppg_shares_are_the_cppg_counts_over_the_rated() -> None:
    rubric = load(CPPG)
    row = compare([rubric]).rubrics[0]
    card = score(rubric)
    rated = [p for p in card.promises if p.rated]
    shares = dict(row.shares)
    assert shares["fully-fulfilled"] == sum(1 for p in rated if p.fulfillment == 1.0) / len(rated)
    assert shares["not-fulfilled"] == sum(1 for p in rated if p.fulfillment == 0.0) / len(rated)
    assert cppg_share_key(0.25) == "partially-fulfilled"
    assert cppg_share_key(None) is None


def test_compare_frames() -> None:
    result = compare([IMMIGRATION, WBT, CPPG], by="tag")
    frame = result.to_frame()
    assert list(frame["title"]) == [r.title for r in result.rubrics]
    assert list(frame["file"]) == [str(IMMIGRATION), str(WBT), str(CPPG)]
    groups = result.groups_frame()
    assert len(groups) == len(result.groups)
    promises = result.promises_frame()
    # every promise, umbrella promises too (r.promises counts those the headline counts)
    assert len(promises) == sum(len(r.card.promises) for r in result.rubrics)
    assert sum(r.promises for r in result.rubrics) == len(promises) - 1  # one umbrella
    by_rubric = promises.groupby("rubric", sort=False)["rated"].sum()
    assert list(by_rubric) == [sum(p.rated for p in r.card.promises) for r in result.rubrics]


def test_compare_rejects_an_unknown_field() -> None:
    with pytest.raises(ValueError, match="cannot group by 'party'"):
        compare([load(CPPG)], by="party")


# --------------------------------------------------------------------------- CLI


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["compare", *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown", "html"])
def test_compare_command_formats_match_gold(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    args = [
        "tests/fixtures/cppg-pledges.toml",
        "tests/fixtures/report-card.toml",
        "--by",
        "tag",
        "--format",
        fmt,
    ]
    result = _cli(*args)
    assert result.exit_code == 0, result.output
    ext = {"text": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html"}[fmt]
    path = GOLD / f"compare.{ext}"
    if REGEN:
        path.write_bytes(result.stdout.encode("utf-8"))
    assert result.stdout == path.read_bytes().decode("utf-8")


def test_every_compare_gold_file_is_checked() -> None:
    assert {p.name for p in GOLD.iterdir()} == {
        f"compare.{ext}" for ext in ("txt", "json", "csv", "md", "html")
    }


def test_compare_json_has_the_documented_keys() -> None:
    result = _cli(
        str(CPPG), str(CARD), "--by", "category", "--format", "json", "--as-of", "2022-06-30"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["as_of"] == "2022-06-30"
    assert [r["file"] for r in document["rubrics"]] == [str(CPPG), str(CARD)]
    for group in document["groups"]:
        assert list(group) == ["by", "key", "score", "weight", "counts"]
    expected = {c.id for path in (CPPG, CARD) for c in score(load(path), "2022-06-30").categories}
    assert {g["key"] for g in document["groups"]} <= expected


def test_compare_csv_is_the_group_table_with_by() -> None:
    result = _cli(str(CPPG), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["title"] == "Coalition pledges, 2019-2023 (example)"
    assert float(rows[0]["score"]) == score(load(CPPG)).overall.score
    grouped = list(
        csv.DictReader(io.StringIO(_cli(str(CPPG), "--by", "maker", "--format", "csv").stdout))
    )
    assert [r["key"] for r in grouped] == [
        "Labour Party",
        "Liberal Party",
        "The coalition government",
    ]


def test_compare_by_assessor_names_declared_assessors() -> None:
    honest = FIXTURES / "honest-numbers.toml"
    rubric = load(honest)
    result = _cli(str(honest), "--by", "assessor", "--format", "markdown")
    assert result.exit_code == 0
    for item in rubric.declared_assessors:
        assert f"| {item.name} ({item.id}, {item.role}) |" in result.stdout
    document = json.loads(_cli(str(honest), "--by", "assessor", "--format", "json").stdout)
    assert [g["key"] for g in document["groups"]] == list(rubric.assessors)


def test_compare_html_is_a_safe_page() -> None:
    result = _cli(str(XSS), str(CPPG), "--format", "html", "--by", "maker")
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page


def test_compare_errors_and_exit_codes(tmp_path: Path) -> None:
    missing = _cli(str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2
    assert "nope.toml" in missing.output
    assert _cli().exit_code == 2
    assert _cli(str(CPPG), "--by", "party").exit_code == 2
    assert _cli(str(CPPG), "--as-of", "2022-02-30").exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\n[report]\ntitle = "x"\n', encoding="utf-8")
    invalid = _cli(str(bad))
    assert invalid.exit_code == 1
    assert "Traceback" not in invalid.output
    refused = _cli(str(CPPG), "-o", str(CPPG))
    assert refused.exit_code == 2
    out = tmp_path / "out.md"
    written = _cli(str(CPPG), "--format", "markdown", "-o", str(out))
    assert written.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("## Comparison of 1 rubric")


def test_compare_runs_as_a_real_command(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    exe = shutil.which("promisescore")
    program = [exe] if exe else [sys.executable, "-m", "promisescore"]
    completed = subprocess.run(
        [*program, "compare", str(CPPG), str(CARD), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)
    assert [r["overall"]["score"] for r in document["rubrics"]] == [
        score(load(CPPG)).overall.score,
        score(load(CARD)).overall.score,
    ]
