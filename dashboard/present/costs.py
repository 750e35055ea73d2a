"""Cost reports in the shape ccusage prints, so anyone can check dashcam against it.

``build_cost_report`` turns the rows of ``queries/cost_rows.sql`` into
``{"daily": [{"date", "inputTokens", …, "modelBreakdowns": [...]}], "totals": {…}}``
(``weekly``/``monthly``/``session`` likewise, keyed ``week``/``month``/``sessionId``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb

import queries

PERIODS = {
    "daily": ("day", "date"),
    "weekly": ("week", "week"),
    "monthly": ("month", "month"),
    "session": ("session", "sessionId"),
}
REPORT_KEYS = {"daily": "daily", "weekly": "weekly", "monthly": "monthly", "session": "sessions"}
WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}
TOKEN_FIELDS = (
    ("inputTokens", "input_tokens"),
    ("outputTokens", "output_tokens"),
    ("cacheCreationTokens", "cache_creation_tokens"),
    ("cacheReadTokens", "cache_read_tokens"),
)


@dataclass(frozen=True)
class CostFilter:
    since: str | None = None
    until: str | None = None
    agent: str | None = None
    user_name: str | None = None
    project: str | None = None
    timezone: str = "UTC"
    start_of_week: str = "monday"
    exclude_estimated: bool = False


def normalize_date(value: str | None) -> str | None:
    """Accept ``YYYY-MM-DD`` or ccusage's ``YYYYMMDD``; reject anything else with a clear message."""
    if value is None:
        return None
    text = value.strip()
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        date.fromisoformat(text)
    except ValueError:
        _check_with_pandas(value, text)
    if len(text) != 10:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return text


def _check_with_pandas(value: str, text: str) -> None:
    """The few spellings ISO parsing refuses but earlier versions accepted (``2026/02/01``):
    pandas decides, as it always did; it is imported only for them."""
    import pandas as pd

    try:
        pd.Timestamp(text)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def cost_rows(con: duckdb.DuckDBPyConnection, report: str, filters: CostFilter, by: str | None = None) -> list[dict]:
    """The rows of ``queries/cost_rows.sql`` as dicts, in the query's order.

    Plain rows, not a DataFrame: ``dashcam costs`` is a hot path and pandas alone takes most of a
    second to import."""
    period, _key = PERIODS[report]
    return _records(
        queries.execute(
            con,
            "cost_rows",
            tz=filters.timezone,
            period=period,
            week_start=WEEKDAYS[filters.start_of_week],
            since=normalize_date(filters.since),
            until=normalize_date(filters.until),
            agent=filters.agent,
            user_name=filters.user_name,
            project=filters.project,
            by=by,
            exclude_estimated=filters.exclude_estimated,
        )
    )


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    assert cursor.description is not None  # a SELECT: always described
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _cost(value) -> float:
    return 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _plain(value):
    """A JSON-safe value: NaN for a missing key or project becomes None (null)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _first_present(values) -> str | None:
    present = sorted(str(v) for v in values if _plain(v) is not None)
    return present[0] if present else None


def _count(value) -> int:
    return 0 if _plain(value) is None else int(value)


def _tokens(rows: list[dict]) -> dict:
    """Token sums; the total also holds thinking tokens reported apart from the output (Gemini)."""
    values = {name: sum(_count(row[column]) for row in rows) for name, column in TOKEN_FIELDS}
    values["totalTokens"] = sum(_count(row["total_tokens"]) for row in rows)
    return values


def _groups(rows: list[dict], by: str | None) -> list[tuple[tuple, list[dict]]]:
    """Rows grouped by period (and dimension), groups in key order with a missing key last,
    rows within a group in the query's order."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (row["period_key"], row["dimension"]) if by else (row["period_key"],)
        groups.setdefault(key, []).append(row)
    return sorted(groups.items(), key=lambda item: tuple((_plain(k) is None, _plain(k) or "") for k in item[0]))


def _by_cost(rows: list[dict]) -> list[dict]:
    """Most expensive first, unpriced last, ties in the query's order (a stable sort)."""
    priced = [row for row in rows if _plain(row["cost_usd"]) is not None]
    unpriced = [row for row in rows if _plain(row["cost_usd"]) is None]
    return sorted(priced, key=lambda row: -row["cost_usd"]) + unpriced


def build_cost_report(con: duckdb.DuckDBPyConnection, report: str, filters: CostFilter, by: str | None = None) -> dict:
    """The ccusage-shaped report, plus ``unpricedModels`` so unknown prices are never hidden."""
    try:
        queries.execute(con, "time_zone_check", timezone=filters.timezone).fetchone()
    except duckdb.Error as error:
        raise ValueError(f"unknown time zone {filters.timezone!r}") from error
    rows = cost_rows(con, report, filters, by)
    _period, key = PERIODS[report]
    entries = []
    for group, members in _groups(rows, by):
        entry = {key: _plain(group[0])}
        if by:
            entry[by] = _plain(group[1])
        entry.update(_tokens(members))
        entry["totalCost"] = round(sum(_cost(row["cost_usd"]) for row in members), 10)
        entry["modelsUsed"] = sorted({row["model"] for row in members})
        entry["modelBreakdowns"] = [
            {
                "modelName": row["model"],
                **{name: _count(row[column]) for name, column in TOKEN_FIELDS},
                "totalTokens": _count(row["total_tokens"]),
                "cost": (
                    None if row["unpriced_rows"] and _cost(row["cost_usd"]) == 0 else round(_cost(row["cost_usd"]), 10)
                ),
                "unpricedResponses": _count(row["unpriced_rows"]),
                "estimatedTokens": _count(row["estimated_tokens"]),
                # ccusage's name: the model is a fallback, not read from the transcript
                "isFallback": bool(row["assumed_rows"]),
                "assumedResponses": _count(row["assumed_rows"]),
            }
            for row in _by_cost(members)
        ]
        if report == "session":
            times = [row["last_activity"] for row in members if row["last_activity"] is not None]
            entry["lastActivity"] = str(max(times))[:10] if times else None
            entry["agent"] = _first_present(row["agent"] for row in members)
            entry["projectPath"] = _first_present(row["project"] for row in members)
            entry["user"] = _first_present(row["user_name"] for row in members)
        entries.append(entry)
    totals: dict[str, float] = _tokens(rows)
    totals["totalCost"] = round(sum(_cost(row["cost_usd"]) for row in rows), 10) if rows else 0.0
    unpriced = _records(
        queries.execute(
            con,
            "unpriced_models",
            agent=filters.agent,
            tz=filters.timezone,
            since=normalize_date(filters.since),
            until=normalize_date(filters.until),
        )
    )
    return {
        REPORT_KEYS[report]: entries,
        "totals": totals,
        "unpricedModels": [
            {
                "agent": r["agent"],
                "model": r["model"],
                "reason": r["reason"],
                "responses": int(r["responses"]),
                "totalTokens": int(r["total_tokens"]),
            }
            for r in unpriced
        ],
    }
