"""features.toml: how a team names its features for the 80% cliff.

Features can be named in a ``features.toml`` (``--features FILE``, else ``$DASHCAM_FEATURES``,
else ``features.toml`` next to the database)::

    [[feature]]
    name = "Leader election"
    branches = ["feature/leader-*", "fix/lease-*"]   # fnmatch patterns, any of them
    sessions = ["0f5e9474-*"]                        # session ids
    titles = ["*leader election*"]                   # session titles
    repository = "pgoperator"                        # optional: only in this repository

    [[feature]]
    ignore = true                                    # these sessions are no feature
    branches = ["spike/*"]

The first matching rule wins and overrides the automatic grouping (repository and branch).
The rules read are stored with the findings (the dashboard groups features alike); without a
file, sessions are grouped automatically again.
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa

FEATURES_ENV = "DASHCAM_FEATURES"
FEATURES_FILE = "features.toml"
RULE_FIELDS = {
    "branch": "branch",
    "branches": "branch",
    "session": "session",
    "sessions": "session",
    "title": "title",
    "titles": "title",
}
RULE_SCHEMA = pa.schema(
    [
        ("position", pa.int32()),
        ("name", pa.string()),
        ("field", pa.string()),
        ("pattern", pa.string()),
        ("repository", pa.string()),
        ("ignore", pa.bool_()),
    ]
)


class FeaturesFileError(ValueError):
    """features.toml cannot be read or says something the audit does not understand."""


def features_file(explicit: Path | None, db_path: Path) -> Path | None:
    """The features.toml to read: the option, else ``$DASHCAM_FEATURES``, else beside the database."""
    if explicit is not None:
        if not explicit.is_file():
            raise FeaturesFileError(f"no features file at {explicit}")
        return explicit
    from_env = os.environ.get(FEATURES_ENV)
    if from_env:
        path = Path(from_env).expanduser()
        if not path.is_file():
            raise FeaturesFileError(f"${FEATURES_ENV} names {path}, which does not exist")
        return path
    beside = db_path.parent / FEATURES_FILE
    return beside if beside.is_file() else None


def load_feature_rules(path: Path | None) -> pa.Table:
    """The rules of a features.toml as rows of the ``feature_rules`` table (none without a file)."""
    if path is None:
        return RULE_SCHEMA.empty_table()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FeaturesFileError(f"cannot read {path}: {error}") from error
    entries = document.get("feature", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise FeaturesFileError(f"{path}: write each feature as a [[feature]] table")
    rows = [row for position, entry in enumerate(entries) for row in _rule_rows(path, position, entry)]
    return pa.Table.from_pylist(rows, schema=RULE_SCHEMA)


def _rule_rows(path: Path, position: int, entry: dict) -> list[dict]:
    ignore = entry.get("ignore", False) is True
    name = entry.get("name")
    if not ignore and not (isinstance(name, str) and name.strip()):
        raise FeaturesFileError(f"{path}: feature #{position + 1} needs a name (or ignore = true)")
    repository = entry.get("repository")
    rows = []
    for key, field in RULE_FIELDS.items():
        patterns = entry.get(key, [])
        patterns = [patterns] if isinstance(patterns, str) else patterns
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise FeaturesFileError(f"{path}: {key} of feature #{position + 1} must be a pattern or a list of them")
        rows += [
            {
                "position": position,
                "name": None if ignore else name,
                "field": field,
                "pattern": pattern,
                "repository": repository if isinstance(repository, str) else None,
                "ignore": ignore,
            }
            for pattern in patterns
        ]
    if not rows:
        if isinstance(repository, str):
            return [
                {
                    "position": position,
                    "name": None if ignore else name,
                    "field": "repository",
                    "pattern": repository,
                    "repository": None,
                    "ignore": ignore,
                }
            ]
        raise FeaturesFileError(f"{path}: feature #{position + 1} matches nothing: give branches, sessions or titles")
    return rows


def same_rules(stored: list[dict], wanted: list[dict]) -> bool:
    """True when two sets of rule rows say the same thing (order and numpy types aside)."""
    return _rule_rows_of(stored) == _rule_rows_of(wanted)


def _rule_rows_of(rows: list[dict]) -> list[tuple]:
    return sorted((tuple(_plain_scalar(row[key]) for key in RULE_SCHEMA.names) for row in rows), key=repr)


def _plain_scalar(value: Any) -> Any:
    """A Python value for a pandas/numpy cell: NaN becomes None, numpy numbers plain numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
