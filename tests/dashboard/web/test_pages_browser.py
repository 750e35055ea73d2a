"""The real dashboard in a real browser: ``dashcam dashboard`` serving the demo corpus, every
page opened in headless Chromium (Debian's, no browser download).

Checks what only a browser shows: each page's title and a number on it, no exception box,
filters kept in the URL across the sidebar navigation, and a finding's link landing on its
transcript line. Skipped when ``chromium`` is not installed.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import CHROMIUM, REPO
from tests.dashboard.web.test_pages import cli_costs, money, sql

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]
pytest.importorskip("playwright.sync_api")

START_SECONDS = 60
PAGE_TIMEOUT_MS = 30_000
# sidebar link -> page title
PAGES = {
    "Overview": "Overview",
    "Cost": "Cost",
    "Spirals": "Spirals",
    "Explanations": "Explanations",
    "80% cliff": "80% cliff",
    "Sessions": "Sessions",
    "Team": "Team",
}
NUMBER = re.compile(r"\d")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen) -> None:
    """Poll Streamlit's health endpoint until it answers ``ok``, the server dies, or time is up."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"dashcam dashboard exited with {server.returncode}: {server.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            continue
    raise TimeoutError(f"the dashboard did not answer {url}/_stcore/health within {START_SECONDS} s")


@pytest.fixture(scope="module")
def dashboard_url(sample_db):
    """``dashcam dashboard`` serving the demo corpus on a free port, stopped after the module."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "dashboard", "--db", str(sample_db), "--port", str(port)],
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


def open_and_settle(page, url: str, title: str) -> None:
    """Go to ``url`` and wait until the page shows ``title`` and the script has finished."""
    page.goto(url)
    settle(page, title)


def settle(page, title: str) -> None:
    page.locator("h1", has_text=title).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=PAGE_TIMEOUT_MS)


def metric_values(page) -> list[str]:
    return page.locator("[data-testid=stMetricValue]").all_inner_texts()


def test_every_page_from_a_shared_link(page, dashboard_url, sample_db):
    """A link with a user filter: every page keeps the filter in its URL and shows its numbers;
    on the way, a spiral's link opens its transcript at the line where it started."""
    user = sql(
        sample_db,
        "SELECT s.user_name FROM sessions s LEFT JOIN audit_spirals a USING (agent, session_id) "
        "GROUP BY 1 ORDER BY count(a.spiral_id) DESC, 1 LIMIT 1",
    )[0][0]
    open_and_settle(page, f"{dashboard_url}/?user={user}", "Overview")
    for link, title in PAGES.items():
        page.get_by_role("link", name=link, exact=True).click()
        settle(page, title)
        assert f"user={user}" in page.url, title
        assert page.locator("[data-testid=stException]").count() == 0, title
        shown = metric_values(page) or page.locator("[data-testid=stMarkdownContainer]").all_inner_texts()
        assert any(NUMBER.search(text) for text in shown), (title, shown)
        if title == "Cost":
            total = cli_costs(sample_db, "daily", "--user", user)["totals"]["totalCost"]
            assert metric_values(page)[0] == money(total)
        if title == "Sessions":
            sessions = sql(sample_db, "SELECT count(*) FROM sessions WHERE user_name = ?", user)[0][0]
            assert page.get_by_text(f"{sessions} sessions").count() == 1
        if title == "Spirals" and sql(sample_db, "SELECT count(*) FROM audit_spirals WHERE user_name = ?", user)[0][0]:
            follow_a_spiral_to_its_line(page)


def follow_a_spiral_to_its_line(page) -> None:
    page.get_by_text("Open the transcript at the first value").first.click()
    page.locator("h3", has_text="Line ").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert "session=" in page.url and "line=" in page.url
    assert page.locator("[data-testid=stException]").count() == 0
