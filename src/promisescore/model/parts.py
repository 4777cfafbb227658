"""The parts of a rubric: small immutable classes whose invariants hold at construction.

Every class checks all of its own fields when built and raises one
:class:`~promisescore.errors.RubricError` listing every problem. The whole
:class:`~promisescore.model.Rubric`, which also checks the relations between these parts,
is in :mod:`promisescore.model.rubric`.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Mapping
from datetime import date
from functools import cached_property
from typing import Any, Literal

import attrs

from ..dates import check_deadline_spec
from ..errors import Problem, RubricError
from ..i18n import LANGUAGES
from ..suggest import did_you_mean

Date = date  # the type, for annotations in classes that have a field named ``date``

#: The id rule (FORMAT.md §1), written once: the loader, the JSON Schema, the gates and
#: the messages all use these.
ID_REGEX = r"[a-z0-9][a-z0-9._-]*"
ID_RULE = "lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"
#: The longest id: a site writes a page ``promises/<id>.html`` per promise, and most file
#: systems hold names of at most 255 bytes (docs/robustness.md).
MAX_ID_LENGTH = 200
ID_PATTERN = re.compile(rf"[a-z0-9][a-z0-9._-]{{0,{MAX_ID_LENGTH - 1}}}")
_ID_CHARACTERS = re.compile(ID_REGEX)
UNCATEGORIZED = "uncategorized"

SourceKind = Literal["record", "report", "claim", "advocacy"]
Effect = Literal["advances", "regresses", "neutral"]
UnratedPolicy = Literal["exclude", "zero"]
Consensus = Literal["median", "min", "max", "mean"]

SOURCE_KINDS: tuple[str, ...] = ("record", "report", "claim", "advocacy")
#: The kinds of independent sources: primary records and independent reports (§3).
INDEPENDENT_KINDS: frozenset[str] = frozenset({"record", "report"})
EFFECTS: tuple[str, ...] = ("advances", "regresses", "neutral")
UNRATED_POLICIES: tuple[str, ...] = ("exclude", "zero")
CONSENSUS_RULES: tuple[str, ...] = ("median", "min", "max", "mean")
#: Languages of published report cards and sites (``report.lang``): the translated ones.
REPORT_LANGUAGES: tuple[str, ...] = LANGUAGES
Role = Literal["self", "independent", "advocacy", "desk", "reviewer"]
ROLES: tuple[str, ...] = ("self", "independent", "advocacy", "desk", "reviewer")
#: The roles format 1.2 adds (FORMAT.md §8.1).
ROLES_12: frozenset[str] = frozenset({"desk", "reviewer"})
#: Who counts in the headline by default (FORMAT.md §7.1).
DEFAULT_CONSENSUS_ROLES: tuple[str, ...] = ("independent", "advocacy")
#: Who counts by default in a format 1.2 rubric with a ``desk`` assessor (FORMAT.md §8.1).
DESK_CONSENSUS_ROLES: tuple[str, ...] = ("desk",)
#: ``grading.stale`` (format 1.2, FORMAT.md §8.2): flag stale ratings, or drop them.
StalePolicy = Literal["flag", "drop"]
STALE_POLICIES: tuple[str, ...] = ("flag", "drop")


class _Checks:
    """Collects the problems of one object; raises them all at once."""

    __slots__ = ("_ident", "_label", "kind", "problems")

    def __init__(
        self, kind: str, ident: str | None, label: Callable[[], str] | None = None
    ) -> None:
        self.kind = kind
        self._ident = ident
        self._label = label  # computes the ident only when a problem needs it
        self.problems: list[Problem] | None = None

    @property
    def ident(self) -> str | None:
        if self._label is not None:
            self._ident = self._label()
            self._label = None
        return self._ident

    def add(self, code: str, key: str, message: str, hint: str | None = None) -> None:
        if self.problems is None:
            self.problems = []
        self.problems.append(
            Problem(
                code,
                message,
                hint=hint,
                object_kind=self.kind,
                object_id=self.ident,
                path=(key,),
            )
        )

    def ident_ok(self, key: str, value: object) -> None:
        if (
            isinstance(value, str)
            and len(value) > MAX_ID_LENGTH
            and _ID_CHARACTERS.fullmatch(value)
        ):
            self.add(
                "E201",
                key,
                f"{self.kind} {key} {value[:40]}… is {len(value):,} characters long, "
                f"over the limit of {MAX_ID_LENGTH}",
                f"shorten the id: it names files (the site's page of each promise), "
                f"and ids are at most {MAX_ID_LENGTH} characters",
            )
        elif not isinstance(value, str) or ID_PATTERN.fullmatch(value) is None:
            self.add(
                "E201",
                key,
                f"{self.kind} {key} {value!r} is not a valid id",
                f"ids are {ID_RULE}",
            )

    def text_ok(self, key: str, value: object, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.add("E102", key, f"{self.kind} {self._name()}needs a {key}")
        elif not isinstance(value, str):
            self.add("E103", key, f"{key} must be a string, not {type(value).__name__}")
        elif required and not value.strip():
            hint = (
                "give the display name every report shows instead of the id"
                if self.kind == "assessor"
                else None
            )
            self.add("E102", key, f"{self.kind} {self._name()}has an empty {key}", hint)

    def weight_ok(self, key: str, value: object, *, optional: bool = False) -> None:
        if value is None and optional:
            return
        if not _is_finite_number(value) or float(value) <= 0:  # type: ignore[arg-type]
            self.add(
                "E203",
                key,
                f"{key} of {self.kind} {self._name()}must be a finite number > 0, "
                f"not {_shown(value)}",
                "give a positive weight, e.g. 1",
            )

    def unit_ok(self, key: str, value: object) -> None:
        if not _is_finite_number(value) or not 0.0 <= float(value) <= 1.0:  # type: ignore[arg-type]
            self.add(
                "E204",
                key,
                f"{key} of {self.kind} {self._name()}must be a number in [0, 1], "
                f"not {_shown(value)}",
            )

    def choice_ok(self, key: str, value: object, choices: tuple[str, ...]) -> None:
        if value not in choices:
            self.add(
                "E207",
                key,
                f"{key} {value!r} of {self.kind} {self._name()}is not one of "
                + ", ".join(repr(c) for c in choices),
                did_you_mean(str(value), choices),
            )

    def date_ok(self, key: str, value: object, *, optional: bool = False) -> None:
        if value is None and optional:
            return
        if type(value) is not date:
            self.add(
                "E205", key, f"{key} of {self.kind} {self._name()}must be a date, not {value!r}"
            )

    def _name(self) -> str:
        return f"{self.ident!r} " if self.ident is not None else ""

    def done(self) -> None:
        if self.problems:
            raise RubricError(self.problems)


#: The largest finite float: an int beyond it cannot be scored.
FLOAT_MAX = sys.float_info.max


def _role_ok(c: _Checks, key: str, value: object) -> None:
    """An assessor role (FORMAT.md §7.1): E207 with the roles as a hint."""
    if value in ROLES:
        return
    c.add(
        "E207",
        key,
        f"{key} {value!r} of {c.kind} {c._name()}is not one of "
        + ", ".join(repr(r) for r in ROLES),
        did_you_mean(str(value), ROLES)
        or "self: the promise maker rating its own record; independent: fact-checker, "
        "auditor, court, researcher, newsroom; advocacy: an interest group; "
        "desk (format 1.2): the tracker's own editors; reviewer (format 1.2): an internal "
        "second read",
    )


def _http_url_ok(c: _Checks, key: str, value: object, what: str) -> None:
    """An optional http(s) address (E213)."""
    c.text_ok(key, value)
    if isinstance(value, str) and not value.startswith(("http://", "https://")):
        c.add(
            "E213",
            key,
            f"{key} of {what} must start with http:// or https://, not {value!r}",
            "give the web address (http or https)",
        )


def _is_finite_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -FLOAT_MAX <= value <= FLOAT_MAX  # exact comparison, no overflow
    return isinstance(value, float) and math.isfinite(value)


def _shown(value: object) -> str:
    """``repr(value)``, but a huge int as its size (its repr may not even be computable)."""
    if isinstance(value, int) and not isinstance(value, bool) and not _is_finite_number(value):
        return f"a number of {value.bit_length():,} bits (too large to compute with)"
    return repr(value)


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if value is not None else ()


def _float(value: Any) -> Any:
    # ints from TOML become floats, so 1 and 1.0 load to equal rubrics; anything else is
    # left for the field checks to report.
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # too large: left as it is for the field checks to report
            return value
    return value


def _opt_float(value: Any) -> Any:
    return None if value is None else _float(value)


class _ReadOnlyDict(dict[str, Any]):
    """An empty ``meta`` shared by every object that has none (a big rubric has
    millions of objects, and an empty dict each cost more than some of the objects).
    It refuses changes, so sharing it is safe."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("meta is read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (_ReadOnlyDict, (dict(self),))


EMPTY_META: Mapping[str, Any] = _ReadOnlyDict()


class _ReadOnlyList(list[Any]):
    """A list inside a ``meta`` table: equal to a list, but it refuses changes."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("meta is read-only")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = clear = extend = insert = pop = remove = reverse = sort = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (_ReadOnlyList, (list(self),))


#: How deep ``meta`` may nest (tables and arrays); deeper is refused (E009), so that
#: nothing that walks it (writing, JSON output) can run out of stack.
MAX_META_DEPTH = 100


def _frozen(value: Any, depth: int) -> Any:
    kind = type(value)
    if kind is not dict and kind is not list and not isinstance(value, dict | list):
        return value
    if depth >= MAX_META_DEPTH:
        raise RubricError(
            [
                Problem(
                    "E009",
                    f"meta is nested more than {MAX_META_DEPTH} levels deep",
                    hint="a meta table needs only a few levels of nesting",
                    path=("meta",),
                )
            ]
        )
    if isinstance(value, dict):
        return _ReadOnlyDict({key: _frozen(item, depth + 1) for key, item in value.items()})
    return _ReadOnlyList([_frozen(item, depth + 1) for item in value])


def _meta(value: Any) -> Any:
    if value is None or value is EMPTY_META:
        return EMPTY_META
    if isinstance(value, dict) and not value:
        return EMPTY_META
    if not isinstance(value, Mapping):
        return dict(value)  # raises TypeError as dict() would
    return _frozen(dict(value), 0)


def _meta_field(**facts: Any) -> Any:
    return attrs.field(
        default=EMPTY_META,
        converter=_meta,
        hash=False,
        kw_only=True,
        metadata=field_facts("meta", **facts),
    )


#: The key under which a field's facts sit in ``attrs.field(metadata=...)``;
#: :mod:`promisescore.fields` reads them (the field table of every object type).
FACTS = "promisescore"
#: An ISO-8601 duration of FORMAT.md §2 (years, months, weeks, days, at least one),
#: written without look-ahead, which some validators' regex engines lack.
DURATION_REGEX = r"^P(\d+Y(\d+M)?(\d+W)?(\d+D)?|\d+M(\d+W)?(\d+D)?|\d+W(\d+D)?|\d+D)$"


def field_facts(
    tag: str,
    doc: str | None = None,
    *,
    required: bool | None = None,
    choices: tuple[str, ...] | None = None,
    nonempty: bool = False,
    ref: str | None = None,
    after: str | None = None,
    since: str = "1",
    key: str | None = None,
    schema: Mapping[str, Any] | None = None,
    hint: str | None = None,
    repeats: bool = False,
) -> dict[str, Any]:
    """The facts of one field, as ``attrs.field(metadata=...)`` (see
    :class:`promisescore.fields.FieldSpec` for what each means)."""
    return {
        FACTS: {
            "tag": tag,
            "doc": doc,
            "required": required,
            "choices": choices,
            "nonempty": nonempty,
            "ref": ref,
            "after": after,
            "since": since,
            "key": key,
            "schema": dict(schema or {}),
            "hint": hint,
            "repeats": repeats,
        }
    }


_Step = Callable[["_Checks", str, Any], None]


def _text_required(c: _Checks, key: str, value: Any) -> None:
    if type(value) is not str or not value.strip():
        c.text_ok(key, value, required=True)


def _text(c: _Checks, key: str, value: Any) -> None:
    if value is not None and type(value) is not str:
        c.text_ok(key, value)


def _ident(c: _Checks, key: str, value: Any) -> None:
    c.ident_ok(key, value)


def _ident_optional(c: _Checks, key: str, value: Any) -> None:
    if value is not None:
        c.ident_ok(key, value)


def _date(c: _Checks, key: str, value: Any) -> None:
    if type(value) is not date:
        c.date_ok(key, value)


def _date_optional(c: _Checks, key: str, value: Any) -> None:
    if value is not None and type(value) is not date:
        c.date_ok(key, value)


def _weight(c: _Checks, key: str, value: Any) -> None:
    c.weight_ok(key, value)


def _weight_optional(c: _Checks, key: str, value: Any) -> None:
    c.weight_ok(key, value, optional=True)


def _unit(c: _Checks, key: str, value: Any) -> None:
    c.unit_ok(key, value)


def _unit_optional(c: _Checks, key: str, value: Any) -> None:
    if value is not None:
        c.unit_ok(key, value)


def _flag(c: _Checks, key: str, value: Any) -> None:
    if not isinstance(value, bool):
        c.add("E103", key, f"{key} must be true or false, not {type(value).__name__}")


def _texts(c: _Checks, key: str, value: Any) -> None:
    for item in value:
        c.text_ok(key, item)


def _idents(c: _Checks, key: str, value: Any) -> None:
    for item in value:
        c.ident_ok(key, item)


def _choice(choices: tuple[str, ...], optional: bool) -> _Step:
    def check(c: _Checks, key: str, value: Any) -> None:
        if value in choices or (optional and value is None):
            return
        if choices is ROLES:
            _role_ok(c, key, value)
        else:
            c.choice_ok(key, value, choices)

    return check


#: Each class's checks that restate its field table: (attribute, check).
_PLANS: dict[type, tuple[tuple[str, _Step], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, _Step], ...]:
    """What the field facts of ``cls`` say to check: ids, texts (required when the
    attribute has no default or must not be blank), dates, allowed values, weights, values
    in [0, 1], lists of texts or ids, and true-or-false flags. Anything else is the class's own check."""
    steps: list[tuple[str, _Step]] = []
    for attribute in attrs.fields(cls):
        facts = attribute.metadata.get(FACTS)
        if facts is None:
            continue
        tag, choices, ref = facts["tag"], facts["choices"], facts["ref"]
        optional = attribute.default is None  # None means "not given"
        step: _Step | None = None
        if tag == "id":
            step = _ident_optional if optional else _ident
        elif tag == "str" and choices:
            step = _choice(choices, optional)
        elif tag == "str" and not facts["schema"]:  # a pattern is the class's own check
            required = facts["nonempty"] or attribute.default is attrs.NOTHING
            step = _text_required if required else _text
        elif tag == "date":
            step = _date_optional if optional else _date
        elif tag == "number" and ref == "weight":
            step = _weight_optional if optional else _weight
        elif tag == "number" and ref == "unit":
            step = _unit_optional if optional else _unit
        elif tag == "strs" and not choices:
            step = _texts
        elif tag == "ids":
            step = _idents
        elif tag == "bool":
            step = _flag
        if step is not None:
            steps.append((attribute.name, step))
    plan = tuple(steps)
    _PLANS[cls] = plan
    return plan


def _check_fields(c: _Checks, obj: Any) -> None:
    """Run the checks the field table of ``obj``'s class implies (see :func:`_plan`)."""
    plan = _PLANS.get(type(obj)) or _plan(type(obj))
    for name, step in plan:
        step(c, name, getattr(obj, name))


# --------------------------------------------------------------------------- sources

#: A source's ``sha256`` (FORMAT.md §8.9): 64 lowercase hex digits.
SHA256_REGEX = r"^[0-9a-f]{64}$"
SHA256_PATTERN = re.compile(SHA256_REGEX)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_web_address(text: str) -> bool:
    """Whether ``text`` is an http(s) address (case-insensitive scheme)."""
    return text[:8].lower().startswith(("http://", "https://"))


def archive_ok(text: str) -> bool:
    """An ``archive`` value is an http(s) address or a relative path: not empty, not
    absolute, no other scheme (``file:``, ``ftp:``, a drive letter). Whether the path
    stays inside the tree is ``verify``'s check, which knows the directories."""
    if is_web_address(text):
        return True
    if not text.strip() or "\x00" in text or text.startswith(("/", "\\")):
        return False
    return _SCHEME.match(text) is None


@attrs.frozen
class Source:
    """Where a fact or a claim comes from. ``kind`` says how far to trust it."""

    title: str = attrs.field(metadata=field_facts("str", "The source's title.", nonempty=True))
    url: str | None = attrs.field(default=None, metadata=field_facts("str", "Where to read it."))
    publisher: str | None = attrs.field(
        default=None, metadata=field_facts("str", "Who published it.", repeats=True)
    )
    date: Date | None = attrs.field(
        default=None, metadata=field_facts("date", "When it was published.")
    )
    kind: SourceKind | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str",
            "record: a primary record of an act; report: independent journalism or research; "
            "claim: the promise maker's own statement; advocacy: an interested party.",
            choices=SOURCE_KINDS,
            repeats=True,
        ),
    )
    #: Format 1.2 (FORMAT.md §8.9): a local path to an archived copy (relative to the
    #: file that holds the source, inside the rubric's tree, or to ``--archive-root``),
    #: or the http(s) address of a public archive.
    archive: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str",
            "Format 1.2: an archived copy of the source: a path relative to the rubric file "
            "(or to --archive-root), or an http(s) address of a public archive.",
            since="1.2",
            hint='a relative path such as "archives/page.html", or an https:// address',
        ),
    )
    archived_on: Date | None = attrs.field(
        default=None,
        metadata=field_facts("date", "Format 1.2: when the archived copy was made.", since="1.2"),
    )
    sha256: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str",
            "Format 1.2: the SHA-256 of the archived file's bytes (64 lowercase hex digits).",
            since="1.2",
            schema={"pattern": SHA256_REGEX},
            hint="64 lowercase hex digits, as `sha256sum FILE` prints them",
        ),
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        if (  # the common case, all valid, checked at once (the checks below say what is wrong)
            type(self.title) is str
            and self.title.strip()
            and (self.url is None or type(self.url) is str)
            and (self.publisher is None or type(self.publisher) is str)
            and (self.date is None or type(self.date) is date)
            and (self.kind is None or self.kind in SOURCE_KINDS)
            and self.archive is None
            and self.archived_on is None
            and self.sha256 is None
        ):
            return
        c = _Checks("source", None)
        _check_fields(c, self)
        c.text_ok("sha256", self.sha256)
        if type(self.sha256) is str and SHA256_PATTERN.fullmatch(self.sha256) is None:
            c.add(
                "E407",
                "sha256",
                f"source sha256 {self.sha256[:80]!r} is not 64 lowercase hex digits",
                "write the digest as `sha256sum FILE` prints it (lowercase)",
            )
        if type(self.archive) is str and not archive_ok(self.archive):
            c.add(
                "E408",
                "archive",
                f"source archive {self.archive[:200]!r} is neither a relative path nor an "
                "http(s) address",
                "give a path relative to the rubric file (or to --archive-root), "
                "or an https:// address of a public archive",
            )
        c.done()

    @property
    def archive_url(self) -> str | None:
        """The ``archive`` when it is an http(s) address (a public archive), else ``None``."""
        if self.archive is not None and is_web_address(self.archive):
            return self.archive
        return None

    @property
    def archive_path(self) -> str | None:
        """The ``archive`` when it is a local path, else ``None``."""
        if self.archive is not None and not is_web_address(self.archive):
            return self.archive
        return None

    @property
    def is_citation(self) -> bool:
        """True when the source is a bare citation string (only a title)."""
        return (
            self.url is None
            and self.publisher is None
            and self.date is None
            and self.kind is None
            and self.archive is None
            and self.archived_on is None
            and self.sha256 is None
            and not self.meta
        )

    @property
    def independent(self) -> bool:
        """A primary record or an independent report (FORMAT.md §3)."""
        return self.kind in INDEPENDENT_KINDS


# --------------------------------------------------------------------------- report


@attrs.frozen
class Report:
    """What the rubric tracks: the title, who promised, and the term."""

    title: str = attrs.field(metadata=field_facts("str", "The report's title.", nonempty=True))
    start: Date = attrs.field(
        metadata=field_facts(
            "date", "Start of the tracked term; relative deadlines count from here."
        )
    )
    subject: str | None = attrs.field(
        default=None, metadata=field_facts("str", "Who made the promises.", after="title")
    )
    end: Date | None = attrs.field(
        default=None, metadata=field_facts("date", "End of the term (optional).")
    )
    as_of: Date | None = attrs.field(
        default=None,
        metadata=field_facts(
            "date", "Default 'as of' date of scores; else the latest evidence or assessment."
        ),
    )
    meta: Mapping[str, Any] = _meta_field()
    # Presentation keys of published report cards and sites (docs/format.md).
    publisher: str | None = attrs.field(
        default=None,
        metadata=field_facts("str", "Who publishes the report card (a newsroom, a lab)."),
    )
    byline: str | None = attrs.field(
        default=None, metadata=field_facts("str", "Who wrote or edited it, as shown on the card.")
    )
    updated: Date | None = attrs.field(
        default=None, metadata=field_facts("date", "When the editors last updated the card.")
    )
    methodology_url: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str",
            "An http(s) address of the published methodology.",
            schema={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
        ),
    )
    note: str | None = attrs.field(
        default=None, metadata=field_facts("str", "An editor's note shown on the card.")
    )
    lang: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str", "Language of the card's interface text (default en).", choices=REPORT_LANGUAGES
        ),
    )

    def __attrs_post_init__(self) -> None:
        c = _Checks("report", None)
        _check_fields(c, self)
        c.text_ok("methodology_url", self.methodology_url)
        if isinstance(self.methodology_url, str) and not self.methodology_url[
            :8
        ].lower().startswith(("http://", "https://")):
            c.add(
                "E207",
                "methodology_url",
                f"report methodology_url {self.methodology_url!r} is not an http(s) address",
                "give a full address starting with https://",
            )
        if type(self.start) is date and type(self.end) is date and self.end < self.start:
            c.add("E212", "end", f"report end {self.end} is before its start {self.start}")
        c.done()


# --------------------------------------------------------------------------- scale


@attrs.frozen
class Level:
    """One level of a scale. ``value`` is ``None`` for an *unrated* level."""

    id: str = attrs.field(metadata=field_facts("id"))
    label: str = attrs.field(
        metadata=field_facts("str", "How the level is shown (default: its id).", required=False)
    )
    value: float | None = attrs.field(
        default=None,
        converter=_opt_float,
        metadata=field_facts("number", "Fulfillment at this level, in [0, 1].", ref="unit"),
    )
    final: bool = attrs.field(
        default=False, metadata=field_facts("bool", "An end state (kept, broken).")
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        c = _Checks("level", self.id if isinstance(self.id, str) else None)
        _check_fields(c, self)
        if self.final is True and self.value is None:
            c.add("E208", "final", f"level {self.id!r} is unrated, so it cannot be final")
        c.done()

    @property
    def unrated(self) -> bool:
        return self.value is None


#: The built-in scales: preset name → levels, least fulfilled first.
PRESETS: dict[str, tuple[Level, ...]] = {
    # PolitiFact's promise meters (Obameter, Trump-O-Meter, Biden Promise Tracker).
    "politifact": (
        Level("not-yet-rated", "Not Yet Rated", None),
        Level("broken", "Promise Broken", 0.0, final=True),
        Level("stalled", "Stalled", 0.0),
        Level("in-the-works", "In the Works", 0.25),
        Level("compromise", "Compromise", 0.5, final=True),
        Level("kept", "Promise Kept", 1.0, final=True),
    ),
    # Université Laval's Polimètre.
    "polimetre": (
        Level("not-yet-rated", "Not yet rated", None),
        Level("broken", "Broken", 0.0, final=True),
        Level("in-the-works", "Kept in part or in the works", 0.5),
        Level("kept", "Kept", 1.0, final=True),
    ),
    # The Comparative Party Pledges Group's coding of election pledges.
    "cppg": (
        Level("not-fulfilled", "Not fulfilled", 0.0, final=True),
        Level("partially-fulfilled", "Partially fulfilled", 0.5, final=True),
        Level("fully-fulfilled", "Fully fulfilled", 1.0, final=True),
    ),
    # No levels: assessments give a value in [0, 1] directly.
    "percent": (),
}


#: The names of the built-in scales (the allowed values of ``scale.preset``).
PRESET_NAMES: tuple[str, ...] = tuple(PRESETS)


def preset_levels(name: str | None) -> tuple[Level, ...]:
    """The levels of preset ``name`` (empty for an unknown name or ``None``)."""
    if name is None:
        return ()
    return PRESETS.get(name, ())


def _default_levels(self: Scale) -> tuple[Level, ...]:
    return preset_levels(self.preset)


@attrs.frozen
class Scale:
    """A rating scale: a built-in ``preset`` or custom ``levels`` (least fulfilled first).

    ``Scale("politifact")`` is the PolitiFact preset; ``Scale(levels=(...))`` a custom one;
    ``Scale("percent")`` has no levels: assessments give values in [0, 1].
    """

    preset: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str", "A built-in scale (`promisescore scales` lists them).", choices=PRESET_NAMES
        ),
    )
    levels: tuple[Level, ...] = attrs.field(
        default=attrs.Factory(_default_levels, takes_self=True),
        converter=_tuple,
        metadata=field_facts(
            "tables:level", "Custom levels, from least to most fulfilled.", schema={"minItems": 1}
        ),
    )

    def __attrs_post_init__(self) -> None:
        c = _Checks("scale", self.preset)
        if self.preset is not None:
            if self.preset not in PRESETS:
                c.add(
                    "E208",
                    "preset",
                    f"unknown scale preset {self.preset!r}",
                    did_you_mean(str(self.preset), tuple(PRESETS))
                    or "built-in presets: " + ", ".join(PRESETS),
                )
            elif self.levels != PRESETS[self.preset]:
                c.add("E208", "levels", "a scale has either a preset or levels, not both")
        elif not self.levels:
            c.add(
                "E208",
                "levels",
                "the scale has no levels",
                'give `preset = "politifact"` (or polimetre, cppg, percent) or `levels = [...]`',
            )
        seen: set[str] = set()
        last: float | None = None
        for level in self.levels:
            if not isinstance(level, Level):
                c.add("E103", "levels", "levels must be Level objects")
                continue
            if level.id in seen:
                c.add("E202", "levels", f"duplicate level id {level.id!r}")
            seen.add(level.id)
            if level.value is not None:
                if last is not None and level.value < last:
                    c.add(
                        "E208",
                        "levels",
                        f"level {level.id!r} has value {level.value:g}, less than the level "
                        f"before it ({last:g})",
                        "list levels from least to most fulfilled",
                    )
                last = level.value
        if self.levels and all(level.unrated for level in self.levels):
            c.add("E208", "levels", "every level of the scale is unrated")
        c.done()

    @property
    def is_percent(self) -> bool:
        return not self.levels

    @cached_property
    def _index(self) -> dict[str, int]:
        return {level.id: rank for rank, level in enumerate(self.levels)}

    def rank(self, level_id: str) -> int:
        """The ordinal rank of a level (its position in the list)."""
        return self._index[level_id]

    def level(self, level_id: str) -> Level:
        return self.levels[self._index[level_id]]

    def has_level(self, level_id: str) -> bool:
        return level_id in self._index


# --------------------------------------------------------------------------- grading


@attrs.frozen
class GradeBand:
    """A grade and the lowest score that earns it."""

    grade: str = attrs.field(metadata=field_facts("str", "The grade, e.g. A.", nonempty=True))
    min: float = attrs.field(
        converter=_float,
        metadata=field_facts("number", "The lowest score with this grade.", ref="unit"),
    )

    def __attrs_post_init__(self) -> None:
        c = _Checks("grade band", self.grade if isinstance(self.grade, str) else None)
        _check_fields(c, self)
        c.done()


DEFAULT_BANDS: tuple[GradeBand, ...] = (
    GradeBand("A", 0.90),
    GradeBand("B", 0.80),
    GradeBand("C", 0.70),
    GradeBand("D", 0.60),
    GradeBand("F", 0.0),
)


@attrs.frozen
class Grading:
    """Grade bands, the unrated policy, the consensus rule and the optional late cap."""

    bands: tuple[GradeBand, ...] = attrs.field(
        default=DEFAULT_BANDS,
        converter=_tuple,
        metadata=field_facts(
            "tables:band",
            "Grade bands, highest min first (default A 0.9, B 0.8, C 0.7, D 0.6, F 0). "
            "Format 1.1: [] means no grades.",
        ),
    )
    unrated: UnratedPolicy = attrs.field(
        default="exclude",
        metadata=field_facts(
            "str",
            "exclude: unrated promises leave the denominator; zero: they count as 0.",
            choices=UNRATED_POLICIES,
        ),
    )
    consensus: Consensus = attrs.field(
        default="median",
        metadata=field_facts(
            "str",
            "How assessors' latest ratings combine (mean: percent scale only).",
            choices=CONSENSUS_RULES,
        ),
    )
    late: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "id", "A level id: promises fulfilled only after their deadline are capped here."
        ),
    )
    meta: Mapping[str, Any] = _meta_field(after="stale_after")
    #: Roles whose assessments count in the headline (format 1.1; ``None``: the default,
    #: independent and advocacy).
    consensus_roles: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_tuple),
        kw_only=True,
        metadata=field_facts(
            "strs",
            "Format 1.1: the assessor roles that count in the headline "
            "(default independent and advocacy).",
            choices=ROLES,
            since="1.1",
            schema={"uniqueItems": True},
            hint='list the roles that count, e.g. consensus_roles = ["independent", "advocacy"]',
        ),
    )
    #: After how long a rating is stale, an ISO-8601 duration (format 1.1; ``None``: never).
    stale_after: str | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts(
            "str",
            "Format 1.1: an ISO-8601 duration; a rating older than this as of the report date "
            "is stale.",
            since="1.1",
            schema={"pattern": DURATION_REGEX},
            hint='give an ISO-8601 duration, e.g. stale_after = "P1Y" or "P6M"',
        ),
    )

    #: Format 1.2: what stale ratings do (``None``: not written, i.e. ``"flag"``).
    stale: StalePolicy | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts(
            "str",
            "Format 1.2: flag (default): stale ratings are reported; drop: they leave the "
            "consensus when a fresh rating of the same promise or criterion remains.",
            choices=STALE_POLICIES,
            since="1.2",
            after="stale_after",
            hint='stale = "flag" or stale = "drop"',
        ),
    )

    @classmethod
    def default_for(cls, fmt: str) -> Grading:
        """The grading of a rubric without a ``[grading]`` table: the defaults, and in
        format 1.2 no grades (FORMAT.md §8.4)."""
        return cls(bands=()) if fmt == "1.2" else cls()

    def __attrs_post_init__(self) -> None:
        c = _Checks("grading", None)
        previous: float | None = None
        for band in self.bands:
            if not isinstance(band, GradeBand):
                c.add("E103", "bands", "bands must be GradeBand objects")
                continue
            if previous is not None and band.min >= previous:
                c.add(
                    "E209",
                    "bands",
                    f"band {band.grade!r} (min {band.min:g}) is not below the band before it "
                    f"(min {previous:g})",
                    "list bands highest min first",
                )
            previous = band.min
        _check_fields(c, self)
        if self.consensus_roles is not None:
            for role in self.consensus_roles:
                _role_ok(c, "consensus_roles", role)
            if len(set(self.consensus_roles)) != len(self.consensus_roles):
                c.add("E209", "consensus_roles", "consensus_roles lists a role twice")
            if "reviewer" in self.consensus_roles:
                c.add(
                    "E209",
                    "consensus_roles",
                    "consensus_roles names 'reviewer', whose ratings are never counted",
                    "a reviewer is an internal second read (compared by `agree`, never "
                    "counted); remove 'reviewer', or give the assessor the role 'desk' or "
                    "'independent' if its rating is the verdict",
                )
        if self.stale_after is not None:
            from ..dates import Duration

            if not isinstance(self.stale_after, str):
                c.add("E103", "stale_after", "stale_after must be a string such as 'P1Y'")
            else:
                try:
                    Duration.parse(self.stale_after)
                except ValueError as exc:
                    c.add(
                        "E209",
                        "stale_after",
                        f"grading.stale_after: {exc}",
                        "give an ISO-8601 duration such as 'P6M' or 'P1Y'",
                    )
        c.done()

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles that count in the headline (``consensus_roles`` or its default; the
        rubric's :meth:`~promisescore.model.Rubric.counted_roles` also knows the format
        1.2 desk default)."""
        if self.consensus_roles is None:
            return DEFAULT_CONSENSUS_ROLES
        return self.consensus_roles

    @property
    def stale_policy(self) -> StalePolicy:
        """``stale`` or its default ``"flag"`` (FORMAT.md §8.2)."""
        return "flag" if self.stale is None else self.stale

    @property
    def graded(self) -> bool:
        """False when ``bands = []``: no grades anywhere (FORMAT.md §7.5)."""
        return bool(self.bands)

    def is_stale(self, newest: date, when: date) -> bool:
        """Whether a rating whose newest deciding date is ``newest`` is stale as of ``when``:
        newest + stale_after < when (FORMAT.md §7.3); never without ``stale_after``."""
        if self.stale_after is None:
            return False
        from ..dates import Duration

        try:
            return Duration.parse(self.stale_after).after(newest) < when
        except OverflowError:
            return False

    def grade(self, score: float | None) -> str | None:
        """The first band whose ``min`` ≤ ``score`` (``None`` for no score or no band)."""
        if score is None:
            return None
        for band in self.bands:
            if band.min <= score:
                return band.grade
        return None


# --------------------------------------------------------------------------- promises


@attrs.frozen
class Category:
    """A group of promises; ``weight`` is its weight in the overall score (default: its
    promises' weights)."""

    id: str = attrs.field(metadata=field_facts("id"))
    title: str = attrs.field(metadata=field_facts("str", "The category's title.", nonempty=True))
    weight: float | None = attrs.field(
        default=None,
        converter=_opt_float,
        metadata=field_facts(
            "number", "Weight in the overall score (default: its promises' weights).", ref="weight"
        ),
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        c = _Checks("category", self.id if isinstance(self.id, str) else None)
        _check_fields(c, self)
        c.done()


@attrs.frozen
class Criterion:
    """A weighted part of a promise, assessed on its own."""

    id: str = attrs.field(metadata=field_facts("id"))
    title: str = attrs.field(metadata=field_facts("str", "The criterion's title.", nonempty=True))
    weight: float = attrs.field(
        default=1.0,
        converter=_float,
        metadata=field_facts("number", "Its weight (default 1).", ref="weight"),
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        c = _Checks("criterion", self.id if isinstance(self.id, str) else None)
        _check_fields(c, self)
        c.done()


@attrs.frozen
class Target:
    """A numeric goal: fulfillment is how far the metric moved from baseline to target."""

    metric: str = attrs.field(metadata=field_facts("str", "What is measured.", nonempty=True))
    baseline: float = attrs.field(
        converter=_float, metadata=field_facts("number", "The starting value.")
    )
    target: float = attrs.field(
        converter=_float,
        metadata=field_facts("number", "The promised value (not equal to baseline)."),
    )
    unit: str | None = attrs.field(default=None, metadata=field_facts("str", "The metric's unit."))
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        c = _Checks("target", None)
        _check_fields(c, self)
        for key in ("baseline", "target"):
            if not _is_finite_number(getattr(self, key)):
                c.add("E210", key, f"target {key} must be a finite number")
        if self.baseline == self.target:
            c.add("E210", "target", "target equals baseline, so progress is undefined")
        c.done()

    def fulfillment(self, value: float) -> float:
        """clamp((value − baseline) / (target − baseline), 0, 1)."""
        moved, gap = value - self.baseline, self.target - self.baseline
        share = moved / gap
        if not (math.isfinite(moved) and math.isfinite(gap)):
            # a difference overflowed (e.g. baseline -1.7e308, target 1.7e308): the same
            # ratio computed on halves, which cannot overflow for finite inputs
            share = (value * 0.5 - self.baseline * 0.5) / (self.target * 0.5 - self.baseline * 0.5)
        return min(1.0, max(0.0, share))


@attrs.frozen
class Promise:
    """Who promised what, when, by when, and how much it matters."""

    id: str = attrs.field(metadata=field_facts("id", repeats=True))
    title: str = attrs.field(metadata=field_facts("str", "A short title.", nonempty=True))
    text: str | None = attrs.field(
        default=None, metadata=field_facts("str", "The promise in the maker's words.")
    )
    category: str | None = attrs.field(
        default=None,
        metadata=field_facts("id", "A category id (default: uncategorized).", repeats=True),
    )
    weight: float = attrs.field(
        default=1.0,
        converter=_float,
        metadata=field_facts("number", "Its weight (default 1).", ref="weight"),
    )
    made_by: str | None = attrs.field(
        default=None, metadata=field_facts("str", "Who made it.", repeats=True)
    )
    made_on: Date | None = attrs.field(
        default=None, metadata=field_facts("date", "When it was made.")
    )
    source: Source | None = attrs.field(
        default=None, metadata=field_facts("source", "Where it was made.")
    )
    deadline: Date | str | None = attrs.field(default=None, metadata=field_facts("deadline"))
    authority: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str", "Who can deliver: e.g. executive, legislature, courts, shared.", repeats=True
        ),
    )
    tags: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple, metadata=field_facts("strs", "Free tags.")
    )
    criteria: tuple[Criterion, ...] = attrs.field(
        default=(),
        converter=_tuple,
        metadata=field_facts("tables:criterion", "Weighted sub-criteria."),
    )
    target: Target | None = attrs.field(default=None, metadata=field_facts("table:target"))
    #: Format 1.2 (a promisescore extension, docs/format.md): a promise about the whole
    #: record (an agenda, "reform the system"), shown as a verdict beside the overall
    #: score and left out of every sum, count and coverage of FORMAT.md §4.3.
    umbrella: bool = attrs.field(
        default=False,
        metadata=field_facts(
            "bool",
            "Format 1.2: a verdict on the whole record, shown beside the overall score and "
            "left out of it (its parts are the other promises).",
            since="1.2",
        ),
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        c = _Checks("promise", self.id if isinstance(self.id, str) else None)
        _check_fields(c, self)
        if self.deadline is not None:
            reason = check_deadline_spec(self.deadline)
            if reason is not None:
                c.add("E206", "deadline", f"invalid deadline of promise {self.id!r}: {reason}")
        seen: set[str] = set()
        for criterion in self.criteria:
            if criterion.id in seen:
                c.add("E202", "criteria", f"duplicate criterion id {criterion.id!r}")
            seen.add(criterion.id)
        if self.criteria and self.target is not None:
            c.add(
                "E211",
                "target",
                f"promise {self.id!r} has both criteria and a target",
                "split it into two promises",
            )
        c.done()

    @property
    def kind(self) -> Literal["plain", "criteria", "target"]:
        if self.criteria:
            return "criteria"
        if self.target is not None:
            return "target"
        return "plain"

    @property
    def category_id(self) -> str:
        return self.category if self.category is not None else UNCATEGORIZED

    def criterion(self, criterion_id: str) -> Criterion | None:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        return None


@attrs.frozen
class Evidence:
    """A dated, sourced fact about a promise."""

    id: str = attrs.field(metadata=field_facts("id", repeats=True))
    promise: str = attrs.field(metadata=field_facts("id", "The promise it is about.", repeats=True))
    date: Date = attrs.field(metadata=field_facts("date", "When it happened or was reported."))
    summary: str = attrs.field(metadata=field_facts("str", "What happened.", nonempty=True))
    source: Source = attrs.field(metadata=field_facts("source"))
    criterion: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "id", "The criterion of that promise it is about.", after="promise", repeats=True
        ),
    )
    quote: str | None = attrs.field(
        default=None, metadata=field_facts("str", "The words in the source.")
    )
    effect: Effect = attrs.field(
        default="advances",
        metadata=field_facts(
            "str", "What it does to the promise (default advances).", choices=EFFECTS, repeats=True
        ),
    )
    value: float | None = attrs.field(
        default=None,
        converter=_opt_float,
        metadata=field_facts("number", "The observed metric, for target promises."),
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        valid_id = ID_PATTERN.fullmatch
        if (  # the common case, all valid, checked at once (the checks below say what is wrong)
            type(self.id) is str
            and valid_id(self.id)
            and type(self.promise) is str
            and valid_id(self.promise)
            and (
                self.criterion is None or (type(self.criterion) is str and valid_id(self.criterion))
            )
            and type(self.date) is date
            and type(self.summary) is str
            and self.summary.strip()
            and type(self.source) is Source
            and (self.quote is None or type(self.quote) is str)
            and self.effect in EFFECTS
            and (self.value is None or (type(self.value) is float and math.isfinite(self.value)))
        ):
            return
        c = _Checks("evidence", self.id if isinstance(self.id, str) else None)
        _check_fields(c, self)
        if not isinstance(self.source, Source):
            c.add("E102", "source", f"evidence {self.id!r} needs a source")
        if self.value is not None and not _is_finite_number(self.value):
            c.add("E204", "value", f"value of evidence {self.id!r} must be a finite number")
        c.done()


@attrs.frozen
class Assessment:
    """An assessor's rating of a promise (or one of its criteria) on a date."""

    promise: str = attrs.field(metadata=field_facts("id", "The promise rated.", repeats=True))
    date: Date = attrs.field(metadata=field_facts("date", "When the rating was made."))
    rating: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "id", "A level id of the scale (not with the percent scale).", repeats=True
        ),
    )
    value: float | None = attrs.field(
        default=None,
        converter=_opt_float,
        metadata=field_facts("number", "Fulfillment in [0, 1] (percent scale only).", ref="unit"),
    )
    criterion: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "id",
            "The criterion rated (required when the promise has criteria).",
            after="promise",
            repeats=True,
        ),
    )
    by: str = attrs.field(
        default="default",
        metadata=field_facts(
            "str",
            "The assessor (default 'default').",
            nonempty=True,
            after="criterion",
            repeats=True,
        ),
    )
    evidence: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple,
        metadata=field_facts("ids", "Ids of the evidence it rests on."),
    )
    note: str | None = attrs.field(default=None, metadata=field_facts("str", "Why."))
    meta: Mapping[str, Any] = _meta_field()
    #: From when the rated standing held (format 1.1; ``None``: from ``date``).
    effective: Date | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts(
            "date",
            "Format 1.1: the day from which the rated standing held (≤ date; default: date). "
            "Used by the late rule.",
            since="1.1",
            after="date",
            hint="give the date (YYYY-MM-DD) from which the rated standing held, "
            "no later than the assessment's date",
        ),
    )
    #: Format 1.2 (FORMAT.md §8.7): who wrote the update, its headline and its link.
    author: str | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts(
            "str", "Format 1.2: who wrote the update.", since="1.2", after="note", repeats=True
        ),
    )
    headline: str | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts(
            "str",
            "Format 1.2: the update's headline (a feed entry's title).",
            since="1.2",
            after="author",
        ),
    )
    url: str | None = attrs.field(
        default=None,
        kw_only=True,
        metadata=field_facts(
            "str",
            "Format 1.2: the update's web address (http or https; a feed entry's link).",
            since="1.2",
            after="headline",
            schema={"pattern": "^https?://"},
            hint='an http(s) address, e.g. url = "https://example.org/2025/update"',
        ),
    )

    def __attrs_post_init__(self) -> None:
        valid_id = ID_PATTERN.fullmatch
        if (  # the common case, all valid, checked at once (the checks below say what is wrong)
            (
                self.effective is None
                or (
                    type(self.effective) is date
                    and type(self.date) is date
                    and self.effective <= self.date
                )
            )
            and type(self.promise) is str
            and valid_id(self.promise)
            and (
                self.criterion is None or (type(self.criterion) is str and valid_id(self.criterion))
            )
            and type(self.date) is date
            and (self.rating is None or (type(self.rating) is str and valid_id(self.rating)))
            and (
                self.value is None
                or (type(self.value) is float and 0.0 <= self.value <= 1.0)  # NaN fails too
            )
            and type(self.by) is str
            and self.by.strip()
            and all(type(ref) is str and valid_id(ref) for ref in self.evidence)
            and (self.note is None or type(self.note) is str)
            and (self.author is None or type(self.author) is str)
            and (self.headline is None or type(self.headline) is str)
            and (
                self.url is None
                or (type(self.url) is str and self.url.startswith(("http://", "https://")))
            )
        ):
            return
        c = _Checks("assessment", None, lambda: self.label)
        _check_fields(c, self)
        if self.url is not None:
            _http_url_ok(c, "url", self.url, f"assessment {self.label}")
        if type(self.effective) is date and type(self.date) is date and self.effective > self.date:
            c.add(
                "E214",
                "effective",
                f"assessment {self.label} is effective from {self.effective}, after its date "
                f"{self.date}",
                "effective is the day the rated standing began; it cannot be later than the "
                "day the rating was written (`date`)",
            )
        c.done()

    @property
    def effective_date(self) -> Date:
        """The day from which the rated standing held: ``effective``, else ``date``."""
        return self.date if self.effective is None else self.effective

    @property
    def label(self) -> str:
        """A readable identity: ``promise[/criterion] by ASSESSOR on DATE``."""
        target = self.promise if self.criterion is None else f"{self.promise}/{self.criterion}"
        return f"{target} by {self.by} on {self.date}"


# --------------------------------------------------------------------------- assessors


@attrs.frozen
class Assessor:
    """Who rates (format 1.1, ``[[assessors]]``): a display name and a role.

    ``role`` is ``self`` (the promise-maker rating its own record), ``independent``
    (fact-checker, auditor, court, researcher, newsroom) or ``advocacy`` (an interest
    group); ``grading.consensus_roles`` decides which roles count in the headline.
    """

    id: str = attrs.field(metadata=field_facts("id", "What assessments name in `by`."))
    name: str = attrs.field(
        metadata=field_facts(
            "str",
            "The display name every report shows.",
            nonempty=True,
            hint='give the display name every report shows, e.g. name = "Example Tribune"',
        )
    )
    role: Role = attrs.field(
        metadata=field_facts(
            "str",
            "self: the promise maker rating its own record; independent: fact-checker, auditor, "
            "court, researcher, newsroom; advocacy: an interest group; desk (format 1.2): the "
            "tracker's own editors, whose verdict is the headline; reviewer (format 1.2): an "
            "internal second read, never counted nor shown to readers.",
            choices=ROLES,
            hint='one of "self", "independent", "advocacy", "desk", "reviewer"',
        )
    )
    url: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str",
            "The assessor's web address (http or https).",
            schema={"pattern": "^https?://"},
            hint='an http(s) address, e.g. url = "https://example.org"',
        ),
    )
    description: str | None = attrs.field(
        default=None,
        metadata=field_facts(
            "str", "Who the assessor is.", hint="a sentence about the assessor, as a string"
        ),
    )
    meta: Mapping[str, Any] = _meta_field()

    def __attrs_post_init__(self) -> None:
        c = _Checks("assessor", self.id if isinstance(self.id, str) else None)
        _check_fields(c, self)
        c.text_ok("url", self.url)
        if isinstance(self.url, str) and not self.url.startswith(("http://", "https://")):
            c.add(
                "E213",
                "url",
                f"url of assessor {self.id!r} must start with http:// or https://, "
                f"not {self.url!r}",
                "give the web address of the assessor's site",
            )
        c.done()

    @classmethod
    def implicit(cls, ident: str) -> Assessor:
        """The assessor a ``by`` names when there is no ``[[assessors]]`` table:
        independent, named by its id."""
        return _implicit_assessor(ident)


def _implicit_assessor(ident: str) -> Assessor:
    # built without checks: ``by`` may be any non-empty string in format 1
    assessor = object.__new__(Assessor)
    object.__setattr__(assessor, "id", ident)
    object.__setattr__(assessor, "name", ident)
    object.__setattr__(assessor, "role", "independent")
    object.__setattr__(assessor, "url", None)
    object.__setattr__(assessor, "description", None)
    object.__setattr__(assessor, "meta", EMPTY_META)
    return assessor
