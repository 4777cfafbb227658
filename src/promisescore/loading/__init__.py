"""Loading rubric files: ``load``, ``loads`` and ``check``.

files (TOML/JSON, includes) → raw tables → model objects → a validated :class:`Rubric`.
Every problem found on the way is reported at once, located by file and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._gc import paused_gc
from ..errors import Problem, RubricError
from ..model import Rubric
from ..model.rubric import relation_problems, trusted
from ..progress import Progress
from ..validate import warning_problems
from .files import SourceFile, read_tree, syntax_of
from .structure import _BAD, Origins
from .structure import structure as _structure

__all__ = ["CheckResult", "assemble", "check", "check_result", "check_text", "load", "loads"]


@attrs.frozen
class CheckResult:
    """What ``check`` found: the rubric (``None`` when invalid) and every problem."""

    file: str
    rubric: Rubric | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (problem.file or "", problem.line or 0, problem.code)


def _assemble(
    files: list[SourceFile], problems: list[Problem], progress: Progress | None = None
) -> tuple[Rubric | None, list[Problem]]:
    if not files:
        return None, problems
    parts, builder, origins = _structure(files, progress)
    problems = [
        p
        if p.line is not None or p.file is None or not p.path
        else p.located(p.file, origins.line(p.file, p.path))
        for p in (*problems, *builder.problems)
    ]
    report, scale, grading = parts["report"], parts["scale"], parts["grading"]
    rubric: Rubric | None = None
    if report not in (None, _BAD) and scale not in (None, _BAD) and grading is not _BAD:
        with trusted():
            candidate = Rubric(
                report=report,
                scale=scale,
                grading=grading,
                categories=parts["categories"],
                promises=parts["promises"],
                evidence=parts["evidence"],
                assessments=parts["assessments"],
                meta=parts["meta"],
                format=parts["format"],
                declared_assessors=parts["assessors"],
                origin=origins,
            )
        relations = relation_problems(candidate, builder.dropped)
        problems += [origins.locate(p) for p in relations]
        if not any(p.is_error for p in problems):
            if not candidate.promises:
                problems.append(
                    Problem(
                        "E102",
                        "the rubric has no promises",
                        hint="add at least one [[promises]] table",
                        file=origins.root,
                    )
                )
            else:
                rubric = candidate
    problems.sort(key=_sort_key)
    return rubric, problems


def assemble(
    files: Sequence[SourceFile],
    problems: Iterable[Problem] = (),
    progress: Progress | None = None,
) -> tuple[Rubric | None, list[Problem]]:
    """Build and validate a rubric from already parsed files (the root file first).

    This is the loader's second half, for producers of raw tables other than files on
    disk (``promisescore.csvio`` turns spreadsheet rows into
    ``promisescore.loading.files.SourceFile`` objects):
    each file's tables are checked and converted as if read from a rubric file, the
    relations between objects are checked, and every problem is located by file and
    line (through ``SourceFile.text`` when given). ``problems`` are earlier problems to
    keep. Returns the rubric (``None`` when any error was found) and every problem,
    sorted by file and line.
    """
    return _assemble(list(files), list(problems), progress)


def _read(
    path: str | os.PathLike[str], progress: Progress | None = None
) -> tuple[list[SourceFile], list[Problem]]:
    from .typed import parse

    target = Path(path)
    return read_tree(target, str, progress, parse=parse)


def load(path: str | os.PathLike[str], *, progress: Progress | None = None) -> Rubric:
    """Load and validate a rubric file (``.toml`` or ``.json``) and everything it includes.

    Raises :class:`~promisescore.errors.RubricError` listing every problem when the rubric
    is invalid, and :class:`~promisescore.errors.InputFileError` when ``path`` itself cannot
    be read. ``progress`` is called as the work goes (see :mod:`promisescore.progress`).
    """
    with paused_gc():
        files, problems = _read(path, progress)
        rubric, problems = _assemble(files, problems, progress)
    if rubric is None:
        raise RubricError(problems)
    return rubric


def loads(text: str, format: str = "toml", *, name: str = "<string>") -> Rubric:
    """Load a rubric from a string of TOML (``format="toml"``) or JSON (``"json"``).

    ``include`` is not available here (there is no directory to resolve it against).
    """
    rubric, problems = _assemble_text(text, format, name)
    if rubric is None:
        raise RubricError(problems)
    return rubric


def _assemble_text(text: str, syntax: str, name: str) -> tuple[Rubric | None, list[Problem]]:
    if syntax not in ("toml", "json"):
        raise ValueError(f"format must be 'toml' or 'json', not {syntax!r}")
    from .typed import parse

    data, problems = parse(text, syntax, name, False)
    if data is None:
        return None, problems
    if "include" in data:
        problems.append(
            Problem(
                "E005",
                "include is not available when loading from a string",
                hint="use promisescore.load(path) for rubrics split across files",
                file=name,
                path=("include",),
            )
        )
        data = {k: v for k, v in data.items() if k != "include"}
    return _assemble([SourceFile(name, None, syntax, data, False, text=text)], problems)


def lint(rubric: Rubric) -> list[Problem]:
    """The warnings of FORMAT.md §3, located by file and line when the rubric was loaded."""
    found = warning_problems(rubric)
    origin: Any = rubric.origin
    if isinstance(origin, Origins):
        found = [origin.locate(p) for p in found]
        found.sort(key=_sort_key)
    return found


def check(path: str | os.PathLike[str], *, progress: Progress | None = None) -> CheckResult:
    """Load ``path`` and report every error and warning, without raising on bad data."""
    with paused_gc():
        files, problems = _read(path, progress)
        rubric, problems = _assemble(files, problems, progress)
        name = files[0].name if files else str(path)
        return _result(name, rubric, problems)


def check_text(text: str, format: str = "toml", *, name: str = "<string>") -> CheckResult:
    """Like :func:`check` for a string of TOML or JSON."""
    rubric, problems = _assemble_text(text, format, name)
    return _result(name, rubric, problems)


def _result(name: str, rubric: Rubric | None, problems: list[Problem]) -> CheckResult:
    if rubric is not None:
        problems = problems + lint(rubric)
        problems.sort(key=_sort_key)
    return CheckResult(name, rubric, tuple(problems))


def check_result(name: str, rubric: Rubric | None, problems: Iterable[Problem]) -> CheckResult:
    """The :class:`CheckResult` of what :func:`assemble` returned: its problems and, when
    the rubric is valid, its warnings (located and sorted, as ``check`` reports them)."""
    return _result(name, rubric, list(problems))


def is_rubric_file(path: str | os.PathLike[str]) -> bool:
    return syntax_of(path) is not None
