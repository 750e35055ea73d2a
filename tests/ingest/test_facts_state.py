"""The cheap "are any audit facts behind?" check (migration 021) agrees with the full one.

While the record of the last complete facts refresh matches the stored ingest runs, the full
checks over the events (queries/facts_stale_sessions.sql, facts_orphan_sessions.sql) must find
nothing; after any run that adds, re-reads or removes rows, the record no longer matches and
the full checks decide.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest import api
from ingest.pipeline import ingest_paths
from ingest.refresh import EXTRACTOR_VERSION, refresh_facts
from ingest.store import facts_current, open_store
from queries import execute
from tests.conftest import FIXTURES


def full_check(con: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    stale = execute(con, "facts_stale_sessions", extractor_version=EXTRACTOR_VERSION, rebuild=False).fetchall()
    return stale, execute(con, "facts_orphan_sessions").fetchall()


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_the_record_says_current_only_when_the_full_check_finds_nothing(tmp_path):
    db = tmp_path / "store.duckdb"
    live = tmp_path / "live"
    live.mkdir()
    source = max((FIXTURES / "claude_code").glob("*.jsonl"), key=lambda p: len(lines_of(p)))
    half = lines_of(source)
    (live / source.name).write_bytes(b"".join(half[: len(half) // 2]))
    states = []
    with open_store(db) as con:
        assert not facts_current(con, EXTRACTOR_VERSION)  # never recorded
        ingest_paths(con, [FIXTURES / "codex", live], "ana")  # with facts: refreshed at the end
        states.append((facts_current(con, EXTRACTOR_VERSION), full_check(con)))
        (live / source.name).write_bytes(source.read_bytes())  # the file grows; facts deferred
        ingest_paths(con, [live], "ana", facts=False)
        states.append((facts_current(con, EXTRACTOR_VERSION), full_check(con)))
        assert api.pending_fact_sessions(con) == len(states[-1][1][0]) == 1
        refresh_facts(con)
        states.append((facts_current(con, EXTRACTOR_VERSION), full_check(con)))
        assert api.pending_fact_sessions(con) == 0
        (live / source.name).write_bytes(b"".join(half[:3]))  # rewritten shorter: read again
        ingest_paths(con, [live], "ana", facts=False)
        states.append((facts_current(con, EXTRACTOR_VERSION), full_check(con)))
        (live / source.name).unlink()
        refresh_facts(con)
        states.append((facts_current(con, EXTRACTOR_VERSION), full_check(con)))
        assert not facts_current(con, "another extractor")
    assert [current for current, _ in states] == [True, False, True, False, True]
    for current, (stale, orphans) in states:
        if current:
            assert stale == [] and orphans == []
    assert states[1][1][0] and states[3][1][0]  # the runs in between did leave work
    assert api.facts_pending(db) == (False, False)


def test_an_unchanged_ingest_is_checked_in_full_once_then_recorded(tmp_path):
    db = tmp_path / "store.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [FIXTURES / "aider"], "dave")
        ingest_paths(con, [FIXTURES / "aider"], "dave", facts=False)  # a run that read nothing new
        assert not facts_current(con, EXTRACTOR_VERSION)
        assert full_check(con) == ([], [])
        assert refresh_facts(con).sessions_refreshed == 0
        assert facts_current(con, EXTRACTOR_VERSION)
