"""The one place an expected failure becomes text or a JSON record; the CLI, the REPL and MCP all use it."""

from __future__ import annotations

from typing import Any

from assistant.errors import AssistantError


def error_record(e: AssistantError) -> dict[str, Any]:
    """The failure as a JSON object: its kind, message and hint."""
    return {"kind": e.kind, "message": e.message, "hint": e.hint}


def print_error(console: Any, e: AssistantError) -> None:
    """'Error: ...' and 'Hint: ...' on a rich console; the texts are printed as text, never as markup."""
    from rich.text import Text

    console.print(Text.assemble(("Error: ", "red"), e.message), highlight=False)
    if e.hint:
        console.print(Text.assemble(("Hint: ", "dim"), e.hint), highlight=False)
