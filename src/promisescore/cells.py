"""Reading values typed by people: numbers with thousands separators, dates in other forms.

Shared by the spreadsheet import (:mod:`promisescore.csvio`) and ``promisescore add``
(:mod:`promisescore.edit`), so a cell and an option accept the same things.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# ASCII digits only: float() would also take other scripts' digits ("١٢")
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# 2,150 / 1,234,567.5 / 10 000 / 10 000 (no-break or thin space) / 1'000 (Swiss)
_GROUPED = re.compile(r"([+-]?)([0-9]{1,3})((?:[,\u00a0\u202f '](?:[0-9]{3}))+)(\.[0-9]+)?")
_SEPARATORS = ",\u00a0\u202f '"


def parse_number(text: str) -> float | None:
    """A number from ``text``, or ``None`` when it is not one (``nan`` is not; a huge
    one like ``1e999`` is infinite, for the rubric's checks to refuse).

    Besides plain numbers (``0.5``, ``-3``, ``1e6``), groups of three digits separated
    by ``,``, a space, a no-break space or ``'`` are accepted when unambiguous
    (``2,150``, ``10 000``, ``1,234,567.5``) — one separator kind throughout, groups of
    exactly three digits, and a dot (if any) as the decimal mark. ``2,5`` (a decimal
    comma?) and ``1,50`` are ambiguous and rejected.
    """
    text = text.strip()
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)  # may be inf (1e999): the rubric's checks say it is not finite
    match = _GROUPED.fullmatch(text)
    if match is None:
        return None
    groups = match.group(3)
    used = {ch for ch in groups if ch in _SEPARATORS}
    if len(used) != 1:
        return None
    digits = match.group(2) + "".join(ch for ch in groups if ch in "0123456789")
    return float(match.group(1) + digits + (match.group(4) or ""))


def is_grouped_number(text: str) -> bool:
    """True for a number written with thousands separators (``2,150``)."""
    text = text.strip()
    return not _PLAIN_NUMBER.fullmatch(text) and parse_number(text) is not None


_SLASHED = re.compile(r"([0-9]{1,4})([/.\-])([0-9]{1,2})\2([0-9]{1,4})")


def suggest_iso(text: str) -> str | None:
    """The ISO form of a date written another way, when only one reading is possible.

    ``9/14/2024`` → ``2024-09-14`` (14 cannot be a month); ``2024/9/14`` →
    ``2024-09-14``; ``14.09.2024`` → ``2024-09-14``. ``3/4/2024`` could be 3 April or
    4 March, so there is no suggestion.
    """
    text = text.strip()
    match = _SLASHED.fullmatch(text)
    if match is not None:
        a, _, b, c = match.groups()
        candidates: set[date] = set()
        if len(a) == 4:  # year first: Y/M/D
            candidates |= _try(int(a), int(b), int(c))
        elif len(c) == 4:  # year last: M/D/Y or D/M/Y
            candidates |= _try(int(c), int(a), int(b))
            candidates |= _try(int(c), int(b), int(a))
        if len(candidates) == 1:
            return candidates.pop().isoformat()
        return None
    for pattern in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%B %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _try(year: int, month: int, day: int) -> set[date]:
    try:
        return {date(year, month, day)}
    except ValueError:
        return set()


def parse_date_text(text: str, date_format: str | None = None) -> date:
    """A date from ``YYYY-MM-DD`` or, with ``date_format`` (a :func:`~datetime.datetime.strptime`
    format such as ``%m/%d/%Y``), from that form; ``ValueError`` says what is wrong and,
    when the text is unambiguous, gives the ISO form."""
    from .dates import parse_date

    text = text.strip()
    try:
        return parse_date(text)
    except ValueError as exc:
        if date_format is not None:
            try:
                return datetime.strptime(text, date_format).date()
            except ValueError:
                raise ValueError(
                    f"{text!r} is neither YYYY-MM-DD nor of the form {date_format!r}"
                ) from None
        suggestion = suggest_iso(text)
        if suggestion is not None:
            raise ValueError(f"{exc}; did you mean {suggestion}?") from None
        raise
