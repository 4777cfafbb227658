"""`promisescore add` and :mod:`promisescore.edit`: one new table, every other byte kept."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promisescore
from promisescore.cli import main
from promisescore.edit import EditError, add, add_evidence, fields, slug, values_from_text
from promisescore.errors import RubricError
from promisescore.model import Assessment, Evidence, Promise, Rubric
from promisescore.serialize import dumps

from .strategies import dates, ids, rubrics, sources, text, weights

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

COMMENTED = """\
# A tracker kept by hand.
format = 1   # the format version

[report]
title = "City promises"     # shown on the report card
start = 2025-01-01

[scale]
preset = "politifact"

# --- promises ---
[[promises]]
id = "parks"
title = "Open two parks"

[[promises]]
id = "homes"   # the big one
title = "Build homes"
weight=2

# --- evidence ---

[[evidence]]
id = "park-opened"
promise = "parks"
date = 2025-03-01
summary = "The first park opened."
source = { title = "City press release", kind = "claim" }

# --- assessments ---
[[assessments]]
promise = "parks"
by = "desk"
date = 2025-03-02
rating = "in-the-works"
evidence = ["park-opened"]
# end of file
"""


def lines(text: str) -> list[str]:
    return text.split("\n")


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(line in it for line in small)


def write(tmp: Path, name: str, body: str) -> Path:
    path = tmp / name
    path.write_text(body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- examples


def test_add_evidence_keeps_every_line_and_goes_after_the_last_evidence(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", COMMENTED)
    result = add_evidence(
        path,
        promise="homes",
        date=date(2025, 4, 2),
        summary="Permits for 2,150 homes were issued.",
        source={"title": "Permit data", "kind": "record"},
    )
    assert result.ident == "permits-for-2-150-homes-were-2025-04-02"
    new = path.read_text(encoding="utf-8")
    assert is_subsequence(COMMENTED.splitlines(), new.splitlines())
    # placed with the other evidence, before the comment heading the assessments
    assert new.index('id = "permits-for') < new.index("# --- assessments ---")
    rubric = promisescore.load(path)
    assert rubric.evidence[-1] == Evidence(
        id=result.ident,
        promise="homes",
        date=date(2025, 4, 2),
        summary="Permits for 2,150 homes were issued.",
        source=promisescore.Source("Permit data", kind="record"),
    )


def test_invalid_additions_leave_the_file_byte_identical(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", COMMENTED)
    before = path.read_bytes()
    bad: list[tuple[str, dict[str, Any], str]] = [
        (
            "evidence",
            {"promise": "nope", "date": date(2025, 4, 2), "summary": "s", "source": "x"},
            "E301",
        ),
        ("assessment", {"promise": "parks", "date": date(2025, 4, 2), "rating": "kep"}, "E305"),
        ("promise", {"id": "parks", "title": "Again"}, "E202"),
        ("promise", {"id": "Bad Id", "title": "x"}, "E201"),
        ("evidence", {"promise": "parks", "date": date(2025, 4, 2), "summary": "s"}, "E102"),
    ]
    for kind, values, code in bad:
        with pytest.raises(RubricError) as caught:
            add(path, kind, values)
        assert code in {p.code for p in caught.value.errors}, (kind, values)
        assert path.read_bytes() == before
    # nothing left behind either (no temporary files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


def test_windows_line_ends_are_kept(tmp_path: Path) -> None:
    original = COMMENTED.replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "r.toml"
    path.write_bytes(original)
    add(path, "promise", {"title": "Fix roads"})
    new = path.read_bytes()
    assert new.count(b"\n") == new.count(b"\r\n")
    assert is_subsequence(original.decode("utf-8").split("\r\n"), new.decode("utf-8").split("\r\n"))
    assert promisescore.load(path).promises[-1].id == "fix-roads"


def test_ids_default_to_a_slug_and_stay_unique(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", COMMENTED)
    first = add(path, "promise", {"title": "Plant 1,000 trees!"})
    second = add(path, "promise", {"title": "Plant 1,000 trees!"})
    assert (first.ident, second.ident) == ("plant-1-000-trees", "plant-1-000-trees-2")
    assert slug("Élan — vital, 3 May") == "elan-vital-3-may"
    assert (
        add(
            path, "assessment", {"promise": "parks", "date": date(2025, 5, 1), "rating": "kept"}
        ).ident
        is None
    )


def test_into_an_included_file(tmp_path: Path) -> None:
    root = write(tmp_path, "r.toml", 'include = ["more/*.toml"]\n' + COMMENTED)
    (tmp_path / "more").mkdir()
    part = write(tmp_path / "more", "2025.toml", "# evidence of 2025\n")
    result = add(
        root,
        "evidence",
        {"promise": "parks", "date": date(2025, 6, 1), "summary": "Second park.", "source": "News"},
        into=part,
    )
    assert result.file == str(part)
    assert part.read_text(encoding="utf-8").startswith("# evidence of 2025\n")
    assert root.read_text(encoding="utf-8") == 'include = ["more/*.toml"]\n' + COMMENTED
    assert promisescore.load(root).evidence[-1].summary == "Second park."
    stray = write(tmp_path, "other.toml", "")
    with pytest.raises(EditError, match="not part of the rubric"):
        add(root, "evidence", {"promise": "parks"}, into=stray)


def test_into_a_new_file_that_an_include_pattern_matches(tmp_path: Path) -> None:
    root = write(tmp_path, "r.toml", 'include = ["evidence/*.toml"]\n' + COMMENTED)
    (tmp_path / "evidence").mkdir()
    new_file = tmp_path / "evidence" / "2026.toml"
    values = {
        "promise": "parks",
        "date": date(2026, 1, 5),
        "summary": "Third park.",
        "source": "News",
    }
    with pytest.raises(RubricError):  # invalid: the new file is not left behind
        add(root, "evidence", {**values, "promise": "nope"}, into=new_file)
    assert not new_file.exists()
    result = add(root, "evidence", values, into=new_file)
    assert result.file == str(new_file)
    assert new_file.read_text(encoding="utf-8").startswith("[[evidence]]\nid = ")
    assert promisescore.load(root).evidence[-1].summary == "Third park."
    elsewhere = tmp_path / "notes" / "x.toml"
    with pytest.raises(EditError, match="no `include` pattern"):
        add(root, "evidence", values, into=tmp_path / "other.toml")
    assert not elsewhere.exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # members on lines of their own: one more line, at their indent
        (
            '{\n  "a": [\n    0,\n    {\n      "t": 1\n    }\n  ]\n}\n',
            '{\n  "a": [\n    0,\n    {\n      "t": 1,\n      "k": "v",\n      "d": "2026-03-14"\n    }\n  ]\n}\n',
        ),
        # on one line: after ", ", with the object's own colon
        ('{"a": [{"t":1}, {"t":2}]}', '{"a": [{"t":1}, {"t":2, "k":"v", "d":"2026-03-14"}]}'),
        # an empty object, on one line or over lines
        ('{"a": [0, {}]}', '{"a": [0, {"k": "v", "d": "2026-03-14"}]}'),
        (
            '{\n  "a": [0, {\n  }]\n}',
            '{\n  "a": [0, {\n    "k": "v",\n    "d": "2026-03-14"\n  }]\n}',
        ),
        # a key it has already: the new value in place
        ('{"a": [0, {"k": "old", "t": 1}]}', '{"a": [0, {"k": "v", "t": 1, "d": "2026-03-14"}]}'),
    ],
)
def test_set_json_keys_keeps_every_other_byte(before: str, after: str) -> None:
    from promisescore.edit import set_json_keys

    keys = {"k": "v", "d": date(2026, 3, 14)}
    assert set_json_keys(before, [(("a", 1), keys)]) == after


def test_set_json_keys_refuses_what_is_not_there() -> None:
    from promisescore.edit import set_json_keys

    with pytest.raises(EditError, match="a/3"):
        set_json_keys('{"a": [{}]}', [(("a", 3), {"k": 1})])
    with pytest.raises(EditError, match="not an object"):
        set_json_keys('{"a": ["x"]}', [(("a", 0), {"k": 1})])
    with pytest.raises(RubricError):
        set_json_keys('{"a": [', [(("a", 0), {"k": 1})])


def test_json_rubric_keeps_its_indentation(tmp_path: Path) -> None:
    rubric = promisescore.loads(COMMENTED)
    data = json.loads(dumps(rubric, "json"))
    original = json.dumps(data, indent=4, ensure_ascii=False) + "\n"
    path = write(tmp_path, "r.json", original)
    add(
        path,
        "assessment",
        {"promise": "homes", "by": "desk", "date": date(2025, 5, 1), "rating": "stalled"},
    )
    new = path.read_text(encoding="utf-8")
    assert is_subsequence(original.splitlines()[:-3], new.splitlines())
    assert '\n        {\n            "promise": "homes",\n            "by": "desk",' in new
    loaded = promisescore.load(path)
    assert loaded.assessments[-1] == Assessment("homes", date(2025, 5, 1), "stalled", by="desk")
    assert loaded.assessments[:-1] == rubric.assessments
    # a JSON file without the array gets one
    bare = {k: v for k, v in data.items() if k != "evidence"}
    path2 = write(tmp_path, "bare.json", json.dumps(bare, indent=2))
    add(
        path2,
        "evidence",
        {
            "id": "park-opened",
            "promise": "parks",
            "date": "2025-03-01",
            "summary": "x",
            "source": "y",
        },
    )
    assert len(promisescore.load(path2).evidence) == 1


def test_values_from_text() -> None:
    values = values_from_text(
        "promise",
        {
            "title": "Hire 500 officers",
            "weight": "2,150",
            "tags": "police, hiring,",
            "criteria": ["hire:2=Hire them = all of them", "train=Train them"],
            "source": "Manifesto",
            "source_url": "https://example.org",
            "source_date": "2024-09-14",
            "target_metric": None,
            "deadline": "2026-01-01",
            "meta": ["desk=metro"],
        },
    )
    assert values == {
        "title": "Hire 500 officers",
        "weight": 2150,
        "tags": ["police", "hiring"],
        "criteria": [
            {"id": "hire", "title": "Hire them = all of them", "weight": 2},
            {"id": "train", "title": "Train them"},
        ],
        "source": {"title": "Manifesto", "url": "https://example.org", "date": date(2024, 9, 14)},
        "deadline": date(2026, 1, 1),
        "meta": {"desk": "metro"},
    }
    assert values_from_text("evidence", {}) == {}
    with pytest.raises(RubricError) as caught:
        values_from_text("evidence", {"date": "9/14/2024", "value": "2,5", "source_kind": "record"})
    messages = [p.format() for p in caught.value.problems]
    assert any("did you mean 2024-09-14?" in m for m in messages)
    assert any("--value: '2,5' is not a number" in m for m in messages)
    assert any("no source title" in m for m in messages)
    with pytest.raises(EditError):
        values_from_text("evidence", {"colour": "red"})


def test_every_key_of_the_model_has_an_option() -> None:
    runner = CliRunner()
    for kind, cls in (("promise", Promise), ("evidence", Evidence), ("assessment", Assessment)):
        keys = {f.key for f in fields(kind)}
        assert keys == {a.name for a in attrs.fields(cls)}, kind
        shown = runner.invoke(main, ["add", kind, "--help"])
        assert shown.exit_code == 0
        for key in keys:
            if key != "target":
                assert f"--{key.replace('_', '-')}" in shown.output, (kind, key)
    promise_help = runner.invoke(main, ["add", "promise", "--help"]).output
    for option in ("--source-url", "--source-kind", "--target-metric", "--target-baseline"):
        assert option in promise_help


# --------------------------------------------------------------------------- CLI


def test_cli_add_and_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", COMMENTED)
    runner = CliRunner()
    done = runner.invoke(
        main,
        [
            "add",
            "evidence",
            str(path),
            "--promise",
            "homes",
            "--date",
            "2025-04-02",
            "--summary",
            "Permits",
            "--source",
            "Permit data",
            "--source-kind",
            "record",
            "--value",
            "2,150",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "added evidence 'permits-2025-04-02' to" in done.stderr
    assert promisescore.load(path).evidence[-1].value == 2150.0
    rated = runner.invoke(
        main,
        [
            "add",
            "assessment",
            str(path),
            "--promise",
            "homes",
            "--by",
            "desk",
            "--date",
            "2025-04-03",
            "--rating",
            "in-the-works",
            "--evidence",
            "permits-2025-04-02,park-opened",
        ],
    )
    assert rated.exit_code == 0, rated.output
    assert promisescore.load(path).assessments[-1].evidence == ("permits-2025-04-02", "park-opened")
    before = path.read_bytes()
    bad = runner.invoke(
        main,
        [
            "add",
            "assessment",
            str(path),
            "--promise",
            "homes",
            "--date",
            "2025-04-03",
            "--rating",
            "kep",
            "--evidence",
            "nope",
        ],
    )
    assert bad.exit_code == 1
    assert f"{path}:" in bad.stderr
    assert "E305" in bad.stderr
    assert "E303" in bad.stderr
    assert "did you mean 'kept'?" in bad.stderr
    assert "nothing added" in bad.stderr
    assert "Traceback" not in bad.output
    assert path.read_bytes() == before
    baddate = runner.invoke(main, ["add", "evidence", str(path), "--date", "9/14/2025"])
    assert baddate.exit_code == 1
    assert "did you mean 2025-09-14?" in baddate.stderr
    missing = runner.invoke(main, ["add", "promise", str(tmp_path / "none.toml"), "--title", "x"])
    assert missing.exit_code == 2
    dry = runner.invoke(main, ["add", "promise", str(path), "--title", "Dry", "--dry-run"])
    assert dry.exit_code == 0
    assert dry.stdout.startswith('[[promises]]\nid = "dry"\ntitle = "Dry"\n')
    assert path.read_bytes() == before


def test_real_command_line(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", COMMENTED)
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    command = [
        sys.executable,
        "-m",
        "promisescore",
        "add",
        "promise",
        str(path),
        "--title",
        "Fix the roads",
        "--tags",
        "roads,budget",
        "--made-on",
        "2024-09-01",
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    promise = promisescore.load(path).promise("fix-the-roads")
    assert promise.tags == ("roads", "budget")
    assert promise.made_on == date(2024, 9, 1)


# --------------------------------------------------------------------------- properties


@st.composite
def commented(draw: st.DrawFn, body: str) -> str:
    """The text with comment lines and blank lines slipped in between its lines."""
    out = []
    for line in re.findall(r"[^\n]*\n|[^\n]+$", body):
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(["# a note\n", "\n", "   # indented note\n"])))
        out.append(line)
    return "".join(out)


@st.composite
def additions(draw: st.DrawFn, rubric: Rubric) -> tuple[str, dict[str, Any], Any]:
    """A valid new object for ``rubric``: (kind, values, the model object)."""
    kinds = ["promise", "evidence"]
    ratable = [p for p in rubric.promises if p.target is None]
    if ratable:
        kinds.append("assessment")
    kind = draw(st.sampled_from(kinds))
    if kind == "promise":
        ident = draw(ids.filter(lambda i: i not in rubric.promise_index))
        title = draw(text)
        weight = draw(st.none() | weights)
        tags = draw(st.lists(text, max_size=2))
        values: dict[str, Any] = {"id": ident, "title": title, "tags": tags}
        if weight is not None:
            values["weight"] = weight
        return kind, values, Promise(ident, title, weight=weight or 1.0, tags=tuple(tags))
    if kind == "evidence":
        promise = draw(st.sampled_from(rubric.promises))
        ident = draw(ids.filter(lambda i: i not in rubric.evidence_index))
        options: list[str | None] = [None, *(c.id for c in promise.criteria)]
        criterion = draw(st.sampled_from(options))
        item = Evidence(
            ident,
            promise.id,
            draw(dates),
            draw(text),
            draw(sources()),
            criterion=criterion,
            value=draw(st.none() | st.floats(-1e6, 1e6, allow_nan=False)),
        )
        values = {a.name: getattr(item, a.name) for a in attrs.fields(Evidence)}
        values = {k: v for k, v in values.items() if v is not None and k != "meta"}
        return kind, values, item
    promise = draw(st.sampled_from(ratable))
    criterion = (
        draw(st.sampled_from([c.id for c in promise.criteria])) if promise.criteria else None
    )
    if rubric.scale.is_percent:
        rating, value = None, draw(st.floats(0, 1))
    else:
        rating, value = draw(st.sampled_from([lv.id for lv in rubric.scale.levels])), None
    cited = draw(st.lists(st.sampled_from([e.id for e in rubric.evidence] or ["x"]), max_size=2))
    cited = [c for c in cited if c in rubric.evidence_index]
    rated = Assessment(
        promise.id,
        draw(dates),
        rating=rating,
        value=value,
        criterion=criterion,
        by=draw(st.sampled_from(["default", "desk", "ed"])),
        evidence=tuple(cited),
        note=draw(st.none() | text),
    )
    values = {a.name: getattr(rated, a.name) for a in attrs.fields(Assessment)}
    values = {k: v for k, v in values.items() if v is not None and k != "meta" and v != ()}
    return kind, values, rated


def expected(rubric: Rubric, kind: str, item: Any) -> Rubric:
    array = {"promise": "promises", "evidence": "evidence", "assessment": "assessments"}[kind]
    changes: dict[str, Any] = {array: (*getattr(rubric, array), item)}
    return attrs.evolve(rubric, **changes)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), rubrics(allow_late=False))
def test_add_keeps_the_file_and_adds_exactly_one_object(
    data: st.DataObject, rubric: Rubric
) -> None:
    syntax = data.draw(st.sampled_from(["toml", "json"]))
    body = dumps(rubric, syntax)
    if syntax == "toml":
        body = data.draw(commented(body))
    kind, values, item = data.draw(additions(rubric))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"r.{syntax}"
        path.write_text(body, encoding="utf-8")
        add(path, kind, values)
        new = path.read_text(encoding="utf-8")
        old_lines = lines(body)
        if syntax == "json":
            old_lines = old_lines[:-4]  # the closing brackets move below the new object
        assert is_subsequence(old_lines, lines(new))
        assert promisescore.load(path) == expected(rubric, kind, item)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), rubrics(allow_late=False))
def test_invalid_random_additions_change_nothing(data: st.DataObject, rubric: Rubric) -> None:
    body = data.draw(commented(dumps(rubric)))
    taken = data.draw(st.sampled_from(rubric.promises)).id
    values: dict[str, Any] = data.draw(
        st.sampled_from(
            [
                {"id": taken, "title": "duplicate"},
                {"title": "bad weight", "weight": -1},
                {"title": "bad deadline", "deadline": "soon"},
            ]
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.toml"
        path.write_bytes(body.encode("utf-8"))
        with pytest.raises(RubricError):
            add(path, "promise", values)
        assert path.read_bytes() == body.encode("utf-8")


def test_add_commands_build_their_options_lazily() -> None:
    """``promisescore --version`` must not import the model to build ``add``'s options."""
    import subprocess
    import sys

    from promisescore.cli.edit import _TABLES
    from promisescore.edit import ARRAYS

    assert _TABLES == ARRAYS
    code = (
        "import sys; from promisescore.cli import main\n"
        "assert 'promisescore.edit' not in sys.modules, 'imported at start-up'\n"
        "assert 'promisescore.model' not in sys.modules, 'imported at start-up'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
