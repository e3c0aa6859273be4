"""What `cma load` and `cma status` print on stderr: per-file outcomes, rows per table, coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.store.coverage import compress_days

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.contracts import Coverage
    from assistant.ingest import LoadReport


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
