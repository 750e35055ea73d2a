"""The guard's decisions in a real browser: the Spirals and Explanations pages of a database
holding replayed guard decisions, served by ``dashcam dashboard`` to headless Chromium."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO
from tests.dashboard.web.test_guard_pages import _log, guarded  # noqa: F401
from tests.dashboard.web.test_pages_browser import (
    CHROMIUM,
    PAGE_TIMEOUT_MS,
    free_port,
    open_and_settle,
    wait_until_healthy,
)

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")]


@pytest.fixture(scope="module")
def guarded_url(guarded):  # noqa: F811 (the imported fixture)
    db, state = guarded
    with pytest.MonkeyPatch.context() as patch:
        _log(db, state, patch)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "dashboard", "--db", str(db), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield url, db
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def _stopped(db, rule: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM guard_decisions WHERE rule = ? AND decision IN ('deny', 'ask', 'block')", [rule]
        ).fetchone()[0]


@pytest.mark.parametrize(
    "path,title,heading,rule,label",
    [
        ("spirals", "Spirals", "Stopped by the live guard", "spiral", "Raises stopped"),
        ("explanations", "Explanations", "Sent back by the live guard", "exotic", "Claims sent back"),
    ],
)
def test_the_guard_section_shows_its_decisions(page, guarded_url, path, title, heading, rule, label):
    url, db = guarded_url
    open_and_settle(page, f"{url}/{path}", title)
    assert page.locator("[data-testid=stException]").count() == 0
    page.get_by_text(heading, exact=True).wait_for(timeout=PAGE_TIMEOUT_MS)
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert page.get_by_text(heading, exact=True).count() == 1
    shown = page.locator("[data-testid=stMetric]").filter(has_text=label).locator("[data-testid=stMetricValue]")
    shown.first.wait_for(timeout=PAGE_TIMEOUT_MS)  # the section's metrics render after its heading
    assert shown.count() == 1
    assert str(_stopped(db, rule)) == shown.inner_text()
