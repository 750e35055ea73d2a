"""The demo corpus: a synthetic team's agent transcripts, written deterministically.

``build(out_dir)`` renders every scenario session in chronological order with one seeded
random generator, writes each agent's files where that agent keeps them under the user's
home folder, and writes EXPECTED.json with the planted ground truth. Same code, same bytes.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from . import scen_backup, scen_billing, scen_infra, scen_pgoperator, scen_web
from .aider import AiderWriter
from .claude import ClaudeWriter
from .codex import CodexWriter
from .common import Ids, Repos, utc
from .expected import build_expected
from .gemini import GeminiWriter
from .ledger import Ledger
from .repos import INITIAL
from .team import AIDER_LOCAL, CODEX_LOCAL, cwd_of

SEED = 20261005
KEEP = {"README.md"}  # hand-written, not generated
PERIOD = (utc("2026-10-05T00:00:00Z"), utc("2026-11-23T00:00:00Z"))


def all_sessions() -> list:
    """Every scenario session, oldest first (edits must see the files as earlier sessions left them)."""
    sessions = []
    for module in (scen_pgoperator, scen_backup, scen_web, scen_billing, scen_infra):
        sessions += module.sessions()
    return sorted(sessions, key=lambda s: s.start)


def render(sessions: list) -> tuple[dict[str, str], Ledger]:
    """Render all sessions; returns {path relative to the corpus root: text} and the ledger."""
    rng = random.Random(SEED)
    ids, repos, ledger = Ids(rng), Repos(INITIAL), Ledger()
    writers = {"claude": ClaudeWriter, "codex": CodexWriter, "gemini": GeminiWriter, "aider": AiderWriter}
    writers = {agent: cls(ids, repos, ledger, rng, cwd_of) for agent, cls in writers.items()}
    files: dict[str, str] = {}
    for session in sessions:
        for path, text in writers[session.agent].render(session).items():
            appended = session.agent == "aider" and path.endswith(".md")
            files[path] = files.get(path, "") + text if appended else text
        if not (PERIOD[0] <= session.start and session.end < PERIOD[1]):
            raise ValueError(f"{session.label} falls outside 2026-W41..W47")
    return files, ledger


def build(out_dir: Path | str) -> dict[str, str]:
    """Write the corpus into ``out_dir`` (replacing everything but README.md); return what was written."""
    out = Path(out_dir)
    files, ledger = render(all_sessions())
    expected = build_expected(ledger, files, [CODEX_LOCAL, AIDER_LOCAL])
    files["EXPECTED.json"] = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    for child in sorted(out.iterdir()):
        if child.name in KEEP:
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path].encode("utf-8"))
    return files
