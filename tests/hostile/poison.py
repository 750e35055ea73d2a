"""Helpers for the hostile tests: write a mutated copy of a real transcript, ingest it, and
account for its lines (rows per table and line, problems per line)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from ingest.pipeline import ingest_paths
from ingest.store import open_store

ROW_TABLES = ("messages", "usage", "tool_calls", "tool_results")


def rows_by_line(con, source_path: str) -> Counter:
    """(table, line_no) -> rows, for one stored file."""
    counts: Counter = Counter()
    for table in ROW_TABLES:
        for line_no, rows in con.execute(
            f"SELECT line_no, count(*) FROM {table} WHERE source_path = ? GROUP BY line_no", [source_path]
        ).fetchall():
            counts[(table, line_no)] = rows
    return counts


def problem_lines(con, source_path: str) -> dict[int, str]:
    return dict(
        con.execute(
            "SELECT line_no, any_value(reason) FROM problems WHERE source_path = ? GROUP BY line_no", [source_path]
        ).fetchall()
    )


def ingest_folder(db: Path, folder: Path, user: str = "alice"):
    with open_store(db) as con:
        return ingest_paths(con, [folder], user)


def with_companion(folder: Path, companion: Path) -> Path:
    """A clean real file beside the hostile one: it must be stored too (same load group)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ("companion-" + companion.name)
    shutil.copy(companion, target)
    return target


def set_path(record: dict, path: tuple, literal: str) -> str:
    """``record`` as one JSON line with the value at ``path`` replaced by raw JSON ``literal``."""
    marker = "\u0000POISON\u0000"
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = marker
    return json.dumps(record).replace(json.dumps(marker), literal)


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels
