"""`cma ask QUESTION`: one question through the same Session as the REPL, printed for people or scripts."""

from __future__ import annotations

from typing import Optional

import typer

from assistant.cli.asking import run_ask
from assistant.cli.common import (
    AllRows,
    Backend,
    BaseUrl,
    Db,
    MaxRows,
    Model,
    NoShareResults,
    Offline,
    Provider,
    Timeout,
)


def ask(
    question: str = typer.Argument(..., help="The question, in plain English."),
    db: Db = None,
    offline: Offline = False,
    backend: Backend = None,
    model: Model = None,
    provider: Provider = None,
    base_url: BaseUrl = None,
    format: str = typer.Option("table", "--format", "-f", help="table, json, jsonl, csv or markdown."),
    sql_only: bool = typer.Option(False, "--sql-only", help="Print only the checked SQL; no explanation."),
    no_share_results: NoShareResults = False,
    continue_: bool = typer.Option(False, "--continue", "-c", help="Follow up on the last conversation."),
    max_rows: MaxRows = None,
    all_rows: AllRows = False,
    timeout: Timeout = None,
    save: Optional[str] = typer.Option(None, "--save", help="Save the question and its SQL under this name."),
    force: bool = typer.Option(False, "--force", help="With --save: replace a saved or starter query of that name."),
) -> None:
    """Answer one question with checked SQL, the result and an explanation of what it covers.

    A model answers when OPENAI_API_KEY or OPENAI_BASE_URL (or config.toml) gives it a key or an endpoint.

    The model: --model, else $CMA_MODEL, else config.toml, else the preset's, else gpt-4.1-mini.

    Without a model, or with --offline, the built-in translator answers. With a model, --backend auto
    (the default) still answers offline when the built-in reader understood every word, and says so.

    Rows reach the model only for the explanation (at most 20); --no-share-results keeps them local.
    """
    run_ask(question, db=db, offline=offline, backend=backend, model=model, provider=provider, base_url=base_url,
            format=format, sql_only=sql_only, no_share_results=no_share_results, continue_=continue_,
            max_rows=max_rows, all_rows=all_rows, timeout=timeout, save=save, force=force)
