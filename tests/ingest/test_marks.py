"""Marks: a person says a finding is right or wrong, and the mark outlives everything derived.

Finding ids come from what a finding is (session, kind, position or site), so a rebuild, a
fresh ingest of the same transcripts and a bundle round trip all find the marked finding
again; the precision the dashboard shows is computed from these marks.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import queries
from dashboard.cli import app
from ingest.bundle import load_bundle
from ingest.marks import MarkError, mark_finding
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.conftest import SAMPLE_SESSIONS

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def audit_json(db: Path, *args: str) -> dict:
    return json.loads(invoke("audit", "--json", *args, "--db", str(db)).output)


def findings(db: Path) -> dict[str, dict]:
    with open_store(db, read_only=True) as con:
        frame = queries.run(con, "audit_findings")
    return {row["finding_id"]: row for row in frame.to_dict("records")}


def marked(db: Path) -> dict[str, str]:
    with open_store(db, read_only=True) as con:
        return dict(con.execute("SELECT finding_id, mark FROM audit_marks").fetchall())


@pytest.fixture
def marked_db(sample_db, tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of the demo database with two exotic explanations, a mundane one, a spiral and a cliff marked."""
    db = tmp_path / "marked.duckdb"
    shutil.copyfile(sample_db, db)
    found = audit_json(db)
    exotic = [e["finding_id"] for e in found["explanations"] if e["verdict"] == "exotic"]
    mundane = [e["finding_id"] for e in found["explanations"] if e["verdict"] == "mundane"]
    cliffs = [f["finding_id"] for f in found["features"] if f["cliff"]]
    marks = {
        exotic[0]: "right",
        exotic[1]: "wrong",
        exotic[2]: "right",
        mundane[0]: "wrong",
        found["spirals"][0]["finding_id"]: "right",
        cliffs[0]: "wrong",
    }
    for finding_id, mark in marks.items():
        invoke("audit", "mark", finding_id, mark, "--note", f"checked {finding_id}", "--user", "erin", "--db", str(db))
    return db, marks


def test_every_finding_has_a_distinct_id_and_the_cli_shows_it(sample_db):
    found = audit_json(sample_db)
    ids = [item["finding_id"] for kind in ("explanations", "spirals") for item in found[kind]]
    ids += [f["finding_id"] for f in found["features"] if f["cliff"]]
    assert len(ids) == len(set(ids)) and all(ids)
    assert all(f["finding_id"] is None for f in found["features"] if not f["cliff"])
    assert set(ids) == set(findings(sample_db))


def test_a_mark_is_stored_with_what_the_audit_said(marked_db):
    db, marks = marked_db
    assert marked(db) == marks
    rows = findings(db)
    for finding_id, mark in marks.items():
        assert rows[finding_id]["mark"] == mark and rows[finding_id]["marked_by"] == "erin"
        assert rows[finding_id]["note"] == f"checked {finding_id}"
    exotic = next(i for i, m in marks.items() if rows[i]["verdict"] == "exotic")
    with open_store(db, read_only=True) as con:
        text, verdict, rules = con.execute(
            "SELECT text, verdict, rules FROM audit_marks WHERE finding_id = ?", [exotic]
        ).fetchone()
    assert text == rows[exotic]["text"] and verdict == "exotic" and '"outside.' in rules


def test_marking_again_replaces_the_mark(marked_db):
    db, marks = marked_db
    first = next(iter(marks))
    invoke("audit", "mark", first, "wrong", "--db", str(db))
    assert marked(db) == marks | {first: "wrong"}


def test_an_unknown_finding_or_mark_is_refused_with_a_hint(marked_db):
    db, marks = marked_db
    result = runner.invoke(app, ["audit", "mark", "x000000000000", "right", "--db", str(db)])
    assert result.exit_code == 1 and "no finding 'x000000000000'" in result.output
    result = runner.invoke(app, ["audit", "mark", next(iter(marks)), "maybe", "--db", str(db)])
    assert result.exit_code == 1 and "right or wrong" in result.output
    with pytest.raises(MarkError):
        mark_finding(db, next(iter(marks)), "maybe")
    assert marked(db) == marks


def test_marks_survive_a_rebuild(marked_db):
    db, marks = marked_db
    before = findings(db)
    audit_json(db, "--rebuild")
    after = findings(db)
    assert set(after) == set(before)
    assert {i: after[i]["mark"] for i in marks} == marks


def test_a_fresh_ingest_of_the_same_transcripts_gives_the_same_ids_and_reingest_keeps_marks(
    marked_db, sample_db, tmp_path
):
    db, marks = marked_db
    fresh = tmp_path / "fresh.duckdb"
    with open_store(fresh) as con:
        for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir()):
            ingest_paths(con, [folder], folder.name)
    audit_json(fresh)
    assert set(findings(fresh)) == set(findings(sample_db))
    with open_store(db) as con:  # ingest again into the marked database
        for folder in sorted(p for p in SAMPLE_SESSIONS.iterdir() if p.is_dir()):
            ingest_paths(con, [folder], folder.name)
    rows = findings(db)
    assert {i: rows[i]["mark"] for i in marks} == marks


@pytest.mark.parametrize("include_text", [False, True])
def test_marks_travel_in_a_bundle_and_merge_on_load(marked_db, tmp_path, include_text):
    db, marks = marked_db
    bundle = tmp_path / "team.zip"
    invoke(
        "export",
        "--since",
        "2026-01-01",
        "--until",
        "2026-12-31",
        "--timezone",
        "UTC",
        "-o",
        str(bundle),
        *(("--include-text",) if include_text else ()),
        "--db",
        str(db),
    )
    fresh = tmp_path / "fresh.duckdb"
    invoke("import", str(bundle), "--db", str(fresh))
    assert marked(fresh) == marks
    rows = findings(fresh)
    assert {i: rows[i]["mark"] for i in marks} == marks
    with open_store(fresh, read_only=True) as con:
        texts = [t for (t,) in con.execute("SELECT text FROM audit_marks").fetchall()]
    assert all(texts) if include_text else not any(texts)
    # A later mark at home wins over the bundle's older one, and loading twice adds nothing.
    first = next(iter(marks))
    flipped = "wrong" if marks[first] == "right" else "right"
    invoke("audit", "mark", first, flipped, "--db", str(fresh))
    with open_store(fresh) as con:
        load_bundle(con, bundle)
        load_bundle(con, bundle)
    assert marked(fresh) == marks | {first: flipped}


def test_labels_export_the_marks_as_csv_and_jsonl(marked_db, tmp_path):
    db, marks = marked_db
    rows = findings(db)
    invoke("audit", "labels", "--out", str(tmp_path / "labels.jsonl"), "--db", str(db))
    invoke("audit", "labels", "--out", str(tmp_path / "labels.csv"), "--db", str(db))
    lines = [json.loads(line) for line in (tmp_path / "labels.jsonl").read_text().splitlines()]
    with (tmp_path / "labels.csv").open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert {line["finding_id"]: line["mark"] for line in lines} == marks
    assert [r["finding_id"] for r in table] == [line["finding_id"] for line in lines]
    for line in lines:
        assert line["session_id"] == rows[line["finding_id"]]["session_id"]
        assert line["verdict"] == rows[line["finding_id"]]["verdict"] and line["text"]
        assert line["note"] == f"checked {line['finding_id']}"
    result = runner.invoke(app, ["audit", "labels", "--out", str(tmp_path / "labels.txt"), "--db", str(db)])
    assert result.exit_code == 1 and ".csv or .jsonl" in result.output


def test_precision_per_audit_and_rule_comes_from_the_marks(marked_db):
    db, marks = marked_db
    rows = findings(db)
    with open_store(db, read_only=True) as con:
        precision = queries.run(con, "audit_mark_precision")
    audits = {
        r["audit"]: (r["marked"], r["right_marks"], r["precision"])
        for r in precision[precision["level"] == "audit"].to_dict("records")
    }
    exotic_marks = [m for i, m in marks.items() if rows[i]["verdict"] == "exotic"]
    assert audits["exotic"] == (3, exotic_marks.count("right"), pytest.approx(exotic_marks.count("right") / 3))
    assert audits["mundane"] == (1, 0, 0.0) and audits["spiral"] == (1, 1, 1.0) and audits["cliff"] == (1, 0, 0.0)
    by_rule = precision[precision["level"] == "rule"]
    # per rule id (ingest/rules/*.toml): the adverb hedge ("probably", "likely") as the example
    hedges = [m for i, m in marks.items() if '"claim.hedge.adverb"' in (rows[i]["rules"] or "")]
    assert hedges
    hedge_row = by_rule[by_rule["rule"] == "claim.hedge.adverb"]
    assert int(hedge_row["marked"].sum()) == len(hedges)
    assert int(hedge_row["right_marks"].sum()) == hedges.count("right")


def test_the_mark_commands_are_documented_in_the_readme():
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "dashcam audit mark ID right|wrong" in readme and "dashcam audit labels --out" in readme
