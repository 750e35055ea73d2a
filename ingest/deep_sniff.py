"""Recognize a transcript whose first 64 KiB are garbage (a binary blob, a pasted dump).

Formats are recognized by their first bytes. A line-oriented transcript that starts with a
long unreadable stretch would otherwise be skipped whole as "not a transcript" with none of
its lines recorded. When the head matches no format, later windows of the file (up to
:data:`SCAN_LIMIT`) are tried with the same sniffers; a line-oriented format found there is
read from the start, so the garbage lines become problems and the rest is stored. Only
line-oriented readers are accepted this way: a whole-document format (a Gemini JSON file)
must begin at byte 0. A file with no recognizable record in its first MiB stays "not a
transcript".
"""

from __future__ import annotations

from pathlib import Path

from ingest.sources import READERS
from ingest.sources.base import SourceReader

WINDOW = 65536
SCAN_LIMIT = 1 << 20


def detect_past_garbage(path: Path) -> SourceReader | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(SCAN_LIMIT)
    except OSError:
        return None
    for start in range(WINDOW // 2, max(len(data) - 1, 0), WINDOW // 2):
        window = data[start : start + WINDOW]
        newline = window.find(b"\n")
        if newline < 0:
            continue
        window = window[newline + 1 :]  # whole lines only
        if not window.strip():
            continue
        for reader in READERS.values():
            if reader.incremental and reader.sniff(path, window):
                return reader
    return None
