"""Shared test setup: no developer config, key or database reaches a test."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from assistant.engine.session import Session

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"

# A suite started in the background (`nohup ... &`) inherits SIGINT ignored, and so would every `cma` it starts:
# the Ctrl-C tests need the normal disposition (a Python handler is reset to the default in a child at exec).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("cma-home")
    monkeypatch.setenv("CMA_HOME", str(home))
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "CMA_MODEL",
        "CMA_DB",
        "CMA_QUERIES",
        "CMA_PROVIDER",
        "CMA_CONFIG",
        "CMA_BACKEND",
        "CMA_PROMPT_MODE",
        "CMA_CONTEXT_WINDOW",
        "CMA_LLM_TIMEOUT",
        "CMA_LLM_RETRIES",
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "AZURE_OPENAI_API_KEY",
        "OPENAI_API_VERSION",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("COLUMNS", "160")
    return home


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample loaded once into a database shared (read-only) by the tests of a session."""
    from assistant.ingest import load_paths

    path = tmp_path_factory.mktemp("sample-db") / "sample.duckdb"
    report = load_paths(path, [SAMPLE], strict=True)
    assert not report.failed, [f.message for f in report.failed]
    return path


@pytest.fixture(scope="module")
def session(sample_db: Path) -> Iterator["Session"]:
    """The offline translator over the sample, shared by a module's tests (modules may define their own)."""
    from assistant.config import load_settings
    from assistant.engine.session import Session
    from assistant.offline.translator import OfflineTranslator

    s = Session(load_settings(db=sample_db, offline=True), translator=OfflineTranslator())
    yield s
    s.close()


@pytest.fixture()
def fresh(session: "Session") -> "Session":
    """The module's session with an empty conversation."""
    session.history.clear()
    return session
