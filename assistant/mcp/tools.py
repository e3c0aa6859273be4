"""What each MCP tool computes, without the SDK: describe the data, run guarded SQL, ask, saved queries, schema.

Every call goes through one `Session` on a read-only connection, the same guard, row cap and time
limit as `/sql`. The connection is closed after each call so `cma load` can write between calls, and
the context (coverage, values) is rebuilt when the database file changes. Nothing here writes.
"""

from __future__ import annotations

import difflib
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from assistant.config import Settings
from assistant.engine.session import Session
from assistant.errors import AssistantError, ConfigError
from assistant.mcp.results import DATA_NOTICE, answer_result, clean_text, clean_value
from assistant.saved.files import load_query, scan_queries
from assistant.saved.run import run_saved
from assistant.semantic import catalog
from assistant.semantic import metrics as semantic

DEFAULT_MAX_ROWS = 100
MAX_ROWS_LIMIT = 1000


class Workspace:
    """One database seen by the server: a read-only Session, used by one tool call at a time."""

    def __init__(self, settings: Settings) -> None:
        # offline always: `ask` is the built-in translator's checked answer, never a call to another model
        self.settings = settings.with_overrides(offline=True)
        self._session = Session(self.settings)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The session for one call, its context fresh if the file changed; the connection closed after."""
        with self._lock:
            stamp = _file_stamp(self.settings.db)
            if stamp != self._stamp:  # new data was loaded: a new session reads the context again
                self._session.close()
                self._session = Session(self.settings)
                self._stamp = stamp
            try:
                yield self._session
            finally:
                self._session.close()

    def warm_up(self) -> None:
        """Read the context now, so the first tool call does not pay for it (the guard runs in the query process)."""

        try:
            with self.session() as session:
                session.context()
        except AssistantError:
            pass  # the tool call that needs it reports the same error with its hint


def _file_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime, size) of the database file, or None when there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


# --- describe_data and schema ---------------------------------------------------------------------
def describe_data(ws: Workspace) -> dict[str, Any]:
    """Coverage, value lists, tables and columns, metric definitions, join rules and caveats."""
    with ws.session() as session:
        ctx = session.context()
    cov = ctx.coverage.to_json()
    cov.pop("imports", None)
    return {
        "as_of": ctx.as_of.isoformat() if ctx.as_of else None,
        "coverage_line": ctx.coverage_line(),
        "coverage": {
            **{k: cov[k] for k in ("first_day", "last_day", "days", "provisional_from", "users", "teams", "seats")},
            "missing_days": cov["missing_days"],
            "entity_days": [cov["entity_first_day"], cov["entity_last_day"]],
            "table_rows": cov["tables"],
        },
        "relative_dates": "Anchor relative dates at as_of (the latest day in the data), never today's date: "
                          "last N days is day > (SELECT max(day) FROM user_daily) - INTERVAL N DAY.",
        "values_notice": DATA_NOTICE.replace("columns and rows", "these values"),
        "values": {name: [clean_text(v) for v in vals] for name, vals in sorted(ctx.values.items())},
        "tables": [_table_summary(t) for t in catalog.ALL if t.in_prompt],
        "metrics": [_metric(m) for m in semantic.METRICS],
        "join_rules": list(semantic.JOIN_RULES),
        "caveats": list(semantic.CAVEATS),
        "duckdb_notes": list(semantic.DUCKDB_NOTES),
        "cannot_answer": dict(semantic.UNANSWERABLE),
        "sql_rules": "One read-only SELECT (WITH ... SELECT is fine) over the tables above, DuckDB dialect. "
                     "No files, URLs, ATTACH, COPY, PRAGMA or settings.",
    }


def _table_summary(t: catalog.Table) -> dict[str, Any]:
    """A table's name, kind, meaning, key and columns ("TYPE: meaning"), prompt columns only."""
    out: dict[str, Any] = {"name": t.name, "kind": "view" if t.is_view else "table", "doc": t.doc}
    if t.key and not t.is_view:
        out["key"] = list(t.key)
    out["columns"] = {c.name: f"{c.type}: {c.doc}" for c in t.columns if c.in_prompt}
    return out


def _metric(m: semantic.Metric) -> dict[str, str]:
    return {"name": m.name, "label": m.label, "definition": m.definition, "sql": m.sql, "table": m.table,
            "unit": m.unit}


def schema(table: str) -> dict[str, Any]:
    """One table's meaning, key, every column with type, meaning and export source, and a view's SQL."""
    t = catalog.BY_NAME.get(table.strip().lower())
    if t is None:
        near = difflib.get_close_matches(table.strip().lower(), list(catalog.BY_NAME), n=1)
        raise ConfigError(f"No table or view named '{table}'.",
                          hint=f"Did you mean '{near[0]}'?" if near else
                          "The tables: " + ", ".join(t.name for t in catalog.ALL))
    out: dict[str, Any] = {"name": t.name, "kind": "view" if t.is_view else "table", "doc": t.doc,
                           "key": list(t.key),
                           "columns": [{"name": c.name, "type": c.type, "meaning": c.doc,
                                        **({"source": c.source} if c.source else {})} for c in t.columns]}
    if t.is_view:
        out["view_sql"] = t.ddl()
    if t.derived_sql:  # a table every load rebuilds from this SELECT
        out["derived_sql"] = t.derived_sql.strip()
    metrics = [m.name for m in semantic.METRICS if m.table == t.name]
    if metrics:
        out["metrics"] = metrics
    return out


# --- queries --------------------------------------------------------------------------------------
def run_sql(ws: Workspace, sql: str, max_rows: int = DEFAULT_MAX_ROWS) -> dict[str, Any]:
    """One guarded read-only SELECT: columns, rows (data), row count, truncation and the coverage line."""
    limit = min(_row_cap(max_rows), ws.settings.max_rows)  # never past the configured cap (CMA_MAX_ROWS)
    with ws.session() as session:
        answer = session.run_sql(sql, max_rows=limit)
    return answer_result(answer)


def _row_cap(max_rows: int) -> int:
    if not 1 <= max_rows <= MAX_ROWS_LIMIT:
        raise ConfigError(f"max_rows must be between 1 and {MAX_ROWS_LIMIT}, got {max_rows}.",
                          hint="Aggregate in SQL rather than reading many rows.")
    return max_rows


def ask(ws: Workspace, question: str) -> dict[str, Any]:
    """The offline translator's answer to one question: its interpretation, SQL, rows and explanation."""
    with ws.session() as session:
        session.history.clear()  # each question stands alone: a model's earlier calls are no follow-up context
        answer = session.ask(question)
    return {"question": question, "interpretation": answer.interpretation, "backend": answer.backend,
            **answer_result(answer), "explanation": clean_text(answer.explanation)}


def list_saved_queries(ws: Workspace) -> dict[str, Any]:
    """The saved queries (the user's and the starter library): name, question, description and parameters."""

    found, errors = scan_queries(ws.settings)
    queries = [{"name": q.name, "question": q.question, "description": q.description,
                "params": dict(q.params), "starter": q.starter} for q in found]
    out: dict[str, Any] = {"queries": clean_value(queries)}
    if errors:
        out["unreadable"] = [clean_text(e.message) for e in errors]
    return out


def run_saved_query(ws: Workspace, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A saved query re-run on the current data with its parameters (defaults for any not given)."""

    query = load_query(ws.settings, name)
    overrides = {k: _param_text(v) for k, v in (params or {}).items()}
    with ws.session() as session:
        answer = run_saved(session, query, overrides)
    used = {**query.params, **overrides}
    return {"name": query.name, "question": clean_text(query.question), "params": used, **answer_result(answer)}


def _param_text(value: Any) -> str:
    """A parameter value as the text a saved query binds (numbers and booleans as written)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
