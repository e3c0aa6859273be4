"""Query parameters: `:name` placeholders, their defaults, and binding values as SQL literals."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from assistant.saved.files import SavedQuery, SavedQueryError

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INT = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_FIXED_DATE = re.compile(r"(?i)\b(?:DATE|TIMESTAMP)\s*'(\d{4}-\d{2}-\d{2})")



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
    from assistant.store.sqltext import tokens  # DuckDB's own lexer decides what is a string or a comment

    found = []
    lexed = tokens(sql)
    for k in range(len(lexed) - 1):
        (start, kind, text), (after, _, name) = lexed[k], lexed[k + 1]
        if kind != "operator" or text != ":" or after != start + 1 or not _PARAM_NAME.match(name):
            continue
        if k and _glued(lexed[k - 1][1], lexed[k - 1][2]) and lexed[k - 1][0] + len(lexed[k - 1][2]) == start:
            continue  # `a[1:n]`, `a[:n]`, `{'k':v}`: a slice bound or struct value, not a parameter
        found.append((start, after + len(name), name))
    return found


def _glued(kind: str, text: str) -> bool:
    """Whether a token written right before `:` makes it a slice or struct colon (a value or a bracket)."""
    return kind in ("numeric_const", "string_const", "identifier", "keyword") or text in ("]", "[", ")")


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



def fixed_dates(query: SavedQuery) -> list[str]:
    """The date literals in the SQL: a window pinned to them stays put when the query re-runs on new data."""
    return sorted(set(_FIXED_DATE.findall(query.sql)))
