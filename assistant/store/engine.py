"""DuckDB for cma's processes: the engine module `_duckdb` itself where the installed DuckDB has one.

`import duckdb` runs the package's Python layer first: its relational and expression API, and its own
version read through importlib.metadata, about 0.2 s of CPU per process on a 2-core machine, more than a
question's whole SQL on a small database (`docs/benchmarks.md`). cma needs only what the engine module
holds (connect, execute, tokenize, statement types and the exceptions), and `duckdb` re-exports those same
objects, so code that imports either sees one DuckDB: the same classes, the same exceptions.
"""

from __future__ import annotations

import _duckdb as duckdb  # the compiled engine, which the `duckdb` package (2.0 and later, as pinned) wraps

__all__ = ["duckdb"]
