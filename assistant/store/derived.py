"""Facts that depend only on the loaded data, built once per load and stored in the database.

A question then costs start-up plus its own SQL: coverage, the value lists, the login set and team
membership by day are read from small tables instead of being recomputed over `user_daily`. They are
rebuilt at the end of every load (`cma load`, `cma fetch`) and carry the import they were built
through; a database whose facts are older than its last import (or that has none) is read live.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from assistant.contracts import Coverage
from assistant.errors import QueryError
from assistant.semantic import catalog
from assistant.store import values
from assistant.store.coverage import coverage, imports_ledger
from assistant.store.db import open_for_read, scalar

if TYPE_CHECKING:
    import duckdb

# the tables each derived table is built from: a load that wrote none of them leaves it as it is
INPUTS = {
    "team_membership": frozenset({"user_daily", "user_teams", "team_map"}),
    "seat_usage": frozenset({"user_daily", "seats", "seat_activity"}),
}
WATERMARK = "derived_through_import"
# derived tables rebuilt day by day unless one of these (inputs that are not keyed by day) changed
BY_DAY = {"team_membership": frozenset({"team_map"})}


@dataclass(frozen=True)
class Facts:
    """The per-load facts a Context is made of."""

    as_of: date | None
    coverage: Coverage
    values: dict[str, list[str]]
    logins: frozenset[str]


def last_import(con: "duckdb.DuckDBPyConnection") -> int:
    """The newest import id in the ledger (0 when nothing is loaded)."""
    return int(scalar(con, "SELECT coalesce(max(import_id), 0) FROM imports"))


def is_fresh(con: "duckdb.DuckDBPyConnection") -> bool:
    """Whether the stored facts were built through the newest import."""
    import duckdb

    try:
        row = con.execute("SELECT value FROM cma_meta WHERE key = ?", [WATERMARK]).fetchone()
    except duckdb.CatalogException:  # not a cma database, or one from before cma_meta
        return False
    return row is not None and row[0] == str(last_import(con))


def refresh(con: "duckdb.DuckDBPyConnection", changed: Iterable[str] | None = None) -> None:
    """Rebuild the derived tables and facts in one transaction; `changed` tables limit what is rebuilt."""
    since = _watermark(con) if changed is not None else None
    con.begin()
    try:
        rebuild_derived_tables(con, set(changed) if changed is not None else None, since)
        _store_facts(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def rebuild_derived_tables(con: "duckdb.DuckDBPyConnection", changed: set[str] | None = None,
                           since: int | None = None) -> None:
    """Replace the rows of the loader-maintained tables whose inputs changed (all when `changed` is None).

    team_membership of a day depends only on that day's rows and the team map, so when the map did not
    change only the days of the imports after `since` are rebuilt: a daily fetch does not copy a year.
    """
    for table in catalog.DERIVED:
        if changed is not None and not changed & INPUTS[table.name]:
            continue
        if table.name in BY_DAY and changed is not None and since is not None and not changed & BY_DAY[table.name]:
            for first, last in _new_day_ranges(con, since):
                con.execute(f"DELETE FROM {table.name} WHERE day BETWEEN ? AND ?", [first, last])
                con.execute(f"INSERT INTO {table.name} SELECT * FROM ({table.derived_sql}) WHERE day BETWEEN ? AND ?",
                            [first, last])
            continue
        con.execute(f"DELETE FROM {table.name}")
        con.execute(f"INSERT INTO {table.name} {table.derived_sql}")


def _new_day_ranges(con: "duckdb.DuckDBPyConnection", since: int) -> list[tuple[date, date]]:
    """The day ranges of the day-keyed imports after import `since`."""
    return con.execute(
        "SELECT first_day, last_day FROM imports WHERE import_id > ? AND first_day IS NOT NULL "
        "AND kind IN ('users', 'user_teams') ORDER BY 1", [since]
    ).fetchall()


def _watermark(con: "duckdb.DuckDBPyConnection") -> int | None:
    """The import the stored facts were built through, if any."""
    row = con.execute("SELECT value FROM cma_meta WHERE key = ?", [WATERMARK]).fetchone()
    return int(row[0]) if row else None


def _store_facts(con: "duckdb.DuckDBPyConnection") -> None:
    facts = {
        "as_of": json.dumps(_iso(values.as_of(con))),
        "coverage": json.dumps(coverage(con, with_imports=False).to_json()),
        "values": json.dumps(values.value_lists(con)),
    }
    con.execute("DELETE FROM cma_facts")
    con.executemany("INSERT INTO cma_facts VALUES (?, ?)", list(facts.items()))
    con.execute("DELETE FROM cma_names")
    con.execute(f"INSERT INTO cma_names SELECT 'login_lc', login FROM ({values.LOGINS_SQL})")
    con.execute(f"INSERT INTO cma_names SELECT 'team', team FROM ({TEAMS_SQL})")
    con.execute(f"INSERT INTO cma_names SELECT 'login', login FROM ({LOGINS_AS_WRITTEN_SQL})")
    con.execute(
        "INSERT INTO cma_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [WATERMARK, str(last_import(con))],
    )


TEAMS_SQL = "SELECT DISTINCT team FROM team_membership WHERE team IS NOT NULL"
LOGINS_AS_WRITTEN_SQL = "SELECT DISTINCT user_login AS login FROM user_daily WHERE user_login IS NOT NULL"
_LIVE_NAMES = {"team": TEAMS_SQL, "login": LOGINS_AS_WRITTEN_SQL.replace(" AS login", "")}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def facts(con: "duckdb.DuckDBPyConnection") -> Facts:
    """The stored facts when they are fresh, else the same facts computed live (an older database)."""
    if is_fresh(con):
        return stored_facts(con)
    return live_facts(con)


def stored_facts(con: "duckdb.DuckDBPyConnection") -> Facts:
    """The facts as the last load stored them."""
    stored = {name: json.loads(value) for name, value in con.execute("SELECT name, value FROM cma_facts").fetchall()}
    logins = frozenset(r[0] for r in con.execute("SELECT name FROM cma_names WHERE kind = 'login_lc'").fetchall())
    as_of = date.fromisoformat(stored["as_of"]) if stored["as_of"] else None
    return Facts(as_of, Coverage.from_json(stored["coverage"]), stored["values"], logins)


def live_facts(con: "duckdb.DuckDBPyConnection") -> Facts:
    """The facts computed from the data tables, as every question did before they were stored."""
    return Facts(values.as_of(con), coverage(con, with_imports=False), values.value_lists(con),
                 values.logins(con))


def coverage_at(db_path: Path, *, with_imports: bool = True) -> Coverage:
    """Coverage of a database file: the facts its last load stored (read live from an older database)."""
    with open_for_read(db_path) as con:
        cov = facts(con).coverage
        if with_imports:
            cov.imports = imports_ledger(con)
        return cov


def names(con: "duckdb.DuckDBPyConnection", kind: str, limit: int) -> list[str]:
    """Sorted team names or logins (as written) for completion, at most `limit`."""
    import duckdb

    if is_fresh(con):
        sql = f"SELECT name FROM cma_names WHERE kind = '{kind}' ORDER BY 1 LIMIT {int(limit)}"
    else:
        sql = f"SELECT * FROM ({_LIVE_NAMES[kind]}) ORDER BY 1 LIMIT {int(limit)}"
    try:
        return [str(r[0]) for r in con.execute(sql).fetchall()]
    except duckdb.Error as e:
        raise QueryError(f"Could not read the {kind} names: {e}") from e
