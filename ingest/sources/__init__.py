"""The registry of source readers: one module per agent format, and recognition by content.

Each format module declares a ``READER`` (see ``ingest.sources.base.SourceReader``): its agent
name, its pricing provider, where the agent keeps its logs, which file names are worth
sniffing, and how it recognizes a file. Everything else (discovery, pricing, the CLI's
``--agent`` choices) asks this registry, so a fifth format is one new module listed in
``_FORMATS`` plus its tests.

A teammate's copied folder has no fixed layout, so a file's agent is decided by sniffing
its first bytes, not by where it sits; when several readers recognize a file, the surest wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ingest.sources import aider, claude_code, codex, gemini
from ingest.sources.base import Recognition, SourceReader, read_head

_FORMATS = (claude_code, codex, gemini, aider)

READERS: dict[str, SourceReader] = {module.READER.agent: module.READER for module in _FORMATS}
AGENTS: tuple[str, ...] = tuple(READERS)
PROVIDERS: dict[str, str | None] = {agent: reader.provider for agent, reader in READERS.items()}
CANDIDATE_SUFFIXES: tuple[str, ...] = tuple(sorted({s for r in READERS.values() for s in r.suffixes}))


def default_locations(home: Path | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The folders the registered agents write transcripts to, existing ones only, each once."""
    home = home or Path.home()
    environ = os.environ if environ is None else environ
    seen: list[Path] = []
    resolved: set[Path] = set()
    for reader in READERS.values():
        for path in reader.default_locations(home, environ):
            if path.is_dir() and path.resolve() not in resolved:
                seen.append(path)
                resolved.add(path.resolve())
    return seen


def recognitions(path: Path, head: bytes) -> dict[str, Recognition]:
    """Every reader's verdict on a file, for the readers that recognize it at all."""
    verdicts = {agent: Recognition(reader.sniff(path, head)) for agent, reader in READERS.items()}
    return {agent: verdict for agent, verdict in verdicts.items() if verdict}


def detect_reader(path: Path, head: bytes | None = None) -> SourceReader | None:
    """Return the reader that recognizes ``path``'s content most surely (its first bytes,
    ``head``, when already read), or None when no format matches or the file cannot be read."""
    if head is None:
        try:
            head = read_head(path)
        except OSError:
            return None
    if not head.strip():
        return None
    verdicts = recognitions(path, head)
    if not verdicts:
        return None
    best = max(verdicts.values())
    return next(READERS[agent] for agent, verdict in verdicts.items() if verdict == best)
