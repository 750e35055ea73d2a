"""Replaying recorded sessions through the guard's hooks (Claude Code and Codex shapes).

Bar: every spiral of the demo corpus and of both held-out rounds is stopped at its third raise
or earlier; no legitimate-wait session is stopped once. The truth files were written without
the guard (``sample_sessions/EXPECTED.json``, ``tests/heldout*/truth.json``).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.guard import hook
from ingest.guard.contracts import parse_hook_input
from ingest.guard.replay import replay
from tests.conftest import REPO, TESTS  # noqa: F401

ROOT = REPO
SAMPLES = ROOT / "sample_sessions"
HELDOUT = ROOT / "tests" / "heldout"
EXPECTED = json.loads((SAMPLES / "EXPECTED.json").read_text())


def _heldout2_corpus(tmp_path_factory) -> tuple[dict, Path]:
    spec = importlib.util.spec_from_file_location("build_heldout2", ROOT / "tests" / "heldout2" / "build_heldout2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("guard-heldout2")
    return module.build(out / "corpus"), out / "corpus"


@pytest.fixture(scope="module")
def heldout2(tmp_path_factory):
    return _heldout2_corpus(tmp_path_factory)


def _find(root: Path, session_id: str) -> Path:
    found = [p for p in root.rglob(f"*{session_id}*.jsonl") if "subagents" not in p.parts]
    assert found, f"no transcript for {session_id} under {root}"
    return found[0]


def _agent(path: Path) -> str:
    return "codex" if "/.codex/" in str(path) or path.name.startswith("rollout-") else "claude"


def _stopped(path: Path, work: Path) -> list[dict]:
    return [d for d in replay(path, _agent(path), work).decisions if d["event"] == "PreToolUse"]


def _denied_value(decision: dict) -> str:
    return decision["answer"]["hookSpecificOutput"]["permissionDecisionReason"]


def _assert_stopped_by_third(path: Path, values: list[float], work: Path) -> None:
    stops = _stopped(path, work)
    assert stops, f"{path.name}: spiral {values} never stopped"
    first = _denied_value(stops[0])
    assert first.startswith("third raise"), first
    assert stops[0]["answer"]["hookSpecificOutput"]["permissionDecision"] == "deny"


SAMPLE_SPIRALS = [s for s in EXPECTED["spirals"] if s["agent"] in ("claude", "codex")]
HELDOUT_TRUTH = json.loads((HELDOUT / "truth.json").read_text())


@pytest.mark.parametrize("spiral", SAMPLE_SPIRALS, ids=lambda s: s["session_id"][:8])
def test_demo_spirals_are_stopped_by_the_third_raise(spiral, tmp_path):
    _assert_stopped_by_third(SAMPLES / spiral["file"], spiral["values_s"], tmp_path)


@pytest.mark.parametrize(
    "clean",
    [s for s in EXPECTED["clean_wait_sessions"] if s["agent"] in ("claude", "codex")],
    ids=lambda s: s["session_id"][:8],
)
def test_demo_legitimate_waits_are_never_stopped(clean, tmp_path):
    assert _stopped(SAMPLES / clean["file"], tmp_path) == []


@pytest.mark.parametrize("spiral", HELDOUT_TRUTH["spirals"], ids=lambda s: s["session_id"][:8])
def test_heldout_spirals_are_stopped_by_the_third_raise(spiral, tmp_path):
    _assert_stopped_by_third(_find(HELDOUT / "sessions", spiral["session_id"]), spiral["values_s"], tmp_path)


@pytest.mark.parametrize("clean", HELDOUT_TRUTH["non_spirals"], ids=lambda s: s["session_id"][:8])
def test_heldout_legitimate_waits_are_never_stopped(clean, tmp_path):
    assert _stopped(_find(HELDOUT / "sessions", clean["session_id"]), tmp_path) == []


def test_heldout2_spirals_stopped_and_legitimate_waits_left_alone(heldout2, tmp_path):
    truth, corpus = heldout2
    for spiral in truth["spirals"]:
        _assert_stopped_by_third(_find(corpus, spiral["session_id"]), spiral["values_s"], tmp_path / spiral["session"])
    for clean in truth["not_spirals"]:
        assert _stopped(_find(corpus, clean["session_id"]), tmp_path / clean["session"]) == [], clean["kind"]


def test_warn_mode_asks_instead_of_denying(tmp_path):
    spiral = SAMPLE_SPIRALS[0]
    path = SAMPLES / spiral["file"]
    stops = [d for d in replay(path, _agent(path), tmp_path, mode="warn").decisions if d["event"] == "PreToolUse"]
    assert stops and {d["answer"]["hookSpecificOutput"]["permissionDecision"] for d in stops} == {"ask"}


def test_the_reason_quotes_the_staircase_and_the_failed_check(tmp_path):
    spiral = next(s for s in SAMPLE_SPIRALS if s["values_s"][:3] == [5, 10, 20])
    reason = _denied_value(_stopped(SAMPLES / spiral["file"], tmp_path)[0])
    assert "5 s → 10 s → 20 s → 45 s" in reason
    assert spiral["verification_command"].split()[0] in reason
    assert "mechanical hypothesis" in reason


def test_every_decision_is_spooled(tmp_path):
    spiral = SAMPLE_SPIRALS[0]
    result = replay(SAMPLES / spiral["file"], spiral["agent"], tmp_path)
    rows = [json.loads(line) for line in (tmp_path / "state" / "decisions.jsonl").read_text().splitlines()]
    assert len(rows) == len(result.decisions)
    assert {r["rule"] for r in rows} == {"spiral"} and rows[0]["session_id"] == result.session_id


def _cut_after(path: Path, text: str, out: Path) -> Path:
    """The recording as it would stand had the agent ended its turn right after ``text``."""
    lines = path.read_bytes().splitlines(keepends=True)
    needle = json.dumps(text)[1:-1].encode()[:60]
    index = max(i for i, line in enumerate(lines) if needle in line)  # Codex writes the text twice
    out.write_bytes(b"".join(lines[: index + 1]))
    return out


def _stop(path: Path, root: Path, active: bool = False) -> dict | None:
    data = json.dumps(
        {
            "session_id": path.stem,
            "transcript_path": str(path),
            "cwd": "/",
            "hook_event_name": "Stop",
            "stop_hook_active": active,
        }
    ).encode()
    return hook.decide(parse_hook_input(data, "Stop"), _agent(path), root, "block")[0]


EXOTIC = [s for s in EXPECTED["exotic_explanations"] if s["agent"] in ("claude", "codex")]
MUNDANE = [s for s in EXPECTED["explanations_not_exotic"] if s["agent"] in ("claude", "codex")]


@pytest.mark.parametrize("claim", EXOTIC, ids=lambda s: s["category"])
def test_stop_sends_an_exotic_claim_back_once(claim, tmp_path):
    source = SAMPLES / claim["file"]
    cut = _cut_after(source, claim["text"], tmp_path / source.name)
    answer = _stop(cut, tmp_path / "state")
    assert answer and answer["decision"] == "block" and "smallest isolated case" in answer["reason"]
    assert _stop(cut, tmp_path / "state") is None  # once per claim


def test_stop_respects_stop_hook_active(tmp_path):
    source = SAMPLES / EXOTIC[0]["file"]
    cut = _cut_after(source, EXOTIC[0]["text"], tmp_path / source.name)
    assert _stop(cut, tmp_path / "state", active=True) is None


@pytest.mark.parametrize("claim", MUNDANE, ids=lambda s: s["session_id"][:8] + s["ts"][-6:])
def test_stop_leaves_mundane_explanations_alone(claim, tmp_path):
    source = SAMPLES / claim["file"]
    cut = _cut_after(source, claim["text"], tmp_path / source.name)
    assert _stop(cut, tmp_path / "state") is None


def test_malformed_input_fails_open_with_one_stderr_line(tmp_path, capsys):
    out, code = hook.run("PreToolUse", b'{"session_id": "x", "transcript_path": 7, "tool_input": [', root=tmp_path)
    assert (out, code) == ("", 0)
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert "internal error" in (tmp_path / "problems.jsonl").read_text()


def test_huge_input_is_bounded_and_allowed(tmp_path, capsys):
    data = json.dumps({"session_id": "x", "tool_name": "Bash", "tool_input": {"command": "a" * 5_000_000}}).encode()
    assert hook.run("PreToolUse", data, root=tmp_path) == ("", 0)
    assert "bound" in capsys.readouterr().err


def test_a_budgeted_read_loses_no_event(tmp_path, monkeypatch):
    """Reading a backlog a few hundred bytes per call ends with the history of one full read."""
    from ingest.guard import stream

    spiral = next(s for s in SAMPLE_SPIRALS if s["agent"] == "claude")
    path = SAMPLES / spiral["file"]
    whole = stream.new_history()
    stream.advance(whole, path, "claude")
    monkeypatch.setattr(stream, "MAX_READ_BYTES", 300)
    piecewise = stream.new_history()
    reads = 0
    while piecewise["offset"] < path.stat().st_size:
        stream.advance(piecewise, path, "claude")
        reads += 1
        assert reads < 10_000
    assert reads > 5
    assert piecewise["sites"] == whole["sites"] and piecewise["failures"] == whole["failures"]


def test_a_long_transcript_met_late_is_read_from_its_tail(tmp_path, monkeypatch):
    from ingest.guard import stream

    spiral = next(s for s in SAMPLE_SPIRALS if s["agent"] == "claude")
    path = SAMPLES / spiral["file"]
    monkeypatch.setattr(stream, "TAIL_BYTES", path.stat().st_size // 3)
    history = stream.new_history()
    stream.advance(history, path, "claude")
    assert history["offset"] == path.stat().st_size
    whole = stream.new_history()
    monkeypatch.setattr(stream, "TAIL_BYTES", 1 << 40)
    stream.advance(whole, path, "claude")
    assert 0 < history["ord"] < whole["ord"]
