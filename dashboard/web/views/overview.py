"""Overview: this week against last week, the trend behind each number, and the three worst
findings of the week with links to their transcripts.

"This week" is the current week when it has data, else the latest week that has (a demo
corpus or a paused team would otherwise show a wall of zeros).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import streamlit as st

from dashboard import charts
from dashboard.present import formatting, metrics
from dashboard.web import audit, data, ui

TREND_WEEKS = 12


def delta_text(current: float, previous: float, money: bool, digits: int) -> str | None:
    """``+$1.20 vs last week``; None when either week has no value or both are zero."""
    if math.isnan(current) or math.isnan(previous) or not (current or previous):
        return None
    delta = current - previous
    if round(delta, digits if not money else 2) == 0:
        return "same as last week"
    amount = formatting.signed_money(delta) if money else f"{delta:+,.{digits}f}"
    return f"{amount} vs last week"


def draw_measure(
    column,
    label: str,
    weekly,
    key: str,
    weeks: tuple[date, date],
    *,
    money: bool = False,
    digits: int = 0,
    lower_is_better: bool = True,
    rate: bool = False,
    help: str | None = None,
) -> None:
    """One measure of this week, its change since last week, and its last weeks as bars. A rate
    with nothing to divide by (no failed command that week) shows as "—", not as 0."""
    this_week, last_week = weeks
    missing = math.nan if rate else 0.0
    current = metrics.value_in_week(weekly, this_week, key, missing)
    previous = metrics.value_in_week(weekly, last_week, key, missing)
    shown = formatting.money(current) if money else formatting.number(current, digits)
    delta = delta_text(current, previous, money, digits)
    unchanged = delta == "same as last week"
    column.metric(
        label,
        shown,
        delta=delta,
        delta_arrow="off" if unchanged else "auto",
        delta_color="off" if unchanged else ("inverse" if lower_is_better else "normal"),
        border=True,
        help=help,
        chart_data=metrics.weekly_series(weekly, key, this_week, TREND_WEEKS),
        chart_type="bar",
    )


def draw_activity(weekly, weeks) -> None:
    first, second, third = st.columns(3)
    draw_measure(first, "Cost", weekly, "cost_usd", weeks, money=True, help="Priced API responses, this week.")
    draw_measure(
        second, "Sessions", weekly, "sessions", weeks, lower_is_better=False, help="Sessions with activity this week."
    )
    draw_measure(third, "Active users", weekly, "active_users", weeks, lower_is_better=False)


def draw_audit(filters, weeks) -> None:
    try:
        weekly = audit.weekly_measures(filters)
    except data.AuditMissing:
        ui.show_audit_missing("spirals, exotic explanations and the 80% cliff")
        return
    first, second, third = st.columns(3)
    draw_measure(first, "Spirals", weekly, "spirals", weeks, help="Timeout-escalation spirals that started this week.")
    draw_measure(
        second,
        "Exotic explanations per 100 failures",
        weekly,
        "exotic_per_100_failures",
        weeks,
        digits=1,
        rate=True,
        help="Explanations blaming the kernel, network, platform… without evidence, per 100 failed runs.",
    )
    draw_measure(
        third,
        "Features past the 80% mark",
        weekly,
        "features_past_mark",
        weeks,
        help="Features still being patched after their code was 80% written.",
    )


def draw_worst_findings(filters, weeks) -> None:
    """The week's three worst findings; in a week without any, those of the four weeks up to it."""
    this_week, _ = weeks
    week_end = this_week + timedelta(days=6)
    try:
        findings = audit.worst_findings(filters, this_week, week_end, limit=3)
        title = "Worst findings this week"
        if findings.empty:
            findings = audit.worst_findings(filters, week_end - timedelta(days=27), week_end, limit=3)
            title = "Worst findings of the last four weeks (none this week)"
    except data.AuditMissing:
        st.subheader("Worst findings this week")
        ui.show_audit_missing("findings")
        return
    st.subheader(title)
    if findings.empty:
        st.caption("No spiral, exotic explanation or cliff in the last four weeks.")
        return
    for finding in findings.itertuples(index=False):
        with st.container(border=True):
            st.markdown(f"**{finding.kind}** — {finding.headline}")
            st.caption(finding.detail)
            ui.session_link("Open the transcript", finding.agent, finding.session_id, finding.line_no)


def main() -> None:
    filters = ui.current_filters()
    st.title("Overview")
    weekly = data.run("dash_weekly_activity", filters)
    weeks = metrics.pick_weeks(weekly, date.today())
    if weeks is None:
        ui.show_no_rows("activity")
        return
    this_week, last_week = weeks
    latest = " (the latest week with data)" if this_week != metrics.week_start(date.today()) else ""
    st.caption(
        f"Week of {this_week:%Y-%m-%d}{latest}, compared with the week of {last_week:%Y-%m-%d}. "
        f"Bars: the last {TREND_WEEKS} weeks."
    )
    draw_activity(weekly, weeks)
    draw_audit(filters, weeks)
    left, right = st.columns([3, 2])
    with left:
        ui.plot(
            charts.stacked_bars(weekly, "week", "cost_usd", title="Cost per week", y_title="cost (USD)", money=True)
        )
    with right:
        draw_worst_findings(filters, weeks)


main()
