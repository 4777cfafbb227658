"""Quality gates for CI: fail a build when scores fall below thresholds.

A gate compares a :class:`~promisescore.scoring.Scorecard` with a threshold and says
whether it passed, with a message that shows enough digits to see why (FORMAT.md §4.3:
comparisons use the unrounded score, "0.6966 < 0.7", never "70% < 70%").

The gates:

- ``fail-under``: the overall score must be ≥ ``fail_under``;
- ``fail-under-category``: each listed category's score must be ≥ its threshold;
- ``min-coverage``: coverage must be ≥ ``min_coverage``;
- ``baseline``: the overall score must not drop by more than ``max_drop`` below a saved
  ``promisescore score --format json`` (the *baseline*), and
  ``baseline-final``: no promise that stood at a final level in the baseline may fall
  below it (or leave the scorecard);
- ``strict``: no warnings.

Settings come from the command line and from ``[tool.promisescore]`` in the nearest
``pyproject.toml`` (:func:`load_settings`). Nothing here knows about Click.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .errors import Problem, PromisescoreError
from .model.parts import ID_PATTERN
from .scoring.scorecard import SCHEMA_VERSION, SCHEMA_VERSION_11, PromiseScore, Scorecard
from .suggest import close_matches, did_you_mean

if TYPE_CHECKING:
    from .loading import CheckResult

#: Differences of overall scores smaller than this are floating-point noise, not a drop.
EPSILON = 1e-12


class SettingsError(PromisescoreError, ValueError):
    """A gate setting is invalid (bad value, unknown key, unreadable baseline): exit 2."""


# --------------------------------------------------------------------------- settings


def check_unit(name: str, value: object) -> float:
    """``value`` as a float in [0, 1]; raise :class:`SettingsError` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(f"{name} must be a number between 0 and 1, not {as_toml(value)}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        hint = ""
        if math.isfinite(number) and 1.0 < number <= 100.0:
            hint = f" (scores are fractions, not percentages: {number:g}% is {number / 100:g})"
        raise SettingsError(f"{name} must be between 0 and 1, not {as_toml(value)}{hint}")
    return number


def as_toml(value: object) -> str:
    """A setting's value as it would be written in TOML (``"yes"``, ``true``,
    ``2021-01-20``, ``[1, 2]``), not as a Python repr; a huge number by its size."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else f"a {value.bit_length()}-bit number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(_elided(value), ensure_ascii=False)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list):
        return (
            "["
            + ", ".join(as_toml(item) for item in value[:10])
            + (", …]" if len(value) > 10 else "]")
        )
    if isinstance(value, dict):
        items = list(value.items())[:10]
        body = ", ".join(f"{key} = {as_toml(item)}" for key, item in items)
        return "{ " + body + (", … }" if len(value) > 10 else " }")
    return type(value).__name__


def _elided(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_unit(name: str, text: str) -> float:
    """Parse a command-line threshold such as ``0.7``."""
    try:
        number = float(text.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a number between 0 and 1, not {text!r}") from None
    return check_unit(name, number)


def parse_category_threshold(text: str) -> tuple[str, float]:
    """Parse ``ID=SCORE`` (``--fail-under-category asylum=0.5``)."""
    ident, sep, raw = text.partition("=")
    ident = ident.strip()
    if not sep or not ident or not raw.strip():
        raise SettingsError(f"expected ID=SCORE (e.g. asylum=0.5), not {text!r}")
    if ID_PATTERN.fullmatch(ident) is None:
        raise SettingsError(f"{ident!r} is not a valid category id")
    return ident, parse_unit(f"the threshold of category {ident!r}", raw)


def _category_map(value: Any) -> dict[str, float]:
    if value is None:
        return {}
    items = value.items() if isinstance(value, Mapping) else value
    result: dict[str, float] = {}
    for ident, score in items:
        if not isinstance(ident, str) or ID_PATTERN.fullmatch(ident) is None:
            raise SettingsError(f"{ident!r} is not a valid category id")
        result[ident] = check_unit(f"the threshold of category {ident!r}", score)
    return result


def _fail_under(value: Any) -> float | None:
    return None if value is None else check_unit("fail-under", value)


def _min_coverage(value: Any) -> float | None:
    return None if value is None else check_unit("min-coverage", value)


def _max_drop(value: Any) -> float:
    return check_unit("max-drop", value)


@attrs.frozen
class GateSettings:
    """Which gates to apply, and their thresholds. ``None`` leaves a gate off."""

    fail_under: float | None = attrs.field(default=None, converter=_fail_under)
    fail_under_category: Mapping[str, float] = attrs.field(
        factory=dict, converter=_category_map, hash=False
    )
    min_coverage: float | None = attrs.field(default=None, converter=_min_coverage)
    #: Path of a saved ``promisescore score --format json``.
    baseline: str | None = None
    max_drop: float = attrs.field(default=0.0, converter=_max_drop)
    strict: bool = False
    #: The ``pyproject.toml`` these settings were read from (not part of equality).
    origin: str | None = attrs.field(default=None, eq=False, kw_only=True)

    @property
    def needs_score(self) -> bool:
        """True when some gate compares scores (so the rubric must be scored)."""
        return (
            self.fail_under is not None
            or bool(self.fail_under_category)
            or self.min_coverage is not None
            or self.baseline is not None
        )

    @property
    def active(self) -> bool:
        return self.needs_score or self.strict

    def override(
        self,
        *,
        fail_under: float | None = None,
        fail_under_category: Iterable[tuple[str, float]] = (),
        min_coverage: float | None = None,
        baseline: str | None = None,
        max_drop: float | None = None,
        strict: bool | None = None,
    ) -> GateSettings:
        """These settings with every given (non-``None``) value replacing the current one.

        Category thresholds are merged: an id given here replaces that id's threshold.
        """
        categories = dict(self.fail_under_category)
        categories.update(dict(fail_under_category))
        return attrs.evolve(
            self,
            fail_under=self.fail_under if fail_under is None else fail_under,
            fail_under_category=categories,
            min_coverage=self.min_coverage if min_coverage is None else min_coverage,
            baseline=self.baseline if baseline is None else baseline,
            max_drop=self.max_drop if max_drop is None else max_drop,
            strict=self.strict if strict is None else strict,
        )


#: The keys of ``[tool.promisescore]`` and what each holds (docs/reference/config.md).
SETTINGS_KEYS: dict[str, str] = {
    "fail_under": "number in [0, 1]: the overall score must be at least this",
    "fail_under_category": "table of category id = number in [0, 1]",
    "min_coverage": "number in [0, 1]: the share of promise weight that is rated",
    "baseline": "path (relative to pyproject.toml) of a saved `score --format json`",
    "max_drop": "number in [0, 1]: how far the overall score may drop below the baseline",
    "strict": "true or false: warnings fail `check` and `report`",
}


def find_pyproject(start: str | os.PathLike[str] = ".") -> Path | None:
    """The ``pyproject.toml`` whose ``[tool.promisescore]`` table applies in ``start``.

    The search walks up from ``start``, as black does: a ``pyproject.toml`` without a
    ``[tool.promisescore]`` table is skipped, and the search stops at the first one that
    has the table, or at the repository root (a directory holding ``.git``), after
    looking there. A ``pyproject.toml`` that cannot be read or is not valid TOML stops
    the search too (``load_settings`` then reports it), since it may hold the table.
    """
    here = Path(os.path.realpath(start))
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        try:
            if candidate.is_file() and _has_table(candidate):
                return candidate
            if (directory / ".git").exists():
                return None
        except OSError:  # a directory we may not look into
            continue
    return None


def _has_table(path: Path) -> bool:
    """Whether ``path`` has a ``[tool.promisescore]`` table (``True`` when unreadable)."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "promisescore" in tool


def config_start(files: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Where the search for ``[tool.promisescore]`` starts for these rubric files.

    As black and ruff do: the directory of the rubric, or the deepest directory that
    holds all of them when there are several; the current directory when no file is
    named (or only ``-``, standard input).
    """
    directories = [
        os.path.dirname(os.path.realpath(name)) for name in files if os.fspath(name) != "-"
    ]
    if not directories:
        return Path(os.path.realpath(os.getcwd()))
    return Path(os.path.commonpath(directories))


def load_settings(
    start_dir: str | os.PathLike[str] = ".",
    *,
    config: str | os.PathLike[str] | None = None,
    isolated: bool = False,
) -> GateSettings:
    """Gate settings from the ``[tool.promisescore]`` table that applies in ``start_dir``.

    The table is found by :func:`find_pyproject`: the nearest ``pyproject.toml`` that has
    it, looking no higher than the repository root (``.git``); with none, every gate is
    off. ``start_dir`` is where the search starts: the command line starts it in the
    rubric's directory (:func:`config_start`). ``config`` names the file to read instead
    (any TOML file; its ``[tool.promisescore]`` table, none meaning every gate off), and
    ``isolated=True`` reads no file at all (every gate off), as ruff's ``--config`` and
    ``--isolated`` do; the two cannot be combined. Raises :class:`SettingsError` for a
    missing or unreadable file, an unknown key or a bad value, naming the file and line.
    """
    if isolated:
        if config is not None:
            raise SettingsError("a config file and isolated (no config file) contradict")
        return GateSettings()
    if config is not None:
        path = Path(config)
        if not path.exists():
            raise SettingsError(f"{os.fspath(config)}: no such config file")
        if path.is_dir():
            raise SettingsError(
                f"{os.fspath(config)}: is a directory; name the pyproject.toml (or other "
                "TOML file) that holds [tool.promisescore]"
            )
        return _read_settings(path, os.fspath(config))
    found = find_pyproject(start_dir)
    if found is None:
        return GateSettings()
    return _read_settings(found, _display(found))


def _read_settings(path: Path, name: str) -> GateSettings:
    """The settings of the ``[tool.promisescore]`` table of the TOML file ``path``."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{name}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{name}: invalid TOML: {exc}") from None
    tool = data.get("tool")
    table = tool.get("promisescore") if isinstance(tool, dict) else None
    if table is None:
        return GateSettings(origin=name)
    return settings_from_table(table, name, text=text, base=path.parent)


def settings_from_table(
    table: Any,
    name: str = "pyproject.toml",
    *,
    text: str | None = None,
    base: Path | None = None,
) -> GateSettings:
    """Gate settings from a ``[tool.promisescore]`` table (``name`` is used in messages)."""

    def where(*key: str) -> str:
        line = _line(text, ("tool", "promisescore", *key))
        return f"{name}:{line}" if line is not None else name

    if not isinstance(table, dict):
        raise SettingsError(f"{where()}: [tool.promisescore] must be a table")
    for key in table:
        if key not in SETTINGS_KEYS:
            hint = did_you_mean(str(key), SETTINGS_KEYS) or "known keys: " + ", ".join(
                SETTINGS_KEYS
            )
            raise SettingsError(
                f"{where(key)}: unknown key {key!r} in [tool.promisescore] — {hint}"
            )
    values: dict[str, Any] = {}
    for key, raw in table.items():
        try:
            values[key] = _setting(key, raw, base)
        except SettingsError as exc:
            raise SettingsError(f"{where(key)}: {exc}") from None
    return GateSettings(**values, origin=name)


def _setting(key: str, raw: Any, base: Path | None) -> Any:
    if key in ("fail_under", "min_coverage", "max_drop"):
        return check_unit(key, raw)
    if key == "fail_under_category":
        if not isinstance(raw, dict):
            raise SettingsError(
                "fail_under_category must be a table of category id = score, "
                "e.g. fail_under_category = { asylum = 0.5 }"
            )
        return _category_map(raw)
    if key == "strict":
        if not isinstance(raw, bool):
            raise SettingsError(f"strict must be true or false, not {as_toml(raw)}")
        return raw
    if not isinstance(raw, str) or not raw:  # baseline
        raise SettingsError(f"baseline must be a path, not {as_toml(raw)}")
    return _relative(base / raw if base is not None else Path(raw))


def _line(text: str | None, path: tuple[str, ...]) -> int | None:
    if text is None:
        return None
    from .loading.locate import find_line, line_index

    return find_line(line_index(text, "toml"), path)


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _display(path: Path) -> str:
    rel = _relative(path)
    return rel if not rel.startswith("..") else str(path)


# --------------------------------------------------------------------------- baseline


@attrs.frozen
class BaselinePromise:
    id: str
    rating: str | None
    fulfillment: float | None
    #: Stood at a final level (or, without a rating, at fulfillment 1).
    final: bool


@attrs.frozen
class Baseline:
    """What the gates need from a saved ``promisescore score --format json``."""

    name: str
    title: str | None
    as_of: str | None
    score: float | None
    promises: tuple[BaselinePromise, ...]


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file; raise :class:`SettingsError` if it is unreadable or not one."""
    from .loading.files import max_file_bytes

    name = str(path)
    limit = max_file_bytes()
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SettingsError(f"baseline {name}: no such file") from None
    except OSError as exc:
        raise SettingsError(f"baseline {name}: cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SettingsError(f"baseline {name}: is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise SettingsError(
                f"baseline {name}: is not a regular file (a FIFO, socket or device?)"
            )
        if info.st_size > limit:
            raise SettingsError(
                f"baseline {name}: is {info.st_size:,} bytes, over the limit of {limit:,} "
                "(set PROMISESCORE_MAX_FILE_BYTES to raise it)"
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise SettingsError(f"baseline {name}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = exc if not isinstance(exc, RecursionError) else "nested too deeply"
        raise SettingsError(
            f"baseline {name} is not JSON ({reason}); save one with "
            f"`promisescore score FILE --format json > {_save_hint(name)}`"
        ) from None
    return parse_baseline(data, name)


def _save_hint(name: str) -> str:
    """Where the hint suggests saving a baseline: ``name`` only when it is a plain
    relative ``.json`` path (a hostile pyproject's ``../../etc/passwd`` is not repeated)."""
    path = Path(name)
    plain = re.fullmatch(r"[A-Za-z0-9._/-]+", name) is not None
    if plain and not path.is_absolute() and ".." not in path.parts and path.suffix == ".json":
        return name
    return "baseline.json"


def parse_baseline(data: Any, name: str = "<baseline>") -> Baseline:
    """Check and read the parts of a ``score --format json`` document the gates use."""

    def bad(what: str) -> SettingsError:
        return SettingsError(
            f"baseline {name} is not the output of `promisescore score --format json`: {what}"
        )

    if not isinstance(data, dict):
        raise bad("the top level is not an object")
    version = data.get("schema_version")
    if version not in (SCHEMA_VERSION, SCHEMA_VERSION_11) or isinstance(version, bool):
        raise bad(
            f"schema_version is {version!r}, expected {SCHEMA_VERSION} "
            f"(or {SCHEMA_VERSION_11} for a format 1.1 rubric)"
        )
    overall = data.get("overall")
    if not isinstance(overall, dict) or "score" not in overall:
        raise bad("no overall.score")
    score = _opt_number(overall["score"], "overall.score", bad)
    finals: dict[str, bool] | None = None
    scale = data.get("scale")
    if isinstance(scale, dict) and isinstance(scale.get("levels"), list):
        finals = {
            str(level.get("id")): level.get("final") is True
            for level in scale["levels"]
            if isinstance(level, dict)
        }
    raw_promises = data.get("promises")
    if not isinstance(raw_promises, list):
        raise bad("no promises list")
    promises: list[BaselinePromise] = []
    for index, item in enumerate(raw_promises):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise bad(f"promises[{index}] has no id")
        rating = item.get("rating")
        if rating is not None and not isinstance(rating, str):
            raise bad(f"promises[{index}].rating is not a string")
        fulfillment = _opt_number(item.get("fulfillment"), f"promises[{index}].fulfillment", bad)
        if rating is not None:
            final = finals.get(rating, False) if finals is not None else False
        else:
            final = fulfillment is not None and fulfillment >= 1.0
        promises.append(BaselinePromise(item["id"], rating, fulfillment, final))
    title = data.get("title")
    as_of = data.get("as_of")
    return Baseline(
        name,
        title if isinstance(title, str) else None,
        as_of if isinstance(as_of, str) else None,
        score,
        tuple(promises),
    )


def _opt_number(value: Any, what: str, bad: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise bad(f"{what} is not a number")
    return float(value)


# --------------------------------------------------------------------------- evaluation


@attrs.frozen
class GateResult:
    """The outcome of one gate."""

    #: ``fail-under``, ``fail-under-category``, ``min-coverage``, ``baseline``,
    #: ``baseline-final`` or ``strict``.
    gate: str
    passed: bool
    actual: float | None
    threshold: float | None
    message: str
    #: The category or promise the gate is about, if any.
    subject: str | None = None

    @property
    def name(self) -> str:
        """``gate`` with its subject: ``fail-under-category:asylum``."""
        return self.gate if self.subject is None else f"{self.gate}:{self.subject}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "subject": self.subject,
            "passed": self.passed,
            "actual": self.actual,
            "threshold": self.threshold,
            "message": self.message,
        }


def shown(actual: float, threshold: float) -> tuple[str, str]:
    """``actual`` and ``threshold`` as text that makes their order visible.

    The threshold is shown as written (its shortest form); ``actual`` with the fewest
    decimals, at least 4 significant digits, such that the shown numbers compare the
    way the real ones do: ``0.6966`` vs ``0.7``, and ``0.69996`` (not ``0.7000``) vs ``0.7``.
    """
    short = _short(threshold)
    want = (actual > threshold) - (actual < threshold)
    limit = Decimal(short)
    for places in range(_decimals(actual), 18):
        text = _fixed(actual, places)
        value = Decimal(text)
        if (value > limit) - (value < limit) == want:
            return text, short
    return repr(actual), short


def _pair(a: float, b: float) -> tuple[str, str]:
    """Two computed numbers with the same decimals, enough to show how they compare."""
    want = (a > b) - (a < b)
    for places in range(max(_decimals(a), _decimals(b)), 18):
        x, y = Decimal(_fixed(a, places)), Decimal(_fixed(b, places))
        if (x > y) - (x < y) == want:
            return _fixed(a, places), _fixed(b, places)
    return repr(a), repr(b)


def _decimals(value: float) -> int:
    """Decimals that give ``value`` at least 4 significant digits (at least 2)."""
    if value == 0:
        return 4
    exponent = math.floor(math.log10(abs(value)))
    return max(2, 3 - exponent)


def _fixed(value: float, places: int) -> str:
    return f"{value:.{places}f}"


def _short(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def evaluate(
    card: Scorecard,
    settings: GateSettings,
    baseline: Baseline | None = None,
    warnings: Sequence[Problem] = (),
) -> tuple[GateResult, ...]:
    """Apply every gate that ``settings`` turns on to ``card``; results in a fixed order.

    ``warnings`` are the rubric's warnings (for ``strict``). Category thresholds for ids
    the scorecard does not have are skipped here (see :func:`unknown_categories`).
    """
    results: list[GateResult] = []
    overall = card.overall
    if settings.fail_under is not None:
        results.append(_at_least("fail-under", "overall score", overall.score, settings.fail_under))
    for ident, threshold in sorted(settings.fail_under_category.items()):
        category = next((c for c in card.categories if c.id == ident), None)
        if category is None:
            continue
        results.append(
            _at_least(
                "fail-under-category",
                f"category {ident!r} score",
                category.score,
                threshold,
                subject=ident,
            )
        )
    if settings.min_coverage is not None:
        results.append(
            _at_least("min-coverage", "coverage", overall.coverage, settings.min_coverage)
        )
    if baseline is not None:
        results += _baseline_gates(card, baseline, settings.max_drop)
    results += strict_gate(settings, warnings)
    return tuple(results)


def strict_gate(settings: GateSettings, warnings: Sequence[Problem]) -> tuple[GateResult, ...]:
    """The ``strict`` gate alone (it needs no scorecard): no warnings allowed."""
    if not settings.strict:
        return ()
    count = len(warnings)
    message = (
        "no warnings"
        if count == 0
        else f"{count} warning{'s' if count != 1 else ''}, and strict mode makes warnings fail"
    )
    return (GateResult("strict", count == 0, float(count), 0.0, message),)


def gate_checks(
    results: Sequence[CheckResult],
    settings: GateSettings,
    baseline: Baseline | None = None,
    *,
    scorecards: bool = False,
) -> tuple[dict[str, tuple[GateResult, ...]], dict[str, Scorecard]]:
    """The gates of each file ``check`` looked at, keyed by file name.

    A valid rubric is scored when a gate needs its score (or when ``scorecards`` asks for
    the scorecards anyway, e.g. for a CI job summary) and gets every gate; an invalid one
    gets only ``strict``. Returns the gates and the scorecards computed.
    """
    from .scoring import score

    wanted = scorecards or settings.needs_score
    cards = {r.file: score(r.rubric) for r in results if r.rubric is not None and wanted}
    gates: dict[str, tuple[GateResult, ...]] = {}
    for result in results:
        if result.rubric is not None and settings.needs_score:
            gates[result.file] = evaluate(cards[result.file], settings, baseline, result.warnings)
        else:
            gates[result.file] = strict_gate(settings, result.warnings)
    return gates, cards


def unknown_categories(settings: GateSettings, cards: Iterable[Scorecard]) -> list[str]:
    """Messages for ``fail_under_category`` ids that none of ``cards`` has."""
    known = sorted({c.id for card in cards for c in card.categories})
    messages = []
    for ident in sorted(settings.fail_under_category):
        if ident not in known:
            near = close_matches(ident, known)
            text = f"unknown category {ident!r} in fail-under-category"
            if near:
                text += " — did you mean " + ", ".join(repr(n) for n in near) + "?"
            elif known:
                text += " — categories: " + ", ".join(known)
            messages.append(text)
    return messages


def _at_least(
    gate: str, what: str, actual: float | None, threshold: float, subject: str | None = None
) -> GateResult:
    label = gate
    if actual is None:
        return GateResult(
            gate,
            False,
            None,
            threshold,
            f"{what}: none (no promise is rated), so {label} {_short(threshold)} cannot pass",
            subject,
        )
    a, t = shown(actual, threshold)
    passed = actual >= threshold
    sign = "≥" if passed else "<"
    return GateResult(gate, passed, actual, threshold, f"{what} {a} {sign} {label} {t}", subject)


def _baseline_gates(card: Scorecard, baseline: Baseline, max_drop: float) -> list[GateResult]:
    results: list[GateResult] = []
    before, now = baseline.score, card.overall.score
    where = f"baseline {baseline.name}"
    if before is None:
        results.append(GateResult("baseline", True, now, None, f"the {where} has no overall score"))
    elif now is None:
        results.append(
            GateResult(
                "baseline",
                False,
                None,
                before,
                f"overall score: none now, {_fixed(before, _decimals(before))} in the {where}",
            )
        )
    else:
        drop = before - now
        passed = drop <= max_drop + EPSILON
        if drop > EPSILON:
            b, n = _pair(before, now)
            d, m = shown(drop, max_drop)
            verb = "within" if passed else "more than"
            text = f"overall score dropped by {d} ({b} → {n}), {verb} max-drop {m} ({where})"
        elif drop < -EPSILON:
            n, b = _pair(now, before)
            text = f"overall score {n}, up from {b} in the {where}"
        else:
            text = f"overall score {_fixed(now, _decimals(now))}, unchanged from the {where}"
        results.append(GateResult("baseline", passed, now, before - max_drop, text))

    ranks = {level.id: rank for rank, level in enumerate(card.scale.levels)}
    current = {p.id: p for p in card.promises}
    checked = 0
    for old in baseline.promises:
        if not old.final:
            continue
        checked += 1
        reason = _fall(old, current.get(old.id), ranks)
        if reason is not None:
            results.append(
                GateResult(
                    "baseline-final",
                    False,
                    _value(current.get(old.id)),
                    old.fulfillment,
                    f"promise {old.id!r} {reason}",
                    old.id,
                )
            )
    if not any(r.gate == "baseline-final" for r in results):
        results.append(
            GateResult(
                "baseline-final",
                True,
                None,
                None,
                f"no promise fell from a final level ({checked} final in the {where})",
            )
        )
    return results


def _value(item: PromiseScore | None) -> float | None:
    return item.fulfillment if item is not None else None


def _was(old: BaselinePromise) -> str:
    if old.rating is not None:
        return f"{old.rating!r} (a final level)"
    return "fulfillment 1"


def _fall(old: BaselinePromise, new: PromiseScore | None, ranks: Mapping[str, int]) -> str | None:
    """Why ``old`` (final in the baseline) counts as fallen, or ``None``."""
    if new is None:
        return f"stood at {_was(old)} in the baseline and is no longer scored"
    if old.rating is None or new.rating is None:
        if old.rating is None and new.fulfillment is not None and new.fulfillment >= 1.0:
            return None
        now = "unrated" if not new.rated else f"fulfillment {_short(new.fulfillment or 0.0)}"
        if new.rating is not None:
            now = repr(new.rating)
        return f"fell from {_was(old)} in the baseline to {now}"
    if old.rating not in ranks:
        return f"stood at {_was(old)} in the baseline, a level the scale no longer has"
    if ranks.get(new.rating, -1) < ranks[old.rating]:
        return f"fell from {_was(old)} in the baseline to {new.rating!r}"
    return None
