"""SQL for the special shapes: seats, team adoption and membership, first-time users, only-completions users,
shares, counts of values, adoption phases, last active days and coverage."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assistant.offline.parse import Intent, refuse
from assistant.offline.shape import SUGGESTIONS, understood
from assistant.offline.sql_parts import (
    DIM_SQL,
    SEAT_METRICS,
    d,
    label,
    metric_sql,
    q,
    source,
    time_grain,
    where_conditions,
)
from assistant.offline.windows import Window
from assistant.semantic.metrics import METRICS_BY_NAME


def share(intent: Intent, window: Window) -> tuple[str, str]:
    """Users who used something / all active users (the denominator keeps only team and user filters)."""
    base = replace(intent, filters=tuple((d, v) for d, v in intent.filters if d in ("team", "user")), dims=())
    den_from, _ = source(base)
    den_where = " AND ".join(where_conditions(base, window, "")) or "TRUE"
    if intent.metrics:
        m = intent.metrics[0]
        num = f"(SELECT {metric_sql(m, window)} FROM {den_from} WHERE {den_where})"
        what = label(m)
    else:
        num_from, _ = source(replace(intent, dims=()))
        num_where = " AND ".join(where_conditions(intent, window, "")) or "TRUE"
        num = f"(SELECT count(DISTINCT user_id) FROM {num_from} WHERE {num_where})"
        what = "users of " + "; ".join(
            f"{d.replace('_family', '')} {'/'.join(v)}" for d, v in intent.filters if d not in ("team", "user")
        )
    den = f"(SELECT count(DISTINCT user_id) FROM {den_from} WHERE {den_where})"
    sql = f"SELECT {num} AS users, {den} AS active_users, round({num}::DOUBLE / nullif({den}, 0), 4) AS share"
    scope = "".join(f" in {d} {'/'.join(v)}" for d, v in intent.filters if d in ("team", "user"))
    return sql, f"share of active users{scope} who were {what}, {window.text()}" + (
        f", {intent.weekdays} only" if intent.weekdays else ""
    )


def last_active(intent: Intent) -> tuple[str, str]:
    if [k for k, _ in intent.filters if k != "user"] or intent.weekdays or intent.periods:
        raise refuse(
            "I can give each user's last active day, for a user or for everyone.",
            understood(intent),
            ["when was mchen-acme last active?"],
        )
    conds = where_conditions(replace(intent, window=None), Window(None, None, "all time"), "user_daily")
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    sql = (
        f"SELECT user_login, max(day) AS last_active_day\nFROM user_daily{where}\n"
        "GROUP BY 1\nORDER BY last_active_day DESC, user_login"
    )
    return sql, "each user's last day with activity in the loaded data"


def team_members(intent: Intent, window: Window) -> tuple[str, str]:
    conds = where_conditions(replace(intent, weekdays=None), window, "team_membership")
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    sql = (
        f"SELECT team, count(DISTINCT user_id) AS members\nFROM team_membership{where}\n"
        "GROUP BY 1\nORDER BY members DESC, team"
    )
    return sql, f"team members (from team_membership, active or not) by team, {window.text()}"


def count_values(intent: Intent, window: Window) -> tuple[str, str]:
    dim = intent.dims[0]
    if dim == "organization":
        return (
            "SELECT count(DISTINCT organization_login) AS organizations\nFROM seats",
            "organizations with seats",
        )
    from_sql, table = source(intent)
    conds = where_conditions(intent, window, table)
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    col = DIM_SQL[dim][0]
    sql = f"SELECT count(DISTINCT {col}) AS {DIM_SQL[dim][1]}_count\nFROM {from_sql}{where}"
    return sql, f"number of distinct {dim} values with activity, {window.text()}"


def phases(intent: Intent, window: Window) -> tuple[str, str]:
    conds = where_conditions(intent, window, "user_daily")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    sql = (
        "SELECT ai_adoption_phase AS adoption_phase, count(*) AS users\n"
        "FROM (SELECT user_id, ai_adoption_phase "
        f"FROM user_daily{where} QUALIFY row_number() OVER (PARTITION BY user_id "
        "ORDER BY ai_adoption_phase IS NULL, day DESC) = 1) AS latest"
        "\nGROUP BY 1\nORDER BY 1"
    )
    return sql, "users per AI adoption phase (each user's latest known phase), " + window.text()


def seats(intent: Intent, window: Window) -> tuple[str, str]:
    start = window.start or date(1970, 1, 1)
    never = "first_active_day IS NULL AND last_activity_at IS NULL"
    inactive = f"(last_active_day IS NULL OR last_active_day < {d(start)})"
    mixed = [m for m in intent.metrics if m not in SEAT_METRICS and m not in ("active_users", "active_days")]
    if mixed:  # "prompts per seat": never drop the usage measure and answer a seat count
        raise refuse(
            f"I can't combine seats with {', '.join(label(m) for m in mixed)} offline: seats are counted per "
            "seat, usage per user and day.",
            understood(intent),
            ["how many seats?", "average prompts per user this month", "seat utilisation"],
        )
    metrics = [m for m in intent.metrics if m in SEAT_METRICS] or ["seats"]
    if any(k != "organization" for k, _ in intent.filters):
        raise refuse(
            "Seat questions can be filtered by organization only.",
            understood(intent),
            ["which seats were never used?", "seat utilisation by organization"],
        )
    if intent.shape == "seat_list":
        cond, what = (
            (never, "seats never used (no activity in the data and none seen by GitHub)")
            if "never_used_seats" in metrics
            else (inactive, f"seats with no activity in {window.text()}")
        )
        orgs = intent.filter("organization")
        if orgs:
            cond += " AND organization_login IN (" + ", ".join(q(o) for o in orgs) + ")"
            what += " in organization " + ", ".join(orgs)
        sql = (
            "SELECT login, organization_login AS organization, last_active_day, last_activity_at\n"
            f"FROM seat_usage\nWHERE {cond}\nORDER BY login, organization"
        )
        return sql, what
    if intent.shape == "seat_count":
        metrics = ["never_used_seats" if "never_used_seats" in metrics else "inactive_seats"]
    bad = [dim for dim in intent.dims if dim not in ("organization",)]
    if bad or any(k != "organization" for k, _ in intent.filters) or intent.periods:
        raise refuse(
            "Seat questions can be split by organization only.",
            understood(intent),
            ["seat utilisation by organization", "which seats were never used?", "how many seats?"],
        )
    if "seat_utilisation" in metrics:
        metrics = ["seats", "active_seats"] + [m for m in metrics if m != "seats"]
    if "inactive_seats" in metrics or "never_used_seats" in metrics:
        metrics = [m for m in metrics if m != "seats"] + ["seats"]  # the count asked for first
    cols = []
    for m in metrics:
        sql_m = (
            f"count(*) FILTER (WHERE last_active_day >= {d(start)})" if m == "active_seats" else metric_sql(m, window)
        )
        cols.append(f"{sql_m} AS {m}")
    by_org = "organization" in intent.dims
    select = (["organization_login AS organization"] if by_org else []) + cols
    sql = f"SELECT {', '.join(select)}\nFROM seat_usage"
    orgs = intent.filter("organization")
    if orgs:
        sql += "\nWHERE organization_login IN (" + ", ".join(q(o) for o in orgs) + ")"
    if by_org:
        key = next((m for m in metrics if m not in ("seats", "active_seats")), metrics[0])
        direction = "ASC" if intent.order == "asc" else "DESC"
        sql += f"\nGROUP BY 1\nORDER BY {key} {direction}, organization"
        if intent.limit:
            sql += f"\nLIMIT {intent.limit}"
    text = ", ".join(label(m) for m in metrics) + (" by organization" if by_org else "")
    if orgs:
        text += " in organization " + ", ".join(orgs)
    if set(metrics) & {"seat_utilisation", "inactive_seats", "active_seats"}:
        text += f", active meaning a day with activity in {window.text()}"
    return sql, text


def team_adoption(intent: Intent, window: Window) -> tuple[str, str]:
    conds = []
    if window.start is not None:
        conds.append(f"m.day BETWEEN {d(window.start)} AND {d(window.end or window.start)}")
    teams = intent.filter("team")
    if teams:
        conds.append("m.team IN (" + ", ".join(q(t) for t in teams) + ")")
    if [k for k, _ in intent.filters if k != "team"] or [x for x in intent.dims if x != "team"]:
        raise refuse(
            "Team adoption rate is computed per team only.",
            understood(intent),
            ["adoption rate by team", "which team has the lowest adoption rate?"],
        )
    direction = "ASC" if intent.order == "asc" else "DESC"
    sql = (
        "SELECT m.team AS team, count(DISTINCT m.user_id) AS members, "
        "count(DISTINCT m.user_id) FILTER (WHERE u.user_id IS NOT NULL) AS active_members, "
        f"{METRICS_BY_NAME['team_adoption_rate'].sql} AS team_adoption_rate\n"
        "FROM team_membership m\nLEFT JOIN user_daily u ON u.user_id = m.user_id AND u.day = m.day"
    )
    if conds:
        sql += "\nWHERE " + " AND ".join(conds)
    sql += "\nGROUP BY 1"
    if intent.thresholds:
        if any(t.metric != "team_adoption_rate" for t in intent.thresholds):
            raise refuse(
                "Team adoption questions can be filtered on the adoption rate only.",
                understood(intent),
                ["teams with an adoption rate under 50%"],
            )
        sql += "\nHAVING " + " AND ".join(
            f"{METRICS_BY_NAME['team_adoption_rate'].sql} {t.op} {t.value:g}" for t in intent.thresholds
        )
    sql += f"\nORDER BY team_adoption_rate {direction}, team"
    if intent.limit:
        sql += f"\nLIMIT {intent.limit}"
    return (
        sql,
        f"team adoption rate (members active on a day they were members / members) by team, {window.text()}",
    )


def first_time(intent: Intent, window: Window) -> tuple[str, str]:
    listing = "user" in intent.dims
    start, end = window.start or date(1970, 1, 1), window.end or date(2999, 1, 1)
    grains = [time_grain(intent, window) if x == "trend" else x for x in intent.dims if x != "user"]
    if (
        intent.filters
        or [m for m in intent.metrics if m not in ("active_users", "active_days")]
        or [g for g in grains if g not in ("day", "week", "month")]
        or len(grains) > 1
    ):
        raise refuse(
            "First-time users (of Copilot at all) can be counted over time only (per day, week or month).",
            understood(intent),
            ["new users per week", "how many people used Copilot for the first time this month?"],
        )
    inner = (
        "SELECT user_id, any_value(user_login) AS user_login, min(day) AS first_day FROM user_daily GROUP BY user_id"
    )
    if listing:
        sql = (
            f"SELECT user_login, first_day\nFROM ({inner}) AS firsts\n"
            f"WHERE first_day BETWEEN {d(start)} AND {d(end)}\nORDER BY first_day, user_login"
        )
    elif grains:
        expr = {
            "day": "first_day",
            "week": "date_trunc('week', first_day)::DATE",
            "month": "date_trunc('month', first_day)::DATE",
        }[grains[0]]
        sql = (
            f"SELECT {expr} AS {grains[0]}, count(*) AS new_users\nFROM ({inner}) AS firsts\n"
            f"WHERE first_day BETWEEN {d(start)} AND {d(end)}\nGROUP BY 1\nORDER BY 1"
        )
    else:
        sql = f"SELECT count(*) AS new_users\nFROM ({inner}) AS firsts\nWHERE first_day BETWEEN {d(start)} AND {d(end)}"
    return sql, (
        f"users whose first day in the loaded data falls in {window.text()} (earlier use before the data "
        "starts is unknown)"
    )


def only_completions(intent: Intent, window: Window) -> tuple[str, str]:
    probe = Intent(filters=intent.filters, window=window, weekdays=intent.weekdays)
    conds = where_conditions(probe, window, "")
    if [k for k, _ in intent.filters if k not in ("user",)]:
        raise refuse("I can answer 'only completions' for the whole enterprise only.", understood(intent), SUGGESTIONS)
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    inner = (
        f"SELECT user_login, count(DISTINCT day) AS active_days, sum(code_acceptance_activity_count) "
        f"AS code_acceptances\nFROM user_daily_by_feature{where}\nGROUP BY user_login\n"
        "HAVING bool_and(feature = 'code_completion')"
    )
    if intent.user_noun or "user" in intent.dims:
        sql = inner + "\nORDER BY user_login"
    else:
        sql = f"SELECT count(*) AS users\nFROM ({inner}) AS only_completions"
    return (
        sql,
        f"users whose only Copilot feature was code completion (no chat, agent or CLI), {window.text()}",
    )


COVERAGE_SQL = """SELECT min(day) AS first_day, max(day) AS last_day, count(DISTINCT day) AS days_with_data,
       datediff('day', min(day), max(day)) + 1 - count(DISTINCT day) AS missing_days,
       count(DISTINCT user_id) AS users
FROM user_daily"""
