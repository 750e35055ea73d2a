"""``dashcam audit``: timeout spirals, exotic explanations and the 80% cliff, on the terminal.

The findings come from the named queries ``queries/audit_*.sql`` over the fact tables. The
database is opened read-only unless facts must be computed first (sessions ingested since
the last refresh, a new extractor version, changed feature rules, ``--rebuild``): only then
is it opened for writing, briefly, to refresh the facts. Feature rules: ``ingest.features``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from dashboard.cli.common import DbOption, command_console, fail, table_of
from dashboard.cli.team import TeamOption, team_db
from dashboard.present.explain import explain as explain_finding
from dashboard.present.terminal_text import shown
from ingest import api

console = command_console()


def audit(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    since: str | None = typer.Option(None, "--since", help="First UTC date, YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Last UTC date, YYYY-MM-DD."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Recompute every session's facts from the stored events."),
    db: Path | None = DbOption,
    features: Path | None = typer.Option(
        None, "--features", help="Feature rules (default: $DASHCAM_FEATURES, else features.toml next to the database)."
    ),
    team: bool = TeamOption,
    explain: str | None = typer.Option(
        None,
        "--explain",
        metavar="ID",
        help="Show one finding (id or unique prefix): the rules that fired and the evidence.",
    ),
) -> None:
    """Timeout spirals, exotic explanations and the 80% cliff found in the ingested sessions."""
    if ctx is not None and ctx.invoked_subcommand:
        return  # `dashcam audit mark …` / `labels …`: the sub-command does the work
    db = team_db(db, team)
    for label, value in (("--since", since), ("--until", until)):
        if value is not None and not _is_date(value):
            fail(f"{label} takes a date as YYYY-MM-DD, not {value!r}")
    try:
        rules = api.load_feature_rules(api.features_file(features, api.resolve_db_path(db)))
        findings = collect_findings(db, rules, rebuild, since=since, until=until)
    except (api.StoreError, api.FeaturesFileError) as error:
        fail(str(error))
    if explain is not None:
        document = explain_finding(findings, explain, api.rule_catalog())
        if document is None:
            fail(f"no finding has the id {explain!r} (ids: finding_id in `dashcam audit --json`)")
        if as_json:
            print(json.dumps(document, indent=2, default=str))
        else:
            print_explanation(document)
        return
    if as_json:
        print(json.dumps(findings, indent=2, default=str))
        return
    print_findings(findings)


def collect_findings(db: Path | None, rules, rebuild: bool, since: str | None = None, until: str | None = None) -> dict:
    """Spirals, explanations and features as plain data (the ``--json`` document), after
    bringing the facts up to date (the only write, and only when needed)."""
    from dashboard.present.findings import read_findings  # pandas: loaded by the command that reads findings

    api.ensure_current_facts(db, rules, rebuild=rebuild)
    with api.open_store(db, read_only=True) as store, store.cursor() as con:
        return read_findings(con, since, until)


# ---------------------------------------------------------------------------- terminal


def print_findings(findings: dict) -> None:
    _print_spirals(findings["spirals"])
    _print_explanations(findings["explanations"])
    _print_features(findings["features"])


def print_explanation(document: dict) -> None:
    console.print(f"[bold]{document['kind']} {shown(document['finding_id'])}[/]: {shown(document['summary'])}")
    who = " ".join(str(part) for part in (document["agent"], document["session_id"]) if part)
    if who or document["where"]:
        console.print(shown(f"{who}  {document['where']}".strip()))
    if document["rules"]:
        table = table_of(title="Rules that fired")
        table.add_column("Rule", overflow="fold")
        table.add_column("Kind / category", overflow="fold")
        table.add_column("Why", overflow="fold")
        for rule in document["rules"]:
            table.add_row(
                shown(rule["id"]), shown(f"{rule['kind']} / {rule['category']}"), shown(rule["note"] or rule["pattern"])
            )
        console.print(table)
    else:
        console.print("No catalogued rule is recorded for this finding.")
    if document["construct"]:
        console.print(f"Wait construct: {shown(document['construct'])}")
    if document["cues"]:
        console.print("Cues: " + shown("; ".join(str(cue) for cue in document["cues"])))
    for piece in document["evidence"]:
        console.print(f"[bold]{shown(piece['label'])}[/]: {shown(_shorten(piece['text'], 600))}")


def _print_spirals(spirals: list[dict]) -> None:
    if not spirals:
        console.print("No timeout spirals.")
        return
    table = table_of(title=f"Timeout spirals ({len(spirals)})")
    table.add_column("Start", no_wrap=True)
    table.add_column("Who", no_wrap=True)
    table.add_column("Site", overflow="fold")
    table.add_column("Values (s)", overflow="fold")
    table.add_column("Ratio", justify="right", no_wrap=True)
    table.add_column("Outcome", no_wrap=True)
    for spiral in spirals:
        table.add_row(
            shown(spiral["start"][:10]),
            shown(f"{spiral['user'] or ''}\n{spiral['agent']} {spiral['session_id'][:8]}"),
            shown(_shorten(spiral["site"], 70)),
            " → ".join(_seconds(v) for v in spiral["values_s"]),
            f"{spiral['ratio']:.0f}×",
            shown(spiral["outcome"].replace("_", " ")),
        )
    console.print(table)


def _print_explanations(explanations: list[dict]) -> None:
    counts = {
        verdict: sum(1 for e in explanations if e["verdict"] == verdict) for verdict in ("exotic", "legit", "mundane")
    }
    exotic = [e for e in explanations if e["verdict"] == "exotic"]
    summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    if not exotic:
        console.print(f"No exotic explanations ({summary}).")
        return
    table = table_of(title=f"Exotic explanations after failures ({summary})")
    table.add_column("When", no_wrap=True)
    table.add_column("Who", no_wrap=True)
    table.add_column("Blames", no_wrap=True)
    table.add_column("Sentence", overflow="fold")
    for item in exotic:
        refuted = "\n[yellow]refuted[/]" if item["refuted"] else ""
        table.add_row(
            shown(item["timestamp"][:10]),
            shown(f"{item['user'] or ''}\n{item['agent']} {item['session_id'][:8]}"),
            f"{shown(item['category'] or '')}{refuted}",
            shown(_shorten(item["text"], 200)),
        )
    console.print(table)


def _print_features(features: list[dict]) -> None:
    if not features:
        console.print("No features (sessions on feature branches).")
        return
    table = table_of(title="Features and the 80% cliff")
    table.add_column("Feature", overflow="fold")
    table.add_column("Sessions", justify="right", no_wrap=True)
    table.add_column("T80", no_wrap=True)
    table.add_column("Hours\nbefore/after", justify="right", no_wrap=True)
    table.add_column("Fixes\nall/past", justify="right", no_wrap=True)
    table.add_column("Cliff", no_wrap=True)
    for feature in features:
        table.add_row(
            shown(feature["feature"]),
            str(len(feature["sessions"])),
            shown((feature["t80"] or "")[:10]),
            f"{_hours(feature['seconds_before_80'])} / {_hours(feature['seconds_after_80'])}",
            f"{feature['patches_total']} / {feature['patches_after_80']}",
            "[bold red]cliff[/]" if feature["cliff"] else "",
        )
    console.print(table)


def _seconds(value: float) -> str:
    return f"{value:g}"


def _hours(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.1f}"


def _shorten(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
