"""Arithmetic on query results: weeks to compare, cost roll-ups, rates per unit of activity.

Pure pandas, no Streamlit, so the dashboard pages and the weekly report compute the same
numbers and tests can check them against direct SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

PERIODS = ("day", "week", "month")
DIMENSIONS = {"user": "user_name", "project": "project", "agent": "agent", "model": "model"}
TOKEN_COLUMNS = ("input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens", "total_tokens")


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def weeks_with_data(weekly: pd.DataFrame, measures: tuple[str, ...] = ("sessions", "cost_usd")) -> list[date]:
    active = weekly[(weekly[list(measures)].fillna(0) > 0).any(axis=1)]
    return sorted(pd.to_datetime(active["week"]).dt.date.tolist())


def pick_weeks(weekly: pd.DataFrame, today: date) -> tuple[date, date] | None:
    """(this week, last week): the current week, or the latest week with data if it has none."""
    weeks = weeks_with_data(weekly)
    if not weeks:
        return None
    current = week_start(today)
    anchor = current if current in weeks else weeks[-1]
    return anchor, anchor - timedelta(days=7)


def value_in_week(weekly: pd.DataFrame, week: date, column: str, missing: float = 0.0) -> float:
    """The measure for one week; ``missing`` when the week has no value (0 for a count, NaN
    for a rate that has nothing to divide by)."""
    if weekly.empty or column not in weekly:
        return missing
    values = weekly.loc[pd.to_datetime(weekly["week"]).dt.date == week, column].dropna()
    return float(values.sum()) if not values.empty else missing


def weekly_series(weekly: pd.DataFrame, column: str, last: date | None = None, weeks: int = 12) -> list[float]:
    """The last ``weeks`` values of a measure up to ``last``, with empty weeks as 0 (for sparklines)."""
    if weekly.empty or last is None:
        return []
    starts = [last - timedelta(days=7 * n) for n in reversed(range(weeks))]
    return [value_in_week(weekly, start, column) for start in starts]


def period_start(days: pd.Series, period: str) -> pd.Series:
    """The first day of each day's period: the day itself, its week's Monday, its month's first."""
    stamps = pd.to_datetime(days)
    if period == "day":
        return stamps.dt.normalize()
    if period == "week":
        return (stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")).dt.normalize()
    if period == "month":
        return stamps.dt.to_period("M").dt.start_time
    raise ValueError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


def _sum_measures(groups) -> pd.DataFrame:
    summed = groups[["responses", *TOKEN_COLUMNS, "unpriced_rows"]].sum()
    summed["cost_usd"] = groups["cost_usd"].sum(min_count=0)
    return summed.reset_index()


def cost_over_time(cube: pd.DataFrame, period: str, by: str | None = None) -> pd.DataFrame:
    """Cost and tokens per period (and per ``by`` dimension), from ``dash_cost_cube`` rows."""
    frame = cube.assign(period=period_start(cube["day"], period)) if not cube.empty else cube.assign(period=[])
    keys = ["period"] + ([DIMENSIONS[by]] if by else [])
    return _sum_measures(frame.groupby(keys, dropna=False)).sort_values(keys)


def cost_by(cube: pd.DataFrame, by: str) -> pd.DataFrame:
    """Cost and tokens per user, project, agent or model, most expensive first."""
    column = DIMENSIONS[by]
    summed = _sum_measures(cube.groupby(column, dropna=False))
    summed["share"] = summed["cost_usd"] / summed["cost_usd"].sum() if summed["cost_usd"].sum() else 0.0
    return summed.sort_values(["cost_usd", column], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class CostSummary:
    cost_usd: float
    responses: int
    total_tokens: int
    unpriced_responses: int
    cache_read_tokens: int
    prompt_tokens: int

    @property
    def cache_read_share(self) -> float:
        """Share of prompt tokens (input + cache writes + cache reads) served from the cache."""
        return self.cache_read_tokens / self.prompt_tokens if self.prompt_tokens else 0.0


def cost_summary(cube: pd.DataFrame) -> CostSummary:
    def total(column: str) -> int:
        return int(cube[column].sum()) if not cube.empty else 0

    return CostSummary(
        cost_usd=float(cube["cost_usd"].sum()) if not cube.empty else 0.0,
        responses=total("responses"),
        total_tokens=total("total_tokens"),
        unpriced_responses=total("unpriced_rows"),
        cache_read_tokens=total("cache_read_tokens"),
        prompt_tokens=total("input_tokens") + total("cache_creation_tokens") + total("cache_read_tokens"),
    )


def cache_savings(cube: pd.DataFrame) -> pd.DataFrame:
    """Per agent and model: cache reads and what they saved (priced per call at ingest: the
    call's cost with its cache reads billed as plain input, minus its cost).

    Models without a price are left out (and listed as unpriced elsewhere), never counted as free.
    """
    columns = ["agent", "model", "cache_read_tokens", "saved_usd"]
    reads = cube[(cube["cache_read_tokens"] > 0) & cube["cache_saved_usd"].notna()] if not cube.empty else cube
    if reads.empty:
        return pd.DataFrame(columns=columns)
    saved = (
        reads.groupby(["agent", "model"], as_index=False)[["cache_read_tokens", "cache_saved_usd"]]
        .sum()
        .rename(columns={"cache_saved_usd": "saved_usd"})
    )
    return saved.sort_values("saved_usd", ascending=False).reset_index(drop=True)


def unpriced_models(cube: pd.DataFrame, reasons: pd.DataFrame) -> pd.DataFrame:
    """Models with responses the price source could not price: their responses, tokens and why."""
    columns = ["agent", "model", "responses", "total_tokens", "reason"]
    unpriced = cube[cube["unpriced_rows"] > 0] if not cube.empty else cube
    if unpriced.empty:
        return pd.DataFrame(columns=columns)
    counted = (
        unpriced.groupby(["agent", "model"], as_index=False)[["unpriced_rows", "unpriced_tokens"]]
        .sum()
        .rename(columns={"unpriced_rows": "responses", "unpriced_tokens": "total_tokens"})
    )
    return (
        counted.merge(reasons, on=["agent", "model"], how="left")[columns]
        .sort_values(["total_tokens", "agent", "model"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def per_unit(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """``numerator / denominator * scale``, NaN (not infinity) where there is nothing to divide by."""
    denominator = denominator.astype(float).where(denominator > 0)
    return numerator.astype(float) / denominator * scale


def relative_change(current: float, previous: float) -> float | None:
    """Week-over-week change as a fraction; None when last week was zero."""
    return None if not previous else (current - previous) / previous


# column -> (label, numerator, denominator, scale); the Team page's measures, all per unit of activity
TEAM_RATES = {
    "cost_per_session": ("Cost per session ($)", "cost_usd", "sessions", 1),
    "failures_per_session": ("Failed runs per session", "failures", "sessions", 1),
    "calls_per_session": ("Tool calls per session", "tool_calls", "sessions", 1),
    "cost_per_active_day": ("Cost per active day ($)", "cost_usd", "active_days", 1),
    "spirals_per_10_sessions": ("Spirals per 10 sessions", "spirals", "sessions", 10),
    "spiral_minutes_per_session": ("Minutes waited in spirals per session", "spiral_wait_minutes", "sessions", 1),
    "exotic_per_100_failures": (
        "Exotic explanations per 100 failed commands",
        "exotic_explanations",
        "failed_commands",
        100,
    ),
    "spirals_per_100_usd": ("Spirals per $100", "spirals", "cost_usd", 100),
}


def team_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts of ``dash_team`` (plus audit counts when present) with each rate added."""
    rated = counts.copy()
    for column, (_label, numerator, denominator, scale) in TEAM_RATES.items():
        if numerator in rated and denominator in rated:
            rated[column] = per_unit(rated[numerator], rated[denominator], scale)
    return rated


def far_from_median(rated: pd.DataFrame, column: str, factor: float = 1.5, min_sessions: int = 3) -> pd.DataFrame:
    """Members whose rate is at least ``factor`` times the team median, with enough sessions to
    mean something: conversation starters, not verdicts."""
    if column not in rated or rated[column].dropna().empty:
        return rated.iloc[0:0]
    median = rated[column].median()
    if not median or pd.isna(median):
        return rated.iloc[0:0]
    return rated[(rated[column] >= factor * median) & (rated["sessions"] >= min_sessions)]


def attempts_on_staircase(steps: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Each check run with the wait value in force when it ran (the latest step before it)."""
    if steps.empty or runs.empty:
        return runs.assign(value_s=pd.Series(dtype=float))
    ordered_steps = steps[["ts", "value_s"]].sort_values("ts")
    return pd.merge_asof(runs.sort_values("ts"), ordered_steps, on="ts", direction="backward")


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None
