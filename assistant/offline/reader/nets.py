"""Safety nets over either reader's SQL: a part of the question the answer does not carry (a second question, an
'or' between two bounds, each of several periods, a comparison, a number), so the answer would be to another
question. Each returns what was dropped, or None; the caller refuses rather than answer something else."""

from __future__ import annotations

import re

from assistant.offline.reader import words as W
from assistant.offline.reader.frame import AND_WHO
from assistant.offline.reader.tokens import Reading, Token
from assistant.offline.windows import find_windows
from assistant.semantic import model

# 'how many users were active last week, and which day had the most': two questions; an answer to one of them
# drops the other ('and who were they' / 'and how many of them' are read as such, and are not this)
_SECOND_QUESTION = re.compile(r"\b(?:how (?:many|much)|the (?:number|count|total) of)\b.*?\b(?:and|but|plus)\s+"
                              r"(?:also\s+)?(?:on |in |for |at |by )?(which|what|when|who|whose|where)\b")
# 'more than 10 or fewer than 5', 'more or less than 10': a bound, 'or', another bound: either holds, not both
_BOUND = r"(?:more|fewer|less|greater|over|under|above|below|at least|at most|higher|lower)"
_OR_BOUNDS = re.compile(rf"\b{_BOUND}\b(?:(?!\bor\b)[^,;.?])*\bor\s+(?:else\s+)?{_BOUND}\b")
# 'in each of the last 2 weeks', 'every week', 'per month': a figure for each period (or an average over them)
_EACH_PERIOD = re.compile(r"\b(?:each|every|per)(?: one)? (?:of (?:the|those|these) (?:(?:last|past|previous) )?"
                          r"(?:\w+ )?)?(?:day|week|month|quarter)s?\b")
# 'X's acceptances compared with Y's', 'mchen vs raj': two figures side by side (or their difference)
_BY_PERIOD = r"\bgroup by\b|\bintersect\b|\bhaving count\(distinct day\)|\bover\s*\("
_AVERAGE = re.compile(r"\b(?:average|avg|mean|typical|typically|median|on average)\b")
# a rate (a ratio of two sums) held against a number of 1 or more: 'more than 1 acceptance' is a count, not a rate
_RATE_BOUND = re.compile(r"/\s*nullif\([^()]*(?:\([^()]*\))?[^()]*\)(?:, \d\))?\s*(?:>=?|<=?|=)\s*(\d+(?:\.\d+)?)\b")
_COMPARED = re.compile(r"\b(?:compared (?:with|to)|in comparison (?:with|to)|vs(?! code)|versus|relative to|"
                       r"against)\b")


# 'who used copilot most recently': a ranking by the latest day (or time) of something, which an answer ranked by
# how much or how often does not give ('the seats most recently assigned' is rewritten before this, to 'newest')
_RECENCY = re.compile(r"\b(?:most|least) recent(?:ly)?\b")
# ... the latest day, or a seat's time, date or last-recorded field (its assignment, last activity, last editor)
_SEAT_TIMES = sorted({a.column for e in ("seat", "seat_usage", "seat_activity")
                      for a in model.ENTITIES_BY_NAME[e].attributes if a.kind in ("time", "date") or
                      a.column.startswith("last")})
_BY_TIME = re.compile(r"\b(?:max|min|arg_max|arg_min)\(\s*day\b|\bday\s+(?:desc|asc)\b|"
                      + "|".join(rf"\b{re.escape(c)}\b" for c in _SEAT_TIMES))


# 'prompts per user by team', 'teams by lines per member': a figure for each person, or per person (a ratio); an
# answer with neither (a team's total) is to another question
_PER_PERSON = re.compile(r"(?:\b(?:per|each|for each) (?:active )?(?:user|member|person|dev|developer|engineer|head)|"
                         r"\beach (?:of (?:the|those|these|our) )?(?:\w+ )?(?:users|members|people|devs|developers|"
                         r"engineers))\b(?!'| seat| licen| account| login)")  # 'each person's seat' names a seat
_PER_PERSON_SQL = re.compile(r"/|\bavg\(|\bmedian\(|\buser_login\b|\buser_id\b\s*(?:,|from|$)|\blogin\b")


# a window kept in SQL: a date or time literal, an interval from the latest day, or the latest day itself
_DATED_SQL = re.compile(r"\b(?:date|timestamptz|timestamp) '|\binterval\b|[=<>]\s*\(\s*select max\(\s*day\s*\)|"
                        r"\bcurrent_date\b")


def check(reading: Reading, sql_text: str) -> str | None:
    """What of the question the SQL does not carry, by every net here; None when it keeps all of it."""
    bounded = [w for w in reading.windows if w.start is not None or w.end is not None]
    if bounded and not _DATED_SQL.search(sql_text.lower()):
        return f"the question names {bounded[0].text()}, but the answer I found covers no window"
    m = _PER_PERSON.search(reading.text)
    if m and not _PER_PERSON_SQL.search(sql_text.lower()):
        return f"'{m[0]}' asks for a figure per person, but the answer I found gives totals"
    m = _RECENCY.search(reading.text)
    if m and not _BY_TIME.search(sql_text.lower()):
        return f"'{m[0]}' ranks by when, but the answer I found ranks by how much"
    edge = _edge_of_use(reading)
    if edge and not _BY_TIME.search(sql_text.lower()):  # 'which ide did X last use in october'
        return f"'{edge}' asks when, but the answer I found says how much"
    if any(t.kind == "shape" and t.value == "share" for t in reading.tokens) and "/" not in sql_text:
        return "a share was asked for, but the answer I found computes no ratio"
    m = _RATE_OF_USE.search(reading.text)
    if m:  # 'at least once a week in october': a use in every week, which no count per week or in all says
        return f"'{m[0]}' asks how often each person used it, which I cannot check"
    m = _SPAN_AFTER.search(reading.text)
    if m:  # 'the 7 days after oct 12' counts from a day, a span no window here reads (never 'the last 7 days')
        return f"'{m[0]}' counts a span from a day, which I cannot place"
    if _uncompared(reading, sql_text):
        return "a difference was asked for ('more ... than'), but the answer I found computes none"
    if _paired_sides(reading):
        return "each side of the comparison names its own period ('X in october vs Y in september'), which I cannot " \
               "pair up without crossing them"
    return uncounted(reading.tokens, sql_text) or dropped(reading.text, sql_text) or \
        unranked(reading.tokens, sql_text) or unmeasured(reading.tokens, sql_text)


_NAMED = frozenset({"value", "login"})


def _paired_sides(reading: Reading) -> bool:
    """'raj-kim in october vs nzhang in september': a value (or person) and a period named together on each side of
    one comparison go together; no answer here crosses them (four figures), so none is given."""
    vs = [i for i, t in enumerate(reading.tokens) if t.kind == "vs"]
    if len(vs) != 1 or not any(t.kind in _NAMED for t in reading.tokens[:vs[0]]) or \
            not any(t.kind in _NAMED for t in reading.tokens[vs[0] + 1:]):
        return False
    cut = list(_COMPARED.finditer(reading.text))
    ends = [w.end for w in reading.windows if w.end is not None]
    if len(cut) != 1 or len(reading.windows) != 2 or not ends:
        return False
    sides = (reading.text[:cut[0].start()], reading.text[cut[0].end():])
    return all(find_windows(side, max(ends))[1] or any(p in side for p in W.BEFORE) for side in sides)


def _edge_of_use(reading: Reading) -> str:
    """'last used', 'first used': the first or last time of a use, right before its verb ('' when none)."""
    toks = reading.tokens
    return next((f"{a.text} {b.text}" for a, b in zip(toks, toks[1:]) if a.kind == "first" and b.kind == "use"), "")


def _uncompared(reading: Reading, sql_text: str) -> bool:
    """'how many users accepted more in november than in october': a count of a difference, which two periods side
    by side do not give (they answer 'was it lower in ... than in ...', not this)."""
    kinds = {(t.kind, t.value) for t in reading.tokens}
    more = ("diff", "more") in kinds or ("diff", "fewer") in kinds or any(k == "comparative" for k, _ in kinds)
    asked = any((t.kind, t.value, t.text) == ("shape", "count", "how many") for t in reading.tokens)
    return more and asked and ("diff", "than") in kinds and not re.search(
        r"\)\s*-\s*(sum|count|round|\(|[a-z_]+\))|\b[a-z]\s*-\s*[a-z]\b|\bhaving\b", sql_text.lower())


# the tables of GitHub's own totals (the aggregate and legacy reports), named once in the model
_TOTALS_TABLES = r"\b(?:" + "|".join(sorted({re.escape(table) for table, _ in (
    *model.AGGREGATE_SOURCES.values(), *model.LEGACY_SOURCES.values())})) + r")\b"


_EACH = frozenset({"each", "every", "per"})


def uncounted(tokens: tuple[Token, ...], sql_text: str) -> str | None:
    """'how many users accepted more in november than in october', 'how many languages did X use': a count of people
    or of a breakdown's values, which an answer of sums, or a listing of the values, does not give."""
    low = " ".join(sql_text.lower().split())
    if re.search(_TOTALS_TABLES, low):  # GitHub's own totals of people are counts already
        return None
    for a, b in zip(tokens, tokens[1:]):
        if (a.kind, a.value) != ("shape", "count"):
            continue
        # '(how many) did each user (send)': each one's amount, not a number of people
        if b.kind == "entity" and b.value == "user" and "count(" not in low and b.text.split()[0] not in _EACH:
            return f"'{a.text} {b.text}' asks for a number of people, but the answer I found counts none"
        counted = rf"count\((?:distinct )?\w*\.?{re.escape(str(b.value))}\b|count\(\*\)"
        if b.kind == "dim" and not re.search(counted, low):
            return f"'{a.text} {b.text}' asks for a number of them, but the answer I found lists them"
    return None


_RATE_OF_USE = re.compile(r"\b(?:once|twice|\d+ times|(?:one|two|three|four|five) times) (?:a|per|each|every) "
                          r"(?:day|week|month)\b")
_SPAN_AFTER = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|ten|a|the|first) "
                         r"(?:days?|weeks?|months?|fortnight) (?:after|following)\b")


def dropped(text: str, sql_text: str) -> str | None:
    """What of the question (normalised, lower case) the SQL does not carry, or None when it keeps all of it."""
    low = " ".join(sql_text.lower().split())
    # the top of a ranking ('... limit 1') answers the 'which' and drops the 'how many'
    two = _SECOND_QUESTION.search(text)
    # ... and a bare count answers the 'how many' and drops a 'which of them' / 'who'
    listed = two is not None and two[1] in ("which", "who", "whose") and \
        re.match(r"\s*select count\([^()]*\)(?: as \w+)? from\b", low) is not None and "group by" not in low
    if two and not AND_WHO.search(text) and (re.search(r"\blimit \d+\s*$", low.strip()) or listed):
        return "the question asks two things (how many, and which or when), but the answer I found gives one"
    if _TWO_COUNTS.search(text) and 0 < _outputs(low) < (3 if re.search(r"\bgroup by\b", low) else 2) and \
            len(re.findall(r"\b(?:count|sum)\(", low)) < 2 and not re.search(r"\bcase when\b|\bunion\b", low):
        return "the question asks for two counts, but the answer I found gives one"  # (rows of a union or case: both)
    if _OR_BOUNDS.search(text) and not re.search(r"\bor\b", low):
        return "two bounds are joined by 'or' (either may hold), but the answer I found does not take either one"
    m = _EACH_PERIOD.search(text)
    averaged = _AVERAGE.search(text) and re.search(r"/|\bavg\(", low)
    if m and not averaged and not re.search(_BY_PERIOD, low):
        return f"'{m[0]}' asks for a figure for each period, but the answer I found is one figure for all of them"
    m = _COMPARED.search(text)
    # two named people or values summed together ('... in ('a', 'b')' with no breakdown) are no comparison
    if m and re.search(r"\bin \('", low) and \
            not re.search(r"\bgroup by\b|\bunion\b|\bcase when\b|\)\s*-\s*|\bover\s*\(", low):
        return f"'{m[0]}' asks for figures side by side, but the answer I found is one figure"
    whole = re.search(r"%|\bper ?cent|\ball\b|\bevery\b", text)  # 'a rate of 100%' may be held against 1
    if not whole and any(float(x) >= 1 for x in _RATE_BOUND.findall(low)):
        return "a rate is held against a number no rate reaches, so the number must count something else"
    if m and _one_output(low) and not re.search(r"\bgroup by\b|\bunion\b|\bcase when\b|\bover\s*\(", low):
        return f"'{m[0]}' asks for two figures side by side, but the answer I found is one figure"
    return None


def _one_output(low: str) -> bool:
    """Whether the outer SELECT gives one column (no comma at depth 0 before its FROM)."""
    return _outputs(low) == 1


def _outputs(low: str) -> int:
    """How many columns the outer SELECT gives (0 when it is not a plain SELECT)."""
    if not low.startswith("select "):
        return 0
    depth, n = 0, 1
    for i in range(len("select "), len(low)):
        depth += {"(": 1, ")": -1}.get(low[i], 0)
        if depth == 0 and low[i] == ",":
            n += 1
        if depth == 0 and low.startswith(" from ", i):
            return n
    return 0


# 'how many members does each team have, and how many of them used copilot': two counts (for each group)
_TWO_COUNTS = re.compile(r"\bhow many\b.*\band how many\b")


_PEAK = frozenset({"highest", "lowest", "busiest", "quietest", "peak", "maximum", "minimum", "max", "min"})


def unranked(tokens: tuple[Token, ...], sql_text: str) -> str | None:
    """'which languages with 100 suggestions had the highest acceptance rate': the superlative's own rate must be
    what the answer ranks by (a count after a verb may be another: 'accepted the fewest suggestions'); 'the highest
    number of active users by day' asks for the top one, not every day."""
    low = " ".join(sql_text.lower().split())
    orders = re.findall(r"\border by ((?:(?!\border by\b).)*)$", low)
    order = orders[-1] if orders else ""
    for i, t in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        rate = nxt.kind == "metric" and model.GROUPING_OF.get(nxt.value) == "ratio"
        if t.kind == "top" and rate and order and not re.match(r"\d", order) and \
                re.search(rf"\bas {re.escape(str(nxt.value))}\b", low) and str(nxt.value) not in order:
            return f"'{t.text} {nxt.text}' ranks by {nxt.text}, but the answer I found ranks by something else"
    peak = next((t for t in tokens if t.kind == "top" and t.text in _PEAK), None)
    # 'which organizations have the lowest share': a plural asks for several, ranked
    plural = any(a.kind == "shape" and a.value == "list" and b.kind in ("dim", "entity") and b.text.endswith("s")
                 for a, b in zip(tokens, tokens[1:]))
    if peak is not None and not plural and not any(t.kind == "num" for t in tokens) and "group by" in low and \
            not re.search(r"\blimit \d+|\bmax\(|\bmin\(|\barg_?max\(|\barg_?min\(", low):
        return f"'{peak.text}' asks for the top one, but the answer I found lists them all"
    return None


# 'accepted 200 suggestions' counts acceptances: the verb's measure stands for the noun's
_NAMED_WITHIN: dict[str, set[str]] = {"code_generations": {"code_acceptances"}}


def unmeasured(tokens: tuple[Token, ...], sql_text: str) -> str | None:
    """'how many people had suggestions but accepted none': every counter the question names must be in the SQL (its
    column, or its name); a count the answer never reads was dropped or swapped for another."""
    low = " ".join(sql_text.lower().split())
    named = {t.value for t in tokens if t.kind == "metric"}
    for t in tokens:
        if t.kind != "metric" or t.value not in model.SUM_COLUMN or named & _NAMED_WITHIN.get(t.value, set()):
            continue
        sources = [model.SUM_COLUMN[t.value], str(t.value)] + \
            [expr for name, (_, expr) in {**model.AGGREGATE_SOURCES, **model.LEGACY_SOURCES}.items() if name == t.value]
        if not any(re.sub(r"^\w+\(|\)$", "", s.lower()) in low for s in sources):
            return f"'{t.text}' is in the question, but the answer I found does not count it"
    return None
