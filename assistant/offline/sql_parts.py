"""The SQL pieces the phrase reader's builder and its special shapes share: dimension and filter expressions,
metric SQL and labels, the table a question reads and the conditions that keep its window."""

from __future__ import annotations

from datetime import date

from assistant.offline.parse import Intent, refuse
from assistant.offline.shape import SUGGESTIONS, understood
from assistant.offline.windows import WEEKDAY_NAMES, Window
from assistant.semantic.metrics import METRICS_BY_NAME

BREAKDOWN_TABLES = {
    frozenset({"ide"}): "user_daily_by_ide",
    frozenset({"feature"}): "user_daily_by_feature",
    frozenset({"language"}): "user_daily_by_language_feature",
    frozenset({"language", "feature"}): "user_daily_by_language_feature",
    frozenset({"model"}): "user_daily_by_model_feature",
    frozenset({"model", "feature"}): "user_daily_by_model_feature",
    frozenset({"language", "model"}): "user_daily_by_language_model",
}
NO_INTERACTIONS = {"user_daily_by_language_feature", "user_daily_by_language_model"}
COUNTER_METRICS = {
    "active_users",
    "engaged_users",
    "interactions",
    "code_generations",
    "code_acceptances",
    "acceptance_rate",
    "loc_suggested",
    "loc_added",
    "loc_deleted",
    "active_days",
}
SEAT_METRICS = {"seat_holders", "seats", "seat_utilisation", "never_used_seats", "inactive_seats"}
DIM_SQL = {
    "day": ("day", "day"),
    "weekday": ("dayname(day)", "weekday"),
    "week": ("date_trunc('week', day)::DATE", "week"),
    "month": ("date_trunc('month', day)::DATE", "month"),
    "user": ("user_login", "user_login"),
    "team": ("team", "team"),
    "language": ("language", "language"),
    "ide": ("ide", "ide"),
    "model": ("model", "model"),
    "feature": ("feature", "feature"),
    "phase": ("ai_adoption_phase", "adoption_phase"),
}
FILTER_SQL = {
    "ide": "ide",
    "feature": "feature",
    "language": "language",
    "model": "model",
    "team": "team",
    "phase": "ai_adoption_phase",
    "user": "lower(user_login)",
}


def dim_expr(x: str, intent: Intent) -> tuple[str, str]:
    """(SQL expression, column alias) of a dimension; model families become a CASE over the model name."""
    if x == "model_family":
        whens = " ".join(f"WHEN lower(model) LIKE {q(f + '%')} THEN {q(f)}" for f in intent.filter("model_family"))
        return f"CASE {whens} END", "model_family"
    return DIM_SQL[x]


def q(v: str) -> str:
    return "'" + v.replace("'", "''") + "'"


def d(v: date) -> str:
    return f"DATE '{v.isoformat()}'"


def metric_sql(name: str, window: Window) -> str:
    if name not in METRICS_BY_NAME and name.endswith("_days"):  # "cli_days": days a flag was set, per user
        sql = METRICS_BY_NAME[name[:-5] + "_users"].sql.replace("count(DISTINCT user_id)", "count(DISTINCT day)")
    else:
        sql = METRICS_BY_NAME[name].sql
    start = window.start or date(1970, 1, 1)
    return sql.replace(":window_start", d(start))


def label(name: str) -> str:
    if name not in METRICS_BY_NAME and name.endswith("_days") and name[:-5] + "_users" in METRICS_BY_NAME:
        return "days as " + METRICS_BY_NAME[name[:-5] + "_users"].label
    m = METRICS_BY_NAME.get(name)
    return m.label if m else name.replace("_", " ")


def where_conditions(intent: Intent, window: Window, table: str, periods: tuple[Window, ...] = ()) -> list[str]:
    conds = []
    if periods:
        conds.append(
            "("
            + " OR ".join(
                f"day BETWEEN {d(p.start or date(1970, 1, 1))} AND {d(p.end or date(2999, 1, 1))}" for p in periods
            )
            + ")"
        )
    elif window.start is not None:
        conds.append(f"day BETWEEN {d(window.start)} AND {d(window.end or window.start)}")
    if intent.weekdays == "weekdays":
        conds.append("dayofweek(day) NOT IN (0, 6)")
    elif intent.weekdays == "weekends":
        conds.append("dayofweek(day) IN (0, 6)")
    elif intent.weekdays and intent.weekdays.removesuffix("s") in WEEKDAY_NAMES:
        conds.append(f"dayofweek(day) = {WEEKDAY_NAMES.index(intent.weekdays.removesuffix('s'))}")
    for dim, values in intent.filters:
        if dim == "feature_family":
            conds.append("feature LIKE 'chat%'")
        elif dim == "model_family":
            conds.append("(" + " OR ".join(f"lower(model) LIKE {q(v + '%')}" for v in values) + ")")
        elif dim in FILTER_SQL:
            vals = [v.lower() for v in values] if dim == "user" else list(values)
            col = FILTER_SQL[dim]
            conds.append(f"{col} = {q(vals[0])}" if len(vals) == 1 else f"{col} IN ({', '.join(q(v) for v in vals)})")
    return conds


def source(intent: Intent) -> tuple[str, str]:
    """(FROM clause, the fact table) for the dimensions and filters an intent uses."""
    used = set(intent.dims) | {dim for dim, _ in intent.filters}
    used |= {"feature" for dim, _ in intent.filters if dim == "feature_family"}
    used |= {"model" for dim, _ in intent.filters if dim == "model_family"}
    breakdown = frozenset(used & {"ide", "feature", "language", "model"})
    if not breakdown:
        table = "user_daily"
    elif breakdown in BREAKDOWN_TABLES:
        table = BREAKDOWN_TABLES[breakdown]
    else:
        raise refuse(
            f"No table holds {' and '.join(sorted(breakdown))} together (GitHub reports them separately).",
            understood(intent),
            SUGGESTIONS,
        )
    if "phase" in used and table != "user_daily":
        raise refuse(
            "The adoption phase is recorded per user and day, not per IDE, feature, language or model.",
            understood(intent),
            ["users per adoption phase", "acceptance rate by adoption phase"],
        )
    if "team" in used:
        return (
            f"(SELECT f.*, m.team FROM {table} f JOIN team_membership m "
            f"ON m.user_id = f.user_id AND m.day = f.day) AS t"
        ), table
    return table, table


def time_grain(intent: Intent, window: Window) -> str:
    span = (window.end - window.start).days + 1 if window.start and window.end else 999
    return "week" if span > 35 else "day"
