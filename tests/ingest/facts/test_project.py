"""The names a session shows to be the project's own, and when a sentence mentions one."""

from __future__ import annotations

import pytest

from ingest.facts.project import ProjectContext


@pytest.fixture
def context() -> ProjectContext:
    context = ProjectContext()
    context.add_repository("/home/dev/src/ledger-sync")
    context.add_path("services/payments/upload_worker.py")
    context.add_path("src/client.py")
    context.add_code("class PaymentClient:\n    def retry_later(self):\n        pass\nfunction renderTotals() {}")
    return context


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the upload_worker daemon stalls", "upload_worker"),
        ("PaymentClient's pool is exhausted", "paymentclient"),
        ("a bug in ledger-sync's retry path", "ledger-sync"),
        ("renderTotals is slow", "rendertotals"),
        ("our payments runtime", "payments"),
        ("`client.py` drops the header", "client.py"),
    ],
)
def test_a_project_name_is_found(context: ProjectContext, text: str, name: str) -> None:
    assert context.owned_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "the client drops the header",  # a generic word decides nothing alone
        "`client` drops the header",  # not even written as code
        "the payments provider is down",  # a plain word counts only written as code or as ours
        "the Redis server is down",
        "",
    ],
)
def test_no_project_name_is_found(context: ProjectContext, text: str) -> None:
    assert context.owned_name(text) is None


def test_an_empty_context_owns_nothing() -> None:
    assert ProjectContext().owned_name("upload_worker is slow") is None
