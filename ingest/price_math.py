"""Per-token prices and the calendars of their changes, as plain numbers: no catalogue needed.

What :mod:`ingest.pricing` reads from genai-prices for a model (when its prices change, the
per-token prices of one span of unchanged prices) is held here as frozen plain data, so a cost
can be computed from it in a process that never imports the catalogue (pydantic, httpx and the
catalogue's data: most of a warm ingest's time). :mod:`ingest.price_book` keeps such data in
the store; both paths compute a cost with the same float operations in the same order, so a
call costs the same bits whichever priced it.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # numpy is imported by the many-rows path only
    import numpy as np

TOKEN_COLUMNS = (
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
)
PER_MILLION = 1_000_000
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
SECONDS_PER_DAY = 86_400
PLAN_PRICES = ("input", "output", "cache_read", "cache_write", "cache_write_5m", "cache_write_1h")
ONE_BY_ONE_ROWS = 500  # up to this many rows, pricing row by row beats importing numpy and pandas
_MAX_COUNT = 2**63  # price_frame holds counts as int64


def plain_row(row: dict) -> bool:
    """True when ``price_frame`` would read the row's values exactly as they are: whole token
    counts within int64 (or None) and a ``datetime`` time (or None)."""
    for column in (*TOKEN_COLUMNS, "reasoning_tokens"):
        value = row.get(column)
        if value is not None and (type(value) is not int or not -_MAX_COUNT <= value < _MAX_COUNT):
            return False
    ts = row.get("ts")
    return ts is None or isinstance(ts, datetime)


def utc_second(ts: datetime) -> int:
    """Whole seconds since 1970 (a naive time is UTC), as ``price_frame`` reads times."""
    moment = ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(seconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


T = TypeVar("T")


def none_if_missing(value: T) -> T | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@dataclass(frozen=True)
class PriceCalendar:
    """When a model's prices change: on dates (new prices from a day on) and at times of
    day (off-peak hours). Between two changes one set of per-token prices applies."""

    change_days: tuple[int, ...]  # days since 1970, ascending
    change_seconds_of_day: tuple[int, ...]  # UTC seconds after midnight, ascending

    def span_of(self, seconds: np.ndarray) -> np.ndarray:
        """A key per instant; instants with equal keys have the same prices."""
        import numpy as np

        days, times = (np.array(values, dtype=np.int64) for values in (self.change_days, self.change_seconds_of_day))
        day_span = np.searchsorted(days, seconds // SECONDS_PER_DAY, side="right")
        time_span = np.searchsorted(times, seconds % SECONDS_PER_DAY, side="right")
        return day_span * (len(self.change_seconds_of_day) + 1) + time_span

    def span_of_second(self, second: int) -> int:
        """``span_of`` for one instant."""
        day_span = bisect.bisect_right(self.change_days, second // SECONDS_PER_DAY)
        time_span = bisect.bisect_right(self.change_seconds_of_day, second % SECONDS_PER_DAY)
        return day_span * (len(self.change_seconds_of_day) + 1) + time_span

    def span_start(self, span: int) -> int:
        """The first instant (seconds since 1970) with the prices of ``span``."""
        day_span, time_span = divmod(int(span), len(self.change_seconds_of_day) + 1)
        day = int(self.change_days[day_span - 1]) if day_span else 0
        second = int(self.change_seconds_of_day[time_span - 1]) if time_span else 0
        return day * SECONDS_PER_DAY + second


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """USD per million tokens: ``base``, or the price of the highest tier whose ``start``
    the request's total input tokens exceed (``tiers`` ascending)."""

    base: float
    tiers: tuple[tuple[int, float], ...] = ()

    def as_data(self) -> list:
        """``[base, [[start, price], ...]]``: JSON that :meth:`from_data` reads back to equal floats."""
        return [self.base, [list(tier) for tier in self.tiers]]

    @classmethod
    def from_data(cls, data: list | None) -> UnitPrice | None:
        if data is None:
            return None
        base, tiers = data
        return cls(float(base), tuple((int(start), float(price)) for start, price in tiers))

    def per_million(self, total_input: np.ndarray) -> np.ndarray | float:
        import numpy as np

        if not self.tiers:
            return self.base
        price = np.full(total_input.shape, self.base)
        for start, tier_price in self.tiers:
            price[total_input > start] = tier_price
        return price

    def per_million_one(self, total_input: float) -> float:
        """``per_million`` for one request."""
        price = self.base
        for start, tier_price in self.tiers:
            if total_input > start:
                price = tier_price
        return price


@dataclass(frozen=True, slots=True)
class PricePlan:
    """One model's prices during one span as per-token prices, in genai-prices' semantics:
    each token is billed at the most specific price the model has (a cache read at the
    cache-read price if there is one, else at the input price)."""

    input: UnitPrice
    output: UnitPrice
    cache_read: UnitPrice | None
    cache_write: UnitPrice | None
    cache_write_5m: UnitPrice | None
    cache_write_1h: UnitPrice | None

    def as_data(self) -> dict:
        """The plan as JSON-ready data (floats survive JSON exactly): read back by :meth:`from_data`."""
        return {name: getattr(self, name).as_data() if getattr(self, name) else None for name in PLAN_PRICES}

    @classmethod
    def from_data(cls, data: dict) -> PricePlan:
        units = {name: UnitPrice.from_data(data.get(name)) for name in PLAN_PRICES}
        input_price, output_price = units.pop("input"), units.pop("output")
        assert input_price is not None and output_price is not None  # a plan always has both
        return cls(input=input_price, output=output_price, **units)

    def tier_starts(self) -> set[int]:
        units = (self.input, self.output, self.cache_read, self.cache_write, self.cache_write_5m, self.cache_write_1h)
        return {start for unit in units if unit for start, _ in unit.tiers}

    def cost(self, input_tokens, output_tokens, cache_read, cache_write_5m, cache_write_1h) -> np.ndarray:
        """USD for arrays of counts in our convention (input excludes cache tokens)."""
        import numpy as np

        input_tokens, output_tokens, cache_read, cache_write_5m, cache_write_1h = (
            np.asarray(values, dtype=np.float64)
            for values in (input_tokens, output_tokens, cache_read, cache_write_5m, cache_write_1h)
        )
        total_input = input_tokens + cache_read + cache_write_5m + cache_write_1h
        writes_without_ttl_price = (0.0 if self.cache_write_5m else cache_write_5m) + (
            0.0 if self.cache_write_1h else cache_write_1h
        )
        at_input_price = total_input.copy()
        cost = output_tokens * self.output.per_million(total_input)
        for unit, tokens in (
            (self.cache_read, cache_read),
            (self.cache_write_5m, cache_write_5m),
            (self.cache_write_1h, cache_write_1h),
            (self.cache_write, writes_without_ttl_price),
        ):
            if unit is not None:
                cost += tokens * unit.per_million(total_input)
                at_input_price -= tokens
        cost += at_input_price * self.input.per_million(total_input)
        return cost / PER_MILLION

    def cost_one(self, input_tokens, output_tokens, cache_read, cache_write_5m, cache_write_1h) -> float:
        """``cost`` for one call: the same float operations in the same order, so the same bits."""
        input_tokens, output_tokens, cache_read, cache_write_5m, cache_write_1h = (
            float(count) for count in (input_tokens, output_tokens, cache_read, cache_write_5m, cache_write_1h)
        )
        total_input = input_tokens + cache_read + cache_write_5m + cache_write_1h
        writes_without_ttl_price = (0.0 if self.cache_write_5m else cache_write_5m) + (
            0.0 if self.cache_write_1h else cache_write_1h
        )
        at_input_price = total_input
        cost = output_tokens * self.output.per_million_one(total_input)
        for unit, tokens in (
            (self.cache_read, cache_read),
            (self.cache_write_5m, cache_write_5m),
            (self.cache_write_1h, cache_write_1h),
            (self.cache_write, writes_without_ttl_price),
        ):
            if unit is not None:
                cost += tokens * unit.per_million_one(total_input)
                at_input_price -= tokens
        cost += at_input_price * self.input.per_million_one(total_input)
        return cost / PER_MILLION
