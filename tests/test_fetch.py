"""`cma fetch` against a scripted GitHub on 127.0.0.1: backfill, incremental re-runs, faults, errors, secrets."""

from __future__ import annotations

import gzip
import json
import logging
import os
import stat
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pytest

from assistant.errors import ConfigError, FetchError
from assistant.github.client import Policy
from assistant.github.fetch import FetchReport, resolve_token, run_fetch
from tests.github_server import GitHubServer, Reply

TODAY = date(2026, 2, 1)
D = date(2026, 1, 20)  # a day with data in the short tests
FAST = Policy(timeout_s=5.0)


@pytest.fixture
def gh() -> Iterator[GitHubServer]:
    with GitHubServer() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "metrics.duckdb"


class Sleeps(list):
    """An injected sleep: records how long we were asked to wait, and does not wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fetch(gh: GitHubServer, db_path: Path, *, sleeps: Sleeps | None = None, **kw: Any) -> FetchReport:
    args: dict[str, Any] = dict(enterprise="acme", org=None, since=D, until=D, reports={"users"},
                                api_url=gh.url, token=gh.token, progress=False, today=TODAY)
    args.update(kw)
    return run_fetch(db_path, sleep=sleeps if sleeps is not None else Sleeps(), policy=FAST, **args)


def query(db_path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def everything_said(report: FetchReport, caplog: pytest.LogCaptureFixture | None = None) -> str:
    text = "\n".join(report.summary_lines()) + repr(report)
    return text + (caplog.text if caplog else "")


# --- backfill and incremental runs -----------------------------------------------------------

def test_backfill_30_days_then_rerun_fetches_only_provisional_days(
        gh: GitHubServer, db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    first, last = date(2026, 1, 1), date(2026, 1, 30)
    report = fetch(gh, db_path, since=first, until=last, reports={"users", "aggregate", "seats"})

    assert report.errors == []
    assert report.days_fetched == {"users": 30, "aggregate": 30}
    assert report.seats == 5
    assert report.files_loaded == 61 and report.rows["user_daily"] == 90
    assert query(db_path, "SELECT count(DISTINCT day), min(day), max(day) FROM user_daily") == [(30, first, last)]
    assert query(db_path, "SELECT count(DISTINCT day) FROM entity_daily") == [(30,)]
    assert query(db_path, "SELECT count(*) FROM seats") == [(5,)]

    archive = db_path.parent / "metrics-archive" / "enterprise-acme"
    users_day = archive / "users-1-day" / "2026-01-15"
    assert sorted(p.name for p in users_day.iterdir()) == ["part1.ndjson.gz", "part2.ndjson.gz"]
    lines = [json.loads(x) for p in users_day.iterdir() for x in gzip.open(p, "rt").read().splitlines()]
    assert sorted(r["user_login"] for r in lines) == ["dev0", "dev1", "dev2"]
    assert (archive / "enterprise-1-day" / "2026-01-15" / "part1.json.gz").exists()
    ledger = [Path(r[0]) for r in query(db_path, "SELECT file FROM imports WHERE kind IN ('users', 'entity')")]
    assert len(ledger) == 60 and all(p.is_dir() and p.parent.parent == archive for p in ledger)
    assert len(list(archive.glob("*-1-day/*/*.gz"))) == 30 * 3
    assert len(list(archive.glob("seats/seats-*.json.gz"))) == 1
    assert not list(db_path.parent.rglob("*.tmp")) and not list(db_path.parent.rglob("*.download"))

    downloads = gh.file_requests()
    assert len(downloads) == 30 * 3
    assert all("authorization" not in r.headers for r in downloads)
    api = [r for r in gh.requests if not r.path.startswith("/files/")]
    assert all(r.headers["authorization"] == f"Bearer {gh.token}" for r in api)
    assert all(r.headers["x-github-api-version"] == "2026-03-10" for r in api)
    assert all(r.headers["accept"] == "application/vnd.github+json" for r in api)
    said = everything_said(report, caplog)
    assert gh.signature not in said and gh.token not in said

    # the second run asks only for the three latest days again (GitHub revises them)
    gh.requests.clear()
    gh.revision[last] = 1  # ... and GitHub did revise the last one
    again = fetch(gh, db_path, since=first, until=last, reports={"users", "aggregate"})
    for endpoint in ("users-1-day", "enterprise-1-day"):
        assert sorted(gh.report_requests(endpoint)) == ["2026-01-28", "2026-01-29", "2026-01-30"]
    tally = again.reports["users"]
    assert (tally.refetched, tally.already_present, tally.fetched) == (3, 27, 3)
    assert again.files_loaded == 2 and again.files_unchanged == 4  # revised users + aggregate day reloaded
    assert query(db_path, "SELECT daily_active_users FROM entity_daily WHERE day = DATE '2026-01-30'") == [(4,)]
    assert query(db_path, "SELECT count(*) FROM user_daily") == [(90,)]


def test_default_range_for_an_org_remembers_days_without_data(db_path: Path) -> None:
    today = date(2025, 12, 25)  # organization reports start 2025-12-12: 13 days by default
    with GitHubServer() as gh:
        gh.data_from = date(2025, 12, 15)
        report = fetch(gh, db_path, enterprise=None, org="acme-org", since=None, until=None,
                       reports={"users", "aggregate", "teams"}, today=today)
        assert report.errors == []
        assert report.first_day == date(2025, 12, 12) and report.last_day == date(2025, 12, 24)
        assert report.days_fetched == {"users": 10, "aggregate": 10, "teams": 10}
        assert report.reports["teams"].no_data == 3
        for endpoint in ("users-1-day", "organization-1-day", "user-teams-1-day"):
            assert sorted(gh.report_requests(endpoint)) == [
                (date(2025, 12, 12) + timedelta(days=i)).isoformat() for i in range(13)]
        assert query(db_path, "SELECT DISTINCT organization_id FROM user_daily") == [("999",)]
        assert query(db_path, "SELECT count(DISTINCT day), count(*) FROM user_teams") == [(10, 30)]
        assert query(db_path, "SELECT count(*) FROM entity_daily WHERE scope = 'organization'") == [(10,)]

        gh.requests.clear()
        report = fetch(gh, db_path, enterprise=None, org="acme-org", since=None, until=None,
                       reports={"users"}, today=today + timedelta(days=1))
    # empty days old enough to be final are not asked for again; the last 3 present and the new day are
    assert sorted(gh.report_requests()) == ["2025-12-22", "2025-12-23", "2025-12-24", "2025-12-25"]
    assert report.reports["users"].known_empty == 3


def test_days_without_data_are_not_errors(gh: GitHubServer, db_path: Path) -> None:
    gh.no_data = {date(2026, 1, 21): "204", date(2026, 1, 22): "empty"}
    report = fetch(gh, db_path, since=D, until=date(2026, 1, 23))
    assert report.errors == []
    assert (report.reports["users"].fetched, report.reports["users"].no_data) == (2, 2)
    assert query(db_path, "SELECT DISTINCT day FROM user_daily ORDER BY day") == [(D,), (date(2026, 1, 23),)]


# --- politeness and robustness ---------------------------------------------------------------

@pytest.mark.parametrize("reply, expected", [
    (Reply(429, {"message": "Too many requests"}, {"Retry-After": "2"}), 2.0),
    (Reply(403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
                            "again."}, {"Retry-After": "3"}), 3.0),
    (Reply(403, {"message": "API rate limit exceeded"},
           {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "RESET"}), 101.0),
], ids=["429", "secondary-403", "primary-403"])
def test_rate_limits_are_waited_out(gh: GitHubServer, db_path: Path, reply: Reply, expected: float) -> None:
    if reply.headers.get("X-RateLimit-Reset") == "RESET":
        reply.headers["X-RateLimit-Reset"] = str(int(time.time()) + 100)  # wait until the reset, plus 1 s
    gh.script(r"/reports/users-1-day$", reply)
    sleeps = Sleeps()
    report = fetch(gh, db_path, sleeps=sleeps)
    assert report.errors == [] and report.days_fetched == {"users": 1}
    assert len(sleeps) == 1 and expected - 15 < sleeps[0] <= expected  # (slack for a slow machine)
    if "Retry-After" in reply.headers:
        assert sleeps == [expected]
    assert gh.report_requests() == [D.isoformat(), D.isoformat()]
    assert "rate limit" in " ".join(report.notes)


def test_a_rate_limit_longer_than_the_cap_stops_with_advice(gh: GitHubServer, db_path: Path) -> None:
    gh.script(r"/reports/", Reply(429, {"message": "slow down"}, {"Retry-After": "3600"}), times=None)
    with pytest.raises(FetchError, match="rate limit") as e:
        fetch(gh, db_path)
    assert "Run the fetch again" in (e.value.hint or "")


def test_download_broken_halfway_is_retried(gh: GitHubServer, db_path: Path) -> None:
    gh.script(r"/users-1-day/.*/part1$", Reply(break_halfway=True))
    sleeps = Sleeps()
    report = fetch(gh, db_path, sleeps=sleeps)
    assert report.errors == [] and report.days_fetched == {"users": 1}
    assert [r.path.rsplit("/", 1)[1] for r in gh.file_requests()] == ["part1", "part1", "part2"]
    assert sleeps == [1.0]  # the first backoff step
    assert query(db_path, "SELECT count(*) FROM user_daily") == [(3,)]


def test_invalid_gzip_is_retried(gh: GitHubServer, db_path: Path) -> None:
    good = gzip.compress(b'{"day": "2026-01-20"}\n' * 50)
    gh.script(r"/users-1-day/.*/part2$", Reply(200, good[: len(good) // 2]))
    report = fetch(gh, db_path)
    assert report.errors == [] and query(db_path, "SELECT count(*) FROM user_daily") == [(3,)]
    assert len(gh.file_requests()) == 3


def test_expired_link_asks_for_fresh_links(gh: GitHubServer, db_path: Path) -> None:
    gh.script(r"^/files/", Reply(403, "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>"
                                      "Signed expiry time has expired</Message></Error>",
                                 {"Content-Type": "application/xml"}))
    report = fetch(gh, db_path)
    assert report.errors == [] and report.days_fetched == {"users": 1}
    assert gh.report_requests() == [D.isoformat(), D.isoformat()]
    assert query(db_path, "SELECT count(*) FROM user_daily") == [(3,)]


def test_a_day_that_keeps_failing_is_not_loaded_and_secrets_stay_out(
        gh: GitHubServer, db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    gh.script(r"/users-1-day/2026-01-21/part2$", Reply(503, "busy"), times=None)
    report = fetch(gh, db_path, since=D, until=date(2026, 1, 21))
    assert report.reports["users"].failed == 1 and report.days_fetched == {"users": 1}
    assert len(report.errors) == 1 and "users 2026-01-21" in report.errors[0]
    assert "/files/enterprises/acme/users-1-day/2026-01-21/part2" in report.errors[0]
    # part 1 of the failed day arrived, but nothing of that day was loaded
    assert query(db_path, "SELECT DISTINCT day FROM user_daily") == [(D,)]
    assert "HTTP Request" in caplog.text  # httpx did log the downloads ...
    said = everything_said(report, caplog)
    assert gh.signature not in said and "sig=" not in said and gh.token not in said  # ... without signatures


# --- errors ----------------------------------------------------------------------------------

def test_missing_token_says_how_to_provide_one(gh: GitHubServer, db_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ConfigError) as e:
        fetch(gh, db_path, token=None)
    assert "GITHUB_TOKEN" in (e.value.hint or "") and "gh auth login" in (e.value.hint or "")
    assert gh.requests == []


def test_token_from_environment_then_gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_gh = bin_dir / "gh"
    fake_gh.write_text("#!/bin/sh\n[ \"$1 $2\" = 'auth token' ] && echo gho_from_cli\n")
    fake_gh.chmod(fake_gh.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + "/usr/bin:/bin")
    assert resolve_token(None) == "gho_from_cli"
    monkeypatch.setenv("GH_TOKEN", "ghp_from_gh_token")
    assert resolve_token(None) == "ghp_from_gh_token"
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_from_github_token")
    assert resolve_token(None) == "ghp_from_github_token"
    assert resolve_token(" ghp_explicit ") == "ghp_explicit"


def test_bad_token_is_a_clear_error_without_the_token(gh: GitHubServer, db_path: Path) -> None:
    wrong = "ghp_WRONGTOKEN9876543210"
    with pytest.raises(FetchError) as e:
        fetch(gh, db_path, token=wrong, since=D, until=date(2026, 1, 25))
    assert "401" in e.value.message and "expired" in (e.value.hint or "")
    assert wrong not in e.value.message + (e.value.hint or "") + repr(e.value)
    assert len(gh.requests) == 1  # the probe failed; no fan-out of doomed requests


def test_policy_disabled_and_missing_scope_are_told_apart(gh: GitHubServer, db_path: Path) -> None:
    gh.script(r"/reports/", Reply(403, {"message": "Copilot Usage Metrics API access is disabled for this "
                                                   "enterprise."}))
    with pytest.raises(FetchError) as e:
        fetch(gh, db_path)
    assert "turned off" in e.value.message and "policy" in (e.value.hint or "")
    assert gh.token not in e.value.message + (e.value.hint or "")

    gh.script(r"/reports/", Reply(403, {"message": "Resource not accessible by personal access token"},
                                  {"X-OAuth-Scopes": "repo, read:user"}))
    with pytest.raises(FetchError) as e:
        fetch(gh, db_path)
    assert "repo, read:user" in e.value.message and "manage_billing:copilot" in (e.value.hint or "")
    assert gh.token not in e.value.message + (e.value.hint or "")


def test_wrong_names_get_a_did_you_mean(gh: GitHubServer, db_path: Path) -> None:
    with pytest.raises(FetchError, match="Organization 'acme-orgs' was not found") as e:
        fetch(gh, db_path, enterprise=None, org="acme-orgs")
    assert e.value.hint == "Did you mean --org acme-org?"
    with pytest.raises(FetchError, match="Enterprise 'acme-org' was not found") as e:
        fetch(gh, db_path, enterprise="acme-org")
    assert e.value.hint == "'acme-org' is an organization: use --org acme-org."


# --- seats -----------------------------------------------------------------------------------

def test_seats_follow_link_pagination(db_path: Path) -> None:
    with GitHubServer(seats=5, seats_page_size=2) as gh:
        report = fetch(gh, db_path, reports={"seats"})
        pages = [r.query for r in gh.requests if r.path.endswith("/copilot/billing/seats")]
    assert [p.get("page", "1") for p in pages] == ["1", "2", "3"] and pages[0]["per_page"] == "100"
    assert report.seats == 5 and report.errors == []
    assert query(db_path, "SELECT count(*), count(DISTINCT login) FROM seats") == [(5, 5)]
    # the listing is known to be the enterprise's: a later fetch replaces it, not other listings
    assert query(db_path, "SELECT DISTINCT listing FROM seats") == [("enterprise:acme",)]
    (archived,) = (db_path.parent / "metrics-archive" / "enterprise-acme" / "seats").glob("*.json.gz")
    doc = json.loads(gzip.open(archived, "rt").read())
    assert doc["total_seats"] == 5 and len(doc["seats"]) == 5


# --- the command -----------------------------------------------------------------------------

def test_cli_fetch(gh: GitHubServer, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from assistant.cli.app import app

    monkeypatch.setenv("GITHUB_TOKEN", gh.token)
    runner = CliRunner()
    result = runner.invoke(app, ["fetch", "--enterprise", "acme", "--since", "2026-01-20", "--until", "2026-01-21",
                                 "--reports", "users,aggregate", "--api-url", gh.url, "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "users      2 days fetched" in result.stderr and result.stdout == ""
    assert gh.token not in result.output and gh.signature not in result.output

    result = runner.invoke(app, ["fetch", "--db", str(db_path)])
    assert result.exit_code == 2 and "--enterprise SLUG or --org ORG" in result.stderr
    result = runner.invoke(app, ["fetch", "--org", "x", "--reports", "user", "--db", str(db_path)])
    assert result.exit_code == 2 and "Did you mean 'users'?" in result.stderr
    result = runner.invoke(app, ["fetch", "--org", "x", "--api-url", "http://example.com", "--db", str(db_path)])
    assert result.exit_code == 2 and "clear text" in result.stderr


def test_day_options() -> None:
    from assistant.cli.fetch import parse_day

    assert parse_day("2026-01-05", "--since") == date(2026, 1, 5)
    assert parse_day("30d", "--since", today=TODAY) == date(2026, 1, 2)
    assert parse_day(None, "--since") is None
    with pytest.raises(ConfigError, match="not a date"):
        parse_day("yesterday", "--until")
