"""Sessions: a searchable list, and one session's transcript with its findings marked.

``?session=<agent>:<id>`` opens the transcript view (every finding on the other pages links
here); ``&line=N`` lands on the page holding line N of the transcript file and repeats that
event at the top. Waits, failed commands, explanations (with their verdict) and patches are
marked so a reviewer can read the story of a spiral or a cliff without opening the JSONL.
"""

from __future__ import annotations

from pathlib import PurePath

import pandas as pd
import streamlit as st

from dashboard.present import formatting, transcript
from dashboard.present.safe_markdown import without_remote_images
from dashboard.web import data, marking, ui

LIST_LIMIT = 500
RESULT_CHARS = 1500
ROLE_LABELS = {"user": "user", "assistant": "assistant", "system": "system", "tool": "result"}


def draw_list() -> None:
    filters = ui.current_filters()
    st.title("Sessions")
    search = st.text_input(
        "Search", key="q", bind="query-params", placeholder="session id, title, project, branch, user or agent"
    )
    rows = data.run("dash_sessions", filters, search=search or None, limit=LIST_LIMIT)
    matching = int(rows["matching"].iloc[0]) if not rows.empty else 0
    st.markdown(f"**{matching:,} sessions** match" + (f" (newest {LIST_LIMIT} shown)" if matching > LIST_LIMIT else ""))
    if rows.empty:
        ui.show_no_rows("sessions")
        return
    rows = rows.assign(link=[ui.session_url(a, s) for a, s in zip(rows["agent"], rows["session_id"])])
    columns = ui.without_empty_columns(
        rows,
        [
            "link",
            "user_name",
            "project",
            "git_branch",
            "title",
            "started_at",
            "minutes",
            "messages",
            "tool_calls",
            "failures",
            "cost_usd",
            "models",
        ],
    )
    st.dataframe(
        rows[columns],
        hide_index=True,
        height=560,
        column_config={
            "link": ui.session_link_column(),
            "user_name": "User",
            "project": "Project",
            "git_branch": "Branch",
            "title": "Title",
            "started_at": st.column_config.DatetimeColumn("Started", format="YYYY-MM-DD HH:mm"),
            "minutes": st.column_config.NumberColumn("Minutes", format="%.0f"),
            "messages": "Messages",
            "tool_calls": "Tool calls",
            "failures": "Failures",
            "cost_usd": st.column_config.NumberColumn("Cost", format="dollar"),
            "models": "Models",
        },
    )


def draw_header(session) -> None:
    st.title(transcript.text_of(session.title) or f"Session {session.session_id}")
    when = (
        ""
        if pd.isna(session.started_at)
        else f"{session.started_at:%Y-%m-%d %H:%M} → {session.ended_at:%Y-%m-%d %H:%M} UTC"
    )
    parts = [
        transcript.text_of(part) for part in (session.agent, session.user_name, session.project, session.git_branch)
    ] + [when]
    st.caption(" · ".join(part for part in parts if part))
    columns = st.columns(4)
    columns[0].metric("Cost", formatting.money(session.cost_usd), border=True)
    columns[1].metric("Messages", formatting.number(session.messages), border=True)
    columns[2].metric("API responses", formatting.number(session.responses), border=True)
    columns[3].metric("Models", session.models or "—", border=True)


def failure_badge(event) -> str:
    exit_code = "" if pd.isna(event.exit_code) else f" (exit {int(event.exit_code)})"
    return f":red-badge[failed{exit_code}]"


def badges(event) -> str:
    marks = []
    if transcript.flag(event.is_error):
        marks.append(failure_badge(event))
    if transcript.flag(event.is_patch):
        changed = transcript.text_of(event.file_path)
        marks.append(f":blue-badge[patch {PurePath(changed).name if changed else ''}]")
    for finding in event.findings:
        if finding.finding == "wait":
            marks.append(f":orange-badge[{transcript.wait_label(finding)}]")
        else:
            verdict = transcript.text_of(finding.verdict) or "explanation"
            category = transcript.text_of(finding.category)
            color = "violet" if verdict == "exotic" else "gray"
            marks.append(f":{color}-badge[{verdict}{f': {category}' if category else ''}]")
    return " ".join(marks)


def event_heading(event) -> str:
    who = event.tool if event.event == "tool_call" else ROLE_LABELS.get(event.role, transcript.text_of(event.role))
    when = "" if pd.isna(event.ts) else f"{event.ts:%H:%M:%S}"
    where = f"`{PurePath(event.source_path).name}:{event.line_no}`"
    return " · ".join(part for part in (f"**{who}**", when, where, badges(event)) if part)


def draw_body(event) -> None:
    text = transcript.text_of(event.text)
    command = transcript.text_of(event.command)
    if event.event == "tool_call":
        st.code(command or text[:RESULT_CHARS], language="bash" if command else None, wrap_lines=True)
    elif event.event == "tool_result":
        if text:
            more = (
                f"\n… ({event.text_chars - RESULT_CHARS:,} more characters)" if event.text_chars > RESULT_CHARS else ""
            )
            st.code(text[:RESULT_CHARS] + more, language=None, wrap_lines=True)
    elif event.kind == "thinking":
        st.caption(without_remote_images(text))
    elif text:
        st.markdown(without_remote_images(text))
    for finding in event.findings:
        if finding.finding == "explanation":
            refuted = " The next fix changed the project's own code." if finding.refuted else ""
            st.caption(without_remote_images(f"Explanation ({finding.verdict}): “{finding.text}”{refuted}"))


def draw_event(event, focused: bool = False) -> None:
    box = st.container(border=True) if focused or transcript.is_highlighted(event) else st.container()
    with box:
        st.markdown((":material/location_on: " if focused else "") + event_heading(event))
        draw_body(event)


def load_events(agent: str, session_id: str):
    events = data.run("dash_transcript", agent=agent, session_id=session_id)
    try:
        findings = data.run_audit("dash_transcript_findings", agent=agent, session_id=session_id)
    except data.AuditMissing:
        findings = pd.DataFrame()
        st.caption("Waits and explanations are not marked: the fact tables are not built (`dashcam audit --rebuild`).")
    return transcript.attach_findings(events, findings)


def draw_transcript(agent: str, session_id: str, line: int | None) -> None:
    st.page_link(ui.SESSIONS_PAGE, label="All sessions", icon=":material/arrow_back:")
    header = data.run("dash_session", agent=agent, session_id=session_id)
    if header.empty:
        st.error(f"No session {agent}:{session_id} in this database.")
        return
    draw_header(header.iloc[0])
    events = load_events(agent, session_id)
    marking.draw_mark_form(f"session:{agent}:{session_id}", agent=agent, session_id=session_id)
    left, right = st.columns(2)
    only_highlights = left.toggle("Only marked events", key="only_marked")
    show_bookkeeping = right.toggle("Show bookkeeping lines", key="show_bookkeeping")
    st.markdown(
        ":red-badge[failed command] :orange-badge[wait / timeout] :violet-badge[exotic explanation] "
        ":gray-badge[other explanation] :blue-badge[patch]"
    )
    shown = transcript.visible_events(events, show_bookkeeping, only_highlights)
    if line is not None:
        focus = events[events["line_no"] == line]
        if not focus.empty:
            st.subheader(f"Line {line}")
            draw_event(next(focus.itertuples(index=False)), focused=True)
    pages = transcript.page_count(shown)
    page = st.number_input(
        f"Page (of {pages}, {len(shown):,} events)",
        min_value=1,
        max_value=pages,
        value=transcript.page_of_line(shown, line),
        key=f"page:{agent}:{session_id}",
    )
    for event in transcript.page_slice(shown, int(page)).itertuples(index=False):
        draw_event(event, focused=line is not None and event.line_no == line)


def main() -> None:
    selected = transcript.parse_session_key(st.query_params.get("session"))
    if selected is None:
        draw_list()
    else:
        draw_transcript(*selected, transcript.parse_line(st.query_params.get("line")))


main()
