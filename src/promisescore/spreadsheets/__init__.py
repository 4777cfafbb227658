"""Rubrics to and from spreadsheets: CSV files, ``settings.toml`` and Excel workbooks.

- :mod:`.base`: the columns of each file (from the model's field table), the texts read,
  :class:`ImportOptions` (the one options object of every import function) and the errors;
- :mod:`.reading`: reading files within bounds (regular files, size, rows and columns);
- :mod:`.importing`: CSV texts to a rubric (:func:`import_csv`, :func:`import_dir`,
  :func:`import_workbook`, :func:`import_from`, :func:`import_tables`);
- :mod:`.exporting`: a rubric to CSV files (:func:`export_csv`, :func:`export_to`);
- :mod:`.xlsx`: workbooks, read and written (:func:`export_workbook`).

Export then import gives an equal rubric, except for what the spreadsheets do not carry
(:func:`not_carried`). Columns are listed in ``docs/import-export.md`` and in
:data:`COLUMNS`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..model import Rubric
from .base import (
    COLUMNS,
    FILE_NAMES,
    SETTINGS_NAME,
    CsvImportError,
    CsvText,
    ImportOptions,
    MissingExtraError,
    ReportInfo,
    columns,
)
from .exporting import (
    ExportResult,
    export_csv,
    export_tables,
    import_command,
    not_carried,
    settings_text,
)
from .importing import import_csv, import_dir, import_from, import_tables, import_workbook
from .reading import MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from .xlsx import export_workbook


def export_to(
    rubric: Rubric,
    target: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> ExportResult:
    """:func:`export_workbook` for an ``.xlsx`` path, else :func:`export_csv` to a directory."""
    if str(target).lower().endswith(".xlsx"):
        return export_workbook(rubric, target, inputs=inputs)
    return export_csv(rubric, target, inputs=inputs)


__all__ = [
    "COLUMNS",
    "FILE_NAMES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "SETTINGS_NAME",
    "CsvImportError",
    "CsvText",
    "ExportResult",
    "ImportOptions",
    "MissingExtraError",
    "ReportInfo",
    "columns",
    "export_csv",
    "export_tables",
    "export_to",
    "export_workbook",
    "import_command",
    "import_csv",
    "import_dir",
    "import_from",
    "import_tables",
    "import_workbook",
    "not_carried",
    "settings_text",
]
