"""Spirals: every timeout-escalation spiral, its staircase, the time it cost and how it ended.

A spiral is a wait or timeout raised at least three times after failing checks, ending at
least 4x its first value. Outcomes: masked (the check passed after only wait changes, so the
real cause may still be there), fixed_by_logic (a code change came before the pass),
unresolved (no pass in the session).
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.present import definitions, formatting, metrics
from dashboard.web import data, marking, ui
from dashboard.web.guard_view import draw_guard_decisions

CHARTED = 12
LIST_LIMIT = 500  # spirals listed, longest first; the totals count them all
DEFINITION = definitions.SPIRAL + (
    " **Masked**: the check passed after only wait changes, so the cause may still be there; "
    "**fixed by logic**: a code change came before the pass; **unresolved**: no pass in the session."
)
OUTCOME_BADGES = {
    "masked": ":orange-badge[masked]",
    "fixed_by_logic": ":green-badge[fixed by logic]",
    "unresolved": ":red-badge[unresolved]",
}


def draw_totals(totals) -> None:
    """The counts of every spiral matching the filters (``dash_spiral_totals``)."""
    columns = st.columns(5)
    columns[0].metric("Spirals", formatting.number(int(totals.spirals)), border=True)
    columns[1].metric(
        "Time in spirals",
        formatting.seconds_text(float(totals.wasted_s)),
        border=True,
        help="From the first value to the pass (masked) or to the first failure after the last raise.",
    )
    for column, outcome in zip(columns[2:], OUTCOME_BADGES):
        column.metric(
            outcome.replace("_", " ").capitalize(), formatting.number(int(getattr(totals, outcome))), border=True
        )


def draw_per_week(filters) -> None:
    weekly = data.run_audit("audit_spirals_by_week", filters)
    per_user = weekly.groupby(["week", "user_name"], as_index=False)["spirals"].sum()
    ui.plot(
        charts.stacked_bars(
            per_user, "week", "spirals", "user_name", title="Spirals per week, by person", y_title="spirals"
        )
    )


def draw_spiral(spiral, steps, attempts) -> None:
    with st.container(border=True):
        st.markdown(
            f"**{spiral.user_name}** · {spiral.project or ''} · {spiral.kind or 'wait'} "
            f"{formatting.seconds_text(spiral.initial_s)} → {formatting.seconds_text(spiral.final_s)} "
            f"in {spiral.escalations} raises {OUTCOME_BADGES.get(spiral.outcome, spiral.outcome)}"
        )
        st.caption(
            f"`{spiral.site}` · {formatting.seconds_text(spiral.wasted_s)} spent · started "
            f"{spiral.start_ts:%Y-%m-%d %H:%M} UTC"
        )
        ui.plot(
            charts.staircase(steps, metrics.attempts_on_staircase(steps, attempts)), key=f"steps:{spiral.spiral_id}"
        )
        ui.session_link("Open the transcript at the first value", spiral.agent, spiral.session_id, spiral.line_no)


def draw_table(spirals) -> None:
    table = spirals.assign(
        link=[
            ui.session_url(a, s, line)
            for a, s, line in zip(spirals["agent"], spirals["session_id"], spirals["line_no"])
        ],
        wasted_minutes=spirals["wasted_s"] / 60,
    )
    st.dataframe(
        table[
            [
                "link",
                "user_name",
                "project",
                "site",
                "escalations",
                "initial_s",
                "final_s",
                "wasted_minutes",
                "outcome",
                "start_ts",
            ]
        ],
        hide_index=True,
        column_config={
            "link": ui.session_link_column(),
            "user_name": "User",
            "project": "Project",
            "site": "Where",
            "escalations": "Raises",
            "initial_s": st.column_config.NumberColumn("First (s)", format="%.0f"),
            "final_s": st.column_config.NumberColumn("Last (s)", format="%.0f"),
            "wasted_minutes": st.column_config.NumberColumn("Minutes", format="%.1f"),
            "outcome": "Outcome",
            "start_ts": "Started (UTC)",
        },
    )


def main() -> None:
    filters = ui.current_filters()
    st.title("Spirals")
    st.caption(DEFINITION)
    try:
        totals = data.run_audit("dash_spiral_totals", filters).iloc[0]
        spirals = data.run_audit("dash_spirals", filters, limit=LIST_LIMIT)
        # the staircases of the charted spirals alone: every spiral's would be read and dropped
        steps = data.run_audit("audit_spiral_steps", filters, spirals=CHARTED)
        runs = data.run_audit("dash_spiral_runs", filters, spirals=CHARTED)
    except data.AuditMissing:
        ui.show_audit_missing("spirals")
        return
    ui.note_unfiltered_model(filters)
    draw_guard_decisions(filters, "spiral")
    if spirals.empty:
        ui.show_no_rows("timeout spirals")
        return
    draw_totals(totals)
    draw_per_week(filters)
    count = int(totals.spirals)
    listed = "Every spiral" if count <= LIST_LIMIT else f"The {LIST_LIMIT:,} spirals that took longest, of {count:,}"
    st.subheader(listed + (f" (the {CHARTED} that took longest are charted)" if len(spirals) > CHARTED else ""))
    draw_table(spirals)
    marking.draw_precision("spiral")
    marking.draw_mark_form("spiral", kind="spiral", agent=filters.agent)
    for spiral in spirals.head(CHARTED).itertuples(index=False):
        draw_spiral(spiral, steps[steps["spiral_id"] == spiral.spiral_id], runs[runs["spiral_id"] == spiral.spiral_id])


main()
