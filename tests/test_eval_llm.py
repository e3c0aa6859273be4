"""`cma eval --backend llm` against a scripted OpenAI-compatible server: how a user compares a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.app import app
from tests.openai_server import ScriptedServer

CASES = [
    {"id": "a", "question": "How many people used Copilot yesterday?",
     "expected_sql": "SELECT count(DISTINCT user_id) FROM user_daily WHERE day = DATE '2026-11-07'"},
    {"id": "b", "question": "How many seats are there?", "expected_sql": "SELECT count(*) FROM seats"},
    {"id": "c", "question": "What did Copilot cost us in euros?", "expect": "refuse"},
    {"id": "d", "question": "How many teams are there?",
     "expected_sql": "SELECT count(DISTINCT team) FROM team_membership"},
]


def test_eval_scores_a_model_correct_wrong_and_refused(sample_db: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    with ScriptedServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("CMA_LLM_RETRIES", "0")
        server.reply("Interpretation: active users on the latest day\n```sql\n"
                     "SELECT count(DISTINCT user_id) AS n FROM user_daily "
                     "WHERE day = (SELECT max(day) FROM user_daily)\n```")
        server.reply("```sql\nSELECT count(*) + 1 FROM seats\n```")  # a wrong answer
        server.reply("CANNOT_ANSWER: the exports hold no money")
        server.reply("```sql\nSELECT count(DISTINCT slug) FROM user_teams\n```")
        result = CliRunner().invoke(app, ["eval", "--backend", "llm", "--questions", str(questions),
                                          "--db", str(sample_db), "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        sent = server.chat_requests
    assert report["backend"].startswith("llm:")
    verdicts = {o["id"]: o["verdict"] for o in report["outcomes"]}
    # refusing an unanswerable question is the correct answer
    assert verdicts == {"a": "correct", "b": "wrong", "c": "correct", "d": "correct"}
    assert len(sent) == 4  # one SQL call per question: eval never asks for explanations
    assert all("test-key" not in json.dumps(r) for r in sent)
