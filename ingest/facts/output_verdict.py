"""Whether a command that is not a check failed, told from its result when its status says little.

A failure window opens after any failed command, not only after a check: a ``docker run``
whose daemon refused it, a one-off ``python scripts/migrate.py`` that died with a traceback,
a ``curl`` that found nothing listening. Many tool results carry no exit status at all (a
Claude Code result without ``is_error``, a Codex output without its metadata, a Gemini CLI
output without its ``Exit Code`` line, an Aider ``/run``), and then what the command printed
decides (:func:`ingest.facts.edits.is_failure`: a runner's summary, a traceback, ``panic:``,
``command not found``…).

Two kinds of command must not open a window that way (rules in
``ingest/rules/output_reader.toml``):

* a command that only shows text — ``cat logs/app.log``, ``grep -rn error src/``, ``git show``,
  ``docker compose logs`` — prints the errors it finds, it did not fail: only a runner's
  summary in what it shows (``tail -50 /tmp/test.log`` ending ``1 failed``) is a verdict, since
  that is how an agent reads a run it sent to a file;
* a search, ``diff`` or ``test`` that exits 1 found nothing or a difference; it did not fail.
"""

from __future__ import annotations

import re

from ingest.facts.shell import Word, basename, split_commands
from ingest.rules import rules

_VIEWERS = tuple(r.regex for r in rules("output_reader") if r.category == "viewer")
_NOISE = tuple(r.regex for r in rules("output_reader") if r.category == "noise")
_NO_MATCH_STATUS = tuple(r.regex for r in rules("output_reader") if r.category == "no_match_status")
_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=.*", re.DOTALL)
_PREFIXES = frozenset({"sudo", "env", "time", "nice", "command", "nohup", "!"})
_BLOCK_WORDS = frozenset({"then", "do", "else", "if", "while", "until", "for", "done", "fi", "{", "}", "esac"})


def _head(words: list[Word]) -> str:
    """The first three words of a simple command without its assignments and prefixes."""
    texts = [word.text for word in words]
    while texts and (_ASSIGNMENT.fullmatch(texts[0]) or basename(texts[0]) in _PREFIXES or texts[0] in _BLOCK_WORDS):
        texts = texts[1:]
    if texts:
        texts[0] = basename(texts[0])
    return " ".join(texts[:3])


def _heads(command: str) -> list[str]:
    return [head for head in (_head(words) for words in split_commands(command)) if head]


def only_shows_text(command: str | None) -> bool:
    """True when every simple command of ``command`` shows text (a viewer) or only moves and
    prints around one, and at least one is a viewer: its output is content, not a verdict."""
    if not isinstance(command, str) or not command.strip():
        return False
    heads = _heads(command)
    viewers = [head for head in heads if any(regex.search(head) for regex in _VIEWERS)]
    rest = [head for head in heads if head not in viewers]
    return bool(viewers) and all(any(regex.search(head) for regex in _NOISE) for head in rest)


def status_means_no_match(command: str | None, exit_code: int | None) -> bool:
    """True when ``exit_code`` 1 is the 'nothing found' or 'differs' of the command's last
    program (``grep``, ``rg``, ``diff``, ``test``), which the shell reports as its status."""
    if exit_code != 1 or not isinstance(command, str):
        return False
    heads = _heads(command)
    return bool(heads) and any(regex.search(heads[-1]) for regex in _NO_MATCH_STATUS)


__all__ = ["only_shows_text", "status_means_no_match"]
