"""The last conversation's turns, kept in the state directory so `cma ask --continue` can follow up."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Sequence

from assistant.config import private_dir, state_dir
from assistant.contracts import Turn, plain

MAX_TURNS = 10


def conversation_path() -> Path:
    return state_dir() / "last_conversation.json"


def save_conversation(turns: Sequence[Turn], db: Path | None = None) -> Path:
    """Write the last turns (questions, SQL, result shape and a few rows) atomically."""

    path = conversation_path()
    private_dir(path.parent)
    records = []
    for t in list(turns)[-MAX_TURNS:]:
        rec = asdict(t)
        rec["sample"] = [[plain(v) for v in row] for row in t.sample]
        records.append(rec)
    payload = {"version": 1, "db": str(db) if db else None, "turns": records}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".conversation-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(payload, f, indent=1, default=str)
    os.replace(tmp, path)
    return path


def load_conversation() -> list[Turn]:
    """The saved turns, or none when there is no (readable) saved conversation."""
    path = conversation_path()
    try:
        payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    fields = set(Turn.__dataclass_fields__)
    turns = []
    for rec in payload.get("turns", []):
        if not isinstance(rec, dict) or "question" not in rec:
            continue
        rec = {k: v for k, v in rec.items() if k in fields}
        rec.setdefault("sql", None)
        rec["sample"] = [tuple(r) for r in rec.get("sample") or []]
        rec["thread"] = tuple(str(q) for q in rec.get("thread") or ())
        turns.append(Turn(**rec))
    return turns
