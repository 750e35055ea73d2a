"""Gemini CLI reader: real legacy recordings, ccusage parity, the JSONL replay rules, hostile input."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult, Usage
from ingest.sources.base import read_head
from ingest.sources.gemini import READER, ccusage_tokens, shell_exit_code
from ingest.tokens import estimate_tokens
from tests.conftest import REPO, TESTS

FIXTURES = TESTS / "fixtures" / "gemini"
SHARED = REPO.parent / "shared" / "real_sessions"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
MATRIX_FLASH = SHARED / "gemini_cli" / "aim__matrix_flash.json"

# Per (date, model) token totals printed by ccusage 20.0.24 for each real file, laid out as
# HOME=/tmp/g/.gemini/tmp/<name>/chats/session-x.json and run as
#   HOME=/tmp/g npx ccusage gemini daily --json --offline --timezone UTC
# (inputTokens, outputTokens, cacheReadTokens, totalTokens).
CCUSAGE_DAILY = {
    "agent-history__real_sessions__gemini__session-01.json": {
        ("2026-06-05", "gemini-2.5-flash"): (4383, 8, 0, 4419),
    },
    "ai-sessions__gemini-cli-pomodoro-timer.json": {
        ("2025-10-21", "gemini-2.5-pro"): (34028, 4875, 86702, 126953),
    },
    "aim__control_pro.json": {
        ("2026-03-26", "gemini-3.1-pro-preview"): (190042, 3289, 716017, 934358),
    },
    "aim__matrix_flash.json": {
        ("2026-03-26", "gemini-3-flash-preview"): (237467, 6471, 2218590, 2482551),
    },
}


def read_all(path: Path) -> tuple[list, ReadContext]:
    ctx = ReadContext(path=str(path))
    return list(READER.read(ctx)), ctx


def of_type(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


def messages(events: list, kind: str) -> list[Message]:
    return [event for event in events if isinstance(event, Message) and event.kind == kind]


def real_file(name: str) -> Path:
    if (FIXTURES / name).exists():
        return FIXTURES / name
    if not (SHARED / "gemini_cli" / name).exists():
        pytest.skip(f"{name} lives in ../shared/real_sessions, which is not present")
    return SHARED / "gemini_cli" / name


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def ccusage_view(events: list) -> dict:
    """Our measured usage summed as ccusage prints it: thoughts are outside outputTokens, inside totalTokens."""
    totals: dict = defaultdict(lambda: [0, 0, 0, 0])
    for usage in of_type(events, Usage):
        if usage.estimated:
            continue  # ccusage reports nothing for messages without tokens
        row = totals[(usage.ts.strftime("%Y-%m-%d"), usage.model)]
        row[0] += usage.input_tokens
        row[1] += usage.output_tokens
        row[2] += usage.cache_read_tokens
        row[3] += usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.reasoning_tokens
    return {key: tuple(value) for key, value in totals.items()}


# ---------------------------------------------------------------- real files


@pytest.mark.parametrize("name", sorted(CCUSAGE_DAILY))
def test_real_recordings_parse_without_problems_and_match_ccusage(name):
    events, _ = read_all(real_file(name))
    assert not of_type(events, Problem)
    assert ccusage_view(events) == CCUSAGE_DAILY[name]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_counts_match_the_messages_in_the_file(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    records = document["messages"]
    events, ctx = read_all(path)
    by_type = Counter(record["type"] for record in records)
    calls = [call for record in records for call in record.get("toolCalls", [])]
    thoughts = [t for record in records for t in record.get("thoughts", [])]
    with_text = [r for r in records if r["type"] in ("user", "gemini") and r["content"]]

    assert len([m for m in messages(events, "text") if m.role == "user"]) == by_type["user"]
    assert len(messages(events, "text")) == len(with_text)
    assert len(messages(events, "thinking")) == len(thoughts)
    assert len(messages(events, "system")) == by_type["info"] + by_type["error"]
    assert len(of_type(events, Usage)) == by_type["gemini"]
    assert [c.call_id for c in of_type(events, ToolCall)] == [call["id"] for call in calls]
    assert [r.call_id for r in of_type(events, ToolResult)] == [call["id"] for call in calls]
    assert sum(r.is_error for r in of_type(events, ToolResult)) == sum(c["status"] == "error" for c in calls)
    assert {e.ctx.session_id for e in events} == {document["sessionId"]}
    assert ctx.offset == path.stat().st_size


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_positions_point_at_the_line_where_each_message_starts(path):
    data = path.read_bytes()
    events, _ = read_all(path)
    ids = [record["id"] for record in json.loads(data)["messages"]]
    first_event_of = {}
    for event in events:
        if isinstance(event, Message):
            first_event_of.setdefault(event.uuid, event.pos)
    for message_id in ids:
        pos = first_event_of.get(message_id)
        if pos is None:
            continue
        line = data[pos.byte_offset :].split(b"\n", 1)[0]
        assert line.strip() == b"{"  # pretty-printed: each message object opens on its own line
        assert data[: pos.byte_offset].count(b"\n") == pos.line_no - 1
        following = data[pos.byte_offset : pos.byte_offset + 400].decode("utf-8", errors="replace")
        assert message_id in following
    positions = [(e.pos.line_no, e.pos.seq) for e in events]
    assert len(positions) == len(set(positions))


def test_compact_single_line_recording_numbers_events_along_the_line(tmp_path):
    document = json.loads((FIXTURES / "ai-sessions__gemini-cli-pomodoro-timer.json").read_text(encoding="utf-8"))
    compact = tmp_path / "session-compact.json"
    compact.write_text(json.dumps(document), encoding="utf-8")
    events, _ = read_all(compact)
    pretty, _ = read_all(FIXTURES / "ai-sessions__gemini-cli-pomodoro-timer.json")
    assert {e.pos.line_no for e in events} == {1}
    assert [e.pos.seq for e in events] == list(range(len(events)))
    assert [type(e) for e in events] == [type(e) for e in pretty]


def test_shell_calls_carry_command_and_exit_code_from_the_output():
    events, _ = read_all(FIXTURES / "aim__control_pro.json")
    calls = {c.call_id: c for c in of_type(events, ToolCall)}
    shell_results = [r for r in of_type(events, ToolResult) if calls[r.call_id].name == "run_shell_command"]
    first_call = next(c for c in calls.values() if c.name == "run_shell_command")
    assert first_call.command == "python test_ipv6.py"
    assert json.loads(first_call.input_json)["command"] == "python test_ipv6.py"
    for result in shell_results:
        stated = [line for line in result.text.splitlines() if line.startswith("Exit Code: ")]
        expected = int(stated[-1].split(": ")[1]) if stated else 0
        assert result.exit_code == expected
        assert result.is_error is False  # Gemini CLI marks a failing command "success"
    assert Counter(r.exit_code for r in shell_results) == {0: 10, 1: 7, 127: 1}


def test_shell_exit_code_reading():
    assert shell_exit_code("Output: boom\nExit Code: 2\nProcess Group PGID: 7") == 2
    assert shell_exit_code("Output: fine\nProcess Group PGID: 7") == 0
    assert shell_exit_code("Output: x\nSignal: 9\nProcess Group PGID: 7") is None
    assert shell_exit_code("Command: ls\nStdout: a\nExit Code: 0\nSignal: (none)") == 0
    assert shell_exit_code("Command was cancelled by user before it could complete.") is None
    assert shell_exit_code(None) is None


def test_edit_and_write_calls_carry_paths_and_texts():
    events, _ = read_all(FIXTURES / "ai-sessions__gemini-cli-pomodoro-timer.json")
    calls = of_type(events, ToolCall)
    replace = next(c for c in calls if c.name == "replace")
    args = json.loads(replace.input_json)
    assert (replace.file_path, replace.old_text, replace.new_text) == (
        args["file_path"],
        args["old_string"],
        args["new_string"],
    )
    write = next(c for c in calls if c.name == "write_file")
    assert write.file_path.endswith("index.html") and write.new_text.startswith("<!DOCTYPE html>")
    failed = next(r for r in of_type(events, ToolResult) if r.is_error)
    assert failed.text.startswith("A secondary check by an LLM determined")


def test_thoughts_are_thinking_messages_with_their_own_time():
    events, _ = read_all(FIXTURES / "agent-history__real_sessions__gemini__session-01.json")
    thinking = messages(events, "thinking")
    assert [m.text for m in thinking] == ["Generating Specific Response\n[REDACTED_THOUGHT]"]
    assert thinking[0].role == "assistant" and thinking[0].model == "gemini-2.5-flash"
    assert thinking[0].ts.isoformat() == "2026-06-05T04:59:44.830000+00:00"
    usage = of_type(events, Usage)[0]
    assert (usage.input_tokens, usage.output_tokens, usage.reasoning_tokens) == (4383, 8, 28)
    assert usage.reasoning_in_output is False
    assert usage.dedup_key == "dcbe78d3-ea75-4786-929e-d6cff0fc00ed:1ad31721-7c1d-448c-808f-a6facc0b2e72"


def test_info_and_error_messages_are_system_notes():
    events, _ = read_all(real_file("aim__matrix_flash.json"))
    notes = messages(events, "system")
    assert [m.record_type for m in notes] == ["error", "info", "error", "info", "info", "info"]
    assert notes[0].text == "Usage: /model set <model-name> [--persist]"
    assert all(m.role == "system" for m in notes)


def test_zero_token_message_is_estimated_and_flagged():
    events, _ = read_all(FIXTURES / "ai-sessions__gemini-cli-pomodoro-timer.json")
    document = json.loads((FIXTURES / "ai-sessions__gemini-cli-pomodoro-timer.json").read_text(encoding="utf-8"))
    zero = document["messages"][1]
    assert not any(zero["tokens"].values())
    estimated = [u for u in of_type(events, Usage) if u.estimated]
    assert [u.message_uuid for u in estimated] == [zero["id"]]
    usage = estimated[0]
    thoughts = "\n".join(f"{t['subject']}\n{t['description']}" for t in zero["thoughts"])
    written = "\n".join([zero["content"]] + [json.dumps(c["args"], ensure_ascii=False) for c in zero["toolCalls"]])
    assert usage.reasoning_tokens == estimate_tokens(thoughts) > 0
    assert usage.output_tokens == estimate_tokens(written)
    assert usage.input_tokens == estimate_tokens(document["messages"][0]["content"]) > 0
    assert usage.model == "gemini-2.5-pro" and usage.cache_read_tokens == 0


@pytest.mark.parametrize(
    "tokens, expected",
    [
        # total = input + output + thoughts + tool: the cache is inside input, subtract it
        (
            {"input": 8868, "output": 17, "cached": 5736, "thoughts": 255, "tool": 0, "total": 9140},
            (3132, 17, 5736, 255),
        ),
        # total counts the cache on top: input is already uncached
        ({"input": 100, "output": 10, "cached": 50, "thoughts": 0, "tool": 0, "total": 160}, (100, 10, 50, 0)),
        # tool-use prompt tokens are input
        ({"input": 100, "output": 10, "cached": 0, "thoughts": 5, "tool": 7, "total": 122}, (107, 10, 0, 5)),
        # total beyond the parts: output when there is none, else reasoning
        ({"total": 654}, (0, 654, 0, 0)),
        ({"input": 10, "output": 5, "total": 20}, (10, 5, 0, 5)),
        # ccusage's alternative field names, fractions truncated, strings ignored
        ({"prompt_tokens": 12.9, "candidates": 3, "reasoning": "7"}, (12, 3, 0, 0)),
        ({"input": 0, "output": 0, "cached": 0, "thoughts": 0, "tool": 0, "total": 0}, None),
        ("nonsense", None),
    ],
)
def test_token_mapping_mirrors_ccusage(tokens, expected):
    assert ccusage_tokens(tokens) == expected


def test_project_is_the_directory_under_gemini_tmp(tmp_path):
    chats = tmp_path / ".gemini" / "tmp" / "my-project" / "chats"
    chats.mkdir(parents=True)
    path = chats / "session-1.json"
    path.write_bytes((FIXTURES / "agent-history__real_sessions__gemini__session-01.json").read_bytes())
    events, _ = read_all(path)
    assert {e.ctx.project for e in events} == {"my-project"}
    elsewhere, _ = read_all(FIXTURES / "agent-history__real_sessions__gemini__session-01.json")
    assert {e.ctx.project for e in elsewhere} == {"d30f91067027d10192e4aed3e7b03fecf08089dd3370f047f14f38b1845c8042"}


# ---------------------------------------------------------------- JSONL (synthetic files)


def meta(**extra) -> dict:
    return {
        "sessionId": "s-1",
        "projectHash": "ph",
        "startTime": "2026-05-01T10:00:00.000Z",
        "lastUpdated": "2026-05-01T10:00:00.000Z",
        "kind": "main",
        **extra,
    }


def user(message_id: str, text: str) -> dict:
    return {"id": message_id, "timestamp": "2026-05-01T10:00:01.000Z", "type": "user", "content": [{"text": text}]}


def gemini(message_id: str, text: str, tokens: dict | None = None, **extra) -> dict:
    record = {
        "id": message_id,
        "timestamp": "2026-05-01T10:00:02.000Z",
        "type": "gemini",
        "content": text,
        "model": "gemini-2.5-pro",
        "thoughts": [],
        **extra,
    }
    if tokens is not None:
        record["tokens"] = tokens
    return record


TOKENS = {"input": 1000, "output": 50, "cached": 0, "thoughts": 10, "tool": 0, "total": 1060}


def test_jsonl_reappended_message_replaces_the_earlier_one_in_place(tmp_path):
    # Synthetic: Gemini CLI re-appends a message when its tokens or tool calls arrive.
    call = {
        "id": "c1",
        "name": "run_shell_command",
        "args": {"command": "ls"},
        "status": "success",
        "timestamp": "2026-05-01T10:00:03.000Z",
        "result": [
            {
                "functionResponse": {
                    "id": "c1",
                    "name": "run_shell_command",
                    "response": {"output": "Output: a\nProcess Group PGID: 1"},
                }
            }
        ],
    }
    path = write_jsonl(
        tmp_path / "session-a.jsonl",
        [
            meta(),
            user("u1", "list files"),
            gemini("g1", "first draft"),
            user("u2", "thanks"),
            gemini("g1", "final answer", TOKENS, toolCalls=[call]),
        ],
    )
    events, ctx = read_all(path)
    texts = [(m.uuid, m.text) for m in messages(events, "text")]
    assert texts == [("u1", "list files"), ("g1", "final answer"), ("u2", "thanks")]
    assert [e.pos.line_no for e in events if isinstance(e, Message) and e.uuid == "g1"] == [5]
    (usage,) = of_type(events, Usage)
    assert (usage.input_tokens, usage.output_tokens, usage.reasoning_tokens, usage.estimated) == (1000, 50, 10, False)
    (result,) = of_type(events, ToolResult)
    assert (result.exit_code, result.text) == (0, "Output: a\nProcess Group PGID: 1")
    assert not of_type(events, Problem) and ctx.offset == path.stat().st_size


def test_jsonl_set_updates_metadata_and_can_replace_all_messages(tmp_path):
    # Synthetic: $set carries later metadata (summary) and, after a history sync, the messages.
    path = write_jsonl(
        tmp_path / "session-b.jsonl",
        [
            meta(),
            user("u1", "hi"),
            gemini("g1", "hello", TOKENS),
            {"$set": {"lastUpdated": "2026-05-01T10:05:00.000Z", "summary": "Greeting"}},
        ],
    )
    events, _ = read_all(path)
    assert {e.ctx.title for e in events} == {"Greeting"}
    assert len(messages(events, "text")) == 2

    path = write_jsonl(
        tmp_path / "session-c.jsonl",
        [
            meta(),
            user("u1", "hi"),
            gemini("g1", "hello", TOKENS),
            {"$set": {"messages": [user("u1", "masked hi"), gemini("g1", "masked hello", TOKENS)]}},
        ],
    )
    events, _ = read_all(path)
    assert [m.text for m in messages(events, "text")] == ["masked hi", "masked hello"]
    assert {e.pos.line_no for e in events} == {4}
    assert [e.pos.seq for e in events] == list(range(len(events)))
    assert len(of_type(events, Usage)) == 1


def test_jsonl_rewind_drops_the_messages_but_keeps_what_was_billed(tmp_path):
    # Synthetic: /rewind appends {"$rewindTo": id}; that message and the later ones leave the
    # conversation, but the response they held was paid for, so its usage stays (as in ccusage).
    chats = tmp_path / ".gemini" / "tmp" / "proj" / "chats"
    chats.mkdir(parents=True)
    path = write_jsonl(
        chats / "session-a.jsonl",
        [
            meta(),
            user("u1", "one"),
            gemini("g1", "reply one", TOKENS),
            user("u2", "two"),
            gemini("g2", "reply two", TOKENS),
            {"$rewindTo": "u2"},
            user("u3", "again"),
            gemini("g3", "retry", TOKENS),
            gemini(
                "g3",
                "retry final",
                {"input": 2000, "output": 70, "cached": 500, "thoughts": 0, "tool": 0, "total": 2070},
            ),
        ],
    )
    events, _ = read_all(path)
    assert [m.uuid for m in messages(events, "text")] == ["u1", "g1", "u3", "g3"]
    assert [u.message_uuid for u in of_type(events, Usage)] == ["g1", "g3", "g2"]
    # HOME=<tmp_path> npx ccusage gemini daily --json --offline --timezone UTC on this file printed
    # inputTokens 3500, outputTokens 170, cacheReadTokens 500, totalTokens 4190.
    assert ccusage_view(events) == {("2026-05-01", "gemini-2.5-pro"): (3500, 170, 500, 4190)}

    unknown = write_jsonl(
        tmp_path / "session-e.jsonl", [meta(), user("u1", "one"), {"$rewindTo": "nope"}, user("u2", "two")]
    )
    events, _ = read_all(unknown)
    assert [m.uuid for m in messages(events, "text")] == ["u2"]


def test_jsonl_subagent_names_its_parent_and_missing_tokens_are_estimated(tmp_path):
    # Synthetic sub-agent file under chats/<parent session id>/.
    folder = tmp_path / ".gemini" / "tmp" / "proj" / "chats" / "parent-session"
    folder.mkdir(parents=True)
    path = write_jsonl(
        folder / "s-1.jsonl", [meta(kind="subagent"), user("u1", "look around"), gemini("g1", "I looked.")]
    )
    events, _ = read_all(path)
    assert {(e.ctx.parent_session_id, e.ctx.is_sidechain, e.ctx.project) for e in events} == {
        ("parent-session", True, "proj")
    }
    (usage,) = of_type(events, Usage)
    assert usage.estimated and usage.output_tokens == estimate_tokens("I looked.")
    assert usage.input_tokens == estimate_tokens("look around")


def test_jsonl_unknown_records_are_kept_and_bad_lines_are_problems(tmp_path):
    path = tmp_path / "session-f.jsonl"
    path.write_bytes(
        (json.dumps(meta()) + "\n").encode()
        + b'{"id": "x1", "type": "compression", "content": "squeezed"}\n'
        + b'{"mystery": true}\n'
        + b"{not json\n"
        + b"\xff\xfe\n"
        + (json.dumps(user("u1", "still here")) + "\n").encode()
        + b'{"id": "u2", "type": "user", "content": "half-writ'
    )
    events, ctx = read_all(path)
    others = messages(events, "other")
    assert [m.record_type for m in others] == ["compression", "unknown"]
    assert others[0].text == "squeezed"
    assert [p.pos.line_no for p in of_type(events, Problem)] == [4, 5]
    assert [m.text for m in messages(events, "text")] == ["still here"]
    assert ctx.offset == path.stat().st_size - len(b'{"id": "u2", "type": "user", "content": "half-writ')


# ---------------------------------------------------------------- hostile input


def test_truncated_legacy_file_is_one_problem(tmp_path):
    data = (FIXTURES / "ai-sessions__gemini-cli-pomodoro-timer.json").read_bytes()
    path = tmp_path / "session-cut.json"
    path.write_bytes(data[: len(data) // 2])
    events, _ = read_all(path)
    assert len(events) == 1 and isinstance(events[0], Problem)
    assert "truncated or invalid JSON" in events[0].reason


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n", "empty file"),
        (b'{"hello": "world"}', "not a Gemini CLI session"),
        (b"[1, 2]", "not a Gemini CLI session"),
        (b'{"sessionId": "\xff"}', "invalid UTF-8"),
    ],
)
def test_malformed_files_are_problems(tmp_path, content, reason):
    path = tmp_path / "session.json"
    path.write_bytes(content)
    events, _ = read_all(path)
    assert len(events) == 1 and isinstance(events[0], Problem) and reason in events[0].reason


def test_odd_message_shapes_are_problems_or_other(tmp_path):
    path = tmp_path / "session-odd.json"
    path.write_text(
        json.dumps(
            {
                "sessionId": "s",
                "projectHash": "p",
                "startTime": 1e300,
                "messages": [
                    "just a string",
                    {"type": "user"},
                    {"type": "gemini", "tokens": {"input": 5}, "toolCalls": [7, {"name": "x"}]},
                    {"type": "hologram", "id": "h"},
                ],
            }
        ),
        encoding="utf-8",
    )
    events, _ = read_all(path)
    assert len(of_type(events, Problem)) == 1
    assert [m.record_type for m in messages(events, "other")] == ["hologram"]
    assert [c.call_id for c in of_type(events, ToolCall)] == ["message:1"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(tmp_path, data):
    path = tmp_path / "session-any.json"
    for content in (data, b'{"sessionId": "s", "projectHash": "p"}\n' + data):
        path.write_bytes(content)
        events, _ = read_all(path)
        assert all(isinstance(e, (Message, Usage, ToolCall, ToolResult, Problem)) for e in events)


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_sniff_claims_gemini_recordings(path):
    assert READER.sniff(path, read_head(path))


def test_sniff_claims_a_jsonl_recording(tmp_path):
    path = write_jsonl(tmp_path / "session-g.jsonl", [meta(), user("u1", "hi")])
    assert READER.sniff(path, read_head(path))


@pytest.mark.parametrize(
    "head",
    [
        b'{"hello": "world"}',
        b"[]",
        b"# aider chat started at 2024-08-05 19:33:02\n",
        b'{"parentUuid":null,"sessionId":"abc","type":"user","message":{"role":"user","content":"hi"}}\n',
        b'{"timestamp":"2025-10-21T20:04:20Z","type":"session_meta","payload":{"id":"x","cwd":"/"}}\n',
        b'{"type":"user","sessionId":"abc","message":{"content":"what is \\"projectHash\\": in gemini?"}}\n',
    ],
)
def test_sniff_rejects_other_formats(head):
    assert not READER.sniff(Path("x.json"), head)


def test_sniff_rejects_the_other_agents_real_files():
    others = [p for p in (FIXTURES.parent / "claude_code").rglob("*.jsonl")] + list(
        (FIXTURES.parent / "codex").glob("*.jsonl")
    )
    others += list((FIXTURES.parent / "aider").glob("*"))
    assert others
    assert not [p.name for p in others if READER.sniff(p, read_head(p))]
