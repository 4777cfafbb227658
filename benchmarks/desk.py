"""The daily desk's commands on an Obameter-size rubric, side by side (issue 28).

    python benchmarks/desk.py [--promises 533] [--evidence 3198] [--repeat 5] [--out FILE]

Generates a seeded rubric (benchmarks/generate.py: 533 promises, 3,198 evidence, 1,066
assessments by 2 assessors, TOML) in a temporary directory, then times, as command
lines (each a fresh ``python -m promisescore``, start-up included), the median of
``--repeat`` runs of:

- ``check RUBRIC`` (the yardstick);
- one ``add evidence`` (the file restored before each run);
- ``add RUBRIC --from day.csv``: a batch of 50 additions (25 evidence, 25 assessments);
- ``diff OLD NEW`` of two files already on disk, and ``diff --git HEAD RUBRIC`` of the
  same two versions in a git repository (HEAD holds the old one).

Goals: one add ≤ 1.5× check, a batch of 50 ≤ 2× check, diff --git ≤ 2.5× diff.
Prints a Markdown table (and writes it to ``--out``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

PROMISESCORE = [sys.executable, "-m", "promisescore"]


def _run(args: list[str], cwd: Path, stdin: str | None = None) -> None:
    done = subprocess.run(
        [*PROMISESCORE, *args], cwd=cwd, capture_output=True, text=True, input=stdin
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")


def _median(repeat: int, before: Callable[[], None], run: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


#: 25 plain promises (generate.Plan: every 20th has criteria, every 20th a target)
_PLAIN = [p for p in range(40) if p % 20 not in (7, 17)][:25]


def _batch() -> str:
    rows = ["promise,date,summary,source_title,source_kind"]
    rows += [f"p{i},2025-01-0{1 + i % 9},Update {i} of the day,Desk note {i},claim" for i in _PLAIN]
    return "\n".join(rows) + "\n"


def _assessments() -> str:
    rows = ["promise,by,date,rating,evidence"]
    rows += [f"p{i},assessor-0,2025-01-10,in-the-works,e{i}" for i in _PLAIN]
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--promises", type=int, default=533)
    parser.add_argument("--evidence", type=int, default=3198)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    git = shutil.which("git")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rubric = generate(
            work / "tracker.toml", args.promises, args.evidence, 2 * args.promises, 2, "toml"
        )
        pristine = rubric.read_bytes()
        old = work / "old.toml"
        old.write_bytes(pristine)

        def restore() -> None:
            rubric.write_bytes(pristine)

        # a day's batch: 25 evidence items and 25 assessments, as two files
        day = work / "evidence.csv"
        day.write_text(_batch(), encoding="utf-8")
        rated = work / "assessments.csv"
        rated.write_text(_assessments(), encoding="utf-8")
        jsonl = work / "day.jsonl"
        import csv
        import json

        lines = []
        for path, kind in ((day, "evidence"), (rated, "assessment")):
            for row in csv.DictReader(path.open(encoding="utf-8")):
                item: dict[str, object] = {"kind": kind, **row}
                if kind == "evidence":
                    item["source"] = {"title": row["source_title"], "kind": row["source_kind"]}
                    del item["source_title"], item["source_kind"]
                else:
                    item["evidence"] = [row["evidence"]]
                lines.append(json.dumps(item))
        jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")

        results: list[tuple[str, float]] = []
        results.append(
            ("check", _median(args.repeat, restore, lambda: _run(["check", str(rubric)], work)))
        )
        one = [
            "add", "evidence", str(rubric), "--promise", "p1", "--date", "2025-01-02",
            "--summary", "One update", "--source", "Desk note", "--source-kind", "claim",
        ]  # fmt: skip
        results.append(("one add", _median(args.repeat, restore, lambda: _run(one, work))))
        results.append(
            (
                "add --from (50 additions)",
                _median(
                    args.repeat,
                    restore,
                    lambda: _run(["add", str(rubric), "--from", str(jsonl)], work),
                ),
            )
        )
        # the new version: the batch added
        restore()
        _run(["add", str(rubric), "--from", str(jsonl)], work)
        new_bytes = rubric.read_bytes()
        results.append(
            (
                "diff OLD NEW (files on disk)",
                _median(
                    args.repeat, lambda: None, lambda: _run(["diff", str(old), str(rubric)], work)
                ),
            )
        )
        if git is not None:
            repo = work / "repo"
            repo.mkdir()
            (repo / "tracker.toml").write_bytes(pristine)
            env = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
            for command in (["init", "-q"], ["add", "."], [*env, "commit", "-qm", "old"]):
                subprocess.run([git, *command], cwd=repo, check=True, capture_output=True)
            (repo / "tracker.toml").write_bytes(new_bytes)
            results.append(
                (
                    "diff --git HEAD RUBRIC",
                    _median(
                        args.repeat,
                        lambda: None,
                        lambda: _run(["diff", "--git", "HEAD", "tracker.toml"], repo),
                    ),
                )
            )
            results.append(
                (
                    "diff --git HEAD RUBRIC --format markdown",
                    _median(
                        args.repeat,
                        lambda: None,
                        lambda: _run(
                            ["diff", "--git", "HEAD", "tracker.toml", "--format", "markdown"],
                            repo,
                        ),
                    ),
                )
            )
    times = dict(results)
    goals = {
        "one add": ("check", 1.5),
        "add --from (50 additions)": ("check", 2.0),
        "diff --git HEAD RUBRIC": ("diff OLD NEW (files on disk)", 2.5),
        "diff --git HEAD RUBRIC --format markdown": ("diff OLD NEW (files on disk)", 2.5),
    }
    out = [
        f"Rubric: {args.promises} promises, {args.evidence} evidence, "
        f"{2 * args.promises} assessments (TOML, {len(pristine) / 1e6:.1f} MB); "
        f"median of {args.repeat} runs, each a fresh `python -m promisescore`.",
        "",
        "| command | time | against | ratio | goal |",
        "|:---|---:|:---|---:|---:|",
    ]
    for name, seconds in results:
        if name in goals:
            base, goal = goals[name]
            ratio = seconds / times[base]
            out.append(
                f"| `{name}` | {seconds:.2f} s | {base} | {ratio:.2f} | ≤ {goal:g} "
                f"{'✓' if ratio <= goal else '✗'} |"
            )
        else:
            out.append(f"| `{name}` | {seconds:.2f} s | | | |")
    text = "\n".join(out) + "\n"
    print(text, end="")
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
