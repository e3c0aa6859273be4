"""Count the phrase reader's branching: `if`s, regular expressions, refusal sites and long functions.

    python bench/offline_counts.py [DIR]      # default assistant/offline (the reader/ package included)

An `if` is an if statement, a conditional expression or a comprehension's filter; a regular expression is a
call of re.compile/search/match/fullmatch/sub/findall/finditer/split, and a pattern is a string constant
that reads as a regular expression (\\b, (?:, \\d, \\s, \\w, lookarounds), so rule tables count too; a refusal
site is a call of CannotAnswer(...) or refuse(...). Functions of more than 60 lines are listed with their length.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

REGEX_MARKS = ("\\b", "(?:", "\\d", "\\s", "\\w", "(?=", "(?!", "(?<")
RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


def _counts(tree: ast.AST) -> tuple[int, int, int, int]:
    """The numbers of ifs, regex calls, regex pattern literals and refusal sites in a parsed module."""
    ifs = regexes = patterns = refusals = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            patterns += any(mark in node.value for mark in REGEX_MARKS)
        if isinstance(node, (ast.If, ast.IfExp)):
            ifs += 1
        elif isinstance(node, ast.comprehension):
            ifs += len(node.ifs)
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "re":
                regexes += f.attr in RE_CALLS
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            refusals += name in ("CannotAnswer", "refuse")
    return ifs, regexes, patterns, refusals


def _long_functions(tree: ast.AST, limit: int = 60) -> list[tuple[str, int]]:
    """The functions longer than `limit` lines, with their lengths."""
    return [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno
            and n.end_lineno - n.lineno + 1 > limit]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "assistant/offline")
    total = [0, 0, 0, 0]
    print(f"{'module':40} {'ifs':>5} {'re.*':>5} {'pats':>5} {'refuse':>6}  long functions")
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text())
        counts = _counts(tree)
        total = [a + b for a, b in zip(total, counts)]
        longs = ", ".join(f"{n} {k}" for n, k in _long_functions(tree))
        print(f"{str(path.relative_to(root)):40} {counts[0]:5} {counts[1]:5} {counts[2]:5} {counts[3]:6}  {longs}")
    print(f"{'total':40} {total[0]:5} {total[1]:5} {total[2]:5} {total[3]:6}")


if __name__ == "__main__":
    main()
