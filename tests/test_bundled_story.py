"""The bundled rubrics tell the documents' story (issue 25, "Done when").

Read against the five documents in ``../shared/seeds``, every headline status and every
trend of the immigration card at the date of each document (and past the term's end)
says what the documents say. Each number here is computed by promisescore from the
rubric files, through the library, through the command line (Click's runner) and
through a real ``promisescore`` process:

- 100 days (2021-04-30): the only independent voice sees "notable strides in the right
  direction"; RAICES grants that a reversal is under way; AILA says the asylum promises
  were "not executed". The agenda is *in the works*; asylum access *stalled*.
- Six months (2021-07-27): only the administration speaks, and its account of itself
  (role ``self``) moves nothing.
- One year (2022-01-20): We Are Home, "Some Progress but Not Enough": its demands are
  *stalled*; the overall score falls only because newly rated promises enter the mean
  (§8.5: ``rerated`` is 0, the whole change is ``composition``).
- June 2024 (2024-06-18): NAKASEC's "hard-fought win" (relief for spouses) and "executive
  order shuttering asylum": protection from separation *in the works*, asylum *broken*,
  on the fresh 2024 voice (``stale = "drop"``); the change is all re-rating. Older
  ratings are flagged stale, never silently decisive.
- Past the term's end (2025-01-20): the record stands, and nothing new is invented.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from click.testing import CliRunner

import promisescore
from promisescore.cli import main

from .conftest import IMMIGRATION, WBT

DOCUMENT_DATES = ("2021-04-30", "2021-07-27", "2022-01-20", "2024-06-18")
PAST_TERM = "2025-03-01"
runner = CliRunner()

#: What each document says happened, as the card must show it on its date: the headline
#: status of every rated promise (None: a measured promise without a verdict).
STATUSES: dict[str, dict[str, str | None]] = {
    "2021-04-30": {
        "reform-immigration-system": "in-the-works",
        "restore-asylum-access": "stalled",
        "end-mpp": "in-the-works",
        "fair-asylum-process": "in-the-works",
        "welcome-refugees": "stalled",
    },
    "2022-01-20": {
        "reform-immigration-system": "in-the-works",
        "path-to-citizenship": None,
        "protect-from-separation": "stalled",
        "restore-asylum-access": "stalled",
        "end-mpp": "in-the-works",
        "fair-asylum-process": "in-the-works",
        "end-for-profit-detention": "stalled",
        "reduce-enforcement-harm": "stalled",
        "welcome-refugees": "stalled",
    },
    "2024-06-18": {
        "reform-immigration-system": "in-the-works",
        "path-to-citizenship": None,
        "protect-from-separation": "in-the-works",
        "restore-asylum-access": "broken",
        "end-mpp": "in-the-works",
        "fair-asylum-process": "in-the-works",
        "end-for-profit-detention": "stalled",
        "reduce-enforcement-harm": "stalled",
        "welcome-refugees": "stalled",
    },
}
STATUSES["2021-07-27"] = STATUSES["2021-04-30"]  # the fact sheet (self) moves nothing
STATUSES[PAST_TERM] = STATUSES["2024-06-18"]

#: The overall score at each date: Σ w·f / Σ w over the rated promises the headline
#: counts (the umbrella promise stands beside it, not in it).
OVERALL = {
    "2021-04-30": (2 * 0.25 + 2 * 0.25) / (7 + 2),  # asylum-border 7, humanitarian 2
    "2021-07-27": (2 * 0.25 + 2 * 0.25) / (7 + 2),
    "2022-01-20": (2 * 0.25 + 2 * 0.25) / (5 + 7 + 4 + 2),  # + legalization, detention
    "2024-06-18": (2 * 0.25 + 2 * 0.25 + 2 * 0.25) / (5 + 7 + 4 + 2),  # + the relief
    PAST_TERM: (2 * 0.25 + 2 * 0.25 + 2 * 0.25) / (5 + 7 + 4 + 2),
}

#: Category scores at each date (None: nothing rated in it yet).
CATEGORIES: dict[str, dict[str, float | None]] = {
    "2021-04-30": {
        "legalization": None,
        "asylum-border": 1 / 7,
        "detention-enforcement": None,
        "humanitarian-refugees": 0.0,
    },
    "2022-01-20": {
        "legalization": 0.0,
        "asylum-border": 1 / 7,
        "detention-enforcement": 0.0,
        "humanitarian-refugees": 0.0,
    },
    "2024-06-18": {
        "legalization": 0.5 / 5,  # relief for spouses: protection from separation moves
        "asylum-border": 1 / 7,  # asylum broken: the category does not rise
        "detention-enforcement": 0.0,
        "humanitarian-refugees": 0.0,
    },
}
CATEGORIES["2021-07-27"] = CATEGORIES["2021-04-30"]
CATEGORIES[PAST_TERM] = CATEGORIES["2024-06-18"]

#: The §8.5 split of each change of the overall score: (total, rerated, composition).
CHANGES = {
    ("2021-04-30", "2021-07-27"): (0.0, 0.0, 0.0),
    ("2021-07-27", "2022-01-20"): (1 / 18 - 1 / 9, 0.0, 1 / 18 - 1 / 9),  # newly rated only
    ("2022-01-20", "2024-06-18"): (1.5 / 18 - 1 / 18, 1.5 / 18 - 1 / 18, 0.0),  # re-rated only
}


@pytest.fixture(scope="module")
def rubric() -> promisescore.Rubric:
    return promisescore.load(IMMIGRATION)


def score_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(main, ["score", str(IMMIGRATION), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def rated_statuses(data: dict[str, Any]) -> dict[str, str | None]:
    return {p["id"]: p["status"] for p in data["promises"] if p["rated"]}


# ---------------------------------------------------------------------------
# Every date: statuses, overall, categories, through the library and the CLI
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", [*DOCUMENT_DATES, PAST_TERM])
def test_the_card_says_what_the_documents_say(rubric: promisescore.Rubric, day: str) -> None:
    card = promisescore.score(rubric, day)
    assert {p.id: p.status for p in card.promises if p.rated} == STATUSES[day]
    assert card.overall.score == pytest.approx(OVERALL[day])
    assert card.overall.grade is None  # no grades: no document gives one (finding 5)
    for category, expected in CATEGORIES[day].items():
        found = card.category(category).score
        assert found == (None if expected is None else pytest.approx(expected)), category
    # The CLI prints the same numbers.
    data = score_json("--as-of", day)
    assert data["schema_version"] == 3
    assert rated_statuses(data) == STATUSES[day]
    assert data["overall"]["score"] == card.overall.score
    assert data["overall"]["grade"] is None


@pytest.mark.parametrize(
    ("before", "after"), [("2021-04-30", "2022-01-20"), ("2022-01-20", "2024-06-18")]
)
def test_every_category_moves_the_way_the_documents_say(
    rubric: promisescore.Rubric, before: str, after: str
) -> None:
    """Legalization rises only with the 2024 relief; asylum never rises while it is being
    shut; detention and humanitarian protection never rise."""
    then = promisescore.score(rubric, before)
    now = promisescore.score(rubric, after)
    rises = {"legalization"} if after == "2024-06-18" else set()
    for category in CATEGORIES[after]:
        old, new = then.category(category).score, now.category(category).score
        if new is None or old is None:
            continue
        if category in rises:
            assert new > old, category
        else:
            assert new <= old, category


def test_asylum_is_broken_and_protection_in_the_works_in_june_2024(
    rubric: promisescore.Rubric,
) -> None:
    """Finding 1: NAKASEC's fresh voice decides; the 2021-22 ratings are dropped as stale
    (stale = "drop"), and named, not hidden."""
    card = promisescore.score(rubric, "2024-06-18")
    asylum = card.promise("restore-asylum-access")
    assert asylum.status == "broken"
    assert asylum.stale_assessors == ("aila", "we-are-home")
    assert [r.by for r in asylum.trace.ratings] == ["nakasec"]
    assert asylum.status_since == promisescore.score(rubric).as_of  # broken since June 2024
    protection = card.promise("protect-from-separation")
    assert protection.status == "in-the-works"
    assert protection.stale_assessors == ("we-are-home",)
    assert dict(card.counts)["broken"] == 1
    # Before June 2024 nothing was broken (finding 1: "Promise Broken: 0" at every date).
    assert dict(promisescore.score(rubric, "2022-01-20").counts)["broken"] == 0


def test_old_deciding_ratings_are_never_called_fresh(rubric: promisescore.Rubric) -> None:
    """Finding 2: a promise whose consensus rests on a rating two or three years old is
    stale; only the promises NAKASEC rated in 2024 alone are fresh."""
    card = promisescore.score(rubric, "2024-06-18")
    fresh = {p.id for p in card.promises if p.rated and not p.stale}
    assert fresh == {"protect-from-separation", "restore-asylum-access"}
    assert card.promise("path-to-citizenship").stale  # 3 of 4 criteria rest on 2022
    assert card.promise("reform-immigration-system").stale  # 2021-22 only


def test_the_100_day_agenda_reads_in_the_works(rubric: promisescore.Rubric) -> None:
    """Finding 3: the scale rates the standing of the promise on its own terms. RAICES
    grants a reversal is under way ('crucial'), so it rates *in the works*; its stricter
    measure ('not progress') is quoted in its note."""
    card = promisescore.score(rubric, "2021-04-30")
    agenda = card.promise("reform-immigration-system")
    assert agenda.status == "in-the-works"
    assert agenda.assessors == {"news-report": "in-the-works", "raices": "in-the-works"}
    raices = next(a for a in rubric.assessments if a.by == "raices")
    assert raices.note is not None
    assert "'not progress'" in raices.note


def test_the_reporter_gives_no_verdict_on_asylum_access(rubric: promisescore.Rubric) -> None:
    """Finding 7: the report's own 'But … he has not executed on promises' frames access;
    the MPP sentence is read once, for end-mpp."""
    card = promisescore.score(rubric, "2021-04-30")
    assert card.promise("restore-asylum-access").assessors == {"aila": "stalled"}
    assert card.promise("end-mpp").assessors == {"news-report": "in-the-works"}


def test_the_change_in_2022_is_newly_rated_promises_not_a_change_in_the_record() -> None:
    """Finding 4 and FORMAT §8.5: every change of the overall score carries its split."""
    result = runner.invoke(
        main,
        ["timeline", str(IMMIGRATION), "--at", ",".join(DOCUMENT_DATES), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    points = json.loads(result.output)["points"]
    assert [p["as_of"] for p in points] == list(DOCUMENT_DATES)
    assert points[0]["change"] is None
    for point, previous in zip(points[1:], points, strict=False):
        total, rerated, composition = CHANGES[(previous["as_of"], point["as_of"])]
        change = point["change"]
        assert change["total"] == pytest.approx(total, abs=1e-12)
        assert change["rerated"] == pytest.approx(rerated, abs=1e-12)
        assert change["composition"] == pytest.approx(composition, abs=1e-12)
        assert change["rerated"] + change["composition"] == change["total"]


def test_the_umbrella_promise_stands_beside_the_mean(rubric: promisescore.Rubric) -> None:
    """Finding 10: the overall agenda is a verdict on the whole, not averaged in with its
    own parts."""
    for day in DOCUMENT_DATES:
        card = promisescore.score(rubric, day)
        (umbrella,) = card.umbrellas
        assert umbrella.id == "reform-immigration-system"
        assert umbrella.status == "in-the-works"
        assert "reform-immigration-system" not in {
            p.id for c in card.categories for p in card.promises if p.category == c.id
        }
    data = score_json()
    assert data["umbrella"] == ["reform-immigration-system"]


def test_end_abuse_deportation_is_no_promise(rubric: promisescore.Rubric) -> None:
    """Finding 8: a demand no document calls one of the administration's promises."""
    assert "end-abuse-deportation" not in {p.id for p in rubric.promises}
    assert not any(e.promise == "end-abuse-deportation" for e in rubric.evidence)


def test_the_headline_says_which_roles_it_counts(rubric: promisescore.Rubric) -> None:
    """Finding 6: the headline counts the newsroom and the advocacy groups; after April
    2021 every counted voice is an advocacy group's, and the JSON says which roles count."""
    for day in DOCUMENT_DATES:
        data = score_json("--as-of", day)
        assert data["consensus_roles"] == ["independent", "advocacy"]
    card = promisescore.score(rubric, "2024-06-18")
    roles = {r.role for p in card.promises for r in p.trace.ratings if r.date.year > 2021}
    assert roles == {"advocacy"}


# ---------------------------------------------------------------------------
# The administration's account: outside the headline, visible on request
# ---------------------------------------------------------------------------


def test_self_assessment_is_outside_the_headline(rubric: promisescore.Rubric) -> None:
    for day in DOCUMENT_DATES:
        assert "administration" not in promisescore.score(rubric, day).assessors
    april = promisescore.score(rubric, "2021-04-30")
    july = promisescore.score(rubric, "2021-07-27")
    assert july.overall == april.overall
    assert [c.score for c in july.categories] == [c.score for c in april.categories]
    assert promisescore.score(rubric, "2024-06-18").category("family-reunification").score is None


def test_self_assessment_is_visible_with_assessor(rubric: promisescore.Rubric) -> None:
    card = promisescore.score(rubric, "2021-07-27", assessor="administration")
    assert card.promise("end-mpp").rating == "in-the-works"
    assert card.promise("cam-program").rating == "in-the-works"
    assert card.promise("fair-asylum-process").rating == "in-the-works"
    # Finding 10: the fact sheet's eligibility sentence is filed under procedure, not access.
    cited = {e.id for e in card.promise("fair-asylum-process").trace.evidence}
    assert "ev-wh-2021-asylum-rescind" in cited
    assert not card.promise("restore-asylum-access").rated
    data = score_json("--as-of", "2021-07-27", "--assessor", "administration")
    assert data["overall"]["score"] == card.overall.score


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


def test_june_2024_announcement_is_credited_once(rubric: promisescore.Rubric) -> None:
    june = [e for e in rubric.evidence if e.date.isoformat() == "2024-06-18"]
    assert {e.promise for e in june if e.effect == "advances"} == {"protect-from-separation"}
    ten_years = next(e for e in june if e.id == "ev-nakasec-2024-ten-years")
    assert " only " not in f" {ten_years.summary} "  # finding 10: NAKASEC wrote no "only"


# ---------------------------------------------------------------------------
# A real process, and both rubrics' gates
# ---------------------------------------------------------------------------


def test_the_2024_story_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "promisescore", "score", str(IMMIGRATION), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["as_of"] == "2024-06-18"
    assert rated_statuses(data) == STATUSES["2024-06-18"]
    assert data["stale"] == "drop"


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


def test_we_belong_together_credits_the_executive_action_once() -> None:
    """Finding 9: 'Protect families and ensure due process' is not credited with the
    executive action the release never ties to it."""
    card = promisescore.score(promisescore.load(WBT))
    assert card.overall.score == pytest.approx(0.05)
    assert card.overall.grade is None
    assert not card.promise("protect-families-due-process").rated
    data = json.loads(runner.invoke(main, ["score", str(WBT), "--format", "json"]).output)
    assert data["overall"]["grade"] is None
    assert data["overall"]["score"] == card.overall.score
