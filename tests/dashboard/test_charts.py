"""The dashboard's figures: pure ``DataFrame -> go.Figure`` functions, checked on what they draw."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts

EMPTY_CASES = [
    lambda: charts.cost_over_time(pd.DataFrame(columns=["period", "cost_usd"])),
    lambda: charts.ranked_bars(pd.DataFrame(columns=["user_name", "cost_usd"]), "user_name", "cost_usd"),
    lambda: charts.weekly_lines(pd.DataFrame(columns=["week", "rate"]), {"rate": "rate"}),
    lambda: charts.staircase(
        pd.DataFrame(columns=["ts", "value_s"]), pd.DataFrame(columns=["ts", "value_s", "failed"])
    ),
    lambda: charts.completion_curve(
        pd.DataFrame(columns=["ts", "completion"]), pd.DataFrame(columns=["start_ts", "is_local"])
    ),
    lambda: charts.comparison_bars(pd.DataFrame(columns=["member", "rate"]), "member", "rate"),
]


@pytest.mark.parametrize("draw", EMPTY_CASES)
def test_every_chart_draws_an_empty_frame(draw):
    figure = draw()
    assert isinstance(figure, go.Figure)
    figure.to_json()  # serializable, as Streamlit and the report need


def test_cost_is_stacked_one_trace_per_dimension_value():
    frame = pd.DataFrame(
        {
            "period": ["2026-10-05", "2026-10-05", "2026-10-12"],
            "user_name": ["alice", "bob", "alice"],
            "cost_usd": [1.0, 2.0, 4.0],
        }
    )
    figure = charts.cost_over_time(frame, "user_name", title="Cost per week")
    assert [trace.name for trace in figure.data] == ["alice", "bob"]
    assert figure.layout.barmode == "stack"
    assert sum(sum(trace.y) for trace in figure.data) == 7.0
    assert figure.layout.yaxis.tickprefix == "$"


def test_ranked_bars_put_the_largest_on_top_and_cut_the_tail():
    frame = pd.DataFrame({"model": [f"m{i}" for i in range(20)], "cost_usd": [float(i) for i in range(20)]})
    bar = charts.ranked_bars(frame, "model", "cost_usd", top=5).data[0]
    assert list(bar.y) == ["m15", "m16", "m17", "m18", "m19"]  # plotly draws the last category on top


def test_the_staircase_carries_the_last_value_to_the_last_run():
    steps = pd.DataFrame(
        {
            "ts": pd.to_datetime(["2026-10-08 09:40", "2026-10-08 09:41", "2026-10-08 09:44"]),
            "value_s": [60.0, 120.0, 300.0],
        }
    )
    attempts = pd.DataFrame(
        {
            "ts": pd.to_datetime(["2026-10-08 09:41:50", "2026-10-08 09:49:00", "2026-10-08 09:59:00"]),
            "value_s": [120.0, 300.0, 300.0],
            "failed": [True, True, False],
        }
    )
    figure = charts.staircase(steps, attempts)
    line, *dots = figure.data
    assert line.line.shape == "hv"
    assert list(line.y) == [60.0, 120.0, 300.0, 300.0]
    assert pd.Timestamp(line.x[-1]) == pd.Timestamp("2026-10-08 09:59")
    assert {dot.name: len(dot.x) for dot in dots} == {"check failed": 2, "check passed": 1}


def test_the_completion_curve_marks_80_percent_and_every_fix():
    progress = pd.DataFrame(
        {"ts": pd.to_datetime(["2026-10-19", "2026-10-20", "2026-11-10"]), "completion": [0.5, 0.95, 1.0]}
    )
    patches = pd.DataFrame(
        {"start_ts": pd.to_datetime(["2026-10-22", "2026-10-26", "2026-10-28"]), "is_local": [True, True, False]}
    )
    figure = charts.completion_curve(progress, patches, t80=pd.Timestamp("2026-10-20"))
    curve, local, wide = figure.data
    assert list(curve.y) == [50.0, 95.0, 100.0]
    assert (len(local.x), len(wide.x)) == (2, 1)
    assert [shape.y0 for shape in figure.layout.shapes if shape.type == "line" and shape.y0 == shape.y1] == [80]
    assert any(shape.x0 == shape.x1 for shape in figure.layout.shapes)  # the t80 line


def test_comparison_bars_are_in_name_order_with_the_median():
    frame = pd.DataFrame({"member": ["carol", "alice", "bob"], "rate": [3.0, 1.0, 2.0]})
    figure = charts.comparison_bars(frame, "member", "rate")
    assert list(figure.data[0].x) == ["alice", "bob", "carol"]
    assert figure.layout.annotations[0].text == "team median 2.00"


def test_verdict_colors_follow_the_palette():
    frame = pd.DataFrame({"category": ["kernel", "code"], "verdict": ["exotic", "mundane"], "explanations": [1, 5]})
    figure = charts.stacked_bars(frame, "category", "explanations", "verdict", palette=charts.VERDICT_COLORS)
    assert {trace.name: trace.marker.color for trace in figure.data} == {
        "exotic": charts.VERDICT_COLORS["exotic"],
        "mundane": charts.VERDICT_COLORS["mundane"],
    }
