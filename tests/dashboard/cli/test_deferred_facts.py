"""An ingest loads what is new and leaves the audit facts to the first command that reads them.

The facts computed later are the very facts an ingest with ``--facts`` computes at once, and
nothing that reads findings (audit, the dashboard's start) ever sees stale ones.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.cli.serve import _current_facts
from ingest.api import pending_fact_sessions
from tests.conftest import FIXTURES, REPO

runner = CliRunner()
SOURCES = (FIXTURES / "claude_code", FIXTURES / "codex")


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def ingest(db, *options: str) -> str:
    return invoke("ingest", *map(str, SOURCES), "--db", str(db), "--user", "ana", *options)


def counts(db) -> tuple[int, int, int]:
    """(sessions, sessions with facts, sessions whose facts are pending)."""
    with duckdb.connect(str(db), read_only=True) as con:
        sessions = con.execute("SELECT count(*) FROM sessions").fetchone()[0]
        with_facts = con.execute("SELECT count(*) FROM fact_sessions").fetchone()[0]
        return sessions, with_facts, pending_fact_sessions(con)


def audit(db) -> dict:
    return json.loads(invoke("audit", "--json", "--db", str(db)))


def test_ingest_defers_the_facts_and_says_so(tmp_path):
    db = tmp_path / "later.duckdb"
    output = ingest(db)
    sessions, with_facts, pending = counts(db)
    assert sessions > 5 and with_facts == 0 and pending == sessions
    assert f"{sessions} session(s) to audit" in " ".join(output.split())


def test_the_first_audit_computes_what_an_ingest_with_facts_computes(tmp_path):
    later, now = tmp_path / "later.duckdb", tmp_path / "now.duckdb"
    ingest(later)
    output = ingest(now, "--facts")
    sessions, with_facts, pending = counts(now)
    assert with_facts == sessions and pending == 0
    assert f"computed for {sessions} session(s)" in " ".join(output.split())
    deferred = audit(later)
    assert counts(later)[1:] == (sessions, 0)
    assert deferred == audit(now)
    assert deferred["explanations"] and deferred["features"]


def test_a_grown_session_is_pending_again_until_read(tmp_path):
    folder = tmp_path / "claude"
    shutil.copytree(FIXTURES / "claude_code", folder)
    db = tmp_path / "db.duckdb"
    invoke("ingest", str(folder), "--db", str(db), "--user", "ana")
    audit(db)
    assert counts(db)[2] == 0
    target = sorted(folder.glob("*.jsonl"))[0]
    last = target.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    record = json.loads(last)
    record["uuid"] = "0f0f0f0f-0000-4000-8000-000000000001"
    with open(target, "ab") as handle:
        handle.write(json.dumps(record).encode() + b"\n")
    output = invoke("ingest", str(folder), "--db", str(db), "--user", "ana")
    assert "1 session(s) to audit" in " ".join(output.split())
    assert counts(db)[2] == 1
    audit(db)
    assert counts(db)[2] == 0


@pytest.mark.parametrize("already_current", [False, True])
def test_the_dashboard_brings_facts_up_to_date_before_serving(tmp_path, capsys, already_current):
    db = tmp_path / "db.duckdb"
    ingest(db, *(["--facts"] if already_current else []))
    _current_facts(db)
    sessions, with_facts, pending = counts(db)
    assert with_facts == sessions and pending == 0
    assert ("brought up to date" in capsys.readouterr().out) is not already_current


def test_the_guard_hears_of_the_features_once_facts_are_computed(tmp_path):
    from ingest.guard.load import state_dir

    marks = state_dir() / "cliff.json"
    marks.unlink(missing_ok=True)
    db = tmp_path / "db.duckdb"
    for folder in sorted(p for p in (REPO / "sample_sessions").iterdir() if p.is_dir()):
        invoke("ingest", str(folder), "--db", str(db), "--user", folder.name)
    before = json.loads(marks.read_text())["features"] if marks.exists() else {}
    audit(db)
    after = json.loads(marks.read_text())["features"]
    with duckdb.connect(str(db), read_only=True) as con:
        past_80 = con.execute(
            "SELECT count(*) FROM audit_features WHERE t80 IS NOT NULL AND feature LIKE '%@%'"
        ).fetchone()[0]
    assert not before and past_80 and len(after) == past_80


@pytest.mark.parametrize("content", [b"", b"not a database\n" * 100])
def test_an_unreadable_database_is_one_line_and_left_alone(tmp_path, capsys, content):
    db = tmp_path / "db.duckdb"
    db.write_bytes(content)
    _current_facts(db)
    said = capsys.readouterr()
    assert "Audit facts not refreshed" in said.err + said.out and "Traceback" not in said.err
    assert db.read_bytes() == content
