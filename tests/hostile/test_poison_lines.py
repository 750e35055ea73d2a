"""A poison line is a problem for that line; the rest of its file and its group are stored.

Real lines from tests/fixtures get hostile numbers (beyond int64, infinite, negative) or
nesting ~1,000+ levels deep. Before, each raised out of the reader or the insert, rolled
back the whole group and killed every re-run at the same line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import FIXTURES
from tests.hostile.poison import deep, ingest_folder, problem_lines, rows_by_line, set_path, with_companion

CLAUDE = FIXTURES / "claude_code" / "spotter__short.jsonl"
CODEX = FIXTURES / "codex" / "agent-history__real_sessions__codex__session-01.jsonl"
GEMINI = FIXTURES / "gemini" / "agent-history__real_sessions__gemini__session-01.json"
AIDER = FIXTURES / "aider" / "aider__tests__fixtures__chat-history__lines-1-247.md"
COMPANION = FIXTURES / "claude_code" / "sniffly__fed8ce56-bc79-401f-a83e-af084253362f.jsonl"

HUGE = {
    "1e30": "1e30",
    "1e308": "1e308",
    "1e400": "1e400",
    "int-1e30": str(10**30),
    "negative": "-5",
    "digits-5000": "9" * 5000,
}


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def first_line(lines: list[str], predicate) -> int:
    return next(index for index, line in enumerate(lines) if line.strip() and predicate(json.loads(line)))


def check_poisoned(tmp_path: Path, original: Path, lines: list[str], poisoned_no: int, name: str) -> None:
    """Ingest the clean file and the poisoned one; compare them line by line."""
    clean_dir, hostile_dir = tmp_path / "clean", tmp_path / "hostile"
    clean_dir.mkdir()
    clean = clean_dir / name
    clean.write_bytes(original.read_bytes())
    hostile = hostile_dir / name
    hostile_dir.mkdir()
    hostile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    companion = with_companion(hostile_dir, COMPANION)
    ingest_folder(tmp_path / "clean.duckdb", clean_dir)
    ingest_folder(tmp_path / "hostile.duckdb", hostile_dir)
    hostile.touch()  # a re-run reads the file again and must not die either
    with open_store(tmp_path / "hostile.duckdb") as con:
        con.execute("UPDATE source_files SET mtime = 0")
        ingest_paths(con, [hostile_dir], "alice")
    with open_store(tmp_path / "clean.duckdb", read_only=True) as con:
        expected = rows_by_line(con, str(clean.resolve()))
    with open_store(tmp_path / "hostile.duckdb", read_only=True) as con:
        got = rows_by_line(con, str(hostile.resolve()))
        problems = problem_lines(con, str(hostile.resolve()))
        assert rows_by_line(con, str(companion.resolve())), "the companion file of the group was not stored"
        bad = con.execute(
            "SELECT count(*) FROM usage WHERE least(input_tokens, output_tokens, cache_read_tokens, "
            "cache_write_5m_tokens, cache_write_1h_tokens, reasoning_tokens) < 0 "
            "OR greatest(input_tokens, output_tokens, cache_read_tokens) > 1e12 "
            "OR cost_usd < 0"
        ).fetchone()[0]
    assert bad == 0
    assert poisoned_no in problems, f"no problem recorded for line {poisoned_no}: {problems}"
    others = {key: rows for key, rows in got.items() if key[1] != poisoned_no}
    assert others == {key: rows for key, rows in expected.items() if key[1] != poisoned_no}
    assert got.get(("usage", poisoned_no), 0) == 0


@pytest.mark.parametrize("literal", HUGE.values(), ids=HUGE.keys())
def test_claude_usage_beyond_any_count(tmp_path, literal):
    lines = lines_of(CLAUDE)
    index = first_line(lines, lambda r: isinstance(r.get("message"), dict) and "usage" in r["message"])
    lines[index] = set_path(json.loads(lines[index]), ("message", "usage", "input_tokens"), literal)
    check_poisoned(tmp_path, CLAUDE, lines, index + 1, CLAUDE.name)


@pytest.mark.parametrize("field", ["total_token_usage", "last_token_usage"])
@pytest.mark.parametrize("literal", HUGE.values(), ids=HUGE.keys())
def test_codex_token_totals_beyond_any_count(tmp_path, literal, field):
    lines = lines_of(CODEX)
    index = first_line(lines, lambda r: r.get("payload", {}).get("type") == "token_count")
    record = json.loads(lines[index])
    record["payload"]["info"]["total_token_usage"]["input_tokens"] += 0
    lines[index] = set_path(record, ("payload", "info", field, "input_tokens"), literal)
    check_poisoned(tmp_path, CODEX, lines, index + 1, CODEX.name)


@pytest.mark.parametrize("literal", HUGE.values(), ids=HUGE.keys())
def test_gemini_tokens_beyond_any_count(tmp_path, literal):
    document = json.loads(GEMINI.read_text())
    index = next(i for i, m in enumerate(document["messages"]) if "tokens" in m)
    text = set_path(document, ("messages", index, "tokens", "input"), literal)
    hostile_dir = tmp_path / "hostile"
    hostile_dir.mkdir()
    (hostile_dir / GEMINI.name).write_text(text)
    companion = with_companion(hostile_dir, COMPANION)
    ingest_folder(tmp_path / "db.duckdb", hostile_dir)
    with open_store(tmp_path / "db.duckdb", read_only=True) as con:
        path = str((hostile_dir / GEMINI.name).resolve())
        assert con.execute("SELECT count(*) FROM problems WHERE source_path = ?", [path]).fetchone()[0] >= 1
        assert con.execute("SELECT count(*) FROM messages WHERE source_path = ?", [path]).fetchone()[0] >= 2
        assert (
            con.execute(
                "SELECT count(*) FROM usage WHERE source_path = ? AND input_tokens > 1e12 OR input_tokens < 0", [path]
            ).fetchone()[0]
            == 0
        )
        assert rows_by_line(con, str(companion.resolve()))


@pytest.mark.parametrize("digits", [str(10**30), "9" * 400, "9" * 5000], ids=["1e30", "400-digits", "5000-digits"])
def test_aider_tokens_line_beyond_any_count(tmp_path, digits):
    lines = lines_of(AIDER)
    index = next(i for i, line in enumerate(lines) if line.startswith("> Tokens:"))
    lines[index] = f"> Tokens: {digits} sent, 604 received. Cost: $0.02 request, $0.02 session.  "
    check_poisoned(tmp_path, AIDER, lines, index + 1, AIDER.name)


@pytest.mark.parametrize("where", ["first", "middle"])
@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_claude_line_nested_too_deep(tmp_path, where, levels):
    lines = lines_of(CLAUDE)
    index = 0 if where == "first" else len(lines) // 2
    lines[index] = '{"type": "user", "message": {"role": "user", "content": ' + deep(levels) + "}}"
    check_poisoned(tmp_path, CLAUDE, lines, index + 1, CLAUDE.name)


@pytest.mark.parametrize("where", ["first", "middle"])
def test_codex_line_nested_too_deep(tmp_path, where):
    lines = lines_of(CODEX)
    index = 0 if where == "first" else len(lines) // 2
    if where == "first":  # keep a recognizable first line: the header, with a deep field added
        lines[index] = lines[index][:-1] + ', "extra": ' + deep(3_000) + "}"
    else:
        lines[index] = '{"timestamp": "2026-06-05T04:58:21Z", "type": "response_item", "payload": ' + deep(3_000) + "}"
    check_poisoned(tmp_path, CODEX, lines, index + 1, CODEX.name)


@pytest.mark.parametrize("levels", [1_000, 50_000])
def test_gemini_document_nested_too_deep_is_a_problem_for_the_file(tmp_path, levels):
    text = GEMINI.read_text()
    text = text.replace('"[REDACTED_PROMPT]"', '"[REDACTED_PROMPT]", "nested": ' + deep(levels), 1)
    hostile_dir = tmp_path / "hostile"
    hostile_dir.mkdir()
    (hostile_dir / GEMINI.name).write_text(text)
    companion = with_companion(hostile_dir, COMPANION)
    summary = ingest_folder(tmp_path / "db.duckdb", hostile_dir)
    assert summary.files_read == 2
    with open_store(tmp_path / "db.duckdb", read_only=True) as con:
        path = str((hostile_dir / GEMINI.name).resolve())
        reasons = [r for (r,) in con.execute("SELECT reason FROM problems WHERE source_path = ?", [path]).fetchall()]
        assert len(reasons) == 1 and "nested deeper" in reasons[0]
        assert rows_by_line(con, str(companion.resolve()))
