"""A wait staircase continues into the next session of the same feature.

The audit orders a feature's sessions (one branch of one project) and lets a wait site run on
from one into the next (``queries/view_audit_session_order.sql``), so raises made yesterday and
the third raise made this morning are one spiral. The guard keeps one history per session;
without this module each session would start from an empty staircase and the third raise would
pass because the first two were made the day before.

After each hook call the session's open staircases (wait sites, the file chains of edited
values, the failed checks since their last step) are written to
``features/<hash of project and branch>.json`` in the guard's state directory, whole, through a
temporary file and a rename. The first call of another session of the feature reads them once
and takes them over; their steps are placed before the session's first event (ord -1, failures
at -0.5) and the steps the session made before that call are judged again after them, so a
failure in either session between two values counts as the audit counts it. When the guard
saw no earlier session of the feature, the staircases ``dashcam ingest`` wrote from the
database (``staircases.json``) are taken instead. Sessions on a trunk branch (or with no
branch) carry nothing: the audit does not join them either. No database here: the state
directory is the guard's store. A session that was still moving after this one started runs
beside it, not before it (two agents on one branch): nothing is carried, as in the audit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ingest.guard.rules import TRUNKS
from ingest.guard.stream import KEEP_STEPS, add_step

CARRIED_ORD = -1  # where carried steps stand in the new session: before its first event
CARRIED_FAILURE_ORD = -0.5  # carried failures: after the carried steps, before the first event


def feature_key(history: dict) -> str | None:
    """The file name of the history's feature, or None when it has no feature to carry."""
    project, branch = history.get("project"), history.get("branch")
    if not project or not branch or str(branch) in TRUNKS:
        return None
    return hashlib.sha1(f"{project}\0{branch}".encode()).hexdigest()[:24]


def _path(root: Path, key: str) -> Path:
    return root / "features" / f"{key}.json"


def export(root: Path, session_id: str, history: dict) -> None:
    """Write the session's open staircases as its feature's latest (nothing to write: no file)."""
    key = feature_key(history)
    if key is None or not history.get("sites"):
        return
    last = max((step["ord"] for site in history["sites"].values() for step in site["steps"]), default=CARRIED_ORD)
    record = {
        "session_id": session_id,
        "last_ts": history.get("last_ts"),
        "sites": history["sites"],
        "edit_values": history.get("edit_values", {}),
        "failures": [f for f in history.get("failures", []) if f[0] > last],
    }
    path = _path(root, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(record, default=str))
    os.replace(temporary, path)


def _beside(record: dict, history: dict) -> bool:
    """True when the recorded session moved after this one started (both run at once)."""
    last, started = record.get("last_ts"), history.get("started")
    return isinstance(last, str) and isinstance(started, str) and last > started


def _read(path: Path) -> object:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _from_store(root: Path, session_id: str, history: dict) -> dict | None:
    """The feature's staircases as ``dashcam ingest`` last wrote them from the database
    (``staircases.json``, see :func:`ingest.guard.load.write_staircases`): sessions the guard
    never saw (before it was installed, on another machine of the team). This session's own
    steps, if it was ingested already, are left out: the transcript gives them again."""
    book = _read(root / "staircases.json")
    features = book.get("features") if isinstance(book, dict) else None
    project = str(history.get("project") or "").rstrip("/")
    record = (
        features.get(f"{project.rsplit('/', 1)[-1]}@{history.get('branch')}") if isinstance(features, dict) else None
    )
    if not isinstance(record, dict) or not isinstance(record.get("sites"), dict):
        return None
    sites = {}
    for link, site in record["sites"].items():
        if not isinstance(site, dict) or not isinstance(site.get("steps"), list):
            continue
        steps = [s for s in site["steps"] if isinstance(s, dict) and s.get("session_id") != session_id]
        if steps:
            sites[link] = {**site, "steps": steps}
    own = any(
        isinstance(s, dict) and s.get("session_id") == session_id
        for site in record["sites"].values()
        if isinstance(site, dict) and isinstance(site.get("steps"), list)
        for s in site["steps"]
    )
    failures = [] if own else record.get("failures") or []
    return {"sites": sites, "edit_values": record.get("edit_values") or {}, "failures": [[0, f, f] for f in failures]}


def seed(root: Path, session_id: str, history: dict) -> bool:
    """Take over the staircases an earlier session of the feature left open, once per session.

    Returns True when something was carried. A file that cannot be read carries nothing (the
    guard fails open: a lost staircase lets a raise pass, it never blocks one)."""
    if history.get("carried") or (key := feature_key(history)) is None:
        return False
    history["carried"] = True
    record = _read(_path(root, key))
    if isinstance(record, dict) and _beside(record, history):
        return False  # two sessions of the feature at once: the audit gives each its own scope
    if not isinstance(record, dict) or record.get("session_id") == session_id:
        record = _from_store(root, session_id, history)
    if not isinstance(record, dict):
        return False
    sites = record.get("sites")
    if not isinstance(sites, dict) or not sites:
        return False
    # the session's own steps so far (its first events were read before this call) are judged
    # again after the carried ones, as if the staircase had been there from its start
    own = sorted((step for site in history["sites"].values() for step in site["steps"]), key=lambda step: step["ord"])
    history["sites"] = {}
    history["edit_values"] = {}
    carried = False
    for link, site in sites.items():
        if not isinstance(site, dict) or not isinstance(site.get("steps"), list):
            continue
        steps = [{**step, "ord": CARRIED_ORD} for step in site["steps"] if isinstance(step, dict)]
        history["sites"][link] = {**site, "steps": steps[-KEEP_STEPS:]}
        carried = True
    for value, link in (record.get("edit_values") or {}).items():
        if isinstance(value, str) and isinstance(link, str):
            history["edit_values"][value] = link
    failures = [[CARRIED_FAILURE_ORD, *f[1:]] for f in record.get("failures") or [] if isinstance(f, list) and f]
    history["failures"] = failures + history["failures"]
    for step in own:
        add_step(history, {k: v for k, v in step.items() if k not in ("previous_s", "escalation", "failed_check")})
    return carried
