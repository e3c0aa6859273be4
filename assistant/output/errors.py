"""The one place an expected failure becomes text or a JSON record; the CLI, the REPL and MCP all use it."""

from __future__ import annotations

from typing import Any

from assistant.errors import AssistantError


def error_record(e: AssistantError) -> dict[str, Any]:
    """The failure as a JSON object: its kind, message and hint."""
    return {"kind": e.kind, "message": e.message, "hint": e.hint}


def print_error(console: Any, e: AssistantError) -> None:
    """'Error: ...' and 'Hint: ...' on a rich console; the texts are printed as text, never as markup.

    Messages may quote data values (a DuckDB conversion error) or a server's reply, so escape
    sequences and control characters are stripped.
    """
    from rich.text import Text

    from assistant.sanitize import printable

    console.print(Text.assemble(("Error: ", "red"), printable(e.message)), highlight=False)
    if e.hint:
        console.print(Text.assemble(("Hint: ", "dim"), printable(e.hint)), highlight=False)
