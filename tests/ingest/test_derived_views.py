"""The derived views are created from queries/ at every rebuild and fill tables the migrations define."""

from __future__ import annotations

import re

import duckdb
import pytest

from ingest.derived_views import create_derived_views, derived_views_current
from ingest.migrations import apply_migrations
from ingest.refresh import rebuild_audit_tables, refresh_facts
from queries.derived import DERIVED_VIEWS, derived_views

TABLES = {
    "audit_compute_session_features": "audit_session_features",
    "audit_compute_spirals": "audit_spirals",
    "audit_compute_spiral_steps": "audit_spiral_steps",
    "audit_compute_completion": "audit_completion",
    "audit_compute_patches": "audit_patches",
    "audit_compute_features": "audit_features",
}


@pytest.fixture
def store():
    con = duckdb.connect()
    apply_migrations(con)
    yield con
    con.close()


def columns(con, name: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [name],
    ).fetchall()


def test_a_new_store_has_the_tables_and_no_view_until_a_rebuild(store):
    views = {name for (name,) in store.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views.isdisjoint(DERIVED_VIEWS)
    assert all(columns(store, table) for table in TABLES.values())
    assert not derived_views_current(store)
    rebuild_audit_tables(store)
    views = {name for (name,) in store.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert set(DERIVED_VIEWS) <= views and derived_views_current(store)


def test_every_view_gives_exactly_its_tables_columns(store):
    """A view that changes the columns of a materialized table needs a migration saying so."""
    rebuild_audit_tables(store)
    for view, table in TABLES.items():
        assert columns(store, view) == columns(store, table), view


def test_every_view_file_creates_the_view_it_is_named_after():
    assert len(set(DERIVED_VIEWS)) == len(DERIVED_VIEWS)
    for view in derived_views():
        assert view.sql.count("CREATE OR REPLACE VIEW") == 1
        assert f"CREATE OR REPLACE VIEW {view.name} AS" in view.sql
        assert not re.search(r"\$[a-z_]", view.sql)  # every threshold rendered


def test_each_view_reads_only_tables_and_the_views_before_it():
    for index, view in enumerate(derived_views()):
        body = view.sql.split(" AS\n", 1)[1]
        later = [name for name in DERIVED_VIEWS[index:] if f" {name}" in body or f"({name}" in body]
        assert later == [], f"{view.name} reads {later}, defined after it"


def test_a_rebuild_replaces_a_view_changed_in_the_store(store):
    """A store whose view was changed (an older dashcam's definition) gets the current one back."""
    rebuild_audit_tables(store)
    store.execute("CREATE OR REPLACE VIEW audit_failed_checks AS SELECT * FROM fact_commands WHERE false")
    store.execute("UPDATE _derived_views SET checksum = 'older' WHERE name = 'audit_failed_checks'")
    assert not derived_views_current(store)
    assert refresh_facts(store).audit_rebuilt  # no session changed: the views alone ask for the rebuild
    assert (
        "is_verification OR has_wait"
        in store.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'audit_failed_checks'").fetchone()[0]
    )
    assert derived_views_current(store)
    assert not refresh_facts(store).audit_rebuilt


def test_a_view_no_longer_defined_is_dropped(store):
    rebuild_audit_tables(store)
    store.execute("CREATE VIEW audit_retired AS SELECT 1 AS x")
    store.execute("INSERT INTO _derived_views VALUES ('audit_retired', 'x', now())")
    store.execute("BEGIN")
    create_derived_views(store)
    store.execute("COMMIT")
    assert store.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'audit_retired'").fetchone() == (0,)
    assert derived_views_current(store)
