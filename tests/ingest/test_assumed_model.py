"""A guess is shown as a guess: a Codex rollout that names no model is priced as gpt-5 (as
ccusage does) and every place that shows its cost says the model was assumed (ccusage's
``isFallback``): the usage rows, ``dashcam costs`` (table and JSON), the ingest summary and
the dashboard's cost page."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.ingest.test_source_codex import at, token_count, tokens, usages_of, write_lines

runner = CliRunner()
META = {
    "timestamp": at(0),
    "type": "session_meta",
    "payload": {"id": "0199aaaa-0000-7000-8000-000000000001", "cwd": "/work/demo"},
}
NAMELESS = [
    META,
    token_count(at(1), tokens(1000, 200, 100), tokens(1000, 200, 100)),
    token_count(at(2), tokens(3000, 600, 300), tokens(2000, 400, 200)),
]
THEN_NAMED = NAMELESS + [
    {"timestamp": at(3), "type": "turn_context", "payload": {"model": "gpt-5.2-codex"}},
    token_count(at(4), tokens(7000, 1600, 700), tokens(4000, 1000, 400)),
]


def test_usage_before_any_model_is_named_is_assumed_and_later_usage_is_not(tmp_path):
    usages = usages_of(tmp_path, THEN_NAMED)
    assert [(u.model, u.model_assumed) for u in usages] == [("gpt-5", True), ("gpt-5", True), ("gpt-5.2-codex", False)]


@pytest.fixture
def ingested(tmp_path) -> tuple[Path, str]:
    (tmp_path / "sessions").mkdir()
    rollout = write_lines(
        tmp_path / "sessions" / "rollout-2026-03-01T00-00-00-0199aaaa-0000-7000-8000-000000000001.jsonl", THEN_NAMED
    )
    db = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["ingest", str(rollout.parent), "--db", str(db), "--user", "ann"])
    assert result.exit_code == 0, result.output
    return db, result.output


def test_the_rows_the_ingest_summary_and_costs_say_which_model_was_assumed(ingested, monkeypatch):
    db, summary = ingested
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT model, model_assumed, count(*) FROM usage GROUP BY ALL ORDER BY 1").fetchall()
    assert rows == [("gpt-5", True, 2), ("gpt-5.2-codex", False, 1)]
    assert "2 priced under an assumed model" in " ".join(summary.split())
    result = runner.invoke(app, ["costs", "daily", "--json", "--timezone", "UTC", "--db", str(db)])
    breakdowns = {m["modelName"]: m for m in json.loads(result.output)["daily"][0]["modelBreakdowns"]}
    assert breakdowns["gpt-5"]["isFallback"] is True and breakdowns["gpt-5"]["assumedResponses"] == 2
    assert breakdowns["gpt-5"]["cost"] > 0  # priced, as ccusage prices it, but flagged
    assert breakdowns["gpt-5.2-codex"]["isFallback"] is False and breakdowns["gpt-5.2-codex"]["assumedResponses"] == 0
    table = runner.invoke(app, ["costs", "daily", "--timezone", "UTC", "--db", str(db)]).output
    assert "gpt-5 (assumed)" in table and "gpt-5.2-codex (assumed)" not in table
    assert "Assumed model: 2 responses name no model" in " ".join(table.split())


def test_a_rollout_that_names_its_model_assumes_nothing(tmp_path):
    usages = usages_of(
        tmp_path,
        [
            META,
            {"timestamp": at(0.5), "type": "turn_context", "payload": {"model": "gpt-5"}},
            token_count(at(1), tokens(10, 0, 1), tokens(10, 0, 1)),
        ],
    )
    assert [(u.model, u.model_assumed) for u in usages] == [("gpt-5", False)]


def test_the_cost_page_says_which_model_was_assumed(monkeypatch, ingested):
    from tests.dashboard.web.test_pages import open_page

    db, _ = ingested
    at_ = open_page(monkeypatch, db, "cost", since="2026-03-01", until="2026-03-01")
    shown = " ".join([w.value for w in at_.warning] + [c.value for c in at_.caption] + [m.value for m in at_.markdown])
    assert "assumed model" in shown and "gpt-5" in shown and "2 responses" in shown
