"""The dashboard shows transcripts without fetching what they link, warns before it serves
the network, and refuses a browser that reaches it under an attacker's name (DNS rebinding)."""

from __future__ import annotations

import re
import socket
import subprocess
import time

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import dashboard.cli.serve as command
from dashboard.cli import app as cli_app
from dashboard.cli.serve import allowed_hosts, streamlit_command, streamlit_environment
from dashboard.present.host_check import host_allowed
from dashboard.present.safe_markdown import without_remote_images
from tests.conftest import REPO
from tests.hostile.corpus import write_corpus

APP = REPO / "dashboard" / "web" / "app.py"
BEACON = "https://tracker.example/pixel.png?who=me"
# An image in markdown that would render as <img>: "![" not preceded by a backslash.
LIVE_IMAGE = re.compile(r"(?<!\\)!\[[^\]]*\]\s*[(\[]")
runner = CliRunner()


@pytest.mark.parametrize(
    "text, kept",
    [
        (f"look ![pixel]({BEACON}) here", "pixel"),
        (f"ref ![logo][1]\n\n[1]: {BEACON}", "logo"),
        (f'<img src="{BEACON}">', BEACON),
        (f'![a]({BEACON} "title") and ![b](<{BEACON}>)', "b"),
    ],
)
def test_images_in_transcript_markdown_become_text(text, kept):
    safe = without_remote_images(text)
    assert not LIVE_IMAGE.search(safe) and "<img" not in safe
    assert kept in safe


def test_code_is_left_as_written():
    text = f"```md\n![x]({BEACON})\n```\nand `![y](z)` inline"
    assert without_remote_images(text) == text


@pytest.fixture(scope="module")
def beacon_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, f"Rendered docs:\n\n![status]({BEACON})\n\n![ref][pix]\n\n[pix]: {BEACON}", "beacon")
    db = tmp_path_factory.mktemp("db") / "dashcam.duckdb"
    result = runner.invoke(cli_app, ["ingest", str(root), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _page(monkeypatch, db, **query) -> AppTest:
    monkeypatch.setenv("DASHCAM_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(query)
    at.switch_page("views/sessions.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_transcript_view_renders_no_remote_image(monkeypatch, beacon_db):
    at = _page(monkeypatch, beacon_db, session="claude:5a1e0c3d-0000-4000-8000-00000000c1a0")
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("status" in value and BEACON in value for value in shown)  # the text is there
    assert [value for value in shown if LIVE_IMAGE.search(value)] == []


def test_a_request_under_a_foreign_host_sees_no_data(monkeypatch, beacon_db):
    monkeypatch.setenv("DASHCAM_ALLOWED_HOSTS", "localhost 127.0.0.1 ::1")
    at = _page(monkeypatch, beacon_db)  # AppTest sends no Host header: not a name we serve
    assert any("not served under that name" in e.value for e in at.error)
    assert not at.dataframe and not at.metric


@pytest.mark.parametrize(
    "header, ok",
    [
        ("127.0.0.1:8501", True),
        ("localhost:8501", True),
        ("[::1]:8501", True),
        ("192.168.7.9:8501", True),
        ("attacker.example:8501", False),
        ("localhost.attacker.example", False),
        ("user@localhost", False),
        ("localhost:notaport", False),
        (None, False),
        ("", False),
    ],
)
def test_host_header_check(header, ok):
    assert host_allowed(header, " ".join(allowed_hosts("0.0.0.0"))) is ok


def test_no_check_when_the_app_is_started_some_other_way():
    assert host_allowed("anything.example", None)


def _serve(monkeypatch, host: str) -> tuple[str, dict]:
    seen = {}

    def execve(path, argv, env):
        seen.update(argv=argv, env=env)
        raise SystemExit(0)

    monkeypatch.setattr(command.os, "execve", execve)
    result = runner.invoke(cli_app, ["dashboard", "--host", host, "--db", "/tmp/x.duckdb"])
    assert result.exit_code == 0, result.output
    return result.output, seen


def test_binding_the_network_warns_and_loopback_does_not(monkeypatch):
    output, seen = _serve(monkeypatch, "0.0.0.0")
    assert "Warning" in output and "without a password" in output
    assert "localhost" in seen["env"]["DASHCAM_ALLOWED_HOSTS"].split()
    output, seen = _serve(monkeypatch, "127.0.0.1")
    assert "Warning" not in output
    assert seen["env"]["STREAMLIT_SERVER_ALLOWED_HOSTS"].split() == ["localhost", "127.0.0.1", "::1"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _handshake(port: int, host_header: str) -> str:
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host_header}\r\nOrigin: http://{host_header}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    # The server answers the upgrade at once; the timeout only bounds a server that never does.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request.encode())
        return conn.recv(200).decode("latin-1").split("\r\n", 1)[0]


@pytest.mark.slow
def test_a_real_server_refuses_a_rebound_websocket(tmp_path):
    port = _free_port()
    argv = streamlit_command("127.0.0.1", port)
    env = streamlit_environment(tmp_path / "x.duckdb", allowed_hosts("127.0.0.1"))
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Streamlit takes a few seconds to import and bind; wait for the port to accept, bounded.
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not listen within 60 s"
                try:
                    server.wait(timeout=0.2)  # returns early only if it died
                except subprocess.TimeoutExpired:
                    pass
        assert " 101 " in _handshake(port, f"127.0.0.1:{port}")
        assert " 101 " not in _handshake(port, f"attacker.example:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)
