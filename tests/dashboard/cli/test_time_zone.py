"""An unknown time zone is refused even when no row would be grouped by it."""

from __future__ import annotations

from typer.testing import CliRunner

from dashboard.cli import app
from ingest.store import open_store


def test_an_unknown_time_zone_is_refused_on_an_empty_database(tmp_path):
    db = tmp_path / "empty.duckdb"
    open_store(db).close()
    result = CliRunner().invoke(app, ["costs", "daily", "--timezone", "Nowhere/Atlantis", "--db", str(db)])
    assert result.exit_code == 1
    assert "unknown time zone 'Nowhere/Atlantis'" in result.output
    known = CliRunner().invoke(app, ["costs", "daily", "--timezone", "Europe/Paris", "--json", "--db", str(db)])
    assert known.exit_code == 0, known.output
