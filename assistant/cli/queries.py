"""`cma queries`: list, show, re-run, add, remove and export saved queries (no model needed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from assistant.cli.common import AllRows, DbOption, MaxRows, handles_errors
from assistant.cli.shared import RESULT_FORMATS, check_choice, export_rows, print_result
from assistant.config import load_settings
from assistant.engine.session import Session
from assistant.saved.answers import guard_check
from assistant.saved.export import export_query
from assistant.saved.files import SavedQueryError, load_query, queries_dir, remove_query, save_query, scan_queries
from assistant.saved.params import fixed_dates, parse_param_args
from assistant.saved.run import run_saved

queries_app = typer.Typer(
    help="Saved queries: keep good questions with their SQL, re-run them on new data, share them in git.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: flags shown as flags, and no rich import for --help
)

DIALECTS = ("postgres", "bigquery", "snowflake", "spark")

QueriesOption = typer.Option(
    None,
    "--queries",
    help="Folder of saved queries (else $CMA_QUERIES, else the "
    "config file's queries_dir, else <home>/queries).",
    show_default=False,
)
DefaultsOption = typer.Option(None, "--param", "-p", help="name=default for a parameter; repeatable.")
ParamOption = typer.Option(None, "--param", "-p", help="name=value for a query parameter; repeatable.")


def _settings(queries: Optional[Path], db: Optional[Path] = None, max_rows: int | None = None) -> Any:

    return load_settings(db=db, queries_dir=queries, max_rows=max_rows)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


@queries_app.command("list")
@handles_errors
def list_(
    queries: Optional[Path] = QueriesOption,
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """List saved queries: yours and the starter library (yours win on a name clash)."""
    import json


    check_choice(format, ("table", "json"))
    settings = _settings(queries)
    found, errors = scan_queries(settings)
    for e in errors:
        _err(f"warning: {e.message}")
    if format == "json":
        print(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "question": q.question,
                        "description": q.description,
                        "source": q.source,
                        "created": q.created,
                        "params": q.params,
                        "starter": q.starter,
                        "path": str(q.path),
                    }
                    for q in found
                ],
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    for col in ("name", "question", "params", "from"):
        table.add_column(col, overflow="fold")
    for q in found:
        params = ", ".join(f"{k}={v}" for k, v in q.params.items())
        table.add_row(q.name, q.question, params, "starter" if q.starter else q.source)
    Console(highlight=False).print(table)
    _err(f"{len(found)} queries; yours are in {queries_dir(settings)}")


@queries_app.command("show")
@handles_errors
def show(
    name: str = typer.Argument(..., help="Query name."), queries: Optional[Path] = QueriesOption
) -> None:
    """Print a saved query's file: the header and the SQL."""

    q = load_query(_settings(queries), name)
    _err(f"# {q.where}")
    print(q.path.read_text(encoding="utf-8") if q.path and q.path.is_file() else q.to_text(), end="")


@queries_app.command("run")
@handles_errors
def run(
    name: str = typer.Argument(..., help="Query name."),
    param: Optional[List[str]] = ParamOption,
    format: str = typer.Option("table", "--format", "-f", help="table, json, jsonl, csv or markdown."),
    db: Optional[Path] = DbOption,
    queries: Optional[Path] = QueriesOption,
    max_rows: MaxRows = None,
    all_rows: AllRows = False,
) -> None:
    """Re-run a saved query on the current data (guarded, read-only; no model needed).

    To a file or a pipe every row is written (up to 1,000,000); on a terminal the default cap applies.
    """

    fmt = check_choice(format, RESULT_FORMATS)
    settings = _settings(queries, db, max_rows)
    query = load_query(settings, name)
    session = Session(settings)
    try:
        answer = run_saved(session, query, parse_param_args(param or []),
                           max_rows=export_rows(fmt, max_rows, all_rows))
    finally:
        session.close()
    _err(f"# {query.name}: {query.question}")
    print_result(answer, fmt)
    if answer.note() and fmt == "table":
        _err(answer.note() or "")
    values = {**query.params, **parse_param_args(param or [])}
    used = f" with {', '.join(f'{k}={v}' for k, v in values.items())}" if values else ""
    _err(f"{answer.row_count:,} rows{used} in {answer.elapsed_s:.2f} s; {answer.coverage}")
    pinned = fixed_dates(query)
    if pinned:
        _err(
            f"Note: the SQL uses fixed dates ({', '.join(pinned)}), so it reads the same days on new data; "
            f"edit {query.where} to anchor the window at (SELECT max(day) FROM user_daily)."
        )


@queries_app.command("add")
@handles_errors
def add(
    name: str = typer.Argument(..., help="Query name: lower-case letters, digits, '-' and '_'."),
    question: str = typer.Option(..., "--question", "-q", help="The question the query answers."),
    sql: str = typer.Option(..., "--sql", help="The SQL (DuckDB); '-' reads it from stdin."),
    description: Optional[str] = typer.Option(None, "--description", "-d", help="What it computes."),
    param: Optional[List[str]] = DefaultsOption,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing query of that name."),
    queries: Optional[Path] = QueriesOption,
) -> None:
    """Save a query you wrote yourself (source: human)."""

    text = sys.stdin.read() if sql == "-" else sql
    path = save_query(
        _settings(queries),
        name,
        question,
        text,
        description=description,
        source="human",
        params=parse_param_args(param or []),
        overwrite=force,
        check=guard_check,
    )
    _err(f"Saved {path}")


@queries_app.command("rm")
@handles_errors
def rm(name: str = typer.Argument(..., help="Query name."), queries: Optional[Path] = QueriesOption) -> None:
    """Delete one of your saved queries."""

    _err(f"Removed {remove_query(_settings(queries), name)}")


@queries_app.command("export")
@handles_errors
def export(
    name: str = typer.Argument(..., help="Query name."),
    dialect: str = typer.Option(..., "--dialect", help="postgres, bigquery, snowflake or spark."),
    param: Optional[List[str]] = ParamOption,
    queries: Optional[Path] = QueriesOption,
) -> None:
    """Print a saved query translated to a warehouse's SQL dialect (the tables must exist there)."""

    if dialect.lower() not in DIALECTS:
        import difflib

        near = difflib.get_close_matches(dialect.lower(), DIALECTS, n=1)
        raise SavedQueryError(
            f"Unknown dialect '{dialect}'.",
            hint=(f"Did you mean '{near[0]}'? " if near else "") + f"Use one of: {', '.join(DIALECTS)}.",
        )
    query = load_query(_settings(queries), name)
    print(export_query(query, dialect.lower(), parse_param_args(param or [])), end="")
