"""A value's standing: 'what rank is mobile-apps by prompts' is mobile-apps' rank among the teams by prompts.

The question reads as the value's own total (one value or person, one measure); its dimension's breakdown is ranked
and filtered back to the value. Anything else with a standing word is refused: never the plain total.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.errors import CannotAnswer
from assistant.offline.reader import words as W
from assistant.offline.reader.frame import Frame
from assistant.offline.reader.tokens import Reading

UNPLACED = ("I can give one team's, IDE's, language's, model's, feature's or person's rank by one measure "
            "('what rank is mobile-apps by prompts'), but I could not place this one, and won't give its total "
            "instead.")
_RANKED_KINDS = frozenset({"top", "ordinal", "num", "cmp", "diff", "avg", "rank", "sort", "vs", "neg"})


def standing_words(reading: Reading) -> list[str]:
    """The unplaced words that ask for a place in a ranking."""
    return [w for w in reading.unknown if w in W.STANDING_WORDS]


# the question words that ask for the place itself when they open the question: 'where does vscode rank by ...'
_ASKING_PLACE = frozenset({"where", "how"})


def without_standing(reading: Reading) -> Reading:
    """The reading without its standing words (and the 'where' or 'how' opening the question that asks for one)."""
    toks = reading.tokens
    opening = 1 if toks and (toks[0].kind, toks[0].text) in {("unknown", w) for w in _ASKING_PLACE} else 0
    kept = tuple(t for t in toks[opening:] if not (t.kind == "unknown" and t.text in W.STANDING_WORDS))
    return Reading(kept, reading.windows, reading.notes, reading.text)


def ranked_frame(reading: Reading, total: Frame | None) -> Frame:
    """The breakdown to rank: the value's own total, grouped by the value's dimension instead of filtered to it."""
    if total is None or total.entity != "measure" or total.shape != "total" or len(total.asked) != 1 or \
            any(t.kind in _RANKED_KINDS for t in reading.tokens) or len(reading.windows) > 1:
        raise CannotAnswer(UNPLACED, hint="Ask 'rank the teams by prompts' to see every place.")
    named = [c for c in total.conditions if c.kind in ("value", "login") and c.positive]
    if len(named) != 1 or any(c.name == named[0].name for c in total.conditions if c is not named[0]):
        raise CannotAnswer(UNPLACED, hint="Name one value or person, and one measure to rank by.")
    rest = tuple(c for c in total.conditions if c is not named[0])
    return replace(total, shape="ranking", conditions=rest, group=named[0].name, order="desc", limit=0, offset=0)


_FIRST_COLUMN = re.compile(r"^SELECT (\w+), .*? AS (\w+)\b", re.S)


def filtered_back(text: str, value: str) -> str:
    """The ranking's SQL with each group's rank (ties share one), kept to the value's row."""
    m = _FIRST_COLUMN.match(text)
    if m is None:
        raise CannotAnswer(UNPLACED, hint="Ask for the whole ranking instead.")
    quoted = value.replace("'", "''")
    return (f"SELECT * FROM (SELECT *, rank() OVER (ORDER BY {m[2]} DESC NULLS LAST) AS rank FROM ({text}) AS ranked) "
            f"AS r WHERE {m[1]} = '{quoted}'")
