"""What every command shares that needs no typer: debugging, the stderr console, the error report, formats,
the row cap, the printed result and the started query process. `cma ask` with plain arguments runs on this
alone (assistant.cli.launch), so nothing here may import typer or click."""

from __future__ import annotations

import logging
import sys
from typing import Any, Callable, TypeVar

from assistant.errors import AssistantError, ExitCode

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


def failure_code(e: AssistantError | KeyboardInterrupt) -> int:
    """Report an expected failure (or Ctrl-C) on stderr and give its exit code; with --debug, raise it instead."""
    if isinstance(e, KeyboardInterrupt):
        print("Interrupted.", file=sys.stderr)
        return int(ExitCode.INTERRUPT)
    if _debug:
        raise e
    report_error(e)
    return int(e.exit_code)


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
