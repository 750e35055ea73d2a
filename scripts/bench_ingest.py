"""Ingest speed and memory, printed beside ccusage's time on the same corpus.

Builds a corpus of the requested size by replicating the real Claude Code and Codex
transcripts in tests/fixtures (each copy gets fresh session, message and request ids, so
nothing deduplicates away), then times, each in a fresh process:

* ``dashcam ingest`` into a new database (first run: everything is new),
* ``dashcam ingest`` again (second run: the ledger finds nothing changed),
* ``ccusage claude daily --offline`` and ``ccusage codex daily --offline`` on the same files,

and prints wall time, MB/s and peak resident memory. A benchmark prints figures; it never
asserts on them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
CCUSAGE = "ccusage@20.0.24"
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
IDS = re.compile(rb'"(msg_[A-Za-z0-9]+|req_[A-Za-z0-9]+)"')


def replicate(source: Path, target: Path, copy_no: int) -> int:
    """Write ``source`` to ``target`` with every id made unique to this copy; return bytes written."""
    data = source.read_bytes()
    suffix = f"{copy_no:06x}".encode()
    data = UUID.sub(lambda m: m.group(0)[:-6] + suffix, data)
    data = IDS.sub(lambda m: b'"' + m.group(1) + b"_" + suffix + b'"', data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return len(data)


def build_corpus(root: Path, megabytes: int) -> dict[str, int]:
    sources = {
        "claude": sorted((FIXTURES / "claude_code").glob("*.jsonl")),
        "codex": sorted((FIXTURES / "codex").glob("*.jsonl")),
    }
    written = {"claude": 0, "codex": 0}
    budget = megabytes * 1_000_000
    copy_no = 0
    while sum(written.values()) < budget:
        copy_no += 1
        for source in sources["claude"]:
            target = root / "claude" / "projects" / f"proj-{copy_no % 50}" / f"{copy_no}-{source.name}"
            written["claude"] += replicate(source, target, copy_no)
        for source in sources["codex"]:
            target = (
                root
                / "codex"
                / "sessions"
                / "2026"
                / "02"
                / f"{copy_no % 28 + 1:02d}"
                / f"rollout-{copy_no}-{source.name}"
            )
            written["codex"] += replicate(source, target, copy_no)
    return written


def timed(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(seconds, peak RSS of the child in MB, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(command, env={**os.environ, **(env or {})}, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200, help="corpus size to build (default 200)")
    parser.add_argument("--skip-ccusage", action="store_true", help="do not time ccusage (needs npx)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dashcam-bench-") as tmp:
        root = Path(tmp)
        written = build_corpus(root, args.megabytes)
        total_mb = sum(written.values()) / 1e6
        print(
            f"corpus: {total_mb:,.0f} MB (claude {written['claude'] / 1e6:,.0f} MB, "
            f"codex {written['codex'] / 1e6:,.0f} MB)"
        )
        dashcam = [sys.executable, "-m", "dashboard.cli"]
        db = root / "bench.duckdb"
        ingest = dashcam + ["ingest", str(root / "claude"), str(root / "codex"), "--db", str(db), "--user", "bench"]
        rows = []
        seconds, peak, _ = timed(ingest)
        rows.append(("dashcam ingest (first run)", seconds, peak))
        seconds, peak, _ = timed(ingest)
        rows.append(("dashcam ingest (nothing changed)", seconds, peak))
        seconds, peak, out = timed(dashcam + ["costs", "daily", "--json", "--timezone", "UTC", "--db", str(db)])
        rows.append(("dashcam costs daily --json", seconds, peak))
        totals = json.loads(out)["totals"]
        if not args.skip_ccusage and shutil.which("npx"):
            cache = {"npm_config_cache": str(Path(tempfile.gettempdir()) / "dashcam-npm-cache")}
            for agent, env in (
                ("claude", {"CLAUDE_CONFIG_DIR": str(root / "claude")}),
                ("codex", {"CODEX_HOME": str(root / "codex")}),
            ):
                seconds, peak, _ = timed(
                    ["npx", "--yes", CCUSAGE, agent, "daily", "--json", "--offline", "--timezone", "UTC"],
                    env={**env, **cache},
                )
                rows.append((f"ccusage {agent} daily", seconds, peak))
        print(f"{'step':36} {'seconds':>9} {'MB/s':>8} {'peak RSS MB (max so far)':>26}")
        for name, seconds, peak in rows:
            print(f"{name:36} {seconds:9.1f} {total_mb / seconds:8.1f} {peak:26.0f}")
        print(
            f"database: {db.stat().st_size / 1e6:,.0f} MB; total tokens {totals['totalTokens']:,}, "
            f"cost ${totals['totalCost']:,.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
