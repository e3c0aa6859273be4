"""The whole hostile-SQL corpus and the resource bombs, with the figures docs/security.md reports.

    python bench/security_bench.py                  # corpus (5,040 statements) and bombs, default limits
    python bench/security_bench.py --bombs-only --deadline 5 --memory-mb 2048

Corpus: per family, how many statements the guard refused, the engine refused (plan check, limits,
errors) and how many ran harmlessly, plus any violation. Bombs: each in a fresh process, its
outcome, wall time and the peak resident memory of the process and its query child.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.hostile_sql import load_corpus  # noqa: E402
from tests.hostile import run_corpus  # noqa: E402
from tests.test_security import BOMB_SCRIPT  # noqa: E402

BOMBS = {
    "len(range(0, 300000000)) (constant)": "SELECT len(range(0, 300000000))",
    "len(range(0, 600000000)) (computed)": "SELECT len(range(0, (SELECT 600000000)))",
    "12,000 UNION ALL arms": " UNION ALL ".join(["SELECT 1"] * 12000),
    "20,000 UNION ALL arms": " UNION ALL ".join(["SELECT 1"] * 20000),
    "repeat('x', 1000) over 1e9 rows, sorted (constant)":
        "SELECT max(s) FROM (SELECT repeat('x', 1000) || i AS s FROM range(1000000000) r(i) ORDER BY s)",
    "repeat('x', 1000) over 1e9 rows, sorted (computed)":
        "SELECT max(s) FROM (SELECT repeat('x', 1000) || i AS s FROM range((SELECT 1000000000)) r(i) ORDER BY s)",
    "list_sort(list_reverse(range(40M))) (ignores interrupt)":
        "SELECT len(list_sort(list_reverse(range(0, (SELECT 40000000)))))",
    "1e10-row cross join (computed)":
        "SELECT count(*) FROM range((SELECT 100000)) a, range((SELECT 100000)) b WHERE (a.range * b.range) % 7 = 3",
}


def sample_db(directory: Path) -> Path:
    """Load the bundled sample into a fresh database."""
    from assistant.ingest import load_paths

    db = directory / "db" / "sample.duckdb"
    db.parent.mkdir(parents=True)
    load_paths(db, [ROOT / "fixtures" / "sample"], strict=True)
    return db


def corpus(db: Path, directory: Path, deadline: float, memory_mb: int) -> None:
    """Run the whole corpus and print the counts per family."""
    box = directory / "box"
    box.mkdir()
    statements = load_corpus()
    started = time.perf_counter()
    tally = run_corpus(db, box, statements, timeout_s=deadline, memory_mb=memory_mb)
    elapsed = time.perf_counter() - started
    print("| family | statements | refused by the guard | refused or stopped by the engine | ran, harmless |")
    print("|:--|--:|--:|--:|--:|")
    for family in tally.families():
        refused, engine, ran = tally.refused[family], tally.engine_error[family], tally.ran[family]
        print(f"| {family} | {refused + engine + ran:,} | {refused:,} | {engine:,} | {ran:,} |")
    total = len(statements)
    print(f"| **all** | {total:,} | {sum(tally.refused.values()):,} | {sum(tally.engine_error.values()):,} | "
          f"{sum(tally.ran.values()):,} |")
    print(f"\nviolations: {len(tally.violations)}; {elapsed:.0f} s ({elapsed / total * 1000:.0f} ms a statement)")
    for v in tally.violations[:20]:
        print("  ", v)


def bombs(db: Path, deadline: float, memory_mb: int) -> None:
    """Run each bomb in its own process and print outcome, time and peak memory."""
    print(f"\ndeadline {deadline:g} s, memory {memory_mb} MB (DuckDB {memory_mb * 3 // 4} MB, "
          f"kill at {memory_mb + 512} MB), temp 1024 MB")
    print("| bomb | outcome | wall s | peak RSS MB |")
    print("|:--|:--|--:|--:|")
    for name, sql in BOMBS.items():
        done = subprocess.run([sys.executable, "-c", BOMB_SCRIPT, str(db), str(deadline), str(memory_mb), "1024"],
                              input=sql, capture_output=True, text=True, timeout=deadline + 120, cwd=ROOT)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        outcome = result["outcome"].split(";")[0][:90].replace("|", "/")
        print(f"| {name} | {outcome} | {result['elapsed']:.1f} | {result['peak_mb']:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bombs-only", action="store_true")
    parser.add_argument("--deadline", type=float, default=30.0)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--corpus-deadline", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = sample_db(Path(tmp))
        if not args.bombs_only:
            corpus(db, Path(tmp), args.corpus_deadline, 512)
        bombs(db, args.deadline, args.memory_mb)


if __name__ == "__main__":
    main()
