"""Peak memory of ingesting one very long session, or a replicated corpus, beside the 1 GiB budget.

Builds one Claude Code session of about ``--events`` stored events (messages, tool calls,
tool results, usage rows) by repeating the lines of a real transcript from tests/fixtures
(tool_heavy: Bash runs, edits, reads) under one session id, each copy with fresh message,
request and tool ids. Then, in a fresh process, ingests it into a new database (load and
fact refresh) and prints wall time and the peak memory of the whole process tree (the
ingest process and any worker it starts, see ``scripts/tree_rss.py``).

With ``--corpus MB`` it measures the replicated corpus of ``scripts/bench_corpus.py`` instead:
``dashcam ingest`` into a new database, then the first ``dashcam audit --json`` (which computes
every session's facts), each in a fresh process; ``--save DIR`` keeps that audit's output and
``dashcam costs daily --json``'s, so two versions' numbers can be compared file by file.

A benchmark prints figures; it never asserts on them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import tree_rss  # noqa: E402

SOURCE = REPO / "tests" / "fixtures" / "claude_code" / "spotter__tool_heavy.jsonl"
SESSION = "5e551011-0000-4000-8000-000000000001"
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
IDS = re.compile(rb'"((?:msg|req|toolu)_[A-Za-z0-9]+)"')
SESSION_FIELD = re.compile(rb'"sessionId":"[^"]*"')
BUDGET_MB = 1024


def events_per_copy(path: Path) -> int:
    """Stored events one copy of ``path`` makes (ingested once into a scratch database)."""
    sys.path.insert(0, str(REPO))
    from ingest.pipeline import ingest_paths
    from ingest.store import open_store

    with tempfile.TemporaryDirectory() as scratch:
        with open_store(Path(scratch) / "probe.duckdb") as con:
            ingest_paths(con, [path], "bench")
            return sum(
                con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("messages", "tool_calls", "tool_results", "usage")
            )


def build_session(target: Path, events: int) -> tuple[int, int]:
    """Write the long session; return (copies, bytes)."""
    data = SOURCE.read_bytes()
    data = SESSION_FIELD.sub(b'"sessionId":"' + SESSION.encode() + b'"', data)
    per_copy = max(1, events_per_copy(SOURCE))
    copies = max(1, round(events / per_copy))
    written = 0
    with open(target, "wb") as out:
        for copy_no in range(copies):
            suffix = f"{copy_no:08x}".encode()
            chunk = UUID.sub(
                lambda m, suffix=suffix: m.group(0) if m.group(0) == SESSION.encode() else m.group(0)[:-8] + suffix,
                data,
            )
            chunk = IDS.sub(lambda m, suffix=suffix: b'"' + m.group(1) + b"_" + suffix + b'"', chunk)
            out.write(chunk)
            written += len(chunk)
    return copies, written


CHILD = """
import sys, time
sys.path.insert(0, sys.argv[3])
from ingest.pipeline import ingest_paths
from ingest.store import open_store
started = time.perf_counter()
with open_store(sys.argv[1]) as con:
    summary = ingest_paths(con, [__import__('pathlib').Path(sys.argv[2])], "bench")
    stored = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("messages", "tool_calls", "tool_results", "usage"))
print(time.perf_counter() - started, stored, summary.fact_sessions)
"""


def report(what: str, seconds: float, peak: tree_rss.Peak) -> None:
    print(
        f"{what:<22}{seconds:>8.1f} s   peak RSS {peak.rss_mib:>6,.0f} MiB (PSS {peak.pss_mib:,.0f}, largest "
        f"process {peak.largest_mib:,.0f}, {peak.processes} processes; budget {BUDGET_MB} MiB)",
        flush=True,
    )


def long_session(events: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        session = root / "projects" / "long" / f"{SESSION}.jsonl"
        session.parent.mkdir(parents=True)
        started = time.perf_counter()
        copies, size = build_session(session, events)
        print(
            f"built one session: {copies} copies of {SOURCE.name}, {size / 1e6:.0f} MB "
            f"in {time.perf_counter() - started:.0f} s"
        )
        seconds, peak, out = tree_rss.run(
            [sys.executable, "-c", CHILD, str(root / "bench.duckdb"), str(session), str(REPO)]
        )
        _inner, stored, sessions = out.strip().splitlines()[-1].split()
        print(f"{'events stored':<22}{int(stored):>12,}")
        print(f"{'sessions refreshed':<22}{int(sessions):>12,}")
        report("ingest + facts", seconds, peak)


def corpus(megabytes: int, save: Path | None) -> None:
    import bench_corpus

    folder = bench_corpus.build_corpus(megabytes)
    facts = bench_corpus.corpus_facts(folder)
    print(f"corpus: {(facts['claude'] + facts['codex']) / 1e6:,.0f} MB in {facts['files']} files ({folder})")
    dashcam = [sys.executable, "-m", "dashboard.cli"]
    with tempfile.TemporaryDirectory(prefix="dashcam-memory-") as scratch:
        db = str(Path(scratch) / "bench.duckdb")
        ingest = [*dashcam, "ingest", str(folder / "claude"), str(folder / "codex"), "--db", db, "--user", "bench"]
        report("cold ingest", *tree_rss.run(ingest, cwd=REPO)[:2])
        seconds, peak, audit = tree_rss.run([*dashcam, "audit", "--json", "--db", db], cwd=REPO)
        report("first audit", seconds, peak)
        if save is not None:
            costs = tree_rss.run([*dashcam, "costs", "daily", "--json", "--timezone", "UTC", "--db", db], cwd=REPO)
            save.mkdir(parents=True, exist_ok=True)
            (save / "audit.json").write_text(audit)
            (save / "costs_daily.json").write_text(costs[2])
            print(f"saved audit.json and costs_daily.json in {save}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="stored events in the session (about)")
    parser.add_argument("--corpus", type=int, metavar="MB", help="measure the replicated corpus of this size instead")
    parser.add_argument("--save", type=Path, help="with --corpus: keep the audit and costs outputs here")
    args = parser.parse_args()
    if args.corpus:
        corpus(args.corpus, args.save)
    else:
        long_session(args.events)


if __name__ == "__main__":
    main()
