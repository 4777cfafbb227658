"""CSV: one row per promise with stable columns (docs/reference/csv.md), for spreadsheets."""

from __future__ import annotations

from collections.abc import Iterator

from ..csvtext import Cell, csv_table
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
#: Columns a format 1.2 scorecard adds after those (FORMAT.md §8.8, §8.2, §8.3).
COLUMNS_12: tuple[str, ...] = ("status_since", "stale_assessors", "progress")


def _assessed(value: object) -> str:
    """A level id, a value, or for criteria ``criterion=level, ...``."""
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items()
        )
    return f"{value:g}" if isinstance(value, float) else str(value)


def render(card: Scorecard, options: RenderOptions) -> str:
    extended = card.format != "1"
    columns = COLUMNS + COLUMNS_11 if extended else COLUMNS
    if card.format == "1.2":
        columns += COLUMNS_12
    return csv_table(columns, _rows(card, options))


def _rows(card: Scorecard, options: RenderOptions) -> Iterator[list[Cell]]:
    extended = card.format != "1"
    titles = {c.id: c.title for c in card.categories}
    for item in selected_promises(card, options):
        row: list[Cell] = [
            item.id,
            item.title,
            item.category,
            titles.get(item.category, item.category),
            item.weight,
            item.kind,
            item.rating,
            level_label(card, item.rating) or None,
            item.fulfillment,
            item.rated,
            item.overdue,
            item.late,
            item.deadline,
            item.authority,
            item.latest_evidence,
            len(item.trace.evidence),
            card.as_of,
        ]
        if extended:
            assessors = "; ".join(
                f"{card.assessor_name(by)}: {_assessed(value)}"
                for by, value in item.assessors.items()
            )
            row += [
                item.status,
                level_label(card, item.status) or None,
                item.stale,
                assessors or None,
            ]
        if card.format == "1.2":
            row += [item.status_since, "; ".join(item.stale_assessors) or None, item.progress]
        yield row
