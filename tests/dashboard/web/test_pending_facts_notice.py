"""A dashboard already running when an ingest adds sessions says they are not audited yet."""

from __future__ import annotations

from typer.testing import CliRunner

from dashboard.cli import app as cli_app
from tests.conftest import FIXTURES
from tests.dashboard.web.test_pages import open_page, texts

NOTICE = "not audited yet"


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(cli_app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_pending_sessions_are_named_until_an_audit_computes_them(monkeypatch, tmp_path):
    db = tmp_path / "db.duckdb"
    _invoke("ingest", str(FIXTURES / "claude_code"), "--db", str(db), "--user", "ana")
    shown = texts(open_page(monkeypatch, db, "spirals"))
    assert NOTICE in shown and "session(s) are" in shown
    _invoke("audit", "--json", "--db", str(db))
    assert NOTICE not in texts(open_page(monkeypatch, db, "spirals"))
