"""Team: the same measures per person or per project, each divided by activity (per session,
per 100 failed runs, per dollar), shown in name order beside the team median.

It is a mirror for coaching, not a leaderboard: there is no rank, and a number far from the
median is a question to talk through together, not a score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard import charts
from dashboard.present import formatting, metrics
from dashboard.web import audit, data, ui

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

GROUPINGS = {"user": "People", "project": "Projects"}
COUNT_COLUMNS = {
    "member": "Name",
    "sessions": "Sessions",
    "active_days": "Active days",
    "cost_usd": "Cost",
    "failures": "Failed runs",
}
CONVERSATIONS = {
    "spirals_per_10_sessions": "raises waits after failing runs more often than the team: worth reading one of "
    "those spirals together and asking what the failing test said",
    "exotic_per_100_failures": "blames the platform more often than the team after a failure: worth checking "
    "together which evidence would have confirmed it",
    "failures_per_session": "meets failing runs more often than the team: a faster local check or a clearer "
    "test command may help",
}


def load_counts(filters, by: str):
    counts = data.run("dash_team", filters, by=by)
    try:
        found = audit.team_counts(filters, by)
        counts = counts.merge(found, on="member", how="left").fillna({c: 0 for c in found if c != "member"})
    except data.AuditMissing:
        st.caption("Spiral and explanation rates appear once the audit is built (`dashcam audit --rebuild`).")
    return metrics.team_rates(counts)


def draw_totals(rated, grouping: str) -> None:
    columns = st.columns(3)
    columns[0].metric(f"{grouping} compared", formatting.number(len(rated)), border=True)
    columns[1].metric("Sessions", formatting.number(int(rated["sessions"].sum())), border=True)
    columns[2].metric(
        "Median cost per session",
        formatting.money(rated["cost_per_session"].median()),
        border=True,
        help="The middle of the team: half spend more per session, half less.",
    )


def draw_table(rated) -> None:
    rates = {column: label for column, (label, *_rest) in metrics.TEAM_RATES.items() if column in rated}
    config: dict[str, str | ColumnConfig] = {column: label for column, label in COUNT_COLUMNS.items()}
    config["cost_usd"] = st.column_config.NumberColumn("Cost", format="dollar")
    config |= {column: st.column_config.NumberColumn(label, format="%.2f") for column, label in rates.items()}
    st.dataframe(rated[[*COUNT_COLUMNS, *rates]], hide_index=True, column_config=config)


def draw_comparison(rated, grouping: str) -> None:
    rates = [column for column in metrics.TEAM_RATES if column in rated]
    measure = st.selectbox(
        "Measure", rates, format_func=lambda column: metrics.TEAM_RATES[column][0], key="team_measure"
    )
    ui.plot(
        charts.comparison_bars(
            rated,
            "member",
            measure,
            title=f"{metrics.TEAM_RATES[measure][0]} — {grouping.lower()} in name order, dotted line: team median",
        )
    )


def draw_conversations(rated) -> None:
    notes = [
        f"**{row.member}** {text}."
        for column, text in CONVERSATIONS.items()
        for row in metrics.far_from_median(rated, column).itertuples(index=False)
    ]
    if notes:
        st.subheader("Conversations worth having")
        st.markdown("\n".join(f"- {note}" for note in notes))


def main() -> None:
    filters = ui.current_filters()
    st.title("Team")
    st.caption(
        "A mirror for coaching, not a leaderboard. Every measure is divided by activity, so a busy week "
        "does not look like a bad one; names are in alphabetical order and the line is the team median. "
        "Read a number far from the median as a question to ask together, never as a score."
    )
    by = (
        st.segmented_control(
            "Compare", list(GROUPINGS), default="user", format_func=GROUPINGS.__getitem__, key="team_by"
        )
        or "user"
    )
    rated = load_counts(filters, by)
    if rated.empty:
        ui.show_no_rows("sessions")
        return
    draw_totals(rated, GROUPINGS[by])
    draw_table(rated)
    draw_comparison(rated, GROUPINGS[by])
    draw_conversations(rated)


main()
