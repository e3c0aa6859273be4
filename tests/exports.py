"""Small export files in GitHub's formats, written by the tests themselves (independent of fixtures/)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any


def user_record(
    day: str,
    user_id: int,
    login: str | None = None,
    *,
    gen: int = 10,
    acc: int = 3,
    interactions: int = 2,
    enterprise_id: str = "4821",
    ide: str = "vscode",
    language: str = "python",
    **extra: Any,
) -> dict[str, Any]:
    """A consistent users-report record: top-level counters equal the feature breakdown."""
    login = login or f"user{user_id}"
    completion = {
        "feature": "code_completion",
        "user_initiated_interaction_count": 0,
        "code_generation_activity_count": gen,
        "code_acceptance_activity_count": acc,
        "loc_suggested_to_add_sum": gen * 2,
        "loc_suggested_to_delete_sum": 0,
        "loc_added_sum": acc * 2,
        "loc_deleted_sum": 0,
    }
    chat = {
        "feature": "chat_panel_ask_mode",
        "user_initiated_interaction_count": interactions,
        "code_generation_activity_count": 0,
        "code_acceptance_activity_count": 0,
        "loc_suggested_to_add_sum": 0,
        "loc_suggested_to_delete_sum": 0,
        "loc_added_sum": 0,
        "loc_deleted_sum": 0,
    }
    rec: dict[str, Any] = {
        "day": day,
        "enterprise_id": enterprise_id,
        "user_id": user_id,
        "user_login": login,
        "user_initiated_interaction_count": interactions,
        "code_generation_activity_count": gen,
        "code_acceptance_activity_count": acc,
        "loc_suggested_to_add_sum": gen * 2,
        "loc_suggested_to_delete_sum": 0,
        "loc_added_sum": acc * 2,
        "loc_deleted_sum": 0,
        "used_agent": False,
        "used_chat": interactions > 0,
        "used_cli": False,
        "totals_by_ide": [
            {
                "ide": ide,
                **{k: v for k, v in completion.items() if k != "feature"},
                "last_known_ide_version": {"ide_version": "1.126.0", "sampled_at": f"{day}T10:00:00Z"},
            }
        ],
        "totals_by_feature": [completion, chat],
        "totals_by_language_feature": [
            {
                "language": language,
                "feature": "code_completion",
                **{k: v for k, v in completion.items() if k not in ("feature", "user_initiated_interaction_count")},
            }
        ],
        "totals_by_language_model": [],
        "totals_by_model_feature": [{"model": "gpt-5-mini", **chat}],
    }
    rec.update(extra)
    return rec


def write_ndjson(path: Path, records: list[dict[str, Any]], *, gz: bool = False) -> Path:
    text = "".join(json.dumps(r) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def users_28_day(start: str, end: str, days: list[str], users: list[int], **kw: Any) -> list[dict[str, Any]]:
    return [user_record(d, u, report_start_day=start, report_end_day=end, **kw) for d in days for u in users]


def entity_day(day: str, dau: int, **extra: Any) -> dict[str, Any]:
    rec = {
        "day": day,
        "enterprise_id": "4821",
        "daily_active_users": dau,
        "weekly_active_users": dau + 2,
        "monthly_active_users": dau + 5,
        "user_initiated_interaction_count": 10,
        "code_generation_activity_count": 100,
        "code_acceptance_activity_count": 30,
        "pull_requests": {
            "total_created": 5,
            "total_merged": 4,
            "total_created_by_copilot": 1,
            "median_minutes_to_merge": 120.5,
        },
        "totals_by_cli": {
            "session_count": 3,
            "request_count": 9,
            "prompt_count": 4,
            "token_usage": {"prompt_tokens_sum": 1000, "output_tokens_sum": 200, "avg_tokens_per_request": 133.3},
        },
    }
    rec.update(extra)
    return rec


def seat(
    login: str,
    uid: int | None,
    *,
    org: str | None = "acme",
    team: str | None = "web",
    last_activity_at: str | None = "2026-11-01T10:00:00Z",
) -> dict[str, Any]:
    s: dict[str, Any] = {
        "created_at": "2026-01-05T10:00:00Z",
        "pending_cancellation_date": None,
        "last_activity_at": last_activity_at,
        "last_activity_editor": "vscode/1.99.0/copilot/1.0",
        "last_authenticated_at": last_activity_at,
        "plan_type": "business",
        "assignee": {"login": login, "id": uid, "type": "User"},
    }
    if org:
        s["organization"] = {"login": org, "id": 7}
    if team:
        s["assigning_team"] = {"id": 42, "slug": team, "name": team.title()}
    return s
