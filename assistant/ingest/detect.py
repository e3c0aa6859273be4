"""Find the files to load and tell what kind of Copilot export each one is, from its content."""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Sequence

from assistant.errors import LoadError

SUFFIXES = (".ndjson", ".jsonl", ".json", ".csv")
PEEK_BYTES = 1 << 20

# Kinds, in the order files are applied within one load (memberships and seats after usage).
USERS = "users"
ENTITY = "entity"
USER_TEAMS = "user_teams"
SEATS = "seats"
SEAT_ACTIVITY = "seat_activity"
TEAM_MAP = "team_map"
LEGACY = "legacy"
LEGACY_USAGE = "legacy_usage"
KIND_ORDER = (USERS, ENTITY, USER_TEAMS, TEAM_MAP, SEATS, SEAT_ACTIVITY, LEGACY, LEGACY_USAGE)
USAGE_KEYS = {"total_suggestions_count", "total_acceptances_count", "total_lines_suggested", "total_active_chat_users"}

COUNTER_KEYS = {"user_initiated_interaction_count", "code_generation_activity_count", "code_acceptance_activity_count"}


@dataclass(frozen=True)
class Detected:
    path: Path
    kind: str
    layout: str  # "ndjson", "array", "object", "stream" (documents one after another), "wrapped" or "csv"
    sort_key: str  # a day string used to apply older reports first


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named, found under directories (recursively) or matched by globs; sorted, without duplicates."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found.extend(f for f in sorted(p.rglob("*")) if f.is_file() and _loadable_name(f))
        elif p.is_file():
            found.append(p)
        elif any(ch in str(raw) for ch in "*?["):
            matches = [Path(m) for m in sorted(glob.glob(str(p), recursive=True))]
            files = [m for m in matches if m.is_file()]
            if not files:
                raise LoadError(
                    f"No files match {raw}.", hint="Check the pattern; quote it so the shell does not expand it."
                )
            found.extend(files)
        else:
            raise LoadError(f"No such file or directory: {raw}", hint="Check the path.")
    seen: set[Path] = set()
    unique = []
    for f in found:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique


def _loadable_name(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(SUFFIXES)


def open_text(path: Path) -> IO[str]:
    """Open a file as UTF-8 text, transparently gunzipping `.gz` files (or gzip content)."""
    with open(path, "rb") as raw:
        magic = raw.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", errors="strict", newline="")
    return open(path, encoding="utf-8-sig", errors="strict", newline="")


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as raw:
        return raw.read(2) == b"\x1f\x8b"


def _peek(path: Path) -> str:
    try:
        with open_text(path) as f:
            return f.read(PEEK_BYTES)
    except UnicodeDecodeError as e:
        raise LoadError(
            f"{path}: not a text file (byte {e.start} is not UTF-8).",
            hint="Copilot exports are UTF-8 JSON, NDJSON or CSV.",
        ) from e
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise LoadError(f"{path}: cannot read the file: {e}", hint="Is it a complete download?") from e


def detect(path: Path) -> Detected:
    """Classify one file by its content; raise LoadError naming the file and what it looked like."""
    text = _peek(path)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise LoadError(f"{path}: the file is empty.", hint="Re-download the export.")
    if "\x00" in stripped[:4096]:
        raise LoadError(f"{path}: binary content, not a Copilot export.", hint="Expected JSON, NDJSON or CSV.")
    if stripped[0] in "{[":
        return _detect_json(path, stripped)
    return _detect_csv(path, stripped)


def _first_json_value(path: Path, text: str) -> tuple[Any, str]:
    """The first JSON value of the file and the layout: one value per line, an array, or one document."""
    first_line = text.split("\n", 1)[0].strip()
    decoder = json.JSONDecoder()
    if text[0] == "{":
        try:
            return json.loads(first_line), "ndjson"
        except json.JSONDecodeError:
            pass
        try:
            value, end = decoder.raw_decode(text)
            return value, "stream" if text[end:].strip() else "object"
        except json.JSONDecodeError as e:
            if len(text) >= PEEK_BYTES:  # one large pretty-printed document: judge by its first keys
                return _partial_object(text), "object"
            raise LoadError(f"{path}:{e.lineno}: malformed JSON: {e.msg}.", hint="Is the download complete?") from e
    try:  # a whole array that fits the peek: is another one after it (`gh api --paginate`)?
        value, end = decoder.raw_decode(text)
        return value, "stream" if text[end:].strip() else "array"
    except json.JSONDecodeError:
        pass
    # a JSON array: look at its first element
    body = text[1:].lstrip()
    if body.startswith("]"):
        return [], "array"
    try:
        value, _ = decoder.raw_decode(body)
    except json.JSONDecodeError as e:
        raise LoadError(f"{path}: malformed JSON array: {e.msg}.", hint="Is the download complete?") from e
    return [value], "array"


def _partial_object(text: str) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for key in ("day_totals", "seats", "total_seats", "daily_active_users", "user_id", "team_id", "date"):
        if f'"{key}"' in text[:PEEK_BYTES]:
            keys[key] = True
    if "day_totals" in keys:  # judge the wrapper by what its records hold
        rec = {k: 1 for k in ("user_id", "user_login", "daily_active_users", "day") if f'"{k}"' in text}
        keys["day_totals"] = [rec]
    return keys


def _classify_record(path: Path, rec: Any) -> str | None:
    if not isinstance(rec, dict):
        return None
    if isinstance(rec.get("day_totals"), list):
        return _classify_wrapper(path, rec["day_totals"])
    if _is_entity(set(rec)) and _is_user(set(rec)):
        raise _ambiguous(path, "its first record has both per-user fields (user_id) and aggregate user counts")
    return _classify_keys(rec)


def _is_user(keys: set[str]) -> bool:
    return bool(keys & {"user_id", "user_login"}) and ("day" in keys or bool(keys & COUNTER_KEYS))


def _is_entity(keys: set[str]) -> bool:
    return bool(keys & {"daily_active_users", "weekly_active_users", "monthly_active_users"})


def _classify_wrapper(path: Path, days: list[Any]) -> str:
    """A `day_totals` wrapper holds aggregate days, or (a dashboard's mock of the users report) user records."""
    records = [d for d in days if isinstance(d, dict)]
    users = sum(1 for d in records if _is_user(set(d)) or "user_id" in d or "user_login" in d)
    if users == 0:
        return ENTITY
    if users == len(records) and not any(_is_entity(set(d)) for d in records):
        return USERS
    raise _ambiguous(path, f"its day_totals mix {users} per-user records with {len(records) - users} aggregate ones")


def _ambiguous(path: Path, why: str) -> LoadError:
    return LoadError(
        f"{path}: cannot tell what kind of export this is: {why}.",
        hint="Nothing was loaded from it. Split it into a users report and an aggregate report.",
    )


def _classify_keys(rec: dict[str, Any]) -> str | None:
    keys = set(rec)
    if "day_totals" in keys or _is_entity(keys):
        return ENTITY
    if "seats" in keys and ("total_seats" in keys or isinstance(rec.get("seats"), list)):
        return SEATS
    if "assignee" in keys and "created_at" in keys:
        return SEATS
    if "team_id" in keys and ("user_id" in keys or "user_login" in keys):
        return USER_TEAMS
    if "user_id" in keys and ("day" in keys or keys & COUNTER_KEYS):
        return USERS
    if "day" in keys and (keys & USAGE_KEYS or "breakdown" in keys):
        return LEGACY_USAGE
    if "date" in keys and (
        "total_active_users" in keys
        or "total_engaged_users" in keys
        or "copilot_ide_code_completions" in keys
        or "copilot_ide_chat" in keys
    ):
        return LEGACY
    return None


def _detect_json(path: Path, text: str) -> Detected:
    value, layout = _first_json_value(path, text)
    records = value if isinstance(value, list) else [value]
    if not records:
        raise LoadError(f"{path}: an empty JSON array, nothing to load.", hint="Re-download the export.")
    kind = _classify_record(path, records[0])
    if kind is None and isinstance(records[0], dict) and "download_links" in records[0]:
        raise LoadError(
            f"{path}: this is the API's index of files (download_links), not a report: download the files it "
            "links to, or use `cma fetch`.",
            hint="Each link is a signed URL to an NDJSON or JSON report that `cma load` reads.",
        )
    if kind is None and isinstance(records[0], dict) and "repo_id" in records[0]:
        raise LoadError(
            f"{path}: a repos-1-day (per-repository pull request) report, which this version does not load.",
            hint="Load the users, aggregate, user-teams and seats reports; per-repository PR data is not "
            "in the database yet.",
        )
    if kind is None:
        keys = sorted(records[0])[:8] if isinstance(records[0], dict) else type(records[0]).__name__
        raise LoadError(
            f"{path}: not a known Copilot export (first record has keys {keys}).",
            hint="Supported: users-1-day/28-day NDJSON, enterprise/organization 1-day or 28-day reports, "
            "user-teams NDJSON, seats JSON, the seat activity CSV, a user_login,team CSV, legacy metrics JSON, "
            "the older Copilot usage JSON.",
        )
    first = records[0]
    if kind == USERS and isinstance(first.get("day_totals"), list):
        layout = "wrapped"
    sort_key = str(first.get("report_end_day") or first.get("day") or first.get("date") or "")
    return Detected(path, kind, layout, sort_key)


def normalize_header(name: str) -> str:
    return name.strip().strip('"').lower().replace(" ", "_").replace("-", "_")


TEAM_LOGIN_HEADERS = ("user_login", "login", "user", "username", "github_login")
TEAM_NAME_HEADERS = ("team", "team_slug", "slug", "team_name")


def _detect_csv(path: Path, text: str) -> Detected:
    first_line = text.splitlines()[0] if text else ""
    try:
        header = [normalize_header(h) for h in next(csv.reader([first_line]))]
    except (csv.Error, StopIteration) as e:
        raise LoadError(f"{path}:1: not CSV or JSON.", hint="Expected a Copilot export.") from e
    cols = set(header)
    if {"login", "last_activity_at"} <= cols or {"login", "report_time"} <= cols:
        return Detected(path, SEAT_ACTIVITY, "csv", "")
    if cols & set(TEAM_LOGIN_HEADERS) and cols & set(TEAM_NAME_HEADERS):
        return Detected(path, TEAM_MAP, "csv", "")
    shown = ",".join(header[:8])
    raise LoadError(
        f"{path}:1: CSV header '{shown}' is not a known Copilot export.",
        hint="Supported CSVs: the seat activity report (report_time,login,last_authenticated_at,last_activity_at,"
        "last_surface_used) and a team mapping (user_login,team).",
    )
