"""`promisescore init`: a commented starter rubric that passes `check`, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main
from promisescore.starter import SCALES, starter_rubric


@pytest.mark.parametrize("scale", SCALES)
def test_starter_passes_check_strictly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scale: str
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(main, ["init", "tracker.toml", "--scale", scale])
    assert made.exit_code == 0, made.output
    assert "wrote tracker.toml" in made.stderr
    text = (tmp_path / "tracker.toml").read_text(encoding="utf-8")
    assert text == starter_rubric(scale, "tracker.toml")
    assert text.count("\n#") > 10  # commented
    checked = runner.invoke(main, ["check", "tracker.toml", "--strict"])
    assert checked.exit_code == 0, checked.output
    card = promisescore.score(promisescore.load(tmp_path / "tracker.toml"))
    assert card.overall.coverage == 1.0


def test_default_path_and_no_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    rubric = tmp_path / "rubric.toml"
    rubric.write_text("# mine\n", encoding="utf-8")
    again = runner.invoke(main, ["init"])
    assert again.exit_code == 2
    assert "rubric.toml already exists; not overwriting it" in again.stderr
    assert rubric.read_text(encoding="utf-8") == "# mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rubric.toml"]  # no temporary left


def test_init_refuses_non_toml_and_unknown_scale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["init", "rubric.json"])
    assert result.exit_code == 2
    assert "ending in .toml" in result.stderr
    assert runner.invoke(main, ["init", "--scale", "stars"]).exit_code == 2
    missing_dir = runner.invoke(main, ["init", "nowhere/rubric.toml"])
    assert missing_dir.exit_code == 2
    assert "cannot write" in missing_dir.stderr
    assert not list(tmp_path.iterdir())


def test_starter_is_format_12_with_a_desk_and_older_formats_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init", "new.toml"]).exit_code == 0
    rubric = promisescore.load(tmp_path / "new.toml")
    assert rubric.format == "1.2"
    assert [(a.id, a.role) for a in rubric.declared_assessors] == [("editors", "desk")]
    assert any(a.effective is not None for a in rubric.assessments)
    assert any(a.headline and a.url and a.author for a in rubric.assessments)
    assert runner.invoke(main, ["init", "mid.toml", "--format-version", "1.1"]).exit_code == 0
    mid = promisescore.load(tmp_path / "mid.toml")
    assert mid.format == "1.1"
    assert [(a.id, a.role) for a in mid.declared_assessors] == [("editors", "independent")]
    assert runner.invoke(main, ["init", "old.toml", "--format-version", "1"]).exit_code == 0
    old = promisescore.load(tmp_path / "old.toml")
    assert old.format == "1"
    assert old.declared_assessors == ()
    # the same promises, evidence and ratings: the same numbers
    assert promisescore.score(old).overall.score == promisescore.score(mid).overall.score
    assert promisescore.score(mid).overall.score == promisescore.score(rubric).overall.score
