"""Where agent transcripts live, and which files under a folder are worth sniffing.

Default locations follow each agent's own conventions (and the environment variables that
move them). Under a folder given by the user, every ``.jsonl``/``.json``/``.md`` file is a
candidate whatever the layout: the format is recognized from the content later.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

CANDIDATE_SUFFIXES = (".jsonl", ".json", ".md")
SKIPPED_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"}


def default_locations(home: Path | None = None) -> list[Path]:
    """The folders each supported agent writes transcripts to, existing ones only."""
    home = home or Path.home()
    candidates: list[Path] = []
    for config_dir in filter(None, os.environ.get("CLAUDE_CONFIG_DIR", "").split(",")):
        candidates.append(Path(config_dir.strip()).expanduser() / "projects")
    candidates += [home / ".claude" / "projects", home / ".config" / "claude" / "projects"]
    codex_home = Path(os.environ["CODEX_HOME"]).expanduser() if os.environ.get("CODEX_HOME") else home / ".codex"
    candidates += [codex_home / "sessions", codex_home / "archived_sessions"]
    candidates.append(home / ".gemini" / "tmp")
    seen: list[Path] = []
    for path in candidates:
        if path.is_dir() and path.resolve() not in {p.resolve() for p in seen}:
            seen.append(path)
    return seen


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
