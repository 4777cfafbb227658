"""``check --format github``: GitHub Actions workflow commands, and the job summary.

Each problem becomes an ``::error`` or ``::warning`` command with the file and line, so
GitHub annotates the changed lines of a pull request; each failed gate an ``::error``
on the rubric file. Values are escaped as the Actions runner expects (``%``, CR and LF in
messages; also ``:`` and ``,`` in properties). A plain summary follows, for the log.

:func:`step_summary` is the Markdown appended to ``$GITHUB_STEP_SUMMARY``: the report
card of a valid rubric and a table of its gates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from ..loading import CheckResult
from ..sanitize import github_data, github_line, github_property
from . import RenderOptions
from .problems import CheckReport, Gates, gate_line, gate_tail, summary_line

if TYPE_CHECKING:
    from ..gates import GateResult


#: Escape a workflow command's message (``%``, CR, LF; other controls made visible).
escape_data = github_data
#: Escape a workflow command property value (also ``:`` and ``,``).
escape_property = github_property


def command(
    kind: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    title: str | None = None,
) -> str:
    """``::KIND file=F,line=L,title=T::message``, properties left out when ``None``."""
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
        if line is not None:
            props.append(f"line={line}")
    if title is not None:
        props.append(f"title={escape_property(title)}")
    head = f"::{kind}"
    if props:
        head += " " + ",".join(props)
    return f"{head}::{escape_data(message)}"


def problem_command(problem: Problem, *, strict: bool = False) -> str:
    """An annotation for one problem; warnings are errors under ``strict``."""
    kind = "error" if problem.is_error or strict else "warning"
    message = problem.message + (f" — {problem.hint}" if problem.hint else "")
    return command(kind, message, file=problem.file, line=problem.line, title=problem.code)


def gate_command(file: str, gate: GateResult) -> str:
    return command("error", gate.message, file=file, title=f"promisescore gate {gate.name}")


def render(
    results: Sequence[CheckResult],
    *,
    strict: bool = False,
    gates: Gates | None = None,
    notes: Sequence[str] = (),
) -> str:
    """Annotations for every problem and failed gate, then a plain summary."""
    lines: list[str] = []
    for result in results:
        lines += [problem_command(p, strict=strict) for p in result.problems]
        lines += [
            gate_command(result.file, g) for g in (gates or {}).get(result.file, ()) if not g.passed
        ]
    plain = list(notes)
    for result in results:
        plain.append(summary_line(result))
        plain += [gate_line(result.file, g) for g in (gates or {}).get(result.file, ())]
    lines += [github_line(text) for text in plain]
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    lines.append(
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning"
        f"{'s' if warnings != 1 else ''} in {len(results)} file"
        f"{'s' if len(results) != 1 else ''}{gate_tail(gates)}."
    )
    return "\n".join(lines) + "\n"


def step_summary(file: str, card_markdown: str, gates: Sequence[GateResult] = ()) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the report card, then the gates."""
    from .markdown import escape

    lines = [
        card_markdown.rstrip("\n"),
        "",
        f"<sub>Checked {escape(file)} with promisescore.</sub>",
    ]
    if gates:
        lines += ["", "#### Gates", "", "| Gate | Result | Details |", "|:---|:---:|:---|"]
        for gate in gates:
            state = "✅ passed" if gate.passed else "❌ **failed**"
            lines.append(f"| `{gate.name}` | {state} | {escape(gate.message)} |")
    return "\n".join(lines) + "\n\n"


def render_check(report: CheckReport, options: RenderOptions) -> str:
    return render(report.results, strict=report.strict, gates=report.gates, notes=report.notes)
