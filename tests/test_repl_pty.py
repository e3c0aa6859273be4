"""The installed `cma` in a real terminal (a pty): the prompt, the answers on screen, follow-ups, Ctrl-D."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from tests.installed import installed_cma

pexpect = pytest.importorskip("pexpect")

CMA = installed_cma()
PROMPT = "cma>"
FOOTER = r"\[[a-z:.0-9-]+, [0-9.]+ s\]"  # the last line of an answer: [backend, seconds]
_ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>])")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs the installed cma and a pty")


def screen(text: str) -> str:
    """What a person would read: escape sequences and carriage returns removed."""
    return _ANSI.sub("", text).replace("\r", "")


def spawn(db: Path, home: Path, **extra: str) -> "pexpect.spawn":
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CMA_"))}
    env.update(CMA_HOME=str(home), CMA_DB=str(db), TERM="xterm", COLUMNS="160", LINES="50",
               PROMPT_TOOLKIT_NO_CPR="1", TZ="UTC", **extra)
    child = pexpect.spawn(str(CMA), env=env, encoding="utf-8", dimensions=(50, 160), timeout=30)
    child.expect(PROMPT)
    return child


def converse(child: "pexpect.spawn", *lines: str) -> str:
    """Type each line, wait for the answer's closing line and the next prompt, then Ctrl-D; return the screen."""
    seen = [child.before + (child.after if isinstance(child.after, str) else "")]
    for line in lines:
        child.sendline(line)
        child.expect(FOOTER)  # the prompt is redrawn as the line is accepted, so wait for the answer itself
        seen += [child.before, child.after]
        child.expect(PROMPT)
        seen.append(child.before)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    seen.append(child.before)
    child.close()
    assert child.exitstatus == 0, screen("".join(seen))
    return screen("".join(seen))


def test_offline_conversation_in_a_terminal(sample_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("assistant.offline.translator")
    child = spawn(sample_db, tmp_path, CMA_MODEL="")
    out = converse(child, "how many active users per day last week?", "active users by ide", "and by language?")
    assert "56 days (2026-09-13..2026-11-07)" in out and "offline translator" in out and "/help" in out
    # first question: a daily series over the last 7 days of data
    assert "┃ day" in out and "│ 2026-11-01 │" in out and "│ 2026-10-31 │" not in out and "FROM user_daily" in out
    # second: a breakdown by IDE; the follow-up keeps the measure and swaps the dimension
    assert "┃ ide" in out and "vscode" in out
    assert "┃ language" in out and "FROM user_daily_by_language" in out
    assert out.count("as of 2026-11-07") >= 3
    assert "Error" not in out
    assert (tmp_path / "state" / "history").read_text().count("\n+") == 3


def test_model_conversation_in_a_terminal(sample_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("assistant.llm.translator")
    from tests.openai_server import ScriptedServer

    with ScriptedServer() as server:
        server.reply("Interpretation: people active on each of the last three days.\n"
                     "```sql\nSELECT day, count(DISTINCT user_id) AS active_users FROM user_daily\n"
                     "WHERE day >= DATE '2026-11-05' GROUP BY 1 ORDER BY 1\n```")
        server.reply("Activity dropped on the weekend: 5 people on 2026-11-07.")
        child = spawn(sample_db, tmp_path, OPENAI_BASE_URL=server.url, OPENAI_API_KEY="test",
                      CMA_LLM_RETRIES="0", CMA_LLM_TIMEOUT="10", CMA_BACKEND="llm")
        out = converse(child, "who was active in the last three days?")
    assert "model gpt-4.1-mini at http://127.0.0.1:" in out
    assert "2026-11-05" in out and "2026-11-07" in out and "┃ active_users" in out
    assert "WHERE day >= DATE '2026-11-05'" in out
    assert "Activity dropped on the weekend: 5 people on 2026-11-07." in out
    assert "Error" not in out
    question = server.chat_requests[0]["messages"][-1]["content"]
    assert "who was active in the last three days?" in question
    assert len(server.chat_requests) == 2  # the SQL, then the explanation


def test_ctrl_c_in_a_terminal_cancels_the_query_and_clears_the_line(sample_db: Path, tmp_path: Path) -> None:
    child = spawn(sample_db, tmp_path)
    child.sendline("/sql SELECT count(*) FROM user_daily a, user_daily b, user_daily c, user_daily d")
    time.sleep(1.0)
    child.sendintr()
    child.expect("Cancelled.")
    child.expect(PROMPT)
    child.send("half a question")
    child.sendintr()  # at the prompt: the line is dropped, nothing runs
    child.expect(PROMPT)
    out = converse(child, "/sql SELECT 42 AS answer")
    assert "│     42 │" in out
    assert "half a question" not in (tmp_path / "state" / "history").read_text()


def test_a_slow_model_call_shows_the_wait_and_ctrl_c_cancels_it(sample_db: Path, tmp_path: Path) -> None:
    pytest.importorskip("assistant.llm.translator")
    from tests.openai_server import ScriptedServer

    with ScriptedServer() as server:
        server.reply("```sql\nSELECT 1 AS late\n```", delay_s=12.0)  # a CPU-served model's first call
        child = spawn(sample_db, tmp_path, OPENAI_BASE_URL=server.url, OPENAI_API_KEY="test",
                      CMA_LLM_TIMEOUT="30", CMA_BACKEND="llm")
        child.sendline("which zorbles glimmered most?")
        child.expect(r"Waiting for the model \(llm:gpt-4\.1-mini\): \d+ s · Ctrl-C cancels")
        seen = time.monotonic()
        child.sendintr()
        child.expect("Cancelled.")
        child.expect(PROMPT)
        assert time.monotonic() - seen < 6  # back at the prompt long before the 12 s reply came
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()
    assert child.exitstatus == 0 and len(server.chat_requests) == 1
