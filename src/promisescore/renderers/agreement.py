"""Agreement output: text and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sanitize import terminal
from . import RenderOptions, formats
from . import render as _render
from .common import json_document, pct

if TYPE_CHECKING:
    from ..analysis.agreements import Agreement, Rating

FORMATS: tuple[str, ...] = formats("agreement")

_DATA = {
    "nominal": "level ids",
    "ordinal": "level ranks",
    "interval": "level values",
}


def stat(value: float | None) -> str:
    """A statistic to 3 decimals; ``n/a`` when undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def _rating(agreement: Agreement, item: Rating | None) -> str:
    if item is None:
        return "—"
    if item.rating is None:
        return pct(item.value, 0)
    return dict(agreement.labels).get(item.rating, item.rating)


def text(agreement: Agreement, options: RenderOptions) -> str:
    from tabulate import tabulate

    name = agreement.name_of
    names = ", ".join(name(a) for a in agreement.assessors) or "none"
    lines = [
        agreement.title,
        f"Agreement between assessors as of {agreement.as_of}: {names}",
    ]
    if agreement.no_promises:
        lines.append("Nothing to compare: no promises yet.")
    if agreement.window is None:
        lines.append(
            f"{len(agreement.units)} units (promises and criteria) rated by two or more "
            f"assessors, {agreement.values} ratings"
        )
    else:
        lines.append(
            f"Ratings compared within windows of {agreement.window}: {len(agreement.units)} "
            f"units rated by two or more assessors ({agreement.values} ratings), "
            f"{agreement.unpaired} unpaired"
        )
    lines += [
        "",
        "Krippendorff's alpha (1 = perfect agreement, 0 = as by chance, < 0 = systematic "
        "disagreement)",
    ]
    rows = [[f"  {metric} ({_DATA[metric]})", stat(value)] for metric, value in agreement.alpha]
    lines.append(
        tabulate(rows, tablefmt="plain", colalign=("left", "right"), disable_numparse=True)
    )
    lines += ["", "Pairs (over the units both rated)"]
    if agreement.pairs:
        rows = [
            [
                name(p.a),
                name(p.b),
                str(p.units),
                pct(p.percent_agreement, 0),
                stat(p.kappa),
                stat(p.kappa_quadratic),
            ]
            for p in agreement.pairs
        ]
        lines.append(
            tabulate(
                rows,
                headers=["A", "B", "Units", "Agreement", "Kappa", "Kappa (quadratic)"],
                colalign=("left", "left", "right", "right", "right", "right"),
                disable_numparse=True,
            )
        )
    else:
        lines.append("  none: fewer than two assessors rated anything")
    lines += ["", "Widest disagreements"]
    if agreement.disagreements:
        headers = ["Unit", "Spread", *(name(a) for a in agreement.assessors)]
        rows = []
        for item in agreement.disagreements:
            unit = item.unit
            spread = (
                f"{item.spread:g} level{'s' if item.spread != 1 else ''}"
                if agreement.scale == "levels"
                else pct(item.spread, 0)
            )
            rows.append(
                [
                    unit.id,
                    spread,
                    *(_rating(agreement, unit.rating_by(a)) for a in agreement.assessors),
                ]
            )
        lines.append(tabulate(rows, headers=headers, disable_numparse=True))
    elif agreement.units:
        lines.append("  none: every unit rated by two or more assessors got the same rating")
    else:
        lines.append("  none: no unit was rated by two or more assessors")
    return "\n".join(lines) + "\n"


def render_text(agreement: Agreement, options: RenderOptions) -> str:
    return terminal(text(agreement, options))


def render_json(agreement: Agreement, options: RenderOptions) -> str:
    return json_document(agreement.to_dict())


def render(agreement: Agreement, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render agreement statistics as ``text`` or ``json`` (the registry's
    :func:`promisescore.renderers.render`)."""
    return _render(agreement, format, options)
