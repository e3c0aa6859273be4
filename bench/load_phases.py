"""Where a users-file load spends its CPU, phase by phase, next to plain DuckDB's read of the same file.

    python bench/load_phases.py FILE.ndjson

Runs in one process (CPU from getrusage covers DuckDB's threads): the plain read first, then each step
`load_paths` takes for a users file, in its order, into a fresh database. A guide to where time goes;
the end-to-end ratio is bench/load_bench.py's job.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from assistant.ingest import quick_fingerprint, sha256_of, users
from assistant.store import db


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(out: dict[str, dict[str, float]], name: str, fn) -> object:  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), cpu()
    value = fn()
    out[name] = {"wall_s": round(time.perf_counter() - w, 2), "cpu_s": round(cpu() - c, 2)}
    return value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cma-phases-"))
    phases: dict[str, dict[str, float]] = {}
    base = duckdb.connect(str(work / "base.duckdb"))
    timed(phases, "baseline: CREATE TABLE AS read_ndjson + checkpoint", lambda: (
        base.execute("CREATE TABLE t AS SELECT * FROM read_ndjson(?)", [str(args.file)]), base.execute("CHECKPOINT")))
    base.close()
    with db.open_for_load(work / "cma.duckdb") as con:
        timed(phases, "quick fingerprint", lambda: quick_fingerprint(args.file))
        timed(phases, "sha256 (in a thread during the read)", lambda: sha256_of(args.file))
        con.begin()
        timed(phases, "for reference: the exact key scan (json_structure over every line)",
              lambda: users.discover(con, args.file, "ndjson", False))
        timed(phases, "for reference: the typed read alone",
              lambda: users._stage(con, args.file, "ndjson", False, [], True))
        staged = timed(phases, "typed read + key-count check into the stage (stage_users)",
                       lambda: users.stage_users(con, args.file, "ndjson", False))
        timed(phases, "de-duplication check", lambda: users.dedupe_stage(con))
        timed(phases, "user_daily + 5 breakdown inserts", lambda: users.apply_users(con, 1, staged))  # type: ignore[arg-type]
        timed(phases, "commit + checkpoint", lambda: (con.commit(), con.execute("CHECKPOINT")))
    print(json.dumps({"file_mb": round(args.file.stat().st_size / 1e6), **phases}, indent=2))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
