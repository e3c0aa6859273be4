"""SQL for the special shapes: seats, team adoption and membership, first-time users, only-completions users,
shares, counts of values, adoption phases, last active days and coverage."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assistant.offline.parse import Intent, refuse
from assistant.offline.shape import SUGGESTIONS, understood
from assistant.offline.sql_parts import (
    DAY,
    DIM_SQL,
    DIMS,
    LOGIN,
    SEAT_METRICS,
    TEAM,
    TEAM_JOIN,
    UID,
    USER,
    d,
    label,
    metric_sql,
    q,
    source,
    time_grain,
    where_conditions,
)
from assistant.offline.windows import Window
from assistant.semantic import model
from assistant.semantic.metrics import METRICS_BY_NAME

SEAT = model.ENTITIES_BY_NAME["seat"]
SEAT_USAGE = model.ENTITIES_BY_NAME["seat_usage"]
ORG = SEAT.attribute("organization").column
SEAT_LOGIN = SEAT_USAGE.key
LAST_ACTIVE = SEAT_USAGE.attribute("last_active").column
LAST_ACTIVITY = SEAT.attribute("last_activity").column
FIRST_DAY = USER.attribute("first_day").name  # the alias of a user's first day in the data
TEAM_COL = DIMS["team"].column
PHASE = DIMS["phase"].column
FEATURE = DIMS["feature"]
COMPLETIONS = model.FLAGS_BY_NAME["completions"].feature_condition
ACCEPTANCES = model.SUM_COLUMN["code_acceptances"]
NEVER_USED = model.seat_condition("never_used_seats")
INACTIVE = model.seat_condition("inactive_seats")  # with :window_start
ACTIVE_USERS = METRICS_BY_NAME["active_users"].name  # the alias of the share's denominator
ACTIVE_DAYS = METRICS_BY_NAME["active_days"].name
ORGS = DIMS["organization"]
LAST_DAY = USER.attribute("last_day").name


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
        num = f"(SELECT count(DISTINCT {UID}) FROM {num_from} WHERE {num_where})"
        what = "users of " + "; ".join(
            f"{d.replace('_family', '')} {'/'.join(v)}" for d, v in intent.filters if d not in ("team", "user")
        )
    den = f"(SELECT count(DISTINCT {UID}) FROM {den_from} WHERE {den_where})"
    sql = f"SELECT {num} AS users, {den} AS {ACTIVE_USERS}, round({num}::DOUBLE / nullif({den}, 0), 4) AS share"
    scope = "".join(f" in {d} {'/'.join(v)}" for d, v in intent.filters if d in ("team", "user"))
    return sql, f"share of active users{scope} who were {what}, {window.text()}" + (
        f", {intent.weekdays} only" if intent.weekdays else ""
    )


def last_active(intent: Intent) -> tuple[str, str]:
    """Each user's (or one user's) last day with activity."""
    if [k for k, _ in intent.filters if k != "user"] or intent.weekdays or intent.periods:
        raise refuse(
            "I can give each user's last active day, for a user or for everyone.",
            understood(intent),
            ["when was mchen-acme last active?"],
        )
    conds = where_conditions(replace(intent, window=None), Window(None, None, "all time"), USER.table)
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    sql = (
        f"SELECT {LOGIN}, max({DAY}) AS {LAST_ACTIVE}\nFROM {USER.table}{where}\n"
        f"GROUP BY 1\nORDER BY {LAST_ACTIVE} DESC, {LOGIN}"
    )
    return sql, "each user's last day with activity in the loaded data"


def team_members(intent: Intent, window: Window) -> tuple[str, str]:
    """Members per team from the roster, active or not."""
    conds = where_conditions(replace(intent, weekdays=None), window, TEAM.table)
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    sql = (
        f"SELECT {TEAM_COL}, count(DISTINCT {UID}) AS members\nFROM {TEAM.table}{where}\n"
        f"GROUP BY 1\nORDER BY members DESC, {TEAM_COL}"
    )
    return sql, f"team members (from {TEAM.table}, active or not) by team, {window.text()}"


def count_values(intent: Intent, window: Window) -> tuple[str, str]:
    """How many distinct values of a dimension have activity (organizations: have seats)."""
    if not intent.dims:  # 'how many different IDEs' then 'what about jetbrains': one value left, nothing to count
        raise refuse("I can count the different values of a breakdown, not of one value.", [], SUGGESTIONS)
    dim = intent.dims[0]
    if dim == "organization":
        return (
            f"SELECT count(DISTINCT {ORGS.column}) AS organizations\nFROM {ORGS.table}",
            "organizations with seats",
        )
    from_sql, table = source(intent)
    conds = where_conditions(intent, window, table)
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    col = DIM_SQL[dim][0]
    sql = f"SELECT count(DISTINCT {col}) AS {DIM_SQL[dim][1]}_count\nFROM {from_sql}{where}"
    return sql, f"number of distinct {dim} values with activity, {window.text()}"


def phases(intent: Intent, window: Window) -> tuple[str, str]:
    """Users per AI adoption phase, each counted in their latest known phase."""
    conds = where_conditions(intent, window, USER.table)
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    sql = (
        f"SELECT {PHASE} AS adoption_phase, count(*) AS users\n"
        f"FROM (SELECT {UID}, {PHASE} "
        f"FROM {USER.table}{where} QUALIFY row_number() OVER (PARTITION BY {UID} "
        f"ORDER BY {PHASE} IS NULL, {DAY} DESC) = 1) AS latest"
        "\nGROUP BY 1\nORDER BY 1"
    )
    return sql, "users per AI adoption phase (each user's latest known phase), " + window.text()


def _check_seat_question(intent: Intent) -> None:
    """Refuse usage measures mixed with seats, and seat filters other than the organization."""
    mixed = [m for m in intent.metrics if m not in SEAT_METRICS and m not in ("active_users", "active_days")]
    if mixed:  # "prompts per seat": never drop the usage measure and answer a seat count
        raise refuse(
            f"I can't combine seats with {', '.join(label(m) for m in mixed)} offline: seats are counted per "
            "seat, usage per user and day.",
            understood(intent),
            ["how many seats?", "average prompts per user this month", "seat utilisation"],
        )
    if any(k != "organization" for k, _ in intent.filters):
        raise refuse(
            "Seat questions can be filtered by organization only.",
            understood(intent),
            ["which seats were never used?", "seat utilisation by organization"],
        )


def _in_orgs(orgs: tuple[str, ...]) -> str:
    """The condition keeping seats of the named organizations."""
    return f"{ORG} IN (" + ", ".join(q(o) for o in orgs) + ")"


def _seat_list(intent: Intent, window: Window, metrics: list[str]) -> tuple[str, str]:
    """The seats never used, or with no activity in the window."""
    start = window.start or date(1970, 1, 1)
    cond, what = (
        (NEVER_USED, "seats never used (no activity in the data and none seen by GitHub)")
        if "never_used_seats" in metrics
        else (f"({INACTIVE.replace(':window_start', d(start))})", f"seats with no activity in {window.text()}")
    )
    orgs = intent.filter("organization")
    if orgs:
        cond += " AND " + _in_orgs(orgs)
        what += " in organization " + ", ".join(orgs)
    sql = (
        f"SELECT {SEAT_LOGIN}, {ORG} AS organization, {LAST_ACTIVE}, {LAST_ACTIVITY}\n"
        f"FROM {SEAT_USAGE.table}\nWHERE {cond}\nORDER BY {SEAT_LOGIN}, organization"
    )
    return sql, what


def _seat_measures(intent: Intent, metrics: list[str]) -> list[str]:
    """The seat figures to show: the count asked for first, utilisation beside its seats and active seats."""
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
    return metrics


def seats(intent: Intent, window: Window) -> tuple[str, str]:
    """Seat counts, utilisation and never-used or inactive seats (by organization), or the list of such seats."""
    _check_seat_question(intent)
    metrics = [m for m in intent.metrics if m in SEAT_METRICS] or ["seats"]
    if intent.shape == "seat_list":
        return _seat_list(intent, window, metrics)
    metrics = _seat_measures(intent, metrics)
    start = window.start or date(1970, 1, 1)
    cols = []
    for m in metrics:
        sql_m = f"count(*) FILTER (WHERE {LAST_ACTIVE} >= {d(start)})" if m == "active_seats" else metric_sql(m, window)
        cols.append(f"{sql_m} AS {m}")
    by_org = "organization" in intent.dims
    select = ([f"{ORG} AS organization"] if by_org else []) + cols
    sql = f"SELECT {', '.join(select)}\nFROM {SEAT_USAGE.table}"
    orgs = intent.filter("organization")
    if orgs:
        sql += "\nWHERE " + _in_orgs(orgs)
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
    """Each team's members, active members and adoption rate (members active on a day they were members)."""
    conds = []
    if window.start is not None:
        conds.append(f"m.{DAY} BETWEEN {d(window.start)} AND {d(window.end or window.start)}")
    teams = intent.filter("team")
    if teams:
        conds.append(f"m.{TEAM_COL} IN (" + ", ".join(q(t) for t in teams) + ")")
    if [k for k, _ in intent.filters if k != "team"] or [x for x in intent.dims if x != "team"]:
        raise refuse(
            "Team adoption rate is computed per team only.",
            understood(intent),
            ["adoption rate by team", "which team has the lowest adoption rate?"],
        )
    direction = "ASC" if intent.order == "asc" else "DESC"
    rate = METRICS_BY_NAME["team_adoption_rate"].sql
    sql = (
        f"SELECT m.{TEAM_COL} AS {TEAM_COL}, count(DISTINCT m.{UID}) AS members, "
        f"count(DISTINCT m.{UID}) FILTER (WHERE u.{UID} IS NOT NULL) AS active_members, "
        f"{rate} AS team_adoption_rate\n"
        f"FROM {TEAM.table} m\n{TEAM_JOIN.how} {USER.table} u ON {TEAM_JOIN.condition('m', 'u')}"
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
        sql += "\nHAVING " + " AND ".join(f"{rate} {t.op} {t.value:g}" for t in intent.thresholds)
    sql += f"\nORDER BY team_adoption_rate {direction}, {TEAM_COL}"
    if intent.limit:
        sql += f"\nLIMIT {intent.limit}"
    return (
        sql,
        f"team adoption rate (members active on a day they were members / members) by team, {window.text()}",
    )


# a first day at each time grain
FIRST_DAY_AT = {
    "day": FIRST_DAY,
    "week": f"date_trunc('week', {FIRST_DAY})::DATE",
    "month": f"date_trunc('month', {FIRST_DAY})::DATE",
}


def first_time(intent: Intent, window: Window) -> tuple[str, str]:
    """Users whose first day in the data falls in the window: listed, counted, or counted per day/week/month."""
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
        f"SELECT {UID}, any_value({LOGIN}) AS {LOGIN}, min({DAY}) AS {FIRST_DAY} FROM {USER.table} GROUP BY {UID}"
    )
    in_window = f"{FIRST_DAY} BETWEEN {d(start)} AND {d(end)}"
    if listing:
        sql = f"SELECT {LOGIN}, {FIRST_DAY}\nFROM ({inner}) AS firsts\nWHERE {in_window}\nORDER BY {FIRST_DAY}, {LOGIN}"
    elif grains:
        sql = (
            f"SELECT {FIRST_DAY_AT[grains[0]]} AS {grains[0]}, count(*) AS new_users\nFROM ({inner}) AS firsts\n"
            f"WHERE {in_window}\nGROUP BY 1\nORDER BY 1"
        )
    else:
        sql = f"SELECT count(*) AS new_users\nFROM ({inner}) AS firsts\nWHERE {in_window}"
    return sql, (
        f"users whose first day in the loaded data falls in {window.text()} (earlier use before the data "
        "starts is unknown)"
    )


def only_completions(intent: Intent, window: Window) -> tuple[str, str]:
    """Users whose only Copilot feature was code completion: listed or counted."""
    probe = Intent(filters=intent.filters, window=window, weekdays=intent.weekdays)
    conds = where_conditions(probe, window, "")
    if [k for k, _ in intent.filters if k not in ("user",)]:
        raise refuse("I can answer 'only completions' for the whole enterprise only.", understood(intent), SUGGESTIONS)
    where = ("\nWHERE " + " AND ".join(conds)) if conds else ""
    inner = (
        f"SELECT {LOGIN}, count(DISTINCT {DAY}) AS {ACTIVE_DAYS}, sum({ACCEPTANCES}) "
        f"AS code_acceptances\nFROM {FEATURE.table}{where}\nGROUP BY {LOGIN}\n"
        f"HAVING bool_and({COMPLETIONS})"
    )
    if intent.user_noun or "user" in intent.dims:
        sql = inner + f"\nORDER BY {LOGIN}"
    else:
        sql = f"SELECT count(*) AS users\nFROM ({inner}) AS only_completions"
    return (
        sql,
        f"users whose only Copilot feature was code completion (no chat, agent or CLI), {window.text()}",
    )


COVERAGE_SQL = f"""SELECT min({DAY}) AS {FIRST_DAY}, max({DAY}) AS {LAST_DAY}, count(DISTINCT {DAY}) AS days_with_data,
       datediff('day', min({DAY}), max({DAY})) + 1 - count(DISTINCT {DAY}) AS missing_days,
       count(DISTINCT {UID}) AS users
FROM {USER.table}"""
