"""Fourth blind held-out evaluation of the auditor, in stacks no earlier round used.

The sessions in tests/heldout4 (Celery/RabbitMQ, Kafka, Xcode, Espresso via adb, Flutter,
Laravel, Rails/Capybara, Haskell, Temporal, Helm, Vitest browser mode, Bazel, Nix,
PyTorch/CUDA, Pulumi, Deno, Bun, k6, gRPC, GitHub Actions; Codex in its shell,
shell_command and exec_command shapes) were written before the detectors' output on them
was read. Each user's sessions are ingested separately with the round's features.toml, the
audit runs once, and the findings are scored against truth.json: spiral recall with no false
spiral (waits on the agent's own tools, failures visible only in piped output, a spiral that
continues into the next day's session), exotic F1 over every sentence the agent says with no
legit diagnosis or non-claim flagged, and fix attempts past the 80% mark within one per
feature. Bars the current detectors miss are marked xfail (non-strict) so the suite stays
green while the figures are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import json

import pytest

from tests.audits.blind_round import load_builder, run_round
from tests.audits.blind_scores import exotic_scores, feature_scores, spiral_scores
from tests.conftest import TESTS

HERE = TESTS / "heldout4"
NOT_YET = "detectors not yet at the bar"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    return run_round(HERE / "build_heldout4.py", tmp_path_factory.mktemp("heldout4"))


def test_builder_is_deterministic(tmp_path):
    builder = load_builder(HERE / "build_heldout4.py")
    first = builder.build(tmp_path / "a")
    second = builder.build(tmp_path / "b")
    assert first == second == json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    for path in (tmp_path / "a").rglob("*.jsonl"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_corpus_shape():
    """The round covers what it claims: both formats, three Codex tool shapes, tool waits, hidden exits."""
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    sessions = truth["sessions"].values()
    assert len(truth["sessions"]) >= 16 and len({s["user"] for s in sessions}) == 2
    assert {s["agent"] for s in sessions} == {"claude", "codex"}
    assert {s.get("codex_tool") for s in sessions if s["agent"] == "codex"} == {
        "shell",
        "shell_command",
        "exec_command",
    }
    assert len(truth["spirals"]) >= 8 and len(truth["not_spirals"]) >= 5
    kinds = " | ".join(s["wait_on"] for s in truth["spirals"])
    for kind in ("codex timeout_ms", "claude Bash timeout", "run_in_background + polling sleep", "| tail", "|| true"):
        assert kind in kinds
    assert any(len(s["session_ids"]) == 2 for s in truth["spirals"])
    assert all(len(s["values_s"]) >= 4 and s["values_s"][-1] >= 4 * s["values_s"][0] for s in truth["spirals"])
    verdicts = [e["verdict"] for e in truth["explanations"]]
    assert len(verdicts) >= 40 and verdicts.count("exotic") >= 14 and verdicts.count("legit") >= 10
    assert verdicts.count("mundane") >= 8 and verdicts.count("non_claim") >= 10
    assert len(truth["user_messages"]) >= 15
    assert {f["patches_after_80"] for f in truth["features"]} == {5, 11, 3}


def test_every_sentence_has_one_verdict():
    """A sentence said twice in one session would make the match ambiguous."""
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    keys = [(e["session_id"], e["text"]) for e in truth["explanations"]]
    assert len(keys) == len(set(keys))


def test_spiral_recall_and_no_false_spiral(audited):
    truth, audit = audited
    scores = spiral_scores(truth, audit)
    print("heldout4 spirals:", json.dumps(scores))
    assert scores["all"]["recall"] >= 0.9, scores
    assert not scores["all"]["false"], scores


def test_exotic_f1(audited):
    truth, audit = audited
    scores = exotic_scores(truth, audit)
    print("heldout4 exotic:", json.dumps(scores))
    assert scores["all"]["f1"] >= 0.85, scores["all"]


def test_no_legit_and_no_non_claim_flagged(audited):
    truth, audit = audited
    scores = exotic_scores(truth, audit)["all"]
    assert not scores["legit_flagged"] and not scores["non_claims_flagged"], scores


def test_patches_past_80_within_one(audited):
    truth, audit = audited
    rows = feature_scores(truth, audit)
    print("heldout4 features:", json.dumps(rows))
    assert all(r["found"] is not None and abs(r["found"] - r["expected"]) <= 1 for r in rows), rows
    assert all(r["cliff_found"] == r["cliff_expected"] for r in rows), rows
