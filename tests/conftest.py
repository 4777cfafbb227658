from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "rubrics"
IMMIGRATION = RUBRICS / "us-immigration-2021.toml"
WBT = RUBRICS / "we-belong-together-2015.toml"

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output honours ``COLUMNS``: the tests lay text out for the default 100
    columns whatever terminal (or test runner) they run under; a test sets it to test it."""
    monkeypatch.delenv("COLUMNS", raising=False)
