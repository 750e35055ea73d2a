"""80% cliff: per feature, how long the last 20% took compared with the first 80%.

A feature's t80 is the moment after which at least 80% of its final code stays written. A
cliff is at least twice as much time after t80 as before it, with at least ten fix attempts
past t80. Cliffs are listed first; for the chosen feature the page draws its completion over
time, compares the patches before and after the mark (local or wide, regressions) and links
each patch to its transcript.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.present import definitions, formatting
from dashboard.web import data, marking, ui

DEFINITION = definitions.CLIFF
PATCH_LIMIT = 500  # fixes listed for a feature; the counts and the curve's ticks cover them all


def draw_totals(features) -> None:
    columns = st.columns(4)
    columns[0].metric("Features", formatting.number(len(features)), border=True)
    columns[1].metric("Cliffs", formatting.number(int(features["cliff"].sum())), border=True)
    columns[2].metric("Fixes past 80%", formatting.number(int(features["patches_after_80"].sum())), border=True)
    columns[3].metric(
        "Regressions",
        formatting.number(int(features["regressions"].sum())),
        border=True,
        help="Fixes after which a check that passed before failed.",
    )


def draw_features(features) -> None:
    st.dataframe(
        features[
            [
                "feature",
                "cliff",
                "sessions",
                "hours_before_80",
                "hours_after_80",
                "patches_total",
                "patches_after_80",
                "local_share",
                "regressions",
            ]
        ],
        hide_index=True,
        column_config={
            "feature": "Feature",
            "cliff": st.column_config.CheckboxColumn("Cliff"),
            "sessions": "Sessions",
            "hours_before_80": st.column_config.NumberColumn("Hours to 80%", format="%.1f"),
            "hours_after_80": st.column_config.NumberColumn("Hours after", format="%.1f"),
            "patches_total": "Fixes",
            "patches_after_80": "Fixes past 80%",
            "local_share": st.column_config.NumberColumn("Local fixes", format="percent"),
            "regressions": "Regressions",
        },
    )


def before_and_after(feature, sides) -> pd.DataFrame:
    """Time, fixes (local and wide) and regressions on each side of the 80% mark, from the
    patches counted per side (``dash_patch_sides``)."""
    rows = []
    for label, side, hours in (
        ("before 80%", False, feature.hours_before_80),
        ("after 80%", True, feature.hours_after_80),
    ):
        counted = sides[sides["after_80"] == side]
        figure = {column: int(counted[column].sum()) for column in ("fixes", "local", "wide", "regressions")}
        rows.append({"": label, "hours": hours, **figure})
    return pd.DataFrame(rows)


def draw_feature(filters, feature) -> None:
    progress = data.run_audit("audit_feature_completion", filters, feature=feature.feature)
    # counted and drawn from SQL: a feature's patches can be too many to load for a page
    sides = data.run_audit("dash_patch_sides", filters, feature=feature.feature)
    ticks = data.run_audit("dash_patch_ticks", filters, feature=feature.feature)
    patches = data.run_audit("dash_patches", filters, feature=feature.feature, limit=PATCH_LIMIT)
    ui.plot(
        charts.completion_curve(
            progress, ticks, t80=feature.t80, title=f"{feature.feature}: share of the final code written"
        )
    )
    left, right = st.columns([2, 3])
    left.dataframe(
        before_and_after(feature, sides),
        hide_index=True,
        column_config={
            "": "",
            "hours": st.column_config.NumberColumn("Hours", format="%.1f"),
            "fixes": "Fixes",
            "local": "Local",
            "wide": "Wide",
            "regressions": "Regressions",
        },
    )
    if patches.empty:
        return
    fixes = int(sides["fixes"].sum())
    if fixes > PATCH_LIMIT:
        right.caption(f"The first {PATCH_LIMIT:,} of {fixes:,} fixes, in time order.")
    table = patches.assign(
        link=[
            ui.session_url(a, s, line)
            for a, s, line in zip(patches["agent"], patches["session_id"], patches["line_no"])
        ],
        files=patches["files"].map(lambda files: ", ".join(files) if files is not None else ""),
    )
    right.dataframe(
        table[["link", "start_ts", "after_80", "files", "lines_changed", "is_local", "broke_something"]],
        hide_index=True,
        column_config={
            "link": ui.session_link_column(),
            "start_ts": "When (UTC)",
            "after_80": st.column_config.CheckboxColumn("Past 80%"),
            "files": "Files",
            "lines_changed": "Lines",
            "is_local": st.column_config.CheckboxColumn("Local"),
            "broke_something": st.column_config.CheckboxColumn("Regression"),
        },
    )


def main() -> None:
    filters = ui.current_filters()
    st.title("80% cliff")
    st.caption(DEFINITION)
    try:
        features = data.run_audit("audit_cliff_features", filters)
    except data.AuditMissing:
        ui.show_audit_missing("features and their 80% mark")
        return
    ui.note_unfiltered_model(filters)
    if features.empty:
        ui.show_no_rows("features")
        return
    draw_totals(features)
    draw_features(features)
    marking.draw_precision("cliff")
    marking.draw_mark_form("cliff", kind="cliff")
    chosen = st.selectbox("Feature", features["feature"].tolist(), key="feature", bind="query-params")
    draw_feature(filters, features[features["feature"] == chosen].iloc[0])


main()
