"""Eighth blind held-out evaluation of the auditor, in stacks no earlier round used.

The sessions in tests/heldout8 (search and stores: Meilisearch, Typesense, FoundationDB,
Hazelcast, Memgraph, SurrealDB; logs and data: Fluent Bit, Loki, Trino, Hadoop HDFS, ZeroMQ;
runners and images: Emacs Lisp/ERT, Bats, Robot Framework, TestCafe, Yocto/BitBake, QEMU) come
in all four formats: Claude Code, Codex CLI in its shell, shell_command and exec_command shapes,
Gemini CLI (legacy document and JSONL) and Aider. They were written before the detectors' output
on them was read. Each user's sessions are ingested separately with the round's features.toml,
the audit runs once, and the findings are scored against truth.json per agent format: spiral
recall with no false spiral, exotic F1 over every sentence the agent says with no legit
diagnosis or non-claim flagged, user-report precision and recall, and fix attempts past the 80%
mark within one per feature. The figures are printed (``pytest -s`` shows them); the bars are
the issue's. The first run has not happened yet: every bar is marked slow and xfail
(non-strict) until that run, which is the round's measurement.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import duckdb
import pytest

from tests.audits.blind_round import load_builder, run_round
from tests.audits.blind_scores import exotic_scores, feature_scores, report_scores, spiral_scores
from tests.conftest import TESTS

HERE = TESTS / "heldout8"
NOT_YET = "eighth blind round: not run yet; its first run is the next measurement"
VERDICTS = {"exotic": 23, "legit": 16, "mundane": 52, "non_claim": 105}
USER_MESSAGES = {"report": 41, "not_report": 24}
# Spanish, German, Norwegian, Portuguese, Polish, Swedish, Finnish, Dutch, Japanese
LANGUAGES = (
    "Es posible",
    "vermutlich",
    "drept av OOM",
    "Para este teste",
    "Przypuszczam",
    "misstänker",
    "Tiivistettynä",
    "waarschijnlijk",
    "[\u3040-\u30ff]",
)


def _truth() -> dict:
    return json.loads((HERE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    out = tmp_path_factory.mktemp("heldout8")
    truth, audit = run_round(HERE / "build_heldout8.py", out)
    with duckdb.connect(str(out / "heldout8.duckdb"), read_only=True) as con:
        detected = con.execute("SELECT session_id, text FROM fact_user_reports ORDER BY session_id, ord").fetchall()
    return truth, audit, [(sid, text or "") for sid, text in detected]


def test_builder_is_deterministic(tmp_path):
    builder = load_builder(HERE / "build_heldout8.py")
    first = builder.build(tmp_path / "a")
    second = builder.build(tmp_path / "b")
    assert first == second == _truth()
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert {p.suffix for p in files} == {".jsonl", ".json", ".md", ".toml"}
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_corpus_shape():
    """The round covers what it claims: four formats, three Codex tool shapes, tool waits, hidden exits."""
    truth = _truth()
    sessions = list(truth["sessions"].values())
    agents = Counter(s["agent"] for s in sessions)
    assert len(sessions) == 34 and len({s["user"] for s in sessions}) == 3
    assert agents == {"claude": 14, "codex": 15, "gemini": 4, "aider": 1}
    assert {s.get("codex_tool") for s in sessions if s["agent"] == "codex"} == {
        "shell",
        "shell_command",
        "exec_command",
    }
    assert {s.get("file_format") for s in sessions if s["agent"] == "gemini"} == {"json", "jsonl"}

    assert len(truth["spirals"]) == 9 and len(truth["not_spirals"]) == 6
    kinds = " | ".join(s["wait_on"] for s in truth["spirals"])
    for kind in (
        "codex timeout_ms",
        "claude Bash timeout",
        "run_in_background + polling sleep",
        "| tail",
        "|| true",
        "| tee",
    ):
        assert kind in kinds
    assert sum(len(s["session_ids"]) == 2 for s in truth["spirals"]) == 2
    assert {s["outcome"] for s in truth["spirals"]} == {"fixed_by_logic", "unresolved", "masked"}
    assert all(len(s["values_s"]) >= 4 and s["values_s"][-1] >= 4 * s["values_s"][0] for s in truth["spirals"])
    assert all(a < b for s in truth["spirals"] for a, b in zip(s["values_s"], s["values_s"][1:]))

    verdicts = Counter(e["verdict"] for e in truth["explanations"])
    assert verdicts == VERDICTS
    assert verdicts["non_claim"] / sum(verdicts.values()) >= 0.45
    agent_of = {s["session_id"]: s["agent"] for s in sessions}
    assert {agent_of[e["session_id"]] for e in truth["explanations"]} == set(agents)
    said = " ".join(e["text"] for e in truth["explanations"])
    for language in LANGUAGES:
        assert re.search(language, said), language

    users = Counter(m["verdict"] for m in truth["user_messages"])
    assert users == USER_MESSAGES
    assert [(f["patches_after_80"], f["cliff"]) for f in truth["features"]] == [(4, False), (9, True), (3, False)]
    assert all(2 <= len(f["sessions"]) <= 3 for f in truth["features"])


def test_every_sentence_has_one_verdict():
    """A sentence said twice in one session would make the match ambiguous."""
    keys = [(e["session_id"], e["text"]) for e in _truth()["explanations"]]
    assert len(keys) == len(set(keys))


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_spiral_recall_and_no_false_spiral(audited):
    truth, audit, _ = audited
    scores = spiral_scores(truth, audit)
    print("heldout8 spirals:", json.dumps(scores))
    assert scores["all"]["recall"] >= 0.9, scores
    assert not scores["all"]["false"], scores


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_exotic_f1(audited):
    truth, audit, _ = audited
    scores = exotic_scores(truth, audit)
    print("heldout8 exotic:", json.dumps(scores, ensure_ascii=False))
    assert scores["all"]["f1"] >= 0.85, scores["all"]


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_no_legit_and_no_non_claim_flagged(audited):
    truth, audit, _ = audited
    scores = exotic_scores(truth, audit)["all"]
    assert not scores["legit_flagged"] and not scores["non_claims_flagged"], scores


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_user_reports_precision_and_recall(audited):
    truth, _, detected = audited
    scores = report_scores(truth, detected)
    print("heldout8 user reports:", json.dumps(scores, ensure_ascii=False))
    assert scores["precision"] >= 0.9 and scores["recall"] >= 0.9, scores


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=NOT_YET)
def test_patches_past_80_within_one(audited):
    truth, audit, _ = audited
    rows = feature_scores(truth, audit)
    print("heldout8 features:", json.dumps(rows))
    assert all(r["found"] is not None and abs(r["found"] - r["expected"]) <= 1 for r in rows), rows
    assert all(r["cliff_found"] == r["cliff_expected"] for r in rows), rows
