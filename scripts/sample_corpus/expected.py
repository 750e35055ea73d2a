"""EXPECTED.json: the ground truth of what the corpus plants, derived from the ledger.

Also checks, while building it, that the planted patterns meet the definitions they are
meant to illustrate (a spiral raises >= 3 times after failed runs with final/initial >= 4;
the cliff feature has >= 12 small patches after its 80% mark and at least twice as much
time after that mark as before it), so a change to a scenario that breaks a pattern fails
the build instead of silently shipping a wrong ground truth.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

from .common import iso_ms
from .ledger import Ledger, SessionRecord

FIRST_DAY, LAST_DAY = "2026-10-05", "2026-11-22"
CLIFF_FEATURES = {("pgoperator", "feature/backup-restore")}
SMALL_PATCH_LINES = 30


def week(when: datetime) -> str:
    year, number, _ = when.isocalendar()
    return f"{year}-W{number:02d}"


def hours(delta) -> float:
    return round(delta.total_seconds() / 3600, 2)


def session_entry(record: SessionRecord) -> dict:
    s = record.session
    entry = {
        "session_id": s.session_id,
        "agent": s.agent,
        "user": s.user,
        "file": s.rel_path,
        "repo": s.repo,
        "branch": s.branch if s.agent in ("claude", "codex") else None,
        "start": iso_ms(s.start),
        "end": iso_ms(s.end),
        "iso_week": week(s.start),
        "models": record.models,
        "scenario": s.label,
    }
    if s.resume_of is not None:
        entry["resumed_from_session_id"] = s.resume_of.session_id
    if record.subagent_files:
        entry["subagent_files"] = record.subagent_files
    return entry


def spirals(ledger: Ledger) -> list[dict]:
    out = []
    for record in ledger.sessions:
        s = record.session
        spec = s.options.get("spiral")
        if not spec:
            continue
        values = spec["values_s"]
        runs = ledger.runs[s.session_id]
        raises = [i for i in range(1, len(values)) if values[i] > values[i - 1]]
        failed_before = all(runs[i - 1][2] != 0 for i in raises)
        if len(raises) < 3 or values[-1] / values[0] < 4 or not failed_before:
            raise ValueError(f"{s.label}: not a spiral by construction ({values})")
        out.append(
            {
                "session_id": s.session_id,
                "agent": s.agent,
                "user": s.user,
                "file": s.rel_path,
                "repo": s.repo,
                "branch": s.branch,
                "site": spec["site"],
                "file_in_repo": spec["file_in_repo"],
                "values_s": values,
                "raises": len(raises),
                "final_over_initial": round(values[-1] / values[0], 2),
                "outcome": spec["outcome"],
                "verification_command": spec["verification"],
                "verification_runs": [
                    {"ts": iso_ms(ts), "wait_s": values[min(i, len(values) - 1)], "exit_code": code}
                    for i, (ts, _, code) in enumerate(runs)
                ],
            }
        )
    return out


def explanations(ledger: Ledger, sessions_by_id: dict) -> tuple[list[dict], list[dict]]:
    exotic, other = [], []
    for text in ledger.texts:
        base = {
            "session_id": text.session_id,
            "agent": text.agent,
            "user": text.user,
            "file": sessions_by_id[text.session_id].rel_path,
            "ts": iso_ms(text.ts),
            "text": text.text,
            "previous_command": text.after_command,
            "previous_exit_code": text.after_exit_code,
        }
        if text.tag["kind"] == "exotic":
            exotic.append({**base, "category": text.tag["category"]})
        else:
            other.append({**base, "verdict": text.tag["verdict"]})
    return exotic, other


def features(ledger: Ledger) -> list[dict]:
    keys = sorted(
        {
            (r.session.repo, r.session.branch)
            for r in ledger.sessions
            if r.session.branch not in ("main", "") and r.session.agent in ("claude", "codex")
        }
    )
    out = []
    for repo, branch in keys:
        records = [r.session for r in ledger.sessions if (r.session.repo, r.session.branch) == (repo, branch)]
        edits = sorted((e for e in ledger.edits if (e.repo, e.branch) == (repo, branch)), key=lambda e: e.ts)
        total = sum(e.added for e in edits)
        running, mark = 0, None
        for edit in edits:
            running += edit.added
            if mark is None and running >= 0.8 * total:
                mark = edit.ts
        first = min(s.start for s in records)
        last = edits[-1].ts
        after = [e for e in edits if e.ts > mark]
        small_after_failure = [
            e for e in after if e.after_failed_test and len(e.files) <= 2 and e.added + e.removed <= SMALL_PATCH_LINES
        ]
        before_h, after_h = hours(mark - first), hours(last - mark)
        attempts = fix_attempts(ledger, edits)
        entry = {
            "feature": f"{repo}@{branch}",
            "repo": repo,
            "branch": branch,
            "sessions": [s.session_id for s in sorted(records, key=lambda s: s.start)],
            "users": sorted({s.user for s in records}),
            "agents": sorted({s.agent for s in records}),
            "cliff": (repo, branch) in CLIFF_FEATURES,
            "patches_total": len(edits),
            "patches_after_80": len(after),
            "fix_attempts_total": len(attempts),
            "fix_attempts_after_80": len({a for a, ts in attempts.items() if ts > mark}),
            "small_patches_after_80_after_failed_test": len(small_after_failure),
            "lines_added_total": total,
            "first_session_start": iso_ms(first),
            "mark_80_ts": iso_ms(mark),
            "last_edit_ts": iso_ms(last),
            "hours_before_80": before_h,
            "hours_after_80": after_h,
            "after_over_before": round(after_h / before_h, 2) if before_h else None,
            "patches": [
                {
                    "session_id": e.session_id,
                    "ts": iso_ms(e.ts),
                    "tool_call_id": e.call_id,
                    "files": e.files,
                    "lines_added": e.added,
                    "lines_removed": e.removed,
                    "after_failed_test": e.after_failed_test,
                    "after_80": e.ts > mark,
                }
                for e in edits
            ],
        }
        check_feature(entry)
        out.append(entry)
    return out


def fix_attempts(ledger: Ledger, edits: list) -> dict[tuple[str, int], datetime]:
    """Fix attempts as the audit defines a patch: the edits a session makes after a failed
    verification run and before its next run form one attempt. Maps each attempt (session,
    runs so far) to the time of its first edit."""
    attempts: dict[tuple[str, int], datetime] = {}
    for edit in edits:
        if not edit.after_failed_test:
            continue
        runs_before = sum(1 for ts, _command, _code in ledger.runs.get(edit.session_id, []) if ts < edit.ts)
        attempts.setdefault((edit.session_id, runs_before), edit.ts)
    return attempts


def check_feature(entry: dict) -> None:
    small = entry["small_patches_after_80_after_failed_test"]
    ratio = entry["after_over_before"] or 0.0
    if entry["cliff"]:
        if small < 12 or ratio < 2 or entry["patches_after_80"] != small:
            raise ValueError(f"{entry['feature']} is meant to be a cliff: {entry}")
    elif ratio >= 2 and entry["patches_after_80"] >= 3:
        raise ValueError(f"{entry['feature']} looks like a cliff but is not meant to be one")


def clean_waits(ledger: Ledger) -> list[dict]:
    return [
        {
            "session_id": r.session.session_id,
            "agent": r.session.agent,
            "user": r.session.user,
            "file": r.session.rel_path,
            "what": r.session.options["clean_wait"],
        }
        for r in ledger.sessions
        if "clean_wait" in r.session.options
    ]


def dedup_traps(files: dict[str, str], ledger: Ledger) -> dict:
    """Counts of the duplicate-looking records the corpus contains, measured on the written files."""
    split_messages = 0
    for path, text in files.items():
        if "/.claude/" in path and path.endswith(".jsonl"):
            ids = Counter(
                (json.loads(line).get("message") or {}).get("id")
                for line in text.splitlines()
                if json.loads(line).get("type") == "assistant"
            )
            split_messages += sum(1 for key, count in ids.items() if key and count > 1)
    repeated_token_rows = 0
    for path, text in files.items():
        if "/.codex/" in path:
            previous = None
            for line in text.splitlines():
                obj = json.loads(line)
                payload = obj.get("payload", {})
                if obj["type"] == "event_msg" and payload.get("type") == "token_count" and payload.get("info"):
                    key = json.dumps(payload["info"]["total_token_usage"], sort_keys=True)
                    repeated_token_rows += key == previous
                    previous = key
    zero_messages = 0
    for path, text in files.items():
        if "/.gemini/" in path and path.endswith(".json"):
            for message in json.loads(text)["messages"]:
                tokens = message.get("tokens")
                zero_messages += bool(tokens) and not any(tokens.values())
    resumed = [
        {
            "session_id": r.session.session_id,
            "file": r.session.rel_path,
            "resumed_from_session_id": r.session.resume_of.session_id,
            "parent_file": r.session.resume_of.rel_path,
        }
        for r in ledger.sessions
        if r.session.resume_of is not None
    ]
    return {
        "claude_messages_split_over_several_lines": split_messages,
        "claude_resumed_sessions": resumed,
        "codex_token_count_rows_repeating_previous_totals": repeated_token_rows,
        "gemini_messages_with_all_zero_tokens": zero_messages,
    }


def build_expected(ledger: Ledger, files: dict[str, str], unknown_models: list[str]) -> dict:
    sessions_by_id = {r.session.session_id: r.session for r in ledger.sessions}
    exotic, other = explanations(ledger, sessions_by_id)
    ordered = sorted(ledger.sessions, key=lambda r: r.session.start)
    return {
        "generated_by": "scripts/build_sample_sessions.py",
        "period": {
            "first_day": FIRST_DAY,
            "last_day": LAST_DAY,
            "iso_weeks": [f"2026-W{n}" for n in range(41, 48)],
            "timezone": "UTC",
        },
        "users": sorted({r.session.user for r in ledger.sessions}),
        "sessions": [session_entry(r) for r in ordered],
        "spirals": spirals(ledger),
        "exotic_explanations": exotic,
        "explanations_not_exotic": other,
        "features": features(ledger),
        "clean_wait_sessions": clean_waits(ledger),
        "unknown_models": unknown_models,
        "dedup_traps": dedup_traps(files, ledger),
    }
