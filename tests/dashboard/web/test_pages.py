"""The dashboard driven page by page with Streamlit's AppTest, on real ingested transcripts.

Each page is checked for the numbers it shows, against the CLI (``dashcam costs --json``)
or a direct SQL count for the same filters, with and without filters, on the demo corpus, on
an empty database, on a database from before the audit, and while an ingest holds the lock.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard.cli import app as cli_app
from dashboard.present import transcript
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import FIXTURES, REPO

APP = REPO / "dashboard" / "web" / "app.py"
PAGES = ("overview", "cost", "spirals", "explanations", "cliff", "sessions", "team")
TITLES = {
    "overview": "Overview",
    "cost": "Cost",
    "spirals": "Spirals",
    "explanations": "Explanations",
    "cliff": "80% cliff",
    "sessions": "Sessions",
    "team": "Team",
}


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    open_store(path).close()
    return path


@pytest.fixture(scope="module")
def pre_audit_db(tmp_path_factory) -> Path:
    """Events but no audit: the schema of a database ingested before the audit existed."""
    path = tmp_path_factory.mktemp("pre-audit") / "events-only.duckdb"
    con = open_store(path)
    try:
        ingest_paths(con, [FIXTURES / "codex"], "bob")
        audit_objects = con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_name LIKE 'fact_%' OR table_name LIKE 'audit_%' ORDER BY table_type = 'VIEW' DESC"
        ).fetchall()
        for name, kind in audit_objects:
            con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")
    finally:
        con.close()
    return path


def sql(db: Path, query: str, *params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


@functools.cache
def component_registry():
    """AppTest scans every installed package for custom components on its first run (about
    0.2 s); the app uses none, so one scan serves every test."""
    first = AppTest.from_string("")
    first.run()
    return first._bidi_component_manager


def new_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at._bidi_component_manager = component_registry()
    return at


def open_page(monkeypatch, db: Path, page: str, **query: str) -> AppTest:
    """Run the app on ``page`` with ``query`` as the URL's query string."""
    monkeypatch.setenv("DASHCAM_DB", str(db))
    at = new_app()
    at.query_params.update(query)
    if page != "overview":
        at.switch_page(f"views/{page}.py")  # page urls are the file names, so this works before a first run
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def texts(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
        + [c.value for c in at.caption]
    )


def cli_costs(db: Path, report: str = "daily", *options: str) -> dict:
    result = CliRunner().invoke(cli_app, ["costs", report, "--json", "--db", str(db), "--timezone", "UTC", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def money(value: float) -> str:
    return f"${value:,.2f}"


# --------------------------------------------------------------------------- empty and missing


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_database_says_what_to_ingest(monkeypatch, empty_db, page):
    at = open_page(monkeypatch, empty_db, page)
    shown = texts(at)
    assert "holds no sessions yet" in shown
    assert "dashcam ingest" in shown
    for folder in (
        "~/.claude/projects",
        "~/.config/claude/projects",
        "$CLAUDE_CONFIG_DIR/projects",
        "$CODEX_HOME/sessions",
        "~/.gemini/tmp",
        "Aider",
    ):
        assert folder in shown
    assert not at.metric and not at.get("plotly_chart")


def test_a_missing_database_says_it_does_not_exist(monkeypatch, tmp_path):
    at = open_page(monkeypatch, tmp_path / "nothing-here.duckdb", "cost")
    assert "does not exist yet" in texts(at)
    assert "dashcam ingest --db" in [c.value for c in at.code][0]


# --------------------------------------------------------------------------- every page renders


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_and_without_filters(monkeypatch, sample_db, page):
    user, agent = sql(sample_db, "SELECT user_name, agent FROM sessions GROUP BY ALL ORDER BY count(*) DESC LIMIT 1")[0]
    for query in ({}, {"user": user, "agent": agent}):
        at = open_page(monkeypatch, sample_db, page, **query)
        assert [t.value for t in at.title][0] in (TITLES[page], TITLES[page].lower())
        assert at.selectbox(key="user").value == query.get("user")
        assert not at.error


# --------------------------------------------------------------------------- cost


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"user": "alice"},
        {"agent": "claude", "since": "2026-10-12", "until": "2026-11-08"},
    ],
)
def test_the_cost_total_is_the_costs_command_total(monkeypatch, sample_db, options):
    at = open_page(monkeypatch, sample_db, "cost", **options)
    flags = [part for key, value in options.items() for part in (f"--{key}", value)]
    totals = cli_costs(sample_db, "daily", *flags)["totals"]
    if totals["totalTokens"] == 0:
        assert "No billed API responses" in texts(at)
        return
    assert metric(at, "Total cost") == money(totals["totalCost"])
    assert metric(at, "Tokens") == f"{totals['totalTokens']:,}"


def test_the_cost_page_lists_the_unpriced_models(monkeypatch, sample_db):
    unpriced = cli_costs(sample_db)["unpricedModels"]
    at = open_page(monkeypatch, sample_db, "cost")
    if not unpriced:
        assert "Every response matching the filters has a price." in texts(at)
        return
    responses = sum(model["responses"] for model in unpriced)
    assert f"{responses:,} responses from {len(unpriced)} model(s) have no price" in texts(at)


def test_the_cache_read_share_counts_prompt_tokens(monkeypatch, sample_db):
    totals = cli_costs(sample_db)["totals"]
    prompt = totals["inputTokens"] + totals["cacheCreationTokens"] + totals["cacheReadTokens"]
    at = open_page(monkeypatch, sample_db, "cost")
    assert metric(at, "Cache-read share") == f"{totals['cacheReadTokens'] / prompt:.0%}"


# --------------------------------------------------------------------------- overview


def latest_week(db: Path) -> date:
    last = sql(db, "SELECT max(ts)::DATE FROM messages")[0][0]
    return last - timedelta(days=last.weekday())


def test_the_overview_compares_the_latest_week_with_data(monkeypatch, sample_db):
    week = latest_week(sample_db)
    at = open_page(monkeypatch, sample_db, "overview")
    sessions = sql(
        sample_db,
        "SELECT count(DISTINCT (agent, session_id)) FROM messages WHERE ts::DATE BETWEEN ? AND ?",
        week,
        week + timedelta(days=6),
    )[0][0]
    users = sql(
        sample_db,
        "SELECT count(DISTINCT user_name) FROM messages WHERE ts::DATE BETWEEN ? AND ?",
        week,
        week + timedelta(days=6),
    )[0][0]
    weekly = {entry["week"]: entry["totalCost"] for entry in cli_costs(sample_db, "weekly")["weekly"]}
    assert f"Week of {week:%Y-%m-%d}" in texts(at)
    assert metric(at, "Sessions") == f"{sessions:,}"
    assert metric(at, "Active users") == f"{users:,}"
    assert metric(at, "Cost") == money(weekly.get(week.isoformat(), 0.0))


def test_the_overview_follows_the_user_filter(monkeypatch, sample_db):
    at = open_page(monkeypatch, sample_db, "overview", user="bob")
    caption = re.search(r"Week of (\d{4}-\d{2}-\d{2})", texts(at))
    week = date.fromisoformat(caption.group(1))
    sessions = sql(
        sample_db,
        "SELECT count(DISTINCT (agent, session_id)) FROM messages WHERE user_name = 'bob' AND ts::DATE BETWEEN ? AND ?",
        week,
        week + timedelta(days=6),
    )[0][0]
    assert metric(at, "Sessions") == f"{sessions:,}"
    assert metric(at, "Active users") == "1"


# --------------------------------------------------------------------------- sessions


def session_count_shown(at: AppTest) -> int:
    found = re.search(r"\*\*([\d,]+) sessions\*\* match", texts(at))
    assert found, texts(at)
    return int(found.group(1).replace(",", ""))


def test_the_session_list_counts_what_sql_counts(monkeypatch, sample_db):
    assert (
        session_count_shown(open_page(monkeypatch, sample_db, "sessions"))
        == sql(sample_db, "SELECT count(*) FROM sessions")[0][0]
    )
    user = sql(sample_db, "SELECT min(user_name) FROM sessions")[0][0]
    assert (
        session_count_shown(open_page(monkeypatch, sample_db, "sessions", user=user))
        == sql(sample_db, "SELECT count(*) FROM sessions WHERE user_name = ?", user)[0][0]
    )


def test_the_session_search_matches_ids_and_projects(monkeypatch, sample_db):
    project = sql(
        sample_db,
        "SELECT project FROM sessions WHERE project IS NOT NULL "
        "GROUP BY project ORDER BY count(*) DESC, project LIMIT 1",
    )[0][0]
    word = Path(project).name.upper()
    expected = sql(
        sample_db,
        "SELECT count(*) FROM sessions WHERE contains(lower(concat_ws(' ', session_id, title, "
        "project, git_branch, user_name, agent)), lower(?))",
        word,
    )[0][0]
    at = open_page(monkeypatch, sample_db, "sessions", q=word)
    assert session_count_shown(at) == expected > 0


def event_headings(at: AppTest) -> list[str]:
    """The transcript's event headings (they name the file and line: ``name.jsonl:12``)."""
    return [m.value for m in at.markdown if re.search(r"`[^`]+:\d+`", m.value)]


def failing_session(db: Path) -> tuple[str, str, int, int]:
    """A session with failed runs and the fewest events, so one transcript page holds it all:
    (agent, session id, failed runs, line of the first failure)."""
    return sql(
        db,
        """
        WITH failing AS (
            SELECT agent, session_id, count(*) AS failed, min(line_no) AS line
            FROM tool_results WHERE is_error OR coalesce(exit_code, 0) <> 0
            GROUP BY agent, session_id),
        sizes AS (SELECT agent, session_id, count(*) AS events FROM messages GROUP BY agent, session_id)
        SELECT f.agent, f.session_id, f.failed, f.line
        FROM failing f JOIN sizes s USING (agent, session_id)
        ORDER BY s.events, f.agent, f.session_id
        LIMIT 1""",
    )[0]


def test_the_transcript_marks_every_failed_run(monkeypatch, sample_db):
    agent, session_id, failed, _line = failing_session(sample_db)
    at = open_page(monkeypatch, sample_db, "sessions", session=f"{agent}:{session_id}")
    assert sum(":red-badge[failed" in heading for heading in event_headings(at)) == failed
    cost = sql(
        sample_db, "SELECT sum(cost_usd) FROM billed_usage WHERE agent = ? AND session_id = ?", agent, session_id
    )[0][0]
    assert metric(at, "Cost") == (money(cost) if cost is not None else "—")


def test_a_linked_line_is_shown_first(monkeypatch, sample_db):
    agent, session_id, _failed, line = failing_session(sample_db)
    at = open_page(monkeypatch, sample_db, "sessions", session=f"{agent}:{session_id}", line=str(line))
    assert f"Line {line}" in [h.value for h in at.subheader]
    assert any(m.value.startswith(":material/location_on:") and f":{line}`" in m.value for m in at.markdown)


def test_an_unknown_session_says_so(monkeypatch, sample_db):
    at = open_page(monkeypatch, sample_db, "sessions", session="claude:no-such-session")
    assert "No session claude:no-such-session" in at.error[0].value


# --------------------------------------------------------------------------- team


def test_the_team_table_adds_up_to_the_team(monkeypatch, sample_db):
    at = open_page(monkeypatch, sample_db, "team")
    table = at.dataframe[0].value
    per_user = dict(sql(sample_db, "SELECT user_name, count(*) FROM sessions GROUP BY 1"))
    assert dict(zip(table["member"], table["sessions"])) == per_user
    by_user: dict[str, float] = {}
    for entry in cli_costs(sample_db, "monthly", "--by", "user")["monthly"]:
        by_user[entry["user"]] = by_user.get(entry["user"], 0.0) + entry["totalCost"]
    assert by_user.keys() <= set(table["member"])
    for member, cost in zip(table["member"], table["cost_usd"]):
        assert cost == pytest.approx(by_user.get(member, 0.0))
    assert list(table["member"]) == sorted(table["member"])  # name order: not a ranking


# --------------------------------------------------------------------------- audit pages


@pytest.mark.parametrize("page", ("overview", "spirals", "explanations", "cliff", "team"))
def test_without_audit_tables_the_pages_say_what_to_run(monkeypatch, pre_audit_db, page):
    at = open_page(monkeypatch, pre_audit_db, page)
    assert "dashcam audit --rebuild" in texts(at)


# --------------------------------------------------------------------------- concurrency with ingest


def hold_write_lock(db: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.readline()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout.readline().strip() == "ready"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(timeout=30)


def test_a_locked_database_shows_retry_then_the_page(monkeypatch, sample_db, tmp_path):
    db = tmp_path / "locked.duckdb"
    shutil.copy(sample_db, db)
    monkeypatch.setenv("DASHCAM_DB", str(db))
    at = new_app()
    holder = hold_write_lock(db)
    try:
        at.run()
        assert not at.exception
        assert "The database is busy" in at.warning[0].value
        assert at.button(key="retry_busy").label == "Retry"
    finally:
        release(holder)
    at.button(key="retry_busy").click().run()
    assert not at.warning and not at.exception
    assert [t.value for t in at.title] == ["Overview"]


def test_new_rows_show_on_the_next_run(monkeypatch, tmp_path):
    db = tmp_path / "growing.duckdb"
    con = open_store(db)
    ingest_paths(con, [FIXTURES / "gemini"], "carol")
    con.close()
    at = open_page(monkeypatch, db, "sessions")
    before = session_count_shown(at)
    con = open_store(db)
    ingest_paths(con, [FIXTURES / "codex"], "bob")
    con.close()
    at.run()
    assert session_count_shown(at) == sql(db, "SELECT count(*) FROM sessions")[0][0] > before


# --------------------------------------------------------------------------- audit pages with findings


def test_the_spirals_page_counts_every_spiral_and_outcome(monkeypatch, sample_db):
    outcomes = dict(sql(sample_db, "SELECT outcome, count(*) FROM audit_spirals GROUP BY 1"))
    wasted = sql(sample_db, "SELECT sum(wasted_s) FROM audit_spirals")[0][0]
    at = open_page(monkeypatch, sample_db, "spirals")
    if not outcomes:
        assert "No timeout spirals" in texts(at)
        return
    assert metric(at, "Spirals") == str(sum(outcomes.values()))
    assert metric(at, "Time in spirals") == transcript.seconds_text(wasted)
    for outcome, label in (("masked", "Masked"), ("fixed_by_logic", "Fixed by logic"), ("unresolved", "Unresolved")):
        assert metric(at, label) == str(outcomes.get(outcome, 0))
    assert len(at.get("plotly_chart")) == 1 + min(sum(outcomes.values()), 12)  # per week + one staircase each


def test_the_spirals_page_follows_the_user_filter(monkeypatch, sample_db):
    user, spirals = sql(
        sample_db,
        "SELECT s.user_name, count(a.spiral_id) FROM sessions s "
        "LEFT JOIN audit_spirals a USING (agent, session_id) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
    )[0]
    at = open_page(monkeypatch, sample_db, "spirals", user=user)
    assert (metric(at, "Spirals") == str(spirals)) if spirals else ("No timeout spirals" in texts(at))


def test_the_explanations_page_counts_what_the_facts_hold(monkeypatch, sample_db):
    total, exotic, refuted = sql(
        sample_db,
        "SELECT count(*), count(*) FILTER (WHERE verdict = 'exotic'), "
        "count(*) FILTER (WHERE verdict = 'exotic' AND refuted) "
        "FROM fact_explanations WHERE ts IS NOT NULL",
    )[0]
    at = open_page(monkeypatch, sample_db, "explanations")
    if not total:
        assert "No explanations after failures" in texts(at)
        return
    assert metric(at, "Explanations") == f"{total:,}"
    assert metric(at, "Exotic") == f"{exotic:,}"
    assert metric(at, "Fixed in own code") == (f"{refuted / exotic:.0%}" if exotic else "—")
    assert len(at.dataframe[0].value) == exotic  # the exotic sentences, each with its evidence


def test_the_cliff_page_puts_cliffs_first(monkeypatch, sample_db):
    features, cliffs, past_mark = sql(
        sample_db, "SELECT count(*), count(*) FILTER (WHERE cliff), sum(patches_after_80) FROM audit_features"
    )[0]
    at = open_page(monkeypatch, sample_db, "cliff")
    if not features:
        assert "No features" in texts(at)
        return
    assert metric(at, "Features") == str(features)
    assert metric(at, "Cliffs") == str(cliffs)
    assert metric(at, "Fixes past 80%") == f"{past_mark:,}"
    table = at.dataframe[0].value
    assert list(table["cliff"]) == sorted(table["cliff"], reverse=True)


def test_the_overview_counts_the_spirals_of_a_week(monkeypatch, sample_db):
    found = sql(
        sample_db,
        "SELECT date_trunc('week', start_ts)::DATE AS week, count(*) FROM audit_spirals GROUP BY 1 ORDER BY 1 LIMIT 1",
    )
    if not found:
        pytest.skip("the corpus has no spiral")
    week, spirals = found[0]
    at = open_page(monkeypatch, sample_db, "overview", until=(week + timedelta(days=6)).isoformat())
    assert f"Week of {week:%Y-%m-%d}" in texts(at)
    assert metric(at, "Spirals") == str(spirals)
    assert any(m.value.startswith("**Timeout spiral**") for m in at.markdown)  # among the worst findings


def test_the_transcript_marks_waits_and_explanations(monkeypatch, sample_db):
    agent, session_id, explanations = sql(
        sample_db,
        """
        SELECT s.agent, s.session_id, (SELECT count(*) FROM fact_explanations e
                                       WHERE e.agent = s.agent AND e.session_id = s.session_id)
        FROM audit_spirals s ORDER BY s.wasted_s LIMIT 1""",
    )[0]
    at = open_page(monkeypatch, sample_db, "sessions", session=f"{agent}:{session_id}")
    headings = "\n".join(event_headings(at))
    assert ":orange-badge[" in headings
    verdict_badges = len(re.findall(r":(?:violet|gray)-badge\[(?:exotic|legit|mundane)", headings))
    assert verdict_badges == explanations


def test_a_file_that_is_no_database_is_named_not_a_traceback(monkeypatch, tmp_path):
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("these are my notes, not a database\n")
    at = open_page(monkeypatch, bogus, "overview")
    assert "cannot be read as a dashcam database" in at.error[0].value


def test_the_team_page_divides_spirals_by_sessions(monkeypatch, sample_db):
    at = open_page(monkeypatch, sample_db, "team")
    table = at.dataframe[0].value.set_index("member")
    spirals = dict(sql(sample_db, "SELECT user_name, count(*) FROM audit_spirals GROUP BY 1"))
    for member, row in table.iterrows():
        assert row["spirals_per_10_sessions"] == pytest.approx(10 * spirals.get(member, 0) / row["sessions"])
