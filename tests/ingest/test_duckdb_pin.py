"""DuckDB is pinned to the version the PyPI extension wheels are built for.

The team lake needs DuckDB's ducklake, postgres_scanner, sqlite_scanner and httpfs extensions;
these machines cannot reach DuckDB's extension server, so they come from PyPI wheels built for one
exact DuckDB version. A database written by an earlier dashcam (DuckDB 2.x storage, which 1.5
cannot read) must be met with a message saying how to rebuild it, not a traceback.
"""

from __future__ import annotations

import gzip
import re
import tomllib

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from ingest.lake import EXTENSION_PACKAGES, TeamConfig, connect_lake, extension_file
from tests.conftest import FIXTURES, REPO

PREVIOUS_DB = FIXTURES / "previous_dashcam_duckdb2.duckdb.gz"  # written by dashcam's migrations on DuckDB 2.0.1


def pinned() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(re.match(r"^([a-z0-9-]+)==(.+)$", spec).groups() for spec in project["dependencies"] if "==" in spec)


def test_duckdb_and_every_extension_wheel_share_one_version():
    versions = pinned()
    assert versions["duckdb"] == duckdb.__version__
    for name, package in EXTENSION_PACKAGES.items():
        assert versions[package.replace("_", "-")] == duckdb.__version__, name
        assert extension_file(name).name == f"{name}.duckdb_extension"
        assert f"v{duckdb.__version__}" in extension_file(name).parts


def test_the_lake_opens_with_extensions_from_the_wheels_only(tmp_path):
    con = connect_lake(TeamConfig(catalog=str(tmp_path / "lake.sqlite"), data=str(tmp_path / "data")))
    try:
        settings = con.execute(
            "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')"
        ).fetchone()
        loaded = {
            name for (name,) in con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
        }
    finally:
        con.close()
    assert settings == (False, False)
    assert {"ducklake", "sqlite_scanner"} <= loaded


@pytest.mark.parametrize("command", [["costs"], ["audit"], ["ingest", str(FIXTURES)]])
def test_a_database_of_the_previous_dashcam_says_to_ingest_again(tmp_path, command):
    db = tmp_path / "dashcam.duckdb"
    db.write_bytes(gzip.decompress(PREVIOUS_DB.read_bytes()))
    with pytest.raises(duckdb.IOException, match="newer version of DuckDB"):
        duckdb.connect(str(db), read_only=True)
    result = CliRunner().invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "DuckDB 2.x" in text and "run `dashcam ingest` again" in text and "Traceback" not in text
