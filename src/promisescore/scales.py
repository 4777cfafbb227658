"""The built-in rating scales (FORMAT.md §2, ``[scale]``).

Each preset corresponds to a published rating practice; ``docs/methodology.md`` cites
their definitions. The levels themselves (``PRESETS``, ``preset_levels``) are defined in
:mod:`promisescore.model`, which resolves ``Scale("politifact")`` without importing this
module (no import cycle), and are re-exported here with their descriptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import parts

if TYPE_CHECKING:
    from .model import Level


#: The built-in scales: preset name → levels, least fulfilled first (defined in the model).
PRESETS: dict[str, tuple[Level, ...]] = parts.PRESETS

PRESET_DESCRIPTIONS: dict[str, str] = {
    "politifact": "PolitiFact promise meters (kept / compromise / broken / stalled / in the works)",
    "polimetre": "Université Laval's Polimètre (kept / kept in part or in the works / broken)",
    "cppg": "Comparative Party Pledges Group coding (fully / partially / not fulfilled)",
    "percent": "no levels: each assessment gives a value in [0, 1]",
}
