"""The tables and views of the database: one definition feeding the DDL, the docs, the prompt and the translator."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str
    source: str | None = None  # path in the export record when it is not the column name itself
    in_prompt: bool = True  # bulky provenance columns stay out of the model's prompt


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    view_sql: str | None = None
    in_prompt: bool = True
    derived_sql: str | None = None  # a table the loader rebuilds from this SELECT after every load

    @property
    def is_view(self) -> bool:
        return self.view_sql is not None

    @property
    def is_derived(self) -> bool:
        return self.derived_sql is not None

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def ddl(self) -> str:
        """CREATE TABLE (or CREATE VIEW) statement for this table."""
        if self.view_sql is not None:
            return f"CREATE OR REPLACE VIEW {self.name} AS\n{self.view_sql.strip()}"
        cols = ",\n  ".join(f"{c.name} {c.type}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"


def C(name: str, type_: str, doc: str, source: str | None = None, in_prompt: bool = True) -> Column:
    return Column(name, type_, doc, source, in_prompt)


# The seven activity counters GitHub repeats at every level (docs: "activity counters").
COUNTER_DOCS = {
    "user_initiated_interaction_count": "prompts the user sent (chat, agent, CLI); 0 for completions",
    "code_generation_activity_count": "outputs shown: completions offered, code blocks",
    "code_acceptance_activity_count": "accepts: completion accepted, code block applied/inserted/copied",
    "loc_suggested_to_add_sum": "lines suggested to add (not agent edits)",
    "loc_suggested_to_delete_sum": "lines suggested to delete (usually 0)",
    "loc_added_sum": "lines added to files (accepted completions, applied blocks, agent edits)",
    "loc_deleted_sum": "lines deleted from files (mostly agent edits)",
}
COUNTERS = tuple(COUNTER_DOCS)
COUNTERS_NO_INTERACTIONS = COUNTERS[1:]


def counters(names: tuple[str, ...] = COUNTERS) -> tuple[Column, ...]:
    return tuple(C(n, "BIGINT", COUNTER_DOCS[n]) for n in names)


SCOPE_KEYS = (
    C("day", "DATE", "calendar day (UTC)"),
    C("enterprise_id", "VARCHAR", "enterprise id (text)"),
    C("organization_id", "VARCHAR", "organization id (text), organization-scope reports"),
    C("user_id", "BIGINT", "GitHub user id (join key)"),
    C("user_login", "VARCHAR", "GitHub login"),
)

USED_FLAGS = {
    "used_agent": "used agent mode in the IDE that day",
    "used_chat": "used chat in the IDE that day",
    "used_cli": "used Copilot CLI that day",
    "used_copilot_app": "used the GitHub Copilot app that day",
    "used_copilot_cloud_agent": "used Copilot cloud agent that day",
    "used_copilot_coding_agent": "older name of used_copilot_cloud_agent",
    "used_copilot_code_review_active": "requested a Copilot review or applied its suggestion",
    "used_copilot_code_review_passive": "Copilot auto-reviewed their PR, no engagement",
    "used_vscode_agent": "used the VS Code Agents window",
}

CLI_COLUMNS = (
    C("cli_session_count", "BIGINT", "Copilot CLI sessions started", "totals_by_cli.session_count"),
    C("cli_request_count", "BIGINT", "CLI requests incl. automated agent follow-ups", "totals_by_cli.request_count"),
    C("cli_prompt_count", "BIGINT", "prompts typed in the CLI", "totals_by_cli.prompt_count"),
    C("cli_prompt_tokens_sum", "BIGINT", "CLI prompt (input) tokens", "totals_by_cli.token_usage.prompt_tokens_sum"),
    C("cli_output_tokens_sum", "BIGINT", "CLI output tokens", "totals_by_cli.token_usage.output_tokens_sum"),
    C(
        "cli_avg_tokens_per_request",
        "DOUBLE",
        "CLI tokens per request",
        "totals_by_cli.token_usage.avg_tokens_per_request",
    ),
)

APP_COLUMNS = (
    C("app_session_count", "BIGINT", "Copilot app sessions", "totals_by_copilot_app.session_count"),
    C("app_request_count", "BIGINT", "Copilot app requests", "totals_by_copilot_app.request_count"),
    C("app_prompt_count", "BIGINT", "Copilot app prompts", "totals_by_copilot_app.prompt_count"),
    C(
        "app_prompt_tokens_sum",
        "BIGINT",
        "Copilot app prompt tokens",
        "totals_by_copilot_app.token_usage.prompt_tokens_sum",
    ),
    C(
        "app_output_tokens_sum",
        "BIGINT",
        "Copilot app output tokens",
        "totals_by_copilot_app.token_usage.output_tokens_sum",
    ),
    C(
        "app_avg_tokens_per_request",
        "DOUBLE",
        "Copilot app tokens per request",
        "totals_by_copilot_app.token_usage.avg_tokens_per_request",
        in_prompt=False,
    ),
)

CUSTOMIZATION_COLUMNS = tuple(
    C(
        f"distinct_{k}_use_count",
        "BIGINT",
        f"distinct CLI {k.replace('_', ' ')}s used (never sum across users or days)",
        in_prompt=False,
    )
    for k in ("mcp", "skill", "custom_agent", "slash_cmd", "plugin")
) + tuple(
    C(f"totals_by_{k}", "JSON", f"top CLI {k.replace('_', ' ')}s: [{{{k}, interaction_count}}]", in_prompt=False)
    for k in ("mcp", "skill", "custom_agent", "slash_cmd", "plugin")
)

PROVENANCE = (
    C("report_start_day", "DATE", "first day of the 28-day export this row came from", in_prompt=False),
    C("report_end_day", "DATE", "last day of the 28-day export this row came from", in_prompt=False),
    C("import_id", "INTEGER", "which import (see imports) wrote this row", in_prompt=False),
)

USER_DAILY = Table(
    "user_daily",
    "one row per user per day per enterprise/organization; a row means the user was active that day",
    SCOPE_KEYS
    + counters()
    + tuple(C(k, "BOOLEAN", v) for k, v in USED_FLAGS.items())
    + (
        C("ai_credits_used", "DOUBLE", "AI credits used that day (a signal, not a bill)"),
        C(
            "ai_adoption_phase",
            "VARCHAR",
            "28-day cohort: 'Phase 1' code first, 'Phase 2' agent first, 'Phase 3' multi-agent, 'No Cohort'",
            "ai_adoption_phase.phase",
        ),
        C(
            "ai_adoption_phase_number",
            "INTEGER",
            "0-3, the number of ai_adoption_phase",
            "ai_adoption_phase.phase_number",
        ),
        C(
            "ai_adoption_phase_version",
            "VARCHAR",
            "version of the cohort definition",
            "ai_adoption_phase.version",
            in_prompt=False,
        ),
    )
    + CLI_COLUMNS
    + (
        C(
            "cli_version",
            "VARCHAR",
            "last known Copilot CLI version",
            "totals_by_cli.last_known_cli_version.cli_version",
        ),
        C(
            "cli_version_sampled_at",
            "VARCHAR",
            "when that CLI version was seen",
            "totals_by_cli.last_known_cli_version.sampled_at",
            in_prompt=False,
        ),
    )
    + APP_COLUMNS
    + (
        C(
            "vscode_agent_session_count",
            "BIGINT",
            "VS Code Agents window sessions",
            "totals_by_vscode_agent.session_count",
        ),
        C(
            "vscode_agent_user_messages",
            "BIGINT",
            "VS Code Agents window messages",
            "totals_by_vscode_agent.total_user_messages",
        ),
        C(
            "totals_by_3rd_party_agent",
            "JSON",
            "partner agents (Claude, Codex): [{agent_id, agent_name, user_initiated_interaction_count}]",
            in_prompt=False,
        ),
    )
    + CUSTOMIZATION_COLUMNS
    + PROVENANCE
    + (
        C(
            "extra",
            "JSON",
            "fields of the record this version does not store in a column, at any depth, kept verbatim",
            in_prompt=False,
        ),
    ),
    key=("day", "user_id", "enterprise_id", "organization_id"),
)

_BREAKDOWN_KEYS = SCOPE_KEYS


def _breakdown(
    name: str, array: str, dims: tuple[Column, ...], names: tuple[str, ...], doc: str, extra: tuple[Column, ...] = ()
) -> Table:
    return Table(
        name,
        f"{doc} (one row per element of {array}[] in the user record)",
        _BREAKDOWN_KEYS
        + dims
        + counters(names)
        + extra
        + (
            C("extra", "JSON", "fields of the element not stored in a column, at any depth, verbatim", in_prompt=False),
            C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
        ),
        key=("day", "user_id", "enterprise_id", "organization_id") + tuple(d.name for d in dims),
    )


FEATURE_DOC = (
    "Copilot surface (values listed with the data): code_completion, chat_panel_<mode>_mode, chat_inline, "
    "agent_edit (lines agents wrote into files), copilot_cli, copilot_app"
)
IDE = C("ide", "VARCHAR", "IDE: vscode, jetbrains, visualstudio, neovim, xcode, eclipse, ... (never the CLI)")
FEATURE = C("feature", "VARCHAR", FEATURE_DOC)
LANGUAGE = C(
    "language", "VARCHAR", "language id, lower case (python, typescript, ...; 'unknown' and 'others' are buckets)"
)
MODEL = C("model", "VARCHAR", "model name (chat/agent/CLI only, never completions); 'auto'/'unknown' exist")

USER_DAILY_BY_IDE = _breakdown(
    "user_daily_by_ide",
    "totals_by_ide",
    (IDE,),
    COUNTERS,
    "a user's activity per IDE per day",
    (
        C("ide_version", "VARCHAR", "last known IDE version", "last_known_ide_version.ide_version"),
        C(
            "ide_version_sampled_at",
            "VARCHAR",
            "when that IDE version was seen",
            "last_known_ide_version.sampled_at",
            in_prompt=False,
        ),
        C("plugin", "VARCHAR", "Copilot extension name", "last_known_plugin_version.plugin"),
        C(
            "plugin_version",
            "VARCHAR",
            "last known Copilot extension version",
            "last_known_plugin_version.plugin_version",
        ),
        C(
            "plugin_version_sampled_at",
            "VARCHAR",
            "when that extension version was seen",
            "last_known_plugin_version.sampled_at",
            in_prompt=False,
        ),
    ),
)
USER_DAILY_BY_FEATURE = _breakdown(
    "user_daily_by_feature", "totals_by_feature", (FEATURE,), COUNTERS, "a user's activity per feature per day"
)
USER_DAILY_BY_LANGUAGE_FEATURE = _breakdown(
    "user_daily_by_language_feature",
    "totals_by_language_feature",
    (LANGUAGE, FEATURE),
    COUNTERS_NO_INTERACTIONS,
    "a user's activity per language and feature per day",
)
USER_DAILY_BY_LANGUAGE_MODEL = _breakdown(
    "user_daily_by_language_model",
    "totals_by_language_model",
    (LANGUAGE, MODEL),
    COUNTERS_NO_INTERACTIONS,
    "a user's chat/agent activity per language and model per day",
)
USER_DAILY_BY_MODEL_FEATURE = _breakdown(
    "user_daily_by_model_feature",
    "totals_by_model_feature",
    (MODEL, FEATURE),
    COUNTERS,
    "a user's chat/agent activity per model and feature per day",
)

PR_FIELDS = {
    "total_created": "PRs created that day",
    "total_reviewed": "PRs reviewed that day",
    "total_merged": "PRs merged that day",
    "median_minutes_to_merge": "median minutes from creation to merge, PRs merged that day",
    "total_suggestions": "review suggestions generated",
    "total_applied_suggestions": "review suggestions applied",
    "total_created_by_copilot": "PRs created by Copilot",
    "total_reviewed_by_copilot": "PRs reviewed by Copilot",
    "total_merged_created_by_copilot": "Copilot-created PRs merged",
    "total_merged_reviewed_by_copilot": "Copilot-reviewed PRs merged",
    "median_minutes_to_merge_copilot_authored": "median minutes to merge, Copilot-authored PRs",
    "median_minutes_to_merge_copilot_reviewed": "median minutes to merge, Copilot-reviewed PRs",
    "total_copilot_suggestions": "Copilot review suggestions",
    "total_copilot_applied_suggestions": "Copilot review suggestions applied",
}

PR_FIELDS_NOT_IN_PROMPT = frozenset(
    {
        "total_suggestions",
        "total_applied_suggestions",
        "total_copilot_suggestions",
        "total_copilot_applied_suggestions",
        "total_merged_reviewed_by_copilot",
        "median_minutes_to_merge_copilot_reviewed",
    }
)

ENTITY_COUNTS_NOT_IN_PROMPT = frozenset(
    {
        "weekly_active_copilot_code_review_users",
        "monthly_active_copilot_code_review_users",
        "daily_passive_copilot_code_review_users",
        "weekly_passive_copilot_code_review_users",
        "monthly_passive_copilot_code_review_users",
        "weekly_active_copilot_cloud_agent_users",
        "monthly_active_copilot_cloud_agent_users",
        "daily_active_vscode_agent_users",
    }
)

ENTITY_USER_COUNTS = {
    "daily_active_users": "distinct users active that day",
    "weekly_active_users": "distinct users active in the 7 days to this day",
    "monthly_active_users": "distinct users active in the 28 days to this day",
    "monthly_active_chat_users": "distinct chat users in the 28 days to this day",
    "monthly_active_agent_users": "distinct IDE agent-mode users in the 28 days to this day",
    "daily_active_cli_users": "distinct Copilot CLI users that day (independent of IDE users)",
    "daily_active_copilot_code_review_users": "users actively using Copilot code review that day",
    "weekly_active_copilot_code_review_users": "active code review users, 7 days",
    "monthly_active_copilot_code_review_users": "active code review users, 28 days",
    "daily_passive_copilot_code_review_users": "users only auto-reviewed by Copilot that day",
    "weekly_passive_copilot_code_review_users": "passive code review users, 7 days",
    "monthly_passive_copilot_code_review_users": "passive code review users, 28 days",
    "daily_active_copilot_cloud_agent_users": "cloud agent users that day",
    "weekly_active_copilot_cloud_agent_users": "cloud agent users, 7 days",
    "monthly_active_copilot_cloud_agent_users": "cloud agent users, 28 days",
    "daily_active_copilot_app_users": "Copilot app users that day",
    "daily_active_vscode_agent_users": "VS Code Agents window users that day",
}

ENTITY_DAILY = Table(
    "entity_daily",
    "GitHub's own daily totals for the enterprise or organization (aggregate reports); its user counts are "
    "distinct: never sum them across days",
    (
        C("day", "DATE", "calendar day (UTC)"),
        C("scope", "VARCHAR", "'enterprise' or 'organization'"),
        C("enterprise_id", "VARCHAR", "enterprise id (text)"),
        C("organization_id", "VARCHAR", "organization id (text)"),
    )
    + tuple(C(k, "BIGINT", v, in_prompt=k not in ENTITY_COUNTS_NOT_IN_PROMPT) for k, v in ENTITY_USER_COUNTS.items())
    + counters()
    + CLI_COLUMNS
    + tuple(
        C(
            f"pr_{k}",
            "DOUBLE" if k.startswith("median") else "BIGINT",
            v,
            f"pull_requests.{k}",
            in_prompt=k not in PR_FIELDS_NOT_IN_PROMPT,
        )
        for k, v in PR_FIELDS.items()
    )
    + (
        C("totals_by_ide", "JSON", "per-IDE totals [{ide, counters...}]", in_prompt=False),
        C("totals_by_feature", "JSON", "per-feature totals", in_prompt=False),
        C("totals_by_language_feature", "JSON", "per language and feature", in_prompt=False),
        C("totals_by_language_model", "JSON", "per language and model", in_prompt=False),
        C("totals_by_model_feature", "JSON", "per model and feature", in_prompt=False),
        C(
            "totals_by_ai_adoption_phase",
            "JSON",
            "per adoption phase: [{phase, total_engaged_users, avg_*}]",
            in_prompt=False,
        ),
        C(
            "pull_requests",
            "JSON",
            "the pull_requests object verbatim (incl. copilot_suggestions_by_comment_type)",
            in_prompt=False,
        ),
    )
    + PROVENANCE
    + (C("extra", "JSON", "fields this version does not know, kept verbatim", in_prompt=False),),
    key=("day", "scope", "enterprise_id", "organization_id"),
)

USER_TEAMS = Table(
    "user_teams",
    "daily team membership from the user-teams report (teams with < 5 seated users are absent; "
    "a user on 2 teams has 2 rows)",
    (
        C("day", "DATE", "membership day"),
        C("user_id", "BIGINT", "GitHub user id"),
        C("user_login", "VARCHAR", "GitHub login"),
        C("team_id", "BIGINT", "team id"),
        C("slug", "VARCHAR", "team slug"),
        C("enterprise_id", "VARCHAR", "enterprise id (enterprise report)"),
        C("organization_id", "VARCHAR", "organization id (organization report)"),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("day", "user_id", "team_id", "enterprise_id", "organization_id"),
    in_prompt=False,  # team_membership is the table to query
)

TEAM_MAP = Table(
    "team_map",
    "a hand-made user_login -> team mapping (CSV), used for days without a user-teams report",
    (
        C("user_login", "VARCHAR", "GitHub login"),
        C("team", "VARCHAR", "team name"),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("user_login", "team"),
    in_prompt=False,  # team_membership is the table to query
)

SEATS = Table(
    "seats",
    "one row per Copilot seat (latest seat listing of each organization); a user seated through two orgs has two rows",
    (
        C("login", "VARCHAR", "assignee login (NULL for a team or organization assignee)", "assignee.login"),
        C("user_id", "BIGINT", "assignee user id (NULL for a team or organization assignee)", "assignee.id"),
        C(
            "assignee_type",
            "VARCHAR",
            "User; older listings also seat a whole Team or Organization (login NULL)",
            "assignee.type",
            in_prompt=False,
        ),
        C("assignee_id", "BIGINT", "id of the user, team or organization", "assignee.id", in_prompt=False),
        C(
            "assignee_name",
            "VARCHAR",
            "user login, team slug or organization login holding the seat",
            "assignee.login / assignee.slug",
            in_prompt=False,
        ),
        C(
            "organization_login",
            "VARCHAR",
            "organization granting the seat (from the seat, --org, or the assigning team)",
            "organization.login",
        ),
        C(
            "listing",
            "VARCHAR",
            "whose listing the row came from: 'organization:NAME' or 'enterprise:NAME' (NULL: not named)",
            in_prompt=False,
        ),
        C("plan_type", "VARCHAR", "business, enterprise or unknown"),
        C("created_at", "TIMESTAMPTZ", "when the seat was (last) assigned"),
        C("last_activity_at", "TIMESTAMPTZ", "last Copilot activity seen by GitHub (NULL: none in 90 days or never)"),
        C("last_activity_editor", "VARCHAR", "editor of that last activity, e.g. vscode/1.99.0/copilot-chat/0.27.0"),
        C("last_authenticated_at", "TIMESTAMPTZ", "last Copilot authentication"),
        C("pending_cancellation_date", "DATE", "seat ends on this date (cancelled)"),
        C("assigning_team_id", "BIGINT", "team that granted the seat", "assigning_team.id"),
        C("assigning_team_slug", "VARCHAR", "team that granted the seat", "assigning_team.slug"),
        C("snapshot_at", "TIMESTAMPTZ", "when the seat listing was taken (file time if unknown)", in_prompt=False),
        C("extra", "JSON", "other seat fields (e.g. updated_at), verbatim", in_prompt=False),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("assignee_type", "assignee_name", "organization_login"),
)

SEAT_ACTIVITY = Table(
    "seat_activity",
    "the seat activity report CSV: last authentication and activity per login (per login and organization in "
    "the enterprise report; seat_activity_latest has one row per login)",
    (
        C("report_time", "TIMESTAMPTZ", "when GitHub generated the report"),
        C("login", "VARCHAR", "GitHub login"),
        C("organization", "VARCHAR", "organization of the row (enterprise report, or --org); NULL when not given"),
        C("last_authenticated_at", "TIMESTAMPTZ", "last Copilot authentication"),
        C("last_activity_at", "TIMESTAMPTZ", "last Copilot activity"),
        C("last_surface_used", "VARCHAR", "IDE and version, github.com feature, or 'Unspecified'"),
        C("extra", "JSON", "other columns of the CSV row, by normalised header", in_prompt=False),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("login", "organization"),
    in_prompt=False,  # seat_usage carries last_surface_used
)

LEGACY_DAILY = Table(
    "legacy_daily",
    "legacy Copilot Metrics API (closed 2026-04-02): one row per day per scope",
    (
        C("date", "DATE", "day"),
        C("scope", "VARCHAR", "organization or enterprise named at load (--org/--enterprise); NULL when not named"),
        C("total_active_users", "BIGINT", "users with any activity, incl. passive"),
        C("total_engaged_users", "BIGINT", "users who engaged"),
        C(
            "ide_completions_engaged_users",
            "BIGINT",
            "engaged completion users",
            "copilot_ide_code_completions.total_engaged_users",
            in_prompt=False,
        ),
        C(
            "ide_chat_engaged_users",
            "BIGINT",
            "engaged IDE chat users",
            "copilot_ide_chat.total_engaged_users",
            in_prompt=False,
        ),
        C(
            "dotcom_chat_engaged_users",
            "BIGINT",
            "engaged github.com chat users",
            "copilot_dotcom_chat.total_engaged_users",
        ),
        C(
            "dotcom_pr_engaged_users",
            "BIGINT",
            "engaged PR-summary users",
            "copilot_dotcom_pull_requests.total_engaged_users",
            in_prompt=False,
        ),
        C("raw", "JSON", "the whole day object", in_prompt=False),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("date", "scope"),
)

LEGACY_COMPLETIONS = Table(
    "legacy_completions",
    "legacy API code completions per day, editor, model and language",
    (
        C("date", "DATE", "day"),
        C("scope", "VARCHAR", "as in legacy_daily"),
        C("editor", "VARCHAR", "editor name as GitHub wrote it (vscode, JetBrains, ...)"),
        C("model", "VARCHAR", "model name ('default' or a custom model)"),
        C("language", "VARCHAR", "language"),
        C("total_engaged_users", "BIGINT", "engaged users in this slice (distinct: never sum)"),
        C("total_code_suggestions", "BIGINT", "suggestions shown"),
        C("total_code_acceptances", "BIGINT", "suggestions accepted"),
        C("total_code_lines_suggested", "BIGINT", "lines suggested"),
        C("total_code_lines_accepted", "BIGINT", "lines accepted"),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("date", "scope", "editor", "model", "language"),
    in_prompt=False,
)

LEGACY_CHAT = Table(
    "legacy_chat",
    "legacy API IDE chat per day, editor and model",
    (
        C("date", "DATE", "day"),
        C("scope", "VARCHAR", "as in legacy_daily"),
        C("editor", "VARCHAR", "editor name"),
        C("model", "VARCHAR", "model name"),
        C("total_engaged_users", "BIGINT", "engaged users (distinct: never sum)"),
        C("total_chats", "BIGINT", "chat messages"),
        C("total_chat_insertion_events", "BIGINT", "code inserted from chat"),
        C("total_chat_copy_events", "BIGINT", "code copied from chat"),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("date", "scope", "editor", "model"),
    in_prompt=False,
)

LEGACY_USAGE_DAILY = Table(
    "legacy_usage_daily",
    "older Copilot usage API (/copilot/usage, 2024, retired): one row per day per scope",
    (
        C("day", "DATE", "day"),
        C("scope", "VARCHAR", "organization or enterprise named at load (--org/--enterprise); NULL when not named"),
        C("total_suggestions_count", "BIGINT", "completions suggested"),
        C("total_acceptances_count", "BIGINT", "completions accepted"),
        C("total_lines_suggested", "BIGINT", "lines suggested"),
        C("total_lines_accepted", "BIGINT", "lines accepted"),
        C("total_active_users", "BIGINT", "users with completion activity (distinct: never sum)"),
        C("total_chat_acceptances", "BIGINT", "chat code acceptances"),
        C("total_chat_turns", "BIGINT", "chat turns"),
        C("total_active_chat_users", "BIGINT", "chat users (distinct: never sum)"),
        C("extra", "JSON", "other fields of the day, verbatim", in_prompt=False),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("day", "scope"),
    in_prompt=False,
)

LEGACY_USAGE_BREAKDOWN = Table(
    "legacy_usage_breakdown",
    "older Copilot usage API: one row per day, language and editor (the day's breakdown[])",
    (
        C("day", "DATE", "day"),
        C("scope", "VARCHAR", "as in legacy_usage_daily"),
        C("language", "VARCHAR", "language"),
        C("editor", "VARCHAR", "editor name as GitHub wrote it"),
        C("suggestions_count", "BIGINT", "completions suggested"),
        C("acceptances_count", "BIGINT", "completions accepted"),
        C("lines_suggested", "BIGINT", "lines suggested"),
        C("lines_accepted", "BIGINT", "lines accepted"),
        C("active_users", "BIGINT", "users in this slice (distinct: never sum)"),
        C("extra", "JSON", "other fields of the element, verbatim", in_prompt=False),
        C("import_id", "INTEGER", "import that wrote the row", in_prompt=False),
    ),
    key=("day", "scope", "language", "editor"),
    in_prompt=False,
)

IMPORTS = Table(
    "imports",
    "the ledger of loaded files",
    (
        C("import_id", "INTEGER", "import number"),
        C("file", "VARCHAR", "path of the file loaded"),
        C("sha256", "VARCHAR", "content hash (a re-load of the same content is skipped)"),
        C("quick_fingerprint", "VARCHAR", "size and hash of the first and last MiB: finds re-loads before a full hash"),
        C("kind", "VARCHAR", "detected export kind"),
        C("rows", "BIGINT", "rows read from the file"),
        C("first_day", "DATE", "first day in the file"),
        C("last_day", "DATE", "last day in the file"),
        C("loaded_at", "TIMESTAMPTZ", "when it was loaded"),
    ),
    key=("import_id",),
    in_prompt=False,
)

TEAM_MEMBERSHIP = Table(
    "team_membership",
    "team membership per day: the user-teams report, else the team_map CSV for every day a user appears",
    (
        C("day", "DATE", "day"),
        C("user_id", "BIGINT", "GitHub user id"),
        C("user_login", "VARCHAR", "GitHub login"),
        C("team", "VARCHAR", "team slug or name"),
        C("team_id", "BIGINT", "team id (NULL from team_map)"),
        C("source", "VARCHAR", "'user_teams' or 'team_map'"),
    ),
    derived_sql="""
SELECT day, user_id, user_login, slug AS team, team_id, 'user_teams' AS source
FROM user_teams
UNION ALL
SELECT d.day, d.user_id, d.user_login, m.team, CAST(NULL AS BIGINT) AS team_id, 'team_map' AS source
FROM (SELECT DISTINCT day, user_id, user_login FROM user_daily) d
JOIN team_map m ON lower(m.user_login) = lower(d.user_login)
WHERE d.day NOT IN (SELECT DISTINCT day FROM user_teams)
ORDER BY day
""",
)

SEAT_ACTIVITY_LATEST = Table(
    "seat_activity_latest",
    "the seat activity report per login: its latest activity over every organization it appears in",
    (
        C("login", "VARCHAR", "GitHub login"),
        C("last_authenticated_at", "TIMESTAMPTZ", "latest authentication in any organization"),
        C("last_activity_at", "TIMESTAMPTZ", "latest activity in any organization"),
        C("last_surface_used", "VARCHAR", "surface of that latest activity"),
        C("last_active_organization", "VARCHAR", "organization of that latest activity"),
        C("organizations", "BIGINT", "rows (organizations) the login has in the report"),
        C("report_time", "TIMESTAMPTZ", "newest report time"),
    ),
    view_sql="""
SELECT min(login) AS login, max(last_authenticated_at) AS last_authenticated_at,
       max(last_activity_at) AS last_activity_at,
       arg_max_null(last_surface_used, coalesce(last_activity_at, TIMESTAMPTZ '-infinity')) AS last_surface_used,
       arg_max_null(organization, coalesce(last_activity_at, TIMESTAMPTZ '-infinity')) AS last_active_organization,
       count(*) AS organizations, max(report_time) AS report_time
FROM seat_activity
GROUP BY lower(login)
""",
    in_prompt=False,
)

SEAT_USAGE = Table(
    "seat_usage",
    "each seat joined to its activity in user_daily: whether and when the seat holder was active",
    (
        C("login", "VARCHAR", "seat holder login"),
        C("user_id", "BIGINT", "seat holder user id"),
        C("organization_login", "VARCHAR", "organization granting the seat"),
        C("assigning_team_slug", "VARCHAR", "team that granted the seat"),
        C("created_at", "TIMESTAMPTZ", "seat assigned at"),
        C("pending_cancellation_date", "DATE", "seat ends on this date"),
        C("last_activity_at", "TIMESTAMPTZ", "GitHub's last activity timestamp for the seat"),
        C("first_active_day", "DATE", "first day with a user_daily row (NULL: never in the loaded data)"),
        C("last_active_day", "DATE", "last day with a user_daily row"),
        C("active_days", "BIGINT", "days with a user_daily row"),
        C("last_surface_used", "VARCHAR", "from the seat activity report, when loaded"),
    ),
    # a seat with a user id matches its activity by id, one without by login: two equality joins (one join
    # on `id = id OR (...)` is a nested loop, seats x users)
    derived_sql="""
WITH a AS (
  SELECT user_id, lower(any_value(user_login)) AS login_lc, min(day) AS first_active_day,
         max(day) AS last_active_day, count(DISTINCT day) AS active_days
  FROM user_daily GROUP BY user_id
)
SELECT s.login, s.user_id, s.organization_login, s.assigning_team_slug, s.created_at, s.pending_cancellation_date,
       s.last_activity_at, coalesce(by_id.first_active_day, by_login.first_active_day) AS first_active_day,
       coalesce(by_id.last_active_day, by_login.last_active_day) AS last_active_day,
       coalesce(by_id.active_days, by_login.active_days, 0) AS active_days, sa.last_surface_used
FROM seats s
LEFT JOIN a by_id ON by_id.user_id = s.user_id
LEFT JOIN a by_login ON s.user_id IS NULL AND by_login.login_lc = lower(s.login)
LEFT JOIN seat_activity_latest sa ON lower(sa.login) = lower(s.login)
WHERE s.login IS NOT NULL
""",
)

TABLES: tuple[Table, ...] = (
    USER_DAILY,
    USER_DAILY_BY_IDE,
    USER_DAILY_BY_FEATURE,
    USER_DAILY_BY_LANGUAGE_FEATURE,
    USER_DAILY_BY_LANGUAGE_MODEL,
    USER_DAILY_BY_MODEL_FEATURE,
    ENTITY_DAILY,
    USER_TEAMS,
    TEAM_MAP,
    SEATS,
    SEAT_ACTIVITY,
    LEGACY_DAILY,
    LEGACY_COMPLETIONS,
    LEGACY_CHAT,
    LEGACY_USAGE_DAILY,
    LEGACY_USAGE_BREAKDOWN,
    IMPORTS,
    TEAM_MEMBERSHIP,
    SEAT_USAGE,
)
DERIVED: tuple[Table, ...] = tuple(t for t in TABLES if t.is_derived)
VIEWS: tuple[Table, ...] = (SEAT_ACTIVITY_LATEST,)
ALL: tuple[Table, ...] = TABLES + VIEWS
BY_NAME: dict[str, Table] = {t.name: t for t in ALL}
QUERYABLE: frozenset[str] = frozenset(BY_NAME)
