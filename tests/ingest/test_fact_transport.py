"""Sessions cut out of record batches and carried as Arrow IPC are the rows that went in."""

from __future__ import annotations

import pyarrow as pa

from ingest.fact_transport import arrow_sessions, ipc_rows, to_ipc


def rows(keys: list[tuple[str, str]]) -> list[dict]:
    return [{"agent": a, "session_id": s, "n": n, "text": f"line {n}" * (n % 3)} for n, (a, s) in enumerate(keys)]


def test_sessions_spanning_batches_come_out_whole_and_in_order():
    keys = [("claude", "a")] * 5 + [("claude", "b")] * 1 + [("codex", "b")] * 7 + [("codex", "c")] * 2
    table = pa.Table.from_pylist(rows(keys))
    batches = table.to_batches(max_chunksize=4)  # boundaries inside and between sessions
    assert len(batches) == 4
    got = list(arrow_sessions(iter(batches)))
    assert [key for key, _ in got] == [("claude", "a"), ("claude", "b"), ("codex", "b"), ("codex", "c")]
    assert [part.num_rows for _, part in got] == [5, 1, 7, 2]
    assert [row for _, part in got for row in part.to_pylist()] == rows(keys)


def test_empty_stream_has_no_sessions():
    assert list(arrow_sessions(iter([]))) == []
    empty = pa.Table.from_pylist(rows([("claude", "a")])).slice(0, 0)
    assert list(arrow_sessions(iter(empty.to_batches()))) == []


def test_ipc_payload_of_a_slice_holds_only_the_slice():
    table = pa.Table.from_pylist(rows([("claude", "a")] * 1000 + [("claude", "b")] * 2))
    (_, first), (_, second) = arrow_sessions(iter(table.to_batches()))
    assert list(ipc_rows(to_ipc(second))) == second.to_pylist()
    assert len(to_ipc(second)) * 20 < len(to_ipc(first))  # not the buffers of the whole batch
