"""The bundled rubrics tell the documents' story (issue 15, "Done when").

Every number here is computed by promisescore from the rubric files, through the
library and through the command line, at the dates of the four documents:

- the headline (advocacy groups and the newsroom) never shows the asylum category
  rising while asylum is being shut;
- We Are Home's own score reflects its "Some Progress" title;
- the administration's self-assessment (role ``self``) is outside the headline, but
  visible with ``--assessor administration``;
- every other finding of the audit that shows in a number.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main

from .conftest import IMMIGRATION, WBT

DOCUMENT_DATES = ("2021-04-30", "2021-07-27", "2022-01-20", "2024-06-18")
runner = CliRunner()


@pytest.fixture(scope="module")
def rubric() -> promisescore.Rubric:
    return promisescore.load(IMMIGRATION)


def score_json(*args: str) -> dict[str, object]:
    result = runner.invoke(main, ["score", str(IMMIGRATION), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def category_score(data: dict[str, object], category: str) -> float | None:
    categories = data["categories"]
    assert isinstance(categories, list)
    (found,) = [c for c in categories if c["id"] == category]
    score = found["score"]
    assert score is None or isinstance(score, float | int)
    return score


# ---------------------------------------------------------------------------
# Asylum: the headline does not rise while asylum is being shut
# ---------------------------------------------------------------------------


def test_asylum_category_never_rises_in_the_headline(rubric: promisescore.Rubric) -> None:
    found = [rubric_category(rubric, day, "asylum-border") for day in DOCUMENT_DATES]
    scores = [s for s in found if s is not None]
    assert len(scores) == len(DOCUMENT_DATES)
    assert all(later <= earlier for earlier, later in itertools.pairwise(scores))
    # The CLI computes the same numbers.
    assert [category_score(score_json("--as-of", d), "asylum-border") for d in DOCUMENT_DATES] == (
        scores
    )


def rubric_category(rubric: promisescore.Rubric, day: str, category: str) -> float | None:
    return promisescore.score(rubric, day).category(category).score


def test_asylum_access_is_not_counted_as_progress_after_2021(rubric: promisescore.Rubric) -> None:
    for day in ("2022-01-20", "2024-06-18"):
        card = promisescore.score(rubric, day)
        promise = card.promise("restore-asylum-access")
        assert promise.fulfillment == 0.0
        assert promise.status in {"stalled", "broken"}
    # NAKASEC, speaking while asylum is shut by executive order, calls it broken.
    nakasec = promisescore.score(rubric, "2024-06-18", assessor="nakasec")
    assert nakasec.promise("restore-asylum-access").rating == "broken"
    # We Are Home's January 2022 line supports stalled, not broken (finding 3).
    wah = promisescore.score(rubric, "2022-01-20", assessor="we-are-home")
    assert wah.promise("restore-asylum-access").rating == "stalled"


def test_asylum_procedure_is_not_read_as_access(rubric: promisescore.Rubric) -> None:
    """AILA's 'some steps to improve asylum procedures' rates procedure, not access."""
    aila = promisescore.score(rubric, "2021-04-30", assessor="aila")
    assert aila.promise("fair-asylum-process").rating == "in-the-works"
    assert aila.promise("restore-asylum-access").rating == "stalled"


# ---------------------------------------------------------------------------
# We Are Home: "Some Progress but Not Enough"
# ---------------------------------------------------------------------------


def test_we_are_home_score_shows_some_progress(rubric: promisescore.Rubric) -> None:
    card = promisescore.score(rubric, "2022-01-20", assessor="we-are-home")
    assert card.overall.score is not None
    assert 0 < card.overall.score < 0.25  # some progress, but not enough
    statuses = {p.id: p.status for p in card.promises if p.rated}
    assert statuses["reform-immigration-system"] == "in-the-works"
    assert "kept" not in statuses.values()
    assert "end-abuse-deportation" in statuses  # its third demand is modelled
    data = score_json("--as-of", "2022-01-20", "--assessor", "we-are-home")
    overall = data["overall"]
    assert isinstance(overall, dict)
    assert overall["score"] == card.overall.score


# ---------------------------------------------------------------------------
# The administration's account: outside the headline, visible on request
# ---------------------------------------------------------------------------


def test_self_assessment_is_outside_the_headline(rubric: promisescore.Rubric) -> None:
    for day in DOCUMENT_DATES:
        card = promisescore.score(rubric, day)
        assert "administration" not in card.assessors
    # The fact sheet is the only document of July 2021, and it does not move the headline.
    april = promisescore.score(rubric, "2021-04-30")
    july = promisescore.score(rubric, "2021-07-27")
    assert july.overall == april.overall
    assert [c.score for c in july.categories] == [c.score for c in april.categories]
    # Family reunification rested on the fact sheet alone ("100%, A" before the audit).
    assert promisescore.score(rubric, "2024-06-18").category("family-reunification").score is None


def test_self_assessment_is_visible_with_assessor(rubric: promisescore.Rubric) -> None:
    card = promisescore.score(rubric, "2021-07-27", assessor="administration")
    headline = promisescore.score(rubric, "2021-07-27")
    assert card.overall.score is not None
    assert headline.overall.score is not None
    assert card.overall.score > headline.overall.score
    assert card.category("family-reunification").score == 0.25
    # Nothing is kept on the administration's own word (findings 2 and 4).
    assert card.promise("end-mpp").rating == "in-the-works"
    assert card.promise("cam-program").rating == "in-the-works"
    assert card.promise("fair-asylum-process").rating == "in-the-works"
    data = score_json("--as-of", "2021-07-27", "--assessor", "administration")
    overall = data["overall"]
    assert isinstance(overall, dict)
    assert overall["score"] == card.overall.score


def test_headline_trace_still_shows_the_self_rating(rubric: promisescore.Rubric) -> None:
    """Left out of the headline, the administration's rating stays in the trace, named."""
    card = promisescore.score(rubric, "2021-07-27")
    cam = card.promise("cam-program")
    assert not cam.rated
    (excluded,) = cam.trace.excluded
    assert (excluded.by, excluded.role, excluded.rating) == (
        "administration",
        "self",
        "in-the-works",
    )
    assert excluded.name is not None
    assert excluded.name.startswith("White House")


# ---------------------------------------------------------------------------
# One voice per organisation
# ---------------------------------------------------------------------------


def test_each_organisation_is_its_own_assessor(rubric: promisescore.Rubric) -> None:
    roles = {a.id: a.role for a in rubric.declared_assessors}
    assert roles == {
        "administration": "self",
        "news-report": "independent",
        "raices": "advocacy",
        "aila": "advocacy",
        "we-are-home": "advocacy",
        "nakasec": "advocacy",
    }
    result = runner.invoke(main, ["score", str(IMMIGRATION), "--assessor", "advocates"])
    assert result.exit_code == 2
    assert "advocates" in result.output


def test_an_earlier_speaker_keeps_its_own_rating(rubric: promisescore.Rubric) -> None:
    """AILA's April 2021 rating is still AILA's in 2024: a later group does not replace it."""
    card = promisescore.score(rubric, "2024-06-18")
    ratings = card.promise("restore-asylum-access").assessors
    assert ratings == {
        "news-report": "in-the-works",
        "aila": "stalled",
        "we-are-home": "stalled",
        "nakasec": "broken",
    }
    # ...and a year on, a rating nobody has renewed is flagged stale.
    assert card.promise("welcome-refugees").stale
    assert not card.promise("protect-from-separation").stale


def test_june_2024_announcement_is_credited_once(rubric: promisescore.Rubric) -> None:
    june = [e for e in rubric.evidence if e.date.isoformat() == "2024-06-18"]
    advancing = {e.promise for e in june if e.effect == "advances"}
    assert advancing == {"protect-from-separation"}
    path = next(p for p in rubric.promises if p.id == "path-to-citizenship")
    assert "undocumented-spouses" not in {c.id for c in path.criteria}
    nakasec = promisescore.score(rubric, "2024-06-18", assessor="nakasec")
    assert nakasec.promise("protect-from-separation").rating == "in-the-works"


def test_framing_promise_and_the_reporters_summary(rubric: promisescore.Rubric) -> None:
    report = promisescore.score(rubric, "2021-04-30", assessor="news-report")
    assert report.promise("reform-immigration-system").rating == "in-the-works"
    raices = promisescore.score(rubric, "2021-04-30", assessor="raices")
    assert raices.promise("reform-immigration-system").rating == "stalled"


def test_judges_promise_is_titled_as_a_request(rubric: promisescore.Rubric) -> None:
    judges = next(p for p in rubric.promises if p.id == "hire-immigration-judges")
    assert "request" in judges.title.lower()
    assert not promisescore.score(rubric).promise("hire-immigration-judges").rated


# ---------------------------------------------------------------------------
# Both rubrics: strict check clean, from a real process
# ---------------------------------------------------------------------------


def test_both_rubrics_pass_check_strict_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "promisescore", "check", "--strict", str(IMMIGRATION), str(WBT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stdout.replace("no warnings", "")


# ---------------------------------------------------------------------------
# We Belong Together
# ---------------------------------------------------------------------------


def test_we_belong_together_has_no_grades_and_credits_the_executive_action() -> None:
    rubric = promisescore.load(WBT)
    card = promisescore.score(rubric)
    assert card.overall.grade is None
    assert all(c.grade is None for c in card.categories)
    assert card.promise("protect-families-due-process").rating == "in-the-works"
    data = json.loads(runner.invoke(main, ["score", str(WBT), "--format", "json"]).output)
    assert data["overall"]["grade"] is None
