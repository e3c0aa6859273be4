"""Free text to an Intent: the metrics, dimensions, filters, window and shape a question asks for.

No grammar: dates, thresholds and "top N" are found by pattern, then the rest is cut into known phrases
(metrics, dimension words, data values) longest first. Words left over that are not filler make the
translator refuse rather than answer a different question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from assistant.errors import CannotAnswer
from assistant.translate import offline_lexicon as lex

LOW_ACCEPTANCE_RATE = 0.25  # "low acceptance" means an acceptance rate under 25%
HIGH_ACCEPTANCE_RATE = 0.40  # "high acceptance" means an acceptance rate over 40%
DEFAULT_WINDOW_DAYS = 28

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
                "a": 1, "a couple of": 2, "a few": 3}
MONTHS = {m: i + 1 for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                          "september", "october", "november", "december"))}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
_NUM = r"(\d+|" + "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True)) + r")"
_MON = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"


@dataclass(frozen=True)
class Window:
    start: date | None  # None: from the first day in the data
    end: date | None
    label: str

    def text(self) -> str:
        if self.start is None:
            return f"{self.label} (all loaded days)"
        if self.start == self.end:
            return f"{self.label} ({self.start})"
        return f"{self.label} ({self.start}..{self.end})"


@dataclass(frozen=True)
class Threshold:
    metric: str
    op: str  # >, >=, <, <=, =
    value: float

    def text(self) -> str:
        return f"{self.metric.replace('_', ' ')} {self.op} {self.value:g}"


@dataclass(frozen=True)
class Intent:
    metrics: tuple[str, ...] = ()
    dims: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    window: Window | None = None
    periods: tuple[Window, ...] = ()
    weekdays: str | None = None  # "weekdays" or "weekends"
    order: str | None = None  # "desc" or "asc"
    limit: int | None = None
    thresholds: tuple[Threshold, ...] = ()
    shape: str = "aggregate"  # aggregate, count_users, users, inactive, first_time, only_completions, coverage, average
    average: str | None = None  # "per_user" or "per_day"
    user_noun: bool = False
    negated: bool = False
    notes: tuple[str, ...] = ()

    def filter(self, dim: str) -> tuple[str, ...]:
        return dict(self.filters).get(dim, ())

    def with_filter(self, dim: str, values: tuple[str, ...]) -> "Intent":
        rest = tuple((d, v) for d, v in self.filters if d != dim)
        return replace(self, filters=rest + ((dim, values),) if values else rest)


@dataclass
class Token:
    kind: str  # metric, dim, value, user_noun, word, thresh, top, login
    value: Any
    text: str


# --- windows -------------------------------------------------------------------------------------
def _num(s: str) -> int:
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
        return date(int(m[1]), int(m[2]), int(m[3]))
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


_DATE = r"(\d{4}-\d{1,2}-\d{1,2}|" + _MON + r"\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?|(?:the )?\d{1,2}(?:st|nd|rd|th)? (?:of )?" + _MON + r"\.?(?: \d{4})?)"


def _windows(text: str, as_of: date) -> tuple[str, list[Window], str | None]:
    """Find windows in the text, blanking what was used; returns (text, windows, weekdays)."""
    found: list[tuple[int, Window]] = []

    def take(pattern: str, make: Any) -> None:
        nonlocal text
        for m in list(re.finditer(pattern, text)):
            w = make(m)
            if w is not None:
                found.append((m.start(), w))
                text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]

    def days(n: int, label: str) -> Window:
        return Window(as_of - timedelta(days=n - 1), as_of, label)

    take(r"\bbetween " + _DATE + r" and " + _DATE, lambda m: _range(m[1], m[m.lastindex], as_of, m[0]))
    take(r"\bfrom " + _DATE + r" (?:to|until|till|through|thru|-) " + _DATE,
         lambda m: _range(m[1], m[m.lastindex], as_of, m[0]))
    take(r"\b" + _DATE + r" (?:to|until|till|through|thru|-) " + _DATE,
         lambda m: _range(m[1], m[m.lastindex], as_of, m[0]))
    take(r"\b(?:since|starting|after) " + _DATE,
         lambda m: (lambda d: Window(d, as_of, f"since {d}") if d else None)(_parse_date(m[1], as_of)))
    take(r"\b(?:on|for) " + _DATE, lambda m: (lambda d: Window(d, d, f"on {d}") if d else None)(
        _parse_date(m[1], as_of)))
    take(r"\b(?:in the |over the |during the |for the |in |over |during |for )?(?:last|past|previous|prior|trailing)"
         r" " + _NUM + r" (day|week|month)s?\b",
         lambda m: _last_n(_num(m[1]), m[2], as_of))
    take(r"\b(?:the )?(?:last|past|previous|prior) (?:full |calendar )?(month)\b|\b(a month ago)\b",
         lambda m: Window(*_prev_month(as_of), "last month"))
    if re.search(r"\bthis week\b", text):  # "this week vs last week": the previous Monday-Sunday week
        monday = as_of - timedelta(days=as_of.weekday())
        take(r"\b(?:the )?(?:last|previous|prior) week\b",
             lambda m: Window(monday - timedelta(days=7), monday - timedelta(days=1), "last week (Monday-Sunday)"))
    take(r"\b(?:the )?(?:last|past|previous|prior) (week)\b",
         lambda m: days(7, "the last 7 days"))
    text = re.sub(r"\b(?:these days|nowadays|lately|recently|currently|at the moment|right now)\b", " ", text)
    take(r"\bthis (?:calendar )?month\b|\bmonth to date\b|\bmtd\b|\bso far this month\b|\bcurrent month\b",
         lambda m: Window(_month_start(as_of), as_of, "this month"))
    take(r"\bthis week\b|\bcurrent week\b|\bweek to date\b",
         lambda m: Window(as_of - timedelta(days=as_of.weekday()), as_of, "this week (from Monday)"))
    take(r"\b(?:yesterday|today|(?:on )?the (?:latest|last|most recent) day(?: in the data)?)\b",
         lambda m: Window(as_of, as_of, "the latest day in the data"))
    take(r"\b(?:(?:of |in |over )?all time|(?:over |for |in )?the (?:whole|entire|full) (?:period|range|data(?:set)?)|"
         r"(?:in |over )?all (?:the )?(?:loaded )?data|since the (?:start|beginning)|in the (?:data|database|dataset)|"
         r"(?:in |over )?the data we have|(?:so far )?loaded)\b",
         lambda m: Window(None, None, "all time"))
    take(r"\b(?:in|during|for|of) " + _MON + r"(?: (\d{4}))?\b(?! \d)", lambda m: _month(m[1], m[2], as_of))
    weekdays = None
    for pat, val in ((r"\b(?:on |only |just )?(?:weekdays|week days|working days|business days|workdays)(?: only)?\b"
                      r"|\b(?:excluding|exclude|without|except|not counting|ignoring|ignore|skip|no) (?:the )?weekends?\b",
                      "weekdays"), (r"\b(?:on |only |just )?(?:the )?weekends?(?: only)?\b", "weekends")):
        if re.search(pat, text):
            weekdays = val
            text = re.sub(pat, " ", text)
            break
    return text, [w for _, w in sorted(found, key=lambda x: x[0])], weekdays


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
    start = _add_months(as_of, -n) .replace(day=min(as_of.day, 28)) + timedelta(days=1)
    return Window(start, as_of, f"the last {n} months")


def _month(name: str, year: str | None, as_of: date) -> Window:
    mon = MONTHS[name]
    y = int(year) if year else (as_of.year if mon <= as_of.month else as_of.year - 1)
    start = date(y, mon, 1)
    end = _add_months(start, 1) - timedelta(days=1)
    return Window(start, min(end, as_of) if end > as_of else end, start.strftime("%B %Y"))


def default_window(as_of: date) -> Window:
    return Window(as_of - timedelta(days=DEFAULT_WINDOW_DAYS - 1), as_of,
                  f"the last {DEFAULT_WINDOW_DAYS} days (default window)")


# --- thresholds and ranks ---------------------------------------------------------------------
_OPS = (("more than", ">"), ("greater than", ">"), ("over", ">"), ("above", ">"), ("at least", ">="),
        ("no fewer than", ">="), ("no less than", ">="), ("fewer than", "<"), ("less than", "<"), ("under", "<"),
        ("below", "<"), ("at most", "<="), ("no more than", "<="), ("exactly", "="), ("only", "="), ("just", "="),
        (">=", ">="), ("<=", "<="), (">", ">"), ("<", "<"))
_OP_RE = r"(" + "|".join(re.escape(o) for o, _ in sorted(_OPS, key=lambda x: -len(x[0]))) + r")"


def _thresholds(text: str) -> tuple[str, list[tuple[int, str, float, bool]]]:
    out: list[tuple[int, str, float, bool]] = []

    def sub(m: re.Match[str]) -> str:
        op = dict(_OPS)[m[1]]
        n = m[2]
        value = float(n) if n[0].isdigit() else float(NUMBER_WORDS[n])
        out.append((m.start(), op, value / 100 if m[3] else value, bool(m[3])))
        return f" THRESH{len(out) - 1} "

    text = re.sub(r"(?<![\w-])" + _OP_RE + r" (\d+(?:\.\d+)?(?![\w-])|(?:" + _NUM[1:-1] + r")\b)\s?(%|percent\b)?",
                  sub, text)
    text = re.sub(r"\b(\d+) or more\b", lambda m: (out.append((m.start(), ">=", float(m[1]), False)) or
                                                    f" THRESH{len(out) - 1} "), text)
    text = re.sub(r"\b(?:only |just )?once\b", lambda m: (out.append((m.start(), "=", 1.0, False)) or
                                                          f" THRESH{len(out) - 1} days "), text)
    return text, out


# --- phrases -------------------------------------------------------------------------------------
def _variants(value: str) -> set[str]:
    v = value.lower()
    return {v, v.replace("-", " "), v.replace("_", " ")}


AMBIGUOUS_VALUES = frozenset({"c", "unknown", "others", "other", "auto", "prompt", "instructions", "plaintext", "go",
                              "default", "chatagent", "r", "d", "code", "vs", "ask", "agent", "inline", "edit",
                              "plan", "custom", "none", "no cohort", "sql", "xml", "json", "yaml"})


@lru_cache(maxsize=8)
def _phrase_table(values_key: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[dict[str, tuple[str, Any]], Any]:
    values = dict(values_key)
    table: dict[str, tuple[str, Any]] = {}
    for dim, phrases in lex.DIMENSION_PHRASES.items():
        for p in phrases:
            table[p] = ("user_noun", p) if dim == "user" else ("dim", dim)
    for p, name in lex.metric_phrases().items():
        table[p] = ("metric", name)
    value_dims = {"ide": "ide", "feature": "feature", "language": "language", "model": "model", "team": "team",
                  "ai_adoption_phase": "phase", "organization": "organization"}
    for key, dim in value_dims.items():
        present = {v.lower(): v for v in values.get(key, [])}
        for v_lc, v in present.items():
            for p in _variants(v):
                if p not in AMBIGUOUS_VALUES and (p not in table or table[p][0] != "metric"):
                    table[p] = ("value", (dim, v))
        for canonical, aliases in lex.VALUE_ALIASES.get(dim, {}).items():
            if canonical in present or dim in ("feature",) and canonical in present:
                for a in aliases:
                    table[a] = ("value", (dim, present[canonical]))
        if dim == "team":
            _team_parts(table, list(present.values()))
        if dim == "model":
            for fam in lex.MODEL_FAMILIES:
                members = sorted(v for v in present.values() if v.lower().startswith(fam))
                if len(members) > 1:
                    table.setdefault(fam, ("value", ("model_family", fam)))
                    table.setdefault(fam + " models", ("value", ("model_family", fam)))
    table["go code"] = table["golang"] = ("value", ("language", "go"))
    table["in go"] = ("value", ("language", "go"))
    table["agent mode"] = ("value", ("feature", "chat_panel_agent_mode"))
    for p in list(table):
        if p.endswith("s") and p[:-1] not in table and table[p][0] == "value":
            table[p[:-1]] = table[p]
    phrases = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w#+-])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w#+-])"
                         r"|THRESH\d+|TOP\d+|BOTTOM\d+|[\w#+.'/-]+")
    return table, pattern


def _team_parts(table: dict[str, tuple[str, Any]], teams: list[str]) -> None:
    """A word of a team slug names the team when no other team shares it ("frontend" -> web-frontend)."""
    owners: dict[str, set[str]] = {}
    for t in teams:
        for part in re.split(r"[-_ ]", t.lower()):
            if len(part) >= 3:
                owners.setdefault(part, set()).add(t)
    for part, ts in owners.items():
        if len(ts) == 1 and part not in table:
            table[part] = ("value", ("team", next(iter(ts))))
            table[part + " team"] = ("value", ("team", next(iter(ts))))


def tokens(question: str, values: dict[str, list[str]], as_of: date
           ) -> tuple[list[Token], list[Window], str | None, list[tuple[int, str, float, bool]]]:
    """Cut a question into tokens after taking out windows and thresholds."""
    text = " " + normalize(question) + " "
    text, windows, weekdays = _windows(text, as_of)
    text = re.sub(r"\b(top|first|best|bottom|worst|last|lowest|highest) (\d+)\b",
                  lambda m: f" {'BOTTOM' if m[1] in ('bottom', 'worst', 'lowest') else 'TOP'}{m[2]} ", text)
    text, thresholds = _thresholds(text)
    key = tuple(sorted((k, tuple(v)) for k, v in values.items()))
    table, pattern = _phrase_table(key)
    out: list[Token] = []
    for m in pattern.finditer(text):
        s = m[0]
        if s in table:
            kind, val = table[s]
            out.append(Token(kind, val, s))
        elif s.startswith("THRESH"):
            out.append(Token("thresh", int(s[6:]), s))
        elif s.startswith(("TOP", "BOTTOM")):
            out.append(Token("top", ("asc" if s[0] == "B" else "desc", int(s.lstrip("TOPBOTM"))), s))
        else:
            out.append(Token("word", s.strip("'.").removesuffix("'s"), s))
    return out, windows, weekdays, thresholds


def normalize(question: str) -> str:
    q = question.lower().replace("’", "'").replace("‘", "'")
    q = re.sub(r"\bvs\.", "vs", q)
    q = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", q)
    q = lex.STOP_PUNCT.sub(" ", q)
    q = q.replace("can't", "cannot").replace("won't", "will not").replace("n't", " not")
    q = re.sub(r"(?<=\w)'(?:re|ve|ll|d)\b", "", q)
    return re.sub(r"\s+", " ", q).strip()


def refuse(message: str, understood: list[str], suggestions: list[str]) -> CannotAnswer:
    parts = [message]
    if understood:
        parts.append("I understood: " + "; ".join(understood) + ".")
    hint = "Questions I can answer offline, for example: " + " | ".join(f'"{s}"' for s in suggestions[:3])
    hint += ". A configured model (OPENAI_API_KEY / OPENAI_BASE_URL) handles freer questions."
    return CannotAnswer(" ".join(parts), hint=hint)


def as_tuple(d: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(v)) for k, v in d.items())


__all__ = ["Intent", "Window", "Threshold", "Token", "tokens", "default_window", "refuse", "normalize",
           "LOW_ACCEPTANCE_RATE", "HIGH_ACCEPTANCE_RATE", "field"]
