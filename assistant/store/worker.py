"""Queries in a child process: a hard deadline and a memory cap that hold even when DuckDB ignores interrupt().

The child holds its own read-only, locked-down connection with a private temp directory (mode 0700,
capped by `max_temp_directory_size`) and runs `query.run_query` with DuckDB's own memory limit and
the soft interrupt timer. The parent waits for the reply, watches the child's resident memory, and
kills it when the deadline plus a grace period passes or the memory cap is crossed; the next query
starts a fresh child. Frames on the pipes are length-prefixed pickles between this module and itself.
"""

from __future__ import annotations

import os
import pickle
import queue
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from assistant.errors import AssistantError, GuardError, QueryError, QueryStopped
from assistant.store import spawn
from assistant.store.result import Result

if TYPE_CHECKING:
    import duckdb

    from assistant.config import Settings
    from assistant.store.derived import Facts

__all__ = ["Limits", "QueryWorker"]

_HEADER = struct.Struct("!Q")
_POLL_S = 0.02
_PENDING = object()
_ERRORS: dict[str, type[QueryError]] = {"GuardError": GuardError, "QueryStopped": QueryStopped}
_TIME_HINT = "Narrow the question (a shorter date range, fewer groups) or raise the time limit."
_MEMORY_HINT = "The query needs too much memory; aggregate more or narrow the date range."


@dataclass(frozen=True)
class Limits:
    """What one query may use: DuckDB's memory limit, the child's resident-memory cap, temp space, threads."""

    memory_limit_mb: int = 1536
    rss_cap_mb: int = 2560
    temp_limit_mb: int = 1024
    threads: int = 2
    grace_s: float = 2.0


class QueryWorker:
    """A child process that guards and runs SQL on its own read-only connection, killed when it overruns."""

    def __init__(self, db_path: Path, limits: Limits | None = None) -> None:
        self.db_path = Path(db_path)
        self.limits = limits or Limits()
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[Any] = queue.Queue()
        self._temp_dir: str | None = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    @classmethod
    def for_settings(cls, settings: "Settings") -> "QueryWorker":
        """The query process of a session (not started): DuckDB gets 3/4 of its memory, the child's cap 512 MB more."""
        memory = settings.memory_mb
        return cls(settings.db, Limits(memory_limit_mb=memory * 3 // 4, rss_cap_mb=memory + 512,
                                       temp_limit_mb=settings.temp_mb))

    def run(self, sql: str, allowed_tables: Collection[str], *, max_rows: int, timeout_s: float) -> Result:
        """Return the result of `sql` checked by the guard in the child (`Result.sql` is the SQL as it ran).

        Raises GuardError (refused), QueryError or QueryStopped (time or memory).
        """
        request = {"op": "query", "sql": sql, "allowed": sorted(allowed_tables), "max_rows": max_rows,
                   "timeout_s": timeout_s}
        return self._ask(request, timeout_s)

    def facts(self) -> "Facts":
        """The database's per-load facts, read by the child (stored by the last load, or computed live).

        No deadline: on a database from before stored facts they are computed over all the data, as
        every question once did; the memory cap and cancel() still hold.
        """
        return self._ask({"op": "facts"}, None)

    def names(self, kind: str, limit: int, timeout_s: float) -> list[str]:
        """Sorted team names or logins for completion (`derived.names`), at most `limit`."""
        return self._ask({"op": "names", "kind": kind, "limit": limit}, timeout_s)

    def _ask(self, request: dict[str, Any], timeout_s: float | None) -> Any:
        """Send one request to the child (starting it if needed) and return its reply's payload."""
        with self._lock:
            self._cancelled.clear()
            process = self._started()
            try:
                _write_frame(process.stdin, request)  # type: ignore[arg-type]
                reply = self._reply(process, timeout_s)
            except BaseException:
                self._stop()
                raise
            if reply is None:  # its output ended: reap it now, so the next request starts a fresh child
                self._stop()
        return _unpacked(reply)

    def start(self) -> None:
        """Start the child now (it opens its connection while the caller translates); a no-op if it runs."""
        with self._lock:
            self._started()

    def cancel(self) -> None:
        """Stop the running query (from another thread): its child is killed and the next query starts a new one."""
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None and self._lock.locked():  # only a query in flight
            process.kill()

    def close(self) -> None:
        """Stop the child and remove its temp directory."""
        with self._lock:
            self._stop()

    def _started(self) -> subprocess.Popen[bytes]:
        """Return the running child, starting one (with a fresh private temp directory) if there is none."""
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        self._temp_dir = tempfile.mkdtemp(prefix="cma-query-")  # mkdtemp makes it 0700
        self._process = spawn.take_spare() or spawn.query_process()
        _write_frame(self._process.stdin, {"db": str(self.db_path), "temp_dir": self._temp_dir,  # type: ignore[arg-type]
                                           "limits": self.limits})
        # replies are read on a thread (select() does not wait on pipes everywhere); None marks the end
        self._replies = queue.Queue()
        threading.Thread(target=_read_replies, args=(self._process.stdout, self._replies), daemon=True).start()
        return self._process

    def _reply(self, process: subprocess.Popen[bytes], timeout_s: float | None) -> Any:
        """Wait for the child's reply; kill it past the deadline (if any) or the memory cap and raise why."""
        deadline = float("inf") if timeout_s is None else time.monotonic() + timeout_s + self.limits.grace_s
        while True:
            try:
                reply = self._replies.get(timeout=_POLL_S)
            except queue.Empty:
                reply = _PENDING
            if self._cancelled.is_set():
                raise QueryStopped("Query interrupted", hint="Run it again to retry.")
            if reply is not _PENDING:
                return reply
            if time.monotonic() > deadline:
                raise QueryStopped(f"Query stopped after {timeout_s:g} s", hint=_TIME_HINT)
            rss = _resident_mb(process.pid)
            if rss is not None and rss > self.limits.rss_cap_mb:
                raise QueryStopped(f"Query stopped: it used more than {self.limits.rss_cap_mb:,} MB of memory",
                                    hint=_MEMORY_HINT)

    def _stop(self) -> None:
        """Kill the child if it runs, reap it, and remove its temp directory."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None


def _read_replies(stream: IO[bytes], replies: "queue.Queue[Any]") -> None:
    """Put every frame the child writes on `replies`, then None when its output ends."""
    try:
        while (frame := _read_frame(stream)) is not None:
            replies.put(frame)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        pass
    replies.put(None)


def _unpacked(reply: Any) -> Any:
    """Return the payload of a child's reply (a Result, the facts, names), or raise the error it carries."""
    if reply is None:
        raise QueryError("The query process stopped unexpectedly", hint="Run it again to retry.")
    status, payload = reply
    if status == "ok":
        return payload
    kind, message, hint = payload
    raise _ERRORS.get(kind, QueryError)(message, hint=hint)


def _resident_mb(pid: int) -> float | None:
    """Return a process's resident memory in MB (Linux /proc), or None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return None
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _write_frame(stream: IO[bytes], value: Any) -> None:
    """Write one length-prefixed pickle and flush."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> Any:
    """Return the next length-prefixed pickle, or None at end of stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The child's loop: open the connection named in the first frame, then answer one request per frame."""
    from assistant.store import derived, guard  # noqa: F401  (imported while the parent still reads its settings)
    from assistant.store.query import open_readonly

    setup = _read_frame(stdin)
    if setup is None:
        return
    limits: Limits = setup["limits"]
    con, failure = None, None
    try:
        con = open_readonly(Path(setup["db"]), threads=limits.threads, memory_limit=f"{limits.memory_limit_mb}MB",
                            temp_directory=setup["temp_dir"], max_temp_size=f"{limits.temp_limit_mb}MB")
    except AssistantError as e:
        failure = e
    if con is not None:
        _warm_guard(con)
    while (request := _read_frame(stdin)) is not None:
        try:
            if con is None:
                raise failure or QueryError("No connection")
            reply: Any = ("ok", _answer(con, request, setup["db"]))
        except AssistantError as e:
            reply = ("error", (type(e).__name__, e.message, e.hint))
        _write_frame(stdout, reply)


def _warm_guard(con: "duckdb.DuckDBPyConnection") -> None:
    """Load the guard and parse once before the first question arrives (while the caller translates)."""
    from assistant.store.guard import check_sql

    check_sql("SELECT 1", (), con)


def _answer(con: "duckdb.DuckDBPyConnection", request: dict[str, Any], db: str) -> Any:
    """What one request asks for: a guarded query's Result, the per-load facts, or completion names."""
    from dataclasses import replace

    from assistant.store import derived
    from assistant.store.engine import duckdb
    from assistant.store.guard import check_sql
    from assistant.store.query import run_query

    if request["op"] == "query":
        # the guard reads DuckDB's own parse tree here, where DuckDB already is; the plan check follows
        sql = check_sql(request["sql"], request["allowed"], con)
        result = run_query(con, sql, max_rows=request["max_rows"], timeout_s=request["timeout_s"],
                           allowed_tables=request["allowed"])
        return replace(result, sql=sql)
    try:
        if request["op"] == "facts":
            return derived.facts(con)
        return derived.names(con, request["kind"], request["limit"])
    except duckdb.Error as e:  # a DuckDB file that cma did not write (or one from a newer schema)
        first_line = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise QueryError(f"{db} is not a database cma can read: {first_line}",
                         hint="Load exports into it with `cma load PATH --db FILE`, or pass the --db that "
                              "`cma load` wrote.") from e


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # frames go to a private copy of stdout; anything else printed lands on stderr, not in a frame
    frames = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(sys.stdin.buffer, frames)
