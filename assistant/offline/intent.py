"""Tokens to an Intent: decide what is measured, grouped, filtered, ranked and over which days."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable

from assistant.offline import lexicon as lex
from assistant.offline.lexicon import (
    AUDIENCE,
    CHANGE_WORDS,
    COMPARE_WORDS,
    COVERAGE_WORDS,
    EXTRA_FILLER,
    LOGIN_LEADS,
    NEGATIONS,
    SHARE_WORDS,
    SUMMARY_WORDS,
    SUPERLATIVE_ASC,
    SUPERLATIVE_DESC,
    TIME_DIMS,
    TREND_VERBS,
    TREND_WORDS,
    USAGE_WORDS,
)
from assistant.offline.parse import (
    HIGH_ACCEPTANCE_RATE,
    LOW_ACCEPTANCE_RATE,
    Intent,
    Threshold,
    Token,
    refuse,
    tokens,
)
from assistant.offline.shape import SUGGESTIONS, ranks_a_dimension, shape, understood
from assistant.offline.windows import Window
from assistant.semantic import model
from assistant.semantic.metrics import UNANSWERABLE

# a superlative that judges people rather than ranking a measure ("the best engineer")
JUDGEMENTS = frozenset({"best", "worst", "greatest", "strongest", "weakest", "poorest", "smartest", "better", "worse"})
SUM_METRICS = model.GROUPINGS["sum"]  # "no interactions": a threshold of none on a summed metric
UNANSWERABLE_PATTERNS = (
    (
        "money",
        r"\b(cost|costs|costing|spend|spent|spending|paying|pay|paid|price|prices|pricing|dollars?|euros?|usd|"
        r"eur|budget|invoice|bill|bills|money|roi|\$|€|£|expensive|cheap)\b|\$",
    ),
    (
        "dotcom",
        r"\bgithub\.com\b|\bdotcom\b|\bon the web\b|\bmobile\b|\bweb chat\b|\bon (their |a )?phones?\b",
    ),
    (
        "satisfaction",
        r"\b(satisf\w*|happy|happier|unhappy|sentiment|survey|nps|feel|feelings|like using|love|enjoy)\b"
        r"|\b(do|does|did) (developers|devs|people|users|engineers|folks|they|teams?|we|you) "
        r"(like|hate|dislike)\b",
    ),
    (
        "productivity",
        r"\b(time|hours?|minutes|days)\b.*\bsav(e|ed|es|ing)\b|"
        r"\b(productiv\w*|time saved|saved time|save time|saves time|hours saved|efficien\w*|"
        r"velocity|developer experience|dora|roi)\b",
    ),
)


# "the seats we pay for" asks for seats, not money, when no price or amount is asked
PAID_SEATS = re.compile(r"\b(?:we |we're |you |they )?(?:pay|paying|paid) for\b")
PRICE_ASKED = re.compile(r"\bhow much\b|\b(cost|price|spend|spent|dollars?|money|bill|budget|roi)\b|[$€£]")


def check_unanswerable(question: str, values: dict[str, list[str]]) -> None:
    q = question.lower()
    if re.search(r"\b(seats?|licen[cs]es?)\b", q) and not PRICE_ASKED.search(q):
        q = PAID_SEATS.sub(" ", q)
    for team in values.get("team", []):  # a team called "mobile-apps" is not GitHub Mobile
        for variant in (team.lower(), team.lower().replace("-", " "), team.lower().replace("_", " ")):
            q = q.replace(variant, " ")
        for part in re.split(r"[-_ ]", team.lower()):
            q = re.sub(rf"\b{re.escape(part)} (team|group|squad)\b", " ", q)
    for key, pattern in UNANSWERABLE_PATTERNS:
        if re.search(pattern, q):
            raise refuse(UNANSWERABLE[key], [], SUGGESTIONS)


# a user noun after one of these words asks for the users themselves ("which devs", "top users", "all people")
USER_LEADS = frozenset(
    "which what list show by per each every top individual me find get give all".split()
) | {""}
PERSON_NOUNS = ("user", "person", "developer", "dev", "engineer")
RANK_MARKERS = ("TOP", "BOTTOM", "LIMIT")
SUPERLATIVES = SUPERLATIVE_DESC | SUPERLATIVE_ASC
# words after which a question is a comparison of a measure with another ("more prompts than acceptances")
COMPARATIVES = frozenset("more less fewer higher lower greater bigger smaller better worse above below".split())
WHICH_OF = re.compile(
    r"\bwhich (?:one )?of (?:our |the |these |those |all |all the |my )?\w+ (?:has|is|was|had|gets|got|sends|uses|"
    r"used|shows|showed|accepts|accepted|does|did)\b"
)
TREND = re.compile(
    r"\bover time\b|\bgoing (up|down)\b|\bgetting (better|worse)\b"
    r"|\b(improving|declining|increasing|decreasing|rising|falling)\b"
)
FIRST_TIME = re.compile(
    r"\bfirst time\b|\bnew (?:copilot )?(?:users|people|devs|developers|engineers|folks)\b|\bnewly\b"
    r"|\bstarted using\b|\bfirst day\b|\b(?:who|that|people|users|devs|developers) started\b"
)
# questions about the data itself: its date range, days loaded, freshness
DATA_DAYS = re.compile(r"\bdays (of|in the) data\b|\bdays (are |were )?loaded\b")
FRESHNESS = re.compile(r"\bup[ -]to[ -]date\b|\bhow (fresh|recent|current|stale)\b")
DATA_BOUNDS = re.compile(r"\b(when|what day) (does|did|do) (the |my |our )?data (start|begin|end|stop)")
LATEST_DAY = re.compile(
    r"^\W*(what|which|when)\b.*\b(latest|last|most recent|first|earliest|newest|oldest) (day|date)\b"
)


@dataclass
class Reading:
    """What the token walk has found so far: measures, breakdowns, filters, ranking, and words it could not place."""

    toks: list[Token]
    words: list[str]
    raw_thresholds: list[tuple[int, str, float, bool]]
    known_logins: frozenset[str]
    metrics: list[str] = field(default_factory=list)
    dims: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    thresholds: list[Threshold] = field(default_factory=list)
    order: str | None = None
    limit: int | None = None
    order_metric: str | None = None
    unknown: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    strangers: list[str] = field(default_factory=list)  # a word placed like a login that is no login in the data
    changes: bool = False
    share: bool = False
    family_list: bool = False
    zero_words: int = 0
    singular_rank: bool = False
    user_group: bool = False
    count_q: bool = False
    counted_nouns: set[int] = field(default_factory=set)

    wordset: set[str] = field(default_factory=set)
    who: bool = False
    list_q: bool = False

    def __post_init__(self) -> None:
        self.wordset = set(self.words)
        self.who = bool(self.wordset & {"who", "whom", "whose"})
        self.list_q = bool(self.wordset & {"list", "names", "name", "logins"})

    def prev(self, i: int, skip: int = 0) -> str:
        """The text of the token `skip` places before the one before token i ('' at the start)."""
        j = i - 1 - skip
        return self.toks[j].text if j >= 0 else ""


def _add(lst: list[str], v: str) -> None:
    if v not in lst:
        lst.append(v)


def _rewrite(question: str, values: dict[str, list[str]]) -> tuple[str, re.Match[str] | None]:
    """The question's text with audiences and seat payments taken out, and the 'and how much of that' part."""
    check_unanswerable(question, values)
    text = AUDIENCE.sub(" ", question.lower())
    # "weekend users": active users on weekends (a count, like "active users")
    text = re.sub(r"\b(weekend|weekday) (users|people|devs|developers|engineers|folks)\b", r"active \2 on \1s", text)
    share_of = SHARE_OF_PART.search(text) or _bare_share(text, values)
    if share_of:  # "what share of lines came from agents": the lines, and the part from agents
        text = f"how many {share_of[1]}, and how much of that came from {share_of[2]}"
    part = PART_OF.search(text)
    if part and not re.search(r"\bof (?:that|those|it|them|this|these)\b|\b(?:came|come|comes)\b", part[0]):
        part = None  # "total seats and how many are in use" is not a part of a total
    if part and part["again"] and not re.search(rf"\b{part['again']}\b", text[: part.start()]):
        part = None  # 'of those lines' restates the whole's own noun; any other noun is not a part of it
    if part:
        text = text[: part.start()]
    if re.search(r"\b(seats?|licen[cs]es?)\b", text) and not PRICE_ASKED.search(text):
        text = PAID_SEATS.sub(" ", text)
    return text, part


def _count_nouns(r: Reading) -> None:
    """'Users per team', 'devs by IDE', 'mode breakdown by users': users counted for each value, not listed."""
    toks = r.toks
    r.count_q = bool(re.search(r"\bhow many\b|\bnumber of\b|\bcount of\b|\bhow much\b", " ".join(r.words)))
    for i, t in enumerate(toks[1:], 1):
        if (
            t.kind == "user_noun"
            and toks[i - 1].text == "by"
            and t.text.endswith(("s", "people", "folks"))
            and any(tt.kind == "dim" and tt.value not in TIME_DIMS for tt in toks)
        ):
            r.count_q = True
            r.counted_nouns.add(i)
    for i, t in enumerate(toks[:-2]):
        if (
            t.kind == "user_noun"
            and toks[i + 1].text in ("per", "by", "in", "each")
            and (toks[i + 2].kind == "dim" or toks[i + 2].text == "each")
        ):
            r.count_q = True
            r.counted_nouns.add(i)


def _on_metric(r: Reading, i: int, t: Token) -> None:
    """A metric phrase: measured; 'top 10 CLI users by sessions' ranks those users; 'by X' says the ranking."""
    prev = r.prev(i)
    if t.text == "sessions" and prev in SESSION_OWNERS:
        # "chat sessions", "agent sessions": the bare word means CLI sessions, these are not
        raise refuse(
            f"'{prev} sessions' are not a measure I know offline; I can count CLI sessions.",
            [],
            ["cli sessions this week", "chat users this week", "interactions in chat this week"],
        )
    _add(r.metrics, t.value)
    if (
        t.value.endswith("_users")
        and t.text.endswith("users")
        and (prev.startswith(RANK_MARKERS) or prev in ("which", "list", "show"))
        and any(tt.kind == "metric" and r.prev(j) == "by" for j, tt in enumerate(r.toks) if j > i)
    ):
        r.user_group = True  # "top 10 CLI users by sessions": those users, ranked
    if t.value == "interactions" and prev in ("cli", "terminal"):
        raise refuse(
            "CLI requests and prompts are recorded per user and day only (the exports split them by no IDE, "
            "language or model); I can give their totals, per day or per user, and CLI sessions, tokens and users.",
            [],
            ["cli requests last month", "cli prompts per day last 2 weeks", "top 5 users by cli requests"],
        )
    if t.value == "interactions" and t.text.startswith("chat "):
        r.filters.setdefault("feature_family", ["chat"])
    if prev == "by" and (r.order or r.who or r.user_group or r.dims):
        r.order_metric = t.value


def _on_threshold(r: Reading, i: int, t: Token) -> None:
    """A number with a comparison: the threshold of the metric (or active days) it applies to."""
    _, op, value, pct = r.raw_thresholds[t.value]
    target = _threshold_target(r.toks, i, pct)
    if target is None:
        raise refuse("I could not tell what the number in the question applies to.", [], SUGGESTIONS)
    r.thresholds.append(Threshold(target, op, value))
    if target == "active_days":
        _skip_days(r.toks, i)


def _on_top(r: Reading, i: int, t: Token) -> None:
    r.order, r.limit = t.value


def _on_limit(r: Reading, i: int, t: Token) -> None:
    r.limit = t.value


def _on_dim(r: Reading, i: int, t: Token) -> None:
    """A breakdown; 'the team with the lowest adoption', 'which team': the one team."""
    _add(r.dims, t.value)
    after = [tt.text for tt in r.toks[i + 1 : i + 4]]
    if (
        not t.text.endswith("s")
        and after[:1] in (["with"], ["that"], ["having"], ["has"], ["had"])
        and set(after) & SUPERLATIVES
    ):
        r.singular_rank = True  # "team with the lowest adoption": the one team
    if t.text.startswith("chat mode"):
        r.filters.setdefault("feature_family", ["chat"])  # "chat mode breakdown": the chat modes
    near = {r.prev(i), r.prev(i, 1)}
    if not t.text.endswith("s") and (near & {"which", "what"} or r.prev(i) in SUPERLATIVES
                                     or r.prev(i, 1) in SUPERLATIVES):
        r.singular_rank = True


def _on_value(r: Reading, i: int, t: Token) -> None:
    """A value of a dimension: a filter; 'which claude models' lists the family's models."""
    dim, v = t.value
    if (
        dim == "model_family"
        and t.text.endswith("models")
        and not r.count_q
        and not r.wordset & {"total", "overall", "combined", "altogether", "sum"}
    ):
        r.family_list = True  # "which claude models": list them, unless something else is asked
    r.filters.setdefault(dim, [])
    if v not in r.filters[dim]:
        r.filters[dim].append(v)


def _on_login(r: Reading, i: int, t: Token) -> None:
    _add(r.logins, t.value)


def _on_user_noun(r: Reading, i: int, t: Token) -> None:
    """A word for users: who is asked for ('which devs', 'top 5 ai credit consumers', 'the most active person')."""
    if i in r.counted_nouns:
        return
    toks, p = r.toks, r.prev(i)
    if p in JUDGEMENTS and not any(tt.kind == "metric" for tt in toks):
        raise refuse(UNANSWERABLE["productivity"], [], SUGGESTIONS)  # "the best engineer": a judgement
    if (
        i >= 2
        and toks[i - 1].kind == "metric"
        and (r.prev(i, 1).startswith(RANK_MARKERS) or r.prev(i, 1) in ("which", "list", "show"))
    ):
        r.user_group = True  # "top 5 ai credit consumers": users ranked by the metric
        r.order_metric = r.order_metric or str(toks[i - 1].value)
    if p == "active" and i >= 2:
        p = r.prev(i, 1)
        if p in SUPERLATIVES and t.text in PERSON_NOUNS:
            r.singular_rank = True  # "most active person on web-frontend": the one person
    if p in USER_LEADS or p.startswith(RANK_MARKERS) or (
        p in SUPERLATIVES and not r.count_q and not ranks_a_dimension(toks)
    ):
        r.user_group = True
        if p in ("which", "what") and t.text in PERSON_NOUNS:
            r.singular_rank = True
    if t.text in ("champions", "power users"):
        r.user_group = True
        r.order = r.order or "desc"


def _next_is_time_dim(r: Reading, i: int) -> bool:
    return i + 1 < len(r.toks) and r.toks[i + 1].kind == "dim" and r.toks[i + 1].value in TIME_DIMS


def _refuse_every_day(r: Reading, i: int, w: str) -> None:
    raise refuse(
        "I can't check 'every day' conditions offline; I can count active days per user.",
        [],
        ["active days per user this week", "users with at least 5 active days this week"],
    )


def _chat(r: Reading, i: int, w: str) -> None:
    """'How many use chat': chat users; otherwise a filter on the chat features."""
    if r.count_q and not r.metrics:
        _add(r.metrics, "chat_users")
    else:
        r.filters.setdefault("feature_family", ["chat"])


def _rate_threshold(op: str, value: float) -> Callable[[Reading, int, str], None]:
    """'Low acceptance', 'high acceptance': a threshold on the acceptance rate."""
    def effect(r: Reading, i: int, w: str) -> None:
        r.thresholds.append(Threshold("acceptance_rate", op, value))
        _add(r.metrics, "acceptance_rate")

    return effect


def _none_of(r: Reading, i: int, w: str) -> None:
    """'No interactions': none at all."""
    r.thresholds.append(Threshold(str(r.toks[i + 1].value), "=", 0))
    r.zero_words += 1


def _ignore(r: Reading, i: int, w: str) -> None:
    return None


def _is_filler(w: str) -> bool:
    return w in IGNORED_WORDS or w.isdigit()


IGNORED_WORDS = (
    lex.FILLER | EXTRA_FILLER | NEGATIONS | TREND_WORDS | COMPARE_WORDS | USAGE_WORDS | COVERAGE_WORDS | SUMMARY_WORDS
)
RATED = ("acceptance_rate", "code_acceptances")
WordTest = Callable[[Reading, int, str], bool]
WordEffect = Callable[[Reading, int, str], None]
# a plain word: the first rule whose test holds applies its effect (order matters: "low acceptance" before "low")
WORD_RULES: tuple[tuple[WordTest, WordEffect], ...] = (
    (lambda r, i, w: w in SUPERLATIVE_DESC, lambda r, i, w: setattr(r, "order", r.order or "desc")),
    (lambda r, i, w: w in SUPERLATIVE_ASC, lambda r, i, w: setattr(r, "order", r.order or "asc")),
    (lambda r, i, w: w == "chat", _chat),
    # "lines added by agents": agent edits
    (lambda r, i, w: w in ("agents", "agent") and any(m.startswith("loc_") for m in r.metrics)
     and not r.filters.get("feature"), lambda r, i, w: r.filters.__setitem__("feature", ["agent_edit"])),
    (lambda r, i, w: w in ("cli", "terminal"), lambda r, i, w: _add(r.metrics, "cli_users")),
    # "how many lines did copilot suggest": the verb says which lines
    (lambda r, i, w: w in LINE_VERBS and "loc_added" in r.metrics and _bare_lines(r.toks),
     lambda r, i, w: r.metrics.__setitem__(r.metrics.index("loc_added"), LINE_VERBS[w])),
    (lambda r, i, w: w in ("low", "poor") and _next_is(r.toks, i, RATED), _rate_threshold("<", LOW_ACCEPTANCE_RATE)),
    (lambda r, i, w: w in ("high", "good") and _next_is(r.toks, i, RATED), _rate_threshold(">", HIGH_ACCEPTANCE_RATE)),
    (lambda r, i, w: w in ("no", "zero") and _next_is(r.toks, i, SUM_METRICS), _none_of),
    (lambda r, i, w: w in ("low", "high"),
     lambda r, i, w: setattr(r, "order", r.order or ("asc" if w == "low" else "desc"))),
    (lambda r, i, w: w in CHANGE_WORDS, lambda r, i, w: setattr(r, "changes", True)),
    (lambda r, i, w: w in SHARE_WORDS, lambda r, i, w: setattr(r, "share", True)),
    (lambda r, i, w: w == "every" and _next_is_time_dim(r, i), _refuse_every_day),
    (lambda r, i, w: w == "every", _ignore),
    # "new users": first-time users
    (lambda r, i, w: w == "new" and any(tt.kind == "user_noun" for tt in r.toks[i + 1 : i + 3]), _ignore),
    # "for the first time", "first day in the data"
    (lambda r, i, w: w == "first" and i + 1 < len(r.toks) and r.toks[i + 1].text in ("time", "day", "days", "use"),
     _ignore),
    (lambda r, i, w: _is_filler(w), _ignore),
    (lambda r, i, w: _looks_like_login(r, i),
     lambda r, i, w: (r.strangers if r.known_logins else r.logins).append(w)),
)


def _looks_like_login(r: Reading, i: int) -> bool:
    """A word placed like a login ('for alice', a leading 'mchen-acme usage')."""
    t, w = r.toks[i], r.toks[i].value
    following = r.toks[i + 1] if i + 1 < len(r.toks) else None
    return _is_login(t, r.prev(i), following) or bool(i == 0 and _next_is_measure(r.toks) and re.search(r"[-\d]", w))


def _on_word(r: Reading, i: int, t: Token) -> None:
    """A plain word: the first word rule that fits, or a word not understood."""
    w = t.value
    for test, effect in WORD_RULES:
        if test(r, i, w):
            effect(r, i, w)
            return
    r.unknown.append(w)


TOKEN_HANDLERS: dict[str, Callable[[Reading, int, Token], None]] = {
    "metric": _on_metric,
    "thresh": _on_threshold,
    "top": _on_top,
    "limit": _on_limit,
    "dim": _on_dim,
    "value": _on_value,
    "login": _on_login,
    "user_noun": _on_user_noun,
    "word": _on_word,
}


def _is_coverage(r: Reading, joined: str, question: str) -> bool:
    """Whether the question asks about the data itself: its date range, days loaded, freshness."""
    plain = not r.metrics and set(r.dims) <= {"day"} and not r.filters
    q = question.lower()
    return (
        (bool(r.wordset & COVERAGE_WORDS) and plain or "date range" in joined)
        or bool(DATA_DAYS.search(joined) and not r.metrics)
        or bool(FRESHNESS.search(q))
        or bool(DATA_BOUNDS.search(joined) and not r.metrics)
        or bool(LATEST_DAY.search(q) and plain)
    )


def _intent(r: Reading, windows: list[Window], weekdays: str | None, negated: bool) -> Intent:
    """The Intent the reading adds up to (before its shape is chosen)."""
    if r.logins:
        r.filters["user"] = r.logins
    if r.family_list and not r.dims:
        r.dims.append("model")
    return Intent(
        metrics=tuple(r.metrics),
        dims=tuple(r.dims),
        filters=tuple((k, tuple(v)) for k, v in r.filters.items()),
        window=windows[0] if len(windows) == 1 else None,
        periods=tuple(windows) if len(windows) > 1 else (),
        weekdays=weekdays,
        order=r.order,
        limit=r.limit,
        thresholds=tuple(r.thresholds),
        user_noun=r.who or r.user_group,
        negated=negated,
    )


def _check_placed(r: Reading, intent: Intent, windows: list[Window], coverage: bool) -> None:
    """Refuse a question with nothing to measure, an unknown login, a comparison of measures or unknown words."""
    signals = (r.metrics or r.dims or r.filters or windows or r.thresholds or intent.weekdays or r.logins or r.order
               or coverage)
    if (
        not signals
        and not r.wordset & (USAGE_WORDS | SUMMARY_WORDS | COVERAGE_WORDS | NEGATIONS)
        and not (r.who or any(t.kind == "user_noun" for t in r.toks))
    ):
        raise refuse("I found nothing to measure in that question.", [], SUGGESTIONS)
    if r.strangers and not r.unknown:
        raise refuse(
            f"There is no user {', '.join(repr(u) for u in r.strangers)} in the data, and I don't know what else "
            "it could mean here, so I won't guess.",
            understood(intent),
            SUGGESTIONS,
        )
    unknown = r.unknown + r.strangers
    comparative = r.wordset & COMPARATIVES
    if (
        "than" in r.wordset
        and comparative
        and not windows[1:]
        and not any(len(v) > 1 for v in r.filters.values())
        and not r.thresholds
    ):
        # "users with more prompts than acceptances", "teams above average": a comparison I can't make
        raise refuse(
            f"I can't compare a measure with another one or with an average ('{min(comparative)} ... than') "
            "offline; I can compare two periods or two values side by side.",
            understood(intent),
            ["acceptance rate in jetbrains vs vscode", "active users this week vs last week", "interactions by team"],
        )
    if unknown:
        raise refuse(
            f"I don't know what {', '.join(repr(u) for u in unknown)} means here, so I won't guess.",
            understood(intent),
            SUGGESTIONS,
        )


def _check_change(r: Reading, intent: Intent, trend: bool) -> None:
    """'Whose usage dropped the most': a change is shown over time or between periods, never ranked."""
    # 'whose usage evolved the most': a verb of change over time, ranked, is a ranking of who changed
    ranked_change = bool(r.wordset & TREND_VERBS or r.changes) and intent.order is not None
    if ranked_change or (r.changes and not (trend or intent.periods or set(r.dims) & set(TIME_DIMS))):
        raise refuse(
            "I can show a measure over time (per day, week or month) or compare two periods, but not rank "
            "who or what changed the most.",
            understood(intent),
            [
                "active users per week",
                "compare this month with last month",
                "interactions per user last month",
            ],
        )


def _check_breakdowns_kept(intent: Intent, shaped: Intent) -> Intent:
    """A safety net: a breakdown the question names is never silently dropped by the shape chosen."""
    kept = set(shaped.dims) | {d for d, _ in shaped.filters}
    gone = [d for d in intent.dims if d not in kept and d not in TIME_DIMS]
    if gone and not (gone == ["user"] and shaped.shape == "average_per_user"):
        raise refuse(
            f"I could not keep the breakdown by {', '.join(gone)} in this kind of answer offline, so I won't "
            "answer without it.",
            understood(shaped),
            SUGGESTIONS,
        )
    return shaped


def parse(
    question: str, values: dict[str, list[str]], as_of: date, known_logins: frozenset[str] = frozenset()
) -> Intent:
    """The Intent of one question, or CannotAnswer when part of it cannot be placed.

    known_logins (every login in the data, lower case) names people exactly wherever they are in the
    sentence; without it a login is guessed from its position ("for alice", "alice's usage").
    """
    text, part = _rewrite(question, values)
    toks, windows, weekdays, raw_thresholds = tokens(text, values, as_of, known_logins)
    toks = _people_bound(toks)
    words = [t.value if t.kind == "word" else t.text for t in toks]
    r = Reading(toks, words, raw_thresholds, known_logins)
    _count_nouns(r)
    for i, t in enumerate(toks):
        TOKEN_HANDLERS[t.kind](r, i, t)
    joined = " ".join(words)
    if WHICH_OF.search(joined):
        r.singular_rank = True  # "which of our teams has the highest ...": one of them
    negated = sum(1 for w in words if w in NEGATIONS) > r.zero_words
    trend = bool(r.wordset & TREND_WORDS) or bool(TREND.search(joined))
    compare = bool(r.wordset & COMPARE_WORDS) or " and " in f" {joined} " and any(
        len(v) > 1 for v in r.filters.values())
    first_time = bool(FIRST_TIME.search(joined)) and not re.search(r"\bfirst day in the data\b", joined)
    coverage = _is_coverage(r, joined, question)
    intent = _intent(r, windows, weekdays, negated)
    _check_placed(r, intent, windows, coverage)
    _check_change(r, intent, trend)
    shaped = shape(intent, toks, joined, who=r.who, user_group=r.user_group, count_q=r.count_q, list_q=r.list_q,
                   singular=r.singular_rank, trend=trend, compare=compare, first_time=first_time, coverage=coverage,
                   order_metric=r.order_metric, share=r.share)
    if part:
        return _with_part(part.groups()[-1], values, as_of, shaped)
    return _check_breakdowns_kept(intent, shaped)


# "How many lines did Copilot add, and how much of that came from agents?": a total and one part of it
PART_OF = re.compile(
    r",? and (?:how much|how many|what share|what part|what portion|what percentage|what percent|what %) "
    r"(?:of (?:that|those|it|them|this|these)"
    r"(?: total| (?!(?:came|come|comes|was|were|is|are|from|by|in)\b)(?P<again>[a-z]+))? )?"
    r"(?:(?:came|come|comes|was|were|is|are|was done) )?"
    r"(?:(?:from|by|through|via|in|with|using) )?(?:the |copilot )?(.+?)\s*[?.!]*$"
)
SHARE_OF_PART = re.compile(
    r"^\W*(?:(?:what|which) )?(?:share|percentage|percent|portion|part|fraction|proportion) of (?:the |our |all )?"
    r"(.+?) (?:came|come|comes|was|were|is|are|happen|happened|happens|went|go|goes) "
    r"(?:from|by|through|via|with|using|in|on|to) (.+?)\s*[?.!]*$"
)
# 'what percent of interactions are agent mode': the part named by a copula alone, taken only when what follows is
# one value (or agent mode), so 'what percent of users were active' keeps its own reading
SHARE_OF_BARE = re.compile(SHARE_OF_PART.pattern.replace(" (?:from|by|through|via|with|using|in|on|to) ", " "))
AGENT_WORDS = ("agent", "agents", "agent mode", "agent-mode", "agent edits", "the agent", "copilot agent")


def _bare_share(text: str, values: dict[str, list[str]]) -> re.Match[str] | None:
    """'what pct of prompts r agent mode', 'what share of prompts were claude-sonnet-4.6': a share whose part follows
    a bare copula, when that part is one feature, IDE, language or model value (or agent mode)."""
    m = SHARE_OF_BARE.search(text)
    if m is None or re.search(r"\b(?:was|were|is|are)\b", m[1]):
        return None
    toks = [t for t in tokens(m[2], values, date(2000, 1, 1))[0] if t.kind != "word" or t.text not in ("the", "a")]
    words = " ".join(t.text for t in toks)
    one_value = len(toks) == 1 and toks[0].kind == "value" and toks[0].value[0] in ("feature", "ide", "language",
                                                                                    "model")
    return m if words in AGENT_WORDS or one_value else None


def _with_part(phrase: str, values: dict[str, list[str]], as_of: date, whole: Intent) -> Intent:
    """The whole, with the part named by a feature, IDE, language or model value."""
    phrase = phrase.strip()
    toks, windows = tokens(phrase, values, as_of)[:2]
    part: tuple[str, str] | None = None
    if len(windows) <= 1 and (not windows or whole.window in (None, windows[0])):
        if windows:  # "... were in vscode last week": the window is the whole's
            whole = replace(whole, window=windows[0])
        words = " ".join(t.text for t in toks)
        if words in AGENT_WORDS:
            lines = any(m.startswith("loc_") for m in whole.metrics)
            part = ("feature", "agent_edit" if lines else "chat_panel_agent_mode")
        elif len(toks) == 1 and toks[0].kind == "value" and toks[0].value[0] in ("feature", "ide", "language", "model"):
            part = toks[0].value
    if part is None or whole.shape != "aggregate" or whole.dims or not whole.metrics or whole.filters:
        raise refuse(
            f"I can split a single total by one feature, IDE, language or model, but not by {phrase!r}.",
            understood(whole),
            ["lines added last month, and how much of that came from agents?"],
        )
    return replace(whole, part_of=part)


def _next_is_measure(toks: list[Token]) -> bool:
    return len(toks) > 1 and toks[1].kind in ("metric", "dim")


SESSION_OWNERS = frozenset(
    "chat agent vscode code ide editor app mode jetbrains coding review inline edit ask plan browser web".split()
)
LINE_VERBS = {
    **dict.fromkeys(("deleted", "delete", "deletes", "removed", "remove", "removes"), "loc_deleted"),
    **dict.fromkeys(("suggested", "suggest", "suggests", "proposed", "propose"), "loc_suggested"),
}


def _bare_lines(toks: list[Token]) -> bool:
    return any(t.kind == "metric" and t.text in ("lines", "lines of code", "loc") for t in toks)


def _next_is(toks: list[Token], i: int, metrics: tuple[str, ...]) -> bool:
    return i + 1 < len(toks) and toks[i + 1].kind == "metric" and toks[i + 1].value in metrics


def _skip_days(toks: list[Token], i: int) -> None:
    for t in toks[i + 1 : i + 3]:
        if t.kind in ("word", "dim") and t.text in ("days", "day", "times", "time"):
            t.kind, t.value = "word", "days"
            break


# after a bound and its people ('fewer than ten people use copilot'): only a verb of using copilot may follow for the
# bound to count the active users (anything else, 'people used chat', says which users and is not read here)
_USING = frozenset({"use", "used", "using", "uses", "active"})
_USING_WORDS = _USING | {"copilot", "github", "were", "was", "it", "actually", "actively"}


def _people_bound(toks: list[Token]) -> list[Token]:
    """'on which days did fewer than ten people use copilot': a bound, then people using copilot to the end of the
    question, bounds the number of active users (the people are counted, not listed)."""
    for i, t in enumerate(toks[:-1]):
        rest = toks[i + 2:]
        grouped = any(w.kind == "dim" for w in toks[:i]) and not any(w.kind == "user_noun" for w in toks[:i])
        asked = not any(w.text in ("how", "many", "number", "count") for w in toks[:i])  # which days, not how many
        if grouped and asked and t.kind == "thresh" and toks[i + 1].kind == "user_noun" and \
                any(w.text in _USING for w in rest) and all(w.kind == "word" and w.text in _USING_WORDS for w in rest):
            return toks[: i + 1] + [Token("metric", "active_users", "active users")]
    return toks


def _threshold_target(toks: list[Token], i: int, pct: bool) -> str | None:
    for t in toks[i + 1 : i + 4]:
        if t.kind == "metric":
            if (
                t.value == "code_generations"
                and i
                and toks[i - 1].kind == "metric"
                and toks[i - 1].value == "code_acceptances"
            ):
                return "code_acceptances"  # "accepted fewer than 10 suggestions": the suggestions accepted
            return str(t.value)
        if t.text in ("times", "time") and any(
            tt.kind == "metric" and tt.value in ("interactions", "engaged_users") for tt in toks[max(0, i - 4) : i]
        ):
            return "interactions"  # "prompted Copilot more than 100 times"
        if t.text in ("days", "day", "times", "time", "days-active"):
            return "active_days"
        if t.kind not in ("word",) or t.text not in (
            "of",
            "the",
            "total",
            "distinct",
            "separate",
            "different",
        ):
            break
    for t in reversed(toks[max(0, i - 4) : i]):
        if t.kind == "metric":
            return str(t.value)
    if pct:
        return "acceptance_rate"
    return None


def _is_login(t: Token, prev_word: str, following: Token | None) -> bool:
    """A GitHub login by position: "alice's usage", "user alice", "for alice" (not "for auto models")."""
    w = t.value
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,38}", w):
        return False
    if t.text.endswith("'s") or prev_word in ("user", "login", "developer", "dev", "engineer"):
        return True
    if prev_word == "by" and re.search(r"[-\d]", w):
        return True  # "used by mchen-acme"; a plain word after "by" stays unknown ("by repository")
    return prev_word in LOGIN_LEADS and (following is None or following.kind not in ("dim", "metric", "value"))
