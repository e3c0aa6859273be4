"""`cma ask` through typer's CliRunner and one real subprocess, the model faked by a loopback server."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from assistant.cli.app import app
from tests.installed import installed_cma
from tests.openai_server import ScriptedServer

CMA = installed_cma()
SQL = "SELECT count(DISTINCT user_id) AS active_users FROM user_daily"
REPLY = f"Interpretation: distinct active users.\n```sql\n{SQL}\n```"
KEYS = {"question", "sql", "columns", "rows", "row_count", "truncated", "explanation", "backend", "as_of"}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedServer]:
    with ScriptedServer() as s:
        monkeypatch.setenv("OPENAI_BASE_URL", s.url)
        monkeypatch.setenv("CMA_LLM_RETRIES", "0")
        monkeypatch.setenv("CMA_LLM_TIMEOUT", "5")
        monkeypatch.setenv("CMA_BACKEND", "llm")  # these tests are about the model path; auto has its own
        yield s


def cma(*args: str) -> "object":
    return CliRunner().invoke(app, ["ask", *args])


def test_json_with_a_model_is_one_object(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(REPLY).reply("52 people used Copilot.")
    result = cma("How many people used Copilot?", "--db", str(sample_db), "--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert KEYS <= set(out) and out["backend"] == "llm:gpt-4.1-mini" and out["as_of"] == "2026-11-07"
    assert out["sql"] == SQL and out["rows"] == [[out["rows"][0][0]]] and out["truncated"] is False
    assert (
        out["explanation"].startswith("52 people used Copilot.") and "as of 2026-11-07" in out["explanation"]
    )


def test_json_offline_needs_no_model(sample_db: Path) -> None:
    result = cma(
        "How many active users in the last 28 days?", "--db", str(sample_db), "-f", "json", "--offline"
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["backend"] == "offline" and out["rows"][0][0] > 0 and "as of" in out["explanation"]


def test_json_failure_is_an_error_object_and_a_non_zero_exit(sample_db: Path, server: ScriptedServer) -> None:
    server.reply("Sorry, I am not sure.")
    result = cma("How many people used Copilot?", "--db", str(sample_db), "-f", "json")
    assert result.exit_code == 4  # ExitCode.LLM
    out = json.loads(result.stdout)
    assert out["error"]["kind"] == "sql_generation" and "not sure" in out["error"]["message"]
    assert out["error"]["hint"] and out["backend"] == "llm:gpt-4.1-mini" and out["as_of"] == "2026-11-07"
    assert "Error:" in result.stderr


def test_cannot_answer_exits_1_with_the_reason(sample_db: Path, server: ScriptedServer) -> None:
    server.reply("CANNOT_ANSWER: the exports hold no prices.")
    result = cma("What did Copilot cost?", "--db", str(sample_db), "-f", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["error"]["kind"] == "cannot_answer"


def test_table_output_for_people(sample_db: Path, server: ScriptedServer) -> None:
    server.reply("```sql\nSELECT user_id, day FROM user_daily ORDER BY day, user_id\n```").reply(
        "Lots of days."
    )
    result = cma("list user days", "--db", str(sample_db), "--max-rows", "5")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "user_id" in out and "SELECT user_id, day FROM user_daily ORDER BY day, user_id" in out
    assert "Lots of days." in out and "showing 5 of " in out and "as of 2026-11-07" in out
    assert out.index("user_id") < out.index("SELECT") < out.index("Lots of days.") < out.index("showing 5 of")


def test_sql_only_prints_only_the_sql_and_skips_the_explanation(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply(REPLY)
    result = cma("How many people used Copilot?", "--db", str(sample_db), "--sql-only")
    assert result.exit_code == 0 and result.stdout == SQL + "\n"
    assert len(server.chat_requests) == 1


def test_no_share_results_sends_no_rows(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(REPLY)
    result = cma("How many people used Copilot?", "--db", str(sample_db), "-f", "json", "--no-share-results")
    assert result.exit_code == 0, result.stderr
    assert len(server.chat_requests) == 1  # the SQL request only: no explanation call
    assert "active_users" in json.loads(result.stdout)["explanation"]  # written offline


def test_csv_is_data_only_on_stdout(sample_db: Path, server: ScriptedServer) -> None:
    server.reply("```sql\nSELECT user_id FROM user_daily ORDER BY 1\n```")
    result = cma("users", "--db", str(sample_db), "-f", "csv", "--max-rows", "3")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["user_id"] and len(rows) == 4
    assert "showing 3 of" in result.stderr and "as of 2026-11-07" in result.stderr
    assert len(server.chat_requests) == 1


def test_continue_resumes_the_last_conversation(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(REPLY).reply("ok")
    assert cma("How many people used Copilot?", "--db", str(sample_db)).exit_code == 0
    server.reply("```sql\nSELECT count(DISTINCT user_id) AS n FROM user_daily WHERE used_agent\n```").reply(
        "ok"
    )
    assert cma("and with agent mode?", "--db", str(sample_db), "--continue").exit_code == 0
    follow_up = json.dumps(server.chat_requests[2]["messages"])
    assert (
        "How many people used Copilot?" in follow_up
        and "count(DISTINCT user_id) AS active_users" in follow_up
    )
    server.reply(REPLY).reply("ok")
    assert cma("a fresh question", "--db", str(sample_db)).exit_code == 0
    assert "How many people used Copilot?" not in json.dumps(server.chat_requests[4]["messages"])


def test_save_stores_the_question_and_sql(
    sample_db: Path, server: ScriptedServer, isolated_env: Path
) -> None:
    server.reply(REPLY)
    result = cma("How many people used Copilot?", "--db", str(sample_db), "--sql-only", "--save", "people")
    assert result.exit_code == 0, result.stderr
    from assistant.config import load_settings
    from assistant.saved.files import load_query

    saved = load_query(load_settings(), "people")
    assert saved.sql.strip() == SQL and saved.source == "gpt-4.1-mini"  # who wrote it


def test_unknown_format_is_a_usage_error() -> None:
    result = cma("q", "--format", "jsn")
    assert result.exit_code == 2 and "Did you mean 'json'" in result.stderr


def test_debug_shows_prompt_size_but_never_the_key(
    sample_db: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret-key")
    server.reply(REPLY)
    result = cma("How many people used Copilot?", "--db", str(sample_db), "--sql-only", "--debug")
    assert result.exit_code == 0
    assert "tokens" in result.stderr and "sk-very-secret-key" not in result.stdout + result.stderr


def test_the_installed_console_script_against_the_server(
    sample_db: Path, server: ScriptedServer, isolated_env: Path
) -> None:
    server.reply(REPLY).reply("52 people.")
    env = {**os.environ, "OPENAI_BASE_URL": server.url, "CMA_HOME": str(isolated_env)}
    proc = subprocess.run(
        [str(CMA), "ask", "How many people used Copilot?", "--db", str(sample_db), "-f", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["sql"] == SQL and out["explanation"].startswith("52 people.")
    assert len(server.chat_requests) == 2


def test_asking_for_a_model_without_a_key_or_endpoint_says_how_to_configure_one() -> None:
    result = cma("How many people used Copilot?", "--model", "gpt-4o")
    assert result.exit_code == 2 and "No model configured" in result.stderr and "--offline" in result.stderr
