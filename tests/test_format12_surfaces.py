"""Format 1.2 on the surfaces around the scores: spreadsheets (CSV and XLSX import and
export carry author, headline and url, and a rubric whose rows use 1.2 imports as 1.2),
``fmt`` (the 1.2 keys in the field table's order), and the reader-facing words shared
by every renderer (FORMAT.md §8.1, §8.3, §8.5, §8.8)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from promisescore import load, score
from promisescore.fmt import format_text
from promisescore.i18n import Language
from promisescore.model import Rubric
from promisescore.renderers.views import (
    change_text,
    headline_text,
    measure_text,
    reviewer_ids,
    since_text,
    stale_shown,
    standing_text,
)
from promisescore.scoring import Scorecard
from promisescore.spreadsheets import ImportOptions, export_tables, import_dir

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "format-12.toml"


def _scores(rubric: Rubric) -> dict[str, object]:
    data = score(rubric).to_dict()
    return {k: v for k, v in data.items() if k != "warnings"}


def _write(folder: Path, tables: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in tables.items():
        (folder / name).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- spreadsheets


def test_csv_export_carries_author_headline_url(tmp_path: Path) -> None:
    rubric = load(FIXTURE)
    tables = export_tables(rubric)
    header, *rows = tables["assessments.csv"].splitlines()
    assert header.split(",")[-3:] == ["author", "headline", "url"]
    assert any(
        "Jo Reporter,The rent board is law,https://courier.example.org/2022/09/rent-board" in r
        for r in rows
    )


def test_csv_round_trip_keeps_every_score(tmp_path: Path) -> None:
    from promisescore.spreadsheets import settings_text

    rubric = load(FIXTURE)
    _write(tmp_path / "csv", {**export_tables(rubric), "settings.toml": settings_text(rubric)})
    back = import_dir(tmp_path / "csv")
    assert back.format == "1.2"
    assert [(a.author, a.headline, a.url) for a in back.assessments] == [
        (a.author, a.headline, a.url) for a in rubric.assessments
    ]
    assert _scores(back) == _scores(rubric)


def test_import_without_settings_is_format_12_when_rows_use_it(tmp_path: Path) -> None:
    from promisescore.spreadsheets import ReportInfo

    rubric = load(FIXTURE)
    _write(tmp_path / "csv", export_tables(rubric))
    info = ReportInfo(title="T", start=date(2022, 1, 1), end=date(2026, 1, 1))
    back = import_dir(tmp_path / "csv", ImportOptions(scale="politifact", report=info))
    assert back.format == "1.2"
    assert {a.role for a in back.declared_assessors} >= {"desk", "reviewer"}
    # the same rows without any 1.2 column or role are format 1.1 (assessors declared)
    tables = export_tables(rubric)
    plain = {
        **tables,
        "assessments.csv": "\n".join(
            ",".join(line.split(",")[:9])
            for line in tables["assessments.csv"].splitlines()
            if ",copydesk," not in line and not line.startswith("new-homes,")
        )
        + "\n",
        "assessors.csv": "".join(
            line.replace(",desk,", ",independent,")
            for line in tables["assessors.csv"].splitlines(keepends=True)
            if not line.startswith("copydesk,")
        ),
    }
    assert ",reviewer," not in plain["assessors.csv"]
    _write(tmp_path / "plain", plain)
    older = import_dir(tmp_path / "plain", ImportOptions(scale="politifact", report=info))
    assert older.format == "1.1"
    # a verdict on a target promise is 1.2 as well
    verdict = next(
        line for line in tables["assessments.csv"].splitlines() if line.startswith("new-homes,")
    )
    (tmp_path / "plain" / "assessments.csv").write_text(
        plain["assessments.csv"] + ",".join(verdict.split(",")[:9]) + "\n", encoding="utf-8"
    )
    assert (
        import_dir(tmp_path / "plain", ImportOptions(scale="politifact", report=info)).format
        == "1.2"
    )


def test_xlsx_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from promisescore.spreadsheets import export_workbook, import_workbook

    rubric = load(FIXTURE)
    export_workbook(rubric, tmp_path / "book.xlsx")
    back = import_workbook(tmp_path / "book.xlsx")
    assert back.format == "1.2"
    assert _scores(back) == _scores(rubric)


# --------------------------------------------------------------------------- fmt


def test_fmt_orders_the_12_keys_and_is_idempotent() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert format_text(text) == text  # the fixture is kept formatted
    shuffled = text.replace(
        'note = "The ordinance passed 9–2."\nauthor = "Jo Reporter"',
        'author = "Jo Reporter"\nnote = "The ordinance passed 9–2."',
    )
    assert shuffled != text
    assert format_text(shuffled) == text


# --------------------------------------------------------------------------- words


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return score(load(FIXTURE))


def _label(card: Scorecard, level: str) -> str:
    return next(lv.label for lv in card.scale.levels if lv.id == level)


def test_verdict_beside_the_measure(card: Scorecard) -> None:
    en = Language()
    homes, lanes, fares = (card.promise(i) for i in ("new-homes", "bus-lanes", "fare-cap"))
    assert measure_text(card, homes, en) == "80% of target"
    assert standing_text(card, homes, en, lambda lv: _label(card, lv)) == (
        "Compromise · 80% of target"
    )
    assert standing_text(card, lanes, en, lambda lv: _label(card, lv)) == "80% of target"
    assert standing_text(card, fares, en, lambda lv: _label(card, lv)) == "2 of 3 criteria met"
    fr = Language("fr")
    assert measure_text(card, homes, fr) == "80\u202f% de l’objectif"


def test_since_headline_and_reviewers(card: Scorecard) -> None:
    board = card.promise("rent-board")
    assert since_text(card, board, Language(), lambda lv: _label(card, lv)) == (
        "Promise Kept since 1 September 2022"
    )
    assert headline_text(card, Language()) == "Headline: the desk's verdict"
    assert reviewer_ids(card) == frozenset({"copydesk"})
    assert not stale_shown(card, board)
    assert stale_shown(card, card.promise("tree-canopy"))


def test_change_text_gives_both_parts() -> None:
    change = {"total": -0.007, "rerated": 0.0, "composition": -0.007}
    assert change_text(change, Language()) == "-0.7 pts (re-rated +0.0, newly rated -0.7)"
    assert change_text(None, Language()) == "—"


def test_a_11_rubric_gets_none_of_it() -> None:
    old = score(load(REPO / "tests" / "fixtures" / "honest-numbers.toml"))
    en = Language()
    assert headline_text(old, en) is None
    assert reviewer_ids(old) == frozenset()
    assert all(measure_text(old, p, en) is None for p in old.promises)
    assert all(since_text(old, p, en, str) is None for p in old.promises)


def test_json_is_unchanged_by_the_surfaces() -> None:
    # the site's data.json of a 1.1 rubric is exactly `score --format json`
    from promisescore.site.pages import reader_rubric

    rubric = load(REPO / "tests" / "fixtures" / "honest-numbers.toml")
    assert reader_rubric(rubric) == (rubric, frozenset())
    twelve, hidden = reader_rubric(load(FIXTURE))
    assert hidden == frozenset({"copydesk"})
    assert "copydesk" not in json.dumps(score(twelve).to_dict())


# --------------------------------------------------------------------------- reviewers


def _without_reviewer(text: str) -> str:
    """The fixture without the reviewer: its ``[[assessors]]`` entry and assessments."""
    blocks = text.split("\n\n")
    kept = [
        b
        for b in blocks
        if 'by = "copydesk"' not in b and 'id = "copydesk"' not in b and "copy desk" not in b
    ]
    return "\n\n".join(kept)


def test_a_reviewer_changes_no_site_file(tmp_path: Path) -> None:
    """FORMAT.md §8.1: the site of a rubric with a reviewer is byte for byte the site
    without it (the reviewer's ratings count nowhere and are shown nowhere)."""
    from promisescore.site import build

    text = FIXTURE.read_text(encoding="utf-8")
    plain = _without_reviewer(text)
    assert plain.count("copydesk") == 0
    assert text.count("copydesk") >= 3
    (tmp_path / "without.toml").write_text(plain, encoding="utf-8")
    build([FIXTURE], tmp_path / "with-site")
    build([tmp_path / "without.toml"], tmp_path / "without-site")
    made = sorted(
        p.relative_to(tmp_path / "with-site")
        for p in (tmp_path / "with-site").rglob("*")
        if p.is_file() and p.name != ".promisescore-site"
    )
    assert len(made) >= 10
    for name in made:
        if name.suffix == ".png":  # the share images: the same bytes
            assert (tmp_path / "with-site" / name).read_bytes() == (
                tmp_path / "without-site" / name
            ).read_bytes(), name
            continue
        a = (tmp_path / "with-site" / name).read_text(encoding="utf-8")
        b = (tmp_path / "without-site" / name).read_text(encoding="utf-8")
        if name.name == "data.json":  # the warnings name the rubric file and its lines
            a, b = (
                json.dumps({k: v for k, v in json.loads(t).items() if k != "warnings"})
                for t in (a, b)
            )
        assert a == b, name


def test_html_card_without_detail_names_no_reviewer() -> None:
    from promisescore.renderers import render, report_options

    rubric = load(FIXTURE)
    card = score(rubric)
    html = render(card, "html")
    assert "Zelda" not in html
    detail = report_options(card, "html", detail=True)
    assert "Zelda Copyreader" in render(card, "html", detail)


def test_headline_names_the_counted_roles_without_a_desk(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace('role = "desk"', 'role = "independent"')
    path = tmp_path / "no-desk.toml"
    path.write_text(text, encoding="utf-8")
    card = score(load(path))
    assert card.consensus_roles == ("independent", "advocacy")
    assert headline_text(card, Language()) == (
        "Headline: counts independent and advocacy assessors"
    )
    assert headline_text(card, Language("fr")) == (
        "Chiffre principal : compte les évaluateurs de rôle indépendant et groupe de défense"
    )
    # one assessor's view is not the headline
    assert headline_text(score(load(path), assessor="checker"), Language()) is None


def test_site_current_ratings_name_the_criterion(tmp_path: Path) -> None:
    """A rating of one criterion, shown on the promise page, says which criterion it
    rates (it is not a word about the whole promise, FORMAT.md §8.3)."""
    from promisescore.site import build

    rubric = tmp_path / "c.toml"
    rubric.write_text(
        'format = "1.2"\n[report]\ntitle = "T"\nstart = 2021-01-01\n[scale]\n'
        'preset = "politifact"\n'
        '[[assessors]]\nid = "desk"\nname = "The Desk"\nrole = "desk"\n'
        '[[assessors]]\nid = "fc"\nname = "Indie Checker"\nrole = "independent"\n'
        '[[promises]]\nid = "c1"\ntitle = "Two parts"\n'
        'criteria = [{ id = "zeta", title = "Zeta" }, { id = "eta", title = "Eta" }]\n'
        '[[assessments]]\npromise = "c1"\ncriterion = "zeta"\nby = "fc"\n'
        'date = 2021-03-01\nrating = "in-the-works"\n',
        encoding="utf-8",
    )
    build([rubric], tmp_path / "site")
    page = (tmp_path / "site" / "promises" / "c1.html").read_text(encoding="utf-8")
    now = page[page.index('id="now-heading"') : page.index('id="history-heading"')]
    assert "Indie Checker" in now
    assert "zeta: " in now
