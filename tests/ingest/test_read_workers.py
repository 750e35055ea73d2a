"""Files read by worker processes make the store a single process makes (ingest.read_workers)."""

from __future__ import annotations

import pytest

from ingest import read_workers
from ingest.pipeline import ingest_paths
from ingest.read_workers import FileSpec, read_file
from ingest.store import EVENT_TABLES, open_store
from tests.conftest import SAMPLE_SESSIONS, SHARED_SESSIONS
from tests.ingest.test_pipeline import claude_line, totals
from tests.ingest.test_staging import table_contents

TABLES = (*EVENT_TABLES, "source_files", "summary_dirty", "ingest_redactions")


def ingested(db, monkeypatch, roots: list, workers: int) -> tuple[dict[str, list[tuple]], int]:
    """Every table's contents after ingesting ``roots`` (one user per folder), and how many runs started workers."""
    started = []
    start = read_workers.start_pool

    def counted(count):
        started.append(count)
        return start(count)

    monkeypatch.setenv("DASHCAM_READ_WORKERS", str(workers))
    monkeypatch.setattr(read_workers, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(read_workers, "start_pool", counted)
    with open_store(db) as con:
        for root in roots:
            ingest_paths(con, [root], root.name, facts=False)
        contents = {table: table_contents(con, table) for table in TABLES}
    return contents, len(started)


def user_folders(root) -> list:
    return sorted(p for p in root.iterdir() if p.is_dir())


def test_the_demo_corpus_read_by_workers_is_the_store_one_process_makes(tmp_path, monkeypatch):
    one, pools_one = ingested(tmp_path / "one.duckdb", monkeypatch, user_folders(SAMPLE_SESSIONS), workers=0)
    two, pools_two = ingested(tmp_path / "two.duckdb", monkeypatch, user_folders(SAMPLE_SESSIONS), workers=2)
    assert (pools_one, pools_two) == (0, 4)  # one run per user
    assert sum(map(len, one.values())) > 1000
    for table in TABLES:
        assert two[table] == one[table], table


@pytest.mark.slow
def test_the_real_transcripts_read_by_workers_are_the_store_one_process_makes(tmp_path, monkeypatch):
    if not SHARED_SESSIONS.exists():
        pytest.skip(f"{SHARED_SESSIONS} is not present (real transcripts live beside the repository)")
    one, _ = ingested(tmp_path / "one.duckdb", monkeypatch, [SHARED_SESSIONS], workers=0)
    two, pools = ingested(tmp_path / "two.duckdb", monkeypatch, [SHARED_SESSIONS], workers=2)
    assert pools == 1
    for table in TABLES:
        assert two[table] == one[table], table


def spec(path, **overrides) -> FileSpec:
    fields = dict(
        agent="claude",
        path=str(path),
        key=str(path),
        offset=0,
        line_no=0,
        state={},
        read_unterminated=False,
        user_name="alice",
        run_id="run",
        max_events=1000,
    )
    return FileSpec(**{**fields, **overrides})


def test_a_file_a_worker_cannot_finish_comes_back_to_the_ingest_process(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(claude_line(i) for i in range(5)), encoding="utf-8")
    read = read_file(spec(path))
    assert read is not None and read.usage_rows == 5 and read.tables["usage"].num_rows == 5
    assert read.offset == path.stat().st_size and read.line_no == 5
    assert read_file(spec(path, max_events=3)) is None  # it needs checkpoints: read in parts by the ingest
    assert read_file(spec(tmp_path / "gone.jsonl")) is None  # the ingest reports why, as for any file


def test_files_read_by_workers_resume_and_rewrite_like_any(tmp_path, monkeypatch):
    """Appends and rewrites through the workers: the ledger's offsets hold, nothing is doubled."""
    logs = tmp_path / "alice"
    for n in range(4):
        (logs / f"s{n}").mkdir(parents=True)
        (logs / f"s{n}" / "a.jsonl").write_text(
            "".join(claude_line(i, session=f"s{n}", request_id=f"r{n}-{i}", message_id=f"m{n}-{i}") for i in range(3)),
            encoding="utf-8",
        )
    monkeypatch.setenv("DASHCAM_READ_WORKERS", "2")
    monkeypatch.setattr(read_workers, "PARALLEL_MIN_FILES", 2)
    with open_store(tmp_path / "db.duckdb") as con:
        ingest_paths(con, [logs], "alice", facts=False)
        assert totals(con)[0] == 12
        for n in range(4):
            with open(logs / f"s{n}" / "a.jsonl", "a", encoding="utf-8") as handle:
                handle.write(claude_line(9, session=f"s{n}", request_id=f"r{n}-9", message_id=f"m{n}-9"))
        (logs / "s0" / "a.jsonl").write_text(claude_line(7, session="s0", request_id="r0-7", message_id="m0-7"))
        summary = ingest_paths(con, [logs], "alice", facts=False)
        assert summary.files_read == 4
        assert totals(con)[0] == 1 + 3 * 4
        assert con.execute("SELECT count(*) FROM messages WHERE session_id = 's0'").fetchone()[0] == 1


def test_queued_tables_typed_apart_are_inserted_one_by_one(tmp_path):
    """Files' tables are queued and inserted together; a column all null in one file and typed in
    another is joined, a column typed differently in two files makes each go in as it came."""
    import pyarrow as pa

    from ingest.store import LoadTransaction

    with open_store(tmp_path / "db.duckdb") as con:
        con.execute("CREATE TABLE t (agent VARCHAR, session_id VARCHAR, n BIGINT, note VARCHAR)")
        with LoadTransaction(con) as txn:
            txn.insert_later("t", pa.table({"agent": ["a"], "session_id": ["s1"], "n": [1], "note": [None]}))
            txn.insert_later("t", pa.table({"agent": ["a"], "session_id": ["s2"], "n": [2], "note": ["x"]}))
            txn.insert_later("t", pa.table({"agent": ["a"], "session_id": ["s3"], "n": ["3"], "note": ["y"]}))
        assert con.execute("SELECT session_id, n, note FROM t ORDER BY 1").fetchall() == [
            ("s1", 1, None),
            ("s2", 2, "x"),
            ("s3", 3, "y"),
        ]
