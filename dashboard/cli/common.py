"""What every dashcam command shares: its options, its error line, and machine defaults.

Kept apart from ``dashboard/cli.py`` so the command modules (audit, report, share,
dashboard) can use them without importing the CLI module that registers them.
"""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console, ConsoleDimensions

if TYPE_CHECKING:  # rich.table is imported by the commands that print a table (not `costs --json`)
    from rich.table import Table

from dashboard.present.terminal_text import shown

# Wide enough that no line of ours is ever folded when the output goes to a file or a pipe.
UNWRAPPED_WIDTH = 10_000


class CommandConsole(Console):
    """A console that wraps to the terminal when there is one, and never otherwise.

    Rich folds lines at ``$COLUMNS`` (or 80) even when writing to a pipe, so an error line or
    a table read by a script would break at a width nobody chose.
    """

    @property  # type: ignore[misc]  # read-only on purpose: the width is chosen here, never set from outside
    def size(self) -> ConsoleDimensions:
        if not self.is_terminal:
            return ConsoleDimensions(UNWRAPPED_WIDTH, 25)
        return super().size


def command_console(stderr: bool = False) -> Console:
    return CommandConsole(stderr=stderr)


err = command_console(stderr=True)

DbOption = typer.Option(None, "--db", help="Database file (default: $DASHCAM_DB or the per-user data dir).")
WeekOption = typer.Option(None, "--week", help="ISO week, e.g. 2026-W47 (default: the last complete week).")
SinceOption = typer.Option(None, "--since", help="First day, YYYY-MM-DD (instead of --week).")
UntilOption = typer.Option(None, "--until", help="Last day, YYYY-MM-DD (instead of --week).")
TimezoneOption = typer.Option(None, "--timezone", help="IANA zone days are counted in for cost (default: local).")


def table_of(*args, **kwargs) -> Table:
    """A rich ``Table``, its module imported by the first table a command prints."""
    from rich.table import Table

    return Table(*args, **kwargs)


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line on standard error and a non-zero exit: errors a person can fix, no traceback."""
    err.print(f"[bold red]Error:[/] {shown(message)}")
    raise typer.Exit(code)


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


def local_timezone() -> str:
    """The machine's IANA zone name (ccusage groups by local time by default), else UTC."""
    if os.environ.get("TZ"):
        return os.environ["TZ"]
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else "UTC"
