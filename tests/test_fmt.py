"""`promisescore fmt` and :mod:`promisescore.fmt`: canonical, idempotent, comments kept,
scores unchanged."""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import promisescore
from promisescore.cli import main
from promisescore.errors import RubricError
from promisescore.fmt import format_file, format_text
from promisescore.loading.structure import SCHEMAS
from promisescore.model import Rubric
from promisescore.renderers import RenderOptions
from promisescore.serialize import to_data, to_toml

from .strategies import rubrics
from .test_precommit_hook import HOOKS, parse_hooks

REPO = Path(__file__).resolve().parents[1]
BUNDLED = [
    *sorted((REPO / "rubrics").glob("*.toml")),
    REPO / "tests" / "fixtures" / "report-card.toml",
    REPO / "tests" / "fixtures" / "honest-numbers.toml",  # format 1.1
]

MESSY = """\
# top comment
format = 1

[report]
start = "2025-01-01"   # a quoted date
# the title, above its key
title = 'Single quoted'

[scale]
preset = 'politifact'

[[promises]]
weight = 2
title = "Homes"   # trailing comment
id = "homes"
source = { kind = "record", date = "2024-09-01", title = 'Plan' }
meta = { b = 'keep me', a = "as is" }

[[evidence]]
source = "Data"
summary = "Built."
date = 2025-02-01
promise = "homes"
id = "built"
"""


def score_json(rubric: Rubric) -> str:
    return promisescore.render(promisescore.score(rubric), "json", RenderOptions())


def comment_lines(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def canonical(kind: str, table: dict[str, Any]) -> bool:
    order = [k for k in SCHEMAS[kind] if k != "meta"] + ["meta"]
    keys = list(table)
    return keys == sorted(keys, key=lambda k: order.index(k) if k in order else len(order) - 1)


def test_messy_file() -> None:
    out = format_text(MESSY)
    assert out == format_text(out)  # idempotent
    data = tomllib.loads(out)
    assert canonical("report", data["report"])
    assert canonical("promise", data["promises"][0])
    assert canonical("evidence", data["evidence"][0])
    assert canonical("source", data["promises"][0]["source"])
    assert "start = 2025-01-01   # a quoted date" in out  # dates unquoted, comment kept
    assert '# the title, above its key\ntitle = "Single quoted"' in out
    assert 'preset = "politifact"' in out
    assert "trailing comment" in out
    assert "meta = { b = 'keep me', a = \"as is\" }" in out  # meta is free-form: untouched
    assert comment_lines(out) == comment_lines(MESSY)
    assert promisescore.loads(out) == promisescore.loads(MESSY)


SUBTABLES = """\
format = 1
[report]
start = 2025-01-01
title = 'T'
[scale]
[[scale.levels]]
value = 0
label = 'No'
id = 'no'
final = true
[[scale.levels]]
label = 'Yes'
id = 'yes'
value = 1
final = true
[grading]
[[grading.bands]]
min = 0.5
grade = 'P'
[[grading.bands]]
min = 0
grade = 'F'
[[promises]]
title = 'P'
id = 'p'
[promises.source]
kind = 'record'
title = 'S'
[promises.meta]
z = 'keep'
"""


def test_tables_written_as_sub_tables() -> None:
    out = format_text(SUBTABLES)
    assert out == format_text(out)
    assert promisescore.loads(out) == promisescore.loads(SUBTABLES)
    data = tomllib.loads(out)
    assert all(canonical("level", level) for level in data["scale"]["levels"])
    assert all(canonical("band", band) for band in data["grading"]["bands"])
    assert canonical("source", data["promises"][0]["source"])
    assert '[promises.source]\ntitle = "S"\nkind = "record"\n' in out
    assert "z = 'keep'" in out  # meta untouched


def test_json_is_reindented_in_canonical_order() -> None:
    rubric = promisescore.loads(MESSY)
    text = json.dumps(to_data(rubric), sort_keys=True, default=str)
    out = format_text(text, "json")
    assert out == format_text(out, "json")
    assert out.startswith('{\n  "format": 1,\n  "report": {\n    "title"')
    assert promisescore.loads(out, "json") == rubric


def test_unparsable_text_is_an_error() -> None:
    with pytest.raises(RubricError) as caught:
        format_text("format = \n", name="bad.toml")
    assert caught.value.problems[0].code == "E003"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_files_keep_scores_and_comments(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(path.parent, copy)
    target = copy / path.name
    before_text = target.read_text(encoding="utf-8")
    before = score_json(promisescore.load(target))
    files = sorted(copy.rglob("*.toml"))
    for file in files:
        format_file(file)
    after_text = target.read_text(encoding="utf-8")
    assert score_json(promisescore.load(target)) == before
    assert comment_lines(after_text) == comment_lines(before_text)
    for file in files:
        assert not format_file(file, write=False).changed  # idempotent


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(rubrics())
def test_random_rubrics_in_any_key_order(rubric: Rubric) -> None:
    data = to_data(rubric)
    shuffled = _reversed(data)
    for syntax, text in (
        ("toml", to_toml(shuffled)),
        ("json", json.dumps(shuffled, default=str, ensure_ascii=False)),
    ):
        out = format_text(text, syntax)
        assert out == format_text(out, syntax)
        formatted = promisescore.loads(out, syntax)
        assert formatted == rubric
        assert score_json(formatted) == score_json(rubric)
        parsed = tomllib.loads(out) if syntax == "toml" else json.loads(out)
        for key, kind in (
            ("promises", "promise"),
            ("evidence", "evidence"),
            ("assessments", "assessment"),
        ):
            assert all(canonical(kind, item) for item in parsed.get(key, [])), (syntax, key)


def _reversed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reversed(value[k]) for k in reversed(list(value)) if k != "format"} | (
            {"format": value["format"]} if "format" in value else {}
        )
    if isinstance(value, list):
        return [_reversed(v) for v in value]
    return value


def test_cli_check_diff_and_write(tmp_path: Path) -> None:
    messy = tmp_path / "messy.toml"
    messy.write_text(MESSY, encoding="utf-8")
    tidy = tmp_path / "tidy.toml"
    tidy.write_text(format_text(MESSY), encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(main, ["fmt", "--check", str(messy), str(tidy)])
    assert checked.exit_code == 1
    assert f"would reformat {messy}" in checked.stderr
    assert str(tidy) not in checked.stderr.replace("files left", "")
    assert "1 file would be reformatted, 1 file left unchanged" in checked.stderr
    assert messy.read_text(encoding="utf-8") == MESSY
    diffed = runner.invoke(main, ["fmt", "--diff", str(messy)])
    assert diffed.exit_code == 0
    assert diffed.stdout.startswith(f"--- {messy}\n+++ {messy} (formatted)\n")
    assert "-title = 'Single quoted'" in diffed.stdout
    assert messy.read_text(encoding="utf-8") == MESSY
    done = runner.invoke(main, ["fmt", str(messy), str(tidy)])
    assert done.exit_code == 0
    assert f"reformatted {messy}" in done.stderr
    assert runner.invoke(main, ["fmt", "--check", str(messy)]).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("format = \n", encoding="utf-8")
    broken = runner.invoke(main, ["fmt", str(bad)])
    assert broken.exit_code == 1
    assert "E003" in broken.stderr
    assert "Traceback" not in broken.output
    assert runner.invoke(main, ["fmt", str(tmp_path / "none.toml")]).exit_code == 2


def test_pre_commit_hook_entry() -> None:
    (hook,) = [
        h for h in parse_hooks(HOOKS.read_text(encoding="utf-8")) if h["id"] == "promisescore-fmt"
    ]
    assert hook["entry"] == "promisescore fmt"
    assert hook["language"] == "python"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.toml"
        path.write_text(MESSY, encoding="utf-8")
        assert CliRunner().invoke(main, [*hook["entry"].split()[1:], str(path)]).exit_code == 0
        assert path.read_text(encoding="utf-8") == format_text(MESSY)
