"""What `cma load` and `cma status` print on stderr: per-file outcomes, rows per table, coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.store.coverage import compress_days

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.contracts import Coverage
    from assistant.ingest import LoadReport


def print_load_report(console: "Console", report: "LoadReport", cov: "Coverage") -> None:
    """The summary after `cma load`: per-file outcome, rows per table, warnings, coverage, missing days."""
    from rich.markup import escape

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
    for f in loaded:
        for w in f.warnings:
            console.print(f"[yellow]warning[/] {escape(w)}")
    for note in report.notes:
        console.print(f"[yellow]warning[/] {escape(note)}")
    print_coverage(console, cov)


def _day(value: object) -> str:
    return "" if value is None else str(value)


def print_imports(console: "Console", imports: list[dict], *, verbose: bool = False) -> None:
    """The imports ledger: one line per kind of export (files, rows, days), or every import when verbose."""
    from rich.markup import escape

    if verbose:
        for imp in imports:
            console.print(
                f"  import {imp['import_id']}: {imp['kind']:<13} {imp['rows']:>9,} rows  "
                f"{_day(imp['first_day']):>10} .. {_day(imp['last_day']):<10} {escape(str(imp['file']))}"
            )
        return
    by_kind: dict[str, list[dict]] = {}
    for imp in imports:
        by_kind.setdefault(imp["kind"], []).append(imp)
    for kind, imps in sorted(by_kind.items()):
        firsts = [i["first_day"] for i in imps if i["first_day"] is not None]
        lasts = [i["last_day"] for i in imps if i["last_day"] is not None]
        days = f"  {min(firsts)} .. {max(lasts)}" if firsts and lasts else ""
        files = f"{len(imps)} file{'s' if len(imps) != 1 else ''}"
        console.print(f"  {kind:<13} {files:>9} {sum(i['rows'] for i in imps):>11,} rows{days}")
    if imports:
        console.print("  [dim](cma status --verbose lists every import)[/]")


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
