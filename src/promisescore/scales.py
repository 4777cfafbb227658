"""The built-in rating scales (FORMAT.md §2, ``[scale]``).

Each preset corresponds to a published rating practice; ``docs/methodology.md`` cites
their definitions.
"""

from __future__ import annotations

from .model import Level

#: The built-in scales: preset name → levels, least fulfilled first.
PRESETS: dict[str, tuple[Level, ...]] = {
    # PolitiFact's promise meters (Obameter, Trump-O-Meter, Biden Promise Tracker).
    "politifact": (
        Level("not-yet-rated", "Not Yet Rated", None),
        Level("broken", "Promise Broken", 0.0, final=True),
        Level("stalled", "Stalled", 0.0),
        Level("in-the-works", "In the Works", 0.25),
        Level("compromise", "Compromise", 0.5, final=True),
        Level("kept", "Promise Kept", 1.0, final=True),
    ),
    # Université Laval's Polimètre.
    "polimetre": (
        Level("not-yet-rated", "Not yet rated", None),
        Level("broken", "Broken", 0.0, final=True),
        Level("in-the-works", "Kept in part or in the works", 0.5),
        Level("kept", "Kept", 1.0, final=True),
    ),
    # The Comparative Party Pledges Group's coding of election pledges.
    "cppg": (
        Level("not-fulfilled", "Not fulfilled", 0.0, final=True),
        Level("partially-fulfilled", "Partially fulfilled", 0.5, final=True),
        Level("fully-fulfilled", "Fully fulfilled", 1.0, final=True),
    ),
    # No levels: assessments give a value in [0, 1] directly.
    "percent": (),
}

PRESET_DESCRIPTIONS: dict[str, str] = {
    "politifact": "PolitiFact promise meters (kept / compromise / broken / stalled / in the works)",
    "polimetre": "Université Laval's Polimètre (kept / kept in part or in the works / broken)",
    "cppg": "Comparative Party Pledges Group coding (fully / partially / not fulfilled)",
    "percent": "no levels: each assessment gives a value in [0, 1]",
}


def preset_levels(name: str | None) -> tuple[Level, ...]:
    """The levels of preset ``name`` (empty for an unknown name or ``None``)."""
    if name is None:
        return ()
    return PRESETS.get(name, ())
