"""The REPL driven through prompt_toolkit's pipe input: real Session, real DuckDB, a scripted translator."""

from __future__ import annotations

import _thread
import csv
import io
import json
import threading
from pathlib import Path
from typing import Any, Sequence

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from assistant.config import load_settings, state_dir
from assistant.contracts import Answer, Context, TextSink, Translation, Turn
from assistant.engine.session import Session
from assistant.errors import CannotAnswer
from assistant.repl.app import ReplCompleter, Vocabulary, run_repl, vocabulary

PER_DAY = "SELECT day, count(DISTINCT user_id) AS active_users FROM user_daily GROUP BY 1 ORDER BY 1"
BY_IDE = ("SELECT ide, count(DISTINCT user_id) AS users FROM user_daily_by_ide GROUP BY 1 "
          "ORDER BY 2 DESC, 1")
SLOW = "SELECT count(*) AS n FROM user_daily a, user_daily b, user_daily c, user_daily d"


class ScriptedTranslator:
    """Answers questions containing a known phrase with fixed SQL; records what it was asked and the history."""

    backend = "scripted"

    def __init__(self, script: dict[str, str]) -> None:
        self.script = script
        self.calls: list[tuple[str, list[str]]] = []

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        self.calls.append((question, [t.question for t in history]))
        for phrase, sql in self.script.items():
            if phrase in question.lower():
                return Translation(sql, self.backend, interpretation=f"scripted '{phrase}'")
        raise CannotAnswer(f"No script for '{question}'.", hint="Rephrase.")


class ChunkedExplainer:
    """Streams a fixed explanation in pieces, as a model would."""

    def explain(self, question: str, answer: Answer, ctx: Context, on_text: TextSink | None = None) -> str:
        pieces = ["Most ", "people ", "use ", f"{answer.rows[0][0]}."]
        for p in pieces:
            if on_text:
                on_text(p)
        return "".join(pieces)


def make_session(db: Path, script: dict[str, str] | None = None, **kw: Any) -> tuple[Session, ScriptedTranslator]:
    translator = ScriptedTranslator(script or {"per day": PER_DAY, "by ide": BY_IDE, "slow": SLOW})
    return Session(load_settings(db=db), translator=translator, **kw), translator


def drive(session: Session, keys: str, *, width: int = 160) -> str:
    """Type `keys` into the REPL (they must end it: /quit or Ctrl-D) and return what it printed."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    try:
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            run_repl(session, console=console, input=pipe, output=DummyOutput())
    finally:
        session.close()  # DuckDB refuses a second locked-down connection to a file open in this process
    return out.getvalue()


def test_question_follow_up_and_history(sample_db: Path) -> None:
    session, translator = make_session(sample_db)
    out = drive(session, "active users per day\rand by ide?\r/history\r/quit\r")
    assert out.splitlines()[0].startswith("cma · ")
    assert "56 days (2026-09-13..2026-11-07)" in out and "/help" in out
    assert "2026-11-07" in out and "active_users" in out  # the table
    assert PER_DAY in out and BY_IDE in out  # the SQL
    assert "Interpreted as: scripted 'per day'." in out  # the explanation
    assert "as of 2026-11-07" in out  # the coverage line
    assert "vscode" in out
    assert translator.calls == [("active users per day", []), ("and by ide?", ["active users per day"])]
    assert "1. active users per day  (56 rows)" in out and "2. and by ide?  (6 rows)" in out


def test_table_and_sql_come_before_the_streamed_explanation(sample_db: Path) -> None:
    session, _ = make_session(sample_db, explainer=ChunkedExplainer())
    out = drive(session, "users by ide\r\x04")
    header, sql, text, footer = (out.index(s) for s in ("┃ ide", "SELECT ide", "Most people use vscode.", "as of"))
    assert header < sql < text < footer


def test_sql_refused_then_good(sample_db: Path) -> None:
    session, translator = make_session(sample_db)
    out = drive(session, "/sql DROP TABLE user_daily\r/sql SELECT 41 + 1 AS answer\r/sql\r/quit\r")
    assert "Error: DROP is not allowed" in out and "Hint:" in out
    assert "answer" in out and "42" in out and "[sql," in out
    assert out.count("SELECT 41 + 1 AS answer") >= 2  # /sql alone shows the last SQL again
    assert translator.calls == []
    assert session.history[-1].sql == "SELECT 41 + 1 AS answer"


def test_long_results_are_capped_with_a_note(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "/sql SELECT day, user_id FROM user_daily ORDER BY 1, 2\r\x04")
    total = session.history[-1].row_count
    assert total > 200
    assert f"showing 200 of {total:,} rows" in out


class BrokenTranslator:
    backend = "broken"

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        raise RuntimeError("a bug")


def test_an_unexpected_error_does_not_end_the_conversation(sample_db: Path) -> None:
    session = Session(load_settings(db=sample_db), translator=BrokenTranslator())
    out = drive(session, "anything\r/sql SELECT 3 AS three\r\x04")
    assert "Unexpected error: RuntimeError('a bug')" in out and "--debug" in out
    assert session.history[-1].sql == "SELECT 3 AS three"


def test_edit_puts_the_sql_in_the_line_and_runs_the_change(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    drive(session, "users by ide\r/edit\r LIMIT 2\r/quit\r")
    assert session.history[-1].sql == BY_IDE + " LIMIT 2"
    assert session.history[-1].row_count == 2


def test_export_by_extension(sample_db: Path, tmp_path: Path) -> None:
    session, _ = make_session(sample_db)
    files = {ext: tmp_path / f"ide.{ext}" for ext in ("csv", "json", "md")}
    keys = "users by ide\r" + "".join(f"/export {p}\r" for p in files.values()) + f"/export {tmp_path}/x.xls\r\x04"
    out = drive(session, keys)
    rows = list(csv.reader(files["csv"].open()))
    assert rows[0] == ["ide", "users"] and rows[1][0] == "vscode" and len(rows) == 7
    data = json.loads(files["json"].read_text())
    assert data[0]["ide"] == "vscode" and isinstance(data[0]["users"], int)
    assert files["md"].read_text().splitlines()[:2] == ["| ide | users |", "|---|---|"]
    assert "Wrote 6 rows to" in out
    assert "Cannot tell the format of 'x.xls'" in out


def test_chart_time_series_breakdown_and_refusal(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "active users per day\r/chart\rusers by ide\r/chart\r/sql SELECT 1 AS x\r/chart\r\x04")
    line_start = out.index("active_users by day")
    assert "2026-09-13" in out[line_start:] and "┤" in out[line_start:]  # axis with ticks
    assert "users by ide" in out
    bar = next(line for line in out.splitlines() if line.startswith("vscode"))
    assert "│" in bar and "█" * 30 in bar
    assert "Nothing to chart" in out


def test_format_switches_how_rows_show(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "/format csv\r/sql SELECT 7 AS a, 'x' AS b\r/format json\r/sql SELECT 8 AS a\r"
                         "/format markdown\r/sql SELECT 9 AS a\r/format tabel\r\x04")
    assert "a,b\n7,x" in out
    assert '"a": 8' in out
    assert "| a |\n|---|\n| 9 |" in out
    assert "Did you mean 'table'?" in out


def test_unknown_command_gets_did_you_mean(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "/exprot x.csv\r/zzzz\r/quit\r")
    assert "Unknown command '/exprot'." in out and "Did you mean '/export'?" in out
    assert "Unknown command '/zzzz'." in out and "/help" in out


def test_help_lists_every_command(sample_db: Path) -> None:
    from assistant.repl.commands import COMMANDS

    session, _ = make_session(sample_db)
    out = drive(session, "/help\r/exit\r")
    for name in ("help", "sql", "edit", "explain", "schema", "status", "save", "queries", "run", "export", "chart",
                 "format", "model", "offline", "history", "clear", "quit"):
        assert name in COMMANDS and f"/{name}" in out
    assert "/run NAME [param=value ...]" in out and "(/exit, /q)" in out


def test_quit_and_ctrl_d_end_the_loop(sample_db: Path) -> None:
    session, translator = make_session(sample_db)
    drive(session, "/quit\rusers by ide\r")  # what follows /quit is never read
    drive(session, "\x04users by ide\r")
    drive(session, "exit\rusers by ide\r")
    assert translator.calls == []


def test_ctrl_c_at_the_prompt_clears_the_line(sample_db: Path) -> None:
    session, translator = make_session(sample_db)
    drive(session, "users per day but not this\x03users by ide\r\x04")
    assert [q for q, _ in translator.calls] == ["users by ide"]


class InterruptingTranslator(ScriptedTranslator):
    """Returns a very slow query and presses Ctrl-C (SIGINT to the main thread) while it runs."""

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        if "slow" in question:
            threading.Timer(0.3, _thread.interrupt_main).start()
        return super().translate(question, ctx, history)


def test_ctrl_c_cancels_a_running_query(sample_db: Path) -> None:
    translator = InterruptingTranslator({"slow": SLOW, "by ide": BY_IDE})
    session = Session(load_settings(db=sample_db), translator=translator)
    out = drive(session, "something slow\rusers by ide\r\x04")
    assert "Cancelled." in out
    assert "vscode" in out  # back at the prompt: the next question ran


def test_multi_line_input(sample_db: Path) -> None:
    session, translator = make_session(sample_db)
    drive(session, "users\x1b\rby ide\rusers \\\rper day\r\x04")
    assert [q for q, _ in translator.calls] == ["users\nby ide", "users \nper day"]


def test_schema_status_explain_clear(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "/schema\r/schema user_daly\r/schema seats\r/schema acceptance_rate\r"
                         "users by ide\r/explain\r/status\r/clear\r"
                         "/history\r/explain\r\x04")
    assert "team_membership" in out and "Did you mean 'user_daily'?" in out and "seat" in out
    assert "Grouping: ratio" in out  # /schema describes a metric of the semantic model too
    assert out.count("Interpreted as: scripted 'by ide'.") == 2  # with the answer, and again on /explain
    assert "translator: scripted translator" in out and "database:" in out
    assert "Conversation cleared." in out and "No questions yet." in out
    assert "There is no result yet." in out
    assert session.history == []


def test_saved_queries_save_list_run(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "users by ide\r/save ide-users\r/queries\r/clear\r/run ide-users\r/run nope-nope\r\x04")
    assert "Saved 'ide-users'" in out and "/run ide-users" in out
    assert "ide-users" in out.split("/run ide-users.")[1]  # listed
    assert "[saved:ide-users," in out
    assert "No saved query named 'nope-nope'" in out


def test_model_needs_a_configured_model_and_offline_switches(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    out = drive(session, "/model gpt-4.1\r/offline\r/model\r\x04")
    assert "No model configured." in out and "OPENAI_API_KEY" in out
    assert "Using the offline translator" in out
    assert session.settings.offline


def test_history_file_lives_in_the_state_dir(sample_db: Path) -> None:
    session, _ = make_session(sample_db)
    drive(session, "/sql SELECT 5 AS five\r\x04")
    assert "/sql SELECT 5 AS five" in (state_dir() / "history").read_text()


def test_completer_offers_commands_tables_metrics_and_names(sample_db: Path, tmp_path: Path) -> None:
    session, _ = make_session(sample_db)
    vocab = vocabulary(session)
    assert vocab.logins and vocab.teams
    completer = ReplCompleter(vocab)

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text, len(text)), CompleteEvent())]

    assert complete("/sc") == ["/schema"]
    assert "user_daily_by_ide" in complete("/schema user_daily_by")
    assert "active_users" in complete("how many active_u")
    assert "acceptance rate" in complete("what is the acceptance r")  # a metric's phrase from the semantic model
    assert "pending cancellation" in complete("seats with pend")  # an entity attribute's phrase
    assert "acceptance_rate" in complete("/schema accep") and "ide" in complete("/schema id")
    assert "acceptance-by-ide" in complete("/run acc")
    login = vocab.logins[0]
    assert login in complete(f"who is {login[:3]}")
    assert complete("a") == []  # one letter: no noise
    (tmp_path / "result.csv").write_text("")
    assert complete(f"/export {tmp_path}/res") == ["ult.csv"]
    assert ReplCompleter(Vocabulary()).vocabulary.words() == []


def test_offline_translator_answers_in_the_loop(sample_db: Path) -> None:
    pytest.importorskip("assistant.offline.translator")
    session = Session(load_settings(db=sample_db, offline=True))
    out = drive(session, "how many active users per day last week?\r/chart\rand by ide?\r\x04")
    assert "Error" not in out, out
    assert "offline translator" in out.splitlines()[0]
    assert "2026-11-01" in out and "active_users by day" in out  # the series and its chart
    assert "vscode" in out
    assert [t.question for t in session.history] == ["how many active users per day last week?", "and by ide?"]
    assert "user_daily_by_ide" in (session.history[-1].sql or "")


def test_cma_without_a_terminal_reads_lines(sample_db: Path) -> None:
    from typer.testing import CliRunner

    from assistant.cli.app import app

    result = CliRunner().invoke(app, ["--help"])
    assert "chat" in result.output
    result = CliRunner().invoke(app, ["chat", "--db", str(sample_db)], input="/sql SELECT 42 AS answer\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "42" in result.output
    result = CliRunner().invoke(app, ["chat", "--db", str(sample_db.parent / "missing.duckdb")], input="")
    assert result.exit_code == 1
    assert "No database at" in result.output or "No database at" in (result.stderr or "")


@pytest.mark.parametrize("share", [True, False])
def test_model_switch_and_explanation_through_a_scripted_server(sample_db: Path, share: bool) -> None:
    pytest.importorskip("assistant.llm.translator")
    from tests.openai_server import ScriptedServer

    with ScriptedServer() as server:
        server.reply("```sql\nSELECT count(DISTINCT user_id) AS users FROM user_daily\n```")
        server.reply("Fifty-one people used Copilot.")
        settings = load_settings(db=sample_db, base_url=server.url, api_key="test", llm_retries=0,
                                 llm_timeout_s=10, share_results=share, backend="llm")
        session = Session(settings)
        out = drive(session, "/model gpt-4.1\rhow many users?\r/offline\r/model\r\x04")
    assert "Using model gpt-4.1 at http://127.0.0.1:" in out
    assert server.chat_requests[0]["model"] == "gpt-4.1"
    assert "┃ users" in out and session.history[0].row_count == 1
    assert ("Fifty-one people used Copilot." in out) is share  # rows go to the model only when sharing is on
    assert len(server.chat_requests) == (2 if share else 1)
    assert "translator: offline translator" in out
