"""Output of ``check``: a summary line per file, then ``FILE:LINE: CODE message`` lines.

With gates (``--fail-under`` and friends), each file's gate results follow its problems
as ``FILE: gate NAME passed|failed: message`` lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..loading import CheckResult
from ..sanitize import line as _line
from . import RenderOptions

if TYPE_CHECKING:
    from ..gates import GateResult

#: Gate results by checked file name.
Gates = Mapping[str, Sequence["GateResult"]]


@attrs.frozen
class CheckReport:
    """What ``promisescore check`` reports: the results of the files checked, whether
    warnings fail (``strict``), the gate results by file (``None``: no gates were set)
    and notes printed first (``FILE: included by ...``; in JSON, ``included``)."""

    results: tuple[CheckResult, ...]
    strict: bool = False
    gates: Gates | None = None
    notes: tuple[str, ...] = ()


def summary(result: CheckResult) -> dict[str, Any]:
    """Counts and the date range of a checked rubric (empty when it is invalid)."""
    rubric = result.rubric
    if rubric is None:
        return {}
    dates = sorted(rubric.dates())
    return {
        "promises": len(rubric.promises),
        "categories": len(rubric.categories),
        "evidence": len(rubric.evidence),
        "assessments": len(rubric.assessments),
        "assessors": list(rubric.assessors),
        "first_date": dates[0].isoformat() if dates else None,
        "last_date": dates[-1].isoformat() if dates else None,
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    data = summary(result)
    errors, warnings = len(result.errors), len(result.warnings)
    if not data:
        return (
            f"{result.file}: invalid — {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        )
    assessors = data["assessors"]
    who = f" by {_plural(len(assessors), 'assessor')} ({', '.join(assessors)})" if assessors else ""
    span = f", dated {data['first_date']} to {data['last_date']}" if data["first_date"] else ""
    state = "ok" if not warnings else f"ok with {_plural(warnings, 'warning')}"
    return (
        f"{result.file}: {state} — {_plural(data['promises'], 'promise')}, "
        f"{data['evidence']} evidence, {_plural(data['assessments'], 'assessment')}{who}{span}"
    )


def gate_line(file: str, gate: GateResult) -> str:
    """``FILE: gate NAME passed|failed: message``."""
    state = "passed" if gate.passed else "failed"
    return f"{file}: gate {gate.name} {state}: {gate.message}"


def gate_tail(gates: Gates | None) -> str:
    """``; 1 of 3 gates failed`` (empty when there are no gates)."""
    every = [g for items in (gates or {}).values() for g in items]
    if not every:
        return ""
    failed = sum(1 for g in every if not g.passed)
    if failed:
        return f"; {failed} of {_plural(len(every), 'gate')} failed"
    return f"; {'the gate' if len(every) == 1 else f'all {len(every)} gates'} passed"


def render_text(
    results: Sequence[CheckResult],
    *,
    strict: bool = False,
    gates: Gates | None = None,
    notes: Sequence[str] = (),
) -> str:
    lines: list[str] = list(notes)
    for result in results:
        lines.append(summary_line(result))
        lines += [problem.format() for problem in result.problems]
        lines += [gate_line(result.file, gate) for gate in (gates or {}).get(result.file, ())]
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    files = _plural(len(results), "file")
    tail = gate_tail(gates)
    if errors or warnings:
        found = f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} in {files}"
        if warnings and strict:
            found += " (strict: warnings fail the check)"
        lines.append(found + tail + ".")
    elif any(not g.passed for items in (gates or {}).values() for g in items):
        lines.append(f"No problems in {files}{tail}.")
    else:
        lines.append(f"All checks passed ({files}{tail}).")
    return "\n".join(_line(text) for text in lines) + "\n"


def render_json(
    results: Sequence[CheckResult],
    extra: dict[str, Any] | None = None,
    *,
    gates: Gates | None = None,
) -> str:
    """The ``check --format json`` document; with ``gates``, each file lists its gates."""
    files = []
    for r in results:
        entry: dict[str, Any] = {
            "file": r.file,
            "ok": r.ok,
            "summary": summary(r),
            "problems": [p.to_dict() for p in r.problems],
        }
        if gates is not None:
            entry["gates"] = [g.to_dict() for g in gates.get(r.file, ())]
        files.append(entry)
    data: dict[str, Any] = {
        "schema_version": 1,
        "files": files,
        "errors": sum(len(r.errors) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
    }
    if gates is not None:
        data["gates_failed"] = sum(1 for items in gates.values() for g in items if not g.passed)
    if extra:
        data.update(extra)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_check(report: CheckReport, options: RenderOptions) -> str:
    """``check``'s text (nothing when no file was readable and there are no notes)."""
    if not report.results and not report.notes:
        return ""
    return render_text(report.results, strict=report.strict, gates=report.gates, notes=report.notes)


def render_check_json(report: CheckReport, options: RenderOptions) -> str:
    extra = {"included": list(report.notes)} if report.notes else None
    return render_json(report.results, extra, gates=report.gates)
