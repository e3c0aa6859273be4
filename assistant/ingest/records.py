"""Line-by-line checks of export records: used to name the bad line when a bulk read fails, and by --skip-bad-lines."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterator

from assistant.ingest.detect import open_text
from assistant.semantic.catalog import COUNTERS

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Check = Callable[[Any], str | None]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int_like(v: Any) -> bool:
    return _is_int(v) or (isinstance(v, str) and v.strip().lstrip("-").isdigit())


def _check_day(rec: dict[str, Any], key: str, required: bool) -> str | None:
    v = rec.get(key)
    if v is None:
        return f"missing '{key}'" if required else None
    if not isinstance(v, str) or not DAY_RE.match(v):
        return f"'{key}' must be a YYYY-MM-DD date, got {json.dumps(v)[:40]}"
    try:
        from datetime import date

        date.fromisoformat(v)
    except ValueError:
        return f"'{key}' is not a valid date: {v}"
    return None


def _check_numbers(obj: dict[str, Any], where: str) -> str | None:
    for key in COUNTERS:
        v = obj.get(key)
        if v is not None and not _int_like(v):
            return f"{where}'{key}' must be an integer, got {json.dumps(v)[:40]}"
    return None


def check_user_record(rec: Any) -> str | None:
    """Why a users-report record cannot be loaded, or None when it can."""
    if not isinstance(rec, dict):
        return f"expected a JSON object, got {type(rec).__name__}"
    for problem in (
        _check_day(rec, "day", True),
        _check_day(rec, "report_start_day", False),
        _check_day(rec, "report_end_day", False),
    ):
        if problem:
            return problem
    uid = rec.get("user_id")
    if uid is None:
        return "missing 'user_id'"
    if not _int_like(uid):
        return f"'user_id' must be an integer, got {json.dumps(uid)[:40]}"
    problem = _check_numbers(rec, "")
    if problem:
        return problem
    for key, value in rec.items():
        if key.startswith("used_") and value is not None and not isinstance(value, bool):
            return f"'{key}' must be true/false, got {json.dumps(value)[:40]}"
        if key.startswith("totals_by_") and value is not None:
            if key in ("totals_by_cli", "totals_by_copilot_app", "totals_by_vscode_agent"):
                if not isinstance(value, dict):
                    return f"'{key}' must be an object"
            elif not isinstance(value, list):
                return f"'{key}' must be an array, got {type(value).__name__}"
            else:
                for i, item in enumerate(value):
                    if not isinstance(item, dict):
                        return f"'{key}[{i}]' must be an object"
                    problem = _check_numbers(item, f"{key}[{i}].")
                    if problem:
                        return problem
    credits = rec.get("ai_credits_used")
    if credits is not None and (isinstance(credits, bool) or not isinstance(credits, (int, float))):
        return f"'ai_credits_used' must be a number, got {json.dumps(credits)[:40]}"
    return None


def check_team_record(rec: Any) -> str | None:
    """Why a user-teams record cannot be loaded, or None."""
    if not isinstance(rec, dict):
        return f"expected a JSON object, got {type(rec).__name__}"
    problem = _check_day(rec, "day", True)
    if problem:
        return problem
    for key in ("user_id", "team_id"):
        if rec.get(key) is None:
            return f"missing '{key}'"
        if not _int_like(rec[key]):
            return f"'{key}' must be an integer, got {json.dumps(rec[key])[:40]}"
    return None


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines of an NDJSON file."""
    with open_text(path) as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                yield n, line


def first_bad_line(path: Path, check: Check) -> tuple[int, str] | None:
    """The first line of an NDJSON file that is not valid JSON or fails `check`, with the reason."""
    try:
        for n, line in iter_lines(path):
            problem = line_problem(line, check)
            if problem:
                return n, problem
    except UnicodeDecodeError as e:
        return 0, f"not UTF-8 text (byte {e.start})"
    return None


def line_problem(line: str, check: Check) -> str | None:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        return f"malformed JSON: {e.msg} at column {e.colno}"
    return check(rec)


def split_good_lines(path: Path, check: Check, good_out: Path) -> list[tuple[int, str, str]]:
    """Copy the loadable lines to `good_out`; return the rejects as (line, reason, text)."""
    rejects: list[tuple[int, str, str]] = []
    with open(good_out, "w", encoding="utf-8") as out:
        try:
            for n, line in iter_lines(path):
                problem = line_problem(line, check)
                if problem:
                    rejects.append((n, problem, line.rstrip("\n")))
                else:
                    out.write(line if line.endswith("\n") else line + "\n")
        except UnicodeDecodeError as e:
            rejects.append((0, f"not UTF-8 text from byte {e.start}; the rest of the file was skipped", ""))
    return rejects


def _negatives(obj: dict[str, Any], where: str) -> Iterator[str]:
    for key in COUNTERS:
        v = obj.get(key)
        if _is_int(v) and v < 0:
            yield f"{where}'{key}' is {v}"


def negative_lines(path: Path, limit: int = 5) -> list[str]:
    """Where the first `limit` negative counters of an NDJSON users file are: `line N: 'key' is -3`."""
    found: list[str] = []
    for n, line in iter_lines(path):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(rec, dict):
            continue
        found.extend(_negatives(rec, f"line {n}: "))
        for key, value in rec.items():
            if key.startswith("totals_by_") and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        found.extend(_negatives(item, f"line {n}: {key}[{i}]."))
        if len(found) >= limit:
            break
    return found[:limit]
