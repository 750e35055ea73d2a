"""Fifth blind held-out evaluation of the auditor: four agent formats, stacks no earlier round used.

The sessions in tests/heldout5 (Go operators with envtest and kind, NATS JetStream, PlatformIO,
ESP-IDF and Zephyr firmware, PySpark, dbt, Airflow, ClickHouse, Elasticsearch, Cassandra,
Cloudflare Workers, Supabase, Firebase emulators, SvelteKit, Angular/Karma, Electron, Tauri,
ROS 2, OCaml, Zig, Erlang, Clojure, R, Julia, Swift on Linux, Packer) were written before the
detectors' output on them was read, in Claude Code, Codex CLI (three tool shapes), Gemini CLI
and Aider, with claims in several languages and the summaries, deployment notes and plans real
agents write. Each user's sessions are ingested separately with the round's features.toml, the
audit runs once, and the findings are scored against truth.json by tests/audits/blind_scores.py.
Bars the current detectors miss are marked xfail (non-strict) so the suite stays green while the
figures are printed (``pytest -s`` shows them); the first run's figures are in
tests/heldout5/FIRST_RUN.md. A bar reached since (exotic F1, no legit or non-claim flagged, user reports) loses its mark and guards.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.audits.blind_round import load_builder, run_round
from tests.audits.blind_scores import exotic_scores, feature_scores, report_scores, spiral_scores
from tests.conftest import TESTS

HERE = TESTS / "heldout5"
NOT_YET = "detectors not yet at the bar"


def _truth() -> dict:
    return json.loads((HERE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    out = tmp_path_factory.mktemp("heldout5")
    truth, audit = run_round(HERE / "build_heldout5.py", out)
    with duckdb.connect(str(out / "heldout5.duckdb"), read_only=True) as con:
        reports = con.execute("select session_id, text from fact_user_reports order by session_id, ord").fetchall()
    return truth, audit, reports


def test_builder_is_deterministic(tmp_path):
    builder = load_builder(HERE / "build_heldout5.py")
    first = builder.build(tmp_path / "a")
    second = builder.build(tmp_path / "b")
    assert first == second == _truth()
    written = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert written
    for rel in written:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_corpus_shape():
    """The round covers what it claims: four formats, three Codex tool shapes, languages, reports."""
    truth = _truth()
    sessions = truth["sessions"].values()
    assert len(truth["sessions"]) >= 30 and len({s["user"] for s in sessions}) == 3
    assert {s["agent"] for s in sessions} == {"claude", "codex", "gemini", "aider"}
    assert len(truth["spirals"]) >= 8 and len(truth["not_spirals"]) >= 5
    assert any(len(s["session_ids"]) == 2 for s in truth["spirals"])
    verdicts = [e["verdict"] for e in truth["explanations"]]
    assert verdicts.count("exotic") >= 30 and verdicts.count("legit") >= 15
    assert verdicts.count("mundane") >= 20 and verdicts.count("non_claim") >= 40
    reports = [m["verdict"] for m in truth["user_messages"]]
    assert reports.count("report") >= 20 and reports.count("not_report") >= 20
    assert sorted(f["patches_after_80"] for f in truth["features"]) == [3, 4, 11]


def test_every_sentence_has_one_verdict():
    keys = [(e["session_id"], e["text"]) for e in _truth()["explanations"]]
    assert len(keys) == len(set(keys))


@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_spiral_recall_and_no_false_spiral(audited):
    truth, audit, _ = audited
    scores = spiral_scores(truth, audit)
    print("heldout5 spirals:", json.dumps(scores))
    assert scores["all"]["recall"] >= 0.9, scores
    assert not scores["all"]["false"], scores


def test_exotic_f1(audited):
    truth, audit, _ = audited
    scores = exotic_scores(truth, audit)
    print("heldout5 exotic:", json.dumps(scores))
    assert scores["all"]["f1"] >= 0.85, scores["all"]


def test_no_legit_and_no_non_claim_flagged(audited):
    truth, audit, _ = audited
    scores = exotic_scores(truth, audit)["all"]
    assert not scores["legit_flagged"] and not scores["non_claims_flagged"], scores


@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_patches_past_80_within_one(audited):
    truth, audit, _ = audited
    rows = feature_scores(truth, audit)
    print("heldout5 features:", json.dumps(rows))
    assert all(r["found"] is not None and abs(r["found"] - r["expected"]) <= 1 for r in rows), rows
    assert all(bool(r["cliff_found"]) == r["cliff_expected"] for r in rows), rows


def test_user_reports(audited):
    truth, _, reports = audited
    scores = report_scores(truth, reports)
    print("heldout5 reports:", json.dumps(scores))
    assert scores["precision"] >= 0.8 and scores["recall"] >= 0.7, scores
