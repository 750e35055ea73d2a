"""The dashboard's plain logic, without Streamlit: weeks, roll-ups, rates, the transcript's
paging and wording, the database path, and the command line that serves the app."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.cli.serve import streamlit_command, streamlit_environment
from dashboard.present import metrics, transcript
from dashboard.web import data
from dashboard.web.filters import Filters


def weekly(rows: dict[str, tuple[int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": pd.to_datetime(list(rows)),
            "sessions": [s for s, _ in rows.values()],
            "cost_usd": [c for _, c in rows.values()],
        }
    )


def cube(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "day",
        "user_name",
        "project",
        "agent",
        "model",
        "responses",
        "input_tokens",
        "output_tokens",
        "cache_creation_tokens",
        "cache_read_tokens",
        "total_tokens",
        "cost_usd",
        "unpriced_rows",
        "unpriced_tokens",
        "cache_saved_usd",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


SAMPLE_CUBE = cube(
    [
        ("2026-10-05", "alice", "p", "claude", "opus", 2, 100, 10, 0, 900, 1010, 1.0, 0, 0, 0.0121),
        ("2026-10-06", "bob", "p", "codex", "gpt", 1, 50, 5, 0, 0, 55, 0.5, 0, 0, 0.0),
        ("2026-11-02", "bob", "q", "aider", "local", 3, 30, 3, 0, 0, 33, None, 3, 33, None),
    ]
)


# --------------------------------------------------------------------------- weeks


def test_this_week_is_the_current_one_when_it_has_data():
    assert metrics.pick_weeks(weekly({"2026-11-16": (3, 1.0), "2026-11-23": (1, 0.2)}), date(2026, 11, 26)) == (
        date(2026, 11, 23),
        date(2026, 11, 16),
    )


def test_an_empty_current_week_falls_back_to_the_latest_week_with_data():
    frame = weekly({"2026-10-05": (3, 1.0), "2026-11-16": (2, 0.5), "2026-11-23": (0, 0.0)})
    assert metrics.pick_weeks(frame, date(2026, 11, 26)) == (date(2026, 11, 16), date(2026, 11, 9))
    assert metrics.pick_weeks(weekly({}), date(2026, 11, 26)) is None


def test_weekly_series_fills_the_weeks_without_rows():
    frame = weekly({"2026-11-02": (3, 1.0), "2026-11-16": (2, 0.5)})
    assert metrics.weekly_series(frame, "sessions", date(2026, 11, 16), weeks=3) == [3.0, 0.0, 2.0]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_a_week_starts_on_the_monday_on_or_before_the_day(day):
    start = metrics.week_start(day)
    assert start.isoweekday() == 1 and 0 <= (day - start).days < 7
    assert metrics.period_start(pd.Series([pd.Timestamp(day)]), "week").iloc[0].date() == start


# --------------------------------------------------------------------------- cost


def test_cost_rolls_up_by_period_and_dimension():
    by_month = metrics.cost_over_time(SAMPLE_CUBE, "month", "user")
    assert by_month[["period", "user_name", "cost_usd"]].values.tolist() == [
        [pd.Timestamp("2026-10-01"), "alice", 1.0],
        [pd.Timestamp("2026-10-01"), "bob", 0.5],
        [pd.Timestamp("2026-11-01"), "bob", 0.0],
    ]
    by_agent = metrics.cost_by(SAMPLE_CUBE, "agent")
    assert by_agent["agent"].tolist() == ["claude", "codex", "aider"]
    assert by_agent["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])


def test_the_summary_counts_unpriced_responses_and_the_cache_read_share():
    summary = metrics.cost_summary(SAMPLE_CUBE)
    assert (summary.cost_usd, summary.responses, summary.unpriced_responses) == (1.5, 6, 3)
    assert summary.cache_read_share == pytest.approx(900 / (100 + 50 + 30 + 900))
    assert metrics.cost_summary(SAMPLE_CUBE.iloc[0:0]).cache_read_share == 0.0


def test_caching_saved_sums_the_per_call_savings_of_models_that_read_the_cache():
    saved = metrics.cache_savings(SAMPLE_CUBE)
    assert saved[["agent", "model", "cache_read_tokens"]].values.tolist() == [["claude", "opus", 900]]
    assert saved["saved_usd"].iloc[0] == pytest.approx(0.0121)


def test_a_model_without_a_price_saves_nothing_it_is_listed_as_unpriced():
    saved = metrics.cache_savings(SAMPLE_CUBE.assign(cache_read_tokens=10, cache_saved_usd=None))
    assert saved.empty
    reasons = pd.DataFrame({"agent": ["aider"], "model": ["local"], "reason": ["runs locally"]})
    unpriced = metrics.unpriced_models(SAMPLE_CUBE, reasons)
    assert unpriced.values.tolist() == [["aider", "local", 3, 33, "runs locally"]]


# --------------------------------------------------------------------------- team


def test_team_rates_divide_by_activity_and_never_by_zero():
    counts = pd.DataFrame(
        {
            "member": ["alice", "bob"],
            "sessions": [10, 0],
            "active_days": [5, 0],
            "failures": [4, 0],
            "tool_calls": [50, 0],
            "cost_usd": [20.0, 0.0],
            "spirals": [2, 0],
            "spiral_wait_minutes": [30.0, 0.0],
            "exotic_explanations": [1, 0],
            "failed_commands": [20, 0],
        }
    )
    rated = metrics.team_rates(counts)
    alice = rated.iloc[0]
    assert (alice.cost_per_session, alice.spirals_per_10_sessions, alice.exotic_per_100_failures) == (2.0, 2.0, 5.0)
    assert rated.iloc[1][list(metrics.TEAM_RATES)].isna().all()


def test_conversations_start_only_far_from_the_median_with_enough_sessions():
    rated = pd.DataFrame({"member": ["a", "b", "c", "d"], "sessions": [10, 10, 10, 2], "rate": [1.0, 1.0, 3.0, 9.0]})
    assert metrics.far_from_median(rated, "rate")["member"].tolist() == ["c"]


def test_each_check_run_sits_at_the_wait_value_in_force():
    steps = pd.DataFrame({"ts": pd.to_datetime(["2026-10-08 09:00:00", "2026-10-08 09:10:00"]), "value_s": [5.0, 20.0]})
    runs = pd.DataFrame({"ts": pd.to_datetime(["2026-10-08 09:05:00", "2026-10-08 09:15:00"]), "failed": [True, False]})
    assert metrics.attempts_on_staircase(steps, runs)["value_s"].tolist() == [5.0, 20.0]


# --------------------------------------------------------------------------- transcript


def test_a_session_key_keeps_colons_in_the_id():
    assert transcript.parse_session_key("gemini:project:abc") == ("gemini", "project:abc")
    assert transcript.parse_session_key("no-agent") is None
    assert transcript.parse_session_key(":x") is None
    assert (transcript.parse_line("12"), transcript.parse_line("twelve"), transcript.parse_line(None)) == (
        12,
        None,
        None,
    )


@pytest.mark.parametrize(
    "seconds, text", [(0.5, "500 ms"), (45, "45 s"), (600, "10 min"), (5400, "90 min"), (10800, "3 h"), (None, "?")]
)
def test_waits_are_worded_as_people_say_them(seconds, text):
    assert transcript.seconds_text(seconds) == text


def events_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["event", "source_path", "line_no", "role", "kind", "text", "is_error", "is_patch"]
    )


def test_findings_land_on_the_call_or_the_message_of_their_line():
    events = events_frame(
        [
            ("message", "f", 1, "assistant", "text", "raise it", None, False),
            ("tool_call", "f", 2, "assistant", "tool_call", "sleep 30", None, False),
            ("tool_result", "f", 3, "tool", "tool_result", "boom", True, False),
        ]
    )
    findings = pd.DataFrame(
        [("f", 2, "wait", "command"), ("f", 1, "wait", "prose"), ("f", 1, "explanation", "prose")],
        columns=["source_path", "line_no", "finding", "source"],
    )
    attached = transcript.attach_findings(events, findings)
    assert [[f.finding for f in found] for found in attached["findings"]] == [["wait", "explanation"], ["wait"], []]
    assert [transcript.is_highlighted(e) for e in attached.itertuples(index=False)] == [True, True, True]


def test_paging_lands_on_the_linked_line_and_hides_bookkeeping():
    rows = [
        ("message", "f", n, "system" if n % 2 else "user", "meta" if n % 2 else "text", f"t{n}", None, False)
        for n in range(1, 401)
    ]
    events = transcript.attach_findings(events_frame(rows), pd.DataFrame())
    shown = transcript.visible_events(events, show_bookkeeping=False, only_highlights=False)
    assert len(shown) == 200 and transcript.page_count(shown) == 2
    assert transcript.page_of_line(shown, 300) == 2
    assert transcript.page_of_line(shown, 299) == 1  # a hidden line: the first page
    assert transcript.page_slice(shown, 2)["line_no"].iloc[0] == 202


# --------------------------------------------------------------------------- filters, path, command


def test_filters_become_query_parameters():
    filters = Filters(since=date(2026, 10, 5), user_name="alice", tz="UTC")
    assert filters.params() == {
        "since": "2026-10-05",
        "until": None,
        "user_name": "alice",
        "project": None,
        "agent": None,
        "model": None,
        "tz": "UTC",
    }
    assert filters.active and not Filters().active


def test_the_database_comes_from_the_command_line_or_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHCAM_DB", str(tmp_path / "env.duckdb"))
    assert data.database_path(["--db", "/data/a.duckdb"]) == data.Path("/data/a.duckdb")
    assert data.database_path(["--db=/data/b.duckdb"]) == data.Path("/data/b.duckdb")
    assert data.database_path([]) == tmp_path / "env.duckdb"
    monkeypatch.delenv("DASHCAM_DB")
    assert data.database_path([]) is None


def test_the_server_binds_to_the_given_host_headless_without_usage_statistics(tmp_path):
    command = streamlit_command("127.0.0.1", 8600)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("dashboard/web/app.py")
    options = dict(zip(command[5::2], command[6::2]))
    assert options == {
        "--server.address": "127.0.0.1",
        "--server.port": "8600",
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",
    }
    assert streamlit_environment(tmp_path / "x.duckdb")["DASHCAM_DB"] == str(tmp_path / "x.duckdb")
