"""Tokens to an Intent: decide what is measured, grouped, filtered, ranked and over which days."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

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
from assistant.semantic.metrics import UNANSWERABLE

# a superlative that judges people rather than ranking a measure ("the best engineer")
JUDGEMENTS = frozenset({"best", "worst", "greatest", "strongest", "weakest", "poorest", "smartest", "better", "worse"})
SUM_METRICS = (
    "interactions",
    "code_generations",
    "code_acceptances",
    "loc_suggested",
    "loc_added",
    "loc_deleted",
    "cli_sessions",
    "cli_tokens",
    "ai_credits",
)
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


def parse(
    question: str, values: dict[str, list[str]], as_of: date, known_logins: frozenset[str] = frozenset()
) -> Intent:
    """The Intent of one question, or CannotAnswer when part of it cannot be placed.

    known_logins (every login in the data, lower case) names people exactly wherever they are in the
    sentence; without it a login is guessed from its position ("for alice", "alice's usage").
    """
    check_unanswerable(question, values)
    text = AUDIENCE.sub(" ", question.lower())
    # "weekend users": active users on weekends (a count, like "active users")
    text = re.sub(r"\b(weekend|weekday) (users|people|devs|developers|engineers|folks)\b", r"active \2 on \1s", text)
    share_of = SHARE_OF_PART.search(text)
    if share_of:  # "what share of lines came from agents": the lines, and the part from agents
        text = f"how many {share_of[1]}, and how much of that came from {share_of[2]}"
    part = PART_OF.search(text)
    if part and not re.search(r"\bof (?:that|those|it|them|this|these)\b|\b(?:came|come|comes)\b", part[0]):
        part = None  # "total seats and how many are in use" is not a part of a total
    if part:
        text = text[: part.start()]
    if re.search(r"\b(seats?|licen[cs]es?)\b", text) and not PRICE_ASKED.search(text):
        text = PAID_SEATS.sub(" ", text)
    toks, windows, weekdays, raw_thresholds = tokens(text, values, as_of, known_logins)
    words = [t.value if t.kind == "word" else t.text for t in toks]
    wordset = set(words)
    metrics: list[str] = []
    dims: list[str] = []
    filters: dict[str, list[str]] = {}
    thresholds: list[Threshold] = []
    order: str | None = None
    limit: int | None = None
    order_metric: str | None = None
    unknown: list[str] = []
    changes = False
    share = False
    family_list = False
    zero_words = 0
    logins: list[str] = []
    strangers: list[str] = []  # a word placed like a login that is no login in the data
    singular_rank = False
    user_group = False
    who = "who" in wordset or "whom" in wordset or "whose" in wordset
    count_q = bool(re.search(r"\bhow many\b|\bnumber of\b|\bcount of\b|\bhow much\b", " ".join(words)))
    list_q = bool(wordset & {"list", "names", "name", "logins"})
    # "users per team", "devs by IDE": a count of users for each value, not a list of users
    counted_nouns = set()
    # "chat mode breakdown by users": users are what is counted for each mode
    for i, t in enumerate(toks[1:], 1):
        if (
            t.kind == "user_noun"
            and toks[i - 1].text == "by"
            and t.text.endswith(("s", "people", "folks"))
            and any(tt.kind == "dim" and tt.value not in TIME_DIMS for tt in toks)
        ):
            count_q = True
            counted_nouns.add(i)
    for i, t in enumerate(toks[:-2]):
        if (
            t.kind == "user_noun"
            and toks[i + 1].text in ("per", "by", "in", "each")
            and (toks[i + 2].kind == "dim" or toks[i + 2].text == "each")
        ):
            count_q = True
            counted_nouns.add(i)

    def prev(i: int, skip: int = 0) -> str:
        j = i - 1 - skip
        return toks[j].text if j >= 0 else ""

    def add(lst: list[str], v: str) -> None:
        if v not in lst:
            lst.append(v)

    for i, t in enumerate(toks):
        if t.kind == "metric":
            if t.text == "sessions" and prev(i) in SESSION_OWNERS:
                # "chat sessions", "agent sessions": the bare word means CLI sessions, these are not
                raise refuse(
                    f"'{prev(i)} sessions' are not a measure I know offline; I can count CLI sessions.",
                    [],
                    ["cli sessions this week", "chat users this week", "interactions in chat this week"],
                )
            add(metrics, t.value)
            if (
                t.value.endswith("_users")
                and t.text.endswith("users")
                and (prev(i).startswith(("TOP", "BOTTOM", "LIMIT")) or prev(i) in ("which", "list", "show"))
                and any(tt.kind == "metric" and prev(j) == "by" for j, tt in enumerate(toks) if j > i)
            ):
                user_group = True  # "top 10 CLI users by sessions": those users, ranked
            if t.value == "interactions" and prev(i) in ("cli", "terminal"):
                raise refuse(
                    "CLI requests and prompts are not a measure I know offline (interactions are IDE "
                    "prompts); I can count CLI sessions, tokens and users.",
                    [],
                    ["cli sessions last month", "cli tokens per day last 2 weeks", "how many people use the cli"],
                )
            if t.value == "interactions" and t.text.startswith("chat "):
                filters.setdefault("feature_family", ["chat"])
            if prev(i) == "by" and (order or who or user_group or dims):
                order_metric = t.value
        elif t.kind == "thresh":
            _, op, value, pct = raw_thresholds[t.value]
            target = _threshold_target(toks, i, pct)
            if target is None:
                raise refuse("I could not tell what the number in the question applies to.", [], SUGGESTIONS)
            thresholds.append(Threshold(target, op, value))
            if target == "active_days":
                _skip_days(toks, i)
        elif t.kind == "top":
            order, limit = t.value
        elif t.kind == "limit":
            limit = t.value
        elif t.kind == "dim":
            add(dims, t.value)
            after = [tt.text for tt in toks[i + 1 : i + 4]]
            if (
                not t.text.endswith("s")
                and after[:1] in (["with"], ["that"], ["having"], ["has"], ["had"])
                and set(after) & (SUPERLATIVE_DESC | SUPERLATIVE_ASC)
            ):
                singular_rank = True  # "team with the lowest adoption": the one team
            if t.text.startswith("chat mode"):
                filters.setdefault("feature_family", ["chat"])  # "chat mode breakdown": the chat modes
            near = {prev(i), prev(i, 1)}
            if not t.text.endswith("s") and (
                near & {"which", "what"}
                or prev(i) in SUPERLATIVE_DESC | SUPERLATIVE_ASC
                or prev(i, 1) in SUPERLATIVE_DESC | SUPERLATIVE_ASC
            ):
                singular_rank = True
        elif t.kind == "value":
            dim, v = t.value
            if (
                dim == "model_family"
                and t.text.endswith("models")
                and not count_q
                and not wordset & {"total", "overall", "combined", "altogether", "sum"}
            ):
                family_list = True  # "which claude models": list them, unless something else is asked
            filters.setdefault(dim, [])
            if v not in filters[dim]:
                filters[dim].append(v)
        elif t.kind == "login":
            if t.value not in logins:
                logins.append(t.value)
        elif t.kind == "user_noun" and i in counted_nouns:
            pass
        elif t.kind == "user_noun":
            p = prev(i)
            if p in JUDGEMENTS and not any(tt.kind == "metric" for tt in toks):
                raise refuse(UNANSWERABLE["productivity"], [], SUGGESTIONS)  # "the best engineer": a judgement
            if (
                i >= 2
                and toks[i - 1].kind == "metric"
                and (prev(i, 1).startswith(("TOP", "BOTTOM", "LIMIT")) or prev(i, 1) in ("which", "list", "show"))
            ):
                user_group = True  # "top 5 ai credit consumers": users ranked by the metric
                order_metric = order_metric or str(toks[i - 1].value)
            if p == "active" and i >= 2:
                p = prev(i, 1)
                if p in SUPERLATIVE_DESC | SUPERLATIVE_ASC and t.text in (
                    "user",
                    "person",
                    "developer",
                    "dev",
                    "engineer",
                ):
                    singular_rank = True  # "most active person on web-frontend": the one person
            if (
                p
                in (
                    "which",
                    "what",
                    "list",
                    "show",
                    "by",
                    "per",
                    "each",
                    "every",
                    "top",
                    "individual",
                    "me",
                    "find",
                    "get",
                    "give",
                    "all",
                    "",
                )
                or p.startswith(("TOP", "BOTTOM", "LIMIT"))
                or (p in SUPERLATIVE_DESC | SUPERLATIVE_ASC and not count_q and not ranks_a_dimension(toks))
            ):
                user_group = True
                if p in ("which", "what") and t.text in ("user", "person", "developer", "dev", "engineer"):
                    singular_rank = True
            if t.text in ("champions", "power users"):
                user_group = True
                order = order or "desc"
        elif t.kind == "word":
            w = t.value
            if w in SUPERLATIVE_DESC:
                order = order or "desc"
            elif w in SUPERLATIVE_ASC:
                order = order or "asc"
            elif w == "chat":
                add(metrics, "chat_users") if count_q and not metrics else filters.setdefault(
                    "feature_family", ["chat"]
                )
            elif w in ("agents", "agent") and any(m.startswith("loc_") for m in metrics) and not filters.get("feature"):
                filters["feature"] = ["agent_edit"]  # "lines added by agents": agent edits
            elif w in ("cli", "terminal"):
                add(metrics, "cli_users")
            elif w in LINE_VERBS and "loc_added" in metrics and _bare_lines(toks):
                # "how many lines did copilot suggest": the verb says which lines
                metrics[metrics.index("loc_added")] = LINE_VERBS[w]
            elif w in ("low", "poor") and _next_is(toks, i, ("acceptance_rate", "code_acceptances")):
                thresholds.append(Threshold("acceptance_rate", "<", LOW_ACCEPTANCE_RATE))
                add(metrics, "acceptance_rate")
            elif w in ("high", "good") and _next_is(toks, i, ("acceptance_rate", "code_acceptances")):
                thresholds.append(Threshold("acceptance_rate", ">", HIGH_ACCEPTANCE_RATE))
                add(metrics, "acceptance_rate")
            elif w in ("no", "zero") and _next_is(toks, i, SUM_METRICS):
                thresholds.append(Threshold(str(toks[i + 1].value), "=", 0))  # "no interactions": none at all
                zero_words += 1
            elif w in ("low", "high"):
                order = order or ("asc" if w == "low" else "desc")
            elif w in CHANGE_WORDS:
                changes = True
            elif w in SHARE_WORDS:
                share = True
            elif w == "every" and i + 1 < len(toks) and toks[i + 1].kind == "dim" and toks[i + 1].value in TIME_DIMS:
                raise refuse(
                    "I can't check 'every day' conditions offline; I can count active days per user.",
                    [],
                    ["active days per user this week", "users with at least 5 active days this week"],
                )
            elif w == "every":
                pass
            elif w == "new" and any(tt.kind == "user_noun" for tt in toks[i + 1 : i + 3]):
                pass  # "new users": first-time users
            elif w == "first" and i + 1 < len(toks) and toks[i + 1].text in ("time", "day", "days", "use"):
                pass  # "for the first time", "first day in the data"
            elif (
                w in lex.FILLER
                or w in EXTRA_FILLER
                or w in NEGATIONS
                or w in TREND_WORDS
                or w in COMPARE_WORDS
                or w in USAGE_WORDS
                or w in COVERAGE_WORDS
                or w in SUMMARY_WORDS
                or w.isdigit()
            ):
                pass
            elif _is_login(t, prev(i), toks[i + 1] if i + 1 < len(toks) else None) or (
                i == 0 and _next_is_measure(toks) and re.search(r"[-\d]", w)
            ):
                (strangers if known_logins else logins).append(w)
            else:
                unknown.append(w)
    joined = " ".join(words)
    if re.search(
        r"\bwhich (?:one )?of (?:our |the |these |those |all |all the |my )?\w+ (?:has|is|was|had|gets|got|sends|uses|"
        r"used|shows|showed|accepts|accepted|does|did)\b",
        joined,
    ):
        singular_rank = True  # "which of our teams has the highest ...": one of them
    negated = sum(1 for w in words if w in NEGATIONS) > zero_words
    trend = bool(wordset & TREND_WORDS) or bool(
        re.search(
            r"\bover time\b|\bgoing (up|down)\b|\bgetting (better|worse)\b"
            r"|\b(improving|declining|increasing|decreasing|rising|falling)\b",
            joined,
        )
    )
    compare = bool(wordset & COMPARE_WORDS) or " and " in f" {joined} " and any(len(v) > 1 for v in filters.values())
    first_time = bool(
        re.search(
            r"\bfirst time\b|\bnew (?:copilot )?(?:users|people|devs|developers|engineers|folks)\b|\bnewly\b"
            r"|\bstarted using\b|\bfirst day\b|\b(?:who|that|people|users|devs|developers) started\b",
            joined,
        )
    ) and not re.search(r"\bfirst day in the data\b", joined)
    coverage = (
        (
            bool(wordset & COVERAGE_WORDS)
            and not metrics
            and set(dims) <= {"day"}
            and not filters
            or "date range" in joined
        )
        or bool(re.search(r"\bdays (of|in the) data\b|\bdays (are |were )?loaded\b", joined) and not metrics)
        or bool(re.search(r"\bup[ -]to[ -]date\b|\bhow (fresh|recent|current|stale)\b", question.lower()))
        or bool(
            re.search(r"\b(when|what day) (does|did|do) (the |my |our )?data (start|begin|end|stop)", joined)
            and not metrics
        )
        or bool(
            re.search(
                r"^\W*(what|which|when)\b.*\b(latest|last|most recent|first|earliest|newest|oldest) "
                r"(day|date)\b",
                question.lower(),
            )
            and not metrics
            and set(dims) <= {"day"}
            and not filters
        )
    )
    if logins:
        filters["user"] = logins
    if family_list and not dims:
        dims.append("model")
    intent = Intent(
        metrics=tuple(metrics),
        dims=tuple(dims),
        filters=tuple((k, tuple(v)) for k, v in filters.items()),
        window=windows[0] if len(windows) == 1 else None,
        periods=tuple(windows) if len(windows) > 1 else (),
        weekdays=weekdays,
        order=order,
        limit=limit,
        thresholds=tuple(thresholds),
        user_noun=who or user_group,
        negated=negated,
    )
    signals = metrics or dims or filters or windows or thresholds or weekdays or logins or order or coverage
    if (
        not signals
        and not wordset & (USAGE_WORDS | SUMMARY_WORDS | COVERAGE_WORDS | NEGATIONS)
        and not (who or any(t.kind == "user_noun" for t in toks))
    ):
        raise refuse("I found nothing to measure in that question.", [], SUGGESTIONS)
    if strangers and not unknown:
        raise refuse(
            f"There is no user {', '.join(repr(u) for u in strangers)} in the data, and I don't know what else "
            "it could mean here, so I won't guess.",
            understood(intent),
            SUGGESTIONS,
        )
    unknown += strangers
    comparative = wordset & {
        "more",
        "less",
        "fewer",
        "higher",
        "lower",
        "greater",
        "bigger",
        "smaller",
        "better",
        "worse",
        "above",
        "below",
    }
    if (
        "than" in wordset
        and comparative
        and not windows[1:]
        and not any(len(v) > 1 for v in filters.values())
        and not thresholds
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
    if changes and not (trend or intent.periods or set(dims) & set(TIME_DIMS)):
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
    shaped = shape(
        intent,
        toks,
        joined,
        who=who,
        user_group=user_group,
        count_q=count_q,
        list_q=list_q,
        singular=singular_rank,
        trend=trend,
        compare=compare,
        first_time=first_time,
        coverage=coverage,
        order_metric=order_metric,
        share=share,
    )
    if part:
        return _with_part(part[1], values, as_of, shaped)
    # a safety net: a breakdown the question names is never silently dropped by the shape chosen
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


# "How many lines did Copilot add, and how much of that came from agents?": a total and one part of it
PART_OF = re.compile(
    r",? and (?:how much|how many|what share|what part|what portion|what percentage|what percent|what %) "
    r"(?:of (?:that|those|it|them|this|these)(?: total)? )?(?:(?:came|come|comes|was|were|is|are|was done) )?"
    r"(?:(?:from|by|through|via|in|with|using) )?(?:the |copilot )?(.+?)\s*[?.!]*$"
)
SHARE_OF_PART = re.compile(
    r"^\W*(?:(?:what|which) )?(?:share|percentage|percent|portion|part|fraction|proportion) of (?:the |our |all )?"
    r"(.+?) (?:came|come|comes|was|were|is|are|happen|happened|happens) (?:from|by|through|via|with|using|in|on) "
    r"(.+?)\s*[?.!]*$"
)
AGENT_WORDS = ("agent", "agents", "agent mode", "agent-mode", "agent edits", "the agent", "copilot agent")


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
