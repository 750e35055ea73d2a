"""The weekly report in every format, its numbers against `dashcam costs` and `dashcam audit`,
the Markdown of a fixed week as a snapshot, the HTML offline, the PDF through chromium.

Update the snapshot after an intended change with
``DASHCAM_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_report.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.cli.report import output_path, write_report
from dashboard.present.costs import CostFilter, build_cost_report
from dashboard.present.periods import PeriodError, choose_period, iso_week, last_complete_week
from dashboard.report import render as renderer
from dashboard.report.data import ReportScope, build_report
from ingest.store import open_store
from tests.conftest import REPO, SAMPLE_SESSIONS

runner = CliRunner()
WEEK = "2026-W42"  # a spiral fixed by logic, an exotic explanation, a feature past its 80% mark
SNAPSHOT = REPO / "tests" / "snapshots" / f"report-{WEEK}.md"
GENERATED = datetime(2026, 10, 19, 8, 0)
NETWORK_URL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", re.I)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def weekly(sample_db):
    with open_store(sample_db, read_only=True) as con:
        return build_report(con, ReportScope(iso_week(WEEK), timezone="UTC"), GENERATED, "dashcam 0.1.0")


@pytest.fixture(scope="module")
def html_file(sample_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    result = invoke("report", "--week", WEEK, "--timezone", "UTC", "--out-dir", str(folder), "--db", str(sample_db))
    assert result.exit_code == 0, result.output
    return folder / f"dashcam-{WEEK}.html"


def portable(markdown: str) -> str:
    """The Markdown with this checkout's location (in aider's project paths) made neutral."""
    return markdown.replace(str(SAMPLE_SESSIONS), "<sample_sessions>")


# ---------------------------------------------------------------------------- periods


def test_periods():
    assert iso_week("2026-W47").since == date(2026, 11, 16) and iso_week("2026w47").until == date(2026, 11, 22)
    assert last_complete_week(date(2026, 11, 23)).label == "2026-W47"
    assert last_complete_week(date(2026, 11, 22)).label == "2026-W46"
    assert iso_week("2026-W47").previous().label == "2026-W46"
    ranged = choose_period(None, "2026-11-01", "2026-11-14", date(2026, 12, 1))
    assert ranged.label == "2026-11-01_2026-11-14" and ranged.previous().until == date(2026, 10, 31)
    with pytest.raises(PeriodError, match="no week 54"):
        iso_week("2026-W54")
    with pytest.raises(PeriodError, match="either --week or --since"):
        choose_period("2026-W47", "2026-11-01", None, date(2026, 12, 1))


# ---------------------------------------------------------------------------- numbers


def test_the_week_cost_is_the_cost_report_of_that_week(sample_db, weekly):
    with open_store(sample_db, read_only=True) as con:
        costs = build_cost_report(con, "weekly", CostFilter(timezone="UTC"))
    week = next(entry for entry in costs["weekly"] if entry["week"] == "2026-10-12")
    assert weekly.headlines[0].key == "cost"
    assert weekly.headlines[0].current == pytest.approx(week["totalCost"]) == pytest.approx(weekly.total_cost)
    previous = next(entry for entry in costs["weekly"] if entry["week"] == "2026-10-05")
    assert weekly.headlines[0].previous == pytest.approx(previous["totalCost"])
    assert sum(weekly.cost_by["user"]["cost_usd"]) == pytest.approx(week["totalCost"])
    assert sum(weekly.cost_by["agent"]["cost_usd"]) == pytest.approx(week["totalCost"])


def test_the_findings_are_those_of_dashcam_audit(sample_db, weekly):
    result = invoke("audit", "--json", "--since", "2026-10-12", "--until", "2026-10-18", "--db", str(sample_db))
    findings = json.loads(result.output)
    assert sorted(weekly.spirals["spiral_id"]) == sorted(s["spiral_id"] for s in findings["spirals"])
    assert weekly.spirals["wasted_s"].sum() == pytest.approx(sum(s["wasted_s"] for s in findings["spirals"]))
    exotic = [e for e in findings["explanations"] if e["verdict"] == "exotic"]
    assert len(weekly.exotic_examples) == len(exotic) == 1
    assert set(weekly.features["feature"]) <= {f["feature"] for f in findings["features"]}
    assert weekly.features.iloc[0]["feature"] == "pgoperator@feature/leader-election"


def test_what_to_look_at_comes_from_the_data(weekly):
    notes = "\n".join(weekly.look_at)
    assert "1 spiral ended fixed by a logic change: 22.4 min" in notes
    assert "pgoperator@feature/leader-election took 8 fix attempts" in notes
    assert "Cost rose 65%" in notes


# ---------------------------------------------------------------------------- formats


def test_markdown_matches_the_snapshot(weekly):
    markdown = portable(renderer.render_markdown(weekly))
    if os.environ.get("DASHCAM_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(markdown, encoding="utf-8")
    assert markdown == SNAPSHOT.read_text(encoding="utf-8"), (
        "the report changed: check it, then update with DASHCAM_UPDATE_SNAPSHOTS=1"
    )


def test_markdown_has_every_section_and_no_quotes_without_include_text(weekly):
    markdown = renderer.render_markdown(weekly)
    for title in (
        "## Headline",
        "## What to look at",
        "### By user",
        "### By project",
        "### By agent",
        "### By model",
        "## Timeout spirals",
        "## Exotic explanations",
        "## Features patched past",
        "## Top sessions by cost",
        "## Top sessions by time in spirals",
    ):
        assert title in markdown
    assert "| Cost | $1.45 | $0.88 | +65% |" in markdown
    assert "date-fns-tz" not in markdown and "(text not included)" in markdown


def test_include_text_quotes_the_agent(sample_db):
    with open_store(sample_db, read_only=True) as con:
        quoted = build_report(con, ReportScope(iso_week(WEEK), timezone="UTC", include_text=True), GENERATED, "x")
    assert "This looks like a bug in date-fns-tz" in renderer.render_markdown(quoted)


def test_html_is_self_contained_with_plotly_charts(html_file):
    text = html_file.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Week 2026-W42" in text
    assert text.count("Plotly.newPlot(") >= 5  # cost per day, per week, per project, a staircase, a completion curve
    assert len(re.findall(r"\* plotly\.js v\d", text)) == 1  # the library, embedded once
    assert 'src="http' not in text and not NETWORK_URL.search(text.replace(_plotly_js(text), ""))
    assert "$1.45" in text and "fixed by logic" in text


def _plotly_js(text: str) -> str:
    """The embedded library (its source names URLs it never fetches for these charts)."""
    start = text.index("* plotly.js v")
    return text[start : text.index("</script>", start)]


def page_requests(net_log: Path) -> list[str]:
    """URLs the page asked for (chromium's own update and time checks have no file:// page behind them)."""
    text = net_log.read_text(encoding="utf-8", errors="replace").rstrip()
    document = json.loads(text if text.endswith("}") else text.rstrip(",") + "]}")  # cut off at exit
    start_job = document["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in document["events"]
        if event["type"] == start_job
        and "file://" in event["params"].get("network_isolation_key", "")
        and not event["params"]["url"].startswith("file:")
    ]


def test_csv_is_one_file_per_table_zipped_or_in_a_folder(weekly, tmp_path):
    write_report(weekly, "csv", tmp_path / "r.zip", None)
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        names = {Path(name).name for name in archive.namelist()}
        headline = archive.read(f"dashcam-{WEEK}/headline.csv").decode()
    assert {
        "headline.csv",
        "cost_by_user.csv",
        "cost_by_agent.csv",
        "spirals.csv",
        "features_past_80.csv",
        "explanations_by_category.csv",
        "top_sessions_by_cost.csv",
    } <= names
    assert headline.splitlines()[0] == "measure,label,current,previous,change" and "\ncost,Cost,1.44" in headline
    written = write_report(weekly, "csv", output_path(weekly.scope.period, "csv", None, tmp_path / "d"), tmp_path / "d")
    assert tmp_path / "d" / f"dashcam-{WEEK}-spirals.csv" in written and len(written) == 13


def test_the_default_is_last_weeks_html_named_by_week(sample_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = last_complete_week(date.today()).label
    result = invoke("report", "--timezone", "UTC", "--db", str(sample_db))
    after = last_complete_week(date.today()).label  # the run may cross midnight into a new week
    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.glob("dashcam-*.html")] in (
        [f"dashcam-{before}.html"],
        [f"dashcam-{after}.html"],
    )


def test_pdf_pages_render_offline_with_their_charts(weekly, tmp_path):
    if renderer.chromium_path() is None or shutil.which("pdftoppm") is None:
        pytest.skip("chromium and pdftoppm (poppler-utils) are needed to render and read the PDF")
    pdf, log = tmp_path / "week.pdf", tmp_path / "net.json"
    renderer.render_pdf(weekly, pdf, extra_args=(f"--log-net-log={log}",))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page_requests(log) == []
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(_ink(page) > 0.01 for page in pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "wait (seconds)" in text and "80% mark" in text  # plotly drew the staircase and the curve


def _ink(png: Path) -> float:
    """Share of pixels that are not white on a rendered page."""
    from PIL import Image  # a Streamlit dependency, installed with the dashboard

    histogram = Image.open(png).convert("L").histogram()
    return sum(histogram[:200]) / sum(histogram)


def test_pdf_without_chromium_fails_with_a_clear_message(sample_db, tmp_path, monkeypatch):
    monkeypatch.setattr(renderer, "chromium_path", lambda: None)
    result = runner.invoke(
        app, ["report", "--week", WEEK, "--format", "pdf", "-o", str(tmp_path / "x.pdf"), "--db", str(sample_db)]
    )
    assert result.exit_code == 1 and "--format pdf needs chromium" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("--format", "docx"), "--format takes"),
        (("--week", "2026-W99"), "has no week 99"),
        (("--since", "yesterday"), "--since takes a date"),
        (("-o", "a.html", "--out-dir", "b"), "either -o or --out-dir"),
    ],
)
def test_bad_arguments_get_one_clear_line(sample_db, args, message):
    result = runner.invoke(app, ["report", *args, "--db", str(sample_db)])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
