"""Aider reader: real chat histories against counts taken from the raw text, the Tokens line
variants, resuming mid-file, and hostile input."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult, Usage
from ingest.sources.aider import READER, parse_tokens_line
from ingest.sources.base import read_head
from ingest.tokens import estimate_tokens
from tests.conftest import REPO, TESTS

FIXTURES = TESTS / "fixtures" / "aider"
SHARED = REPO.parent / "shared" / "real_sessions" / "aider"
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.md") if p.name != "SOURCES.md")
BIG_HISTORIES = ["aider__tests__fixtures__chat-history.md", "OpenCoder__.aider.chat.history.md"]
EXCERPT_1 = FIXTURES / "aider__tests__fixtures__chat-history__lines-1-247.md"
EXCERPT_TESTS = FIXTURES / "aider__tests__fixtures__chat-history__lines-1680-2705.md"
EXCERPT_CACHE = FIXTURES / "aider__tests__fixtures__chat-history__lines-86353-86458.md"
OPENCODER = FIXTURES / "OpenCoder__.aider.chat.history__lines-1058-1366.md"


def read_all(path: Path) -> list:
    """Every event of a history, the provisional last session included."""
    return list(READER.read(ReadContext(path=str(path))))


def of_type(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


def calls(events: list, name: str) -> list[ToolCall]:
    return [event for event in events if isinstance(event, ToolCall) and event.name == name]


def user_texts(events: list) -> list[str]:
    return [e.text for e in events if isinstance(e, Message) and e.role == "user" and e.kind == "text"]


def every_history() -> list[Path]:
    shared = [SHARED / name for name in BIG_HISTORIES if (SHARED / name).exists()]
    return FIXTURE_FILES + shared


# ---------------------------------------------------------------- counts from the raw text


def raw_user_inputs(text: str) -> list[str]:
    """Runs of consecutive ``#### …  `` lines, each joined into one input."""
    inputs, current = [], []
    for line in text.split("\n"):
        if line.startswith("#### ") and line.endswith("  "):
            current.append(line[5:].rstrip())
        elif current:
            inputs.append("\n".join(current).strip("\n"))
            current = []
    return inputs + (["\n".join(current)] if current else [])


def raw_counts(text: str) -> dict:
    inputs = raw_user_inputs(text)
    shell = [i for i in inputs if i.split(" ", 1)[0] in ("/run", "/test") or i.startswith("!")]
    prompts = [
        i for i in inputs if not i.startswith(("/", "!")) or re.match(r"/(ask|code|architect|context|help) \S", i)
    ]
    tokens = re.findall(r"(?m)^> Tokens: (.*)$", text)
    return {
        "sessions": len(re.findall(r"(?m)^# aider chat started at ", text))
        + bool(text.split("# aider chat started at ")[0].strip()),
        "prompts": len(prompts),
        "runs": len(shell) + len(re.findall(r"(?m)^> Running ", text)),
        "edits": len(re.findall(r"(?m)^> Applied edit to ", text)),
        "commits": len(re.findall(r"(?m)^> Commit [0-9a-f]{7,40} ", text)),
        "tokens_lines": len(tokens),
        "sent": sum(plain_count(m) for line in tokens for m in re.findall(r"([\d.,]+k?) sent", line)),
        "received": sum(plain_count(m) for line in tokens for m in re.findall(r"([\d.,]+k?) received", line)),
    }


def plain_count(text: str) -> int:
    return round(float(text.rstrip("k").replace(",", "")) * (1000 if text.endswith("k") else 1))


@pytest.mark.parametrize("path", every_history(), ids=lambda p: p.name)
def test_real_histories_parse_without_problems_and_match_raw_counts(path):
    text = path.read_text(encoding="utf-8")
    events = read_all(path)
    expected = raw_counts(text)
    assert not of_type(events, Problem)
    assert len({e.ctx.session_id for e in events}) == expected["sessions"]
    assert len(user_texts(events)) == expected["prompts"]
    assert len(calls(events, "run")) == expected["runs"]
    assert len(calls(events, "edit")) == expected["edits"]
    assert len(calls(events, "commit")) == expected["commits"]
    measured = [u for u in of_type(events, Usage) if u.pos.seq == 0]  # a Tokens line is its block's only event
    assert len(measured) == expected["tokens_lines"]
    assert sum(u.input_tokens for u in measured) == expected["sent"]
    assert sum(u.output_tokens for u in measured) == expected["received"]
    assert len(of_type(events, ToolResult)) == len(of_type(events, ToolCall))
    positions = [(e.pos.line_no, e.pos.seq) for e in events]
    assert len(positions) == len(set(positions))


def test_cache_tokens_of_a_real_excerpt():
    # The five Tokens lines of lines 86353-86458, summed by hand.
    usages = [u for u in of_type(read_all(EXCERPT_CACHE), Usage) if not u.estimated]
    assert [u.pos.line_no for u in usages] == [21, 62, 68, 93, 99]
    assert sum(u.input_tokens for u in usages) == 12963 + 11002 + 11055 + 11148 + 11198
    assert sum(u.cache_write_5m_tokens for u in usages) == 11191 + 10984 + 11130
    assert sum(u.cache_read_tokens for u in usages) == 1270 + 10984 + 11130
    assert sum(u.output_tokens for u in usages) == 105 + 39 + 30 + 40 + 36
    assert {u.model for u in usages} == {"claude-3-5-sonnet-20240620"}


# Every Tokens line shape found in the real histories, copied from them.
TOKENS_LINES = [
    ("Tokens: 5,244 sent, 604 received. Cost: $0.02 request, $0.02 session.", {"sent": 5244, "received": 604}, False),
    ("Tokens: 2,470 sent, 138 received. Cost: $0.0095 message, $0.04 session.", {"sent": 2470, "received": 138}, False),
    (
        "Tokens: 13k sent, 429 received.\nCost: $0.05 message, $0.05 session. Use --no-stream for accurate caching costs.",
        {"sent": 13000, "received": 429},
        True,
    ),
    ("Tokens: 1.6k sent, 29 received.", {"sent": 1600, "received": 29}, True),
    ("Tokens: 6.5k sent, 1.1k received.", {"sent": 6500, "received": 1100}, True),
    (
        "Tokens: 492 sent, 1,278 cached, 72 received. Cost: $0.0026 message, $0.0026 session.",
        {"sent": 492, "cached": 1278, "received": 72},
        False,
    ),
    (
        "Tokens: 529 sent, 90 received, cache costs not included. Cost: $0.00024 message, $0.00024 session.",
        {"sent": 529, "received": 90},
        False,
    ),
    (
        "Tokens: 194 sent, 7 received. Cost: $0.000057 message, $0.000057 session, cache costs not included.",
        {"sent": 194, "received": 7},
        False,
    ),
    (
        "Tokens: 194 sent, 9,474 cached, 7 received. Cost: $0.000057 message, $0.000057 session, cache costs not included.",
        {"sent": 194, "cached": 9474, "received": 7},
        False,
    ),
    (
        "Tokens: 194 sent, 9,474 cached, 7 received. Cost: $0.000057 message, $0.000057 session, cache costs not available.",
        {"sent": 194, "cached": 9474, "received": 7},
        False,
    ),
    (
        "Tokens: 11,055 sent, 10,984 cache hit, 30 received. Cost: $0.0040 message, $0.05 session.",
        {"sent": 11055, "cache hit": 10984, "received": 30},
        False,
    ),
    (
        "Tokens: 11,002 sent, 10,984 cache write, 39 received. Cost: $0.04 message, $0.04 session.",
        {"sent": 11002, "cache write": 10984, "received": 39},
        False,
    ),
    (
        "Tokens: 12,963 sent, 11,191 cache write, 1,270 cache hit, 105 received.\nCost: $0.05 message, $0.05 session.",
        {"sent": 12963, "cache write": 11191, "cache hit": 1270, "received": 105},
        False,
    ),
    ("Tokens: 9.9k sent, 2.2k cache hit, 64 received.", {"sent": 9900, "cache hit": 2200, "received": 64}, True),
    ("Tokens: 1.2M sent, 15k received.", {"sent": 1_200_000, "received": 15_000}, True),
]


@pytest.mark.parametrize("line, counts, rounded", TOKENS_LINES, ids=[t[0][:48] for t in TOKENS_LINES])
def test_tokens_line_variants(line, counts, rounded):
    assert parse_tokens_line(line) == (counts, rounded)


def test_every_tokens_shape_in_the_big_history_is_in_the_table():
    path = SHARED / "aider__tests__fixtures__chat-history.md"
    if not path.exists():
        pytest.skip("the 4 MB history lives in ../shared/real_sessions, which is not present")
    shape = lambda line: re.sub(r"\$?\d[\d.,]*[kM]?", "N", line.split("\n")[0].rstrip())  # noqa: E731
    found = {shape(line[2:]) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("> Tokens:")}
    assert found <= {shape(line) for line, _, _ in TOKENS_LINES}


def test_rounded_counts_mark_the_usage_estimated():
    usages = [u for u in of_type(read_all(OPENCODER), Usage)]
    assert [(u.input_tokens, u.output_tokens, u.estimated) for u in usages] == [
        (1800, 89, True),
        (1600, 313, True),
        (1600, 81, True),
        (1600, 402, True),
        (1600, 29, True),
    ]


# ---------------------------------------------------------------- what the events say


def test_sessions_are_named_from_start_time_and_git_working_dir():
    events = read_all(OPENCODER)
    digest = hashlib.sha1(b"/home/asphyksia/OpenCoder").hexdigest()[:8]
    first = events[0]
    assert first.ctx.session_id == f"aider-20260228T215343-{digest}"
    assert first.ctx.project == "/home/asphyksia/OpenCoder"
    assert first.ts.isoformat() == "2026-02-28T21:53:43+00:00"
    assert (first.kind, first.text) == ("meta", "aider chat started at 2026-02-28 21:53:43")
    # the banner before "Git working dir:" belongs to the same session
    assert {e.ctx.session_id for e in events if e.pos.line_no <= 10} == {first.ctx.session_id}
    # the last session never names its git working dir: the folder name is hashed instead
    last = events[-1].ctx
    folder = hashlib.sha1(FIXTURES.name.encode()).hexdigest()[:8]
    assert last.session_id == f"aider-20260228T231434-{folder}" and last.project == str(FIXTURES)


def test_lines_before_the_first_header_form_their_own_session():
    events = read_all(EXCERPT_1)
    preamble = [e for e in events if e.pos.line_no < 94]
    folder = hashlib.sha1(FIXTURES.name.encode()).hexdigest()[:8]
    assert {e.ctx.session_id for e in preamble} == {f"aider-unknown-{folder}"}
    assert {e.ts for e in preamble} == {None}


def test_reply_edit_commit_and_model_of_a_real_session():
    events = [e for e in read_all(EXCERPT_1) if e.ctx.session_id.startswith("aider-20240805T193332-")]
    assert user_texts(events) == ["Use the Spinner instead of the inlined custom spinner"]
    replies = [e for e in events if isinstance(e, Message) and e.role == "assistant"]
    assert len(replies) == 1 and replies[0].model == "claude-3-5-sonnet-20240620"
    assert replies[0].text.startswith("Certainly! I'll modify the `run_install` function")
    (usage,) = of_type(events, Usage)
    assert (usage.input_tokens, usage.output_tokens, usage.estimated) == (5244, 604, False)
    assert usage.message_uuid == replies[0].uuid
    (edit,) = calls(events, "edit")
    assert edit.file_path == "aider/utils.py" and edit.message_uuid == replies[0].uuid
    assert edit.old_text.startswith("def run_install(cmd):") and "Spinner(" in edit.new_text
    (commit,) = calls(events, "commit")
    assert json.loads(commit.input_json) == {
        "sha": "fd43cd4",
        "message": "feat: Use the Spinner instead of the inlined custom spinner",
    }
    results = {r.call_id: r for r in of_type(events, ToolResult)}
    assert results[edit.call_id].text == "Applied edit to aider/utils.py"


def test_whole_file_edits_carry_the_new_content():
    events = read_all(OPENCODER)
    edits = {c.file_path: c for c in calls(events, "edit")}
    assert set(edits) == {"shutdown_pc.sh", "calculator.py", "test_file.py"}
    assert edits["test_file.py"].new_text == 'print("Hello from Aider!")' and edits["test_file.py"].old_text is None
    assert edits["shutdown_pc.sh"].new_text.startswith("#!/bin/bash\n")


def test_test_command_is_a_run_call_whose_result_is_the_echoed_output():
    events = read_all(EXCERPT_TESTS)
    runs = calls(events, "run")
    assert [r.command for r in runs] == ["pytest tests/basic/test_repomap.py"] * 2
    results = {r.call_id: r for r in of_type(events, ToolResult)}
    output = results[runs[0].call_id]
    assert output.text.startswith("============================= test session starts ==")
    assert output.text.endswith("========================= 1 failed, 6 passed in 3.28s ==========================")
    assert output.exit_code is None and not output.is_error


def test_suggested_command_takes_the_exit_status_aider_reports(tmp_path):
    # Lines as in the real history (Aider v0.51.2-dev, 2024-08-21 15:35:24).
    path = tmp_path / ".aider.chat.history.md"
    path.write_text(
        "\n# aider chat started at 2024-08-21 15:35:24\n\n"
        "> /Users/gauthier/Projects/aider/.venv/bin/aider --no-git --apply tmp.cmd  \n"
        "> Main model: claude-3-5-sonnet-20240620 with diff edit format, prompt cache, infinite output  \n"
        "> date && exit 1  \n> Run shell command? [Y/n] y  \n> Running date && exit 1  \n"
        "> Command 'date && exit 1' exited with status 1  \n> To retry and share output with the LLM:  \n",
        encoding="utf-8",
    )
    events = read_all(path)
    (run,) = calls(events, "run")
    (result,) = of_type(events, ToolResult)
    assert run.command == "date && exit 1"
    assert (result.call_id, result.exit_code, result.is_error) == (run.call_id, 1, True)


def test_reply_without_tokens_line_gets_an_estimate(tmp_path):
    path = tmp_path / ".aider.chat.history.md"
    path.write_text(
        "# aider chat started at 2025-01-02 03:04:05\n\n> Model: gpt-4o with diff edit format  \n\n"
        "#### explain the bug  \n####   in two lines  \n\nThe loop never ends.\nIt forgets to increment.\n\n"
        "#### /ask why?  \n\nBecause `i` stays 0.\n\n#### /add x.py  \n> Added x.py to the chat  \n",
        encoding="utf-8",
    )
    events = read_all(path)
    assert user_texts(events) == ["explain the bug\n  in two lines", "/ask why?"]
    meta = [e.text for e in events if isinstance(e, Message) and e.role == "user" and e.kind == "meta"]
    assert meta == ["/add x.py"]
    usages = of_type(events, Usage)
    assert [(u.input_tokens, u.output_tokens, u.estimated, u.model) for u in usages] == [
        (
            estimate_tokens("explain the bug\n  in two lines"),
            estimate_tokens("The loop never ends.\nIt forgets to increment."),
            True,
            "gpt-4o",
        ),
        (estimate_tokens("/ask why?"), estimate_tokens("Because `i` stays 0."), True, "gpt-4o"),
    ]


def test_markdown_in_replies_is_not_taken_for_user_or_tool_lines(tmp_path):
    path = tmp_path / ".aider.chat.history.md"
    path.write_text(
        "# aider chat started at 2025-01-02 03:04:05\n\n#### document it  \n\n"
        "docs.md\n```\n<<<<<<< SEARCH\n#### Usage\n=======\n#### Usage\nRun it.\n>>>>>>> REPLACE\n```\n\n"
        "> Tokens: 1,000 sent, 20 received.\nCost: $0.01 message, $0.01 session.  \n> Applied edit to docs.md  \n",
        encoding="utf-8",
    )
    events = read_all(path)
    assert user_texts(events) == ["document it"]
    (edit,) = calls(events, "edit")
    assert (edit.old_text, edit.new_text) == ("#### Usage", "#### Usage\nRun it.")
    (usage,) = of_type(events, Usage)
    assert (usage.input_tokens, usage.output_tokens, usage.estimated) == (1000, 20, False)
    assert not [e for e in events if isinstance(e, Message) and e.text and e.text.startswith("Cost:")]


# ---------------------------------------------------------------- resuming


@pytest.mark.parametrize("path", [EXCERPT_1, OPENCODER, EXCERPT_CACHE], ids=lambda p: p.name)
def test_resuming_at_the_saved_offset_gives_the_events_of_one_pass(path, tmp_path):
    data = path.read_bytes()
    target = tmp_path / path.name
    target.write_bytes(data)
    whole = read_all(target)
    cuts = [len(data) * k // 9 + 3 for k in range(1, 9)]  # mid-line cuts spread over the file
    for cut in cuts:
        target.write_bytes(data[:cut])
        first = ReadContext(path=str(target))
        events = list(READER.read(first))
        assert first.offset <= cut and (first.offset == 0 or data[first.offset - 1 : first.offset] == b"\n")
        # what lies past the resume offset is provisional: the store replaces it on the next run
        events = [e for e in events if e.pos.byte_offset < first.offset]
        target.write_bytes(data)
        ledger_state = json.loads(json.dumps(first.state))  # the store keeps the state as JSON
        second = ReadContext(path=str(target), offset=first.offset, line_no=first.line_no, state=ledger_state)
        events += list(READER.read(second))
        assert events == whole, f"resumed at byte {cut}"


def test_the_last_session_is_emitted_provisionally_and_read_again_next_time(tmp_path):
    path = tmp_path / ".aider.chat.history.md"
    header = "# aider chat started at 2025-01-02 03:04:05\n"
    text = header + "\n#### hi  \n\nHello there.\n"
    path.write_text(text, encoding="utf-8")
    ctx = ReadContext(path=str(path))
    events = list(READER.read(ctx))
    assert [e.text for e in events if isinstance(e, Message) and e.role == "assistant"] == ["Hello there."]
    assert any(isinstance(e, Usage) and e.estimated for e in events)
    assert ctx.offset <= text.index("Hello there.")  # the reply is provisional: read again next time
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("> Tokens: 1.2k sent, 40 received.  \n")
    again = list(READER.read(ctx))
    (usage,) = of_type(again, Usage)
    assert (usage.input_tokens, usage.output_tokens) == (1200, 40)
    assert [e.text for e in again if isinstance(e, Message) and e.role == "assistant"] == ["Hello there."]


# ---------------------------------------------------------------- hostile input


def test_bad_utf8_line_is_a_problem_and_reading_goes_on(tmp_path):
    path = tmp_path / ".aider.chat.history.md"
    path.write_bytes(b"# aider chat started at 2025-01-02 03:04:05\n\n#### caf\xe9  \n\n#### tea  \n")
    events = read_all(path)
    (problem,) = of_type(events, Problem)
    assert problem.pos.line_no == 3 and problem.raw == b"#### caf\xe9  " and "UTF-8" in problem.reason
    assert user_texts(events) == ["tea"]


def test_empty_file_and_odd_headers_do_not_raise(tmp_path):
    path = tmp_path / ".aider.chat.history.md"
    path.write_bytes(b"")
    assert read_all(path) == []
    path.write_text("# aider chat started at 2025-13-45 99:99:99\n\n#### hi  \n\n> Tokens: 1.2.3 sent, x received.  \n")
    events = read_all(path)
    assert not of_type(events, Problem)
    assert {e.ctx.session_id.startswith("aider-unknown-") for e in events} == {True}
    assert [(u.input_tokens, u.output_tokens) for u in of_type(events, Usage)] == [(0, 0)]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=400),
    st.sampled_from([b"", b"# aider chat started at 2024-08-05 19:33:02\n", b"#### x  \nreply\n> y\n"]),
)
def test_arbitrary_bytes_never_raise(tmp_path, data, prefix):
    path = tmp_path / "history.md"
    path.write_bytes(prefix + data)
    events = read_all(path)
    assert all(isinstance(e, (Message, Usage, ToolCall, ToolResult, Problem)) for e in events)


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_sniff_claims_chat_histories(path):
    assert READER.sniff(path, read_head(path))


def test_sniff_rejects_input_history_and_the_other_agents_files():
    others = [FIXTURES / "zen-mcp-server__.aider.input.history"]
    for folder in ("claude_code", "codex", "gemini"):
        others += [p for p in (FIXTURES.parent / folder).rglob("*") if p.is_file() and p.suffix in (".jsonl", ".json")]
    assert len(others) > 5
    assert not [p.name for p in others if READER.sniff(p, read_head(p))]
    quoted = b'{"type":"user","message":{"content":"# aider chat started at 2024-08-05 19:33:02"}}\n'
    assert not READER.sniff(Path("x.jsonl"), quoted)


def test_counted_kinds_of_a_real_excerpt():
    kinds = Counter(type(e).__name__ for e in read_all(EXCERPT_TESTS))
    assert kinds["ToolCall"] == kinds["ToolResult"] > 0


def test_a_run_result_gathers_every_output_line_up_to_the_add_to_chat_prompt(tmp_path):
    path = tmp_path / ".aider.chat.history.md"
    path.write_text(
        "# aider chat started at 2025-01-02 03:04:05\n\n"
        "#### /run make check  \n"
        "> compiling  \n> Error: undefined: parseConfig  \n> make: *** [check] Error 1  \n"
        "> Add the output to the chat?\n(y/n/instructions) y  \n"
        "> compiling  \n\n#### fix it  \n",
        encoding="utf-8",
    )
    events = read_all(path)
    (result,) = of_type(events, ToolResult)
    assert result.text == "compiling\nError: undefined: parseConfig\nmake: *** [check] Error 1"
    (call,) = calls(events, "run")
    assert call.command == "make check" and result.call_id == call.call_id
