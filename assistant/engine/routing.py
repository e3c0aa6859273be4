"""The offline reader first: answer offline when it understood the whole question, else ask the model with a hint.

The offline translator refuses (CannotAnswer) whenever it cannot place a content word; that refusal
is the signal. Its message says what it did understand ("I understood: measure: lines added; by
team"), which goes to the model as a hint. An answer read offline is explained offline too, so
nothing leaves the machine for it.
"""

from __future__ import annotations

from typing import Any, Sequence

from assistant.contracts import Answer, Context, Explainer, TextSink, Translation, Translator, Turn
from assistant.errors import CannotAnswer


class AutoTranslator:
    """Tries the offline reader, then the model; `last_path` says which one produced the last translation."""

    def __init__(self, offline: Translator, model: Any) -> None:
        self.offline = offline
        self.model = model
        self.backend = f"auto (offline, then {model.backend})"
        self.last_path: str | None = None
        self.last_hint: str | None = None

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        self.last_hint = None
        try:
            translation = self.offline.translate(question, ctx, history)
        except CannotAnswer as refusal:
            self.last_hint = refusal.message
        else:
            self.last_path = translation.backend
            return translation
        self.last_path = self.model.backend
        return self.model.translate(question, ctx, history, hint=self.last_hint)

    def repair(self, question: str, ctx: Context, history: Sequence[Turn], sql: str, error: str) -> Translation:
        """The model repairs its own SQL; SQL read offline that failed goes to the model as a new question."""
        if self.last_path != self.model.backend:
            self.last_path = self.model.backend
            return self.model.translate(question, ctx, history)
        return self.model.repair(question, ctx, history, sql, error, hint=self.last_hint)

    @property
    def calls(self) -> list[Any]:
        return list(getattr(self.model, "calls", []))

    def waiting(self) -> float | None:
        waiting = getattr(self.model, "waiting", None)
        return waiting() if callable(waiting) else None

    def cancel(self) -> None:
        cancel = getattr(self.model, "cancel", None)
        if callable(cancel):
            cancel()

    def explainer(self) -> Explainer:
        return RoutedExplainer(self.model.explainer())


class RoutedExplainer:
    """Explains an answer read offline with the offline explainer, any other with the model's."""

    def __init__(self, model_explainer: Explainer) -> None:
        from assistant.offline.explain import OfflineExplainer

        self.offline = OfflineExplainer()
        self.model = model_explainer

    def explain(self, question: str, answer: Answer, ctx: Context, on_text: TextSink | None) -> str:
        chosen = self.offline if answer.backend == "offline" else self.model
        return chosen.explain(question, answer, ctx, on_text)
