"""Text from a transcript or a path, made safe to print on a terminal.

Two things can go wrong when such text reaches the console. Rich parses square brackets as
markup, so a prompt tag like ``[/INST]``, a path like ``[/proc/1]`` or a folder named ``[/x]``
raises ``MarkupError`` (or restyles the rest of the line). And control characters (ESC starting
a CSI or OSC sequence, other C0/C1 codes, bidirectional overrides) let a transcript move the
cursor, retitle the terminal, hide text or write hyperlinks. Every value a command prints that it
did not write itself goes through :func:`shown` (for Rich) or :func:`neutral` (for plain output).
"""

from __future__ import annotations

import re

from rich.markup import escape

# C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def neutral(value) -> str:
    """``value`` as text, each control character written as a visible escape (``\\x1b``)."""
    text = "" if value is None else str(value)
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def shown(value) -> str:
    """``value`` ready to interpolate into a Rich string or table cell: neutral and markup-escaped."""
    return escape(neutral(value))
