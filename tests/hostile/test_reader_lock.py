"""An ingest that meets a reader's lock waits for it (bounded), then writes.

A second, real process holds a read-only connection, as a dashboard page does while it
queries. The writer must announce that it waits, wake when the reader closes, and give a
clear error when the reader outstays the bound.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from ingest.store import StoreBusy, open_store

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM _schema_version").fetchall()
print("holding", flush=True)
sys.stdin.readline()  # hold the read lock until told to let go
con.close()
print("released", flush=True)
"""


@pytest.fixture
def reader(db_path):
    with open_store(db_path):
        pass
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "holding"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_the_writer_waits_for_the_reader_and_then_writes(db_path, reader):
    said = []

    def on_wait(message):
        said.append(message)
        reader.stdin.write("\n")  # the reader finishes only once the writer is waiting
        reader.stdin.flush()

    con = open_store(db_path, wait_s=60, on_wait=on_wait)
    try:
        con.execute("CREATE TABLE written_after_wait AS SELECT 1 AS one")
    finally:
        con.close()
    assert len(said) == 1 and "waiting up to 60 s for a reader to finish" in said[0]
    assert reader.wait(timeout=30) == 0


def test_a_reader_that_outstays_the_bound_is_a_clear_error(db_path, reader):
    said = []
    started = time.monotonic()
    with pytest.raises(StoreBusy) as raised:
        open_store(db_path, wait_s=0.5, on_wait=said.append)
    assert time.monotonic() - started >= 0.5
    assert len(said) == 1
    assert "held by another process" in str(raised.value) and "Waited 0.5 s" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_wait_comes_from_the_environment(db_path, reader, monkeypatch):
    monkeypatch.setenv("DASHCAM_LOCK_WAIT", "0")
    with pytest.raises(StoreBusy) as raised:
        open_store(db_path, on_wait=lambda message: pytest.fail("no wait was allowed"))
    assert "Waited" not in str(raised.value)
