"""A query's result as it crosses from the query process to the caller (no DuckDB import: the caller needs none)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """The first rows of a query's result, and how many rows it produced in total."""

    columns: list[str]
    rows: list[tuple]
    row_count: int
    truncated: bool
    elapsed_s: float
    sql: str = ""  # the SQL as it ran: what the guard returned (trimmed), set by the query process
