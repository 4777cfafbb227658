"""Coverage-guided fuzzing of the loader with atheris (not run in CI).

    pip install atheris
    python benchmarks/fuzz_atheris.py -atheris_runs=200000          # TOML and JSON
    python benchmarks/fuzz_atheris.py -max_total_time=600 corpus/   # keep a corpus

Each input is split on its first byte: even → TOML, odd → JSON; the rest is decoded
as UTF-8 (with replacement) and given to ``promisescore.check_text`` and, when that
finds no error, to ``score`` and the JSON renderer. Anything raised that is not
``promisescore.RubricError`` is a bug: atheris stops and prints the input.
The hypothesis fuzz tests in ``tests/test_fuzz.py`` are the bounded version run in CI.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports():
    import promisescore
    from promisescore.renderers import RenderOptions
    from promisescore.renderers.json import render

from tests.strategies_fuzz import SEEDS


def one_input(data: bytes) -> None:
    if not data:
        return
    syntax = "toml" if data[0] % 2 == 0 else "json"
    text = data[1:].decode("utf-8", "replace")
    try:
        result = promisescore.check_text(text, syntax)
    except promisescore.RubricError:
        return
    if result.rubric is not None:
        card = promisescore.score(result.rubric)
        render(card, RenderOptions())


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:  # seed an empty corpus directory with the valid rubrics
        folder = Path(corpus[0])
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            for index, (syntax, text) in enumerate(SEEDS):
                prefix = b"\x00" if syntax == "toml" else b"\x01"
                (folder / f"seed-{index}").write_bytes(prefix + text.encode())
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
