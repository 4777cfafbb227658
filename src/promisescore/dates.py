"""Dates, ISO-8601 durations and deadlines (FORMAT.md §2, ``deadline``)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import attrs

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DURATION_RE = re.compile(r"P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?")

END_OF_TERM = "end-of-term"


def parse_date(text: str) -> date:
    """Parse a ``YYYY-MM-DD`` string; raise ``ValueError`` with a readable message."""
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date ({exc})") from None


#: The most days between two dates (0001-01-01 to 9999-12-31).
MAX_SPAN_DAYS = (date.max - date.min).days


@attrs.frozen
class Duration:
    """A calendar duration: years and months move the calendar date, weeks and days add days."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION_RE.fullmatch(text)
        if match is None or not any(match.groups()):
            raise ValueError(
                f"{text!r} is not an ISO-8601 duration such as 'P100D', 'P1Y', 'P6M' or 'P2W'"
            )
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        return cls(years, months, weeks, days)

    @classmethod
    def parse_option(cls, text: str, name: str = "duration") -> Duration:
        """:meth:`parse` for a duration given as an option (``--window``, ``--every``):
        also refused, with a ``ValueError`` naming ``name``, when it is longer than the
        whole calendar (0001-01-01 to 9999-12-31: :data:`MAX_SPAN_DAYS` days, or 9,998
        years), which no date could be moved by."""
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a string such as 'P3M', not {type(text).__name__}")
        duration = cls.parse(text)
        if duration.approximate_days() > MAX_SPAN_DAYS:
            raise ValueError(
                f"{name} {text!r} is longer than the calendar: at most {MAX_SPAN_DAYS:,} days "
                "(9,998 years), such as 'P3M' or 'P1Y'"
            )
        return duration

    def approximate_days(self) -> float:
        """The length in days, a year counted as 365.2425 days (the Gregorian mean)."""
        return 7.0 * self.weeks + self.days + 365.2425 / 12 * (self.months + 12 * self.years)

    def after(self, start: date) -> date:
        """The date this duration after ``start`` (clamping to the month's last day).

        Raises ``OverflowError`` past year 9999.
        """
        month_index = start.month - 1 + self.months + 12 * self.years
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        if year > 9999:
            raise OverflowError("date after year 9999")
        day = min(start.day, calendar.monthrange(year, month)[1])
        moved = date(year, month, day)
        return moved + timedelta(days=7 * self.weeks + self.days)


def resolve_deadline(spec: date | str, start: date, end: date | None) -> date | None:
    """The calendar date of a deadline written as a date, a duration or ``"end-of-term"``.

    Returns ``None`` for ``"end-of-term"`` when the term has no end. Raises ``ValueError``
    for a malformed spec and ``OverflowError`` for a date past 9999-12-31.
    """
    if isinstance(spec, date):
        return spec
    if spec == END_OF_TERM:
        return end
    return Duration.parse(spec).after(start)


def check_deadline_spec(spec: object) -> str | None:
    """Why ``spec`` is not a valid deadline, or ``None`` when it is."""
    if isinstance(spec, date):
        return None
    if not isinstance(spec, str):
        return "a deadline is a date, an ISO-8601 duration such as 'P100D', or 'end-of-term'"
    if spec == END_OF_TERM:
        return None
    try:
        Duration.parse(spec)
    except ValueError as exc:
        return str(exc)
    return None
