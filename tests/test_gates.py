"""The gates library: thresholds, messages, the baseline, and pyproject settings."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import promisescore
from promisescore.gates import (
    GateSettings,
    SettingsError,
    config_start,
    evaluate,
    find_pyproject,
    load_baseline,
    load_settings,
    parse_baseline,
    parse_category_threshold,
    parse_unit,
    shown,
    unknown_categories,
)
from promisescore.renderers import render
from promisescore.scoring import Scorecard

REPO = Path(__file__).resolve().parents[1]
# The gate, diff and timeline machinery is tested on the frozen format 1.1 copy of the
# bundled rubric (its numbers do not move with editorial changes); the bundled card's
# story on each date is tests/test_bundled_story.py.
IMMIGRATION = REPO / "tests" / "fixtures" / "immigration-1.1" / "us-immigration-2021.toml"


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return promisescore.score(promisescore.load(IMMIGRATION))


@pytest.fixture(scope="module")
def saved(card: Scorecard) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(card, "json"))
    return data


# --------------------------------------------------------------------------- digits


@pytest.mark.parametrize(
    ("actual", "threshold", "expected"),
    [
        (0.69659, 0.7, ("0.6966", "0.7")),
        (0.69996, 0.7, ("0.69996", "0.7")),  # 4 digits would round to 0.7000
        (0.6999999999, 0.7, ("0.6999999999", "0.7")),
        (0.74123, 0.7, ("0.7412", "0.7")),
        (0.7, 0.7, ("0.7000", "0.7")),
        (0.0012345, 0.002, ("0.001234", "0.002")),
        (0.5, 0.123456, ("0.5000", "0.123456")),
    ],
)
def test_shown_makes_the_order_visible(
    actual: float, threshold: float, expected: tuple[str, str]
) -> None:
    assert shown(actual, threshold) == expected


def test_shown_adds_digits_for_close_values() -> None:
    a, t = shown(0.70004, 0.70001)
    assert float(a) > float(t)
    assert (a, t) == ("0.70004", "0.70001")


# --------------------------------------------------------------------------- settings


def test_settings_reject_values_outside_0_1() -> None:
    with pytest.raises(SettingsError, match="between 0 and 1"):
        GateSettings(fail_under=1.5)
    with pytest.raises(SettingsError, match=r"70% is 0\.7"):
        parse_unit("--fail-under", "70")
    with pytest.raises(SettingsError, match="not 'x'"):
        parse_unit("--fail-under", "x")
    with pytest.raises(SettingsError):
        parse_unit("--fail-under", "nan")
    with pytest.raises(SettingsError):
        GateSettings(fail_under_category={"Bad Id": 0.5})


def test_category_threshold_syntax() -> None:
    assert parse_category_threshold("asylum=0.5") == ("asylum", 0.5)
    assert parse_category_threshold(" asylum = 0.5") == ("asylum", 0.5)
    for bad in ("asylum", "=0.5", "asylum=", "Asylum=0.5", "asylum=2"):
        with pytest.raises(SettingsError):
            parse_category_threshold(bad)


def test_override_merges_categories_and_keeps_unset_values() -> None:
    base = GateSettings(fail_under=0.5, fail_under_category={"a": 0.1, "b": 0.2}, strict=True)
    merged = base.override(fail_under_category=[("b", 0.3), ("c", 0.4)], strict=False)
    assert merged.fail_under == 0.5
    assert merged.fail_under_category == {"a": 0.1, "b": 0.3, "c": 0.4}
    assert merged.strict is False
    assert base.override() == base


def test_config_start_is_the_rubrics_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "c").mkdir()
    real = tmp_path.resolve()
    assert config_start(["a/b/r.toml"]) == real / "a" / "b"
    assert config_start(["a/b/r.toml", "a/c/s.toml"]) == real / "a"
    assert config_start([str(real / "a" / "c" / "s.toml")]) == real / "a" / "c"
    assert config_start([]) == real
    assert config_start(["-"]) == real  # standard input: the working directory


def test_load_settings_config_and_isolated(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore]\nfail_under = 0.7\n")
    other = tmp_path / "ci" / "gates.toml"
    other.parent.mkdir()
    other.write_text("[tool.promisescore]\nmin_coverage = 0.5\nbaseline = 'main.json'\n")
    assert load_settings(tmp_path).fail_under == 0.7
    assert load_settings(tmp_path, isolated=True) == GateSettings()
    named = load_settings(tmp_path, config=other)
    assert (named.fail_under, named.min_coverage) == (None, 0.5)
    assert Path(named.baseline or "").resolve() == (other.parent / "main.json").resolve()
    with pytest.raises(SettingsError, match="no such config file"):
        load_settings(tmp_path, config=tmp_path / "missing.toml")
    with pytest.raises(SettingsError, match="is a directory"):
        load_settings(tmp_path, config=tmp_path)
    with pytest.raises(SettingsError, match="contradict"):
        load_settings(tmp_path, config=other, isolated=True)


def test_load_settings_reads_the_nearest_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.promisescore]\nfail_under = 0.7\n"
        "min_coverage = 1\nstrict = true\nmax_drop = 0.01\nbaseline = 'scores/main.json'\n"
        "fail_under_category = { asylum = 0.5 }\n",
        encoding="utf-8",
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_pyproject(nested) == tmp_path / "pyproject.toml"
    settings = load_settings(nested)
    assert settings == GateSettings(
        fail_under=0.7,
        min_coverage=1.0,
        strict=True,
        max_drop=0.01,
        baseline=settings.baseline,
        fail_under_category={"asylum": 0.5},
    )
    # the baseline is relative to the pyproject.toml, not to the current directory
    assert settings.baseline is not None
    assert Path(settings.baseline).resolve() == tmp_path / "scores" / "main.json"


def test_a_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    # as black does: the search goes on past a pyproject.toml with no [tool.promisescore]
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore]\nfail_under = 0.9\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    assert find_pyproject(inner) == tmp_path / "pyproject.toml"
    assert load_settings(inner).fail_under == 0.9
    assert load_settings(tmp_path).fail_under == 0.9


def test_the_nearest_table_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore]\nfail_under = 0.9\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.promisescore]\nfail_under = 0.2\n")
    assert find_pyproject(inner) == inner / "pyproject.toml"
    assert load_settings(inner).fail_under == 0.2


@pytest.mark.parametrize("marker", ["dir", "file"])
def test_the_search_stops_at_the_repository_root(tmp_path: Path, marker: str) -> None:
    # a table above the repository (a directory holding .git; a file in a worktree or
    # submodule) does not apply inside it
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore]\nfail_under = 0.9\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    if marker == "dir":
        (repo / ".git").mkdir()
    else:
        (repo / ".git").write_text("gitdir: ../elsewhere/.git\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'repo'\n")
    deep = repo / "rubrics" / "2025"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) is None
    assert load_settings(deep) == GateSettings()
    assert load_settings(tmp_path).fail_under == 0.9


def test_the_repository_root_itself_is_searched(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore]\nstrict = true\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) == tmp_path / "pyproject.toml"
    assert load_settings(deep).strict is True


def test_no_table_anywhere_turns_gates_off(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_pyproject(tmp_path) is None
    assert load_settings(tmp_path) == GateSettings()


def test_an_invalid_pyproject_on_the_way_is_reported(tmp_path: Path) -> None:
    # it may hold the table, so it is not skipped silently
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore]\nfail_under = 0.9\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.promisescore\n")
    assert find_pyproject(inner) == inner / "pyproject.toml"
    with pytest.raises(SettingsError, match="invalid TOML"):
        load_settings(inner)


def test_unknown_pyproject_key_names_line_and_near_match(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.promisescore]\nfail_under = 0.5\nfail-under = 1\n"
    )
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert "pyproject.toml:3" in message
    assert "unknown key 'fail-under'" in message
    assert "did you mean 'fail_under'?" in message


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("fail_under = 'high'", "fail_under must be a number"),
        ("fail_under = 75", "75% is 0.75"),
        ("strict = 'yes'", "strict must be true or false"),
        ("fail_under_category = 0.5", "fail_under_category must be a table"),
        ("fail_under_category = { Asylum = 0.5 }", "not a valid category id"),
        ("baseline = 3", "baseline must be a path"),
    ],
)
def test_bad_pyproject_values(tmp_path: Path, line: str, needle: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.promisescore]\n{line}\n")
    with pytest.raises(SettingsError, match=needle) as info:
        load_settings(tmp_path)
    assert "pyproject.toml:2" in str(info.value)


def test_invalid_pyproject_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.promisescore\n")
    with pytest.raises(SettingsError, match="invalid TOML"):
        load_settings(tmp_path)


# --------------------------------------------------------------------------- evaluate


def test_gates_pass_and_fail_on_unrounded_scores(card: Scorecard) -> None:
    score = card.overall.score
    coverage = card.overall.coverage
    assert score is not None
    assert coverage is not None
    exactly = evaluate(card, GateSettings(fail_under=score, min_coverage=coverage))
    assert [r.passed for r in exactly] == [True, True]
    just_above = evaluate(card, GateSettings(fail_under=score + 1e-9))
    assert [r.passed for r in just_above] == [False]
    result = just_above[0]
    assert result.gate == "fail-under"
    assert result.actual == score
    assert result.threshold == score + 1e-9
    # the message shows enough digits to see the failure
    shown_actual, shown_threshold = result.message.split(" < fail-under ")
    assert float(shown_actual.rsplit(" ", 1)[1]) < float(shown_threshold)


def test_category_gates_and_unknown_ids(card: Scorecard) -> None:
    settings = GateSettings(
        fail_under_category={"asylum-border": 0.5, "overall-reform": 0.25, "work-visas": 0.0}
    )
    results = evaluate(card, settings)
    assert [(r.name, r.passed) for r in results] == [
        ("fail-under-category:asylum-border", False),
        ("fail-under-category:overall-reform", True),
        ("fail-under-category:work-visas", False),  # no score in the headline
    ]
    assert "category 'asylum-border' score 0.1429 < fail-under-category 0.5" in results[0].message
    messages = unknown_categories(GateSettings(fail_under_category={"asylum": 0.5}), [card])
    assert len(messages) == 1
    assert "unknown category 'asylum'" in messages[0]
    assert "did you mean 'asylum-border'?" in messages[0]


def test_strict_gate_counts_warnings(card: Scorecard) -> None:
    # the bundled rubric is clean, and so is the frozen 1.1 copy that ``card`` is scored from
    assert not promisescore.lint(promisescore.load(REPO / "rubrics" / "us-immigration-2021.toml"))
    assert not promisescore.lint(promisescore.load(IMMIGRATION))
    rubric = promisescore.loads(
        'format = 1\n[report]\ntitle = "t"\nstart = 2020-01-01\n[scale]\npreset = "politifact"\n'
        '[[promises]]\nid = "a"\ntitle = "A"\n'
        '[[assessments]]\npromise = "a"\ndate = 2020-02-01\nrating = "stalled"\n'
    )
    warnings = promisescore.lint(rubric)
    assert len(warnings) == 2
    (result,) = evaluate(card, GateSettings(strict=True), warnings=warnings)
    assert not result.passed
    assert result.message.startswith(f"{len(warnings)} warnings")
    (clean,) = evaluate(card, GateSettings(strict=True), warnings=())
    assert clean.passed


def test_no_score_fails_a_threshold() -> None:
    rubric = promisescore.loads(
        'format = 1\n[report]\ntitle = "t"\nstart = 2020-01-01\n[scale]\npreset = "cppg"\n'
        '[[promises]]\nid = "a"\ntitle = "A"\n'
    )
    card = promisescore.score(rubric)
    (result,) = evaluate(card, GateSettings(fail_under=0.0))
    assert not result.passed
    assert "none" in result.message


# --------------------------------------------------------------------------- baseline


def test_baseline_of_itself_passes(card: Scorecard, saved: dict[str, Any]) -> None:
    baseline = parse_baseline(saved, "main.json")
    results = evaluate(card, GateSettings(), baseline)
    assert [(r.gate, r.passed) for r in results] == [("baseline", True), ("baseline-final", True)]


def test_baseline_drop_respects_max_drop(card: Scorecard, saved: dict[str, Any]) -> None:
    higher = copy.deepcopy(saved)
    higher["overall"]["score"] = saved["overall"]["score"] + 0.01
    baseline = parse_baseline(higher, "main.json")
    (drop, _) = evaluate(card, GateSettings(), baseline)
    assert not drop.passed
    assert "dropped by 0.01" in drop.message
    assert "more than max-drop 0" in drop.message
    (ok, _) = evaluate(card, GateSettings(max_drop=0.01), baseline)
    assert ok.passed, ok.message  # exactly max-drop is allowed (float noise ignored)
    (tight, _) = evaluate(card, GateSettings(max_drop=0.009), baseline)
    assert not tight.passed


def test_baseline_final_level_falls(card: Scorecard, saved: dict[str, Any]) -> None:
    below = next(p for p in saved["promises"] if p["rating"] == "in-the-works")
    was_kept = copy.deepcopy(saved)
    for item in was_kept["promises"]:
        if item["id"] == below["id"]:
            item["rating"] = "kept"
    results = evaluate(card, GateSettings(), parse_baseline(was_kept, "main.json"))
    falls = [r for r in results if r.gate == "baseline-final" and not r.passed]
    assert [r.subject for r in falls] == [below["id"]]
    assert "fell from 'kept' (a final level)" in falls[0].message
    assert "'in-the-works'" in falls[0].message


def test_baseline_promise_removed_or_criteria_fell(card: Scorecard, saved: dict[str, Any]) -> None:
    extra = copy.deepcopy(saved)
    extra["promises"].append({"id": "gone", "rating": "broken", "fulfillment": 0.0})
    criteria = next(p for p in extra["promises"] if p["kind"] == "criteria")
    criteria["fulfillment"] = 1.0
    results = evaluate(card, GateSettings(), parse_baseline(extra, "main.json"))
    failed = {r.subject: r.message for r in results if not r.passed}
    assert "no longer scored" in failed["gone"]
    assert "fell from fulfillment 1" in failed[criteria["id"]]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([], "top level is not an object"),
        ({"schema_version": 4}, "schema_version is 4"),
        ({"schema_version": 1}, "no overall.score"),
        ({"schema_version": 1, "overall": {"score": "high"}}, "overall.score is not a number"),
        ({"schema_version": 1, "overall": {"score": 0.5}}, "no promises list"),
        ({"schema_version": 1, "overall": {"score": 0.5}, "promises": [{}]}, "has no id"),
    ],
)
def test_invalid_baselines(data: Any, needle: str) -> None:
    with pytest.raises(SettingsError, match=needle):
        parse_baseline(data, "b.json")


def test_unreadable_baseline(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such file"):
        load_baseline(tmp_path / "missing.json")
    (tmp_path / "b.json").write_text("{not json")
    with pytest.raises(SettingsError, match="is not JSON"):
        load_baseline(tmp_path / "b.json")
