"""Output of ``verify``: one ``FILE:LINE: CODE message`` line per problem, as ``check``
prints them, then a summary per rubric ("68 quotes verified in 5 archived sources").

The same problems as JSON (``--format json``), GitHub Actions annotations
(``--format github``, through :func:`promisescore.renderers.github.problem_command`) and
JUnit XML (``--format junit``, through :func:`promisescore.renderers.junit.problem_case`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from ..archives import VerifyReport
from ..sanitize import github_line
from ..sanitize import line as _line
from . import RenderOptions
from .github import problem_command
from .junit import close_suite, document, element, problem_case

if TYPE_CHECKING:
    from ..archives.fetch import ArchiveResult


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summaries(report: VerifyReport) -> list[str]:
    many = len(report.verifications) > 1
    lines = []
    for item in report.verifications:
        text = item.summary()
        if many:
            text = f"{item.file}: {text}"
        errors = len(item.errors)
        if errors:
            text = f"{text}; {_plural(errors, 'error')}"
        lines.append(text + ".")
    return lines


def render_text(report: VerifyReport, options: RenderOptions) -> str:
    lines = [p.format() for item in report.verifications for p in item.problems]
    lines += _summaries(report)
    return "\n".join(_line(text) for text in lines) + "\n"


def render_json(report: VerifyReport, options: RenderOptions) -> str:
    files = []
    for item in report.verifications:
        entry: dict[str, Any] = {
            "file": item.file,
            "ok": item.ok,
            "quotes": item.quotes,
            "verified": len(item.verified),
            "sources": item.sources,
            "online": item.online,
            "verified_evidence": sorted(item.verified),
            "problems": [p.to_dict() for p in item.problems],
        }
        files.append(entry)
    data = {
        "schema_version": 1,
        "files": files,
        "errors": sum(len(v.errors) for v in report.verifications),
        "warnings": sum(len(v.problems) - len(v.errors) for v in report.verifications),
        "quotes": sum(v.quotes for v in report.verifications),
        "verified": sum(len(v.verified) for v in report.verifications),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_github(report: VerifyReport, options: RenderOptions) -> str:
    lines = [problem_command(p) for item in report.verifications for p in item.problems]
    lines += [github_line(text) for text in _summaries(report)]
    return "\n".join(lines) + "\n"


def render_junit(report: VerifyReport, options: RenderOptions) -> str:
    """One ``<testsuite>`` per rubric, one ``<testcase>`` per problem (a failure), or one
    passing case naming the summary when there is none."""
    root = ET.Element("testsuites", {"name": "promisescore verify"})
    total = failed = 0
    for item in report.verifications:
        suite = element(root, "testsuite", name=item.file)
        tests = failures = 0
        for problem in item.problems:
            tests += 1
            failures += problem_case(suite, problem, False)
        tests = close_suite(
            suite,
            tests,
            failures,
            "promisescore.verify",
            "quotes",
            f"{item.file}: {item.summary()}",
        )
        total += tests
        failed += failures
    return document(root, total, failed)


def render_archive(result: ArchiveResult, options: RenderOptions) -> str:
    """``archive``'s text: a line per address (``fetched URL -> FILE``, ``failed URL:
    reason``, ``skipped URL: already archived``), then the counts."""
    lines = []
    for item in result.downloads:
        ids = ", ".join(item.evidence)
        if item.outcome == "fetched":
            lines.append(f"fetched {item.url} -> {item.detail} ({ids})")
        else:
            lines.append(f"{item.outcome} {item.url}: {item.detail} ({ids})")
    lines += [f"edited {name}" for name in result.edited]
    tail = f"{result.rubric}: {result.summary()}."
    if result.outside and result.count("fetched"):
        tail += f" {result.folder} is outside the rubric's folder: verify with --archive-root {result.folder}."
    lines.append(tail)
    return "\n".join(_line(text) for text in lines) + "\n"
