"""What each API call cost, priced with the genai-prices catalogue.

The store keeps token counts, not money; this module turns them into US dollars with the
prices bundled in the installed ``genai-prices`` package, so a cost can always be traced
to a named, versioned price source (``price_source_version()``). Nothing is fetched.

Conventions:

* Our token counts follow ccusage (``ingest.events.Usage``): ``input_tokens`` excludes
  cache reads and cache writes. genai-prices counts input *including* them, with the
  cache counts as subsets, so each call is priced as ``input = input + cache_read +
  cache_write_5m + cache_write_1h``, ``cache_read``, ``cache_write = 5m + 1h``, ``5m``
  and ``1h``. Every token is thus billed once, at the most specific price the model has.
* 5-minute cache writes are priced at the model's ``cache_write_mtok`` and 1-hour writes
  at its own ``cache_write_1h_mtok`` (genai-prices models both; Anthropic's 1h price is
  2x base input). A model without a cache-write or cache-read price bills those tokens
  at its input price, as genai-prices does.
* Tiered prices (Anthropic's >200k long context, Gemini Pro's >200k prompts) are chosen
  per request from that request's total input tokens, cache included.
* Prices change over time; each call is priced at its own timestamp. Calls without a
  timestamp are priced at today's prices.
* Claude's fast mode (``usage.speed == "fast"``) is priced with the model's fast-mode
  prices. A fast call to a model the catalogue has no fast price for is left unpriced:
  fast mode costs several times the standard price, so the standard price would be wrong.
* A call that cannot be priced gets ``cost_usd=None`` and a ``reason``, never 0. A call
  with no tokens at all costs 0 whatever its model (Claude Code's ``<synthetic>``
  messages, for one).

Provider: Claude Code calls are priced at Anthropic (Bedrock model ids at AWS), Codex at
OpenAI and Gemini CLI at Google. Aider records LiteLLM model names ("anthropic/...",
"gemini/...", "openrouter/...", or a bare "gpt-4o"); these are resolved the way
genai-prices resolves LiteLLM names. Models served locally (``ollama/``,
``lm_studio/``, ...) have no API price: they get ``None`` with a reason rather than a cost.

``price_usage`` prices one call with genai-prices directly (tens of microseconds each).
``price_frame`` prices many: it groups rows by model and by span of unchanged prices,
reads that span's per-token prices once, checks them against genai-prices on probe
usages, and computes the costs of all the span's rows with numpy. Prices the per-token
formula does not reproduce (a per-request fee, say) are priced row by row instead.
``price_usage_rows`` prices the store's usage row dicts: a few hundred one by one with the
same per-token prices and the same float arithmetic (``price_rows``), more through
``price_frame``. A warm ingest that brings a few new calls thus never imports numpy or pandas
(most of a second), and gets the very numbers a cold ingest of the same lines stores.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import genai_prices
from genai_prices import data_snapshot
from genai_prices.types import (
    ModelInfo,
    ModelPrice,
    Provider,
    StartDateConstraint,
    TieredPrices,
    TimeOfDateConstraint,
)

from ingest.price_math import (
    EPOCH_ORDINAL,
    ONE_BY_ONE_ROWS,
    TOKEN_COLUMNS,
    PriceCalendar,
    PricePlan,
    UnitPrice,
    none_if_missing,
    plain_row,
    utc_second,
)
from ingest.sources import PROVIDERS

if TYPE_CHECKING:  # numpy and pandas are imported by the many-rows path only
    import numpy as np
    import pandas as pd

__all__ = (
    "PRICE_SOURCE",
    "TOKEN_COLUMNS",
    "PricePlan",
    "PriceResult",
    "price_frame",
    "price_source_version",
    "price_usage",
    "price_usage_rows",
)

PRICE_SOURCE = f"genai-prices {genai_prices.__version__}"

LITELLM = "litellm"  # genai-prices resolves LiteLLM-style "<provider>/<model>" names itself
LOCAL_RUNTIME_PREFIXES = ("ollama", "ollama_chat", "lm_studio", "llamafile", "hosted_vllm", "vllm", "local")
STANDARD_SPEED = "standard"
BEDROCK_MODEL_ID = re.compile(r"^(?:[a-z]{2,4}\.)?anthropic\.claude")
# Claude Code pointed at another maker's Anthropic-compatible endpoint records that maker's
# model id (glm-4.5, glm-5.1 through Z.ai): priced at the maker's own API, where genai-prices
# lists it under the same name, instead of being looked up (and missed) among Anthropic's.
CLAUDE_CODE_OTHER_MAKERS = (("glm-", "zai"),)  # (model id prefix, genai-prices provider)


@dataclass(frozen=True, slots=True)
class PriceResult:
    """The cost of one call. ``reason`` says why ``cost_usd`` is None (and is None otherwise);
    ``model_ref``/``provider`` name the genai-prices entry that priced it."""

    cost_usd: float | None
    model_ref: str | None = None
    provider: str | None = None
    reason: str | None = None


def price_source_version() -> str:
    """Which prices were used, e.g. ``genai-prices 0.2.3 (bundled data sha256:1a2b3c4d5e6f)``."""
    snapshot = data_snapshot.get_snapshot()
    if snapshot.from_auto_update:
        return f"{PRICE_SOURCE} (data fetched {snapshot.timestamp.isoformat(timespec='seconds')})"
    return f"{PRICE_SOURCE} (bundled data sha256:{_bundled_data_digest()[:12]})"


@functools.cache
def _bundled_data_digest() -> str:
    data_file = importlib.metadata.distribution("genai-prices").locate_file("genai_prices/data.py")
    return hashlib.sha256(Path(str(data_file)).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- one call


def price_usage(
    agent: str,
    model: str | None,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cache_read_tokens: int = 0,
    cache_write_5m_tokens: int = 0,
    cache_write_1h_tokens: int = 0,
    at: datetime | None = None,
    *,
    speed: str | None = None,
) -> PriceResult:
    """Price one API call (token counts in our convention: input excludes cache tokens).

    ``at`` is when the call was made (None: now). ``speed`` is Claude's ``usage.speed``:
    ``"fast"`` selects the model's fast-mode prices; a model without them is not priced.
    """
    counts: tuple[int, ...] = (
        input_tokens,
        output_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        cache_write_1h_tokens,
    )
    counts = tuple(0 if count is None else count for count in counts)
    if any(count < 0 for count in counts):
        return PriceResult(None, reason="negative token count")
    found = find_model(agent, model)
    if not sum(counts):
        return PriceResult(0.0, *_names(found))
    if isinstance(found, str):
        return PriceResult(None, reason=found)
    if unpriced_speed := unknown_speed_reason(found[1], speed):
        return PriceResult(None, *_names(found), unpriced_speed)
    return _price_with(found, counts, at, speed)


def genai_usage(
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int,
    cache_write_5m_tokens: int,
    cache_write_1h_tokens: int,
) -> genai_prices.Usage:
    """Our counts in genai-prices' convention, where input includes every cache token."""
    cache_write_tokens = cache_write_5m_tokens + cache_write_1h_tokens
    return genai_prices.Usage(
        input_tokens=input_tokens + cache_read_tokens + cache_write_tokens,
        output_tokens=output_tokens,
        cache_read_tokens=cache_read_tokens,
        cache_write_tokens=cache_write_tokens,
        cache_write_5m_tokens=cache_write_5m_tokens,
        cache_write_1h_tokens=cache_write_1h_tokens,
    )


def price_context(speed: str | None) -> dict[str, str] | None:
    return None if speed is None or is_standard_speed(speed) else {"speed": speed}


def is_standard_speed(speed: str | None) -> bool:
    return not speed or speed == STANDARD_SPEED


def unknown_speed_reason(model_info: ModelInfo, speed: str | None) -> str | None:
    """Why a call made at a non-standard speed cannot be priced, if the catalogue has no
    price for that speed (fast mode costs a multiple of the standard price)."""
    if is_standard_speed(speed):
        return None
    if any(variant.when.get("speed") == speed for variant in model_info.price_variants or ()):
        return None
    return f"genai-prices has no {speed!r} speed price for {model_info.id!r}"


def has_token_prices(model_price: ModelPrice) -> bool:
    return model_price.input_mtok is not None and model_price.output_mtok is not None


def no_token_prices_reason(model_info: ModelInfo) -> str:
    return f"genai-prices lists {model_info.id!r} without input and output token prices"


def _names(found: tuple[Provider, ModelInfo] | str) -> tuple[str | None, str | None]:
    if isinstance(found, str):
        return None, None
    provider, model_info = found
    return model_info.id, provider.id


# --------------------------------------------------------------------------- model lookup


def find_model(agent: str, model: str | None) -> tuple[Provider, ModelInfo] | str:
    """The genai-prices provider and model for an agent's model name, or why there is none."""
    routed = route(agent, model)
    if isinstance(routed, str):
        return routed
    return lookup_model(*routed)


def route(agent: str, model: str | None) -> tuple[str, str] | str:
    """(genai-prices provider id, model reference) for a call, or why it cannot be priced."""
    if not model or not model.strip():
        return "no model recorded"
    model = model.strip()
    if agent not in PROVIDERS:
        return f"unknown agent {agent!r}"
    provider = PROVIDERS[agent]
    if provider == "anthropic" and BEDROCK_MODEL_ID.match(model.lower()):
        return "aws", model
    if provider == "anthropic":
        maker = next((p for prefix, p in CLAUDE_CODE_OTHER_MAKERS if model.lower().startswith(prefix)), None)
        if maker:
            return maker, model
    if provider is not None:
        return provider, model
    # the model id names its provider, LiteLLM style
    prefix = model.split("/", 1)[0].lower() if "/" in model else None
    if prefix in LOCAL_RUNTIME_PREFIXES:
        return f"{model!r} runs locally ({prefix}): no API price"
    return LITELLM, model


@functools.lru_cache(maxsize=4096)
def lookup_model(provider_id: str, model: str) -> tuple[Provider, ModelInfo] | str:
    try:
        return data_snapshot.get_snapshot().find_provider_model(model, None, provider_id, None)
    except LookupError:
        where = "any provider" if provider_id == LITELLM else provider_id
        return f"genai-prices has no price for {model!r} at {where}"


# --------------------------------------------------------------------------- many calls


def price_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Price every row of ``df``; returns ``cost_usd`` (nullable Float64), ``model_ref``,
    ``provider`` and ``reason``, aligned with ``df.index``.

    ``df`` needs ``agent``, ``model`` and the five ``TOKEN_COLUMNS`` (missing counts are 0);
    ``ts`` (call time, UTC) and ``speed`` are used when present.
    """
    import numpy as np
    import pandas as pd

    n = len(df)
    counts = {column: _count_array(df, column) for column in TOKEN_COLUMNS}
    seconds = _utc_seconds(df.get("ts"), n)
    speeds = df["speed"].to_numpy() if "speed" in df else np.full(n, None, dtype=object)

    out = _FrameResult(n)
    keys = pd.DataFrame({"agent": df["agent"].to_numpy(), "model": df["model"].to_numpy(), "speed": speeds})
    groups = keys.groupby(list(keys), dropna=False, sort=False).indices
    for (agent, model, speed), rows in groups.items():
        model, speed = none_if_missing(model), none_if_missing(speed)
        routed = route(agent, model)
        found = routed if isinstance(routed, str) else lookup_model(*routed)
        out.set_names(rows, *_names(found))
        if isinstance(found, str):
            out.set_unpriced(rows, found)
        elif unpriced_speed := unknown_speed_reason(found[1], speed):
            out.set_unpriced(rows, unpriced_speed)
        else:
            _price_model_rows(out, rows, routed, speed, counts, seconds)
    out.set_zero_cost(np.flatnonzero(sum(counts.values()) == 0))
    negative = np.logical_or.reduce([values < 0 for values in counts.values()])
    out.set_unpriced(np.flatnonzero(negative), "negative token count")
    return out.to_frame(df.index)


def price_usage_rows(rows: list[dict]) -> None:
    """Add ``cost_usd``, ``unpriced_reason``, ``price_source`` and ``cache_savings_usd`` to
    usage row dicts, in place.

    Each dict holds ``agent``, ``model``, ``ts`` (UTC, naive or aware), ``speed`` and the
    ``TOKEN_COLUMNS``, as the store's usage table does. Thinking tokens reported apart from
    the output (``reasoning_in_output`` false, Gemini) are billed at the output price.
    ``cache_savings_usd`` is what the call would have cost with its cache reads billed as
    plain input, minus what it cost: priced here, by the same catalogue, model and date.
    """
    if not rows:
        return
    if len(rows) <= ONE_BY_ONE_ROWS and all(map(plain_row, rows)):
        return _price_rows_one_by_one(rows)
    import pandas as pd

    columns = ("agent", "model", "ts", "speed", *TOKEN_COLUMNS)
    frame = pd.DataFrame({column: [row.get(column) for row in rows] for column in columns})
    frame["output_tokens"] = [
        (row.get("output_tokens") or 0)
        + (0 if row.get("reasoning_in_output", True) else (row.get("reasoning_tokens") or 0))
        for row in rows
    ]
    priced = price_frame(frame)
    costs = priced["cost_usd"].to_numpy(dtype=object, na_value=None)
    reasons = priced["reason"].to_numpy(dtype=object, na_value=None)
    uncached = frame.assign(
        input_tokens=frame["input_tokens"].fillna(0) + frame["cache_read_tokens"].fillna(0), cache_read_tokens=0
    )
    without_cache = price_frame(uncached)["cost_usd"].to_numpy(dtype=object, na_value=None)
    source = price_source_version()
    for row, cost, reason, full in zip(rows, costs, reasons, without_cache):
        row["cost_usd"] = cost
        row["unpriced_reason"] = reason
        row["price_source"] = source
        row["cache_savings_usd"] = None if cost is None or full is None else full - cost


def _price_rows_one_by_one(rows: list[dict]) -> None:
    """``price_usage_rows`` for rows ``plain_row`` accepts, without numpy or pandas."""
    source = price_source_version()
    now = int(datetime.now(UTC).timestamp())
    for row in rows:
        counts = [row.get(column) or 0 for column in TOKEN_COLUMNS]
        if not row.get("reasoning_in_output", True):
            counts[1] += row.get("reasoning_tokens") or 0
        second = now if row.get("ts") is None else utc_second(row["ts"])
        agent, model, speed = row.get("agent"), row.get("model"), row.get("speed")
        cost, reason = price_row(agent, model, speed, tuple(counts), second)
        uncached = (counts[0] + counts[2], counts[1], 0, counts[3], counts[4])
        full, _ = price_row(agent, model, speed, uncached, second)
        row["cost_usd"] = cost
        row["unpriced_reason"] = reason
        row["price_source"] = source
        row["cache_savings_usd"] = None if cost is None or full is None else full - cost


def price_row(
    agent: str | None, model: str | None, speed: str | None, counts: tuple[int, ...], second: int
) -> tuple[float | None, str | None]:
    """The cost and unpriced reason ``price_frame`` gives one row (counts in TOKEN_COLUMNS
    order, the call's time in seconds since 1970), by the same steps in the same order."""
    model, speed = none_if_missing(model), none_if_missing(speed)
    result: tuple[float | None, str | None]
    routed = route(agent, model)  # type: ignore[arg-type]  # price_frame routes a missing agent too
    found = routed if isinstance(routed, str) else lookup_model(*routed)
    if isinstance(found, str):
        result = (None, found)
    elif unpriced_speed := unknown_speed_reason(found[1], speed):
        result = (None, unpriced_speed)
    else:
        assert not isinstance(routed, str)  # a found model was routed
        calendar = price_calendar(*routed)
        at_second = calendar.span_start(calendar.span_of_second(second))
        plan = price_plan(*routed, at_second, speed)
        if isinstance(plan, str):
            result = (None, plan)
        elif plan is None:
            priced = _price_with(found, counts, datetime.fromtimestamp(at_second, UTC), speed)
            result = (priced.cost_usd, priced.reason if priced.cost_usd is None else None)
        else:
            result = (plan.cost_one(*counts), None)
    if sum(counts) == 0:
        result = (0.0, None)
    if any(count < 0 for count in counts):
        result = (None, "negative token count")
    return result


def price_recipe(agent: str | None, model: str | None, speed: str | None, seconds: Iterable[int]) -> dict:
    """What :func:`price_row` reads from the catalogue for one agent, model and speed at the
    instants ``seconds``, as plain data (JSON) for :mod:`ingest.price_book`: why such calls are
    unpriced, or the model's price calendar and, per span start seen, its per-token prices
    (``plan``), why it has none (``reason``), or that only genai-prices itself prices it
    (``catalogue``: the per-token formula did not reproduce it)."""
    model, speed = none_if_missing(model), none_if_missing(speed)
    routed = route(agent, model)  # type: ignore[arg-type]  # price_row routes a missing agent too
    found = routed if isinstance(routed, str) else lookup_model(*routed)
    if isinstance(found, str):
        return {"reason": found}
    if unpriced_speed := unknown_speed_reason(found[1], speed):
        return {"reason": unpriced_speed}
    assert not isinstance(routed, str)  # a found model was routed
    calendar = price_calendar(*routed)
    spans: dict[str, dict] = {}
    for second in seconds:
        at_second = calendar.span_start(calendar.span_of_second(second))
        if str(at_second) in spans:
            continue
        plan = price_plan(*routed, at_second, speed)
        if isinstance(plan, str):
            spans[str(at_second)] = {"reason": plan}
        elif plan is None:
            spans[str(at_second)] = {"catalogue": True}
        else:
            spans[str(at_second)] = {"plan": plan.as_data()}
    return {"days": list(calendar.change_days), "times": list(calendar.change_seconds_of_day), "spans": spans}


def _price_model_rows(out, rows, routed, speed, counts, seconds) -> None:
    """Price one model's rows: one set of per-token prices per span of unchanged prices."""
    import numpy as np

    calendar = price_calendar(*routed)
    spans = calendar.span_of(seconds[rows])
    for span in np.unique(spans):
        span_rows = rows[spans == span]
        at_second = calendar.span_start(span)
        plan = price_plan(*routed, at_second, speed)
        if isinstance(plan, str):
            out.set_unpriced(span_rows, plan)
        elif plan is None:
            at = datetime.fromtimestamp(at_second, UTC)
            for row in span_rows:
                row_counts = tuple(int(counts[column][row]) for column in TOKEN_COLUMNS)
                found = lookup_model(*routed)
                assert not isinstance(found, str)  # the caller prices only rows whose model was found
                out.set_result(row, _price_with(found, row_counts, at, speed))
        else:
            out.set_cost(span_rows, plan.cost(*(counts[column][span_rows] for column in TOKEN_COLUMNS)))


class _FrameResult:
    """Column buffers for ``price_frame``'s result."""

    def __init__(self, n: int) -> None:
        import numpy as np

        self.cost = np.zeros(n, dtype=float)
        self.missing = np.zeros(n, dtype=bool)
        self.model_ref = np.full(n, None, dtype=object)
        self.provider = np.full(n, None, dtype=object)
        self.reason = np.full(n, None, dtype=object)

    def set_names(self, rows: np.ndarray, model_ref: str | None, provider: str | None) -> None:
        self.model_ref[rows] = model_ref
        self.provider[rows] = provider

    def set_cost(self, rows: np.ndarray | list[int], cost: np.ndarray | float) -> None:
        self.cost[rows] = cost
        self.missing[rows] = False
        self.reason[rows] = None

    def set_zero_cost(self, rows: np.ndarray) -> None:
        self.set_cost(rows, 0.0)

    def set_unpriced(self, rows: np.ndarray | list[int], reason: str | None) -> None:
        self.missing[rows] = True
        self.reason[rows] = reason

    def set_result(self, row: int, result: PriceResult) -> None:
        if result.cost_usd is None:
            self.set_unpriced([row], result.reason)
        else:
            self.set_cost([row], result.cost_usd)

    def to_frame(self, index: pd.Index) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                "cost_usd": pd.arrays.FloatingArray(self.cost, self.missing),
                "model_ref": self.model_ref,
                "provider": self.provider,
                "reason": self.reason,
            },
            index=index,
        )


def _count_array(df: pd.DataFrame, column: str) -> np.ndarray:
    import numpy as np
    import pandas as pd

    if column not in df:
        return np.zeros(len(df), dtype=np.int64)
    return pd.to_numeric(df[column], errors="coerce").fillna(0).to_numpy(dtype=np.int64)


def _utc_seconds(ts: pd.Series | None, n: int) -> np.ndarray:
    """Each row's time as whole seconds since 1970 UTC (rows without a time: now)."""
    import numpy as np
    import pandas as pd

    now = int(datetime.now(UTC).timestamp())
    if ts is None:
        return np.full(n, now, dtype=np.int64)
    instants = pd.to_datetime(ts, utc=True, errors="coerce")
    seconds = instants.to_numpy(dtype="datetime64[s]").astype(np.int64)
    seconds[instants.isna().to_numpy()] = now
    return seconds


@functools.lru_cache(maxsize=4096)
def price_calendar(provider_id: str, model: str) -> PriceCalendar:
    found = lookup_model(provider_id, model)
    assert not isinstance(found, str)  # called only for a model lookup_model found
    _, model_info = found
    conditional_prices = model_info.prices if isinstance(model_info.prices, list) else []
    constraints = [price.constraint for price in conditional_prices]
    constraints += [variant.constraint for variant in model_info.price_variants or ()]
    days, seconds = set(), set()
    for constraint in constraints:
        if isinstance(constraint, StartDateConstraint):
            days.add(constraint.start_date.toordinal() - EPOCH_ORDINAL)
        elif isinstance(constraint, TimeOfDateConstraint):
            seconds.add(_utc_second_of_day(constraint.start_time))
            seconds.add(_utc_second_of_day(constraint.end_time))
    return PriceCalendar(tuple(sorted(days)), tuple(sorted(seconds)))


def _utc_second_of_day(moment: time) -> int:
    if moment.tzinfo is not None:
        moment = datetime.combine(date(1970, 1, 2), moment).astimezone(UTC).time()
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _price_with(
    found: tuple[Provider, ModelInfo], counts: tuple[int, ...], at: datetime | None, speed: str | None
) -> PriceResult:
    """Price one call with genai-prices itself."""
    provider, model_info = found
    try:
        calculation = model_info.calc_price(
            genai_usage(*counts), provider, genai_request_timestamp=at, price_context=price_context(speed)
        )
    except ValueError as error:
        return PriceResult(None, model_info.id, provider.id, f"genai-prices refused the usage: {error}")
    if not has_token_prices(calculation.model_price):
        return PriceResult(None, model_info.id, provider.id, no_token_prices_reason(model_info))
    return PriceResult(float(calculation.total_price), model_info.id, provider.id)


# --------------------------------------------------------------------------- per-token prices


@functools.lru_cache(maxsize=4096)
def price_plan(provider_id: str, model: str, at_second: int, speed: str | None) -> PricePlan | str | None:
    """Per-token prices of a routed model (see ``route``) at an instant (seconds since 1970).

    Returns the reason when the model has no token prices, and None when the per-token
    formula does not reproduce genai-prices on probe usages (those rows are then priced
    one by one).
    """
    found = lookup_model(provider_id, model)
    assert not isinstance(found, str)  # called only for a model lookup_model found
    provider, model_info = found
    at = datetime.fromtimestamp(at_second, UTC)
    context = price_context(speed)
    model_price = model_info.calc_price(
        genai_prices.Usage(), provider, genai_request_timestamp=at, price_context=context
    ).model_price
    if not has_token_prices(model_price):
        return no_token_prices_reason(model_info)
    plan = plan_of(model_price)
    for probe in probe_usages(plan.tier_starts()):
        try:
            expected = model_info.calc_price(
                genai_usage(*probe), provider, genai_request_timestamp=at, price_context=context
            ).total_price
        except ValueError:
            return None
        ours = plan.cost_one(*probe)
        if not math.isclose(ours, float(expected), rel_tol=1e-9, abs_tol=1e-15):
            return None
    return plan


def unit_price_of(price: Decimal | TieredPrices | None) -> UnitPrice | None:
    """A catalogue price (a number or tiers) as plain per-million floats."""
    if price is None:
        return None
    if isinstance(price, TieredPrices):
        return UnitPrice(float(price.base), tuple((tier.start, float(tier.price)) for tier in price.tiers))
    return UnitPrice(float(price))


def plan_of(model_price: ModelPrice) -> PricePlan:
    """A catalogue model price as a :class:`PricePlan` (callers check ``has_token_prices`` first)."""
    input_price, output_price = unit_price_of(model_price.input_mtok), unit_price_of(model_price.output_mtok)
    assert input_price is not None and output_price is not None  # callers check has_token_prices first
    return PricePlan(
        input=input_price,
        output=output_price,
        cache_read=unit_price_of(model_price.cache_read_mtok),
        cache_write=unit_price_of(model_price.cache_write_mtok),
        cache_write_5m=unit_price_of(model_price.cache_write_5m_mtok),
        cache_write_1h=unit_price_of(model_price.cache_write_1h_mtok),
    )


def probe_usages(tier_starts: set[int]) -> list[tuple[int, int, int, int, int]]:
    """Usages that pin every per-token price in every tier: for each tier's input total,
    all input as one kind of token (plus some output), and one mix of all kinds."""
    totals = {0, 1000} | tier_starts | {start + 1 for start in tier_starts}
    probes = [(0, 777, 0, 0, 0)]
    for total in sorted(totals - {0}):
        probes += [
            (total, 777, 0, 0, 0),
            (0, 777, total, 0, 0),
            (0, 777, 0, total, 0),
            (0, 777, 0, 0, total),
            (total - total // 2, 777, total // 4, total // 8, total // 2 - total // 4 - total // 8),
        ]
    return probes
