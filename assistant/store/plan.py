"""The engine's own check: DuckDB binds the statement and every scan in its plan must read a queryable table.

This is independent of the guard's reading of the SQL text: views are expanded, CTEs resolved and
names matched by DuckDB itself, so a name the guard took for a CTE but the engine binds to a catalog
view (`pg_settings`, `duckdb_tables`, `sqlite_master`) shows up here as the table function behind it
and is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from assistant.errors import GuardError

if TYPE_CHECKING:
    import duckdb

__all__ = ["check_plan", "PLAN_FUNCTIONS"]

# Table functions a plan may call: the generators the guard allows in FROM.
PLAN_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# Operators that produce rows without reading a table or calling a table function.
_SOURCES = frozenset({
    "EMPTY_RESULT", "COLUMN_DATA_SCAN", "DUMMY_SCAN", "CTE_SCAN", "REC_CTE_SCAN", "DELIM_SCAN",
    "CHUNK_SCAN", "EXPRESSION_SCAN",
})  # fmt: skip
_TABLE_SCANS = frozenset({"SEQ_SCAN", "TABLE_SCAN", "INDEX_SCAN"})

_NAME_PART = re.compile(r'"((?:[^"]|"")*)"|([^".]+)')
_HINT = "The assistant only reads the loaded tables; it never reads engine settings, catalogs or files."


def check_plan(con: "duckdb.DuckDBPyConnection", sql: str, allowed_tables: Collection[str]) -> None:
    """Raise GuardError unless every table and table function in the bound plan of `sql` is allowed.

    A statement DuckDB cannot bind raises its duckdb.Error (LINE numbers one more than in `sql`).
    """
    database = str(con.execute("SELECT current_database()").fetchone()[0]).lower()  # type: ignore[index]
    allowed = _with_view_tables(con, database, frozenset(t.lower() for t in allowed_tables))
    for node in _plan(con, sql):
        _check_node(node, database, allowed)


def _plan(con: "duckdb.DuckDBPyConnection", sql: str) -> list[dict[str, Any]]:
    """Return every operator of the bound plan of `sql`."""
    rows = con.execute(f"EXPLAIN (FORMAT JSON)\n{sql}").fetchall()
    return [node for row in rows for node in _nodes(json.loads(row[-1]))]


_VIEW_TABLES: dict[tuple[str, frozenset[str]], frozenset[str]] = {}


def _with_view_tables(con: "duckdb.DuckDBPyConnection", database: str, allowed: frozenset[str]) -> frozenset[str]:
    """Return `allowed` plus the tables its views scan (a view's plan reads its base tables), once per set."""
    key = (database, allowed)
    if key not in _VIEW_TABLES:
        views = {str(r[0]).lower() for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
            "AND database_name = current_database()").fetchall()}
        scanned = {
            _table_name(str(node["extra_info"]["Table"]))
            for view in sorted(views & allowed)
            for node in _plan(con, f'SELECT * FROM "{view}"')
            if isinstance(node.get("extra_info"), dict) and node["extra_info"].get("Table")
        }
        _VIEW_TABLES[key] = allowed | scanned
    return _VIEW_TABLES[key]


def _table_name(qualified: str) -> str:
    """Return the last part of a qualified table name, unquoted and lower-case."""
    return _parts(qualified.lower())[-1]


def _nodes(plan: Any) -> Iterator[dict[str, Any]]:
    """Yield every operator of an EXPLAIN (FORMAT JSON) plan, depth first."""
    stack = list(plan) if isinstance(plan, list) else [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.get("children") or [])


def _check_node(node: dict[str, Any], database: str, allowed: frozenset[str]) -> None:
    """Refuse an operator that scans a table outside `allowed` or calls a table function not in PLAN_FUNCTIONS."""
    info = node.get("extra_info") or {}
    if not isinstance(info, dict):
        return
    function = info.get("Function")
    if function is not None and str(function).lower() not in PLAN_FUNCTIONS:
        raise GuardError(f"the query reads {str(function).lower()}(), which is not a loaded table", hint=_HINT)
    table = info.get("Table")
    if table is not None and not _is_allowed_table(str(table).lower(), database, allowed):
        raise GuardError(f"the query reads {table}, which is not a loaded table", hint=_HINT)
    name = str(node.get("name", "")).strip().upper()
    leaf = not node.get("children")
    if leaf and function is None and name not in _SOURCES and not (name in _TABLE_SCANS and table):
        raise GuardError(f"the query's plan reads from {name or 'an unnamed source'}, not a loaded table", hint=_HINT)


def _is_allowed_table(qualified: str, database: str, allowed: frozenset[str]) -> bool:
    """Return whether `database.main.name` names an allowed table of this database."""
    parts = _parts(qualified)
    if len(parts) == 1:
        return parts[0] in allowed
    return parts[:-1] == [database, "main"] and parts[-1] in allowed


def _parts(qualified: str) -> list[str]:
    """Return the dot-separated parts of a qualified name, with double quotes removed."""
    return [quoted.replace('""', '"') if quoted else bare for quoted, bare in _NAME_PART.findall(qualified)]
