"""A forgiving shell lexer: commands as agents write them, split into simple commands.

Wait extraction and verification detection both need to know which program a piece of a
shell command runs (``sleep 5`` is a wait, ``echo sleep 5`` is not) and where loops begin
and end. Agents' commands are often not valid shell (unbalanced quotes, pasted prose), so
this lexer never raises: it does its best and returns words with their offsets.

Redirections are dropped, heredoc bodies are skipped (their text is data, not commands),
quotes are removed from word values but kept in ``raw`` so a ``bash -c '...'`` script can be
lexed again at its own offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATORS = frozenset({";", "&&", "||", "|", "|&", "&", "\n", "(", ")", ";;"})
SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ash", "ksh", "busybox"})

_REDIRECTION = re.compile(r"(?:\d*|&)(?:>>|>&|<<<|<<-|<<|<>|>\||>|<)&?-?\d*")
_HEREDOC_WORD = re.compile(r"""\s*(['"]?)([A-Za-z_][\w-]*)\1""")


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: ``text`` without quotes, ``raw`` as written, offsets into the command."""

    text: str
    raw: str
    start: int
    end: int

    @property
    def quoted(self) -> bool:
        return self.raw[:1] in ("'", '"')


def split_commands(command: str, base: int = 0) -> list[list[Word]]:
    """Split ``command`` into simple commands (lists of words), separators removed.

    Loop and conditional keywords (``for``, ``do``, ``done``, ``then``…) stay as the first
    word of the simple command they open, which is what the loop tracker reads.
    """
    lexer = _Lexer(command, base)
    return [segment for segment in lexer.segments() if segment]


@dataclass(slots=True)
class Redirection:
    """A redirection of a simple command: the operator as written (``>``, ``>>``, ``2>``, ``<<``,
    ``<<<``…), its target word (a file, a heredoc's delimiter, a here-string's text) and, for a
    heredoc, its body."""

    operator: str
    target: str | None
    body: str | None = None


@dataclass(slots=True)
class SimpleCommand:
    """A simple command with what :func:`split_commands` drops: its redirections and the
    separator before and after it (``|`` makes it part of a pipeline)."""

    words: list[Word]
    redirections: list[Redirection]
    before: str | None
    after: str | None


def simple_commands(command: str) -> list[SimpleCommand]:
    """The simple commands of ``command`` with their redirections, heredoc bodies and separators."""
    lexer = _Lexer(command, 0)
    segments = lexer.segments()
    out: list[SimpleCommand] = []
    for index, words in enumerate(segments):
        redirections = [item for segment, item in lexer.redirections if segment == index]
        if words or redirections:
            before = lexer.separators[index - 1] if index > 0 else None
            after = lexer.separators[index] if index < len(lexer.separators) else None
            out.append(SimpleCommand(words, redirections, before, after))
    return out


def basename(word: str) -> str:
    """The program name without its directory: ``/usr/bin/sleep`` → ``sleep``."""
    return word.rstrip("/").rsplit("/", 1)[-1]


def shell_script_argument(words: list[Word], start: int = 0) -> Word | None:
    """The script of ``bash -c 'script'`` (or ``sh -lc``, ``zsh -ec``…), if ``words[start:]``
    starts so (an index, not a slice: a caller walking a long command stays linear)."""
    if start >= len(words) or basename(words[start].text) not in SHELLS:
        return None
    for index in range(start + 1, len(words)):
        word = words[index]
        if re.fullmatch(r"-[a-zA-Z]*c[a-zA-Z]*", word.text) and index + 1 < len(words):
            return words[index + 1]
        if not word.text.startswith("-"):
            return None
    return None


class _Lexer:
    """Character scanner behind :func:`split_commands`."""

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base
        self.i = 0
        self.pending_heredocs: list[tuple[str, bool, Redirection]] = []
        self.redirections: list[tuple[int, Redirection]] = []  # (segment index, redirection)
        self.separators: list[str] = []
        self.segment = 0

    def segments(self) -> list[list[Word]]:
        segments: list[list[Word]] = [[]]
        for token in self._tokens():
            if isinstance(token, str):
                segments.append([])
                self.separators.append(token)
                self.segment += 1
            else:
                segments[-1].append(token)
        return segments

    def _tokens(self):
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char == "\n":
                self.i += 1
                self._skip_heredoc_bodies()
                yield "\n"
            elif char in " \t\r":
                self.i += 1
            elif char == "\\" and text[self.i + 1 : self.i + 2] == "\n":
                self.i += 2
            elif char == "#":
                self._skip_comment()
            elif text.startswith("((", self.i):
                yield self._arithmetic_word()
            elif (operator := self._operator()) is not None:
                yield operator
            elif self._redirection():
                continue
            else:
                yield self._word()

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end

    def _skip_heredoc_bodies(self) -> None:
        lines_start = self.i
        for delimiter, strip_tabs, redirection in self.pending_heredocs:
            body: list[str] = []
            while lines_start < len(self.text):
                end = self.text.find("\n", lines_start)
                line_end = len(self.text) if end < 0 else end
                line = self.text[lines_start:line_end]
                lines_start = line_end + 1
                if (line.lstrip("\t") if strip_tabs else line).strip() == delimiter:
                    break
                body.append(line.lstrip("\t") if strip_tabs else line)
            redirection.body = "".join(line + "\n" for line in body)
        self.pending_heredocs.clear()
        self.i = min(max(self.i, lines_start), len(self.text))

    def _operator(self) -> str | None:
        for operator in ("&&", "||", ";;", "|&", ";", "|", "(", ")"):
            if self.text.startswith(operator, self.i):
                self.i += len(operator)
                return operator
        if self.text[self.i] == "&" and self.text[self.i + 1 : self.i + 2] != ">":
            self.i += 1
            return "&"
        return None

    def _redirection(self) -> bool:
        match = _REDIRECTION.match(self.text, self.i)
        if not match or not re.search(r"[<>]", match.group()):
            return False
        operator = match.group()
        self.i = match.end()
        redirection = Redirection(operator, None)
        self.redirections.append((self.segment, redirection))
        if operator.endswith(("<<", "<<-")) and not operator.endswith("<<<"):
            heredoc = _HEREDOC_WORD.match(self.text, self.i)
            if heredoc:
                redirection.target = heredoc.group(2)
                self.pending_heredocs.append((heredoc.group(2), operator.endswith("-"), redirection))
                self.i = heredoc.end()
            return True
        if re.search(r"&-?\d*$", operator) and operator[-1:] != "&":
            return True
        while self.i < len(self.text) and self.text[self.i] in " \t":
            self.i += 1
        if self.i < len(self.text) and self.text[self.i] not in "\n;&|()":
            redirection.target = self._word().text
        return True

    def _arithmetic_word(self) -> Word:
        start = self.i
        self.i = _balanced_end(self.text, self.i, "(", ")")
        raw = self.text[start : self.i]
        return Word(raw, raw, self.base + start, self.base + self.i)

    def _word(self) -> Word:
        text = self.text
        start = self.i
        value: list[str] = []
        while self.i < len(text):
            char = text[self.i]
            if char in " \t\r\n;|()" or (char == "&" and not text.startswith("&>", self.i)):
                break
            if char in "<>" and value == [] and self.i == start:
                break
            if char == "'":
                end = text.find("'", self.i + 1)
                end = len(text) if end < 0 else end
                value.append(text[self.i + 1 : end])
                self.i = end + 1
            elif char == '"':
                end = _double_quote_end(text, self.i)
                value.append(_unescape_double(text[self.i + 1 : end]))
                self.i = end + 1
            elif char == "`":
                end = text.find("`", self.i + 1)
                end = len(text) if end < 0 else end
                value.append(text[self.i : end + 1])
                self.i = end + 1
            elif char == "$" and text[self.i + 1 : self.i + 2] in ("(", "{"):
                opener = text[self.i + 1]
                end = _balanced_end(text, self.i + 1, opener, ")" if opener == "(" else "}")
                value.append(text[self.i : end])
                self.i = end
            elif char == "\\" and self.i + 1 < len(text):
                if text[self.i + 1] != "\n":
                    value.append(text[self.i + 1])
                self.i += 2
            else:
                value.append(char)
                self.i += 1
        if self.i == start:
            self.i += 1
            return Word(text[start], text[start], self.base + start, self.base + self.i)
        self.i = min(self.i, len(text))
        return Word("".join(value), text[start : self.i], self.base + start, self.base + self.i)


def _double_quote_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i
        elif text.startswith("$(", i):
            i = _balanced_end(text, i + 1, "(", ")")
        else:
            i += 1
    return len(text)


def _unescape_double(body: str) -> str:
    return re.sub(r'\\([\\"$`])', r"\1", body)


def _balanced_end(text: str, start: int, opener: str, closer: str) -> int:
    """Index just past the ``closer`` matching the ``opener`` at ``start`` (quotes respected)."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char in "'\"":
            end = text.find(char, i + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if char == "\\":
            i += 2
            continue
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)
