"""Third blind held-out evaluation of the auditor, in stacks no earlier round used.

The sessions in tests/heldout3 (Gradle/Testcontainers, Cypress, Terraform, Ansible, tenacity,
resilience4j, .NET, Elixir, bugs reported in plain words) were written before the detectors'
output on them was read. Each user's sessions are ingested separately with the round's
features.toml, the audit runs once, and the findings are scored against truth.json: spiral
recall with no false spiral (waits set on the agent's own tools and a spiral that continues
into the next session included), exotic F1 with no legit diagnosis flagged, and fix attempts
past the 80% mark within one per feature. Every bar is asserted.
"""

from __future__ import annotations

import json

import pytest

from tests.audits.blind_round import load_builder, run_round
from tests.audits.blind_scores import exotic_scores, feature_scores, spiral_scores
from tests.conftest import TESTS

HERE = TESTS / "heldout3"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    return run_round(HERE / "build_heldout3.py", tmp_path_factory.mktemp("heldout3"))


def test_builder_is_deterministic(tmp_path):
    builder = load_builder(HERE / "build_heldout3.py")
    first = builder.build(tmp_path / "a")
    second = builder.build(tmp_path / "b")
    assert first == second == json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    for path in (tmp_path / "a").rglob("*.jsonl"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_corpus_shape():
    """The round covers what it claims: both formats, tool waits, a cross-session spiral, ~40 sentences."""
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    assert {s["agent"] for s in truth["sessions"].values()} == {"claude", "codex"}
    assert len(truth["spirals"]) == 7 and len(truth["not_spirals"]) >= 4
    assert {s.get("wait_on") for s in truth["spirals"]} >= {
        "codex timeout_ms",
        "claude Bash timeout",
        "run_in_background + polling sleep",
    }
    assert any(len(s["session_ids"]) == 2 for s in truth["spirals"])
    verdicts = [e["verdict"] for e in truth["explanations"]]
    assert len(verdicts) >= 40 and verdicts.count("exotic") >= 10 and verdicts.count("legit") >= 6
    assert verdicts.count("non_claim") >= 4
    assert {f["patches_after_80"] for f in truth["features"]} == {4, 12, 2}


def test_spiral_recall_and_no_false_spiral(audited):
    truth, audit = audited
    scores = spiral_scores(truth, audit)
    print("heldout3 spirals:", json.dumps(scores))
    assert scores["all"]["recall"] >= 0.9, scores
    assert not scores["all"]["false"], scores


def test_exotic_f1(audited):
    truth, audit = audited
    scores = exotic_scores(truth, audit)
    print(
        "heldout3 exotic:", json.dumps({k: {m: v[m] for m in ("precision", "recall", "f1")} for k, v in scores.items()})
    )
    assert scores["all"]["f1"] >= 0.85, scores["all"]


def test_no_legit_and_no_non_claim_flagged(audited):
    truth, audit = audited
    scores = exotic_scores(truth, audit)["all"]
    assert not scores["legit_flagged"] and not scores["non_claims_flagged"], scores


def test_patches_past_80_within_one(audited):
    truth, audit = audited
    rows = feature_scores(truth, audit)
    print("heldout3 features:", json.dumps(rows))
    assert all(r["found"] is not None and abs(r["found"] - r["expected"]) <= 1 for r in rows), rows
