"""Run hostile SQL through Session.run_sql (what /sql and saved queries call) and check nothing bad happened.

A statement passes when it is refused, or runs and is harmless: the database file is byte-identical
afterwards, no file appeared or changed in the sandbox, no connection reached the listener, and no
canary (file content, environment secret, API key, sandbox path) shows up in the rows, columns or
error text. `run_corpus` returns the tally per family and every violation.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.engine.session import Session
from assistant.errors import AssistantError

SECRET_ENV = "CMA_HOSTILE_CANARY"


@dataclass
class Tally:
    """Outcomes per family: refused by the guard, refused by the engine, ran harmlessly; and violations."""

    refused: Counter[str] = field(default_factory=Counter)
    engine_error: Counter[str] = field(default_factory=Counter)
    ran: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    ran_sql: list[str] = field(default_factory=list)

    def families(self) -> list[str]:
        return sorted(set(self.refused) | set(self.engine_error) | set(self.ran))


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def _files(directory: Path) -> dict[str, str]:
    """Every file under `directory` with its sha256."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@contextmanager
def sandbox(db: Path, directory: Path, *, timeout_s: float = 2.0, memory_mb: int = 512) -> Iterator["Sandbox"]:
    """A session on `db` with canary files in `directory`, a secret in the environment and a listener."""
    canary = f"canary-{uuid.uuid4().hex}"
    for name in ("canary.txt", "canary.csv", "canary.json", "canary.db", "canary.parquet"):
        (directory / name).write_text(f"secret\n{canary}\n")
    key = f"sk-hostile-{uuid.uuid4().hex}"
    old = {k: os.environ.get(k) for k in (SECRET_ENV, "OPENAI_API_KEY")}
    os.environ[SECRET_ENV], os.environ["OPENAI_API_KEY"] = canary, key
    listener = Listener()
    session = Session(Settings(db=db, offline=True, timeout_s=timeout_s, memory_mb=memory_mb, temp_mb=64,
                               api_key=key))
    try:
        yield Sandbox(db, directory, session, listener, (canary, key, str(directory)))
    finally:
        session.close()
        listener.close()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class Sandbox:
    db: Path
    directory: Path
    session: Session
    listener: Listener
    canaries: tuple[str, ...]

    def fill(self, sql: str) -> str:
        """The statement with the sandbox's placeholders filled in."""
        return sql.replace("{dir}", str(self.directory)).replace("{port}", str(self.listener.port)) \
            .replace("{secret_env}", SECRET_ENV)

    def run(self, family: str, sql: str, tally: Tally) -> None:
        """Run one statement and record its outcome (and any violation) in `tally`."""
        sql = self.fill(sql)
        try:
            answer = self.session.run_sql(sql)
        except AssistantError as e:
            from assistant.errors import GuardError

            (tally.refused if isinstance(e, GuardError) else tally.engine_error)[family] += 1
            shown = f"{e.message} {e.hint or ''}"
        else:
            tally.ran[family] += 1
            tally.ran_sql.append(sql)
            shown = f"{answer.columns} {answer.rows}"
        self._check_shown(family, sql, shown, tally)

    def _check_shown(self, family: str, sql: str, shown: str, tally: Tally) -> None:
        """Record a violation when a canary appears in what the user (or a model) would see."""
        for canary in self.canaries:
            # the sandbox path may be echoed back from the statement itself ("unknown table '/tmp/...'")
            if canary in shown and canary not in sql:
                tally.violations.append(f"[{family}] leaked {canary[:12]}...: {sql[:200]!r} -> {shown[:200]!r}")


def run_corpus(db: Path, directory: Path, statements: Iterable[dict[str, str]], **limits: float) -> Tally:
    """Run the statements in a fresh sandbox; check the database, the files and the listener afterwards."""
    tally = Tally()
    before_db = hashlib.sha256(db.read_bytes()).hexdigest()
    with sandbox(db, directory, **limits) as box:  # type: ignore[arg-type]
        before_files = _files(directory)
        for item in statements:
            box.run(item["family"], item["sql"], tally)
        after_files = _files(directory)
        connections = box.listener.connections
    if hashlib.sha256(db.read_bytes()).hexdigest() != before_db:
        tally.violations.append("the database file changed")
    if after_files != before_files:
        changed = sorted(set(after_files.items()) ^ set(before_files.items()))
        tally.violations.append(f"files appeared or changed in the sandbox: {changed[:5]}")
    if connections:
        tally.violations.append(f"{connections} network connection(s) reached the listener")
    return tally
