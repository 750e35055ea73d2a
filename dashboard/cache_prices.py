"""Unit prices of input and cache-read tokens, to say what prompt caching saved.

The store keeps each call's total cost, not its parts, so "what caching saved" (cache reads
priced as plain input, minus their actual price) needs each model's two unit prices. They
come from the adapter that priced the calls at ingest (``ingest.pricing``), so the saving
uses the very catalogue, model resolution and price dates that produced the costs.

This is the dashboard's one import from ``ingest/``, kept to this module. If ingest stored
each call's cache-read saving next to its cost, this module would go away.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from ingest.pricing import price_usage

# Below every long-context tier threshold (200k tokens), so the standard price is read.
PROBE_TOKENS = 1_000


@lru_cache(maxsize=4096)
def cache_read_rates(agent: str, model: str, on: date) -> tuple[float, float] | None:
    """(dollars per input token, dollars per cache-read token) for the model on that day."""
    at = datetime.combine(on, time(12))
    as_input = price_usage(agent, model, input_tokens=PROBE_TOKENS, at=at).cost_usd
    as_cache_read = price_usage(agent, model, cache_read_tokens=PROBE_TOKENS, at=at).cost_usd
    if as_input is None or as_cache_read is None:
        return None
    return as_input / PROBE_TOKENS, as_cache_read / PROBE_TOKENS
