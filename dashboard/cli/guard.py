"""``dashcam guard …`` and ``dashcam statusline``: the live guard's front door.

``install``/``uninstall``/``status`` edit the agent's own hook settings (``guard_settings``);
``hook <event>`` is the same entry the installed hooks run (``python -m ingest.guard hook``,
which skips this CLI's imports to stay inside the per-call budget); ``log`` loads the
decisions the hooks spooled into the database and lists them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

import queries
from dashboard.cli import guard_settings
from dashboard.cli.common import DbOption, command_console, fail, table_of

guard_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="The live guard: stop wait spirals and outside-cause excuses while a session runs.",
)
console = command_console()

AgentOption = typer.Option("claude", "--agent", help="claude or codex.")
ScopeOption = typer.Option("user", "--scope", help="user (your settings) or project (this repository's).")


def _target(agent: str, scope: str) -> guard_settings.Target:
    if agent not in ("claude", "codex"):
        fail(f"unknown agent {agent!r}: use --agent claude or --agent codex")
    if scope not in ("user", "project"):
        fail(f"unknown scope {scope!r}: use --scope user or --scope project")
    return guard_settings.target(agent, scope)


@guard_app.command()
def install(
    agent: str = AgentOption,
    scope: str = ScopeOption,
    mode: str = typer.Option("block", "--mode", help="block (deny the call) or warn (ask the person)."),
) -> None:
    """Add the guard's hooks to the agent's settings (merged, idempotent, with a backup)."""
    if mode not in ("warn", "block"):
        fail(f"unknown mode {mode!r}: use --mode warn or --mode block")
    try:
        console.print(guard_settings.install(_target(agent, scope), mode))
    except guard_settings.SettingsError as error:
        fail(str(error))
    if agent == "codex":
        console.print(
            "Codex runs hooks from 0.124 on by default; older versions need "
            "`[features] codex_hooks = true` in config.toml."
        )


@guard_app.command()
def uninstall(agent: str = AgentOption, scope: str = ScopeOption) -> None:
    """Take exactly the guard's own entries back out of the agent's settings."""
    try:
        console.print(guard_settings.uninstall(_target(agent, scope)))
    except guard_settings.SettingsError as error:
        fail(str(error))


@guard_app.command()
def status() -> None:
    """Where the guard is installed, and where its state and spool live."""
    from ingest.guard.hook import state_dir

    table = table_of(show_header=True)
    for column in ("agent", "scope", "settings", "installed"):
        table.add_column(column)
    for agent in ("claude", "codex"):
        for scope in ("user", "project"):
            t = guard_settings.target(agent, scope)
            table.add_row(agent, scope, str(t.path), "yes" if guard_settings.is_installed(t.path) else "no")
    console.print(table)
    root = state_dir()
    spool = root / "decisions.jsonl"
    count = len(spool.read_bytes().splitlines()) if spool.exists() else 0
    console.print(f"state: {root}  ·  decisions spooled: {count}")


@guard_app.command()
def hook(
    event: str = typer.Argument(..., help="PreToolUse or Stop."),
    agent: str | None = typer.Option(None, "--agent", help="claude or codex (default: from the transcript path)."),
) -> None:
    """The hook entry: the hook's JSON on stdin, the decision on stdout (never blocks on its own error)."""
    from ingest.guard.contracts import MAX_INPUT_BYTES
    from ingest.guard.hook import run

    out, code = run(event, sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), agent)
    if out:
        sys.stdout.write(out + "\n")
    raise typer.Exit(code)


@guard_app.command()
def log(
    db: Path | None = DbOption,
    session: str | None = typer.Option(None, "--session", help="Only this session id."),
    limit: int = typer.Option(50, "--limit", help="How many decisions, newest first."),
) -> None:
    """Load the decisions the hooks spooled into the database and list them."""
    from ingest.api import StoreError, open_store
    from ingest.guard.load import load_problems, load_spool

    try:
        con = open_store(db)
    except StoreError as error:
        fail(str(error))
    try:
        added, bad = load_spool(con)
        load_problems(con)
        rows = queries.run(con, "guard_decisions_list", session_id=session, limit=limit)
    finally:
        con.close()
    if added or bad:
        console.print(
            f"loaded {added} new decision(s)" + (f", {bad} unreadable line(s) recorded as problems" if bad else "")
        )
    if rows.empty:
        console.print("No guard decisions yet (install the hooks with `dashcam guard install`).")
        return
    table = table_of(show_header=True)
    for column in ("time (UTC)", "session", "rule", "decision", "reason"):
        table.add_column(column, overflow="fold")
    for row in rows.itertuples():
        table.add_row(str(row.ts)[:19], row.session_id[:12], row.rule, row.decision, row.reason[:160])
    console.print(table)


def load_guard_spool(con) -> int:
    """Called by ``dashcam ingest``: the hooks' spooled decisions and problems into the database.

    The marks the hooks read back (features past 80%, open staircases) are written with the
    facts they come from (``ingest.api.ensure_current_facts``), not here."""
    from ingest.guard.load import load_problems, load_spool

    added, _ = load_spool(con)
    load_problems(con)
    return added


def statusline() -> None:
    """One line for Claude Code's statusLine: today's cost, this session's, an open warning."""
    from ingest.guard.statusline import line

    print(line(sys.stdin.buffer.read(1 << 20)))
