"""Reader for Aider chat histories (``.aider.chat.history.md``).

Aider appends one markdown file per project, a session at a time, and never rewrites it,
so the reader is incremental. The file is a series of blocks, each written in one go:

* ``# aider chat started at 2024-08-05 19:33:02`` opens a session. The time is local
  wall-clock time with no zone; it is stored as if it were UTC. Aider records no finer
  times, so every event of a session carries the session's start time.
* ``#### text`` lines are what the user typed (consecutive lines are one input). A
  ``/run``, ``/test`` or ``!`` command is a shell tool call; ``/ask``, ``/code``,
  ``/architect``, ``/context`` and ``/help`` with a question are prompts for the model;
  other ``/commands`` are kept as ``kind="meta"`` user messages.
* ``> text`` is aider's own output. Aider prefixes only the first line of a multi-line
  output with ``>`` and ends the output with two spaces, so a ``>`` line that does not end
  in two spaces continues over the following lines until one does. Recognised outputs:
  ``Tokens: 12k sent, 1.2k cache write, 3k cache hit, 420 received. Cost: …`` (usage of
  the preceding reply; ``cached`` is the older word for cache hit; rounded counts such as
  ``1.6k`` are marked ``estimated``), ``Applied edit to <path>`` (an ``edit`` tool call
  carrying the SEARCH/REPLACE or whole-file text of that path from the reply),
  ``Commit <sha> <message>`` (a ``commit`` tool call), ``Running <cmd>`` (a shell command
  the model suggested), ``Command '<cmd>' exited with status N`` (its exit code), the
  model announcement (``Model:``/``Main model:``/``Models: X with … edit format``) and
  ``Git working dir: <path>`` (the project). Everything else is a system note.
* Any other text is the assistant's reply. A reply that no ``Tokens:`` line follows gets
  an estimated usage: output from the reply's text, input from the prompt it answered.

Aider has no session id, so one is made: ``aider-<start as YYYYMMDDTHHMMSS>-<first 8 hex
of sha1 of the git working dir>``, hashing the file's parent folder name when the session
never names its git working dir (``aider-unknown-…`` for lines before the first header;
``-2``, ``-3``… when two consecutive sessions would get the same id). Since the git
working dir is announced only at the end of a session's banner, the banner's blocks wait
(in the reading state) until it is known, or until the user or assistant first speaks.

Everything the reader needs to carry on — the open block, the session, the reply still
waiting for its usage, a shell command still collecting its output — lives in
``ctx.state`` as plain JSON, so a run resumed at the saved offset yields exactly what a
single pass would. The last block of a file is only known complete when the next one
starts, yet a finished history must not lose its last reply: at the end of the file the
reader emits what it holds back, then rewinds ``ctx`` to just after the last line at which
nothing was pending (no open block, deferred banner, reply awaiting usage or command
awaiting output), so every provisional event lies past the resume offset. The events of that session are provisional:
the store replaces a file's rows from the resume offset on, so the next run re-reads the
session and emits it again, complete.
The prompt_toolkit ``.aider.input.history`` file beside it only repeats the user's input
and is not read.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

from ingest.events import (
    Event,
    Message,
    Position,
    Problem,
    ReadContext,
    SessionContext,
    ToolCall,
    ToolResult,
    Usage,
)
from ingest.sanity import NOT_A_COUNT
from ingest.sources.base import Recognition, iter_complete_lines
from ingest.tokens import estimate_tokens

HEADER = re.compile(r"^# aider chat started at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")
HEAD_HEADER = re.compile(rb"(?m)^# aider chat started at \d{4}-\d\d-\d\d")
MODEL_LINE = re.compile(r"^(?:Main model|Models|Model):\s+(\S+)\s.*\bedit format\b")
GIT_WORKING_DIR = re.compile(r"^Git working dir: (.+?)\s*$")
TOKENS_LINE = re.compile(r"^Tokens: ")
TOKEN_PART = re.compile(r"(\d[\d.,]*)([kKmM]?) (sent|received|cache write|cache hit|cached)\b")
APPLIED_EDIT = re.compile(r"^Applied edit to (.+?)\s*$")
COMMIT = re.compile(r"^Commit ([0-9a-f]{7,40}) (.*)$")
RUNNING = re.compile(r"^Running (.+)$")
EXITED = re.compile(r"^Command '(.*)' exited with status (-?\d+)")
ADD_OUTPUT_PROMPT = re.compile(r"^Add (?:the |command |[\d.]+k tokens of command )?output to the chat\?")
# Aider since 0.5x prints a command's output only to the terminal; the history keeps this line.
ADDED_OUTPUT = re.compile(r"^Added \d+ lines? of output to the chat\.")
# Aider's own checks after an edit: its linter prints "# Fix any errors below, if possible." and
# "## Running: <lint command>" before the errors; the confirmation that follows a failed lint or
# a failed auto-test is the only trace of the test's verdict the history keeps.
LINT_OUTPUT = re.compile(r"^# Fix any errors below, if possible\.")
LINT_COMMAND = re.compile(r"^## Running: (.+?)\s*$", re.MULTILINE)
ATTEMPT_FIX = re.compile(r"^Attempt to fix (lint|test) errors\?")
# What of a lint's errors is kept as the failed lint call's output (each line is also its own
# note, so nothing is lost): the state carried between incremental reads stays small however
# long the lint runs on, and appending stays linear.
LINT_OUTPUT_CHARS = 20_000
SEARCH_MARK = re.compile(r"^<{5,9} SEARCH\s*$")
DIVIDER_MARK = re.compile(r"^={5,9}\s*$")
REPLACE_MARK = re.compile(r"^>{5,9} REPLACE\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})")
OUTPUT_END = re.compile(r"\S  $")

RUN_COMMANDS = frozenset({"/run", "/test"})
PROMPT_COMMANDS = frozenset({"/ask", "/code", "/architect", "/context", "/help"})
UNIT = {"": 1, "k": 1_000, "m": 1_000_000}


class AiderReader:
    agent = "aider"
    provider = None  # Aider's model ids name their provider ("openrouter/…", "gpt-4o")
    suffixes = (".md",)
    parser_version = 4
    incremental = True

    def default_locations(self, home: Path, environ: Mapping[str, str]) -> list[Path]:
        return []  # Aider writes its history into each project, not under the home folder

    def sniff(self, path: Path, head: bytes) -> Recognition:
        return Recognition.CERTAIN if HEAD_HEADER.search(head) else Recognition.NO

    def read(self, ctx: ReadContext) -> Iterator[Event]:
        history = History(ctx.state, ctx.path)
        settled = (ctx.offset, ctx.line_no, json.dumps(ctx.state))
        for pos, raw in iter_complete_lines(ctx):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Problem(pos, f"invalid UTF-8 at byte {error.start} of the line", raw)
                continue
            yield from history.feed(pos, line)
            if history.settled():
                settled = (ctx.offset, ctx.line_no, json.dumps(ctx.state))
        yield from history.finish()
        ctx.offset, ctx.line_no = settled[0], settled[1]
        ctx.state.clear()
        ctx.state.update(json.loads(settled[2]))


class History:
    """The line-by-line state machine; all its memory is the JSON-able ``state`` dict."""

    def __init__(self, state: dict, path: str):
        self.state = state
        self.folder_name = Path(path).parent.name
        self.folder = str(Path(path).parent)
        self.state.setdefault("open", None)
        self.state.setdefault("session", None)
        self.state.setdefault("deferred", [])
        self.state.setdefault("reply", None)
        self.state.setdefault("run", None)
        self.state.setdefault("fix", None)  # a lint's output, until aider asks to fix its errors
        self.state.setdefault("last_id", None)
        self.state.setdefault("id_repeats", 0)
        self._contexts: dict[str, SessionContext] = {}

    # ------------------------------------------------------------ lines into blocks

    def feed(self, pos: Position, line: str) -> Iterator[Event]:
        open_block = self.state["open"]
        if open_block and open_block["type"] == "tool" and not (HEADER.match(line) or is_user_line(line)):
            open_block["lines"].append(line)  # a multi-line output runs until its two closing spaces
            if ends_output(line):
                self.state["open"] = None
                yield from self.guarded(open_block)
            return
        kind = line_kind(line)
        if open_block and (kind != open_block["type"] or kind == "tool"):
            self.state["open"] = None
            yield from self.guarded(open_block)
            open_block = None
        if kind == "header" or (kind == "tool" and (ends_output(line) or is_blank_output(line))):
            yield from self.guarded(new_block(kind, pos, line))
        elif open_block:
            open_block["lines"].append(line)
        elif kind != "text" or line.strip():  # blank lines between blocks open none
            self.state["open"] = new_block(kind, pos, line)

    def settled(self) -> bool:
        """Nothing is held back: every event of the lines read so far has been emitted."""
        state = self.state
        return (
            state["open"] is None
            and not state["deferred"]
            and state["reply"] is None
            and state["run"] is None
            and state.get("fix") is None
        )

    def finish(self) -> Iterator[Event]:
        open_block, self.state["open"] = self.state["open"], None
        if open_block:
            yield from self.guarded(open_block)
        yield from self.finish_session()

    def guarded(self, block: dict) -> Iterator[Event]:
        """Process one block; a block nobody foresaw becomes a Problem, never an exception."""
        try:
            events = list(self.process(block))
        except Exception as error:
            raw = "\n".join(block["lines"]).encode("utf-8", errors="replace")
            events = [Problem(Position(block["line"], block["offset"]), f"could not interpret block: {error!r}", raw)]
        yield from events

    # ------------------------------------------------------------ sessions

    def process(self, block: dict) -> Iterator[Event]:
        if block["type"] == "header":
            yield from self.finish_session()
            self.state["session"] = new_session(header_time(block["lines"][0]))
            self.state["deferred"] = [block]
            return
        if self.state["session"] is None:  # lines before the first header
            self.state["session"] = new_session(None)
        session = self.state["session"]
        if session["id"] is not None:
            yield from self.dispatch(block)
            return
        self.state["deferred"].append(block)
        git_dir = GIT_WORKING_DIR.match(tool_text(block)) if block["type"] == "tool" else None
        if git_dir:
            session["project"] = git_dir.group(1)
        if git_dir or block["type"] != "tool":
            yield from self.settle()

    def finish_session(self) -> Iterator[Event]:
        if self.state["session"] is None:
            return
        yield from self.settle()
        yield from self.close_run()
        yield from self.close_reply()

    def settle(self) -> Iterator[Event]:
        """Name the session now that its git working dir is known (or will never be), then
        replay the blocks that waited for the name."""
        session = self.state["session"]
        if session["id"] is None:
            session["id"] = self.unique_id(session_id(session["start"], session["project"] or self.folder_name))
        deferred, self.state["deferred"] = self.state["deferred"], []
        for block in deferred:
            yield from self.dispatch(block)

    def unique_id(self, base: str) -> str:
        if base == self.state["last_id"]:
            self.state["id_repeats"] += 1
            return f"{base}-{self.state['id_repeats'] + 1}"
        self.state["last_id"], self.state["id_repeats"] = base, 0
        return base

    def context(self) -> SessionContext:
        session = self.state["session"]
        cached = self._contexts.get(session["id"])
        project = session["project"] or self.folder
        if cached is None or cached.project != project:
            cached = SessionContext(agent="aider", session_id=session["id"], project=project)
            self._contexts[session["id"]] = cached
        return cached

    def ts(self) -> datetime | None:
        start = self.state["session"]["start"]
        return datetime.fromisoformat(start) if start else None

    # ------------------------------------------------------------ blocks into events

    def dispatch(self, block: dict) -> Iterator[Event]:
        pos = Position(block["line"], block["offset"])
        if block["type"] == "header":
            yield self.note(pos, 0, "meta", block["lines"][0].lstrip("# ").strip(), "session_start")
        elif block["type"] == "user":
            self.state["fix"] = None  # a lint output aider asked nothing about is no verdict
            yield from self.close_run()
            yield from self.close_reply()
            yield from self.user_events(block, pos)
        elif block["type"] == "text":
            text = text_of(block)
            if text:
                yield from self.close_run()
                yield self.assistant_text(text, pos)
        else:
            yield from self.tool_events(tool_text(block), pos)

    def user_events(self, block: dict, pos: Position) -> Iterator[Event]:
        text = "\n".join(user_line_text(line) for line in block["lines"]).strip("\n")
        words = text.split(None, 1)
        command = words[0].lower() if words else ""
        argument = words[1].strip() if len(words) > 1 else ""
        if command in RUN_COMMANDS or text.startswith("!"):
            shell = text[1:].strip() if text.startswith("!") else argument
            yield self.tool_call(pos, 0, "run", command=shell, input_json=json.dumps({"input": text}))
            self.open_run(pos, awaits_output=True)
            self.state["run"]["test"] = command == "/test"
        elif text.startswith("/") and not (command in PROMPT_COMMANDS and argument):
            yield self.message(pos, 0, "user", "meta", text, "command")
        else:
            self.state["session"]["prompt"] = text
            yield self.message(pos, 0, "user", "text", text, "prompt")

    def open_run(self, pos: Position, awaits_output: bool) -> None:
        """Start collecting a shell command's result: the output aider echoes after a
        user's /run (its output blocks, up to aider's "Add the output to the chat?" prompt)
        and any exit status it reports."""
        self.state["run"] = {
            "call_id": self.call_id(pos),
            "line": pos.line_no,
            "offset": pos.byte_offset,
            "text": None,
            "exit": None,
            "awaits_output": awaits_output,
            "output_at": None,
        }

    def assistant_text(self, text: str, pos: Position) -> Message:
        reply = self.state["reply"]
        uuid = f"{self.state['session']['id']}:L{pos.line_no}"
        if reply is None or reply["usage_done"]:
            reply = self.state["reply"] = {"texts": [], "usage_done": False, "prompt": self.state["session"]["prompt"]}
        reply["texts"].append(text)
        reply.update(line=pos.line_no, offset=pos.byte_offset, uuid=uuid)
        return self.message(pos, 0, "assistant", "text", text, "assistant", uuid=uuid)

    def tool_events(self, text: str, pos: Position) -> Iterator[Event]:
        if not text.strip():
            return  # the empty ">" lines aider prints around interrupts say nothing
        first = text.split("\n", 1)[0]
        run = self.state["run"]
        if TOKENS_LINE.match(first):
            yield self.usage(text, pos)
        elif match := APPLIED_EDIT.match(first):
            yield from self.edit(match.group(1), text, pos)
        elif match := COMMIT.match(first):
            yield self.tool_call(
                pos, 0, "commit", input_json=json.dumps({"sha": match.group(1), "message": match.group(2)})
            )
            yield self.tool_result(pos, 1, self.call_id(pos), text)
        elif match := ATTEMPT_FIX.match(first):
            yield from self.close_run()
            yield from self.check_failed(match.group(1), pos)
            yield self.note(pos, 2, "system", text, "output")
        elif LINT_OUTPUT.match(first):
            self.state["fix"] = {"text": text}
            yield self.note(pos, 0, "system", text, "output")
        elif match := RUNNING.match(first):
            yield from self.close_run()
            yield self.tool_call(pos, 0, "run", command=match.group(1))
            self.open_run(pos, awaits_output=False)
        elif run and (match := EXITED.match(first)):
            run["exit"] = int(match.group(2))
            yield self.note(pos, 0, "system", text, "output")
        elif run and ADD_OUTPUT_PROMPT.match(first):
            run.update(awaits_output=False, collecting=False, asked=True)  # what follows the prompt is an echo
            yield self.note(pos, 0, "system", text, "output")
        elif run and ADDED_OUTPUT.match(first):
            # ``/test`` adds its output without asking only when the command exited non-zero
            if run.get("test") and not run.get("asked"):
                run["failed"] = True
            run.update(awaits_output=False, collecting=False)
            yield self.note(pos, 0, "system", text, "output")
        elif run and run["awaits_output"]:
            run.update(text=text, awaits_output=False, collecting=True, output_at=[pos.line_no, pos.byte_offset])
        elif run and run.get("collecting"):
            run["text"] += "\n" + text  # output written as one ">" line per line of the command's output
        else:
            fix = self.state.get("fix")
            if fix is not None and len(fix["text"]) < LINT_OUTPUT_CHARS:  # a line of the lint's errors
                fix["text"] += "\n" + text
            self.note_settings(first)
            yield self.note(pos, 0, "system", text, "output")

    def check_failed(self, which: str, pos: Position) -> Iterator[Event]:
        """Aider asks "Attempt to fix lint errors?" or "Attempt to fix test errors?" only after
        its lint or test command failed: a failed check (a ``lint`` or ``test`` tool call), with
        the lint's printed errors as its output. The lint command is the one aider names in
        ``## Running:``; the test command is aider's setting, which the history never shows."""
        fix, self.state["fix"] = self.state.get("fix"), None
        output = fix["text"] if fix and which == "lint" else ""
        command = LINT_COMMAND.search(output) if output else None
        call = self.tool_call(
            pos,
            0,
            which,
            command=command.group(1) if command else None,
            input_json=json.dumps({"auto": which}),
        )
        yield call
        result = self.tool_result(pos, 1, call.call_id, output)
        result.is_error = True
        yield result

    def note_settings(self, first: str) -> None:
        session = self.state["session"]
        if match := MODEL_LINE.match(first):
            session["model"] = match.group(1)
        elif match := GIT_WORKING_DIR.match(first):
            session["project"] = match.group(1)

    def usage(self, text: str, pos: Position) -> Usage:
        counts, rounded = parse_tokens_line(text)
        reply = self.state["reply"]
        message_uuid = None
        if reply is not None and not reply["usage_done"]:
            reply["usage_done"] = True
            message_uuid = reply["uuid"]
        return Usage(
            ctx=self.context(),
            pos=pos,
            ts=self.ts(),
            model=self.state["session"]["model"],
            input_tokens=counts.get("sent", 0),
            output_tokens=counts.get("received", 0),
            cache_read_tokens=counts.get("cache hit", 0) + counts.get("cached", 0),
            cache_write_5m_tokens=counts.get("cache write", 0),
            estimated=rounded,
            message_uuid=message_uuid,
        )

    def edit(self, path: str, text: str, pos: Position) -> Iterator[Event]:
        reply = self.state["reply"]
        old_text, new_text = edit_texts("\n\n".join(reply["texts"]) if reply else "", path)
        call = self.tool_call(
            pos, 0, "edit", file_path=path, old_text=old_text, new_text=new_text, input_json=json.dumps({"path": path})
        )
        call.message_uuid = reply["uuid"] if reply else None
        yield call
        yield self.tool_result(pos, 1, call.call_id, text)

    def close_run(self) -> Iterator[Event]:
        run, self.state["run"] = self.state["run"], None
        if run is None:
            return
        if run["output_at"]:
            pos = Position(run["output_at"][0], run["output_at"][1], 0)
        else:
            pos = Position(run["line"], run["offset"], 1)
        exit_code = run["exit"]
        yield ToolResult(
            ctx=self.context(),
            pos=pos,
            ts=self.ts(),
            call_id=run["call_id"],
            text=run["text"],
            is_error=exit_code not in (None, 0) or bool(run.get("failed")),
            exit_code=exit_code,
        )

    def close_reply(self) -> Iterator[Event]:
        """A reply no Tokens line followed: estimate its usage from the texts."""
        reply, self.state["reply"] = self.state["reply"], None
        if reply is None or reply["usage_done"]:
            return
        yield Usage(
            ctx=self.context(),
            pos=Position(reply["line"], reply["offset"], 1),
            ts=self.ts(),
            model=self.state["session"]["model"],
            input_tokens=estimate_tokens(reply.get("prompt") or ""),
            output_tokens=estimate_tokens("\n\n".join(reply["texts"])),
            estimated=True,
            message_uuid=reply["uuid"],
        )

    # ------------------------------------------------------------ event constructors

    def call_id(self, pos: Position) -> str:
        return f"{self.state['session']['id']}:L{pos.line_no}"

    def message(self, pos, seq, role, kind, text, record_type, uuid=None) -> Message:
        model = self.state["session"]["model"] if role == "assistant" else None
        return Message(
            ctx=self.context(),
            pos=Position(pos.line_no, pos.byte_offset, seq),
            ts=self.ts(),
            role=role,
            kind=kind,
            text=text,
            record_type=record_type,
            model=model,
            uuid=uuid,
        )

    def note(self, pos, seq, kind, text, record_type) -> Message:
        return self.message(pos, seq, "system", kind, text, record_type)

    def tool_call(self, pos, seq, name, **fields) -> ToolCall:
        return ToolCall(
            ctx=self.context(),
            pos=Position(pos.line_no, pos.byte_offset, seq),
            ts=self.ts(),
            call_id=self.call_id(pos),
            name=name,
            **fields,
        )

    def tool_result(self, pos, seq, call_id, text) -> ToolResult:
        return ToolResult(
            ctx=self.context(),
            pos=Position(pos.line_no, pos.byte_offset, seq),
            ts=self.ts(),
            call_id=call_id,
            text=text,
        )


# ---------------------------------------------------------------- line and block helpers


def is_user_line(line: str) -> bool:
    """Aider ends every line of the user's input with two spaces; a ``####`` line without
    them is a markdown heading in a reply (or a quoted one inside an edit block)."""
    return line.startswith("#### ") and line.endswith("  ")


def ends_output(line: str) -> bool:
    """Aider strips an output's trailing whitespace, then closes it with two spaces; so the
    last line ends in exactly two spaces after visible text (output lines that merely end
    in whitespace, like an indented blank line, do not end it)."""
    return bool(OUTPUT_END.search(line))


def is_blank_output(line: str) -> bool:
    return line.endswith("  ") and line.rstrip() == ">"


def line_kind(line: str) -> str:
    if HEADER.match(line):
        return "header"
    if is_user_line(line):
        return "user"
    if line == ">" or line.startswith("> "):
        return "tool"
    return "text"


def new_session(start: str | None) -> dict:
    return {"start": start, "model": None, "project": None, "id": None, "prompt": None}


def new_block(kind: str, pos: Position, line: str) -> dict:
    return {"type": kind, "line": pos.line_no, "offset": pos.byte_offset, "lines": [line]}


def user_line_text(line: str) -> str:
    return line[5:].rstrip() if line.startswith("#### ") else ""


def tool_text(block: dict) -> str:
    """The output without its ``>`` prefix and closing two spaces."""
    first, *rest = block["lines"]
    return "\n".join([first[2:] if first.startswith("> ") else first[1:], *rest]).rstrip()


def text_of(block: dict) -> str:
    return "\n".join(block["lines"]).strip("\n").rstrip()


def header_time(line: str) -> str | None:
    match = HEADER.match(line)
    assert match is not None  # called with the first line of a header block, which line_kind found by HEADER
    try:
        return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).isoformat()
    except ValueError:
        return None


def session_id(start: str | None, place: str) -> str:
    digest = hashlib.sha1(place.encode("utf-8")).hexdigest()[:8]
    if start is None:
        return f"aider-unknown-{digest}"
    return f"aider-{datetime.fromisoformat(start).strftime('%Y%m%dT%H%M%S')}-{digest}"


def parse_count(number: str, unit: str) -> tuple[int, bool] | None:
    """``1,234`` -> (1234, exact); ``1.2k`` -> (1200, rounded); ``3M`` -> (3000000, rounded)."""
    try:
        value = float(number.replace(",", "").rstrip("."))
    except ValueError:
        return None
    if not math.isfinite(value):
        return NOT_A_COUNT, False  # hundreds of digits: the usage becomes a problem
    return round(value * UNIT[unit.lower()]), bool(unit)


def parse_tokens_line(text: str) -> tuple[dict[str, int], bool]:
    """Counts by label (sent, received, cache write, cache hit, cached) and whether any was rounded."""
    counts: dict[str, int] = {}
    rounded = False
    for number, unit, label in TOKEN_PART.findall(text.split("Cost:", 1)[0]):
        parsed = parse_count(number, unit)
        if parsed is not None:
            counts[label], was_rounded = parsed
            rounded = rounded or was_rounded
    return counts, rounded


# ---------------------------------------------------------------- edit blocks


def edit_texts(reply: str, path: str) -> tuple[str | None, str | None]:
    """(old, new) text for ``path`` from the reply's SEARCH/REPLACE blocks, or (None, whole
    new content) from a whole-file block; (None, None) when the reply shows neither."""
    blocks = [block for block in search_replace_blocks(reply) if same_path(block[0], path)]
    if blocks:
        return "\n".join(old for _, old, _ in blocks), "\n".join(new for _, _, new in blocks)
    wholes = [content for name, content in whole_file_blocks(reply) if same_path(name, path)]
    if wholes:
        return None, wholes[-1]
    return None, None


def search_replace_blocks(text: str) -> list[tuple[str, str, str]]:
    lines = text.split("\n")
    blocks: list[tuple[str, str, str]] = []
    path = ""
    index = 0
    while index < len(lines):
        if not SEARCH_MARK.match(lines[index]):
            index += 1
            continue
        path = filename_before(lines, index) or path
        divider = next_matching(lines, index + 1, DIVIDER_MARK)
        end = next_matching(lines, divider + 1, REPLACE_MARK)
        if divider >= len(lines) or end >= len(lines):
            break
        blocks.append((path, "\n".join(lines[index + 1 : divider]), "\n".join(lines[divider + 1 : end])))
        index = end + 1
    return blocks


def whole_file_blocks(text: str) -> list[tuple[str, str]]:
    """``path`` on its own line, then a fenced block holding the file's full new content."""
    lines = text.split("\n")
    blocks: list[tuple[str, str]] = []
    for index in range(len(lines) - 1):
        fence = FENCE.match(lines[index + 1])
        name = clean_filename(lines[index])
        if not fence or not looks_like_path(name):
            continue
        close = next((k for k in range(index + 2, len(lines)) if lines[k].strip() == fence.group(1)), None)
        if close is None:
            continue
        body = lines[index + 2 : close]
        if not any(SEARCH_MARK.match(line) for line in body):
            blocks.append((name, "\n".join(body)))
    return blocks


def filename_before(lines: list[str], index: int) -> str | None:
    """Aider names the file on one of the three lines above a SEARCH marker (the fence may
    come before or after it)."""
    for candidate in reversed(lines[max(0, index - 3) : index]):
        if FENCE.match(candidate) and not clean_filename(candidate):
            continue
        name = clean_filename(candidate)
        if name and looks_like_path(name):
            return name
    return None


def clean_filename(line: str) -> str:
    name = FENCE.sub("", line.strip()) if FENCE.match(line.strip()) else line.strip()
    return name.strip().strip("`*#:").strip()


def looks_like_path(name: str) -> bool:
    return bool(name) and " " not in name and not SEARCH_MARK.match(name) and ("." in name or "/" in name)


def next_matching(lines: list[str], start: int, pattern: re.Pattern) -> int:
    return next((k for k in range(start, len(lines)) if pattern.match(lines[k])), len(lines))


def same_path(a: str, b: str) -> bool:
    a, b = a.strip().removeprefix("./"), b.strip().removeprefix("./")
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


READER = AiderReader()
