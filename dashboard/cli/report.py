"""``dashcam report``: the weekly report as HTML, PDF, Markdown or CSV.

By default the last complete ISO week, as one self-contained HTML file named by the week in
the current folder (``dashcam-2026-W47.html``), so a Monday cron line needs no arguments
beyond ``--out-dir``. The numbers come from the same named queries as ``dashcam costs``,
``dashcam audit`` and the dashboard (see :mod:`dashboard.report.data`).
"""

from __future__ import annotations

import sys
import time
import zipfile
from datetime import UTC, date, datetime
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
    fail,
    local_timezone,
)
from dashboard.cli.team import TeamOption, snapshot_label, team_db
from dashboard.present.periods import Period, PeriodError, choose_period
from dashboard.present.terminal_text import neutral, shown

if TYPE_CHECKING:  # the report's modules load pandas and templates: imported by the command, not the CLI
    from dashboard.report.data import WeeklyReport
from ingest.api import TOOL_VERSION, StoreError, ensure_current_facts, open_store

console = command_console(stderr=True)
EXTENSIONS = {"html": "html", "pdf": "pdf", "md": "md", "csv": "zip"}
# Options the report and the export share.


def output_path(period: Period, fmt: str, output: Path | None, out_dir: Path | None) -> Path | None:
    """Where to write: ``-o``, else ``--out-dir``/``dashcam-<week>.<ext>``, else the current folder.
    None means CSV files straight into ``--out-dir``."""
    if output is not None:
        return output
    if out_dir is not None and fmt == "csv":
        return None
    return (out_dir or Path.cwd()) / f"dashcam-{period.label}.{EXTENSIONS[fmt]}"


def write_csv(report: WeeklyReport, target: Path | None, out_dir: Path | None) -> list[Path]:
    from dashboard.report.render import render_csv

    files = render_csv(report)
    if target is None:
        assert out_dir is not None  # output_path gives no target only for CSV into --out-dir
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            path = out_dir / f"dashcam-{report.scope.period.label}-{name}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"dashcam-{report.scope.period.label}/{name}", text)
    return [target]


def write_report(report: WeeklyReport, fmt: str, target: Path | None, out_dir: Path | None) -> list[Path]:
    from dashboard.report.render import render_html, render_markdown, render_pdf

    if fmt == "csv":
        return write_csv(report, target, out_dir)
    assert target is not None  # output_path gives no target only for CSV
    if str(target) == "-":
        # Read on a terminal: control characters from transcripts are written visibly, not obeyed.
        sys.stdout.write(neutral(render_markdown(report) if fmt == "md" else render_html(report)))
        return []
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        render_pdf(report, target)
    else:
        text = neutral(render_markdown(report)) if fmt == "md" else render_html(report)
        target.write_text(text, encoding="utf-8")
    return [target]


def report(
    week: str | None = WeekOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    fmt: str = typer.Option("html", "--format", help="html | pdf | md | csv"),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="File to write (- for standard output with html or md)."
    ),
    out_dir: Path | None = typer.Option(None, "--out-dir", help="Folder to write dashcam-<week>.<ext> into."),
    user: str | None = typer.Option(None, "--user", help="Only this user's sessions."),
    project: str | None = typer.Option(None, "--project", help="Only this project (working directory)."),
    include_text: bool = typer.Option(
        False, "--include-text", help="Quote what the agents wrote (left out by default: reports get forwarded)."
    ),
    tz: str | None = TimezoneOption,
    db: Path | None = DbOption,
    team: bool = TeamOption,
) -> None:
    """The weekly report: cost, spirals, exotic explanations and the 80% cliff, week over week."""
    from dashboard.report import render as renderer
    from dashboard.report.data import ReportScope, build_report
    from dashboard.report.render import FORMATS, PdfUnavailable

    db = team_db(db, team)
    if fmt not in FORMATS:
        fail(f"--format takes {', '.join(FORMATS)}, not {fmt!r}")
    if output is not None and out_dir is not None:
        fail("give either -o or --out-dir, not both")
    if fmt == "pdf" and renderer.chromium_path() is None:
        fail(renderer.NO_CHROMIUM)
    try:
        period = choose_period(week, since, until, date.today())
    except PeriodError as error:
        fail(str(error))
    scope = ReportScope(
        period, user_name=user, project=project, timezone=tz or local_timezone(), include_text=include_text
    )
    started = time.perf_counter()
    try:
        ensure_current_facts(db)
        with open_store(db, read_only=True) as con:
            built = build_report(
                con,
                scope,
                datetime.now(UTC).replace(tzinfo=None),
                TOOL_VERSION + snapshot_label(db if team else None),
            )
        written = write_report(built, fmt, output_path(period, fmt, output, out_dir), out_dir)
    except (StoreError, PdfUnavailable) as error:
        fail(str(error))
    except Exception as error:  # DuckDB rejects an unknown time zone name here
        if "time zone" in str(error).lower():
            fail(f"unknown time zone {scope.timezone!r}")
        raise
    seconds = time.perf_counter() - started
    for path in written:
        console.print(f"Wrote {shown(path)} ({path.stat().st_size / 1024:,.0f} KiB, {seconds:.1f} s)")
