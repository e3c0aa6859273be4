"""Saving an answer as a query: a window that ends at the latest day becomes a `:days` parameter; checked first."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from assistant.config import Settings
from assistant.contracts import Answer
from assistant.errors import GuardError
from assistant.saved.files import SavedQuery, SavedQueryError, save_query
from assistant.saved.params import bind_params, fixed_dates
from assistant.semantic.catalog import QUERYABLE

ANCHOR = "(SELECT max(day) FROM user_daily)"
_WINDOW = re.compile(r"BETWEEN\s+DATE\s*'(\d{4}-\d{2}-\d{2})'\s+AND\s+DATE\s*'(\d{4}-\d{2}-\d{2})'", re.I)


def relative_window(sql: str, as_of: date | None) -> tuple[str, dict[str, str]] | None:
    """The SQL with its window(s) ending at `as_of` anchored at the latest day as `:days`, when every fixed date
    belongs to such a window of one length; else None (the SQL stays pinned to its dates)."""
    if as_of is None:
        return None
    spans = {(date.fromisoformat(a), date.fromisoformat(b)) for a, b in _WINDOW.findall(sql)}
    if not spans or any(end != as_of for _, end in spans) or len({end - start for start, end in spans}) != 1:
        return None
    start, end = next(iter(spans))
    rewritten = _WINDOW.sub(f"BETWEEN {ANCHOR} - INTERVAL (:days - 1) DAY AND {ANCHOR}", sql)
    if _FIXED.search(rewritten):
        return None  # other fixed dates remain: a half-relative query would mislead
    return rewritten, {"days": str((end - start + timedelta(days=1)).days)}


_FIXED = re.compile(r"(?i)\b(?:DATE|TIMESTAMP)\s*'\d{4}-\d{2}-\d{2}")


def guard_check(query: SavedQuery) -> None:
    """Refuse to save SQL the guard would refuse to run (with the parameters at their defaults)."""
    from assistant.store.guard import check_sql  # DuckDB's parser, only when a query is saved

    try:
        check_sql(bind_params(query, {}), QUERYABLE)
    except GuardError as e:
        raise SavedQueryError(f"Not saved: {e.message}", hint=e.hint) from e


def save_answer(settings: Settings, name: str, answer: Answer, *, source: str, overwrite: bool = False
                ) -> tuple[Path, str | None]:
    """Save an answer's question and SQL; the path, and a note when the query stays pinned to fixed dates."""
    relative = relative_window(answer.sql, answer.as_of)
    sql, params = relative if relative else (answer.sql, {})
    path = save_query(settings, name, answer.question, sql, source=source, params=params,
                      overwrite=overwrite, check=guard_check)
    if relative:
        return path, f"The window is a parameter: days={params['days']} (re-run with --param days=N)."
    pinned = fixed_dates(SavedQuery(name, answer.question, sql))
    if pinned:
        return path, (f"Pinned to fixed dates ({', '.join(pinned)}): it reads the same days on new data. "
                      f"Edit {path} to anchor the window at {ANCHOR}.")
    return path, None
