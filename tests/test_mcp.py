"""`cma mcp` from the client's side: the installed command in a subprocess, spoken to with the SDK's own client."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import duckdb
import httpx
import pytest
from mcp import Client, StdioServerParameters

from assistant.mcp.results import MAX_CELL_CHARS, MAX_RESULT_BYTES, capped_table, clean_text
from assistant.semantic import catalog, metrics_docs, schema_docs
from tests.conftest import ROOT, SAMPLE
from tests.installed import installed_cma

TOOLS = {"describe_data", "run_sql", "ask", "list_saved_queries", "run_saved_query", "schema"}
STARTERS = ROOT / "assistant" / "saved" / "starter_queries"


def _params(db: Path, *extra: str) -> StdioServerParameters:
    # the test's environment (CMA_HOME, no OPENAI_*) reaches the server, so no developer config does
    return StdioServerParameters(command=str(installed_cma()), args=["mcp", "--db", str(db), *extra],
                                 env=dict(os.environ))


def _with_client(db: Path, body: Callable[[Client], Awaitable[None]]) -> None:
    """Start `cma mcp --db DB`, run `body` with a connected client, and shut the server down."""

    async def main() -> None:
        with anyio.fail_after(60):
            async with Client(_params(db), read_timeout_seconds=30) as client:
                await body(client)

    anyio.run(main)


def _data(result: Any) -> dict[str, Any]:
    """A successful tool result's JSON, checked to be the same in the text and the structured content."""
    assert not result.is_error, result.content[0].text
    text = json.loads(result.content[0].text)
    assert text == result.structured_content
    return text


def _error(result: Any) -> str:
    assert result.is_error, result.content[0].text
    return result.content[0].text


def _sql(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what the server offers ----------------------------------------------------------------------
def test_lists_tools_resources_prompts_and_describes_the_data(sample_db: Path) -> None:
    first, last, days, users = _sql(
        sample_db, "SELECT min(day), max(day), count(DISTINCT day), count(DISTINCT user_id) FROM user_daily")[0]
    seats = _sql(sample_db, "SELECT count(*) FROM seats")[0][0]
    teams = sorted(r[0] for r in _sql(sample_db, "SELECT DISTINCT team FROM team_membership"))
    rows = dict(_sql(sample_db, "SELECT 'user_daily', count(*) FROM user_daily UNION ALL "
                                "SELECT 'seats', count(*) FROM seats"))

    async def body(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        for tool in tools.values():
            assert len(tool.description or "") > 150, tool.name
            assert tool.annotations is not None and tool.annotations.read_only_hint, tool.name
            assert tool.input_schema["type"] == "object"
        assert tools["run_sql"].input_schema["required"] == ["sql"]
        max_rows = tools["run_sql"].input_schema["properties"]["max_rows"]
        assert (max_rows["minimum"], max_rows["maximum"], max_rows["default"]) == (1, 1000, 100)
        assert tools["ask"].input_schema["required"] == ["question"]
        assert tools["schema"].input_schema["required"] == ["table"]
        assert "params" in tools["run_saved_query"].input_schema["properties"]

        resources = {str(r.uri): r for r in (await client.list_resources()).resources}
        assert set(resources) == {"cma://docs/schema", "cma://docs/metrics"}
        schema_doc = (await client.read_resource("cma://docs/schema")).contents[0]
        assert schema_doc.text == schema_docs.render_markdown()
        assert schema_doc.mime_type == "text/markdown"
        metrics_doc = (await client.read_resource("cma://docs/metrics")).contents[0]
        assert metrics_doc.text == metrics_docs.render_metrics_markdown()
        table_doc = (await client.read_resource("cma://docs/schema/seat_usage")).contents[0]
        assert table_doc.text == schema_docs.table_markdown(catalog.BY_NAME["seat_usage"])

        prompts = {p.name: p for p in (await client.list_prompts()).prompts}
        assert set(prompts) == {"adoption_review", "usage_summary"}
        review = await client.get_prompt("adoption_review", {"days": "14"})
        text = review.messages[0].content.text
        assert '"days": 14' in text and "team-adoption" in text and "inactive-seats" in text
        assert client.instructions and "describe_data" in client.instructions

        data = _data(await client.call_tool("describe_data", {}))
        cov = data["coverage"]
        assert (cov["first_day"], cov["last_day"], cov["days"], cov["users"], cov["seats"], cov["teams"]) == (
            first.isoformat(), last.isoformat(), days, users, seats, len(teams))
        assert cov["provisional_from"] == "2026-11-05" and data["as_of"] == last.isoformat()
        assert cov["missing_days"] == []
        assert {k: cov["table_rows"][k] for k in rows} == rows
        assert data["values"]["team"] == teams
        tables = {t["name"]: t for t in data["tables"]}
        assert {"user_daily", "team_membership", "seat_usage", "seats"} <= set(tables)
        assert set(tables["user_daily"]["columns"]) == {
            c.name for c in catalog.BY_NAME["user_daily"].columns if c.in_prompt}
        metrics = {m["name"]: m for m in data["metrics"]}
        assert metrics["acceptance_rate"]["sql"].startswith("round(sum(code_acceptance_activity_count)")
        assert any("double-count" in c for c in data["caveats"])
        assert "money" in data["cannot_answer"]

    _with_client(sample_db, body)


def test_run_sql_ask_saved_queries_and_schema_on_the_sample(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a configured model is never called: `ask` is the offline translator's answer (nothing listens on port 9)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    per_user = ("SELECT user_login, sum(code_acceptance_activity_count) AS acceptances FROM user_daily "
                "GROUP BY 1 ORDER BY 2 DESC, 1")
    expected_users = [list(r) for r in _sql(sample_db, per_user)]
    # team adoption over the last 28 days, written here independently of the offline translator and the starter
    expected_teams = [list(r) for r in _sql(sample_db, """
        WITH window_days AS (SELECT max(day) - 27 AS lo, max(day) AS hi FROM user_daily),
             members AS (SELECT DISTINCT t.team, t.user_id, t.day FROM team_membership t, window_days w
                         WHERE t.day BETWEEN w.lo AND w.hi),
             active AS (SELECT DISTINCT m.team, m.user_id FROM members m
                        JOIN user_daily u ON u.user_id = m.user_id AND u.day = m.day),
             sizes AS (SELECT team, count(DISTINCT user_id) AS n FROM members GROUP BY team),
             actives AS (SELECT team, count(*) AS active_n FROM active GROUP BY team)
        SELECT s.team, s.n, coalesce(a.active_n, 0) AS active_n
        FROM sizes s LEFT JOIN actives a USING (team)
        ORDER BY coalesce(a.active_n, 0)::DOUBLE / s.n, s.team""")]
    starters = sorted(p.stem for p in STARTERS.glob("*.sql"))

    async def body(client: Client) -> None:
        got = _data(await client.call_tool("run_sql", {"sql": per_user, "max_rows": 10}))
        assert got["columns"] == ["user_login", "acceptances"]
        assert got["rows"] == expected_users[:10]
        assert (got["row_count"], got["returned_rows"], got["truncated"]) == (len(expected_users), 10, True)
        assert got["note"] == f"showing 10 of {len(expected_users)} rows"
        assert got["coverage"].startswith("Data: 2026-09-13..2026-11-07") and "data_notice" in got

        asked = _data(await client.call_tool("ask", {"question": "which teams have lower adoption rates?"}))
        assert "team adoption rate" in asked["interpretation"] and "2026-10-11..2026-11-07" in asked["interpretation"]
        assert [[r[0], r[1], r[2]] for r in asked["rows"]] == expected_teams
        assert asked["rows"] == [list(r) for r in _sql(sample_db, asked["sql"])]
        assert asked["explanation"] and asked["backend"] == "offline"
        refused = _error(await client.call_tool("ask", {"question": "how much money did copilot save us?"}))
        assert "money" in refused.lower() or "price" in refused.lower()

        listed = _data(await client.call_tool("list_saved_queries", {}))
        assert [q["name"] for q in listed["queries"]] == starters
        team_query = next(q for q in listed["queries"] if q["name"] == "team-adoption")
        assert team_query["params"] == {"days": "28", "team": ""} and team_query["starter"]

        saved = _data(await client.call_tool("run_saved_query", {"name": "team-adoption", "params": {"days": 28}}))
        assert saved["params"] == {"days": "28", "team": ""}
        assert [[r[0], r[1], r[2]] for r in saved["rows"]] == expected_teams
        one_team = _data(await client.call_tool(
            "run_saved_query", {"name": "team-adoption", "params": {"team": "mobile-apps"}}))
        assert [r[0] for r in one_team["rows"]] == ["mobile-apps"]
        bad_param = _error(await client.call_tool("run_saved_query", {"name": "team-adoption",
                                                                      "params": {"dayz": 7}}))
        assert "no parameter 'dayz'" in bad_param and "Did you mean 'days'?" in bad_param
        unknown = _error(await client.call_tool("run_saved_query", {"name": "team-adoptoin"}))
        assert "No saved query named 'team-adoptoin'" in unknown and "Did you mean 'team-adoption'?" in unknown

        table = _data(await client.call_tool("schema", {"table": "team_membership"}))
        assert [c["name"] for c in table["columns"]] == [c.name for c in catalog.BY_NAME["team_membership"].columns]
        assert table["kind"] == "table" and table["derived_sql"].startswith("SELECT day, user_id, user_login")
        assert "team_adoption_rate" in table["metrics"]
        typo = _error(await client.call_tool("schema", {"table": "user_dialy"}))
        assert "No table or view named 'user_dialy'" in typo and "Did you mean 'user_daily'?" in typo

    _with_client(sample_db, body)


# --- nothing writes, nothing floods ----------------------------------------------------------------
HOSTILE = {
    "copy": ("COPY user_daily TO 'stolen.csv'", "COPY is not allowed"),
    "attach": ("ATTACH 'other.duckdb' AS other", "ATTACH is not allowed"),
    "read_csv": ("SELECT * FROM read_csv('/etc/passwd')", "read_csv() is not allowed"),
    "read_csv in a CTE": ("WITH x AS (SELECT * FROM read_csv_auto('/etc/hosts')) SELECT * FROM x",
                          "read_csv_auto() is not allowed"),
    "two statements": ("SELECT 1; DROP TABLE seats", "exactly one SELECT"),
    "delete": ("DELETE FROM seats", "not allowed"),
    "set": ("SET enable_external_access = true", "not allowed"),
    "pragma": ("PRAGMA database_list", "not allowed"),
}


def test_hostile_sql_is_refused_with_the_guard_hint_and_the_file_unchanged(sample_db: Path, tmp_path: Path) -> None:
    before = _sha256(sample_db)

    async def body(client: Client) -> None:
        for name, (sql, reason) in HOSTILE.items():
            text = _error(await client.call_tool("run_sql", {"sql": sql}))
            assert reason in text and "\nHint: " in text, (name, text)
        # the server keeps answering after the refusals
        assert _data(await client.call_tool("run_sql", {"sql": "SELECT count(*) FROM seats"}))["rows"] == [[60]]

    _with_client(sample_db, body)
    assert _sha256(sample_db) == before
    assert not (Path.cwd() / "stolen.csv").exists() and not list(tmp_path.iterdir())


def test_a_cte_shadowing_a_catalog_view_is_refused(sample_db: Path) -> None:
    before = _sha256(sample_db)
    results: list[Any] = []

    async def body(client: Client) -> None:
        for sql in ("WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings",
                    "WITH duckdb_tables AS (SELECT * FROM duckdb_tables()) SELECT * FROM duckdb_tables",
                    "SELECT * FROM cma_meta WHERE EXISTS (WITH cma_meta AS (SELECT 1) SELECT 1)"):
            results.append(await client.call_tool("run_sql", {"sql": sql}))
        # a CTE that shadows a queryable name and reads only itself is harmless, and answers with its own row
        results.append(await client.call_tool("run_sql", {
            "sql": "WITH seat_usage AS (SELECT 'just data' AS login) SELECT * FROM seat_usage"}))

    _with_client(sample_db, body)
    assert _sha256(sample_db) == before
    for refused in results[:3]:
        assert refused.is_error, refused.content[0].text
    assert not results[3].is_error and _data(results[3])["rows"] == [["just data"]]


def test_a_huge_result_is_capped_by_rows_and_size_and_control_characters_are_stripped(sample_db: Path) -> None:
    async def body(client: Client) -> None:
        wide = _data(await client.call_tool("run_sql", {
            "sql": "SELECT i, repeat('x', 600) AS blob FROM range(20000) t(i) ORDER BY i", "max_rows": 1000}))
        assert wide["row_count"] == 20_000 and wide["truncated"]
        assert 1 <= wide["returned_rows"] == len(wide["rows"]) < 1000
        assert "exceed the size limit" in wide["note"]
        assert [r[0] for r in wide["rows"]] == list(range(wide["returned_rows"]))
        assert len(wide["rows"][0][1]) < MAX_CELL_CHARS + 40 and wide["rows"][0][1].endswith("more characters]")
        assert len(json.dumps(wide["rows"], separators=(",", ":"))) <= MAX_RESULT_BYTES

        narrow = _data(await client.call_tool("run_sql", {"sql": "SELECT i FROM range(5000) t(i)", "max_rows": 1000}))
        assert (narrow["returned_rows"], narrow["row_count"]) == (200, 5000)  # the configured cap (200) wins

        hostile = _data(await client.call_tool("run_sql", {
            "sql": "SELECT 'ok' || chr(27) || '[2J' || chr(8238) || 'evil' || chr(0) || chr(10) || 'next' AS s, "
                   "'x' || chr(7) AS \"co\x1bl\""}))
        assert hostile["rows"] == [["ok[2Jevil\nnext", "x"]] and hostile["columns"] == ["s", "col"]

        too_many = await client.call_tool("run_sql", {"sql": "SELECT 1", "max_rows": 5000})
        assert too_many.is_error

    _with_client(sample_db, body)


# --- lifecycle -----------------------------------------------------------------------------------
def _rpc(proc: subprocess.Popen, message: dict[str, Any]) -> dict[str, Any]:
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "test", "version": "0"}}}


def test_initialize_then_closing_stdin_shuts_down_cleanly(sample_db: Path) -> None:
    proc = subprocess.Popen([str(installed_cma()), "mcp", "--db", str(sample_db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        reply = _rpc(proc, INITIALIZE)
        assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "cma"
        assert "tools" in reply["result"]["capabilities"]
        assert proc.stdin
        proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
        proc.stdin.close()
        proc.wait(timeout=20)
        stderr = proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_the_query_processes_leave_no_temp_directory_behind(sample_db: Path, tmp_path: Path) -> None:
    """Each tool call's query process spills into a private temp directory; the server removes every one."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    params = StdioServerParameters(command=str(installed_cma()), args=["mcp", "--db", str(sample_db)],
                                   env={**os.environ, "TMPDIR": str(tmp)})

    async def main() -> None:
        with anyio.fail_after(60):
            async with Client(params, read_timeout_seconds=30) as client:
                _data(await client.call_tool("run_sql", {"sql": "SELECT count(*) AS n FROM user_daily"}))
                _data(await client.call_tool("ask", {"question": "active users last week"}))
                _data(await client.call_tool("describe_data", {}))

    anyio.run(main)
    assert not list(tmp.glob("cma-query-*"))


def test_a_missing_database_is_a_clear_error_before_serving(tmp_path: Path) -> None:
    out = subprocess.run([str(installed_cma()), "mcp", "--db", str(tmp_path / "nowhere.duckdb")],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 1
    assert "No database at" in out.stderr and "nowhere.duckdb" in out.stderr and "cma load" in out.stderr
    assert out.stdout == "" and not (tmp_path / "nowhere.duckdb").exists()


def test_the_server_lets_cma_load_write_between_calls_and_sees_the_new_days(tmp_path: Path) -> None:
    from assistant.ingest import load_paths

    db = tmp_path / "growing.duckdb"
    load_paths(db, [SAMPLE / "users-28-day_2026-09-13_2026-10-10.ndjson.gz"], strict=True)

    async def body(client: Client) -> None:
        assert _data(await client.call_tool("describe_data", {}))["coverage"]["last_day"] == "2026-10-10"
        # the server holds no connection between calls, so a writer can open the file
        report = load_paths(db, [SAMPLE / "users-28-day_2026-09-27_2026-10-24.ndjson.gz"], strict=True)
        assert not report.failed
        assert _data(await client.call_tool("describe_data", {}))["coverage"]["last_day"] == "2026-10-24"

    _with_client(db, body)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_http_transport_on_localhost(sample_db: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([str(installed_cma()), "mcp", "--db", str(sample_db), "--http", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    async def main() -> None:
        deadline = time.monotonic() + 30
        while True:  # wait for the port to accept connections
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr and proc.stderr.read()
                await anyio.sleep(0.1)
        with anyio.fail_after(60):
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                assert {t.name for t in (await client.list_tools()).tools} == TOOLS
                got = _data(await client.call_tool("run_sql", {"sql": "SELECT count(*) AS n FROM seats"}))
                assert got["rows"] == [[60]]
        # a page on another site that resolves its name to 127.0.0.1 (DNS rebinding) is turned away
        rebound = httpx.post(f"http://127.0.0.1:{port}/mcp", json=INITIALIZE, timeout=10,
                             headers={"Host": f"evil.example:{port}", "Accept": "application/json, text/event-stream"})
        assert rebound.status_code == 421

    try:
        anyio.run(main)
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise


# --- the pieces, directly ------------------------------------------------------------------------
def test_clean_text_strips_controls_keeps_text_and_caps_length() -> None:
    assert clean_text("team\x1b[31m-red\u202e\u200b\x00\tx\ny") == "team[31m-red\tx\ny"
    assert clean_text("Zoë 🚀 平台") == "Zoë 🚀 平台"
    long = clean_text("a" * 2000)
    assert long.startswith("a" * MAX_CELL_CHARS) and long.endswith("[1,500 more characters]")


def test_capped_table_keeps_at_least_one_row_and_counts_what_it_dropped() -> None:
    rows = [(i, "x" * 400) for i in range(1000)]
    table = capped_table(["i", "s"], rows, max_bytes=4_000)
    assert 1 <= len(table.rows) < 1000 and table.dropped == 1000 - len(table.rows)
    assert capped_table(["s"], [("y" * 400,)], max_bytes=10).rows == [["y" * 400]]


def test_cli_app_imports_no_mcp_sdk() -> None:
    code = "import sys, assistant.cli.app; print([m for m in ('mcp', 'pydantic', 'anyio') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_mcp_package_imports_neither_cli_nor_repl() -> None:
    code = ("import sys, assistant.mcp.server; "
            "print(sorted(m for m in sys.modules if m.startswith(('assistant.cli', 'assistant.repl', 'typer', "
            "'prompt_toolkit'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
