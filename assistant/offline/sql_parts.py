"""The SQL pieces the phrase reader's builder and its special shapes share: dimension and filter expressions,
metric SQL and labels, the table a question reads and the conditions that keep its window."""

from __future__ import annotations

from datetime import date

from assistant.offline.parse import Intent, refuse
from assistant.offline.shape import SUGGESTIONS, understood
from assistant.offline.windows import WEEKDAY_NAMES, Window
from assistant.semantic import model
from assistant.semantic.metrics import METRICS_BY_NAME

USER = model.ENTITIES_BY_NAME["user"]
TEAM = model.ENTITIES_BY_NAME["team"]
DIMS = model.DIMENSIONS_BY_NAME
DAY = model.ENTITIES_BY_NAME["day"].key
UID = USER.id_column
LOGIN = USER.key
MODEL = DIMS["model"].column
TEAM_JOIN = model.join_path(TEAM.table, USER.table)
CHAT = model.FLAGS_BY_NAME["chat"].feature_condition

BREAKDOWN_TABLES = model.BREAKDOWN_TABLES
NO_INTERACTIONS = {t for t in BREAKDOWN_TABLES.values() if model.lacks_column(t, model.SUM_COLUMN["interactions"])}
COUNTER_METRICS = model.BREAKDOWN_METRICS
SEAT_METRICS = set(model.GROUPINGS["seat"])
# dimension -> (SQL expression, column alias); the plain dimensions are their model column
DIM_SQL = {
    "day": (DAY, DAY),
    "weekday": (f"dayname({DAY})", "weekday"),
    "week": (f"date_trunc('week', {DAY})::DATE", "week"),
    "month": (f"date_trunc('month', {DAY})::DATE", "month"),
    "user": (LOGIN, LOGIN),
    **{x: (DIMS[x].column, DIMS[x].column) for x in ("team", "language", "ide", "model", "feature")},
    "phase": (DIMS["phase"].column, "adoption_phase"),
}
# dimension -> the column a filter compares (logins in lower case)
FILTER_SQL = {
    **{x: DIMS[x].column for x in ("ide", "feature", "language", "model", "team", "phase")},
    "user": f"lower({LOGIN})",
}


def dim_expr(x: str, intent: Intent) -> tuple[str, str]:
    """(SQL expression, column alias) of a dimension; model families become a CASE over the model name."""
    if x == "model_family":
        whens = " ".join(f"WHEN lower({MODEL}) LIKE {q(f + '%')} THEN {q(f)}" for f in intent.filter("model_family"))
        return f"CASE {whens} END", "model_family"
    return DIM_SQL[x]


def q(v: str) -> str:
    """A SQL string literal."""
    return "'" + v.replace("'", "''") + "'"


def d(v: date) -> str:
    """A SQL date literal."""
    return f"DATE '{v.isoformat()}'"


def metric_sql(name: str, window: Window) -> str:
    """A metric's aggregate SQL over the window ('cli_days': the days a flag was set, per user)."""
    if name not in METRICS_BY_NAME and name.endswith("_days"):
        sql = METRICS_BY_NAME[name[:-5] + "_users"].sql.replace(f"count(DISTINCT {UID})", f"count(DISTINCT {DAY})")
    else:
        sql = METRICS_BY_NAME[name].sql
    start = window.start or date(1970, 1, 1)
    return sql.replace(":window_start", d(start))


def label(name: str) -> str:
    """A metric's label in words."""
    if name not in METRICS_BY_NAME and name.endswith("_days") and name[:-5] + "_users" in METRICS_BY_NAME:
        return "days as " + METRICS_BY_NAME[name[:-5] + "_users"].label
    m = METRICS_BY_NAME.get(name)
    return m.label if m else name.replace("_", " ")


def between(p: Window) -> str:
    """The condition keeping a period's days (an open end reaches the start or end of time)."""
    return f"{DAY} BETWEEN {d(p.start or date(1970, 1, 1))} AND {d(p.end or date(2999, 1, 1))}"


def _day_conditions(intent: Intent, window: Window, periods: tuple[Window, ...]) -> list[str]:
    """The conditions keeping the window's (or the periods') days and the weekdays asked for."""
    conds = []
    if periods:
        conds.append("(" + " OR ".join(between(p) for p in periods) + ")")
    elif window.start is not None:
        conds.append(f"{DAY} BETWEEN {d(window.start)} AND {d(window.end or window.start)}")
    if intent.weekdays == "weekdays":
        conds.append(f"dayofweek({DAY}) NOT IN (0, 6)")
    elif intent.weekdays == "weekends":
        conds.append(f"dayofweek({DAY}) IN (0, 6)")
    elif intent.weekdays and intent.weekdays.removesuffix("s") in WEEKDAY_NAMES:
        conds.append(f"dayofweek({DAY}) = {WEEKDAY_NAMES.index(intent.weekdays.removesuffix('s'))}")
    return conds


def _filter_condition(dim: str, values: tuple[str, ...]) -> str | None:
    """The condition one filter of the intent adds (None for a dimension no column holds)."""
    if dim == "feature_family":
        return CHAT
    if dim == "model_family":
        return "(" + " OR ".join(f"lower({MODEL}) LIKE {q(v + '%')}" for v in values) + ")"
    if dim not in FILTER_SQL:
        return None
    vals = [v.lower() for v in values] if dim == "user" else list(values)
    col = FILTER_SQL[dim]
    return f"{col} = {q(vals[0])}" if len(vals) == 1 else f"{col} IN ({', '.join(q(v) for v in vals)})"


def where_conditions(intent: Intent, window: Window, table: str, periods: tuple[Window, ...] = ()) -> list[str]:
    """The WHERE conditions of an intent: its days, weekdays and filters."""
    conds = _day_conditions(intent, window, periods)
    for dim, values in intent.filters:
        cond = _filter_condition(dim, values)
        if cond is not None:
            conds.append(cond)
    return conds


def _fact_table(intent: Intent, used: set[str]) -> str:
    """The table holding every breakdown dimension the intent uses (refused when none holds them together)."""
    breakdown = frozenset(used & {"ide", "feature", "language", "model"})
    if not breakdown:
        table = USER.table
    elif breakdown in BREAKDOWN_TABLES:
        table = BREAKDOWN_TABLES[breakdown]
    else:
        raise refuse(
            f"No table holds {' and '.join(sorted(breakdown))} together (GitHub reports them separately).",
            understood(intent),
            SUGGESTIONS,
        )
    if "phase" in used and table != USER.table:
        raise refuse(
            "The adoption phase is recorded per user and day, not per IDE, feature, language or model.",
            understood(intent),
            ["users per adoption phase", "acceptance rate by adoption phase"],
        )
    return table


def source(intent: Intent) -> tuple[str, str]:
    """(FROM clause, the fact table) for the dimensions and filters an intent uses."""
    used = set(intent.dims) | {dim for dim, _ in intent.filters}
    used |= {"feature" for dim, _ in intent.filters if dim == "feature_family"}
    used |= {"model" for dim, _ in intent.filters if dim == "model_family"}
    table = _fact_table(intent, used)
    if "team" in used:
        on = TEAM_JOIN.condition("f", "m")
        return f"(SELECT f.*, m.{DIMS['team'].column} FROM {table} f JOIN {TEAM.table} m ON {on}) AS t", table
    return table, table


def time_grain(intent: Intent, window: Window) -> str:
    """The grain of a trend: weeks over more than five weeks, days otherwise."""
    span = (window.end - window.start).days + 1 if window.start and window.end else 999
    return "week" if span > 35 else "day"
