"""Tokens to a frame: what is listed or counted, under which conditions (with polarity), over which windows.

A few composition rules, each a small function tried in order; the first that claims the reading fills
the frame. A rule claims a reading only when every content token has a place in its frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Callable

from assistant.errors import CannotAnswer
from assistant.offline.reader import words as W
from assistant.offline.reader.tokens import Reading, Token
from assistant.offline.windows import NOW_WORDS, Window
from assistant.semantic import model
from assistant.semantic.metrics import UNANSWERABLE

READS_ONLY = ("cma only reads your exports: it cannot change seats, users or settings. "
              "Make that change in GitHub's settings (or its REST API).")
REPOSITORY = ("The usage exports hold no repository: activity is per user, day, IDE, feature, language and model, "
              "so nothing can be broken down per repository.")

PROMPT_TEXT = ("The exports hold counts only, never what anyone typed or was shown: no prompt, chat, suggestion or "
               "review text is in them, so what someone asked Copilot cannot be answered.")
# asking for the words themselves: 'what did X ask copilot', 'the actual prompts', 'chat history'
_CONTENT = re.compile(
    r"\bwhat (?:did|does|do|has|have|was|were|is|are)\b(?: \S+){0,5}? (?:ask|asked|asking|say|said|type|typed|tell|"
    r"told|talk about|chat about|prompt|prompted|write to|wrote to)\b(?! (?:counts?|numbers?|totals?|volumes?|tokens?)\b)"
    r"|\b(?:actual|exact|raw|full|verbatim|text of(?: the)?|content of(?: the)?|contents of(?: the)?) (?:chat )?"
    r"(?:prompts?|messages?|questions?|chats?|conversations?|requests?)\b"
    r"|\b(?:prompt|message|chat) (?:text|texts|content|contents|history|histories|log|logs|transcripts?)\b"
    r"|\b(?:transcripts?|conversation history|conversation logs?)\b"
    r"|\bwhat (?:questions?|prompts?|messages?|things|topics?|kinds? of \w+)\b(?: \S+){0,5}? (?:ask|asked|asking|"
    r"type|typed|send|sent|say|said|prompt|prompted)\b"
    r"|\b(?:most common|most frequent|most popular|typical|common|frequent) (?:prompts?|questions?|messages?)\b"
    r"|\b(?:prompts?|questions?|messages?) (?:\S+ ){0,2}(?:most common|most often asked|asked most)\b"
    r"|\b(?:show|see|read|view|open|display)\b(?: \S+){0,4}? conversations?\b|\bconversations? (?:with|about)\b")

PR_TOTALS = ("The pull-request figures are GitHub's own daily totals for the whole enterprise or organization: "
             "no person, team or repository is in them.")

TYPICAL_RATIO = ("A rate on an average day is not one figure the data gives: ask for the rate over the window, or for "
                 "it per day.")

HINT = ('Questions I can answer offline, for example: "which seats were never used?" | "lines added by language" | '
        '"acceptance rate by IDE". A configured model (OPENAI_API_KEY / OPENAI_BASE_URL) handles freer questions.')


@dataclass(frozen=True)
class Condition:
    """One condition on a user or seat: a flag, a value of a dimension, any usage, or a seat attribute."""

    kind: str  # flag, value, use, not_feature, seat
    name: str  # flag name, dimension name, attribute name
    value: str = ""
    positive: bool = True
    window: Window | None = None
    either: tuple["Condition", ...] = ()  # kind 'either': any one of these ('chat or agent')


@dataclass(frozen=True)
class Frame:
    entity: str  # user, member, seat, seat_holder, team, day, figure, person
    shape: str  # count, list, share, value
    conditions: tuple[Condition, ...] = ()
    window: Window | None = None
    asked: tuple[str, ...] = ()  # attributes asked about
    subject: str = ""  # a login or team the question is about
    group: str = ""
    order: str = ""  # asc / desc on the first asked attribute
    limit: int = 0  # a ranking's length (0: every group)
    offset: int = 0  # a ranking's place ('second most': 1)
    notes: tuple[str, ...] = field(default_factory=tuple)
    parts: tuple["Frame", ...] = ()  # entity 'pair': two counts asked in one question, side by side


Rule = Callable[[Reading], "Frame | None"]
CONTENT = frozenset({"flag", "entity", "attr", "dim", "value", "login", "metric", "figure", "pr", "usercount", "cov",
                     "prtime", "prsugg", "present"})


def refusal(reading: Reading) -> CannotAnswer | None:
    """A write request or a per-repository question, refused for the real reason."""
    first = next((t for t in reading.tokens if t.kind not in ("shape",)), None)
    if first is not None and first.kind == "write":
        return CannotAnswer(READS_ONLY, hint=HINT)
    if reading.has("repo"):
        return CannotAnswer(REPOSITORY, hint=HINT)
    if _CONTENT.search(reading.text):
        return CannotAnswer(PROMPT_TEXT, hint=HINT)
    if reading.has("avg", "day") and any(model.GROUPING_OF.get(t.value) == "ratio" for t in reading.kinds("metric")):
        return CannotAnswer(TYPICAL_RATIO, hint=HINT)
    if (reading.has("pr") or reading.has("prsugg")) and ("who" in reading.text.split() or reading.has("login") or
                                                         reading.has("entity", "user")):
        return CannotAnswer(PR_TOTALS, hint=HINT)
    return None


def shape_of(reading: Reading, default: str = "list") -> str:
    shapes = [t.value for t in reading.kinds("shape")]
    for s in ("share", "count", "when"):
        if s in shapes:
            return s
    return "list" if "list" in shapes else default


ALL_TIME = Window(None, None, "all time")


def _window(reading: Reading, i: int = 0) -> Window | None:
    return reading.windows[i] if len(reading.windows) > i else None


def _alltime(reading: Reading) -> bool:
    return reading.has("alltime") or any(w.start is None and w.end is None for w in reading.windows)


# --- coverage -------------------------------------------------------------------------------------
def coverage(reading: Reading) -> Frame | None:
    """'first and last day of data', 'which days are provisional', 'what range does the aggregate cover'."""
    data_days = reading.has("unit", 1) and (reading.has("cov") or "data" in reading.text.split() or
                                            reading.has("entity", "enterprise") or _no_use(reading))
    days = reading.has("entity", "day") or data_days
    if not (days or reading.has("cov", "range") or reading.has("cov", "cover")):
        return None
    named_data = ("day", "enterprise", "user") if _DATA_NAMED.search(reading.text) else ("day", "enterprise")
    daily = Reading(tuple(t for t in reading.tokens if (t.kind, t.value) != ("dim", "day")), reading.windows,
                    reading.notes, reading.text)  # 'the enterprise's daily totals': its days
    dated = any(w.start or w.end for w in reading.windows)
    if _has_other_content(daily, {"entity", "cov"}) or reading.has("weekdays") or \
            any(t.value not in named_data for t in reading.kinds("entity")):
        return None  # 'days missing ... by team', '... on weekends': not the data's coverage
    asked = [t.value for t in reading.kinds("first")] + [t.value for t in reading.kinds("cov")]
    asked += ["max" if t.value == "desc" else "min" for t in reading.kinds("rank")]
    if not asked and (_no_use(reading) or (reading.has("neg") and "data" in reading.text.split())):
        asked = ["missing"]  # 'days for which no usage was recorded', 'days with no data': the missing days
    wanted = tuple(dict.fromkeys(_coverage_item(a) for a in asked if _coverage_item(a)))
    if len(wanted) > 1 and not reading.has("cov", "range") and not reading.has("cov", "span"):
        wanted = tuple(w for w in wanted if w != "range")  # 'the earliest day covered by ...': 'covered' is the verb
    if not wanted and shape_of(reading, "") == "count":
        wanted = ("days",)
    elif wanted and set(wanted) <= {"first", "last"} and _days_counted_too(reading):
        wanted = ("days",) + wanted  # 'how many days of data are loaded, and what are the first and the last'
    if not wanted or (dated and not set(wanted) <= {"days", "first", "last", "range"}):
        return None  # a window bounds a count of days and their edges ('how many days of data for october, and
        # what are the first and last of them'), never the missing or provisional days of the whole data
    if "range" in wanted and "missing" in wanted:
        wanted = ("range_missing",)
    elif wanted == ("missing",) and (shape_of(reading, "") == "count" or
                                     ("any" in reading.text.split() and shape_of(reading, "") != "list")):
        wanted = ("missing_count",)
    elif wanted == ("provisional",) and shape_of(reading, "") == "count" or _provisional_counted(reading, wanted):
        # 'how many of the loaded days are still provisional' (beside the last day, when that is asked too)
        wanted = tuple("provisional_count" if w == "provisional" else w for w in wanted)
    source = "enterprise" if reading.has("entity", "enterprise") else "user"
    return Frame("day", "value", asked=wanted, subject=source, window=_window(reading) if dated else None)


def _provisional_counted(reading: Reading, wanted: tuple[str, ...]) -> bool:
    """'the last day, and how many of the days are provisional': beside the data's edges, 'how many' right before the
    provisional days (only 'days' between them) counts those days."""
    if "provisional" not in wanted or not set(wanted) - {"provisional"} <= {"first", "last", "range", "days"}:
        return False
    toks = reading.tokens
    at = next(i for i, t in enumerate(toks) if (t.kind, t.value) == ("cov", "provisional"))
    before = [t for t in toks[:at] if not (t.kind == "unit" or (t.kind, t.value) == ("entity", "day"))]
    return bool(before) and (before[-1].kind, before[-1].value) == ("shape", "count")


def _days_counted_too(reading: Reading) -> bool:
    """'how many days of data ..., and what are the first and last': the count asked as well as the edges."""
    toks = reading.tokens
    return any((a.kind, a.value) == ("shape", "count") and (b.kind, b.value) == ("unit", 1) for a, b in zip(toks, toks[1:]))


def _no_use(reading: Reading) -> bool:
    """'no usage', 'nobody active': a negation before a usage word, with nothing else negated."""
    kinds = [t.kind for t in reading.tokens]
    return "neg" in kinds and "use" in kinds[kinds.index("neg"):] and len(reading.kinds("neg")) == 1


# 'days of user data', 'the usage data': the data named by what it holds, not a question about users
_DATA_NAMED = re.compile(r"\b(?:user|users|usage|per-user)\s+data\b")


def _coverage_item(word: str) -> str:
    return {"min": "first", "earliest": "first", "max": "last", "latest": "last", "range": "range",
            "cover": "range", "covers": "range", "covered": "range", "coverage": "range", "span": "range",
            "missing": "missing", "gap": "missing", "gaps": "missing", "provisional": "provisional"}.get(word, "")


def _has_other_content(reading: Reading, allowed: set[str]) -> bool:
    return any(t.kind in CONTENT and t.kind not in allowed for t in reading.tokens) or bool(reading.unknown)


# --- GitHub's own figures (entity_daily) ----------------------------------------------------------
def names_pull_requests(reading: Reading) -> bool:
    """Pull requests named, or their review suggestions, or the time to merge one (which only a PR has)."""
    return reading.has("pr") or reading.has("prsugg") or any(
        t.kind == "prtime" and t.value in model.PR_MERGE_TIME_WORDS for t in reading.tokens)


def _unsourced(reading: Reading) -> Reading:
    """A PR question without the report it names ('in the enterprise aggregate report'): PR figures are only there;
    and without an 'after' between two of its verbs ('merged after a copilot review'): the PRs the first verb counts
    among those of the second."""
    toks = reading.tokens
    kept = tuple(t for i, t in enumerate(toks) if (t.kind, t.value) != ("entity", "enterprise") and not (
        (t.kind, t.text) == ("unknown", "after") and 0 < i < len(toks) - 1 and toks[i - 1].kind == "prverb"
        and toks[i + 1].kind == "prverb"))
    return Reading(kept, reading.windows, reading.notes, reading.text)


_PER_DAY = frozenset({("period", "day"), ("dim", "day"), ("unit", 1), ("avg", "per")})
_PERIOD_KINDS = frozenset({"period", "unit", "avg"})


def _per_day(reading: Reading) -> Reading | None:
    """A PR question with its per-day words ('per day', 'daily', 'on each day of') taken into the frame's group,
    or None when it names another period or an average ('per week', 'on average'), which GitHub's totals do not give.
    """
    said = [t for t in reading.tokens if (t.kind, t.value) in _PER_DAY or
            (t.kind in _PERIOD_KINDS and t.value != "median")]
    if not said:
        return reading
    if any((t.kind, t.value) not in _PER_DAY for t in said) or all(t.kind == "avg" for t in said):
        return None
    kept = tuple(t for t in reading.tokens if t not in said) + (Token("group", "day", "per day"),)
    return Reading(kept, reading.windows, reading.notes, reading.text)


def figures(reading: Reading) -> Frame | None:
    """'PRs copilot created in the last 2 weeks', 'github's monthly active users figure for the latest day'."""
    if names_pull_requests(reading):
        got = _per_day(_unsourced(reading))
        if got is None:
            return None
        frame = _pr_figures(got)
        if frame is not None and len(got.windows) > 1:
            return _pr_periods(got, frame)
        if frame is not None and frame.window is None and _alltime(got):  # 'to date', 'ever': all the report's days
            frame = replace(frame, window=ALL_TIME)
        if frame is not None and got.has("weekdays"):  # 'prs merged on mondays': those days' figures only
            if frame.shape not in ("sum", "median"):
                return None
            frame = replace(frame, conditions=tuple(Condition("weekdays", "on", str(t.value))
                                                    for t in got.kinds("weekdays")))
        if frame is None or not got.has("group") or frame.shape == "median":  # a median is given per day already
            return frame
        return replace(frame, group="day") if frame.shape == "sum" else None
    return _user_figures(reading)


def _pr_periods(reading: Reading, frame: Frame) -> Frame | None:
    """One PR figure in two periods ('how many more PRs merged in october than in september', 'prs merged in october
    vs september'): both, in the order named, and the difference; anything else over two periods is not composed."""
    more = reading.has("diff", "more") or reading.has("diff", "fewer")
    if len(reading.windows) != 2 or frame.shape != "sum" or len(frame.asked) != 1 or frame.group or \
            not ((more and reading.has("diff", "than")) or reading.has("vs")):
        return None
    if not (more and reading.has("diff", "than")):  # 'vs': as named, and the change from the earlier, as for usage
        windows = reading.windows if _compared(reading) else sorted(
            reading.windows, key=lambda w: w.start or w.end)  # type: ignore[arg-type,return-value]
        conds = tuple(Condition("window", str(i), window=w) for i, w in enumerate(windows))
        return Frame("figure", "change", conds, asked=frame.asked)
    conds = tuple(Condition("window", str(i), window=w) for i, w in enumerate(reading.windows))
    return Frame("figure", "difference", conds, asked=frame.asked, order="fewer" if reading.has("diff", "fewer") else "")


def _pr_figures(reading: Reading) -> Frame | None:
    """GitHub's pull-request figures: totals, medians, review suggestions and shares."""
    if reading.has("prsugg"):
        return _review_suggestions(reading)
    if reading.has("prtime"):
        return _pr_median(reading)
    if reading.has("pr"):
        verbs = [t.value for t in reading.kinds("prverb")]
        if shape_of(reading, "") == "share":
            return _pr_share(reading, verbs)
        if _has_other_content(reading, {"pr"}) or "applied" in verbs:
            return None
        by_copilot = "copilot" in reading.text.split()
        if by_copilot and len(verbs) == 2 and verbs[1] == "merged" and verbs[0] in model.PR_MERGED_OF:
            # 'how many did copilot review, and how many of those merged'; one question: 'PRs reviewed by copilot
            # that were merged' is the merged ones of those
            cols = (model.PR_FIGURES[(verbs[0], True)], model.PR_MERGED_OF[verbs[0]])
            return Frame("figure", "sum", window=_window(reading),
                         asked=cols if len(reading.kinds("shape")) > 1 else cols[1:])
        if by_copilot and len(verbs) == 2 and verbs[0] == verbs[1] and (verbs[0], False) in model.PR_FIGURES:
            # 'how many were created, and how many of those by copilot', 'prs created vs created by copilot'
            cols = (model.PR_FIGURES[(verbs[0], False)], model.PR_FIGURES[(verbs[0], True)])
            return Frame("figure", "sum", window=_window(reading), asked=cols)
        if reading.has("vs") and len(set(verbs)) == 2 and all((v, by_copilot) in model.PR_FIGURES for v in verbs):
            # 'PRs copilot reviewed vs created': both figures side by side
            return Frame("figure", "sum", window=_window(reading),
                         asked=tuple(model.PR_FIGURES[(v, by_copilot)] for v in verbs))
        if by_copilot and set(verbs) == {"reviewed", "merged"}:  # 'PRs merged after a copilot review'
            return Frame("figure", "sum", window=_window(reading), asked=(model.PR_MERGED_OF["reviewed"],))
        if not by_copilot and len(set(verbs)) == len(verbs) > 1 and _coordinated(reading):
            # 'the total number of PRs created, and the total merged': each figure, in the order named
            return Frame("figure", "sum", window=_window(reading),
                         asked=tuple(model.PR_FIGURES[(v, False)] for v in verbs))
        if set(verbs) == {"created", "merged"}:
            verbs = ["merged"]  # 'copilot-authored PRs that got merged': merged, created by Copilot
        if len(set(verbs)) != 1:
            return None
        return Frame("figure", "sum", window=_window(reading), asked=(model.PR_FIGURES[(verbs[0], by_copilot)],))
    return None


# between two PR verbs: 'and' (with 'how many', 'the total' ... after it) joins two figures; a relative word ('opened
# that got merged') makes the second verb a condition of the first's PRs
_RELATIVE = frozenset({"that", "which", "who", "whom", "then"})


def _coordinated(reading: Reading) -> bool:
    """Every two PR verbs joined by 'and' with no relative word between them ('PRs created and how many merged')."""
    words = reading.text.split()
    verbs = [t.text for t in reading.kinds("prverb")]
    at = [words.index(v) if v in words else -1 for v in verbs]
    if -1 in at or at != sorted(at):
        return False
    return all("and" in words[a:b] and not _RELATIVE & set(words[a:b]) for a, b in zip(at, at[1:]))


def _user_figures(reading: Reading) -> Frame | None:
    """'github's daily active users on nov 2': the aggregate report's own distinct count of a day."""
    counts = reading.kinds("usercount")
    # 'github's daily active users', 'the enterprise's own totals': the aggregate report's figure
    aggregate = "github" in reading.text.split() or reading.has("entity", "enterprise")
    rest = Reading(tuple(t for t in reading.tokens if (t.kind, t.value) != ("entity", "enterprise")), reading.windows,
                   reading.notes, reading.text)
    if counts and aggregate and not _has_other_content(rest, {"usercount"}):
        return Frame("figure", "last", window=_window(reading), asked=(counts[0].value,))
    return None


def _pr_median(reading: Reading) -> Frame | None:
    """'median minutes to merge copilot-authored PRs on nov 2': GitHub's own median of that day (or of each day)."""
    verbs = set(t.value for t in reading.kinds("prverb")) - {"merged"}
    by_copilot = "copilot" in reading.text.split()
    if len(verbs) > 1 or by_copilot != bool(verbs) or _has_other_content(reading, {"pr", "prtime"}):
        return None  # 'copilot PRs' without authored or reviewed: which median is not said
    if any(t.kind in ("avg", "top") and t.value not in ("median",) for t in reading.tokens):
        return None  # an average or maximum of daily medians is no figure GitHub gives
    key = next(iter(verbs), "")
    if key not in model.PR_MEDIANS:
        return None
    return Frame("figure", "median", window=_window(reading), asked=(model.PR_MEDIANS[key],))


def _review_suggestions(reading: Reading) -> Frame | None:
    """'copilot review suggestions applied vs generated': GitHub's own counts of PR review suggestions."""
    by_copilot = "copilot" in reading.text.split()
    asked: list[str] = []
    for t in reading.tokens:
        if (t.kind == "prverb" and t.value == "applied") or (t.kind == "metric" and t.text in ("accepted", "accepts")):
            asked.append(model.PR_SUGGESTIONS[(True, by_copilot)])
        elif t.text in model.PR_SUGGESTION_MADE or (t.kind, t.text) == ("metric", "suggestions"):
            asked.append(model.PR_SUGGESTIONS[(False, by_copilot)])  # 'generated', 'made'
        elif t.kind in CONTENT and t.kind not in ("prsugg", "pr") or t.kind in ("prverb", "unknown"):
            return None
    whole = model.PR_SUGGESTIONS[(False, by_copilot)]
    if shape_of(reading, "") == "share":
        part = [a for a in asked if a != whole]
        return Frame("figure", "share", window=_window(reading), asked=(part[0], whole)) if len(part) == 1 else None
    return Frame("figure", "sum", window=_window(reading), asked=tuple(dict.fromkeys(asked)) or (whole,))


def _pr_share(reading: Reading, verbs: list[str]) -> Frame | None:
    """'of the PRs copilot authored, what share got merged': merged over created, both by or not by Copilot;
    'what share of the PRs created were created by copilot': Copilot's part of one figure over all of it."""
    if _has_other_content(reading, {"pr"}):
        return None
    by_copilot = "copilot" in reading.text.split()
    if by_copilot and len(set(verbs)) == 1 and verbs[0] in ("created", "reviewed") and \
            re.search(r"\bby (github )?copilot\b", reading.text):  # Copilot as the doer of the one verb
        cols = (model.PR_FIGURES[(verbs[0], True)], model.PR_FIGURES[(verbs[0], False)])
        return Frame("figure", "share", window=_window(reading), asked=cols)
    if set(verbs) - {"created"} != {"merged"}:
        return None
    cols = (model.PR_FIGURES[("merged", by_copilot)], model.PR_FIGURES[("created", by_copilot)])
    if by_copilot and "created" in verbs and verbs.index("merged") < verbs.index("created"):
        cols = (model.PR_FIGURES[("merged", True)], model.PR_FIGURES[("merged", False)])  # 'of the merged PRs,
        # what share did copilot create': Copilot's part of the merged ones
    return Frame("figure", "share", window=_window(reading), asked=cols)


# --- one person -----------------------------------------------------------------------------------
def person(reading: Reading) -> Frame | None:
    """'when did weik first use copilot', 'last sign in of dadeyemi', 'raj-kim's last activity editor'."""
    logins = reading.kinds("login")
    if len(logins) != 1 or reading.unknown:
        return None
    if _last_used_editor(reading):
        reading = _seat_nouns(reading)  # 'which editor did X last use': the seat's last activity editor
    attrs = _person_seat_attributes(reading)
    surface = reading.has("entity", "seat_activity")
    if any(t.kind in ("dim", "entity") and _grouped_by(reading, t.text) for t in reading.tokens):
        return None  # 'X's last editor by team': a breakdown of one person's seat is not composed
    if attrs or surface:
        named = SEAT_ATTRIBUTE_NAMES | set(SEAT_NOUNS)
        if _has_other_content(reading, {"login", "attr", "entity", "dim"}) or any(
                t.value not in named for t in reading.kinds("dim")) or any(
                t.value not in named | {"seat", "seat_activity", "user"} for t in reading.kinds("entity")):
            return None
        names = tuple(dict.fromkeys(f"{e}.{a}" for e, a in attrs)) or ("seat_activity.surface",)
        return Frame("person", "value", asked=names, subject=logins[0].value, notes=as_dates(reading))
    if reading.has("entity", "team") and all(t.kind in ("login", "entity", "shape", "now") for t in reading.tokens) \
            and all(t.value in ("team", "user") for t in reading.kinds("entity")) and len(reading.windows) <= 1 \
            and not _grouped_by(reading, "team"):
        return Frame("person", "teams", window=_window(reading), subject=logins[0].value)  # 'which team is X on'
    states = [t.value for t in reading.kinds("dim") if t.value in model.STATE_DIMENSIONS]
    if states and not _has_other_content(reading, {"login", "dim"}) and len(reading.kinds("dim")) == 1:
        return Frame("person", "state", window=_window(reading), asked=(states[0],), subject=logins[0].value)
    both = _days_and_edge(reading)
    if both:
        return Frame("person", "value", window=_window(reading), asked=("active_days", both), subject=logins[0].value)
    edge = _active_edge(reading)
    days = next((t.value for t in reading.kinds("weekdays")), "")
    if edge and (not days or days in W.WEEKDAY_SETS):
        dated = [w for w in reading.windows if w.start or w.end]
        return Frame("person", "value", window=dated[0] if dated else None, asked=(edge,), subject=logins[0].value,
                     group=days)
    return None


def as_dates(reading: Reading) -> tuple[str, ...]:
    """The timestamp attributes asked as a date ('the last activity date on X's seat', 'their assignment dates'):
    notes 'date:<entity>.<attribute>' the SQL reads as the timestamp's day."""
    out = []
    for t in reading.kinds("attr"):
        entity, name = t.value
        attr = model.ENTITIES_BY_NAME[entity].attribute(name)
        if attr.kind == "time" and re.search(rf"\b{re.escape(t.text)} (?:date|dates|day)\b", reading.text):
            out.append(f"date:{entity}.{name}")
    return tuple(dict.fromkeys(out))


_EDGES = {("seat_usage", "first_active"): "min", ("seat_usage", "last_active"): "max", ("user", "first_day"): "min",
          ("user", "last_day"): "max"}


def _last_used_editor(reading: Reading) -> bool:
    """'what editor did X last use': an IDE asked (no value named), 'last' right before a usage verb, no window."""
    toks = reading.tokens
    last = any((a.kind, a.value) == ("first", "max") and b.kind == "use" for a, b in zip(toks, toks[1:]))
    return last and reading.has("dim", "ide") and not reading.kinds("value") and not reading.windows


def _days_and_edge(reading: Reading) -> str:
    """'on how many days was X active, and when was the last of those days', 'when was X last active and on how many
    days': X's active days and the first or last of them, asked together ('and'); min or max, or '' when the reading
    is not just that."""
    toks = reading.tokens
    edges = [t.value for t in reading.kinds("first")] + [_EDGES[t.value] for t in reading.kinds("attr")
                                                         if t.value in _EDGES]
    counted = _days_counted(toks)
    # 'when', or 'what (which) was the last day': a day asked
    day_asked = reading.has("shape", "when") or (reading.has("entity", "day") and (
        reading.has("shape", "what") or reading.has("shape", "list")))
    if len(counted) != 1 or len(edges) != 1 or not day_asked or len(reading.windows) > 1 or \
            not re.search(r"\band (when|what|which|how many|on how many)\b", reading.text):
        return ""
    placed = {"login", "first", "shape", "use", "alltime"}
    other = [t for t in toks if t.kind not in placed and (t.kind, t.value) not in (("entity", "day"), ("unit", 1))
             and t.value not in _EDGES and t is not counted[0]]
    return "" if other or reading.unknown else edges[0]


def _days_counted(toks: tuple[Token, ...]) -> list[Token]:
    """The tokens that ask for a number of active days: the measure, or 'how many' right before 'days'."""
    return [t for i, t in enumerate(toks) if (t.kind, t.value) == ("metric", "active_days") or (
        (t.kind, t.value) == ("shape", "count") and i + 1 < len(toks) and (toks[i + 1].kind, toks[i + 1].value) ==
        ("unit", 1) and toks[i + 1].text in ("days", "day"))]


def _active_edge(reading: Reading) -> str:
    """'when was X first active', 'the last day X was active', 'first day X shows up': min or max of X's days."""
    edges = [t.value for t in reading.kinds("first")] + [_EDGES[t.value] for t in reading.kinds("attr")
                                                         if t.value in _EDGES]
    edges += ["min" if t.value == "asc" else "max" for t in reading.kinds("rank")]  # 'the earliest date'
    named = reading.has("use") or reading.has("entity", "day") or reading.has("unit", 1) or bool(reading.kinds("attr"))
    if len(edges) != 1 or not named or len([w for w in reading.windows if w.start or w.end]) > 1:
        return ""
    if _days_counted(reading.tokens):
        return ""  # 'when was X last active and on how many days': a number asked as well (_days_and_edge)
    placed = ("login", "first", "rank", "use", "shape", "alltime", "weekdays")
    other = [t for t in reading.tokens if t.kind not in placed
             and (t.kind, t.value) not in (("entity", "day"), ("unit", 1)) and t.value not in _EDGES]
    return "" if other or reading.unknown else edges[0]


# --- seats ----------------------------------------------------------------------------------------
SEAT_ATTRIBUTE_NAMES = frozenset(a.name for a in model.ENTITIES_BY_NAME["seat"].attributes)
# a noun that names a seat attribute next to a seat: 'which team handed out X's seat', 'the editor on X's seat'
SEAT_NOUNS = {"team": "assigning_team", "ide": "editor"}
SEAT_GROUPS = {"assigning_team": "team", "plan": "plan", "organization": "organization"}  # attribute -> group


def _grouped_by(reading: Reading, noun: str) -> bool:
    """'... by team', 'per plan': the noun is a breakdown, not a thing asked about."""
    return bool(re.search(rf"\b(by|per|each|every) {re.escape(noun)}s?\b", reading.text))


def _person_seat_attributes(reading: Reading) -> list[tuple[str, str]]:
    """The seat attributes asked about one person: named, or a noun beside the seat ('which team ... seat'), or
    'when ... get a seat' (the assignment); 'handed out' beside another attribute is the verb, not a question."""
    attrs = [t.value for t in reading.kinds("attr") if t.value[0] in ("seat", "seat_activity")]
    seat = reading.has("entity", "seat") or bool(attrs)
    if reading.has("entity", "seat"):  # 'when was X's seat last active': the activity GitHub records on the seat
        attrs += [("seat", "last_activity") for t in reading.kinds("attr") if t.value == ("seat_usage", "last_active")]
    attrs += [("seat", SEAT_NOUNS.get(t.value, t.value)) for t in reading.tokens if t.kind in ("dim", "entity") and
              (t.value in SEAT_ATTRIBUTE_NAMES or (seat and t.value in SEAT_NOUNS))]
    if not attrs and reading.has("entity", "seat") and reading.has("shape", "when"):
        attrs = [("seat", "assigned")]
    if len(attrs) > 1 and not reading.has("shape", "when"):
        attrs = [a for a in attrs if a != ("seat", "assigned")]
    if ("seat", "editor") in attrs and not reading.has("shape", "when"):
        attrs = [a for a in attrs if a != ("seat", "last_activity")]  # the editor of the last activity: one attribute
    return list(dict.fromkeys(attrs))
SEAT_KINDS = frozenset({"entity", "attr", "value", "dim", "metric", "neg", "use", "shape", "rank", "alltime", "set",
                        "top", "present", "sort"})


def seats(reading: Reading) -> Frame | None:
    """Seats by attribute: pending cancellation, assigning team, assigned when, never used, by plan."""
    reading, activity = _activity_source(reading)
    seat_words = activity or reading.has("entity", "seat") or reading.has("metric", "seat_utilisation") or any(
        t.value[0] == "seat" for t in reading.kinds("attr"))
    if not seat_words or reading.unknown or reading.kinds("flag") or reading.kinds("login"):
        return None
    if activity:
        return _surfaces(reading)
    several = _several_seats(reading)
    if several is not None:
        return several
    if reading.has("inactive"):
        groups = [t.value for t in reading.tokens if t.kind in ("dim", "entity") and t.value in ("plan", "organization",
                                                                                                  "team")]
        if len(groups) != 1 or any(t.kind not in ("entity", "dim", "inactive", "shape", "set") for t in reading.tokens):
            return None
        return Frame("seat", "group_inactive", group=groups[0])
    reading = _seat_nouns(reading)
    ranked = SEAT_KINDS | ({"num"} if reading.has("top") or reading.has("rank") else set())
    if reading.has("set", "both") and len(reading.kinds("value")) == 2:
        return _in_every_org(reading)
    if any(t.kind not in ranked for t in reading.tokens) or any(
            t.value not in ("but", "or", "either", "and") for t in reading.kinds("set")) or any(
            t.kind == "metric" and t.value != "seat_utilisation" for t in reading.tokens):
        return None
    if any(t.kind == "entity" and t.value not in ("seat", "user") for t in reading.tokens):
        return None
    if _users_without_seat(reading):
        return None  # 'anyone who doesn't have a licence': people, the users rule's
    groups = list({t.value: t for t in reading.kinds("dim") if t.value in ("plan", "organization", "team")}.values())
    if len(groups) == 2 and all(t.kind in ("entity", "dim") or (t.kind, t.value) in (("shape", "count"), ("set", "and"))
                                for t in reading.tokens) and not re.search(r"\b(?:with|their|its)\b", reading.text):
        # 'seats by org and plan': one row per pair of values ('seats by team with their plan' is not this)
        return Frame("seat", "group", group="|".join(t.value for t in groups))
    if len(groups) > 1 or (groups and (reading.has("metric", "seat_utilisation") or reading.kinds("rank"))):
        return None  # two breakdowns, a ratio or 'the newest' per group: not composed
    if reading.has("metric", "seat_utilisation"):
        return Frame("seat", "utilisation", window=_window(reading))
    off = _off_roster(reading)
    if off is not None:
        return off
    conds, asked = _seat_conditions(reading)
    conds = _one_of(conds, reading.has("set", "or")) if conds is not None else None
    dated = [w for w in reading.windows if w.start is not None or w.end is not None]
    if conds is None or len(dated) > sum(c.window is not None for c in conds):
        return None
    if reading.has("entity", "user") and shape_of(reading, "count") == "count" and not conds and not asked:
        return None if groups else Frame("seat", "holders")
    return _seat_frame(reading, conds, asked, groups)


def _activity_source(reading: Reading) -> tuple[Reading, bool]:
    """The reading without the seat activity report named as its source ('according to the seat activity report'),
    and whether it was named; its last surface ('whose last surface was jetbrains') is a seat's last editor there."""
    toks = [Token("attr", ("seat", "editor"), t.text) if "surface" in t.text else t for t in reading.tokens
            if (t.kind, t.value) != ("entity", "seat_activity") or "surface" in t.text]
    if len(toks) == len(reading.tokens) and toks == list(reading.tokens):
        return reading, False
    return Reading(tuple(toks), reading.windows, reading.notes, reading.text), True


def _surfaces(reading: Reading) -> Frame | None:
    """Seat holders by the surface they last used, from the seat activity report: 'which seat holders last used
    copilot from a jetbrains ide', counted or listed; anything else asked of that report is not composed."""
    reading = _seat_nouns(reading)
    ides = [t.value[1] for t in reading.kinds("value") if t.value[0] == "ide"]
    if len(ides) != 1 or reading.windows or any(t.kind not in ("entity", "attr", "value", "shape") for t in
                                                reading.tokens) or len(reading.kinds("value")) != 1:
        return None
    if any(t.value not in (("seat", "editor"),) for t in reading.kinds("attr")) or any(
            t.value not in ("seat", "user") for t in reading.kinds("entity")) or not reading.has("attr"):
        return None
    return Frame("seat", shape_of(reading), (Condition("surface", "surface", ides[0] + "%"),), notes=("holders",))


def _seat_frame(reading: Reading, conds: list[Condition], asked: list[str], groups: list[Token]) -> Frame | None:
    """The seat frame's shape: a breakdown ('by team', ranked 'which team granted the most'), or the seats listed
    with the attribute beside each ('seats with their plan', 'which ... by team'), or a count."""
    top = reading.kinds("top")
    if groups and not top and (_theirs(reading, groups[0].text) or shape_of(reading, "") in ("list", "when")):
        asked.append(next(a for a, g in SEAT_GROUPS.items() if g == groups[0].value))  # 'seats with their plan'
        groups = []
    if groups and shape_of(reading, "") == "share":
        return None
    group = groups[0].value if groups else ""
    order = next((t.value for t in reading.kinds("rank")), "")
    limit = 0
    if reading.kinds("sort"):
        if group or order or reading.kinds("num"):
            return None  # a sorted breakdown, or a sort beside a rank: not composed
        order, limit = reading.kinds("sort")[0].value, -1  # 'oldest first': every seat, in that order
    nums = [t.value for t in reading.kinds("num")]
    if order and not group and len(nums) == 1:
        limit = nums[0]  # 'the five seats assigned the longest': the first five by assignment date
    if group and top:  # 'which team granted the most seats': the top one; 'top 3 teams': three
        order = top[0].value
        limit = nums[0] if nums else (0 if groups[0].text.endswith("s") else 1)  # 'which team': the top one
    shape = "group" if group else shape_of(reading, "list" if asked or conds or order else "count")
    if shape == "group" and any(a not in {c.name for c in conds} for a in asked):
        return None  # 'seats by org and ide': what is asked beside a breakdown is never dropped
    dated = list(dict.fromkeys(t.value[1] for t in reading.kinds("attr") if t.value[0] == "seat" and
                               t.value[1] in SEAT_DATES))
    if shape == "count" and len(dated) == 1 and not order and _PER_DATE.search(reading.text) and \
            not reading.has("use"):
        return Frame("seat", "per_date", tuple(dict.fromkeys(conds)), _window(reading), group=dated[0])
    if shape == "count" and conds and re.search(r"\b(total|all) .*\band how many\b", reading.text):
        shape = "share"  # 'total seats and how many are in use': the whole beside the part
    holders = any("holder" in t.text for t in reading.kinds("entity"))  # 'seat holders': people, once each
    notes = ("holders",) if holders else ()
    if group == "team" and reading.has("attr", ("seat", "assigned")):
        notes += ("granted",)  # 'seats granted by each assigning team': the seats a team granted, no others
    if shape == "group" and conds and _AND_HOW_MANY.search(reading.text):
        notes += ("part",)  # 'seats per organization, and how many of them are pending': the whole beside the part
    conds = list(dict.fromkeys(conds))
    if shape == "share":
        conds, scoped = _share_scope(reading, conds)
        notes += (f"scope{scoped}",) if scoped else ()
    return Frame("seat", shape, tuple(conds), _window(reading), tuple(dict.fromkeys(asked)),
                 group=group, order=order, limit=limit, notes=notes + as_dates(reading))


def _share_scope(reading: Reading, conds: list[Condition]) -> tuple[list[Condition], int]:
    """'what share of the seats in acme-labs were active': the seats' attributes name the whole the share is of and
    their activity the part; an attribute said after the verb is the part ('what share of active seats are in
    acme-eng'). The scope's conditions first, and how many they are."""
    if not any(c.kind == "use" for c in conds):
        return conds, 0
    after = [c for c in conds if c.kind in ("seat", "either") and _said_after_verb(reading.text, c)]
    scope = [c for c in conds if c not in after and (after or c.kind in ("seat", "either"))]
    if not scope or len(scope) == len(conds):
        return conds, 0
    return scope + [c for c in conds if c not in scope], len(scope)


def _said_after_verb(text: str, c: Condition) -> bool:
    values = [x.value for x in c.either] if c.either else [c.value]
    return any(v and re.search(rf"\b(?:are|were|is|was|belong|belongs|belonged|sit|sits)\b(?: \w+){{0,2}} "
                               rf"{re.escape(v.lower())}\b", text) for v in values)


# a seat's date attributes, by which a count of seats may be given per date
SEAT_DATES = frozenset(a.name for a in model.ENTITIES_BY_NAME["seat"].attributes if a.kind in ("date", "time"))
# 'by cancellation date', 'on each date', 'and on which date does it take effect': per date
_PER_DATE = re.compile(r"\b(?:by|per|each|every|on which|which|what)(?: \w+)? (?:date|dates|day|days)\b")
_AND_HOW_MANY = re.compile(r"\band how many of (?:them|those|these)\b|\bhow many\b.*\band how many\b")


def _one_of(conds: list[Condition], union: bool) -> list[Condition]:
    """Two values of one seat attribute ('in acme-eng and acme-labs', 'through payments-api or mobile-apps'): a seat
    has one value of each, so it is either of them (the union), never both; two teams' rosters only with 'or'."""
    out: list[Condition] = []
    for c in conds:
        same = [i for i, x in enumerate(out) if c.value and x.kind == c.kind and x.name == c.name and x.positive
                and (x.value or x.either) and c.positive and (c.kind == "seat" or union)]
        if same:
            prev = out[same[0]]
            out[same[0]] = Condition("either", c.name, either=(prev.either or (prev,)) + (c,))
        else:
            out.append(c)
    return out


def _adjective(reading: Reading, t: Token) -> bool:
    """'assigned seats were active last week': an attribute right before the seat noun describes it, the window is
    the verb's."""
    i = reading.tokens.index(t)
    if i + 1 >= len(reading.tokens) or reading.tokens[i + 1].kind != "entity" or not reading.has("use"):
        return False
    # 'assigned their seat more than 30 days ago': a verb with its object, the window its own
    noun = re.escape(reading.tokens[i + 1].text)
    return not re.search(rf"\b{re.escape(t.text)} (?:their|his|her|its|a|the) {noun}\b", reading.text)


def _assigned_through(reading: Reading, t: Token) -> bool:
    """'seats assigned through the web-frontend team, ... active in the last 28 days': the verb of the assigning team
    right after it, with activity asked, is no date (the window is the holders' activity's)."""
    at = next(i for i, x in enumerate(reading.tokens) if x is t)
    return reading.has("use") and at + 1 < len(reading.tokens) and reading.tokens[at + 1].kind == "attr" and \
        reading.tokens[at + 1].value == ("seat", "assigning_team")


def _theirs(reading: Reading, phrase: str) -> bool:
    """'seats with their plan', 'holders and their assigning team': an attribute shown beside each seat."""
    return bool(re.search(rf"\b(their|its|his|her|each seat|and the) {re.escape(phrase)}\b", reading.text))


def _off_roster(reading: Reading) -> Frame | None:
    """'seat holders who are not on any team': seats whose holder is on no team's roster, on any day loaded;
    'seats with no team': seats no team assigned."""
    if not reading.has("neg") or not reading.has("dim", "team") or reading.kinds("value") or reading.kinds("attr"):
        return None
    if any(t.kind not in ("entity", "dim", "neg", "shape") for t in reading.tokens) or reading.windows:
        return None
    if any(t.kind == "entity" and t.value not in ("seat", "user") for t in reading.tokens):
        return None
    if not re.search(r"\b(on|in)( \w+)? (team|teams|squad|squads)\b", reading.text):
        # 'seats with no team': the seat's own team, the one that assigned it
        return Frame("seat", shape_of(reading), (Condition("seat", "assigning_team", positive=False),))
    return Frame("seat", shape_of(reading), (Condition("roster", "team", positive=False),))


def _in_every_org(reading: Reading) -> Frame | None:
    """'which users hold a seat in both acme-eng and acme-labs': logins with a seat in each organization named."""
    orgs = [t.value[1] for t in reading.kinds("value") if t.value[0] == "organization"]
    if len(orgs) != 2 or reading.windows or any(t.kind not in ("entity", "value", "set", "shape") for t in
                                                reading.tokens):
        return None
    if any(t.kind == "entity" and t.value not in ("seat", "user", "organization") for t in reading.tokens):
        return None
    conds = tuple(Condition("seat", "organization", o) for o in orgs)
    return Frame("seat", "every_org", conds, notes=(shape_of(reading),))


def _seat_nouns(reading: Reading) -> Reading:
    """Nouns read in the light of the seat beside them: 'the payments-api team' restates the assigning team named,
    'which team granted' groups by it, 'count per plan' groups, 'which editor' asks the last activity editor."""
    toks = _activity_asked(list(reading.tokens))
    valued = {t.value[0] for t in reading.kinds("value")}
    through = reading.has("attr", ("seat", "assigning_team"))
    out: list[Token] = []
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "entity" and t.value == "organization":
            if "organization" in valued:
                continue  # 'the acme-labs organization': the value says it
            t = Token("dim", "organization", t.text)  # 'seats in each organization': a grouping
        elif t.kind == "entity" and t.value == "team":
            if (through or "team" in valued) and not _grouped_by(reading, t.text.rstrip("s")):
                continue  # 'through the payments-api team', 'assigned through a team', 'on the mobile-apps team'
            t = Token("dim", "team", t.text)  # 'which team granted the most seats', '... by team'
        elif t.kind == "avg" and t.value == "per" and nxt is not None and nxt.kind in ("dim", "entity", "attr"):
            continue  # 'count per plan': a grouping, no average
        elif t.kind == "attr" and t.value[0] == "seat" and t.value[1] in SEAT_GROUPS and \
                re.search(rf"\b(by|per|each) {re.escape(t.text)}\b", reading.text):
            t = Token("dim", SEAT_GROUPS[t.value[1]], t.text)  # 'seats by assigning team': a grouping
        elif t.kind == "entity" and nxt is not None and nxt.kind == "dim" and t.text in model.ENUM_VALUES.get(
                nxt.value, ()):
            t = Token("value", (nxt.value, t.text), t.text)  # 'the enterprise plan'
            valued.add(nxt.value)
        elif ((t.kind, t.value) == ("first", "max") or (t.kind, t.text) == ("rank", "most recent")) and \
                nxt is not None and nxt.kind == "use" and (
                "ide" in valued or reading.has("dim", "ide") or reading.has("attr", ("seat", "editor"))):
            t = Token("attr", ("seat", "editor"), t.text)  # 'last used copilot from a jetbrains ide': the seat's
            # last activity editor; the use word after it ('used', 'activity') is a part of it
            toks[i + 1] = Token("attr", t.value, nxt.text)
        elif t.kind == "dim" and t.value == "ide" and "ide" not in valued:
            t = Token("attr", ("seat", "editor"), t.text)  # 'which editor did each seat holder last use'
        elif t.kind == "dim" and t.value in valued:
            continue  # 'a jetbrains ide': the value says it
        elif t.kind == "present" and nxt is not None and nxt.kind == "attr":
            toks[i + 1] = Token("present", nxt.value, f"{t.text} {nxt.text}")  # '... leave out those who never X'
            continue
        elif t.kind == "use" and t.text == "activity" and reading.has("neg") and (
                "github" in reading.text.split() or reading.has("attr", ("seat", "last_activity"))):
            t = Token("attr", ("seat", "last_activity"), t.text)  # 'no github activity since': GitHub's own timestamp
        out.append(t)
    if "ide" in valued and not reading.windows:  # 'their last activity was in vscode': the last activity's editor
        out = [Token("attr", ("seat", "editor"), t.text) if t.kind == "attr" and t.value == ("seat", "last_activity")
               and i < _when_asked(out) else t for i, t in enumerate(out)]
    out = [t for i, t in enumerate(out) if t.kind != "attr" or t not in out[:i]]
    if any(t.kind == "attr" and t.value == ("seat", "editor") for t in out):
        # 'the editor used for their last activity' is the last activity editor: one attribute, no usage ('..., when
        # did that last activity happen': the time asked after 'when' is kept)
        when = _when_asked(out)
        out = [t for i, t in enumerate(out) if not (t.kind == "use" and t.value in ("use", "used", "using")) and
               (t.value != ("seat", "last_activity") or i > when)]
    return Reading(tuple(out), reading.windows, reading.notes, reading.text)


def _activity_asked(toks: list[Token]) -> list[Token]:
    """'..., and when did that activity happen': the activity a seat question asks the time of is its last activity."""
    when = _when_asked(toks)
    return [Token("attr", ("seat", "last_activity"), t.text) if i > when and (t.kind, t.text) == ("use", "activity")
            else t for i, t in enumerate(toks)]


def _when_asked(toks: list[Token]) -> int:
    """Where 'when' asks for a time ('when did that last activity happen'), or past the end when it does not."""
    return next((i for i, t in enumerate(toks) if (t.kind, t.value) == ("shape", "when")), len(toks))


def _several_seats(reading: Reading) -> Frame | None:
    """'does anyone have two seats', 'people with more than one licence': logins holding several seats."""
    nums = [t.value for t in reading.kinds("num")]
    more = reading.has("cmp", ">")
    if len(nums) != 1 or not reading.has("entity", "user") or (nums[0] < 2 and not (more and nums[0] == 1)):
        return None
    if any(t.kind not in ("entity", "num", "cmp", "shape") for t in reading.tokens):
        return None
    least = nums[0] + 1 if more else nums[0]
    return Frame("seat", "several", asked=(str(least),))


def _users_without_seat(reading: Reading) -> bool:
    """'anyone who doesn't have a licence', 'who uses copilot but has no seat': people (or a use), then a negation,
    then a seat, last."""
    kinds = [(t.kind, t.value) for t in reading.tokens if t.kind in ("entity", "neg", "use", "attr")]
    if len(kinds) < 2 or kinds[-1] != ("entity", "seat") or kinds[-2][0] != "neg":
        return False
    return ("entity", "user") in kinds[:-2] or any(k[0] == "use" for k in kinds[:-2])


def _seat_conditions(reading: Reading) -> tuple[list[Condition] | None, list[str]]:
    conds: list[Condition] = []
    asked: list[str] = []
    negated = reading.has("neg")
    when = _when_asked(list(reading.tokens))
    for i, t in enumerate(reading.tokens):
        if t.kind != "attr" or t.value[0] != "seat":
            continue
        name = t.value[1]
        if i > when:  # '..., and when was that authentication': the time shown beside each seat
            asked.append(name)
        elif name == "assigning_team" and _theirs(reading, t.text) and not negated:
            asked.append(name)
        elif name == "assigning_team":
            named = [v.value[1] for v in reading.kinds("value") if v.value[0] == "team"]
            conds += [Condition("seat", name, team, positive=bool(team) or not negated) for team in named or [""]]
        elif name == "cancellation":
            conds.append(Condition("seat", name, positive=not negated))
            asked.append(name)
        elif name == "assigned":
            if reading.windows and not _adjective(reading, t) and not _assigned_through(reading, t):
                conds.append(Condition("seat", name, window=reading.windows[0]))
        elif name in ("signed_in", "last_activity") and reading.windows and reading.windows[0].start is None and \
                not negated:
            # 'last signed in before oct 1' (a sign-in within a window is not read from the last one)
            conds.append(Condition("seat", name, window=reading.windows[0]))
        elif negated and not reading.has("use"):
            since = reading.windows[0] if reading.windows and reading.windows[0].end is not None else None
            conds.append(Condition("seat", name, positive=False, window=since))  # 'never signed in': no such time
        else:
            asked.append(name)
    conds += [Condition("seat", t.value[1]) for t in reading.kinds("present")]  # the attribute is set
    for t in reading.kinds("value"):
        if t.value[0] == "organization":
            conds.append(Condition("seat", "organization", t.value[1]))
        elif t.value[0] == "plan":
            conds.append(Condition("seat", "plan", t.value[1]))
        elif t.value[0] == "ide" and "editor" in asked:  # 'a jetbrains ide as their last editor'
            asked.remove("editor")
            conds.append(Condition("seat", "editor", t.value[1] + "%"))
        elif t.value[0] == "team" and reading.has("attr", ("seat", "assigned")) and not negated and \
                not reading.has("attr", ("seat", "assigning_team")):
            conds.append(Condition("seat", "assigning_team", t.value[1]))  # 'seats assigned by the payments-api team'
        elif t.value[0] == "team" and not reading.has("attr", ("seat", "assigning_team")) and not negated:
            conds.append(Condition("roster", "team", t.value[1]))  # 'seat holders on platform-core': its roster
        elif t.value[0] != "team" or not reading.has("attr", ("seat", "assigning_team")):
            return None, []
    if reading.has("use"):
        dated = any(c.name == "assigned" and c.window for c in conds)
        windows = [w for w in (reading.windows[1:] if dated else reading.windows)
                   if w.start is not None or w.end is not None]  # 'in all the data' is no window to be inactive in
        if not negated:  # 'seat holders who were active last week': seats whose holder was active then
            if shape_of(reading, "") not in ("count", "list", "share"):
                return None, []
            alltime = reading.has("alltime") or len(windows) < len(reading.windows) - dated
            conds.append(Condition("use", "active", window=windows[0] if windows else (ALL_TIME if alltime else None)))
            return conds, asked
        if _used_before_negation(reading):
            return None, []  # 'active in the data but no activity in november': two conditions, not composed here
        never = "absent" if any(t.value in W.APPEAR for t in reading.kinds("use")) else "never"
        conds.append(Condition("use", never if not windows else "inactive", positive=False,
                               window=windows[0] if windows else None))
    return conds, asked


def _used_before_negation(reading: Reading) -> bool:
    """Whether a usage word stands before the first negation ('who were active ... but never ...')."""
    kinds = [t.kind for t in reading.tokens]
    return "neg" in kinds and "use" in kinds[:kinds.index("neg")]


# --- team rosters ---------------------------------------------------------------------------------
def teams(reading: Reading) -> Frame | None:
    """Team sizes, members of a team who never used Copilot, when someone joined a team."""
    named = [t.value[1] for t in reading.kinds("value") if t.value[0] == "team"]
    if reading.unknown or len(named) > 1 or reading.has("attr", ("seat", "assigning_team")):
        return None
    if any(t.value[0] != "team" for t in reading.kinds("value")):
        return None  # 'vscode users on mobile-apps': a condition on the members, the users rule's
    multi = _multi_team(reading)
    if multi is not None:
        return multi
    if not named and reading.has("entity", "team") and _asks_sizes(reading):
        if _has_other_content(reading, {"entity", "attr", "dim"}):
            return None
        order = next((t.value for t in reading.kinds("top")), "")
        nums = [t.value for t in reading.kinds("num")]
        limit = nums[0] if nums else int(bool(order) and not any(t.text.endswith("s") for t in reading.tokens
                                                                   if t.kind == "entity" and t.value == "team"))
        return Frame("team", "group", window=_window(reading), asked=("size",), notes=_now(reading), order=order,
                     limit=limit)
    if not named:
        return None
    logins = reading.kinds("login")
    if len(logins) == 1 and reading.kinds("first") and not _has_other_content(reading, {"login", "value"}):
        return Frame("member", "value", asked=("joined",), subject=named[0], group=logins[0].value)
    if _members_days(reading):  # 'every member of X with the number of days each was active': the roster's
        return Frame("team", "members", window=_window(reading), subject=named[0], asked=("active_days",))
    if _has_other_content(reading, {"entity", "value", "flag", "attr"}):
        return None
    if reading.has("attr", ("seat_usage", "last_active")) or reading.has("shape", "when"):
        return _last_active_members(reading, named[0])
    asks_size = shape_of(reading, "") == "count" or reading.has("attr", ("team", "size"))
    plain = not reading.has("use") and not reading.kinds("flag") and not reading.has("neg")
    if plain and not asks_size and (reading.has("entity", "user") or shape_of(reading, "") == "list"):
        return Frame("team", "members", window=_window(reading), subject=named[0], notes=_now(reading))
    if asks_size and not reading.has("use") and not reading.kinds("flag"):
        return Frame("team", "count", window=_window(reading), subject=named[0], asked=("size",), notes=_now(reading))
    return None


def _asks_sizes(reading: Reading) -> bool:
    """'team sizes', 'current teams', 'the largest team', 'which team has the most members', 'how many members does
    each team have': the size of every team, from the roster."""
    members = any(t.kind == "entity" and t.value == "user" and t.text in W.MEMBER_WORDS
                  for t in reading.tokens)
    sized = {t.text for t in reading.kinds("top")} & {"largest", "biggest", "smallest"}
    # 'how many devs per team' is 'how many devs does each team have': 'per' before 'team' says each, no average
    toks = [t for t, nxt in zip(reading.tokens, reading.tokens[1:] + (None,))
            if not (t.kind == "avg" and t.text == "per" and nxt is not None and nxt.value == "team")]
    if any(t.kind not in ("entity", "attr", "top", "num", "shape", "now") for t in toks) or any(
            t.value not in ("team", "user") for t in reading.kinds("entity")) or any(
            t.value != ("team", "size") for t in reading.kinds("attr")):
        return False
    return reading.has("attr", ("team", "size")) or reading.has("now") or bool(sized) or \
        (members and (reading.has("top") or shape_of(reading, "") == "count"))


def _multi_team(reading: Reading) -> Frame | None:
    """'how many people are on more than one team', 'who is on several teams': people on N or more rosters."""
    nums = [t.value for t in reading.kinds("num")]
    cmps = [t.value for t in reading.kinds("cmp")] or [">="] * _on_teams(reading)
    if len(nums) != 1 or cmps not in ([">"], [">="]) or not reading.has("entity", "team") or reading.kinds("value"):
        return None
    toks = reading.tokens
    at = next(i for i, t in enumerate(toks) if t.kind == "num")
    if at + 1 >= len(toks) or (toks[at + 1].kind, toks[at + 1].value) != ("entity", "team"):
        return None  # 'which teams have more than 5 members': the number counts members, not anyone's teams
    if any(t.kind not in ("entity", "num", "cmp", "shape", "now") for t in reading.tokens) or len(reading.windows) > 1:
        return None
    if any(t.kind == "entity" and t.value not in ("team", "user") for t in reading.tokens):
        return None
    least = nums[0] + 1 if cmps == [">"] else nums[0]
    if least < 2 or not (reading.has("entity", "user") or shape_of(reading, "")):
        return None
    return Frame("team", "several", window=_window(reading), asked=(str(least),),
                 notes=_now(reading) + (shape_of(reading),))


def _on_teams(reading: Reading) -> bool:
    """'who is on 2 teams', 'people in three teams right now': a bare number of rosters, read as that many or more
    (someone on three teams is on two); 'on 1 team' is left alone."""
    toks = reading.tokens
    return any(t.kind == "num" and t.value >= 2 and (toks[i + 1].kind, toks[i + 1].text) == ("entity", "teams") and
               re.search(rf"\b(?:on|in|across) {re.escape(t.text)} teams\b", reading.text) is not None
               for i, t in enumerate(toks[:-1]))


def _members_days(reading: Reading) -> bool:
    """Each member of one team with their active days, and nothing else asked: every member, 0 days included."""
    kinds = {t.kind for t in reading.tokens}
    return reading.has("metric", "active_days") and reading.has("entity", "user") and len(reading.windows) <= 1 and \
        kinds <= {"shape", "every", "entity", "value", "metric", "inactive_too"} and len(reading.kinds("metric")) == 1 \
        and \
        all(t.value in ("user", "team") for t in reading.kinds("entity")) and len(reading.kinds("value")) == 1


def _last_active_members(reading: Reading, team: str) -> Frame | None:
    """'when was each member of team X last active': the roster with each member's latest day in the data."""
    extra = [t for t in reading.tokens if t.kind in ("flag", "neg", "metric") or
             (t.kind == "attr" and t.value != ("seat_usage", "last_active"))]
    if extra or not reading.has("attr", ("seat_usage", "last_active")) or len(reading.kinds("value")) != 1:
        return None
    return Frame("team", "members", window=_window(reading), subject=team, asked=("last_active",),
                 notes=_now(reading))


def _now(reading: Reading) -> tuple[str, ...]:
    """'current team sizes', 'who is on the team right now': the latest roster day ('right now' names no window)."""
    return ("now",) if reading.has("now") or re.search(NOW_WORDS, reading.text) else ()


# --- users under conditions -----------------------------------------------------------------------
USER_KINDS = frozenset({"flag", "entity", "value", "use", "neg", "set", "shape", "alltime", "doer", "metric"})


# the breakdowns a user's activity may be missing from ('without any IDE activity': no rows by IDE)
BREAKDOWNS = ("ide", "language", "model", "feature")


def _negated_breakdown(reading: Reading, i: int) -> bool:
    """'active without any IDE activity', 'no language data': a breakdown named right after a negation."""
    t = reading.tokens[i]
    return t.kind == "dim" and t.value in BREAKDOWNS and i > 0 and reading.tokens[i - 1].kind == "neg"


def _restated(reading: Reading) -> Reading:
    """The reading without dimension words that only restate a value's dimension ('people using claude models');
    'which claude models' lists the models, so a dimension right after a shape word stays."""
    valued = {t.value[0] for t in reading.kinds("value")}
    listed = {i + k for i, t in enumerate(reading.tokens) if t.kind == "shape" for k in (1, 2)}
    toks = tuple(t for i, t in enumerate(reading.tokens)
                 if not (t.kind == "dim" and t.value in valued and i not in listed)
                 and not (t.kind == "entity" and t.value == "team" and _beside_team(reading, i)
                          and not _grouped_by(reading, t.text))
                 and not _article_one(reading, i))  # 'the payments-api team': the team is named
    return Reading(toks, reading.windows, reading.notes, reading.text)


def _beside_team(reading: Reading, i: int) -> bool:
    """'the payments-api team', 'team payments-api': the team noun next to the team it names."""
    near = reading.tokens[max(i - 1, 0):i] + reading.tokens[i + 1:i + 2]
    return any(t.kind == "value" and t.value[0] == "team" for t in near)


def _article_one(reading: Reading, i: int) -> bool:
    """'never accepted one suggestion': a 'one' before a measure's noun is an article, not a number."""
    toks = reading.tokens
    return (toks[i].kind, toks[i].value) == ("num", 1) and i + 1 < len(toks) and toks[i + 1].kind == "metric" \
        and i > 0 and toks[i - 1].kind == "metric"


# 'how many ..., and who were they', '... and which ones', '... and who': the count, and the people counted
AND_WHO = re.compile(r"\band (?:who|which ones|which)(?: (?:were|are|was|is) (?:they|those|these|them|it))?\s*$")
# 'which members used agent mode, and how many of them were there': the people listed first, then their number
AND_HOW_MANY = re.compile(r"\band how many(?: of (?:them|those|these))?"
                          r"(?: (?:were|are|was|is) there| in total| (?:is|was) that)?\s*$")


def _listed_then_counted(reading: Reading) -> bool:
    """A list asked first ('which', 'who') and its number after it: the people, each row carrying how many."""
    shapes = [t.value for t in reading.kinds("shape")]
    return shapes[:1] == ["list"] and AND_HOW_MANY.search(reading.text) is not None


def users(reading: Reading) -> Frame | None:
    """Users (or members, or seat holders) who did or never did things, in one or two windows."""
    reading = _restated(reading)
    if _two_counts_asked(reading):
        return None  # two_counts' question, or no one's
    if reading.unknown or any(t.kind not in USER_KINDS and not _negated_breakdown(reading, i)
                              for i, t in enumerate(reading.tokens)):
        return None
    if any(t.kind == "entity" and t.value not in ("user",) for t in reading.tokens) and \
            not _users_without_seat(reading):
        return None
    # 'only X and never Y': the negation says what 'only' excludes; 'only completions' is the phrase reader's
    only = reading.has("set", "only") and reading.has("neg") and not _only_completions(reading)
    passive = _only_passive(reading)
    if any(t.kind == "set" and t.value not in ("but", "both", "also", "more than just", "other than", "or", "either")
           and not (t.value == "only" and (only or passive)) for t in reading.tokens):
        return None
    conds = _user_conditions(reading)
    if conds is None or not conds:
        return None
    if passive:  # 'only reviewed passively': the passive side, and never its active side
        conds = conds + [Condition("flag", model.ACTIVE_SIDE[passive], positive=False)]
    team = next((t.value[1] for t in reading.kinds("value") if t.value[0] == "team"), "")
    if not team and not any(c.positive for c in conds) and any(c.kind != "use" for c in conds):
        conds = [Condition("use", "any")] + [c for c in conds if c.kind != "use"]
    positives = [c for c in conds if c.positive]
    entity = "member" if team else "user"
    if not positives and not team:
        entity = "seat_holder"
        if any(c.kind != "use" for c in conds):
            return None
    # 'devs using xcode lately': people described by a verb, with no shape word, are listed
    listed = any(not c.positive for c in conds) or bool(W.EXISTENCE & set(reading.text.split())) \
        or (not reading.kinds("shape") and any(t.value not in ("active", "activity") for t in reading.kinds("use")))
    shape = shape_of(reading, "list" if listed else "count")
    if shape == "count" and (AND_WHO.search(reading.text) or _listed_then_counted(reading)):
        shape = "count_list"  # 'how many used chat, and who were they': the people, with how many there are
    if shape == "share" and team and len(conds) == 1 and conds[0].kind in ("use", "flag"):
        # 'what percent of the mobile-apps team was active (never used it)': its adoption rate (or the rest)
        never = reading.has("neg", "never") and not reading.windows
        return Frame("member", "adoption", tuple(conds), ALL_TIME if never or _alltime(reading) else _window(reading),
                     subject=team)
    if shape == "when" or (shape == "share" and len(positives) < 2):
        return None
    dims = {c.name for c in conds if c.kind == "value"}
    if len(dims) > 1 and not any(all(model.DIMENSIONS_BY_NAME[x].column_in(t) for x in dims)
                                 for t, _ in model.DIMENSIONS_BY_NAME[sorted(dims)[0]].holders):
        return None
    window = ALL_TIME if _alltime(reading) else _window(reading)
    if window is None and reading.has("neg", "never") and len(positives) <= 1 and \
            all(c.kind == "use" for c in positives):
        window = ALL_TIME  # 'members who never used copilot': never in the loaded data
    # 'what share of the active users in the mobile-apps team used chat': of its members who were active, not the roster
    notes = ("active_base",) if shape == "share" and team and _ACTIVE_BASE.search(reading.text) else ()
    return Frame(entity, shape, tuple(conds), window, subject=team, notes=notes)


def _only_passive(reading: Reading) -> str:
    """'only had their code reviewed passively': 'only' right before the passive side of a flag (and no negation,
    which would say itself what is left out) is that side without the active one; the passive flag's name, or ''."""
    toks = [t for t in reading.tokens if t.kind != "use"]
    for a, b in zip(toks, toks[1:]):
        if (a.kind, a.value) == ("set", "only") and b.kind == "flag" and b.value in model.ACTIVE_SIDE:
            return "" if reading.has("neg") or reading.has("flag", model.ACTIVE_SIDE[b.value]) else b.value
    return ""


_ACTIVE_BASE = re.compile(r"\b(?:share|percent|percentage|fraction|proportion|how much|how many) of (?:the |all |our )?"
                          r"active (?:users|members|people|devs|developers|engineers|folks|ones)\b")


def exclusive(reading: Reading) -> Frame | None:
    """'devs who only use completions', 'stick to just autocomplete, no chat or cli': every feature row is one
    feature; the other features named after a negation are what 'only' already leaves out."""
    toks = _only_before(reading.tokens)
    only = next((i for i, t in enumerate(toks) if (t.kind, t.value) == ("set", "only")), None)
    if only is None or reading.unknown or len([w for w in reading.windows if w.start or w.end]) > 1:
        return None
    after = [t for t in toks[only + 1:] if t.kind != "use"]
    if not after or after[0].kind != "flag" or not model.FLAGS_BY_NAME[after[0].value].feature_condition:
        return None
    flag = after[0].value
    rest = [t for t in after[1:] if (t.kind, t.value) != ("entity", "user")]  # 'only-completions users
    if rest and (rest[0].kind != "neg" or any(t.kind not in ("flag", "set", "entity") or t.value == flag or (
            t.kind == "set" and t.value != "or") or (t.kind == "entity" and t.value != "user") for t in rest[1:])):
        return None
    before = toks[:only]
    if any(t.kind not in ("shape", "entity", "use", "alltime") or (t.kind == "entity" and t.value != "user")
           for t in before):
        return None
    shape = shape_of(reading, "list")
    if shape not in ("list", "count"):
        return None
    window = ALL_TIME if _alltime(reading) else _window(reading)
    return Frame("user", shape, (Condition("only", flag),), window)


def _only_before(toks: tuple[Token, ...]) -> tuple[Token, ...]:
    """'completions and nothing else' as 'only completions': the 'only' put before the flag just named."""
    after = next((i for i, t in enumerate(toks) if (t.kind, t.value) == ("set", "only that")), None)
    if after is None:
        return toks
    flag = next((i for i in range(after - 1, -1, -1) if toks[i].kind == "flag"), None)
    if any(t.kind == "set" and t.value == "only" for t in toks):
        return toks[:after] + toks[after + 1:]  # 'only X, nothing else': said twice
    if flag is None:
        return toks
    return toks[:flag] + (Token("set", "only", "only"),) + toks[flag:after] + toks[after + 1:]


def _only_completions(reading: Reading) -> bool:
    after = [t for t in reading.tokens[[t.value for t in reading.tokens].index("only") + 1:] if t.kind != "use"]
    return bool(after) and after[0].kind == "flag" and after[0].value in model.FEATURE_FLAGS


def _measure_condition(t: Token, conds: list[Condition], positive: bool, reading: Reading) -> list[Condition] | None:
    """A seat held, or a measure done ('prompters', 'never accepted'), as a condition on the user; None to decline."""
    if t.kind == "entity":
        return conds + [Condition("holder", "seat", positive=positive)]
    if conds and conds[-1].kind == "measure" and t.kind == "metric":
        return conds  # 'never accepted a suggestion': the noun is the verb's object
    if (t.kind == "metric" and positive and not _head_count(reading)) or t.value not in model.SUM_COLUMN:
        return None  # a measure named without a negation: the measure rules' question
    return conds + [Condition("measure", t.value, positive=positive)]


def _either(last: Condition | None, cond: Condition) -> Condition | None:
    """'chat or agent': one condition met by either, when both are flags or values of the same polarity."""
    if last is None or last.kind not in ("flag", "value") or last.positive != cond.positive:
        return None
    return Condition("either", "", positive=cond.positive, either=(
        Condition(last.kind, last.name, last.value), Condition(cond.kind, cond.name, cond.value)))


def _measures_in_values(reading: Reading) -> Reading:
    """'accepted suggestions in python but never accepted any in java': a measure right before a breakdown value is
    the measure done there, when the value's table holds the measure and a negation sets the two apart ('zero ... in
    python' is SCOPED_NONE's)."""
    negs = {t.value for t in reading.kinds("neg")}
    if not negs or negs & {"zero", "no", "none"}:
        return reading
    toks: list[Token] = []
    for t in reading.tokens:
        last = toks[-1] if toks else None
        if t.kind == "value" and last is not None and last.kind == "metric" and last.value in model.SUM_COLUMN and \
                t.value[0] in _SCOPING and model.SUM_COLUMN[last.value] in _columns(_dim_table(t.value[0])):
            toks[-1] = Token("measure_in", (last.value, *t.value), f"{last.text} {t.text}")
            continue
        scoped = _elided_measure(toks, t)  # '... in python but not in java': the same measure, elided
        toks.append(Token("measure_in", (scoped, *t.value), t.text) if scoped else t)
    return replace(reading, tokens=tuple(toks))


def _elided_measure(toks: list[Token], t: Token) -> str | None:
    """The measure of the last 'measure in value' when only 'but'/'not' stand between it and another value of the
    same breakdown ('accepted in python but not in java'); None when anything else was said in between."""
    if t.kind != "value":
        return None
    for prev in reversed(toks):
        if prev.kind == "measure_in":
            return prev.value[0] if prev.value[1] == t.value[0] else None
        if prev.kind not in ("neg", "set"):
            return None
    return None


_SCOPING = ("language", "ide", "model", "feature")


def _dim_table(dim: str) -> str:
    return model.DIMENSIONS_BY_NAME[dim].table


def _columns(table: str) -> set[str]:
    from assistant.semantic import catalog
    return {c.name for c in catalog.BY_NAME[table].columns} if table in catalog.BY_NAME else set()


def _user_conditions(reading: Reading) -> list[Condition] | None:
    """Each flag, value or usage word with its polarity and window, in the order they were asked."""
    reading = _measures_in_values(reading)
    conds: list[Condition] = []
    positive = True
    pending = False
    just = False
    window_i = 0
    seen_content = False
    union = False
    for t in reading.tokens:
        if t.kind == "neg" and t.value in ("zero", "no", "none") and conds and conds[-1].kind == "measure" \
                and conds[-1].positive and positive:
            conds[-1] = Condition("measure", conds[-1].name, positive=False)  # 'accepted zero suggestions'
            continue
        if t.kind == "neg":
            positive = False
        elif t.kind == "set" and t.value == "or":
            union = True
            continue
        elif t.kind == "set" and t.value == "either":
            continue
        elif t.kind == "set" and t.value in ("more than just", "other than"):
            just = True
        elif t.kind == "set" and t.value == "but":
            positive = True
            if seen_content and window_i + 1 < len(reading.windows):
                window_i += 1
        elif (t.kind == "entity" and t.value == "seat") or t.kind in ("doer", "metric"):
            got = _measure_condition(t, conds, positive, reading)
            if got is None:
                return None
            conds[:] = got
            seen_content = True
            continue
        elif t.kind == "measure_in":  # (measure, dimension, value): some of the measure there
            conds.append(Condition("measure_in", t.value[0], f"{t.value[1]}={t.value[2]}", positive=positive))
            seen_content = True
            continue
        elif t.kind in ("flag", "value", "use", "dim"):
            cond = _condition(t, positive, just)
            if cond is None:
                return None
            if union and t.kind != "use":
                joined = _either(conds[-1] if conds else None, cond)
                if joined is None:
                    return None  # 'or' between things the reader cannot join: no guess
                conds[-1] = joined
                union = False
            elif t.kind != "use" or not any(c.kind == "flag" and c.window is None for c in conds[-1:]):
                conds.append(cond)
            seen_content = True
            just = False
            continue
        else:
            continue
        pending = not positive  # a negation nothing has followed yet
    if union:
        return None  # a trailing 'or': nothing to join it to
    if conds and not positive and pending and len(reading.windows) == 2:
        last = next((c for c in reversed(conds) if c.positive), None)  # 'this week but not last week'
        if last is None:
            return None  # 'hasn't used chat this month last month': two windows, no condition to repeat
        conds.append(Condition(last.kind, last.name, last.value, positive=False))
    return _with_windows(conds, reading)


def _head_count(reading: Reading) -> bool:
    """'how many devs prompted ...': a count of people, so a measure after it is what they did."""
    kinds = [(t.kind, t.value) for t in reading.tokens[:2]]
    return kinds == [("shape", "count"), ("entity", "user")]


def _condition(t: Token, positive: bool, just: bool) -> Condition | None:
    if t.kind == "use":
        return Condition("use", "any", positive=positive)
    if t.kind == "dim":  # placed only after a negation: no rows of that breakdown ('without any IDE activity')
        return None if positive else Condition("rows", t.value, positive=False)
    if t.kind == "flag":
        flag = model.FLAGS_BY_NAME[t.value]
        if just:
            return Condition("not_feature", flag.name) if flag.feature_condition else None
        return Condition("flag", flag.name, positive=positive)
    dim, value = t.value
    if dim in ("team",):
        return None if not positive else Condition("team", dim, value)
    if dim not in ("language", "model", "ide", "feature"):
        return None
    return Condition("value", dim, value, positive=positive)


def _with_windows(conds: list[Condition], reading: Reading) -> list[Condition] | None:
    """Give each condition its window: one window for all, or the first to the positive part and the second to
    the negated one ('active in september but not since oct 15')."""
    conds = [c for c in conds if c.kind != "team"]
    merged: list[Condition] = []
    for i, c in enumerate(conds):
        if c.kind == "use" and merged and merged[-1].positive == c.positive and merged[-1].kind != "use":
            continue  # "used agent mode": the verb belongs to the flag
        after = conds[i + 1] if i + 1 < len(conds) else None
        if c.kind == "use" and not c.positive and after and not after.positive and after.kind != "use":
            continue  # "never used agent mode": one negated condition, not two
        merged.append(c)
    if len(merged) > 1 and merged[0].kind == "use" and merged[0].positive and \
            any(c.kind != "use" for c in merged[1:]):
        merged = merged[1:]  # "active users who used neither chat nor agent": active is the population
        merged.insert(0, Condition("use", "any"))
    windows = reading.windows
    if len(windows) > 2 or (len(windows) == 2 and _overlap(*windows)):
        return None  # 'yesterday but not today' on one day: no honest reading
    if len(windows) == 2:
        pos = [c for c in merged if c.positive]
        neg = [c for c in merged if not c.positive]
        if pos and not neg and reading.has("set", "both"):  # 'active in both september and october'
            return [replace(c, positive=True, window=w) for c in pos for w in windows]
        if not pos or not neg:
            return None
        return [replace(c, window=windows[0]) for c in pos] + [replace(c, window=windows[1]) for c in neg]
    return merged


# --- one measure, per day or compared across two windows -----------------------------------------
def daily(reading: Reading) -> Frame | None:
    """'dau excluding weekends, past 2 wks': distinct users per day of the window."""
    if [t.value for t in reading.kinds("usercount")] != ["daily_active_users"] or "github" in reading.text.split():
        return None
    if len(reading.windows) != 1 or any(t.kind not in ("usercount", "weekdays", "shape") for t in reading.tokens):
        return None
    days = next((t.value for t in reading.kinds("weekdays")), "")
    return Frame("daily", "series", window=reading.windows[0], subject=days)


def change(reading: Reading) -> Frame | None:
    """'did active users drop from october to november': the measure in both windows and the change."""
    if not (reading.has("change") or reading.has("vs")) or len(reading.windows) != 2:
        return None
    metrics = [t.value for t in reading.kinds("metric")]
    metrics += [m for t in reading.kinds("flag") for m in (model.FLAGS_BY_NAME[t.value].metric,) if m]
    if not metrics and reading.has("use") and reading.has("entity", "user"):
        metrics = ["active_users"]
    spans = _span_figures(reading)
    if spans is None:
        return None
    metrics += spans
    allowed = {"metric", "change", "use", "entity", "shape", "set", "vs", "flag", "usercount"}
    if len(reading.kinds("flag")) > 1:
        return None
    if len(set(metrics)) != 1 or any(t.kind not in allowed for t in reading.tokens):
        return None
    if any(t.kind == "entity" and t.value != "user" for t in reading.tokens):
        return None
    windows = reading.windows
    if all(w.start is not None for w in windows) and not _compared(reading):  # 'last wk vs the wk before': as named
        windows = tuple(sorted(windows, key=lambda w: w.start))  # type: ignore[arg-type,return-value]
    return Frame("change", "compare", asked=(metrics[0],), notes=tuple(str(w) for w in windows),
                 conditions=tuple(Condition("window", str(i), window=w) for i, w in enumerate(windows)))


def spans_one(w: Window, span: str) -> bool:
    """Whether a window is exactly one period of a figure's span: a day, a 7-day week or a whole calendar month."""
    if w.start is None or w.end is None:
        return False
    if span == "day":
        return w.start == w.end
    if span == "week":
        return (w.end - w.start).days == 6
    return w.start.day == 1 and w.end.month == w.start.month and (w.end + timedelta(days=1)).day == 1


def _span_figures(reading: Reading) -> list[str] | None:
    """'dau fri 10/30 vs mon 11/2', 'mau in september vs october': a daily (weekly, monthly) active-user figure over
    windows that are each one day (week, calendar month) is the active users of each window; over any other window
    (or GitHub's own figure) it is not placed."""
    figures = reading.kinds("usercount")
    if not figures:
        return []
    spans = {_SPANS.get(t.value.split("_")[0], "") for t in figures}
    if "github" in reading.text.split() or len(spans) != 1 or \
            not all(spans_one(w, next(iter(spans))) for w in reading.windows):
        return None
    return ["active_users"]


_SPANS = model.USER_FIGURE_PERIOD
_VS_WORDS = frozenset(k for k, v in W.OPERATORS.items() if v == ("vs", "vs")) | {"compared", "comparison", "against"}


def _compared(reading: Reading) -> bool:
    """Two things set side by side with a comparing word ('X vs Y', 'X compared with Y') and no word of change: the
    question's own order is the answer's (a change, 'from A to B', runs in time)."""
    return not reading.has("change") and any(t.kind == "vs" and t.text in _VS_WORDS for t in reading.tokens)


def _overlap(a: Window, b: Window) -> bool:
    if None in (a.start, a.end, b.start, b.end):
        return True
    return not (a.end < b.start or b.end < a.start)  # type: ignore[operator]


# --- two counts in one question -------------------------------------------------------------------
_AND_HOW_MANY_MORE = re.compile(r"^(.*?\bhow many\b.*?)\s*\band (how many\b.*)$")
_OF_THEM = re.compile(r"^how many (?:of )?(?:them|those|these)\b")


def two_counts(reading: Reading) -> Frame | None:
    """'how many users used X, and how many (of them) Y': two counts of people, each with its own conditions, shown
    side by side (never the people who did both); 'of them' counts the second among the first. One window, said
    anywhere, is both counts' ('ever' after a negation is then within it)."""
    counts = [i for i, t in enumerate(reading.tokens) if (t.kind, t.value, t.text) == ("shape", "count", "how many")]
    split = _AND_HOW_MANY_MORE.match(reading.text)
    if len(counts) != 2 or counts[0] != 0 or split is None or len(reading.windows) > 1:
        return None
    head, tail = reading.tokens[:counts[1]], list(reading.tokens[counts[1]:])
    people = any(t.kind == "entity" and t.value in ("user", "member") for t in head)
    if people and _amount_asked(tail, split[2]):  # 'and how many cli sessions did they run': an amount, not people
        return _count_and_amount(Reading(head, reading.windows, reading.notes, split[1]), tail)
    nouns = [t for t in head if t.kind == "entity" and t.value == "user"]
    if not any(t.kind == "entity" for t in tail):
        tail[1:1] = nouns  # 'and how many were auto-reviewed': the same people
    dated = any(w.start or w.end for w in reading.windows)
    tail = [t for i, t in enumerate(tail) if not (dated and t.kind == "alltime" and i and tail[i - 1].kind == "neg")]
    first = users(Reading(head, reading.windows, reading.notes, split[1]))
    second = users(Reading(tuple(tail), reading.windows, reading.notes, split[2]))
    if first is None or second is None or {first.shape, second.shape} != {"count"} or \
            {first.entity, second.entity} - {"user", "member"}:
        return None
    if _OF_THEM.match(split[2]):  # among the first: its people (a team's members) and its conditions
        second = replace(second, conditions=first.conditions + second.conditions, entity=first.entity,
                         subject=first.subject)
    elif first.entity != second.entity:
        return None  # 'how many are on the team, and how many used chat': among them or everyone is not said
    return Frame("pair", "count", window=first.window, parts=(first, second))


def _amount_asked(tail: list[Token], text: str) -> bool:
    """The second 'how many' names an amount ('how many (chat) interactions'), not people ('how many had some')."""
    kinds = [t.kind for t in tail[1:3]]
    if any(t.kind == "entity" for t in tail) or not (kinds[:1] == ["metric"] or kinds == ["flag", "metric"]):
        return False
    return text.removeprefix("how many").split()[:1] == tail[1].text.split()[:1]  # right after 'how many'


AMOUNT_OF_THEM = ("I can't total that amount over only the people counted first, so I won't answer it over "
                  "everyone.")


def _count_and_amount(head: Reading, tail: list[Token]) -> Frame:
    """'how many users used the cli, and how many cli sessions did they run': the people, then the measure's total
    over the same window. Their total is everyone's only when the first count leaves out no one who has any of it:
    everyone active, or the users of the one surface the measure belongs to; otherwise it is refused."""
    first, metric = users(head), tail[1].value
    hint = "Ask for the two figures one at a time."
    if first is None or first.shape != "count" or first.entity != "user" or metric not in model.SUM_COLUMN or \
            [t.kind for t in tail[1:]] != ["metric"]:
        raise CannotAnswer(AMOUNT_OF_THEM, hint=hint)
    surface = model.SURFACE_MEASURES.get(metric)
    for c in first.conditions:
        if c.window is not None or not c.positive or not (c.kind == "use" or (c.kind, c.name) == ("flag", surface)):
            raise CannotAnswer(AMOUNT_OF_THEM, hint=hint)
    amount = Frame("measure", "total", window=first.window, asked=(metric,))
    return Frame("pair", "count", window=first.window, parts=(first, amount))


def _two_counts_asked(reading: Reading) -> bool:
    """'how many ..., and how many ...': two counts, which one count of the people doing both would not answer."""
    counts = [t for t in reading.tokens if (t.kind, t.value, t.text) == ("shape", "count", "how many")]
    return len(counts) > 1 and bool(_AND_HOW_MANY_MORE.match(reading.text))


RULES: tuple[Rule, ...] = (coverage, figures, person, seats, teams, daily, change, exclusive, two_counts, users)


def compose(reading: Reading) -> Frame | None:
    """The frame of the first rule that claims the reading, or None when no rule places every content word."""
    for rule in RULES:
        frame = rule(reading)
        if frame is not None:
            return frame
    return None


__all__ = ["Condition", "Frame", "compose", "refusal", "UNANSWERABLE"]
