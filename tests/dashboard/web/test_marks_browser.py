"""Marks in a real browser: the Explanations page of ``dashcam dashboard`` shows the precision
measured from the marks, and marking a finding from the page stores the mark and updates it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

import queries
from ingest.marks import mark_finding
from tests.conftest import REPO
from tests.dashboard.web.test_pages_browser import (
    CHROMIUM,
    PAGE_TIMEOUT_MS,
    free_port,
    metric_values,
    open_and_settle,
    wait_until_healthy,
)

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")]


@pytest.fixture(scope="module")
def marked_db(sample_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("marks-browser") / "marked.duckdb"
    shutil.copyfile(sample_db, path)
    with duckdb.connect(str(path), read_only=True) as con:
        exotic = queries.run(con, "audit_findings", kind="explanation")
    exotic = exotic[exotic["verdict"] == "exotic"]["finding_id"].tolist()
    mark_finding(path, exotic[0], "right")
    mark_finding(path, exotic[1], "wrong")
    return path


@pytest.fixture(scope="module")
def dashboard_url(marked_db):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "dashboard", "--db", str(marked_db), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def marks(db) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT finding_id, mark FROM audit_marks").fetchall())


def test_precision_from_marks_shows_and_a_mark_from_the_page_is_stored(page, dashboard_url, marked_db):
    open_and_settle(page, f"{dashboard_url}/explanations", "Explanations")
    precision = page.locator("[data-testid=stMetric]", has_text="Precision: exotic")
    assert precision.locator("[data-testid=stMetricValue]").inner_text() == "50%"
    before = marks(marked_db)
    page.get_by_text("Mark a finding right or wrong").click()
    page.get_by_text("wrong", exact=True).first.click()
    page.get_by_role("button", name="Save mark").click()
    page.get_by_text("Marked wrong").wait_for(timeout=PAGE_TIMEOUT_MS)
    after = marks(marked_db)
    changed = [i for i in after if before.get(i) != after[i]]
    assert len(changed) == 1 and after[changed[0]] == "wrong"
    expected = sum(1 for m in after.values() if m == "right") / len(after)
    assert precision.locator("[data-testid=stMetricValue]").inner_text() == f"{expected:.0%}"
    assert metric_values(page)
