"""Codex reader: real rollouts, token accounting as ccusage does it, resumption, hostile input."""

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
from ingest.sources.base import Recognition, read_head
from ingest.sources.codex import READER
from tests.conftest import FIXTURES as ALL_FIXTURES
from tests.conftest import SHARED_SESSIONS as SHARED
from tests.conftest import shared_session

FIXTURES = ALL_FIXTURES / "codex"
FIXTURE_FILES = sorted(FIXTURES.glob("*.jsonl"))
SHARED_CODEX_FILES = sorted((SHARED / "codex").glob("*.jsonl")) if SHARED.is_dir() else []
POMODORO = FIXTURES / "ai-sessions__codex-pomodor-timer.jsonl"
AGENT_HISTORY = FIXTURES / "agent-history__real_sessions__codex__session-01.jsonl"
CCUSAGE_SYNTHETIC = FIXTURES / "ccusage__SYNTHETIC__project-alpha__session-alpha.jsonl"
LOCALPUSH = FIXTURES / "localpush__rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl"


def read_all(path: Path, **context) -> tuple[list, ReadContext]:
    ctx = ReadContext(path=str(path), **context)
    return list(READER.read(ctx)), ctx


def events_of(path: Path) -> list:
    return read_all(path)[0]


def of_type(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


def write_lines(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records), encoding="utf-8")
    return path


def raw_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def payload_types(path: Path) -> Counter:
    return Counter((r.get("type"), (r.get("payload") or {}).get("type")) for r in raw_records(path))


def daily_tokens(events: list) -> dict:
    """Tokens per (date, model) in ccusage's terms, identical events counted once."""
    seen, days = set(), defaultdict(Counter)
    for usage in of_type(events, Usage):
        if usage.dedup_key in seen:
            continue
        seen.add(usage.dedup_key)
        day = days[(usage.ts.date().isoformat(), usage.model)]
        day["input"] += usage.input_tokens
        day["cache_read"] += usage.cache_read_tokens
        day["output"] += usage.output_tokens
        day["reasoning"] += usage.reasoning_tokens
    return {key: dict(value) for key, value in days.items()}


def token_count(ts: str, total: dict | None = None, last: dict | None = None, **info) -> dict:
    body = dict(info)
    if total is not None:
        body["total_token_usage"] = total
    if last is not None:
        body["last_token_usage"] = last
    return {"timestamp": ts, "type": "event_msg", "payload": {"type": "token_count", "info": body}}


def tokens(inp: int, cached: int, out: int, reasoning: int = 0) -> dict:
    return {
        "input_tokens": inp,
        "cached_input_tokens": cached,
        "output_tokens": out,
        "reasoning_output_tokens": reasoning,
        "total_tokens": inp + out,
    }


def at(second: float) -> str:
    return f"2026-03-01T00:00:{second:06.3f}Z"


TURN = {"timestamp": at(0), "type": "turn_context", "payload": {"model": "gpt-5.2-codex"}}


# --- real rollouts -------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES + SHARED_CODEX_FILES, ids=lambda p: p.name)
def test_real_rollouts_parse_without_problems(path):
    assert of_type(events_of(path), Problem) == []


@pytest.mark.parametrize("path", FIXTURE_FILES + SHARED_CODEX_FILES, ids=lambda p: p.name)
def test_counts_match_the_items_in_the_file(path):
    kinds = payload_types(path)
    events = events_of(path)
    calls = sum(kinds[("response_item", t)] for t in ("function_call", "custom_tool_call", "web_search_call"))
    outputs = kinds[("response_item", "function_call_output")] + kinds[("response_item", "custom_tool_call_output")]
    assert len(of_type(events, ToolCall)) == calls
    assert len(of_type(events, ToolResult)) == outputs
    assert len([m for m in of_type(events, Message) if m.kind == "thinking"]) == kinds[("response_item", "reasoning")]
    conversation = [m for m in of_type(events, Message) if m.record_type == "response_item/message"]
    assert len(conversation) == kinds[("response_item", "message")]
    assert len([m for m in of_type(events, Message) if m.kind == "summary"]) == kinds[("compacted", None)]


@pytest.mark.parametrize("path", FIXTURE_FILES + SHARED_CODEX_FILES, ids=lambda p: p.name)
def test_one_usage_per_token_count_row_whose_running_total_moved(path):
    totals = [
        r["payload"]["info"].get("total_token_usage")
        for r in raw_records(path)
        if r.get("type") == "event_msg" and r["payload"].get("type") == "token_count" and r["payload"].get("info")
    ]
    moved = [total for previous, total in zip([None] + totals, totals) if total != previous]
    assert len(of_type(events_of(path), Usage)) == len(moved)


def test_codex_writes_most_token_counts_twice():
    usages = of_type(events_of(POMODORO), Usage)
    rows = [r for r in raw_records(POMODORO) if (r.get("payload") or {}).get("type") == "token_count"]
    assert (len(rows), sum(r["payload"]["info"] is None for r in rows), len(usages)) == (42, 1, 21)


# Pinned from `ccusage codex daily --json --offline --timezone UTC` (ccusage 20.0.24), each file
# alone under $CODEX_HOME/sessions; ccusage's inputTokens exclude cached input like ours.
CCUSAGE_DAILY = {
    "ai-sessions__codex-pomodor-timer.jsonl": {
        ("2025-10-21", "gpt-5-codex"): {"input": 33995, "cache_read": 181760, "output": 14976, "reasoning": 8448}
    },
    "localpush__rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl": {
        ("2026-02-23", "gpt-5.3-codex"): {"input": 367673, "cache_read": 6836352, "output": 36075, "reasoning": 17896}
    },
    "localpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl": {
        ("2026-02-23", "gpt-5.3-codex"): {"input": 31013, "cache_read": 3456, "output": 431, "reasoning": 264}
    },
    "localpush__rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl": {
        ("2026-02-23", "gpt-5.3-codex"): {"input": 59525, "cache_read": 238848, "output": 1123, "reasoning": 483}
    },
    "agent-history__real_sessions__codex__session-01.jsonl": {
        ("2026-06-05", "gpt-5.5"): {"input": 1675, "cache_read": 20864, "output": 10, "reasoning": 0}
    },
    "ccusage__SYNTHETIC__project-alpha__session-alpha.jsonl": {
        ("2026-05-13", "gpt-5.2-codex"): {"input": 750, "cache_read": 250, "output": 125, "reasoning": 75},
        ("2026-05-14", "gpt-5.3-codex"): {"input": 2000, "cache_read": 500, "output": 300, "reasoning": 200},
    },
}


@pytest.mark.parametrize("name", sorted(CCUSAGE_DAILY))
def test_token_totals_match_ccusage(name):
    assert daily_tokens(events_of(FIXTURES / name)) == CCUSAGE_DAILY[name]


def test_resumed_two_day_rollout_matches_ccusage():
    rollout = shared_session(  # 1 MB, not copied
        "codex/localpush__rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl"
    )
    assert daily_tokens(events_of(rollout)) == {
        ("2026-02-23", "gpt-5.3-codex"): {"input": 730926, "cache_read": 17322112, "output": 67742, "reasoning": 24380},
        ("2026-02-24", "gpt-5.3-codex"): {
            "input": 1458055,
            "cache_read": 14299392,
            "output": 66257,
            "reasoning": 17733,
        },
    }


# --- token accounting rules (each case also checked against ccusage 20.0.24) ---------------


def usages_of(tmp_path: Path, records: list) -> list[Usage]:
    return of_type(events_of(write_lines(tmp_path / "rollout.jsonl", records)), Usage)


def counted(usages: list[Usage]) -> list[tuple]:
    return [(u.input_tokens, u.cache_read_tokens, u.output_tokens, u.reasoning_tokens) for u in usages]


def test_cached_input_is_a_subset_of_input():
    (usage,) = of_type(events_of(AGENT_HISTORY), Usage)
    assert (usage.input_tokens, usage.cache_read_tokens, usage.output_tokens) == (22539 - 20864, 20864, 10)
    assert (usage.cache_write_5m_tokens, usage.cache_write_1h_tokens) == (0, 0)


def test_cached_input_is_capped_at_input(tmp_path):
    usages = usages_of(tmp_path, [TURN, token_count(at(1), tokens(100, 200, 10), tokens(100, 200, 10))])
    assert counted(usages) == [(0, 100, 10, 0)]


def test_repeated_rows_with_unchanged_totals_count_once(tmp_path):
    total = tokens(100, 20, 10, 4)
    usages = usages_of(
        tmp_path,
        [
            TURN,
            token_count(at(1), total, total),
            token_count(at(2), total, total),
            token_count(at(3), total, tokens(40, 0, 4)),  # same total, different last: still a repeat
            token_count(at(4), total),
        ],
    )
    assert counted(usages) == [(80, 20, 10, 4)]


def test_falls_back_to_last_usage_when_the_total_drops(tmp_path):
    usages = usages_of(
        tmp_path,
        [
            TURN,
            token_count(at(1), tokens(1000, 200, 100, 50), tokens(1000, 200, 100, 50)),
            token_count(at(2), tokens(500, 100, 50, 10), tokens(500, 100, 50, 10)),
            token_count(at(3), tokens(800, 150, 90, 20), tokens(300, 50, 40, 10)),
        ],
    )
    assert counted(usages) == [(800, 200, 100, 50), (400, 100, 50, 10), (250, 50, 40, 10)]


def test_total_increase_counts_when_last_usage_is_missing(tmp_path):
    usages = usages_of(
        tmp_path,
        [
            TURN,
            token_count(at(1), tokens(100, 0, 10)),
            token_count(at(2), tokens(350, 50, 30, 5)),
        ],
    )
    assert counted(usages) == [(100, 0, 10, 0), (200, 50, 20, 5)]


def test_the_increase_of_the_total_counts_even_when_a_response_row_is_missing(tmp_path):
    usages = usages_of(
        tmp_path,
        [
            TURN,
            token_count(at(1), tokens(100, 0, 10), tokens(100, 0, 10)),
            token_count(at(2), tokens(300, 0, 30), tokens(50, 0, 5)),  # a response of 150 had no row of its own
            token_count(at(3), tokens(400, 0, 40), tokens(0, 0, 0)),
        ],
    )
    assert counted(usages) == [(100, 0, 10, 0), (200, 0, 20, 0), (100, 0, 10, 0)]
    assert sum(u.input_tokens + u.cache_read_tokens for u in usages) == 400


def test_null_info_rows_and_rows_without_timestamp_count_nothing(tmp_path):
    usages = usages_of(
        tmp_path,
        [
            TURN,
            {"timestamp": at(1), "type": "event_msg", "payload": {"type": "token_count", "info": None}},
            {"type": "event_msg", "payload": {"type": "token_count", "info": {"total_token_usage": tokens(5, 0, 5)}}},
            token_count(at(3), tokens(100, 0, 10)),
        ],
    )
    assert counted(usages) == [(100, 0, 10, 0)]


def test_state_survives_between_runs_as_json(tmp_path):
    path = write_lines(tmp_path / "rollout.jsonl", [TURN, token_count(at(1), tokens(100, 0, 10))])
    first, ctx = read_all(path)
    with open(path, "a") as handle:
        handle.write(json.dumps(token_count(at(2), tokens(150, 0, 15))) + "\n")
    second, _ = read_all(path, offset=ctx.offset, line_no=ctx.line_no, state=json.loads(json.dumps(ctx.state)))
    assert counted(of_type(second, Usage)) == [(50, 0, 5, 0)]
    assert of_type(second, Usage)[0].model == "gpt-5.2-codex"


def test_model_comes_from_turn_context_then_token_count_then_fallback(tmp_path):
    usages = usages_of(
        tmp_path,
        [
            token_count(at(1), tokens(10, 0, 1), tokens(10, 0, 1)),
            {"timestamp": at(2), "type": "turn_context", "payload": {"model": "gpt-5.2-codex"}},
            token_count(at(3), tokens(20, 0, 2), tokens(10, 0, 1)),
            token_count(at(4), tokens(30, 0, 3), tokens(10, 0, 1), model="gpt-5.3-codex"),
            token_count(at(5), tokens(40, 0, 4), tokens(10, 0, 1)),
            {"timestamp": at(6), "type": "turn_context", "payload": {"model": "codex-auto-review"}},
            token_count(at(7), tokens(50, 0, 5), tokens(10, 0, 1)),
        ],
    )
    assert [u.model for u in usages] == ["gpt-5", "gpt-5.2-codex", "gpt-5.3-codex", "gpt-5.3-codex", "gpt-5.3-codex"]


def test_identical_usage_in_a_forked_copy_shares_its_dedup_key(tmp_path):
    records = [TURN, token_count(at(1), tokens(100, 0, 10), tokens(100, 0, 10))]
    parent = usages_of(tmp_path, records)
    fork = of_type(
        events_of(
            write_lines(tmp_path / "fork.jsonl", records + [token_count(at(5), tokens(300, 0, 30), tokens(200, 0, 20))])
        ),
        Usage,
    )
    assert parent[0].dedup_key == fork[0].dedup_key
    assert fork[1].dedup_key != fork[0].dedup_key
    assert daily_tokens(parent + fork) == {
        ("2026-03-01", "gpt-5.2-codex"): {"input": 300, "cache_read": 0, "output": 30, "reasoning": 0}
    }


def test_subagent_rollout_skips_the_replayed_parent_counts(tmp_path):
    meta = {
        "timestamp": at(0),
        "type": "session_meta",
        "payload": {
            "id": "child",
            "cwd": "/w",
            "source": {"subagent": {"thread_spawn": {"parent_thread_id": "parent", "depth": 1}}},
        },
    }
    replay = [
        token_count(at(1.1), tokens(100, 0, 10), tokens(100, 0, 10)),
        token_count(at(1.2), tokens(300, 0, 30), tokens(200, 0, 20)),
        token_count(at(1.3), tokens(600, 0, 60), tokens(300, 0, 30)),
    ]
    own_work = token_count(at(9), tokens(1000, 0, 100), tokens(400, 0, 40))
    events = events_of(write_lines(tmp_path / "child.jsonl", [meta, TURN, *replay, own_work]))
    assert counted(of_type(events, Usage)) == [(400, 0, 40, 0)]
    assert {(e.ctx.session_id, e.ctx.parent_session_id, e.ctx.is_sidechain) for e in events} == {
        ("child", "parent", True)
    }
    not_spawned = events_of(write_lines(tmp_path / "main.jsonl", [TURN, *replay, own_work]))
    assert len(of_type(not_spawned, Usage)) == 4


# --- sessions ------------------------------------------------------------------------------


def test_session_meta_gives_id_cwd_and_git():
    events = events_of(LOCALPUSH)
    contexts = {(e.ctx.session_id, e.ctx.project, e.ctx.git_branch, e.ctx.git_commit, e.ctx.git_repo) for e in events}
    assert contexts == {
        (
            "019c8a4c-ed82-79a1-aa28-7738fc5ab61a",
            "/redacted/path/fa3f7eaace",
            "main",
            "1cdfa7b17410e00cddbb7a4347336af2c6f80ee0",
            "redacted://url/5d14a88c6f",
        )
    }
    assert {e.ctx.agent for e in events} == {"codex"}


def test_session_id_without_session_meta_comes_from_the_file_name(tmp_path):
    rollout = tmp_path / "rollout-2026-05-13T09-00-00-019c8a4c-ed82-79a1-aa28-7738fc5ab61b.jsonl"
    shutil.copy(CCUSAGE_SYNTHETIC, rollout)
    assert {e.ctx.session_id for e in events_of(rollout)} == {"019c8a4c-ed82-79a1-aa28-7738fc5ab61b"}
    assert {e.ctx.session_id for e in events_of(CCUSAGE_SYNTHETIC)} == {CCUSAGE_SYNTHETIC.stem}


# --- messages and tools --------------------------------------------------------------------


def test_shell_calls_and_json_outputs_of_codex_0_47():
    events = events_of(POMODORO)
    calls = {c.call_id: c for c in of_type(events, ToolCall)}
    results = {r.call_id: r for r in of_type(events, ToolResult)}
    shell = [c for c in calls.values() if c.name == "shell"]
    assert [c.command for c in shell] == ["ls", "cat script.js", "cat styles.css"]
    first = results["call_Xadcaju55OrZk0cmKRlq1xCw"]
    assert (first.text, first.exit_code, first.duration_s, first.is_error) == ("", 0, 0.0, False)
    arguments = json.loads(calls["call_Xadcaju55OrZk0cmKRlq1xCw"].input_json)
    assert arguments == {"command": ["zsh", "-lc", "ls"], "workdir": "/Users/yoavfarhi/dev/pomodoro/codex"}
    assert set(results) == set(calls)


def test_apply_patch_calls_name_their_file_and_failed_patches_are_errors():
    events = events_of(POMODORO)
    patches = [c for c in of_type(events, ToolCall) if c.name == "apply_patch"]
    assert len(patches) == 11 and all(c.patch.startswith("*** Begin Patch") for c in patches)
    assert [c.file_path for c in patches[:3]] == ["index.html", "styles.css", "script.js"]
    results = {r.call_id: r for r in of_type(events, ToolResult)}
    assert results["call_IuOr38b4Q12e6e9iqEbAcu3F"].text == "Success. Updated the following files:\nA index.html\n"
    failed = results["call_HmyR30UxhRcSEz8pnFlXVbHW"]
    assert failed.is_error and failed.exit_code is None


def test_unified_exec_outputs_state_exit_code_and_wall_time(tmp_path):
    def call(call_id, name, arguments):
        return {
            "timestamp": at(1),
            "type": "response_item",
            "payload": {"type": "function_call", "name": name, "arguments": arguments, "call_id": call_id},
        }

    def output(call_id, text):
        return {
            "timestamp": at(2),
            "type": "response_item",
            "payload": {"type": "function_call_output", "call_id": call_id, "output": text},
        }

    events = events_of(
        write_lines(
            tmp_path / "rollout.jsonl",
            [
                call("a", "exec_command", json.dumps({"cmd": "pytest -q", "yield_time_ms": 1000})),
                output("a", "Chunk ID: 1f\nWall time: 2.5 seconds\nProcess exited with code 2\nOutput:\nFAILED\n"),
                call("b", "shell", json.dumps({"command": ["git", "commit", "-m", "two words"]})),
                output("b", "Exit code: 0\nWall time: 0.1 seconds\nOutput:\nok\n"),
                call("c", "exec_command", "[REDACTED_ARGUMENTS len=12]"),
                output("c", "Chunk ID: 2a\nWall time: 10.0 seconds\nProcess running with session ID 7\n"),
                call("d", "mcp__server__tool", json.dumps({"q": 1})),
            ],
        )
    )
    calls = of_type(events, ToolCall)
    assert [(c.name, c.command) for c in calls] == [
        ("exec_command", "pytest -q"),
        ("shell", "git commit -m 'two words'"),
        ("exec_command", None),
        ("mcp__server__tool", None),
    ]
    assert json.loads(calls[2].input_json) == "[REDACTED_ARGUMENTS len=12]"
    assert json.loads(calls[3].input_json) == {"q": 1}
    assert [(r.exit_code, r.duration_s, r.is_error) for r in of_type(events, ToolResult)] == [
        (2, 2.5, True),
        (0, 0.1, False),
        (None, 10.0, False),
    ]


def test_messages_reasoning_and_duplicated_event_messages():
    events = events_of(AGENT_HISTORY)
    texts = [(m.role, m.kind, m.text) for m in of_type(events, Message) if m.record_type == "response_item/message"]
    assert texts == [
        ("system", "text", "[REDACTED_DEVELOPER_CONTEXT]"),
        ("user", "meta", texts[1][2]),
        ("user", "text", "[REDACTED_PROMPT]"),
        ("assistant", "text", "[REDACTED_ASSISTANT_TEXT]"),
    ]
    assert texts[1][2].startswith("<environment_context>")
    copies = [
        m for m in of_type(events, Message) if m.record_type in ("event_msg/user_message", "event_msg/agent_message")
    ]
    assert [(m.role, m.kind, m.text) for m in copies] == [("user", "meta", None), ("assistant", "meta", None)]
    assistant = [m for m in of_type(events, Message) if m.role == "assistant" and m.kind == "text"]
    assert [m.model for m in assistant] == ["gpt-5.5"]
    reasoning = [m for m in of_type(events_of(POMODORO), Message) if m.kind == "thinking"]
    assert reasoning[0].text == "**Examining repository structure**"


def test_compaction_and_web_search(tmp_path):
    events = events_of(
        write_lines(
            tmp_path / "rollout.jsonl",
            [
                {
                    "timestamp": at(1),
                    "type": "compacted",
                    "payload": {"message": "Summary so far", "replacement_history": []},
                },
                {"timestamp": at(2), "type": "event_msg", "payload": {"type": "context_compacted"}},
                {
                    "timestamp": at(3),
                    "type": "response_item",
                    "payload": {
                        "type": "web_search_call",
                        "status": "completed",
                        "action": {"type": "search", "query": "q"},
                    },
                },
            ],
        )
    )
    summary, compacted_event, search = events
    assert (summary.kind, summary.text, summary.record_type) == ("summary", "Summary so far", "compacted")
    assert (compacted_event.kind, compacted_event.record_type) == ("meta", "event_msg/context_compacted")
    assert (search.name, json.loads(search.input_json)) == ("web_search", {"type": "search", "query": "q"})


def test_legacy_rollout_without_session_meta(tmp_path):
    events = events_of(
        write_lines(
            tmp_path / "rollout-2025-06-01T10-00-00-legacy.jsonl",
            [
                {
                    "id": "0b5f-legacy",
                    "timestamp": "2025-06-01T10:00:00Z",
                    "instructions": None,
                    "git": {"branch": "dev", "commit_hash": "abc"},
                },
                {"record_type": "state"},
                {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hello"}]},
                {
                    "type": "function_call",
                    "name": "shell",
                    "arguments": '{"command":["bash","-lc","ls -a"]}',
                    "call_id": "c1",
                },
            ],
        )
    )
    assert of_type(events, Problem) == []
    assert {(e.ctx.session_id, e.ctx.git_branch) for e in events} == {("0b5f-legacy", "dev")}
    assert [m.text for m in of_type(events, Message) if m.kind == "text"] == ["hello"]
    assert [c.command for c in of_type(events, ToolCall)] == ["ls -a"]


# --- resumption ----------------------------------------------------------------------------


def read_in_two_runs(source: Path, cut: int, workdir: Path) -> list:
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
        assert read_in_two_runs(path, cut, tmp_path) == whole


# --- malformed input -----------------------------------------------------------------------


def test_truncated_last_line_is_left_for_later(tmp_path):
    complete = json.dumps(TURN) + "\n"
    path = tmp_path / "rollout.jsonl"
    path.write_text(complete + '{"timestamp":"2026-03-01T00:00:01Z","type":"event_msg","payl')
    events, ctx = read_all(path)
    assert len(events) == 1 and ctx.offset == len(complete) and ctx.line_no == 1


def test_garbage_bad_utf8_and_unknown_records(tmp_path):
    path = tmp_path / "rollout.jsonl"
    path.write_bytes(
        b'{"timestamp":"2026-03-01T00:00:00Z","type":"session_meta","payload":{"id":"s1"}}\n'
        b"garbage\n"
        b'{"timestamp":"2026-03-01T00:00:01Z","type":"response_item",'
        b'"payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"\xff"}]}}\n'
        b'{"timestamp":"2026-03-01T00:00:02Z","type":"future_record","payload":{"x":1}}\n'
        b'{"timestamp":"2026-03-01T00:00:03Z","type":"response_item","payload":{"type":"future_item"}}\n'
    )
    events = events_of(path)
    assert [(type(e).__name__, e.pos.line_no) for e in events] == [
        ("Message", 1),
        ("Problem", 2),
        ("Problem", 3),
        ("Message", 4),
        ("Message", 5),
    ]
    assert [(e.kind, e.record_type, e.ctx.session_id) for e in events[3:]] == [
        ("other", "future_record", "s1"),
        ("other", "response_item/future_item", "s1"),
    ]


def test_empty_file_yields_nothing(tmp_path):
    path = tmp_path / "rollout.jsonl"
    path.write_bytes(b"")
    events, ctx = read_all(path)
    assert events == [] and ctx.offset == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rollout.jsonl"
        path.write_bytes(data)
        events, ctx = read_all(path)
    assert ctx.offset == data.rfind(b"\n") + 1
    json.dumps(ctx.state)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
usage_values = (
    st.dictionaries(
        st.sampled_from(
            ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens"]
        ),
        st.integers(0, 10**6) | json_values,
        max_size=5,
    )
    | json_values
)
payloads = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "message",
                "reasoning",
                "function_call",
                "function_call_output",
                "custom_tool_call",
                "custom_tool_call_output",
                "web_search_call",
                "token_count",
                "user_message",
                "novel",
            ]
        )
    },
    optional={
        "role": json_values,
        "content": json_values,
        "summary": json_values,
        "name": st.sampled_from(["shell", "exec_command", "apply_patch", "x"]) | json_values,
        "arguments": json_values | json_values.map(json.dumps),
        "input": json_values,
        "output": json_values | json_values.map(json.dumps),
        "call_id": json_values,
        "id": json_values,
        "cwd": json_values,
        "git": json_values,
        "model": json_values,
        "source": json_values,
        "message": json_values,
        "info": st.none()
        | st.fixed_dictionaries(
            {}, optional={"total_token_usage": usage_values, "last_token_usage": usage_values, "model": json_values}
        ),
    },
)
records = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["session_meta", "response_item", "event_msg", "turn_context", "compacted"]),
        "payload": payloads | json_values,
    },
    optional={"timestamp": st.sampled_from(["2026-03-01T00:00:00Z", ""]) | json_values},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=5))
def test_odd_field_types_are_read_without_problems(lines):
    with tempfile.TemporaryDirectory() as folder:
        path = write_lines(Path(folder) / "rollout.jsonl", lines)
        events, ctx = read_all(path)
    assert of_type(events, Problem) == []
    json.dumps(ctx.state)


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_sniff_claims_codex_rollouts(path):
    assert READER.sniff(path, read_head(path)) == Recognition.CERTAIN


OTHER_FORMAT_HEADS = {
    "claude": b'{"type":"user","sessionId":"s","message":{"role":"user","content":"hi"}}\n',
    "claude summary": b'{"type":"summary","summary":"Title","leafUuid":"u"}\n',
    "gemini jsonl": b'{"sessionId":"abc","projectHash":"f00","startTime":"2026-04-01T00:00:00Z"}\n',
    "gemini json": b'{\n  "sessionId": "abc",\n  "projectHash": "f00",\n  "messages": []\n}\n',
    "aider": b"\n# aider chat started at 2024-08-26 10:00:00\n\n#### fix the bug\n",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(OTHER_FORMAT_HEADS))
def test_sniff_rejects_other_formats(name):
    assert READER.sniff(Path("rollout-x.jsonl"), OTHER_FORMAT_HEADS[name]) == Recognition.NO


def test_sniff_rejects_the_other_agents_real_files():
    others = [p for folder in ("claude_code", "gemini_cli", "aider") for p in sorted((SHARED / folder).glob("*"))]
    if not others:
        pytest.skip("needs ../shared/real_sessions")
    assert [p.name for p in others if READER.sniff(p, read_head(p))] == []


def test_sniff_judges_a_first_line_longer_than_the_head_by_its_start():
    long_meta = (
        b'{"timestamp":"2026-02-23T11:54:52.352Z","type":"session_meta","payload":{"base_instructions":"' + b"x" * 70000
    )
    assert READER.sniff(Path("r.jsonl"), long_meta[:65536]) == Recognition.LIKELY
    assert READER.sniff(Path("r.jsonl"), b'{"type":"user","message":{"content":"' + b"x" * 70000) == Recognition.NO
