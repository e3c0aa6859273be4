"""A saved query in another SQL dialect (postgres, bigquery, snowflake, spark), with what needs a check."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from assistant.saved.files import SavedQuery, SavedQueryError, _one_line
from assistant.saved.params import bind_params


def export_query(query: SavedQuery, dialect: str, overrides: dict[str, str] | None = None) -> str:
    """The query transpiled from DuckDB to another warehouse's dialect, with a note on the tables it needs."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    sql = bind_params(query, overrides or {})
    warnings = _SqlglotWarnings()
    logger = logging.getLogger("sqlglot")
    logger.addHandler(warnings)
    propagate, logger.propagate = logger.propagate, False  # the warnings go into the output, not stderr
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
        out = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
    except SqlglotError as e:
        raise SavedQueryError(
            f"Cannot translate '{query.name}' to {dialect}: {e}", hint=f"Edit {query.where}."
        ) from e
    finally:
        logger.removeHandler(warnings)
        logger.propagate = propagate
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    tables = sorted({t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes})
    notes = "".join(f"-- Check by hand: {_one_line(m)}\n" for m in dict.fromkeys(warnings.messages))
    return (
        f"-- {query.name}: {_one_line(query.question)}\n"
        f"-- Translated from DuckDB to {dialect} by cma. The tables ({', '.join(tables)}) must exist in\n"
        "-- your warehouse with the same columns (see `cma schema`); relative windows are anchored at the\n"
        "-- latest day in user_daily.\n" + notes + out + ";\n"
    )


class _SqlglotWarnings(logging.Handler):
    """Collects what sqlglot says it could not translate."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
