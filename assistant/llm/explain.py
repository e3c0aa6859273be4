"""Explanations written by the model: a second call that summarises a bounded sample of the result.

Only used when sharing results is allowed (`Settings.share_results`); otherwise the session uses the
offline explainer and no row leaves the machine. The sample is at most 20 rows and about 2,000
characters, fenced as untrusted data. The coverage line is appended by the program, not the model,
so the answer always states what data it covers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.errors import LLMError
from assistant.llm import prompting
from assistant.llm.thinking import ThinkingFilter
from assistant.offline.explain import offline_explanation

if TYPE_CHECKING:
    from assistant.contracts import Answer, ChatModel, Context, TextSink


class LLMExplainer:
    """Streams the model's summary of the result through `on_text`, then the coverage line."""

    def __init__(self, model: "ChatModel") -> None:
        self.model = model

    def explain(
        self, question: str, answer: "Answer", ctx: "Context", on_text: "TextSink | None" = None
    ) -> str:
        messages = prompting.explain_messages(question, answer, ctx)
        parts: list[str] = []
        visible = ThinkingFilter()
        try:
            for piece in self.model.stream(messages):
                shown = visible.feed(piece)
                parts.append(shown)
                if on_text and shown:
                    on_text(shown)
            rest = visible.flush()
            parts.append(rest)
            if on_text and rest:
                on_text(rest)
        except LLMError as e:
            # The answer itself is fine; fall back to the offline explanation rather than lose it.

            note = f"(The model's explanation failed: {e.message}) "
            text = note + offline_explanation(answer, ctx)
            if on_text:
                on_text(("\n" if parts else "") + text)
            return ("".join(parts) + "\n" if parts else "") + text
        summary = "".join(parts).strip()
        tail = ("\n" if summary else "") + ctx.coverage_line()
        if on_text:
            on_text(tail)
        return summary + tail
