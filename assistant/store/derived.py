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
    from assistant.store.engine import duckdb

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
    seat_usage is built from per-(user, month) activity, of which only the touched months are redone.
    """
    _refresh_user_months(con, changed, since)
    for table in catalog.DERIVED:
        if changed is not None and not changed & INPUTS[table.name]:
            continue
        if table.name == "seat_usage":
            con.execute("DELETE FROM seat_usage")
            con.execute(f"INSERT INTO seat_usage {SEAT_USAGE_FROM_MONTHS}")
            continue
        if table.name in BY_DAY and changed is not None and since is not None and not changed & BY_DAY[table.name]:
            for first, last in _new_day_ranges(con, since):
                con.execute(f"DELETE FROM {table.name} WHERE day BETWEEN ? AND ?", [first, last])
                con.execute(f"INSERT INTO {table.name} SELECT * FROM ({table.derived_sql}) WHERE day BETWEEN ? AND ?",
                            [first, last])
            continue
        con.execute(f"DELETE FROM {table.name}")
        con.execute(f"INSERT INTO {table.name} {table.derived_sql}")


def _refresh_user_months(con: "duckdb.DuckDBPyConnection", changed: set[str] | None, since: int | None) -> None:
    """Bring cma_user_months up to date: the months of the imports after `since`, or all of it."""
    built = con.execute("SELECT value FROM cma_meta WHERE key = ?", [USER_MONTHS_MARK]).fetchone()
    if changed is not None and since is not None and built is not None and built[0] == str(since):
        if "user_daily" in changed:
            for first, last in _new_day_ranges(con, since):
                con.execute("DELETE FROM cma_user_months WHERE month BETWEEN date_trunc('month', ?::DATE) "
                            "AND date_trunc('month', ?::DATE)", [first, last])
                con.execute(f"INSERT INTO cma_user_months {USER_MONTHS_SQL} WHERE day >= date_trunc('month', ?::DATE) "
                            "AND day < date_trunc('month', ?::DATE) + INTERVAL 1 MONTH GROUP BY 1, 2", [first, last])
    else:
        con.execute("DELETE FROM cma_user_months")
        con.execute(f"INSERT INTO cma_user_months {USER_MONTHS_SQL} GROUP BY 1, 2")
    con.execute("INSERT INTO cma_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [USER_MONTHS_MARK, str(last_import(con))])


def _seat_usage_from_months() -> str:
    """The catalog's seat_usage SQL with its per-user aggregate over user_daily read from cma_user_months."""
    sql = catalog.BY_NAME["seat_usage"].derived_sql or ""
    for old, new in _FROM_MONTHS:
        if sql.count(old) != 1:
            raise RuntimeError(f"seat_usage's SQL in the catalog changed: {old!r} is not in it once")
        sql = sql.replace(old, new)
    return sql


USER_MONTHS_MARK = "user_months_through_import"
USER_MONTHS_SQL = ("SELECT user_id, date_trunc('month', day)::DATE AS month, lower(any_value(user_login)) AS login_lc, "
                   "min(day) AS first_day, max(day) AS last_day, count(DISTINCT day) AS days FROM user_daily")
# months partition the days, so summing each month's distinct days counts every active day once
_FROM_MONTHS = (
    ("lower(any_value(user_login)) AS login_lc", "any_value(login_lc) AS login_lc"),
    ("min(day) AS first_active_day", "min(first_day) AS first_active_day"),
    ("max(day) AS last_active_day", "max(last_day) AS last_active_day"),
    ("count(DISTINCT day) AS active_days", "sum(days)::BIGINT AS active_days"),
    ("FROM user_daily GROUP BY user_id", "FROM cma_user_months GROUP BY user_id"),
)
SEAT_USAGE_FROM_MONTHS = _seat_usage_from_months()


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
    from assistant.store.engine import duckdb

    if is_fresh(con):
        sql = f"SELECT name FROM cma_names WHERE kind = '{kind}' ORDER BY 1 LIMIT {int(limit)}"
    else:
        sql = f"SELECT * FROM ({_LIVE_NAMES[kind]}) ORDER BY 1 LIMIT {int(limit)}"
    try:
        return [str(r[0]) for r in con.execute(sql).fetchall()]
    except duckdb.Error as e:
        raise QueryError(f"Could not read the {kind} names: {e}") from e
