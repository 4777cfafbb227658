"""Output of ``scales``: the built-in presets and their levels."""

from __future__ import annotations

import json

import attrs
from tabulate import tabulate

from ..scales import PRESET_DESCRIPTIONS, PRESETS
from . import RenderOptions


@attrs.frozen
class ScalePresets:
    """The built-in scale presets, as ``promisescore scales`` lists them."""


def render_text() -> str:
    blocks = []
    for name, levels in PRESETS.items():
        head = f"{name}: {PRESET_DESCRIPTIONS[name]}"
        if not levels:
            blocks.append(head + "\n  (no levels: assessments give `value` in [0, 1])")
            continue
        rows = [
            [
                rank,
                level.id,
                level.label,
                "unrated" if level.unrated else f"{level.value:g}",
                "final" if level.final else "",
            ]
            for rank, level in enumerate(levels)
        ]
        table = tabulate(
            rows, headers=["Rank", "Level", "Label", "Value", "Final"], disable_numparse=True
        )
        blocks.append(head + "\n" + "\n".join("  " + line for line in table.splitlines()))
    return "\n\n".join(blocks) + "\n"


def render_json() -> str:
    data = {
        name: {
            "description": PRESET_DESCRIPTIONS[name],
            "levels": [
                {"id": lv.id, "label": lv.label, "value": lv.value, "final": lv.final, "rank": i}
                for i, lv in enumerate(levels)
            ],
        }
        for name, levels in PRESETS.items()
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_scales(presets: ScalePresets, options: RenderOptions) -> str:
    return render_text()


def render_scales_json(presets: ScalePresets, options: RenderOptions) -> str:
    return render_json()
