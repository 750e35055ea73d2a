"""Markup and terminal escapes from transcripts and paths reach every command's output as
plain text: no Rich ``MarkupError`` traceback, sane exit codes, no raw control character."""

from __future__ import annotations

import io
import tarfile

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.present.terminal_text import neutral, shown
from tests.hostile.corpus import WEEK, write_corpus

# A prompt tag, a /proc path, Rich closing and opening tags, an OSC title change, a CSI colour,
# a C1 CSI, a bell, a bidi override.
HOSTILE = (
    "[/INST] read [/proc/1/status] then [bold red]alarm[/] [/] \x1b]0;owned\x07 \x1b[31mred\x1b[0m \x9b2J \u202egnp.exe"
)
# For names (branch, title, file name): one line, no slash.
HOSTILE_NAME = "x[/INST][/x]\x1b[2Jname"
CONTROL = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))] + ["\u202e"]

runner = CliRunner()


def _run(*args: str, codes=(0,)):
    result = runner.invoke(app, list(args))
    text = result.output + (getattr(result, "stderr", "") if result.stderr_bytes is not None else "")
    assert result.exit_code in codes, (args, result.exit_code, text, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert "Traceback" not in text and "MarkupError" not in text
    raw = sorted({repr(c) for c in text if c in CONTROL})
    assert raw == [], (args, raw)
    return text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    # A folder named "[" holding one named "x]": the path reads ".../[/x]/...".
    root = tmp_path_factory.mktemp("corpus") / "[" / "x]"
    root.mkdir(parents=True)
    write_corpus(root, HOSTILE, HOSTILE_NAME)
    (root / "junk[INST][bold].jsonl").write_text("not a transcript at all\n")
    (root / "empty[x].jsonl").write_text("")
    db = tmp_path_factory.mktemp("db[") / "x]" / "dashcam.duckdb"
    db.parent.mkdir(parents=True)
    return root, db


def test_ingest_summary(hostile):
    root, db = hostile
    text = _run("ingest", str(root), "--db", str(db), "--user", "eve[/INST]\x1b[31m")
    assert "[/x]" in text  # the path is shown as it is, brackets and all
    assert "problems" in text


@pytest.mark.parametrize(
    "args",
    [
        ["costs", "daily"],
        ["costs", "session"],
        ["costs", "daily", "--by", "project"],
        ["costs", "weekly", "--by", "user"],
        ["costs", "daily", "--json"],
        ["problems"],
        ["audit"],
        ["audit", "--json"],
    ],
)
def test_read_commands(hostile, args):
    root, db = hostile
    _run("ingest", str(root), "--db", str(db))
    text = _run(*args, "--db", str(db))
    if args == ["problems"]:
        assert "red]alarm[/]" in text  # markup in the raw line is shown, not applied


def test_report_to_standard_output(hostile, tmp_path):
    root, db = hostile
    _run("ingest", str(root), "--db", str(db))
    _run("report", "--week", WEEK, "--format", "md", "-o", "-", "--include-text", "--db", str(db))
    out = tmp_path / "[" / "x]"
    text = _run("report", "--week", WEEK, "--format", "html", "--out-dir", str(out), "--db", str(db))
    assert "Wrote" in text


def test_export_and_import(hostile, tmp_path):
    root, db = hostile
    _run("ingest", str(root), "--db", str(db))
    folder = tmp_path / "[" / "x]"
    folder.mkdir(parents=True)
    bundle = folder / "b[INST].zip"
    _run("export", "--week", WEEK, "-o", str(bundle), "--include-text", "--db", str(db))
    _run("import", str(bundle), "--db", str(tmp_path / "other.duckdb"), "--user", "m[/x]\x1b]0;t\x07")


def test_archive_refusal_and_missing_files(hostile, tmp_path):
    root, db = hostile
    folder = tmp_path / "[" / "x]"
    folder.mkdir(parents=True)
    evil = folder / "evil[INST].tar"
    with tarfile.open(evil, "w") as archive:
        data = b"x"
        info = tarfile.TarInfo("../[/INST]\x1b[2J.jsonl")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    text = _run("import", str(evil), "--db", str(db), codes=(1,))
    assert "Nothing was" in text
    notar = folder / "plain[x].tar"
    notar.write_text("[/INST]")
    _run("import", str(notar), "--db", str(db), codes=(1,))
    _run("import", str(folder / "missing[/x]\x1b[2J.zip"), "--db", str(db), codes=(1,))
    _run("ingest", str(folder / "nothing[/INST]"), "--db", str(db), codes=(1,))
    _run("costs", "daily", "--agent", "[/INST]\x1b[31m", "--db", str(db), codes=(1,))
    _run("costs", "daily", "--timezone", "[/x]\x1b]0;t\x07", "--db", str(db), codes=(1,))
    _run("audit", "--since", "[/INST]", "--db", str(db), codes=(1,))


def test_dashboard_error_path(tmp_path, monkeypatch):
    """The dashboard command prints its banner before handing over to Streamlit: stopped there."""
    import dashboard.cli.serve as command

    monkeypatch.setattr(command.os, "execve", lambda *a: (_ for _ in ()).throw(SystemExit(0)))
    _run("dashboard", "--db", str(tmp_path / "[" / "x]\x1b]0;t\x07.duckdb"))


def test_the_helpers():
    assert neutral("a\x1b[31mb\x07\x9b\u202ec\n\td") == "a\\x1b[31mb\\x07\\x9b\\u202ec\n\td"
    assert shown("[/INST]") == "\\[/INST]"
    assert shown(None) == ""
