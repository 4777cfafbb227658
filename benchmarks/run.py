"""promisescore benchmarks: one command, figures for docs/performance.md.

    python benchmarks/run.py                 # 1k, 10k, 100k and 1M evidence (slow: ~15 min)
    python benchmarks/run.py --quick         # 1k and 10k only
    python benchmarks/run.py --sizes 10k,100k

For each size (N evidence, N assessments, N/10 promises, 3 assessors; seeded, so the
same bytes every time) it generates a JSON rubric under ``benchmarks/data/`` (kept for
the next run), then measures, each in a fresh subprocess:

- the stages of ``score --format json`` (load, validate, score, render), their total and
  the peak RSS (``benchmarks/stages.py``);
- end to end, side by side: ``promisescore score FILE --format json`` and a bare
  ``python -c "import json; json.load(open(FILE))"`` — wall time and peak RSS of each,
  and their ratios (the floor any Python tool reading the file must pay);
- start-up: ``promisescore --version`` against ``python -c "import click"`` (medians);
- TOML: the stages at 10k evidence from the same rubric written as TOML.

Results are printed and written to ``benchmarks/results/latest.md``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
#: the goals of issue 8
GOAL_TIME_RATIO = 3.0
GOAL_RSS_RATIO = 1.5
GOAL_LINEAR = 12.0
GOAL_STARTUP_RATIO = 1.3


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


def measure(command: list[str]) -> dict[str, float]:
    """Wall time and peak RSS of ``command``, run by a fresh Python (so that
    ``RUSAGE_CHILDREN`` holds that one child only)."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'wall': wall, 'rss_kib': rss, 'code': code}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} exited {result['code']}")
    return result


def stages(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HERE / "stages.py"), str(path)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"stages failed on {path}:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout)
    return result


def data_file(evidence: int, syntax: str = "json") -> Path:
    promises = max(1, evidence // 10)
    path = DATA / f"rubric-{evidence}.{syntax}"
    if not path.exists():
        print(f"  generating {path.name} ...", file=sys.stderr, flush=True)
        generate(path, promises, evidence, evidence, 3, syntax, seed=0)
    return path


def side_by_side(path: Path, repeat: int) -> dict[str, Any]:
    tool = [sys.executable, "-m", "promisescore", "score", str(path), "--format", "json"]
    bare = [sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"]
    tools, bares = [], []
    for _ in range(repeat):  # interleaved, so that a busy machine hurts both alike
        bares.append(measure(bare))
        tools.append(measure(tool))
    tool_wall = statistics.median(r["wall"] for r in tools)
    bare_wall = statistics.median(r["wall"] for r in bares)
    tool_rss = max(r["rss_kib"] for r in tools)
    bare_rss = max(r["rss_kib"] for r in bares)
    return {
        "tool_wall": tool_wall,
        "bare_wall": bare_wall,
        "tool_rss": tool_rss,
        "bare_rss": bare_rss,
        "time_ratio": tool_wall / bare_wall,
        "rss_ratio": tool_rss / bare_rss,
    }


def startup(repeat: int) -> dict[str, float]:
    tool = [sys.executable, "-m", "promisescore", "--version"]
    click = [sys.executable, "-c", "import click"]
    tools, clicks = [], []
    for _ in range(repeat):
        clicks.append(measure(click)["wall"])
        tools.append(measure(tool)["wall"])
    tool_s, click_s = statistics.median(tools), statistics.median(clicks)
    return {"tool": tool_s, "click": click_s, "ratio": tool_s / click_s}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024**2:.0f} GiB RAM"
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; Python {platform.python_version()} "
        f"on {platform.system()} {platform.release()}"
    )


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f}"


def _ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def report(
    rows: list[tuple[str, Path, dict[str, float], dict[str, Any]]],
    toml: tuple[Path, dict[str, float], dict[str, float]] | None,
    start: dict[str, float],
    elapsed: float,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        f"Command: `python benchmarks/run.py {' '.join(sys.argv[1:])}`".rstrip()
        + f" ({elapsed:,.0f} s).",
        "",
        "## Stages of `score --format json` (one process, seconds; peak RSS in MiB)",
        "",
        "| evidence | promises | file MB | load | validate | score | render | total | peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, st, _ in rows:
        n = SIZES[label]
        lines.append(
            f"| {label} | {max(1, n // 10):,} | {path.stat().st_size / 1e6:,.1f} | {st['load']:.2f} | "
            f"{st['validate']:.2f} | {st['score']:.2f} | {st['render']:.2f} | {st['total']:.2f} | "
            f"{_mib(st['peak_rss_kib'])} |"
        )
    lines += [
        "",
        "## End to end, side by side with a bare `json.load` of the same file",
        "",
        "| evidence | `promisescore score --format json` | bare `json.load` | time ratio "
        f"(goal ≤ {GOAL_TIME_RATIO:g}) | peak RSS tool / bare, MiB | RSS ratio (goal ≤ {GOAL_RSS_RATIO:g}) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for label, _, _, sb in rows:
        lines.append(
            f"| {label} | {sb['tool_wall']:.2f} s | {sb['bare_wall']:.2f} s | {sb['time_ratio']:.2f} | "
            f"{_mib(sb['tool_rss'])} / {_mib(sb['bare_rss'])} | {sb['rss_ratio']:.2f} |"
        )
    lines += ["", "## Linearity (10× the input; goal ≤ 12× the time)", ""]
    lines += ["| from → to | end-to-end time ratio | stages total ratio |", "|---|---:|---:|"]
    for (a, _, sa, ea), (b, _, sb_, eb) in itertools.pairwise(rows):
        if SIZES[b] == 10 * SIZES[a]:
            lines.append(
                f"| {a} → {b} | {eb['tool_wall'] / ea['tool_wall']:.1f} | "
                f"{sb_['total'] / sa['total']:.1f} |"
            )
    lines += [
        "",
        "## Start-up (median of repeated runs)",
        "",
        '| `promisescore --version` | `python -c "import click"` | ratio (goal ≤ 1.3) |',
        "|---:|---:|---:|",
        f"| {start['tool'] * 1000:.0f} ms | {start['click'] * 1000:.0f} ms | {start['ratio']:.2f} |",
    ]
    if toml is not None:
        path, st, js = toml
        lines += [
            "",
            "## TOML at 10k evidence (the same rubric as TOML)",
            "",
            "| syntax | file MB | load | validate | score | render | total | peak RSS MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, size, s in (
            ("TOML", path.stat().st_size, st),
            ("JSON", path.with_suffix(".json").stat().st_size, js),
        ):
            lines.append(
                f"| {name} | {size / 1e6:.1f} | {s['load']:.2f} | {s['validate']:.2f} | "
                f"{s['score']:.2f} | {s['render']:.2f} | {s['total']:.2f} | {_mib(s['peak_rss_kib'])} |"
            )
    biggest = rows[-1][3] if rows else None
    if biggest is not None:
        lines += [
            "",
            f"## Goals at the largest size measured ({rows[-1][0]} evidence)",
            "",
            f"- end-to-end time ≤ {GOAL_TIME_RATIO:g}× bare json.load: {biggest['time_ratio']:.2f}× — "
            f"{_ok(biggest['time_ratio'] <= GOAL_TIME_RATIO)}",
            f"- peak RSS ≤ {GOAL_RSS_RATIO:g}× bare json.load: {biggest['rss_ratio']:.2f}× — "
            f"{_ok(biggest['rss_ratio'] <= GOAL_RSS_RATIO)}",
            f"- start-up ≤ {GOAL_STARTUP_RATIO:g}× `import click`: {start['ratio']:.2f}× — "
            f"{_ok(start['ratio'] <= GOAL_STARTUP_RATIO)}",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1m", help="comma-separated: 1k,10k,100k,1m")
    parser.add_argument("--quick", action="store_true", help="1k and 10k only")
    parser.add_argument("--repeat", type=int, default=0, help="end-to-end runs per size")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    args = parser.parse_args(argv)
    labels = ["1k", "10k"] if args.quick else [s.strip().lower() for s in args.sizes.split(",")]
    for label in labels:
        if label not in SIZES:
            parser.error(f"unknown size {label!r}; choose from {', '.join(SIZES)}")
    began = time.perf_counter()
    rows = []
    for label in labels:
        n = SIZES[label]
        print(f"{label} evidence:", file=sys.stderr, flush=True)
        path = data_file(n)
        st = stages(path)
        repeat = args.repeat or (3 if n <= 100_000 else 1)
        sb = side_by_side(path, repeat)
        print(f"  stages {st}\n  end to end {sb}", file=sys.stderr, flush=True)
        rows.append((label, path, st, sb))
    print("start-up:", file=sys.stderr, flush=True)
    start = startup(15)
    print("TOML at 10k:", file=sys.stderr, flush=True)
    toml_path = data_file(10_000, "toml")
    toml = (toml_path, stages(toml_path), stages(data_file(10_000)))
    text = report(rows, toml, start, time.perf_counter() - began)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
