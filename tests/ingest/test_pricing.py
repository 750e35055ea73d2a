"""Pricing API calls with genai-prices: conventions, tiers, unknown models, frame pricing.

Expected costs are written out as tokens x USD-per-million-tokens; each test also checks
that genai-prices still publishes the prices it uses, so a data update shows up here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import genai_prices
import pandas as pd
import pytest
from genai_prices import data_snapshot
from genai_prices.types import TieredPrices
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import pricing
from ingest.pricing import TOKEN_COLUMNS, price_frame, price_source_version, price_usage

FEB_2026 = datetime(2026, 2, 1, 12, tzinfo=UTC)
APR_2026 = datetime(2026, 4, 1, 12, tzinfo=UTC)
M = 1_000_000


def published(provider_id: str, model: str, at: datetime, price_key: str, total_input: int = 0) -> Decimal:
    """The USD-per-million price genai-prices publishes for a request with ``total_input``."""
    _, model_info = data_snapshot.get_snapshot().find_provider_model(model, None, provider_id, None)
    price = getattr(model_info.get_prices(at), price_key)
    if isinstance(price, TieredPrices):
        return next((tier.price for tier in reversed(price.tiers) if total_input > tier.start), price.base)
    return price


def assert_published(provider_id, model, at, prices, total_input=0):
    for price_key, value in prices.items():
        assert published(provider_id, model, at, price_key, total_input) == Decimal(value), price_key


# --------------------------------------------------------------------------- exact costs


def test_claude_call_costs_each_token_kind_at_its_price():
    # claude-sonnet-4-5, USD per million: input 3, output 15, cache read 0.3,
    # 5-minute cache write 3.75, 1-hour cache write 6.
    assert_published(
        "anthropic",
        "claude-sonnet-4-5",
        FEB_2026,
        {
            "input_mtok": "3",
            "output_mtok": "15",
            "cache_read_mtok": "0.3",
            "cache_write_mtok": "3.75",
            "cache_write_1h_mtok": "6",
        },
    )
    result = price_usage("claude", "claude-sonnet-4-5-20250929", 1_000, 2_000, 50_000, 10_000, 4_000, FEB_2026)

    expected = (1_000 * 3 + 2_000 * 15 + 50_000 * 0.3 + 10_000 * 3.75 + 4_000 * 6) / M
    assert result.cost_usd == pytest.approx(expected, rel=1e-12)
    assert (result.model_ref, result.provider, result.reason) == ("claude-sonnet-4-5", "anthropic", None)


def test_codex_call():
    # gpt-5.3-codex, USD per million: input 1.75, cached input 0.175, output 14.
    prices = {"input_mtok": "1.75", "cache_read_mtok": "0.175", "output_mtok": "14"}
    assert_published("openai", "gpt-5.3-codex", FEB_2026, prices)
    result = price_usage("codex", "gpt-5.3-codex", 20_000, 3_000, 180_000, at=FEB_2026)

    assert result.cost_usd == pytest.approx((20_000 * 1.75 + 180_000 * 0.175 + 3_000 * 14) / M, rel=1e-12)


def test_gemini_call():
    # gemini-3-flash-preview, USD per million: input 0.5, cached input 0.05, output 3.
    prices = {"input_mtok": "0.5", "cache_read_mtok": "0.05", "output_mtok": "3"}
    assert_published("google", "gemini-3-flash-preview", FEB_2026, prices)
    result = price_usage("gemini", "gemini-3-flash-preview", 10_000, 1_000, 90_000, at=FEB_2026)

    assert result.cost_usd == pytest.approx((10_000 * 0.5 + 90_000 * 0.05 + 1_000 * 3) / M, rel=1e-12)


def test_one_hour_cache_writes_cost_more_than_five_minute_writes():
    # claude-sonnet-4-5: 5-minute write 3.75 (1.25x input), 1-hour write 6 (2x input 3).
    five_minutes = price_usage("claude", "claude-sonnet-4-5", cache_write_5m_tokens=100_000, at=FEB_2026)
    one_hour = price_usage("claude", "claude-sonnet-4-5", cache_write_1h_tokens=100_000, at=FEB_2026)

    assert five_minutes.cost_usd == pytest.approx(100_000 * 3.75 / M, rel=1e-12)
    assert one_hour.cost_usd == pytest.approx(100_000 * 6 / M, rel=1e-12)


def test_cache_tokens_are_billed_once():
    # Our input_tokens exclude cache tokens; none of them may also be billed as input (3).
    only_cache_reads = price_usage("claude", "claude-sonnet-4-5", cache_read_tokens=100_000, at=FEB_2026)
    every_kind = price_usage("claude", "claude-sonnet-4-5", 1_000, 0, 1_000, 1_000, 1_000, FEB_2026)

    assert only_cache_reads.cost_usd == pytest.approx(100_000 * 0.3 / M, rel=1e-12)
    assert every_kind.cost_usd == pytest.approx(1_000 * (3 + 0.3 + 3.75 + 6) / M, rel=1e-12)


# --------------------------------------------------------------------------- long-context tiers


def test_anthropic_long_context_prices_the_whole_request_above_200k_input():
    # claude-sonnet-4-5 above 200k input tokens (cache included), USD per million:
    # input 6, output 22.5, cache read 0.6, 5-minute write 7.5, 1-hour write 12.
    assert_published(
        "anthropic",
        "claude-sonnet-4-5",
        FEB_2026,
        {
            "input_mtok": "6",
            "output_mtok": "22.5",
            "cache_read_mtok": "0.6",
            "cache_write_mtok": "7.5",
            "cache_write_1h_mtok": "12",
        },
        total_input=250_000,
    )
    long_request = price_usage("claude", "claude-sonnet-4-5", 1_000, 2_000, 240_000, 5_000, 4_000, FEB_2026)

    expected = (1_000 * 6 + 2_000 * 22.5 + 240_000 * 0.6 + 5_000 * 7.5 + 4_000 * 12) / M
    assert long_request.cost_usd == pytest.approx(expected, rel=1e-12)


def test_tier_starts_above_its_threshold():
    at_threshold = price_usage("claude", "claude-sonnet-4-5", 200_000, at=FEB_2026)
    just_above = price_usage("claude", "claude-sonnet-4-5", 200_001, at=FEB_2026)

    assert at_threshold.cost_usd == pytest.approx(200_000 * 3 / M, rel=1e-12)
    assert just_above.cost_usd == pytest.approx(200_001 * 6 / M, rel=1e-12)


def test_gemini_pro_long_prompt_tier():
    # gemini-2.5-pro, USD per million: input 1.25 / 2.5, cached 0.125 / 0.25, output 10 / 15
    # (at most / above 200k prompt tokens, cached included).
    short_prices = {"input_mtok": "1.25", "cache_read_mtok": "0.125", "output_mtok": "10"}
    long_prices = {"input_mtok": "2.5", "cache_read_mtok": "0.25", "output_mtok": "15"}
    assert_published("google", "gemini-2.5-pro", FEB_2026, short_prices)
    assert_published("google", "gemini-2.5-pro", FEB_2026, long_prices, total_input=210_000)
    short = price_usage("gemini", "gemini-2.5-pro", 10_000, 1_000, 140_000, at=FEB_2026)
    long = price_usage("gemini", "gemini-2.5-pro", 10_000, 1_000, 200_000, at=FEB_2026)

    assert short.cost_usd == pytest.approx((10_000 * 1.25 + 140_000 * 0.125 + 1_000 * 10) / M, rel=1e-12)
    assert long.cost_usd == pytest.approx((10_000 * 2.5 + 200_000 * 0.25 + 1_000 * 15) / M, rel=1e-12)


def test_frames_choose_the_tier_per_request():
    frame = usage_frame(
        [
            {"agent": "claude", "model": "claude-sonnet-4-5", "cache_read_tokens": 150_000, "ts": FEB_2026},
            {"agent": "claude", "model": "claude-sonnet-4-5", "cache_read_tokens": 150_000, "ts": FEB_2026},
            {"agent": "claude", "model": "claude-sonnet-4-5", "cache_read_tokens": 300_000, "ts": FEB_2026},
        ]
    )
    costs = price_frame(frame)["cost_usd"].tolist()

    assert costs == pytest.approx([150_000 * 0.3 / M, 150_000 * 0.3 / M, 300_000 * 0.6 / M], rel=1e-12)


def test_prices_are_those_in_force_when_the_call_was_made():
    # claude-opus-4-6 had a >200k tier (input 5 / 10) until 2026-03-13, flat 5 after.
    before = price_usage("claude", "claude-opus-4-6", 300_000, at=FEB_2026)
    after = price_usage("claude", "claude-opus-4-6", 300_000, at=APR_2026)

    assert before.cost_usd == pytest.approx(300_000 * 10 / M, rel=1e-12)
    assert after.cost_usd == pytest.approx(300_000 * 5 / M, rel=1e-12)


# --------------------------------------------------------------------------- what is not priced


@pytest.mark.parametrize(
    ("agent", "model", "reason"),
    [
        ("claude", "claude-imaginary-9", "genai-prices has no price for 'claude-imaginary-9' at anthropic"),
        ("codex", "gpt-oss:20b", "genai-prices has no price for 'gpt-oss:20b' at openai"),
        ("aider", "my-finetune", "genai-prices has no price for 'my-finetune' at any provider"),
        ("aider", "ollama/llama3", "'ollama/llama3' runs locally (ollama): no API price"),
        ("gemini", "gemma-3", "genai-prices lists 'gemma-3' without input and output token prices"),
        ("claude", None, "no model recorded"),
        ("cursor", "gpt-5", "unknown agent 'cursor'"),
    ],
)
def test_a_call_that_cannot_be_priced_has_no_cost_and_a_reason(agent, model, reason):
    result = price_usage(agent, model, 1_000, 100)
    frame = usage_frame([{"agent": agent, "model": model, "input_tokens": 1_000, "output_tokens": 100}])
    priced = price_frame(frame)

    assert (result.cost_usd, result.reason) == (None, reason)
    assert priced["cost_usd"].isna().all()
    assert priced["reason"].tolist() == [reason]


def test_a_call_without_tokens_costs_nothing_whatever_its_model():
    assert price_usage("claude", "<synthetic>").cost_usd == 0.0
    frame = usage_frame([{"agent": "claude", "model": "<synthetic>"}])
    assert price_frame(frame)["cost_usd"].tolist() == [0.0]


def test_negative_counts_are_refused():
    assert price_usage("claude", "claude-sonnet-4-5", -1).reason == "negative token count"
    frame = usage_frame([{"agent": "claude", "model": "claude-sonnet-4-5", "input_tokens": 10, "output_tokens": -5}])
    assert price_frame(frame)["reason"].tolist() == ["negative token count"]


def test_fast_mode_uses_fast_prices_or_stays_unpriced():
    # claude-opus-4-8: standard input 5, fast-mode input 10 (USD per million).
    standard = price_usage("claude", "claude-opus-4-8", 100_000, at=FEB_2026, speed="standard")
    fast = price_usage("claude", "claude-opus-4-8", 100_000, at=FEB_2026, speed="fast")
    fast_without_a_price = price_usage("claude", "claude-opus-4-6", 100_000, at=FEB_2026, speed="fast")

    assert standard.cost_usd == pytest.approx(100_000 * 5 / M, rel=1e-12)
    assert fast.cost_usd == pytest.approx(100_000 * 10 / M, rel=1e-12)
    assert fast_without_a_price.cost_usd is None
    assert fast_without_a_price.reason == "genai-prices has no 'fast' speed price for 'claude-opus-4-6'"


# --------------------------------------------------------------------------- model routing


@pytest.mark.parametrize(
    ("agent", "model", "provider", "model_ref"),
    [
        ("claude", "claude-sonnet-4-5-20250929", "anthropic", "claude-sonnet-4-5"),
        ("claude", "claude-opus-4-20250514", "anthropic", "claude-opus-4-0"),
        (
            "claude",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "aws",
            "regional.anthropic.claude-sonnet-4-5-20250929-v1:0",
        ),
        ("codex", "gpt-5-codex", "openai", "gpt-5"),
        ("codex", "gpt-5.2-codex", "openai", "gpt-5.2"),
        ("gemini", "gemini-3.1-pro-preview", "google", "gemini-3.1-pro-preview"),
        ("aider", "gpt-4o", "openai", "gpt-4o"),
        ("aider", "claude-3-5-sonnet-20241022", "anthropic", "claude-3-5-sonnet"),
        ("aider", "anthropic/claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"),
        ("aider", "gemini/gemini-2.5-pro", "google", "gemini-2.5-pro"),
        ("aider", "openrouter/anthropic/claude-3.5-sonnet", "openrouter", "anthropic/claude-3.5-sonnet"),
        ("aider", "deepseek/deepseek-chat", "deepseek", "deepseek-chat"),
    ],
)
def test_model_names_find_their_price_entry(agent, model, provider, model_ref):
    result = price_usage(agent, model, 1_000, 1_000)

    assert (result.provider, result.model_ref) == (provider, model_ref)
    assert result.cost_usd > 0


# --------------------------------------------------------------------------- frames


def usage_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in TOKEN_COLUMNS:
        frame[column] = frame[column].fillna(0).astype("int64") if column in frame else 0
    return frame


def test_frame_result_is_aligned_and_nullable():
    frame = usage_frame(
        [
            {"agent": "claude", "model": "claude-sonnet-4-5", "input_tokens": 1_000},
            {"agent": "claude", "model": "claude-imaginary-9", "input_tokens": 1_000},
        ]
    )
    frame.index = [10, 20]
    priced = price_frame(frame)

    assert list(priced.columns) == ["cost_usd", "model_ref", "provider", "reason"]
    assert list(priced.index) == [10, 20]
    assert str(priced["cost_usd"].dtype) == "Float64"
    assert priced["cost_usd"].isna().tolist() == [False, True]


def test_a_price_with_a_request_fee_is_priced_call_by_call():
    # perplexity sonar charges per request as well as per token: no per-token formula.
    assert pricing.price_plan("litellm", "perplexity/sonar", 0, None) is None
    frame = usage_frame([{"agent": "aider", "model": "perplexity/sonar", "input_tokens": 1_000, "output_tokens": 10}])
    one_by_one = price_usage("aider", "perplexity/sonar", 1_000, 10)

    assert price_frame(frame)["cost_usd"].tolist() == [one_by_one.cost_usd]


MODELS = [
    ("claude", "claude-sonnet-4-5-20250929"),
    ("claude", "claude-opus-4-6"),
    ("claude", "claude-opus-4-8"),
    ("claude", "claude-imaginary-9"),
    ("codex", "gpt-5.5"),
    ("codex", "gpt-5-codex"),
    ("gemini", "gemini-2.5-pro"),
    ("aider", "deepseek/deepseek-chat"),  # off-peak prices by time of day
    ("aider", "perplexity/sonar"),  # per-request fee
    ("aider", "ollama/llama3"),
]
token_counts = st.one_of(st.just(0), st.integers(0, 2_000), st.integers(0, 400_000))
usage_rows = st.fixed_dictionaries(
    {
        "agent_model": st.sampled_from(MODELS),
        "counts": st.tuples(*[token_counts] * len(TOKEN_COLUMNS)),
        "ts": st.one_of(st.none(), st.datetimes(datetime(2025, 6, 1), datetime(2026, 12, 31), timezones=st.just(UTC))),
        "speed": st.sampled_from([None, "standard", "fast"]),
    }
)


@settings(max_examples=40, deadline=None)
@given(st.lists(usage_rows, min_size=1, max_size=25))
def test_frame_pricing_equals_pricing_each_call(rows):
    frame = pd.DataFrame(
        [
            {
                "agent": row["agent_model"][0],
                "model": row["agent_model"][1],
                "ts": row["ts"],
                "speed": row["speed"],
                **dict(zip(TOKEN_COLUMNS, row["counts"])),
            }
            for row in rows
        ]
    )
    frame["ts"] = pd.to_datetime(frame["ts"], utc=True)
    priced = price_frame(frame)

    for position, row in enumerate(rows):
        at = row["ts"].replace(microsecond=0) if row["ts"] else None
        expected = price_usage(*row["agent_model"], *row["counts"], at, speed=row["speed"])
        cost, reason = priced["cost_usd"].iloc[position], priced["reason"].iloc[position]
        if expected.cost_usd is None:
            assert pd.isna(cost)
        else:
            assert cost == pytest.approx(expected.cost_usd, rel=1e-9, abs=1e-15)
        assert (None if pd.isna(reason) else reason) == expected.reason


def test_price_source_names_the_package_and_its_data():
    assert price_source_version().startswith(f"genai-prices {genai_prices.__version__} (bundled data sha256:")


def test_store_rows_gain_cost_reason_and_source():
    rows = [
        {
            "agent": "claude",
            "model": "claude-sonnet-4-5",
            "ts": datetime(2026, 2, 1, 12),
            "speed": None,
            "input_tokens": 1_000,
            "output_tokens": 100,
            "cache_read_tokens": None,
            "cache_write_5m_tokens": 0,
            "cache_write_1h_tokens": 0,
        },
        {
            "agent": "claude",
            "model": "claude-imaginary-9",
            "ts": None,
            "speed": "standard",
            "input_tokens": 1_000,
            "output_tokens": 0,
            "cache_read_tokens": 0,
            "cache_write_5m_tokens": 0,
            "cache_write_1h_tokens": 0,
        },
    ]
    pricing.price_usage_rows(rows)

    assert rows[0]["cost_usd"] == pytest.approx((1_000 * 3 + 100 * 15) / M, rel=1e-12)
    assert rows[0]["unpriced_reason"] is None
    assert rows[1]["cost_usd"] is None
    assert rows[1]["unpriced_reason"] == "genai-prices has no price for 'claude-imaginary-9' at anthropic"
    assert {row["price_source"] for row in rows} == {price_source_version()}


def test_cache_savings_are_the_cost_with_reads_as_plain_input_minus_the_cost():
    from datetime import datetime

    from ingest.pricing import price_usage, price_usage_rows

    at = datetime(2026, 1, 1)
    row = {
        "agent": "claude",
        "model": "claude-sonnet-4-5-20250929",
        "ts": at,
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_read_tokens": 50_000,
        "cache_write_5m_tokens": 0,
        "cache_write_1h_tokens": 0,
    }
    price_usage_rows([row])
    as_input = price_usage("claude", "claude-sonnet-4-5-20250929", input_tokens=50_010, output_tokens=5, at=at).cost_usd
    assert row["cache_savings_usd"] == pytest.approx(as_input - row["cost_usd"])
    assert row["cache_savings_usd"] > 0
    unknown = dict(row, model="no-such-model-xyz")
    price_usage_rows([unknown])
    assert unknown["cost_usd"] is None and unknown["cache_savings_usd"] is None


def usage_row_dict(row: dict, naive: bool, reasoning: int, reasoning_in_output: bool) -> dict:
    ts = row["ts"]
    return {
        "agent": row["agent_model"][0],
        "model": row["agent_model"][1],
        "ts": ts.replace(tzinfo=None) if ts is not None and naive else ts,
        "speed": row["speed"],
        **dict(zip(TOKEN_COLUMNS, row["counts"])),
        "reasoning_tokens": reasoning,
        "reasoning_in_output": reasoning_in_output,
    }


def priced_both_ways(rows: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """``price_usage_rows`` one by one and through ``price_frame``, as (cost, reason, savings, source)."""
    from ingest.pricing import price_usage_rows

    fields = ("cost_usd", "unpriced_reason", "cache_savings_usd", "price_source")
    one_by_one, framed = [dict(row) for row in rows], [dict(row) for row in rows]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pricing, "ONE_BY_ONE_ROWS", len(rows))
        price_usage_rows(one_by_one)
        patch.setattr(pricing, "ONE_BY_ONE_ROWS", -1)
        price_usage_rows(framed)
    return [tuple(row[f] for f in fields) for row in one_by_one], [tuple(row[f] for f in fields) for row in framed]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(usage_rows, st.booleans(), st.one_of(st.just(0), st.integers(0, 50_000)), st.booleans()),
        min_size=1,
        max_size=25,
    ),
    st.one_of(st.just(0), st.integers(-3, -1)),
)
def test_rows_priced_one_by_one_get_the_bits_frame_pricing_gives(drawn, negative):
    """A warm ingest prices a few rows without numpy; its numbers must be a cold ingest's, to the bit."""
    rows = [usage_row_dict(*item) for item in drawn]
    rows[0]["cache_write_1h_tokens"] = rows[0]["cache_write_1h_tokens"] + negative
    one_by_one, framed = priced_both_ways(rows)
    assert one_by_one == framed


def test_a_few_rows_are_priced_without_numpy_or_pandas(tmp_path):
    """The warm path: pricing a handful of calls in a fresh process imports neither."""
    import subprocess
    import sys

    from tests.conftest import REPO

    code = (
        "import sys; from datetime import datetime; from ingest.pricing import price_usage_rows\n"
        "rows = [dict(agent='claude', model='claude-sonnet-4-5-20250929', ts=datetime(2026, 1, 1), speed=None,"
        " input_tokens=10, output_tokens=5, cache_read_tokens=500, cache_write_5m_tokens=0, cache_write_1h_tokens=0)]\n"
        "price_usage_rows(rows); assert rows[0]['cost_usd'] > 0\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def stored_usage_rows(db) -> list[dict]:
    from ingest.store import open_store

    columns = ("agent", "model", "ts", "speed", *TOKEN_COLUMNS, "reasoning_tokens", "reasoning_in_output")
    with open_store(db) as con:
        found = con.execute(f"SELECT {', '.join(columns)} FROM usage ORDER BY source_path, byte_offset").fetchall()
    return [dict(zip(columns, row)) for row in found]


def test_the_demo_corpus_prices_the_same_one_by_one_and_by_frame(sample_db):
    rows = stored_usage_rows(sample_db)
    assert len(rows) > 100
    one_by_one, framed = priced_both_ways(rows)
    assert one_by_one == framed


@pytest.mark.slow
def test_the_real_transcripts_price_the_same_one_by_one_and_by_frame(tmp_path):
    from ingest.pipeline import ingest_paths
    from ingest.store import open_store
    from tests.conftest import SHARED_SESSIONS

    if not SHARED_SESSIONS.exists():
        pytest.skip(f"{SHARED_SESSIONS} is not present (real transcripts live beside the repository)")
    db = tmp_path / "real.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [SHARED_SESSIONS], "real")
    rows = stored_usage_rows(db)
    assert {row["agent"] for row in rows} >= {"claude", "codex", "gemini", "aider"}
    one_by_one, framed = priced_both_ways(rows)
    assert sum(cost is not None for cost, *_ in framed) > 1000
    assert one_by_one == framed
