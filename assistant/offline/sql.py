"""An Intent to SQL over the semantic layer, with the interpretation in words (window dates included)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable

from assistant.offline import sql_shapes as shapes
from assistant.offline.parse import Intent, refuse
from assistant.offline.shape import SUGGESTIONS, understood
from assistant.offline.sql_parts import (
    COUNTER_METRICS,
    DAY,
    DIM_SQL,
    NO_INTERACTIONS,
    SEAT_METRICS,
    UID,
    USER,
    between,
    dim_expr,
    label,
    metric_sql,
    q,
    source,
    time_grain,
    where_conditions,
)
from assistant.offline.windows import Window, default_window
from assistant.semantic.metrics import METRICS_BY_NAME

# dimensions each special shape can break down by (aggregate shapes take any)
SHAPE_DIMS: dict[str, set[str]] = {
    "share": set(),
    "only_completions": {"user"},
    "seat_list": set(),
    "seat_count": set(),
    "team_members": {"team"},
    "average_per_user": set(),
    "average_per_day": set(),
}
USER_TABLE = USER.table
USAGE_DEFAULT = (
    "active_users",
    "interactions",
    "code_generations",
    "code_acceptances",
    "acceptance_rate",
    "loc_added",
)
def build(intent: Intent, as_of: date) -> tuple[str, str]:
    """(sql, interpretation) for an Intent, refused if the SQL lost a breakdown or a filter on the way."""
    sql, text = _build(intent, as_of)
    lost = _lost_parts(intent, sql)
    if lost:
        raise refuse(
            f"I could not keep {', '.join(lost)} in this kind of answer offline, so I won't answer without it.",
            understood(intent),
            SUGGESTIONS,
        )
    return sql, text


def _lost_parts(intent: Intent, sql: str) -> list[str]:
    """Breakdowns and filter values the intent names that the SQL does not mention (a safety net)."""
    low = sql.lower()
    lost: list[str] = []
    for dim in intent.dims:
        names: tuple[str, ...]
        if dim == "organization":
            names = ("organization",)
        elif dim in DIM_SQL:
            names = (DIM_SQL[dim][1], DIM_SQL[dim][0].lower())
        else:
            continue
        if not any(n in low for n in names):
            lost.append(f"the breakdown by {dim}")
    for dim, values in intent.filters:
        if dim in ("feature_family", "model_family"):
            continue
        for v in values:
            if f"'{v.lower()}'" not in low:
                lost.append(f"{dim} = {v}")
    return lost


def _build(intent: Intent, as_of: date) -> tuple[str, str]:
    """(sql, interpretation) of an intent: a whole and its part, a special shape, or plain activity."""
    if intent.part_of:
        return _whole_and_part(intent, as_of)
    window = intent.window or default_window(as_of)
    intent = _threshold_owner(intent)
    _check_combination(intent)
    special = _special(intent, window)
    return special if special is not None else _activity(intent, window)


def _threshold_owner(intent: Intent) -> Intent:
    """The intent with the owner of its thresholds' totals; a threshold the shape cannot apply is refused."""
    if not intent.thresholds:
        return intent
    if intent.shape not in ("aggregate", "count_users") or set(intent.metrics) & SEAT_METRICS:
        raise refuse(
            "I can't apply that threshold to this kind of question offline.",
            understood(intent),
            ["users with fewer than 3 active days", "teams with an adoption rate under 50%"],
        )
    if intent.shape == "aggregate" and not intent.dims and not intent.filter("user"):
        if any(METRICS_BY_NAME[m].unit == "users" for m in intent.metrics):
            intent = replace(intent, dims=("user",))  # "cli users with over 20 sessions": those users
    if intent.shape == "aggregate" and not intent.dims and not intent.filter("user"):
        # a threshold over one grand total answers nothing asked
        raise refuse(
            "I could not tell whose total the threshold applies to (each user's, each team's...).",
            understood(intent),
            ["users with more than 20 cli sessions this month", "teams with an acceptance rate under 25%"],
        )
    return intent


def _check_combination(intent: Intent) -> None:
    """Refuse a breakdown, a comparison of periods or a weekday filter the intent's shape cannot take."""
    allowed = SHAPE_DIMS.get(intent.shape)
    if allowed is not None and not set(intent.dims) <= allowed:
        raise refuse(
            f"I can't split this answer by {', '.join(d for d in intent.dims if d not in allowed)} offline.",
            understood(intent),
            SUGGESTIONS,
        )
    plain = intent.shape == "aggregate" and not set(intent.metrics) & (SEAT_METRICS | {"team_adoption_rate"})
    if intent.periods and intent.order:
        raise refuse(
            "I can compare two periods, or rank, but not both at once offline.",
            understood(intent),
            ["compare this month with last month: active users", "top 5 users by interactions this month"],
        )
    if intent.periods and not plain:
        raise refuse(
            "I can compare two periods for plain measures only (not this kind of question).",
            understood(intent),
            ["compare this month with last month: active users and interactions"],
        )
    if intent.weekdays and not (plain or intent.shape in WEEKDAY_SHAPES):
        raise refuse(
            "I can't restrict this kind of question to weekdays or weekends offline.",
            understood(intent),
            SUGGESTIONS,
        )


# shapes (besides plain measures) that a weekday or weekend filter applies to
WEEKDAY_SHAPES = ("count_users", "share", "count_values", "average_per_user", "average_per_day", "only_completions")
COVERAGE_TEXT = "the date range of the per-user data, days with data, missing days and users"
SHAPE_BUILDERS: dict[str, Callable[[Intent, Window], tuple[str, str]]] = {
    "team_members": shapes.team_members,
    "share": shapes.share,
    "count_values": shapes.count_values,
    "first_time": shapes.first_time,
    "only_completions": shapes.only_completions,
}


def _special(intent: Intent, window: Window) -> tuple[str, str] | None:
    """The SQL of a special shape (coverage, seats, team adoption, ...), or None for plain activity."""
    if intent.shape == "coverage":
        return shapes.COVERAGE_SQL, COVERAGE_TEXT
    if intent.shape in ("seat_list", "seat_count") or set(intent.metrics) & SEAT_METRICS:
        return shapes.seats(intent, window)
    if "team_adoption_rate" in intent.metrics:
        return shapes.team_adoption(intent, window)
    if "organization" in intent.dims or intent.filter("organization"):
        raise refuse(
            "Organizations are only known for seats here (the sample's activity is enterprise-scoped).",
            understood(intent),
            ["seat utilisation by organization", "seats by organization"],
        )
    if intent.shape == "last_active":
        return shapes.last_active(intent)
    builder = SHAPE_BUILDERS.get(intent.shape)
    return builder(intent, window) if builder else None


def _measures(intent: Intent, dims: list[str]) -> list[str]:
    """The metrics a plain-activity answer shows: those asked, else the usage defaults (active users by phase)."""
    metrics = list(intent.metrics) or (["active_users"] if "phase" in dims else list(USAGE_DEFAULT))
    if "cli_users" in metrics and {"cli_sessions", "cli_tokens"} & set(metrics) and "cli_users" not in intent.notes:
        metrics.remove("cli_users")
    return metrics


def _breakdown_measures(intent: Intent, table: str, metrics: list[str]) -> list[str]:
    """The metrics a breakdown table can give: defaults it lacks are dropped, asked ones it lacks refused."""
    if table == USER_TABLE:
        return metrics
    bad = [
        m
        for m in metrics + [t.metric for t in intent.thresholds]
        if m not in COUNTER_METRICS or (table in NO_INTERACTIONS and m in ("interactions", "engaged_users"))
    ]
    if bad and not intent.metrics and not intent.thresholds:
        return [m for m in metrics if m not in bad]
    if bad:
        raise refuse(
            f"{', '.join(label(b) for b in bad)} cannot be split by {', '.join(intent.dims) or 'that'} "
            f"(it is only recorded per user and day).",
            understood(intent),
            SUGGESTIONS,
        )
    return metrics


def _per_user_measures(
    intent: Intent, window: Window, dims: list[str], metrics: list[str], having: list[str]
) -> tuple[list[str], list[str]]:
    """Per user: user counts become conditions ("agent users by user") and active users active days.

    Returns the metrics and the user metrics turned into conditions; adds those conditions to `having`.
    """
    only_users: list[str] = []  # "agent users by user": the users who were agent users
    for m in [m for m in metrics if METRICS_BY_NAME[m].unit == "users" and m not in ("active_users",)]:
        if "user" in dims:
            having.append(f"{metric_sql(m, window)} > 0")
            metrics.remove(m)
            only_users.append(m)
    if len(only_users) == 1 and only_users[0] != "engaged_users":
        # 'users who used the cli on more than 10 days': the days counted are the days they used it
        days = only_users[0].removesuffix("_users") + "_days"
        for t in (t for t in intent.thresholds if t.metric == "active_days"):
            old = f"{metric_sql(t.metric, window)} {t.op} {t.value:g}"
            having[:] = [f"{metric_sql(days, window)} {t.op} {t.value:g}" if h == old else h for h in having]
    metrics = ["active_days" if m == "active_users" else m for m in metrics]
    metrics = list(dict.fromkeys(metrics)) or ["active_days", "interactions", "code_acceptances"]
    if only_users and intent.order and not [m for m in intent.metrics if m not in only_users]:
        # "which users use the CLI the most": ranked by their days using it, not all their activity
        metrics = [m.removesuffix("_users") + "_days" for m in only_users if m != "engaged_users"] + metrics
    return metrics, only_users


def _activity(intent: Intent, window: Window) -> tuple[str, str]:
    """Plain measures over the activity tables, grouped, filtered, thresholded and ranked as asked."""
    from_sql, table = source(intent)
    dims = [(time_grain(intent, window) if x == "trend" else x) for x in intent.dims]
    metrics = _measures(intent, dims)
    having = [f"{metric_sql(t.metric, window)} {t.op} {t.value:g}" for t in intent.thresholds]
    if "present_only" in intent.notes:
        having += [f"{metric_sql(m, window)} > 0" for m in metrics]
    metrics = _breakdown_measures(intent, table, metrics)
    only_users: list[str] = []
    if "user" in dims or intent.filter("user"):
        metrics, only_users = _per_user_measures(intent, window, dims, metrics, having)
    if intent.shape == "average_per_user":
        return _average_per_user(intent, window, from_sql, metrics)
    if intent.shape == "average_per_day":
        return _average_per_day(intent, window, from_sql, metrics)
    if intent.shape == "count_users":
        return _count_users(intent, window, from_sql, dims, having)
    if _latest_phases(intent, dims, metrics, table, having):
        return shapes.phases(intent, window)
    sql = _grouped_sql(intent, window, from_sql, table, dims, metrics, having)
    text = _interpretation(intent, window, metrics, dims, intent.periods)
    if only_users:
        text += "; only users who were " + " and ".join(label(m) for m in only_users)
    return sql, text


def _latest_phases(intent: Intent, dims: list[str], metrics: list[str], table: str, having: list[str]) -> bool:
    """Whether the question counts users per adoption phase and nothing else (each user's latest phase)."""
    return (
        dims == ["phase"]
        and metrics == ["active_users"]
        and table == USER_TABLE
        and not having
        and not intent.filter("team")
        and not intent.periods
    )


def _grouped_sql(
    intent: Intent, window: Window, from_sql: str, table: str, dims: list[str], metrics: list[str], having: list[str]
) -> str:
    """SELECT dimensions and metrics FROM the source, WHERE, GROUP BY, HAVING and ORDER BY as the intent says."""
    select = []
    for x in dims:
        expr, alias = dim_expr(x, intent)
        select.append(f"{expr} AS {alias}" if expr != alias else alias)
    select += [f"{metric_sql(m, window)} AS {m}" for m in metrics]
    periods = intent.periods
    if periods:
        case = " ".join(f"WHEN {between(p)} THEN {q(p.label)}" for p in periods)
        select.insert(0, f"CASE {case} END AS period")
    sql = f"SELECT {', '.join(select)}\nFROM {from_sql}"
    conds = where_conditions(intent, window, table, periods)
    if conds:
        sql += "\nWHERE " + " AND ".join(conds)
    n_group = len(dims) + (1 if periods else 0)
    if n_group:
        sql += "\nGROUP BY " + ", ".join(str(i + 1) for i in range(n_group))
    if having:
        sql += "\nHAVING " + " AND ".join(having)
    return sql + _order(intent, dims, metrics, periods)


def _order(intent: Intent, dims: list[str], metrics: list[str], periods: tuple[Window, ...]) -> str:
    dim_cols = [dim_expr(x, intent)[1] for x in dims]
    if periods:
        return f"\nORDER BY min({DAY})"
    if intent.order and metrics:
        direction = "DESC" if intent.order == "desc" else "ASC"
        keys = [f"{metrics[0]} {direction} NULLS LAST"] + dim_cols  # ties: by name
        return "\nORDER BY " + ", ".join(keys) + (f"\nLIMIT {intent.limit}" if intent.limit else "")
    time_cols = [c for c in dim_cols if c in ("day", "week", "month")]
    if "weekday" in dim_cols:
        rest = [c for c in dim_cols if c != "weekday"]
        return f"\nORDER BY min(isodow({DAY}))" + "".join(f", {c}" for c in rest)
    if time_cols:
        return "\nORDER BY " + ", ".join(time_cols + [c for c in dim_cols if c not in time_cols])
    named = intent.filter(dims[0]) if len(dims) == 1 and dims[0] != "model_family" else ()
    if metrics and len(named) > 1:  # 'jetbrains compared with vscode', 'raj vs nina': the values in the order named
        col = f"lower({dim_cols[0]})" if dims[0] == "user" else dim_cols[0]
        return "\nORDER BY CASE " + " ".join(f"WHEN {col} = {q(v.lower() if dims[0] == 'user' else v)} THEN {i}"
                                             for i, v in enumerate(named)) + f" END, {dim_cols[0]}"
    if dims and metrics:
        return f"\nORDER BY {metrics[0]} DESC NULLS LAST, " + ", ".join(dim_cols)
    return ""


def _interpretation(
    intent: Intent, window: Window, metrics: list[str], dims: list[str], periods: tuple[Window, ...] = ()
) -> str:
    text = ", ".join(label(m) for m in metrics)
    if dims:
        text += " by " + ", ".join(dims)
    filt = [f"{k.replace('_family', '')} {'/'.join(v)}" for k, v in intent.filters]
    if filt:
        text += " for " + "; ".join(filt)
    if intent.thresholds:
        text += " where " + " and ".join(t.text() for t in intent.thresholds)
    if intent.order and intent.limit:
        text += f", {'top' if intent.order == 'desc' else 'bottom'} {intent.limit}"
    if periods:
        text += ", comparing " + " with ".join(p.text() for p in periods)
    else:
        text += ", " + window.text()
    if intent.weekdays:
        text += f", {intent.weekdays} only"
    return text


def _count_users(intent: Intent, window: Window, from_sql: str, dims: list[str], having: list[str]) -> tuple[str, str]:
    outer = [dim_expr(x, intent)[1] for x in dims]
    inner_dims = [f"{dim_expr(x, intent)[0]} AS {dim_expr(x, intent)[1]}" for x in dims]
    inner = f"SELECT {', '.join(inner_dims + [UID])} FROM {from_sql}"
    conds = where_conditions(intent, window, "")
    if conds:
        inner += " WHERE " + " AND ".join(conds)
    inner += f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims) + 1))} HAVING {' AND '.join(having)}"
    sql = f"SELECT {', '.join(outer + ['count(*) AS users'])}\nFROM ({inner}) AS per_user"
    if outer:
        sql += f"\nGROUP BY {', '.join(outer)}\nORDER BY {', '.join(outer)}"
    return sql, _interpretation(intent, window, ["users"], dims)


def _average_per_user(intent: Intent, window: Window, from_sql: str, metrics: list[str]) -> tuple[str, str]:
    sums = [m for m in metrics if METRICS_BY_NAME[m].unit not in ("users", "ratio")] or ["interactions"]
    # the mean over active users of each user's own total (active days cannot be divided from a grand total)
    inner = ", ".join(f"{metric_sql(m, window)} AS {m}" for m in sums)
    conds = where_conditions(intent, window, "")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    # rounded to 2 places to read, with the 4-place figure beside it (as the reader's own averages)
    outer = ", ".join(f"round(avg({m}), 2) AS avg_{m}_per_user, round(avg({m}), 4) AS exact_{m}" for m in sums)
    sql = f"SELECT {outer}\nFROM (SELECT {UID}, {inner} FROM {from_sql}{where} GROUP BY {UID}) AS per_user"
    return sql, "average " + _interpretation(intent, window, sums, []) + " per active user"


def _average_per_day(intent: Intent, window: Window, from_sql: str, metrics: list[str]) -> tuple[str, str]:
    inner = ", ".join(f"{metric_sql(m, window)} AS {m}" for m in metrics)
    conds = where_conditions(intent, window, "")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    outer = ", ".join(f"round(avg({m}), 2) AS avg_daily_{m}, round(avg({m}), 4) AS exact_{m}" for m in metrics)
    sql = f"SELECT {outer}\nFROM (SELECT {DAY}, {inner} FROM {from_sql}{where} GROUP BY {DAY}) AS per_day"
    return sql, "daily average of " + _interpretation(intent, window, metrics, [])


def _whole_and_part(intent: Intent, as_of: date) -> tuple[str, str]:
    """A total, the part of it from one feature/IDE/language/model value, and that part's share."""
    assert intent.part_of
    dim, value = intent.part_of
    whole_sql, text = build(replace(intent, part_of=None), as_of)
    part_sql, _ = build(replace(intent, part_of=None).with_filter(dim, (value,)), as_of)
    cols = []
    for m in intent.metrics:
        cols += [f"w.{m} AS {m}", f"p.{m} AS {m}_from_{value}"]
        if METRICS_BY_NAME[m].unit not in ("ratio",):
            cols.append(f"round(p.{m}::DOUBLE / nullif(w.{m}, 0), 4) AS {m}_share_from_{value}")
    sql = f"SELECT {', '.join(cols)}\nFROM ({whole_sql}) AS w, ({part_sql}) AS p"
    return sql, f"{text}; and the part from {dim} {value}"
