"""`cma eval`: run a question set against a database and report correct, refused, wrong and latency."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import DbOption
from assistant.config import load_settings
from assistant.engine.evaluate import (
        DEFAULT_QUESTIONS,
        load_cases,
        make_translator,
        render_text,
        run_eval,
        sample_mismatch,
        written_for_sample,
    )

BackendOption = typer.Option(
    "auto", "--backend", "-b", help="auto (offline reader first, then the model, if one is configured), offline or llm."
)
QuestionsOption = typer.Option(
    None, "--questions", "-q", help="JSONL question file (default: the project's eval/questions.jsonl)."
)
FormatOption = typer.Option("text", "--format", "-f", help="text or json.")


def eval(
    backend: str = BackendOption,
    questions: Optional[Path] = QuestionsOption,
    db: Optional[Path] = DbOption,
    format: str = FormatOption,
) -> None:
    """Score a translator on a question set: correct, refused, wrong, and translation latency."""

    settings = load_settings(db=db, backend=backend.lower())
    path = questions or DEFAULT_QUESTIONS
    note = sample_mismatch(settings) if written_for_sample(path) else None
    if note:
        print(f"Warning: {note}", file=sys.stderr)
    report = run_eval(settings, load_cases(path), make_translator(settings, backend))
    print(json.dumps(report.to_json(), indent=2) if format == "json" else render_text(report))
