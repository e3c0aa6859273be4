"""The `cma` command line: parse arguments, call the engine, map errors to exit codes. No SQL here."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperGroup

from assistant.cli.common import handles_errors
from assistant.cli.shared import set_debug

# Each command's module is imported only when that command runs (or shows its help), so `cma --help` stays
# fast and each module imports what it needs at the top. The one-line help is here; a test holds it to the
# command's docstring.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "load": ("assistant.cli.data", "load", "Load Copilot usage exports (any format, detected from content) into the "
             "database."),
    "status": ("assistant.cli.data", "status", "Show what the database covers: days, missing days, users, teams, "
               "seats and imports."),
    "schema": ("assistant.cli.data", "schema", "Describe the tables and views you can query (with row counts when "
               "the database exists)."),
    "config": ("assistant.cli.data", "config", "Show the resolved settings (flags aside) and where the config file "
               "is; keys are never shown."),
    "ask": ("assistant.cli.ask", "ask", "Answer one question with checked SQL, the result and an explanation of "
            "what it covers."),
    "chat": ("assistant.cli.chat", "chat", "Talk to your Copilot data: questions, follow-ups and /commands (/help "
             "lists them)."),
    "eval": ("assistant.cli.evaluate", "eval", "Score a translator on a question set: correct, refused, wrong, and "
             "translation latency."),
    "fetch": ("assistant.cli.fetch", "fetch", "Fetch Copilot usage reports and seats from GitHub's API: only missing "
              "days, plus the last 3 (revised)."),
    "mcp": ("assistant.cli.mcp", "mcp", "Run an MCP server over the database: read-only tools, the schema and "
            "metric documents, review prompts."),
    "queries": ("assistant.cli.queries", "queries_app", "Saved queries: keep good questions with their SQL, re-run "
                "them on new data, share them in git."),
}


class _RootGroup(TyperGroup):
    """Loads each command on first use; accepts `--debug` anywhere before `--`, the same after every command."""

    _loaded: dict[str, Any] = {}

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        set_debug("--debug" in args[:end])
        args = [a for i, a in enumerate(args) if not (a == "--debug" and i < end)]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in COMMANDS:
            return None
        if name not in self._loaded:
            self._loaded[name] = load_command(name)
        return self._loaded[name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from the registry's one-line help: no command module is imported for `--help`."""
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def load_command(name: str) -> Any:
    """The click command for `name`, built from its module's typer function (or sub-app)."""
    module_name, attr, _ = COMMANDS[name]
    target = getattr(importlib.import_module(module_name), attr)
    if isinstance(target, typer.Typer):
        return typer.main.get_command(target)
    single = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
    single.command(name)(handles_errors(target))
    return typer.main.get_command(single)


app = typer.Typer(
    cls=_RootGroup,
    help="Ask plain-English questions about your GitHub Copilot usage exports.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: flags shown as flags, and no rich import for --help
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
)

def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"cma {version('copilot-metrics-assistant')}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(None, "--db", help="With no command: the database to converse with.",
                                      show_default=False),
    offline: bool = typer.Option(False, "--offline", help="With no command: converse without a model."),
    debug: bool = typer.Option(False, "--debug", help="Tracebacks and the debug log (also after any command)."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True,
                                 callback=_print_version),
) -> None:
    """With no command, open the conversation (same as `cma chat`)."""
    if ctx.invoked_subcommand is None:
        from assistant.cli import chat  # the one command that can run without its name

        handles_errors(chat.chat)(db=db, offline=offline)


def main() -> None:
    """The console script."""
    app(prog_name="cma")
