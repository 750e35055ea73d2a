"""Shareable bundles: what a teammate sends instead of raw transcripts, and how it is loaded.

A bundle is a zip of Parquet files, one per table (``messages``, ``usage``, ``tool_calls``,
``tool_results`` and the audit fact tables ``fact_*``), plus ``manifest.json`` (format,
dashcam and schema version, users, date range, row counts, whether text is included).

What it holds: every session with activity in the range, whole (a session that began the
week before comes complete), so costs for the range and the audits' findings read the same
after loading as at home. The fact tables travel with it: the audits need facts computed
from the full text, which a bundle does not carry by default.

What it leaves out unless ``--include-text``: prompt and response text and file contents —
``messages.text``/``title``, ``tool_calls.input_json``/``old_text``/``new_text``/``patch``,
``tool_results.text``, ``fact_explanations.text``/``evidence``, ``fact_prompts.text``,
``fact_user_reports.text``, ``fact_commands.result_excerpt`` are NULL. Commands are kept
(``tool_calls.command``, ``fact_commands.command``, the wait literals of ``fact_waits``):
spirals are told by the commands they re-run, and a command is an action, not a conversation.
Everything textual that is kept or included is redacted again on the way out and on the way
in (:mod:`ingest.redact`), whatever the dashcam version that stored it.

Loading replaces rather than appends: the event rows of every (file, session) in the bundle
and the facts of its sessions are deleted and inserted again, in one transaction, so a bundle
loaded twice (or a later bundle repeating a session) never doubles a row. Loaded facts are
stamped as fresh so the next ingest does not recompute them from text-less rows; a bundle
with text keeps its extractor version, so a newer extractor recomputes its facts from it.
A bundle from a newer schema than this dashcam's is refused.

People's marks on findings (``audit_marks``) travel too, with their sessions; on load they are
merged, not replaced: where both sides marked the same finding, the later mark wins.
"""

from __future__ import annotations

import json
import tempfile
import uuid as uuidlib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.archive import Limits, UnsafeArchive, extract_safely
from ingest.migrations import schema_version
from ingest.redact import redact_arrow, redact_values
from ingest.refresh import EXTRACTOR_VERSION, SCHEMAS, rebuild_audit_tables, refresh_facts
from ingest.store import LoadTransaction, record_redactions, record_run_end, record_run_start, utc_now
from ingest.version import TOOL_VERSION
from queries import bind, execute, load_sql

FORMAT = "dashcam-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
EVENT_TABLES = ("messages", "usage", "tool_calls", "tool_results")
FACT_TABLES = tuple(SCHEMAS)
# People's marks on findings (ingest.marks): merged on load, the later mark winning, never replaced wholesale.
MARK_TABLES = ("audit_marks",)

# Columns holding what people wrote or read: NULL in a bundle without text.
TEXT_COLUMNS = {
    "messages": ("text", "title"),
    "tool_calls": ("input_json", "old_text", "new_text", "patch"),
    "tool_results": ("text",),
    "fact_explanations": ("text", "evidence"),
    "fact_prompts": ("text",),
    "fact_user_reports": ("text",),
    "fact_commands": ("result_excerpt",),
    "audit_marks": ("text",),
}


class BundleError(ValueError):
    """The file is not a bundle this dashcam can load."""


@dataclass
class BundleSummary:
    """What an export wrote or a load stored."""

    path: Path
    users: list[str]
    sessions: int
    rows: dict[str, int]
    include_text: bool
    redactions: dict[str, int] = field(default_factory=dict)
    schema_version: int = 0
    notes: list[str] = field(default_factory=list)


def is_bundle(path: Path) -> bool:
    """A zip whose ``manifest.json`` says it is a dashcam bundle."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        if MANIFEST not in archive.namelist():
            return False
        try:
            with archive.open(MANIFEST) as handle:
                manifest = json.loads(handle.read(1 << 20))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


# ---------------------------------------------------------------------------- export


def export_bundle(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    since: str | None,
    until: str | None,
    user_name: str | None = None,
    include_text: bool = False,
    tz: str = "UTC",
) -> BundleSummary:
    """Write the sessions active between ``since`` and ``until`` to the bundle ``out``."""
    ours = schema_version(con)
    sessions = execute(con, "bundle_sessions", since=since, until=until, tz=tz, user_name=user_name).fetchall()
    present = {name for (name,) in execute(con, "bundle_present_tables").fetchall()}
    tables = [table for table in EVENT_TABLES + FACT_TABLES + MARK_TABLES if table in present]
    summary = BundleSummary(out, [], len(sessions), {}, include_text, {}, ours)
    with tempfile.TemporaryDirectory(prefix="dashcam-export-") as folder:
        _write_tables(con, sessions, tables, Path(folder), summary)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "tool_version": TOOL_VERSION,
            "schema_version": ours,
            "extractor_version": EXTRACTOR_VERSION,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "users": summary.users,
            "since": since,
            "until": until,
            "timezone": tz,
            "sessions": len(sessions),
            "row_counts": summary.rows,
            "include_text": include_text,
            "text_columns_left_out": {} if include_text else {t: list(c) for t, c in TEXT_COLUMNS.items()},
            "redactions": summary.redactions,
        }
        (Path(folder) / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _zip_folder(Path(folder), [MANIFEST] + [f"{table}.parquet" for table in tables], out)
    return summary


def _write_tables(
    con: duckdb.DuckDBPyConnection,
    sessions: list[tuple[str, str]],
    tables: list[str],
    folder: Path,
    summary: BundleSummary,
) -> None:
    """One Parquet file per table with the sessions' rows, made shareable; counts go to ``summary``."""
    redactions: Counter = Counter()
    users: set[str] = set()
    con.register(
        "_bundle_sessions",
        pa.table(
            {
                "agent": pa.array([s[0] for s in sessions], pa.string()),
                "session_id": pa.array([s[1] for s in sessions], pa.string()),
            }
        ),
    )
    try:
        for table in tables:
            sql, params = bind("bundle_table_rows", {"table": table})
            frame = shareable(table, con.sql(sql, params=params).to_arrow_table(), summary.include_text, redactions)
            if "user_name" in frame.column_names:
                users.update(value for value in frame.column("user_name").unique().to_pylist() if value)
            con.from_arrow(frame).write_parquet(str(folder / f"{table}.parquet"), compression="zstd")
            summary.rows[table] = frame.num_rows
    finally:
        con.unregister("_bundle_sessions")
    summary.users = sorted(users)
    summary.redactions = dict(sorted(redactions.items()))


def shareable(table: str, frame: pa.Table, include_text: bool, redactions: Counter) -> pa.Table:
    """``frame`` with text left out (unless ``include_text``) and what remains redacted."""
    for column in TEXT_COLUMNS.get(table, ()):
        if column in frame.column_names:
            if include_text:
                frame = _redacted_column(frame, column, redactions)
            else:
                index = frame.column_names.index(column)
                frame = frame.set_column(index, column, pa.nulls(frame.num_rows, frame.schema.field(column).type))
    # Every other string column too (git remotes, file paths, titles, names): whatever a table
    # holds, nothing textual leaves or enters unredacted.
    return redact_arrow(frame, redactions, keep=frozenset(TEXT_COLUMNS.get(table, ())))


def _redacted_column(frame: pa.Table, column: str, redactions: Counter) -> pa.Table:
    index = frame.column_names.index(column)
    values = redact_values(frame.column(column).to_pylist(), redactions)
    return frame.set_column(index, column, pa.array(values, frame.schema.field(column).type))


def _zip_folder(folder: Path, names: list[str], out: Path) -> None:
    """Zip ``names`` from ``folder`` into ``out`` (written beside it, then moved into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            # Parquet is compressed already; deflating it again costs time for nothing.
            kind = zipfile.ZIP_DEFLATED if name == MANIFEST else zipfile.ZIP_STORED
            archive.write(folder / name, name, compress_type=kind)
    partial.replace(out)


# ---------------------------------------------------------------------------- load


def read_manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive, archive.open(MANIFEST) as handle:
        return json.loads(handle.read(1 << 20))


def check_manifest(manifest: dict, path: Path, ours: int) -> None:
    if manifest.get("format") != FORMAT:
        raise BundleError(
            f"{path.name} is not a dashcam bundle (its manifest.json says format {manifest.get('format')!r})"
        )
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BundleError(
            f"{path.name} is a bundle of format {manifest['format_version']}, newer than this "
            f"dashcam reads ({FORMAT_VERSION}): upgrade dashcam to import it"
        )
    theirs = int(manifest.get("schema_version", 0))
    if theirs > ours:
        raise BundleError(
            f"{path.name} was exported by a newer dashcam ({manifest.get('tool_version')}, "
            f"schema version {theirs}; this database has {ours}): upgrade dashcam to import it"
        )


def load_bundle(
    con: duckdb.DuckDBPyConnection, path: Path, user_name: str | None = None, limits: Limits = Limits()
) -> BundleSummary:
    """Load a bundle into ``con`` (a write connection), replacing what an earlier load stored."""
    manifest = read_manifest(path)
    check_manifest(manifest, path, schema_version(con))
    include_text = bool(manifest.get("include_text"))
    run_id = uuidlib.uuid4().hex
    record_run_start(
        con,
        run_id,
        user_name or ",".join(manifest.get("users", [])) or "bundle",
        TOOL_VERSION,
        _price_source_version(),
        [f"bundle:{path.name}"],
    )
    redactions: Counter = Counter()
    frames: dict[str, pa.Table] = {}
    status = "failed"
    try:
        frames = _read_tables(path, limits)
        frames = {
            table: _prepared(table, frame, run_id, user_name, include_text, redactions)
            for table, frame in frames.items()
        }
        notes = _facts_notes(manifest, include_text)
        _store(con, frames)
        status = "ok"
    finally:
        record_run_end(con, run_id, 1 if status == "ok" else 0, 0, status)
        record_redactions(con, run_id, dict(redactions))
    if not refresh_facts(con).sessions_refreshed:
        rebuild_audit_tables(con)  # the derived audit tables (spirals, features…) from the loaded facts
    users = sorted(
        {
            u
            for frame in frames.values()
            if "user_name" in frame.column_names
            for u in frame.column("user_name").unique().to_pylist()
            if u
        }
    )
    sessions = {
        key
        for table in EVENT_TABLES
        if table in frames
        for key in zip(*(frames[table].column(c).to_pylist() for c in ("agent", "session_id")))
    }
    return BundleSummary(
        path,
        users,
        len(sessions),
        {t: f.num_rows for t, f in frames.items()},
        include_text,
        dict(redactions),
        int(manifest.get("schema_version", 0)),
        notes,
    )


def _read_tables(path: Path, limits: Limits) -> dict[str, pa.Table]:
    """The bundle's tables, extracted with the same checks as any archive; unknown files refused."""
    known = {f"{table}.parquet": table for table in EVENT_TABLES + FACT_TABLES + MARK_TABLES}
    with zipfile.ZipFile(path) as archive:
        unknown = [name for name in archive.namelist() if name != MANIFEST and name not in known]
    if unknown:
        raise UnsafeArchive(
            f"refusing {path.name}: a bundle holds only manifest.json and table files, not {unknown[0]!r}"
        )
    with tempfile.TemporaryDirectory(prefix="dashcam-bundle-") as folder:
        extract_safely(path, Path(folder), limits)
        return {
            known[name]: pq.read_table(Path(folder) / name) for name in sorted(known) if (Path(folder) / name).exists()
        }


def _prepared(
    table: str, frame: pa.Table, run_id: str, user_name: str | None, include_text: bool, redactions: Counter
) -> pa.Table:
    """The rows as this database stores them: this load's run, the chosen user, redacted, facts fresh."""
    frame = shareable(table, frame, include_text, redactions)
    replacements = {}
    if "run_id" in frame.column_names:
        replacements["run_id"] = pa.array([run_id] * frame.num_rows, pa.string())
    if user_name and "user_name" in frame.column_names:
        replacements["user_name"] = pa.array([user_name] * frame.num_rows, pa.string())
    if table == "fact_sessions":
        replacements["refreshed_at"] = pa.array([utc_now()] * frame.num_rows, pa.timestamp("us"))
        if not include_text:
            replacements["extractor_version"] = pa.array([EXTRACTOR_VERSION] * frame.num_rows, pa.string())
        imported = pa.array([not include_text] * frame.num_rows, pa.bool_())
        if "imported_facts" not in frame.column_names:
            frame = frame.append_column("imported_facts", imported)
        else:
            replacements["imported_facts"] = imported
    for column, values in replacements.items():
        frame = frame.set_column(frame.column_names.index(column), column, values)
    return frame


def _facts_notes(manifest: dict, include_text: bool) -> list[str]:
    theirs = manifest.get("extractor_version")
    if include_text or theirs in (None, EXTRACTOR_VERSION):
        return []
    return [
        f"the bundle's audit facts come from extractor version {theirs} (this dashcam has "
        f"{EXTRACTOR_VERSION}); they are kept as they are, since the bundle has no text to recompute them from"
    ]


def _store(con: duckdb.DuckDBPyConnection, frames: dict[str, pa.Table]) -> None:
    """Replace the bundle's (file, session) events and its sessions' facts in one transaction."""
    files = _distinct_keys(frames, EVENT_TABLES, ("source_path", "agent", "session_id"))
    sessions = _distinct_keys(frames, EVENT_TABLES + ("fact_sessions",), ("agent", "session_id"))
    registered = {"_bundle_files": files, "_fact_batch": sessions}
    if "audit_marks" in frames:
        registered["_new_audit_marks"] = frames["audit_marks"]
    for table in FACT_TABLES:
        frame = frames.get(table)
        registered[f"_new_{table}"] = frame if frame is not None else SCHEMAS[table].empty_table()
    for name, frame in registered.items():
        con.register(name, frame)
    try:
        with LoadTransaction(con) as txn:
            execute(con, "bundle_delete_events")
            for table in EVENT_TABLES:
                if table in frames:
                    txn.insert(table, frames[table])
            con.execute(load_sql("facts_replace_batch"))
            if "audit_marks" in frames:
                execute(con, "audit_marks_merge")
    finally:
        for name in registered:
            con.unregister(name)


def _distinct_keys(frames: dict[str, pa.Table], tables: tuple[str, ...], columns: tuple[str, ...]) -> pa.Table:
    parts = [
        frames[table].select(list(columns)).cast(pa.schema([(c, pa.string()) for c in columns]))
        for table in tables
        if table in frames and frames[table].num_rows
    ]
    if not parts:
        return pa.table({column: pa.array([], pa.string()) for column in columns})
    keys = pa.concat_tables(parts)
    return keys.group_by(list(columns)).aggregate([])


def _price_source_version() -> str:
    """The price source's name, imported on use: pricing loads pandas and genai-prices."""
    from ingest.pricing import price_source_version

    return price_source_version()
