"""`cma chat` (and `cma` with no command): the conversation in the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from assistant.cli.common import (
    Backend,
    BaseUrl,
    Db,
    Model,
    NoShareResults,
    Offline,
    Provider,
)
from assistant.cli.shared import debugging, on_started_worker, with_provider_key
from assistant.config import load_settings

if TYPE_CHECKING:
    from assistant.engine.session import Session


def chat(db: Db = None, offline: Offline = False, backend: Backend = None,
         model: Model = None, provider: Provider = None,
         base_url: BaseUrl = None, no_share_results: NoShareResults = False) -> None:
    """Talk to your Copilot data: questions, follow-ups and /commands (/help lists them)."""

    settings = with_provider_key(load_settings(db=db, offline=offline, backend=backend.lower() if backend else None,
                                               model=model, provider=provider,
                                               base_url=base_url, share_results=False if no_share_results else None,
                                               debug=debugging()))
    session = on_started_worker(settings, lambda worker: _session(settings, worker))
    from assistant.repl import app as repl  # already imported by _session
    try:
        session.context()  # a missing or unreadable database stops here, with its hint
        if sys.stdin.isatty():
            repl.run_repl(session)
        else:
            repl.run_lines(session, sys.stdin)
    finally:
        session.close()  # the query process and its private temp directory go with the conversation


def _session(settings: Any, worker: Any) -> "Session":
    """The engine's Session on a started query process, with the REPL's modules imported meanwhile."""
    from assistant.engine.session import Session
    from assistant.repl import app  # noqa: F401  prompt_toolkit and rich: ~0.3 s, while the child opens the database

    return Session(settings, worker=worker)
