"""The engine: a question becomes SQL (LLM or offline), is guarded, runs read-only and comes back as an Answer.

`cma ask`, the REPL, saved queries and the evaluator all call Session; none re-implements it.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.contracts import (
    Answer,
    Context,
    Explainer,
    RepairingTranslator,
    TextSink,
    Translation,
    Translator,
    Turn,
    current_thread,
)
from assistant.engine.routing import AutoTranslator
from assistant.errors import AssistantError, CannotAnswer, ConfigError, GuardError, QueryError, QueryStopped
from assistant.offline.explain import OfflineExplainer
from assistant.offline.translator import OfflineTranslator
from assistant.sanitize import printable
from assistant.semantic import catalog
from assistant.store.worker import QueryWorker

if TYPE_CHECKING:
    import duckdb


MAX_REPAIRS = 2
MAX_QUESTION_CHARS = 2000  # a question, not a document: longer text is refused before any translator sees it


class Session:
    """A conversation with one database: holds the read-only connection, the context and the history."""

    def __init__(self, settings: Settings, translator: Translator | None = None,
                 explainer: Explainer | None = None, worker: QueryWorker | None = None) -> None:
        self.settings = settings
        self._translator = translator
        self._explainer = explainer
        self.history: list[Turn] = []
        self._con: "duckdb.DuckDBPyConnection | None" = None
        self._worker = worker  # a caller may start the query process before importing this module
        self._ctx: Context | None = None
        self._cancel = threading.Event()

    # --- wiring -------------------------------------------------------------------------------
    @property
    def translator(self) -> Translator:
        if self._translator is None:
            self._translator = default_translator(self.settings)
        return self._translator

    @translator.setter
    def translator(self, value: Translator) -> None:
        self._translator = value

    @property
    def explainer(self) -> Explainer:
        if self._explainer is None:
            self._explainer = default_explainer(self.settings, self.translator)
        return self._explainer

    @explainer.setter
    def explainer(self, value: Explainer | None) -> None:
        self._explainer = value

    @property
    def backend(self) -> str:
        return self.translator.backend

    def connection(self) -> "duckdb.DuckDBPyConnection":
        """A read-only connection in this process, for callers that read tables directly (questions do not)."""
        if self._con is None:
            from assistant.store.query import open_readonly  # DuckDB is imported only by a caller that needs it

            self._con = open_readonly(self.settings.db)
        return self._con

    def worker(self) -> "QueryWorker":
        """The child process that runs questions' SQL under a hard deadline and memory cap."""
        if self._worker is None:
            self._worker = QueryWorker.for_settings(self.settings)
        return self._worker

    def context(self) -> Context:
        """The data's context, read by the query process: this process never imports DuckDB to answer."""
        if self._ctx is None:
            got = self.worker().facts()  # stored by the last load; read live from an older database
            self._ctx = Context(got.as_of, got.coverage, got.values, catalog.QUERYABLE, got.logins)
        return self._ctx

    def names(self, kind: str, limit: int) -> list[str]:
        """Sorted team names ('team') or logins ('login') for completion, at most `limit`."""
        return self.worker().names(kind, limit, self.settings.timeout_s)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        if self._con is not None:
            self._con.close()
            self._con = None

    def cancel(self) -> None:
        """Stop the running query or model call (from another thread, e.g. on Ctrl-C)."""
        self._cancel.set()
        if self._worker is not None:
            self._worker.cancel()
        if self._con is not None:
            self._con.interrupt()
        cancel = getattr(self._translator, "cancel", None)
        if callable(cancel):
            cancel()

    def waiting(self) -> tuple[str, float] | None:
        """(what, seconds) while a model call is waiting for its reply, else None (for a progress line)."""
        waiting = getattr(self._translator, "waiting", None)
        seconds = waiting() if callable(waiting) else None
        if seconds is None:
            return None
        model = getattr(self._translator, "model", None)  # auto's model translator, else the translator itself
        return str(getattr(model, "backend", None) or self.backend), seconds

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # --- the flow ----------------------------------------------------------------------------
    def ask(self, question: str, *, on_text: TextSink | None = None, explain: bool = True) -> Answer:
        """Translate, guard, run and explain one question; the turn joins the history."""
        if len(question) > MAX_QUESTION_CHARS:
            raise ConfigError(f"The question is {len(question):,} characters long; the limit is "
                              f"{MAX_QUESTION_CHARS:,}.", hint="Ask a shorter question, or run SQL with /sql.")
        self._cancel.clear()
        self.worker().start()  # the query process opens the database and loads the guard while this translates

        ctx = self.context()
        started = time.perf_counter()
        translator = self.translator
        try:
            translation = translator.translate(question, ctx, self.history)
            answer = self._run_with_repairs(question, translation, ctx, started)
        except AssistantError as e:
            self.history.append(Turn(question, getattr(e, "sql", None), error=e.message,
                                     thread=current_thread(self.history)))
            del self.history[:-10]
            raise
        if explain:
            answer = self._explained(answer, ctx, on_text)
        self._remember(answer, current_thread(self.history) + (question,) if translation.follow_up else (question,))
        return answer

    def run_sql(self, sql: str, *, question: str | None = None, backend: str = "sql",
                interpretation: str | None = None, explain: bool = False, on_text: TextSink | None = None,
                max_rows: int | None = None) -> Answer:
        """Run SQL the user wrote (or a saved query) through the same guard and limits (`max_rows` for exports)."""
        self._cancel.clear()
        ctx = self.context()
        started = time.perf_counter()
        answer = self._execute(question or sql, Translation(sql, backend, interpretation), ctx, started, 1,
                               max_rows)
        if explain:
            answer = self._explained(answer, ctx, on_text)
        self._remember(answer, (answer.question,))
        return answer

    def explain(self, answer: Answer, *, on_text: TextSink | None = None) -> Answer:
        """The answer with its explanation, for callers that asked with explain=False to show the table first."""
        return self._explained(answer, self.context(), on_text)

    def _run_with_repairs(self, question: str, translation: Translation, ctx: Context, started: float) -> Answer:
        repair = self.translator.repair if isinstance(self.translator, RepairingTranslator) else None
        tried = [_normal(translation.sql)]
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._execute(question, translation, ctx, started, attempts)
            except (GuardError, QueryError) as e:
                # a stopped query (deadline, Ctrl-C, out of memory) is about the data's size: new SQL text
                # would not help
                if self.cancelled or isinstance(e, QueryStopped) or _is_out_of_memory(e):
                    raise
                if repair is None:
                    raise _unrunnable(translation, e) if _reader_fault(translation, e) else e
                if attempts > MAX_REPAIRS:
                    raise _refusal(translation, e, f"after {MAX_REPAIRS} repairs") from e
                feedback = f"{e.message}\n{e.hint}" if e.hint else e.message  # the hint carries "did you mean"
                fixed = repair(question, ctx, self.history, translation.sql, feedback)
                if _normal(fixed.sql) in tried:
                    raise _refusal(fixed, e, "its repair repeated the same SQL") from e
                tried.append(_normal(fixed.sql))
                translation = fixed

    def _execute(self, question: str, translation: Translation, ctx: Context, started: float,
                 attempts: int, max_rows: int | None = None) -> Answer:
        # the query process guards the SQL (DuckDB's own parse tree), checks its plan and runs it
        result = self.worker().run(translation.sql, ctx.allowed_tables, max_rows=max_rows or self.settings.max_rows,
                                   timeout_s=self.settings.timeout_s)
        return Answer(
            question=question, sql=result.sql, columns=list(result.columns), rows=list(result.rows),
            row_count=result.row_count, truncated=result.truncated,
            explanation=printable(translation.explanation or ""), backend=translation.backend, as_of=ctx.as_of,
            coverage=ctx.coverage_line(),
            interpretation=printable(translation.interpretation) if translation.interpretation else None,
            elapsed_s=time.perf_counter() - started, attempts=attempts,
        )

    def _explained(self, answer: Answer, ctx: Context, on_text: TextSink | None) -> Answer:
        from dataclasses import replace


        # the explanation comes from a model or quotes data: no escape sequences reach a terminal
        sink = None if on_text is None else (lambda chunk: on_text(printable(chunk)))
        text = self.explainer.explain(answer.question, answer, ctx, sink)
        return replace(answer, explanation=printable(text), elapsed_s=answer.elapsed_s)

    def _remember(self, answer: Answer, thread: tuple[str, ...]) -> None:
        self.history.append(Turn(answer.question, answer.sql, answer.interpretation, answer.columns,
                                 answer.rows[:20], answer.row_count, thread=thread))
        del self.history[:-10]


def _is_out_of_memory(e: AssistantError) -> bool:
    return "out of memory" in e.message.lower()


def _normal(sql: str) -> str:
    """The SQL with its whitespace and case folded, so a repair that only re-spaces counts as the same."""
    return " ".join(sql.split()).rstrip(";").strip().lower()


# DuckDB's errors about the SQL text itself: from SQL the offline reader built, a fault of the reader
SQL_FAULTS = ("Binder Error", "Catalog Error", "Parser Error", "Conversion Error")


def _reader_fault(translation: Translation, e: AssistantError) -> bool:
    return translation.backend == "offline" and (isinstance(e, GuardError) or e.message.startswith(SQL_FAULTS))


def _unrunnable(translation: Translation, e: AssistantError) -> CannotAnswer:
    """SQL the offline reader built that the database would not run: a refusal naming it, never an answer."""
    reading = f"I understood: {translation.interpretation}. " if translation.interpretation else ""
    refusal = CannotAnswer(
        f"I read the question but built SQL that this database cannot run ({e.message.splitlines()[0]}); "
        "that is a fault in cma's offline reader, not in your data.",
        hint=f"{reading}Rephrase the question, or ask with a model configured (--backend auto).",
    )
    refusal.sql = translation.sql  # type: ignore[attr-defined]  # kept in the history, like a failed turn
    return refusal


def _refusal(translation: Translation, e: AssistantError, how: str) -> CannotAnswer:
    """The honest outcome of repairs that went nowhere: a refusal carrying the model's reading and the error."""
    reading = f" It read the question as: {translation.interpretation}." if translation.interpretation else ""
    refusal = CannotAnswer(
        f"The model could not write working SQL for this question ({how}): {e.message}.{reading}",
        hint=f"Last SQL:\n{translation.sql}\nRephrase the question, or fix the SQL with /sql.",
    )
    refusal.sql = translation.sql  # type: ignore[attr-defined]  # kept in the history, like a failed turn
    return refusal


def default_translator(settings: Settings) -> Translator:
    """By `settings.backend`: the offline reader, the model, or (auto) the offline reader first, then the model."""

    if settings.backend == "llm" and not settings.has_model:
        raise ConfigError(
            "No model configured for --backend llm.",
            hint="Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server), or use --backend offline.",
        )
    if not settings.has_model:
        return OfflineTranslator()

    from assistant.llm.translator import LLMTranslator  # only with a model: an offline question never imports it

    model = LLMTranslator.from_settings(settings)
    if settings.backend == "llm":
        return model

    return AutoTranslator(OfflineTranslator(), model)


def default_explainer(settings: Settings, translator: Translator) -> Explainer:
    """An LLM summary when a model is in use and sharing results is allowed; else an offline one."""

    model_explainer = getattr(translator, "explainer", None)
    if settings.share_results and callable(model_explainer):
        return model_explainer()
    return OfflineExplainer()
