"""What a --db file is, from its first bytes: a DuckDB database, a SQLite one, or something else."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import LoadError


def check_database_file(db_path: Path) -> None:
    """Raise LoadError naming what `db_path` is when it exists but is not a DuckDB database."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    with open(db_path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        what = "a SQLite database"
    elif head[8:12] == b"DUCK":
        return
    else:
        what = "not a DuckDB database"
    raise LoadError(
        f"{db_path} is {what}, so cma cannot use it as its database.",
        hint="Pass --db with a new file name (e.g. copilot.duckdb); cma creates it.",
    )
