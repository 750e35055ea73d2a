"""The warm path alone, paired with ccusage: the figures of ``make bench``'s warm rows, quicker.

Each round runs one ``ccusage daily`` over the corpus, then appends a priced response to one
transcript (as :func:`bench_table.append_lines` does) and times ``dashcam ingest`` plus
``dashcam costs daily --json``; then ``dashcam ingest`` with nothing new, and optionally the
unchanged many-file corpus. Medians are printed, never asserted.

    python scripts/bench_warm.py DB [--repo TREE] [--mb 1000] [--rounds 5] [--files 10000]

``DB`` is a store already holding the corpus (a cold ``dashcam ingest`` and ``dashcam audit``
of it); it is copied, so every run starts from the same state. ``--repo`` runs another tree's
dashcam (to time the code before a change beside the code after it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import bench_corpus  # noqa: E402
import bench_table  # noqa: E402


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of ``command`` run in ``cwd``, whose code it imports.

    Its bytecode is cached (under the bench cache), as an installed dashcam's is: a shell with
    ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module in every process."""
    env = {**(env or os.environ), "PYTHONPATH": str(cwd)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(bench_corpus.cache_root() / "pycache" / cwd.name)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--mb", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--files", type=int, default=0)
    parser.add_argument("--no-ccusage", action="store_true")
    args = parser.parse_args()

    corpus = bench_corpus.build_corpus(args.mb)
    tree = args.repo.resolve()
    cc, ingest, costs, unchanged = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="dashcam-warm-") as scratch:
        db = Path(scratch) / "warm.duckdb"
        shutil.copyfile(args.db, db)
        home = Path(scratch) / "home"
        home.mkdir()
        cc_env = {**os.environ, **bench_table.ccusage_env(corpus, home)}
        original = None
        try:
            for copy_no in range(args.rounds):
                if not args.no_ccusage:
                    cc.append(timed(bench_table.ccusage_command(), tree, cc_env)[0])
                appended = bench_table.append_lines(corpus, copy_no)
                original = original or appended
                ingest.append(timed(bench_table.ingest_command(corpus, db), tree)[0])
                costs.append(timed(bench_table.costs_command(db), tree)[0])
                print(
                    f"  round {copy_no}: ccusage {cc[-1] if cc else float('nan'):.2f} s, "
                    f"ingest {ingest[-1]:.3f} s + costs {costs[-1]:.3f} s",
                    flush=True,
                )
            unchanged = [timed(bench_table.ingest_command(corpus, db), tree)[0] for _ in range(args.rounds)]
        finally:
            if original is not None:
                bench_table.restore(*original)
    files = []
    if args.files:
        many = bench_corpus.build_many_files(args.files)
        with tempfile.TemporaryDirectory(prefix="dashcam-files-") as scratch:
            db = Path(scratch) / "files.duckdb"
            timed(bench_table.ingest_command(many, db), tree)
            timed(bench_table.ingest_command(many, db), tree)  # settle
            files = [timed(bench_table.ingest_command(many, db), tree)[0] for _ in range(args.rounds)]
    median = statistics.median
    warm = [a + b for a, b in zip(ingest, costs)]
    print(f"\ntree {tree}, {args.rounds} rounds, medians")
    if cc:
        print(f"ccusage daily            {median(cc):.3f} s")
    print(
        f"warm ingest + costs      {median(warm):.3f} s"
        + (f"  ({median(warm) / median(cc):.2f}× ccusage)" if cc else "")
        + f"  [ingest {median(ingest):.3f} + costs {median(costs):.3f}]"
    )
    print(f"unchanged re-ingest      {median(unchanged):.3f} s")
    if files:
        print(f"{args.files} files unchanged   {median(files):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
