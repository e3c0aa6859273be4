"""Two questions in one sentence: 'how many PRs did Copilot review in August, and how many of those were merged?'.

Plain sentences often ask two things joined by 'and': two totals, two counts, or two measures of each value of one
dimension ('for each IDE, how many users used it last week, and what was its acceptance rate'). Each clause is read
as a question of its own; what the second leaves out is what the first said (its window, its opening 'for ...'
clause, and the thing 'those' points back at), and the two answers are put side by side: one row for two single
figures, one row per value for two breakdowns by the same dimension. When either clause cannot be read alone the
sentence is not split (the caller refuses it whole: never half an answer).
"""

from __future__ import annotations

import re

# the joint between the two questions: ', and how many ...', ' and what was ...', '; how much ...'
_JOINT = re.compile(r"(?:,\s*|;\s*|\s+)and\s+(?=(?:how many|how much|what|which|when|who|on how many)\b)|;\s+"
                    r"(?=(?:how many|how much|what|which|when|who)\b)", re.I)
# an opening 'for ...' clause that scopes both ('for each team, ...', 'for code completions in python during august, ')
_OPENING = re.compile(r"^\s*((?:for|among|across|within|in|on|during|over)\b[^,?]{2,80}),\s*", re.I)
# words in the second clause that only point back at the first: 'of those', 'of them', 'in that time', 'its'
_POINTERS = (
    (re.compile(r"\bof (?:those|them|these|the same)(?: ones)?\b\s*", re.I), ""),
    (re.compile(r"\b(?:in|during|over|for|within|across)\s+(?:that|the same|that same|this same|this)\s+"
                r"(?:time|period|week|month|day|window|span|days|weeks|months|time frame)\b", re.I), ""),
    (re.compile(r"\b(?:that|the same) (?:week|month|period|day|time)\b", re.I), ""),
    (re.compile(r"\b(?:its|their)\s+(?=\w)", re.I), ""),
    (re.compile(r"\s*\b(?:in total|altogether|overall|in all)\b", re.I), ""),  # beside the first: over its window
    (re.compile(r"\s+(?:it|them|they)(?=\s+(?:in|during|over|on|\?|$))", re.I), ""),
)
_THOSE_NOUN = re.compile(r"\bof (?:those|them|these) ((?:[\w-]+ ){0,3}?)(?:were|was|had|have|has|did|do|came|come|got|"
                         r"are|is|used|sent)\b", re.I)
_EACH = re.compile(r"\b(?:each|every one|everyone)\b", re.I)
_FIRST_COLUMN = re.compile(r"^SELECT\s+(?:[\w.]+\.)?(\w+)(?:\s+AS\s+(\w+))?\s*,", re.I)


def split(question: str) -> tuple[str, str] | None:
    """The two questions of a sentence that asks two (the second with its pointers back taken out), or None."""
    text = question.strip().rstrip("?.! ")
    opening = _OPENING.match(text)
    prefix, body = (opening[1] + ", ", text[opening.end():]) if opening else ("", text)
    joints = list(_JOINT.finditer(body))
    if len(joints) != 1:
        return None
    first, second = body[: joints[0].start()].strip(" ,;"), body[joints[0].end():].strip(" ,;")
    named = _THOSE_NOUN.search(second)
    if named and named[1] and named[1].split()[-1].lower().rstrip("s") not in first.lower():
        return None  # 'how many prompts, and how many of those users ...': 'those' names something else
    for pattern, repl in _POINTERS:
        second = pattern.sub(repl, second)
    second = re.sub(r"\s{2,}", " ", second).strip()
    if len(first.split()) < 2 or len(second.split()) < 2 or _EACH.search(second):
        return None  # '..., and how many did each of them send': a figure per person listed first, not a second figure
    return prefix + first, prefix + second


def first_column(sql_text: str) -> str | None:
    """The name of a breakdown's first column (its group), as the SQL names it."""
    m = _FIRST_COLUMN.match(sql_text.strip())
    return (m[2] or m[1]) if m else None


def side_by_side(first: str, second: str, group: str) -> str:
    """The two answers as one: a row of both figures, or both measures joined on the group's column."""
    if not group:
        return f"SELECT * FROM ({first}) AS a, ({second}) AS b"
    return (f"SELECT a.*, b.* EXCLUDE ({group}) FROM ({first}) AS a LEFT JOIN ({second}) AS b USING ({group}) "
            f"ORDER BY a.{group}")
