"""Saved query files: one human-editable `.sql` file per query, a small comment header above the SQL.

The header holds `-- name:`, `-- question:`, `-- description:`, `-- source:`, `-- created:` and
`-- params: days=28, team=`. The user's folder (`queries_dir`) holds the team's queries, ready for git and
review; the starter library ships inside the package (`assistant/saved/starter_queries/`), and a user
query overrides a starter query of the same name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from assistant.config import Settings, home_dir
from assistant.errors import AssistantError, ExitCode

if TYPE_CHECKING:
    pass

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
    check: Callable[[SavedQuery], None] | None = None,
) -> Path:
    """Write one query file into the user's folder and return its path (after `check`, if given, passes)."""
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
    if name in _starter_files() and not overwrite:
        raise SavedQueryError(
            f"'{name}' is a starter query; saving under that name would hide it.",
            hint="Pick another name, or pass --force to replace it with yours.",
        )
    query = SavedQuery(
        name, question.strip(), sql, description, _source(source), _now(), dict(params or {}), path
    )
    if check is not None:
        check(query)
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
