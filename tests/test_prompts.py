"""Prompt files: they load (packaged or from the repository), render, and the schema prompt stays small."""

from __future__ import annotations

import re
import string
import tomllib
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from assistant.contracts import Answer, Context, Turn
from assistant.engine.session import Session
from assistant.llm import prompting
from assistant.semantic import catalog
from assistant.semantic import metrics as semantic

ROOT = Path(__file__).resolve().parent.parent
BUDGET_TOKENS = 3050  # measured 2,983 on the sample; see docs/benchmarks.md, "Prompt size"

VARIABLES = {
    "sql_system": {"as_of", "coverage", "schema"},
    "sql_user": {"question"},
    "repair": {"question", "sql", "error"},
    "explain": {"as_of", "coverage"},
    "explain_user": {"question", "sql", "shape", "data"},
}


@pytest.fixture(scope="module")
def ctx(sample_db: Path) -> Iterator[Context]:
    from assistant.config import load_settings

    session = Session(load_settings(db=sample_db))
    yield session.context()
    session.close()


def placeholders(text: str) -> set[str]:
    return {
        m.group("named") or m.group("braced")
        for m in string.Template.pattern.finditer(text)
        if m.group("named") or m.group("braced")
    }


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_every_prompt_has_a_header_and_renders_with_its_documented_variables(name: str) -> None:
    raw = (ROOT / "prompts" / f"{name}.md").read_text(encoding="utf-8")
    header = re.match(r"\s*<!--(.*?)-->", raw, re.S)
    assert header and "Reply expected" in header.group(1)  # says what the reply must look like
    body = prompting.load_prompt(name)
    assert "<!--" not in body and placeholders(body) == VARIABLES[name]
    rendered = prompting.render(name, **{v: f"<{v}>" for v in VARIABLES[name]})
    assert "$" not in rendered.replace("$$", "")
    with pytest.raises(KeyError):  # a missing variable fails loudly
        prompting.render(name)


def test_prompt_names_match_the_files() -> None:
    assert set(prompting.PROMPT_NAMES) == {p.stem for p in (ROOT / "prompts").glob("*.md")} == set(VARIABLES)


def test_the_wheel_ships_the_prompts_inside_the_package() -> None:
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert build["force-include"]["prompts"] == "assistant/prompts"


def test_packaged_prompts_win_over_the_repository_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed wheel has assistant/prompts/; simulate it and check it is the one read.
    packaged = tmp_path / "assistant"
    (packaged / "prompts").mkdir(parents=True)
    for f in (ROOT / "prompts").glob("*.md"):
        (packaged / "prompts" / f.name).write_text(f.read_text().replace("$question", "PACKAGED $question"))
    monkeypatch.setattr(prompting.resources, "files", lambda package: packaged)
    assert prompting.render("sql_user", question="q?") == "PACKAGED q?\n"


# --- the schema context ------------------------------------------------------------------------
def test_schema_context_is_deterministic_and_holds_only_prompt_columns(ctx: Context) -> None:
    text = prompting.schema_context(ctx)
    assert text == prompting.schema_context(ctx)
    for table in catalog.ALL:
        if table.in_prompt and table.name in ctx.allowed_tables:
            assert re.search(rf"^{table.name}: ", text, re.M) or table.name in text.split("Empty in")[-1]
    hidden = {c.name for t in catalog.ALL for c in t.columns if not c.in_prompt and "_" in c.name} - {
        c.name for t in catalog.ALL for c in t.columns if c.in_prompt
    }
    assert hidden and not [name for name in hidden if re.search(rf"\b{name}\b", text)]
    assert "imports:" not in text  # a table kept out of the prompt


def test_schema_context_reuses_the_semantic_layer(ctx: Context) -> None:
    text = prompting.schema_context(ctx)
    for m in semantic.METRICS:
        assert f"- {m.name} = `{m.sql}`" in text
    for item in semantic.JOIN_RULES + semantic.CAVEATS + semantic.DUCKDB_NOTES:
        assert item in text


def test_value_lists_are_sorted_and_capped(ctx: Context) -> None:
    text = prompting.schema_context(ctx)
    for name in ctx.values:
        line = re.search(rf"^- {name}: (.*)$", text, re.M)
        assert line, name
        shown = line.group(1).removesuffix(" ...").split(", ")
        assert shown == sorted(shown) and len(shown) <= prompting.VALUE_CAP


def test_the_sql_prompt_stays_under_its_token_budget(ctx: Context) -> None:
    prompt = prompting.sql_system_prompt(ctx)
    tokens = prompting.estimate_tokens(prompt)
    assert tokens < BUDGET_TOKENS, f"SQL system prompt ~{tokens} tokens; budget {BUDGET_TOKENS}"
    recorded = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "## Prompt size" in recorded


def test_estimate_tokens_takes_the_larger_of_two_estimates() -> None:
    assert prompting.estimate_tokens("a" * 400) == 100  # characters / 4
    assert prompting.estimate_tokens("a b c d e f") == 8  # 6 words * 4/3


# --- messages ----------------------------------------------------------------------------------
def _answer(rows: list[tuple], row_count: int | None = None) -> Answer:
    return Answer(
        "q",
        "SELECT x FROM t",
        ["login", "n"],
        rows,
        row_count or len(rows),
        False,
        "",
        "llm:m",
        date(2026, 11, 7),
        "Data: ...",
    )


def test_the_explanation_sample_is_bounded_by_rows_and_characters() -> None:
    text, included = prompting.result_sample(_answer([(f"user{i}", i) for i in range(100)]))
    assert included == 20 and len(text.splitlines()) == 21
    wide = _answer([("x" * 500, i) for i in range(100)])
    text, included = prompting.result_sample(wide)
    assert len(text) <= prompting.EXPLAIN_MAX_CHARS and 0 < included < 20


def test_history_messages_hold_questions_and_sql_but_no_rows() -> None:
    turns = [
        Turn(
            "who is most active?",
            "SELECT user_login FROM user_daily",
            None,
            ["user_login"],
            [("secret-login",)],
            1,
        ),
        Turn("what costs most?", None, error="cannot answer"),
    ]
    messages = prompting.history_messages(turns)
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "SELECT user_login FROM user_daily" in messages[1]["content"]
    assert "secret-login" not in str(messages)


def test_examples_come_before_history_as_turns(ctx: Context) -> None:
    messages = prompting.sql_messages("q?", ctx, [], [("saved question", "SELECT 1")])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == "```sql\nSELECT 1\n```"
