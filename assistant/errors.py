"""The one error hierarchy: every expected failure is an AssistantError with a hint."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    QUERY = 1
    USAGE = 2
    CONNECTION = 3
    LLM = 4
    DATA = 5
    INTERRUPT = 130


class AssistantError(Exception):
    """An expected failure: a message that says what happened and a hint that says what to do."""

    exit_code = ExitCode.QUERY
    kind = "error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(AssistantError):
    exit_code = ExitCode.USAGE
    kind = "config"


class LoadError(AssistantError):
    """A file could not be loaded; the message names the file and, where known, the line."""

    exit_code = ExitCode.DATA
    kind = "load"


class LoadInterrupted(LoadError):
    """Ctrl-C stopped a load: the file being read was rolled back, the ones before it stay loaded."""

    exit_code = ExitCode.INTERRUPT
    kind = "interrupted"


class QueryError(AssistantError):
    kind = "query"


class QueryStopped(QueryError):
    """The query was stopped (its deadline, Ctrl-C, or a resource limit): never worth a repair."""

    kind = "query_stopped"


class GuardError(QueryError):
    """Generated or typed SQL was refused by the guard before it ran."""

    kind = "guard"


class LLMError(AssistantError):
    exit_code = ExitCode.LLM
    kind = "llm"


class SQLGenerationError(LLMError):
    kind = "sql_generation"


class CannotAnswer(AssistantError):
    """The question cannot be answered from the data (or not confidently)."""

    kind = "cannot_answer"


class FetchError(AssistantError):
    exit_code = ExitCode.CONNECTION
    kind = "fetch"
