"""Peak memory of ingesting one very long session, printed beside the 1 GiB budget.

Builds one Claude Code session of about ``--events`` stored events (messages, tool calls,
tool results, usage rows) by repeating the lines of a real transcript from tests/fixtures
(tool_heavy: Bash runs, edits, reads) under one session id, each copy with fresh message,
request and tool ids. Then, in a fresh process, ingests it into a new database (load and
fact refresh) and prints wall time and peak resident memory (``ru_maxrss``). A benchmark
prints figures; it never asserts on them.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
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
import resource, sys, time
sys.path.insert(0, sys.argv[3])
from ingest.pipeline import ingest_paths
from ingest.store import open_store
started = time.perf_counter()
with open_store(sys.argv[1]) as con:
    summary = ingest_paths(con, [__import__('pathlib').Path(sys.argv[2])], "bench")
    stored = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("messages", "tool_calls", "tool_results", "usage"))
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, stored,
      summary.fact_sessions)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="stored events in the session (about)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        session = root / "projects" / "long" / f"{SESSION}.jsonl"
        session.parent.mkdir(parents=True)
        started = time.perf_counter()
        copies, size = build_session(session, args.events)
        print(
            f"built one session: {copies} copies of {SOURCE.name}, {size / 1e6:.0f} MB "
            f"in {time.perf_counter() - started:.0f} s"
        )
        output = (
            subprocess.run(
                [sys.executable, "-c", CHILD, str(root / "bench.duckdb"), str(session), str(REPO)],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )
        seconds, peak_kb, stored, sessions = float(output[0]), int(output[1]), int(output[2]), int(output[3])
        print(f"{'events stored':<22}{stored:>12,}")
        print(f"{'sessions refreshed':<22}{sessions:>12,}")
        print(f"{'ingest + facts':<22}{seconds:>11.0f} s")
        print(f"{'peak RSS':<22}{peak_kb / 1024:>9.0f} MB   (budget {BUDGET_MB} MB)")


if __name__ == "__main__":
    main()
