"""Benchmark `cma load` against plain DuckDB reading the same NDJSON files, in alternating pairs.

    python bench/load_bench.py [--users 20000] [--days 90] [--data DIR] [--pairs 3] [--keep]

Generates the export with `python -m fixtures.generate` (unless --data points at existing files), then runs
PAIRS alternating pairs (baseline first, then cma first, ...), each in a fresh subprocess into a new database
file, so CPU (user + sys) and peak memory come from wait4 and are that process's own:
  baseline: CREATE TABLE t AS SELECT * FROM read_ndjson([...user files])   (plain DuckDB)
  cma:      load_paths(db, [...the same user files])                        (our loader, all tables)
and prints the medians, the median per-pair CPU and wall ratios, and peak RSS of both.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import compile_package, machine, paired

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import duckdb, sys, json
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_ndjson(?)", [json.loads(sys.argv[1])])
print(con.execute("SELECT count(*) FROM t").fetchone()[0]); con.close()
"""

CMA = """
import json, sys
from pathlib import Path
from assistant.ingest import load_paths
report = load_paths(Path(sys.argv[2]), json.loads(sys.argv[1]), strict=True)
print(sum(r.rows.get("user_daily", 0) for r in report.files))
"""


def user_files(data: Path) -> list[str]:
    return sorted(
        str(p)
        for p in data.rglob("*")
        if p.is_file() and "users" in p.name and (p.name.endswith(".ndjson") or p.name.endswith(".ndjson.gz"))
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--pairs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cma-bench-"))
    data = args.data
    if data is None:
        data = work / "data"
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fixtures.generate",
                "--out",
                str(data),
                "--users",
                str(args.users),
                "--days",
                str(args.days),
            ],
            cwd=ROOT,
            check=True,
        )
        print(f"generated {args.users} users x {args.days} days in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    files = user_files(data)
    size_mb = sum(Path(f).stat().st_size for f in files) / 1e6
    compile_package()
    base_db, cma_db = work / "baseline.duckdb", work / "cma.duckdb"

    def fresh() -> None:
        for p in (base_db, cma_db, work / "baseline.duckdb.wal", work / "cma.duckdb.wal"):
            p.unlink(missing_ok=True)

    started = machine()
    got = paired([sys.executable, "-c", CMA, json.dumps(files), str(cma_db)],
                 [sys.executable, "-c", BASELINE, json.dumps(files), str(base_db)], args.pairs, before=fresh)
    result = {"files": len(files), "input_mb": round(size_mb, 1), "pairs": args.pairs, **got,
              "machine at start": started, "machine at end": machine()}
    print(json.dumps(result, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
