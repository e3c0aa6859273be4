"""SQL text read by DuckDB's own lexer and parser: is typed text SQL, and where its tokens start."""

from __future__ import annotations

import re

_SQL_START = re.compile(r"(?is)^\s*(select\s|with\s+(recursive\s+)?\w+\s*(\([^)]*\)\s*)?as\s*\(|from\s+\w+)")


def is_sql(text: str) -> bool:
    """Whether typed text is SQL (starts like a query and DuckDB's parser accepts it) rather than a question."""
    if not _SQL_START.match(text):
        return False
    from assistant.store.engine import duckdb  # only for text that starts like SQL: a question never loads DuckDB

    try:
        statements = duckdb.extract_statements(text.strip().rstrip(";"))
    except duckdb.Error:
        return False
    return bool(statements)  # more than one statement still goes to the guard, which says why it refuses


def tokens(sql: str) -> list[tuple[int, str, str]]:
    """(start, kind, text) of each token as DuckDB's tokenizer reads `sql`; kind is e.g. operator or comment.

    DuckDB gives each token's start and kind; a token's text runs to the next one's start, less space.
    Raises QueryError for text DuckDB cannot tokenize.
    """
    from assistant.errors import QueryError
    from assistant.store.engine import duckdb

    try:
        found = [(start, kind.name) for start, kind in duckdb.tokenize(sql)]
    except duckdb.Error as e:
        raise QueryError(f"Cannot read the SQL: {e}") from e
    ends = [start for start, _ in found[1:]] + [len(sql)]
    return [(start, kind, sql[start:end].rstrip()) for (start, kind), end in zip(found, ends, strict=True)]
