"""The smaller export kinds: aggregate day reports, user-teams, seats, the activity CSV, team maps, legacy metrics."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from assistant.errors import LoadError
from assistant.ingest.detect import (
    TEAM_LOGIN_HEADERS,
    TEAM_NAME_HEADERS,
    Detected,
    is_gzip,
    normalize_header,
    open_text,
)
from assistant.semantic import catalog
from assistant.semantic.catalog import COUNTERS
from assistant.store.db import scalar

if TYPE_CHECKING:
    import duckdb


def read_json_document(path: Path, layout: str) -> Any:
    """The whole file as JSON: one document, an array, or NDJSON (returned as a list)."""
    with open_text(path) as f:
        if layout == "ndjson":
            out = []
            for n, line in enumerate(f, start=1):
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError as e:
                        raise LoadError(
                            f"{path}:{n}: malformed JSON: {e.msg} at column {e.colno}.",
                            hint="Fix or remove the line, or pass --skip-bad-lines.",
                        ) from e
            return out
        text = f.read()
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise LoadError(
            f"{path}:{e.lineno}: malformed JSON: {e.msg} at column {e.colno}.", hint="Is the download complete?"
        ) from e


def insert_rows(con: "duckdb.DuckDBPyConnection", table: catalog.Table, rows: list[dict[str, Any]]) -> int:
    """Bulk-insert dicts keyed by column name through a temporary NDJSON file (fast and typed by the catalog)."""
    if not rows:
        return 0
    fd, tmp = tempfile.mkstemp(suffix=".ndjson", prefix="cma-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps(r, default=str))
                out.write("\n")
        cols = [c for c in table.columns if c.name in rows[0] or any(c.name in r for r in rows[:50])]
        spec = "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in cols) + "}"
        names = ", ".join(c.name for c in cols)
        con.execute(
            f"INSERT INTO {table.name} ({names}) SELECT {names} FROM read_json(?, format='newline_delimited', "
            f"columns={spec})",
            [tmp],
        )
    finally:
        os.unlink(tmp)
    return len(rows)


def delete_keys(con: "duckdb.DuckDBPyConnection", table: catalog.Table, rows: list[dict[str, Any]]) -> None:
    """Delete the rows of `table` whose key equals one of `rows` (null-safe)."""
    if not rows:
        return
    key = table.key
    con.execute(f"CREATE OR REPLACE TEMP TABLE del_keys AS SELECT * FROM {table.name} LIMIT 0")
    insert_rows(con, catalog.Table("del_keys", "", table.columns), [{k: r.get(k) for k in key} for r in rows])
    cond = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in key)
    con.execute(f"DELETE FROM {table.name} t USING del_keys d WHERE {cond}")
    con.execute("DROP TABLE del_keys")


def upsert(con: "duckdb.DuckDBPyConnection", table: catalog.Table, rows: list[dict[str, Any]]) -> int:
    """Replace rows with the same key, keeping the last of duplicates within `rows`."""
    last: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        last[tuple(r.get(k) for k in table.key)] = r
    unique = list(last.values())
    delete_keys(con, table, unique)
    return insert_rows(con, table, unique)


# --- aggregate day reports ------------------------------------------------------------------


def _entity_rows(path: Path, doc: Any, import_id: int) -> Iterator[dict[str, Any]]:
    docs = doc if isinstance(doc, list) else [doc]
    for i, wrapper in enumerate(docs):
        if not isinstance(wrapper, dict):
            raise LoadError(f"{path}: element {i} is not a JSON object.", hint="Expected aggregate day reports.")
        days = wrapper.get("day_totals")
        if days is None:
            days, outer = [wrapper], {}
        else:
            outer = wrapper
        if not isinstance(days, list):
            raise LoadError(f"{path}: 'day_totals' must be an array.", hint="Is this a 28-day report?")
        for j, day in enumerate(days):
            yield _entity_row(path, outer, day, import_id, f"day_totals[{j}]" if outer else f"record {i + 1}")


ENTITY_KNOWN = (
    {"day", "enterprise_id", "organization_id", "pull_requests", "totals_by_cli"}
    | set(catalog.ENTITY_USER_COUNTS)
    | set(COUNTERS)
    | {
        "totals_by_ide",
        "totals_by_feature",
        "totals_by_language_feature",
        "totals_by_language_model",
        "totals_by_model_feature",
        "totals_by_ai_adoption_phase",
    }
)


def _entity_row(path: Path, outer: dict, rec: Any, import_id: int, where: str) -> dict[str, Any]:
    if not isinstance(rec, dict):
        raise LoadError(f"{path}: {where} is not a JSON object.", hint="Expected an aggregate day record.")
    day = rec.get("day")
    if not isinstance(day, str):
        raise LoadError(f"{path}: {where} has no 'day'.", hint="Each aggregate day record needs a YYYY-MM-DD day.")
    ent = rec.get("enterprise_id", outer.get("enterprise_id"))
    org = rec.get("organization_id", outer.get("organization_id"))
    row: dict[str, Any] = {
        "day": day,
        "scope": "organization" if org is not None and ent is None else "enterprise",
        "enterprise_id": None if ent is None else str(ent),
        "organization_id": None if org is None else str(org),
        "report_start_day": outer.get("report_start_day"),
        "report_end_day": outer.get("report_end_day"),
        "import_id": import_id,
    }
    if org is not None and ent is not None:
        row["scope"] = "organization"
    for key in list(catalog.ENTITY_USER_COUNTS) + list(COUNTERS):
        row[key] = _number(path, where, key, rec.get(key))
    cli = rec.get("totals_by_cli") or {}
    tokens = cli.get("token_usage") or {}
    row.update(
        cli_session_count=cli.get("session_count"),
        cli_request_count=cli.get("request_count"),
        cli_prompt_count=cli.get("prompt_count"),
        cli_prompt_tokens_sum=tokens.get("prompt_tokens_sum"),
        cli_output_tokens_sum=tokens.get("output_tokens_sum"),
        cli_avg_tokens_per_request=tokens.get("avg_tokens_per_request"),
    )
    pr = rec.get("pull_requests") or {}
    for key in catalog.PR_FIELDS:
        row[f"pr_{key}"] = pr.get(key)
    for key in (
        "totals_by_ide",
        "totals_by_feature",
        "totals_by_language_feature",
        "totals_by_language_model",
        "totals_by_model_feature",
        "totals_by_ai_adoption_phase",
        "pull_requests",
    ):
        row[key] = rec.get(key)
    extra = {k: v for k, v in rec.items() if k not in ENTITY_KNOWN}
    row["extra"] = extra or None
    return row


def _number(path: Path, where: str, key: str, value: Any) -> Any:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    raise LoadError(
        f"{path}: {where}: '{key}' must be a number, got {json.dumps(value)[:40]}.",
        hint="Fix the record or re-download the report.",
    )


def load_entity(con: "duckdb.DuckDBPyConnection", det: Detected, import_id: int) -> dict[str, int]:
    rows = list(_entity_rows(det.path, read_json_document(det.path, det.layout), import_id))
    return {"entity_daily": upsert(con, catalog.ENTITY_DAILY, rows)}


# --- user-teams -----------------------------------------------------------------------------


def load_user_teams(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, import_id: int) -> dict[str, int]:
    fmt = "array" if layout == "array" else "newline_delimited"
    comp = ", compression='gzip'" if is_gzip(path) else ""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stage_teams AS SELECT * FROM read_json(?, format='{fmt}'{comp}, columns="
        "{day: 'DATE', user_id: 'BIGINT', user_login: 'VARCHAR', team_id: 'BIGINT', slug: 'VARCHAR', "
        "enterprise_id: 'VARCHAR', organization_id: 'VARCHAR'})",
        [str(path)],
    )
    bad = scalar(con, "SELECT count(*) FROM stage_teams WHERE day IS NULL OR user_id IS NULL OR team_id IS NULL")
    if bad:
        raise _StageMissingKeys()
    con.execute(
        "DELETE FROM user_teams t USING (SELECT DISTINCT day, user_id, team_id, enterprise_id, organization_id "
        "FROM stage_teams) k WHERE t.day = k.day AND t.user_id = k.user_id AND t.team_id = k.team_id "
        "AND t.enterprise_id IS NOT DISTINCT FROM k.enterprise_id "
        "AND t.organization_id IS NOT DISTINCT FROM k.organization_id"
    )
    n = scalar(
        con,
        f"INSERT INTO user_teams SELECT DISTINCT day, user_id, user_login, team_id, slug, enterprise_id, "
        f"organization_id, {import_id} FROM stage_teams",
    )
    return {"user_teams": int(n)}


class _StageMissingKeys(Exception):
    """A bulk-read file had records without their key fields; the caller finds the line."""


# --- seats ----------------------------------------------------------------------------------


def _seat_objects(path: Path, doc: Any) -> tuple[list[dict], str | None]:
    pages = doc if isinstance(doc, list) else [doc]
    seats: list[dict] = []
    for i, page in enumerate(pages):
        if isinstance(page, dict) and isinstance(page.get("seats"), list):
            seats.extend(page["seats"])
        elif isinstance(page, dict) and "assignee" in page:
            seats.append(page)
        else:
            raise LoadError(
                f"{path}: element {i + 1} is neither a seat nor a page of seats.",
                hint="Expected the /copilot/billing/seats response.",
            )
    return seats, None


def _seat_row(path: Path, seat: dict, i: int, snapshot_at: str, import_id: int) -> dict[str, Any]:
    if not isinstance(seat, dict):
        raise LoadError(f"{path}: seat {i + 1} is not a JSON object.", hint="Expected the seats API response.")
    assignee = seat.get("assignee") or {}
    team = seat.get("assigning_team") or {}
    org = seat.get("organization") or {}
    if not assignee.get("login") and assignee.get("id") is None:
        raise LoadError(f"{path}: seat {i + 1} has no assignee login or id.", hint="Each seat needs an assignee.")
    return {
        "login": assignee.get("login") or assignee.get("slug"),
        "user_id": assignee.get("id"),
        "assignee_type": assignee.get("type"),
        "organization_login": org.get("login"),
        "plan_type": seat.get("plan_type"),
        "created_at": seat.get("created_at"),
        "last_activity_at": seat.get("last_activity_at"),
        "last_activity_editor": seat.get("last_activity_editor"),
        "last_authenticated_at": seat.get("last_authenticated_at"),
        "pending_cancellation_date": seat.get("pending_cancellation_date"),
        "assigning_team_id": team.get("id"),
        "assigning_team_slug": team.get("slug"),
        "snapshot_at": snapshot_at,
        "import_id": import_id,
    }


def load_seats(con: "duckdb.DuckDBPyConnection", det: Detected, import_id: int) -> dict[str, int]:
    """A seat listing replaces the earlier listing of the same organizations (unassigned seats disappear)."""
    seats, _ = _seat_objects(det.path, read_json_document(det.path, det.layout))
    snapshot = datetime.fromtimestamp(det.path.stat().st_mtime, tz=timezone.utc).isoformat()
    rows = [_seat_row(det.path, s, i, snapshot, import_id) for i, s in enumerate(seats)]
    orgs = sorted({r["organization_login"] or "" for r in rows})
    con.execute("DELETE FROM seats WHERE coalesce(organization_login, '') IN (SELECT unnest(?::VARCHAR[]))", [orgs])
    # an enterprise listing has one row per (user, org); keep one per key
    return {"seats": upsert(con, catalog.SEATS, rows)}


# --- CSVs -----------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open_text(path) as f:
        reader = csv.reader(f)
        try:
            header = [normalize_header(h) for h in next(reader)]
        except StopIteration:
            return
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) < len(header):
                raise LoadError(
                    f"{path}:{n}: expected {len(header)} columns, found {len(values)}.",
                    hint="Fix the line or re-download the report.",
                )
            yield n, dict(zip(header, (v.strip() for v in values)))


NULLISH = {"", "none", "null", "nil", "n/a", "never", "-"}


def _ts(path: Path, n: int, key: str, value: str | None) -> str | None:
    if value is None or value.strip().lower() in NULLISH:
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise LoadError(
            f"{path}:{n}: '{key}' is not a timestamp: {value[:40]}", hint="Expected ISO-8601 like 2026-09-15T13:22:04Z."
        ) from e
    return value


def load_seat_activity(con: "duckdb.DuckDBPyConnection", det: Detected, import_id: int) -> dict[str, int]:
    rows = []
    for n, rec in _csv_rows(det.path):
        if not rec.get("login"):
            raise LoadError(f"{det.path}:{n}: empty login.", hint="Each row needs a login.")
        rows.append(
            {
                "report_time": _ts(det.path, n, "report_time", rec.get("report_time")),
                "login": rec["login"],
                "last_authenticated_at": _ts(det.path, n, "last_authenticated_at", rec.get("last_authenticated_at")),
                "last_activity_at": _ts(det.path, n, "last_activity_at", rec.get("last_activity_at")),
                "last_surface_used": rec.get("last_surface_used") or None,
                "import_id": import_id,
            }
        )
    return {"seat_activity": upsert(con, catalog.SEAT_ACTIVITY, rows)}


def load_team_map(con: "duckdb.DuckDBPyConnection", det: Detected, import_id: int) -> dict[str, int]:
    rows: list[dict[str, Any]] = []
    for n, rec in _csv_rows(det.path):
        login = next((rec[h] for h in TEAM_LOGIN_HEADERS if rec.get(h)), None)
        team = next((rec[h] for h in TEAM_NAME_HEADERS if rec.get(h)), None)
        if not login or not team:
            raise LoadError(f"{det.path}:{n}: needs both a login and a team.", hint="Format: user_login,team")
        rows.append({"user_login": login, "team": team, "import_id": import_id})
    logins = sorted({str(r["user_login"]).lower() for r in rows})
    con.execute("DELETE FROM team_map WHERE lower(user_login) IN (SELECT unnest(?::VARCHAR[]))", [logins])
    return {"team_map": upsert(con, catalog.TEAM_MAP, rows)}


# --- legacy metrics API ---------------------------------------------------------------------


def load_legacy(con: "duckdb.DuckDBPyConnection", det: Detected, import_id: int) -> dict[str, int]:
    doc = read_json_document(det.path, det.layout)
    days = doc if isinstance(doc, list) else [doc]
    scope = det.path.name.split(".")[0]
    daily, completions, chat = [], [], []
    for i, d in enumerate(days):
        if not isinstance(d, dict) or not isinstance(d.get("date"), str):
            raise LoadError(f"{det.path}: day {i + 1} has no 'date'.", hint="Expected the legacy metrics API response.")
        date = d["date"][:10]
        comp = d.get("copilot_ide_code_completions") or {}
        ichat = d.get("copilot_ide_chat") or {}
        daily.append(
            {
                "date": date,
                "scope": scope,
                "total_active_users": d.get("total_active_users"),
                "total_engaged_users": d.get("total_engaged_users"),
                "ide_completions_engaged_users": comp.get("total_engaged_users"),
                "ide_chat_engaged_users": ichat.get("total_engaged_users"),
                "dotcom_chat_engaged_users": (d.get("copilot_dotcom_chat") or {}).get("total_engaged_users"),
                "dotcom_pr_engaged_users": (d.get("copilot_dotcom_pull_requests") or {}).get("total_engaged_users"),
                "raw": d,
                "import_id": import_id,
            }
        )
        for ed in comp.get("editors") or []:
            for m in ed.get("models") or []:
                for lang in m.get("languages") or []:
                    completions.append(
                        {
                            "date": date,
                            "scope": scope,
                            "editor": ed.get("name"),
                            "model": m.get("name"),
                            "language": lang.get("name"),
                            "total_engaged_users": lang.get("total_engaged_users"),
                            **{
                                k: lang.get(k)
                                for k in (
                                    "total_code_suggestions",
                                    "total_code_acceptances",
                                    "total_code_lines_suggested",
                                    "total_code_lines_accepted",
                                )
                            },
                            "import_id": import_id,
                        }
                    )
        for ed in ichat.get("editors") or []:
            for m in ed.get("models") or []:
                chat.append(
                    {
                        "date": date,
                        "scope": scope,
                        "editor": ed.get("name"),
                        "model": m.get("name"),
                        **{
                            k: m.get(k)
                            for k in (
                                "total_engaged_users",
                                "total_chats",
                                "total_chat_insertion_events",
                                "total_chat_copy_events",
                            )
                        },
                        "import_id": import_id,
                    }
                )
    return {
        "legacy_daily": upsert(con, catalog.LEGACY_DAILY, daily),
        "legacy_completions": upsert(con, catalog.LEGACY_COMPLETIONS, completions),
        "legacy_chat": upsert(con, catalog.LEGACY_CHAT, chat),
    }
