"""`cma load`: every Copilot export format into one DuckDB file, one atomic transaction per file."""

from __future__ import annotations

import hashlib
import json
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from assistant.errors import LoadError
from assistant.ingest import detect as det_mod
from assistant.ingest import other, records, users
from assistant.ingest.detect import Detected
from assistant.store.db import one, scalar

if TYPE_CHECKING:
    import duckdb


@dataclass
class FileResult:
    path: Path
    kind: str | None
    status: str  # "loaded", "skipped" (same content loaded before), "failed", "unknown"
    rows: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    rejects: int = 0
    rejects_path: Path | None = None


@dataclass
class LoadReport:
    files: list[FileResult]

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status in ("failed", "unknown")]

    @property
    def loaded(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "loaded"]


Progress = Callable[[str, int, int], None]  # (file name, files done, files total)


def quick_fingerprint(path: Path) -> str:
    """File size plus a hash of its first and last MiB: cheap, and equal for every re-load of a file."""
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as f:
        h.update(f.read(1 << 20))
        if size > 2 << 20:
            f.seek(-(1 << 20), 2)
            h.update(f.read())
    return f"{size}:{h.hexdigest()[:32]}"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def load_paths(
    db_path: Path,
    paths: Sequence[str | Path],
    *,
    strict: bool = False,
    skip_bad_lines: bool = False,
    progress: Progress | None = None,
    sources: dict[str, str] | None = None,
) -> LoadReport:
    """Load files, directories and globs into the database; each file loads completely or not at all.

    A bad file raises LoadError when `strict`, else it is reported and the other files still load.
    `sources` names where a (temporary) file came from, for the imports ledger.
    """
    from assistant.store import db

    files = det_mod.expand_paths(paths)
    results: list[FileResult] = []
    detected: list[Detected] = []
    for f in files:
        try:
            detected.append(det_mod.detect(f))
        except LoadError as e:
            if strict:
                raise
            results.append(FileResult(f, None, "unknown", message=_with_hint(e)))
    # older reports first, so a later export of the same day wins within one load
    detected.sort(key=lambda d: (det_mod.KIND_ORDER.index(d.kind), d.sort_key, str(d.path)))
    with db.open_for_load(db_path) as con:
        for i, d in enumerate(detected):
            if progress:
                progress(d.path.name, i, len(detected))
            result = _load_one(con, db_path, d, skip_bad_lines, (sources or {}).get(str(d.path), str(d.path)))
            results.append(result)
            if result.status == "failed" and strict:
                raise LoadError(result.message or f"{d.path}: failed", hint="Nothing from this file was loaded.")
        if progress:
            progress("", len(detected), len(detected))
    return LoadReport(results)


def _with_hint(e: LoadError) -> str:
    return f"{e.message} {e.hint}" if e.hint else e.message


class _AlreadyLoaded(Exception):
    def __init__(self, import_id: int) -> None:
        self.import_id = import_id


def _load_one(
    con: "duckdb.DuckDBPyConnection", db_path: Path, d: Detected, skip_bad_lines: bool, source_name: str
) -> FileResult:
    quick = quick_fingerprint(d.path)
    known = con.execute("SELECT sha256 FROM imports WHERE quick_fingerprint = ?", [quick]).fetchall()
    if known:  # probably a re-load: confirm with the full hash before reading anything
        digest = sha256_of(d.path)
        seen = con.execute("SELECT import_id FROM imports WHERE sha256 = ?", [digest]).fetchone()
        if seen:
            return FileResult(d.path, d.kind, "skipped", message=f"same content already loaded (import {seen[0]})")
    # a new file: hash while DuckDB reads it (hashlib releases the GIL)
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest_future = pool.submit(sha256_of, d.path)
        return _load_hashing(con, db_path, d, skip_bad_lines, digest_future, source_name, quick)


def _load_hashing(
    con: "duckdb.DuckDBPyConnection",
    db_path: Path,
    d: Detected,
    skip_bad_lines: bool,
    digest_future: "Future[str]",
    source_name: str,
    quick: str,
) -> FileResult:
    source, rejects, rejects_path = d.path, [], None
    tmp_dir = None
    if skip_bad_lines and d.layout == "ndjson" and d.kind in (det_mod.USERS, det_mod.USER_TEAMS):
        tmp_dir = tempfile.TemporaryDirectory(prefix="cma-")
        source = Path(tmp_dir.name) / "good.ndjson"
        check = records.check_user_record if d.kind == det_mod.USERS else records.check_team_record
        rejects = records.split_good_lines(d.path, check, source)
        if rejects:
            rejects_path = _write_rejects(db_path, d.path, rejects)
    try:
        con.begin()
        try:
            import_id = scalar(con, "SELECT nextval('import_seq')")
            rows = _apply(con, d, source, import_id)
            digest = digest_future.result()
            seen = con.execute("SELECT import_id FROM imports WHERE sha256 = ?", [digest]).fetchone()
            if seen:
                raise _AlreadyLoaded(seen[0])
            first, last = _day_range(con, d.kind, import_id)
            con.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())",
                [import_id, source_name, digest, quick, d.kind, sum(rows.values()) if rows else 0, first, last],
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
    except _AlreadyLoaded as e:
        return FileResult(d.path, d.kind, "skipped", message=f"same content already loaded (import {e.import_id})")
    except LoadError as e:
        return FileResult(d.path, d.kind, "failed", message=_with_hint(e))
    except Exception as e:  # a DuckDB read error: find the line that caused it
        return FileResult(d.path, d.kind, "failed", message=_diagnose(d, source, e))
    finally:
        if tmp_dir:
            tmp_dir.cleanup()
    return FileResult(d.path, d.kind, "loaded", rows=rows, rejects=len(rejects), rejects_path=rejects_path)


def _apply(con: "duckdb.DuckDBPyConnection", d: Detected, source: Path, import_id: int) -> dict[str, int]:
    if d.kind == det_mod.USERS:
        gz = det_mod.is_gzip(source)
        unknown = users.stage_users(con, source, d.layout, gz)
        missing = scalar(con, "SELECT count(*) FROM stage WHERE day IS NULL OR user_id IS NULL")
        if missing:
            raise other._StageMissingKeys()
        users.dedupe_stage(con)
        return users.apply_users(con, import_id, unknown)
    if d.kind == det_mod.USER_TEAMS:
        return other.load_user_teams(con, source, d.layout, import_id)
    loader = {
        det_mod.ENTITY: other.load_entity,
        det_mod.SEATS: other.load_seats,
        det_mod.SEAT_ACTIVITY: other.load_seat_activity,
        det_mod.TEAM_MAP: other.load_team_map,
        det_mod.LEGACY: other.load_legacy,
    }[d.kind]
    return loader(con, d, import_id)


def _day_range(con: "duckdb.DuckDBPyConnection", kind: str, import_id: int) -> tuple[object, object]:
    table = {det_mod.USERS: "user_daily", det_mod.ENTITY: "entity_daily", det_mod.USER_TEAMS: "user_teams"}.get(kind)
    if table is None:
        return None, None
    first, last = one(con, f"SELECT min(day), max(day) FROM {table} WHERE import_id = ?", [import_id])
    return first, last


def _diagnose(d: Detected, source: Path, error: Exception) -> str:
    """A `file:line: what was wrong` message for a failed bulk read."""
    check: records.Check = records.check_team_record if d.kind == det_mod.USER_TEAMS else records.check_user_record
    if d.layout == "ndjson":
        bad = records.first_bad_line(source, check)
        if bad:
            line, problem = bad
            where = f"{d.path}:{line}" if source == d.path else f"{d.path} (after skipping bad lines)"
            return f"{where}: {problem}. Nothing from this file was loaded; fix the line or pass --skip-bad-lines."
    else:
        try:
            doc = other.read_json_document(source, d.layout)
            for i, rec in enumerate(doc if isinstance(doc, list) else [doc]):
                issue = check(rec)
                if issue:
                    return f"{d.path}: element {i + 1}: {issue}. Nothing from this file was loaded."
        except LoadError as e:
            return _with_hint(e)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"{d.path}: could not be read: {first_line}. Nothing from this file was loaded."


def _write_rejects(db_path: Path, path: Path, rejects: list[tuple[int, str, str]]) -> Path:
    out_dir = db_path.parent / f"{db_path.stem}-rejects"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{path.name}.rejects.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for line, reason, text in rejects:
            f.write(json.dumps({"file": str(path), "line": line, "reason": reason, "text": text[:2000]}) + "\n")
    return out
