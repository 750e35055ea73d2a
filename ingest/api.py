"""The public surface of ``ingest/``: what the CLI, the web app and the report may call.

Everything that writes the database goes through here (ingest, refresh, import), and so do
the few read helpers every front needs (open the store, the agents, the default folders).
The modules behind it are free to change; import contracts keep the rest of the code on
this side of the line.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

import queries
from ingest.migrations import available_migrations, schema_version
from ingest.store import StoreError, facts_current, open_store, resolve_db_path
from ingest.version import TOOL_VERSION, VERSION

if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
    import duckdb
    import pyarrow as pa

    from ingest.archive import NotAnArchive, UnsafeArchive, default_user_for, import_archive
    from ingest.bundle import BundleError, BundleSummary, export_bundle, is_bundle, load_bundle
    from ingest.discovery import iter_candidate_files
    from ingest.features import FeaturesFileError, features_file, load_feature_rules
    from ingest.guard.load import write_guard_marks
    from ingest.lake import (
        LakeError,
        PushSummary,
        TeamConfig,
        absolute_location,
        forget_user,
        init_lake,
        lake_status,
        load_team_config,
        masked,
        push,
        rename_user,
        save_team_config,
        snapshot_of,
        team_config_path,
        team_database,
    )
    from ingest.marks import MARKS, MarkError, mark_finding
    from ingest.pipeline import IngestSummary, StrictModeStop, ingest_paths
    from ingest.redact import counts_text
    from ingest.refresh import rebuild_audit_tables, refresh_facts
    from ingest.sources import AGENTS, default_locations

# Where each public name lives. A command imports only what it calls: `dashcam costs` never
# loads the readers, pricing (pandas, genai-prices) or the fact extractors (a second of
# imports per process otherwise).
_LAZY = {
    "ingest.archive": ("NotAnArchive", "UnsafeArchive", "default_user_for", "import_archive"),
    "ingest.bundle": ("BundleError", "BundleSummary", "export_bundle", "is_bundle", "load_bundle"),
    "ingest.discovery": ("iter_candidate_files",),
    "ingest.features": ("FeaturesFileError", "features_file", "load_feature_rules", "same_rules"),
    "ingest.lake": (
        "LakeError",
        "PushSummary",
        "TeamConfig",
        "absolute_location",
        "forget_user",
        "init_lake",
        "lake_status",
        "load_team_config",
        "masked",
        "push",
        "rename_user",
        "save_team_config",
        "snapshot_of",
        "team_config_path",
        "team_database",
    ),
    "ingest.marks": ("MARKS", "MarkError", "mark_finding"),
    "ingest.pipeline": ("IngestSummary", "StrictModeStop", "ingest_paths"),
    "ingest.redact": ("counts_text",),
    "ingest.refresh": ("EXTRACTOR_VERSION", "rebuild_audit_tables", "refresh_facts", "store_feature_rules"),
    "ingest.guard.load": ("write_guard_marks",),
    "ingest.sources": ("AGENTS", "default_locations"),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AGENTS",
    "MARKS",
    "TOOL_VERSION",
    "VERSION",
    "BundleError",
    "BundleSummary",
    "FeaturesFileError",
    "IngestSummary",
    "LakeError",
    "MarkError",
    "NotAnArchive",
    "PushSummary",
    "StoreError",
    "StrictModeStop",
    "TeamConfig",
    "UnsafeArchive",
    "absolute_location",
    "counts_text",
    "default_locations",
    "default_user_for",
    "ensure_current_facts",
    "export_bundle",
    "extractor_version",
    "facts_pending",
    "features_file",
    "forget_user",
    "import_archive",
    "ingest_paths",
    "init_lake",
    "is_bundle",
    "iter_candidate_files",
    "lake_status",
    "load_bundle",
    "load_feature_rules",
    "load_team_config",
    "mark_finding",
    "masked",
    "open_store",
    "pending_fact_sessions",
    "push",
    "rebuild_audit_tables",
    "refresh_facts",
    "rename_user",
    "resolve_db_path",
    "rule_catalog",
    "save_team_config",
    "snapshot_of",
    "team_config_path",
    "team_database",
    "write_guard_marks",
]


def facts_pending(db: Path | None, rules: pa.Table | None = None) -> tuple[bool, bool]:
    """(some session lacks current facts or the schema or the derived views are behind, ``rules``
    differ from the stored feature rules). ``rules`` None means the stored rules stay as they are."""
    from ingest.derived_views import derived_views_current
    from ingest.features import same_rules
    from ingest.refresh import EXTRACTOR_VERSION
    from ingest.summaries import summaries_pending

    with open_store(db, read_only=True) as con:
        if schema_version(con) < available_migrations()[-1].version:
            return True, rules is not None and rules.num_rows > 0
        if facts_current(con, EXTRACTOR_VERSION):  # no ingest run since the last complete refresh
            stale, orphans = [], []
        else:
            stale = queries.execute(
                con, "facts_stale_sessions", extractor_version=EXTRACTOR_VERSION, rebuild=False
            ).fetchall()
            orphans = queries.execute(con, "facts_orphan_sessions").fetchall()
        stored = queries.run(con, "feature_rules_list")
        views_behind = not derived_views_current(con)  # findings derived by another dashcam's views
        summaries_behind = summaries_pending(con)  # rows marked since, or summaries never built
    changed = rules is not None and not same_rules(stored.to_dict("records"), rules.to_pylist())
    return bool(stale or orphans or views_behind or summaries_behind), changed


def extractor_version() -> str:
    """The running extractors' version (a hash of the rules and their code), without loading them."""
    from ingest.rules import fingerprint

    return fingerprint()


def pending_fact_sessions(con: duckdb.DuckDBPyConnection) -> int:
    """How many sessions lack current audit facts (an ingest that deferred them leaves these)."""
    version = extractor_version()
    if facts_current(con, version):  # no ingest run since the last complete refresh: none
        return 0
    stale = queries.execute(con, "facts_stale_sessions", extractor_version=version, rebuild=False)
    return len(stale.fetchall())


def ensure_current_facts(db: Path | None, rules: pa.Table | None = None, rebuild: bool = False) -> bool:
    """Compute the audit facts of sessions ingested since the last refresh, store changed
    feature rules, or recompute everything with ``rebuild``. The database is opened for
    writing only when there is such work; returns whether it was."""
    stale, rules_changed = facts_pending(db, rules)
    if not (rebuild or stale or rules_changed):
        return False
    from ingest.guard.load import write_guard_marks
    from ingest.refresh import refresh_facts, store_feature_rules

    with open_store(db) as con:
        if rules_changed:
            store_feature_rules(con, rules)
        refresh_facts(con, rebuild=rebuild)
        write_guard_marks(con)  # what the live guard's hooks read back from the findings
    return True


def _all_rules():
    from ingest.rules import all_rules  # the rule files are read by the commands that show rules

    return all_rules()


def rule_catalog() -> dict[str, dict]:
    """Every detection rule by id, as plain data: what ``audit --explain`` and the dashboard
    show next to the evidence a rule fired on."""
    return {
        rule.id: {
            "id": rule.id,
            "kind": rule.kind,
            "category": rule.category,
            "weight": rule.weight,
            "pattern": rule.pattern,
            "note": rule.note,
            "examples": [example.text for example in rule.match[:3]],
        }
        for rule in _all_rules().values()
    }
