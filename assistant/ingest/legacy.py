"""The legacy Copilot Metrics API response (2024 - 2026-04-02) into legacy_daily, legacy_completions, legacy_chat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.errors import LoadError
from assistant.ingest.documents import read_json_document
from assistant.ingest.job import Job
from assistant.ingest.tables import upsert
from assistant.semantic import catalog

if TYPE_CHECKING:
    import duckdb

COMPLETION_COUNTS = (
    "total_code_suggestions",
    "total_code_acceptances",
    "total_code_lines_suggested",
    "total_code_lines_accepted",
)
CHAT_COUNTS = ("total_engaged_users", "total_chats", "total_chat_insertion_events", "total_chat_copy_events")


def legacy_scope(job: Job, what: str) -> str | None:
    """The organization or enterprise the days belong to (--org/--enterprise); warn when nobody says."""
    if job.owner:
        return job.owner.name
    job.warn(
        f"{job.path}: {what} names no organization, so its days are stored under an unnamed scope (one row per "
        "day whichever file it came from); pass --org NAME to keep several organizations apart."
    )
    return None


def load_legacy(con: "duckdb.DuckDBPyConnection", job: Job) -> dict[str, int]:
    """One row per day and scope; a day loaded again from an overlapping file replaces the earlier one."""
    doc = read_json_document(job.path, job.layout)
    days = doc if isinstance(doc, list) else [doc]
    scope = legacy_scope(job, "the legacy metrics file")
    daily, completions, chat = [], [], []
    for i, d in enumerate(days):
        if not isinstance(d, dict) or not isinstance(d.get("date"), str):
            raise LoadError(f"{job.path}: day {i + 1} has no 'date'.", hint="Expected the legacy metrics API response.")
        date = d["date"][:10]
        key = {"date": date, "scope": scope, "import_id": job.import_id}
        job.check_counters(d, f"day {i + 1} ({date})", ("total_active_users", "total_engaged_users"))
        daily.append({**key, **_daily_columns(d), "raw": d})
        completions.extend(_completion_rows(job, d, key))
        chat.extend(_chat_rows(job, d, key))
    tables = {catalog.LEGACY_DAILY: daily, catalog.LEGACY_COMPLETIONS: completions, catalog.LEGACY_CHAT: chat}
    return replace_days(con, tables, sorted({r["date"] for r in daily}), scope)


def replace_days(
    con: "duckdb.DuckDBPyConnection",
    tables: dict[catalog.Table, list[dict[str, Any]]],
    days: list[str],
    scope: Any,
    day_column: str = "date",
) -> dict[str, int]:
    """Replace everything stored for these days of this scope, in each table, with the file's rows."""
    written = {}
    for table, rows in tables.items():
        con.execute(
            f"DELETE FROM {table.name} WHERE {day_column} IN (SELECT unnest(?::DATE[])) "
            "AND scope IS NOT DISTINCT FROM ?",
            [days, scope],
        )
        written[table.name] = upsert(con, table, rows)
    return written


def _daily_columns(d: dict[str, Any]) -> dict[str, Any]:
    def engaged(key: str) -> Any:
        return (d.get(key) or {}).get("total_engaged_users")

    return {
        "total_active_users": d.get("total_active_users"),
        "total_engaged_users": d.get("total_engaged_users"),
        "ide_completions_engaged_users": engaged("copilot_ide_code_completions"),
        "ide_chat_engaged_users": engaged("copilot_ide_chat"),
        "dotcom_chat_engaged_users": engaged("copilot_dotcom_chat"),
        "dotcom_pr_engaged_users": engaged("copilot_dotcom_pull_requests"),
    }


def _completion_rows(job: Job, d: dict[str, Any], key: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for ed in (d.get("copilot_ide_code_completions") or {}).get("editors") or []:
        for m in ed.get("models") or []:
            for lang in m.get("languages") or []:
                job.check_counters(lang, f"{key['date']} {ed.get('name')}/{lang.get('name')}", COMPLETION_COUNTS)
                rows.append(
                    {
                        **key,
                        "editor": ed.get("name"),
                        "model": m.get("name"),
                        "language": lang.get("name"),
                        "total_engaged_users": lang.get("total_engaged_users"),
                        **{k: lang.get(k) for k in COMPLETION_COUNTS},
                    }
                )
    return rows


def _chat_rows(job: Job, d: dict[str, Any], key: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for ed in (d.get("copilot_ide_chat") or {}).get("editors") or []:
        for m in ed.get("models") or []:
            job.check_counters(m, f"{key['date']} {ed.get('name')} chat", CHAT_COUNTS)
            counts = {k: m.get(k) for k in CHAT_COUNTS}
            rows.append({**key, "editor": ed.get("name"), "model": m.get("name"), **counts})
    return rows
