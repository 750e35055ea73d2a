"""Facts extracted in worker processes are the very rows extracted in this process."""

from __future__ import annotations

import pytest

from ingest import refresh, worker_pool
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import FIXTURES

IGNORED = {"refreshed_at"}  # when, not what


def fact_rows(db) -> dict[str, list[tuple]]:
    with open_store(db, read_only=True) as con:
        rows = {}
        for table in refresh.SCHEMAS:
            columns = [c for c in refresh.SCHEMAS[table].names if c not in IGNORED]
            listed = ", ".join(columns)
            rows[table] = con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
        rows["audit_spirals"] = con.execute("SELECT * FROM audit_spirals ORDER BY ALL").fetchall()
        return rows


def ingest_fixtures(db) -> None:
    with open_store(db) as con:
        ingest_paths(con, [FIXTURES / "claude_code", FIXTURES / "codex"], "tester")


def test_worker_processes_extract_the_same_facts(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHCAM_FACT_WORKERS", "0")
    ingest_fixtures(tmp_path / "serial.duckdb")
    monkeypatch.setenv("DASHCAM_FACT_WORKERS", "2")
    monkeypatch.setattr(refresh, "PARALLEL_MIN_SESSIONS", 1)
    # some sessions walk here in slices while the others are in the workers
    monkeypatch.setattr(refresh, "LONG_SESSION_EVENTS", 40)
    monkeypatch.setattr(refresh, "SLICE_EVENTS", 25)
    monkeypatch.setattr(refresh, "IN_FLIGHT_BYTES", 20_000)
    sent = []
    submit = refresh.ProcessPoolExecutor.submit
    monkeypatch.setattr(
        refresh.ProcessPoolExecutor, "submit", lambda pool, *args: sent.append(args[1]) or submit(pool, *args)
    )
    ingest_fixtures(tmp_path / "workers.duckdb")
    assert len(sent) > 3  # sessions went to the workers (the others walked here)
    serial, workers = fact_rows(tmp_path / "serial.duckdb"), fact_rows(tmp_path / "workers.duckdb")
    assert sum(len(rows) for rows in serial.values()) > 100  # the fixtures have facts to compare
    assert serial["fact_commands"] and serial["fact_edits"]
    for table in serial:
        assert workers[table] == serial[table], table


@pytest.mark.parametrize(
    ("sessions", "setting", "cores", "expected"),
    [(5, "", 2, 0), (100, "", 2, 2), (100, "0", 2, 0), (100, "1", 2, 0), (100, "8", 2, 2), (100, "", 1, 0)],
)
def test_worker_count(monkeypatch, sessions, setting, cores, expected):
    monkeypatch.setenv("DASHCAM_FACT_WORKERS", setting)
    monkeypatch.setattr(worker_pool.os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert refresh.fact_workers(sessions) == expected
