"""Per-user daily records (users-1-day / users-28-day NDJSON) into user_daily and its five breakdown tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from assistant.semantic import catalog
from assistant.semantic.catalog import COUNTERS
from assistant.store.db import scalar

if TYPE_CHECKING:
    import duckdb


# How DuckDB reads one users-report line: scalars typed per GitHub's docs. Nested objects and the breakdown
# arrays are read typed (fast) when the file holds no field the columns lack, else as JSON text, typed from
# the catalog in SQL, so that the fields no column holds stay in `extra`.
NESTED_OBJECTS = ("totals_by_cli", "totals_by_copilot_app", "totals_by_vscode_agent", "ai_adoption_phase")
USER_RECORD_SPEC: dict[str, str] = {
    "report_start_day": "DATE",
    "report_end_day": "DATE",
    "day": "DATE",
    "enterprise_id": "VARCHAR",
    "organization_id": "VARCHAR",
    "user_id": "BIGINT",
    "user_login": "VARCHAR",
    **{c: "BIGINT" for c in COUNTERS},
    **{f: "BOOLEAN" for f in catalog.USED_FLAGS},
    "ai_credits_used": "DOUBLE",
    **{k: "JSON" for k in NESTED_OBJECTS},
    **{k: "JSON" for k in ("totals_by_ide", "totals_by_feature", "totals_by_language_feature")},
    **{k: "JSON" for k in ("totals_by_language_model", "totals_by_model_feature")},
    "totals_by_3rd_party_agent": "JSON",
    **{f"totals_by_{k}": "JSON" for k in ("mcp", "skill", "custom_agent", "slash_cmd", "plugin")},
    **{f"distinct_{k}_use_count": "BIGINT" for k in ("mcp", "skill", "custom_agent", "slash_cmd", "plugin")},
}
KNOWN_USER_KEYS = frozenset(USER_RECORD_SPEC)
KEY = ("day", "user_id", "enterprise_id", "organization_id")
Structure = dict[str, Any]  # field -> SQL type, or a nested Structure


def structure(columns: Iterable[tuple[str, str]]) -> Structure:
    """The nested shape {field: type or {...}} that the (dotted path, type) pairs describe."""
    out: Structure = {}
    for path, type_ in columns:
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = type_
    return out


def _as_text(shape: Structure) -> Structure:
    return {k: _as_text(v) if isinstance(v, dict) else "VARCHAR" for k, v in shape.items()}


def parse_sql(raw: str, shape: Structure) -> str:
    """SQL parsing the JSON `raw` into a struct of text leaves (cast per column, so a bad value fails the load)."""
    return f"from_json({raw}, '{json.dumps(_as_text(shape))}')"


def leftover_sql(raw: str, shape: Structure) -> str:
    """SQL for what the JSON object `raw` holds beyond `shape`, at any depth (NULL when nothing)."""
    rest = f"json_merge_patch({raw}, '{json.dumps({k: None for k in shape})}')"
    nested = [(k, v) for k, v in shape.items() if isinstance(v, dict)]
    if nested:
        parts = ", ".join(f"'{k}', {leftover_sql(f'json_extract({raw}, {_path(k)})', v)}" for k, v in nested)
        rest = f"json_merge_patch({rest}, json_object({parts}))"
    return f"CASE WHEN json_type({raw}) = 'OBJECT' THEN NULLIF({rest}, '{{}}') ELSE {raw} END"


def _path(*keys: str) -> str:
    return "'$" + "".join(f'."{k}"' for k in keys) + "'"


def _all_known_sql(raw: str, shape: Structure, at: tuple[str, ...] = ()) -> str:
    """SQL true when the object `raw` has no key beyond `shape` at any depth (a cheap test before leftover_sql)."""
    names = ", ".join(f"'{k}'" for k in shape)
    keys = f"json_keys({raw}, {_path(*at)})" if at else f"json_keys({raw})"
    tests = [f"list_has_all([{names}], coalesce({keys}, []))"]
    tests += [_all_known_sql(raw, v, at + (k,)) for k, v in shape.items() if isinstance(v, dict)]
    return " AND ".join(tests)


def extra_sql(raw: str, shape: Structure) -> str:
    """SQL for what the JSON object `raw` holds beyond `shape` (NULL when nothing), worked out only when needed."""
    known = _all_known_sql(raw, shape)
    return f"CASE WHEN json_type({raw}) = 'OBJECT' AND {known} THEN NULL ELSE {leftover_sql(raw, shape)} END"


def _nested_shape(prefix: str) -> Structure:
    cols = [(c.source, c.type) for c in catalog.USER_DAILY.columns if c.source and c.source.startswith(prefix + ".")]
    return structure((path[len(prefix) + 1 :], t) for path, t in cols)


NESTED_SHAPES = {k: _nested_shape(k) for k in NESTED_OBJECTS}


def sql_type(shape: Structure) -> str:
    """The DuckDB STRUCT type of a shape."""
    return "STRUCT(" + ", ".join(f"{k} {sql_type(v) if isinstance(v, dict) else v}" for k, v in shape.items()) + ")"


def typed_spec() -> dict[str, str]:
    """USER_RECORD_SPEC with the nested objects and breakdown arrays typed from the catalog's columns."""
    spec = dict(USER_RECORD_SPEC)
    spec.update({k: sql_type(shape) for k, shape in NESTED_SHAPES.items()})
    spec.update({array: sql_type(element_shape(table)) + "[]" for table, array in BREAKDOWNS})
    return spec


def fits(value: Any, shape: Structure) -> bool:
    """Whether a json_structure() value holds no key beyond `shape` at any depth."""
    if value == "NULL":
        return True
    if not isinstance(value, dict):
        return False
    for k, sub in value.items():
        if k not in shape:
            return False
        if isinstance(shape[k], dict) and not fits(sub, shape[k]):
            return False
        if not isinstance(shape[k], dict) and isinstance(sub, (dict, list)):
            return False
    return True


def record_fits(structure_of: dict[str, Any]) -> bool:
    """Whether one record's structure has nothing in its nested objects and breakdowns that no column holds."""
    for name, shape in NESTED_SHAPES.items():
        if name in structure_of and not fits(structure_of[name], shape):
            return False
    for table, array in BREAKDOWNS:
        v = structure_of.get(array, "NULL")
        if v == "NULL":
            continue
        if not isinstance(v, list) or not all(fits(e, element_shape(table)) for e in v):
            return False
    return True


def _column_expr(col: catalog.Column, typed: bool) -> str:
    """SQL reading one user_daily column from the staged record."""
    if typed:
        return f"s.{col.source or col.name}"
    if col.source and "." in col.source:
        top, rest = col.source.split(".", 1)
        return f'CAST(s."__{top}".{rest} AS {col.type})'
    return f"s.{col.source or col.name}"


def user_daily_select(import_id: int, unknown: list[str], typed: bool = False) -> str:
    exprs = []
    for col in catalog.USER_DAILY.columns:
        if col.name == "import_id":
            exprs.append(f"{import_id}")
        elif col.name == "extra":
            exprs.append(_extra_expr(unknown, typed))
        else:
            exprs.append(_column_expr(col, typed))
    if typed:
        return f"SELECT {', '.join(exprs)} FROM stage s"
    parsed = ", ".join(f'{parse_sql(f"s.{k}", shape)} AS "__{k}"' for k, shape in NESTED_SHAPES.items())
    return f"SELECT {', '.join(exprs)} FROM (SELECT s.*, {parsed} FROM stage s) s"


def _extra_expr(unknown: list[str], typed: bool) -> str:
    """Unknown top-level fields and what the known nested objects hold beyond their columns."""
    pairs = [f"'{k}', s.\"{k}\"" for k in unknown]
    if not typed:
        pairs += [f"'{k}', {extra_sql(f's.{k}', shape)}" for k, shape in NESTED_SHAPES.items()]
    if not pairs:
        return "CAST(NULL AS JSON)"
    return f"NULLIF(json_merge_patch('{{}}', json_object({', '.join(pairs)})), '{{}}')"


BREAKDOWN_SCOPE = ("day", "enterprise_id", "organization_id", "user_id", "user_login")


def element_shape(table: catalog.Table) -> Structure:
    """The fields of one breakdown element that the table's columns hold."""
    own = [c for c in table.columns if c.name not in BREAKDOWN_SCOPE + ("import_id", "extra")]
    return structure((c.source or c.name, c.type) for c in own)


def breakdown_select(table: catalog.Table, array: str, import_id: int, typed: bool = False) -> str:
    shape = element_shape(table)
    exprs = []
    for col in table.columns:
        if col.name in BREAKDOWN_SCOPE:
            exprs.append(f"b.{col.name}")
        elif col.name == "import_id":
            exprs.append(str(import_id))
        elif col.name == "extra":
            exprs.append("CAST(NULL AS JSON)" if typed else extra_sql("b.j", shape))
        elif typed:
            exprs.append(f"b.e.{col.source or col.name}")
        else:
            exprs.append(f"CAST(b.e.{col.source or col.name} AS {col.type})")
    scope = ", ".join(f"s.{k}" for k in BREAKDOWN_SCOPE)
    if typed:
        return f"SELECT {', '.join(exprs)} FROM (SELECT {scope}, x.e FROM stage s, unnest(s.{array}) AS x(e)) b"
    # from_json_strict: an array that is not an array fails the load (and the line is found), never vanishes
    inner = (
        f"SELECT {scope}, x.j, {parse_sql('x.j', shape)} AS e "
        f"FROM stage s, unnest(from_json_strict(s.{array}, '[\"JSON\"]')) AS x(j)"
    )
    return f"SELECT {', '.join(exprs)} FROM ({inner}) b"


BREAKDOWNS = (
    (catalog.USER_DAILY_BY_IDE, "totals_by_ide"),
    (catalog.USER_DAILY_BY_FEATURE, "totals_by_feature"),
    (catalog.USER_DAILY_BY_LANGUAGE_FEATURE, "totals_by_language_feature"),
    (catalog.USER_DAILY_BY_LANGUAGE_MODEL, "totals_by_language_model"),
    (catalog.USER_DAILY_BY_MODEL_FEATURE, "totals_by_model_feature"),
)


def read_options(layout: str, gz: bool) -> str:
    fmt = {"array": "array", "object": "auto"}.get(layout, "newline_delimited")
    comp = ", compression='gzip'" if gz else ""
    return f"format='{fmt}'{comp}, maximum_object_size=67108864"


def _objects_options(layout: str, gz: bool) -> str:
    """read_ndjson_objects / read_json_objects options for a layout: the raw text of each record."""
    opts = {"array": "format='array'", "object": "format='auto'"}.get(layout, "")
    if gz:
        opts = (opts + ", " if opts else "") + "compression='gzip'"
    return opts


def discover(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, gz: bool) -> tuple[list[str], bool]:
    """Top-level keys present anywhere in the file, and whether every nested field fits a column."""
    fn = "read_ndjson_objects" if layout == "ndjson" else "read_json_objects"
    opts = _objects_options(layout, gz)
    sql = f"SELECT DISTINCT json_structure(json) FROM {fn}(?{', ' + opts if opts else ''})"
    return _keys_and_fit(text for (text,) in con.execute(sql, [str(path)]).fetchall())


def _keys_and_fit(structures: Iterable[str]) -> tuple[list[str], bool]:
    """The top-level keys of json_structure() texts, and whether every record's nested fields fit a column."""
    keys: set[str] = set()
    typed = True
    for text in structures:
        shape = json.loads(text)
        if isinstance(shape, dict):
            keys.update(shape)
            typed = typed and record_fits(shape)
    return sorted(keys), typed


@dataclass(frozen=True)
class Staged:
    """What stage_users found: the unknown top-level keys, and whether the typed (fast) read was used."""

    unknown: list[str]
    typed: bool


def stage_users(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, gz: bool) -> Staged:
    """Read the file into TEMP table `stage`, typed when nothing nested lacks a column, else nested as JSON."""
    found = _typed_and_checked(con, path, gz) if layout == "ndjson" else None
    if found is None:
        keys, typed = discover(con, path, layout, gz)
        unknown = [k for k in keys if k not in KNOWN_USER_KEYS]
    else:
        unknown, typed = found
        if typed:
            return Staged(unknown, True)  # the typed stage, with any unknown top-level keys added, holds everything
    _stage(con, path, layout, gz, unknown, typed)
    return Staged(unknown, typed)


def _stage(con: "duckdb.DuckDBPyConnection", path: Path, layout: str, gz: bool, unknown: list[str],
           typed: bool, lenient: bool = False) -> None:
    """Read the file into TEMP table `stage`; `lenient` turns a value that does not fit its column into NULL."""
    spec = typed_spec() if typed else dict(USER_RECORD_SPEC)
    spec.update({k: "JSON" for k in unknown})
    columns = "{" + ", ".join(f"'{k}': '{t}'" for k, t in spec.items()) + "}"
    lenient_opt = ", ignore_errors=true" if lenient else ""
    con.execute("DROP TABLE IF EXISTS stage")
    con.execute(
        f"CREATE TEMP TABLE stage AS SELECT * FROM read_json(?, {read_options(layout, gz)}{lenient_opt}, "
        f"columns={columns})",
        [str(path)],
    )


# The typed read drops what no column holds, so before trusting it each line is checked by counting keys:
# its raw text holds one '":' per key (plus any inside string values; never fewer, unless a space stands
# before the colon, which flags the line), and the typed record one non-null field per key whose value it
# kept. A line where the two agree lost nothing. The others (explicit nulls, unknown keys at any depth, an
# object in a text column, '":' inside a string, a value that did not fit its column and was read as NULL)
# are kept aside with their raw text for the exact json_structure() test, and must account for every
# non-null value. Raw and typed rows are paired by position; each raw line must hold its pair's user id
# and day. Whatever cannot be shown goes to the exact scan and the strict read, so every error in the file
# is raised there, as before. Nothing here can raise on bad data: the load's transaction must stay usable.
def _typed_and_checked(con: "duckdb.DuckDBPyConnection", path: Path, gz: bool) -> tuple[list[str], bool] | None:
    """Unknown top-level keys and fit of a file read typed into `stage`, checked line by line; None when unsure."""
    _stage(con, path, "ndjson", gz, [], True, lenient=True)
    raw = "r.line"
    aligned = (f"coalesce(contains({raw}, t.user_id::VARCHAR) AND contains({raw}, strftime(t.day, '%Y-%m-%d')), "
               "false)")
    spaced = f"contains({raw}, '\" ') OR contains({raw}, chr(9)) OR contains({raw}, chr(13))"
    flagged = f"{_colons(raw)} <> t.n OR (({spaced}) AND regexp_matches({raw}, '\"\\s+:'))"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stage_odd AS SELECT t.rid, t.n, r.line AS raw, CASE WHEN r.line IS NULL OR "
        f"t.n IS NULL OR NOT {aligned} THEN NULL ELSE try(json_structure(r.line)) END AS shape "
        f"FROM {_lines(gz)} r POSITIONAL JOIN (SELECT rowid AS rid, {_typed_keys_sql()} AS n, user_id, day "
        f"FROM stage s) t WHERE r.line IS NULL OR t.n IS NULL OR NOT {aligned} OR {flagged}",
        [str(path)],
    )
    shapes = [text for (text,) in con.execute("SELECT DISTINCT shape FROM stage_odd").fetchall()]
    if None in shapes:  # a line not paired with its typed record
        return None
    keys, typed = _keys_and_fit(shapes)
    unknown = [k for k in keys if k not in KNOWN_USER_KEYS]
    if typed:
        _add_unknown(con, unknown)
        if not _values_kept(con, unknown):
            return None
    con.execute("DROP TABLE stage_odd")
    return unknown, typed


def _add_unknown(con: "duckdb.DuckDBPyConnection", unknown: list[str]) -> None:
    """Add the unknown top-level keys to the typed stage from the odd lines' raw text (only they can hold one)."""
    for key in unknown:
        con.execute(f'ALTER TABLE stage ADD COLUMN "{key}" JSON')
        value = f"json_extract(o.raw, {_path(key)})"
        con.execute(f'UPDATE stage SET "{key}" = CASE WHEN json_type({value}) = \'NULL\' THEN NULL ELSE {value} END '
                    "FROM stage_odd o WHERE stage.rowid = o.rid")


def _values_kept(con: "duckdb.DuckDBPyConnection", unknown: list[str]) -> bool:
    """Whether every odd line's non-null values are all in the typed stage (none was read as NULL)."""
    added = " + ".join(_kept_sql(f's."{k}"', "JSON") for k in unknown)
    nulls = _occurrences("o.raw", '":null')
    lost = con.execute(f"SELECT count(*) FROM stage_odd o JOIN stage s ON s.rowid = o.rid "
                       f"WHERE {_colons('o.raw')} - {nulls} <> o.n{' + ' + added if added else ''}").fetchone()
    return lost is not None and lost[0] == 0


def _lines(gz: bool) -> str:
    """A table function giving each line of the file at ? as text, unparsed (DuckDB's CSV reader, no delimiter)."""
    comp = "gzip" if gz else "none"
    # a line it cannot take (over 8 MB) is skipped, so the pairing fails and the exact scan decides
    return ("read_csv(?, columns={'line': 'VARCHAR'}, delim=chr(1), quote='', escape='', header=false, "
            f"auto_detect=false, max_line_size=8388608, buffer_size=16777216, ignore_errors=true, "
            f"compression='{comp}')")


def _colons(text: str) -> str:
    """SQL: how many times '":' occurs in `text` (one per key of a compact JSON line)."""
    return _occurrences(text, '":')


def _occurrences(text: str, needle: str) -> str:
    """SQL: how many times the literal `needle` (no quote in it) occurs in the text `text`."""
    return f"((strlen({text}) - strlen(replace({text}, '{needle}', ''))) // {len(needle)})"


def _typed_keys_sql() -> str:
    """SQL over the typed stage row `s`: one per key whose value the typed read kept, at every depth."""
    arrays = {array: table for table, array in BREAKDOWNS}
    parts = []
    for key, type_ in USER_RECORD_SPEC.items():
        if key in NESTED_SHAPES:
            parts.append(_kept_sql(f"s.{key}", NESTED_SHAPES[key]))
        elif key in arrays:
            element = _kept_sql("e", element_shape(arrays[key]), keyed=False)
            parts.append(f"(s.{key} IS NOT NULL)::BIGINT + coalesce(list_sum(list_transform(s.{key}, lambda e: "
                         f"{element})), 0)")
        else:
            parts.append(_kept_sql(f"s.{key}", type_))
    return " + ".join(parts)


def _kept_sql(expr: str, type_: Structure | str, keyed: bool = True) -> str:
    """SQL counting the keys a typed value stands for: its own (when it is a field) and its fields', at any depth."""
    own = f"(({expr}) IS NOT NULL)::BIGINT" if keyed else "0"
    if isinstance(type_, dict):
        inner = " + ".join(_kept_sql(f'{expr}."{k}"', v) for k, v in type_.items())
        return f"{own} + coalesce({inner}, 0)"
    if type_ == "JSON":  # kept whole: its keys are in its text
        return f"{own} + coalesce({_colons(f'({expr})::VARCHAR')}, 0)"
    return own


def dedupe_stage(con: "duckdb.DuckDBPyConnection") -> int:
    """Keep the last record of each (day, user, entity) within the file; return how many were dropped."""
    dup = scalar(con, "SELECT count(*) - count(DISTINCT (day, user_id, enterprise_id, organization_id)) FROM stage")
    if dup:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage AS SELECT * EXCLUDE (rn) FROM ("
            "SELECT *, row_number() OVER (PARTITION BY day, user_id, enterprise_id, organization_id "
            "ORDER BY rowid DESC) AS rn FROM stage) WHERE rn = 1"
        )
    return int(dup)


def apply_users(con: "duckdb.DuckDBPyConnection", import_id: int, staged: Staged) -> dict[str, int]:
    """Replace the staged (day, user, entity) rows in user_daily and the breakdown tables; return rows written."""
    written: dict[str, int] = {}
    overlap = scalar(
        con,
        "SELECT count(*) FROM (SELECT 1 FROM user_daily WHERE day BETWEEN (SELECT min(day) FROM stage) "
        "AND (SELECT max(day) FROM stage) LIMIT 1)",
    )
    if overlap:  # the keys are only needed to replace rows; a first load of these days skips the DISTINCT
        con.execute("CREATE OR REPLACE TEMP TABLE stage_keys AS "
                    "SELECT DISTINCT day, user_id, enterprise_id, organization_id FROM stage")
    for table in (catalog.USER_DAILY,) + tuple(t for t, _ in BREAKDOWNS) if overlap else ():
        con.execute(
            f"DELETE FROM {table.name} t USING stage_keys k WHERE t.day = k.day AND t.user_id = k.user_id "
            "AND t.enterprise_id IS NOT DISTINCT FROM k.enterprise_id "
            "AND t.organization_id IS NOT DISTINCT FROM k.organization_id"
        )
    select = user_daily_select(import_id, staged.unknown, staged.typed)
    written["user_daily"] = int(scalar(con, f"INSERT INTO user_daily {select}"))
    for table, array in BREAKDOWNS:
        n = scalar(con, f"INSERT INTO {table.name} {breakdown_select(table, array, import_id, staged.typed)}")
        written[table.name] = int(n)
    return written


def negative_counters(con: "duckdb.DuckDBPyConnection", import_id: int) -> int:
    """How many rows this import wrote with a counter below zero, over user_daily and the breakdowns."""
    total = 0
    for table in (catalog.USER_DAILY,) + tuple(t for t, _ in BREAKDOWNS):
        names = [c.name for c in table.columns if c.name in COUNTERS]
        cond = " OR ".join(f"{n} < 0" for n in names)
        total += int(scalar(con, f"SELECT count(*) FROM {table.name} WHERE import_id = ? AND ({cond})", [import_id]))
    return total
