"""Claude Code reader: real transcripts, token accounting, resumption and hostile input."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult, Usage
from ingest.sources import detect_reader
from ingest.sources.base import Recognition, read_head
from ingest.sources.claude_code import READER
from tests.conftest import FIXTURES as ALL_FIXTURES
from tests.conftest import SHARED_SESSIONS as SHARED
from tests.conftest import shared_session

FIXTURES = ALL_FIXTURES / "claude_code"
PARENT_SESSION = "4d5611e5-241a-462a-8d15-5122611a9569"
SUBAGENT = FIXTURES / PARENT_SESSION / "subagents" / "agent-a2898e3.jsonl"
COMPACT_AGENT = FIXTURES / PARENT_SESSION / "subagents" / "agent-acompact-e1f845.jsonl"
FIXTURE_FILES = sorted(FIXTURES.rglob("*.jsonl"))
SHARED_CLAUDE_FILES = sorted((SHARED / "claude_code").glob("*.jsonl")) if SHARED.is_dir() else []


def read_all(path: Path, **context) -> tuple[list, ReadContext]:
    ctx = ReadContext(path=str(path), **context)
    return list(READER.read(ctx)), ctx


def events_of(path: Path) -> list:
    return read_all(path)[0]


def of_type(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


def messages(events: list, kind: str) -> list[Message]:
    return [event for event in events if isinstance(event, Message) and event.kind == kind]


def write_lines(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def raw_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def content_blocks(record: dict) -> list[dict]:
    content = (record.get("message") or {}).get("content")
    return [block for block in content if isinstance(block, dict)] if isinstance(content, list) else []


def daily_tokens(events: list) -> dict:
    """Tokens per (date, model), each dedup key counted once with its largest row (as ccusage)."""
    best: dict = {}
    for usage in of_type(events, Usage):
        key = usage.dedup_key or id(usage)
        total = (
            usage.input_tokens
            + usage.output_tokens
            + usage.cache_read_tokens
            + usage.cache_write_5m_tokens
            + usage.cache_write_1h_tokens
        )
        if key not in best or total > best[key][0]:
            best[key] = (total, usage)
    days: dict = defaultdict(Counter)
    for _, usage in best.values():
        day = days[(usage.ts.date().isoformat(), usage.model)]
        day["input"] += usage.input_tokens
        day["output"] += usage.output_tokens
        day["cache_write"] += usage.cache_write_5m_tokens + usage.cache_write_1h_tokens
        day["cache_read"] += usage.cache_read_tokens
    return {key: dict(value) for key, value in days.items()}


# --- real transcripts ----------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES + SHARED_CLAUDE_FILES, ids=lambda p: p.name)
def test_real_transcripts_parse_without_problems_and_every_line_yields_an_event(path):
    events = events_of(path)
    assert of_type(events, Problem) == []
    non_blank_lines = {number for number, line in enumerate(path.read_bytes().split(b"\n"), 1) if line.strip()}
    assert {event.pos.line_no for event in events} == non_blank_lines


@pytest.mark.parametrize("path", FIXTURE_FILES + SHARED_CLAUDE_FILES, ids=lambda p: p.name)
def test_counts_match_the_blocks_in_the_file(path):
    records = raw_records(path)
    assistant_blocks = [
        block
        for record in records
        if (record.get("type") or (record.get("message") or {}).get("role")) == "assistant"
        for block in content_blocks(record)
    ]
    user_blocks = [block for record in records if record.get("type") == "user" for block in content_blocks(record)]
    billed_lines = [
        record
        for record in records
        if (record.get("message") or {}).get("usage") and record["message"].get("model") != "<synthetic>"
    ]
    embedded_usage = [
        record
        for record in records
        if record.get("type") == "progress"
        and ((record.get("data") or {}).get("message") or {}).get("type") == "assistant"
        and record["data"]["message"].get("message", {}).get("usage")
    ]

    events = events_of(path)

    assert len(of_type(events, ToolCall)) == sum(b.get("type") == "tool_use" for b in assistant_blocks)
    assert len(of_type(events, ToolResult)) == sum(b.get("type") == "tool_result" for b in user_blocks)
    assert len(messages(events, "thinking")) == sum(b.get("type") == "thinking" for b in assistant_blocks)
    assert len(of_type(events, Usage)) == len(billed_lines) + len(embedded_usage)


# Totals pinned from `ccusage claude daily --json --offline --timezone UTC` (ccusage 20.0.24)
# run on each file alone; ccusage also keeps the largest row of each message id + request id.
CCUSAGE_DAILY = {
    "ai-sessions__claude-code-pomodoro-timer.jsonl": {
        ("2025-10-21", "claude-sonnet-4-5-20250929"): {
            "input": 265,
            "output": 12700,
            "cache_write": 55442,
            "cache_read": 1295467,
        }
    },
    "sniffly__fed8ce56-bc79-401f-a83e-af084253362f.jsonl": {
        ("2025-06-10", "claude-sonnet-4-20250514"): {
            "input": 88,
            "output": 278,
            "cache_write": 16000,
            "cache_read": 44544,
        }
    },
    "spotter__tool_heavy.jsonl": {
        ("2026-02-10", "claude-opus-4-6"): {"input": 54, "output": 212, "cache_write": 17696, "cache_read": 88231}
    },
    "spotter__short.jsonl": {
        ("2026-02-10", "claude-opus-4-6"): {"input": 3, "output": 13, "cache_write": 13835, "cache_read": 11515}
    },
    "agent-a2898e3.jsonl": {
        ("2026-02-12", "claude-sonnet-4-5-20250929"): {
            "input": 53,
            "output": 136,
            "cache_write": 71257,
            "cache_read": 604156,
        }
    },
    "agent-acompact-e1f845.jsonl": {
        ("2026-02-12", "claude-opus-4-6"): {"input": 3, "output": 8, "cache_write": 8681, "cache_read": 164830}
    },
    "agent-history__real_sessions__claude__session-01.jsonl": {
        ("2026-06-05", "claude-opus-4-7"): {"input": 6, "output": 16, "cache_write": 1045, "cache_read": 3057}
    },
    # The claude-haiku-4-5 row is usage embedded in agent_progress records; the sub-agent's own
    # file is not part of the set, so only the embedded copy carries it.
    "spotter__subagent.jsonl": {
        ("2026-02-10", "claude-opus-4-6"): {"input": 1576, "output": 1586, "cache_write": 25842, "cache_read": 427286},
        ("2026-02-10", "claude-haiku-4-5-20251001"): {
            "input": 24,
            "output": 7,
            "cache_write": 14285,
            "cache_read": 95343,
        },
    },
}


@pytest.mark.parametrize("name", sorted(CCUSAGE_DAILY))
def test_token_totals_match_ccusage(name):
    path = next(path for path in FIXTURE_FILES if path.name == name)
    assert daily_tokens(events_of(path)) == CCUSAGE_DAILY[name]


def test_session_with_its_subagent_files_matches_ccusage():
    parent = shared_session(f"claude_code/spotter__{PARENT_SESSION}.jsonl")  # 3 MB, not copied
    events = events_of(parent) + events_of(SUBAGENT) + events_of(COMPACT_AGENT)
    # `ccusage claude daily` on the three files in Claude Code's layout
    assert daily_tokens(events) == {
        ("2026-02-12", "claude-opus-4-6"): {
            "input": 180,
            "output": 28763,
            "cache_write": 488218,
            "cache_read": 11783397,
        },
        ("2026-02-12", "claude-sonnet-4-5-20250929"): {
            "input": 53,
            "output": 136,
            "cache_write": 71257,
            "cache_read": 604156,
        },
    }


# --- token accounting details --------------------------------------------------------------


def test_lines_of_one_response_share_a_dedup_key_and_early_lines_carry_placeholder_output():
    usages = of_type(events_of(FIXTURES / "ai-sessions__claude-code-pomodoro-timer.jsonl"), Usage)
    first = [u for u in usages if u.dedup_key == "msg_01JaAwM2k4YYVwXmgbwnExpZ:req_011CULwf3d8E7C1oxFouzpo4"]
    assert [(u.pos.line_no, u.output_tokens) for u in first] == [(2, 1), (3, 339)]
    by_key = defaultdict(list)
    for usage in usages:
        by_key[usage.dedup_key].append(usage)
    assert len(by_key) == 40 and None not in by_key
    assert all(len({(u.input_tokens, u.cache_read_tokens) for u in rows}) == 1 for rows in by_key.values())


def test_short_session_repeats_one_response_over_five_lines():
    usages = of_type(events_of(FIXTURES / "spotter__short.jsonl"), Usage)
    assert len(usages) == 5
    assert {u.dedup_key for u in usages} == {"msg_01MKH1ccEGrZGNPvu8pYiiQa:req_011CY15QS2LGwAeBxdfa6e1V"}


def test_cache_writes_use_the_ttl_split_when_given():
    (usage,) = of_type(events_of(FIXTURES / "agent-history__real_sessions__claude__session-01.jsonl"), Usage)
    assert (usage.input_tokens, usage.output_tokens, usage.cache_read_tokens) == (6, 16, 3057)
    assert (usage.cache_write_5m_tokens, usage.cache_write_1h_tokens) == (0, 1045)
    assert usage.model == "claude-opus-4-7"
    assert usage.dedup_key == "[REDACTED_MESSAGE_ID]:[REDACTED_REQUESTID]"


def test_cache_writes_without_split_are_five_minute_writes():
    usages = of_type(events_of(FIXTURES / "ccusage__SYNTHETIC__project-alpha__session-alpha__chat.jsonl"), Usage)
    assert [(u.model, u.cache_write_5m_tokens, u.cache_write_1h_tokens) for u in usages] == [
        ("claude-sonnet-4-20250514", 25, 0),
        ("claude-opus-4-20250514", 50, 0),
        ("claude-sonnet-4-20250514", 0, 0),
    ]
    assert [u.ctx.session_id for u in usages] == ["session-alpha"] * 3
    assert [u.dedup_key for u in usages] == [
        "msg-alpha-1:req-alpha-1",
        "msg-alpha-2:req-alpha-2",
        "msg-alpha-3:req-alpha-3",
    ]


def assistant_line(usage: dict, **extra) -> dict:
    line = {
        "type": "assistant",
        "sessionId": "s1",
        "uuid": "u1",
        "requestId": "req_1",
        "timestamp": "2026-01-01T00:00:00Z",
        "message": {
            "id": "msg_1",
            "role": "assistant",
            "model": "claude-opus-4-6",
            "content": [{"type": "text", "text": "hi"}],
            "usage": usage,
        },
    }
    line.update(extra)
    return line


def test_unaccounted_cache_writes_go_to_five_minutes(tmp_path):
    usage = {
        "input_tokens": 1,
        "output_tokens": 2,
        "cache_creation_input_tokens": 100,
        "cache_creation": {"ephemeral_5m_input_tokens": 10, "ephemeral_1h_input_tokens": 60},
    }
    (row,) = of_type(events_of(write_lines(tmp_path / "s.jsonl", [assistant_line(usage)])), Usage)
    assert (row.cache_write_5m_tokens, row.cache_write_1h_tokens) == (40, 60)


def test_synthetic_and_api_error_messages_are_not_billed(tmp_path):
    usage = {"input_tokens": 0, "output_tokens": 0}
    synthetic = assistant_line(usage)
    synthetic["message"]["model"] = "<synthetic>"
    api_error = assistant_line({"input_tokens": 5, "output_tokens": 5}, isApiErrorMessage=True)
    billed = assistant_line({"input_tokens": 5, "output_tokens": 7})
    events = events_of(write_lines(tmp_path / "s.jsonl", [synthetic, api_error, billed]))
    assert [(u.pos.line_no, u.output_tokens) for u in of_type(events, Usage)] == [(3, 7)]
    assert [m.text for m in messages(events, "text")] == ["hi", "hi", "hi"]


def test_usage_embedded_in_agent_progress_is_billed_as_the_subagent_once():
    path = FIXTURES / "spotter__subagent.jsonl"
    embedded = [
        r
        for r in raw_records(path)
        if r.get("type") == "progress" and (r["data"].get("message") or {}).get("message", {}).get("usage")
    ]
    assert len(embedded) > 0
    events = events_of(path)
    sub_usage = [u for u in of_type(events, Usage) if u.model == "claude-haiku-4-5-20251001"]
    assert len(sub_usage) == len(embedded)
    assert all(u.ctx.is_sidechain and u.ctx.subagent_id for u in sub_usage)
    assert {u.dedup_key for u in sub_usage} == {
        f"{r['data']['message']['message']['id']}:{r['data']['message']['requestId']}" for r in embedded
    }
    progress = [m for m in events if isinstance(m, Message) and m.record_type == "progress/agent_progress"]
    assert len(progress) == 19 and all(m.kind == "meta" for m in progress)


# --- sessions and sub-agents ---------------------------------------------------------------


def test_subagent_lines_keep_the_parent_session_id():
    events = events_of(SUBAGENT)
    assert {e.ctx.session_id for e in events} == {PARENT_SESSION}
    assert {e.ctx.subagent_id for e in events} == {"a2898e3"}
    assert all(e.ctx.is_sidechain for e in events)
    assert {e.ctx.git_branch for e in events} == {"spotter-dov"}
    assert {e.ctx.project for e in events} == {"/home/USER/projects/spotter-worktrees/spotter-dov"}


def test_summary_only_file_falls_back_to_the_file_name(tmp_path):
    path = tmp_path / "ff71dbed-a4f2-4284-a4fc-fe2fb90de929.jsonl"
    shutil.copy(FIXTURES / "sniffly__ff71dbed-a4f2-4284-a4fc-fe2fb90de929.jsonl", path)
    (event,) = events_of(path)
    assert event.kind == "summary" and event.text == "AI Music Generation from Word Embeddings"
    assert event.ctx.session_id == "ff71dbed-a4f2-4284-a4fc-fe2fb90de929"
    assert event.ctx.title == event.text


def test_summary_without_session_id_takes_the_last_one_seen(tmp_path):
    records = [
        {"type": "user", "sessionId": "abc", "message": {"role": "user", "content": "go"}},
        {"type": "summary", "summary": "Fixing the build", "leafUuid": "x"},
    ]
    events = events_of(write_lines(tmp_path / "other-name.jsonl", records))
    assert [(e.kind, e.ctx.session_id) for e in events] == [("text", "abc"), ("summary", "abc")]


def test_empty_git_branch_is_none():
    events = events_of(FIXTURES / "ai-sessions__claude-code-pomodoro-timer.jsonl")
    assert {e.ctx.git_branch for e in events if not isinstance(e, Problem)} == {None}


# --- messages and tools --------------------------------------------------------------------


def test_edit_and_write_calls_carry_paths_and_texts():
    path = FIXTURES / "ai-sessions__claude-code-pomodoro-timer.jsonl"
    calls = of_type(events_of(path), ToolCall)
    edits = [c for c in calls if c.name == "Edit"]
    writes = [c for c in calls if c.name == "Write"]
    assert len(edits) == 20 and len(writes) > 0
    raw_edits = [
        b["input"]
        for r in raw_records(path)
        for b in content_blocks(r)
        if b.get("type") == "tool_use" and b.get("name") == "Edit"
    ]
    assert [(c.file_path, c.old_text, c.new_text) for c in edits] == [
        (i["file_path"], i["old_string"], i["new_string"]) for i in raw_edits
    ]
    assert all(c.file_path and c.new_text for c in writes)
    assert all(json.loads(c.input_json)["file_path"] == c.file_path for c in edits + writes)


def test_bash_calls_carry_the_command_and_rejections_are_errors():
    events = events_of(FIXTURES / "spotter__short.jsonl")
    (bash,) = [c for c in of_type(events, ToolCall) if c.name == "Bash"]
    assert bash.command and json.loads(bash.input_json)["command"] == bash.command
    results = {r.call_id: r for r in of_type(events, ToolResult)}
    assert results[bash.call_id].is_error is True
    assert results[bash.call_id].text.startswith("The user doesn't want to proceed")
    assert results[bash.call_id].exit_code is None


def test_tool_result_exit_codes_and_durations(tmp_path):
    def user_result(content, tool_use_result, is_error=None):
        block = {"type": "tool_result", "tool_use_id": "t", "content": content}
        if is_error is not None:
            block["is_error"] = is_error
        return {
            "type": "user",
            "sessionId": "s",
            "toolUseResult": tool_use_result,
            "message": {"role": "user", "content": [block]},
        }

    records = [
        user_result("Exit code 128\nfatal: no upstream", "Error: Exit code 128", True),
        user_result(
            "<status>completed</status>\n\n<exit_code>0</exit_code>",
            {"retrieval_status": "success", "task": {"status": "completed", "exitCode": 0}},
        ),
        user_result("done", {"task": {"exitCode": 3}}),
        user_result([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}], {"durationMs": 1500}),
        user_result("found", {"query": "q", "durationSeconds": 5.5}),
        user_result("it printed Exit code 1 somewhere", {"stdout": "x"}),
    ]
    results = of_type(events_of(write_lines(tmp_path / "s.jsonl", records)), ToolResult)
    assert [(r.exit_code, r.is_error, r.duration_s) for r in results] == [
        (128, True, None),
        (0, False, None),
        (3, True, None),
        (None, False, 1.5),
        (None, False, 5.5),
        (None, False, None),
    ]
    assert results[3].text == "a\nb"


def test_multiedit_and_notebook_edits(tmp_path):
    def call(name, tool_input):
        return {
            "type": "assistant",
            "sessionId": "s",
            "message": {
                "role": "assistant",
                "model": "m",
                "content": [{"type": "tool_use", "id": f"id-{name}", "name": name, "input": tool_input}],
            },
        }

    records = [
        call(
            "MultiEdit",
            {
                "file_path": "a.py",
                "edits": [{"old_string": "x", "new_string": "y"}, {"old_string": "p", "new_string": "q"}],
            },
        ),
        call("NotebookEdit", {"notebook_path": "n.ipynb", "new_source": "print(1)"}),
    ]
    multi, notebook = of_type(events_of(write_lines(tmp_path / "s.jsonl", records)), ToolCall)
    assert (multi.file_path, multi.old_text, multi.new_text) == ("a.py", "x\np", "y\nq")
    assert (notebook.file_path, notebook.new_text) == ("n.ipynb", "print(1)")


def test_meta_compact_summary_and_system_lines(tmp_path):
    meta = messages(events_of(COMPACT_AGENT), "meta")
    assert [m.pos.line_no for m in meta] == [1, 2, 3]
    records = [
        {
            "type": "user",
            "sessionId": "s",
            "isCompactSummary": True,
            "message": {"role": "user", "content": "This session is being continued..."},
        },
        {"type": "system", "sessionId": "s", "subtype": "compact_boundary", "content": "Conversation compacted"},
        {"type": "system", "sessionId": "s", "subtype": "turn_duration", "durationMs": 5},
    ]
    events = events_of(write_lines(tmp_path / "s.jsonl", records))
    assert [(e.kind, e.role, e.text, e.record_type) for e in events] == [
        ("summary", "user", "This session is being continued...", "user"),
        ("system", "system", "Conversation compacted", "system/compact_boundary"),
        ("system", "system", "turn_duration", "system/turn_duration"),
    ]


def test_events_of_one_line_are_numbered():
    events = events_of(FIXTURES / "agent-history__real_sessions__claude__session-01.jsonl")
    assistant_line_events = [e for e in events if e.pos.line_no == 4]
    assert [(type(e).__name__, e.pos.seq) for e in assistant_line_events] == [("Message", 0), ("Usage", 1)]
    assert all(e.pos.byte_offset == assistant_line_events[0].pos.byte_offset for e in assistant_line_events)


# --- resumption ----------------------------------------------------------------------------


def read_in_two_runs(source: Path, cut: int, workdir: Path) -> list:
    """Read a file that first holds only ``cut`` bytes, then all of it, resuming the context."""
    data = source.read_bytes()
    path = workdir / source.name
    path.write_bytes(data[:cut])
    first_events, ctx = read_all(path)
    path.write_bytes(data)
    saved_state = json.loads(json.dumps(ctx.state))  # the ledger stores the state as JSON
    second_events, _ = read_all(path, offset=ctx.offset, line_no=ctx.line_no, state=saved_state)
    return first_events + second_events


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_two_runs_yield_the_same_events_as_one(path, tmp_path):
    data = path.read_bytes()
    whole = events_of(path)
    for fraction in (0.1, 0.5, 0.9):
        cut = int(len(data) * fraction)
        while cut < len(data) and data[cut - 1 : cut] == b"\n":
            cut += 1  # make sure the first run ends inside a line
        copy = tmp_path / "copy"
        copy.mkdir(exist_ok=True)
        assert read_in_two_runs(path, cut, copy) == whole


# --- malformed input -----------------------------------------------------------------------


def test_truncated_last_line_is_left_for_later(tmp_path):
    path = tmp_path / "s.jsonl"
    complete = json.dumps({"type": "user", "sessionId": "s", "message": {"role": "user", "content": "a"}}) + "\n"
    path.write_text(complete + '{"type": "user", "sessionId": "s", "mess')
    events, ctx = read_all(path)
    assert len(events) == 1 and ctx.offset == len(complete) and ctx.line_no == 1


def test_garbage_bad_utf8_and_unknown_records(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(
        b"not json at all\n"
        b'{"type": "user", "message": {"role": "user", "content": "caf\xe9"}}\n'
        b"[1, 2]\n"
        b'{"type": "brand-new-record", "sessionId": "s", "uuid": "u9"}\n'
        b"\n"
        b'{"type": "user", "sessionId": "s", "message": {"role": "user", "content": "ok"}}\n'
    )
    events = events_of(path)
    assert [(type(e).__name__, e.pos.line_no) for e in events] == [
        ("Problem", 1),
        ("Problem", 2),
        ("Problem", 3),
        ("Message", 4),
        ("Message", 6),
    ]
    assert (events[3].kind, events[3].record_type, events[3].ctx.session_id) == ("other", "brand-new-record", "s")
    assert events[1].raw.endswith(b'"caf\xe9"}}')


def test_empty_file_yields_nothing(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"")
    events, ctx = read_all(path)
    assert events == [] and ctx.offset == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.jsonl"
        path.write_bytes(data)
        events, ctx = read_all(path)
    assert ctx.offset == data.rfind(b"\n") + 1
    assert all(isinstance(e, (Message, Usage, ToolCall, ToolResult, Problem)) for e in events)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
blocks = st.fixed_dictionaries(
    {"type": st.sampled_from(["text", "thinking", "tool_use", "tool_result", "image", "novel"])},
    optional={
        "text": json_values,
        "thinking": json_values,
        "id": json_values,
        "name": st.sampled_from(["Bash", "Edit", "MultiEdit", "Write", "NotebookEdit", "Read"]),
        "input": json_values,
        "content": json_values,
        "tool_use_id": json_values,
        "is_error": json_values,
    },
)
records = st.fixed_dictionaries(
    {"type": st.sampled_from(["user", "assistant", "system", "summary", "progress", "queue-operation", "x"])},
    optional={
        "sessionId": json_values,
        "cwd": json_values,
        "gitBranch": json_values,
        "agentId": json_values,
        "isSidechain": json_values,
        "timestamp": json_values,
        "summary": json_values,
        "subtype": json_values,
        "toolUseResult": json_values,
        "isMeta": json_values,
        "requestId": json_values,
        "data": json_values,
        "message": st.fixed_dictionaries(
            {},
            optional={
                "role": json_values,
                "model": json_values,
                "id": json_values,
                "content": st.lists(blocks | json_values, max_size=3) | json_values,
                "usage": json_values
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "input_tokens",
                            "output_tokens",
                            "cache_creation_input_tokens",
                            "cache_read_input_tokens",
                            "cache_creation",
                        ]
                    ),
                    json_values,
                ),
            },
        )
        | json_values,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=4))
def test_odd_field_types_are_read_without_problems(lines):
    """Odd types are read as what they can mean; only token counts no response can have
    (negative, infinite, fractional, absurd) are problems of their line."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_lines(Path(folder) / "s.jsonl", lines)
        events = events_of(path)
    assert [p.reason for p in of_type(events, Problem) if "token" not in p.reason] == []
    assert {e.pos.line_no for e in events} == set(range(1, len(lines) + 1))


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_sniff_claims_claude_transcripts(path):
    assert READER.sniff(path, read_head(path)) >= Recognition.LIKELY and detect_reader(path) is READER


OTHER_FORMAT_HEADS = {
    "codex": b'{"timestamp":"2026-02-23T11:54:52.352Z","type":"session_meta","payload":{"id":"x"}}\n',
    "codex turn": b'{"timestamp":"t","type":"turn_context","payload":{"model":"gpt-5"}}\n',
    "gemini jsonl": b'{"sessionId":"abc","projectHash":"f00","startTime":"2026-04-01T00:00:00Z"}\n',
    "gemini json": b'{\n  "sessionId": "abc",\n  "projectHash": "f00",\n  "messages": []\n}\n',
    "gemini one line": b'{"sessionId":"abc","projectHash":"f00","messages":[]}\n',
    "aider": b"\n# aider chat started at 2024-08-26 10:00:00\n\n#### fix the bug\n",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(OTHER_FORMAT_HEADS))
def test_sniff_rejects_other_formats(name):
    assert detect_reader(Path("x.jsonl"), OTHER_FORMAT_HEADS[name]) is not READER


def test_sniff_rejects_the_other_agents_real_files():
    others = [p for folder in ("codex", "gemini_cli", "aider") for p in sorted((SHARED / folder).glob("*"))]
    if not others:
        pytest.skip("needs ../shared/real_sessions")
    assert [p.name for p in others if detect_reader(p) is READER] == []


def test_sniff_judges_a_first_line_longer_than_the_head_by_its_start():
    long_line = b'{"parentUuid":null,"isSidechain":false,"type":"user","message":{"content":"' + b"x" * 70000
    assert READER.sniff(Path("s.jsonl"), long_line[:65536]) == Recognition.LIKELY
    gemini_head = b'{"sessionId":"a","projectHash":"b","messages":[' + b"x" * 70000
    assert detect_reader(Path("s.jsonl"), gemini_head[:65536]).agent == "gemini"
