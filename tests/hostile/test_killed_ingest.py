"""An ingest killed with SIGKILL at any commit leaves a store the next run completes.

A child process ingests a corpus of real transcripts with small load groups and stops at
its k-th commit (it reports the commit, then blocks); the parent kills it there, runs the
ingest again and compares the totals with a clean run: rows per table, tokens, cost,
problems, redaction counts and audit facts.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import FIXTURES, REPO

CHILD = """
import sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
import ingest.pipeline as pipeline
from ingest.store import LoadTransaction, open_store
pipeline.GROUP_EVENTS = 100
stop_at = int(sys.argv[4])
seen = 0
original = LoadTransaction.commit_and_continue
def commit(self):
    global seen
    original(self)
    seen += 1
    if seen == stop_at:
        print("stopped", flush=True)
        sys.stdin.readline()  # the parent kills the process here
LoadTransaction.commit_and_continue = commit
with open_store(sys.argv[1]) as con:
    pipeline.ingest_paths(con, [Path(sys.argv[2])], "alice")
print("finished", flush=True)
"""

TOTALS = {
    "messages": "SELECT count(*), count(DISTINCT (source_path, line_no, seq)) FROM messages",
    "tool_calls": "SELECT count(*) FROM tool_calls",
    "tool_results": "SELECT count(*) FROM tool_results",
    "usage": "SELECT count(*), sum(input_tokens + output_tokens), round(sum(cost_usd), 6) FROM usage",
    "problems": "SELECT count(*) FROM problems",
    "ledger": "SELECT count(*), sum(bytes_consumed) FROM source_files",
    "redactions": "SELECT coalesce(sum(count), 0) FROM ingest_redactions",
    "facts": "SELECT (SELECT count(*) FROM fact_commands), (SELECT count(*) FROM fact_prompts), "
    "(SELECT count(*) FROM fact_sessions)",
}


def corpus(root: Path) -> Path:
    for folder in ("claude_code", "codex"):
        for path in sorted((FIXTURES / folder).glob("*.jsonl")):
            target = root / folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    (root / "claude_code" / "secret.jsonl").write_text(
        (FIXTURES / "claude_code" / "spotter__short.jsonl")
        .read_text()
        .replace("Let me check", "Let me check with ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")
    )
    return root


def totals(db: Path) -> dict:
    with open_store(db, read_only=True) as con:
        return {name: con.execute(sql).fetchone() for name, sql in TOTALS.items()}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = corpus(tmp_path_factory.mktemp("clean") / "logs")
    db = root.parent / "clean.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [root], "alice")
    return totals(db)


@pytest.mark.slow
@pytest.mark.parametrize("stop_at", [1, 3, 6])
def test_a_run_killed_at_a_commit_is_completed_by_the_next(tmp_path, clean, stop_at):
    root = corpus(tmp_path / "logs")
    db = tmp_path / "db.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(root), str(REPO), str(stop_at)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "stopped"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    with open_store(db) as con:
        ingest_paths(con, [root], "alice")
    got = totals(db)
    assert got["redactions"][0] >= 1
    assert got == clean
