"""Questions to SQL through any OpenAI-compatible chat model; the only module that imports openai.

`ChatModel` is the small protocol the translator and the explainer need; `OpenAIChatModel` adapts the
openai client (OpenAI, Azure, GitHub Models, Ollama, vLLM, ...) and turns its exceptions into
`LLMError`s with hints. The API key is never printed or logged.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from assistant.contracts import ChatModel, Context, Message, Translation, Turn
from assistant.errors import AssistantError, CannotAnswer, ConfigError, LLMError, SQLGenerationError
from assistant.llm import prompting
from assistant.llm.thinking import strip_thinking
from assistant.sanitize import printable, redact, redact_userinfo

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.llm.explain import LLMExplainer

__all__ = ["CallStats", "ChatModel", "Message", "OpenAIChatModel", "LLMTranslator", "extract_sql"]

log = logging.getLogger("assistant.llm")

_FENCE = re.compile(r"(?P<fence>`{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)(?P=fence)", re.S)
_CANNOT = re.compile(r"^[ \t*]*CANNOT_ANSWER\**[ \t]*:?[ \t]*(?P<reason>.*)$", re.M | re.I)
_INTERPRETATION = re.compile(r"^\s*\**Interpretation\**\s*:\s*(?P<text>.+)$", re.M | re.I)


Examples = Callable[[str], Sequence[tuple[str, str]]]  # question -> similar saved (question, SQL) pairs
FEW_SHOT = 3
# Stop once the SQL block is closed and the model goes on (a blank line, or a second block); the closing
# fence itself is eaten by the stop, so `close_fence` puts it back. Two, as some servers allow only a few.
SQL_STOP = ("```\n\n", "```\n```")
COMPACT_SHARE = 0.75  # a full prompt using more than this share of the context window goes compact


@dataclass(frozen=True)
class CallStats:
    """One model call: what it was for, how long it took, its tokens (when the server says) and why it ended."""

    kind: str  # "sql" or "explain"
    seconds: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    prompt_mode: str | None = None


def close_fence(text: str) -> str:
    """The reply with an SQL fence that a stop sequence cut off closed again."""
    if text.count("```") % 2 == 1:
        return text.rstrip() + "\n```"
    return text


def extract_sql(text: str) -> str:
    """The SQL in the reply's ```sql block (3+ backticks, any or no language tag); raise if there is none."""
    blocks = [(m.group("lang").lower(), m.group("body").strip()) for m in _FENCE.finditer(text)]
    sql_blocks = [b for lang, b in blocks if lang in ("sql", "duckdb", "") and b]
    if sql_blocks:
        return sql_blocks[0]
    bare = text.strip()
    if re.match(r"(?is)^(with|select|from)\b", bare) and "```" not in bare:
        return bare  # a model that ignored the fence but replied with nothing but a query
    shown = bare if len(bare) <= 600 else bare[:600] + " ..."
    raise SQLGenerationError(
        f"No SQL found in the model's reply:\n{shown or '(empty reply)'}",
        hint="Rephrase the question, or try another model (--model).",
    )


def parse_reply(text: str, backend: str) -> Translation:
    """A Translation from the model's reply; `CANNOT_ANSWER: reason` becomes CannotAnswer."""
    text = close_fence(strip_thinking(text))
    cannot = _CANNOT.search(text)
    fence = text.find("```")
    if cannot and (fence < 0 or cannot.start() < fence or not _has_query(text)):
        # small models also put the refusal inside the fence, or after an empty block
        reason = cannot.group("reason").strip().rstrip("`").strip()
        raise CannotAnswer(
            f"The model says this cannot be answered from the data: {reason or 'no reason given'}",
            hint="See what the data holds with `cma schema`, or rephrase the question.",
        )
    sql = extract_sql(text)
    interp = _INTERPRETATION.search(text.split("```", 1)[0])
    return Translation(
        sql=sql, backend=backend, interpretation=interp.group("text").strip().rstrip(".") if interp else None
    )


def _has_query(text: str) -> bool:
    """True when some fenced block of the reply starts like a query."""
    return any(re.match(r"(?is)\s*(with|select|from)\b", m.group("body")) for m in _FENCE.finditer(text))


class LLMTranslator:
    """Translates with a chat model: the constrained schema prompt, earlier turns, and repairs on error."""

    def __init__(
        self,
        model: ChatModel,
        examples: Examples | None = None,
        *,
        max_tokens: int = 512,
        prompt_mode: str = "auto",
        context_window: int | None = None,
    ) -> None:
        self.model = model
        self.backend = f"llm:{model.name}"
        self.examples = examples or (lambda question: [])
        self.max_tokens = max_tokens
        self.prompt_mode = prompt_mode
        self.context_window = context_window
        self.last_mode: str | None = None

    @classmethod
    def from_settings(cls, settings: "Settings") -> "LLMTranslator":
        return cls(
            OpenAIChatModel.from_settings(settings),
            _saved_examples(settings),
            max_tokens=settings.sql_max_tokens,
            prompt_mode=settings.prompt_mode,
            context_window=settings.context_window,
        )

    def translate(
        self, question: str, ctx: Context, history: Sequence[Turn], hint: str | None = None
    ) -> Translation:
        examples = self.examples(question)
        messages = prompting.sql_messages(question, ctx, history, examples, hint=hint)
        mode = self.mode_for(messages)
        if mode != "full":
            messages = prompting.sql_messages(question, ctx, history, examples, mode=mode, hint=hint)
        return self._ask(messages, mode)

    def repair(
        self, question: str, ctx: Context, history: Sequence[Turn], sql: str, error: str,
        hint: str | None = None,
    ) -> Translation:
        mode = self.last_mode or self.prompt_mode
        messages = prompting.repair_messages(
            question, ctx, history, sql, error, self.examples(question), mode=mode, hint=hint
        )
        return self._ask(messages, mode)

    def mode_for(self, full: list[Message]) -> str:
        """`full` or `compact`: compact when asked for, or when the full prompt crowds a small context window."""
        if self.prompt_mode in prompting.PROMPT_MODES:
            return self.prompt_mode
        if not self.context_window:
            return "full"
        needed = prompt_tokens(full) + self.max_tokens
        return "compact" if needed > COMPACT_SHARE * self.context_window else "full"

    @property
    def calls(self) -> list[CallStats]:
        """Every model call so far (SQL and explanations), when the model records them."""
        return list(getattr(self.model, "calls", []))

    def waiting(self) -> float | None:
        """Seconds the running model call has waited so far, or None when no call is running."""
        since = getattr(self.model, "waiting_since", None)
        return time.monotonic() - since if since is not None else None

    def cancel(self) -> None:
        """Stop a streaming call at its next piece (a blocking call cannot be cut short)."""
        cancel = getattr(self.model, "cancel", None)
        if callable(cancel):
            cancel()

    def explainer(self) -> "LLMExplainer":
        from assistant.llm.explain import LLMExplainer

        return LLMExplainer(self.model)

    def _ask(self, messages: list[Message], mode: str) -> Translation:
        self.last_mode = mode
        if log.isEnabledFor(logging.DEBUG):  # counting may cost a request to the server's tokenizer
            log.debug(
                "SQL prompt (%s): %d messages, %d chars, %s",
                mode,
                len(messages),
                sum(len(m["content"]) for m in messages),
                _token_line(self.model, messages),
            )
        reply = self._complete(messages, mode)
        log.debug("model reply: %s", printable(reply))  # --debug prints it to a terminal
        return parse_reply(reply, self.backend)

    def _complete(self, messages: list[Message], mode: str) -> str:
        if not isinstance(self.model, OpenAIChatModel):  # another ChatModel takes only the messages
            return self.model.complete(messages)
        reply = self.model.complete(messages, max_tokens=self.max_tokens, stop=SQL_STOP, kind="sql", mode=mode)
        last = self.model.calls[-1] if self.model.calls else None
        if last and last.finish_reason == "length" and not _has_query(close_fence(strip_thinking(reply))):
            raise SQLGenerationError(
                f"The model's reply was cut off at {self.max_tokens} tokens before its SQL was complete.",
                hint="Raise sql_max_tokens (CMA_SQL_MAX_TOKENS), or use a model that answers briefly.",
            )
        return reply


def prompt_tokens(messages: list[Message]) -> int:
    """The estimated prompt size in tokens (a few tokens of framing per message)."""
    return sum(prompting.estimate_tokens(m["content"]) + 4 for m in messages)


def _token_line(model: Any, messages: list[Message]) -> str:
    """'N tokens (TOKENIZER)' with the server's tokenizer where it offers one, else '~N tokens (estimate)'."""
    counter = getattr(model, "count_tokens", None)
    counted = counter("".join(m["content"] for m in messages)) if callable(counter) else None
    if counted is not None:
        return f"{counted[0]} tokens ({counted[1]})"
    return f"~{prompt_tokens(messages)} tokens (estimate)"


def _saved_examples(settings: "Settings") -> Examples:
    """The most similar saved queries (the user's and the starter library) as few-shot examples."""

    def examples(question: str) -> Sequence[tuple[str, str]]:
        try:
            from assistant.saved.similarity import few_shot_examples
        except ImportError:
            return []
        try:
            return few_shot_examples(settings, question, k=FEW_SHOT)
        except AssistantError as e:  # a broken saved query must not stop a question
            log.debug("few-shot examples skipped: %s", e)
            return []

    return examples


class OpenAIChatModel:
    """A ChatModel over the openai client; errors come back as LLMError with a hint."""

    def __init__(
        self, name: str, client: Any, *, base_url: str | None = None, temperature: float | None = 0.0,
        explain_max_tokens: int | None = None,
    ) -> None:
        self.name = name
        self.client = client
        self.base_url = base_url or str(getattr(client, "base_url", "") or "https://api.openai.com/v1")
        self.temperature = temperature
        self.explain_max_tokens = explain_max_tokens
        self.calls: list[CallStats] = []
        self.waiting_since: float | None = None  # monotonic start of the call waiting for its first byte
        self._unsupported: set[str] = set()  # request parameters this server refused
        self._cancel = threading.Event()
        self._token_route: str | None = "unknown"

    @classmethod
    def from_settings(cls, settings: "Settings") -> "OpenAIChatModel":
        import openai

        common: dict[str, Any] = {
            "api_key": settings.api_key or "none",
            "timeout": settings.llm_timeout_s,
            "max_retries": settings.llm_retries,
        }
        if (settings.provider or "").lower() == "azure":
            if not settings.base_url:
                raise ConfigError(
                    "Azure OpenAI needs its endpoint.",
                    hint="Pass --base-url https://NAME.openai.azure.com (or set OPENAI_BASE_URL).",
                )
            client: Any = openai.AzureOpenAI(
                azure_endpoint=settings.base_url, api_version=settings.api_version, **common
            )
        else:
            client = openai.OpenAI(base_url=settings.base_url or None, **common)
        return cls(settings.model_name, client, base_url=settings.base_url,
                   explain_max_tokens=settings.explain_max_tokens)

    def complete(
        self, messages: list[Message], *, max_tokens: int | None = None, stop: Sequence[str] = (),
        kind: str = "sql", mode: str | None = None,
    ) -> str:
        """The reply's text; the call is bounded by `max_tokens` and ends at a stop sequence."""
        started = time.monotonic()
        self.waiting_since = started
        try:
            with self._errors():
                response = self._create(messages, stream=False, max_tokens=max_tokens, stop=stop)
        finally:
            self.waiting_since = None
        choice = response.choices[0] if response.choices else None
        usage = getattr(response, "usage", None)
        self.calls.append(CallStats(
            kind, time.monotonic() - started, getattr(usage, "prompt_tokens", None),
            getattr(usage, "completion_tokens", None), getattr(choice, "finish_reason", None), mode,
        ))
        return (choice.message.content or "") if choice else ""

    def stream(self, messages: list[Message], *, max_tokens: int | None = None) -> Iterator[str]:
        """The reply piece by piece (an explanation), bounded by `max_tokens`; `cancel()` stops it."""
        self._cancel.clear()
        started = time.monotonic()
        self.waiting_since = started
        finish: str | None = None
        try:
            with self._errors():
                chunks = self._create(messages, stream=True, max_tokens=max_tokens or self.explain_max_tokens)
                for chunk in chunks:
                    self.waiting_since = None
                    if self._cancel.is_set():
                        finish = "cancelled"
                        break
                    choice = chunk.choices[0] if chunk.choices else None
                    finish = getattr(choice, "finish_reason", None) or finish
                    if choice and choice.delta and choice.delta.content:
                        yield choice.delta.content
        finally:
            self.waiting_since = None
            self.calls.append(CallStats("explain", time.monotonic() - started, finish_reason=finish))

    def cancel(self) -> None:
        """Ask a running stream to stop at its next piece."""
        self._cancel.set()

    def count_tokens(self, text: str) -> tuple[int, str] | None:
        """(tokens, tokenizer) from the server's own tokenizer (llama.cpp's /tokenize), or None when it has none."""
        if self._token_route is None:
            return None
        import httpx

        root = re.sub(r"/v1/?$", "", self.base_url.rstrip("/"))
        try:
            response = httpx.post(f"{root}/tokenize", json={"content": text}, timeout=5)
            tokens = response.json().get("tokens") if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError, AttributeError):
            tokens = None
        if not isinstance(tokens, list):
            self._token_route = None  # ask once: a server without the route will not grow one
            return None
        return len(tokens), "server tokenizer (/tokenize)"

    def _create(
        self, messages: list[Message], *, stream: bool, max_tokens: int | None = None, stop: Sequence[str] = ()
    ) -> Any:
        import openai

        kwargs: dict[str, Any] = {"model": self.name, "messages": messages, "stream": stream}
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if max_tokens:
            kwargs["max_completion_tokens" if "max_tokens" in self._unsupported else "max_tokens"] = max_tokens
        if stop and "stop" not in self._unsupported:
            kwargs["stop"] = list(stop)
        for _ in range(3):
            try:
                return self.client.chat.completions.create(**kwargs)
            except openai.BadRequestError as e:
                # Some models (reasoning ones) refuse a parameter; drop or rename it and ask once more.
                if not self._drop_refused(kwargs, str(e).lower()):
                    raise
        return self.client.chat.completions.create(**kwargs)

    def _drop_refused(self, kwargs: dict[str, Any], error: str) -> bool:
        """Remove (or rename) the parameter the server refused; False when it named none we sent."""
        if "temperature" in kwargs and "temperature" in error:
            self.temperature = None
            kwargs.pop("temperature")
            return True
        if "max_tokens" in kwargs and "max_tokens" in error:
            self._unsupported.add("max_tokens")
            kwargs["max_completion_tokens"] = kwargs.pop("max_tokens")
            return True
        if "stop" in kwargs and ("'stop'" in error or "stop sequence" in error):
            self._unsupported.add("stop")
            return kwargs.pop("stop", None) is not None
        return False

    @contextmanager
    def _errors(self) -> Iterator[None]:
        import openai

        where = redact_userinfo(self.base_url)
        secrets = [getattr(self.client, "api_key", None), self.base_url]
        try:
            yield
        except openai.APITimeoutError as e:
            raise LLMError(
                f"The model server at {where} did not answer in time.",
                hint="Try again, raise the limit (CMA_LLM_TIMEOUT / llm_timeout), or use --offline.",
            ) from _redacted(e, secrets)
        except openai.APIConnectionError as e:
            raise LLMError(
                f"Cannot reach the model server at {where}.",
                hint="Check OPENAI_BASE_URL (or --base-url) and that the server is running, "
                "or pass --offline.",
            ) from _redacted(e, secrets)
        except openai.AuthenticationError as e:
            raise LLMError(
                f"The model server at {where} rejected the API key (401).",
                hint="Check OPENAI_API_KEY (or the provider's key variable); the key is never shown.",
            ) from _redacted(e, secrets)
        except openai.PermissionDeniedError as e:
            raise LLMError(
                f"The API key may not use model '{self.name}' at {where} (403).",
                hint="Pick a model your key can use with --model or CMA_MODEL.",
            ) from _redacted(e, secrets)
        except openai.NotFoundError as e:
            raise LLMError(f"Unknown model '{self.name}' at {where} (404).",
                           hint=self._model_hint()) from _redacted(e, secrets)
        except openai.RateLimitError as e:
            raise LLMError(
                f"The model server at {where} is rate limiting requests (429), even after retries.",
                hint="Wait a minute and try again, or raise llm_retries in the config file.",
            ) from _redacted(e, secrets)
        except openai.APIStatusError as e:
            raise LLMError(
                f"The model server at {where} failed with HTTP {e.status_code}: {_short(e, secrets)}",
                hint="Try again later, or use --offline.",
            ) from _redacted(e, secrets)
        except openai.OpenAIError as e:
            raise LLMError(f"The model call failed: {_short(e, secrets)}",
                           hint="Try again, or use --offline.") from _redacted(e, secrets)

    def _model_hint(self) -> str:
        """ "Did you mean ..." from the server's model list, when it answers quickly."""
        import difflib

        try:
            names = [m.id for m in self.client.with_options(max_retries=0, timeout=5).models.list()]
        except Exception:  # the hint is a courtesy; a failing /models must not hide the real error
            names = []
        near = difflib.get_close_matches(self.name, names, n=3, cutoff=0.5)
        if near:
            return f"Did you mean {' or '.join(repr(n) for n in near)}? Set it with --model or CMA_MODEL."
        if names:
            return f"Models here include: {', '.join(sorted(names)[:8])}. Set one with --model or CMA_MODEL."
        return "Check the model name (--model or CMA_MODEL); for Azure it is the deployment name."


def _short(e: Exception, secrets: Sequence[str | None] = ()) -> str:
    """The error's text on one line, at most 300 characters, with the key and URL userinfo redacted."""
    text = printable(redact(str(e), secrets), newlines=False).strip()
    return text if len(text) <= 300 else text[:297] + "..."


def _redacted(e: Exception, secrets: Sequence[str | None]) -> Exception:
    """A stand-in cause for `e` whose text has the key redacted (a --debug traceback prints the cause)."""
    cause = RuntimeError(f"{type(e).__name__}: {redact(str(e), secrets)}")
    cause.__traceback__ = e.__traceback__
    return cause
