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


# `cma ask` with plain arguments starts without typer (assistant.cli.launch): it must read them as click does.
QUICK_ARGS = [
    ["how many users?"],
    ["--offline", "how many users?", "--db", "x.duckdb"],
    ["-f", "json", "--max-rows", "5", "--timeout=2.5", "q", "--sql-only"],
    ["--format=csv", "-b", "offline", "-m", "gpt-x", "--provider", "ollama", "--base-url", "http://127.0.0.1:1", "q"],
    ["--no-share-results", "-c", "--all", "--save", "mine", "--force", "q"],
    ["--db", "a.duckdb", "--db", "b.duckdb", "q"],  # the last one wins, as in click
    ["--debug", "q", "--offline"],
    ["--", "--offline"],  # after `--`, the question itself
    ["-"],
]
NOT_QUICK = [
    ["--help"], ["q", "--bogus"], ["q", "r"], [], ["q", "--db"], ["q", "--max-rows", "five"], ["q", "--max-rows", "-1"],
    ["-cf", "json", "q"], ["-fjson", "q"], ["q", "--offline=yes"], ["q", "--format="], ["-f=json", "q"],
]


def _defaults() -> dict[str, object]:
    """run_ask's options with their defaults (what typer declares for the command must be the same)."""
    import inspect

    from assistant.cli.asking import run_ask

    return {k: p.default for k, p in inspect.signature(run_ask).parameters.items() if k != "question"}


def _ask_command() -> "object":
    from assistant.cli.app import load_command

    return load_command("ask")


def test_the_quick_ask_reader_knows_exactly_the_command_s_options() -> None:
    from assistant.cli import launch

    options = [p for p in _ask_command().params if p.opts != ["question"]]  # type: ignore[attr-defined]
    spelt = {o: p for p in options for o in p.opts + p.secondary_opts}
    assert set(spelt) == set(launch.FLAGS) | set(launch.VALUES)
    for opt, p in spelt.items():
        assert (launch.FLAGS.get(opt) or launch.VALUES[opt][0]) == p.name, opt
        assert (opt in launch.FLAGS) == bool(p.is_flag), opt
    assert _defaults() == {p.name: p.default for p in options}


@pytest.mark.parametrize("args", QUICK_ARGS, ids=lambda a: " ".join(a) or "none")
def test_the_quick_ask_reader_reads_arguments_as_click_does(args: list[str]) -> None:
    from assistant.cli import launch

    parsed = launch.parse_ask(args)
    assert parsed is not None
    given, debug = parsed
    assert debug == ("--debug" in args)
    clicked = dict(_ask_command().make_context("ask", [a for a in args if a != "--debug"]).params)  # type: ignore
    clicked["db"] = Path(clicked["db"]) if clicked["db"] is not None else None  # typer's conversion
    assert {**_defaults(), **given} == clicked


@pytest.mark.parametrize("args", NOT_QUICK, ids=lambda a: " ".join(a) or "none")
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    from assistant.cli import launch

    assert launch.parse_ask(args) is None


def _cma(*args: str) -> subprocess.CompletedProcess[str]:
    from tests.installed import installed_cma

    return subprocess.run([str(installed_cma()), *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_a_plain_ask_answers_without_typer_and_as_the_command_does(sample_db: Path) -> None:
    question = "how many people used Copilot last week?"
    code = ("import atexit, sys; atexit.register(lambda: print([m for m in ('typer', 'click') if m in sys.modules], "
            "file=sys.stderr)); from assistant.cli.launch import main; sys.argv = ['cma'] + sys.argv[1:]; main()")
    for fmt in ("csv", "json", "table"):
        args = ["ask", question, "--offline", "--db", str(sample_db), "--format", fmt]
        quick = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
        assert quick.returncode == 0, quick.stderr
        assert quick.stderr.strip().splitlines()[-1] == "[]"  # neither typer nor click was imported
        typed = runner.invoke(app, args)
        assert typed.exit_code == 0, typed.output
        assert quick.stdout == typed.stdout, fmt
    installed = _cma("ask", question, "--offline", "--db", str(sample_db), "--format", "csv")  # the console script
    csv = runner.invoke(app, ["ask", question, "--offline", "--db", str(sample_db), "--format", "csv"]).stdout
    assert installed.returncode == 0 and installed.stdout == csv


def test_the_quick_ask_fails_as_the_command_does(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    quick = _cma("ask", "how many users?", "--offline", "--db", str(missing))
    typed = runner.invoke(app, ["ask", "how many users?", "--offline", "--db", str(missing)])
    assert quick.returncode == typed.exit_code != 0
    assert "No database at" in quick.stderr and "cma load" in quick.stderr
    bad = ["ask", "how many users?", "--offline", "--db", str(missing), "--format", "xml"]
    bad_format = _cma(*bad)
    assert bad_format.returncode == runner.invoke(app, bad).exit_code != 0
    assert "Unknown --format value 'xml'" in bad_format.stderr
    usage = _cma("ask", "how many users?", "--bogus")  # not the quick path: typer's usage error
    assert usage.returncode == 2 and "No such option: --bogus" in usage.stderr
