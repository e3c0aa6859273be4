"""docs/schema.md and `cma schema`, generated from the catalog the code uses."""

from __future__ import annotations

from assistant.semantic import catalog

HEADER = """# Database schema

Generated from `assistant/catalog.py` by `python -m assistant.semantic.schema_docs > docs/schema.md`; a test keeps
it in step. Column names are GitHub's export field names wherever one exists, so GitHub's docs explain
them; `source` gives the export path of a column whose name differs.

Keys: every table is de-duplicated on its key; a later load of the same key replaces the earlier row
(the last ~3 days of an export are provisional and GitHub revises them).
"""


def table_markdown(t: catalog.Table) -> str:
    kind = "view" if t.is_view else "table"
    lines = [f"## `{t.name}` ({kind})", "", t.doc[0].upper() + t.doc[1:] + ".", ""]
    if t.key and not t.is_view:
        lines += [f"Key: ({', '.join(t.key)})", ""]
    lines += ["| column | type | meaning | source |", "|:--|:--|:--|:--|"]
    for c in t.columns:
        lines.append(f"| `{c.name}` | {c.type} | {c.doc.replace('|', '/')} | {f'`{c.source}`' if c.source else ''} |")
    if t.is_view:
        lines += ["", "```sql", t.ddl(), "```"]
    if t.derived_sql:
        lines += ["", "Rebuilt at the end of every `cma load` and `cma fetch` from:", "", "```sql",
                  t.derived_sql.strip(), "```"]
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    return HEADER + "\n" + "\n".join(table_markdown(t) for t in catalog.ALL)


if __name__ == "__main__":
    print(render_markdown(), end="")
