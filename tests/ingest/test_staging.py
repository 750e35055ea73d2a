"""Rows staged as literals load exactly what the same rows load through Arrow (ingest.staging)."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from datetime import datetime

import pytest

from ingest import staging
from ingest.pipeline import ingest_paths
from ingest.staging import staged
from ingest.store import EVENT_TABLES, open_store
from tests.conftest import REPO, SAMPLE_SESSIONS

RUN_COLUMNS = {"run_id", "last_run_id", "recorded_at", "updated_at"}  # differ between any two runs


def table_contents(con, table: str) -> list[tuple]:
    columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall() if row[0] not in RUN_COLUMNS]
    listed = ", ".join(f'"{column}"' for column in columns)
    return con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()


def ingested(db, monkeypatch, literal_rows: int, literal_chars: int) -> dict[str, list[tuple]]:
    monkeypatch.setattr(staging, "LITERAL_ROWS", literal_rows)
    monkeypatch.setattr(staging, "LITERAL_CHARS", literal_chars)
    with open_store(db) as con:
        for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir()):
            ingest_paths(con, [folder], folder.name)
        return {table: table_contents(con, table) for table in (*EVENT_TABLES, "source_files", "summary_dirty")}


def test_the_demo_corpus_loads_the_same_through_literals_and_through_arrow(tmp_path, monkeypatch):
    through_arrow = ingested(tmp_path / "arrow.duckdb", monkeypatch, literal_rows=0, literal_chars=0)
    through_literals = ingested(tmp_path / "literal.duckdb", monkeypatch, literal_rows=10**9, literal_chars=10**12)
    assert sum(map(len, through_arrow.values())) > 1000
    for table, rows in through_arrow.items():
        assert through_literals[table] == rows, table


AWKWARD = [
    {"s": "it's \\n a 'quote' \\x41 $path -- not a comment", "i": 2**40, "f": 0.1, "b": b"\x00\xff'\\", "t": None},
    {
        "s": "naïve 漢字 🦆\nnew line\ttab",
        "i": -(2**63),
        "f": math.inf,
        "b": bytes(range(256)),
        "t": datetime(2026, 1, 2, 3, 4, 5, 678901),
    },
    {"s": "", "i": 0, "f": -0.0, "b": b"", "t": datetime(1970, 1, 1)},
    {"s": None, "i": None, "f": math.nan, "b": None, "t": None},
]


def staged_rows(con, rows: list[dict]) -> list[tuple]:
    con.execute(
        "CREATE OR REPLACE TABLE target (s VARCHAR, i BIGINT, f DOUBLE, b BLOB, t TIMESTAMP, d INTEGER DEFAULT 7)"
    )
    with staged(con, "_rows", rows, like="target"):
        con.execute("INSERT INTO target BY NAME SELECT * FROM _rows")
    return con.execute("SELECT s, i, f::VARCHAR, b, t, d FROM target").fetchall()


@pytest.mark.parametrize("odd", ["a NUL \x00 inside", "half a pair \ud83d", json.loads('"\\udc00 alone"')])
def test_a_string_without_an_exact_spelling_sends_its_batch_through_arrow(tmp_path, odd):
    rows = [dict(AWKWARD[0]), dict(AWKWARD[1], s=odd)]
    assert staging.spelled_rows(rows, list(rows[0])) is None
    con = open_store(tmp_path / "odd.duckdb")
    stored = staged_rows(con, rows)
    assert stored[1][0] == staging.storable(odd)  # as Arrow stores it: a lone surrogate becomes U+FFFD
    con.close()


def test_an_integer_beyond_bigint_is_not_spelled():
    assert staging.spelled_rows([{"i": 2**63 - 1}], ["i"]) is not None
    assert staging.spelled_rows([{"i": 2**63}], ["i"]) is None


def test_awkward_values_come_back_as_they_do_through_arrow(tmp_path, monkeypatch):
    con = open_store(tmp_path / "awkward.duckdb")
    assert staging.spelled_rows(AWKWARD, list(AWKWARD[0])) is not None  # the literal path is taken
    through_literals = staged_rows(con, AWKWARD)
    monkeypatch.setattr(staging, "LITERAL_ROWS", 0)
    assert staged_rows(con, AWKWARD) == through_literals
    assert [row[-1] for row in through_literals] == [7] * len(AWKWARD)  # unlisted columns take their defaults
    assert through_literals[1][3] == bytes(range(256))
    con.close()


HEAVY = re.compile(r"^import time:.*\|\s+(numpy|pandas|pyarrow)$", re.MULTILINE)
HEAVY_FOR_A_REPORT = re.compile(r"^import time:.*\|\s+(numpy|pandas|pyarrow|pydantic)$", re.MULTILINE)


def test_a_warm_ingest_and_its_costs_import_neither_arrow_nor_pandas(tmp_path):
    """`dashcam ingest` after two new lines, then `dashcam costs daily --json`: their cost is
    mostly imports. pandas, numpy and pyarrow are most of a second of them (the first ingest
    of a store may need them). The report imports no pydantic either: typer 0.29 builds a
    pydantic validator for every parameter of the command it parses (a quarter of a second
    per command), hence typer's pin; pricing new rows still needs it (genai-prices)."""
    from tests.ingest.test_pipeline import claude_line

    transcript = tmp_path / "logs" / "a.jsonl"
    transcript.parent.mkdir()
    transcript.write_text("".join(claude_line(i) for i in range(5)), encoding="utf-8")
    db = tmp_path / "warm.duckdb"

    def heavy_imports(*command: str, heavy: re.Pattern[str] = HEAVY) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "dashboard.cli", *command, "--db", str(db)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return heavy.findall(done.stderr)

    heavy_imports("ingest", str(transcript.parent))
    with open(transcript, "a", encoding="utf-8") as handle:
        handle.write(claude_line(5) + claude_line(6))
    assert heavy_imports("ingest", str(transcript.parent)) == []
    assert heavy_imports("costs", "daily", "--json", heavy=HEAVY_FOR_A_REPORT) == []
    with open_store(db) as con:
        assert con.execute("SELECT count(*), sum(output_tokens) FROM usage").fetchone() == (7, 70)
