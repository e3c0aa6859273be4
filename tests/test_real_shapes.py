"""Files in the shapes people really have (tests/real/): each loads with nothing lost, or is named for what it is."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pytest
from typer.testing import CliRunner

from assistant.cli.app import app
from assistant.errors import LoadError
from assistant.ingest import Owner, load_paths
from tests.exports import user_record, write_ndjson

REAL = Path(__file__).parent / "real"
runner = CliRunner()


def q(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def one(db: Path, sql: str) -> Any:
    return q(db, sql)[0][0]


# --- counting raw records, independently of the loader ----------------------------------------


def documents(path: Path) -> list[Any]:
    """Every JSON value in the file: NDJSON lines, one document, or documents one after another."""
    text = path.read_text(encoding="utf-8-sig")
    decoder, pos, out = json.JSONDecoder(), 0, []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return out
        value, pos = decoder.raw_decode(text, pos)
        out.append(value)


def flat(values: list[Any]) -> Iterator[Any]:
    for v in values:
        if isinstance(v, list):
            yield from flat(v)
        elif isinstance(v, dict) and isinstance(v.get("day_totals"), list):
            yield from v["day_totals"]
        elif isinstance(v, dict) and isinstance(v.get("seats"), list):
            yield from v["seats"]
        else:
            yield v


def raw_counts(path: Path) -> dict[str, int]:
    """User-day records, seats with a holder, and legacy days the file holds."""
    recs = [r for r in flat(documents(path)) if isinstance(r, dict)]
    return {
        "user_days": len({(r["day"], r["user_id"]) for r in recs if "user_id" in r and "day" in r}),
        "seats": sum(1 for r in recs if "assignee" in r and r["assignee"] is not None),
        "legacy_days": sum(1 for r in recs if "date" in r or ("day" in r and "breakdown" in r)),
    }


def loaded_counts(db: Path) -> dict[str, int]:
    return {
        "user_days": one(db, "SELECT count(*) FROM user_daily"),
        "seats": one(db, "SELECT count(*) FROM seats"),
        "legacy_days": one(
            db, "SELECT (SELECT count(*) FROM legacy_daily) + (SELECT count(*) FROM legacy_usage_daily)"
        ),
    }


LOADABLE = sorted(p.name for p in REAL.iterdir() if p.suffix in (".json", ".ndjson") and "links" not in p.name)


@pytest.mark.parametrize("name", [n for n in LOADABLE if n != "day-totals-mixed.json"])
def test_every_real_shape_loads_exactly_what_the_file_holds(tmp_path: Path, name: str) -> None:
    db = tmp_path / "t.duckdb"
    report = load_paths(db, [REAL / name])
    assert report.files[0].status == "loaded", report.files[0].message
    raw = raw_counts(REAL / name)
    assert sum(raw.values()) > 0
    assert loaded_counts(db) == raw
    # and a second load of the same file changes nothing
    load_paths(db, [REAL / name])
    assert loaded_counts(db) == raw


# --- 1. user records inside a day_totals wrapper ----------------------------------------------------


def test_user_records_in_a_day_totals_wrapper_are_user_rows(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / "users-day-totals-mock.json"]).files[0]
    assert r.kind == "users" and r.status == "loaded", r.message
    assert one(db, "SELECT count(*) FROM entity_daily") == 0
    assert q(db, "SELECT day::VARCHAR, count(*) FROM user_daily GROUP BY 1 ORDER BY 1") == [
        ("2026-02-20", 4),
        ("2026-02-21", 4),
        ("2026-02-22", 3),
    ]
    # the wrapper's window and entity fill the records
    assert q(db, "SELECT DISTINCT report_end_day::VARCHAR, enterprise_id FROM user_daily") == [("2026-02-22", "4821")]
    assert one(db, "SELECT count(*) FROM user_daily_by_feature") == 22
    assert one(db, "SELECT count(*) FROM user_daily WHERE extra IS NOT NULL") == 0


def test_a_wrapper_mixing_user_and_aggregate_records_is_reported_not_guessed(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / "day-totals-mixed.json"]).files[0]
    assert r.status == "unknown"
    assert "cannot tell what kind of export" in (r.message or "") and "day-totals-mixed.json" in (r.message or "")
    with pytest.raises(LoadError, match="cannot tell"):
        load_paths(db, [REAL / "day-totals-mixed.json"], strict=True)


# --- 2. the enterprise activity CSV: one row per login per organization ------------------------------


def test_enterprise_activity_report_keeps_every_organization_and_the_latest_per_login(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    assert load_paths(db, [REAL / "enterprise-activity-report.csv"]).files[0].status == "loaded"
    assert q(db, "SELECT organization, last_activity_at::DATE::VARCHAR FROM seat_activity WHERE login = 'mchen' "
                 "ORDER BY 1") == [("acme-data", "2025-12-10"), ("acme-web", "2026-02-23")]
    latest = q(
        db,
        "SELECT last_activity_at::DATE::VARCHAR, last_surface_used, last_active_organization, organizations "
        "FROM seat_activity_latest WHERE login = 'mchen'",
    )
    assert latest == [("2026-02-23", "VS Code 1.109.0", "acme-web", 2)]
    # the text None is NULL in every column, not only timestamps
    assert q(db, "SELECT last_authenticated_at, last_activity_at, last_surface_used FROM seat_activity "
                 "WHERE login = 'jdoe'") == [(None, None, None)]


def test_seat_usage_takes_the_latest_activity_of_a_login_once(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    seats = tmp_path / "seats.json"
    seats.write_text(json.dumps({"seats": [json.loads((REAL / "seats-org-acme-web.json").read_text())["seats"][0]]}))
    load_paths(db, [REAL / "enterprise-activity-report.csv", seats], owner=Owner("organization", "acme-web"))
    assert q(db, "SELECT login, last_surface_used FROM seat_usage") == [("mchen", "VS Code 1.109.0")]


# --- 3. organization seat listings do not replace each other ------------------------------------------


def test_seat_listings_replace_only_the_same_organization(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    web = REAL / "seats-org-acme-web.json"  # the seats' assigning team says acme-web
    load_paths(db, [web])
    other = load_paths(db, [REAL / "seats-org-unnamed.json"], owner=Owner("organization", "acme-data")).files[0]
    assert other.warnings == []
    assert q(db, "SELECT organization_login, login FROM seats ORDER BY 1, 2") == [
        ("acme-data", "lwu"),
        ("acme-data", "mchen"),
        ("acme-web", "mchen"),
        ("acme-web", "rpatel"),
    ]
    # a newer acme-web listing without rpatel replaces acme-web's seats only
    newer = tmp_path / "seats-acme-web-later.json"
    doc = json.loads(web.read_text())
    newer.write_text(json.dumps({"total_seats": 1, "seats": doc["seats"][:1]}))
    load_paths(db, [newer])
    assert q(db, "SELECT organization_login, login FROM seats ORDER BY 1, 2") == [
        ("acme-data", "lwu"),
        ("acme-data", "mchen"),
        ("acme-web", "mchen"),
    ]


def test_a_listing_that_names_no_organization_is_kept_beside_the_others_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    load_paths(db, [REAL / "seats-org-acme-web.json"])
    r = load_paths(db, [REAL / "seats-org-unnamed.json"]).files[0]
    assert r.status == "loaded" and any("--org" in w and "kept" in w for w in r.warnings), r.warnings
    assert one(db, "SELECT count(*) FROM seats") == 4
    assert one(db, "SELECT count(*) FROM seats WHERE organization_login IS NULL") == 2


def test_cli_org_option_names_the_listing(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["load", str(REAL / "seats-org-unnamed.json"), "--db", str(db), "--org", "acme-data"])
    assert result.exit_code == 0, result.output
    assert q(db, "SELECT DISTINCT organization_login, listing FROM seats") == [("acme-data", "organization:acme-data")]


# --- 4. team and organization assignees -----------------------------------------------------------------


def test_team_and_organization_assignees_are_kept_with_their_type_and_name(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    load_paths(db, [REAL / "seats-2024-team-assignees.json"])
    sql = "SELECT assignee_type, assignee_name, login, user_id, organization_login FROM seats ORDER BY 1, 2"
    assert q(db, sql) == [
        ("Organization", "acme-web", None, None, "acme-web"),
        ("Team", "justice-league", None, None, "acme-web"),
        ("Team", "platform", None, None, "acme-web"),
        ("User", "mchen", "mchen", 1, "acme-web"),
    ]
    # seat_usage is about people: a team seat is not an unused seat of a user
    assert q(db, "SELECT login FROM seat_usage") == [("mchen",)]


# --- 5. overlapping legacy metrics files ------------------------------------------------------------------


def test_overlapping_legacy_files_store_each_day_once(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    files = [REAL / "metrics-2024-06-01.json", REAL / "metrics-2024-06-03.json"]
    load_paths(db, files, owner=Owner("organization", "acme-web"))
    assert q(db, "SELECT date::VARCHAR, scope, total_active_users FROM legacy_daily ORDER BY 1") == [
        ("2024-06-01", "acme-web", 10),
        ("2024-06-02", "acme-web", 11),
        ("2024-06-03", "acme-web", 13),
        ("2024-06-04", "acme-web", 14),
        ("2024-06-05", "acme-web", 15),
    ]
    assert one(db, "SELECT count(*) FROM legacy_completions") == 5
    assert one(db, "SELECT sum(total_chats) FROM legacy_chat") == 25


def test_legacy_files_of_unnamed_scope_still_store_a_day_once_and_say_so(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    report = load_paths(db, [REAL / "metrics-2024-06-01.json", REAL / "metrics-2024-06-03.json"])
    assert one(db, "SELECT count(*) FROM legacy_daily") == 5
    assert all(any("--org" in w for w in f.warnings) for f in report.files)


# --- 6. unknown fields inside breakdown elements, at every depth ------------------------------------------


def test_unknown_fields_inside_breakdown_elements_are_kept_at_every_depth(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    load_paths(db, [REAL / "users-1-day-2025-08-14.ndjson"])
    extras = q(db, "SELECT feature, extra FROM user_daily_by_feature WHERE user_id = 201 ORDER BY 1")
    assert [(f, json.loads(e)) for f, e in extras] == [
        ("chat_panel_ask_mode", {"generated_loc_sum": 0, "accepted_loc_sum": 0}),
        ("code_completion", {"generated_loc_sum": 20, "accepted_loc_sum": 6}),
    ]
    assert json.loads(one(db, "SELECT extra FROM user_daily_by_language_feature WHERE user_id = 201")) == {
        "generated_loc_sum": 20,
        "accepted_loc_sum": 6,
    }
    ide = q(db, "SELECT plugin_version, plugin_version_sampled_at, extra FROM user_daily_by_ide WHERE user_id = 201")
    assert ide[0][:2] == ("0.29.1", "2025-08-14T09:12:44Z")
    assert json.loads(ide[0][2]) == {"last_known_ide_version": {"channel": {"name": "insiders", "since": "2025-08-01"}}}
    model = one(db, "SELECT extra FROM user_daily_by_model_feature WHERE user_id = 201")
    assert json.loads(model) == {"experiment": {"arm": "b", "weights": [0.2, 0.8]}}
    # nested objects of the record keep what their columns do not hold
    row = q(db, "SELECT cli_prompt_tokens_sum, cli_version_sampled_at, extra FROM user_daily WHERE user_id = 201")[0]
    assert row[:2] == (900, "2025-08-14T10:00:00Z")
    assert json.loads(row[2]) == {"totals_by_cli": {"token_usage": {"cached_tokens_sum": 300}}}


def test_elements_with_only_known_fields_have_no_extra(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    load_paths(db, [write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1)])])
    for table in ("user_daily", "user_daily_by_ide", "user_daily_by_feature", "user_daily_by_model_feature"):
        assert one(db, f"SELECT count(*) FROM {table} WHERE extra IS NOT NULL") == 0, table


def test_a_breakdown_that_is_not_an_array_fails_with_the_line(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    bad = user_record("2026-11-01", 2)
    bad["totals_by_feature"] = {"feature": "code_completion"}
    f = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1), bad])
    r = load_paths(db, [f]).files[0]
    assert r.status == "failed" and f"{f}:2" in (r.message or "") and "must be an array" in (r.message or "")


# --- 7 and 8. empty-string timestamps, a null assignee --------------------------------------------------------


def test_empty_string_timestamps_are_null(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / "seats-empty-timestamps.json"]).files[0]
    assert r.status == "loaded", r.message
    assert q(db, "SELECT login, last_activity_at, last_activity_editor, pending_cancellation_date FROM seats "
                 "WHERE login = 'kim'") == [("kim", None, None, None)]


def test_a_bad_seat_file_is_named_as_a_seat_file(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    doc = json.loads((REAL / "seats-empty-timestamps.json").read_text())
    doc["seats"][1]["last_activity_at"] = "last tuesday"
    f = tmp_path / "seats.json"
    f.write_text(json.dumps(doc))
    r = load_paths(db, [f]).files[0]
    assert r.status == "failed" and "seats file" in (r.message or "") and "missing 'day'" not in (r.message or "")


def test_a_seat_without_assignee_is_skipped_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / "seats-null-assignee.json"]).files[0]
    assert r.status == "loaded", r.message
    assert q(db, "SELECT login FROM seats ORDER BY 1") == [("kim",), ("ola",)]
    assert r.warnings == [f"{REAL / 'seats-null-assignee.json'}: 1 seat skipped: 'assignee' is null (no holder)."]


# --- 9. gh api --paginate output ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seats-paginate-concatenated.json", "seats-paginate-pretty.json"])
def test_paginated_pages_one_after_another_load(tmp_path: Path, name: str) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / name]).files[0]
    assert r.status == "loaded", r.message
    assert q(db, "SELECT login FROM seats ORDER BY 1") == [("kim",), ("ola",), ("pat",)]


def test_paginated_user_records_load_too(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    pages = [[user_record("2026-11-01", 1)], [user_record("2026-11-01", 2), user_record("2026-11-02", 2)]]
    f = tmp_path / "users.json"
    f.write_text("".join(json.dumps(p, indent=2) for p in pages))
    r = load_paths(db, [f]).files[0]
    assert r.status == "loaded", r.message
    assert one(db, "SELECT count(*) FROM user_daily") == 3


# --- 10. the older Copilot usage API ----------------------------------------------------------------------------


def test_the_older_copilot_usage_format_loads_into_its_own_tables(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / "copilot-usage-2024.json"], owner=Owner("organization", "acme-web")).files[0]
    assert r.kind == "legacy_usage" and r.status == "loaded", r.message
    assert q(db, "SELECT day::VARCHAR, scope, total_suggestions_count, total_active_chat_users FROM legacy_usage_daily "
                 "ORDER BY 1") == [("2023-10-15", "acme-web", 1000, 4), ("2023-10-16", "acme-web", 2000, 8)]
    assert q(db, "SELECT editor, sum(acceptances_count) FROM legacy_usage_breakdown GROUP BY 1 ORDER BY 1") == [
        ("jetbrains", 600),
        ("vscode", 1800),
    ]
    assert q(db, "SELECT kind, first_day::VARCHAR, last_day::VARCHAR FROM imports") == [
        ("legacy_usage", "2023-10-15", "2023-10-16")
    ]


# --- 11 and 12. a team map with a byte-order mark; the API's index of files --------------------------------------


def test_excel_csv_utf8_team_map_with_bom_loads(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = load_paths(db, [REAL / "team-map-excel.csv"]).files[0]
    assert r.status == "loaded", r.message
    assert q(db, "SELECT user_login, team FROM team_map ORDER BY 1") == [("mchen", "web"), ("rpatel", "data")]


def test_the_download_links_envelope_gets_its_own_message(tmp_path: Path) -> None:
    r = load_paths(tmp_path / "t.duckdb", [REAL / "users-1-day-links.json"]).files[0]
    assert r.status == "unknown"
    assert "index of files" in (r.message or "") and "cma fetch" in (r.message or "")


# --- smaller things ------------------------------------------------------------------------------------------------


def test_status_shows_dates_and_a_summary_by_kind_and_verbose_lists_imports(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    load_paths(db, [REAL / "users-day-totals-mock.json", REAL / "seats-org-acme-web.json"])
    out = runner.invoke(app, ["status", "--db", str(db)]).stdout
    assert ">10" not in out and "<10" not in out
    assert "2026-02-20 .. 2026-02-22" in out
    assert "import 1:" not in out and "users" in out and "1 file" in out
    verbose = runner.invoke(app, ["status", "--db", str(db), "--verbose"]).stdout
    assert "import 1: users" in verbose and "2026-02-20 .. 2026-02-22" in verbose


def test_a_folder_without_exports_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "README.md").write_text("notes")
    (folder / "notes.txt").write_text("notes")
    with pytest.raises(LoadError, match="No Copilot exports found in"):
        load_paths(tmp_path / "t.duckdb", [folder])
    result = runner.invoke(app, ["load", str(folder), "--db", str(tmp_path / "t.duckdb")])
    assert result.exit_code != 0 and "No Copilot exports found in" in result.stderr


def test_negative_counters_are_loaded_with_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    f = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1), user_record("2026-11-01", 2, gen=-4)])
    r = load_paths(db, [f]).files[0]
    assert r.status == "loaded"
    assert len(r.warnings) == 1 and str(f) in r.warnings[0] and "line 2" in r.warnings[0], r.warnings
    assert "'code_generation_activity_count' is -4" in r.warnings[0]
    result = runner.invoke(app, ["load", str(f), "--db", str(tmp_path / "cli.duckdb")])
    assert "negative" in result.stderr and "line 2" in result.stderr


def test_a_sqlite_file_as_db_is_named_and_nothing_is_downloaded(tmp_path: Path) -> None:
    lite = tmp_path / "copilot.db"
    sqlite3.connect(lite).execute("CREATE TABLE t (x)").connection.close()
    users = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1)])
    with pytest.raises(LoadError, match="is a SQLite database"):
        load_paths(lite, [users])
    result = runner.invoke(app, ["status", "--db", str(lite)])
    assert result.exit_code != 0 and "SQLite database" in result.stderr
    junk = tmp_path / "notes.duckdb"
    junk.write_bytes(b"just some text, certainly not a database\n" * 200)
    with pytest.raises(LoadError, match="not a DuckDB database"):
        load_paths(junk, [users])
    assert "another cma process" not in runner.invoke(app, ["load", str(users), "--db", str(junk)]).stderr


def test_load_connections_never_install_or_autoload_extensions(tmp_path: Path) -> None:
    from assistant.store.db import open_for_load

    with open_for_load(tmp_path / "t.duckdb") as con:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() "
                "WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions')"
            ).fetchall()
        )
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_the_typed_and_the_json_read_store_the_same_values(tmp_path: Path) -> None:
    """A file whose nested fields all have columns is read typed (fast); one unknown field anywhere switches the
    whole file to the JSON read: both must store the same values."""
    extra_fields = {
        "totals_by_cli": {
            "session_count": 2,
            "request_count": 7,
            "prompt_count": 3,
            "token_usage": {"prompt_tokens_sum": 800, "output_tokens_sum": 90, "avg_tokens_per_request": 127.1},
            "last_known_cli_version": {"cli_version": "0.0.330", "sampled_at": "2026-11-01T10:00:00Z"},
        },
        "totals_by_copilot_app": {"session_count": 1, "request_count": 2, "prompt_count": 1,
                                  "token_usage": {"prompt_tokens_sum": 10, "output_tokens_sum": 5,
                                                  "avg_tokens_per_request": 7.5}},
        "ai_adoption_phase": {"phase": "Phase 2", "phase_number": 2, "version": "2026-09"},
    }
    recs = [user_record(f"2026-11-0{d}", u, **extra_fields) for d in (1, 2) for u in (1, 2, 3)]
    marked = json.loads(json.dumps(recs))
    marked[4]["totals_by_ide"][0]["last_known_ide_version"]["channel"] = "insiders"
    dbs = []
    for name, rows in (("typed", recs), ("json", marked)):
        db = tmp_path / f"{name}.duckdb"
        load_paths(db, [write_ndjson(tmp_path / f"{name}.ndjson", rows)], strict=True)
        dbs.append(db)
    tables = ["user_daily", "user_daily_by_ide", "user_daily_by_feature", "user_daily_by_language_feature",
              "user_daily_by_model_feature"]
    for table in tables:
        sql = f"SELECT * EXCLUDE (extra, import_id) FROM {table} ORDER BY ALL"
        assert q(dbs[0], sql) == q(dbs[1], sql), table
    assert one(dbs[0], "SELECT count(*) FROM user_daily_by_ide WHERE extra IS NOT NULL") == 0
    assert q(dbs[1], "SELECT extra FROM user_daily_by_ide WHERE extra IS NOT NULL") == [
        ('{"last_known_ide_version":{"channel":"insiders"}}',)
    ]
    assert q(dbs[0], "SELECT DISTINCT app_avg_tokens_per_request, ai_adoption_phase_version FROM user_daily") == [
        (7.5, "2026-09")
    ]


# --- the typed read is trusted only where a key count shows it lost nothing ------------------------------------


def _variants() -> dict[str, Any]:
    """One odd line among clean ones: each must load exactly as the exact (json_structure) scan would have it."""
    def with_(change: Any) -> list[dict[str, Any]]:
        records = [user_record("2026-11-01", u, f"u{u}") for u in range(1, 41)]
        change(records[17])
        return records

    def nested_unknown(r: dict[str, Any]) -> None:
        r["totals_by_ide"][0]["last_known_ide_version"] = {"channel": {"name": "insiders"}}

    def known_name_elsewhere(r: dict[str, Any]) -> None:
        r["totals_by_feature"][0]["user_login"] = "someone-else"

    def text_holding_object(r: dict[str, Any]) -> None:
        r["enterprise_id"] = {"id": "4821", "slug": "acme"}

    return {
        "clean": with_(lambda r: None),
        "unknown top-level key": with_(lambda r: r.update(future_metric_count=7)),
        "unknown key with a null value": with_(lambda r: r.update(future_flag=None)),
        "explicit null of a known key": with_(lambda r: r.update(loc_added_sum=None)),
        "unknown key in a breakdown element, two deep": with_(nested_unknown),
        "a known name at another depth": with_(known_name_elsewhere),
        "an object where text is expected": with_(text_holding_object),
        "a string holding '\":'": with_(lambda r: r.update(user_login='odd":login')),
    }


@pytest.mark.parametrize("case", list(_variants()))
@pytest.mark.parametrize("compact", [True, False])
def test_the_checked_typed_read_keeps_what_the_exact_scan_keeps(tmp_path: Path, case: str, compact: bool) -> None:
    from assistant.ingest import users

    records = _variants()[case]
    sep = (",", ":") if compact else (", ", " : ")  # a space before the colon must not hide a key
    f = tmp_path / "u.ndjson"
    f.write_text("".join(json.dumps(r, separators=sep) + "\n" for r in records), encoding="utf-8")
    con = duckdb.connect()
    staged = users.stage_users(con, f, "ndjson", False)
    got = con.execute("SELECT * FROM stage").fetchall()
    keys, typed = users.discover(con, f, "ndjson", False)
    unknown = [k for k in keys if k not in users.KNOWN_USER_KEYS]
    users._stage(con, f, "ndjson", False, unknown, typed)
    assert (staged.unknown, staged.typed) == (unknown, typed)
    assert sorted(map(repr, got)) == sorted(map(repr, con.execute("SELECT * FROM stage").fetchall()))
    assert len(got) == len(records)
    # the count check decides on compact lines; a space before a colon, an object in a text column or '":' in
    # a string leaves it unsure, and the exact scan decides (the result above is the same either way)
    if compact:
        decisive = case not in ("an object where text is expected", "a string holding '\":'")
        assert (users._typed_and_checked(con, f, False) is not None) == decisive


def test_an_unknown_key_on_one_line_of_many_reaches_extra(tmp_path: Path) -> None:
    records = [user_record("2026-11-01", u, f"u{u}") for u in range(1, 200)]
    records[123]["totals_by_ide"][0]["next_gen_field"] = {"a": 1}
    records[150]["brand_new_total"] = 5
    db = tmp_path / "t.duckdb"
    f = tmp_path / "u.ndjson"
    f.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records), encoding="utf-8")
    assert load_paths(db, [f]).files[0].status == "loaded"
    ide_extra = one(db, "SELECT extra FROM user_daily_by_ide WHERE user_id = 124")
    assert json.loads(ide_extra) == {"next_gen_field": {"a": 1}}
    assert json.loads(one(db, "SELECT extra FROM user_daily WHERE user_id = 151")) == {"brand_new_total": 5}
    assert one(db, "SELECT count(*) FROM user_daily WHERE extra IS NOT NULL") == 1


@pytest.mark.parametrize("layout", ["crlf", "blank lines", "gzip", "bom"])
@pytest.mark.parametrize("odd", [True, False])
def test_the_checked_typed_read_matches_the_exact_scan_whatever_the_line_layout(
    tmp_path: Path, layout: str, odd: bool
) -> None:
    import gzip

    from assistant.ingest import users

    records = [user_record("2026-11-01", u, f"u{u}") for u in range(1, 30)]
    if odd:
        records[7]["totals_by_ide"][0]["later_field"] = 1
    lines = [json.dumps(r, separators=(",", ":")) for r in records]
    text = {"crlf": "\r\n".join(lines) + "\r\n",
            "blank lines": "\n\n".join(lines[:10]) + "\n\n\n" + "\n".join(lines[10:]),
            "gzip": "\n".join(lines) + "\n", "bom": "\ufeff" + "\n".join(lines) + "\n"}[layout]
    f = tmp_path / ("u.ndjson.gz" if layout == "gzip" else "u.ndjson")
    f.write_bytes(gzip.compress(text.encode()) if layout == "gzip" else text.encode("utf-8"))
    gz = layout == "gzip"
    con = duckdb.connect()
    try:
        staged = users.stage_users(con, f, "ndjson", gz)
    except duckdb.Error as e:  # then the exact path must fail the same way
        with pytest.raises(duckdb.Error):
            keys, typed = users.discover(con, f, "ndjson", gz)
            users._stage(con, f, "ndjson", gz, [k for k in keys if k not in users.KNOWN_USER_KEYS], typed)
        pytest.skip(f"neither path reads this layout: {e}")
    got = sorted(map(repr, con.execute("SELECT * FROM stage").fetchall()))
    keys, typed = users.discover(con, f, "ndjson", gz)
    users._stage(con, f, "ndjson", gz, [k for k in keys if k not in users.KNOWN_USER_KEYS], typed)
    assert staged.typed == typed and len(got) == len(records)
    assert got == sorted(map(repr, con.execute("SELECT * FROM stage").fetchall()))


def test_a_value_that_does_not_fit_still_fails_the_file_with_its_line(tmp_path: Path) -> None:
    records = [user_record("2026-11-01", u, f"u{u}") for u in range(1, 30)]
    records[5]["loc_added_sum"] = "lots"  # the lenient typed read makes it NULL; the check must not accept that
    f = tmp_path / "u.ndjson"
    f.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records), encoding="utf-8")
    r = load_paths(tmp_path / "t.duckdb", [f]).files[0]
    assert r.status == "failed" and f"{f}:6" in (r.message or "") and "must be an integer" in (r.message or "")
