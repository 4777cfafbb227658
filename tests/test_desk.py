"""Issue 28, the daily desk: batch updates (`add RUBRIC --from`), the desk's defaults,
empty rubrics, the 1.2 starter, and reviewing a change through git (`diff --git`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import promisescore
from promisescore.batch import add_from, read_additions
from promisescore.cli import main
from promisescore.edit import Addition, EditError, add, add_many
from promisescore.errors import RubricError
from promisescore.loading.git import GitError, check_at, load_at

DESK = """\
# The Example Tribune's tracker.
format = "1.2"   # the format version

[report]
title = "City promises"
start = 2025-01-01

[scale]
preset = "politifact"

[[assessors]]
id = "desk"
name = "The desk"
role = "desk"

[[assessors]]
id = "watchdog"
name = "A watchdog"
role = "independent"

# --- promises ---
[[promises]]
id = "parks"
title = "Open two parks"

[[promises]]
id = "homes"   # the big one
title = "Build homes"

# --- evidence ---
[[evidence]]
id = "park-opened"
promise = "parks"
date = 2025-03-01
summary = "The first park opened."
source = { title = "Parks department", url = "https://example.org/parks", kind = "record" }

# --- assessments ---
[[assessments]]
promise = "parks"
by = "desk"
date = 2025-03-02
rating = "in-the-works"
evidence = ["park-opened"]
"""

EMPTY = """\
format = "1.2"

[report]
title = "A new tracker"
start = 2025-01-01

[scale]
preset = "politifact"

[[assessors]]
id = "desk"
name = "The desk"
role = "desk"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def is_subsequence(old: list[str], new: list[str]) -> bool:
    it = iter(new)
    return all(line in it for line in old)


# --------------------------------------------------------------------------- batch


def test_a_csv_batch_is_added_in_one_edit_keeping_every_other_line(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    rows = write(
        tmp_path,
        "evidence.csv",
        "promise,date,summary,source_title,source_url,source_kind\n"
        "parks,2025-04-01,The second park opened.,Parks department,https://example.org/p2,record\n"
        "homes,2025-04-02,Permits for 200 homes.,Permit data,,record\n",
    )
    result = add_from(path, rows)
    assert [(a.kind, a.ident) for a in result.added] == [
        ("evidence", "the-second-park-opened-2025-04-01"),
        ("evidence", "permits-for-200-homes-2025-04-02"),
    ]
    new = path.read_text(encoding="utf-8")
    assert is_subsequence(DESK.splitlines(), new.splitlines())
    # placed after the last evidence, before the comment heading the assessments
    assert new.index("Permits for 200 homes") < new.index("# --- assessments ---")
    rubric = promisescore.load(path)
    assert [e.id for e in rubric.evidence][-2:] == [a.ident for a in result.added]
    assert rubric.evidence[-2].source.url == "https://example.org/p2"


def test_a_batch_with_problems_changes_nothing_and_reports_every_line(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    before = path.read_bytes()
    lines = [
        {
            "kind": "evidence",
            "id": "e1",
            "promise": "parks",
            "date": "2025-04-01",
            "summary": "ok",
            "source": "A paper",
        },
        {
            "kind": "evidence",
            "promise": "nope",
            "date": "2025-04-01",
            "summary": "x",
            "source": "A paper",
        },
        {
            "kind": "assessment",
            "promise": "parks",
            "date": "2025-04-02",
            "rating": "kep",
            "evidence": ["e1"],
        },
        {"kind": "promise", "id": "Bad Id", "title": "x"},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n{not json\n"
    with pytest.raises(RubricError) as caught:
        add_from(path, "day.jsonl", text=text)
    found = {(p.file, p.line, p.code) for p in caught.value.errors}
    assert {
        ("day.jsonl", 2, "E301"),
        ("day.jsonl", 3, "E305"),
        ("day.jsonl", 4, "E201"),
        ("day.jsonl", 5, "E003"),
    } <= found
    assert not any(p.file == "day.jsonl" and p.line == 1 for p in caught.value.errors)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


def test_a_batch_can_add_a_promise_and_what_cites_it(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    additions = [
        Addition("promise", {"id": "buses", "title": "Night buses"}),
        Addition(
            "evidence",
            {
                "id": "bus-plan",
                "promise": "buses",
                "date": date(2025, 5, 1),
                "summary": "A plan.",
                "source": "Transit board",
            },
        ),
        Addition(
            "assessment",
            {
                "promise": "buses",
                "date": date(2025, 5, 2),
                "rating": "in-the-works",
                "evidence": ["bus-plan"],
                "headline": "Night buses planned",
                "url": "https://example.org/buses",
            },
        ),
    ]
    result = add_many(path, additions)
    assert result.written
    rubric = promisescore.load(path)
    last = rubric.assessments[-1]
    assert (last.promise, last.by, last.headline) == ("buses", "desk", "Night buses planned")
    card = promisescore.score(rubric)
    assert next(p for p in card.promises if p.id == "buses").rating == "in-the-works"


def test_the_cli_reads_a_batch_from_stdin(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    rows = (
        "promise,date,rating,evidence,headline,url,author\n"
        "parks,2025-04-03,kept,park-opened,Both parks open,https://example.org/k,A. Reporter\n"
    )
    run = CliRunner().invoke(main, ["add", str(path), "--from", "-"], input=rows)
    assert run.exit_code == 0, run.output
    assert "added 1 assessment" in run.output
    last = promisescore.load(path).assessments[-1]
    assert (last.by, last.rating, last.author) == ("desk", "kept", "A. Reporter")
    bad = CliRunner().invoke(
        main,
        ["add", str(path), "--from", "-"],
        input="promise,date,rating\nparks,2025-13-01,kept\n",
    )
    assert bad.exit_code == 1
    assert "<stdin>:2: E205" in bad.output
    assert "Traceback" not in bad.output


def test_repeated_from_adds_every_file_in_one_edit(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    promises = write(tmp_path, "promises.csv", "id,title\nbuses,Night buses\n")
    evidence = write(
        tmp_path,
        "evidence.csv",
        "id,promise,date,summary,source_title\nbus-plan,buses,2025-05-01,A plan.,Transit board\n",
    )
    run = CliRunner().invoke(
        main, ["add", str(path), "--from", str(promises), "--from", str(evidence)]
    )
    assert run.exit_code == 0, run.output
    assert "added 1 promise, 1 evidence" in run.output
    rubric = promisescore.load(path)
    assert "buses" in [p.id for p in rubric.promises]
    assert "bus-plan" in [e.id for e in rubric.evidence]
    # all or nothing across the files: one bad row in the second leaves the rubric as it is
    before = path.read_bytes()
    more = write(tmp_path, "more.csv", "id,title\ntrams,Trams\n")
    bad = write(
        tmp_path,
        "bad.csv",
        "promise,date,summary,source_title\nnowhere,2025-05-01,A plan.,Transit board\n",
    )
    run = CliRunner().invoke(main, ["add", str(path), "--from", str(more), "--from", str(bad)])
    assert run.exit_code == 1
    assert f"{bad}:2: E301" in run.output
    assert path.read_bytes() == before
    # the same file twice would add its rows twice: refused
    twice = CliRunner().invoke(main, ["add", str(path), "--from", str(more), "--from", str(more)])
    assert twice.exit_code == 2
    assert "named twice" in twice.output
    assert path.read_bytes() == before


def test_from_a_folder_export_wrote_adds_its_files_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    folder = tmp_path / "day"
    folder.mkdir()
    # assessments cite evidence that cites a new promise: order promises, evidence, assessments
    write(
        folder,
        "assessments.csv",
        "promise,date,rating,evidence\nbuses,2025-05-02,in-the-works,bus-plan\n",
    )
    write(folder, "promises.csv", "id,title\nbuses,Night buses\n")
    write(
        folder,
        "evidence.csv",
        "id,promise,date,summary,source_title\nbus-plan,buses,2025-05-01,A plan.,Transit board\n",
    )
    result = add_from(path, folder)
    assert [a.kind for a in result.added] == ["promise", "evidence", "assessment"]
    assert promisescore.load(path).assessments[-1].promise == "buses"
    empty = tmp_path / "empty"
    empty.mkdir()
    run = CliRunner().invoke(main, ["add", str(path), "--from", str(empty)])
    assert run.exit_code == 2
    assert "folder without promises.csv" in run.output
    assert "Traceback" not in run.output


def test_from_a_folder_adds_criteria_of_new_promises_and_names_what_it_skips(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "r.toml", DESK)
    folder = tmp_path / "day"
    folder.mkdir()
    write(folder, "promises.csv", "id,title\nzoo,Open a zoo\n")
    write(folder, "criteria.csv", "promise,id,title\nzoo,gate,The gate opens\nzoo,lions,Lions\n")
    write(folder, "categories.csv", "id,title\nanimals,Animals\n")
    result = add_from(path, folder)
    zoo = promisescore.load(path).promise("zoo")
    assert [(c.id, c.title) for c in zoo.criteria] == [
        ("gate", "The gate opens"),
        ("lions", "Lions"),
    ]
    skipped = [p for p in result.warnings if p.code == "W111"]
    assert [p.file for p in skipped] == [str(folder / "categories.csv")]
    assert "skipped categories.csv" in skipped[0].message
    # a criterion of a promise the batch does not add: refused at its line, nothing written
    before = path.read_bytes()
    write(folder, "promises.csv", "id,title\nzoo2,Another zoo\n")
    write(folder, "criteria.csv", "promise,id,title\nzoo2,gate,Gate\nparks,x,X\n")
    with pytest.raises(RubricError) as caught:
        add_from(path, folder)
    assert [(p.file, p.line, p.code) for p in caught.value.errors] == [
        (str(folder / "criteria.csv"), 3, "E301")
    ]
    assert path.read_bytes() == before


def test_csv_problems_are_at_the_physical_line_of_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    rows = write(
        tmp_path,
        "evidence.csv",
        "promise,date,summary,source_title\n"
        'parks,2025-04-01,"A summary\nover two lines.",Parks department\n'
        "nowhere,2025-04-02,Elsewhere.,A paper\n",
    )
    with pytest.raises(RubricError) as caught:
        add_from(path, rows)
    assert {(p.line, p.code) for p in caught.value.errors} == {(4, "E301")}


def test_read_additions_tells_the_kind_by_name_or_columns() -> None:
    additions, problems = read_additions("id,title\np,A promise\n", "promises.csv")
    assert [(a.kind, a.line, dict(a.values)) for a in additions] == [
        ("promise", 2, {"id": "p", "title": "A promise"})
    ]
    assert not problems
    additions, _ = read_additions("promise,date,summary,source_title\np,2025-01-01,s,t\n", "-")
    assert additions[0].kind == "evidence"
    _, problems = read_additions("what,ever\n1,2\n", "x.csv")
    assert [p.code for p in problems] == ["E102"]


# --------------------------------------------------------------------------- desk defaults


def test_a_missing_by_is_the_one_desk(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", DESK)
    run = CliRunner().invoke(
        main,
        [
            "add",
            "assessment",
            str(path),
            "--promise",
            "parks",
            "--date",
            "2025-04-01",
            "--rating",
            "kept",
            "--evidence",
            "park-opened",
            "--author",
            "A. Reporter",
            "--headline",
            "Both parks are open",
            "--url",
            "https://example.org/open",
        ],
    )
    assert run.exit_code == 0, run.output
    last = promisescore.load(path).assessments[-1]
    assert (last.by, last.author, last.headline, last.url) == (
        "desk",
        "A. Reporter",
        "Both parks are open",
        "https://example.org/open",
    )


@pytest.mark.parametrize("role", ["independent", "desk"])
def test_a_missing_by_without_one_desk_lists_the_assessors(tmp_path: Path, role: str) -> None:
    # no desk at all, or two desks
    text = (
        DESK.replace('role = "desk"', 'role = "independent"')
        if role == "independent"
        else (DESK.replace('role = "independent"', 'role = "desk"'))
    )
    path = write(tmp_path, "r.toml", text)
    before = path.read_bytes()
    run = CliRunner().invoke(
        main,
        [
            "add",
            "assessment",
            str(path),
            "--promise",
            "parks",
            "--date",
            "2025-04-01",
            "--rating",
            "kept",
        ],
    )
    assert run.exit_code == 2, run.output
    assert "desk" in run.output
    assert "watchdog" in run.output
    assert "Traceback" not in run.output
    assert path.read_bytes() == before
    with pytest.raises(EditError, match="watchdog"):
        add(path, "assessment", {"promise": "parks", "date": date(2025, 4, 1), "rating": "kept"})


# --------------------------------------------------------------------------- empty rubrics


def test_an_empty_rubric_is_valid_and_every_report_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "new.toml", EMPTY)
    result = promisescore.check(path)
    assert result.ok
    assert [p.code for p in result.warnings] == ["W112"]
    runner = CliRunner()
    for args in (
        ["check", str(path)],
        ["score", str(path)],
        ["report", str(path)],
        ["report", str(path), "--format", "markdown"],
        ["report", str(path), "--format", "html"],
        ["timeline", str(path)],
    ):
        run = runner.invoke(main, args)
        assert run.exit_code == 0, (args, run.output)
        assert "no promises yet" in run.output, args
        assert "no assessors" not in run.output, args  # the desk is declared
    assert "no assessor's rating yet" in runner.invoke(main, ["report", str(path)]).output
    # the analyses too: nothing to compare, and they say why
    for args in (
        ["diff", str(path), str(path)],
        ["diff", str(path), str(path), "--format", "markdown"],
        ["agree", str(path)],
    ):
        run = runner.invoke(main, args)
        assert run.exit_code == 0, (args, run.output)
        assert "Nothing to compare: no promises yet" in run.output, args
    site = tmp_path / "site"
    assert runner.invoke(main, ["site", str(path), "-o", str(site)]).exit_code == 0
    assert "no promises yet" in (site / "index.html").read_text(encoding="utf-8")
    # and the first promise can be added to it
    add(path, "promise", {"title": "Fix the roads"})
    assert [p.id for p in promisescore.load(path).promises] == ["fix-the-roads"]


def test_init_writes_a_12_starter_with_a_desk_that_add_uses(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(path)]).exit_code == 0
    assert 'format = "1.2"' in path.read_text(encoding="utf-8")
    assert runner.invoke(main, ["check", "--strict", str(path)]).exit_code == 0
    result = add(
        path,
        "assessment",
        {
            "promise": "minimum-wage",
            "date": date(2025, 7, 1),
            "rating": "stalled",
            "evidence": ["wage-bill-introduced"],
        },
    )
    assert result.data["by"] == "editors"
    docs = Path(__file__).resolve().parents[1] / "docs" / "getting-started.md"
    assert 'format = "1.2"' in docs.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- diff --git

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "ratings").mkdir()
    write(
        root,
        "r.toml",
        DESK.replace('format = "1.2"', 'format = "1.2"\ninclude = ["ratings/*.toml"]'),
    )
    write(root / "ratings", "a.toml", "")
    git(root, "add", ".")
    git(root, "commit", "-qm", "one")
    return root


@needs_git
def test_diff_git_reads_the_revision_through_git(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    write(
        repo / "ratings",
        "a.toml",
        '[[assessments]]\npromise = "parks"\nby = "desk"\ndate = 2025-04-01\nrating = "kept"\n'
        'evidence = ["park-opened"]\nheadline = "Both parks are open"\n'
        'url = "https://example.org/open"\n',
    )
    add(repo / "r.toml", "promise", {"id": "buses", "title": "Night buses"})
    old = load_at("HEAD", "r.toml")
    assert old is not None
    assert [p.id for p in old.promises] == ["parks", "homes"]
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD", "r.toml", "--format", "markdown"])
    assert run.exit_code == 0, run.output
    out = run.output
    assert "Open two parks" in out
    assert "In the Works → **Promise Kept**" in out
    assert "[“Both parks are open”](https://example.org/open)" in out
    assert "[Parks department](https://example.org/parks)" in out
    assert "(re-rated " in out
    assert ", newly rated " in out
    assert "#### New promises (1)" in out
    assert "`buses`" in out
    assert "W101 promise 'buses' has no evidence" not in out  # the code, then the message
    assert "`W101` promise 'buses' has no evidence" in out
    assert "`W101` promise 'homes'" not in out  # there before: not new
    # nothing was checked out or left behind
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    assert sorted(status.split()) == ["M", "M", "r.toml", "ratings/a.toml"]
    # two revisions: the same change once committed
    git(repo, "commit", "-qam", "two")
    both = CliRunner().invoke(
        main, ["diff", "--git", "HEAD~1", "--git", "HEAD", "r.toml", "--format", "markdown"]
    )
    assert both.exit_code == 0, both.output
    assert (
        both.output.replace("HEAD:r.toml", "r.toml")
        .replace("HEAD~1:r.toml", "HEAD:r.toml")
        .split("\n", 5)[5]
        == out.split("\n", 5)[5]
    )


@needs_git
def test_diff_git_without_rubric_finds_the_rubric_the_change_touches(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promisescore.loading.git import changed_rubrics

    (repo / "sub").mkdir()
    write(repo / "sub", "other.toml", DESK)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "two rubrics")
    monkeypatch.chdir(repo)
    # only an included file of r.toml changed: r.toml is the one rubric the change touches
    write(
        repo / "ratings",
        "a.toml",
        '[[assessments]]\npromise = "parks"\nby = "desk"\ndate = 2025-04-01\nrating = "kept"\n'
        'evidence = ["park-opened"]\n',
    )
    assert changed_rubrics(("HEAD",)) == ["r.toml"]
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD"])
    assert run.exit_code == 0, run.output
    assert "HEAD:r.toml" in run.output
    # a second changed rubric (in a subfolder): RUBRIC is needed, and both are named
    write(repo / "sub", "other.toml", DESK.replace("Build homes", "Build more homes"))
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD"])
    assert run.exit_code == 2
    assert "the change touches 2 rubrics (r.toml, sub/other.toml)" in run.output
    assert "diff [OPTIONS] --git REV [--git REV2] [RUBRIC]" in run.output


@needs_git
def test_rubric_less_review_finds_deleted_rubrics_and_ignores_outputs(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promisescore.loading.git import changed_rubrics

    monkeypatch.chdir(repo)
    # a score output (it has `format` too) and a built site are no rubrics
    (repo / "scores.json").write_text(
        CliRunner().invoke(main, ["score", "r.toml", "--format", "json"]).stdout, encoding="utf-8"
    )
    assert changed_rubrics(("HEAD",)) == []
    # a rubric the change deletes is the one it touches: everything counts as removed
    (repo / "r.toml").unlink()
    assert changed_rubrics(("HEAD",)) == ["r.toml"]
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD", "--format", "markdown"])
    assert run.exit_code == 0, run.output
    assert "The change deletes the rubric" in run.output
    # the errors of a bad revision or of no repository, as with RUBRIC given
    bad = CliRunner().invoke(main, ["diff", "--git", "no-such-rev"])
    assert bad.exit_code == 2
    assert "no revision 'no-such-rev'" in bad.output
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD"])
    assert run.exit_code == 2
    assert "is not in a git repository" in run.output


@needs_git
def test_diff_git_errors_are_clear(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    runner = CliRunner()
    bad = runner.invoke(main, ["diff", "--git", "no-such-rev", "r.toml"])
    assert bad.exit_code == 2
    assert "no revision 'no-such-rev'" in bad.output
    assert "Traceback" not in bad.output
    outside = tmp_path / "plain"
    outside.mkdir()
    write(outside, "r.toml", DESK)
    monkeypatch.chdir(outside)
    run = runner.invoke(main, ["diff", "--git", "HEAD", "r.toml"])
    assert run.exit_code == 2
    assert "not in a git repository" in run.output
    with pytest.raises(GitError):
        check_at("HEAD", outside / "r.toml")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    run = runner.invoke(main, ["diff", "--git", "HEAD", str(repo / "r.toml")])
    assert run.exit_code == 2
    assert "git is not installed" in run.output


@needs_git
def test_diff_git_of_a_new_rubric_counts_everything_as_added(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    write(repo, "new.toml", DESK)
    assert check_at("HEAD", "new.toml") is None
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD", "new.toml", "--format", "markdown"])
    assert run.exit_code == 0, run.output
    assert "every promise counts as added" in run.output
    assert "#### New promises (2)" in run.output
    # a new promise shows its status and the update behind it, with its sources
    new_section = run.output.split("#### New promises (2)")[1].split("####")[0]
    assert "- **Open two parks** (`parks`): **In the Works**" in new_section
    assert "  - desk on 2025-03-02: In the Works; sources: [Parks department](" in new_section
    assert "- **Build homes** (`homes`): not rated yet" in new_section
    # the same comment from the library: render(review(...), "markdown")
    from promisescore.analysis import diff as compute
    from promisescore.analysis.reviews import review

    rubric = promisescore.load(repo / "new.toml")
    empty = promisescore.score(attrs.evolve(rubric, promises=(), evidence=(), assessments=()))
    found = review(compute(empty, promisescore.score(rubric)), rubric, None)
    comment = promisescore.render(found, "markdown")
    assert new_section in comment
    assert [c.promise for c in found.added] == ["parks", "homes"]
    as_json = CliRunner().invoke(main, ["diff", "--git", "HEAD", "new.toml", "--format", "json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["summary"]["added"] == 2


@needs_git
def test_diff_git_of_a_deleted_rubric_counts_everything_as_removed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promisescore.analysis.reviews import review_git

    monkeypatch.chdir(repo)
    (repo / "r.toml").unlink()
    found = review_git("r.toml", "HEAD")
    assert not found.new_exists
    assert found.rubric is None
    assert sorted(ident for ident, _ in found.removed) == ["homes", "parks"]
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD", "r.toml", "--format", "markdown"])
    assert run.exit_code == 0, run.output
    assert "The change deletes the rubric: every promise counts as removed." in run.output
    assert "#### Removed promises (2)" in run.output
    assert "**After:** r.toml (deleted)" in run.output
    neither = CliRunner().invoke(main, ["diff", "--git", "HEAD", "nowhere.toml"])
    assert neither.exit_code == 2
    assert "does not exist at HEAD nor in the working tree" in neither.output
    assert "Traceback" not in neither.output


@needs_git
def test_the_review_lists_the_new_format_12_warnings_check_gives(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # W106 of a 1.2 rubric rests on the headline's ratings (scoring.verdicts): the
    # comment's "New warnings" are those `check` prints, these included
    monkeypatch.chdir(repo)
    add(
        repo / "r.toml",
        "evidence",
        {
            "promise": "parks",
            "date": date(2025, 5, 1),
            "summary": "A third park is planned.",
            "source": "Parks department",
        },
    )
    checked = CliRunner().invoke(main, ["check", "r.toml"])
    assert "W106 promise 'parks'" in checked.output
    run = CliRunner().invoke(main, ["diff", "--git", "HEAD", "r.toml", "--format", "markdown"])
    assert run.exit_code == 0, run.output
    assert "#### New warnings (1)" in run.output
    assert "- `W106` promise 'parks' has evidence dated after its latest assessment" in run.output


@needs_git
def test_problems_at_a_revision_name_the_revision(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    write(
        repo / "ratings",
        "a.toml",
        '[[assessments]]\npromise = "nope"\nby = "desk"\ndate = 2025-04-01\nrating = "kept"\n',
    )
    git(repo, "commit", "-qam", "bad")
    result = check_at("HEAD", repo / "r.toml")
    assert result is not None
    assert not result.ok
    assert [(p.file, p.line, p.code) for p in result.errors] == [("HEAD:ratings/a.toml", 2, "E301")]
    assert os.path.exists(repo / "ratings" / "a.toml")


def test_a_format_11_review_names_a_measured_promise_by_its_status() -> None:
    # before 1.2 a target promise's status is the §7.6 word for its figure; the diff's
    # rating column has no word for it, so the comment must not take it from there
    from promisescore.analysis import diff as compute
    from promisescore.analysis.reviews import review

    base = (
        'format = "1.1"\n[report]\ntitle = "T"\nstart = 2021-01-01\n[scale]\n'
        'preset = "politifact"\n[[promises]]\nid = "t"\ntitle = "Build homes"\n'
        'target = { metric = "homes", baseline = 0, target = 100 }\n'
    )

    def figure(ident: str, day: str, value: int) -> str:
        return (
            f'[[evidence]]\nid = "{ident}"\npromise = "t"\ndate = {day}\nsummary = "s"\n'
            f'source = {{ title = "Stats", kind = "record" }}\nvalue = {value}\n'
        )

    old = promisescore.loads(base + figure("e1", "2021-02-01", 30))
    new = promisescore.loads(
        base + figure("e1", "2021-02-01", 30) + figure("e2", "2021-03-01", 100)
    )
    found = compute(promisescore.score(old, "2021-04-01"), promisescore.score(new, "2021-04-01"))
    comment = promisescore.render(review(found, new, old), "markdown")
    assert "- **Build homes** (`t`): In the Works → **Promise Kept**" in comment
