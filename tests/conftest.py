"""Shared test helpers: paths to fixtures and the shared real-session corpus, a fresh database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from ingest.store import open_store

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
SHARED_SESSIONS = REPO.parent / "shared" / "real_sessions"
SAMPLE_SESSIONS = REPO / "sample_sessions"


@pytest.fixture(scope="session", autouse=True)
def guard_state_dir(tmp_path_factory):
    """The live guard's state dir for the whole run: `dashcam ingest` writes to it, so a test
    run must never touch the person's own (tests that need one of their own still set it)."""
    import os

    previous = os.environ.get("DASHCAM_GUARD_DIR")
    os.environ["DASHCAM_GUARD_DIR"] = str(tmp_path_factory.mktemp("guard-state"))
    yield
    if previous is None:
        os.environ.pop("DASHCAM_GUARD_DIR", None)
    else:
        os.environ["DASHCAM_GUARD_DIR"] = previous


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "dashcam.duckdb"


@pytest.fixture
def con(db_path):
    connection = open_store(db_path)
    yield connection
    connection.close()


def shared_session(relative: str) -> Path:
    """A larger real transcript read from ../shared when present; skip the test otherwise."""
    path = SHARED_SESSIONS / relative
    if not path.exists():
        pytest.skip(f"{path} is not present (larger real transcripts live beside the repository)")
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled demo corpus ingested once per test session, one user per folder, as
    `dashcam ingest --sample-dir` does. Read it only: tests that write use their own database."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with open_store(path) as con:
        for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir()):
            ingest_paths(con, [folder], folder.name)
    return path


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster (Debian's binaries) for the team-lake tests, stopped after the session."""
    import shutil
    import tempfile

    from tests.pg_server import PostgresCluster, free_port, server_binaries

    binaries = server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="dashcam-pg-"))  # not under pytest's 0700 tmp: the server runs as nobody
    cluster = PostgresCluster(binaries, root, free_port())
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


# The real browser the browser tests drive (Debian's chromium; the tests skip without it).
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def pytest_terminal_summary(terminalreporter, config):
    """Name the random order's seed at the end of every run (``-q`` hides pytest's header)."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"tests ran in a random order: -p randomly --randomly-seed={seed} repeats it")
