"""Output of ``check``: a summary line per file, then ``FILE:LINE: CODE message`` lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..loading import CheckResult


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


def render_text(results: Sequence[CheckResult], *, strict: bool = False) -> str:
    lines: list[str] = []
    for result in results:
        lines.append(summary_line(result))
        lines += [problem.format() for problem in result.problems]
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    files = _plural(len(results), "file")
    if errors or warnings:
        tail = f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} in {files}"
        if warnings and strict:
            tail += " (--strict: warnings fail the check)"
        lines.append(tail + ".")
    else:
        lines.append(f"All checks passed ({files}).")
    return "\n".join(lines) + "\n"


def render_json(results: Sequence[CheckResult], extra: dict[str, Any] | None = None) -> str:
    data: dict[str, Any] = {
        "schema_version": 1,
        "files": [
            {
                "file": r.file,
                "ok": r.ok,
                "summary": summary(r),
                "problems": [p.to_dict() for p in r.problems],
            }
            for r in results
        ],
        "errors": sum(len(r.errors) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
    }
    if extra:
        data.update(extra)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
