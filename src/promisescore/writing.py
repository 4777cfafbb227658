"""Deprecated: renamed :mod:`promisescore.serialize` (rubric → TOML/JSON text).

Importing this module warns (:class:`DeprecationWarning`) and re-exports the names of
:mod:`promisescore.serialize`; it will be removed in a later release.
"""

from __future__ import annotations

import warnings

from .serialize import dump, dumps, table_data, table_lines, to_data, to_toml

warnings.warn(
    "promisescore.writing is deprecated; import promisescore.serialize instead",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["dump", "dumps", "table_data", "table_lines", "to_data", "to_toml"]
