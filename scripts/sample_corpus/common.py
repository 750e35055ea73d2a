"""Shared building blocks of the demo corpus: ids, clock, repository files, session scripts.

A session is first described as a format-neutral *script* (turns made of model replies; a
reply holds optional thinking, optional text and at most one tool call). Each agent's
writer then renders the same script the way that agent writes its transcripts. Keeping the
story separate from the format means a planted pattern reads identically in every format.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
HEX = "0123456789abcdef"


# --------------------------------------------------------------------------- ids and time


class Ids:
    """Deterministic identifiers shaped like the ones each agent writes."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def uuid7(self, when: datetime) -> str:
        """A UUIDv7 (48-bit millisecond timestamp first), as Codex uses for session ids."""
        millis = int(when.timestamp() * 1000)
        value = (millis << 80) | (0x7 << 76) | (self.rng.getrandbits(12) << 64)
        value |= (0b10 << 62) | self.rng.getrandbits(62)
        return str(uuid.UUID(int=value))

    def msg_id(self) -> str:
        return "msg_01" + self.chars(B62, 22)

    def request_id(self) -> str:
        return "req_011C" + self.chars(B62, 20)

    def tool_use_id(self) -> str:
        return "toolu_01" + self.chars(B62, 22)

    def call_id(self) -> str:
        return "call_" + self.chars(B62, 24)

    def hex(self, n: int) -> str:
        return self.chars(HEX, n)

    def blob(self, n: int, prefix: str = "") -> str:
        """Opaque base64 text (thinking signatures, encrypted reasoning)."""
        raw = bytes(self.rng.getrandbits(8) for _ in range(n))
        return prefix + base64.b64encode(raw).decode()

    def urlsafe_blob(self, n: int, prefix: str = "gAAAAA") -> str:
        raw = bytes(self.rng.getrandbits(8) for _ in range(n))
        return prefix + base64.urlsafe_b64encode(raw).decode()


def utc(text: str) -> datetime:
    """Parse '2026-10-05T09:12:00Z' into an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def iso_ms(when: datetime) -> str:
    """ISO-8601 with milliseconds and Z, the way the JavaScript/Rust agents write it."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class Clock:
    """Session time that only moves forward."""

    def __init__(self, start: datetime, rng: random.Random):
        self.now = start
        self.rng = rng

    def tick(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def jitter(self, low: float, high: float) -> datetime:
        return self.tick(self.rng.uniform(low, high))


def tokens_of(text: str) -> int:
    """Rough token count of a text (about 3.6 characters per token)."""
    return max(1, int(len(text) / 3.6) + 1)


# --------------------------------------------------------------------------- repositories


class Repos:
    """The files of every (repository, branch), evolving as sessions edit them.

    Sessions are rendered in chronological order, so an edit always sees the file as the
    previous session left it. A branch starts as a copy of the repository's main branch.
    """

    def __init__(self, initial: dict[str, dict[str, str]]):
        self.trees: dict[tuple[str, str], dict[str, str]] = {
            (repo, "main"): dict(files) for repo, files in initial.items()
        }

    def tree(self, repo: str, branch: str) -> dict[str, str]:
        key = (repo, branch or "main")
        if key not in self.trees:
            self.trees[key] = dict(self.trees[(repo, "main")])
        return self.trees[key]

    def read(self, repo: str, branch: str, path: str) -> str:
        return self.tree(repo, branch)[path]

    def write(self, repo: str, branch: str, path: str, content: str) -> str | None:
        tree = self.tree(repo, branch)
        before = tree.get(path)
        tree[path] = content
        return before

    def replace(self, repo: str, branch: str, path: str, old: str, new: str) -> str:
        """Apply a string replacement; the old text must occur exactly once. Returns the original file."""
        tree = self.tree(repo, branch)
        original = tree[path]
        count = original.count(old)
        if count != 1:
            raise ValueError(f"{repo}@{branch}:{path}: old text found {count} times: {old[:60]!r}")
        tree[path] = original.replace(old, new)
        return original


# --------------------------------------------------------------------------- session scripts


@dataclass
class Shell:
    command: str
    output: str
    exit_code: int = 0
    duration: float = 1.0
    description: str = ""
    timeout_ms: int | None = None  # the agent's own tool timeout, when it sets one


@dataclass
class Edit:
    """One string replacement in one file (Claude Edit, Gemini replace, one apply_patch hunk)."""

    path: str
    old: str
    new: str


@dataclass
class Patch:
    """Several replacements in one tool call (Codex apply_patch touching 1-2 files)."""

    edits: list[Edit]


@dataclass
class Write:
    path: str
    content: str


@dataclass
class Read:
    path: str


@dataclass
class Task:
    """A Claude Code sub-agent run: its own script, rendered into subagents/agent-<id>.jsonl."""

    description: str
    prompt: str
    report: str
    replies: list[Reply]
    model: str


Tool = Shell | Edit | Patch | Write | Read | Task


@dataclass
class Reply:
    """One model response: [thinking] [text] [one tool call]."""

    think: str | None = None
    text: str | None = None
    tool: Tool | None = None
    tags: list[dict] = field(default_factory=list)  # ground-truth labels for the text


@dataclass
class Turn:
    prompt: str
    replies: list[Reply] = field(default_factory=list)
    pause: float = 60.0  # seconds the user took before sending the prompt


@dataclass
class Session:
    user: str
    agent: str  # claude | codex | gemini | aider
    repo: str
    branch: str
    start: datetime
    model: str
    turns: list[Turn] = field(default_factory=list)
    label: str = ""  # short scenario name, for the README and EXPECTED.json
    version: str = ""
    resume_of: Session | None = None
    options: dict = field(default_factory=dict)
    session_id: str = ""  # filled by the writer
    rel_path: str = ""  # filled by the writer
    end: datetime | None = None  # filled by the writer

    def turn(self, prompt: str, pause: float = 60.0) -> TurnBuilder:
        turn = Turn(prompt, pause=pause)
        self.turns.append(turn)
        return TurnBuilder(turn)


class TurnBuilder:
    """Fluent construction of a turn: text and tool calls group into replies as agents emit them."""

    def __init__(self, turn: Turn):
        self.turn = turn

    def _open(self) -> Reply:
        replies = self.turn.replies
        if not replies or replies[-1].tool is not None:
            replies.append(Reply())
        return replies[-1]

    def think(self, text: str) -> TurnBuilder:
        reply = self._open()
        if reply.think is not None or reply.text is not None:
            self.turn.replies.append(Reply())
            reply = self.turn.replies[-1]
        reply.think = text
        return self

    def say(self, text: str, *tags: dict) -> TurnBuilder:
        reply = self._open()
        if reply.text is not None:
            self.turn.replies.append(Reply())
            reply = self.turn.replies[-1]
        reply.text = text
        reply.tags.extend(tags)
        return self

    def tool(self, tool: Tool) -> TurnBuilder:
        self._open().tool = tool
        return self

    def shell(
        self, command: str, output: str, code: int = 0, dur: float = 1.0, desc: str = "", timeout_ms: int | None = None
    ) -> TurnBuilder:
        return self.tool(Shell(command, output, code, dur, desc, timeout_ms))

    def edit(self, path: str, old: str, new: str) -> TurnBuilder:
        return self.tool(Edit(path, old, new))

    def patch(self, *edits: tuple[str, str, str]) -> TurnBuilder:
        return self.tool(Patch([Edit(*e) for e in edits]))

    def write(self, path: str, content: str) -> TurnBuilder:
        return self.tool(Write(path, content))

    def read(self, path: str) -> TurnBuilder:
        return self.tool(Read(path))


# --------------------------------------------------------------------------- diffs


def hunk_lines(old: str, new: str) -> list[str]:
    """The ' '/'-'/'+' lines turning ``old`` into ``new`` (the body of a patch hunk)."""
    a, b = old.split("\n"), new.split("\n")
    lines: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [" " + x for x in a[i1:i2]]
        else:
            lines += ["-" + x for x in a[i1:i2]]
            lines += ["+" + x for x in b[j1:j2]]
    return lines


def structured_patch(original: str, old: str, new: str) -> list[dict]:
    """Claude Code's toolUseResult.structuredPatch for a replacement (one hunk, 3 lines of context)."""
    start = original[: original.index(old)].count("\n")
    file_lines = original.split("\n")
    before = file_lines[max(0, start - 3) : start]
    old_n = old.count("\n") + 1
    after = file_lines[start + old_n : start + old_n + 3]
    body = [" " + x for x in before] + hunk_lines(old, new) + [" " + x for x in after]
    old_lines = sum(1 for x in body if x[0] in " -")
    new_lines = sum(1 for x in body if x[0] in " +")
    first = start - len(before) + 1
    return [{"oldStart": first, "oldLines": old_lines, "newStart": first, "newLines": new_lines, "lines": body}]


def added_lines(old: str, new: str) -> tuple[int, int]:
    """(lines added, lines removed) by a replacement."""
    body = hunk_lines(old, new)
    return sum(1 for x in body if x[0] == "+"), sum(1 for x in body if x[0] == "-")


def numbered(content: str, arrow: str = "→") -> str:
    """``cat -n`` style listing as Claude Code's Read tool returns it."""
    return "\n".join(f"{i:>6}{arrow}{line}" for i, line in enumerate(content.split("\n"), 1))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- labels


def exotic(category: str, sentence: str) -> dict:
    """An explanation blaming something outside the codebase, with nothing in the output to back it."""
    return {"kind": "exotic", "category": category, "sentence": sentence}


def legit(sentence: str) -> dict:
    """A diagnosis whose cause is visible in the tool output (OOMKilled, HTTP 429, ...)."""
    return {"kind": "legit", "verdict": "legit", "sentence": sentence}


def mundane(sentence: str) -> dict:
    """An ordinary code-level explanation of a failure."""
    return {"kind": "mundane", "verdict": "mundane", "sentence": sentence}


def tabs(text: str) -> str:
    """Go source written with 4-space indents, turned into gofmt's leading tabs."""
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        out.append("\t" * depth + " " * ((len(line) - len(stripped)) % 4) + stripped)
    return "\n".join(out)


def aider_turn(s: Session, prompt: str, text: str, tools: list, commit: str, *tags: dict, pause: float = 60.0):
    """One aider exchange: the model's reply text, its edit blocks, and the commit aider makes."""
    turn = Turn(prompt, pause=pause)
    turn.replies = [Reply(text=text, tags=list(tags))] + [Reply(tool=tool) for tool in tools]
    turn.replies.append(Reply(think=commit))
    s.turns.append(turn)


def aider_command(s: Session, command: str, shell: Shell | None = None, pause: float = 20.0) -> None:
    """A slash command typed into aider: /add (no reply) or /run (its output)."""
    turn = Turn(command, pause=pause)
    if shell is not None:
        turn.replies = [Reply(tool=shell)]
    s.turns.append(turn)
