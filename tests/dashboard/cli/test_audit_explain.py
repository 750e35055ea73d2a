"""``dashcam audit --explain ID``: one finding with the rules that fired and their evidence."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.present.explain import rule_ids_in
from ingest.api import rule_catalog

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def findings_db(sample_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("explain") / "db.duckdb"
    shutil.copyfile(sample_db, db)
    return db


@pytest.fixture(scope="module")
def findings(findings_db):
    result = invoke("audit", "--json", "--db", str(findings_db))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_an_explanation_is_explained_with_its_sentence_evidence_and_rules(findings_db, findings):
    exotic = [item for item in findings["explanations"] if item["verdict"] == "exotic"]
    assert exotic, "the demo corpus holds exotic explanations"
    item = exotic[0]
    result = invoke("audit", "--explain", item["finding_id"], "--json", "--db", str(findings_db))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["finding_id"] == item["finding_id"]
    assert document["kind"] == "explanation"
    assert document["evidence"][0] == {"label": "sentence", "text": item["text"]}
    catalogue = rule_catalog()
    assert [rule["id"] for rule in document["rules"]] == rule_ids_in([item["cues"], item["category"]], catalogue)
    for rule in document["rules"]:
        assert rule == catalogue[rule["id"]]


def test_a_prefix_is_enough_and_the_terminal_shows_the_finding(findings_db, findings):
    spiral = findings["spirals"][0]
    result = invoke("audit", "--explain", spiral["finding_id"][:10], "--db", str(findings_db))
    assert result.exit_code == 0, result.output
    assert spiral["finding_id"] in result.output.replace("\n", "")
    assert "spiral" in result.output


def test_an_unknown_id_is_one_clear_line(findings_db):
    result = invoke("audit", "--explain", "no-such-finding", "--db", str(findings_db))
    assert result.exit_code == 1
    assert "no finding has the id 'no-such-finding'" in result.output
    assert "Traceback" not in result.output


def test_rule_ids_are_found_in_any_shape_of_cues():
    catalogue = {"outside.kernel.syscalls": {}, "claim.hedge.probably": {}}
    cues = {"rules": ["claim.hedge.probably"], "text": ["outside: epoll via outside.kernel.syscalls"], "x": 3}
    assert rule_ids_in([cues, None, "not.a.rule"], catalogue) == ["claim.hedge.probably", "outside.kernel.syscalls"]
