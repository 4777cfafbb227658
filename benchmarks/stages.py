"""Time each stage of ``promisescore score FILE --format json`` in this one process.

    python benchmarks/stages.py FILE

Prints one JSON object: seconds for load (read and parse the files), validate (build
the model, check relations, and the §3 warnings), score, render (the JSON document,
streamed to /dev/null), their total, and the peak RSS of the process in KiB. Run by
``benchmarks/run.py`` in a fresh subprocess per file.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from promisescore._gc import paused_gc
    from promisescore.loading import assemble, lint
    from promisescore.loading.files import read_tree
    from promisescore.renderers import RenderOptions, render_iter
    from promisescore.scoring import score

    path = Path(sys.argv[1])
    times: dict[str, float] = {}
    clock = time.perf_counter
    with paused_gc():  # as the command line does, for the whole command
        start = clock()
        files, problems = read_tree(path, str)
        times["load"] = clock() - start

        start = clock()
        rubric, problems = assemble(files, problems)
        del files
        if rubric is None:
            print("\n".join(p.format() for p in problems[:5]), file=sys.stderr)
            return 1
        warnings = lint(rubric)
        times["validate"] = clock() - start

        start = clock()
        card = score(rubric)
        times["score"] = clock() - start

        start = clock()
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for piece in render_iter(card, "json", RenderOptions()):
                sink.write(piece)
        times["render"] = clock() - start

    times["total"] = sum(times.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({**times, "peak_rss_kib": peak, "warnings": len(warnings)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
