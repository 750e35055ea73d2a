"""Where agent transcripts live, and which files under a folder are worth sniffing.

Default locations are each reader's own (``ingest.sources``). Under a folder given by the
user, every file with a suffix some reader sniffs is a candidate whatever the layout: the
format is recognized from the content later.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ingest.sources import CANDIDATE_SUFFIXES, default_locations

__all__ = ["default_locations", "iter_candidate_files"]

SKIPPED_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}


def iter_candidate_files(root: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Path]:
    """Files under ``root`` (or ``root`` itself) that may be transcripts, in a stable order.

    Hidden folders are searched (agents keep logs in ``.claude``, ``.codex``…), but build
    and dependency folders are not. Aider's history file is Markdown and named
    ``.aider.chat.history.md``. Symbolic links to folders are followed once (a folder
    reached twice is skipped, so a link loop ends); a folder that cannot be listed is
    reported through ``on_error(path, reason)``, never skipped in silence.
    """
    if root.is_file():
        yield root
        return
    visited: set[str] = set()

    def report(error: OSError) -> None:
        if on_error is not None:
            on_error(str(error.filename or root), f"cannot list folder: {error.strerror or error}")

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=report):
        real = os.path.realpath(dirpath)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if name.endswith(CANDIDATE_SUFFIXES):
                path = Path(dirpath) / name
                if path.is_file():
                    yield path
                elif on_error is not None and not path.is_dir():
                    on_error(str(path), "a broken link or not a regular file")
