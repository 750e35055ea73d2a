"""Exotic explanations in whole sessions, beyond the stock keywords: a hedged guess at a named
product, a guess at the host or toolchain, and claims in Polish and Korean, each after a failure
that is recognised from its structure (an exit status, or a runner's localised verdict when a pipe
hid the status). The same guess is legit when the failure's output shows the blamed thing.
"""

from __future__ import annotations

import pytest

import queries
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import FORMATS, Session, write_session

PL_CLAIM = "Prawdopodobnie serwer CI jest przeciążony, więc testy nie przechodzą."
KO_CLAIM = "아마 CI 러너의 디스크가 느려서 테스트가 실패한 것 같습니다."
NAMED_CLAIM = "Probably Safari's tracking prevention dropping the session cookie on reload."
DAEMON_CLAIM = "I suspect the Gradle daemon died under the parallel build."
CPU_CLAIM = "The CPU on this box is probably too old for the instructions the wheel was built for."
ES_AFTER_PASS = "Probablemente la red estaba lenta cuando la prueba falló."
PL_ITEM = "Prawdopodobnie serwer CI jest przeciążony."
GERMAN_FAIL = "Fehler!        - Fehler:     2, erfolgreich:    14, übersprungen:     0, gesamt:    16"
GERMAN_PASS = "Bestanden!     - Fehler:     0, erfolgreich:    16, übersprungen:     0, gesamt:    16"


def localised_failure_behind_a_pipe() -> Session:
    s = Session("pl-hidden-fail", start="2026-11-02T09:00:00Z")
    s.prompt("Uruchom testy, proszę.")
    s.shell("dotnet test 2>&1 | tail -1", GERMAN_FAIL, exit_code=0)
    s.say(PL_CLAIM)
    return s


def localised_pass_behind_a_pipe() -> Session:
    s = Session("pl-hidden-pass", start="2026-11-03T09:00:00Z")
    s.prompt("Uruchom testy, proszę.")
    s.shell("dotnet test 2>&1 | tail -1", GERMAN_PASS, exit_code=0)
    s.say(PL_CLAIM)
    return s


def korean_after_exit_status() -> Session:
    s = Session("ko-exit", start="2026-11-04T09:00:00Z")
    s.prompt("테스트를 실행해 주세요.")
    s.shell("cargo test", "test result: FAILED. 3 passed; 1 failed; 0 ignored", exit_code=101)
    s.say(KO_CLAIM)
    return s


def named_product_guess() -> Session:
    s = Session("named-guess", start="2026-11-05T09:00:00Z")
    s.prompt("The webkit e2e run fails on the session test.")
    s.shell(
        "npx playwright test --project=webkit",
        "  1 failed\n    [webkit] › auth.spec.ts:12:3 › keeps the session after reload",
        exit_code=1,
    )
    s.say(NAMED_CLAIM)
    return s


def named_product_shown() -> Session:
    s = Session("named-shown", start="2026-11-06T09:00:00Z")
    s.prompt("The build broke again.")
    s.shell(
        "./gradlew test --parallel",
        "Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)\n"
        "FAILURE: Build failed with an exception.",
        exit_code=1,
    )
    s.say(DAEMON_CLAIM)
    return s


def host_shown() -> Session:
    s = Session("host-shown", start="2026-11-07T09:00:00Z")
    s.prompt("The benchmark script crashes on the new box.")
    s.shell("python bench.py", "Illegal instruction (core dumped)", exit_code=132)
    s.say(CPU_CLAIM)
    return s


def spanish_guess_after_the_checks_pass() -> Session:
    s = Session("es-resolved", start="2026-11-08T09:00:00Z")
    s.prompt("Ejecuta las pruebas, por favor.")
    s.shell("npm test", "Tests:       1 failed, 9 passed, 10 total", exit_code=1)
    s.shell("npm test", "Tests:       10 passed, 10 total")
    s.say(ES_AFTER_PASS)
    return s


def polish_list_item() -> Session:
    s = Session("pl-item", start="2026-11-09T09:00:00Z")
    s.prompt("Uruchom testy, proszę.")
    s.shell("npm test", "Tests:       1 failed, 9 passed, 10 total", exit_code=1)
    s.say("Wynik:\n\n- " + PL_ITEM + "\n- Ponowię test za chwilę.")
    return s


STORIES = [
    spanish_guess_after_the_checks_pass,
    polish_list_item,
    localised_failure_behind_a_pipe,
    localised_pass_behind_a_pipe,
    korean_after_exit_status,
    named_product_guess,
    named_product_shown,
    host_shown,
]


@pytest.fixture(scope="module")
def explanations(tmp_path_factory):
    root = tmp_path_factory.mktemp("frames")
    ids = {}
    for builder in STORIES:
        session = builder()
        for fmt in FORMATS:
            write_session(root / "logs", session, fmt)
            ids[(session.name, fmt)] = session.session_id(fmt)
    db = root / "audit.duckdb"
    with open_store(db) as con:
        ingest_paths(con, [root / "logs"], user_name="dev")
    with open_store(db, read_only=True) as con:
        frame = queries.run(con, "audit_explanations")
    return frame, ids


def _rows(explanations, story: str, fmt: str, text: str):
    frame, ids = explanations
    return frame[(frame.session_id == ids[(story, fmt)]) & (frame.text == text)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_localised_failing_verdict_opens_the_window_for_a_polish_claim(explanations, fmt):
    rows = _rows(explanations, "pl-hidden-fail", fmt, PL_CLAIM)
    assert list(rows.verdict) == ["exotic"]
    assert _rows(explanations, "pl-hidden-pass", fmt, PL_CLAIM).empty, "a localised pass is no failure"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_korean_claim_after_a_failed_exit_status_is_exotic(explanations, fmt):
    assert list(_rows(explanations, "ko-exit", fmt, KO_CLAIM).verdict) == ["exotic"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hedged_guess_at_a_named_product_is_exotic_without_evidence(explanations, fmt):
    rows = _rows(explanations, "named-guess", fmt, NAMED_CLAIM)
    assert list(rows.verdict) == ["exotic"]
    assert rows.iloc[0].category == "upstream"


@pytest.mark.parametrize(
    ("story", "claim", "shown"),
    [("named-shown", DAEMON_CLAIM, "daemon disappeared"), ("host-shown", CPU_CLAIM, "Illegal instruction")],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_guess_is_legit_when_the_output_shows_it(explanations, fmt, story, claim, shown):
    rows = _rows(explanations, story, fmt, claim)
    assert list(rows.verdict) == ["legit"]
    assert shown in rows.iloc[0].evidence


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_guess_in_spanish_that_points_back_to_the_failure_counts_after_the_checks_pass(explanations, fmt):
    assert list(_rows(explanations, "es-resolved", fmt, ES_AFTER_PASS).verdict) == ["exotic"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_polish_list_item_with_a_verb_is_a_claim(explanations, fmt):
    assert list(_rows(explanations, "pl-item", fmt, PL_ITEM).verdict) == ["exotic"]
