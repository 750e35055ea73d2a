"""Rows made visible to SQL under a name for one statement: a few as literals, many as Arrow.

Registering an Arrow table makes DuckDB's Python client import pandas, numpy and pyarrow,
most of a second for a process that otherwise needs none of them (an ingest that finds two
new lines). A batch of at most ``LITERAL_ROWS`` rows whose every value has an exact SQL
spelling (:func:`queries.literal`) is written instead into a temporary table typed like the
table the rows are bound for, so the statements that read it see the same columns and types
either way. Any other batch goes through Arrow as before: no value is ever spelled
approximately.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from queries import literal

if TYPE_CHECKING:  # pyarrow is imported for batches too large (or too unusual) to spell
    import pyarrow as pa

LITERAL_ROWS = 200
LITERAL_CHARS = 1 << 20  # a longer statement is parsed slower than Arrow is imported
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def arrow_table(rows: list[dict]) -> pa.Table:
    """Rows as Arrow; strings holding lone UTF-16 surrogates (a JSON ``"\\ud83d"`` cut in
    half, an undecodable file name) cannot be stored as UTF-8 and become U+FFFD instead."""
    import pyarrow as pa

    try:
        return pa.Table.from_pylist(rows)
    except UnicodeEncodeError:
        return pa.Table.from_pylist([{key: storable(value) for key, value in row.items()} for row in rows])


def storable(value):
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    return value


def spelled_rows(rows: list[dict], columns: list[str]) -> str | None:
    """``(…), (…)`` for ``rows`` over ``columns``, or None when a batch should go through Arrow."""
    if not rows or len(rows) > LITERAL_ROWS:
        return None
    parts, size = [], 0
    for row in rows:
        values = []
        for column in columns:
            spelled = literal(row.get(column))
            if spelled is None:
                return None
            values.append(spelled)
        part = "(" + ", ".join(values) + ")"
        size += len(part)
        if size > LITERAL_CHARS:
            return None
        parts.append(part)
    return ", ".join(parts)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def staged(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict], like: str) -> Iterator[None]:
    """``rows`` readable as ``name`` inside the block, with the types of table ``like``'s columns."""
    # the columns of a batch too large to spell are never gathered: a cold ingest's batches are
    columns = list(dict.fromkeys(key for row in rows for key in row)) if len(rows) <= LITERAL_ROWS else []
    spelled = spelled_rows(rows, columns) if columns else None
    if spelled is None:
        con.register(name, arrow_table(rows))
        try:
            yield
        finally:
            con.unregister(name)
        return
    listed = ", ".join(quoted(column) for column in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {listed} FROM {like} LIMIT 0")
    try:
        con.execute(f"INSERT INTO {name} ({listed}) VALUES {spelled}")
        yield
    finally:
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")
