"""The summary-backed queries (the dashboard's and ``dashcam costs``') give the rows their direct forms give over the events.

Each ``queries/dash_*.sql`` that reads the summary tables names its direct twin
(``-- direct:``), the same question asked of the event tables. On real stores built from the
fixture and demo transcripts, under every filter the pages pass, both must return the same
rows (costs equal to well under a cent: sums of doubles differ in their last bits with the
order they are added in), after a first ingest, after lines are appended to a file, after a
file is rewritten, after a rebuild, and on a store made before the summaries existed.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import ingest.summaries
import queries
from dashboard.cli import app
from ingest import api
from ingest.pipeline import ingest_paths
from ingest.refresh import refresh_facts
from ingest.store import StoreOutOfMemory, open_store
from ingest.summaries import refresh_summaries
from queries.summary import summaries_current
from tests.conftest import FIXTURES, REPO, SAMPLE_SESSIONS

if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))  # scripts/bench.py builds the replicated store

SUMMARY_BACKED = sorted(q.name for q in queries.all_queries() if q.direct)
ONE_SESSION = ("run_billed_cost", "dash_session")  # compared per ingest run and per session below
SESSION_HEADERS = 60  # sessions whose header is compared, spread over the store
CORPUS = [
    ("alice", FIXTURES / "claude_code"),
    ("bob", FIXTURES / "codex"),
    ("carol", FIXTURES / "gemini"),
    ("dave", FIXTURES / "aider"),
    *[(folder.name + "-demo", folder) for folder in sorted(SAMPLE_SESSIONS.glob("*")) if folder.is_dir()],
]


def ingest_corpus(db: Path, corpus=CORPUS) -> None:
    with open_store(db) as con:
        for user, folder in corpus:
            ingest_paths(con, [folder], user)


def rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    sql, bound = queries.bind(name, params)
    return con.execute(sql, bound).df()


def filter_sets(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """No filter, each filter alone with a value the store holds, a date range, other zones."""
    options = rows(con, "direct_filter_options", {"tz": "UTC"})
    first = options.loc[options["dimension"] == "first_date", "value"].iloc[0]
    last = options.loc[options["dimension"] == "last_date", "value"].iloc[0]
    value = {
        dim: options.loc[options["dimension"] == dim, "value"].iloc[0] for dim in ("user", "project", "agent", "model")
    }
    middle = str(pd.Timestamp(first) + (pd.Timestamp(last) - pd.Timestamp(first)) / 2)[:10]
    sets = [
        {},
        {"user_name": value["user"]},
        {"project": value["project"]},
        {"agent": value["agent"]},
        {"model": value["model"]},
        {"since": middle},
        {"until": middle},
        {"since": first, "until": middle, "agent": value["agent"]},
        {"tz": "Asia/Kolkata", "since": middle},
        {"tz": "America/St_Johns", "until": middle},
        {"tz": "Asia/Kathmandu"},
        {"search": "a", "limit": 5},
    ]
    shapes = [
        {"by": "user", "period": "day", "week_start": 1},
        {"by": "project", "period": "week", "week_start": 7, "exclude_estimated": True},
        {"by": "model", "period": "month", "week_start": 1},
        {"by": None, "period": "session", "week_start": 1},
    ]
    return [{"tz": "UTC", **shape, **chosen} for chosen in sets for shape in shapes]


def assert_same_answers(db: Path, every: int = 1) -> int:
    """Every summary-backed query against its direct twin under every filter set (every
    ``every``-th of them); the cases run."""
    cases = 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert summaries_current(con)
        for params in filter_sets(con)[::every]:
            for name in SUMMARY_BACKED:
                if name in ONE_SESSION:
                    continue
                direct = queries.named_query(name).direct
                assert direct is not None
                expected = rows(con, direct, params)
                got = rows(con, name, params)
                pd.testing.assert_frame_equal(
                    got, expected, check_exact=False, rtol=1e-9, atol=1e-9, obj=f"{name} {params}"
                )
                cases += 1
        sessions = con.execute("SELECT agent, session_id FROM sessions ORDER BY ALL").fetchall()
        for agent, session_id in sessions[:: max(1, len(sessions) // SESSION_HEADERS)]:
            # one session's header, for sessions across the store (the filters above leave its id unset)
            key = {"agent": agent, "session_id": session_id}
            expected = rows(con, "direct_session", key)
            assert len(expected) == 1
            got = rows(con, "dash_session", key)
            pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=1e-9, obj=f"{key}")
        for (run_id,) in con.execute("SELECT run_id FROM ingest_runs").fetchall():
            # what each run added to the bill (the direct twin reads billed_usage whole)
            expected = rows(con, "direct_run_billed_cost", {"run_id": run_id})
            pd.testing.assert_frame_equal(rows(con, "run_billed_cost", {"run_id": run_id}), expected, rtol=1e-9)
            cases += 1
    return cases


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("summaries") / "store.duckdb"
    ingest_corpus(db)
    return db


def test_the_slow_queries_read_the_summaries():
    assert SUMMARY_BACKED == [
        "audit_exotic_rate",
        "cost_rows",
        "dash_cost_cube",
        "dash_counts",
        "dash_filter_options",
        "dash_session",
        "dash_sessions",
        "dash_team",
        "dash_top_sessions",
        "dash_weekly_activity",
        "run_billed_cost",
        "unpriced_models",
    ]
    for name in SUMMARY_BACKED:
        query = queries.named_query(name)
        if name == "run_billed_cost":
            continue  # reads this run's usage lines and their keys' billed lines
        assert "summary_" in query.sql and "billed_usage" not in query.sql
        if name != "dash_counts":  # which counts the stored messages (a count DuckDB keeps), not their sessions
            assert "FROM messages" not in query.sql, name
        assert query.params == queries.named_query(query.direct).params, name


def test_summaries_answer_as_the_events_do(store):
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM summary_usage").fetchone()[0] > 0
        assert (
            con.execute("SELECT count(*) FROM summary_sessions").fetchone()[0]
            == con.execute("SELECT count(*) FROM sessions").fetchone()[0]
        )
        assert con.execute("SELECT count(*) FROM summary_dirty").fetchone()[0] == 0
    assert assert_same_answers(store) == (len(SUMMARY_BACKED) - len(ONE_SESSION)) * 48 + 8


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.fixture()
def growing(tmp_path) -> tuple[Path, Path, Path]:
    """A store with the fixtures plus one transcript copied in half-written: (db, folder, file)."""
    folder = tmp_path / "live"
    folder.mkdir()
    source = max((FIXTURES / "claude_code").glob("*.jsonl"), key=lambda p: len(lines_of(p)))
    target = folder / source.name
    half = lines_of(source)
    target.write_bytes(b"".join(half[: len(half) // 2]))
    db = tmp_path / "store.duckdb"
    ingest_corpus(db, [*CORPUS[:3], ("erin", folder)])
    return db, folder, source


def test_lines_appended_to_one_file_update_its_session(growing):
    db, folder, source = growing
    target = folder / source.name
    erin = "SELECT sum(messages) FROM summary_activity WHERE user_name = 'erin'"
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute(erin).fetchone()[0]
    target.write_bytes(source.read_bytes())
    with open_store(db) as con:
        ingest_paths(con, [folder], "erin")
        after = con.execute(erin).fetchone()[0]
        assert after == con.execute("SELECT count(*) FROM messages WHERE user_name = 'erin'").fetchone()[0]
    assert after > before > 0
    assert_same_answers(db)


def test_a_rewritten_file_replaces_its_rows_in_the_summaries(growing):
    db, folder, source = growing
    target = folder / source.name
    target.write_bytes(b"".join(lines_of(source)[:3]))  # shorter, other content: read again from the start
    with open_store(db) as con:
        ingest_paths(con, [folder], "erin")
        stored = con.execute("SELECT count(*) FROM messages WHERE user_name = 'erin'").fetchone()[0]
        summed = con.execute(
            "SELECT coalesce(sum(messages), 0) FROM summary_activity WHERE user_name = 'erin'"
        ).fetchone()[0]
    assert summed == stored
    assert_same_answers(db)


def test_a_duplicate_response_in_another_file_is_billed_once(tmp_path):
    """A resumed session repeats its responses in a new file: the billed line moves between
    sessions' summaries as the files come and go, and the totals never count it twice."""
    folder = tmp_path / "copies"
    folder.mkdir()
    source = max((FIXTURES / "claude_code").glob("*.jsonl"), key=lambda p: len(lines_of(p)))
    (folder / "first.jsonl").write_bytes(source.read_bytes())
    db = tmp_path / "store.duckdb"
    ingest_corpus(db, [("erin", folder)])
    with duckdb.connect(str(db), read_only=True) as con:
        once = rows(con, "dash_cost_cube", {"tz": "UTC"})
    (folder / "second.jsonl").write_bytes(source.read_bytes())
    with open_store(db) as con:
        ingest_paths(con, [folder], "erin")
    with duckdb.connect(str(db), read_only=True) as con:
        twice = rows(con, "dash_cost_cube", {"tz": "UTC"})
    assert once["responses"].sum() > 0
    assert twice["total_tokens"].sum() == once["total_tokens"].sum()
    assert_same_answers(db)
    (folder / "first.jsonl").write_bytes(b"".join(lines_of(source)[:2]))  # the first copy loses its responses
    with open_store(db) as con:
        ingest_paths(con, [folder], "erin")
    assert_same_answers(db)


def test_rebuild_and_a_store_made_before_the_summaries(store, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copy(store, db)
    with open_store(db) as con:
        refresh_facts(con, rebuild=True)
    assert_same_answers(db)
    # the store as dashcam left it before migration 020: no summary tables, no record of them
    with duckdb.connect(str(db)) as con:
        for (table,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'summary\\_%' ESCAPE '\\'"
        ).fetchall():
            con.execute(f"DROP TABLE {table}")
        con.execute("DROP TABLE facts_state")  # 021 came later still
        con.execute("DROP TABLE price_book")  # and 023
        con.execute("DELETE FROM _schema_version WHERE version >= 20")
    with open_store(db) as con:  # migrates: empty summaries, not current
        assert not summaries_current(con)
        for name in SUMMARY_BACKED:  # meanwhile the pages get the direct answers
            direct = queries.named_query(name).direct
            pd.testing.assert_frame_equal(queries.run(con, name, tz="UTC"), rows(con, direct, {"tz": "UTC"}))
    assert api.ensure_current_facts(db)  # the first command that refreshes builds them
    assert_same_answers(db)


SUMMARY_TABLES = (
    "summary_billed",
    "summary_usage",
    "summary_bucket_usage",
    "summary_activity",
    "summary_sessions",
    "summary_session_models",
    "summary_session_files",
)


def summary_contents(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in SUMMARY_TABLES}


def resumed_copy(folder: Path) -> Path:
    """A transcript copied under another session id with its response ids kept, as a resumed
    session repeats them: the two sessions share dedup keys, and the billed line of each key
    is chosen across both."""
    folder.mkdir()
    source = max((FIXTURES / "claude_code").glob("*.jsonl"), key=lambda p: len(lines_of(p)))
    text = source.read_text()
    session = re.search(r'"sessionId":\s*"([^"]+)"', text)
    assert session is not None
    (folder / "resumed.jsonl").write_text(text.replace(session.group(1), "0000feed-0000-4000-8000-00000000beef"))
    return folder


def test_a_rebuild_in_tiny_batches_writes_the_tables_one_batch_writes(tmp_path):
    db = tmp_path / "store.duckdb"
    ingest_corpus(db, [*CORPUS, ("erin", resumed_copy(tmp_path / "resumed"))])
    with open_store(db) as con:
        shared = con.execute(
            "SELECT count(*) FROM (SELECT dedup_key FROM usage WHERE dedup_key IS NOT NULL "
            "GROUP BY agent, dedup_key HAVING count(DISTINCT session_id) > 1)"
        ).fetchone()[0]
        assert shared > 0  # keys billed across sessions: a batch's winners reach into others
        assert refresh_summaries(con, rebuild=True, batch_rows=10**12)
    one_batch = summary_contents(db)
    assert all(one_batch.values())
    with open_store(db) as con:
        sessions = con.execute("SELECT count(*) FROM summary_sessions").fetchone()[0]
        assert refresh_summaries(con, rebuild=True, batch_rows=1)  # one session per batch
        assert summaries_current(con)
        temps = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]
        assert temps == 0
    assert sessions > 20
    assert summary_contents(db) == one_batch


def test_an_ingest_refreshed_in_several_batches_answers_as_the_events_do(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.summaries, "BATCH_ROWS", 200)
    db = tmp_path / "store.duckdb"
    ingest_corpus(db, CORPUS[:2])  # a first build, batched
    ingest_corpus(db, [*CORPUS[2:], ("erin", resumed_copy(tmp_path / "resumed"))])  # then an update, batched
    assert_same_answers(db)


def test_a_refresh_out_of_memory_is_one_line_and_leaves_the_store_usable(tmp_path):
    db = tmp_path / "store.duckdb"
    ingest_corpus(db, CORPUS[:1])
    with open_store(db) as con:
        con.execute("CHECKPOINT")
        con.execute("SET temp_directory = ''")  # nothing may spill: the limit below is a real wall
        con.execute("SET memory_limit = '1MB'")
        with pytest.raises(StoreOutOfMemory) as raised:
            refresh_summaries(con, rebuild=True)
        message = str(raised.value)
        assert "\n" not in message and message.startswith("Refreshing the summary tables ran out of memory (")
        assert re.search(r"\(\S.* KiB used\)\)", message)  # DuckDB's reason, without its advice
        con.execute("SET memory_limit = '512MB'")
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0] == 0
        assert refresh_summaries(con, rebuild=True)
    assert_same_answers(db)


def test_the_cli_reports_an_out_of_memory_refresh_in_one_line(tmp_path, monkeypatch):
    def runs_out(*_args):
        raise duckdb.OutOfMemoryException(
            "Out of Memory Error: could not allocate block of size 256.0 KiB (511.9 MiB/512.0 MiB used)\n\n"
            "Possible solutions:\n* Reducing the number of threads"
        )

    monkeypatch.setattr(ingest.summaries, "_refresh", runs_out)
    result = CliRunner().invoke(app, ["ingest", str(FIXTURES / "aider"), "--db", str(tmp_path / "db.duckdb")])
    assert result.exit_code != 0
    assert not isinstance(result.exception, duckdb.Error) and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "memory" in line]
    assert len(lines) == 1 and "Refreshing the summary tables ran out of memory (could not allocate" in lines[0]


def test_a_replicated_store_answers_as_the_events_do(tmp_path):
    """The benchmark's store (the demo corpus copied with new ids, times, users and branches,
    its summaries rebuilt in batches): many sessions per bucket and key, as at scale."""
    import bench  # scripts/, on the path through the fixture below

    db = tmp_path / "replicated.duckdb"
    bench.build(db, 300 * 582)  # copies repeat their week and user every 260: buckets shared
    with duckdb.connect(str(db), read_only=True) as con:
        sessions = con.execute("SELECT max(sessions) FROM summary_bucket_usage").fetchone()[0]
    assert sessions > 1  # the per-bucket rows do sum several sessions
    assert assert_same_answers(db, every=5) > 0
