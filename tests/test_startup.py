"""Start-up hygiene: a question's process imports only what its path needs; the query process reads the data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import ROOT
from tests.installed import installed_cma

HEAVY = ("duckdb", "_duckdb", "sqlglot", "openai", "httpx", "prompt_toolkit", "rich")

ASK = """
import json, sys
from pathlib import Path
from assistant.config import load_settings
from assistant.engine.session import Session
session = Session(load_settings(db=Path(sys.argv[1]), offline=True))
answer = session.ask("how many people used Copilot yesterday?", explain=False)
session.close()
print(json.dumps({"rows": [list(map(str, r)) for r in answer.rows], "sql": answer.sql,
                  "loaded": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)

REPL_START = """
import json, sys
from pathlib import Path
from assistant.config import load_settings
from assistant.engine.session import Session
from assistant.repl.app import vocabulary
session = Session(load_settings(db=Path(sys.argv[1]), offline=True))
cov = session.context().coverage
vocab = vocabulary(session)
session.close()
print(json.dumps({"days": cov.days, "teams": vocab.teams, "logins": len(vocab.logins),
                  "loaded": [m for m in ("duckdb", "_duckdb", "sqlglot") if m in sys.modules]}))
"""

SAVED_AND_MCP = """
import json, sys
from pathlib import Path
from assistant.config import load_settings
from assistant.mcp import tools
settings = load_settings(db=Path(sys.argv[1]), offline=True)
ws = tools.Workspace(settings)
ws.warm_up()
names = [q["name"] for q in tools.list_saved_queries(ws)["queries"]]
saved = tools.run_saved_query(ws, names[0])
sql = tools.run_sql(ws, "SELECT count(*) AS n FROM user_daily")
asked = tools.ask(ws, "how many people used Copilot yesterday?")
try:
    tools.run_sql(ws, "DELETE FROM user_daily")
    refused = None
except Exception as e:
    refused = str(e)
print(json.dumps({"saved": saved["row_count"], "n": sql["rows"][0][0], "asked": asked["row_count"],
                  "refused": refused, "loaded": [m for m in ("duckdb", "_duckdb", "sqlglot") if m in sys.modules]}))
"""


def run_python(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_an_offline_question_never_imports_duckdb_in_the_asking_process(sample_db: Path) -> None:
    got = run_python(ASK, str(sample_db))
    assert got["loaded"] == []  # the guard reads DuckDB's parse tree in the query process, which runs the SQL
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        expected = [list(map(str, r)) for r in con.execute(got["sql"]).fetchall()]
    finally:
        con.close()
    assert got["rows"] == expected and int(got["rows"][0][0]) > 0


def test_cma_ask_offline_imports_neither_duckdb_nor_sqlglot_in_the_asking_process(sample_db: Path) -> None:
    # -X importtime reports the imports of this process only: the query process's stderr goes nowhere
    out = subprocess.run([sys.executable, "-X", "importtime", str(installed_cma()), "ask", "--offline", "--format",
                          "json", "--db", str(sample_db), "how many people used Copilot yesterday?"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines()
                if line.startswith("import time:")}
    assert "assistant" in imported  # the report is there and names this process's imports
    assert not imported & {"duckdb", "_duckdb", "sqlglot", "typer", "click"}  # a plain ask needs no typer either
    modules = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert not {m for m in modules if m.startswith("assistant.llm")}  # the model adapter only with a model
    assert "assistant.offline.intent" not in modules  # the phrase reader only when the compositional one passes
    answer = json.loads(out.stdout)
    assert answer["row_count"] == 1 and answer["sql"].lstrip().upper().startswith(("SELECT", "WITH"))


def test_saved_queries_and_the_mcp_tools_guard_in_the_query_process_without_sqlglot(sample_db: Path) -> None:
    got = run_python(SAVED_AND_MCP, str(sample_db))
    # DuckDB's tokenizer finds a saved query's :name placeholders here; the guard runs in the query process
    assert got["loaded"] == ["_duckdb"]  # the engine module only (store/engine.py), not the duckdb package
    assert got["saved"] >= 0 and got["n"] > 0 and got["asked"] == 1
    assert "DELETE is not allowed" in got["refused"]


def test_the_repl_reaches_its_prompt_without_duckdb_or_sqlglot(sample_db: Path) -> None:
    got = run_python(REPL_START, str(sample_db))
    assert got["loaded"] == []
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        teams = [r[0] for r in con.execute("SELECT DISTINCT team FROM team_membership WHERE team IS NOT NULL "
                                           "ORDER BY 1").fetchall()]
        days = con.execute("SELECT count(DISTINCT day) FROM user_daily").fetchone()[0]
        logins = con.execute("SELECT count(DISTINCT user_login) FROM user_daily").fetchone()[0]
    finally:
        con.close()
    assert got["teams"] == teams and got["days"] == days and got["logins"] == logins


def test_a_duckdb_file_cma_did_not_write_is_refused_with_its_name(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE notes (line VARCHAR)")
    con.close()
    out = subprocess.run([str(installed_cma()), "ask", "--offline", "--db", str(other), "how many users?"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert f"{other} is not a database cma can read" in out.stderr
    assert "cma load" in out.stderr and "Traceback" not in out.stderr


def test_the_query_process_never_imports_modules_from_the_working_directory(sample_db: Path, tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    (tmp_path / "duckdb.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('not duckdb')\n")
    out = subprocess.run([str(installed_cma()), "ask", "--offline", "--format", "json", "--db", str(sample_db),
                          "seats never used"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["row_count"] >= 0
    assert not marker.exists()


def test_a_query_process_that_dies_mid_query_is_replaced_for_the_next_one(sample_db: Path) -> None:
    import os
    import signal
    import threading

    from assistant.errors import QueryError
    from assistant.store.worker import QueryWorker

    worker = QueryWorker(sample_db)
    try:
        assert worker.facts().coverage.days > 0
        pid = worker._process.pid  # type: ignore[union-attr]
        threading.Timer(0.5, os.kill, args=(pid, signal.SIGKILL)).start()  # as the kernel's OOM killer would
        try:
            worker.run("SELECT count(*) FROM range(1000000) a, range(1000000) b", ["range"], max_rows=5,
                       timeout_s=60)  # under the guard's row cap, 10^12 rows together
            raise AssertionError("the query outlived its killed process")
        except QueryError as e:
            assert "stopped unexpectedly" in e.message
        result = worker.run("SELECT 42 AS answer", [], max_rows=5, timeout_s=60)
        assert result.rows == [(42,)] and worker._process.pid != pid  # type: ignore[union-attr]
    finally:
        worker.close()


def test_cma_chat_removes_its_query_process_temp_directory(sample_db: Path, tmp_path: Path) -> None:
    import os

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    for db in (sample_db, tmp_path / "missing.duckdb"):  # a conversation, and a database that is not there
        out = subprocess.run([str(installed_cma()), "chat", "--offline", "--db", str(db)], input="how many users\n",
                             capture_output=True, text=True, timeout=120, env=env)
        assert (out.returncode == 0) == (db == sample_db), out.stderr
        assert not list(tmp_path.glob("cma-query-*"))


SPARE = """
import json, os, sys
from pathlib import Path
from assistant.store import spawn
from assistant.store.worker import QueryWorker
spawn.start_spare()
spare = spawn._spare
worker = QueryWorker(Path(sys.argv[1]))
rows = worker.run("SELECT count(*) FROM user_daily", ["user_daily"], max_rows=10, timeout_s=30).rows
took = worker._process is spare
worker.close()
spawn.start_spare()  # a second spare nobody takes: killed when this process exits
print(json.dumps({"took": took, "rows": [list(r) for r in rows], "left": spawn._spare.pid}))
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][:1] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_the_query_process_started_first_is_the_one_the_question_uses_and_none_outlives_cma(sample_db: Path) -> None:
    out = subprocess.run([sys.executable, "-c", SPARE, str(sample_db)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["took"] is True and got["rows"][0][0] > 0
    assert not _alive(got["left"])
