"""The audits' SQL follows work across sessions of one feature, and counts what the user reports.

A staircase of waits raised at one site goes on when the work does: the next day's session on
the branch continues it (a spiral split across two sessions of a feature is one spiral), while
the same site in an unrelated feature, or a new story started from a lower value, is no
continuation. A row of ``fact_user_reports`` (whatever decided it is a report) opens a fix
attempt's window as a failed check does.
"""

from __future__ import annotations

import pytest

import queries
from ingest.pipeline import ingest_paths
from ingest.refresh import rebuild_audit_tables
from ingest.store import open_store
from tests.agent_transcripts import FORMATS, Session, write_session
from tests.audits.test_spirals import GO_FAIL, GO_PASS, eventually

TEST = "test/e2e/leader_test.go"
COMMAND = "go test ./test/e2e -run TestLeaderElection -v -count=1"


def day_one(name: str, branch: str, start: str = "2026-10-20T16:00:00Z") -> Session:
    """5 → 10 s after a failure; the day ends with the test still failing."""
    s = Session(name, branch=branch, start=start)
    s.prompt("The leader election e2e test fails, get it green.")
    s.shell(COMMAND, GO_FAIL.format(s=5), exit_code=1, seconds=9)
    s.edit(TEST, eventually(5), eventually(10))
    s.shell(COMMAND, GO_FAIL.format(s=10), exit_code=1, seconds=14)
    s.say("Still failing at 10s; I'll pick this up tomorrow.")
    return s


def day_two(name: str, branch: str, start: str = "2026-10-21T09:00:00Z") -> Session:
    """10 → 30 → 120 s, each after a failure, then the test passes with nothing else changed."""
    s = Session(name, branch=branch, start=start)
    s.prompt("Let's get back to the leader election test from yesterday.")
    s.edit(TEST, eventually(10), eventually(30))
    s.shell(COMMAND, GO_FAIL.format(s=30), exit_code=1, seconds=34)
    s.edit(TEST, eventually(30), eventually(120))
    s.shell(COMMAND, GO_PASS, seconds=8)
    return s


def ingest_stories(root, stories: list[Session], fmt: str):
    """One database per format: the two renderings of a story would otherwise be one feature's sessions."""
    for session in stories:
        write_session(root / "logs", session, fmt)
    con = open_store(root / "audit.duckdb")
    ingest_paths(con, [root / "logs"], user_name="dev")
    return con


SPLIT_STORIES = [
    day_one("split-1", "feature/leader"),
    day_two("split-2", "feature/leader"),
    # the same site in two unrelated features: another branch, and two trunk sessions no resume links
    day_one("other-1", "feature/lease", start="2026-10-22T16:00:00Z"),
    day_two("other-2", "feature/renew", start="2026-10-23T09:00:00Z"),
    day_one("trunk-1", "main", start="2026-10-24T16:00:00Z"),
    day_two("trunk-2", "main", start="2026-10-25T09:00:00Z"),
]


@pytest.fixture(scope="module", params=FORMATS)
def split_db(request, tmp_path_factory):
    fmt = request.param
    con = ingest_stories(tmp_path_factory.mktemp(f"split-{fmt}"), SPLIT_STORIES, fmt)
    yield con, fmt, {s.name: s.session_id(fmt) for s in SPLIT_STORIES}
    con.close()


def test_a_spiral_split_across_two_sessions_of_a_feature_is_one_spiral(split_db):
    con, _fmt, ids = split_db
    spirals = queries.run(con, "audit_spirals")
    first, second = ids["split-1"], ids["split-2"]
    found = spirals[spirals.session_id.isin([first, second])]
    assert len(found) == 1, found
    spiral = found.iloc[0]
    assert spiral.session_id == first  # it belongs to the session it started in
    assert list(spiral["values_s"]) == [5.0, 10.0, 30.0, 120.0]
    assert (spiral.escalations, spiral.outcome) == (3, "masked")
    # the night between the sessions is no time spent waiting
    night = con.execute(
        "SELECT date_diff('millisecond', max(ended_at) FILTER (WHERE session_id = ?),"
        " min(started_at) FILTER (WHERE session_id = ?)) / 1000.0 FROM audit_session_features",
        [first, second],
    ).fetchone()[0]
    assert night > 12 * 3600
    assert spiral.wasted_s == pytest.approx((spiral.end_ts - spiral.start_ts).total_seconds() - night)
    assert 0 < spiral.wasted_s < 600
    stored = con.execute("SELECT sessions FROM audit_spirals WHERE spiral_id = ?", [spiral.spiral_id]).fetchone()
    assert stored == ([first, second],)
    steps = queries.run(con, "audit_spiral_steps", spiral_id=spiral.spiral_id)
    assert list(steps.session_id) == [first, first, second, second]
    runs = queries.run(con, "dash_spiral_runs")
    runs = runs[runs.spiral_id == spiral.spiral_id]
    assert list(runs.failed) == [True, True, False]  # the check's runs on the staircase, in both sessions
    assert runs.source_path.nunique() == 2


@pytest.mark.parametrize("pair", [("other-1", "other-2"), ("trunk-1", "trunk-2")])
def test_the_same_site_in_unrelated_features_does_not_join(split_db, pair):
    con, _fmt, ids = split_db
    spirals = queries.run(con, "audit_spirals")
    assert spirals[spirals.session_id.isin([ids[name] for name in pair])].empty
    assert len(spirals) == 1  # the split spiral only


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_story_at_the_same_site_starts_its_own_staircase(tmp_path, fmt):
    """The feature's second session starts again from 5 s: two staircases, neither a spiral alone."""
    restart = day_two("restart-2", "feature/leader")
    restart.steps.clear()
    restart.prompt("Another flaky run of the leader election test.")
    restart.shell(COMMAND, GO_FAIL.format(s=5), exit_code=1, seconds=9)
    restart.edit(TEST, eventually(5), eventually(10))
    restart.shell(COMMAND, GO_PASS, seconds=8)
    with ingest_stories(tmp_path, [day_one("restart-1", "feature/leader"), restart], fmt) as con:
        assert queries.run(con, "audit_spirals").empty
        steps = con.execute(
            "SELECT count(DISTINCT chain_session_no), count(*) FILTER (WHERE is_escalation) FROM audit_wait_steps"
        ).fetchone()
        assert steps == (2, 2)


# ---------------------------------------------------------------------------- user reports


def reported_fix() -> Session:
    """A prompt in words no report detector has to know, then a fix with no check run before it."""
    s = Session("reported", branch="feature/totals", start="2026-11-02T10:00:00Z")
    s.prompt("Write the totals module.")
    s.write("src/totals.py", "\n".join(f"TOTAL_{i} = {i}" for i in range(40)) + "\n")
    s.shell("uv run pytest -q", "=================== 3 passed in 0.41s ===================")
    s.prompt("Numbers on the summary screen come out twice as large as on the invoice.")
    s.edit("src/totals.py", "TOTAL_3 = 3", "TOTAL_3 = 3  # counted once")
    s.shell("uv run pytest -q", "=================== 4 passed in 0.44s ===================")
    return s


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_user_report_opens_a_fix_attempt_window(tmp_path, fmt):
    session = reported_fix()
    write_session(tmp_path / "logs", session, fmt)
    sid = session.session_id(fmt)
    with open_store(tmp_path / "audit.duckdb") as con:
        ingest_paths(con, [tmp_path / "logs"], user_name="dev")
        prompt_ord = con.execute(
            "SELECT max(ord) FROM fact_prompts WHERE session_id = ? AND text LIKE 'Numbers on the summary%'", [sid]
        ).fetchone()[0]
        assert prompt_ord is not None

        def patches():
            return con.execute(
                "SELECT trigger_kind, edit_calls FROM audit_patches WHERE session_id = ? ORDER BY trigger_ts", [sid]
            ).fetchall()

        def feature_patches():
            return con.execute(
                "SELECT patches_total FROM audit_features WHERE feature LIKE '%feature/totals'"
            ).fetchone()

        con.execute("DELETE FROM fact_user_reports WHERE session_id = ?", [sid])
        rebuild_audit_tables(con)
        assert patches() == [] and feature_patches() == (0,)

        # the report as an improved detector records it: fact_user_reports decides, not fact_prompts.is_report
        con.execute(
            "INSERT INTO fact_user_reports (agent, session_id, ts, ord, cue, text)"
            " SELECT agent, session_id, ts, ord, 'twice as large', text FROM fact_prompts WHERE session_id = ? AND ord = ?",
            [sid, prompt_ord],
        )
        con.execute("UPDATE fact_prompts SET is_report = false WHERE session_id = ?", [sid])
        rebuild_audit_tables(con)
        assert patches() == [("user_report", 1)] and feature_patches() == (1,)

        # a prompt flagged in fact_prompts alone opens nothing
        con.execute("DELETE FROM fact_user_reports WHERE session_id = ?", [sid])
        con.execute("UPDATE fact_prompts SET is_report = true WHERE session_id = ? AND ord = ?", [sid, prompt_ord])
        rebuild_audit_tables(con)
        assert patches() == []


def polls_of_three_tasks() -> Session:
    """Three background runs, each polled once with a larger budget, a failed check between them."""
    s = Session("polls", branch="fix/e2e")
    s.prompt("The e2e suite fails, find out why.")
    for task, budget in (("b1", 10_000), ("b2", 60_000), ("b3", 300_000)):
        s.shell(COMMAND, GO_FAIL.format(s=5), exit_code=1, seconds=9)
        s.poll(task, budget, f"task {task}: still running")
    return s


def test_polls_of_different_background_tasks_are_not_one_site(tmp_path):
    """A poll runs no command, so it has no check to be keyed by: polls of three tasks must not
    line up as one staircase of 10 → 60 → 300 s (the same task polled longer would)."""
    with ingest_stories(tmp_path, [polls_of_three_tasks()], "claude") as con:
        polls = con.execute(
            "SELECT count(*), count(DISTINCT link_key), count(*) FILTER (WHERE is_raise) "
            "FROM audit_wait_steps WHERE construct = 'TaskOutput timeout'"
        ).fetchone()
        assert polls == (3, 3, 0)
        assert queries.run(con, "audit_spirals").empty
