"""Saved queries: reviewed questions and their SQL, one human-editable `.sql` file each, re-run on new data.

A file is SQL under a small comment header (`-- name:`, `-- question:`, `-- description:`, `-- source:`,
`-- created:`, `-- params: days=28, team=`). The user's folder (`queries_dir`) holds the team's queries,
ready for git and review; the starter library ships inside the package (`assistant/starter_queries/`),
and a user query overrides a starter query of the same name. Saved queries also feed the model as
few-shot examples, picked by a deterministic lexical similarity (TF-IDF over stemmed words).
"""

from __future__ import annotations

import difflib
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import Settings, home_dir
from assistant.errors import AssistantError, ExitCode, GuardError, QueryError, QueryStopped

if TYPE_CHECKING:
    from assistant.contracts import Answer, SqlRunner

HEADER_KEYS = ("name", "question", "description", "source", "created", "params")
STARTER_PACKAGE = "assistant.saved.starter_queries"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HEADER_LINE = re.compile(r"^--\s*([A-Za-z_]+)\s*:(.*)$")
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INT = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


class SavedQueryError(AssistantError):
    """A saved query is missing, badly named, malformed, or no longer fits the database."""

    exit_code = ExitCode.USAGE
    kind = "saved_query"


@dataclass(frozen=True)
class SavedQuery:
    name: str
    question: str
    sql: str
    description: str | None = None
    source: str = "human"  # a model name, "offline" or "human"
    created: str | None = None  # ISO 8601, UTC
    params: dict[str, str] = field(default_factory=dict)  # name -> default value, as written
    path: Path | None = None
    starter: bool = False

    def to_text(self) -> str:
        """The file contents: the comment header, then the SQL."""
        lines = [f"-- name: {self.name}", f"-- question: {_one_line(self.question)}"]
        if self.description:
            lines.append(f"-- description: {_one_line(self.description)}")
        lines.append(f"-- source: {_one_line(self.source)}")
        if self.created:
            lines.append(f"-- created: {self.created}")
        if self.params:
            lines.append("-- params: " + ", ".join(f"{k}={v}" for k, v in self.params.items()))
        return "\n".join(lines) + "\n" + self.sql.strip().rstrip(";").rstrip() + "\n"

    @property
    def where(self) -> str:
        """How to refer to the file in a message."""
        if self.path is None:
            return f"saved query '{self.name}'"
        return f"{self.path}" + (" (starter library)" if self.starter else "")


# --- storage ---------------------------------------------------------------------------------------
def queries_dir(settings: Settings) -> Path:
    """The folder of the user's saved queries: `--queries`/`CMA_QUERIES`/config, else `<home>/queries`."""
    return Path(settings.queries_dir) if settings.queries_dir else home_dir() / "queries"


def check_name(name: str) -> str:
    """Return `name` if it is a slug-safe query name, else raise SavedQueryError with a suggestion."""
    if _NAME.match(name):
        return name
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")[:64]
    hint = f"Try '{slug}'." if slug and _NAME.match(slug) else "For example: team-adoption."
    raise SavedQueryError(
        f"'{name}' is not a valid query name: use lower-case letters, digits, '-' and '_' (at most 64, "
        "starting with a letter or digit)",
        hint=hint,
    )


def save_query(
    settings: Settings,
    name: str,
    question: str,
    sql: str,
    *,
    description: str | None = None,
    source: str,
    params: dict[str, str] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write one query file into the user's folder and return its path."""
    check_name(name)
    if not sql.strip():
        raise SavedQueryError("There is no SQL to save.", hint="Ask a question first, then save it.")
    folder = queries_dir(settings)
    path = folder / f"{name}.sql"
    if path.exists() and not overwrite:
        raise SavedQueryError(
            f"A saved query named '{name}' already exists: {path}",
            hint="Pick another name, or overwrite it (--force).",
        )
    query = SavedQuery(
        name, question.strip(), sql, description, _source(source), _now(), dict(params or {}), path
    )
    text = query.to_text()
    parse_query_text(text, path)  # what we write must read back
    tmp = path.with_suffix(".sql.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as e:
        raise SavedQueryError(
            f"Cannot write {path}: {e}", hint="Check the folder (--queries DIR or CMA_QUERIES)."
        ) from e
    return path


def load_query(settings: Settings, name: str) -> SavedQuery:
    """The query called `name`: the user's file if there is one, else the starter library's."""
    check_name(name)
    path = queries_dir(settings) / f"{name}.sql"
    if path.is_file():
        return read_query_file(path)
    starter = _starter_files().get(name)
    if starter is not None:
        return parse_query_text(starter[1], starter[0], starter=True)
    names = sorted({q.name for q in list_queries(settings)})
    near = difflib.get_close_matches(name, names, n=1)
    raise SavedQueryError(
        f"No saved query named '{name}' (looked in {queries_dir(settings)} and the starter library).",
        hint=f"Did you mean '{near[0]}'?" if near else "List them: cma queries list",
    )


def list_queries(settings: Settings) -> list[SavedQuery]:
    """Yours and the starter library by name (yours hide a starter of the same name); broken files skipped."""
    return scan_queries(settings)[0]


def scan_queries(settings: Settings) -> tuple[list[SavedQuery], list[SavedQueryError]]:
    """All readable queries by name, and an error for each user file that cannot be read."""
    found: dict[str, SavedQuery] = {}
    for name, (path, text) in _starter_files().items():
        found[name] = parse_query_text(text, path, starter=True)
    errors: list[SavedQueryError] = []
    folder = queries_dir(settings)
    if folder.is_dir():
        for path in sorted(folder.glob("*.sql")):
            try:
                found[path.stem] = read_query_file(path)
            except SavedQueryError as e:
                errors.append(e)
    return [found[n] for n in sorted(found)], errors


def remove_query(settings: Settings, name: str) -> Path:
    """Delete the user's query file `name` and return its path (starter queries cannot be removed)."""
    check_name(name)
    path = queries_dir(settings) / f"{name}.sql"
    if path.is_file():
        path.unlink()
        return path
    if name in _starter_files():
        raise SavedQueryError(
            f"'{name}' is a starter query shipped with cma; it cannot be removed.",
            hint=f"Save a query named '{name}' to replace it with your own.",
        )
    load_query(settings, name)  # raises "No saved query named ..." with a suggestion
    raise AssertionError("unreachable")


def read_query_file(path: Path) -> SavedQuery:
    """Parse one query file; a problem names the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # an editor's BOM must not hide the header
    except (OSError, UnicodeDecodeError) as e:
        raise SavedQueryError(f"{path}: cannot read the query file: {e}") from e
    return parse_query_text(text, path)


def parse_query_text(text: str, path: Path, *, starter: bool = False) -> SavedQuery:
    """Parse the comment header and the SQL of a query file."""
    lines = text.splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            break
        key, value = m.group(1).lower(), m.group(2).strip()
        if key not in HEADER_KEYS:
            near = difflib.get_close_matches(key, HEADER_KEYS, n=1)
            raise _bad_file(
                path,
                f"unknown header key '{key}' on line {i + 1}",
                f"Did you mean '-- {near[0]}:'?" if near else None,
            )
        if key in header:
            raise _bad_file(path, f"header key '{key}' appears twice (line {i + 1})")
        header[key] = value
        i += 1
    sql = "\n".join(lines[i:]).strip().rstrip(";").rstrip()
    name = header.get("name") or path.stem
    if name != path.stem:
        raise _bad_file(
            path,
            f"the header says '-- name: {name}' but the file is {path.name}",
            f"Rename the file to {name}.sql or change the header to '-- name: {path.stem}'.",
        )
    if not _NAME.match(name):
        raise _bad_file(path, f"'{name}' is not a valid query name (lower-case letters, digits, '-' and '_')")
    if not header.get("question"):
        raise _bad_file(path, "the header has no '-- question:' line")
    if not sql:
        raise _bad_file(path, "there is no SQL below the header")
    return SavedQuery(
        name,
        header["question"],
        sql,
        header.get("description") or None,
        header.get("source") or "human",
        header.get("created") or None,
        _parse_params(header.get("params", ""), path),
        path,
        starter,
    )


def _parse_params(text: str, path: Path) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, eq, default = item.partition("=")
        name = name.strip()
        if not eq or not _PARAM_NAME.match(name):
            raise _bad_file(
                path,
                f"bad parameter '{item}' in '-- params:'",
                "Write parameters as name=default, separated by commas: '-- params: days=28, team='.",
            )
        params[name] = default.strip()
    return params


def _bad_file(path: Path, problem: str, hint: str | None = None) -> SavedQueryError:
    return SavedQueryError(
        f"{path}: {problem}", hint=hint or f"Edit {path} (see `cma queries show` for the format)."
    )


def _starter_files() -> dict[str, tuple[Path, str]]:
    """The starter library shipped in the package: name -> (path, text)."""
    out: dict[str, tuple[Path, str]] = {}
    for entry in resources.files(STARTER_PACKAGE).iterdir():
        if entry.name.endswith(".sql"):
            out[entry.name[:-4]] = (Path(str(entry)), entry.read_text(encoding="utf-8"))
    return dict(sorted(out.items()))


def _source(backend: str) -> str:
    """Who wrote the SQL, from a backend name: 'llm:gpt-4.1' -> 'gpt-4.1', typed SQL -> 'human'."""
    if backend.startswith("llm:"):
        return backend[4:] or "model"
    if backend == "sql" or backend.startswith("saved:"):
        return "human"
    return "offline" if backend.startswith("offline") else backend


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- parameters ------------------------------------------------------------------------------------
def parse_param_args(items: list[str]) -> dict[str, str]:
    """`["days=7", "team=platform"]` -> {"days": "7", "team": "platform"}."""
    out: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not _PARAM_NAME.match(name.strip()):
            raise SavedQueryError(
                f"Bad parameter '{item}'.", hint="Write --param name=value, e.g. --param days=7."
            )
        out[name.strip()] = value.strip()
    return out


def bind_params(query: SavedQuery, overrides: dict[str, str]) -> str:
    """The SQL with every `:name` replaced by a literal: numbers stay numbers, text is quoted and escaped."""
    unknown = sorted(set(overrides) - set(query.params))
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(query.params), n=1)
        known = ", ".join(query.params) or "none"
        raise SavedQueryError(
            f"Query '{query.name}' has no parameter '{unknown[0]}' (its parameters: {known}).",
            hint=f"Did you mean '{near[0]}'?" if near else f"See them: cma queries show {query.name}",
        )
    values = {**query.params, **overrides}
    pieces: list[str] = []
    last = 0
    for start, end, name in _placeholders(query.sql):
        if name not in values:
            raise SavedQueryError(
                f"{query.where}: the SQL uses :{name} but the header declares no such parameter",
                hint=f"Add '{name}=DEFAULT' to the '-- params:' line of {query.where}.",
            )
        pieces += [query.sql[last:start], _literal(query, name, values[name])]
        last = end
    pieces.append(query.sql[last:])
    return "".join(pieces)


def _placeholders(sql: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each `:name` outside strings and comments; `::` casts and `a[1:n]` are not."""
    from sqlglot import tokenize
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    try:
        tokens = tokenize(sql, read="duckdb")
    except TokenError as e:
        raise QueryError(f"Cannot read the SQL: {e}") from e
    glued = {
        TokenType.NUMBER,
        TokenType.VAR,
        TokenType.STRING,
        TokenType.IDENTIFIER,
        TokenType.R_BRACKET,
        TokenType.L_BRACKET,
        TokenType.R_PAREN,
    }
    found = []
    for k, tok in enumerate(tokens[:-1]):
        nxt = tokens[k + 1]
        if tok.token_type != TokenType.COLON or nxt.start != tok.end + 1 or not _PARAM_NAME.match(nxt.text):
            continue
        prev = tokens[k - 1] if k else None
        if prev is not None and prev.end + 1 == tok.start and prev.token_type in glued:
            continue  # `a[1:n]`, `a[:n]`, `{'k':v}`: a slice bound or struct value, not a parameter
        found.append((tok.start, nxt.end + 1, nxt.text))
    return found


def _literal(query: SavedQuery, name: str, value: str) -> str:
    """A SQL literal for `value`, typed like the default: a number stays a number, else quoted text."""
    default = query.params.get(name, "")
    if _INT.match(default) or _DECIMAL.match(default):
        if _INT.match(value):
            return str(int(value))
        if _DECIMAL.match(value):
            return value
        raise SavedQueryError(
            f"Parameter '{name}' of '{query.name}' takes a number (default {default}), not '{value}'.",
            hint=f"For example: --param {name}={default}",
        )
    return "'" + value.replace("'", "''") + "'"


# --- running ---------------------------------------------------------------------------------------
def run_saved(session: "SqlRunner", query: SavedQuery, overrides: dict[str, str] | None = None) -> "Answer":
    """Re-run a saved query on the current data through the guard and the limits; no model involved."""
    sql = bind_params(query, overrides or {})
    try:
        return session.run_sql(sql, question=query.question, backend=f"saved:{query.name}")
    except (GuardError, QueryError) as e:
        missing = _missing_name(e.message)
        if missing is None:
            if isinstance(e, QueryStopped):
                raise
            raise type(e)(
                f"Saved query '{query.name}' ({query.where}) failed: {e.message}",
                hint=f"{e.hint + ' ' if e.hint else ''}Edit {query.path or 'the query file'} to fix it.",
            ) from e
        raise SavedQueryError(
            f"Saved query '{query.name}' no longer fits the database: {missing} ({query.where})."
            f"\n{e.message}",
            hint=(
                f"Edit {query.path} to use the current tables and columns (see `cma schema`)."
                + (f" {e.hint}" if e.hint else "")
            ),
        ) from e


_MISSING = (
    (re.compile(r'(?:Referenced column|column named) "([^"]+)"'), "unknown column '{}'"),
    (re.compile(r"unknown table '([^']+)'"), "unknown table '{}'"),
    (re.compile(r"Table with name (\S+) does not exist"), "unknown table '{}'"),
)


def _missing_name(message: str) -> str | None:
    for pattern, template in _MISSING:
        m = pattern.search(message)
        if m:
            return template.format(m.group(1))
    return None


_FIXED_DATE = re.compile(r"(?i)\b(?:DATE|TIMESTAMP)\s*'(\d{4}-\d{2}-\d{2})")


def fixed_dates(query: SavedQuery) -> list[str]:
    """The date literals in the SQL: a window pinned to them stays put when the query re-runs on new data."""
    return sorted(set(_FIXED_DATE.findall(query.sql)))


def export_query(query: SavedQuery, dialect: str, overrides: dict[str, str] | None = None) -> str:
    """The query transpiled from DuckDB to another warehouse's dialect, with a note on the tables it needs."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    sql = bind_params(query, overrides or {})
    warnings = _SqlglotWarnings()
    logger = logging.getLogger("sqlglot")
    logger.addHandler(warnings)
    propagate, logger.propagate = logger.propagate, False  # the warnings go into the output, not stderr
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
        out = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
    except SqlglotError as e:
        raise SavedQueryError(
            f"Cannot translate '{query.name}' to {dialect}: {e}", hint=f"Edit {query.where}."
        ) from e
    finally:
        logger.removeHandler(warnings)
        logger.propagate = propagate
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    tables = sorted({t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes})
    notes = "".join(f"-- Check by hand: {_one_line(m)}\n" for m in dict.fromkeys(warnings.messages))
    return (
        f"-- {query.name}: {_one_line(query.question)}\n"
        f"-- Translated from DuckDB to {dialect} by cma. The tables ({', '.join(tables)}) must exist in\n"
        "-- your warehouse with the same columns (see `cma schema`); relative windows are anchored at the\n"
        "-- latest day in user_daily.\n" + notes + out + ";\n"
    )


class _SqlglotWarnings(logging.Handler):
    """Collects what sqlglot says it could not translate."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# --- similarity and few-shot examples --------------------------------------------------------------
_STOP = frozenset(
    "a an and are as at be by did do does for from have how i in is it its me my of on or our over per show "
    "tell than that the their them there these this those to us was we were what when where which who whom "
    "why will with you your give list get".split()
)


def tokens(text: str) -> list[str]:
    """Lower-case, stop words out, crude stemming: 'Teams adopting' -> ['team', 'adopt']."""
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP]


_SUFFIXES = (
    ("ations", ""),
    ("ation", ""),
    ("ies", "y"),
    ("ances", ""),
    ("ance", ""),
    ("ences", ""),
    ("ence", ""),
    ("ions", ""),
    ("ion", ""),
    ("ings", ""),
    ("ing", ""),
    ("ed", ""),
    ("ily", "y"),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


def _stem(word: str) -> str:
    """A crude, consistent stem: 'lines'/'line' -> 'lin', 'adoption'/'adopting' -> 'adopt', z -> s."""
    word = word.replace("iz", "is")
    for suffix, repl in _SUFFIXES:
        if (
            word.endswith(suffix)
            and len(word) - len(suffix) >= 2
            and not (suffix == "s" and word.endswith("ss"))
        ):
            word = word[: len(word) - len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) >= 3 else word


def similar_queries(settings: Settings, question: str, k: int = 5) -> list[SavedQuery]:
    """The `k` saved queries whose question (and name, description) is closest to `question`, best first."""
    queries = list_queries(settings)
    docs = [
        Counter(tokens(q.question) * 2 + tokens(q.name.replace("-", " ")) + tokens(q.description or ""))
        for q in queries
    ]
    n = len(docs)
    df = Counter(t for d in docs for t in d)
    idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}

    def vec(counts: Counter[str]) -> dict[str, float]:
        v = {t: c * idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    qv = vec(Counter(tokens(question)))
    scored = [
        (sum(w * dv.get(t, 0.0) for t, w in qv.items()), q.name, q)
        for q, dv in zip(queries, (vec(d) for d in docs), strict=True)
    ]
    ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-round(s[0], 9), s[1]))
    return [q for _, _, q in ranked[:k]]


def few_shot_examples(settings: Settings, question: str, k: int = 5) -> list[tuple[str, str]]:
    """(question, SQL) pairs from the most similar saved queries, parameters bound to their defaults."""
    out: list[tuple[str, str]] = []
    for q in similar_queries(settings, question, k=k):
        try:
            out.append((q.question, bind_params(q, {})))
        except (SavedQueryError, QueryError):
            continue  # a query that cannot be bound teaches nothing
    return out
