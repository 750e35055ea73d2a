"""The fact tables are defined once, by the migrations; what the refresh loads must match them.

The refresh builds Arrow tables from the extractors' row dicts with ``refresh.SCHEMAS``.
``pa.Table.from_pylist`` fills a missing key with NULL and drops an unknown one without a
word, so a column renamed in one place and not the other would lose data silently: these
tests fail instead.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from ingest import fact_tables, refresh
from ingest.store import open_store
from tests.conftest import SAMPLE_SESSIONS

DUCKDB_TO_ARROW = {
    "VARCHAR": pa.string(),
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "TINYINT": pa.int8(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
}


@pytest.fixture(scope="module")
def table_columns(tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    with open_store(tmp_path_factory.mktemp("schema") / "s.duckdb") as con:
        return {
            table: con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
            for table in refresh.SCHEMAS
        }


@pytest.mark.parametrize("table", sorted(refresh.SCHEMAS))
def test_the_refresh_loads_exactly_the_columns_the_migrations_define(table, table_columns):
    loaded = {field.name: field.type for field in refresh.SCHEMAS[table]}
    stored = dict(table_columns[table])
    assert set(loaded) <= set(stored), f"{table}: the refresh loads columns the schema lacks"
    for name, arrow_type in loaded.items():
        assert DUCKDB_TO_ARROW[stored[name]] == arrow_type, f"{table}.{name}: {stored[name]} vs {arrow_type}"
    derived_elsewhere = set(stored) - set(loaded)
    assert derived_elsewhere <= {"imported_facts"}, f"{table}: columns nobody writes: {derived_elsewhere}"


def test_every_row_the_extractors_write_has_exactly_its_tables_columns(tmp_path):
    from ingest.pipeline import ingest_paths
    from queries import load_sql

    with open_store(tmp_path / "d.duckdb") as con:
        for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir())[:2]:
            ingest_paths(con, [folder], folder.name)
        sessions = con.execute("SELECT DISTINCT agent, session_id FROM messages LIMIT 40").fetchall()
        con.register(
            "_fact_batch", pa.table({"agent": [s[0] for s in sessions], "session_id": [s[1] for s in sessions]})
        )
        events = con.sql(load_sql("facts_batch_events")).to_arrow_table().to_pylist()
    from itertools import groupby

    from ingest.facts.session_facts import extract_session_facts

    seen = set()
    for _key, group in groupby(events, key=lambda e: (e["agent"], e["session_id"])):
        facts = extract_session_facts(list(group))
        for table, attribute in fact_tables._ROWS_OF_TABLE.items():
            for row in getattr(facts, attribute):
                assert set(row) == set(refresh.SCHEMAS[table].names), (
                    f"{table}: {set(row) ^ set(refresh.SCHEMAS[table].names)}"
                )
                seen.add(table)
    assert {"fact_commands", "fact_waits", "fact_edits", "fact_explanations"} <= seen
