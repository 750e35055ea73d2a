"""Every real transcript is claimed by exactly one reader: the format is known from content alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources import detect_reader, recognitions
from ingest.sources.base import read_head
from tests.conftest import FIXTURES, SHARED_SESSIONS

FOLDER_AGENT = {"claude_code": "claude", "codex": "codex", "gemini": "gemini", "gemini_cli": "gemini", "aider": "aider"}


def transcripts(root: Path) -> list[Path]:
    files = []
    for folder, _agent in FOLDER_AGENT.items():
        files += [
            p
            for p in sorted((root / folder).rglob("*"))
            if p.is_file() and p.name != "SOURCES.md" and not p.name.endswith(".input.history")
        ]
    return files


@pytest.mark.parametrize(
    "path",
    transcripts(FIXTURES) + transcripts(SHARED_SESSIONS),
    ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}",
)
def test_exactly_one_reader_claims_each_real_file(path):
    folder = next(part for part in path.parts if part in FOLDER_AGENT)
    head = read_head(path)
    verdicts = recognitions(path, head)
    claimed = [agent for agent, verdict in verdicts.items() if verdict == max(verdicts.values(), default=None)]
    assert claimed == [FOLDER_AGENT[folder]]
    assert detect_reader(path).agent == FOLDER_AGENT[folder]


@pytest.mark.parametrize(
    "content",
    [
        b'{"theme": "dark"}\n',
        b"# Notes\n\n- item\n",
        b"[1, 2, 3]\n",
        b'{"type": "user"}\n',
        b"\x00\x01\x02binary",
        b"   \n\n",
    ],
)
def test_files_that_are_not_transcripts_are_claimed_by_none(tmp_path, content):
    path = tmp_path / "thing.jsonl"
    path.write_bytes(content)
    assert detect_reader(path) is None


def test_aider_input_history_is_not_a_transcript():
    path = FIXTURES / "aider" / "zen-mcp-server__.aider.input.history"
    assert path.exists() and detect_reader(path) is None
