"""The team lake on a real PostgreSQL catalog: three machines push, the team reads the sum.

Three simulated machines (three databases, three users whose sessions overlap in time and in
features) push to one DuckLake whose catalog is a throwaway PostgreSQL cluster and whose data
files sit in a local folder, as on a shared filesystem. Bob pushes twice (a session still being
written, then finished); Carol's first push is killed with SIGKILL after its rows are written
and before its commit. The lake must then read exactly like one database that ingested all
three: costs token for token, the audit findings, the weekly report's figures. Skipped when
PostgreSQL's server binaries are absent (apt-get install postgresql).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from ingest.lake import LAKE_TABLES, TeamConfig, connect_lake, load_team_config
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import REPO, SAMPLE_SESSIONS
from tests.dashboard.cli.test_export_import import without_text

TOKENS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens")
USERS = ("alice", "bob", "carol")
WEEK = "2026-W43"
# Python that pushes and stops right before the commit, saying so, until told to go on.
HOLDING_PUSH = """
import sys
from ingest.lake import load_team_config, push
def hold(summary):
    print("written", summary.sessions, flush=True)
    sys.stdin.readline()
push(load_team_config(), sys.argv[1], before_commit=hold)
print("committed", flush=True)
"""


def invoke(env: dict, *args: str):
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def machine_env(root: Path, machine: str) -> dict:
    return {"DASHCAM_TEAM": str(root / f"{machine}.toml"), "XDG_CACHE_HOME": str(root / f"cache-{machine}")}


def lake_counts(config: TeamConfig) -> dict[str, int]:
    con = connect_lake(config, read_only=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM lake.{t}").fetchone()[0] for t in LAKE_TABLES}
        counts["snapshot"] = con.execute("SELECT id FROM lake.current_snapshot()").fetchone()[0]
        return counts
    finally:
        con.close()


def local_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LAKE_TABLES}


def truncate_to_half(path: Path) -> bytes:
    """Keep the first half of the file's lines (a session still being written); return the whole file."""
    whole = path.read_bytes()
    lines = whole.splitlines(keepends=True)
    path.write_bytes(b"".join(lines[: len(lines) // 2]))
    return whole


@pytest.fixture(scope="module")
def team(postgres, tmp_path_factory):
    """Three machines pushed to one PostgreSQL-catalog lake, and one database that ingested all three."""
    root = tmp_path_factory.mktemp("team")
    catalog = postgres.create_database("lake_three")
    folders = {"alice": SAMPLE_SESSIONS / "alice", "carol": SAMPLE_SESSIONS / "carol", "bob": root / "bob-home"}
    shutil.copytree(SAMPLE_SESSIONS / "bob", folders["bob"])
    envs = {user: machine_env(root, f"{user}-laptop") for user in USERS}
    invoke(
        envs["alice"],
        "team",
        "init",
        "--catalog",
        catalog,
        "--data",
        str(root / "lake-data"),
        "--name",
        "acme",
        "--machine",
        "alice-laptop",
    )
    for user in ("bob", "carol"):
        invoke(
            envs[user],
            "team",
            "join",
            "--catalog",
            catalog,
            "--data",
            str(root / "lake-data"),
            "--name",
            "acme",
            "--machine",
            f"{user}-laptop",
        )
    dbs = {user: root / f"{user}.duckdb" for user in USERS}
    notes: dict = {}

    invoke(envs["alice"], "ingest", str(folders["alice"]), "--user", "alice", "--db", str(dbs["alice"]), "--push")

    # Bob pushes while a session is still being written, then again once it is finished.
    growing = sorted(folders["bob"].rglob("*.jsonl"))[0]
    whole = truncate_to_half(growing)
    invoke(envs["bob"], "ingest", str(folders["bob"]), "--user", "bob", "--db", str(dbs["bob"]), "--push")
    notes["bob_first"] = lake_counts(load_config(envs["bob"]))
    growing.write_bytes(whole)
    invoke(envs["bob"], "ingest", str(folders["bob"]), "--user", "bob", "--db", str(dbs["bob"]))
    notes["bob_second"] = invoke(envs["bob"], "push", "--db", str(dbs["bob"])).output
    notes["bob_after"] = lake_counts(load_config(envs["bob"]))
    notes["bob_third"] = invoke(envs["bob"], "push", "--db", str(dbs["bob"])).output

    # Carol's first push is killed after its rows are written, before the commit.
    invoke(envs["carol"], "ingest", str(folders["carol"]), "--user", "carol", "--db", str(dbs["carol"]))
    before_kill = lake_counts(load_config(envs["carol"]))
    files_before = set((root / "lake-data").rglob("*.parquet"))
    pusher = subprocess.Popen(
        [sys.executable, "-c", HOLDING_PUSH, str(dbs["carol"])],
        cwd=REPO,
        env={**os.environ, **envs["carol"]},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    notes["held"] = pusher.stdout.readline()
    pusher.send_signal(signal.SIGKILL)
    pusher.wait(timeout=30)
    notes["killed"] = (
        before_kill,
        lake_counts(load_config(envs["carol"])),
        pusher.returncode,
        set((root / "lake-data").rglob("*.parquet")) - files_before,
    )
    notes["carol_push"] = invoke(envs["carol"], "push", "--db", str(dbs["carol"])).output

    combined = root / "combined.duckdb"
    with open_store(combined) as con:
        for user in USERS:
            ingest_paths(con, [folders[user]], user)
    return {"root": root, "envs": envs, "dbs": dbs, "combined": combined, "notes": notes, "catalog": catalog}


def load_config(env: dict) -> TeamConfig:
    return load_team_config(Path(env["DASHCAM_TEAM"]))


def costs(env: dict, *args: str) -> dict:
    return json.loads(invoke(env, "costs", "daily", "--json", "--timezone", "UTC", *args).stdout)


def test_team_costs_are_the_sum_of_the_three_machines_token_for_token(team):
    locals_ = [costs({}, "--db", str(team["dbs"][user])) for user in USERS]
    lake = costs(team["envs"]["alice"], "--team")
    for key in TOKENS:
        assert lake["totals"][key] == sum(one["totals"][key] for one in locals_), key
    assert lake["totals"]["totalCost"] == pytest.approx(sum(one["totals"]["totalCost"] for one in locals_))
    per_day: dict = defaultdict(lambda: dict.fromkeys(TOKENS, 0))
    for one in locals_:
        for day in one["daily"]:
            for key in TOKENS:
                per_day[day["date"]][key] += day[key]
    assert {day["date"]: {key: day[key] for key in TOKENS} for day in lake["daily"]} == dict(per_day)
    assert lake["totals"]["totalTokens"] > 0


def test_the_lake_reads_like_one_database_of_all_three(team):
    """Audit findings (computed from the pushed facts, text left out) equal one database's."""
    lake = json.loads(invoke(team["envs"]["bob"], "audit", "--json", "--team").stdout)
    here = json.loads(invoke({}, "audit", "--json", "--db", str(team["combined"])).stdout)
    assert without_text(lake) == without_text(here)
    assert lake["spirals"] and lake["explanations"] and any(f["cliff"] for f in lake["features"])
    assert all(item.get("text") is None for item in lake["explanations"])  # text stayed home


def test_the_lake_holds_every_row_once(team):
    lake = lake_counts(load_config(team["envs"]["alice"]))
    assert {t: lake[t] for t in LAKE_TABLES} == local_counts(team["combined"])


def test_pushing_twice_sends_only_what_changed_and_then_nothing(team):
    notes = team["notes"]
    assert "Pushed 1 session(s)" in notes["bob_second"]  # the session that grew, whole again
    assert "Nothing to push" in notes["bob_third"]
    grown = notes["bob_after"]["messages"] - notes["bob_first"]["messages"]
    assert grown > 0 and notes["bob_after"]["snapshot"] == notes["bob_first"]["snapshot"] + 1


def test_a_push_killed_before_its_commit_leaves_the_lake_as_it_was(team):
    before, after, returncode, new_files = team["notes"]["killed"]
    assert team["notes"]["held"].startswith("written ") and int(team["notes"]["held"].split()[1]) > 0
    assert returncode == -signal.SIGKILL
    assert after == before  # same snapshot, same rows
    assert new_files  # its data files were written, and nothing points at them
    with duckdb.connect(str(team["dbs"]["carol"]), read_only=True) as con:
        sessions = con.execute("SELECT count(*) FROM sessions").fetchone()[0]
    assert f"Pushed {sessions} session(s)" in team["notes"]["carol_push"]


def test_the_weekly_report_has_the_same_figures_from_the_lake(team, tmp_path):
    for name, args, env in (
        ("lake", ("--team",), team["envs"]["carol"]),
        ("local", ("--db", str(team["combined"])), {}),
    ):
        invoke(
            env,
            "report",
            "--week",
            WEEK,
            "--format",
            "csv",
            "--timezone",
            "UTC",
            "--out-dir",
            str(tmp_path / name),
            *args,
        )
    local_files = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert local_files == sorted(p.name for p in (tmp_path / "lake").iterdir())
    for name in local_files:
        assert csv_cells(tmp_path / "lake" / name) == csv_cells(tmp_path / "local" / name), name
    headline = (tmp_path / "lake" / f"dashcam-{WEEK}-headline.csv").read_text()
    assert headline.splitlines()[1].startswith("cost,Cost,") and float(headline.splitlines()[1].split(",")[2]) > 0


def csv_cells(path: Path) -> list[list]:
    """The file's cells, numbers as approximate floats: a sum in another order differs in its last bit."""

    def cell(text: str):
        try:
            return pytest.approx(float(text), rel=1e-12)
        except ValueError:
            return text

    with path.open(newline="") as handle:
        return [[cell(text) for text in row] for row in csv.reader(handle)]


def test_a_report_names_the_snapshot_it_was_made_from(team):
    env = team["envs"]["carol"]
    snapshot = lake_counts(load_config(env))["snapshot"]
    page = invoke(env, "report", "--week", WEEK, "--format", "md", "-o", "-", "--team").stdout
    assert f"from team lake acme, snapshot {snapshot} (" in page


def test_status_lists_every_user_and_machine(team):
    shown = invoke(team["envs"]["alice"], "team", "status").stdout
    for user in USERS:
        assert user in shown and f"{user}-laptop" in shown
    assert "password" not in shown


# ---------------------------------------------------------------------------- a single-machine trial


@pytest.fixture
def trial(tmp_path, sample_db):
    """A lake with a local SQLite catalog and data folder (no server), the demo corpus pushed."""
    env = machine_env(tmp_path, "solo")
    invoke(
        env,
        "team",
        "init",
        "--catalog",
        str(tmp_path / "lake.sqlite"),
        "--data",
        str(tmp_path / "data"),
        "--name",
        "trial",
    )
    db = tmp_path / "mine.duckdb"
    shutil.copy(sample_db, db)
    invoke(env, "push", "--db", str(db))
    return env, db


def test_forget_removes_a_user_from_the_lake_and_from_later_pushes(trial):
    env, db = trial
    before = costs(env, "--team", "--by", "user")
    assert any(entry["user"] == "bob" for entry in before["daily"])
    invoke(env, "team", "forget", "bob")
    invoke(env, "push", "--db", str(db))
    after = costs(env, "--team", "--by", "user")
    assert not any(entry["user"] == "bob" for entry in after["daily"])
    bob = costs({}, "--db", str(db), "--user", "bob")["totals"]["totalTokens"]
    assert after["totals"]["totalTokens"] == before["totals"]["totalTokens"] - bob


def test_rename_reaches_the_lake_and_later_pushes(trial):
    env, db = trial
    before = costs(env, "--team")["totals"]
    invoke(env, "team", "rename", "carol", "caroline")
    users = {entry["user"] for entry in costs(env, "--team", "--by", "user")["daily"]}
    assert "caroline" in users and "carol" not in users
    invoke({}, "audit", "--rebuild", "--db", str(db))  # every session's facts anew: all pushed again
    assert "Pushed" in invoke(env, "push", "--db", str(db)).stdout
    after = costs(env, "--team", "--by", "user")
    assert "carol" not in {entry["user"] for entry in after["daily"]}
    assert after["totals"] == before  # replaced, not doubled


def test_a_push_without_a_team_says_how_to_set_one_up(tmp_path, sample_db):
    result = CliRunner().invoke(app, ["push", "--db", str(sample_db)], env=machine_env(tmp_path, "none"))
    assert result.exit_code == 1
    assert "dashcam team init" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------------------- the README's way


def readme_team_commands() -> list[list[str]]:
    """The commands of the README's team block, in order (comments dropped)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## One team, one lake", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    return [line.split() for line in block.splitlines() if line.startswith("dashcam ")]


def test_the_readme_takes_a_team_from_zero_to_a_shared_dashboard(postgres, tmp_path, monkeypatch):
    commands = readme_team_commands()
    assert [c[:3] for c in commands] == [
        ["dashcam", "team", "init"],
        ["dashcam", "team", "join"],
        ["dashcam", "ingest", "--push"],
        ["dashcam", "dashboard", "--team"],
    ]
    catalog, shared = postgres.create_database("lake_readme"), str(tmp_path / "shared")
    served = {}
    monkeypatch.setattr(os, "execve", lambda path, argv, env: served.update(env))
    for machine, user in (("first", "alice"), ("second", "bob")):
        home = tmp_path / f"home-{user}"
        shutil.copytree(SAMPLE_SESSIONS / user, home)
        env = {
            **machine_env(tmp_path, machine),
            "HOME": str(home),
            "USER": user,
            "CLAUDE_CONFIG_DIR": None,
            "CODEX_HOME": None,
            "XDG_DATA_HOME": None,
            "DASHCAM_DB": None,
        }
        for command in commands[1:3] if machine == "second" else commands[:1] + commands[2:3]:
            args = [catalog if "postgres://" in a else shared if a.startswith("/mnt/") else a for a in command[1:]]
            invoke(env, *args)
    invoke(env, *commands[3][1:])
    copy = Path(served["DASHCAM_DB"])
    assert copy.parent == tmp_path / "cache-second" / "dashcam"
    local = [
        costs({}, "--db", str(tmp_path / f"home-{user}" / ".local/share/dashcam/dashcam.duckdb"))
        for user in ("alice", "bob")
    ]
    lake = costs({}, "--db", str(copy))
    assert lake["totals"]["totalTokens"] == sum(one["totals"]["totalTokens"] for one in local) > 0


def test_a_quote_in_every_path_is_a_path_not_sql(tmp_path, sample_db):
    """ATTACH and LOAD take no parameters: folders named with a quote must still work."""
    home = tmp_path / "o'brien"
    home.mkdir()
    env = machine_env(home, "solo")
    invoke(
        env,
        "team",
        "init",
        "--catalog",
        str(home / "lake's.sqlite"),
        "--data",
        str(home / "data'files"),
        "--name",
        "quotes",
    )
    db = home / "mine's.duckdb"
    shutil.copy(sample_db, db)
    invoke(env, "push", "--db", str(db))
    local = costs({}, "--db", str(db))["totals"]["totalTokens"]
    assert costs(env, "--team")["totals"]["totalTokens"] == local > 0
