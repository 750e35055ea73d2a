"""Files edited through the shell, end to end: sessions written as Claude Code (Bash) and Codex
(each of its shell tools) write them, ingested into a real DuckDB file.

A timeout raised only with ``sed -i`` in the same command as a failing test run is a spiral;
a module rewritten with ``cat > src/x.py <<EOF`` after a failed check is a fix attempt; a
heredoc to /tmp, a ``tee`` of a test log, ``sed -n`` reads, ``echo done`` and ``> /dev/null``
are no edits at all.
"""

from __future__ import annotations

import pytest

import queries
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import CODEX_TOOLS, Session, write_session

PY_FAIL = (
    "FAILED tests/test_worker.py::test_health - TimeoutError: worker not healthy\n"
    "=================== 1 failed, 11 passed in {s}.18s ==================="
)
PY_PASS = "=================== 12 passed in 6.02s ==================="
FORMATS = [("claude", "exec_command"), *(("codex", tool) for tool in CODEX_TOOLS)]
MODULE = "src/worker.py"
MODULE_TEXT = "def health(client):\n    return client.get('/health').status_code == 200\n"


def sed_spiral(tool: str) -> Session:
    """values.yaml's timeout raised 30 → 60 → 120 → 240 s by sed, each raise run with the failing tests."""
    s = Session(f"shell-sed-{tool}", repo="infra", start="2026-10-21T08:00:00Z", codex_tool=tool)
    s.prompt("The worker health test keeps failing, please get it green.")
    s.shell("pytest tests/test_worker.py -q", PY_FAIL.format(s=30), exit_code=1, seconds=30)
    for old, new in [(30, 60), (60, 120), (120, 240)]:
        s.shell(
            f"sed -i 's/timeout: {old}s/timeout: {new}s/' deploy/values.yaml && pytest tests/test_worker.py -q",
            PY_FAIL.format(s=new),
            exit_code=1,
            seconds=new,
        )
    return s


def heredoc_fix(tool: str) -> Session:
    """A failed check, the module rewritten with a heredoc, the check passes: one fix attempt."""
    s = Session(f"shell-fix-{tool}", repo="shop", start="2026-10-22T08:00:00Z", codex_tool=tool)
    s.prompt("Add a health check to the worker.")
    s.write(MODULE, "def health(client):\n    return client.get('/health')\n")
    s.shell("pytest tests/test_worker.py -q", PY_FAIL.format(s=3), exit_code=1)
    s.shell(f"cat > {MODULE} <<'EOF'\n{MODULE_TEXT}EOF", "")
    s.shell("pytest tests/test_worker.py -q", PY_PASS)
    return s


def look_alikes(tool: str) -> Session:
    """After a failed check: scratch files, logs, reads and prints, then a pass. No edit, no fix."""
    s = Session(f"shell-none-{tool}", repo="shop", start="2026-10-23T08:00:00Z", codex_tool=tool)
    s.prompt("Why does the worker test fail?")
    s.shell("pytest tests/test_worker.py -q", PY_FAIL.format(s=3), exit_code=1)
    s.shell("cat > /tmp/repro.py <<'EOF'\nimport src.worker\nprint(src.worker.health)\nEOF\npython /tmp/repro.py", "")
    s.shell("pytest tests/test_worker.py -q 2>&1 | tee test.log", PY_FAIL.format(s=3))
    s.shell(f"sed -n '1,20p' {MODULE}", MODULE_TEXT)
    s.shell(f"cat {MODULE} && echo done", MODULE_TEXT + "done")
    s.shell("pytest tests/test_worker.py -q > /dev/null 2>&1; echo $?", "1")
    s.shell(
        "sed -i 's/timeout: 30s/timeout: 60s/' deploy/missing.yaml",
        "sed: can't read deploy/missing.yaml: No such file or directory",
        exit_code=2,
    )
    s.shell("pytest tests/test_worker.py -q", PY_PASS)
    return s


STORIES = {"sed": sed_spiral, "fix": heredoc_fix, "none": look_alikes}


@pytest.fixture(scope="module")
def shell_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("shell-edits")
    ids = {}
    for name, builder in STORIES.items():
        for fmt, tool in FORMATS:
            session = builder(tool)
            write_session(root / "logs", session, fmt)
            ids[(name, fmt, tool)] = session.session_id(fmt)
    con = open_store(root / "audit.duckdb")
    ingest_paths(con, [root / "logs"], user_name="dev")
    yield con, ids
    con.close()


CASES = [pytest.param(fmt, tool, id=f"{fmt}-{tool}" if fmt == "codex" else fmt) for fmt, tool in FORMATS]


@pytest.mark.parametrize(("fmt", "tool"), CASES)
def test_sed_raises_run_with_failing_tests_are_a_spiral(shell_db, fmt, tool):
    con, ids = shell_db
    frame = queries.run(con, "audit_spirals")
    found = frame[frame.session_id == ids[("sed", fmt, tool)]]
    assert len(found) == 1, found
    spiral = found.iloc[0]
    assert list(spiral.values_s) == [30, 60, 120, 240]
    assert spiral.escalations == 3
    assert (spiral.site, spiral.file_path) == ("deploy/values.yaml::timeout", "deploy/values.yaml")
    assert spiral.source == "edit"
    assert spiral.outcome == "unresolved"


@pytest.mark.parametrize(("fmt", "tool"), CASES)
def test_a_heredoc_rewrite_after_a_failed_check_is_a_fix_attempt(shell_db, fmt, tool):
    con, ids = shell_db
    patches = queries.run(con, "audit_patches")
    found = patches[patches.session_id == ids[("fix", fmt, tool)]]
    assert len(found) == 1, found
    patch = found.iloc[0]
    assert list(patch.files) == [MODULE]
    assert patch.trigger_kind == "failed_verification"
    assert patch.followed_by_pass
    assert (patch.lines_added, patch.lines_removed) == (1, 1)  # compared with the module's first write


@pytest.mark.parametrize(("fmt", "tool"), CASES)
def test_scratch_files_logs_and_reads_are_not_edits(shell_db, fmt, tool):
    con, ids = shell_db
    session_id = ids[("none", fmt, tool)]
    edits = con.execute("SELECT file_path FROM fact_edits WHERE session_id = ?", [session_id]).fetchall()
    assert edits == []
    patches = queries.run(con, "audit_patches")
    assert patches[patches.session_id == session_id].empty


@pytest.mark.parametrize(("fmt", "tool"), CASES)
def test_shell_edits_are_in_the_project(shell_db, fmt, tool):
    con, ids = shell_db
    rows = con.execute(
        "SELECT file_path, in_project, op FROM fact_edits WHERE session_id = ? AND op <> 'write' ORDER BY ord",
        [ids[("sed", fmt, tool)]],
    ).fetchall()
    assert rows == [("deploy/values.yaml", True, "sed")] * 3
