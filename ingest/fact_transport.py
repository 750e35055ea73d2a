"""A session's events carried to a fact worker as Arrow bytes, not as Python dicts.

The fact refresh reads a batch of sessions' events from DuckDB as Arrow record batches. As
Python dicts (one per event, ~27 keys each) they cost several times their text: with a few
hundred thousand events waiting for the workers the ingest process held over a gigabyte. So
the events of a session sent to a worker stay columnar until the worker itself walks them:
the record batches are cut at session boundaries here, written as one Arrow IPC stream (its
slices' buffers truncated to what they hold), and the worker turns them into dicts a record
batch at a time as its walk reads them. What the workers wait on is bounded in bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa

Key = tuple[str, str]


def arrow_sessions(batches: Iterable[pa.RecordBatch]) -> Iterator[tuple[Key, pa.Table]]:
    """Each session's events as one table, in stream order, from record batches ordered by
    (agent, session_id); a session may span batches and a batch may hold many sessions."""
    key: Key | None = None
    held: list[pa.RecordBatch] = []
    for batch in batches:
        agents = batch.column("agent").to_pylist()
        sessions = batch.column("session_id").to_pylist()
        start = 0
        for row, here in enumerate(zip(agents, sessions)):
            if here == key:
                continue
            if row > start:
                held.append(batch.slice(start, row - start))
            if key is not None and held:
                yield key, pa.Table.from_batches(held)
            key, held, start = here, [], row
        if batch.num_rows > start:
            held.append(batch.slice(start, batch.num_rows - start))
    if key is not None and held:
        yield key, pa.Table.from_batches(held)


def to_ipc(table: pa.Table) -> bytes:
    """``table`` as one Arrow IPC stream (what is pickled to a worker)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def ipc_rows(payload: bytes) -> Iterator[dict]:
    """The rows of an IPC stream as dicts, one record batch converted at a time."""
    reader = pa.ipc.open_stream(payload)
    for batch in reader:
        yield from batch.to_pylist()
