"""The bundled demo corpus audited end to end against its ground truth (EXPECTED.json).

``sample_sessions/`` plants timeout spirals, exotic explanations and an 80% cliff in
otherwise ordinary sessions of four teammates and four agents. Ingested one folder per user,
``dashcam audit --json`` must find exactly what was planted: the spirals with their values
and outcomes, the exotic explanations, the cliff features, and nothing on the clean ones.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.conftest import SAMPLE_SESSIONS

EXPECTED = SAMPLE_SESSIONS / "EXPECTED.json"

pytestmark = pytest.mark.skipif(not EXPECTED.exists(), reason="the demo corpus has not been generated")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings(sample_db) -> dict:
    result = CliRunner().invoke(app, ["audit", "--json", "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_exactly_the_planted_spirals_with_their_values_and_outcomes(findings, expected):
    planted = {(s["session_id"], tuple(float(v) for v in s["values_s"]), s["outcome"]) for s in expected["spirals"]}
    found = {(s["session_id"], tuple(float(v) for v in s["values_s"]), s["outcome"]) for s in findings["spirals"]}
    assert found == planted
    by_session = {s["session_id"]: s for s in findings["spirals"]}
    for spiral in expected["spirals"]:
        assert by_session[spiral["session_id"]]["escalations"] == spiral["raises"]
        assert by_session[spiral["session_id"]]["ratio"] == pytest.approx(spiral["final_over_initial"])


def test_no_spiral_in_sessions_with_clean_waits(findings, expected):
    clean = {entry["session_id"] for entry in expected["clean_wait_sessions"]}
    assert clean.isdisjoint(s["session_id"] for s in findings["spirals"])


def test_exactly_the_planted_exotic_explanations(findings, expected):
    planted = {(e["session_id"], e["text"]) for e in expected["exotic_explanations"]}
    found = {(e["session_id"], e["text"]) for e in findings["explanations"] if e["verdict"] == "exotic"}
    assert found == planted


def test_explanations_labelled_otherwise_are_not_exotic(findings, expected):
    # Aider has no session id of its own: the corpus names its sessions "<file>#<start>", so
    # those sentences are matched by text alone.
    verdicts = {(e["session_id"], e["text"]): e["verdict"] for e in findings["explanations"]}
    verdicts |= {("aider", e["text"]): e["verdict"] for e in findings["explanations"] if e["agent"] == "aider"}
    labelled = [
        ("aider" if e["agent"] == "aider" else e["session_id"], e["text"]) for e in expected["explanations_not_exotic"]
    ]
    assert [key for key in labelled if verdicts.get(key) == "exotic"] == []
    assert [key for key in labelled if key not in verdicts] == []


def test_exactly_the_planted_cliffs(findings, expected):
    planted = {f["feature"] for f in expected["features"] if f["cliff"]}
    assert {f["feature"] for f in findings["features"] if f["cliff"]} == planted


def test_features_and_their_sessions_match(findings, expected):
    """EXPECTED marks 80% of the lines added, the audit 80% of the final code: close, not equal."""
    found = {f["feature"]: f for f in findings["features"]}
    for feature in expected["features"]:
        assert set(found[feature["feature"]]["sessions"]) == set(feature["sessions"])
        gap = utc(found[feature["feature"]]["t80"]) - utc(feature["mark_80_ts"])
        assert abs(gap.total_seconds()) < 300, feature["feature"]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_fix_attempts_past_the_80_percent_mark_match_the_ground_truth(findings, expected):
    found = {f["feature"]: f["patches_after_80"] for f in findings["features"]}
    truth = {f["feature"]: f["fix_attempts_after_80"] for f in expected["features"]}
    assert {name: found.get(name) for name in truth} == truth
