"""The REPL's first prompt, paired: this code against another source tree (e.g. an export of main) on one database.

    git archive main | tar -x -C /tmp/main-src
    python bench/repl_bench.py /tmp/scale-1.4m.duckdb --vs-src /tmp/main-src [--pairs 5]

Each run spawns `cma chat --offline --db DB` in a pty (pexpect) and times it to its first `cma>`; the
runs alternate (ours first, then theirs first, ...) and the per-pair ratio's median is printed with
both medians. The other tree runs through PYTHONPATH, from a neutral working directory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from measure import compile_package, machine
from scale_bench import bench_env, cma_script


def first_prompt(db: Path, env: dict[str, str], cwd: str) -> float:
    """Seconds from spawning `cma chat --offline` in a pty to its first `cma>` prompt."""
    import pexpect

    t = time.perf_counter()
    child = pexpect.spawn(cma_script(), ["chat", "--offline", "--db", str(db)], env=env, cwd=cwd,
                          encoding="utf-8", dimensions=(50, 160), timeout=120)
    child.expect("cma>")
    took = time.perf_counter() - t
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--vs-src", type=Path, required=True, help="A source tree whose `assistant/` to compare with.")
    ap.add_argument("--pairs", type=int, default=5)
    args = ap.parse_args()
    compile_package()
    import compileall

    compileall.compile_dir(args.vs_src / "assistant", quiet=1)
    cwd = tempfile.mkdtemp(prefix="cma-bench-cwd-")
    ours = bench_env(Path(tempfile.mkdtemp(prefix="cma-bench-home-")))
    theirs = {**ours, "PYTHONPATH": str(args.vs_src.resolve())}
    print(json.dumps({"machine": machine()}), flush=True)
    got: dict[str, list[float]] = {"ours": [], "theirs": []}
    for i in range(args.pairs + 1):  # the first pair warms the page cache and is not counted
        order = ("ours", "theirs") if i % 2 == 0 else ("theirs", "ours")
        took = {name: first_prompt(args.db, ours if name == "ours" else theirs, cwd) for name in order}
        if i:
            for name, s in took.items():
                got[name].append(s)
    med = statistics.median
    print(json.dumps({"db": args.db.name, "pairs": args.pairs, "ours_s": round(med(got["ours"]), 3),
                      "theirs_s": round(med(got["theirs"]), 3),
                      "ratio": round(med(a / b for a, b in zip(got["ours"], got["theirs"])), 2),
                      "ours_min_max": [round(min(got["ours"]), 3), round(max(got["ours"]), 3)],
                      "theirs_min_max": [round(min(got["theirs"]), 3), round(max(got["theirs"]), 3)],
                      "machine at the end": machine()}))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
