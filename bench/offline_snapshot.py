"""Dump what the offline translator makes of every known question, to hold a refactor to zero differences.

    python bench/offline_snapshot.py OUT.json [--db FILE]      # write a snapshot
    python bench/offline_snapshot.py --compare A.json B.json   # list the questions that translate differently

For every question of the eval sets, every question-like string in the offline tests, and each of those with a
follow-on phrase added (" by team", " last month", " on weekends", ...), it records the whole translator's
SQL, interpretation and follow-up flag (or the refusal's message and hint) and, separately, the phrase
reader's alone (intent.parse then sql.build), so a change behind the compositional reader shows too; and
what six follow-ups ("and by team?", "who are they?", ...) become after each eval question.
Loads the bundled sample unless --db points at a loaded database.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SETS = ("questions", "heldout", "heldout2", "heldout3", "heldout4")
TEST_FILES = ("test_offline.py", "test_reader.py", "test_everyday.py")
SUFFIXES = ("", " by team", " last month", " for vscode users", " per day", " top 3", " on weekends",
            " compared with last week")
# follow-ups asked after each eval question (the thread is that question)
FOLLOW_UPS = ("and by team?", "only last week", "who are they?", "and interactions?", "what about jetbrains",
              "top 3")
# shapes the sets above rarely reach
EXTRA = ("how many orgs", "how many distinct orgs are there", "seats by organization", "seat utilisation by org",
         "which seats were never used in acme-corp", "how many languages were used", "number of distinct ides",
         "users per adoption phase", "team adoption rate under 50%", "when was mchen-acme last active")


def _test_strings(path: Path) -> list[str]:
    """The string constants of a test module that read like questions (a few words, no SQL)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            s = node.value
            if 2 <= len(s.split()) <= 25 and "\n" not in s and "SELECT" not in s.upper()[:12]:
                out.append(s)
    return out


def eval_questions() -> list[str]:
    """The questions of the eval sets."""
    return [json.loads(line)["question"] for name in SETS for line in open(ROOT / "eval" / f"{name}.jsonl")]


def questions() -> list[str]:
    """Every question the snapshot covers, in a stable order without repeats."""
    base = eval_questions()
    for name in TEST_FILES:
        base += _test_strings(ROOT / "tests" / name)
    base += EXTRA
    seen: dict[str, None] = {}
    for q in base:
        for suffix in SUFFIXES:
            seen.setdefault(q.rstrip(" ?") + suffix if suffix else q, None)
    return list(seen)


def _outcome(fn: Callable[[], tuple[str, str | None, bool]]) -> dict[str, object]:
    from assistant.errors import CannotAnswer

    try:
        sql, interpretation, follow_up = fn()
    except CannotAnswer as refused:
        return {"refused": str(refused), "hint": refused.hint}
    except Exception as crash:  # a crash is an outcome too: the refactor must not change it either
        return {"crash": f"{type(crash).__name__}: {crash}"}
    return {"sql": sql, "interpretation": interpretation, "follow_up": follow_up}


def snapshot(db: Path | None) -> dict[str, dict[str, object]]:
    """Question -> what the whole translator and the phrase reader alone make of it."""
    from assistant.config import load_settings
    from assistant.contracts import Turn
    from assistant.engine.session import Session
    from assistant.ingest import load_paths
    from assistant.offline.intent import parse
    from assistant.offline.sql import build
    from assistant.offline.translator import OfflineTranslator

    if db is None:
        db = Path(tempfile.mkdtemp()) / "sample.duckdb"
        load_paths(db, [ROOT / "fixtures" / "sample"], strict=True)
    session = Session(load_settings(db=db, offline=True))
    ctx = session.context()
    assert ctx.as_of is not None
    as_of = ctx.as_of

    def whole(q: str) -> tuple[str, str | None, bool]:
        t = OfflineTranslator().translate(q, ctx, [])
        return t.sql, t.interpretation, t.follow_up

    def phrase(q: str) -> tuple[str, str | None, bool]:
        return (*build(parse(q, ctx.values, as_of, ctx.logins), as_of), False)

    def follow(first: str, then: str) -> tuple[str, str | None, bool]:
        t = OfflineTranslator().translate(then, ctx, [Turn(first, "SELECT 1", thread=(first,))])
        return t.sql, t.interpretation, t.follow_up

    out = {q: {"whole": _outcome(lambda q=q: whole(q)), "phrase": _outcome(lambda q=q: phrase(q))}
           for q in questions()}
    for first in dict.fromkeys(eval_questions()):
        for then in FOLLOW_UPS:
            out[f"{first} => {then}"] = {"whole": _outcome(lambda f=first, t=then: follow(f, t))}
    session.close()
    return out


def compare(a: Path, b: Path) -> int:
    """Print the questions whose outcome differs between two snapshots; the number of them."""
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    diffs = [q for q in sorted(set(old) | set(new)) if old.get(q) != new.get(q)]
    for q in diffs:
        print(f"--- {q!r}\n  before: {old.get(q)}\n  after:  {new.get(q)}")
    print(f"{len(diffs)} of {len(old)} questions differ")
    return len(diffs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--compare", type=Path, nargs=2)
    args = ap.parse_args()
    if args.compare:
        sys.exit(1 if compare(*args.compare) else 0)
    if args.out is None:
        ap.error("give the file to write the snapshot to, or --compare A B")
    snap = snapshot(args.db)
    args.out.write_text(json.dumps(snap, indent=1, sort_keys=True))
    print(f"{len(snap)} questions written to {args.out}")


if __name__ == "__main__":
    main()
