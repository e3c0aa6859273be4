"""Text output: tables, load summaries and coverage, for terminals (rich) and scripts (csv/json/markdown)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Sequence

from assistant.contracts import plain

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.contracts import Coverage
    from assistant.ingest import LoadReport


def cell(value: Any) -> str:
    """How a value reads in a table cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return "NaN"
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if v is None else plain(v) for v in r])
    return buf.getvalue()


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(esc(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(esc(cell(v)) for v in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def to_json_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return json.dumps([dict(zip(columns, (plain(v) for v in r))) for r in rows], indent=2)


def rich_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> Any:
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for i, c in enumerate(columns):
        numeric = any(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool) for r in rows[:20])
        table.add_column(c, justify="right" if numeric else "left", overflow="fold")
    for r in rows:
        table.add_row(*(cell(v) for v in r))
    return table


def print_load_report(console: "Console", report: "LoadReport", cov: "Coverage") -> None:
    """The summary after `cma load`: per-file outcome, rows per table, coverage, missing days."""

    loaded = [f for f in report.files if f.status == "loaded"]
    if len(loaded) <= 8:
        for f in loaded:
            rows = ", ".join(f"{t} {n:,}" for t, n in f.rows.items() if n)
            extra = f" ({f.rejects} bad lines skipped: {f.rejects_path})" if f.rejects else ""
            console.print(f"[green]loaded[/]  {f.path} [dim]{f.kind}[/]: {rows or 'no rows'}{extra}")
    else:
        by_kind: dict[str, list] = {}
        for f in loaded:
            by_kind.setdefault(f.kind or "?", []).append(f)
        for kind, files in by_kind.items():
            total = sum(sum(f.rows.values()) for f in files)
            console.print(f"[green]loaded[/]  {len(files)} {kind} file{'s' if len(files) > 1 else ''}: {total:,} rows")
        for f in loaded:
            if f.rejects:
                console.print(f"  {f.path}: {f.rejects} bad lines skipped: {f.rejects_path}")
    skipped = [f for f in report.files if f.status == "skipped"]
    if len(skipped) <= 8:
        for f in skipped:
            console.print(f"[dim]skipped {f.path}: {f.message}[/]")
    else:
        console.print(f"[dim]skipped {len(skipped)} files already loaded (same content)[/]")
    for f in report.failed:
        console.print(f"[red]failed[/]  {f.message}")
    print_coverage(console, cov)


def print_coverage(console: "Console", cov: "Coverage") -> None:
    from assistant.store.coverage import compress_days

    if cov.first_day:
        console.print(
            f"[bold]Coverage[/]: {cov.first_day} .. {cov.last_day}, {cov.days} days with user data, "
            f"{cov.users:,} users, {cov.teams} teams, {cov.seats:,} seats"
        )
        console.print(f"Missing days: {compress_days(cov.missing_days)}")
        console.print(
            f"[yellow]Days from {cov.provisional_from} on may be provisional: GitHub revises the last "
            "3 days of a report; re-load a newer export to update them.[/]"
        )
    else:
        console.print("[bold]Coverage[/]: no per-user usage data loaded yet")
    if cov.entity_first_day:
        console.print(f"Aggregate reports: {cov.entity_first_day} .. {cov.entity_last_day}")
    counts = ", ".join(f"{t} {n:,}" for t, n in cov.tables.items() if n)
    console.print(f"Rows: {counts or 'none'}")
