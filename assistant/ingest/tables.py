"""Write loader rows into catalog tables: bulk insert typed by the catalog, delete by key, upsert."""

from __future__ import annotations

import json
import os
import tempfile
from typing import TYPE_CHECKING, Any

from assistant.semantic import catalog

if TYPE_CHECKING:
    import duckdb


def insert_rows(con: "duckdb.DuckDBPyConnection", table: catalog.Table, rows: list[dict[str, Any]]) -> int:
    """Bulk-insert dicts keyed by column name through a temporary NDJSON file (fast and typed by the catalog)."""
    if not rows:
        return 0
    fd, tmp = tempfile.mkstemp(suffix=".ndjson", prefix="cma-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps(r, default=str))
                out.write("\n")
        cols = [c for c in table.columns if c.name in rows[0] or any(c.name in r for r in rows[:50])]
        spec = "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in cols) + "}"
        names = ", ".join(c.name for c in cols)
        con.execute(
            f"INSERT INTO {table.name} ({names}) SELECT {names} FROM read_json(?, format='newline_delimited', "
            f"columns={spec})",
            [tmp],
        )
    finally:
        os.unlink(tmp)
    return len(rows)


def delete_keys(con: "duckdb.DuckDBPyConnection", table: catalog.Table, rows: list[dict[str, Any]]) -> None:
    """Delete the rows of `table` whose key equals one of `rows` (null-safe)."""
    if not rows:
        return
    key = table.key
    con.execute(f"CREATE OR REPLACE TEMP TABLE del_keys AS SELECT * FROM {table.name} LIMIT 0")
    insert_rows(con, catalog.Table("del_keys", "", table.columns), [{k: r.get(k) for k in key} for r in rows])
    cond = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in key)
    con.execute(f"DELETE FROM {table.name} t USING del_keys d WHERE {cond}")
    con.execute("DROP TABLE del_keys")


def upsert(con: "duckdb.DuckDBPyConnection", table: catalog.Table, rows: list[dict[str, Any]]) -> int:
    """Replace rows with the same key, keeping the last of duplicates within `rows`."""
    last: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        last[tuple(r.get(k) for k in table.key)] = r
    unique = list(last.values())
    delete_keys(con, table, unique)
    return insert_rows(con, table, unique)
