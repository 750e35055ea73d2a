"""Marks on the dashboard, driven with AppTest: the measured precision each audit page shows is
the one the marks give, and the mark form writes a mark (the dashboard's only write)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import queries
from ingest.marks import mark_finding
from tests.dashboard.web.test_pages import open_page


def findings(db: Path, kind: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        return queries.run(con, "audit_findings", kind=kind).to_dict("records")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def db(sample_db, tmp_path) -> Path:
    path = tmp_path / "marks.duckdb"
    shutil.copyfile(sample_db, path)
    return path


def test_each_audit_page_shows_precision_measured_from_the_marks(monkeypatch, db):
    exotic = [f for f in findings(db, "explanation") if f["verdict"] == "exotic"]
    for finding, mark in zip(exotic, ("right", "right", "wrong", "right")):
        mark_finding(db, finding["finding_id"], mark)
    spirals = findings(db, "spiral")
    mark_finding(db, spirals[0]["finding_id"], "wrong")
    mark_finding(db, spirals[1]["finding_id"], "right")
    mark_finding(db, findings(db, "cliff")[0]["finding_id"], "right")
    at = open_page(monkeypatch, db, "explanations")
    assert metrics(at)["Precision: exotic"] == "75%"
    assert any("Measured precision" in s.value for s in at.subheader)
    rules = at.dataframe[[i for i, d in enumerate(at.dataframe) if "rule" in d.value.columns][0]].value
    assert int(rules[rules["audit"] == "exotic"]["marked"].max()) <= 4 and not rules.empty
    assert metrics(open_page(monkeypatch, db, "spirals"))["Precision: spiral"] == "50%"
    assert metrics(open_page(monkeypatch, db, "cliff"))["Precision: cliff"] == "100%"


def test_without_marks_the_pages_say_how_to_mark(monkeypatch, db):
    at = open_page(monkeypatch, db, "spirals")
    assert not [label for label in metrics(at) if label.startswith("Precision")]
    assert any("dashcam audit mark" in c.value for c in at.caption)


def test_the_mark_form_writes_one_mark_and_the_precision_follows(monkeypatch, db):
    at = open_page(monkeypatch, db, "explanations")
    target = [f for f in findings(db, "explanation") if f["verdict"] == "exotic"][0]
    at.selectbox(key="explanation:finding").set_value(target["finding_id"])
    at.radio(key="explanation:mark").set_value("wrong")
    at.text_input(key="explanation:note").input("a summary, not a claim")
    at.button(key="explanation:save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT finding_id, mark, note, verdict FROM audit_marks").fetchall()
    assert rows == [(target["finding_id"], "wrong", "a summary, not a claim", "exotic")]
    assert metrics(at)["Precision: exotic"] == "0%"
    assert any("Marked wrong" in s.value for s in at.success)


def test_the_transcript_view_offers_its_sessions_findings(monkeypatch, db):
    target = [f for f in findings(db, "explanation") if f["verdict"] == "exotic"][0]
    at = open_page(monkeypatch, db, "sessions", session=f"{target['agent']}:{target['session_id']}")
    box = at.selectbox(key=f"session:{target['agent']}:{target['session_id']}:finding")
    session_ids = {
        f["finding_id"]
        for kind in ("explanation", "spiral", "cliff")
        for f in findings(db, kind)
        if f["session_id"] == target["session_id"]
    }
    assert {option.split()[0] for option in box.options} == session_ids and target["finding_id"] in session_ids
