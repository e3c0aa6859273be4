"""Read export files as Python values: JSON documents (one, an array, NDJSON or a stream of pages) and CSV rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator

from assistant.errors import LoadError
from assistant.ingest.detect import normalize_header, open_text

# Text that means "no value" in a CSV cell (GitHub's enterprise reports write `None`).
NULLISH = frozenset({"", "none", "null", "nil", "n/a", "never", "-"})


def read_json_document(path: Path, layout: str) -> Any:
    """The whole file as JSON: one document, an array, or a list of the lines or pages it holds."""
    with open_text(path) as f:
        if layout == "ndjson":
            return list(_ndjson_values(path, f))
        text = f.read()
    values = json_stream(path, text)
    if len(values) == 1:
        return values[0]
    if all(isinstance(v, list) for v in values):  # `gh api --paginate` of an endpoint returning arrays
        return [item for v in values for item in v]
    return values


def _ndjson_values(path: Path, lines: Any) -> Iterator[Any]:
    for n, line in enumerate(lines, start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                raise LoadError(
                    f"{path}:{n}: malformed JSON: {e.msg} at column {e.colno}.",
                    hint="Fix or remove the line, or pass --skip-bad-lines.",
                ) from e


def json_stream(path: Path, text: str) -> list[Any]:
    """Every JSON document in `text`, one after another with or without whitespace between them."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos = _skip_space(text, 0)
    while pos < len(text):
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise LoadError(
                f"{path}:{e.lineno}: malformed JSON: {e.msg} at column {e.colno}.", hint="Is the download complete?"
            ) from e
        values.append(value)
        pos = _skip_space(text, pos)
    if not values:
        raise LoadError(f"{path}: the file is empty.", hint="Re-download the export.")
    return values


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n\ufeff":
        pos += 1
    return pos


def user_records(path: Path, layout: str) -> Iterator[dict[str, Any]]:
    """The per-user records of a file, unwrapping `day_totals` wrappers and pages; wrapper fields fill gaps."""
    doc = read_json_document(path, layout)
    for value in doc if isinstance(doc, list) else [doc]:
        if isinstance(value, dict) and isinstance(value.get("day_totals"), list):
            outer = {k: v for k, v in value.items() if k != "day_totals" and not isinstance(v, (dict, list))}
            for rec in value["day_totals"]:
                yield {**_window(outer), **rec} if isinstance(rec, dict) else rec
        elif isinstance(value, list):
            yield from value
        else:
            yield value


def _window(outer: dict[str, Any]) -> dict[str, Any]:
    keys = ("report_start_day", "report_end_day", "enterprise_id", "organization_id")
    return {k: outer[k] for k in keys if outer.get(k) is not None}


def csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line number, {normalised header: value}) of a CSV's non-blank rows; `None`-like cells are None."""
    with open_text(path) as f:
        reader = csv.reader(f)
        try:
            header = [normalize_header(h) for h in next(reader)]
        except StopIteration:
            return
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) < len(header):
                raise LoadError(
                    f"{path}:{n}: expected {len(header)} columns, found {len(values)}.",
                    hint="Fix the line or re-download the report.",
                )
            yield n, dict(zip(header, (_cell(v) for v in values)))


def _cell(value: str) -> str | None:
    v = value.strip()
    return None if v.lower() in NULLISH else v
