"""Per-user daily records (users-1-day / users-28-day NDJSON) into user_daily and its five breakdown tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.semantic import catalog
from assistant.semantic.catalog import COUNTERS, COUNTERS_NO_INTERACTIONS
from assistant.store.db import scalar

if TYPE_CHECKING:
    import duckdb


def _counters_t(names: tuple[str, ...] = COUNTERS) -> str:
    return ", ".join(f"{n} BIGINT" for n in names)


TOKENS_T = "STRUCT(prompt_tokens_sum BIGINT, output_tokens_sum BIGINT, avg_tokens_per_request DOUBLE)"

# How DuckDB reads one users-report line: the export's own nested shape, typed per GitHub's docs.
USER_RECORD_SPEC: dict[str, str] = {
    "report_start_day": "DATE",
    "report_end_day": "DATE",
    "day": "DATE",
    "enterprise_id": "VARCHAR",
    "organization_id": "VARCHAR",
    "user_id": "BIGINT",
    "user_login": "VARCHAR",
    **{c: "BIGINT" for c in COUNTERS},
    **{f: "BOOLEAN" for f in catalog.USED_FLAGS},
    "ai_credits_used": "DOUBLE",
    "ai_adoption_phase": "STRUCT(phase VARCHAR, phase_number INTEGER, version VARCHAR)",
    "totals_by_ide": f"STRUCT(ide VARCHAR, {_counters_t()}, "
    "last_known_ide_version STRUCT(ide_version VARCHAR, sampled_at VARCHAR), "
    "last_known_plugin_version STRUCT(plugin VARCHAR, plugin_version VARCHAR, sampled_at VARCHAR))[]",
    "totals_by_feature": f"STRUCT(feature VARCHAR, {_counters_t()})[]",
    "totals_by_language_feature": f"STRUCT(language VARCHAR, feature VARCHAR, {_counters_t(COUNTERS_NO_INTERACTIONS)})[]",
    "totals_by_language_model": f"STRUCT(language VARCHAR, model VARCHAR, {_counters_t(COUNTERS_NO_INTERACTIONS)})[]",
    "totals_by_model_feature": f"STRUCT(model VARCHAR, feature VARCHAR, {_counters_t()})[]",
    "totals_by_cli": f"STRUCT(session_count BIGINT, request_count BIGINT, prompt_count BIGINT, token_usage {TOKENS_T}, "
    "last_known_cli_version STRUCT(cli_version VARCHAR, sampled_at VARCHAR))",
    "totals_by_copilot_app": f"STRUCT(session_count BIGINT, request_count BIGINT, prompt_count BIGINT, token_usage {TOKENS_T})",
    "totals_by_vscode_agent": "STRUCT(session_count BIGINT, total_user_messages BIGINT)",
    "totals_by_3rd_party_agent": "JSON",
    **{f"totals_by_{k}": "JSON" for k in ("mcp", "skill", "custom_agent", "slash_cmd", "plugin")},
    **{f"distinct_{k}_use_count": "BIGINT" for k in ("mcp", "skill", "custom_agent", "slash_cmd", "plugin")},
}
KNOWN_USER_KEYS = frozenset(USER_RECORD_SPEC)

KEY = ("day", "user_id", "enterprise_id", "organization_id")


def _column_expr(col: catalog.Column) -> str:
    """SQL reading one user_daily column from the staged record."""
    if col.source:
        return f"s.{col.source}"
    return f"s.{col.name}"


def user_daily_select(import_id: int, unknown: list[str]) -> str:
    exprs = []
    for col in catalog.USER_DAILY.columns:
        if col.name == "import_id":
            exprs.append(f"{import_id}")
        elif col.name == "extra":
            exprs.append(_extra_expr(unknown))
        else:
            exprs.append(_column_expr(col))
    return f"SELECT {', '.join(exprs)} FROM stage s"


def _extra_expr(unknown: list[str]) -> str:
    if not unknown:
        return "CAST(NULL AS JSON)"
    pairs = ", ".join(f"'{k}', s.\"{k}\"" for k in unknown)
    nonnull = " OR ".join(f's."{k}" IS NOT NULL' for k in unknown)
    return f"CASE WHEN {nonnull} THEN json_object({pairs}) END"


def breakdown_select(table: catalog.Table, array: str, import_id: int) -> str:
    exprs = []
    for col in table.columns:
        if col.name in ("day", "enterprise_id", "organization_id", "user_id", "user_login"):
            exprs.append(f"s.{col.name}")
        elif col.name == "import_id":
            exprs.append(str(import_id))
        else:
            exprs.append(f"e.{col.source or col.name}")
    return f"SELECT {', '.join(exprs)} FROM stage s, unnest(s.{array}) AS x(e)"


BREAKDOWNS = (
    (catalog.USER_DAILY_BY_IDE, "totals_by_ide"),
    (catalog.USER_DAILY_BY_FEATURE, "totals_by_feature"),
    (catalog.USER_DAILY_BY_LANGUAGE_FEATURE, "totals_by_language_feature"),
    (catalog.USER_DAILY_BY_LANGUAGE_MODEL, "totals_by_language_model"),
    (catalog.USER_DAILY_BY_MODEL_FEATURE, "totals_by_model_feature"),
)


def read_options(layout: str, gz: bool) -> str:
    fmt = {"array": "array", "object": "auto"}.get(layout, "newline_delimited")
    comp = ", compression='gzip'" if gz else ""
    return f"format='{fmt}'{comp}, maximum_object_size=67108864"


def discover_keys(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, gz: bool) -> list[str]:
    """Top-level keys present anywhere in the file."""
    fn = "read_ndjson_objects" if layout == "ndjson" else "read_json_objects"
    opts = {"array": "format='array'", "object": "format='auto'"}.get(layout, "")
    if gz:
        opts = (opts + ", " if opts else "") + "compression='gzip'"
    sql = f"SELECT DISTINCT unnest(json_keys(json)) FROM {fn}(?{', ' + opts if opts else ''})"
    return [r[0] for r in con.execute(sql, [str(path)]).fetchall()]


def stage_users(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, gz: bool) -> list[str]:
    """Read the file into TEMP table `stage`; return the unknown top-level keys kept in `extra`."""
    unknown = sorted(k for k in discover_keys(con, path, layout, gz) if k not in KNOWN_USER_KEYS)
    spec = dict(USER_RECORD_SPEC)
    spec.update({k: "JSON" for k in unknown})
    columns = "{" + ", ".join(f"'{k}': '{t}'" for k, t in spec.items()) + "}"
    con.execute("DROP TABLE IF EXISTS stage")
    con.execute(
        f"CREATE TEMP TABLE stage AS SELECT * FROM read_json(?, {read_options(layout, gz)}, columns={columns})",
        [str(path)],
    )
    return unknown


def dedupe_stage(con: "duckdb.DuckDBPyConnection") -> int:
    """Keep the last record of each (day, user, entity) within the file; return how many were dropped."""
    dup = scalar(con, "SELECT count(*) - count(DISTINCT (day, user_id, enterprise_id, organization_id)) FROM stage")
    if dup:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage AS SELECT * EXCLUDE (rn) FROM ("
            "SELECT *, row_number() OVER (PARTITION BY day, user_id, enterprise_id, organization_id "
            "ORDER BY rowid DESC) AS rn FROM stage) WHERE rn = 1"
        )
    return int(dup)


def apply_users(con: "duckdb.DuckDBPyConnection", import_id: int, unknown: list[str]) -> dict[str, int]:
    """Replace the staged (day, user, entity) rows in user_daily and the breakdown tables; return rows written."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_keys AS SELECT DISTINCT day, user_id, enterprise_id, organization_id FROM stage"
    )
    written: dict[str, int] = {}
    overlap = scalar(
        con,
        "SELECT count(*) FROM (SELECT 1 FROM user_daily WHERE day BETWEEN (SELECT min(day) FROM stage_keys) "
        "AND (SELECT max(day) FROM stage_keys) LIMIT 1)",
    )
    for table in (catalog.USER_DAILY,) + tuple(t for t, _ in BREAKDOWNS) if overlap else ():
        con.execute(
            f"DELETE FROM {table.name} t USING stage_keys k WHERE t.day = k.day AND t.user_id = k.user_id "
            "AND t.enterprise_id IS NOT DISTINCT FROM k.enterprise_id "
            "AND t.organization_id IS NOT DISTINCT FROM k.organization_id"
        )
    con.execute(f"INSERT INTO user_daily {user_daily_select(import_id, unknown)}")
    written["user_daily"] = scalar(con, "SELECT count(*) FROM stage")
    for table, array in BREAKDOWNS:
        n = scalar(con, f"INSERT INTO {table.name} {breakdown_select(table, array, import_id)}")
        written[table.name] = int(n)
    return written
