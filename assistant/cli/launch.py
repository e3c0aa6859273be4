"""The console script. `cma ask` with plain arguments goes straight to the command; everything else to typer.

Importing typer (and click under it) costs about 0.1 s, a third of a one-shot question on the sample, so a
question whose arguments this reader can take exactly as click would runs without it: long and short options
from the table below, `--opt=value`, flags, `--debug` before `--`, and one question. Anything else (help, an
unknown or misspelt option, a missing value, a value click would reject, a second question) goes to typer,
which gives its usual answer or usage error. tests/test_cli.py holds this table to the command's own options.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

# option -> (parameter, how its value is read); a flag's value is True
FLAGS: dict[str, str] = {
    "--offline": "offline", "--sql-only": "sql_only", "--no-share-results": "no_share_results",
    "--continue": "continue_", "-c": "continue_", "--all": "all_rows", "--force": "force",
}
VALUES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "--db": ("db", Path), "--backend": ("backend", str), "-b": ("backend", str), "--model": ("model", str),
    "-m": ("model", str), "--provider": ("provider", str), "--base-url": ("base_url", str),
    "--format": ("format", str), "-f": ("format", str), "--max-rows": ("max_rows", int),
    "--timeout": ("timeout", float), "--save": ("save", str),
}


def parse_ask(args: list[str]) -> tuple[dict[str, Any], bool] | None:
    """The `ask` command's arguments as click would read them, and whether --debug was given; None if unsure."""
    end = args.index("--") if "--" in args else len(args)
    debug = "--debug" in args[:end]
    args = [a for i, a in enumerate(args) if not (a == "--debug" and i < end)]
    given: dict[str, Any] = {}
    questions: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            questions += rest
        elif arg in FLAGS:
            given[FLAGS[arg]] = True
        elif arg.split("=", 1)[0] in VALUES and (arg.startswith("--") or "=" not in arg):
            name, read = VALUES[arg.split("=", 1)[0]]
            raw = arg.split("=", 1)[1] if "=" in arg else next(rest, None)
            value = _value(raw, read)
            if value is None:
                return None
            given[name] = value
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            questions.append(arg)
    if len(questions) != 1:
        return None
    return {"question": questions[0], **given}, debug


def _value(raw: str | None, read: Callable[[str], Any]) -> Any:
    """The option's value, or None where click might read it otherwise (missing, empty, option-like, malformed)."""
    if raw is None or raw == "" or raw.startswith("-") or raw != raw.strip():
        return None
    try:
        return read(raw)
    except ValueError:
        return None


def main() -> None:
    """`cma`: the quick path for a plain `cma ask`, else the typer application."""
    parsed = parse_ask(sys.argv[2:]) if sys.argv[1:2] == ["ask"] else None
    if parsed is None:
        from assistant.cli.app import main as typer_main

        typer_main()
        return
    sys.exit(_run(*parsed))


def _run(arguments: dict[str, Any], debug: bool) -> int:
    """Run the question as the typer command would: the same error edge, exit codes and quiet broken pipe."""
    from assistant.store.spawn import start_spare

    start_spare()  # the query process imports DuckDB while this one reads its settings and the translator
    from assistant.cli.asking import run_ask
    from assistant.cli.shared import failure_code, set_debug
    from assistant.errors import AssistantError

    set_debug(debug)
    try:
        run_ask(**arguments)
    except (AssistantError, KeyboardInterrupt) as e:
        return failure_code(e)
    except BrokenPipeError:  # `cma ask ... | head`: as click does, stop quietly
        sys.stdout = open(os.devnull, "w")
        return 1
    return 0
