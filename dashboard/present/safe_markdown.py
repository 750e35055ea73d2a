"""Transcript markdown shown as text, never as a fetch: images become their written form.

A transcript is written by the agent and by whatever it read (web pages, issues, READMEs), so
``![](https://tracker.example/pixel.png?u=...)`` in it would make the browser of everyone who
opens the transcript view call that address: a tracking beacon, or a way to tell when and by
whom a session is read. Streamlit renders markdown images as ``<img>``; this module escapes the
opening ``![`` of every image outside code (inline and reference style alike), so the reader
sees ``![alt](url)`` as written and nothing is loaded. Code spans and fenced blocks are left
as they are: markdown shows them literally anyway.
"""

from __future__ import annotations

import re

# Fenced blocks (``` or ~~~, to the matching fence or the end) and inline code spans.
_CODE = re.compile(r"(?ms)^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)|(`+)(?:(?!\2).)+?\2")
_IMAGE_START = re.compile(r"!(?=\[)")
# Raw HTML images, in case markdown HTML is ever allowed.
_HTML_IMAGE = re.compile(r"<(?=\s*(?:img|image|picture|source|video|audio|iframe)\b)", re.IGNORECASE)


def without_remote_images(text: str) -> str:
    """``text`` with every markdown image (and HTML image tag) turned into plain text."""
    if "![" not in text and "<" not in text:
        return text
    pieces, done = [], 0
    for code in _CODE.finditer(text):
        pieces += [_escape(text[done : code.start()]), code.group()]
        done = code.end()
    pieces.append(_escape(text[done:]))
    return "".join(pieces)


def _escape(prose: str) -> str:
    return _HTML_IMAGE.sub("&lt;", _IMAGE_START.sub(r"!\\", prose))
