"""An Intent's shape: what kind of answer the tokens ask for (a breakdown, a list of users, a count, a share,
seats, first-time users...), with the breakdowns, ranking and limits that go with it."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.offline.lexicon import TIME_DIMS, USAGE_WORDS
from assistant.offline.parse import Intent, Token, refuse
from assistant.semantic.metrics import METRICS_BY_NAME

FLAG_METRICS = (
    "agent_users",
    "chat_users",
    "cli_users",
    "code_review_users",
    "cloud_agent_users",
    "engaged_users",
)
SUGGESTIONS = [
    "How many people used Copilot in the last 7 days?",
    "acceptance rate by language",
    "top 5 users by interactions this month",
    "active users per week",
    "which seats were never used?",
    "adoption rate by team",
]


def understood(intent: Intent) -> list[str]:
    out = []
    if intent.metrics:
        out.append(
            "measure: "
            + ", ".join(
                METRICS_BY_NAME[m].label if m in METRICS_BY_NAME else m.replace("_", " ") for m in intent.metrics
            )
        )
    if intent.dims:
        out.append("by " + ", ".join(intent.dims))
    for d, vs in intent.filters:
        out.append(f"{d} = {', '.join(vs)}")
    if intent.window:
        out.append(intent.window.text())
    return out


def ranks_a_dimension(toks: list[Token]) -> bool:
    """'Which model has the most users': the users are counted, the model is ranked."""
    return any(t.kind == "dim" and t.value not in ("day", "week", "month", "weekday") for t in toks)


def shape(
    intent: Intent,
    toks: list[Token],
    joined: str,
    *,
    who: bool,
    user_group: bool,
    count_q: bool,
    list_q: bool,
    singular: bool,
    trend: bool,
    compare: bool,
    first_time: bool,
    coverage: bool,
    order_metric: str | None,
    share: bool = False,
) -> Intent:
    metrics, dims = list(intent.metrics), list(intent.dims)
    notes: list[str] = []
    if intent.filter("feature") == ("copilot_cli",) and metrics and all(m.startswith("cli_") for m in metrics):
        intent = intent.with_filter("feature", ())  # "Copilot CLI tokens": the CLI columns say it already
        if count_q and any(t.kind == "user_noun" for t in toks):
            notes.append("cli_users")  # "how many people use Copilot CLI, and how many tokens...": keep both
    # a dimension named together with its single value ("the web-frontend team") is a filter, not a breakdown
    for d in list(dims):
        key = {"phase": "phase"}.get(d, d)
        if len(intent.filter(key)) == 1 and not re.search(rf"\b(by|per|each|every|across|which|what) {d}", joined):
            dims.remove(d)
    if "user" in dict(intent.filters) and "user" in dims:
        dims.remove("user")
    either = " or " in f" {joined} " and not compare  # "plan mode or custom mode": one group, not two
    if not either:  # two values of one dimension are compared side by side ("JetBrains than VS Code")
        for d, vs in intent.filters:
            if len(vs) > 1 and d not in dims and d != "feature_family":  # users too: "raj vs nina"
                dims.append(d)
    if coverage and not metrics:
        return replace(intent, shape="coverage", dims=())
    user_token = any(t.kind == "user_noun" for t in toks)
    if (
        intent.user_noun
        and (not count_q or user_group)
        or list_q
        and ("user" in dims or who or user_token)
        or intent.thresholds
        and user_token
        and not count_q
    ):
        if "user" not in dims:
            dims.insert(0, "user")
    if "user" in dims and who is False and not user_group and count_q:
        dims.remove("user")
    if "team" in dims and any(t.kind == "metric" and t.text == "adoption" for t in toks):
        metrics = ["team_adoption_rate" if m == "active_users" else m for m in metrics]  # "teams with low adoption"
    if "seats" in metrics and count_q and any(t.kind == "user_noun" for t in toks):
        metrics[metrics.index("seats")] = "seat_holders"  # "how many people have a seat": distinct logins
    if (
        "seats" in metrics
        and not intent.negated
        and not {"never_used_seats", "inactive_seats"} & set(metrics)
        and set(joined.split()) & USAGE_WORDS
    ):
        metrics[metrics.index("seats")] = "seat_utilisation"  # "seats actually being used"
    if not metrics and count_q and intent.user_noun is False and any(t.kind == "user_noun" for t in toks):
        metrics = ["active_users"]
    shape = "aggregate"
    seat_metrics = {"never_used_seats", "inactive_seats"}
    only_completions = (
        "code_completion" in intent.filter("feature")
        and (bool(re.search(r"\bonly (?:use |used |uses |using |with |tried )?(?:code )?completions?\b", joined)))
        or (
            "code_completion" in intent.filter("feature")
            and intent.negated
            and (
                {"chat_users", "agent_users"} & set(metrics)
                or intent.filter("feature_family")
                or len(intent.filter("feature")) > 1
            )
        )
    )
    if not only_completions and re.search(
        r"\b(?:only|exclusively|solely) (?:use|used|uses|using|tried|try|with|in)\b(?! (?:copilot )?THRESH)"
        r"|\buse only\b",
        joined,
    ):
        # "users who only use chat": an exclusive use is not the same as any use
        raise refuse(
            "I can't check 'only uses X' offline, except 'only completions, never chat or agent'.",
            understood(intent),
            ["users who only use completions", "chat users by user", "users who never used agent mode"],
        )
    if only_completions:
        shape = "only_completions"
        metrics = []
        dims = ["user"] if ("user" in dims or intent.user_noun) else []
        filters = tuple((d, v) for d, v in intent.filters if d not in ("feature", "feature_family"))
        intent = replace(intent, filters=filters)
    elif first_time:
        shape = "first_time"
        metrics = [m for m in metrics if m != "active_users"]
    elif set(metrics) & seat_metrics and (
        "user" in dims or who or list_q or re.search(r"\b(which|list|show)\b", joined) and not count_q
    ):
        shape = "seat_list"
        metrics = [m for m in metrics if m in seat_metrics][:1]
        dims = []
    elif intent.negated and not set(metrics) & seat_metrics:
        rest = [m for m in metrics if m not in ("active_users", "code_acceptances", "interactions", "seats")]
        if (
            rest
            or intent.thresholds
            or any(d not in ("user", "organization") for d in dims)
            or any(d not in ("organization",) for d, _ in intent.filters)
        ):
            raise refuse(
                "I can't answer this negation offline: I only know 'has not used Copilot' "
                "(per seat, over a window) and 'only completions, never chat or agent'.",
                understood(intent),
                SUGGESTIONS,
            )
        never = "never" in joined and intent.window is None
        listing = "user" in dims or who or list_q
        by_org = "organization" in dims and not listing  # "unused licenses by org": a count per organization
        shape = "aggregate" if by_org else "seat_list" if (listing or not count_q) else "seat_count"
        metrics = ["never_used_seats" if never else "inactive_seats"]
        dims = ["organization"] if by_org else []
    elif count_q and intent.thresholds and "user" not in dims:
        shape = "count_users"
    if (
        count_q
        and set(metrics) <= {"active_users"}
        and "team" in dims
        and shape == "aggregate"
        and any(t.kind == "user_noun" and t.text in ("members", "member") for t in toks)
    ):
        shape, dims = "team_members", ["team"]
    counted = re.search(
        r"\bhow many (?:different |distinct |unique )?(languages|ides|editors|models|features|modes|"
        r"teams|organizations|orgs|days)\b",
        joined,
    )
    if counted and shape == "aggregate" and not metrics and user_token and re.search(r"\b(each|every|per)\b", joined):
        raise refuse(
            f"I can count the distinct {counted[1]} overall or in a window, not per user, offline.",
            understood(intent),
            [f"how many {counted[1]} were used last month", "active users by model"],
        )
    if counted and shape == "aggregate" and not metrics:
        dim = {
            "ides": "ide",
            "editors": "ide",
            "modes": "feature",
            "orgs": "organization",
            "days": "day",
        }.get(counted[1], counted[1].rstrip("s"))
        shape, dims = "count_values", [dim]
    ratio_metrics = {"acceptance_rate", "agent_adoption", "seat_utilisation", "team_adoption_rate"}
    if share and "code_acceptances" in metrics:
        metrics = ["acceptance_rate"]  # "what percentage of suggestions get accepted"
    if re.search(r"\bwhen\b.*\blast (?:active|used|use|seen)\b|\blast active (?:day|date)\b", joined) and (
        shape == "aggregate" and not metrics
    ):
        return replace(intent, shape="last_active", dims=(), metrics=())
    if share and shape == "aggregate" and not set(metrics) & ratio_metrics:
        flags = [m for m in metrics if m in FLAG_METRICS]
        breakdown = [
            d
            for d, _ in intent.filters
            if d in ("feature", "ide", "language", "model", "feature_family", "model_family")
        ]
        others = set(metrics) - set(flags) - {"active_users"}
        agent = (
            flags == ["agent_users"]
            and not breakdown
            or (not flags and intent.filters == (("feature", ("chat_panel_agent_mode",)),))
        )
        if dims and agent and not others and set(dims) <= {"team", "organization", "day", "week", "month", "trend"}:
            # "percent of devs using agent mode per team": agent adoption by team
            intent = intent.with_filter("feature", ())
            flags, breakdown, metrics = [], [], ["agent_adoption"]
        if metrics == ["agent_adoption"]:
            pass
        elif dims or len(flags) > 1 or others or not (flags or breakdown):
            raise refuse(
                "I can give the share of active users who used a feature, IDE, language, model, the CLI, "
                "chat or agent mode, but not this share.",
                understood(intent),
                ["share of users using agent mode last month", "percentage of users on JetBrains"],
            )
        else:
            shape, metrics = "share", flags
    if (
        shape == "aggregate"
        and re.match(r"\W*which\b", joined)
        and dims
        and "user" not in dims
        and metrics
        and all(m in FLAG_METRICS for m in metrics)
    ):
        notes.append("present_only")  # "which teams use the CLI": only those that do
    if re.search(r"\b(average|avg|mean|typical)\b", joined) or (
        # "prompts per active user": a ratio to the active users, not each user's count
        re.search(r"\bper active (user|developer|dev|person|engineer)\b", joined)
        and metrics
        and not set(metrics) & ratio_metrics
    ):
        per_day = re.search(r"\b(per|a|each) day\b|\bdaily\b", joined)
        per_person = re.search(r"\b(average|avg|mean|typical) (user|developer|dev|person|engineer)\b", joined)
        if per_day and per_person:
            raise refuse(
                "'Per user per day' is ambiguous (per active day? per calendar day?); I can average per "
                "user or per day.",
                understood(intent),
                ["average prompts per user this month", "average daily interactions this month"],
            )
        if re.search(
            r"\bper (active )?(user|developer|dev|person|engineer|seat)|\beach (user|developer)", joined
        ) or any(t.kind == "user_noun" and t.text in ("user", "developer", "person") for t in toks):
            shape = "average_per_user"
            dims = [d for d in dims if d != "user"]
        elif re.search(r"\b(per|a|each) day\b|\bdaily\b", joined):
            shape = "average_per_day"
            dims = [d for d in dims if d != "day"]
        elif metrics and set(metrics) <= ratio_metrics:
            pass  # "average acceptance rate per IDE": a rate is already an average
        else:
            raise refuse("I can only average per user or per day offline.", understood(intent), SUGGESTIONS)
    if trend and not any(d in TIME_DIMS for d in dims):
        dims.append("trend")
    order, limit = intent.order, intent.limit
    if limit and not order:
        order = "desc"
    ranked = [d for d in dims if d not in ("day", "week", "month", "weekday", "trend")]
    if order and (singular or limit) and len(ranked) > 1:
        raise refuse(
            "I can rank across one breakdown, not find the top one within each group (e.g. each team's top model).",
            understood(intent),
            ["active users by team and model", "which model has the most users?"],
        )
    if order and limit is None:
        plural_users = any(t.kind == "user_noun" and t.text.endswith(("s", "people", "folks")) for t in toks)
        if (
            singular
            or re.search(r"\b(who is|who's) the\b", joined)
            or (who and not plural_users and not re.search(r"\bwho are\b", joined))
        ):
            limit = 1
        elif "user" in dims:
            limit = 10
    if (
        order
        and not dims
        and shape == "aggregate"
        and set(metrics) <= {"active_users"}
        and re.search(r"\b(most|least) active (users|people|developers|devs|engineers|folks)\b", joined)
    ):
        dims, limit = ["user"], limit or 10  # "least active users": users ranked by active days
    if order and not dims and shape == "aggregate":
        # nothing to rank: refuse rather than drop the superlative
        raise refuse(
            "I could not tell what to rank (by user, team, language, IDE, model, day...).",
            understood(intent),
            ["top 5 users by interactions", "which team has the most active users?"],
        )
    if order_metric and order_metric in metrics:
        metrics.remove(order_metric)
        metrics.insert(0, order_metric)
    return replace(
        intent,
        metrics=tuple(metrics),
        dims=tuple(dims),
        shape=shape,
        order=order,
        limit=limit,
        notes=tuple(notes),
    )
