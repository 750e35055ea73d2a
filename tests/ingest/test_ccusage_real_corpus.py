"""Where dashcam and ccusage differ on the larger real corpus (../shared/real_sessions), and why.

`make crosscheck` over the whole corpus gives equal tokens on every (agent, day, model) row but
four Claude Code rows. On each, the transcript's lines decide: these sessions ran through an
endpoint that writes no ``requestId`` (Bedrock's ``msg_bdrk_`` ids in Open Cowork, Z.ai's GLM
endpoint), and Claude Code wrote each streamed response as one line per content block
(thinking, text, each tool_use), every line repeating the response's usage. ccusage
deduplicates only on ``message.id`` + ``requestId``, so without a request id it counts copies
of the same response again; dashcam counts one response per ``message.id`` (the line with the
most tokens, as with a request id). dashcam is right: the copies are one billed call.

ccusage's rows were recorded by `python scripts/crosscheck.py --record` into
tests/fixtures/ccusage/real_corpus_claude_rows.json. The transcripts are read from ../shared
(most carry no licence that allows copying them here); the tests skip when they are absent.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from dashboard.present.costs import CostFilter, build_cost_report
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from scripts.crosscheck import by_date_model
from tests.conftest import FIXTURES, shared_session

FIELDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens")
USAGE_FIELDS = {
    "inputTokens": "input_tokens",
    "outputTokens": "output_tokens",
    "cacheCreationTokens": "cache_creation_input_tokens",
    "cacheReadTokens": "cache_read_input_tokens",
}
OPEN_COWORK_VLM = "claude_code/open-cowork__.claude__projects__-Users-liuyusen-Desktop---------VLM__04872614-7a20-43c0-8885-83854894eabc"
DIFFERING = {  # (day, model) -> the transcripts holding its lines
    ("2025-09-19", "glm-4.5"): (
        "claude_code/brain-system__.claude__projects__-home-tarive__c8ae53d3-2cb5-48af-8fd5-1fda69913889.jsonl",
    ),
    ("2026-04-12", "glm-5.1"): (
        "claude_code/SinglePTZ-FaceTrack__.claude__projects__-disk-hewenjing-SinglePTZ-FaceTrack__"
        "1636d486-29aa-4fcd-be80-fc5c7a0c74bb.jsonl",
    ),
    ("2026-01-15", "claude-opus-4-5-20251101"): (
        "claude_code/open-cowork__.claude__projects__-Users-liuyusen-Desktop-Agent-App-test-pdfs__"
        "75f4476d-43ad-4f46-bddb-f63736e351a4.jsonl",
    ),
    ("2026-01-15", "claude-sonnet-4-5-20250929"): (
        OPEN_COWORK_VLM + ".jsonl",
        OPEN_COWORK_VLM + "__subagents__agent-a13ad42.jsonl",
    ),
}
# On the Open Cowork opus row ccusage sums every line. On the others it lands between one count
# per response and every line (it drops some copies, not all), so only the bounds are pinned there.
CCUSAGE_SUMS_EVERY_LINE = {("2026-01-15", "claude-opus-4-5-20251101")}


def recorded() -> dict[tuple[str, str], dict]:
    rows = json.loads((FIXTURES / "ccusage" / "real_corpus_claude_rows.json").read_text())["rows"]
    return {(row["date"], row["modelName"]): row for row in rows}


def usage_lines(paths, day: str, model: str) -> list[dict]:
    lines = []
    for path in paths:
        for text in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(text)
            message = record.get("message")
            if (
                isinstance(message, dict)
                and isinstance(message.get("usage"), dict)
                and message.get("model") == model
                and str(record.get("timestamp", "")).startswith(day)
            ):
                lines.append(record)
    return lines


def one_per_response(lines: list[dict]) -> dict[str, int]:
    """Tokens with one line per message.id: the line with the most tokens (the final count)."""
    best: dict[str, dict] = {}
    for record in lines:
        usage = record["message"]["usage"]
        size = sum(usage.get(field) or 0 for field in USAGE_FIELDS.values())
        key = record["message"]["id"]
        if key not in best or size > sum(best[key].get(field) or 0 for field in USAGE_FIELDS.values()):
            best[key] = usage
    return {name: sum(u.get(field) or 0 for u in best.values()) for name, field in USAGE_FIELDS.items()}


def every_line(lines: list[dict]) -> dict[str, int]:
    return {name: sum(r["message"]["usage"].get(field) or 0 for r in lines) for name, field in USAGE_FIELDS.items()}


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> dict[tuple[str, str], dict]:
    paths = sorted({shared_session(p) for files in DIFFERING.values() for p in files})
    with open_store(tmp_path_factory.mktemp("real-corpus") / "db.duckdb") as con:
        ingest_paths(con, paths, "tester")
        return by_date_model(build_cost_report(con, "daily", CostFilter(agent="claude", timezone="UTC")))


@pytest.mark.parametrize("key", sorted(DIFFERING))
def test_the_lines_are_copies_of_one_response_and_dashcam_counts_it_once(key, ours):
    lines = usage_lines([shared_session(p) for p in DIFFERING[key]], *key)
    assert lines and not any(record.get("requestId") for record in lines)  # nothing for ccusage to dedup on
    by_id = defaultdict(list)
    for record in lines:
        by_id[record["message"]["id"]].append(record["message"]["usage"])
    repeated = [usages for usages in by_id.values() if len(usages) > 1]
    assert repeated  # responses written as several lines
    for usages in repeated:  # every copy repeats the same prompt-side usage (placeholders of 0 aside)
        counted = {
            (u.get("input_tokens"), u.get("cache_read_input_tokens"), u.get("cache_creation_input_tokens"))
            for u in usages
            if (u.get("input_tokens") or 0) + (u.get("cache_read_input_tokens") or 0) > 0
        }
        assert len(counted) <= 1, counted
    assert {f: ours[key][f] for f in FIELDS} == one_per_response(lines)


@pytest.mark.parametrize("key", sorted(DIFFERING))
def test_ccusage_counts_the_copies_again(key, ours):
    lines = usage_lines([shared_session(p) for p in DIFFERING[key]], *key)
    theirs, everything = recorded()[key], every_line(lines)
    assert theirs["inputTokens"] + theirs["cacheReadTokens"] > ours[key]["inputTokens"] + ours[key]["cacheReadTokens"]
    for field in FIELDS:
        assert ours[key][field] <= theirs[field] <= everything[field], field
    if key in CCUSAGE_SUMS_EVERY_LINE:
        assert {f: theirs[f] for f in FIELDS} == everything


def test_glm_models_run_through_claude_code_are_priced_at_zai(ours):
    glm = {key: row for key, row in ours.items() if key[1].startswith("glm-")}
    assert glm and all(row["cost"] is not None and row["cost"] > 0 for row in glm.values())


@pytest.mark.parametrize("model, expected", [("glm-4.5", "GLM-4.5"), ("glm-5.1", "GLM-5.1")])
def test_a_glm_model_id_in_claude_code_is_found_at_zai(model, expected):
    from ingest.pricing import find_model

    provider, model_info = find_model("claude", model)
    assert (provider.id, model_info.id) == ("zai", expected)
    unknown = find_model("claude", "glm-0-unreleased")
    assert isinstance(unknown, str) and "no price for 'glm-0-unreleased' at zai" in unknown
