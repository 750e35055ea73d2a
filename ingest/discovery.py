"""Where agent transcripts live, and which files under a folder are worth sniffing.

Default locations are each reader's own (``ingest.sources``). Under a folder given by the
user, every file with a suffix some reader sniffs is a candidate whatever the layout: the
format is recognized from the content later.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from ingest.sources import CANDIDATE_SUFFIXES, default_locations

__all__ = ["Candidate", "default_locations", "iter_candidate_files", "iter_candidates"]

SKIPPED_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}


class Candidate:
    """A file found by the walk: the path as reached, its real path, and its ``stat``.

    The walk resolves each folder once (it must, to end link loops), so a plain file's real
    path is its folder's plus its name: no per-file ``realpath``. The ``stat`` comes from the
    same walk, so the ledger can call a file unchanged without any further system call, and
    the ``Path`` object is made only when asked for."""

    __slots__ = ("_path", "resolved", "stat")

    def __init__(self, path: Path | str, resolved: str, stat: os.stat_result):
        self._path, self.resolved, self.stat = path, resolved, stat

    @property
    def path(self) -> Path:
        return self._path if isinstance(self._path, Path) else Path(self._path)


def iter_candidate_files(root: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Path]:
    """Files under ``root`` (or ``root`` itself) that may be transcripts, in a stable order.

    Hidden folders are searched (agents keep logs in ``.claude``, ``.codex``…), but build
    and dependency folders are not. Aider's history file is Markdown and named
    ``.aider.chat.history.md``. Symbolic links to folders are followed once (a folder
    reached twice is skipped, so a link loop ends); a folder that cannot be listed is
    reported through ``on_error(path, reason)``, never skipped in silence.
    """
    for candidate in iter_candidates(root, on_error):
        yield candidate.path


def iter_candidates(root: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Candidate]:
    """:func:`iter_candidate_files` with each file's real path and ``stat`` (see :class:`Candidate`)."""

    def report(path: str, reason: str) -> None:
        if on_error is not None:
            on_error(path, reason)

    if root.is_file():
        try:
            yield Candidate(root, os.path.realpath(root), root.stat())
        except OSError as error:
            report(str(root), error.strerror or str(error))
        return
    yield from _walk(str(root), set(), report)


def _walk(top: str, visited: set[str], report: Callable[[str, str], None]) -> Iterator[Candidate]:
    """One folder's candidate files in name order, then its subfolders in name order (as
    ``os.walk(followlinks=True)`` visits them, with one ``stat`` per file from ``scandir``)."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError as error:
        report(str(error.filename or top), f"cannot list folder: {error.strerror or error}")
        return
    real = os.path.realpath(top)
    if real in visited:
        return
    visited.add(real)
    folders: list[os.DirEntry] = []
    files: list[os.DirEntry] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (folders if is_dir else files).append(entry)
    for entry in sorted(files, key=lambda e: e.name):
        if not entry.name.endswith(CANDIDATE_SUFFIXES):
            continue
        path = os.path.join(top, entry.name)
        try:
            info = entry.stat()
        except OSError:
            report(path, "a broken link or not a regular file")
            continue
        if not stat.S_ISREG(info.st_mode):
            report(path, "a broken link or not a regular file")
            continue
        resolved = os.path.realpath(path) if entry.is_symlink() else os.path.join(real, entry.name)
        yield Candidate(path, resolved, info)
    for entry in sorted(folders, key=lambda e: e.name):
        if entry.name not in SKIPPED_DIRS:
            yield from _walk(os.path.join(top, entry.name), visited, report)
