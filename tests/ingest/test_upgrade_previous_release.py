"""A store made by the previous release gets the current detectors when this dashcam opens it.

The previous release (0.1.0) kept the derived audit views inside migrations 003 and 007. Its
migrations and rebuild script are kept, as it shipped them, in
``tests/fixtures/previous_release/``; the store is built with them the way that release's
``open_store`` did, filled with the facts of two sessions of one feature and rebuilt by the
old views. A spiral that runs across the two sessions is invisible to the old views and must
be found once the current code has opened the store: the findings are re-derived from the
stored facts by the current view definitions, without a transcript read again.
"""

from __future__ import annotations

import hashlib

import duckdb

from ingest.api import ensure_current_facts
from ingest.derived_views import derived_views_current
from ingest.migrations import SUPERSEDED, apply_migrations
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from queries.derived import derived_views
from tests.agent_transcripts import write_session
from tests.audits.test_cross_session_audits import day_one, day_two
from tests.conftest import FIXTURES

PREVIOUS = FIXTURES / "previous_release"
PREVIOUS_EXTRACTOR_VERSION = 5


def previous_release_store(path) -> None:
    """An empty store exactly as the previous release's migrations left it."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE _schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
        for file in sorted((PREVIOUS / "migrations").glob("*.sql")):
            sql = file.read_text(encoding="utf-8")
            con.execute(sql)
            con.execute(
                "INSERT INTO _schema_version (version, name, checksum) VALUES (?, ?, ?)",
                [int(file.name[:3]), file.stem[4:], hashlib.sha256(sql.encode()).hexdigest()],
            )


def copy_rows(source, target) -> None:
    """The events and facts of ``source`` into the previous release's tables, column by column."""
    with duckdb.connect(str(target)) as con:
        con.execute(f"ATTACH '{source}' AS new (READ_ONLY)")
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                " AND table_name NOT LIKE 'audit\\_%' ESCAPE '\\' AND table_name <> '_schema_version'"
            ).fetchall()
        ]
        for table in tables:
            names = [
                name
                for (name,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
                    " AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            # the previous release stamped facts with extractor version 5 (an integer, before 012)
            values = ", ".join(
                str(PREVIOUS_EXTRACTOR_VERSION)
                if (table, name) == ("fact_sessions", "extractor_version")
                else f'"{name}"'
                for name in names
            )
            columns = ", ".join(f'"{name}"' for name in names)
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {values} FROM new.{table}")
        con.execute((PREVIOUS / "audit_rebuild.sql").read_text(encoding="utf-8"))


def test_the_previous_release_texts_are_the_superseded_ones():
    for version, checksums in SUPERSEDED.items():
        (file,) = (PREVIOUS / "migrations").glob(f"{version:03d}_*.sql")
        assert hashlib.sha256(file.read_bytes()).hexdigest() in checksums


def test_an_upgraded_store_re_derives_its_findings_with_the_current_views(tmp_path):
    first, second = day_one("upgrade-1", "feature/leader"), day_two("upgrade-2", "feature/leader")
    for session in (first, second):
        write_session(tmp_path / "logs", session, "claude")
    with open_store(tmp_path / "current.duckdb") as con:
        ingest_paths(con, [tmp_path / "logs"], user_name="dev")
    db = tmp_path / "previous.duckdb"
    previous_release_store(db)
    copy_rows(tmp_path / "current.duckdb", db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fact_waits").fetchone()[0] >= 3
        assert con.execute("SELECT count(*) FROM audit_session_features").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM audit_spirals").fetchone()[0] == 0  # one session at a time
        assert not derived_views_current(con)

    assert ensure_current_facts(db)  # what `dashcam audit` does first: the views are behind, it rebuilds
    with open_store(db) as con:
        assert apply_migrations(con) == []  # 003 and 007 were rewritten on purpose: no warning
        spirals = con.execute("SELECT session_id, sessions, escalations, outcome FROM audit_spirals").fetchall()
        assert spirals == [
            (first.session_id("claude"), [first.session_id("claude"), second.session_id("claude")], 3, "masked")
        ]
        stored = {
            name: sql
            for name, sql in con.execute(
                "SELECT view_name, sql FROM duckdb_views() WHERE view_name LIKE 'audit\\_%' ESCAPE '\\'"
            ).fetchall()
        }
        assert set(stored) == {view.name for view in derived_views()}
        assert "scope" in stored["audit_compute_spirals"]  # the current definition, not 003's
        assert derived_views_current(con)
    assert not ensure_current_facts(db)  # rebuilt once: nothing left to do
