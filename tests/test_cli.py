"""The command line as a user meets it: help, load, status, schema, import hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.app import app
from assistant.semantic import schema_docs
from tests.conftest import ROOT, SAMPLE
from tests.exports import user_record, write_ndjson

runner = CliRunner()


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.list_commands(None))  # type: ignore[attr-defined]  (commands load on first use)


def test_every_command_has_help() -> None:
    names = command_names()
    assert {"load", "status", "schema", "ask", "chat", "eval", "fetch", "queries"} <= set(names)
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage" in result.output


def test_the_command_list_help_is_each_command_s_own() -> None:
    import typer.main

    from assistant.cli.app import COMMANDS

    group = typer.main.get_command(app)
    for name, (_, _, line) in COMMANDS.items():
        command = group.get_command(None, name)  # type: ignore[attr-defined]
        assert command is not None and " ".join((command.help or "").split()).startswith(line), name


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys, assistant.cli.app; "
        "print([m for m in ('duckdb', 'openai', 'prompt_toolkit', 'rich', 'sqlglot', 'httpx') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_session_imports_neither_typer_nor_prompt_toolkit() -> None:
    code = "import sys, assistant.engine.session; print([m for m in ('typer', 'prompt_toolkit') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_schema_doc_is_generated_from_the_catalog() -> None:
    assert (ROOT / "docs" / "schema.md").read_text() == schema_docs.render_markdown()


def test_load_then_status_json(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    f = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1), user_record("2026-11-03", 2)])
    result = runner.invoke(app, ["load", str(f), "--db", str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["status", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    assert status["first_day"] == "2026-11-01" and status["last_day"] == "2026-11-03"
    assert status["days"] == 2 and status["missing_days"] == ["2026-11-02"] and status["users"] == 2
    assert status["tables"]["user_daily"] == 2


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("CMA_DB", str(db))
    f = write_ndjson(tmp_path / "u.ndjson", [user_record("2026-11-01", 1)])
    assert runner.invoke(app, ["load", str(f), "-q"]).exit_code == 0
    assert db.exists()


def test_load_failure_exit_code_and_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"day":"2026-11-01","user_id":1}\n{"day":"2026-11-01","user_id":"abc"}\n')
    result = runner.invoke(app, ["load", str(bad), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 5
    assert f"{bad}:2" in result.stderr


def test_status_without_database_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0
    assert "No database" in result.stderr and "cma load" in result.stderr


def test_schema_lists_row_counts_of_a_database(sample_db: Path) -> None:
    out = runner.invoke(app, ["schema", "--db", str(sample_db)]).stdout
    assert "user_daily" in out and "rows" in out and "team_membership" in out


def test_schema_of_a_table_and_a_typo() -> None:
    assert "user_initiated_interaction_count" in runner.invoke(app, ["schema", "user_daily"]).stdout
    result = runner.invoke(app, ["schema", "user_dialy"])
    assert result.exit_code == 2 and "user_daily" in result.stderr


def test_schema_describes_the_semantic_model_by_name() -> None:
    metric = runner.invoke(app, ["schema", "acceptance_rate"]).stdout
    assert "Grouping: ratio" in metric and "sum(code_acceptance_activity_count)" in metric
    assert "user_daily_by_ide.ide" in runner.invoke(app, ["schema", "ide"]).stdout
    seat = runner.invoke(app, ["schema", "seat"]).stdout
    assert "pending_cancellation_date" in seat and "last_authenticated_at" in seat
    assert "used_agent" in runner.invoke(app, ["schema", "agent"]).stdout
    typo = runner.invoke(app, ["schema", "acceptnce_rate"])
    assert typo.exit_code == 2 and "Did you mean 'acceptance_rate'?" in typo.stderr
    whole = runner.invoke(app, ["schema", "--model"]).stdout
    for part in ("## Dimensions", "## Usage flags", "## Entities and attributes", "## Join paths", "team_membership"):
        assert part in whole


def test_installed_console_script_loads_the_sample(tmp_path: Path) -> None:
    cma = Path(sys.executable).parent / "cma"
    if not cma.exists():
        pytest.skip("console script not installed in this environment")
    db = tmp_path / "s.duckdb"
    out = subprocess.run([str(cma), "load", str(SAMPLE), "--db", str(db)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Coverage: 2026-09-13 .. 2026-11-07" in out.stderr


def test_cma_without_a_command_takes_db_and_opens_the_conversation(sample_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(sample_db), "--offline"], input="/sql SELECT 41 + 1 AS answer\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "42" in result.output
