"""The model path as small local models behave: bounded calls, repairs that stop, honest refusals, compact
prompts and the offline reader first. The real openai client against the scripted server, real DuckDB."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from typer.testing import CliRunner

from assistant.cli.app import app
from assistant.config import load_settings
from assistant.engine.session import Session
from assistant.errors import CannotAnswer, LLMError, QueryError, SQLGenerationError
from assistant.llm.translator import SQL_STOP, LLMTranslator, OpenAIChatModel
from tests.openai_server import HANG_S, ScriptedServer

UNDERSTOOD = "How many people used Copilot yesterday?"  # the offline reader reads every word of it
NOT_UNDERSTOOD = "average lines added per pull request by team"  # 'pull', 'request' are beyond it
LINES_SQL = "SELECT sum(loc_added_sum) AS lines_added FROM user_daily"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(tokenizer=True) as s:
        yield s


# every session a test opens is closed after it (the same list and autouse fixture as the model-path basics)
from tests.test_llm import _open, close_sessions  # noqa: E402,F401  (pytest fixture)


def session_for(db: Path, server: ScriptedServer, **flags: Any) -> Session:
    flags = {"llm_retries": 0, "llm_timeout_s": 10.0, "backend": "llm", **flags}
    _open.append(Session(load_settings(db=db, base_url=server.url, **flags)))
    return _open[-1]


def fenced(sql: str, interpretation: str = "a reading") -> str:
    return f"Interpretation: {interpretation}\n```sql\n{sql}\n```"


# --- bounded calls ---------------------------------------------------------------------------------
def test_sql_calls_send_max_tokens_a_stop_after_the_fence_and_temperature_0(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply(fenced(LINES_SQL)).reply("Lines were added.")
    session_for(sample_db, server, sql_max_tokens=300, explain_max_tokens=150).ask("lines added?")
    sql_req, explain_req = server.chat_requests
    assert sql_req["max_tokens"] == 300 and sql_req["stop"] == list(SQL_STOP) and sql_req["temperature"] == 0
    assert explain_req["max_tokens"] == 150 and explain_req["stream"] is True and "stop" not in explain_req


def test_a_reply_that_never_ends_stops_after_the_closing_fence(sample_db: Path, server: ScriptedServer) -> None:
    server.endless(fenced(LINES_SQL) + "\n\nThis query sums the lines added. ")
    started = time.perf_counter()
    answer = session_for(sample_db, server).ask("lines added?", explain=False)
    assert answer.sql == LINES_SQL and answer.rows[0][0] > 0
    assert time.perf_counter() - started < HANG_S / 2


def test_a_reply_that_never_reaches_sql_is_cut_at_max_tokens_with_a_clear_error(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.endless("Let me think about the tables once more. ")
    started = time.perf_counter()
    with pytest.raises(SQLGenerationError) as err:
        session_for(sample_db, server, sql_max_tokens=64).ask("lines added?")
    assert "cut off at 64 tokens" in err.value.message and "sql_max_tokens" in (err.value.hint or "")
    assert time.perf_counter() - started < HANG_S / 2 and len(server.chat_requests) == 1


def test_an_explanation_that_never_ends_is_bounded_and_the_answer_kept(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply(fenced(LINES_SQL)).endless("and so on ")
    answer = session_for(sample_db, server, explain_max_tokens=40).ask("lines added?")
    assert answer.rows[0][0] > 0
    assert answer.explanation.count("and so on") <= 14 and "as of 2026-11-07" in answer.explanation


def test_local_presets_wait_longer_and_never_retry_a_timeout(sample_db: Path, server: ScriptedServer) -> None:
    ollama = load_settings(provider="ollama")
    assert ollama.llm_timeout_s >= 300 and ollama.llm_retries == 0 and ollama.context_window == 4096
    local = load_settings(base_url=server.url)  # any server on this machine
    assert local.llm_timeout_s >= 300 and local.llm_retries == 0
    hosted = load_settings(api_key="k")
    assert hosted.llm_timeout_s == 60 and hosted.llm_retries == 2 and hosted.context_window is None
    # a slow first call that times out is not asked again (the wait would double)
    server.reply(fenced(LINES_SQL), delay_s=2.0)
    settings = load_settings(db=sample_db, base_url=server.url, llm_timeout_s=0.5, backend="llm")
    _open.append(Session(settings))
    with pytest.raises(LLMError, match="did not answer in time"):
        _open[-1].ask("lines added?")
    assert len(server.chat_requests) == 1


# --- repairs -----------------------------------------------------------------------------------------
def test_the_repair_gets_the_nearest_names_and_the_tables_in_full(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(fenced("SELECT sum(acceptance_count) AS n FROM user_daily"))
    server.reply(fenced("SELECT sum(code_acceptance_activity_count) AS n FROM user_daily")).reply("ok")
    answer = session_for(sample_db, server).ask("how many acceptances?")
    assert answer.attempts == 2 and answer.rows[0][0] > 0
    repair = server.chat_requests[1]["messages"][-1]["content"]
    assert "'acceptance_count' does not exist; the nearest real names:" in repair
    assert "code_acceptance_activity_count" in repair.split("nearest real names:")[1].split("\n")[0]
    assert "The tables this query uses, in full:\nuser_daily:" in repair
    assert "  loc_added_sum BIGINT:" in repair  # every column of the table, typed and documented


def test_identical_repairs_are_not_asked_for_again(sample_db: Path, server: ScriptedServer) -> None:
    bad = "SELECT sum(acceptance_count) AS n FROM user_daily"
    server.reply(fenced(bad, "acceptances summed")).reply(fenced(f"{bad} ;", "acceptances summed"))
    server.reply(fenced(LINES_SQL))  # never reached
    with pytest.raises(CannotAnswer) as err:
        session_for(sample_db, server).ask("how many acceptances?")
    assert len(server.chat_requests) == 2
    assert "its repair repeated the same SQL" in err.value.message
    assert "acceptance_count" in err.value.message and "acceptances summed" in err.value.message
    assert "still failed" not in err.value.message


def test_repeated_different_failures_end_as_a_refusal_and_each_repair_prompt_differs(
    sample_db: Path, server: ScriptedServer
) -> None:
    for name in ("a_count", "b_count", "c_count"):
        server.reply(fenced(f"SELECT sum({name}) FROM user_daily", "a guess"))
    with pytest.raises(CannotAnswer) as err:
        session_for(sample_db, server).ask("how many widgets?")
    assert "after 2 repairs" in err.value.message and "c_count" in err.value.message
    first, second = (json.dumps(r["messages"]) for r in server.chat_requests[1:])
    assert first != second


def test_a_timeout_is_never_repaired(sample_db: Path, server: ScriptedServer) -> None:
    slow = "SELECT count(*) AS n FROM user_daily a, user_daily b, user_daily c, user_daily d"
    server.reply(fenced(slow)).reply(fenced(LINES_SQL))
    with pytest.raises(QueryError, match="stopped after"):
        session_for(sample_db, server, timeout_s=0.3).ask("a huge count")
    assert len(server.chat_requests) == 1


# --- refusals --------------------------------------------------------------------------------------
@pytest.mark.parametrize("reply", [
    "CANNOT_ANSWER: the exports hold no money",
    "```sql\nCANNOT_ANSWER: the exports hold no money\n```",
    "Interpretation: cost\n```sql\n```\nCANNOT_ANSWER: the exports hold no money",
])
def test_cannot_answer_is_a_refusal_with_the_models_reason(
    sample_db: Path, server: ScriptedServer, reply: str
) -> None:
    server.reply(reply)
    with pytest.raises(CannotAnswer) as err:
        session_for(sample_db, server).ask("what did Copilot cost?")
    assert "the exports hold no money" in err.value.message and len(server.chat_requests) == 1


def test_cannot_answer_during_a_repair_is_a_refusal(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(fenced("SELECT sum(price) FROM seats")).reply("CANNOT_ANSWER: there is no price column")
    with pytest.raises(CannotAnswer, match="there is no price column"):
        session_for(sample_db, server).ask("what did the seats cost?")


# --- the offline reader first --------------------------------------------------------------------------
def test_auto_answers_offline_without_calling_the_server(sample_db: Path, server: ScriptedServer) -> None:
    answer = session_for(sample_db, server, backend="auto").ask(UNDERSTOOD)
    assert answer.backend == "offline" and answer.rows
    assert "as of 2026-11-07" in answer.explanation  # explained offline too: nothing left the machine
    assert server.chat_requests == []


def test_auto_asks_the_model_with_the_readers_partial_understanding(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply(fenced(LINES_SQL)).reply("Lines were added.")
    answer = session_for(sample_db, server, backend="auto").ask(NOT_UNDERSTOOD)
    assert answer.backend == "llm:gpt-4.1-mini"
    question = server.chat_requests[0]["messages"][-1]["content"]
    assert question.endswith(f"\n\n{NOT_UNDERSTOOD}\n")
    assert "A rule-based reader got part of it:" in question and "I understood: measure: lines added" in question


def test_cli_backend_flag_picks_the_path(sample_db: Path, server: ScriptedServer,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    runner = CliRunner()
    auto = runner.invoke(app, ["ask", UNDERSTOOD, "--db", str(sample_db), "--format", "json"])
    assert auto.exit_code == 0, auto.output
    assert json.loads(auto.stdout)["backend"] == "offline" and server.chat_requests == []
    server.reply(fenced(LINES_SQL)).reply("explained")
    llm = runner.invoke(app, ["ask", UNDERSTOOD, "--db", str(sample_db), "--format", "json", "--backend", "llm"])
    assert llm.exit_code == 0, llm.output
    assert json.loads(llm.stdout)["backend"] == "llm:gpt-4.1-mini" and len(server.chat_requests) == 2
    bad = runner.invoke(app, ["ask", UNDERSTOOD, "--db", str(sample_db), "--backend", "sometimes"])
    assert bad.exit_code == 2 and "Unknown backend 'sometimes'" in bad.stderr


def test_eval_auto_reports_each_paths_questions_and_accuracy(
    sample_db: Path, server: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [
        {"id": "a", "question": UNDERSTOOD,
         "expected_sql": "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-07'"},
        {"id": "b", "question": NOT_UNDERSTOOD, "expected_sql": LINES_SQL},
        {"id": "c", "question": "how many zorbles per glimmer?", "expect": "refuse"},
    ]
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps(c) + "\n" for c in cases))
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    server.reply(fenced(LINES_SQL)).reply(fenced("SELECT 1 AS one"))
    result = CliRunner().invoke(app, ["eval", "--backend", "auto", "--questions", str(questions),
                                      "--db", str(sample_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    paths = report["by_path"]
    assert paths["offline"]["questions"] == 1 and paths["offline"]["correct"] == 1
    assert paths["llm:gpt-4.1-mini"]["questions"] == 2 and paths["llm:gpt-4.1-mini"]["correct"] == 1
    assert paths["llm:gpt-4.1-mini"]["correct_pct"] == 50.0
    assert report["model"]["calls"] == 2 and report["model"]["repairs"] == 0
    assert report["model"]["prompt_tokens_per_call"] > 100  # the server's usage figures, per call
    text = CliRunner().invoke(app, ["eval", "--backend", "offline", "--questions", str(questions),
                                    "--db", str(sample_db)])
    assert "backend offline: 3 questions" in text.stdout and len(server.chat_requests) == 2


# --- compact prompts ---------------------------------------------------------------------------------
def test_a_small_context_window_gets_the_compact_prompt_of_the_linked_tables(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply(fenced(LINES_SQL)).reply(fenced(LINES_SQL))
    session_for(sample_db, server, context_window=4096).ask("acceptance rate by ide last week", explain=False)
    session_for(sample_db, server).ask("acceptance rate by ide last week", explain=False)
    compact, full = (r["messages"][0]["content"] for r in server.chat_requests)
    assert len(compact) < 0.6 * len(full)
    assert "user_daily_by_ide:" in compact and "acceptance_rate = " in compact
    assert "team_membership:" not in compact and "team_membership:" in full
    assert "Other tables exist (" in compact


def test_prompt_mode_can_be_forced_and_token_counts_name_their_source(
    sample_db: Path, server: ScriptedServer
) -> None:
    from assistant.llm.translator import _token_line

    settings = load_settings(db=sample_db, base_url=server.url, prompt_mode="compact", context_window=100000)
    translator = LLMTranslator.from_settings(settings)
    assert translator.mode_for([]) == "compact"
    messages = [{"role": "user", "content": "one two three"}]
    assert _token_line(translator.model, messages) == "3 tokens (server tokenizer (/tokenize))"
    with ScriptedServer() as plain:  # no /tokenize route (Ollama, hosted APIs): the estimate, said so
        model = OpenAIChatModel.from_settings(load_settings(base_url=plain.url))
        assert _token_line(model, messages).endswith("tokens (estimate)")


def test_a_model_that_refuses_max_tokens_or_stop_is_asked_again_with_what_it_takes(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.fail(400, "Unsupported parameter: 'max_tokens' is not supported with this model. "
                     "Use 'max_completion_tokens' instead.")
    server.fail(400, "Unsupported parameter: 'stop' is not supported with this model.")
    server.reply(fenced(LINES_SQL))
    answer = session_for(sample_db, server, sql_max_tokens=200).ask("lines added?", explain=False)
    assert answer.rows[0][0] > 0
    first, second, third = server.chat_requests
    assert first["max_tokens"] == 200 and "max_completion_tokens" not in first
    assert second["max_completion_tokens"] == 200 and "max_tokens" not in second and "stop" in second
    assert third["max_completion_tokens"] == 200 and "stop" not in third
