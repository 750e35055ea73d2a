"""The command line: clear output and clear errors, every command documented."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.conftest import FIXTURES, REPO

runner = CliRunner()


def invoke(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def ingested_db(tmp_path_factory):
    """Real Claude Code and Codex fixtures ingested once for the module; tests only read it."""
    db = tmp_path_factory.mktemp("cli") / "db.duckdb"
    result = invoke("ingest", str(FIXTURES / "claude_code"), str(FIXTURES / "codex"), "--db", str(db), "--user", "ana")
    assert result.exit_code == 0, result.output
    return db


def test_ingest_prints_a_summary(ingested_db, tmp_path):
    result = invoke("ingest", str(FIXTURES / "claude_code"), "--db", str(ingested_db))
    assert result.exit_code == 0
    assert "files unchanged" in result.output and "problems" in result.output


def test_costs_json_has_ccusage_shape_and_filters_by_agent(ingested_db):
    result = invoke("costs", "daily", "--json", "--timezone", "UTC", "--agent", "codex", "--db", str(ingested_db))
    report = json.loads(result.output)
    assert set(report) == {"daily", "totals", "unpricedModels"}
    day = report["daily"][0]
    assert {
        "date",
        "inputTokens",
        "outputTokens",
        "cacheCreationTokens",
        "cacheReadTokens",
        "totalTokens",
        "totalCost",
        "modelsUsed",
        "modelBreakdowns",
    } <= set(day)
    assert all(m.startswith("gpt-") for d in report["daily"] for m in d["modelsUsed"])
    assert report["totals"]["totalTokens"] == sum(d["totalTokens"] for d in report["daily"])


@pytest.mark.parametrize("report, key", [("weekly", "week"), ("monthly", "month"), ("session", "sessionId")])
def test_every_period_keeps_the_same_totals(ingested_db, report, key):
    daily = json.loads(invoke("costs", "daily", "--json", "--timezone", "UTC", "--db", str(ingested_db)).output)
    other = json.loads(invoke("costs", report, "--json", "--timezone", "UTC", "--db", str(ingested_db)).output)
    entries = next(v for k, v in other.items() if k not in ("totals", "unpricedModels"))
    assert all(key in entry for entry in entries)
    assert other["totals"]["totalTokens"] == daily["totals"]["totalTokens"]
    assert other["totals"]["totalCost"] == pytest.approx(daily["totals"]["totalCost"])


def test_weeks_start_on_monday_unless_told(ingested_db):
    monday = json.loads(invoke("costs", "weekly", "--json", "--timezone", "UTC", "--db", str(ingested_db)).output)
    sunday = json.loads(
        invoke(
            "costs", "weekly", "--json", "--timezone", "UTC", "--start-of-week", "sunday", "--db", str(ingested_db)
        ).output
    )
    from datetime import date

    assert {date.fromisoformat(w["week"]).isoweekday() for w in monday["weekly"]} == {1}
    assert {date.fromisoformat(w["week"]).isoweekday() for w in sunday["weekly"]} == {7}


def test_costs_by_user_groups_rows(ingested_db):
    report = json.loads(
        invoke("costs", "monthly", "--json", "--by", "user", "--timezone", "UTC", "--db", str(ingested_db)).output
    )
    assert {entry["user"] for entry in report["monthly"]} == {"ana"}


def test_costs_table_lists_unpriced_models(tmp_path):
    db = tmp_path / "db.duckdb"
    invoke(
        "ingest",
        str(FIXTURES / "claude_code" / "ccusage__SYNTHETIC__project-alpha__session-alpha__chat.jsonl"),
        "--db",
        str(db),
    )
    result = invoke("costs", "daily", "--timezone", "UTC", "--db", str(db))
    assert result.exit_code == 0
    assert "Unpriced models" in result.output and "claude-opus-4-20250514" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("costs", "yearly"), "unknown report"),
        (("costs", "daily", "--agent", "cursor"), "unknown agent"),
        (("costs", "daily", "--since", "last tuesday"), "not a date"),
        (("costs", "daily", "--by", "weather"), "--by takes"),
        (("costs", "daily", "--timezone", "Mars/Olympus"), "unknown time zone"),
    ],
)
def test_bad_arguments_get_one_clear_line(ingested_db, args, message):
    result = runner.invoke(app, [*args, "--db", str(ingested_db)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_a_missing_database_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["costs", "daily", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "dashcam ingest" in result.output


def test_ingest_of_a_folder_without_transcripts_fails_clearly(tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "db.duckdb")])
    assert result.exit_code == 1 and "no transcripts" in result.output


def test_ingest_of_a_missing_path_fails_clearly(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "db.duckdb")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_strict_stops_with_exit_two(tmp_path):
    bad = tmp_path / "bad.jsonl"
    shutil.copyfile(FIXTURES / "claude_code" / "spotter__short.jsonl", bad)
    with open(bad, "a", encoding="utf-8") as handle:
        handle.write("{oops\n")
    result = runner.invoke(app, ["ingest", str(bad), "--strict", "--db", str(tmp_path / "db.duckdb")])
    assert result.exit_code == 2 and "stopped by --strict" in result.output


def test_problems_lists_the_bad_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    shutil.copyfile(FIXTURES / "claude_code" / "spotter__short.jsonl", bad)
    lines = bad.read_bytes().count(b"\n")
    with open(bad, "ab") as handle:
        handle.write(b"\xff\xfe not json\n")
    db = str(tmp_path / "db.duckdb")
    assert "problems" in invoke("ingest", str(bad), "--db", db).output
    result = invoke("problems", "--db", db)
    assert "UTF-8" in result.output and str(lines + 1) in result.output


def test_without_paths_or_local_logs_the_demo_corpus_is_ingested_per_user(tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    for user, fixture in (
        ("alice", "claude_code/spotter__short.jsonl"),
        ("bob", "codex/ai-sessions__codex-pomodor-timer.jsonl"),
    ):
        (sample / user).mkdir(parents=True)
        shutil.copyfile(FIXTURES / fixture, sample / user / fixture.split("/")[1])
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    monkeypatch.delenv("CODEX_HOME", raising=False)
    db = tmp_path / "db.duckdb"
    result = invoke("ingest", "--sample-dir", str(sample), "--db", str(db))
    assert result.exit_code == 0, result.output
    report = json.loads(
        invoke("costs", "monthly", "--json", "--by", "user", "--timezone", "UTC", "--db", str(db)).output
    )
    assert {entry["user"] for entry in report["monthly"]} == {"alice", "bob"}


def test_every_command_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert commands
    missing = [name for name in commands if f"dashcam {name}" not in readme]
    assert missing == []
