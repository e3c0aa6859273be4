"""The SQL guard: allow one read-only SELECT over known tables, refuse everything else.

This is one layer of three. The others are the read-only DuckDB connection with external access
off and configuration locked, and the time limit and row cap (both in `query.py`); the engine's plan
check (`plan.py`) binds the statement independently. Either the guard or the connection alone stops a
write or a file read; together they give the model a clear reason.

The checks walk DuckDB's own parse tree of the statement (`json_serialize_sql`, the parser the engine
runs), never the raw text, so the guard cannot read a name, string or comment differently from the
engine: one statement; a SELECT root; no DDL, DML or session node anywhere (a `DELETE ... RETURNING`
hides inside a CTE); every table a CTE in scope or an allowed table; table functions only from a short
allow-list; no function from the deny-list of file, network, catalog and settings readers. The walk
fails closed: a node type, table reference, expression class or field it does not know is refused.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
import threading
from collections.abc import Collection, Iterable
from typing import Any

from assistant.errors import GuardError
from assistant.store.engine import duckdb  # the guard parses with DuckDB's own parser (query process, saving a query)

__all__ = ["check_sql", "DENIED_FUNCTIONS", "TABLE_FUNCTIONS"]

_REPAIR_HINT = "The generated SQL was refused before it ran; ask again or edit the SQL."
_READ_ONLY_HINT = "The assistant only reads the loaded tables; it never changes the database."
_SCHEMA_HINT = "See the tables with /schema (or `cma schema`)."
_ONLY_SELECT = "only SELECT queries are allowed here"

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

# Resource caps the guard can see in the tree: the statement's size, its set operations (thousands
# of UNION arms take gigabytes to plan), and sizes written as constants: rows of a range() in FROM,
# elements of a range() list, characters of repeat() and lpad()/rpad(), elements of list_resize().
# What slips by as a computed size meets the worker's memory cap and deadline (`worker.py`).
MAX_SQL_CHARS = 20_000
MAX_SET_OPERATIONS = 64
MAX_RANGE_ROWS = 10_000_000
MAX_LIST_ELEMENTS = 1_000_000
_SIZE_ARGUMENT = {"repeat": 1, "lpad": 1, "rpad": 1, "list_resize": 1, "array_resize": 1}
_SERIES = frozenset({"range", "generate_series"})

_PATH_CHARS = frozenset("/\\:.*?~")
_WORD = re.compile(r"[A-Za-z_]+")
_CREATE_SKIP = frozenset({"OR", "REPLACE", "TEMP", "TEMPORARY", "PERSISTENT", "UNIQUE", "IF", "NOT", "EXISTS"})
_SHOW_TYPES = {"DESCRIBE": "DESCRIBE", "SUMMARY": "SUMMARIZE", "SHOW": "SHOW", "SHOW_SPECIAL": "SHOW"}

# Every field of every node the walk knows, by node kind; a field outside these is refused.
_BASE = frozenset({"alias", "class", "type", "query_location", "query_location_length"})
_REF = frozenset({"type", "alias", "sample", "query_location", "query_location_length"})
_QUERY_FIELDS = {
    "SELECT_NODE": {"select_list", "from_table", "where_clause", "group_expressions", "group_sets",
                    "aggregate_handling", "having", "sample", "qualify"},
    "SET_OPERATION_NODE": {"setop_type", "setop_all", "left", "right", "children"},
    "RECURSIVE_CTE_NODE": {"cte_name", "union_all", "left", "right", "aliases", "key_targets"},
}  # fmt: skip
_REF_FIELDS = {
    "BASE_TABLE": {"schema_name", "table_name", "catalog_name", "column_name_alias", "at_clause", "qualified_name"},
    "JOIN": {"left", "right", "condition", "join_type", "ref_type", "using_columns", "delim_flipped",
             "duplicate_eliminated_columns", "is_implicit", "nearest_approx", "nearest_count", "nearest_order_type",
             "ranking_expression"},
    "SUBQUERY": {"subquery", "column_name_alias"},
    "TABLE_FUNCTION": {"function", "column_name_alias", "with_ordinality"},
    "EMPTY": set(),
    "EXPRESSION_LIST": {"values", "expected_names", "expected_types"},
    "PIVOT": {"source", "aggregates", "unpivot_names", "pivots", "groups", "column_name_alias", "include_nulls"},
}  # fmt: skip
_CALL_FIELDS = {"function_name", "schema", "catalog", "arguments", "qualified_name", "is_legacy_function_call"}
# per expression class: the fields that hold expressions, and the ones that hold only names, flags or values
_EXPR_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "CONSTANT": (set(), {"literal"}),
    "COLUMN_REF": (set(), {"column_names"}),
    "POSITIONAL_REFERENCE": (set(), {"index"}),
    "FUNCTION": ({"filter"}, {*_CALL_FIELDS, "order_bys", "distinct", "is_operator", "export_state"}),
    "WINDOW": ({"partitions", "start_expr", "end_expr", "offset_expr", "default_expr", "filter_expr"},
               {*_CALL_FIELDS, "orders", "arg_orders", "start", "end", "ignore_nulls", "has_ignore_nulls",
                "exclude_clause", "distinct"}),
    "CASE": ({"else_expr"}, {"case_checks"}),
    "CAST": ({"child", "type_expr"}, {"try_cast"}),
    "TYPE": ({"children"}, {"catalog", "schema", "type_name", "qualified_name"}),
    "COLLATE": ({"child"}, {"collation"}),
    "COMPARISON": ({"left", "right"}, set()),
    "CONJUNCTION": ({"children"}, set()),
    "OPERATOR": ({"children"}, set()),
    "BETWEEN": ({"input", "lower", "upper"}, set()),
    "STAR": ({"expr"}, {"relation_name", "exclude_list", "replace_list", "columns", "qualified_exclude_list",
                        "rename_list"}),
    "SUBQUERY": ({"child"}, {"subquery", "subquery_type", "comparison_type"}),
    "LAMBDA": ({"lhs", "expr"}, {"syntax_type"}),
}  # fmt: skip
_MODIFIER_FIELDS = {
    "ORDER_MODIFIER": {"orders"},
    "LIMIT_MODIFIER": {"limit", "offset", "limit_type"},
    "LIMIT_PERCENT_MODIFIER": {"limit", "offset"},
    "DISTINCT_MODIFIER": {"distinct_on_targets"},
}
_OPERATORS = {"+", "-", "*", "/", "//", "**", "^"}

_connection: "duckdb.DuckDBPyConnection | None" = None
_connection_lock = threading.Lock()


def check_sql(sql: str, allowed_tables: Collection[str], con: "duckdb.DuckDBPyConnection | None" = None) -> str:
    """Return `sql` without surrounding space or trailing `;` and comments if allowed, else raise GuardError.

    `con` parses the SQL (any connection will do: parsing reads no data); without one the guard opens
    its own in-memory connection once per process.
    """
    known = frozenset(t.lower() for t in allowed_tables)
    _check_size(sql)
    walk = _Walk(known)
    try:
        with _connection_lock:
            parser = con if con is not None else _own_connection()
            _check_statement(parser, sql)
            text = _trimmed(sql)
            tree = _serialized(parser, text)
        walk.statement(tree, frozenset())
    except RecursionError as e:  # hundreds of nested subqueries: deeper than JSON decoding and the walk go
        raise GuardError("the query nests subqueries too deeply to check; flatten it with CTEs (WITH a AS (...), "
                         "b AS (SELECT ... FROM a) SELECT ... FROM b)", hint=_REPAIR_HINT) from e
    except (KeyError, TypeError, AttributeError) as e:  # fail closed: a tree shaped unlike the ones probed
        raise _unknown(f"the shape of this query ({type(e).__name__}: {e})") from e
    if walk.set_operations > MAX_SET_OPERATIONS:
        raise _too_big(f"{walk.set_operations:,} UNION/INTERSECT/EXCEPT operations", MAX_SET_OPERATIONS)
    return text


def _check_size(sql: str) -> None:
    """Refuse a statement longer than MAX_SQL_CHARS."""
    if len(sql) > MAX_SQL_CHARS:
        raise GuardError(
            f"the SQL is {len(sql):,} characters long; the limit is {MAX_SQL_CHARS:,}",
            hint="Ask a narrower question, or aggregate in fewer steps.",
        )


def _own_connection() -> "duckdb.DuckDBPyConnection":
    """Return this process's in-memory connection for parsing, opened at the first call (with the lock held)."""
    global _connection
    if _connection is None:
        _connection = duckdb.connect(":memory:", config={"enable_external_access": False})
    return _connection


def _check_statement(parser: "duckdb.DuckDBPyConnection", sql: str) -> None:
    """Refuse anything but exactly one statement that DuckDB's parser classifies as a SELECT."""
    try:
        statements = parser.extract_statements(sql)
    except Exception as e:  # fail closed: whatever DuckDB's parser cannot read is refused
        raise GuardError(f"could not parse: {_parse_error_text(e)}", hint=_REPAIR_HINT) from e
    if not statements:
        raise GuardError("no SQL statement found; send one SELECT query", hint=_REPAIR_HINT)
    if len(statements) != 1:
        raise GuardError(
            f"expected exactly one SELECT statement, got {len(statements)}; "
            "send a single query with no ';' between statements",
            hint=_READ_ONLY_HINT,
        )
    statement = statements[0]
    words = _leading_words(statement.query)
    is_multi = statement.type == duckdb.StatementType.MULTI
    if is_multi and re.search(r"(?i)\bPIVOT\b", statement.query):  # a PIVOT without IN, wherever it stands
        raise GuardError(
            "PIVOT without an IN list is not allowed: DuckDB runs it as several statements (it creates "
            "a type from the data); list the values, e.g. PIVOT t ON col IN ('a', 'b') USING sum(x)",
            hint=_REPAIR_HINT,
        )
    if statement.type != duckdb.StatementType.SELECT:
        raise GuardError(f"{_describe(words)} is not allowed; {_ONLY_SELECT}", hint=_READ_ONLY_HINT)
    if words[:1] == ["VALUES"]:
        raise GuardError(f"a bare VALUES list is not allowed; {_ONLY_SELECT} "
                         "(SELECT * FROM (VALUES (1), (2)) v(x))", hint=_REPAIR_HINT)


def _parse_error_text(error: Exception) -> str:
    """Return DuckDB's parse error as one plain line with its line number (no caret drawing)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    first = (lines[0] if lines else type(error).__name__).removeprefix("Parser Error: ")
    where = next((re.match(r"LINE (\d+):", line) for line in lines if line.startswith("LINE ")), None)
    return f"{first} (line {where.group(1)})" if where else first


def _leading_words(text: str) -> list[str]:
    """Return the first few upper-case keywords of a statement, after its comments (for naming it)."""
    try:
        tokens = duckdb.tokenize(text)
    except Exception:  # only for a message: a statement that cannot be tokenized is named by its text
        tokens = []
    words = []
    for offset, kind in tokens:
        if kind == duckdb.token_type.comment:
            continue
        match = _WORD.match(text, offset)
        if match is None or len(words) >= 6:
            break
        words.append(match.group(0).upper())
    return words


def _describe(words: list[str]) -> str:
    """Return a short SQL-ish name for a statement from its leading words, e.g. DELETE or CREATE TABLE."""
    if not words:
        return "this statement"
    if words[0] == "CREATE":
        kind = next((w for w in words[1:] if w not in _CREATE_SKIP), "")
        return f"CREATE {kind}".strip()
    return words[0]


def _trimmed(sql: str) -> str:
    """Return `sql` up to the end of its last token that is neither `;` nor a comment, stripped."""
    tokens = duckdb.tokenize(sql)
    ends = [offset for offset, _ in tokens[1:]] + [len(sql)]
    last = max(
        (i for i, (offset, kind) in enumerate(tokens)
         if kind != duckdb.token_type.comment and sql[offset:ends[i]].strip() != ";"),
        default=None,
    )  # fmt: skip
    if last is None:
        raise GuardError("no SQL statement found; send one SELECT query", hint=_REPAIR_HINT)
    return sql[: ends[last]].strip()


def _serialized(parser: "duckdb.DuckDBPyConnection", text: str) -> dict[str, Any]:
    """Return DuckDB's parse tree of the single statement `text` (json_serialize_sql), or raise GuardError."""
    try:
        reply = parser.execute("SELECT json_serialize_sql(?)", [text]).fetchone()
    except duckdb.Error as e:
        raise GuardError(f"could not parse: {_parse_error_text(e)}", hint=_REPAIR_HINT) from e
    tree = json.loads(reply[0]) if reply else {}
    if tree.get("error") or len(tree.get("statements") or []) != 1:
        message = tree.get("error_message") or "not one SELECT statement"
        raise GuardError(f"could not read the query: {message}; {_ONLY_SELECT}", hint=_REPAIR_HINT)
    return tree["statements"][0]


class _Walk:
    """One walk over a parse tree: refuses what is not allowed and counts the set operations."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        self.set_operations = 0

    # --- statements and query nodes ----------------------------------------------------------
    def statement(self, statement: Any, ctes: frozenset[str]) -> None:
        """Walk a statement or subquery wrapper: `{node, named_param_map}`."""
        _fields(statement, {"node", "named_param_map"}, "a subquery")
        if statement.get("named_param_map"):
            raise GuardError("query parameters ($name, ?) are not supported; write the values in the SQL",
                             hint=_REPAIR_HINT)
        self.query(statement["node"], ctes)

    def query(self, node: Any, ctes: frozenset[str]) -> None:
        """Walk a query node (SELECT, set operation, recursive CTE) with the CTE names visible above it."""
        kind = _kind(node, "type", "a query")
        if kind.endswith("_QUERY_NODE"):  # DELETE/UPDATE/INSERT/MERGE ... RETURNING inside a CTE or subquery
            what = kind.removesuffix("_QUERY_NODE").replace("_", " ")
            raise GuardError(f"{what} is not allowed inside the query; {_ONLY_SELECT}", hint=_READ_ONLY_HINT)
        if kind not in _QUERY_FIELDS:
            raise _unknown(f"the query node {kind}")
        _fields(node, {"type", "modifiers", "cte_map"} | _QUERY_FIELDS[kind], kind)
        inner = self.ctes(node["cte_map"], ctes)
        for modifier in node["modifiers"]:
            self.modifier(modifier, inner)
        getattr(self, f"_{kind.lower()}")(node, inner)

    def ctes(self, cte_map: Any, ctes: frozenset[str]) -> frozenset[str]:
        """Walk a WITH list; each CTE sees the ones before it (and, recursive, itself in its recursive arm)."""
        _fields(cte_map, {"map"}, "a WITH list")
        for entry in cte_map["map"]:
            _fields(entry, {"key", "value"}, "a CTE")
            name = _identifier_name(str(entry["key"]), "CTE")
            body = entry["value"]
            _fields(body, {"aliases", "materialized", "key_targets", "payload_aggregates", "query_node"}, "a CTE")
            self.expressions(body["key_targets"], ctes)
            self.expressions(body["payload_aggregates"], ctes)
            query = body["query_node"]
            if isinstance(query, dict) and query.get("type") == "RECURSIVE_CTE_NODE":
                self._recursive(query, ctes, own=name)
            else:
                self.query(query, ctes)
            ctes = ctes | {name}
        return ctes

    def _select_node(self, node: dict[str, Any], ctes: frozenset[str]) -> None:
        self.table(node["from_table"], ctes)
        self.expressions(node["select_list"], ctes)
        self.expressions(node["group_expressions"], ctes)
        for key in ("where_clause", "having", "qualify"):
            self.expression(node[key], ctes)

    def _set_operation_node(self, node: dict[str, Any], ctes: frozenset[str]) -> None:
        arms = [arm for arm in (node["left"], node["right"], *(node["children"] or [])) if arm is not None]
        self.set_operations += max(len(arms) - 1, 1)
        for arm in arms:
            self.query(arm, ctes)

    def _recursive_cte_node(self, node: dict[str, Any], ctes: frozenset[str]) -> None:
        self._recursive(node, ctes, own=None)

    def _recursive(self, node: dict[str, Any], ctes: frozenset[str], own: str | None) -> None:
        """Walk a recursive CTE: its own name is visible only in the recursive (right) arm."""
        _fields(node, {"type", "modifiers", "cte_map"} | _QUERY_FIELDS["RECURSIVE_CTE_NODE"], "a recursive CTE")
        inner = self.ctes(node["cte_map"], ctes)
        for modifier in node["modifiers"]:
            self.modifier(modifier, inner)
        self.set_operations += 1
        self.expressions(node["key_targets"], inner)
        self.query(node["left"], inner)
        self.query(node["right"], inner | {own} if own else inner)

    def modifier(self, modifier: Any, ctes: frozenset[str]) -> None:
        """Walk ORDER BY, LIMIT/OFFSET or DISTINCT ON."""
        kind = _kind(modifier, "type", "a query modifier")
        if kind not in _MODIFIER_FIELDS:
            raise _unknown(f"the query modifier {kind}")
        _fields(modifier, {"type"} | _MODIFIER_FIELDS[kind], kind)
        if kind == "ORDER_MODIFIER":
            self.orders(modifier["orders"], ctes)
        elif kind == "DISTINCT_MODIFIER":
            self.expressions(modifier["distinct_on_targets"], ctes)
        else:
            self.expression(modifier["limit"], ctes)
            self.expression(modifier["offset"], ctes)

    def orders(self, orders: Any, ctes: frozenset[str]) -> None:
        """Walk ORDER BY terms: `{type, null_order, expression}`."""
        for order in orders or []:
            _fields(order, {"type", "null_order", "expression"}, "an ORDER BY term")
            self.expression(order["expression"], ctes)

    # --- table references --------------------------------------------------------------------
    def table(self, ref: Any, ctes: frozenset[str]) -> None:
        """Walk what stands in FROM: a table, join, subquery, table function, VALUES list or PIVOT."""
        kind = _kind(ref, "type", "a table reference")
        if kind == "SHOW_REF":
            shown = _SHOW_TYPES.get(str(ref.get("show_type")), "SHOW")
            raise GuardError(f"{shown} is not allowed; {_ONLY_SELECT}", hint=_SCHEMA_HINT)
        if kind not in _REF_FIELDS:
            raise _unknown(f"the table source {kind}")
        _fields(ref, _REF | _REF_FIELDS[kind], kind)
        if kind == "BASE_TABLE":
            self.base_table(ref, ctes)
        elif kind == "JOIN":
            self.table(ref["left"], ctes)
            self.table(ref["right"], ctes)
            self.expressions([ref["condition"], ref["ranking_expression"], *ref["duplicate_eliminated_columns"]],
                             ctes)
        elif kind == "SUBQUERY":
            self.statement(ref["subquery"], ctes)
        elif kind == "TABLE_FUNCTION":
            self.table_function(ref["function"], ctes)
        elif kind == "EXPRESSION_LIST":
            for row in ref["values"]:
                self.expressions(row, ctes)
        elif kind == "PIVOT":
            self.pivot(ref, ctes)

    def base_table(self, ref: dict[str, Any], ctes: frozenset[str]) -> None:
        """Refuse a table unless it names a CTE in scope or an allowed table in the main schema."""
        if ref["at_clause"] is not None:
            raise GuardError("AT (VERSION/TIMESTAMP ...) is not supported; query the loaded tables as they are",
                             hint=_SCHEMA_HINT)
        table, schema, catalog = str(ref["table_name"]), str(ref["schema_name"]), str(ref["catalog_name"])
        _same_name(ref["qualified_name"], [catalog, schema, table], f"table {table!r}")
        if _PATH_CHARS & set(table):
            raise GuardError(
                f"{table!r} looks like a file path or URL; only the loaded tables can be queried "
                f"({_listing(self.known)})",
                hint=_READ_ONLY_HINT,
            )
        name = _identifier_name(table, "table")
        qualifiers = [_identifier_name(part, "schema") for part in (catalog, schema) if part]
        if ".".join([*qualifiers, name]) in self.known:
            return  # explicitly allowed, e.g. "information_schema.tables"
        if qualifiers and qualifiers != ["main"]:
            raise GuardError(
                f"table {'.'.join([*qualifiers, name])!r} is outside the loaded data; "
                f"use a bare table name ({_listing(self.known)})",
                hint=_SCHEMA_HINT,
            )
        if name in self.known or (not qualifiers and name in ctes):
            return
        raise GuardError(f"unknown table {table!r}{_suggestion(name, self.known)}", hint=_SCHEMA_HINT)

    def table_function(self, func: Any, ctes: frozenset[str]) -> None:
        """Refuse a table function outside the allow-list, and a range() in FROM with too many rows."""
        if _kind(func, "class", "a table function") != "FUNCTION":
            raise _unknown(f"the table function form {func.get('class')}")
        children, inert = _EXPR_FIELDS["FUNCTION"]
        _fields(func, _BASE | children | inert, "a table function")
        self.expression(func["filter"], ctes)
        self.call(func, ctes, table=True)  # the deny-list, the arguments and range()'s rows
        name = str(func["function_name"]).lower()
        if name not in TABLE_FUNCTIONS and name not in self.known:
            raise GuardError(
                f"table function {name}() is not allowed; in FROM use the tables "
                f"({_listing(self.known)}), a CTE, range(), generate_series() or unnest()",
                hint=_SCHEMA_HINT,
            )
        if func["schema"] not in ("", "main") or func["catalog"]:
            raise GuardError(f"table function {func['schema']}.{name}() is outside the loaded data; "
                             f"call {name}() without a schema", hint=_SCHEMA_HINT)

    def pivot(self, ref: dict[str, Any], ctes: frozenset[str]) -> None:
        """Walk a PIVOT/UNPIVOT: its source, aggregates and the expressions it pivots on."""
        self.table(ref["source"], ctes)
        self.expressions(ref["aggregates"], ctes)
        for pivot in ref["pivots"]:
            _fields(pivot, {"pivot_expressions", "unpivot_names", "entries", "pivot_enum"}, "a PIVOT column")
            if pivot["pivot_enum"]:
                raise _unknown("a PIVOT over a type made from the data")
            self.expressions(pivot["pivot_expressions"], ctes)
            for entry in pivot["entries"]:
                _fields(entry, {"values", "star_expr", "alias"}, "a PIVOT value")
                self.expression(entry["star_expr"], ctes)

    # --- expressions ---------------------------------------------------------------------------
    def expressions(self, nodes: Iterable[Any] | None, ctes: frozenset[str]) -> None:
        """Walk a list of expressions (None entries are absent clauses)."""
        for node in nodes or []:
            self.expression(node, ctes)

    def expression(self, node: Any, ctes: frozenset[str]) -> None:
        """Walk one expression (None is an absent clause); refuse an unknown class or field."""
        if node is None:
            return
        cls = _kind(node, "class", "an expression")
        if cls not in _EXPR_FIELDS:
            raise _unknown_expression(cls)
        children, inert = _EXPR_FIELDS[cls]
        _fields(node, _BASE | children | inert, cls)
        for key in children:
            if isinstance(node[key], list):
                self.expressions(node[key], ctes)
            else:
                self.expression(node[key], ctes)
        if cls in ("FUNCTION", "WINDOW"):
            self.call(node, ctes)
        elif cls == "CASE":
            for check in node["case_checks"]:
                _fields(check, {"when_expr", "then_expr"}, "a CASE branch")
                self.expressions([check["when_expr"], check["then_expr"]], ctes)
        elif cls == "STAR":
            for item in node["replace_list"]:
                _fields(item, {"key", "value"}, "a REPLACE item")
                self.expression(item["value"], ctes)
        elif cls == "SUBQUERY":
            self.statement(node["subquery"], ctes)

    def call(self, node: dict[str, Any], ctes: frozenset[str], *, table: bool = False) -> None:
        """Refuse a denied function (scalar, aggregate, window, table or macro) and constant sizes over the caps."""
        name = str(node["function_name"]).lower()
        if name not in self.known and _is_denied(name):
            raise _denied_function(name)
        _same_name(node["qualified_name"], [node["catalog"], node["schema"], node["function_name"]], f"{name}()")
        for argument in node["arguments"]:
            _fields(argument, {"name", "expression"}, f"an argument of {name}()")
            self.expression(argument["expression"], ctes)
        if node["class"] == "WINDOW":
            self.orders(node["orders"], ctes)
            self.orders(node["arg_orders"], ctes)
        elif node["order_bys"] is not None:
            self.modifier(node["order_bys"], ctes)
        arguments = [a["expression"] for a in node["arguments"]]
        if name in _SERIES and node["class"] == "FUNCTION":
            _check_series(node, rows=table)
        elif name in _SIZE_ARGUMENT and len(arguments) > _SIZE_ARGUMENT[name]:
            _check_count(arguments[_SIZE_ARGUMENT[name]], f"{name}()", MAX_LIST_ELEMENTS)


def _kind(node: Any, key: str, what: str) -> str:
    """Return a node's `type` or `class`, refusing anything that is not such a node."""
    if not isinstance(node, dict) or not isinstance(node.get(key), str):
        raise _unknown(what)
    return node[key]


def _fields(node: Any, allowed: Collection[str], what: str) -> None:
    """Refuse a node with a field the walk does not know (a newer DuckDB may put a query there)."""
    if not isinstance(node, dict):
        raise _unknown(what)
    extra = sorted(set(node) - set(allowed))
    if extra:
        raise _unknown(f"{what} with {', '.join(extra)}")


def _same_name(qualified: Any, parts: list[str], what: str) -> None:
    """Refuse a node whose qualified name differs from the name parts the guard checks (it reads one, not both)."""
    _fields(qualified, {"path"}, f"the name of {what}")
    if [str(p).lower() for p in qualified["path"]] != [str(p).lower() for p in parts if p]:
        raise _unknown(f"the name of {what}, written two ways ({qualified['path']} and {[p for p in parts if p]})")


def _unknown(what: str) -> GuardError:
    """Return the error for a part of the parse tree the guard does not know (it fails closed)."""
    return GuardError(f"the guard does not know {what} in DuckDB's parse tree, so it refuses the query; "
                      "write it with plain SELECT, JOIN, GROUP BY and window functions", hint=_REPAIR_HINT)


def _unknown_expression(cls: str) -> GuardError:
    """Return the error for an expression class the guard does not allow (parameters, DEFAULT, ...)."""
    if cls == "PARAMETER":
        return GuardError("query parameters ($name, ?) are not supported; write the values in the SQL",
                          hint=_REPAIR_HINT)
    return _unknown(f"the expression kind {cls}")


def _identifier_name(text: str, what: str) -> str:
    """Return a table or CTE name lower-cased the way DuckDB compares it (ASCII only), else raise GuardError."""
    if not text.isascii():
        raise GuardError(
            f"{what} name {text!r} has non-ASCII characters; name tables and CTEs with ASCII letters only",
            hint=_REPAIR_HINT,
        )
    return text.lower()


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


def _check_series(func: dict[str, Any], *, rows: bool) -> None:
    """Refuse a range()/generate_series() whose constant bounds give more rows or elements than the cap."""
    arguments = [a["expression"] for a in func["arguments"]]
    if not arguments or len(arguments) > 3:
        return
    bounds = [_constant(a) for a in arguments]
    start, end, step = ([0.0, *bounds] if len(bounds) == 1 else bounds) + [1.0] * (3 - max(len(bounds), 2))
    if start is None or end is None or step is None:
        return
    count = abs(end - start) / max(abs(step), 1e-9)
    cap = MAX_RANGE_ROWS if rows else MAX_LIST_ELEMENTS
    if count > cap:
        raise _too_big(f"a range of {count:,.0f} {'rows' if rows else 'elements'}", cap)


def _check_count(node: Any, what: str, cap: int) -> None:
    """Refuse a constant size argument over `cap`."""
    value = _constant(node)
    if value is not None and value > cap:
        raise _too_big(f"{what} of {value:,.0f}", cap)


def _constant(node: Any) -> float | None:
    """Return the value of a constant number expression (literals, + - * / ** and casts), else None."""
    if not isinstance(node, dict):
        return None
    if node.get("class") == "CONSTANT":
        literal = node.get("literal") or {}
        if literal.get("kind") in ("INTEGER", "NUMERIC", "DECIMAL", "DOUBLE", "BIGINT", "HUGEINT"):
            try:
                return float(literal.get("text"))
            except (TypeError, ValueError):
                return None
        return None
    if node.get("class") == "CAST":
        return _constant(node.get("child"))
    if node.get("class") == "FUNCTION" and node.get("is_operator") and node.get("function_name") in _OPERATORS:
        values = [_constant(a.get("expression")) for a in node.get("arguments") or []]
        return _arithmetic(str(node["function_name"]), values)
    return None


def _arithmetic(operator: str, values: list[float | None]) -> float | None:
    """Return the value of a constant arithmetic operator over `values`, or None if any is unknown."""
    if not values or any(v is None for v in values):
        return None
    numbers = [float(v) for v in values if v is not None]
    if len(numbers) == 1:
        return -numbers[0] if operator == "-" else numbers[0] if operator == "+" else None
    left, right = numbers[0], numbers[1]
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if operator in ("**", "^"):
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
