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
from tests.conftest import REPO, TESTS  # noqa: F401

HERE = TESTS / "heldout3"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    return run_round(HERE / "build_heldout3.py", tmp_path_factory.mktemp("heldout3"))


def _spiral_matches(expected: dict, found: dict) -> bool:
    return (
        found["session_id"] in expected["session_ids"]
        and found["outcome"] == expected["outcome"]
        and expected["site"].lower() in json.dumps(found).lower()
    )


def spiral_scores(truth: dict, audit: dict) -> dict:
    expected, found = truth["spirals"], audit["spirals"]
    hits = [e for e in expected if any(_spiral_matches(e, f) for f in found)]
    false = [f for f in found if not any(_spiral_matches(e, f) for e in expected)]
    return {
        "recall": len(hits) / len(expected),
        "missed": [e["session"] for e in expected if e not in hits],
        "false": [(f["session_id"], f.get("site"), f.get("outcome")) for f in false],
    }


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def exotic_scores(truth: dict, audit: dict) -> dict:
    """Exotic precision, recall, F1; legit and non-claims flagged; verdicts per format."""
    by_sid = {s["session_id"]: s["agent"] for s in truth["sessions"].values()}
    verdict = {(e["session_id"], e["text"]): e["verdict"] for e in truth["explanations"]}
    matched: set = set()
    wrong: list = []
    for item in audit["explanations"]:
        if item["verdict"] != "exotic":
            continue
        said = _norm(item["text"])
        hit = [k for k in verdict if k[0] == item["session_id"] and (_norm(k[1]) in said or said in _norm(k[1]))]
        if hit:
            matched.update(hit)
        else:
            wrong.append((item["session_id"], item["text"]))
    out = {}
    for fmt in ("claude", "codex", "all"):
        keys = [k for k in verdict if fmt == "all" or by_sid[k[0]] == fmt]
        tp = [k for k in keys if k in matched and verdict[k] == "exotic"]
        fp = [k for k in keys if k in matched and verdict[k] != "exotic"] + [
            w for w in wrong if fmt == "all" or by_sid.get(w[0]) == fmt
        ]
        fn = [k for k in keys if verdict[k] == "exotic" and k not in matched]
        p = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
        r = len(tp) / (len(tp) + len(fn)) if tp or fn else 0.0
        out[fmt] = {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "missed": [k[1] for k in fn],
            "wrong": [k[1] for k in fp],
            "legit_flagged": [k[1] for k in keys if k in matched and verdict[k] == "legit"],
            "non_claims_flagged": [k[1] for k in keys if k in matched and verdict[k] == "non_claim"],
        }
    return out


def feature_scores(truth: dict, audit: dict) -> list[dict]:
    """For each truth feature: the audited feature sharing most sessions, and its patches past 80%."""
    rows = []
    for feat in truth["features"]:
        want = set(feat["sessions"])
        best = max(audit["features"], key=lambda f: len(want & set(f["sessions"])), default=None)
        got = best["patches_after_80"] if best and want & set(best["sessions"]) else None
        rows.append(
            {
                "feature": feat.get("name") or f"{feat['repo']}@{feat['branch']}",
                "expected": feat["patches_after_80"],
                "found": got,
                "cliff_expected": feat["cliff"],
                "cliff_found": best and best.get("cliff"),
                "sessions_expected": len(want),
                "sessions_found": len(best["sessions"]) if best else 0,
            }
        )
    return rows


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
    assert scores["recall"] >= 0.9, scores
    assert not scores["false"], scores


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
