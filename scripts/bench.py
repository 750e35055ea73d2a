"""Dashboard speed on a large store: every page rendered through AppTest on ~1M messages.

Builds the database by ingesting the demo corpus (``sample_sessions/``, one folder per user;
the real fixtures in ``tests/fixtures`` when the corpus is absent), then replicating its rows
with SQL ``INSERT … SELECT`` until the store holds the requested number of messages. Each copy
gets its own session ids, source paths, message ids and dedup keys (so nothing deduplicates
away), its timestamps shifted by whole weeks across a year, its users spread over ten times
as many people and its feature branches over a hundred names. The fact tables are copied the
same way and the derived audit tables rebuilt by the ingest's own rebuild step.

Then each page is rendered twice in this process: cold (query cache cleared) and warm, and the
figures are printed beside the budget of 2 s per page. A benchmark prints; it never asserts.

    python scripts/bench.py [--messages 1000000] [--keep FILE]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.derived_views import create_derived_views  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from ingest.refresh import rebuild_audit_tables  # noqa: E402
from ingest.store import open_store  # noqa: E402
from ingest.summaries import refresh_summaries  # noqa: E402

SAMPLE = REPO / "sample_sessions"
FIXTURES = {"alice": "claude_code", "bob": "codex", "carol": "gemini", "dave": "aider"}
EVENT_TABLES = ("messages", "usage", "tool_calls", "tool_results")
BUDGET_SECONDS = 2.0
TRUNKS = "('main', 'master', 'develop', 'trunk', 'HEAD')"
# column -> its value in copy r: ids made unique per copy, time shifted by whole weeks,
# users and feature branches spread so a copy is another person's work, not the same one again
COPY_RULES = {
    "session_id": "{c} || '~' || r",
    "parent_session_id": "{c} || '~' || r",
    "uuid": "{c} || '~' || r",
    "parent_uuid": "{c} || '~' || r",
    "message_uuid": "{c} || '~' || r",
    "spiral_id": "{c} || '~' || r",
    "patch_id": "{c} || '~' || r",
    "root_id": "{c} || '~' || r",
    "dedup_key": "{c} || '~' || r",
    "source_path": "{c} || '~' || r",
    "ts": "{c} + to_days(CAST((r % 52) * 7 AS INTEGER))",
    "result_ts": "{c} + to_days(CAST((r % 52) * 7 AS INTEGER))",
    "span_start": "{c} + to_days(CAST((r % 52) * 7 AS INTEGER))",
    "span_end": "{c} + to_days(CAST((r % 52) * 7 AS INTEGER))",
    "user_name": "{c} || '-' || (r % 10)",
    "git_branch": "CASE WHEN {c} IS NULL OR {c} IN " + TRUNKS + " THEN {c} ELSE {c} || '-' || (r % 100) END",
}
# The session-level audit tables, replicated like the facts when recomputing them from the facts
# runs out of memory at this size; the feature-level ones are then computed from them as usual.
SESSION_AUDIT_TABLES = ("audit_session_features", "audit_spirals", "audit_spiral_steps", "audit_patches")
FEATURE_AUDIT_TABLES = (("audit_completion", "audit_compute_completion"), ("audit_features", "audit_compute_features"))
PAGES = ("overview", "cost", "spirals", "explanations", "cliff", "sessions", "team")


def corpus() -> list[tuple[str, Path]]:
    users = sorted(p for p in SAMPLE.glob("*") if p.is_dir()) if SAMPLE.is_dir() else []
    if users:
        return [(folder.name, folder) for folder in users]
    return [(user, REPO / "tests" / "fixtures" / folder) for user, folder in FIXTURES.items()]


def copied_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    facts = [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_name LIKE 'fact\\_%' ESCAPE '\\' ORDER BY 1"
        ).fetchall()
    ]
    return [*EVENT_TABLES, *facts]


def copy_statement(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """``INSERT … SELECT`` writing every row of ``table`` once per copy number in ``bench_copies``."""
    columns = [
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
        ).fetchall()
    ]
    select = ", ".join(f"{COPY_RULES[c].format(c=c)} AS {c}" if c in COPY_RULES else c for c in columns)
    return f"INSERT INTO {table} BY NAME SELECT {select} FROM {table}, bench_copies"


def replicate_audit_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The session-level audit rows of the ingested corpus copied once per copy in ``bench_copies``
    (their ids, sessions, users and times as the facts were copied), then the feature-level
    tables computed from them by their derived views, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    create_derived_views(con)
    for table in SESSION_AUDIT_TABLES:
        con.execute(copy_statement(con, table))
    for table, view in FEATURE_AUDIT_TABLES:
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    con.execute("COMMIT")


def build(db: Path, messages: int) -> None:
    started = time.perf_counter()
    con = open_store(db)
    try:
        for user, folder in corpus():
            ingest_paths(con, [folder], user)
        base = con.execute("SELECT count(*) FROM messages").fetchall()[0][0]
        copies = max(0, math.ceil(messages / base) - 1)
        print(f"corpus: {base:,} messages ingested in {time.perf_counter() - started:.1f} s; adding {copies:,} copies")
        con.register("bench_copies", pd.DataFrame({"r": range(1, copies + 1)}))
        for table in copied_tables(con):
            step = time.perf_counter()
            con.execute(copy_statement(con, table))
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            print(f"  {table:22} {rows:>12,} rows  {time.perf_counter() - step:6.1f} s")
        step = time.perf_counter()
        try:
            rebuild_audit_tables(con)
            print(f"  audit tables rebuilt in {time.perf_counter() - step:.1f} s")
        except duckdb.OutOfMemoryException as error:
            print(f"  the audit rebuild ran out of memory ({str(error).splitlines()[0][:90]}…)")
            replicate_audit_tables(con)
            print(f"  audit tables replicated from the corpus's instead in {time.perf_counter() - step:.1f} s")
        con.unregister("bench_copies")
        step = time.perf_counter()
        refresh_summaries(con, rebuild=True)  # the copies came in by SQL, unmarked
        print(f"  summaries rebuilt in {time.perf_counter() - step:.1f} s")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    print(f"database: {db.stat().st_size / 1e6:,.0f} MB, built in {time.perf_counter() - started:.1f} s")


def page_timings(db: Path) -> list[tuple[str, float, float]]:
    """(page, cold seconds, warm seconds) for every page, plus a search and the largest transcript."""
    os.environ["DASHCAM_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    from dashboard.web import data

    registry = AppTest.from_string("").run()._bidi_component_manager  # the one-off component scan
    with duckdb.connect(str(db), read_only=True) as con:
        agent, session_id = con.execute(
            "SELECT agent, session_id FROM messages GROUP BY ALL ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()[0]
        user = con.execute("SELECT min(user_name) FROM messages").fetchall()[0][0]
    views = [(page, page, {}) for page in PAGES]
    views += [
        ("cost, one user", "cost", {"user": user}),
        ("sessions, search", "sessions", {"q": "pgoperator"}),
        ("transcript, largest session", "sessions", {"session": f"{agent}:{session_id}"}),
    ]
    results = [("first render after start (imports)", *render(AppTest, registry, "overview", {}, data, repeats=1))]
    for label, page, query in views:
        results.append((label, *render(AppTest, registry, page, query, data)))
    return results


def render(AppTest, registry, page: str, query: dict, data, repeats: int = 3) -> tuple[float, float]:
    """Median seconds to render ``page`` with an empty query cache (a new session after an
    ingest), and with a warm one (the same page again)."""
    cold, warm = [], []
    for _ in range(repeats):
        data.clear_cache()
        at = AppTest.from_file(str(REPO / "dashboard" / "web" / "app.py"), default_timeout=300)
        at._bidi_component_manager = registry
        at.query_params.update(query)
        if page != "overview":
            at.switch_page(f"views/{page}.py")
        for timings in (cold, warm):
            started = time.perf_counter()
            at.run()
            timings.append(time.perf_counter() - started)
        if at.exception:
            raise SystemExit(f"{page} {query}: {at.exception[0].value}")
    return statistics.median(cold), statistics.median(warm)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000, help="messages to reach (default 1,000,000)")
    parser.add_argument("--keep", type=Path, help="build the database at this path and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dashcam-bench-") as tmp:
        db = args.keep or Path(tmp) / "bench.duckdb"
        if db.exists():
            print(f"using the existing database {db}")
        else:
            build(db, args.messages)
        results = page_timings(db)
    print(f"\n{'page':36} {'cold s':>8} {'warm s':>8} {'budget s':>9}")
    for label, cold, warm in results:
        print(f"{label:36} {cold:8.2f} {warm:8.2f} {BUDGET_SECONDS:9.1f}{'  over' if cold > BUDGET_SECONDS else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
