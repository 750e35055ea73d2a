"""``dashcam team …`` and ``dashcam push``: one lake for a team's machines.

``team init`` creates the lake (or attaches to an existing one) and writes the team config;
``team join`` does the same on another machine; ``team forget`` / ``team rename`` change a user
in the lake and in every later push; ``team status`` says what the lake holds. ``push`` sends
what this machine's database has that the lake doesn't (``ingest --push`` runs it after ingest).

``--team`` on ``costs``, ``report``, ``audit`` and ``dashboard`` swaps the local database for a
copy of the lake's current snapshot (:func:`team_db`), so those commands run unchanged, through
the same named queries. The snapshot is named on standard error (standard output stays JSON).
"""

from __future__ import annotations

from pathlib import Path

import typer

from dashboard.cli.common import DbOption, command_console, err, fail, table_of
from ingest import api  # its names are imported on use: the lake loads pyarrow

team_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="A shared team lake (DuckLake): init, join, status, forget or rename a user.",
)
console = command_console()

TeamOption = typer.Option(False, "--team", help="Read the team lake (a copy of its current snapshot) instead of --db.")
CatalogOption = typer.Option(
    ..., "--catalog", help="postgres://user@host/db, or a local .sqlite/.duckdb file for a trial."
)
DataOption = typer.Option(
    ..., "--data", help="Folder (e.g. on a shared filesystem) or s3://bucket/prefix for the data files."
)


def team_db(db: Path | None, team: bool) -> Path | None:
    """``db`` unchanged, or with ``--team`` the path of the lake's snapshot copy (refreshed if the lake moved on)."""
    if not team:
        return db
    try:
        snapshot = api.team_database(api.load_team_config())
    except (api.LakeError, api.StoreError) as error:
        fail(str(error))
    err.print(
        f"team lake {snapshot.team}: snapshot {snapshot.snapshot_id} ({snapshot.snapshot_time:%Y-%m-%d %H:%M:%S} UTC)"
        + ("" if snapshot.copied else ", copy up to date")
    )
    return snapshot.path


def _setup(catalog: str, data: str, name: str, include_text: bool, machine: str | None, verb: str) -> None:
    config = api.TeamConfig(
        catalog=api.absolute_location(catalog), data=api.absolute_location(data), name=name, include_text=include_text
    )
    if machine:
        config.machine = machine
    try:
        changes = api.init_lake(config)
    except api.LakeError as error:
        fail(str(error))
    path = api.save_team_config(config)
    console.print(
        f"{verb} team lake [bold]{name}[/] (catalog {api.masked(catalog)}, data {data})"
        + (f"; {changes} schema change(s) applied" if changes else "; schema up to date")
    )
    console.print(f"Team config written to {path}. Next: `dashcam push` (or `dashcam ingest --push`).")


@team_app.command("init")
def init(
    catalog: str = CatalogOption,
    data: str = DataOption,
    name: str = typer.Option("team", "--name", help="The team's name (names the local snapshot copy)."),
    include_text: bool = typer.Option(False, "--include-text", help="Push prompt and response text too (redacted)."),
    machine: str | None = typer.Option(None, "--machine", help="This machine's name in the lake (default: host name)."),
) -> None:
    """Create a team lake (or attach to one), apply dashcam's schema there, write the team config."""
    _setup(catalog, data, name, include_text, machine, "Created")


@team_app.command("join")
def join(
    catalog: str = CatalogOption,
    data: str = DataOption,
    name: str = typer.Option("team", "--name", help="The team's name."),
    include_text: bool = typer.Option(False, "--include-text", help="Push prompt and response text too (redacted)."),
    machine: str | None = typer.Option(None, "--machine", help="This machine's name in the lake (default: host name)."),
) -> None:
    """Use an existing team lake from this machine (writes the team config)."""
    _setup(catalog, data, name, include_text, machine, "Joined")


def _config() -> api.TeamConfig:
    try:
        return api.load_team_config()
    except api.LakeError as error:
        fail(str(error))


@team_app.command("forget")
def forget(user: str = typer.Argument(..., help="The user whose sessions leave the lake.")) -> None:
    """Delete a user's sessions from the lake; later pushes leave them out."""
    try:
        counts = api.forget_user(_config(), user)
    except api.LakeError as error:
        fail(str(error))
    console.print(f"Forgot {user}: {sum(counts.values())} row(s) deleted from the lake; later pushes leave them out.")


@team_app.command("rename")
def rename(
    user: str = typer.Argument(..., help="The name in the lake now."),
    new_name: str = typer.Argument(..., help="The name to show instead."),
) -> None:
    """Show a user under another name in the lake, now and in later pushes."""
    try:
        counts = api.rename_user(_config(), user, new_name)
    except api.LakeError as error:
        fail(str(error))
    console.print(f"Renamed {user} to {new_name}: {sum(counts.values())} row(s) changed.")


@team_app.command("status")
def status() -> None:
    """What the lake holds per user and machine, and its current snapshot."""
    config = _config()
    try:
        rows, snapshot, users = api.lake_status(config)
    except api.LakeError as error:
        fail(str(error))
    console.print(
        f"Team [bold]{config.name}[/]: catalog {api.masked(config.catalog)}, data {config.data}, "
        f"this machine {config.machine}, text {'included' if config.include_text else 'left out'}; "
        f"snapshot {snapshot[0]} ({snapshot[1]:%Y-%m-%d %H:%M:%S} UTC). Config: {api.team_config_path()}"
    )
    table = table_of(title="Sessions in the lake")
    for column in ("User", "Machine", "Sessions", "Pushes", "Last push (UTC)"):
        table.add_column(column)
    for user, machine, sessions, pushes, last in rows:
        table.add_row(str(user), machine, str(sessions), str(pushes), f"{last:%Y-%m-%d %H:%M}")
    console.print(table if rows else "Nothing pushed yet: `dashcam push`.")
    for user, action, new_name in users:
        console.print(
            f"{user}: " + ("forgotten (left out of pushes)" if action == "forget" else f"shown as {new_name}")
        )


def run_push(db: Path | None) -> api.PushSummary:
    try:
        summary = api.push(_config(), db)
    except (api.LakeError, api.StoreError) as error:
        fail(str(error))
    if summary.sessions:
        console.print(
            f"Pushed {summary.sessions} session(s) ({sum(summary.rows.values())} rows; users "
            f"{', '.join(summary.users)}) from {summary.machine}: lake snapshot {summary.snapshot_id}"
            + (f", after {summary.attempts} attempts (other pushes committed first)" if summary.attempts > 1 else "")
            + f"; secrets redacted: {api.counts_text(summary.redactions)}."
        )
    else:
        console.print(f"Nothing to push: the lake has all {summary.unchanged} session(s) of this database.")
    if summary.skipped_users:
        console.print(f"Left out (forgotten in the lake): {', '.join(summary.skipped_users)}")
    return summary


def push_command(db: Path | None = DbOption) -> None:
    """Publish what this database has that the team lake doesn't (redacted; text only if the team says so)."""
    run_push(db)


def snapshot_label(db: Path | None) -> str:
    """`` from team lake NAME, snapshot N (time UTC)`` for a report made from a lake copy, else ``""``."""
    found = api.snapshot_of(db) if db is not None else None
    if not found:
        return ""
    team, snapshot_id, snapshot_time = found
    return f" from team lake {team}, snapshot {snapshot_id} ({snapshot_time:%Y-%m-%d %H:%M} UTC)"
