"""The types every layer shares, and the small protocols between layers.

Nothing here imports another module of ours except `errors`; the engine, both translators, the
explainers, saved queries, the REPL and the command line all meet on these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterator, Literal, Protocol, Sequence, TypedDict, runtime_checkable

PROVISIONAL_DAYS = 3


def plain(value: Any) -> Any:
    """A JSON-friendly version of a DuckDB value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


@dataclass
class Coverage:
    first_day: date | None
    last_day: date | None
    days: int
    missing_days: list[date]
    users: int
    teams: int
    seats: int
    tables: dict[str, int]
    entity_first_day: date | None = None
    entity_last_day: date | None = None
    imports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def provisional_from(self) -> date | None:
        return self.last_day - timedelta(days=PROVISIONAL_DAYS - 1) if self.last_day else None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Coverage":
        """The Coverage that to_json wrote."""
        day = _date_or_none
        return cls(day(data["first_day"]), day(data["last_day"]), data["days"],
                   [date.fromisoformat(d) for d in data["missing_days"]], data["users"], data["teams"],
                   data["seats"], data["tables"], day(data["entity_first_day"]), day(data["entity_last_day"]),
                   data.get("imports", []))

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["missing_days"] = [d.isoformat() for d in self.missing_days]
        for k in ("first_day", "last_day", "entity_first_day", "entity_last_day"):
            out[k] = out[k].isoformat() if out[k] else None
        out["provisional_from"] = self.provisional_from.isoformat() if self.provisional_from else None
        for imp in out["imports"]:
            for k, v in imp.items():
                if isinstance(v, date):
                    imp[k] = v.isoformat()
        return out


def _date_or_none(value: str | None) -> date | None:
    """The date an ISO string names, or None."""
    return date.fromisoformat(value) if value else None


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


class ChatModel(Protocol):
    name: str

    def complete(self, messages: list[Message]) -> str: ...

    def stream(self, messages: list[Message]) -> Iterator[str]: ...


TextSink = Callable[[str], None]


@dataclass(frozen=True)
class Context:
    """What a translator may know about the database: no data rows, only shape, values and coverage."""

    as_of: date | None
    coverage: Coverage
    values: dict[str, list[str]]
    allowed_tables: frozenset[str]
    # every login in the data, for exact matching by the offline translator; never sent to a model
    logins: frozenset[str] = frozenset()

    def coverage_line(self) -> str:
        cov = self.coverage
        if not cov.first_day:
            return "No per-user usage data is loaded."
        missing = f", {len(cov.missing_days)} missing" if cov.missing_days else ""
        return (f"Data: {cov.first_day}..{cov.last_day} ({cov.days} days{missing}, {cov.users} users); "
                f"as of {self.as_of}; days from {cov.provisional_from} on are provisional.")


@dataclass(frozen=True)
class Translation:
    sql: str
    backend: str
    interpretation: str | None = None  # what the question was taken to mean, in words
    explanation: str | None = None  # the translator's own note, if any
    follow_up: bool = False  # the question continues the previous one's thread


@dataclass
class Turn:
    """One question and its outcome, kept for follow-ups."""

    question: str
    sql: str | None
    interpretation: str | None = None
    columns: list[str] = field(default_factory=list)
    sample: list[tuple] = field(default_factory=list)
    row_count: int = 0
    error: str | None = None
    # the questions this turn is understood in: the thread's first question, then each follow-up to it;
    # a refused turn keeps the thread it was refused in, so the next follow-up still has it
    thread: tuple[str, ...] = ()


def current_thread(history: Sequence[Turn]) -> tuple[str, ...]:
    """The questions the next one may follow up: the last turn's thread (a refused turn keeps its own)."""
    if not history:
        return ()
    last = history[-1]
    return last.thread or ((last.question,) if last.sql else ())


class Translator(Protocol):
    backend: str

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation: ...


@runtime_checkable
class RepairingTranslator(Translator, Protocol):
    def repair(self, question: str, ctx: Context, history: Sequence[Turn], sql: str, error: str) -> Translation: ...


class Explainer(Protocol):
    def explain(self, question: str, answer: Answer, ctx: Context, on_text: TextSink | None) -> str: ...


@dataclass(frozen=True)
class Answer:
    question: str
    sql: str
    columns: list[str]
    rows: list[tuple]
    row_count: int
    truncated: bool
    explanation: str
    backend: str
    as_of: date | None
    coverage: str
    interpretation: str | None = None
    elapsed_s: float = 0.0
    attempts: int = 1

    def note(self) -> str | None:
        if self.truncated:
            return f"showing {len(self.rows):,} of {self.row_count:,} rows"
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question, "sql": self.sql, "columns": self.columns,
            "rows": [[plain(v) for v in r] for r in self.rows], "row_count": self.row_count,
            "truncated": self.truncated, "explanation": self.explanation, "backend": self.backend,
            "as_of": self.as_of.isoformat() if self.as_of else None, "interpretation": self.interpretation,
            "coverage": self.coverage,
        }


class SqlRunner(Protocol):
    """What saved queries and tools need of the engine: run SQL through the guard and the limits."""

    def run_sql(self, sql: str, *, question: str | None = None, backend: str = "sql",
                interpretation: str | None = None, explain: bool = False,
                on_text: TextSink | None = None, max_rows: int | None = None) -> Answer: ...
