"""The read-only query runner: a locked-down DuckDB connection, a time limit and a row cap.

This is the layer the guard relies on: even SQL that slipped past `guard.check_sql` cannot write the
database file (read-only), touch other files or the network (external access off), load extensions,
or loosen any of that (configuration locked). The temp catalog stays writable on a read-only
connection, which is one reason the guard refuses CREATE.
"""

from __future__ import annotations

import difflib
import re
import threading
import time
from collections.abc import Collection
from pathlib import Path

from assistant.errors import LoadError, QueryError, QueryStopped
from assistant.sanitize import printable
from assistant.store.dbfile import check_database_file
from assistant.store.engine import duckdb
from assistant.store.plan import check_plan
from assistant.store.result import Result

__all__ = ["Result", "open_readonly", "run_query", "truncation_note"]

# What the connection may not do. python_enable_replacements stops `FROM some_name` from scanning a
# Python variable of that name; allow_community_extensions is belt and braces next to external access.
_LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "python_enable_replacements": False,
}

# The total row count rides along as an extra last column; `count(*) OVER ()` keeps the inner
# ORDER BY (DuckDB guarantees order for an empty OVER clause, LIMIT and single-table FROM) and runs
# the query once.
_COUNT_COLUMN = "__cma_total_rows"
_SELECT_TYPES = (duckdb.StatementType.SELECT, duckdb.StatementType.MULTI)  # MULTI: PIVOT without IN

_DEFAULT_HINT = "See the tables and columns with /schema (or `cma schema`)."
_HINTS: dict[type[duckdb.Error], str] = {
    duckdb.ParserException: "Check the SQL syntax (DuckDB dialect).",
    duckdb.PermissionException: "Queries may read the loaded tables only, not files, network or settings.",
    duckdb.OutOfMemoryException: "The query needs too much memory; aggregate more or narrow the date range.",
    duckdb.InvalidInputException: "Queries run on a read-only connection; they can only read the tables.",
}  # fmt: skip


def _check_duckdb_file(db_path: Path) -> None:
    try:
        check_database_file(db_path)
    except LoadError as e:
        raise QueryError(e.message, hint=e.hint) from e


def open_readonly(
    db_path: Path, *, threads: int = 2, memory_limit: str = "2GB", temp_directory: str | None = None,
    max_temp_size: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Return a read-only connection to `db_path` with external access off and configuration locked.

    `temp_directory` and `max_temp_size` give the queries a private, capped place to spill to.
    """
    if not Path(db_path).is_file():
        raise QueryError(f"No database at {db_path}", hint="Load exports first: cma load PATH")
    _check_duckdb_file(Path(db_path))
    config: dict[str, str | bool | int | float | list[str]] = {
        **_LOCKED_DOWN,
        "threads": threads,
        "memory_limit": memory_limit,
        # locked at connect, not by a later SET, so a second connection in this process (same config) can open
        "lock_configuration": True,
    }
    if temp_directory is not None:
        config["temp_directory"] = temp_directory
    if max_temp_size is not None:
        config["max_temp_directory_size"] = max_temp_size
    try:
        con = duckdb.connect(str(db_path), read_only=True, config=config)
    except duckdb.Error as e:
        raise QueryError(
            f"Could not open {db_path}: {e}",
            hint="Check that the file is a DuckDB database and no `cma load` is writing to it.",
        ) from e
    return con


def run_query(
    con: duckdb.DuckDBPyConnection, sql: str, *, max_rows: int = 200, timeout_s: float = 30.0,
    allowed_tables: Collection[str] | None = None,
) -> Result:
    """Run one SELECT, returning at most `max_rows` rows and the total count; stop it after `timeout_s`.

    `sql` is what `guard.check_sql` returned: one statement, no `;` followed by a comment. With
    `allowed_tables`, DuckDB's bound plan must scan only those (`plan.check_plan`) before it runs.
    """
    inner = _single_select(con, sql)
    wrapped = f"SELECT *, count(*) OVER () AS {_COUNT_COLUMN} FROM (\n{inner}\n) LIMIT {max(max_rows, 1)}"
    _single_select(con, wrapped)  # the inner text must not close the parenthesis and start a statement
    timed_out = threading.Event()
    timer = threading.Timer(timeout_s, _interrupt, args=(con, timed_out))
    started = time.perf_counter()
    timer.start()
    try:
        if allowed_tables is not None:
            check_plan(con, inner, allowed_tables)
        cursor = con.execute(wrapped)
        columns = [d[0] for d in cursor.description or []][:-1]
        fetched = cursor.fetchall()
    except duckdb.InterruptException as e:
        if timed_out.is_set():
            raise QueryStopped(
                f"Query stopped after {timeout_s:g} s",
                hint="Narrow the question (a shorter date range, fewer groups) or raise the time limit.",
            ) from e
        raise QueryStopped("Query interrupted", hint="Run it again to retry.") from e
    except duckdb.OutOfMemoryException as e:
        raise QueryStopped(_unwrapped(str(e)), hint=_hint(e)) from e
    except duckdb.Error as e:
        raise QueryError(_unwrapped(str(e)), hint=_hint(e)) from e
    except RuntimeError as e:
        # A Ctrl-C (SIGINT) that lands while DuckDB executes comes back as RuntimeError("Query
        # interrupted"); give the caller the KeyboardInterrupt it stands for.
        if "interrupted" in str(e).lower():
            raise KeyboardInterrupt from e
        raise
    finally:
        timer.cancel()
        timer.join()  # a deadline that fired late must not interrupt the caller's next query
    elapsed = time.perf_counter() - started
    rows = [row[:-1] for row in fetched[:max_rows]]
    total = int(fetched[0][-1]) if fetched else 0
    return Result(columns, rows, total, total > len(rows), elapsed)


def truncation_note(result: Result) -> str | None:
    """Return "showing 200 of 12,345 rows" for a truncated result, else None."""
    if not result.truncated:
        return None
    return f"showing {len(result.rows):,} of {result.row_count:,} rows"


def _single_select(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """Return `sql` without trailing `;` if DuckDB's parser sees exactly one SELECT, else raise QueryError."""
    text = sql.strip().rstrip(";").rstrip()
    try:
        statements = con.extract_statements(text)  # this connection's parser: no default connection to open
    except duckdb.Error as e:
        raise QueryError(str(e), hint=_hint(e)) from e
    if len(statements) != 1 or statements[0].type not in _SELECT_TYPES:
        kinds = ", ".join(s.type.name for s in statements) or "nothing"
        raise QueryError(
            f"Expected one SELECT statement, got {kinds}",
            hint="Only read-only SELECT queries run here.",
        )
    return text


def _unwrapped(message: str) -> str:
    """Return a DuckDB error message with "LINE n:" counted from the caller's SQL, not the wrapper.

    The message may quote data values, so control characters and escape sequences are stripped.
    """
    message = printable(message)
    return re.sub(r"\bLINE (\d+):", lambda m: f"LINE {max(int(m.group(1)) - 1, 1)}:", message)


def _interrupt(con: duckdb.DuckDBPyConnection, timed_out: threading.Event) -> None:
    """Mark the deadline as passed and interrupt the running query."""
    timed_out.set()
    con.interrupt()


def _hint(error: duckdb.Error) -> str:
    """Return a hint for a DuckDB error: close column names for a binder error, else one per error kind."""
    if isinstance(error, duckdb.BinderException):
        return _column_hint(str(error)) or _DEFAULT_HINT
    for kind, hint in _HINTS.items():
        if isinstance(error, kind):
            return hint
    return _DEFAULT_HINT


_MISSING_COLUMN = re.compile(r'(?:Referenced column|column named) "([^"]+)"')
_CANDIDATES = re.compile(r"Candidate bindings:(.*)")


def _column_hint(message: str) -> str | None:
    """Return "Did you mean "x"?" from a binder error's missing column and its candidate bindings."""
    missing = _MISSING_COLUMN.search(message)
    candidates_line = _CANDIDATES.search(message)
    if not missing or not candidates_line:
        return None
    candidates = re.findall(r'"([^"]+)"', candidates_line.group(1))
    close = difflib.get_close_matches(missing.group(1), candidates, n=3, cutoff=0.5) or candidates[:3]
    if not close:
        return None
    return "Did you mean " + " or ".join(f'"{name}"' for name in close) + "?"
