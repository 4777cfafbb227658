"""The site at tracker sizes (issue 26): page sizes and build time, 533 to 2,000 promises.

    python benchmarks/site_scale.py                      # 533, 1000 and 2000 promises
    python benchmarks/site_scale.py --promises 533       # the Obameter's size only

For each size it generates a seeded rubric (``generate.py``: 3 evidence items and 3
assessments per promise, 3 assessors), builds the site in a fresh subprocess
(``promisescore site``) and reports the build's wall time, the time per promise (the
build is linear when it stays flat), the size of ``index.html`` and of the largest HTML
page. The targets: at 533 promises ``index.html`` ≤ 250 KB and every page ≤ 300 KB.
Results are printed and written to ``benchmarks/results/site.md``. This is a benchmark,
not a test: a busy machine changes the times, never the sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
INDEX_LIMIT = 250_000
PAGE_LIMIT = 300_000


def measure(promises: int, folder: Path) -> dict[str, float]:
    rubric = folder / f"site-{promises}.json"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--promises",
            str(promises),
            "--evidence",
            str(3 * promises),
            "--assessments",
            str(3 * promises),
            "--assessors",
            "3",
            "--format",
            "json",
            "--out",
            str(rubric),
        ],
        check=True,
        capture_output=True,
    )
    out = folder / f"site-{promises}"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "promisescore", "site", str(rubric), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    pages = {p: p.stat().st_size for p in out.rglob("*.html")}
    largest = max(pages, key=lambda p: pages[p])
    return {
        "promises": promises,
        "seconds": seconds,
        "per_promise_ms": 1000 * seconds / promises,
        "index": (out / "index.html").stat().st_size,
        "largest": pages[largest],
        "largest_name": str(largest.relative_to(out)),  # type: ignore[dict-item]
        "files": sum(1 for p in out.rglob("*") if p.is_file()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promises", default="533,1000,2000", help="comma-separated sizes")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.promises.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            row = measure(n, Path(tmp))
            rows.append(row)
            print(
                f"{n} promises: {row['seconds']:.1f} s ({row['per_promise_ms']:.0f} ms a promise), "
                f"index.html {row['index'] / 1000:.0f} KB, largest page {row['largest_name']} "
                f"{row['largest'] / 1000:.0f} KB, {row['files']} files",
                flush=True,
            )
    lines = [
        "# Site at tracker sizes (benchmarks/site_scale.py)",
        "",
        "| promises | build (s) | ms a promise | index.html (KB) | largest page (KB) | files |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['promises']} | {row['seconds']:.1f} | {row['per_promise_ms']:.0f} | "
            f"{row['index'] / 1000:.0f} | {row['largest'] / 1000:.0f} ({row['largest_name']}) | "
            f"{row['files']} |"
        )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "site.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok = all(
        row["index"] <= INDEX_LIMIT and row["largest"] <= PAGE_LIMIT
        for row in rows
        if row["promises"] <= 533
    )
    print("sizes within the targets at 533 promises" if ok else "a size target is missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
