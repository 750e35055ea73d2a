"""Score the audits against the labelled real transcripts (tests/truth/real_labels.jsonl).

The labels were written by reading the transcripts in ../shared/real_sessions, before any
detector output on them was read, so they measure the detectors instead of echoing them.
This module ingests those transcripts with the real `dashcam ingest` into a temporary
DuckDB, runs `dashcam audit --json`, matches the findings to the labels by file and
sentence (nearest line when a sentence repeats), and reports per agent format:

- exotic precision / recall / F1 (a flagged sentence that matches no label, inside the
  labelled coverage, counts against precision: every causal claim after a failure is labelled);
- legit diagnoses flagged exotic, and non-claims given any verdict;
- spiral recall and false spirals (the labelled wait raises say which raises form a spiral);
- labelled wait raises the detector records as a raise;
- user-report precision and recall (every failure a person reported is labelled; any other
  detected report is a prompt template, spec or instruction).

Run: python -m tests.truth.score [--split dev|test|all] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LABELS = HERE / "real_labels.jsonl"
SPLIT = HERE / "real_split.toml"
FORMATS = ("claude", "codex", "gemini", "aider")


def shared_sessions() -> Path:
    """The real corpus: $DASHCAM_SHARED/real_sessions, else ../shared/real_sessions beside the worktree."""
    base = Path(os.environ.get("DASHCAM_SHARED", REPO.parent / "shared"))
    return base / "real_sessions"


def load_labels() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_split() -> dict:
    return tomllib.loads(SPLIT.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _rel(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def run_audit(root: Path, workdir: Path) -> tuple[dict, Path]:
    """Ingest every real transcript under root into workdir/real.duckdb; returns (audit json, db path)."""
    from typer.testing import CliRunner

    from dashboard.cli import app

    db = workdir / "real.duckdb"
    runner = CliRunner()
    for args in (["ingest", str(root), "--db", str(db), "--user", "real"], ["audit", "--json", "--db", str(db)]):
        result = runner.invoke(app, args, catch_exceptions=False)
        if result.exit_code != 0:
            raise RuntimeError(f"dashcam {' '.join(args[:1])} failed: {result.output[-2000:]}")
    return json.loads(result.output), db


def _db_rows(db: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _position(label: dict) -> int | None:
    return label.get("line", label.get("message_index"))


def _match(item_text: str, item_line: int | None, candidates: list[dict]) -> dict | None:
    """The label whose sentence overlaps the finding's text; the nearest by line when several do."""
    said = _norm(item_text)
    hits = [c for c in candidates if _norm(c["text"]) in said or (said and said in _norm(c["text"]))]
    if not hits:
        return None
    if item_line is None:
        return hits[0]
    return min(hits, key=lambda c: abs((_position(c) or 0) - item_line))


def _covered(file: str, line: int | None, coverage: dict) -> bool:
    span = coverage.get(file)
    if not span or line is None:
        return True
    return span[0] <= line <= span[1]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def score(audit: dict, db: Path, root: Path, split: str = "test") -> dict:
    """Figures per agent format for one split ('dev', 'test' or 'all')."""
    parts = load_split()
    files = set(parts["dev"]["files"]) | set(parts["test"]["files"]) if split == "all" else set(parts[split]["files"])
    coverage = parts.get("coverage", {})
    labels = [lab for lab in load_labels() if lab["file"] in files]
    by_file: dict[str, list[dict]] = defaultdict(list)
    for lab in labels:
        by_file[lab["file"]].append(lab)
    fmt_of = {f: f.split("/")[0] for f in files}
    agent_of = {"claude_code": "claude", "codex": "codex", "gemini_cli": "gemini", "aider": "aider"}

    out: dict[str, dict] = {a: defaultdict(list) for a in FORMATS}
    for item in audit.get("explanations", []):
        file = _rel(item.get("source_path") or "", root)
        if file not in files or not _covered(file, item.get("line_no"), coverage):
            continue
        agent = agent_of[fmt_of[file]]
        claims = [c for c in by_file[file] if c["kind"] in ("claim", "non_claim")]
        lab = _match(item["text"], item.get("line_no"), claims)
        rec = {
            "file": file,
            "line": item.get("line_no"),
            "text": item["text"],
            "verdict": item["verdict"],
            "label": lab and lab["verdict"],
            "kind": lab and lab["kind"],
        }
        if lab:
            lab.setdefault("_found", []).append(item["verdict"])
        if item["verdict"] == "exotic":
            out[agent]["flagged"].append(rec)
        if lab and lab["kind"] == "non_claim":
            out[agent]["non_claims_with_verdict"].append(rec)

    figures: dict[str, dict] = {}
    sid_file = {sid: _rel(p or "", root) for sid, p in _db_rows(db, "select session_id, source_path from sessions")}
    reports = _db_rows(db, "select source_path, line_no, text from fact_user_reports")
    raises = {
        (_rel(p or "", root), ln)
        for p, ln in _db_rows(db, "select source_path, line_no from audit_wait_steps where is_raise")
    }
    for agent in FORMATS:
        mine = [lab for lab in labels if lab["agent"] == agent]
        exotic = [lab for lab in mine if lab["kind"] == "claim" and lab["verdict"] == "exotic"]
        flagged = out[agent]["flagged"]
        tp = [r for r in flagged if r["label"] == "exotic"]
        fp = [r for r in flagged if r["label"] != "exotic"]
        fn = [lab for lab in exotic if "exotic" not in lab.get("_found", [])]
        p, r = _ratio(len(tp), len(tp) + len(fp)), _ratio(len(exotic) - len(fn), len(exotic))
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        spirals_true = [lab for lab in mine if lab["kind"] == "wait_raise" and lab["verdict"] == "spiral_step"]
        found_spirals = [
            s
            for s in audit.get("spirals", [])
            if sid_file.get(s["session_id"]) in files and agent_of[fmt_of[sid_file[s["session_id"]]]] == agent
        ]
        true_files = {lab["file"] for lab in spirals_true}
        false_spirals = [s for s in found_spirals if sid_file[s["session_id"]] not in true_files]
        raise_labels = [lab for lab in mine if lab["kind"] == "wait_raise"]
        raises_seen = [lab for lab in raise_labels if (lab["file"], lab.get("line")) in raises]
        user_labels = [lab for lab in mine if lab["kind"] == "user_message"]
        my_reports = [
            (rel, ln, t)
            for rel, ln, t in ((_rel(p or "", root), ln, t) for p, ln, t in reports)
            if rel in files and agent_of[fmt_of[rel]] == agent and _covered(rel, ln, coverage)
        ]
        report_hits, report_matched = [], set()
        for rel, ln, text in my_reports:
            cands = [u for u in user_labels if u["file"] == rel]
            near = [u for u in cands if _position(u) == ln] or ([m] if (m := _match(text or "", ln, cands)) else [])
            ok = bool(near) and near[0]["verdict"] == "report"
            report_hits.append({"file": rel, "line": ln, "text": (text or "")[:160], "is_report": ok})
            if ok:
                report_matched.add((near[0]["file"], _position(near[0])))
        true_reports = [u for u in user_labels if u["verdict"] == "report"]
        figures[agent] = {
            "exotic_labelled": len(exotic),
            "exotic_flagged": len(flagged),
            "exotic_tp": len(tp),
            "exotic_precision": p,
            "exotic_recall": r,
            "exotic_f1": f1,
            "exotic_missed": [f"{lab['file']}:{_position(lab)} {lab['text'][:90]}" for lab in fn],
            "exotic_wrong": [f"{x['file']}:{x['line']} [{x['label'] or 'unlabelled'}] {x['text'][:90]}" for x in fp],
            "legit_labelled": sum(1 for lab in mine if lab["kind"] == "claim" and lab["verdict"] == "legit"),
            "legit_flagged": sum(1 for x in flagged if x["label"] == "legit"),
            "non_claims_labelled": sum(1 for lab in mine if lab["kind"] == "non_claim"),
            "non_claims_with_verdict": len(out[agent]["non_claims_with_verdict"]),
            "spirals_labelled": len(true_files),
            "spiral_recall": _ratio(
                len(true_files & {sid_file[s["session_id"]] for s in found_spirals}), len(true_files)
            ),
            "false_spirals": len(false_spirals),
            "false_spiral_sites": [f"{sid_file[s['session_id']]}: {s.get('site')}" for s in false_spirals],
            "wait_raises_labelled": len(raise_labels),
            "wait_raises_seen": len(raises_seen),
            "user_reports_detected": len(report_hits),
            "user_reports_right": sum(h["is_report"] for h in report_hits),
            "user_report_precision": _ratio(sum(h["is_report"] for h in report_hits), len(report_hits)),
            "user_report_recall": _ratio(len(report_matched), len(true_reports)),
            "user_reports_labelled": len(true_reports),
            "user_reports_found": len(report_matched),
            "user_reports_wrong": [
                f"{h['file']}:{h['line']} {h['text'][:90]}" for h in report_hits if not h["is_report"]
            ],
        }
    figures["all"] = _pool(figures)
    return figures


def _pool(figures: dict) -> dict:
    """Totals over the agent formats (precision and recall recomputed from the pooled counts)."""
    tot = {
        k: sum(figures[a][k] for a in FORMATS)
        for k in (
            "exotic_labelled",
            "exotic_flagged",
            "legit_labelled",
            "legit_flagged",
            "non_claims_labelled",
            "non_claims_with_verdict",
            "spirals_labelled",
            "false_spirals",
            "wait_raises_labelled",
            "wait_raises_seen",
            "user_reports_detected",
            "user_reports_right",
            "exotic_tp",
            "user_reports_labelled",
            "user_reports_found",
        )
    }
    tp = tot["exotic_tp"]
    found = sum(figures[a]["exotic_labelled"] - len(figures[a]["exotic_missed"]) for a in FORMATS)
    p, r = _ratio(tp, tot["exotic_flagged"]), _ratio(found, tot["exotic_labelled"])
    tot["exotic_precision"], tot["exotic_recall"] = p, r
    tot["exotic_f1"] = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    tot["user_report_precision"] = _ratio(tot["user_reports_right"], tot["user_reports_detected"])
    tot["user_report_recall"] = _ratio(tot["user_reports_found"], tot["user_reports_labelled"])
    tot["spiral_recall"] = (
        None
        if not tot["spirals_labelled"]
        else sum((figures[a]["spiral_recall"] or 0) * figures[a]["spirals_labelled"] for a in FORMATS)
        / tot["spirals_labelled"]
    )
    return tot


def _fmt(x) -> str:
    return "n/a" if x is None else (f"{x:.2f}" if isinstance(x, float) else str(x))


def table(figures: dict) -> str:
    """A plain-text table of the headline figures, one row per agent format."""
    cols = [
        ("exotic P", "exotic_precision"),
        ("R", "exotic_recall"),
        ("F1", "exotic_f1"),
        ("exotic n", "exotic_labelled"),
        ("flagged", "exotic_flagged"),
        ("legit flagged", "legit_flagged"),
        ("non-claims w/ verdict", "non_claims_with_verdict"),
        ("spiral R", "spiral_recall"),
        ("false spirals", "false_spirals"),
        ("raises seen", "wait_raises_seen"),
        ("user-report P", "user_report_precision"),
    ]
    lines = ["format  " + " | ".join(c for c, _ in cols)]
    for agent in (*FORMATS, "all"):
        f = figures[agent]
        cells = [_fmt(f[k]) for _, k in cols]
        cells[9] = f"{f['wait_raises_seen']}/{f['wait_raises_labelled']}"
        lines.append(f"{agent:7} " + " | ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--json", action="store_true", help="print every figure and the lists of misses as JSON")
    args = ap.parse_args(argv)
    root = shared_sessions()
    if not root.is_dir():
        print(f"no real corpus at {root}: set DASHCAM_SHARED to the folder holding real_sessions/", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        audit, db = run_audit(root, Path(tmp))
        figures = score(audit, db, root, args.split)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        print(f"split: {args.split}")
        print(table(figures))
        for agent in FORMATS:
            for key in ("exotic_missed", "exotic_wrong", "false_spiral_sites", "user_reports_wrong"):
                for line in figures[agent][key]:
                    print(f"  {agent} {key}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
