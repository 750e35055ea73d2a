"""Several machines pushing to one team lake at the same time (PostgreSQL catalog).

Four pusher processes are started, wait at a gate until all four are ready (a condition: each
says so on its standard output), and then push at once: two of them are Alice's laptop and
desktop holding the same sessions. Nothing may be lost and nothing doubled. A commit conflict is
also made to happen on purpose (another machine commits while a push waits before its commit),
and a conflict that persists beyond the bound is reported in words.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest import lake
from ingest.lake import LAKE_TABLES, LakeConflict, TeamConfig, connect_lake, init_lake, push, rename_user
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import REPO, SAMPLE_SESSIONS

GATED_PUSH = """
import sys
from ingest.lake import load_team_config, push
config = load_team_config()
print("ready", flush=True)
sys.stdin.readline()
summary = push(config, sys.argv[1])
print("pushed", summary.sessions, summary.attempts, flush=True)
"""
# (machine, user) -> the folder it ingested; Alice's two machines hold the same sessions.
MACHINES = {"alice-laptop": "alice", "alice-desktop": "alice", "bob-laptop": "bob", "carol-laptop": "carol"}
PUSH_SECONDS = 300  # four pushes on two shared cores; the bound only stops a hung push


def ingest_db(path: Path, *users: str) -> Path:
    with open_store(path) as con:
        for user in users:
            ingest_paths(con, [SAMPLE_SESSIONS / user], user)
    return path


def row_counts(con: duckdb.DuckDBPyConnection, database: str, left_out: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Per table: (rows, distinct rows), a row compared without ``left_out`` (who loaded it, and when)."""
    found = {}
    for table in LAKE_TABLES:
        columns = {c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {database}.{table})").fetchall()}
        exclude = ", ".join(c for c in left_out if c in columns)
        rows = f"SELECT * EXCLUDE ({exclude}) FROM {database}.{table}" if exclude else f"FROM {database}.{table}"
        found[table] = con.execute(f"SELECT count(*), count(DISTINCT r) FROM ({rows}) r").fetchone()
    return found


def lake_rows(config: TeamConfig) -> dict[str, tuple[int, int]]:
    con = connect_lake(config, read_only=True)
    try:
        found = row_counts(con, "lake", ("machine", "run_id", "refreshed_at"))
        found["sessions"] = con.execute(
            "SELECT count(*), count(DISTINCT (agent, session_id)) FROM lake.team_sessions"
        ).fetchone()
        return found
    finally:
        con.close()


def local_rows(db: Path) -> dict[str, tuple[int, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        found = row_counts(con, "main", ("run_id", "refreshed_at"))
        found["sessions"] = con.execute("SELECT count(*), count(DISTINCT (agent, session_id)) FROM sessions").fetchone()
        return found


@pytest.mark.slow
def test_four_pushers_at_once_lose_and_double_nothing(postgres, tmp_path):
    catalog = postgres.create_database("lake_four")
    configs = {}
    for machine in MACHINES:
        configs[machine] = TeamConfig(catalog=catalog, data=str(tmp_path / "data"), name="four", machine=machine)
        (tmp_path / f"{machine}.toml").write_text(configs[machine].to_toml(), encoding="utf-8")
    init_lake(configs["alice-laptop"])
    dbs = {machine: ingest_db(tmp_path / f"{machine}.duckdb", user) for machine, user in MACHINES.items()}
    pushers = {
        machine: subprocess.Popen(
            [sys.executable, "-c", GATED_PUSH, str(dbs[machine])],
            cwd=REPO,
            text=True,
            env={**os.environ, "DASHCAM_TEAM": str(tmp_path / f"{machine}.toml")},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for machine in MACHINES
    }
    try:
        for pusher in pushers.values():
            assert pusher.stdout.readline().strip() == "ready", pusher.stderr.read()
        for pusher in pushers.values():
            pusher.stdin.write("go\n")
            pusher.stdin.flush()
        outputs = {machine: pusher.communicate(timeout=PUSH_SECONDS) for machine, pusher in pushers.items()}
    finally:
        for pusher in pushers.values():
            if pusher.poll() is None:
                pusher.kill()
    for machine, (out, err) in outputs.items():
        assert pushers[machine].returncode == 0, err
        assert out.startswith("pushed "), (machine, out, err)
    expected = local_rows(ingest_db(tmp_path / "all.duckdb", "alice", "bob", "carol"))
    found = lake_rows(configs["bob-laptop"])
    assert found == expected  # every row, each as often as in one database of the three users


def test_a_commit_conflict_is_retried_on_the_new_snapshot(postgres, tmp_path):
    """Bob's push commits while Alice's waits before its commit: hers is refused once, then stored."""
    catalog = postgres.create_database("lake_conflict")
    alice = TeamConfig(catalog=catalog, data=str(tmp_path / "data"), name="c", machine="alice-laptop")
    bob = TeamConfig(catalog=catalog, data=str(tmp_path / "data"), name="c", machine="bob-laptop")
    init_lake(alice)
    alice_db, bob_db = ingest_db(tmp_path / "a.duckdb", "alice"), ingest_db(tmp_path / "b.duckdb", "bob")
    bob_pushes = []

    def bob_commits_first(summary):
        if summary.attempts == 1:
            bob_pushes.append(push(bob, bob_db))

    summary = push(alice, alice_db, before_commit=bob_commits_first)
    assert summary.attempts == 2 and bob_pushes[0].attempts == 1
    expected = local_rows(ingest_db(tmp_path / "all.duckdb", "alice", "bob"))
    assert lake_rows(alice) == expected


def test_a_conflict_that_persists_is_reported_and_stores_nothing(postgres, tmp_path, monkeypatch):
    catalog = postgres.create_database("lake_busy")
    alice = TeamConfig(catalog=catalog, data=str(tmp_path / "data"), name="b", machine="alice-laptop")
    other = TeamConfig(catalog=catalog, data=str(tmp_path / "data"), name="b", machine="admin")
    init_lake(alice)
    monkeypatch.setattr(lake, "PUSH_ATTEMPTS", 3)
    renames = []

    def someone_else_commits(summary):
        renames.append(rename_user(other, f"nobody-{summary.attempts}", "x"))

    with pytest.raises(LakeConflict, match="conflicted with other machines' pushes 3 times in a row"):
        push(alice, ingest_db(tmp_path / "a.duckdb", "alice"), before_commit=someone_else_commits)
    assert len(renames) == 3
    assert lake_rows(alice)["messages"] == (0, 0)  # nothing of the push was stored
