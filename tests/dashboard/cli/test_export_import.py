"""Team import and export: archives of agent folders extracted safely and imported once,
bundles that round-trip costs and audit findings, text left out unless asked for."""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from ingest.archive import Limits, UnsafeArchive, import_archive
from ingest.bundle import BundleError, load_bundle
from ingest.store import open_store
from tests.conftest import SAMPLE_SESSIONS

runner = CliRunner()
EVENT_TABLES = ("messages", "usage", "tool_calls", "tool_results")
RANGE = ("--since", "2026-10-12", "--until", "2026-10-25")


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def row_counts(db: Path) -> dict[str, int]:
    with open_store(db, read_only=True) as con:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in EVENT_TABLES + ("fact_commands", "fact_explanations", "source_files")
        }


def costs_json(db: Path, *args: str) -> dict:
    result = invoke("costs", "weekly", "--json", "--timezone", "UTC", *args, "--db", str(db))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def audit_json(db: Path, *args: str) -> dict:
    result = invoke("audit", "--json", *args, "--db", str(db))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path, monkeypatch):
    """Extraction folders go here, so a test can see that none is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------------------- archives


def tar_of(folder: Path, archive: Path, mode: str) -> Path:
    with tarfile.open(archive, mode) as handle:
        for child in sorted(folder.iterdir()):
            handle.add(child, arcname=child.name)
    return archive


def zip_of(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                handle.write(path, path.relative_to(folder).as_posix())
    return archive


@pytest.mark.parametrize(
    "user, pack",
    [
        ("bob", lambda folder, out: tar_of(folder, out / "bob.tar.gz", "w:gz")),  # Codex
        ("carol", lambda folder, out: zip_of(folder, out / "carol.zip")),  # Claude Code and Gemini CLI
        ("dave", lambda folder, out: tar_of(folder, out / "dave.tar", "w")),  # aider
    ],
)
def test_an_archive_is_imported_once_however_often_it_is_given(tmp_path, user, pack):
    archive = pack(SAMPLE_SESSIONS / user, tmp_path)
    db = tmp_path / "team.duckdb"
    with open_store(db) as con:
        first = import_archive(con, archive, user)
    assert first.files_read > 0 and first.problems == 0
    counts, cost = row_counts(db), costs_json(db)["totals"]
    with open_store(db) as con:
        again = import_archive(con, archive, user)
    assert again.files_read == 0 and again.files_unchanged == first.files_read
    assert row_counts(db) == counts and costs_json(db)["totals"] == cost
    with open_store(db, read_only=True) as con:
        paths = [path for (path,) in con.execute("SELECT path FROM source_files").fetchall()]
        users = {name for (name,) in con.execute("SELECT DISTINCT user_name FROM messages").fetchall()}
    assert paths and all(path.startswith(f"archive:{user}/") for path in paths) and users == {user}


def test_the_import_command_names_the_user_after_the_archive(tmp_path):
    archive = tar_of(SAMPLE_SESSIONS / "bob", tmp_path / "bob.tgz", "w:gz")
    result = invoke("import", str(archive), "--db", str(tmp_path / "db.duckdb"))
    assert result.exit_code == 0, result.output
    assert "Imported bob.tgz as bob" in result.output and "secrets redacted" in result.output


def tar_with(archive: Path, *members: tuple[tarfile.TarInfo, bytes]) -> Path:
    with tarfile.open(archive, "w:gz") as handle:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            handle.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return archive


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


GOOD = (member(".codex/sessions/ok.jsonl"), b"{}\n")


def unsafe_archives(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    outside = tmp_path / "outside"
    return {
        "traversal": (tar_with(tmp_path / "a.tgz", GOOD, (member("../outside/evil.txt"), b"x")), "'..' component"),
        "absolute": (tar_with(tmp_path / "b.tgz", GOOD, (member(str(outside / "abs.txt")), b"x")), "absolute path"),
        "symlink": (
            tar_with(
                tmp_path / "c.tgz",
                (member("logs", tarfile.SYMTYPE, str(outside)), b""),
                (member("logs/evil.txt"), b"x"),
            ),
            "outside the archive",
        ),
        "relative symlink": (
            tar_with(tmp_path / "d.tgz", (member("a/link", tarfile.SYMTYPE, "../../outside"), b"")),
            "outside the archive",
        ),
        "hardlink": (
            tar_with(tmp_path / "e.tgz", (member("h", tarfile.LNKTYPE, "../outside/x"), b"")),
            "outside the archive",
        ),
        "device": (tar_with(tmp_path / "f.tgz", (member("dev/null", tarfile.CHRTYPE), b"")), "device file"),
        "zip traversal": (
            _zip_with(tmp_path / "g.zip", {"ok.txt": b"x", "../outside/evil.txt": b"x"}),
            "'..' component",
        ),
        "zip absolute": (_zip_with(tmp_path / "h.zip", {"/abs/evil.txt": b"x"}), "absolute path"),
        "windows drive": (_zip_with(tmp_path / "i.zip", {"C:\\evil.txt": b"x"}), "absolute path"),
    }


def _zip_with(archive: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(archive, "w") as handle:
        for name, data in files.items():
            handle.writestr(zipfile.ZipInfo(name), data)
    return archive


def tree(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    """One database for the refusals: each test checks it is still empty afterwards."""
    path = tmp_path_factory.mktemp("empty") / "db.duckdb"
    open_store(path).close()
    return path


@pytest.mark.parametrize(
    "case",
    [
        "traversal",
        "absolute",
        "symlink",
        "relative symlink",
        "hardlink",
        "device",
        "zip traversal",
        "zip absolute",
        "windows drive",
    ],
)
def test_an_unsafe_archive_is_refused_and_nothing_is_written(tmp_path, empty_db, case):
    archive, message = unsafe_archives(tmp_path)[case]
    (tmp_path / "outside").mkdir()
    before = tree(tmp_path)
    with open_store(empty_db) as con:
        with pytest.raises(UnsafeArchive, match=message):
            import_archive(con, archive, "eve")
    assert tree(tmp_path) == before
    assert row_counts(empty_db)["messages"] == 0 and row_counts(empty_db)["source_files"] == 0


def test_the_command_explains_a_refusal(tmp_path, empty_db):
    archive, _ = unsafe_archives(tmp_path)["traversal"]
    result = runner.invoke(app, ["import", str(archive), "--db", str(empty_db)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "refusing a.tgz" in result.output and "'../outside/evil.txt'" in result.output
    assert "Nothing was imported" in result.output


@pytest.mark.parametrize(
    "limits, files, message",
    [
        (Limits(max_total_bytes=1000), {"big.jsonl": b"{}\n" * 400}, "bytes uncompressed is more than the limit"),
        (Limits(max_files=3), {f"f{i}.jsonl": b"{}\n" for i in range(4)}, "4 files is more than the limit of 3"),
        (Limits(max_ratio=50, ratio_floor_bytes=0), {"bomb.jsonl": b"\0" * (1 << 20)}, "would expand"),
    ],
)
def test_absurd_sizes_are_refused_before_anything_is_written(tmp_path, empty_db, limits, files, message):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        for name, data in files.items():
            handle.writestr(name, data)
    before = tree(tmp_path)
    with open_store(empty_db) as con:
        with pytest.raises(UnsafeArchive, match=message):
            import_archive(con, archive, "eve", limits=limits)
    assert tree(tmp_path) == before


def test_a_file_that_is_no_archive_is_refused(tmp_path, empty_db):
    junk = tmp_path / "notes.tgz"
    junk.write_text("not an archive")
    result = runner.invoke(app, ["import", str(junk), "--db", str(empty_db)])
    assert result.exit_code == 1 and "is not a .tar, .tar.gz, .tgz or .zip archive" in result.output


# ---------------------------------------------------------------------------- bundles


def without_text(findings: dict) -> dict:
    """The findings without what a bundle without text leaves out: sentences and tool output."""
    return {
        kind: [{key: value for key, value in item.items() if key not in ("text", "evidence")} for item in items]
        for kind, items in findings.items()
    }


@pytest.fixture(scope="module")
def bundles(sample_db, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bundles")
    made = {}
    for name, extra in (("plain", ()), ("text", ("--include-text",))):
        made[name] = folder / f"{name}.zip"
        result = invoke("export", *RANGE, "--timezone", "UTC", "-o", str(made[name]), *extra, "--db", str(sample_db))
        assert result.exit_code == 0, result.output
    return made


def test_a_bundle_holds_tables_and_a_manifest(bundles):
    with zipfile.ZipFile(bundles["plain"]) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {
        "manifest.json",
        "messages.parquet",
        "usage.parquet",
        "tool_calls.parquet",
        "tool_results.parquet",
        "fact_commands.parquet",
        "fact_explanations.parquet",
    } <= names
    assert manifest["format"] == "dashcam-bundle" and manifest["include_text"] is False
    assert manifest["since"] == "2026-10-12" and manifest["until"] == "2026-10-25"
    assert manifest["users"] == ["alice", "bob", "carol", "dave"] and manifest["schema_version"] >= 4
    assert manifest["row_counts"]["messages"] > 0 and manifest["tool_version"].startswith("dashcam")


def stored_text_counts(db: Path) -> dict[str, int]:
    with open_store(db, read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT count(text) FROM messages), (SELECT count(text) FROM tool_results), "
            "(SELECT count(new_text) + count(patch) + count(input_json) FROM tool_calls), "
            "(SELECT count(text) FROM fact_explanations), (SELECT count(command) FROM tool_calls)"
        ).fetchone()
    return dict(zip(("messages", "results", "edits", "explanations", "commands"), row))


@pytest.mark.parametrize("kind", ["plain", "text"])
def test_a_bundle_round_trips_costs_and_findings_once(sample_db, bundles, tmp_path, kind):
    fresh = tmp_path / "fresh.duckdb"
    result = invoke("import", str(bundles[kind]), "--db", str(fresh))
    assert result.exit_code == 0, result.output
    assert costs_json(fresh, *RANGE) == costs_json(sample_db, *RANGE)
    here, there = audit_json(fresh, *RANGE), audit_json(sample_db, *RANGE)
    assert here["spirals"] and here["explanations"] and here["features"]
    if kind == "text":
        assert here == there
    else:
        assert without_text(here) == without_text(there)
        assert all(item["text"] is None for item in here["explanations"])
    texts = stored_text_counts(fresh)
    assert texts["commands"] > 0  # commands are kept either way
    if kind == "text":
        assert min(texts.values()) > 0
    else:
        assert all(value == 0 for key, value in texts.items() if key != "commands")
    counts, cost = row_counts(fresh), costs_json(fresh)
    with open_store(fresh) as con:
        load_bundle(con, bundles[kind])
    assert row_counts(fresh) == counts and costs_json(fresh) == cost


def test_a_bundle_from_a_newer_dashcam_is_refused(bundles, tmp_path):
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(bundles["plain"]) as source, zipfile.ZipFile(newer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                data = json.dumps(json.loads(data) | {"schema_version": 999}).encode()
            target.writestr(item, data)
    with open_store(tmp_path / "db.duckdb") as con:
        with pytest.raises(BundleError, match="newer dashcam .* upgrade dashcam"):
            load_bundle(con, newer)
    assert row_counts(tmp_path / "db.duckdb")["messages"] == 0


def test_a_bundle_with_a_stray_file_is_refused(bundles, tmp_path):
    stray = tmp_path / "stray.zip"
    with zipfile.ZipFile(bundles["plain"]) as source, zipfile.ZipFile(stray, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("../../evil.sh", b"#!/bin/sh\n")
    result = runner.invoke(app, ["import", str(stray), "--db", str(tmp_path / "db.duckdb")])
    assert result.exit_code == 1 and "a bundle holds only manifest.json and table files" in result.output
    assert not (tmp_path.parent / "evil.sh").exists() and not Path(os.path.dirname(tmp_path), "evil.sh").exists()


def test_a_rebuild_keeps_findings_imported_without_text(sample_db, bundles, tmp_path):
    fresh = tmp_path / "fresh.duckdb"
    assert invoke("import", str(bundles["plain"]), "--db", str(fresh)).exit_code == 0
    before = audit_json(fresh, *RANGE)
    rebuilt = audit_json(fresh, *RANGE, "--rebuild")
    assert rebuilt == before and before["spirals"] and before["features"]
