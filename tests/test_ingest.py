"""`cma load`: every format, idempotence, overlap and revision, atomicity and clear errors on bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from assistant.errors import LoadError
from assistant.ingest import load_paths
from tests.exports import entity_day, seat, user_record, users_28_day, write_ndjson


def q(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def one(db: Path, sql: str):
    return q(db, sql)[0][0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "t.duckdb"


def test_users_1_day_fills_user_daily_and_every_breakdown(tmp_path: Path, db: Path) -> None:
    f = write_ndjson(tmp_path / "users-1-day.ndjson", [user_record("2026-11-01", 1), user_record("2026-11-01", 2)])
    report = load_paths(db, [f])
    assert [r.status for r in report.files] == ["loaded"]
    assert one(db, "SELECT count(*) FROM user_daily") == 2
    assert one(db, "SELECT count(*) FROM user_daily_by_ide") == 2
    assert one(db, "SELECT count(*) FROM user_daily_by_feature") == 4
    assert one(db, "SELECT count(*) FROM user_daily_by_language_feature") == 2
    assert one(db, "SELECT count(*) FROM user_daily_by_model_feature") == 2
    row = q(db, "SELECT enterprise_id, user_id, user_login, ide, ide_version FROM user_daily_by_ide ORDER BY user_id")[
        0
    ]
    assert row == ("4821", 1, "user1", "vscode", "1.126.0")
    assert one(db, "SELECT typeof(enterprise_id) || typeof(user_id) FROM user_daily LIMIT 1") == "VARCHARBIGINT"


def test_cli_totals_are_flattened_and_adoption_phase_split(tmp_path: Path, db: Path) -> None:
    rec = user_record(
        "2026-11-01",
        1,
        used_cli=True,
        ai_credits_used=12.5,
        ai_adoption_phase={"phase": "Phase 2", "phase_number": 2, "version": "v1"},
        totals_by_cli={
            "session_count": 2,
            "request_count": 23,
            "prompt_count": 5,
            "token_usage": {"prompt_tokens_sum": 182340, "output_tokens_sum": 9120, "avg_tokens_per_request": 8324.35},
            "last_known_cli_version": {"cli_version": "1.0.64", "sampled_at": "x"},
        },
    )
    load_paths(db, [write_ndjson(tmp_path / "u.ndjson", [rec])])
    assert q(
        db,
        "SELECT cli_session_count, cli_request_count, cli_prompt_tokens_sum, cli_version, ai_credits_used, "
        "ai_adoption_phase, ai_adoption_phase_number FROM user_daily",
    ) == [(2, 23, 182340, "1.0.64", 12.5, "Phase 2", 2)]


def test_gzip_and_json_array_layouts(tmp_path: Path, db: Path) -> None:
    gz = write_ndjson(tmp_path / "a.ndjson.gz", [user_record("2026-11-01", 1)], gz=True)
    arr = tmp_path / "b.json"
    arr.write_text(json.dumps([user_record("2026-11-02", 1), user_record("2026-11-02", 2)]))
    report = load_paths(db, [gz, arr])
    assert all(r.status == "loaded" for r in report.files), [r.message for r in report.files]
    assert one(db, "SELECT count(*) FROM user_daily") == 3


def test_same_file_twice_changes_nothing(tmp_path: Path, db: Path) -> None:
    f = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1)])
    load_paths(db, [f])
    second = load_paths(db, [f])
    assert second.files[0].status == "skipped"
    assert one(db, "SELECT count(*) FROM user_daily") == 1
    assert one(db, "SELECT count(*) FROM imports") == 1


def test_overlapping_28_day_exports_keep_one_row_and_the_later_revision_wins(tmp_path: Path, db: Path) -> None:
    older_days = [f"2026-10-{d:02d}" for d in range(1, 29)]
    newer_days = [f"2026-10-{d:02d}" for d in range(15, 32)] + [f"2026-11-{d:02d}" for d in range(1, 12)]
    older = write_ndjson(
        tmp_path / "older.ndjson", users_28_day("2026-10-01", "2026-10-28", older_days, [1, 2], gen=10)
    )
    newer = write_ndjson(
        tmp_path / "newer.ndjson", users_28_day("2026-10-15", "2026-11-11", newer_days, [1, 2], gen=20)
    )
    # given newest first on the command line: the older report must still not overwrite the newer one
    load_paths(db, [newer, older])
    assert one(db, "SELECT count(*) FROM user_daily") == 2 * 42
    assert one(db, "SELECT count(*) FROM (SELECT day, user_id FROM user_daily GROUP BY ALL HAVING count(*) > 1)") == 0
    assert one(db, "SELECT count(*) FROM user_daily_by_feature") == 2 * 42 * 2
    assert one(db, "SELECT max(code_generation_activity_count) FROM user_daily WHERE day = '2026-10-27'") == 20
    assert one(db, "SELECT max(code_generation_activity_count) FROM user_daily WHERE day = '2026-10-02'") == 10


def test_a_later_load_of_a_provisional_day_replaces_it(tmp_path: Path, db: Path) -> None:
    load_paths(db, [write_ndjson(tmp_path / "d1.ndjson", [user_record("2026-11-05", 1, gen=5)])])
    load_paths(db, [write_ndjson(tmp_path / "d2.ndjson", [user_record("2026-11-05", 1, gen=9, language="go")])])
    assert q(db, "SELECT code_generation_activity_count FROM user_daily") == [(9,)]
    assert q(db, "SELECT language FROM user_daily_by_language_feature") == [("go",)]


def test_organization_and_enterprise_rows_for_one_user_day_are_distinct(tmp_path: Path, db: Path) -> None:
    org = user_record("2026-11-01", 1, organization_id="999")
    load_paths(
        db,
        [
            write_ndjson(tmp_path / "e.ndjson", [user_record("2026-11-01", 1)]),
            write_ndjson(tmp_path / "o.ndjson", [org]),
        ],
    )
    assert one(db, "SELECT count(*) FROM user_daily") == 2


def test_unknown_fields_are_kept_not_fatal(tmp_path: Path, db: Path) -> None:
    recs = [user_record("2026-11-01", 1), user_record("2026-11-02", 1, etl_id="green", brand_new_metric={"x": 1})]
    report = load_paths(db, [write_ndjson(tmp_path / "u.ndjson", recs)])
    assert report.files[0].status == "loaded"
    extra = q(db, "SELECT extra FROM user_daily WHERE day = '2026-11-02'")[0][0]
    assert json.loads(extra) == {"brand_new_metric": {"x": 1}, "etl_id": "green"}
    assert q(db, "SELECT extra FROM user_daily WHERE day = '2026-11-01'")[0][0] is None


def test_every_field_is_optional_but_the_keys(tmp_path: Path, db: Path) -> None:
    load_paths(db, [write_ndjson(tmp_path / "u.ndjson", [{"day": "2026-11-01", "user_id": 5}])])
    assert q(db, "SELECT user_id, user_login, code_generation_activity_count FROM user_daily") == [(5, None, None)]


def test_aggregate_reports_1_day_object_28_day_wrapper_and_array(tmp_path: Path, db: Path) -> None:
    one_day = tmp_path / "enterprise-1-day.json"
    one_day.write_text(json.dumps(entity_day("2026-11-01", 40)))
    wrapper = tmp_path / "enterprise-28-day.json"
    wrapper.write_text(
        json.dumps(
            {
                "report_start_day": "2026-10-05",
                "report_end_day": "2026-11-01",
                "enterprise_id": "4821",
                "created_at": "2026-11-03T00:00:00Z",
                "day_totals": [entity_day(f"2026-10-{d:02d}", d) for d in range(5, 32)]
                + [entity_day("2026-11-01", 41)],
            },
            indent=2,
        )
    )
    arr = tmp_path / "docs-example.json"
    arr.write_text(
        json.dumps(
            [
                {
                    "enterprise_id": "1",
                    "report_start_day": "2025-09-04",
                    "report_end_day": "2025-10-01",
                    "day_totals": [{**entity_day("2025-10-01", 2), "enterprise_id": "1"}],
                }
            ]
        )
    )
    report = load_paths(db, [one_day, wrapper, arr])
    assert all(r.status == "loaded" for r in report.files), [r.message for r in report.files]
    assert one(db, "SELECT count(*) FROM entity_daily") == 29
    assert one(db, "SELECT daily_active_users FROM entity_daily WHERE day = '2026-11-01'") == 41
    assert one(db, "SELECT pr_total_created_by_copilot FROM entity_daily WHERE day = '2026-11-01'") == 1
    assert one(db, "SELECT cli_session_count FROM entity_daily WHERE day = '2026-11-01'") == 3


def test_user_teams_and_team_map_feed_team_membership(tmp_path: Path, db: Path) -> None:
    users = write_ndjson(
        tmp_path / "u.ndjson", [user_record("2026-11-01", 1, "alice"), user_record("2026-11-02", 1, "alice")]
    )
    teams = write_ndjson(
        tmp_path / "user-teams-1-day.ndjson",
        [
            {
                "user_id": 1,
                "user_login": "alice",
                "day": "2026-11-01",
                "enterprise_id": "4821",
                "team_id": 42,
                "slug": "web",
            },
            {
                "user_id": 1,
                "user_login": "alice",
                "day": "2026-11-01",
                "enterprise_id": "4821",
                "team_id": 43,
                "slug": "api",
            },
        ],
    )
    mapping = tmp_path / "teams.csv"
    mapping.write_text("user_login,team\nALICE,platform\n")
    load_paths(db, [users, teams, mapping])
    assert q(db, "SELECT day::VARCHAR, team, source FROM team_membership ORDER BY 1, 2") == [
        ("2026-11-01", "api", "user_teams"),
        ("2026-11-01", "web", "user_teams"),
        ("2026-11-02", "platform", "team_map"),
    ]


def test_seats_response_bare_array_and_pages(tmp_path: Path, db: Path) -> None:
    resp = tmp_path / "seats.json"
    resp.write_text(json.dumps({"total_seats": 2, "seats": [seat("alice", 1), seat("bob", 2, last_activity_at=None)]}))
    report = load_paths(db, [resp])
    assert report.files[0].status == "loaded"
    assert one(db, "SELECT count(*) FROM seats") == 2
    pages = tmp_path / "pages.json"
    pages.write_text(
        json.dumps(
            [
                {"total_seats": 3, "seats": [seat("alice", 1)]},
                {"total_seats": 3, "seats": [seat("carol", 3), seat("dan", 4, team=None)]},
            ]
        )
    )
    load_paths(db, [pages])
    # the later listing of org 'acme' replaces the earlier one: bob's seat was unassigned
    assert q(db, "SELECT login FROM seats ORDER BY 1") == [("alice",), ("carol",), ("dan",)]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([seat("erin", 5, org="other")]))
    load_paths(db, [bare])
    assert one(db, "SELECT count(*) FROM seats") == 4


def test_seat_usage_marks_never_used_seats(tmp_path: Path, db: Path) -> None:
    users = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1, "alice")])
    seats = tmp_path / "seats.json"
    seats.write_text(json.dumps({"seats": [seat("alice", 1), seat("bob", 2, last_activity_at=None)]}))
    load_paths(db, [users, seats])
    assert q(db, "SELECT login, active_days, first_active_day IS NULL FROM seat_usage ORDER BY 1") == [
        ("alice", 1, False),
        ("bob", 0, True),
    ]


def test_activity_report_csv_tolerates_header_case_and_blank_values(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "activity.csv"
    f.write_text(
        "Report Time,Login,Last Authenticated At,Last Activity At,Last Surface Used\n"
        "2026-09-16T08:00:12Z,mchen,2026-09-15T08:01:45Z,2026-09-15T13:22:04Z,VS Code 1.126.0\n"
        "2026-09-16T08:00:12Z,jdoe,,None,Unspecified\n"
    )
    report = load_paths(db, [f])
    assert report.files[0].status == "loaded", report.files[0].message
    assert q(db, "SELECT login, last_activity_at IS NULL FROM seat_activity ORDER BY 1") == [
        ("jdoe", True),
        ("mchen", False),
    ]


def test_legacy_metrics_go_to_their_own_tables(tmp_path: Path, db: Path) -> None:
    doc = [
        {
            "date": "2024-06-24",
            "total_active_users": 24,
            "total_engaged_users": 20,
            "copilot_ide_code_completions": {
                "total_engaged_users": 20,
                "editors": [
                    {
                        "name": "vscode",
                        "total_engaged_users": 13,
                        "models": [
                            {
                                "name": "default",
                                "languages": [
                                    {
                                        "name": "python",
                                        "total_engaged_users": 6,
                                        "total_code_suggestions": 249,
                                        "total_code_acceptances": 123,
                                        "total_code_lines_suggested": 225,
                                        "total_code_lines_accepted": 135,
                                    }
                                ],
                            }
                        ],
                    }
                ],
            },
            "copilot_ide_chat": {
                "total_engaged_users": 13,
                "editors": [
                    {"name": "vscode", "models": [{"name": "default", "total_engaged_users": 12, "total_chats": 45}]}
                ],
            },
        }
    ]
    f = tmp_path / "legacy.json"
    f.write_text(json.dumps(doc))
    load_paths(db, [f])
    assert one(db, "SELECT total_active_users FROM legacy_daily") == 24
    assert q(db, "SELECT editor, language, total_code_acceptances FROM legacy_completions") == [
        ("vscode", "python", 123)
    ]
    assert one(db, "SELECT total_chats FROM legacy_chat") == 45


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"day":"2026-11-01","user_id":1}\n{"day":"2026-11-02","user_id":2', ":2: malformed JSON"),
        (
            b'{"day":"2026-11-01","user_id":1}\n{"day":"2026-11-02","user_id":"abc"}\n',
            ":2: 'user_id' must be an integer",
        ),
        (
            b'{"day":"2026-11-01","user_id":1}\n{"day":"11/02/2026","user_id":2}\n',
            ":2: 'day' must be a YYYY-MM-DD date",
        ),
        (b'{"day":"2026-11-01","user_id":1}\n{"user_id":2}\n', ":2: missing 'day'"),
        (
            b'{"day":"2026-11-01","user_id":1,"code_generation_activity_count":"many"}\n',
            ":1: 'code_generation_activity_count'",
        ),
        (b"", "the file is empty"),
        (b"\x00\x01\x02\xff garbage", "not a text file"),
        (b"name,email\nx,y\n", "is not a known Copilot export"),
        (b'{"hello": "world"}\n', "not a known Copilot export"),
    ],
)
def test_bad_input_names_the_file_and_line_and_loads_nothing_from_it(
    tmp_path: Path, db: Path, content: bytes, expected: str
) -> None:
    good = write_ndjson(tmp_path / "good.ndjson", [user_record("2026-10-01", 9)])
    load_paths(db, [good])
    before = q(db, "SELECT * EXCLUDE (extra) FROM user_daily")
    bad = tmp_path / "bad.ndjson"
    bad.write_bytes(content)
    report = load_paths(db, [bad])
    assert len(report.failed) == 1
    msg = report.failed[0].message or ""
    assert str(bad) in msg and expected in msg, msg
    assert q(db, "SELECT * EXCLUDE (extra) FROM user_daily") == before
    assert one(db, "SELECT count(*) FROM imports") == 1
    with pytest.raises(LoadError, match="bad.ndjson"):
        load_paths(db, [bad], strict=True)


def test_a_bad_file_does_not_stop_the_others_unless_strict(tmp_path: Path, db: Path) -> None:
    bad = tmp_path / "a-bad.ndjson"
    bad.write_text('{"day":"2026-11-01","user_id":1}\n{"day":')
    write_ndjson(tmp_path / "b-good.ndjson", [user_record("2026-11-01", 2)])
    report = load_paths(db, [tmp_path])
    assert {r.path.name: r.status for r in report.files} == {"a-bad.ndjson": "failed", "b-good.ndjson": "loaded"}
    assert one(db, "SELECT count(*) FROM user_daily") == 1


def test_skip_bad_lines_loads_the_good_ones_and_writes_rejects(tmp_path: Path, db: Path) -> None:
    lines = [
        json.dumps(user_record("2026-11-01", 1)),
        '{"day":"2026-11-01","user_id":"x"}',
        "{not json",
        json.dumps(user_record("2026-11-01", 2)),
    ]
    f = tmp_path / "u.ndjson"
    f.write_text("\n".join(lines) + "\n")
    report = load_paths(db, [f], skip_bad_lines=True)
    r = report.files[0]
    assert r.status == "loaded" and r.rejects == 2
    assert one(db, "SELECT count(*) FROM user_daily") == 2
    rejects = [json.loads(x) for x in r.rejects_path.read_text().splitlines()]
    assert [x["line"] for x in rejects] == [2, 3]
    assert "user_id" in rejects[0]["reason"] and "malformed JSON" in rejects[1]["reason"]
    assert r.rejects_path.parent == db.parent / "t-rejects"


def test_missing_path_and_empty_glob_are_clear_errors(tmp_path: Path, db: Path) -> None:
    with pytest.raises(LoadError, match="No such file"):
        load_paths(db, [tmp_path / "nope.ndjson"])
    with pytest.raises(LoadError, match="No files match"):
        load_paths(db, [str(tmp_path / "*.ndjson")])


def test_globs_and_directories_are_expanded(tmp_path: Path, db: Path) -> None:
    sub = tmp_path / "exports" / "2026"
    sub.mkdir(parents=True)
    write_ndjson(sub / "a.ndjson", [user_record("2026-11-01", 1)])
    write_ndjson(sub / "b.jsonl", [user_record("2026-11-02", 1)])
    (sub / "notes.txt").write_text("ignored")
    report = load_paths(db, [tmp_path / "exports"])
    assert len(report.loaded) == 2
    report = load_paths(tmp_path / "g.duckdb", [str(tmp_path / "exports" / "**" / "*.ndjson")])
    assert len(report.loaded) == 1


def test_a_load_killed_half_way_leaves_the_database_as_it_was(tmp_path: Path, db: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    load_paths(db, [write_ndjson(tmp_path / "first.ndjson", [user_record("2026-09-01", 1)])])
    big = tmp_path / "big.ndjson"
    line_days = [f"2026-10-{d:02d}" for d in range(1, 29)]
    with open(big, "w") as f:
        for uid in range(2500):
            for d in line_days:
                f.write(json.dumps(user_record(d, uid + 10)) + "\n")
    code = (
        "import sys; from pathlib import Path; from assistant.ingest import load_paths; "
        "load_paths(Path(sys.argv[1]), [sys.argv[2]])"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(big)], cwd=Path(__file__).parent.parent)
    deadline = time.time() + 20
    # kill it once the loader is inside the file's transaction (the WAL exists) but before it finishes
    while time.time() < deadline and proc.poll() is None and not Path(str(db) + ".wal").exists():
        time.sleep(0.01)
    time.sleep(0.3)
    still_running = proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert still_running, "the load finished before it could be interrupted; make the file bigger"
    assert q(db, "SELECT user_id, day::VARCHAR FROM user_daily") == [(1, "2026-09-01")]
    assert one(db, "SELECT count(*) FROM user_daily_by_feature") == 2
    assert one(db, "SELECT count(*) FROM imports") == 1
    # and the same file loads cleanly afterwards
    report = load_paths(db, [big])
    assert report.files[0].status == "loaded"
    assert one(db, "SELECT count(*) FROM user_daily") == 1 + 2500 * 28


def test_a_repos_report_is_named_not_mistaken(tmp_path: Path, db: Path) -> None:
    f = write_ndjson(
        tmp_path / "repos.ndjson",
        [
            {
                "day": "2026-07-14",
                "enterprise_id": "1",
                "repo_id": 9,
                "repo_name": "svc",
                "pull_requests": {"total_created": 1},
            }
        ],
    )
    report = load_paths(db, [f])
    assert report.files[0].status == "unknown" and "repos-1-day" in (report.files[0].message or "")


def test_same_size_same_ends_different_middle_is_not_taken_for_a_reload(tmp_path: Path, db: Path) -> None:
    # > 2 MiB, so the quick fingerprint sees only the first and last MiB: the full hash must decide
    ends = [user_record("2026-10-01", uid) for uid in range(1500)]
    a = write_ndjson(tmp_path / "a.ndjson", ends + [user_record("2026-10-02", 1, gen=11)] + ends)
    b = write_ndjson(tmp_path / "b.ndjson", ends + [user_record("2026-10-02", 1, gen=12)] + ends)
    assert a.stat().st_size == b.stat().st_size > 2 << 20
    load_paths(db, [a])
    report = load_paths(db, [b])
    assert report.files[0].status == "loaded"
    assert one(db, "SELECT code_generation_activity_count FROM user_daily WHERE day = '2026-10-02'") == 12
    assert load_paths(db, [a]).files[0].status == "skipped"


def test_a_database_from_another_schema_version_is_refused_clearly(tmp_path: Path, db: Path) -> None:
    load_paths(db, [write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1)])])
    con = duckdb.connect(str(db))
    con.execute("UPDATE cma_meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(LoadError, match="another version of cma"):
        load_paths(db, [write_ndjson(tmp_path / "v.ndjson", [user_record("2026-11-02", 1)])])
    assert one(db, "SELECT count(*) FROM user_daily") == 1
