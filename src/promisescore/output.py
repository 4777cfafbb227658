"""Deprecated: renamed :mod:`promisescore.safe_write` (atomic writes that refuse inputs).

Importing this module warns (:class:`DeprecationWarning`) and re-exports the public
names of :mod:`promisescore.safe_write`; it will be removed in a later release.
"""

from __future__ import annotations

import warnings

from .safe_write import (
    OutputError,
    append_text,
    refuse_inputs,
    write_all_atomic,
    write_atomic,
    write_new,
)

warnings.warn(
    "promisescore.output is deprecated; import promisescore.safe_write instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = [
    "OutputError",
    "append_text",
    "refuse_inputs",
    "write_all_atomic",
    "write_atomic",
    "write_new",
]
