"""The semantic model as data: it names only what the catalog holds; the reader, prompt and docs take names from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assistant.semantic import catalog, model
from assistant.semantic.metrics import METRICS_BY_NAME

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "assistant"
# table and column names with an underscore: plain words ("day", "seats", "team") are English too
NAMES = {t.name for t in catalog.ALL if "_" in t.name} | {
    c.name for t in catalog.ALL for c in t.columns if "_" in c.name}
NAME = re.compile(r"\b(" + "|".join(sorted(map(re.escape, NAMES), key=len, reverse=True)) + r")\b")
# sources that must take every table and column name from the semantic model: every offline module (the
# compositional reader and the phrase reader behind it), the prompt builder and the doc generators
OFFLINE = sorted(str(p.relative_to(PKG)) for p in (PKG / "offline").rglob("*.py"))
CLEAN = OFFLINE + ["semantic/metrics_docs.py", "semantic/schema_docs.py", "semantic/conventions.py",
                   "llm/prompting.py"]
# the phrase reader (and the conventions it shares with the docs) writes no name even as a bare string
# ("user_daily"): a metric's name or a key looked up in the model (ENTITIES_BY_NAME["seat_usage"],
# .attribute("first_day")) is not a name written by hand
PHRASE_READER = [f for f in OFFLINE if not f.startswith("offline/reader/")] + ["semantic/conventions.py"]
LOOKUPS = ("attribute", "join_path", "seat_condition", "value_list")


def named_in_text(path: Path) -> list[str]:
    """Catalog names written inside SQL or prose string constants (not docstrings, not single-identifier keys)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    hits: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if re.search(r"[\s(]", node.value.strip()):
                hits += NAME.findall(node.value)
    return hits


def test_the_model_names_only_what_the_catalog_holds() -> None:
    assert model.check() == []


def test_every_metric_has_a_grouping_and_every_dimension_a_holder() -> None:
    assert {m.name for m in model.METRICS} == set(model.GROUPING_OF)
    for d in model.DIMENSIONS:
        assert d.holders and d.phrases, d.name
    for f in model.FLAGS:
        assert f.condition or f.feature_condition, f.name


def test_join_paths_are_data_and_feed_the_join_rules() -> None:
    from assistant.semantic.metrics import JOIN_RULES

    team = model.join_path("team_membership", "user_daily")
    assert team.how == "LEFT JOIN" and ("day", "day") in team.on
    assert any(team.condition("u", "m") in rule for rule in JOIN_RULES)


def test_reader_prompt_and_docs_take_names_from_the_model() -> None:
    found = {f: named_in_text(PKG / f) for f in CLEAN}
    assert not {f: h for f, h in found.items() if h}, found


def bare_names(path: Path) -> list[str]:
    """Table and column names written as a whole string constant, other than metric names and model lookup keys."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    keys = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    keys |= {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in LOOKUPS for a in n.args}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in NAMES
            and n.value not in METRICS_BY_NAME and id(n) not in keys]


def test_the_phrase_reader_writes_no_name_even_as_a_bare_string() -> None:
    assert PHRASE_READER and "offline/sql_shapes.py" in PHRASE_READER
    found = {f: bare_names(PKG / f) for f in PHRASE_READER}
    assert not {f: h for f, h in found.items() if h}, found
