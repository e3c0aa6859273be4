"""The LLM path end to end: the real openai client against a scripted server on 127.0.0.1, real DuckDB."""

from __future__ import annotations

import hashlib
import re
import socket
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pytest

from assistant.config import load_settings
from assistant.engine.session import Session
from assistant.errors import CannotAnswer, ConfigError, LLMError, SQLGenerationError
from assistant.llm.translator import LLMTranslator, OpenAIChatModel, extract_sql, parse_reply
from tests.openai_server import ScriptedServer

ACTIVE_SQL = "SELECT count(DISTINCT user_id) AS active_users FROM user_daily"
ACTIVE_REPLY = f"Interpretation: distinct active users over all loaded days.\n```sql\n{ACTIVE_SQL}\n```"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as s:
        yield s


_open: list[Session] = []


@pytest.fixture(autouse=True)
def close_sessions() -> Iterator[None]:
    """Close every session a test opened: DuckDB refuses a second locked-down connection to an open file."""
    yield
    while _open:
        _open.pop().close()


def make_session(db: Path, server: ScriptedServer, **flags: Any) -> Session:
    flags = {"llm_retries": 0, "llm_timeout_s": 5.0, "backend": "llm", **flags}
    settings = load_settings(db=db, base_url=server.url, **flags)
    _open.append(Session(settings))
    return _open[-1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def logins(session: Session) -> list[str]:
    return [
        r[0] for r in session.connection().execute("SELECT DISTINCT user_login FROM user_daily").fetchall()
    ]


def system_prompt(request: dict[str, Any]) -> str:
    return request["messages"][0]["content"]


# --- the happy path and what the model is sent ----------------------------------------------------
def test_answer_with_model_sql_and_streamed_explanation(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(ACTIVE_REPLY).reply("There were 52 distinct active users.")
    session = make_session(sample_db, server)
    pieces: list[str] = []
    answer = session.ask("How many people used Copilot?", on_text=pieces.append)

    assert answer.backend == "llm:gpt-4.1-mini"
    assert answer.columns == ["active_users"] and answer.rows[0][0] > 0
    assert answer.interpretation == "distinct active users over all loaded days"
    assert answer.explanation.startswith("There were 52 distinct active users.")
    assert "as of 2026-11-07" in answer.explanation  # the program states the coverage, not the model
    assert len(pieces) > 2 and "".join(pieces) == answer.explanation  # streamed as it arrived
    sql_req, explain_req = server.chat_requests
    assert sql_req["model"] == "gpt-4.1-mini" and sql_req["temperature"] == 0 and not sql_req.get("stream")
    assert explain_req["stream"] is True


def test_sql_prompt_has_schema_metrics_values_and_as_of_but_no_data_rows(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply(ACTIVE_REPLY).reply("ok")
    session = make_session(sample_db, server)
    session.ask("How many people used Copilot?")
    prompt = system_prompt(server.chat_requests[0])

    assert "user_daily: one row per user per day" in prompt and "team_membership:" in prompt  # schema
    assert "acceptance_rate = `round(sum(code_acceptance_activity_count)::DOUBLE" in prompt  # metrics
    assert re.search(r"- team: .*mobile-apps", prompt) and re.search(r"- ide: .*vscode", prompt)  # values
    assert "2026-11-07" in prompt  # as_of anchor
    assert "import_id" not in prompt and "report_start_day" not in prompt  # not in_prompt columns
    leaked = [u for u in logins(session) if re.search(rf"\b{re.escape(u)}\b", prompt)]
    assert leaked == []  # no data rows: not one user login of the sample
    question = server.chat_requests[0]["messages"][-1]
    assert question["role"] == "user" and question["content"].endswith("\n\nHow many people used Copilot?\n")
    # schema linking: the question's words point to the table and the metric
    assert "(Likely relevant: tables user_daily; metrics active_users.)" in question["content"]


def test_explanation_prompt_holds_a_bounded_fenced_sample(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(
        "```sql\nSELECT day, user_login, code_generation_activity_count FROM user_daily ORDER BY day, "
        "user_login\n```"
    ).reply("Many rows.")
    session = make_session(sample_db, server, max_rows=500)
    answer = session.ask("list all user days")

    assert answer.truncated and answer.note() == f"showing 500 of {answer.row_count:,} rows"
    content = server.chat_requests[1]["messages"][1]["content"]
    data = content.split("<<<RESULT_DATA\n", 1)[1].split("\nRESULT_DATA>>>", 1)[0]
    assert len(data) <= 2000 and 1 < len(data.splitlines()) <= 21  # header + at most 20 rows
    assert f"{answer.row_count:,} rows" in content and "Only the first" in content
    assert "untrusted data" in content


def test_no_rows_reach_the_model_when_sharing_is_off(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(ACTIVE_REPLY)
    answer = make_session(sample_db, server, share_results=False).ask("How many people used Copilot?")
    assert len(server.chat_requests) == 1  # no explanation call at all
    assert "active_users" in answer.explanation and "as of 2026-11-07" in answer.explanation  # offline


def test_follow_up_carries_the_previous_question_and_sql(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(ACTIVE_REPLY).reply("ok")
    server.reply("```sql\nSELECT count(DISTINCT user_id) AS n FROM user_daily WHERE used_agent\n```").reply(
        "ok"
    )
    session = make_session(sample_db, server)
    session.ask("How many people used Copilot?")
    session.ask("and how many of them used agent mode?")
    messages = server.chat_requests[2]["messages"]
    contents = [m["content"] for m in messages]
    assert "How many people used Copilot?\n" in contents
    assert any(ACTIVE_SQL in c and m["role"] == "assistant" for c, m in zip(contents, messages, strict=True))
    assert "1 rows" not in contents[-2] and "returned 1 row" in contents[-2]
    assert messages[-1]["content"].endswith("\n\nand how many of them used agent mode?\n")


# --- repairs -------------------------------------------------------------------------------------
def test_a_binder_error_goes_back_to_the_model_and_the_repair_runs(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply("```sql\nSELECT count(DISTINCT usr_id) AS users FROM user_daily\n```")
    server.reply(ACTIVE_REPLY).reply("ok")
    answer = make_session(sample_db, server).ask("How many users?")
    assert answer.attempts == 2 and answer.sql == ACTIVE_SQL
    repair = server.chat_requests[1]["messages"]
    assert repair[-2] == {
        "role": "assistant",
        "content": "```sql\nSELECT count(DISTINCT usr_id) AS users FROM user_daily\n```",
    }
    assert "usr_id" in repair[-1]["content"] and "Binder Error" in repair[-1]["content"]


@pytest.mark.parametrize(
    "bad_sql",
    [
        "COPY user_daily TO '{out}'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "ATTACH '{out}' AS other",
        "WITH d AS (DELETE FROM user_daily RETURNING *) SELECT count(*) FROM d",
        "SELECT 1; DROP TABLE user_daily",
    ],
)
def test_unsafe_sql_is_refused_and_the_database_is_unchanged(
    sample_db: Path, server: ScriptedServer, tmp_path: Path, bad_sql: str
) -> None:
    out = tmp_path / "stolen.csv"
    for _ in range(3):  # the first answer and the same again when asked to repair it
        server.reply(f"```sql\n{bad_sql.format(out=out)}\n```")
    before = sha256(sample_db)
    session = make_session(sample_db, server)
    with pytest.raises(CannotAnswer) as err:
        session.ask("do something bad")
    session.close()  # before hashing: nothing may be pending on the file
    assert "its repair repeated the same SQL" in err.value.message
    assert len(server.chat_requests) == 2  # an identical repair is not asked for again
    assert sha256(sample_db) == before and not out.exists()
    with duckdb.connect(str(sample_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM user_daily").fetchone()[0] > 0


# --- HTTP errors, retries, timeouts ----------------------------------------------------------------
def test_429_is_retried_then_succeeds(sample_db: Path, server: ScriptedServer) -> None:
    server.fail(429, "slow down", retry_after=0).reply(ACTIVE_REPLY).reply("ok")
    answer = make_session(sample_db, server, llm_retries=2).ask("How many users?")
    assert answer.rows and len(server.chat_requests) == 3


def test_repeated_500s_become_a_clear_error(sample_db: Path, server: ScriptedServer) -> None:
    server.fail(500, "boom", retry_after=0).fail(500, "boom", retry_after=0)
    with pytest.raises(LLMError) as err:
        make_session(sample_db, server, llm_retries=1).ask("How many users?")
    assert "HTTP 500" in err.value.message and server.url in err.value.message
    assert len(server.chat_requests) == 2 and err.value.hint


def test_a_slow_server_times_out(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(ACTIVE_REPLY, delay_s=1.5)
    with pytest.raises(LLMError, match="did not answer in time"):
        make_session(sample_db, server, llm_timeout_s=0.3).ask("How many users?")


def test_a_wrong_key_is_reported_without_showing_it(sample_db: Path, server: ScriptedServer) -> None:
    server.fail(401, "Incorrect API key provided: sk-sec...", code="invalid_api_key")
    session = make_session(sample_db, server, api_key="sk-secret-123456")
    with pytest.raises(LLMError) as err:
        session.ask("How many users?")
    assert "rejected the API key (401)" in err.value.message
    assert "sk-secret-123456" not in f"{err.value.message} {err.value.hint} {session.settings!r}"
    assert server.headers[0]["authorization"] == "Bearer sk-secret-123456"


def test_an_unknown_model_suggests_close_names(sample_db: Path, server: ScriptedServer) -> None:
    server.fail(404, "The model `gpt-4.1-mni` does not exist", code="model_not_found")
    with pytest.raises(LLMError) as err:
        make_session(sample_db, server, model="gpt-4.1-mni").ask("How many users?")
    assert "Unknown model 'gpt-4.1-mni'" in err.value.message
    assert "Did you mean 'gpt-4.1-mini'" in (err.value.hint or "")


def test_an_unreachable_server_names_the_url(sample_db: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    settings = load_settings(db=sample_db, base_url=url, llm_retries=0, llm_timeout_s=2.0, backend="llm")
    _open.append(Session(settings))
    with pytest.raises(LLMError) as err:
        _open[-1].ask("How many users?")
    assert f"Cannot reach the model server at {url}" in err.value.message


# --- replies that are not SQL ---------------------------------------------------------------------
def test_a_reply_without_sql_is_a_typed_error_showing_the_text(
    sample_db: Path, server: ScriptedServer
) -> None:
    server.reply("I think about 50 people, roughly.")
    with pytest.raises(SQLGenerationError) as err:
        make_session(sample_db, server).ask("How many users?")
    assert "No SQL found" in err.value.message and "about 50 people" in err.value.message


def test_cannot_answer_becomes_cannot_answer(sample_db: Path, server: ScriptedServer) -> None:
    server.reply("CANNOT_ANSWER: the exports hold no cost data.")
    session = make_session(sample_db, server)
    with pytest.raises(CannotAnswer, match="no cost data"):
        session.ask("How much did Copilot cost us?")
    assert session.history[-1].error  # the failed turn is remembered for follow-ups


def test_a_failed_explanation_keeps_the_answer(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(ACTIVE_REPLY).fail(500, "explain broke")
    answer = make_session(sample_db, server).ask("How many users?")
    assert (
        answer.rows
        and "explanation failed" in answer.explanation
        and "as of 2026-11-07" in answer.explanation
    )


@pytest.mark.parametrize(
    "reply, sql",
    [
        ("```sql\nSELECT 1\n```", "SELECT 1"),
        ("Here:\n```SQL\nSELECT 2;\n```\nDone.", "SELECT 2;"),
        ("````sql\nSELECT '```' AS x\n````", "SELECT '```' AS x"),
        ("```\nSELECT 3\n```", "SELECT 3"),
        ("```duckdb\nSELECT 4\n```", "SELECT 4"),
        ("```python\nprint(1)\n```\n```sql\nSELECT 5\n```", "SELECT 5"),
        ("SELECT 6 FROM user_daily", "SELECT 6 FROM user_daily"),
    ],
)
def test_extract_sql_is_tolerant(reply: str, sql: str) -> None:
    assert extract_sql(reply) == sql


def test_parse_reply_reads_interpretation_and_cannot_answer() -> None:
    t = parse_reply("Interpretation: users last week.\n```sql\nSELECT 1\n```", "llm:x")
    assert (t.sql, t.interpretation, t.backend) == ("SELECT 1", "users last week", "llm:x")
    with pytest.raises(CannotAnswer, match="no money"):
        parse_reply("Interpretation: cost.\nCANNOT_ANSWER: no money in the data", "llm:x")
    with pytest.raises(SQLGenerationError):
        parse_reply("```python\nprint(1)\n```", "llm:x")


# --- providers ---------------------------------------------------------------------------------
def test_azure_uses_the_deployment_route(sample_db: Path, server: ScriptedServer) -> None:
    settings = load_settings(
        db=sample_db,
        provider="azure",
        base_url=server.url.removesuffix("/v1"),
        api_key="az-key",
        model="my-deployment",
        llm_retries=0,
        llm_timeout_s=5.0,
    )
    translator = LLMTranslator.from_settings(settings)
    assert translator.backend == "llm:my-deployment"
    server.reply(ACTIVE_REPLY)
    assert translator.model.complete([{"role": "user", "content": "hi"}]).endswith("```")
    assert server.headers[0]["api-key"] == "az-key"


def test_azure_without_an_endpoint_is_a_config_error() -> None:
    settings = load_settings(provider="azure", api_key="az-key")
    with pytest.raises(ConfigError, match="endpoint"):
        OpenAIChatModel.from_settings(settings)


def test_a_model_that_refuses_temperature_is_asked_again_without_it(server: ScriptedServer) -> None:
    server.fail(400, "Unsupported value: 'temperature' does not support 0").reply("hello")
    settings = load_settings(base_url=server.url, llm_retries=0, llm_timeout_s=5.0)
    model = OpenAIChatModel.from_settings(settings)
    assert model.complete([{"role": "user", "content": "hi"}]) == "hello"
    assert "temperature" in server.chat_requests[0] and "temperature" not in server.chat_requests[1]


def test_similar_saved_queries_are_sent_as_examples(sample_db: Path, server: ScriptedServer) -> None:
    server.reply(ACTIVE_REPLY).reply("ok")
    make_session(sample_db, server).ask("Which teams have lower adoption rates?")
    messages = server.chat_requests[0]["messages"]
    roles = [m["role"] for m in messages]
    assert roles[0] == "system" and roles[-1] == "user" and "assistant" in roles  # few-shot turns between
    assert all(m["content"].startswith("```sql") for m in messages[1:-1] if m["role"] == "assistant")


def test_reasoning_models_thinking_is_ignored() -> None:
    from assistant.llm.translator import parse_reply

    reply = ("<think>Maybe ```sql\nSELECT 0\n``` ... no, count users instead. CANNOT_ANSWER: no</think>\n"
             "Interpretation: users\n```sql\nSELECT count(DISTINCT user_id) FROM user_daily\n```")
    t = parse_reply(reply, "llm:qwen3")
    assert t.sql == "SELECT count(DISTINCT user_id) FROM user_daily" and t.interpretation == "users"


def test_streamed_thinking_is_not_shown() -> None:
    from assistant.llm.thinking import ThinkingFilter

    f = ThinkingFilter()
    pieces = ["<thi", "nk>let me see", " the rows</th", "ink>Five teams", " lag <b>behind</b>."]
    assert "".join(f.feed(p) for p in pieces) + f.flush() == "Five teams lag <b>behind</b>."
    g = ThinkingFilter()
    assert g.feed("a < b <") + g.flush() == "a < b <"
