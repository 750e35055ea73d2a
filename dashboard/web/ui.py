"""Streamlit pieces every page shares: the current filters, links to a session, and the
messages shown instead of a page (database busy, nothing ingested, audit not built).

Pages only draw; what they draw comes from ``dashboard.web.data`` (rows), ``dashboard.present.metrics``
(arithmetic on rows) and ``dashboard.charts`` (figures). This module keeps the wording of
the shared states in one place so every page says the same thing.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import streamlit as st

from dashboard.web.data import DatabaseStatus
from dashboard.web.filters import Filters

if TYPE_CHECKING:
    from streamlit.elements.lib.column_types import ColumnConfig

FILTERS_KEY = "dashcam_filters"
SESSIONS_PAGE = "views/sessions.py"
TRANSCRIPT_FOLDERS = (
    "~/.claude/projects",
    "~/.config/claude/projects",
    "$CLAUDE_CONFIG_DIR/projects",
    "$CODEX_HOME/sessions (default ~/.codex/sessions)",
    "~/.gemini/tmp",
)


def current_filters() -> Filters:
    """The sidebar's filters, set by the router before the page runs."""
    return st.session_state.get(FILTERS_KEY, Filters())


def transcript_params(agent: str, session_id: str, line: float | None = None) -> dict[str, str]:
    """The Sessions page's query string for one session, landing on ``line`` when known."""
    params = {"session": f"{agent}:{session_id}"}
    if line is not None and not (isinstance(line, float) and math.isnan(line)):
        params["line"] = str(int(line))
    return params


def session_url(agent: str, session_id: str, line: float | None = None) -> str:
    """A link to the transcript view, relative to the app so it works behind any base path."""
    return "sessions?" + urlencode(transcript_params(agent, session_id, line), safe=":")


def session_link(label: str, agent: str, session_id: str, line: float | None = None) -> None:
    st.page_link(
        SESSIONS_PAGE, label=label, query_params=transcript_params(agent, session_id, line), icon=":material/subject:"
    )


def session_link_column(label: str = "Session") -> ColumnConfig:
    """A table column of transcript links showing ``agent:`` and the first 8 characters of the id."""
    return st.column_config.LinkColumn(label, display_text=r"session=([^&:]+:[^&]{1,8})")


def show_busy(message: str) -> None:
    st.warning(
        f"**The database is busy.** {message} The dashboard reads it as soon as the "
        "ingest has finished; nothing is lost.",
        icon=":material/hourglass_top:",
    )
    st.button("Retry", type="primary", key="retry_busy")


def show_facts_pending(sessions: int) -> None:
    st.info(
        f"**{sessions} session(s) are not audited yet**: they were ingested after the audit facts "
        "were computed, so the audit pages leave them out. `dashcam audit` (or restarting "
        "`dashcam dashboard`) computes them; `dashcam ingest --facts` does it as it ingests.",
        icon=":material/pending:",
    )


def show_onboarding(status: DatabaseStatus) -> None:
    st.title("dashcam")
    if status.path is None:
        st.info("No database was given. Start the dashboard with `dashcam dashboard [--db FILE]`.")
        return
    if status.problem:
        st.error(
            f"The file `{status.path}` cannot be read as a dashcam database: {status.problem}. "
            "Point `--db` at another file, or move this one away and run `dashcam ingest`."
        )
        return
    where = "does not exist yet" if not status.exists else "holds no sessions yet"
    folders = "\n".join(f"- `{folder}`" for folder in TRANSCRIPT_FOLDERS)
    st.info(f"The database `{status.path}` {where}. Ingest your agents' transcripts first:")
    st.code(f"dashcam ingest --db {status.path}", language="bash")
    st.markdown(
        "`dashcam ingest` looks in the folders the agents write to:\n"
        f"{folders}\n\n"
        "Aider keeps its history inside each project (`.aider.chat.history.md`): pass the project "
        "folder, e.g. `dashcam ingest ~/code/myproject`.\n\n"
        f"No logs of your own yet? `dashcam ingest --sample-dir sample_sessions --db {status.path}` loads "
        "the bundled demo team (used when no agent folder above holds a transcript). "
        "Then press **Refresh** (or reload the page)."
    )
    st.button("Refresh", type="primary", key="refresh_empty")


def show_audit_missing(what: str) -> None:
    st.info(
        f"**Audit data not available** — {what} come from the behaviour audit, which has not "
        "been built for this database. Run `dashcam audit --rebuild`, then reload this page.",
        icon=":material/pending:",
    )


def note_unfiltered_model(filters: Filters) -> None:
    if filters.model:
        st.caption(f"The audit is not split by model: these findings include every model, not only {filters.model}.")


def show_no_rows(what: str) -> None:
    st.info(f"No {what} for these filters.", icon=":material/filter_alt_off:")


def without_empty_columns(frame, columns: list[str]) -> list[str]:
    """``columns`` minus those with no value at all (a title column where no agent wrote titles)."""
    return [column for column in columns if frame[column].notna().any()]


def plot(figure, key: str | None = None) -> None:
    """A chart without plotly's toolbar; ``key`` tells apart charts that may look identical."""
    st.plotly_chart(figure, config={"displayModeBar": False}, key=key)
