"""Two copies of one real Aider history must not make the audit rebuild explode.

The resume walk once followed every link between the sessions of a copied file (every
session linked to every earlier one) and enumerated every path: gigabytes of temp files.
These tests run the ingest with DuckDB's memory and temp directory capped small, so the
old walk fails here in seconds instead of filling a disk.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import ingest.derived_views
from ingest.pipeline import ingest_paths
from ingest.refresh import refresh_facts
from ingest.store import StoreFull, open_store
from queries.derived import DerivedView, derived_views
from tests.conftest import FIXTURES, REPO

AIDER = sorted(p for p in (FIXTURES / "aider").glob("*.md") if p.name != "SOURCES.md")


def copy_history(root: Path) -> Path:
    root.mkdir(parents=True)
    for path in AIDER:
        shutil.copy(path, root / path.name)
    return root


def tight(con) -> None:
    """Small enough that an exponential walk hits the cap, roomy for a linear one."""
    con.execute("SET memory_limit = '96MB'")
    con.execute("SET max_temp_directory_size = '64MB'")
    con.execute("SET threads = 1")


def features(con) -> list[tuple]:
    return con.execute(
        "SELECT session_id, feature, root_id = session_id FROM audit_session_features ORDER BY session_id"
    ).fetchall()


@pytest.mark.parametrize("second_user", ["alice", "bob"], ids=["two-paths", "two-users"])
def test_two_copies_of_one_history_rebuild_as_one_copy_does(tmp_path, second_user):
    with open_store(tmp_path / "one.duckdb") as con:
        tight(con)
        ingest_paths(con, [copy_history(tmp_path / "a" / "proj")], "alice")
        one_copy = features(con)
    with open_store(tmp_path / "two.duckdb") as con:
        tight(con)
        ingest_paths(con, [copy_history(tmp_path / "a2" / "proj")], "alice")
        ingest_paths(con, [copy_history(tmp_path / "b2" / "proj")], second_user)
        summary = refresh_facts(con, rebuild=True)
        assert summary.audit_rebuilt
        sessions = con.execute("SELECT count(*) FROM sessions").fetchone()[0]
        assert con.execute("SELECT count(*) FROM audit_session_features").fetchone()[0] == sessions
        assert features(con) == one_copy
    assert len(one_copy) > 20  # the fixtures hold dozens of sessions: a dense graph for the old walk


def test_every_recursive_query_is_bounded():
    """Each WITH RECURSIVE in the shipped SQL is written with a depth bound."""
    texts = {
        path: path.read_text()
        for path in [*(REPO / "queries").glob("*.sql"), *(REPO / "ingest" / "migrations").glob("*.sql")]
    }
    recursive = {path: text for path, text in texts.items() if "RECURSIVE" in text.upper()}
    assert recursive
    for path, text in recursive.items():
        for block in text.upper().split("WITH RECURSIVE")[1:]:
            assert "DEPTH <" in block.split(")\n")[0] or "DEPTH <" in block[:600], path


def test_a_query_beyond_the_temp_cap_is_one_clear_error(tmp_path, monkeypatch):
    """The old, exponential walk is put back: the cap stops it with a StoreFull line."""
    monkeypatch.setenv("DASHCAM_TEMP_LIMIT", "16MB")
    # in this process: fact batches coming back from workers in another order leave other blocks
    # in memory, so the walk would stop at another statement (its own, COMMIT or ROLLBACK)
    monkeypatch.setenv("DASHCAM_FACT_WORKERS", "0")
    old = (FIXTURES / "previous_release" / "migrations" / "003_audit.sql").read_text()
    start = old.index("CREATE VIEW audit_compute_session_features")
    old_view = old[start : old.index(";", old.index("LEFT JOIN ruled r", start)) + 1]
    # the rebuild re-creates the derived views: it is handed the old walk in place of the current one
    views = tuple(
        DerivedView(view.name, old_view.replace("CREATE VIEW", "CREATE OR REPLACE VIEW"))
        if view.name == "audit_compute_session_features"
        else view
        for view in derived_views()
    )
    monkeypatch.setattr(ingest.derived_views, "derived_views", lambda: views)
    with open_store(tmp_path / "db.duckdb") as con:
        assert con.execute("SELECT current_setting('max_temp_directory_size')").fetchone()[0].startswith("15.2")
        con.execute("SET threads = 1")
        ingest_paths(con, [copy_history(tmp_path / "a" / "proj")], "alice")
        ingest_paths(con, [copy_history(tmp_path / "b" / "proj")], "bob", facts=False)
        con.execute("CHECKPOINT")  # what the ingests wrote leaves memory: the limit below is the walk's alone
        con.execute("SET memory_limit = '64MB'")  # the walk must spill: only the temp cap can stop it
        with pytest.raises(StoreFull) as raised:
            refresh_facts(con)
        message = str(raised.value)
        assert "\n" not in message and "DASHCAM_TEMP_LIMIT" in message and "16MB" in message
        # the store is still usable and the rows of the run are there, here and for the next command
        assert con.execute("SELECT count(DISTINCT source_path) FROM messages").fetchone()[0] == 2 * len(AIDER)
    with open_store(tmp_path / "db.duckdb") as con:
        assert con.execute("SELECT count(DISTINCT source_path) FROM messages").fetchone()[0] == 2 * len(AIDER)


def test_every_connection_caps_the_temp_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHCAM_TEMP_LIMIT", "300MB")
    with open_store(tmp_path / "db.duckdb") as con:
        assert con.execute("SELECT current_setting('max_temp_directory_size')").fetchone()[0] == "286.1 MiB"
    with open_store(tmp_path / "db.duckdb", read_only=True) as con:
        assert con.execute("SELECT current_setting('max_temp_directory_size')").fetchone()[0] == "286.1 MiB"


def test_the_temp_cap_is_recognised_whichever_statement_it_stops():
    """A walk that fills the cap can fail in its own statement, at COMMIT, or in the ROLLBACK after
    it; DuckDB names the setting in all three, and each must become the one-line StoreFull."""
    from ingest.store_guard import is_temp_limit_error

    cap = "failed to offload data block of size 256.0 KiB (15.0 MiB/15.2 MiB used). This limit was set by the 'max_temp_directory_size' setting."
    assert is_temp_limit_error(duckdb.OutOfMemoryException(f"Out of Memory Error: {cap}"))
    assert is_temp_limit_error(duckdb.TransactionException(f"TransactionContext Error: Failed to commit: {cap}"))
    assert is_temp_limit_error(
        duckdb.FatalException(f"FATAL Error: Failed to rollback transaction. Original Error: {cap}")
    )
    assert not is_temp_limit_error(duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block"))
    assert not is_temp_limit_error(ValueError(cap))
