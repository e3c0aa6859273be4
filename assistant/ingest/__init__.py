"""`cma load`: every Copilot export format into one DuckDB file, one atomic transaction per file."""

from __future__ import annotations

import hashlib
import json
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from assistant.errors import LoadError, LoadInterrupted
from assistant.ingest import activity, entity, legacy, records, seats, teams, usage, users
from assistant.ingest import detect as det_mod
from assistant.ingest.detect import Detected
from assistant.ingest.documents import read_json_document, user_records
from assistant.ingest.job import Job, Owner, negatives_warning
from assistant.store.db import one, scalar
from assistant.store.engine import duckdb

__all__ = ["FileResult", "LoadReport", "Owner", "load_paths"]

@dataclass
class FileResult:
    path: Path
    kind: str | None
    status: str  # "loaded", "skipped" (same content loaded before), "failed", "unknown"
    rows: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    rejects: int = 0
    rejects_path: Path | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    files: list[FileResult]
    notes: list[str] = field(default_factory=list)  # e.g. a folder with no exports in it

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
    owner: Owner | None = None,
) -> LoadReport:
    """Load files, directories and globs into the database; each file loads completely or not at all.

    A bad file raises LoadError when `strict`, else it is reported and the other files still load.
    `sources` names where a (temporary) file came from, for the imports ledger; `owner` is the organization
    or enterprise the files belong to where they do not say.
    """
    from assistant.store import db, derived

    files = det_mod.expand_paths(paths)
    empty = [str(p) for p in paths if Path(p).expanduser().is_dir() and not det_mod.expand_paths([p])]
    if not files:
        raise LoadError(
            f"No Copilot exports found in {', '.join(str(p) for p in paths)}.",
            hint="cma load reads .ndjson, .jsonl, .json and .csv files (also gzipped); other files are ignored.",
        )
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
        stale = not derived.is_fresh(con)
        for i, d in enumerate(detected):
            if progress:
                progress(d.path.name, i, len(detected))
            source_name = (sources or {}).get(str(d.path), str(d.path))
            try:
                result = _load_one(con, db_path, d, skip_bad_lines, source_name, owner)
            except KeyboardInterrupt:
                raise _interrupted(results, [x.path for x in detected[i:]]) from None
            results.append(result)
            if result.status == "failed" and strict:
                raise LoadError(result.message or f"{d.path}: failed", hint="Nothing from this file was loaded.")
        loaded = [r for r in results if r.status == "loaded"]
        if stale or loaded:  # per-load facts, so a question does not recompute them
            derived.refresh(con, None if stale else {t for r in loaded for t in r.rows})
        if progress:
            progress("", len(detected), len(detected))
    return LoadReport(results, [f"No Copilot exports found in {p}." for p in empty])


def _interrupted(done: list[FileResult], not_loaded: list[Path]) -> LoadInterrupted:
    """What Ctrl-C left: the files loaded before it, and the one being read (rolled back) and those after."""
    loaded = [str(f.path) for f in done if f.status == "loaded"]

    def names(paths: list[str]) -> str:
        return ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "") if paths else "none"

    return LoadInterrupted(
        f"Interrupted. Loaded {len(loaded)} file(s): {names(loaded)}. Not loaded {len(not_loaded)}: "
        f"{names([str(p) for p in not_loaded])} ({not_loaded[0].name} was rolled back, nothing of it kept).",
        hint="Run the same cma load again to load the rest: files already loaded are skipped.",
    )


def _with_hint(e: LoadError) -> str:
    return f"{e.message} {e.hint}" if e.hint else e.message


class _AlreadyLoaded(Exception):
    def __init__(self, import_id: int) -> None:
        self.import_id = import_id


def _load_one(
    con: "duckdb.DuckDBPyConnection",
    db_path: Path,
    d: Detected,
    skip_bad_lines: bool,
    source_name: str,
    owner: Owner | None,
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
        job = Job(d.path, d.layout, 0, owner)
        return _load_hashing(con, db_path, d, job, skip_bad_lines, digest_future, source_name, quick)


def _load_hashing(
    con: "duckdb.DuckDBPyConnection",
    db_path: Path,
    d: Detected,
    job: Job,
    skip_bad_lines: bool,
    digest_future: "Future[str]",
    source_name: str,
    quick: str,
) -> FileResult:
    source, rejects, rejects_path = d.path, [], None
    tmp_dir = None
    bulk = d.kind in (det_mod.USERS, det_mod.USER_TEAMS)
    try:
        if bulk and d.layout in ("wrapped", "stream"):  # unwrap into NDJSON for DuckDB's bulk reader
            tmp_dir = tempfile.TemporaryDirectory(prefix="cma-")
            source = _as_ndjson(d.path, d.layout, Path(tmp_dir.name) / "records.ndjson")
        if skip_bad_lines and bulk and (d.layout == "ndjson" or source != d.path):
            tmp_dir = tmp_dir or tempfile.TemporaryDirectory(prefix="cma-")
            good = Path(tmp_dir.name) / "good.ndjson"
            check = records.check_user_record if d.kind == det_mod.USERS else records.check_team_record
            rejects = records.split_good_lines(source, check, good)
            source = good
            if rejects:
                rejects_path = _write_rejects(db_path, d.path, rejects)
    except LoadError as e:
        if tmp_dir:
            tmp_dir.cleanup()
        return FileResult(d.path, d.kind, "failed", message=_with_hint(e))
    try:
        con.begin()
        try:
            import_id = scalar(con, "SELECT nextval('import_seq')")
            job.import_id = import_id
            rows = _apply(con, d, job, source)
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
    except (duckdb.InterruptException, RuntimeError) as e:
        # Ctrl-C inside DuckDB comes back as RuntimeError("Query interrupted"): the whole run stops, not this file
        if isinstance(e, duckdb.InterruptException) or "interrupted" in str(e).lower():
            raise KeyboardInterrupt from None
        return FileResult(d.path, d.kind, "failed", message=_diagnose(d, source, e))
    except Exception as e:  # a DuckDB read error: find the line that caused it
        return FileResult(d.path, d.kind, "failed", message=_diagnose(d, source, e))
    finally:
        if tmp_dir:
            tmp_dir.cleanup()
    return FileResult(
        d.path, d.kind, "loaded", rows=rows, rejects=len(rejects), rejects_path=rejects_path, warnings=job.finish()
    )


def _as_ndjson(path: Path, layout: str, out: Path) -> Path:
    """Write the records of a wrapped or concatenated JSON file one per line."""
    with open(out, "w", encoding="utf-8") as f:
        for rec in user_records(path, layout):
            f.write(json.dumps(rec) + "\n")
    return out


def _apply(con: "duckdb.DuckDBPyConnection", d: Detected, job: Job, source: Path) -> dict[str, int]:
    if d.kind == det_mod.USERS:
        layout = "ndjson" if source != d.path else d.layout
        staged = users.stage_users(con, source, layout, det_mod.is_gzip(source))
        missing = scalar(con, "SELECT count(*) FROM stage WHERE day IS NULL OR user_id IS NULL")
        if missing:
            raise teams.StageMissingKeys()
        users.dedupe_stage(con)
        written = users.apply_users(con, job.import_id, staged)
        _warn_negative_user_counters(con, d, job, source)
        return written
    if d.kind == det_mod.USER_TEAMS:
        return teams.load_user_teams(con, source, "ndjson" if source != d.path else d.layout, job.import_id)
    loader = {
        det_mod.ENTITY: entity.load_entity,
        det_mod.SEATS: seats.load_seats,
        det_mod.SEAT_ACTIVITY: activity.load_seat_activity,
        det_mod.TEAM_MAP: teams.load_team_map,
        det_mod.LEGACY: legacy.load_legacy,
        det_mod.LEGACY_USAGE: usage.load_usage,
    }[d.kind]
    return loader(con, job)


def _warn_negative_user_counters(con: "duckdb.DuckDBPyConnection", d: Detected, job: Job, source: Path) -> None:
    """Count negative counters in what was written; only when there are some, read the file again to name lines."""
    total = users.negative_counters(con, job.import_id)
    if not total:
        return
    found = records.negative_lines(source)
    if source != d.path:  # the lines of a temporary copy mean nothing to the user: say records
        found = [f.replace("line ", "record ", 1) for f in found]
    job.warn(negatives_warning(d.path, found, max(total, len(found))))


DAY_TABLES = {
    det_mod.USERS: ("user_daily", "day"),
    det_mod.ENTITY: ("entity_daily", "day"),
    det_mod.USER_TEAMS: ("user_teams", "day"),
    det_mod.LEGACY: ("legacy_daily", "date"),
    det_mod.LEGACY_USAGE: ("legacy_usage_daily", "day"),
}


def _day_range(con: "duckdb.DuckDBPyConnection", kind: str, import_id: int) -> tuple[object, object]:
    if kind not in DAY_TABLES:
        return None, None
    table, day = DAY_TABLES[kind]
    first, last = one(con, f"SELECT min({day}), max({day}) FROM {table} WHERE import_id = ?", [import_id])
    return first, last


def _diagnose(d: Detected, source: Path, error: Exception) -> str:
    """A `file:line: what was wrong` message for a failed read, checked by the rules of the file's own kind."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if d.kind not in (det_mod.USERS, det_mod.USER_TEAMS):
        return f"{d.path}: could not load this {d.kind} file: {first_line}. Nothing from this file was loaded."
    check: records.Check = records.check_team_record if d.kind == det_mod.USER_TEAMS else records.check_user_record
    if source != d.path:
        bad = records.first_bad_line(source, check)
        if bad:
            return f"{d.path}: record {bad[0]}: {bad[1]}. Nothing from this file was loaded."
    elif d.layout == "ndjson":
        bad = records.first_bad_line(source, check)
        if bad:
            line, problem = bad
            return (
                f"{d.path}:{line}: {problem}. Nothing from this file was loaded; fix the line or pass --skip-bad-lines."
            )
    else:
        try:
            doc = read_json_document(source, d.layout)
            for i, rec in enumerate(doc if isinstance(doc, list) else [doc]):
                issue = check(rec)
                if issue:
                    return f"{d.path}: element {i + 1}: {issue}. Nothing from this file was loaded."
        except LoadError as e:
            return _with_hint(e)
    return f"{d.path}: could not be read: {first_line}. Nothing from this file was loaded."


def _write_rejects(db_path: Path, path: Path, rejects: list[tuple[int, str, str]]) -> Path:
    out_dir = db_path.parent / f"{db_path.stem}-rejects"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{path.name}.rejects.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for line, reason, text in rejects:
            f.write(json.dumps({"file": str(path), "line": line, "reason": reason, "text": text[:2000]}) + "\n")
    return out
