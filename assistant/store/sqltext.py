"""Whether text typed at the prompt is SQL: a cheap pattern first, DuckDB's parser only for text that matches it."""

from __future__ import annotations

import re

_SQL_START = re.compile(r"(?is)^\s*(select\s|with\s+(recursive\s+)?\w+\s*(\([^)]*\)\s*)?as\s*\(|from\s+\w+)")


def is_sql(text: str) -> bool:
    """Whether typed text is SQL (starts like a query and DuckDB's parser accepts it) rather than a question."""
    if not _SQL_START.match(text):
        return False
    import duckdb  # only for text that starts like SQL: a plain question never loads DuckDB in this process

    try:
        statements = duckdb.extract_statements(text.strip().rstrip(";"))
    except duckdb.Error:
        return False
    return bool(statements)  # more than one statement still goes to the guard, which says why it refuses
