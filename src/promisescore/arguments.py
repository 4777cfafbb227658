"""Checking the arguments of the public functions: a wrong type is a ``TypeError`` and a
value out of range a ``ValueError``, each naming the argument, rather than an
``AttributeError`` from deep inside (``loads(None)``)."""

from __future__ import annotations

from typing import Any


def _names(kinds: type | tuple[type, ...]) -> str:
    items = kinds if isinstance(kinds, tuple) else (kinds,)
    names = ["None" if k is type(None) else k.__name__ for k in items]
    return " or ".join(names)


def require(value: Any, kinds: type | tuple[type, ...], name: str, what: str = "") -> None:
    """Raise ``TypeError`` unless ``value`` is one of ``kinds``; the message names the
    argument ``name`` and what it must be (``what``, else the type names)."""
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _tuple(kinds)):
        raise TypeError(f"{name} must be {what or _names(kinds)}, not {type(value).__name__}")


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def whole_number(value: Any, name: str, low: int, high: int) -> int:
    """``value`` as a whole number in [``low``, ``high``]: ``TypeError`` for another type
    (``True`` too), ``ValueError`` outside the range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
    if not low <= value <= high:
        shown = f"{value:,}" if abs(value) < 10**18 else f"a {len(str(abs(value)))}-digit number"
        raise ValueError(f"{name} must be between {low:,} and {high:,}, not {shown}")
    return value
