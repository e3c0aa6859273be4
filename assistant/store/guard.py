"""The SQL guard: allow one read-only SELECT over known tables, refuse everything else.

This is one layer of three. The others are the read-only DuckDB connection with external access
off and configuration locked, and the time limit and row cap (both in `query.py`). Either the guard
or the connection alone stops a write or a file read; together they give the model a clear reason.

The checks walk the sqlglot tree and tokens (DuckDB dialect), never the raw text: one statement; a
SELECT-family root; no DDL, DML or session node anywhere (a `DELETE ... RETURNING` hides inside a
CTE); every table a CTE or an allowed table; table functions only from a short allow-list; no
function from the deny-list of file, network, catalog and settings readers, matched both on the tree
and on every `name(` in the token stream, so a name sqlglot maps to another function cannot slip by.
"""

from __future__ import annotations

import difflib
import fnmatch
import logging
from collections.abc import Collection, Iterator, Sequence

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

from assistant.errors import GuardError

__all__ = ["check_sql", "DENIED_FUNCTIONS", "TABLE_FUNCTIONS"]

_DUCKDB = Dialect.get_or_raise("duckdb")

# sqlglot logs a warning whenever it falls back to exp.Command; the guard refuses those with its own
# message, so keep sqlglot's off stderr unless the application configures logging.
logging.getLogger("sqlglot").addHandler(logging.NullHandler())

_REPAIR_HINT = "The generated SQL was refused before it ran; ask again or edit the SQL."
_READ_ONLY_HINT = "The assistant only reads the loaded tables; it never changes the database."
_SCHEMA_HINT = "See the tables with /schema (or `cma schema`)."

_KEYWORDS = {"truncatetable": "TRUNCATE", "transaction": "BEGIN", "loaddata": "LOAD DATA"}
_QUERY_ROOTS = (exp.Select, exp.SetOperation, exp.Subquery, exp.Pivot)

# Statement-like nodes refused anywhere in the tree. exp.DDL and exp.DML cover Create, Insert,
# Update, Delete, Merge and Copy; Command is sqlglot's fallback for what it does not parse (CALL,
# LOAD, RESET, VACUUM, ...). Describe, Summarize and Show are harmless but outside the contract.
_DENIED_NODES: tuple[type[exp.Expr], ...] = (
    exp.DDL, exp.DML, exp.Drop, exp.Alter, exp.TruncateTable, exp.Attach, exp.Detach, exp.Install,
    exp.LoadData, exp.Pragma, exp.Set, exp.Command, exp.Use, exp.Transaction, exp.Commit,
    exp.Rollback, exp.Describe, exp.Summarize, exp.Show, exp.Into, exp.Returning, exp.Lock,
    exp.Analyze, exp.Cache, exp.Uncache, exp.Refresh, exp.Grant, exp.Revoke, exp.Comment,
    exp.Kill, exp.Export, exp.Execute, exp.Declare,
)  # fmt: skip

# The only functions that may stand where a table does (FROM, JOIN, LATERAL). Anything else there,
# e.g. query_table('t'), histogram(t, col) or enable_logging(), could name a table by string or
# change engine state.
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})

# Functions refused anywhere, as fnmatch patterns over lower-case names: readers of files, URLs and
# other databases; catalog, settings and secret introspection; SQL-in-a-string; state changers that
# DuckDB exposes as table functions; sleep.
DENIED_FUNCTIONS: tuple[str, ...] = (
    "read_*", "*_scan", "*_scan_*", "glob", "sniff_csv", "parquet_*", "iceberg_*", "delta_*",
    "ducklake_*", "sqlite_*", "postgres_*", "mysql_*", "*_attach", "st_read*", "from_substrait*",
    "http_*", "httpfs*", "url", "system", "shell", "getenv", "current_setting", "duckdb_*",
    "pragma_*", "*secret*", "*credential*", "query", "query_table", "json_execute_serialized_sql",
    "checkpoint", "force_checkpoint", "enable_*", "disable_*", "truncate_*", "write_*", "load_*",
    "install_*", "copy_*", "import_*", "export_*", "*external_resource*", "*grammar_extension*",
    "python_*", "pandas_*", "arrow_*", "start_ui*", "stop_ui*", "sleep_ms", "pg_sleep",
)  # fmt: skip

# Resource caps the guard can see in the text: the statement's size, its set operations (thousands
# of UNION arms take gigabytes to plan), and sizes written as constants: rows of a range() in FROM,
# elements of a range() list, characters of repeat() and lpad()/rpad(), elements of list_resize().
# What slips by as a computed size meets the worker's memory cap and deadline (`worker.py`).
MAX_SQL_CHARS = 20_000
MAX_SET_OPERATIONS = 64
MAX_RANGE_ROWS = 10_000_000
MAX_LIST_ELEMENTS = 1_000_000
_SIZE_ARGUMENTS = {"repeat": "times", "pad": "expression"}
_RESIZERS = frozenset({"list_resize", "array_resize"})

_STRING_TOKENS = frozenset(t for t in TokenType if t.name.endswith("STRING"))
_PATH_CHARS = frozenset("/\\:.*?~")


def check_sql(sql: str, allowed_tables: Collection[str]) -> str:
    """Return `sql` without surrounding space or trailing `;` if allowed, else raise GuardError."""
    known = frozenset(t.lower() for t in allowed_tables)
    _check_size(sql)
    tokens = _tokenize(sql)
    tree = _parse_one(sql, tokens)
    _check_nodes(tree)
    _check_root(tree)
    _check_called_names(tokens, known)
    _check_functions(tree, known)
    _check_tables(tree, known)
    _check_bombs(tree)
    return _trimmed(sql, tokens)


def _check_size(sql: str) -> None:
    """Refuse a statement longer than MAX_SQL_CHARS."""
    if len(sql) > MAX_SQL_CHARS:
        raise GuardError(
            f"the SQL is {len(sql):,} characters long; the limit is {MAX_SQL_CHARS:,}",
            hint="Ask a narrower question, or aggregate in fewer steps.",
        )


def _tokenize(sql: str) -> list[Token]:
    """Return the DuckDB-dialect tokens of `sql`, or raise GuardError."""
    try:
        tokens = _DUCKDB.tokenize(sql)
    except Exception as e:  # fail closed: whatever sqlglot cannot read is refused
        raise GuardError(f"could not parse: {e}", hint=_REPAIR_HINT) from e
    if not any(t.token_type != TokenType.SEMICOLON for t in tokens):
        raise GuardError("no SQL statement found; send one SELECT query", hint=_REPAIR_HINT)
    return tokens


def _parse_one(sql: str, tokens: list[Token]) -> exp.Expr:
    """Return the single statement in `tokens`, or raise GuardError."""
    try:
        parsed = _DUCKDB.parser().parse(tokens, sql)
    except ParseError as e:
        raise GuardError(f"could not parse: {_parse_error_text(e)}", hint=_REPAIR_HINT) from e
    except Exception as e:  # fail closed, as above
        raise GuardError(f"could not parse: {e}", hint=_REPAIR_HINT) from e
    # A trailing `;` or a comment after it parses as None or an empty exp.Semicolon.
    statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    if len(statements) != 1:
        raise GuardError(
            f"expected exactly one SELECT statement, got {len(statements)}; "
            "send a single query with no ';' between statements",
            hint=_READ_ONLY_HINT,
        )
    return statements[0]


def _parse_error_text(error: ParseError) -> str:
    """Return sqlglot's first parse error as one plain line (no terminal escape codes)."""
    if not error.errors:
        return str(error).splitlines()[0]
    first = error.errors[0]
    where = f" (line {first.get('line')}, column {first.get('col')}"
    near = first.get("highlight")
    return f"{first.get('description')}{where}{f', near {near!r}' if near else ''})"


def _check_nodes(tree: exp.Expr) -> None:
    """Refuse any statement-like node (DDL, DML, session or transaction control) anywhere in the tree."""
    for node in tree.walk():
        if isinstance(node, _DENIED_NODES):
            where = "" if node is tree else " inside the query"
            raise GuardError(
                f"{_describe(node)} is not allowed{where}; only a read-only SELECT may run",
                hint=_READ_ONLY_HINT,
            )


def _check_root(tree: exp.Expr) -> None:
    """Refuse a statement whose root is not a SELECT, set operation, subquery or PIVOT."""
    if not isinstance(tree, _QUERY_ROOTS):
        raise GuardError(f"only SELECT queries are allowed, not {_describe(tree)}", hint=_READ_ONLY_HINT)


def _describe(node: exp.Expr) -> str:
    """Return a short SQL-ish name for a node, e.g. DELETE, CREATE TABLE or CALL."""
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Create):
        return f"CREATE {node.args.get('kind') or ''}".strip()
    if isinstance(node, (exp.Column, exp.Identifier)):
        return f"the bare word {node.sql(_DUCKDB)!r}"
    return _KEYWORDS.get(node.key, node.key.upper())


def _check_called_names(tokens: Sequence[Token], known: frozenset[str]) -> None:
    """Refuse any denied name written before `(`, whatever sqlglot later makes of it."""
    for name in _called_names(tokens):
        if name not in known and _is_denied(name):
            raise _denied_function(name)


def _called_names(tokens: Sequence[Token]) -> Iterator[str]:
    """Yield the lower-case text of every non-string token followed by an opening parenthesis."""
    for token, following in zip(tokens, tokens[1:], strict=False):
        if following.token_type == TokenType.L_PAREN and token.token_type not in _STRING_TOKENS:
            yield token.text.lower()


def _check_functions(tree: exp.Expr, known: frozenset[str]) -> None:
    """Refuse denied functions anywhere and table functions outside the allow-list."""
    for func in tree.find_all(exp.Func):
        names = _function_names(func)
        if _is_table_source(func):
            name = names[0]
            if name not in TABLE_FUNCTIONS and name not in known:
                raise GuardError(
                    f"table function {name}() is not allowed; in FROM use the tables "
                    f"({_listing(known)}), a CTE, range(), generate_series() or unnest()",
                    hint=_SCHEMA_HINT,
                )
        for name in names:
            if name not in known and _is_denied(name):
                raise _denied_function(name)


def _function_names(func: exp.Func) -> list[str]:
    """Return the lower-case names a function node may stand for, the written one first."""
    if isinstance(func, exp.Anonymous):
        return [func.name.lower()]
    return [func.sql_name().lower(), *(n.lower() for n in type(func).sql_names())]


def _is_table_source(func: exp.Func) -> bool:
    """Return whether the function stands where a table does (FROM, JOIN or LATERAL)."""
    return isinstance(func.parent, (exp.Table, exp.Lateral)) and func.arg_key == "this"


def _is_denied(name: str) -> bool:
    """Return whether a lower-case function name matches the deny-list."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DENIED_FUNCTIONS)


def _denied_function(name: str) -> GuardError:
    """Return the error for a function on the deny-list."""
    return GuardError(
        f"function {name}() is not allowed: it can read files, the network or engine state; "
        "query only the loaded tables",
        hint=_READ_ONLY_HINT,
    )


def _check_tables(tree: exp.Expr, known: frozenset[str]) -> None:
    """Refuse any table that is neither a CTE in scope at that point nor an allowed table."""
    for table, ctes in _table_references(tree, frozenset()):
        if isinstance(table.this, exp.Func):
            continue  # a table function, checked by _check_functions
        if not isinstance(table.this, exp.Identifier):
            raise GuardError(f"unsupported table source {table.sql(_DUCKDB)!r}", hint=_SCHEMA_HINT)
        _check_table(table, known, ctes)


def _table_references(node: exp.Expr, ctes: frozenset[str]) -> Iterator[tuple[exp.Table, frozenset[str]]]:
    """Yield every table reference with the CTE names visible where it stands, scoped as DuckDB binds them.

    A CTE is visible to the CTEs after it in its WITH and to the query that WITH belongs to (and the
    subqueries nested in it), never to itself, earlier CTEs or anything outside; under RECURSIVE, its
    own name is visible only in the recursive arm of its UNION.
    """
    if isinstance(node, exp.Table):
        yield node, ctes
    with_ = node.args.get("with_")
    inner = ctes
    if isinstance(with_, exp.With):
        for cte in with_.expressions:
            name = _identifier_name(cte.alias, "CTE")
            yield from _cte_references(cte, inner, name, bool(with_.args.get("recursive")))
            inner = inner | {name}
    for child in node.iter_expressions():
        if child is not with_:
            yield from _table_references(child, inner)


def _cte_references(cte: exp.CTE, ctes: frozenset[str], name: str, recursive: bool) -> Iterator[
        tuple[exp.Table, frozenset[str]]]:
    """Yield the table references of one CTE body; a recursive CTE sees itself in its recursive arm only."""
    body = cte.this
    if recursive and isinstance(body, exp.Union) and not body.args.get("with_"):
        yield from _table_references(body.this, ctes)
        yield from _table_references(body.expression, ctes | {name})
        return
    yield from _table_references(body, ctes)


def _identifier_name(text: str, what: str) -> str:
    """Return a table or CTE name lower-cased the way DuckDB compares it (ASCII only), else raise GuardError."""
    if not text.isascii():
        raise GuardError(
            f"{what} name {text!r} has non-ASCII characters; name tables and CTEs with ASCII letters only",
            hint=_REPAIR_HINT,
        )
    return text.lower()


def _check_table(table: exp.Table, known: frozenset[str], ctes: frozenset[str]) -> None:
    """Refuse one table reference unless it names a CTE in scope or an allowed table in the main schema."""
    if _PATH_CHARS & set(table.name):
        raise GuardError(
            f"{table.name!r} looks like a file path or URL; only the loaded tables can be queried "
            f"({_listing(known)})",
            hint=_READ_ONLY_HINT,
        )
    name = _identifier_name(table.name, "table")
    qualifiers = [_identifier_name(part, "schema") for part in (table.catalog, table.db) if part]
    if ".".join([*qualifiers, name]) in known:
        return  # explicitly allowed, e.g. "information_schema.tables"
    if qualifiers and qualifiers != ["main"]:
        raise GuardError(
            f"table {'.'.join([*qualifiers, name])!r} is outside the loaded data; "
            f"use a bare table name ({_listing(known)})",
            hint=_SCHEMA_HINT,
        )
    if name in known or (not qualifiers and name in ctes):
        return
    raise GuardError(f"unknown table {table.name!r}{_suggestion(name, known)}", hint=_SCHEMA_HINT)


def _check_bombs(tree: exp.Expr) -> None:
    """Refuse too many set operations and constant sizes over the caps (rows, list elements, characters)."""
    set_operations = sum(1 for _ in tree.find_all(exp.SetOperation))
    if set_operations > MAX_SET_OPERATIONS:
        raise _too_big(f"{set_operations:,} UNION/INTERSECT/EXCEPT operations", MAX_SET_OPERATIONS)
    for func in tree.find_all(exp.Func):
        if isinstance(func, exp.GenerateSeries):
            _check_series(func)
        elif func.key in _SIZE_ARGUMENTS:
            _check_count(func.args.get(_SIZE_ARGUMENTS[func.key]), f"{func.sql_name().lower()}()", MAX_LIST_ELEMENTS)
        elif isinstance(func, exp.Anonymous) and func.name.lower() in _RESIZERS and len(func.expressions) > 1:
            _check_count(func.expressions[1], f"{func.name.lower()}()", MAX_LIST_ELEMENTS)


def _check_series(func: exp.GenerateSeries) -> None:
    """Refuse a range()/generate_series() whose constant bounds give more rows or elements than the cap."""
    start, end = _constant(func.args.get("start")), _constant(func.args.get("end"))
    step = _constant(func.args.get("step")) if func.args.get("step") else 1
    if start is None or end is None or step is None:
        return
    count = abs(end - start) / max(abs(step), 1e-9)
    table = _is_table_source(func)
    cap = MAX_RANGE_ROWS if table else MAX_LIST_ELEMENTS
    if count > cap:
        raise _too_big(f"a range of {count:,.0f} {'rows' if table else 'elements'}", cap)


def _check_count(node: exp.Expr | None, what: str, cap: int) -> None:
    """Refuse a constant size argument over `cap`."""
    value = _constant(node)
    if value is not None and value > cap:
        raise _too_big(f"{what} of {value:,.0f}", cap)


def _constant(node: exp.Expr | None) -> float | None:
    """Return the value of a constant integer expression (literals, + - * / ** and casts), else None."""
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return float(node.this)
        except ValueError:
            return None
    if isinstance(node, (exp.Paren, exp.Cast, exp.TryCast)):
        return _constant(node.this)
    if isinstance(node, exp.Neg):
        inner = _constant(node.this)
        return None if inner is None else -inner
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.IntDiv, exp.Pow)):
        return _arithmetic(node, _constant(node.this), _constant(node.expression))
    return None


def _arithmetic(node: exp.Expr, left: float | None, right: float | None) -> float | None:
    """Return `left op right` for a constant arithmetic node, or None if either side is unknown."""
    if left is None or right is None:
        return None
    if isinstance(node, exp.Add):
        return left + right
    if isinstance(node, exp.Sub):
        return left - right
    if isinstance(node, exp.Mul):
        return left * right
    if isinstance(node, exp.Pow):
        return float("inf") if abs(right) > 64 else float(left**right)
    return left / right if right else None


def _too_big(what: str, cap: int) -> GuardError:
    """Return the error for a query over one of the resource caps."""
    return GuardError(
        f"{what} is over the limit of {cap:,}; aggregate instead of generating that much",
        hint="Ask a narrower question (fewer groups or a shorter date range).",
    )


def _suggestion(name: str, known: frozenset[str]) -> str:
    """Return "; did you mean 'x'? Tables you can query: ..." for an unknown table name."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    maybe = f"; did you mean {close[0]!r}?" if close else "."
    return f"{maybe} Tables you can query: {_listing(known)}"


def _listing(known: frozenset[str], limit: int = 20) -> str:
    """Return the allowed table names, sorted and capped, for an error message."""
    names = sorted(known)
    more = f", ... ({len(names) - limit} more)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more if names else "none loaded"


def _trimmed(sql: str, tokens: Sequence[Token]) -> str:
    """Return `sql` up to its last non-`;` token: no trailing semicolons, space or comments."""
    last = next(t for t in reversed(tokens) if t.token_type != TokenType.SEMICOLON)
    return sql[: last.end + 1].strip()
