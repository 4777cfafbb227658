"""The command line's GC pause is re-entrant and thread-safe: nested and concurrent pauses
never switch the collector back on while another pause is still running."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from promisescore._gc import paused_gc, pauses

RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "us-immigration-2021.toml"


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    assert gc.isenabled()
    assert pauses() == 0
    yield
    gc.enable()


def test_nested_pauses_end_with_the_outermost() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert pauses() == 2
        assert not gc.isenabled()  # the inner pause ended; the outer one still runs
        assert pauses() == 1
    assert gc.isenabled()
    assert pauses() == 0


def test_an_error_inside_nested_pauses_restores_the_collector() -> None:
    with pytest.raises(RuntimeError), paused_gc(), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()
    assert pauses() == 0


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused_gc(), paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads() -> None:
    # A starts, B starts, A ends (collector must stay off for B), B ends (back on)
    a_in, b_in, a_out, b_may_end = (threading.Event() for _ in range(4))
    seen: dict[str, bool] = {}

    def a() -> None:
        with paused_gc():
            a_in.set()
            assert b_in.wait(10)
        seen["after A"] = gc.isenabled()
        a_out.set()

    def b() -> None:
        assert a_in.wait(10)
        with paused_gc():
            b_in.set()
            assert b_may_end.wait(10)
            seen["B still paused"] = gc.isenabled()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    assert a_out.wait(10)
    b_may_end.set()
    for thread in threads:
        thread.join(10)
    assert seen == {"after A": False, "B still paused": False}
    assert gc.isenabled()
    assert pauses() == 0
