"""Guard decisions end to end: replayed hooks spool them, `dashcam guard log` loads them, the
Spirals and Explanations pages and the weekly report show them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app as cli_app
from ingest.guard import hook
from ingest.guard.contracts import parse_hook_input
from ingest.guard.replay import replay
from tests.conftest import SAMPLE_SESSIONS
from tests.dashboard.web.test_pages import metric, open_page

EXPECTED = json.loads((SAMPLE_SESSIONS / "EXPECTED.json").read_text())


@pytest.fixture(scope="module")
def guarded(sample_db, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the demo database with the decisions of every demo spiral replayed through the
    hooks and one exotic claim sent back at Stop, loaded by `dashcam guard log`."""
    work = tmp_path_factory.mktemp("guarded")
    db = work / "guarded.duckdb"
    shutil.copy(sample_db, db)
    state = work / "state"
    for spiral in EXPECTED["spirals"]:
        if spiral["agent"] in ("claude", "codex"):
            replay(SAMPLE_SESSIONS / spiral["file"], spiral["agent"], work / spiral["session_id"], stops=False)
            spool = (work / spiral["session_id"] / "state" / "decisions.jsonl").read_bytes()
            state.mkdir(exist_ok=True)
            with (state / "decisions.jsonl").open("ab") as out:
                out.write(spool)
    claim = next(c for c in EXPECTED["exotic_explanations"] if c["agent"] == "claude")
    source = SAMPLE_SESSIONS / claim["file"]
    lines = source.read_bytes().splitlines(keepends=True)
    cut = work / source.name
    cut.write_bytes(
        b"".join(lines[: max(i for i, line in enumerate(lines) if claim["text"][:50].encode() in line) + 1])
    )
    data = json.dumps(
        {
            "session_id": claim["session_id"],
            "transcript_path": str(cut),
            "cwd": "/",
            "hook_event_name": "Stop",
            "stop_hook_active": False,
        }
    ).encode()
    assert hook.decide(parse_hook_input(data, "Stop"), "claude", state, "block")[0]
    return db, state


def _log(db: Path, state: Path, monkeypatch) -> str:
    monkeypatch.setenv("DASHCAM_GUARD_DIR", str(state))
    result = CliRunner().invoke(cli_app, ["guard", "log", "--db", str(db), "--limit", "100"])
    assert result.exit_code == 0, result.output
    return result.output


def test_guard_log_loads_each_decision_once(guarded, tmp_path, monkeypatch):
    db = tmp_path / "copy.duckdb"  # other tests load the shared copy's spool in any order
    shutil.copy(guarded[0], db)
    state = tmp_path / "state"
    shutil.copytree(guarded[1], state)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM guard_decisions")
    spooled = len((state / "decisions.jsonl").read_bytes().splitlines())
    first = _log(db, state, monkeypatch)
    assert f"loaded {spooled} new decision(s)" in first
    second = _log(db, state, monkeypatch)
    assert "loaded" not in second and "third raise" in second
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM guard_decisions").fetchone()[0] == spooled


def test_an_unreadable_spool_line_is_a_recorded_problem(guarded, tmp_path, monkeypatch):
    db = tmp_path / "copy.duckdb"
    shutil.copy(guarded[0], db)
    state = tmp_path / "state"
    state.mkdir()
    (state / "decisions.jsonl").write_bytes(b'{"session_id": "s", "ts": "2026-11-01T10:00:00Z"}\n')
    output = _log(db, state, monkeypatch)
    assert "1 unreadable line(s) recorded as problems" in output
    with duckdb.connect(str(db), read_only=True) as con:
        reasons = [r[0] for r in con.execute("SELECT reason FROM problems WHERE reason LIKE 'guard%'").fetchall()]
    assert len(reasons) == 1 and "KeyError" in reasons[0]


def _counts(db: Path, rule: str) -> tuple[int, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT count(*), coalesce(sum(budget_s), 0) FROM guard_decisions "
            "WHERE rule = ? AND decision IN ('deny', 'ask', 'block')",
            [rule],
        ).fetchone()


def test_the_spirals_page_shows_the_raises_the_guard_stopped(guarded, monkeypatch):
    db, state = guarded
    _log(db, state, monkeypatch)
    stopped, budget = _counts(db, "spiral")
    assert stopped >= 3
    at = open_page(monkeypatch, db, "spirals")
    assert metric(at, "Raises stopped") == str(stopped)
    assert [s.value for s in at.subheader if "live guard" in s.value] == ["Stopped by the live guard"]


def test_the_explanations_page_shows_the_claims_sent_back(guarded, monkeypatch):
    db, state = guarded
    _log(db, state, monkeypatch)
    at = open_page(monkeypatch, db, "explanations")
    assert metric(at, "Claims sent back") == str(_counts(db, "exotic")[0]) == "1"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_weekly_report_counts_the_guard_decisions(guarded, monkeypatch, tmp_path, fmt):
    db, state = guarded
    _log(db, state, monkeypatch)
    with duckdb.connect(str(db), read_only=True) as con:
        day = str(con.execute("SELECT min(ts)::DATE FROM guard_decisions").fetchone()[0])
        expected = con.execute(
            "SELECT count(*) FROM guard_decisions WHERE rule = 'spiral' AND decision = 'deny'"
        ).fetchone()[0]
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(
        cli_app, ["report", "--db", str(db), "--since", day, "--until", day, "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Live guard" in text
    if fmt == "md":
        row = next(line for line in text.splitlines() if line.startswith("| spiral | deny |"))
        assert row.split("|")[3].strip() == str(expected)


def test_past_the_80_percent_mark_the_person_is_told_how_many_fixes_landed(guarded, tmp_path):
    from ingest.guard.load import write_cliff_marks

    db, _ = guarded
    root = tmp_path / "state"
    with duckdb.connect(str(db)) as con:
        assert write_cliff_marks(con, root) >= 1
        expected = con.execute(
            "SELECT patches_after_80 FROM audit_features WHERE feature = ?", ["pgoperator@feature/backup-restore"]
        ).fetchone()[0]
    feature = next(f for f in EXPECTED["features"] if f["feature"] == "pgoperator@feature/backup-restore")
    assert expected == feature["patches_after_80"]
    session = next(s for s in EXPECTED["sessions"] if s["session_id"] == feature["sessions"][-1])
    data = json.dumps(
        {
            "session_id": session["session_id"],
            "transcript_path": str(SAMPLE_SESSIONS / session["file"]),
            "cwd": "/",
            "hook_event_name": "Stop",
            "stop_hook_active": False,
        }
    ).encode()
    answer = hook.decide(parse_hook_input(data, "Stop"), session["agent"], root, "block")[0]
    assert set(answer) == {"systemMessage"}
    assert f"{expected} fixes have landed on pgoperator@feature/backup-restore" in answer["systemMessage"]
    assert hook.decide(parse_hook_input(data, "Stop"), session["agent"], root, "block")[0] is None  # told once


def test_no_cliff_note_on_a_feature_without_fixes_past_its_mark(guarded, tmp_path):
    from ingest.guard.load import write_cliff_marks

    db, _ = guarded
    root = tmp_path / "state"
    with duckdb.connect(str(db)) as con:
        write_cliff_marks(con, root)
    feature = next(f for f in EXPECTED["features"] if f["patches_after_80"] == 0)
    session = next(s for s in EXPECTED["sessions"] if s["session_id"] == feature["sessions"][-1])
    data = json.dumps(
        {
            "session_id": session["session_id"],
            "transcript_path": str(SAMPLE_SESSIONS / session["file"]),
            "cwd": "/",
            "hook_event_name": "Stop",
            "stop_hook_active": False,
        }
    ).encode()
    answer = hook.decide(parse_hook_input(data, "Stop"), session["agent"], root, "block")[0]
    assert answer is None or "systemMessage" not in answer
