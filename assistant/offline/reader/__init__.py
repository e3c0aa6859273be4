"""The compositional reader: typed tokens -> a frame -> SQL, over the semantic model.

It answers what it can fully place (every content word mapped, Precise's rule) and returns None otherwise,
so the caller can try the older phrase reader; write requests and per-repository questions it refuses.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from assistant.contracts import Context, Translation
from assistant.errors import CannotAnswer
from assistant.offline.reader import clauses, measure_sql, nets, sql, standing
from assistant.offline.reader.frame import AND_WHO, Frame, refusal, shape_of
from assistant.offline.reader.measure import compose
from assistant.offline.reader.tokens import NUMERAL, Reading, corrected, days_of_window, normalise, read
from assistant.offline.reader.tokens import without_appositions as without_appositions
from assistant.offline.reader.preamble import without_preamble as without_preamble
from assistant.offline.reader.spans import spans_as_windows as spans_as_windows
from assistant.offline.reader.tokens import without_each_restated as without_each_restated
from assistant.offline.reader.tokens import without_order_clause as without_order_clause
from assistant.offline.reader.tokens import without_share_parts as without_share_parts
from assistant.semantic import model

BACKEND = "offline"


def translate(question: str, ctx: Context) -> Translation | None:
    """The reader's SQL for a question it can place, None when it cannot; raises CannotAnswer for a refusal."""
    assert ctx.as_of is not None
    both = _count_and_part(question, ctx) if _AND_OF_THEM.search(question) else None
    if both is not None:
        return both
    reading = read(question, ctx.as_of, ctx.values, ctx.logins)
    if standing.standing_words(reading) and (reading.has("value") or reading.has("login")):
        return _standing(reading, ctx)
    whole = _from_reading(reading, ctx)
    return whole if whole is not None else _two_questions(question, ctx)


def _two_questions(question: str, ctx: Context) -> Translation | None:
    """'how many PRs did copilot review in august, and how many of those were merged': each clause read alone (the
    second with the first's window when it names none), the answers side by side (see clauses.py); None when the
    sentence is not two questions the reader can each answer."""
    assert ctx.as_of is not None
    parts = clauses.split(question)
    if parts is None:
        return None
    readings = [read(q, ctx.as_of, ctx.values, ctx.logins) for q in parts]
    if any(r.unknown for r in readings):
        return None
    if readings[0].windows and not readings[1].windows:
        readings[1] = replace(readings[1], windows=readings[0].windows)
    elif readings[1].windows and not readings[0].windows:
        readings[0] = replace(readings[0], windows=readings[1].windows)
    frames = [compose(r) for r in readings]
    if any(f is None for f in frames) or frames[0].group != frames[1].group:  # type: ignore[union-attr]
        return None
    kinds = {_figure_kind(r, f) for r, f in zip(readings, frames)}  # type: ignore[arg-type]
    if len(kinds) != 1 or None in kinds:
        return None  # a list, a ranking or a roster beside another answer is no pair of figures  # 'which people got a seat, and when was each first active': a list, not two figures
    try:
        answers = [_from_reading(r, ctx, f) for r, f in zip(readings, frames)]
    except CannotAnswer:
        return None
    if answers[0] is None or answers[1] is None:
        return None
    group = ""
    if frames[0].group:  # type: ignore[union-attr]
        names = {clauses.first_column(a.sql) for a in answers}  # type: ignore[union-attr]
        if len(names) != 1 or None in names:
            return None
        group = names.pop()  # type: ignore[assignment]
    text = clauses.side_by_side(answers[0].sql, answers[1].sql, group)  # type: ignore[union-attr]
    return Translation(text, backend=BACKEND, interpretation=f"{answers[0].interpretation}; and "  # type: ignore
                       f"{answers[1].interpretation}")


def _standing(reading: Reading, ctx: Context) -> Translation:
    """'what rank is mobile-apps by prompts': the value's rank among its dimension's values (see standing.py)."""
    rest = standing.without_standing(reading)
    refused = refusal(rest)
    if refused is not None:
        raise refused
    frame = standing.ranked_frame(rest, compose(rest))
    built = build(frame, ctx)
    value = next(c.value for c in compose(rest).conditions if c.kind in ("value", "login"))  # type: ignore[union-attr]
    if built is None or rest.unknown:
        raise CannotAnswer(standing.UNPLACED, hint="Ask for the whole ranking instead.")
    text = standing.filtered_back(built[0], value)
    if lost(rest, text) or nets.check(rest, text):
        raise CannotAnswer(standing.UNPLACED, hint="Ask for the whole ranking instead.")
    notes = list(rest.notes) + gaps(frame, ctx)
    return Translation(text, backend=BACKEND, interpretation="; ".join([f"the rank of {value}: {built[1]}"] + notes))


def _from_reading(reading: Reading, ctx: Context, frame: Frame | None = None) -> Translation | None:
    """The SQL for a reading (and its frame, when composed already), None when no rule places it."""
    assert ctx.as_of is not None
    refused = refusal(reading)
    if refused is not None:
        raise refused
    frame = frame or compose(reading)
    if frame is not None and _one_negation_split(reading, frame):
        raise CannotAnswer(SCOPED_NONE, hint="Ask who used it, and how many they accepted there, one at a time.")
    tables = ctx.coverage.tables
    if not tables.get(sql.USER.table) and tables.get(sql.ENTERPRISE.table):
        return _from_aggregates(frame, ctx)
    if not tables.get(sql.USER.table) and tables.get(LEGACY_DAILY):
        return _from_legacy(frame, ctx)
    if frame is None:
        return None
    _unloaded_period(frame, ctx)
    built = build(frame, ctx)
    if built is None:
        return None
    text, interpretation = built
    if lost(reading, text) or unlisted(reading, text) or nets.check(reading, text) or _lost_digit(reading, text):
        return None
    notes = list(reading.notes) + gaps(frame, ctx)
    return Translation(text, backend=BACKEND, interpretation="; ".join([interpretation] + notes))


# 'how many people were on mobile-apps, and how many of them were active': a count and the part of it
_AND_OF_THEM = re.compile(r"[,;]?\s+and how many of (?:them|those|these)(?: people| users| seats| members)?\b", re.I)


_COUNTED_WHOLES = frozenset({"user", "member", "seat", "seat_holder", "team"})
_SEATS = frozenset({"seat", "seat_holder"})
PART_UNPLACED = "I can count the whole, but not which of them the second part asks for, and I won't answer half."


def _count_and_part(question: str, ctx: Context) -> Translation | None:
    """Two counts side by side: the people (or seats) first asked about, and how many of them meet what follows;
    None when either part is no count of people or seats (the other rules read those: totals, PRs, groups)."""
    assert ctx.as_of is not None
    m = _AND_OF_THEM.search(question)
    assert m is not None
    whole, part = question[: m.start()], question[: m.start()] + " that" + question[m.end():]
    if _AND_OF_THEM.search(part):
        return None
    readings = [read(q, ctx.as_of, ctx.values, ctx.logins) for q in (whole, part)]
    frames = [compose(r) for r in readings]
    counted = [f is not None and (f.shape == "count" or f.shape == "holders" and shape_of(r, "") == "count") and
               f.entity in _COUNTED_WHOLES for r, f in zip(readings, frames)]
    if counted[0] and not counted[1]:  # never the whole alone, nor the part alone (the question's own reading)
        raise CannotAnswer(PART_UNPLACED, hint="Ask the two counts one at a time.")
    if not all(counted):
        return None
    # 'how many are on payments-api, and how many of those were active in october': on it in october (a seat is held,
    # not held in a window: the whole is every seat named)
    if not readings[0].windows and readings[1].windows and getattr(frames[0], "entity", "") not in _SEATS:
        readings[0] = replace(readings[0], windows=readings[1].windows)
        frames[0] = compose(readings[0])
        if frames[0] is None or frames[0].shape != "count":
            return None
    a, b = (_from_reading(r, ctx, f) for r, f in zip(readings, frames))
    if a is None or b is None:
        return None
    sql_text = f"SELECT ({a.sql}) AS all_counted, ({b.sql}) AS of_them"
    return Translation(sql_text, backend=BACKEND, interpretation=f"{a.interpretation}; of them: {b.interpretation}")


SCOPED_NONE = ("'none ... in X' asks for nothing counted there; I can only read 'none at all' or 'never used X', so I "
               "won't guess which.")


# frames whose answer is one row of figures, and the breakdown whose rows two measures can share
_SINGLE_FIGURES = frozenset({("measure", "total"), ("measure", "portion"), ("measure", "pair"), ("measure", "difference"),
                             ("figure", "sum"), ("figure", "share"), ("figure", "last"), ("legacy", "total"),
                             ("pair", "count")})


def _figure_kind(reading: Reading, frame: Frame) -> str | None:
    """'one' for an answer of one row of figures, 'by <group>' for a full breakdown by one dimension, else None."""
    if shape_of(reading, "") == "list" and not frame.group:
        return None  # 'which people got a seat': names, not a figure
    if not frame.group and ((frame.entity, frame.shape) in _SINGLE_FIGURES or frame.shape == "count"):
        return "one"
    if (frame.entity, frame.shape) == ("measure", "ranking") and frame.group and not frame.limit:
        return f"by {frame.group}"
    return None


def _one_negation_split(reading: Reading, frame: Frame) -> bool:
    """'who accepted zero suggestions in python': one negation over a measure and the value scoping it (nothing
    accepted in python), never two exclusions (no acceptances at all, and never in python)."""
    negative = [c.kind for c in frame.conditions if not c.positive]
    return len(reading.kinds("neg")) == 1 and "measure" in negative and "value" in negative


def _unloaded_period(frame: Frame, ctx: Context) -> None:
    """Two periods compared where one holds no loaded day at all ('october vs the same period last year'): said, and
    refused, never a 0 or an empty figure set beside the other."""
    cov = ctx.coverage
    if frame.entity != "change" or not (cov.first_day and cov.last_day):
        return
    for w in (c.window for c in frame.conditions if c.kind == "window" and c.window is not None):
        if w.start is not None and w.end is not None and (w.end < cov.first_day or w.start > cov.last_day):
            raise CannotAnswer(f"No data is loaded for {w.text()}: the data covers {cov.first_day}..{cov.last_day}, "
                               "so there is nothing to compare with.",
                               hint="Load the exports for that period, or compare two periods inside the data.")


def lost(reading: Reading, text: str) -> bool:
    """A safety net: the SQL no longer names a value, person or window the question named (a dropped condition)."""
    low = text.lower()
    named = [str(t.value[1]).rstrip("%").lower() for t in reading.kinds("value")]
    named += [str(t.value).lower() for t in reading.kinds("login")]
    if any(v not in low for v in named):
        return True
    days = [w for w in reading.windows if w.start is not None or w.end is not None]
    return any(not _covered(w.start, w.end, low) for w in days)


def _covered(start: date | None, end: date | None, low: str) -> bool:
    """Whether the SQL names a window's start or end; an end may be written as the day after it, but only as an
    exclusive bound ('created_at < 2026-01-01' for 'before january 1'), never as another window's start."""
    if any(x is not None and x.isoformat() in low for x in (start, end)):
        return True
    after = end and (end + timedelta(days=1)).isoformat()
    return bool(after) and re.search(rf"<\s*(?:(?:date|timestamp\w*)\s*)?'{after}", low) is not None


_ORDINAL_RANK = re.compile(r"\b(2nd|3rd|4th|5th|second|third|fourth|fifth)\s+(most|least|highest|lowest|biggest|"
                           r"largest|smallest|top|best|worst|busiest|popular|active)\b", re.I)


# 'only' about people ('devs who use completions only', 'users who used only vscode'): exclusivity, which an
# answer must keep; 'only once', 'only on one day', 'acceptance for completions only' are other senses
_ONLY = re.compile(r"\b(only|solely|exclusively|alone|by itself)\b(?!(\s+\w+){0,3}\s+(once|twice|one|on one|a single|"
                   r"\d))", re.I)
# 'active on 2 of the last 3 days', 'on at least five of the seven days of last week': a bound on active days
_DAYS_OF = re.compile(rf"\b{NUMERAL} (?:out )?of (?:the|those|these) (?:(?:last|past|previous) )?{NUMERAL} days\b")
_PEOPLE_WORDS = "|".join(sorted(model.ENTITIES_BY_NAME["user"].phrases, key=len, reverse=True))
# 'how many sessions did each of them start', 'lines added for each cli user', 'sessions per cli user': a row per
# person (or an average, a division): never one total
# ('on average for each user' is one number: an average)
_EACH = re.compile(rf"\b(?:each(?: one)?|per) (?:of (?:them|those|these)\b|(?:of the )?(?:\w+ )?(?:{_PEOPLE_WORDS})\b)")
_AVERAGE = re.compile(r"\b(average|avg|mean|typical|typically|median)\b")
_NOT_ONLY = re.compile(r"\bnot (only|just)\b", re.I)
_PEOPLE = re.compile(rf"\b(who|whom|(which|how many) ({_PEOPLE_WORDS}))\b", re.I)


def unlisted(reading: Reading, text: str) -> bool:
    """A safety net: 'how many ..., and who were they' asks for the people too, but the SQL lists no one."""
    login = model.ENTITIES_BY_NAME["user"].key
    return AND_WHO.search(reading.text) is not None and not re.match(rf"\s*select (distinct )?{login}\b", text.lower())


def unhonoured(question: str, sql_text: str, ctx: Context, interpretation: str = "") -> str | None:
    """What the phrase reader's SQL leaves out that the question's typed words say, or None when it keeps them.

    A safety net for answers the compositional reader did not give: an all-time word over a windowed query, a
    share asked for but no ratio computed, two named periods not both in the SQL, an ordinal rank with no offset,
    an 'only' the answer does not keep ('devs who use completions only' is not 'devs who used completions').
    """
    assert ctx.as_of is not None
    reading = read(question, ctx.as_of, ctx.values, ctx.logins)
    low = sql_text.lower()
    dated = [w for w in reading.windows if w.start is not None or w.end is not None]
    everything = [w for w in reading.windows if w.start is None and w.end is None]  # 'across all of the data'
    bounded = set(re.findall(r"date '(\d{4}-\d\d-\d\d)'", low)) - {"1970-01-01", "2999-01-01"}  # not all time
    if (reading.has("alltime") or everything) and not dated and bounded:
        word = reading.kinds("alltime")[0].text if reading.has("alltime") else everything[0].label
        return f"'{word}' means all the data, but the answer I found is limited to a window"
    if reading.has("shape", "share") and "/" not in low:
        return "a share was asked for, but the answer I found computes no ratio"
    if (reading.has("diff", "more") or reading.has("diff", "fewer")) and reading.has("diff", "than") and \
            not re.search(r"\)\s*-\s*(sum|count|round|\(|[a-z_]+\))|\b[a-z]\s*-\s*[a-z]\b", low):
        return "a difference was asked for ('how many more ... than'), but the answer I found computes none"
    if len(dated) >= 2 and lost(reading, sql_text):
        return "two periods were named, but the answer I found does not cover both"
    if _ONLY.search(question) and _PEOPLE.search(question) and not _NOT_ONLY.search(question) and \
            "only" not in interpretation.lower():
        return "'only' limits who or what counts, but the answer I found does not"
    if unlisted(reading, sql_text):
        return "the people were asked for as well as how many, but the answer I found lists no one"
    missed = nets.check(reading, sql_text)
    if missed:
        return missed
    m = _EACH.search(question.lower())
    if m and "group by" not in low and "/" not in low and not _AVERAGE.search(question.lower()):
        return f"'{m[0]}' asks for each person's figure (or an average), but the answer I found is one total"
    m = _DAYS_OF.search(reading.text)
    if m and not re.search(r"having count\(distinct day\)", low):
        return f"'{m[0]}' bounds each person's active days, but the answer I found does not"
    unplaced = _POSITIONS.sub(" ", low)  # 'who is on 1 team': a digit is a quantity, a column position is none
    lost_number = next((t for t in reading.kinds("num") if not _number_kept(t.value, unplaced,
                                                                             least=1 if t.text.isdigit() else 2)), None)
    if lost_number is not None:
        return f"the number '{lost_number.text}' in the question is not in the answer I found"
    sorts = {str(t.value) for t in reading.kinds("sort")}  # 'lowest to highest', 'in descending order'
    order_by = low.rsplit("order by", 1)[1] if "order by" in low else ""
    if len(sorts) == 1 and (" desc" in order_by) != (sorts == {"desc"}):
        return f"the order asked for ({'highest' if sorts == {'desc'} else 'lowest'} first) is not the answer's"
    m = _ORDINAL_RANK.search(question)
    if m and "offset" not in low:
        return f"'{m.group(0)}' asks for one place in a ranking, but the answer I found lists the top"
    return None


# positions, not quantities: 'group by 1, 2', 'order by 2 desc, 1'
_POSITIONS = re.compile(r"\b(group|order) by\s+\d[\d\s,]*(?:(?:\b(?:asc|desc)\b|nulls (?:first|last))[\d\s,]*)*|"
                        r"\bround\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*,\s*\d\)")  # and round(x, 4)'s digits


def _lost_digit(reading: Reading, text: str) -> bool:
    """A safety net: a number the question wrote in digits ('who is on 1 team') that the SQL does not hold as a
    quantity (a column position in GROUP BY or ORDER BY is none)."""
    low = _POSITIONS.sub(" ", text.lower())
    return any(t.text.isdigit() and isinstance(t.value, int) and not _number_kept(t.value, low, least=1)
               for t in reading.kinds("num"))


def _number_kept(n: object, low: str, least: int = 2) -> bool:
    """Whether the SQL still holds a number the question named (as itself, or as a fraction: '20%' is 0.2); 'one'
    is too often no quantity ('which one', 'more than one' is >= 2) to be checked."""
    if not isinstance(n, int) or n < least:
        return True
    forms = {str(n), str(n + 1), f"{n / 100:g}"}  # '> 20' may be written '>= 21'
    return any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", low) for f in forms)


def tolerant(question: str, ctx: Context) -> str:
    """The question with abbreviations spelled out and typos of vocabulary words corrected, for the phrase reader."""
    assert ctx.as_of is not None
    return days_of_window(corrected(question, ctx.values, ctx.logins), ctx.as_of)


def build(frame: Frame, ctx: Context) -> tuple[str, str] | None:
    """SQL and its interpretation for a frame."""
    assert ctx.as_of is not None
    if frame.entity == "measure":
        return measure_sql.build(frame, ctx.as_of)
    if frame.entity == "pair":  # two figures side by side, each built as if asked alone
        parts = [build(part, ctx) for part in frame.parts]
        return None if None in parts else sql.side_by_side(parts)  # type: ignore[arg-type]
    if frame.entity == "legacy":
        return measure_sql.legacy_sql(frame, _legacy_last_day(ctx))
    if frame.entity == "day":
        return sql.coverage_sql(frame, ctx)
    if frame.entity == "figure":
        return sql.figure_sql(frame, ctx.as_of)
    if frame.entity == "person":
        return sql.person_sql(frame, ctx.as_of)
    if frame.entity == "daily":
        return sql.daily_sql(frame, ctx.as_of)
    if frame.entity == "change":
        return sql.change_sql(frame)
    if frame.entity == "seat":
        return sql.seat_sql(frame, ctx.as_of)
    if frame.entity in ("team",) or frame.asked == ("joined",):
        return sql.team_sql(frame, ctx.as_of)
    return sql.user_sql(frame, ctx.as_of)


def _from_aggregates(frame: Frame | None, ctx: Context) -> Translation:
    """With only the aggregate reports loaded: GitHub's own figures, or a refusal that says why (never a 0)."""
    assert ctx.as_of is not None
    built = None
    if frame is not None and frame.entity in ("day", "figure"):
        built = build(frame, ctx)
    elif frame is not None and frame.entity == "daily":
        built = sql.daily_sql(frame, ctx.as_of, aggregate=True)
    elif frame is not None and frame.entity == "user":
        built = sql.aggregate_users_sql(frame, ctx.as_of)
    if built is None:
        raise CannotAnswer(
            f"Only GitHub's aggregate report ({sql.ENTERPRISE.table}) is loaded, with no per-user data, so this "
            "cannot be answered without guessing.",
            hint="Ask for daily, weekly or monthly active users, pull-request figures or the days covered; or load "
                 "the users-1-day / users-28-day exports.")
    return Translation(built[0], backend=BACKEND, interpretation=built[1])


LEGACY_DAILY = model.LEGACY_SOURCES["active_users"][0]


def _legacy_last_day(ctx: Context) -> date | None:
    """The last day of the legacy data (its default window ends there), from the load records when there are some."""
    days = [date.fromisoformat(str(i["last_day"])[:10]) for i in ctx.coverage.imports
            if i.get("last_day") and str(i.get("kind", "")).startswith("legacy")]
    return max(days) if days else None


def from_legacy_only(question: str, ctx: Context) -> Translation:
    """A question over a database holding only the legacy metrics: relative dates count back from today."""
    today = replace(ctx, as_of=date.today())
    got = translate(question, today)
    if got is None:
        _from_legacy(None, today)
    assert got is not None
    note = "only the legacy metrics are loaded; relative dates such as 'last week' count back from today"
    return replace(got, interpretation="; ".join(x for x in (got.interpretation, note) if x))


def _from_legacy(frame: Frame | None, ctx: Context) -> Translation:
    """With only the legacy metrics loaded: their own figures, or a refusal that says why (never a 0)."""
    built = None
    if frame is not None and frame.entity in ("legacy", "measure") and frame.shape == "total" and \
            not frame.conditions and frame.asked[0] in model.LEGACY_SOURCES:
        built = measure_sql.legacy_sql(Frame("legacy", "total", window=frame.window, asked=frame.asked),
                                       _legacy_last_day(ctx))
    elif frame is not None and frame.entity == "user" and [c.kind for c in frame.conditions] == ["use"] and \
            frame.shape == "count" and frame.conditions[0].positive:
        built = measure_sql.legacy_sql(Frame("legacy", "total", window=frame.window, asked=("active_users",)),
                                       _legacy_last_day(ctx))
    if built is None:
        raise CannotAnswer(
            "Only the legacy metrics API's data is loaded (legacy_* tables), with no per-user data, so this cannot "
            "be answered without guessing.",
            hint="Ask for active or engaged users, suggestions or acceptances on a day or over a window; or load "
                 "the users-1-day / users-28-day exports.")
    return Translation(built[0], backend=BACKEND, interpretation=built[1])


def gaps(frame: Frame, ctx: Context) -> list[str]:
    """What the interpretation must admit about the window: missing days and provisional days in it."""
    assert ctx.as_of is not None
    own = frame.window or (sql.default_window(ctx.as_of) if frame.entity in ("measure", "user", "member") else None)
    windows = [own] + [c.window for c in frame.conditions]
    if frame.entity == "seat":  # a seat's assignment date is no usage window
        windows = [c.window for c in frame.conditions if c.kind == "use"]
    cov = ctx.coverage
    out: list[str] = []
    for w in [w for w in windows if w is not None and w.start is not None and w.end is not None]:
        missing = [x for x in cov.missing_days if w.start <= x <= w.end]
        if missing:
            out.append(f"{len(missing)} day(s) in {w.start}..{w.end} have no data ({_days(missing)}); they are "
                       "missing, not zero")
        if cov.first_day and cov.last_day and (w.end < cov.first_day or w.start > cov.last_day):
            out.append(f"no data is loaded for {w.start}..{w.end} (the data covers {cov.first_day}..{cov.last_day}): "
                       "a 0 here means no data, not no use")
        elif cov.first_day and w.start < cov.first_day <= w.end:
            out.append(f"the data starts on {cov.first_day}: the window's days before it have no data")
        if cov.provisional_from and w.end >= cov.provisional_from:
            out.append(f"days from {cov.provisional_from} on are provisional (GitHub may revise them)")
    return list(dict.fromkeys(out))


def _days(days: list[date]) -> str:
    shown = ", ".join(x.isoformat() for x in days[:5])
    return shown + (" ..." if len(days) > 5 else "")


__all__ = ["translate", "tolerant", "normalise", "Reading", "timedelta"]
