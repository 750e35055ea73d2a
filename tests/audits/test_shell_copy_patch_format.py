"""Files written by copying, moving, patching, checking out or formatting through the shell, end
to end: sessions as Claude Code (Bash), Codex (each of its shell tools) and Gemini CLI
(run_shell_command) write them, ingested into a real DuckDB file.

After a failed check, ``cp`` of a fixed module over the broken one, ``git apply`` of a patch
written to a scratch file earlier, ``patch -p1 < fix.diff`` of a patch the session never showed,
and ``git checkout --`` of a file are fix attempts (the patch is recorded against the files it
names when its text is known, otherwise against the patch itself). A formatter's rewrite
(``black``, ``gofmt -w``) is an edit flagged as formatting and no fix attempt. A path with an
unexpanded variable (``"$f"`` of a loop) is kept as written: an edit of a file not known, which
counts as a fix attempt of that pattern.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import queries
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import CODEX_TOOLS, Session, write_session

PY_FAIL = (
    "FAILED tests/test_worker.py::test_health - AssertionError: unhealthy\n"
    "=================== 1 failed, 11 passed in 0.41s ==================="
)
PY_PASS = "=================== 12 passed in 0.38s ==================="
CHECK = "pytest tests/test_worker.py -q"
MODULE = "src/worker.py"
BROKEN = "def health(client):\n    return client.get('/health')\n"
DIFF = (
    "--- a/src/worker.py\n+++ b/src/worker.py\n@@ -1,2 +1,2 @@\n def health(client):\n"
    "-    return client.get('/health')\n+    return client.get('/health').status_code == 200\n"
)

# name: (the shell command after the failed check, the files of its fix attempt or None)
STORIES = {
    "copy": ("cp /tmp/worker_fixed.py src/worker.py", [MODULE]),
    "patch-written-earlier": (f"cat > /tmp/fix.diff <<'EOF'\n{DIFF}EOF\n", None),  # then git apply, below
    "patch-unseen": ("patch -p1 < fix.diff", ["<files of fix.diff>"]),
    "checkout": ("git checkout -- src/worker.py", [MODULE]),
    "loop-variable": ("for f in src/*.py; do sed -i 's/health/healthy/' \"$f\"; done", ["$f"]),
    "format": ("black src/worker.py", None),
}
FIX_FILES = {**{name: files for name, (_, files) in STORIES.items()}, "patch-written-earlier": [MODULE]}


def story(name: str, tool: str = "exec_command") -> Session:
    command, _ = STORIES[name]
    s = Session(f"shell-{name}-{tool}", repo="shop", start="2026-10-24T08:00:00Z", codex_tool=tool)
    s.prompt("Add a health check to the worker.")
    s.write(MODULE, BROKEN)
    s.shell(CHECK, PY_FAIL, exit_code=1)
    s.shell(command, "")
    if name == "patch-written-earlier":
        s.shell("git apply /tmp/fix.diff", "")
    s.shell(CHECK, PY_PASS)
    return s


def gemini_file(root: Path, name: str) -> Path:
    """The same story as Gemini CLI writes it (the module written with write_file)."""
    command, _ = STORIES[name]
    steps: list[tuple[str, dict, str]] = [
        ("write_file", {"file_path": f"/home/dev/src/shop/{MODULE}", "content": BROKEN}, "Wrote the file."),
        ("run_shell_command", {"command": CHECK}, f"Output: {PY_FAIL}\nExit Code: 1"),
        ("run_shell_command", {"command": command}, "Output: (empty)"),
    ]
    if name == "patch-written-earlier":
        steps.append(("run_shell_command", {"command": "git apply /tmp/fix.diff"}, "Output: (empty)"))
    steps.append(("run_shell_command", {"command": CHECK}, f"Output: {PY_PASS}"))
    messages = [
        {
            "id": f"{name}-0",
            "timestamp": "2026-10-24T08:00:00.000Z",
            "type": "user",
            "content": "Add a health check to the worker.",
        }
    ]
    for index, (tool, args, output) in enumerate(steps, start=1):
        at = f"2026-10-24T08:{index:02d}:00.000Z"
        call_id = f"{tool}-{index}-{name}"
        messages.append(
            {
                "id": f"{name}-{index}",
                "timestamp": at,
                "type": "gemini",
                "content": "",
                "thoughts": [],
                "tokens": {"input": 100, "output": 20, "cached": 0, "thoughts": 0, "tool": 0, "total": 120},
                "model": "gemini-2.5-pro",
                "toolCalls": [
                    {
                        "id": call_id,
                        "name": tool,
                        "args": args,
                        "result": [{"functionResponse": {"id": call_id, "name": tool, "response": {"output": output}}}],
                        "status": "success",
                        "timestamp": at,
                    }
                ],
            }
        )
    session_id = f"00000000-0000-4000-8000-{abs(hash(name)) % 10**12:012d}"
    path = root / ".gemini" / "tmp" / "shophash" / "chats" / f"session-2026-10-24T08-00-{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "sessionId": session_id,
        "projectHash": "shophash",
        "startTime": "2026-10-24T08:00:00.000Z",
        "lastUpdated": "2026-10-24T08:30:00.000Z",
        "messages": messages,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


SHAPES = [("claude", "exec_command"), *(("codex", tool) for tool in CODEX_TOOLS), ("gemini", "run_shell_command")]
CASES = [pytest.param(fmt, tool, id=f"{fmt}-{tool}" if fmt == "codex" else fmt) for fmt, tool in SHAPES]


@pytest.fixture(scope="module")
def shell_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("shell-copy-patch")
    sessions = {}
    for name in STORIES:
        for fmt, tool in SHAPES:
            if fmt == "gemini":
                gemini_file(root / "logs", name)
                sessions[(name, fmt, tool)] = ("gemini", name)
            else:
                session = story(name, tool)
                write_session(root / "logs" / fmt, session, fmt)
                sessions[(name, fmt, tool)] = (fmt, session.session_id(fmt))
    con = open_store(root / "audit.duckdb")
    ingest_paths(con, [root / "logs"], user_name="dev")
    ids = {}
    for key, (fmt, value) in sessions.items():
        if fmt == "gemini":
            found = con.execute(
                "SELECT DISTINCT session_id FROM fact_commands WHERE agent = 'gemini' AND source_path LIKE ?",
                [f"%-{value}.json"],
            ).fetchall()
            assert len(found) == 1, (value, found)
            ids[key] = found[0][0]
        else:
            ids[key] = value
    yield con, ids
    con.close()


def fix_attempts(con, session_id: str):
    patches = queries.run(con, "audit_patches")
    return patches[patches.session_id == session_id]


@pytest.mark.parametrize(("fmt", "tool"), CASES)
@pytest.mark.parametrize("name", [name for name in STORIES if name != "format"])
def test_a_shell_write_after_a_failed_check_is_a_fix_attempt(shell_db, name, fmt, tool):
    con, ids = shell_db
    found = fix_attempts(con, ids[(name, fmt, tool)])
    assert len(found) == 1, found
    attempt = found.iloc[0]
    assert list(attempt.files) == FIX_FILES[name]
    assert attempt.trigger_kind == "failed_verification"
    assert attempt.followed_by_pass


@pytest.mark.parametrize(("fmt", "tool"), CASES)
def test_a_patch_written_earlier_changes_the_lines_it_names(shell_db, fmt, tool):
    con, ids = shell_db
    attempt = fix_attempts(con, ids[("patch-written-earlier", fmt, tool)]).iloc[0]
    assert (attempt.lines_added, attempt.lines_removed) == (2, 2)  # the hunk's sides, context included
    scratch = con.execute(
        "SELECT count(*) FROM fact_edits WHERE session_id = ? AND file_path LIKE '%fix.diff%'",
        [ids[("patch-written-earlier", fmt, tool)]],
    ).fetchone()
    assert scratch == (0,)  # the scratch patch file itself is no edit


@pytest.mark.parametrize(("fmt", "tool"), CASES)
def test_a_formatter_rewrite_is_an_edit_but_no_fix_attempt(shell_db, fmt, tool):
    con, ids = shell_db
    session_id = ids[("format", fmt, tool)]
    rows = con.execute(
        "SELECT file_path, op FROM fact_edits WHERE session_id = ? AND op = 'format'", [session_id]
    ).fetchall()
    assert rows == [(MODULE, "format")]
    assert fix_attempts(con, session_id).empty
