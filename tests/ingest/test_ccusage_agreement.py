"""`dashcam costs daily --json` agrees with ccusage on the real transcripts in tests/fixtures.

tests/fixtures/ccusage/<agent>_daily.json were recorded with
`python scripts/crosscheck.py --sessions tests/fixtures --record tests/fixtures/ccusage`, i.e.
`npx ccusage@20.0.24 <agent> daily --json --offline --timezone UTC` on the same files laid out
as each agent does. Token counts must be equal per (date, model); the known differences are
pinned below with their reasons.
"""

from __future__ import annotations

import json

import pytest

from dashboard.present.costs import CostFilter, build_cost_report
from ingest.pipeline import ingest_paths
from scripts.crosscheck import by_date_model
from tests.conftest import FIXTURES

AGENT_FIXTURES = {"claude": "claude_code", "codex": "codex", "gemini": "gemini"}
FIELDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens")

# ccusage's default ("auto") mode takes the legacy `costUSD` written in these synthetic lines;
# dashcam always prices tokens with genai-prices.
COST_FROM_TRANSCRIPT = {
    ("claude", "2026-01-09", "claude-sonnet-4-20250514"),
    ("claude", "2026-01-10", "claude-sonnet-4-20250514"),
    ("claude", "2026-01-09", "claude-opus-4-20250514-fast"),
}
# genai-prices has no fast-mode price for this model: dashcam leaves it unpriced (never $0).
UNPRICED = {("claude", "2026-01-09", "claude-opus-4-20250514-fast")}
# ccusage copies Codex's own `total_token_usage.total_tokens`; the synthetic file's total adds
# reasoning on top of output, while real Codex totals (and dashcam) have it inside output.
TOTAL_FROM_TRANSCRIPT = {("codex", "2026-05-13", "gpt-5.2-codex"), ("codex", "2026-05-14", "gpt-5.3-codex")}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from ingest.store import open_store

    out = {}
    for agent, folder in AGENT_FIXTURES.items():
        con = open_store(tmp_path_factory.mktemp(agent) / "db.duckdb")
        ingest_paths(con, [FIXTURES / folder], "tester")
        filters = CostFilter(agent=agent, timezone="UTC", exclude_estimated=True)
        out[agent] = (
            build_cost_report(con, "daily", filters),
            build_cost_report(con, "daily", CostFilter(agent=agent, timezone="UTC")),
        )
        con.close()
    return out


def reference(agent: str) -> dict:
    return json.loads((FIXTURES / "ccusage" / f"{agent}_daily.json").read_text())


@pytest.mark.parametrize("agent", sorted(AGENT_FIXTURES))
def test_token_counts_equal_ccusage_per_day_and_model(agent, reports):
    ours, theirs = by_date_model(reports[agent][0]), by_date_model(reference(agent))
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        assert {f: ours[key][f] for f in FIELDS} == {f: theirs[key][f] for f in FIELDS}, key
        if theirs[key]["totalTokens"] is not None and (agent, *key) not in TOTAL_FROM_TRANSCRIPT:
            assert ours[key]["totalTokens"] == theirs[key]["totalTokens"], key


@pytest.mark.parametrize("agent", sorted(AGENT_FIXTURES))
def test_cost_within_half_a_percent_except_the_pinned_differences(agent, reports):
    ours, theirs = by_date_model(reports[agent][0]), by_date_model(reference(agent))
    for key, ref in theirs.items():
        mine = ours[key]["cost"]
        if (agent, *key) in UNPRICED:
            assert mine is None
        elif (agent, *key) in COST_FROM_TRANSCRIPT:
            assert mine is not None and abs(mine - ref["cost"]) > 0.005 * ref["cost"]
        elif ref["cost"] is not None:
            assert mine == pytest.approx(ref["cost"], rel=0.005), key


def test_pinned_total_differences_are_reasoning_counted_twice_by_the_transcript(reports):
    ours, theirs = by_date_model(reports["codex"][0]), by_date_model(reference("codex"))
    for _agent, day, model in TOTAL_FROM_TRANSCRIPT:
        key = (day, model)
        assert ours[key]["totalTokens"] == sum(ours[key][f] for f in FIELDS)
        assert theirs[key]["totalTokens"] > ours[key]["totalTokens"]
    raw = json.loads(
        (FIXTURES / "codex" / "ccusage__SYNTHETIC__project-alpha__session-alpha.jsonl").read_text().splitlines()[1]
    )["payload"]["info"]["last_token_usage"]
    assert raw["total_tokens"] == raw["input_tokens"] + raw["output_tokens"] + raw["reasoning_output_tokens"]


def test_estimated_tokens_are_the_only_difference_when_included(reports):
    excluded, included = (by_date_model(r) for r in reports["gemini"])
    differing = {key for key in included if included[key]["outputTokens"] != excluded.get(key, {}).get("outputTokens")}
    assert differing == {("2025-10-21", "gemini-2.5-pro")}
    estimated = [m["estimatedTokens"] for d in reports["gemini"][1]["daily"] for m in d["modelBreakdowns"]]
    assert sum(estimated) > 0
