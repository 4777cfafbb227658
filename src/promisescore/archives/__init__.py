"""Archived copies of sources (FORMAT.md §8.9): verifying quotes against them
(:func:`verify`), and fetching them (:func:`promisescore.archives.fetch.archive`, the
one command that touches the network, on request only)."""

from __future__ import annotations

from .text import normalize
from .quotes import (
    DEFAULT_MAX_ARCHIVE_BYTES,
    Verification,
    VerifiedQuote,
    VerifyReport,
    verification,
    verify,
)

__all__ = [
    "DEFAULT_MAX_ARCHIVE_BYTES",
    "Verification",
    "VerifiedQuote",
    "VerifyReport",
    "normalize",
    "verification",
    "verify",
]
