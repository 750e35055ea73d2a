"""Numbered SQL migrations, applied in order on every write-mode open.

Each ``NNN_name.sql`` runs in one transaction and is recorded in ``_schema_version`` with
its checksum. A duplicate number is refused; an applied file whose text changed since is
reported (the database may no longer match the file), never silently re-run. A file
rewritten on purpose lists its earlier checksums in :data:`SUPERSEDED`: a later migration
brings a store that applied the earlier text to the same schema, so the record is updated.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
# 003 and 007 created the derived audit views, which moved to queries/ (see 013_derived_tables).
SUPERSEDED = {
    3: frozenset({"f5e0c782ee4037dc1b5545262e1e8b82bcc90e8da7d343178a6e1d9e606f6c10"}),
    7: frozenset({"824384f4b6f4a25d8ab5072007b930a4fe2ca1681a80fed23896585e04159cab"}),
}


class MigrationError(RuntimeError):
    """The migration files or the database's schema history are inconsistent."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations() -> list[Migration]:
    found: dict[int, Migration] = {}
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise MigrationError(
                f"two migrations share number {version:03d}: {found[version].name} and {match.group(2)}"
            )
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    # both are aggregates without GROUP BY: each returns exactly one row
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_schema_version'"
    ).fetchone()
    assert exists is not None
    if not exists[0]:
        return 0
    version = con.execute("SELECT coalesce(max(version), 0) FROM _schema_version").fetchone()
    assert version is not None
    return version[0]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring the schema up to date; return warnings about edited, already-applied files."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS _schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    applied = {
        version: checksum
        for version, checksum in con.execute("SELECT version, checksum FROM _schema_version").fetchall()
    }
    warnings = []
    for migration in available_migrations():
        if migration.version in applied:
            if applied[migration.version] in SUPERSEDED.get(migration.version, ()):
                con.execute(
                    "UPDATE _schema_version SET checksum = ? WHERE version = ?", [migration.checksum, migration.version]
                )
            elif applied[migration.version] != migration.checksum:
                warnings.append(f"migration {migration.version:03d}_{migration.name}.sql changed after it was applied")
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO _schema_version (version, name, checksum) VALUES (?, ?, ?)",
                [migration.version, migration.name, migration.checksum],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return warnings
