"""One store of story sessions, each written in every agent format, for the audit tests.

A story is a function that builds one :class:`~tests.agent_transcripts.Session`; the store
holds it once per format, so an audit is asserted on the same story as each agent writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import queries
from ingest.pipeline import ingest_paths
from ingest.store import open_store
from tests.agent_transcripts import FORMATS, Session, write_session


def ingest_stories(
    root: Path, stories: Iterable[tuple[str, Callable[[], Session]]], *, folder_per_format: bool = False
):
    """Writes every story in every format under ``root/logs`` (one folder per format when asked)
    and ingests them into ``root/audit.duckdb``: the open store and each (story, format)'s
    session id."""
    ids = {}
    for name, builder in stories:
        session = builder()
        for fmt in FORMATS:
            write_session(root / "logs" / fmt if folder_per_format else root / "logs", session, fmt)
            ids[(name, fmt)] = session.session_id(fmt)
    con = open_store(root / "audit.duckdb")
    ingest_paths(con, [root / "logs"], user_name="dev")
    return con, ids


def spirals_of(con, session_id: str):
    """The spirals the audit finds in one session."""
    frame = queries.run(con, "audit_spirals")
    return frame[frame.session_id == session_id]
