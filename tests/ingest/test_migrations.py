"""The schema is built by numbered migrations, recorded with checksums, applied once."""

from __future__ import annotations

import duckdb
import pytest

from ingest import migrations
from ingest.migrations import Migration, MigrationError, apply_migrations, available_migrations, schema_version


def test_blank_database_gets_every_table_and_view(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert apply_migrations(con) == []
    names = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {
        "messages",
        "usage",
        "tool_calls",
        "tool_results",
        "problems",
        "source_files",
        "ingest_runs",
        "billed_usage",
        "sessions",
        "_schema_version",
    } <= names
    assert schema_version(con) == available_migrations()[-1].version


def test_migrations_apply_once(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    apply_migrations(con)
    apply_migrations(con)
    versions = [v for (v,) in con.execute("SELECT version FROM _schema_version ORDER BY version").fetchall()]
    assert versions == [m.version for m in available_migrations()]


def test_edited_migration_is_reported(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    apply_migrations(con)
    con.execute("UPDATE _schema_version SET checksum = 'changed' WHERE version = 1")
    warnings = apply_migrations(con)
    assert len(warnings) == 1 and "001_initial" in warnings[0]


def test_usage_columns_match_the_loader(tmp_path):
    """The row builder and the table must agree on every usage column."""
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    apply_migrations(con)
    columns = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'usage'"
        ).fetchall()
    }
    assert {
        "cache_write_5m_tokens",
        "cache_write_1h_tokens",
        "cost_usd",
        "price_source",
        "estimated",
        "dedup_key",
        "user_name",
    } <= columns


def test_failed_migration_rolls_back(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    apply_migrations(con)
    broken = Migration(999, "broken", "CREATE TABLE half_done (a INTEGER); SELECT * FROM no_such_table;")
    monkeypatch.setattr(migrations, "available_migrations", lambda: [broken])
    with pytest.raises(duckdb.Error):
        migrations.apply_migrations(con)
    tables = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half_done" not in tables
    assert schema_version(con) == 1 or schema_version(con) < 999


def test_duplicate_migration_numbers_are_refused(monkeypatch, tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "001_a.sql").write_text("SELECT 1;")
    (folder / "001_b.sql").write_text("SELECT 2;")

    class FakeFiles:
        def iterdir(self):
            return folder.iterdir()

    monkeypatch.setattr(migrations.resources, "files", lambda _package: FakeFiles())
    with pytest.raises(MigrationError, match="share number 001"):
        available_migrations()
