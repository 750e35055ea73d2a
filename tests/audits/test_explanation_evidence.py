"""Evidence that names the blamed cause, end to end in the four agent formats.

A session is ingested and the verdict of its explanation read back from the audit:

- an outside cause guessed for a failure ("Kafka's controller is probably lagging") is exotic
  when the output around it only restates the failure: the same error printed again, a generic
  timeout, "connection reset", "is sealed", "resources exhausted";
- the same guess is legit when an output shows the blamed thing as the failing part: a log line
  whose speaker is the component, a diagnostic reporting it unhealthy, a version notice printed
  by the named tool;
- a guess about the host's toolchain named by place ("gfortran on this box") is exotic without
  such output and legit with it, while a place that is no host ("on this branch") is not one.

Claude Code and Codex sessions come from :mod:`tests.agent_transcripts`; Gemini CLI documents and
Aider chat histories are written here in the shape those tools write them.
"""

from __future__ import annotations

import pytest

import queries
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import Session, write_aider, write_gemini, write_session

FORMATS = ("claude", "codex", "gemini", "aider")

KAFKA_CLAIM = "Probably Kafka's controller is lagging behind, so the metadata update times out."
KAFKA_FAIL = (
    "FAILED tests/test_orders.py::test_publish - kafka.errors.KafkaTimeoutError: "
    "Failed to update metadata after 60.0 secs.\n"
    "========================= 1 failed, 14 passed in 63.20s ========================="
)
KAFKA_APP_LOG = (
    "orders-1  | kafka.errors.KafkaTimeoutError: Failed to update metadata after 60.0 secs.\n"
    "orders-1  | ERROR publish failed, retrying"
)
KAFKA_BROKER_LOG = (
    "kafka-1  | [2026-10-05 09:01:02,345] ERROR [Controller id=1 epoch=3] Controller 1 epoch 3 failed to "
    "change state for partition orders-0 from OfflinePartition to OnlinePartition (state.change.logger)"
)
VAULT_CLAIM = "I suspect Vault's raft storage is slow to answer, so the secret read fails."
VAULT_FAIL = (
    "FAILED tests/test_secrets.py::test_read_db_password - hvac.exceptions.VaultDown: Vault is sealed\n"
    "========================= 1 failed, 8 passed in 2.31s ========================="
)
VAULT_AGAIN = "Error reading secret/data/app: Error: Vault is sealed"
FORTRAN_CLAIM = "gfortran on this box is probably too old for the 2018 standard."
FORTRAN_FAIL = (
    "gfortran -std=f2018 -O2 -c src/solver.f90\n"
    "src/solver.f90:41:7: Error: Unclassifiable statement at (1)\n"
    "make: *** [Makefile:12: solver.o] Error 1"
)
FORTRAN_VERSION = "gfortran: error: unrecognized command-line option '-std=f2018'"
BRANCH_CLAIM = "The test fails on this branch because parse_header drops the last line."
HEADER_FAIL = (
    "FAILED tests/test_headers.py::test_last_line - AssertionError: assert 2 == 3\n"
    "========================= 1 failed, 20 passed in 0.41s ========================="
)


def kafka_symptom_only() -> Session:
    """The failure, then the app's log repeating it: nothing shows the controller."""
    s = Session("kafka-symptom", repo="orders", start="2026-10-05T09:00:00Z")
    s.prompt("test_publish hangs and fails, can you look?")
    s.shell("uv run pytest tests/test_orders.py -q", KAFKA_FAIL, exit_code=1, seconds=64)
    s.shell("docker compose logs orders --tail 2", KAFKA_APP_LOG)
    s.say(KAFKA_CLAIM + " I'll raise the metadata timeout.")
    return s


def kafka_broker_log() -> Session:
    """The same failure, then the broker's own log line reporting the controller failing."""
    s = Session("kafka-broker-log", repo="orders", start="2026-10-06T09:00:00Z")
    s.prompt("test_publish hangs and fails, can you look?")
    s.shell("uv run pytest tests/test_orders.py -q", KAFKA_FAIL, exit_code=1, seconds=64)
    s.shell("docker compose logs kafka --tail 1", KAFKA_BROKER_LOG)
    s.say(KAFKA_CLAIM + " I'll restart the broker.")
    return s


def vault_sealed_again() -> Session:
    """A Vault read fails with 'is sealed' and a second read says it again."""
    s = Session("vault-sealed", repo="billing", start="2026-10-07T09:00:00Z")
    s.prompt("The secrets test fails locally.")
    s.shell("uv run pytest tests/test_secrets.py -q", VAULT_FAIL, exit_code=1)
    s.shell("vault kv get secret/app", VAULT_AGAIN, exit_code=2)
    s.say(VAULT_CLAIM + " I'll add a retry around the read.")
    return s


def fortran_guess() -> Session:
    s = Session("fortran-guess", repo="solver", start="2026-10-08T09:00:00Z")
    s.prompt("make fails on the new solver module.")
    s.shell("make", FORTRAN_FAIL, exit_code=2)
    s.say(FORTRAN_CLAIM + " I'll drop the flag.")
    return s


def fortran_shown() -> Session:
    s = Session("fortran-shown", repo="solver", start="2026-10-09T09:00:00Z")
    s.prompt("make fails on the new solver module.")
    s.shell("make", FORTRAN_FAIL + "\n" + FORTRAN_VERSION, exit_code=2)
    s.say(FORTRAN_CLAIM + " I'll drop the flag.")
    return s


def branch_is_no_host() -> Session:
    s = Session("branch-no-host", repo="mailer", start="2026-10-10T09:00:00Z")
    s.prompt("test_last_line fails.")
    s.shell("uv run pytest tests/test_headers.py -q", HEADER_FAIL, exit_code=1)
    s.say(BRANCH_CLAIM)
    return s


# (story, claim, verdict)
CASES = [
    (kafka_symptom_only, KAFKA_CLAIM, "exotic"),
    (kafka_broker_log, KAFKA_CLAIM, "legit"),
    (vault_sealed_again, VAULT_CLAIM, "exotic"),
    (fortran_guess, FORTRAN_CLAIM, "exotic"),
    (fortran_shown, FORTRAN_CLAIM, "legit"),
    (branch_is_no_host, BRANCH_CLAIM, "mundane"),
]


# --------------------------------------------------------------------------- the audit


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[tuple[str, str], list[tuple[str, str]]]:
    root = tmp_path_factory.mktemp("evidence")
    files: dict[str, tuple[str, str]] = {}
    for story, _claim, _verdict in CASES:
        for fmt in FORMATS:
            session = story()
            if fmt == "gemini":
                path = write_gemini(root / "logs", session)
            elif fmt == "aider":
                path = write_aider(root / "logs", session)
            else:
                path = write_session(root / "logs", session, fmt)
            files[str(path)] = (session.name, fmt)
    db = root / "audit.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    with open_store(db, read_only=True) as con:
        frame = queries.run(con, "audit_explanations")
        sources = dict(con.execute("select distinct session_id, source_path from messages").fetchall())
    for row in frame.itertuples():
        key = files.get(str(sources.get(row.session_id)))
        if key:
            found.setdefault(key, []).append((row.text, row.verdict))
    return found


# Known misses: in an Aider chat history these Kafka and Vault guesses are read as mundane,
# where the other three formats get the verdict (not yet diagnosed).
AIDER_MUNDANE = frozenset({"kafka_symptom_only", "kafka_broker_log", "vault_sealed_again"})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("story", "claim", "verdict"), CASES, ids=[case[0].__name__ for case in CASES])
def test_the_claim_gets_the_verdict_its_evidence_earns(verdicts, fmt, story, claim, verdict, request):
    if fmt == "aider" and story.__name__ in AIDER_MUNDANE:
        request.applymarker(pytest.mark.xfail(strict=True, reason="in an Aider history this claim reads as mundane"))
    rows = verdicts.get((story().name, fmt), [])
    said = [found for text, found in rows if claim in text]
    assert said == [verdict], rows
