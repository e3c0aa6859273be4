"""`cma schema NAME` and the REPL's names, from the semantic model: tables, metrics, dimensions, flags, entities."""

from __future__ import annotations

from assistant.semantic import catalog, metrics_docs, model, schema_docs
from assistant.semantic.joins import join_rules
from assistant.semantic.metrics import METRICS, METRICS_BY_NAME


def names() -> list[str]:
    """Every name `describe` knows: tables and views, then metrics, dimensions, usage flags and entities."""
    found = [t.name for t in catalog.ALL] + [m.name for m in METRICS]
    found += [d.name for d in model.DIMENSIONS] + [f.name for f in model.FLAGS] + [e.name for e in model.ENTITIES]
    return list(dict.fromkeys(found))


def describe(name: str) -> str | None:
    """Markdown describing a table, metric, dimension, usage flag or entity of that name (None when none has it)."""
    if name in catalog.BY_NAME:
        return schema_docs.table_markdown(catalog.BY_NAME[name])
    for render, known in ((_metric, METRICS_BY_NAME), (_dimension, model.DIMENSIONS_BY_NAME),
                          (_flag, model.FLAGS_BY_NAME), (_entity, model.ENTITIES_BY_NAME)):
        if name in known:
            return render(name)
    return None


def model_markdown() -> str:
    """The whole semantic model: metrics, groupings, dimensions, usage flags, entities and join paths."""
    joins = metrics_docs.bullets("Join paths", join_rules())
    return "# The semantic model\n\n## Metrics\n\n" + metrics_docs.metrics_table() + "\n" + \
        metrics_docs.model_tables() + "\n" + joins


def completion_words() -> list[str]:
    """The words a question may use for the model's metrics, dimensions, flags and entities (for completion)."""
    words = {w for m in METRICS for w in (m.name, *m.synonyms)}
    words |= {w for d in model.DIMENSIONS for w in d.phrases}
    words |= {w for f in model.FLAGS for w in f.phrases}
    words |= {w for e in model.ENTITIES for w in e.phrases}
    words |= {w for e in model.ENTITIES for a in e.attributes for w in a.phrases}
    return sorted(words)


def _metric(name: str) -> str:
    m = METRICS_BY_NAME[name]
    also = f"Also asked as: {', '.join(m.synonyms)}.\n\n" if m.synonyms else ""
    return (f"## Metric `{m.name}` ({m.label})\n\n{m.definition[0].upper() + m.definition[1:]}.\n\n"
            f"Grouping: {model.GROUPING_OF.get(m.name, '-')}; unit: {m.unit}; table: `{m.table}`.\n\n{also}"
            f"```sql\n{m.sql}\n```\n")


def _dimension(name: str) -> str:
    d = model.DIMENSIONS_BY_NAME[name]
    held = ", ".join(f"`{t}.{c}`" for t, c in d.holders)
    source = "the loaded data" if d.values_from == "data" else "a fixed list"
    return (f"## Dimension `{d.name}` ({d.label})\n\nHeld in {held}; its values come from {source}"
            f"{' (a value may name a family by prefix)' if d.family_match else ''}.\n\n"
            f"Asked as: {', '.join(d.phrases)}.\n")


def _flag(name: str) -> str:
    f = model.FLAGS_BY_NAME[name]
    parts = [f"## Usage flag `{f.name}` ({f.label})\n"]
    if f.condition:
        parts.append(f"A user-day counts when `{f.condition}` holds in `user_daily`.")
    if f.feature_condition:
        parts.append(f"In the feature table: `{f.feature_condition}`.")
    if f.metric:
        parts.append(f"Counted by the metric `{f.metric}`.")
    parts.append(f"Asked as: {', '.join(f.phrases)}.")
    return "\n\n".join(parts) + "\n"


def _entity(name: str) -> str:
    e = model.ENTITIES_BY_NAME[name]
    lines = [f"## Entity `{e.name}` ({e.label})", "", f"Listed by `{e.table}`, keyed by `{e.key}`.", ""]
    if e.phrases:
        lines += [f"Asked as: {', '.join(e.phrases)}.", ""]
    if e.attributes:
        lines += ["| attribute | column | kind | asked as |", "|:--|:--|:--|:--|"]
        lines += [f"| {a.label} | `{a.column}` | {a.kind} | {', '.join(a.phrases)} |" for a in e.attributes]
    return "\n".join(lines) + "\n"
