"""A claim that names one of the window's programs is checked against that program's output."""

from __future__ import annotations

import pytest

from ingest.facts.evidence_scope import outputs_for_claim, program_of
from ingest.facts.explanations import classify_explanation

VAULT_503 = (
    "Error making API request.\nURL: GET https://vault.internal:8200/v1/secret/x\nCode: 503. Errors:\n* Vault is sealed"
)
NOMAD_PLACEMENT = 'Task Group "ingest" (failed to place 3 allocations):\n  * Constraint "${attr.cpu.arch} = amd64": 4 nodes excluded by filter'
WINDOW = [("vault", VAULT_503), ("nomad", NOMAD_PLACEMENT)]


@pytest.mark.parametrize(
    ("command", "program"),
    [
        ("cd deploy && nomad job run ingest.nomad", "nomad"),
        ("bash -lc 'vault kv get secret/x | head'", "vault"),
        ("timeout 60 kubectl get pods", "kubectl"),
        ("", None),
        (None, None),
    ],
)
def test_program_of_reads_past_prefixes_and_wrappers(command: str | None, program: str | None) -> None:
    assert program_of(command) == program


def test_a_claim_naming_a_program_is_checked_against_its_output_only() -> None:
    claim = "Nomad's scheduler may just be slow to place jobs on a busy cluster."
    assert outputs_for_claim(claim, WINDOW) == [NOMAD_PLACEMENT]
    assert classify_explanation(claim, [text for _program, text in WINDOW]).verdict == "legit", (
        "with every output, the other program's 503 vouches for the claim"
    )
    assert classify_explanation(claim, outputs_for_claim(claim, WINDOW)).verdict == "exotic"


def test_a_claim_naming_no_program_of_the_window_sees_every_output() -> None:
    claim = "The upstream API is probably overloaded right now."
    assert outputs_for_claim(claim, WINDOW) == [VAULT_503, NOMAD_PLACEMENT]


def test_short_program_names_and_name_parts_name_nothing() -> None:
    window = [("go", "FAIL ./pkg 0.2s"), ("sh", "exit 1"), ("vault", VAULT_503)]
    assert outputs_for_claim("I go with the sealed theory: the vault-agent sidecar is stale.", window) == [
        text for _p, text in window
    ]
