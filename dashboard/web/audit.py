"""The behaviour audit's numbers as the pages need them: weekly measures for the overview,
the week's worst findings, and per-person or per-project counts for the team page.

They are read through the audit queries (``queries/audit_*.sql`` and the dashboard's own
``queries/dash_*.sql`` over the same views). Every function raises
:class:`dashboard.data.AuditMissing` while the database has no audit tables, so a page can
say what to run instead of failing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import chain, zip_longest

import pandas as pd

from dashboard.present import formatting
from dashboard.web import data
from dashboard.web.filters import Filters

FINDING_COLUMNS = ["kind", "headline", "detail", "agent", "session_id", "line_no"]
KIND_ORDER = ("spiral", "exotic", "cliff")


def weekly_measures(filters: Filters) -> pd.DataFrame:
    """Per week: ``spirals`` started, ``exotic_per_100_failures``, ``features_past_mark``
    (features patched that week after their code was 80% written)."""
    spirals = data.run_audit("audit_spirals_by_week", filters).groupby("week", as_index=False)["spirals"].sum()
    exotic = data.run_audit("audit_exotic_rate", filters)[["week", "exotic_per_100_failures"]]
    past_mark = data.run_audit("dash_audit_weekly", filters)
    weekly = spirals.merge(exotic, on="week", how="outer").merge(past_mark, on="week", how="outer")
    weekly["week"] = pd.to_datetime(weekly["week"])
    return weekly.fillna({"spirals": 0, "features_past_mark": 0}).sort_values("week").reset_index(drop=True)


def describe(finding) -> tuple[str, str, str]:
    """(kind, headline, detail) of one row of ``dash_worst_findings``, in words."""
    if finding.kind == "spiral":
        return (
            "Timeout spiral",
            f"{finding.user_name} raised a {finding.wait_kind or 'wait'} {finding.escalations} times "
            f"({formatting.seconds_text(finding.initial_s)} → {formatting.seconds_text(finding.final_s)}); "
            f"outcome: {finding.outcome.replace('_', ' ')}",
            f"{formatting.seconds_text(finding.severity)} spent · {finding.project or ''} · {finding.site}",
        )
    if finding.kind == "exotic":
        return (
            f"Exotic explanation ({finding.category})",
            f"“{finding.text}”",
            f"{finding.user_name} · {finding.project or ''}"
            + (" · the next fix changed the project's own code" if finding.refuted else ""),
        )
    return (
        "80% cliff",
        f"{finding.feature}: {finding.patches_after_80} fixes after the code was 80% written",
        f"{finding.hours_before_80:,.0f} h to reach 80%, {finding.hours_after_80:,.0f} h after it",
    )


def worst_findings(filters: Filters, since: date, until: date, limit: int = 3) -> pd.DataFrame:
    """The period's worst findings, the worst of each kind in turn: the spiral that took
    longest, the exotic explanation the next fix refuted, the cliff with most late fixes."""
    period = replace(
        filters, since=max(filter(None, (filters.since, since))), until=min(filter(None, (filters.until, until)))
    )
    rows = data.run_audit("dash_worst_findings", period, limit=limit)
    by_kind = [[row for row in rows.itertuples(index=False) if row.kind == kind] for kind in KIND_ORDER]
    ranked = [row for row in chain.from_iterable(zip_longest(*by_kind)) if row is not None][:limit]
    return pd.DataFrame(
        [(*describe(row), row.agent, row.session_id, row.line_no) for row in ranked], columns=FINDING_COLUMNS
    )


def team_counts(filters: Filters, by: str) -> pd.DataFrame:
    """Per ``member`` (user or project): ``spirals``, ``spiral_wait_minutes``,
    ``explanations``, ``exotic_explanations``, ``failed_commands``."""
    return data.run_audit("dash_team_audit", filters, by=by)
