"""Dates in a question: "last 7 days", "this month", "between October 1 and October 31", "on weekdays".

Every window is anchored at `as_of`, the latest day in the data, never the wall clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from assistant.semantic.conventions import DEFAULT_WINDOW_DAYS

# DuckDB's dayofweek: 0 for Sunday
WEEKDAY_NAMES = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
    "a": 1,
    "a couple of": 2,
    "a few": 3,
}
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
# counts said as dozens: 'fewer than a dozen people', 'half a dozen teams' (never the vague plural 'dozens of')
_DOZEN = re.compile(r"\b(half a|a half|a|one) dozen\b(?!s)")


def dozens(text: str) -> str:
    """The text with 'a dozen' as 12 and 'half a dozen' as 6, read as digits wherever digits are read."""
    return _DOZEN.sub(lambda m: "6" if "half" in m[1] else "12", text)


NUMBER_PATTERN = r"(\d+|" + "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True)) + r")"
_MON = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
# 'each month of the data': the periods of all the loaded data (fixed-width look-behinds, one per phrase)
_EACH_PERIOD = "|".join(rf"(?<=\b{e} {p} )" for e in ("each", "every", "per", "by")
                        for p in ("day", "week", "month", "days", "weeks", "months"))


@dataclass(frozen=True)
class Window:
    start: date | None  # None: from the first day in the data
    end: date | None
    label: str

    def text(self) -> str:
        if self.start is None and self.end is not None:
            return f"{self.label} (loaded days up to {self.end})"
        if self.start is None:
            return f"{self.label} (all loaded days)"
        if self.start == self.end:
            return f"{self.label} ({self.start})"
        return f"{self.label} ({self.start}..{self.end})"


# --- windows -------------------------------------------------------------------------------------
def number(s: str) -> int:
    return int(s) if s.isdigit() else NUMBER_WORDS[s]


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _prev_month(d: date) -> tuple[date, date]:
    end = _month_start(d) - timedelta(days=1)
    return _month_start(end), end


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _parse_date(text: str, as_of: date) -> date | None:
    text = text.strip().replace(",", "")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = re.fullmatch(_MON + r"\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", text) or None
    if m:
        mon, day, year = MONTHS[m[1]], int(m[2]), m[3]
    else:
        m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?" + _MON + r"\.?(?: (\d{4}))?", text)
        if not m:
            return None
        mon, day, year = MONTHS[m[2]], int(m[1]), m[3]
    y = int(year) if year else (as_of.year if (mon, day) <= (as_of.month, as_of.day) else as_of.year - 1)
    try:
        return date(y, mon, day)
    except ValueError:
        return None


_DATE = (
    r"(\d{4}-\d{1,2}-\d{1,2}|"
    + _MON
    + r"\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?|(?:the )?\d{1,2}(?:st|nd|rd|th)? (?:of )?"
    + _MON
    + r"\.?(?: \d{4})?)"
)


# A rule: a pattern, and the window a match of it makes (None: not a window after all)
Rule = tuple[str, Callable[[re.Match[str], date], "Window | None"]]


def _days(as_of: date, n: int, label: str) -> Window:
    """The last `n` days up to as_of."""
    return Window(as_of - timedelta(days=n - 1), as_of, label)


def _quarter_start(as_of: date) -> date:
    """The first day of as_of's quarter."""
    return date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)


def _since(w: Window, as_of: date) -> Window:
    """From a window's start up to as_of."""
    return Window(w.start, as_of, f"since {w.start}")


def _on(d: date | None, label: str, as_of: date) -> Window | None:
    """From a day up to as_of ("since"), or the day alone ("on")."""
    if d is None:
        return None
    return Window(d, as_of, f"since {d}") if label == "since" else Window(d, d, f"on {d}")


def _after(d: date | None, as_of: date) -> Window | None:
    """The days after a day (that day not among them) up to as_of."""
    if d is None:
        return None
    return Window(d + timedelta(days=1), as_of, f"after {d}")


def _calendar_last_week(as_of: date) -> Window:
    """The Monday-Sunday week before as_of's ("this week vs last week")."""
    monday = as_of - timedelta(days=as_of.weekday())
    return Window(monday - timedelta(days=7), monday - timedelta(days=1), "last week (Monday-Sunday)")


# windows named by a date or a month name, tried only when the question holds a digit or a month's abbreviation
DATED_RULES: tuple[Rule, ...] = (
    (
        r"\b(?:in |during |over |for )?(?:the )?(first|second|third|fourth|last|final) (week|half) of "
        + _MON
        + r"(?: (\d{4}))?\b(?! \d)",
        lambda m, as_of: _month_part(m[1], m[2], _month(m[3], m[4], as_of), as_of),
    ),
    (
        r"\b(?:in |during |over |for )?(?:the )?week (?:of|starting|beginning) " + _DATE,
        lambda m, as_of: _week_of(_parse_date(m[1], as_of), as_of),
    ),
    (
        r"\b(?:in |during |over |for )?(?:the )?"
        + NUMBER_PATTERN
        + r" (day|week)s? before "
        + _MON
        + r"(?: (\d{4}))?\b(?! \d)",
        lambda m, as_of: _before(number(m[1]), m[2], _month(m[3], m[4], as_of), m[0].strip()),
    ),
    (
        r"\b(?:since|from) the (?:start|beginning) of (?:the month of )?" + _MON + r"(?: (\d{4}))?\b(?! \d)",
        lambda m, as_of: _since(_month(m[1], m[2], as_of), as_of),
    ),
    (r"\bbetween " + _DATE + r" and " + _DATE, lambda m, as_of: _range(m[1], m[m.lastindex], as_of, m[0])),
    (
        r"\bfrom " + _DATE + r" (?:to|until|till|through|thru|-) " + _DATE,
        lambda m, as_of: _range(m[1], m[m.lastindex], as_of, m[0]),
    ),
    (
        r"\b" + _DATE + r" (?:to|until|till|through|thru|-) " + _DATE,
        lambda m, as_of: _range(m[1], m[m.lastindex], as_of, m[0]),
    ),
    # 'from oct 5' with no end (a 'from ... to ...' is a range, taken above): since that day
    # 'after oct 5' starts the day after it (after is exclusive; 'since' and 'from' take the day itself)
    (r"(?<!\bon or )(?<!\bor on )\bafter " + _DATE, lambda m, as_of: _after(_parse_date(m[1], as_of), as_of)),
    (r"\b(?:since|starting|from|on or after|after or on) " + _DATE,
     lambda m, as_of: _on(_parse_date(m[1], as_of), "since", as_of)),
    (r"\b(?:on|for) " + _DATE, lambda m, as_of: _on(_parse_date(m[1], as_of), "on", as_of)),
)
# the last N days, weeks or months, and last month
LAST_N_RULES: tuple[Rule, ...] = (
    (
        r"\b(?:in the |over the |during the |for the |in |over |during |for )?"
        r"(?:last|past|previous|prior|trailing)"
        r" " + NUMBER_PATTERN + r" (day|week|month)s?\b",
        lambda m, as_of: _last_n(number(m[1]), m[2], as_of),
    ),
    # "haven't touched it in 2 weeks": the last N, as above
    (
        r"\b(?:in|within|over) (?:the )?" + NUMBER_PATTERN + r" (day|week|month)s?\b",
        lambda m, as_of: _last_n(number(m[1]), m[2], as_of),
    ),
    (r"\b(?:in |over |during )?the past month\b|\bpast month\b", lambda m, as_of: _days(as_of, 30, "the past 30 days")),
    (
        r"\b(?:the )?(?:last|previous|prior) (?:full |calendar )?(month)\b|\b(a month ago)\b",
        lambda m, as_of: Window(*_prev_month(as_of), "last month"),
    ),
)
# "this week vs last week": last week is then the previous Monday-Sunday week
CALENDAR_LAST_WEEK: Rule = (r"\b(?:(?:in|over|during|for) )?(?:the )?(?:last|previous|prior) week\b",
                            lambda m, as_of: _calendar_last_week(as_of))
# 'the last full week', 'the previous calendar week': the Monday-Sunday week before as_of's, whatever else is asked
FULL_LAST_WEEK: Rule = (r"\b(?:(?:in|over|during|for) )?(?:the )?(?:last|previous|prior|most recent) "
                        r"(?:full|complete|whole|calendar) week\b", lambda m, as_of: _calendar_last_week(as_of))
LAST_WEEK: Rule = (
    r"\b(?:(?:in|over|during|for) )?(?:the )?(?:last|past|previous|prior) (week)\b",
    lambda m, as_of: _days(as_of, 7, "the last 7 days"),
)
# words meaning "now" that name no window
NOW_WORDS = r"\b(?:these days|nowadays|lately|recently|currently|at the moment|right now)\b"
# calendar periods, the latest day, all time, and months by name
CALENDAR_RULES: tuple[Rule, ...] = (
    (
        r"\bthis (?:calendar )?month(?: so far| to date)?\b|\bmonth to date\b|\bmtd\b|\bso far this month\b"
        r"|\bcurrent month\b",
        lambda m, as_of: Window(_month_start(as_of), as_of, "this month"),
    ),
    (
        r"\bthis (?:calendar )?year(?: so far| to date)?\b|\byear to date\b|\bytd\b|\bcurrent year\b",
        lambda m, as_of: Window(date(as_of.year, 1, 1), as_of, "this year"),
    ),
    (
        r"\b(?:the )?(?:last|previous|prior) (?:calendar )?year\b",
        lambda m, as_of: Window(date(as_of.year - 1, 1, 1), date(as_of.year - 1, 12, 31), "last year"),
    ),
    (
        r"\bthis quarter(?: so far| to date)?\b|\bquarter to date\b|\bqtd\b|\bcurrent quarter\b",
        lambda m, as_of: Window(_quarter_start(as_of), as_of, "this quarter"),
    ),
    (
        r"\b(?:since|from) the (?:start|beginning) of (?:the|this) (month|quarter|year)\b",
        lambda m, as_of: Window(
            {"month": _month_start(as_of), "quarter": _quarter_start(as_of), "year": date(as_of.year, 1, 1)}[m[1]],
            as_of,
            f"this {m[1]}",
        ),
    ),
    (
        r"\b(?:in |during |for )?q([1-4])(?: (\d{4}))?(?: so far| to date)?\b",
        lambda m, as_of: _quarter(int(m[1]), m[2], as_of),
    ),
    (
        r"\b(?:the )?(?:last|previous|prior) quarter\b",
        lambda m, as_of: Window(
            _add_months(_quarter_start(as_of), -3), _quarter_start(as_of) - timedelta(days=1), "last quarter"
        ),
    ),
    (
        r"\bthis week(?: so far| to date)?\b|\bcurrent week\b|\bweek to date\b",
        lambda m, as_of: Window(as_of - timedelta(days=as_of.weekday()), as_of, "this week (from Monday)"),
    ),
    (
        r"\b(?:yesterday|today|(?:on )?the (?:latest|last|most recent) day(?: in the data)?)\b",
        lambda m, as_of: Window(as_of, as_of, "the latest day in the data"),
    ),
    (
        r"\b(?:(?:of |in |over )?all time|"
        r"(?:over |for |in )?the (?:whole|entire|full) (?:period|range|data(?: ?set)?)|"
        r"(?:in |over )?all (?:the )?(?:loaded )?data|since the (?:start|beginning)|"
        r"in the (?:data|database|dataset)(?=\s*$|\s+(?:and|but) (?:when|what|how|which|who|on|since)\b)|"
        r"(?:in |over )?the data we have|(?:so far )?loaded|(?:that |which )?we have (?:any )?data(?: for| on)?|"
        r"(?:across|throughout) (?:all )?the (?:whole |entire |loaded )?data(?: ?set)?|"
        r"at any (?:point|time)(?: (?:in|of) (?:the data(?: we (?:have|hold|has))?|(?:the )?time))?|"
        r"(?:that |which )?(?:is |are )?covered by the data|(?:that |which )?the data covers|"
        r"(?:in |over )?the data we (?:hold|has|keep)|"
        rf"(?:{_EACH_PERIOD})(?:of|in|across|over|throughout) the (?:whole |entire |loaded )?"
        r"(?:data(?: ?set)?|database))"
        r"\b(?!-)",  # 'data-science' is a team, not the data
        lambda m, as_of: Window(None, None, "all time"),
    ),
    (r"\b(?:in|during|for|of) " + _MON + r"(?: (\d{4}))?\b(?! \d)", lambda m, as_of: _month(m[1], m[2], as_of)),
    (
        # 'from september to october' names two months, not 'since september'
        r"\b(?:since|from|starting(?: in)?) " + _MON + r"(?: (\d{4}))?\b(?! \d)(?! (?:to|until|till|through|thru|-) )",
        lambda m, as_of: _since(_month(m[1], m[2], as_of), as_of),
    ),
    # a full month name on its own ("compare october and september"); "may" needs "in"
    (
        r"\b(january|february|march|april|june|july|august|september|october|november|december)"
        r"(?: (\d{4}))?\b(?! \d)",
        lambda m, as_of: _month(m[1], m[2], as_of),
    ),
)
# weekday restrictions, the first that matches wins
WEEKDAY_RULES: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:on |only |just )?(?:weekdays|week days|working days|business days|workdays)(?: only)?\b"
        r"|\b(?:excluding|exclude|without|except|not counting|ignoring|ignore|skip|no|leaving out|leave out) "
        r"(?:the )?(?:weekends?|saturdays? (?:and|&|or) sundays?|sundays? (?:and|&|or) saturdays?)\b",
        "weekdays",
    ),
    # "on a saturday or sunday", "saturdays and sundays", "monday to friday": the weekend's or the week's days
    (r"\b(?:on )?(?:a |any |either )?saturdays? (?:or|and|&|and/or) (?:on )?(?:a )?sundays?\b"
     r"|\b(?:on )?(?:a |any |either )?sundays? (?:or|and|&|and/or) (?:on )?(?:a )?saturdays?\b", "weekends"),
    (r"\b(?:on |from )?mondays? (?:to|through|thru|till|until|-) fridays?\b", "weekdays"),
    # "on a weekend day", "on weekend days": the days' noun goes with them ("how many weekend days" counts days)
    (r"\b(?:on |only on |just on )(?:a |any |the )?weekend days?(?: only)?\b", "weekends"),
    (r"\b(?:on |only |just |at |over )?(?:the )?weekends?(?: only)?\b", "weekends"),
    # "prompts on mondays", "on a monday", "on any friday": that weekday only
    *((rf"\b(?:on |every )?{name}s(?: only)?\b|\b(?:on )?(?:a|any|every) {name}\b", f"{name}s")
      for name in WEEKDAY_NAMES),
)


def _take(text: str, rules: tuple[Rule, ...], as_of: date, found: list[tuple[int, Window]]) -> str:
    """Apply each rule in turn: every window it makes is kept with its position and its words blanked."""
    for pattern, make in rules:
        for m in list(re.finditer(pattern, text)):
            w = make(m, as_of)
            if w is not None:
                found.append((m.start(), w))
                text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


def _weekdays(text: str) -> tuple[str, str | None]:
    """The weekday restriction a text names, with its words taken out."""
    for pat, val in WEEKDAY_RULES:
        if re.search(pat, text):
            return re.sub(pat, " ", text), val
    return text, None


_UNIT_SUFFIX = re.compile(r"\b(\d+) ?(d|days?|w|wks?|weeks?)\b")
_MONTH_SHORT = re.compile(r"\b(jan|feb|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?(?=\s|$)")


# 'last 28' with no unit, at the end or before a joining word: days, as 'at least 20 days in the last 28' says
_BARE_LAST_N = re.compile(r"\b(last|past|previous) ([2-9]|[1-9]\d{1,2})(?=\s*$|\s+(?:and|vs|for|by|per|on|in|with|"
                          r"compared|versus|or)\b)")


def _spelled_out(text: str) -> str:
    """'28d' and '4wk' as '28 days' and '4 weeks'; 'sept' and 'oct' as the month names; a bare 'last 28' as days."""
    text = _UNIT_SUFFIX.sub(lambda m: f"{m[1]} {'days' if m[2][0] == 'd' else 'weeks'}", text)
    text = _BARE_LAST_N.sub(r"\1 \2 days", text)
    names = list(MONTHS)[:12]
    return _MONTH_SHORT.sub(lambda m: names[MONTHS[m[1]] - 1], text)


_PART = r"(first|second|third|fourth|last|final) (week|half)"
# 'the first half and the second half of october': both parts are of october
_SHARED_MONTH = re.compile(rf"\b{_PART} (and|vs|or|to|with) (?:the )?{_PART} of {_MON}\b")
# 'the first half of october with the second half', 'the second half of october than the first': the other part is
# of the same month ('last week' is not)
_LATER_PART = re.compile(
    rf"\b({_PART} of {_MON}(?: \d{{4}})?)\b(.*?)\b(?:the )?(first|second|third|fourth) (week|half)"
    r"(?: of (?:the|that|the same) month(?! (?:before|after|earlier|later|prior|previous|next)\b))?\b(?! of)"  # 'compared with the first half of the month': the same month
)
_EVER = re.compile(r"\bever\b")
_NEVER = re.compile(r"\b(?:never|nobody|no one|noone|none|not|no)\b.*\bever\b")
# ('altogether' is not here: it sums what was asked, 'how many accepts did claude models get altogether', over the
# usual window, as 'combined' and 'total' do)
_SCOPE_ALL = re.compile(r"\b(?:in total|overall|all up)\W*$")


def find_windows(text: str, as_of: date, placed: dict[str, Window] | None = None
                 ) -> tuple[str, list[Window], str | None]:
    """Find windows in the text, blanking what was used; returns (text, windows, weekdays). `placed` holds windows
    read already, each by the word standing where it was named (so all come back in the question's order)."""
    found: list[tuple[int, Window]] = []
    text = _spelled_out(text)
    text = _SHARED_MONTH.sub(r"\1 \2 of \6 \3 the \4 \5 of \6", text)
    text = _LATER_PART.sub(lambda m: f"{m[1]}{m[5]}the {m[6]} {m[7]} of {m[4]}", text)
    text = re.sub(r"\b(last|past|previous|prior) fortnight\b", r"\1 2 weeks", text)
    text = re.sub(r"\ba fortnight\b", "2 weeks", text)
    # the date patterns are big; compiling them only for questions that name a date keeps a cold start fast
    dated = re.search(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", text)
    text = _slash_dates(text, as_of) if dated else text
    early: list[tuple[int, Window]] = []  # read before, so no reason for 'ever' to be all the data's
    if placed:
        rule: Rule = (r"\b(?:" + "|".join(map(re.escape, placed)) + r")\b", lambda m, _: placed[m[0]])
        text = _take(text, (rule,), as_of, early)
    if dated:
        text = _take(text, DATED_RULES, as_of, found)
    text = _take(text, LAST_N_RULES, as_of, found)
    if re.search(r"\bthis week\b", text):
        text = _take(text, (CALENDAR_LAST_WEEK,), as_of, found)
    text = _take(text, (FULL_LAST_WEEK, LAST_WEEK), as_of, found)
    text = re.sub(NOW_WORDS, " ", text)
    text = _take(text, CALENDAR_RULES, as_of, found)
    ever = _EVER.search(text) and not _NEVER.search(text)  # 'nobody has ever used': the negation's, not a window
    if not found and (_SCOPE_ALL.search(text) or ever):
        # 'X overall', '... in total', '... ever' with no period named: all the data
        found.append((len(text), Window(None, None, "all time")))
        text = _EVER.sub(" ", _SCOPE_ALL.sub(" ", text))
    text, weekdays = _weekdays(text)
    return text, [w for _, w in sorted(found + early, key=lambda x: x[0])], weekdays


def _slash_dates(text: str, as_of: date) -> str:
    """Rewrite 10/15 as "october 15" when the order is clear: month/day (US), or day/month when the first
    number cannot be a month; a date like 3/4 is clear only next to one that fixes the order (10/1 and
    10/15); an unclear one is left alone, so the question is refused."""
    pairs = [(int(m[1]), int(m[2])) for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})\b", text)]
    if not pairs:
        return text
    us = any(b > 12 for a, b in pairs)
    eu = any(a > 12 for a, b in pairs)
    if us == eu:
        return text  # no date fixes the order, or they disagree
    names = list(MONTHS)[:12]

    def sub(m: re.Match[str]) -> str:
        a, b = int(m[1]), int(m[2])
        mon, day = (a, b) if us else (b, a)
        if not 1 <= mon <= 12:
            return m[0]
        return f"{names[mon - 1]} {day}"

    return re.sub(r"\b(\d{1,2})/(\d{1,2})\b", sub, text)


def _month_part(which: str, part: str, month: Window, as_of: date) -> Window | None:
    """'the first week of november' (days 1-7), 'the last week of october' (its last 7 days), 'the second
    half of october' (16th to the end)."""
    start = month.start
    assert start is not None
    end = _add_months(start, 1) - timedelta(days=1)
    if part == "half":
        if which in ("first",):
            lo, hi = start, start.replace(day=15)
        elif which in ("second", "last", "final"):
            lo, hi = start.replace(day=16), end
        else:
            return None
    elif which in ("last", "final"):
        lo, hi = end - timedelta(days=6), end
    else:
        k = ("first", "second", "third", "fourth").index(which)
        lo = start + timedelta(days=7 * k)
        hi = lo + timedelta(days=6)
    if lo > as_of:
        return None
    return Window(lo, min(hi, as_of), f"the {which} {part} of {start.strftime('%B %Y')}")


def _week_of(d: date | None, as_of: date) -> Window | None:
    """'the week of October 12': the Monday-Sunday week holding that day."""
    if d is None:
        return None
    monday = d - timedelta(days=d.weekday())
    return Window(monday, min(monday + timedelta(days=6), as_of), f"the week of {monday} (Monday-Sunday)")


def _before(n: int, unit: str, month: Window, raw: str) -> Window | None:
    """'the 2 weeks before November': the N days or weeks up to the day before the month starts."""
    if month.start is None:
        return None
    end = month.start - timedelta(days=1)
    return Window(end - timedelta(days=n * (7 if unit == "week" else 1) - 1), end, raw)


def _quarter(n: int, year: str | None, as_of: date) -> Window | None:
    y = int(year) if year else as_of.year
    start = date(y, 3 * (n - 1) + 1, 1)
    if not year and start > as_of:
        start = start.replace(year=y - 1)
    if start > as_of:
        return None
    end = _add_months(start, 3) - timedelta(days=1)
    return Window(start, min(end, as_of), f"Q{n} {start.year}")


def _range(a: str, b: str, as_of: date, raw: str) -> Window | None:
    start, end = _parse_date(a, as_of), _parse_date(b, as_of)
    if not start or not end:
        return None
    if start > end and start.year == end.year:
        start = start.replace(year=start.year - 1)
    return Window(start, end, f"{start}..{end}")


def _last_n(n: int, unit: str, as_of: date) -> Window:
    if unit == "day":
        return Window(as_of - timedelta(days=n - 1), as_of, f"the last {n} days")
    if unit == "week":
        return Window(as_of - timedelta(days=7 * n - 1), as_of, f"the last {n} weeks ({7 * n} days)")
    start = _add_months(as_of, -n).replace(day=min(as_of.day, 28)) + timedelta(days=1)
    return Window(start, as_of, f"the last {n} months")


def _month(name: str, year: str | None, as_of: date) -> Window:
    mon = MONTHS[name]
    y = int(year) if year else (as_of.year if mon <= as_of.month else as_of.year - 1)
    start = date(y, mon, 1)
    end = _add_months(start, 1) - timedelta(days=1)
    return Window(start, min(end, as_of) if end > as_of else end, start.strftime("%B %Y"))


def default_window(as_of: date) -> Window:
    return Window(
        as_of - timedelta(days=DEFAULT_WINDOW_DAYS - 1),
        as_of,
        f"the last {DEFAULT_WINDOW_DAYS} days (default window)",
    )
