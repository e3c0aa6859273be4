"""Everyday use, from the user's side: follow-ups across `cma ask -c`, clear errors, fast failures."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.app import app
from tests.installed import installed_cma


def ask(*args: str) -> "object":
    return CliRunner().invoke(app, ["ask", *args])


def sql_of(*args: str) -> str:
    result = ask(*args, "--sql-only")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_chain_of_follow_ups_keeps_its_thread(sample_db: Path) -> None:
    db = ("--db", str(sample_db))
    first = sql_of("lines added by language", *db)
    by_ide = sql_of("and by IDE?", "-c", *db)
    by_model = sql_of("and by model?", "-c", *db)
    assert "language" in first and "user_daily_by_ide" in by_ide
    # the third follow-up still measures lines added, now by model (not a generic summary by model)
    assert "user_daily_by_model_feature" in by_model and "loc_added" in by_model
    assert "GROUP BY" in by_model


def test_a_refused_follow_up_keeps_the_question_it_followed(sample_db: Path) -> None:
    db = ("--db", str(sample_db))
    sql_of("how many people used agent mode", *db)
    refused = ask("and the moon?", "-c", "--sql-only", *db)
    assert refused.exit_code != 0
    narrowed = sql_of("only last week", "-c", *db)
    assert "chat_panel_agent_mode" in narrowed and "2026-11-01" in narrowed


def test_bad_environment_values_are_clear_errors(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMA_MAX_ROWS", "abc")
    result = ask("how many users", "--db", str(sample_db))
    assert result.exit_code == 2 and "$CMA_MAX_ROWS must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("flag, value, message", [
    ("--max-rows", "0", "--max-rows must be at least 1"),
    ("--max-rows", "-5", "--max-rows must be at least 1"),
    ("--timeout", "0", "--timeout must be greater than 0"),
    ("--timeout", "-1", "--timeout must be greater than 0"),
])
def test_limits_must_be_positive(sample_db: Path, flag: str, value: str, message: str) -> None:
    result = ask("how many users", "--db", str(sample_db), flag, value)
    assert result.exit_code == 2 and message in result.stderr


def test_debug_works_after_any_command(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    plain = CliRunner().invoke(app, ["status", "--db", str(missing)])
    assert plain.exit_code == 1 and "No database" in plain.stderr
    assert isinstance(plain.exception, SystemExit)  # a message and an exit code, no traceback
    debug = CliRunner().invoke(app, ["status", "--db", str(missing), "--debug"])
    assert type(debug.exception).__name__ == "QueryError"  # --debug lets the real error (and traceback) through


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("cma ")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fetch_from_an_unreachable_host_fails_fast(tmp_path: Path) -> None:
    env_db = tmp_path / "f.duckdb"
    started = time.monotonic()
    proc = subprocess.run(
        [str(installed_cma()), "fetch", "--org", "acme", "--db", str(env_db), "--token", "ghp_x",
         "--api-url", f"http://127.0.0.1:{_closed_port()}", "--since", "2026-11-01", "--until", "2026-11-03"],
        capture_output=True, text=True, timeout=60,
    )
    took = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    assert "Cannot reach 127.0.0.1" in proc.stderr and "refused" in proc.stderr
    assert "ghp_x" not in proc.stderr + proc.stdout
    assert took < 30


def test_conversation_file_keeps_the_thread(sample_db: Path, isolated_env: Path) -> None:
    db = ("--db", str(sample_db))
    sql_of("lines added by language", *db)
    sql_of("and by IDE?", "-c", *db)
    saved = json.loads(next(isolated_env.rglob("last_conversation.json")).read_text())
    assert saved["turns"][-1]["thread"] == ["lines added by language", "and by IDE?"]


def test_a_saved_answer_re_runs_on_a_relative_window(sample_db: Path) -> None:
    db = ("--db", str(sample_db))
    saved = ask("which teams have lower adoption rates?", *db, "--save", "our-adoption", "-f", "csv")
    assert saved.exit_code == 0 and "days=28" in saved.stderr
    shown = CliRunner().invoke(app, ["queries", "show", "our-adoption"])
    assert "DATE '" not in shown.stdout and ":days" in shown.stdout
    for days in ("14", "28"):
        run = CliRunner().invoke(app, ["queries", "run", "our-adoption", "--param", f"days={days}", *db, "-f", "json"])
        assert run.exit_code == 0, run.stderr
    again = ask("which teams have lower adoption rates?", *db, "--save", "our-adoption")
    assert again.exit_code == 2 and "already exists" in again.stderr  # no silent replacement
    starter = ask("which teams have lower adoption rates?", *db, "--save", "team-adoption")
    assert starter.exit_code == 2 and "starter query" in starter.stderr


def test_a_saved_answer_over_fixed_dates_says_it_is_pinned(sample_db: Path) -> None:
    saved = ask("how many users were active in october?", "--db", str(sample_db), "--save", "oct", "-f", "csv")
    assert saved.exit_code == 0 and "Pinned to fixed dates" in saved.stderr


def test_queries_add_checks_the_sql_with_the_guard() -> None:
    result = CliRunner().invoke(app, ["queries", "add", "bad", "-q", "x?", "--sql", "SELECT * FROM read_csv('/etc/x')"])
    assert result.exit_code == 2 and "Not saved" in result.stderr and "read_csv" in result.stderr
    listed = CliRunner().invoke(app, ["queries", "list"])
    assert "bad" not in listed.stdout.split()


def test_exports_to_a_pipe_get_every_row(sample_db: Path) -> None:
    add = CliRunner().invoke(app, ["queries", "add", "all-days", "-q", "every user-day?",
                                   "--sql", "SELECT day, user_login FROM user_daily ORDER BY day, user_login"])
    assert add.exit_code == 0, add.stderr
    import duckdb

    with duckdb.connect(str(sample_db), read_only=True) as con:
        total = con.execute("SELECT count(*) FROM user_daily").fetchone()[0]
    assert total > 200
    run = CliRunner().invoke(app, ["queries", "run", "all-days", "--db", str(sample_db), "-f", "csv"])
    assert run.exit_code == 0, run.stderr
    assert len(run.stdout.strip().splitlines()) == total + 1  # the header and every row, not 200
    assert f"Wrote {total:,} rows." in run.stderr
    capped = CliRunner().invoke(app, ["queries", "run", "all-days", "--db", str(sample_db), "-f", "csv",
                                      "--max-rows", "50"])
    assert len(capped.stdout.strip().splitlines()) == 51 and f"showing 50 of {total:,} rows" in capped.stderr


def test_queries_run_json_is_the_ask_shape(sample_db: Path) -> None:
    run = CliRunner().invoke(app, ["queries", "run", "seat-utilisation", "--db", str(sample_db), "-f", "json"])
    assert run.exit_code == 0, run.stderr
    body = json.loads(run.stdout)
    assert {"columns", "rows", "row_count", "truncated", "sql", "coverage"} <= set(body)
    records = CliRunner().invoke(app, ["queries", "run", "seat-utilisation", "--db", str(sample_db), "-f", "jsonl"])
    lines = [json.loads(x) for x in records.stdout.splitlines()]
    assert len(lines) == body["row_count"] and set(lines[0]) == set(body["columns"])


@pytest.mark.parametrize("argv", [
    ["status", "--format", "jsn"], ["queries", "list", "--format", "yaml"], ["ask", "x", "--format", "xml"],
])
def test_unknown_formats_are_refused(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2 and "Unknown --format value" in result.stderr


def test_sql_and_psql_commands_typed_at_the_prompt(sample_db: Path) -> None:
    from tests.test_repl import drive, make_session

    session, translator = make_session(sample_db)
    out = drive(session, "select count(DISTINCT user_id) AS people from user_daily\r\\dt\r\\d seats\r\\q\r")
    assert "people" in out and "I don't know" not in out and translator.calls == []
    assert "user_daily" in out and "seat_usage" in out  # \dt lists the tables
    assert "assignee_login" in out or "login" in out  # \d seats describes one


def test_config_shows_settings_with_the_key_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-secret-123")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://user:pa55word@llm.example/v1")
    result = CliRunner().invoke(app, ["config", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["config_file"].endswith("config.toml") and body["settings"]["api_key"] == "(set)"
    assert body["settings"]["base_url"] == "https://***@llm.example/v1"
    assert "sk-live-secret-123" not in result.stdout and "pa55word" not in result.stdout


def test_github_models_without_a_token_says_where_it_looked(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no `gh` to ask either
    result = ask("how many users", "--provider", "github", "--db", str(sample_db))
    assert result.exit_code == 2
    assert "No GitHub token found" in result.stderr
    assert "GITHUB_TOKEN" in result.stderr and "gh auth token" in result.stderr


def test_a_very_long_question_is_refused(sample_db: Path) -> None:
    result = ask("how many users " * 300, "--db", str(sample_db))
    assert result.exit_code == 2 and "the limit is 2,000" in result.stderr


def test_eval_on_another_database_says_the_sets_are_for_the_sample(tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    db = tmp_path / "other.duckdb"
    load = CliRunner().invoke(app, ["load", str(next(SAMPLE.glob("users-28-day_2026-09-13*"))), "--db", str(db), "-q"])
    assert load.exit_code == 0, load.stderr
    result = CliRunner().invoke(app, ["eval", "--db", str(db), "--format", "json"])
    assert "written for the bundled sample" in result.stderr and "2026-10-10" in result.stderr


def test_eval_on_the_sample_gives_no_such_warning(sample_db: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--db", str(sample_db), "--questions",
                                      str(Path(__file__).resolve().parent.parent / "eval" / "heldout.jsonl")])
    assert "written for the bundled sample" not in result.stderr


def test_repl_set_gaps_and_number_format(sample_db: Path) -> None:
    from tests.test_repl import drive, make_session

    session, _ = make_session(sample_db)
    series = ("SELECT day, count(DISTINCT user_id) AS users FROM user_daily WHERE day <> DATE '2026-10-20' "
              "AND day BETWEEN DATE '2026-10-15' AND DATE '2026-10-25' GROUP BY 1 ORDER BY 1")
    out = drive(session, f"/set timeout 60\r/set max_rows 500\r/set\r/set max_rows 0\r/sql {series}\r/chart\r"
                         "/sql SELECT 1234 AS lines, 5 AS import_id\r/quit\r")
    assert "timeout is now 60" in out and "max_rows is now 500" in out
    assert "timeout 60 s, max_rows 500" in out
    assert "/set max_rows must be at least 1" in out
    assert session.settings.timeout_s == 60 and session.settings.max_rows == 500
    assert out.count("No rows for 2026-10-20") >= 2  # under the table and under the chart: a gap, never a 0
    assert "1,234" in out


def test_headers_are_not_split_mid_word() -> None:
    import io

    from rich.console import Console

    from assistant.output.render import rich_table

    out = io.StringIO()
    cols = ["team", "team_adoption_rate", "active_members", "lines_suggested", "acceptance_rate", "interactions"]
    console = Console(file=out, width=80, color_system=None)
    console.print(rich_table(cols, [("web-frontend", 0.5, 12, 3400, 0.31, 99)], width=80))
    text = out.getvalue()
    words = {w for line in text.splitlines() for w in line.replace("┃", " ").replace("│", " ").split()}
    for c in cols:  # each header's words appear whole (stacked at '_' when narrow), never cut inside a word
        for part in c.split("_"):
            assert part in words or part + "_" in words, (part, text)
    assert "3,400" in text


def test_ctrl_c_stops_the_whole_load_and_says_what_was_loaded(tmp_path: Path) -> None:
    import os
    import signal

    from tests.exports import user_record, write_ndjson

    db = tmp_path / "c.duckdb"
    folder = tmp_path / "exports"
    folder.mkdir()
    write_ndjson(folder / "a-small.ndjson", [user_record("2026-09-01", 1)])
    for name, month in (("b-big.ndjson", 10), ("c-big.ndjson", 11)):
        with open(folder / name, "w") as f:
            for uid in range(2500):
                for d in range(1, 29):
                    f.write(json.dumps(user_record(f"2026-{month:02d}-{d:02d}", uid + 10)) + "\n")
    proc = subprocess.Popen([str(installed_cma()), "load", str(folder), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wal = Path(str(db) + ".wal")
    deadline = time.time() + 30
    while time.time() < deadline and proc.poll() is None and not wal.exists():
        time.sleep(0.01)
    time.sleep(1.0)  # well into the first big file
    assert proc.poll() is None, "the load finished before it could be interrupted; make the files bigger"
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Interrupted. Loaded 1 file(s)" in err and "a-small.ndjson" in err
    assert "Not loaded 2" in err and "b-big.ndjson" in err and "c-big.ndjson" in err
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM user_daily").fetchone()[0] == 1
