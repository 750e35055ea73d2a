"""Smaller ingest defects, each once shipped: invalid JSON from `costs --json`, an
order-dependent projectPath, a garbage head hiding a transcript, a last record without
its newline never read, and redaction counts lost with a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from dashboard.cli import app
from ingest.pipeline import TAIL_SETTLED_S, ingest_paths
from ingest.store import open_store
from tests.conftest import FIXTURES, REPO
from tests.hostile.poison import ingest_folder, problem_lines, rows_by_line

CLAUDE = FIXTURES / "claude_code" / "spotter__short.jsonl"
runner = CliRunner()


def claude_records() -> list[dict]:
    return [json.loads(line) for line in CLAUDE.read_text().splitlines() if line.strip()]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"bare {constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_costs_json_is_valid_for_usage_without_timestamp_or_project(tmp_path):
    records = []
    for record in claude_records():
        record.pop("timestamp", None)
        record.pop("cwd", None)
        records.append(record)
    write_jsonl(tmp_path / "logs" / "bare.jsonl", records)
    db = tmp_path / "db.duckdb"
    ingest_folder(db, tmp_path / "logs")
    for report in ("daily", "weekly", "monthly", "session"):
        result = runner.invoke(app, ["costs", report, "--json", "--db", str(db)])
        assert result.exit_code == 0, result.output
        data = strict_json(result.stdout)
        assert data["totals"]["totalTokens"] > 0
    session = strict_json(runner.invoke(app, ["costs", "session", "--json", "--db", str(db)]).stdout)
    assert session["sessions"][0]["projectPath"] is None


def test_project_path_does_not_depend_on_ingest_order(tmp_path):
    records = [r for r in claude_records() if isinstance(r.get("message"), dict) and "usage" in r["message"]]
    assert len(records) >= 2
    for number, record in enumerate(records):  # distinct responses, none deduplicated away
        record["message"]["id"], record["requestId"] = f"msg_{number:04d}", f"req_{number:04d}"
    half = len(records) // 2
    first = [dict(r, cwd="/work/zeta") for r in records[:half]]
    second = [dict(r, cwd="/work/alpha") for r in records[half:]]
    a = write_jsonl(tmp_path / "logs" / "a.jsonl", first)
    b = write_jsonl(tmp_path / "logs" / "b.jsonl", second)
    answers = []
    for name, order in (("ab", [a, b]), ("ba", [b, a])):
        db = tmp_path / f"{name}.duckdb"
        with open_store(db) as con:
            for path in order:
                ingest_paths(con, [path], "alice")
        result = runner.invoke(app, ["costs", "session", "--json", "--db", str(db)])
        answers.append([s["projectPath"] for s in strict_json(result.stdout)["sessions"]])
    assert answers[0] == answers[1] == [answers[0][0]] and answers[0][0] in ("/work/alpha", "/work/zeta")


def test_a_garbage_head_does_not_hide_the_transcript(tmp_path):
    garbage = [f"#{n:05d} " + "x" * 120 for n in range(600)]  # ~76 KiB of lines no reader knows
    lines = garbage + CLAUDE.read_text().splitlines()
    hostile = tmp_path / "hostile" / CLAUDE.name
    hostile.parent.mkdir()
    hostile.write_text("\n".join(lines) + "\n")
    clean = tmp_path / "clean" / CLAUDE.name
    clean.parent.mkdir()
    clean.write_bytes(CLAUDE.read_bytes())
    summary = ingest_folder(tmp_path / "h.duckdb", hostile.parent)
    assert summary.not_transcripts == [] and summary.files_read == 1
    ingest_folder(tmp_path / "c.duckdb", clean.parent)
    with open_store(tmp_path / "h.duckdb", read_only=True) as con:
        got = rows_by_line(con, str(hostile.resolve()))
        problems = problem_lines(con, str(hostile.resolve()))
    with open_store(tmp_path / "c.duckdb", read_only=True) as con:
        expected = rows_by_line(con, str(clean.resolve()))
    assert sorted(problems) == list(range(1, len(garbage) + 1))
    assert {(table, line - len(garbage)): n for (table, line), n in got.items()} == expected


def test_a_file_of_garbage_only_stays_not_a_transcript(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "noise.jsonl").write_text("".join(f"line {n} " + "y" * 100 + "\n" for n in range(2000)))
    summary = ingest_folder(tmp_path / "db.duckdb", folder)
    assert len(summary.not_transcripts) == 1 and summary.files_read == 0


def age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_a_last_record_without_newline_is_read_once_the_file_settles(tmp_path):
    records = claude_records()
    path = tmp_path / "logs" / "s.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(json.dumps(r) for r in records))  # no newline after the last record
    db = tmp_path / "db.duckdb"
    ingest_folder(db, path.parent)  # just written: the writer may still be in the middle of it
    with open_store(db, read_only=True) as con:
        assert len(records) not in {line for _t, line in rows_by_line(con, str(path.resolve()))}
    age(path, TAIL_SETTLED_S + 60)
    ingest_folder(db, path.parent)  # unchanged since: the record is complete, read it
    with open_store(db, read_only=True) as con:
        lines = {line for _t, line in rows_by_line(con, str(path.resolve()))}
        assert len(records) in lines
        messages = con.execute("SELECT count(*) FROM messages").fetchone()[0]
    with open(path, "a") as handle:  # the writer comes back: newline, then a new record
        handle.write("\n" + json.dumps(dict(records[-1], uuid="0b5e77ed-0000-4000-8000-00000000beef")) + "\n")
    ingest_folder(db, path.parent)
    with open_store(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM messages").fetchone()[0] > messages
        assert not problem_lines(con, str(path.resolve()))
        duplicates = con.execute(
            "SELECT count(*) FROM (SELECT line_no, seq FROM messages GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        assert duplicates == 0


KILLED_AFTER_FIRST_COMMIT = """
import sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
import ingest.pipeline as pipeline
from ingest.store import LoadTransaction, open_store
pipeline.GROUP_EVENTS = 5
original = LoadTransaction.commit_and_continue
def commit_then_wait(self):
    original(self)
    print("committed", flush=True)
    sys.stdin.readline()  # killed here
LoadTransaction.commit_and_continue = commit_then_wait
con = open_store(sys.argv[1])
pipeline.ingest_paths(con, [Path(sys.argv[2])], "alice")
"""


def test_a_killed_run_keeps_the_redaction_counts_of_what_it_committed(tmp_path):
    secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    records = claude_records()
    for record in records:
        message = record.get("message")
        if isinstance(message, dict) and isinstance(message.get("content"), list):
            for part in message["content"]:
                if part.get("type") == "text":
                    part["text"] = f"token {secret} " + part["text"]
    for n in range(3):
        write_jsonl(tmp_path / "logs" / f"s{n}.jsonl", [dict(r, sessionId=f"s{n}") for r in records])
    db = tmp_path / "db.duckdb"
    with open_store(db):
        pass
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_AFTER_FIRST_COMMIT, str(db), str(tmp_path / "logs"), str(REPO)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "committed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with open_store(db, read_only=True) as con:
        stored = sum(
            text.count("[REDACTED:github_token]")
            for (text,) in con.execute("SELECT text FROM messages WHERE text IS NOT NULL").fetchall()
        )
        recorded = con.execute(
            "SELECT coalesce(sum(count), 0) FROM ingest_redactions WHERE kind = 'github_token'"
        ).fetchone()[0]
    assert stored > 0
    assert recorded == stored
