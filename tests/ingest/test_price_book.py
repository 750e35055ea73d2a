"""The store's price book: calls of models priced before are priced without the catalogue, to the bit.

A warm ingest prices its few new calls from the recipes the store learned when the catalogue
priced earlier calls (ingest/price_book.py); every figure it stores must be the one the catalogue
gives (cost, unpriced reason, cache savings, price source), whatever the model, speed, tier,
time of day or token counts.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import price_book
from ingest.price_book import PriceBook
from ingest.price_math import ONE_BY_ONE_ROWS, plain_row
from ingest.pricing import price_usage_rows
from ingest.store import open_store
from tests.conftest import REPO
from tests.ingest.test_pipeline import claude_line, write
from tests.ingest.test_pricing import stored_usage_rows, usage_row_dict, usage_rows

FIELDS = ("cost_usd", "unpriced_reason", "cache_savings_usd", "price_source")


def figures(rows: list[dict]) -> list[tuple]:
    return [tuple(row[field] for field in FIELDS) for row in rows]


def by_catalogue_then_book(con, rows: list[dict]) -> tuple[list[tuple], list[tuple] | None]:
    """The rows priced by the catalogue (and learned, and saved), then copies priced by a new
    book read back from the store: (catalogue figures, book figures or None when it declined)."""
    learned = [dict(row) for row in rows]
    price_usage_rows(learned)
    book = PriceBook(con)
    book.learn(learned)
    book.save()
    again = [dict(row) for row in rows]
    return figures(learned), figures(again) if PriceBook(con).price_rows(again) else None


@pytest.fixture
def store(tmp_path):
    con = open_store(tmp_path / "book.duckdb")
    yield con
    con.close()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(usage_rows, st.booleans(), st.one_of(st.just(0), st.integers(0, 50_000)), st.booleans()),
        min_size=1,
        max_size=25,
    ),
    st.one_of(st.just(0), st.integers(-3, -1)),
)
def test_the_book_prices_what_it_learned_to_the_bits_the_catalogue_gives(tmp_path_factory, drawn, negative):
    rows = [usage_row_dict(*item) for item in drawn]
    rows[0]["cache_write_1h_tokens"] = rows[0]["cache_write_1h_tokens"] + negative
    with open_store(tmp_path_factory.mktemp("book") / "book.duckdb") as con:
        catalogue, book = by_catalogue_then_book(con, rows)
    if any(model == "perplexity/sonar" for model in (row["model"] for row in rows)):
        # a per-request fee: only the catalogue prices it, so the book declines such a batch
        # (unless no row of the model has a token to price)
        assert book is None or book == catalogue
    else:
        assert all(map(plain_row, rows)) and book == catalogue


def test_a_batch_with_a_model_the_book_never_saw_goes_to_the_catalogue(store):
    seen = usage_row_dict(
        {
            "agent_model": ("claude", "claude-sonnet-4-5-20250929"),
            "counts": (10, 5, 100, 0, 0),
            "ts": None,
            "speed": None,
        },
        False,
        0,
        True,
    )
    by_catalogue_then_book(store, [seen])
    new = dict(seen, model="claude-opus-4-6")
    assert not PriceBook(store).price_rows([dict(seen), new])
    assert "cost_usd" not in new
    assert PriceBook(store).price_rows([dict(seen)])


def test_a_book_learned_under_another_catalogue_or_code_is_not_read(store, monkeypatch):
    row = usage_row_dict(
        {"agent_model": ("codex", "gpt-5.5"), "counts": (10, 5, 100, 0, 0), "ts": None, "speed": None}, False, 0, True
    )
    by_catalogue_then_book(store, [row])
    monkeypatch.setattr(price_book, "stamp", lambda: "another catalogue")
    assert not PriceBook(store).price_rows([dict(row)])


def test_many_rows_are_left_to_the_catalogue(store):
    row = usage_row_dict(
        {"agent_model": ("codex", "gpt-5.5"), "counts": (10, 5, 100, 0, 0), "ts": None, "speed": None}, False, 0, True
    )
    by_catalogue_then_book(store, [row])
    assert not PriceBook(store).price_rows([dict(row) for _ in range(ONE_BY_ONE_ROWS + 1)])


def priced_in_chunks(con, rows: list[dict]) -> None:
    """Learn every row (in one-by-one-sized batches), then check the book prices each batch so."""
    chunks = [rows[start : start + ONE_BY_ONE_ROWS] for start in range(0, len(rows), ONE_BY_ONE_ROWS)]
    for chunk in chunks:
        learned = [dict(row) for row in chunk]
        price_usage_rows(learned)
        book = PriceBook(con)
        book.learn(learned)
        book.save()
    for chunk in chunks:
        expected = [dict(row) for row in chunk]
        price_usage_rows(expected)
        again = [dict(row) for row in chunk]
        book = PriceBook(con)
        assert book.price_rows(again) or any(row["model"] == "perplexity/sonar" for row in chunk)
        if book.priced:
            assert figures(again) == figures(expected)


def test_the_demo_corpus_prices_the_same_from_the_book(sample_db, store):
    rows = stored_usage_rows(sample_db)
    assert len(rows) > 100
    priced_in_chunks(store, rows)


@pytest.mark.slow
def test_the_real_transcripts_price_the_same_from_the_book(tmp_path, store):
    from ingest.pipeline import ingest_paths
    from tests.conftest import SHARED_SESSIONS

    if not SHARED_SESSIONS.exists():
        pytest.skip(f"{SHARED_SESSIONS} is not present (real transcripts live beside the repository)")
    db = tmp_path / "real.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [SHARED_SESSIONS], "real")
    rows = stored_usage_rows(db)
    assert {row["agent"] for row in rows} >= {"claude", "codex", "gemini", "aider"}
    priced_in_chunks(store, rows)


def test_a_warm_ingest_of_a_known_model_imports_no_catalogue_and_stores_the_same_costs(tmp_path):
    """The second ingest prices its new call from the book (no genai-prices, no pandas in the
    process); its stored figures are those of one cold ingest of the whole file."""
    path = write(tmp_path / "logs" / "a.jsonl", "".join(claude_line(i) for i in range(3)))
    db, cold = tmp_path / "warm.duckdb", tmp_path / "cold.duckdb"
    env = {**os.environ, "DASHCAM_GUARD_DIR": str(tmp_path / "guard")}
    ingest = [sys.executable, "-m", "dashboard.cli", "ingest", str(path.parent)]
    subprocess.run([*ingest, "--db", str(db)], env=env, check=True, cwd=REPO, capture_output=True)
    write(path, claude_line(3, output=77, ts="2026-10-06T11:00:00.000Z"), mode="a")
    probe = (
        "import sys, runpy; sys.argv = ['dashcam', *sys.argv[1:]];\n"
        "try:\n    runpy.run_module('dashboard.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'genai_prices', 'ingest.pricing') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "ingest", str(path.parent), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr[-500:]
    subprocess.run([*ingest, "--db", str(cold)], env=env, check=True, cwd=REPO, capture_output=True)
    query = "SELECT line_no, cost_usd, unpriced_reason, cache_savings_usd, price_source FROM usage ORDER BY line_no"
    with open_store(db, read_only=True) as warm_con, open_store(cold, read_only=True) as cold_con:
        warm_rows, cold_rows = warm_con.execute(query).fetchall(), cold_con.execute(query).fetchall()
        runs = warm_con.execute("SELECT price_source FROM ingest_runs ORDER BY started_at").fetchall()
    assert len(warm_rows) == 4 and warm_rows == cold_rows
    assert warm_rows[-1][1] > 0
    assert runs[-1] == runs[0] and runs[0][0] is not None  # the warm run names the prices it used
