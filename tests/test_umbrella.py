"""Umbrella promises (a format 1.2 extension, docs/format.md): a verdict on the whole
record, shown beside the overall score and left out of every sum, count and coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main

RUBRIC = """\
format = "{format}"

[report]
title = "Umbrella"
start = 2021-01-01

[scale]
preset = "politifact"

[[categories]]
id = "a"
title = "A"

[[promises]]
id = "agenda"
title = "Reform everything"
{umbrella}

[[promises]]
id = "one"
title = "One"
category = "a"
weight = 2

[[promises]]
id = "two"
title = "Two"
category = "a"

[[evidence]]
id = "e1"
promise = "agenda"
date = 2021-02-01
summary = "s"
source = {{ title = "t", kind = "report" }}

[[evidence]]
id = "e2"
promise = "one"
date = 2021-02-01
summary = "s"
source = {{ title = "t", kind = "report" }}

[[assessments]]
promise = "agenda"
date = 2021-02-01
rating = "kept"
evidence = ["e1"]

[[assessments]]
promise = "one"
date = 2021-02-01
rating = "compromise"
evidence = ["e2"]
"""


def write(tmp_path: Path, *, umbrella: bool = True, fmt: str = "1.2") -> Path:
    path = tmp_path / "r.toml"
    path.write_text(
        RUBRIC.format(format=fmt, umbrella="umbrella = true" if umbrella else ""),
        encoding="utf-8",
    )
    return path


def test_an_umbrella_promise_stays_out_of_the_mean_counts_and_coverage(tmp_path: Path) -> None:
    card = promisescore.score(promisescore.load(write(tmp_path)))
    # Only "one" (compromise, 0.5, weight 2) is rated among the counted promises:
    # overall 0.5; coverage 2 / (2 + 1); the umbrella's "kept" is in no count.
    assert card.overall.score == 0.5
    assert card.overall.coverage == pytest.approx(2 / 3)
    counts = dict(card.counts)
    assert counts["kept"] == 0
    assert counts["compromise"] == 1
    assert counts["unrated"] == 1
    assert [c.id for c in card.categories] == ["a"]  # no "uncategorized" for the umbrella
    (umbrella,) = card.umbrellas
    assert umbrella.id == "agenda"
    assert umbrella.status == "kept"
    assert umbrella.fulfillment == 1.0


def test_without_the_key_the_same_promise_is_averaged_in(tmp_path: Path) -> None:
    card = promisescore.score(promisescore.load(write(tmp_path, umbrella=False)))
    # agenda (kept, 1.0, weight 1, uncategorized) and one (0.5, weight 2): two categories,
    # W = 1 and 2: (1 * 1.0 + 2 * 0.5) / 3.
    assert card.overall.score == pytest.approx(2 / 3)
    assert card.umbrellas == ()
    assert dict(card.counts)["kept"] == 1


def test_json_names_the_umbrella_promises(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(write(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["umbrella"] == ["agenda"]
    by_id = {p["id"]: p for p in data["promises"]}
    assert by_id["agenda"]["umbrella"] is True
    assert "umbrella" not in by_id["one"]
    assert data["overall"]["score"] == 0.5


def test_umbrella_is_a_format_12_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(write(tmp_path, fmt="1.1"))])
    assert result.exit_code == 1
    assert "E010" in result.output
    assert "umbrella" in result.output
    assert "1.2" in result.output


def test_umbrella_must_be_a_boolean(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("umbrella = true", 'umbrella = "yes"'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "umbrella" in result.output
    assert "Traceback" not in result.output


def test_timeline_changes_leave_the_umbrella_out(tmp_path: Path) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8") + (
        '\n[[assessments]]\npromise = "agenda"\ndate = 2021-03-01\nrating = "broken"\n'
        'evidence = ["e1"]\n'
    )
    path.write_text(text, encoding="utf-8")
    rubric = promisescore.load(path)
    before = promisescore.score(rubric, "2021-02-01")
    after = promisescore.score(rubric, "2021-03-01")
    # The umbrella went from kept to broken; the headline, which leaves it out, did not move.
    assert before.overall.score == after.overall.score == 0.5
    assert after.umbrellas[0].status == "broken"


# --------------------------------------------------------------------------- shown beside


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


UMBRELLA_LINE = (
    "Umbrella promise (a verdict on the whole record, not in the score): "
    "Reform everything — Promise Kept since 1 February 2021"
)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_reports_show_the_verdict_beside_the_overall_score(tmp_path: Path, fmt: str) -> None:
    out = _invoke("report", str(write(tmp_path)), "--format", fmt, "--width", "200")
    lines = out.splitlines()
    overall = next(i for i, line in enumerate(lines) if "Overall" in line)
    # the count says what it counts: the two counted promises, not the umbrella
    assert "1 of 2 promises rated" in lines[overall]
    beside = [line.strip() for line in lines[overall + 1 : overall + 4] if line.strip()]
    assert beside[0] == UMBRELLA_LINE
    assert "term ended" not in out  # no report.end


def test_html_report_and_site_show_the_verdict(tmp_path: Path) -> None:
    path = write(tmp_path)
    html = _invoke("report", str(path), "--format", "html")
    assert f'<p class="umbrella">{UMBRELLA_LINE}</p>' in html
    assert "1 of 2 promises rated" in html
    site = tmp_path / "site"
    _invoke("site", str(path), "-o", str(site))
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="promises/agenda.html">{UMBRELLA_LINE}</a>' in index
    assert "1 of 2 promises rated" in index
    assert (site / "promises" / "agenda.html").is_file()  # shown like any promise
    # the meter counts what the score counts, and says so beside the status lists
    caption = index[index.index("<figcaption>Promises by status") :]
    caption = caption[: caption.index("</figcaption>")]
    assert "(umbrella promises not counted)" in caption


def test_a_wide_text_table_says_umbrella_not_uncategorized(tmp_path: Path) -> None:
    out = _invoke("report", str(write(tmp_path)), "--width", "200")
    row = next(line for line in out.splitlines() if line.startswith("Reform everything"))
    assert "umbrella" in row
    assert "uncategorized" not in out


def test_no_report_shows_a_weight_for_the_umbrella(tmp_path: Path) -> None:
    # the umbrella's declared weight (1, the default) is in no sum: its row says "—"
    path = write(tmp_path)
    text_row = next(
        line
        for line in _invoke("report", str(path), "--width", "200").splitlines()
        if line.startswith("Reform everything")
    )
    assert " — " in text_row
    assert " 1 " not in text_row
    md = _invoke("report", str(path), "--format", "markdown")
    md_row = next(line for line in md.splitlines() if line.startswith("| Reform everything"))
    assert md_row.split(" | ")[1:5] == ["umbrella", "Promise Kept", "100%", "—"]
    one_row = next(line for line in md.splitlines() if line.startswith("| One |"))
    assert one_row.split(" | ")[4] == "2"  # a counted promise keeps its weight
    html = _invoke("report", str(path), "--format", "html")
    row = html[html.index('href="#promise/agenda"') :]
    assert row.index('data-label="Weight">—</td>') < row.index("</tr>")
    facts = html[html.index('id="promise/agenda"') :]
    assert "<dt>Weight</dt><dd>—</dd>" in facts[: facts.index("</dl>")]


def test_past_the_end_of_term_reports_say_the_term_is_over(tmp_path: Path) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "start = 2021-01-01", "start = 2021-01-01\nend = 2021-06-30"
    )
    path.write_text(text, encoding="utf-8")
    ended = "The term ended on 30 June 2021; the record stands as its last assessments left it."
    card = promisescore.score(promisescore.load(path), "2021-07-01")
    assert card.term_over
    assert not promisescore.score(promisescore.load(path), "2021-06-30").term_over
    for fmt in ("text", "markdown", "html"):
        out = _invoke(
            "report", str(path), "--as-of", "2021-07-01", "--format", fmt, "--width", "200"
        )
        assert ended in out, fmt
        before = _invoke("report", str(path), "--as-of", "2021-06-30", "--format", fmt)
        assert "The term ended" not in before, fmt
    site = tmp_path / "site"
    _invoke("site", str(path), "-o", str(site), "--as-of", "2021-07-01")
    assert ended in (site / "index.html").read_text(encoding="utf-8")


def test_explain_says_an_umbrella_moves_no_score(tmp_path: Path) -> None:
    rubric = promisescore.load(write(tmp_path))
    result = promisescore.explain(rubric, "agenda")
    assert result.contribution is None
    assert result.to_dict()["contribution"] is None
    text = promisescore.render(result)
    assert "Contribution: none. An umbrella promise" in text
    assert promisescore.explain(rubric, "one").contribution is not None


def test_compare_groups_leave_the_umbrella_out(tmp_path: Path) -> None:
    path = write(tmp_path)
    comparison = promisescore.compare([path], by="category")
    assert [g.key for g in comparison.groups] == ["a"]
    (group,) = comparison.groups
    assert (group.promises, group.rated, group.score) == (2, 1, 0.5)
    (row,) = comparison.rubrics
    assert (row.promises, row.rated) == (2, 1)


def test_spreadsheets_carry_the_umbrella(tmp_path: Path) -> None:
    from promisescore.spreadsheets import export_csv, import_dir

    rubric = promisescore.load(write(tmp_path))
    export_csv(rubric, tmp_path / "sheets")
    promises_csv = (tmp_path / "sheets" / "promises.csv").read_text(encoding="utf-8")
    header, agenda, one, _ = promises_csv.splitlines()[:4]
    column = header.split(",").index("umbrella")
    assert agenda.split(",")[column] == "true"
    assert one.split(",")[column] == ""  # the default, left empty
    back = import_dir(tmp_path / "sheets")
    assert back.format == "1.2"  # an umbrella row makes the import format 1.2
    assert [p.umbrella for p in back.promises] == [True, False, False]
    (tmp_path / "sheets" / "promises.csv").write_text(
        promises_csv.replace(",true,", ",TRUE,"), encoding="utf-8"
    )
    assert import_dir(tmp_path / "sheets").promises[0].umbrella is True


def test_the_french_card_translates_the_umbrella_line(tmp_path: Path) -> None:
    html = _invoke("report", str(write(tmp_path)), "--format", "html", "--lang", "fr")
    assert "Promesse-cadre (un verdict sur l’ensemble du bilan, hors du score) : " in html
    assert "Reform everything — " in html  # the rubric's own words stay as written


def test_the_timeline_counts_what_the_headline_counts(tmp_path: Path) -> None:
    rubric = promisescore.load(write(tmp_path))
    (point,) = promisescore.timeline(rubric, ["2021-02-01"]).points
    card = promisescore.score(rubric, "2021-02-01")
    assert (point.promises, point.rated) == (len(card.counted), card.rated_count) == (2, 1)
