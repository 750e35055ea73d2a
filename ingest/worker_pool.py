"""Worker processes for the pure-Python parts of an ingest (reading files, extracting facts).

Workers come from a fork server that imported what they need once: never a fork of the ingest
process, whose DuckDB threads may hold locks a forked child would inherit.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # multiprocessing is imported by the run that starts workers: a warm one never does
    from concurrent.futures import ProcessPoolExecutor


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worker_count(variable: str, at_most_cores: bool = True) -> int:
    """One worker per core, or what ``$variable`` asks for (capped by the cores unless
    ``at_most_cores`` is false); 0 when that is fewer than two (the work stays in this process)."""
    wanted = os.environ.get(variable, "").strip()
    count = (min(cores(), int(wanted)) if at_most_cores else int(wanted)) if wanted.isdigit() else cores()
    return count if count > 1 else 0


def forkserver_pool(workers: int, preload: list[str]) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)
