"""Second blind held-out evaluation of the auditor.

The sessions in tests/heldout2 were written independently of the detectors, with wait
constructs and explanation wording they were not tuned on. Each user's sessions are
ingested separately, the audit runs once, and its spirals and exotic explanations are
scored against truth.json: spiral recall (site and outcome) with no false positive, and
exotic-explanation F1 with no evidenced (legit) explanation flagged as exotic.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.conftest import REPO, TESTS  # noqa: F401

HERE = TESTS / "heldout2"


def dashcam(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_heldout2", HERE / "build_heldout2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """Generate the corpus, ingest it per user, run the audit; returns (truth, audit)."""
    out = tmp_path_factory.mktemp("heldout2")
    truth = _load_builder().build(out / "corpus")
    db = out / "heldout2.duckdb"
    for user in sorted({s["user"] for s in truth["sessions"].values()}):
        dashcam("ingest", str(out / "corpus" / user), "--db", str(db), "--user", user)
    return truth, json.loads(dashcam("audit", "--json", "--db", str(db)))


def test_builder_is_deterministic(tmp_path):
    builder = _load_builder()
    first = builder.build(tmp_path / "a")
    second = builder.build(tmp_path / "b")
    assert first == second == json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    for path in (tmp_path / "a").rglob("*.jsonl"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def _spiral_matches(expected: dict, found: dict) -> bool:
    return (
        found["session_id"] == expected["session_id"]
        and expected["site"] in found["site"]
        and found["outcome"] == expected["outcome"]
    )


def test_spirals_recall_and_no_false_positive(audited):
    truth, audit = audited
    expected = truth["spirals"]
    found = audit["spirals"]
    hits = [e for e in expected if any(_spiral_matches(e, f) for f in found)]
    misses = [e["session"] for e in expected if e not in hits]
    recall = len(hits) / len(expected)
    assert recall >= 0.9, f"spiral recall {recall:.2f}, missed {misses}"
    false_pos = [f for f in found if not any(_spiral_matches(e, f) for e in expected)]
    assert not false_pos, [(f["session_id"], f["site"], f["outcome"]) for f in false_pos]
    not_spiral_ids = {n["session_id"] for n in truth["not_spirals"]}
    assert not [f for f in found if f["session_id"] in not_spiral_ids]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _flagged_exotic(truth: dict, audit: dict) -> tuple[set, set]:
    """(truth sentences the audit flagged exotic, flagged exotic texts matching no truth sentence)."""
    matched: set = set()
    unmatched: set = set()
    for item in audit["explanations"]:
        if item["verdict"] != "exotic":
            continue
        said = _norm(item["text"])
        hit = [
            e["text"]
            for e in truth["explanations"]
            if e["session_id"] == item["session_id"] and (_norm(e["text"]) in said or said in _norm(e["text"]))
        ]
        if hit:
            matched.update(hit)
        else:
            unmatched.add(item["text"])
    return matched, unmatched


def exotic_scores(truth: dict, audit: dict) -> dict:
    """Precision, recall and F1 of the exotic verdict, with the misses and wrong flags listed."""
    verdict = {e["text"]: e["verdict"] for e in truth["explanations"]}
    matched, unmatched = _flagged_exotic(truth, audit)
    tp = [t for t in matched if verdict[t] == "exotic"]
    fp = [t for t in matched if verdict[t] != "exotic"] + sorted(unmatched)
    fn = [t for t, v in verdict.items() if v == "exotic" and t not in matched]
    precision = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
    recall = len(tp) / (len(tp) + len(fn)) if tp or fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    legit_flagged = [t for t in matched if verdict[t] == "legit"]
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "missed": fn,
        "wrong": fp,
        "legit_flagged": legit_flagged,
    }


def test_exotic_f1(audited):
    truth, audit = audited
    scores = exotic_scores(truth, audit)
    assert scores["f1"] >= 0.85, scores


def test_no_legit_explanation_flagged_exotic(audited):
    truth, audit = audited
    scores = exotic_scores(truth, audit)
    assert not scores["legit_flagged"], scores


def test_corpus_shape():
    """The held-out corpus covers what the evaluation claims: both formats, two users, August 2026."""
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    sessions = truth["sessions"].values()
    assert {s["agent"] for s in sessions} == {"claude", "codex"}
    assert len({s["user"] for s in sessions}) == 2
    verdicts = [e["verdict"] for e in truth["explanations"]]
    assert verdicts.count("exotic") >= 12 and verdicts.count("legit") >= 6
    assert len(truth["spirals"]) == 5 and len(truth["not_spirals"]) >= 4
