"""What `cma ask QUESTION` does, without typer: the command (ask.py) and the quick start-up path (launch.py)
both call run_ask, so a plain `cma ask` needs neither typer nor click."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from assistant.cli.shared import (
    RESULT_FORMATS,
    check_choice,
    debugging,
    export_rows,
    on_started_worker,
    print_result,
    stderr_console,
    with_provider_key,
)
from assistant.config import load_settings
from assistant.errors import AssistantError, ConfigError
from assistant.output.errors import error_record

if TYPE_CHECKING:
    from assistant.contracts import Answer
    from assistant.engine.session import Session


def run_ask(
    question: str,
    db: Optional[Path] = None,
    offline: bool = False,
    backend: Optional[str] = None,
    model: Optional[str] = None,
    provider: Optional[str] = None,
    base_url: Optional[str] = None,
    format: str = "table",
    sql_only: bool = False,
    no_share_results: bool = False,
    continue_: bool = False,
    max_rows: Optional[int] = None,
    all_rows: bool = False,
    timeout: Optional[float] = None,
    save: Optional[str] = None,
    force: bool = False,
) -> None:
    """Answer one question and print it in `format`; save it under `save` when given."""
    fmt = check_choice(format, RESULT_FORMATS)
    settings = _settings(db, offline, model, provider, base_url, no_share_results,
                         export_rows(fmt, max_rows, all_rows), timeout, backend)
    session = on_started_worker(settings, lambda worker: _session(settings, continue_, worker))
    try:
        answer = _answer(session, question, fmt, sql_only)
    finally:
        _keep_conversation(session)
        session.close()
    if save:
        _save(settings, save, answer, force)


def _settings(
    db: Path | None,
    offline: bool,
    model: str | None,
    provider: str | None,
    base_url: str | None,
    no_share: bool,
    max_rows: int | None,
    timeout: float | None,
    backend: str | None = None,
) -> Any:

    settings = load_settings(
        db=db,
        offline=offline or None,
        backend=backend.lower() if backend else None,
        model=model,
        provider=provider,
        base_url=base_url,
        share_results=False if no_share else None,
        max_rows=max_rows,
        timeout_s=timeout,
        debug=debugging() or None,
    )
    settings = with_provider_key(settings)
    if (model or provider or base_url) and not settings.has_model and settings.backend != "offline":
        raise ConfigError(
            "No model configured: there is no API key or endpoint for it.",
            hint="Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server), or pass --offline.",
        )
    return settings


def _session(settings: Any, resume: bool, worker: Any) -> "Session":
    """The engine's Session on an already started query process, with the last conversation if resuming."""
    from assistant.engine.conversation import load_conversation
    from assistant.engine.session import Session

    session = Session(settings, worker=worker)
    if resume:

        session.history = load_conversation()
        if not session.history:
            print("No earlier conversation to continue; starting a new one.", file=sys.stderr)
    return session


def _keep_conversation(session: "Session") -> None:
    from assistant.engine.conversation import save_conversation

    try:
        save_conversation(session.history, session.settings.db)
    except OSError as e:  # losing the follow-up context must not fail the answer
        print(f"Warning: the conversation was not saved ({e}).", file=sys.stderr)


def _answer(session: "Session", question: str, fmt: str, sql_only: bool) -> "Answer":
    """Ask, print in the chosen format; in json an expected failure is printed as an error object too."""
    if fmt == "json":
        try:
            answer = session.ask(question, explain=not sql_only)
        except AssistantError as e:
            print(json.dumps(_error_json(session, question, e), indent=2))
            raise
        print(json.dumps(answer.to_json(), indent=2))
        return answer
    answer = _with_status(session, lambda: session.ask(question, explain=False))
    if sql_only:
        print(answer.sql)
    elif fmt == "table":
        answer = _print_for_people(session, answer)
    else:
        print_result(answer, fmt)
        print(answer.coverage, file=sys.stderr)
    return answer


def _error_json(session: "Session", question: str, e: AssistantError) -> dict[str, Any]:

    backend = as_of = None
    try:
        backend = getattr(session.translator, "last_path", None) or session.backend
        as_of = session.context().as_of
    except AssistantError:
        pass
    return {
        "question": question,
        "backend": backend,
        "as_of": as_of.isoformat() if as_of else None,
        "error": error_record(e),
    }


def _with_status(session: "Session", work: Any) -> Any:
    """Run `work` under a spinner on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return work()

    with stderr_console().status(f"[dim]Asking ({session.backend})...[/]"):
        return work()


def _print_for_people(session: "Session", answer: "Answer") -> "Answer":
    """The table, the highlighted SQL, the explanation as it streams in, the truncation and coverage notes."""
    from rich.console import Console
    from rich.syntax import Syntax

    from assistant.output.charts import gaps_note
    from assistant.output.render import rich_table

    out = Console(highlight=False, soft_wrap=True)
    out.print(rich_table(answer.columns, answer.rows, width=out.width))
    if out.is_terminal:
        out.print(Syntax(answer.sql, "sql", word_wrap=True, background_color="default"), soft_wrap=False)
    else:  # piped: the SQL exactly as it ran, never wrapped or cut at the console width
        out.file.write(answer.sql + "\n")
    out.file.flush()

    def stream(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    sys.stdout.write("\n")
    answer = session.explain(answer, on_text=stream)
    sys.stdout.write("\n")
    if answer.note():
        out.print(f"[yellow]{answer.note()}[/]")
    gaps = gaps_note(answer.columns, answer.rows, session.context().coverage.missing_days)
    if gaps:
        out.print(gaps, style="yellow", markup=False)
    if answer.coverage not in answer.explanation:
        out.print(f"[dim]{answer.coverage}[/]")
    return answer


def _save(settings: Any, name: str, answer: "Answer", force: bool) -> None:
    from assistant.saved.answers import save_answer

    path, note = save_answer(settings, name, answer, source=answer.backend, overwrite=force)
    print(f"Saved as '{name}': {path}", file=sys.stderr)
    if note:
        print(note, file=sys.stderr)
