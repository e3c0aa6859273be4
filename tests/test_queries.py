"""Saved queries: file format, parameters, the starter library on the sample, the CLI, export, similarity."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlglot
from typer.testing import CliRunner

from assistant.cli.app import app
from assistant.config import Settings, load_settings
from assistant.engine.session import Session
from assistant.saved.export import export_query
from assistant.saved.files import (
    SavedQuery,
    SavedQueryError,
    list_queries,
    load_query,
    queries_dir,
    remove_query,
    save_query,
    scan_queries,
)
from assistant.saved.params import bind_params
from assistant.saved.run import run_saved
from assistant.saved.similarity import few_shot_examples, similar_queries
from assistant.semantic import catalog
from assistant.store.guard import check_sql

STARTERS = sorted(q.name for q in list_queries(Settings(queries_dir=Path("/nonexistent"))))
DIALECTS = ("postgres", "bigquery", "snowflake", "spark")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "none.duckdb", queries_dir=tmp_path / "queries")


@pytest.fixture
def db_settings(sample_db: Path, tmp_path: Path) -> Settings:
    return Settings(db=sample_db, queries_dir=tmp_path / "queries")


@pytest.fixture
def session(db_settings: Settings):
    s = Session(db_settings)
    yield s
    s.close()


def scalar(session: Session, sql: str):
    return session.connection().execute(sql).fetchone()[0]


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


# --- storage -----------------------------------------------------------------------------------------
def test_save_writes_a_reviewable_file_and_loads_it_back(settings: Settings) -> None:
    path = save_query(
        settings,
        "busy-days",
        "Which days were busiest?",
        "SELECT day FROM user_daily LIMIT :n;",
        description="Days by rows",
        source="gpt-4.1-mini",
        params={"n": "5"},
    )
    assert path == settings.queries_dir / "busy-days.sql"
    text = path.read_text()
    assert text.startswith(
        "-- name: busy-days\n-- question: Which days were busiest?\n-- description: Days by rows\n"
        "-- source: gpt-4.1-mini\n-- created: "
    )
    assert "-- params: n=5\nSELECT day FROM user_daily LIMIT :n\n" in text
    q = load_query(settings, "busy-days")
    assert (q.name, q.question, q.description, q.source, q.params) == (
        "busy-days",
        "Which days were busiest?",
        "Days by rows",
        "gpt-4.1-mini",
        {"n": "5"},
    )
    assert q.created and q.created.endswith("Z") and not q.starter


def test_save_refuses_to_overwrite_unless_asked(settings: Settings) -> None:
    save_query(settings, "q1", "first?", "SELECT 1", source="human")
    with pytest.raises(SavedQueryError, match="already exists") as e:
        save_query(settings, "q1", "second?", "SELECT 2", source="human")
    assert "--force" in (e.value.hint or "")
    save_query(settings, "q1", "second?", "SELECT 2", source="human", overwrite=True)
    assert load_query(settings, "q1").sql == "SELECT 2"


@pytest.mark.parametrize(
    "bad, suggestion",
    [
        ("Team Adoption", "team-adoption"),
        ("../etc/passwd", "etc-passwd"),
        ("", None),
        ("-x", "x"),
        ("a" * 65, None),
    ],
)
def test_bad_names_get_a_clear_error(settings: Settings, bad: str, suggestion: str | None) -> None:
    with pytest.raises(SavedQueryError, match="not a valid query name") as e:
        save_query(settings, bad, "q?", "SELECT 1", source="human")
    if suggestion:
        assert suggestion in (e.value.hint or "")
    assert not settings.queries_dir.exists() or not list(settings.queries_dir.iterdir())


def test_queries_dir_flag_env_and_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_env: Path
) -> None:
    assert queries_dir(load_settings()) == isolated_env / "queries"
    monkeypatch.setenv("CMA_QUERIES", str(tmp_path / "env"))
    assert queries_dir(load_settings()) == tmp_path / "env"
    assert queries_dir(load_settings(queries_dir=tmp_path / "flag")) == tmp_path / "flag"


def test_list_has_the_starters_and_a_user_query_overrides_one(settings: Settings) -> None:
    names = [q.name for q in list_queries(settings)]
    assert names == STARTERS and len(names) >= 12
    with pytest.raises(SavedQueryError, match="starter query"):  # hiding a starter query needs --force
        save_query(settings, "team-adoption", "My own team question?", "SELECT 1", source="human")
    save_query(settings, "team-adoption", "My own team question?", "SELECT 1", source="human", overwrite=True)
    save_query(settings, "zzz", "last?", "SELECT 2", source="offline")
    found = {q.name: q for q in list_queries(settings)}
    assert found["team-adoption"].question == "My own team question?" and not found["team-adoption"].starter
    assert found["acceptance-by-ide"].starter and "zzz" in found


def test_remove(settings: Settings) -> None:
    path = save_query(settings, "temp", "t?", "SELECT 1", source="human")
    assert remove_query(settings, "temp") == path and not path.exists()
    with pytest.raises(SavedQueryError, match="starter query"):
        remove_query(settings, "team-adoption")
    with pytest.raises(SavedQueryError, match="No saved query named 'never-used-seat'") as e:
        remove_query(settings, "never-used-seat")
    assert "never-used-seats" in (e.value.hint or "")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("-- name: broken\n-- questoin: typo?\nSELECT 1\n", "unknown header key 'questoin'"),
        ("-- name: broken\nSELECT 1\n", "no '-- question:' line"),
        ("-- name: broken\n-- question: q?\n", "no SQL below the header"),
        ("-- name: other\n-- question: q?\nSELECT 1\n", "the header says '-- name: other'"),
        ("-- name: broken\n-- question: q?\n-- params: days\nSELECT 1\n", "bad parameter 'days'"),
        ("-- name: broken\n-- question: q?\n-- question: again?\nSELECT 1\n", "appears twice"),
    ],
)
def test_a_broken_file_names_itself(settings: Settings, text: str, problem: str) -> None:
    settings.queries_dir.mkdir(parents=True)
    path = settings.queries_dir / "broken.sql"
    path.write_text(text)
    with pytest.raises(SavedQueryError) as e:
        load_query(settings, "broken")
    assert str(path) in e.value.message and problem in e.value.message
    found, errors = scan_queries(settings)
    assert "broken" not in {q.name for q in found} and [str(path) in x.message for x in errors] == [True]
    result = cli("queries", "list", "--queries", str(settings.queries_dir))
    assert result.exit_code == 0 and f"warning: {path}" in result.stderr


# --- parameters ----------------------------------------------------------------------------------------
QUERY = SavedQuery(
    "p",
    "q?",
    "SELECT :days AS d, :team AS t, x::INT, ':days' AS s -- :team\nFROM t LIMIT :top",
    params={"days": "28", "team": "", "top": "10"},
)


def test_bind_params_defaults_and_overrides() -> None:
    assert bind_params(QUERY, {}) == "SELECT 28 AS d, '' AS t, x::INT, ':days' AS s -- :team\nFROM t LIMIT 10"
    bound = bind_params(QUERY, {"days": "7", "team": "o'brien; DROP TABLE x"})
    assert bound.startswith("SELECT 7 AS d, 'o''brien; DROP TABLE x' AS t,")
    assert check_sql(bound.replace("FROM t", "FROM user_daily"), catalog.QUERYABLE)


def test_bind_params_refuses_bad_values_and_unknown_names() -> None:
    with pytest.raises(SavedQueryError, match="takes a number"):
        bind_params(QUERY, {"days": "7; DROP TABLE user_daily"})
    with pytest.raises(SavedQueryError, match="no parameter 'dayz'") as e:
        bind_params(QUERY, {"dayz": "7"})
    assert "days" in (e.value.hint or "")
    undeclared = SavedQuery("u", "q?", "SELECT :limit", path=Path("/q/u.sql"))
    with pytest.raises(SavedQueryError, match=r"/q/u.sql: the SQL uses :limit"):
        bind_params(undeclared, {})


# --- the starter library on the sample data -------------------------------------------------------------
def test_every_starter_is_documented_and_passes_the_guard(settings: Settings) -> None:
    for q in list_queries(settings):
        assert q.starter and q.question.endswith("?") and q.description and q.source == "starter"
        assert check_sql(bind_params(q, {}), catalog.QUERYABLE)


@pytest.mark.parametrize("name", STARTERS)
def test_starter_runs_on_the_sample_and_returns_rows(session: Session, name: str) -> None:
    answer = run_saved(session, load_query(session.settings, name))
    assert answer.row_count > 0 and answer.columns
    assert (
        answer.backend == f"saved:{name}" and answer.question == load_query(session.settings, name).question
    )


def test_team_adoption_matches_a_hand_written_count(session: Session) -> None:
    answer = run_saved(session, load_query(session.settings, "team-adoption"), {"days": "14"})
    team, members, active = answer.rows[0][:3]
    anchor = scalar(session, "SELECT max(day) FROM user_daily")
    expected_members = scalar(
        session,
        f"""
        SELECT count(DISTINCT user_id) FROM team_membership
        WHERE team = '{team}' AND day BETWEEN DATE '{anchor}' - 13 AND DATE '{anchor}'""",
    )
    expected_active = scalar(
        session,
        f"""
        SELECT count(*) FROM (SELECT DISTINCT m.user_id FROM team_membership m, user_daily u
        WHERE m.team = '{team}' AND u.user_id = m.user_id AND u.day = m.day
          AND m.day BETWEEN DATE '{anchor}' - 13 AND DATE '{anchor}')""",
    )
    assert (members, active) == (expected_members, expected_active)
    rates = [r[3] for r in answer.rows]
    assert rates == sorted(rates)
    only = run_saved(
        session, load_query(session.settings, "team-adoption"), {"days": "14", "team": team.upper()}
    )
    assert only.rows == [answer.rows[0]]


def test_daily_active_users_default_and_overridden_window(session: Session) -> None:
    q = load_query(session.settings, "daily-active-users")
    last_day = scalar(session, "SELECT max(day) FROM user_daily")
    default, week = run_saved(session, q), run_saved(session, q, {"days": "7"})
    assert default.row_count == scalar(
        session, f"SELECT count(DISTINCT day) FROM user_daily WHERE day > DATE '{last_day}' - 28"
    )
    assert week.row_count == scalar(
        session, f"SELECT count(DISTINCT day) FROM user_daily WHERE day > DATE '{last_day}' - 7"
    )
    assert week.rows[-1][0] == last_day
    assert week.rows[-1][1] == scalar(
        session,
        f"SELECT count(*) FROM (SELECT DISTINCT user_id FROM user_daily WHERE day = DATE '{last_day}')",
    )


def test_never_used_seats_and_acceptance_match_hand_written_queries(session: Session) -> None:
    never = run_saved(session, load_query(session.settings, "never-used-seats"))
    assert never.row_count == scalar(
        session,
        """
        SELECT count(*) FROM seats s WHERE s.last_activity_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM user_daily u WHERE u.user_id = s.user_id)""",
    )
    by_lang = run_saved(session, load_query(session.settings, "acceptance-by-language"))
    lang, rate = by_lang.rows[0][0], by_lang.rows[0][-1]
    gen, acc = (
        session.connection()
        .execute(f"""
        SELECT sum(code_generation_activity_count), sum(code_acceptance_activity_count)
        FROM user_daily_by_language_feature
        WHERE language = '{lang}' AND day > (SELECT max(day) FROM user_daily) - 28""")
        .fetchone()
    )
    assert rate == round(acc / gen, 4)


def test_data_coverage_finds_gaps_a_calendar_would(session: Session) -> None:
    sql = bind_params(load_query(session.settings, "data-coverage"), {})
    first, last, with_data, missing, listed = session.run_sql(sql).rows[0]
    calendar_missing = scalar(
        session,
        """
        SELECT count(*) FROM generate_series((SELECT min(day) FROM user_daily),
                                             (SELECT max(day) FROM user_daily),
                                             INTERVAL 1 DAY) g(d)
        WHERE CAST(d AS DATE) NOT IN (SELECT day FROM user_daily)""",
    )
    assert missing == calendar_missing and with_data + missing == (last - first).days + 1
    holes = sql.replace(
        "FROM user_daily",
        f"FROM user_daily WHERE day NOT IN (DATE '{first}' + 3, DATE '{first}' + 4, DATE '{first}' + 9)",
        1,
    )
    gappy = session.run_sql(holes).rows[0]
    assert gappy[3] == missing + 3 and gappy[4].startswith(f"{first + timedelta(days=3)}..")


def test_a_hand_edited_file_runs(db_settings: Settings) -> None:
    db_settings.queries_dir.mkdir(parents=True)
    (db_settings.queries_dir / "my-ides.sql").write_text(
        "-- name: my-ides\n-- question: How many users per IDE?\n-- params: ide=vscode\n\n"
        "-- a free comment line ends the header\n"
        "SELECT ide, count(DISTINCT user_id) AS users FROM user_daily_by_ide WHERE ide = :ide GROUP BY ide;\n"
    )
    result = cli(
        "queries",
        "run",
        "my-ides",
        "--db",
        str(db_settings.db),
        "--queries",
        str(db_settings.queries_dir),
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ide,users" and lines[1].startswith("vscode,")
    result = cli(
        "queries",
        "run",
        "my-ides",
        "-p",
        "ide=nonexistent-ide",
        "--db",
        str(db_settings.db),
        "--queries",
        str(db_settings.queries_dir),
        "--format",
        "jsonl",  # records, one per line; -f json is the `cma ask` object (issue: one JSON shape)
    )
    assert result.exit_code == 0 and result.stdout.strip() == ""
    as_json = cli("queries", "run", "my-ides", "-p", "ide=nonexistent-ide", "--db", str(db_settings.db),
                  "--queries", str(db_settings.queries_dir), "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["rows"] == []


def test_a_query_referencing_a_removed_column_says_which_file_and_column(db_settings: Settings) -> None:
    path = save_query(
        db_settings,
        "old-schema",
        "Old question?",
        "SELECT user_login, total_suggestions FROM user_daily",
        source="human",
    )
    session = Session(db_settings)
    try:
        with pytest.raises(SavedQueryError) as e:
            run_saved(session, load_query(db_settings, "old-schema"))
    finally:
        session.close()
    assert str(path) in e.value.message and "unknown column 'total_suggestions'" in e.value.message
    assert f"Edit {path}" in (e.value.hint or "")
    result = cli(
        "queries", "run", "old-schema", "--db", str(db_settings.db), "--queries", str(db_settings.queries_dir)
    )
    assert result.exit_code == 2 and str(path) in result.stderr and "total_suggestions" in result.stderr
    assert result.stdout == ""


def test_a_query_on_a_removed_table_names_the_table(db_settings: Settings) -> None:
    save_query(db_settings, "gone", "Gone?", "SELECT * FROM copilot_usage", source="human")
    session = Session(db_settings)
    try:
        with pytest.raises(SavedQueryError, match="unknown table 'copilot_usage'"):
            run_saved(session, load_query(db_settings, "gone"))
    finally:
        session.close()


# --- CLI ----------------------------------------------------------------------------------------------
def test_cli_list_show_add_run_rm(db_settings: Settings) -> None:
    qd = str(db_settings.queries_dir)
    result = cli(
        "queries",
        "add",
        "seat-count",
        "--question",
        "How many seats?",
        "--sql",
        "SELECT count(*) AS seats FROM seats",
        "--queries",
        qd,
    )
    assert result.exit_code == 0 and "Saved" in result.stderr
    listed = cli("queries", "list", "--format", "json", "--queries", qd)
    rows = {r["name"]: r for r in __import__("json").loads(listed.stdout)}
    assert rows["seat-count"]["source"] == "human" and rows["team-adoption"]["starter"]
    shown = cli("queries", "show", "seat-count", "--queries", qd)
    assert (
        shown.stdout.startswith("-- name: seat-count\n")
        and "SELECT count(*) AS seats FROM seats" in shown.stdout
    )
    run = cli(
        "queries", "run", "seat-count", "--format", "markdown", "--db", str(db_settings.db), "--queries", qd
    )
    assert run.exit_code == 0 and run.stdout.startswith("| seats |")
    table = cli(
        "queries", "run", "team-adoption", "-p", "days=7", "--db", str(db_settings.db), "--queries", qd
    )
    assert table.exit_code == 0 and "adoption_rate" in table.stdout
    bad = cli(
        "queries", "run", "team-adoption", "-p", "weeks=2", "--db", str(db_settings.db), "--queries", qd
    )
    assert bad.exit_code == 2 and "no parameter 'weeks'" in bad.stderr
    assert cli("queries", "rm", "seat-count", "--queries", qd).exit_code == 0
    assert not (db_settings.queries_dir / "seat-count.sql").exists()


# --- export -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", STARTERS)
def test_export_parses_in_the_target_dialect(settings: Settings, name: str, dialect: str) -> None:
    out = export_query(load_query(settings, name), dialect)
    assert "must exist" in out
    assert sqlglot.parse_one(out, read=dialect)


def test_cli_export(settings: Settings) -> None:
    result = cli(
        "queries",
        "export",
        "team-adoption",
        "--dialect",
        "bigquery",
        "-p",
        "days=7",
        "--queries",
        str(settings.queries_dir),
    )
    assert result.exit_code == 0
    assert "team_membership, user_daily" in result.stdout and "INTERVAL '7' DAY" in result.stdout
    assert sqlglot.parse_one(result.stdout, read="bigquery")
    bad = cli("queries", "export", "team-adoption", "--dialect", "postgress")
    assert bad.exit_code == 2 and "postgres" in bad.stderr


# --- similarity and few-shot examples -------------------------------------------------------------------
@pytest.mark.parametrize(
    "question, expected",
    [
        ("Which teams have the lowest adoption?", "team-adoption"),
        ("acceptance rate per programming language", "acceptance-by-language"),
        ("what's the accept rate in each IDE", "acceptance-by-ide"),
        ("Who never used their Copilot license seat?", "never-used-seats"),
        ("Is agent mode usage growing weekly?", "agent-adoption-weekly"),
        ("top users of the copilot cli", "top-cli-users"),
        ("which models do people chat with", "chat-model-usage"),
        ("are there gaps / missing days in the data", "data-coverage"),
    ],
)
def test_similar_queries_finds_the_right_example(settings: Settings, question: str, expected: str) -> None:
    assert similar_queries(settings, question, k=1)[0].name == expected


def test_similarity_is_deterministic_and_prefers_saved_user_queries(settings: Settings) -> None:
    save_query(
        settings,
        "pr-merge-time",
        "How long do pull requests take to merge?",
        "SELECT day, pr_median_minutes_to_merge FROM entity_daily ORDER BY day",
        source="human",
    )
    first = [q.name for q in similar_queries(settings, "median time to merge pull requests", k=3)]
    assert first[0] == "pr-merge-time"
    assert first == [q.name for q in similar_queries(settings, "median time to merge pull requests", k=3)]
    assert similar_queries(settings, "zebra quantum", k=5) == []


def test_few_shot_examples_are_bound_saved_queries(settings: Settings) -> None:
    examples = few_shot_examples(settings, "Which teams have lower adoption?", k=2)
    assert len(examples) == 2
    question, sql = examples[0]
    assert question == "Which teams have lower adoption rates?"
    assert ":days" not in sql and "INTERVAL 28 DAY" in sql and "'' = ''" in sql


def test_the_llm_prompt_carries_the_most_similar_saved_queries(db_settings: Settings) -> None:
    from assistant.llm.translator import LLMTranslator

    class ScriptedModel:
        name = "scripted"

        def __init__(self) -> None:
            self.seen: list[list[dict]] = []

        def complete(self, messages: list) -> str:
            self.seen.append(messages)
            return "Interpretation: teams\n```sql\nSELECT 1\n```"

        def stream(self, messages: list):
            yield self.complete(messages)

    save_query(
        db_settings,
        "lines-by-team",
        "How many lines did each team add?",
        "SELECT team, sum(loc_added_sum) FROM team_membership m JOIN user_daily u USING (day, user_id) "
        "GROUP BY team",
        source="human",
    )
    translator = LLMTranslator.from_settings(
        db_settings.with_overrides(api_key="test", base_url="http://127.0.0.1:9")
    )
    model = translator.model = ScriptedModel()
    session = Session(db_settings, translator=translator)
    try:
        session.ask("lines added per team", explain=False)
    finally:
        session.close()
    messages = model.seen[0]
    assert messages[0]["role"] == "system" and messages[-1]["content"].strip().endswith(
        "lines added per team"
    )
    shots = [m["content"] for m in messages[1:-1]]
    assert "How many lines did each team add?" in shots[0] and "sum(loc_added_sum)" in shots[1]
    assert any("Which teams have lower adoption rates?" in s for s in shots)


def test_ask_save_then_run_the_saved_query(db_settings: Settings) -> None:
    qd, db = str(db_settings.queries_dir), str(db_settings.db)
    asked = CliRunner().invoke(
        app,
        [
            "ask",
            "how many active users in the last 7 days",
            "--offline",
            "--db",
            db,
            "--save",
            "weekly-active",
        ],
        env={"CMA_QUERIES": qd},
    )
    assert asked.exit_code == 0, asked.stderr
    saved = load_query(db_settings, "weekly-active")
    assert saved.source == "offline" and saved.question == "how many active users in the last 7 days"
    again = cli("queries", "run", "weekly-active", "--db", db, "--queries", qd, "--format", "json")
    assert again.exit_code == 0 and '"active_users"' in again.stdout
    if "DATE '" in saved.sql:  # the offline translator pins the window: the run says so
        assert "fixed dates" in again.stderr


@pytest.mark.parametrize(
    "backend, source",
    [
        ("llm:gpt-4.1-mini", "gpt-4.1-mini"),
        ("offline", "offline"),
        ("sql", "human"),
        ("saved:x", "human"),
        ("human", "human"),
    ],
)
def test_source_names_who_wrote_the_sql(settings: Settings, backend: str, source: str) -> None:
    save_query(settings, "s", "q?", "SELECT 1", source=backend, overwrite=True)
    assert load_query(settings, "s").source == source


def test_installed_console_script_lists_the_starters(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    cma = shutil.which("cma") or str(Path(sys.executable).with_name("cma"))
    env = {**os.environ, "CMA_QUERIES": str(tmp_path)}
    out = subprocess.run(
        [cma, "queries", "list", "--format", "json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "team-adoption" in out.stdout


def test_a_hand_edited_write_is_refused_by_the_guard_naming_the_file(db_settings: Settings) -> None:
    from assistant.errors import GuardError

    db_settings.queries_dir.mkdir(parents=True)
    path = db_settings.queries_dir / "sneaky.sql"
    path.write_text("-- name: sneaky\n-- question: Harmless?\nDELETE FROM seats\n")
    session = Session(db_settings)
    try:
        seats = scalar(session, "SELECT count(*) FROM seats")
        with pytest.raises(GuardError, match="DELETE") as e:
            run_saved(session, load_query(db_settings, "sneaky"))
        assert scalar(session, "SELECT count(*) FROM seats") == seats > 0
    finally:
        session.close()
    assert str(path) in e.value.message


def test_export_notes_what_it_could_not_translate(capsys: pytest.CaptureFixture[str]) -> None:
    out = export_query(SavedQuery("x", "q?", "SELECT any_value(user_login) FROM user_daily"), "postgres")
    assert "-- Check by hand: PostgreSQL does not support IGNORE NULLS." in out
    assert capsys.readouterr().err == ""


def test_importing_queries_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, assistant.saved.files, assistant.saved.run; "
        "heavy = ('typer', 'prompt_toolkit', 'sqlglot', 'duckdb', 'openai'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_the_docs_list_every_starter_query(settings: Settings) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "saved-queries.md").read_text()
    for q in list_queries(settings):
        assert f"| {q.name} | {q.question} |" in doc


def test_bind_params_leaves_slices_and_struct_keys_alone() -> None:
    q = SavedQuery("p", "q?", "SELECT a[1:n], a[:n], {'k':v}, x>:days, f(:days,:days)", params={"days": "7"})
    assert bind_params(q, {}) == "SELECT a[1:n], a[:n], {'k':v}, x>7, f(7,7)"


def test_a_file_saved_with_a_bom_and_crlf_still_reads(settings: Settings) -> None:
    settings.queries_dir.mkdir(parents=True)
    text = "-- name: win\r\n-- question: Saved on Windows?\r\n-- params: days=3\r\nSELECT :days AS d\r\n"
    (settings.queries_dir / "win.sql").write_bytes(b"\xef\xbb\xbf" + text.encode())
    q = load_query(settings, "win")
    assert (q.question, bind_params(q, {})) == ("Saved on Windows?", "SELECT 3 AS d")
