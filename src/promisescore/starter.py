"""The commented starter rubric written by ``promisescore init``.

It is a small, complete example: it passes ``promisescore check`` with no errors and
no warnings, on every built-in scale, and each key is explained where it first appears.
The dates are fixed (never the clock), so ``init`` always writes the same file.
"""

from __future__ import annotations

#: Per scale: a rating "in progress", a rating "fully kept", and how the scale is
#: explained in the starter's comments.
_RATINGS: dict[str, tuple[str, str, str]] = {
    "politifact": (
        'rating = "in-the-works"',
        'rating = "kept"',
        "PolitiFact's meter: not-yet-rated, broken, stalled, in-the-works, compromise, kept",
    ),
    "polimetre": (
        'rating = "in-the-works"',
        'rating = "kept"',
        "the Polimètre's: not-yet-rated, broken, in-the-works (kept in part), kept",
    ),
    "cppg": (
        'rating = "partially-fulfilled"',
        'rating = "fully-fulfilled"',
        "pledge research coding: not-fulfilled, partially-fulfilled, fully-fulfilled",
    ),
    "percent": (
        "value = 0.5",
        "value = 1.0",
        "no levels: each assessment gives `value`, a fulfillment in [0, 1]",
    ),
}

SCALES: tuple[str, ...] = tuple(_RATINGS)

_TEMPLATE = """\
# A promisescore rubric: promises, dated evidence with sources, and assessors' ratings.
#
#   promisescore check {path}     validate it (errors and warnings, with line numbers)
#   promisescore report {path}    print the report card
#
# Every key is explained below where it first appears. `promisescore schema` prints a
# JSON Schema your editor can use to complete and check keys as you type.

{format_line}

# Large trackers can split evidence and assessments into more files:
# include = ["evidence/*.toml", "assessments/*.toml"]

[report]
title = "Campaign promises of the Example Party"
subject = "The Example Party"
start = 2025-01-20          # start of the term; relative deadlines count from here
end = 2029-01-20            # optional: end of the term
# as_of = 2025-12-31        # optional: score "as of" this date (default: the latest item)

[scale]
# {scale_note}.
# Other presets: politifact, polimetre, cppg, percent (`promisescore scales`), or your
# own levels = [{{ id = "...", label = "...", value = 0.5, final = false }}, ...].
preset = "{scale}"

# [grading]                 # optional; these are the defaults
# bands = [{{ grade = "A", min = 0.9 }}, {{ grade = "B", min = 0.8 }}, {{ grade = "C", min = 0.7 }},
#          {{ grade = "D", min = 0.6 }}, {{ grade = "F", min = 0.0 }}]
# unrated = "exclude"       # or "zero": unrated promises count as 0
# consensus = "median"      # several assessors: median, min or max
{grading_11}
{assessors_11}# --- categories ---------------------------------------------------------------------

[[categories]]
id = "economy"              # ids: lowercase letters, digits, '.', '_' and '-'
title = "Economy"

[[categories]]
id = "health"
title = "Health"

# --- promises -----------------------------------------------------------------------

[[promises]]
id = "minimum-wage"
title = "Raise the minimum wage to $15"
text = "We will raise the federal minimum wage to $15 an hour."   # the maker's words
category = "economy"
weight = 2                  # how much it counts (default 1)
made_by = "The Example Party"
made_on = 2024-09-01
deadline = "P1Y"            # a date, a duration from report.start, or "end-of-term"
authority = "legislature"   # who can deliver: executive, legislature, courts, shared
tags = ["wages"]

[[promises]]
id = "clinic-hours"
title = "Open community clinics on weekends"
category = "health"
deadline = 2026-01-01
authority = "executive"

# --- two more kinds of promise: to use them, remove the first "# " of each line ---
# EXAMPLES START
## A promise with a numeric goal is scored from the latest evidence `value`, from
## baseline to target (2,150 of 10,000 homes = 21.5%); it is never assessed.
# [[promises]]
# id = "new-homes"
# title = "Build 10,000 new homes"
# category = "economy"
# target = {{ metric = "homes completed", baseline = 0, target = 10000, unit = "homes" }}
#
# [[evidence]]
# id = "homes-2025"
# promise = "new-homes"
# date = 2025-12-31
# summary = "2,150 homes were completed in 2025."
# source = {{ title = "Housing statistics 2025", publisher = "Statistics Office", kind = "record" }}
# value = 2150
#
## A promise in weighted parts is assessed part by part, each with `criterion`.
# [[promises]]
# id = "care-network"
# title = "Hire 500 nurses and open 10 clinics"
# category = "health"
# criteria = [
#   {{ id = "nurses", title = "Hire 500 nurses", weight = 2 }},
#   {{ id = "clinics", title = "Open 10 clinics" }},
# ]
#
# [[evidence]]
# id = "nurses-hired"
# promise = "care-network"
# criterion = "nurses"
# date = 2025-09-01
# summary = "The health department hired 210 nurses."
# source = {{ title = "Health department staffing report", kind = "record" }}
#
# [[assessments]]
# promise = "care-network"
# criterion = "nurses"
# by = "editors"
# date = 2025-09-02
# {in_progress}
# evidence = ["nurses-hired"]
# EXAMPLES END

# --- evidence: dated facts, each with a source ------------------------------------
# source kind: record (law, order, budget, official data), report (independent
# journalism or research), claim (the promise maker's own word), advocacy.

[[evidence]]
id = "wage-bill-introduced"
promise = "minimum-wage"
date = 2025-03-04
summary = "A bill raising the minimum wage to $15 was introduced."
source = {{ title = "H.R. 100, Raise the Wage Act", url = "https://example.org/hr100", kind = "record" }}

[[evidence]]
id = "clinics-open"
promise = "clinic-hours"
date = 2025-06-01
summary = "All community clinics now open on Saturdays and Sundays."
source = {{ title = "Clinic opening hours", publisher = "Health Department", date = 2025-06-01, kind = "record" }}
quote = "Every community clinic is open on weekends from June 1."

# --- assessments: an assessor's rating on a date, citing evidence -------------------

[[assessments]]
promise = "minimum-wage"
by = "editors"              # the assessor{by_note}
date = 2025-03-10
{in_progress}
evidence = ["wage-bill-introduced"]
note = "Introduced, not yet passed."

[[assessments]]
promise = "clinic-hours"
by = "editors"
date = 2025-06-02{effective_11}
{kept}
evidence = ["clinics-open"]
"""


_FORMAT_11 = {
    "format_line": '# Format "1.1" says who is speaking, when a standing began and how fresh a\n'
    "# rating is (assessors with roles, effective dates, stale ratings, optional grades).\n"
    'format = "1.1"',
    "grading_11": """\
# consensus_roles = ["independent", "advocacy"]   # whose ratings count in the headline
# stale_after = "P1Y"       # flag ratings older than this as stale
# bands = []                # instead of the bands above: no grades, the percentage only
""",
    "assessors_11": """\
# --- assessors: who rates, shown by name; the role decides who counts ---------------
# role: self (the promise maker rating its own record), independent (fact-checker,
# newsroom, auditor, researcher) or advocacy (an interest group). By default only
# independent and advocacy ratings count in the headline; `--assessor ID` shows anyone's.

[[assessors]]
id = "editors"
name = "The Example Tribune editors"
role = "independent"
url = "https://example.org/tracker"

""",
    "by_note": ": an id from [[assessors]]",
    "effective_11": """
effective = 2025-06-01      # optional: the day the rated standing began (default: date)""",
}
_FORMAT_12 = {
    "format_line": '# Format "1.2" says who is speaking and only what an assessor said: the desk\'s\n'
    "# verdict is the headline, every figure says what it counts (assessors with roles,\n"
    "# effective dates, per-rating staleness, grades only when asked for).\n"
    'format = "1.2"',
    "grading_11": """\
# consensus_roles = ["desk"]  # whose ratings count in the headline (default with a desk)
# stale_after = "P1Y"       # flag open ratings older than this as stale
# stale = "flag"            # or "drop": stale ratings leave the consensus
# (format 1.2 gives grades only when `bands` is written)
""",
    "assessors_11": """\
# --- assessors: who rates, shown by name; the role decides who counts ---------------
# role: desk (the tracker's own editors: their rating is the verdict of record),
# reviewer (an internal second read, never published), self (the promise maker rating
# its own record), independent (fact-checker, auditor, researcher) or advocacy (an
# interest group). With a desk, the desk's verdict is the headline and the others are
# shown beside it. `promisescore add assessment` without --by rates as the desk.

[[assessors]]
id = "editors"
name = "The Example Tribune editors"
role = "desk"
url = "https://example.org/tracker"

""",
    "by_note": ": an id from [[assessors]]",
    "effective_11": """
effective = 2025-06-01      # optional: the day the rated standing began (default: date)
author = "A. Reporter"      # optional: who wrote the update
headline = "Clinics now open every weekend"   # optional: the update's headline
url = "https://example.org/tracker/clinic-hours"  # optional: where to read the update""",
}
_FORMAT_1 = {
    "format_line": "format = 1",
    "grading_11": "",
    "assessors_11": "",
    "by_note": ' (default "default")',
    "effective_11": "",
}

#: The format versions ``init`` can write.
FORMAT_VERSIONS: tuple[str, ...] = ("1.2", "1.1", "1")

#: The format ``init`` writes unless told otherwise.
DEFAULT_FORMAT = "1.2"


def starter_sheets(scale: str = "politifact", format_version: str = "1.2") -> dict[str, str]:
    """Spreadsheet templates of the starter rubric: file name → text (the CSV files and
    ``settings.toml`` that ``promisescore import --from DIR`` reads)."""
    from .loading import loads
    from .spreadsheets import SETTINGS_NAME, export_tables, settings_text

    rubric = loads(
        _uncommented(starter_rubric(scale, format_version=format_version)), name="starter"
    )
    return {**export_tables(rubric), SETTINGS_NAME: settings_text(rubric)}


def _uncommented(text: str) -> str:
    """The starter with its commented examples (between the markers) switched on, as a
    user would: the first ``# `` of each line removed."""
    out: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        if line.startswith("# EXAMPLES START"):
            inside = True
        elif line.startswith("# EXAMPLES END"):
            inside = False
        elif inside:
            out.append(line[2:] if line.startswith("# ") else line[1:])
            continue
        out.append(line)
    return "".join(out)


def starter_rubric(
    scale: str = "politifact", path: str = "rubric.toml", format_version: str = "1.2"
) -> str:
    """The text of a commented starter rubric on a built-in ``scale``, in format
    ``"1.2"`` (the default, with a ``desk`` assessor), ``"1.1"`` or ``"1"``."""
    if scale not in _RATINGS:
        raise ValueError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    if format_version not in FORMAT_VERSIONS:
        raise ValueError(
            f"unknown format {format_version!r}; choose from {', '.join(FORMAT_VERSIONS)}"
        )
    in_progress, kept, note = _RATINGS[scale]
    parts = {"1.2": _FORMAT_12, "1.1": _FORMAT_11}.get(format_version, _FORMAT_1)
    return _TEMPLATE.format(
        scale=scale, scale_note=note, in_progress=in_progress, kept=kept, path=path, **parts
    )
