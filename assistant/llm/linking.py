"""Schema linking: the tables, columns and metrics a question's words point to; notes for repairs.

The words are matched against the semantic layer's own phrases (metric names, labels and synonyms),
the catalog's table and column names and the data's value lists, so nothing here keeps a second copy
of a definition. `prompting.compact_schema` builds the compact prompt from the links. The repair notes
give a failed query the nearest real names and the full definitions of the tables it used.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.semantic import catalog
from assistant.semantic import metrics as semantic

if TYPE_CHECKING:
    from assistant.contracts import Context

CORE = "user_daily"  # always in a compact prompt: most questions are about it
# Words in table names that say nothing about what a question wants.
_GENERIC = frozenset({"user", "daily", "by", "usage", "map", "membership", "legacy"})
# The tables a question's words lead to beyond their names ("teams" -> team_membership).
_TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "team": ("team_membership",),
    "seat": ("seats", "seat_usage"),
    "license": ("seats", "seat_usage"),
    "ide": ("user_daily_by_ide",),
    "editor": ("user_daily_by_ide",),
    "language": ("user_daily_by_language_feature",),
    "model": ("user_daily_by_model_feature", "user_daily_by_language_model"),
    "feature": ("user_daily_by_feature",),
    "organization": ("seats", "entity_daily"),
    "org": ("seats", "entity_daily"),
    "enterprise": ("entity_daily",),
    "inactive": ("seat_usage",),
    "activity": ("seat_activity",),
    "pull": ("entity_daily",),
    "pr": ("entity_daily",),
}
VALUE_TABLES = {name: table for name, table, _ in semantic.VALUE_COLUMNS}


@dataclass(frozen=True)
class Links:
    """What a question points to: table, metric and column names (sorted, deterministic)."""

    tables: tuple[str, ...]
    metrics: tuple[str, ...]
    columns: tuple[str, ...]

    def note(self) -> str:
        """One line naming the linked parts, for the user message."""
        parts = [f"tables {', '.join(self.tables)}"]
        if self.metrics:
            parts.append(f"metrics {', '.join(self.metrics)}")
        if self.columns:
            parts.append(f"columns {', '.join(self.columns)}")
        return "Likely relevant: " + "; ".join(parts) + "."


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> list[str]:
    """The lower-case, singular words of a text."""
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())]


def _has_phrase(haystack: list[str], phrase: str) -> bool:
    needle = words(phrase)
    n = len(needle)
    return bool(needle) and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def link(question: str, ctx: "Context") -> Links:
    """The tables, metrics and columns the question's words point to; the core table is always there."""
    said = words(question)
    allowed = ctx.allowed_tables
    metrics = sorted(
        m.name
        for m in semantic.METRICS
        if m.table in allowed and any(_has_phrase(said, p) for p in (m.label, m.name, *m.synonyms))
    )
    tables = {CORE} | {semantic.METRICS_BY_NAME[m].table for m in metrics}
    for word in said:
        tables.update(_TABLE_WORDS.get(word, ()))
    for table in catalog.ALL:
        if table.in_prompt and any(w in said for w in words(table.name) if w not in _GENERIC):
            tables.add(table.name)
    tables.update(_value_tables(question, ctx))
    columns = sorted(
        {
            c.name
            for t in catalog.ALL
            if t.name in tables
            for c in t.columns
            if c.in_prompt and "_" in c.name and _has_phrase(said, c.name.replace("_", " "))
        }
    )
    return Links(tuple(sorted(t for t in tables if t in allowed)), tuple(metrics), tuple(columns))


def _value_tables(question: str, ctx: "Context") -> set[str]:
    """Tables holding a value the question names ("rust", "vscode", a team)."""
    text = f" {question.lower()} "
    out = set()
    for name, values in ctx.values.items():
        table = VALUE_TABLES.get(name)
        if table and any(len(v) > 2 and re.search(rf"\b{re.escape(v.lower())}\b", text) for v in values):
            out.add(table)
    return out


# --- repairs --------------------------------------------------------------------------------------
_FAILED_NAME = re.compile(
    r'Referenced column "?(?P<a>[\w.]+)"?|Table with name "?(?P<b>[\w.]+)"?|Function with name "?(?P<c>\w+)"?'
    r"|column \"?(?P<d>[\w.]+)\"? (?:not found|does not exist)|unknown (?:table|column)s? '?\"?(?P<e>[\w.]+)",
    re.I,
)


def known_names() -> list[str]:
    """Every table, prompt column and metric name a query may use."""
    names = {t.name for t in catalog.ALL if t.in_prompt}
    names |= {c.name for t in catalog.ALL if t.in_prompt for c in t.columns if c.in_prompt}
    return sorted(names | set(semantic.METRICS_BY_NAME))


def failing_names(error: str) -> list[str]:
    """The names an error says do not exist, in order, without table qualifiers."""
    out: list[str] = []
    for m in _FAILED_NAME.finditer(error):
        name = next(g for g in m.groups() if g).split(".")[-1]
        if name not in out:
            out.append(name)
    return out


def tables_in(sql: str) -> list[str]:
    """The catalog tables a query names, in catalog order."""
    said = set(re.findall(r"[a-z_][a-z0-9_]*", sql.lower()))
    return [t.name for t in catalog.ALL if t.in_prompt and t.name in said]


def table_definition(table: catalog.Table) -> str:
    """Every prompt column of a table with its type and doc."""
    lines = [f"{table.name}: {table.doc}"]
    lines += [f"  {c.name} {c.type}: {c.doc}" for c in table.columns if c.in_prompt]
    return "\n".join(lines)


def repair_notes(sql: str, error: str) -> str:
    """The nearest real names for each failing name, and the full definitions of the tables the SQL used."""
    parts = []
    names = known_names()
    for name in failing_names(error):
        near = difflib.get_close_matches(name.lower(), names, n=4, cutoff=0.5)
        if near:
            parts.append(f"'{name}' does not exist; the nearest real names: {', '.join(near)}.")
        else:
            parts.append(f"'{name}' does not exist and nothing close to it does.")
    used = tables_in(sql)
    if used:
        parts.append("The tables this query uses, in full:\n" + "\n\n".join(
            table_definition(catalog.BY_NAME[t]) for t in used))
    return "\n".join(parts)
