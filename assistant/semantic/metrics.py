"""The semantic layer: metric definitions, join rules, caveats and DuckDB notes, written once.

The LLM prompt, the offline translator, `cma schema`, the REPL completer and docs/metrics.md all read
these definitions; none keeps a second copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.semantic.joins import join_rules


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    definition: str
    sql: str  # an aggregate expression over `table` (alias-free), reusable verbatim
    table: str
    unit: str = "count"  # count, ratio, lines, tokens, credits, users, seats, days
    synonyms: tuple[str, ...] = ()


ACTIVE = "count(DISTINCT user_id)"

METRICS: tuple[Metric, ...] = (
    Metric("active_users", "active users",
           "users with a row in user_daily on the day; over a window, on at least one day", ACTIVE, "user_daily",
           "users",
           ("active", "users", "people", "developers", "devs", "engineers", "folks", "dau", "wau", "mau", "adoption")),
    Metric("engaged_users", "engaged users", "active users who prompted Copilot",
           "count(DISTINCT user_id) FILTER (WHERE user_initiated_interaction_count > 0)", "user_daily", "users",
           ("engaged",)),
    Metric("interactions", "interactions", "sum of user_initiated_interaction_count (prompts sent)",
           "sum(user_initiated_interaction_count)", "user_daily", "count",
           ("interactions", "prompts", "requests", "messages", "chat requests")),
    Metric("code_generations", "code generations", "sum of code_generation_activity_count (suggestions shown)",
           "sum(code_generation_activity_count)", "user_daily", "count",
           ("generations", "suggestions", "completions shown")),
    Metric("code_acceptances", "code acceptances", "sum of code_acceptance_activity_count",
           "sum(code_acceptance_activity_count)", "user_daily", "count", ("acceptances", "accepts", "accepted")),
    Metric("acceptance_rate", "acceptance rate",
           "acceptances / generations: completions and code-block accepts, not agent edits",
           "round(sum(code_acceptance_activity_count)::DOUBLE / nullif(sum(code_generation_activity_count), 0), 4)",
           "user_daily", "ratio",
           ("acceptance rate", "accept rate", "acceptance", "how often suggestions are accepted")),
    Metric("loc_suggested", "lines suggested", "sum of loc_suggested_to_add_sum", "sum(loc_suggested_to_add_sum)",
           "user_daily", "lines", ("lines suggested",)),
    Metric("loc_added", "lines added", "sum of loc_added_sum (accepted completions, applied blocks, agent edits)",
           "sum(loc_added_sum)", "user_daily", "lines", ("lines added", "lines of code", "loc", "code written")),
    Metric("loc_deleted", "lines deleted", "sum of loc_deleted_sum", "sum(loc_deleted_sum)", "user_daily", "lines",
           ("lines deleted", "lines removed")),
    Metric("agent_adoption", "agent adoption",
           "share of active users who used agent mode",
           "round(count(DISTINCT user_id) FILTER (WHERE used_agent)::DOUBLE / nullif(count(DISTINCT user_id), 0), 4)",
           "user_daily", "ratio", ("agent adoption", "agent mode adoption")),
    Metric("agent_users", "agent-mode users", "distinct users with used_agent",
           "count(DISTINCT user_id) FILTER (WHERE used_agent)", "user_daily", "users", ("agent users", "agent mode")),
    Metric("chat_users", "chat users", "distinct users with used_chat",
           "count(DISTINCT user_id) FILTER (WHERE used_chat)", "user_daily", "users", ("chat users", "chat")),
    Metric("cli_users", "CLI users", "distinct users with used_cli (CLI is not IDE activity)",
           "count(DISTINCT user_id) FILTER (WHERE used_cli)", "user_daily", "users", ("cli users", "cli", "terminal")),
    Metric("cli_sessions", "CLI sessions", "sum of cli_session_count", "sum(cli_session_count)", "user_daily",
           "count", ("cli sessions", "sessions")),
    Metric("cli_tokens", "CLI tokens", "sum of cli_prompt_tokens_sum + cli_output_tokens_sum",
           "sum(coalesce(cli_prompt_tokens_sum, 0) + coalesce(cli_output_tokens_sum, 0))", "user_daily", "tokens",
           ("tokens", "token usage")),
    Metric("code_review_users", "code review users", "distinct users with used_copilot_code_review_active",
           "count(DISTINCT user_id) FILTER (WHERE used_copilot_code_review_active)", "user_daily", "users",
           ("code review", "review users")),
    Metric("cloud_agent_users", "cloud agent users", "distinct users with used_copilot_cloud_agent or "
           "used_copilot_coding_agent",
           "count(DISTINCT user_id) FILTER (WHERE used_copilot_cloud_agent OR used_copilot_coding_agent)",
           "user_daily", "users", ("cloud agent", "coding agent")),
    Metric("ai_credits", "AI credits", "sum of ai_credits_used (a usage signal, not a bill)", "sum(ai_credits_used)",
           "user_daily", "credits", ("credits", "ai credits")),
    Metric("active_days", "active days", "distinct days with a user_daily row, per user",
           "count(DISTINCT day)", "user_daily", "days", ("active days", "days active")),
    Metric("seats", "seats", "rows in seats (one per seat)", "count(*)", "seats", "seats",
           ("seats", "licenses", "licences")),
    Metric("seat_utilisation", "seat utilisation",
           "share of seats whose holder was active in the window",
           "round(count(*) FILTER (WHERE last_active_day >= :window_start)::DOUBLE / nullif(count(*), 0), 4)",
           "seat_usage", "ratio", ("seat utilization", "seat utilisation", "utilization", "license usage")),
    Metric("never_used_seats", "never-used seats", "seats never active anywhere",
           "count(*) FILTER (WHERE first_active_day IS NULL AND last_activity_at IS NULL)", "seat_usage", "seats",
           ("never used", "unused seats")),
    Metric("inactive_seats", "inactive seats", "holder inactive in the window",
           "count(*) FILTER (WHERE last_active_day IS NULL OR last_active_day < :window_start)", "seat_usage",
           "seats", ("idle seats", "wasted seats")),
    Metric("seat_holders", "seat holders", "people with seats",
           "count(DISTINCT lower(login))", "seats", "seats", ("licensed users",)),
    Metric("team_adoption_rate", "team adoption rate",
           "active members / members over the window; multi-team users count in each team",
           "round(count(DISTINCT m.user_id) FILTER (WHERE u.user_id IS NOT NULL)::DOUBLE / "
           "nullif(count(DISTINCT m.user_id), 0), 4)",
           "team_membership", "ratio", ("team adoption", "adoption rate")),
)
METRICS_BY_NAME = {m.name: m for m in METRICS}

JOIN_RULES: tuple[str, ...] = join_rules()

CAVEATS: tuple[str, ...] = (
    "team totals double-count users on several teams; teams under 5 seated users are absent from user_teams",
    "CLI activity (feature copilot_cli, used_cli, cli_*) is not IDE activity; user_daily_by_ide excludes it",
    "the last 3 days are provisional and GitHub may revise them",
    "'unknown'/'Unknown' and 'others' buckets exist for language, model and feature",
)

DUCKDB_NOTES: tuple[str, ...] = (
    "last N days: day > (SELECT max(day) FROM user_daily) - INTERVAL N DAY",
    "date_trunc('week', day) / date_trunc('month', day) return a TIMESTAMP; cast ::DATE for display",
    "count(*) FILTER (WHERE ...), GROUP BY ALL, QUALIFY row_number() OVER (...) = 1 all work",
    "dayofweek(day) is 0 for Sunday, 6 for Saturday; strftime(day, '%Y-%m') for a month label",
    "string comparisons on names: lower(col) = 'value'",
)

UNANSWERABLE: dict[str, str] = {
    "money": "The exports count usage, not money: there is no price, spend or cost in them. Seat counts are in "
             "`seats`; multiply by your own seat price.",
    "dotcom": "Copilot Chat on github.com and GitHub Mobile are not included in the usage-metrics exports.",
    "satisfaction": "The exports hold usage counts only: no survey, satisfaction or sentiment data.",
    "productivity": "The exports do not measure productivity or time saved; they count Copilot activity "
                    "(interactions, suggestions, acceptances, lines).",
}

VALUE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("feature", "user_daily_by_feature", "feature"),
    ("ide", "user_daily_by_ide", "ide"),
    ("language", "user_daily_by_language_feature", "language"),
    ("model", "user_daily_by_model_feature", "model"),
    ("team", "team_membership", "team"),
    ("ai_adoption_phase", "user_daily", "ai_adoption_phase"),
    ("organization", "seats", "organization_login"),
)
