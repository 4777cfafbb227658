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
#: Columns a format 1.1 scorecard adds at the end (FORMAT.md §7.3, §7.6).
COLUMNS_11: tuple[str, ...] = ("status", "status_label", "stale", "assessors")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    # Keep spreadsheets from running user text as a formula (CSV injection).
    return csv_cell(str(value))


def _assessed(value: object) -> str:
    """A level id, a value, or for criteria ``criterion=level, ...``."""
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items()
        )
    return f"{value:g}" if isinstance(value, float) else str(value)


def render(card: Scorecard, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    extended = card.format != "1"
    writer.writerow(COLUMNS + COLUMNS_11 if extended else COLUMNS)
    titles = {c.id: c.title for c in card.categories}
    for item in selected_promises(card, options):
        row = [
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
        if extended:
            row += [
                _cell(item.status),
                _cell(level_label(card, item.status) or None),
                _cell(item.stale),
                _cell(
                    "; ".join(
                        f"{card.assessor_name(by)}: {_assessed(value)}"
                        for by, value in item.assessors.items()
                    )
                    or None
                ),
            ]
        writer.writerow(row)
    return out.getvalue()
