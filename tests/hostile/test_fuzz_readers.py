"""Structured fuzzing of every reader with mutated real lines, and line accounting.

Hypothesis mutates lines of the real transcripts in tests/fixtures (a number becomes huge,
negative, fractional or a string; a string becomes a number, an object or a deep nest; a
line is truncated; a key is dropped) and ingests the file with a clean companion file. The
ingest never raises, the companion is stored, no stored count is negative or beyond any
response, and every line is accounted for: it is stored, a problem, or a line the reader
also ignored unmutated (a record type that makes no rows). A dropped key may change what
a record is, so those lines are only required not to break anything.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import FIXTURES
from tests.hostile.poison import problem_lines, rows_by_line, with_companion

SOURCES = {
    "claude": FIXTURES / "claude_code" / "spotter__short.jsonl",
    "codex": FIXTURES / "codex" / "agent-history__real_sessions__codex__session-01.jsonl",
}
GEMINI = FIXTURES / "gemini" / "agent-history__real_sessions__gemini__session-01.json"
AIDER = FIXTURES / "aider" / "aider__tests__fixtures__chat-history__lines-86353-86458.md"
COMPANION = FIXTURES / "claude_code" / "sniffly__fed8ce56-bc79-401f-a83e-af084253362f.jsonl"
FUZZ = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE_NUMBERS = st.sampled_from([10**30, -1, -(2**63), 2**64, 1e308, 1.5, float("inf"), "12", "1e400", None, True])
HOSTILE_STRINGS = st.sampled_from([0, -7, 10**40, {}, [], "", "\x00", "[/INST]", "\ud83d", "x" * 5000])


def paths(value, prefix=()):
    """Every (path, value) inside a JSON value."""
    yield prefix, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, prefix + (index,))


def replaced(record, path, new):
    if not path:
        return new
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return record


@st.composite
def mutated_line(draw, line: str):
    """(text, kind) for one mutated line; kind says how strictly it must be accounted."""
    record = json.loads(line)
    spots = list(paths(record))[1:]
    action = draw(st.sampled_from(["number", "string", "nest", "truncate", "drop"]))
    if action == "truncate":
        return line[: draw(st.integers(1, max(1, len(line) - 1)))], "strict"
    if not spots:
        return line, "strict"
    path, value = draw(st.sampled_from(spots))
    if action == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        replaced(record, path, draw(HOSTILE_NUMBERS))
    elif action == "string" and isinstance(value, str):
        replaced(record, path, draw(HOSTILE_STRINGS))
    elif action == "nest":
        nested = value
        for _ in range(draw(st.sampled_from([3, 250, 2000]))):
            nested = [nested]
        replaced(record, path, nested)
    elif action == "drop" and isinstance(path[-1], str):
        target = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return json.dumps(record), "loose"
    else:
        return line, "strict"
    try:
        return json.dumps(record), "strict"
    except (RecursionError, ValueError):
        return line[: len(line) // 2], "strict"


def baseline_rows(source: Path) -> set[int]:
    """Line numbers of ``source`` that make rows when read unmutated."""
    with tempfile.TemporaryDirectory() as scratch:
        with open_store(Path(scratch) / "db.duckdb") as con:
            ingest_paths(con, [source], "alice")
            return {line for _t, line in rows_by_line(con, str(source.resolve()))}


BASELINE = {name: baseline_rows(path) for name, path in SOURCES.items()}


def check_accounting(name: str, data) -> None:
    source = SOURCES[name]
    lines = source.read_text(encoding="utf-8").splitlines()
    chosen = data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=4))
    kinds = {}
    for index in chosen:
        lines[index], kinds[index + 1] = data.draw(mutated_line(lines[index]))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "logs"
        folder.mkdir()
        target = folder / source.name
        target.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        companion = with_companion(folder, COMPANION)
        with open_store(Path(scratch) / "db.duckdb") as con:
            summary = ingest_paths(con, [folder], "alice")
            ingest_paths(con, [folder], "alice")  # a re-run must not die either
            assert summary.files_read == 2
            stored = {line for _t, line in rows_by_line(con, str(target.resolve()))}
            problems = set(problem_lines(con, str(target.resolve())))
            assert rows_by_line(con, str(companion.resolve()))
            assert (
                con.execute(
                    "SELECT count(*) FROM usage WHERE least(input_tokens, output_tokens, "
                    "cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, "
                    "reasoning_tokens) < 0 OR greatest(input_tokens, output_tokens, "
                    "cache_read_tokens) > 1e12 OR cost_usd < 0"
                ).fetchone()[0]
                == 0
            )
    for line_no, line in enumerate(lines, start=1):
        if not line.strip() or kinds.get(line_no) == "loose":
            continue
        assert line_no in stored or line_no in problems or line_no not in BASELINE[name], (
            f"line {line_no} vanished: {line[:200]}"
        )


@FUZZ
@given(st.data())
def test_fuzzed_claude_lines_are_all_accounted_for(data):
    check_accounting("claude", data)


@FUZZ
@given(st.data())
def test_fuzzed_codex_lines_are_all_accounted_for(data):
    check_accounting("codex", data)


@FUZZ
@given(st.data())
def test_a_fuzzed_gemini_document_is_stored_a_problem_or_not_a_transcript(data):
    document = json.loads(GEMINI.read_text())
    text, _kind = data.draw(mutated_line(json.dumps(document)))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "logs"
        folder.mkdir()
        (folder / GEMINI.name).write_text(text, encoding="utf-8", errors="surrogatepass")
        companion = with_companion(folder, COMPANION)
        with open_store(Path(scratch) / "db.duckdb") as con:
            summary = ingest_paths(con, [folder], "alice")
            path = str((folder / GEMINI.name).resolve())
            rows = rows_by_line(con, path)
            problems = problem_lines(con, path)
            # a document cut to its first bytes no longer looks like a Gemini session at all
            # (or, when no newline is left, an unfinished first line that waits for the file to settle)
            assert rows or problems or summary.not_transcripts == [str(folder / GEMINI.name)] or "\n" not in text
            assert rows_by_line(con, str(companion.resolve()))


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, 200),
            st.sampled_from(
                [str(10**30), "9" * 400, "-5", "1e30", "\x00", "# aider chat started at", "> Tokens: ", ""]
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_fuzzed_aider_history_never_breaks_the_ingest(edits):
    lines = AIDER.read_text(encoding="utf-8").splitlines()
    for index, text in edits:
        index %= len(lines)
        lines[index] = lines[index][: len(lines[index]) // 2] + text
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "logs"
        folder.mkdir()
        (folder / AIDER.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        companion = with_companion(folder, COMPANION)
        with open_store(Path(scratch) / "db.duckdb") as con:
            summary = ingest_paths(con, [folder], "alice")
            assert summary.files_read == 2
            assert rows_by_line(con, str(companion.resolve()))
            assert (
                con.execute(
                    "SELECT count(*) FROM usage WHERE input_tokens < 0 OR input_tokens > 1e12 OR output_tokens < 0"
                ).fetchone()[0]
                == 0
            )


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("odd_type", [{}, [], ["user"], 3, None, True])
def test_a_first_record_with_a_type_that_is_not_a_string_hides_nothing(name, odd_type, tmp_path):
    """Found by the fuzzer: ``"type": {}`` on a Claude line raised TypeError (unhashable) in the
    sniffer, so the whole file stopped ingest. Every other line must still be read."""
    lines = SOURCES[name].read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["type"] = odd_type
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / SOURCES[name].name).write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
    with open_store(tmp_path / "db.duckdb") as con:
        ingest_paths(con, [folder], "alice")
        stored = {line for _table, line in rows_by_line(con, str((folder / SOURCES[name].name).resolve()))}
    assert BASELINE[name] - {1} <= stored
