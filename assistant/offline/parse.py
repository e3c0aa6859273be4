"""Free text to an Intent: the metrics, dimensions, filters, window and shape a question asks for.

No grammar: dates, thresholds and "top N" are found by pattern, then the rest is cut into known phrases
(metrics, dimension words, data values) longest first. Words left over that are not filler make the
translator refuse rather than answer a different question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from assistant.errors import CannotAnswer
from assistant.offline import lexicon as lex
from assistant.offline.windows import (
    NUMBER_PATTERN,
    NUMBER_WORDS,
    Window,
    default_window,
    dozens,
    find_windows,
)
from assistant.semantic import model
from assistant.semantic.conventions import HIGH_ACCEPTANCE_RATE, LOW_ACCEPTANCE_RATE


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
    weekdays: str | None = None  # "weekdays", "weekends" or one day of the week ("mondays")
    order: str | None = None  # "desc" or "asc"
    limit: int | None = None
    thresholds: tuple[Threshold, ...] = ()
    # aggregate, count_users, seat_list, seat_count, first_time, only_completions, coverage,
    # average_per_user, average_per_day
    shape: str = "aggregate"
    user_noun: bool = False
    negated: bool = False
    notes: tuple[str, ...] = ()  # flags for the SQL builder: "present_only" (keep groups that used it)
    part_of: tuple[str, str] | None = None  # "..., and how much of that came from agents": (dim, value)

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


# --- thresholds and ranks ---------------------------------------------------------------------
_OPS = (
    ("more than", ">"),
    ("greater than", ">"),
    ("over", ">"),
    ("above", ">"),
    ("at least", ">="),
    ("no fewer than", ">="),
    ("no less than", ">="),
    ("fewer than", "<"),
    ("less than", "<"),
    ("under", "<"),
    ("below", "<"),
    ("at most", "<="),
    ("no more than", "<="),
    ("exactly", "="),
    ("only", "="),
    ("just", "="),
    (">=", ">="),
    ("<=", "<="),
    (">", ">"),
    ("<", "<"),
)
_OP_RE = r"(" + "|".join(re.escape(o) for o, _ in sorted(_OPS, key=lambda x: -len(x[0]))) + r")"


def _thresholds(text: str) -> tuple[str, list[tuple[int, str, float, bool]]]:
    out: list[tuple[int, str, float, bool]] = []
    text = re.sub(r"\b(?:at least|even) once\b", " ", text)  # "at least once" asks for any use at all

    def sub(m: re.Match[str]) -> str:
        op = dict(_OPS)[m[1]]
        n = m[2]
        value = float(n) if n[0].isdigit() else float(NUMBER_WORDS[n])
        out.append((m.start(), op, value / 100 if m[3] else value, bool(m[3])))
        return f" THRESH{len(out) - 1} "

    text = re.sub(
        r"(?<![\w-])"
        + _OP_RE
        + r" (?:on |in |for )?(\d+(?:\.\d+)?(?![\w-])|(?:"
        + NUMBER_PATTERN[1:-1]
        + r")\b)\s?(%|percent\b)?",
        sub,
        text,
    )

    def fixed(op: str, value: float, suffix: str = "") -> Any:
        def sub_fixed(m: re.Match[str]) -> str:
            out.append((m.start(), op, float(m[1]) if value < 0 else value, False))
            return f" THRESH{len(out) - 1} {suffix}"

        return sub_fixed

    text = re.sub(r"\b(\d+) or more\b", fixed(">=", -1), text)
    text = re.sub(r"\b(?:only |just )?once\b", fixed("=", 1.0, "days "), text)
    return text, out


# --- phrases -------------------------------------------------------------------------------------
def _variants(value: str) -> set[str]:
    v = value.lower()
    return {v, v.replace("-", " "), v.replace("_", " ")}


AMBIGUOUS_VALUES = frozenset(
    {
        "c",
        "unknown",
        "others",
        "other",
        "auto",
        "prompt",
        "instructions",
        "plaintext",
        "go",
        "default",
        "chatagent",
        "r",
        "d",
        "code",
        "vs",
        "ask",
        "agent",
        "inline",
        "edit",
        "plan",
        "custom",
        "none",
        "no cohort",
        "sql",
        "xml",
        "json",
        "yaml",
    }
)


# the dimensions whose values (read from the data) are phrases, in the order their phrases are entered
VALUE_DIMS = ("ide", "feature", "language", "model", "team", "phase", "organization")
WORD = re.compile(r"THRESH\d+|TOP\d+|BOTTOM\d+|LIMIT\d+|[\w#+.'/-]+")


@lru_cache(maxsize=8)
def _phrase_table(
    values_key: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, tuple[str, Any]], int]:
    """phrase -> (kind, payload) for every known phrase, and the most words a phrase has."""
    values = dict(values_key)
    table: dict[str, tuple[str, Any]] = {}
    for dim, phrases in lex.DIMENSION_PHRASES.items():
        for p in phrases:
            table[p] = ("user_noun", p) if dim == "user" else ("dim", dim)
    for p, name in lex.metric_phrases().items():
        table[p] = ("metric", name)
    value_dims = {model.value_list(dim): dim for dim in VALUE_DIMS}
    for key, dim in value_dims.items():
        present = {v.lower(): v for v in values.get(key, [])}
        for v in present.values():
            for p in _variants(v):
                if p in lex.FILLER or p in lex.EXTRA_FILLER:  # a team called 'data': only as 'the data team'
                    for noun in lex.DIMENSION_PHRASES.get(dim, ()):
                        table.setdefault(f"{p} {noun}", ("value", (dim, v)))
                        table.setdefault(f"{noun} {p}", ("value", (dim, v)))
                elif p not in AMBIGUOUS_VALUES and (p not in table or table[p][0] != "metric"):
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
    for phrase in list(table):
        if phrase.endswith("s") and phrase[:-1] not in table and table[phrase][0] == "value":
            table[phrase[:-1]] = table[phrase]
    longest = max(len(phrase.split()) for phrase in table)
    return table, longest


def _team_parts(table: dict[str, tuple[str, Any]], teams: list[str]) -> None:
    """A word of a team slug followed by "team" names it when no other team shares the word ("frontend team").

    A bare word does not: "data" in "missing from the data" is not the data-science team.
    """
    owners: dict[str, set[str]] = {}
    for t in teams:
        for part in re.split(r"[-_ ]", t.lower()):
            if len(part) >= 3:
                owners.setdefault(part, set()).add(t)
    for part, ts in owners.items():
        if len(ts) == 1:
            for noun in ("team", "squad", "group", "division", "folks", "people", "devs", "engineers"):
                table.setdefault(f"{part} {noun}", ("value", ("team", next(iter(ts)))))


# ranking sizes: "bottom three teams" reads as digits, "5 least active devs" and "top 5" become markers
RANK_REWRITES: tuple[tuple[str, Any], ...] = (
    (
        r"\b(top|bottom|worst|best|lowest|highest) "
        r"(two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)\b",
        lambda m: f"{m[1]} {NUMBER_WORDS[m[2]]}",
    ),
    (
        r"^(\s*)(\d+) (?=(?:most|least|top|bottom|highest|lowest|biggest|heaviest|fewest|busiest|quietest) )",
        r"\1LIMIT\2 ",
    ),
    (
        r"\b(top|first|best|bottom|worst|last|lowest|highest) (\d+)\b",
        lambda m: f" {'BOTTOM' if m[1] in ('bottom', 'worst', 'lowest') else 'TOP'}{m[2]} ",
    ),
    # "which 5 people sent the fewest prompts": a count of rows; the superlative gives the direction
    (r"\b(which|what|the|list|show me|show) (\d+)\b(?= [a-z])", r"\1 LIMIT\2 "),
    # "who used copilot on the most days": people ranked by their active days, not a breakdown by day
    (r"\b(most|fewest|least) (?:number of )?(?:distinct |different |separate )?days\b", r"\1 active days"),
)
# words before a login that name a person ("user alice"): a hyphenated word after them stays whole
PERSON_WORDS = ("user", "login", "developer", "dev", "engineer", "member")


def _marker(s: str) -> Token:
    """A threshold, limit or top/bottom marker as its token, any other word as a word token."""
    if s.startswith("THRESH"):
        return Token("thresh", int(s[6:]), s)
    if s.startswith("LIMIT"):
        return Token("limit", int(s[5:]), s)
    if s.startswith(("TOP", "BOTTOM")):
        n_top = int(s.removeprefix("BOTTOM").removeprefix("TOP"))
        return Token("top", ("asc" if s[0] == "B" else "desc", n_top), s)
    return Token("word", s.strip("'.").removesuffix("'s"), s)


def _longest_phrase(words: list[str], i: int, table: dict[str, tuple[str, Any]], longest: int) -> Token | None:
    """The longest known phrase starting at word i ("agent mode users" over "agent mode"), as a token."""
    for n in range(min(longest, len(words) - i), 0, -1):
        phrase = " ".join(words[i : i + n])
        hit = table.get(phrase) or (table.get(phrase[:-2]) if phrase.endswith("'s") else None)
        if hit:
            return Token(hit[0], hit[1], phrase)
    return None


def _known_parts(words: list[str], i: int, bare: str, table: dict[str, tuple[str, Any]]) -> list[str]:
    """A hyphenated word's parts when every part is known ("agent-mode"), else nothing."""
    parts = [p for p in bare.split("-") if p] if bare not in lex.HYPHENATED_WORDS else []
    if (
        len(parts) > 1
        and all(p in table or p in lex.KNOWN_WORDS for p in parts)
        and (i == 0 or words[i - 1] not in PERSON_WORDS)
    ):
        return parts
    return []


def _cut(words: list[str], table: dict[str, tuple[str, Any]], longest: int, logins: frozenset[str]) -> list[Token]:
    """The words cut into logins, known phrases (longest first), markers and plain words."""
    out: list[Token] = []
    i = 0
    while i < len(words):
        s = words[i]
        bare = s.strip("'.").removesuffix("'s")
        if bare in logins and bare not in table:
            out.append(Token("login", bare, s))
            i += 1
            continue
        hit = _longest_phrase(words, i, table, longest)
        if hit:
            out.append(hit)
            i += len(hit.text.split(" "))
            continue
        parts = _known_parts(words, i, bare, table)
        if parts:
            words[i : i + 1] = parts
            continue
        out.append(_marker(s))
        i += 1
    return out


def tokens(
    question: str, values: dict[str, list[str]], as_of: date, logins: frozenset[str] = frozenset()
) -> tuple[list[Token], list[Window], str | None, list[tuple[int, str, float, bool]]]:
    """Cut a question into tokens after taking out windows and thresholds.

    A word that is a login in the data (and no known phrase) is a login token; a hyphenated word that is
    neither is read as its parts ("agent-mode" as "agent mode", "never-used" as "never used").
    """
    text = " " + normalize(question) + " "
    text, windows, weekdays = find_windows(text, as_of)
    for pattern, repl in RANK_REWRITES:
        text = re.sub(pattern, repl, text)
    text, thresholds = _thresholds(text)
    key = tuple(sorted((k, tuple(v)) for k, v in values.items()))
    table, longest = _phrase_table(key)
    return _cut(WORD.findall(text), table, longest, logins), windows, weekdays, thresholds


def normalize(question: str) -> str:
    q = dozens(question.lower().replace("’", "'").replace("‘", "'"))
    q = re.sub(r"\bvs\.", "vs", q)
    q = re.sub(r"(^|\s)%(?=\s|$)", r"\1percent", q)  # "what % of suggestions": a share
    q = re.sub(r"\blogged (?:any )?(?:activity|usage)\b", "used", q)  # not "logged in": sign-ins are not usage
    q = re.sub(r"\b1st (time|day|week|month)\b", r"first \1", q)  # 'for the 1st time' is 'first time'
    q = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", q)
    q = re.sub(r"\btl;? ?dr\b", "tldr", q)
    # "did usage go up": a change, not the Go language
    q = re.sub(r"\bgo (up|down)\b", lambda m: "grow" if m[1] == "up" else "drop", q)
    q = re.sub(r"\b(?:furthest|farthest) behind\b", "lowest", q)  # "which team is furthest behind on adoption"
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


__all__ = [
    "Intent",
    "Window",
    "Threshold",
    "Token",
    "tokens",
    "default_window",
    "refuse",
    "normalize",
    "LOW_ACCEPTANCE_RATE",
    "HIGH_ACCEPTANCE_RATE",
]
