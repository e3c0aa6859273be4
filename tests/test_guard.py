"""The SQL guard: what it lets through, what it refuses and why, and a property test against the engine."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import GuardError, QueryError
from assistant.store.guard import check_sql
from assistant.store.query import open_readonly, run_query

TABLES = ["user_daily", "seats"]

ALLOWED = [
    "SELECT * FROM user_daily",
    "select user_login from USER_DAILY limit 5",
    "SELECT * FROM main.user_daily",
    "WITH active AS (SELECT DISTINCT user_id FROM user_daily WHERE code_generation_activity_count > 0) "
    "SELECT count(*) FROM active",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
    "SELECT u.user_login, s.plan FROM user_daily u JOIN seats s ON s.login = u.user_login",
    "SELECT u.user_login FROM user_daily u LEFT JOIN seats s USING (user_id) WHERE s.user_id IS NULL",
    "SELECT t.x FROM user_daily, UNNEST([1, 2]) AS t(x)",
    "SELECT * FROM user_daily CROSS JOIN LATERAL (SELECT user_id * 2 AS twice)",
    "SELECT day, sum(code_generation_activity_count) FROM user_daily GROUP BY ALL",
    "SELECT user_login, day FROM user_daily "
    "QUALIFY row_number() OVER (PARTITION BY user_login ORDER BY day) = 1",
    "SELECT count(*) FILTER (WHERE code_generation_activity_count > 0) AS active FROM user_daily",
    "SELECT day, avg(code_generation_activity_count) OVER (ORDER BY day ROWS 6 PRECEDING) FROM user_daily",
    "FROM user_daily",
    "FROM user_daily SELECT day WHERE user_login = 'web'",
    "SELECT * FROM user_daily WHERE user_login = 'web' AND user_login <> '/etc/passwd'",
    "SELECT * FROM user_daily WHERE user_login LIKE '%read_csv(%'",
    "SELECT date_trunc('week', day) AS week, count(DISTINCT user_id) FROM user_daily GROUP BY 1 ORDER BY 1",
    "SELECT * FROM user_daily WHERE day >= current_date - INTERVAL 28 DAY",
    "SELECT * FROM user_daily WHERE user_id IN (SELECT user_id FROM seats)",
    "SELECT (SELECT max(day) FROM user_daily) AS latest",
    "SELECT user_login FROM user_daily UNION SELECT login FROM seats",
    "SELECT 1 INTERSECT SELECT 1 EXCEPT SELECT 2",
    "(SELECT 1 AS one)",
    "SELECT * FROM (FROM user_daily) AS sub",
    "SELECT COLUMNS('.*_count') FROM user_daily",
    "SELECT * EXCLUDE (user_login) FROM user_daily",
    "PIVOT user_daily ON user_login IN ('web', 'cli') USING sum(code_generation_activity_count)",
    "UNPIVOT user_daily ON code_generation_activity_count INTO NAME metric VALUE value",
    "SELECT * FROM range(7) AS r(i)",
    "SELECT * FROM generate_series(DATE '2025-01-01', DATE '2025-01-07', INTERVAL 1 DAY)",
    "SELECT list_transform([1, 2], x -> x + 1), strftime(day, '%Y-%m') FROM user_daily",
    "/* weekly users */ SELECT count(*) FROM user_daily -- done",
    "SELECT $$it's$$ AS s",
]


@pytest.mark.parametrize("sql", ALLOWED)
def test_allowed(sql: str) -> None:
    assert check_sql(sql, TABLES) == sql.split(" -- ")[0].strip()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1;", "SELECT 1"),
        ("  SELECT 1 ;; \n", "SELECT 1"),
        ("SELECT 1; -- done", "SELECT 1"),
        ("-- why\nSELECT 1 -- trailing", "-- why\nSELECT 1"),
        ("SELECT ';' AS semi;", "SELECT ';' AS semi"),
    ],
)
def test_returns_trimmed_sql(sql: str, expected: str) -> None:
    assert check_sql(sql, TABLES) == expected


REFUSED = [
    # writes, DDL, session and transaction control
    ("COPY user_daily TO '/tmp/out.csv'", "COPY is not allowed"),
    ("COPY (SELECT 1) TO '/tmp/out.parquet' (FORMAT parquet)", "COPY is not allowed"),
    ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH is not allowed"),
    ("DETACH other", "DETACH is not allowed"),
    ("INSTALL httpfs", "INSTALL is not allowed"),
    ("LOAD httpfs", "LOAD is not allowed"),
    ("PRAGMA enable_profiling", "PRAGMA is not allowed"),
    ("SET memory_limit = '8GB'", "SET is not allowed"),
    ("SET VARIABLE x = 1", "SET is not allowed"),
    ("RESET memory_limit", "RESET is not allowed"),
    ("CALL pragma_version()", "CALL is not allowed"),
    ("EXPORT DATABASE '/tmp/dump'", "EXPORT is not allowed"),
    ("CHECKPOINT", "only SELECT queries are allowed"),
    ("VACUUM", "VACUUM is not allowed"),
    ("BEGIN", "BEGIN is not allowed"),
    ("COMMIT", "COMMIT is not allowed"),
    ("USE memory", "USE is not allowed"),
    ("INSERT INTO user_daily VALUES (DATE '2025-01-01', 1, 'x', 1)", "INSERT is not allowed"),
    ("UPDATE user_daily SET user_login = 'x'", "UPDATE is not allowed"),
    ("DELETE FROM user_daily", "DELETE is not allowed"),
    ("MERGE INTO seats USING user_daily u ON seats.login = u.user_login WHEN MATCHED THEN DELETE", "MERGE"),
    ("TRUNCATE user_daily", "TRUNCATE is not allowed"),
    ("DROP TABLE user_daily", "DROP is not allowed"),
    ("ALTER TABLE user_daily ADD COLUMN x INT", "ALTER is not allowed"),
    ("CREATE TABLE x AS SELECT 1", "CREATE TABLE is not allowed"),
    ("CREATE TEMP TABLE x AS SELECT 1", "CREATE TABLE is not allowed"),
    ("CREATE TEMP VIEW v AS SELECT 1", "CREATE VIEW is not allowed"),
    ("CREATE MACRO m(x) AS x + 1", "CREATE MACRO is not allowed"),
    ("DESCRIBE user_daily", "DESCRIBE is not allowed"),
    ("SUMMARIZE user_daily", "SUMMARIZE is not allowed"),
    ("SHOW TABLES", "SHOW is not allowed"),
    ("EXPLAIN SELECT 1", "EXPLAIN is not allowed"),
    ("VALUES (1)", "only SELECT queries are allowed"),
    ("SELECT 1 INTO copy_of_it", 'could not parse: syntax error at or near "INTO" (line 1)'),
    # DuckDB runs a PIVOT without IN as several statements, the first a CREATE TYPE over the data
    ("PIVOT user_daily ON user_login USING sum(code_generation_activity_count)", "PIVOT without an IN list"),
    ("SELECT * FROM (PIVOT seats ON plan USING count(*))", "PIVOT without an IN list"),
    ("WITH p AS (PIVOT seats ON plan) SELECT * FROM p", "PIVOT without an IN list"),
    (
        "WITH d AS (DELETE FROM user_daily RETURNING *) SELECT * FROM d",
        "DELETE is not allowed inside the query",
    ),
    ("SELECT * FROM (WITH d AS (UPDATE seats SET plan = 'x' RETURNING *) SELECT * FROM d)", "UPDATE"),
    # more than one statement, comment tricks, nothing at all
    ("SELECT 1; DROP TABLE user_daily", "expected exactly one SELECT statement, got 2"),
    ("SELECT 1; SELECT 2", "expected exactly one SELECT statement, got 2"),
    ("/* harmless */ DELETE FROM user_daily", "DELETE is not allowed"),
    ("-- just a comment\nDROP TABLE user_daily", "DROP is not allowed"),
    ("SELECT 1 /* ; */; DROP TABLE user_daily", "got 2"),
    ("", "no SQL statement found"),
    ("  ;  ", "no SQL statement found"),
    ("-- only a comment", "no SQL statement found"),
    ("SELEC 1 FROM", "could not parse"),
    # files, URLs, other databases, system tables
    ("SELECT * FROM read_csv('/etc/passwd')", "function read_csv() is not allowed"),
    ("SELECT read_csv('/etc/passwd')", "function read_csv() is not allowed"),
    ("SELECT * FROM \"read_csv\"('/etc/passwd')", "function read_csv() is not allowed"),
    ("SELECT * FROM main.read_csv_auto('/etc/passwd')", "function read_csv_auto() is not allowed"),
    ("SELECT * FROM read_text('/etc/passwd')", "function read_text() is not allowed"),
    ("SELECT user_login.read_text() FROM user_daily", "function read_text() is not allowed"),
    ("SELECT * FROM read_parquet('s3://bucket/x.parquet')", "function read_parquet() is not allowed"),
    ("SELECT * FROM parquet_scan('x.parquet')", "function parquet_scan() is not allowed"),
    ("SELECT * FROM sqlite_scan('x.db', 't')", "function sqlite_scan() is not allowed"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", "function sniff_csv() is not allowed"),
    ("SELECT * FROM '/etc/passwd'", "looks like a file path or URL"),
    ("SELECT * FROM 'data.csv'", "looks like a file path or URL"),
    ('SELECT * FROM "https://example.com/x.parquet"', "looks like a file path or URL"),
    ("WITH \"/etc/passwd\" AS (SELECT 1) SELECT * FROM '/etc/passwd'", "looks like a file path or URL"),
    ("SELECT * FROM user_daily, LATERAL read_csv(user_login)", "function read_csv() is not allowed"),
    ("SELECT * FROM user_daily WHERE user_id IN (SELECT * FROM read_json('x.json'))", "read_json"),
    ("SELECT * FROM glob('*')", "function glob() is not allowed"),
    ("SELECT getenv('HOME')", "function getenv() is not allowed"),
    ("SELECT 'HOME'.getenv()", "function getenv() is not allowed"),
    ("SELECT current_setting('temp_directory')", "function current_setting() is not allowed"),
    ("SELECT * FROM query('SELECT 1')", "function query() is not allowed"),
    ("SELECT * FROM query_table('user_daily')", "function query_table() is not allowed"),
    ("SELECT json_execute_serialized_sql('x')", "json_execute_serialized_sql"),
    ("SELECT which_secret('s3://x', 's3')", "function which_secret() is not allowed"),
    ("SELECT * FROM load_aws_credentials()", "function load_aws_credentials() is not allowed"),
    ("SELECT http_get('http://example.com')", "function http_get() is not allowed"),
    ("SELECT sleep_ms(100000)", "function sleep_ms() is not allowed"),
    ("SELECT * FROM range(3) r, LATERAL enable_logging()", "function enable_logging() is not allowed"),
    ("SELECT * FROM duckdb_settings()", "function duckdb_settings() is not allowed"),
    ("SELECT * FROM duckdb_secrets()", "function duckdb_secrets() is not allowed"),
    ("SELECT * FROM pragma_table_info('user_daily')", "function pragma_table_info() is not allowed"),
    ("SELECT * FROM duckdb_tables", "unknown table 'duckdb_tables'"),
    ("SELECT * FROM information_schema.tables", "outside the loaded data"),
    ("SELECT * FROM memory.main.user_daily", "outside the loaded data"),
    ("SELECT * FROM temp.main.scratch", "outside the loaded data"),
    ("SELECT * FROM test_all_types()", "table function test_all_types() is not allowed"),
    ("SELECT * FROM histogram(user_daily, user_login)", "table function histogram() is not allowed"),
    # unknown tables
    ("SELECT * FROM user_dialy", "unknown table 'user_dialy'; did you mean 'user_daily'?"),
    ("SELECT * FROM user_daily u WHERE EXISTS (SELECT 1 FROM secrets)", "unknown table 'secrets'"),
    ("SELECT * FROM cte_defined_elsewhere", "Tables you can query: seats, user_daily"),
]


@pytest.mark.parametrize(("sql", "message"), REFUSED)
def test_refused(sql: str, message: str) -> None:
    with pytest.raises(GuardError) as info:
        check_sql(sql, TABLES)
    assert message in info.value.message
    assert info.value.hint


def test_guard_error_is_a_query_error_the_model_can_act_on() -> None:
    with pytest.raises(QueryError) as info:
        check_sql("SELECT * FROM user_dayly", TABLES)
    assert info.value.message == (
        "unknown table 'user_dayly'; did you mean 'user_daily'? Tables you can query: seats, user_daily"
    )
    assert info.value.hint == "See the tables with /schema (or `cma schema`)."


def test_parse_error_carries_the_parsers_message_without_escape_codes() -> None:
    with pytest.raises(GuardError) as info:
        check_sql("SELECT * FROM user_daily WHERE (", TABLES)
    assert info.value.message.startswith("could not parse: ")
    assert "\x1b" not in info.value.message


def test_system_tables_and_functions_can_be_allowed_explicitly() -> None:
    allowed = [*TABLES, "information_schema.tables", "duckdb_tables"]
    assert check_sql("SELECT * FROM information_schema.tables", allowed)
    assert check_sql("SELECT * FROM duckdb_tables()", allowed)
    with pytest.raises(GuardError):
        check_sql("SELECT * FROM information_schema.columns", allowed)


def test_table_names_match_case_insensitively() -> None:
    assert check_sql('SELECT * FROM "User_Daily" JOIN SEATS USING (user_id)', ["USER_DAILY", "Seats"])


def test_cte_names_do_not_leak_into_qualified_names() -> None:
    with pytest.raises(GuardError, match="outside the loaded data"):
        check_sql("WITH t AS (SELECT 1) SELECT * FROM other.t", TABLES)


# --- The guard reads DuckDB's own parse tree: what the engine runs, not another parser's reading -----

# Constructs whose meaning DuckDB's own parser decides; in brackets, what the sqlglot guard said where it
# differed (the first two it refused only through its scan of every `name(` in the token stream).
READ_AS_THE_ENGINE_DOES = [
    # a comma-list comprehension is DuckDB sugar for list_apply(list_filter(...), lambda): the call is inside
    ("SELECT [read_text(f) for f in ['/etc/passwd']] AS t", "function read_text() is not allowed"),
    # a named window is copied into each OVER w that uses it
    ("SELECT row_number() OVER w FROM user_daily WINDOW w AS (ORDER BY getenv('HOME'))",
     "function getenv() is not allowed"),
    # DuckDB 2 runs a COPY ... TO in a CTE body, even an unused one [could not parse]
    ("WITH d AS (COPY (SELECT 1) TO '/tmp/x.csv') SELECT 1", "COPY is not allowed inside the query"),
    ("SELECT * FROM (WITH d AS (COPY seats TO '/tmp/x.csv') SELECT * FROM d)", "COPY is not allowed inside the query"),
    # SHOW in a subquery is a catalog listing to DuckDB [sqlglot: "unknown table 'SHOW'"]
    ("FROM (SHOW TABLES)", "SHOW is not allowed"),
    ("SELECT * FROM (SHOW ALL TABLES)", "SHOW is not allowed"),  # [could not parse]
    ("SELECT * FROM (DESCRIBE seats)", "DESCRIBE is not allowed"),
    ("SELECT * FROM (SUMMARIZE seats)", "SUMMARIZE is not allowed"),
    # time travel reads another version of a table [passed]
    ("SELECT * FROM seats AT (VERSION => 1)", "AT (VERSION/TIMESTAMP ...) is not supported"),
    # prepared-statement parameters and DEFAULT have no value here [passed]
    ("SELECT * FROM seats WHERE login = ?", "query parameters ($name, ?) are not supported"),
    ("SELECT $1", "query parameters"),
    ("SELECT DEFAULT", "the guard does not know the expression kind DEFAULT"),
]


@pytest.mark.parametrize(("sql", "message"), READ_AS_THE_ENGINE_DOES)
def test_the_guard_reads_the_statement_as_the_engine_does(sql: str, message: str) -> None:
    with pytest.raises(GuardError) as info:
        check_sql(sql, TABLES)
    assert message in info.value.message and info.value.hint


@pytest.mark.parametrize(
    ("sql", "columns", "rows"),
    [
        # DuckDB nests block comments: the call is commented out, and the engine returns `one` and `three`
        ("SELECT 1 AS one /* /* */ , read_text('/etc/passwd') AS x */ , 3 AS three", ["one", "three"], [(1, 3)]),
        # a tagged dollar-quoted string holds `$$` and a call, as text
        ("SELECT $t$ it's $$ read_text('/etc/passwd') $t$ AS s", ["s"], [(" it's $$ read_text('/etc/passwd') ",)]),
        # a named window no OVER uses is not in the engine's tree: it never runs
        ("SELECT 7 AS n WINDOW w AS (ORDER BY read_text('/etc/passwd'))", ["n"], [(7,)]),
        ("SELECT [x * 2 for x in [1, 2, 3]] AS doubled", ["doubled"], [([2, 4, 6],)]),
    ],
)
def test_what_the_guard_passes_is_what_the_engine_runs(sql: str, columns: list[str], rows: list[tuple]) -> None:
    with duckdb.connect() as con:
        result = run_query(con, check_sql(sql, TABLES))
    assert (result.columns, result.rows) == (columns, rows)


def test_a_query_nested_too_deeply_to_walk_is_refused_with_a_message() -> None:
    sql = "SELECT * FROM " + "(SELECT * FROM " * 400 + "seats" + ")" * 400
    with pytest.raises(GuardError, match="nests subqueries too deeply"):
        check_sql(sql, TABLES)
    assert check_sql("SELECT * FROM " + "(SELECT * FROM " * 20 + "seats" + ")" * 20, TABLES)


def test_a_copy_in_a_cte_is_stopped_by_the_connection_too(sandbox: Sandbox) -> None:
    # the layer under the guard: an unused CTE's COPY runs on a writable connection, not on the query one
    target = sandbox.directory / "copied.csv"
    with pytest.raises(QueryError):
        run_query(sandbox.con, f"WITH d AS (COPY (SELECT 1) TO '{target}') SELECT 1")
    assert not target.exists()


def _tree(sql: str) -> dict:
    """DuckDB's parse tree of `sql`, as the guard reads it."""
    from assistant.store.guard import _serialized

    with duckdb.connect() as con:
        return _serialized(con, sql)


def _walk(tree: dict) -> None:
    from assistant.store.guard import _Walk

    _Walk(frozenset(TABLES)).statement(tree, frozenset())


def test_a_field_the_guard_does_not_know_is_refused_not_skipped() -> None:
    # a newer DuckDB could put a query in a new clause: the walk refuses what it cannot see into
    tree = _tree("SELECT * FROM user_daily")
    _walk(tree)
    tree["node"]["future_clause"] = _tree("SELECT * FROM read_text('/etc/passwd')")["node"]
    with pytest.raises(GuardError, match="does not know SELECT_NODE with future_clause"):
        _walk(tree)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("node", "select_list", 0, "class"), "BOUND_COLUMN_REF", "the expression kind BOUND_COLUMN_REF"),
        (("node", "from_table", "type"), "COLUMN_DATA", "the table source COLUMN_DATA"),
        (("node", "type"), "INSERT_QUERY_NODE", "INSERT is not allowed inside the query"),
        (("node", "type"), "CTE_NODE", "the query node CTE_NODE"),
        (("node", "modifiers"), [{"type": "SAMPLE_MODIFIER"}], "the query modifier SAMPLE_MODIFIER"),
        (("node", "from_table", "qualified_name", "path"), ["seats"], "written two ways"),
    ],
)
def test_a_node_kind_the_guard_does_not_know_is_refused(path: tuple, value: object, message: str) -> None:
    tree = _tree("SELECT user_login FROM user_daily")
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    with pytest.raises(GuardError, match=re.escape(message)):
        _walk(tree)


# --- Property: whatever the guard passes cannot change the database or read outside it ----------------

CANARY = f"canary-content-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Sandbox:
    directory: Path
    con: duckdb.DuckDBPyConnection


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    db = tmp_path / "usage.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE user_daily AS SELECT DATE '2025-01-01' + (i % 7)::INTEGER AS day, i AS user_id, "
            "'user' || (i % 5) AS user_login, i % 3 AS code_generation_activity_count FROM range(40) r(i)"
        )
        con.execute(
            "CREATE TABLE seats AS "
            "SELECT i AS user_id, 'user' || i AS login, 'business' AS plan FROM range(5) r(i)"
        )
    for name in ("canary.txt", "canary.csv", "canary.json"):
        (tmp_path / name).write_text(f"secret\n{CANARY}\n")
    connection = open_readonly(db)
    yield Sandbox(tmp_path, connection)
    connection.close()


def fingerprint(box: Sandbox, *, full: bool = False) -> tuple[object, ...]:
    """Return what must not change: files (bytes if `full`, else size and mtime), tables, views, settings."""
    files = {
        str(p.relative_to(box.directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        if full
        else (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(box.directory.rglob("*"))
        if p.is_file()
    }
    engine = box.con.execute(
        "SELECT (SELECT list((database_name, schema_name, table_name, estimated_size, temporary)"
        "                     ORDER BY table_name) FROM duckdb_tables()),"
        "       (SELECT count(*) FROM user_daily), (SELECT count(*) FROM seats),"
        "       (SELECT count(*) FROM duckdb_views() WHERE NOT internal),"
        "       current_setting('enable_external_access'), current_setting('lock_configuration')"
    ).fetchone()
    return files, engine


BASE_QUERIES = ALLOWED[:24] + [
    "SELECT user_login, sum(code_generation_activity_count) AS n FROM user_daily GROUP BY ALL ORDER BY n",
]

STATEMENTS = [
    "DELETE FROM user_daily",
    "DROP TABLE user_daily",
    "INSERT INTO seats VALUES (9, 'x', 'y')",
    "UPDATE seats SET plan = 'free'",
    "CREATE TABLE t2 AS SELECT 1",
    "CREATE TEMP TABLE t3 AS SELECT 1",
    "CREATE TEMP VIEW v AS SELECT 1",
    "CREATE MACRO m(x) AS x",
    "COPY user_daily TO '{dir}/out.csv'",
    "COPY (SELECT 1) TO '{dir}/out.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{dir}/export'",
    "ATTACH '{dir}/other.duckdb' AS other",
    "DETACH other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET threads",
    "PRAGMA enable_profiling",
    "CALL enable_logging()",
    "CHECKPOINT",
    "VACUUM",
    "BEGIN",
    "COMMIT",
    "USE memory",
    "SET VARIABLE v = 1",
    "WITH d AS (DELETE FROM user_daily RETURNING *) SELECT * FROM d",
]

SOURCES = [
    "'{dir}/canary.txt'",
    "'{dir}/canary.csv'",
    '"{dir}/canary.json"',
    "'canary.csv'",
    "read_csv('{dir}/canary.csv')",
    "read_csv_auto('{dir}/canary.csv', header = false)",
    "read_text('{dir}/canary.txt')",
    "read_blob('{dir}/canary.txt')",
    "read_json_auto('{dir}/canary.json')",
    "glob('{dir}/*')",
    "sniff_csv('{dir}/canary.csv')",
    "query('SELECT * FROM read_text(''{dir}/canary.txt'')')",
    "query_table('seats')",
    "duckdb_settings()",
    "duckdb_tables",
    "information_schema.tables",
    "memory.main.user_daily",
    "main.seats",
    "seats",
    "secrets",
    "pg_catalog.pg_class",
    "enable_logging()",
    "checkpoint()",
    "test_all_types()",
    "range(3)",
    "(SELECT content FROM read_text('{dir}/canary.txt'))",
]

CALLS = [
    "read_text('{dir}/canary.txt')",
    "getenv('HOME')",
    "current_setting('temp_directory')",
    "json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
    "which_secret('s3://x', 's3')",
    "(SELECT content FROM read_text('{dir}/canary.txt'))",
    "(SELECT string_agg(column0) FROM '{dir}/canary.csv')",
    "(SELECT count(*) FROM glob('{dir}/*'))",
    "http_get('http://127.0.0.1:9/')",
    "write_log('x')",
    "sleep_ms(1)",
    "user_login",
    "'{dir}/canary.txt'",
    "42",
]

DENIED_NAMES = [
    "read_csv", "read_text", "read_blob", "read_parquet", "read_json", "parquet_scan", "sqlite_scan", "glob",
    "sniff_csv", "getenv", "query", "query_table", "duckdb_settings", "pragma_version", "http_post", "system",
    "json_execute_serialized_sql", "iceberg_scan", "delta_scan", "current_setting", "which_secret",
]  # fmt: skip

NOISE = [";", "(", ")", ",", "'", '"', "--", "/*", "*/", "\n", "SELECT", "FROM", "WHERE", "UNION ALL", "$$"]

KNOWN_FUNCTIONS = ["sum", "count", "date_trunc", "row_number", "avg", "max", "list_transform", "range"]


# Structured mutations keep most drafts parseable, so many reach the engine; noise breaks a few.
ACTIONS = ["source"] * 3 + ["call"] * 3 + ["rename", "cte"] * 2 + ["splice", "wrap", "insert", "replace"]


@st.composite
def mutated_sql(draw: st.DrawFn, directory: str) -> str:
    """Draw a query from the corpus and apply one to three splices, insertions or replacements."""
    tokens = draw(st.sampled_from(BASE_QUERIES)).split(" ")
    fragment = st.sampled_from(STATEMENTS + SOURCES + CALLS + NOISE + DENIED_NAMES)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(ACTIONS))
        at = draw(st.integers(0, len(tokens)))
        if action == "source":
            source = draw(st.sampled_from(SOURCES + [f"({s})" for s in STATEMENTS]))
            tokens = [source if t in ("user_daily", "seats") else t for t in tokens]
        elif action == "call" and tokens and tokens[0].upper() == "SELECT":
            tokens.insert(1, draw(st.sampled_from(CALLS)) + ",")
        elif action == "rename":
            known, denied = draw(st.sampled_from(KNOWN_FUNCTIONS)), draw(st.sampled_from(DENIED_NAMES))
            tokens = [t.replace(f"{known}(", f"{denied}(") for t in tokens]
        elif action == "cte":
            cte = ["c AS (", draw(st.sampled_from(STATEMENTS + BASE_QUERIES)), ")"]
            if tokens[0].upper() == "WITH" and tokens[1].upper() != "RECURSIVE":
                tokens = ["WITH", *cte[:-1], "),", *tokens[1:]]
            else:
                tokens = ["WITH", *cte, *tokens]
        elif action == "splice":
            joiner = draw(st.sampled_from(["; ", ";\n", " UNION ALL ", " -- ", "\n/* */ ", " "]))
            tokens = [" ".join(tokens) + joiner + draw(st.sampled_from(STATEMENTS + BASE_QUERIES))]
        elif action == "wrap":
            tokens = [draw(st.sampled_from(["/* x */", "-- x\n", "(", "SELECT * FROM ("])), *tokens, ")"]
        elif action == "insert":
            tokens.insert(at, draw(fragment))
        elif action == "replace" and tokens:
            tokens[min(at, len(tokens) - 1)] = draw(fragment)
    return " ".join(tokens).replace("{dir}", directory)


def test_no_query_can_write_or_read_outside_the_database(sandbox: Sandbox) -> None:
    before, before_bytes = fingerprint(sandbox), fingerprint(sandbox, full=True)
    seen: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(sql=mutated_sql(str(sandbox.directory)))
    def check(sql: str) -> None:
        try:
            runnable = check_sql(sql, TABLES)
            seen["passed"] += 1
        except GuardError:
            # Refused SQL still goes to the engine, to show the connection holds without the guard.
            runnable = sql.strip().rstrip(";")
            seen["refused"] += 1
        try:
            result = run_query(sandbox.con, runnable, max_rows=50, timeout_s=5)
            shown = repr((result.columns, result.rows))
            seen["ran"] += 1
        except QueryError as e:
            shown = f"{e.message} {e.hint}"
        assert CANARY not in shown, sql
        assert fingerprint(sandbox) == before, sql

    check()
    assert seen["refused"] > 50 and seen["passed"] > 20 and seen["ran"] > 25, seen
    assert fingerprint(sandbox, full=True) == before_bytes
