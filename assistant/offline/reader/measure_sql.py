"""SQL for measure frames (totals, differences, averages, breakdowns and rankings), from the semantic model only."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from assistant.offline.reader.frame import Condition, Frame
from assistant.offline.reader.measure import metric_of
from assistant.offline.reader.sql import (
    DAY,
    LOGIN,
    TEAM,
    TEAM_JOIN,
    UID,
    USER,
    between,
    default_window,
    q,
    weekday_set,
    where,
)
from assistant.offline.windows import Window
from assistant.semantic import catalog, model
from assistant.semantic.metrics import Metric

GROUP_COLUMNS = {"user": LOGIN, "day": DAY, "week": f"date_trunc('week', {DAY})::DATE",
                 "month": f"date_trunc('month', {DAY})::DATE"}
PERIOD_GROUPS = ("day", "week", "month")
GROUP_COLUMNS["trend"] = DAY


def _columns(metric: Metric) -> set[str]:
    known = {c.name for c in catalog.BY_NAME[metric.table].columns}
    return set(re.findall(r"[a-z_]+", metric.sql)) & known


def table_for(metric: Metric, dims: list[str]) -> str | None:
    """The table holding the metric's columns and every dimension's column, the metric's own when it can."""
    dims = [model.SUB_DIMENSIONS.get(x, (x,))[0] for x in dims if x not in GROUP_COLUMNS]
    own = [t for x in dims for t, _ in model.DIMENSIONS_BY_NAME[x].holders]
    tables = [metric.table] + own + [t.name for t in catalog.TABLES if t.name.startswith("user_daily_by_")]
    for t in tables if not dims else tables[1:]:
        cols = {c.name for c in catalog.BY_NAME[t].columns}
        if _columns(metric) <= cols and all(model.DIMENSIONS_BY_NAME[x].column_in(t) for x in dims):
            return t
    return None


def column(dim: str, table: str) -> str | None:
    """The column of a dimension in a table, or the team column a membership join adds (`source`)."""
    held = model.DIMENSIONS_BY_NAME[dim].column_in(table)
    return held or (model.DIMENSIONS_BY_NAME[dim].column if dim == TEAM.name else None)


def source(table: str, dims: list[str]) -> str:
    """What a measure reads FROM: its table, joined to the teams its users were members of on each day when a team
    groups or filters it."""
    if TEAM.name not in dims:
        return table
    team = model.DIMENSIONS_BY_NAME[TEAM.name].column
    return f"(SELECT f.*, m.{team} FROM {table} f JOIN {TEAM.table} m ON {TEAM_JOIN.condition('f', 'm')}) AS t"


def _filter(c: Condition, table: str) -> str:
    if c.kind == "weekdays":
        return f"dayofweek({DAY}) {weekday_set(c.value)}"
    if c.kind == "surface":
        return str(model.FLAGS_BY_NAME[c.name].feature_condition)
    if c.kind == "login":
        return f"lower({LOGIN}) = {q(c.value.lower())}"
    if c.kind in ("among", "without"):
        col = column(c.name, table)
        return f"{col} {'NOT IN' if c.kind == 'without' else 'IN'} ({', '.join(q(v) for v in c.value.split('|'))})"
    if c.kind == "flag":
        flag = model.FLAGS_BY_NAME[c.name]
        return flag.condition if table == USER.table else str(flag.feature_condition)
    col = column(c.name, table)
    return f"{col} {'LIKE' if c.value.endswith('%') else '='} {q(c.value)}"


def _window(frame: Frame, as_of: date) -> Window | None:
    w = frame.window or default_window(as_of)
    return None if w.start is None and w.end is None else w


def _when(w: Window | None) -> str:
    return w.text() if w is not None else "in all the loaded data"


def build(frame: Frame, as_of: date) -> tuple[str, str] | None:
    """SQL and its interpretation for a measure frame, or None when the model holds no table for it."""
    w = _window(frame, as_of)
    if frame.shape == "difference":
        return _difference(frame, w)
    if frame.shape == "average":
        return _average(frame, w)
    if frame.shape == "portion":
        return _portion(frame, w)
    if frame.shape == "pair":
        return _pair(frame, w)
    metric = metric_of(frame.asked[0])
    states = [c for c in frame.conditions if c.name in model.STATE_DIMENSIONS]
    if states or frame.group in model.STATE_DIMENSIONS:
        return _state(frame, metric, w, states)
    if frame.group == "organization":
        return _by_organization(frame, metric, w)
    dims = [c.name for c in frame.conditions if c.kind == "value"] + ([frame.group] if frame.group else [])
    narrowed = "".join(f", {c.name} {c.value.replace('|', ' and ')}" for c in frame.conditions if c.kind == "among")
    # one person: every table has the login
    dims += ["feature"] * any(c.kind == "surface" for c in frame.conditions)
    if TEAM.name in dims and metric.table == TEAM.table:
        return None  # a team's own figure (its adoption rate) is the roster's, not a measure joined to it
    table = table_for(metric, [x for x in dims if x != TEAM.name])
    if table is None or any(c.kind == "flag" and not model.FLAGS_BY_NAME[c.name].condition and table == USER.table
                            for c in frame.conditions):
        return None
    if any(c.kind == "flag" for c in frame.conditions) and table != USER.table:
        return None
    if table is None:
        return None
    among = [_filter(c, table) for c in frame.conditions if c.kind == "flag"]  # 'agent users': who used it
    conds = [_filter(c, table) for c in frame.conditions if c.kind not in ("flag", "having")] + between(w)
    bounds = _bounds(frame, table)
    second = _second(frame, dims, table)
    if bounds is None or second is None:
        return None
    if among and frame.shape != "ranking":
        return None
    narrowed += "".join(f", users of {model.FLAGS_BY_NAME[c.name].label}" if c.kind == "flag" else
                        f", without {c.name} {c.value.replace('|', ' and ')}" if c.kind == "without" else
                        f", in {model.FLAGS_BY_NAME[c.name].label}" if c.kind == "surface" else
                        f", {c.name} {c.value.rstrip('%')}" for c in frame.conditions
                        if c.kind not in ("having", "among"))
    narrowed += "".join(f", {frame.group}s with {metric_of(c.name).label} {c.value}" for c in frame.conditions
                        if c.kind == "having")
    if frame.shape == "total":
        return (f"SELECT {metric.sql} AS {metric.name}{second[0]} FROM {source(table, dims)}{where(conds)}",
                f"{metric.label}{second[1]}{narrowed}, {_when(w)}")
    return _ranking(frame, metric, (table, source(table, dims)), conds, f"{narrowed}, {_when(w)}", among, w, bounds,
                    second)


def _second(frame: Frame, dims: list[str], table: str) -> tuple[str, str] | None:
    """A second measure asked beside the first (its select item and its label), from the same table or None."""
    if len(frame.asked) < 2:
        return "", ""
    other = metric_of(frame.asked[1])
    own = [x for x in dims if x != TEAM.name]  # a team is joined to the table, as for the first measure
    if len(frame.asked) > 2 or table_for(other, own) != table or ":window_start" in other.sql or frame.limit:
        return None
    return f", {other.sql} AS {other.name}", f" and {other.label}"


def _by_organization(frame: Frame, metric: Metric, w: Window | None) -> tuple[str, str] | None:
    """People counted per organization, each user under every organization that seats them (the seat listing)."""
    if frame.conditions or frame.limit or metric.table != USER.table:
        return None
    seat = model.ENTITIES_BY_NAME["seat"]
    org = model.DIMENSIONS_BY_NAME["organization"].column_in(seat.table)
    on = model.join_path(seat.table, USER.table).condition("s", "u")
    body = f"(SELECT u.*, s.{org} FROM {USER.table} u JOIN {seat.table} s ON {on}) AS t"
    return (f"SELECT {org}, {metric.sql} AS {metric.name} FROM {body}{where(between(w))} GROUP BY 1 "
            f"ORDER BY 2 DESC NULLS LAST, 1", f"{metric.label} by organization, {_when(w)}; the organization comes "
            "from the seat listing (a user seated in two organizations counts in each; users with no seat are not "
            "counted)")


def _bounds(frame: Frame, table: str) -> list[str] | None:
    """Each group's bound on its own total ('with at least 1000 suggestions'), as HAVING terms for `_ranking`."""
    out = []
    for c in frame.conditions:
        if c.kind != "having":
            continue
        bounded = metric_of(c.name)
        if table_for(bounded, []) is None or not _columns(bounded) <= {x.name for x in catalog.BY_NAME[table].columns}:
            return None
        out.append(f"({bounded.sql}) {c.value}")
    return out


def _ranking(frame: Frame, metric: Metric, tables: tuple[str, str], conds: list[str], said: str, among: list[str],
             window: Window | None, bounds: tuple[str, ...] | list[str] = (),
             second: tuple[str, str] = ("", "")) -> tuple[str, str]:
    """A breakdown or ranking by one dimension; `tables` is the table and what is read FROM (it, or it joined)."""
    table, src = tables
    if frame.group == "trend":  # a trend: per day over a month or less, per week over longer
        long = window is None or window.start is None or window.end is None or (window.end - window.start).days > 31
        frame = replace(frame, group="week" if long else "day")
    dim, scope = model.SUB_DIMENSIONS.get(frame.group, (frame.group, ""))
    col = GROUP_COLUMNS.get(dim) or column(dim, table)
    conds = conds + ([scope] if scope else [])
    if frame.order == "distinct" and bounds:  # 'how many languages had over 1000 suggestions'
        return (f"SELECT count(*) AS {frame.group}s FROM (SELECT {col} FROM {src}{where(conds)} GROUP BY 1 HAVING "
                f"{' AND '.join(bounds)})", f"the number of {frame.group}s{said}")
    if frame.order == "distinct":
        return (f"SELECT count(DISTINCT {col}) AS {frame.group}s FROM {src}{where(conds)}",
                f"the number of distinct {frame.group}s with activity{said}")
    summed = model.GROUPING_OF.get(metric.name, "sum") == "sum"
    if metric.name == "active_days":  # 'top agent users': ranked by the days they used it
        conds, among = conds + among, []
    kept = [f"{metric.sql} > 0"] if frame.limit and summed and frame.order != "asc" else []
    if frame.limit and model.GROUPING_OF.get(metric.name) == "ratio":  # a group with no rate has no place in a ranking
        kept.append(f"{metric.sql} IS NOT NULL")
    kept += [f"bool_or({x})" for x in among] + list(bounds)
    having = (" HAVING " + " AND ".join(kept)) if kept else ""
    direction = "ASC" if frame.order == "asc" else "DESC"
    if frame.group in PERIOD_GROUPS and not frame.limit:
        return (f"SELECT {col} AS {frame.group}, {metric.sql} AS {metric.name}{second[0]} FROM {src}{where(conds)} "
                f"GROUP BY 1{having} ORDER BY 1",
                f"{metric.label}{second[1]} per {frame.group}{said}{_partial(frame.group, window)}")
    limit = f" LIMIT {frame.limit}" + (f" OFFSET {frame.offset}" if frame.offset else "") if frame.limit else ""
    order = f"2 {direction} NULLS LAST, 1"
    named = [c.value.split("|") for c in frame.conditions if c.kind == "among"]
    if frame.order == "named" and named and not frame.limit:  # 'X in jetbrains compared with vscode': as named
        order = "CASE " + " ".join(f"WHEN {col} = {q(v)} THEN {i}" for i, v in enumerate(named[0])) + " END"
    sql = (f"SELECT {col}, {metric.sql} AS {metric.name}{second[0]} FROM {src}{where(conds)} GROUP BY 1{having} "
           f"ORDER BY {order}{limit}")
    if not frame.limit:
        return sql, f"{metric.label}{second[1]} by {frame.group}{said}"
    place = f"place {frame.offset + 1}" if frame.offset else f"the {'top' if direction == 'DESC' else 'bottom'} " \
        f"{frame.limit}"
    return sql, f"{frame.group} ranked by {metric.label} ({place}){said}"


def _partial(period: str, w: Window | None) -> str:
    """What the interpretation must say when the window cuts its first or last week or month short."""
    if period == "day" or w is None or w.start is None or w.end is None:
        return ""
    if period == "week":
        cut = [x for x, bad in (("first", w.start.weekday() != 0), ("last", w.end.weekday() != 6)) if bad]
    else:
        cut = [x for x, bad in (("first", w.start.day != 1), ("last", (w.end + timedelta(days=1)).day != 1)) if bad]
    return f"; the {' and '.join(cut)} {period} {'is' if len(cut) == 1 else 'are'} partial" if cut else ""


def _state(frame: Frame, metric: Metric, w: Window | None, states: list[Condition]) -> tuple[str, str] | None:
    """Users under their latest value of a state dimension (adoption phase) in the window."""
    if metric.name != "active_users" or len(states) != len(frame.conditions) or len(states) > 1 or \
            (states and frame.group):
        return None
    name = states[0].name if states else frame.group
    col = model.STATE_DIMENSIONS[name]
    known = [f"{col} IS NOT NULL"]  # users with no phase recorded are left out, and the line says so
    latest = f"(SELECT {UID}, arg_max({col}, {DAY}) AS {name} FROM {USER.table}{where(between(w) + known)} GROUP BY 1)"
    said = (f"users by their latest {model.DIMENSIONS_BY_NAME[name].label} {_when(w)} (users with none recorded "
            "left out)")
    if states:
        return (f"SELECT count(*) AS users FROM {latest} WHERE {name} = {q(states[0].value)}",
                f"{said}: those in {states[0].value}")
    return f"SELECT {name}, count(*) AS users FROM {latest} GROUP BY 1 ORDER BY 2 DESC, 1", said


def _portion(frame: Frame, w: Window | None) -> tuple[str, str] | None:
    """A measure within one part (a value, or a surface with a feature row) over the measure in all."""
    metric = metric_of(frame.asked[0])
    c = frame.conditions[0]
    table = model.DIMENSIONS_BY_NAME["feature"].table if c.kind == "flag" else table_for(metric, [c.name])
    if table is None:
        return None
    part = f"(SELECT {metric.sql} FROM {table}{where([_filter(c, table)] + between(w))})"
    whole = f"(SELECT {metric.sql} FROM {metric.table}{where(between(w))})"
    scope = model.FLAGS_BY_NAME[c.name].label if c.kind == "flag" else f"{c.name} {c.value}"
    if frame.group:  # 'of all prompts in the model breakdown': the whole is every value of that table
        whole = f"(SELECT {metric.sql} FROM {table}{where(between(w))})"
        scope += f" over all of the {frame.group} breakdown"
    if len(frame.conditions) == 2:  # the part of a group of values: over that group, not over everything
        group = frame.conditions[1]
        whole = f"(SELECT {metric.sql} FROM {table}{where([_filter(group, table)] + between(w))})"
        scope += f" within {group.name} {group.value.rstrip('%')}*"
    return (f"SELECT n AS part, t AS total, round(n::DOUBLE / nullif(t, 0), 4) AS share FROM (SELECT {part} AS n, "
            f"{whole} AS t)", f"the share of {metric.label} from {scope}, {_when(w)}")


def _difference(frame: Frame, w: Window | None) -> tuple[str, str] | None:
    """Both measures (or one measure under two values) and their difference, the larger side first for 'fewer'."""
    if frame.conditions:
        return _value_difference(frame, w)
    a, b = (metric_of(n) for n in frame.asked)
    if a.table != b.table:
        return None
    first, second = (b, a) if frame.order == "fewer" else (a, b)
    return (f"SELECT {a.sql} AS {a.name}, {b.sql} AS {b.name}, round({first.sql} - {second.sql}, 4) AS difference FROM "
            f"{a.table}{where(between(w))}", f"{first.label} minus {second.label}, {_when(w)}")


def _pair(frame: Frame, w: Window | None) -> tuple[str, str] | None:
    """Two measures of one table side by side."""
    a, b = (metric_of(n) for n in frame.asked)
    if a.table != b.table or ":window_start" in a.sql + b.sql:
        return None
    return (f"SELECT {a.sql} AS {a.name}, {b.sql} AS {b.name} FROM {a.table}{where(between(w))}",
            f"{a.label} and {b.label}, {_when(w)}")


def _value_difference(frame: Frame, w: Window | None) -> tuple[str, str] | None:
    """One measure under each of two values, side by side, and the difference."""
    metric = metric_of(frame.asked[0])
    parts = []
    for c in frame.conditions:
        table = table_for(metric, [c.name])
        if table is None:
            return None
        parts.append(f"(SELECT {metric.sql} FROM {table}{where([_filter(c, table)] + between(w))})")
    names = [c.value.rstrip("%").replace('"', '""') for c in frame.conditions]
    first, second = ("b", "a") if frame.order == "fewer" else ("a", "b")
    said = f"{metric.label} for {names[int(first == 'b')]} minus {names[int(second == 'b')]}, {_when(w)}"
    return (f'SELECT a AS "{names[0]}", b AS "{names[1]}", round({first} - {second}, 4) AS difference FROM '
            f"(SELECT {parts[0]} AS a, {parts[1]} AS b)", said)


def _average(frame: Frame, w: Window | None) -> tuple[str, str] | None:
    metric = metric_of(frame.asked[0])
    if metric.table != USER.table:
        return None
    if frame.group == "day" and model.GROUPING_OF.get(metric.name, "sum") != "sum":  # a day's distinct users
        return (f"SELECT round(avg(n), 2) AS avg_daily_{metric.name}, round(avg(n), 4) AS exact FROM (SELECT {DAY}, "
                f"{metric.sql} AS n FROM {USER.table}{where(between(w))} GROUP BY 1)",
                f"the average over the days with data of each day's {metric.label} (missing days left out), "
                f"{_when(w)}")
    if frame.group == "day":
        den, who = f"count(DISTINCT {DAY})", "days with data"
    elif frame.group.startswith("flag:"):
        flag = model.FLAGS_BY_NAME[frame.group[5:]]
        if not flag.condition:
            return None
        den, who = f"count(DISTINCT {UID}) FILTER (WHERE {flag.condition})", f"users of {flag.label}"
    elif frame.group.startswith("metric:"):
        people = metric_of(frame.group[7:])
        den, who = people.sql, people.label
    else:
        den, who = f"count(DISTINCT {UID})", "active users"
    unit = "day" if frame.group == "day" else "user"
    if frame.order == "median":  # the middle user's total, among the users counted
        among = f" HAVING bool_or({den.split('WHERE ')[1][:-1]})" if "FILTER" in den else ""
        return (f"SELECT median(n) AS median_{metric.name}_per_user FROM (SELECT {UID}, {metric.sql} AS n FROM "
                f"{USER.table}{where(between(w))} GROUP BY 1{among})", f"the median of each user's {metric.label} "
                f"(over {who}), {_when(w)}")
    ratio = f"{metric.sql}::DOUBLE / nullif({den}, 0)"
    teams = [c for c in frame.conditions if (c.kind, c.name) == ("value", TEAM.name)]  # a team's members, each day's
    if len(teams) != len(frame.conditions) or (teams and frame.group != "user"):
        return None
    table = source(USER.table, [TEAM.name] * bool(teams))
    filters = [_filter(c, USER.table) for c in teams] + between(w)
    return (f"SELECT round({ratio}, 2) AS {metric.name}_per_{unit}, {metric.sql} AS {metric.name}, {den} AS {unit}s, "
            f"round({ratio}, 4) AS exact FROM {table}{where(filters)}",
            f"{metric.label} divided by {who}{''.join(f', members of {c.value}' for c in teams)}, {_when(w)}")


def legacy_sql(frame: Frame, last_day: date | None) -> tuple[str, str] | None:
    """A measure from the legacy metrics API's tables: a distinct count per day, a summed count over the window."""
    table, expr = model.LEGACY_SOURCES[frame.asked[0]]
    metric = metric_of(frame.asked[0])
    w = frame.window or (default_window(last_day) if last_day else None)
    w = None if w is None or (w.start is None and w.end is None) else w
    conds = where(between(w, col=LEGACY_DAY))
    label = f"{metric.label} from the legacy metrics ({table}), {_when(w)}"
    if frame.shape == "peak":  # the top (or bottom) day of the figure, ties broken by the earlier day
        grouped = " GROUP BY 1" if expr.startswith("sum(") else ""
        word = "highest" if frame.order == "desc" else "lowest"
        return (f"SELECT {LEGACY_DAY}, {expr} AS {metric.name} FROM {table}{conds}{grouped} "
                f"ORDER BY 2 {frame.order.upper()}, 1 LIMIT 1", f"the day with the {word} {label}")
    if expr.startswith("sum("):
        return f"SELECT {expr} AS {metric.name} FROM {table}{conds}", label
    if w is not None and w.start == w.end:
        return f"SELECT {LEGACY_DAY}, {expr} AS {metric.name} FROM {table}{conds}", label
    return (f"SELECT {LEGACY_DAY}, {expr} AS {metric.name} FROM {table}{conds} ORDER BY 1",
            label + " (a distinct count per day, never summed)")


LEGACY_DAY = "date"
