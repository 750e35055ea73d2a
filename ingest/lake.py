"""The team lake: every machine's sessions in one DuckLake (Parquet data files + a catalog).

A team shares a catalog database (PostgreSQL; a local SQLite or DuckDB file for a single-machine
trial) and a data directory (a shared folder, or an S3-compatible bucket). Each machine pushes
what its own database has that the lake doesn't; readers copy one lake snapshot into a local
database of dashcam's schema and ask it the same named queries as at home.

Extensions come from the PyPI wheels installed with dashcam (``duckdb-extension-ducklake`` …),
loaded from their files with autoinstall and autoload off: these machines cannot reach DuckDB's
extension server, and the wheels are built for one exact DuckDB version (hence the pin).

A push, per session (agent, session_id): the lake's ledger ``team_sessions`` holds the
fingerprint of what was pushed; sessions whose local fingerprint differs are pushed whole —
their rows in every lake table are deleted and inserted again — so pushing twice publishes
nothing and a grown session is never doubled. Rows are made shareable exactly like a bundle's
(:func:`ingest.bundle.shareable`: redacted, text left out unless the team says
``include_text = true``). A push is one DuckLake transaction: data files are written first and
the catalog commit makes them visible, so a push killed half-way leaves the lake as it was (its
orphaned files are never referenced) and the next push sends everything again.

Readers never write the lake: ``dashcam costs|report|audit|dashboard --team`` read a snapshot
copy (:func:`team_database`), rebuilt only when the lake has a newer snapshot. The derived audit
tables are rebuilt there from the pushed facts, so a lake without text still shows spirals,
explanations' verdicts and the 80% cliff.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import tomllib
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.bundle import EVENT_TABLES, FACT_TABLES, shareable
from ingest.derived_views import derived_views_current
from ingest.migrations import apply_migrations, available_migrations, schema_version
from ingest.pipeline import TOOL_VERSION
from ingest.refresh import EXTRACTOR_VERSION, rebuild_audit_tables, refresh_facts
from ingest.store import StoreError, open_store, record_run_end, record_run_start, resolve_db_path, utc_now
from ingest.store_guard import silence_progress_bar
from ingest.summaries import refresh_summaries
from queries import execute, load_sql

TEAM_ENV = "DASHCAM_TEAM"
LAKE_TABLES = EVENT_TABLES + FACT_TABLES
# Extension name -> the PyPI wheel's package, which holds extensions/v<duckdb version>/<name>.duckdb_extension.
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "httpfs": "duckdb_extension_httpfs",
}
# Why a push is retried: DuckLake commits optimistically. Every push (and forget, rename) changes
# the lake's one ``team_head`` row, so of two that overlap, the later commit is refused, after
# the earlier one is already durable in the catalog. Re-running the push at once reads the new
# snapshot (and so sees what the other machine just pushed), so nothing needs to wait; each
# round lets at least one writer commit, so a bound a few times the number of simultaneous
# pushers only gives up when something else keeps committing or the catalog is unwell.
PUSH_ATTEMPTS = 12
_CONFLICT = re.compile(r"conflict|concurrent|serializ|could not serialize|duplicate key", re.IGNORECASE)


class LakeError(StoreError):
    """The team lake cannot be reached or used; the message says what to do."""


class LakeConflict(LakeError):
    """Pushes kept conflicting with other machines' pushes beyond the retry bound."""


# ---------------------------------------------------------------------------- config


@dataclass
class TeamConfig:
    """``team.toml``: where the team's lake lives and what this machine sends to it."""

    catalog: str
    data: str
    name: str = "team"
    include_text: bool = False
    machine: str = field(default_factory=socket.gethostname)

    def to_toml(self) -> str:
        def quoted(value: str) -> str:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

        return (
            f"# dashcam team lake (dashcam team init / join)\n"
            f"name = {quoted(self.name)}\ncatalog = {quoted(self.catalog)}\ndata = {quoted(self.data)}\n"
            f"machine = {quoted(self.machine)}\ninclude_text = {'true' if self.include_text else 'false'}\n"
        )


def team_config_path() -> Path:
    """``$DASHCAM_TEAM``, else ``$XDG_CONFIG_HOME/dashcam/team.toml`` (``~/.config/…``)."""
    explicit = os.environ.get(TEAM_ENV)
    if explicit:
        return Path(explicit).expanduser()
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "dashcam" / "team.toml"


def load_team_config(path: Path | None = None) -> TeamConfig:
    path = path or team_config_path()
    if not path.exists():
        raise LakeError(
            f"No team configured ({path} does not exist). Run `dashcam team init --catalog … "
            "--data …` to create a lake, or `dashcam team join …` to use your team's."
        )
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LakeError(f"{path} is not valid TOML: {error}") from error
    missing = [key for key in ("catalog", "data") if not values.get(key)]
    if missing:
        raise LakeError(f"{path} lacks {' and '.join(missing)}: run `dashcam team join --catalog … --data …` again")
    return TeamConfig(
        catalog=str(values["catalog"]),
        data=str(values["data"]),
        name=str(values.get("name", "team")),
        include_text=bool(values.get("include_text", False)),
        machine=str(values.get("machine") or socket.gethostname()),
    )


def absolute_location(location: str) -> str:
    """A local catalog file or data folder as an absolute path (the config is read from anywhere);
    server URLs and ``postgres:…`` strings unchanged."""
    if re.match(r"^[a-z][a-z0-9+]*://", location) or location.startswith("postgres:"):
        return location
    if location.startswith("sqlite:"):
        return "sqlite:" + str(Path(location[7:]).expanduser().resolve())
    return str(Path(location).expanduser().resolve())


def save_team_config(config: TeamConfig, path: Path | None = None) -> Path:
    path = path or team_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(config.to_toml(), encoding="utf-8")
    partial.chmod(0o600)  # a PostgreSQL URL may carry a password
    partial.replace(path)
    return path


def masked(catalog: str) -> str:
    """The catalog with any password hidden, for messages and the snapshot record."""
    catalog = re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", catalog)
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", catalog, flags=re.IGNORECASE)


def catalog_target(catalog: str) -> tuple[str, list[str]]:
    """The ``ducklake:…`` attach string for ``catalog`` and the extensions it needs.

    ``postgres://…`` / ``postgresql://…`` / ``postgres:<libpq string>``: a PostgreSQL catalog;
    ``sqlite:PATH`` or a ``.sqlite``/``.sqlite3``/``.db`` file: SQLite; any other path: a DuckDB
    file (one process at a time: a single-machine trial)."""
    if catalog.startswith(("postgres://", "postgresql://")):
        return f"ducklake:postgres:{catalog}", ["postgres_scanner"]
    if catalog.startswith("postgres:"):
        return f"ducklake:{catalog}", ["postgres_scanner"]
    if catalog.startswith("sqlite:"):
        return f"ducklake:sqlite:{Path(catalog[7:]).expanduser().resolve()}", ["sqlite_scanner"]
    path = Path(catalog).expanduser().resolve()
    if path.suffix in (".sqlite", ".sqlite3", ".db"):
        return f"ducklake:sqlite:{path}", ["sqlite_scanner"]
    return f"ducklake:{path}", []


def data_target(data: str) -> tuple[str, list[str]]:
    if re.match(r"^(s3|gcs|r2|https?)://", data):
        return data.rstrip("/") + "/", ["httpfs"]
    path = Path(data).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return str(path) + "/", []


# ---------------------------------------------------------------------------- connection


def extension_file(name: str) -> Path:
    """The ``.duckdb_extension`` file of the PyPI wheel for this DuckDB version."""
    package = EXTENSION_PACKAGES[name]
    wheel = package.replace("_", "-")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LakeError(f"the DuckDB extension {name} is not installed: pip install '{wheel}=={duckdb.__version__}'")
    path = (
        Path(list(spec.submodule_search_locations)[0])
        / "extensions"
        / f"v{duckdb.__version__}"
        / f"{name}.duckdb_extension"
    )
    if not path.exists():
        raise LakeError(
            f"the installed {wheel} is not built for DuckDB {duckdb.__version__} ({path} is missing): "
            f"pip install '{wheel}=={duckdb.__version__}'"
        )
    return path


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """An S3 secret from the usual environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    AWS_ENDPOINT_URL for an S3-compatible server, AWS_REGION)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    use_ssl = not endpoint.startswith("http://")
    host = re.sub(r"^https?://", "", endpoint).rstrip("/")
    options = {
        "KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", ""),
        "SECRET": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "REGION": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    }
    if host:
        options.update(ENDPOINT=host, URL_STYLE="path")
    body = ", ".join(f"{key} {sql_text(value)}" for key, value in options.items())
    con.execute(f"CREATE OR REPLACE SECRET dashcam_lake_s3 (TYPE s3, {body}, USE_SSL {str(use_ssl).lower()})")


def sql_text(value: str) -> str:
    """``value`` as an SQL string literal. ATTACH, LOAD and CREATE SECRET take no parameters,
    and a folder or password may hold a quote."""
    return "'" + value.replace("'", "''") + "'"


def connect_lake(config: TeamConfig, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with dashcam's schema (empty, from the migrations) and the lake attached as ``lake``."""
    attach, needs = catalog_target(config.catalog)
    data, data_needs = data_target(config.data)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    silence_progress_bar(con)
    try:
        for name in ["ducklake", *needs, *data_needs]:
            con.execute(f"LOAD {sql_text(str(extension_file(name)))}")
        if data_needs:
            _s3_secret(con)
        apply_migrations(con)
        options = "READ_ONLY" if read_only else f"DATA_PATH {sql_text(str(data))}"
        con.execute(f"ATTACH {sql_text(str(attach))} AS lake ({options})")
    except LakeError:
        con.close()
        raise
    except duckdb.Error as error:
        con.close()
        raise LakeError(
            f"cannot open the team lake (catalog {masked(config.catalog)}, data {config.data}): "
            f"{str(error).splitlines()[0]}"
        ) from error
    return con


def _one_row(cursor: duckdb.DuckDBPyConnection) -> tuple:
    """The row of a statement that always returns exactly one: an aggregate without GROUP BY, an
    INSERT/UPDATE/DELETE (its row count), or the lake's current snapshot (a lake always has one)."""
    row = cursor.fetchone()
    assert row is not None
    return row


def ensure_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Create the lake's tables and add columns newer migrations brought; return how many changes.

    The DDL is composed from the in-memory schema (the migrations' tables) so the lake's columns
    are defined once, where every dashcam database's are; each lake table adds ``machine``."""
    missing = execute(con, "lake_missing_columns", tables=list(LAKE_TABLES)).fetchall()
    has_ledger = "team_head" in _tables_in(con, "lake")
    if not missing and has_ledger:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        created = set()
        for table, column, data_type, table_missing in missing:
            if table_missing and table not in created:
                con.execute(
                    f"CREATE TABLE lake.{table} AS SELECT *, NULL::VARCHAR AS machine FROM main.{table} LIMIT 0"
                )
                created.add(table)
            elif not table_missing:
                con.execute(f'ALTER TABLE lake.{table} ADD COLUMN "{column}" {data_type}')
        con.execute(load_sql("lake_schema"))
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    return len(missing) + (0 if has_ledger else 1)


def _tables_in(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    return {name for (name,) in execute(con, "lake_tables_in", database=database).fetchall()}


def _is_conflict(error: duckdb.Error) -> bool:
    return isinstance(error, duckdb.TransactionException) or bool(_CONFLICT.search(str(error)))


def with_retries(action: Callable[[int], object], what: str, attempts: int | None = None):
    """Run ``action(attempt)`` (one lake transaction) again after a commit conflict, at most
    ``attempts`` times (default :data:`PUSH_ATTEMPTS`)."""
    attempts = attempts or PUSH_ATTEMPTS
    last: duckdb.Error | None = None
    for attempt in range(1, attempts + 1):
        try:
            return action(attempt)
        except duckdb.Error as error:
            if not _is_conflict(error):
                raise LakeError(f"{what} failed: {str(error).splitlines()[0]}") from error
            last = error
    raise LakeConflict(
        f"{what} conflicted with other machines' pushes {attempts} times in a row "
        f"(last: {str(last).splitlines()[0]}); nothing of it was stored. Run it again; if it keeps "
        "failing, check that the catalog database is healthy."
    )


def init_lake(config: TeamConfig) -> int:
    """Create (or attach to) the lake and bring its schema up to date; return the changes made."""
    con = connect_lake(config)
    try:
        return with_retries(lambda attempt: ensure_schema(con), "creating the lake's tables")
    finally:
        con.close()


# ---------------------------------------------------------------------------- push


@dataclass
class PushSummary:
    push_id: str
    machine: str
    sessions: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    users: list[str] = field(default_factory=list)
    skipped_users: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    attempts: int = 0
    unchanged: int = 0
    snapshot_id: int | None = None


def push(
    config: TeamConfig, db: str | Path | None = None, before_commit: Callable[[PushSummary], None] | None = None
) -> PushSummary:
    """Publish the sessions of the local database ``db`` that the lake lacks or holds older.

    ``before_commit`` is called with the push's rows written but not committed (tests use it to
    stop a push at exactly that point)."""
    path = resolve_db_path(db)
    _refresh_local_facts(path)
    con = connect_lake(config)
    try:
        try:
            con.execute(f"ATTACH {sql_text(str(path))} AS home (READ_ONLY)")
        except duckdb.Error as error:
            raise StoreError(f"cannot read the database {path}: {str(error).splitlines()[0]}") from error
        with_retries(lambda attempt: ensure_schema(con), "creating the lake's tables")
        summary = PushSummary(uuidlib.uuid4().hex, config.machine)

        def attempt_push(attempt: int) -> PushSummary:
            summary.attempts = attempt
            return _push_once(con, config, summary, before_commit)

        return with_retries(attempt_push, "the push")
    finally:
        con.close()


def _refresh_local_facts(path: Path) -> None:
    """The audit facts of sessions ingested since the last refresh, computed before they are shared."""
    if not path.exists():
        raise StoreError(f"No database at {path}. Run `dashcam ingest` first.")
    with open_store(path) as local:
        refresh_facts(local)


def _push_once(
    con: duckdb.DuckDBPyConnection,
    config: TeamConfig,
    summary: PushSummary,
    before_commit: Callable[[PushSummary], None] | None,
) -> PushSummary:
    con.execute("BEGIN TRANSACTION")
    try:
        _take_head(con, summary.push_id, config.machine)
        local = execute(con, "lake_local_sessions").to_arrow_table()
        pushed = {(a, s): f for a, s, f in execute(con, "lake_pushed_sessions").fetchall()}
        users = {u: (action, new) for u, action, new in execute(con, "lake_user_changes", by_name=False).fetchall()}
        chosen, skipped, unchanged = [], set(), 0
        for agent, session_id, user, fingerprint in zip(*(local.column(c).to_pylist() for c in local.column_names)):
            action, new_name = users.get(user, (None, None))
            shown = new_name if action == "rename" else user
            if action == "forget" or users.get(shown, (None,))[0] == "forget":
                skipped.add(user)
                continue
            if pushed.get((agent, session_id)) == fingerprint:
                unchanged += 1
                continue
            chosen.append((agent, session_id, shown, fingerprint))
        summary.unchanged, summary.skipped_users = unchanged, sorted(skipped)
        summary.sessions, summary.rows, summary.users = len(chosen), {}, sorted({c[2] for c in chosen if c[2]})
        if not chosen:
            con.execute("ROLLBACK")
            return summary
        renames = {old: new for old, (action, new) in users.items() if action == "rename"}
        _write_sessions(con, config, summary, chosen, renames)
        if before_commit is not None:
            before_commit(summary)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    summary.snapshot_id = _one_row(execute(con, "lake_snapshot"))[0]
    return summary


def _write_sessions(
    con: duckdb.DuckDBPyConnection,
    config: TeamConfig,
    summary: PushSummary,
    chosen: list[tuple[str, str, str, str]],
    renames: dict[str, str],
) -> None:
    """Inside the push's transaction: replace the chosen sessions' rows in every lake table."""
    now = utc_now()
    sessions = pa.table(
        {
            "agent": [c[0] for c in chosen],
            "session_id": [c[1] for c in chosen],
            "user_name": [c[2] for c in chosen],
            "machine": [config.machine] * len(chosen),
            "fingerprint": [c[3] for c in chosen],
            "push_id": [summary.push_id] * len(chosen),
            "pushed_at": pa.array([now] * len(chosen), pa.timestamp("us")),
        }
    )
    con.register("_push_sessions", sessions)
    redactions: Counter = Counter()
    try:
        lake_tables = _tables_in(con, "lake")
        home_tables = _tables_in(con, "home")
        # Table names below come from LAKE_TABLES, never from input.
        for table in LAKE_TABLES:
            if table not in lake_tables:
                continue
            con.execute(
                f"DELETE FROM lake.{table} WHERE (agent, session_id) IN (SELECT agent, session_id FROM _push_sessions)"
            )
            if table not in home_tables:
                continue
            frame = con.execute(
                f"SELECT t.* FROM home.{table} t SEMI JOIN _push_sessions s "
                "ON t.agent = s.agent AND t.session_id = s.session_id"
            ).to_arrow_table()
            frame = _as_published(
                table, shareable(table, frame, config.include_text, redactions), renames, config.machine
            )
            summary.rows[table] = frame.num_rows
            if frame.num_rows:
                con.register("_push_rows", frame)
                try:
                    con.execute(f"INSERT INTO lake.{table} BY NAME SELECT * FROM _push_rows")
                finally:
                    con.unregister("_push_rows")
        execute(con, "lake_unpush_sessions")
        execute(con, "lake_push_sessions")
        execute(
            con,
            "lake_record_push",
            **{
                "push_id": summary.push_id,
                "machine": config.machine,
                "users": ",".join(summary.users),
                "at": now,
                "sessions": summary.sessions,
                "rows": sum(summary.rows.values()),
                "text": config.include_text,
                "version": TOOL_VERSION,
                "schema": _one_row(execute(con, "lake_schema_version"))[0],
                "attempts": summary.attempts,
            },
        )
    finally:
        con.unregister("_push_sessions")
    summary.redactions = dict(sorted(redactions.items()))


def _as_published(table: str, frame: pa.Table, renames: dict[str, str], machine: str) -> pa.Table:
    if renames and "user_name" in frame.column_names:
        index = frame.column_names.index("user_name")
        names = [renames.get(name, name) for name in frame.column("user_name").to_pylist()]
        frame = frame.set_column(index, "user_name", pa.array(names, pa.string()))
    return frame.append_column("machine", pa.array([machine] * frame.num_rows, pa.string()))


def _take_head(con: duckdb.DuckDBPyConnection, push_id: str, machine: str) -> None:
    """Change the lake's one ``team_head`` row: concurrent writers conflict here (see lake_schema.sql)."""
    execute(con, "lake_take_head", id=push_id, machine=machine, at=utc_now())


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the failed commit already ended the transaction


# ---------------------------------------------------------------------------- users


def forget_user(config: TeamConfig, user: str) -> dict[str, int]:
    """Delete ``user``'s rows from every lake table and keep later pushes from sending them."""
    return _change_user(config, user, None)


def rename_user(config: TeamConfig, user: str, new_name: str) -> dict[str, int]:
    """Store ``user``'s rows under ``new_name``, now and in every later push."""
    return _change_user(config, user, new_name)


def _change_user(config: TeamConfig, user: str, new_name: str | None) -> dict[str, int]:
    con = connect_lake(config)
    try:
        with_retries(lambda attempt: ensure_schema(con), "creating the lake's tables")

        def once(attempt: int) -> dict[str, int]:
            counts: dict[str, int] = {}
            con.execute("BEGIN TRANSACTION")
            try:
                _take_head(con, f"{'forget' if new_name is None else 'rename'}:{user}", config.machine)
                params = {"user": user, "new": new_name}
                for table in LAKE_TABLES + ("team_sessions",):
                    if table == "fact_sessions":  # no user column: its sessions are the user's in the ledger
                        statement = (
                            "DELETE FROM lake.fact_sessions WHERE (agent, session_id) IN (SELECT agent, "
                            "session_id FROM lake.team_sessions WHERE user_name = $user)"
                        )
                        if new_name is not None:
                            continue
                    elif new_name is None:
                        statement = f"DELETE FROM lake.{table} WHERE user_name = $user"
                    else:
                        statement = f"UPDATE lake.{table} SET user_name = $new WHERE user_name = $user"
                    used = {k: v for k, v in params.items() if f"${k}" in statement}
                    counts[table] = _one_row(con.execute(statement, used))[0]
                execute(con, "lake_clear_user_change", user=user)
                execute(
                    con,
                    "lake_record_user_change",
                    user=user,
                    action="forget" if new_name is None else "rename",
                    new=new_name,
                    machine=config.machine,
                    at=utc_now(),
                )
                con.execute("COMMIT")
            except BaseException:
                _rollback(con)
                raise
            return counts

        return with_retries(once, f"changing user {user!r}")
    finally:
        con.close()


def lake_status(config: TeamConfig) -> tuple[list[tuple], tuple[int, object], list[tuple]]:
    """(rows per user and machine, current snapshot, users forgotten or renamed)."""
    con = connect_lake(config, read_only=True)
    try:
        snapshot = _one_row(execute(con, "lake_snapshot"))
        if "team_sessions" not in _tables_in(con, "lake"):
            return [], snapshot, []
        rows = execute(con, "lake_status").fetchall()
        users = execute(con, "lake_user_changes", by_name=True).fetchall()
        return rows, snapshot, users
    finally:
        con.close()


# ---------------------------------------------------------------------------- read


def team_cache_path(config: TeamConfig) -> Path:
    """Where the snapshot copy lives: ``$XDG_CACHE_HOME/dashcam/team-<name>.duckdb``."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", config.name) or "team"
    return Path(cache_home) / "dashcam" / f"team-{safe}.duckdb"


@dataclass
class TeamSnapshot:
    path: Path
    team: str
    snapshot_id: int
    snapshot_time: object
    copied: bool


def team_database(config: TeamConfig, target: Path | None = None) -> TeamSnapshot:
    """A local database of dashcam's schema holding the lake's current snapshot.

    Reused when it already holds that snapshot; otherwise copied in one read transaction (one
    consistent snapshot), the audit tables rebuilt from the facts, and moved into place, so a
    dashboard reading the previous copy keeps reading it whole."""
    target = target or team_cache_path(config)
    con = connect_lake(config, read_only=True)
    try:
        con.execute("BEGIN TRANSACTION")
        snapshot_id, snapshot_time = _one_row(execute(con, "lake_snapshot"))
        if _copy_is_current(target, config, snapshot_id):
            con.execute("ROLLBACK")
            return TeamSnapshot(target, config.name, snapshot_id, snapshot_time, False)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        open_store(partial).close()
        con.execute(f"ATTACH {sql_text(str(partial))} AS copy")
        lake_tables = _tables_in(con, "lake")
        for table in LAKE_TABLES:
            if table in lake_tables:
                con.execute(f"INSERT INTO copy.{table} BY NAME SELECT * EXCLUDE (machine) FROM lake.{table}")
        con.execute("COMMIT")
        con.execute("DETACH copy")
    finally:
        con.close()
    with open_store(partial) as copy:
        # One ingest run stands for the copy, and its facts are stamped fresh and imported after
        # it, as a bundle's load does: the copy's facts are the lake's (computed where the text
        # was) and are never re-extracted from the text-less rows.
        run_id = f"team-{config.name}-snapshot-{snapshot_id}"
        record_run_start(
            copy,
            run_id,
            "team",
            TOOL_VERSION,
            _price_source_version(),
            [f"lake:{masked(config.catalog)}@{snapshot_id}"],
        )
        for table in EVENT_TABLES:
            copy.execute(f"UPDATE {table} SET run_id = $run", {"run": run_id})
        record_run_end(copy, run_id, 0, 0, "ok")
        copy.execute(
            "UPDATE fact_sessions SET imported_facts = true, extractor_version = $v, refreshed_at = $now",
            {"v": EXTRACTOR_VERSION, "now": utc_now()},
        )
        copy.execute(
            "INSERT INTO team_snapshot VALUES ($team, $catalog, $id, $time, $now)",
            {
                "team": config.name,
                "catalog": masked(config.catalog),
                "id": snapshot_id,
                "time": snapshot_time,
                "now": utc_now(),
            },
        )
        rebuild_audit_tables(copy)
        refresh_summaries(copy, rebuild=True)  # the rows came in by SQL, unmarked
    partial.replace(target)
    return TeamSnapshot(target, config.name, snapshot_id, snapshot_time, True)


def _copy_is_current(target: Path, config: TeamConfig, snapshot_id: int) -> bool:
    if not target.exists():
        return False
    try:
        with duckdb.connect(str(target), read_only=True) as copy:
            if schema_version(copy) != schema_version_expected() or not derived_views_current(copy):
                return False
            row = copy.execute("SELECT max(snapshot_id), any_value(catalog) FROM team_snapshot").fetchone()
    except duckdb.Error:
        return False
    return row is not None and row[0] == snapshot_id and row[1] == masked(config.catalog)


def schema_version_expected() -> int:
    return available_migrations()[-1].version


def snapshot_of(db: Path) -> tuple[str, int, object] | None:
    """(team, snapshot id, snapshot time) when ``db`` is a copy of a team lake, else None."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return execute(con, "team_snapshot_latest").fetchone()
    except duckdb.Error:
        return None


def _price_source_version() -> str:
    """The price source's name, imported on use: pricing loads pandas and genai-prices."""
    from ingest.pricing import price_source_version

    return price_source_version()
