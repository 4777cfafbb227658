"""promisescore benchmarks: one command, figures for docs/performance.md.

    python benchmarks/run.py                  # the issue-18 shape up to 100k evidence (minutes)
    python benchmarks/run.py --size 1M        # ... up to 1M evidence (about half an hour)
    python benchmarks/run.py --size 10k       # a quick look
    python benchmarks/run.py --sizes 10k,100k # also the older (issue 8) shape, with stages

The issue-18 shape (``generate.issue_document``; seeded, so the same bytes every time,
kept under ``benchmarks/data/``): N evidence items, each with an inline source table
``{title, kind}``; N assessments by 3 assessors, each citing one evidence item; N/10
promises in 50 categories; written with one plain ``json.dump``. Every command runs in a
fresh subprocess, round-robin with the commands it is compared with (so that a busy
machine slows them alike), and each ratio comes from figures measured in that one run:

- ``promisescore score FILE --format json`` against a bare
  ``python -c "import json; json.load(open(FILE))"`` at 10k, 100k (and 1M) evidence —
  wall time and peak RSS (``ru_maxrss`` of the child) of each, their ratios, linearity;
- warnings: ``promisescore check`` on the same rubric with 0, 1 and 100 promises
  without evidence (W101), each warning located by file and line;
- TOML: ``score`` on the same rubric at 10k evidence as TOML and as JSON;
- start-up: ``promisescore --version`` against ``python -c "import click"`` (median of 7).

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

from generate import generate, generate_issue  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
#: the goals of issue 27 (the shape of issue 18: see generate.issue_document)
GOAL18_TIME = 2.5
GOAL18_RSS = 1.2
GOAL18_WARNINGS = 1.3
GOAL18_TOML = 1.5
#: the goals of issue 8
GOAL_TIME_RATIO = 3.0
GOAL_RSS_RATIO = 1.5
GOAL_LINEAR = 12.0
GOAL_STARTUP_RATIO = 1.3


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


def measure(command: list[str], ok: tuple[int, ...] = (0,)) -> dict[str, float]:
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
    if result["code"] not in ok:
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


# -- issue 18: its shape, warnings, TOML; ratios measured side by side in one run ----------


def issue_file(evidence: int, syntax: str = "json", warnings: int = 0) -> Path:
    suffix = f"-w{warnings}" if warnings else ""
    path = DATA / f"issue18-{evidence}{suffix}.{syntax}"
    if not path.exists():
        print(f"  generating {path.name} ...", file=sys.stderr, flush=True)
        generate_issue(path, max(1, evidence // 10), evidence, evidence, 3, syntax, warnings)
    return path


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "promisescore", *args]


def interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, dict[str, float]]:
    """Run each command ``repeat`` times, round-robin (so that a busy machine slows all
    alike); the median wall time and the largest peak RSS of each."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(measure(command, ok=(0, 1)))
    return {
        name: {
            "wall": statistics.median(r["wall"] for r in results),
            "rss_kib": max(r["rss_kib"] for r in results),
        }
        for name, results in runs.items()
    }


def _baseline_cmd(baseline: Path, *args: str) -> list[str]:
    """``promisescore ARGS`` run from another source tree (``--baseline``)."""
    return ["env", f"PYTHONPATH={baseline / 'src'}", sys.executable, "-m", "promisescore", *args]


def issue18(size: int, repeat: int, baseline: Path | None = None) -> dict[str, Any]:
    ladder = [n for n in (10_000, 100_000, 1_000_000) if n <= size] or [size]
    scoring: list[dict[str, Any]] = []
    for n in ladder:
        path = issue_file(n)
        print(f"  score vs json.load at {n:,} evidence ...", file=sys.stderr, flush=True)
        commands = {
            "bare": [sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"],
            "tool": _cmd("score", str(path), "--format", "json"),
        }
        if baseline is not None:
            commands["old"] = _baseline_cmd(baseline, "score", str(path), "--format", "json")
        got = interleaved(commands, repeat)
        scoring.append({"n": n, "mb": path.stat().st_size / 1e6, **got})
    print(f"  warnings at {size:,} evidence ...", file=sys.stderr, flush=True)
    warn = interleaved(
        {
            str(w): _cmd("check", str(issue_file(size, warnings=w)), "--format", "text")
            for w in (0, 1, 100)
        },
        repeat,
    )
    print("  TOML at 10,000 evidence ...", file=sys.stderr, flush=True)
    toml = interleaved(
        {
            syntax: _cmd("score", str(issue_file(10_000, syntax)), "--format", "json")
            for syntax in ("json", "toml")
        },
        repeat,
    )
    print("  start-up ...", file=sys.stderr, flush=True)
    start = startup(7)
    return {"scoring": scoring, "warnings": warn, "toml": toml, "startup": start}


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def issue18_report(result: dict[str, Any], elapsed: float) -> str:
    scoring, warn, toml, start = (
        result["scoring"],
        result["warnings"],
        result["toml"],
        result["startup"],
    )
    lines = [
        "# Benchmark results (issue 18 shape)",
        "",
        f"Machine: {machine()}.",
        f"Command: `python benchmarks/run.py {' '.join(sys.argv[1:])}`".rstrip()
        + f" ({elapsed:,.0f} s).",
        "",
        "Shape: N evidence items (each with an inline source table {title, kind}), N "
        "assessments by 3 assessors each citing one evidence item, N/10 promises in 50 "
        "categories, written with one plain `json.dump`.",
        "",
        "## `promisescore score FILE --format json` against a bare `json.load`",
        "",
        "| evidence | file MB | score | bare `json.load` | time ratio "
        f"(goal ≤ {GOAL18_TIME:g}) | peak RSS score / bare, MiB | RSS ratio (goal ≤ {GOAL18_RSS:g}) "
        "| old path (`--baseline`): score, ratio, RSS ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in scoring:
        tool, bare = row["tool"], row["bare"]
        old = row.get("old")
        beside = (
            f"{old['wall']:.2f} s, {old['wall'] / bare['wall']:.2f}, "
            f"{old['rss_kib'] / bare['rss_kib']:.2f}"
            if old is not None
            else "—"
        )
        lines.append(
            f"| {_label(row['n'])} | {row['mb']:,.1f} | {tool['wall']:.2f} s | {bare['wall']:.2f} s | "
            f"{tool['wall'] / bare['wall']:.2f} | {_mib(tool['rss_kib'])} / {_mib(bare['rss_kib'])} | "
            f"{tool['rss_kib'] / bare['rss_kib']:.2f} | {beside} |"
        )
    if len(scoring) > 1:
        lines += ["", "Linearity (score wall time, 10× the input):", ""]
        for a, b in itertools.pairwise(scoring):
            lines.append(
                f"- {_label(a['n'])} → {_label(b['n'])}: "
                f"{b['tool']['wall'] / a['tool']['wall']:.1f}× the time"
            )
    base = warn["0"]
    size = scoring[-1]["n"]
    lines += [
        "",
        f"## Warnings: `promisescore check` at {_label(size)} evidence",
        "",
        f"| warnings (W101) | time | ratio to none (goal ≤ {GOAL18_WARNINGS:g}) | peak RSS MiB | RSS ratio |",
        "|---:|---:|---:|---:|---:|",
    ]
    for name, got in warn.items():
        lines.append(
            f"| {name} | {got['wall']:.2f} s | {got['wall'] / base['wall']:.2f} | "
            f"{_mib(got['rss_kib'])} | {got['rss_kib'] / base['rss_kib']:.2f} |"
        )
    lines += [
        "",
        "## TOML: `score` on the same rubric at 10k evidence",
        "",
        f"| syntax | time | ratio to JSON (goal ≤ {GOAL18_TOML:g}) | peak RSS MiB |",
        "|---|---:|---:|---:|",
    ]
    for name, got in toml.items():
        lines.append(
            f"| {name.upper()} | {got['wall']:.2f} s | {got['wall'] / toml['json']['wall']:.2f} | "
            f"{_mib(got['rss_kib'])} |"
        )
    lines += [
        "",
        "## Start-up (median of 7)",
        "",
        '| `promisescore --version` | `python -c "import click"` | ratio (goal ≤ 1.3) |',
        "|---:|---:|---:|",
        f"| {start['tool'] * 1000:.0f} ms | {start['click'] * 1000:.0f} ms | {start['ratio']:.2f} |",
    ]
    top = scoring[-1]
    worst_warn = max(w["wall"] for w in warn.values()) / base["wall"]
    toml_ratio = toml["toml"]["wall"] / toml["json"]["wall"]
    time_ratio = top["tool"]["wall"] / top["bare"]["wall"]
    rss_ratio = top["tool"]["rss_kib"] / top["bare"]["rss_kib"]
    lines += [
        "",
        f"## Goals (at {_label(top['n'])} evidence)",
        "",
        f"- score ≤ {GOAL18_TIME:g}× bare json.load: {time_ratio:.2f}× — {_ok(time_ratio <= GOAL18_TIME)}",
        f"- peak RSS ≤ {GOAL18_RSS:g}× bare json.load: {rss_ratio:.2f}× — {_ok(rss_ratio <= GOAL18_RSS)}",
        f"- warnings ≤ {GOAL18_WARNINGS:g}× no warnings: {worst_warn:.2f}× — "
        f"{_ok(worst_warn <= GOAL18_WARNINGS)}",
        f"- TOML ≤ {GOAL18_TOML:g}× JSON: {toml_ratio:.2f}× — {_ok(toml_ratio <= GOAL18_TOML)}",
        f"- start-up ≤ {GOAL_STARTUP_RATIO:g}× `import click`: {start['ratio']:.2f}× — "
        f"{_ok(start['ratio'] <= GOAL_STARTUP_RATIO)}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size",
        default="100k",
        type=str.lower,
        choices=("10k", "100k", "1m"),
        help="evidence items in the issue-18 shape (10k, 100k or 1M; default 100k)",
    )
    parser.add_argument(
        "--sizes",
        default=None,
        help="also the older shape (issue 8) at these sizes, comma-separated: 1k,10k,100k,1m",
    )
    parser.add_argument("--quick", action="store_true", help="the older shape at 1k and 10k")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout (its src/ is used): its `score` runs beside this one's",
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    print(f"issue 18 shape up to {args.size} evidence:", file=sys.stderr, flush=True)
    text = issue18_report(issue18(SIZES[args.size], args.repeat, args.baseline), 0.0)
    if args.sizes or args.quick:
        text += "\n" + legacy(args)
    text = text.replace(" (0 s).", f" ({time.perf_counter() - began:,.0f} s).", 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def legacy(args: argparse.Namespace) -> str:
    """The older, issue-8 shape (many-keyed inline sources, pretty-printed one per line)."""
    labels = ["1k", "10k"] if args.quick else [s.strip().lower() for s in args.sizes.split(",")]
    for label in labels:
        if label not in SIZES:
            raise SystemExit(f"unknown size {label!r}; choose from {', '.join(SIZES)}")
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
    start = startup(15)
    toml_path = data_file(10_000, "toml")
    toml = (toml_path, stages(toml_path), stages(data_file(10_000)))
    return report(rows, toml, start, time.perf_counter() - began)


if __name__ == "__main__":
    raise SystemExit(main())
