"""Cost: what the agents cost, over time and by user, project, agent and model.

The totals are those of ``dashcam costs`` for the same filters (same deduplicated billed
usage); on top: the share of prompt tokens read from the cache and what that saved, the
models that could not be priced, and the most expensive sessions.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.present import formatting, metrics
from dashboard.web import data, ui

DIMENSION_LABELS = {"user": "User", "project": "Project", "agent": "Agent", "model": "Model"}


def draw_totals(summary: metrics.CostSummary, saved_usd: float) -> None:
    columns = st.columns(5)
    columns[0].metric(
        "Total cost",
        formatting.money(summary.cost_usd),
        border=True,
        help="Priced responses only; unpriced ones are listed below, not counted as $0.",
    )
    columns[1].metric("API responses", formatting.number(summary.responses), border=True)
    columns[2].metric("Tokens", formatting.number(summary.total_tokens), border=True)
    columns[3].metric(
        "Cache-read share",
        f"{summary.cache_read_share:.0%}",
        border=True,
        help="Share of prompt tokens (input, cache writes, cache reads) read from the cache.",
    )
    columns[4].metric(
        "Caching saved",
        formatting.money(saved_usd),
        border=True,
        help="Cache reads priced as plain input, minus what they cost.",
    )


def draw_over_time(cube) -> None:
    left, right = st.columns([1, 1])
    period = left.segmented_control("Period", metrics.PERIODS, default="week", key="cost_period") or "week"
    stack = right.segmented_control(
        "Split by", list(DIMENSION_LABELS), key="cost_split", format_func=DIMENSION_LABELS.__getitem__
    )
    frame = metrics.cost_over_time(cube, period, stack)
    ui.plot(charts.cost_over_time(frame, metrics.DIMENSIONS[stack] if stack else None, title=f"Cost per {period}"))


def draw_breakdowns(cube) -> None:
    tabs = st.tabs([f"By {label.lower()}" for label in DIMENSION_LABELS.values()])
    for tab, (by, label) in zip(tabs, DIMENSION_LABELS.items()):
        frame = metrics.cost_by(cube, by)
        column = metrics.DIMENSIONS[by]
        with tab:
            chart, table = st.columns([3, 2])
            with chart:
                ui.plot(charts.ranked_bars(frame, column, "cost_usd", value_title="cost (USD)", money=True))
            table.dataframe(
                frame[[column, "cost_usd", "share", "responses", "total_tokens", "unpriced_rows"]],
                hide_index=True,
                column_config={
                    column: label,
                    "cost_usd": st.column_config.NumberColumn("Cost", format="dollar"),
                    "share": st.column_config.ProgressColumn("Share", format="percent", min_value=0, max_value=1),
                    "responses": "Responses",
                    "total_tokens": st.column_config.NumberColumn("Tokens", format="localized"),
                    "unpriced_rows": "Unpriced",
                },
            )


def draw_cache_savings(savings) -> None:
    st.subheader("What caching saved")
    if savings.empty:
        st.caption("No cache reads by a priced model for these filters.")
        return
    st.dataframe(
        savings[["model", "cache_read_tokens", "saved_usd"]],
        hide_index=True,
        column_config={
            "model": "Model",
            "cache_read_tokens": st.column_config.NumberColumn("Cache reads", format="compact"),
            "saved_usd": st.column_config.NumberColumn("Saved", format="dollar"),
        },
    )
    st.caption(
        "Saved: each call priced as if its cache reads were plain input, minus what it cost "
        "(same model, date and context tier, priced at ingest)."
    )


def draw_unpriced(cube) -> None:
    unpriced = metrics.unpriced_models(cube, data.run("dash_unpriced_reasons"))
    st.subheader("Unpriced models")
    if unpriced.empty:
        st.caption("Every response matching the filters has a price.")
        return
    st.warning(
        f"{int(unpriced['responses'].sum()):,} responses from {len(unpriced)} model(s) have no price: "
        "their cost is unknown and not included in the totals above."
    )
    st.dataframe(
        unpriced[["agent", "model", "responses", "total_tokens", "reason"]],
        hide_index=True,
        column_config={
            "agent": "Agent",
            "model": "Model",
            "responses": "Responses",
            "total_tokens": st.column_config.NumberColumn("Tokens", format="compact"),
            "reason": "Why",
        },
    )


def draw_assumed(cube) -> None:
    """Responses priced under a model the transcript never named: a guess, shown as one."""
    if "assumed_rows" not in cube.columns or not cube["assumed_rows"].sum():
        return
    assumed = cube[cube["assumed_rows"] > 0].groupby(["agent", "model"], as_index=False)["assumed_rows"].sum()
    names = ", ".join(f"{r.agent}/{r.model} ({int(r.assumed_rows):,})" for r in assumed.itertuples())
    st.warning(
        f"{int(assumed['assumed_rows'].sum()):,} responses are priced under an assumed model: their "
        f"transcript names none, so they are priced as {names}. Codex rollouts without model metadata "
        "are priced as gpt-5, as ccusage does (its isFallback).",
        icon=":material/help:",
    )


def draw_top_sessions(filters) -> None:
    st.subheader("Most expensive sessions")
    top = data.run("dash_top_sessions", filters, limit=15)
    if top.empty:
        ui.show_no_rows("sessions")
        return
    top = top.assign(link=[ui.session_url(a, s) for a, s in zip(top["agent"], top["session_id"])])
    columns = ui.without_empty_columns(
        top, ["link", "user_name", "project", "title", "cost_usd", "responses", "models", "last_response"]
    )
    st.dataframe(
        top[columns],
        hide_index=True,
        column_config={
            "link": ui.session_link_column(),
            "user_name": "User",
            "project": "Project",
            "title": "Title",
            "cost_usd": st.column_config.NumberColumn("Cost", format="dollar"),
            "responses": "Responses",
            "models": "Models",
            "last_response": st.column_config.DatetimeColumn("Last response (UTC)", format="YYYY-MM-DD HH:mm"),
        },
    )


def main() -> None:
    filters = ui.current_filters()
    st.title("Cost")
    cube = data.run("dash_cost_cube", filters)
    if cube.empty:
        ui.show_no_rows("billed API responses")
        return
    savings = metrics.cache_savings(cube)
    draw_totals(metrics.cost_summary(cube), float(savings["saved_usd"].sum()) if not savings.empty else 0.0)
    draw_assumed(cube)
    draw_over_time(cube)
    draw_breakdowns(cube)
    left, right = st.columns(2)
    with left:
        draw_cache_savings(savings)
    with right:
        draw_unpriced(cube)
    draw_top_sessions(filters)


main()
