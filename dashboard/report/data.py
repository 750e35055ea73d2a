"""The numbers of the weekly report, gathered through the same named queries as everything else.

Cost comes from :func:`dashboard.cost_report.build_cost_report` (what ``dashcam costs --json``
prints), spirals, explanations and features from ``queries/audit_*.sql`` and the dashboard's
``queries/dash_*.sql`` over the same audit views (what ``dashcam audit --json`` and the
dashboard pages show), so a number in the report is the number everywhere else for the same
period and filters. Cost groups by local day in the report's time zone, the audits by UTC day,
as their commands do. Pure data: no rendering here (see :mod:`dashboard.report.render`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

import queries
from dashboard.present import metrics
from dashboard.present.costs import CostFilter, build_cost_report
from dashboard.present.formatting import money, seconds_text, signed_money
from dashboard.present.periods import Period
from ingest.api import AGENTS

TOP_SESSIONS = 10
CHARTED_SPIRALS = 8
CHARTED_FEATURES = 4
QUOTED_EXAMPLES = 3
TREND_WEEKS = 8
NOTABLE_COST_CHANGE = 0.2
COST_COLUMNS = ["name", "cost_usd", "total_tokens", "unpriced_responses"]
OUTCOME_WORDS = {
    "fixed_by_logic": "ended fixed by a logic change",
    "masked": "masked by a longer wait",
    "unresolved": "ended unresolved",
}


@dataclass(frozen=True)
class ReportScope:
    """What the report covers: the period and the filters every query receives."""

    period: Period
    user_name: str | None = None
    project: str | None = None
    timezone: str = "UTC"
    include_text: bool = False

    def params(self, period: Period | None = None) -> dict:
        period = period or self.period
        return {
            "since": period.since.isoformat(),
            "until": period.until.isoformat(),
            "tz": self.timezone,
            "user_name": self.user_name,
            "project": self.project,
        }

    def cost_filter(self, period: Period | None = None, agent: str | None = None) -> CostFilter:
        period = period or self.period
        return CostFilter(
            since=period.since.isoformat(),
            until=period.until.isoformat(),
            agent=agent,
            user_name=self.user_name,
            project=self.project,
            timezone=self.timezone,
        )

    @property
    def period_word(self) -> str:
        return "week" if self.period.is_iso_week else "period"

    @property
    def filters_text(self) -> str:
        parts = [f"user {self.user_name}" if self.user_name else "", f"project {self.project}" if self.project else ""]
        return ", ".join(part for part in parts if part) or "the whole team"


@dataclass(frozen=True)
class Headline:
    """One key number, this period and the one before."""

    key: str
    label: str
    current: float | None
    previous: float | None
    kind: str  # money | count | rate | minutes
    lower_is_better: bool = True

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return metrics.relative_change(self.current, self.previous)


@dataclass
class WeeklyReport:
    scope: ReportScope
    generated_at: datetime
    tool_version: str
    headlines: list[Headline]
    cost: dict  # build_cost_report(..., "weekly") for the period: the ccusage-shaped JSON
    cost_by: dict[str, pd.DataFrame]  # user | project | agent | model -> COST_COLUMNS + share
    cost_per_day: pd.DataFrame  # day, user, cost_usd
    cost_per_week: pd.DataFrame  # week, cost_usd (the weeks before, for the trend)
    spirals: pd.DataFrame
    spiral_steps: pd.DataFrame
    spiral_runs: pd.DataFrame
    explanations: pd.DataFrame  # per verdict and category
    exotic_examples: pd.DataFrame
    features: pd.DataFrame  # features patched this period after their 80% mark
    feature_progress: pd.DataFrame
    feature_patches: pd.DataFrame
    top_cost: pd.DataFrame
    top_wasted: pd.DataFrame
    look_at: list[str] = field(default_factory=list)
    guard: pd.DataFrame = field(default_factory=pd.DataFrame)  # the live guard's decisions per rule

    @property
    def total_cost(self) -> float:
        return float(self.cost["totals"]["totalCost"])


# ---------------------------------------------------------------------------- cost


def cost_total(con: duckdb.DuckDBPyConnection, scope: ReportScope, period: Period, agent: str | None = None) -> float:
    return float(build_cost_report(con, "weekly", scope.cost_filter(period, agent))["totals"]["totalCost"])


def cost_by_dimension(con: duckdb.DuckDBPyConnection, scope: ReportScope, period: Period, by: str) -> pd.DataFrame:
    """Cost per user, project or model (``dashcam costs weekly --by``) or per agent
    (``dashcam costs weekly --agent``), summed over the period, most expensive first."""
    if by == "agent":
        rows = []
        for agent in AGENTS:
            report = build_cost_report(con, "weekly", scope.cost_filter(period, agent))
            totals = report["totals"]
            if totals["totalTokens"]:
                unpriced = sum(m["unpricedResponses"] for e in report["weekly"] for m in e["modelBreakdowns"])
                rows.append(
                    {
                        "name": agent,
                        "cost_usd": totals["totalCost"],
                        "total_tokens": totals["totalTokens"],
                        "unpriced_responses": unpriced,
                    }
                )
        frame = pd.DataFrame(rows, columns=COST_COLUMNS)
    else:
        entries = build_cost_report(con, "weekly", scope.cost_filter(period), by)["weekly"]
        frame = pd.DataFrame(
            [
                {
                    "name": e[by],
                    "cost_usd": e["totalCost"],
                    "total_tokens": e["totalTokens"],
                    "unpriced_responses": sum(m["unpricedResponses"] for m in e["modelBreakdowns"]),
                }
                for e in entries
            ],
            columns=COST_COLUMNS,
        )
        frame = frame.groupby("name", as_index=False, dropna=False).sum()
    total = frame["cost_usd"].sum()
    frame["share"] = frame["cost_usd"] / total if total else 0.0
    return frame.sort_values(["cost_usd", "name"], ascending=[False, True]).reset_index(drop=True)


def cost_per_day(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> pd.DataFrame:
    entries = build_cost_report(con, "daily", scope.cost_filter(), "user")["daily"]
    return pd.DataFrame(
        [{"day": e["date"], "user": e["user"], "cost_usd": e["totalCost"]} for e in entries],
        columns=["day", "user", "cost_usd"],
    )


def cost_per_week(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> pd.DataFrame:
    """Cost of this period's week and the weeks before it, for the trend chart."""
    first = Period(scope.period.until - timedelta(days=7 * TREND_WEEKS - 1), scope.period.until)
    entries = build_cost_report(con, "weekly", scope.cost_filter(first))["weekly"]
    return pd.DataFrame(
        [{"week": iso_label(e["week"]), "cost_usd": e["totalCost"]} for e in entries], columns=["week", "cost_usd"]
    )


def iso_label(day: str) -> str:
    """``2026-W42`` for the Monday ``2026-10-12``: weeks read as weeks on a chart axis."""
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------------------- activity and audits


def activity(con: duckdb.DuckDBPyConnection, scope: ReportScope, period: Period) -> tuple[int, int]:
    """Sessions active in the period and people who ran them (the Team page's counts)."""
    team = queries.run(con, "dash_team", by="user", **scope.params(period))
    return int(team["sessions"].sum()), int((team["sessions"] > 0).sum())


def exotic_rate(con: duckdb.DuckDBPyConnection, scope: ReportScope, period: Period) -> float | None:
    """Exotic explanations per 100 failed commands (the overview's measure), None without failures."""
    counts = queries.run(con, "dash_team_audit", by="user", **scope.params(period))
    failures = counts["failed_commands"].sum()
    return float(100.0 * counts["exotic_explanations"].sum() / failures) if failures else None


def patches(con: duckdb.DuckDBPyConnection, scope: ReportScope, period: Period) -> pd.DataFrame:
    return queries.run(con, "dash_patches", **scope.params(period))


def features_past_mark(patch_rows: pd.DataFrame) -> pd.Series:
    """Per feature, its fix attempts in the period that came after its code was 80% written."""
    past = patch_rows[patch_rows["after_80"] & patch_rows["feature"].notna()]
    return past.groupby("feature").size()


def spirals_frame(con: duckdb.DuckDBPyConnection, scope: ReportScope, period: Period) -> pd.DataFrame:
    return queries.run(con, "dash_spirals", **scope.params(period))


def headlines(
    con: duckdb.DuckDBPyConnection, scope: ReportScope, spirals: pd.DataFrame, current_patches: pd.DataFrame
) -> list[Headline]:
    before = scope.period.previous()
    previous_spirals = spirals_frame(con, scope, before)
    sessions, users = activity(con, scope, scope.period)
    sessions_before, users_before = activity(con, scope, before)
    return [
        Headline("cost", "Cost", cost_total(con, scope, scope.period), cost_total(con, scope, before), "money"),
        Headline("sessions", "Sessions", sessions, sessions_before, "count", lower_is_better=False),
        Headline("users", "Active people", users, users_before, "count", lower_is_better=False),
        Headline("spirals", "Timeout spirals", len(spirals), len(previous_spirals), "count"),
        Headline(
            "spiral_minutes",
            "Time in spirals",
            float(spirals["wasted_s"].sum()) / 60,
            float(previous_spirals["wasted_s"].sum()) / 60,
            "minutes",
        ),
        Headline(
            "exotic_rate",
            "Exotic explanations per 100 failed commands",
            exotic_rate(con, scope, scope.period),
            exotic_rate(con, scope, before),
            "rate",
        ),
        Headline(
            "features_past_80",
            "Features patched past their 80% mark",
            len(features_past_mark(current_patches)),
            len(features_past_mark(patches(con, scope, before))),
            "count",
        ),
    ]


def explanation_frames(con: duckdb.DuckDBPyConnection, scope: ReportScope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Explanations per verdict and category, and the exotic ones (their text only with include_text)."""
    by_category = queries.run(con, "audit_explanations_by_category", **scope.params())
    exotic = queries.run(con, "audit_explanations", verdict="exotic", **scope.params())
    exotic = exotic.sort_values(["refuted", "score", "ts"], ascending=[False, False, True]).reset_index(drop=True)
    if not scope.include_text:
        exotic = exotic.drop(columns=["text", "evidence"])
    return by_category, exotic


def feature_frames(
    con: duckdb.DuckDBPyConnection, scope: ReportScope, current_patches: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Features patched this period after their 80% mark, their completion curves and patches."""
    counts = features_past_mark(current_patches).rename("patches_this_period").reset_index()
    features = queries.run(con, "audit_cliff_features", **scope.params())
    features = features.merge(counts, on="feature", how="inner")
    features = features.sort_values(["cliff", "patches_this_period", "feature"], ascending=[False, False, True])
    features = features.reset_index(drop=True)
    progress = queries.run(con, "audit_feature_completion", **scope.params())
    progress = progress[progress["feature"].isin(features["feature"])]
    all_patches = queries.run(con, "dash_patches", **(scope.params() | {"since": None, "until": None}))
    return features, progress, all_patches[all_patches["feature"].isin(features["feature"])]


def top_wasted(spirals: pd.DataFrame) -> pd.DataFrame:
    """Sessions by the time their spirals took, longest first."""
    columns = ["agent", "session_id", "user_name", "project", "spirals", "wasted_s"]
    if spirals.empty:
        return pd.DataFrame(columns=columns)
    grouped = spirals.groupby(["agent", "session_id", "user_name", "project"], dropna=False, as_index=False).agg(
        spirals=("spiral_id", "count"), wasted_s=("wasted_s", "sum")
    )
    return grouped.sort_values(["wasted_s", "session_id"], ascending=[False, True]).head(TOP_SESSIONS)[columns]


# ---------------------------------------------------------------------------- what to look at


def spiral_notes(spirals: pd.DataFrame) -> list[str]:
    notes = []
    for outcome, words in OUTCOME_WORDS.items():
        chosen = spirals[spirals["outcome"] == outcome]
        if chosen.empty:
            continue
        count = len(chosen)
        minutes = seconds_text(float(chosen["wasted_s"].sum()))
        note = f"{count} spiral{'s' if count > 1 else ''} {words}: {minutes} spent raising waits"
        if outcome == "masked":
            note += "; the failing check may still hide a bug"
        notes.append(note + ".")
    return notes


def feature_notes(features: pd.DataFrame, period_word: str) -> list[str]:
    notes = []
    for row in features.itertuples(index=False):
        prefix = "Cliff: " if row.cliff else ""
        notes.append(
            f"{prefix}{row.feature} took {row.patches_this_period} fix attempt"
            f"{'s' if row.patches_this_period > 1 else ''} this {period_word} after its code was 80% written "
            f"({row.patches_after_80} in all past the mark)."
        )
    return notes


def explanation_notes(exotic: pd.DataFrame) -> list[str]:
    if exotic.empty:
        return []
    top = exotic["category"].fillna("other").value_counts()
    refuted = int(exotic["refuted"].fillna(False).sum())
    note = (
        f"{len(exotic)} exotic explanation{'s' if len(exotic) > 1 else ''} after failures, most often "
        f"blaming {top.index[0]}"
    )
    return [note + (f"; {refuted} refuted by the next fix, which changed the project's own code." if refuted else ".")]


def cost_notes(
    con: duckdb.DuckDBPyConnection,
    scope: ReportScope,
    headline: Headline,
    cost_by: dict[str, pd.DataFrame],
    top_cost: pd.DataFrame,
) -> list[str]:
    notes = []
    change = headline.change
    if change is not None and abs(change) >= NOTABLE_COST_CHANGE and not scope.user_name:
        before = cost_by_dimension(con, scope, scope.period.previous(), "user").set_index("name")["cost_usd"]
        deltas = cost_by["user"].set_index("name")["cost_usd"].sub(before, fill_value=0).sort_values()
        mover = deltas.index[-1] if change > 0 else deltas.index[0]
        notes.append(
            f"Cost {'rose' if change > 0 else 'fell'} {abs(change):.0%} against the previous "
            f"{scope.period_word}, "
            f"mostly {mover} ({signed_money(deltas[mover])})."
        )
    if not top_cost.empty and headline.current:
        first = top_cost.iloc[0]
        share = (first["cost_usd"] or 0) / headline.current
        if share >= 0.25:
            notes.append(
                f"One session took {share:.0%} of the {scope.period_word}'s cost: {first['user_name']} in "
                f"{first['project'] or 'an unknown project'} ({money(first['cost_usd'])})."
            )
    for model in cost_by["model"][cost_by["model"]["unpriced_responses"] > 0].itertuples(index=False):
        count = int(model.unpriced_responses)
        notes.append(
            f"{count} response{'s' if count > 1 else ''} from {model.name} "
            f"{'have' if count > 1 else 'has'} no known price: their cost is unknown, not $0."
        )
    return notes


# ---------------------------------------------------------------------------- the report


def build_report(
    con: duckdb.DuckDBPyConnection, scope: ReportScope, generated_at: datetime, tool_version: str
) -> WeeklyReport:
    spirals = spirals_frame(con, scope, scope.period)
    current_patches = patches(con, scope, scope.period)
    heads = headlines(con, scope, spirals, current_patches)
    cost = build_cost_report(con, "weekly", scope.cost_filter())
    cost_by = {by: cost_by_dimension(con, scope, scope.period, by) for by in ("user", "project", "agent", "model")}
    by_category, exotic = explanation_frames(con, scope)
    features, progress, feature_patch_rows = feature_frames(con, scope, current_patches)
    top_cost = queries.run(con, "dash_top_sessions", limit=TOP_SESSIONS, **scope.params())
    report = WeeklyReport(
        scope=scope,
        generated_at=generated_at,
        tool_version=tool_version,
        headlines=heads,
        cost=cost,
        cost_by=cost_by,
        cost_per_day=cost_per_day(con, scope),
        cost_per_week=cost_per_week(con, scope),
        spirals=spirals,
        spiral_steps=queries.run(con, "audit_spiral_steps", **scope.params()),
        spiral_runs=queries.run(con, "dash_spiral_runs", **scope.params()),
        explanations=by_category,
        exotic_examples=exotic,
        features=features,
        feature_progress=progress,
        feature_patches=feature_patch_rows,
        top_cost=top_cost,
        top_wasted=top_wasted(spirals),
    )
    report.guard = queries.run(con, "guard_decisions_summary", **scope.params())
    report.look_at = (
        spiral_notes(spirals)
        + feature_notes(features, scope.period_word)
        + explanation_notes(exotic)
        + cost_notes(con, scope, heads[0], cost_by, top_cost)
    )
    return report
