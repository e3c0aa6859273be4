"""Team membership: the user-teams report (NDJSON) into user_teams, a hand-made login,team CSV into team_map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import LoadError
from assistant.ingest.detect import TEAM_LOGIN_HEADERS, TEAM_NAME_HEADERS, is_gzip
from assistant.ingest.documents import csv_rows
from assistant.ingest.job import Job
from assistant.ingest.tables import upsert
from assistant.semantic import catalog
from assistant.store.db import scalar

if TYPE_CHECKING:
    import duckdb


class StageMissingKeys(Exception):
    """A bulk-read file had records without their key fields; the caller finds the line."""


def load_user_teams(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, import_id: int) -> dict[str, int]:
    """Replace the (day, user, team, entity) memberships the file holds."""
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
        raise StageMissingKeys()
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


def load_team_map(con: "duckdb.DuckDBPyConnection", job: Job) -> dict[str, int]:
    """A login,team CSV replaces the earlier mapping of the logins it names."""
    rows: list[dict[str, Any]] = []
    for n, rec in csv_rows(job.path):
        login = next((rec[h] for h in TEAM_LOGIN_HEADERS if rec.get(h)), None)
        team = next((rec[h] for h in TEAM_NAME_HEADERS if rec.get(h)), None)
        if not login or not team:
            raise LoadError(f"{job.path}:{n}: needs both a login and a team.", hint="Format: user_login,team")
        rows.append({"user_login": login, "team": team, "import_id": job.import_id})
    logins = sorted({str(r["user_login"]).lower() for r in rows})
    con.execute("DELETE FROM team_map WHERE lower(user_login) IN (SELECT unnest(?::VARCHAR[]))", [logins])
    return {"team_map": upsert(con, catalog.TEAM_MAP, rows)}
