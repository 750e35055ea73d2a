"""Source readers, one module per agent format, and recognition of a file's format by content.

A teammate's copied folder has no fixed layout, so a file's agent is decided by sniffing
its first bytes, not by where it sits.
"""

from __future__ import annotations

from pathlib import Path

from ingest.sources import aider, claude_code, codex, gemini
from ingest.sources.base import SourceReader, read_head

READERS: dict[str, SourceReader] = {
    reader.agent: reader
    for reader in (claude_code.READER, codex.READER, gemini.READER, aider.READER)
}


def detect_reader(path: Path, head: bytes | None = None) -> SourceReader | None:
    """Return the reader that recognizes ``path``'s content (its first bytes, ``head``, when
    already read), or None when no format matches or the file cannot be read."""
    if head is None:
        try:
            head = read_head(path)
        except OSError:
            return None
    if not head.strip():
        return None
    for reader in READERS.values():
        if reader.sniff(path, head):
            return reader
    return None
