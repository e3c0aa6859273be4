"""Frames for measures: a total, two periods side by side, a difference of two measures, an average per user
or per day, and a breakdown or ranking by one dimension.

Each rule claims a reading only when every content token has a place: one or two measures, values that
filter them, at most one dimension to group by, ranking words, windows.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from assistant.offline.reader import frame as F
from assistant.offline.reader import words as W
from assistant.offline.reader.frame import ALL_TIME, Condition, Frame
from assistant.offline.reader.tokens import apart_placed, Reading, Token
from assistant.offline.windows import Window
from assistant.semantic import model
from assistant.semantic.metrics import METRICS_BY_NAME, Metric

RANKING_KINDS = frozenset({"top", "ordinal", "diff", "avg"})
FILTER_DIMS = frozenset({"ide", "feature", "language", "model", "phase", "team"})
GROUP_DIMS = FILTER_DIMS | {"day"} | frozenset(model.SUB_DIMENSIONS)
PERIODS = {1: "day", 7: "week", 30: "month"}
ORGANIZATION = "organization"
TEAM = "team"
# token kinds every measure rule accepts around its own
PLAIN = frozenset({"shape", "alltime", "now", "value", "use", "entity", "metric", "flag"})


def metric_of(name: str) -> Metric:
    """A metric of the semantic layer, one of the reader's extra measures, or a flag's users ('flag:<name>')."""
    if name.startswith("flag:"):
        flag, user = model.FLAGS_BY_NAME[name[5:]], model.ENTITIES_BY_NAME["user"]
        return Metric(f"{flag.name}_users", f"users of {flag.label}", f"distinct users with {flag.condition}",
                      f"count(DISTINCT {user.id_column}) FILTER (WHERE {flag.condition})", user.table, "users", ())
    return METRICS_BY_NAME.get(name) or model.READER_MEASURES_BY_NAME[name]


def measures(reading: Reading) -> list[str] | None:
    """The measures a reading names, in order: metric words, '<flag> users', 'active users'; None on a stray flag."""
    toks = reading.tokens
    out: list[str] = []
    for i, t in enumerate(toks):
        if t.kind == "metric" and model.GROUPING_OF.get(t.value) != "seat":
            out.append(t.value)
        elif t.kind == "flag":
            flag = model.FLAGS_BY_NAME[t.value]
            named = t.text.endswith(("users", "user")) or any(
                x.kind == "entity" and x.value == "user" for x in toks[i + 1:i + 3]) or (
                _users_who_used(toks, i) and not reading.has("shape", "list"))  # 'which people used X': who
            if not flag.metric or not named:
                return None
            out.append(flag.metric)
        elif t.kind == "metric":
            return None
        elif i in _active_users_named(reading):
            out.append("active_users")
    verbs = [t for t in toks if t.kind == "metric" and t.value == "code_acceptances" and t.text in _ACCEPT_VERBS]
    if verbs and any(t.kind == "metric" and t.value == "code_generations" and t.text in ("suggestions", "suggestion")
                     for t in toks) and not _between_conjoined(reading.text, "suggestion", verbs[0].text):
        out.remove("code_generations")  # 'suggestions did raj accept': the noun is the verb's object
    if not out and reading.has("entity", "user"):
        out.append("active_users")
    if not out and reading.has("top", "desc") and "popular" in reading.text.split():
        out.append("active_users")
    return out


_ACCEPT_VERBS = frozenset({"accept", "accepts", "accepted", "accepting"})  # not the noun 'acceptances'


def _active_users_named(reading: Reading) -> list[int]:
    """'on active users and acceptance rate': 'active users' conjoined with another measure is that measure too (the
    place of its noun), not the people the other is counted over."""
    toks = reading.tokens
    pairs = [i for i in range(1, len(toks)) if (toks[i - 1].kind, toks[i - 1].value) == ("use", "active") and
             (toks[i].kind, toks[i].value) == ("entity", "user")]
    others = [t for t in toks if t.kind == "metric"]
    if len(pairs) != 1 or len(others) != 1:
        return []
    said = f"{toks[pairs[0] - 1].text} {toks[pairs[0]].text}"
    return pairs if _between_conjoined(reading.text, said, others[0].text) or \
        _between_conjoined(reading.text, others[0].text, said) else []


def _users_who_used(toks: tuple[Token, ...], i: int) -> bool:
    """'users (who) used the cli': the people of a flag named before it, with a usage verb between."""
    return i >= 2 and toks[i - 1].kind == "use" and (toks[i - 2].kind, toks[i - 2].value) == ("entity", "user")


def filters(reading: Reading) -> list[Condition] | None:
    """Values that narrow a measure ('in vscode', 'for python'), or None when one cannot filter."""
    out = []
    for t in reading.kinds("value"):
        dim, value = t.value
        if dim not in FILTER_DIMS:
            return None
        out.append(Condition("value", dim, value))
    return out


def weekdays(reading: Reading) -> list[Condition]:
    """The days of the week a measure keeps ('on weekends', 'excluding weekends', 'on mondays'), [] for all."""
    return [Condition("weekdays", "on", str(t.value)) for t in reading.kinds("weekdays")]


def person(reading: Reading) -> list[Condition] | None:
    """The one person a measure is narrowed to ('mchen-acme's prompts'), [] for none, None for several."""
    logins = reading.kinds("login")
    if len(logins) > 1:
        return None
    return [Condition("login", "user", str(t.value)) for t in logins]


def _window(reading: Reading) -> object:
    if reading.has("alltime"):  # 'ever', 'in the data we have' (an all-time window is the same reading); beside a
        # bounded window it is a conflict, never the default window
        return ALL_TIME if all(w.start is None and w.end is None for w in reading.windows) else False
    return reading.windows[0] if len(reading.windows) == 1 else (None if not reading.windows else False)


PER_USER = re.compile(r"\b(?:(?:by|per|each|for each) (?:active )?|each \w+ )(user|users|person|people|dev|devs|"
                      r"developer|developers|engineer|engineers|member|members|login|head)\b")
PER_DAY = re.compile(r"\b(by|per|each|for each) (day|date|week|month)\b")


def _same_dimension(conds: list[Condition]) -> bool:
    return len({c.name for c in conds}) < len(conds)


def _only(reading: Reading, kinds: frozenset[str]) -> bool:
    return not reading.unknown and all(t.kind in kinds for t in reading.tokens) and \
        all(t.value == "user" for t in reading.kinds("entity"))


_CONJUNCTION = re.compile(r"\b(and|plus|as well as|along with|alongside|together with|next to)\b")


def _between_conjoined(text: str, first: str, second: str) -> bool:
    """Whether a conjunction stands between the first `first` and the `second` after it in the text."""
    a = text.find(first)
    b = text.find(second, a + len(first)) if a >= 0 else -1
    return 0 <= a < b and bool(_CONJUNCTION.search(text[a + len(first):b]))


def joined(reading: Reading, ms: list[str]) -> bool:
    """'how many suggestions were shown and how many were accepted', 'prompts and lines added': two measures of
    one kind asked together, a conjunction between them."""
    active = _active_users_named(reading)  # 'active users and acceptance rate': 'active users' is named too
    named = [t for i, t in enumerate(reading.tokens) if t.kind in ("metric", "flag") or i in active]
    if len(ms) != 2 or ms[0] == ms[1] or len(named) != 2:
        return False
    if any(model.GROUPING_OF.get(m, "flag") not in ("sum", "distinct_users", "flag", "ratio") for m in ms):
        return False
    return _between_conjoined(reading.text, named[0].text, named[1].text)


def total(reading: Reading) -> Frame | None:
    """'cli sessions ever', 'acceptance on fri oct 30', 'prompts in vscode last week': one measure in one window
    (or two asked together: 'how many suggestions were shown and how many accepted')."""
    reading, surfaces = _measure_surfaces(reading)
    ms = measures(reading)
    window = _window(reading)
    if ms is None or window is False or not _only(reading, PLAIN | {"login", "weekdays"}) or reading.has("dim"):
        return None
    if len(ms) != 1 and not joined(reading, ms):
        return None
    if PER_USER.search(reading.text) or PER_DAY.search(reading.text):
        return None
    if reading.has("shape", "list") or reading.has("shape", "share") or reading.has("shape", "when"):
        return None
    conds, who = filters(reading), person(reading)
    if conds is None or who is None or _same_dimension(conds) or (who and not all(_per_person(m) for m in ms)):
        return None  # one person's count of users is the phrase reader's summary
    if _people_unplaced(reading, ms[0], conds + weekdays(reading)):
        return None
    if surfaces and (len(ms) != 1 or model.GROUPING_OF.get(ms[0]) not in ("sum", "ratio")):
        return None  # a surface narrows a summed measure of the feature table, not a count of people
    return Frame("measure", "total", tuple(conds + who + weekdays(reading) + surfaces), window,  # type: ignore
                 asked=tuple(ms))


def _measure_surfaces(reading: Reading) -> tuple[Reading, list[Condition]]:
    """'chat prompts', 'cli interactions': a surface named right before a measure narrows it to that surface's
    features (not its people: 'chat users' stays a measure); the reading without those words, and the surfaces."""
    toks = reading.tokens
    found = [t for t, n in zip(toks, toks[1:]) if t.kind == "flag" and model.FLAGS_BY_NAME[t.value].feature_condition
             and not t.text.endswith(("user", "users")) and n.kind == "metric"]
    # ... or right after it, joined by a word of place or means ('prompts in the cli', 'interactions via chat')
    found += [t for p, t in zip(toks, toks[1:]) if t.kind == "flag" and p.kind == "metric" and
              model.GROUPING_OF.get(p.value) == "sum" and model.FLAGS_BY_NAME[t.value].feature_condition and not t.text.endswith(("user", "users")) and
              re.search(rf"\b{re.escape(p.text)} (?:in|inside|through|thru|via|on|from|using|with|by) (?:the )?"
                        rf"{re.escape(t.text)}\b", reading.text)]
    if not found:
        return reading, []
    rest = tuple(t for t in toks if not any(t is x for x in found))
    return Reading(rest, reading.windows, reading.notes, reading.text), [Condition("surface", t.value) for t in found]


def _people_unplaced(reading: Reading, metric: str, conds: list[Condition]) -> bool:
    """With a team or some weekdays: people named ('which devs', 'top users', 'each developer', 'cli users') that the
    measure does not count ('how many people ... on weekends' counts them; 'active users' is the measure's noun)."""
    if not any(c.name == TEAM or c.kind == "weekdays" for c in conds):
        return False
    if re.search(r"\bper active (user|person|dev|developer)\b", reading.text):
        return True  # 'prompts per active user on weekends': an average, the average rule's
    toks = reading.tokens
    people = [t for i, t in enumerate(toks) if (t.kind == "entity" and t.value == "user" or t.kind == "flag" and
              t.text.endswith(("users", "user"))) and not (i and (toks[i - 1].kind, toks[i - 1].value) == ("use",
                                                                                                    "active"))]
    if any((c.kind, c.name) == ("value", "user") for c in conds):
        return reading.has("shape", "count")  # 'how many users picked gemini on weekends': a count, not a ranking
    counted = reading.has("shape", "count") and model.GROUPING_OF.get(metric) in ("distinct_users", "flag") and \
        metric != "active_days"
    return bool(people) and not counted or bool(re.search(r"\bper active (user|person|dev|developer)\b",
                                                          reading.text))


def _per_person(metric: str) -> bool:
    """A measure that means something for one person: a sum, a ratio, the days they were active."""
    return model.GROUPING_OF.get(metric) in ("sum", "ratio") or metric == "active_days"


def difference(reading: Reading) -> Frame | None:
    """'how many more chat users than cli users in october': both measures and their difference."""
    between = reading.has("diff", "between")  # 'the difference between X and Y'
    more = reading.has("diff", "more") or reading.has("diff", "fewer")
    if len(reading.windows) == 2 and (between or more or reading.has("comparative")):  # 'how many more active
        # users in october than in september', 'the difference in prompts between september and october', 'was
        # acceptance lower in october than in september': the change
        toks, both = _both_and_difference(reading.tokens) if between else (reading.tokens, False)
        as_vs = tuple(Token("vs", "vs", t.text) if t.kind == "diff" else t for t in toks if t.kind != "comparative")
        got = F.change(Reading(as_vs, reading.windows, reading.notes, reading.text))
        if got is not None and both:  # 'both months and the difference': the three figures in one row
            return replace(got, shape="difference", order="later")
        return _periods_difference(reading, got) if got is not None and more and reading.has("diff", "than") else got
    if not between and not (more and reading.has("diff", "than")):
        return None
    ms = measures(reading)
    window = _window(reading)
    order = "fewer" if reading.has("diff", "fewer") else ""
    if window is False or not _only(reading, PLAIN | {"diff", "login", "vs"}):
        return None
    if reading.kinds("login") and (reading.kinds("value") or len(reading.kinds("login")) != 2):
        return None
    if (reading.kinds("value") or reading.kinds("login")) and ms is not None:
        return _value_difference(reading, ms, window, order)
    if not between and (ms is None or len(ms) != 2):  # 'more people used chat than the cli': a flag on each side
        cut = next(i for i, t in enumerate(reading.tokens) if (t.kind, t.value) == ("diff", "than"))
        ms = [_side_measure(reading.tokens[:cut]), _side_measure(reading.tokens[cut + 1:])]  # type: ignore[list-item]
    if ms is None or None in ms or len(ms) != 2 or ms[0] == ms[1]:
        return None
    return Frame("measure", "difference", (), window, asked=tuple(ms), order=order)  # type: ignore[arg-type]


def _both_and_difference(toks: tuple[Token, ...]) -> tuple[tuple[Token, ...], bool]:
    """'..., both months and the difference': 'both' and a noun for the periods compared, right before the difference
    asked, name the three figures of one row (the tokens without them, and whether they were said)."""
    for i, t in enumerate(toks[:-2]):
        noun, diff = toks[i + 1], toks[i + 2]
        if (t.kind, t.value) == ("set", "both") and noun.text in W.PERIOD_NOUNS and (diff.kind, diff.value) == (
                "diff", "between"):
            return toks[:i] + toks[i + 2:], True
    return toks, False


def _periods_difference(reading: Reading, change: Frame) -> Frame | None:
    """'how many more prompts in october than in september': one row, both periods' figures in the order named and
    the first minus the second ('fewer': the second minus the first). 'The week before' is counted back from the
    period named, so it must come after 'than'."""
    than = max(reading.text.find(" than "), reading.text.find(" minus "))
    if any(0 <= reading.text.find(p) < than for p in W.BEFORE):
        return None
    conds = tuple(Condition("window", str(i), window=w) for i, w in enumerate(reading.windows))
    return replace(change, shape="difference", conditions=conds, order="fewer" if reading.has("diff", "fewer") else "")


def _value_difference(reading: Reading, ms: list[str], window: object, order: str) -> Frame | None:
    """'how many more people on vscode than jetbrains': one measure under two values, one on each side of 'than'."""
    kind = "login" if reading.kinds("login") else "value"  # two people, or two values
    values = reading.kinds(kind)
    than = next((i for i, t in enumerate(reading.tokens) if (t.kind, t.value) == ("diff", "than")), None)
    if than is None:  # 'the difference between vscode and jetbrains': the two values in order
        than = reading.tokens.index(values[-1]) if len(values) == 2 else 0
    sides = [[t for t in reading.tokens[:than] if t.kind == kind], [t for t in reading.tokens[than:] if t.kind == kind]]
    if len(set(ms)) != 1 or [len(x) for x in sides] != [1, 1] or sides[0][0].value == sides[1][0].value:
        return None
    conds = filters(Reading(tuple(x[0] for x in sides), (), (), "")) if kind == "value" else [
        Condition("login", "user", str(x[0].value)) for x in sides]
    if conds is None or (kind == "login" and model.GROUPING_OF.get(ms[0]) != "sum"):
        return None
    return Frame("measure", "difference", tuple(conds), window, asked=(ms[0],), order=order)  # type: ignore[arg-type]


def side_by_side(reading: Reading) -> Frame | None:
    """'chat users vs cli users', 'people actively using code review vs just auto-reviewed': two measures, one on
    each side of 'vs', in one window."""
    if len(reading.kinds("vs")) != 1 or len(reading.windows) > 1 or not _only(reading, PLAIN | {"vs"}):
        return None
    if reading.kinds("value"):
        return _values_side_by_side(reading)
    named = [t for t in reading.tokens if t.kind in ("metric", "flag")]
    sides = [_side_measure((t,)) for t in named]  # 'chat users vs cli users', 'compare lines added and deleted'
    window = _window(reading)
    if len(sides) != 2:
        return None
    if None in sides or sides[0] == sides[1] or window is False:
        return None
    if any(model.GROUPING_OF.get(x, "flag") not in ("sum", "distinct_users", "flag", "ratio") for x in sides):
        return None
    return Frame("measure", "pair", (), window, asked=tuple(sides))  # type: ignore[arg-type]


def _values_side_by_side(reading: Reading) -> Frame | None:
    """'acceptance rate in vscode vs jetbrains', 'prompts from agent mode vs ask mode': one measure under each of
    two values of one dimension, as a breakdown kept to those two."""
    ms = measures(reading)
    values = reading.kinds("value")
    window = _window(reading)
    if ms is None or not (len(ms) == 1 or joined(reading, ms)) or len(values) != 2 or window is False or \
            reading.has("dim"):
        return None  # two measures asked together ('on active users and acceptance rate'): both under each value
    (dim, a), (other, b) = values[0].value, values[1].value
    if dim != other or dim not in FILTER_DIMS or a == b or a.endswith("%") or b.endswith("%"):
        return None
    return Frame("measure", "ranking", (Condition("among", dim, f"{a}|{b}"),), window,  # type: ignore[arg-type]
                 asked=tuple(ms), group=dim, order="named")


def _side_measure(toks: tuple[Token, ...]) -> str | None:
    """The one measure a side of 'vs' names: a metric, or a flag read as the people who used it."""
    named = [t for t in toks if t.kind in ("metric", "flag")]
    if len(named) != 1:
        return None
    t = named[0]
    if t.kind == "metric":
        return str(t.value)
    flag = model.FLAGS_BY_NAME[t.value]
    return flag.metric or (f"flag:{flag.name}" if flag.condition else None)


def average(reading: Reading) -> Frame | None:
    """'avg cli sessions per cli user in october', 'average prompts per active user': a total over a head count."""
    median = reading.has("avg", "median")
    if not reading.has("avg", "per") or not (reading.has("avg", "average") or reading.has("avg", "mean") or median or
                                              re.search(r"\bper active (user|person|dev|developer|member)\b",
                                                        reading.text)):
        return None
    per = reading.tokens.index(next(t for t in reading.kinds("avg") if t.value == "per"))
    after = [t for t in reading.tokens[per + 1:] if not (t.kind == "value" and t.value[0] == TEAM)]
    before = Reading(reading.tokens[:per], reading.windows, reading.notes, reading.text)
    ms = measures(before)
    window = _window(reading)
    if ms is None or len(ms) != 1 or window is False or model.GROUPING_OF.get(ms[0], "sum") != "sum":
        return None
    unit = _per_unit(after)
    teams = [t for t in reading.kinds("value") if t.value[0] == TEAM]  # 'did the web-frontend team send per member'
    if unit is None or not _only(reading, PLAIN | {"avg", "unit"}) or len(reading.kinds("value")) != len(teams) or \
            len(teams) > 1 or (teams and (unit != "user" or median)):
        return None
    if median and unit == "day":
        return None
    if unit == "day" and before.has("entity", "user"):  # 'the average developer ... per day': per person and day,
        return None  # which is no average over the days
    conds = tuple(Condition("value", TEAM, t.value[1]) for t in teams)  # its members' total over its active members
    return Frame("measure", "average", conds, window, asked=(ms[0],), group=unit,  # type: ignore[arg-type]
                 order="median" if median else "")


def average_day(reading: Reading) -> Frame | None:
    """'on an average day in october, how many users were active': the mean over the days with data of the day's
    figure (a day's distinct users, or a sum per day)."""
    if not reading.has("avg", "day") or len(reading.kinds("avg")) != 1:
        return None
    rest = Reading(tuple(t for t in reading.tokens if t.kind != "avg"), reading.windows, reading.notes, reading.text)
    ms = measures(rest)
    window = _window(reading)
    if ms is None or len(ms) != 1 or window is False or not _only(rest, PLAIN - {"value"}) or ms[0] == "active_days":
        return None
    if model.GROUPING_OF.get(ms[0], "sum") not in ("sum", "distinct_users", "flag"):
        return None  # a ratio of an average day is no figure: refused
    return Frame("measure", "average", (), window, asked=(ms[0],), group="day")  # type: ignore[arg-type]


def _per_unit(after: list[Token]) -> str | None:
    """What a measure is averaged over: 'user' (all active), a flag's users ('cli'), or 'day'."""
    kinds = [(t.kind, t.value) for t in after]
    if kinds in ([("entity", "user")], [("use", "active"), ("entity", "user")]):
        return "user"
    if len(kinds) == 2 and kinds[0][0] == "flag" and kinds[1] == ("entity", "user"):
        return f"flag:{kinds[0][1]}"
    if kinds[-1:] == [("entity", "user")] and len(kinds) == 2:
        kinds = kinds[:1]  # 'per engaged user': the measure 'engaged', then its noun
    if len(kinds) == 1 and kinds[0][0] == "metric" and kinds[0][1] != "active_days" and \
            model.GROUPING_OF.get(kinds[0][1]) in ("distinct_users", "flag"):
        return f"metric:{kinds[0][1]}"  # 'per engaged user': over the people that measure counts
    if kinds in ([("unit", 1)], [("entity", "day")], [("use", "active"), ("entity", "day")]):
        return "day"
    return None


def ranking(reading: Reading) -> Frame | None:
    """'2nd most popular ide', 'top 5 languages by lines added', 'acceptance rate by ide', 'busiest day'."""
    group = _group(reading)
    if group is None:
        return None
    reading = _span_users(reading, group[0])
    if group[0] != "user" and any(t.text == "who" and not _relative(reading, t) for t in reading.kinds("shape")):
        return None  # 'who sent the most prompts per day' asks for people, not the busiest day
    surfaces = _surfaces(reading, group)
    limits = _group_limits(reading) if group[0] in GROUP_DIMS - {"day"} | {"user"} else _people_limits(reading)
    one = [t for i, t in enumerate(reading.tokens) if (t.kind, t.text) == ("num", "one") and i > 0
           and (reading.tokens[i - 1].kind, reading.tokens[i - 1].value) == ("shape", "list")]  # 'which one'
    people = [t for t in reading.tokens if (t.kind, t.value) == _PEOPLE and not any(t is x for x in (limits[0] if limits else []))]
    if limits is None or (limits[0] and group[0] != "user" and (people or any(
            t.text.endswith(("users", "user")) for t in reading.kinds("flag")))):
        return None  # 'users with more than 20 active days by team': a bound on each user, not on each group
    sorts = reading.kinds("sort")  # 'best first', 'lowest first': the whole breakdown, in that order
    left_out = reading.kinds("without")  # 'excluding the unknown and others buckets': values of the group's own
    if any(t.value[0] != group[0] for t in left_out):
        return None
    dropped = [group[1], *surfaces, *limits[0], *one, *sorts, *left_out]
    rest = Reading(tuple(t for t in reading.tokens if not any(t is x for x in dropped)), reading.windows,
                   reading.notes, reading.text)
    ms = measures(rest)
    if ms is not None and len(ms) == 2 and (ms[0] == ms[1] or _denominator_clause(rest, ms)):
        ms = [m for m in ms if m in model.RATIO_DENOMINATORS] or ms[:1]  # the ranking's measure, said again
    window = _window(reading)
    pair = ms is not None and joined(rest, ms) and group[0] in FILTER_DIMS | set(PERIODS.values()) and \
        not reading.has("top") and not reading.has("ordinal")  # 'suggestions and acceptances per ide'
    if ms is None or (len(ms) > 1 and not pair) or window is False or (not ms and _judges(reading)):
        return None
    if not _only(rest, PLAIN | {"top", "ordinal", "num", "avg", "dim", "login", "weekdays"}) or rest.kinds("dim") or \
            any(t.kind == "unit" for t in rest.tokens):
        return None
    if any(t.value not in ("per",) for t in rest.kinds("avg")) or reading.has("shape", "share"):
        return None
    conds, who = filters(rest), person(rest)
    if conds is None or who is None or _same_dimension(conds) or any(c.name == group[0] for c in conds + who):
        return None
    conds += [Condition("surface", t.value) for t in surfaces] + limits[1] + who + weekdays(rest)
    conds += [Condition("without", group[0], "|".join(t.value[1])) for t in left_out]
    if group[1].kind == "flag":
        conds.append(Condition("flag", group[1].value))  # 'top cli users by sessions': among the CLI's users
    place = _place(rest, group[1], singular=bool(one))
    if place is None:
        return None
    if len(sorts) == 1 and place[1] and sorts[0].value == place[0]:
        sorts = []  # 'the three with the most, from highest to lowest': the ranking's own order, said again
    order, limit, offset = place if not sorts else (sorts[0].value, 0, 0)
    if sorts and (len(sorts) > 1 or reading.has("top") or reading.has("num") or reading.has("ordinal")):
        return None  # 'the top 3, lowest first': a ranking and an order at once is not composed
    metric = ms[0] if ms else "active_users"
    if group[0] == "user" and not ms and limits[1]:
        metric = limits[1][0].name  # 'people with over 100 prompts': their prompts, beside the bound
    if _people_unplaced(rest, metric, conds + [Condition("value", group[0], "")]):
        return None
    if group[0] == ORGANIZATION and model.GROUPING_OF.get(metric) not in ("distinct_users", "flag"):
        return None  # a user's activity is not split by the organizations seating them: only people are counted
    if TEAM in (group[0], *(c.name for c in conds)) and any("adoption" in t.text for t in rest.kinds("metric")):
        return None  # a team's adoption is its members' share active (the roster's), not its active users
    if (group[0] == "user" or who) and metric in ("active_users", "engaged_users"):
        metric = "active_days"  # ranking people by activity: the days each was active
    if reading.has("shape", "count") and (not ms or _users_used(reading, ms, group[1])) and not reading.has("top") \
            and not _by(reading, group[1]) and not _amounts_after_list(reading):
        order, limit = "distinct", 0  # 'how many languages': the number of distinct values
    return Frame("measure", "ranking", tuple(conds), window, asked=(metric, *ms[1:]),  # type: ignore[arg-type]
                 group=group[0], order=order, limit=limit, offset=offset)


def _amounts_after_list(reading: Reading) -> bool:
    """'which users sent over 200 prompts, and how many did each of them send': the values listed first, then each
    one's amount (the ranking's measure), never how many values there are ('..., and how many were there' is that)."""
    shapes = [t.value for t in reading.kinds("shape")]
    return shapes[:2] == ["list", "count"] and re.search(r"\band how many\b", reading.text) is not None and \
        F.AND_HOW_MANY.search(reading.text) is None


def _users_used(reading: Reading, ms: list[str], grouped: Token) -> bool:
    """'how many models did developers use': the people are only the subject of the verb that counts the values (the
    count word names the values themselves, and no measure is named)."""
    toks = reading.tokens
    i = next((i for i, t in enumerate(toks) if t is grouped), -1)
    return ms == ["active_users"] and not reading.kinds("metric") and i > 0 and \
        (toks[i - 1].kind, toks[i - 1].value) == ("shape", "count") and \
        [(t.kind, t.value) for t in toks[i + 1:]] == [("entity", "user"), ("use", "use")]


def _denominator_clause(reading: Reading, ms: list[str]) -> bool:
    """'languages that received code suggestions ... the lowest acceptance rate': a relative clause naming the ratio's
    own denominator only says where the ratio exists."""
    ratio = next((m for m in ms if m in model.RATIO_DENOMINATORS), None)
    if ratio is None or set(ms) != {ratio, model.RATIO_DENOMINATORS[ratio]}:
        return False
    named = next(t.text for t in reading.kinds("metric") if t.value == model.RATIO_DENOMINATORS[ratio])
    return re.search(rf"\b(?:that|which|with) (?:(?:received|got|had|have|has|saw|were shown|was shown|were offered) )?"
                     rf"(?:any |a |an )?{re.escape(named)}\b", reading.text) is not None


def _judges(reading: Reading) -> bool:
    """'the best engineer', 'our worst team': a judgement, with no measure to rank by."""
    return any(t.text in W.JUDGEMENTS for t in reading.kinds("top"))


def _surfaces(reading: Reading, group: tuple[str, Token]) -> list[Token]:
    """'models used for chat', 'languages in completions': a surface narrowing a breakdown by a dimension that the
    feature tables hold (not people who used it: 'chat users' stays a measure)."""
    if group[0] not in FILTER_DIMS or group[0] == "feature":
        return []
    toks = reading.tokens
    return [t for i, t in enumerate(toks) if t.kind == "flag" and model.FLAGS_BY_NAME[t.value].feature_condition
            and not t.text.endswith(("user", "users")) and not any(x.kind == "entity" for x in toks[i + 1:i + 2])]


_SPANS = model.USER_FIGURE_PERIOD


def _relative(reading: Reading, who: Token) -> bool:
    """'teams with more than 25 members who were active': 'who' after people opens a clause about them."""
    i = next(i for i, t in enumerate(reading.tokens) if t is who)
    return i > 0 and (reading.tokens[i - 1].kind, reading.tokens[i - 1].value) == _PEOPLE


def _people_limits(reading: Reading) -> tuple[list[Token], list[Condition]]:
    """'days on which fewer than 20 people were active': a bound on each day's active users (no other bound)."""
    for i in range(len(reading.tokens) - 2):
        counted = _counted_bound(reading.tokens, i)
        if counted is not None and counted[0] == "active_users":
            cmp, num = reading.tokens[i], reading.tokens[i + 1]
            return counted[1], [Condition("having", "active_users", f"{cmp.value} {num.value}")]
    return [], []


def _span_users(reading: Reading, group: str) -> Reading:
    """'wau by week', 'mau per month': users active in each period of the figure's own span are its active users."""
    if "github" in reading.text.split():
        return reading  # GitHub's own figure, not a count of the per-user rows
    toks = tuple(Token("metric", "active_users", t.text)
                 if t.kind == "usercount" and _SPANS.get(t.value.split("_")[0]) == group else t for t in reading.tokens)
    return Reading(toks, reading.windows, reading.notes, reading.text)


def _group(reading: Reading) -> tuple[str, Token] | None:
    """What a ranking or breakdown groups by: one dimension, or users ('by user', 'top users'), or days."""
    dims = [t for t in reading.kinds("dim") if t.value in GROUP_DIMS]
    if len(dims) == 1:
        return dims[0].value, dims[0]
    orgs = [t for t in reading.tokens if t.kind in ("dim", "entity") and t.value == ORGANIZATION]
    if len(orgs) == 1 and not dims and not reading.has("entity", "seat"):
        return ORGANIZATION, orgs[0]  # people's organizations, from the seat listing
    teams = [t for t in reading.tokens if t.kind in ("dim", "entity") and t.value == TEAM]
    if len(teams) == 1 and not dims and not reading.has("entity", "seat"):
        return TEAM, teams[0]  # the teams users are members of on each day
    users = reading.kinds("entity") + [t for t in reading.kinds("flag") if t.text.endswith("users")]
    people = len(users) == 1 and (users[0].kind == "flag" or users[0].value == "user") and \
        not _day_ranked_by(reading, users[0])
    if not dims and people and (reading.has("top") or PER_USER.search(reading.text) or _bounded(reading)):
        return "user", users[0]
    who = [t for t in reading.kinds("shape") if t.text == "who"]
    ranked = reading.has("top") or reading.has("ordinal") and reading.has("metric")
    if not dims and not users and len(who) == 1 and ranked:
        return "user", who[0]  # 'who sent the second highest number of prompts': the one person at that place
    periods = reading.kinds("period")
    days = [t for t in reading.tokens
            if t.kind == "unit" and t.value in PERIODS or (t.kind, t.value) == ("entity", "day")]
    if not dims and not periods and len(days) == 1 and (PER_DAY.search(reading.text) or reading.has("top") or
                                                         _people_limits(reading)[0] and days[0].text.endswith("s")):
        return PERIODS.get(days[0].value, "day"), days[0]
    if not dims and not days and len(periods) == 1:
        return periods[0].value, periods[0]  # 'weekly', 'trend', 'week over week'
    if not dims and not days and not periods and _series_of_actives(reading):
        span = reading.kinds("usercount")[0]
        return _SPANS[span.value.split("_")[0]], span  # 'weekly active users': those active each week
    return None


def _bounded(reading: Reading) -> bool:
    """'people who opened more than 15 cli sessions': a bound on each person's own total of a measure."""
    toks = reading.tokens
    return any(t.kind == "cmp" and toks[i + 1].kind == "num" and toks[i + 2].kind == "metric" or
               (_counted_bound(toks, i) or ("",))[0] == "active_days" for i, t in enumerate(toks[:-2]))


_ONE_DAY = re.compile(r"\b(?:on|in|during) (?:a|any|any one|a given|any given) (?:single )?day\b")


def _day_ranked_by(reading: Reading, people: Token) -> bool:
    """'which day had the most users': a day named before the superlative is what is ranked; the people after it
    are the measure."""
    toks = reading.tokens
    i = next((i for i, t in enumerate(toks) if t is people), 0)
    top = next((j for j in range(i - 1, -1, -1) if toks[j].kind == "top"), None)
    if top is not None and _ONE_DAY.search(reading.text) and reading.has("shape", "count") and \
            all(t.kind in ("use", "shape", "metric") for t in toks[top + 1:i]):
        return True  # 'the highest number of engaged users on a single day': the day's count is ranked
    if top is None or any(t.kind not in ("use",) for t in toks[top + 1:i]):
        return False
    return any(t.kind == "unit" and t.value in PERIODS or (t.kind, t.value) == ("entity", "day") for t in toks[:top])


def _series_of_actives(reading: Reading) -> bool:
    """'weekly active users', 'monthly active users in october': the series, one value per week or month; 'what's our
    MAU', 'how many weekly active users' and GitHub's own figure ask for one number."""
    spans = [t for t in reading.kinds("usercount") if _SPANS.get(t.value.split("_")[0]) and " " in t.text]
    asks_one = any(t.value in ("count", "what") for t in reading.kinds("shape"))
    return len(spans) == 1 and not asks_one and "github" not in reading.text.split()


def _group_limits(reading: Reading) -> tuple[list[Token], list[Condition]] | None:
    """'languages with at least 1,000 suggestions shown': a bound on each group's own total, and the tokens it used;
    None when a bound is on something no group totals."""
    toks = reading.tokens
    used: list[Token] = []
    conds: list[Condition] = []
    for i, t in enumerate(toks[:-2]):
        counted = _counted_bound(toks, i)
        if counted is not None:  # 'teams with more than 25 active members', 'people active on at least 5 days'
            used += counted[1]
            conds.append(Condition("having", counted[0], f"{t.value} {toks[i + 1].value}"))
            continue
        if t.kind != "cmp" or toks[i + 1].kind != "num" or toks[i + 2].kind != "metric":
            continue
        if model.GROUPING_OF.get(toks[i + 2].value, "sum") not in ("sum", "distinct_users", "flag"):
            return None
        bounded, verb = toks[i + 2], toks[i - 1] if i > 0 and toks[i - 1].kind == "metric" else None
        if verb is not None and verb.value != bounded.value:  # 'accepted more than 200 suggestions'
            if (verb.value, bounded.value) != ("code_acceptances", "code_generations"):
                return None  # a measure's verb before another measure's noun: which one is bounded is not said
            bounded = verb
        used += [t, toks[i + 1], toks[i + 2]] + ([verb] if verb is not None else [])
        conds.append(Condition("having", str(bounded.value), f"{t.value} {toks[i + 1].value}"))
    return used, conds


_ACTIVE = ("use", "active")
_PEOPLE = ("entity", "user")


def _counted_bound(toks: tuple[Token, ...], i: int) -> tuple[str, list[Token]] | None:
    """A bound on how many people or days, at toks[i]: 'more than 25 (active) members (who were active)' bounds each
    group's active users; 'active on at least 5 days' bounds each person's active days. (measure, tokens it used)."""
    if toks[i].kind != "cmp" or toks[i + 1].kind != "num":
        return None
    after = [(t.kind, t.value if t.text not in ("who", "that") else "who") for t in toks[i + 2:i + 5]]
    for shape in ([_PEOPLE, ("shape", "who"), _ACTIVE], [_ACTIVE, _PEOPLE, _ACTIVE], [_ACTIVE, _PEOPLE],
                  [_PEOPLE, _ACTIVE], [_PEOPLE]):
        if after[:len(shape)] == shape and (_ACTIVE in shape or _ACTIVE in [(t.kind, t.value) for t in toks[:i]]):
            return "active_users", list(toks[i:i + 2 + len(shape)])
    before = (toks[i - 1].kind, toks[i - 1].value) if i else None
    if after[:1] == [("unit", 1)] and toks[i + 2].text in ("days", "day") and before == _ACTIVE:
        return "active_days", list(toks[i:i + 3])
    return None


def _place(reading: Reading, grouped: Token, singular: bool = False) -> tuple[str, int, int] | None:
    """(direction, limit, offset) of a ranking; a plain breakdown lists every group, largest first."""
    tops = reading.kinds("top")
    nums = [t.value for t in reading.kinds("num")]
    ordinals = [t.value for t in reading.kinds("ordinal")]
    if len(nums) > 1 or len(ordinals) > 1 or (nums and ordinals):
        return None
    order = tops[0].value if tops else "desc"
    if ordinals:
        return order, 1, ordinals[0] - 1
    if nums:
        return (order, nums[0], 0) if tops else None
    if not tops or _broken_down(reading, grouped):
        return order, 0, 0
    if grouped.kind in ("unit", "period") and grouped.value not in ("day", 1) and not tops:
        return order, 0, 0
    people = grouped.kind in ("entity", "flag") and grouped.value not in (TEAM, ORGANIZATION)
    if people and (PER_USER.search(reading.text) or grouped.text.endswith("s")):
        return order, 10, 0  # 'top users', 'most prompts per person': a top ten, as a ranking of people
    return (order, 1, 0) if singular or not grouped.text.endswith("s") else None


def _by(reading: Reading, grouped: Token) -> bool:
    """'how many by team', 'prompts per language': the group is named as a breakdown."""
    return re.search(rf"\b(by|per|each) {re.escape(grouped.text)}\b", reading.text) is not None


def _broken_down(reading: Reading, grouped: Token) -> bool:
    """'best acceptance rate by team': a superlative with a breakdown by one group is that breakdown, sorted."""
    return grouped.kind == "entity" and grouped.value in (TEAM, ORGANIZATION) and \
        re.search(rf"\b(by|per) {re.escape(grouped.text)}$", reading.text.rstrip(" ?.!")) is not None


def portion(reading: Reading) -> Frame | None:
    """'fraction of prompts that came from the cli': a measure in one part over the whole, both shown."""
    if not reading.has("shape", "share"):
        return None
    metrics = [t.value for t in reading.kinds("metric")]
    flags = [t.value for t in reading.kinds("flag")]
    values = filters(reading)
    window = _window(reading)
    if len(metrics) != 1 or metrics[0] not in model.SUM_COLUMN or values is None or window is False:
        return None
    if metrics[0] == "code_acceptances":
        return None  # 'what pct of completions got accepted' is an acceptance rate, not a part of acceptances
    scopes = values + [Condition("flag", f) for f in flags if model.FLAGS_BY_NAME[f].feature_condition]
    if len(values) == 2 and not flags and _within(*values):  # 'what share of chat panel prompts were in ask mode'
        scopes = sorted(values, key=lambda c: c.value.endswith("%"))  # the part, then the whole it is part of
    elif len(scopes) != 1 or len(flags) + len(values) != 1:
        return None
    source = _source_named(reading, scopes)
    if not _only(reading, PLAIN | ({"dim"} if source else set())) or (reading.has("dim") and source is None):
        return None
    return Frame("measure", "portion", tuple(scopes), window, asked=(metrics[0],),  # type: ignore[arg-type]
                 group=source or "")


def _source_named(reading: Reading, scopes: list[Condition]) -> str | None:
    """'what share of all prompts in the model breakdown went to gpt-5-mini': the one dimension named, as the table
    the part's own value is in, is where the whole is taken from (the part's dimension: any other is not composed)."""
    dims = reading.kinds("dim")
    if len(dims) != 1 or len(scopes) != 1 or scopes[0].kind != "value" or scopes[0].name != dims[0].value:
        return None
    named = rf"\b{re.escape(dims[0].text)}(?:-level)? (?:{'|'.join(W.SOURCE_NOUNS)})\b"
    return dims[0].value if re.search(named, reading.text) else None


def _within(a: Condition, b: Condition) -> bool:
    """Whether one of two values of one dimension is a group of values ('chat_panel_%') holding the other."""
    part, whole = sorted((a, b), key=lambda c: c.value.endswith("%"))
    return a.name == b.name and whole.value.endswith("%") and not part.value.endswith("%") and \
        part.value.startswith(whole.value[:-1])


def legacy(reading: Reading) -> Frame | None:
    """'total active users in the legacy metrics on march 5': the legacy API's own figures."""
    if not reading.has("legacy"):
        return None
    rest = Reading(tuple(t for t in reading.tokens if t.kind != "legacy"), reading.windows, reading.notes,
                   reading.text)
    if rest.has("top"):
        return _legacy_peak(rest)
    got = total(rest)
    if got is None or got.conditions or got.asked[0] not in model.LEGACY_SOURCES:
        return None
    return Frame("legacy", "total", (), got.window, asked=got.asked)


# the words that say a figure is taken day by day: 'on a single day', 'in one day', 'per day', 'daily'
_DAY_WORDS = frozenset({("unit", 1), ("dim", "day"), ("period", "day"), ("avg", "per")})


def _legacy_peak(reading: Reading) -> Frame | None:
    """'the highest number of engaged users on a single day in the legacy report': the legacy figure's top (or
    bottom) day in the window; a day must be named, and nothing else but the one measure and its ranking word."""
    tops, days = reading.kinds("top"), [t for t in reading.tokens if (t.kind, t.value) in _DAY_WORDS]
    ms = measures(reading)
    if len(tops) != 1 or not days or ms is None or len(ms) != 1 or \
            ms[0] not in model.LEGACY_SOURCES or len(reading.windows) > 1 or reading.unknown:
        return None
    placed = set(tops) | set(days) | set(reading.kinds("metric")) | set(reading.kinds("shape")) | set(
        reading.kinds("alltime"))
    users = model.GROUPING_OF.get(ms[0]) == "distinct_users"
    people = {("entity", "user"), ("use", "active")} if users else set()  # 'active users', 'engaged users'
    if any(t not in placed and (t.kind, t.value) not in people and t.kind in F.CONTENT | {
            "avg", "unit", "period", "num", "neg", "set", "cmp", "ordinal", "diff", "use"} for t in reading.tokens):
        return None
    if any(t.kind == "avg" and t.text != "per" for t in reading.tokens) or reading.has("shape", "share"):
        return None
    return Frame("legacy", "peak", (), _window(reading) or None, asked=(ms[0],), order=tops[0].value, limit=1)


def period_winner(reading: Reading) -> Frame | None:
    """'in which month did we add more lines, september or october': of two whole periods of the unit asked, next to
    each other, the one with more (fewer) of the measure, one row (a ranking of the span's periods, its top)."""
    units, comps = reading.kinds("unit"), reading.kinds("comparative")
    if len(reading.windows) != 2 or len(units) != 1 or units[0].value not in PERIODS or len(comps) != 1 or \
            not reading.has("shape", "list") or not reading.has("set", "or"):
        return None
    span = PERIODS[units[0].value]
    a, b = sorted(reading.windows, key=lambda w: w.start or date.min)
    if not all(F.spans_one(w, span) and (span != "week" or w.start.weekday() == 0) for w in (a, b)) or \
            a.end is None or a.end + timedelta(days=1) != b.start:
        return None
    rest = Reading(tuple(t for t in reading.tokens if t.kind not in ("unit", "comparative", "set") and not (
        t.kind == "write" and t.value == "add")), reading.windows, reading.notes, reading.text)
    ms = measures(rest)
    if ms is None or len(ms) != 1 or (reading.has("write") and ms != ["loc_added"]) or not _only(rest, PLAIN) or \
            filters(rest) or person(rest):
        return None
    window = Window(a.start, b.end, f"{a.label} or {b.label}")
    return Frame("measure", "ranking", (), window, asked=(ms[0],), group=span,
                 order="desc" if comps[0].value == "more" else "asc", limit=1)


# 'for each developer who used agent mode last week, how many lines did they add (during that week)': a person's own
# figure over the people a clause picks; 'that week' only restates the window named
_EACH_WHO = re.compile(r"^(?:for )?(?:each|every) (?:\w+ )?(?:user|person|dev|developer|engineer|member) who\b")
_RESTATED_WINDOW = re.compile(r"\b(?:during|in|over|within) (?:that|the same) (?:day|week|month|period|window|time)\b")


def each_who(reading: Reading) -> Frame | None:
    """'for each developer who used agent mode last week, how many lines of code did they add': one row per person
    who used the surfaces named, with all of their own figure in the window (not only what they did there)."""
    if not _EACH_WHO.search(reading.text) or len(reading.windows) != 1:
        return None
    if reading.unknown and not (list(reading.unknown) == ["during"] and _RESTATED_WINDOW.search(reading.text)):
        return None
    flags = reading.kinds("flag")
    kept = {"flag", "use", "entity", "shape", "metric", "every"}
    kept |= {"write"} if reading.has("metric", "loc_added") else set()  # 'how many lines did they add'
    metrics = reading.kinds("metric")
    if not flags or len(metrics) != 1 or any(t.kind not in kept | {"unknown"} for t in reading.tokens) or \
            model.GROUPING_OF.get(metrics[0].value) != "sum" or any(t.value != "user" for t in reading.kinds("entity")):
        return None
    conds = tuple(Condition("flag", t.value) for t in flags if model.FLAGS_BY_NAME[t.value].condition)
    if len(conds) != len(flags):
        return None
    return Frame("measure", "ranking", conds, reading.windows[0], asked=(metrics[0].value,), group="user",
                 order="desc")


MEASURE_RULES: tuple[F.Rule, ...] = (legacy, portion, period_winner, each_who, difference, side_by_side, average_day,
                                     average, ranking, total)


def named_teams(reading: Reading) -> Reading:
    """The reading without the noun of a named team ('the payments-api team', 'team web-frontend'): its value says
    it."""
    toks, text = reading.tokens, reading.text
    named = [i for i, t in enumerate(toks) if t.kind == "value" and t.value[0] == TEAM]
    nouns = {j for i in named for j in (i - 1, i + 1)
             if 0 <= j < len(toks) and (toks[j].kind, toks[j].value) == ("entity", TEAM)}
    members = {i - 1 for i in named if i > 0 and toks[i - 1].kind == "entity" and toks[i - 1].text in _MEMBERS and
               re.search(rf"\b{toks[i - 1].text} (of|on|in) (the )?{re.escape(toks[i].text)}\b", text)}
    each = any(re.search(rf"\b(?:each|every|per) {toks[i].text} (of|on|in)\b", text) for i in members)
    if reading.has("shape", "list") or reading.has("top") or reading.has("ordinal") or each:
        members = set()  # 'which people on payments-api', 'top 3 people on platform-core': the people are asked for
    if members:  # 'prompts sent by members of the data-science team': the team's, not each member's
        text = _MEMBERS_OF.sub("", text)
    if not nouns | members:
        return reading
    return Reading(tuple(t for j, t in enumerate(toks) if j not in nouns | members), reading.windows, reading.notes,
                   text)


_MEMBERS = W.MEMBER_WORDS
_MEMBERS_OF = re.compile(rf"\b(?:{'|'.join(_MEMBERS)}) (?:of|on|in) (?:the )?", re.I)


def _apart(reading: Reading) -> Reading | None:
    """'the acceptance rate for typescript and for python, separately': see tokens.apart_placed."""
    if not apart_placed(reading.tokens):
        return None
    return Reading(tuple(t for t in reading.tokens if t.kind != "apart"), reading.windows, reading.notes, reading.text)


def compose(reading: Reading) -> Frame | None:
    """The frame for a reading: ranking, difference and average words go to the measure rules only."""
    if reading.has("apart"):
        reading = _apart(reading)
        if reading is None:
            return None
    if F.names_pull_requests(reading):  # GitHub's PR figures, 'median' minutes included
        ranked = reading.has("top") or reading.has("ordinal") or "who" in reading.text.split()
        return None if ranked else F.figures(reading)  # GitHub's figures are totals: no one's ranking
    if not any(t.kind in RANKING_KINDS for t in reading.tokens):
        got = F.compose(reading)
        if got is not None:
            return got
    else:
        # seats per team and team sizes, ranked: 'which team granted the most seats', 'the largest team'
        got = F.seats(reading) or F.teams(reading)
        if got is not None and got.shape == "group":
            return got
    reading = named_teams(reading)
    for rule in MEASURE_RULES:
        frame = rule(reading)
        if frame is not None:
            return frame
    return None
