"""What a translator may know of the loaded data besides its shape: the latest day, value lists, logins."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant.semantic.metrics import VALUE_COLUMNS
from assistant.store.db import scalar

if TYPE_CHECKING:
    import duckdb


def value_lists(con: "duckdb.DuckDBPyConnection", cap: int = 25) -> dict[str, list[str]]:
    """Low-cardinality values read from the loaded data (most frequent first, capped, then sorted)."""
    out: dict[str, list[str]] = {}
    for name, table, col in VALUE_COLUMNS:
        rows = con.execute(
            f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {cap}"
        ).fetchall()
        out[name] = sorted(str(r[0]) for r in rows)
    return out


def as_of(con: "duckdb.DuckDBPyConnection") -> date | None:
    """The latest day in the data: the anchor for 'yesterday', 'last 7 days', 'this month'."""
    return scalar(
        con, "SELECT max(d) FROM (SELECT max(day) AS d FROM user_daily UNION ALL SELECT max(day) FROM entity_daily)"
    )


# Every login of team_membership is one of user_teams or (its team-map rows) of user_daily, so the set is read
# from those two: scanning team_membership's 38M rows for its logins cost 3.6 s of CPU at 36.5M user-days.
# Each table's distinct logins first, lower-cased after: the UNION and lower() see one name per person.
LOGINS_SQL = (
    "SELECT DISTINCT lower(login) AS login FROM ("
    "SELECT DISTINCT user_login AS login FROM user_daily WHERE user_login IS NOT NULL "
    "UNION SELECT DISTINCT login FROM seats WHERE login IS NOT NULL "
    "UNION SELECT DISTINCT user_login FROM user_teams WHERE user_login IS NOT NULL)"
)


def logins(con: "duckdb.DuckDBPyConnection") -> frozenset[str]:
    """Every login in usage, seats and team data (lower case), for recognising people in questions."""
    return frozenset(r[0] for r in con.execute(LOGINS_SQL).fetchall())
