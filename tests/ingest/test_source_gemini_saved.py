"""Gemini CLI `/chat save` checkpoints and the logs.json prompt log: synthetic files, the real pair in place, the store."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult, Usage
from ingest.sources import detect_reader
from ingest.sources.base import read_head
from ingest.sources.gemini import READER
from ingest.tokens import estimate_tokens
from tests.conftest import REPO, TESTS  # noqa: F401

SHARED = REPO.parent / "shared" / "real_sessions" / "gemini_cli"
REAL_HASH = "9cfc5cfa6f8fd18d3d1ecfcfd77bd22358803e86899edd66537e36fc1bc8652a"
REAL_CHECKPOINT = SHARED / f"dotfiles__.gemini__tmp__{REAL_HASH}__checkpoint-eww.json"
REAL_LOG = SHARED / f"dotfiles__.gemini__tmp__{REAL_HASH}__logs.json"
PROJECT = "ab" * 32

PDF = base64.b64encode(b"%PDF-1.4 " + b"x" * 1_500_000).decode()
CHECKPOINT = [
    {"role": "user", "parts": [{"text": "This is the Gemini CLI. Setting up context."}]},
    {"role": "model", "parts": [{"text": "Got it."}]},
    {"role": "user", "parts": [{"text": "read the pdf"}, {"inlineData": {"mimeType": "application/pdf", "data": PDF}}]},
    {
        "role": "model",
        "parts": [
            {"text": "Let me check", "thought": True},
            {"text": "Running ls."},
            {"functionCall": {"name": "run_shell_command", "args": {"command": "ls /nope"}}},
            {"functionCall": {"name": "write_file", "args": {"file_path": "/a.txt", "content": "hi\n"}}},
        ],
    },
    {
        "role": "user",
        "parts": [
            {
                "functionResponse": {
                    "name": "run_shell_command",
                    "response": {
                        "output": "Command: ls /nope\nStdout: (empty)\n"
                        "Stderr: ls: cannot access\nError: (none)\nExit Code: 2\nSignal: (none)\nProcess Group PGID: 7"
                    },
                }
            },
            {"functionResponse": {"name": "write_file", "response": {"error": "permission denied"}}},
        ],
    },
    {"role": "model", "parts": [{"functionCall": {"id": "c-1", "name": "read_file", "args": {"absolute_path": "/a"}}}]},
    {"role": "user", "parts": [{"functionResponse": {"id": "c-1", "name": "read_file", "response": {"output": "hi"}}}]},
    {"role": "model", "parts": [{"text": "Done."}]},
]


def write_checkpoint(tmp_path: Path, content=CHECKPOINT, tag="eww") -> Path:
    folder = tmp_path / ".gemini" / "tmp" / PROJECT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{tag}.json"
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def log_entry(session: str, index: int, text: str, ts: str = "2025-07-08T10:00:00.000Z") -> dict:
    return {"sessionId": session, "messageId": index, "type": "user", "message": text, "timestamp": ts}


def read_all(path: Path) -> tuple[list, ReadContext]:
    ctx = ReadContext(path=str(path))
    return list(READER.read(ctx)), ctx


def of_type(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


# ---------------------------------------------------------------- checkpoint


def test_checkpoint_is_claimed_by_content_not_by_name(tmp_path):
    path = write_checkpoint(tmp_path)
    assert detect_reader(path) is READER
    renamed = tmp_path / "whatever.json"
    renamed.write_bytes(path.read_bytes())
    assert detect_reader(renamed) is READER
    not_content = tmp_path / "checkpoint-x.json"
    not_content.write_text('[{"name": "a"}]', encoding="utf-8")
    assert detect_reader(not_content) is None


def test_checkpoint_turns_become_messages_calls_results_and_estimates(tmp_path):
    events, ctx = read_all(write_checkpoint(tmp_path))
    assert not of_type(events, Problem)
    assert ctx.offset == (tmp_path / ".gemini" / "tmp" / PROJECT / "checkpoint-eww.json").stat().st_size
    texts = [(m.role, m.kind, m.text) for m in of_type(events, Message)]
    assert texts == [
        ("user", "text", "This is the Gemini CLI. Setting up context."),
        ("assistant", "text", "Got it."),
        ("user", "text", "read the pdf\n[inline data: application/pdf, 1.5 MB]"),
        ("assistant", "thinking", "Let me check"),
        ("assistant", "text", "Running ls."),
        ("assistant", "text", "Done."),
    ]
    calls = of_type(events, ToolCall)
    results = of_type(events, ToolResult)
    assert [c.name for c in calls] == ["run_shell_command", "write_file", "read_file"]
    assert calls[0].command == "ls /nope" and calls[1].file_path == "/a.txt" and calls[1].new_text == "hi\n"
    assert [r.call_id for r in results] == [c.call_id for c in calls]
    assert calls[2].call_id == "c-1"
    assert [(r.exit_code, r.is_error) for r in results] == [(2, False), (None, True), (None, False)]
    assert results[1].text == "permission denied"
    assert all(e.ts is None for e in events)


def test_checkpoint_model_turns_get_one_estimated_usage_each(tmp_path):
    events, _ = read_all(write_checkpoint(tmp_path))
    usages = of_type(events, Usage)
    assert len(usages) == sum(content["role"] == "model" for content in CHECKPOINT)
    assert all(u.estimated and u.model is None and u.ts is None for u in usages)
    assert usages[0].input_tokens == estimate_tokens("This is the Gemini CLI. Setting up context.")
    assert usages[0].output_tokens == estimate_tokens("Got it.")
    assert usages[1].reasoning_tokens == estimate_tokens("Let me check")
    assert len({u.dedup_key for u in usages}) == len(usages)


def test_checkpoint_session_id_is_stable_and_names_project_and_tag(tmp_path):
    first, _ = read_all(write_checkpoint(tmp_path, tag="eww"))
    again, _ = read_all(write_checkpoint(tmp_path, content=CHECKPOINT[:2], tag="eww"))
    other, _ = read_all(write_checkpoint(tmp_path, tag="other"))
    assert {e.ctx.session_id for e in first} == {e.ctx.session_id for e in again} == {f"{PROJECT}:checkpoint-eww"}
    assert {e.ctx.session_id for e in other} == {f"{PROJECT}:checkpoint-other"}
    assert {e.ctx.project for e in first} == {PROJECT}


def test_no_base64_is_stored_as_text(tmp_path):
    events, _ = read_all(write_checkpoint(tmp_path))
    assert all(PDF[:100] not in (getattr(e, "text", None) or "") for e in events)


def test_checkpoint_odd_entries_are_problems_and_the_rest_is_read(tmp_path):
    content = [
        CHECKPOINT[0],
        "not an object",
        {"role": "model", "parts": "nope"},
        {"role": "tool", "parts": []},
        CHECKPOINT[1],
    ]
    events, _ = read_all(write_checkpoint(tmp_path, content=content))
    problems = of_type(events, Problem)
    assert len(problems) == 2
    assert [m.text for m in of_type(events, Message) if m.kind == "text"] == [
        "This is the Gemini CLI. Setting up context.",
        "Got it.",
    ]
    assert [m.record_type for m in of_type(events, Message) if m.kind == "other"] == ["checkpoint/tool"]


def test_positions_point_at_each_entry_line(tmp_path):
    path = write_checkpoint(tmp_path, content=CHECKPOINT[:2])
    lines = path.read_text(encoding="utf-8").splitlines()
    events, _ = read_all(path)
    messages = of_type(events, Message)
    assert [lines[m.pos.line_no - 1].strip() for m in messages] == ["{", "{"]
    assert messages[0].pos.line_no < messages[1].pos.line_no


@pytest.mark.skipif(not REAL_CHECKPOINT.exists(), reason="../shared/real_sessions is not present")
def test_real_checkpoint_every_entry_accounted_for():
    contents = json.loads(REAL_CHECKPOINT.read_text(encoding="utf-8"))
    events, _ = read_all(REAL_CHECKPOINT)
    assert not of_type(events, Problem)
    parts = [part for content in contents for part in content["parts"]]
    calls = of_type(events, ToolCall)
    results = of_type(events, ToolResult)
    assert len(calls) == sum("functionCall" in p for p in parts)
    assert len(results) == sum("functionResponse" in p for p in parts)
    assert {r.call_id for r in results} <= {c.call_id for c in calls}
    assert len(of_type(events, Usage)) == sum(c["role"] == "model" for c in contents)
    nonzero = sum(r.exit_code not in (None, 0) for r in results)
    outputs = [p["functionResponse"]["response"].get("output") for p in parts if "functionResponse" in p]
    assert nonzero == sum(
        bool(re.search(r"^Exit Code: -?[1-9]", o, re.MULTILINE)) for o in outputs if isinstance(o, str)
    )
    assert nonzero > 0
    inline = [p["inlineData"]["data"] for p in parts if "inlineData" in p]
    assert inline and all(data[:200] not in (getattr(e, "text", None) or "") for e in events for data in inline)
    assert {e.ctx.session_id for e in events} == {f"{REAL_HASH}:checkpoint-eww"}


# ---------------------------------------------------------------- logs.json


def test_prompt_log_sessions_without_a_chat_file_become_user_messages(tmp_path):
    folder = tmp_path / ".gemini" / "tmp" / PROJECT
    folder.mkdir(parents=True)
    entries = [
        log_entry("s-1", 0, "hello", "2025-07-08T10:00:00.000Z"),
        log_entry("s-2", 0, "/help"),
        log_entry("s-1", 1, "fix it", "2025-07-08T10:05:00.000Z"),
    ]
    path = folder / "logs.json"
    path.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    assert detect_reader(path) is READER
    events, _ = read_all(path)
    assert not of_type(events, Problem)
    messages = of_type(events, Message)
    assert [(m.ctx.session_id, m.role, m.text) for m in messages] == [
        ("s-1", "user", "hello"),
        ("s-2", "user", "/help"),
        ("s-1", "user", "fix it"),
    ]
    assert messages[2].ts.isoformat() == "2025-07-08T10:05:00+00:00"
    assert {m.ctx.project for m in messages} == {PROJECT}
    assert not of_type(events, Usage)


def test_prompt_log_leaves_sessions_with_a_chat_file_to_it(tmp_path):
    folder = tmp_path / ".gemini" / "tmp" / PROJECT
    (folder / "chats").mkdir(parents=True)
    (folder / "chats" / "session-2025-07-08T10-00-s1.json").write_text(
        json.dumps(
            {
                "sessionId": "s-1",
                "projectHash": PROJECT,
                "startTime": "2025-07-08T10:00:00Z",
                "messages": [{"id": "m1", "type": "user", "content": "hello", "timestamp": "2025-07-08T10:00:00Z"}],
            }
        ),
        encoding="utf-8",
    )
    path = folder / "logs.json"
    path.write_text(
        json.dumps([log_entry("s-1", 0, "hello"), log_entry("s-2", 0, "other"), log_entry("s-1", 1, "again")]),
        encoding="utf-8",
    )
    events, _ = read_all(path)
    assert [(m.ctx.session_id, m.text) for m in of_type(events, Message)] == [("s-2", "other")]
    problems = of_type(events, Problem)
    assert len(problems) == 1 and problems[0].reason.startswith("2 prompt log entries of session s-1")


def test_prompt_log_entries_without_session_are_problems(tmp_path):
    path = tmp_path / "logs.json"
    path.write_text(json.dumps([log_entry("s-1", 0, "ok"), {"sessionId": "", "messageId": 1}, 5]), encoding="utf-8")
    events, _ = read_all(path)
    assert len(of_type(events, Message)) == 1
    assert len(of_type(events, Problem)) == 2


@pytest.mark.skipif(not REAL_LOG.exists(), reason="../shared/real_sessions is not present")
def test_real_prompt_log_every_entry_is_a_user_message():
    entries = json.loads(REAL_LOG.read_text(encoding="utf-8"))
    events, _ = read_all(REAL_LOG)
    messages = of_type(events, Message)
    assert len(messages) == len(entries) and not of_type(events, Problem)
    assert Counter(m.ctx.session_id for m in messages) == Counter(e["sessionId"] for e in entries)
    assert all(m.role == "user" and m.ts is not None for m in messages)
    assert read_head(REAL_LOG).lstrip().startswith(b"[")


# ---------------------------------------------------------------- downstream


def test_untimed_checkpoint_goes_through_store_costs_and_audit(tmp_path):
    from typer.testing import CliRunner

    from dashboard.cli.main import app

    write_checkpoint(tmp_path)
    db = tmp_path / "t.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(tmp_path / ".gemini"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    costs = runner.invoke(app, ["costs", "--json", "--db", str(db)])
    assert costs.exit_code == 0, costs.output
    report = json.loads(costs.output)
    assert [row["date"] for row in report["daily"]] == ["(no time)"]
    assert report["totals"]["totalTokens"] > 0
    for command in (["costs", "session"], ["costs", "weekly"], ["audit"]):
        outcome = runner.invoke(app, [*command, "--db", str(db)])
        assert outcome.exit_code == 0, (command, outcome.output)


@pytest.mark.parametrize(
    "page", ["overview", "cost", "spirals", "explanations", "cliff", "sessions", "team", "transcript"]
)
def test_untimed_checkpoint_renders_on_every_dashboard_page(monkeypatch, tmp_path, page):
    from ingest.pipeline import ingest_paths
    from ingest.store import open_store
    from tests.dashboard.web.test_pages import open_page

    write_checkpoint(tmp_path)
    db = tmp_path / "t.duckdb"
    con = open_store(db)
    try:
        ingest_paths(con, [tmp_path / ".gemini"], "alice")
    finally:
        con.close()
    if page == "transcript":
        at = open_page(monkeypatch, db, "sessions", session=f"gemini:{PROJECT}:checkpoint-eww")
        from tests.dashboard.web.test_pages import event_headings

        headings = event_headings(at)
        # the shell call that exited 2 and the write that returned an error
        assert sum(":red-badge[failed" in heading for heading in headings) == 2, headings
    else:
        at = open_page(monkeypatch, db, page)
    assert not at.error, [e.value for e in at.error]
