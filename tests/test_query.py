"""The read-only runner: what the connection refuses on its own, row caps, time limits, error hints."""

from __future__ import annotations

import _thread
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from assistant.errors import QueryError
from assistant.store.query import Result, open_readonly, run_query, truncation_note

ROWS = 10_000
CANARY_TEXT = "canary-content-3c1e9b"


def make_db(path: Path, rows: int = ROWS) -> Path:
    """Create a tiny Copilot-like DuckDB file with a user_daily table of `rows` rows."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            CREATE TABLE user_daily AS
            SELECT DATE '2025-01-01' + (i % 28)::INTEGER AS day,
                   i AS user_id,
                   'user' || (i % 97) AS user_login,
                   (i * 7) % 13 AS code_generation_activity_count
            FROM range(?) r(i)
            """,
            [rows],
        )
    return path


def digest(directory: Path) -> dict[str, str]:
    """Return a sha256 per file under `directory`, so any new or changed file shows up."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database for the module: every test asserts it stays unchanged, so sharing it is safe."""
    directory = tmp_path_factory.mktemp("query")
    (directory / "canary.csv").write_text(f"secret\n{CANARY_TEXT}\n")
    return make_db(directory / "usage.duckdb")


@pytest.fixture
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_readonly(db_path)
    yield connection
    connection.close()


def test_missing_database_says_how_to_load(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="No database at") as info:
        open_readonly(tmp_path / "nope.duckdb")
    assert info.value.hint == "Load exports first: cma load PATH"
    assert not (tmp_path / "nope.duckdb").exists()


def test_connection_is_read_only_locked_and_offline(con: duckdb.DuckDBPyConnection) -> None:
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('access_mode', 'threads', "
            "'enable_external_access', 'autoinstall_known_extensions', 'autoload_known_extensions', "
            "'lock_configuration', 'python_enable_replacements')"
        ).fetchall()
    )
    assert settings == {
        "access_mode": "read_only",
        "threads": "2",
        "enable_external_access": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "lock_configuration": "true",
        "python_enable_replacements": "false",
    }


def test_memory_limit_is_applied(db_path: Path) -> None:
    with duckdb.connect(config={"memory_limit": "512MB"}) as reference:
        expected = reference.execute("SELECT current_setting('memory_limit')").fetchone()
    con = open_readonly(db_path, memory_limit="512MB")
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone() == expected
    finally:
        con.close()


BYPASS_ATTEMPTS = [
    "CREATE TABLE x AS SELECT 1",
    "CREATE VIEW v AS SELECT 1",
    "INSERT INTO user_daily VALUES (DATE '2025-01-01', 1, 'x', 1)",
    "UPDATE user_daily SET user_login = 'x'",
    "DELETE FROM user_daily",
    "DROP TABLE user_daily",
    "WITH d AS (DELETE FROM user_daily RETURNING *) SELECT * FROM d",
    "COPY user_daily TO '{dir}/out.csv'",
    "COPY (SELECT 1) TO '{dir}/out.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{dir}/export'",
    "ATTACH '{dir}/other.duckdb' AS other",
    "SELECT * FROM read_csv('{dir}/canary.csv')",
    "SELECT * FROM read_text('{dir}/canary.csv')",
    "SELECT * FROM '{dir}/canary.csv'",
    "SELECT * FROM glob('{dir}/*')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET memory_limit = '8GB'",
    "SET threads = 8",
    "SET enable_external_access = true",
    "RESET lock_configuration",
    "SET lock_configuration = false",
]


@pytest.mark.parametrize("template", BYPASS_ATTEMPTS)
def test_connection_refuses_writes_and_files_without_the_guard(
    con: duckdb.DuckDBPyConnection, db_path: Path, template: str
) -> None:
    directory = db_path.parent
    before = digest(directory)
    with pytest.raises(duckdb.Error) as info:
        con.execute(template.format(dir=directory)).fetchall()
    assert CANARY_TEXT not in str(info.value)
    assert digest(directory) == before
    assert con.execute("SELECT count(*) FROM user_daily").fetchone() == (ROWS,)


def test_temp_catalog_is_writable_so_the_runner_and_guard_must_refuse_create(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The engine allows this on a read-only connection (verified on 2.0.1), hence the other layers.
    con.execute("CREATE TEMP TABLE scratch AS SELECT 1 AS x")
    with pytest.raises(QueryError, match="Expected one SELECT statement, got CREATE"):
        run_query(con, "CREATE TEMP TABLE scratch2 AS SELECT 1 AS x")
    temp = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    assert temp == [("scratch",)]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1; CREATE TEMP TABLE sneaky AS SELECT 1",
        "SELECT 1) t; CREATE TEMP TABLE sneaky AS (SELECT 1",
        "SELECT 1 AS x; SELECT 2 AS y",
        "",
    ],
)
def test_run_query_runs_exactly_one_select(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    with pytest.raises(QueryError):
        run_query(con, sql)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone() == (0,)


def test_truncates_to_max_rows_and_counts_all_rows(con: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT user_id, user_login FROM user_daily ORDER BY code_generation_activity_count, user_id DESC"
    expected = con.execute(sql).fetchall()

    result = run_query(con, sql, max_rows=200)

    assert result.columns == ["user_id", "user_login"]
    assert result.rows == expected[:200]  # the inner ORDER BY survives the wrapping
    assert result.row_count == ROWS
    assert result.truncated is True
    assert result.elapsed_s > 0
    assert truncation_note(result) == "showing 200 of 10,000 rows"


def test_result_that_fits_is_not_truncated(con: duckdb.DuckDBPyConnection) -> None:
    result = run_query(con, "SELECT user_id FROM user_daily ORDER BY user_id LIMIT 200", max_rows=200)
    assert (result.row_count, len(result.rows), result.truncated) == (200, 200, False)
    assert result.rows[0] == (0,) and result.rows[-1] == (199,)
    assert truncation_note(result) is None


def test_empty_result_keeps_its_columns(con: duckdb.DuckDBPyConnection) -> None:
    result = run_query(con, "SELECT day, user_login FROM user_daily WHERE false")
    assert result == Result(["day", "user_login"], [], 0, False, result.elapsed_s)


def test_aggregate_with_trailing_semicolon(con: duckdb.DuckDBPyConnection) -> None:
    result = run_query(con, "SELECT count(*) AS n, sum(user_id) AS total FROM user_daily ;\n")
    assert result.columns == ["n", "total"]
    assert result.rows == [(ROWS, ROWS * (ROWS - 1) // 2)]
    assert result.row_count == 1


def test_trailing_line_comment_does_not_swallow_the_wrapper(con: duckdb.DuckDBPyConnection) -> None:
    assert run_query(con, "SELECT 42 AS answer -- the answer").rows == [(42,)]


def test_pivot_runs(con: duckdb.DuckDBPyConnection) -> None:
    result = run_query(
        con,
        "PIVOT (SELECT day, user_login, code_generation_activity_count FROM user_daily "
        "WHERE user_login IN ('user1', 'user2')) ON user_login USING sum(code_generation_activity_count)",
        max_rows=5,
    )
    assert result.columns == ["day", "user1", "user2"]
    assert (result.row_count, len(result.rows), result.truncated) == (28, 5, True)


def test_slow_query_is_interrupted(con: duckdb.DuckDBPyConnection) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryError, match=r"Query stopped after 0.5 s") as info:
        run_query(con, "SELECT count(*) FROM range(100000) a, range(100000) b, range(100) c", timeout_s=0.5)
    assert time.perf_counter() - started < 2.0
    assert isinstance(info.value.__cause__, duckdb.InterruptException)
    assert info.value.hint
    assert run_query(con, "SELECT 1 AS still_usable").rows == [(1,)]


def test_ctrl_c_during_a_query_is_a_keyboard_interrupt(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB turns a SIGINT that arrives mid-query into RuntimeError("Query interrupted"), and in
    # 2.0.1 often only notices it when the deadline interrupts the query.
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_query(con, "SELECT count(*) FROM range(100000) a, range(100000) b, range(100) c", timeout_s=1)
    finally:
        timer.cancel()
    assert run_query(con, "SELECT 1 AS still_usable").rows == [(1,)]


def test_unknown_column_gets_did_you_mean(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(QueryError, match="usr_login") as info:
        run_query(con, "SELECT usr_login, count(*) FROM user_daily GROUP BY 1")
    assert isinstance(info.value.__cause__, duckdb.BinderException)
    assert info.value.hint is not None and info.value.hint.startswith('Did you mean "user_login"')


def test_unknown_qualified_column_gets_did_you_mean(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(QueryError) as info:
        run_query(con, "SELECT u.code_generation_count FROM user_daily u")
    assert info.value.hint == 'Did you mean "code_generation_activity_count"?'


def test_error_line_numbers_refer_to_the_callers_sql(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(QueryError) as info:
        run_query(con, "SELECT 1\nFROM nowhere")
    assert "LINE 2:" in info.value.message and "LINE 3:" not in info.value.message
    assert info.value.hint


def test_file_read_is_refused_with_a_hint(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    with pytest.raises(QueryError) as info:
        run_query(con, f"SELECT * FROM read_csv('{db_path.parent / 'canary.csv'}')")
    assert isinstance(info.value.__cause__, duckdb.PermissionException)
    assert CANARY_TEXT not in info.value.message
    assert "files" in (info.value.hint or "")


def test_duplicate_column_names_are_made_unique(con: duckdb.DuckDBPyConnection) -> None:
    result = run_query(con, "SELECT 1 AS a, 2 AS a")
    assert result.columns == ["a", "a_1"]
    assert result.rows == [(1, 2)]
