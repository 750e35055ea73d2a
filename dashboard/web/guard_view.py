"""The live guard's part of the Spirals and Explanations pages: what it stopped, and the
wait budget it kept from being spent. Drawn only when the guard has decided something."""

from __future__ import annotations

import streamlit as st

from dashboard.present import formatting
from dashboard.web import data

TITLES = {"spiral": "Stopped by the live guard", "exotic": "Sent back by the live guard"}


def draw_guard_decisions(filters, rule: str) -> None:
    try:
        rows = data.run_audit("dash_guard_decisions", filters, rule=rule)
    except data.AuditMissing:
        return
    if rows.empty:
        return
    st.subheader(TITLES[rule])
    stopped = rows[rows["decision"].isin(["deny", "ask", "block"])]
    columns = st.columns(3)
    label = "Raises stopped" if rule == "spiral" else "Claims sent back"
    columns[0].metric(label, formatting.number(len(stopped)), border=True)
    columns[1].metric("Sessions", formatting.number(int(stopped["session_id"].nunique())), border=True)
    if rule == "spiral":
        columns[2].metric(
            "Wait never spent",
            formatting.seconds_text(float(stopped["budget_s"].fillna(0).sum())),
            border=True,
            help="The waits the stopped raises would have spent, per run.",
        )
    else:
        columns[2].metric(
            "Allowed with a reason", formatting.number(int((rows["decision"] == "allow").sum())), border=True
        )
    st.dataframe(
        rows[["ts", "user_name", "session_id", "decision", "reason"]],
        hide_index=True,
        column_config={
            "ts": "When (UTC)",
            "user_name": "Person",
            "session_id": "Session",
            "decision": "Decision",
            "reason": st.column_config.TextColumn("Reason", width="large"),
        },
    )
