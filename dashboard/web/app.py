"""The dashboard's router: the page list, the shared sidebar filters, and the states shown
instead of a page (nothing ingested yet, database busy with an ingest).

Run it with ``dashcam dashboard``, which passes the database path in ``$DASHCAM_DB``. The
filter widgets are bound to the URL's query string (``bind="query-params"``), so any view
can be shared by link and the filters follow the person from page to page.

The pages live in ``views/``, not ``pages/``: Streamlit treats a ``pages/`` folder beside
the entrypoint as an old-style multipage app on a process's first run and would then run a
linked page without this router (no filters, no database check).
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard.present import host_check
from dashboard.web import data, ui
from dashboard.web.filters import Filters

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/cost.py", title="Cost", icon=":material/payments:"),
    st.Page("views/spirals.py", title="Spirals", icon=":material/stairs:"),
    st.Page("views/explanations.py", title="Explanations", icon=":material/psychology_alt:"),
    st.Page("views/cliff.py", title="80% cliff", icon=":material/trending_down:"),
    st.Page("views/sessions.py", title="Sessions", icon=":material/subject:"),
    st.Page("views/team.py", title="Team", icon=":material/groups:"),
]
# URL key -> (option list in dash_filter_options, label, placeholder)
CHOICES = {
    "user": ("user", "User", "All users"),
    "project": ("project", "Project", "All projects"),
    "agent": ("agent", "Agent", "All agents"),
    "model": ("model", "Model", "All models"),
}
DATE_KEYS = ("since", "until")
# One clock for everyone: a shared link shows the same weeks and totals to every viewer,
# and the audit queries group by UTC dates.
TIMEZONE = "UTC"


def filter_options(tz: str) -> dict[str, list[str]]:
    rows = data.run("dash_filter_options", tz=tz)
    return {dimension: group["value"].tolist() for dimension, group in rows.groupby("dimension")}


def draw_filters(options: dict[str, list[str]], tz: str) -> Filters:
    sidebar = st.sidebar
    sidebar.header("Filters")
    since = sidebar.date_input("From", value=None, key="since", format="YYYY-MM-DD", bind="query-params")
    until = sidebar.date_input("To", value=None, key="until", format="YYYY-MM-DD", bind="query-params")
    chosen = {
        key: sidebar.selectbox(
            label, options.get(dimension, []), index=None, placeholder=placeholder, key=key, bind="query-params"
        )
        for key, (dimension, label, placeholder) in CHOICES.items()
    }
    first, last = options.get("first_date"), options.get("last_date")
    if first and last:
        sidebar.caption(f"Data from {first[0]} to {last[0]}. Dates and weeks are {tz}.")
    filters = Filters(
        since=since,
        until=until,
        user_name=chosen["user"],
        project=chosen["project"],
        agent=chosen["agent"],
        model=chosen["model"],
        tz=tz,
    )
    if filters.active:
        sidebar.button("Clear filters", on_click=clear_filters, icon=":material/filter_alt_off:")
    return filters


def clear_filters() -> None:
    for key in (*DATE_KEYS, *CHOICES):
        st.session_state[key] = None


def main() -> None:
    st.set_page_config(page_title="dashcam", page_icon=":material/videocam:", layout="wide")
    if not host_check.host_allowed(st.context.headers.get("Host"), os.environ.get(host_check.ENV)):
        st.error(
            "This dashboard is not served under that name. Open it by this machine's address, "
            "or start it with `--allow-host NAME`."
        )
        return
    page = st.navigation(PAGES)
    try:
        with data.render_scope():
            status = data.database_status(scan_facts=False)
            if not status.has_data:
                ui.show_onboarding(status)
                return
            # counting the sessions not audited yet may scan every event: the notice's place is
            # kept at the top and filled once the page is drawn, so the page never waits on it
            notice = st.empty()
            st.session_state[ui.FILTERS_KEY] = draw_filters(filter_options(TIMEZONE), TIMEZONE)
            page.run()
            pending = status.facts_pending
            if pending is None:
                pending = data.facts_pending(set(status.tables))
            if pending:
                with notice.container():
                    ui.show_facts_pending(pending)
    except data.DatabaseBusy as busy:
        ui.show_busy(str(busy))


main()
