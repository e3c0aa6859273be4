"""Re-running a saved query on the current data, through the guard and the limits; no model involved."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.errors import GuardError, QueryError, QueryStopped

if TYPE_CHECKING:
    from assistant.contracts import Answer, SqlRunner

from assistant.saved.files import SavedQuery, SavedQueryError
from assistant.saved.params import bind_params


def run_saved(session: "SqlRunner", query: SavedQuery, overrides: dict[str, str] | None = None, *,
              max_rows: int | None = None) -> "Answer":
    """Re-run a saved query on the current data through the guard and the limits; no model involved."""
    sql = bind_params(query, overrides or {})
    try:
        return session.run_sql(sql, question=query.question, backend=f"saved:{query.name}", max_rows=max_rows)
    except (GuardError, QueryError) as e:
        missing = _missing_name(e.message)
        if missing is None:
            if isinstance(e, QueryStopped):
                raise
            raise type(e)(
                f"Saved query '{query.name}' ({query.where}) failed: {e.message}",
                hint=f"{e.hint + ' ' if e.hint else ''}Edit {query.path or 'the query file'} to fix it.",
            ) from e
        raise SavedQueryError(
            f"Saved query '{query.name}' no longer fits the database: {missing} ({query.where})."
            f"\n{e.message}",
            hint=(
                f"Edit {query.path} to use the current tables and columns (see `cma schema`)."
                + (f" {e.hint}" if e.hint else "")
            ),
        ) from e


_MISSING = (
    (re.compile(r'(?:Referenced column|column named) "([^"]+)"'), "unknown column '{}'"),
    (re.compile(r"unknown table '([^']+)'"), "unknown table '{}'"),
    (re.compile(r"Table with name (\S+) does not exist"), "unknown table '{}'"),
)


def _missing_name(message: str) -> str | None:
    for pattern, template in _MISSING:
        m = pattern.search(message)
        if m:
            return template.format(m.group(1))
    return None
