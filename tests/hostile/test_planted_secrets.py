"""Secrets of every listed kind, planted in every field of every format, reach neither the
database (every text column of every table and view) nor any export (bundle, report)."""

from __future__ import annotations

import io
import json
import zipfile

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from ingest.redact import KINDS
from tests.hostile.corpus import WEEK, write_corpus
from tests.hostile.planted import _GITLAB, _STRIPE, _URL_TOKEN, PLANTED

SECRETS = sorted({secret for _kind, _text, secret in PLANTED})
TEXT = "\n".join(text for _kind, text, _secret in PLANTED)
# In names (title, branch, file path, user): one-line secrets that a name can hold.
SHORT = f"shop-{_STRIPE}"
USER = f"dev-{_GITLAB}"

runner = CliRunner()


def _invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, TEXT, SHORT, url_secret=_URL_TOKEN)
    db = tmp_path_factory.mktemp("db") / "dashcam.duckdb"
    _invoke("ingest", str(root), "--db", str(db), "--user", USER)
    return db


def _leaks(values, where: str) -> list[str]:
    found = []
    for value in values:
        if value is None:
            continue
        text = value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)
        found += [f"{where}: {secret[:12]}…" for secret in SECRETS if secret in text]
    return found


def test_no_planted_secret_in_any_text_column_of_any_table(planted_db):
    con = duckdb.connect(str(planted_db), read_only=True)
    try:
        columns = con.sql(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type IN ('VARCHAR', 'JSON', 'BLOB') OR data_type LIKE 'VARCHAR%' "
            "OR data_type LIKE '%[]' OR data_type LIKE 'STRUCT%' OR data_type LIKE 'MAP%'"
        ).fetchall()
        assert len({table for table, _ in columns}) >= 10  # the scan really covers the schema
        leaks = []
        for table, column in columns:
            rows = con.sql(f'SELECT CAST("{column}" AS VARCHAR) FROM "{table}"').fetchall()
            leaks += _leaks((row[0] for row in rows), f"{table}.{column}")
        # The secrets were there to find: each field type held some, and each was counted.
        stored = {kind for (kind,) in con.sql("SELECT DISTINCT kind FROM ingest_redactions").fetchall()}
        total = con.execute("SELECT sum(count) FROM ingest_redactions").fetchone()[0]
        texts = con.execute("SELECT count(*) FROM messages WHERE text LIKE '%[REDACTED:%'").fetchone()[0]
    finally:
        con.close()
    assert leaks == []
    assert {kind for kind, _text, _secret in PLANTED} <= stored <= set(KINDS)
    assert total >= len(PLANTED) * 4  # at least once per planted text per format
    assert texts >= 4


@pytest.mark.parametrize("include_text", [False, True])
def test_no_planted_secret_in_a_bundle(planted_db, tmp_path, include_text):
    bundle = tmp_path / "bundle.zip"
    _invoke(
        "export",
        "--week",
        WEEK,
        "-o",
        str(bundle),
        "--db",
        str(planted_db),
        *(["--include-text"] if include_text else []),
    )
    leaks = []
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        for name in names:
            data = archive.read(name)
            if name.endswith(".parquet"):
                table = pq.read_table(io.BytesIO(data))
                for column in table.column_names:
                    leaks += _leaks(table.column(column).to_pylist(), f"{name}:{column}")
            else:
                leaks += _leaks([data], name)
        manifest = json.loads(archive.read("manifest.json"))
    assert "messages.parquet" in names
    assert leaks == []
    assert sum(manifest.get("redactions", {}).values()) >= 0


@pytest.mark.parametrize("fmt", ["html", "md", "csv"])
def test_no_planted_secret_in_a_report(planted_db, tmp_path, fmt):
    out = tmp_path / "out"
    _invoke("report", "--week", WEEK, "--format", fmt, "--out-dir", str(out), "--include-text", "--db", str(planted_db))
    files = sorted(path for path in out.rglob("*") if path.is_file())
    assert files
    leaks = []
    for path in files:
        leaks += _leaks([path.read_bytes()], path.name)
    assert leaks == []


def test_a_bundle_imported_elsewhere_keeps_no_secret(planted_db, tmp_path):
    bundle = tmp_path / "bundle.zip"
    _invoke("export", "--week", WEEK, "-o", str(bundle), "--include-text", "--db", str(planted_db))
    other = tmp_path / "other.duckdb"
    _invoke("import", str(bundle), "--db", str(other))
    con = duckdb.connect(str(other), read_only=True)
    try:
        leaks = []
        for table, column in con.sql(
            "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
        ).fetchall():
            leaks += _leaks(
                (r[0] for r in con.sql(f'SELECT "{column}" FROM "{table}"').fetchall()), f"{table}.{column}"
            )
        sessions = con.execute("SELECT count(DISTINCT session_id) FROM messages").fetchone()[0]
    finally:
        con.close()
    assert sessions == 4
    assert leaks == []
