"""The audit findings as plain data: the document ``dashcam audit --json`` prints.

Rows come from the named queries ``queries/audit_*.sql``; this module only renames columns
and makes values JSON-ready, so every front reads the same findings the same way.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

import queries


def read_findings(con: duckdb.DuckDBPyConnection, since: str | None = None, until: str | None = None) -> dict:
    """Spirals, explanations and features between two UTC dates (inclusive; None is open)."""
    return {
        "spirals": [_spiral(row) for row in _rows(con, "audit_spirals", since, until)],
        "explanations": [_explanation(row) for row in _rows(con, "audit_explanations", since, until)],
        "features": [_feature(row) for row in _rows(con, "audit_features", since, until)],
    }


def _rows(con: duckdb.DuckDBPyConnection, name: str, since: str | None, until: str | None) -> list[dict]:
    frame = queries.run(con, name, since=since, until=until)
    return [{key: plain(value) for key, value in record.items()} for record in frame.to_dict("records")]


def _spiral(row: dict) -> dict:
    return {
        "session_id": row["session_id"],
        "agent": row["agent"],
        "site": row["site"],
        "values_s": row["values_s"],
        "escalations": row["escalations"],
        "ratio": row["ratio"],
        "outcome": row["outcome"],
        "start": row["start_ts"],
        "end": row["end_ts"],
        "spiral_id": row["spiral_id"],
        "finding_id": row["finding_id"],
        "user": row["user_name"],
        "project": row["project"],
        "construct": row["construct"],
        "source": row["source"],
        "file_path": row["file_path"],
        "steps": row["steps"],
        "wait_added_s": row["wait_added_s"],
        "wasted_s": row["wasted_s"],
        "resolved": row["resolved_ts"],
        "verification": row["verification_signature"],
        "prose_mentions": row["prose_mentions"],
    }


def _explanation(row: dict) -> dict:
    return {
        "session_id": row["session_id"],
        "message_id": row["message_id"],
        "timestamp": row["ts"],
        "text": row["text"],
        "verdict": row["verdict"],
        "category": row["category"],
        "score": row["score"],
        "agent": row["agent"],
        "user": row["user_name"],
        "refuted": row["refuted"],
        "cues": json.loads(row["cues"]) if row["cues"] else [],
        "evidence": row["evidence"],
        "source_path": row["source_path"],
        "line_no": row["line_no"],
        "finding_id": row["finding_id"],
    }


def _feature(row: dict) -> dict:
    return {
        "feature": row["feature"],
        "sessions": row["sessions"],
        "t80": row["t80"],
        "patches_total": row["patches_total"],
        "patches_after_80": row["patches_after_80"],
        "cliff": row["cliff"],
        "repository": row["repository"],
        "branch": row["git_branch"],
        "agents": row["agents"],
        "users": row["users"],
        "by_rule": row["by_rule"],
        "started": row["started_at"],
        "last_edit": row["last_edit_ts"],
        "seconds_before_80": row["seconds_before_80"],
        "seconds_after_80": row["seconds_after_80"],
        "local_share": row["local_share"],
        "regressions": row["regressions"],
        "finding_id": row["finding_id"],
    }


def plain(value: Any) -> Any:
    """A JSON-ready value: ISO timestamps in UTC with a Z, lists for arrays, None for NaN."""
    if value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
