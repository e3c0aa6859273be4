"""An Intent's shape: what kind of answer the tokens ask for (a breakdown, a list of users, a count, a share,
seats, first-time users...), with the breakdowns, ranking and limits that go with it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.offline.lexicon import TIME_DIMS, USAGE_WORDS
from assistant.offline.parse import Intent, Token, refuse
from assistant.semantic import model
from assistant.semantic.metrics import METRICS_BY_NAME

FLAG_METRICS = (*model.GROUPINGS["flag"], "engaged_users")  # users who did something, for shares
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


RATIO_METRICS = frozenset({"acceptance_rate", "agent_adoption", "seat_utilisation", "team_adoption_rate"})
SEAT_LISTS = frozenset({"never_used_seats", "inactive_seats"})
# "how many languages": a count of a dimension's distinct values
COUNTED = re.compile(
    r"\bhow many (?:different |distinct |unique )?(languages|ides|editors|models|features|modes|"
    r"teams|organizations|orgs|days)\b"
)
COUNTED_DIMS = {"ides": "ide", "editors": "ide", "modes": "feature", "orgs": "organization", "days": "day"}
ONLY_COMPLETIONS = re.compile(r"\bonly (?:use |used |uses |using |with |tried )?(?:code )?completions?\b")
ONLY_USES = re.compile(
    r"\b(?:only|exclusively|solely) (?:use|used|uses|using|tried|try|with|in)\b(?! (?:copilot )?THRESH)"
    r"|\buse only\b"
)
LISTING = re.compile(r"\b(which|list|show)\b")
LAST_ACTIVE = re.compile(r"\bwhen\b.*\blast (?:active|used|use|seen)\b|\blast active (?:day|date)\b")
AVERAGE = re.compile(r"\b(average|avg|mean|typical)\b")
PER_ACTIVE_USER = re.compile(r"\bper active (user|developer|dev|person|engineer)\b")
PER_DAY = re.compile(r"\b(per|a|each) day\b|\bdaily\b")
PER_PERSON = re.compile(r"\b(average|avg|mean|typical) (user|developer|dev|person|engineer)\b")
PER_USER = re.compile(r"\bper (active )?(user|developer|dev|person|engineer|seat)|\beach (user|developer)")


@dataclass(frozen=True)
class Cues:
    """What the words of a question signal besides its intent: who, how many, a list, a trend, a share..."""

    toks: list[Token]
    joined: str
    who: bool
    user_group: bool
    count_q: bool
    list_q: bool
    singular: bool
    trend: bool
    compare: bool
    first_time: bool
    coverage: bool
    order_metric: str | None
    share: bool

    @property
    def user_token(self) -> bool:
        return any(t.kind == "user_noun" for t in self.toks)


@dataclass
class Draft:
    """The answer being shaped: the intent and the metrics, breakdowns, shape and ranking chosen so far."""

    intent: Intent
    metrics: list[str]
    dims: list[str]
    notes: list[str] = field(default_factory=list)
    shape: str = "aggregate"
    order: str | None = None
    limit: int | None = None

    def result(self) -> Intent:
        return replace(self.intent, metrics=tuple(self.metrics), dims=tuple(self.dims), shape=self.shape,
                       order=self.order, limit=self.limit, notes=tuple(self.notes))


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
    """The intent with the kind of answer its words ask for, and the breakdowns and ranking that go with it."""
    cues = Cues(toks, joined, who, user_group, count_q, list_q, singular, trend, compare, first_time, coverage,
                order_metric, share)
    draft = Draft(intent, list(intent.metrics), list(intent.dims))
    _cli_measures(draft, cues)
    _filters_and_breakdowns(draft, cues)
    if coverage and not draft.metrics:
        return replace(draft.intent, shape="coverage", dims=())
    _user_rows(draft, cues)
    _metric_words(draft, cues)
    _special_shape(draft, cues)
    _team_members(draft, cues)
    _counted_values(draft, cues)
    if share and "code_acceptances" in draft.metrics:
        draft.metrics = ["acceptance_rate"]  # "what percentage of suggestions get accepted"
    if LAST_ACTIVE.search(joined) and draft.shape == "aggregate" and not draft.metrics:
        return replace(draft.intent, shape="last_active", dims=(), metrics=())
    if share and draft.shape == "aggregate" and not set(draft.metrics) & RATIO_METRICS:
        _share(draft)
    _present_only(draft, cues)
    if AVERAGE.search(joined) or (
        # "prompts per active user": a ratio to the active users, not each user's count
        PER_ACTIVE_USER.search(joined) and draft.metrics and not set(draft.metrics) & RATIO_METRICS
    ):
        _average(draft, cues)
    if trend and not any(d in TIME_DIMS for d in draft.dims):
        draft.dims.append("trend")
    _ranking(draft, cues)
    return draft.result()


def _cli_measures(draft: Draft, cues: Cues) -> None:
    """'Copilot CLI tokens': the CLI columns say it already, so the feature filter goes."""
    if draft.intent.filter("feature") == ("copilot_cli",) and draft.metrics and all(
        m.startswith("cli_") for m in draft.metrics
    ):
        draft.intent = draft.intent.with_filter("feature", ())
        if cues.count_q and cues.user_token:
            draft.notes.append("cli_users")  # "how many people use Copilot CLI, and how many tokens...": keep both


def _filters_and_breakdowns(draft: Draft, cues: Cues) -> None:
    """A dimension named with its one value is a filter; two values of one dimension are compared side by side."""
    intent, dims = draft.intent, draft.dims
    # a dimension named together with its single value ("the web-frontend team") is a filter, not a breakdown
    for d in list(dims):
        if len(intent.filter(d)) == 1 and not re.search(rf"\b(by|per|each|every|across|which|what) {d}", cues.joined):
            dims.remove(d)
    if "user" in dict(intent.filters) and "user" in dims:
        dims.remove("user")
    either = " or " in f" {cues.joined} " and not cues.compare  # "plan mode or custom mode": one group, not two
    if not either:  # two values of one dimension are compared side by side ("JetBrains than VS Code")
        for d, vs in intent.filters:
            if len(vs) > 1 and d not in dims and d != "feature_family":  # users too: "raj vs nina"
                dims.append(d)


def _user_rows(draft: Draft, cues: Cues) -> None:
    """One row per user when the question asks who, lists people or thresholds each person's totals."""
    intent, dims = draft.intent, draft.dims
    if (
        intent.user_noun
        and (not cues.count_q or cues.user_group)
        or cues.list_q
        and ("user" in dims or cues.who or cues.user_token)
        or intent.thresholds
        and cues.user_token
        and not cues.count_q
    ):
        if "user" not in dims:
            dims.insert(0, "user")
    # 'how many prompts did raj send, compared with nina', 'did raj and nina each send': a row per person
    each = re.search(r"\beach\b(?! (?:day|week|month|ide|language|model|team|feature|organization|org)s?\b)", cues.joined)
    compared = (cues.compare or each is not None) and len(intent.filter("user")) > 1
    if "user" in dims and cues.who is False and not cues.user_group and cues.count_q and not compared:
        dims.remove("user")


def _metric_words(draft: Draft, cues: Cues) -> None:
    """Metrics the surrounding words change: team adoption, seat holders, seat utilisation, active users."""
    metrics, toks = draft.metrics, cues.toks
    if "team" in draft.dims and any(t.kind == "metric" and t.text == "adoption" for t in toks):
        metrics[:] = ["team_adoption_rate" if m == "active_users" else m for m in metrics]  # "teams with low adoption"
    if "seats" in metrics and cues.count_q and cues.user_token:
        metrics[metrics.index("seats")] = "seat_holders"  # "how many people have a seat": distinct logins
    if (
        "seats" in metrics
        and not draft.intent.negated
        and not SEAT_LISTS & set(metrics)
        and set(cues.joined.split()) & USAGE_WORDS
    ):
        metrics[metrics.index("seats")] = "seat_utilisation"  # "seats actually being used"
    if not metrics and cues.count_q and draft.intent.user_noun is False and cues.user_token:
        metrics.append("active_users")


def _only_completions(draft: Draft, cues: Cues) -> bool:
    """'Users who only use completions' (or completions but never chat or agent)."""
    intent = draft.intent
    if "code_completion" not in intent.filter("feature"):
        return False
    return bool(ONLY_COMPLETIONS.search(cues.joined)) or bool(
        intent.negated
        and (
            {"chat_users", "agent_users"} & set(draft.metrics)
            or intent.filter("feature_family")
            or len(intent.filter("feature")) > 1
        )
    )


def _special_shape(draft: Draft, cues: Cues) -> None:
    """Only-completions users, first-time users, seat lists, unused seats, or counts of users over a threshold."""
    only_completions = _only_completions(draft, cues)
    if not only_completions and ONLY_USES.search(cues.joined):
        # "users who only use chat": an exclusive use is not the same as any use
        raise refuse(
            "I can't check 'only uses X' offline, except 'only completions, never chat or agent'.",
            understood(draft.intent),
            ["users who only use completions", "chat users by user", "users who never used agent mode"],
        )
    intent, metrics, dims = draft.intent, draft.metrics, draft.dims
    if only_completions:
        draft.shape, draft.metrics = "only_completions", []
        draft.dims = ["user"] if ("user" in dims or intent.user_noun) else []
        filters = tuple((d, v) for d, v in intent.filters if d not in ("feature", "feature_family"))
        draft.intent = replace(intent, filters=filters)
    elif cues.first_time:
        draft.shape = "first_time"
        draft.metrics = [m for m in metrics if m != "active_users"]
    elif set(metrics) & SEAT_LISTS and (
        "user" in dims or cues.who or cues.list_q or LISTING.search(cues.joined) and not cues.count_q
    ):
        draft.shape = "seat_list"
        draft.metrics = [m for m in metrics if m in SEAT_LISTS][:1]
        draft.dims = []
    elif intent.negated and not set(metrics) & SEAT_LISTS:
        _unused_seats(draft, cues)
    elif cues.count_q and intent.thresholds and "user" not in dims:
        draft.shape = "count_users"


def _unused_seats(draft: Draft, cues: Cues) -> None:
    """A negation ('who has not used Copilot'): seats never used, or inactive in the window."""
    intent, dims = draft.intent, draft.dims
    rest = [m for m in draft.metrics if m not in ("active_users", "code_acceptances", "interactions", "seats")]
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
    never = "never" in cues.joined and intent.window is None
    listing = "user" in dims or cues.who or cues.list_q
    by_org = "organization" in dims and not listing  # "unused licenses by org": a count per organization
    draft.shape = "aggregate" if by_org else "seat_list" if (listing or not cues.count_q) else "seat_count"
    draft.metrics = ["never_used_seats" if never else "inactive_seats"]
    draft.dims = ["organization"] if by_org else []


def _team_members(draft: Draft, cues: Cues) -> None:
    """'How many members does each team have': the roster, not the active users."""
    if (
        cues.count_q
        and set(draft.metrics) <= {"active_users"}
        and "team" in draft.dims
        and draft.shape == "aggregate"
        and any(t.kind == "user_noun" and t.text in ("members", "member") for t in cues.toks)
    ):
        draft.shape, draft.dims = "team_members", ["team"]


def _counted_values(draft: Draft, cues: Cues) -> None:
    """'How many languages were used': the number of distinct values (not per user)."""
    counted = COUNTED.search(cues.joined)
    if not counted or draft.shape != "aggregate" or draft.metrics:
        return
    if cues.user_token and re.search(r"\b(each|every|per)\b", cues.joined):
        raise refuse(
            f"I can count the distinct {counted[1]} overall or in a window, not per user, offline.",
            understood(draft.intent),
            [f"how many {counted[1]} were used last month", "active users by model"],
        )
    draft.shape, draft.dims = "count_values", [COUNTED_DIMS.get(counted[1], counted[1].rstrip("s"))]


def _share(draft: Draft) -> None:
    """A share of active users who used a flag or a value (agent adoption per team), or refused."""
    intent, metrics, dims = draft.intent, draft.metrics, draft.dims
    flags = [m for m in metrics if m in FLAG_METRICS]
    breakdown = [
        d for d, _ in intent.filters if d in ("feature", "ide", "language", "model", "feature_family", "model_family")
    ]
    others = set(metrics) - set(flags) - {"active_users"}
    agent = (
        flags == ["agent_users"]
        and not breakdown
        or (not flags and intent.filters == (("feature", ("chat_panel_agent_mode",)),))
    )
    if dims and agent and not others and set(dims) <= {"team", "organization", "day", "week", "month", "trend"}:
        # "percent of devs using agent mode per team": agent adoption by team
        draft.intent = intent.with_filter("feature", ())
        flags, breakdown, draft.metrics = [], [], ["agent_adoption"]
    if draft.metrics == ["agent_adoption"]:
        return
    if dims or len(flags) > 1 or others or not (flags or breakdown):
        raise refuse(
            "I can give the share of active users who used a feature, IDE, language, model, the CLI, "
            "chat or agent mode, but not this share.",
            understood(draft.intent),
            ["share of users using agent mode last month", "percentage of users on JetBrains"],
        )
    draft.shape, draft.metrics = "share", flags


def _present_only(draft: Draft, cues: Cues) -> None:
    """'Which teams use the CLI': only the groups that do."""
    if (
        draft.shape == "aggregate"
        and re.match(r"\W*which\b", cues.joined)
        and draft.dims
        and "user" not in draft.dims
        and draft.metrics
        and all(m in FLAG_METRICS for m in draft.metrics)
    ):
        draft.notes.append("present_only")


def _average(draft: Draft, cues: Cues) -> None:
    """An average per user or per day (a rate is already an average); 'per user per day' is refused."""
    joined = cues.joined
    if PER_DAY.search(joined) and PER_PERSON.search(joined):
        raise refuse(
            "'Per user per day' is ambiguous (per active day? per calendar day?); I can average per "
            "user or per day.",
            understood(draft.intent),
            ["average prompts per user this month", "average daily interactions this month"],
        )
    if PER_USER.search(joined) or any(
        t.kind == "user_noun" and t.text in ("user", "developer", "person") for t in cues.toks
    ):
        draft.shape = "average_per_user"
        draft.dims = [d for d in draft.dims if d != "user"]
    elif PER_DAY.search(joined):
        draft.shape = "average_per_day"
        draft.dims = [d for d in draft.dims if d != "day"]
    elif draft.metrics and set(draft.metrics) <= RATIO_METRICS:
        pass  # "average acceptance rate per IDE": a rate is already an average
    else:
        raise refuse("I can only average per user or per day offline.", understood(draft.intent), SUGGESTIONS)


def _default_limit(draft: Draft, cues: Cues) -> int | None:
    """A superlative without a number: the one ('who is the most active'), or the top 10 users."""
    plural_users = any(t.kind == "user_noun" and t.text.endswith(("s", "people", "folks")) for t in cues.toks)
    if (
        cues.singular
        or re.search(r"\b(who is|who's) the\b", cues.joined)
        or (cues.who and not plural_users and not re.search(r"\bwho are\b", cues.joined))
    ):
        return 1
    return 10 if "user" in draft.dims else None


def _ranking(draft: Draft, cues: Cues) -> None:
    """The order and limit: one breakdown ranked, the measure ranked by first; nothing to rank is refused."""
    order, limit = draft.intent.order, draft.intent.limit
    if limit and not order:
        order = "desc"
    ranked = [d for d in draft.dims if d not in ("day", "week", "month", "weekday", "trend")]
    if order and (cues.singular or limit) and len(ranked) > 1:
        raise refuse(
            "I can rank across one breakdown, not find the top one within each group (e.g. each team's top model).",
            understood(draft.intent),
            ["active users by team and model", "which model has the most users?"],
        )
    if order and limit is None:
        limit = _default_limit(draft, cues)
    if (
        order
        and not draft.dims
        and draft.shape == "aggregate"
        and set(draft.metrics) <= {"active_users"}
        and re.search(r"\b(most|least) active (users|people|developers|devs|engineers|folks)\b", cues.joined)
    ):
        draft.dims, limit = ["user"], limit or 10  # "least active users": users ranked by active days
    if order and not draft.dims and draft.shape == "aggregate":
        # nothing to rank: refuse rather than drop the superlative
        raise refuse(
            "I could not tell what to rank (by user, team, language, IDE, model, day...).",
            understood(draft.intent),
            ["top 5 users by interactions", "which team has the most active users?"],
        )
    if cues.order_metric and cues.order_metric in draft.metrics:
        draft.metrics.remove(cues.order_metric)
        draft.metrics.insert(0, cues.order_metric)
    draft.order, draft.limit = order, limit
