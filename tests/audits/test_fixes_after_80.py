"""Fix attempts past a feature's 80% mark are all counted, and nothing else is.

A feature is written on its first day; its later sessions (Claude Code, then Codex, on the same
branch) are the long tail. Each fix attempt there is opened by what a person or a check said:
a symptom in plain words ("the export still drops the last row", "still broken on Safari"), a
pasted traceback or CI log, a check that failed while its exit status was hidden (``| tail``,
``; echo done``), a check the tool killed at its budget. A fix spread over several edits before
the next check is one attempt, and so is one the person lets go on ("yes, go ahead", "fix
it"); another check that passes before the fix begins (a lint run
after a report, a type check after a failed test) does not answer what opened it. Refactors, docs and new work asked for in a prompt, and tests
added after a green run, are not fix attempts.
"""

from __future__ import annotations

import pytest

import queries
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import CODEX_TOOLS, Session, write_session

BRANCH = "feature/csv-export"
MODULE = "src/export.py"
PASS = "===================== 21 passed in 3.20s ====================="
FAIL = (
    "FAILED tests/test_export.py::test_last_row - AssertionError: 4 rows != 5\n"
    "===================== 1 failed, 20 passed in 3.31s ====================="
)
MODULE_TEXT = "".join(f"def column_{i}(row):\n    return row[{i}]\n\n\n" for i in range(60))
TESTS_TEXT = "".join(f"def test_column_{i}():\n    assert column_{i}([{i}] * 61) == {i}\n\n\n" for i in range(40))


def fix(session: Session, n: int, edits: int = 1) -> None:
    """One fix of ``edits`` edit calls to the module (each changes one line)."""
    for part in range(edits):
        index = n * 3 + part
        session.edit(MODULE, f"    return row[{index}]\n", f"    return row[{index}] if row else None\n")


def day_one() -> Session:
    s = Session("export-1", branch=BRANCH, start="2026-11-02T09:00:00Z")
    s.prompt("Write the CSV export: one function per column, with tests.")
    s.write(MODULE, MODULE_TEXT)
    s.write("tests/test_export.py", TESTS_TEXT)
    s.shell("uv run pytest -q", PASS)
    s.say("The export is written and its tests pass.")
    return s


def day_two() -> Session:
    s = Session("export-2", branch=BRANCH, start="2026-11-03T09:00:00Z")
    # 1: a symptom in plain words
    s.prompt("The export still drops the last row when the file has no trailing newline.")
    fix(s, 1)
    s.shell("uv run pytest -q", PASS)
    # 2: "still broken" and where
    s.prompt("Still broken on Safari, same file.")
    fix(s, 2)
    s.shell("uv run pytest -q", PASS)
    # 3: a pasted traceback; the fix takes two edits before the next check: one attempt
    s.prompt(
        "Traceback (most recent call last):\n"
        '  File "src/export.py", line 41, in column_10\n'
        "    return row[10]\n"
        "IndexError: list index out of range"
    )
    fix(s, 3, edits=2)
    s.shell("uv run pytest -q", PASS)
    # 4: a check whose failure the pipe hid
    s.shell("uv run pytest -q 2>&1 | tail -n 40", FAIL)
    fix(s, 4)
    s.shell("uv run pytest -q 2>&1 | tail -n 40", PASS)
    # 5: a failed check; the agent asks, the person lets it go on: one fix across the reply
    s.shell("uv run pytest -q", FAIL, exit_code=1)
    s.say("The last row is cut because the reader stops at the final newline. Shall I fix the reader?")
    s.prompt("yes, go ahead")
    fix(s, 11)
    s.shell("uv run pytest -q", PASS)
    # 6: a failed check, then "fix it", fixed in two edits
    s.shell("uv run pytest -q", FAIL, exit_code=1)
    s.prompt("fix it")
    fix(s, 12, edits=2)
    s.shell("uv run pytest -q", PASS)
    # not a fix: after a green run the agent offers a cleanup and the person agrees
    s.say("All green. Shall I also sort the imports?")
    s.prompt("sure")
    s.edit(MODULE, "def column_59(row):", "def column_59(row):  # last column")
    s.shell("uv run pytest -q", PASS)
    # not fixes: a refactor, a docs change, new work, and a test added after a green run
    s.prompt("Rename column_50 to column_fifty.")
    s.edit(MODULE, "def column_50(row):", "def column_fifty(row):")
    s.shell("uv run pytest -q", PASS)
    s.write("tests/test_fifty.py", "def test_fifty():\n    assert column_fifty([50] * 51) == 50\n")
    s.shell("uv run pytest -q", PASS)
    s.prompt("Document the export in the README.")
    s.write("README.md", "# Export\n\nOne function per column.\n")
    return s


def day_three(tool: str) -> Session:
    s = Session("export-3", branch=BRANCH, start="2026-11-05T09:00:00Z", codex_tool=tool)
    # 7: a pasted CI log
    s.prompt(
        "CI is red on the branch:\n"
        "Run uv run pytest -q\n"
        "FAILED tests/test_export.py::test_unicode - UnicodeEncodeError: 'ascii' codec can't encode\n"
        "===================== 1 failed, 20 passed in 3.41s =====================\n"
        "Error: Process completed with exit code 1."
    )
    fix(s, 5)
    s.shell("uv run pytest -q", PASS)
    # 8: a check followed by `; echo done`, fixed in three edits
    s.shell("uv run pytest -q; echo done", FAIL + "\ndone")
    fix(s, 6, edits=3)
    s.shell("uv run pytest -q", PASS)
    # 9: a symptom in plain words
    s.prompt("Refund totals in the export come out doubled.")
    fix(s, 7)
    s.shell("uv run pytest -q", PASS)
    # 10: the check ran into the tool's budget
    s.shell("uv run pytest -q", "tests/test_export.py ....", timeout_ms=60_000, timed_out=True)
    fix(s, 8)
    s.shell("uv run pytest -q", PASS)
    # 11: a report; a lint run that passes does not reproduce it, so the fix after it answers the report
    s.prompt("The totals row is still wrong on the summary sheet.")
    s.shell("uv run ruff check src", "All checks passed!")
    fix(s, 9)
    s.shell("uv run pytest -q", PASS)
    # 12: a failed test; a passing type check is another check, the fix after it answers the test
    s.shell("uv run pytest -q", FAIL, exit_code=1)
    s.shell("uv run mypy src", "Success: no issues found in 3 source files")
    fix(s, 10)
    s.shell("uv run pytest -q", PASS)
    # not a fix: a flaky failure that passes when run again, then a test added
    s.shell("uv run pytest -q", FAIL, exit_code=1)
    s.shell("uv run pytest -q", PASS)
    s.write("tests/test_flaky.py", "def test_rows():\n    assert column_1([1, 1]) == 1\n")
    s.shell("uv run pytest -q", PASS)
    # not a fix: new work asked for, with failure words in it
    s.prompt("Add a retry for failed uploads of the export.")
    s.edit(MODULE, "def column_0(row):", "def upload(path, retries=3):\n    pass\n\n\ndef column_0(row):")
    s.shell("uv run pytest -q", PASS)
    return s


EXPECTED_TRIGGERS = [
    "user_report",  # still drops the last row
    "user_report",  # still broken on Safari
    "user_report",  # pasted traceback
    "failed_verification",  # | tail -n 40
    "failed_verification",  # then "yes, go ahead"
    "failed_verification",  # then "fix it"
    "user_report",  # pasted CI log
    "failed_verification",  # ; echo done
    "user_report",  # come out doubled
    "failed_verification",  # timed out
    "user_report",  # still wrong, after a passing lint
    "failed_verification",  # failed test, after a passing type check
]


@pytest.fixture(scope="module", params=CODEX_TOOLS)
def export_db(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"export-{request.param}")
    write_session(root / "logs", day_one(), "claude")
    write_session(root / "logs", day_two(), "claude")
    write_session(root / "logs", day_three(request.param), "codex")
    with open_store(root / "audit.duckdb") as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
        yield con


def test_the_three_sessions_are_one_feature(export_db):
    features = queries.run(export_db, "audit_features")
    assert list(features.feature) == [f"shop@{BRANCH}"]
    feature = features.iloc[0]
    assert len(feature.sessions) == 3
    assert feature.t80 < queries.run(export_db, "audit_patches").start_ts.min()  # all later work is past t80


def test_every_fix_attempt_past_80_is_counted_once(export_db):
    patches = queries.run(export_db, "audit_patches")
    assert list(patches.trigger_kind) == EXPECTED_TRIGGERS
    assert list(patches.edit_calls) == [1, 1, 2, 1, 1, 2, 1, 3, 1, 1, 1, 1]
    assert patches.after_80.all()
    feature = queries.run(export_db, "audit_features").iloc[0]
    assert (feature.patches_total, feature.patches_after_80) == (12, 12)
    cliff = queries.run(export_db, "audit_cliff_features").iloc[0]
    assert cliff.patches_after_80 == 12
