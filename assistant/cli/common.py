"""What every command shares: the `--db` option, the stderr console and the one error edge."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable, TypeVar

import typer

from assistant.errors import AssistantError, ExitCode

F = TypeVar("F", bound=Callable[..., Any])

DbOption = typer.Option(None, "--db", help="Database file (else $CMA_DB, else ./copilot-metrics.duckdb).",
                        show_default=False)


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def handles_errors(fn: F) -> F:
    """Turn an expected failure into a message on stderr and its exit code (a traceback only with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssistantError as e:
            if kwargs.get("debug"):
                raise
            report_error(e)
            raise typer.Exit(int(e.exit_code)) from None
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(int(ExitCode.INTERRUPT)) from None

    return wrapper  # type: ignore[return-value]


def report_error(e: AssistantError) -> None:
    con = stderr_console()
    con.print(f"[red]Error:[/] {e.message}", markup=True, highlight=False)
    if e.hint:
        con.print(f"[dim]Hint:[/] {e.hint}")
