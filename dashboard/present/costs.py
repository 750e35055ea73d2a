"""Cost reports in the shape ccusage prints, so anyone can check dashcam against it.

``build_cost_report`` turns the rows of ``queries/cost_rows.sql`` into
``{"daily": [{"date", "inputTokens", …, "modelBreakdowns": [...]}], "totals": {…}}``
(``weekly``/``monthly``/``session`` likewise, keyed ``week``/``month``/``sessionId``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

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
        pd.Timestamp(text)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    if len(text) != 10:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)")
    return text


def cost_rows(con: duckdb.DuckDBPyConnection, report: str, filters: CostFilter, by: str | None = None) -> pd.DataFrame:
    period, _key = PERIODS[report]
    return queries.run(
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


def _cost(value) -> float:
    return 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _plain(value):
    """A JSON-safe value: pandas' NaN / NaT for a missing key or project become None (null)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _first_present(values) -> str | None:
    present = sorted(str(v) for v in values if _plain(v) is not None)
    return present[0] if present else None


def _tokens(frame: pd.DataFrame) -> dict:
    """Token sums; the total also holds thinking tokens reported apart from the output (Gemini)."""
    values = {name: int(frame[column].sum()) for name, column in TOKEN_FIELDS}
    values["totalTokens"] = int(frame["total_tokens"].sum())
    return values


def build_cost_report(con: duckdb.DuckDBPyConnection, report: str, filters: CostFilter, by: str | None = None) -> dict:
    """The ccusage-shaped report, plus ``unpricedModels`` so unknown prices are never hidden."""
    try:
        queries.execute(con, "time_zone_check", timezone=filters.timezone).fetchone()
    except duckdb.Error as error:
        raise ValueError(f"unknown time zone {filters.timezone!r}") from error
    rows = cost_rows(con, report, filters, by)
    _period, key = PERIODS[report]
    entries = []
    group_columns = ["period_key", "dimension"] if by else ["period_key"]
    for group, frame in rows.groupby(group_columns, sort=True, dropna=False):
        group = group if isinstance(group, tuple) else (group,)
        entry = {key: _plain(group[0])}
        if by:
            entry[by] = _plain(group[1])
        entry.update(_tokens(frame))
        entry["totalCost"] = round(sum(_cost(c) for c in frame["cost_usd"]), 10)
        entry["modelsUsed"] = sorted(frame["model"].unique().tolist())
        entry["modelBreakdowns"] = [
            {
                "modelName": row.model,
                **{name: int(getattr(row, column)) for name, column in TOKEN_FIELDS},
                "totalTokens": int(row.total_tokens),
                "cost": None if row.unpriced_rows and _cost(row.cost_usd) == 0 else round(_cost(row.cost_usd), 10),
                "unpricedResponses": int(row.unpriced_rows),
                "estimatedTokens": int(row.estimated_tokens),
                # ccusage's name: the model is a fallback, not read from the transcript
                "isFallback": bool(row.assumed_rows),
                "assumedResponses": int(row.assumed_rows),
            }
            for row in frame.sort_values("cost_usd", ascending=False, na_position="last").itertuples()
        ]
        if report == "session":
            last = _plain(frame["last_activity"].max())
            entry["lastActivity"] = str(last)[:10] if last is not None else None
            entry["agent"] = _first_present(frame["agent"])
            entry["projectPath"] = _first_present(frame["project"])
            entry["user"] = _first_present(frame["user_name"])
        entries.append(entry)
    totals: dict[str, float] = (
        _tokens(rows) if not rows.empty else {**{name: 0 for name, _ in TOKEN_FIELDS}, "totalTokens": 0}
    )
    totals["totalCost"] = round(sum(_cost(c) for c in rows["cost_usd"]), 10) if not rows.empty else 0.0
    unpriced = queries.run(
        con,
        "unpriced_models",
        agent=filters.agent,
        tz=filters.timezone,
        since=normalize_date(filters.since),
        until=normalize_date(filters.until),
    )
    return {
        REPORT_KEYS[report]: entries,
        "totals": totals,
        "unpricedModels": [
            {
                "agent": r.agent,
                "model": r.model,
                "reason": r.reason,
                "responses": int(r.responses),
                "totalTokens": int(r.total_tokens),
            }
            for r in unpriced.itertuples()
        ],
    }
