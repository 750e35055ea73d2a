"""Which of a window's outputs can vouch for a claim.

A window holds the outputs of every command since the failure: the failing check, and what
ran after it (a ``vault kv get``, a ``nomad job status``). A claim that names the program of
some of those commands ("Nomad's scheduler may be slow") is about what that program printed;
a 503 from another program's request in the same window says nothing about it. Claims that
name none of the programs are checked against every output, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.facts.edits import budget_site

_SHORTEST_NAME = 3  # "go", "sh" or "uv" in a sentence are words, not the program


def program_of(command: str | None) -> str | None:
    """The program a command runs, lower-cased, after ``cd``, wrappers and ``bash -c``."""
    site = budget_site(command) if command else ""
    return site.split()[0].lower() if site else None


def outputs_for_claim(claim: str, outputs: Sequence[tuple[str | None, str]]) -> list[str]:
    """The texts of ``outputs`` (program, text) that may show the claim's cause: those of the
    programs the claim names, or all when it names none of them."""
    lowered = claim.lower()
    named = {
        program
        for program, _text in outputs
        if program
        and len(program) >= _SHORTEST_NAME
        and re.search(rf"(?<![\w-]){re.escape(program)}(?![\w-])", lowered)
    }
    if not named:
        return [text for _program, text in outputs]
    return [text for program, text in outputs if program in named]
