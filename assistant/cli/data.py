"""`cma load`, `cma status`, `cma schema` and `cma config`: the data and settings you have."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from assistant.cli.common import DbOption
from assistant.cli.shared import check_choice, stderr_console
from assistant.cli.report import print_coverage, print_imports, print_load_report
from assistant.config import config_path, load_settings
from assistant.errors import ConfigError, ExitCode
from assistant.ingest import Owner, load_paths
from assistant.output.progress import file_progress
from assistant.semantic import catalog, describe, schema_docs
from assistant.store.db import open_for_read, table_counts
from assistant.store.derived import coverage_at


def load(
    paths: List[str] = typer.Argument(..., help="Export files, directories (recursive) or globs; .gz is fine."),
    db: Optional[Path] = DbOption,
    strict: bool = typer.Option(False, "--strict", help="Stop at the first file that cannot be loaded."),
    skip_bad_lines: bool = typer.Option(False, "--skip-bad-lines",
                                        help="Load the good lines; write rejected lines with reasons beside the db."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    org: Optional[str] = typer.Option(None, "--org", help="Organization the files belong to where they do not say."),
    enterprise: Optional[str] = typer.Option(None, "--enterprise",
                                             help="Enterprise the files belong to where they do not say."),
) -> None:
    """Load Copilot usage exports (any format, detected from content) into the database."""

    settings = load_settings(db=db)
    owner = Owner("organization", org) if org else Owner("enterprise", enterprise) if enterprise else None
    with file_progress(enabled=not quiet) as progress:
        report = load_paths(settings.db, paths, strict=strict, skip_bad_lines=skip_bad_lines, progress=progress,
                            owner=owner)
    if not quiet:
        print_load_report(stderr_console(), report, coverage_at(settings.db, with_imports=False))
    elif report.failed:
        for f in report.failed:
            print(f"failed: {f.message}", file=sys.stderr)
    if report.failed:
        raise typer.Exit(int(ExitCode.DATA))


def status(
    db: Optional[Path] = DbOption,
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every import, not a summary by kind."),
) -> None:
    """Show what the database covers: days, missing days, users, teams, seats and imports."""


    check_choice(format, ("text", "json"))
    cov = coverage_at(load_settings(db=db).db)
    if format == "json":
        print(json.dumps(cov.to_json(), indent=2, default=str))
        return

    console = Console(highlight=False, soft_wrap=True)
    print_coverage(console, cov)
    print_imports(console, cov.imports, verbose=verbose)


def schema(
    table: Optional[str] = typer.Argument(None, help="A table or view, or a metric, dimension, usage flag or entity "
                                          "of the semantic model; all tables when omitted."),
    markdown: bool = typer.Option(False, "--markdown", help="Markdown, as in docs/schema.md."),
    model: bool = typer.Option(False, "--model", help="The semantic model: metrics, dimensions, usage flags, "
                               "entities and join paths."),
    db: Optional[Path] = DbOption,
) -> None:
    """Describe the tables and views you can query (with row counts when the database exists)."""

    if model:
        print(describe.model_markdown(), end="")
        return
    if table is None:
        if markdown:
            print(schema_docs.render_markdown(), end="")
            return
        counts = _row_counts(load_settings(db=db).db)
        for t in catalog.ALL:
            rows = f"{counts[t.name]:>10,} rows  " if t.name in counts else ""
            print(f"{t.name:<32} {rows}{t.doc}")
        print("\nMetrics, dimensions and entities: cma schema --model, or cma schema NAME (e.g. acceptance_rate, ide).")
        return
    text = describe.describe(table)
    if text is None:
        near = difflib.get_close_matches(table, describe.names(), n=1)
        raise ConfigError(f"No table, view, metric, dimension or entity named '{table}'.",
                          hint=f"Did you mean '{near[0]}'?" if near else "Run `cma schema` to list them.")
    print(text, end="")


def config(format: str = typer.Option("text", "--format", "-f", help="text or json.")) -> None:
    """Show the resolved settings (flags aside) and where the config file is; keys are never shown."""


    check_choice(format, ("text", "json"))
    path = config_path()
    shown = load_settings().shown()
    if format == "json":
        print(json.dumps({"config_file": str(path), "config_file_exists": path.exists(), "settings": shown}, indent=2))
        return
    print(f"config file: {path}" + ("" if path.exists() else " (not there: defaults and environment only)"))
    for key, value in shown.items():
        print(f"{key:>14}: {value}")


def _row_counts(db_path: Path) -> dict[str, int]:
    """Row counts per table when the database exists, else nothing (the schema is known without it)."""
    if not db_path.exists():
        return {}

    with open_for_read(db_path) as con:
        return table_counts(con)
