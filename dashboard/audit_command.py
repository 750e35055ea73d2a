"""``dashcam audit``: timeout spirals, exotic explanations and the 80% cliff, on the terminal.

The findings come from the named queries ``queries/audit_*.sql`` over the fact tables. The
database is opened read-only unless facts must be computed first (sessions ingested since
the last refresh, a new extractor version, ``--rebuild``): only then is it opened for
writing, briefly, to refresh the facts.

Features can be named in a ``features.toml`` (``--features FILE``, else ``$DASHCAM_FEATURES``,
else ``features.toml`` next to the database)::

    [[feature]]
    name = "Leader election"
    branches = ["feature/leader-*", "fix/lease-*"]   # fnmatch patterns, any of them
    sessions = ["0f5e9474-*"]                        # session ids
    titles = ["*leader election*"]                   # session titles
    repository = "pgoperator"                        # optional: only in this repository

    [[feature]]
    ignore = true                                    # these sessions are no feature
    branches = ["spike/*"]

The first matching rule wins and overrides the automatic grouping (repository and branch).
The rules read are stored with the findings (the dashboard groups features alike); without a
file, sessions are grouped automatically again.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

import duckdb
import pandas as pd
import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

import queries
from dashboard.cli_support import DbOption, fail
from dashboard.terminal_text import shown
from ingest.facts.refresh import EXTRACTOR_VERSION, refresh_facts, store_feature_rules
from ingest.migrations import available_migrations, schema_version
from ingest.store import StoreError, open_store, resolve_db_path

FEATURES_ENV = "DASHCAM_FEATURES"
FEATURES_FILE = "features.toml"
RULE_FIELDS = {"branch": "branch", "branches": "branch", "session": "session", "sessions": "session",
               "title": "title", "titles": "title"}
RULE_SCHEMA = pa.schema([("position", pa.int32()), ("name", pa.string()), ("field", pa.string()),
                         ("pattern", pa.string()), ("repository", pa.string()), ("ignore", pa.bool_())])

console = Console()


class FeaturesFileError(ValueError):
    """features.toml cannot be read or says something the audit does not understand."""


def audit(
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    since: Optional[str] = typer.Option(None, "--since", help="First UTC date, YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, "--until", help="Last UTC date, YYYY-MM-DD."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Recompute every session's facts from the stored events."),
    db: Optional[Path] = DbOption,
    features: Optional[Path] = typer.Option(
        None, "--features",
        help="Feature rules (default: $DASHCAM_FEATURES, else features.toml next to the database)."),
) -> None:
    """Timeout spirals, exotic explanations and the 80% cliff found in the ingested sessions."""
    for label, value in (("--since", since), ("--until", until)):
        if value is not None and not _is_date(value):
            fail(f"{label} takes a date as YYYY-MM-DD, not {value!r}")
    try:
        rules = load_feature_rules(features_file(features, resolve_db_path(db)))
        findings = collect_findings(db, rules, rebuild, since=since, until=until)
    except (StoreError, FeaturesFileError) as error:
        fail(str(error))
    if as_json:
        print(json.dumps(findings, indent=2, default=str))
        return
    print_findings(findings)


def features_file(explicit: Path | None, db_path: Path) -> Path | None:
    """The features.toml to read: the option, else ``$DASHCAM_FEATURES``, else beside the database."""
    if explicit is not None:
        if not explicit.is_file():
            raise FeaturesFileError(f"no features file at {explicit}")
        return explicit
    from_env = os.environ.get(FEATURES_ENV)
    if from_env:
        path = Path(from_env).expanduser()
        if not path.is_file():
            raise FeaturesFileError(f"${FEATURES_ENV} names {path}, which does not exist")
        return path
    beside = db_path.parent / FEATURES_FILE
    return beside if beside.is_file() else None


def load_feature_rules(path: Path | None) -> pa.Table:
    """The rules of a features.toml as rows of the ``feature_rules`` table (none without a file)."""
    if path is None:
        return RULE_SCHEMA.empty_table()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FeaturesFileError(f"cannot read {path}: {error}") from error
    entries = document.get("feature", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise FeaturesFileError(f"{path}: write each feature as a [[feature]] table")
    rows = [row for position, entry in enumerate(entries) for row in _rule_rows(path, position, entry)]
    return pa.Table.from_pylist(rows, schema=RULE_SCHEMA)


def _rule_rows(path: Path, position: int, entry: dict) -> list[dict]:
    ignore = entry.get("ignore", False) is True
    name = entry.get("name")
    if not ignore and not (isinstance(name, str) and name.strip()):
        raise FeaturesFileError(f"{path}: feature #{position + 1} needs a name (or ignore = true)")
    repository = entry.get("repository")
    rows = []
    for key, field in RULE_FIELDS.items():
        patterns = entry.get(key, [])
        patterns = [patterns] if isinstance(patterns, str) else patterns
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise FeaturesFileError(f"{path}: {key} of feature #{position + 1} must be a pattern or a list of them")
        rows += [{"position": position, "name": None if ignore else name, "field": field, "pattern": pattern,
                  "repository": repository if isinstance(repository, str) else None, "ignore": ignore}
                 for pattern in patterns]
    if not rows:
        if isinstance(repository, str):
            return [{"position": position, "name": None if ignore else name, "field": "repository",
                     "pattern": repository, "repository": None, "ignore": ignore}]
        raise FeaturesFileError(f"{path}: feature #{position + 1} matches nothing: give branches, sessions or titles")
    return rows


# ---------------------------------------------------------------------------- findings


def collect_findings(db: Path | None, rules: pa.Table, rebuild: bool,
                     since: str | None = None, until: str | None = None) -> dict:
    """Spirals, explanations and features as plain data (the ``--json`` document).

    The database is written only when it must be: to compute missing or outdated facts, to
    apply feature rules that differ from the stored ones, or with ``rebuild``.
    """
    facts_stale, rules_changed = pending_work(db, rules)
    if rebuild or facts_stale or rules_changed:
        with open_store(db) as con:
            if rules_changed:
                store_feature_rules(con, rules)
            refresh_facts(con, rebuild=rebuild)
    with open_store(db, read_only=True) as store, store.cursor() as con:
        return {
            "spirals": [_spiral(row) for row in _rows(con, "audit_spirals", since, until)],
            "explanations": [_explanation(row) for row in _rows(con, "audit_explanations", since, until)],
            "features": [_feature(row) for row in _rows(con, "audit_features", since, until)],
        }


def pending_work(db: Path | None, rules: pa.Table) -> tuple[bool, bool]:
    """(facts must be refreshed, the feature rules differ from the stored ones)."""
    with open_store(db, read_only=True) as con:
        if schema_version(con) < available_migrations()[-1].version:
            return True, rules.num_rows > 0
        stale = queries.execute(con, "facts_stale_sessions", extractor_version=EXTRACTOR_VERSION,
                                rebuild=False).fetchall()
        orphans = queries.execute(con, "facts_orphan_sessions").fetchall()
        stored = queries.run(con, "feature_rules_list")
    return bool(stale or orphans), _rule_rows_of(stored.to_dict("records")) != _rule_rows_of(rules.to_pylist())


def needs_refresh(db: Path | None) -> bool:
    """True when some session has no current facts (or the schema is behind)."""
    return pending_work(db, load_feature_rules(None))[0]


def _rule_rows_of(rows: list[dict]) -> list[tuple]:
    return sorted((tuple(_plain_scalar(row[key]) for key in RULE_SCHEMA.names) for row in rows), key=repr)


def _plain_scalar(value: Any) -> Any:
    """A Python value for a pandas/numpy cell: NaN becomes None, numpy numbers plain numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _rows(con: duckdb.DuckDBPyConnection, name: str, since: str | None, until: str | None) -> list[dict]:
    frame = queries.run(con, name, since=since, until=until)
    return [{key: _plain(value) for key, value in record.items()} for record in frame.to_dict("records")]


def _spiral(row: dict) -> dict:
    return {
        "session_id": row["session_id"], "agent": row["agent"], "site": row["site"], "values_s": row["values_s"],
        "escalations": row["escalations"], "ratio": row["ratio"], "outcome": row["outcome"],
        "start": row["start_ts"], "end": row["end_ts"],
        "spiral_id": row["spiral_id"], "user": row["user_name"], "project": row["project"],
        "construct": row["construct"], "source": row["source"], "file_path": row["file_path"],
        "steps": row["steps"], "wait_added_s": row["wait_added_s"], "wasted_s": row["wasted_s"],
        "resolved": row["resolved_ts"], "verification": row["verification_signature"],
        "prose_mentions": row["prose_mentions"],
    }


def _explanation(row: dict) -> dict:
    return {
        "session_id": row["session_id"], "message_id": row["message_id"], "timestamp": row["ts"],
        "text": row["text"], "verdict": row["verdict"], "category": row["category"], "score": row["score"],
        "agent": row["agent"], "user": row["user_name"], "refuted": row["refuted"],
        "cues": json.loads(row["cues"]) if row["cues"] else [],
        "source_path": row["source_path"], "line_no": row["line_no"],
    }


def _feature(row: dict) -> dict:
    return {
        "feature": row["feature"], "sessions": row["sessions"], "t80": row["t80"],
        "patches_total": row["patches_total"], "patches_after_80": row["patches_after_80"], "cliff": row["cliff"],
        "repository": row["repository"], "branch": row["git_branch"], "agents": row["agents"], "users": row["users"],
        "by_rule": row["by_rule"], "started": row["started_at"], "last_edit": row["last_edit_ts"],
        "seconds_before_80": row["seconds_before_80"], "seconds_after_80": row["seconds_after_80"],
        "local_share": row["local_share"], "regressions": row["regressions"],
    }


def _plain(value: Any) -> Any:
    """A JSON-ready value: ISO timestamps in UTC with a Z, lists for arrays, None for NaN."""
    if value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# ---------------------------------------------------------------------------- terminal


def print_findings(findings: dict) -> None:
    _print_spirals(findings["spirals"])
    _print_explanations(findings["explanations"])
    _print_features(findings["features"])


def _print_spirals(spirals: list[dict]) -> None:
    if not spirals:
        console.print("No timeout spirals.")
        return
    table = Table(title=f"Timeout spirals ({len(spirals)})")
    table.add_column("Start", no_wrap=True)
    table.add_column("Who", no_wrap=True)
    table.add_column("Site", overflow="fold")
    table.add_column("Values (s)", overflow="fold")
    table.add_column("Ratio", justify="right", no_wrap=True)
    table.add_column("Outcome", no_wrap=True)
    for spiral in spirals:
        table.add_row(shown(spiral["start"][:10]),
                      shown(f"{spiral['user'] or ''}\n{spiral['agent']} {spiral['session_id'][:8]}"),
                      shown(_shorten(spiral["site"], 70)), " → ".join(_seconds(v) for v in spiral["values_s"]),
                      f"{spiral['ratio']:.0f}×", shown(spiral["outcome"].replace("_", " ")))
    console.print(table)


def _print_explanations(explanations: list[dict]) -> None:
    counts = {verdict: sum(1 for e in explanations if e["verdict"] == verdict)
              for verdict in ("exotic", "legit", "mundane")}
    exotic = [e for e in explanations if e["verdict"] == "exotic"]
    summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    if not exotic:
        console.print(f"No exotic explanations ({summary}).")
        return
    table = Table(title=f"Exotic explanations after failures ({summary})")
    table.add_column("When", no_wrap=True)
    table.add_column("Who", no_wrap=True)
    table.add_column("Blames", no_wrap=True)
    table.add_column("Sentence", overflow="fold")
    for item in exotic:
        refuted = "\n[yellow]refuted[/]" if item["refuted"] else ""
        table.add_row(shown(item["timestamp"][:10]),
                      shown(f"{item['user'] or ''}\n{item['agent']} {item['session_id'][:8]}"),
                      f"{shown(item['category'] or '')}{refuted}", shown(_shorten(item["text"], 200)))
    console.print(table)


def _print_features(features: list[dict]) -> None:
    if not features:
        console.print("No features (sessions on feature branches).")
        return
    table = Table(title="Features and the 80% cliff")
    table.add_column("Feature", overflow="fold")
    table.add_column("Sessions", justify="right", no_wrap=True)
    table.add_column("T80", no_wrap=True)
    table.add_column("Hours\nbefore/after", justify="right", no_wrap=True)
    table.add_column("Fixes\nall/past", justify="right", no_wrap=True)
    table.add_column("Cliff", no_wrap=True)
    for feature in features:
        table.add_row(shown(feature["feature"]), str(len(feature["sessions"])), shown((feature["t80"] or "")[:10]),
                      f"{_hours(feature['seconds_before_80'])} / {_hours(feature['seconds_after_80'])}",
                      f"{feature['patches_total']} / {feature['patches_after_80']}",
                      "[bold red]cliff[/]" if feature["cliff"] else "")
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


