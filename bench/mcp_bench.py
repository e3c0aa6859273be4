"""Start-up of `cma mcp`: time from spawn to the `initialize` reply, paired with a bare SDK server in the same run.

    python bench/mcp_bench.py [--db FILE] [--runs 5]

Without --db the bundled sample is loaded into a temporary database first. Each run spawns the bare
MCPServer (one tool, nothing of ours: the SDK's own start-up cost) and `cma mcp`, alternately, and
times the `initialize` reply over stdio; for `cma mcp` it also times the first `describe_data` and a
`run_sql` call. Prints the medians and the ratio to the baseline.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = """\
from mcp.server.mcpserver import MCPServer

server = MCPServer("baseline")


@server.tool()
def ping() -> str:
    return "pong"


server.run("stdio")
"""
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "bench", "version": "0"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def _call(n: int, name: str, arguments: dict[str, object]) -> dict[str, object]:
    return {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": name, "arguments": arguments}}


def _send(proc: subprocess.Popen, message: dict[str, object]) -> None:
    assert proc.stdin
    proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()


def _reply(proc: subprocess.Popen) -> dict[str, object]:
    assert proc.stdout
    reply = json.loads(proc.stdout.readline())
    if "error" in reply:
        raise RuntimeError(f"server error: {reply['error']}")
    return reply


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_run(command: list[str], calls: list[dict[str, object]]) -> list[float]:
    """CPU and wall seconds from spawn to the initialize reply, then each call's wall time, for one server."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        _send(proc, INITIALIZE)
        _reply(proc)
        times = [_cpu_seconds(proc.pid), time.perf_counter() - started]
        _send(proc, INITIALIZED)
        for call in calls:
            t = time.perf_counter()
            _send(proc, call)
            _reply(proc)
            times.append(time.perf_counter() - t)
        assert proc.stdin
        proc.stdin.close()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="A loaded database (default: the bundled sample, loaded now).")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cma = shutil.which("cma", path=str(Path(sys.executable).parent)) or shutil.which("cma")
    if cma is None:
        sys.exit("cma is not installed in this environment: pip install -e .")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            sys.path.insert(0, str(ROOT))
            from assistant.ingest import load_paths

            db = Path(tmp) / "sample.duckdb"
            load_paths(db, [ROOT / "fixtures" / "sample"], strict=True)
        baseline_script = Path(tmp) / "baseline_server.py"
        baseline_script.write_text(BASELINE)
        calls = [_call(2, "describe_data", {}),
                 _call(3, "run_sql", {"sql": "SELECT team, count(DISTINCT user_id) FROM team_membership GROUP BY 1"})]
        base, ours = [], []
        for _ in range(args.runs):
            base.append(timed_run([sys.executable, str(baseline_script)], []))
            ours.append(timed_run([cma, "mcp", "--db", str(db)], calls))
    print(f"runs: {args.runs}; load average now: {os.getloadavg()[0]:.1f} (wall times grow with it, CPU times less)")
    for label, runs in (("bare SDK server", base), ("cma mcp", ours)):
        cpu, wall = statistics.median(t[0] for t in runs), statistics.median(t[1] for t in runs)
        print(f"{label:<16} initialize: CPU {cpu:.2f} s, wall {wall:.2f} s (wall runs: "
              f"{', '.join(f'{t[1]:.2f}' for t in runs)})")
    ratio_cpu = statistics.median(t[0] for t in ours) / statistics.median(t[0] for t in base)
    ratio_wall = statistics.median(t[1] for t in ours) / statistics.median(t[1] for t in base)
    print(f"ratio cma / bare SDK: CPU {ratio_cpu:.2f}, wall {ratio_wall:.2f}")
    print(f"cma mcp, first describe_data: median {statistics.median(t[2] for t in ours) * 1000:.0f} ms")
    print(f"cma mcp, run_sql:             median {statistics.median(t[3] for t in ours) * 1000:.0f} ms")

if __name__ == "__main__":
    main()
