"""The architecture holds: the layer contracts in pyproject.toml, no import circle between modules, and the offline
translator has no long function (its rules are data or small functions)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    # in a subprocess: import-linter reconfigures logging, which other tests rely on
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename=sys.argv[1]))"
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _circles(graph: "grimp.ImportGraph", modules: set[str]) -> list[list[str]]:
    """Every module that can reach itself through direct imports, with one path that shows it."""
    found = []
    for start in sorted(modules):
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.find_modules_directly_imported_by(node)):
                if nxt == start:
                    found.append(path + [start])
                    stack = []
                    break
                if nxt in modules and nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    return found


def test_no_module_imports_itself_through_others() -> None:
    os.chdir(ROOT)
    graph = grimp.build_graph("assistant", cache_dir=None)
    modules = {m for m in graph.modules if m.startswith("assistant")}
    circles = _circles(graph, modules)
    assert circles == [], "\n".join(" -> ".join(c) for c in circles)


def test_no_offline_function_is_longer_than_80_lines() -> None:
    # the phrase reader's cascade (parse 414 lines, shape 275, find_windows 162) became small functions and rule
    # tables; the longest is under 50 lines now
    long = []
    for path in sorted((ROOT / "assistant" / "offline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == [], long

