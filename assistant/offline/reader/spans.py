"""Daily, weekly and monthly active users read as one number where the question asks for one.

'weekly active users last week' is the people active in those 7 days (one number), not the calendar weeks the
window touches; 'what's our wau' is the people active in the latest 7 days; 'wau by week' or 'weekly active users
in october' stay a series, one value per week. GitHub's own figures ('per github's totals') are left alone: the
aggregate report states them per day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.offline.reader.tokens import read
from assistant.semantic import model

# the span of each figure in days, and the window that is its latest span
_SPAN = model.USER_FIGURE_DAYS
_LATEST = {1: "on the latest day", 7: "in the last 7 days", 28: "in the last 28 days"}
_FIGURE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, model.ENTITY_USER_FIGURES), key=len, reverse=True))
                     + r")s?\b", re.I)
# words that ask for the series or that name GitHub's own figure (its report): the question is left as it is
_SERIES = re.compile(r"\b(?:by|per|each|every|for each|over time|trend|trends|trending|series|chart|graph|plot|"
                     r"daily|weekly|monthly|week over week|month over month|github|github's|aggregate|report|reported|"
                     r"according|dashboard)\b", re.I)
_ASKS_ONE = re.compile(r"^\s*(?:what(?:'s|s|\u2019s| is| was| are| were)|how many|tell me|give me|show me|current)\b|"
                       r"^\s*(?:our |the |current )?(?:dau|wau|mau)\s*[?.!]*\s*$", re.I)


def spans_as_windows(question: str, as_of: date, values: dict[str, list[str]], logins: frozenset[str]) -> str:
    """The question with one daily/weekly/monthly active-user figure spelled as active users in a window, where the
    window is the figure's own span; the question unchanged otherwise."""
    found = _FIGURE.findall(question)
    if len(found) != 1 or _SERIES.search(_FIGURE.sub(" ", question)):
        return question
    span = _SPAN[model.ENTITY_USER_FIGURES[found[0].lower()]]
    windows = read(_FIGURE.sub("active users", question), as_of, values, logins).windows
    if not windows:
        return _FIGURE.sub(f"active users {_LATEST[span]}", question) if _ASKS_ONE.search(question) else question
    if len(windows) == 1 and _spans(windows[0].start, windows[0].end or as_of, span):
        return _FIGURE.sub("active users", question)
    return question


def _spans(start: date | None, end: date, span: int) -> bool:
    """Whether a window is one span long: a day, 7 days, or a calendar month (or 28 to 31 days)."""
    if start is None:
        return False
    days = (end - start).days + 1
    if span == 28:
        whole_month = start.day == 1 and (end + timedelta(days=1)).month != end.month
        return whole_month or 28 <= days <= 31 or (start.day == 1 and start.month == end.month)
    return days == span
