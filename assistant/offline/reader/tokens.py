"""Typed tokens: a question cut into metric, flag, entity, attribute, value, time and operator words.

The vocabulary comes from the semantic model and from the values in the data; a word near a vocabulary
word (edit distance) is read as that word, a word of no content is filler, anything else is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Sequence

from assistant.contracts import PROVISIONAL_DAYS
from assistant.offline.lexicon import VALUE_ALIASES
from assistant.offline.reader import words as W
from assistant.offline.windows import _DATE, MONTHS, Window, _month, _parse_date, dozens, find_windows
from assistant.semantic import model
from assistant.semantic.conventions import EXTRA_METRIC_PHRASES

MAX_PHRASE = 4


@dataclass(frozen=True)
class Token:
    kind: str  # flag, entity, attr, dim, value, login, use, neg, set, shape, rank, cmp, num, unit, cov,
    #            alltime, write, repo, figure, metric, unknown
    value: Any
    text: str


@dataclass(frozen=True)
class Reading:
    tokens: tuple[Token, ...]
    windows: tuple[Window, ...]
    notes: tuple[str, ...]  # what the reader corrected or assumed, for the interpretation line
    text: str  # the normalised question

    def kinds(self, kind: str) -> list[Token]:
        return [t for t in self.tokens if t.kind == kind]

    def has(self, kind: str, value: Any = None) -> bool:
        return any(t.kind == kind and (value is None or t.value == value) for t in self.tokens)

    @property
    def unknown(self) -> list[str]:
        return [t.text for t in self.tokens if t.kind == "unknown"]


# 'each of them', 'every one of those developers': the people named before, one row each (see _referents)
EACH_OF_THEM = "eachofthem"


def _static_phrases() -> dict[str, tuple[str, Any]]:
    table: dict[str, tuple[str, Any]] = {}
    flag_of = {f.metric: f.name for f in model.FLAGS if f.metric}
    for m in model.METRICS:
        if model.GROUPING_OF[m.name] == "seat" and m.name != "seat_utilisation":
            continue  # 'never used', 'unused seats': the reader composes these from their words
        for s in m.synonyms:
            table[s] = ("flag", flag_of[m.name]) if m.name in flag_of else ("metric", m.name)
    for d in model.DIMENSIONS:
        for s in d.phrases:
            table[s] = ("dim", d.name)
    for e in model.ENTITIES:
        for s in e.phrases:
            table[s] = ("entity", e.name)
        for a in e.attributes:
            for s in a.phrases:
                table.setdefault(s, ("attr", (e.name, a.name)))
    for f in model.FLAGS:
        for s in f.phrases:
            table[s] = ("flag", f.name)
    table.update({w: ("pr", w) for w in model.PR_WORDS})
    table.update({w: ("prverb", v) for w, v in model.PR_VERBS.items()})
    table.update({w: ("prtime", w) for w in model.PR_TIME_WORDS})
    table.update({w: ("prsugg", w) for w in model.PR_SUGGESTION_WORDS})
    table.update({w: ("usercount", c) for w, c in model.ENTITY_USER_FIGURES.items()})
    table.update({w: ("use", w) for w in W.USE_WORDS})
    table[EACH_OF_THEM] = ("referent", "each")
    table.update({w: ("neg", w) for w in W.NEGATIONS})
    table.update({w: ("set", w) for w in W.SET_WORDS})
    table.update({w: ("cov", w) for w in W.COVERAGE_WORDS})
    table.update({w: ("shape", s) for w, s in W.SHAPES.items()})
    table.update({w: ("rank", s) for w, s in W.RANKS.items()})
    table.update({w: ("cmp", s) for w, s in W.COMPARISONS.items()})
    table.update({w: ("unit", n) for w, n in W.UNITS.items()})
    table.update({w: ("num", n) for w, n in W.NUMBERS.items()})
    table.update({w: ("alltime", w) for w in W.ALL_TIME})
    table.update({w: ("change", w) for w in W.CHANGE_WORDS})
    table.update({w: ("repo", w) for w in W.REPOSITORY_WORDS})
    table.update({w: ("top", d) for w, d in W.TOPS.items()})
    table.update({w: ("ordinal", n) for w, n in W.ORDINALS.items()})
    table.update({w: ("diff", v) for w, v in W.DIFFERENCES.items()})
    table.update({w: ("avg", w) for w in W.AVERAGES})
    for m in model.READER_MEASURES:
        table.update({s: ("metric", m.name) for s in m.synonyms})
    for name, phrases in EXTRA_METRIC_PHRASES.items():  # 'suggestions shown', 'lines of code added'
        if model.GROUPING_OF.get(name) == "sum":
            table.update({s: ("metric", name) for s in phrases if " " in s and s not in table})
    for word, names in model.METRIC_QUALIFIERS.items():  # 'code suggestions' for 'suggestions'
        for m in model.METRICS:
            table.update({f"{word} {s}": ("metric", m.name) for s in m.synonyms if m.name in names})
    for m in model.METRICS:  # 'added lines' for 'lines added'
        for s in m.synonyms:
            words = s.split()
            if len(words) == 2 and words[0] == "lines":
                table.setdefault(f"{words[1]} {words[0]}", table[s])
        if m.unit == "count" and " " in m.label and m.label.split()[-1] in m.synonyms:
            table.setdefault(m.label.lower(), table[m.label.split()[-1]])  # a count's own name: 'code generations'
    table.update(W.OPERATORS)
    for dim, values in model.ENUM_VALUES.items():  # 'the business plan'; 'enterprise' stays the enterprise entity
        for v in values:
            table.setdefault(v, ("value", (dim, v)))
    return table


STATIC = _static_phrases()
# long filler words, so a typo of one ('copilt', 'numbr') is filler too; a five-letter one only with two letters
# swapped ('thier'), since one letter changed may make a content word ('hours' is no 'yours')
FILLER_INDEX: dict[tuple[str, int], list[str]] = {}
for _w in W.FILLER:
    if len(_w) >= 5:
        FILLER_INDEX.setdefault((_w[0], len(_w)), []).append(_w)


def filler_typo(w: str) -> str | None:
    """The filler word `w` is a typo of, if any (see FILLER_INDEX)."""
    f = _near(w, FILLER_INDEX)
    return f if f is not None and (len(f) >= 6 or sorted(f) == sorted(w)) else None


@lru_cache(maxsize=8)
def _vocabulary(values: tuple[tuple[str, tuple[str, ...]], ...], logins: frozenset[str]) -> tuple[dict, dict]:
    """The phrase table (model words and data values) and its single words for edit-distance matching."""
    table = {**_data_phrases(values, logins), **STATIC}  # the model's words win over a value spelled the same
    return table, _vocabulary_words(table)


def _data_phrases(values: tuple[tuple[str, tuple[str, ...]], ...], logins: frozenset[str]) -> dict[str, tuple]:
    table: dict[str, tuple[str, Any]] = {}
    dims = {"ai_adoption_phase": "phase"}
    for name, vals in values:
        for v in vals:
            table.setdefault(v.lower(), ("value", (dims.get(name, name), v)))
            spaced = v.lower().replace("-", " ").replace("_", " ")
            table.setdefault(spaced, ("value", (dims.get(name, name), v)))
    for name, vals in values:  # 'agent edits' for agent_edit, after every value spelled as it is
        for v in vals:
            spaced = v.lower().replace("-", " ").replace("_", " ")
            if " " in spaced and not spaced.endswith("s"):
                table.setdefault(spaced + "s", ("value", (dims.get(name, name), v)))
    for name, vals in values:
        table.update(_value_suffixes(dims.get(name, name), vals, table))
        table.update(_value_prefixes(dims.get(name, name), vals, table))
    for name, vals in values:  # 'vs code', 'intellij', 'pycharm': the names people use for a value in the data
        present = {v.lower(): v for v in vals}
        for canonical, aliases in VALUE_ALIASES.get(name, {}).items():
            for a in aliases if canonical in present else ():
                table.setdefault(a, ("value", (dims.get(name, name), present[canonical])))
    for v in dict(values).get("model", ()):
        family = re.match(r"[a-z]+", v.lower())
        if family and family[0] not in table and len(family[0]) > 2:
            table[family[0]] = ("value", ("model", family[0] + "%"))
    for login in logins:
        table.setdefault(login, ("login", login))
    return table


# the words after which a value spelled like a filler word is the value: a preposition ('who on data used chat',
# 'prompts from data'), a conjunction ('payments and data'), or the start; after anything else ('the data', 'user
# data', 'days of data') it is the filler word. Before 'of', a word for people keeps it a value ('members of data')
_VALUE_AFTER = frozenset("on in for from at to with within across among and or vs versus than between".split()) | {""}
_PEOPLE = frozenset("members member people users devs developers engineers folks everyone anyone".split())


@lru_cache(maxsize=8)
def _shadowed(values: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, Any]]:
    """Values spelled like a word the reader already knows (a team called 'data', 'chat' or 'review'), each with
    the phrases of its dimension: beside one of them ('the data team', 'team chat') the word is the value."""
    dims = {"ai_adoption_phase": "phase"}
    phrases = {d.name: frozenset(d.phrases) | {p + "'s" for p in d.phrases} for d in model.DIMENSIONS}
    out: dict[str, tuple[str, Any]] = {}
    for name, vals in values:
        dim = dims.get(name, name)
        for v in vals:
            word = v.lower().replace("-", " ").replace("_", " ")
            if (word in STATIC and STATIC[word] != ("value", (dim, v))) or word in W.FILLER:
                out[word] = (dim, v, phrases.get(dim, frozenset()))
    return out


def _shadow_reading(ws: list[str], i: int, n: int, shadowed: dict[str, tuple]) -> Token | None:
    """The value a shadowed word names here, or None when it keeps its ordinary reading (see `_shadowed`)."""
    dim, v, nouns = shadowed[" ".join(ws[i : i + n])]
    before = ws[i - 1] if i else ""
    after = ws[i + n] if i + n < len(ws) else ""
    phrase = " ".join(ws[i : i + n])
    if after in nouns or before in nouns:
        return Token("value", (dim, v), phrase)
    if phrase in STATIC:
        return None  # the model's own word, unless its dimension is named beside it
    if before in _VALUE_AFTER or (before == "of" and (ws[i - 2] if i > 1 else "") in _PEOPLE):
        return Token("value", (dim, v), phrase)  # 'who on data used agent mode', 'members of data'
    return Token("filler", phrase, phrase)


def _value_suffixes(dim: str, vals: tuple[str, ...], table: dict[str, tuple]) -> dict[str, tuple]:
    """The last two words of a long value ('ask mode' for chat_panel_ask_mode) when no other value ends so."""
    ends: dict[str, list[str]] = {}
    for v in vals:
        parts = re.split(r"[_\- ]", v.lower())
        if len(parts) >= 3:
            ends.setdefault(" ".join(parts[-2:]), []).append(v)
    return {e: ("value", (dim, vs[0])) for e, vs in ends.items() if len(vs) == 1 and e not in table}


def _value_prefixes(dim: str, vals: tuple[str, ...], table: dict[str, tuple]) -> dict[str, tuple]:
    """The first two words that several long values share ('chat panel' for chat_panel_*), as all of them."""
    heads: dict[tuple[str, str], list[str]] = {}
    for v in vals:
        parts = re.split(r"([_\- ])", v.lower())  # the words and the separators between them
        if len(parts) >= 5:
            heads.setdefault((f"{parts[0]} {parts[2]}", "".join(parts[:4])), []).append(v)
    return {h: ("value", (dim, raw + "%")) for (h, raw), vs in heads.items() if len(vs) > 1 and h not in table}


@lru_cache(maxsize=8)
def _part_of_whole(values: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """'agent mode in the chat panel' for chat_panel_agent_mode: a long value's last words named in its first two."""
    out = []
    for _, vals in values:
        for v in vals:
            parts = re.split(r"[_\- ]", v.lower())
            if len(parts) >= 3 and all(p.isalnum() for p in parts):
                head, tail = " ".join(parts[:2]), " ".join(parts[2:])
                out.append((re.compile(rf"\b{tail} (?:in|of|from|within|inside|on) (?:the )?{head}\b"),
                            f"{head} {tail}"))
    return tuple(out)


def _value_order(text: str, values: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """A value named as a part of its group ('agent mode in the chat panel') rewritten as the value's own words."""
    for pattern, words in _part_of_whole(values):
        if pattern.search(text):
            text = pattern.sub(words, text)
    return text


_EDGE_OF = re.compile(r"\b(since|from|after|until|till|to|and|before|through|by|at|between) "
                      r"(start|beginning|end|middle) of\b")
# a quantifier over the data is all of it ('data-science' is a team, never the data)
_ALL_OF_THE_DATA = re.compile(r"\b(?:all of|the whole of|the entirety of|the entire|the whole|the full|the complete) "
                              r"(?:the |our )?(?:usage |loaded |available )?data(?:set| set)?"
                              r"(?=\s*(?:$|[?.!,;:)]|(?:we|you|i|for|by|in|on|from|to|and|or|with|so|please|that|"
                              r"which|since|per|is|was|has|have)\b))")


# a comparison written as a sign before a number: '>50', '>= 10', '<5'
_CMP_SIGN = re.compile(r"(?:(?<=\s)|^)(>=|=>|<=|=<|>|<)\s*(?=\d)")
_CMP_SIGN_WORDS = {">=": "at least", "=>": "at least", "<=": "at most", "=<": "at most", ">": "more than",
                   "<": "fewer than"}


_ACROSS_ALL = re.compile(r"\b(?:across|over|for|in) all (?:of )?(?:the |our )?(?:languages|teams|ides|editors|models|"
                         r"features|organizations|organisations|orgs)(?: combined| together)?\b|\b(?<=all )(?:languages|"
                         r"teams|ides|editors|models|features) (?:combined|together)\b")
# words that ask for a value each, beside which 'across all teams' is the breakdown's span ('compare ... across all')
_EACH_ASKED = re.compile(r"\b(?:by|per|each|every|compare|compared|comparison|rank|ranked|ranking|split|breakdown|"
                         r"broken|which|vs|versus|between|among|list|show|top|bottom|highest|lowest|most|least)\b")


def _across_all(q: str) -> str:
    """'acceptance rate across all languages', 'prompts for all teams combined': the total over every value (the
    measure counts them all already); beside a word asking for a value each it is left to say the breakdown."""
    m = _ACROSS_ALL.search(q)
    if m is None or _EACH_ASKED.search(q[: m.start()] + " " + q[m.end():]):
        return q
    return q[: m.start()] + " " + q[m.end():]


# 'including members who were not active at all', 'even the ones who weren't active': the people with nothing, asked
# to be listed too; only a rule that lists a whole roster places it (words.py 'including inactive')
_INACTIVE_TOO = re.compile(r",?\s*\b(?:including|include|and also|even|also)(?: the| all)? (?:(?:members|people|users|devs|"
                           r"developers|engineers|folks|those|ones|anyone|everyone|any)(?: of them)? )?(?:who|that) "
                           r"(?:were|was|are|is|have|has|had)(?: not|n't| never)(?: been)? (?:active|used copilot)"
                           r"(?: at all)?\b"
                           r"|,?\s*\b(?:including|even) (?:the )?(?:inactive|idle) (?:ones|members|people|users)\b")


def normalise(question: str) -> str:
    """Lower case, plain quotes, abbreviations spelled out, punctuation that carries nothing dropped."""
    q = dozens(question.lower().replace("\u2019", "'").replace("\u2018", "'"))
    q = _unframed(q)
    q = _EDGE_OF.sub(r"\1 the \2 of", q)  # 'since start of oct' is 'since the start of october'
    q = _ALL_OF_THE_DATA.sub("all the data", q)  # 'across all of the data', 'the whole of our data'
    q = re.sub(r"(^|\s)%(?=\s|$)|(?<=\d)%", " percent ", q)
    q = _ORDINAL_RANK.sub(lambda m: _ORDINAL_WORD[m[1]] + " ", q)
    # 'november sixth', 'the fifth of november': a day of the month, never a place in a ranking
    q = _MONTH_ORDINAL.sub(lambda m: f"{m[1]} {_DAY_OF_ORDINAL[m[2]]}", q)
    q = _ORDINAL_OF_MONTH.sub(lambda m: f"{m[2]} {_DAY_OF_ORDINAL[m[1]]}", q)
    # a ranking's size in words: 'which five users', 'the three least active'
    q = _RANK_SIZE.sub(lambda m: f"{m[1] or m[3]} {W.NUMBERS[m[2] or m[4]]} ", q)
    q = re.sub(r"\binto\b", "in", q)  # 'prompts typed into the cli': in it
    # 'for the 1st time', 'the 2nd half of oct', 'the 3rd week': ordinals of a period; 'oct 1st' is a date
    q = _PAIRED_ORDINAL.sub(lambda m: _ORDINAL_WORD[m[1]], q)  # 'the 1st and 2nd half'
    q = _PART_ORDINAL.sub(lambda m: _ORDINAL_WORD[m[1]] + " " + m[2], q)
    q = _PAIRED_PARTS.sub(lambda m: f"{m[1]} {_PART_NOUN[m[4]]} {m[2]} the {m[3]} {_PART_NOUN[m[4]]}", q)
    q = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", q)
    q = re.sub(r"\bcopilot-(?=[a-z])", "copilot ", q)
    q = _EXCLUDING.sub("excluding", q)  # 'leaving out', 'not counting', 'ignoring': one word for the reader
    q = _DIFFER_FROM.sub(r"how many more \1 than ", q)  # 'by how many did X differ from Y': X less Y, signed
    q = _measure_parts(q)
    q = _WHOLE_SCOPE.sub(" ", q)  # 'across the whole company': everyone, which every measure counts already
    q = _across_all(q)  # 'the acceptance rate across all languages': one figure over all of them, not one each
    q = _INACTIVE_TOO.sub(" including inactive ", q)  # 'including members who were not active at all': one word class
    q = _LINES_FROM.sub("lines added by ", q)  # 'lines that came from agent edits': the lines it wrote
    q = _LIST_EVERY.sub(r"\1 ", q)  # 'list every seat that ...': every one listed is the list
    q = _IN_THE_IDE.sub(" ", q)  # 'used chat in the ide': where all the exports' use happens, no IDE in particular
    q = _LINES_WRITTEN.sub(r"lines added by \1", q)  # 'how many lines did agents write': the lines they added
    # 'lines added since 10/1, and how much of that from agents': the share, with its part and its whole
    q = _HOW_MUCH_OF_THAT.sub(lambda m: f"{m[1] or ''}what share of {m[2]} came from {m[3]}", q)
    q = _LINES_PASSIVE.sub(r"lines \1", q)  # 'lines of code were suggested' is 'lines suggested'
    q = _PLAIN.sub(lambda m: _PLAIN_WORDS[m[0]], q)
    q = _MODAL_MAY.sub("might", q)  # 'may be revised': the verb, never the month
    q = _PROVISIONAL_PASSIVE.sub(" ", _PROVISIONAL_MEANING.sub(" ", q)) if "provisional" in q else q
    q = _DUE_TO_END.sub("pending cancellation", q)  # 'seats due to expire', 'scheduled to be cancelled'
    q = _SESSION_VERB.sub("had", q)  # 'opened 15 cli sessions': sessions are had, whatever the verb
    q = _PASSIVE.sub(r"\1 \2", q)  # 'suggestions were shown' is 'suggestions shown'
    q = _THAN_PARTICIPLE.sub(r"\1 \2 than \1 \3", q)  # 'suggestions shown than accepted': the noun twice
    q = re.sub(r"(?<=\d),(?=\d{3}\b)", "", q)  # '1,000' is one number
    q = _CMP_SIGN.sub(lambda m: f" {_CMP_SIGN_WORDS[m[1]]} ", q)  # '>50 suggestions' is 'more than 50 suggestions'
    q = _MONTH_OF.sub(r"\1", q)  # 'for the month of september' is september
    q = _SPAN_WINDOW.sub(r"the last \1 days", _WINDOW_ASIDE.sub(" ", q))  # 'the usual 28-day reporting window'
    q = _NEVER_ON_ANY.sub(r"\1\2", q)
    q = _HOW_CHANGED.sub(" ", q)  # 'how did X compare with ...': the change asked for, not a manner
    q = _LATEST_ASIDE.sub(" on the latest day ", q)  # 'team sizes rn (latest day)': the aside names the day
    q = re.sub(r"[?!,;:()\"]", " ", q)
    q = re.sub(rf"(?<=\d) [-\u2013\u2014]+ (?=\d|(?:{_MONTHS_RE})\b)", " to ", q)  # '10/5 - 10/9', 'oct 5 - oct 9'
    q = re.sub(r"\s[-\u2013\u2014]+\s", " ", q)
    out = []
    for w in q.split():
        w = w.rstrip(".")
        if w in W.ABBREVIATIONS:
            out.append(W.ABBREVIATIONS[w])
            continue
        if "'" in w:
            w = re.sub(r"n't$", " not", w)
            w = re.sub(r"'(s|re|ve|ll|d|m)$", "", w)
        out.append(W.ABBREVIATIONS.get(w, w))
    return re.sub(r"\s+", " ", " ".join(out)).strip()


_OPENING = r"(^|[.?!;:,]\s*|\b(?:hi|hello|hey|ok|okay|so)\s)\s*"
_SHAPE_FRAMES = re.compile(_OPENING + "(?:" + "|".join(W.SHAPE_OPENINGS) + r")(?=[\s,.]|$)")
_FRAMES = re.compile(_OPENING + "(?:" + "|".join(W.FRAME_OPENINGS) + ")" + W.FRAME_LINKS + r"(?=[\s,.]|$)")


def _unframed(q: str) -> str:
    """The question without how the request is framed ('i would like to know', 'could you list'): see words.py."""
    q = _SHAPE_FRAMES.sub(lambda m: f"{m[1]}{next(g for g in m.groups()[1:] if g)} ", q)
    return _FRAMES.sub(lambda m: f"{m[1]} ", q)


# what provisional means, restated after it: 'provisional, meaning github may yet revise them'
_PROVISIONAL_MEANING = re.compile(r"[,;]?\s*\b(?:meaning|which means|that is|i\.e\.|so|because|as|since),? (?:that )?"
                                  r"(?:github|they|it) (?:may|might|could|can|will|is able to) (?:still |yet |later |"
                                  r"still be )?(?:revise|revised|change|changed|update|updated|correct|corrected|"
                                  r"restate|adjust)(?: (?:them|it|those|these|the figures|the numbers))?"
                                  r"(?: later| again| still| yet)?\b")
# 'provisional and may be revised by github': what provisional means, said again in the passive
_PROVISIONAL_PASSIVE = re.compile(r"\b(?:and|that|which|so|as they|as it) (?:may|might|could|can|will) "
                                  r"(?:still |yet |later )?be (?:revised|changed|updated|corrected|restated|adjusted)"
                                  r"(?: by github)?"
                                  r"(?: later| again| still| yet)?\b")
# 'may' before a verb is the modal ('days that may be revised', 'users who may not have'), not the month
_MODAL_MAY = re.compile(r"\bmay(?= (?:be|have|not|still|yet|later|also|well|need|get|change|differ|vary|include|"
                        r"contain|revise|show|appear|only|never|already)\b)")
# a day named in an aside, without its article: '(latest day)', '(as of the most recent day)'
_LATEST_ASIDE = re.compile(r"\((?:on |as of |for )?(?:the )?(?:latest|most recent) (?:day|date)(?: in the data)?\)")
_DUE_TO_END = re.compile(r"\b(?:due|set|scheduled|going|about) to (?:be )?(?:end|expire|lapse|cancel|cancelled|"
                         r"canceled|terminated|removed|revoked)\b"
                         # 'scheduled to lose their seat', 'will lose access': the seat's pending cancellation
                         r"|\b(?:(?:due|set|scheduled|going|about) to|will) lose (?:their |his |her |the |a |its )?"
                         r"(?:seats?|licen[cs]es?|copilot access|access|copilot)\b"
                         r"|\b(?:scheduled|due|set|slated|marked|flagged|up) for (?:cancell?ation|removal|revocation)\b")
_SESSION_VERB = re.compile(r"\b(?:opened|started|ran|launched|began|initiated|kicked off)\b"
                           r"(?=(?: \S+){0,4} sessions?\b)")
# ... and 'lines (of code) that copilot added': a relative clause whose subject is Copilot itself
_EXCLUDING = re.compile(r"\b(?:" + "|".join(W.EXCLUDING) + r")\b")
_DIFFER_FROM = re.compile(r"\bby how (?:many|much) (?:did|does|do|has|have|had) "
                          r"(?:the (?:number|count|total) of )?(.+?)"
                          r"\s+(?:differ|differed|differs|vary|varied) from (?:(?:the (?:number|count|total|figure|"
                          r"amount)|that|those|the one|the ones)\b)?")
_PARTS = re.compile(r",?\s*\b(?:both |the |all )?(?:" + "|".join(re.escape(p) for p in W.MEASURE_PARTS) + r")\b"
                    r"(?:\s+(?:" + "|".join(W.TOGETHER) + r")\b)?")


def _measure_parts(q: str) -> str:
    """'how many tokens did the cli use, prompt and output tokens together': the parts of the token count restate
    it beside 'tokens' (dropped) and name it alone ('how many prompt and output tokens combined')."""
    m = _PARTS.search(q)
    if m is None:
        return q
    rest = q[:m.start()] + " " + q[m.end():]
    return rest if re.search(r"\btokens?\b", rest) else q[:m.start()] + " tokens " + q[m.end():]


_WHOLE_SCOPE = re.compile(
    r"\b(?:across|in|for|throughout|over|at) (?:the |our |my )?(?:(?:whole|entire) )?(?:" + "|".join(W.COMPANY_NOUNS) +
    r")\b|\b(?:across|in|for|throughout|over|at) (?:the |our |my )?(?:whole|entire) (?:" + "|".join(W.WHOLE_ORG_NOUNS) +
    r")\b|\b(?:across|throughout) (?:the|our|my) (?:" + "|".join(W.ACROSS_ORG_NOUNS) + r")\b(?![-'])|"
    r"\b(?:" + "|".join(W.COMPANY_NOUNS) + r")-?wide\b")
# 'rank the teams by active users, highest first' as a request opening: an ordering ('what rank is X' is not this)
_RANK_OPENING = re.compile(r"(^|[.?!]\s*)\s*(?:(?:could|can|would|will) you (?:please )?|please |pls )?rank\b(?! of\b)")
_ALL_N = re.compile(r"\ball (?:the |of the |our )?(\d+|" + "|".join(W.NUMBERS) + r") (" + "|".join(W.VALUE_PLURALS) +
                    r")\b")


def _rank_opening(rest: str, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """'rank the teams by prompts': an ordering; 'rank mobile-apps by prompts', one value or person right after it,
    asks for that one's rank (kept as the word 'rank', read by standing.py)."""
    def opening(m: re.Match[str]) -> str:
        after = rest[m.end():].split()
        named = bool(after) and (after[0] in logins or any(after[0] in vs for vs in values.values())) and \
            (len(after) < 2 or after[1] not in ("and", "or", "vs", "versus", "&"))  # 'rank python and go by ...'

        return m[0] if named else f"{m[1]}sorted "
    return _RANK_OPENING.sub(opening, rest)


def _all_of_them(rest: str, values: dict[str, list[str]]) -> str:
    """'rank all five teams by ...': the number only counts the whole group when the data has that many of them."""
    def whole(m: re.Match[str]) -> str:
        n = int(m[1]) if m[1].isdigit() else W.NUMBERS[m[1]]
        return f"all {m[2]}" if len(values.get(W.VALUE_PLURALS[m[2]], ())) == n else m[0]
    return _ALL_N.sub(whole, rest)


# lines said to come from a source ('how many lines came from agent edits'): the lines it added (deleted lines come
# from nowhere)
_LINES_FROM = re.compile(r"(?<!added )(?<!deleted )(?<!removed )(?<!suggested )(?<!accepted )"
                         r"\blines (?:of code )?(?:(?:that|which) )?(?:came|come|comes|coming) from\b")
_HOW_MUCH_OF_THAT = re.compile(r"^((?:for|among|in) [^,]{2,60}, )?(?:(?:what|how many|how much) (?:were |was )?(?:the )?)?"
                               r"(?!.*\b(?:what share|what percent))"
                               r"(.+?),? and how (?:much of (?:that|it|this)(?: total)? (?:came |comes |was |is )?"
                               r"(?:from|by|through|via|in|with)|many of (?:those|them|these) (?:came|come) from) "
                               r"(.+?)\s*\??\s*$")
_IN_THE_IDE = re.compile(r"\b(?:in|inside|within) (?:the|their|an|your|his|her) (?:ide|editor)s?\b(?! (?:breakdown|"
                         r"table|report|data|totals|split|level|dimension|versions?|rows?|figures?)\b)")
_LIST_EVERY = re.compile(r"\b(list|show|name|give)(?:\s+me)?\s+(?:every|all(?: of)?(?: the| our)?)\s+(?=\w)")
_LINES_WRITTEN = re.compile(r"\blines (?:of code )?(?:did|have|has|had) (?!(?:we|you|they|i|our|people|users|devs|"
                            r"developers)\b)((?:the |our )?[\w.-]+(?: [\w.-]+)?) (?:write|add|produce|generate)\b")
_LINES_PASSIVE = re.compile(r"\blines (?:of code )?"
                            r"(?:(?:that|which) (?:github copilot|copilot|it) (?:has |have |had )?)?"
                            r"(?:were |was |got |get |gets |are |is |have been |had been )?"
                            r"(suggested|added|deleted|removed|accepted)\b")
_PASSIVE = re.compile(r"\b(\w+) (?:were|was|got|have been|had been|being) (shown|offered|generated|suggested|"
                      r"accepted|sent)\b")
_PLAIN_WORDS = {**W.PLAIN_PHRASES, **W.RELATION_PHRASES}
_PLAIN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _PLAIN_WORDS), key=len, reverse=True)) + r")\b")
_PARTICIPLES = "shown|offered|generated|suggested|accepted|added|deleted|removed|sent|written"
_THAN_PARTICIPLE = re.compile(rf"\b([a-z]+) ({_PARTICIPLES}) than ({_PARTICIPLES})\b")
_ORDINAL_WORD = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "6": "sixth", "7": "seventh",
                 "8": "eighth", "9": "ninth", "10": "tenth"}
_PAIRED_ORDINAL = re.compile(r"\b([1-5])(?:st|nd|rd|th)(?= (?:and|or|to|vs) (?:the )?[1-5](?:st|nd|rd|th) "
                             r"(?:half|halves|week|weeks)\b)")
_PAIRED_PARTS = re.compile(r"\b(first|second|third|fourth|last) (and|or|to|vs) (?:the )?(first|second|third|fourth|"
                           r"last) (half|halves|week|weeks)\b")
_PART_NOUN = {"half": "half", "halves": "half", "week": "week", "weeks": "week"}  # 'first and second half(ves)'
_PART_ORDINAL = re.compile(r"\b([1-5])(?:st|nd|rd|th) (time|day|week|wk|month|mo|mth|half|quarter|qtr)\b")
_MONTHS_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_HOW_CHANGED = re.compile(r"\bhow (?:much )?(?:did|does|do|has|have|is|are|was|were)\b(?=.*\b(?:compare|compares|"
                          r"compared|change|changed|changes|changing|move|moved|grow|grew|grown|shift|shifted|drop|"
                          r"dropped|fall|fell|rise|rose|risen|evolve|evolved|develop|developed|trending)\b)")
_HABIT = "|".join(W.HABITUAL)
_WINDOW_NOUN = "|".join(W.WINDOW_NOUNS)
_REPORTED_ON = rf"(?: (?:that |which )?we (?:(?:{'|'.join(W.HABITUALLY)}) )?(?:report|reported) (?:on|over|against))?"
# 'the usual 28-day reporting window', 'our standard 7 day window': the last N days (not one ending elsewhere)
_SPAN_WINDOW = re.compile(rf"\b(?:the|our|a) (?:(?:{_HABIT}) )?(\d+)[- ]day (?:reporting |report )?(?:{_WINDOW_NOUN})"
                          rf"{_REPORTED_ON}\b(?! (?:end|ending|ended|to|through|before|after|from|start|starting|of)\b)")
# ', which is the window we normally report on', ', our usual reporting period': an aside restating the window
_WINDOW_ASIDE = re.compile(rf",\s*(?:(?:which|that) (?:is|'s) )?(?:the|our) (?:(?:{_HABIT}) )?(?:reporting |report )?"
                           rf"(?:{_WINDOW_NOUN}){_REPORTED_ON}(?=\s*(?:[,.;?!]|$))")
_MONTH_OF = re.compile(rf"\b(?:the )?month of ((?:{_MONTHS_RE})\b)")
# the window already named, pointed back at ('compared with B over the same period', 'in that window'): no new
# window (one that follows, 'the same period last year', is another window and is left to block)
_SPAN_NOUN = r"(?:period|window|time frame|timeframe|time span|span|stretch|range)"
_SAME_WINDOW = re.compile(rf"\b(?:over|for|during|in|within|across) (?:the same|that same|that) {_SPAN_NOUN}\b"
                          r"(?!\s+(?:last|a|an|of|in|previous|prior|one|two|the|\d))")
# after a negation, 'on any day (in that window)', 'at any point', 'at any time' only stress it: 'did not use chat on
# any day' is 'did not use chat' (without a negation they are another question: 'the most prompts on any day')
_NEVER_ON_ANY = re.compile(r"(\b(?:not|never|no|without)\b|n't\b)((?:\s+(?!and\b|but\b|who\b|which\b)[\w'-]+){1,6}?)"
                           r"\s+(?:on|at|in|during) any (?:single |one |given )?(?:day|point|time|moment)\b")
_DAY_OF_ORDINAL = {w: str(n) for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
_ORDINALS_RE = "|".join(_DAY_OF_ORDINAL)
_MONTH_ORDINAL = re.compile(rf"\b({_MONTHS_RE})\.? ({_ORDINALS_RE})\b")
_ORDINAL_OF_MONTH = re.compile(rf"\bthe ({_ORDINALS_RE}) of ({_MONTHS_RE})\b")
_NAMES_RE = "|".join(W.WEEKDAYS + tuple(W.WEEKDAY_ABBREVIATIONS))
_WEEKDAY_STEMS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# a number word as a ranking's size: 'which five users', 'what three languages', 'the five least active' ('which one'
# asks for the single top one, and 'the two weeks' names periods: neither is rewritten)
_COUNTED = "|".join(w for w in W.NUMBERS if w != "one")
_RANK_SIZE = re.compile(rf"\b(which|what|top|bottom) ({_COUNTED}) (?=[a-z])|"
                        rf"\b(the) ({_COUNTED}) (?=(?:{'|'.join(W.TOPS)})\b)")
_ORDINAL_RANK = re.compile(rf"\b([2-9]|10)(nd|rd|th) (?=({'|'.join(W.TOPS)})\b)")
# a weekday with its date ('tuesday, december 15'); 'the previous tuesday, december 8' is that date too (the date
# says which tuesday, so the word that points back adds nothing)
_WEEKDAY_MONTH = re.compile(rf"\b(?:(?:the )?(?:previous|prior|preceding|following|next) )?({_NAMES_RE}),? "
                            rf"({_MONTHS_RE})\.? (\d{{1,2}})\b")
_WEEKDAY_NUMERIC = re.compile(rf"\b({_NAMES_RE}),? (\d{{1,2}})/(\d{{1,2}})\b(?!/)")
_BARE_DATE = re.compile(rf"\b({_MONTHS_RE})\.? (\d{{1,2}})\b(?!\s*(-|to\b|through\b|until\b|/|\d))")
_FROM_MONTH_TO = re.compile(rf"\bfrom ({_MONTHS_RE})( \d{{4}})? to ({_MONTHS_RE})\b(?! \d)")
# exclusivity said in other words: 'stick to just X', 'only-X users', 'X (and) nothing else'
_EXCLUSIVE = re.compile(r"\b((?:stick|sticks|stuck|sticking) to (?:just |only )?|only-)|"
                        r"(?<=\w) ((?:and |but )?(?:nothing else|no other (?:features?|tools?)|not anything else))\b")
_DATA_SPAN = re.compile(r"\b(?:between|from) the (?:first|earliest) (?:day |date )?(?:and|to) (?:the )?(?:last|latest) "
                        r"(?:day|date)(?: (?:of|in) (?:the )?data)?\b")
# 'each calendar month covered by the data', 'every week in our data': the series over all the data
_THE_DATA = r"(?:the|our|all the|all our) (?:usage |loaded )?data"
_SERIES_OF_DATA = re.compile(rf"\b(each|every|per|by) (day|week|month)s? (?:(?:that is |that's |which is )?"
                             rf"(?:covered by|in|of|within|across|spanned by) {_THE_DATA}"
                             rf"(?: (?:we|you) (?:have|has|hold|loaded))?|"
                             rf"(?:that |which )?{_THE_DATA} (?:covers|spans|has|holds))\b")
_ASSIGNED_WORDS = "|".join(sorted((p for p in model.ENTITIES_BY_NAME["seat"].attribute("assigned").phrases
                                    if " " not in p), key=len, reverse=True))
# 'across all the days it covers', 'over all of the days the report spans', 'over the whole period it covers': all
# the data
_ALL_DAYS_COVERED = re.compile(r"\b(?:across|over|for|in|on|during) (?:all (?:of )?the days|the (?:(?:whole|entire|full|"
                               r"complete) )?(?:period|time span|span|range|time)) (?:that |which )?"
                               r"(?:(?:are |is )?(?:covered|spanned|included) (?:by|in) (?:it|them|the \w+(?: \w+)?)|"
                               r"(?:it|they|the \w+(?: \w+)?) (?:covers|cover|spans|span|includes|include|holds|hold|"
                               r"has|have))\b")
# 'the three seats most recently assigned': the newest assignments (the window finder would drop 'recently')
_RECENTLY_ASSIGNED = re.compile(rf"\b(most|least) recently (?=(?:been )?(?:{_ASSIGNED_WORDS})\b)")
# ... said after the assignment: 'who got a seat most recently', 'which seat was assigned most recently'
_ASSIGNED_RECENTLY = re.compile(rf"\b((?:{_ASSIGNED_WORDS}|got|received|was given|were given)(?: (?:a|their|his|her|"
                                rf"the|copilot))?(?: (?:seat|seats|licence|licences|license|licenses))?) (most|least) "
                                rf"recently\b")
# 'when does the data start (and end)': the data's first (and last) day
_STARTS = ("start", "starts", "begin", "begins", "began", "started")
_DATA_EDGES = re.compile(r"(?<!since )(?<!since the )(?<!since our )\b(?:the |our )?(?:usage |user )?data "
                         r"(start|starts|begin|begins|began|started|end|ends|ended|"
                         r"stop|stops|stopped)( and (?:end|ends|ended|stop|stops|stopped))?\b(?! (?:on|at|in) )")
_LONGEST = re.compile(r"\b(?:(?:been )?(?:assigned|held|had|holding|having|owned)(?: (?:a|their|the|his|her|its|that) "
                      r"(?:seat|seats|licence|licences))?(?: for)? the longest(?: time)?(?: ago)?|"
                      r"longest[- ](?:held|standing|serving|running|assigned))\b")
# a range whose month is said once: 'oct 1-15', 'october 1 to 15', 'the 1st to the 15th of october'
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_TO = r" ?(-|to|through|thru|until|and) ?"
_MONTH_FIRST = re.compile(rf"\b({_MONTHS_RE}) {_ORD}{_TO}{_ORD}\b(?! ?(?:/|{_MONTHS_RE}))")
_MONTH_LAST = re.compile(rf"\bthe {_ORD}{_TO}the {_ORD} of ({_MONTHS_RE})\b")
# 'for each week starting mon sept 14': a series by week from that day on (not the one week of that day)


def _joined(word: str) -> str:
    return "and" if word == "and" else "to"  # 'between X and Y' keeps its 'and'


_EACH_FROM = re.compile(r"\b(?:for |on )?(?:each|every|per|by) (day|week|month) "
                        r"(starting|beginning|since|from)(?: on)? ")
# 'for every day of the first week', 'on each day of october', 'in every month of the data': one row per period
# ('active every day of last week' is a condition on each person, not a breakdown: it is left to be refused)
_EACH_OF_PERIOD = re.compile(r"\b(?:for|on|in) (?:every|each) (day|week|month)\b"
                      r"|(?:^every|\beach) (day|week|month) (?=of |in )")
# 'on each of the last three days', 'for every one of the past 7 days': one row per day of that window
_EACH_OF_DAYS = re.compile(rf"\b(?:(?:on|for|in|during|over) )?(?:each|every)(?: one)? of (?:the|those|these) "
                           rf"((?:last|past|previous|first|final|latest) (?:\d+|{'|'.join(W.NUMBERS)}) "
                           r"days)\b")
# 'on each monday in october', 'for every friday of last month': one row per such day ('every monday' alone is the
# weekday as a filter, which the window finder reads)
# ... and 'on each weekday of last week', 'for every working day in october': one row per day, Monday to Friday
_EACH_WEEKDAY = re.compile(rf"\b(?:(?:on|for|in|during) (?:each|every)|each)(?: single)? "
                           rf"({'|'.join(W.WEEKDAYS + W.WORKING_DAY)})\b")
_VS_MONTH = re.compile(rf"\b(vs|and) ({_MONTHS_RE})\b(?! \d)")


def _weekday_dates(text: str, as_of: date) -> tuple[str, list[str]]:
    """'thursday nov 5': drop the weekday once the date is read, and say so when they disagree."""
    notes: list[str] = []

    def check(m: re.Match[str]) -> str:
        day_name = W.WEEKDAY_ABBREVIATIONS.get(m[1], m[1])
        try:
            d = date(as_of.year, MONTHS[m[2]], int(m[3]))
        except ValueError:
            return m[0]
        if d > as_of:
            d = d.replace(year=d.year - 1)
        if W.WEEKDAYS[d.weekday()] != day_name:
            notes.append(f"{d} is a {W.WEEKDAYS[d.weekday()].title()}, not a {day_name.title()}: read as {d}")
        return f"{m[2]} {m[3]}"

    def numeric(m: re.Match[str]) -> str:
        month, day = int(m[2]), int(m[3])
        if month > 12 >= day:
            month, day = day, month  # '25/10' can only be day first
        if not 1 <= month <= 12:
            return m[0]
        check(re.match(r"(\S+) (\S+) (\S+)", f"{m[1]} {_MONTH_NAMES[month - 1]} {day}"))  # type: ignore[arg-type]
        return f"on {_MONTH_NAMES[month - 1]} {day}"

    if not any(n in text for n in _WEEKDAY_STEMS):
        return text, notes
    text = _WEEKDAY_MONTH.sub(check, text)
    return _WEEKDAY_NUMERIC.sub(numeric, text), notes


_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(20\d\d))?\b(?!/)")


def _numeric_dates(text: str, notes: list[str]) -> tuple[str, list[str]]:
    """'10/5' as october 5 (month first unless a date in the question can only be day first, '25/10'); said."""
    pairs = [(int(m[1]), int(m[2])) for m in _SLASH.finditer(text)]
    day_first = any(a > 12 >= b for a, b in pairs)
    if not pairs or (day_first and any(b > 12 >= a for a, b in pairs)):
        return text, notes  # none, or they disagree on the order: left to be refused
    clear = day_first or any(b > 12 for _, b in pairs)
    read: list[str] = []

    def sub(m: re.Match[str]) -> str:
        month, day = (int(m[2]), int(m[1])) if day_first else (int(m[1]), int(m[2]))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m[0]
        read.append(f"{m[0]} as {_MONTH_NAMES[month - 1].title()} {day}{' ' + m[3] if m[3] else ''}")
        return f"{_MONTH_NAMES[month - 1]} {day}{' ' + m[3] if m[3] else ''}"

    text = _SLASH.sub(sub, text)
    text = re.sub(rf"(\d)-({_MONTHS_RE}) ", r"\1 to \2 ", text)  # '10/5-10/9
    if read and (day_first or not clear):
        order = "day first" if day_first else "month first"
        notes = notes + [f"read {', '.join(read)} ({order})"]
    return text, notes


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")


# a window read before the others ('more than 30 days ago', 'before october 1', 'in 2025') leaves a slot word where it
# stood, so find_windows keeps every window in the order the question names them
SLOT = "winslot"


def slot(found: list[Window], kind: str) -> str:
    """The slot word of the window just found (letters only: no number rule reads it)."""
    return f" {SLOT}{kind}{''.join(chr(97 + int(c)) for c in str(len(found) - 1))} "


def placed(windows: list[Window], kind: str) -> dict[str, Window]:
    return {slot(windows[: i + 1], kind).strip(): w for i, w in enumerate(windows)}


def _early_windows(text: str, as_of: date) -> tuple[str, list[Window], dict[str, Window]]:
    """The windows read before the others ('N days ago', 'before oct 1', 'in 2025'), and each by its slot word."""
    text, ago = _ago(text, as_of)
    text, years = _years(text, as_of)
    return text, ago + years, {**placed(ago, "ago"), **placed(years, "year")}


def _ago(text: str, as_of: date) -> tuple[str, list[Window]]:
    """'more than two weeks ago' / 'in the last 2 weeks ago': a cut-off day before as_of."""
    found: list[Window] = []
    num = "|".join(list(W.NUMBERS) + [r"\d+"])

    def cut(m: re.Match[str]) -> str:
        if not (m[1] or m[2]):
            return m[0]  # 'active users two weeks ago': that day, or that week? Left for the reader to refuse
        n = int(m[3]) if m[3].isdigit() else W.NUMBERS[m[3]]
        day = as_of - timedelta(days=n * W.UNITS[m[4]])
        found.append(Window(None, day - timedelta(days=1), f"before {day}") if m[1] else
                     Window(day, as_of, f"since {day}"))
        return slot(found, "ago")

    text = re.sub(rf"\b(?:(more than |over |older than )|(since |from |starting |in the last |within the last |"
                  rf"in the past |over the last |over the past ))?({num}) (days?|weeks?|months?) ago\b", cut, text)
    text = _UNTIL.sub(lambda m: _until(m, as_of, found), text)
    text = _UNTIL_YEAR.sub(lambda m: _until_year(m, found), text)
    return _UNTIL_MONTH.sub(lambda m: _until_month(m, as_of, found), text), found


_UNTIL_YEAR = re.compile(r"\b(?:before|earlier than|prior to) (?:the start of |the beginning of )?(?:the year )?(20\d\d)\b"
                         r"(?! ?[-/])")


def _until_year(m: re.Match[str], found: list[Window]) -> str:
    """'seats assigned before 2026': every day before that year starts."""
    found.append(Window(None, date(int(m[1]) - 1, 12, 31), f"before {m[1]}"))
    return slot(found, "ago")


def _until_month(m: re.Match[str], as_of: date, found: list[Window]) -> str:
    """'before november': every loaded day before that month starts ('the 2 weeks before november' is not)."""
    if re.search(r"\b(days?|weeks?|months?) $", m.string[: m.start()]):
        return m[0]
    start = _month(m[1], m[2], as_of).start
    assert start is not None
    found.append(Window(None, start - timedelta(days=1), f"before {start.strftime('%B %Y')}"))
    return slot(found, "ago")


_UNTIL = re.compile(r"\b(?:before|earlier than|prior to) " + _DATE)
_UNTIL_MONTH = re.compile(rf"\b(?:before|earlier than|prior to) ({_MONTHS_RE})(?: (20\d\d))?\b(?! \d)")


def _until(m: re.Match[str], as_of: date, found: list[Window]) -> str:
    """'before october 1': every loaded day before that day; a date it cannot read is left to be refused."""
    day = _parse_date(m[1], as_of)
    if day is None:
        return m[0]
    found.append(Window(None, day - timedelta(days=1), f"before {day}"))
    return slot(found, "ago")


def _years(text: str, as_of: date) -> tuple[str, list[Window]]:
    """'in 2025': the calendar year (to as_of when it is the current one)."""
    found: list[Window] = []

    def year(m: re.Match[str]) -> str:
        y = int(m[2])
        end = min(date(y, 12, 31), as_of)
        found.append(Window(date(y, 1, 1), end, str(y)))
        return slot(found, "year")

    def since(m: re.Match[str]) -> str:  # 'since the start of 2026': from its first day to the latest one
        found.append(Window(date(int(m[1]), 1, 1), as_of, f"since the start of {m[1]}"))
        return slot(found, "year")

    text = re.sub(r"\b(?:since|from) the (?:start|beginning) of (?:the year )?(20\d\d)\b(?! ?[-/])", since, text)
    # 'during (calendar) year 2026' is the year too (PLAIN_PHRASES reads 'calendar year' as 'year')
    return re.sub(r"\b(in|during|for|of|over) (?:(?:the )?year )?(20\d\d)\b(?! ?[-/])", year, text), found


def _vocabulary_words(table: dict[str, tuple]) -> dict[tuple[str, int], list[str]]:
    """Single vocabulary words indexed by first letter and length, for a fast edit-distance search."""
    index: dict[tuple[str, int], list[str]] = {}
    for w in table:
        if " " not in w and len(w) >= 4:
            index.setdefault((w[0], len(w)), []).append(w)
    return index


@lru_cache(maxsize=4096)
def _near_cached(word: str, key: int) -> str | None:
    return near(word, _INDEXES[key])


_INDEXES: dict[int, dict[tuple[str, int], list[str]]] = {}


def near(word: str, vocab: dict[tuple[str, int], list[str]]) -> str | None:
    """The vocabulary word within edit distance 1 (2 for long words) of `word`, when there is exactly one."""
    if len(word) < 5 or not word.isalpha():
        return None
    limit = 1 if len(word) < 8 else 2
    scored = sorted((_distance(word, v, limit), len(v), v) for n in range(len(word) - limit, len(word) + limit + 1)
                    for v in vocab.get((word[0], n), ()))
    best = [x for x in scored if x[0] <= limit and x[0] == scored[0][0]] if scored else []
    if len(best) == 1 or (best and all(v.startswith(best[0][2]) for _, _, v in best)):
        return best[0][2]
    return None


def _near(word: str, vocab: dict[tuple[str, int], list[str]]) -> str | None:
    key = id(vocab)
    _INDEXES.setdefault(key, vocab)
    return _near_cached(word, key)


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance, giving up early past `limit`."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _stem(word: str, table: dict[str, tuple]) -> str | None:
    """An inflection or agent noun of a vocabulary word: 'prompters', 'accepting', 'licences'."""
    for suffix, repl in (("ers", ""), ("er", ""), ("ing", ""), ("ing", "e"), ("es", ""), ("s", ""), ("ed", ""),
                         ("ed", "e"), ("d", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + repl
            if base in table:
                return base
            if suffix in ("ed", "ing") and not repl and len(base) > 3 and base[-1] == base[-2] and base[:-1] in table:
                return base[:-1]  # 'chatted', 'chatting': a doubled last consonant
    return None


_READ_CACHE: dict[tuple[str, date], tuple[object, object, Reading]] = {}


def read(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> Reading:
    """The question as typed tokens plus the windows it names (the last readings are kept for the safety net)."""
    hit = _READ_CACHE.get((question, as_of))
    if hit is not None and hit[0] is values and hit[1] is logins:
        return hit[2]
    reading = _read(question, as_of, values, logins)
    if len(_READ_CACHE) > 256:
        _READ_CACHE.clear()
    _READ_CACHE[(question, as_of)] = (values, logins, reading)  # holding values keeps its identity from reuse
    return reading


# a clause after a share that asks for its parts: a sentence of its own, or one after ', with' ('..., with the completion
# lines, all lines added, and the fraction')
# (a dot inside a word, 'claude-sonnet-4.6', ends no sentence)
_PARTS_CLAUSE = re.compile(r"(?:[?.]\s+|,\s*(?:with|along with|including|giving|showing|plus)\s+)((?:[^?.]|\.(?=\S))+)"
                           r"[?.]?\s*$")


# an apposition that says what a measure means: ', meaning ...', ', that is, ...', ', i.e. ...', up to the next comma
_APPOSITION = re.compile(r",\s*(?:meaning|that is|i\.e\.|ie|in other words|which means|defined as|by which (?:i|we) mean)"
                         r",?\s+([^,?.;]+)")


def without_appositions(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """'how many users were engaged, meaning they actually sent copilot at least one prompt, in october': an
    apposition made only of what the measure's definition says (model.DEFINED_BY) restates it and is dropped; one
    that adds anything ('meaning they used the cli') keeps the question whole (and refused)."""
    m = _APPOSITION.search(question)
    if m is None:
        return question
    rest = question[: m.start()] + question[m.end():]
    asked = [t.value for t in read(rest, as_of, values, logins).tokens if t.kind == "metric"]
    said = _read(m[1], as_of, values, logins)
    defined = [model.DEFINED_BY[a] for a in asked if a in model.DEFINED_BY]
    if len(defined) != 1 or said.windows or not said.tokens:
        return question
    ok = all((t.kind, t.value) in defined[0] or (t.kind, None) in defined[0] for t in said.tokens)
    return without_appositions(rest, as_of, values, logins) if ok else question


def without_share_parts(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """'what share of prompts came from agent mode? please give the agent-mode count, the overall total and the
    ratio': the share's answer shows its part, its whole and the ratio, so a last clause that only names them again
    (the share's own words, a part of them, or a ratio word) is read as said; anything new in it keeps the whole."""
    m = _PARTS_CLAUSE.search(question)
    if m is None or not set(re.findall(r"[a-z]+", m[1].lower())) & W.SHARE_PART_WORDS:
        return question
    main, clause = read(question[: m.start()], as_of, values, logins), _read(m[1], as_of, values, logins)
    if not main.has("shape", "share") or clause.windows:
        return question
    said = {(t.kind, str(t.value)) for t in main.tokens}
    words = {w for t in main.tokens for w in t.text.split()}
    restated = all((t.kind, str(t.value)) in said or t.text in W.SHARE_PART_WORDS or
                   (t.kind == "unknown" and t.text in words) for t in clause.tokens)
    return question[: m.start()] + "?" if restated else question


# a last sentence (or ', and what were ...') that only asks for the two things named, in an order ('please give both
# numbers, edit mode first'), or for each compared period's figure ('the figure for each month', 'the total for each
# of the two weeks', 'both weekly totals and the difference')
_FIGURE_NOUNS = r"(?:numbers?|values?|figures?|rates?|totals?|counts?|results?|amounts?)"
_BOTH_CLAUSE = re.compile(
    r"(?:[?.!]\s+(?:please\s+)?(?:give|show|list|report|tell|include)(?: me| us)?|,?\s+and\s+what\s+(?:were|are))\s+"
    rf"(?:(?:both|the two|the 2|each)(?: of them)?(?: (?:daily|weekly|monthly))?(?: {_FIGURE_NOUNS})?"
    rf"|the {_FIGURE_NOUNS} (?:for|of|in) (?:each|both)(?: of the (?:two|2))? (?:days?|weeks?|months?|periods?))"
    r"(\s*,?\s+and\s+(?:the\s+)?difference)?"
    r"(?:\s*,\s*(?:with\s+)?(?:the\s+)?((?:[^,?.!]|\.(?=\S))+?)\s+first)?\s*[?.!]*\s*$", re.I)


def without_order_clause(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """'... for typescript and for python during october? please give both, typescript first': when the question
    names two values of one kind (or two periods) and the one put first is the first named, the last sentence asks
    for what the answer shows already, in its order, and is dropped; any other order or word keeps it (refused)."""
    m = _BOTH_CLAUSE.search(question)
    if m is None:
        return question
    main = read(question[: m.start()], as_of, values, logins)
    named = [t for t in main.tokens if t.kind in ("value", "login")]
    kinds = {t.value[0] if t.kind == "value" else "login" for t in named}
    two = (len(named) == 2 and len(kinds) == 1) or (not named and len(main.windows) == 2)
    if not two or (m[1] and not main.has("diff", "more") and not main.has("diff", "fewer")):
        return question  # 'and the difference' is said already only by 'how many more ... than'
    if m[2]:
        first = _read(m[2], as_of, values, logins)
        if first.windows or len(first.tokens) != 1 or not named or \
                (first.tokens[0].kind, first.tokens[0].value) != (named[0].kind, named[0].value):
            return question
    return question[: m.start()] + "?"


# '..., and how many lines did each of them add': a ranking's own measure, asked again for each value it ranks
_EACH_RESTATED = re.compile(r",?\s+and (?:how many|how much|what)\b([^,?.]*?)\b(?:did|does|do|was|were|is|are)?\s*each "
                            r"(?:of them|of those|one|of these)?\b([^,?.]*)[?.!]*\s*$", re.I)


def without_each_restated(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """'which three IDEs had the most lines added in november, and how many lines did each of them add': the ranking
    shows each value's figure already, so a last clause naming no measure but the ranking's own is dropped."""
    m = _EACH_RESTATED.search(question)
    if m is None:
        return question
    main = read(question[: m.start()], as_of, values, logins)
    tail = _read(f"{m[1]} {m[2]}", as_of, values, logins)
    ranked = {t.value for t in main.tokens if t.kind == "metric"}
    said = {t.value for t in tail.tokens if t.kind == "metric"}
    if not main.has("top") or tail.windows or tail.unknown or not said <= ranked or \
            any(t.kind not in ("metric", "use", "entity", "shape") for t in tail.tokens):
        return question
    return question[: m.start()] + "?"


def _read(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> Reading:
    low = question.lower()
    text = normalise(_EACH_OF_THE.sub(r"\1 ", _EACH_OF.sub(f" {EACH_OF_THEM} ", low)) if "of th" in low else question)
    text, notes = _weekday_dates(text, as_of)
    text, notes = _numeric_dates(text, notes)
    text, ago, slots = _early_windows(text, as_of)
    # 'between the first and last day (of data)': the whole span of the data
    text = _DATA_EDGES.sub(lambda m: " the first and last day of data " if m[2] else
                           " the first day of data " if m[1] in _STARTS else " the last day of data ", text)
    text = _DATA_SPAN.sub(" over all the data ", text)
    text = _RECENTLY_ASSIGNED.sub(lambda m: "newest " if m[1] == "most" else "oldest ", text)
    text = _ASSIGNED_RECENTLY.sub(lambda m: f"{'newest' if m[2] == 'most' else 'oldest'} {m[1]}", text)
    text = _LONGEST.sub(" assigned oldest ", text)  # 'the seats held the longest': the oldest assignments
    text = _SERIES_OF_DATA.sub(r"by \2 over all the data ", text)  # 'each month covered by the data': all of it
    text = _ALL_DAYS_COVERED.sub(" over all the data ", text)
    text = re.sub(r"\b(on|for|during) the (last|latest|most recent|final) (day|date) (in|of) (the )?(usage )?data\b",
                  lambda m: f"{m[1]} {as_of.isoformat()}", text)
    text = re.sub(r"\b(first|last|latest|earliest|most recent) (day|date)s?\b(?=.*\b(?:data|cover|covers|covered)\b)",
                  r"\1 daycov", text)  # 'the latest day covered by ...': the data's own edge
    text = _INCLUSIVE.sub(" whetherornot ", text)
    text = _EXCLUDE_NEVER_GIVEN.sub(" that received", text)  # leaving out those never shown X: those shown X
    text = _EXCLUDE_NEVER.sub(" hasever ", text)  # 'leave out those who never authenticated': it must be set
    text = _AS_OF.sub("on ", text)  # 'team sizes as of nov 7': on that day
    text = _LATEST_STATE.sub(" ", text)  # 'taking each user's latest known phase': how a state is counted already
    text = _several(text)
    # 'the last day on which X was active': a day of X's, not the latest day in the data
    text = re.sub(r"\b(?:the )?(first|last|latest|earliest|most recent) (?:day|date) (?:on which|when|that\b|"
                  r"(?=\S+ (?:was|were|used|did|had|showed|appeared|got)\b))", r"\1 daycov ", text)
    text = _FROM_MONTH_TO.sub(r"\1\2 vs \3", text)
    text = _MONTH_FIRST.sub(lambda m: f"{m[1]} {m[2]} {_joined(m[3])} {m[1]} {m[4]}", text)
    text = _MONTH_LAST.sub(lambda m: f"{m[4]} {m[1]} {_joined(m[2])} {m[4]} {m[3]}", text)
    text = _EACH_OF_DAYS.sub(r"per day in the \1", text)
    text = _EACH_WEEKDAY.sub(r"per day on \1s", text)
    text = _EACH_OF_PERIOD.sub(lambda m: f"per {m[1] or m[2]}" + (" " if m[2] else ""), text)
    text = _EACH_FROM.sub(lambda m: f"by {m[1]} {'from' if m[2] == 'from' else 'since'} ", text)
    text = _bare_dates(text)
    text = _EXCLUSIVE.sub(lambda m: " onlythat" if m[2] else "only ", text)
    text = re.sub(r"\bever\b", "alltime", text)  # the reader's own all-time word, which its rules place
    text = _team_counting_restated(days_of_window(text, as_of)) if "team" in text else days_of_window(text, as_of)
    text, counted = _counted_before(text, as_of)
    text, shifted = _shifted_back(text)
    text = _AT_ANY_POINT.sub(" ", text)  # 'used neovim at any point during october': within that window
    rest, windows, weekdays = find_windows(text, as_of, slots)
    rest, windows = _moved_back(rest, windows, shifted)
    if len(windows) == 2 and (windows[0].start, windows[0].end) == (windows[1].start, windows[1].end) and \
            _PREVIOUS_UNIT.search(text):  # 'the last 7 days with the previous week': the week before them
        rest, windows, weekdays = find_windows(_PREVIOUS_UNIT.sub(r"the \1 before", text), as_of, slots)
    text = re.sub(rf"\s*\b{SLOT}\w+\b\s*", "   ", text) if slots else text
    rest, windows = _before(rest, windows, counted)
    rest = _SAME_WINDOW.sub(" ", rest) if windows else rest  # pointed back at: only when a window was named
    rest = _provisional_aside(rest, windows, as_of)
    rest = _to_date(rest, windows)
    if len(windows) == 2:  # 'fall between september and october': the two periods compared
        rest = _BETWEEN_TWO.sub(" vs ", rest)
    rest = _DIFFERENCE_BETWEEN.sub(r"difference\1", rest)  # 'the difference in prompts between a and b'
    # 'used it at least once': any use; with no window named, over all the data (as 'ever')
    rest = _ONCE.sub(" " if windows or ago else " ever ", rest)
    rest = _all_of_them(_rank_opening(rest, values, logins), values)
    keyed = tuple((k, tuple(v)) for k, v in sorted(values.items()))
    table, vocab = _vocabulary(keyed, logins)
    toks, fixes = _scan(_slashed(_unhyphenated(_value_order(rest, keyed).split(), table), table), table, vocab,
                        _shadowed(keyed))
    rest, toks, fixes = _unsourced(rest, toks, fixes, keyed, table, vocab)
    toks = _sorted_twice(_minus(_elided_lines(_agent_lines(_line_verbs(_restated_dims(_every_dim(_means_through(toks),
                                                                                                 rest), rest))))))
    scanned, toks = toks, _engaged(_accepted_none(_counted_events(_days_active(_restated_usage(_referents(toks))))))
    toks = _series_change(_excluded_values(toks), rest)
    toks = _dated_attributes(_restated_verbs(_grouped_values(
        _elliptic(_usage_verbs(_surface_named_twice(_restating_nouns(_relation_verbs(toks)))), table), table)))
    if weekdays:
        toks.append(Token("weekdays", weekdays, weekdays))
    # 'used it in october but had no ide activity in october': one window, said twice
    named: dict[tuple, Window] = {}
    for w in windows:
        named.setdefault((w.start, w.end), w)
    referred = EACH_OF_THEM in text and not any(t.kind == "referent" for t in toks) and \
        any(t.kind == "referent" for t in scanned)
    return Reading(tuple(toks), tuple(named.values()), tuple(notes + fixes),
                   text.replace(EACH_OF_THEM, "each user" if referred else "each"))


Index = dict[tuple[str, int], list[str]]
# the roster named as where a named team's members are listed: 'mobile-apps, as listed in the team report'
_TEAM_SOURCE = re.compile(r"\b(?:in|on|from|according to|per) (?:the |our )?(?:team|teams|team membership|membership) "
                          r"(?:report|reports|roster|rosters|list|lists|listing|export|exports|file|files|data)\b")


# the seat records named as where a seat's attribute is read: 'when did saras last sign in, according to the seat
# records'
_SEAT_SOURCE = re.compile(r"\b(?:in|on|from|according to|per|based on|as per) (?:the |our )?"
                          r"(?:seat|seats|licence|license|licences|licenses|seat assignment|seat assignments) "
                          r"(?:records?|reports?|data|lists?|listing|exports?|files?|table)\b")


def _unsourced(rest: str, toks: list[Token], fixes: list[str], keyed: tuple, table: dict[str, tuple],
               vocab: Index) -> tuple[str, list[Token], list[str]]:
    """The reading without a source it was read from when that source says nothing more: a named team's roster, or
    the seat records beside a seat attribute named outside them ('the seat assignment data' alone is the seats)."""
    def scan(text: str) -> tuple[list[Token], list[str]]:
        return _scan(_slashed(_unhyphenated(_value_order(text, keyed).split(), table), table), table, vocab,
                     _shadowed(keyed))

    if _TEAM_SOURCE.search(rest) and any(t.kind == "value" and t.value[0] == "team" for t in toks):
        rest = _TEAM_SOURCE.sub(" ", rest)  # a named team's members come from that roster already
        toks, fixes = scan(rest)
    if _SEAT_SOURCE.search(rest):
        unsourced = _SEAT_SOURCE.sub(" ", rest)
        got = scan(unsourced)
        if any(t.kind == "attr" and t.value[0] == "seat" for t in got[0]):
            rest, (toks, fixes) = unsourced, got
    return rest, toks, fixes


def _unhyphenated(ws: list[str], table: dict[str, tuple]) -> list[str]:
    """'last-activity', 'seat-holders': a hyphenated word the vocabulary does not hold, read as its parts."""
    out: list[str] = []
    for w in ws:
        parts = w.split("-")
        if len(parts) > 1 and w not in table and all(p.isalpha() for p in parts):
            out += parts
        else:
            out.append(w)
    return out


# the kinds a slashed list may join: surfaces and values ('chat/agent/cli'), never measures or units ('prompts/day')
_LISTED = frozenset({"flag", "value"})


def _slashed(ws: list[str], table: dict[str, tuple]) -> list[str]:
    """'no chat/agent/cli', 'without vscode/jetbrains': a slashed list of surfaces or values after a negation is none
    of them ('no a or b or c'); anywhere else ('vscode/jetbrains acceptance': either, both or side by side?) and
    between anything else ('prompts/day') the slashed word stays unknown."""
    out: list[str] = []
    for i, w in enumerate(ws):
        parts = w.split("/")
        negated = i > 0 and ws[i - 1] in W.NEGATIONS
        if negated and len(parts) > 1 and w not in table and all(table.get(p, ("",))[0] in _LISTED for p in parts):
            out += " or ".join(parts).split()
        else:
            out.append(w)
    return out


NUMERAL = rf"(?:\d+|{'|'.join(W.NUMBERS)})"
# a bound on a number of days: 'at least 3', 'more than two', 'exactly 4', '4 or more' (a bare '2 of the 3 days' stays)
_BOUNDED = rf"((?:at least|at most|more than|fewer than|less than|over|under|exactly) {NUMERAL}" \
           rf"|{NUMERAL} or (?:more|fewer|less))"
# 'on at least 3 of the last 7 days': that many days within that window
_OF_LAST_DAYS = re.compile(rf"\b{_BOUNDED} (?:out )?of (?:the|those|these) ((?:last|past|previous) {NUMERAL} days)\b")
# 'on at least five of the seven days of last week': the window's own length, said again
_OF_THE_DAYS = re.compile(rf"\b{_BOUNDED} (?:out )?of (?:the|those|these|its) ({NUMERAL}) days? (?=(?:of|in|during) )")


def days_of_window(text: str, as_of: date) -> str:
    """'at least 3 of the last 7 days' reads as 'at least 3 days in the last 7 days', and 'at least five of the seven
    days of last week' as 'at least five days of last week' when the window named next is seven days long; another
    length, or a number with no bound, stays as written (and is refused)."""
    text = _OF_LAST_DAYS.sub(r"\1 days in the \2", text)

    def restated(m: re.Match[str]) -> str:
        named = find_windows(text[m.end():], as_of)[1]
        length = int(m[2]) if m[2].isdigit() else W.NUMBERS[m[2]]
        w = named[0] if named else None
        if w is None or w.start is None or w.end is None or (w.end - w.start).days + 1 != length:
            return m[0]
        return f"{m[1]} days "

    return _OF_THE_DAYS.sub(restated, text)


_PREPOSITIONS = frozenset("on since from to until till through before after between and of by vs in for during "
                          "starting ending than week".split())


def _bare_dates(text: str) -> str:
    """'users oct 27' reads as 'on oct 27' and 'sept vs oct' as 'sept vs in oct', as the window finder expects."""

    def on(m: re.Match[str]) -> str:
        before = text[: m.start()].split()[-2:]
        # 'oct 30 vs nov 2', 'oct 30 compared to nov 2': the second side of a comparison is a day of its own
        if before and before[-1] in _PREPOSITIONS and before[-1] != "vs" and before != ["compared", "to"]:
            return m[0]
        return "on " + m[0]

    text = _BARE_DATE.sub(on, text)
    return _VS_MONTH.sub(r"\1 in \2", text)


def _elliptic(toks: list[Token], table: dict[str, tuple]) -> list[Token]:
    """'lines added than deleted', 'lines added and deleted': an unknown word after 'than', 'vs' or a measure of
    two words completed with that measure's noun."""
    for i, t in enumerate(toks[1:], 1):
        before = toks[i - 1]
        joined = (before.kind, before.value) == ("diff", "than") or before.kind == "vs" or (
            before.kind == "metric" and " " in before.text)
        if t.kind == "unknown" and joined:
            head = next((x.text.split()[0] for x in toks[:i] if x.kind == "metric" and " " in x.text), "")
            for phrase in (f"{head} {t.text}", f"{t.text} {head}"):
                if head and table.get(phrase, ("",))[0] == "metric":
                    toks[i] = Token("metric", table[phrase][1], phrase)
                    break
    return toks


def _grouped_values(toks: list[Token], table: dict[str, tuple]) -> list[Token]:
    """'agent mode' beside 'the chat panel': the one value of that group it names (chat_panel_agent_mode)."""
    groups = [t.text for t in toks if t.kind == "value" and str(t.value[1]).endswith("%") and " " in t.text]
    if len(groups) != 1:
        return toks
    out = []
    for t in toks:
        named = table.get(f"{groups[0]} {t.text}") if t.kind in ("flag", "unknown") else None
        out.append(Token("value", named[1], t.text) if named and named[0] == "value" else t)
    group = next(t for t in out if t.text == groups[0])
    held = [t for t in out if t.kind == "value" and t is not group and str(t.value[1]).startswith(group.value[1][:-1])]
    return [t for t in out if t is not group] if len(held) >= 2 else out  # 'agent vs ask mode in the chat panel'



_AT_ANY_POINT = re.compile(r"\bat any (?:point|stage|time)(?: in time)?(?= (?:during|in|over|within|across|throughout|"
                           r"between|since|from|on|this|last|past|that|before|after|until)\b)")


_EACH_OF = re.compile(r"\b(?:each|every)(?: one)? of (?:them|those|these)"
                      r"(?: (?:people|users|developers|devs|engineers))?\b")


_MULTI_TEAM_COUNTED = re.compile(
    r"\b(?:with |and |where )?(?:the )?(?:users|people|members|devs|developers|engineers|those|anyone|someone|"
    r"everyone) (?:who (?:are|is|were|was|belong to) |that (?:are|is|were|was) )?(?:on|in|belonging to) "
    rf"(?:two|2|several|multiple|more than one|at least \d+|both|many) teams (?:being |are |is |get |getting )?"
    rf"(?:{'|'.join(p.replace('each of them', EACH_OF_THEM) for p in W.COUNTED_IN_EACH_TEAM)})\b")
_BY_TEAM = re.compile(r"\b(?:by|per|each|every|for each|for every) team\b")


def _team_counting_restated(text: str) -> str:
    """'lines added by each team, with users on two teams counted in both': how a by-team breakdown already counts
    people on several rosters (words.COUNTED_IN_EACH_TEAM), said again; dropped only beside a by-team breakdown."""
    m = _MULTI_TEAM_COUNTED.search(text)
    if m is None or not _BY_TEAM.search(text[:m.start()] + text[m.end():]):
        return text
    return text[:m.start()] + " " + text[m.end():]

# 'for each of the devs on payments-api': each of them, a row per person
_PEOPLE_NOUNS = "|".join(model.ENTITIES_BY_NAME["user"].phrases)
_EACH_OF_THE = re.compile(rf"\b(each|every)(?: one)? of the (?=(?:\w+ )?(?:{_PEOPLE_NOUNS})\b)")


def _restated_usage(toks: list[Token]) -> list[Token]:
    """'measured by the number of agent-mode users, which team used agent mode the most': with a surface's users as
    the measure, 'used <that surface>' said again only restates it (a usage verb and the same surface)."""
    people = {t.value for i, t in enumerate(toks) if t.kind == "flag" and (t.text.endswith(("users", "user")) or (
        i + 1 < len(toks) and (toks[i + 1].kind, toks[i + 1].value) == ("entity", "user")))}
    if len(people) != 1:
        return toks
    again = [i for i, t in enumerate(toks[1:], 1) if t.kind == "flag" and t.value in people and toks[i - 1].kind ==
             "use" and not t.text.endswith(("users", "user")) and not (
                 i + 1 < len(toks) and (toks[i + 1].kind, toks[i + 1].value) == ("entity", "user"))]
    if len(again) != 1:
        return toks
    return [t for k, t in enumerate(toks) if k not in (again[0] - 1, again[0])]


def _referents(toks: list[Token]) -> list[Token]:
    """'for the developers who used the cli, how many sessions did each of them start': 'each of them' is the one group
    of people named before it, a row each ('each user'); a surface their clause names ('who used the cli') keeps only
    its users ('each cli user'). With no one (or two groups) to refer to, the word stays and nothing places it."""
    at = [i for i, t in enumerate(toks) if t.kind == "referent"]
    people = [j for j, t in enumerate(toks[:at[0]]) if (t.kind, t.value) == ("entity", "user")] if len(at) == 1 else []
    if len(people) != 1:  # nobody named before it: 'each' as it was ('languages and the rate of each of them')
        return [t for t in toks if t.kind != "referent"]
    j, clause = people[0], toks[people[0] + 1:people[0] + 4]
    drop, ref = {j}, Token("entity", "user", "each user")
    if [t.kind for t in clause] == ["shape", "use", "flag"] and clause[0].text in ("who", "that") and \
            not clause[2].text.endswith(("user", "users")):
        drop |= {j + 1, j + 2, j + 3}
        ref = Token("flag", clause[2].value, f"{clause[2].text} users")
    return [ref if k == at[0] else t for k, t in enumerate(toks) if k not in drop]


_ACCEPTED = frozenset({"accept", "accepts", "accepted", "accepting"})


def _accepted_none(toks: list[Token]) -> list[Token]:
    """'users who accepted no suggestions': the suggestions are the verb's object, so none accepted is no acceptances
    (never no suggestions shown)."""
    out: list[Token] = []
    for t in toks:
        before = out[-1] if out else None
        verb = out[-2] if len(out) > 1 else None
        if t.kind == "metric" and t.value == "code_generations" and verb is not None and before is not None and \
                (verb.kind, verb.value) == ("metric", "code_acceptances") and verb.text in _ACCEPTED and \
                (before.kind == "neg" or (before.kind, before.value) == ("num", 0)):
            out[-2:] = [Token("neg", "no", before.text), verb]  # 'accepted no suggestions': had no acceptances
            continue
        out.append(t)
    return out


_PER_PERIOD = re.compile(r"\b(?:per|by|each|every|a) (?:day|week|month)\b")


def _series_change(toks: list[Token], text: str) -> list[Token]:
    """'how have agent-mode users changed per week', 'how did acceptances develop over time': with a series asked
    for, the verb of change only says what the series shows; ranked ('changed the most') it stays."""
    series = any(t.kind == "period" for t in toks) or bool(_PER_PERIOD.search(text))
    if not series or any(t.kind in ("top", "ordinal", "cmp", "num", "diff") for t in toks):
        return toks
    return [t for t in toks if t.kind != "change"]


def _relation_verbs(toks: list[Token]) -> list[Token]:
    """A relation verb (words.RELATION_VERBS) is dropped when a measure is named and no number or bound follows it
    ('what rate did X achieve'); otherwise it is unknown ('users who achieved 50 acceptances' blocks)."""
    measured = any(t.kind == "metric" for t in toks)
    out: list[Token] = []
    for i, t in enumerate(toks):
        if t.kind != "relverb":
            out.append(t)
        elif not measured or (i + 1 < len(toks) and toks[i + 1].kind in ("num", "cmp")):
            out.append(Token("unknown", t.text, t.text))
    return out


def _restating_nouns(toks: list[Token]) -> list[Token]:
    """'lines suggested in typescript files', 'lines added to files': a noun right after the value or measure it
    only restates (model.RESTATING_NOUNS) is dropped; anywhere else it stays unknown ('how many files')."""
    out: list[Token] = []
    for t in toks:
        owners = model.RESTATING_NOUNS.get(t.text, ()) if t.kind == "unknown" else ()
        before = out[-1] if out else None
        if before is not None and owners and (
                (before.kind == "value" and before.value[0] in owners) or
                (before.kind == "metric" and before.value in owners)):
            continue
        out.append(t)
    return out


def apart_placed(toks: Sequence[Token]) -> bool:
    """'the acceptance rate for typescript and for python, separately', 'cli prompt and output tokens, as two separate
    totals': beside two values of one dimension, or two measures, each is given on its own already; with people
    counted ('users of python and typescript separately' is not who used both) or nothing to part, it is unplaced."""
    values = [t.value[0] for t in toks if t.kind == "value"]
    two = sum(t.kind == "metric" for t in toks) >= 2 or (len(values) >= 2 and len(set(values)) == 1)
    return two and not any(t.kind in ("entity", "use", "login", "set") for t in toks)


_MEANS = frozenset({"through", "thru", "via"})


def _means_through(toks: list[Token]) -> list[Token]:
    """'lines added through agent edits', 'prompts via the cli': a usage measure got by means of a feature or surface,
    as 'using' reads it; the seat's 'came through <team>' needs a team after it and no usage measure."""
    if not any(t.kind == "metric" for t in toks):
        return toks
    return [t for i, t in enumerate(toks) if not (
        t.kind == "attr" and t.value == ("seat", "assigning_team") and t.text in _MEANS and i + 1 < len(toks)
        and toks[i + 1].kind in ("flag", "value") and not (toks[i + 1].kind == "value" and toks[i + 1].value[0] == "team"))]


def _every_dim(toks: list[Token], rest: str) -> list[Token]:
    """'the acceptance rate for every language': one figure per value of the dimension, as 'for each language' reads
    it; 'people who used every ide' (all of them) and 'every' anywhere else keep their own reading."""
    return [t for i, t in enumerate(toks) if not (
        t.kind == "every" and i + 1 < len(toks) and toks[i + 1].kind == "dim"
        and re.search(rf"\b(?:for|across) every {re.escape(toks[i + 1].text)}\b", rest))]


def _sorted_twice(toks: list[Token]) -> list[Token]:
    """'the three models with the most acceptances, ranked from highest to lowest': an ordering in the direction of
    the ranking already named only restates it."""
    tops = {t.value for t in toks if t.kind == "top"}
    return [t for t in toks if not (t.kind == "sort" and t.value in tops)]


def _minus(toks: list[Token]) -> list[Token]:
    """'prompts last week minus the week before', 'lines added minus lines deleted': the first minus the second, as
    'how many more ... than' reads it."""
    out: list[Token] = []
    for t in toks:
        out += [Token("diff", "more", t.text), Token("diff", "than", t.text)] if (t.kind, t.value) == (
            "diff", "minus") else [t]
    return out


_LINES = frozenset({"lines", "line"})
_LINE_GAP = frozenset({"login", "entity", "value", "use", "flag"})  # who or where, between 'lines' and its verb


def _line_verbs(toks: list[Token]) -> list[Token]:
    """'how many lines did copilot suggest adding', 'lines nzhang deleted': a bare 'lines' (no measure named) and the
    verb after it that says which lines, as one measure; 'suggest deleting' names no measure and stays unknown."""
    if any(t.kind == "metric" for t in toks):  # 'lines suggested to add': the suggestion's direction, said again
        return [t for i, t in enumerate(toks) if not (i and W.LINE_VERBS.get(t.text) == "loc_added" and (
            toks[i - 1].kind, toks[i - 1].value) == ("metric", "loc_suggested"))]
    at = next((i for i, t in enumerate(toks) if t.kind == "unknown" and t.text in _LINES), None)
    if at is None:
        return toks
    j = at + 1
    while j < len(toks) and toks[j].kind in _LINE_GAP and toks[j].text not in W.LINE_VERBS:
        j += 1
    verb = toks[j].text if j < len(toks) else ""
    if verb not in W.LINE_VERBS:
        return toks
    measure, drop = W.LINE_VERBS[verb], {at, j}
    after = toks[j + 1].text if j + 1 < len(toks) else ""
    if measure == "loc_suggested" and W.LINE_VERBS.get(after) == "loc_added":
        drop.add(j + 1)
    out = [t for i, t in enumerate(toks) if i not in drop]
    out.insert(at, Token("metric", measure, f"{toks[at].text} {verb}"))
    return out


_LINE_MEASURES = frozenset({"loc_added", "loc_deleted"})


def _agent_lines(toks: list[Token]) -> list[Token]:
    """'lines added by agents', 'how many lines did agents write': the lines agents wrote are the agent-edit feature's
    (the agent flag names people, who have no lines of their own); 'agent mode' keeps its own feature."""
    if not any(t.kind == "metric" and t.value in _LINE_MEASURES for t in toks):
        return toks
    return [Token("value", ("feature", "agent_edit"), t.text) if (t.kind, t.value) == ("flag", "agent") and
            t.text in ("agents", "agent", "agentic") and i and toks[i - 1].kind == "metric" and
            toks[i - 1].value in _LINE_MEASURES else t for i, t in enumerate(toks)]


def _excluded_values(toks: list[Token]) -> list[Token]:
    """'excluding the unknown and others buckets': values of one dimension left out, as one token ('without'); an
    'excluding' before anything else is left as it is (refused unless another rule places it)."""
    for i, t in enumerate(toks):
        if t.kind != "unknown" or t.text != "excluding":
            continue
        j = i + 1
        while j < len(toks) and toks[j].kind == "value" and toks[j].value[0] == toks[i + 1].value[0]:
            j += 1
        if j == i + 1:
            return toks
        end = j + 1 if j < len(toks) and toks[j].kind == "unknown" and toks[j].text in W.VALUE_NOUNS else j
        left = tuple(str(x.value[1]) for x in toks[i + 1:j])
        if any(v.endswith("%") for v in left):
            return toks
        word = " ".join(x.text for x in toks[i:end])
        return toks[:i] + [Token("without", (toks[i + 1].value[0], left), word)] + toks[end:]
    return toks


def _elided_lines(toks: list[Token]) -> list[Token]:
    """'how many lines were added, and how many were deleted': after lines named with a verb, a second 'how many'
    with a line verb alone counts those lines too (the noun left out); a line verb anywhere else is not read so."""
    out = list(toks)
    for i, t in enumerate(toks):
        if t.kind == "unknown" and t.text in W.LINE_VERBS and i and toks[i - 1].kind == "shape" and \
                toks[i - 1].value == "count" and any(str(x.value).startswith("loc_") for x in toks[:i - 1]
                                                     if x.kind == "metric"):
            out[i] = Token("metric", W.LINE_VERBS[t.text], t.text)
    return out


_RANKED = frozenset({"top", "rank", "sort", "ordinal", "each", "every"})


def _restated_dims(toks: list[Token], rest: str) -> list[Token]:
    """'gpt models', 'the vscode ide', 'the python language': a dimension's noun right after a value of it only says
    what the value is. With a family of values ('claude models') it is kept when the question lists or ranks
    ('which claude models got the most prompts' asks for each of them)."""
    listed = any(t.kind in _RANKED or (t.kind == "shape" and t.value == "list") for t in toks)
    out: list[Token] = []
    for t in toks:
        before = out[-1] if out else None
        if t.kind == "dim" and before is not None and before.kind == "value" and before.value[0] == t.value and \
                f"{before.text} {t.text}" in rest and not (listed and str(before.value[1]).endswith("%")):
            continue
        out.append(t)
    return out


def _restated_verbs(toks: list[Token]) -> list[Token]:
    """'cli requests made', 'suggestions generated', 'sessions started': a verb that only restates the measure
    just named (never 'accepted', 'added' or 'deleted', which name measures of their own); 'how many suggestions did
    copilot show': 'show' there is that verb, not a request to list."""
    return [t for i, t in enumerate(toks) if not (
        (t.kind in ("unknown", "attr") or (t.kind, t.value) == ("shape", "list")) and t.text in W.RESTATING_VERBS and
        i > 0 and (toks[i - 1].kind == "metric" or (
            i > 1 and toks[i - 2].kind == "metric" and toks[i - 1].text.endswith(("user", "users")))))]


_DATED = frozenset((e.name, a.name) for e in model.ENTITIES for a in e.attributes if a.kind in ("date", "time"))


def _usage_verbs(toks: list[Token]) -> list[Token]:
    """'opened 15 cli sessions', 'created 200 lines': with no pull request named, a PR verb before a usage measure is
    a usage verb."""
    if any(t.kind in ("pr", "prsugg") for t in toks) or not any(t.kind == "metric" for t in toks):
        return toks
    return [Token("use", "used", t.text) if t.kind == "prverb" and t.value == "created" else t for t in toks]


def _days_active(toks: list[Token]) -> list[Token]:
    """'on how many days was X active', 'the number of days nzhang used copilot': the active days measure (a count of
    days right after 'how many' with a usage verb; never with a negation, a threshold or another measure)."""
    at = next((i for i, t in enumerate(toks[1:], 1) if (t.kind, t.value) == ("unit", 1) and t.text in ("days", "day")
               and (toks[i - 1].kind, toks[i - 1].value) == ("shape", "count")), None)
    uses = [t for t in toks if t.kind == "use" and t.value in ("active", "used", "use", "using", "uses")]
    # 'ranked by the number of days they were active', '... on which each person was active': that phrase is the
    # measure, whatever else is asked
    person = 1 if at is not None and at + 2 < len(toks) and (toks[at + 1].kind, toks[at + 1].value) == ("entity", "user") \
        else 0
    if at is not None and toks[at - 1].text == "number of" and at + 1 + person < len(toks) and \
            toks[at + 1 + person] in uses:
        kept = [toks[at + 1]] if person and not any(t.kind == "entity" or t.text == "who" for t in toks[:at]) else []
        return toks[:at - 1] + kept + [Token("metric", "active_days", "days active")] + toks[at + 2 + person:]
    if at is None or len(uses) != 1 or any(t.kind in ("neg", "cmp", "num", "metric", "flag", "cov") for t in toks):
        return toks
    return [Token("metric", "active_days", "days active") if i == at else t for i, t in enumerate(toks)
            if t is not uses[0]]


# the surfaces whose name, counted, is a count of their events ('how many completions', 'agent edits by week'):
# their plural names and the measure that counts them; 'chats' only after the chat feature it counts ('inline chats')
_EVENT_SURFACES = {("flag", "completions"): (("completions", "code completions"), "code_generations"),
                   ("value", ("feature", "agent_edit")): (("agent edits",), "code_generations"),
                   ("flag", "chat"): (("chats",), "interactions")}
_EVENT_FEATURE = {"completions": ("feature", "code_completion")}  # the flag's own feature value
_OTHERS = ("metric", "entity", "use", "neg", "set", "cmp", "num", "login", "attr", "cov", "figure", "referent")


def _counted_events(toks: list[Token]) -> list[Token]:
    """'how many completions last week', 'python completions', 'inline chats by week': with no measure and no people
    named, a surface named in the plural counts its events (code generations, or prompts for chats), never users."""
    events = [t for t in toks if t.text in _EVENT_SURFACES.get((t.kind, t.value), ((),))[0]]
    if len(events) != 1 or any(t.kind in _OTHERS or (t.kind == "flag" and t is not events[0]) for t in toks) or \
            any(t.kind == "shape" and t.value != "count" for t in toks):
        return toks
    at, text = toks.index(events[0]), events[0].text
    metric = Token("metric", _EVENT_SURFACES[(events[0].kind, events[0].value)][1], text)
    if events[0].value == "chat":  # 'inline chats': the chat feature named just before says which chats
        before = toks[at - 1] if at else None
        if before is None or before.kind != "value" or not str(before.value[1]).startswith("chat"):
            return toks
        return toks[:at] + [metric] + toks[at + 1 :]
    surface = Token("value", _EVENT_FEATURE.get(events[0].value, events[0].value), text)
    return toks[:at] + [surface, metric] + toks[at + 1 :]


_PASSIVE_SIDE = {active: passive for passive, active in model.ACTIVE_SIDE.items()}


def _engaged(toks: list[Token]) -> list[Token]:
    """The two sides of a flag that has a passive one, each named beside the other: with the passive flag, a verb of
    taking part ('auto-reviewed without ever engaging') or the active flag's own word read as a PR verb ('never
    asked for a review', no pull request named) is the active side; with the active flag, 'passive' is the passive
    side ('code review users: active vs passive'). Elsewhere these words keep their reading."""
    flags = {t.value for t in toks if t.kind == "flag"}
    active = next((model.ACTIVE_SIDE[f] for f in flags if f in model.ACTIVE_SIDE), "")
    passive = next((_PASSIVE_SIDE[f] for f in flags if f in _PASSIVE_SIDE), "")
    if not active and not passive:
        return toks
    prs = any(t.kind == "pr" for t in toks)
    out: list[Token] = []
    for i, t in enumerate(toks):
        engaging = t.text in W.ENGAGE_WORDS and (t.kind == "unknown" or (
            t.kind == "metric" and not (i + 1 < len(toks) and toks[i + 1].kind == "entity")))
        own_word = t.kind == "prverb" and not prs and active and t.text in model.FLAGS_BY_NAME[active].phrases
        if active and (engaging or own_word):
            t = Token("flag", active, t.text)
        elif passive and t.kind == "unknown" and t.text in W.PASSIVE_WORDS:
            t = Token("flag", passive, t.text)
        out.append(t)
    return out


def _surface_named_twice(toks: list[Token]) -> list[Token]:
    """'copilot cli sessions': a surface just before one of its own measures only names the measure's surface."""
    return [t for i, t in enumerate(toks) if not (
        t.kind == "flag" and i + 1 < len(toks) and toks[i + 1].kind == "metric"
        and not t.text.endswith(("user", "users")) and model.SURFACE_MEASURES.get(str(toks[i + 1].value)) == t.value)]


def _dated_attributes(toks: list[Token]) -> list[Token]:
    """'a pending cancellation date', 'a last authentication date': the word 'date' names the attribute itself."""
    toks = [t for i, t in enumerate(toks) if not (
        t.kind == "entity" and t.value == "day" and t.text in ("date", "day", "time", "timestamp") and i > 0
        and toks[i - 1].kind == "attr" and toks[i - 1].value in _DATED)]
    # 'on what dates are the seats pending cancellation due to end': the dates asked are the attribute's own
    if any(t.kind == "attr" and t.value in _DATED and t.value[1] == "cancellation" for t in toks):
        toks = [t for i, t in enumerate(toks) if not (t.kind == "entity" and t.text in ("date", "dates") and not (
            i > 0 and toks[i - 1].text in ("by", "per", "each", "every")))]
    # 'last authentication': the sign-in attribute is the last one already
    return [t for i, t in enumerate(toks) if not (
        t.kind == "first" and t.text == "last" and i + 1 < len(toks) and toks[i + 1].value == ("seat", "signed_in"))]


_AS_OF = re.compile(rf"\bas (?:of|at) (?=(?:{_MONTHS_RE})\.? \d|\d{{1,2}}/\d|20\d\d-)")
def _several(text: str) -> str:
    """'several teams', '2 or more teams', '2+ seats': at least that many; 'on at least 5 of the 7 days last week': 5
    of the window's days."""
    text = _SEVERAL.sub(lambda m: f"at least {W.NUMBERS.get(m[1], m[1]) or m[2] or 2} ", text)
    return _N_OF_THE.sub(r"\1 \2", text)


_N_OF_THE = re.compile(r"\b(\d+) (?:out )?of the (?:\d+|" + "|".join(W.NUMBERS) + r") (days|weeks)\b")
_SEVERAL = re.compile(rf"\b(?:several|multiple|(\d+|{'|'.join(W.NUMBERS)}) or more|(?<!\w)(\d+)\+)\s(?=\w)")
_EXCLUDE_NEVER = re.compile(r"\b(?:leave out|leaving out|exclude|excluding|not counting|ignore|ignoring|skip|omit|"
                            r"omitting|drop|dropping)( all)?( those| the ones| people| seats| anyone| users| any)?"
                            r"( who| that| which)?( have| has)? never\b")
# 'leaving out languages that were never shown a suggestion': a double negation, the ones that received one
_EXCLUDE_NEVER_GIVEN = re.compile(
    r"\b(?:leave out|leaving out|exclude|excluding|not counting|ignore|ignoring|skip|skipping|omit|omitting|drop|"
    r"dropping)(?: all)?(?: the ones| those| (?:the |any )?[a-z]+)?(?: who| that| which)?"
    r" (?:(?:were|was|have|has|had)(?: been)? )?never (?:been )?(?:shown|offered|given|received|got|gotten|saw|seen)\b")
# how a user's state on a day is counted, said again: 'taking each user's latest known phase' (model.STATE_DIMENSIONS:
# a user counts under the latest value in the window); 'each user's first phase' is not this and stays to be refused
_LATEST_STATE = re.compile(r"\b(?:taking|using|counting|based on|going by|by|with|per|from) (?:each|every|a|the) "
                           r"(?:user|person|member|developer|dev) (?:latest|last|most recent|current|final)"
                           r"(?: known| recorded| reported| observed)? (?:ai )?(?:adoption )?(?:phase|stage)s?\b")
_ONCE = re.compile(r"\b(?:at least|more than zero times|even) (?:once|one time|1 time)\b")
# 'incl the ones who don't use copilot', 'whether or not they use it', 'active or not': everyone on a roster
_INCLUSIVE = re.compile(
    r"\b(?:(?:including|incl|inc|even|also|plus|counting)( all)? "
    r"(?:the ones|those|people|anyone|members|users|folks|ones|"
    r"the people|the members|the users)( who| that)?( do not| does not| did not| have not| has not| never| are not)"
    r"( actually| really)? (?:use|used|using|touch|touched|tried|active)( copilot| it)?"
    r"|whether or not (?:they|he|she|people|members) (?:use|used|are using|have used|are active)( copilot| it)?"
    r"|(?:active|using copilot|users|used it|used copilot) or not)\b")
# 'the previous week' after another window, where the window finder reads it as that same window again ('last week')
_PREVIOUS_UNIT = re.compile(r"(?<=\S )(?:the )?(?:previous|prior|preceding) (day|week|month)\b")
_DIFFERENCE_BETWEEN = re.compile(r"\b(?:difference|gap)\b((?: \S+){1,5}?) between\b")
_BETWEEN_TWO = re.compile(r"(?<!difference )(?<!gap )\bbetween\b")
_N_BEFORE = re.compile(rf"\b(?:(?:in|during|over) )?(?:the|those) (\d+|{'|'.join(W.NUMBERS)}) (days?|weeks?) "
                       r"(?:before|prior to|preceding) (?:that|it|then|those)\b")


# after a window already named, 'the previous 7 days', 'the preceding 2 weeks', 'the 30 days prior'
_PRIOR = re.compile(rf"\b(?:(?:in|during|over|to|with) )?(?:the |those )?(?:(?:previous|prior|preceding) "
                    rf"(\d+|{'|'.join(W.NUMBERS)}) (days?|weeks?)|(\d+|{'|'.join(W.NUMBERS)}) (days?|weeks?) "
                    r"(?:prior|before|earlier))\b(?! (?:to|that|it|then|those)\b| \w+ \d)")


# the days GitHub may still revise, named beside a window: 'in the last 3 days, the days that may still be revised'
_PROVISIONAL_ASIDE = re.compile(
    r"\b(?:(?:the|those|these|which are the) )?days? (?:that|which) (?:github )?(?:may|might|could|can|will) "
    r"(?:still |yet |later )?(?:be )?(?:revised|changed|updated|corrected|restated|adjusted)"
    r"(?: later| again| still| yet| by github)?\b|\b(?:(?:the|those|these) )?provisional days\b")


def _provisional_aside(rest: str, windows: list[Window], as_of: date) -> str:
    """An aside naming the provisional days beside the window that is exactly those days says nothing more (any other
    window is left with it, to be refused)."""
    provisional = (as_of - timedelta(days=PROVISIONAL_DAYS - 1), as_of)
    if len(windows) == 1 and (windows[0].start, windows[0].end) == provisional and _PROVISIONAL_ASIDE.search(rest):
        return _PROVISIONAL_ASIDE.sub(" ", rest)
    return rest


_TO_DATE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in W.TO_DATE) + r")\b")


def _to_date(rest: str, windows: list[Window]) -> str:
    """'so far in november', 'october to date', 'since oct 5 so far': beside one named window, the words that end it
    at the latest loaded day say nothing more (every window ends there already); with no window, or several, they
    are left to be read (all the data, or refused)."""
    if len(windows) == 1 and windows[0].start is not None and _TO_DATE.search(rest):
        return _TO_DATE.sub(" ", rest)
    return rest


def _counted_before(text: str, as_of: date) -> tuple[str, tuple[str, str] | None]:
    """'the 7 days before that', or 'the previous 7 days' after another window: taken out before the window
    finder (which would read 'in the 7 days' as the last 7), as (number, unit)."""
    m = _N_BEFORE.search(text)
    if m:
        return text[: m.start()] + " " + text[m.end():], (m[1], m[2])
    m = _PRIOR.search(text)
    if m and find_windows(text[: m.start()], as_of)[1]:
        return text[: m.start()] + " " + text[m.end():], (m[1] or m[3], m[2] or m[4])
    return text, None


_SAME_SPAN = rf"(?:the |that )?same (?:{'|'.join(W.SAME_SPANS)}),?"
_BACK_UNIT = r"(?:a|one|1) (year|month) (?:earlier|before|prior|back)"
_SHIFTED = re.compile(rf"\b(?:(?:in|during|over|for|with|to|against|from) )?(?:"
                      rf"{_SAME_SPAN} (?:(?:in|of|from|during) )?(?:last|the previous|the prior) (year|month)"
                      rf"|{_SAME_SPAN} (?:{_BACK_UNIT}|(?:a|one|1) (year|month) ago)"
                      rf"|{_SAME_SPAN} (?:(?:in|of) )?the (year|month) before"
                      rf"|{_BACK_UNIT}|the (year) before)\b")


def _shifted_back(text: str) -> tuple[str, str | None]:
    """'october vs the same period last year', 'a year earlier', 'the year before': taken out before the window
    finder (which would read 'last year' as the calendar year), as the unit to move the window named back by."""
    m = _SHIFTED.search(text)
    if m is None:
        return text, None
    return text[: m.start()] + " " + text[m.end():], next(g for g in m.groups() if g)


def _moved_back(rest: str, windows: list[Window], unit: str | None) -> tuple[str, list[Window]]:
    """The one window named and the same dates a year (a month) earlier; a whole month stays a whole month. With no
    window, or several, 'before' is left to be refused."""
    if unit is None:
        return rest, windows
    if len(windows) != 1 or windows[0].start is None or windows[0].end is None:
        return rest + " before", windows
    w, months = windows[0], 12 if unit == "year" else 1
    start = _months_back(w.start, months)  # type: ignore[arg-type]
    whole = w.start.day == 1 and (w.end + timedelta(days=1)).day == 1  # type: ignore[union-attr,operator]
    end = _months_back(w.end + timedelta(days=1), months) - timedelta(days=1) if whole else \
        _months_back(w.end, months)  # type: ignore[operator,arg-type]
    label = f"{_MONTH_NAMES[start.month - 1].title()} {start.year}" if whole and (start.month, start.year) == (
        end.month, end.year) else f"the same days {'a year' if months == 12 else 'a month'} earlier"
    return rest, [w, Window(start, end, label)]


def _months_back(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m + 1, day)
        except ValueError:
            continue
    raise AssertionError(d)


def _before(rest: str, windows: list[Window], counted: tuple[str, str] | None) -> tuple[str, list[Window]]:
    """'last week ... the week before': the period of the same length just before the one named."""
    phrase = "" if counted else next((p for p in W.BEFORE if p in rest), None)
    if (phrase is None and not counted) or len(windows) != 1 or windows[0].start is None or windows[0].end is None:
        return rest + (" before" if counted else ""), windows  # nothing to count back from: left to be refused
    w = windows[0]
    end = w.start - timedelta(days=1)
    if counted:  # 'the last 7 days ... the 7 days before that': that many days just before the one named
        n = int(counted[0]) if counted[0].isdigit() else W.NUMBERS[counted[0]]
        start = end - timedelta(days=n * W.UNITS[counted[1]] - 1)
        label = f"the previous {n} {counted[1]}"
    elif W.BEFORE[phrase] == "month" and w.start.day == 1:
        start = end.replace(day=1)
        label = f"{_MONTH_NAMES[start.month - 1].title()} {start.year}"
    else:
        start = end - (w.end - w.start)
        label = f"the previous {W.BEFORE[phrase]}" if w.end - w.start == timedelta(W.UNITS[W.BEFORE[phrase]] - 1) \
            else f"{start}..{end}"
    return (rest.replace(phrase, " ") if phrase else rest), [w, Window(start, end, label)]


def _scan(ws: list[str], table: dict[str, tuple], vocab: Index,
          shadowed: dict[str, tuple] | None = None) -> tuple[list[Token], list[str]]:
    out: list[Token] = []
    fixes: list[str] = []
    i = 0
    while i < len(ws):
        for n in range(min(MAX_PHRASE, len(ws) - i), 0, -1):
            phrase = " ".join(ws[i : i + n])
            shadow = _shadow_reading(ws, i, n, shadowed) if shadowed and phrase in shadowed else None
            if shadow is not None:
                out.append(shadow)
                i += n
                break
            if phrase in table:
                kind, value = table[phrase]
                out.append(Token(kind, value, phrase))
                i += n
                break
        else:
            out.append(_word(ws[i], table, vocab, fixes))
            i += 1
    return [t for t in out if t.kind != "filler"], fixes


def _word(w: str, table: dict[str, tuple], vocab: dict[tuple[str, int], list[str]], fixes: list[str]) -> Token:
    if w.isdigit():
        return Token("num", int(w), w)
    if w in W.FILLER or not any(c.isalnum() for c in w):
        return Token("filler", w, w)
    if w in W.RELATION_VERBS:
        return Token("relverb", w, w)  # placed or blocked by _relation_verbs
    if w in W.WRITE_VERBS:
        return Token("write", w, w)
    doer = _doer(w, table)
    if doer is not None:
        return Token("doer", doer, w)
    base = _stem(w, table) or _near(w, vocab)
    if base is None and filler_typo(w) is not None:
        fixes.append(f"'{w}' read as '{filler_typo(w)}'")
        return Token("filler", w, w)
    if base is not None:
        if base != w and _stem(w, table) is None:
            fixes.append(f"'{w}' read as '{base}'")
        kind, value = table[base]
        return Token(kind, value, w)
    return Token("unknown", w, w)


def _doer(word: str, table: dict[str, tuple]) -> str | None:
    """An agent noun of a measure ('prompters', 'accepters'): the measure whose doers it names."""
    if not word.endswith(("ers", "er")) or word in table:
        return None
    base = word[: -3 if word.endswith("ers") else -2]
    for form in (base + "s", base, base + "es"):
        if table.get(form, ("",))[0] == "metric" and table[form][1] in model.SUM_COLUMN:
            return str(table[form][1])
    return None


def corrected(question: str, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """The normalised question with each unknown word near a vocabulary word replaced by that word."""
    text = normalise(question)
    table, vocab = _vocabulary(tuple((k, tuple(v)) for k, v in sorted(values.items())), logins)
    out = []
    if any(t.kind == "metric" and t.value in model.ROSTER_MEASURES for t in _scan(text.split(), table, vocab)[0]):
        text = re.sub(r"\s+", " ", _INCLUSIVE.sub(" ", text)).strip()  # the roster is counted whole already
    contentless = _contentless(text, table, vocab)
    if "apart" in text.split() and apart_placed(_scan(text.split(), table, vocab)[0]):
        contentless["apart"] = contentless.get("apart", 0) + text.split().count("apart")
    for w in text.split():
        if contentless.get(w):  # a hedge, relation verb or restating noun: see words.py and model.RESTATING_NOUNS
            contentless[w] -= 1
            continue
        known = w in table or w in W.FILLER or w in KNOWN_ELSEWHERE or _stem(w, table) is not None
        out.append(w if known else (_near(w, vocab) or w))
    fixed = _referred_back(" ".join(out), logins)
    plain = not _abbreviated(question) and not _PLAIN.search(question.lower()) and \
        not _RANK_SIZE.search(question.lower()) and not _INCLUSIVE.search(question.lower()) and \
        _unframed(question.lower()) == question.lower()
    return question if fixed == normalise(question) and plain else fixed


_GROUP_OF_PEOPLE = re.compile(rf"\b(?:{_PEOPLE_NOUNS}|everyone|anyone|who|whom|each|every|all)\b")


def _referred_back(text: str, logins: frozenset[str]) -> str:
    """A pronoun after the one person the question names, as that person ('how many did she send' is how many
    elena-yilmaz sent); with two people named, or a group ('users ... they'), it is left as it is."""
    words = text.split()
    named = [i for i, w in enumerate(words) if w in logins]
    if len({words[i] for i in named}) != 1:
        return text
    pronouns = W.PRONOUNS if _GROUP_OF_PEOPLE.search(text) else W.PRONOUNS | W.PLURAL_PRONOUNS
    person = words[named[0]]
    return " ".join(person if i > named[0] and w in pronouns else w for i, w in enumerate(words))


def _contentless(text: str, table: dict[str, tuple], vocab: Index) -> dict[str, int]:
    """The words of a normalised question that carry no content by their class (hedges, relation verbs beside a
    measure, nouns restating a value or measure), with how often each occurs: what the phrase reader is spared."""
    toks, _ = _scan(text.split(), table, vocab)
    kept = [t.text for t in _restating_nouns(_relation_verbs(toks))]  # a blocked verb is kept (as unknown)
    dropped = [w for w in dict.fromkeys(t.text for t in toks) if " " not in w
               for _ in range([t.text for t in toks].count(w) - kept.count(w))]
    dropped += [w for w in text.split() if w in W.HEDGES]
    return {w: dropped.count(w) for w in dropped}


def _abbreviated(question: str) -> bool:
    return any(w.strip("?.!,").lower() in W.ABBREVIATIONS for w in question.split())


# words the phrase reader knows that the vocabulary above does not: never "corrected"
KNOWN_ELSEWHERE: frozenset[str] = frozenset(MONTHS) | frozenset(W.WEEKDAYS) | frozenset(
    "every each least accept stats shown prompted weekday weekdays weekend weekends".split())
