"""Benchmark `cma load` against plain DuckDB reading the same NDJSON files, in the same run.

    python bench/load_bench.py [--users 20000] [--days 90] [--data DIR] [--keep]

Generates the export with `python -m fixtures.generate` (unless --data points at existing files), then runs,
each in a fresh subprocess so peak memory (ru_maxrss) is its own:
  baseline: CREATE TABLE t AS SELECT * FROM read_ndjson([...user files])   (plain DuckDB)
  cma:      load_paths(db, [...the same user files])                        (our loader, all tables)
and prints wall time, the ratio cma/baseline, and peak RSS of both.
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

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import duckdb, json, resource, sys, time
files = json.loads(sys.argv[1]); t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_ndjson(?)", [files])
n = con.execute("SELECT count(*) FROM t").fetchone()[0]; con.close()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CMA = """
import json, resource, sys, time
from pathlib import Path
from assistant.ingest import load_paths
files = json.loads(sys.argv[1]); t = time.perf_counter()
report = load_paths(Path(sys.argv[2]), files, strict=True)
rows = sum(r.rows.get("user_daily", 0) for r in report.files)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, files: list[str], db: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(files), str(db)], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    base = run(BASELINE, files, work / "baseline.duckdb")
    cma = run(CMA, files, work / "cma.duckdb")
    result = {
        "files": len(files),
        "input_mb": round(size_mb, 1),
        "baseline_s": round(base["seconds"], 2),
        "cma_s": round(cma["seconds"], 2),
        "ratio": round(cma["seconds"] / base["seconds"], 2),
        "baseline_rows": base["rows"],
        "cma_user_daily_rows": cma["rows"],
        "baseline_peak_mb": round(base["peak_mb"]),
        "cma_peak_mb": round(cma["peak_mb"]),
    }
    print(json.dumps(result, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
