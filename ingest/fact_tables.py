"""The fact tables' Arrow schemas, and one session's facts as those tables.

This is what a fact worker process runs (:mod:`ingest.refresh` sends it a session's events),
so it imports no database: a worker started from the fork server carries the extractors,
pyarrow and nothing else (DuckDB alone is ~35 MiB resident in each process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from ingest.fact_transport import ipc_rows
from ingest.rules import fingerprint

if TYPE_CHECKING:
    from ingest.facts.session_facts import SessionOutline

EXTRACTOR_VERSION = fingerprint()

_TEXT = pa.string()
_COMMON = [
    ("agent", _TEXT),
    ("session_id", _TEXT),
    ("user_name", _TEXT),
    ("project", _TEXT),
    ("git_branch", _TEXT),
    ("ts", pa.timestamp("us")),
    ("source_path", _TEXT),
    ("line_no", pa.int64()),
    ("byte_offset", pa.int64()),
    ("seq", pa.int32()),
    ("ord", pa.int32()),
]
SCHEMAS: dict[str, pa.Schema] = {
    "fact_commands": pa.schema(
        _COMMON
        + [
            ("call_id", _TEXT),
            ("tool_name", _TEXT),
            ("command", _TEXT),
            ("signature", _TEXT),
            ("check_key", _TEXT),
            ("is_verification", pa.bool_()),
            ("has_wait", pa.bool_()),
            ("failed", pa.bool_()),
            ("exit_code", pa.int32()),
            ("duration_s", pa.float64()),
            ("result_ts", pa.timestamp("us")),
            ("result_ord", pa.int32()),
            ("result_excerpt", _TEXT),
        ]
    ),
    "fact_waits": pa.schema(
        _COMMON
        + [
            ("call_id", _TEXT),
            ("message_uuid", _TEXT),
            ("file_path", _TEXT),
            ("seconds", pa.float64()),
            ("old_seconds", pa.float64()),
            ("construct", _TEXT),
            ("site_key", _TEXT),
            ("source", _TEXT),
            ("kind", _TEXT),
            ("raw", _TEXT),
            ("old_raw", _TEXT),
            ("once", pa.bool_()),
            ("old_once", pa.bool_()),
            ("rule_id", _TEXT),
        ]
    ),
    "fact_edits": pa.schema(
        _COMMON
        + [
            ("call_id", _TEXT),
            ("tool_name", _TEXT),
            ("file_path", _TEXT),
            ("in_project", pa.bool_()),
            ("op", _TEXT),
            ("lines_added", pa.int32()),
            ("lines_removed", pa.int32()),
            ("wait_only", pa.bool_()),
        ]
    ),
    "fact_edit_lines": pa.schema(
        _COMMON
        + [
            ("call_id", _TEXT),
            ("file_path", _TEXT),
            ("line_hash", pa.int64()),
            ("delta", pa.int8()),
        ]
    ),
    "fact_explanations": pa.schema(
        _COMMON
        + [
            ("message_uuid", _TEXT),
            ("sentence_index", pa.int32()),
            ("text", _TEXT),
            ("verdict", _TEXT),
            ("category", _TEXT),
            ("cues", _TEXT),
            ("score", pa.float64()),
            ("evidence", _TEXT),
            ("refuted", pa.bool_()),
        ]
    ),
    "fact_prompts": pa.schema(
        _COMMON + [("message_uuid", _TEXT), ("is_report", pa.bool_()), ("cues", _TEXT), ("text", _TEXT)]
    ),
    "fact_user_reports": pa.schema(
        _COMMON + [("message_uuid", _TEXT), ("cue", _TEXT), ("category", _TEXT), ("cues", _TEXT), ("text", _TEXT)]
    ),
    "fact_active_spans": pa.schema(
        [
            ("agent", _TEXT),
            ("session_id", _TEXT),
            ("user_name", _TEXT),
            ("project", _TEXT),
            ("git_branch", _TEXT),
            ("span_start", pa.timestamp("us")),
            ("span_end", pa.timestamp("us")),
            ("events", pa.int32()),
        ]
    ),
    "fact_sessions": pa.schema(
        [
            ("agent", _TEXT),
            ("session_id", _TEXT),
            ("extractor_version", pa.string()),
            ("refreshed_at", pa.timestamp("us")),
            ("events", pa.int32()),
        ]
    ),
}
_ROWS_OF_TABLE = {
    "fact_commands": "commands",
    "fact_waits": "waits",
    "fact_edits": "edits",
    "fact_edit_lines": "edit_lines",
    "fact_explanations": "explanations",
    "fact_prompts": "prompts",
    "fact_user_reports": "user_reports",
    "fact_active_spans": "active_spans",
}


def session_tables(events, outline: SessionOutline, refreshed_at) -> dict[str, pa.Table]:
    """One session's fact rows as Arrow tables (in a worker process or in this one)."""
    from ingest.facts.session_facts import extract_session_facts

    facts = extract_session_facts(events, outline)
    tables = {
        table: pa.Table.from_pylist(rows, schema=SCHEMAS[table])
        for table, attribute in _ROWS_OF_TABLE.items()
        if (rows := getattr(facts, attribute))
    }
    tables["fact_sessions"] = pa.Table.from_pylist(
        [
            {
                "agent": facts.agent,
                "session_id": facts.session_id,
                "extractor_version": EXTRACTOR_VERSION,
                "refreshed_at": refreshed_at,
                "events": facts.events,
            }
        ],
        schema=SCHEMAS["fact_sessions"],
    )
    return tables


def session_tables_ipc(payload: bytes, outline: SessionOutline, refreshed_at) -> dict[str, pa.Table]:
    """:func:`session_tables` of a session sent as Arrow IPC bytes (in a worker process)."""
    return session_tables(ipc_rows(payload), outline, refreshed_at)
