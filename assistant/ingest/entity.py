"""Aggregate day reports (enterprise/organization 1-day objects and 28-day `day_totals` wrappers) into entity_daily."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator

from assistant.errors import LoadError
from assistant.ingest.documents import read_json_document
from assistant.ingest.job import Job
from assistant.ingest.tables import upsert
from assistant.semantic import catalog
from assistant.semantic.catalog import COUNTERS

if TYPE_CHECKING:
    import duckdb

BREAKDOWN_KEYS = (
    "totals_by_ide",
    "totals_by_feature",
    "totals_by_language_feature",
    "totals_by_language_model",
    "totals_by_model_feature",
    "totals_by_ai_adoption_phase",
)
ENTITY_KNOWN = (
    {"day", "enterprise_id", "organization_id", "pull_requests", "totals_by_cli"}
    | set(catalog.ENTITY_USER_COUNTS)
    | set(COUNTERS)
    | set(BREAKDOWN_KEYS)
)


def load_entity(con: "duckdb.DuckDBPyConnection", job: Job) -> dict[str, int]:
    """Upsert every day record of the file; a later report of the same day and entity replaces it."""
    rows = list(_entity_rows(job, read_json_document(job.path, job.layout)))
    return {"entity_daily": upsert(con, catalog.ENTITY_DAILY, rows)}


def _entity_rows(job: Job, doc: Any) -> Iterator[dict[str, Any]]:
    docs = doc if isinstance(doc, list) else [doc]
    for i, wrapper in enumerate(docs):
        if not isinstance(wrapper, dict):
            raise LoadError(f"{job.path}: element {i + 1} is not a JSON object.", hint="Expected aggregate reports.")
        days = wrapper.get("day_totals")
        if days is None:
            days, outer = [wrapper], {}
        else:
            outer = wrapper
        if not isinstance(days, list):
            raise LoadError(f"{job.path}: 'day_totals' must be an array.", hint="Is this a 28-day report?")
        for j, day in enumerate(days):
            yield _entity_row(job, outer, day, f"day_totals[{j}]" if outer else f"record {i + 1}")


def _entity_row(job: Job, outer: dict, rec: Any, where: str) -> dict[str, Any]:
    if not isinstance(rec, dict):
        raise LoadError(f"{job.path}: {where} is not a JSON object.", hint="Expected an aggregate day record.")
    day = rec.get("day")
    if not isinstance(day, str):
        raise LoadError(f"{job.path}: {where} has no 'day'.", hint="Each aggregate day record needs a YYYY-MM-DD day.")
    ent = rec.get("enterprise_id", outer.get("enterprise_id"))
    org = rec.get("organization_id", outer.get("organization_id"))
    row: dict[str, Any] = {
        "day": day,
        "scope": "organization" if org is not None else "enterprise",
        "enterprise_id": None if ent is None else str(ent),
        "organization_id": None if org is None else str(org),
        "report_start_day": outer.get("report_start_day"),
        "report_end_day": outer.get("report_end_day"),
        "import_id": job.import_id,
    }
    for key in list(catalog.ENTITY_USER_COUNTS) + list(COUNTERS):
        row[key] = _number(job, where, key, rec.get(key))
    job.check_counters(rec, f"{where} ({day})")
    row.update(_cli_columns(rec.get("totals_by_cli") or {}))
    pr = rec.get("pull_requests") or {}
    for key in catalog.PR_FIELDS:
        row[f"pr_{key}"] = pr.get(key)
    for key in BREAKDOWN_KEYS + ("pull_requests",):
        row[key] = rec.get(key)
    extra = {k: v for k, v in rec.items() if k not in ENTITY_KNOWN}
    cli = rec.get("totals_by_cli")
    if isinstance(cli, dict):  # totals_by_cli is flattened into columns: keep what the columns do not hold
        rest = _cli_rest(cli)
        if rest:
            extra["totals_by_cli"] = rest
    row["extra"] = extra or None
    return row


def _cli_columns(cli: dict[str, Any]) -> dict[str, Any]:
    tokens = cli.get("token_usage") or {}
    return {
        "cli_session_count": cli.get("session_count"),
        "cli_request_count": cli.get("request_count"),
        "cli_prompt_count": cli.get("prompt_count"),
        "cli_prompt_tokens_sum": tokens.get("prompt_tokens_sum"),
        "cli_output_tokens_sum": tokens.get("output_tokens_sum"),
        "cli_avg_tokens_per_request": tokens.get("avg_tokens_per_request"),
    }


def _cli_rest(cli: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in cli.items() if k not in ("session_count", "request_count", "prompt_count", "token_usage")}
    tokens = cli.get("token_usage")
    if isinstance(tokens, dict):
        left = {
            k: v
            for k, v in tokens.items()
            if k not in ("prompt_tokens_sum", "output_tokens_sum", "avg_tokens_per_request")
        }
        if left:
            rest["token_usage"] = left
    elif tokens is not None:
        rest["token_usage"] = tokens
    return rest


def _number(job: Job, where: str, key: str, value: Any) -> Any:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    raise LoadError(
        f"{job.path}: {where}: '{key}' must be a number, got {json.dumps(value)[:40]}.",
        hint="Fix the record or re-download the report.",
    )
