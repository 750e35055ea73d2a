"""Structural checks of the bundled demo corpus sample_sessions/.

These tests do not run dashcam's detectors. They check that the corpus is what its
generator says it is: reproducible byte for byte, untouched by hand, shaped like the files
each agent really writes, inside the advertised weeks, and consistent with EXPECTED.json.
"""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample_sessions"
GENERATOR = ROOT / "scripts" / "build_sample_sessions.py"
HAND_WRITTEN = {"README.md"}
FIRST = datetime(2026, 10, 5, tzinfo=UTC)  # Monday of 2026-W41
END = datetime(2026, 11, 23, tzinfo=UTC)  # day after Sunday of 2026-W47
MAX_BYTES = 4_000_000

CLAUDE_COMMON = {
    "parentUuid",
    "isSidechain",
    "userType",
    "cwd",
    "sessionId",
    "version",
    "gitBranch",
    "type",
    "uuid",
    "timestamp",
}
CLAUDE_USAGE = {
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "cache_creation",
}


# --------------------------------------------------------------------------- helpers


def load_generator():
    spec = importlib.util.spec_from_file_location("build_sample_sessions", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tree(folder: Path) -> dict[str, bytes]:
    """Every generated file under ``folder`` (relative path -> bytes), hand-written files left out."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in HAND_WRITTEN
    }


def corpus_files(pattern: str) -> list[Path]:
    return sorted(p for p in CORPUS.rglob(pattern) if p.is_file())


def claude_files() -> list[Path]:
    return [p for p in corpus_files("*.jsonl") if "/.claude/projects/" in p.as_posix()]


def codex_files() -> list[Path]:
    return [p for p in corpus_files("*.jsonl") if "/.codex/sessions/" in p.as_posix()]


def gemini_files() -> list[Path]:
    return [p for p in corpus_files("session-*.json") if "/.gemini/tmp/" in p.as_posix()]


def aider_files() -> list[Path]:
    return corpus_files(".aider.chat.history.md")


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def parse_ts(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text[:-1] + "+00:00")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((CORPUS / "EXPECTED.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fresh")
    load_generator().build(out)
    return out


# --------------------------------------------------------------------------- reproducibility


def test_generator_is_deterministic(fresh, tmp_path):
    load_generator().build(tmp_path)
    assert tree(tmp_path) == tree(fresh)


def test_committed_corpus_equals_a_fresh_generation(fresh):
    committed, generated = tree(CORPUS), tree(fresh)
    assert sorted(committed) == sorted(generated), "files differ: rerun scripts/build_sample_sessions.py"
    changed = [path for path in committed if committed[path] != generated[path]]
    assert not changed, f"edited by hand or generator changed without regenerating: {changed[:5]}"


def test_build_keeps_the_readme(tmp_path):
    (tmp_path / "README.md").write_text("keep me\n")
    (tmp_path / "stale.jsonl").write_text("{}\n")
    load_generator().build(tmp_path)
    assert (tmp_path / "README.md").read_text() == "keep me\n"
    assert not (tmp_path / "stale.jsonl").exists()


def test_corpus_size_and_readme():
    size = sum(len(data) for data in tree(CORPUS).values())
    assert 200_000 < size < MAX_BYTES
    assert (CORPUS / "README.md").is_file()


# --------------------------------------------------------------------------- formats


def test_every_jsonl_line_is_a_json_object():
    files = corpus_files("*.jsonl")
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n"), path
        for number, line in enumerate(text.splitlines(), 1):
            assert isinstance(json.loads(line), dict), f"{path}:{number}"


def test_claude_lines_have_the_fields_claude_code_writes():
    for path in claude_files():
        tool_uses: set[str] = set()
        for number, obj in enumerate(records(path), 1):
            where = f"{path.name}:{number}"
            if obj["type"] == "file-history-snapshot":
                assert {"messageId", "snapshot", "isSnapshotUpdate"} <= obj.keys(), where
                continue
            assert obj.keys() >= CLAUDE_COMMON, where
            if obj["type"] == "assistant":
                message = obj["message"]
                assert obj["requestId"].startswith("req_"), where
                assert message["id"].startswith("msg_") and message["model"], where
                assert message["usage"].keys() >= CLAUDE_USAGE, where
                assert {"ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"} <= message["usage"][
                    "cache_creation"
                ].keys(), where
                assert len(message["content"]) == 1, where
                block = message["content"][0]
                if block["type"] == "tool_use":
                    tool_uses.add(block["id"])
            elif obj["type"] == "user" and isinstance(obj["message"]["content"], list):
                item = obj["message"]["content"][0]
                assert item["type"] == "tool_result" and item["tool_use_id"] in tool_uses, where
                assert "toolUseResult" in obj and obj["sourceToolAssistantUUID"], where
                if item.get("is_error"):
                    assert re.match(r"Exit code \d+\n", item["content"]), where


def test_claude_responses_split_over_lines_share_ids_and_grow_output_tokens():
    split = 0
    for path in claude_files():
        by_message: dict[tuple[str, str], list[int]] = {}
        for obj in records(path):
            if obj["type"] == "assistant":
                key = (obj["message"]["id"], obj["requestId"])
                by_message.setdefault(key, []).append(obj["message"]["usage"]["output_tokens"])
        for tokens in by_message.values():
            if len(tokens) > 1:
                split += 1
                assert tokens[-1] == max(tokens), path
    assert split >= 10


def test_claude_edits_match_the_file_they_edit():
    edits = 0
    for path in claude_files():
        for obj in records(path):
            result = obj.get("toolUseResult")
            if isinstance(result, dict) and "oldString" in result:
                edits += 1
                assert result["originalFile"].count(result["oldString"]) == 1, path
    assert edits >= 30


def test_claude_subagent_lines_are_sidechains_of_their_parent():
    subagents = [p for p in claude_files() if "/subagents/" in p.as_posix()]
    assert subagents
    for path in subagents:
        parent_id = path.parent.parent.name
        for obj in records(path):
            assert obj["isSidechain"] is True and obj["sessionId"] == parent_id and obj["agentId"], path


def test_codex_rollouts_have_meta_turn_context_and_matched_calls():
    for path in codex_files():
        objs = records(path)
        meta = objs[0]
        assert meta["type"] == "session_meta", path
        assert meta["payload"]["id"] in path.name and meta["payload"]["cwd"], path
        assert {"branch", "commit_hash", "repository_url"} <= meta["payload"]["git"].keys(), path
        assert any(o["type"] == "turn_context" and o["payload"].get("model") for o in objs), path
        calls, outputs = set(), set()
        for obj in objs:
            payload = obj["payload"]
            if payload.get("type") in ("function_call", "custom_tool_call"):
                calls.add(payload["call_id"])
            elif payload.get("type") in ("function_call_output", "custom_tool_call_output"):
                outputs.add(payload["call_id"])
        assert calls == outputs, path
        assert any(o["payload"].get("type") == "token_count" and o["payload"].get("info") for o in objs), path


def test_gemini_sessions_are_single_documents():
    files = gemini_files()
    assert files
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert {"sessionId", "projectHash", "startTime", "lastUpdated", "messages"} <= document.keys(), path
        assert document["sessionId"].startswith(path.stem.rsplit("-", 1)[-1]), path
        for message in document["messages"]:
            assert message["type"] in ("user", "gemini"), path
            if message["type"] == "gemini":
                assert {"input", "output", "cached", "thoughts", "tool", "total"} <= message["tokens"].keys(), path
        assert (path.parent.parent / ".project_root").is_file(), path


def test_aider_histories_have_sessions_and_token_lines():
    files = aider_files()
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.count("# aider chat started at ") >= 2, path
        assert "> Tokens: " in text, path


# --------------------------------------------------------------------------- time


def all_timestamps() -> list[tuple[Path, datetime]]:
    stamps = []
    for path in claude_files():
        stamps += [(path, parse_ts(o["timestamp"])) for o in records(path) if "timestamp" in o]
    for path in codex_files():
        stamps += [(path, parse_ts(o["timestamp"])) for o in records(path)]
    for path in gemini_files():
        document = json.loads(path.read_text(encoding="utf-8"))
        stamps += [(path, parse_ts(document["startTime"])), (path, parse_ts(document["lastUpdated"]))]
        stamps += [(path, parse_ts(m["timestamp"])) for m in document["messages"]]
    for path in aider_files():
        for match in re.finditer(r"^# aider chat started at (\S+ \S+)$", path.read_text(encoding="utf-8"), re.M):
            stamps.append((path, datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)))
    return stamps


def test_timestamps_are_utc_and_within_weeks_41_to_47():
    stamps = all_timestamps()
    assert len(stamps) > 500
    outside = [(p.name, t) for p, t in stamps if not FIRST <= t < END]
    assert not outside, outside[:5]


def test_timestamps_never_go_backwards_within_a_claude_or_codex_file():
    for path in claude_files() + codex_files():
        times = [parse_ts(o["timestamp"]) for o in records(path) if "timestamp" in o and o["type"] != "session_meta"]
        assert times == sorted(times), path


# --------------------------------------------------------------------------- EXPECTED.json


def session_ids_in(path: Path) -> set[str]:
    if path.suffix == ".jsonl" and "/.claude/" in path.as_posix():
        return {o["sessionId"] for o in records(path) if "sessionId" in o}
    if path.suffix == ".jsonl":
        return {records(path)[0]["payload"]["id"]}
    document = json.loads(path.read_text(encoding="utf-8"))
    return {document["sessionId"]}


def test_expected_sessions_exist_in_their_files(expected):
    sessions = expected["sessions"]
    assert 40 <= len(sessions) <= 70
    assert {s["agent"] for s in sessions} == {"claude", "codex", "gemini", "aider"}
    assert {s["iso_week"] for s in sessions} == set(expected["period"]["iso_weeks"])
    for session in sessions:
        path = CORPUS / session["file"]
        assert path.is_file(), session["file"]
        if session["agent"] == "aider":
            started = session["session_id"].split("#", 1)[1]
            assert f"# aider chat started at {started}\n" in path.read_text(encoding="utf-8")
        else:
            assert session["session_id"] in session_ids_in(path), session["file"]


def test_every_id_in_expected_is_a_known_session(expected):
    known = {s["session_id"] for s in expected["sessions"]}
    referenced = [
        x["session_id"]
        for key in ("spirals", "exotic_explanations", "explanations_not_exotic", "clean_wait_sessions")
        for x in expected[key]
    ]
    referenced += [sid for feature in expected["features"] for sid in feature["sessions"]]
    referenced += [p["session_id"] for feature in expected["features"] for p in feature["patches"]]
    assert referenced and set(referenced) <= known


def test_expected_sentences_appear_verbatim_in_their_files(expected):
    for entry in expected["exotic_explanations"] + expected["explanations_not_exotic"]:
        raw = (CORPUS / entry["file"]).read_text(encoding="utf-8")
        escaped = json.dumps(entry["text"], ensure_ascii=False)[1:-1]
        assert entry["text"] in raw or escaped in raw, entry["text"]


def test_expected_planted_patterns_are_all_there(expected):
    outcomes = {s["outcome"] for s in expected["spirals"]}
    assert {"fixed_by_logic", "masked"} <= outcomes
    assert {s["agent"] for s in expected["spirals"]} >= {"claude", "codex"}
    assert {e["agent"] for e in expected["exotic_explanations"]} >= {"claude", "codex"}
    assert any("kernel-level mutex contention" in e["text"] for e in expected["exotic_explanations"])
    assert {e["verdict"] for e in expected["explanations_not_exotic"]} == {"legit", "mundane"}
    assert [f["feature"] for f in expected["features"] if f["cliff"]] == ["pgoperator@feature/backup-restore"]
    assert any(f["feature"] == "billing-api@feature/invoice-pdf" and not f["cliff"] for f in expected["features"])
    assert expected["clean_wait_sessions"] and expected["unknown_models"]
