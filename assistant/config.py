"""Settings, resolved once: flag > environment > config file > default."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.sanitize import redact_userinfo

DEFAULT_DB = "copilot-metrics.duckdb"
EXPORT_MAX_ROWS = 1_000_000  # rows written to a file or a pipe: all of them, within a hard bound
DEFAULT_MODEL = "gpt-4.1-mini"
BACKENDS = ("auto", "offline", "llm")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0")
# A CPU-served model needs minutes for a long prompt, and retrying a call that timed out doubles the wait.
LOCAL_TIMEOUT_S = 600.0
LOCAL_CONTEXT_WINDOW = 4096  # Ollama's and llama.cpp's usual default context, unless configured


def home_dir() -> Path:
    """The directory for config, history and saved queries (`CMA_HOME`, else the platform's)."""
    if os.environ.get("CMA_HOME"):
        return Path(os.environ["CMA_HOME"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("copilot-metrics-assistant", appauthor=False))


def state_dir() -> Path:
    """Where the REPL history and the last conversation live."""
    if os.environ.get("CMA_HOME"):
        return home_dir() / "state"
    import platformdirs

    return Path(platformdirs.user_state_dir("copilot-metrics-assistant", appauthor=False))


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if missing and make it readable by its owner only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:
        pass  # not ours to change (a shared mount); the files inside are still created 0600
    return path


def config_path() -> Path:
    return Path(os.environ.get("CMA_CONFIG") or home_dir() / "config.toml")


@dataclass(frozen=True)
class Settings:
    db: Path = Path(DEFAULT_DB)
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed
    base_url: str | None = None
    provider: str | None = None
    api_version: str | None = None
    offline: bool = False
    backend: str = "auto"  # auto (offline reader first, then the model), offline or llm
    share_results: bool = True
    max_rows: int = 200
    timeout_s: float = 30.0
    llm_timeout_s: float = 60.0
    llm_retries: int = 2
    sql_max_tokens: int = 512  # an SQL reply is short; a model that loops stops here
    explain_max_tokens: int = 400
    context_window: int | None = None  # the model's context in tokens, when known (local presets)
    prompt_mode: str = "auto"  # auto (compact for small context windows), full or compact
    queries_dir: Path | None = None
    debug: bool = False
    memory_mb: int = 2048  # per query: DuckDB gets 3/4 of it; the query process is killed past it + 512 MB
    temp_mb: int = 1024  # per query: spill space in a private temp directory

    @property
    def has_model(self) -> bool:
        return not self.offline and self.backend != "offline" and bool(self.api_key or self.base_url)

    @property
    def is_local(self) -> bool:
        """True for a model served on this machine (the ollama and local presets, or a loopback URL)."""
        return (self.provider or "").lower() in LOCAL_PROVIDERS or is_loopback(self.base_url)

    @property
    def model_name(self) -> str:
        return self.model or DEFAULT_MODEL

    def shown(self) -> dict[str, Any]:
        """The settings as they may be printed: the key only as set or not, URLs without user:password."""
        from dataclasses import asdict

        out = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        out["api_key"] = "(set)" if self.api_key else "(not set)"
        out["base_url"] = redact_userinfo(self.base_url) if self.base_url else None
        out["model"] = self.model_name
        return out

    def with_overrides(self, **kw: Any) -> "Settings":
        return replace(self, **{k: v for k, v in kw.items() if v is not None})


def _read_config_file() -> dict[str, Any]:
    path = config_path()
    if not path.exists():
        return {}
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError) as e:
        raise ConfigError(f"{path}: cannot read the config file: {e}", hint="Fix or delete the file.") from e
    _warn_if_key_is_readable(path, values)
    return values


def _warn_if_key_is_readable(path: Path, values: dict[str, Any]) -> None:
    """Warn on stderr when the config file holds an API key and other users may read it."""
    import sys

    if not values.get("api_key") or os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & 0o077:
        print(f"Warning: {path} holds an API key and other users can read it (mode {mode & 0o777:o}); "
              f"run: chmod 600 {path}", file=sys.stderr)


def load_settings(**flags: Any) -> Settings:
    """Build Settings from flags (None = not given), environment, the config file and defaults."""
    file = _read_config_file()
    env = os.environ

    def source(flag_key: str, env_keys: tuple[str, ...], file_key: str, default: Any = None) -> tuple[Any, str]:
        """The value and where it came from (for error messages)."""
        if flags.get(flag_key) is not None:
            return flags[flag_key], "--" + flag_key.removesuffix("_s").replace("_", "-")
        for k in env_keys:
            if env.get(k):
                return env[k], f"${k}"
        if file.get(file_key) is not None:
            return file[file_key], f"'{file_key}' in {config_path()}"
        return default, "the default"

    def pick(flag_key: str, env_keys: tuple[str, ...], file_key: str, default: Any = None) -> Any:
        return source(flag_key, env_keys, file_key, default)[0]

    def number(kind: type, minimum: float, *where: Any) -> Any:
        value, origin = source(*where)
        return _number(value, kind, origin, minimum)

    provider = pick("provider", ("CMA_PROVIDER",), "provider")
    preset = provider_preset(provider) if provider else {}
    api_key = pick("api_key", ("OPENAI_API_KEY",), "api_key")
    if api_key is None and preset.get("key_env"):
        for k in preset["key_env"]:
            if env.get(k):
                api_key = env[k]
                break
    base_url = pick("base_url", ("OPENAI_BASE_URL",), "base_url", preset.get("base_url"))
    if base_url and not api_key and preset.get("dummy_key"):
        api_key = preset["dummy_key"]
    queries = pick("queries_dir", ("CMA_QUERIES",), "queries_dir")
    local = (provider or "").lower() in LOCAL_PROVIDERS or is_loopback(base_url)
    backend = str(pick("backend", ("CMA_BACKEND",), "backend", "auto")).lower()
    if flags.get("offline"):
        backend = "offline"
    check_backend(backend)
    # the presets' servers default to a small context; for another endpoint it is unknown unless configured
    window = pick("context_window", ("CMA_CONTEXT_WINDOW",), "context_window",
                  LOCAL_CONTEXT_WINDOW if (provider or "").lower() in LOCAL_PROVIDERS else None)
    share = flags.get("share_results")
    if share is None:
        share = str(env.get("CMA_SHARE_RESULTS", file.get("share_results", True))).lower() not in ("0", "false", "no")
    return Settings(
        db=Path(pick("db", ("CMA_DB",), "db", DEFAULT_DB)).expanduser(),
        model=pick("model", ("CMA_MODEL",), "model", preset.get("model")),
        api_key=api_key,
        base_url=base_url,
        provider=provider,
        api_version=pick("api_version", ("OPENAI_API_VERSION",), "api_version", preset.get("api_version")),
        offline=bool(flags.get("offline") or False),
        backend=backend,
        share_results=bool(share),
        max_rows=number(int, 1, "max_rows", ("CMA_MAX_ROWS",), "max_rows", 200),
        timeout_s=number(float, 0.001, "timeout_s", ("CMA_TIMEOUT",), "timeout", 30.0),
        llm_timeout_s=number(float, 0.001, "llm_timeout_s", ("CMA_LLM_TIMEOUT",), "llm_timeout",
                             LOCAL_TIMEOUT_S if local else 60.0),
        llm_retries=number(int, 0, "llm_retries", ("CMA_LLM_RETRIES",), "llm_retries", 0 if local else 2),
        sql_max_tokens=number(int, 16, "sql_max_tokens", ("CMA_SQL_MAX_TOKENS",), "sql_max_tokens", 512),
        explain_max_tokens=number(int, 16, "explain_max_tokens", ("CMA_EXPLAIN_MAX_TOKENS",), "explain_max_tokens",
                                  400),
        context_window=number(int, 256, "context_window", ("CMA_CONTEXT_WINDOW",), "context_window", window)
        if window else None,
        prompt_mode=check_prompt_mode(str(pick("prompt_mode", ("CMA_PROMPT_MODE",), "prompt_mode", "auto"))),
        queries_dir=Path(queries).expanduser() if queries else None,
        debug=bool(flags.get("debug") or False),
        memory_mb=int(pick("memory_mb", ("CMA_MEMORY_MB",), "memory_mb", 2048)),
        temp_mb=int(pick("temp_mb", ("CMA_TEMP_MB",), "temp_mb", 1024)),
    )




def _number(value: Any, kind: type, origin: str, minimum: float) -> Any:
    """`value` as an int or float of at least `minimum`; a clear ConfigError naming `origin` otherwise."""
    what = "a whole number" if kind is int else "a number"
    try:
        n = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin} must be {what}, not {value!r}.", hint="Fix or unset it.") from None
    if isinstance(value, bool) or n < minimum or n != n:
        low = int(minimum) if kind is int else minimum
        bound = f"at least {low}" if kind is int or minimum == 0 else "greater than 0"
        raise ConfigError(f"{origin} must be {bound}, not {value!r}.", hint="Fix or unset it.")
    return n


PROVIDERS: dict[str, dict[str, Any]] = {
    "openai": {"base_url": None, "key_env": ("OPENAI_API_KEY",)},
    "azure": {"key_env": ("AZURE_OPENAI_API_KEY", "OPENAI_API_KEY"), "api_version": "2024-10-21"},
    "github": {
        "base_url": "https://models.github.ai/inference",
        "key_env": ("GITHUB_TOKEN", "GH_TOKEN"),
        "model": "openai/gpt-4.1-mini",
    },
    "ollama": {"base_url": "http://localhost:11434/v1", "dummy_key": "ollama", "model": "qwen2.5-coder:7b"},
    # llama.cpp's llama-server (and llama-cpp-python's server) on their default port
    "local": {"base_url": "http://127.0.0.1:8080/v1", "dummy_key": "local", "model": "local"},
}
LOCAL_PROVIDERS = frozenset({"ollama", "local"})


def is_loopback(url: str | None) -> bool:
    """True when the URL's host is this machine."""
    if not url:
        return False
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS


def check_backend(name: str) -> str:
    """The backend name, or a ConfigError that lists the choices."""
    if name not in BACKENDS:
        raise ConfigError(f"Unknown backend '{name}'.", hint="Use --backend auto, offline or llm.")
    return name


def check_prompt_mode(name: str) -> str:
    """The prompt mode, or a ConfigError that lists the choices."""
    if name.lower() not in ("auto", "full", "compact"):
        raise ConfigError(f"Unknown prompt mode '{name}'.", hint="Use prompt_mode = auto, full or compact.")
    return name.lower()


def provider_preset(name: str) -> dict[str, Any]:
    """The defaults for a named provider (`openai`, `azure`, `github`, `ollama`, `local`)."""
    try:
        return PROVIDERS[name.lower()]
    except KeyError:
        import difflib

        near = difflib.get_close_matches(name.lower(), PROVIDERS, n=1)
        hint = f"Did you mean '{near[0]}'?" if near else f"Known providers: {', '.join(PROVIDERS)}."
        raise ConfigError(f"Unknown provider '{name}'.", hint=hint) from None
