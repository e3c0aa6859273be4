"""The semantic model as data: metric groupings, dimensions, entities with attributes, and join paths.

Everything that says which table and column a word maps to lives here (and in `catalog` / `metrics`);
the offline reader, the prompt's join section, `cma schema`, the REPL completer and the docs derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.semantic import catalog
from assistant.semantic.joins import JOIN_PATHS, JoinPath
from assistant.semantic.metrics import METRICS, METRICS_BY_NAME, VALUE_COLUMNS, Metric


@dataclass(frozen=True)
class Dimension:
    """A way to group or filter: the tables and column that hold it, its phrases, where its values come from."""

    name: str
    label: str
    holders: tuple[tuple[str, str], ...]  # (table, column); the first one lists the values
    phrases: tuple[str, ...]
    values_from: str = "data"  # "data": read from the loaded tables; "enum": a fixed list
    family_match: bool = False  # a value may name a family by prefix ("claude" -> claude%)

    @property
    def table(self) -> str:
        return self.holders[0][0]

    @property
    def column(self) -> str:
        return self.holders[0][1]

    def column_in(self, table: str) -> str | None:
        """The column holding this dimension in `table`, or None when that table does not hold it."""
        return next((c for t, c in self.holders if t == table), None)


@dataclass(frozen=True)
class Flag:
    """A per-user-day usage flag ("used agent mode"), with the feature values that mean the same surface."""

    name: str
    label: str
    condition: str  # over user_daily columns
    phrases: tuple[str, ...]
    metric: str | None = None  # the distinct-users metric counting it
    feature_condition: str | None = None  # the same surface over user_daily_by_feature, when it has one


@dataclass(frozen=True)
class Attribute:
    """A column of an entity that a question may ask about, filter on or sort by."""

    name: str
    column: str
    kind: str  # "text", "time" (timestamp), "date", "count"
    label: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Entity:
    """Something a question lists or counts: the table that lists all of them, its key and attributes."""

    name: str
    label: str
    table: str
    key: str
    phrases: tuple[str, ...]
    attributes: tuple[Attribute, ...] = ()
    id_column: str = ""  # the stable id (user_id) when the key is a display name

    def attribute(self, name: str) -> Attribute:
        return next(a for a in self.attributes if a.name == name)


# --- metric groupings: how each metric aggregates, written once -----------------------------------
GROUPINGS: dict[str, tuple[str, ...]] = {
    "sum": ("interactions", "code_generations", "code_acceptances", "loc_suggested", "loc_added", "loc_deleted",
            "cli_sessions", "cli_tokens", "ai_credits"),
    "distinct_users": ("active_users", "engaged_users", "active_days"),
    "flag": ("agent_users", "chat_users", "cli_users", "code_review_users", "cloud_agent_users"),
    "ratio": ("acceptance_rate", "agent_adoption", "team_adoption_rate"),
    "seat": ("seats", "seat_holders", "seat_utilisation", "never_used_seats", "inactive_seats"),
}
GROUPING_OF: dict[str, str] = {m: g for g, names in GROUPINGS.items() for m in names}
# measures only one surface's users have ('copilot cli sessions' names the surface once)
SURFACE_MEASURES: dict[str, str] = {"cli_sessions": "cli", "cli_tokens": "cli"}

# the counter column a summed metric adds up (None: an expression over several columns)
SUM_COLUMN: dict[str, str] = {
    "interactions": "user_initiated_interaction_count",
    "code_generations": "code_generation_activity_count",
    "code_acceptances": "code_acceptance_activity_count",
    "loc_suggested": "loc_suggested_to_add_sum",
    "loc_added": "loc_added_sum",
    "loc_deleted": "loc_deleted_sum",
    "cli_sessions": "cli_session_count",
    "ai_credits": "ai_credits_used",
}
SUM_COLUMN.update({"cli_requests": "cli_request_count", "cli_prompts": "cli_prompt_count",
                   "app_sessions": "app_session_count", "app_requests": "app_request_count",
                   "vscode_agent_sessions": "vscode_agent_session_count", "cli_output_tokens": "cli_output_tokens_sum",
                   "cli_prompt_tokens": "cli_prompt_tokens_sum"})

# --- dimensions -----------------------------------------------------------------------------------
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("ide", "IDE", (("user_daily_by_ide", "ide"),), ("ide", "ides", "editor", "editors")),
    Dimension("feature", "feature", (("user_daily_by_feature", "feature"),
                                     ("user_daily_by_language_feature", "feature"),
                                     ("user_daily_by_model_feature", "feature")), ("feature", "features", "surface")),
    Dimension("language", "language", (("user_daily_by_language_feature", "language"),
                                       ("user_daily_by_language_model", "language")),
              ("language", "languages", "lang", "langs")),
    Dimension("model", "model", (("user_daily_by_model_feature", "model"), ("user_daily_by_language_model", "model")),
              ("model", "models", "llm", "llms"), family_match=True),
    Dimension("team", "team", (("team_membership", "team"),), ("team", "teams", "squad", "squads")),
    Dimension("organization", "organization", (("seats", "organization_login"),), ("organization", "org", "orgs")),
    Dimension("phase", "AI adoption phase", (("user_daily", "ai_adoption_phase"),),
              ("phase", "phases", "adoption phase", "cohort")),
    Dimension("user", "user", (("user_daily", "user_login"), ("team_membership", "user_login"), ("seats", "login")),
              ("user", "users", "person", "people", "dev", "devs", "developer", "developers")),
    Dimension("day", "day", (("user_daily", "day"),), ("day", "daily", "date")),
    Dimension("plan", "plan type", (("seats", "plan_type"),), ("plan", "plan type", "plans", "plan types"), "enum"),
)
DIMENSIONS_BY_NAME: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}
# the fixed values of an "enum" dimension (seats.plan_type, as the catalog documents it)
ENUM_VALUES: dict[str, tuple[str, ...]] = {"plan": ("business", "enterprise")}

# --- usage flags (user_daily booleans) ------------------------------------------------------------
FLAGS: tuple[Flag, ...] = (
    Flag("agent", "agent mode", "used_agent", ("agent mode", "agent", "agents", "agentic"), "agent_users"),
    Flag("chat", "chat", "used_chat", ("chat", "chatting", "chats"), "chat_users", "feature LIKE 'chat%'"),
    Flag("cli", "the CLI", "used_cli", ("cli", "copilot cli", "terminal", "command line"), "cli_users",
         "feature = 'copilot_cli'"),
    Flag("review", "Copilot code review", "used_copilot_code_review_active", ("code review", "review", "reviews",
         "requested a review", "requested a copilot review", "requested copilot reviews", "request a review",
         "request a copilot review", "requests a review", "asked for a review", "asked for a copilot review",
         "ask for a review", "asked copilot for a review", "asked copilot to review", "active code review",
         "active review"),
         "code_review_users"),
    Flag("passive_review", "passive Copilot code review", "used_copilot_code_review_passive",
         ("auto-reviewed", "auto reviewed", "passive review", "passive code review", "reviewed passively",
          "passively reviewed", "reviewed automatically", "automatically reviewed",
          # 'had their code reviewed passively': the code is what any review reviews
          "code reviewed passively", "code passively reviewed", "code reviewed automatically",
          "code automatically reviewed", "code auto-reviewed")),
    Flag("cloud_agent", "the cloud/coding agent", "(used_copilot_cloud_agent OR used_copilot_coding_agent)",
         ("coding agent", "cloud agent"), "cloud_agent_users"),
    Flag("completions", "code completions", "", ("completions", "completion", "autocomplete", "code completion",
         "code completions"), None, "feature = 'code_completion'"),
)
FLAGS_BY_NAME: dict[str, Flag] = {f.name: f for f in FLAGS}
# a flag that is the passive side of another: what engaging with it means ('auto-reviewed without ever engaging': the
# user never used Copilot code review actively)
ACTIVE_SIDE: dict[str, str] = {"passive_review": "review"}
# a flag read from user_daily_by_feature instead of user_daily (completions have no user_daily flag)
FEATURE_FLAGS: frozenset[str] = frozenset({"completions"})

# --- entities -------------------------------------------------------------------------------------
SEAT_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("assigned", "created_at", "time", "assigned at",
              ("assigned", "handed out", "given out", "given", "granted", "created", "got a seat", "got seats", "gave",
               "gave out", "issued", "allocated", "provisioned",
               "got a licence", "got licences", "got a copilot seat", "assignment", "assignments")),
    Attribute("plan", "plan_type", "text", "plan type", ("plan", "plan type", "plan types")),
    Attribute("cancellation", "pending_cancellation_date", "date", "pending cancellation date",
              ("pending cancellation", "pending", "cancellation", "cancellations", "cancelled", "canceled", "ending",
               "end", "end date", "cancellation date", "expire", "expires", "expiring", "expiry",
               "expiry date", "lapse", "lapses", "lapsing", "take effect", "takes effect")),
    Attribute("signed_in", "last_authenticated_at", "time", "last sign-in",
              ("sign in", "signed in", "sign-in", "logged in", "log in", "authenticated", "authentication")),
    Attribute("last_activity", "last_activity_at", "time", "last activity", ("last activity",)),
    Attribute("editor", "last_activity_editor", "text", "last activity editor", ("last activity editor",
              "last editor", "editor used")),
    Attribute("assigning_team", "assigning_team_slug", "text", "assigning team", ("assigning team", "came through",
              "through", "thru", "via")),
    Attribute("organization", "organization_login", "text", "organization", ("organization", "org")),
)
SEAT_USAGE_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("first_active", "first_active_day", "date", "first active day", ("first active",)),
    Attribute("last_active", "last_active_day", "date", "last active day", ("last active",)),
    Attribute("active_days", "active_days", "count", "active days", ("active days",)),
)
# how a seat's last activity editor (GitHub's 'vim/0.11.2/copilot.vim/1.50.0') begins for an IDE value of the usage
# data, where the two name it differently (copilot.vim serves Vim and Neovim: either editor is the neovim IDE)
EDITOR_PREFIXES: dict[str, tuple[str, ...]] = {"neovim": ("neovim", "vim")}
ENTITIES: tuple[Entity, ...] = (
    Entity("user", "users", "user_daily", "user_login",
           ("users", "user", "people", "ppl", "person", "folks", "devs", "dev", "developers", "developer",
            "engineers", "engineer", "anyone", "anybody", "someone", "everyone", "members"),
           (Attribute("first_day", "day", "date", "first day", ("first", "start", "started")),
            Attribute("last_day", "day", "date", "last day", ("last", "latest", "recently"))), "user_id"),
    Entity("seat", "seats", "seats", "login",
           ("seat", "seats", "license", "licenses", "licence", "licences", "seat holders", "licensed users",
            "seat holder", "holder", "holders", "seatholder", "seatholders", "seat list", "seat listing", "seat report",
            "seats list"),
           SEAT_ATTRIBUTES),
    Entity("seat_usage", "seats with their activity", "seat_usage", "login", (), SEAT_USAGE_ATTRIBUTES),
    Entity("seat_activity", "seat activity report rows", "seat_activity", "login", ("surface", "last surface"),
           (Attribute("surface", "last_surface_used", "text", "last surface used", ("surface", "last surface")),)),
    Entity("team", "teams", "team_membership", "team", ("team", "teams", "squad", "squads"),
           (Attribute("size", "user_id", "count", "members", ("size", "sizes", "headcount", "how big", "how large")),),
           "user_id"),
    Entity("day", "days with data", "user_daily", "day", ("day", "days", "date", "dates", "timestamp", "timestamps")),
    Entity("organization", "organizations", "seats", "organization_login", ("organization", "org", "orgs")),
    Entity("enterprise", "enterprises", "entity_daily", "enterprise_id", ("enterprise",)),
)
ENTITIES_BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}
# the seat activity report's latest row per login: where 'according to the seat activity report' reads a last surface
SEAT_SURFACES: str = catalog.SEAT_ACTIVITY_LATEST.name

__all__ = ["JOIN_PATHS", "JoinPath"]


def join_path(left: str, right: str) -> JoinPath:
    """The join path from `left` to `right` (KeyError when the model has none)."""
    for j in JOIN_PATHS:
        if (j.left, j.right) == (left, right):
            return j
    raise KeyError((left, right))


# --- the tables each entity's figures come from, when the per-user table is empty ------------------
AGGREGATE_SOURCES: dict[str, tuple[str, str]] = {
    # metric -> (table, aggregate expression) in GitHub's own daily totals
    "active_users": ("entity_daily", "daily_active_users"),
    "interactions": ("entity_daily", "sum(user_initiated_interaction_count)"),
    "code_generations": ("entity_daily", "sum(code_generation_activity_count)"),
    "code_acceptances": ("entity_daily", "sum(code_acceptance_activity_count)"),
    "loc_added": ("entity_daily", "sum(loc_added_sum)"),
}
LEGACY_SOURCES: dict[str, tuple[str, str]] = {
    "active_users": ("legacy_daily", "total_active_users"),
    "engaged_users": ("legacy_daily", "total_engaged_users"),
    "code_generations": ("legacy_completions", "sum(total_code_suggestions)"),
    "code_acceptances": ("legacy_completions", "sum(total_code_acceptances)"),
}
# entity_daily figures a question may name directly: pull requests by (verb, by Copilot), user counts by words
PR_FIGURES: dict[tuple[str, bool], str] = {
    ("created", True): "pr_total_created_by_copilot",
    ("reviewed", True): "pr_total_reviewed_by_copilot",
    ("merged", True): "pr_total_merged_created_by_copilot",
    ("created", False): "pr_total_created",
    ("reviewed", False): "pr_total_reviewed",
    ("merged", False): "pr_total_merged",
}
PR_VERBS: dict[str, str] = {
    "create": "created", "created": "created", "creates": "created", "opened": "created", "open": "created",
    "review": "reviewed", "reviewed": "reviewed", "reviews": "reviewed",
    "merge": "merged", "merged": "merged", "merges": "merged",
    "authored": "created", "written": "created", "raised": "created",
}
PR_VERBS["applied"] = "applied"  # review suggestions applied
PR_WORDS: tuple[str, ...] = ("prs", "pr", "pull requests", "pull request")
# the Copilot PRs merged, by what Copilot did to them
PR_MERGED_OF: dict[str, str] = {"created": "pr_total_merged_created_by_copilot",
                                "reviewed": "pr_total_merged_reviewed_by_copilot"}
# GitHub's median minutes to merge per day (a median: never summed or averaged across days), by Copilot's part
PR_MEDIANS: dict[str, str] = {"": "pr_median_minutes_to_merge",
                              "created": "pr_median_minutes_to_merge_copilot_authored",
                              "reviewed": "pr_median_minutes_to_merge_copilot_reviewed"}
# the words of the time to merge that name a pull-request figure by themselves ('the median time to merge on nov 5')
PR_MERGE_TIME_WORDS: tuple[str, ...] = ("time to merge", "merge time", "minutes to merge", "mins to merge")
PR_TIME_WORDS: tuple[str, ...] = ("minutes", "mins", "minute") + PR_MERGE_TIME_WORDS
# code review suggestions on PRs, by (applied, made by Copilot)
PR_SUGGESTIONS: dict[tuple[bool, bool], str] = {
    (False, True): "pr_total_copilot_suggestions", (True, True): "pr_total_copilot_applied_suggestions",
    (False, False): "pr_total_suggestions", (True, False): "pr_total_applied_suggestions",
}
# verbs of Copilot making review suggestions: the count of all of them, not the applied ones
PR_SUGGESTION_MADE: frozenset[str] = frozenset("generated generate made make makes gave give given left leave posted "
                                               "post offered shown wrote".split())
PR_SUGGESTION_WORDS: tuple[str, ...] = ("review suggestions", "review suggestion", "review comments",
                                        "code review suggestions", "pr suggestions", "suggestions on prs",
                                        "pull request suggestions", "pull request suggestion",
                                        "suggestions on pull requests", "pr review suggestions",
                                        "pull request review suggestions")
# GitHub's own distinct-user counts (entity_daily), read on one day, never summed
# GitHub's own active-user figures: the days each counts people over, and the period word each is named by
USER_FIGURE_DAYS: dict[str, int] = {"daily_active_users": 1, "weekly_active_users": 7, "monthly_active_users": 28}
USER_FIGURE_PERIOD: dict[str, str] = {"daily": "day", "weekly": "week", "monthly": "month"}
ENTITY_USER_FIGURES: dict[str, str] = {
    "monthly active users": "monthly_active_users", "mau": "monthly_active_users",
    "weekly active users": "weekly_active_users", "wau": "weekly_active_users",
    "daily active users": "daily_active_users", "dau": "daily_active_users",
    "monthly active user": "monthly_active_users", "weekly active user": "weekly_active_users",
    "daily active user": "daily_active_users",
}


# tables the model's prompt lists by column name and type only: their column names say what they hold
PROMPT_NAMES_ONLY: frozenset[str] = frozenset(
    t.name for t in (catalog.ENTITY_DAILY, catalog.LEGACY_CHAT, catalog.LEGACY_COMPLETIONS, catalog.LEGACY_DAILY,
                     catalog.SEAT_ACTIVITY, catalog.SEATS, catalog.TEAM_MAP, catalog.USER_TEAMS)
)


def breakdown_sources() -> str:
    """Which table each dimension is read from, in words (for the docs)."""
    parts = [f"{d.label} from {d.table}" for d in DIMENSIONS if d.table.startswith("user_daily_by_")]
    dims = ("language", "model", "ide", "feature")
    pairs = [t for t in catalog.TABLES if t.name.startswith("user_daily_by_") and
             sum(x.name in dims for x in t.columns) == 2]
    both = [" and ".join(c.name for c in t.columns if c.name in dims) + f" from {t.name}" for t in pairs]
    return ", ".join(parts + both)


def columns_named() -> frozenset[str]:
    """Every table and column name the model and the catalog know."""
    names = {t.name for t in catalog.ALL} | {c.name for t in catalog.ALL for c in t.columns}
    return frozenset(names)


def check() -> list[str]:
    """Problems in the model: a table, column or metric it names that the catalog does not hold."""
    problems: list[str] = []
    for d in DIMENSIONS:
        for t, c in d.holders:
            if t not in catalog.BY_NAME or c not in {x.name for x in catalog.BY_NAME[t].columns}:
                problems.append(f"dimension {d.name}: {t}.{c}")
    for e in ENTITIES:
        cols = {x.name for x in catalog.BY_NAME[e.table].columns}
        problems += [f"entity {e.name}: {a.column}" for a in e.attributes if a.column not in cols]
        if e.key not in cols:
            problems.append(f"entity {e.name}: key {e.key}")
    for j in JOIN_PATHS:
        for t, side in ((j.left, 0), (j.right, 1)):
            cols = {x.name for x in catalog.BY_NAME[t].columns}
            problems += [f"join {j.left}-{j.right}: {p[side]}" for p in j.on if p[side] not in cols]
    problems += [f"grouping: {m}" for m in GROUPING_OF if m not in METRICS_BY_NAME]
    problems += [f"metric without grouping: {m.name}" for m in METRICS if m.name not in GROUPING_OF]
    return problems


# --- the phrase reader's sources (offline/sql_parts.py, offline/sql_shapes.py) ---------------------
# the breakdown table a set of dimensions is read from (several hold language or model: the one with feature)
BREAKDOWN_TABLES: dict[frozenset[str], str] = {
    frozenset({"ide"}): catalog.USER_DAILY_BY_IDE.name,
    frozenset({"feature"}): catalog.USER_DAILY_BY_FEATURE.name,
    frozenset({"language"}): catalog.USER_DAILY_BY_LANGUAGE_FEATURE.name,
    frozenset({"language", "feature"}): catalog.USER_DAILY_BY_LANGUAGE_FEATURE.name,
    frozenset({"model"}): catalog.USER_DAILY_BY_MODEL_FEATURE.name,
    frozenset({"model", "feature"}): catalog.USER_DAILY_BY_MODEL_FEATURE.name,
    frozenset({"language", "model"}): catalog.USER_DAILY_BY_LANGUAGE_MODEL.name,
}

# the metrics every breakdown table can give: distinct users and days, GitHub's activity counters and their ratio
BREAKDOWN_METRICS: frozenset[str] = frozenset(
    (*GROUPINGS["distinct_users"], *(m for m in GROUPINGS["sum"] if SUM_COLUMN.get(m) in catalog.COUNTERS),
     "acceptance_rate"))


def lacks_column(table: str, column: str) -> bool:
    """Whether the catalog's `table` has no column `column`."""
    return column not in {c.name for c in catalog.BY_NAME[table].columns}


def seat_condition(metric: str) -> str:
    """The condition a seat metric counts ('never used', 'inactive'), with its :window_start placeholder."""
    sql = METRICS_BY_NAME[metric].sql
    head = "count(*) FILTER (WHERE "
    assert sql.startswith(head) and sql.endswith(")"), metric
    return sql[len(head):-1]


def value_list(dimension: str) -> str:
    """The name of the value list (a key of the context's values) that holds a dimension's values."""
    holders = set(DIMENSIONS_BY_NAME[dimension].holders)
    return next(name for name, table, column in VALUE_COLUMNS if (table, column) in holders)


# --- measures the offline reader answers that the metric list does not name ----------------------
def _measure(name: str, label: str, column: str, synonyms: tuple[str, ...]) -> Metric:
    return Metric(name, label, f"sum of {column}", f"sum({column})", "user_daily", "count", synonyms)


READER_MEASURES: tuple[Metric, ...] = (
    _measure("cli_requests", "CLI requests", "cli_request_count", ("cli requests", "cli request")),
    _measure("cli_prompts", "CLI prompts", "cli_prompt_count", ("cli prompts", "cli prompt")),
    _measure("app_sessions", "Copilot app sessions", "app_session_count",
             ("app sessions", "copilot app sessions", "app session")),
    _measure("app_requests", "Copilot app requests", "app_request_count", ("app requests", "copilot app requests")),
    _measure("cli_output_tokens", "CLI output tokens", "cli_output_tokens_sum", ("cli output tokens",)),
    _measure("cli_prompt_tokens", "CLI prompt tokens", "cli_prompt_tokens_sum",
             ("cli prompt tokens", "cli input tokens")),
    _measure("vscode_agent_sessions", "VS Code agent sessions", "vscode_agent_session_count",
             ("agent sessions", "vs code agent sessions", "vscode agent sessions")),
)
READER_MEASURES_BY_NAME: dict[str, Metric] = {m.name: m for m in READER_MEASURES}
# a word that may precede a metric's phrase without changing it: 'code suggestions', 'code acceptances'
METRIC_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "code": ("code_generations", "code_acceptances", "acceptance_rate", "loc_suggested", "loc_added", "loc_deleted"),
}
# nouns that restate where a measure is counted or what a value is, never a unit of their own: lines are lines in
# files and 'typescript files' are the typescript language, so after one of these dimensions' values or measures the
# noun adds nothing ('lines suggested in typescript files', 'lines added to files'); anywhere else ('how many files',
# 'lines per file') it is a unit the exports lack and blocks
RESTATING_NOUNS: dict[str, tuple[str, ...]] = {
    "file": ("language", "loc_suggested", "loc_added", "loc_deleted"),
    "files": ("language", "loc_suggested", "loc_added", "loc_deleted"),
    "work": ("language",),  # 'python work': the language's use
}
# a ratio's denominator: 'languages that received suggestions' only restates where an acceptance rate exists
RATIO_DENOMINATORS: dict[str, str] = {"acceptance_rate": "code_generations"}
# measures over a whole roster, users of Copilot or not: 'counting members who did not use it' only restates them
ROSTER_MEASURES: frozenset[str] = frozenset({"team_adoption_rate", "seat_utilisation"})
# dimensions that are a user's state on a day: a user counts under the latest value in the window
STATE_DIMENSIONS: dict[str, str] = {"phase": "ai_adoption_phase"}
# dimensions the offline reader groups by that are a part of another: (the dimension, the condition on it)
SUB_DIMENSIONS: dict[str, tuple[str, str]] = {"chat_mode": ("feature", "feature LIKE 'chat_panel_%'")}
# what a measure's definition says, as the reader's tokens (kind, value; None for any value of that kind): an
# apposition made only of these restates the measure ('engaged, meaning they sent copilot at least one prompt';
# 'the agent adoption rate, that is, the share of active users who used agent mode') and adds no condition
DEFINED_BY: dict[str, frozenset[tuple[str, object]]] = {
    "engaged_users": frozenset({("use", None), ("metric", "interactions"), ("cmp", ">="), ("num", 1),
                                ("entity", "user"), ("shape", "list")}),
    "agent_adoption": frozenset({("shape", "share"), ("use", None), ("entity", "user"), ("shape", "list"),
                                 ("flag", "agent"), ("metric", "active_users")}),
}
