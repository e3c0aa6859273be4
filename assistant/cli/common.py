"""What every command shares: the option declarations and the one error edge (typer); the rest is in shared.py."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any, Callable, Optional, TypeVar

import typer

from assistant.cli.shared import failure_code
from assistant.config import DEFAULT_MODEL
from assistant.errors import AssistantError

F = TypeVar("F", bound=Callable[..., Any])

# Each option is declared once here and used by every command that takes it.
DbOption = typer.Option(None, "--db", help="Database file (else $CMA_DB, else ./copilot-metrics.duckdb).",
                        show_default=False)
Db = Annotated[Optional[Path], typer.Option("--db", help="Database file (else $CMA_DB, else ./copilot-metrics.duckdb).",
                                          show_default=False)]
Offline = Annotated[bool, typer.Option("--offline", help="Use the built-in translator; nothing leaves the machine.")]
Backend = Annotated[Optional[str], typer.Option("--backend", "-b", show_default=False,
                                                help="auto (default: the offline reader when it understands the "
                                                "question, else the model), offline or llm.")]
Model = Annotated[Optional[str], typer.Option("--model", "-m", show_default=False,
                                              help=f"Model name (else $CMA_MODEL, else {DEFAULT_MODEL}).")]
Provider = Annotated[Optional[str], typer.Option("--provider", help="openai, azure, github or ollama (presets).",
                                                 show_default=False)]
BaseUrl = Annotated[Optional[str], typer.Option("--base-url", show_default=False,
                                                help="OpenAI-compatible endpoint (else $OPENAI_BASE_URL).")]
NoShareResults = Annotated[bool, typer.Option("--no-share-results",
                                              help="Send no result rows to the model; explain offline.")]
MaxRows = Annotated[Optional[int], typer.Option("--max-rows", help="Rows to fetch and show (default 200).",
                                                show_default=False)]
Timeout = Annotated[Optional[float], typer.Option("--timeout", show_default=False,
                                                  help="Seconds before the query is stopped (default 30).")]

AllRows = Annotated[bool, typer.Option("--all", help="Every row (up to 1,000,000), even on a terminal.")]



def handles_errors(fn: F) -> F:
    """Turn an expected failure into a message on stderr and its exit code (a traceback only with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (AssistantError, KeyboardInterrupt) as e:
            raise typer.Exit(failure_code(e)) from None

    return wrapper  # type: ignore[return-value]
