"""Text output: result tables for terminals (rich) and scripts (csv/json/markdown)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence

from assistant.contracts import plain
from assistant.sanitize import printable


def cell(value: Any) -> str:
    """How a value reads in a table cell: plain text with no control characters or escape sequences."""
    return printable(_cell_text(value))


def _cell_text(value: Any) -> str:
    """How a value reads in a table cell, before control characters are stripped."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return "NaN"
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The rows as CSV, with control characters and escape sequences stripped from text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([printable(c) for c in columns])
    for r in rows:
        w.writerow(["" if v is None else _csv_value(plain(v)) for v in r])
    return buf.getvalue()


def _csv_value(value: Any) -> Any:
    """A CSV field: text (also inside lists and structs) without control characters."""
    if isinstance(value, (int, float, bool)):
        return value
    return printable(value if isinstance(value, str) else str(value))


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def esc(s: str) -> str:
        return printable(s, newlines=False).replace("|", "\\|")

    out = ["| " + " | ".join(esc(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(esc(cell(v)) for v in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def to_json_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return json.dumps([dict(zip(columns, (plain(v) for v in r))) for r in rows], indent=2)


def to_jsonl(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """One JSON object per row and line (records, for jq and friends)."""
    return "".join(json.dumps(dict(zip(columns, (plain(v) for v in r)))) + "\n" for r in rows)


def rich_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None,
               width: int | None = None) -> Any:
    """A rich Table of the rows; every cell is plain text (never markup), headers are never split mid-word."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold")
    stacked = width is not None and sum(len(c) for c in columns) + 3 * len(columns) + 1 > width
    for i, c in enumerate(columns):
        numeric = any(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool) for r in rows[:20])
        header, narrowest = _header(printable(c, newlines=False), stacked)
        table.add_column(Text(header), justify="right" if numeric else "left", overflow="fold", min_width=narrowest)
    ids = [_is_identifier(c) for c in columns]
    for r in rows:
        table.add_row(*(Text(printable(str(v)) if ident and v is not None else cell(v)) for v, ident in zip(r, ids)))
    return table


def _header(column: str, stacked: bool) -> tuple[str, int]:
    """The header text and the narrowest the column may get: whole words, stacked at '_' when space is short."""
    if not stacked or "_" not in column:
        return column, min(len(column), 24)
    parts = column.split("_")
    lines = [p + "_" for p in parts[:-1]] + [parts[-1]]
    return "\n".join(lines), max(len(x) for x in lines)


def _is_identifier(column: str) -> bool:
    """An id or year column reads best without thousands separators."""
    name = column.lower()
    return name == "id" or name.endswith("_id") or name in ("year", "import_id")
