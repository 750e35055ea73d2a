"""A long session's facts read back in slices equal the facts of one streamed pass."""

from __future__ import annotations

import ingest.refresh as refresh
from ingest.pipeline import ingest_paths
from ingest.refresh import refresh_facts
from ingest.store import open_store
from tests.conftest import FIXTURES

TABLES = (
    "fact_commands",
    "fact_waits",
    "fact_edits",
    "fact_edit_lines",
    "fact_explanations",
    "fact_prompts",
    "fact_user_reports",
    "fact_active_spans",
)


def facts(con) -> dict[str, list]:
    return {
        table: sorted(
            map(
                repr,
                con.execute(
                    f"SELECT * EXCLUDE (refreshed_at) FROM {table}"
                    if table == "fact_sessions"
                    else f"SELECT * FROM {table}"
                ).fetchall(),
            )
        )
        for table in TABLES
    }


def test_sliced_walk_equals_streamed_walk(tmp_path, monkeypatch):
    sources = [FIXTURES / "claude_code", FIXTURES / "codex"]
    with open_store(tmp_path / "db.duckdb") as con:
        for source in sources:
            ingest_paths(con, [source], "alice")
        streamed = facts(con)
        assert sum(len(rows) for rows in streamed.values()) > 100
        monkeypatch.setattr(refresh, "LONG_SESSION_EVENTS", 20)
        monkeypatch.setattr(refresh, "SLICE_EVENTS", 7)
        summary = refresh_facts(con, rebuild=True)
        assert summary.sessions_refreshed > 5
        assert facts(con) == streamed
