"""The mark form and the measured precision, shared by the audit pages and the transcript view.

The dashboard reads and never writes, with one exception: a person's mark on a finding. The
form calls :func:`ingest.marks.mark_finding` from the button's callback, which Streamlit runs
before the next render, so no read-only connection of this process is open while the mark's
short write holds the lock. The precision shown is the team's own, measured from the marks.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.present.explain import rule_ids_in
from dashboard.web import data
from ingest.api import MARKS, StoreError, mark_finding, rule_catalog

TEXT_CHARS = 90
FINDINGS_LISTED = 300


def _label(row: dict) -> str:
    text = " ".join(str(row.get("text") or "").split())
    text = text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"
    mark = row.get("mark")
    marked = f" — marked {mark}" if isinstance(mark, str) else ""
    return f"[{row['verdict']}] {text}{marked}"


def _save(key: str, labels: dict[str, str]) -> None:
    finding_id = st.session_state.get(f"{key}:finding")
    mark = st.session_state.get(f"{key}:mark")
    if not finding_id or mark not in MARKS:
        st.session_state[f"{key}:saved"] = ("error", "Choose a finding and right or wrong first.")
        return
    try:
        result = mark_finding(data.require_path(), finding_id, mark, st.session_state.get(f"{key}:note") or None)
    except (StoreError, ValueError) as error:
        st.session_state[f"{key}:saved"] = ("error", str(error))
        return
    data.clear_cache()
    st.session_state[f"{key}:saved"] = ("ok", f"Marked {result.mark}: {labels.get(finding_id, finding_id)}")


def draw_mark_form(
    key: str,
    kind: str | None = None,
    verdict: str | None = None,
    session_id: str | None = None,
    agent: str | None = None,
) -> None:
    """A form to mark one of the findings of ``kind`` (in one session, of one verdict) right or wrong."""
    try:
        found = data.run_audit("audit_findings", kind=kind, session_id=session_id, agent=agent)
    except data.AuditMissing:
        return
    if verdict is not None:
        found = found[found["verdict"] == verdict]
    with st.expander("Mark a finding right or wrong", icon=":material/rule:"):
        if found.empty:
            st.caption("No finding here to mark.")
            return
        rows = found.tail(FINDINGS_LISTED).to_dict("records")
        labels = {row["finding_id"]: _label(row) for row in rows}
        chosen = st.selectbox("Finding", list(labels), format_func=lambda i: f"{i} {labels[i]}", key=f"{key}:finding")
        draw_rules_that_fired(next((row for row in rows if row["finding_id"] == chosen), None))
        st.radio("The audit was", MARKS, horizontal=True, index=None, key=f"{key}:mark")
        st.text_input("Note (optional)", key=f"{key}:note")
        st.button("Save mark", key=f"{key}:save", on_click=_save, args=(key, labels))
        saved = st.session_state.pop(f"{key}:saved", None)
        if saved:
            (st.success if saved[0] == "ok" else st.error)(saved[1])


def draw_rules_that_fired(row: dict | None) -> None:
    """The catalogued rules behind a finding (``dashcam audit --explain ID`` on the terminal)."""
    if row is None:
        return
    catalogue = rule_catalog()
    ids = rule_ids_in([row.get("rules")], catalogue)
    if not ids:
        st.caption(f"Rules: {row.get('rules') or 'none recorded'} (not in the rule catalogue).")
        return
    st.dataframe(
        pd.DataFrame([catalogue[rule_id] for rule_id in ids])[["id", "kind", "category", "note", "pattern"]],
        hide_index=True,
        column_config={
            "id": "Rule that fired",
            "kind": "Kind",
            "category": "Category",
            "note": "Why",
            "pattern": "Pattern",
        },
    )


def precision_table(kind: str | None = None) -> pd.DataFrame:
    """The measured precision rows (per audit and per rule) of ``kind``, empty without marks."""
    try:
        frame = data.run_audit("audit_mark_precision")
    except data.AuditMissing:
        return pd.DataFrame()
    return frame if kind is None else frame[frame["kind"] == kind]


def draw_precision(kind: str) -> None:
    """The team's measured precision on this audit, per verdict and per rule, from the marks."""
    frame = precision_table(kind)
    st.subheader("Measured precision (from the team's marks)")
    if frame.empty:
        st.caption(
            "No finding is marked yet: mark findings right or wrong below or with "
            "`dashcam audit mark ID right|wrong`; the precision measured from them appears here."
        )
        return
    audits = frame[frame["level"] == "audit"]
    columns = st.columns(max(len(audits), 1))
    for column, row in zip(columns, audits.itertuples(index=False)):
        column.metric(
            f"Precision: {row.audit}",
            f"{row.precision:.0%}",
            border=True,
            help=f"{row.right_marks} of {row.marked} marked findings marked right.",
        )
    rules = frame[frame["level"] == "rule"]
    st.dataframe(
        rules[["audit", "rule", "marked", "right_marks", "precision"]],
        hide_index=True,
        column_config={
            "audit": "Audit",
            "rule": "Rule",
            "marked": "Marked",
            "right_marks": "Right",
            "precision": st.column_config.NumberColumn("Precision", format="percent"),
        },
    )
