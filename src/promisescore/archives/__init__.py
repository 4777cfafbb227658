"""Archived copies of sources (FORMAT.md §8.9): verifying quotes against them
(:func:`verify`), and fetching them (:func:`promisescore.archives.fetch.archive`, the
one command that touches the network, on request only)."""

from __future__ import annotations

from .quotes import (
    DEFAULT_MAX_ARCHIVE_BYTES,
    Verification,
    VerifiedQuote,
    VerifyReport,
    verification,
    verified_quotes,
    verify,
)
from .text import normalize

__all__ = [
    "DEFAULT_MAX_ARCHIVE_BYTES",
    "Verification",
    "VerifiedQuote",
    "VerifyReport",
    "normalize",
    "verification",
    "verified_quotes",
    "verify",
]
