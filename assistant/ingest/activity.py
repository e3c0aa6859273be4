"""The seat activity report CSV (organization or enterprise, any header casing) into seat_activity."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import LoadError
from assistant.ingest.documents import csv_rows
from assistant.ingest.job import Job
from assistant.ingest.tables import upsert
from assistant.semantic import catalog

if TYPE_CHECKING:
    import duckdb

TIMESTAMPS = ("report_time", "last_authenticated_at", "last_activity_at")
ORGANIZATION_HEADERS = ("organization", "organization_login", "organization_name", "org")
KNOWN = frozenset(TIMESTAMPS + ORGANIZATION_HEADERS + ("login", "last_surface_used"))


def load_seat_activity(con: "duckdb.DuckDBPyConnection", job: Job) -> dict[str, int]:
    """One row per (login, organization); a later report of the same pair replaces it."""
    rows = []
    for n, rec in csv_rows(job.path):
        if not rec.get("login"):
            raise LoadError(f"{job.path}:{n}: empty login.", hint="Each row needs a login.")
        row: dict[str, Any] = {k: _ts(job.path, n, k, rec.get(k)) for k in TIMESTAMPS}
        org = next((rec[h] for h in ORGANIZATION_HEADERS if rec.get(h)), None)
        if org is None and job.owner and job.owner.kind == "organization":
            org = job.owner.name
        extra = {k: v for k, v in rec.items() if k not in KNOWN and v is not None}
        row.update(
            login=rec["login"],
            organization=org,
            last_surface_used=rec.get("last_surface_used"),
            extra=extra or None,
            import_id=job.import_id,
        )
        rows.append(row)
    return {"seat_activity": upsert(con, catalog.SEAT_ACTIVITY, rows)}


def _ts(path: Path, n: int, key: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise LoadError(
            f"{path}:{n}: '{key}' is not a timestamp: {value[:40]}", hint="Expected ISO-8601 like 2026-09-15T13:22:04Z."
        ) from e
    return value
