"""What a session takes over from the feature's last session: nothing when the file is absent,
unreadable or its own, nothing on trunk; and never an error (the guard fails open)."""

from __future__ import annotations

import json

import pytest

from ingest.guard import carry, stream


def _history(branch: str | None = "feature/leader") -> dict:
    return {**stream.new_history(), "project": "/home/dev/src/shop", "branch": branch}


@pytest.mark.parametrize("branch", [None, "", "main", "master", "develop", "trunk", "HEAD"])
def test_trunk_or_no_branch_carries_nothing(branch):
    assert carry.feature_key(_history(branch)) is None


@pytest.mark.parametrize(
    "content", ["", "not json", "[1, 2]", '{"session_id": "x", "sites": [1]}', '{"sites": {"k": {"steps": 3}}}']
)
def test_an_unreadable_feature_file_carries_nothing(tmp_path, content):
    history = _history()
    path = tmp_path / "features" / f"{carry.feature_key(history)}.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert carry.seed(tmp_path, "today", history) is False
    assert history["sites"] == {} and history["failures"] == []


def test_a_session_does_not_carry_its_own_staircase_and_reads_the_file_once(tmp_path):
    yesterday = _history()
    step = {"link": "k", "site": "k", "seconds": 10.0, "old": 5.0, "ord": 7, "source": "edit", "file": "a_test.go"}
    stream.add_step(yesterday, {**step, "construct": "duration literal", "kind": "timeout", "check": None})
    carry.export(tmp_path, "yesterday", yesterday)
    assert carry.seed(tmp_path, "yesterday", _history()) is False
    today = _history()
    assert carry.seed(tmp_path, "today", today) is True
    assert [s["ord"] for s in today["sites"]["k"]["steps"]] == [carry.CARRIED_ORD]
    assert carry.seed(tmp_path, "today", today) is False  # once per session
    assert json.loads((tmp_path / "features" / f"{carry.feature_key(today)}.json").read_text())["session_id"] == (
        "yesterday"
    )


def test_a_session_running_beside_carries_nothing(tmp_path):
    """Two agents on one branch at once: the audit gives each session its own scope."""
    other = {**_history(), "started": "2026-10-21T09:00:00+00:00", "last_ts": "2026-10-21T10:30:00+00:00"}
    step = {"link": "k", "site": "k", "seconds": 10.0, "old": 5.0, "ord": 7, "source": "edit", "file": "a_test.go"}
    stream.add_step(other, {**step, "construct": "duration literal", "kind": "timeout", "check": None})
    carry.export(tmp_path, "other", other)
    beside = {**_history(), "started": "2026-10-21T10:00:00+00:00"}
    assert carry.seed(tmp_path, "beside", beside) is False and beside["sites"] == {}
    after = {**_history(), "started": "2026-10-21T11:00:00+00:00"}
    assert carry.seed(tmp_path, "after", after) is True
