"""`cma fetch`: pull Copilot usage reports and seats from GitHub's API into an archive and the database."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator
from urllib.parse import urlsplit

from assistant.contracts import PROVISIONAL_DAYS
from assistant.errors import ConfigError, FetchError
from assistant.github.client import GitHubClient, LinkExpired, Policy, TransientFetchError, scrub
from assistant.ingest import Owner, load_paths
from assistant.store import db

if TYPE_CHECKING:
    import httpx

    from assistant.github.client import GitHubClient, Policy
    from assistant.ingest import Owner

RETENTION_START = {"enterprise": date(2025, 10, 10), "org": date(2025, 12, 12)}
RETENTION_DAYS = 365
SETTLED_AFTER_DAYS = 7  # a day this old without data stays empty: remembered and not asked for again
LINK_REFRESHES = 2  # fresh download links asked for when the file host refuses the old ones
LOAD_BATCH = 32  # days per load: each load opens the database once
REPORT_NAMES = ("users", "aggregate", "teams", "seats")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Scope:
    kind: str  # "enterprise" or "org"
    name: str

    @property
    def base(self) -> str:
        return f"/enterprises/{self.name}" if self.kind == "enterprise" else f"/orgs/{self.name}"

    @property
    def label(self) -> str:
        return f"{self.kind}-{self.name}"

    @property
    def title(self) -> str:
        return f"{'enterprise' if self.kind == 'enterprise' else 'organization'} {self.name}"


@dataclass(frozen=True)
class DayReport:
    """One kind of daily report: its name on the command line, its table, its endpoint."""

    name: str
    table: str
    ext: str

    def endpoint(self, scope: Scope) -> str:
        if self.name == "users":
            return "users-1-day"
        if self.name == "teams":
            return "user-teams-1-day"
        return "enterprise-1-day" if scope.kind == "enterprise" else "organization-1-day"


DAY_REPORTS = {
    "users": DayReport("users", "user_daily", ".ndjson"),
    "aggregate": DayReport("aggregate", "entity_daily", ".json"),
    "teams": DayReport("teams", "user_teams", ".ndjson"),
}


@dataclass
class ReportTally:
    """What happened to the days of one report."""

    fetched: int = 0  # days downloaded with data (loaded, or unchanged since the last load)
    refetched: int = 0  # of the days asked for, how many were present already (provisional)
    no_data: int = 0
    known_empty: int = 0  # not asked for: empty when they were last asked for
    already_present: int = 0
    failed: int = 0


@dataclass
class FetchReport:
    """What a fetch did: per report, the days fetched, empty, skipped and failed; what was loaded."""

    scope: str
    first_day: date | None
    last_day: date | None
    archive: Path
    reports: dict[str, ReportTally] = field(default_factory=dict)
    files_loaded: int = 0
    files_unchanged: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seats: int | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def days_fetched(self) -> dict[str, int]:
        return {name: t.fetched for name, t in self.reports.items()}

    @property
    def rows_loaded(self) -> int:
        return sum(self.rows.values())

    def summary_lines(self) -> list[str]:
        span = f"{self.first_day} .. {self.last_day}" if self.first_day and self.last_day else "no days"
        lines = [f"{self.scope}: {span}; raw files in {self.archive}"]
        for name, t in self.reports.items():
            parts = [f"{t.fetched} day{'s' if t.fetched != 1 else ''} fetched"]
            if t.refetched:
                parts[0] += f" ({t.refetched} provisional re-fetched)"
            if t.no_data or t.known_empty:
                parts.append(f"{t.no_data + t.known_empty} without data")
            if t.already_present:
                parts.append(f"{t.already_present} already present")
            if t.failed:
                parts.append(f"{t.failed} failed")
            lines.append(f"  {name:<10} {', '.join(parts)}")
        if self.seats is not None:
            lines.append(f"  {'seats':<10} {self.seats} seat{'s' if self.seats != 1 else ''}")
        loaded = f"Loaded {self.files_loaded} file{'s' if self.files_loaded != 1 else ''}, {self.rows_loaded:,} rows"
        if self.rows:
            loaded += " (" + ", ".join(f"{k} {v:,}" for k, v in sorted(self.rows.items()) if v) + ")"
        if self.files_unchanged:
            loaded += f"; {self.files_unchanged} unchanged since the last load"
        lines.append(loaded)
        lines += [f"Note: {n}" for n in self.notes]
        lines += [f"Error: {e}" for e in self.errors]
        return lines


@dataclass(frozen=True)
class _DayTask:
    report: DayReport
    day: date
    present: bool


@dataclass
class _DayOutcome:
    task: _DayTask
    status: str  # "data", "no_data", "failed" or "cancelled"
    combined: Path | None = None
    http_status: int | None = None
    message: str | None = None


# --- token and arguments ---------------------------------------------------------------------

def resolve_token(explicit: str | None, *, hostname: str | None = None) -> str:
    """The GitHub token: the flag, else GITHUB_TOKEN or GH_TOKEN, else `gh auth token`."""
    if explicit and explicit.strip():
        return explicit.strip()
    for var in ("GITHUB_TOKEN", "GH_TOKEN"):
        if os.environ.get(var, "").strip():
            return os.environ[var].strip()
    gh = shutil.which("gh")
    if gh:
        cmd = [gh, "auth", "token"] + (["--hostname", hostname] if hostname else [])
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None and out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    login = f"gh auth login --hostname {hostname}" if hostname else "gh auth login"
    raise ConfigError(
        "No GitHub token found.",
        hint=f"Pass --token, set GITHUB_TOKEN (or GH_TOKEN), or sign in with the GitHub CLI: {login}. "
             "Classic tokens need manage_billing:copilot or read:enterprise for an enterprise, read:org for an "
             "organization.")


def gh_hostname(api_url: str) -> str | None:
    """The host `gh auth token --hostname` expects for an API URL (None for github.com)."""
    host = urlsplit(api_url).netloc
    if host in ("api.github.com", "github.com"):
        return None
    if host.startswith("api.") and host.endswith(".ghe.com"):
        return host[4:]
    return host


def check_api_url(api_url: str) -> str:
    """The API URL without a trailing slash; plain http only for this machine (the token must not travel bare)."""
    parts = urlsplit(api_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"--api-url {api_url!r} is not an http(s) URL.",
                          hint="github.com: https://api.github.com; GHE.com: https://api.SUBDOMAIN.ghe.com; "
                               "GitHub Enterprise Server: https://HOST/api/v3.")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError(f"--api-url {api_url!r} is not https; the token would be sent in clear text.",
                          hint="Use the https:// URL of the API.")
    return api_url.strip().rstrip("/")


def parse_reports(text: str | None) -> set[str]:
    """The report names of `--reports users,aggregate,teams,seats` (all when empty)."""
    import difflib

    if not text or not text.strip():
        return set(REPORT_NAMES)
    names = {n.strip().lower() for n in text.split(",") if n.strip()}
    for n in names:
        if n not in REPORT_NAMES:
            near = difflib.get_close_matches(n, REPORT_NAMES, n=1)
            raise ConfigError(f"Unknown report '{n}'.",
                              hint=f"Did you mean '{near[0]}'?" if near else f"Reports: {', '.join(REPORT_NAMES)}.")
    return names


def _scope(enterprise: str | None, org: str | None) -> Scope:
    if bool(enterprise) == bool(org):
        raise ConfigError("Say whose reports to fetch: --enterprise SLUG or --org ORG (one of them).",
                          hint="The enterprise slug is in its URL: https://github.com/enterprises/SLUG.")
    name = (enterprise or org or "").strip()
    if not _SLUG.match(name):
        raise ConfigError(f"'{name}' is not a valid {'enterprise slug' if enterprise else 'organization name'}.",
                          hint="Letters, digits and hyphens, as in the URL on github.com.")
    return Scope("enterprise" if enterprise else "org", name)


def day_range(scope: Scope, since: date | None, until: date | None, today: date) -> tuple[date, date, list[str]]:
    """The days to consider: within retention, never today (its report is not ready), plus notes on clamping."""
    notes: list[str] = []
    start = RETENTION_START[scope.kind]
    first = since or max(start, today - timedelta(days=RETENTION_DAYS))
    if first < start:
        notes.append(f"{'Organization' if scope.kind == 'org' else 'Enterprise'} reports start on {start}; "
                     f"fetching from there.")
        first = start
    last = until or today - timedelta(days=1)
    if last >= today:
        notes.append(f"Reports for {today} and later are not ready; fetching up to {today - timedelta(days=1)}.")
        last = today - timedelta(days=1)
    if first > last:
        notes.append(f"No days to fetch between {first} and {last}.")
    return first, last, notes


def plan_days(present: set[date], first: date, last: date, known_empty: set[date]) -> tuple[list[date], ReportTally]:
    """The days to ask for: missing ones (not known to be empty) and the last PROVISIONAL_DAYS present."""
    provisional = set(sorted(present)[-PROVISIONAL_DAYS:])
    tally = ReportTally()
    days = []
    d = first
    while d <= last:
        if d in provisional:
            days.append(d)
            tally.refetched += 1
        elif d in present:
            tally.already_present += 1
        elif d in known_empty:
            tally.known_empty += 1
        else:
            days.append(d)
        d += timedelta(days=1)
    return days, tally


# --- the fetch -------------------------------------------------------------------------------

def run_fetch(
    settings_db: Path,
    *,
    enterprise: str | None,
    org: str | None,
    since: date | None,
    until: date | None,
    reports: set[str],
    api_url: str,
    token: str | None,
    concurrency: int = 4,
    progress: bool = True,
    today: date | None = None,
    sleep: Callable[[float], None] | None = None,
    policy: "Policy | None" = None,
) -> FetchReport:
    """Fetch the missing (and provisional) days of the chosen reports, archive the raw files and load them."""

    scope = _scope(enterprise, org)
    api_url = check_api_url(api_url)
    unknown = set(reports) - set(REPORT_NAMES)
    if unknown or not reports:
        parse_reports(",".join(sorted(unknown)) or "none")  # raises with a did-you-mean
    if concurrency < 1:
        raise ConfigError("--concurrency must be at least 1.")
    today = today or datetime.now(timezone.utc).date()
    first, last, notes = day_range(scope, since, until, today)
    secret = resolve_token(token, hostname=gh_hostname(api_url))
    archive = settings_db.parent / f"{settings_db.stem}-archive"
    report = FetchReport(scope.title, first if first <= last else None, last if first <= last else None,
                         archive / scope.label, notes=notes)
    explicit_range = since is not None or until is not None

    tasks: list[_DayTask] = []
    for name in ("users", "aggregate", "teams"):
        if name not in reports:
            continue
        kind = DAY_REPORTS[name]
        present = db.present_days_at(settings_db, kind.table)
        empty = set() if explicit_range else _known_empty(archive, scope, kind)
        days, tally = plan_days(present, first, last, empty)
        report.reports[name] = tally
        tasks += [_DayTask(kind, d, d in present) for d in days]
    tasks.sort(key=lambda t: (t.day, -list(DAY_REPORTS).index(t.report.name)), reverse=True)  # newest first

    client = GitHubClient(api_url, secret, policy=policy or Policy(),
                          sleep=sleep if sleep is not None else time.sleep,
                          scope_hint=scope.kind)
    with client:
        if tasks:
            _Run(client, scope, archive, settings_db, report, today, concurrency, progress).run(tasks)
        if "seats" in reports:
            try:
                _fetch_seats(client, scope, archive, settings_db, report)
            except FetchError as e:
                if tasks:
                    report.errors.append(f"seats: {e.message}" + (f" {e.hint}" if e.hint else ""))
                else:
                    raise
        if client.pacer.waits:
            report.notes.append(f"Waited {len(client.pacer.waits)} time(s), {sum(client.pacer.waits):.0f} s in all, "
                                "for GitHub's rate limits.")
    report.errors = [_scrubbed(e, secret) for e in report.errors]
    report.notes = [_scrubbed(n, secret) for n in report.notes]
    return report


def _scrubbed(text: str, secret: str) -> str:

    return scrub(text, [secret])


class _Run:
    """One fetch of day reports: a probe, then a pool of downloads, with loads in batches on this thread."""

    def __init__(self, client: "GitHubClient", scope: Scope, archive: Path, db_path: Path, report: FetchReport,
                 today: date, concurrency: int, progress: bool) -> None:
        self.client, self.scope, self.archive, self.db_path = client, scope, archive, db_path
        self.report, self.today, self.concurrency, self.progress = report, today, concurrency, progress
        self.staging = archive / ".staging"
        self.stop = threading.Event()
        self.pending: list[_DayOutcome] = []
        self.not_found = 0
        self.answered = 0
        self.new_empty: dict[str, set[date]] = {}

    def run(self, tasks: list[_DayTask]) -> None:
        from concurrent.futures import ThreadPoolExecutor, as_completed

        try:
            with _progress_bar(self.progress, len(tasks)) as (advance, note):
                self.client.on_wait = note
                # the first request alone: a wrong name or a bad token fails once, not once per day
                first = _fetch_day(self.client, self.scope, tasks[0], self.archive, self.staging, self.stop)
                if first.status == "no_data" and first.http_status == 404:
                    _check_entity(self.client, self.scope)
                self._done(first, advance)
                pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="cma-fetch")
                try:
                    futures = [pool.submit(_fetch_day, self.client, self.scope, t, self.archive, self.staging,
                                           self.stop) for t in tasks[1:]]
                    for fut in as_completed(futures):
                        self._done(fut.result(), advance)
                        if len(self.pending) >= LOAD_BATCH:
                            self._load()
                except BaseException:
                    self.stop.set()
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
                pool.shutdown(wait=True)
        finally:
            self._load()  # whatever was downloaded completely is kept, even when the run stops early
            self._remember_empty()
            shutil.rmtree(self.staging, ignore_errors=True)
        if self.answered and self.not_found == self.answered:
            self.report.notes.append(
                f"Every day asked for returned 404. Check that the token may read the Copilot metrics of "
                f"{self.scope.title} and that the 'Copilot usage metrics' policy is enabled.")

    def _done(self, outcome: _DayOutcome, advance: Callable[[str], None]) -> None:
        tally = self.report.reports[outcome.task.report.name]
        label = f"{outcome.task.report.name} {outcome.task.day}"
        if outcome.status != "cancelled":
            self.answered += 1
            self.not_found += outcome.http_status == 404
        if outcome.status == "data":
            self.pending.append(outcome)
        elif outcome.status == "no_data":
            tally.no_data += 1
            if outcome.task.day <= self.today - timedelta(days=SETTLED_AFTER_DAYS):
                self.new_empty.setdefault(outcome.task.report.name, set()).add(outcome.task.day)
        elif outcome.status == "failed":
            tally.failed += 1
            self.report.errors.append(f"{label}: {outcome.message}")
        advance(label)

    def _load(self) -> None:

        if not self.pending:
            return
        batch, self.pending = self.pending, []
        by_path = {o.combined.resolve(): o for o in batch if o.combined}
        # the ledger names the archived day folder, not the temporary joined copy that is loaded
        sources = {str(o.combined): str(_archive_dir_of(o.combined)) for o in batch if o.combined}
        result = load_paths(
            self.db_path, [o.combined for o in batch if o.combined], sources=sources, owner=_owner(self.scope)
        )
        for fr in result.files:
            o = by_path.get(fr.path.resolve())
            if o is None:
                continue
            tally = self.report.reports[o.task.report.name]
            if fr.status == "loaded":
                tally.fetched += 1
                self.report.files_loaded += 1
                for table, n in fr.rows.items():
                    self.report.rows[table] = self.report.rows.get(table, 0) + n
            elif fr.status == "skipped":
                tally.fetched += 1
                self.report.files_unchanged += 1
            else:
                tally.failed += 1
                where = f"{o.task.report.name} {o.task.day}"
                message = (fr.message or "could not be loaded").replace(str(fr.path), where)
                self.report.errors.append(f"{where}: {message}")
            if o.combined:
                o.combined.unlink(missing_ok=True)

    def _remember_empty(self) -> None:
        for name, days in self.new_empty.items():
            path = _known_empty_path(self.archive, self.scope, DAY_REPORTS[name])
            known = _known_empty(self.archive, self.scope, DAY_REPORTS[name]) | days
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text("".join(f"{d.isoformat()}\n" for d in sorted(known)))
            tmp.replace(path)


def _known_empty_path(archive: Path, scope: Scope, kind: DayReport) -> Path:
    # .txt, so that `cma load` of the archive folder does not take it for an export
    return archive / scope.label / kind.endpoint(scope) / "days-without-data.txt"


def _known_empty(archive: Path, scope: Scope, kind: DayReport) -> set[date]:
    """Days that had no data when they were old enough to be final (see SETTLED_AFTER_DAYS)."""
    try:
        text = _known_empty_path(archive, scope, kind).read_text()
        return {date.fromisoformat(line.strip()) for line in text.splitlines() if line.strip()}
    except (OSError, ValueError):
        return set()


def _archive_dir_of(combined: Path) -> Path:
    """`<archive>/.staging/<scope>/<report>/<day>.<ext>` -> `<archive>/<scope>/<report>/<day>`."""
    parts = list(combined.parts)
    if ".staging" in parts:
        parts.remove(".staging")
    day = combined.name.split(".", 1)[0]
    return Path(*parts[:-1]) / day


def _fetch_day(client: "GitHubClient", scope: Scope, task: _DayTask, archive: Path, staging: Path,
               stop: threading.Event) -> _DayOutcome:
    """Download every part of one report day into the archive and concatenate them for one atomic load."""

    if stop.is_set():
        return _DayOutcome(task, "cancelled")
    kind, day = task.report, task.day.isoformat()
    endpoint = kind.endpoint(scope)
    report_dir = archive / scope.label / endpoint
    refused = ""
    try:
        for _ in range(LINK_REFRESHES + 1):
            r = client.get(f"{scope.base}/copilot/metrics/reports/{endpoint}", {"day": day}, ok=(200, 204, 404))
            links = _download_links(r) if r.status_code == 200 else []
            if not links:
                return _DayOutcome(task, "no_data", http_status=r.status_code)
            report_dir.mkdir(parents=True, exist_ok=True)
            partial = Path(tempfile.mkdtemp(dir=report_dir, prefix=f".{day}-"))
            try:
                parts = []
                for i, link in enumerate(links, start=1):
                    if stop.is_set():
                        return _DayOutcome(task, "cancelled")
                    part = partial / f"part{i}{kind.ext}.gz"
                    client.download(link, part)
                    parts.append(part.name)
                day_dir = report_dir / day
                if day_dir.exists():
                    shutil.rmtree(day_dir)
                partial.rename(day_dir)
            except LinkExpired as e:
                refused = str(e)
                continue
            finally:
                shutil.rmtree(partial, ignore_errors=True)
            combined = _combine([day_dir / p for p in parts], staging / scope.label / endpoint / f"{day}{kind.ext}")
            if combined is None:
                return _DayOutcome(task, "no_data", http_status=200)
            return _DayOutcome(task, "data", combined)
    except TransientFetchError as e:
        return _DayOutcome(task, "failed", message=e.message)
    return _DayOutcome(task, "failed",
                       message=f"the file host kept refusing the download links ({refused.strip()}), "
                               f"even after {LINK_REFRESHES} fresh ones.")


def _download_links(r: "httpx.Response") -> list[str]:

    try:
        body = r.json()
        links = body["download_links"]
        if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
            raise TypeError
    except (ValueError, KeyError, TypeError) as e:
        raise TransientFetchError("the report response has no download_links list.",
                                  hint="Run the fetch again; report it if it persists.") from e
    return links


def _combine(parts: list[Path], out: Path) -> Path | None:
    """The parts, unzipped and joined with newlines, as one file; None when they hold nothing."""
    out.parent.mkdir(parents=True, exist_ok=True)
    has_content = False
    with open(out, "wb") as dst:
        for part in parts:
            last = b"\n"
            with gzip.open(part, "rb") as src:
                while chunk := src.read(1 << 20):
                    has_content = has_content or bool(chunk.strip())
                    dst.write(chunk)
                    last = chunk[-1:]
            if last != b"\n":
                dst.write(b"\n")
    if not has_content:
        out.unlink()
        return None
    return out


def _check_entity(client: "GitHubClient", scope: Scope) -> None:
    """After a 404 on the first report: raise when the enterprise or organization itself is not there."""
    import difflib

    if scope.kind == "org":
        r = client.get(f"/orgs/{scope.name}", ok=(200, 404))
        if r.status_code == 200:
            return
        hint = f"Check the name (https://github.com/{scope.name})."
        try:
            mine = [o.get("login", "") for o in client.get("/user/orgs", {"per_page": 100}).json()]
        except (FetchError, ValueError, AttributeError, TypeError):
            mine = []
        near = difflib.get_close_matches(scope.name, mine, n=1, cutoff=0.6)
        if near:
            hint = f"Did you mean --org {near[0]}?"
        elif mine:
            hint = f"Your token sees these organizations: {', '.join(sorted(mine)[:10])}."
        raise FetchError(f"Organization '{scope.name}' was not found (404).", hint=hint)
    r = client.get(f"/enterprises/{scope.name}/copilot/billing/seats", {"per_page": 1}, ok=(200, 403, 404))
    if r.status_code != 404:
        return
    hint = ("Use the slug from the enterprise's URL (https://github.com/enterprises/SLUG) and a token of an "
            "enterprise owner or billing manager (fine-grained tokens cannot read enterprise metrics).")
    if client.get(f"/orgs/{scope.name}", ok=(200, 404)).status_code == 200:
        hint = f"'{scope.name}' is an organization: use --org {scope.name}."
    raise FetchError(f"Enterprise '{scope.name}' was not found (404), or the token cannot see it.", hint=hint)


def _owner(scope: Scope) -> "Owner":
    """Whose seat listing a fetched file is: the organization or enterprise it was fetched from."""

    return Owner("enterprise" if scope.kind == "enterprise" else "organization", scope.name)


def _fetch_seats(client: "GitHubClient", scope: Scope, archive: Path, db_path: Path, report: FetchReport) -> None:
    """Every page of the seat listing, combined into one seats JSON file, archived and loaded."""

    seats: list[object] = []
    total = None
    url: str | None = f"{scope.base}/copilot/billing/seats"
    params: dict[str, object] | None = {"per_page": 100}
    for _ in range(10_000):
        if url is None:
            break
        r = client.get(url, params)
        try:
            body = r.json()
            page = body["seats"]
        except (ValueError, KeyError, TypeError) as e:
            raise FetchError("The seats response has no 'seats' list.", hint="Run the fetch again.") from e
        if total is None:
            total = body.get("total_seats")
        seats.extend(page)
        url, params = r.links.get("next", {}).get("url"), None
    out_dir = archive / scope.label / "seats"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = out_dir / f"seats-{stamp}.json.gz"
    tmp = out.with_name(out.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump({"total_seats": total if total is not None else len(seats), "seats": seats}, f)
    tmp.replace(out)
    report.seats = int(total) if isinstance(total, int) else len(seats)
    result = load_paths(db_path, [out], owner=_owner(scope))
    for fr in result.files:
        if fr.status == "loaded":
            report.files_loaded += 1
            for table, n in fr.rows.items():
                report.rows[table] = report.rows.get(table, 0) + n
        elif fr.status == "skipped":
            report.files_unchanged += 1
        else:
            report.errors.append(f"seats: {fr.message}")


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[tuple[Callable[[str], None], Callable[[str], None]]]:
    """Callbacks that advance a progress bar on stderr by one day, and say why it waits (plain lines off a tty)."""
    if not enabled or not sys.stderr.isatty():
        yield (lambda label: None), (lambda message: print(message, file=sys.stderr) if enabled else None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]fetching[/] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield (lambda label: bar.update(task, description=label, advance=1),
               lambda message: bar.update(task, description=message))
