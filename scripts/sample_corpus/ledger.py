"""What the writers actually wrote, recorded as they write it: the source of EXPECTED.json.

Ground truth is taken from the rendered events (ids, timestamps, line counts) rather than
restated by hand, so EXPECTED.json cannot drift from the transcripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .common import Patch, Session, Write, added_lines, iso_ms

TEST_COMMAND = re.compile(
    r"\b(go test|pytest|jest|npm (run )?test|npx playwright test|make (test|e2e[\w-]*)|alembic upgrade"
    r"|terraform (-chdir=\S+ )?validate)\b|\bkubectl\b[^|;&]*\bwait\b"
)


@dataclass
class EditRecord:
    session_id: str
    agent: str
    user: str
    repo: str
    branch: str
    ts: datetime
    call_id: str
    files: list[str]
    added: int
    removed: int
    after_failed_test: bool


@dataclass
class TextRecord:
    session_id: str
    agent: str
    user: str
    ts: datetime
    text: str
    tag: dict
    after_command: str | None = None  # the latest shell command before the sentence
    after_exit_code: int | None = None


@dataclass
class SessionRecord:
    session: Session
    models: list[str] = field(default_factory=list)
    subagent_files: list[str] = field(default_factory=list)


class Ledger:
    """Collects sessions, file edits and labelled assistant sentences while writers render."""

    def __init__(self) -> None:
        self.sessions: list[SessionRecord] = []
        self.edits: list[EditRecord] = []
        self.texts: list[TextRecord] = []
        self._last_shell: dict[str, tuple[str, int]] = {}
        self.runs: dict[str, list[tuple[datetime, str, int]]] = {}
        self._last_exit: dict[str, tuple[str, int]] = {}

    def add_session(self, session: Session, models: list[str], subagent_files: list[str] | None = None) -> None:
        self.sessions.append(SessionRecord(session, sorted(set(models)), subagent_files or []))

    def shell(self, session: Session, ts: datetime, command: str, exit_code: int) -> None:
        """Remember the session's last command and its verification commands (tests, kubectl wait)."""
        self._last_exit[session.session_id] = (command, exit_code)
        if TEST_COMMAND.search(command):
            self._last_shell[session.session_id] = (command, exit_code)
            self.runs.setdefault(session.session_id, []).append((ts, command, exit_code))

    def last_test_failed(self, session: Session) -> bool:
        """True when the latest verification run in the session, before now, failed."""
        _, code = self._last_shell.get(session.session_id, ("", 0))
        return code != 0

    def edit(self, session: Session, ts: datetime, call_id: str, tool) -> None:
        if isinstance(tool, Write):
            files, added, removed = [tool.path], tool.content.rstrip("\n").count("\n") + 1, 0
        else:
            edits = tool.edits if isinstance(tool, Patch) else [tool]
            files = sorted({e.path for e in edits})
            counts = [added_lines(e.old, e.new) for e in edits]
            added, removed = sum(a for a, _ in counts), sum(r for _, r in counts)
        self.edits.append(
            EditRecord(
                session.session_id,
                session.agent,
                session.user,
                session.repo,
                session.branch,
                ts,
                call_id,
                files,
                added,
                removed,
                self.last_test_failed(session),
            )
        )

    def text(self, session: Session, ts: datetime, text: str, tags: list[dict]) -> None:
        for tag in tags:
            sentence = tag.get("sentence", text)
            if sentence not in text:
                raise ValueError(f"labelled sentence not in text: {sentence!r}")
            command, code = self._last_exit.get(session.session_id, (None, None))
            self.texts.append(
                TextRecord(session.session_id, session.agent, session.user, ts, sentence, tag, command, code)
            )

    def iso(self, when: datetime) -> str:
        return iso_ms(when)
