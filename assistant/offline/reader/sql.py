"""SQL from a frame and the semantic model only: every table and column name comes from `semantic.model`."""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.contracts import PROVISIONAL_DAYS, Context
from assistant.offline.reader import words as W
from assistant.offline.reader.frame import SEAT_GROUPS, Condition, Frame
from assistant.offline.windows import DEFAULT_WINDOW_DAYS, WEEKDAY_NAMES, Window
from assistant.semantic import catalog, model
from assistant.semantic.metrics import METRICS_BY_NAME

USER = model.ENTITIES_BY_NAME["user"]
SEAT = model.ENTITIES_BY_NAME["seat"]
SEAT_USAGE = model.ENTITIES_BY_NAME["seat_usage"]
SEAT_ACTIVITY = model.ENTITIES_BY_NAME["seat_activity"]
TEAM = model.ENTITIES_BY_NAME["team"]
DAYS = model.ENTITIES_BY_NAME["day"]
ENTERPRISE = model.ENTITIES_BY_NAME["enterprise"]
FEATURE = model.DIMENSIONS_BY_NAME["feature"]
TEAM_JOIN = model.join_path(TEAM.table, USER.table)
SEAT_USER = model.join_path(SEAT.table, USER.table)
DAY = DAYS.key
LOGIN = USER.key
UID = USER.id_column
ACTIVE = METRICS_BY_NAME["active_users"].name  # the column name an answer counting active users carries


def q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def d(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def ts(day: date) -> str:
    return f"TIMESTAMPTZ '{day.isoformat()} 00:00:00+00'"


def default_window(as_of: date) -> Window:
    return Window(as_of - timedelta(days=DEFAULT_WINDOW_DAYS - 1), as_of,
                  f"the last {DEFAULT_WINDOW_DAYS} days (default window)")


def between(w: Window | None, col: str = DAY) -> list[str]:
    """The WHERE conditions that keep a window's days."""
    if w is None:
        return []
    if w.start is not None and w.end is not None:
        return [f"{col} = {d(w.start)}" if w.start == w.end else f"{col} BETWEEN {d(w.start)} AND {d(w.end)}"]
    if w.start is not None:
        return [f"{col} >= {d(w.start)}"]
    return [f"{col} <= {d(w.end)}"] if w.end is not None else []


def where(conds: list[str]) -> str:
    return (" WHERE " + " AND ".join(conds)) if conds else ""


# --- coverage -------------------------------------------------------------------------------------
def coverage_sql(frame: Frame, ctx: Context) -> tuple[str, str]:
    table = ENTERPRISE.table if frame.subject == "enterprise" or not ctx.coverage.tables.get(USER.table) else USER.table
    items = frame.asked
    if items == ("range_missing",):
        return (f"SELECT min({DAY}) AS earliest, max({DAY}) AS latest, datediff('day', min({DAY}), max({DAY})) + 1 "
                f"- count(DISTINCT {DAY}) AS missing_days FROM {table}", f"the days covered by {table} and the "
                "number of days missing between them")
    if items == ("missing_count",):
        return (f"SELECT datediff('day', min({DAY}), max({DAY})) + 1 - count(DISTINCT {DAY}) AS missing_days "
                f"FROM {table}", f"days missing in {table} between its first and last day")
    if "missing" in items:
        return (f"SELECT CAST(g.d AS DATE) AS missing_day FROM generate_series((SELECT min({DAY}) FROM {table}), "
                f"(SELECT max({DAY}) FROM {table}), INTERVAL 1 DAY) g(d) WHERE CAST(g.d AS DATE) NOT IN "
                f"(SELECT {DAY} FROM {table}) ORDER BY 1",
                f"days with no data in {table} between its first and last day")
    if items == ("provisional_count",):
        return (f"SELECT count(DISTINCT {DAY}) AS provisional_days FROM {table} WHERE {DAY} > (SELECT max({DAY}) FROM "
                f"{table}) - INTERVAL {PROVISIONAL_DAYS} DAY", f"how many of the last {PROVISIONAL_DAYS} days in "
                f"{table} have data (GitHub may still revise them)")
    if "provisional" in items:
        return (f"SELECT DISTINCT {DAY} FROM {table} WHERE {DAY} > (SELECT max({DAY}) FROM {table}) - INTERVAL "
                f"{PROVISIONAL_DAYS} DAY ORDER BY 1", f"the last {PROVISIONAL_DAYS} days in {table}, which GitHub may "
                "still revise")
    if items == ("days",):
        within = f", {frame.window.text()}" if frame.window else ""
        return (f"SELECT count(DISTINCT {DAY}) AS days FROM {table}{where(between(frame.window))}",
                f"days with data in {table}{within}")
    cols = [f"count(DISTINCT {DAY}) AS days"] if "days" in items else []
    if "first" in items or "range" in items:
        cols.append(f"min({DAY}) AS earliest")
    if "last" in items or "range" in items:
        cols.append(f"max({DAY}) AS latest")
    counted = "the number of days with data and " if "days" in items else ""
    revised = ""
    if "provisional_count" in items:  # beside the edges: how many of the last days GitHub may still revise
        cols.append(f"count(DISTINCT {DAY}) FILTER (WHERE {DAY} > (SELECT max({DAY}) FROM {table}) - INTERVAL "
                    f"{PROVISIONAL_DAYS} DAY) AS provisional_days")
        revised = f", and how many of its last {PROVISIONAL_DAYS} days have data (GitHub may still revise them)"
    within = f", {frame.window.text()}" if frame.window else ""
    return (f"SELECT {', '.join(cols)} FROM {table}{where(between(frame.window))}",
            f"{counted}the days covered by {table}{within}{revised}")


# --- GitHub's figures -----------------------------------------------------------------------------
def weekday_set(days: str) -> str:
    """The condition on DuckDB's dayofweek (0 is Sunday) for 'weekdays', 'weekends' or one weekday ('mondays')."""
    return W.WEEKDAY_SETS.get(days) or f"= {WEEKDAY_NAMES.index(days.rstrip('s'))}"


def figure_sql(frame: Frame, as_of: date) -> tuple[str, str]:
    col = frame.asked[0]
    w = frame.window or default_window(as_of)
    days = [f"dayofweek({DAY}) {weekday_set(c.value)}" for c in frame.conditions if c.kind == "weekdays"]
    on = "".join(f" on {c.value}" for c in frame.conditions if c.kind == "weekdays")
    if frame.shape == "difference":  # 'how many more PRs merged in october than in september'
        return _periods_difference(frame, f"sum({col})", ENTERPRISE.table, col)  # type: ignore[return-value]
    if frame.shape == "change":  # 'prs merged in october vs september': as named, and the change in time
        return periods_change(frame, f"sum({col})", ENTERPRISE.table, col)  # type: ignore[return-value]
    if frame.shape == "sum" and frame.group == "day":  # one row per day of the report; a missing day is absent
        sums = ", ".join(f"sum({c}) AS {c}" for c in frame.asked)
        return (f"SELECT {DAY}, {sums} FROM {ENTERPRISE.table}{where(between(w) + days)} GROUP BY 1 ORDER BY 1",
                f"{', '.join(frame.asked)} per day{on}, {w.text()}")
    if frame.shape == "sum":
        sums = ", ".join(f"sum({c}) AS {c}" for c in frame.asked)
        return (f"SELECT {sums} FROM {ENTERPRISE.table}{where(between(w) + days)}",
                f"{', '.join(frame.asked)}{on}, {w.text()}")
    if frame.shape == "median":
        said = f"GitHub's own {col} (a median of each day's merged PRs, never combined across days)"
        if w.start is not None and w.start == w.end:
            return f"SELECT {DAY}, {col} FROM {ENTERPRISE.table} WHERE {DAY} = {d(w.start)}", f"{said} on {w.start}"
        return (f"SELECT {DAY}, {col} FROM {ENTERPRISE.table}{where(between(w) + days)} ORDER BY 1",
                f"{said}, per day{on}, {w.text()}")
    if frame.shape == "share":
        part, whole = frame.asked
        return (f"SELECT sum({part}) AS {part}, sum({whole}) AS {whole}, "
                f"round(sum({part})::DOUBLE / nullif(sum({whole}), 0), 4) AS share "
                f"FROM {ENTERPRISE.table}{where(between(w))}", f"{part} as a share of {whole}, {w.text()}")
    day = w.end or as_of
    return (f"SELECT {DAY}, {col} FROM {ENTERPRISE.table} WHERE {DAY} = {d(day)}",
            f"GitHub's own {col} on {day} (a distinct count, never summed)")


# --- one person -----------------------------------------------------------------------------------
def person_sql(frame: Frame, as_of: date) -> tuple[str, str]:
    who = q(frame.subject)
    if frame.shape == "state":
        col = model.STATE_DIMENSIONS[frame.asked[0]]
        w = frame.window or default_window(as_of)
        conds = [f"lower({LOGIN}) = {who}", f"{col} IS NOT NULL"] + between(w)
        return (f"SELECT arg_max({col}, {DAY}) AS {frame.asked[0]} FROM {USER.table}{where(conds)}",
                f"{frame.subject}'s latest {model.DIMENSIONS_BY_NAME[frame.asked[0]].label} in {w.text()}")
    if frame.shape == "teams":  # the teams whose roster holds them, on the latest roster day or in the window
        w = frame.window if between(frame.window) else None
        day = between(w)[0] if w else f"{DAY} = (SELECT max({DAY}) FROM {TEAM.table})"
        return (f"SELECT DISTINCT {TEAM.key} FROM {TEAM.table} WHERE lower({LOGIN}) = {who} AND {day} ORDER BY 1",
                f"the teams {frame.subject} is on {w.text() if w else 'on the latest membership day'}, from the roster")
    if frame.asked[0] == "active_days":  # how many days, and the first or last of them, over one window
        word, w = "first" if frame.asked[1] == "min" else "last", frame.window or default_window(as_of)
        return (f"SELECT {who} AS {LOGIN}, count(DISTINCT {DAY}) AS {frame.asked[0]}, {frame.asked[1]}({DAY}) AS "
                f"{word}_active_day FROM {USER.table}{where([f'lower({LOGIN}) = {who}'] + between(w))}",
                f"the days {frame.subject} was active and the {word} of them, {w.text()}")
    if frame.asked[0] in ("min", "max"):
        word = "first" if frame.asked[0] == "min" else "last"
        w = frame.window
        days = [f"dayofweek({DAY}) {W.WEEKDAY_SETS[frame.group]}"] if frame.group else []
        return (f"SELECT {who} AS {LOGIN}, {frame.asked[0]}({DAY}) AS {word}_active_day FROM {USER.table}"
                f"{where([f'lower({LOGIN}) = {who}'] + between(w) + days)}",
                f"the {word} day {frame.subject} was active" + (f" on {frame.group}" if frame.group else "")
                + (f" within {w.text()} (empty: not active then)" if w else " in the loaded data"))
    entity = model.ENTITIES_BY_NAME[frame.asked[0].split(".")[0]]
    cols = [as_date(entity.attribute(a.split(".")[1]).column, a, frame) for a in frame.asked]
    if entity is SEAT:
        cols.insert(0, SEAT.attribute("organization").column)
    cols = list(dict.fromkeys(cols))
    return (f"SELECT {entity.key}, {', '.join(cols)} FROM {entity.table} WHERE lower({entity.key}) = {who}",
            f"{', '.join(c.split(' AS ')[-1] for c in cols)} of {frame.subject} from {entity.table}")


def as_date(col: str, attribute: str, frame: Frame) -> str:
    """A timestamp column as its day when the question asked the attribute's date ('the last activity date')."""
    if f"date:{attribute}" not in frame.notes:
        return col
    return f"{col}::DATE AS {col.removesuffix('_at')}_date"


# --- seats ----------------------------------------------------------------------------------------
def _filter_of(metric: str) -> str:
    """The FILTER condition of a seat metric, so 'never used' and 'inactive' mean what the metric means."""
    m = re.search(r"FILTER \(WHERE (.*)\)$", METRICS_BY_NAME[metric].sql)
    assert m is not None, metric
    return m[1]


SEAT_METRIC = {"never": "never_used_seats", "inactive": "inactive_seats", "absent": "seats", "active": "seat_holders"}


def _seat_share(frame: Frame, parts: list[tuple[str, bool]], said: list[str], table: str) -> tuple[str, str]:
    """Seats matching the part over the seats of the scope ('of the seats in acme-labs, the share active')."""
    n = next((int(x[5:]) for x in frame.notes if x.startswith("scope")), 0)
    scope = [p[0] for p in parts[:n] if p[0]]
    hit = " AND ".join(p[0] for p in parts[n:] if p[0]) or "TRUE"
    whole = "seats" + ("" if not n else " " + " and ".join(dict.fromkeys(said[:n])))
    part = " and ".join(dict.fromkeys(said[n:]))
    text = f"of the {whole}, the share {part}" if n else f"the share of seats {part}".rstrip()
    return (f"SELECT count(*) FILTER (WHERE {hit}) AS matching, count(*) AS seats, round(count(*) FILTER "
            f"(WHERE {hit})::DOUBLE / nullif(count(*), 0), 4) AS share FROM {table}{where(scope)}", text)


def seat_condition(c: Condition, as_of: date, share: bool = False) -> tuple[str, bool]:
    """A seat condition as SQL, and whether it needs the seat_usage view (a share of seats used is seat
    utilisation: active on or after the window's first day)."""
    if c.kind == "use":
        if c.name == "absent":  # 'never appears in the usage data': no day of usage, whatever the seat report says
            return f"{SEAT_USAGE.attribute('first_active').column} IS NULL", True
        if c.name == "never":
            return _filter_of(SEAT_METRIC["never"]), True
        w = c.window or default_window(as_of)
        if c.name == "active" and w.start is not None and (w.end is None or w.end >= as_of or share):
            # active since the window's start: seat_usage's last active day, as seat utilisation counts it
            return f"{SEAT_USAGE.attribute('last_active').column} >= {d(w.start)}", True
        if c.name == "active":  # a window in the past (or all the data): the holder's rows in the usage data then
            return f"lower({SEAT.key}) IN (SELECT lower({LOGIN}) FROM {USER.table}{where(between(w))})", False
        if c.name == "absent":  # 'never appears in the usage data': no per-user row, whatever GitHub last saw
            return f"{SEAT_USAGE.attribute('first_active').column} IS NULL", True
        start = (c.window or default_window(as_of)).start
        return "(" + _filter_of(SEAT_METRIC["inactive"]).replace(":window_start", d(start or as_of)) + ")", True
    if c.kind == "either":  # any one of several values of one attribute
        return "(" + " OR ".join(seat_condition(x, as_of)[0] for x in c.either) + ")", False
    if c.kind == "roster":  # on a team's roster (any day loaded; a named team's on its latest day), by user id
        key = SEAT_USER.on[0][0]
        team = f" AND {TEAM.key} = {q(c.value)} AND {DAY} = (SELECT max({DAY}) FROM {TEAM.table})" if c.value else ""
        inside = f"{key} IN (SELECT {UID} FROM {TEAM.table} WHERE {UID} IS NOT NULL{team})"
        return (inside if c.positive else f"NOT {inside}"), False
    col = SEAT.attribute(c.name).column
    if c.name == "cancellation":
        return f"{col} {'IS NOT' if c.positive else 'IS'} NULL", False
    if SEAT.attribute(c.name).kind == "time" and c.window is not None and c.positive:
        w = c.window
        parts = ([f"{col} >= {ts(w.start)}"] if w.start else []) + (
            [f"{col} < {ts(w.end + timedelta(days=1))}"] if w.end else [])
        return " AND ".join(parts), False
    if not c.value and not c.positive and c.window is not None and c.window.start is not None:
        return f"({col} IS NULL OR {col} < {ts(c.window.start)})", False  # 'not signed in since oct 1'
    if not c.value:
        return f"{col} {'IS NOT' if c.positive else 'IS'} NULL", False
    op = "LIKE" if c.value.endswith("%") else "="
    if c.name == "editor" and c.value.lower().rstrip("%") in model.EDITOR_PREFIXES:
        prefixes = model.EDITOR_PREFIXES[c.value.lower().rstrip("%")]
        return "(" + " OR ".join(f"lower({col}) LIKE {q(p + '%')}" for p in prefixes) + ")", False
    return f"lower({col}) {op} {q(c.value.lower())}", False


def seat_words(c: Condition, as_of: date) -> str:
    """A seat condition in words, for the interpretation line."""
    w = c.window or default_window(as_of)
    if c.kind == "either":
        return " or ".join(seat_words(x, as_of) for x in c.either)
    if c.kind == "use":
        return {"never": "never used (no activity in the data and none seen by GitHub)",
                "absent": "whose holder never appears in the usage data",
                "inactive": f"whose holder was not active since {w.start or as_of}",
                "active": f"whose holder was active in {w.text()}"}[c.name]
    if c.kind == "roster":
        return f"whose holder is {'' if c.positive else 'not '}on " + (
            f"the {c.value} team (its latest roster)" if c.value else "any team's roster")
    label = SEAT.attribute(c.name).label
    if c.value:
        return f"with {label} {c.value.rstrip('%')}" + (" (prefix)" if c.value.endswith("%") else "")
    if c.window is not None and c.positive:
        x = c.window
        span = f"from {x.start} to {x.end}" if x.start and x.end else f"before {x.end + timedelta(days=1)}" \
            if x.end else f"since {x.start}"
        return f"{label.removesuffix(' at')} {span}" if c.name == "assigned" else f"with {label} {span}"
    if c.window is not None and c.window.start is not None:
        return f"with no {label} since {c.window.start}"
    return f"with {'a' if c.positive else 'no'} {label}"


# the seat activity report's latest row per login, and the surface it last saw ('JetBrains IntelliJ IDEA 2025.3.1')
SURFACES = model.SEAT_SURFACES
SURFACE = SEAT_ACTIVITY.attribute("surface").column


def _surface_sql(frame: Frame) -> tuple[str, str]:
    """Seat holders whose last surface in the seat activity report is an IDE: its name, read without spaces and case
    ('VS Code 1.127.0' is vscode), begins with the IDE's value."""
    value = frame.conditions[0].value
    hit = f"replace(lower({SURFACE}), ' ', '') LIKE {q(value.lower())}"
    text = f"seat holders whose last surface in the seat activity report ({SURFACES}) is {value.rstrip('%')}"
    if frame.shape == "count":
        return f"SELECT count(DISTINCT lower({SEAT.key})) AS seat_holders FROM {SURFACES} WHERE {hit}", text
    return f"SELECT {SEAT.key}, {SURFACE} FROM {SURFACES} WHERE {hit} ORDER BY {SEAT.key}", text


# the columns naming one seat in both seats and seat_usage
SEAT_ROW = (SEAT.key, SEAT.attribute("organization").column)


def seat_columns(frame: Frame) -> set[str]:
    """The seats columns a seat frame reads: its conditions' attributes, those asked, its grouping and sort."""
    names = [c.name for c in frame.conditions if c.kind == "seat"] + list(frame.asked) + [
        x.name for c in frame.conditions if c.kind == "either" for x in c.either if x.kind == "seat"]
    names += [a for a, g in SEAT_GROUPS.items() if g == frame.group] + (["assigned"] if frame.order else [])
    return {SEAT.attribute(n).column for n in names} | set(SEAT_ROW)


def seat_relation(frame: Frame, parts: list[tuple[str, bool]]) -> tuple[str, list[tuple[str, bool]]]:
    """The relation a seat frame is read from, and its conditions (in order): seat_usage when a condition needs the
    seat's activity and seat_usage holds every column read; else seats, the activity conditions asked of seat_usage
    by the seat's login and organization (so no attribute is ever read from a relation lacking it)."""
    if not any(needs for _, needs in parts):
        return SEAT.table, parts
    if not any(model.lacks_column(SEAT_USAGE.table, col) for col in seat_columns(frame)):
        return SEAT_USAGE.table, parts
    row = ", ".join(SEAT_ROW)
    return SEAT.table, [(f"({row}) IN (SELECT {row} FROM {SEAT_USAGE.table} WHERE {c})" if needs and c else c, needs)
                        for c, needs in parts]


SEAT_ATTRIBUTE_OF = {"plan": "plan", "organization": "organization", "team": "assigning_team"}  # group -> attribute


def seat_sql(frame: Frame, as_of: date) -> tuple[str, str]:
    if frame.conditions and all(c.kind == "surface" and c.name == "surface" for c in frame.conditions):
        return _surface_sql(frame)
    if frame.shape == "every_org":
        return _in_every_org(frame)
    if frame.shape in ("several", "group_inactive"):
        return _seat_summary(frame, as_of)
    if frame.shape == "holders":
        return f"SELECT {METRICS_BY_NAME['seat_holders'].sql} AS seat_holders FROM {SEAT.table}", \
            "people holding a seat (one per login, whatever the number of organizations)"
    if frame.shape == "utilisation":
        w = frame.window or default_window(as_of)
        sql = METRICS_BY_NAME["seat_utilisation"].sql.replace(":window_start", d(w.start or as_of))
        return f"SELECT {sql} AS seat_utilisation FROM {SEAT_USAGE.table}", f"seats active in {w.text()}"
    table, parts = seat_relation(frame, [seat_condition(c, as_of, frame.shape == "share") for c in frame.conditions])
    conds = [c for c, _ in parts if c]
    said = [seat_words(c, as_of) for c in frame.conditions]
    text = "seats" + ("" if not said else " " + " and ".join(dict.fromkeys(said)))
    if frame.shape == "count":
        alias = next((m for c in frame.conditions if c.kind == "use" for m in (SEAT_METRIC[c.name],)), "seats")
        if alias in ("seats", "seat_holders") and "holders" in frame.notes:  # people, once each whatever their seats
            alias = "seat_holders"
            return f"SELECT {METRICS_BY_NAME[alias].sql} AS {alias} FROM {table}{where(conds)}", text
        return f"SELECT count(*) AS {alias.replace('seat_holders', 'seats')} FROM {table}{where(conds)}", text
    if frame.shape == "per_date":  # 'how many seats are pending cancellation, and on which date': seats per date
        col = SEAT.attribute(frame.group).column
        conds = list(dict.fromkeys(conds + [f"{col} IS NOT NULL"]))
        day = f"{col}::DATE AS {col.removesuffix('_at')}_date" if SEAT.attribute(frame.group).kind == "time" else col
        return (f"SELECT {day}, count(*) AS seats FROM {table}{where(conds)} GROUP BY 1 "
                "ORDER BY 1", f"{text}, per {SEAT.attribute(frame.group).label.removesuffix(' at')} day")
    if frame.shape == "share":
        return _seat_share(frame, parts, said, table)
    if frame.shape == "group" and "|" in frame.group:  # 'seats by org and plan': every pair of values
        cols = [SEAT.attribute(SEAT_ATTRIBUTE_OF[g]).column for g in frame.group.split("|")]
        labels = " and ".join(next(a.label for a in SEAT.attributes if a.column == c) for c in cols)
        return (f"SELECT {', '.join(cols)}, count(*) AS seats FROM {table}{where(conds)} GROUP BY ALL ORDER BY "
                f"{', '.join(str(i + 1) for i in range(len(cols)))}", f"{text} per {labels}")
    if frame.shape == "group":
        col = {"plan": SEAT.attribute("plan").column, "organization": SEAT.attribute("organization").column,
               "team": SEAT.attribute("assigning_team").column}[frame.group]
        hit = " AND ".join(conds) or "TRUE"
        granted = frame.group == "team" and "granted" in frame.notes
        if frame.order or granted:  # 'granted by each team', a ranking: a seat no team assigned is in no team
            conds.append(f"{col} IS NOT NULL")
        order, limit = (frame.order or "desc").upper(), f" LIMIT {frame.limit}" if frame.limit else ""
        label = next(a.label for a in SEAT.attributes if a.column == col)
        ranked = "" if not frame.order else f", {'most' if order == 'DESC' else 'fewest'} first" + (
            f", top {frame.limit}" if frame.limit else "")
        left_out = "; seats no team assigned are left out" if frame.group == "team" and (frame.order or granted) \
            else ""
        if "part" in frame.notes:  # every seat of each group, beside those the conditions hold for
            conds = [c for c in conds if c == f"{col} IS NOT NULL"]
            return (f"SELECT {col}, count(*) AS seats, count(*) FILTER (WHERE {hit}) AS matching FROM {table}"
                    f"{where(conds)} GROUP BY 1 ORDER BY 2 {order}, 1{limit}",
                    f"seats per {label}, beside the {text} in each{left_out}")
        return (f"SELECT {col}, count(*) AS seats FROM {table}{where(conds)} GROUP BY 1 ORDER BY 2 {order}, 1{limit}",
                f"{text} per {label}{ranked}{left_out}")
    cols = [SEAT.key, SEAT.attribute("organization").column]
    cols += [as_date(SEAT.attribute(a).column, f"seat.{a}", frame) for a in frame.asked
             if SEAT.attribute(a).column not in cols]
    order, limit = f" ORDER BY {SEAT.key}, {cols[1]}", ""
    if frame.order:
        created = SEAT.attribute("assigned").column
        cols.append(created) if created not in cols else None
        order = f" ORDER BY {created} {frame.order.upper()}, {SEAT.key}"
        limit = "" if frame.limit < 0 else f" LIMIT {frame.limit or 1}"  # -1: every seat, in that order
        text += f", by assignment date, {'oldest' if frame.order == 'asc' else 'newest'} first"
    return f"SELECT {', '.join(cols)} FROM {table}{where(conds)}{order}{limit}", text


def _count_or_list(frame: Frame, inner: str, noun: str, text: str) -> tuple[str, str]:
    """The people `inner` selects, counted when the question asked how many, else listed by name."""
    if "count" in frame.notes:
        return f"SELECT count(*) AS {noun} FROM ({inner})", text
    return f"{inner} ORDER BY 1", text


def _in_every_org(frame: Frame) -> tuple[str, str]:
    """Logins holding a seat in each of the organizations named ('seat holders in both acme-eng and acme-labs')."""
    col = SEAT.attribute("organization").column
    orgs = [c.value for c in frame.conditions]
    inner = (f"SELECT {SEAT.key} FROM {SEAT.table} WHERE lower({col}) IN ({', '.join(q(o.lower()) for o in orgs)}) "
             f"GROUP BY 1 HAVING count(DISTINCT lower({col})) = {len(orgs)}")
    return _count_or_list(frame, inner, "seat_holders", f"people holding a seat in each of {', '.join(orgs)}")


def _seat_summary(frame: Frame, as_of: date) -> tuple[str, str]:
    """Logins holding several seats, or seats per group beside how many of them are inactive."""
    if frame.shape == "several":
        n = int(frame.asked[0])
        return (f"SELECT {SEAT.key}, count(*) AS seats FROM {SEAT.table} GROUP BY 1 HAVING count(*) >= {n} ORDER BY 1",
                f"logins holding {n} or more seats")
    col = {"plan": SEAT.attribute("plan").column, "organization": SEAT.attribute("organization").column,
           "team": SEAT.attribute("assigning_team").column}[frame.group]
    inactive, _ = seat_condition(Condition("use", "inactive", positive=False), as_of)
    if col not in {c.name for c in catalog.BY_NAME[SEAT_USAGE.table].columns}:
        return (f"SELECT s.{col}, count(*) AS seats, count(*) FILTER (WHERE {inactive}) AS inactive_seats FROM "
                f"{SEAT.table} s JOIN {SEAT_USAGE.table} USING ({SEAT.key}, {SEAT.attribute('organization').column}) "
                "GROUP BY 1 ORDER BY 2 DESC, 1", f"seats per {frame.group}, and those inactive in the default window")
    return (f"SELECT {col}, count(*) AS seats, count(*) FILTER (WHERE {inactive}) AS inactive_seats FROM "
            f"{SEAT_USAGE.table} GROUP BY 1 ORDER BY 2 DESC, 1",
            f"seats per {frame.group}, and those inactive in {default_window(as_of).text()}")


# --- teams ----------------------------------------------------------------------------------------
def team_sql(frame: Frame, as_of: date) -> tuple[str, str]:
    latest = f"(SELECT max({DAY}) FROM {TEAM.table})"
    if frame.entity == "member":
        return (f"SELECT min({DAY}) AS earliest FROM {TEAM.table} WHERE lower({LOGIN}) = {q(frame.group)} AND "
                f"{TEAM.key} = {q(frame.subject)}", f"the first day {frame.group} appears on {frame.subject}")
    if frame.asked == ("last_active",):
        return _last_active_members(frame, latest)
    if frame.asked == ("active_days",):
        return _members_active_days(frame, frame.window or default_window(as_of))
    # 'right now' is the latest membership day; otherwise the named window, else the default one
    window = frame.window or (None if "now" in frame.notes else default_window(as_of))
    if frame.shape == "several":
        return _several_teams(frame, latest, window)
    day = f"{DAY} = {latest}" if window is None else between(window)[0]
    label = "on the latest membership day" if window is None else window.text()
    if frame.shape == "count":
        return (f"SELECT count(DISTINCT {UID}) AS members FROM {TEAM.table} WHERE {TEAM.key} = {q(frame.subject)} "
                f"AND {day}", f"members of {frame.subject} {label}, from the team roster")
    if frame.shape == "members":
        return (f"SELECT DISTINCT {LOGIN} FROM {TEAM.table} WHERE {TEAM.key} = {q(frame.subject)} AND {day} "
                f"ORDER BY 1", f"members of {frame.subject} {label}, from the team roster (whether or not they used "
                "Copilot)")
    order = "ASC" if frame.order == "asc" else "DESC"
    limit = f" LIMIT {frame.limit}" if frame.limit else ""
    return (f"SELECT {TEAM.key}, count(DISTINCT {UID}) AS members FROM {TEAM.table} WHERE {day} GROUP BY 1 "
            f"ORDER BY 2 {order}, 1{limit}", f"team sizes {label}, from the team roster" + (
                f", {'largest' if order == 'DESC' else 'smallest'} first" if frame.order else ""))


def _several_teams(frame: Frame, latest: str, window: Window | None) -> tuple[str, str]:
    """People on N or more teams over the window's rosters (every team they were on in it, the default window when
    none is named), or on the latest roster day when asked 'right now'."""
    n = int(frame.asked[0])
    day = between(window)[0] if between(window) else f"{DAY} = {latest}"
    label = f"in {window.text()} (every team they were on in it)" if window is not None and between(window) else \
        "on the latest membership day"
    inner = (f"SELECT {LOGIN}, count(DISTINCT {TEAM.key}) AS teams FROM {TEAM.table} WHERE {day} GROUP BY 1 "
             f"HAVING count(DISTINCT {TEAM.key}) >= {n}")
    return _count_or_list(frame, inner, "users", f"people on {n} or more teams {label}, from the team roster")


def _members_active_days(frame: Frame, w: Window) -> tuple[str, str]:
    """Each member of the team in the window, with the days they were active while on it (0: not active)."""
    return (f"SELECT m.{LOGIN}, count(DISTINCT u.{DAY}) AS days_active FROM {TEAM.table} m LEFT JOIN {USER.table} u "
            f"ON {TEAM_JOIN.condition('m', 'u')} WHERE m.{TEAM.key} = {q(frame.subject)} AND "
            f"{between(w, f'm.{DAY}')[0]} GROUP BY 1 ORDER BY 2 DESC, 1",
            f"members of {frame.subject} in {w.text()}, from the team roster, and the days each was active while on "
            "it (0: not active)")


def _last_active_members(frame: Frame, latest: str) -> tuple[str, str]:
    """The team's members (on the latest membership day, or in the named window) and each one's last active day."""
    w = frame.window if between(frame.window) else None
    day, used = f"m.{DAY} = {latest}", ""
    if w is not None:
        day, used = between(w, f"m.{DAY}")[0], f" AND {between(w, f'u.{DAY}')[0]}"
    label = "on the latest membership day" if w is None else w.text()
    return (f"SELECT m.{LOGIN}, max(u.{DAY}) AS latest_active_day FROM {TEAM.table} m LEFT JOIN {USER.table} u "
            f"ON u.{UID} = m.{UID}{used} WHERE m.{TEAM.key} = {q(frame.subject)} AND {day} GROUP BY 1 ORDER BY 1",
            f"members of {frame.subject} {label}, from the team roster, and the last day each was active "
            f"{'in the loaded data' if w is None else 'in ' + w.text()} (empty: not active)")


# --- users under conditions -----------------------------------------------------------------------
def user_condition(c: Condition, by_feature: bool = False) -> tuple[str, str] | None:
    """(table, condition) for one user condition; by_feature reads flags from the feature table when they can."""
    if c.kind == "use":
        return USER.table, "TRUE"
    if c.kind == "measure":
        return USER.table, f"{model.SUM_COLUMN[c.name]} > 0"
    if c.kind == "measure_in":  # some of the measure in one breakdown value, from the table holding both
        dim, value = c.value.split("=", 1)
        d = model.DIMENSIONS_BY_NAME[dim]
        return d.table, f"{d.column} = {q(value)} AND {model.SUM_COLUMN[c.name]} > 0"
    if c.kind == "holder":
        return USER.table, f"lower({LOGIN}) IN (SELECT lower({SEAT.key}) FROM {SEAT.table})"
    if c.kind == "flag":
        flag = model.FLAGS_BY_NAME[c.name]
        if flag.name in model.FEATURE_FLAGS or (by_feature and flag.feature_condition):
            return FEATURE.table, str(flag.feature_condition)
        return USER.table, flag.condition
    if c.kind == "not_feature":
        return FEATURE.table, f"NOT ({model.FLAGS_BY_NAME[c.name].feature_condition})"
    if c.kind == "rows":  # any row of a breakdown's table
        return model.DIMENSIONS_BY_NAME[c.name].table, "TRUE"
    dim = model.DIMENSIONS_BY_NAME[c.name]
    op = "LIKE" if c.value.endswith("%") else "="
    return dim.table, f"{dim.column} {op} {q(c.value)}"


def _user_set(c: Condition, window: Window | None, team: str, by_feature: bool) -> str | None:
    if c.kind == "either":  # any one of them: the union of their sets
        parts = [_user_set(Condition(x.kind, x.name, x.value, True, c.window), window, team, by_feature)
                 for x in c.either]
        if any(p is None for p in parts):
            return None
        return f"SELECT DISTINCT {LOGIN} FROM (" + " UNION ".join(f"({p})" for p in parts) + ")"
    if c.kind == "holder":  # holding a seat: the seat list itself, whether or not they were active
        return f"SELECT DISTINCT {SEAT.key} FROM {SEAT.table}"
    got = user_condition(c, by_feature)
    if got is None:
        return None
    table, cond = got
    w = c.window or window
    conds = [] if cond == "TRUE" else [cond]
    if not c.positive and c.kind == "flag" and table == USER.table:
        # 'never used the cli': a user whose flag is unknown (NULL) on every day is not known never to have used it,
        # so both those who used it and those never known either way are taken out (bool_or is NULL for them)
        return f"SELECT {LOGIN} FROM {table}{where(between(w))} GROUP BY 1 HAVING bool_or({cond}) IS NOT FALSE"
    join = ""
    if team and c.positive:
        join = f" u JOIN {TEAM.table} m ON {TEAM_JOIN.condition('m', 'u')} AND m.{TEAM.key} = {q(team)}"
        return (f"SELECT DISTINCT u.{LOGIN} FROM {table}{join}"
                f"{where(conds + [f'u.{x}' for x in between(w)])}")
    return f"SELECT DISTINCT {LOGIN} FROM {table}{where(conds + between(w))}"


def side_by_side(built: list[tuple[str, str]]) -> tuple[str, str]:
    """Two figures (counts of people, or a count and a total) side by side, one row: each its own query."""
    (a, a_text), (b, b_text) = built
    return f"SELECT ({a}) AS first_count, ({b}) AS second_count", f"first: {a_text}; second: {b_text}"


def user_sql(frame: Frame, as_of: date) -> tuple[str, str] | None:
    window = frame.window
    alltime = window is not None and window.start is None and window.end is None
    if window is None and not any(c.window for c in frame.conditions):
        window = default_window(as_of)
    if alltime:
        window = None
    if [c.kind for c in frame.conditions] == ["only"]:
        return _exclusive_sql(frame, window)
    if frame.entity == "seat_holder":
        conds = [Condition("use", "never" if window is None else "inactive", positive=False, window=window)]
        sql, text = seat_sql(Frame("seat", frame.shape, tuple(conds), window), as_of)
        return sql, "seat holders " + text.removeprefix("seats ")
    if frame.shape == "adoption":
        return _team_adoption(frame, window if window is not None or alltime else default_window(as_of))
    pos: list[str] = []
    neg: list[str] = []
    by_feature = any(c.kind == "flag" and c.name in model.FEATURE_FLAGS for c in frame.conditions)
    for c in frame.conditions:
        s = _user_set(c, window, frame.subject, by_feature)
        if s is None:
            return None
        side = pos if c.positive else neg
        if s not in side:
            side.append(s)
    if frame.entity == "member":
        roster = f"SELECT DISTINCT {LOGIN} FROM {TEAM.table} WHERE {TEAM.key} = {q(frame.subject)}"
        days = between(window) or [f"{DAY} = (SELECT max({DAY}) FROM {TEAM.table})"]  # all time: today's members
        pos.insert(0, roster + "".join(f" AND {x}" for x in days))
    if not pos:
        return None
    body = " INTERSECT ".join(f"({s})" for s in pos) + "".join(f" EXCEPT ({s})" for s in neg)
    text = _describe(frame, window)
    # a count of people who did not do something is no count of active users
    alias = ACTIVE if not neg else ("members" if frame.entity == "member" else "users")
    if frame.shape == "count":
        return f"SELECT count(*) AS {alias} FROM ({body})", text
    if frame.shape == "count_list":  # the people, each row carrying how many there are
        return f"SELECT {LOGIN}, count(*) OVER () AS {alias} FROM ({body}) ORDER BY 1", text + ", and how many"
    if frame.shape == "share":
        base, whole = f"({pos[0]})", ACTIVE if frame.entity != "member" else "members"
        if "active_base" in frame.notes:  # the team's members who were active in the window, not its whole roster
            active = _user_set(Condition("use", "any"), window, frame.subject, False)
            base, whole = f"(({pos[0]}) INTERSECT ({active}))", "active_members"
            text += "; out of the members who were active"
        return (f"SELECT n AS users, t AS {whole}, round(n::DOUBLE / nullif(t, 0), 4) AS share FROM (SELECT "
                f"(SELECT count(*) FROM ({body})) AS n, (SELECT count(*) FROM {base}) AS t)", text)
    return f"SELECT {LOGIN} FROM ({body}) ORDER BY 1", text


def _team_adoption(frame: Frame, window: Window | None) -> tuple[str, str] | None:
    """The share of a team's members (its roster in the window) who used Copilot, or a flag, on a day on the team;
    or, negated, the share who did not."""
    c = frame.conditions[0]
    flag = model.FLAGS_BY_NAME[c.name] if c.kind == "flag" else None
    if flag is not None and (not flag.condition or flag.name in model.FEATURE_FLAGS):
        return None  # a surface the per-user day table does not flag
    on = TEAM_JOIN.condition("m", "u") + (f" AND {flag.condition}" if flag else "")
    rate = METRICS_BY_NAME["team_adoption_rate"]
    active = f"count(DISTINCT m.{UID}) FILTER (WHERE u.{UID} IS NOT NULL)"
    days = "".join(f" AND {x}" for x in between(window, f"m.{DAY}"))
    base = f"FROM {TEAM.table} m LEFT JOIN {USER.table} u ON {on} WHERE m.{TEAM.key} = {q(frame.subject)}{days}"
    what = f"used {flag.label}" if flag else "used Copilot"
    span = window.text() if window is not None else "every day loaded"
    who = f"{what} on a day they were on it" if c.positive else f"never {what} on a day they were on it"
    text = f"the share of the {frame.subject} team's members ({span}, from the team roster, so members who never " \
        f"used Copilot count) who {who}"
    if not c.positive:
        return (f"SELECT {q(frame.subject)} AS team, members - active AS inactive_members, members, "
                f"round((members - active)::DOUBLE / "
                f"nullif(members, 0), 4) AS share FROM (SELECT {active} AS active, count(DISTINCT m.{UID}) AS members "
                f"{base})", text)
    return (f"SELECT {q(frame.subject)} AS team, {active} AS active_members, count(DISTINCT m.{UID}) AS members, "
            f"{rate.sql} AS {rate.name} {base}", text)
def _exclusive_sql(frame: Frame, window: Window | None) -> tuple[str, str]:
    """Users all of whose feature rows in the window are one feature's: 'only completions, nothing else'."""
    flag = model.FLAGS_BY_NAME[frame.conditions[0].name]
    body = (f"SELECT {LOGIN} FROM {FEATURE.table}{where(between(window))} GROUP BY 1 "
            f"HAVING bool_and({flag.feature_condition})")
    text = (f"users who used only {flag.label} (every feature row is {flag.label}: no other feature), "
            f"{window.text() if window else 'in all the loaded data'}")
    if frame.shape == "count":
        return f"SELECT count(*) AS users FROM ({body})", text
    return body + " ORDER BY 1", text


def _either(c: Condition) -> str:
    return f"used {model.FLAGS_BY_NAME[c.name].label}" if c.kind == "flag" else f"{c.name} {c.value}"


def _from_flags(c: Condition, frame: Frame) -> bool:
    """Whether a flag condition is read from the per-user flags (which can be unknown) and not from feature rows."""
    flag = model.FLAGS_BY_NAME[c.name]
    by_feature = any(x.kind == "flag" and x.name in model.FEATURE_FLAGS for x in frame.conditions)
    return flag.name not in model.FEATURE_FLAGS and not (by_feature and flag.feature_condition)


def _used_value(c: Condition) -> str:
    """'used the IDE vscode', 'used the language python' (a negated one reads 'did not use ...')."""
    dim = model.DIMENSIONS_BY_NAME.get(c.name)
    return f"used the {dim.label} {c.value}" if dim else f"{c.name} {c.value}"


def _describe(frame: Frame, window: Window | None) -> str:
    parts = []
    for c in frame.conditions:
        what = {"use": "used Copilot", "not_feature": f"used something other than {c.name}",
                "measure": f"used Copilot with some {c.name.replace('_', ' ')}",
                "measure_in": f"used Copilot with some {c.name.replace('_', ' ')} in {c.value.split('=')[-1]}",
                "holder": "used Copilot holding a seat",
                "either": " or ".join(_either(x) for x in c.either)}.get(
            c.kind, f"used {model.FLAGS_BY_NAME[c.name].label}" if c.kind == "flag" else _used_value(c))
        when = (c.window or window).text() if (c.window or window) else "in all the loaded data"
        if c.kind == "rows":
            table = model.DIMENSIONS_BY_NAME[c.name].table
            what = f"had {'' if c.positive else 'no '}activity broken down by {c.name} (rows of {table})"
        parts.append((what if c.positive or c.kind == "rows" else what.replace("used ", "did not use ", 1)) +
                     f" ({when})")
        if not c.positive and c.kind == "flag" and _from_flags(c, frame):
            parts[-1] += " (a user whose flag is unknown on every day, e.g. an export without it, is left out)"
    who = f"members of {frame.subject}" if frame.subject else "users"
    if frame.entity == "member" and window is None:
        who += " (on the latest roster day)"
    return f"{who} who " + ", and ".join(dict.fromkeys(parts))


# --- a measure per day, or in two windows ---------------------------------------------------------
def daily_sql(frame: Frame, as_of: date, aggregate: bool = False) -> tuple[str, str]:
    conds = between(frame.window)
    days = weekday_set(frame.subject) if frame.subject else None  # 'weekends', 'mondays'
    if frame.subject and days is None:
        return None  # type: ignore[return-value]
    if days:
        conds.append(f"dayofweek({DAY}) {days}")
    label = frame.window.text() if frame.window else ""
    only = f", {frame.subject} only" if days else ""
    if aggregate:
        col = AGGREGATE_SPANS[1]
        return (f"SELECT {DAY}, {col} FROM {ENTERPRISE.table}{where(conds)} ORDER BY 1",
                f"GitHub's own {col} per day, {label}{only} (only the aggregate report is loaded)")
    return (f"SELECT {DAY}, count(DISTINCT {UID}) AS {ACTIVE} FROM {USER.table}{where(conds)} GROUP BY 1 "
            f"ORDER BY 1", f"distinct active users per day, {label}{only}")


def _period(w: Window) -> str:
    """A period's name in an answer: the day itself for a one-day window, else its label without an article."""
    return w.start.isoformat() if w.start is not None and w.start == w.end else w.label.removeprefix("the ")


def change_sql(frame: Frame) -> tuple[str, str] | None:
    metric = METRICS_BY_NAME.get(frame.asked[0]) or model.READER_MEASURES_BY_NAME[frame.asked[0]]
    if ":window_start" in metric.sql:
        return None
    if frame.shape == "difference":
        return _periods_difference(frame, metric.sql, metric.table, metric.label)
    return periods_change(frame, metric.sql, metric.table, metric.label)


def periods_change(frame: Frame, expr: str, table: str, label: str) -> tuple[str, str] | None:
    """A measure in two periods, in the frame's order (earlier first, or as named for 'X vs Y'), and the change from
    the earlier to the later."""
    named = [c.window for c in frame.conditions]
    if None in named or any(w.start is None for w in named):  # type: ignore[union-attr]
        return None
    first, second = sorted(named, key=lambda w: w.start)  # type: ignore[arg-type,return-value,union-attr]
    if not (first.end and second.start) or first.end >= second.start:
        return None  # the windows overlap: no honest comparison
    parts = [f"SELECT {i} AS n, {int(w is second)} AS t, {q(_period(w))} AS period, {expr} AS value FROM {table}"
             f"{where(between(w))}" for i, w in enumerate(named)]  # type: ignore[arg-type]
    body = " UNION ALL ".join(parts)
    said = "" if named[0] is first else ", in the order asked"
    return (f"SELECT period, value, round(value - lag(value) OVER (ORDER BY t), 4) AS change FROM ({body}) ORDER BY n",
            f"{label} in {named[0].text()} and in {named[1].text()}{said}, and the change from the earlier to the "  # type: ignore[union-attr]
            "later")


def _periods_difference(frame: Frame, expr: str, table: str, label: str) -> tuple[str, str] | None:
    """A measure in two periods, in the order named, and the first minus the second (the second minus the first
    for 'fewer'), in one row."""
    a, b = (c.window for c in frame.conditions)
    if a is None or b is None or None in (a.start, a.end, b.start, b.end) or not (a.end < b.start or b.end < a.start):
        return None  # an open or overlapping period: no honest comparison
    parts = [f"(SELECT {expr} FROM {table}{where(between(w))})" for w in (a, b)]
    names = [_period(w).replace('"', '""') for w in (a, b)]
    first, second, word = ("b", "a", "fewer") if frame.order == "fewer" else ("a", "b", "more")
    said = f"how many {word} in the first"
    if frame.order == "later":  # the change from the earlier period to the later, whichever was named first
        first, second = ("b", "a") if a.start < b.start else ("a", "b")  # type: ignore[operator]
        said = "the difference from the earlier to the later"
    return (f'SELECT a AS "{names[0]}", b AS "{names[1]}", round({first} - {second}, 4) AS difference FROM '
            f"(SELECT {parts[0]} AS a, {parts[1]} AS b)",
            f"{label} in {a.text()} and in {b.text()}, and {said}")


# --- when only GitHub's aggregate reports are loaded ----------------------------------------------
AGGREGATE_SPANS = {days: figure for figure, days in model.USER_FIGURE_DAYS.items()}


def aggregate_users_sql(frame: Frame, as_of: date) -> tuple[str, str] | None:
    """Active users from entity_daily's own distinct counts, when the window is one day, 7 days or 28 days."""
    if frame.shape != "count" or [c.kind for c in frame.conditions] != ["use"] or not frame.conditions[0].positive:
        return None
    w = frame.window or default_window(as_of)
    if w.start is None or w.end is None:
        return None
    col = AGGREGATE_SPANS.get((w.end - w.start).days + 1)
    if col is None:
        return None
    return (f"SELECT {col} FROM {ENTERPRISE.table} WHERE {DAY} = {d(w.end)}",
            f"GitHub's own {col} on {w.end} (only the aggregate report is loaded; it covers {w.text()})")
