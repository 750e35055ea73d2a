"""One short line for Claude Code's ``statusLine`` command: today's cost, this session's, a warning.

Fed the statusline JSON on stdin (``session_id``, ``cost.total_cost_usd``). Today's cost is the
sum of the session costs this command has seen today (kept in ``statusline.json`` in the guard
state dir), so it needs no database; the warning comes from the session's guard history (an
open spiral: a wait raised twice after failed checks; an exotic claim sent back).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from ingest.guard import hook


def line(data: bytes, root: Path | None = None, today: str | None = None) -> str:
    root = root or hook.state_dir()
    try:
        record = json.loads(data or b"{}")
    except ValueError:
        record = {}
    record = record if isinstance(record, dict) else {}
    session_id = str(record.get("session_id") or "unknown")
    cost = record.get("cost")
    cost = cost if isinstance(cost, dict) else {}
    session_cost = cost.get("total_cost_usd")
    session_cost = float(session_cost) if isinstance(session_cost, (int, float)) else 0.0
    today = today or datetime.now(UTC).date().isoformat()
    book_path = root / "statusline.json"
    try:
        book = json.loads(book_path.read_text())
    except (OSError, ValueError):
        book = {}
    day = book.get(today, {}) if isinstance(book.get(today), dict) else {}
    day[session_id] = session_cost
    root.mkdir(parents=True, exist_ok=True)
    temporary = book_path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({today: day}))
    os.replace(temporary, book_path)
    parts = [f"today ${sum(day.values()):.2f}", f"session ${session_cost:.2f}"]
    parts += warnings(hook.load_history(root, session_id))
    return " · ".join(parts)


def warnings(history: dict) -> list[str]:
    found = []
    for chain in history.get("sites", {}).values():
        raises = sum(1 for step in chain["steps"] if step.get("escalation"))
        if raises >= 2:
            values = [chain["steps"][0].get("previous_s") or chain["steps"][0]["seconds"]]
            values += [s["seconds"] for s in chain["steps"] if s.get("escalation")]
            found.append(f"⚠ wait raised {raises}× after failures ({' → '.join(f'{v:g}s' for v in values[-4:])})")
    if history.get("claims_blocked"):
        found.append(f"⚠ {len(history['claims_blocked'])} outside-cause claim(s) sent back")
    return found[:2]
