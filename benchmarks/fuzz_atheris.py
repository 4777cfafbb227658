"""Coverage-guided fuzzing of the loader with atheris (not run in CI).

    pip install atheris
    python benchmarks/fuzz_atheris.py -atheris_runs=200000          # TOML and JSON
    python benchmarks/fuzz_atheris.py -max_total_time=600 corpus/   # keep a corpus
    python benchmarks/fuzz_atheris.py -dict=benchmarks/fuzz_atheris.dict -runs=100000

The first byte of each input chooses what to fuzz: ``% 4 == 0`` TOML, ``1`` JSON (the
rest decoded as UTF-8, lone surrogates kept, so ``loads`` sees them as a caller's
string would), ``2`` and ``3`` an include tree with symbolic links (to ``..``, ``.``,
themselves, nowhere) built in a temporary directory from the next bytes. Text goes to
``promisescore.check_text``; when that finds no error, the rubric is scored and
rendered as JSON, text, Markdown and the SVG badge, and the text formats must hold
no terminal escape or bidi override, and the badge no event-handler attribute.
Anything raised that is not ``promisescore.RubricError`` is a bug: atheris stops and
prints the input. ``fuzz_atheris.dict`` lists the hostile tokens (numbers too big for
a float, surrogate escapes, control characters, formulas) for libFuzzer to splice in.
The hypothesis fuzz tests in ``tests/test_fuzz.py`` are the bounded version run in CI.
"""

from __future__ import annotations

import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports():
    import promisescore
    from promisescore.renderers import render

from tests.strategies_fuzz import SEED_TOML, SEEDS

#: Seeds with the shapes of issue 19: an int no float holds, a lone surrogate escape,
#: terminal escapes and a newline in a title.
HOSTILE_SEEDS = (
    ("toml", SEED_TOML.replace("weight = 1.5", "weight = 1" + "0" * 400)),
    ("json", SEEDS[1][1].replace('"Plain promise"', '"Plain \\ud800 promise"')),
    ("toml", SEED_TOML.replace('"Plain promise"', '"\\u001b]0;x\\u0007\\n::error::y\\u202e"')),
)
_RAW_ESCAPES = {"\x1b", "\x07", "\u202e", "\x9b"}
_LINK_TARGETS = ("..", "../..", ".", "loop", "missing", "../root.toml", "a")
_INCLUDES = ('include = ["**/*.toml"]\n', 'include = ["*/*.toml"]\n', 'include = ["a/*.toml"]\n')


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _rendered(rubric: promisescore.Rubric) -> None:
    card = promisescore.score(rubric)
    render(card, "json").encode("utf-8")
    for fmt in ("text", "markdown"):
        out = render(card, fmt)
        out.encode("utf-8")
        if _RAW_ESCAPES & set(out):
            raise AssertionError(f"raw terminal escape in {fmt} output")
    badge = ET.fromstring(render(card, "badge"))
    if any(name.startswith("on") for e in badge.iter() for name in e.attrib):
        raise AssertionError("event handler in the badge")


def _tree(data: bytes) -> None:
    """An include tree with symbolic links: ``check`` must end with a clear result."""
    provider = atheris.FuzzedDataProvider(data)
    with tempfile.TemporaryDirectory() as home:
        root = Path(home)
        (root / "root.toml").write_text(
            _INCLUDES[provider.ConsumeIntInRange(0, 2)] + SEED_TOML, encoding="utf-8"
        )
        for n in range(provider.ConsumeIntInRange(0, 4)):
            folder = root / ("a", "a/b", "c")[provider.ConsumeIntInRange(0, 2)]
            folder.mkdir(parents=True, exist_ok=True)
            name = folder / f"x{n}{('', '.toml')[provider.ConsumeIntInRange(0, 1)]}"
            if provider.ConsumeBool():
                target = _LINK_TARGETS[provider.ConsumeIntInRange(0, len(_LINK_TARGETS) - 1)]
                if target == "loop":
                    target = name.name
                if not name.exists() and not name.is_symlink():
                    os.symlink(target, name)
            else:
                name.write_text(_INCLUDES[provider.ConsumeIntInRange(0, 2)], encoding="utf-8")
        result = promisescore.check(root / "root.toml")
        for problem in result.problems:
            if problem.code not in promisescore.CODES:
                raise AssertionError(problem)


def one_input(data: bytes) -> None:
    if not data:
        return
    mode = data[0] % 4
    if mode >= 2:
        _tree(data[1:])
        return
    syntax = "toml" if mode == 0 else "json"
    text = _decode(data[1:])
    try:
        result = promisescore.check_text(text, syntax)
    except promisescore.RubricError:
        return
    if result.rubric is not None:
        _rendered(result.rubric)


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:  # seed an empty corpus directory with the valid rubrics
        folder = Path(corpus[0])
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            for index, (syntax, text) in enumerate(SEEDS):
                prefix = b"\x00" if syntax == "toml" else b"\x01"
                (folder / f"seed-{index}").write_bytes(prefix + text.encode())
            (folder / "seed-tree").write_bytes(b"\x02\x00\x03\x01\x00\x01\x00")
            for index, (syntax, text) in enumerate(HOSTILE_SEEDS):
                prefix = b"\x00" if syntax == "toml" else b"\x01"
                (folder / f"seed-hostile-{index}").write_bytes(prefix + text.encode())
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
