"""Starting the query process: its command, its environment (no secrets), and a spare started early.

`cma ask` starts the query process before it has even read its settings (assistant.cli.launch): the child
imports DuckDB while the asking process imports the translator, and the QueryWorker that the question's
Session makes takes that spare instead of starting its own. A spare nobody took is killed at exit. This module
imports only what starting a process needs, so it can run first.
"""

from __future__ import annotations

import atexit
import os
import re
import subprocess
import sys

_SENSITIVE = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|^AWS_|^AZURE_|^OPENAI_|^GITHUB_|^GH_|^GOOGLE_", re.I)
_spare: "subprocess.Popen[bytes] | None" = None


def child_environment() -> dict[str, str]:
    """This process's environment without keys, tokens, passwords or cloud credentials: queries need none."""
    return {k: v for k, v in os.environ.items() if not _SENSITIVE.search(k)}


def query_process() -> "subprocess.Popen[bytes]":
    """A new query process, waiting on stdin for the frame that names its database and limits."""
    # a new session: the terminal's Ctrl-C reaches the parent, which decides what to stop; -P keeps the
    # working directory off sys.path, so a `duckdb.py` where the user runs cma is never imported
    return subprocess.Popen(
        [sys.executable, "-P", "-m", "assistant.store.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, start_new_session=True, env=child_environment(),
    )  # fmt: skip


def start_spare() -> None:
    """Start a query process now for the first QueryWorker to take (see take_spare)."""
    global _spare
    if _spare is None:
        _spare = query_process()
        atexit.register(_kill_spare)


def take_spare() -> "subprocess.Popen[bytes] | None":
    """The spare query process if one is running (once), else None."""
    global _spare
    process, _spare = _spare, None
    if process is not None and process.poll() is not None:
        process.wait()
        return None
    return process


def _kill_spare() -> None:
    process = take_spare()
    if process is not None:
        process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
