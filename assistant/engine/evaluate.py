"""The evaluation harness: run a question set through a translator; score answers against hand-written SQL.

Verdicts: correct (the result matches the expected SQL's result, or a refusal was expected and given),
refused (CannotAnswer when an answer was expected) and wrong (anything else: a different result, an
error, or an answer where a refusal was expected).

The match rule: values are normalised (numbers rounded to 4 places, dates as ISO text, a month label
such as '2026-09' or 'September 2026' as the date of its first day, which is how a month bucket
`date_trunc('month', day)` reads); column names
are ignored; every expected column must equal a distinct column of the answer, which may have extra
columns; row counts must be equal. Rows compare as multisets, or in order when the expected SQL ends
with ORDER BY ... LIMIT n (a ranking). One expected row of k numbers (periods side by side) also matches
an answer of k rows with one column holding those numbers in that order (the periods one under the other).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

from assistant.config import Settings, check_backend
from assistant.contracts import Context, Translation, Translator, Turn
from assistant.engine.session import Session, default_translator
from assistant.errors import AssistantError, CannotAnswer, ConfigError


def eval_dir() -> Path:
    """The question sets: `assistant/eval` in an installed wheel, else the repository's `eval/`."""
    packaged = Path(__file__).resolve().parents[1] / "eval"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "eval"


DEFAULT_QUESTIONS = eval_dir() / "questions.jsonl"


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    expected_sql: str | None = None
    expect: str | None = None  # "refuse"
    family: str = ""


@dataclass
class Outcome:
    id: str
    family: str
    question: str
    verdict: str  # correct, refused, wrong
    translate_s: float
    total_s: float
    sql: str | None = None
    detail: str = ""
    path: str = ""  # which translator answered: offline or llm:<model>
    model_calls: int = 0
    repairs: int = 0
    prompt_tokens: int | None = None  # summed over the model calls, when the server reports usage
    completion_tokens: int | None = None


@dataclass
class Report:
    backend: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for o in self.outcomes if o.verdict == verdict)

    def share(self, verdict: str) -> float:
        return self.count(verdict) / len(self.outcomes) if self.outcomes else 0.0

    def latency(self, pct: float | None = None) -> float:
        xs = sorted(o.translate_s for o in self.outcomes)
        if not xs:
            return 0.0
        if pct is None:
            return sum(xs) / len(xs)
        return xs[min(len(xs) - 1, int(round(pct / 100 * (len(xs) - 1))))]

    def by_family(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {}
        for o in self.outcomes:
            out.setdefault(o.family or "-", Counter())[o.verdict] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "questions": len(self.outcomes),
            "correct": self.count("correct"),
            "refused": self.count("refused"),
            "wrong": self.count("wrong"),
            "correct_pct": round(100 * self.share("correct"), 1),
            "refused_pct": round(100 * self.share("refused"), 1),
            "wrong_pct": round(100 * self.share("wrong"), 1),
            "translate_ms_mean": round(1000 * self.latency(), 2),
            "translate_ms_p95": round(1000 * self.latency(95), 2),
            "by_family": {k: dict(v) for k, v in sorted(self.by_family().items())},
            "by_path": self.by_path(),
            "model": self.model_summary(),
            "outcomes": [asdict(o) for o in self.outcomes],
        }

    def by_path(self) -> dict[str, dict[str, Any]]:
        """For each path (offline, the model): how many questions it took and how many it got right."""
        out: dict[str, dict[str, Any]] = {}
        for o in self.outcomes:
            row = out.setdefault(o.path or self.backend, {"questions": 0, "correct": 0, "refused": 0, "wrong": 0})
            row["questions"] += 1
            row[o.verdict] += 1
        for row in out.values():
            row["correct_pct"] = round(100 * row["correct"] / row["questions"], 1)
        return dict(sorted(out.items()))

    def model_summary(self) -> dict[str, Any]:
        """Model calls, repairs, tokens per call and seconds per question, over the questions that reached the model."""
        asked = [o for o in self.outcomes if o.model_calls]
        calls = sum(o.model_calls for o in asked)
        counted = [o for o in asked if o.prompt_tokens is not None]
        counted_calls = sum(o.model_calls for o in counted)
        return {
            "questions": len(asked),
            "calls": calls,
            "repairs": sum(o.repairs for o in asked),
            "prompt_tokens_per_call": round(sum(o.prompt_tokens or 0 for o in counted) / counted_calls, 1)
            if counted_calls else None,
            "completion_tokens_per_call": round(sum(o.completion_tokens or 0 for o in counted) / counted_calls, 1)
            if counted_calls else None,
            "seconds_per_question": round(sum(o.total_s for o in asked) / len(asked), 3) if asked else None,
        }


def load_cases(path: Path) -> list[Case]:
    """The questions of a JSONL file (id, question, expected_sql or expect: "refuse", family)."""
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the question file: {e}", hint="Pass --questions FILE.") from e
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rec = json.loads(line)
            case = Case(
                str(rec.get("id") or f"line{n}"),
                rec["question"],
                rec.get("expected_sql"),
                rec.get("expect"),
                rec.get("family", ""),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise ConfigError(
                f"{path}:{n}: not a question record: {e}",
                hint='Each line: {"id": ..., "question": ..., "expected_sql": ...}',
            ) from e
        if not case.expected_sql and case.expect != "refuse":
            raise ConfigError(f'{path}:{n}: needs expected_sql or "expect": "refuse"')
        cases.append(case)
    return cases


class TimedTranslator:
    """Wraps a translator and remembers how long its last translation took and which path produced it."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.last_s = 0.0
        if hasattr(inner, "repair"):
            self.repair = inner.repair  # type: ignore[attr-defined]  # the session repairs through the wrapper

    def translate(self, question: str, ctx: Context, history: Sequence[Turn]) -> Translation:
        started = time.perf_counter()
        try:
            return self.inner.translate(question, ctx, history)
        finally:
            self.last_s = time.perf_counter() - started

    @property
    def path(self) -> str:
        return getattr(self.inner, "last_path", None) or self.inner.backend

    @property
    def calls(self) -> list[Any]:
        return list(getattr(self.inner, "calls", []))


def written_for_sample(path: Path) -> bool:
    """Whether a question file is one of the committed sets, whose expected SQL names the sample's teams and days."""
    return path.resolve().parent == eval_dir().resolve()


def sample_mismatch(settings: Settings) -> str | None:
    """Why this database is not the bundled sample the committed sets were written for (None when it is)."""
    facts = json.loads((eval_dir() / "sample.json").read_text(encoding="utf-8"))
    session = Session(settings)
    try:
        ctx = session.context()
    finally:
        session.close()
    teams = sorted(ctx.values.get("team", []))
    differs = []
    if str(ctx.as_of) != facts["as_of"]:
        differs.append(f"its latest day is {ctx.as_of}, not {facts['as_of']}")
    if teams != facts["teams"]:
        differs.append(f"its teams are {', '.join(teams) or 'none'}")
    if not differs:
        return None
    return ("The committed question sets are written for the bundled sample (fixtures/sample); this database "
            f"differs ({'; '.join(differs)}), so their expected answers do not apply. Load fixtures/sample into "
            "its own --db to score them, or pass your own --questions.")


def make_translator(settings: Settings, backend: str) -> Translator:
    """The translator for `--backend`: offline, llm, or auto (offline first, then the model when configured)."""

    check_backend(backend)
    from dataclasses import replace

    return default_translator(replace(settings, backend=backend))


def run_eval(settings: Settings, cases: Iterable[Case], translator: Translator) -> Report:
    """Ask every case in a fresh conversation and score it."""
    timed = TimedTranslator(translator)
    session = Session(settings, translator=timed)
    report = Report(timed.backend)
    try:
        for case in cases:
            report.outcomes.append(_score(case, session, timed))
    finally:
        session.close()
    return report


def _score(case: Case, session: Session, timed: TimedTranslator) -> Outcome:
    # the expected answer runs first, on the same connection (DuckDB allows one read-only config per process)
    expected = session.run_sql(case.expected_sql) if case.expected_sql else None
    session.history.clear()
    started = time.perf_counter()
    timed.last_s = 0.0
    before = len(timed.calls)

    def out(verdict: str, sql: str | None = None, detail: str = "") -> Outcome:
        calls = [c for c in timed.calls[before:] if c.kind == "sql"]
        prompt = [c.prompt_tokens for c in calls if c.prompt_tokens is not None]
        completion = [c.completion_tokens for c in calls if c.completion_tokens is not None]
        return Outcome(
            case.id,
            case.family,
            case.question,
            verdict,
            timed.last_s,
            time.perf_counter() - started,
            sql,
            detail,
            path=timed.path,
            model_calls=len(calls),
            repairs=max(len(calls) - 1, 0),
            prompt_tokens=sum(prompt) if prompt and len(prompt) == len(calls) else None,
            completion_tokens=sum(completion) if completion and len(completion) == len(calls) else None,
        )

    try:
        answer = session.ask(case.question, explain=False)
    except CannotAnswer as e:
        return out("correct" if case.expect == "refuse" else "refused", detail=e.message)
    except AssistantError as e:
        return out("wrong", getattr(e, "sql", None), f"error: {e.message}")
    if case.expect == "refuse":
        return out("wrong", answer.sql, "answered a question that should be refused")
    assert case.expected_sql is not None and expected is not None
    ok, why = results_match(expected.rows, answer.rows, ordered=is_ranking(case.expected_sql))
    return out("correct" if ok else "wrong", answer.sql, why)


def is_ranking(sql: str) -> bool:
    """True when the SQL ends in ORDER BY ... LIMIT n: then row order is part of the answer."""
    return bool(re.search(r"\border\s+by\b[^()]*\blimit\s+\d+\s*;?\s*$", sql, re.I | re.S))


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_LABEL = re.compile(rf"(?:(\d{{4}})-(\d{{2}})|({'|'.join(_MONTHS)}) (\d{{4}}))", re.I)


def normalize(v: Any) -> Any:
    if isinstance(v, str) and (m := _MONTH_LABEL.fullmatch(v.strip())):
        year, month = (m[1], int(m[2])) if m[1] else (m[4], _MONTHS.index(m[3].lower()) + 1)
        return f"{year}-{month:02d}-01" if 1 <= month <= 12 else v
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float, Decimal)):
        f = float(v)
        return round(f, 4) + 0.0
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _across_is_down(row: tuple, got: list[tuple]) -> bool:
    """One expected row of numbers (periods side by side) equals one column of the answer, row by row, in order."""
    values = [normalize(v) for v in row]
    if not all(isinstance(v, float) for v in values):
        return False
    cand = [tuple(normalize(v) for v in r) for r in got]
    return any([r[j] for r in cand] == values for j in range(len(cand[0])))


def results_match(expected: list[tuple], got: list[tuple], *, ordered: bool) -> tuple[bool, str]:
    """(match, why not) under the rule in the module docstring."""
    if len(expected) == 1 and 1 < len(got) == len(expected[0]) and _across_is_down(expected[0], got):
        return True, ""
    if len(expected) != len(got):
        return False, f"{len(got)} rows, expected {len(expected)}"
    if not expected:
        return True, ""
    exp = [tuple(normalize(v) for v in r) for r in expected]
    cand = [tuple(normalize(v) for v in r) for r in got]
    n_exp, n_got = len(exp[0]), len(cand[0])
    if n_got < n_exp:
        return False, f"{n_got} columns, expected at least {n_exp}"

    def column(rows: list[tuple], i: int) -> list[Any]:
        return [r[i] for r in rows]

    def key(xs: list[Any]) -> list[str]:
        return sorted(repr(x) for x in xs)

    options = []
    for i in range(n_exp):
        e_col = column(exp, i)
        fits = [
            j
            for j in range(n_got)
            if (column(cand, j) == e_col if ordered else key(column(cand, j)) == key(e_col))
        ]
        if not fits:
            return False, f"no column matches expected column {i + 1} ({e_col[:3]}...)"
        options.append(fits)
    target = exp if ordered else Counter(exp)

    def search(i: int, used: tuple[int, ...]) -> bool:
        if i == n_exp:
            proj = [tuple(r[j] for j in used) for r in cand]
            return proj == target if ordered else Counter(proj) == target
        return any(search(i + 1, used + (j,)) for j in options[i] if j not in used)

    if search(0, ()):
        return True, ""
    return False, "columns match one by one but not as rows"


def render_text(report: Report, verbose: bool = True) -> str:
    lines = []
    if verbose:
        for o in report.outcomes:
            mark = {"correct": "ok     ", "refused": "REFUSED", "wrong": "WRONG  "}[o.verdict]
            lines.append(f"{mark} {o.id:<6} {1000 * o.translate_s:7.1f} ms  {o.question}")
            if o.verdict != "correct" and o.detail:
                lines.append(f"        {o.detail[:200]}")
    n = len(report.outcomes)
    lines.append("")
    lines.append(
        f"backend {report.backend}: {n} questions; correct {report.count('correct')} "
        f"({100 * report.share('correct'):.1f}%), refused {report.count('refused')} "
        f"({100 * report.share('refused'):.1f}%), wrong {report.count('wrong')} "
        f"({100 * report.share('wrong'):.1f}%)"
    )
    lines.append(
        f"translation: mean {1000 * report.latency():.1f} ms, p95 {1000 * report.latency(95):.1f} ms"
    )
    paths = report.by_path()
    if len(paths) > 1 or report.backend.startswith("auto"):
        for path, row in paths.items():
            lines.append(
                f"  answered by {path}: {row['questions']} questions, correct {row['correct']} "
                f"({row['correct_pct']:.1f}%), refused {row['refused']}, wrong {row['wrong']}"
            )
    model = report.model_summary()
    if model["calls"]:
        tokens = (f", {model['prompt_tokens_per_call']:.0f} prompt + {model['completion_tokens_per_call']:.0f} "
                  "completion tokens per call" if model["prompt_tokens_per_call"] is not None else "")
        lines.append(
            f"model: {model['questions']} questions, {model['calls']} calls, {model['repairs']} repairs, "
            f"{model['seconds_per_question']:.2f} s per question{tokens}"
        )
    for fam, c in sorted(report.by_family().items()):
        lines.append(
            f"  {fam:<16} correct {c['correct']:>3}  refused {c['refused']:>3}  wrong {c['wrong']:>3}"
        )
    return "\n".join(lines)
