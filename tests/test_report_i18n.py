"""The HTML report card in French: gold files, the option and the rubric's ``lang``, the
one message catalogue shared with the site.

Regenerate the French gold files (then read the diff) with

    PROMISESCORE_REGEN_GOLD=1 python3 -m pytest tests/test_report_i18n.py
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main
from promisescore.i18n import catalogue_dir, extract_messages
from promisescore.loading import load
from promisescore.renderers import RenderOptions, render
from promisescore.scoring import score

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold_fr"
REGEN = os.environ.get("PROMISESCORE_REGEN_GOLD") == "1"

#: gold file → arguments of ``promisescore report``
CASES: dict[str, tuple[str, ...]] = {
    "report-card.fr.html": ("tests/fixtures/report-card.toml",),
    "us-immigration-2021.fr.html": (
        "tests/fixtures/immigration-1.1/us-immigration-2021.toml",
        "--as-of",
        "2022-01-20",
    ),
    "honest-numbers.fr.html": ("tests/fixtures/honest-numbers.toml",),
    "report-card.fr.detail.html": ("tests/fixtures/report-card.toml", "--detail"),
    "report-card.fr.fragment.html": ("tests/fixtures/report-card.toml", "--fragment"),
}

#: English interface words that must not be left in a French card (user text aside).
ENGLISH = (
    "Promise report card",
    "How this is scored",
    "Promise by promise",
    "Who says what",
    "Overall score",
    "Coverage",
    "Evidence",
    "Weights",
    "Made with promisescore",
    "January 2022",
    "Not rated",
    "Promise Kept",
    "promises rated",
    "Source:",
    'data-label="Rating"',
    "Over time",
    "(self)",
    "(independent)",
    "(advocacy)",
)


def _report(*args: str) -> str:
    result = CliRunner().invoke(main, ["report", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("name", CASES)
def test_french_card_matches_gold_file(name: str) -> None:
    output = _report(*CASES[name], "--format", "html", "--lang", "fr")
    path = GOLD / name
    if REGEN:
        GOLD.mkdir(exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"no gold file {path}; run PROMISESCORE_REGEN_GOLD=1 pytest {__file__}"
    expected = path.read_bytes().decode("utf-8")
    if output != expected:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), output.splitlines(True)))[:60]
        )
        pytest.fail(f"{name} differs from its gold file; if intended, regenerate\n{diff}")


def test_every_french_gold_file_is_checked() -> None:
    assert {p.name for p in GOLD.iterdir()} == set(CASES)


def _visible(html: str) -> str:
    """The page without its style sheet (CSS has no words to translate)."""
    return re.sub(r"<style>.*?</style>", "", html, flags=re.S)


@pytest.mark.parametrize("name", CASES)
def test_french_card_has_no_english_interface_words(name: str) -> None:
    html = _visible((GOLD / name).read_text(encoding="utf-8"))
    left = [word for word in ENGLISH if word in html]
    assert left == [], left
    if "fragment" in name:
        assert '<div class="promisescore-card" lang="fr">' in html
        assert "<html" not in html
    else:
        assert '<html lang="fr">' in html


def test_french_card_formats_dates_and_numbers_the_french_way() -> None:
    html = (GOLD / "us-immigration-2021.fr.html").read_text(encoding="utf-8")
    assert "20 janvier 2022" in html
    assert "\u202f%" in html
    assert not re.search(r">\d+\.\d%<", html)  # no English decimal point in percentages
    assert "Promesse tenue" in html or "Promesse rompue" in html  # a built-in scale, in French


def test_user_text_is_never_translated(tmp_path: Path) -> None:
    """Titles, notes and a rubric's own level labels stay as written."""
    source = (REPO / "tests/fixtures/report-card.toml").read_text(encoding="utf-8")
    rubric = load(REPO / "tests/fixtures/report-card.toml")
    card = score(rubric)
    french = render(card, "html", RenderOptions(rubric=rubric, lang="fr"))
    for promise in card.promises:
        assert promise.title.replace("'", "&#39;").replace("&", "&amp;") in french or (
            promise.title in french
        )
    assert card.title in french or card.title.replace("'", "&#39;") in french
    assert "title" in source  # the fixture has user text to check


def test_rubric_lang_is_honoured_and_the_option_wins(tmp_path: Path) -> None:
    source = (REPO / "tests/fixtures/report-card.toml").read_text(encoding="utf-8")
    assert "[report]\n" in source
    assert "lang =" not in source
    french_rubric = tmp_path / "fr.toml"
    french_rubric.write_text(
        source.replace("[report]\n", '[report]\nlang = "fr"\n', 1), encoding="utf-8"
    )
    by_rubric = _report(str(french_rubric), "--format", "html")
    assert '<html lang="fr">' in by_rubric
    assert "Méthode de notation" in by_rubric
    forced = _report(str(french_rubric), "--format", "html", "--lang", "en")
    assert '<html lang="en">' in forced
    assert "How this is scored" in forced
    # the library: the field on RenderOptions wins over the rubric too
    rubric = load(french_rubric)
    card = score(rubric)
    assert '<html lang="fr">' in promisescore.render(card, "html", RenderOptions(rubric=rubric))
    english = promisescore.render(card, "html", RenderOptions(rubric=rubric, lang="en"))
    assert '<html lang="en">' in english


def test_english_is_the_default_and_unchanged() -> None:
    default = _report("tests/fixtures/report-card.toml", "--format", "html")
    english = _report("tests/fixtures/report-card.toml", "--format", "html", "--lang", "en")
    assert default == english == (REPO / "tests/gold/report-card.html").read_text("utf-8")


def test_lang_needs_the_html_format() -> None:
    result = CliRunner().invoke(
        main, ["report", "tests/fixtures/report-card.toml", "--format", "text", "--lang", "fr"]
    )
    assert result.exit_code == 2
    assert "--lang goes with --format html" in result.output
    bad = CliRunner().invoke(
        main, ["report", "tests/fixtures/report-card.toml", "--format", "html", "--lang", "de"]
    )
    assert bad.exit_code == 2
    assert "'de' is not one of 'en', 'fr'" in bad.output


def test_unknown_language_in_the_library_is_a_clear_error() -> None:
    rubric = load(REPO / "tests/fixtures/report-card.toml")
    with pytest.raises(ValueError, match="unsupported language 'de'; choose from en, fr"):
        render(score(rubric), "html", RenderOptions(rubric=rubric, lang="de"))


def test_real_subprocess_writes_a_french_card(tmp_path: Path) -> None:
    out = tmp_path / "fiche.html"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "promisescore", "report", "tests/fixtures/report-card.toml"),
            *("--format", "html", "--lang", "fr", "-o", str(out)),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text("utf-8") == (GOLD / "report-card.fr.html").read_text("utf-8")


_CALL = re.compile(r"""\b(?:_|gettext|N_)\(\s*(["'])((?:\\.|(?!\1).)*)\1""", re.S)


def _calls(text: str) -> set[str]:
    return {m.group(2).replace("\\'", "'").replace('\\"', '"') for m in _CALL.finditer(text)}


def test_every_message_of_the_report_card_is_in_the_catalogue() -> None:
    """Independent of Babel's extractor: every literal passed to ``_``/``gettext``/``N_``
    in the report card's template and code is a msgid of the French catalogue."""
    po = (catalogue_dir() / "fr" / "LC_MESSAGES" / "promisescore.po").read_text("utf-8")
    msgids = set(re.findall(r'^msgid "(.*)"$', po, flags=re.M))
    msgids = {m.replace('\\"', '"') for m in msgids}
    package = REPO / "src" / "promisescore"
    used = _calls((package / "renderers" / "templates" / "report.html.j2").read_text("utf-8"))
    used |= _calls((package / "renderers" / "html.py").read_text("utf-8"))
    assert len(used) > 80
    missing = sorted(m for m in used if m not in msgids)
    assert missing == []
    assert used <= set(extract_messages())
