"""``check --format junit``: JUnit XML, read by GitLab, Jenkins, Azure Pipelines and others.

One ``<testsuite>`` per checked file; one ``<testcase>`` per problem and per gate.
Errors and failed gates are ``<failure>``s; warnings pass, with the finding in
``<system-out>``, unless ``strict`` makes them failures. A file with no problems and no
gates has one passing test case, so every file shows up. No timestamps or durations:
the same input gives byte-identical XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from ..loading import CheckResult
from ..sanitize import xml_legal
from . import RenderOptions
from .problems import CheckReport, Gates

if TYPE_CHECKING:
    from ..gates import GateResult

#: ``text`` without the characters XML 1.0 forbids (shown as ``\\xNN`` instead).
clean = xml_legal


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrib.items()})
    if text is not None:
        node.text = clean(text)
    return node


def problem_case(suite: ET.Element, problem: Problem, strict: bool) -> bool:
    """One ``<testcase>`` for ``problem`` in ``suite``; True when it is a failure."""
    where = problem.file or "<rubric>"
    if problem.line is not None:
        where += f":{problem.line}"
    name = f"{problem.code} {where}"
    if problem.object_id is not None:
        name += f" {problem.object_kind or 'object'} {problem.object_id}"
    attrib = {"classname": f"promisescore.{problem.severity}", "name": name}
    if problem.file is not None:
        attrib["file"] = problem.file
    if problem.line is not None:
        attrib["line"] = str(problem.line)
    case = _element(suite, "testcase", **attrib)
    message = problem.message + (f" — {problem.hint}" if problem.hint else "")
    if problem.is_error or strict:
        _element(case, "failure", problem.format(), type=problem.code, message=message)
        return True
    _element(case, "system-out", problem.format())
    return False


def _gate_case(suite: ET.Element, file: str, gate: GateResult) -> bool:
    case = _element(
        suite, "testcase", classname="promisescore.gate", name=f"gate {gate.name}", file=file
    )
    if gate.passed:
        _element(case, "system-out", gate.message)
        return False
    _element(case, "failure", gate.message, type=f"gate {gate.gate}", message=gate.message)
    return True


#: A ``<testsuite>``'s child element (for other renderers of problems, e.g. ``verify``).
element = _element


def render(
    results: Sequence[CheckResult],
    *,
    strict: bool = False,
    gates: Gates | None = None,
) -> str:
    """The JUnit XML document for ``check`` results (and their gates)."""
    root = ET.Element("testsuites", {"name": "promisescore check"})
    total = failed = 0
    for result in results:
        suite = _element(root, "testsuite", name=result.file)
        tests = failures = 0
        for problem in result.problems:
            tests += 1
            failures += problem_case(suite, problem, strict)
        for gate in (gates or {}).get(result.file, ()):
            tests += 1
            failures += _gate_case(suite, result.file, gate)
        tests = close_suite(
            suite,
            tests,
            failures,
            "promisescore.check",
            "no problems",
            f"{result.file}: no errors, no warnings",
        )
        total += tests
        failed += failures
    return document(root, total, failed)


def close_suite(
    suite: ET.Element, tests: int, failures: int, classname: str, name: str, summary: str
) -> int:
    """Give ``suite`` its counts; a suite with no case gets one passing case ``name``
    saying ``summary`` (JUnit readers show an empty suite as nothing run). The number
    of tests, that case counted."""
    if tests == 0:
        tests = 1
        case = _element(suite, "testcase", classname=classname, name=name)
        _element(case, "system-out", summary)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return tests


def document(root: ET.Element, total: int, failed: int) -> str:
    """The XML document of ``root`` (``<testsuites>``) with its counts."""
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def render_check(report: CheckReport, options: RenderOptions) -> str:
    return render(report.results, strict=report.strict, gates=report.gates)
