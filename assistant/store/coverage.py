"""Coverage of the loaded data: the date range, missing days, users, teams, seats and imports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from assistant.contracts import Coverage
from assistant.store import db
from assistant.store.db import one, scalar

if TYPE_CHECKING:
    import duckdb



def coverage(con: "duckdb.DuckDBPyConnection", *, with_imports: bool = True) -> Coverage:
    """Coverage facts read from an open connection."""
    first, last, days, users_n = one(
        con, "SELECT min(day), max(day), count(DISTINCT day), count(DISTINCT user_id) FROM user_daily"
    )
    present = {r[0] for r in con.execute("SELECT DISTINCT day FROM user_daily").fetchall()}
    missing = []
    if first and last:
        d = first
        while d <= last:
            if d not in present:
                missing.append(d)
            d += timedelta(days=1)
    e_first, e_last = one(con, "SELECT min(day), max(day) FROM entity_daily")
    teams = scalar(con, "SELECT count(DISTINCT team) FROM team_membership")
    seats = scalar(con, "SELECT count(*) FROM seats")
    imports = imports_ledger(con) if with_imports else []
    return Coverage(
        first,
        last,
        int(days),
        missing,
        int(users_n),
        int(teams),
        int(seats),
        db.table_counts(con),
        e_first,
        e_last,
        imports,
    )


def imports_ledger(con: "duckdb.DuckDBPyConnection") -> list[dict[str, object]]:
    """The imports ledger, oldest first."""
    cols = ["import_id", "file", "kind", "rows", "first_day", "last_day", "loaded_at"]
    imports = []
    for r in con.execute(f"SELECT {', '.join(cols)} FROM imports ORDER BY import_id").fetchall():
        rec = dict(zip(cols, r))
        rec["loaded_at"] = rec["loaded_at"].isoformat() if rec["loaded_at"] else None
        imports.append(rec)
    return imports


def compress_days(days: list[date]) -> str:
    """'2026-10-03, 2026-10-10..2026-10-12' style text for a list of days."""
    if not days:
        return "none"
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and d == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    parts = [f"{a}" if a == b else f"{a}..{b}" for a, b in runs]
    return ", ".join(parts[:12]) + (f" (+{len(parts) - 12} more runs)" if len(parts) > 12 else "")
