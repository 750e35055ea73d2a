"""Named SQL, one question per ``queries/*.sql`` file, and a small loader that runs them.

Each file starts with a header of ``-- key: value`` lines (title, description, params) and
uses DuckDB named parameters (``$since``). Keeping SQL as data lets the CLI, the dashboard
and the weekly report ask the very same question and so show the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is imported by the first run(): execute() callers never load it
    import pandas as pd

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER = re.compile(r"^--\s*([a-z_]+):\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sql: str
    title: str
    description: str
    direct: str | None = None  # the twin over the event tables, for a store whose summaries are behind

    @property
    def params(self) -> frozenset[str]:
        return frozenset(_PARAM.findall(self.sql))


@cache
def named_query(name: str) -> NamedQuery:
    try:
        sql = resources.files(__package__).joinpath(f"{name}.sql").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no query named {name!r} in queries/") from None
    header = {}
    for line in sql.splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        header[match.group(1)] = match.group(2).strip()
    return NamedQuery(name, sql, header.get("title", name), header.get("description", ""), header.get("direct"))


def load_sql(name: str) -> str:
    return named_query(name).sql


def all_queries() -> list[NamedQuery]:
    names = sorted(p.name[:-4] for p in resources.files(__package__).iterdir() if p.name.endswith(".sql"))
    return [named_query(n) for n in names]


def bind(name: str, params: dict) -> tuple[str, dict]:
    """The query's SQL and the subset of ``params`` it uses; missing ones default to NULL."""
    query = named_query(name)
    return query.sql, {key: params.get(key) for key in query.params}


def answering(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The query to run for ``name`` on this store: its ``-- direct:`` twin over the event tables
    while the summary tables it reads are not current (see :mod:`queries.summary`)."""
    direct = named_query(name).direct
    if direct is None:
        return name
    from queries.summary import summaries_current

    return name if summaries_current(con) else direct


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run the named query with ``params`` and return its rows as a DataFrame."""
    sql, bound = bind(answering(con, name), params)
    return con.execute(sql, bound).df()


# A string literal, a comment, or a $parameter: literals and comments are passed over untouched.
_TOKEN = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\$([A-Za-z_][A-Za-z0-9_]*)")


def literal(value) -> str | None:
    """``value`` as a DuckDB SQL literal of the same type, or None when it has no safe spelling
    (it is then bound as a parameter)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:  # the types DuckDB gives a bound Python int
            return f"CAST({value} AS INTEGER)"
        return f"CAST({value} AS BIGINT)" if -(2**63) <= value < 2**63 else None
    if isinstance(value, float):
        return f"CAST('{value!r}' AS DOUBLE)"
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'" if value.tzinfo is None else None
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str) and "\x00" not in value and not _SURROGATE.search(value):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bytes):
        return "CAST('" + "".join(f"\\x{byte:02X}" for byte in value) + "' AS BLOB)"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def inline(name: str, params: dict) -> tuple[str, dict]:
    """The query with its scalar parameters written in as literals, and the parameters left to bind.

    DuckDB's Python client imports pandas (and numpy) the first time it binds any parameter, most
    of a second for a process that otherwise never needs them (``dashcam costs``, an ingest that
    finds nothing new). Strings, numbers, booleans, times and NULLs are written as typed literals;
    anything else is still bound."""
    sql, bound = bind(name, params)
    left: dict = {}

    def swap(match: re.Match) -> str:
        key = match.group(1)
        if key is None:
            return match.group(0)
        spelled = literal(bound[key])
        if spelled is None:
            left[key] = bound[key]
            return match.group(0)
        return spelled

    return _TOKEN.sub(swap, sql), left


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    """Run a named statement (e.g. a ledger write) and return the connection for fetching.

    Parameters are written into the SQL as literals where they can be (see :func:`inline`)."""
    sql, left = inline(answering(con, name), params)
    return con.execute(sql, left) if left else con.execute(sql)
