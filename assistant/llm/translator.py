"""Questions to SQL through any OpenAI-compatible chat model; the only module that imports openai.

`ChatModel` is the small protocol the translator and the explainer need; `OpenAIChatModel` adapts the
openai client (OpenAI, Azure, GitHub Models, Ollama, vLLM, ...) and turns its exceptions into
`LLMError`s with hints. The API key is never printed or logged.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from assistant.contracts import ChatModel, Context, Message, Translation, Turn
from assistant.errors import AssistantError, CannotAnswer, ConfigError, LLMError, SQLGenerationError
from assistant.llm import prompting
from assistant.llm.thinking import strip_thinking

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.llm.explain import LLMExplainer

__all__ = ["ChatModel", "Message", "OpenAIChatModel", "LLMTranslator", "extract_sql"]

log = logging.getLogger("assistant.llm")

_FENCE = re.compile(r"(?P<fence>`{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)(?P=fence)", re.S)
_CANNOT = re.compile(r"^[ \t*]*CANNOT_ANSWER\**[ \t]*:?[ \t]*(?P<reason>.*)$", re.M | re.I)
_INTERPRETATION = re.compile(r"^\s*\**Interpretation\**\s*:\s*(?P<text>.+)$", re.M | re.I)


Examples = Callable[[str], Sequence[tuple[str, str]]]  # question -> similar saved (question, SQL) pairs
FEW_SHOT = 3


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
    text = strip_thinking(text)
    cannot = _CANNOT.search(text)
    fence = text.find("```")
    if cannot and (fence < 0 or cannot.start() < fence):
        reason = cannot.group("reason").strip()
        raise CannotAnswer(
            f"The model says this cannot be answered from the data: {reason or 'no reason given'}",
            hint="See what the data holds with `cma schema`, or rephrase the question.",
        )
    sql = extract_sql(text)
    interp = _INTERPRETATION.search(text.split("```", 1)[0])
    return Translation(
        sql=sql, backend=backend, interpretation=interp.group("text").strip().rstrip(".") if interp else None
    )


class LLMTranslator:
    """Translates with a chat model: the constrained schema prompt, earlier turns, and repairs on error."""

    def __init__(self, model: ChatModel, examples: Examples | None = None) -> None:
        self.model = model
        self.backend = f"llm:{model.name}"
        self.examples = examples or (lambda question: [])

    @classmethod
    def from_settings(cls, settings: "Settings") -> "LLMTranslator":
        return cls(OpenAIChatModel.from_settings(settings), _saved_examples(settings))

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        return self._ask(prompting.sql_messages(question, ctx, history, self.examples(question)))

    def repair(
        self, question: str, ctx: Context, history: Sequence[Turn], sql: str, error: str
    ) -> Translation:
        return self._ask(
            prompting.repair_messages(question, ctx, history, sql, error, self.examples(question))
        )

    def explainer(self) -> "LLMExplainer":
        from assistant.llm.explain import LLMExplainer

        return LLMExplainer(self.model)

    def _ask(self, messages: list[Message]) -> Translation:
        chars = sum(len(m["content"]) for m in messages)
        log.debug(
            "SQL prompt: %d messages, %d chars, ~%d tokens",
            len(messages),
            chars,
            sum(prompting.estimate_tokens(m["content"]) for m in messages),
        )
        reply = self.model.complete(messages)
        log.debug("model reply: %s", reply)
        return parse_reply(reply, self.backend)


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
        self, name: str, client: Any, *, base_url: str | None = None, temperature: float | None = 0.0
    ) -> None:
        self.name = name
        self.client = client
        self.base_url = base_url or str(getattr(client, "base_url", "") or "https://api.openai.com/v1")
        self.temperature = temperature

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
        return cls(settings.model_name, client, base_url=settings.base_url)

    def complete(self, messages: list[Message]) -> str:
        with self._errors():
            response = self._create(messages, stream=False)
        choice = response.choices[0] if response.choices else None
        return (choice.message.content or "") if choice else ""

    def stream(self, messages: list[Message]) -> Iterator[str]:
        with self._errors():
            chunks = self._create(messages, stream=True)
            for chunk in chunks:
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content

    def _create(self, messages: list[Message], *, stream: bool) -> Any:
        import openai

        kwargs: dict[str, Any] = {"model": self.name, "messages": messages, "stream": stream}
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        try:
            return self.client.chat.completions.create(**kwargs)
        except openai.BadRequestError as e:
            # Some reasoning models accept only their default temperature; ask once more without it.
            if self.temperature is None or "temperature" not in str(e).lower():
                raise
            self.temperature = None
            kwargs.pop("temperature")
            return self.client.chat.completions.create(**kwargs)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        import openai

        where = self.base_url
        try:
            yield
        except openai.APITimeoutError as e:
            raise LLMError(
                f"The model server at {where} did not answer in time.",
                hint="Try again, raise the limit (CMA_LLM_TIMEOUT / llm_timeout), or use --offline.",
            ) from e
        except openai.APIConnectionError as e:
            raise LLMError(
                f"Cannot reach the model server at {where}.",
                hint="Check OPENAI_BASE_URL (or --base-url) and that the server is running, "
                "or pass --offline.",
            ) from e
        except openai.AuthenticationError as e:
            raise LLMError(
                f"The model server at {where} rejected the API key (401).",
                hint="Check OPENAI_API_KEY (or the provider's key variable); the key is never shown.",
            ) from e
        except openai.PermissionDeniedError as e:
            raise LLMError(
                f"The API key may not use model '{self.name}' at {where} (403).",
                hint="Pick a model your key can use with --model or CMA_MODEL.",
            ) from e
        except openai.NotFoundError as e:
            raise LLMError(f"Unknown model '{self.name}' at {where} (404).", hint=self._model_hint()) from e
        except openai.RateLimitError as e:
            raise LLMError(
                f"The model server at {where} is rate limiting requests (429), even after retries.",
                hint="Wait a minute and try again, or raise llm_retries in the config file.",
            ) from e
        except openai.APIStatusError as e:
            raise LLMError(
                f"The model server at {where} failed with HTTP {e.status_code}: {_short(e)}",
                hint="Try again later, or use --offline.",
            ) from e
        except openai.OpenAIError as e:
            raise LLMError(f"The model call failed: {_short(e)}", hint="Try again, or use --offline.") from e

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


def _short(e: Exception) -> str:
    text = str(e).strip().replace("\n", " ")
    return text if len(text) <= 300 else text[:297] + "..."
