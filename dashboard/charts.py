"""Plotly figures built from query results: ``DataFrame -> go.Figure``, nothing else.

No Streamlit here: the dashboard pages and the weekly report draw the same figures from the
same rows. Every function accepts an empty frame and returns an empty (but labelled) figure,
so a caller never needs a special case to draw "nothing yet".
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

WAIT_OUTCOME_COLORS = {"failed": "#d62728", "passed": "#2ca02c", "unknown": "#7f7f7f"}
VERDICT_COLORS = {"exotic": "#d62728", "legit": "#1f77b4", "mundane": "#bab0ac"}
CLIFF_MARK = 80
HEIGHT = 320


def _layout(
    figure: go.Figure, title: str | None, x: str | None = None, y: str | None = None, height: int = HEIGHT
) -> go.Figure:
    # room above the plot for the title and, when several traces are named, the legend row
    top = (40 if title else 10) + (30 if figure.layout.showlegend is not False and len(figure.data) > 1 else 0)
    figure.update_layout(
        title=dict(text=title, y=0.98, yanchor="top"),
        height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        hovermode="closest",
    )
    figure.update_xaxes(title=x)
    figure.update_yaxes(title=y, rangemode="tozero")
    return figure


def stacked_bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    *,
    title: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    money: bool = False,
    palette: dict[str, str] | None = None,
) -> go.Figure:
    """Bars of ``y`` per ``x``, stacked by ``color`` when given (one trace per color value,
    colored from ``palette`` when it names the value)."""
    figure = go.Figure()
    groups = frame.groupby(color, dropna=False, sort=True) if color and not frame.empty else [(None, frame)]
    for name, group in groups:
        label = name[0] if isinstance(name, tuple) else name
        figure.add_bar(
            x=group[x],
            y=group[y],
            name=str(label) if label is not None else y,
            marker_color=(palette or {}).get(label) if label is not None else None,
            hovertemplate=("%{x}<br>$%{y:,.2f}" if money else "%{x}<br>%{y:,}")
            + ("<extra>%{fullData.name}</extra>" if color else "<extra></extra>"),
        )
    figure.update_layout(barmode="stack", showlegend=bool(color))
    if money:
        figure.update_yaxes(tickprefix="$")
    return _layout(figure, title, x_title, y_title)


def cost_over_time(frame: pd.DataFrame, by: str | None = None, title: str | None = None) -> go.Figure:
    """Cost per period (``period`` column), stacked by a dimension column when ``by`` is given."""
    return stacked_bars(frame, "period", "cost_usd", by, title=title, y_title="cost (USD)", money=True)


def ranked_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    *,
    title: str | None = None,
    value_title: str | None = None,
    money: bool = False,
    top: int = 15,
) -> go.Figure:
    """Horizontal bars, largest on top, at most ``top`` of them."""
    shown = frame.nlargest(top, value) if not frame.empty else frame
    shown = shown.iloc[::-1]
    figure = go.Figure(
        go.Bar(
            x=shown[value],
            y=shown[label].astype(str),
            orientation="h",
            hovertemplate=("$%{x:,.2f}" if money else "%{x:,}") + "<extra>%{y}</extra>",
        )
    )
    if money:
        figure.update_xaxes(tickprefix="$")
    return _layout(figure, title, value_title, None, height=max(HEIGHT, 28 * len(shown) + 60))


def weekly_lines(
    frame: pd.DataFrame, columns: dict[str, str], *, title: str | None = None, y_title: str | None = None
) -> go.Figure:
    """One line per measure over ``week`` (``columns`` maps column -> legend label)."""
    figure = go.Figure()
    for column, label in columns.items():
        if column in frame:
            figure.add_scatter(x=frame["week"], y=frame[column], name=label, mode="lines+markers")
    return _layout(figure, title, None, y_title)


def staircase(steps: pd.DataFrame, attempts: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """A spiral's staircase: the wait value over time as steps (``ts``, ``value_s``), and each
    check run (``ts``, ``value_s`` in force, ``failed``) as a dot, red when it failed."""
    figure = go.Figure()
    if not steps.empty:
        steps = _extended_to(steps.sort_values("ts"), attempts["ts"].max() if not attempts.empty else None)
        figure.add_scatter(
            x=steps["ts"],
            y=steps["value_s"],
            mode="lines+markers",
            line_shape="hv",
            name="wait value",
            line=dict(color="#1f77b4"),
            marker=dict(symbol="diamond", size=7),
            hovertemplate="%{x}<br>set to %{y:,.0f} s<extra></extra>",
        )
    if not attempts.empty:
        outcome = attempts["failed"].map({True: "failed", False: "passed"}).fillna("unknown")
        for name, color in WAIT_OUTCOME_COLORS.items():
            chosen = attempts[outcome == name]
            if not chosen.empty:
                figure.add_scatter(
                    x=chosen["ts"],
                    y=chosen["value_s"],
                    mode="markers",
                    name=f"check {name}",
                    marker=dict(color=color, size=11, line=dict(color="white", width=1)),
                    hovertemplate="%{x}<br>ran with %{y:,.0f} s<extra>%{fullData.name}</extra>",
                )
    return _layout(figure, title, None, "wait (seconds)", height=260)


def _extended_to(steps: pd.DataFrame, end) -> pd.DataFrame:
    """The steps with the last value carried on to ``end``, so the last runs sit on the line."""
    if end is None or pd.isna(end) or end <= steps["ts"].iloc[-1]:
        return steps
    return pd.concat([steps, steps.tail(1).assign(ts=end)], ignore_index=True)


def completion_curve(
    progress: pd.DataFrame, patches: pd.DataFrame, *, t80=None, title: str | None = None, mark: float = CLIFF_MARK
) -> go.Figure:
    """A feature's completion (``ts``, ``completion`` 0–1: share of its final code written) over
    time with the 80% mark, its t80, and each fix attempt (``start_ts``, ``is_local``) as a tick
    along the bottom."""
    figure = go.Figure()
    if not progress.empty:
        figure.add_scatter(
            x=progress["ts"],
            y=progress["completion"] * 100,
            mode="lines",
            line_shape="hv",
            name="completion",
            hovertemplate="%{x}<br>%{y:.0f}% written<extra></extra>",
        )
    for local, (name, color) in {True: ("local fix", "#2ca02c"), False: ("wide fix", "#ff7f0e")}.items():
        chosen = patches[patches["is_local"] == local] if not patches.empty else patches
        if not chosen.empty:
            figure.add_scatter(
                x=chosen["start_ts"],
                y=[2] * len(chosen),
                mode="markers",
                name=name,
                marker=dict(symbol="line-ns-open", size=16, color=color, line=dict(width=2)),
                hovertemplate="%{x}<extra>" + name + "</extra>",
            )
    figure.add_hline(
        y=mark,
        line_dash="dash",
        line_color="#d62728",
        annotation_text=f"{mark:.0f}% mark",
        annotation_position="bottom right",
    )
    if t80 is not None and not pd.isna(t80):
        figure.add_vline(x=pd.Timestamp(t80).to_pydatetime(), line_dash="dot", line_color="#555")
    figure.update_yaxes(range=[0, 105], ticksuffix="%")
    return _layout(figure, title, None, "completion", height=300)


def comparison_bars(
    frame: pd.DataFrame, label: str, value: str, *, title: str | None = None, value_title: str | None = None
) -> go.Figure:
    """One bar per person or project in name order (not ranked), with the team median as a line."""
    shown = frame.dropna(subset=[value]).sort_values(label) if not frame.empty else frame
    figure = go.Figure(
        go.Bar(
            x=shown[label].astype(str),
            y=shown[value],
            marker_color="#4c78a8",
            hovertemplate="%{x}<br>%{y:,.2f}<extra></extra>",
        )
    )
    if not shown.empty:
        median = float(shown[value].median())
        figure.add_hline(
            y=median,
            line_dash="dot",
            line_color="#555",
            annotation_text=f"team median {median:,.2f}",
            annotation_position="top left",
        )
    return _layout(figure, title, None, value_title)
