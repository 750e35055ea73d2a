"""Ingest behaviour end to end on a real DuckDB file: incremental, idempotent, transactional, lossless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.pipeline import StrictModeStop, ingest_paths
from ingest.sources import READERS
from ingest.store import StoreBusy, open_store
from tests.conftest import REPO


def claude_line(
    n: int,
    *,
    session="sess-1",
    message_id=None,
    request_id=None,
    output=10,
    model="claude-sonnet-4-5-20250929",
    ts="2026-10-06T10:00:00.000Z",
) -> str:
    """One assistant line as Claude Code writes it (synthetic, for ingest mechanics)."""
    return (
        json.dumps(
            {
                "parentUuid": None,
                "isSidechain": False,
                "userType": "external",
                "cwd": "/home/u/proj",
                "sessionId": session,
                "version": "2.0.24",
                "gitBranch": "main",
                "type": "assistant",
                "uuid": f"uuid-{session}-{n}",
                "timestamp": ts,
                "requestId": request_id or f"req-{n}",
                "message": {
                    "id": message_id or f"msg-{n}",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [{"type": "text", "text": f"reply {n}"}],
                    "stop_reason": "end_turn",
                    "usage": {
                        "input_tokens": 100,
                        "cache_creation_input_tokens": 0,
                        "cache_read_input_tokens": 1000,
                        "output_tokens": output,
                    },
                },
            }
        )
        + "\n"
    )


def totals(con) -> tuple:
    return con.execute(
        "SELECT count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), round(sum(cost_usd), 9) "
        "FROM billed_usage"
    ).fetchone()


def message_count(con) -> int:
    return con.execute("SELECT count(*) FROM messages").fetchone()[0]


def write(path: Path, text: str | bytes, mode: str = "w") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        with open(path, mode + "b") as handle:
            handle.write(text)
    else:
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(text)
    return path


def test_ingesting_twice_changes_nothing(con, tmp_path):
    write(tmp_path / "logs" / "a.jsonl", "".join(claude_line(i) for i in range(5)))
    first = ingest_paths(con, [tmp_path / "logs"], "alice")
    before = (totals(con), message_count(con))
    second = ingest_paths(con, [tmp_path / "logs"], "alice")
    assert first.files_read == 1 and second.files_read == 0 and second.files_unchanged == 1
    assert (totals(con), message_count(con)) == before
    assert before[0][0] == 5


def test_appended_lines_are_added_exactly(con, tmp_path):
    path = write(tmp_path / "a.jsonl", "".join(claude_line(i) for i in range(3)))
    ingest_paths(con, [path], "alice")
    write(path, "".join(claude_line(i) for i in range(3, 5)), mode="a")
    summary = ingest_paths(con, [path], "alice")
    assert summary.usage_rows == 2
    assert totals(con)[0] == 5
    consumed, lines = con.execute("SELECT bytes_consumed, lines_consumed FROM source_files").fetchone()
    assert consumed == path.stat().st_size and lines == 5


def test_a_line_cut_in_half_is_completed_next_run(con, tmp_path):
    full = claude_line(0) + claude_line(1)
    cut = len(claude_line(0)) + 40
    path = write(tmp_path / "a.jsonl", full[:cut])
    summary = ingest_paths(con, [path], "alice")
    assert summary.problems == 0 and totals(con)[0] == 1
    write(path, full[cut:], mode="a")
    ingest_paths(con, [path], "alice")
    assert totals(con)[0] == 2
    assert con.execute("SELECT count(*) FROM problems").fetchone()[0] == 0


def test_streamed_response_lines_count_once_with_the_most_tokens(con, tmp_path):
    lines = [
        claude_line(0, message_id="m", request_id="r", output=1),
        claude_line(0, message_id="m", request_id="r", output=8),
        claude_line(0, message_id="m", request_id="r", output=412),
    ]
    write(tmp_path / "a.jsonl", "".join(lines))
    ingest_paths(con, [tmp_path / "a.jsonl"], "alice")
    count, _input, output, _cache, _cost = totals(con)
    assert (count, output) == (1, 412)


def test_a_response_replayed_in_another_file_counts_once(con, tmp_path):
    write(tmp_path / "one.jsonl", claude_line(0, message_id="m", request_id="r", output=50))
    write(
        tmp_path / "two.jsonl",
        claude_line(0, session="sess-2", message_id="m", request_id="r", output=50) + claude_line(1, session="sess-2"),
    )
    ingest_paths(con, [tmp_path], "alice")
    assert totals(con)[0] == 2
    assert con.execute("SELECT count(*) FROM usage").fetchone()[0] == 3


def test_bad_lines_become_problems_with_their_raw_bytes(con, tmp_path):
    bad_utf8 = b'{"type": "user", "sessionId": "s", "message": {"role": "user", "content": "caf\xe9"}}\n'
    path = write(tmp_path / "a.jsonl", claude_line(0).encode() + b"{not json\n" + bad_utf8 + claude_line(1).encode())
    summary = ingest_paths(con, [path], "alice")
    assert summary.problems == 2
    rows = con.execute("SELECT line_no, reason, raw FROM problems ORDER BY line_no").fetchall()
    assert [r[0] for r in rows] == [2, 3]
    assert rows[0][2] == b"{not json" and rows[1][2] == bad_utf8.rstrip(b"\n")
    assert "UTF-8" in rows[1][1]
    assert totals(con)[0] == 2


def test_strict_mode_stops_and_keeps_the_previous_state(con, tmp_path):
    path = write(tmp_path / "a.jsonl", claude_line(0) + "garbage\n" + claude_line(1))
    with pytest.raises(StrictModeStop, match=":2:"):
        ingest_paths(con, [path], "alice", strict=True)
    assert totals(con)[0] == 0
    assert con.execute("SELECT count(*) FROM source_files").fetchone()[0] == 0


def test_empty_files_and_non_transcripts_are_reported_not_ingested(con, tmp_path):
    write(tmp_path / "empty.jsonl", "")
    write(tmp_path / "notes.md", "# shopping list\n- eggs\n")
    write(tmp_path / "config.json", '{"theme": "dark"}')
    (tmp_path / "nothing_here").mkdir()
    summary = ingest_paths(con, [tmp_path], "alice")
    assert summary.files_read == 0
    assert [Path(p).name for p in summary.empty_files] == ["empty.jsonl"]
    assert sorted(Path(p).name for p in summary.not_transcripts) == ["config.json", "notes.md"]


def test_a_new_parser_version_rereads_the_file_without_doubling(con, tmp_path, monkeypatch):
    path = write(tmp_path / "a.jsonl", "".join(claude_line(i) for i in range(3)))
    ingest_paths(con, [path], "alice")
    before = (totals(con), message_count(con))
    reader = READERS["claude"]
    monkeypatch.setattr(type(reader), "parser_version", reader.parser_version + 1, raising=False)
    monkeypatch.setattr(reader, "parser_version", reader.parser_version + 1, raising=False)
    summary = ingest_paths(con, [path], "alice")
    assert summary.files_read == 1
    assert (totals(con), message_count(con)) == before
    assert con.execute("SELECT DISTINCT parser_version FROM source_files").fetchone()[0] == reader.parser_version


def test_a_rewritten_file_replaces_its_rows(con, tmp_path):
    path = write(tmp_path / "a.jsonl", "".join(claude_line(i) for i in range(4)))
    ingest_paths(con, [path], "alice")
    write(path, "".join(claude_line(i, session="sess-9") for i in range(10, 12)))
    ingest_paths(con, [path], "alice")
    sessions = con.execute("SELECT DISTINCT session_id FROM usage").fetchall()
    assert sessions == [("sess-9",)] and totals(con)[0] == 2


def rewritten_lines(count: int, changed: int) -> str:
    """``count`` lines, the one at ``changed`` carrying 20 output tokens instead of 10 (same bytes long)."""
    return "".join(claude_line(i, output=20 if i == changed else 10) for i in range(count))


def test_a_file_rewritten_to_the_same_size_is_read_again(con, tmp_path):
    """Same size, same first kilobytes, a different line further on: not an unchanged file."""
    path = write(tmp_path / "a.jsonl", rewritten_lines(20, changed=-1))
    assert path.stat().st_size > 2 * pipeline.HEAD_HASH_BYTES
    ingest_paths(con, [path], "alice")
    size = path.stat().st_size
    write(path, rewritten_lines(20, changed=19))
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    assert path.stat().st_size == size
    summary = ingest_paths(con, [path], "alice")
    assert summary.files_read == 1
    assert totals(con)[:3] == (20, 2000, 210)


def test_a_file_truncated_and_regrown_is_read_again_not_resumed(con, tmp_path):
    """Longer than before, but the bytes before the saved offset changed: resuming there would keep stale rows."""
    path = write(tmp_path / "a.jsonl", rewritten_lines(20, changed=-1))
    ingest_paths(con, [path], "alice")
    write(path, rewritten_lines(21, changed=19))
    ingest_paths(con, [path], "alice")
    assert totals(con)[:3] == (21, 2100, 220)
    assert message_count(con) == 21


def test_a_crash_mid_file_leaves_the_previous_state(con, tmp_path, monkeypatch):
    path = write(tmp_path / "a.jsonl", "".join(claude_line(i) for i in range(3)))
    ingest_paths(con, [path], "alice")
    write(path, "".join(claude_line(i) for i in range(3, 6)), mode="a")

    def crash(txn, batch, tally):
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(pipeline.Ingestor, "flush", staticmethod(crash))
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(con, [path], "alice")
    monkeypatch.undo()
    assert totals(con)[0] == 3
    ingest_paths(con, [path], "alice")
    assert totals(con)[0] == 6


def test_the_user_is_recorded_per_ingest(con, tmp_path):
    write(tmp_path / "alice" / "a.jsonl", claude_line(0, session="a"))
    write(tmp_path / "bob" / "b.jsonl", claude_line(1, session="b"))
    ingest_paths(con, [tmp_path / "alice"], "alice")
    ingest_paths(con, [tmp_path / "bob"], "bob")
    users = con.execute("SELECT session_id, user_name FROM sessions ORDER BY 1").fetchall()
    assert users == [("a", "alice"), ("b", "bob")]


def test_a_second_writer_gets_a_clear_message(db_path):
    open_store(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.readline()",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreBusy, match="another process"):
            open_store(db_path)
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


def test_a_provisional_tail_is_replaced_not_doubled(con, tmp_path):
    """Aider's last reply is emitted with an estimated usage, then replaced once its Tokens line arrives."""
    path = write(
        tmp_path / "proj" / ".aider.chat.history.md",
        "# aider chat started at 2026-10-06 09:00:00\n\n#### add a test  \n\nHere is the test.\n",
    )
    ingest_paths(con, [path], "dave")
    first = con.execute("SELECT count(*), bool_and(estimated) FROM usage").fetchone()
    assert first == (1, True)
    write(path, "> Tokens: 2.4k sent, 310 received. Cost: $0.01 message, $0.01 session.  \n", mode="a")
    ingest_paths(con, [path], "dave")
    rows = con.execute("SELECT input_tokens, output_tokens, estimated FROM usage").fetchall()
    assert rows == [(2400, 310, True)]  # "2.4k" is rounded, hence still marked estimated
    replies = con.execute("SELECT count(*) FROM messages WHERE role = 'assistant' AND kind = 'text'").fetchone()[0]
    assert replies == 1


def test_lone_surrogates_and_undecodable_file_names_are_stored_not_fatal(con, tmp_path):
    line = (
        '{"type":"user","sessionId":"s1","timestamp":"2026-10-06T10:00:00Z","uuid":"u1",'
        '"message":{"role":"user","content":"half an emoji \\ud83d here"}}\n'
    )
    folder = tmp_path / "logs"
    folder.mkdir()
    odd_name = os.fsdecode(b"caf\xe9.jsonl")
    (folder / odd_name).write_text(line, encoding="utf-8")
    summary = ingest_paths(con, [folder], "alice")
    assert summary.files_read == 1 and summary.problems == 0
    path, text = con.execute("SELECT source_path, text FROM messages").fetchone()
    assert text == "half an emoji \ufffd here"
    assert path.endswith("caf\ufffd.jsonl")
    assert ingest_paths(con, [folder], "alice").files_unchanged == 1


def test_many_files_in_several_transactions_load_exactly_once(con, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "GROUP_FILES", 3)
    monkeypatch.setattr(pipeline, "GROUP_EVENTS", 4)
    for n in range(10):
        write(
            tmp_path / "logs" / f"{n}.jsonl",
            claude_line(2 * n, session=f"s{n}") + claude_line(2 * n + 1, session=f"s{n}"),
        )
    summary = ingest_paths(con, [tmp_path / "logs"], "alice")
    assert summary.files_read == 10 and len(summary.sessions) == 10
    assert totals(con)[0] == 20
    assert con.execute("SELECT count(*) FROM source_files").fetchone()[0] == 10


def test_a_file_failing_part_way_is_reported_and_the_others_still_load(con, tmp_path, monkeypatch):
    for n in range(4):
        write(tmp_path / "logs" / f"{n}.jsonl", claude_line(n, session=f"s{n}"))
    real_read = READERS["claude"].read

    def read_failing_on_2(ctx):
        if ctx.path.endswith("2.jsonl"):
            raise OSError(5, "Input/output error")
        yield from real_read(ctx)

    monkeypatch.setattr(READERS["claude"], "read", read_failing_on_2)
    summary = ingest_paths(con, [tmp_path / "logs"], "alice")
    assert summary.files_read == 3
    assert [(p.endswith("2.jsonl"), reason) for p, reason in summary.unreadable] == [(True, "Input/output error")]
    assert totals(con)[0] == 3
    monkeypatch.undo()
    assert ingest_paths(con, [tmp_path / "logs"], "alice").files_read == 1
    assert totals(con)[0] == 4


def test_a_large_file_is_committed_in_parts_and_a_crash_resumes_at_the_last_part(con, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "GROUP_EVENTS", 4)
    path = write(tmp_path / "big.jsonl", "".join(claude_line(i) for i in range(12)))
    real_read = READERS["claude"].read

    def read_then_die(ctx):
        for event in real_read(ctx):
            if event.pos.line_no == 10:
                raise KeyboardInterrupt("killed mid-file")
            yield event

    monkeypatch.setattr(READERS["claude"], "read", read_then_die)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(con, [path], "alice")
    committed = totals(con)[0]
    assert 0 < committed < 12
    size, consumed = con.execute("SELECT size, bytes_consumed FROM source_files").fetchone()
    assert size == consumed < path.stat().st_size
    monkeypatch.setattr(READERS["claude"], "read", real_read)
    ingest_paths(con, [path], "alice")
    assert totals(con)[0] == 12
    assert con.execute("SELECT count(*), count(DISTINCT byte_offset) FROM usage").fetchone() == (12, 12)


def test_codex_totals_survive_a_commit_in_the_middle_of_the_file(tmp_path, monkeypatch):
    from ingest.store import open_store
    from tests.conftest import FIXTURES

    source = FIXTURES / "codex" / "ai-sessions__codex-pomodor-timer.jsonl"
    whole = open_store(tmp_path / "whole.duckdb")
    ingest_paths(whole, [source], "bob")
    monkeypatch.setattr(pipeline, "GROUP_EVENTS", 7)
    parts = open_store(tmp_path / "parts.duckdb")
    ingest_paths(parts, [source], "bob")
    assert totals(parts) == totals(whole)
    assert message_count(parts) == message_count(whole)


def test_the_summary_cost_counts_each_billed_response_once(con, tmp_path):
    write(
        tmp_path / "one.jsonl",
        claude_line(0, message_id="m", request_id="r", output=1)
        + claude_line(0, message_id="m", request_id="r", output=400),
    )
    summary = ingest_paths(con, [tmp_path], "alice")
    billed = con.execute("SELECT sum(cost_usd) FROM billed_usage").fetchone()[0]
    assert summary.cost_usd == pytest.approx(billed) and summary.unpriced_rows == 0
    write(tmp_path / "two.jsonl", claude_line(0, session="s2", message_id="m", request_id="r", output=400))
    assert ingest_paths(con, [tmp_path], "alice").cost_usd == 0.0  # already billed from one.jsonl


def test_a_file_that_cannot_be_opened_is_reported_unreadable_not_skipped(con, tmp_path):
    write(tmp_path / "logs" / "ok.jsonl", claude_line(0))
    (tmp_path / "logs" / "dangling.jsonl").symlink_to(tmp_path / "gone.jsonl")
    (tmp_path / "logs" / "a-folder.jsonl").mkdir()
    summary = ingest_paths(con, [tmp_path / "logs"], "alice")
    assert summary.files_read == 1 and summary.not_transcripts == []
    assert [Path(p).name for p, _reason in summary.unreadable] == ["dangling.jsonl"]


def test_an_unchanged_file_is_neither_opened_nor_resolved_again(con, tmp_path, monkeypatch):
    write(tmp_path / "logs" / "a.jsonl", "".join(claude_line(i) for i in range(3)))
    write(tmp_path / "logs" / "b.jsonl", "".join(claude_line(i, session="sess-2") for i in range(3)))
    ingest_paths(con, [tmp_path / "logs"], "alice")
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: pytest.fail(f"resolved {self}"))
    second = ingest_paths(con, [tmp_path / "logs"], "alice")
    assert second.files_unchanged == 2 and second.files_read == 0
    assert not [path for path in opened if path.endswith(".jsonl")]


def test_a_file_grown_behind_the_ledger_is_still_read(con, tmp_path):
    path = write(tmp_path / "logs" / "a.jsonl", "".join(claude_line(i) for i in range(3)))
    ingest_paths(con, [tmp_path / "logs"], "alice")
    stat = path.stat()
    write(path, claude_line(3), mode="a")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime, other size
    again = ingest_paths(con, [tmp_path / "logs"], "alice")
    assert again.files_read == 1 and totals(con)[0] == 4


def test_a_linked_file_is_stored_under_its_real_path_once(con, tmp_path):
    real = write(tmp_path / "real" / "a.jsonl", "".join(claude_line(i) for i in range(2)))
    (tmp_path / "logs").mkdir()
    os.symlink(real, tmp_path / "logs" / "linked.jsonl")
    summary = ingest_paths(con, [tmp_path / "logs", tmp_path / "real"], "alice")
    assert summary.files_read == 1 and summary.files_seen == 1
    assert con.execute("SELECT DISTINCT source_path FROM messages").fetchall() == [(str(real.resolve()),)]
    assert ingest_paths(con, [tmp_path / "real"], "alice").files_unchanged == 1


def test_a_run_that_priced_nothing_loads_no_pricing(tmp_path):
    """`dashcam ingest` with nothing new, and `dashcam costs`, never import pandas or the price
    catalogue (most of a second per process)."""
    logs = write(tmp_path / "logs" / "a.jsonl", "".join(claude_line(i) for i in range(2))).parent
    db = tmp_path / "d.duckdb"
    env = {**os.environ, "DASHCAM_GUARD_DIR": str(tmp_path / "guard")}
    subprocess.run([sys.executable, "-m", "dashboard.cli", "ingest", str(logs), "--db", str(db)], env=env, check=True)
    probe = (
        "import sys, runpy; sys.argv = ['dashcam', *sys.argv[1:]];\n"
        "try:\n    runpy.run_module('dashboard.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'genai_prices', 'ingest.pricing', 'ingest.facts.session_facts') "
        "if m in sys.modules), file=sys.stderr)"
    )
    for command in (["ingest", str(logs)], ["costs", "daily", "--json"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *command, "--db", str(db)], env=env, capture_output=True, text=True, cwd=REPO
        )
        assert done.stderr.strip().splitlines()[-1] == "[]", (command, done.stderr[-500:])
