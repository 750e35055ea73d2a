"""Every registered reader keeps the same contract, so a fifth format is one module and its tests.

A reader declares its agent, pricing provider, file suffixes and default folders; its
``sniff`` says how surely it recognizes a file; its ``read`` yields normalized events of its
own agent from a real transcript, advances the context only past complete lines, and turns
garbage into recorded problems instead of raising.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.events import Message, Problem, ReadContext, ToolCall, ToolResult, Usage
from ingest.pricing import route
from ingest.sources import AGENTS, CANDIDATE_SUFFIXES, PROVIDERS, READERS, default_locations, detect_reader
from ingest.sources.base import Recognition, read_head
from tests.conftest import FIXTURES

FIXTURE_FOLDER = {"claude": "claude_code", "codex": "codex", "gemini": "gemini", "aider": "aider"}
EVENT_TYPES = (Message, Usage, ToolCall, ToolResult, Problem)


def real_fixture(agent: str) -> Path:
    folder = FIXTURES / FIXTURE_FOLDER[agent]
    return next(
        path
        for path in sorted(folder.iterdir())
        if path.is_file()
        and path.suffix in READERS[agent].suffixes
        and path.name != "SOURCES.md"
        and not path.name.endswith(".input.history")
    )


def test_every_agent_format_has_a_fixture_folder():
    assert sorted(FIXTURE_FOLDER) == sorted(AGENTS)


@pytest.mark.parametrize("agent", AGENTS)
def test_a_reader_declares_what_the_rest_asks_the_registry(agent, tmp_path):
    reader = READERS[agent]
    assert reader.agent == agent
    assert PROVIDERS[agent] == reader.provider
    assert reader.suffixes and all(s.startswith(".") and s in CANDIDATE_SUFFIXES for s in reader.suffixes)
    assert isinstance(reader.parser_version, int) and isinstance(reader.incremental, bool)
    locations = reader.default_locations(tmp_path, {})
    assert all(isinstance(p, Path) and tmp_path in p.parents for p in locations)
    assert not isinstance(route(agent, "some-model"), str) or "unknown agent" not in route(agent, "some-model")


@pytest.mark.parametrize("agent", AGENTS)
def test_a_reader_recognizes_its_own_real_file_and_no_garbage(agent):
    reader = READERS[agent]
    path = real_fixture(agent)
    assert reader.sniff(path, read_head(path)) >= Recognition.LIKELY
    assert detect_reader(path) is reader
    for garbage in (b"", b"\x00\xff\xfe garbage", b'{"theme": "dark"}\n', b"[1, 2, 3]\n"):
        assert reader.sniff(Path("x" + reader.suffixes[0]), garbage) in (Recognition.NO, False)


@pytest.mark.parametrize("agent", AGENTS)
def test_a_reader_yields_events_of_its_own_agent_from_a_real_file(agent):
    path = real_fixture(agent)
    ctx = ReadContext(str(path))
    events = list(READERS[agent].read(ctx))
    assert events and all(isinstance(event, EVENT_TYPES) for event in events)
    stored = [event for event in events if not isinstance(event, Problem)]
    assert stored, "a real transcript yields more than problems"
    assert {event.ctx.agent for event in stored} == {agent}
    assert 0 < ctx.offset <= path.stat().st_size


@pytest.mark.parametrize("agent", AGENTS)
def test_a_reader_records_bad_bytes_instead_of_raising(agent, tmp_path):
    reader = READERS[agent]
    original = real_fixture(agent).read_bytes()
    broken = tmp_path / ("broken" + reader.suffixes[0])
    broken.write_bytes(original + b"\xff\xfe{not json at all\n")
    events = list(reader.read(ReadContext(str(broken))))
    assert any(isinstance(event, Problem) for event in events), "the bad bytes are a recorded problem"
    if reader.incremental:  # a line format keeps every good line before the bad one
        assert any(not isinstance(event, Problem) for event in events)


def test_default_locations_come_from_the_readers(tmp_path):
    home = tmp_path / "home"
    for agent in AGENTS:
        for path in READERS[agent].default_locations(home, {}):
            path.mkdir(parents=True, exist_ok=True)
    found = default_locations(home=home, environ={})
    assert found and all(path.is_dir() for path in found)
