"""The hook as the agents run it: one `python -m ingest.guard hook` process per call, the
documented input on stdin (tests/fixtures/guard), the documented answer on stdout, exit 0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.guard import hook
from ingest.guard.contracts import parse_hook_input
from tests.conftest import REPO, TESTS  # noqa: F401

SAMPLES = REPO / "sample_sessions"
FIXTURES = REPO / "tests" / "fixtures" / "guard"
EXPECTED = json.loads((SAMPLES / "EXPECTED.json").read_text())
CODEX_SPIRAL = next(s for s in EXPECTED["spirals"] if s["values_s"] == [60, 120, 300, 600])


def run_hook(event: str, hook_input: dict, state: Path, agent: str) -> tuple[dict | None, str]:
    done = subprocess.run(
        [sys.executable, "-m", "ingest.guard", "hook", event, "--agent", agent],
        input=json.dumps(hook_input).encode(),
        capture_output=True,
        cwd=REPO,
        env={"DASHCAM_GUARD_DIR": str(state), "PATH": "/usr/bin:/bin", "DASHCAM_GUARD_MODE": "block"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode().strip()
    return (json.loads(out) if out else None), done.stderr.decode()


def cut_before(path: Path, marker: str, out: Path, extra: list[dict] = ()) -> Path:
    """The transcript as it stood when the call holding ``marker`` was proposed."""
    lines = path.read_bytes().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if marker.encode() in line)
    out.write_bytes(b"".join(lines[:index]) + b"".join((json.dumps(r) + "\n").encode() for r in extra))
    return out


def codex_input(transcript: Path, command: str) -> dict:
    data = json.loads((FIXTURES / "codex_pre_tool_use.json").read_text())
    return {**data, "transcript_path": str(transcript), "tool_input": {"command": command}}


WAIT = "kubectl -n data-staging wait --for=condition=Ready pod -l app=pgbouncer --timeout={}"


def test_codex_third_raise_is_denied_with_the_staircase(tmp_path):
    transcript = cut_before(SAMPLES / CODEX_SPIRAL["file"], "--timeout=600s", tmp_path / "rollout.jsonl")
    answer, _ = run_hook("PreToolUse", codex_input(transcript, WAIT.format("600s")), tmp_path / "state", "codex")
    output = answer["hookSpecificOutput"]
    assert output["hookEventName"] == "PreToolUse" and output["permissionDecision"] == "deny"
    assert "1 min → 2 min → 5 min → 10 min" in output["permissionDecisionReason"]
    assert set(answer) == {"hookSpecificOutput"}  # Codex fails a hook on unknown fields


@pytest.mark.parametrize(
    "command", [WAIT.format("30s"), WAIT.format("300s"), "kubectl -n data-staging rollout status deploy/pgbouncer"]
)
def test_a_shorter_or_equal_wait_or_another_command_passes_silently(tmp_path, command):
    transcript = cut_before(SAMPLES / CODEX_SPIRAL["file"], "--timeout=600s", tmp_path / "rollout.jsonl")
    assert run_hook("PreToolUse", codex_input(transcript, command), tmp_path / "state", "codex")[0] is None


def test_a_stated_timing_mechanism_lets_the_raise_through(tmp_path):
    said = {
        "timestamp": "2026-10-08T09:55:00.000Z",
        "type": "response_item",
        "payload": {
            "type": "message",
            "role": "assistant",
            "content": [
                {
                    "type": "output_text",
                    "text": "kubectl describe shows the image pull took 412 s on this node, longer than the 300 s budget.",
                }
            ],
        },
    }
    transcript = cut_before(SAMPLES / CODEX_SPIRAL["file"], "--timeout=600s", tmp_path / "rollout.jsonl", [said])
    assert run_hook("PreToolUse", codex_input(transcript, WAIT.format("600s")), tmp_path / "state", "codex")[0] is None
    decisions = [json.loads(line) for line in (tmp_path / "state" / "decisions.jsonl").read_text().splitlines()]
    assert [d["decision"] for d in decisions] == ["allow"] and "412 s" in decisions[0]["reason"]


def _claude_line(kind: str, content, uuid: str) -> dict:
    return {
        "type": kind,
        "cwd": "/home/alice/src/api",
        "sessionId": "budget-1",
        "uuid": uuid,
        "timestamp": f"2026-11-02T10:00:{len(uuid):02d}.000Z",
        "message": {"role": kind, "content": content},
    }


def test_claude_bash_tool_budget_counts_as_a_wait(tmp_path):
    lines = [_claude_line("user", "the e2e suite times out, fix it", "u0")]
    for index, budget in enumerate((60_000, 120_000, 300_000)):
        call = f"toolu_{index}"
        lines.append(
            _claude_line(
                "assistant",
                [
                    {
                        "type": "tool_use",
                        "id": call,
                        "name": "Bash",
                        "input": {"command": "go test ./e2e", "timeout": budget},
                    }
                ],
                f"a{index}",
            )
        )
        lines.append(
            _claude_line(
                "user",
                [
                    {
                        "type": "tool_result",
                        "tool_use_id": call,
                        "is_error": True,
                        "content": f"Command timed out after {budget} ms\nFAIL ./e2e",
                    }
                ],
                f"r{index}",
            )
        )
    transcript = tmp_path / "budget-1.jsonl"
    transcript.write_text("".join(json.dumps(line) + "\n" for line in lines))
    data = json.loads((FIXTURES / "claude_pre_tool_use.json").read_text())
    data.update(
        transcript_path=str(transcript),
        session_id="budget-1",
        tool_name="Bash",
        tool_input={"command": "go test ./e2e", "timeout": 600_000},
    )
    answer, _ = run_hook("PreToolUse", data, tmp_path / "state", "claude")
    reason = answer["hookSpecificOutput"]["permissionDecisionReason"]
    assert answer["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "1 min → 2 min → 5 min → 10 min" in reason and "`go test ./e2e`" in reason
    data["tool_input"] = {"command": "go test ./e2e", "timeout": 300_000}
    assert run_hook("PreToolUse", data, tmp_path / "state-2", "claude")[0] is None


def test_claude_stop_blocks_an_unproven_outside_cause_once(tmp_path):
    claim = next(c for c in EXPECTED["exotic_explanations"] if c["session_id"].startswith("ce49ec1c"))
    source = SAMPLES / claim["file"]
    lines = source.read_bytes().splitlines(keepends=True)
    index = max(i for i, line in enumerate(lines) if claim["text"][:50].encode() in line)
    transcript = tmp_path / source.name
    transcript.write_bytes(b"".join(lines[: index + 1]))
    data = {**json.loads((FIXTURES / "claude_stop.json").read_text()), "transcript_path": str(transcript)}
    answer, _ = run_hook("Stop", data, tmp_path / "state", "claude")
    assert answer["decision"] == "block" and "network" in answer["reason"]
    assert run_hook("Stop", data, tmp_path / "state", "claude")[0] is None
    assert run_hook("Stop", {**data, "stop_hook_active": True}, tmp_path / "state-2", "claude")[0] is None


def test_an_unreadable_transcript_allows_and_says_so_once(tmp_path):
    data = codex_input(tmp_path / "missing.jsonl", WAIT.format("600s"))
    answer, stderr = run_hook("PreToolUse", data, tmp_path / "state", "codex")
    assert answer is None and len(stderr.strip().splitlines()) == 1 and "not found" in stderr
    assert "not found" in (tmp_path / "state" / "problems.jsonl").read_text()


def test_an_unknown_tool_and_newer_fields_pass(tmp_path):
    data = {
        "session_id": "s",
        "transcript_path": None,
        "hook_event_name": "PreToolUse",
        "tool_name": "mcp__db__query",
        "tool_input": {"sql": "select 1"},
        "future_field": {"x": 1},
    }
    assert hook.decide(parse_hook_input(json.dumps(data).encode()), "claude", tmp_path, "block") == (None, [])


def test_dashcam_guard_hook_is_the_same_entry(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from dashboard.cli import app

    monkeypatch.setenv("DASHCAM_GUARD_DIR", str(tmp_path / "state"))
    transcript = cut_before(SAMPLES / CODEX_SPIRAL["file"], "--timeout=600s", tmp_path / "rollout.jsonl")
    result = CliRunner().invoke(
        app,
        ["guard", "hook", "PreToolUse", "--agent", "codex"],
        input=json.dumps(codex_input(transcript, WAIT.format("600s"))),
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_statusline_shows_costs_and_an_open_spiral(tmp_path):
    from ingest.guard import statusline

    state = tmp_path / "state"
    transcript = cut_before(SAMPLES / CODEX_SPIRAL["file"], "--timeout=600s", tmp_path / "rollout.jsonl")
    run_hook("PreToolUse", codex_input(transcript, WAIT.format("600s")), state, "codex")
    session = json.loads((FIXTURES / "codex_pre_tool_use.json").read_text())["session_id"]
    line = statusline.line(
        json.dumps({"session_id": session, "cost": {"total_cost_usd": 1.25}}).encode(), state, today="2026-12-02"
    )
    other = statusline.line(b'{"session_id": "other", "cost": {"total_cost_usd": 0.5}}', state, today="2026-12-02")
    assert line == "today $1.25 · session $1.25 · ⚠ wait raised 2× after failures (60s → 120s → 300s)"
    assert other == "today $1.75 · session $0.50"
    assert statusline.line(b"not json", state, today="2026-12-03") == "today $0.00 · session $0.00"


def _daemon_story(tmp_path: Path, edits_daemon: bool) -> dict:
    """A failed test, then a cause blamed on "the ingest daemon": ours when the session edited it."""
    from tests.agent_transcripts import Session, write_session

    s = Session("daemon-cause" + ("-edited" if edits_daemon else ""), repo="pipeline", branch="fix/batch")
    s.prompt("The batch test fails, fix it.")
    if edits_daemon:
        s.edit("services/ingest/daemon.py", "    flush(batch)", "    flush(batch, size=100)")
    s.shell("pytest tests/test_batch.py -q", "FAILED tests/test_batch.py::test_flush - assert 0 == 100", exit_code=1)
    s.say("The failures come from the ingest daemon dropping the batch.")
    transcript = write_session(tmp_path / "logs", s, "claude")
    return {**json.loads((FIXTURES / "claude_stop.json").read_text()), "transcript_path": str(transcript)}


def test_stop_reads_a_cause_in_code_the_session_edited_as_the_projects_own(tmp_path):
    """The guard classifies with the session's project context, as the audit does: "the ingest
    daemon" is an outside cause only when nothing shows the daemon to be the project's."""
    answer, _ = run_hook("Stop", _daemon_story(tmp_path / "a", edits_daemon=False), tmp_path / "state-a", "claude")
    assert answer is not None and answer["decision"] == "block"
    answer, _ = run_hook("Stop", _daemon_story(tmp_path / "b", edits_daemon=True), tmp_path / "state-b", "claude")
    assert answer is None


def _leader_days():
    from tests.agent_transcripts import Session
    from tests.audits.test_spirals import GO_FAIL, eventually

    command, test_file = "go test ./test/e2e -run TestLeaderElection -count=1", "test/e2e/leader_test.go"
    day_one = Session("carry-1", branch="feature/leader", start="2026-10-20T16:00:00Z")
    day_one.prompt("The leader election e2e test fails, get it green.")
    day_one.shell(command, GO_FAIL.format(s=5), exit_code=1, seconds=9)
    day_one.edit(test_file, eventually(5), eventually(10))
    day_one.shell(command, GO_FAIL.format(s=10), exit_code=1, seconds=14)
    day_two = Session("carry-2", branch="feature/leader", start="2026-10-21T09:00:00Z")
    day_two.prompt("Back to the leader election test from yesterday.")
    day_two.edit(test_file, eventually(10), eventually(30))
    day_two.shell(command, GO_FAIL.format(s=30), exit_code=1, seconds=34)
    third = {"file_path": f"{day_two.cwd}/{test_file}", "old_string": eventually(30), "new_string": eventually(120)}
    return day_one, day_two, third


def test_a_staircase_in_the_database_is_stopped_at_its_third_raise_in_the_next_session(tmp_path):
    """The guard never saw day one (installed later, or another machine): `dashcam ingest
    --facts` (or the first audit after an ingest) writes the feature's staircases from the
    database to the guard's state dir, and the first hook call of day two takes them over."""
    from tests.agent_transcripts import write_session

    day_one, day_two, third = _leader_days()
    write_session(tmp_path / "logs", day_one, "claude")
    state = tmp_path / "state"
    ingest = subprocess.run(
        [sys.executable, "-c", "from dashboard.cli import app; app()", "ingest", str(tmp_path / "logs")]
        + ["--db", str(tmp_path / "a.duckdb"), "--user", "dev", "--facts"],
        capture_output=True,
        cwd=REPO,
        env={"DASHCAM_GUARD_DIR": str(state), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert "shop@feature/leader" in json.loads((state / "staircases.json").read_text())["features"]
    transcript = write_session(tmp_path / "today", day_two, "claude")
    data = {
        **json.loads((FIXTURES / "claude_pre_tool_use.json").read_text()),
        "session_id": day_two.session_id("claude"),
        "transcript_path": str(transcript),
        "cwd": day_two.cwd,
        "tool_name": "Edit",
        "tool_input": third,
    }
    answer, _ = run_hook("PreToolUse", data, state, "claude")
    assert answer is not None and answer["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "5 s → 10 s → 30 s → 2 min" in answer["hookSpecificOutput"]["permissionDecisionReason"]


def test_a_staircase_left_open_yesterday_is_stopped_at_its_third_raise_today(tmp_path):
    """Day one raises the wait once after a failure and ends failing; day two, on the same
    branch, raises it again and proposes the third raise. The audit reads one spiral across the
    two sessions; the guard, which keeps a history per session, must see the same staircase."""
    from tests.agent_transcripts import Session, write_session

    day_one, day_two, third = _leader_days()
    template = json.loads((FIXTURES / "claude_pre_tool_use.json").read_text())

    def propose(session: Session, state: Path, tool_input: dict, tool_name: str = "Edit") -> dict | None:
        transcript = write_session(tmp_path / session.name, session, "claude")
        data = {
            **template,
            "session_id": session.session_id("claude"),
            "transcript_path": str(transcript),
            "cwd": session.cwd,
            "tool_name": tool_name,
            "tool_input": tool_input,
        }
        return run_hook("PreToolUse", data, state, "claude")[0]

    assert propose(day_two, tmp_path / "alone", third) is None  # one session alone: two raises, one escalation
    state = tmp_path / "state"
    assert propose(day_one, state, {"command": "git status"}, "Bash") is None
    answer = propose(day_two, state, third)
    assert answer is not None, "the third raise across the two sessions passed"
    assert answer["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "third raise" in answer["hookSpecificOutput"]["permissionDecisionReason"]
    other = Session("carry-3", branch="feature/other", start="2026-10-21T09:00:00Z")
    other.steps = list(day_two.steps)
    assert propose(other, state, third) is None  # another branch carries nothing
