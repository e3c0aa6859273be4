"""Benchmark offline translation against the phrase reader alone, paired in the same run.

    python bench/translate_bench.py [--db FILE] [--rounds 3]

Loads the bundled sample (unless --db points at a loaded database) and, for every question of the eval sets,
times in turn: the phrase reader alone (parse + build: the baseline), the compositional reader alone, and the
whole offline translator (reader, then phrase reader, then the tolerant retry). Prints mean, p50 and p95 in ms.
Then times `cma ask --offline` end to end in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SETS = ("questions", "heldout", "heldout2", "heldout3")


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    try:
        fn()
    except Exception:  # a refusal is an answer here; only the time counts
        pass
    return (time.perf_counter() - start) * 1000


def _summary(ms: list[float]) -> str:
    s = sorted(ms)
    return f"mean {statistics.mean(s):.2f}  p50 {s[len(s) // 2]:.2f}  p95 {s[int(len(s) * 0.95)]:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline-cma", type=Path, help="another installed cma to time end to end, paired")
    args = ap.parse_args()
    from assistant.config import load_settings
    from assistant.engine.session import Session
    from assistant.ingest import load_paths
    from assistant.offline import reader
    from assistant.offline.intent import parse
    from assistant.offline.sql import build
    from assistant.offline.translator import OfflineTranslator

    db = args.db or Path(tempfile.mkdtemp()) / "sample.duckdb"
    if args.db is None:
        load_paths(db, [ROOT / "fixtures" / "sample"], strict=True)
    session = Session(load_settings(db=db, offline=True))
    ctx = session.context()
    assert ctx.as_of is not None
    questions = [json.loads(line)["question"] for name in SETS for line in open(ROOT / "eval" / f"{name}.jsonl")]
    runs: dict[str, list[float]] = {"phrase reader (baseline)": [], "compositional reader": [], "translator": []}
    for _ in range(args.rounds):
        for q in questions:
            runs["phrase reader (baseline)"].append(
                _timed(lambda q=q: build(parse(q, ctx.values, ctx.as_of, ctx.logins), ctx.as_of)))
            runs["compositional reader"].append(_timed(lambda q=q: reader.translate(q, ctx)))
            runs["translator"].append(_timed(lambda q=q: OfflineTranslator().translate(q, ctx, [])))
    print(f"{len(questions)} questions x {args.rounds} rounds")
    for name, ms in runs.items():
        print(f"{name:26} {_summary(ms)}")
    session.close()
    clis = {"cma ask --offline (e2e)": Path(sys.executable).with_name("cma")}
    if args.baseline_cma:
        clis["baseline cma (e2e)"] = args.baseline_cma
    ends: dict[str, list[float]] = {k: [] for k in clis}
    for _ in range(5):
        for name, cma in clis.items():
            ends[name].append(_timed(lambda cma=cma: subprocess.run(
                [str(cma), "ask", "--offline", "--db", str(db), "how many people used copilot last week"],
                capture_output=True, check=True)))
    for name, ms in ends.items():
        print(f"{name:26} {_summary(ms)}")


if __name__ == "__main__":
    main()
