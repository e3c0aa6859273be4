"""What every command shares: the option declarations, the stderr console and the one error edge."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional, TypeVar

import typer

from assistant.config import DEFAULT_MODEL
from assistant.errors import AssistantError, ExitCode

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

_debug = False
_handler: logging.Handler | None = None


def set_debug(on: bool) -> None:
    """Tracebacks for expected failures, and the engine's debug log on the current stderr (or neither)."""
    global _debug, _handler
    _debug = on
    logger = logging.getLogger("assistant")
    if _handler is not None:
        logger.removeHandler(_handler)
        logger.setLevel(logging.NOTSET)
        _handler = None
    if on:
        _handler = logging.StreamHandler(sys.stderr)
        _handler.setFormatter(logging.Formatter("debug: %(message)s"))
        logger.addHandler(_handler)
        logger.setLevel(logging.DEBUG)


def debugging() -> bool:
    return _debug


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
            if _debug:
                raise
            report_error(e)
            raise typer.Exit(int(e.exit_code)) from None
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(int(ExitCode.INTERRUPT)) from None

    return wrapper  # type: ignore[return-value]


def report_error(e: AssistantError) -> None:
    from assistant.output.errors import print_error

    print_error(stderr_console(), e)


RESULT_FORMATS = ("table", "json", "jsonl", "csv", "markdown")


def check_choice(value: str, choices: tuple[str, ...], option: str = "--format") -> str:
    """`value` if it is one of `choices`, else a usage error with the nearest choice."""
    if value in choices:
        return value
    import difflib

    from assistant.errors import ConfigError

    near = difflib.get_close_matches(value, choices, n=1)
    raise ConfigError(f"Unknown {option} value '{value}'.",
                      hint=f"Did you mean '{near[0]}'?" if near else f"Use one of: {', '.join(choices)}.")


def export_rows(fmt: str, max_rows: int | None, all_rows: bool) -> int | None:
    """The row cap for a result: all rows (within a hard bound) when written to a file or a pipe, or with --all."""
    from assistant.config import EXPORT_MAX_ROWS

    if max_rows is not None:
        return max_rows
    if all_rows or (fmt != "table" and not sys.stdout.isatty()):
        return EXPORT_MAX_ROWS
    return None


def print_result(answer: Any, fmt: str) -> None:
    """The rows on stdout in `fmt` (json is the `cma ask` object), and how many were written on stderr."""
    import json

    from assistant.output import render

    if fmt == "json":
        print(json.dumps(answer.to_json(), indent=2))
    elif fmt == "jsonl":
        sys.stdout.write(render.to_jsonl(answer.columns, answer.rows))
    elif fmt == "csv":
        sys.stdout.write(render.to_csv(answer.columns, answer.rows))
    elif fmt == "markdown":
        sys.stdout.write(render.to_markdown(answer.columns, answer.rows))
    else:
        from rich.console import Console

        console = Console(highlight=False)
        console.print(render.rich_table(answer.columns, answer.rows, width=console.width))
        return
    capped = f": {answer.note()} (the cap; --max-rows N or --all for more)" if answer.truncated else ""
    print(f"Wrote {len(answer.rows):,} rows{capped}.", file=sys.stderr)


def with_provider_key(settings: Any) -> Any:
    """The settings with the GitHub token for `--provider github` (env or `gh auth token`), or a clear error."""
    if settings.offline or (settings.provider or "").lower() != "github" or settings.api_key:
        return settings
    from dataclasses import replace

    from assistant.errors import ConfigError
    from assistant.github.fetch import resolve_token

    try:
        return replace(settings, api_key=resolve_token(None))
    except ConfigError:
        raise ConfigError("No GitHub token found for --provider github (GitHub Models).",
                          hint="Looked in $GITHUB_TOKEN, $GH_TOKEN and `gh auth token`: set one of them, or run "
                               "`gh auth login`; or pass --offline.") from None


T = TypeVar("T")


def on_started_worker(settings: Any, then: Callable[[Any], T]) -> T:
    """Start the session's query process, then run `then(worker)` while it opens the database; stop it if that fails.

    The child imports DuckDB and opens the database on the other core while this process imports the engine.
    """
    from assistant.store.worker import QueryWorker

    worker = QueryWorker.for_settings(settings)
    worker.start()
    try:
        return then(worker)
    except BaseException:
        worker.close()
        raise
