"""Problems found in rubric data, and the one exception type that carries them.

Every problem has a stable code (``E…`` errors, ``W…`` warnings) so that CI jobs,
editors and people can rely on it; the full list is in ``CODES`` and in
``docs/reference/codes.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

Severity = Literal["error", "warning"]

#: Every problem code with a one-line description. Codes never change meaning.
CODES: dict[str, str] = {
    # files and syntax
    "E001": "file cannot be read (missing, a directory, not a regular file, or too large)",
    "E002": "file is not valid UTF-8",
    "E003": "syntax error in TOML or JSON",
    "E004": "unsupported file type (use .toml or .json)",
    "E005": "include: no file matches, or the file is missing",
    "E006": "include: path escapes the including file's directory tree",
    "E007": "include: cycle",
    "E008": '`format` missing or not 1, "1.1" or "1.2"',
    "E009": "nesting too deep",
    "E010": "a feature of a later format than the rubric declares",
    "E011": "number too large to compute with",
    "E012": "text holds a lone surrogate (not a character)",
    # structure
    "E101": "unknown key",
    "E102": "required key missing",
    "E103": "wrong type",
    "E104": "key not allowed in an included file",
    "E105": "duplicate key",
    # values
    "E201": "invalid id",
    "E202": "duplicate id",
    "E203": "weight must be a finite number > 0",
    "E204": "value out of range",
    "E205": "invalid date",
    "E206": "invalid deadline",
    "E207": "invalid choice",
    "E208": "invalid scale",
    "E209": "invalid grading",
    "E210": "invalid target",
    "E211": "a promise has both criteria and a target",
    "E212": "report dates out of order",
    "E213": "a url (assessor or assessment) is not http(s)",
    "E214": "assessment effective after its date",
    # references
    "E301": "unknown promise",
    "E302": "unknown criterion",
    "E303": "unknown evidence",
    "E304": "unknown category",
    "E305": "unknown scale level",
    "E306": "criterion required: the promise has criteria (before format 1.2)",
    "E307": "criterion not allowed: the promise has no criteria",
    "E308": "rating/value does not fit the scale",
    "E309": "target promises are scored from evidence, not assessed (before format 1.2)",
    "E310": "unknown assessor",
    # archived sources (format 1.2, FORMAT.md §8.9; E401-E406 are found by `verify`)
    "E401": "archive: the archived file is missing",
    "E402": "archive: not a regular file (a directory, FIFO, device or socket)",
    "E403": "archive: the path leaves the rubric's directory tree (or the archive root)",
    "E404": "archive: sha256 does not match the archived file",
    "E405": "quote not found in the archived copy",
    "E406": "archive cannot be read as text (too large, not valid in its encoding, or PDF without the extra)",
    "E407": "sha256 is not 64 lowercase hex digits",
    "E408": "archive is neither a relative path nor an http(s) address",
    # warnings
    "W101": "promise has no evidence",
    "W102": "assessment cites no evidence",
    "W103": "fully kept, but no evidence from a record or an independent report",
    "W104": "dated before the promise was made",
    "W105": "dated after the end of the term",
    "W106": "evidence newer than the promise's latest assessment",
    "W107": "conflicting figures: a claim or advocacy figure replaces a different independent one",
    "W108": "a verdict contradicts the figure: kept while short of the goal, or broken at it",
    "W112": "the rubric has no promises yet",
    # spreadsheet import
    "W110": "unknown spreadsheet column, kept in each row's meta",
    "W111": "a file in a spreadsheet directory that import does not read",
}


@attrs.frozen(order=False)
class Problem:
    """One finding about rubric data.

    ``path`` locates the finding inside the file: e.g. ``("promises", 3, "weight")``
    is the ``weight`` key of the fourth ``[[promises]]`` table of ``file``.
    """

    code: str
    message: str
    severity: Severity = "error"
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    object_kind: str | None = None
    object_id: str | None = None
    path: tuple[str | int, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def located(self, file: str | None, line: int | None) -> Problem:
        return attrs.evolve(self, file=file, line=line)

    def format(self) -> str:
        """``FILE:LINE: CODE message (hint)`` — the stable, parseable one-line form."""
        from .sanitize import line  # one line, whatever the file name or message holds

        where = line(self.file or "<rubric>")
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.code} {line(_elide(self.message))}"
        if self.hint:
            text += f" — {line(self.hint)}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "line": self.line,
            "object_kind": self.object_kind,
            "object_id": self.object_id,
            "path": list(self.path),
        }


#: Messages longer than this are shortened in the one-line form (a 100,000-character
#: value quoted in a message helps nobody); ``to_dict`` keeps the whole message.
MAX_MESSAGE_CHARS = 400


def _elide(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    keep = MAX_MESSAGE_CHARS // 2
    skipped = len(message) - 2 * keep
    return f"{message[:keep]}…[{skipped:,} characters]…{message[-keep:]}"


class PromisescoreError(Exception):
    """Base class of every error promisescore raises on purpose."""


class RubricError(PromisescoreError, ValueError):
    """Invalid rubric data. ``problems`` holds every problem found, errors first in order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        errors = [p for p in self.problems if p.is_error]
        listed = errors or list(self.problems)
        summary = listed[0].format() if listed else "invalid rubric"
        more = len(errors) - 1
        if more > 0:
            summary += f" (and {more} more error{'s' if more > 1 else ''})"
        super().__init__(summary)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


class InputFileError(PromisescoreError, OSError):
    """A file named on the command line (or to ``load``) cannot be read at all.

    The CLI maps it to exit code 2 (usage), unlike :class:`RubricError` (exit 1).
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnknownIdError(PromisescoreError, KeyError):
    """An id asked for (e.g. by ``explain``) does not exist; ``suggestions`` lists near matches."""

    def __init__(self, kind: str, ident: str, suggestions: Iterable[str] = ()) -> None:
        self.kind = kind
        self.ident = ident
        self.suggestions = tuple(suggestions)
        super().__init__(ident)

    def __str__(self) -> str:
        text = f"unknown {self.kind} {self.ident!r}"
        if self.suggestions:
            text += " — did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        return text
