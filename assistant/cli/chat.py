"""`cma chat` (and `cma` with no command): the conversation in the terminal."""

from __future__ import annotations

import sys

from assistant.cli.common import (
    Backend,
    BaseUrl,
    Db,
    Model,
    NoShareResults,
    Offline,
    Provider,
    debugging,
    with_provider_key,
)
from assistant.config import load_settings
from assistant.store.worker import QueryWorker


def chat(db: Db = None, offline: Offline = False, backend: Backend = None,
         model: Model = None, provider: Provider = None,
         base_url: BaseUrl = None, no_share_results: NoShareResults = False) -> None:
    """Talk to your Copilot data: questions, follow-ups and /commands (/help lists them)."""

    settings = with_provider_key(load_settings(db=db, offline=offline, backend=backend.lower() if backend else None,
                                               model=model, provider=provider,
                                               base_url=base_url, share_results=False if no_share_results else None,
                                               debug=debugging()))
    worker = QueryWorker.for_settings(settings)
    worker.start()  # the query process opens the database while the engine's and the REPL's modules load
    try:
        from assistant.engine.session import Session
        from assistant.repl import app as repl  # prompt_toolkit and rich: ~0.3 s, on the other core
    except BaseException:
        worker.close()
        raise
    session = Session(settings, worker=worker)
    try:
        session.context()  # a missing or unreadable database stops here, with its hint
        if sys.stdin.isatty():
            repl.run_repl(session)
        else:
            repl.run_lines(session, sys.stdin)
    finally:
        session.close()  # the query process and its private temp directory go with the conversation
