"""`cma chat` (and `cma` with no command): the conversation in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


def chat(
    db: Annotated[Optional[Path], typer.Option("--db", help="Database file (else $CMA_DB, else "
                                               "./copilot-metrics.duckdb).", show_default=False)] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Use the embedded translator; no model.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="Model name (else $CMA_MODEL).")] = None,
    provider: Annotated[Optional[str], typer.Option("--provider", help="openai, azure, github or ollama.")] = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible endpoint "
                                                    "(else $OPENAI_BASE_URL).")] = None,
    no_share_results: Annotated[bool, typer.Option("--no-share-results",
                                                   help="Never send result rows to the model.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Talk to your Copilot data: questions, follow-ups and /commands (/help lists them)."""
    from assistant.cli.common import report_error
    from assistant.config import load_settings
    from assistant.engine.session import Session
    from assistant.errors import AssistantError

    try:
        settings = load_settings(db=db, offline=offline, model=model, provider=provider, base_url=base_url,
                                 share_results=False if no_share_results else None, debug=debug)
        session = Session(settings)
        session.context()  # a missing or unreadable database stops here, with its hint
        from assistant.repl import app as repl

        if sys.stdin.isatty():
            repl.run_repl(session)
        else:
            repl.run_lines(session, sys.stdin)
    except AssistantError as e:
        if debug:
            raise
        report_error(e)
        raise typer.Exit(int(e.exit_code)) from None
