"""``dashcam audit mark`` and ``dashcam audit labels``: a person corrects a finding, and the
corrections leave as labelled data.

``audit`` stays the command it was (``dashcam audit --json`` …) and becomes a group for these
two: its options keep working when no sub-command is given. The write itself is
:func:`ingest.marks.mark_finding`, one statement in its own short write.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer

import queries
from dashboard.cli.audit import audit
from dashboard.cli.common import DbOption, default_user, fail
from ingest.api import MARKS, MarkError, StoreError, mark_finding, open_store

LABEL_COLUMNS = (
    "finding_id",
    "kind",
    "agent",
    "session_id",
    "feature",
    "text",
    "verdict",
    "mark",
    "note",
    "rules",
    "marked_by",
    "marked_at",
)

audit_app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    invoke_without_command=True,
    help="Timeout spirals, exotic explanations and the 80% cliff; marks on them.",
)
audit_app.callback(invoke_without_command=True)(audit)


@audit_app.command("mark")
def mark(
    finding_id: str = typer.Argument(..., help="The finding's id (finding_id in `dashcam audit --json`)."),
    verdict: str = typer.Argument(..., help="right or wrong: was the audit right about this finding?"),
    note: str | None = typer.Option(None, "--note", help="Why, in a few words."),
    user: str | None = typer.Option(None, "--user", help="Who marks (default: the OS user)."),
    db: Path | None = DbOption,
) -> None:
    """Mark a finding right or wrong; the mark survives rebuilds, re-ingests and bundles."""
    if verdict not in MARKS:
        fail(f"say right or wrong, not {verdict!r}")
    try:
        result = mark_finding(db, finding_id, verdict, note, user or default_user())
    except (MarkError, StoreError) as error:
        fail(str(error))
    print(f"Marked {result.kind} {result.finding_id} {result.mark} ({result.verdict}): {(result.text or '')[:100]}")


@audit_app.command("labels")
def labels(
    out: Path = typer.Option(..., "--out", help="File to write: .csv, or .jsonl for one JSON object per line."),
    db: Path | None = DbOption,
) -> None:
    """Export the marks as labelled data (session, text, verdict, mark, note)."""
    if out.suffix.lower() not in (".csv", ".jsonl"):
        fail(f"--out takes a .csv or .jsonl file, not {out.name}")
    try:
        with open_store(db, read_only=True) as con:
            frame = queries.run(con, "audit_labels")
    except StoreError as error:
        fail(str(error))
    except Exception as error:  # a database older than the marks: nothing marked yet
        if "audit_marks" not in str(error):
            raise
        fail("this database holds no marks yet: mark a finding with `dashcam audit mark ID right|wrong`")
    from dashboard.present.findings import plain as _plain  # pandas: loaded by the export only

    rows = [{key: _plain(record[key]) for key in LABEL_COLUMNS} for record in frame.to_dict("records")]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        if out.suffix.lower() == ".jsonl":
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(handle, fieldnames=LABEL_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    print(f"Wrote {len(rows)} marks to {out}")
