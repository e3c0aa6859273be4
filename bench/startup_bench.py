"""Where `cma ask --offline` and `cma chat` spend their start-up: import times by package (python -X importtime).

    python bench/startup_bench.py --db DB [--runs 5]

Runs each command RUNS times in a fresh interpreter with -X importtime, sums the self time of every
module by top-level package and keeps the fastest run per package (the machine is shared, so the
minimum is the least disturbed). `cma chat` is run with its input closed, so it prints the banner and
exits at once.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from measure import compile_package

LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def cma_script() -> str:
    """The installed console script next to this interpreter."""
    return str(Path(sys.executable).with_name("cma"))


def import_times(args: list[str]) -> tuple[dict[str, float], float]:
    """Self import time (ms) per top-level package for one run, and the total."""
    proc = subprocess.run([sys.executable, "-X", "importtime", cma_script(), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    by_package: dict[str, float] = defaultdict(float)
    for line in proc.stderr.splitlines():
        m = LINE.match(line)
        if m:
            by_package[package(m[4])] += int(m[1]) / 1000
    return dict(by_package), sum(by_package.values())


def package(module: str) -> str:
    """The group a module is counted in: our sub-packages one by one, else the top-level package."""
    parts = module.split(".")
    if parts[0] == "assistant":
        return ".".join(parts[:2])
    name = parts[0].lstrip("_")
    return name if name in THIRD_PARTY else "(stdlib and others)"


THIRD_PARTY = frozenset({"duckdb", "sqlglot", "typer", "pydantic", "pydantic_core", "rich", "openai", "httpx",
                         "prompt_toolkit", "platformdirs", "annotated_types", "typing_extensions", "pygments",
                         "markdown_it", "httpcore", "anyio", "wcwidth", "typing_inspection"})


def fastest(args: list[str], runs: int) -> dict[str, float]:
    """The fastest of `runs` runs, per package, with the fastest total under '(total)'."""
    best: dict[str, float] = {}
    totals = []
    for _ in range(runs):
        times, total = import_times(args)
        totals.append(total)
        for k, v in times.items():
            best[k] = min(best.get(k, v), v)
    best["(total)"] = min(totals)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    compile_package()
    commands = {
        "ask --offline": ["ask", "--offline", "--format", "json", "--db", str(args.db),
                          "how many people used copilot yesterday?"],
        "ask --offline (table)": ["ask", "--offline", "--db", str(args.db), "how many people used copilot yesterday?"],
        "chat --offline": ["chat", "--offline", "--db", str(args.db)],
        "--help": ["--help"],
    }
    out = {name: {k: round(v, 1) for k, v in sorted(fastest(cmd, args.runs).items(), key=lambda kv: -kv[1])}
           for name, cmd in commands.items()}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
