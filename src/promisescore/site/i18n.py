"""The site's interface language: the one catalogue of :mod:`promisescore.i18n`, shared
with the HTML report card (kept here so that ``promisescore.site.i18n`` still works)."""

from __future__ import annotations

from ..i18n import (
    DOMAIN,
    LANGUAGES,
    N_,
    PRESET_LABELS,
    Language,
    catalogue_dir,
    compile_catalogue,
    extract_messages,
    translations,
)

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "PRESET_LABELS",
    "Language",
    "catalogue_dir",
    "compile_catalogue",
    "extract_messages",
    "translations",
]
