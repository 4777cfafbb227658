"""Gate options shared by ``check`` and ``report``, and their helpers.

Gate settings come from ``[tool.promisescore]`` in the nearest ``pyproject.toml`` that has
that table, searched from the rubric's directory (or from ``--config FILE``; none with
``--isolated``), and from the command line, which wins (docs/ci.md,
docs/reference/config.md). Invalid settings are usage
errors (exit 2); a failed gate is a finding (exit 1).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from .common import EXIT_FINDINGS, EXIT_USAGE, fail

if TYPE_CHECKING:
    from ..gates import Baseline, GateResult, GateSettings
    from ..scoring import Scorecard


class UnitParam(click.ParamType):  # type: ignore[type-arg]
    """A score, coverage or drop: a number in [0, 1]."""

    name = "SCORE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        from ..gates import SettingsError, parse_unit

        try:
            return parse_unit("the value", str(value))
        except SettingsError as exc:
            self.fail(str(exc), param, ctx)


class CategoryThresholdParam(click.ParamType):  # type: ignore[type-arg]
    """``ID=SCORE``."""

    name = "ID=SCORE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, float]:
        if isinstance(value, tuple):
            return value
        from ..gates import SettingsError, parse_category_threshold

        try:
            return parse_category_threshold(str(value))
        except SettingsError as exc:
            self.fail(str(exc), param, ctx)


UNIT = UnitParam()
CATEGORY_THRESHOLD = CategoryThresholdParam()

_GATE_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option(
        "--fail-under",
        type=UNIT,
        help="Gate: fail (exit 1) when the overall score is below SCORE (0–1).",
    ),
    click.option(
        "--fail-under-category",
        "fail_under_category",
        type=CATEGORY_THRESHOLD,
        multiple=True,
        help="Gate: fail when category ID scores below SCORE (repeatable).",
    ),
    click.option(
        "--min-coverage",
        type=UNIT,
        metavar="C",
        help="Gate: fail when less than C (0–1) of the promise weight is rated.",
    ),
    click.option(
        "--baseline",
        type=click.Path(dir_okay=False),
        metavar="PREVIOUS.json",
        help="Gate: compare with a saved `score --format json`; fail when the overall "
        "score drops by more than --max-drop, or a promise falls from a final level.",
    ),
    click.option(
        "--max-drop",
        type=UNIT,
        metavar="D",
        help="How far the overall score may drop below --baseline (default 0).",
    ),
    click.option(
        "--strict/--no-strict",
        default=None,
        help="Warnings fail too (exit 1). Default: `strict` in pyproject.toml, else off.",
    ),
    click.option(
        "--config",
        "config",
        type=click.Path(),
        metavar="FILE",
        help="Read [tool.promisescore] from FILE instead of the nearest pyproject.toml "
        "(found from the rubric's directory up).",
    ),
    click.option(
        "--isolated",
        is_flag=True,
        help="Ignore all configuration files (only the options given here apply).",
    ),
)

GATE_PARAMS = (
    "fail_under",
    "fail_under_category",
    "min_coverage",
    "baseline",
    "max_drop",
    "strict",
)


def gate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the gate options and ``--config FILE`` / ``--isolated``; the command receives
    one ``settings: GateSettings``.

    Settings from ``[tool.promisescore]`` are read first and the options given on the
    command line override them. The table is that of ``--config FILE``, else of the
    nearest ``pyproject.toml`` that has one, searched from the directory of the rubric
    (the command's ``file`` argument, or the directory holding all of its ``files``)
    upwards; ``--isolated`` reads none.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in GATE_PARAMS}
        config, isolated = kwargs.pop("config"), kwargs.pop("isolated")
        rubrics = kwargs.get("files") or ((kwargs["file"],) if "file" in kwargs else ())
        kwargs["settings"] = resolve_settings(
            values, rubrics=rubrics, config=config, isolated=isolated
        )
        return func(*args, **kwargs)

    command: Callable[..., Any] = wrapper
    for option in reversed(_GATE_OPTIONS):
        command = option(command)
    return command


def resolve_settings(
    values: Mapping[str, Any],
    *,
    rubrics: Sequence[str] = (),
    config: str | None = None,
    isolated: bool = False,
) -> GateSettings:
    """The ``[tool.promisescore]`` settings overridden by the gate options' ``values``
    (those of :data:`GATE_PARAMS`; exit 2 when they cannot be combined).

    The table is searched from the directory of the ``rubrics`` checked or reported on
    (:func:`~promisescore.gates.config_start`), or read from ``config``; ``isolated``
    reads none. ``--config`` with ``--isolated`` is a usage error.
    """
    from ..gates import SettingsError, config_start, load_settings

    if config is not None and isolated:
        raise click.UsageError(
            "--config and --isolated contradict: --config FILE reads that file, "
            "--isolated reads none; give one of them"
        )
    try:
        found = load_settings(config_start(rubrics), config=config, isolated=isolated)
        settings = found.override(**values)
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)
    if values.get("max_drop") is not None and settings.baseline is None:
        fail(
            "--max-drop limits the drop from a baseline, but no baseline is given; "
            "add --baseline PREVIOUS.json (or baseline in [tool.promisescore])",
            EXIT_USAGE,
        )
    return settings


def read_baseline(settings: GateSettings) -> Baseline | None:
    """The baseline named by the settings (exit 2 when it cannot be read)."""
    if settings.baseline is None:
        return None
    from ..gates import SettingsError, load_baseline

    try:
        return load_baseline(settings.baseline)
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)


def require_categories(settings: GateSettings, cards: Sequence[Scorecard]) -> None:
    """Exit 2 when a ``--fail-under-category`` id is in none of the scorecards."""
    from ..gates import unknown_categories

    messages = unknown_categories(settings, cards)
    if messages:
        for message in messages[:-1]:
            click.echo(f"error: {message}", err=True)
        fail(messages[-1], EXIT_USAGE)


def exit_for_gates(results: Iterable[GateResult]) -> None:
    if any(not r.passed for r in results):
        raise SystemExit(EXIT_FINDINGS)
