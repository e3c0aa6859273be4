"""What the per-load facts cost after a one-day users import into a large database, this code against another tree.

    python bench/refresh_bench.py /tmp/scale-36m.duckdb --vs-src /tmp/main-src [--pairs 1]

Each run copies DB, adds one day of `user_daily` (and language-breakdown) rows to the copy as a one-day
users import would (the last day's rows, one day later, with an imports-ledger row), then times
`derived.refresh(con, changed)` with the tables that import wrote: the CPU (user + sys of the process)
and wall seconds of the refresh alone. Runs alternate between the two trees, each in a fresh process
whose `assistant` comes from that tree, from one copy that this tree rebuilt in full first (as its loads
leave a database); that full rebuild, and one by the other tree, are timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import compile_package, machine

CHILD = r"""
import datetime, json, resource, sys, time
import duckdb
from assistant.store import db as store_db, derived
db, mode = sys.argv[1], sys.argv[2]
con = duckdb.connect(db, config={"threads": 2})
store_db.ensure_schema(con)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
if mode == "prepare":  # what a load by this tree leaves: the derived tables and facts rebuilt in full
    w, c = time.perf_counter(), cpu()
    derived.refresh(con)
    print(json.dumps({"cpu_s": round(cpu() - c, 2), "wall_s": round(time.perf_counter() - w, 2)}))
    con.close()
    sys.exit(0)
last = con.execute("SELECT max(day) FROM user_daily").fetchone()[0]
iid = con.execute("SELECT max(import_id) + 1 FROM imports").fetchone()[0]
changed = {"user_daily"}
con.execute(f"INSERT INTO user_daily SELECT * REPLACE (day + 1 AS day, {iid} AS import_id) FROM user_daily "
            "WHERE day = ?", [last])
for t in ("user_daily_by_ide", "user_daily_by_feature", "user_daily_by_language_feature",
          "user_daily_by_language_model", "user_daily_by_model_feature"):
    if con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {t} WHERE day = ? LIMIT 1)", [last]).fetchone()[0]:
        con.execute(f"INSERT INTO {t} SELECT * REPLACE (day + 1 AS day, {iid} AS import_id) FROM {t} "
                    "WHERE day = ?", [last])
        changed.add(t)
new_day = last + datetime.timedelta(days=1)
con.execute("INSERT INTO imports (import_id, file, sha256, quick_fingerprint, kind, rows, first_day, last_day, "
            "loaded_at) "
            "SELECT ?, 'bench:one-day', 'bench', 'bench', 'users', (SELECT count(*) FROM user_daily WHERE day = ?), "
            "?, ?, now()", [iid, new_day, new_day, new_day])
con.execute("SELECT nextval('import_seq')")
w, c = time.perf_counter(), cpu()
derived.refresh(con, None if mode == "full" else changed)
print(json.dumps({"cpu_s": round(cpu() - c, 2), "wall_s": round(time.perf_counter() - w, 2)}))
con.close()
"""


def one_run(db: Path, src: Path | None, mode: str, scratch: Path, keep: bool = False) -> dict[str, float]:
    """Time `mode` on a copy of the database in a fresh process importing `src` (None: this tree)."""
    copy = scratch / ("prepared.duckdb" if keep else "copy.duckdb")
    shutil.copyfile(db, copy)
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, str(copy), mode], capture_output=True, text=True,
                             env=env, cwd=scratch)
        if out.returncode:
            raise RuntimeError(out.stderr[-2000:])
    finally:
        if not keep:
            copy.unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--vs-src", type=Path, required=True)
    ap.add_argument("--pairs", type=int, default=1)
    ap.add_argument("--no-full", action="store_true", help="Skip the full rebuilds.")
    args = ap.parse_args()
    compile_package()
    scratch = Path(tempfile.mkdtemp(prefix="cma-refresh-", dir=args.db.parent))
    trees = {"ours": None, "theirs": args.vs_src.resolve()}
    print(json.dumps({"machine": machine(), "db": args.db.name}), flush=True)
    # a full rebuild by this tree, as its loads leave the database; every run starts from that copy
    full = one_run(args.db, None, "prepare", scratch, keep=True)
    print(json.dumps({"tree": "ours", "refresh": "full", **full}), flush=True)
    prepared = scratch / "prepared.duckdb"
    got: dict[str, list[dict[str, float]]] = {"ours": [], "theirs": []}
    for i in range(args.pairs):
        for name in ("ours", "theirs") if i % 2 == 0 else ("theirs", "ours"):
            got[name].append(one_run(prepared, trees[name], "one-day", scratch))
            print(json.dumps({"tree": name, "refresh": "one-day", **got[name][-1]}), flush=True)
    med = statistics.median
    summary = {f"{n}_{k}": med(r[k] for r in runs) for n, runs in got.items() for k in ("cpu_s", "wall_s")}
    summary["cpu_ratio"] = round(med(a["cpu_s"] / b["cpu_s"] for a, b in zip(got["ours"], got["theirs"])), 3)
    print(json.dumps({"one-day refresh": summary}), flush=True)
    if not args.no_full:
        print(json.dumps({"tree": "theirs", "refresh": "full", **one_run(prepared, trees["theirs"], "full", scratch)}),
              flush=True)
    shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps({"machine at the end": machine()}))


if __name__ == "__main__":
    main()
