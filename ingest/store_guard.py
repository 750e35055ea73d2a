"""Guards on every store connection: a bounded temp directory and a bounded wait for the lock.

DuckDB spills to a temp directory when a query outgrows the memory limit, and by default it
may fill the disk doing so (a runaway query once wrote 1.3 GB in 11 s). Every connection the
store opens caps it (``$DASHCAM_TEMP_LIMIT``, default 4 GiB); a query that hits the cap
becomes a one-line :class:`StoreFull`, never a full disk.

DuckDB allows one writer or many readers per file, each holding a POSIX lock on it. A
dashboard page or report holds a read lock for the length of its query; an ingest that
meets it waits, up to ``$DASHCAM_LOCK_WAIT`` seconds (default 30), instead of giving up.
The wait blocks in the kernel on the same lock (``F_SETLKW``), so the writer wakes the
moment the reader lets go: no polling, no sleep.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import duckdb

DEFAULT_TEMP_LIMIT = "4GB"
DEFAULT_LOCK_WAIT_S = 30.0


class LockWaitExpired(Exception):
    """The bounded wait for another process's lock ran out."""


def temp_limit() -> str:
    """The cap on DuckDB's temp directory, e.g. ``4GB`` (``$DASHCAM_TEMP_LIMIT``)."""
    value = os.environ.get("DASHCAM_TEMP_LIMIT", "").strip()
    return value or DEFAULT_TEMP_LIMIT


def lock_wait_seconds() -> float:
    """How long a writer waits for readers to let go (``$DASHCAM_LOCK_WAIT``, seconds)."""
    value = os.environ.get("DASHCAM_LOCK_WAIT", "").strip()
    try:
        return max(0.0, float(value)) if value else DEFAULT_LOCK_WAIT_S
    except ValueError:
        return DEFAULT_LOCK_WAIT_S


def cap_temp_directory(con: duckdb.DuckDBPyConnection) -> None:
    limit = temp_limit()
    if not all(ch.isalnum() or ch in ". " for ch in limit):
        limit = DEFAULT_TEMP_LIMIT
    con.execute(f"SET max_temp_directory_size = '{limit}'")


def silence_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB draws a progress bar on stdout for any query running over two seconds; on a busy
    machine it lands inside ``--json`` output and the lines a command pipes to another."""
    con.execute("SET enable_progress_bar = false")


def is_temp_limit_error(error: BaseException) -> bool:
    """The temp-directory cap stopped a statement: an out-of-memory error, or a COMMIT (or the
    ROLLBACK after it) that had to spill blocks the cap had no room for, which DuckDB reports
    as a transaction or fatal error naming the same setting."""
    return isinstance(error, duckdb.Error) and "max_temp_directory_size" in str(error)


def temp_limit_message(what: str) -> str:
    return (
        f"{what} needed more than the {temp_limit()} of temporary disk space the database may use "
        "(DASHCAM_TEMP_LIMIT); nothing was changed by it. Raise DASHCAM_TEMP_LIMIT or report the query."
    )


def out_of_memory_message(what: str, error: BaseException) -> str:
    """One line for a query DuckDB could not fit in memory: what was running and DuckDB's reason."""
    reason = " ".join(str(error).split()).removeprefix("Out of Memory Error:").strip()
    # DuckDB's first sentence says what it could not fit; the rest is advice about its own settings
    reason = re.split(r"(?<=[.)])\s+(?=[A-Z])", reason)[0].rstrip(".")[:200]
    return (
        f"{what} ran out of memory ({reason}); its unfinished work was rolled back. "
        "Close other programs using memory and run the command again, or report the query."
    )


@contextmanager
def _deadline_alarm(seconds: float):
    """Interrupt a blocking system call after ``seconds`` (main thread only: SIGALRM)."""

    def expire(_signum, _frame):
        raise LockWaitExpired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def can_wait_for_lock() -> bool:
    """Waiting uses SIGALRM to bound the blocking lock call, which only the main thread can."""
    return threading.current_thread() is threading.main_thread()


def wait_for_exclusive_lock(path: Path, deadline: float) -> bool:
    """Block until no other process holds a lock on ``path`` or ``deadline`` (monotonic) passes.

    Takes the same whole-file POSIX lock DuckDB takes and drops it at once by closing the
    descriptor. This process holds no DuckDB handle on the file here (the connect just failed
    on the lock), so closing the descriptor releases nothing of ours. True when the lock
    was free at some moment (a reader may still win the race: the caller tries again).
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        with _deadline_alarm(remaining):
            fcntl.lockf(fd, fcntl.LOCK_EX)
        return True
    except LockWaitExpired:
        return False
    finally:
        os.close(fd)


def connect_waiting(
    connect: Callable[[], duckdb.DuckDBPyConnection],
    path: Path,
    is_lock_error,
    wait_s: float,
    on_wait: Callable[[str], None],
) -> duckdb.DuckDBPyConnection:
    """``connect()``, waiting up to ``wait_s`` seconds while another process holds the lock."""
    deadline = time.monotonic() + wait_s
    announced = False
    while True:
        try:
            return connect()
        except duckdb.IOException as error:
            if not is_lock_error(error) or wait_s <= 0 or not can_wait_for_lock():
                raise
            if time.monotonic() >= deadline:
                raise
            if not announced:
                on_wait(
                    f"The database {path} is open in another process; "
                    f"waiting up to {wait_s:g} s for a reader to finish…"
                )
                announced = True
            if not wait_for_exclusive_lock(path, deadline):
                raise
