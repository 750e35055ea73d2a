"""Prices already read from the catalogue, kept in the store, so a warm ingest needs no catalogue.

Importing genai-prices (pydantic, httpx and the catalogue's data) takes longer than all the rest
of an ingest that brings a few new lines. Yet all :func:`ingest.pricing.price_row` reads from
the catalogue for a call is, per agent, model and speed, a small recipe
(:func:`ingest.pricing.price_recipe`): why such calls are unpriced, or the model's price
calendar and the per-token prices of each span of unchanged prices. The store keeps the recipes
of the calls it priced (table ``price_book``, migration 023) under a stamp of the installed
catalogue and of the pricing code; a batch whose every call has its recipe and span there is
priced from the book, by the same steps and float operations as ``price_row`` (so to the same
bits, price source included). Any other batch is priced by the catalogue as before, and what
that pricing read is learned for the next run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.price_math import (
    ONE_BY_ONE_ROWS,
    TOKEN_COLUMNS,
    PriceCalendar,
    PricePlan,
    none_if_missing,
    plain_row,
    utc_second,
)
from ingest.sources import PROVIDERS
from queries import execute

Key = tuple[str | None, str | None, str | None]  # agent, model, speed (as price_row reads them)
PRICING_CODE = ("price_math.py", "pricing.py", "price_book.py")


class _Missing(Exception):
    """The book lacks the recipe, or the span, a call needs: the catalogue prices the batch."""


@functools.cache
def stamp() -> str:
    """What the book's recipes were read with: the installed catalogue (its version and the size
    and time of its data files) and dashcam's pricing code (its source and the agents' providers).
    Found without importing the catalogue."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in PRICING_CODE:
        digest.update((here / name).read_bytes())
    digest.update(repr(sorted(PROVIDERS.items())).encode())
    spec = importlib.util.find_spec("genai_prices")
    if spec is None or spec.origin is None:
        return "no catalogue"
    digest.update(importlib.metadata.version("genai-prices").encode())
    for name in ("__init__.py", "data.py", "data_snapshot.py"):
        stat = (Path(spec.origin).parent / name).stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class PriceBook:
    """The store's recipes under this :func:`stamp`, read at the first batch to price, and the
    ones learned since, written by :meth:`save`."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.recipes: dict[Key, dict] | None = None
        self.source: str | None = None  # the price source the book's recipes were read from
        self.changed: set[Key] = set()
        self.priced = 0  # usage rows priced from the book in this run

    def _load(self) -> dict[Key, dict]:
        if self.recipes is None:
            self.recipes = {}
            for agent, model, speed, source, recipe in execute(
                self.con, "price_book_entries", stamp=stamp()
            ).fetchall():
                self.recipes[(agent, model, speed)] = json.loads(recipe)
                self.source = source
        return self.recipes

    def price_rows(self, rows: list[dict]) -> bool:
        """Price usage row dicts in place as ``ingest.pricing.price_usage_rows`` would, when the
        book holds every recipe and span they need; False (rows untouched) otherwise."""
        if not rows or len(rows) > ONE_BY_ONE_ROWS or not all(map(plain_row, rows)):
            return False
        recipes = self._load()
        if not recipes or self.source is None:
            return False
        now = int(datetime.now(UTC).timestamp())
        try:
            priced = [self._price_one(recipes, row, now) for row in rows]
        except _Missing:
            return False
        for row, (cost, reason, full) in zip(rows, priced):
            row["cost_usd"] = cost
            row["unpriced_reason"] = reason
            row["price_source"] = self.source
            row["cache_savings_usd"] = None if cost is None or full is None else full - cost
        self.priced += len(rows)
        return True

    @staticmethod
    def _price_one(recipes: dict[Key, dict], row: dict, now: int) -> tuple[float | None, str | None, float | None]:
        """(cost, unpriced reason, cost with the cache reads billed as input) of one row, as
        ``ingest.pricing._price_rows_one_by_one`` computes them."""
        counts = [row.get(column) or 0 for column in TOKEN_COLUMNS]
        if not row.get("reasoning_in_output", True):
            counts[1] += row.get("reasoning_tokens") or 0
        second = now if row.get("ts") is None else utc_second(row["ts"])
        recipe = recipes.get((row.get("agent"), none_if_missing(row.get("model")), none_if_missing(row.get("speed"))))
        cost, reason = _cost(recipe, tuple(counts), second)
        uncached = (counts[0] + counts[2], counts[1], 0, counts[3], counts[4])
        full, _ = _cost(recipe, uncached, second)
        return cost, reason, full

    def learn(self, rows: list[dict]) -> None:
        """Note the recipes of rows the catalogue just priced (``ingest.pricing`` is loaded)."""
        from ingest.pricing import price_recipe, price_source_version

        recipes = self._load()
        source = price_source_version()
        if self.source is not None and self.source != source:
            return  # the book under this stamp was read from other prices: left as it is
        self.source = source
        now = int(datetime.now(UTC).timestamp())
        seconds: dict[Key, set[int]] = {}
        for row in rows:
            ts = row.get("ts")
            if ts is not None and not isinstance(ts, datetime):
                continue
            key = (row.get("agent"), none_if_missing(row.get("model")), none_if_missing(row.get("speed")))
            seconds.setdefault(key, set()).add(now if ts is None else utc_second(ts))
        for key, instants in seconds.items():
            known = recipes.get(key)
            if known is not None and ("reason" in known or all(_span_known(known, s) for s in instants)):
                continue
            recipe = price_recipe(*key, sorted(instants))
            if known is not None and "spans" in recipe and "spans" in known:
                recipe["spans"] = {**known["spans"], **recipe["spans"]}
            recipes[key] = recipe
            self.changed.add(key)

    def save(self) -> None:
        """Write the recipes learned in this run (nothing when none was)."""
        if not self.changed or self.recipes is None or self.source is None:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            for agent, model, speed in sorted(self.changed, key=repr):
                key = {"stamp": stamp(), "agent": agent, "model": model, "speed": speed}
                execute(self.con, "price_book_forget", **key)
                recipe = json.dumps(self.recipes[(agent, model, speed)], sort_keys=True)
                execute(self.con, "price_book_write", **key, price_source=self.source, recipe=recipe)
            self.con.execute("COMMIT")
        except duckdb.Error:
            self.con.execute("ROLLBACK")
            raise
        self.changed.clear()


def _span_known(recipe: dict, second: int) -> bool:
    calendar = PriceCalendar(tuple(recipe["days"]), tuple(recipe["times"]))
    return str(calendar.span_start(calendar.span_of_second(second))) in recipe["spans"]


def _cost(recipe: dict | None, counts: tuple[int, ...], second: int) -> tuple[float | None, str | None]:
    """``ingest.pricing.price_row`` from a recipe: the same steps, in the same order."""
    if any(count < 0 for count in counts):
        return None, "negative token count"
    if sum(counts) == 0:
        return 0.0, None
    if recipe is None:
        raise _Missing
    if "reason" in recipe:
        return None, recipe["reason"]
    calendar = PriceCalendar(tuple(recipe["days"]), tuple(recipe["times"]))
    span = recipe["spans"].get(str(calendar.span_start(calendar.span_of_second(second))))
    if span is None or "catalogue" in span:
        raise _Missing
    if "reason" in span:
        return None, span["reason"]
    return PricePlan.from_data(span["plan"]).cost_one(*counts), None
