"""What every bench shares: one process's own wall, CPU and peak memory, and alternating pairs of two commands."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any


def compile_package() -> None:
    """Write the package's bytecode once: with PYTHONDONTWRITEBYTECODE set, every run would compile it again."""
    import compileall

    import assistant

    compileall.compile_dir(Path(assistant.__file__).parent, quiet=1)


def run(argv: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall and CPU seconds and peak RSS (MB) of one process, which must succeed (rusage from wait4)."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    chunks: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, f=f: chunks.__setitem__(n, f.read()))
               for n, f in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed: {chunks['err'].decode()[-800:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "stdout": chunks["out"].decode()}


def paired(a: list[str], b: list[str], pairs: int, env: dict[str, str] | None = None,
           before: Any = None) -> dict[str, float]:
    """Alternating pairs of two commands (a first, then b first, ...): medians and the median per-pair ratios.

    `before`, when given, is called before every run (e.g. to remove the database the last run wrote).
    """
    ra: list[dict[str, Any]] = []
    rb: list[dict[str, Any]] = []
    for i in range(pairs):
        order = [(a, ra), (b, rb)] if i % 2 == 0 else [(b, rb), (a, ra)]
        for argv, into in order:
            if before:
                before()
            into.append(run(argv, env))
    med = statistics.median
    return {
        "cma_wall_s": round(med(r["wall"] for r in ra), 3), "cma_cpu_s": round(med(r["cpu"] for r in ra), 3),
        "base_wall_s": round(med(r["wall"] for r in rb), 3), "base_cpu_s": round(med(r["cpu"] for r in rb), 3),
        "wall_ratio": round(med(x["wall"] / y["wall"] for x, y in zip(ra, rb)), 2),
        "cpu_ratio": round(med(x["cpu"] / y["cpu"] for x, y in zip(ra, rb)), 2),
        "cma_peak_mb": round(max(r["rss_mb"] for r in ra)), "base_peak_mb": round(max(r["rss_mb"] for r in rb)),
    }


def machine() -> str:
    """Cores, memory and the load average now, for the record."""
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem_gb:.0f} GB, load average {os.getloadavg()[0]:.1f}"
