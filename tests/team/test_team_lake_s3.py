"""The team lake's data files in an S3-compatible bucket: moto's server mode on a free port,
the catalog on the throwaway PostgreSQL. Skipped when moto (the test extra) or PostgreSQL's
server binaries are absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.pg_server import free_port

pytest.importorskip("moto.server", reason="moto's server mode is not installed (pip install 'moto[server]')")
START_SECONDS = 60  # the server imports all of moto's services before it answers
BUCKET = "team-lake"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"moto's server exited with {server.returncode}: {server.stderr.read()}")
            try:
                urllib.request.urlopen(urllib.request.Request(f"{url}/{BUCKET}", method="PUT"), timeout=2)
                break
            except OSError as error:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"moto's server did not answer {url} within {START_SECONDS} s") from error
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)


def bucket_keys(endpoint: str) -> list[str]:
    with urllib.request.urlopen(f"{endpoint}/{BUCKET}?list-type=2", timeout=10) as response:
        return re.findall(r"<Key>([^<]+)</Key>", response.read().decode())


def test_a_lake_with_its_files_in_a_bucket_reads_like_home(postgres, s3_endpoint, sample_db, tmp_path):
    env = {
        "DASHCAM_TEAM": str(tmp_path / "team.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
    }
    runner = CliRunner()
    db = tmp_path / "mine.duckdb"
    shutil.copy(sample_db, db)
    for args in (
        [
            "team",
            "init",
            "--catalog",
            postgres.create_database("lake_s3"),
            "--data",
            f"s3://{BUCKET}/acme",
            "--name",
            "s3",
        ],
        ["push", "--db", str(db)],
    ):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
    assert any(key.startswith("acme/") and key.endswith(".parquet") for key in bucket_keys(s3_endpoint))
    lake = runner.invoke(app, ["costs", "--json", "--team"], env=env)
    here = runner.invoke(app, ["costs", "--json", "--db", str(sample_db)])
    assert lake.exit_code == 0, lake.output
    assert lake.stdout == here.stdout
