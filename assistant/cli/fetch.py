"""`cma fetch`: the command-line face of assistant.github.fetch (registered by cli.py)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import typer

from assistant.config import load_settings
from assistant.errors import ConfigError, ExitCode
from assistant.github.fetch import parse_reports, run_fetch

DbOption = typer.Option(None, "--db", help="Database file (else $CMA_DB, else ./copilot-metrics.duckdb).",
                        show_default=False)


def parse_day(text: str | None, flag: str, today: date | None = None) -> date | None:
    """A YYYY-MM-DD date, or `N` days ago written as `Nd`."""
    if not text:
        return None
    text = text.strip()
    m = re.fullmatch(r"(\d{1,4})d", text)
    if m:
        return (today or datetime.now(timezone.utc).date()) - timedelta(days=int(m.group(1)))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{flag} {text!r} is not a date.",
                          hint="Use YYYY-MM-DD (UTC), or 30d for 30 days ago.") from None


def fetch(
    enterprise: Optional[str] = typer.Option(None, "--enterprise", metavar="SLUG",
                                             help="Enterprise slug (from https://github.com/enterprises/SLUG)."),
    org: Optional[str] = typer.Option(None, "--org", metavar="ORG",
                                      help="Organization name (instead of --enterprise)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DAY",
                                        help="First day (YYYY-MM-DD or 30d); default: a year back, as far as "
                                             "GitHub keeps reports."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DAY", help="Last day; default: yesterday (UTC)."),
    reports: str = typer.Option("users,aggregate,teams,seats", "--reports",
                                help="Which of users, aggregate, teams, seats (comma-separated)."),
    api_url: str = typer.Option("https://api.github.com", "--api-url",
                                help="GHE.com: https://api.SUBDOMAIN.ghe.com; Enterprise Server: https://HOST/api/v3."),
    token: Optional[str] = typer.Option(None, "--token", show_default=False,
                                        help="GitHub token; else $GITHUB_TOKEN, $GH_TOKEN or `gh auth token`."),
    db: Optional[Path] = DbOption,
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=16, help="Downloads at a time."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Fetch Copilot usage reports and seats from GitHub's API: only missing days, plus the last 3 (revised)."""

    settings = load_settings(db=db)
    report = run_fetch(settings.db, enterprise=enterprise, org=org, since=parse_day(since, "--since"),
                       until=parse_day(until, "--until"), reports=parse_reports(reports), api_url=api_url,
                       token=token, concurrency=concurrency, progress=not quiet)
    if not quiet or report.errors:
        from rich.console import Console

        console = Console(stderr=True, highlight=False, soft_wrap=True)
        for line in report.summary_lines():
            if quiet and not line.startswith("Error:"):
                continue
            console.print(line, markup=False)
    if report.errors:
        raise typer.Exit(int(ExitCode.CONNECTION))
