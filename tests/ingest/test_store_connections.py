"""Store connections: what every connection dashcam opens is set to."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import sys
from ingest.store import open_store
with open_store(sys.argv[1], read_only=sys.argv[2] == "ro") as con:
    print(con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0])
"""


def test_no_connection_draws_a_progress_bar_into_command_output(tmp_path):
    """DuckDB draws a progress bar on stdout for queries over 2 s, inside `--json` output on a busy
    machine; a separate process, since the setting's default depends on the process it runs in."""
    db = tmp_path / "db.duckdb"
    for mode in ("rw", "ro"):
        shown = subprocess.run(
            [sys.executable, "-c", PROBE, str(db), mode], capture_output=True, text=True, cwd=REPO, check=True
        ).stdout.strip()
        assert shown == "False", mode
