"""The database file: create it with the catalog's schema, open it for loading, read coverage facts."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from assistant.errors import LoadError, QueryError
from assistant.semantic import catalog
from assistant.store.dbfile import check_database_file

if TYPE_CHECKING:
    import duckdb

SCHEMA_VERSION = 4
# schema 3 had team_membership and seat_usage as views; 4 makes them loader-maintained tables and stores facts
LOAD_MEMORY_LIMIT = "1GB"
# the per-load facts (assistant.store.derived writes and reads them)
FACTS_DDL = (
    "CREATE TABLE IF NOT EXISTS cma_facts (name VARCHAR PRIMARY KEY, value JSON)",
    "CREATE TABLE IF NOT EXISTS cma_names (kind VARCHAR, name VARCHAR)",
    # seat_usage's activity per (user, month): a load re-aggregates only the months it touched
    "CREATE TABLE IF NOT EXISTS cma_user_months (user_id BIGINT, month DATE, login_lc VARCHAR, first_day DATE, "
    "last_day DATE, days BIGINT)",
)
_UPGRADES = {"3": ("DROP VIEW IF EXISTS team_membership", "DROP VIEW IF EXISTS seat_usage")}


def one(con: "duckdb.DuckDBPyConnection", sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
    """The single row an aggregate query returns."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise RuntimeError(f"expected one row from: {sql}")
    return row


def scalar(con: "duckdb.DuckDBPyConnection", sql: str, params: list[Any] | None = None) -> Any:
    """The first value of the single row an aggregate query returns."""
    return one(con, sql, params)[0]


def ensure_schema(con: "duckdb.DuckDBPyConnection") -> None:
    """Create every table and view of the catalog that is missing (idempotent)."""
    con.execute("CREATE TABLE IF NOT EXISTS cma_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    found = con.execute("SELECT value FROM cma_meta WHERE key = 'schema_version'").fetchone()
    if found and found[0] in _UPGRADES:
        for sql in _UPGRADES[found[0]]:
            con.execute(sql)
    elif found and found[0] != str(SCHEMA_VERSION):
        raise LoadError(
            f"The database was made by another version of cma (schema {found[0]}, this one uses {SCHEMA_VERSION}).",
            hint="Load your exports into a new database file (--db NEW.duckdb); the exports are the source of truth.",
        )
    con.execute("CREATE SEQUENCE IF NOT EXISTS import_seq START 1")
    for table in catalog.TABLES:
        con.execute(table.ddl())
    for view in catalog.VIEWS:
        con.execute(view.ddl())
    for sql in FACTS_DDL:
        con.execute(sql)
    con.execute(
        "INSERT INTO cma_meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [str(SCHEMA_VERSION)],
    )


# Nothing is ever downloaded or loaded behind the user's back (json, parquet and icu are built in).
NO_EXTENSION_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


@contextmanager
def open_for_load(db_path: Path, *, threads: int | None = None) -> Iterator["duckdb.DuckDBPyConnection"]:
    """A read-write connection with the schema in place; closed on exit."""
    from assistant.store.engine import duckdb

    db_path.parent.mkdir(parents=True, exist_ok=True)
    check_database_file(db_path)
    try:
        con = duckdb.connect(str(db_path), config=dict(NO_EXTENSION_DOWNLOADS))
    except duckdb.Error as e:
        raise LoadError(
            f"Cannot open database {db_path}: {e}", hint="Is another cma process using it? Close it and try again."
        ) from e
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        # the staged file spills to disk beyond this, so a load's peak memory stays flat in the file's size
        con.execute(f"SET memory_limit = '{LOAD_MEMORY_LIMIT}'")
        ensure_schema(con)
        yield con
    finally:
        con.close()


@contextmanager
def open_for_read(db_path: Path) -> Iterator["duckdb.DuckDBPyConnection"]:
    """A read-only connection for status and coverage."""
    from assistant.store.query import open_readonly

    if not db_path.exists():
        raise QueryError(f"No database at {db_path}.", hint="Load exports first: cma load PATH (or pass --db FILE).")
    # the same locked-down configuration as the query connection: DuckDB refuses two configs for one file
    con = open_readonly(db_path)
    try:
        yield con
    finally:
        con.close()


def table_counts(con: "duckdb.DuckDBPyConnection") -> dict[str, int]:
    """Row count of every catalog table (views excluded)."""
    parts = " UNION ALL ".join(f"SELECT '{t.name}', count(*) FROM {t.name}" for t in catalog.TABLES)
    return {name: int(n) for name, n in con.execute(parts).fetchall()}


def present_days(con: "duckdb.DuckDBPyConnection", table: str = "user_daily") -> set[date]:
    """The distinct days present in a day-keyed table."""
    if table not in ("user_daily", "entity_daily", "user_teams"):
        raise ValueError(f"{table} is not keyed by day")
    return {r[0] for r in con.execute(f"SELECT DISTINCT day FROM {table}").fetchall()}


def present_days_at(db_path: Path, table: str = "user_daily") -> set[date]:
    """present_days for a database file; an empty set when the file does not exist yet."""
    if not db_path.exists():
        return set()
    with open_for_read(db_path) as con:
        return present_days(con, table)
