"""``dashcam dashboard --team`` in a real browser: every page drawn from the team lake.

The demo corpus is pushed from one database per user to a lake with a PostgreSQL catalog; the
dashboard serves the lake's snapshot copy and every page is opened in headless Chromium, as in
test_dashboard_browser.py. The cost page must show the same total as the local database of all
users. Skipped without chromium or PostgreSQL's server binaries.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ingest.lake import TeamConfig, init_lake, push
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import REPO, SAMPLE_SESSIONS
from tests.dashboard.web.test_pages import cli_costs, money
from tests.dashboard.web.test_pages_browser import (
    CHROMIUM,
    NUMBER,
    PAGES,
    free_port,
    metric_values,
    open_and_settle,
    settle,
    wait_until_healthy,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def team_dashboard(postgres, tmp_path_factory):
    root = tmp_path_factory.mktemp("team-dashboard")
    config = TeamConfig(catalog=postgres.create_database("lake_dashboard"), data=str(root / "data"), name="demo")
    init_lake(config)
    for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir()):
        db = root / f"{folder.name}.duckdb"
        with open_store(db) as con:
            ingest_paths(con, [folder], folder.name)
        config.machine = f"{folder.name}-laptop"
        push(config, db)
    team_file = root / "team.toml"
    team_file.write_text(config.to_toml(), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "DASHCAM_TEAM": str(team_file), "XDG_CACHE_HOME": str(root / "cache")}
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "dashboard", "--team", "--port", str(port)],
        cwd=REPO,
        env=env,
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


def test_every_page_from_the_team_lake(page, team_dashboard, sample_db):
    open_and_settle(page, team_dashboard, "Overview")
    for link, title in PAGES.items():
        page.get_by_role("link", name=link, exact=True).click()
        settle(page, title)
        assert page.locator("[data-testid=stException]").count() == 0, title
        shown = metric_values(page) or page.locator("[data-testid=stMarkdownContainer]").all_inner_texts()
        assert any(NUMBER.search(text) for text in shown), (title, shown)
        if title == "Cost":
            assert metric_values(page)[0] == money(cli_costs(sample_db, "daily")["totals"]["totalCost"])
