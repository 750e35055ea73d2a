"""Peak memory of a command and every process it starts, sampled from /proc.

GNU time's ``%M`` (and ``ru_maxrss``) is the largest single process's peak: an ingest or an
audit that hands work to worker processes (a fork server and its workers) uses the sum of
them all at once. This samples the command's whole process tree every ``INTERVAL`` seconds
and keeps the largest sums: resident set (RSS: pages shared between a fork server and its
workers counted in each, an upper bound) and proportional set (PSS: shared pages divided
among their sharers, what the tree costs the machine). A sample can miss a peak shorter than
the interval; the figures are a benchmark's, never an assertion's.

    python scripts/tree_rss.py -- dashcam audit --json --db x.duckdb
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

INTERVAL = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
PROC = Path("/proc")


@dataclass
class Peak:
    """The largest sums seen over the tree, in MiB, and how many processes it had at most."""

    rss_mib: float = 0.0
    pss_mib: float = 0.0
    largest_mib: float = 0.0
    processes: int = 0
    each: dict[int, float] = field(default_factory=dict)  # pid -> its own peak RSS, MiB


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_of(pid: int) -> list[int]:
    """``pid`` and every process descended from it."""
    tree, found, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, []))
    return found


def _rss_pss(pid: int) -> tuple[int, int]:
    try:
        rss = int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE
        pss = 0
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


def sample(pid: int, peak: Peak) -> None:
    pids = tree_of(pid)
    sizes = [_rss_pss(p) for p in pids]
    peak.rss_mib = max(peak.rss_mib, sum(s[0] for s in sizes) / 2**20)
    peak.pss_mib = max(peak.pss_mib, sum(s[1] for s in sizes) / 2**20)
    peak.largest_mib = max(peak.largest_mib, max((s[0] for s in sizes), default=0) / 2**20)
    peak.processes = max(peak.processes, len(pids))
    for pid_, (rss, _pss) in zip(pids, sizes):
        peak.each[pid_] = max(peak.each.get(pid_, 0.0), rss / 2**20)


def run(command: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, Peak, str]:
    """(wall seconds, the tree's peak, stdout) of one command; raises when it fails."""
    peak = Peak()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            sample(process.pid, peak)
            stop.wait(INTERVAL)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    return seconds, peak, out


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        raise SystemExit(__doc__)
    seconds, peak, out = run(args)
    sys.stdout.write(out)
    print(
        f"{seconds:.1f} s; process tree peak: RSS {peak.rss_mib:,.0f} MiB, PSS {peak.pss_mib:,.0f} MiB, "
        f"largest process {peak.largest_mib:,.0f} MiB, {peak.processes} processes",
        file=sys.stderr,
    )
    each = sorted(peak.each.values(), reverse=True)
    print("each process's own peak (MiB): " + ", ".join(f"{mib:,.0f}" for mib in each[:8]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
