"""The older "Copilot usage" API response (/orgs/{org}/copilot/usage, 2024) into the legacy_usage_* tables."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from assistant.errors import LoadError
from assistant.ingest.documents import read_json_document
from assistant.ingest.job import Job
from assistant.ingest.legacy import legacy_scope, replace_days
from assistant.semantic import catalog

if TYPE_CHECKING:
    import duckdb

DAY_COUNTS = tuple(c.name for c in catalog.LEGACY_USAGE_DAILY.columns if c.type == "BIGINT")
BREAKDOWN_COUNTS = tuple(c.name for c in catalog.LEGACY_USAGE_BREAKDOWN.columns if c.type == "BIGINT")


def load_usage(con: "duckdb.DuckDBPyConnection", job: Job) -> dict[str, int]:
    """One row per day and scope, and one per (day, language, editor) of its breakdown; a reloaded day replaces."""
    doc = read_json_document(job.path, job.layout)
    days = doc if isinstance(doc, list) else [doc]
    scope = legacy_scope(job, "the Copilot usage file")
    daily, breakdown = [], []
    for i, d in enumerate(days):
        if not isinstance(d, dict) or not isinstance(d.get("day"), str):
            raise LoadError(f"{job.path}: day {i + 1} has no 'day'.", hint="Expected the Copilot usage API response.")
        key = {"day": d["day"][:10], "scope": scope, "import_id": job.import_id}
        daily.append({**key, **_counts(job, d, DAY_COUNTS, f"day {i + 1} ({key['day']})"), "extra": _extra(d)})
        parts = d.get("breakdown") or []
        if not isinstance(parts, list):
            raise LoadError(f"{job.path}: day {i + 1}: 'breakdown' must be an array.", hint="Re-download the file.")
        for j, part in enumerate(parts):
            if not isinstance(part, dict):
                raise LoadError(f"{job.path}: day {i + 1}: breakdown[{j}] is not an object.", hint="Re-download it.")
            where = f"day {i + 1} ({key['day']}) breakdown[{j}]"
            breakdown.append(
                {
                    **key,
                    "language": part.get("language"),
                    "editor": part.get("editor"),
                    **_counts(job, part, BREAKDOWN_COUNTS, where),
                    "extra": _extra(part, ("language", "editor")),
                }
            )
    tables = {catalog.LEGACY_USAGE_DAILY: daily, catalog.LEGACY_USAGE_BREAKDOWN: breakdown}
    return replace_days(con, tables, sorted({r["day"] for r in daily}), scope, day_column="day")


def _counts(job: Job, obj: dict[str, Any], names: tuple[str, ...], where: str) -> dict[str, Any]:
    out = {}
    for k in names:
        v = obj.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise LoadError(
                f"{job.path}: {where}: '{k}' must be a number, got {json.dumps(v)[:40]}.", hint="Re-download the file."
            )
        out[k] = v
    job.check_counters(obj, where, names)
    return out


def _extra(obj: dict[str, Any], known: tuple[str, ...] = ()) -> dict[str, Any] | None:
    names = set(DAY_COUNTS) | set(BREAKDOWN_COUNTS) | {"day", "breakdown"} | set(known)
    rest = {k: v for k, v in obj.items() if k not in names}
    return rest or None
