"""Explanations: what the agents blamed after a failure, and whether the evidence was there.

Every causal sentence written after a failure gets a verdict: exotic (an outside cause —
kernel, network, platform, upstream, vague — without evidence), legit (an outside cause the
tool output supports) or mundane (the project's own code, configuration or tests). An exotic
explanation is refuted when the next fix changed the project's own code.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.present import formatting, metrics
from dashboard.web import data, marking, ui
from dashboard.web.guard_view import draw_guard_decisions

DEFINITION = (
    "Causal sentences written after a failure. **Exotic**: an outside cause (kernel, network, platform, "
    "upstream, vague…) without evidence in the tool output; **legit**: an outside cause the output "
    "supports; **mundane**: the project's own code, configuration or tests."
)
VERDICTS = ("exotic", "legit", "mundane")
EVIDENCE_CHARS = 300
SENTENCES_SHOWN = 500


def draw_totals(rate, categories) -> None:
    exotic = int(rate["exotic"].sum())
    exotic_rows = categories[categories["verdict"] == "exotic"]
    refuted = metrics.share(float(exotic_rows["refuted"].sum()), float(exotic_rows["explanations"].sum()))
    per_100 = metrics.share(100.0 * exotic, float(rate["failures"].sum()))
    per_session = metrics.share(float(exotic), float(rate["sessions"].sum()))
    columns = st.columns(5)
    columns[0].metric(
        "Explanations",
        formatting.number(int(rate["explanations"].sum())),
        border=True,
        help="Causal sentences written after a failure.",
    )
    columns[1].metric("Exotic", formatting.number(exotic), border=True)
    columns[2].metric(
        "Exotic / 100 failures",
        formatting.number(per_100, 1),
        border=True,
        help="Exotic explanations per 100 failed commands.",
    )
    columns[3].metric("Exotic / session", formatting.number(per_session, 2), border=True)
    columns[4].metric(
        "Fixed in own code",
        f"{refuted:.0%}" if refuted is not None else "—",
        border=True,
        help="Of the exotic explanations, how often the next fix changed the project's own code.",
    )


def draw_over_time(rate) -> None:
    left, right = st.columns(2)
    with left:
        ui.plot(
            charts.weekly_lines(
                rate,
                {"exotic_per_100_failures": "per 100 failed commands"},
                title="Exotic explanations per 100 failed commands",
            )
        )
    with right:
        ui.plot(
            charts.weekly_lines(rate, {"exotic_per_session": "per session"}, title="Exotic explanations per session")
        )


def draw_categories(categories) -> None:
    ui.plot(
        charts.stacked_bars(
            categories,
            "category",
            "explanations",
            "verdict",
            title="What was blamed",
            y_title="explanations",
            palette=charts.VERDICT_COLORS,
        )
    )


def draw_sentences(filters) -> None:
    st.subheader("The sentences and the evidence")
    verdict = st.pills("Verdict", VERDICTS, default="exotic", key="explanation_verdict")
    sentences = data.run_audit("audit_explanations", filters, verdict=verdict)
    if sentences.empty:
        ui.show_no_rows(f"{verdict or ''} explanations")
        return
    if len(sentences) > SENTENCES_SHOWN:
        st.caption(f"The newest {SENTENCES_SHOWN} of {len(sentences):,}; narrow the filters to see others.")
        sentences = sentences.sort_values("ts", ascending=False).head(SENTENCES_SHOWN)
    table = sentences.assign(
        link=[
            ui.session_url(a, s, line)
            for a, s, line in zip(sentences["agent"], sentences["session_id"], sentences["line_no"])
        ],
        evidence=sentences["evidence"].fillna("(no tool output before it)").str.slice(0, EVIDENCE_CHARS),
    )
    st.dataframe(
        table[["link", "verdict", "category", "text", "evidence", "refuted", "user_name", "ts"]],
        hide_index=True,
        row_height=70,
        column_config={
            "link": ui.session_link_column(),
            "verdict": "Verdict",
            "category": "Blamed",
            "text": st.column_config.TextColumn("Sentence", width="large"),
            "evidence": st.column_config.TextColumn("Evidence before it", width="large"),
            "refuted": st.column_config.CheckboxColumn("Next fix in own code"),
            "user_name": "User",
            "ts": "When (UTC)",
        },
    )
    marking.draw_mark_form("explanation", kind="explanation", verdict=verdict, agent=filters.agent)


def main() -> None:
    filters = ui.current_filters()
    st.title("Explanations")
    st.caption(DEFINITION)
    try:
        rate = data.run_audit("audit_exotic_rate", filters)
        categories = data.run_audit("audit_explanations_by_category", filters)
    except data.AuditMissing:
        ui.show_audit_missing("explanations")
        return
    ui.note_unfiltered_model(filters)
    draw_guard_decisions(filters, "exotic")
    if categories.empty:
        ui.show_no_rows("explanations after failures")
        return
    draw_totals(rate, categories)
    draw_over_time(rate)
    draw_categories(categories)
    marking.draw_precision("explanation")
    draw_sentences(filters)


main()
