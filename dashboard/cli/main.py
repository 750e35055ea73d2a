"""The front door: ``dashcam ingest``, ``costs``, ``audit``, ``dashboard`` and friends.

Every command takes ``--db`` (else ``$DASHCAM_DB``, else the per-user data dir). Errors a
person can fix are printed as one clear line and a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

import queries
from dashboard.cli.common import DbOption, command_console, default_user, err, fail, local_timezone, table_of
from dashboard.cli.guard import guard_app, load_guard_spool, statusline
from dashboard.cli.marks import audit_app
from dashboard.cli.report import report
from dashboard.cli.serve import dashboard
from dashboard.cli.share import export, import_archive
from dashboard.cli.team import TeamOption, push_command, run_push, team_app, team_db
from dashboard.present.costs import PERIODS, WEEKDAYS, CostFilter, build_cost_report
from dashboard.present.formatting import money
from dashboard.present.terminal_text import shown
from ingest import api  # names are resolved on use: `costs` never loads the readers

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="dashcam: flight recorder and auditor for AI coding-agent sessions.",
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(api.TOOL_VERSION)
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """dashcam: flight recorder and auditor for AI coding-agent sessions."""


console = command_console()


def sample_users(sample_dir: Path) -> list[tuple[str, Path]]:
    """The bundled corpus holds one folder per teammate; the folder name is the user."""
    return [(child.name, child) for child in sorted(sample_dir.iterdir()) if child.is_dir()]


def has_transcripts(roots: list[Path]) -> bool:
    return any(True for root in roots for _ in api.iter_candidate_files(root))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Files or folders to ingest (default: the agents' own log folders)."),
    db: Path | None = DbOption,
    user: str = typer.Option(None, "--user", help="Who ran these sessions (default: the OS user)."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero on the first unparsable line."),
    sample_dir: Path | None = typer.Option(
        None, "--sample-dir", help="With no PATH and no local logs, ingest this demo corpus (one folder per user)."
    ),
    push_after: bool = typer.Option(False, "--push", help="Then push to the team lake (`dashcam push`)."),
    facts: bool = typer.Option(
        False,
        "--facts",
        help="Compute the audit facts now (default: when an audit, report, export, push or the dashboard needs them).",
    ),
) -> None:
    """Read agent transcripts into the database (only what changed since the last run).

    The audit facts of the sessions that changed are computed by the first command that reads
    them, so an ingest costs what loading the new lines costs; ``--facts`` computes them now."""
    plan: list[tuple[str, list[Path]]]
    if paths:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            fail(f"no such file or folder: {', '.join(missing)}")
        plan = [(user or default_user(), list(paths))]
    else:
        roots = api.default_locations()
        if roots and has_transcripts(roots):
            plan = [(user or default_user(), roots)]
        elif sample_dir and sample_dir.is_dir():
            console.print(f"No local agent logs found; ingesting the demo corpus {shown(sample_dir)}.")
            plan = [(name, [folder]) for name, folder in sample_users(sample_dir)]
        else:
            fail(
                "no agent transcripts found in the default folders "
                "(~/.claude/projects, ~/.config/claude/projects, $CLAUDE_CONFIG_DIR/projects, "
                "$CODEX_HOME/sessions or ~/.codex/sessions, ~/.gemini/tmp). "
                "Pass a folder or file: `dashcam ingest PATH`."
            )
    try:
        con = api.open_store(db)
    except api.StoreError as error:
        fail(str(error))
    totals = api.IngestSummary()
    try:
        for user_name, roots in plan:
            summary = _ingest_with_progress(con, roots, user_name, strict)
            _merge(totals, summary)
        load_guard_spool(con)
        if facts:
            totals.fact_sessions = api.refresh_facts(con).sessions_refreshed
            api.write_guard_marks(con)
        else:
            totals.facts_pending = api.pending_fact_sessions(con)
    except api.StrictModeStop as stop:
        fail(str(stop), code=2)
    except api.StoreError as error:
        fail(str(error))
    finally:
        con.close()
    _print_summary(totals, api.resolve_db_path(db))
    if totals.files_read == 0 and totals.files_unchanged == 0:
        fail("no transcripts of a supported agent (claude, codex, gemini, aider) were found in the given paths.")
    if push_after:
        run_push(db)


def _ingest_with_progress(con, roots: list[Path], user_name: str, strict: bool) -> api.IngestSummary:
    if not console.is_terminal:
        return api.ingest_paths(con, roots, user_name, strict=strict, facts=False)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # a terminal's bar only

    with Progress(
        TextColumn("[bold]ingest[/] {task.fields[user]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[file]}"),
        console=console,
        transient=True,
    ) as progress:
        total = sum(1 for root in roots for _ in api.iter_candidate_files(root))
        task = progress.add_task("ingest", total=total, user=shown(user_name), file="")
        return api.ingest_paths(
            con,
            roots,
            user_name,
            strict=strict,
            on_file=lambda path: progress.update(
                task, advance=1, file=shown(path.name[-50:].encode("utf-8", "replace").decode())
            ),
            facts=False,
        )


def _merge(totals: api.IngestSummary, summary: api.IngestSummary) -> None:
    for name in (
        "files_seen",
        "files_read",
        "files_unchanged",
        "messages",
        "tool_calls",
        "usage_rows",
        "cost_usd",
        "unpriced_rows",
        "assumed_model_rows",
        "problems",
    ):
        setattr(totals, name, getattr(totals, name) + getattr(summary, name))
    totals.not_transcripts += summary.not_transcripts
    totals.empty_files += summary.empty_files
    totals.unreadable += summary.unreadable
    totals.sessions |= summary.sessions
    for agent, count in summary.by_agent.items():
        totals.by_agent[agent] = totals.by_agent.get(agent, 0) + count
    for kind, count in summary.redactions.items():
        totals.redactions[kind] = totals.redactions.get(kind, 0) + count


def _facts_text(summary: api.IngestSummary) -> str:
    if summary.fact_sessions:
        return f"computed for {summary.fact_sessions} session(s)"
    if summary.facts_pending:
        return (
            f"{summary.facts_pending} session(s) to audit: computed by the next `dashcam audit`, "
            "report, export, push or `dashcam dashboard` (or now with `ingest --facts`)"
        )
    return "current"


def _print_summary(summary: api.IngestSummary, db_path: Path) -> None:
    table = table_of(title=f"Ingest summary ({shown(db_path)})", show_header=False)
    table.add_row(
        "files read",
        f"{summary.files_read}"
        + (f"  ({', '.join(f'{a}: {n}' for a, n in sorted(summary.by_agent.items()))})" if summary.by_agent else ""),
    )
    table.add_row("files unchanged", str(summary.files_unchanged))
    table.add_row("sessions", str(len(summary.sessions)))
    table.add_row("messages", str(summary.messages))
    table.add_row("tool calls", str(summary.tool_calls))
    table.add_row("API responses", str(summary.usage_rows))
    table.add_row(
        "cost of new responses",
        money(summary.cost_usd)
        + (f"  + {summary.unpriced_rows} unpriced" if summary.unpriced_rows else "")
        + (
            f"  ({summary.assumed_model_rows} priced under an assumed model: the transcript names none)"
            if summary.assumed_model_rows
            else ""
        ),
    )
    table.add_row("problems", f"{summary.problems}" + ("  (see `dashcam problems`)" if summary.problems else ""))
    table.add_row("secrets redacted", api.counts_text(summary.redactions))
    table.add_row("audit facts", _facts_text(summary))
    console.print(table)
    if summary.not_transcripts:
        console.print(
            f"{len(summary.not_transcripts)} file(s) skipped: not a transcript of a supported agent"
            + (f", e.g. {shown(summary.not_transcripts[0])}" if summary.not_transcripts else "")
        )
    if summary.empty_files:
        console.print(f"{len(summary.empty_files)} empty file(s) skipped, e.g. {shown(summary.empty_files[0])}")
    for path, reason in summary.unreadable:
        err.print(f"[yellow]Could not read[/] {shown(path)}: {shown(reason)}")


@app.command()
def costs(
    report: str = typer.Argument("daily", help="daily | weekly | monthly | session"),
    db: Path | None = DbOption,
    as_json: bool = typer.Option(False, "--json", help="ccusage-compatible JSON."),
    since: str | None = typer.Option(None, "--since", help="First local date, YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Last local date, YYYY-MM-DD."),
    timezone: str | None = typer.Option(None, "--timezone", help="IANA zone for grouping (default: local)."),
    agent: str | None = typer.Option(None, "--agent", help="claude | codex | gemini | aider"),
    user: str | None = typer.Option(None, "--user", help="Only this user's sessions."),
    project: str | None = typer.Option(None, "--project", help="Only this project (working directory)."),
    by: str | None = typer.Option(None, "--by", help="Also group by user | project | model."),
    start_of_week: str = typer.Option("monday", "--start-of-week", help="Weekday weeks start on."),
    exclude_estimated: bool = typer.Option(
        False, "--exclude-estimated", help="Leave out tokens estimated where the transcript had no usage."
    ),
    team: bool = TeamOption,
) -> None:
    """Token usage and cost per day, week, month or session."""
    db = team_db(db, team)
    if report not in PERIODS:
        fail(f"unknown report {report!r}: use daily, weekly, monthly or session")
    if agent and agent not in api.AGENTS:
        fail(f"unknown agent {agent!r}: use one of {', '.join(api.AGENTS)}")
    if by and by not in ("user", "project", "model"):
        fail(f"--by takes user, project or model, not {by!r}")
    if start_of_week.lower() not in WEEKDAYS:
        fail(f"--start-of-week takes a weekday name, not {start_of_week!r}")
    filters = CostFilter(
        since=since,
        until=until,
        agent=agent,
        user_name=user,
        project=project,
        timezone=timezone or local_timezone(),
        start_of_week=start_of_week.lower(),
        exclude_estimated=exclude_estimated,
    )
    try:
        with api.open_store(db, read_only=True) as con:
            result = build_cost_report(con, report, filters, by)
    except api.StoreError as error:
        fail(str(error))
    except ValueError as error:
        fail(str(error))
    except Exception as error:  # DuckDB rejects an unknown time zone name here
        if "time zone" in str(error).lower():
            fail(f"unknown time zone {filters.timezone!r}")
        raise
    if as_json:
        print(json.dumps(result, indent=2, default=str))
        return
    _print_cost_table(result, report, by)


def _print_cost_table(result: dict, report: str, by: str | None) -> None:
    key = PERIODS[report][1]
    entries = next(iter(result.values()))
    table = table_of(title=f"dashcam costs {report}")
    table.add_column(key.capitalize() if key != "sessionId" else "Session")
    if by:
        table.add_column(by.capitalize())
    for column in ("Models", "Input", "Output", "Cache write", "Cache read", "Total tokens", "Cost (USD)"):
        table.add_column(column, justify="right" if column not in ("Models",) else "left")
    for entry in entries:
        cells = [shown(entry[key])] + ([shown(entry.get(by))] if by else [])
        assumed = {m["modelName"] for m in entry["modelBreakdowns"] if m.get("isFallback")}
        cells += [
            shown(", ".join(f"{m} (assumed)" if m in assumed else m for m in entry["modelsUsed"])),
            f"{entry['inputTokens']:,}",
            f"{entry['outputTokens']:,}",
            f"{entry['cacheCreationTokens']:,}",
            f"{entry['cacheReadTokens']:,}",
            f"{entry['totalTokens']:,}",
            money(entry["totalCost"]),
        ]
        table.add_row(*cells)
    totals = result["totals"]
    table.add_row(
        *(
            ["[bold]Total"]
            + ([""] if by else [])
            + [
                "",
                f"{totals['inputTokens']:,}",
                f"{totals['outputTokens']:,}",
                f"{totals['cacheCreationTokens']:,}",
                f"{totals['cacheReadTokens']:,}",
                f"{totals['totalTokens']:,}",
                f"[bold]{money(totals['totalCost'])}",
            ]
        )
    )
    console.print(table)
    assumed = sum(m.get("assumedResponses", 0) for entry in entries for m in entry["modelBreakdowns"])
    if assumed:
        console.print(
            f"[yellow]Assumed model[/]: {assumed} responses name no model in their transcript and are "
            'priced as marked "(assumed)" (Codex rollouts without model metadata: gpt-5, as ccusage does).'
        )
    if result["unpricedModels"]:
        console.print("[yellow]Unpriced models[/] (cost unknown, not counted as $0):")
        for model in result["unpricedModels"]:
            console.print(
                f"  {shown(model['agent'])}/{shown(model['model'])}: {model['responses']} responses, "
                f"{model['totalTokens']:,} tokens — {shown(model['reason'])}"
            )


@app.command()
def problems(
    db: Path | None = DbOption,
    limit: int = typer.Option(50, "--limit", help="How many to show."),
) -> None:
    """Lines that could not be ingested: file, line, byte offset, reason, raw text."""
    try:
        with api.open_store(db, read_only=True) as con:
            rows = queries.run(con, "problems_list", limit=limit)
    except api.StoreError as error:
        fail(str(error))
    if rows.empty:
        console.print("No problems recorded.")
        return
    table = table_of(title=f"{len(rows)} most recent problems")
    for column in ("File", "Line", "Reason", "Raw"):
        table.add_column(column)
    for row in rows.itertuples():
        table.add_row(shown(row.source_path), str(row.line_no), shown(row.reason), shown(row.raw_preview))
    console.print(table)


app.command()(dashboard)
app.add_typer(audit_app, name="audit")
app.command()(report)
app.command()(export)
app.command(name="import")(import_archive)
app.command(name="push")(push_command)
app.add_typer(team_app, name="team")
app.add_typer(guard_app, name="guard")
app.command()(statusline)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
