"""``dashcam export`` and ``dashcam import``: sharing sessions within a team.

``export`` writes a bundle (Parquet tables and a manifest, prompt and response text left out
unless ``--include-text``) for a period; ``import`` loads such a bundle, or a teammate's
archived agent folders (``.tar``, ``.tar.gz``/``.tgz``, ``.zip``), extracted with every safety
check of :mod:`ingest.archive`. Both go through ``ingest/``; nothing here writes rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dashboard.cli.common import (
    DbOption,
    SinceOption,
    TimezoneOption,
    UntilOption,
    WeekOption,
    command_console,
    err,
    fail,
    local_timezone,
    table_of,
)
from dashboard.present.formatting import money
from dashboard.present.periods import PeriodError, choose_period
from dashboard.present.terminal_text import shown
from ingest import api  # its names are imported on use: bundles load pyarrow and the extractors, redaction its patterns
from ingest.api import StoreError, ensure_current_facts, open_store

if TYPE_CHECKING:
    from ingest.api import BundleSummary, IngestSummary

console = command_console()


def export(
    output: Path | None = typer.Option(None, "-o", "--output", help="Bundle to write (default: dashcam-<week>.zip)."),
    week: str | None = WeekOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    user: str | None = typer.Option(None, "--user", help="Only this user's sessions."),
    include_text: bool = typer.Option(
        False, "--include-text", help="Include prompts, responses, tool output and file contents."
    ),
    tz: str | None = TimezoneOption,
    db: Path | None = DbOption,
) -> None:
    """Write the period's sessions as a bundle to share with the team (no transcripts' text by default)."""
    try:
        period = choose_period(week, since, until, date.today())
    except PeriodError as error:
        fail(str(error))
    target = output or Path.cwd() / f"dashcam-{period.label}.zip"
    try:
        ensure_current_facts(db)
        with open_store(db, read_only=True) as con:
            summary = api.export_bundle(
                con,
                target,
                period.since.isoformat(),
                period.until.isoformat(),
                user,
                include_text,
                tz or local_timezone(),
            )
    except StoreError as error:
        fail(str(error))
    _print_bundle(summary, f"Exported {period.label} to {shown(target)}")


def import_archive(
    file: Path = typer.Argument(..., help="A bundle from `dashcam export`, or a .tar/.tgz/.zip of agent folders."),
    user: str | None = typer.Option(
        None,
        "--user",
        help="Whose sessions these are (archives: default the file name, e.g. bob "
        "for bob.tar.gz; bundles: default the users they hold).",
    ),
    db: Path | None = DbOption,
) -> None:
    """Load a teammate's bundle or archived agent folders (checked for unsafe entries before extracting)."""
    if not file.is_file():
        fail(f"no such file: {file}")
    try:
        with open_store(db) as con:
            if api.is_bundle(file):
                _print_bundle(api.load_bundle(con, file, user), f"Imported the bundle {shown(file.name)}")
                return
            name = user or api.default_user_for(file)
            summary = api.import_archive(con, file, name)
    except (StoreError, api.UnsafeArchive, api.NotAnArchive, api.BundleError) as error:
        fail(f"{error}. Nothing was imported.")
    _print_archive(summary, file, name)


def _print_bundle(summary: BundleSummary, title: str) -> None:
    table = table_of(title=title, show_header=False)
    table.add_row("users", shown(", ".join(summary.users)) or "(none)")
    table.add_row("sessions", str(summary.sessions))
    for name, count in summary.rows.items():
        table.add_row(f"rows: {shown(name)}", f"{count:,}")
    table.add_row("text", "included" if summary.include_text else "left out (commands kept)")
    table.add_row("secrets redacted", api.counts_text(summary.redactions))
    console.print(table)
    for note in summary.notes:
        console.print(f"[yellow]Note:[/] {shown(note)}")


def _print_archive(summary: IngestSummary, file: Path, user: str) -> None:
    table = table_of(title=f"Imported {shown(file.name)} as {shown(user)}", show_header=False)
    agents = ", ".join(f"{agent}: {count}" for agent, count in sorted(summary.by_agent.items()))
    table.add_row("files read", f"{summary.files_read}" + (f"  ({agents})" if agents else ""))
    table.add_row("files unchanged (imported before)", str(summary.files_unchanged))
    table.add_row("sessions", str(len(summary.sessions)))
    table.add_row("API responses", str(summary.usage_rows))
    table.add_row("cost of new responses", money(summary.cost_usd))
    table.add_row("problems", str(summary.problems))
    table.add_row("secrets redacted", api.counts_text(summary.redactions))
    console.print(table)
    if summary.files_read == 0 and summary.files_unchanged == 0:
        err.print(f"[yellow]No transcripts of a supported agent were found in {shown(file.name)}.[/]")
