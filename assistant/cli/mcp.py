"""`cma mcp`: serve the database to MCP clients (Copilot Chat agent mode, Claude Desktop, the Copilot CLI)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import DbOption


def mcp(
    db: Optional[Path] = DbOption,
    http: bool = typer.Option(False, "--http", help="Serve streamable HTTP on 127.0.0.1 instead of stdio."),
    port: int = typer.Option(8765, "--port", help="The HTTP port (with --http).", min=1, max=65535),
) -> None:
    """Run an MCP server over the database: read-only tools, the schema and metric documents, review prompts."""
    from assistant.config import load_settings
    from assistant.store.db import open_for_read

    settings = load_settings(db=db, offline=True)
    with open_for_read(settings.db):  # fail now, on the command line, if the file is missing or no database
        pass
    from assistant.mcp.server import serve  # the SDK is imported only here: `cma --help` stays light

    where = f"streamable HTTP on http://127.0.0.1:{port}/mcp" if http else "stdio"
    print(f"cma mcp: serving {settings.db} read-only over {where}", file=sys.stderr)  # stdout is the protocol's
    serve(settings, http=http, port=port)
