"""Sensitivity output: text and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sanitize import terminal
from . import RenderOptions, formats
from . import render as _render
from .common import json_document, pct

if TYPE_CHECKING:
    from ..analysis.sensitivities import Sensitivity

FORMATS: tuple[str, ...] = formats("sensitivity")


def describe(result: Sensitivity, name: str) -> str:
    """What a perturbation does, in words."""
    s, t = result.weight_spread, result.value_spread
    weights = f"weights ×{1 - s:g}–×{1 + s:g}"
    values = (
        "level values between neighbours"
        if t == 1
        else f"level values {100 * t:g}% of the way to neighbours"
    )
    return {"weights": weights, "values": values, "both": f"{weights} and {values}"}[name]


def text(result: Sensitivity, options: RenderOptions) -> str:
    from tabulate import tabulate

    who = f"assessor {result.assessor}" if result.assessor else "consensus"
    declared, equal = result.declared, result.equal_weights
    change = ""
    if declared.score is not None and equal.score is not None:
        change = f"({100 * (equal.score - declared.score):+.1f} pts)"
    graded = result.graded
    head = [
        ["Declared weights", pct(declared.score), declared.grade or "—", ""],
        ["Equal weights", pct(equal.score), equal.grade or "—", change],
    ]
    if not graded:  # `bands = []`: no grade column (FORMAT.md §7.5)
        head = [[row[0], row[1], row[3]] for row in head]
    lines = [
        result.title,
        f"Sensitivity as of {result.as_of} · {who} · {result.samples} samples, seed {result.seed}",
        "",
        tabulate(
            head,
            tablefmt="plain",
            colalign=("left", "right", "left", "left")[: len(head[0])],
            disable_numparse=True,
        ),
        "",
    ]
    rows = []
    for item in result.perturbations:
        span = "—" if item.min is None else f"{pct(item.min)}–{pct(item.max)}"
        grades = ", ".join(f"{grade} {count}" for grade, count in item.grades)
        row = [describe(result, item.name), pct(item.low), pct(item.median), pct(item.high), span]
        rows.append([*row, pct(item.grade_change), grades] if graded else row)
    headers = ["Perturbation", "5th", "Median", "95th", "Min–max", "Grade changes", "Grades"]
    align = ("left", "right", "right", "right", "right", "right", "left")
    width = len(headers) if graded else 5
    lines.append(
        tabulate(
            rows,
            headers=headers[:width],
            colalign=align[:width],
            disable_numparse=True,
        )
    )
    lines += [
        "",
        "Percentiles interpolate linearly between closest ranks (Hyndman & Fan type 7).",
    ]
    return "\n".join(lines) + "\n"


def render_text(result: Sensitivity, options: RenderOptions) -> str:
    return terminal(text(result, options))


def render_json(result: Sensitivity, options: RenderOptions) -> str:
    return json_document(result.to_dict())


def render(result: Sensitivity, format: str = "text", options: RenderOptions | None = None) -> str:
    """Render a sensitivity analysis as ``text`` or ``json`` (the registry's
    :func:`promisescore.renderers.render`)."""
    return _render(result, format, options)
