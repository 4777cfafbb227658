"""CSV: one row per promise with stable columns (docs/reference/csv.md), for spreadsheets."""

from __future__ import annotations

import csv
import io

from ..sanitize import csv_cell
from ..scoring import Scorecard
from . import RenderOptions
from .common import level_label, selected_promises

COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "category",
    "category_title",
    "weight",
    "kind",
    "rating",
    "rating_label",
    "fulfillment",
    "rated",
    "overdue",
    "late",
    "deadline",
    "authority",
    "latest_evidence",
    "evidence",
    "as_of",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    # Keep spreadsheets from running user text as a formula (CSV injection).
    return csv_cell(str(value))


def render(card: Scorecard, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    titles = {c.id: c.title for c in card.categories}
    for item in selected_promises(card, options):
        writer.writerow(
            [
                _cell(item.id),
                _cell(item.title),
                _cell(item.category),
                _cell(titles.get(item.category, item.category)),
                _cell(item.weight),
                _cell(item.kind),
                _cell(item.rating),
                _cell(level_label(card, item.rating) or None),
                _cell(item.fulfillment),
                _cell(item.rated),
                _cell(item.overdue),
                _cell(item.late),
                _cell(item.deadline.isoformat() if item.deadline else None),
                _cell(item.authority),
                _cell(item.latest_evidence.isoformat() if item.latest_evidence else None),
                _cell(len(item.trace.evidence)),
                _cell(card.as_of.isoformat()),
            ]
        )
    return out.getvalue()
