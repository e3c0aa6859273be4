"""The per-load facts: stored at load time, equal to what every question used to compute, refreshed by each load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from assistant.config import load_settings
from assistant.engine.session import Session
from assistant.ingest import load_paths
from assistant.semantic import catalog
from assistant.store import derived
from assistant.store.query import open_readonly
from tests.exports import seat, user_record, write_ndjson

# team_membership as the view of schema 3 defined it, before the loader maintained it as a table
OLD_VIEW = """
SELECT day, user_id, user_login, slug AS team, team_id, 'user_teams' AS source
FROM user_teams
UNION ALL
SELECT d.day, d.user_id, d.user_login, m.team, CAST(NULL AS BIGINT) AS team_id, 'team_map' AS source
FROM (SELECT DISTINCT day, user_id, user_login FROM user_daily) d
JOIN team_map m ON lower(m.user_login) = lower(d.user_login)
WHERE d.day NOT IN (SELECT DISTINCT day FROM user_teams)
"""
# seat_usage as schema 3's view defined it
OLD_SEAT_VIEW = """
SELECT s.login, s.user_id, s.organization_login, s.assigning_team_slug, s.created_at, s.pending_cancellation_date,
       s.last_activity_at, a.first_active_day, a.last_active_day, coalesce(a.active_days, 0) AS active_days,
       sa.last_surface_used
FROM seats s
LEFT JOIN (
  SELECT user_id, lower(any_value(user_login)) AS login_lc, min(day) AS first_active_day,
         max(day) AS last_active_day, count(DISTINCT day) AS active_days
  FROM user_daily GROUP BY user_id
) a ON a.user_id = s.user_id OR (s.user_id IS NULL AND a.login_lc = lower(s.login))
LEFT JOIN seat_activity_latest sa ON lower(sa.login) = lower(s.login)
WHERE s.login IS NOT NULL
"""
# the login set as it was first defined: every login of usage, seats and team membership, lower case
DEFINED_LOGINS = """
SELECT DISTINCT lower(user_login) FROM user_daily WHERE user_login IS NOT NULL
UNION SELECT lower(login) FROM seats WHERE login IS NOT NULL
UNION SELECT lower(user_login) FROM team_membership WHERE user_login IS NOT NULL
"""


def rows(db: Path, sql: str) -> list[tuple]:
    con = open_readonly(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stored_and_live(db: Path) -> tuple[derived.Facts, derived.Facts]:
    con = open_readonly(db)
    try:
        assert derived.is_fresh(con)
        return derived.stored_facts(con), derived.live_facts(con)
    finally:
        con.close()


def team_day(day: str, user_id: int, login: str, slug: str, team_id: int) -> dict[str, object]:
    return {"user_id": user_id, "user_login": login, "day": day, "enterprise_id": "4821", "team_id": team_id,
            "slug": slug}


def test_stored_facts_equal_the_per_question_queries_on_the_sample(sample_db: Path) -> None:
    stored, live = stored_and_live(sample_db)
    assert stored == live
    assert stored.coverage.users == 51 and stored.coverage.teams == 5 and len(stored.logins) == 60
    assert stored.values["team"] and stored.values["language"]


def test_derived_tables_hold_what_the_old_views_computed(sample_db: Path) -> None:
    table = rows(sample_db, "SELECT * FROM team_membership ORDER BY ALL")
    view = rows(sample_db, f"SELECT * FROM ({OLD_VIEW}) ORDER BY ALL")
    assert len(table) == 3278 and table == view
    seats = rows(sample_db, "SELECT * FROM seat_usage ORDER BY ALL")
    assert len(seats) == 60 and seats == rows(sample_db, f"SELECT * FROM ({OLD_SEAT_VIEW}) ORDER BY ALL")
    kinds = rows(sample_db, "SELECT DISTINCT table_type FROM information_schema.tables "
                            "WHERE table_name IN ('team_membership', 'seat_usage')")
    assert kinds == [("BASE TABLE",)]


def test_completion_names_are_the_distinct_teams_and_logins(sample_db: Path) -> None:
    con = open_readonly(sample_db)
    try:
        assert derived.names(con, "team", 1000) == [r[0] for r in con.execute(
            "SELECT DISTINCT team FROM team_membership ORDER BY 1").fetchall()]
        assert derived.names(con, "login", 1000) == [r[0] for r in con.execute(
            "SELECT DISTINCT user_login FROM user_daily ORDER BY 1").fetchall()]
        assert len(derived.names(con, "login", 7)) == 7
    finally:
        con.close()


def test_a_second_load_refreshes_every_fact(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    first = write_ndjson(tmp_path / "a.ndjson", [user_record("2026-11-01", 1, "Alice", language="python"),
                                                 user_record("2026-11-01", 2, "bob")])
    mapping = tmp_path / "teams.csv"
    mapping.write_text("user_login,team\nalice,platform\n")
    seats = tmp_path / "seats.json"
    seats.write_text(json.dumps({"seats": [seat("alice", 1), seat("carol", 3, last_activity_at=None)]}))
    load_paths(db, [first, mapping, seats], strict=True)
    stored, live = stored_and_live(db)
    assert stored == live
    assert (stored.coverage.users, stored.coverage.teams, stored.as_of.isoformat()) == (2, 1, "2026-11-01")
    assert rows(db, "SELECT team, source FROM team_membership") == [("platform", "team_map")]
    assert rows(db, "SELECT login, active_days FROM seat_usage ORDER BY 1") == [("alice", 1), ("carol", 0)]

    second = write_ndjson(tmp_path / "b.ndjson", [user_record("2026-11-03", 3, "Carol", language="rust")])
    teams = write_ndjson(tmp_path / "user-teams-1-day.ndjson", [team_day("2026-11-03", 3, "Carol", "web", 7)])
    load_paths(db, [second, teams], strict=True)
    stored, live = stored_and_live(db)
    assert stored == live
    assert (stored.coverage.users, stored.coverage.teams, stored.as_of.isoformat()) == (3, 2, "2026-11-03")
    assert [d.isoformat() for d in stored.coverage.missing_days] == ["2026-11-02"]
    assert "carol" in stored.logins and "rust" in stored.values["language"]
    assert sorted(rows(db, "SELECT day::VARCHAR, team FROM team_membership")) == [
        ("2026-11-01", "platform"), ("2026-11-03", "web")]
    old = rows(db, f"SELECT * FROM ({OLD_VIEW}) ORDER BY ALL")
    assert rows(db, "SELECT * FROM team_membership ORDER BY ALL") == old
    assert rows(db, "SELECT login, active_days FROM seat_usage ORDER BY 1") == [("alice", 1), ("carol", 1)]

    # a user-teams report for a day the team map covered: that day's map rows give way, other days stay
    late = write_ndjson(tmp_path / "user-teams-b.ndjson", [team_day("2026-11-01", 1, "Alice", "api", 8)])
    load_paths(db, [late], strict=True)
    stored, live = stored_and_live(db)
    assert stored == live
    assert sorted(rows(db, "SELECT day::VARCHAR, team, source FROM team_membership")) == [
        ("2026-11-01", "api", "user_teams"), ("2026-11-03", "web", "user_teams")]
    old = rows(db, f"SELECT * FROM ({OLD_VIEW}) ORDER BY ALL")
    assert rows(db, "SELECT * FROM team_membership ORDER BY ALL") == old


def test_a_reload_of_the_same_file_keeps_the_facts_fresh(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    users = write_ndjson(tmp_path / "a.ndjson", [user_record("2026-11-01", 1, "alice")])
    load_paths(db, [users], strict=True)
    report = load_paths(db, [users], strict=True)
    assert [f.status for f in report.files] == ["skipped"]
    stored, live = stored_and_live(db)
    assert stored == live and stored.coverage.users == 1


def test_a_schema_3_database_is_read_live_and_upgraded_by_the_next_load(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    mapping = tmp_path / "teams.csv"
    mapping.write_text("user_login,team\nalice,platform\n")
    load_paths(db, [write_ndjson(tmp_path / "a.ndjson", [user_record("2026-11-01", 1, "alice")]), mapping])
    con = duckdb.connect(str(db))  # turn it into what schema 3 wrote: views and no stored facts
    con.execute("DROP TABLE team_membership; DROP TABLE seat_usage; DROP TABLE cma_facts; DROP TABLE cma_names")
    con.execute(f"CREATE VIEW team_membership AS {OLD_VIEW}")
    con.execute(f"CREATE VIEW seat_usage AS {OLD_SEAT_VIEW}")
    con.execute("DELETE FROM cma_meta WHERE key = ?", [derived.WATERMARK])
    con.execute("UPDATE cma_meta SET value = '3' WHERE key = 'schema_version'")
    con.close()

    session = Session(load_settings(db=db, offline=True))
    try:
        ctx = session.context()  # no stored facts: computed from the data as before
        assert ctx.coverage.users == 1 and ctx.coverage.teams == 1 and "alice" in ctx.logins
        assert session.ask("how many people used copilot?", explain=False).rows == [(1,)]
    finally:
        session.close()

    load_paths(db, [write_ndjson(tmp_path / "b.ndjson", [user_record("2026-11-02", 1, "alice")])], strict=True)
    stored, live = stored_and_live(db)
    assert stored == live and stored.coverage.days == 2
    assert rows(db, "SELECT value FROM cma_meta WHERE key = 'schema_version'") == [("4",)]
    assert rows(db, "SELECT count(*) FROM team_membership") == [(2,)]


DERIVED_STATE = ("team_membership", "seat_usage", "cma_user_months", "cma_names", "cma_facts")


def derived_state(db: Path) -> dict[str, list[tuple]]:
    return {t: rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in DERIVED_STATE}


def rebuilt_in_full(db: Path, scratch: Path) -> dict[str, list[tuple]]:
    """The derived tables and facts of a copy of `db` after a full rebuild (what a first load computes)."""
    copy = scratch / f"full-{db.name}"
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    try:
        derived.refresh(con)
    finally:
        con.close()
    return derived_state(copy)


def test_incremental_refreshes_equal_a_full_rebuild_after_every_kind_of_load(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    logins = {1: "Alice", 2: "bob", 3: "Carol", 4: "dave", 6: "Erin"}
    seats = tmp_path / "seats.json"
    seats.write_text(json.dumps({"seats": [seat(logins[u].lower(), u) for u in (1, 2, 3, 4)] + [seat("frank", 5)]}))
    mapping = tmp_path / "teams.csv"
    mapping.write_text("user_login,team\nalice,platform\ncarol,web\n")
    first_days = ("2026-10-30", "2026-10-31", "2026-11-01")
    loads = [
        # a first load across a month boundary
        [write_ndjson(tmp_path / "a.ndjson", [user_record(d, u, logins[u]) for d in first_days for u in (1, 2, 3, 4)]),
         seats, mapping],
        # one new day in a month already loaded
        [write_ndjson(tmp_path / "b.ndjson", [user_record("2026-11-02", u, logins[u]) for u in (1, 2)])],
        # a revised day: one user's row of 2026-10-31 is replaced
        [write_ndjson(tmp_path / "c.ndjson", [user_record("2026-10-31", 3, logins[3], language="rust")])],
        # a new user, two new days across the next month boundary, a user-teams report for one of them
        [write_ndjson(tmp_path / "d.ndjson", [user_record(d, u, logins[u]) for d in ("2026-11-30", "2026-12-01")
                                              for u in (4, 6)]),
         write_ndjson(tmp_path / "user-teams-1-day.ndjson", [team_day("2026-12-01", 6, "Erin", "api", 8)])],
    ]
    for i, files in enumerate(loads):
        load_paths(db, files, strict=True)
        assert derived_state(db) == rebuilt_in_full(db, tmp_path), f"after load {i + 1}"
        assert rows(db, "SELECT name FROM cma_names WHERE kind = 'login_lc' ORDER BY 1") == rows(
            db, f"SELECT * FROM ({DEFINED_LOGINS}) ORDER BY 1")
    # a seats-only load: seat_usage is rebuilt from the stored months, user_daily is not read again
    seats.write_text(json.dumps({"seats": [seat(logins[u].lower(), u) for u in (1, 2, 3, 4, 6)]}))
    load_paths(db, [seats], strict=True)
    state = derived_state(db)
    assert state == rebuilt_in_full(db, tmp_path)
    su = catalog.BY_NAME["seat_usage"].derived_sql
    assert state["seat_usage"] == rows(db, f"SELECT * FROM ({su}) ORDER BY ALL")  # the catalog's SQL, live
    assert rows(db, "SELECT login, first_active_day::VARCHAR, last_active_day::VARCHAR, active_days "
                    "FROM seat_usage ORDER BY 1") == [
        ("alice", "2026-10-30", "2026-11-02", 4), ("bob", "2026-10-30", "2026-11-02", 4),
        ("carol", "2026-10-30", "2026-11-01", 3), ("dave", "2026-10-30", "2026-12-01", 5),
        ("erin", "2026-11-30", "2026-12-01", 2)]
    assert rows(db, "SELECT month::VARCHAR, count(*) FROM cma_user_months GROUP BY 1 ORDER BY 1") == [
        ("2026-10-01", 4), ("2026-11-01", 5), ("2026-12-01", 2)]


def test_a_database_from_before_the_monthly_activity_is_rebuilt_in_full_by_its_next_load(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    seats = tmp_path / "seats.json"
    seats.write_text(json.dumps({"seats": [seat("alice", 1), seat("bob", 2)]}))
    load_paths(db, [write_ndjson(tmp_path / "a.ndjson", [user_record("2026-11-01", 1, "alice")]), seats], strict=True)
    con = duckdb.connect(str(db))  # what this schema-4 database held before cma_user_months was kept
    con.execute("DROP TABLE cma_user_months")
    con.execute("DELETE FROM cma_meta WHERE key = ?", [derived.USER_MONTHS_MARK])
    con.close()
    load_paths(db, [write_ndjson(tmp_path / "b.ndjson", [user_record("2026-11-02", 2, "bob")])], strict=True)
    assert derived_state(db) == rebuilt_in_full(db, tmp_path)
    assert rows(db, "SELECT login, active_days FROM seat_usage ORDER BY 1") == [("alice", 1), ("bob", 1)]


def test_a_seat_without_a_user_id_is_matched_to_its_activity_by_login(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    seats = tmp_path / "seats.json"
    seats.write_text(json.dumps({"seats": [seat("alice", 1), seat("Gina", None), seat("nobody", None)]}))
    users = write_ndjson(tmp_path / "a.ndjson", [user_record(d, u, login) for d in ("2026-11-01", "2026-11-02")
                                                 for u, login in ((1, "alice"), (9, "gina"))])
    load_paths(db, [users, seats], strict=True)
    got = rows(db, "SELECT login, user_id, first_active_day::VARCHAR, active_days FROM seat_usage ORDER BY 1")
    assert got == [("Gina", None, "2026-11-01", 2), ("alice", 1, "2026-11-01", 2), ("nobody", None, None, 0)]
    old_view = rows(db, f"SELECT * FROM ({OLD_SEAT_VIEW}) ORDER BY ALL")
    assert rows(db, "SELECT * FROM seat_usage ORDER BY ALL") == old_view
