"""An opening clause that only says why the question is asked: 'I am preparing a report for leadership: what was ...'.

Plain sentences often open with their purpose ('for our board deck, ...', 'given the data we have loaded, ...').
Such a clause names nothing the reader counts, filters or dates; it is dropped when it holds a word that says it
is a purpose (a report, a review, a meeting, planning) and otherwise only words the reader does not know, and
when the rest is a question the reader reads in full. A clause with any content (a measure, a value, a window, a
negation, a number) is kept, and its unknown words refuse as before.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.offline.reader.tokens import read

# the opening clause, up to the first comma, colon, semicolon or dash after it
_OPENING = re.compile(r"^\s*([^,:;?!()]{3,100}?)\s*(?:[,:;]|\s-+)\s+(?=\S)")
# words that say the clause is a purpose or a circumstance, not part of what is asked
PURPOSE_WORDS = frozenset(
    """preparing prepare prep report reporting review reviews purposes purpose context planning plan planned budget
    budgeting board deck slide slides presentation meeting meetings leadership management managers execs executive
    executives understand understanding curious wondering wonder trying help helping given background retro
    retrospective quarterly okr okrs offsite update standup""".split()
)


def without_preamble(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """The question without an opening clause that only says why it is asked (see the module's docstring)."""
    m = _OPENING.match(question)
    if not m or not PURPOSE_WORDS & set(re.findall(r"[a-z]+", m[1].lower())):
        return question
    opening = read(m[1], as_of, values, logins)
    if opening.windows or any(t.kind != "unknown" for t in opening.tokens):
        return question  # the clause says something the answer must keep
    rest = question[m.end():]
    if read(rest, as_of, values, logins).unknown:
        return question
    return rest
