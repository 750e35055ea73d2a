"""The bundled demo corpus ingested once per test session, one user per folder, as
`dashcam ingest --sample-dir` does. Read it only: tests that write use their own database."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import SAMPLE_SESSIONS


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A database holding the whole sample corpus (read it, do not write it)."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with open_store(path) as con:
        for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir()):
            ingest_paths(con, [folder], folder.name)
    return path
