"""JSON: the document of FORMAT.md §5 with the per-promise trace (docs/reference/json.md)."""

from __future__ import annotations

import json

from ..scoring import Scorecard
from . import RenderOptions


def render(card: Scorecard, options: RenderOptions) -> str:
    data = card.to_dict()
    if options.categories:
        data["categories"] = [c for c in data["categories"] if c["id"] in options.categories]
        data["promises"] = [p for p in data["promises"] if p["category"] in options.categories]
    data["warnings"] = [problem.to_dict() for problem in options.warnings]
    if options.history is not None:
        data["history"] = options.history.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
