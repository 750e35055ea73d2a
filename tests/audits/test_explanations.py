"""Explanations after failures end to end: Claude Code and Codex sessions ingested into a real
database, their causal sentences classified with the preceding tool output as evidence.

Checked here: only sentences written after a failure count; the same outside cause is legit
when the tool output shows it (OOMKilled, exit code 137) and exotic when it does not; own-code
causes are mundane; an exotic claim is refuted when the next edit of the turn changes the
project's own code; ``dashcam audit --json`` lists every classified sentence.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import queries
from dashboard.cli import app
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import FORMATS, Session, write_session

OOM_CLAIM = "The kernel OOM killer terminated pgbouncer under load, so clients lost their connections."
DNS_CLAIM = "This looks like a transient DNS hiccup on the build machine, so the module fetch failed."
OWN_CLAIM = "The test fails because parse_date ignores the timezone offset, so the hour is off by one."
EARLY_CLAIM = "This is probably a kernel bug in the container runtime, so the build is slow."
LOAD_FAIL = (
    "load test failed: 1812 of 40000 transactions failed\n"
    "pgbench: error: client 212 aborted: server closed the connection unexpectedly"
)
DESCRIBE_OOM = (
    "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n    Restart Count:  7"
)
DATES_FAIL = (
    "FAILED tests/test_dates.py::test_parse_dst - AssertionError: 01:00 != 02:00\n"
    "=================== 1 failed, 30 passed in 2.10s ==================="
)
BUILD_FAIL = "./server.go:14:2: undefined: lib.NewClientWithRetry\nnote: module requires github.com/acme/lib v1.4.0"


def oom_with_evidence() -> Session:
    s = Session("oom-evidence", repo="infra", start="2026-10-15T13:20:00Z")
    s.prompt("pgbouncer keeps restarting under the staging load test. Can you check?")
    s.shell("./hack/loadtest.sh staging", LOAD_FAIL, exit_code=1, seconds=200)
    s.shell("kubectl -n data describe pod pgbouncer-5c9d7b8f6-hx2lq", DESCRIBE_OOM)
    s.say(OOM_CLAIM + " I'll raise the memory limit to 256Mi.")
    s.edit("config/pgbouncer/deployment.yaml", "              memory: 128Mi", "              memory: 256Mi")
    s.shell("./hack/loadtest.sh staging", "load test passed", seconds=190)
    return s


def oom_without_evidence() -> Session:
    s = Session("oom-no-evidence", repo="infra", start="2026-10-16T13:20:00Z")
    s.prompt("The load test fails since yesterday.")
    s.shell("./hack/loadtest.sh staging", LOAD_FAIL, exit_code=1, seconds=200)
    s.say(OOM_CLAIM + " Let me look at the pool settings.")
    s.edit("config/pgbouncer/pgbouncer.ini", "max_client_conn = 100", "max_client_conn = 400")
    s.shell("./hack/loadtest.sh staging", "load test passed", seconds=190)
    return s


def mundane_cause() -> Session:
    s = Session("mundane", start="2026-10-17T10:00:00Z")
    s.prompt("test_parse_dst fails, please fix.")
    s.shell("uv run pytest tests/test_dates.py -q", DATES_FAIL, exit_code=1)
    s.say(OWN_CLAIM + " I'll pass the offset through.")
    s.edit(
        "app/dates.py",
        "    return datetime.strptime(text, FORMAT)",
        "    return datetime.strptime(text, FORMAT).replace(tzinfo=zone)",
    )
    s.shell("uv run pytest tests/test_dates.py -q", "=================== 31 passed in 2.02s ===================")
    return s


def exotic_refuted_by_own_fix() -> Session:
    """DNS blamed, then the agent fixes the project's own go.mod: the claim is refuted."""
    s = Session("refuted", start="2026-10-18T10:00:00Z")
    s.prompt("go build fails in CI since this morning.")
    s.shell("go build ./...", BUILD_FAIL, exit_code=1)
    s.say(DNS_CLAIM + " Retrying will probably work.")
    s.edit("go.mod", "require github.com/acme/lib v1.4.0", "require github.com/acme/lib v1.3.2")
    s.shell("go build ./...", "")
    return s


def exotic_not_refuted() -> Session:
    """DNS blamed, the agent edits only a file outside the project, then the turn ends."""
    s = Session("not-refuted", start="2026-10-19T10:00:00Z")
    s.prompt("go build fails in CI since this morning.")
    s.shell("go build ./...", BUILD_FAIL, exit_code=1)
    s.say(DNS_CLAIM + " I'll point Go at another proxy.")
    s.edit("/home/dev/.config/go/env", "GOPROXY=https://proxy.golang.org", "GOPROXY=https://goproxy.io")
    s.prompt("Thanks. Now also bump the lib version in go.mod.")
    s.edit("go.mod", "require github.com/acme/lib v1.3.2", "require github.com/acme/lib v1.4.1")
    return s


def before_any_failure() -> Session:
    """A causal guess before anything failed, and one after a new prompt with no new failure.

    The prompts ask about the build without reporting a symptom: "the build feels slow lately"
    would be a failure the person reports, which opens the window like a failed check."""
    s = Session("no-failure", start="2026-10-20T10:00:00Z")
    s.prompt("Walk me through how the build is set up, any idea?")
    s.say(EARLY_CLAIM)
    s.shell("go build ./...", BUILD_FAIL, exit_code=1)
    s.say("The build uses an API the pinned lib version does not have.")
    s.shell("go build ./...", "")
    s.prompt("OK, and how is the docker build configured?")
    s.say(EARLY_CLAIM)
    return s


STORIES = [
    oom_with_evidence,
    oom_without_evidence,
    mundane_cause,
    exotic_refuted_by_own_fix,
    exotic_not_refuted,
    before_any_failure,
]


@pytest.fixture(scope="module")
def audit_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("explanations")
    ids = {}
    for builder in STORIES:
        session = builder()
        for fmt in FORMATS:
            write_session(root / "logs", session, fmt)
            ids[(session.name, fmt)] = session.session_id(fmt)
    db = root / "audit.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
    con = open_store(db, read_only=True)
    yield con, ids, db
    con.close()


def explanation(con, session_id: str, text: str):
    frame = queries.run(con, "audit_explanations")
    rows = frame[(frame.session_id == session_id) & (frame.text == text)]
    assert len(rows) == 1, frame[frame.session_id == session_id][["text", "verdict"]]
    return rows.iloc[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_outside_cause_with_evidence_in_tool_output_is_legit(audit_db, fmt):
    con, ids, _db = audit_db
    row = explanation(con, ids[("oom-evidence", fmt)], OOM_CLAIM)
    assert row.verdict == "legit"
    assert "OOMKilled" in row.evidence
    assert row.message_id
    assert not row.refuted


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_cause_without_evidence_is_exotic(audit_db, fmt):
    con, ids, _db = audit_db
    row = explanation(con, ids[("oom-no-evidence", fmt)], OOM_CLAIM)
    assert row.verdict == "exotic"
    assert row.score > 0.5
    assert json.loads(row.cues)
    assert row.refuted, "the next edit changed the project's own configuration"


@pytest.mark.parametrize("fmt", FORMATS)
def test_own_code_cause_is_mundane(audit_db, fmt):
    con, ids, _db = audit_db
    row = explanation(con, ids[("mundane", fmt)], OWN_CLAIM)
    assert row.verdict == "mundane"
    assert not row.refuted


@pytest.mark.parametrize("fmt", FORMATS)
def test_exotic_claim_refuted_by_the_next_fix_in_own_code(audit_db, fmt):
    con, ids, _db = audit_db
    assert explanation(con, ids[("refuted", fmt)], DNS_CLAIM).refuted
    not_refuted = explanation(con, ids[("not-refuted", fmt)], DNS_CLAIM)
    assert not_refuted.verdict == "exotic"
    assert not not_refuted.refuted, "only a file outside the project changed before the next prompt"


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_sentences_after_a_failure_count(audit_db, fmt):
    con, ids, _db = audit_db
    frame = queries.run(con, "audit_explanations")
    texts = list(frame[frame.session_id == ids[("no-failure", fmt)]].text)
    assert EARLY_CLAIM not in texts


def test_categories_and_weekly_rate(audit_db):
    con, _ids, _db = audit_db
    by_category = queries.run(con, "audit_explanations_by_category")
    exotic = by_category[by_category.verdict == "exotic"]
    assert exotic.explanations.sum() == 3 * len(FORMATS)  # OOM without evidence, DNS twice
    assert exotic.refuted.sum() == 2 * len(FORMATS)
    rate = queries.run(con, "audit_exotic_rate")
    assert rate.exotic.sum() == 3 * len(FORMATS)
    assert (rate.failures >= rate.exotic).all()
    week = rate[rate.exotic > 0].iloc[0]
    assert week.exotic_per_100_failures == pytest.approx(100 * week.exotic / week.failures)


def test_audit_json_lists_every_classified_sentence(audit_db):
    _con, ids, db = audit_db
    result = CliRunner().invoke(app, ["audit", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) >= {"spirals", "explanations", "features"}
    verdicts = {(item["session_id"], item["text"]): item["verdict"] for item in document["explanations"]}
    assert verdicts[(ids[("oom-evidence", "codex")], OOM_CLAIM)] == "legit"
    assert verdicts[(ids[("oom-no-evidence", "claude")], OOM_CLAIM)] == "exotic"
    assert verdicts[(ids[("mundane", "claude")], OWN_CLAIM)] == "mundane"
    item = document["explanations"][0]
    assert set(item) >= {"session_id", "message_id", "timestamp", "text", "verdict", "category", "score"}
    assert item["timestamp"].endswith("Z")


def test_audit_json_respects_the_period(audit_db):
    _con, _ids, db = audit_db
    result = CliRunner().invoke(
        app, ["audit", "--json", "--db", str(db), "--since", "2026-10-17", "--until", "2026-10-17"]
    )
    document = json.loads(result.output)
    assert {item["text"] for item in document["explanations"]} == {OWN_CLAIM}
