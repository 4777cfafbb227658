"""Loading from several threads at once gives every thread the same rubric.

The loader keeps no state between calls and changes nothing shared (no model class, no
cache of a dependency, no interpreter setting), so it is correct whichever thread runs
when — also on free-threaded Python, where threads run truly at once.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import promisescore

ROOT = Path(__file__).resolve().parents[1]
TOML = ROOT / "rubrics" / "us-immigration-2021.toml"

THREADS = 6


def _json_rubric(tmp_path: Path) -> Path:
    """The bundled rubric as a JSON file (the JSON loader's path)."""
    path = tmp_path / "rubric.json"
    path.write_text(promisescore.dumps(promisescore.load(TOML), "json"), encoding="utf-8")
    return path


def _in_threads(path: Path) -> list[tuple[promisescore.Rubric, str]]:
    """Load and score ``path`` in ``THREADS`` threads started together; each thread's
    rubric and JSON document."""
    start = threading.Barrier(THREADS)
    results: list[tuple[promisescore.Rubric, str] | BaseException] = [
        RuntimeError("not run")
    ] * THREADS

    def work(index: int) -> None:
        try:
            start.wait(30)
            rubric = promisescore.load(path)
            results[index] = (rubric, promisescore.render(promisescore.score(rubric), "json"))
        except BaseException as exc:  # reported below
            results[index] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    return [r for r in results if not isinstance(r, BaseException)]


def test_threads_loading_json_at_once_get_identical_results(tmp_path: Path) -> None:
    path = _json_rubric(tmp_path)
    alone = promisescore.load(path)
    expected = promisescore.render(promisescore.score(alone), "json")
    got = _in_threads(path)
    assert len(got) == THREADS
    for rubric, document in got:
        assert rubric == alone
        assert document == expected
    assert json.loads(expected)["promises"]


def test_threads_loading_toml_at_once_get_identical_results() -> None:
    alone = promisescore.load(TOML)
    expected = promisescore.render(promisescore.score(alone), "json")
    for rubric, document in _in_threads(TOML):
        assert rubric == alone
        assert document == expected


def test_a_bad_file_loaded_in_threads_reports_the_same_problems(tmp_path: Path) -> None:
    path = _json_rubric(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["evidence"][0]["date"] = "2021-02-30"
    data["promises"][0]["colour"] = "red"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1), encoding="utf-8")
    alone = [p.format() for p in promisescore.check(bad).problems]
    assert alone
    start = threading.Barrier(THREADS)
    seen: list[list[str]] = []

    def work() -> None:
        start.wait(30)
        seen.append([p.format() for p in promisescore.check(bad).problems])

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert seen == [alone] * THREADS
