"""Which questions still reach the phrase reader, and where both readers answer, whether their rows agree.

    python bench/reader_diff.py [--db FILE] [--table] [--diff] [--snapshot] [--counter OUT.json]

For every answerable question of eval/*.jsonl (and with --snapshot the questions of bench/offline_snapshot.py),
it asks the compositional reader (`reader.translate`) and the phrase reader alone (intent.parse then sql.build,
once more after `reader.tolerant` respelling, as the translator does). --table prints the phrase reader's share
by its Intent's family; --diff runs both SQLs on the database and lists the questions whose result rows differ;
--counter writes the phrase-reader questions to a file (for a coverage run of what still reaches it).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def eval_questions() -> list[str]:
    """The answerable questions of every eval set."""
    out = []
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        for line in path.open():
            row = json.loads(line)
            if "expected_sql" in row:
                out.append(row["question"])
    return out


def family(intent: Any) -> tuple[object, ...]:
    """The phrase reader's family of an Intent: shape, dims, user dims, filters, order, thresholds."""
    return (intent.shape, bool(intent.dims), "user" in intent.dims, bool(intent.filters or intent.weekdays),
            bool(intent.order), bool(intent.thresholds))


def phrase(q: str, ctx: Any) -> tuple[Any, str] | None:
    """The phrase reader's Intent and SQL, after respelling when the first reading refuses; None on a refusal."""
    from assistant.errors import CannotAnswer
    from assistant.offline import reader
    from assistant.offline.intent import parse
    from assistant.offline.sql import build

    for text in dict.fromkeys((q, reader.tolerant(q, ctx))):
        try:
            intent = parse(text, ctx.values, ctx.as_of, ctx.logins)
            return intent, build(intent, ctx.as_of)[0]
        except CannotAnswer:
            continue
    return None


def compositional(q: str, ctx: Any) -> str | None:
    """The compositional reader's SQL, None when it passes the question on or refuses."""
    from assistant.errors import CannotAnswer
    from assistant.offline import reader

    try:
        got = reader.translate(q, ctx)
    except CannotAnswer:
        return None
    return got.sql if got is not None else None


def rows(con: Any, sql: str) -> list[tuple] | str:
    """The result rows (or the error's text)."""
    try:
        return con.execute(sql).fetchall()
    except Exception as e:  # a failing SQL is an outcome to compare too
        return f"error: {type(e).__name__}"


def agree(con: Any, new: str, old: str) -> bool:
    """Both answers hold the same rows, one's columns among the other's (the eval's match rule, either way)."""
    from assistant.engine.evaluate import results_match

    a, b = rows(con, new), rows(con, old)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return results_match(a, b, ordered=False)[0] or results_match(b, a, ordered=False)[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--diff", action="store_true")
    ap.add_argument("--snapshot", action="store_true")
    ap.add_argument("--counter", type=Path)
    args = ap.parse_args()
    from assistant.config import load_settings
    from assistant.engine.session import Session
    from assistant.ingest import load_paths

    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "sample.duckdb"
        load_paths(db, [ROOT / "fixtures" / "sample"], strict=True)
    session = Session(load_settings(db=db, offline=True))
    ctx, con = session.context(), session.connection()
    qs = eval_questions()
    if args.snapshot:
        import offline_snapshot

        qs = list(dict.fromkeys(qs + offline_snapshot.questions()))
    fams: collections.Counter[tuple[object, ...]] = collections.Counter()
    examples: dict[tuple[object, ...], list[str]] = collections.defaultdict(list)
    to_phrase, differ = [], 0
    for q in qs:
        new = compositional(q, ctx)
        old = phrase(q, ctx) if new is None or args.diff else None
        if new is None:
            to_phrase.append(q)
            key = family(old[0]) if old else ("refused",)
            fams[key] += 1
            examples[key].append(q)
        elif args.diff and old is not None and not agree(con, new, old[1]):
            differ += 1
            print(f"--- {q!r}\n  new: {new}\n  old: {old[1]}")
    print(f"{len(qs)} questions: {len(qs) - len(to_phrase)} compositional, {len(to_phrase)} passed on"
          + (f"; {differ} differ where both answer" if args.diff else ""))
    if args.table:
        for key, n in fams.most_common():
            print(f"{n:5} {key}  e.g. {examples[key][:3]}")
    if args.counter:
        args.counter.write_text(json.dumps(to_phrase, indent=1))
    session.close()


if __name__ == "__main__":
    main()
