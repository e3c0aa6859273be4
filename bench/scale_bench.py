"""Time typical questions end to end (`cma ask --offline`) and the REPL's first prompt on large databases.

    python bench/scale_db.py --seats 100000 --out /tmp/scale-36m.duckdb     # build one (see scale_db.py)
    python bench/scale_bench.py /tmp/scale-1m.duckdb /tmp/scale-4m.duckdb [--pairs 3]

For every database and question: one warm-up `cma ask --offline --format json` gives the SQL the
question produced; then PAIRS alternating pairs (cma first, then baseline first, ...) of
  cma:      cma ask --offline --format json --db DB QUESTION      (a fresh process: start-up, facts, SQL)
  baseline: python -c 'import duckdb; connect(DB, read_only); execute(SQL).fetchall()'  (the same SQL)
Each run's CPU (user + sys) and peak RSS come from wait4, so they are that process's own. The REPL's
first prompt is timed in a pty (pexpect) from spawn to `cma>`, paired with a baseline that only
imports duckdb and opens the database. Prints one JSON line per measurement and a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from measure import compile_package, machine, paired, run

QUESTIONS = (
    "which teams have lower adoption rates?",
    "acceptance rate by language last 4 weeks",
    "how many people used Copilot yesterday?",
    "who are the top CLI users by sessions?",
    "weekly active users trend",
    "seats never used",
)

BASELINE = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True, config={"threads": 2})
con.execute(sys.argv[2]).fetchall()
"""
OPEN_ONLY = """
import sys, duckdb
duckdb.connect(sys.argv[1], read_only=True, config={"threads": 2}).close()
"""


def cma_script() -> str:
    """The installed console script next to this interpreter."""
    return str(Path(sys.executable).with_name("cma"))


def first_prompt(db: Path, env: dict[str, str]) -> float:
    """Seconds from spawning `cma chat --offline` in a pty to its first `cma>` prompt."""
    import pexpect

    t = time.perf_counter()
    child = pexpect.spawn(cma_script(), ["chat", "--offline", "--db", str(db)], env=env, encoding="utf-8",
                          dimensions=(50, 160), timeout=120)
    child.expect("cma>")
    took = time.perf_counter() - t
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return took


def repl_pairs(db: Path, env: dict[str, str], pairs: int) -> dict[str, float]:
    """First-prompt wall time of the REPL, paired with opening the database from plain python + duckdb."""
    ours, base = [], []
    for i in range(pairs):
        steps = [lambda: ours.append(first_prompt(db, env)),
                 lambda: base.append(run([sys.executable, "-c", OPEN_ONLY, str(db)], env)["wall"])]
        for step in steps if i % 2 == 0 else steps[::-1]:
            step()
    return {"repl_first_prompt_s": round(statistics.median(ours), 3),
            "base_open_s": round(statistics.median(base), 3)}


def facts_cost(db: Path, pairs: int) -> dict[str, float]:
    """In-process seconds to get a question's context: as stored by the load vs computed live (as before)."""
    import resource

    from assistant.store import derived
    from assistant.store.query import open_readonly

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    con = open_readonly(db)
    try:
        got: dict[str, list[tuple[float, float]]] = {"stored": [], "live": []}
        for i in range(pairs):
            for name in ("stored", "live") if i % 2 == 0 else ("live", "stored"):
                fn = derived.stored_facts if name == "stored" else derived.live_facts
                w, c = time.perf_counter(), cpu()
                fn(con)
                got[name].append((time.perf_counter() - w, cpu() - c))
    finally:
        con.close()
    med = statistics.median
    return {f"{k}_{m}_s": round(med(x[j] for x in v), 3) for k, v in got.items() for j, m in ((0, "wall"), (1, "cpu"))}


def bench_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CMA_"))}
    env.update(CMA_HOME=str(home), TERM="xterm", COLUMNS="160", LINES="50", PROMPT_TOOLKIT_NO_CPR="1", TZ="UTC")
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dbs", type=Path, nargs="+")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--question", action="append", help="Questions to time (default: the six typical ones).")
    args = ap.parse_args()
    compile_package()
    import tempfile

    env = bench_env(Path(tempfile.mkdtemp(prefix="cma-bench-home-")))
    print(json.dumps({"machine": machine()}), flush=True)
    table = ["| database | question | rows | cma wall | cma CPU | baseline wall | baseline CPU | wall ratio | "
             "CPU ratio | cma peak RSS |", "|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for db in args.dbs:
        for q in args.question or QUESTIONS:
            cma = [cma_script(), "ask", "--offline", "--format", "json", "--db", str(db), q]
            warm = json.loads(run(cma, env)["stdout"])
            base = [sys.executable, "-c", BASELINE, str(db), warm["sql"]]
            got = {"db": db.name, "question": q, "rows": warm["row_count"], **paired(cma, base, args.pairs, env)}
            print(json.dumps(got), flush=True)
            table.append(f"| {db.name} | {q} | {got['rows']} | {got['cma_wall_s']:.2f} s | {got['cma_cpu_s']:.2f} s | "
                         f"{got['base_wall_s']:.2f} s | {got['base_cpu_s']:.2f} s | {got['wall_ratio']:.2f} | "
                         f"{got['cpu_ratio']:.2f} | {got['cma_peak_mb']} MB |")
        facts = {"db": db.name, **facts_cost(db, args.pairs)}
        print(json.dumps(facts), flush=True)
        table.append(f"| {db.name} | context: stored facts vs live (in-process) | | {facts['stored_wall_s']:.3f} s | "
                     f"{facts['stored_cpu_s']:.3f} s | {facts['live_wall_s']:.3f} s (live) | "
                     f"{facts['live_cpu_s']:.3f} s (live) | | | |")
        repl = {"db": db.name, **repl_pairs(db, env, args.pairs)}
        print(json.dumps(repl), flush=True)
        table.append(f"| {db.name} | REPL first prompt | | {repl['repl_first_prompt_s']:.2f} s | | "
                     f"{repl['base_open_s']:.2f} s (open only) | | | | |")
    print("\n".join(table))
    print(json.dumps({"machine at the end": machine()}))


if __name__ == "__main__":
    main()
